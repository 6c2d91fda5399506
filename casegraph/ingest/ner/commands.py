"""`casegraph model train`: rebuilds the packaged name model from the project's annotated texts."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer

model_app = typer.Typer(help="The trained PERSON/ORG name model.", no_args_is_help=True)

GENERATED_SEED = 11  # not seed 1: the small corpus of seed 1 (tests/fixtures) is what the model is scored on
GENERATED_SCALE = "small"
# truth file (relative to the checkout) -> weight: each real or hand-written document counts
# several times, the generated corpus (uniform, and larger) half
GOLD_SOURCES = {
    "tests/gold/truth.json": 2.0,
    "tests/gold/real/dev/truth.json": 4.0,
    "tests/gold/real/handwritten-dev/truth.json": 4.0,
}
GENERATED_WEIGHT = 0.5


@model_app.command("train")
def train_command(
    checkout: Annotated[Path, typer.Option("--checkout", help="The casegraph checkout holding tests/gold.")]
    = Path("."),
    generated: Annotated[Path | None, typer.Option(
        "--generated", help="A generated corpus folder (truth.json); default: generate seed 11, scale small.")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where to write the model; default: the package's.")]
    = None,
    seed: Annotated[int, typer.Option("--seed", help="Training seed.")] = 1,
) -> None:
    """Train the name model (spaCy, CPU, fixed seed) and write it with its card."""
    from casegraph.demo.generator import generate
    from casegraph.demo.scales import parse_scale
    from casegraph.ingest.ner.data import Source
    from casegraph.ingest.ner.model import model_dir
    from casegraph.ingest.ner.train import train

    target = out or model_dir()
    with tempfile.TemporaryDirectory(prefix="casegraph-generated-") as work:
        if generated is None:
            generated = Path(work)
            typer.echo(f"generating the training corpus (seed {GENERATED_SEED}, scale {GENERATED_SCALE}) …")
            generate(generated, parse_scale(GENERATED_SCALE), GENERATED_SEED)
        sources = [Source(generated / "truth.json", GENERATED_WEIGHT)]
        sources += [Source(checkout / path, weight) for path, weight in GOLD_SOURCES.items()
                    if (checkout / path).is_file()]
        train(sources, target, seed, typer.echo)
    typer.echo(f"model written to {target}")
