"""Writes an annotator's mention list as inline markup: spec/NNN.txt + the published text -> src/NNN.txt.

The annotator reads the text and lists, once each, the strings to mark; this tool marks EVERY
occurrence of each (longest string first, so `王某某` is never read as `王某`), puts an entry's id on
its first occurrence, fills in MONEY/DATE normalizations that follow mechanically from the text, and
checks that removing the markup gives the published text back. Nothing here guesses mentions.

Spec lines (`#` starts a comment line):
    kind judgment                          the document kind for the header (default judgment)
    P #p1 张某某                            TYPE [#id] text [= normalized] [@k,l]
    D 同年6月27日 = 2019-06-27               relative dates need their value written
    D 6月27日 = 2020-06-27 @2               only the 2nd occurrence of that string
    - 张某某路                               a string that is never a mention (blocks shorter ones inside it)
    + P 陈某1 | M 7231元                     mentions written with no break (陈某17231元), marked one after the other
    @ ROLE_IN p1 c defendant               relations, copied as they are
TYPE is one of build_gold.TYPES' abbreviations. A PERSON string does not match where it runs into
a longer anonymised name (followed by 某, ×, X or a digit), nor a number inside a longer number.

Run: python tests/gold/real/markup.py tests/gold/real/dev 005 010 ...   (all specs when no number)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
TYPES = {"P", "O", "ID", "U", "A", "T", "M", "D", "C", "CH", "AD", "-", "+"}
CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass
class Entry:
    kind: str
    text: str
    mention_id: str | None = None
    normalized: str | None = None
    occurrences: set[int] | None = None
    marked: list[int] = field(default_factory=list)
    parts: list[Entry] = field(default_factory=list)


def money_value(text: str) -> str:
    """`402.9204万元` -> 4029204, `5870余万元` -> 58700000; amount in yuan as a plain number."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:余|多)?(亿|万|千)?(?:余|多)?元", text.replace(",", "").replace("，", ""))
    if not match:
        raise ValueError(f"MONEY {text!r}: write its value (= yuan)")
    number = float(match.group(1)) * {"亿": 1e8, "万": 1e4, "千": 1e3, None: 1}[match.group(2)]
    rounded = round(number, 2)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.2f}".rstrip("0")


def chinese_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if all(char in CN_DIGITS for char in text):
        return int("".join(str(CN_DIGITS[char]) for char in text))
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def date_value(text: str) -> str:
    """`2019年1月31日` -> 2019-01-31, `2015年12月` -> 2015-12, `二〇一九年` -> 2019, masked parts stay XX."""
    part = r"([0-9〇零一二三四五六七八九十]+|[XＸ×x]+)"
    match = re.fullmatch(part + r"年(?:" + part + r"月(?:" + part + r"日)?)?", text)
    if not match:
        raise ValueError(f"DATE {text!r}: write its ISO value")
    values = []
    for index, group in enumerate(match.groups()):
        if group is None:
            break
        if not re.fullmatch(r"[0-9〇零一二三四五六七八九十]+", group):
            values.append("XX" if index else "XXXX")
        else:
            values.append(f"{chinese_number(group):0{4 if index == 0 else 2}d}")
    return "-".join(values)


def read_spec(path: Path) -> tuple[str, list[Entry], list[str]]:
    kind = "judgment"
    entries: list[Entry] = []
    relations: list[str] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@ "):
            relations.append(line)
            continue
        if line.startswith("kind "):
            kind = line.split()[1]
            continue
        if line.startswith("+ "):
            parts = [read_entry(path, number, piece.strip()) for piece in line[2:].split(" | ")]
            entries.append(Entry("+", "".join(part.text for part in parts), parts=parts))
            continue
        entries.append(read_entry(path, number, line))
    return kind, entries, relations


def read_entry(path: Path, number: int, line: str) -> Entry:
    """One `TYPE [#id] text [= normalized] [@k,l]` line."""
    raw = line
    occurrences = None
    occurrence = re.search(r"\s@([\d,]+)$", line)
    if occurrence:
        occurrences = {int(k) for k in occurrence.group(1).split(",")}
        line = line[:occurrence.start()]
    normalized = None
    if " = " in line:
        line, normalized = (piece.strip() for piece in line.split(" = ", 1))
    pieces = line.split(maxsplit=2)
    if pieces[0] not in TYPES - {"+"} or len(pieces) < 2:
        raise SystemExit(f"{path}:{number}: cannot read {raw!r}")
    mention_id = pieces[1][1:] if pieces[1].startswith("#") else None
    text = " ".join(pieces[2:] if mention_id else pieces[1:])
    if normalized is None and pieces[0] in ("M", "D"):
        try:
            normalized = money_value(text) if pieces[0] == "M" else date_value(text)
        except ValueError as error:
            raise SystemExit(f"{path}:{number}: {error}") from None
    return Entry(pieces[0], text, mention_id, normalized, occurrences)


def blocked(kind: str, text: str, start: int, end: int, joined: bool) -> bool:
    """True where the string is only part of a longer token: 王某 in 王某某 or 王某1, 3000元 in 13000元.
    `joined`: a mention ends right before (`陈某1` + `7231元` written as 陈某17231元)."""
    after = text[end] if end < len(text) else ""
    before = "" if joined or not start else text[start - 1]
    if kind == "P":
        anonymised = text[end - 1] in "某×XＸxｘ"
        numbered = text[end - 1].isdigit()  # 曾某1 is not the start of 曾某10
        digits = re.match(r"\d+", text[end:])
        if digits and (anonymised or numbered):  # 王某1 continues the name; 杨某某2014年 does not
            tail = text[end + len(digits.group()):end + len(digits.group()) + 1]
            return len(digits.group()) <= 2 and (tail == "" or tail not in "年月日元号时分.．万千百亿余多")
        return after != "" and after in "某×XＸxｘ"
    if kind in ("M", "D", "A", "T", "ID", "U"):
        decimal = kind == "M" and before != "" and before in ".．"
        return before.isdigit() or decimal or (kind in ("A", "T", "ID", "U") and after.isdigit())
    return False


def mark(text: str, entries: list[Entry]) -> str:
    by_string: dict[str, list[Entry]] = {}
    for entry in entries:
        by_string.setdefault(entry.text, []).append(entry)
    strings = sorted(by_string, key=len, reverse=True)
    seen: dict[str, int] = {}
    given: set[str] = set()
    out: list[str] = []
    position = last_end = 0
    while position < len(text):
        for string in strings:
            end = position + len(string)
            kind = by_string[string][0].kind
            if not text.startswith(string, position) or blocked(kind, text, position, end, position == last_end):
                continue
            seen[string] = seen.get(string, 0) + 1
            chosen = [e for e in by_string[string] if e.occurrences is None or seen[string] in e.occurrences]
            if not chosen:
                continue
            entry = min(chosen, key=lambda e: e.occurrences is None)  # a listed occurrence wins
            entry.marked.append(seen[string])
            if entry.kind == "-":
                out.append(string)
            for part in entry.parts or ([entry] if entry.kind != "-" else []):
                label = part.kind
                if part.mention_id and part.mention_id not in given:
                    label += "#" + part.mention_id
                    given.add(part.mention_id)
                value = f"|{part.normalized}" if part.normalized is not None and part.normalized != part.text else ""
                out.append("{" + label + "|" + part.text + value + "}")
            position = last_end = end
            break
        else:
            out.append(text[position])
            position += 1
    return "".join(out)


def write_markup(part: Path, number: str, judgments: Path) -> list[str]:
    """Writes part/src/NNN.txt; returns the problems found (unmatched entries, unknown ids)."""
    kind, entries, relations = read_spec(part / "spec" / f"{number}.txt")
    original = (judgments / f"{number}.txt").read_text(encoding="utf-8")
    marked = mark(original.rstrip("\n"), entries)
    problems = [f"{number}: {e.kind} {e.text!r} found nowhere" for e in entries if not e.marked]
    ids = {e.mention_id for e in entries if e.mention_id and e.marked}
    for relation in relations:
        for end in relation.split()[2:4] + [p.split("=")[1] for p in relation.split()[4:] if "=" in p]:
            if end not in ids:
                problems.append(f"{number}: {relation!r}: no mention has id {end!r}")
    if re.sub(r"\{[A-Z]+(?:#\w+)?\|([^{}|]+)(?:\|[^{}|]*)?\}", r"\1", marked) + "\n" != original:
        problems.append(f"{number}: markup does not give the published text back")
    (part / "src").mkdir(exist_ok=True)
    (part / "src" / f"{number}.txt").write_text(f"=== {number}.txt {kind} utf-8\n{marked}\n" + "".join(
        relation + "\n" for relation in relations), encoding="utf-8")
    return problems


def main(arguments: list[str]) -> int:
    part = Path(arguments[0])
    numbers = arguments[1:] or sorted(spec.stem for spec in (part / "spec").glob("*.txt"))
    judgments = next((p / "shared" / "realtexts" / "judgments" for p in part.resolve().parents
                      if (p / "shared" / "realtexts" / "judgments").is_dir()), part / "docs")
    problems = [problem for number in numbers for problem in write_markup(part, number, judgments)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
