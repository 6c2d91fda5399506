"""The workbench's alerts panel in a real headless Chromium (Debian's, driven by Playwright): the unread
count in the header, the list with grades and filters, read/unread, a hit-only alert that shows no
content in the DOM (only its holders and the access-request button), a new alert arriving over the
stream, and a ring's 联合处置 record with its overdue task marked done.

One module, one small graph: the thin documents (the Sichuan procuratorate's restricted from the
Chongqing police, who watch the suspect), one detection run, a joint handling record with a task.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from neo4j import Driver
from playwright.sync_api import Browser, Page

from casegraph.access import Caller
from casegraph.alerts.watches import watch_spec
from casegraph.graph import alert_store, joint_handling, joint_tasks
from casegraph.graph.connection import get_driver
from casegraph.graph.users import add_user
from casegraph.ingest.run import ingest
from casegraph.settings import Settings
from tests import web_helpers as web
from tests.resolution_helpers import write_text
from tests.test_alerts_rings import detect
from tests.test_thin_path import PERSON, THIN, register_agencies
from tests.test_web import page, wait_until  # noqa: F401  (the `page` fixture: a context per test, no script error)

CASE = "渝公（经）立字〔2023〕45号"
POLICE = Caller(user="li.cq", agency="cq-police", role="investigator")
RESTRICTED_CASE = "川检刑诉"  # the procuratorate's case number: never on the police's pages
LATE = "四川省公安厅\n立案决定书\n川公经立字〔2024〕3号\n犯罪嫌疑人张伟，公民身份号码500103198503124515，涉嫌集资诈骗。"


@dataclass
class Bench:
    driver: Driver
    db: str
    base: str
    browser: Browser
    key: str
    restricted_doc: str
    ring: str


@pytest.fixture(scope="module")
def bench(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    db = neo4j_settings.neo4j_database
    driver = get_driver(neo4j_settings)
    driver.execute_query("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n", database_=db)
    home = tmp_path_factory.mktemp("home")
    register_agencies(driver, db)
    _, key = add_user(driver, db, POLICE.user, POLICE.agency, POLICE.role, "test")
    ingest(driver, db, [THIN / "cq-police-filing.txt"], "cq-police", home)
    alert_store.add_watch(driver, db, POLICE, watch_spec("entity", PERSON, POLICE.agency), for_agency=True)
    ingest(driver, db, [THIN / "sc-regulator-penalty.txt"], "sc-regulator", home)
    ingest(driver, db, [THIN / "sc-procuratorate-record.json"], "sc-procuratorate", home, sharing="restricted",
           shared_with=["sc-regulator"])
    records, _, _ = driver.execute_query("MATCH (d:Document {agency: 'sc-procuratorate'}) RETURN d.key AS key",
                                         database_=db)
    detect(driver, db)  # every ring written, reported or not: the thin documents make a small one
    rings, _, _ = driver.execute_query("MATCH (a:Alert {agency: 'cq-police'}) WHERE a.ring IS NOT NULL "
                                       "RETURN a.ring AS ring LIMIT 1", database_=db)
    joint = joint_handling.open_joint(driver, db, POLICE, rings[0]["ring"], "涉两地")
    joint_tasks.add_task(driver, db, POLICE, joint["id"], "冻结涉案账户", POLICE.user, date.today() - timedelta(days=3))
    settings = neo4j_settings.model_copy(update={"home": home, "api_rate_per_s": 1e6, "api_rate_burst": 10**6})
    with web.serving(settings) as base, web.chromium() as browser:
        yield Bench(driver, db, base, browser, key, records[0]["key"], rings[0]["ring"])
    # the driver is get_driver's shared one: the tests after this module go on using it


UNREAD = "Number(document.getElementById('alerts-unread').dataset.count || 0)"


def test_alerts_panel_lists_filters_marks_read_and_updates_live(bench: Bench, page: Page) -> None:  # noqa: F811
    web.sign_in(page, bench.base, bench.key, CASE)
    wait_until(page, f"{UNREAD} >= 3")  # the penalty, the restricted record, the ring
    unread = page.evaluate(UNREAD)
    page.click("#alerts-link")
    page.wait_for_selector("#alerts-table tr.alert")
    rows = page.locator("tr.alert")
    assert rows.count() == unread
    text = page.inner_text("#alerts-table")
    assert "他机关新文书提及" in text and "新团伙" in text
    # The hit-only alert: its holder and the access-request button, nothing of the document.
    hidden = page.locator("tr.alert[data-visible='0']")
    assert hidden.count() >= 1
    assert hidden.first.locator("button[data-holder='sc-procuratorate']").count() == 1
    html = page.content()
    assert bench.restricted_doc not in html and RESTRICTED_CASE not in html and "sc-procuratorate-record" not in html
    # The grade filter shows only that grade; read moves the count down.
    grade = rows.first.locator(".alert-grade").inner_text()
    page.select_option("#alerts-grade", grade)
    wait_until(page, f"[...document.querySelectorAll('tr.alert .alert-grade')].every(c => c.textContent === '{grade}')"
                     " && document.getElementById('alerts-grade').value === " + repr(grade))
    page.select_option("#alerts-grade", "")
    wait_until(page, f"document.querySelectorAll('tr.alert').length === {unread}")
    page.locator("tr.alert.unread button.alert-read").first.click()
    wait_until(page, f"{UNREAD} === {unread - 1}")
    # Another agency's new document naming the suspect arrives over the stream, unasked.
    wait_until(page, "document.body.dataset.alertStream === 'open'")
    write_text(bench.driver, bench.db, LATE, "/sc/police/late.txt", "sc-police")
    wait_until(page, f"{UNREAD} === {unread}", timeout_s=15)
    wait_until(page, f"document.querySelectorAll('tr.alert').length === {unread + 1}")


def test_a_ring_page_shows_its_joint_handling_and_an_overdue_task_is_marked_done(bench: Bench, page: Page,  # noqa: F811
                                                                                  tmp_path: Path) -> None:
    web.sign_in(page, bench.base, bench.key, CASE)
    page.click("#alerts-link")  # from the ring's alert to the ring's page
    page.click(f".alert-evidence a[href='#/ring/{bench.ring}']")
    page.wait_for_selector("#joint-panel, #view p.error")
    assert page.locator("#view p.error").count() == 0, page.inner_text("#view")
    wait_until(page, "!!document.querySelector('#joint-panel')")
    assert page.locator("#joint-panel .error").count() == 0, page.inner_text("#joint-panel")
    page.wait_for_selector("#joint-panel .joint")
    panel = page.inner_text("#joint-panel")
    assert "联合处置" in panel and "涉两地" in panel and "冻结涉案账户" in panel and "已逾期" in panel
    page.click("#joint-panel button.task-finish")
    wait_until(page, "!!document.querySelector('#joint-panel .task-state.done')")
    assert "已完成" in page.inner_text("#joint-panel") and page.locator("button.task-finish").count() == 0
    page.screenshot(path=tmp_path / "ring-joint.png", full_page=True)
