"""Browser sessions of the workbench: an API key exchanged once for an opaque session id.

The page never holds the key (no storage, no script variable): the browser keeps an HttpOnly
cookie with a random session id, and this process keeps the key beside it, in memory, only to
present it to the API on the session's behalf (so every check of the API — revocation, role,
rate limit, audit — applies unchanged). A session idle for `idle_s` is forgotten.
Sessions live in one process: `serve --workers N` needs sticky routing for the workbench.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from casegraph.access import Caller


@dataclass(slots=True)
class Session:
    id: str
    api_key: str
    caller: Caller
    csrf: str
    last_seen: float = field(default_factory=time.monotonic)


class SessionStore:
    def __init__(self, idle_s: float, max_sessions: int = 10_000) -> None:
        self.idle_s, self.max_sessions = idle_s, max_sessions
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def open(self, api_key: str, caller: Caller) -> Session:
        session = Session(secrets.token_urlsafe(32), api_key, caller, secrets.token_urlsafe(32))
        with self._lock:
            if len(self._sessions) >= self.max_sessions:
                self._drop_idle(time.monotonic())
            self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        """The live session of that id (its idle clock restarted), or None."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > self.idle_s:
                del self._sessions[session_id]
                return None
            session.last_seen = now
            return session

    def close(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def _drop_idle(self, now: float) -> None:
        for sid in [s.id for s in self._sessions.values() if now - s.last_seen > self.idle_s]:
            del self._sessions[sid]


def csrf_matches(session: Session, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(session.csrf.encode(), presented.encode())
