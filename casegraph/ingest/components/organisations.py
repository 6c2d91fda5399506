"""ORG: companies, banks and their branches, courts, procuratorates, police units and regulators,
found by their suffix and extended left over the name; defined short forms (以下简称鑫达公司) and
their later uses.

Where a name starts is the hard part: the run of name characters before the suffix is cut after
the last word that cannot belong to a name (被告单位, 向, 的 ...) and, when a province or city
name opens the rest, there.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc

from casegraph.ingest import lexicon
from casegraph.ingest.components.base import Candidate, candidates, doc_text, first_chars, led, trie_pattern
from casegraph.ingest.components.org_grammar import branches, head_patterns, heads, place_led, short_names, town_at

_SUFFIX = led(
    "股有(合集营信公人监金事小经商基交",
    r"(?:股份有限公司|有限责任公司|有限公司|\(有限合伙\)|合伙企业|集团|营业部|信用合作联社|信用社|公安局|"
    r"人民检察院|人民法院|监督管理总局|监督管理委员会|监督管理局|金融管理局|监管局|事务所|小额贷款公司|"
    r"经营部|商行(?!政)|合作社|基金会|交易中心|(?<=[\u4e00-\u9fff]{2})公司)"
)
# a unit's own name holds no word that joins two bodies (江南大队汇同江东分局 are two); a department
# may follow its parent directly (人民检察院反贪局, 集团有限公司保卫部)
_UNIT_CHAR = r"(?:(?!汇同|会同|与|及|、|向|在|的)[\u4e00-\u9fff])"
_UNIT = re.compile(rf"(?:{_UNIT_CHAR}{{0,14}}?(?:分局|总队|支队|大队|中队|派出所|监管局|监管分局|分公司|分行|支行|"
                   r"营业部|检察部|分院|稽查局|反贪污贿赂局|反贪局|鉴定室|鉴定所|研究所|监测站|保卫部|营业所|储蓄所|法医室|联合社)(?!长))")


@lru_cache(maxsize=1)
def _units() -> re.Pattern[str]:
    """The unit list above and org_heads' `unit` words, each unit with two characters of its own."""
    words = "|".join(sorted(heads()["unit"], key=len, reverse=True))
    return re.compile(rf"{_UNIT.pattern}|(?:{_UNIT_CHAR}{{2,12}}?(?:{words})(?![长员室]))")
_BRANCH_BODY = r"[^\s，。、；：,;:()“”\"账户卡号转汇向在的于将由从与及开]"
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9()·]")
_CUT = re.compile(
    r".*(?:被告单位|工作单位|所在单位|查明|犯罪嫌疑单位|被害单位|被处罚单位|当事人|法定代表人|实际控制人|股东|担任|任职于|就职于|入职|受雇于|"
    r"设立|成立|控制|名下|通过|利用|伙同|冒用|收购|户名|开户行|账户|转入|转至|汇入|存入|委托|"
    r"均系|原系|现系|分别|以及|审理|审查|终结|指控|证实|证明|证言|发现|得知|取得|跳入|进入|注册|开办|宣告|同意|"
    r"出具|委托|聘请|报案|报警|送往|送至|押送|羁押|关押|找到|前往|来到|购入|购买|卖给|售给|供职|一案|"
    r"判决书|裁定书|起诉书|决定书|意见书|机关|作出|提出|提起|移送|交由|指派|经过|支付|负责|保管|挪用|参加|报名|"
    r"配合|帮助|协助|获得|占用|请求|建议|时任|提供了|提供|转交|没有|允许|这时|当时|有一天|跑回|回到|已送|送到|报送|须报|"
    r"按照|承租|承建|承接|尚欠|兼任|任命|导致|交到|上交|签订|套取|调取|骗取|致使|付款方|收款方|掐住|拦住|公司|\d+元|"
    r"汇同|会同|收受|代表|挂靠|因此|要求|侵占|未经|讲解|介绍|宣传|注册|隐匿|统计|返还|偿还|归还|知道|根据|用于|经过|(?<!责)任(?![丘城县泽])|[我他她你去说按报了做入叫来且]|\d+[年月日号]|[xX×]|\([一二三四五六七八九十\d]+\)|"
    r"[向由与在于将系为是至到从以对的被其据并即称给把让诉])"
)
# characters that end a preceding word but also occur inside names (佳和, 之江): a place name
# before them wins
_WEAK_CUT = re.compile(r".*[和及等之均后经]")
_GENERIC = frozenset({"该", "本", "某", "其", "上述", "涉案", "一家", "多家", "数家", "几家", "各", "这", "那",
                      "关联", "下属", "子", "母", "控股", "空壳", "皮包", "投资", "担保", "贸易", "科技", "网络",
                      "理财", "小贷", "保险", "证券", "基金", "信托", "该等", "上列", "同一", "不同", "其他", "多个",
                      "涉事", "案涉", "前述", "所在", "贷款", "资产管理", "融资担保", "小额贷款", "第三方",
                      "原审", "一审", "二审", "上级", "基层", "中级", "高级", "人民", "当地", "有关", "相关", "各级",
                      "主管", "公安", "司法", "行政", "工作", "市中", "专门", "社会", "审判", "检察"})
_SHORT_FORM = re.compile(r"\((?:以下简称|以下称|下称|简称)[:：]?\"?([^()\"]{2,14}?)\"?\)")
_BARE = ("公司", "集团", "中心")
# private businesses: their names go without the town or street written before them
_SHOPS = frozenset({"超市", "饭店", "酒店", "商店", "宾馆", "酒吧", "网吧", "旅馆", "旅社", "药店", "门市部", "服务部",
                    "经营部", "商行"})
# the registered forms among them keep a city written before them (临海市哥俩一般商品中介服务部)
_REGISTERED = frozenset({"门市部", "服务部", "经营部", "商行"})
_LOCATOR = re.compile(r"[\u4e00-\u9fff]+?(?:街道|[乡镇村路街])")
_ROAD = re.compile(r".*[\u4e00-\u9fff](?:(?<![铁公线道网马])路|大道|大街|街(?!道)|巷)(?![口镇乡村])")
_COMPANY_SUFFIXES = frozenset({"股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "合伙企业", "(有限合伙)"})
_GENERIC_CHARS = frozenset("该某本其此这那各上下前后原新总分子母空壳皮包家个")


@lru_cache(maxsize=1)
def _banks() -> re.Pattern[str]:
    # 江苏银行: a province's own bank
    banks = sorted({*lexicon.banks(), *(short + "银行" for _, _, short in lexicon.provinces())}, key=len, reverse=True)
    names = "|".join(re.escape(b) for b in banks)
    # a short form is no bank inside a word: 施工行业, 农行政
    return led(first_chars(banks), rf"(?:{names})(?:(?<=银行)|(?![业政为驶]))(?:股份有限公司)?"
                                   rf"(?:{_BRANCH_BODY}{{2,12}}?(?:分行|支行|营业部|分理处))*")


@lru_cache(maxsize=1)
def _institution() -> re.Pattern[str]:
    """Public bodies and institutions of any place (卫生院, 档案局, 环境保护厅), after two name characters."""
    suffixes, departments = lexicon.institutions()
    words = sorted(suffixes, key=len, reverse=True)
    bureaus = "|".join(sorted(departments, key=len, reverse=True))
    return re.compile(rf"(?<=[\u4e00-\u9fff]{{2}})(?:{'|'.join(words)})|(?<=[\u4e00-\u9fff])(?:{bureaus})分?[局厅]"
                      r"|(?<=[\u4e00-\u9fff]{2})(?:农村商业|村镇|商业|农商)银行")


@lru_cache(maxsize=1)
def _place_opener() -> re.Pattern[str]:
    return led(first_chars(lexicon.cities()), trie_pattern(lexicon.cities()))


def name_start(text: str, suffix_start: int, limit: int = 30, floor: int = 0, suffix: str = "") -> int | None:
    """Where the organisation name ending in the suffix at `suffix_start` begins, or None; a name
    never reaches back over `floor` (the end of the organisation named before it)."""
    position = suffix_start
    floor = max(floor, suffix_start - limit)
    while position > floor and _NAME_CHAR.match(text[position - 1]):
        position -= 1
    run = text[position:suffix_start]
    cut = _CUT.match(run)
    strong = cut.end() if cut else 0
    weak_cut = _WEAK_CUT.match(run, strong)
    weak = weak_cut.end() if weak_cut else strong
    opener = _place_opener().search(run, strong)
    if opener and run[max(0, opener.start() - 1)] != "(" and (opener.start() < weak or weak == strong):
        start = opener.start()
        if run[max(0, start - 2):start] == "中共":
            start -= 2  # 中共无锡市委: the Party committee of a place keeps its 中共
    elif (town := town_at(text, position + strong)) and suffix_start - town[1] <= 6:
        start = town[0] - position  # 黑林镇农经中心: a town opens the name, 经 in it ends no word
    else:
        start = weak
    body = run[start:]
    if body.startswith(")"):
        return None
    if body and body[0] in "县市区省乡镇" and not _place_opener().match(body):
        return None  # 全县卫生院, 县国土资源局: no place named, a generic body
    if suffix in _SHOPS or suffix in heads()["venue"]:
        # 枣岭乡利客隆超市: a private business's name goes without the town or street before it,
        # a hotel or a shop without its city too (乾县天泰宾馆)
        place = None if suffix in _REGISTERED else _place_at(body, 0)
        if place and len(body) - place[1] >= 2:
            start += place[1]
            body = body[place[1]:]
        ends = [m.end() for m in _LOCATOR.finditer(body) if len(body) - m.end() >= 2]
        if ends:
            start += ends[-1]
            body = body[ends[-1]:]
    elif suffix not in _COMPANY_SUFFIXES and (road := _ROAD.search(body)) and len(body) - road.end() >= 2:
        start += road.end()  # 德阳市秦岭北路省商贸学校: a school on a road is named after the road
        body = body[road.end():]
    if body.rfind("(") > body.rfind(")"):
        # 证人曾某(雨花区财政局: the unclosed bracket opens an aside, the name starts inside it
        cut_at = body.rfind("(") + 1
        start += cut_at
        body = body[cut_at:]
    return position + start if body and len(body) >= 1 else None


@lru_cache(maxsize=1)
def _venue() -> re.Pattern[str]:
    words = sorted(heads()["venue"], key=len, reverse=True)
    return re.compile(rf"(?<=[\u4e00-\u9fff]{{2}})(?:{'|'.join(words)})")


# words before a venue that end the name before it (离厂, 建厂, 看店, 开设卖淫店, 挖砂场, 过汉庭酒店)
_VENUE_CUT = re.compile(r".*(?:离开|建设|开设|经营|计算|指出|租房|明知|否认|征收|[离建办看回跟找挖堆住砸过交])")
# a bare 店, 馆 or 厂 after a verb or a kind of business is no name (运出厂, 搞电镀厂, 非法电镀厂, 私人作坊)
_NOT_BEFORE_BARE = re.compile(r"^(?:非法|私人|小型|个体|地下|黑)|[出进回到运搞开办建离去来入营]")
# a demonstrative, a counter or an aside is no part of a business's name (该店, 一家店, 三处店, 它)
_NOT_IN_VENUE = re.compile(r"[该这那此每其它处()]|一[个家间些]|一$|[两几三四五]家|[个间]")


def _venue_start(text: str, start: int, match: re.Match[str]) -> int | None:
    """Where a business named before a venue word starts (天泰宾馆, 褔达来杂货店, 过汉庭酒店 -> 汉庭酒店),
    or None: two characters of its own (three before 店, 馆, 厂: 杂货店, 水果店 are kinds of shop)
    and at most ten; no demonstrative or counter; not named by a masked owner alone (齐某商店; 某某饭店
    is a masked name); not a place (黄骅市孔店, 廊坊市大厂); not another venue's end (和平酒店公馆)
    nor a public body's head word (档案馆, 博物馆)."""
    least = 3 if len(match.group()) == 1 else 2
    body = text[start:match.start()]
    place = None if match.group() in _REGISTERED else _place_at(body, 0)
    if place and len(body) - place[1] < least:
        return None
    if place:
        start, body = start + place[1], body[place[1]:]
    if cut := _VENUE_CUT.match(body):
        start, body = start + cut.end(), body[cut.end():]
    if least == 3 and _NOT_BEFORE_BARE.search(body):
        return None
    if not least <= len(body) <= 10 or _NOT_IN_VENUE.search(body) or re.search(r"(?<!某)某(?!某)", body):
        return None
    if body[-1] == match.group()[0] or any(word in body for word in (*heads()["venue"], *_SHOPS) if len(word) > 1):
        return None
    ending = (*heads()["place"], *lexicon.institutions()[0])
    if any(len(word) > len(match.group()) and text.startswith(word, match.end() - len(word)) for word in ending):
        return None
    return start


# what a unit's name never holds: a verb of the sentence that names two bodies
# (广贸公司由此骗取了江东支行, 公安局委托兴源司法鉴定所); 审查大队 and 三其派出所 are units
_NOT_IN_UNIT = re.compile(r"了|骗取|偿还|尚欠|欠|委托|签订|支付|转入|汇入|存入|竞得|取得|[向给将从把被对]")


def _with_units(text: str, end: int) -> int:
    """The end of the units written right after the organisation ending at `end` (人民检察院反贪局,
    国土资源局安远国土所)."""
    while (unit := _units().match(text, end)) and not _NOT_IN_UNIT.search(unit.group()):
        end = unit.end()
    return end


def _generic(body: str) -> bool:
    # 上一级人民法院 (where an appeal goes) names no particular court
    return body in _GENERIC or body.startswith(("该", "某", "本", "其", "上述", "涉案", "一家", "多家", "数家", "上一级",
                                                "各", "我", "全县", "全市", "全区", "全省", "全国", "全镇", "全乡", "原审", "二审", "一审"))


# a short name written once is a name where the sentence uses it as one: a workplace (在至臻堂公司上班)
# or a post in it (鑫达公司经理)
_WORKPLACE_BEFORE = re.compile(r"(?:在|到|于|进入|入职|受雇于|供职于|就职于)$")
_WORKPLACE_AFTER = re.compile(r"(?:上班|工作|务工|打工|任职|担任|做|当|从事|实习|经理|总经理|副总|员工|职工|"
                              r"法定代表人|法人代表|老板|会计|出纳|股东|负责人|业务员|董事长|董事|监事|司机|财务|门卫)")


def _short_name(text: str, start: int, body: str, suffix: str) -> bool:
    """业顺公司 used as a name: two or three name characters after a word that ends the name before,
    none of them a generic word's nor only trade words (建筑公司), written more than once or used as a
    workplace (在至臻堂公司上班, 鑫达公司经理)."""
    if suffix not in ("公司", "集团") or not 2 <= len(body) <= 4 or any(c in _GENERIC_CHARS for c in body) \
            or body in _GENERIC:
        return False
    if suffix == "公司" and len(body) <= 3 and text.count(body + suffix) >= 2:
        return True
    end = start + len(body) + len(suffix)
    return not re.fullmatch(rf"(?:{_industry_words()})+", body) and bool(_WORKPLACE_AFTER.match(text, end)) \
        and (bool(_WORKPLACE_BEFORE.search(text, 0, start)) or bool(_CUT.search(text[max(0, start - 4):start])))


def _county_before(text: str, end: int) -> int | None:
    """Where a county-level division written right before `end` starts (灵璧县 in 灵璧县邮政储蓄银行)."""
    for length in (4, 3, 2):
        name = text[max(0, end - length):end]
        if len(name) == length and name[-1] in "县区旗" and name in _counties():
            return end - length
    return None


@lru_cache(maxsize=1)
def _counties() -> frozenset[str]:
    return frozenset(name for _, level, name in lexicon.divisions() if level == "D")


def _place_at(text: str, start: int) -> tuple[int, int] | None:
    """(start, end) of the places written at `start` (山东省济宁市汶上县, then a town), or None."""
    if text.startswith("中共", start):
        start += 2
    end = start
    while opener := _place_opener().match(text, end):
        end = opener.end()
    town = town_at(text, end)
    if town and (end == start or town[0] == end):
        return (start if end > start else town[0]), town[1]
    return (start, end) if end > start else None


def has_head(name: str) -> bool:
    """Whether `name` reads as an organisation by its structure: it ends in a word that ends names
    (the suffix list, an institution's, the grammar's head words) or is a bank's name, and the words
    before that word are a name of their own where the rules would start it (not 证实新野县公安局,
    not 该公司). A statistical span (the name model's ORG) must pass this to be used."""
    if _banks().fullmatch(name):
        return True
    for pattern in (_SUFFIX, _institution(), *head_patterns()):
        for match in pattern.finditer(name):
            body = name[:match.start()]
            if match.end() == len(name) and len(body) >= 2 and not _generic(body) \
                    and name_start(name, match.start(), suffix=match.group()) == 0:
                return True
    return False


_LEGAL_FORMS = re.compile(r"(?:集团)?(?:股份有限公司|有限责任公司|有限公司|公司)$|集团$")


def derived_short_names(full_name: str) -> list[str]:
    """The short forms a judgment writes for a company it has named in full, without defining them
    (福建万亚实业有限公司 -> 万亚实业, 万亚公司; 河南德润化工有限公司 -> 德润化工, 德润公司): the name
    without its place and legal form, and its own words (the trade words dropped) before 公司. Only
    names with a legal form give any; the own words need two characters."""
    form = _LEGAL_FORMS.search(full_name)
    if not form or "银行" in full_name:
        return []
    place = _place_at(full_name, 0)
    core = full_name[place[1] if place else 0:form.start()]
    trade = re.search(rf"(?:{_industry_words()})+$", core)
    own = core[:trade.start()] if trade else core
    if len(own) < 2 or _generic(own) or any(char in _GENERIC_CHARS for char in own) or not own.isalpha():
        return []
    names = {own + "公司"}
    if trade and 2 <= len(core) <= 8:
        names.add(core)
    return sorted(names)


@lru_cache(maxsize=1)
def _industry_words() -> str:
    return "|".join(sorted(heads()["industry"], key=len, reverse=True))


def _derived_short_names(text: str, spans: dict[tuple[int, int], int]) -> list[str]:
    """Short forms of the companies named in full that the text writes (万亚公司 after
    福建万亚实业有限公司)."""
    full_names = {text[s:e] for s, e in spans}
    shorts = {short for name in full_names for short in derived_short_names(name)}
    return sorted((short for short in shorts - full_names if short in text), key=len, reverse=True)


def _add_by_structure(text: str, spans: dict[tuple[int, int], int]) -> None:
    """Names the suffix list misses, found by their structure (org_grammar): place-led bodies,
    bank units named alone, short names used as names; none inside or across a name found already."""
    covered = bytearray(len(text) + 1)
    for start, end in spans:
        covered[start:end] = b"\x01" * (end - start)

    def start_of(head_start: int, head: str) -> int | None:
        return None if covered[head_start] else name_start(text, head_start, limit=20, suffix=head)

    found = []
    for start, end in [*place_led(text, start_of, _place_at), *branches(text, start_of)]:
        end = _with_units(text, end)
        found.append((start, end))
    # the longest first: 中共无锡市委办公室 over 中共无锡市委
    for start, end in sorted(found, key=lambda span: span[0] - span[1]):
        if not any(covered[start:end]) and not _generic(text[start:end]):
            spans[(start, end)] = 1
            covered[start:end] = b"\x01" * (end - start)
    for start, end in short_names(text, lambda i: i >= 0 and bool(covered[i]), lambda body: bool(_CUT.match(body))):
        spans[(start, end)] = 1


@Language.factory("casegraph_organisations", assigns=["doc.user_data"])
def make_organisations(nlp: Language, name: str) -> OrganisationFinder:
    return OrganisationFinder()


class OrganisationFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans: dict[tuple[int, int], int] = {}
        for match in _banks().finditer(text):
            # 灵璧县邮政储蓄银行, 松岭区工商银行: a county's branch is named with the county written before it
            county = _county_before(text, match.start())
            spans[(match.start() if county is None else county, match.end())] = 2
        suffixes = sorted([*_SUFFIX.finditer(text), *_institution().finditer(text), *_venue().finditer(text)],
                          key=lambda m: m.start())
        pending: list[int] = []  # ends of suffixes that may still overlap the next ones
        last_end = 0
        for match in suffixes:
            # 弥勒市人民检察院经红河州人民检察院: a name that opens with a place starts after the one
            # named before it (but 某某集团有限公司 and 江边林业局朋普河林场 are one name each)
            last_end = max([last_end, *(e for e in pending if e < match.start())])
            pending = [e for e in pending if e >= match.start()]
            opens = last_end and _place_opener().search(text, max(last_end, match.start() - 30), match.start())
            floor = last_end if opens else 0
            if match.group() != "集团":
                pending.append(match.end())
            start = name_start(text, match.start(), floor=floor, suffix=match.group())
            if start is None:
                continue
            body = text[start:match.start()]
            if not body or _generic(body) or (len(body) < 2 and match.group() in _BARE):
                continue
            if match.group() in heads()["venue"] or match.group() in _SHOPS:
                venue = _venue_start(text, start, match)
                if venue is None:
                    continue
                start, body = venue, text[venue:match.start()]
            if match.group() == "中心" and (body[-1] in "路街" or (_place_at(text, start) or (0, 0))[1] == match.start()):
                continue  # 伊犁河路中心南街, 长沙市中心: the middle of a road or a town
            if match.group() in _BARE and body[0] not in "川渝" and not _place_opener().match(body) \
                    and not _short_name(text, start, body, match.group()):
                continue  # 鑫达公司 alone is a short form, taken when the document defines it or uses it as a name
            end = match.end()
            end = _with_units(text, end)
            if any(s <= start and end <= e for s, e in spans):
                continue
            spans[(start, end)] = 1
        _add_by_structure(text, spans)
        found = candidates(doc)
        for (start, end), score in spans.items():
            found.append(Candidate("ORG", start, end, text[start:end], True, score=score))
        shorts: dict[str, str] = {}
        for match in _SHORT_FORM.finditer(text) if "称" in text else ():
            before = [(s, e) for s, e in spans if e <= match.start() and match.start() - e <= 2]
            if before:
                full_name = text[before[-1][0]:before[-1][1]]
                shorts[match.group(1)] = full_name
                found.append(Candidate("ORG", match.start(1), match.end(1), match.group(1), True,
                                       {"short_form": True, "full_name": full_name}, score=3))
        if shorts:
            pattern = re.compile("|".join(re.escape(s) for s in sorted(shorts, key=len, reverse=True)))
            defined = {(c.start, c.end) for c in found if c.attrs.get("short_form")}
            for match in pattern.finditer(text):
                if match.span() not in defined:
                    # over the same words read as a name of their own (业顺公司 used as a name), not
                    # over the full name it is part of
                    inside = any(s <= match.start() and match.end() <= e and (s, e) != match.span() for s, e in spans)
                    found.append(Candidate("ORG", match.start(), match.end(), match.group(), True,
                                           {"short_form": True, "full_name": shorts[match.group()]},
                                           score=0 if inside else 3))
        taken = [(c.start, c.end) for c in found if c.label == "ORG"]
        for short in _derived_short_names(text, spans):
            for match in re.finditer(re.escape(short), text):
                if text[match.end():match.end() + 1] in ("公", "有", "集", "股", "服", "中", "分", "总", "厂", "店", "部"):
                    continue  # 宏野客运公司: a longer name, not the short form
                # 兰州祥和公司: the place written before the short form is part of it
                start = next((match.start() - n for n in range(6, 1, -1)
                              if _place_opener().fullmatch(text, max(0, match.start() - n), match.start())),
                             match.start())
                if not any(s < match.end() and start < e for s, e in taken):
                    # not linked to the full name: unlike a defined short form, a derived one may
                    # name a sister company (德润化工 beside 河南德润化工有限公司 in a bankruptcy)
                    found.append(Candidate("ORG", start, match.end(), text[start:match.end()], True, score=2))
        return doc
