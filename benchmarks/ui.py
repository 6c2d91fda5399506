"""The workbench in Debian's headless Chromium: how fast its pages answer a user.

Usage (a local Neo4j; --load wipes it and ingests the examples and a generated corpus first, with
--bulk through `casegraph load`; --hub N adds one account with N counterparties, one transfer each,
stated by a shared ledger):
    PYTHONPATH=. python benchmarks/ui.py [--load [--bulk] --corpus DIR] [--hub 50000] [--runs 7] [--searches 60]

Figures (medians of --runs fresh navigations, each timed in the page from the click to the state):
- the entity page of the README's phone (18685133017), from navigation until its chart is drawn
  and answers clicks (the chart's `data-ready`);
- a neighbourhood of about 300 nodes (an account or company with at least 300 facts, at depth 1;
  the page asks for 300 links of each relation type) drawn on the entity page;
- with --hub: the neighbour route's answer for the hub alone, page 1 (counts of all its links, 300
  of them) and page 20 (its cursor, 300 links past row 5,700), each with the Neo4j server's CPU per
  answer; the hub's entity page (its first 300 transfers drawn, "+N more" beside them), and a click
  on "+N more" until the next 100 are drawn, from page 1 and from page 20's cursor;
- the name search: `/v1/names` called from the signed-in page (cookie, purpose, sharing, audit),
  p50/p95 over --searches names sampled from the graph, a third each in characters, traditional
  characters and pinyin, with the API's and Neo4j's CPU per search.
Beside the wall times, what each entity page cost, as medians (load-independent where CPU): the
browser's main thread (CPU, and script/layout/task times from Chromium's Performance metrics), the
API answers' bytes, the API's CPU (this process) and Neo4j's, and the page's JavaScript heap.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, fields
from pathlib import Path

from playwright.sync_api import CDPSession, Page
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from benchmarks.proc_cpu import process_cpu
from casegraph.graph.connection import get_driver
from casegraph.graph.local_server import LocalServer
from casegraph.graph.migrate import migrate
from casegraph.graph.queries import cypher
from casegraph.graph.users import add_user
from casegraph.ingest.bulk import bulk_load
from casegraph.ingest.run import ingest
from casegraph.names import pinyin_key
from casegraph.settings import Settings, load_settings
from tests import web_helpers as web

TARGETS = {"entity page (phone)": 1000.0, "300-node neighbourhood": 1500.0, "search p95": 300.0,
           "hub entity page": 1500.0, "hub route, page 1": 1500.0, "hub route, page 20": 1500.0,
           "hub +N more after page 1": 1500.0, "hub +N more after page 20": 1500.0}
HUB_PAGE = 300
HUB_FAR_PAGE = 20


def _load(settings: Settings, corpus: Path | None, bulk: bool) -> None:
    """The examples and `corpus` (folders named by agency): through `ingest`, or with `bulk` through
    `casegraph load` (Neo4j's importer, the local server only; the same graph, much sooner)."""
    home = Path(tempfile.mkdtemp(prefix="ui-bench-"))
    if bulk:
        driver, db = get_driver(settings), settings.neo4j_database
        migrate(driver, db)
        for agency in web.truth()["agencies"]:  # the examples' agencies cover the generated corpus's
            driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                                 name=agency["name"], default_sharing="shared", database_=db)
        folders = sorted(p for p in web.EXAMPLES.iterdir() if p.is_dir())
        folders += sorted(p for p in corpus.iterdir() if p.is_dir()) if corpus is not None else []
        bulk_load(settings, folders, None, home, sharing="shared", workers=2)
        return
    driver, db = get_driver(settings), settings.neo4j_database
    migrate(driver, db)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    web.load_examples(driver, db, home)
    if corpus is not None:
        for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
            ingest(driver, db, [folder], folder.name, home)


_HUB_BATCH = """
MERGE (d:Document {key: 'doc:ui-bench-hub-ledger'})
  ON CREATE SET d.agency = 'cq-police', d.sharing = 'shared', d.filename = 'hub-ledger.csv', d.kind = 'bank_ledger'
MERGE (hub:Account {key: $hub}) ON CREATE SET hub.number = $number, hub.sources = [d.key]
WITH d, hub
UNWIND range($start, $end) AS i
MERGE (b:Account {key: 'acct:62229900' + right('0000000000' + toString(i), 10)})
  ON CREATE SET b.number = '62229900' + right('0000000000' + toString(i), 10), b.sources = [d.key]
CREATE (hub)-[:TRANSFERRED {amount: 100.0 + i % 900, tx_id: 'hub-' + toString(i), sources: [d.key],
                            at: '2024-' + right('0' + toString(1 + i % 12), 2) + '-10T09:00:00'}]->(b)
"""
HUB_NUMBER = "6222990000000000009"


def _make_hub(settings: Settings, links: int) -> str:
    """One account paying `links` counterparties (the scale of a busy company's bank statement)."""
    driver, key = get_driver(settings), f"acct:{HUB_NUMBER}"
    done = driver.execute_query("MATCH (:Account {key: $key})-[r:TRANSFERRED]->() RETURN count(r) AS n", key=key,
                                database_=settings.neo4j_database).records[0]["n"]
    for start in range(done + 1, links + 1, 10_000):
        driver.execute_query(_HUB_BATCH, hub=key, number=HUB_NUMBER, start=start, end=min(links, start + 9_999),
                             database_=settings.neo4j_database)
    return key


_ROUTE_JS = """async ([key, query]) => {
  const t0 = performance.now();
  const r = await fetch(`/v1/entities/${encodeURIComponent(key)}/neighbors?${query}`,
                        {headers: {"X-Purpose": encodeURIComponent("性能测试 ui")}});
  const body = await r.json();
  return [performance.now() - t0, body.counts, (body.more || []).filter((m) => m.type === "TRANSFERRED")];
}"""
_FIRST_PAGE = f"limit={HUB_PAGE}&rel_types=TRANSFERRED&rel_types=HOLDS"


def _far_cursor(page: Page, key: str) -> str:
    """The cursor of the hub's page HUB_FAR_PAGE, walked to page by page as a user clicking would."""
    query = _FIRST_PAGE
    for _ in range(HUB_FAR_PAGE - 1):
        _, _, more = page.evaluate(_ROUTE_JS, [key, query])
        query = f"cursor={more[0]['next']}&limit={HUB_PAGE}"
    return str(more[0]["next"])


def _route(page: Page, key: str, cursor: str | None, runs: int, server_pid: int | None
           ) -> tuple[list[float], float, dict[str, int]]:
    """The neighbour route for the hub alone: wall times and the server's median CPU per answer."""
    query = f"cursor={cursor}&limit={HUB_PAGE}" if cursor else _FIRST_PAGE
    times, cpu, counts = [], [], {}
    for _ in range(runs + 1):
        before = process_cpu(server_pid)
        ms, counts, _ = page.evaluate(_ROUTE_JS, [key, query])
        times.append(ms)
        cpu.append((process_cpu(server_pid) - before) * 1000)
    return times[1:], statistics.median(cpu[1:]), counts


def _set_case(page: Page, base: str, case: str) -> None:
    page.goto(f"{base}/")
    page.wait_for_selector("#top:not([hidden])")
    page.fill("#case-input", case)
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#search-form")


def _more_ms(page: Page, key: str, cursor: str | None = None) -> float:
    """A click on the hub's "+N more" node until the next page is drawn (from `cursor` when given)."""
    more = f"document.getElementById('chart').chart.cy.getElementById('more|{key}|TRANSFERRED')"
    if cursor is not None:
        page.evaluate(f"{more}.data('cursor', {cursor!r})")
    caption = page.evaluate(f"{more}.data('caption')")
    started = time.perf_counter()
    page.evaluate(f"{more}.emit('tap')")
    # (wait_for_function would need 'unsafe-eval', which the page's CSP refuses); bounded, so that a
    # page that fails is reported instead of polled forever
    while page.evaluate(f"{more}.data('caption')") == caption:
        if time.perf_counter() - started > 60:
            raise PlaywrightTimeout("the next page was not drawn within 60 s")
        page.wait_for_timeout(5)
    return (time.perf_counter() - started) * 1000


def _hub(settings: Settings) -> str:
    """The account or organisation with the fewest facts (document mentions aside) that still has
    300: its depth-1 neighbourhood fills the entity page's 300-node page with drawn nodes. (Depth 2
    around such hubs makes the neighbourhood query run out of the server's transaction memory: the
    paths through ledgers that mention thousands of accounts; see BENCHMARKS.md.)"""
    records = get_driver(settings).execute_query(
        "MATCH (n) WHERE (n:Account OR n:Organization) AND n.sources IS NOT NULL "
        "WITH n, COUNT { (n)-[r]-() WHERE NOT r:MENTIONED_IN } AS degree WHERE degree >= 300 "
        "RETURN n.key AS key ORDER BY degree LIMIT 1", database_=settings.neo4j_database).records
    if not records:
        raise SystemExit("no account or organisation has 300 facts: load a larger corpus")
    return str(records[0]["key"])


def _names(settings: Settings, count: int, rng: random.Random) -> list[str]:
    import opencc

    records = get_driver(settings).execute_query(
        "MATCH (p:Person)-[m:MENTIONED_IN]->() WHERE size(m.text) >= 2 RETURN DISTINCT m.text AS name LIMIT 5000",
        database_=settings.neo4j_database).records
    names = rng.sample([str(r["name"]) for r in records], min(count, len(records)))
    s2t = opencc.OpenCC("s2t")
    return [(name, s2t.convert(name), pinyin_key(name))[i % 3] for i, name in enumerate(names)]


@dataclass
class Spent:
    """What one navigation cost, beside its wall time: the browser's main thread by kind (Chromium's
    Performance metrics), the bytes of the API answers it received, and the CPU of the API (this
    process: the workbench serves from a thread here, beside Playwright's small client) and of Neo4j."""
    script_ms: float = 0.0
    layout_ms: float = 0.0   # layout and style recalculation
    task_ms: float = 0.0     # all main-thread work (script, layout, paint, parsing)
    api_kb: float = 0.0
    api_cpu_ms: float = 0.0
    neo4j_cpu_ms: float = 0.0
    js_heap_mb: float = 0.0  # the page's JavaScript heap once drawn
    browser_cpu_ms: float = 0.0  # the CPU of the page's main thread (the others are wall times)


_METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration", "JSHeapUsedSize", "ThreadTime")
_API_BYTES_JS = """() => performance.getEntriesByType("resource").filter((e) => e.name.includes("/v1/"))
  .reduce((sum, e) => sum + e.encodedBodySize, 0)"""


def _metrics(session: CDPSession) -> dict[str, float]:
    got = {m["name"]: float(m["value"]) for m in session.send("Performance.getMetrics")["metrics"]}
    return {name: got.get(name, 0.0) * (1 / 2**20 if name == "JSHeapUsedSize" else 1000) for name in _METRICS}


def _entity_page_ms(page: Page, base: str, key: str, depth: int, server_pid: int | None = None,
                    spent: list[Spent] | None = None) -> tuple[float, int]:
    page.goto(f"{base}/#/search")
    page.wait_for_selector("#search-form")
    session = page.context.new_cdp_session(page)
    session.send("Performance.enable")
    page.evaluate("performance.clearResourceTimings()")
    before, api0, neo0 = _metrics(session), resource.getrusage(resource.RUSAGE_SELF), process_cpu(server_pid)
    started = time.perf_counter()
    page.goto(f"{base}/#/entity/{key}/{depth}")
    page.wait_for_selector("#chart[data-ready]", timeout=60_000)
    elapsed = (time.perf_counter() - started) * 1000
    after, api1, neo1 = _metrics(session), resource.getrusage(resource.RUSAGE_SELF), process_cpu(server_pid)
    if spent is not None:
        spent.append(Spent(after["ScriptDuration"] - before["ScriptDuration"],
                           after["LayoutDuration"] + after["RecalcStyleDuration"]
                           - before["LayoutDuration"] - before["RecalcStyleDuration"],
                           after["TaskDuration"] - before["TaskDuration"],
                           page.evaluate(_API_BYTES_JS) / 1024,
                           (api1.ru_utime + api1.ru_stime - api0.ru_utime - api0.ru_stime) * 1000,
                           (neo1 - neo0) * 1000, after["JSHeapUsedSize"], after["ThreadTime"] - before["ThreadTime"]))
    session.detach()
    nodes = int(page.evaluate("document.getElementById('chart').chart.cy.nodes().length"))
    return elapsed, nodes


_SEARCH_JS = """async (names) => {
  const times = [];
  for (const q of names) {
    const t0 = performance.now();
    const r = await fetch(`/v1/names?q=${encodeURIComponent(q)}`,
                          {headers: {"X-Purpose": encodeURIComponent("性能测试 ui")}});
    await r.text();
    times.push(performance.now() - t0);
  }
  return times;
}"""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _bench_big_hub(page: Page, base: str, big: str, runs: int, tabs: int, server_pid: int | None,
                   figures: dict[str, list[float]], spent: dict[str, list[Spent]]
                   ) -> tuple[dict[str, int], dict[str, float]]:
    """Page 1 and page 20 of the big hub: the route alone (with the server's CPU) and in the chart."""
    far = _far_cursor(page, big)
    figures["hub route, page 1"], cpu_first, counts = _route(page, big, None, runs, server_pid)
    figures["hub route, page 20"], cpu_far, _ = _route(page, big, far, runs, server_pid)
    for name in ("hub entity page", "hub +N more after page 1", "hub +N more after page 20"):
        figures[name] = []
    for _ in range(tabs):
        fresh = page.context.new_page()  # one tab per run: a renderer's memory starts afresh
        try:
            _set_case(fresh, base, "性能测试 ui")  # signed in (the cookie); the working case is per tab
            figures["hub entity page"].append(_entity_page_ms(fresh, base, big, 1, server_pid,
                                                              spent.setdefault("hub entity page", []))[0])
            figures["hub +N more after page 1"].append(_more_ms(fresh, big))
            figures["hub +N more after page 20"].append(_more_ms(fresh, big, far))
        except PlaywrightError as exc:  # a renderer killed for memory on the loaded machine
            print(f"hub run lost: {exc.message.splitlines()[0]}")
        finally:
            fresh.close()
    return counts, {"hub route, page 1": cpu_first, "hub route, page 20": cpu_far}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--load", action="store_true", help="wipe the graph and ingest examples/ and --corpus")
    parser.add_argument("--corpus", type=Path, help="a generated corpus (casegraph demo generate)")
    parser.add_argument("--bulk", action="store_true", help="--load through `casegraph load` instead of ingest")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--searches", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hub", type=int, default=0, help="add an account with this many counterparties")
    parser.add_argument("--hub-only", action="store_true", help="only the --hub figures")
    parser.add_argument("--hub-tabs", type=int, default=None,
                        help="browser runs on the hub (default --runs; a hub tab's renderer took 2.5-3.7 GB)")
    args = parser.parse_args()
    settings = load_settings().model_copy(update={"api_rate_per_s": 1e6, "api_rate_burst": 10**6})
    if args.load:
        _load(settings, args.corpus, args.bulk)
    rng = random.Random(args.seed)
    driver, db = get_driver(settings), settings.neo4j_database
    server_pid = LocalServer(settings).status().pid if settings.uses_local_server else None
    _, key = add_user(driver, db, f"ui-bench-{os.getpid()}-{int(time.time())}", "cq-police", "investigator", "bench")
    big = _make_hub(settings, args.hub) if args.hub else None
    hub = "" if args.hub_only else _hub(settings)
    names = [] if args.hub_only else _names(settings, args.searches, rng)
    figures: dict[str, list[float]] = {}
    spent: dict[str, list[Spent]] = {}
    hub_nodes, hub_counts, cpu = 0, {}, {}
    with web.serving(settings) as base, web.chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        web.sign_in(page, base, key, "性能测试 ui")
        _entity_page_ms(page, base, f"phone:{web.PHONE}", 1)  # warm: modules, the driver's pool, the plans
        if not args.hub_only:
            hub_nodes = _bench_entity_pages(page, base, hub, args.runs, figures, server_pid, spent)
        if big is not None:
            tabs = args.runs if args.hub_tabs is None else args.hub_tabs
            hub_counts, cpu = _bench_big_hub(page, base, big, args.runs, tabs, server_pid, figures, spent)
        searches: list[float] = []
        search_cpu = (0.0, 0.0)
        if names:
            page.evaluate(_SEARCH_JS, names[:5])  # warm: the name index is built on the first search
            api0, neo0 = resource.getrusage(resource.RUSAGE_SELF), process_cpu(server_pid)
            searches = page.evaluate(_SEARCH_JS, names)
            api1, neo1 = resource.getrusage(resource.RUSAGE_SELF), process_cpu(server_pid)
            search_cpu = ((api1.ru_utime + api1.ru_stime - api0.ru_utime - api0.ru_stime) * 1000 / len(names),
                          (neo1 - neo0) * 1000 / len(names))
    load1 = os.getloadavg()[0]
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, load {load1:.1f}; python {sys.version.split()[0]}; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    if hub:
        print(f"hub: {hub} ({hub_nodes} nodes on the chart at depth 1); searches: {len(searches)} names")
    if big is not None:
        print(f"big hub: {big}, its links by type: {hub_counts}; page 20 = {HUB_PAGE} links past row "
              f"{HUB_PAGE * (HUB_FAR_PAGE - 1):,}")
    print("| figure | median ms | target ms | met | Neo4j CPU ms per answer |")
    print("| --- | ---: | ---: | --- | ---: |")
    for name, values in figures.items():
        if not values:
            continue
        median = statistics.median(values)
        server = f"{cpu[name]:.0f}" if name in cpu else ""
        met = "yes" if median < TARGETS[name] else "no"
        print(f"| {name} | {median:.0f} | {TARGETS[name]:.0f} | {met} | {server} |")
    if "hub route, page 1" in figures:
        ratio = statistics.median(figures["hub route, page 20"]) / statistics.median(figures["hub route, page 1"])
        print(f"| hub route, page 20 / page 1 | ×{ratio:.2f} | ×1.5 | {'yes' if ratio <= 1.5 else 'no'} | |")
    if searches:
        p95 = _percentile(searches, 0.95)
        print(f"| search p50 | {statistics.median(searches):.0f} | | | |")
        target = TARGETS["search p95"]
        print(f"| search p95 | {p95:.0f} | {target:.0f} | {'yes' if p95 < target else 'no'} | |")
        print(f"search: API CPU {search_cpu[0]:.0f} ms, Neo4j CPU {search_cpu[1]:.0f} ms per search (mean)")
    _print_spent(spent)


def _bench_entity_pages(page: Page, base: str, hub: str, runs: int, figures: dict[str, list[float]],
                        server_pid: int | None, spent: dict[str, list[Spent]]) -> int:
    """The README phone's entity page and a 300-node neighbourhood; how many nodes the latter drew."""
    figures["entity page (phone)"], figures["300-node neighbourhood"] = [], []
    spent["entity page (phone)"], spent["300-node neighbourhood"] = [], []
    try:
        _entity_page_ms(page, base, hub, 1)
    except PlaywrightTimeout:  # the neighbourhood query failed on the server (its log says why)
        figures.pop("300-node neighbourhood")
        print(f"300-node neighbourhood of {hub}: not drawn within 60 s (the server's log has the error)")
    hub_nodes = 0
    for _ in range(runs):
        figures["entity page (phone)"].append(_entity_page_ms(page, base, f"phone:{web.PHONE}", 1, server_pid,
                                                              spent["entity page (phone)"])[0])
        if "300-node neighbourhood" in figures:
            ms, hub_nodes = _entity_page_ms(page, base, hub, 1, server_pid, spent["300-node neighbourhood"])
            figures["300-node neighbourhood"].append(ms)
    return hub_nodes


def _print_spent(spent: dict[str, list[Spent]]) -> None:
    """Medians of what each page cost: load-independent beside its wall time."""
    names = [f.name for f in fields(Spent)]
    print("| page | " + " | ".join(names) + " |")
    print("| --- |" + " ---: |" * len(names))
    for page, runs in spent.items():
        if runs:
            print(f"| {page} | " + " | ".join(f"{statistics.median(getattr(r, n) for r in runs):.0f}" for n in names)
                  + " |")


if __name__ == "__main__":
    main()
