"""What a watch is on, read from what a user types: an identifier in any spelling, an entity key,
a case, a ring, or every open case of the user's agency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from casegraph import identifiers
from casegraph.alerts.triggers import agency_scope, case_scope, opaque_id
from casegraph.errors import InvalidInput

WatchKind = Literal["identifier", "entity", "case", "ring", "open_cases"]
WATCH_KINDS: tuple[str, ...] = ("identifier", "entity", "case", "ring", "open_cases")

_LABEL_BY_TYPE = {"ID_NUMBER": "Person", "USCC": "Organization", "PHONE": "Phone", "BANK_ACCOUNT": "Account"}
_LABEL_BY_PREFIX = {"ric": "Person", "uscc": "Organization", "acct": "Account", "phone": "Phone", "addr": "Address",
                    "name": "Person", "mention": "Person", "split": "Person", "case": "Case"}


@dataclass(frozen=True, slots=True)
class WatchSpec:
    """A watch as stored: `target` is the key the writer looks up, `scope` what new parties come under."""

    kind: str
    target: str | None
    scope: str | None
    label: str | None

    def watch_id(self, agency: str, user: str | None) -> str:
        text = "\x1f".join([agency, user or "", self.kind, self.target or "", self.scope or ""])
        return "wat-" + opaque_id(text)


def watch_spec(kind: str, value: str | None, agency: str) -> WatchSpec:
    """The stored form of a watch; InvalidInput with the reason when `value` does not fit `kind`."""
    value = (value or "").strip()
    if kind == "open_cases":
        return WatchSpec("open_cases", None, agency_scope(agency), None)
    if not value:
        raise InvalidInput(f"a {kind} watch needs a value")
    if kind == "identifier":
        parsed = identifiers.parse_any(value)
        if parsed is None or not parsed.valid:
            reason = parsed.reason if parsed else "empty"
            raise InvalidInput(f"{value!r} is not a valid resident ID, USCC, mobile or account number ({reason})")
        return WatchSpec("entity", parsed.key, None, _LABEL_BY_TYPE[parsed.type])
    if kind == "entity":
        prefix, _, rest = value.partition(":")
        if not rest or prefix not in _LABEL_BY_PREFIX or prefix == "case":
            raise InvalidInput(f"{value!r} is not an entity key (ric:…, uscc:…, phone:…, acct:…, name:…)")
        return WatchSpec("entity", value, None, _LABEL_BY_PREFIX[prefix])
    if kind == "case":
        if not value.startswith("case:") or value.count(":") < 2:
            raise InvalidInput(f"{value!r} is not a case key (case:<agency>:<case number>)")
        agency_id, _, number = value[len("case:"):].partition(":")
        key = f"case:{agency_id}:{identifiers.normalize_case_number(number)}"
        return WatchSpec("case", key, case_scope(key), "Case")
    if kind == "ring":
        return WatchSpec("ring", f"ring:{value}", None, "Ring")
    raise InvalidInput(f"unknown watch kind {kind!r} ({', '.join(WATCH_KINDS)})")
