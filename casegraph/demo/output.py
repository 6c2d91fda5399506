"""Writes a planned corpus to disk: documents, ledgers, broken files and truth.json."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .flows import Tx
from .generator import GENERATOR_VERSION, Corpus, Progress, tx_index
from .ledgers import LAYOUTS, statement_rows
from .render import render
from .truth import build_truth
from .writers import BROKEN_KINDS, write_broken, write_csv, write_docx, write_pdf, write_txt, write_xlsx

# The corpus being written, set before worker processes fork so that they inherit it
# instead of receiving it pickled.
_CORPUS: Corpus | None = None
_INDEX: dict[str, list[Tx]] = {}
_OUT: Path = Path()


def _write_doc(i: int) -> dict[str, Any]:
    assert _CORPUS is not None
    doc = _CORPUS.docs[i]
    entry, pages = render(doc, _CORPUS.world, _CORPUS.seed, i)
    path = _OUT / doc.path
    path.parent.mkdir(parents=True, exist_ok=True)
    if doc.fmt == "txt":
        assert doc.encoding is not None
        write_txt(path, entry["text"], doc.encoding)
    elif doc.fmt == "docx":
        write_docx(path, entry["text"])
    else:
        write_pdf(path, pages)
    return entry


def _write_statement(j: int) -> dict[str, Any]:
    assert _CORPUS is not None
    statement = _CORPUS.statements[j]
    path = _OUT / statement.path
    path.parent.mkdir(parents=True, exist_ok=True)
    # One generator per file, so the bytes do not depend on how files are spread over workers.
    rng = random.Random(f"{_CORPUS.seed}:ledger:{j}")
    rows = list(statement_rows(statement, _INDEX, rng))
    header = LAYOUTS[statement.layout]
    if statement.fmt == "csv":
        write_csv(path, header, rows, statement.encoding)
    else:
        write_xlsx(path, header, rows, f"{statement.bank}流水")
    return {
        "path": statement.path, "bank": statement.bank, "layout": statement.layout,
        "rows": len(rows), "format": statement.fmt,
        "encoding": statement.encoding if statement.fmt == "csv" else None,
        "agency": statement.holder, "accounts": [a.number for a in statement.accounts],
    }


def _run(stage: str, task: Callable[[int], dict[str, Any]], count: int, workers: int,
         progress: Progress) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    step = max(1, count // 100)
    if workers <= 1:
        for i in range(count):
            results.append(task(i))
            if i % step == 0 or i == count - 1:
                progress(stage, i + 1, count)
        return results
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for i, result in enumerate(pool.imap(task, range(count), chunksize=max(1, min(64, count // 64)))):
            results.append(result)
            if i % step == 0 or i == count - 1:
                progress(stage, i + 1, count)
    return results


def write_corpus(out: Path, corpus: Corpus, progress: Progress, workers: int | None = None) -> dict[str, Any]:
    """Write every file, optionally in `workers` forked processes; the bytes are the same
    whichever the number. The default is one process: on the shared 2-core machine two
    workers measured slower (pickling the truth entries back costs more than it saves)."""
    global _CORPUS, _INDEX, _OUT
    out.mkdir(parents=True, exist_ok=True)
    if workers is None:
        workers = 1
    workers = max(1, min(workers, os.cpu_count() or 1))
    if "fork" not in multiprocessing.get_all_start_methods():
        workers = 1
    corpus.world.frozen = True
    _CORPUS, _INDEX, _OUT = corpus, tx_index(corpus), out
    try:
        entries = _run("documents", _write_doc, len(corpus.docs), workers, progress)
        ledger_entries = _run("ledgers", _write_statement, len(corpus.statements), workers, progress)
    finally:
        _CORPUS, _INDEX = None, {}
    rows_total = sum(e["rows"] for e in ledger_entries)
    rng = random.Random(corpus.seed * 7919 + 1)
    first_pdf = next((d for d in corpus.docs if d.fmt == "pdf"), None)
    sample_pdf = (out / first_pdf.path).read_bytes() if first_pdf else b"%PDF-1.4"
    sample_text = next((e["text"] for e in entries if e["format"] == "txt"), "")

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
