"""The recurring pieces of Chinese case files, each written with its mentions recorded.

One `DocWriter` per document: it decides once how each person is written there (full name,
anonymised 张某某, or now and then traditional characters) and keeps to it, as a real
document does.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Final

from . import names
from .agencies import normalize_case_number
from .identifiers import (
    BANK_BY_CODE,
    corrupt_card,
    corrupt_ric,
    format_account,
    format_phone,
    is_luhn,
)
from .numerals import date_to_chinese, integer_to_chinese
from .textdoc import DocBuilder
from .world import Account, Organization, Person, World

EDUCATION: Final[tuple[str, ...]] = ("小学", "初中", "高中", "中专", "大专", "大学本科", "研究生")
OCCUPATION: Final[tuple[str, ...]] = ("无业", "个体工商户", "务工", "公司职员", "农民", "自由职业", "退休")
INVALID_RATE: Final[float] = 0.02


def cents_normalized(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


class DocWriter:
    def __init__(self, rng: random.Random, world: World, *, anonymise: bool = False,
                 traditional_rate: float = 0.03) -> None:
        self.rng = rng
        self.world = world
        self.b = DocBuilder()
        self.anonymise = anonymise
        self.traditional_rate = traditional_rate
        self.own_case: int | None = None
        self._forms: dict[str, str] = {}
        self._short_defined: set[str] = set()
        self._last_year: int | None = None

    # -- people and organisations -------------------------------------------------------------
    def form_of(self, p: Person, official: bool = False) -> str:
        if p.id in self._forms:
            return self._forms[p.id]
        form = p.name
        if self.anonymise and not official:
            form = names.anonymised(p.name, 0 if self.rng.random() < 0.85 else 1)
        elif self.rng.random() < self.traditional_rate:
            form = names.traditional(p.name)
        if form in self._forms.values():  # two 张某某 in one file would be unreadable
            form = p.name
        self._forms[p.id] = form
        return form

    def person(self, p: Person, role: str | None = None, official: bool = False) -> int:
        form = self.form_of(p, official)
        i = self.b.m("PERSON", form, names.simplified(form), entity=p.id)
        if role:
            self.b.rel("ROLE_IN", i, self.own_case, role)
        return i

    def org(self, o: Organization, role: str | None = None, define_short: bool = False) -> int:
        i = self.b.m("ORG", o.name, o.name, entity=o.id)
        if role:
            self.b.rel("ROLE_IN", i, self.own_case, role)
        if define_short and o.short_name and o.id not in self._short_defined:
            self.b.t("（以下简称")
            self.b.m("ORG", o.short_name, o.short_name, entity=o.id)
            self.b.t("）")
            self._short_defined.add(o.id)
        return i

    def org_ref(self, o: Organization) -> int:
        """A later reference: the defined short form if there is one."""
        if o.id in self._short_defined and o.short_name:
            return self.b.m("ORG", o.short_name, o.short_name, entity=o.id)
        return self.b.m("ORG", o.name, o.name, entity=o.id)

    def agency(self, name: str, region: str) -> int:
        org = self.world.agency_org(name, region)
        return self.b.m("ORG", name, name, entity=org.id)

    # -- values ---------------------------------------------------------------------------------
    def money(self, cents: int, style: str | None = None) -> int:
        rng = self.rng
        yuan, fen = divmod(cents, 100)
        style = style or rng.choices(
            ("wan", "comma", "plain", "upper", "lower", "approx"), (30, 30, 12, 10, 8, 10))[0]
        if style in ("wan", "upper", "lower") and fen == 0 and yuan % 10000 == 0 and yuan:
            if style == "wan":
                return self.b.m("MONEY", f"{yuan // 10000}万元", cents_normalized(cents))
            text = integer_to_chinese(yuan, capital=style == "upper") + "元"
            return self.b.m("MONEY", text, cents_normalized(cents))
        if style in ("upper", "lower") and fen == 0:
            text = integer_to_chinese(yuan, capital=style == "upper") + "元"
            return self.b.m("MONEY", text, cents_normalized(cents))
        if style == "wan" and fen == 0 and yuan >= 100_000_000 and yuan % 1_000_000 == 0:
            return self.b.m("MONEY", f"{yuan / 100_000_000:g}亿元", cents_normalized(cents))
        if style == "approx" and yuan >= 100000:
            wan = yuan // 10000
            return self.b.m("MONEY", f"{wan}余万元", cents_normalized(wan * 1000000))
        if style == "wan" and yuan >= 10000 and fen == 0 and yuan % 100 == 0:
            return self.b.m("MONEY", f"{yuan / 10000:g}万元", cents_normalized(cents))
        if style == "plain":
            text = f"{yuan}元" if fen == 0 else f"{yuan}.{fen:02d}元"
            return self.b.m("MONEY", text, cents_normalized(cents))
        return self.b.m("MONEY", f"{yuan:,}.{fen:02d}元", cents_normalized(cents))

    def date(self, d: dt.date, style: str | None = None) -> int:
        """A date as case files write it; `same_year` may come out as 同年6月27日."""
        if style is None:
            style = self.rng.choices(("cn", "iso", "dot"), (90, 5, 5))[0]
            if self._last_year == d.year and self.rng.random() < 0.25:
                style = "same_year"
        if style == "chinese":
            text = date_to_chinese(d)
        elif style == "iso":
            text = d.isoformat()
        elif style == "dot":
            text = f"{d.year}.{d.month}.{d.day}"
        elif style == "same_year":
            text = f"同年{d.month}月{d.day}日"
        elif style == "masked":  # published judgments hide birth month and day
            return self.b.m("DATE", f"{d.year}年×月×日", str(d.year))
        else:
            text = f"{d.year}年{d.month}月{d.day}日"
        self._last_year = d.year
        return self.b.m("DATE", text, d.isoformat())

    def month(self, d: dt.date) -> int:
        return self.b.m("DATE", f"{d.year}年{d.month}月", f"{d.year}-{d.month:02d}")

    def ric(self, p: Person, doc_path: str) -> int:
        if self.rng.random() < INVALID_RATE:
            bad = corrupt_ric(self.rng, p.ric)
            self.b.invalid.append({"doc": doc_path, "type": "ID_NUMBER", "text": bad,
                                   "reason": "check digit does not match (one digit mistyped)"})
            return self.b.m("ID_NUMBER", bad, bad, valid=False)
        return self.b.m("ID_NUMBER", p.ric, p.ric)

    def uscc(self, o: Organization) -> int:
        assert o.uscc is not None
        return self.b.m("USCC", o.uscc, o.uscc)

    def phone(self, phone: str) -> int:
        w = format_phone(self.rng, phone)
        return self.b.m("PHONE", w.text, w.normalized)

    def account(self, acct: Account, doc_path: str, allow_partial: bool = True) -> int:
        rng = self.rng
        if allow_partial and rng.random() < 0.12:
            self.b.t("尾号")
            tail = acct.number[-4:]
            return self.b.m("BANK_ACCOUNT", tail, tail, valid=False, partial=True, is_card=acct.is_card)
        if acct.is_card and rng.random() < INVALID_RATE:
            bad = corrupt_card(rng, acct.number)
            self.b.invalid.append({"doc": doc_path, "type": "BANK_ACCOUNT", "text": bad,
                                   "reason": "Luhn check fails (one digit mistyped)"})
            return self.b.m("BANK_ACCOUNT", bad, bad, valid=False, is_card=True)
        w = format_account(rng, acct.number)
        return self.b.m("BANK_ACCOUNT", w.text, w.normalized, valid=True, is_card=acct.is_card,
                        luhn=is_luhn(acct.number))

    def bank_of(self, acct: Account) -> str:
        return BANK_BY_CODE[acct.bank][1]

    def address(self, text: str) -> int:
        return self.b.m("ADDRESS", text, names.simplified(text))

    def case_number(self, text: str) -> int:
        return self.b.m("CASE_NUMBER", text, normalize_case_number(text))

    def own_case_number(self, text: str) -> int:
        self.own_case = self.case_number(text)
        return self.own_case

    def charge(self, charge: str) -> int:
        return self.b.m("CHARGE", charge, charge)

    # -- paragraphs -----------------------------------------------------------------------------
    def party(self, p: Person, label: str, role: str, doc_path: str, *, with_id: bool,
              with_phone: bool, custody: str = "", custody_charge: str | None = None) -> int:
        """被告人张伟，男，1978年5月12日出生，公民身份号码…，汉族，…，住…，联系电话…。"""
        rng, b = self.rng, self.b
        b.t(label)
        i = self.person(p, role)
        b.t(f"，{p.gender}，")
        birth_style = "masked" if self.anonymise and rng.random() < 0.5 else "cn"
        if rng.random() < 0.8:
            self.date(p.birth, birth_style)
            b.t("出生，")
        else:
            b.t("出生于")
            self.date(p.birth, birth_style)
            b.t("，")
        if with_id:
            b.t(rng.choice(("公民身份号码", "身份证号码", "居民身份证号码", "身份证号")))
            self.ric(p, doc_path)
            b.t("，")
        b.t(f"汉族，{rng.choice(EDUCATION)}文化，{rng.choice(OCCUPATION)}，")
        if p.extra_addresses and rng.random() < 0.6:
            b.t("户籍地")
            self.address(p.address)
            b.t("，现住")
            self.address(p.extra_addresses[0])
        else:
            b.t("住")
            self.address(p.address)
        if with_phone:
            b.t("，联系电话")
            self.phone(p.phones[0])
        b.t("。")
        if custody:
            b.t(custody)
        if custody_charge:
            # 因涉嫌X罪，现羁押。 names a charge: DESIGN's CHARGE span covers it like any other
            b.t("因涉嫌")
            self.charge(custody_charge)
            b.t("，现羁押。")
        b.nl()
        return i

    def company_party(self, o: Organization, label: str, role: str) -> int:
        """被告单位…（以下简称…），统一社会信用代码…，住所地…，法定代表人…。"""
        b = self.b
        b.t(label)
        i = self.org(o, role, define_short=True)
        b.t("，统一社会信用代码")
        self.uscc(o)
        b.t("，住所地")
        assert o.address is not None
        self.address(o.address)
        if o.legal_rep:
            b.t("，法定代表人")
            rep = self.person(self.world.person(o.legal_rep))
            b.rel("LEGAL_REP", rep, i)
        b.t("。")
        b.nl()
        return i
