"""`casegraph eval resolution`: pairwise precision and recall of person and company identity against a
generated corpus' truth.json.

Extraction is imperfect, so the evaluation runs on the truth mentions that extraction found: a
truth PERSON/ORG mention aligns with the extracted mention of the same type in the same document
whose span overlaps it most. Two aligned mentions form a pair when the truth gives them one
`entity`; resolution got the pair right when both landed on one node. Same-name different people
(`same_name_groups`) are kept apart when no node holds mentions of two of them.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from neo4j import Driver

from casegraph.errors import InvalidInput
from casegraph.graph.queries import cypher
from casegraph.i18n import N_, gettext
from casegraph.ingest.resolution.document import document_key
from casegraph.ingest.resolution.misses import AlignedMention, truth_mention_facts

TYPES = ("PERSON", "ORG")


@dataclass
class PairScore:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0


@dataclass
class ResolutionEvaluation:
    scores: dict[str, PairScore] = field(default_factory=dict)
    aligned: dict[str, int] = field(default_factory=dict)
    not_extracted: dict[str, int] = field(default_factory=dict)
    documents_missing: int = 0
    same_name_pairs: int = 0
    same_name_kept_apart: int = 0
    same_name_merged: list[tuple[str, str]] = field(default_factory=list)
    # The same pairs scored as if investigators confirmed every open POSSIBLY_SAME_AS candidate.
    after_review: dict[str, PairScore] = field(default_factory=dict)
    person_mentions: list[AlignedMention] = field(default_factory=list)  # for `--misses`


def load_truth(path: Path) -> dict[str, Any]:
    try:
        truth = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"{path}: not a readable truth.json ({exc})") from exc
    if not isinstance(truth, dict) or "documents" not in truth:
        raise InvalidInput(f"{path}: no 'documents' in this truth file")
    return truth


def _pair_score(assignments: list[tuple[str, str]]) -> PairScore:
    """assignments: (truth entity, node) per aligned mention."""
    by_both: dict[tuple[str, str], int] = defaultdict(int)
    by_entity: dict[str, int] = defaultdict(int)
    by_node: dict[str, int] = defaultdict(int)
    for entity, node in assignments:
        by_both[(entity, node)] += 1
        by_entity[entity] += 1
        by_node[node] += 1

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in by_both.values())
    return PairScore(tp, sum(pairs(n) for n in by_node.values()) - tp, sum(pairs(n) for n in by_entity.values()) - tp)


def open_candidates(driver: Driver, database: str) -> list[tuple[str, str, list[str]]]:
    """(a, b, reasons) of every open candidate."""
    records, _, _ = driver.execute_query(cypher("open_candidate_pairs"), database_=database)
    return [(r["a"], r["b"], list(r["reasons"])) for r in records]


def open_candidate_pairs(driver: Driver, database: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b, _ in open_candidates(driver, database)]


def candidate_components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """node key -> a representative of the nodes the given candidate pairs tie it to."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in pairs:
        parent[find(a)] = find(b)
    return {key: find(key) for key in list(parent)}


def score_joined(assignments: list[tuple[str, str]], joined: dict[str, str]) -> PairScore:
    """The pairwise score if the nodes in `joined` were merged with their representatives."""
    return _pair_score([(e, joined.get(n, n)) for e, n in assignments])


def evaluate_resolution(driver: Driver, database: str, truth_path: Path) -> ResolutionEvaluation:
    truth = load_truth(truth_path)
    corpus = truth_path.parent
    result = ResolutionEvaluation()
    docs: dict[str, dict[str, Any]] = {}
    for doc in truth["documents"]:
        if doc.get("broken") or doc.get("kind") == "ledger" or not doc.get("mentions"):
            continue
        file = corpus / doc["path"]
        if not file.is_file():
            result.documents_missing += 1
            continue
        docs[document_key(hashlib.sha256(file.read_bytes()).hexdigest())] = doc
    records, _, _ = driver.execute_query(cypher("document_entity_mentions"), keys=list(docs), database_=database)
    found: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for r in records:
        found[(r["document"], r["type"])].append((r["start"], r["end"], r["node"]))
    assignments: dict[str, list[tuple[str, str]]] = {t: [] for t in TYPES}
    result.aligned = dict.fromkeys(TYPES, 0)
    result.not_extracted = dict.fromkeys(TYPES, 0)
    entity_nodes: dict[str, set[str]] = defaultdict(set)
    for key, doc in docs.items():
        for mention in doc["mentions"]:
            kind = mention["type"]
            if kind not in TYPES or not mention.get("entity"):
                continue
            best, overlap = None, 0
            for start, end, node in found.get((key, kind), []):
                common = min(end, mention["end"]) - max(start, mention["start"])
                if common > overlap:
                    best, overlap = node, common
            if best is None:
                result.not_extracted[kind] += 1
                continue
            result.aligned[kind] += 1
            assignments[kind].append((mention["entity"], best))
            entity_nodes[mention["entity"]].add(best)
            if kind == "PERSON":
                matter, official, where = truth_mention_facts(doc, mention)
                result.person_mentions.append(AlignedMention(mention["entity"], best, key, matter, official, where))
    result.scores = {kind: _pair_score(assignments[kind]) for kind in TYPES}
    joined = candidate_components(open_candidate_pairs(driver, database))
    result.after_review = {kind: score_joined(assignments[kind], joined) for kind in TYPES}
    for group in truth.get("same_name_groups", []):
        for a, b in combinations(group, 2):
            if not entity_nodes.get(a) or not entity_nodes.get(b):
                continue
            result.same_name_pairs += 1
            if entity_nodes[a] & entity_nodes[b]:
                result.same_name_merged.append((a, b))
            else:
                result.same_name_kept_apart += 1
    return result


# Kinds of open candidate an investigator might be told to confirm wholesale, for the what-if figures.
CANDIDATE_KINDS: dict[str, tuple[str, ...]] = {
    N_("same name + held account"): ("same_name", "shared:acct:"),
    N_("same name + phone"): ("same_name", "shared:phone:"),
    N_("officials of one region"): ("officials_of_one_region",),
}


def _of_kind(reasons: list[str], marks: tuple[str, ...]) -> bool:
    return all(any(r == m or (m.endswith(":") and r.startswith(m)) for r in reasons) for m in marks)


def what_if_confirmed(mentions: list[AlignedMention], candidates: list[tuple[str, str, list[str]]]) -> list[str]:
    """PERSON precision/recall if the open candidates of one kind were all confirmed, kind by kind."""
    assignments = [(m.entity, m.node) for m in mentions]
    lines = [gettext("PERSON if the open candidates of one kind were all confirmed:")]
    for label, marks in CANDIDATE_KINDS.items():
        chosen = [(a, b) for a, b, reasons in candidates if _of_kind(reasons, marks)]
        score = score_joined(assignments, candidate_components(chosen))
        lines.append("  " + gettext("{label} {n} candidates: precision {p}, recall {r} (FP {fp})").format(
            label=gettext(label), n=f"{len(chosen):>5}", p=f"{score.precision:.4f}", r=f"{score.recall:.4f}",
            fp=score.false_positive))
    return lines


def format_evaluation(result: ResolutionEvaluation) -> str:
    # Headings translated one by one (the figures keep their columns; a CJK heading is two columns wide).
    lines = ["  ".join(gettext(h) for h in (N_("type"), N_("precision"), N_("recall"), N_("pairs TP"), "FP", "FN",
                                             N_("aligned"), N_("not extracted")))]
    for kind, score in result.scores.items():
        lines.append(f"{kind:<8}{score.precision:>10.4f}{score.recall:>9.4f}{score.true_positive:>10}"
                     f"{score.false_positive:>7}{score.false_negative:>7}{result.aligned[kind]:>9}"
                     f"{result.not_extracted[kind]:>15}")
    for kind, score in result.after_review.items():
        lines.append(gettext("{kind} if every open candidate were confirmed: precision {p}, recall {r}").format(
            kind=kind, p=f"{score.precision:.4f}", r=f"{score.recall:.4f}"))
    lines.append(gettext("same-name different people: {kept}/{pairs} pairs kept apart").format(
        kept=result.same_name_kept_apart, pairs=result.same_name_pairs))
    for a, b in result.same_name_merged:
        lines.append("  " + gettext("merged: {a} and {b}").format(a=a, b=b))
    if result.documents_missing:
        lines.append(gettext("documents of the truth missing from the corpus folder: {n}").format(
            n=result.documents_missing))
    return "\n".join(lines)
