"""Bank statements: background traffic around the planted flows, in several bank layouts.

A transfer between two accounts that both have statements is one `Tx` written into both
files with the same serial number (交易流水号), as the resolver is expected to count it once.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from .flows import Tx, TxIds
from .world import Account

# A statement police or a regulator obtain from a bank (查询反馈 / 交易明细) names the queried
# account's holder with the 证件号码 the bank recorded at opening (real-name system); of the
# counterparty it gives only the account and the name.
LAYOUTS: Final[dict[str, tuple[str, ...]]] = {
    "standard": ("交易日期", "交易时间", "本方账号", "本方户名", "本方证件号码", "对方账号", "对方户名",
                 "交易金额", "借贷标志", "余额", "摘要", "交易流水号"),
    "split": ("交易流水号", "记账日期", "交易时间", "账号", "户名", "证件号码", "对方账号", "对方户名",
              "收入金额", "支出金额", "账户余额", "交易摘要"),
    "signed": ("交易日期", "交易时间", "本方账号", "本方户名", "证件号码", "收/支", "交易金额", "余额",
               "对方账号", "对方户名", "摘要", "交易流水号"),
}
BANK_LAYOUT: Final[dict[str, tuple[str, str]]] = {
    # bank -> (layout, csv encoding)
    "ICBC": ("standard", "utf-8-sig"), "BOC": ("standard", "utf-8-sig"), "PSBC": ("standard", "gb18030"),
    "CCB": ("split", "gb18030"), "CMB": ("split", "utf-8-sig"),
    "ABC": ("signed", "gb18030"), "BOCOM": ("signed", "utf-8"),
}
OUTSIDE_PARTIES: Final[tuple[tuple[str, str], ...]] = (
    ("财付通支付科技有限公司", "243300133"), ("支付宝（中国）网络技术有限公司", "215500690"),
    ("银联无卡快捷支付", ""), ("网联清算有限公司", "9110000MA01"), ("ATM取款", ""),
)
BACKGROUND_MEMOS: Final[tuple[str, ...]] = (
    "消费", "快捷支付", "转账", "还款", "网银转账", "手机银行转账", "红包",
)


@dataclass(slots=True)
class Statement:
    path: str
    bank: str
    layout: str
    encoding: str
    accounts: list[Account]
    fmt: str  # csv | xlsx
    holder: str


def background(all_cards: list[Account], rng: random.Random, ids: TxIds, accounts: list[Account],
               per_account: int, start: datetime, days: int) -> list[Tx]:
    """Everyday traffic for the statement accounts: payments, cash, transfers among people.

    `all_cards` are the population's cards that transfers among people draw from. This is
    the generator's hottest loop (millions of rows at large scale), so it draws with
    `rng.random()` arithmetic rather than randrange/choice, several times cheaper.
    """
    txs: list[Tx] = []
    rand = rng.random
    span = days * 86400
    n_cards, n_outside, n_memos = len(all_cards), len(OUTSIDE_PARTIES), len(BACKGROUND_MEMOS)
    midnight = start.replace(hour=0, minute=0, second=0)
    for acct in accounts:
        n = max(5, int(rng.gauss(per_account, per_account / 4)))
        for _ in range(n):
            # A day in the window, a time between 07:00 and 23:59.
            day = int(rand() * span) // 86400
            at = midnight + timedelta(days=day, seconds=25200 + int(rand() * 61200))
            cents = int(math.exp(6.0 + 1.4 * _normal(rand)) * 100)
            roll = rand()
            if roll < 0.45:
                name, number = OUTSIDE_PARTIES[int(rand() * n_outside)]
                memo = "ATM取现" if name == "ATM取款" else BACKGROUND_MEMOS[int(rand() * n_memos)]
                tx = Tx(ids.next(at), at, acct, None, cents, memo, dst_name=name, dst_number=number)
            elif roll < 0.6:
                name, number = OUTSIDE_PARTIES[int(rand() * 2)]
                tx = Tx(ids.next(at), at, None, acct, cents, "退款", src_name=name, src_number=number)
            else:
                other = all_cards[int(rand() * n_cards)]
                if other is acct:
                    continue
                if rand() < 0.5:
                    memo = "转账" if rand() < 0.6 else "手机银行转账"
                    tx = Tx(ids.next(at), at, acct, other, cents, memo)
                else:
                    memo = ("转账", "网银转账", "还款")[int(rand() * 3)]
                    tx = Tx(ids.next(at), at, other, acct, cents, memo)
            txs.append(tx)
    return txs


def _normal(rand: Callable[[], float]) -> float:
    """A standard normal draw (Box-Muller) from uniform draws."""
    return math.sqrt(-2.0 * math.log(1.0 - rand())) * math.cos(2.0 * math.pi * rand())


def _money(cents: int, comma: bool) -> str:
    yuan, fen = divmod(cents, 100)
    return f"{yuan:,}.{fen:02d}" if comma else f"{yuan}.{fen:02d}"


def statement_rows(statement: Statement, by_account: dict[str, list[Tx]], rng: random.Random
                   ) -> Iterator[list[str]]:
    """Rows of one statement file, account by account, each in time order with balances."""
    layout = statement.layout
    for acct in statement.accounts:
        entries = sorted(by_account.get(acct.number, ()), key=lambda t: (t.at, t.tx_id))
        running, low = 0, 0
        for tx in entries:
            running += tx.cents if tx.dst_number == acct.number else -tx.cents
            low = min(low, running)
        balance = -low + rng.randint(500, 80_000) * 100
        for tx in entries:
            stamp = tx.at.isoformat(sep=" ")  # C-level formatting: strftime per row is the hot spot
            day, clock = stamp[:10], stamp[11:19]
            incoming = tx.dst_number == acct.number
            balance += tx.cents if incoming else -tx.cents
            other_number = tx.src_number if incoming else tx.dst_number
            other_name = tx.src_name if incoming else tx.dst_name
            if layout == "standard":
                yield [day, clock, acct.number, acct.owner_name, acct.owner_id_number, other_number,
                       other_name, _money(tx.cents, False), "贷" if incoming else "借",
                       _money(balance, False), tx.memo, tx.tx_id]
            elif layout == "split":
                amount = _money(tx.cents, True)
                yield [tx.tx_id, day.replace("-", ""), clock.replace(":", ""), acct.number, acct.owner_name,
                       acct.owner_id_number, other_number, other_name, amount if incoming else "",
                       "" if incoming else amount,
                       _money(balance, True), tx.memo]
            else:
                yield [f"{tx.at.year}/{tx.at.month}/{tx.at.day}", clock, acct.number,
                       acct.owner_name, acct.owner_id_number, "收" if incoming else "支", _money(tx.cents, False),
                       _money(balance, False), other_number, other_name, tx.memo, tx.tx_id]


def index_by_account(txs: list[Tx], statement_numbers: set[str]) -> dict[str, list[Tx]]:
    by_account: dict[str, list[Tx]] = {}
    for tx in txs:
        if tx.src_number in statement_numbers:
            by_account.setdefault(tx.src_number, []).append(tx)
        if tx.dst_number in statement_numbers and tx.dst_number != tx.src_number:
            by_account.setdefault(tx.dst_number, []).append(tx)
    return by_account
