"""Real judgments as courts publish them in PDF: does reading the PDF lose what the text gives?

Usage:
    PYTHONPATH=. python benchmarks/pdf_layout.py [--count 40] [--producer typeset|chromium]

Each judgment of ../shared/realtexts/judgments/ (by default those outside the frozen test part) is
typeset the way a court's word processor does it (tests/pdf_typeset.py): A4, 16 pt, lines broken at
the right margin wherever that falls (inside a name, a case number, an account number), the first
line of each paragraph indented, a running header and a page footer `第 N 页 共 M 页`; with
`--producer chromium`, printed to PDF by Debian's Chromium instead (Skia, another font, CSS
justification: a producer this project did not write). The text is cut into paragraphs at 。 first
(the dataset gives each judgment as one paragraph). The PDF is read
back with `casegraph.ingest.readers.pdf_reader.read_pdf` and extracted; the mentions (type, value)
and relations found in the plain text are the reference. Prints the share of the text's characters
the reader gives back in order (furniture aside), and recall/precision of mentions by type and of
relations against the plain text's.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
from collections import Counter
from pathlib import Path

from casegraph.ingest.extract import extract_text
from casegraph.ingest.readers.pdf_reader import read_pdf
from casegraph.model import ExtractedDocument
from tests.pdf_typeset import print_pdf, typeset_pdf
from tests.web_helpers import chromium

JUDGMENTS = Path(__file__).resolve().parents[2] / "shared" / "realtexts" / "judgments"
TEST_IDS = {"004", "008", "009", "015", "030", "034", "038", "041", "055", "062", "066", "070", "071", "074",
            "078", "082", "083", "084", "088", "090", "093", "100", "108", "134", "136", "142", "149"}


def _facts(doc: ExtractedDocument) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str, str]]]:
    mentions = Counter((m.type, m.normalized or m.text) for m in doc.entities)
    relations = Counter((r.type, _value(doc, r.source), _value(doc, r.target)) for r in doc.relations)
    return mentions, relations


def _value(doc: ExtractedDocument, index: int) -> str:
    return "" if index < 0 else (doc.entities[index].normalized or doc.entities[index].text)


def _in_order_share(original: str, read: str) -> float:
    """The share of the original's non-space characters that the read text gives in the same order
    (a longest common subsequence, on characters, of each as a string without whitespace)."""
    from difflib import SequenceMatcher

    a, b = "".join(original.split()), "".join(read.split())
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / max(1, len(a))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--producer", choices=("typeset", "chromium"), default="typeset")
    args = parser.parse_args()
    files = [p for p in sorted(JUDGMENTS.glob("*.txt")) if p.stem not in TEST_IDS][: args.count]
    found: dict[str, Counter[str]] = {"ref": Counter(), "pdf": Counter(), "both": Counter()}
    shares: list[float] = []
    exact = 0
    with tempfile.TemporaryDirectory(prefix="pdf-layout-") as work, contextlib.ExitStack() as stack:
        browser = stack.enter_context(chromium()) if args.producer == "chromium" else None
        for path in files:
            text = "。\n".join(part for part in path.read_text(encoding="utf-8").strip().split("。") if part)
            pdf = Path(work) / f"{path.stem}.pdf"
            if browser is not None:
                print_pdf(browser, pdf, text, header=f"{path.stem} 刑事判决书")
            else:
                typeset_pdf(pdf, text, header=f"{path.stem} 刑事判决书")
            read = read_pdf(pdf)
            shares.append(_in_order_share(text, read.text))
            exact += "".join(text.split()) == "".join(read.text.split())
            ref_mentions, ref_relations = _facts(extract_text(text))
            pdf_mentions, pdf_relations = _facts(extract_text(read.text, page_starts=read.page_starts))
            for kind, ref, got in (("mentions", ref_mentions, pdf_mentions),
                                   ("relations", ref_relations, pdf_relations)):
                for key, n in ref.items():
                    label = key[0] if kind == "mentions" else "relations"
                    found["ref"][label] += n
                    found["both"][label] += min(n, got[key])
                for key, n in got.items():
                    found["pdf"][key[0] if kind == "mentions" else "relations"] += n
    print(f"{len(files)} real judgments as PDFs ({args.producer}: A4, 16 pt, lines broken at the margin, header, "
          f"footer); text back in order: median {sorted(shares)[len(shares) // 2]:.4f}, "
          f"identical without whitespace {exact}/{len(files)}")
    print(f"{'type':<16}{'text':>8}{'pdf':>8}{'recall':>9}{'precision':>11}")
    for label in sorted(found["ref"], key=lambda k: -found["ref"][k]):
        ref, pdf, both = found["ref"][label], found["pdf"][label], found["both"][label]
        print(f"{label:<16}{ref:>8}{pdf:>8}{both / max(1, ref):>9.3f}{both / max(1, pdf):>11.3f}")
    print(json.dumps({"judgments": len(files), "identical": exact,
                      "recall": {k: round(found["both"][k] / max(1, v), 4) for k, v in found["ref"].items()}}))


if __name__ == "__main__":
    main()
