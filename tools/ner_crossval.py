"""Cross-validation of the name model over the real dev judgments (issue 15).

The model is trained on dev itself, so dev scores say nothing about unseen text. Here dev's
documents are split into folds (seeded); each fold's model is trained on the other folds plus every
other source `casegraph model train` uses, and scored on the fold it never saw, with the pipeline's
name-model settings varied (rules only; the model's PERSON; its PERSON and ORG, ORG kept only where
the organisation grammar accepts the name's head word).

    .venv/bin/python tools/ner_crossval.py train --generated GEN --out OUT [--folds 3] [--steps N]
    .venv/bin/python tools/ner_crossval.py score --out OUT [--folds 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests/gold/real/dev/truth.json"
SEED = 1
# the name model's settings compared on each held-out fold: (labels, ORG needs a head word)
VARIANTS: dict[str, tuple[list[str], bool] | None] = {
    "rules only": None,
    "model PERSON (main)": (["PERSON"], True),
    "model PERSON+ORG, ORG with a head word": (["PERSON", "ORG"], True),
    "model PERSON+ORG, every ORG": (["PERSON", "ORG"], False),
}


def folds(count: int) -> list[list[dict[str, Any]]]:
    documents = sorted(json.loads(DEV.read_text(encoding="utf-8"))["documents"], key=lambda d: d["path"])
    order = list(range(len(documents)))
    random.Random(SEED).shuffle(order)
    return [[documents[i] for i in order[k::count]] for k in range(count)]


def _truth(documents: list[dict[str, Any]], path: Path) -> Path:
    base = DEV.parent
    whole = json.loads(DEV.read_text(encoding="utf-8"))
    whole["documents"] = [{**d, "path": str(base / d["path"])} for d in documents]
    path.write_text(json.dumps(whole, ensure_ascii=False), encoding="utf-8")
    return path


def train_folds(generated: Path, out: Path, count: int, steps: int | None) -> None:
    from casegraph.ingest.ner.commands import GENERATED_WEIGHT, GOLD_SOURCES
    from casegraph.ingest.ner.data import Source
    from casegraph.ingest.ner.train import train

    parts = folds(count)
    out.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        if (out / f"fold-{k}" / "config.cfg").is_file():
            continue
        fitted = [d for j, part in enumerate(parts) if j != k for d in part]
        sources = [Source(generated / "truth.json", GENERATED_WEIGHT)]
        for path, weight in GOLD_SOURCES.items():
            truth = ROOT / path
            sources.append(Source(_truth(fitted, out / f"dev-train-{k}.json") if truth == DEV else truth, weight))
        train(sources, out / f"fold-{k}", SEED, print, steps)


def score_folds(out: Path, count: int) -> dict[str, dict[str, list[int]]]:
    import spacy

    from casegraph.ingest import extract, nlp
    from casegraph.ingest.evaluate import evaluate
    from casegraph.ingest.ner import model

    parts = folds(count)
    totals: dict[str, dict[str, list[int]]] = {}
    config = spacy.util.load_config(ROOT / "casegraph/ingest/resources/pipeline.cfg")
    with tempfile.TemporaryDirectory(prefix="casegraph-cv-") as work:
        for k in range(count):
            fold_model = out / f"fold-{k}"
            model.model_dir = lambda fold_model=fold_model: fold_model  # type: ignore[assignment]
            model.load_model.cache_clear()
            truth = _truth(parts[k], Path(work) / f"fold-{k}.json")
            for name, variant in VARIANTS.items():
                built = config.copy()
                if variant is None:
                    built["nlp"]["pipeline"] = [c for c in built["nlp"]["pipeline"] if c != nlp.NAMES_MODEL]
                    del built["components"][nlp.NAMES_MODEL]
                else:
                    built["components"][nlp.NAMES_MODEL]["labels"] = variant[0]
                    built["components"][nlp.NAMES_MODEL]["org_needs_head"] = variant[1]
                pipeline = spacy.util.load_model_from_config(built, auto_fill=True, validate=True)
                extract.get_pipeline = lambda pipeline=pipeline: pipeline  # type: ignore[assignment]
                extract._components.cache_clear()
                report = evaluate(truth)
                for label in ("PERSON", "ORG"):
                    score = report.entities.get(label)
                    row = totals.setdefault(name, {}).setdefault(label, [0, 0, 0])
                    if score:
                        row[0] += score.tp
                        row[1] += score.fp
                        row[2] += score.fn
    return totals


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("train", "score"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--generated", type=Path)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--steps", type=int)
    args = parser.parse_args(arguments)
    if args.action == "train":
        if args.generated is None:
            parser.error("train needs --generated (a `casegraph demo generate --seed 11 --scale small` folder)")
        train_folds(args.generated, args.out, args.folds, args.steps)
        return 0
    totals = score_folds(args.out, args.folds)
    documents = sum(len(part) for part in folds(args.folds))
    print(f"{args.folds}-fold cross-validation over {DEV.parent.name} ({documents} documents)")
    print(f"{'variant':<42} {'type':<7} {'P':>6} {'R':>6} {'F1':>6}")
    for name, rows in totals.items():
        for label, (tp, fp, fn) in rows.items():
            p, r, f = _f1(tp, fp, fn)
            print(f"{name:<42} {label:<7} {p:6.3f} {r:6.3f} {f:6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
