"""A synthetic ledger-only corpus for tuning and benchmarking ring detection.

The team's generator (`casegraph demo generate`) is the reference corpus; this script exists so
detection can be tuned and timed on ledgers of any size without it. It writes per-bank CSV
statements (each transfer in the payer's and the payee's bank, same 交易流水号) with background
traffic, habitual monthly payments, payroll decoys and planted rings of 2-3 money-flow typologies
over a shared account pool, plus a truth.json in the shared format (rings and decoys with
account members only).

    python benchmarks/ledger_corpus.py --out /tmp/ledgers --transfers 1000000 --rings 150
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import zlib
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

HEADER = ["交易日期", "交易时间", "本方账号", "本方户名", "对方账号", "对方户名", "交易金额", "借贷标志",
          "余额", "摘要", "交易流水号"]
BANKS = ("icbc", "ccb", "abc", "boc", "cmb")
START = datetime(2022, 1, 1, 8, 0)
SPAN_DAYS = 540
FLOW_KINDS = ("cycle", "fan_in", "fan_out", "scatter_gather", "gather_scatter", "pass_through")

Row = tuple[datetime, str, str, int, str, str]  # at, payer, payee, cents, memo, tx_id


class Corpus:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.rows: list[Row] = []
        self.accounts: list[str] = []
        self.serial = 0

    def account(self) -> str:
        number = "62" + "".join(self.rng.choice("0123456789") for _ in range(17))
        self.accounts.append(number)
        return number

    def tx(self, at: datetime, payer: str, payee: str, cents: int, memo: str = "转账") -> None:
        self.serial += 1
        self.rows.append((at, payer, payee, cents, memo, f"{at:%Y%m%d}S{self.serial:010d}"))

    def moment(self) -> datetime:
        minutes = self.rng.randrange(8 * 60, 22 * 60)
        return START + timedelta(days=self.rng.randrange(SPAN_DAYS), minutes=minutes)

    def amount(self, low: int, high: int) -> int:
        yuan = self.rng.randint(low, high)
        return (yuan // 1000 * 1000 or 1000) * 100 if self.rng.random() < 0.6 else yuan * 100

    def fee(self, cents: int) -> int:
        return cents - cents * self.rng.randint(10, 150) // 10000 // 100 * 100


def background(c: Corpus, n_accounts: int, transfers: int) -> None:
    pool = [c.account() for _ in range(n_accounts)]
    rng = c.rng
    habitual = transfers // 20  # rent-like monthly payments, same pair every month
    for _ in range(habitual // 12):
        payer, payee = rng.choice(pool), rng.choice(pool)
        day, cents = rng.randint(1, 28), rng.randint(1500, 6000) * 100
        for month in range(12):
            c.tx(START.replace(month=month + 1, day=day) + timedelta(hours=rng.randint(1, 12)), payer, payee,
                 cents, "房租")
    for _ in range(transfers - habitual):
        payer, payee = rng.choice(pool), rng.choice(pool)
        if payer != payee:
            c.tx(c.moment(), payer, payee, int(rng.lognormvariate(7.5, 1.3) * 100) + 100,
                 rng.choice(("转账", "消费", "货款", "还款", "网银转账")))


def plant(c: Corpus, kind: str, accts: list[str], start: datetime) -> None:
    rng = c.rng
    if kind == "cycle":
        at, cents = start, c.amount(50_000, 2_000_000)
        for i, src in enumerate(accts):
            at += timedelta(hours=rng.randint(2, 30), minutes=rng.randint(0, 59))
            c.tx(at, src, accts[(i + 1) % len(accts)], cents)
            cents = c.fee(cents)
    elif kind in ("fan_in", "fan_out"):
        for other in accts[1:]:
            at = start + timedelta(minutes=rng.randint(0, 3 * 24 * 60))
            pair = (other, accts[0]) if kind == "fan_in" else (accts[0], other)
            c.tx(at, *pair, c.amount(5_000, 80_000))
    elif kind == "scatter_gather":
        for mid in accts[2:]:
            cents, t1 = c.amount(20_000, 200_000), start + timedelta(minutes=rng.randint(0, 720))
            c.tx(t1, accts[0], mid, cents)
            c.tx(t1 + timedelta(minutes=rng.randint(30, 36 * 60)), mid, accts[1], c.fee(cents))
    elif kind == "gather_scatter":
        rest = accts[1:]
        half = max(1, len(rest) // 2)
        total, last = 0, start
        for src in rest[:half]:
            cents, at = c.amount(20_000, 150_000), start + timedelta(minutes=rng.randint(0, 1440))
            total, last = total + cents, max(last, at)
            c.tx(at, src, accts[0], cents)
        sinks = rest[half:]
        for dst in sinks:
            c.tx(last + timedelta(minutes=rng.randint(20, 1440)), accts[0], dst,
                 c.fee(total) // len(sinks) // 100 * 100)
    else:  # pass_through through accts[0]
        rest = accts[1:]
        for k in range(max(1, min(4, len(rest) // 2))):
            at = start + timedelta(days=k * rng.randint(1, 3), minutes=rng.randint(0, 600))
            cents = c.amount(30_000, 500_000)
            c.tx(at, rest[2 * k % len(rest)], accts[0], cents)
            onward = rest[(2 * k + 1) % len(rest)]
            c.tx(at + timedelta(minutes=rng.randint(5, 360)), accts[0], onward, c.fee(cents))


def rings(c: Corpus, count: int) -> list[dict[str, Any]]:
    truth = []
    rng = c.rng
    for n in range(count):
        pool = [c.account() for _ in range(rng.randint(8, 14))]
        kinds = rng.sample(FLOW_KINDS, rng.randint(2, 3))
        used: dict[str, None] = {}
        at = START + timedelta(days=rng.randint(0, SPAN_DAYS - 120), hours=rng.randint(8, 20))
        for kind in kinds:
            picked = pool[:]
            rng.shuffle(picked)
            if kind != "cycle":
                picked = [pool[0], *[a for a in picked if a != pool[0]]]
            size = rng.randint(3, 6) if kind == "cycle" else rng.randint(6, min(10, len(picked)))
            plant(c, kind, picked[:size], at)
            used.update(dict.fromkeys(picked[:size]))
            at += timedelta(days=rng.randint(5, 40))
        truth.append({"id": f"R{n + 1:03d}", "typologies": kinds, "regions": [], "agencies": [],
                      "members": [{"key": f"acct:{a}", "type": "Account"} for a in used]})
    return truth


def payroll(c: Corpus, count: int) -> list[dict[str, Any]]:
    decoys = []
    for n in range(count):
        payer, staff = c.account(), [c.account() for _ in range(c.rng.randint(10, 25))]
        pay = {a: c.rng.randint(3500, 15000) * 100 for a in staff}
        for month in range(12):
            day = START.replace(month=month + 1, day=10, hour=9)
            for a in staff:
                c.tx(day + timedelta(seconds=c.rng.randint(0, 600)), payer, a, pay[a], "代发工资")
        decoys.append({"id": f"D{n + 1:03d}", "kind": "salary_payments",
                       "members": [{"key": f"acct:{a}", "type": "Account"} for a in [payer, *staff]]})
    return decoys


def write(c: Corpus, out: Path, seed: int, truth_rings: list[dict[str, Any]],
          decoys: list[dict[str, Any]]) -> dict[str, Any]:
    bank_of = {a: BANKS[zlib.crc32(f"{seed}:{a}".encode()) % len(BANKS)] for a in c.accounts}
    files: dict[str, list[list[str]]] = defaultdict(list)
    for at, payer, payee, cents, memo, tx_id in sorted(c.rows):
        day, clock, yuan = f"{at:%Y-%m-%d}", f"{at:%H:%M:%S}", f"{cents / 100:.2f}"
        files[bank_of[payer]].append([day, clock, payer, "", payee, "", yuan, "借", "", memo, tx_id])
        files[bank_of[payee]].append([day, clock, payee, "", payer, "", yuan, "贷", "", memo, tx_id])
    out.mkdir(parents=True, exist_ok=True)
    ledgers = []
    for bank, rows in sorted(files.items()):
        path = out / f"ledger_{bank}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        ledgers.append({"path": path.name, "bank": bank, "layout": "flag_amount", "rows": len(rows)})
    truth = {"seed": seed, "scale": "ledgers", "generator_version": "bench-ledgers-1", "agencies": [],
             "documents": [], "persons": [], "organizations": [], "same_name_groups": [],
             "rings": truth_rings, "decoys": decoys, "ledgers": ledgers, "invalid_identifiers": []}
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--transfers", type=int, default=200_000)
    parser.add_argument("--accounts", type=int, default=0, help="default: transfers / 10")
    parser.add_argument("--rings", type=int, default=40)
    parser.add_argument("--payrolls", type=int, default=10)
    args = parser.parse_args()
    corpus = Corpus(args.seed)
    background(corpus, args.accounts or max(1000, args.transfers // 10), args.transfers)
    truth_rings, decoys = rings(corpus, args.rings), payroll(corpus, args.payrolls)
    truth = write(corpus, args.out, args.seed, truth_rings, decoys)
    print(f"{len(corpus.rows)} transfers, {sum(x['rows'] for x in truth['ledgers'])} ledger rows, "
          f"{len(truth_rings)} rings, {len(decoys)} decoys -> {args.out}")


if __name__ == "__main__":
    main()
