"""Named Cypher statements, loaded from casegraph/cypher/queries/*.cypher.

Python holds no Cypher beyond a name. Node labels and relationship types cannot be query
parameters in Neo4j, so a statement may hold `{label}`-style slots; they are filled only with
names from the whitelists below, never with data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"

NODE_LABELS = frozenset({"Person", "Organization", "Account", "Phone", "Address", "Case", "Document",
                         "PendingDocument", "RetiredDocument", "Agency", "Mention", "Ring", "DetectionRun",
                         "Job", "KeyAlias", "Decision", "WriterLock"})
REL_TYPES = frozenset({"ROLE_IN", "LEGAL_REP_OF", "SHAREHOLDER_OF", "CONTROLS", "EMPLOYED_BY", "HOLDS",
                       "TRANSFERRED", "USES", "LOCATED_AT", "MENTIONED_IN", "OF_CASE", "HANDLED_BY",
                       "POSSIBLY_SAME_AS", "HAS_MEMBER", "EVIDENCE", "CITES", "CO_DEFENDANT", "ACTS_FOR"})


@cache
def _text(name: str) -> str:
    path = CYPHER_DIR / "queries" / f"{name}.cypher"
    if not path.is_file():
        raise KeyError(f"no Cypher statement named {name!r}")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(lines).strip()


def cypher(name: str, **slots: str | int) -> str:
    """The statement `name`, with label/type slots filled from the whitelists (or small ints)."""
    text = _text(name)
    for slot, value in slots.items():
        if isinstance(value, int):
            if not 0 <= value <= 10:
                raise ValueError(f"{slot}={value} is out of range")
        elif value not in NODE_LABELS and value not in REL_TYPES:
            raise ValueError(f"{value!r} is not a known label or relationship type")
        text = text.replace("{" + slot + "}", str(value))
    return text


def migration_files() -> list[Path]:
    return sorted((CYPHER_DIR / "migrations").glob("[0-9][0-9][0-9][0-9]_*.cypher"))
