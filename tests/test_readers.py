"""Readers on every format, including broken files: each gives UnreadableFile with a clear reason."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import openpyxl
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from casegraph.errors import InvalidInput, UnreadableFile
from casegraph.ingest.readers import read_file

TEXT = "被告人张某某，男，1985年3月2日出生，住四川省成都市武侯区人民南路四段1号。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_txt_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((TEXT * 3).encode(encoding))
    read = read_file(path)
    assert read.text == TEXT * 3
    assert read.encoding == encoding


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"   \n\t", "empty file"),
    (bytes(range(256)) * 4, "binary content"),
    ("Ça coûte très cher à Paris, naïve".encode("latin-1") * 20, "wrong encoding"),
])
def test_broken_txt_is_refused_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as caught:
        read_file(path)
    assert reason in caught.value.reason


def test_docx_paragraphs_are_joined_by_newlines(tmp_path: Path) -> None:
    document = docx.Document()
    for line in ("刑事判决书", TEXT):
        document.add_paragraph(line)
    path = tmp_path / "a.docx"
    document.save(str(path))
    assert read_file(path).text == "刑事判决书\n" + TEXT


def test_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    with pytest.raises(UnreadableFile, match=r"not a valid \.docx"):
        read_file(path)


def _pdf(path: Path, pages: list[str]) -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    sheet = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        if page:
            sheet.setFont("STSong-Light", 12)
            sheet.drawString(72, 750, page)
        sheet.showPage()
    sheet.save()


def test_pdf_keeps_page_starts(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    _pdf(path, ["第一页 起诉书", "第二页 被告人张某某"])
    read = read_file(path)
    assert len(read.page_starts) == 2
    second = read.text[read.page_starts[1]:]
    assert "第二页" in second and "第二页" not in read.text[:read.page_starts[1]]


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    _pdf(path, ["", ""])
    with pytest.raises(UnreadableFile) as caught:
        read_file(path)
    assert caught.value.reason == "no text layer"


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    whole = tmp_path / "whole.pdf"
    _pdf(whole, ["第一页 起诉书"])
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole.read_bytes()[:200])
    with pytest.raises(UnreadableFile, match="PDF"):
        read_file(path)


def test_json_record_uses_its_text_field(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"id": 7, "text": TEXT}, ensure_ascii=False), encoding="utf-8")
    assert read_file(path).text == TEXT


def test_bad_json_is_refused_with_position(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"text": "被告人', encoding="utf-8")
    with pytest.raises(UnreadableFile, match="invalid JSON"):
        read_file(path)


def test_csv_ledger_with_flag_layout(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("交易日期,交易时间,本方账号,对方账号,对方户名,交易金额,借贷标志,余额,摘要,交易流水号\n"
                    "2023-03-05,14:22:01,6222020200001234567,6217005181909378652,李四,1000.50,借,9000,转账,T1\n"
                    "20230306,090000,6222020200001234567,6217005181909378652,李四,200,贷,9200,退款,T2\n",
                    encoding="gb18030")
    read = read_file(path)
    assert read.layout == "amount_with_flag"
    first, second = read.transactions
    assert (first.from_account, first.to_account, first.amount) == ("6222020200001234567", "6217005181909378652", 1000.5)
    assert first.at == "2023-03-05T14:22:01"
    assert (second.from_account, second.to_account, second.at) == ("6217005181909378652", "6222020200001234567",
                                                                  "2023-03-06T09:00:00")


def test_csv_ledger_names_the_holder_of_the_queried_account(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("交易日期,交易时间,本方账号,本方户名,本方证件号码,对方账号,对方户名,交易金额,借贷标志,余额,摘要\n"
                    "2023-03-05,14:22:01,6222020200001234567,张伟,500103198503124515,6217005181909378652,李四,"
                    "1000.50,借,9000,转账\n"
                    "2023-03-06,09:00:00,6222020200001234567,张伟,500103198503124515,6217005181909378652,李四,"
                    "200,贷,9200,退款\n", encoding="utf-8")
    first, second = read_file(path).transactions
    for t in (first, second):  # the own account is the holder's whichever way the money went
        assert (t.own_account, t.holder_name, t.holder_id) == ("6222020200001234567", "张伟", "500103198503124515")
        assert t.counterparty_name == "李四"
    assert second.to_account == "6222020200001234567"


def test_xlsx_ledger_with_split_columns_and_a_bad_row(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["某某银行账户交易明细"])
    sheet.append(["交易日期", "本方账号", "对方账号", "收入金额", "支出金额", "摘要"])
    sheet.append(["2023-01-02", "6222020200001234567", "6217005181909378652", "", "500.00", "转出"])
    sheet.append(["2023-01-03", "6222020200001234567", "6217005181909378652", "300", "", "转入"])
    sheet.append(["2023-01-04", "6222020200001234567", "6217005181909378652", "abc", "", "坏行"])
    path = tmp_path / "ledger.xlsx"
    workbook.save(str(path))
    read = read_file(path)
    assert read.layout == "split_in_out"
    assert [(t.from_account[-4:], t.amount) for t in read.transactions] == [("4567", 500.0), ("8652", 300.0)]
    assert read.warnings and "row 5" in read.warnings[0]


def test_explicit_column_mapping_wins(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("时间,我的卡,他的卡,钱\n2023-01-02,111122223333444455,555566667777888899,-20\n", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="no recognised ledger header"):
        read_file(path)
    mapping = {"date": "时间", "account": "我的卡", "counterparty_account": "他的卡", "amount": "钱"}
    (transaction,) = read_file(path, mapping).transactions
    assert transaction.from_account == "111122223333444455" and transaction.amount == 20.0
    with pytest.raises(InvalidInput, match="unknown ledger field"):
        read_file(path, {"wrong": "钱"})


def test_unsupported_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.rtf"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="unsupported file type"):
        read_file(path)


def test_mojibake_utf8_file_is_refused_with_the_reason(tmp_path: Path) -> None:
    # GB18030 bytes read as Latin-1 and saved as UTF-8: valid UTF-8, garbled text
    path = tmp_path / "garbled.txt"
    path.write_bytes((TEXT * 3).encode("gb18030").decode("latin-1").encode("utf-8"))
    with pytest.raises(UnreadableFile, match="mojibake"):
        read_file(path)


def test_replacement_characters_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "replaced.txt"
    path.write_text("被告人张某\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd，男。", encoding="utf-8")
    with pytest.raises(UnreadableFile, match="replacement"):
        read_file(path)


def test_text_with_a_few_accents_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "accents.txt"
    path.write_text(TEXT + "（译名：José Müller）", encoding="utf-8")
    assert "José" in read_file(path).text


def test_gb18030_text_the_charset_detector_gives_up_on_is_still_read() -> None:
    # A 2 KB published judgment of the fixture corpus, full of full-width punctuation: charset_normalizer
    # finds no encoding for it, but it is valid GB18030.
    path = Path(__file__).parent / "fixtures" / "corpus_small" / "cq-procuratorate" / "judgment_000008.txt"
    read = read_file(path)
    assert read.encoding == "gb18030" and read.text == path.read_bytes().decode("gb18030")
    assert read.text.startswith("重庆市渝北区人民法院\n刑事判决书")


def _digit_heavy_statement(seed: int, rows: int) -> str:
    """A bank export that is nearly all digits: Chinese only in the header, 借/贷 and a few names."""
    import random

    rng = random.Random(seed)
    names = ["张三", "李四", "王五", "赵六", "陈志远", "刘芳", "周杰", "吴敏"]
    lines = ["账号,交易日期,交易时间,借贷标志,交易金额,对方账号,对方户名,摘要"]
    for _ in range(rows):
        lines.append(f"{rng.randrange(10**15, 10**16)},2019-03-{rng.randrange(10, 28)},"
                     f"{rng.randrange(10, 23)}:{rng.randrange(10, 59)}:{rng.randrange(10, 59)},{rng.choice('借贷')},"
                     f"{rng.randrange(100, 99999)}.{rng.randrange(10, 99)},{rng.randrange(10**15, 10**16)},"
                     f"{rng.choice(names) if rng.random() < 0.3 else ''},{rng.choice(['转账', '', '网银'])}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("seed", "rows"), [(15, 20), (6, 200), (7, 60)])
def test_a_gbk_statement_of_digits_is_read_as_gbk(tmp_path: Path, seed: int, rows: int) -> None:
    # charset-normalizer takes these for Thai (cp874) or Kazakh (ptcp154): they were refused as
    # "wrong encoding" until GB18030 was tried on what it could not place
    text = _digit_heavy_statement(seed, rows)
    path = tmp_path / "statement.csv"
    path.write_bytes(text.encode("gbk"))
    from casegraph.ingest.readers.txt_reader import decode_text

    assert decode_text(path, path.read_bytes()) == (text, "gb18030")
    assert len(read_file(path).transactions) == rows
