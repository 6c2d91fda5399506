"""Every message id casegraph shows a user, found in the code; `python -m casegraph.i18n.collect` adds the
new ones to the Chinese .po file (untranslated) and compiles the .mo with Babel.

Sources: the CLI's help tree, click's and Typer's own words, the texts errors are raised with
(`NotFound(f"no entity {key}")` gives the template `no entity {key}`), error bodies written in the
API, and literal arguments of `gettext`/`translate`/`_`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import casegraph
from casegraph.i18n import LOCALE_DIR

PACKAGE_DIR = Path(casegraph.__file__).parent
PO_FILE = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "casegraph.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# Exceptions whose message a user reads: casegraph's own, HTTP errors, and the ValueErrors the CLI shows.
ERROR_ROOTS = {"CasegraphError", "HTTPException", "StarletteHTTPException", "LedgerError", "TruthError",
               "ProjectionError", "BadParameter"}
CATALOGUE_CALLS = {"_", "N_", "gettext", "translate", "tr"}
# The errors Typer's parser reports most, as templates (its texts are English literals).
TYPER_ERROR_TEMPLATES = (
    "Missing option {name}.", "Missing argument {name}.", "Missing parameter: {name}",
    "No such command {name}.", "No such option: {name}", "No such option: {name} Did you mean {other}?",
    "Invalid value for {param}: {reason}", "Invalid value: {reason}", "Got unexpected extra argument ({value})",
    "Got unexpected extra arguments ({value})", "Got unexpected extra argument(s) ({value})",
    "Option {name} requires an argument.",
    "{value} is not a valid integer.", "{value} is not a valid float.",
    "{value} is not one of {choices}.", "{value} is not in the range {range}.",
    "Path {path} does not exist.", "File {path} does not exist.", "Directory {path} does not exist.",
    "path {path} does not exist.", "file {path} does not exist.", "directory {path} does not exist.",
)


def template(node: ast.expr) -> str | None:
    """The msgid of a message expression: a literal, or an f-string with its values as named placeholders."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if not isinstance(node, ast.JoinedStr):
        return None
    out, n = [], 0
    for part in node.values:
        if isinstance(part, ast.Constant):
            out.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            continue
        assert isinstance(part, ast.FormattedValue)
        value = part.value
        name = value.id if isinstance(value, ast.Name) else value.attr if isinstance(value, ast.Attribute) else f"v{n}"
        n += 1
        out.append("{" + name + "}")
    return "".join(out)


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """Names of the exception classes descending from an error root (to a fixed point)."""
    names = set(ERROR_ROOTS)
    names |= {"ConfigError", "DatabaseUnavailable", "UnreadableFile", "NotFound", "InvalidInput", "Unauthorized",
              "Forbidden", "Conflict", "RateLimited"}
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                        isinstance(b, ast.Name) and b.id in names for b in node.bases):
                    names.add(node.name)
                    changed = True
    return names


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def source_messages(package_dir: Path = PACKAGE_DIR) -> Iterator[tuple[str, str]]:
    """(msgid, where) for each user-facing literal message in the package's code."""
    files = sorted(package_dir.rglob("*.py"))
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in files]
    errors = _error_classes(trees)
    for path, tree in zip(files, trees, strict=True):
        where = str(path.relative_to(package_dir.parent))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            candidates: list[ast.expr] = []
            if name in errors or name == "BadParameter":
                candidates = list(node.args) + [k.value for k in node.keywords if k.arg in ("detail", "message")]
            elif name in ("error_body", "error_json"):
                candidates = node.args[1:2]
            elif name in ("Finding", "_finding") and node.args:
                candidates = node.args[-1:]  # a finding's detail: shown in bundles' typology explanations
            elif name in CATALOGUE_CALLS:
                candidates = node.args[:1]
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "__init__" and node.args:
                candidates = node.args[:1]  # super().__init__(f"…") inside an error class
            for arg in candidates:
                msgid = template(arg)
                if msgid and any(c.isalpha() for c in msgid):
                    yield msgid, f"{where}:{node.lineno}"


def all_messages() -> dict[str, str]:
    """msgid → where it is used (first site), over the CLI tree, click/Typer and the package's code."""
    import typer.main

    from casegraph.cli import app
    from casegraph.i18n.cli_help import _ORIGINALS as typer_words
    from casegraph.i18n.cli_help import TYPER_RICH_CONSTANTS, help_messages

    found: dict[str, str] = {}
    for msgid in help_messages(typer.main.get_command(app)):
        found.setdefault(msgid, "cli help")
    import typer.rich_utils

    for constant in TYPER_RICH_CONSTANTS:
        found.setdefault(typer_words.get(constant, getattr(typer.rich_utils, constant)), "typer")
    for msgid in TYPER_ERROR_TEMPLATES:
        found.setdefault(msgid, "typer errors")
    for msgid, where in source_messages():
        found.setdefault(msgid, where)
    return found


def update_catalogue() -> tuple[int, int]:
    """Add new msgids to the .po (empty translation), compile the .mo; returns (added, untranslated)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    if PO_FILE.exists():
        with PO_FILE.open("rb") as f:
            catalog = read_po(f, locale="zh_CN", domain="casegraph")
    else:
        catalog = Catalog(locale="zh_CN", domain="casegraph", project="casegraph")
    added = 0
    for msgid, where in all_messages().items():
        if msgid not in catalog:
            catalog.add(msgid, "", auto_comments=[where])
            added += 1
    with PO_FILE.open("wb") as f:
        write_po(f, catalog, width=0, sort_output=False, omit_header=False)
    compile_catalogue()
    return added, sum(1 for m in catalog if m.id and not m.string)


def compile_catalogue(po_file: Path = PO_FILE, mo_file: Path = MO_FILE) -> bytes:
    """Compile the .po into the .mo that `gettext` reads; returns its bytes."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_file.open("rb") as f:
        catalog = read_po(f, locale="zh_CN", domain="casegraph")
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    if mo_file.exists() and mo_file.read_bytes() == buf.getvalue():
        return buf.getvalue()
    mo_file.write_bytes(buf.getvalue())
    return buf.getvalue()


if __name__ == "__main__":
    added_count, missing = update_catalogue()
    print(f"{added_count} new message(s); {missing} untranslated in {PO_FILE}")
