"""How both ledger readers hold on hand-written statements in banks' own layouts.

For each folder (a `expected.json` beside the statements lists the transfers each file states), every
file is read by the ingest reader (`open_ledger`, as `casegraph ingest` streams it) and by the detection
reader (`from_ledgers`, as `casegraph detect rings --ledger` reads it); the folder is also read whole by
detection, where a transfer in two statements must count once. Prints, per folder and reader, the
transfers expected, found right, missed and extra, and the files that failed.

    PYTHONPATH=. python benchmarks/statement_layouts.py tests/fixtures/ledgers/styles tests/fixtures/ledgers/heldout

Run it with another checkout first on PYTHONPATH (e.g. main) to get the figures before a change.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

Transfer = tuple[str, str, float, str]


def _ingest(path: Path) -> set[Transfer]:
    from casegraph.ingest.readers.ledger_stream import open_ledger

    stream = open_ledger(path)
    return {(t.from_account, t.to_account, round(t.amount, 2), t.at[:10]) for batch in stream.batches()
            for t in batch if t.from_account and t.to_account}


def _detect(paths: list[Path]) -> list[Transfer]:
    from datetime import datetime, timedelta, timezone

    from casegraph.graph.projection import from_ledgers

    beijing = timezone(timedelta(hours=8))
    graph = from_ledgers(paths)
    return [(s.removeprefix("acct:"), d.removeprefix("acct:"), round(a["amount"], 2),
             datetime.fromtimestamp(a["at"], beijing).date().isoformat()) for s, d, a in graph.edges(data=True)]


def _score(folder: Path) -> list[str]:
    expected = {name: {tuple(t) for t in want} for name, want in
                json.loads((folder / "expected.json").read_text(encoding="utf-8"))["files"].items()}
    lines = []
    for reader in ("ingest", "detect"):
        want = right = extra = 0
        failed: list[str] = []
        for name, transfers in sorted(expected.items()):
            try:
                got = _ingest(folder / name) if reader == "ingest" else set(_detect([folder / name]))
            except Exception as exc:  # a reader that refuses the file scores nothing on it
                failed.append(f"{name} ({exc.__class__.__name__})")
                got = set()
            want += len(transfers)
            right += len(got & transfers)  # type: ignore[operator]
            extra += len(got - transfers)  # type: ignore[operator]
        lines.append(f"| {folder.name} | {reader} | {want} | {right} | {want - right} | {extra} | "
                     f"{', '.join(failed) or '-'} |")
    union = set().union(*expected.values())
    try:
        together = _detect([folder / n for n in sorted(expected)])
        counted = f"{len(set(together) & union)} of {len(union)}, {len(together) - len(set(together))} twice, " \
                  f"{len(set(together) - union)} extra"
    except Exception as exc:
        counted = f"failed ({exc.__class__.__name__})"
    lines.append(f"| {folder.name} | detect, folder whole | {len(union)} | {counted} | | | |")
    return lines


def main(folders: list[str]) -> None:
    import casegraph

    print(f"code: {Path(casegraph.__file__).parent}")
    print("| folder | reader | expected | right | missed | extra | files failed |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for folder in folders:
        for line in _score(Path(folder)):
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
