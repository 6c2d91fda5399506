"""Labelled ledgers in shapes casegraph's own generator never makes, to judge ring detection on.

Each shape is a ledger of busy ordinary accounts (standing partners paid again and again, plus
one-off purchases from shops) with planted groups of five typologies (fan_in, fan_out, cycle,
scatter_gather, gather_scatter), written with an AMLSim-style `truth_groups.csv` so that
`casegraph eval rings --truth truth_groups.csv --ledger …` scores it. What varies:
- the amount scale (tens of yuan to millions), the clock (whole days or seconds), the span;
- the layout: a payer/payee table (`--columns`) or Chinese bank statements (查询反馈明细: a title
  line, 本方/对方账号, 借贷标志, GBK) where a transfer between two queried accounts is in both.

The shapes in `HELD_BACK` (fixed seeds) were written before any tuning against them and are never
tuned on (docs/ledger-evaluation.md); `DEVELOPMENT` shapes are for trying things.

    PYTHONPATH=. python benchmarks/ledger_variations.py --out /tmp/variations [--shapes held-back|development]
        [--amlsim ../shared/ledgers/amlsim-small] [--generated CORPUS ...] [--baseline-src /path/to/main]

Besides the shapes it prints, as asked by issue 16: amlsim-small per typology (`--amlsim`), and
for each generated corpus (`--generated`, folders written by `casegraph demo generate`) ledger-only
recall / precision / decoys and `find_rings` CPU seconds, with the same figure of another checkout's
code (`--baseline-src`, e.g. main) measured in the same run and their ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

START = datetime(2023, 1, 1)
AMLSIM_COLUMNS = "from=orig_acct,to=bene_acct,amount=base_amt,time=tran_timestamp"
STATEMENT_HEADER = ["交易日期", "交易时间", "本方账号", "本方户名", "对方账号", "对方户名", "交易金额", "借贷标志",
                    "余额", "摘要", "交易流水号"]


@dataclass(frozen=True)
class Shape:
    name: str
    seed: int
    accounts: int
    days: int
    scale: float  # a typical ordinary transfer, yuan
    day_clock: bool
    layout: str  # table | statements
    groups_per_typology: int = 3


HELD_BACK = (
    Shape("tens-days-table", 101, 1500, 180, 40.0, True, "table"),
    Shape("millions-seconds-statements", 202, 1200, 365, 300_000.0, False, "statements"),
    Shape("thousands-days-statements", 303, 2000, 270, 3_000.0, True, "statements"),
)
# The held-back shapes' kinds again with other seeds (11-13): what a change is tuned on.
DEVELOPMENT = (
    Shape("dev-hundreds-days-table", 1, 1200, 180, 400.0, True, "table"),
    Shape("dev-tenthousands-seconds-statements", 2, 1000, 200, 20_000.0, False, "statements"),
    Shape("dev-tens-days-table", 11, 1500, 180, 40.0, True, "table"),
    Shape("dev-millions-seconds-statements", 12, 1200, 365, 300_000.0, False, "statements"),
    Shape("dev-thousands-days-statements", 13, 2000, 270, 3_000.0, True, "statements"),
)

Tx = tuple[str, str, float, datetime]


class World:
    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.rng = random.Random(shape.seed)
        self.accounts = [f"62{self.rng.randrange(10**14, 10**15)}" for _ in range(shape.accounts)]
        self.txs: list[Tx] = []
        self.alert: list[int] = []
        self.groups: list[tuple[str, list[str]]] = []

    def when(self, day: float) -> datetime:
        moment = START + timedelta(days=day)
        if self.shape.day_clock:
            return moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return moment + timedelta(seconds=self.rng.randrange(8 * 3600, 20 * 3600))

    def amount(self, spread: float = 1.0) -> float:
        return round(self.shape.scale * self.rng.lognormvariate(0, 0.6 * spread), 2)

    def add(self, src: str, dst: str, amount: float, day: float, alert: int = -1) -> None:
        self.txs.append((src, dst, amount, self.when(day)))
        self.alert.append(alert)

    def background(self) -> None:
        """Standing partners (rent, suppliers, family) paid on their own rhythm, busy shops and
        their one-off customers, and a few accounts that pay many people once (payroll, refunds)."""
        rng, days = self.rng, self.shape.days
        shops = rng.sample(self.accounts, max(5, len(self.accounts) // 50))
        for account in self.accounts:
            for partner in rng.sample(self.accounts, rng.randrange(2, 6)):
                if partner == account:
                    continue
                every = rng.uniform(5, 40)
                day = rng.uniform(0, every)
                while day < days:
                    self.add(account, partner, self.amount(), day)
                    day += every * rng.uniform(0.7, 1.3)
            for _ in range(rng.randrange(0, 6)):  # one-off purchases
                shop = rng.choice(shops)
                if shop != account:
                    self.add(account, shop, self.amount(0.5), rng.uniform(0, days))

    def members(self, n: int) -> list[str]:
        return self.rng.sample(self.accounts, n)

    def plant(self) -> None:
        rng, days = self.rng, self.shape.days
        planters: dict[str, Callable[[int, float], list[str]]] = {
            "fan_in": self._fan_in, "fan_out": self._fan_out, "cycle": self._cycle,
            "scatter_gather": self._scatter_gather, "gather_scatter": self._gather_scatter}
        for typology, plant in planters.items():
            for _ in range(self.shape.groups_per_typology):
                group_id = len(self.groups)
                self.groups.append((typology, plant(group_id, rng.uniform(5, days - 40))))

    def _fan_in(self, group: int, day: float) -> list[str]:
        centre, *payers = self.members(self.rng.randrange(6, 11))
        for payer in payers:
            self.add(payer, centre, self.amount(0.3), day + self.rng.uniform(0, 20), group)
        return [centre, *payers]

    def _fan_out(self, group: int, day: float) -> list[str]:
        centre, *payees = self.members(self.rng.randrange(6, 11))
        for payee in payees:
            self.add(centre, payee, self.amount(0.3), day + self.rng.uniform(0, 20), group)
        return [centre, *payees]

    def _cycle(self, group: int, day: float) -> list[str]:
        ring = self.members(self.rng.randrange(4, 8))
        amount = self.amount(0.3) * 3
        for hop, src in enumerate(ring):
            amount *= self.rng.uniform(0.9, 0.99)  # a fee at each hop
            self.add(src, ring[(hop + 1) % len(ring)], round(amount, 2), day + hop * self.rng.uniform(0.5, 3), group)
        return ring

    def _scatter_gather(self, group: int, day: float) -> list[str]:
        source, sink, *mids = self.members(self.rng.randrange(6, 10))
        amount = self.amount(0.3)
        for mid in mids:
            self.add(source, mid, amount, day + self.rng.uniform(0, 2), group)
            self.add(mid, sink, round(amount * self.rng.uniform(0.95, 1.0), 2), day + self.rng.uniform(3, 8), group)
        return [source, sink, *mids]

    def _gather_scatter(self, group: int, day: float) -> list[str]:
        hub, *others = self.members(self.rng.randrange(8, 12))
        half = len(others) // 2
        sources, targets = others[:half], others[half:]
        inflow = 0.0
        for src in sources:
            amount = self.amount(0.3)
            inflow += amount
            self.add(src, hub, amount, day + self.rng.uniform(0, 4), group)
        for dst in targets:
            self.add(hub, dst, round(inflow * 0.97 / len(targets), 2), day + self.rng.uniform(5, 9), group)
        return [hub, *others]


def _stamp(at: datetime, day_clock: bool) -> tuple[str, str]:
    return at.strftime("%Y-%m-%d"), "" if day_clock else at.strftime("%H:%M:%S")


def write(world: World, out: Path) -> list[Path]:
    """The ledger file(s) and truth_groups.csv; returns the ledger paths."""
    out.mkdir(parents=True, exist_ok=True)
    order = sorted(range(len(world.txs)), key=lambda i: world.txs[i][3])
    paths: list[Path] = []
    if world.shape.layout == "table":
        path = out / "transactions.csv"
        lines = ["tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp"]
        for n, i in enumerate(order):
            src, dst, amount, at = world.txs[i]
            stamp = at.strftime("%Y-%m-%d") if world.shape.day_clock else at.strftime("%Y-%m-%dT%H:%M:%S")
            lines.append(f"{n},{src},{dst},TRANSFER,{amount:.2f},{stamp}")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    else:
        # Four banks' 查询反馈明细; every account's statement is in its bank's file, so a transfer
        # between two accounts is in both statements, with one 交易流水号.
        banks: dict[int, list[str]] = {b: [] for b in range(4)}
        for n, i in enumerate(order):
            src, dst, amount, at = world.txs[i]
            date, clock = _stamp(at, world.shape.day_clock)
            serial = f"LS{world.shape.seed:03d}{n:09d}"
            for own, other, flag in ((src, dst, "借"), (dst, src, "贷")):
                banks[int(own[-1]) % 4].append(",".join(
                    [date, clock, own, "", other, "", f"\"{amount:,.2f}\"", flag, "", "转账", serial]))
        for bank, rows in banks.items():
            path = out / f"statement_bank{bank}.csv"
            title = f"账户交易明细查询反馈（{world.shape.name}，银行 {bank}）"
            text = "\n".join([title, ",".join(STATEMENT_HEADER), *rows]) + "\n"
            path.write_bytes(text.encode("gb18030"))
            paths.append(path)
    truth = ["alert_id,typology,reliable,members"]
    truth += [f"{n},{typology},true,{';'.join(members)}" for n, (typology, members) in enumerate(world.groups)]
    (out / "truth_groups.csv").write_text("\n".join(truth) + "\n", encoding="utf-8")
    return paths


def evaluate(shape: Shape, paths: list[Path], out: Path) -> dict[str, object]:
    command = [str(Path(sys.executable).parent / "casegraph"), "eval", "rings", "--truth",
               str(out / "truth_groups.csv"), "--format", "json"]
    for path in paths:
        command += ["--ledger", str(path)]
    if shape.layout == "table":
        command += ["--columns", AMLSIM_COLUMNS]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    report: dict[str, object] = json.loads(done.stdout)
    return report


def time_generated(corpus: Path) -> None:
    """In a child process (its code from PYTHONPATH): find_rings CPU seconds and the ledger-only score."""
    from casegraph.detect import DetectionParams, find_rings
    from casegraph.detect.evaluation import evaluate, load_truth
    from casegraph.graph.projection import from_ledgers

    graph = from_ledgers(sorted(p for p in corpus.rglob("ledger_*") if p.suffix in (".csv", ".xlsx")))
    started = time.process_time()
    result = find_rings(graph, DetectionParams())
    cpu = time.process_time() - started
    report = evaluate(load_truth(corpus / "truth.json"), [r.as_json() for r in result.rings],
                      result.params.score_threshold, accounts_only=True)
    print(json.dumps({"cpu": cpu, "recall": report.recall, "precision": report.precision,
                      "found": len(report.found), "planted": report.planted, "correct": report.correct,
                      "reported": report.reported, "decoys": len(report.decoys_flagged),
                      "decoys_in_scope": report.decoys_in_scope, "transfers": graph.number_of_edges()}))


def _timed_child(corpus: Path, source: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": f"{source}{os.pathsep}{Path(__file__).resolve().parent.parent}"}
    done = subprocess.run([sys.executable, __file__, "--time-generated", str(corpus)], env=env, cwd=source,
                          capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def print_outside(amlsim: Path | None, generated: list[Path], baseline: Path | None) -> None:
    """amlsim-small per typology; generated corpora's scores and detection CPU (and the baseline's)."""
    if amlsim is not None:
        command = [str(Path(sys.executable).parent / "casegraph"), "eval", "rings", "--truth",
                   str(amlsim / "truth_groups.csv"), "--ledger", str(amlsim / "transactions.csv"),
                   "--columns", AMLSIM_COLUMNS, "--format", "json"]
        report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
        typologies = ", ".join(f"{t} {v['recovered']}/{v['groups']}" for t, v in report["per_typology"].items())
        print(f"\namlsim-small: recall {report['recall']} precision {report['precision']} "
              f"({report['hits']}/{report['reported_above_threshold']}) | {typologies}")
    here = Path(__file__).resolve().parent.parent
    for corpus in generated:
        mine = _timed_child(corpus, here)
        line = (f"{corpus.name}: {mine['transfers']:.0f} transfers, recall {mine['recall']:.4f} "
                f"({mine['found']:.0f}/{mine['planted']:.0f}), precision {mine['precision']:.4f} "
                f"({mine['correct']:.0f}/{mine['reported']:.0f}), decoys {mine['decoys']:.0f}/"
                f"{mine['decoys_in_scope']:.0f}; find_rings {mine['cpu']:.2f} s CPU")
        if baseline is not None:
            before = _timed_child(corpus, baseline)
            line += (f"; baseline {before['cpu']:.2f} s CPU (recall {before['recall']:.4f}, precision "
                     f"{before['precision']:.4f}), ratio {mine['cpu'] / before['cpu']:.2f}x")
        print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--shapes", choices=("held-back", "development", "none"), default="held-back")
    parser.add_argument("--no-eval", action="store_true", help="only write the ledgers")
    parser.add_argument("--amlsim", type=Path, help="an AMLSim folder (transactions.csv, truth_groups.csv)")
    parser.add_argument("--generated", type=Path, nargs="*", default=[], help="generated corpus folders")
    parser.add_argument("--baseline-src", type=Path, help="another checkout whose find_rings is timed too")
    parser.add_argument("--time-generated", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_generated is not None:
        time_generated(args.time_generated)
        return
    if args.shapes != "none":
        if args.out is None:
            parser.error("--out is needed to write the shapes")
        print_shapes(HELD_BACK if args.shapes == "held-back" else DEVELOPMENT, args.out, args.no_eval)
    print_outside(args.amlsim, args.generated, args.baseline_src)


def print_shapes(shapes: tuple[Shape, ...], out: Path, no_eval: bool) -> None:
    """Write each shape's ledgers and truth, score them, and print a row per shape and one for all."""
    totals: dict[str, tuple[int, int]] = {}
    hits = reported = 0
    print("| shape | transfers | recall | precision | per typology |")
    print("| --- | --- | --- | --- | --- |")
    for shape in shapes:
        world = World(shape)
        world.background()
        world.plant()
        folder = out / shape.name
        paths = write(world, folder)
        if no_eval:
            print(f"| {shape.name} | {len(world.txs)} | - | - | - |")
            continue
        report = evaluate(shape, paths, folder)
        per = report["per_typology"]
        assert isinstance(per, dict)
        typologies = ", ".join(f"{t} {v['recovered']}/{v['groups']}" for t, v in per.items())
        print(f"| {shape.name} | {len(world.txs)} | {report['recall']} | {report['precision']} "
              f"({report['hits']}/{report['reported_above_threshold']}) | {typologies} |", flush=True)
        for typology, figures in per.items():
            done, total = totals.get(typology, (0, 0))
            totals[typology] = (done + figures["recovered"], total + figures["groups"])
        hits += int(report["hits"])  # type: ignore[call-overload]
        reported += int(report["reported_above_threshold"])  # type: ignore[call-overload]
    if totals:
        recovered, groups = sum(d for d, _t in totals.values()), sum(t for _d, t in totals.values())
        print(f"| all shapes | | {recovered / groups:.4f} | {hits / max(reported, 1):.4f} ({hits}/{reported}) | "
              + ", ".join(f"{t} {d}/{n}" for t, (d, n) in totals.items()) + " |")


if __name__ == "__main__":
    main()
