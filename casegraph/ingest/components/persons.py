"""PERSON: names after the role words of party paragraphs and narratives, anonymised names anywhere,
then every later occurrence of a name the document has introduced.

A name is a surname from the list followed by one or two given-name characters, or by 某/某某
(with 甲乙 or a digit: 王某2), or by a mask (李×). Where a one-character given name runs into the
next word (张伟供述), the given name stops before words that cannot continue a name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest import lexicon
from casegraph.ingest.components.base import Candidate, candidates, doc_text, first_chars, is_cjk, led

# role word -> the role it gives in the document's case (None: a cue for a name only)
ROLE_CUES: dict[str, str | None] = {
    "被告人": "defendant", "犯罪嫌疑人": "suspect", "犯罪嫌疑人基本情况": "suspect", "决定对": None, "提供给": None, "侦办": None, "报告人": None, "嫌疑人": "suspect", "被害人": "victim", "证人": "witness",
    "当事人": "penalized_party", "被处罚人": "penalized_party", "法定代表人": "legal_rep",
    "实际控制人": None, "控制人": None, "股东": None, "负责人": None, "董事长": None, "总经理": None,
    "副总经理": None, "经理": None, "监事": None, "董事": None, "财务总监": None, "财务人员": None, "财务": None,
    "会计": None, "出纳": None, "员工": None, "职员": None, "业务员": None, "客户经理": None,
    # the people who act in the case itself: lawyers and officials
    "辩护人": "lawyer", "诉讼代理人": "lawyer", "代理人": None, "辩护律师": "lawyer", "审判长": "judge",
    "审判员": "judge", "代理审判员": "judge", "人民陪审员": "juror", "陪审员": "juror", "书记员": "clerk",
    "法官助理": "clerk", "检察官": "prosecutor", "检察员": "prosecutor", "代理检察员": "prosecutor",
    "公诉人": "prosecutor", "诉讼代表人": "representative", "同案人": "suspect", "同案犯": "suspect", "检察长": None, "侦查员": None,
    "报案人": None, "举报人": None, "集资参与人": "victim", "投资人": None, "介绍人": None, "联系人": None,
    "委托人": None, "收款人": None, "付款人": None, "户名": None, "姓名": None, "伙同": None, "指使": None,
    "妻子": None, "丈夫": None, "之妻": None, "之夫": None, "其妻": None, "其夫": None, "同事": None,
    "朋友": None, "承办人": None, "经办人": None, "办案人": None, "执法人员": None, "持卡人": None,
}
_CUE = re.compile("(?:" + "|".join(sorted(ROLE_CUES, key=len, reverse=True)) + r")\)?(?:为|系|[ :]{0,3})")
# characters that cannot stand in a given name: punctuation, particles, common verbs' first chars
_STOP = frozenset("，,。、；;：:()“”\"' \n\t的了是在于与和及等系为将向从对把被以因到均已曾并还也又就都所之其该此本"
                  "人男女年月日时号犯涉称经供证住某甲乙共先后即个各被")
_NOT_GIVEN = frozenset({
    "证实", "证言", "供述", "陈述", "明知", "辩称", "提出", "交代", "收到", "借款", "转账", "介绍", "认为", "负责",
    "出资", "指使", "组织", "策划", "实际", "控制", "担任", "任职", "持有", "名下", "账户", "经营", "购买", "通过",
    "使用", "利用", "联系", "共同", "先后", "分别", "伙同", "以及", "案发", "归案", "到案", "退赔", "退缴", "投资",
    "入股", "持股", "签订", "开设", "开立", "注册", "成立", "设立", "参与", "帮助", "协助", "经理", "主任", "先生",
    "女士", "律师", "法官", "警官", "老板", "会计", "出纳", "总监", "董事", "监事", "股东", "员工", "同志", "夫妇",
    "父亲", "母亲", "儿子", "女儿", "收取", "支付", "汇入", "转入", "转出", "存入", "取现", "诈骗", "骗取", "吸收",
    "非法", "虚构", "隐瞒", "冒用", "伪造", "实施", "从事", "作为", "应当", "自愿", "主动", "如实", "多次",
    "累计", "合计", "共计", "获利", "所得", "名义", "本人", "家中", "处理", "安排", "决定", "要求", "同意",
    "签字", "确认", "承认", "辩解", "辩护", "到场", "在场", "向其", "出庭", "参加", "给予", "处以", "罚款", "警告", "没收",
})
# words that open with a surname but are no name (被害人陈述, 证人证言 read 陈述 as 陈 + 述)
_NOT_NAMES = frozenset({"陈述", "陈列", "高度", "高额", "高于", "金额", "金融", "金库", "任何", "任意", "方式", "方面",
                        "安全", "安排", "于是", "于此", "张贴", "常年", "明确", "明显", "汇款", "汇入", "汇至", "江北",
                        "向其", "何时", "何处", "时间", "时任", "周转", "周年", "费用", "管理", "沈阳", "成立", "成员",
                        "包括", "经营", "曾经", "曾任", "谢谢", "钱款", "孙子", "强制", "程序", "申请", "申报", "严重"})
# 王某2 numbers people apart; 阮某6万元 is a name followed by an amount
_PREPOSITION_SURNAMES = frozenset("向由和于")
_GIVEN_SUFFIX = re.compile(r"某{1,2}[甲乙丙丁]?(?:\d{1,2}(?![\d万元千百亿.%]|,\d))?|[×*xX]{1,2}")


@lru_cache(maxsize=1)
def _anonymised() -> re.Pattern[str]:
    single, compound = lexicon.surnames()
    surname = "(?:" + "|".join(sorted(compound)) + "|[" + "".join(sorted(single)) + "])"
    # 对于某/由于某 are words, not names; 某日/某处 follow a surname-like character by chance
    # every anonymised name has 某 one or two characters after its start
    return led(first_chars(single | compound), r"(?=.{1,2}某)(?<![对由关属等至基鉴终])" + surname + r"某{1,2}[甲乙丙丁]?(?:\d{1,2}(?![\d万元千百亿.%]|,\d))?"
                      r"(?![日月年时处地种些个天次位家件项笔号类项期份])")


# 郭XX, 任一X, 李×: a surname (and a given-name character) with the rest masked
_MASK = re.compile(r"[^\W\d_a-zA-Z]?[xX×*]{1,2}(?![A-Za-z0-9])")
# what may follow a whole name: punctuation, a list joiner, a particle
_PLACE_ENDS = frozenset("市县区路镇乡村街号省州楼巷")
_ADDRESS_WORDS = tuple("路号楼室村街镇巷弄组栋店")
_NAME_END = frozenset("，,。、；;：:()“”\"' \n\t的及等与和在")


def _masked(text: str, single: frozenset[str]) -> list[tuple[int, int]]:
    spans = []
    for at in range(1, len(text)):
        if text[at] not in "xX×*" or text[at - 1] in "xX×*":
            continue
        if at > 1 and text[at - 2] in single and text[at - 1] not in _STOP and text[at - 1] not in _PLACE_ENDS \
                and text[at - 2] not in "向于和与及由被对给":
            start = at - 2  # 任一X: a given-name character, then the mask
        elif text[at - 1] in single:
            start = at - 1
        else:
            continue
        match = _MASK.match(text, start + 1)
        # a mask after a verb's object (维修X光机) is no name: the mask ends the word
        # an address's masked part (XX路XX号, 区XX) is no name either
        if match and not (match.end() < len(text) and is_cjk(text[match.end()]) and match.end() - at == 1) \
                and not text.startswith(_ADDRESS_WORDS, match.end()) and text[start - 1:start] not in _PLACE_ENDS:
            spans.append((start, match.end()))
    return spans


def _anonymised_given(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """邹某华 beside 邹某: a given-name character after 某 belongs to the name when the three
    characters recur and at least once end where a name ends (邹某华等, 邹某华、), so that 沈某办理
    stays 沈某."""
    longer: dict[str, list[int]] = {}
    for start, end in spans:
        if text[end - 1] == "某" != text[end - 2] and end < len(text) and is_cjk(text[end]) \
                and text[end] not in _STOP and text[end:end + 2] not in _NOT_GIVEN:
            longer.setdefault(text[start:end + 1], []).append(start)
    kept: list[tuple[int, int]] = []
    for name, starts in longer.items():
        ends = [text[s + len(name):s + len(name) + 1] or "\n" for s in starts]
        if len(starts) >= 2 and any(c in _NAME_END for c in ends):
            kept.extend((s, s + len(name)) for s in starts)
    return kept


def _stable(text: str, start: int, end: int) -> int:
    """A three-character name whose two-character head also stands alone or before other
    characters (薛桥驾 beside 薛桥，/薛桥将) is the head: the third character is the next word's."""
    if end - start != 3 or text[start:start + 2] in lexicon.surnames()[1] or "某" in text[start:end]:
        return end
    head = text[start:end - 1]
    followers = {text[at + 2:at + 3] for at in _occurrences(text, head)}
    return end - 1 if len(followers) > 1 and followers & _NAME_END else end


def _occurrences(text: str, word: str) -> list[int]:
    found = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def read_name(text: str, position: int) -> int | None:
    """End of the name starting at `position`, or None when no name starts there."""
    single, compound = lexicon.surnames()
    if text[position:position + 2] in _NOT_NAMES:
        return None
    if text[position:position + 2] in compound:
        end = position + 2
    elif position < len(text) and text[position] in single:
        end = position + 1
    else:
        return None
    suffix = _GIVEN_SUFFIX.match(text, end)
    if suffix:
        return suffix.end()
    given = 0
    while given < 2 and end < len(text) and is_cjk(text[end]) and text[end] not in _STOP \
            and text[end:end + 2] not in _NOT_GIVEN:
        end += 1
        given += 1
    if given == 1 and text[end:end + 1] in ("x", "X", "×", "*"):
        end += 1  # 任一X: the rest of the given name masked
    return end if given else None


def names_after_cue(text: str, cue_end: int) -> list[tuple[int, int]]:
    """Names after a role word, following lists joined by 、 和 及 与."""
    spans: list[tuple[int, int]] = []
    position = cue_end
    while True:
        end = read_name(text, position)
        if end is None:
            return spans
        spans.append((position, end))
        if end < len(text) and text[end] in "、和及与":
            position = end + 1
            continue
        return spans


@lru_cache(maxsize=1)
def _named_before_action() -> re.Pattern[str]:
    """A name right before words only a person does (通过其名下, 控制的账户, 担任): the lookahead
    also settles whether the given name has one or two characters."""
    single, compound = lexicon.surnames()
    surname = "(?:" + "|".join(sorted(compound)) + "|[" + "".join(sorted(single)) + "])"
    given = "[^" + "".join(re.escape(c) for c in sorted(_STOP)) + r"\W\d]"
    return led(first_chars(single | compound), surname + given + "{1,2}" + r"(?=通过其|使用其|名下|控制的|实际控制|担任|[,，](?:男|女)[,，]"
                # 张某系X公司财务人员: a company role stated with 系
                r"|系[^,，。;；]{2,40}?(?:股东|法定代表人|实际控制人|员工|职员|会计|出纳|财务人员|经理|负责人|主管))")


@Language.factory("casegraph_persons", assigns=["doc.user_data"])
def make_persons(nlp: Language, name: str) -> PersonFinder:
    return PersonFinder()


class PersonFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found = candidates(doc)
        taken: set[tuple[int, int]] = set()
        anonymised = [m.span() for m in _anonymised().finditer(text)]
        # 邹某华 where the document writes it so: the longer form, wherever 邹某 was read
        extended = dict(_anonymised_given(text, anonymised))
        for match in _CUE.finditer(text):
            cue = match.group().rstrip(" :为系)")
            for start, end in names_after_cue(text, match.end()):
                end = extended.get(start, _stable(text, start, end))
                if (start, end) not in taken:
                    taken.add((start, end))
                    role = ROLE_CUES.get(cue)
                    attrs = {"cue": cue, "cue_start": match.start()} | ({"role": role} if role else {})
                    found.append(Candidate("PERSON", start, end, text[start:end], True, attrs, score=2))
        for span in [(s, extended.get(s, e)) for s, e in anonymised] + _masked(text, lexicon.surnames()[0]):
            if span not in taken:
                taken.add(span)
                found.append(Candidate("PERSON", span[0], span[1], text[span[0]:span[1]], True, score=1))
        action = _named_before_action()
        for match in action.finditer(text):
            start = match.start()
            if text[start] in _PREPOSITION_SURNAMES:
                # 向赵六名下: 向 is the preposition when a surname follows it
                shorter = action.match(text, start + 1)
                if shorter:
                    match, start = shorter, start + 1
            if match.span() in taken or any(s <= start < e for s, e in taken):
                continue
            # the name must begin a word: after punctuation, a line start or a verb like 向/安排
            previous = text[start - 1] if start else "\n"
            if previous.isalnum() and previous not in "向由和与及安排使同被告其中经查":
                continue
            taken.add(match.span())
            found.append(Candidate("PERSON", start, match.end(), match.group(), True, score=1))
        _lists(text, taken, found)
        # every later use of a name introduced above; a longer name at the same place wins in select
        for name in {text[s:e] for s, e in taken if e - s >= 2}:
            for at in _occurrences(text, name):
                if (at, at + len(name)) not in taken:
                    found.append(Candidate("PERSON", at, at + len(name), name, True))
        return doc


_LIST_JOIN = re.compile(r"(?:\((?:另处|另案处理|另案|在逃|已判)\))?、")


def _lists(text: str, taken: set[tuple[int, int]], found: list[Candidate]) -> None:
    """The names listed after a known one (宗俊涛、矫佳良（另处）、李某): a list of people anywhere."""
    ends = sorted({at + len(name) for name in {text[s:e] for s, e in taken if e - s >= 2}
                   for at in _occurrences(text, name)})
    for end in ends:
        while joiner := _LIST_JOIN.match(text, end):
            position = joiner.end()
            name_end = read_name(text, position)
            if name_end is None:
                break
            name_end = _stable(text, position, name_end)
            if (position, name_end) in taken:
                break
            taken.add((position, name_end))
            found.append(Candidate("PERSON", position, name_end, text[position:name_end], True))
            end = name_end
