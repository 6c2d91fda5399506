"""The statement of facts that police, prosecutors and courts each retell in their own words."""

from __future__ import annotations

from .flows import Tx
from .matters import Matter
from .phrases import DocWriter
from .world import Account

LURES = {
    "非法吸收公众存款罪": ("以投资理财、高额返息为诱饵", "以签订借款合同、承诺保本付息的方式"),
    "集资诈骗罪": ("以虚构投资项目、承诺高额回报为名", "以投资农业项目、年化收益百分之十八为名"),
    "洗钱罪": ("明知系非法集资犯罪所得", "明知资金系他人金融诈骗犯罪所得"),
    "帮助信息网络犯罪活动罪": ("明知他人利用信息网络实施犯罪", "明知他人实施电信网络诈骗"),
    "掩饰、隐瞒犯罪所得罪": ("明知系犯罪所得", "明知系他人诈骗所得资金"),
    "诈骗罪": ("冒充网购平台客服，以退款、理赔为由", "以介绍投资、刷单返利为名"),
}


def owner_mention(w: DocWriter, acct: Account, victims_apart: frozenset[str] = frozenset()) -> int:
    """`victims_apart`: victims who share a name with one of the accused; a real file then tells
    them apart by the role word (被害人陈婷通过其…), or the sentence would name either."""
    if acct.owner.startswith("P"):
        if acct.owner in victims_apart:
            w.b.t("被害人")
            return w.person(w.world.person(acct.owner), role="victim")
        return w.person(w.world.person(acct.owner))
    return w.org_ref(w.world.org(acct.owner))


def victims_named_like_the_accused(m: Matter) -> frozenset[str]:
    """The matter's victims whose name one of its accused (suspects, ring controller) also bears:
    namesakes are kept, as the population has them; only how the papers name them changes."""
    accused = list(m.suspects) + ([m.ring.controller] if m.ring is not None else [])
    names = {p.name for p in accused}
    ids = {p.id for p in accused}
    return frozenset(v.id for v in m.victims if v.name in names and v.id not in ids)


def account_phrase(w: DocWriter, acct: Account, path: str, owner: int | None, allow_partial: bool = True) -> int:
    """在中国工商银行股份有限公司重庆解放碑支行开立的账户6222…; OWNS_ACCOUNT from the owner."""
    b = w.b
    branch = w.world.org(acct.branch)
    if w.rng.random() < 0.5:
        b.t("在")
        w.org(branch)
        if w.rng.random() < 0.3 and branch.address:
            b.t("（地址：")
            w.address(branch.address)
            b.t("）")
        b.t("开立的账户")
    else:
        b.t(f"名下{w.bank_of(acct)}账户")
    i = w.account(acct, path, allow_partial)
    b.rel("OWNS_ACCOUNT", owner, i)
    return i


def transfer_sentence(w: DocWriter, tx: Tx, path: str, allow_partial: bool = True,
                      victims_apart: frozenset[str] = frozenset()) -> None:
    """`allow_partial`: a narrative may write 尾号5553; a bank's own report gives whole numbers."""
    b = w.b
    w.date(tx.at.date())
    b.t("，")
    assert tx.src is not None and tx.dst is not None
    src_owner = owner_mention(w, tx.src, victims_apart)
    b.t("通过其")
    src = account_phrase(w, tx.src, path, src_owner, allow_partial)
    b.t("向")
    dst_owner = owner_mention(w, tx.dst, victims_apart)
    b.t(w.rng.choice(("名下账户", "的账户", "控制的账户")))
    dst = w.account(tx.dst, path, allow_partial)
    b.rel("OWNS_ACCOUNT", dst_owner, dst)
    b.rel("TRANSFERRED_TO", src, dst)
    b.t("转账")
    w.money(tx.cents)
    b.t("。")


def facts(w: DocWriter, m: Matter, path: str, subject: str) -> None:
    """The facts paragraph(s); `subject` is 犯罪嫌疑人 or 被告人."""
    b, rng = w.b, w.rng
    lure = rng.choice(LURES[m.charge])
    w.month(m.start)
    b.t("至")
    w.month(m.end)
    b.t("间，")
    if m.ring is not None and m.upstream is None:
        controller = m.ring.controller
        b.t(subject)
        ci = w.person(controller)
        b.t("实际控制")
        for k, org in enumerate(m.companies):
            if k:
                b.t("、")
            oi = w.org_ref(org)
            b.rel("CONTROLS", ci, oi)
        b.t("，")
        for org in m.companies[1:]:
            if org.legal_rep and org.legal_rep != controller.id:
                b.t("并安排")
                ri = w.person(w.world.person(org.legal_rep))
                b.t("担任")
                oi = w.org_ref(org)
                b.rel("LEGAL_REP", ri, oi)
                b.t("的法定代表人，")
                break
        _roles(w, m)
        b.t(f"{lure}，通过微信群、线下推介会等方式向社会公众宣传，吸收")
        b.t(f"{m.victim_count}余名投资人资金共计")
        w.money(m.total_cents)
        b.t("，所吸收资金主要用于支付本息、员工提成及个人挥霍。")
        b.nl()
        acct = controller.accounts[0]
        b.t("经查，")
        ci = w.person(controller)
        b.t("使用其")
        account_phrase(w, acct, path, ci)
        b.t("归集并转移资金，其联系电话")
        w.phone(controller.phones[0])
        b.t("与多名涉案人员共用。")
        b.nl()
    elif m.upstream is not None:
        first = True
        for s in m.suspects:
            if not first:
                b.t("、")
            w.person(s)
            first = False
        b.t(f"{lure}，仍将本人名下银行卡、手机卡提供给")
        ui = w.person(m.upstream)
        b.t("（另案处理，联系电话")
        w.phone(m.upstream.phones[0])
        b.t("）使用，并按其指令通过")
        account_phrase(w, m.upstream.accounts[0], path, ui)
        b.t("等账户转移资金共计")
        w.money(m.total_cents)
        b.t("。")
        b.nl()
    else:
        b.t(subject)
        si = w.person(m.suspects[0])
        for other in m.suspects[1:]:
            b.t("伙同")
            oi = w.person(other)
            b.rel("CO_DEFENDANT", si, oi)
        if m.companies:
            b.t("以")
            w.org_ref(m.companies[0])
            b.t("名义，")
        b.t(f"{lure}，骗取或吸收")
        b.t(f"{m.victim_count}名被害人资金共计" if m.victim_count else "资金共计")
        w.money(m.total_cents)
        b.t("。")
        b.nl()
    apart = victims_named_like_the_accused(m)
    for tx in m.transfers:
        if tx.src is None or tx.dst is None:
            continue
        b.t("其中，")
        transfer_sentence(w, tx, path, victims_apart=apart)
        b.nl()


def _roles(w: DocWriter, m: Matter) -> None:
    """Shareholdings and staff: 李娜系鑫汇公司股东, 王芳系该公司财务人员."""
    b = w.b
    assert m.ring is not None
    reps = {o.legal_rep for o in m.companies}
    for org in m.companies:
        for sid in org.shareholders:
            if sid != org.legal_rep and w.rng.random() < 0.7:
                si = w.person(w.world.person(sid))
                b.t("系")
                oi = w.org_ref(org)
                b.rel("SHAREHOLDER", si, oi)
                b.t("股东，")
                break
    staff = [p for p in m.ring.persons if p.id not in reps]
    if staff:
        si = w.person(staff[0])
        b.t("系")
        oi = w.org_ref(m.companies[0])
        b.rel("EMPLOYED_BY", si, oi)
        b.t(w.rng.choice(("财务人员，负责资金划转，", "出纳，负责管理公司账户，", "业务经理，")))
