"""What bank statements call their columns, and what the lines above the header say.

One vocabulary for both ledger readers: the ingest reader (`ledger_reader`, facts with their rows)
and the detection reader (`casegraph.graph.ledgers`, flows for ring detection). They used to keep a
table each, and a layout one of them knew the other read as nothing.

The names come from the exports investigators receive: the police's bank-query feedback
(查询反馈明细: 交易卡号, 交易对手账卡号, 收付标志 进/出, 交易时间 holding date and time, 交易是否成功),
banks' own statements (交易日期 + 交易时间, 借方/贷方发生额, 收入/支出金额, the card number and holder
in the title lines rather than in a column), and third-party payment records (付款方/收款方).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

# field -> header names, most specific first. Headers are compared after `clean_header`.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "datetime": ("交易日期时间", "交易时间戳", "交易时刻"),
    "date": ("交易日期", "记账日期", "入账日期", "日期"),
    "time": ("交易时间", "时间"),
    "account": ("本方账号", "本方卡号", "查询账号", "查询卡号", "客户账号", "交易卡号", "交易账号", "账号", "卡号"),
    "counterparty_account": ("对方账号", "对方卡号", "对手账号", "对手卡号", "交易对手账卡号", "交易对手账号",
                             "交易对手卡号", "对方账户", "对手账户", "对方账卡号", "对手账卡号",
                             # payment companies' feedback (财付通: 对手侧银行卡号)
                             "对手侧银行卡号", "对手方银行卡号", "对方银行卡号", "对手侧账号", "对手方账号"),
    "counterparty_name": ("对方户名", "对手户名", "交易对手名称", "交易对手户名", "对方名称", "对方账户名称",
                          "对手名称"),
    "direction": ("借贷标志", "借贷方向", "收付标志", "收支标志", "交易方向", "进出标志", "进出方向", "收付方向",
                  "出入账标志", "资金方向", "资金收付标志", "借贷类型", "收支类型", "收支", "收付", "借贷", "进出"),
    "credit": ("收入金额", "贷方发生额", "存入金额", "贷方金额", "收入"),
    "debit": ("支出金额", "借方发生额", "支取金额", "借方金额", "支出"),
    # after the split columns, so that a partial 金额 never takes 收入金额（万元）
    "amount": ("交易金额", "发生额", "金额"),
    "balance": ("余额", "账户余额", "交易后余额", "交易余额"),
    "memo": ("摘要", "交易摘要", "摘要说明", "用途", "附言", "备注"),
    "tx_id": ("交易流水号", "流水号", "交易序号", "交易参考号", "凭证号"),
    # whether the bank carried the transfer out: a refused one moved nothing
    "status": ("交易是否成功", "交易状态", "交易结果", "是否成功", "处理状态"),
    # the queried account's holder as the bank recorded him (after the counterparty's columns, so
    # that 户名 never takes 对方户名)
    "holder_name": ("本方户名", "交易方户名", "户名", "账户名称", "客户名称"),
    "holder_id": ("本方证件号码", "交易方证件号码", "证件号码", "身份证号码", "证件号"),
    # one cell holding the counterparty's name and number (招行's 对手信息), when no column has the number alone
    "counterparty_info": ("对手信息", "对方信息", "交易对方信息", "交易对手信息", "对方账户信息", "收付款方信息"),
}

_HEADER_NOISE = re.compile(r"[\s()（）\[\]【】:：/／]")
_VARIANTS = str.maketrans({"帐": "账"})  # 帐号 and 账号 are both in use


def clean_header(cell: object) -> str:
    """A header cell as it is compared: no spaces, brackets or colons, 帐 written 账, 元 dropped at the end
    (交易金额(元) is 交易金额), the cell otherwise as written (万元 stays: it says the unit)."""
    text = "" if cell is None else str(cell)
    text = _HEADER_NOISE.sub("", text.lstrip("\ufeff'")).translate(_VARIANTS)
    return text.removesuffix("元") if not text.endswith("万元") else text


def amount_unit(headers: Sequence[object]) -> float:
    """Yuan per unit of the amount columns, said in their headers: 10,000 for 万元 (large statements),
    0.01 for 分 (财付通 and other payment companies' feedback: 交易金额(分)), else 1."""
    cells = [clean_header(h) for h in headers]
    if any("万元" in c for c in cells):
        return 10_000.0
    return 0.01 if any(c.endswith("分") for c in cells) else 1.0


def match_fields(header: Sequence[object]) -> dict[str, int]:
    """Field -> column index; exact names beat partial ones and each column serves one field."""
    cells = [clean_header(c) for c in header]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for exact in (True, False):
        for field_name, names in FIELD_NAMES.items():
            if field_name in found:
                continue
            for name in names:
                hits = [i for i, cell in enumerate(cells) if i not in taken
                        and (cell == name if exact else (name in cell and len(name) >= 2))]
                if hits:
                    found[field_name] = hits[0]
                    taken.add(hits[0])
                    break
    if "date" not in found and "datetime" not in found and "time" in found:
        # the police's feedback has one 交易时间 column holding the date and the time
        found["datetime"] = found.pop("time")
    return found


_ACCOUNT_NUMBER_NAMES = ("交易账号", "账号", "本方账号", "客户账号", "查询账号")


def account_number_column(header: Sequence[object], account: int, taken: set[int]) -> int | None:
    """The account number's column when a card number column is the statement's own account (the
    police's feedback has 交易卡号 and 交易账号 side by side): the row then ties the two numbers."""
    cells = [clean_header(c) for c in header]
    if "卡号" not in cells[account]:
        return None
    return next((i for name in _ACCOUNT_NUMBER_NAMES for i, c in enumerate(cells) if c == name and i not in taken),
                None)


_OUT_WORDS = ("出", "支", "付", "借")
_IN_WORDS = ("进", "入", "收", "贷")
_OUT_CODES = {"d", "dr", "debit", "-", "out"}
_IN_CODES = {"c", "cr", "credit", "+", "in"}


def flag_is_out(flag: object) -> bool | None:
    """True for an outflow flag (出, 支出, 转出, 借, 借方, 付款, D, DR), False for an inflow (进, 转入,
    收入, 贷, C, CR), None when the cell is empty or says neither."""
    text = "" if flag is None else str(flag).strip()
    if not text:
        return None
    lowered = text.lower()
    if lowered in _OUT_CODES:
        return True
    if lowered in _IN_CODES:
        return False
    out = any(w in text for w in _OUT_WORDS)
    into = any(w in text for w in _IN_WORDS)
    if out != into:
        return out
    # 转出 holds 出 only, 收付 both: the word's last character is the direction when both appear
    if out and into:
        return text[-1] in _OUT_WORDS if text[-1] in _OUT_WORDS + _IN_WORDS else None
    return None


_NOT_DONE = ("失败", "不成功", "未成功", "否", "拒绝", "撤销", "无效")


def completed(status: object) -> bool:
    """False when a status cell says the bank did not carry the transfer out; an empty cell is done."""
    text = "" if status is None else str(status).strip()
    return not text or not any(word in text for word in _NOT_DONE)


_SUMMARY_WORDS = ("合计", "总计", "累计", "小计", "本页合计", "总笔数", "共计")
_SUMMARY_COUNT = re.compile(r"^共\s*\d+\s*笔")


def is_summary_row(cells: Sequence[object]) -> bool:
    """A 合计 / 总计 / 本页合计 / 累计 / 共3笔 line under the rows: sums, not a transfer. Told by its
    first filled cell, which in every statement seen holds a date, a serial or a number otherwise."""
    lead = cells[0] if cells else None
    if (isinstance(lead, str) and lead[:1].isdigit()) or isinstance(lead, (int, float, date)):
        return False  # a date, a serial or an amount: the row of nearly every statement line, decided at once
    first = next((str(c).strip() for c in cells if c is not None and str(c).strip()), "")
    return first.startswith(_SUMMARY_WORDS) or bool(_SUMMARY_COUNT.match(first))


_MASK = re.compile(r"[*×＊]|XXX|xxx")


def is_masked(cell: object) -> bool:
    """A number printed with hidden digits (6228****8901, 6222××××3446): no account can be keyed by it."""
    return cell is not None and _MASK.search(str(cell)) is not None


_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z\-])([0-9](?:[0-9]| (?=[0-9])){8,40})(?![0-9\-:])")


def number_in_text(cell: object) -> tuple[str, str] | None:
    """The account number a text cell holds (摘要 转账存入 张三 6217 0037 …, 对手信息 王五 6228…), with the
    words before it (the counterparty's name as written); None when it holds no number of 9 digits or more
    or a masked one. A date or a time is cut by its - and : separators."""
    text = "" if cell is None else str(cell)
    if is_masked(text):
        return None
    match = _NUMBER_IN_TEXT.search(text)
    if match is None:
        return None
    digits = match.group(1).replace(" ", "")
    if len(digits) < 9:
        return None
    before = re.split(r"[\s,，;；:：/|-]+", text[:match.start()].strip())
    return digits, (before[-1] if before and before[-1] else "")


_TITLE_ACCOUNT = re.compile(r"(?:卡号|账号|帐号|账户|帐户|查询账号|客户账号)\s*[:：]?\s*([0-9][0-9 \-]{4,40}[0-9])")
_TITLE_HOLDER = re.compile(r"(?:户名|姓名|客户名称|账户名称|帐户名称|持卡人)\s*[:：]\s*([^\s,，:：;；]{2,40})")


_SPACED_LABEL = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")


def title_fields(rows: Sequence[Sequence[object]]) -> dict[str, str]:
    """The account number and holder a personal statement prints above its header (卡号：6222 0202 …,
    户名：张三), for a statement whose rows do not repeat them."""
    found: dict[str, str] = {}
    for row in rows:
        line = " ".join(str(c) for c in row if c is not None and str(c).strip())
        line = _SPACED_LABEL.sub("", line)  # 户    名：赵六, 开 户 行 (labels spaced out to align)
        if "account" not in found and (account := _TITLE_ACCOUNT.search(line)):
            digits = re.sub(r"[ \-]", "", account.group(1))
            if len(digits) >= 6:
                found["account"] = digits
        if "holder_name" not in found and (holder := _TITLE_HOLDER.search(line)):
            found["holder_name"] = holder.group(1)
    return found
