"""Which files of the given paths are case files: one walker for `extract` and `ingest`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from casegraph.errors import NotFound
from casegraph.ingest.readers import SUPPORTED_SUFFIXES

# A generated corpus keeps its answer key beside the documents; it is not a case file.
NOT_CASE_FILES = frozenset({"truth.json"})


def iter_case_files(paths: Iterable[Path], missing_ok: bool = False) -> Iterator[Path]:
    """Files as given, and the supported files under each folder, in name order.

    A path that does not exist raises NotFound, unless `missing_ok`: then it is yielded as it is,
    so that a per-file report (`casegraph extract`) can give it its own error line.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES and child.name not in NOT_CASE_FILES:
                    yield child
        elif path.is_file() or missing_ok:
            yield path
        else:
            raise NotFound(f"{path}: no such file or folder")
