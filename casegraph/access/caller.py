"""Who is asking: the caller of an API call or a CLI command, and the query parameters it implies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casegraph.access.masking import masks_for


@dataclass(frozen=True, slots=True)
class Caller:
    user: str          # the user's name; the CLI's local admin is "local-admin:<os user>"
    agency: str
    role: str
    purpose: str | None = None  # the stated case reference of this call

    @property
    def masked(self) -> bool:
        return masks_for(self.role)


def visibility_params(caller: Caller) -> dict[str, Any]:
    """The parameters every visibility-aware Cypher statement takes (the predicate is in the .cypher file).

    Only the agency decides what a caller sees; role decides what it may do and what is masked.
    """
    return {"agency": caller.agency}
