"""The generator's output checked against its own truth file, read back through real readers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from openpyxl import load_workbook
from stdnum import luhn
from stdnum.cn import uscc

from casegraph.demo.generator import generate
from casegraph.demo.identifiers import is_valid_ric
from casegraph.demo.ledgers import LAYOUTS
from casegraph.demo.scales import parse_scale
from casegraph.ingest.readers.pdf_reader import read_pdf
from casegraph.model import ENTITY_TYPES, RELATION_TYPES

SEED = 20261126


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("corpus")
    generate(out, parse_scale("small"), SEED)
    return out, json.loads((out / "truth.json").read_text(encoding="utf-8"))


def _documents(truth: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for d in truth["documents"] if d["kind"] != "ledger" and not d.get("broken")]


def _read_back(root: Path, doc: dict[str, Any]) -> str:
    path = root / doc["path"]
    if doc["format"] == "txt":
        return path.read_bytes().decode(doc["encoding"])
    if doc["format"] == "docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    if doc["format"] == "pdf":
        return read_pdf(path).text  # the lines broken at the margin joined back by the product's reader
    raise AssertionError(f"unexpected format {doc['format']}")


def test_scale_of_small_corpus(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    docs = _documents(truth)
    assert 80 <= len(docs) <= 160
    assert len(truth["persons"]) >= 300
    formats = Counter(d["format"] for d in docs)
    assert formats["docx"] >= 5 and formats["pdf"] >= 5 and formats["txt"] >= 40
    encodings = Counter(d["encoding"] for d in docs if d["format"] == "txt")
    assert set(encodings) == {"utf-8", "utf-8-sig", "gb18030"}
    assert {d["kind"] for d in docs} == {
        "filing_decision", "prosecution_recommendation", "indictment", "judgment", "penalty_decision",
        "risk_alert", "str_report"}
    assert {d["agency"] for d in docs} == {f"{r}-{k}" for r in ("cq", "sc")
                                          for k in ("police", "procuratorate", "regulator")}


def test_files_read_back_to_canonical_text(corpus: tuple[Path, dict[str, Any]]) -> None:
    root, truth = corpus
    for doc in _documents(truth):
        assert _read_back(root, doc) == doc["text"], doc["path"]


def test_pdf_page_starts_are_line_offsets(corpus: tuple[Path, dict[str, Any]]) -> None:
    root, truth = corpus
    pdfs = [d for d in _documents(truth) if d["format"] == "pdf"]
    assert pdfs
    for doc in pdfs:
        reader = pypdf.PdfReader(str(root / doc["path"]))
        assert len(doc["page_starts"]) == len(reader.pages)
        for start, page in zip(doc["page_starts"], reader.pages, strict=True):
            first_line = page.extract_text().split("\n", 1)[0]
            assert doc["text"][start:start + len(first_line)] == first_line


def test_every_mention_is_its_span(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    persons = {p["id"] for p in truth["persons"]}
    orgs = {o["id"] for o in truth["organizations"]}
    for doc in _documents(truth):
        text = doc["text"]
        assert doc["mentions"], doc["path"]
        assert "\n\n" not in text and text == text.strip(), doc["path"]
        for m in doc["mentions"]:
            assert m["type"] in ENTITY_TYPES
            assert text[m["start"]:m["end"]] == m["text"], (doc["path"], m)
            assert "\n" not in m["text"]
            if m["type"] == "PERSON":
                assert m["entity"] in persons
            elif m["type"] == "ORG":
                assert m["entity"] in orgs
            else:
                assert m["entity"] is None


def test_identifier_validity_is_as_marked(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    seen = Counter()
    for doc in _documents(truth):
        for m in doc["mentions"]:
            norm = m["normalized"]
            if m["type"] == "ID_NUMBER":
                assert is_valid_ric(norm) == m["valid"], m
                seen[("ric", m["valid"])] += 1
            elif m["type"] == "USCC":
                assert bool(uscc.is_valid(norm)) == m["valid"], m
                assert norm[2:4] in ("50", "51")
            elif m["type"] == "BANK_ACCOUNT":
                assert re.sub(r"\D", "", m["text"]) == norm
                if m.get("partial"):
                    assert not m["valid"] and len(norm) == 4
                elif m["is_card"]:
                    assert bool(luhn.is_valid(norm)) == m["valid"], m
                    seen[("card", m["valid"])] += 1
                else:
                    assert m["valid"] and not luhn.is_valid(norm)
                    seen[("corporate", True)] += 1
            elif m["type"] == "PHONE":
                assert re.fullmatch(r"1[3-9]\d{9}", norm)
                assert re.sub(r"\D", "", m["text"]).removeprefix("86") == norm
    assert seen[("ric", True)] > 50 and seen[("card", True)] > 20 and seen[("corporate", True)] > 5
    invalid = truth["invalid_identifiers"]
    assert invalid, "a few deliberately invalid identifiers are expected"
    by_path = {d["path"]: d for d in truth["documents"]}
    for item in invalid:
        marked = [m for m in by_path[item["doc"]]["mentions"] if m["text"] == item["text"]]
        assert marked and all(not m["valid"] for m in marked)


def test_relations_point_at_mentions(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    kinds = Counter()
    for doc in _documents(truth):
        mentions = doc["mentions"]
        for r in doc["relations"]:
            assert r["type"] in RELATION_TYPES
            source, target = mentions[r["from"]], mentions[r["to"]]
            kinds[r["type"]] += 1
            if r["type"] == "ROLE_IN":
                assert r["role"] and source["type"] in ("PERSON", "ORG")
                assert target["type"] == "CASE_NUMBER" and target["text"] == doc["case_number"]
            elif r["type"] == "TRANSFERRED_TO":
                assert source["type"] == target["type"] == "BANK_ACCOUNT"
            elif r["type"] == "OWNS_ACCOUNT":
                assert source["type"] in ("PERSON", "ORG") and target["type"] == "BANK_ACCOUNT"
            elif r["type"] in ("LEGAL_REP", "CONTROLS", "SHAREHOLDER", "EMPLOYED_BY"):
                assert source["type"] == "PERSON" and target["type"] == "ORG"
    expected = {"ROLE_IN", "TRANSFERRED_TO", "OWNS_ACCOUNT", "LEGAL_REP", "CONTROLS", "CO_DEFENDANT",
                "SHAREHOLDER", "EMPLOYED_BY"}
    assert expected <= set(kinds)


def test_cited_case_numbers_exist(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    own = {d["case_number"] for d in truth["documents"] if d["case_number"]}
    cites = [c for d in truth["documents"] for c in d["cites"]]
    assert len(cites) > 20
    assert set(cites) <= own
    cited_kinds = {d["kind"] for d in truth["documents"] if d["case_number"] in set(cites)}
    assert {"penalty_decision", "filing_decision", "prosecution_recommendation", "indictment"} <= cited_kinds


def test_people_are_written_differently_and_namesakes_differ(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    persons = {p["id"]: p for p in truth["persons"]}
    multi = [p for p in persons.values() if len(p["written_forms"]) > 1]
    assert multi, "some person must be written in more than one way"
    assert any(any("某" in f for f in p["written_forms"]) for p in multi)
    planted = truth["planted_same_name_pairs"]
    assert len(planted) >= 3
    groups = [set(g) for g in truth["same_name_groups"]]
    for a, b in planted:
        assert any({a, b} <= g for g in groups)
        assert persons[a]["name"] == persons[b]["name"]
        assert persons[a]["ric"] != persons[b]["ric"]
    # One namesake pair is also born the same day: only the resident ID tells them apart.
    assert sum(1 for a, b in planted if persons[a]["birth_date"] == persons[b]["birth_date"]) == 1
    mentioned = {m["entity"] for d in _documents(truth) for m in d["mentions"] if m["type"] == "PERSON"}
    assert sum(1 for a, b in planted if a in mentioned and b in mentioned) >= 2


def test_rings_span_regions_and_agencies(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    rings = truth["rings"]
    assert len(rings) >= 3
    assert sum(1 for r in rings if r["regions"] == ["CQ", "SC"]) >= len(rings) // 2 + 1
    flow_kinds = {"cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "pass_through"}
    for r in rings:
        assert len({a.split("-")[0] for a in r["agencies"]}) == 2 or r["regions"] != ["CQ", "SC"]
        assert flow_kinds & set(r["typologies"])
        types = {m["type"] for m in r["members"]}
        assert {"Person", "Organization", "Account", "Phone"} <= types
    decoys = {d["kind"] for d in truth["decoys"]}
    assert decoys == {"shared_branch_address", "family_phone", "salary_payments"}
    branch = next(d for d in truth["decoys"] if d["kind"] == "shared_branch_address")
    assert len(branch["members"]) > 8


def _ledger_rows(root: Path, ledger: dict[str, Any]) -> list[list[str]]:
    path = root / ledger["path"]
    if ledger["format"] == "csv":
        with path.open(encoding=ledger["encoding"], newline="") as handle:
            return list(csv.reader(handle))
    sheet = load_workbook(path, read_only=True).active
    assert sheet is not None
    return [[("" if c is None else str(c)) for c in row] for row in sheet.iter_rows(values_only=True)]


def test_ledgers_match_truth_and_share_serials(corpus: tuple[Path, dict[str, Any]]) -> None:
    root, truth = corpus
    ledgers = truth["ledgers"]
    assert {led["layout"] for led in ledgers} >= {"standard", "split"}
    assert {led["format"] for led in ledgers} == {"csv", "xlsx"}
    serials: Counter[str] = Counter()
    for led in ledgers:
        rows = _ledger_rows(root, led)
        header = tuple(rows[0])
        assert header == LAYOUTS[led["layout"]]
        assert len(rows) - 1 == led["rows"]
        col = header.index("交易流水号")
        serials.update(row[col] for row in rows[1:])
    assert sum(led["rows"] for led in ledgers) > 2000
    twice = [s for s, n in serials.items() if n == 2]
    assert twice, "a transfer between two ledger accounts must appear in both statements"
    assert max(serials.values()) == 2
    for ring in truth["rings"]:
        for flow in ring["flows"]:
            assert all(serials[t] >= 1 for t in flow["tx_ids"]), (ring["id"], flow["typology"])


def test_broken_files_present(corpus: tuple[Path, dict[str, Any]]) -> None:
    root, truth = corpus
    broken = {d["broken"]: d for d in truth["documents"] if d.get("broken")}
    assert set(broken) == {"truncated_pdf", "binary_junk", "empty", "wrong_encoding"}
    assert (root / broken["empty"]["path"]).stat().st_size == 0
    with pytest.raises(Exception):  # noqa: B017 - any parse error is the point
        pypdf.PdfReader(str(root / broken["truncated_pdf"]["path"])).pages[0].extract_text()


def _digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    scale = parse_scale("120")
    generate(tmp_path / "a", scale, 7, workers=1)
    generate(tmp_path / "b", scale, 7, workers=2)  # worker processes must not change a byte
    generate(tmp_path / "c", scale, 8)
    a, b, c = _digest(tmp_path / "a"), _digest(tmp_path / "b"), _digest(tmp_path / "c")
    assert any(name.endswith(ext) for name in a for ext in (".docx", ".pdf", ".xlsx"))
    assert a == b
    assert a["truth.json"] != c["truth.json"]


def test_bad_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        parse_scale("huge")
    with pytest.raises(ValueError, match="at least 50"):
        parse_scale("10")


def test_xlsx_is_readable(corpus: tuple[Path, dict[str, Any]]) -> None:
    root, truth = corpus
    xlsx = [led for led in truth["ledgers"] if led["format"] == "xlsx"]
    assert xlsx
    data = (root / xlsx[0]["path"]).read_bytes()
    assert load_workbook(io.BytesIO(data), read_only=True).active is not None


_CN_DIGITS = {c: i for digits in ("零一二三四五六七八九", "零壹贰叁肆伍陆柒捌玖")
              for i, c in enumerate(digits)}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}


def _chinese_to_int(text: str) -> int:
    """An independent reading of Chinese numerals, to check the generator's own conversion."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        elif ch in "万亿":
            total = (total + section + digit) * (10_000 if ch == "万" else 100_000_000)
            section, digit = 0, 0
    return total + section + digit


def _money_value(text: str) -> float:
    body = text.removesuffix("元")
    if re.fullmatch(r"[\d,.]+(余)?(万|亿)?", body):
        factor = 10_000 if body.endswith("万") else 100_000_000 if body.endswith("亿") else 1
        return float(body.rstrip("万亿").removesuffix("余").replace(",", "")) * factor
    return float(_chinese_to_int(body))


def test_money_normalized_matches_written_amount(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    styles = Counter()
    for doc in _documents(truth):
        for m in doc["mentions"]:
            if m["type"] != "MONEY":
                continue
            assert abs(_money_value(m["text"]) - float(m["normalized"])) < 0.005, m
            styles["chinese" if re.search(r"[一-龥]", m["text"][:-1].replace("万", "").replace("余", ""))
                   else "arabic"] += 1
    assert styles["chinese"] > 5 and styles["arabic"] > 50


def test_dates_normalized_are_iso(corpus: tuple[Path, dict[str, Any]]) -> None:
    _, truth = corpus
    forms = Counter()
    for doc in _documents(truth):
        for m in doc["mentions"]:
            if m["type"] == "DATE":
                assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", m["normalized"])
                digits = [int(x) for x in re.findall(r"\d+", m["text"])]
                parts = [int(x) for x in m["normalized"].split("-")]
                if m["text"].startswith("同年"):
                    forms["same_year"] += 1
                    assert digits == parts[1:], m
                elif "×" in m["text"]:
                    forms["masked"] += 1
                    assert digits == parts and len(parts) == 1, m
                elif digits:
                    assert digits == parts, m
                forms[("〇" in m["text"] and "chinese") or "arabic"] += 1
    assert forms["chinese"] > 10 and forms["arabic"] > 100
    assert forms["same_year"] > 3 and forms["masked"] > 0


EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus_small"


def test_examples_share_person_phone_account_across_regions() -> None:
    truth = json.loads((EXAMPLES / "truth.json").read_text(encoding="utf-8"))
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    docs = _documents(truth)
    assert 6 <= len(docs) + len(truth["ledgers"]) <= 10
    ring = truth["rings"][0]
    person = next(p for p in truth["persons"] if p["id"] == ring["controller"])
    phone, account = person["phones"][0], person["accounts"][0]
    for value in (person["name"], phone, account):
        assert value in readme
    agencies = {
        "person": {d["agency"] for d in docs if any(m["entity"] == person["id"] for m in d["mentions"])},
        "phone": {d["agency"] for d in docs if any(m["normalized"] == phone for m in d["mentions"])},
        "account": {d["agency"] for d in docs if any(m["normalized"] == account for m in d["mentions"])},
    }
    for what, found in agencies.items():
        assert {a.split("-")[0] for a in found} == {"cq", "sc"}, what
    assert len(agencies["phone"]) >= 3
    for doc in docs:
        assert _read_back(EXAMPLES, doc) == doc["text"]
    for path in EXAMPLES.rglob("*.*"):
        if path.name not in ("README.md", "truth.json"):
            assert str(path.relative_to(EXAMPLES)) in readme, f"README.md does not describe {path.name}"


@pytest.mark.parametrize(("folder", "scale", "seed"), [(EXAMPLES, "examples", 3), (FIXTURE, "small", 1)])
def test_committed_corpora_come_from_the_generator(tmp_path: Path, folder: Path, scale: str,
                                                   seed: int) -> None:
    generate(tmp_path, parse_scale(scale), seed)
    committed = {k: v for k, v in _digest(folder).items() if k != "README.md"}
    assert committed == _digest(tmp_path)


def test_cli_generates_and_rejects_bad_scale(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from casegraph.cli import app

    runner = CliRunner()
    ok = runner.invoke(app, ["demo", "generate", "--out", str(tmp_path / "ex"), "--seed", "3",
                             "--scale", "examples"])
    assert ok.exit_code == 0, ok.output
    assert "8 documents" in ok.output
    assert (tmp_path / "ex" / "truth.json").is_file()
    bad = runner.invoke(app, ["demo", "generate", "--out", str(tmp_path / "x"), "--scale", "huge"])
    assert bad.exit_code != 0
    assert "unknown scale" in bad.output
