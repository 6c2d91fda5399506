"""Builds the hand-written gold set: src/*.txt (inline markup) -> docs/*.txt and truth.json.

Markup: `{TYPE|text}`, `{TYPE#id|text}` or `{TYPE#id|text|normalized}` around a mention, with
TYPE one of P ORG... abbreviations below; `@ RELATION from-id to-id [role]` lines after the text
(`@ TRANSFERRED_TO from-id to-id amount=<MONEY id> date=<DATE id>` stores those mentions' normalized
values as the relation's attrs);
each document starts with `=== file kind encoding`. Offsets are computed here and checked
(text[start:end] == mention text), so nobody counts characters by hand.

Run: python tests/gold/build_gold.py [FOLDER]   (FOLDER holds src/; default: this folder; the
held-out set is tests/gold/heldout)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
TYPES = {"P": "PERSON", "O": "ORG", "ID": "ID_NUMBER", "U": "USCC", "A": "BANK_ACCOUNT", "T": "PHONE",
         "M": "MONEY", "D": "DATE", "C": "CASE_NUMBER", "CH": "CHARGE", "AD": "ADDRESS"}
MARK = re.compile(r"\{([A-Z]+)(?:#(\w+))?\|([^{}|]+)(?:\|([^{}|]*))?\}")
# `（以下简称永欣公司）` after a full name: the short form is an ORG mention of its own that stands for
# the full name (evaluate.py scores both ends of a relation by the entity's longest name)
SHORT_FORM = re.compile(r"[（(](?:以下简称|以下称|下称|简称)[:：]?[“\"]?([^（）()“”\"]{1,14}?)[”\"]?[）)]")
# how far before the bracket the full name may end (河南省内乡县石油销售公司破产（以下简称石油公司）)
SHORT_FORM_GAP = 4


def compact(text: str) -> str:
    import unicodedata
    return re.sub(r"[\s\-+]", "", unicodedata.normalize("NFKC", text)).upper()


def relation_attrs(name: str, pairs: list[str], mentions: list[dict[str, object]],
                   ids: dict[str, int]) -> dict[str, object]:
    """`amount=m1 date=d1` -> the normalized values of those mentions (money as a number of yuan)."""
    attrs: dict[str, object] = {}
    for pair in pairs:
        key, mention_id = pair.split("=", 1)
        expected = {"amount": "MONEY", "date": "DATE"}.get(key)
        if expected is None or mention_id not in ids:
            sys.exit(f"{name}: bad relation attribute {pair!r} (amount=<MONEY id> or date=<DATE id>)")
        mention = mentions[ids[mention_id]]
        if mention["type"] != expected:
            sys.exit(f"{name}: {pair!r} refers to a {mention['type']} mention, not {expected}")
        value = str(mention["normalized"])
        if key == "amount":
            number = float(value)
            attrs[key] = int(number) if number.is_integer() else number
        else:
            attrs[key] = value
    return attrs


def link_short_forms(text: str, mentions: list[dict[str, object]]) -> None:
    """Gives a defined short form, its full name and every other ORG mention of either text one
    `entity` id, so that a relation through the short form means the company it names."""
    orgs = [m for m in mentions if m["type"] == "ORG"]
    for number, match in enumerate(SHORT_FORM.finditer(text), 1):
        short = [m for m in orgs if (m["start"], m["end"]) == match.span(1)]
        before = [m for m in orgs if int(m["end"]) <= match.start() <= int(m["end"]) + SHORT_FORM_GAP]  # type: ignore[call-overload]
        if not short or not before:
            continue
        full = max(before, key=lambda m: int(m["end"]))  # type: ignore[call-overload]
        texts = {full["text"], short[0]["text"]}
        entity = next((m["entity"] for m in orgs if m["text"] in texts and m["entity"]), f"org{number}")
        for mention in orgs:
            if mention["text"] in texts:
                mention["entity"] = entity


def parse_document(header: str, body: list[str]) -> dict[str, object]:
    name, kind, encoding = header.split()
    text_lines = [line for line in body if not line.startswith("@ ")]
    relation_lines = [line for line in body if line.startswith("@ ")]
    marked = "\n".join(text_lines).strip("\n") + "\n"
    text_parts: list[str] = []
    mentions: list[dict[str, object]] = []
    ids: dict[str, int] = {}
    position = 0
    length = 0
    for match in MARK.finditer(marked):
        plain = marked[position:match.start()]
        text_parts.append(plain)
        length += len(plain)
        abbreviation, mention_id, mention_text, normalized = match.groups()
        mention_type = TYPES[abbreviation]
        if normalized is None:
            if mention_type in ("ID_NUMBER", "USCC", "BANK_ACCOUNT", "PHONE"):
                normalized = compact(mention_text)
                if mention_type == "PHONE" and normalized.startswith("86") and len(normalized) == 13:
                    normalized = normalized[2:]
            else:
                normalized = mention_text
        if mention_id:
            ids[mention_id] = len(mentions)
        mentions.append({"type": mention_type, "text": mention_text, "start": length,
                         "end": length + len(mention_text), "normalized": normalized or None, "valid": True,
                         "entity": None})
        text_parts.append(mention_text)
        length += len(mention_text)
        position = match.end()
    text_parts.append(marked[position:])
    text = "".join(text_parts)
    for mention in mentions:
        assert text[mention["start"]:mention["end"]] == mention["text"], (name, mention)  # type: ignore[misc]
    if "{" in text or "}" in text:
        sys.exit(f"{name}: unbalanced markup near {text[text.find('{'):][:30]!r}")
    relations = []
    for line in relation_lines:
        parts = line.split()[1:]
        relation_type, source, target = parts[:3]
        extras = [part for part in parts[3:] if "=" not in part]
        role = extras[0] if extras else None
        relation: dict[str, object] = {"type": relation_type, "from": ids[source], "to": ids[target], "role": role}
        attrs = relation_attrs(name, [part for part in parts[3:] if "=" in part], mentions, ids)
        if attrs:
            relation["attrs"] = attrs
        relations.append(relation)
    link_short_forms(text, mentions)
    own = mentions[ids["c"]]["text"] if "c" in ids else None
    cites = sorted({str(m["text"]) for m in mentions if m["type"] == "CASE_NUMBER" and m["text"] != own})
    return {"path": f"docs/{name}", "agency": None, "kind": kind, "format": "txt", "encoding": encoding,
            "case_number": own, "cites": cites, "text": text, "mentions": mentions, "relations": relations}


def main(here: Path = HERE) -> None:
    documents = []
    for source in sorted((here / "src").glob("*.txt")):
        header: str | None = None
        body: list[str] = []
        for line in source.read_text(encoding="utf-8").splitlines():
            if line.startswith("=== "):
                if header:
                    documents.append(parse_document(header, body))
                header, body = line[4:], []
            else:
                body.append(line)
        if header:
            documents.append(parse_document(header, body))
    (here / "docs").mkdir(exist_ok=True)
    for document in documents:
        encoding = str(document["encoding"])
        (here / str(document["path"])).write_bytes(str(document["text"]).encode(encoding))
    truth = {"seed": None, "scale": "gold", "generator_version": "hand-written", "agencies": [],
             "documents": documents, "persons": [], "organizations": [], "same_name_groups": [], "rings": [],
             "decoys": [], "ledgers": [], "invalid_identifiers": []}
    (here / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(documents)} documents, {sum(len(d['mentions']) for d in documents)} mentions, "  # type: ignore[arg-type]
          f"{sum(len(d['relations']) for d in documents)} relations")  # type: ignore[arg-type]


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
