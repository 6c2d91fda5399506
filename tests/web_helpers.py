"""The workbench's test rig: the examples ingested with users of every role, the app on uvicorn in a
thread on a free port, and Debian's Chromium driven by Playwright (never a downloaded browser)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uvicorn
from neo4j import Driver
from playwright.sync_api import Browser, Page, sync_playwright

from casegraph.access import ROLES
from casegraph.detect.jobs import detect_on_graph, write_run
from casegraph.detect.params import DetectionParams
from casegraph.graph.queries import cypher
from casegraph.graph.users import add_user
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from casegraph.web.app import create_web_app
from tests.conftest import REPO

EXAMPLES = REPO / "examples"
PHONE = "18685133017"  # the README's phone, shared by the examples' agencies
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def truth() -> dict[str, Any]:
    return dict(json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8")))


def load_examples(driver: Driver, db: str, home: Path, sharing: dict[str, tuple[str, list[str]]] | None = None,
                  ) -> None:
    """Every agency of the examples registered and its folder ingested; `sharing` sets an agency's level."""
    sharing = sharing or {}
    for agency in truth()["agencies"]:
        driver.execute_query(cypher("agency_upsert"), id=agency["id"], kind=agency["kind"], region=agency["region"],
                             name=agency["name"], default_sharing="shared", database_=db)
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        level, shared_with = sharing.get(folder.name, ("shared", []))
        report = ingest(driver, db, [folder], folder.name, home, sharing=level, shared_with=shared_with)
        assert not report.quarantined, report.quarantined


def add_users(driver: Driver, db: str) -> dict[tuple[str, str], str]:
    """(agency, role) → API key, for every agency of the examples and every role."""
    keys = {}
    for agency in truth()["agencies"]:
        for role in ROLES:
            _, key = add_user(driver, db, f"{role}-{agency['id']}", agency["id"], role, "test")
            keys[(agency["id"], role)] = key
    return keys


def detect(driver: Driver, db: str) -> None:
    started = datetime.now(UTC)
    projection, result, stats = detect_on_graph(driver, db, None, DetectionParams())
    write_run(driver, db, f"run-web-{time.monotonic_ns() % 10**6}", None, projection, result, stats, started)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The workbench on 127.0.0.1:<free port> until the block ends; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_web_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the workbench did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(page: Page, base: str, key: str, case: str) -> None:
    """Sign in with `key` and set the working case, as a user would."""
    page.goto(f"{base}/")
    page.fill("#key-input", key)
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#top:not([hidden])")
    page.fill("#case-input", case)
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#search-form")
