"""Command-line entry points of extraction: `casegraph extract` and `casegraph eval extraction`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from casegraph.errors import CasegraphError, InvalidInput
from casegraph.ingest.case_files import iter_case_files
from casegraph.ingest.evaluate import evaluate, format_report
from casegraph.ingest.extract import extract_file
from casegraph.model import ExtractedDocument


def document_json(path: Path, document: ExtractedDocument | None, errors: list[str]) -> dict[str, Any]:
    """The stable per-file object of `casegraph extract --format jsonl`."""
    if document is None:
        return {"doc": str(path), "entities": [], "relations": [], "errors": errors}
    entities = []
    for m in document.entities:
        entity: dict[str, Any] = {"type": m.type, "text": m.text, "start": m.start, "end": m.end,
                                  "normalized": m.normalized, "valid": m.valid}
        if m.page is not None:
            entity["page"] = m.page
        if m.attrs:
            entity["attrs"] = m.attrs
        entities.append(entity)
    relations = []
    for r in document.relations:
        relation: dict[str, Any] = {"type": r.type, "from": r.source, "to": r.target}
        if r.role:
            relation["role"] = r.role
        if r.attrs:
            relation["attrs"] = r.attrs
        relations.append(relation)
    result: dict[str, Any] = {"doc": str(path), "sha256": document.sha256, "kind": document.kind,
                              "case_number": document.case_number, "entities": entities,
                              "relations": relations, "errors": [*errors, *document.errors]}
    if document.transactions:
        result["transactions"] = [{"from": t.from_account, "to": t.to_account, "amount": t.amount, "at": t.at,
                                   "row": t.row, "tx_id": t.tx_id} for t in document.transactions]
    return result


def _parse_columns(spec: str | None) -> dict[str, str] | None:
    if not spec:
        return None
    if spec.lstrip().startswith("{"):
        mapping = json.loads(spec)
    else:
        mapping = dict(item.split("=", 1) for item in spec.split(",") if "=" in item)
    if not mapping or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise typer.BadParameter("give FIELD=HEADER pairs separated by commas, or a JSON object")
    return mapping


def extract(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories (walked) to extract.")],
    output_format: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
    columns: Annotated[str | None, typer.Option(help="Ledger column mapping, e.g. "
                                                     "'account=卡号,counterparty_account=对手账号'.")] = None,
) -> None:
    """Extract entities and relations from case files, one JSON object per file; no database.

    A file that cannot be read gives an object with its error and the batch goes on."""
    if output_format != "jsonl":
        raise typer.BadParameter(f"unsupported format {output_format!r}; only jsonl", param_hint="--format")
    mapping = _parse_columns(columns)
    for path in iter_case_files(paths, missing_ok=True):
        try:
            record = document_json(path, extract_file(path, mapping), [])
        except InvalidInput as exc:
            raise typer.BadParameter(str(exc), param_hint="--columns") from exc
        except CasegraphError as exc:
            record = document_json(path, None, [getattr(exc, "reason", str(exc))])
        except Exception as exc:  # one bad file must not stop a batch; say what happened
            record = document_json(path, None, [f"extraction failed: {exc.__class__.__name__}: {exc}"])
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def evaluate_extraction(
    gold: Annotated[Path, typer.Option("--gold", help="truth.json of a generated corpus or a gold set.",
                                       exists=True, dir_okay=False)],
    misses: Annotated[int, typer.Option(help="Print up to this many misses and spurious finds.")] = 0,
) -> None:
    """Precision, recall and F1 of extraction per entity type and per relation type."""
    try:
        report = evaluate(gold)
    except CasegraphError as exc:
        raise typer.BadParameter(str(exc), param_hint="--gold") from exc
    typer.echo(format_report(report))
    for line in report.misses[:misses]:
        typer.echo(line)
