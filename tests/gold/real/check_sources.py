"""Checks the real-text gold set: every built docs/NNN.txt is the published text unchanged, and
every truth.json is consistent (mention text == text[start:end], relation ends exist, attrs typed).

The reference is the team's shared copy (`shared/realtexts/judgments/NNN.txt` beside the checkout)
when it exists, else the SHA-256 listed in SOURCE.md, so the check runs on any clone.

Run: python tests/gold/real/check_sources.py   (exit status 1 and one line per problem if any)
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
PARTS = ("dev", "test", "dev-holdout")
ROW = re.compile(r"^\| (\d{3}\.txt) \| (dev-holdout|dev|test) \|.*\| ([0-9a-f]{64}) \|$")
ROLES = {"defendant", "suspect", "victim", "witness", "lawyer", "judge", "juror", "prosecutor", "clerk",
         "representative"}


def listed_sources(here: Path = HERE) -> dict[str, tuple[str, str]]:
    """file name -> (part, SHA-256) from SOURCE.md."""
    rows: dict[str, tuple[str, str]] = {}
    for line in (here / "SOURCE.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3))
    return rows


def shared_judgments(here: Path = HERE) -> Path | None:
    for parent in here.resolve().parents:
        candidate = parent / "shared" / "realtexts" / "judgments"
        if candidate.is_dir():
            return candidate
    return None


def check_docs(part: str, here: Path = HERE) -> tuple[int, list[str]]:
    """(documents checked, problems) for the built texts of one part."""
    listed = listed_sources(here)
    shared = shared_judgments(here)
    problems: list[str] = []
    docs = sorted((here / part / "docs").glob("*.txt"))
    for doc in docs:
        data = doc.read_bytes()
        entry = listed.get(doc.name)
        if entry is None or entry[0] != part:
            problems.append(f"{part}/docs/{doc.name}: not listed for {part} in SOURCE.md")
            continue
        if hashlib.sha256(data).hexdigest() != entry[1]:
            problems.append(f"{part}/docs/{doc.name}: SHA-256 differs from SOURCE.md (text changed)")
        if shared is not None and (shared / doc.name).is_file() and (shared / doc.name).read_bytes() != data:
            problems.append(f"{part}/docs/{doc.name}: differs from {shared.name}/{doc.name}")
    return len(docs), problems


def check_truth(part: str, here: Path = HERE) -> tuple[int, list[str]]:
    """(documents in truth.json, problems): offsets, relation ends, roles, attrs, built texts."""
    path = here / part / "truth.json"
    if not path.is_file():
        return 0, []
    documents = json.loads(path.read_text(encoding="utf-8"))["documents"]
    problems: list[str] = []
    for document in documents:
        name = f"{part}/{document['path']}"
        text = document["text"]
        built = here / part / document["path"]
        if not built.is_file() or built.read_text(encoding="utf-8") != text:
            problems.append(f"{name}: truth.json text differs from the built file (rebuild)")
        mentions = document["mentions"]
        for mention in mentions:
            if text[mention["start"]:mention["end"]] != mention["text"]:
                problems.append(f"{name}: mention {mention['text']!r} not at {mention['start']}")
        for relation in document["relations"]:
            ends = (relation["from"], relation["to"])
            if not all(isinstance(end, int) and 0 <= end < len(mentions) for end in ends):
                problems.append(f"{name}: relation {relation} refers to no mention")
                continue
            if relation["type"] == "ROLE_IN" and relation["role"] not in ROLES:
                problems.append(f"{name}: unknown role {relation['role']!r}")
            for key, value in relation.get("attrs", {}).items():
                if key == "amount" and not isinstance(value, int | float):
                    problems.append(f"{name}: amount {value!r} is not a number")
                if key == "date" and not re.fullmatch(r"\d{4}(-(\d{2}|XX)(-(\d{2}|XX))?)?", str(value)):
                    problems.append(f"{name}: date {value!r} is not ISO")
    return len(documents), problems


def main(here: Path = HERE) -> int:
    problems: list[str] = []
    for part in PARTS:
        docs, doc_problems = check_docs(part, here)
        truth, truth_problems = check_truth(part, here)
        problems += doc_problems + truth_problems
        print(f"{part}: {docs} texts, {truth} annotated documents")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
