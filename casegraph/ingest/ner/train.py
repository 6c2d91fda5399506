"""`casegraph model train`: builds the training DocBins from the project's truth files and runs
spaCy's own training loop (`spacy.cli.train.train`) on `ner.cfg` with a fixed seed; the best
model is written into the package (`casegraph/ingest/ner/model`) with its card."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import spacy
from spacy.cli.train import train as spacy_train

# registered by import: the tokenizer and the scorer the config names
from casegraph.ingest.ner import chars, scoring  # noqa: F401
from casegraph.ingest.ner.data import Example, Source, read_examples, split_dev, to_docbin, weighted

CONFIG = "ner.cfg"
CARD = "README.md"
SEED = 1
# spaCy's dev score during training, on this share of the documents (never trained on)
DEV_SHARE = 0.1


def train(sources: list[Source], out: Path, seed: int = SEED, log: Callable[[str], None] = print,
          steps: int | None = None) -> dict[str, Any]:
    """Train on `sources` and write the model to `out`; returns the summary the card shows.
    `steps` overrides the config's max_steps (cross-validation runs on a loaded machine)."""
    rng = random.Random(seed)
    train_part: list[Example] = []
    dev_part: list[Example] = []
    counts: list[dict[str, Any]] = []
    for source in sources:
        examples = read_examples(source.truth)
        fit, held = split_dev(examples, DEV_SHARE, rng)
        chosen = weighted(fit, source.weight, rng)
        train_part += chosen
        dev_part += held
        counts.append({"truth": str(source.truth), "documents": len(examples), "weight": source.weight,
                       "trained_documents": len(chosen), "characters": sum(len(e.text) for e in examples)})
        log(f"{source.truth}: {len(examples)} documents, weight {source.weight} -> {len(chosen)} in training")
    rng.shuffle(train_part)
    config_path = Path(str(resources.files("casegraph.ingest.ner").joinpath(CONFIG)))
    with tempfile.TemporaryDirectory(prefix="casegraph-ner-") as work:
        folder = Path(work)
        vocab = spacy.blank("zh").vocab
        to_docbin(train_part, vocab).to_disk(folder / "train.spacy")
        to_docbin(dev_part, vocab).to_disk(folder / "dev.spacy")
        spacy_train(config_path, folder / "output", use_gpu=-1,
                    overrides={"paths.train": str(folder / "train.spacy"), "paths.dev": str(folder / "dev.spacy"),
                               "system.seed": seed, **({"training.max_steps": steps} if steps else {})})
        best = folder / "output" / "model-best"
        meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
        # the model card is written by hand from measurements; a retrain keeps it
        card = out / CARD
        card_text = card.read_text(encoding="utf-8") if card.is_file() else None
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(best, out)
        # the training's temporary paths would make two identical builds differ
        config = spacy.util.load_config(out / "config.cfg")
        config["paths"]["train"] = config["paths"]["dev"] = None
        config.to_disk(out / "config.cfg")
        if card_text is not None:
            card.write_text(card_text, encoding="utf-8")
    summary = {"seed": seed, "sources": counts, "spacy": spacy.__version__,
               "training_dev_scores": meta.get("performance", {})}
    (out / "training.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return summary
