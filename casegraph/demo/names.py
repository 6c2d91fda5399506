"""Personal and company names with realistic frequencies.

Surname weights follow the national frequency ranking (王, 李, 张, 刘, 陈 cover about a
third of the population), so common names such as 张伟 or 王芳 recur by themselves and a
resolver meets genuine same-name different people, not only the planted ones.
"""

from __future__ import annotations

import random
from functools import lru_cache
from itertools import accumulate
from typing import Final

_SURNAMES: Final[str] = (
    "王71 李70 张68 刘54 陈45 杨31 黄22 赵20 吴20 周19 徐15 孙15 马12 朱12 胡11 郭11 何10 高10 "
    "林10 罗10 郑9 梁8 谢7 宋7 唐7 许6 韩6 冯6 邓6 曹6 彭5 曾5 肖5 田5 董5 袁5 潘4 于4 蒋4 "
    "蔡4 余4 杜4 叶4 程4 苏3 魏3 吕3 丁3 任3 沈3 姚3 卢3 姜3 崔3 钟3 谭3 陆2 汪2 范2 金2 石2 "
    "廖2 贾2 夏2 韦2 付2 方2 白2 邹2 孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶1 "
    "黎1 贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 覃1 武1 戴1 莫1 欧阳1 司马1"
)
SURNAMES: Final[tuple[str, ...]] = tuple(item.rstrip("0123456789") for item in _SURNAMES.split())
_SURNAME_CUM: Final[tuple[int, ...]] = tuple(
    accumulate(int(item[len(s):]) for item, s in zip(_SURNAMES.split(), SURNAMES, strict=True))
)

MALE_CHARS: Final[str] = (
    "伟强军磊勇杰涛斌明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国峰志文斌成兵东海"
    "亮新洪江彬宏晨毅博翔春雷晓永佳豪锐诚"
)
FEMALE_CHARS: Final[str] = "芳娜敏静丽艳娟霞秀燕玲桂英丹萍红琴云莉兰婷雪倩琳晶颖慧欣梅玉洁蓉佳莹月洋露"
# Common whole given names; they make collisions such as 张伟 or 李娜 frequent, as they are.
COMMON_MALE: Final[tuple[str, ...]] = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "超", "明", "刚", "建华", "志强",
)
COMMON_FEMALE: Final[tuple[str, ...]] = ("芳", "娜", "敏", "静", "丽", "艳", "秀英", "桂英", "婷", "丹")


def surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]


def given_name(rng: random.Random, gender: str) -> str:
    common, chars = (COMMON_MALE, MALE_CHARS) if gender == "男" else (COMMON_FEMALE, FEMALE_CHARS)
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(common)
    if roll < 0.35:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def person_name(rng: random.Random, gender: str) -> str:
    return surname(rng) + given_name(rng, gender)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name); two-character surnames are recognised from the table."""
    if len(name) > 2 and name[:2] in SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def anonymised(name: str, style: int = 0) -> str:
    """The forms courts and prosecutors publish: 张某某 / 张某 (style 0), 张某 (1), 张× (2)."""
    family, given = split_name(name)
    if style == 1:
        return family + "某"
    if style == 2:
        return family + "×" * len(given)
    return family + "某" * len(given)


@lru_cache(maxsize=1)
def _to_traditional() -> object:
    import opencc  # imported lazily: building the converter reads its dictionaries

    return opencc.OpenCC("s2t")


def traditional(text: str) -> str:
    converter = _to_traditional()
    return str(converter.convert(text))  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _to_simplified() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    converter = _to_simplified()
    return str(converter.convert(text))  # type: ignore[attr-defined]


# Company names: <place><trade name><industry><form>, e.g. 重庆鑫汇通投资管理有限公司.
TRADE_CHARS: Final[str] = "鑫汇通聚财融恒信金鼎盛世瑞丰宏达天润华泰中创博远嘉诚裕隆众邦富源银川德瑞安鸿运"
INDUSTRIES: Final[tuple[str, ...]] = (
    "投资管理", "财富管理", "商贸", "网络科技", "信息咨询", "供应链管理", "资产管理", "融资担保",
    "农业开发", "建筑工程", "文化传媒", "电子商务", "企业管理咨询", "贸易", "实业",
)
PLATFORM_INDUSTRIES: Final[tuple[str, ...]] = ("网络科技", "金融信息服务", "互联网金融服务", "电子商务")
COMPANY_FORMS: Final[tuple[str, ...]] = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")


def trade_name(rng: random.Random) -> str:
    length = 2 if rng.random() < 0.7 else 3
    return "".join(rng.sample(TRADE_CHARS, length))
