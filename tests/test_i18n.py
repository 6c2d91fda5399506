"""The message catalogue: 简体中文 by default, English on request, nothing shown untranslated."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rich.console import Console
from typer.testing import CliRunner

from casegraph.i18n import gettext, language_from_header, translate
from casegraph.i18n.cli_help import iter_commands
from casegraph.i18n.collect import MO_FILE, PO_FILE, all_messages, compile_catalogue, source_messages
from casegraph.ingest.ingest_command import report_table
from casegraph.ingest.run import IngestReport, Quarantined
from casegraph.settings import Settings

# Three or more English words in a row (a sentence), as opposed to identifiers, option names and codes.
ENGLISH_RUN = re.compile(r"(?<![-\w.:/<])[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}(?![\w:/])")
PLACEHOLDER = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")


CODE = re.compile(r"`[^`]*`|'[^']*'")


def english_runs(text: str) -> list[str]:
    """Runs of English words outside code (`casegraph db start`) and quoted values ('…')."""
    return [m.group(0) for m in ENGLISH_RUN.finditer(CODE.sub(" ", text))]


@pytest.fixture()
def zh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CASEGRAPH_LANG", raising=False)
    yield


def _catalogue() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with PO_FILE.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_the_catalogue_translates_every_message_the_code_shows() -> None:
    catalogue = _catalogue()
    missing = {msgid: where for msgid, where in all_messages().items() if not catalogue.get(msgid)}
    assert not missing, f"untranslated (run python -m casegraph.i18n.collect, then translate): {missing}"
    for msgid, msgstr in catalogue.items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), (msgid, msgstr)
        assert not english_runs(msgstr.replace("[blue]", "").replace("[/]", "")), msgstr


def test_the_compiled_catalogue_is_the_po_file() -> None:
    before = MO_FILE.read_bytes()
    assert compile_catalogue() == before, "casegraph.mo is stale: python -m casegraph.i18n.collect"


def test_error_templates_are_found_at_their_raise_sites() -> None:
    found = dict(source_messages())
    assert "no entity with key {key}" in found and "no such file" in found
    assert translate("no entity with key ric:500103199001011234", "zh") == "没有键为 ric:500103199001011234 的实体"
    assert translate("no entity with key ric:1", "en") == "no entity with key ric:1"
    # A value filled into a template is translated too: the quarantine reason inside an unreadable file's error.
    assert translate("a.pdf: no text layer", "zh") == "a.pdf：没有文字层"
    assert translate("a message no one wrote", "zh") == "a message no one wrote"
    # A msgid of placeholders alone (`{edge} {other}`) matches any text with a space: it must not shadow the
    # template a message came from (`casegraph rings show` printed `no ring 'x'` in English).
    assert translate("no ring 'run-1'", "zh") == "没有团伙 'run-1'"


def test_accept_language_picks_zh_or_en() -> None:
    assert language_from_header(None) == "zh"
    assert language_from_header("en-US,en;q=0.9") == "en"
    assert language_from_header("fr, en;q=0.5, zh-CN;q=0.8") == "zh"
    assert language_from_header("zh;q=0, en;q=0.1") == "en"
    assert language_from_header("de") == "zh"


def _help_pages(language: str | None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    import typer.main

    from casegraph.cli import app

    if language:
        monkeypatch.setenv("CASEGRAPH_LANG", language)
    else:
        monkeypatch.delenv("CASEGRAPH_LANG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    pages = {}
    for path, _ in iter_commands(typer.main.get_command(app)):
        args = path.split()[1:]
        result = runner.invoke(app, [*args, "--help"], prog_name="casegraph")
        assert result.exit_code == 0, (path, result.output)
        pages[path] = result.output
    return pages


def test_every_help_page_is_chinese_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _help_pages(None, monkeypatch)
    assert len(pages) > 40
    for path, text in pages.items():
        assert "用法：" in text and "选项" in text, path
        assert not english_runs(text.replace(path, "")), (path, english_runs(text.replace(path, "")))
        assert not re.search(r"<(bool|str|int|float|list\[\w+\]|Path)>", text), (path, text)
    assert "casegraph：跨机构金融犯罪案件图谱。" in pages["casegraph"]


def test_every_help_page_is_english_with_casegraph_lang_en(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = _help_pages("en", monkeypatch)
    for path, text in pages.items():
        assert "Usage:" in text and "Options" in text and "用法" not in text, path
        assert not re.search(r"<(bool|str|int|float|list\[\w+\]|Path)>", text), (path, text)
    assert "Ingest case files" in pages["casegraph ingest"]
    # And back: the process language decides, not whichever ran first.
    assert "用法：" in _help_pages(None, monkeypatch)["casegraph ingest"]


def test_version_and_typer_errors_in_chinese(zh: None) -> None:
    from casegraph.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).output.startswith("casegraph ")
    missing = runner.invoke(app, ["ingest"], prog_name="casegraph")
    assert missing.exit_code == 2 and "缺少参数" in missing.output and "Missing" not in missing.output
    unknown = runner.invoke(app, ["nonsense"], prog_name="casegraph")
    assert "没有命令 'nonsense'。" in unknown.output


def _render(table: object) -> str:
    out = io.StringIO()
    Console(file=out, width=200).print(table)
    return out.getvalue()


def test_the_ingest_report_is_chinese_by_default(zh: None) -> None:
    report = IngestReport(files=1200, ingested=3)
    report.linked.reasons.update({"name+birth_date": 2, "linked": 1})
    report.quarantined.append(Quarantined("bad.pdf", "no text layer"))
    text = _render(report_table(report))
    assert "导入报告" in text and "文件数" in text and "1,200" in text and "合并依据：姓名与出生日期相同" in text
    assert not english_runs(text), english_runs(text)
    assert translate("bad.pdf: no text layer") == "bad.pdf：没有文字层"


def test_the_ingest_report_in_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEGRAPH_LANG", "en")
    text = _render(report_table(IngestReport(files=2)))
    assert "ingest report" in text and "files" in text and "导入" not in text


def test_api_errors_speak_the_callers_language(neo4j_settings: Settings) -> None:
    from casegraph.api.app import create_app

    with TestClient(create_app(neo4j_settings)) as client:
        zh_body = client.get("/v1/lookup", params={"identifier": "13823456789"}).json()
        assert zh_body["error"]["code"] == "unauthorized"
        assert zh_body["error"]["message"] == "需要 API 密钥：`Authorization: Bearer <密钥>` 或 `X-API-Key: <密钥>`"
        en_body = client.get("/v1/lookup", params={"identifier": "13823456789"},
                             headers={"Accept-Language": "en-GB,en;q=0.9"}).json()
        assert en_body["error"]["code"] == "unauthorized" and en_body["error"]["message"].startswith("an API key")
        bad = client.get("/v1/lookup", headers={"Authorization": "Basic x"}).json()
        assert bad["error"]["message"] == "Authorization 请求头须为 `Bearer <API 密钥>`"
        nowhere = client.get("/v1/no-such-route").json()
        assert nowhere["error"]["message"] == gettext("Not Found", "zh") == "未找到"


def test_every_api_error_class_message_has_a_chinese_text() -> None:
    catalogue = _catalogue()
    api_sites = [(m, w) for m, w in source_messages() if w.startswith(("casegraph/api/", "casegraph/graph/",
                                                                         "casegraph/access/"))]
    assert len(api_sites) > 40
    assert all(catalogue.get(msgid) for msgid, _ in api_sites)


def test_every_command_has_an_example_in_its_help(monkeypatch: pytest.MonkeyPatch) -> None:
    import typer.main

    from casegraph.cli import EXAMPLES, app

    paths = {path for path, _ in iter_commands(typer.main.get_command(app))}
    assert paths <= set(EXAMPLES), paths - set(EXAMPLES)
    assert all(example.startswith(path) for path, example in EXAMPLES.items() if path.count(" ") > 1)
    pages = _help_pages(None, monkeypatch)
    assert all("示例：`casegraph " in page for page in pages.values())
