"""PDFs laid out as courts and agencies publish them read back as their text: lines broken at the
margin inside names and numbers joined, paragraphs kept, page numbers and running headers left out.

The texts are real judgments of the dev gold (LeCaRDv2, MIT: tests/gold/real/SOURCE.md), typeset by
tests/pdf_typeset.py in several ways a word processor writes a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from casegraph.ingest.extract import extract_text
from casegraph.ingest.readers.pdf_reader import read_pdf
from tests.pdf_typeset import print_pdf, typeset_pdf
from tests.web_helpers import chromium

DEV = Path(__file__).resolve().parent / "gold" / "real" / "dev" / "docs"
JUDGMENTS = ["005.txt", "010.txt", "014.txt"]


def _paragraphs(text: str) -> str:
    """Cut the real judgment (one paragraph as published in the dataset) into paragraphs at 。 so
    that the layout has paragraph ends, short last lines and indents to keep apart."""
    return "。\n".join(part for part in text.strip().split("。") if part)


@pytest.mark.parametrize("layout", [
    {},
    {"pieces": 3},
    {"indent_with_spaces": True},
    {"justify": True, "pieces": 2},
])
def test_a_typeset_judgment_reads_back_as_its_text(tmp_path: Path, layout: dict[str, bool | int]) -> None:
    for name in JUDGMENTS:
        text = _paragraphs((DEV / name).read_text(encoding="utf-8"))
        path = tmp_path / f"{name}.pdf"
        pages = typeset_pdf(path, text, header="某某人民法院刑事判决书", **layout)  # type: ignore[arg-type]
        assert pages >= 2, "the header and the footer are only furniture when they repeat"
        read = read_pdf(path)
        assert read.text == text, (name, layout)
        assert "第 1 页" not in read.text and "某某人民法院刑事判决书" not in read.text
        assert read.page_starts[0] == 0 and len(read.page_starts) == pages
        assert read.page_starts == sorted(read.page_starts)


def test_what_a_line_break_cut_is_found_whole(tmp_path: Path) -> None:
    # 16 pt, 25 characters on an indented first line: the name straddles the margin, then the case number
    text = ("经审理查明：" + "某" * 15 + "被告人张晓明于二〇一九年伙同他人吸收公众存款。\n"
            "另查明：" + "某" * 15 + "在（2019）沪0109刑初495号案件中向其控制的账户转账。")
    path = tmp_path / "cut.pdf"
    typeset_pdf(path, text)
    read = read_pdf(path)
    assert read.text == text
    found = {(m.type, m.text) for m in extract_text(read.text).entities}
    assert ("PERSON", "张晓明") in found and ("CASE_NUMBER", "（2019）沪0109刑初495号") in found


def test_a_heading_and_a_signature_are_not_joined_to_the_text(tmp_path: Path) -> None:
    text = ("上海市某某区人民法院\n刑事判决书\n" + "被告人李某某犯非法吸收公众存款罪。" * 6
            + "\n审判长　王某某\n二〇二〇年五月六日")
    path = tmp_path / "short.pdf"
    typeset_pdf(path, text)
    assert read_pdf(path).text == text


def test_a_judgment_printed_by_chromium_reads_back_as_its_text(tmp_path: Path) -> None:
    """Another producer's PDF (Skia's runs, another font, CSS justification): the same text back."""
    with chromium() as browser:
        for name in JUDGMENTS[:2]:
            text = _paragraphs((DEV / name).read_text(encoding="utf-8"))
            path = tmp_path / f"{name}.chromium.pdf"
            print_pdf(browser, path, text, header="某某人民法院刑事判决书")
            read = read_pdf(path)
            assert len(read.page_starts) >= 2
            assert read.text == text, name
