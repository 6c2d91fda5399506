"""Police documents: 立案决定书 and 起诉意见书."""

from __future__ import annotations

from .agencies import police_issuer, procuratorate_name, rebracket
from .matters import Matter
from .phrases import DocWriter
from .tpl_common import facts


def _regulator(region: str) -> str:
    return "国家金融监督管理总局重庆监管局" if region == "CQ" else "国家金融监督管理总局四川监管局"


def _cite(w: DocWriter, number: str) -> None:
    w.case_number(rebracket(w.rng, number) if w.rng.random() < 0.3 else number)


def _lead(w: DocWriter, m: Matter) -> bool:
    """本案线索系…在侦办…一案（渝公经立字〔2022〕388号）中发现并移送: a laundering case opened on the lead
    of the other region's police names the upstream case by its 立案 number (跨区域线索移送, 协查)."""
    lead = m.lead_from()
    if lead is None or m.upstream is None:
        return False
    w.b.t("本案线索系")
    w.agency(police_issuer(lead.region, lead.district), lead.region)
    w.b.t("在侦办")
    w.person(m.upstream)
    w.b.t("涉嫌")
    w.charge(lead.charge)
    w.b.t("一案（")
    _cite(w, lead.numbers["filing_decision"])
    w.b.t("）中发现并移送")
    return True


def filing_decision(w: DocWriter, m: Matter, path: str) -> None:
    b, rng = w.b, w.rng
    issuer = police_issuer(m.region, m.district)
    w.agency(issuer, m.region)
    b.nl().t("立案决定书").nl()
    w.own_case_number(m.numbers["filing_decision"])
    b.nl()
    b.t("根据《中华人民共和国刑事诉讼法》第一百一十二条之规定，决定对")
    for k, s in enumerate(m.suspects):
        if k:
            b.t("、")
        w.person(s, "suspect")
    if m.companies and m.ring is not None and m.upstream is None:
        b.t("及")
        w.org(m.companies[0], "suspect")
    b.t("涉嫌")
    w.charge(m.charge)
    b.t("一案立案侦查。")
    b.nl()
    cited = m.cited("filing_decision")
    if cited:
        b.t("本案线索系")
        w.agency(_regulator(m.region), m.region)
        b.t("移送，移送依据为")
        _cite(w, cited)
        b.t("行政处罚决定书。")
        b.nl()
    if _lead(w, m):
        b.t("。")
        b.nl()
    if rng.random() < 0.7:
        s = m.suspects[0]
        b.t("犯罪嫌疑人基本情况：")
        w.person(s)
        b.t(f"，{s.gender}，公民身份号码")
        w.ric(s, path)
        b.t("，联系电话")
        w.phone(s.phones[0])
        b.t("。")
        b.nl()
    w.agency(issuer, m.region)
    b.nl()
    w.date(m.dates["filing_decision"], "chinese")


def prosecution_recommendation(w: DocWriter, m: Matter, path: str) -> None:
    b, rng = w.b, w.rng
    issuer = police_issuer(m.region, m.district)
    w.agency(issuer, m.region)
    b.nl().t("起诉意见书").nl()
    w.own_case_number(m.numbers["prosecution_recommendation"])
    b.nl()
    custody_date = m.dates["prosecution_recommendation"]
    for s in m.suspects:
        custody = ""
        # 起诉意见书 format: each suspect's 身份证件号码 is part of his particulars.
        w.party(s, "犯罪嫌疑人", "suspect", path, with_id=True,
                with_phone=s is (m.ring.controller if m.ring else None) or rng.random() < 0.5,
                custody=custody)
    for c in m.companies[:2] if m.upstream is None else []:
        w.company_party(c, "犯罪嫌疑单位", "suspect")
    b.t("犯罪嫌疑人")
    w.person(m.suspects[0])
    b.t("涉嫌")
    w.charge(m.charge)
    b.t("一案，由")
    w.agency(issuer, m.region)
    b.t("于")
    w.date(m.dates.get("filing_decision", custody_date))
    b.t("立案侦查")
    if "filing_decision" in m.numbers:
        b.t("（")
        _cite(w, m.numbers["filing_decision"])
        b.t("）")
    if "penalty_decision" in m.numbers:
        # 案件来源: a case the regulator referred names the referral, whether or not its 立案决定书 is at hand.
        b.t("。本案线索系")
        w.agency(_regulator(m.region), m.region)
        b.t("以")
        _cite(w, m.numbers["penalty_decision"])
        b.t("行政处罚决定书移送")
    if m.lead_from() is not None:
        b.t("。")
        _lead(w, m)
    b.t("。犯罪嫌疑人")
    w.person(m.suspects[0])
    b.t("于")
    w.date(m.dates.get("filing_decision", custody_date))
    b.t("被刑事拘留，现被取保候审。")
    b.nl()
    b.t("经依法侦查查明：")
    b.nl()
    facts(w, m, path, "犯罪嫌疑人")
    for v in m.victims[:3]:
        b.t("被害人")
        w.person(v, "victim")
        b.t("，联系电话")
        w.phone(v.phones[0])
        b.t("，报案称其被骗")
        w.money(rng.randint(1, 60) * 10_000 * 100)
        b.t("。")
        b.nl()
    b.t("认定上述事实的证据如下：书证、银行交易流水、证人证言、被害人陈述、犯罪嫌疑人供述和辩解、电子数据等。")
    b.nl()
    b.t("综上所述，犯罪嫌疑人")
    w.person(m.suspects[0])
    b.t("的行为已触犯《中华人民共和国刑法》之规定，涉嫌")
    w.charge(m.charge)
    b.t("。依照《中华人民共和国刑事诉讼法》第一百六十二条之规定，特将本案移送审查起诉。")
    b.nl()
    b.t("此致").nl()
    w.agency(procuratorate_name(m.district), m.region)
    b.nl()
    w.agency(issuer, m.region)
    b.nl()
    w.date(m.dates["prosecution_recommendation"], "chinese")
