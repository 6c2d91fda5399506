"""`casegraph detect rings` and `casegraph eval rings`: thin wrappers over `find_rings` and `evaluate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from casegraph.detect.engines import ENGINES, detect_ledgers
from casegraph.detect.evaluation import TruthError, evaluate, load_truth, reported_from_json
from casegraph.detect.group_truth import evaluate_groups, is_group_truth, load_group_truth
from casegraph.detect.oracle import oracle_graph
from casegraph.detect.params import DetectionParams
from casegraph.detect.rings import DetectionResult, find_rings
from casegraph.detect.spark.session import SparkUnavailable
from casegraph.errors import CasegraphError
from casegraph.graph.ledgers import LedgerError, parse_column_mapping
from casegraph.i18n import gettext, translate

__all__ = ["eval_rings", "rings"]

LedgerOpt = Annotated[list[Path] | None,
                      typer.Option("--ledger", help="CSV/XLSX bank statement; repeatable.")]
ColumnsOpt = Annotated[str | None, typer.Option(
    "--columns", help="Explicit ledger columns: from=…,to=…,amount=…,time=… (wins over header detection).")]


ThresholdsOpt = Annotated[str, typer.Option(
    "--thresholds", help="ledger: amount and time thresholds follow the ledger's own distribution (default); "
    "absolute: DetectionParams' values as they are.")]


def _params(threshold: float | None = None, thresholds: str = "ledger") -> DetectionParams:
    if thresholds not in ("ledger", "absolute"):
        raise typer.BadParameter("use ledger or absolute", param_hint="--thresholds")
    if threshold is None:
        return DetectionParams(thresholds=thresholds)
    return DetectionParams(score_threshold=threshold, thresholds=thresholds)


EngineOpt = Annotated[str, typer.Option(
    "--engine", help="networkx (one process, the default), spark (pip install 'casegraph[spark]'), or auto: "
    "spark from CASEGRAPH_SPARK_AUTO_TRANSFERS transfers on.")]
MasterOpt = Annotated[str | None, typer.Option(
    "--spark-master", help="Spark master URL: local[*] (default, CASEGRAPH_SPARK_MASTER), spark://host:7077, "
    "yarn, k8s://….")]


def _detect(ledgers: list[Path] | None, columns: str | None, threshold: float | None,
            thresholds: str = "ledger", engine: str = "networkx", master: str | None = None) -> DetectionResult:
    params = _params(threshold, thresholds)
    if engine not in ENGINES:
        raise typer.BadParameter("use networkx, spark or auto", param_hint="--engine")
    try:
        if not ledgers:
            return _detect_on_graph(params, engine=engine, master=master)[0]
        try:
            return detect_ledgers(ledgers, parse_column_mapping(columns), params, engine, master)
        except LedgerError as exc:
            raise typer.BadParameter(str(exc), param_hint="--ledger/--columns") from None
    except SparkUnavailable as exc:
        typer.echo(f"{gettext('error:')} {translate(str(exc))}", err=True)
        raise typer.Exit(2) from None


def _detect_on_graph(params: DetectionParams, truth: dict[str, Any] | None = None,
                     corpus: Path | None = None, engine: str = "networkx",
                     master: str | None = None) -> tuple[DetectionResult, dict[str, str]]:
    """The local admin run: everything in the configured graph (no agency filter), no job.

    With a truth file and its corpus folder, also the graph nodes' truth keys (for `eval rings`).
    """
    # Imported here: the ledger path must keep working without the driver being configured.
    from casegraph.detect.jobs import detect_on_graph, truth_aliases
    from casegraph.graph.connection import get_driver, unavailable_as_error
    from casegraph.settings import load_settings

    settings = load_settings()
    try:
        with unavailable_as_error(settings):
            driver, database = get_driver(settings), settings.neo4j_database
            _graph, result, _stats = detect_on_graph(driver, database, None, params, engine=engine, master=master,
                                                     settings=settings)
            aliases = truth_aliases(driver, database, truth, corpus) if truth and corpus else {}
    except SparkUnavailable:
        raise
    except CasegraphError as exc:
        typer.echo(f"{gettext('error:')} {translate(str(exc))}", err=True)
        raise typer.Exit(1) from None
    return result, aliases


def rings(
    ledger: LedgerOpt = None,
    columns: ColumnsOpt = None,
    output_format: Annotated[str, typer.Option("--format", help="json or text.")] = "json",
    all_rings: Annotated[bool, typer.Option("--all", help="Also print rings at or below the threshold.")]
    = False,
    threshold: Annotated[float | None, typer.Option(help="Score threshold (default: DetectionParams).")]
    = None,
    thresholds: ThresholdsOpt = "ledger",
    engine: EngineOpt = "networkx",
    spark_master: MasterOpt = None,
) -> None:
    """Detect rings on ledgers (--ledger, no database; CSV, XLSX, Parquet) or on the graph, and print them."""
    if output_format not in ("json", "text"):
        raise typer.BadParameter("use json or text", param_hint="--format")
    result = _detect(ledger, columns, threshold, thresholds, engine, spark_master)
    shown = result.rings if all_rings else result.above_threshold()
    if output_format == "json":
        json.dump({"rings": [r.as_json() for r in shown], "threshold": result.params.score_threshold,
                   "pruned_hubs": result.hubs, "derived": result.params.derived}, sys.stdout,
                  ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    from rich.console import Console

    from casegraph.i18n.tables import ring_table

    Console().print(ring_table([r.as_json() for r in shown], gettext("rings found")))


def eval_rings(
    truth: Annotated[Path, typer.Option(
        "--truth", help="truth.json written by the generator, or an AMLSim-style truth_groups.csv.")],
    ledger: LedgerOpt = None,
    columns: ColumnsOpt = None,
    rings_file: Annotated[Path | None, typer.Option("--rings", help="`detect rings --format json` output.")]
    = None,
    oracle: Annotated[Path | None, typer.Option(
        "--oracle", help="Corpus folder: detect on the perfect-resolution graph built from the truth "
        "(evaluates the detectors alone, without extraction and resolution).")] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    thresholds: ThresholdsOpt = "ledger",
) -> None:
    """Recall, precision and decoys above threshold of ring detection against a truth file.

    Without --ledger, --rings or --oracle, detection runs on the configured graph (local admin).
    """
    if sum(bool(x) for x in (ledger, rings_file, oracle)) > 1:
        raise typer.BadParameter("give at most one of --ledger FILE…, --rings FILE or --oracle DIR")
    if is_group_truth(truth):
        _eval_groups(truth, ledger, columns, rings_file, output_format, thresholds)
        return
    params = _params(None, thresholds)
    aliases: dict[str, str] = {}
    try:
        truth_data = load_truth(truth)
        if oracle is not None:
            reported = [r.as_json() for r in find_rings(oracle_graph(truth_data, oracle), params).rings]
            accounts_only = False
        elif rings_file is not None:
            reported = reported_from_json(rings_file)
            accounts_only = all(m.get("type") == "Account" for r in reported for m in r["members"])
        elif ledger:
            reported = [r.as_json() for r in _detect(ledger, columns, None, thresholds).rings]
            accounts_only = True
        else:
            # The truth file sits at the top of its corpus folder: the documents give the alignment.
            result, aliases = _detect_on_graph(params, truth_data, truth.parent)
            reported = [r.as_json() for r in result.rings]
            accounts_only = False
    except (TruthError, LedgerError) as exc:
        raise typer.BadParameter(str(exc)) from None
    report = evaluate(truth_data, reported, params.score_threshold, accounts_only=accounts_only, aliases=aliases)
    if output_format == "json":
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
        return
    typer.echo(f"scope: {report.scope}")
    if accounts_only:
        typer.echo(f"out of scope: {report.out_of_scope} planted ring(s) with fewer than 2 account members")
    typer.echo(f"recall: {report.recall:.3f} ({len(report.found)}/{report.planted})")
    typer.echo(f"precision: {report.precision:.3f} ({report.correct}/{report.reported} above threshold "
               f"{params.score_threshold:g})")
    typer.echo(f"decoys above threshold: {len(report.decoys_flagged)} of {report.decoys_in_scope} in scope"
               + (f" ({', '.join(report.decoys_flagged)})" if report.decoys_flagged else ""))
    if report.missed:
        typer.echo(f"missed: {', '.join(report.missed)}")


def _eval_groups(truth: Path, ledger: list[Path] | None, columns: str | None, rings_file: Path | None,
                 output_format: str, thresholds: str) -> None:
    """`eval rings` against AMLSim-style group truth: per typology, on ledgers or a rings file."""
    if not ledger and rings_file is None:
        raise typer.BadParameter("group truth (CSV) is scored on --ledger FILE… or --rings FILE")
    try:
        groups = load_group_truth(truth)
        if rings_file is not None:
            reported, threshold = reported_from_json(rings_file), DetectionParams().score_threshold
        else:
            result = _detect(ledger, columns, None, thresholds)
            reported, threshold = [r.as_json() for r in result.rings], result.params.score_threshold
    except (TruthError, LedgerError) as exc:
        raise typer.BadParameter(str(exc)) from None
    report = evaluate_groups(groups, reported, threshold)
    if output_format == "json":
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=1))
        return
    for line in report.lines():
        typer.echo(line)
