"""The workbench's API client in a real Chromium: a call the server shed is repeated, nothing else is.

No server: Playwright answers every request (the page, api.js from the package, the API's replies), so
the test sees exactly which calls the page made."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Route

from casegraph.web import routes
from tests.web_helpers import chromium

BASE = "http://workbench.test"
PAGE = """<!doctype html><script type="module">
import { get, post } from "/static/api.js";
async function attempt(call) {
  try { return { ok: await call() }; } catch (error) { return { status: error.status, code: error.code }; }
}
window.outcomes = {
  shedTwice: await attempt(() => get("/v1/shed-twice")),
  shedPost: await attempt(() => post("/v1/shed-post", { n: 1 })),
  down: await attempt(() => get("/v1/down")),
  alwaysShed: await attempt(() => get("/v1/always-shed")),
};
</script>"""


def _error(code: str) -> str:
    return json.dumps({"error": {"code": code, "message": code, "retry_after_s": 0}})


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with chromium() as browser:
        page = browser.new_page()
        yield page
        page.close()


def test_a_shed_call_is_repeated_and_other_errors_are_not(page: Page) -> None:
    calls: dict[str, int] = {}

    def answer(route: Route) -> None:
        path = route.request.url.removeprefix(BASE)
        calls[path] = calls.get(path, 0) + 1
        if path == "/":
            route.fulfill(status=200, content_type="text/html", body=PAGE)
        elif path == "/static/api.js":
            route.fulfill(status=200, content_type="text/javascript",
                          body=(routes.STATIC / "api.js").read_text(encoding="utf-8"))
        elif (path in ("/v1/shed-twice", "/v1/shed-post") and calls[path] <= 2) or path == "/v1/always-shed":
            route.fulfill(status=503, content_type="application/json", headers={"Retry-After": "0"},
                          body=_error("overloaded"))
        elif path == "/v1/down":
            route.fulfill(status=503, content_type="application/json", body=_error("neo4j_unavailable"))
        else:
            route.fulfill(status=200, content_type="application/json", body=json.dumps({"path": path}))

    page.route(f"{BASE}/**", answer)
    page.goto(f"{BASE}/")
    page.wait_for_function("window.outcomes !== undefined", timeout=20_000)
    outcomes = page.evaluate("window.outcomes")

    assert outcomes["shedTwice"] == {"ok": {"path": "/v1/shed-twice"}} and calls["/v1/shed-twice"] == 3
    assert outcomes["shedPost"] == {"ok": {"path": "/v1/shed-post"}} and calls["/v1/shed-post"] == 3
    # a 503 that is not a shed call (the database is down) did or may have done work: not repeated
    assert outcomes["down"] == {"status": 503, "code": "neo4j_unavailable"} and calls["/v1/down"] == 1
    # repeated a bounded number of times, then the page hears of it
    assert outcomes["alwaysShed"] == {"status": 503, "code": "overloaded"} and calls["/v1/always-shed"] == 4
