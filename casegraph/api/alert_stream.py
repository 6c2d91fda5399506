"""Server-sent alerts: one poller per API process, fanning out to every connected client.

The poller asks Neo4j once per `poll_s` for the alerts created since its last look, only while
clients are connected, and only for their agencies; it renders each agency's new alerts once (as
that agency may see them) and hands each client the ones addressed to it. So 200 connected clients
cost one query per second plus one render per agency with news, not 200 query loops. Alerts are
written in the writer's transaction, whose `datetime()` is its start: the poller looks back
`lookback_s` and remembers what it sent, so a long transaction's alerts are not skipped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import Driver
from neo4j.exceptions import DriverError, Neo4jError

from casegraph.access import Caller
from casegraph.alerts.triggers import WATCHABLE_LABELS
from casegraph.errors import DatabaseUnavailable
from casegraph.graph import alert_store
from casegraph.graph.grades import entity_grades

logger = logging.getLogger(__name__)


@dataclass(eq=False)
class Subscriber:
    caller: Caller
    queue: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=1000))

    def wants(self, alert: dict[str, Any]) -> bool:
        recipient = alert.get("recipient")
        return recipient is None or recipient == self.caller.user


class AlertHub:
    def __init__(self, driver: Driver, database: str, *, poll_s: float = 1.0, lookback_s: float = 60.0) -> None:
        self.driver, self.database = driver, database
        self.poll_s, self.lookback_s = poll_s, lookback_s
        self._subscribers: set[Subscriber] = set()
        self._sent: dict[str, float] = {}  # alert id -> when it was fanned out
        self._task: asyncio.Task[None] | None = None
        self._since = datetime.now(UTC)
        self.polls = 0

    def subscribe(self, caller: Caller) -> Subscriber:
        subscriber = Subscriber(caller)
        if not self._subscribers:
            # Only what is created from now on: a client reads older alerts with GET /v1/alerts.
            self._since = datetime.now(UTC)
        self._subscribers.add(subscriber)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.discard(subscriber)

    @property
    def connected(self) -> int:
        return len(self._subscribers)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        try:
            await asyncio.to_thread(self._warm_up)
        except (DatabaseUnavailable, Neo4jError, DriverError) as exc:
            logger.warning("alert poller: could not warm up (%s)", exc)
        while self._subscribers:
            try:
                await self._poll()
            except (DatabaseUnavailable, Neo4jError, DriverError) as exc:
                logger.warning("alert poller: Neo4j did not answer (%s); retrying", exc)
            except Exception:  # the one poller of the process must outlive any one bad poll
                logger.exception("alert poller: a poll failed; retrying")
            await asyncio.sleep(self.poll_s)

    def _warm_up(self) -> None:
        """Have the server plan the delivery's statements before the first alert: under load, planning
        them on the way to the first client took seconds of the 5 s an alert may take."""
        reader = Caller(user="", agency="", role="investigator")
        alert_store.list_alerts(self.driver, self.database, reader, ids=[], limit=1, any_user=True)
        entity_grades(self.driver, self.database, "", {label: [] for label in sorted(WATCHABLE_LABELS)})

    async def _poll(self) -> None:
        self.polls += 1
        agencies = sorted({s.caller.agency for s in self._subscribers})
        started = datetime.now(UTC)
        since = (self._since - timedelta(seconds=self.lookback_s)).isoformat()
        recent = await asyncio.to_thread(alert_store.recent_alerts, self.driver, self.database, since, agencies)
        fresh: dict[str, list[str]] = {}
        for row in recent:
            if row["id"] not in self._sent:
                fresh.setdefault(row["agency"], []).append(row["id"])
        now = time.monotonic()
        for agency, ids in fresh.items():
            reader = Caller(user="", agency=agency, role="investigator")
            rendered = await asyncio.to_thread(alert_store.list_alerts, self.driver, self.database, reader,
                                               ids=ids, limit=len(ids), any_user=True)
            for alert in rendered:
                self._sent[alert["id"]] = now
                for subscriber in list(self._subscribers):
                    if subscriber.caller.agency == agency and subscriber.wants(alert):
                        with contextlib.suppress(asyncio.QueueFull):  # a stuck client drops, others go on
                            subscriber.queue.put_nowait({**alert, "read": False})
        self._since = started
        horizon = now - 2 * self.lookback_s
        self._sent = {k: v for k, v in self._sent.items() if v >= horizon}
