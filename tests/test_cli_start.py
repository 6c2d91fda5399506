"""A CLI that starts at once (issue 24): `casegraph --help` imports none of the heavy libraries, and a
subcommand loads only its own module."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("spacy", "neo4j", "fastapi", "starlette", "uvicorn", "networkx", "reportlab", "pypinyin", "openpyxl",
         "pypdf", "docx", "jinja2")
PROBE = """
import sys
from casegraph.cli import app
try:
    app({args!r})
except SystemExit:
    pass
print("LOADED=" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


def _loaded(args: list[str]) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)], capture_output=True,
                         text=True, timeout=120).stdout
    line = next(line for line in out.splitlines() if line.startswith("LOADED="))
    return {name for name in line.removeprefix("LOADED=").split(",") if name}


def test_help_imports_no_heavy_library() -> None:
    assert _loaded(["--help"]) == set()
    assert _loaded(["--version"]) == set()


def test_a_subcommand_loads_only_what_it_needs() -> None:
    loaded = _loaded(["db", "--help"])
    assert "spacy" not in loaded and "fastapi" not in loaded and "reportlab" not in loaded
    assert "spacy" in _loaded(["extract", "--help"])  # its module is loaded when it is asked for
