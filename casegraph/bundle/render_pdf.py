"""bundle.pdf: the same report as bundle.html, set with reportlab in an embedded CJK font.

The font is WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei, installed by `make system-deps`), embedded as
a subset so the PDF reads the same on any machine and court system; reportlab's built-in CID font
STSong-Light, which every reader must supply itself, is the fallback where that file is missing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from casegraph.bundle import labels
from casegraph.bundle.layout import HOLDER_SIZE, LABEL_SIZE, LINE_GAP, flow_diagram
from casegraph.bundle.models import Bundle
from casegraph.i18n.formats import format_date, word

CJK_FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc")


@cache
def _font() -> str:
    """The registered font's name: the embedded WenQuanYi Zen Hei, else the reader-supplied STSong-Light.

    Registered at the first PDF, not at import: the font file is 17 MB."""
    for path in CJK_FONT_FILES:
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("WenQuanYiZenHei", path, subfontIndex=0))
            return "WenQuanYiZenHei"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"

RED = colors.HexColor("#8b1a1a")
BLUE = colors.HexColor("#2a5db0")


@cache
def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=_font(), fontSize=8.5, leading=11.5, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, textColor=colors.black, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=16, textColor=RED, spaceBefore=10, spaceAfter=4),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8, textColor=colors.HexColor("#555555")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "num": ParagraphStyle("num", parent=base, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
    }


def _p(text: object, style: str = "cell") -> Paragraph:
    return Paragraph(escape(str(text)), _styles()[style])


CELL_SIZE = 7.5


@cache
def _char_width(ch: str) -> float:
    # A bundle sets some 300,000 characters in a few thousand distinct ones: measure each once.
    return float(pdfmetrics.stringWidth(ch, _font(), CELL_SIZE))


def _wrap(text: object, width: float) -> str:
    """Break `text` into lines that fit `width` points. Every CJK character may break a line, so a
    running sum of glyph widths does what Paragraph's CJK splitting does, at a fraction of its cost
    (that splitting made a 50-party bundle's PDF take most of its time)."""
    text = str(text)
    if len(text) * CELL_SIZE <= width and "\n" not in text:
        return text  # no glyph of the font is wider than the font size: it fits as it is
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: list[str] = []
        used = 0.0
        for ch in paragraph:
            w = _char_width(ch)
            if line and used + w > width:
                lines.append("".join(line))
                line, used = [], 0.0
            line.append(ch)
            used += w
        lines.append("".join(line))
    return "\n".join(lines)


def _table(header: Sequence[str], rows: list[list[object]], widths: Sequence[float]) -> Table:
    _styles()  # registers the font
    inner = [w * mm - 5 for w in widths]  # minus the cell's left and right padding
    cells = [[_wrap(h, inner[i]) for i, h in enumerate(header)]]
    cells += [[c if isinstance(c, Flowable) else _wrap(c, inner[i]) for i, c in enumerate(row)] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), _font(), CELL_SIZE, CELL_SIZE + 2),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9ced8")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _diagram(bundle: Bundle, width_mm: float = 175) -> Drawing:
    d = flow_diagram(bundle)
    scale = width_mm * mm / d.width
    drawing = Drawing(d.width * scale, d.height * scale)
    drawing.initialFontName = _font()  # else reportlab's graphics state starts in Helvetica, a font not embedded
    y = lambda v: (d.height - v) * scale  # noqa: E731 - SVG's y grows downwards, PDF's upwards
    for a in d.arrows:
        drawing.add(Line(a.x1 * scale, y(a.y1), a.x2 * scale, y(a.y2), strokeColor=RED, strokeWidth=a.width * scale))
        # arrow head: a small triangle at the target end
        dx, dy = (a.x2 - a.x1), (a.y2 - a.y1)
        norm = (dx * dx + dy * dy) ** 0.5 or 1.0
        ux, uy = dx / norm, dy / norm
        tip = (a.x2, a.y2)
        left = (a.x2 - 8 * ux + 4 * uy, a.y2 - 8 * uy - 4 * ux)
        right = (a.x2 - 8 * ux - 4 * uy, a.y2 - 8 * uy + 4 * ux)
        drawing.add(Polygon([tip[0] * scale, y(tip[1]), left[0] * scale, y(left[1]), right[0] * scale, y(right[1])],
                            fillColor=RED, strokeColor=RED, strokeWidth=0))
    for n in d.nodes:
        drawing.add(Circle(n.x * scale, y(n.y), 10 * scale, fillColor=BLUE if n.party else colors.HexColor("#9aa3b2"),
                           strokeColor=colors.white))
        # the layout's label places and sizes, in the drawing's scale (as the SVG sets them)
        drawing.add(String(n.label_x * scale, y(n.label_y), n.label, fontName=_font(), fontSize=LABEL_SIZE * scale,
                           textAnchor="middle"))
        if n.holder:
            drawing.add(String(n.label_x * scale, y(n.label_y + LINE_GAP + HOLDER_SIZE), n.holder, fontName=_font(),
                               fontSize=HOLDER_SIZE * scale, textAnchor="middle", fillColor=colors.HexColor("#555555")))
    if not d.nodes:
        drawing.add(String(d.width * scale / 2, d.height * scale / 2, "无可见资金往来", fontName=_font(), fontSize=9,
                           textAnchor="middle"))
    return drawing


def _short(key: str | None) -> str:
    return key.split(":", 1)[-1] if key else "—"


# The PDF is the printable reading copy: a large case's evidence list (thousands of quoted
# sentences, most of the PDF's layout time) is paged here, while bundle.json and bundle.html carry
# every item and each item's id is the same in all three.
PDF_EVIDENCE_ROWS = 600


def render_pdf(bundle: Bundle) -> bytes:
    s = _styles()
    names = {p.key: p.name or p.key for p in bundle.parties.items}
    L = labels
    story: list[Flowable] = [
        Paragraph(escape(f"案件辅助材料：{bundle.case.number}"), s["title"]),
        Paragraph(escape(f"承办机构：{bundle.case.agency_name or bundle.case.agency}"
                         f"（{L.label(L.REGIONS, bundle.case.region)}）　调取机构：{bundle.requester.agency}　"
                         f"调取人：{bundle.requester.user}　事由：{bundle.requester.purpose or '—'}　"
                         f"生成时间：{bundle.created_at}"), s["meta"]),
        Paragraph("一、案件文书", s["h2"]),
        _table(["文书", "类型", "机构", "SHA-256"],
               [[d.filename, L.label(L.DOCUMENT_KINDS, d.kind), d.agency, d.sha256[:24] + "…"]
                for d in bundle.case.documents], [60, 30, 30, 55]),
        Paragraph(escape(f"二、当事人（共 {bundle.parties.total} 名）"), s["h2"]),
        _table(["姓名/名称", "身份", "地区", "标识", "证据"],
               [[p.name or p.key, "、".join(L.label(L.ROLES, r) for r in p.roles),
                 " ".join(L.label(L.REGIONS, r) for r in p.regions),
                 "；".join(f"{L.label(L.IDENTIFIERS, i.kind)}：{i.value}" for i in p.identifiers),
                 " ".join(p.evidence[:4])] for p in bundle.parties.items], [30, 22, 14, 84, 25]),
        Paragraph("三、当事人涉及的其他案件", s["h2"]),
        _table(["当事人", "案号", "机构", "地区", "证据"],
               [[names.get(o.party, o.party) + (f"（疑似同一，{o.match_score or 0:.2f}）" if o.via else ""),
                 o.number or o.key, o.agency, L.label(L.REGIONS, o.region),
                 " ".join(o.evidence[:3])] for o in bundle.other_cases.items] or [["—"] * 5], [30, 55, 35, 15, 40]),
    ]
    if bundle.hits:
        story += [Spacer(1, 3 * mm), _p("其他机构命中（无查阅权限，仅显示命中情况）", "base"),
                  _table(["当事人", "持有机构", "地区", "案件数", "申请查阅"],
                         [[names.get(h.party, h.party), h.agency, L.label(L.REGIONS, h.region), _p(h.count, "num"),
                           h.access_request] for h in bundle.hits], [40, 40, 20, 20, 55])]
    story += [
        Paragraph("四、既往监管处罚与风险提示", s["h2"]),
        _table(["当事人", "类型", "文号", "机构", "证据"],
               [[names.get(r.party, r.party), L.label(L.DOCUMENT_KINDS, r.kind), r.case_number or "—", r.agency,
                 " ".join(r.evidence)] for r in bundle.prior_records] or [["—"] * 5], [35, 30, 50, 35, 25]),
        Paragraph("五、资金往来", s["h2"]),
        _table(["账户", "持有人", "转入（元）", "笔数", "转出（元）", "笔数"],
               [[_short(a.account), names.get(a.holder or "", a.holder or "—"), _p(f"{a.total_in:,.2f}", "num"),
                 _p(a.count_in, "num"), _p(f"{a.total_out:,.2f}", "num"), _p(a.count_out, "num")]
                for a in bundle.money.accounts] or [["—"] * 6], [45, 35, 30, 12, 30, 12]),
        Spacer(1, 2 * mm),
        _p("主要交易对手", "base"),
        _table(["对手账户", "持有人", "方向", "金额（元）", "笔数", "证据"],
               [[_short(c.account), names.get(c.holder or "", c.holder or "—"), L.label(L.DIRECTIONS, c.direction),
                 _p(f"{c.total:,.2f}", "num"), _p(c.transfers, "num"), " ".join(c.evidence[:3])]
                for c in bundle.money.counterparties] or [["—"] * 6], [45, 30, 14, 32, 12, 30]),
        Spacer(1, 2 * mm),
        KeepTogether([_p("资金流向图（内圈为当事人账户，外圈为主要交易对手；线宽按金额）", "base"), _diagram(bundle)]),
    ]
    if bundle.money.paths:
        story.append(_table(["当事人账户间资金路径", "各段金额（元）", "证据"],
                            [[" → ".join(_short(a) for a in p.accounts), "；".join(f"{x:,.2f}" for x in p.amounts),
                              " ".join(p.evidence[:4])] for p in bundle.money.paths], [90, 55, 30]))
    if bundle.money.typologies:
        story.append(_table(["资金交易模式", "说明", "证据"],
                            [[L.label(L.TYPOLOGIES, t.kind), t.explanation, " ".join(t.evidence[:3])]
                             for t in bundle.money.typologies], [35, 105, 35]))
    story.append(Paragraph("六、涉及团伙", s["h2"]))
    for r in bundle.rings:
        review = (f"审核：{word(r.review, 'zh')}{f'（{r.reviewed_by}）' if r.reviewed_by else ''}"
                  f"{'，' + r.review_note if r.review_note else ''}") if r.review else "尚未审核"
        story.append(_p(f"{r.id}　{'、'.join(L.label(L.TYPOLOGIES, t) for t in r.typologies)}　"
                        f"地区：{' '.join(L.label(L.REGIONS, g) for g in r.regions) or '—'}　{review}", "base"))
        story.append(_table([f"{r.id} 成员", "纳入理由", "证据"],
                            [[names.get(m.key, m.name or m.key), m.why or "—", " ".join(m.evidence)]
                             for m in r.members],
                            [50, 95, 30]))
    if not bundle.rings:
        story.append(_p("当事人未列入已识别的团伙。", "base"))
    story += [
        Paragraph(escape(f"七、时间线（共 {bundle.timeline.total} 条）"), s["h2"]),
        _table(["日期", "事件（原文）", "来源"],
               [[format_date(e.date, "zh"), e.text, f"{'、'.join(e.reported_by())} {' '.join(e.evidence)}"]
                for e in bundle.timeline.items] or [["—"] * 3], [20, 120, 35]),
        Paragraph(escape(f"八、证据清单（共 {len(bundle.evidence)} 条）"), s["h2"]),
        _table(["编号", "事实", "来源文书", "页", "原文摘录"],
               [[e.id, e.statement or e.fact, f"{e.filename or e.document}（{e.agency}）", e.page or "—", e.quote]
                for e in bundle.evidence[:PDF_EVIDENCE_ROWS]], [12, 45, 38, 8, 72]),
    ]
    if len(bundle.evidence) > PDF_EVIDENCE_ROWS:
        story.append(_p(f"（以上为前 {PDF_EVIDENCE_ROWS} 条；其余 {len(bundle.evidence) - PDF_EVIDENCE_ROWS} 条"
                        "见 bundle.json 与 bundle.html）", "base"))
    story += [
        Paragraph("九、来源文书", s["h2"]),
        _table(["文书", "机构", "SHA-256"], [[d.filename, d.agency, d.sha256] for d in bundle.sources], [45, 30, 100]),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=17 * mm, rightMargin=17 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"案件辅助材料 {bundle.case.number}", author="casegraph",
                            # a fixed creation date keeps the same bundle's PDF byte-identical
                            creator="casegraph", invariant=True, initialFontName=_font())
    doc.build(story)
    return buffer.getvalue()
