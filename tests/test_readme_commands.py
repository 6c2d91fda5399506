"""Every command the README and the CLI's help show, run as shown against a real server and the ingested examples.

The examples in `casegraph/cli.py` (the `示例：` line of each help page) are the concrete commands; the README's
command table names the same commands with their syntax, and its quick start calls the API. Each is run in
the default (Chinese) locale and must succeed and print no English sentence (identifiers, codes, option
names and JSON field names are not sentences). The few that start or stop servers, replace the store or
train a model are named below with the reason; a new example is run unless it is added there on purpose.
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from neo4j import Driver
from typer.testing import CliRunner

from casegraph.cli import EXAMPLES, app
from casegraph.detect.jobs import detect_on_graph, write_run
from casegraph.detect.params import DetectionParams
from casegraph.graph import rings as ring_store
from casegraph.graph import sharing, users
from casegraph.settings import Settings
from tests.conftest import REPO
from tests.test_i18n import english_runs

# Examples not run here, each with the reason (each has its own tests).
NOT_RUN = {
    "casegraph db": "starts the local server: the test server is the conftest's (tests/test_local_server.py)",
    "casegraph db start": "starts the local server (tests/test_local_server.py)",
    "casegraph db stop": "stops the server the test runs against (tests/test_local_server.py)",
    "casegraph db backup": "stops and restarts the local server (tests/test_backup_restore.py)",
    "casegraph db restore": "replaces the local store (tests/test_backup_restore.py)",
    "casegraph load": "replaces the local store by Neo4j's importer (tests/test_bulk_load.py)",
    "casegraph serve": "serves until stopped (tests/test_api.py, tests/test_clean_stop.py)",
    "casegraph model": "trains the name model for minutes (tests/test_names_model.py)",
    "casegraph model train": "trains the name model for minutes (tests/test_names_model.py)",
    "casegraph joint alert": "needs an alert a detection raised for a watch (tests/test_alerts_cli.py)",
    "casegraph joint open": "needs a ring of a stored run (tests/test_alerts_cli.py)",
    "casegraph joint join": "needs a 联合处置 record opened first (tests/test_alerts_cli.py)",
    "casegraph joint note": "needs a 联合处置 record opened first (tests/test_alerts_cli.py)",
    "casegraph joint task add": "needs a 联合处置 record opened first (tests/test_alerts_cli.py)",
    "casegraph joint task done": "needs a task of a 联合处置 record (tests/test_alerts_cli.py)",
}
# The order the commands run in: what later ones need first (the corpus, the users, the watch …).
FIRST = ["casegraph agency add", "casegraph agency", "casegraph agency list", "casegraph ingest",
         "casegraph users add", "casegraph demo", "casegraph demo generate", "casegraph watch add"]
LAST = ["casegraph resolve confirm", "casegraph resolve reject", "casegraph resolve split",
        "casegraph documents delete", "casegraph users revoke", "casegraph eval", "casegraph eval resolution"]
AGENCIES = {"cq-police": ("police", "CQ", "重庆市公安局经济犯罪侦查总队"),
            "sc-police": ("police", "SC", "四川省公安厅经济犯罪侦查总队"),
            "cq-procuratorate": ("procuratorate", "CQ", "重庆市人民检察院"),
            "sc-procuratorate": ("procuratorate", "SC", "四川省人民检察院"),
            "cq-regulator": ("regulator", "CQ", "国家金融监督管理总局重庆监管局"),
            "sc-regulator": ("regulator", "SC", "国家金融监督管理总局四川监管局")}
JSON_FIELD = re.compile(r'"[A-Za-z_]+":')


def _english(output: str, example: str) -> list[str]:
    """English sentences in a command's output, outside the command itself and JSON field names."""
    return english_runs(JSON_FIELD.sub(" ", output.replace(example, " ")))


class Runner:
    def __init__(self) -> None:
        self.cli = CliRunner()
        self.failures: list[str] = []

    def __call__(self, command: str, shown: str | None = None) -> str:
        started = time.monotonic()
        result = self.cli.invoke(app, shlex.split(command)[1:], prog_name="casegraph")
        took = time.monotonic() - started
        if result.exit_code != 0:
            self.failures.append(f"{shown or command} → exit {result.exit_code} ({took:.1f} s): {result.output[-400:]}")
        elif english := _english(result.output, command):
            self.failures.append(f"{shown or command} → English: {english[:4]}")
        return result.output


def _readme_commands() -> set[str]:
    """`casegraph X [Y]` of each row of the README's command table (its syntax reduced to the command paths)."""
    paths = set()
    for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `casegraph "):
            continue
        for cell in re.findall(r"`(casegraph [^`]*)`", line.split(" | ")[0]):
            words = cell.replace("\\|", "|").split()
            group = f"casegraph {words[1]}"
            if words[1].startswith("--"):
                paths.add("casegraph")
            elif not any(path.startswith(group + " ") for path in EXAMPLES) or len(words) < 3 or words[2] == "…":
                paths.add(group)
            else:  # `db start | stop | status`, `users add|list|revoke|rotate`
                subs = words[2].split("|") + [w for before, w in itertools.pairwise(words[2:])
                                              if before == "|" and re.fullmatch(r"[a-z]+", w)]
                paths.update(f"{group} {sub}" for sub in subs)
    return paths


def _substituted(example: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        example = example.replace(placeholder, value)
    return example


def _setup(run: Runner) -> None:
    """The examples' agencies, files and demo users, by the commands the README gives for them."""
    for agency, (kind, region, name) in AGENCIES.items():
        run(f"casegraph agency add {agency} --kind {kind} --region {region} --name {name}")
    for folder in sorted(p.name for p in (REPO / "examples").iterdir() if p.is_dir()):
        run(f"casegraph ingest examples/{folder} --agency {folder}")
        run(f"casegraph users add demo-{folder} --agency {folder} --role investigator")
    run("casegraph users add demo-cq-analyst --agency cq-police --role analyst")


def _store_a_detection_run(driver: Driver, db: str) -> str:
    """What `POST /v1/jobs/ring-detection` stores; the CLI's `rings` commands read it."""
    started = datetime.now(UTC)
    projection, result, stats = detect_on_graph(driver, db, None, DetectionParams())
    run_id = f"run-readme-{time.monotonic_ns()}"
    write_run(driver, db, run_id, None, projection, result, stats, started)
    page = ring_store.list_rings(driver, db, "cq-police")
    assert page["rings"], "the examples' ring R001 is found"
    return str(page["rings"][0]["id"])


def test_the_readme_table_names_only_commands_with_an_example() -> None:
    assert _readme_commands() - set(EXAMPLES) == set()
    assert len(_readme_commands()) > 30


def test_every_example_command_runs_and_answers_in_chinese(driver: Driver, neo4j_settings: Settings, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = neo4j_settings.neo4j_database
    monkeypatch.delenv("CASEGRAPH_LANG", raising=False)
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_PASSWORD", str(neo4j_settings.neo4j_password))
    monkeypatch.setenv("CASEGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    # The commands name paths relative to a checkout: examples/, tests/gold/ (corpus/ is what `demo generate` writes).
    (tmp_path / "examples").symlink_to(REPO / "examples")
    (tmp_path / "tests").symlink_to(REPO / "tests")
    run = Runner()
    _setup(run)
    assert not run.failures, run.failures
    # What examples/README.md says the files share, as the CLI shows it: the card's holder and bank, the phone's user.
    purpose = "--purpose 渝公经立字（2024）37号"
    card = run(f"casegraph lookup 6228482876674490470 --as demo-cq-police {purpose} --format text")
    assert "持有人" in card and "罗雪婷 (ric:51030219870520232X)" in card and "中国农业银行" in card, card
    phone = json.loads(run(f"casegraph lookup 18685133017 --as demo-cq-police {purpose}"))
    assert [(p["key"], p["name"]) for p in phone["used_by"]] == [("ric:51030219870520232X", "罗雪婷")]
    values = {"run-…-0004": _store_a_detection_run(driver, db)}
    order = [p for p in FIRST if p in EXAMPLES] + sorted(set(EXAMPLES) - set(FIRST) - set(LAST)) + LAST
    assert set(order) == set(EXAMPLES)
    for path in order:
        if path in NOT_RUN:
            continue
        example = EXAMPLES[path]
        if "doc:…" in example:
            values["doc:…"] = _a_document_of(driver, db, "cq-police" if "sharing" in example else None)
        if "wat-…" in example:
            values["wat-…"] = _watch_id(run)
        if "mention:…" in example:  # a mention's key holds its file's path; the examples leave no open candidate
            values["mention:…"] = _a_person_named_without_id(driver, db)
        if "3f2a…" in example:
            values["3f2a…"] = _open_request(driver, db)
        run(_substituted(example, values), shown=example)
    assert not run.failures, "\n".join(run.failures)


def _a_document_of(driver: Driver, db: str, agency: str | None) -> str:
    records, _, _ = driver.execute_query(
        "MATCH (p:Person {key: 'ric:51030219870520232X'})-[:MENTIONED_IN]->(d:Document) "
        "WHERE $agency IS NULL OR d.agency = $agency RETURN d.key AS key ORDER BY d.key LIMIT 1",
        agency=agency, database_=db)
    assert records, "the examples' controller is named in a document"
    return str(records[0]["key"])


def _a_person_named_without_id(driver: Driver, db: str) -> str:
    records, _, _ = driver.execute_query("MATCH (p:Person) WHERE p.key STARTS WITH 'mention:' RETURN p.key AS key "
                                         "ORDER BY key LIMIT 1", database_=db)
    assert records, "the examples name someone without an ID number"
    return str(records[0]["key"])


def _watch_id(run: Runner) -> str:
    listed = run("casegraph watch list --agency cq-police --user li.ming")
    assert listed.strip(), run.failures
    return str(json.loads(listed.splitlines()[0])["id"])


def _open_request(driver: Driver, db: str) -> str:
    request = sharing.create_request(driver, db, requester="demo-sc-police", requester_agency="sc-police",
                                     holder_agency="cq-police", query="18685133017", entity_key="phone:18685133017",
                                     entity_label="Phone", purpose="川公经立字（2024）12号")
    return str(request["id"])


def test_the_quick_starts_api_call_answers_as_the_readme_says(driver: Driver, neo4j_settings: Settings,
                                                              tmp_path: Path) -> None:
    from casegraph.api.app import create_app
    from casegraph.graph.queries import cypher
    from casegraph.ingest.run import ingest

    db = neo4j_settings.neo4j_database
    for agency, (kind, region, name) in AGENCIES.items():
        driver.execute_query(cypher("agency_upsert"), id=agency, kind=kind, region=region, name=name,
                             default_sharing="shared", database_=db)
        if (REPO / "examples" / agency).is_dir():
            ingest(driver, db, [REPO / "examples" / agency], agency, tmp_path)
    _, key = users.add_user(driver, db, "demo-cq-police", "cq-police", "investigator", "test")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    url = re.search(r"'http://127\.0\.0\.1:8000(/v1/lookup\?[^']+)'", readme)
    assert url, "the README's quick start calls the lookup"
    query = {k: v[0] for k, v in parse_qs(urlsplit(url.group(1)).query).items()}
    with TestClient(create_app(neo4j_settings)) as client:
        response = client.get("/v1/lookup", params=query, headers={"Authorization": f"Bearer {key}"})
    answer: dict[str, Any] = response.json()
    assert answer["key"] == "phone:18685133017" and answer["visible"]
    regions = {AGENCIES[c["agency"]][1] for c in answer["cases"]}
    assert regions == {"CQ", "SC"}  # "returns the phone with the cases of the agencies whose documents mention it"


def test_the_examples_readmes_command_writes_the_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/README.md says which generator run wrote the files: running it again gives the same bytes."""
    monkeypatch.delenv("CASEGRAPH_LANG", raising=False)
    shown = re.search(r"^\s+(casegraph demo generate [^\n]+)$", (REPO / "examples" / "README.md").read_text(
        encoding="utf-8"), re.MULTILINE)
    assert shown, "examples/README.md shows the command that wrote the examples"
    monkeypatch.chdir(tmp_path)
    run = Runner()
    run(shown.group(1))
    assert not run.failures, run.failures
    written = sorted(p.relative_to(tmp_path / "examples") for p in (tmp_path / "examples").rglob("*") if p.is_file())
    kept = sorted(p.relative_to(REPO / "examples") for p in (REPO / "examples").rglob("*")
                  if p.is_file() and p.name != "README.md")
    assert written == kept
    assert all((tmp_path / "examples" / p).read_bytes() == (REPO / "examples" / p).read_bytes() for p in written)
