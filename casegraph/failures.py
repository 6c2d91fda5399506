"""Failures as people see them: a stable code, a message, a hint of what to do, and a reference.

What went wrong in detail (the traceback, file paths, class names) is for the server's log only:
`report` writes it there under a fresh reference (`err-…`), and the answer a caller sees carries
that reference, so an administrator finds the traceback with `grep err-… <home>/logs/errors.log`.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from casegraph.errors import CasegraphError, DatabaseUnavailable, InvalidInput, NotFound
from casegraph.i18n import N_, translate

log = logging.getLogger("casegraph.failures")

# Letters and digits that read unambiguously, and no long digit runs (the masking of account
# numbers would otherwise rewrite a reference).
_REF_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
# An absolute path of two or more parts, as a message might quote one.
_PATH = re.compile(r"(?<![\w.])(?:/[\w.@~+-]+){2,}/?|[A-Za-z]:\\[^\s'\"]+")


class Failure(TypedDict):
    code: str
    message: str
    hint: str
    ref: str | None


def new_ref() -> str:
    return "err-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(10))


def without_paths(text: str) -> str:
    """`text` with absolute file paths replaced by `<path>`: a message for a caller names no server file."""
    return _PATH.sub("<path>", text)


def report(exc: BaseException, context: str, log_dir: Path | None) -> str:
    """Log `exc` with its traceback under a new reference, to the log and to `log_dir/errors.log`; the reference."""
    ref = new_ref()
    log.error("[%s] %s", ref, context, exc_info=exc)
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            text = "".join(traceback.format_exception(exc))
            with (log_dir / "errors.log").open("a", encoding="utf-8") as out:
                out.write(f"{datetime.now(UTC).isoformat()} [{ref}] {context}\n{text}\n")
        except OSError as write_error:  # the log line above still holds it
            log.warning("could not write %s/errors.log: %s", log_dir, write_error)
    return ref


def job_failure(exc: BaseException, driver_failures: tuple[type[BaseException], ...], ref: str) -> Failure:
    """What a failed job's `error` says about `exc`."""
    if isinstance(exc, InvalidInput):
        return Failure(code="invalid_parameters", message=without_paths(str(exc)),
                       hint=N_("correct the job's parameters and start it again"), ref=ref)
    if isinstance(exc, (DatabaseUnavailable, *driver_failures)):
        return Failure(code="database_unavailable", message=N_("the database stopped answering while the job ran"),
                       hint=N_("start the job again once GET /health answers 200"), ref=ref)
    if isinstance(exc, NotFound):
        return Failure(code="not_found", message=without_paths(str(exc)),
                       hint=N_("check that what the job works on still exists"), ref=ref)
    if isinstance(exc, CasegraphError):
        return Failure(code="job_failed", message=without_paths(str(exc)),
                       hint=N_("start the job again; if it fails again, give the reference to an administrator"),
                       ref=ref)
    return Failure(code="internal_error", message=N_("the job failed on an unexpected error"),
                   hint=N_("start the job again; if it fails again, give the reference to an administrator"), ref=ref)


def failure_in(failure: Failure | None, language: str) -> Failure | None:
    """The failure as a caller reads it: its message and hint in `language` (stored in English, the
    catalogue's keys, so one job reads right in every caller's language); code and ref as they are."""
    if failure is None:
        return None
    return Failure(code=failure["code"], message=translate(failure["message"], language),
                   hint=translate(failure.get("hint", ""), language), ref=failure.get("ref"))


def job_said_in(job: dict[str, Any], language: str) -> dict[str, Any]:
    """A job as a caller reads it: its `message` and its `error`'s message and hint in `language`."""
    said = dict(job)
    if isinstance(said.get("message"), str):
        said["message"] = translate(said["message"], language)
    if said.get("error") is not None:
        said["error"] = failure_in(said["error"], language)
    return said


def stored_failure(stored: object) -> Failure | None:
    """A job's stored `error` as a Failure; an error stored as free text (before issue 22, it held
    traceback lines) is reported by code only."""
    if stored is None or isinstance(stored, dict):
        return stored  # type: ignore[return-value]
    text = str(stored)
    if text.startswith("{"):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, dict) and {"code", "message"} <= value.keys():
            return Failure(code=str(value["code"]), message=str(value["message"]), hint=str(value.get("hint", "")),
                           ref=value.get("ref"))
    return Failure(code="job_failed", message=N_("the job failed"), hint=N_("start the job again"), ref=None)
