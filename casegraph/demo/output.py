"""Writes a planned corpus to disk: documents, ledgers, broken files and truth.json."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

from .generator import GENERATOR_VERSION, Corpus, Progress, tx_index
from .ledgers import LAYOUTS, statement_rows
from .render import render
from .truth import build_truth
from .writers import BROKEN_KINDS, write_broken, write_csv, write_docx, write_pdf, write_txt, write_xlsx


def write_corpus(out: Path, corpus: Corpus, progress: Progress) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(corpus.seed * 7919 + 1)
    entries: list[dict[str, Any]] = []
    sample_pdf, sample_text = b"", ""
    total = len(corpus.docs)
    for i, doc in enumerate(corpus.docs):
        entry, pages = render(doc, corpus.world, corpus.seed, i)
        path = out / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if doc.fmt == "txt":
            assert doc.encoding is not None
            write_txt(path, entry["text"], doc.encoding)
            sample_text = sample_text or entry["text"]
        elif doc.fmt == "docx":
            write_docx(path, entry["text"])
        else:
            write_pdf(path, pages)
            sample_pdf = sample_pdf or path.read_bytes()
        entries.append(entry)
        if i % 200 == 0 or i == total - 1:
            progress("documents", i + 1, total)

    ledger_entries: list[dict[str, Any]] = []
    index = tx_index(corpus)
    rows_total = 0
    for j, statement in enumerate(corpus.statements):
        path = out / statement.path
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = list(statement_rows(statement, index, rng))
        header = LAYOUTS[statement.layout]
        if statement.fmt == "csv":
            write_csv(path, header, rows, statement.encoding)
        else:
            write_xlsx(path, header, rows, f"{statement.bank}流水")
        rows_total += len(rows)
        ledger_entries.append({
            "path": statement.path, "bank": statement.bank, "layout": statement.layout,
            "rows": len(rows), "format": statement.fmt,
            "encoding": statement.encoding if statement.fmt == "csv" else None,
            "agency": statement.holder, "accounts": [a.number for a in statement.accounts],
        })
        if j % 50 == 0 or j == len(corpus.statements) - 1:
            progress("ledgers", j + 1, len(corpus.statements))

    broken: list[dict[str, Any]] = []
    for k in range(corpus.scale.broken_each):
        for kind in BROKEN_KINDS:
            agency = rng.choice(("cq-police", "sc-police", "cq-procuratorate", "sc-procuratorate",
                                 "cq-regulator", "sc-regulator"))
            ext = "pdf" if kind == "truncated_pdf" else "docx" if kind == "binary_junk" else "txt"
            rel = f"{agency}/broken_{kind}_{k + 1:02d}.{ext}"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            write_broken(out / rel, kind, rng, sample_pdf, sample_text or "空白文件")
            pretends = "judgment" if ext == "pdf" else "indictment"
            broken.append({"path": rel, "agency": agency, "kind": pretends,
                           "format": ext, "encoding": None, "case_number": None, "cites": [], "text": "",
                           "mentions": [], "relations": [], "broken": kind})

    truth = build_truth(corpus, entries, ledger_entries, broken)
    truth["generator_version"] = GENERATOR_VERSION
    progress("truth", 0, 1)
    # dumps, not dump: dump streams through the pure-Python encoder, several times slower.
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, separators=(",", ":")),
                                    encoding="utf-8")
    progress("truth", 1, 1)
    kinds: dict[str, int] = defaultdict(int)
    for e in entries:
        kinds[e["format"]] += 1
    return {
        "persons": len(corpus.world.persons), "organizations": len(corpus.world.orgs),
        "documents": len(entries) + len(broken), "ledgers": len(ledger_entries), "ledger_rows": rows_total,
        "rings": len(corpus.rings), "formats": dict(kinds),
    }
