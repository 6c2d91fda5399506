"""Court documents: 刑事判决书, the court's own copy or the published one with parties anonymised."""

from __future__ import annotations

from .agencies import procuratorate_name, rebracket
from .matters import Matter
from .numerals import integer_to_chinese
from .phrases import DocWriter
from .tpl_common import facts


def judgment(w: DocWriter, m: Matter, path: str) -> None:
    b, rng = w.b, w.rng
    w.agency(m.court, m.region)
    b.nl().t("刑事判决书").nl()
    w.own_case_number(m.numbers["judgment"])
    b.nl()
    b.t("公诉机关")
    w.agency(procuratorate_name(m.district), m.region)
    b.t("。")
    b.nl()
    # The court's own copy, served on the procuratorate, gives each defendant's 公民身份号码; the
    # published copy (anonymised, birth month and day masked) leaves it out.
    defendants = [w.party(s, "被告人", "defendant", path, with_id=not w.anonymise, with_phone=False,
                          custody="现羁押于看守所。" if rng.random() < 0.5 else "")
                  for s in m.suspects]
    for i in defendants[1:]:
        b.rel("CO_DEFENDANT", defendants[0], i)
    w.agency(procuratorate_name(m.district), m.region)
    b.t("以")
    cited = m.cited("judgment")
    if cited:
        w.case_number(rebracket(rng, cited) if rng.random() < 0.3 else cited)
    b.t("起诉书指控被告人")
    w.person(m.suspects[0])
    b.t("犯")
    w.charge(m.charge)
    b.t("，于")
    w.date(m.dates.get("indictment", m.dates["judgment"]))
    b.t("向本院提起公诉。本院依法组成合议庭，公开开庭审理了本案。现已审理终结。")
    b.nl()
    b.t("经审理查明：")
    b.nl()
    facts(w, m, path, "被告人")
    b.t("本院认为，被告人")
    w.person(m.suspects[0])
    b.t("的行为已构成")
    w.charge(m.charge)
    b.t("，公诉机关指控的罪名成立。依照《中华人民共和国刑法》之规定，判决如下：")
    b.nl()
    for k, s in enumerate(m.suspects):
        years = rng.randint(1, 9)
        fine = rng.choice((2, 5, 10, 20, 30, 50)) * 10_000 * 100
        b.t(f"{integer_to_chinese(k + 1)}、被告人")
        w.person(s)
        b.t("犯")
        w.charge(m.charge)
        b.t(f"，判处有期徒刑{integer_to_chinese(years)}年，并处罚金人民币")
        w.money(fine, rng.choice(("lower", "wan", "upper")))
        b.t("；")
        b.nl()
    b.t(f"{integer_to_chinese(len(m.suspects) + 1)}、责令被告人退赔被害人经济损失。")
    b.nl()
    b.t("如不服本判决，可在接到判决书的第二日起十日内，通过本院或者直接向上一级人民法院提出上诉。")
    b.nl()
    judges = m.officials["judgment"]
    for title, person in zip(("审判长", "审判员", "书记员"), judges, strict=True):
        b.t(f"{title}  ")
        w.person(person, official=True)
        b.nl()
    w.date(m.dates["judgment"], "chinese")
