"""Regulator documents: 行政处罚决定书, 风险提示函 and suspicious-transaction reports."""

from __future__ import annotations

from .matters import Matter
from .phrases import DocWriter
from .tpl_common import account_phrase, transfer_sentence


def _regulator(m: Matter) -> str:
    return "国家金融监督管理总局重庆监管局" if m.region == "CQ" else "国家金融监督管理总局四川监管局"


def penalty_decision(w: DocWriter, m: Matter, path: str) -> None:
    b, rng = w.b, w.rng
    w.agency(_regulator(m), m.region)
    b.nl().t("行政处罚决定书").nl()
    w.own_case_number(m.numbers["penalty_decision"])
    b.nl()
    company = m.companies[0]
    b.t("当事人：")
    ci = w.org(company, "penalized_party")
    b.nl().t("统一社会信用代码：")
    w.uscc(company)
    b.nl().t("住所：")
    assert company.address is not None
    w.address(company.address)
    if company.legal_rep:
        b.nl().t("法定代表人：")
        ri = w.person(w.world.person(company.legal_rep))
        b.rel("LEGAL_REP", ri, ci)
    b.nl()
    b.t("经查，当事人在未经金融管理部门批准的情况下，于")
    w.month(m.start)
    b.t("至")
    w.month(m.end)
    b.t("期间，以发售理财产品名义向不特定对象募集资金，并通过其")
    account_phrase(w, company.accounts[0], path, ci)
    b.t("收取资金合计")
    w.money(m.total_cents)
    b.t("。")
    b.nl()
    controller = m.ring.controller if m.ring else (w.world.person(company.controller)
                                                   if company.controller else None)
    if controller is not None:
        b.t("当事人的实际控制人")
        pi = w.person(controller, "responsible_person")
        b.rel("CONTROLS", pi, ci)
        b.t("对上述行为负有直接责任，联系电话")
        w.phone(controller.phones[0])
        b.t("。")
        b.nl()
    b.t("上述事实有现场检查记录、询问笔录、银行账户资金流水等证据证明。")
    b.nl()
    b.t("依据相关法律法规，我局决定对当事人作出如下处罚：罚款人民币")
    w.money(rng.choice((20, 50, 100, 200)) * 10_000 * 100, rng.choice(("wan", "upper", "comma")))
    b.t("。涉嫌犯罪的线索已依法移送公安机关。")
    b.nl()
    b.t("当事人如不服本处罚决定，可在收到本决定书之日起60日内申请行政复议，也可在6个月内依法提起行政诉讼。")
    b.nl()
    w.agency(_regulator(m), m.region)
    b.nl()
    w.date(m.dates["penalty_decision"], rng.choice(("chinese", "cn")))


def risk_alert(w: DocWriter, m: Matter, path: str) -> None:
    b = w.b
    w.agency(_regulator(m), m.region)
    b.nl().t("关于防范非法集资风险的提示函").nl()
    w.own_case_number(m.numbers["risk_alert"])
    b.nl()
    b.t("各银行业金融机构：").nl()
    b.t("近期，我局监测发现，")
    companies = m.ring.companies if m.ring else m.companies
    for k, c in enumerate(companies[:2]):
        if k:
            b.t("、")
        w.org(c, "subject")
    b.t("等机构涉嫌以高额回报为诱饵向社会公众吸收资金，相关资金经由多名个人账户快进快出、分散转移。")
    b.nl()
    upstream = m.upstream or (m.ring.controller if m.ring else None)
    if upstream is not None:
        # A letter asking banks to watch a person's accounts identifies him the way banks screen their
        # customers: by 证件号码.
        b.t("上述机构的实际控制人为")
        w.person(upstream, "subject")
        b.t("，公民身份号码")
        w.ric(upstream, path)
        b.t("，其使用的手机号码")
        w.phone(upstream.phones[0])
        b.t("与多家涉案机构登记联系电话一致。")
        b.nl()
    b.t("请各机构加强对相关账户的交易监测，发现异常及时报告。")
    b.nl()
    w.agency(_regulator(m), m.region)
    b.nl()
    w.date(m.dates["risk_alert"], "cn")


def str_report(w: DocWriter, m: Matter, path: str) -> None:
    """A bank's suspicious-transaction report, as the regulator receives it."""
    b, rng = w.b, w.rng
    assert m.ring is not None
    flow = m.ring.flows[m.str_flow]
    hub = flow.txs[0].dst if flow.typology == "fan_in" else flow.txs[0].src
    assert hub is not None
    branch = w.world.org(hub.branch)
    b.t("可疑交易报告").nl()
    b.t(f"报告编号：STR{m.dates['str_report']:%Y%m%d}{rng.randrange(10**6):06d}").nl()
    b.t("报告机构：")
    w.org(branch)
    b.nl()
    b.t("报告日期：")
    w.date(m.dates["str_report"], "iso")
    b.nl()
    b.t("可疑主体：")
    if hub.owner.startswith("P"):
        # The report's elements (客户身份要素) name the customer by 户名 and 证件号码.
        b.t("户名")
        reported = w.world.person(hub.owner)
        owner = w.person(reported, "reported_party")
        b.t("，证件号码")
        w.ric(reported, path)
    else:
        owner = w.org(w.world.org(hub.owner), "reported_party")
    b.nl()
    b.t("可疑账户：")
    acct = w.account(hub, path, allow_partial=False)
    b.rel("OWNS_ACCOUNT", owner, acct)
    b.nl()
    b.t(f"可疑特征：{_feature(flow.typology)}")
    b.nl()
    b.t("交易明细摘要：")
    b.nl()
    for tx in flow.txs[:6]:
        transfer_sentence(w, tx, path, allow_partial=False)
        b.nl()
    b.t("报告人：")
    w.person(m.officials["str_report"][0], official=True)


def _feature(typology: str) -> str:
    return {
        "cycle": "资金在多个关联账户间循环划转，最终回流至初始账户。",
        "fan_in": "短期内大量不同账户分散转入、集中转出。",
        "fan_out": "账户资金集中转入后短期内分散转出至多个账户。",
        "scatter_gather": "资金分散至多个中间账户后再次归集。",
        "gather_scatter": "多个账户资金归集后迅速分散转出。",
        "pass_through": "资金快进快出，过渡性质明显，账户余额长期维持低位。",
    }[typology]
