"""Browser sessions of the workbench: an API key exchanged once for an opaque session id.

The page never holds the key (no storage, no script variable): the browser keeps an HttpOnly
cookie with a random session id. The database keeps the session (WebSession: a hash of its id, the
user, the hash of the key it was opened with, when it was last used), so every API process —
`serve --workers N`, a restarted server — knows it, and nobody keeps the key itself. A session ends
when signed out, after `idle_s` without use, or when its user's key is revoked or rotated.

Each process remembers a session it has checked for `cache_s` seconds (as the API's key cache
does): a sign-out or revocation made through another process holds there within that time.
The CSRF token is derived from the session id (HMAC), so no process needs to store it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from neo4j import Driver, RoutingControl

from casegraph.access import Caller
from casegraph.access.keys import key_hash
from casegraph.graph.queries import cypher

# The idle clock is written back at most once a minute per session (a write per call would cost
# more than the call), or a quarter of the idle time when that is shorter.
_TOUCH_EVERY_S = 60.0


@dataclass(frozen=True, slots=True)
class Session:
    id: str
    caller: Caller
    csrf: str


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def csrf_token(session_id: str) -> str:
    return hmac.new(session_id.encode(), b"casegraph-csrf", hashlib.sha256).hexdigest()


class SessionStore:
    def __init__(self, database: str, idle_s: float, cache_s: float = 5.0, max_cached: int = 10_000) -> None:
        self.database, self.idle_s, self.cache_s, self.max_cached = database, idle_s, cache_s, max_cached
        self._cache: dict[str, tuple[Session, float, float]] = {}  # id hash → (session, checked at, last_seen)
        self._lock = threading.Lock()

    def open(self, driver: Driver, api_key: str) -> Session | None:
        """A new session for the key's user; None when the key is unknown or revoked."""
        session_id = secrets.token_urlsafe(32)
        now = time.time()
        records, _, _ = driver.execute_query(cypher("web_session_open"), key_hash=key_hash(api_key),
                                             id_hash=_id_hash(session_id), now=now, database_=self.database)
        if not records:
            return None
        r = records[0]
        driver.execute_query(cypher("web_session_expire"), before=now - self.idle_s, database_=self.database)
        return Session(session_id, Caller(user=r["name"], agency=r["agency"], role=r["role"]), csrf_token(session_id))

    def get(self, driver: Driver, session_id: str | None) -> Session | None:
        """The live session of that id (its idle clock restarted), or None."""
        if not session_id or len(session_id) > 200:
            return None
        id_hash, now = _id_hash(session_id), time.time()
        with self._lock:
            cached = self._cache.get(id_hash)
        if cached is not None and now - cached[1] < self.cache_s and now - cached[2] <= self.idle_s:
            return cached[0]
        records, _, _ = driver.execute_query(cypher("web_session_get"), id_hash=id_hash, now=now, idle_s=self.idle_s,
                                             database_=self.database, routing_=RoutingControl.READ)
        if not records:
            self._forget(id_hash)
            return None
        r = records[0]
        last_seen = float(r["last_seen"])
        if now - last_seen > min(_TOUCH_EVERY_S, self.idle_s / 4):
            driver.execute_query(cypher("web_session_touch"), id_hash=id_hash, now=now, database_=self.database)
            last_seen = now
        session = Session(session_id, Caller(user=r["name"], agency=r["agency"], role=r["role"]),
                          csrf_token(session_id))
        with self._lock:
            if len(self._cache) >= self.max_cached:
                self._cache.clear()
            self._cache[id_hash] = (session, now, last_seen)
        return session

    def close(self, driver: Driver, session_id: str) -> None:
        id_hash = _id_hash(session_id)
        self._forget(id_hash)
        driver.execute_query(cypher("web_session_close"), id_hash=id_hash, database_=self.database)

    def _forget(self, id_hash: str) -> None:
        with self._lock:
            self._cache.pop(id_hash, None)


def csrf_matches(session: Session, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(session.csrf.encode(), presented.encode())
