"""The sharing policy as pure code: callers, roles, visibility parameters, masking, key hashing.

No I/O here: `graph/` and `api/` turn these decisions into query parameters and responses.
"""

from casegraph.access.caller import Caller, visibility_params
from casegraph.access.masking import mask_value, masks_for
from casegraph.access.roles import ROLES, Action, Role, allowed, require

__all__ = ["ROLES", "Action", "Caller", "Role", "allowed", "mask_value", "masks_for", "require",
           "visibility_params"]
