"""Issue 18, bundles as a prosecutor reads them: one timeline line per event however many documents report it,
table cells that wrap inside their column in the PDF, and diagram labels that do not overlap."""

from __future__ import annotations

import io

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from casegraph.bundle import render_pdf as render_pdf_module
from casegraph.bundle.assemble import _same_events_merged
from casegraph.bundle.models import Bundle, TimelineEvent, TimelineSource
from casegraph.bundle.render_pdf import render_pdf
from tests.test_bundle_render import sample_bundle


def _event(text: str, document: str, case_number: str, date: str = "2023-01-25") -> TimelineEvent:
    return TimelineEvent(date=date, text=text, document=document, agency=document.split(":")[1],
                         case_number=case_number, evidence=[f"E-{document}"])


def test_the_same_event_from_two_documents_is_one_line_with_both_sources() -> None:
    police = _event("2023年1月25日，犯罪嫌疑人罗雪婷通过其名下账户向李娜转账50万元。", "doc:sc-police:1",
                    "川公（经）诉字〔2023〕154号")
    indictment = _event("2023年1月25日，被告人罗雪婷通过其名下中国农业银行账户向李娜转账人民币50万元。",
                        "doc:sc-procuratorate:2", "川检二部刑诉(2024)173号")
    other_amount = _event("2023年1月25日，被告人罗雪婷向徐平雷转账人民币8万元。", "doc:sc-procuratorate:2",
                          "川检二部刑诉(2024)173号")
    next_day = _event("2023年1月26日，犯罪嫌疑人罗雪婷通过其名下账户向李娜转账50万元。", "doc:sc-police:1",
                      "川公（经）诉字〔2023〕154号", date="2023-01-26")
    merged = _same_events_merged([police, indictment, other_amount, next_day])
    assert [e.text for e in merged] == [police.text, other_amount.text, next_day.text]
    assert merged[0].reported_by() == ["川公（经）诉字〔2023〕154号", "川检二部刑诉(2024)173号"]
    assert merged[0].evidence == ["E-doc:sc-police:1", "E-doc:sc-procuratorate:2"]
    # two events of one document on one day stay two lines, however alike
    same_doc = _event("2023年1月25日，犯罪嫌疑人罗雪婷通过其名下账户向李娜转账40万元。", "doc:sc-police:1",
                      "川公（经）诉字〔2023〕154号")
    assert len(_same_events_merged([police, same_doc])) == 2


def test_the_pdf_timeline_names_every_source_of_a_merged_event() -> None:
    bundle = sample_bundle()
    event = bundle.timeline.items[0]
    event.case_number = "渝检刑诉(2024)3号"
    event.also = [TimelineSource(document="doc:b", agency="cq-police", case_number="渝公经立字（2024）37号")]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(bundle))).pages)
    assert "渝检刑诉(2024)3号、渝公经立字（2024）37号" in text.replace("\n", "")


LONG_NAME = "成都汇泰润电子商务有限公司重庆分公司第三营业部暨西南区域结算中心（有限合伙）"
LONG_QUOTE = ("被告人董波成，住重庆市渝中区解放碑街道民族路188号环球金融中心写字楼第五十八层5801室，"
              "名下账户6217007573082272930621700757308227293、6222628979983171787。") * 2


def _long_bundle() -> Bundle:
    bundle = sample_bundle()
    bundle.parties.items[0].name = LONG_NAME
    bundle.evidence[0].quote = LONG_QUOTE
    bundle.money.counterparties[0].holder = LONG_NAME
    bundle.timeline.items[0].text = "2023年2月4日，账户" + "6222628979983171787" * 5 + "转出。"
    return bundle


def _text_runs(pdf: bytes) -> list[tuple[float, float, str]]:
    """(left, right, text) of every line the PDF sets, its right edge measured in the embedded font."""
    runs: list[tuple[float, float, str]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
            left = cm[4] + tm[4] * cm[0]
            for line in text.split("\n"):
                if line.strip():
                    runs.append((left, left + pdfmetrics.stringWidth(line, render_pdf_module._font(), size * cm[0]),
                                 line))
        page.extract_text(visitor_text=visit)
    return runs


def test_long_names_quotes_and_numbers_wrap_inside_their_cells() -> None:
    pdf = render_pdf(_long_bundle())
    runs = _text_runs(pdf)
    right_margin = A4[0] - 17 * mm
    assert runs and max(right for _, right, _ in runs) <= right_margin + 0.5
    text = "".join(line for _, _, line in runs)
    assert "6217007573082272930621700757308227293" in text  # wrapped, not cut: every digit is set
    # Each line of a cell stays inside its column (the cell's width minus its padding).
    widths = [30, 22, 14, 84, 25]
    table = render_pdf_module._table(["姓名/名称", "身份", "地区", "标识", "证据"],
                                     [[LONG_NAME, "被告人", "重庆", LONG_QUOTE, "E1 E2 E3 E4"]], widths)
    for row in table._cellvalues:
        for cell, width in zip(row, widths, strict=True):
            for line in str(cell).split("\n"):
                assert pdfmetrics.stringWidth(line, render_pdf_module._font(), render_pdf_module.CELL_SIZE) <= \
                    width * mm - 5 + 0.01, (line, width)


def _crowded_bundle() -> Bundle:
    """Twelve party accounts and sixteen counterparties with long holder names: labels collide unless placed."""
    bundle = sample_bundle()
    template = bundle.money.accounts[0]
    holders = [f"重庆汇泰润{i}号电子商务有限公司" for i in range(16)]
    bundle.money.accounts = [template.model_copy(update={"account": f"acct:62170075730822{i:05d}",
                                                         "holder": f"ric:5001061982050984{i:02d}"}) for i in range(12)]
    counterpart = bundle.money.counterparties[0]
    bundle.money.counterparties = [counterpart.model_copy(update={"account": f"acct:62226289799831{i:05d}",
                                                                  "holder": holders[i]}) for i in range(16)]
    return bundle


def test_diagram_labels_do_not_overlap_each_other_or_the_nodes() -> None:
    from casegraph.bundle.layout import NODE_RADIUS, flow_diagram

    for bundle in (_crowded_bundle(), sample_bundle()):
        diagram = flow_diagram(bundle)
        boxes = [n.label_box() for n in diagram.nodes]
        circles = [(n.x - NODE_RADIUS, n.y - NODE_RADIUS, n.x + NODE_RADIUS, n.y + NODE_RADIUS) for n in diagram.nodes]
        clashes = [(a.key, b.key) for i, a in enumerate(diagram.nodes) for j, b in enumerate(diagram.nodes)
                   if i < j and _overlap(boxes[i], boxes[j])]
        assert not clashes, clashes
        assert not [(n.key, m.key) for n, box in zip(diagram.nodes, boxes, strict=True)
                    for m, circle in zip(diagram.nodes, circles, strict=True) if _overlap(box, circle)]
        assert all(box[0] >= 0 and box[2] <= diagram.width and box[1] >= 0 and box[3] <= diagram.height
                   for box in boxes), "every label is on the canvas"
    # the old placement (every label straight below its node) did overlap in the crowded case
    crowded = flow_diagram(_crowded_bundle())
    below = [(n.x - 33, n.y + 15, n.x + 33, n.y + 40) for n in crowded.nodes]
    assert any(_overlap(a, b) for i, a in enumerate(below) for b in below[i + 1:])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
