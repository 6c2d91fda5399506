"""Procuratorate documents: 起诉书."""

from __future__ import annotations

from .agencies import police_issuer, procuratorate_name, rebracket
from .matters import Matter
from .phrases import DocWriter
from .tpl_common import facts


def indictment(w: DocWriter, m: Matter, path: str) -> None:
    b, rng = w.b, w.rng
    issuer = procuratorate_name(m.district)
    w.agency(issuer, m.region)
    b.nl().t("起诉书").nl()
    w.own_case_number(m.numbers["indictment"])
    b.nl()
    defendants = []
    for s in m.suspects:
        # 起诉书 format: every defendant's 公民身份号码 follows the birth date.
        defendants.append(w.party(s, "被告人", "defendant", path, with_id=True,
                                  with_phone=s is (m.ring.controller if m.ring else None)
                                  or rng.random() < 0.3,
                                  custody_charge=m.charge if rng.random() < 0.5 else None))
    for i in defendants[1:]:
        b.rel("CO_DEFENDANT", defendants[0], i)
    for c in m.companies[:1] if m.upstream is None else []:
        w.company_party(c, "被告单位", "defendant")
    b.t("本案由")
    w.agency(police_issuer(m.region, m.district), m.region)
    b.t("侦查终结，以被告人")
    w.person(m.suspects[0])
    b.t("涉嫌")
    w.charge(m.charge)
    b.t("，于")
    w.date(m.dates.get("prosecution_recommendation", m.dates["indictment"]))
    b.t("向本院移送审查起诉")
    cited = m.cited("indictment")
    if cited:
        b.t("（")
        w.case_number(rebracket(rng, cited) if rng.random() < 0.3 else cited)
        b.t("）")
    b.t("。本院受理后，依法告知了被告人有权委托辩护人，依法讯问了被告人，审查了全部案件材料。")
    b.nl()
    b.t("经依法审查查明：")
    b.nl()
    facts(w, m, path, "被告人")
    b.t("本院认为，被告人")
    w.person(m.suspects[0])
    b.t("的行为触犯了《中华人民共和国刑法》，犯罪事实清楚，证据确实、充分，应当以")
    w.charge(m.charge)
    b.t("追究其刑事责任。根据《中华人民共和国刑事诉讼法》第一百七十六条的规定，提起公诉，请依法判处。")
    b.nl()
    b.t("此致").nl()
    w.agency(m.court, m.region)
    b.nl()
    b.t("检察官  ")
    w.person(m.officials["indictment"][0], official=True)
    b.nl()
    w.date(m.dates["indictment"], rng.choice(("chinese", "cn")))
