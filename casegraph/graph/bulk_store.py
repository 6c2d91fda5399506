"""A new store for the local server, written by Neo4j's own importer and switched in at the end.

The importer (`neo4j-admin database import full`, shipped in the server's jars) writes the store
in a staging home beside the data, never the serving one. Only once it has finished does the
server close its store, the two store folders (databases/neo4j, transactions/neo4j) get renamed
aside, the new ones renamed in, and the server opens them again: in the same JVM when it can
(`LocalServer.pause` and `resume`: a SIGHUP closes the store, the next one opens the swapped
folders), else by a stop and a start. A journal file says a switch is under way: a load killed
before the switch leaves the previous database serving untouched, and one killed during the
renames is rolled back by the next load (`recover`, which stops a server left paused), so a re-run
starts from the previous store.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

from casegraph.errors import ConfigError
from casegraph.graph.import_csv import ARRAY_DELIMITER_OPTION
from casegraph.graph.local_server import LocalServer
from casegraph.graph.memory import MB, machine_memory

DATABASE_FOLDERS = ("databases", "transactions")
SWITCH_START_TIMEOUT = 1800.0


def import_seconds(output: str) -> float | None:
    """The duration of `IMPORT DONE in 1m 2s 345ms.` in the importer's output."""
    done = re.search(r"IMPORT DONE in ([0-9hms ]+)\.", output)
    if done is None:
        return None
    units = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(int(n) * units[unit] for n, unit in re.findall(r"(\d+)(ms|h|m|s)", done.group(1)))


class BulkStore:
    def __init__(self, server: LocalServer, database: str) -> None:
        self.server = server
        self.database = database
        self.data = server.settings.data_dir / "data"
        self.work = server.settings.data_dir / "bulk-load"
        self.staging = self.work / "home"
        self.previous = self.work / "previous"
        self.journal = self.work / "switch.json"

    def import_csv(self, csv_args: list[str], multiline: bool) -> float | None:
        """Write a new store from the CSV files into the staging home (any earlier staging is replaced);
        the seconds the importer says its work took (without its JVM's start), when it says so."""
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        try:
            output = self.server.admin("database", "import", "full", self.database, *csv_args,
                                       "--overwrite-destination", f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
                                       f"--multiline-fields={'true' if multiline else 'false'}",
                                       "--bad-tolerance=0", "--skip-duplicate-nodes=false",
                                       f"--report-file={self.work / 'import.report'}",
                                       f"--max-off-heap-memory={self.import_memory()}", neo4j_home=self.staging,
                                       heap=self.server.memory_plan().heap_flag)
        except ConfigError as exc:
            detail = str(exc)
            raise ConfigError(f"Neo4j's importer failed; the serving database is unchanged:\n{detail}") from exc
        return import_seconds(output)

    def import_memory(self) -> int:
        """The importer's off-heap bytes: the setting, else a quarter of the machine."""
        mb = self.server.settings.import_memory_mb
        return mb * MB if mb else machine_memory() // 4

    def _places(self) -> list[tuple[Path, Path, Path]]:
        """(staged, live, previous) for each store folder."""
        return [(self.staging / "data" / folder / self.database, self.data / folder / self.database,
                 self.previous / folder) for folder in DATABASE_FOLDERS]

    def recover(self) -> bool:
        """Roll back a switch that was killed half-way; True when there was one."""
        if not self.journal.exists():
            return False
        self.server.stop()
        for _, live, previous in self._places():
            if previous.exists():
                if live.exists():
                    shutil.rmtree(live)
                previous.rename(live)
        self.journal.unlink()
        return True

    def switch(self, seconds: dict[str, float] | None = None) -> None:
        """Put the staged store in place of the serving one: the server closes its store (its JVM
        stays up, `LocalServer.pause`), the folders are renamed, and it opens the new store; a
        server that cannot pause is stopped and started instead. `seconds` gets each part's wall time."""
        parts = seconds if seconds is not None else {}
        clock = time.perf_counter()
        paused = self.server.pause()
        if not paused:
            self.server.stop()
        parts["close"] = time.perf_counter() - clock
        clock = time.perf_counter()
        shutil.rmtree(self.previous, ignore_errors=True)
        self.previous.mkdir(parents=True)
        self.journal.write_text(json.dumps({"switching": self.database}))
        for staged, live, previous in self._places():
            live.parent.mkdir(parents=True, exist_ok=True)
            if live.exists():
                live.rename(previous)
            staged.rename(live)
        self.journal.unlink()
        parts["rename"] = time.perf_counter() - clock
        clock = time.perf_counter()
        # The store is switched: giving up on a slow start here would leave the load unfinished (no
        # indexes yet), so wait longer than `db start` does (a loaded machine took over 180 s).
        timeout = max(self.server.settings.start_timeout_s, SWITCH_START_TIMEOUT)
        if paused:
            self.server.resume(timeout=timeout)
        else:
            self.server.start(timeout=timeout)
        parts["open"] = time.perf_counter() - clock
        shutil.rmtree(self.previous, ignore_errors=True)
        shutil.rmtree(self.staging, ignore_errors=True)
