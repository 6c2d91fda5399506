"""bundle.html and bundle.pdf are rendered and looked at: headless Chromium screenshots the HTML,
pdftoppm rasterises every PDF page, and each picture must carry content (not one flat colour).

CI needs the apt packages chromium, poppler-utils and fonts-wqy-zenhei (a CJK font for Chromium)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from casegraph.bundle.layout import flow_diagram
from casegraph.bundle.models import (
    AccountTotals,
    Bundle,
    CaseInfo,
    Counterparty,
    DocumentInfo,
    Evidence,
    GraphState,
    Hit,
    Identifier,
    Money,
    Page,
    Party,
    Requester,
    TimelineEvent,
    Transfer,
)
from casegraph.bundle.package import render_files
from casegraph.bundle.render_html import render_html

DOC = DocumentInfo(key="doc:" + "a" * 64, sha256="a" * 64, agency="cq-procuratorate", filename="indictment_1.txt",
                   kind="indictment")


def sample_bundle() -> Bundle:
    parties = [Party(key=f"ric:50010619820509843{i}", label="Person", name=name, roles=["defendant"], regions=["CQ"],
                     identifiers=[Identifier(kind="account", value=f"621700757308227293{i}",
                                             key=f"acct:621700757308227293{i}", evidence=["E1"])], evidence=["E1"])
               for i, name in enumerate(["董波成", "王露晶", "周晶"])]
    accounts = [p.identifiers[0].key for p in parties]
    transfers = [Transfer(source=accounts[0], target=accounts[1], amount=24586.0, at="2023-02-04", evidence=["E2"]),
                 Transfer(source=accounts[1], target=accounts[2], amount=20000.0, at="2023-02-05", evidence=["E2"]),
                 Transfer(source=accounts[2], target="acct:6222628979983171787", amount=152000.0, evidence=["E2"])]
    return Bundle(
        created_at="2026-11-26T00:00:00+00:00", requester=Requester(agency="cq-procuratorate", purpose="审查起诉"),
        case=CaseInfo(key="case:cq-procuratorate:渝检刑诉(2024)3号", number="渝检刑诉(2024)3号",
                      agency="cq-procuratorate", agency_name="重庆市人民检察院", region="CQ", kind="indictment",
                      documents=[DOC]),
        parties=Page[Party](total=3, limit=100, items=parties),
        other_cases=Page(total=0, limit=500, items=[]),
        hits=[Hit(party=parties[0].key, agency="sc-police", region="SC", count=2)], prior_records=[],
        money=Money(accounts=[AccountTotals(account=a, holder=p.key, total_in=1.0, total_out=2.0, count_in=1,
                                            count_out=1) for a, p in zip(accounts, parties, strict=True)],
                    counterparties=[Counterparty(account="acct:6222628979983171787", holder="成都汇泰润电子商务",
                                                 total=152000.0, transfers=1, direction="in", evidence=["E2"])],
                    paths=[], typologies=[], transfers=Page[Transfer](total=3, limit=500, items=transfers),
                    method="test"),
        rings=[],
        timeline=Page[TimelineEvent](total=1, limit=300, items=[TimelineEvent(
            date="2023-02-04", text="2023.2.4，王露晶向张欢成控制的账户转账24,586.00元。", document=DOC.key,
            agency="cq-procuratorate", evidence=["E2"])]),
        evidence=[Evidence(id="E1", fact="ric:… ROLE_IN case:…", statement="董波成系渝检刑诉(2024)3号案的被告人",
                           document=DOC.key, agency="cq-procuratorate",
                           filename=DOC.filename, quote="被告人董波成，男，1982年5月9日出生。"),
                  Evidence(id="E2", fact="acct:… TRANSFERRED acct:…", statement="2023年2月4日，账户6222…向账户"
                           "6222…转账24,586.00 元", document=DOC.key, agency="cq-procuratorate",
                           filename=DOC.filename, page=2, quote="2023.2.4，王露晶向张欢成控制的账户转账24,586.00元。")],
        sources=[DOC], graph_state=GraphState(visible_documents=1, sources_sha256="0" * 64))


def _tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: `apt-get install -y {package}` (CI installs it in .ci/run)")
    return path


def _has_content(png: Path) -> None:
    assert png.is_file() and png.stat().st_size > 1000, f"{png} is missing or empty"
    image = Image.open(png).convert("L")
    stat = ImageStat.Stat(image)
    assert stat.stddev[0] > 8, f"{png} is nearly one colour (stddev {stat.stddev[0]:.1f})"
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.002 < dark < 0.6, f"{png}: {dark:.1%} dark pixels does not look like a page of text"


def test_html_is_chinese_with_an_svg_fund_flow() -> None:
    bundle = sample_bundle()
    html = render_html(bundle)
    assert '<html lang="zh-CN">' in html and "资金流向图" in html and "证据清单" in html
    diagram = flow_diagram(bundle)
    assert html.count("<circle") == len(diagram.nodes) == 4 and html.count("<line") == len(diagram.arrows) == 3
    assert "/v1/access-requests" in html and "董波成" in html
    # each fact as a sentence, not as the graph's triple (issue 18)
    assert "董波成系渝检刑诉(2024)3号案的被告人" in html and "ROLE_IN" not in html and "TRANSFERRED" not in html
    assert flow_diagram(bundle) == diagram  # the layout is deterministic


def test_html_screenshot_has_content(tmp_path: Path) -> None:
    chromium = _tool("chromium", "chromium fonts-wqy-zenhei")
    page = tmp_path / "bundle.html"
    page.write_text(render_html(sample_bundle()), encoding="utf-8")
    png = tmp_path / "html.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run", "--disable-sync",
                        f"--user-data-dir={profile}", "--window-size=1100,1400", f"--screenshot={png}",
                        page.as_uri()], check=True, capture_output=True, timeout=120)
    _has_content(png)


def test_pdf_pages_have_content(tmp_path: Path) -> None:
    pdftoppm = _tool("pdftoppm", "poppler-utils")
    files = render_files(sample_bundle())
    assert files["bundle.pdf"].startswith(b"%PDF")
    assert render_files(sample_bundle())["bundle.pdf"] == files["bundle.pdf"]  # same bundle, same bytes
    pdf = tmp_path / "bundle.pdf"
    pdf.write_bytes(files["bundle.pdf"])
    # every font is embedded (a reader without a CJK font still shows the report): pdffonts' `emb` column
    fonts = subprocess.run([_tool("pdffonts", "poppler-utils"), str(pdf)], check=True, capture_output=True,
                           text=True, timeout=60).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    subprocess.run([pdftoppm, "-png", "-r", "50", str(pdf), str(tmp_path / "page")], check=True,
                   capture_output=True, timeout=120)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    for png in pages:
        _has_content(png)


def test_a_large_evidence_list_is_paged_in_the_pdf_and_kept_whole_in_json() -> None:
    from casegraph.bundle.render_pdf import PDF_EVIDENCE_ROWS, render_pdf

    base = sample_bundle()

    def with_evidence(n: int) -> Bundle:
        quote = "被告人陈明犯诈骗罪，判处有期徒刑三年。"
        first = base.evidence[0]
        items = [first.model_copy(update={"id": f"E{i}", "quote": f"第{i}条：{quote}"}) for i in range(1, n + 1)]
        return base.model_copy(update={"evidence": items})

    at_cap, triple = render_pdf(with_evidence(PDF_EVIDENCE_ROWS)), render_pdf(with_evidence(3 * PDF_EVIDENCE_ROWS))
    # the rows past the cap are not laid out: the PDF grows by the note, not by 2x the rows
    assert len(triple) < 1.1 * len(at_cap)
    assert len(render_files(with_evidence(3 * PDF_EVIDENCE_ROWS))["bundle.json"]) > 2 * len(
        render_files(with_evidence(PDF_EVIDENCE_ROWS))["bundle.json"])
