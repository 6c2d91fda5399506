"""Replace, then delete, a very large ledger document while a reader polls (issue 24).

Usage:
    PYTHONPATH=. python benchmarks/replace_ledger.py [--rows 2000000] [--keep DIR]

Against the configured Neo4j (the local server by default, on the memory it chooses for this
machine: no hidden setting). The graph is emptied first: run it against a scratch database only.

One account's statement (查询反馈明细 layout) of --rows rows is ingested as version A, then the same
file path with version B (half the counterparties the same, half new), then version C, which is
killed with SIGKILL while its parts are being written (before its Document exists) and again while
B's facts are being taken away, and each time run again; finally C is deleted. A reader thread polls
three lookups all along (the statement's owner, a counterparty only A names, one only B names) as
an agency user, and each observation is reduced to the version it shows; the sequence must be A…
B… C… and then nothing, with no observation that shows two versions at once or none while one is
published.

Prints, per step: seconds, the Neo4j server's CPU seconds, the ingest process's CPU seconds and peak
RSS (both per 100,000 rows for a whole version), the server's peak RSS so far, and errors (an
out-of-memory error of the server would show here); then the reader's count of polls and of mixed
observations.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from neo4j import Driver

from benchmarks.proc_cpu import process_cpu
from casegraph.access.caller import Caller
from casegraph.errors import NotFound
from casegraph.graph import lookups
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.graph.retraction import retract_retired
from casegraph.graph.writer import delete_document
from casegraph.ingest.resolution.document import document_key
from casegraph.settings import Settings, load_settings

OWNER = "6222020200112233446"
HEADER = ["交易日期", "交易时间", "本方账号", "本方户名", "对方账号", "对方户名", "交易金额", "借贷标志", "交易流水号",
          "摘要"]
READER = Caller("bench-reader", "cq-police", "investigator", "渝公经立字（2024）37号")
RUNNER = """
import sys
from pathlib import Path
from casegraph.graph.connection import get_driver
from casegraph.ingest.run import ingest
from casegraph.settings import load_settings
settings = load_settings()
ingest(get_driver(settings), settings.neo4j_database, [Path(sys.argv[1])], "cq-police", Path(sys.argv[2]),
       link=False)
"""


def counterparty(version: str, i: int, accounts: int) -> str:
    """Half the counterparties are common to every version, half are the version's own."""
    j = i % accounts
    tag = 0 if j % 2 == 0 else " ABC".index(version)
    return f"6217{tag:04d}{j:011d}"


def write_statement(path: Path, version: str, rows: int) -> None:
    accounts = max(10, rows // 10)
    with path.open("w", encoding="utf-8", newline="") as out:
        w = csv.writer(out)
        w.writerow([f"查询反馈明细（版本{version}）"])  # the title line real exports carry
        w.writerow(HEADER)
        for i in range(rows):
            w.writerow([f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}", f"{i % 24:02d}:{i % 60:02d}:{i % 59:02d}", OWNER,
                        "张伟", counterparty(version, i, accounts), "李娜", f"{100 + i % 9000}.{i % 100:02d}",
                        "借" if i % 2 else "贷", f"{version}{i:010d}", "转账"])


@dataclass
class Reader:
    driver: Driver
    database: str
    keys: dict[str, str]  # version -> document key
    rows: int
    seen: list[str] = field(default_factory=list)  # one tag per poll: a version, "-" (nothing) or "mixed"
    stop: threading.Event = field(default_factory=threading.Event)

    def _documents(self, number: str) -> set[str]:
        try:
            found = lookups.entity(self.driver, self.database, READER, f"acct:{number}")
        except NotFound:
            return set()
        return {d["key"] for d in found.get("documents") or []}

    def poll(self) -> str:
        by_key = {key: version for version, key in self.keys.items()}
        accounts = max(10, self.rows // 10)
        answers = [{by_key.get(k, "?") for k in self._documents(number)}
                   for number in (OWNER, counterparty("A", 1, accounts), counterparty("B", 1, accounts))]
        shown = set().union(*answers)
        if any(len(answer) > 1 for answer in answers):
            return "mixed"  # one lookup's answer holding two versions: what must never happen
        # the three lookups are three reads: a switch committed between them shows one version each
        return "-" if not shown else shown.pop() if len(shown) == 1 else "straddle"

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                self.seen.append(self.poll())
            except Exception as exc:  # a failed poll is a finding, not a crash of the run
                self.seen.append(f"error:{type(exc).__name__}")
            time.sleep(0.05)

    def verdict(self) -> tuple[int, int, int, str]:
        """(polls, bad polls, polls whose lookups straddled a switch, the order of versions seen, repeats
        collapsed)."""
        order: list[str] = []
        for tag in self.seen:
            if not order or order[-1] != tag:
                order.append(tag)
        bad = sum(1 for tag in self.seen if tag == "mixed" or tag.startswith("error") or tag == "?")
        return len(self.seen), bad, self.seen.count("straddle"), " ".join(order)


# What the child's state is polled by: while parts are written, an account only that version names
# exists (its first part has committed) and no Document of it yet; while the replaced version's facts
# are taken away, a RetiredDocument exists.
STATES = {"parts": "MATCH (a:Account {key: $account}) WHERE NOT EXISTS { MATCH (:Document {key: $key}) } "
                   "RETURN count(a) AS n",
          "retired": "MATCH (d:RetiredDocument) RETURN count(d) AS n"}


@dataclass
class ChildUsage:
    """The ingest child's CPU seconds and peak RSS (from wait4), so the client side is measured too."""
    cpu: float = 0.0
    peak_rss_mb: float = 0.0


def run_ingest(path: Path, home: Path, kill_when: str | None, driver: Driver, database: str,
               params: dict[str, str], usage: ChildUsage) -> str:
    """Ingest in a child process; with kill_when ("parts"/"retired"), SIGKILL it once that state appears."""
    child = subprocess.Popen([sys.executable, "-c", RUNNER, str(path), str(home)], env=os.environ.copy())
    killed = False
    while True:
        pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if kill_when and not killed:
            records = driver.execute_query(STATES[kill_when], params, database_=database).records
            if records[0]["n"]:
                time.sleep(2.0)  # into the work, not at its first statement
                child.send_signal(signal.SIGKILL)
                killed = True
                continue
        time.sleep(0.2)
    child.returncode = os.waitstatus_to_exitcode(status)
    usage.cpu = rusage.ru_utime + rusage.ru_stime
    usage.peak_rss_mb = rusage.ru_maxrss / 1024
    if killed:
        return f"killed while {kill_when}"
    if child.returncode != 0:
        raise SystemExit(f"ingest of {path} failed ({child.returncode})")
    return "not killed: the state did not appear" if kill_when else "ok"


def peak_rss_mb(pid: int | None) -> float:
    """The high-water mark of a process's resident memory (VmHWM), 0.0 when unknown."""
    try:
        line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0.0
    return int(line.split()[1]) / 1024


def step(name: str, settings: Settings, action: Callable[[], str | None], usage: ChildUsage | None = None,
         rows: int = 0) -> None:
    """Run one step; print its wall seconds, the server's and the ingest child's CPU seconds (and, for a
    step that writes a whole version, both per 100,000 rows) and the server's peak RSS so far."""
    pid = LocalServer(settings).status().pid if settings.uses_local_server else None
    cpu0, t0 = process_cpu(pid), time.perf_counter()
    if usage is not None:
        usage.cpu = usage.peak_rss_mb = 0.0
    try:
        outcome = action()
    except Exception as exc:  # printed: an OOM of the server is what this looks for
        outcome = f"{type(exc).__name__}: {str(exc)[:160]}"
    server = process_cpu(pid) - cpu0
    client = f"ingest CPU {usage.cpu:7.1f} s, peak RSS {usage.peak_rss_mb:5.0f} MB" if usage else "in this process"
    per = f"  per 100k rows: server {server * 1e5 / rows:5.1f} s, ingest {usage.cpu * 1e5 / rows:5.1f} s" \
        if rows and usage else ""
    print(f"{name:<44} {time.perf_counter() - t0:8.1f} s  server CPU {server:8.1f} s  {client}  "
          f"server peak RSS {peak_rss_mb(pid):5.0f} MB  {outcome or 'ok'}{per}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path, help="write the statements here (default: a temp folder)")
    args = parser.parse_args()
    settings = load_settings()
    driver = get_driver(settings)
    db = settings.neo4j_database
    migrate(driver, db)
    retract_retired(driver, db)
    with driver.session(database=db) as session:  # auto-commit: CALL IN TRANSACTIONS commits as it goes
        session.run("MATCH (n) WHERE NOT n:SchemaMigration CALL (n) { DETACH DELETE n } "
                    "IN TRANSACTIONS OF 10000 ROWS").consume()
    # The statement's agency shares with nobody: the reader is of the same agency, so it sees it all.
    driver.execute_query(cypher("agency_upsert"), id="cq-police", kind="police", region="CQ", name="cq-police",
                         default_sharing="restricted", database_=db)
    work = args.keep or Path(tempfile.mkdtemp(prefix="replace-ledger-"))
    home = work / "home"
    home.mkdir(parents=True, exist_ok=True)
    folder = work / "cq-police"
    folder.mkdir(exist_ok=True)
    statement = folder / "owner-statement.csv"
    keys: dict[str, str] = {}
    versions = {}
    for version in "ABC":
        path = work / f"statement-{version}.csv"
        if not path.exists():
            write_statement(path, version, args.rows)
        keys[version] = document_key(hashlib.sha256(path.read_bytes()).hexdigest())
        versions[version] = path
    print(f"rows per version {args.rows:,}; statement {versions['A'].stat().st_size / 1e6:.0f} MB; "
          f"machine {os.cpu_count()} cores", flush=True)
    reader = Reader(driver, db, keys, args.rows)
    thread = threading.Thread(target=reader.run, daemon=True)

    usage = ChildUsage()
    accounts = max(10, args.rows // 10)

    def ingest_version(version: str, kill_when: str | None = None) -> str:
        statement.write_bytes(versions[version].read_bytes())
        params = {"key": keys[version], "account": f"acct:{counterparty(version, 1, accounts)}"}
        return run_ingest(statement, home, kill_when, driver, db, params, usage)

    step("ingest A", settings, lambda: ingest_version("A"), usage, args.rows)
    thread.start()
    step("replace A by B (reader polling)", settings, lambda: ingest_version("B"), usage, args.rows)
    step("replace B by C, SIGKILL while C's parts go in", settings, lambda: ingest_version("C", "parts"), usage)
    step("run again: C finished, B retired", settings, lambda: ingest_version("C", "retired"), usage)
    step("run again: B's retraction finished", settings, lambda: ingest_version("C"), usage)
    step("delete C", settings, lambda: delete_document(driver, db, keys["C"]))
    time.sleep(0.5)
    reader.stop.set()
    thread.join()
    left = driver.execute_query("MATCH ()-[r:TRANSFERRED]->() RETURN count(r) AS n", database_=db).records[0]["n"]
    polls, bad, straddles, order = reader.verdict()
    print(f"reader: {polls} polls, {bad} with an answer showing two versions or failing, {straddles} whose three "
          f"lookups straddled a switch (one version each); versions seen in order: {order}")
    print(f"transfers left after the delete: {left}")


if __name__ == "__main__":
    main()
