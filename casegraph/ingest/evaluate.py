"""Extraction evaluation against a truth file (the generator's truth.json or the hand-written gold set).

Each document is read from its path relative to the truth file's folder and extracted as ingest
would. Entities are scored by exact span (type, start, end) and, leniently, by type and value
(the normalised value, else the text) as a multiset per document. Relations are scored per
document as sets of (type, source value, target value, role), a mention's value being its type
and canonical value: a relation found through another mention of the same person counts, as
it means the same fact. For the same reason an organisation's defined short form (以下简称鑫达公司)
stands for its full name at both ends of a relation: in the truth through the mentions' shared
`entity` id (or, where a hand-annotated truth gives none, the definition written in its text:
X公司（以下简称鑫达公司）), in the extraction through the short form's `full_name` attribute.

The same relations are also scored by span (`by span`: each end is the exact (type, start, end)
of the mention the relation points at; ROLE_IN's target is the document's own case), which
rewards pointing at the annotated occurrence. CO_DEFENDANT is unordered in both. Roles are scored
apart from the case number a document's ROLE_IN points at, as (party value, role) per document,
so that a missed own case number does not hide whether each person's role was read. TRANSFERRED_TO
is also scored with its amount and date where the truth gives them (`attrs` of the gold set).

Alignment: where the reader's text differs from the truth text (docx and pdf whitespace), the
two are aligned on their non-whitespace characters, which must be identical; if they are not,
each truth mention is looked up by its exact text, in order, from the previous match onward, and
one that cannot be found is a miss.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path
from typing import Any

from casegraph.errors import CasegraphError, UnreadableFile
from casegraph.i18n import gettext
from casegraph.ingest.components.case_numbers import canonical_case_number
from casegraph.ingest.extract import extract_file
from casegraph.ingest.normalize import normalise
from casegraph.ingest.values import decimal_text
from casegraph.model import ENTITY_TYPES, RELATION_TYPES, ExtractedDocument


@dataclass(slots=True)
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: Counter[Any], found: Counter[Any]) -> None:
        both = gold & found
        self.tp += sum(both.values())
        self.fn += sum((gold - both).values())
        self.fp += sum((found - both).values())


@dataclass(slots=True)
class Report:
    entities: dict[str, Score] = field(default_factory=dict)
    lenient: dict[str, Score] = field(default_factory=dict)
    relations: dict[str, Score] = field(default_factory=dict)
    relations_by_span: dict[str, Score] = field(default_factory=dict)
    transfers_with_attrs: Score = field(default_factory=Score)
    roles: dict[str, Score] = field(default_factory=dict)
    roles_out_of_scope: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    broken_expected: int = 0
    broken_refused: int = 0
    unexpected_errors: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def micro(self, table: dict[str, Score], without: tuple[str, ...] = ()) -> Score:
        total = Score()
        for name, score in table.items():
            if name in without:
                continue
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total


def _canon(mention_type: str, value: str | None, text: str) -> str:
    raw = value if value not in (None, "") else text
    folded = normalise(str(raw)).text.replace(" ", "")
    if mention_type == "MONEY":
        try:  # 350000 and 350000.00 are one amount
            return decimal_text(Decimal(folded))
        except InvalidOperation:
            return folded
    return canonical_case_number(folded) if mention_type == "CASE_NUMBER" else folded


def _align(truth_text: str, read_text: str) -> dict[int, int] | None:
    """Truth offset -> read offset for every non-whitespace character, when both agree on them."""
    truth_chars = [(i, c) for i, c in enumerate(truth_text) if not c.isspace()]
    read_chars = [(i, c) for i, c in enumerate(read_text) if not c.isspace()]
    if [c for _, c in truth_chars] != [c for _, c in read_chars]:
        return None
    return {t: r for (t, _), (r, _) in zip(truth_chars, read_chars, strict=True)}


def _gold_spans(entry: dict[str, Any], read_text: str) -> list[tuple[str, int, int] | None]:
    truth_text: str = entry["text"]
    mentions: list[dict[str, Any]] = entry.get("mentions", [])
    if truth_text == read_text:
        return [(m["type"], m["start"], m["end"]) for m in mentions]
    mapping = _align(truth_text, read_text)
    spans: list[tuple[str, int, int] | None] = []
    if mapping is not None:
        for m in mentions:
            inner = [mapping[i] for i in range(m["start"], m["end"]) if i in mapping]
            spans.append((m["type"], inner[0], inner[-1] + 1) if inner else None)
        return spans
    cursor = 0
    for m in sorted(mentions, key=lambda m: m["start"]):
        at = read_text.find(m["text"], cursor)
        spans.append((m["type"], at, at + len(m["text"])) if at >= 0 else None)
        cursor = at if at >= 0 else cursor
    order = sorted(range(len(mentions)), key=lambda i: mentions[i]["start"])
    restored: list[tuple[str, int, int] | None] = [None] * len(mentions)
    for position, index in enumerate(order):
        restored[index] = spans[position]
    return restored


_SHORT_FORM = re.compile(r"[（(](?:以下简称|以下称|下称|简称)[:：]?[“\"]?")


def _defined_short_forms(entry: dict[str, Any]) -> dict[str, str]:
    """Short form -> full name, for the ORG mentions a truth without entity ids defines in its text."""
    text: str = entry.get("text", "")
    mentions = entry.get("mentions", [])
    names: dict[str, str] = {}
    for full, short in pairwise(sorted(mentions, key=lambda m: m["start"])):
        if full["type"] == short["type"] == "ORG" and not full.get("entity") \
                and _SHORT_FORM.fullmatch(text, full["end"], short["start"]):
            names[short["text"]] = full["text"]
    return names


RelationRow = tuple[str, int, int, "str | None", "dict[str, Any]"]
OWN_CASE = ("CASE_NUMBER", "<own>")


def _relation_keys(relations: list[RelationRow], keys: list[Any], own: Any,
                   with_attrs: bool = False) -> Counter[Any]:
    """(type, source key, target key, role) per relation, as a set; CO_DEFENDANT's ends unordered.
    `with_attrs` adds TRANSFERRED_TO's (amount, date)."""
    found: set[Any] = set()
    for kind, source, target, role, attrs in relations:
        if not 0 <= source < len(keys):
            continue
        target_key = own if kind == "ROLE_IN" and own is OWN_CASE else \
            keys[target] if 0 <= target < len(keys) else own
        source_key = keys[source]
        if kind == "CO_DEFENDANT":
            source_key, target_key = sorted((source_key, target_key), key=repr)
        key: tuple[Any, ...] = (kind, source_key, target_key, role if kind == "ROLE_IN" else None)
        if with_attrs:
            if kind != "TRANSFERRED_TO":
                continue
            key += (_canon("MONEY", attrs.get("amount"), "") if attrs.get("amount") else None,
                    _canon("DATE", attrs.get("date") or attrs.get("at"), "")
                    if attrs.get("date") or attrs.get("at") else None)
        found.add(key)
    return Counter(found)


def _roles(relations: list[RelationRow], keys: list[Any]) -> Counter[Any]:
    return Counter({(keys[source], role) for kind, source, _, role, _ in relations
                    if kind == "ROLE_IN" and 0 <= source < len(keys)})


def score_document(entry: dict[str, Any], document: ExtractedDocument, report: Report,
                   roles_in_scope: frozenset[str] | None = None) -> None:
    """Adds one document's counts to `report`. A found ROLE_IN whose role is not in `roles_in_scope`
    (the roles the truth file annotates at all) is left out and counted apart: a truth file written
    before officials' roles were read (the generated corpus has no judge) cannot say whether one is
    right."""
    gold_spans = _gold_spans(entry, document.text)
    mentions = entry.get("mentions", [])
    found_spans = Counter((m.type, m.start, m.end) for m in document.entities)
    for entity_type in ENTITY_TYPES:
        gold = Counter(s for s in gold_spans if s and s[0] == entity_type)
        gold_missing = sum(1 for s, m in zip(gold_spans, mentions, strict=True) if s is None
                           and m["type"] == entity_type)
        found = Counter({k: v for k, v in found_spans.items() if k[0] == entity_type})
        score = report.entities.setdefault(entity_type, Score())
        score.add(gold, found)
        score.fn += gold_missing
        for span in gold - found:
            report.misses.append(f"{entry['path']}: missed {entity_type} {document.text[span[1]:span[2]]!r}")
        for span in found - gold:
            report.misses.append(f"{entry['path']}: spurious {entity_type} {document.text[span[1]:span[2]]!r}")
        lenient_gold = Counter(_canon(m["type"], m.get("normalized"), m["text"]) for m in mentions
                               if m["type"] == entity_type)
        lenient_found = Counter(_canon(m.type, m.normalized, m.text) for m in document.entities
                                if m.type == entity_type)
        report.lenient.setdefault(entity_type, Score()).add(lenient_gold, lenient_found)
    full_names: dict[str, str] = {}
    for m in mentions:
        if m["type"] == "ORG" and m.get("entity") and len(m["text"]) > len(full_names.get(m["entity"], "")):
            full_names[m["entity"]] = m["text"]
    defined = _defined_short_forms(entry)
    gold_keys = [(m["type"], _canon(m["type"], full_names.get(m.get("entity") or "") if m["type"] == "ORG"
                                    and m.get("entity") else defined.get(m["text"], m.get("normalized"))
                                    if m["type"] == "ORG" else m.get("normalized"), m["text"]))
                 for m in mentions]
    found_keys = [(m.type, _canon(m.type, m.attrs.get("full_name") or m.normalized, m.text)) for m in document.entities]
    own_gold = ("CASE_NUMBER", _canon("CASE_NUMBER", entry.get("case_number"), "")) if entry.get("case_number") else None
    own_found = ("CASE_NUMBER", _canon("CASE_NUMBER", document.case_number, "")) if document.case_number else None
    gold_rows: list[RelationRow] = [(r["type"], r["from"], r["to"], r.get("role"), r.get("attrs") or {})
                                    for r in entry.get("relations", [])]
    found_rows: list[RelationRow] = []
    for r in document.relations:
        if r.type == "ROLE_IN" and roles_in_scope is not None and r.role not in roles_in_scope:
            report.roles_out_of_scope[str(r.role)] = report.roles_out_of_scope.get(str(r.role), 0) + 1
            continue
        found_rows.append((r.type, r.source, r.target, r.role, r.attrs))
    gold_rel = _relation_keys(gold_rows, gold_keys, own_gold)
    found_rel = _relation_keys(found_rows, found_keys, own_found)
    gold_by_span = _relation_keys(gold_rows, gold_spans, OWN_CASE)
    found_by_span = _relation_keys(found_rows, [(m.type, m.start, m.end) for m in document.entities], OWN_CASE)
    for relation_type in RELATION_TYPES:
        gold = Counter({k: v for k, v in gold_rel.items() if k[0] == relation_type})
        found = Counter({k: v for k, v in found_rel.items() if k[0] == relation_type})
        report.relations.setdefault(relation_type, Score()).add(gold, found)
        report.relations_by_span.setdefault(relation_type, Score()).add(
            Counter({k: v for k, v in gold_by_span.items() if k[0] == relation_type}),
            Counter({k: v for k, v in found_by_span.items() if k[0] == relation_type}))
        for key in gold - found:
            report.misses.append(f"{entry['path']}: missed {key}")
        for key in found - gold:
            report.misses.append(f"{entry['path']}: spurious {key}")
    if any(row[4] for row in gold_rows if row[0] == "TRANSFERRED_TO"):
        report.transfers_with_attrs.add(_relation_keys(gold_rows, gold_keys, own_gold, with_attrs=True),
                                        _relation_keys(found_rows, found_keys, own_found, with_attrs=True))
    gold_roles, found_roles = _roles(gold_rows, gold_keys), _roles(found_rows, found_keys)
    for role in {role for _, role in gold_roles} | {role for _, role in found_roles}:
        report.roles.setdefault(str(role), Score()).add(Counter({k: 1 for k in gold_roles if k[1] == role}),
                                                        Counter({k: 1 for k in found_roles if k[1] == role}))


def evaluate(truth_path: Path) -> Report:
    """Score extraction over every text document of a truth file; ledgers and broken files are
    checked for being handled (a broken file must be refused with UnreadableFile)."""
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CasegraphError(f"{truth_path}: cannot read truth file ({exc})") from exc
    if not isinstance(truth, dict) or not isinstance(truth.get("documents"), list):
        raise CasegraphError(f"{truth_path}: not a truth file (no \"documents\" list)")
    folder = truth_path.parent
    report = Report()
    scope = frozenset(str(r.get("role")) for entry in truth["documents"] for r in entry.get("relations", [])
                      if r.get("type") == "ROLE_IN")
    for entry in truth["documents"]:
        path = folder / entry["path"]
        if entry.get("broken"):
            report.broken_expected += 1
            try:
                extract_file(path)
            except UnreadableFile:
                report.broken_refused += 1
            except Exception as exc:  # a crash on a broken file is what this check exists to catch
                report.unexpected_errors.append(f"{path}: crashed on a broken file: {exc!r}")
            else:
                report.unexpected_errors.append(f"{path}: broken file ({entry['broken']}) was accepted")
            continue
        if entry.get("kind") == "ledger" or "text" not in entry:
            continue
        try:
            document = extract_file(path)
        except UnreadableFile as exc:
            report.unexpected_errors.append(str(exc))
            continue
        report.documents += 1
        score_document(entry, document, report, scope)
    return report


NAME_WIDTH = 27


def format_report(report: Report) -> str:
    lines = [gettext("documents scored: {n}; broken files refused: {refused}/{expected}").format(
        n=report.documents, refused=report.broken_refused, expected=report.broken_expected)]
    lines += [gettext("unreadable (unexpected): {error}").format(error=error) for error in report.unexpected_errors]
    header = f"{gettext('type'):<{NAME_WIDTH}}{gettext('gold'):>6}{gettext('found'):>7}{'P':>8}{'R':>8}{'F1':>8}"
    lenient_f1 = gettext("lenientF1")
    lines += ["", gettext("entities (exact span; lenient = type + normalised value)"), f"{header}  {lenient_f1}"]
    for name, score in report.entities.items():
        if score.tp + score.fn + score.fp == 0:
            continue
        lenient = report.lenient.get(name, Score())
        lines.append(_row(name, score) + f"{lenient.f1:>11.3f}")
    lines.append(_row("(micro)", report.micro(report.entities)) + f"{report.micro(report.lenient).f1:>11.3f}")
    lines += ["", gettext("relations (type + values of both ends + role; by span = the exact mentions pointed at)"),
              f"{header}  {gettext('bySpanF1')}"]
    for name, score in report.relations.items():
        if score.tp + score.fn + score.fp == 0:
            continue
        lines.append(_row(name, score) + f"{report.relations_by_span.get(name, Score()).f1:>10.3f}")
    for name, without in (("(micro)", ()), ("(no ROLE_IN)", ("ROLE_IN",))):
        lines.append(_row(name, report.micro(report.relations, without))
                     + f"{report.micro(report.relations_by_span, without).f1:>10.3f}")
    transfers = report.transfers_with_attrs
    if transfers.tp + transfers.fn + transfers.fp:
        lines.append(_row("TRANSFERRED_TO+amount/date", transfers))
    if report.roles:
        lines += ["", gettext("roles (party value + role in the document's case)"), header]
        lines += [_row(name, score) for name, score in sorted(report.roles.items())]
        lines.append(_row("roles", report.micro(report.roles)))
    if report.roles_out_of_scope:
        lines.append(gettext("not scored (roles this truth file never annotates): {roles}").format(
            roles=", ".join(f"{role} {n}" for role, n in sorted(report.roles_out_of_scope.items()))))
    return "\n".join(lines)


def _row(name: str, score: Score) -> str:
    return (f"{name:<{NAME_WIDTH}}{score.tp + score.fn:>6}{score.tp + score.fp:>7}{score.precision:>8.3f}"
            f"{score.recall:>8.3f}{score.f1:>8.3f}")
