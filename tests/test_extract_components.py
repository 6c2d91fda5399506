"""Each component on short texts, through the public extract_text."""

from __future__ import annotations

import pytest

from casegraph.ingest.extract import extract_text


def _found(text: str, entity_type: str) -> list[tuple[str, str | None]]:
    return [(m.text, m.normalized) for m in extract_text(text).entities if m.type == entity_type]


@pytest.mark.parametrize(("text", "expected"), [
    ("共计人民币1，174，264.11元。", [("1，174，264.11元", "1174264.11")]),
    ("非法吸收2800余万元", [("2800余万元", "28000000.00")]),
    ("退赔二十七万五千元", [("二十七万五千元", "275000.00")]),
    ("罚款叁拾伍万元整", [("叁拾伍万元", "350000.00")]),
    ("获利50余万美元", [("50余万美元", "500000.00")]),
])
def test_money(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, "MONEY") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("于2019年7月22日", [("2019年7月22日", "2019-07-22")]),
    ("2015年12月底", [("2015年12月", "2015-12")]),
    ("2014年3月5日起，同年6月27日止", [("2014年3月5日", "2014-03-05"), ("同年6月27日", "2014-06-27")]),
    ("2016.3.7", [("2016.3.7", "2016-03-07")]),
    ("1987年×月×日出生", [("1987年×月×日", "1987")]),
    ("二〇一九年七月二十二日", [("二〇一九年七月二十二日", "2019-07-22")]),
])
def test_dates(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text, "DATE") == expected


def test_case_numbers_own_and_cited() -> None:
    document = extract_text("起诉书\n渝检刑诉〔2022〕17号\n根据川金罚决字【2023】8号决定及（2021）渝0112刑初123号判决")
    numbers = [(m.text, m.attrs.get("cited", False)) for m in document.entities if m.type == "CASE_NUMBER"]
    assert numbers == [("渝检刑诉〔2022〕17号", False), ("川金罚决字【2023】8号", True),
                       ("（2021）渝0112刑初123号", True)]
    assert document.case_number == "渝检刑诉(2022)17号"
    assert document.kind == "indictment"


def test_identifiers_are_told_apart_by_cue_and_checks() -> None:
    text = ("身份证号11010519491231002X，统一社会信用代码91510100MAJ1XG6121，"
            "手机+86 139-0816-2231，账号6222026281948219936，尾号2970的账户，身份证号510104198503024312")
    found = {(m.type, m.normalized, m.valid) for m in extract_text(text).entities}
    assert ("ID_NUMBER", "11010519491231002X", True) in found
    assert ("USCC", "91510100MAJ1XG6121", True) in found
    assert ("PHONE", "13908162231", True) in found
    assert ("BANK_ACCOUNT", "6222026281948219936", True) in found
    assert ("BANK_ACCOUNT", "2970", False) in found
    assert ("ID_NUMBER", "510104198503024312", False) in found  # bad check digit: kept, not a key


def test_charges_known_and_introduced() -> None:
    text = "被告人犯掩饰、隐瞒犯罪所得罪，另涉嫌虚构交易罪"
    assert [t for t, _ in _found(text, "CHARGE")] == ["掩饰、隐瞒犯罪所得罪", "虚构交易罪"]


def test_persons_with_cues_anonymised_and_later_mentions() -> None:
    text = "被告人张伟供述，被告人李某某、王某2到案。张伟于次日退赔。经理张主任在场。"
    assert [t for t, _ in _found(text, "PERSON")] == ["张伟", "李某某", "王某2", "张伟"]


def test_person_attributes_come_from_their_own_paragraph() -> None:
    text = ("被告人周建国，男，1979年6月11日出生，公民身份号码510107197906112542，"
            "住成都市锦江区东大街99号3栋。\n被告人罗某，女。")
    people = [m for m in extract_text(text).entities if m.type == "PERSON"]
    assert people[0].attrs["gender"] == "男"
    assert people[0].attrs["birth_date"] == "1979-06-11"
    assert people[0].attrs["ric"] == "510107197906112542"
    assert people[0].attrs["address"] == "成都市锦江区东大街99号3栋"
    assert people[1].attrs == {"cue": "被告人", "role": "defendant", "gender": "女"}


def test_organisations_short_forms_and_branches() -> None:
    text = ("伙同成都汇金鼎盛财富管理有限公司（以下简称汇金鼎盛）在中国工商银行股份有限公司成都高新支行开户，"
            "汇金鼎盛员工及某公司均在场，重庆市公安局经济犯罪侦查总队立案。")
    assert [t for t, _ in _found(text, "ORG")] == ["成都汇金鼎盛财富管理有限公司", "汇金鼎盛",
                                                 "中国工商银行股份有限公司成都高新支行", "汇金鼎盛",
                                                 "重庆市公安局经济犯罪侦查总队"]


def test_addresses_need_street_level() -> None:
    text = "住重庆市渝北区，户籍地四川省乐山市市中区嘉定北路118号。"
    assert [t for t, _ in _found(text, "ADDRESS")] == ["四川省乐山市市中区嘉定北路118号"]


def test_relations_from_cues() -> None:
    text = ("（2021）川01刑初1号\n被告单位成都鑫达投资有限公司，法定代表人张三。\n被告人李四，系该公司实际控制人。"
            "被告人王五通过其账户6222026281948219936向赵六名下账户6217005181909378652转账5万元。")
    document = extract_text(text)
    named = {(r.type, document.entities[r.source].text,
              document.entities[r.target].text if r.target >= 0 else None, r.role) for r in document.relations}
    assert ("LEGAL_REP", "张三", "成都鑫达投资有限公司", None) in named
    assert ("CONTROLS", "李四", "成都鑫达投资有限公司", None) in named
    assert ("OWNS_ACCOUNT", "王五", "6222026281948219936", None) in named
    assert ("OWNS_ACCOUNT", "赵六", "6217005181909378652", None) in named
    assert ("TRANSFERRED_TO", "6222026281948219936", "6217005181909378652", None) in named
    assert ("ROLE_IN", "李四", "（2021）川01刑初1号", "defendant") in named
    assert ("CO_DEFENDANT", "李四", "王五", None) in named


def test_the_suspect_of_a_cited_upstream_case_is_named_without_a_role_here() -> None:
    """A laundering case opened on another police unit's lead names that case's suspect: a person of
    the document, but no suspect of the document's own case."""
    text = ("川公(经)立字[2023]231号\n决定对余春鑫涉嫌掩饰、隐瞒犯罪所得罪一案立案侦查。\n本案线索系重庆市公安局开州区分局"
            "在侦办王东彬涉嫌非法吸收公众存款罪一案（渝公经立字（2022）356号）中发现并移送。")
    document = extract_text(text)
    roles = {(document.entities[r.source].text, r.role) for r in document.relations if r.type == "ROLE_IN"}
    assert "王东彬" in {m.text for m in document.entities if m.type == "PERSON"}
    assert ("余春鑫", "suspect") in roles and not any(name == "王东彬" for name, _ in roles)
    assert any(m.type == "CASE_NUMBER" and m.attrs.get("cited") for m in document.entities)


def test_receiving_account_is_not_the_senders() -> None:
    """When the recipient's name is not read (here 他人, in the corpus a name the lexicon missed), the
    nearest person before the receiving account is the sender: he holds the sending account only."""
    text = "被告人王五通过其账户6222026281948219936向他人名下账户6217005181909378652转账5万元。王五名下另有账户6228480908185867870。"
    document = extract_text(text)
    owned = {(document.entities[r.source].text, document.entities[r.target].text)
             for r in document.relations if r.type == "OWNS_ACCOUNT"}
    assert ("王五", "6222026281948219936") in owned
    assert ("王五", "6217005181909378652") not in owned
    assert ("王五", "6228480908185867870") in owned


def test_offsets_refer_to_the_original_text() -> None:
    text = "被告人張某某，（２０２１）渝０１刑終８８號，罚款叁拾伍万元。"
    for mention in extract_text(text).entities:
        assert text[mention.start:mention.end] == mention.text
    assert extract_text(text).case_number == "(2021)渝01刑终88号"


def test_kept_spans_are_labelled_spacy_spans_covering_each_mention() -> None:
    from casegraph.ingest.components.base import selected
    from casegraph.ingest.nlp import get_pipeline

    text = "被告人张某某，男，身份证号510104197503125630，住重庆市渝中区解放碑路12号。"
    doc = get_pipeline()(text)
    spans = doc._.casegraph_spans
    labels = [span.label_ for span in spans]
    assert "PERSON" in labels and "ID_NUMBER" in labels and "ADDRESS" in labels
    kept = selected(doc)
    assert len(spans) == len(kept)
    for span, mention in zip(spans, kept, strict=True):
        assert span.label_ == mention.label
        assert span.start_char <= mention.start < mention.end <= span.end_char


def test_span_group_option_fills_doc_spans() -> None:
    from casegraph.ingest.nlp import build_pipeline

    nlp = build_pipeline()
    nlp.get_pipe("select").span_group = True
    doc = nlp("被告人张某某涉嫌诈骗罪。")
    assert {span.label_ for span in doc.spans["casegraph"]} >= {"PERSON", "CHARGE"}


@pytest.mark.parametrize(("text", "expected"), [
    ("被告人犯妨害公务罪、寻衅滋事罪。", ["妨害公务罪", "寻衅滋事罪"]),
    ("综合其犯罪情节、认罪态度，可能判处有期徒刑以上刑罚之罪。", []),
])
def test_charges_of_any_kind_and_words_about_crime_apart(text: str, expected: list[str]) -> None:
    assert [t for t, _ in _found(text, "CHARGE")] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a place of any province opens the name: the verb before it stays out
    ("证人任某任乡宁县枣岭乡卫生院院长。", ["乡宁县枣岭乡卫生院"]),
    ("他印发无锡市档案局文件。", ["无锡市档案局"]),
    # two names in one run: the second starts at its own place name
    ("由弥勒市人民检察院经红河哈尼族彝族自治州人民检察院批准。", ["弥勒市人民检察院", "红河哈尼族彝族自治州人民检察院"]),
    ("中共无锡市纪律检查委员会调查无锡市档案局。", ["中共无锡市纪律检查委员会", "无锡市档案局"]),
    # a unit named after its parent is one name
    ("在云南省江边林业局朋普河林场工作。", ["云南省江边林业局朋普河林场"]),
    # sub-units after their parent; a prefecture's short form (大兴安岭地区) opens a name
    ("经德阳市公安局旌阳区分局物证鉴定室鉴定。", ["德阳市公安局旌阳区分局物证鉴定室"]),
    ("系原大兴安岭松岭林业局职工。", ["大兴安岭松岭林业局"]),
    # a private shop goes without the town before it; a county-level body named by no place is no name
    ("在枣岭乡利客隆超市购物，全县卫生院。", ["利客隆超市"]),
])
def test_organisation_boundaries_follow_places_of_any_province(text: str, expected: list[str]) -> None:
    assert [name for name, _ in _found(text, "ORG")] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a head word that ends a name only after a place: a division or a town written first
    # (a town the text establishes: written after different words, or after its county)
    ("拆迁工作由石门镇政府负责，石门镇政府另行补偿，补偿款由镇政府发放；用于修缮镇政府办公楼。",
     ["石门镇政府", "石门镇政府"]),
    ("其现任汉寿县岩咀镇农经站会计。", ["汉寿县岩咀镇农经站"]),
    ("经鹤壁市城市管理综合执法局认定。", ["鹤壁市城市管理综合执法局"]),
    ("时任中共铜川市委办公室副主任，后调市委工作。", ["中共铜川市委办公室"]),
    ("系昆明市建筑业协会会员，在长沙市中心开店。", ["昆明市建筑业协会"]),
    # a bank's unit named alone, and a branch whose name holds 和
    ("款项存入宁乡支行，后从中国农业银行柳和支行取出。", ["宁乡支行", "中国农业银行柳和支行"]),
    # a short name written after different words is a name; a trade word alone or a group named by
    # what it does is not; 施工行业 holds no bank
    ("收受鼎丰公司财物；因此鼎丰公司获利；与建筑公司签约；某犯罪集团；施工行业协会。", ["鼎丰公司", "鼎丰公司"]),
    # the middle of a road is no organisation; a school on a road is named after the road
    ("在城关镇人民路中心遇见。", []),
    ("就读于绵阳市临园路省建筑学校。", ["省建筑学校"]),
    # a county's bank branch keeps its county; a department follows its parent directly; two units
    # joined by 汇同 are two
    ("存入泗县农业银行，经泗县人民检察院反贪局查实，县公安局刑侦大队汇同城东派出所抓获。",
     ["泗县农业银行", "泗县人民检察院反贪局", "城东派出所"]),
])
def test_organisations_by_structure_on_unseen_shapes(text: str, expected: list[str]) -> None:
    assert [name for name, _ in _found(text, "ORG")] == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a business named before a venue word, without its city or town (a hotel in 安康市)
    ("被告人在安康市瑞丰宾馆开房，后到石泉镇金凤足浴店。", ["瑞丰宾馆", "金凤足浴店"]),
    ("其在德胜电器厂上班，后去东岭汽配城。", ["德胜电器厂", "东岭汽配城"]),
    # kinds, demonstratives, verbs and masked owners make no name
    ("他在一家水果店买了苹果，该店老板从厂里运出厂的货，又在非法电镀厂打工，经营赵某商店。", []),
    # a unit written right after its parent is one name with it; a verb between them makes two
    ("经宁远县国土资源局城东国土所核实，宏达公司委托白沙支行办理。", ["宁远县国土资源局城东国土所", "白沙支行"]),
    # a city's own bank; a bureau's branch (分局) named by its department
    ("在兰州银行办过卡，后到永定区道路运输管理分局。", ["兰州银行", "永定区道路运输管理分局"]),
])
def test_venues_and_units_by_their_head_words(text: str, expected: list[str]) -> None:
    assert [name for name, _ in _found(text, "ORG")] == expected


def test_a_company_named_in_full_is_found_by_its_short_forms() -> None:
    text = "被告人系福建东岚实业有限公司出纳，将东岚公司的货款转走；东岚实业后报案。东岚实业公司另案。"
    assert [name for name, _ in _found(text, "ORG")] == ["福建东岚实业有限公司", "东岚公司", "东岚实业"]


@pytest.mark.parametrize(("text", "expected"), [
    # a short name written once counts where the sentence makes it a workplace or gives a post in it
    ("李四系鑫达公司经理。", ["鑫达公司"]),
    ("他在南方公司做会计。", ["南方公司"]),
    # a trade word alone, a demonstrative and a verb before 公司 do not
    ("王五在建筑公司打工，赵六到该公司工作，钱七协助公司会计记账。", []),
])
def test_a_short_name_written_once_as_a_workplace(text: str, expected: list[str]) -> None:
    assert [name for name, _ in _found(text, "ORG")] == expected


@pytest.mark.parametrize(("name", "accepted"), [
    ("宁远县国土资源局", True), ("中国农业银行白沙支行", True), ("瑞丰宾馆", True), ("农行", True),
    ("证实宁远县公安局", False), ("该公司", False), ("张某某", False), ("宾馆", False),
])
def test_a_statistical_org_span_needs_a_head_word(name: str, accepted: bool) -> None:
    from casegraph.ingest.components.organisations import has_head

    assert has_head(name) is accepted


@pytest.mark.parametrize(("text", "expected"), [
    ("案发地广州市番禺区化龙镇化龙大道17号。", ["广州市番禺区化龙镇化龙大道17号"]),
    ("托卢卡公司，住所在本市秦淮区中山南路499号702室。", ["秦淮区中山南路499号702室"]),
    ("住四川省内江市市中区嘉陵江南路263号。", ["四川省内江市市中区嘉陵江南路263号"]),
])
def test_addresses_open_with_places_of_any_province(text: str, expected: list[str]) -> None:
    assert [name for name, _ in _found(text, "ADDRESS")] == expected
