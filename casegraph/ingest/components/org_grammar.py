"""Organisation names the suffix list misses, by the structure of the name rather than a list of
names (issue 15: ORG rules fitted the dev texts and missed on unseen judgments):

- a public body or unit whose head word (局, 站, 政府, 协会 ...) ends a name only after a place:
  the name must open with a division (resources/divisions.txt) or a town written first;
- a bank's unit named on its own (侯马支行), after a word that ends the name before it;
- a short name used as a name (申奥公司): the same short name written after different words, so
  the words before it are not part of it (the left context varies), and not a trade word alone.

The head words, the trade words and what goes before each are data (resources/org_heads.txt).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from importlib import resources

# a town or township written first: 洞井镇, 龙潭镇, 黄忠街道 (not 城乡, a word)
_TOWN2 = re.compile(r"(?!城乡)[\u4e00-\u9fff]{2}(?:镇|乡|街道)")
_TOWN3 = re.compile(r"[\u4e00-\u9fff]{3}(?:镇|乡|街道)")
# characters that never belong to the short name before 公司 (function words, 该/某/本 ...)
_NOT_IN_SHORT = frozenset("的了是在和与及或等为被把将向到从对给让该某本其此这那各上下前后原新总分子母空壳皮包家个两几多"
                          "一二三四五六七八九十每另同他她我你们元年月日度底有没离负持托任")
# what a department between the place and the head may not hold: a street, a house, a bracket, a
# person's post (副乡长苏某某), another body before 和 (城管大队和市渣土管理处)
_NOT_IN_DEPARTMENT = re.compile(r"[路街号栋楼室()]|\d|[长记任]|(?:局|队|处|所|站|委|院|中心|政府)[和及与、]")


# the level a Party committee (委) is named by, written between the place and 委
_PARTY_LEVELS = frozenset({"", "省", "市", "区", "县", "州", "镇", "乡", "旗"})
# head words that need a department between the place and them (城管执法局, not 长沙市中心), unless
# the place's Party committee is written there (中共无锡市委办公室, 中共成都市委组织部)
_NEED_DEPARTMENT = frozenset({"局", "站", "厅", "院", "中心", "支队", "大队", "中队", "委员会"})
_COMMITTEE = re.compile(r"[省市区县州镇乡旗]?委")


@lru_cache(maxsize=1)
def heads() -> dict[str, tuple[str, ...]]:
    groups: dict[str, list[str]] = defaultdict(list)
    text = resources.files("casegraph.ingest").joinpath("resources/org_heads.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            group, _, words = line.partition(":")
            groups[group.strip()].extend(words.split())
    return {group: tuple(words) for group, words in groups.items()}


@cache
def _pattern(group: str) -> re.Pattern[str]:
    words = sorted(heads()[group], key=len, reverse=True)
    # not 局长, 站长: the head of a post
    return re.compile(rf"(?<=[\u4e00-\u9fff])(?:{'|'.join(words)})(?!长)")


def head_patterns() -> tuple[re.Pattern[str], ...]:
    """The head words of every group that names an organisation (not the trade words)."""
    return tuple(_pattern(group) for group in ("place", "branch", "short"))


@lru_cache(maxsize=1)
def _industry() -> re.Pattern[str]:
    words = sorted(heads()["industry"], key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(words)})+")


def town_at(text: str, position: int) -> tuple[int, int] | None:
    """(start, end) of a town's name written at `position` or one character after it (帮墩尚镇 ->
    墩尚镇), when the text establishes it: a division is written before it, or the same town is
    written after different words (so that the word before it is no part of it). 修缮镇政府, 最后乡
    are no towns."""
    for pattern in (_TOWN2, _TOWN3):
        for start in (position, position + 1):
            match = pattern.match(text, start)
            if match and _established(text, match.start(), match.group()):
                return match.span()
    return None


def _established(text: str, start: int, town: str) -> bool:
    before: set[str] = set()
    at = text.find(town)
    while at >= 0:
        before.add(text[at - 1] if at > 0 and "\u4e00" <= text[at - 1] <= "\u9fff" else "，")
        at = text.find(town, at + 1)
    return len(before) >= 2 or text[max(0, start - 1)] in "县区市旗"


def place_led(text: str, start_of: Callable[[int, str], int | None],
              place_at: Callable[[str, int], tuple[int, int] | None]) -> Iterator[tuple[int, int]]:
    """(start, end) of names ending in a `place` head word whose body opens with a place.
    `start_of(head_start, head)` is where the name would start (organisations.name_start);
    `place_at(text, start)` is the (start, end) of the divisions or town written there, or None."""
    for match in _pattern("place").finditer(text):
        name_start = start_of(match.start(), match.group())
        place = None if name_start is None else place_at(text, name_start)
        if place is None:
            continue
        start, place_end = place
        if text.startswith("中共", start - 2):
            start -= 2
        department = text[place_end:match.start()]
        if _NOT_IN_DEPARTMENT.search(department) or len(department) > 10:
            continue
        if match.group() == "银行" and department:
            continue  # 南京银行, a city's own bank; 兰州银行办过银行 holds a verb
        if match.group() in ("政府", "人民政府") and department not in ("", "人民"):
            continue  # 长沙市委市政府 is two bodies, 县城管理政府 none
        if match.group() == "委" and department not in _PARTY_LEVELS:
            continue  # 中共无锡市委, 大东区区委; not 村两委
        committee = _COMMITTEE.match(department)
        if match.group() in _NEED_DEPARTMENT and len(department) < 2 and not committee:
            continue  # 临汾市院 is a short form of 临汾市人民检察院, 长沙市中心 a part of town
        yield start, match.end()


def branches(text: str, start_of: Callable[[int, str], int | None]) -> Iterator[tuple[int, int]]:
    """A bank's unit named on its own: 侯马支行, 江东支行."""
    for match in _pattern("branch").finditer(text):
        start = start_of(match.start(), match.group())
        if start is None or not 2 <= match.start() - start <= 6:
            continue
        body = text[start:match.start()]
        if any(char in _NOT_IN_SHORT for char in body):
            continue
        yield start, match.end()


def short_names(text: str, taken: Callable[[int], bool], holds_a_word: Callable[[str], bool]) -> Iterator[tuple[int, int]]:
    """Short names before a `short` head word, where the words before the same name vary:
    `收受申奥公司`, `因此申奥公司`, `代表申奥公司` -> 申奥公司 (三 times, three different words
    before it), never a trade word alone (建筑公司) nor a verb's object (用于支付公司: `holds_a_word`,
    the words that end the name before an organisation). `taken(i)`: position i is in a name already."""
    occurrences = [m for m in _pattern("short").finditer(text) if not taken(m.start() - 1)]
    if not occurrences:
        return
    contexts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for match in occurrences:
        for length in range(2, 5):
            body = text[match.start() - length:match.start()]
            if len(body) < length or not _is_short_name(body) or holds_a_word(body):
                break
            before = text[match.start() - length - 1] if match.start() > length else ""
            # a punctuation mark before the name is one context (，申奥公司 beside 收受申奥公司)
            contexts[(body, match.group())].add(before if "\u4e00" <= before <= "\u9fff" else "，")
    # and the name is followed by its head word where it is written (用于公司: 用于 is a word of its own)
    accepted = {key: text.count(key[0] + key[1]) for key, seen in contexts.items()
                if len(seen) >= 2 and text.count(key[0] + key[1]) * 2 >= text.count(key[0])}
    for match in occurrences:
        bodies = [text[match.start() - length:match.start()] for length in range(2, 5)]
        counts = [accepted.get((body, match.group()), 0) for body in bodies]
        if not any(counts):
            continue
        # the longest name written often enough beside the shortest (恒太宏野公司 beside 宏野公司,
        # but not 研究宏野公司, written three times against a hundred)
        best = max(length for length, count in enumerate(counts) if count and count * 10 >= 3 * max(counts))
        start = match.start() - 2 - best
        if not taken(start):
            yield start, match.end()


def _is_short_name(body: str) -> bool:
    if not all("\u4e00" <= char <= "\u9fff" for char in body) or any(char in _NOT_IN_SHORT for char in body):
        return False
    return not _industry().fullmatch(body)
