"""The workbench in a real headless Chromium (Debian's, driven by Playwright) on the ingested examples.

One module, one ingest: the examples with Sichuan police's documents restricted to the Sichuan
procuratorate (so that other agencies get hits they may not see), users of every role in every
agency, one ring-detection run. Each role walks its journey; then, over random sharing settings,
no page's DOM and no response the page received carries anything from a document the agency may
not see; and calls without the session cookie or the CSRF token are refused.
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from neo4j import Driver
from PIL import Image
from playwright.sync_api import Browser, Page, Response

from casegraph.graph.connection import get_driver
from casegraph.settings import Settings
from tests import web_helpers as web
from tests.test_leakage import AGENCIES, Sharing, _tokens_of_documents, apply, visible

CASE = "渝公经立字（2024）37号"
HANDLE = re.compile(r"h:[0-9a-f]{34,}")
RESTRICTED = ("sc-police", ["sc-procuratorate"])


@dataclass
class Bench:
    driver: Driver
    db: str
    base: str
    browser: Browser
    keys: dict[tuple[str, str], str]
    shots: Path


@pytest.fixture(scope="module")
def bench(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    db = neo4j_settings.neo4j_database
    driver = get_driver(neo4j_settings)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    home = tmp_path_factory.mktemp("home")
    web.load_examples(driver, db, home, sharing={RESTRICTED[0]: ("restricted", RESTRICTED[1])})
    keys = web.add_users(driver, db)
    web.detect(driver, db)
    settings = neo4j_settings.model_copy(update={"home": home, "api_rate_per_s": 1e6, "api_rate_burst": 10**6})
    with web.serving(settings) as base, web.chromium() as browser:
        yield Bench(driver, db, base, browser, keys, tmp_path_factory.mktemp("screens"))


@pytest.fixture()
def page(bench: Bench) -> Iterator[Page]:
    context = bench.browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors  # no script error and no CSP violation on any page


def wait_until(page: Page, expression: str, timeout_s: float = 30.0) -> None:
    """Poll a script expression until it is true. (Playwright's wait_for_function evaluates a string
    inside the page, which the workbench's Content-Security-Policy rightly refuses.)"""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for {expression}"
        page.wait_for_timeout(50)


def shot(bench: Bench, page: Page, name: str, expected: list[str]) -> None:
    """A screenshot of the page, with the Chinese text it must show at that moment."""
    page.screenshot(path=bench.shots / f"{name}.png", full_page=True)
    text = page.inner_text("body")
    missing = [e for e in expected if e not in text]
    assert not missing, f"{name}: {missing} not on the page"


def chart_is_drawn(page: Page) -> None:
    """The chart's canvas shows something: a few hundred pixels differ from the background."""
    image = Image.open(io.BytesIO(page.locator("#chart").screenshot())).convert("RGB")
    background = image.getpixel((2, 2))
    differing = sum(1 for pixel in image.get_flattened_data() if pixel != background)
    assert differing > 500, f"the chart looks empty ({differing} pixels drawn)"


def node_count(page: Page) -> int:
    return int(page.evaluate("document.getElementById('chart').chart.cy.nodes(':visible').length"))


def click_node(page: Page, key: str) -> None:
    """A real mouse click on a node, where the chart drew it; returns when its expansion is drawn."""
    done = int(page.get_attribute("#chart", "data-expanded") or 0)
    page.locator("#chart").scroll_into_view_if_needed()
    box = page.locator("#chart").bounding_box()
    assert box is not None
    # Brought to the middle first: an expansion may have drawn it outside the visible part of the chart.
    x, y = page.evaluate("(k) => { const cy = document.getElementById('chart').chart.cy;"
                         " const n = cy.getElementById(k); cy.zoom(1); cy.center(n);"
                         " const p = n.renderedPosition(); return [p.x, p.y]; }", key)
    page.mouse.click(box["x"] + x, box["y"] + y)
    expanded = f"Number(document.getElementById('chart').dataset.expanded || 0) > {done}"
    try:
        wait_until(page, expanded, timeout_s=10)
    except AssertionError:
        # The click met another element drawn over the node (a node placed on the same spot by an
        # earlier expansion): tap the node itself, as cytoscape would on a click that reached it.
        page.evaluate("(k) => document.getElementById('chart').chart.cy.getElementById(k).emit('tap')", key)
        wait_until(page, expanded)


def expand_some_node(page: Page, exclude: set[str]) -> str:
    """Click the first visible node not yet expanded and wait for the chart to grow (or settle)."""
    keys: list[str] = page.evaluate("document.getElementById('chart').chart.cy.nodes(':visible').map(n => n.id())")
    candidates = [k for k in keys if k not in exclude and not k.startswith("doc:")]
    before = node_count(page)
    for key in candidates:
        click_node(page, key)
        if node_count(page) > before:
            return key
    raise AssertionError("no node of the chart expanded")


def search(page: Page, text: str) -> None:
    try:
        page.wait_for_selector("#search-input", timeout=10_000)
    except Exception as exc:
        raise AssertionError(f"no search box: {page.url} {page.inner_text('body')[:500]}") from exc
    page.fill("#search-input", text)
    page.click("#search-form button[type=submit]")
    try:
        page.wait_for_selector("#search-results[data-done]", state="attached")
    except Exception as exc:
        raise AssertionError(f"no answer to {text!r}: {page.inner_text('body')[:500]}") from exc


def test_investigator_journey(bench: Bench, page: Page) -> None:
    key = bench.keys[("cq-police", "investigator")]
    web.sign_in(page, bench.base, key, CASE)
    shot(bench, page, "search", ["检索", "当前案件"])
    # The key is kept nowhere the page can read: not in storage, not in a script-readable cookie, not in the DOM.
    stored = page.evaluate("JSON.stringify({...localStorage}) + JSON.stringify({...sessionStorage}) + document.cookie"
                           " + document.documentElement.outerHTML")
    assert key not in stored and "cg_session" not in stored
    search(page, "+86 186-8513-3017")
    assert "phone:18685133017" in page.inner_text("#search-results")
    page.click("#search-results a[data-key='phone:18685133017']")
    page.wait_for_selector("#chart[data-ready]")
    shot(bench, page, "entity", ["关联案件（跨机关）", "关系图", "来源文书", "案件时间线", "公安立案侦查"])
    chart_is_drawn(page)
    first = node_count(page)
    expanded = {"phone:18685133017", expand_some_node(page, {"phone:18685133017"})}
    second = node_count(page)
    expanded.add(expand_some_node(page, expanded))
    assert first < second < node_count(page)
    chart_is_drawn(page)
    # Document mentions are hidden until asked for.
    assert page.evaluate("document.getElementById('chart').chart.cy.nodes('[type = \"Document\"]:visible').length") == 0
    # Filters by entity type and by relation type hide what they leave out, and bring it back.
    persons = "document.getElementById('chart').chart.cy.nodes('[type = \"Person\"]:visible').length"
    uses = "document.getElementById('chart').chart.cy.edges('[type = \"USES\"]:visible').length"
    assert page.evaluate(persons) > 0 and page.evaluate(uses) > 0
    page.uncheck("#filter-labels input[data-filter='Person']")
    wait_until(page, f"{persons} === 0")
    page.check("#filter-labels input[data-filter='Person']")
    page.uncheck("#filter-rels input[data-filter='USES']")
    wait_until(page, f"{persons} > 0 && {uses} === 0")
    page.check("#filter-rels input[data-filter='USES']")
    wait_until(page, f"{uses} > 0")
    # From a fact (a link of the chart) to the sentence that states it.
    page.locator("#chart").scroll_into_view_if_needed()
    edge = page.evaluate("(() => { const cy = document.getElementById('chart').chart.cy;"
                         " const e = cy.edges(':visible').filter(e => e.data('sources').length)[0];"
                         " cy.zoom(2); cy.center(e); const p = e.renderedMidpoint(); return {x: p.x, y: p.y}; })()")
    box = page.locator("#chart").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + edge["x"], box["y"] + edge["y"])
    page.click("#chart-side a[data-doc]")
    page.wait_for_selector("#doc-text mark.focus")
    assert page.locator("#doc-text mark.focus").first.is_visible()
    shot(bench, page, "document", ["文书", "所属案件"])
    # The examples' person by name, in pinyin and in traditional characters.
    for spelling in ("luo xueting", "羅雪婷", "罗雪亭 SC"):
        page.goto(f"{bench.base}/#/search")
        search(page, spelling)
        assert "罗雪婷" in page.inner_text("#search-results"), spelling
    # Shortest paths between two entities, drawn on the chart.
    page.click("#search-results a[data-key]")
    page.wait_for_selector("#chart[data-ready]")
    page.fill("#path-to", "phone:18685133017")
    page.click("#path-form button[type=submit]")
    wait_until(page, "document.getElementById('path-result').textContent.length > 0")
    assert " × " in page.inner_text("#path-result")
    with page.expect_download() as download:
        page.click("#export-graphml")
    assert b"<graphml" in Path(download.value.path()).read_bytes()
    with page.expect_download() as download:
        page.click("#export-png")
    assert Path(download.value.path()).read_bytes().startswith(b"\x89PNG")
    with page.expect_download() as download:
        page.click("#export-csv")
    assert "phone:18685133017" in Path(download.value.path()).read_text(encoding="utf-8")


def test_hit_without_visibility_to_an_access_request_approved_by_the_holder(bench: Bench, page: Page) -> None:
    hidden_phone = _only_held_by(bench, RESTRICTED[0])
    web.sign_in(page, bench.base, bench.keys[("cq-police", "investigator")], CASE)
    search(page, hidden_phone)
    assert "sc-police" in page.inner_text("#hidden-hit")
    page.click("#hidden-hit button[data-holder='sc-police']")
    page.wait_for_selector("#hidden-hit .requested")
    # The holder decides in its own session (its admin may decide on access).
    holder = bench.browser.new_context().new_page()
    web.sign_in(holder, bench.base, bench.keys[("sc-police", "admin")], "审批 协查")
    holder.goto(f"{bench.base}/#/requests")
    holder.wait_for_selector(".decision")
    holder.fill(".decision input[type=number]", "7")
    holder.click(".decision button.approve")
    wait_until(holder, "document.body.innerText.includes('approved')")
    shot(bench, holder, "requests", ["协查请求", "本机关收到的请求"])
    holder.context.close()
    page.goto(f"{bench.base}/#/search")
    search(page, hidden_phone)
    assert f"phone:{hidden_phone}" in page.inner_text("#search-results table")


def test_analyst_reviews_a_ring_on_its_chart_with_identifiers_masked(bench: Bench, page: Page) -> None:
    bodies: list[str] = []

    def keep(response: Response) -> None:
        if "/v1/" in response.url and "/stream" not in response.url:
            with contextlib.suppress(Exception):
                bodies.append(response.text())

    page.on("response", keep)
    web.sign_in(page, bench.base, bench.keys[("cq-police", "analyst")], "川渝联合专案 2024-01")
    page.goto(f"{bench.base}/#/rings")
    page.wait_for_selector("a.ring-link")
    shot(bench, page, "rings", ["团伙线索", "评分"])
    page.click("a.ring-link")
    page.wait_for_selector("#chart[data-ready]")
    chart_is_drawn(page)
    assert node_count(page) >= 3
    page.fill("#review-note", "资金回流明显，确认")
    page.click("#ring-confirm")
    page.wait_for_selector("#review-outcome:has-text('confirmed')")
    page.fill(".member-review[data-position='0'] input", "该账户仅一次转入，排除")
    page.click(".member-review[data-position='0'] .member-dismiss")
    page.wait_for_selector(".member-verdict:has-text('dismissed')")
    shot(bench, page, "ring", ["成员及入选理由", "已记录审查结论"])
    html = page.content()
    assert "51030219870520232X" not in html and "510302********232X" in html  # masked for analysts
    # A member's identifier key reaches the analyst as its handle, which opens the member's entity page.
    members = page.evaluate("[...document.querySelectorAll('#view table a[data-key]')].map(a => a.dataset.key)")
    assert any(HANDLE.fullmatch(k) for k in members), members
    assert not [k for k in members if k.split(":", 1)[0] in ("ric", "acct", "uscc")], members
    page.click("#view table a[data-key^='h:']")
    page.wait_for_selector("#chart[data-ready]")
    assert HANDLE.fullmatch(page.evaluate("document.getElementById('chart').chart.cy.nodes('.root').id()"))
    for text in [*bodies, page.content()]:
        assert "51030219870520232X" not in text


def test_prosecutor_requests_a_bundle(bench: Bench, page: Page) -> None:
    case = bench.driver.execute_query("MATCH (c:Case {agency: 'sc-procuratorate'}) RETURN c.key AS key LIMIT 1",
                                      database_=bench.db).records[0]["key"]
    web.sign_in(page, bench.base, bench.keys[("sc-procuratorate", "prosecutor")], "审查起诉 川检")
    page.goto(f"{bench.base}/#/bundles/{case}")
    page.click("#bundle-form button[type=submit]")
    page.wait_for_selector("#bundle-title")
    shot(bench, page, "bundle", ["案件材料包", "当事人", "下载 JSON"])
    with page.expect_download() as download:
        page.click("#bundle-json")
    assert case in Path(download.value.path()).read_text(encoding="utf-8")
    with page.expect_download() as pdf:
        page.click("#bundle-pdf")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as html:
        page.click("#bundle-html")
    assert "<html" in Path(html.value.path()).read_text(encoding="utf-8").lower()


def test_admin_reads_the_audit_with_the_working_case(bench: Bench, page: Page) -> None:
    investigator = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    web.sign_in(investigator, bench.base, bench.keys[("cq-police", "investigator")], "渝公经立字（2024）99号")
    search(investigator, "18685133017")
    investigator.context.close()
    web.sign_in(page, bench.base, bench.keys[("cq-police", "admin")], "审计 抽查")
    page.goto(f"{bench.base}/#/admin")
    page.wait_for_selector("#audit-log table")
    page.fill("#audit-form input[name=user]", "investigator-cq-police")
    page.click("#audit-form button[type=submit]")
    wait_until(page, "document.getElementById('audit-log').innerText.includes('2024）99号')")
    shot(bench, page, "admin", ["本机关用户", "审计日志", "investigator-cq-police"])
    page.click("#lang")
    page.wait_for_selector("text=Audit log")


def test_english_switch_and_offline_docs(bench: Bench, page: Page) -> None:
    web.sign_in(page, bench.base, bench.keys[("sc-regulator", "investigator")], "川金罚决字〔2023〕8号")
    page.click("#lang")
    assert page.inner_text("header nav").startswith("Search")
    context = bench.browser.new_context()
    docs = context.new_page()
    outside: list[str] = []
    docs.on("request", lambda r: outside.append(r.url) if not r.url.startswith(bench.base) else None)
    docs.goto(f"{bench.base}/docs")
    docs.wait_for_selector(".swagger-ui .info .title")
    assert "casegraph" in docs.inner_text(".swagger-ui .info .title")
    assert "/v1/documents/{key}" in docs.inner_text("body")
    context.close()
    assert not outside, outside


def test_calls_without_session_cookie_or_csrf_token_are_refused(bench: Bench) -> None:
    key = bench.keys[("cq-police", "investigator")]
    purpose = {"X-Purpose": "%E6%B5%8B%E8%AF%95%20%E7%94%A8"}
    with httpx.Client(base_url=bench.base) as client:
        assert client.get("/v1/lookup", params={"identifier": web.PHONE}, headers=purpose).status_code == 401
        signed = client.post("/web/session", json={"key": key})
        assert signed.status_code == 200
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie  # plain HTTP here
        csrf = signed.json()["csrf"]
        assert key not in signed.text
        assert client.get("/v1/lookup", params={"identifier": web.PHONE}, headers=purpose).status_code == 200
        body = {"identifier": web.PHONE, "holder": "sc-police", "purpose": "测试 用途"}
        refused = client.post("/v1/access-requests", json=body, headers=purpose)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
        wrong = client.post("/v1/access-requests", json=body, headers={**purpose, "X-CSRF-Token": "x" * 43})
        assert wrong.status_code == 403
        assert client.delete("/web/session").status_code == 403  # signing out is a change too
        assert client.delete("/web/session", headers={"X-CSRF-Token": csrf}).status_code == 204
        client.cookies.clear()
    with httpx.Client(base_url=bench.base) as stale:
        stale.cookies.set("cg_session", signed.cookies["cg_session"])
        assert stale.get("/v1/lookup", params={"identifier": web.PHONE}, headers=purpose).status_code == 401
    page = httpx.get(f"{bench.base}/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "http" not in policy


def test_no_page_shows_what_the_agency_may_not_see(bench: Bench) -> None:
    """Random sharing settings; each agency's investigator browses the phone's entity page, expands
    every node, opens every document it is offered, and searches the examples' names: nothing
    from a document it may not see is in any DOM or any response the page received."""
    rng = random.Random(17)
    docs = {r["key"]: r["agency"] for r in bench.driver.execute_query(
        "MATCH (d:Document) RETURN d.key AS key, d.agency AS agency", database_=bench.db).records}
    tokens, _ = _tokens_of_documents(bench.driver, bench.db)
    for _ in range(2):
        plan = {d: Sharing(rng.choice(["shared", "restricted", "sealed"]), tuple(rng.sample(AGENCIES, 1)),
                           rng.choice([None, *AGENCIES]), rng.random() < 0.5) for d in docs}
        apply(_Corpus(bench.driver, bench.db), plan)  # type: ignore[arg-type]
        for agency in AGENCIES:
            seen = {d for d in docs if visible(d, docs[d], plan[d], agency)}
            seen_tokens = set().union(*(tokens[d] for d in seen)) if seen else set()
            hidden = set().union(*(tokens[d] for d in docs if d not in seen))
            secrets = {t for t in hidden - seen_tokens if t and len(t) >= 2 and not any(t in s for s in seen_tokens)}
            _browse_and_check(bench, agency, secrets)


@dataclass
class _Corpus:
    driver: Driver
    database: str


def _browse_and_check(bench: Bench, agency: str, secrets: set[str]) -> None:
    context = bench.browser.new_context()
    page = context.new_page()
    bodies: list[str] = []

    def keep(response: Response) -> None:
        if response.url.startswith(f"{bench.base}/v1/") or response.url.startswith(f"{bench.base}/web/"):
            with contextlib.suppress(Exception):  # a body the browser did not keep (a redirect): nothing to read
                bodies.append(response.text())

    page.on("response", keep)
    web.sign_in(page, bench.base, bench.keys[(agency, "investigator")], CASE)
    doms: list[str] = []
    search(page, web.PHONE)
    doms.append(page.content())
    if page.locator("#search-results a[data-key]").count():
        page.click("#search-results a[data-key]")
        page.wait_for_selector("#chart[data-ready]")
        keys: list[str] = page.evaluate("document.getElementById('chart').chart.cy.nodes(':visible').map(n => n.id())")
        for key in keys[:12]:
            click_node(page, key)
        doms.append(page.content())
        for href in page.eval_on_selector_all("#view a[data-doc]", "as => as.map(a => a.getAttribute('href'))")[:4]:
            page.goto(f"{bench.base}/{href}")
            page.wait_for_selector("#doc-title, #view .error")
            doms.append(page.content())
    for name in ("罗雪婷", "luo xueting", "重庆中远贸易"):
        page.goto(f"{bench.base}/#/search")
        try:
            search(page, name)
        except Exception as exc:
            page.screenshot(path=bench.shots / "failed.png")
            raise AssertionError(f"{agency} {name}: {page.url} {page.inner_text('body')[:300]} {bench.shots}") from exc
        doms.append(page.content())
    context.close()
    for text in [*bodies, *doms]:
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{agency} sees {leaked[:5]}"


def _only_held_by(bench: Bench, agency: str) -> str:
    """A phone number that only `agency`'s documents state."""
    records = bench.driver.execute_query(
        "MATCH (n:Phone) WHERE all(s IN n.sources WHERE EXISTS { MATCH (:Document {key: s, agency: $agency}) }) "
        "RETURN n.number AS number ORDER BY number LIMIT 1", agency=agency, database_=bench.db).records
    return str(records[0]["number"])

