"""How often the name search puts the right name first, on real names and on generated ones.

Usage:
    PYTHONPATH=. python benchmarks/name_search_quality.py [--corpus DIR] [--sample 300] [--seed 1]

Real names: the defendants (被告人…) and companies (…有限公司) of the 150 published judgments in
/work/shared/realtexts/judgments (names anonymised at publication, 王某某, are left out: they are no
one's name). Generated names: the persons and companies of a generated corpus' truth.json. For each
name, the queries a user would type: the name itself, its traditional form (OpenCC s2t), its pinyin
(spaced syllables), a homophone misspelling (one character after the first replaced by another of
the same pinyin from the names' own characters) and, for companies, the name without its legal form
(有限公司). Each query is ranked against every name of its source with the search's own scorer
(casegraph.names); hit@1 counts a query whose name is ranked first with no other name tied.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from pathlib import Path

from pypinyin import lazy_pinyin

from casegraph.names import form_score, parse_query, pinyin_key, simplified

REAL = Path("/work/shared/realtexts/judgments")
_DEFENDANT = re.compile(r"被告人([\u4e00-\u9fff]{2,3})(?=[，,（(。、；;\s])")
_COMPANY = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:股份有限公司|有限责任公司|有限公司))")
_ANONYMISED = re.compile(r"[某×ＸX○＊*]")
_LEGAL_FORM = re.compile(r"(股份有限公司|有限责任公司|有限公司)$")


def real_names() -> dict[str, list[str]]:
    persons, companies = set(), set()
    for path in sorted(REAL.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        persons.update(n for n in _DEFENDANT.findall(text) if not _ANONYMISED.search(n))
        companies.update(c for c in _COMPANY.findall(text) if not _ANONYMISED.search(c) and not c.startswith("被告"))
    return {"person": sorted(persons), "company": sorted(companies)}


def generated_names(corpus: Path) -> dict[str, list[str]]:
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    return {"person": sorted({p["name"] for p in truth["persons"] if p.get("name")}),
            "company": sorted({o["name"] for o in truth["organizations"] if o.get("name")})}


def queries(name: str, kind: str, homophones: dict[str, list[str]], rng: random.Random) -> dict[str, str]:
    import opencc

    found = {"exact": name, "traditional": opencc.OpenCC("s2t").convert(name),
             "pinyin": " ".join(lazy_pinyin(name))}
    positions = [i for i in range(1, len(name)) if len(homophones.get(pinyin_key(name[i]), [])) > 1]
    if positions:
        i = rng.choice(positions)
        other = rng.choice([c for c in homophones[pinyin_key(name[i])] if c != name[i]])
        found["homophone"] = name[:i] + other + name[i + 1:]
    if kind == "company" and _LEGAL_FORM.search(name):
        found["no legal form"] = _LEGAL_FORM.sub("", name)
    return found


def evaluate(names: list[str], kind: str, sample: int, rng: random.Random) -> dict[str, tuple[int, int]]:
    homophones: dict[str, list[str]] = defaultdict(list)
    for ch in sorted({c for n in names for c in n}):
        homophones[pinyin_key(ch)].append(ch)
    forms = [(simplified(n), pinyin_key(simplified(n))) for n in names]
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for index in rng.sample(range(len(names)), min(sample, len(names))):
        for variant, text in queries(names[index], kind, homophones, rng).items():
            query = parse_query(text)
            scores = [form_score(query, plain, pinyin) for plain, pinyin in forms]
            mine = scores[index]
            better_or_tied = sum(1 for i, s in enumerate(scores) if s >= mine and i != index)
            hits[variant][0] += better_or_tied == 0
            hits[variant][1] += 1
    return {variant: (h, n) for variant, (h, n) in hits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=Path("examples"), help="a generated corpus with truth.json")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("| source | kind | names | query | hit@1 | queries |")
    print("| --- | --- | ---: | --- | ---: | ---: |")
    sources = (("real judgments", real_names()), (f"generated ({args.corpus})", generated_names(args.corpus)))
    for source, names in sources:
        for kind, listed in names.items():
            for variant, (hit, total) in evaluate(listed, kind, args.sample, random.Random(args.seed)).items():
                print(f"| {source} | {kind} | {len(listed)} | {variant} | {hit / total:.3f} | {total} |")


if __name__ == "__main__":
    main()
