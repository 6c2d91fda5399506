"""Errors that cross module boundaries, each with a message meant for a person."""

from __future__ import annotations


class CasegraphError(Exception):
    """Base of every error casegraph raises on purpose."""


class ConfigError(CasegraphError):
    """A setting is missing or wrong, or a required tool (Java, Maven) is not installed."""


class DatabaseUnavailable(CasegraphError):
    """Neo4j does not answer; the API turns this into 503."""


class UnreadableFile(CasegraphError):
    """A file cannot be read as a case file; ingest quarantines it with `reason`."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotFound(CasegraphError):
    """The requested entity, case, agency or job does not exist (or is not visible)."""


class InvalidInput(CasegraphError):
    """A parameter does not parse; the API turns this into 422."""


class Unauthorized(CasegraphError):
    """No API key, or one that is unknown or revoked; the API turns this into 401."""


class Forbidden(CasegraphError):
    """The caller's role or agency may not do this; the API turns this into 403."""


class Conflict(CasegraphError):
    """The request clashes with the current state (a name taken, a request already decided): 409."""


class RateLimited(CasegraphError):
    """Too many calls with one API key; the API answers 429 with Retry-After."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"too many requests; retry after {retry_after_s:.1f} s")
        self.retry_after_s = retry_after_s


class JobQueueFull(RateLimited):
    """An agency has as many jobs queued or running as it may (CASEGRAPH_JOBS_MAX_PER_AGENCY): 429."""

    # A ring-detection run on the medium corpus takes tens of seconds: ask again in about that time.
    RETRY_AFTER_S = 30.0

    def __init__(self, bound: int) -> None:
        super().__init__(self.RETRY_AFTER_S)
        self.args = (f"the agency has {bound} jobs queued or running, as many as it may "
                     f"(CASEGRAPH_JOBS_MAX_PER_AGENCY); retry after {self.RETRY_AFTER_S:.0f} s",)
