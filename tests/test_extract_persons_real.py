"""PERSON as published judgments write names: anonymised with a given-name character (邹某华),
masked (郭XX, 任一X), lists, and name boundaries before the next verb. Sentences hand-written in
the style of published judgments; the people are made up."""

from __future__ import annotations

from casegraph.ingest.extract import extract_text


def _names(text: str) -> list[str]:
    return [m.text for m in extract_text(text).entities if m.type == "PERSON"]


def test_an_anonymised_name_with_a_given_name_character_is_whole_where_the_document_writes_it_so() -> None:
    text = "被告人邹某华伙同他人盗窃。被告人邹某华等三人到案。被害人沈某办理了报案手续，被害人沈某不知情。"
    assert _names(text) == ["邹某华", "邹某华", "沈某", "沈某"]


def test_masked_names_and_an_address_mask_apart() -> None:
    text = "辩护人申请证人任一Ｘ、郭ＸＸ出庭作证，郭ＸＸ系医院职工。窃得厦门市××路××号店内物品。维修Ｘ光机一台。"
    assert _names(text) == ["任一Ｘ", "郭ＸＸ", "郭ＸＸ"]


def test_a_name_stops_before_the_verb_when_the_document_also_writes_it_alone() -> None:
    text = "被告人薛桥驾车离开。薛桥，男，汉族。被告人薛桥将车停在路边。"
    assert _names(text) == ["薛桥", "薛桥", "薛桥"]


def test_a_three_character_name_stays_whole() -> None:
    text = "被告人宗俊涛到案。后李某甲又找到宗俊涛、矫佳良（另处）、张宏泽，宗俊涛、矫佳良爬树进入厂区。"
    names = _names(text)
    assert names.count("矫佳良") == 2 and "张宏泽" in names and "宗俊涛" in names


def test_officials_and_lawyers_get_their_roles_in_the_case() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract("某县人民法院刑事判决书（2018）苏0723刑初15号：某县人民检察院指派检察员蒲兆华出庭支持公诉，"
                       "被告人张某某及其辩护人茆海元到庭参加诉讼。审判长　王强\n人民陪审员　李华\n书记员　赵敏\n")
    roles = {document.entities[r.source].text: r.role for r in document.relations if r.type == "ROLE_IN"}
    assert roles == {"蒲兆华": "prosecutor", "张某某": "defendant", "茆海元": "lawyer", "王强": "judge",
                     "李华": "juror", "赵敏": "clerk"}


def test_prosecutors_and_lawyers_work_for_the_body_that_sends_them_and_others_of_the_crime_are_suspects() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract("某市中级人民法院刑事判决书（2019）闽07刑终12号：上诉人（原审被告人）王翼，现羁押于某县看守所。"
                       "辩护人陈达秋、胡顺庚，福建国富律师事务所律师。福建省南平市人民检察院指派检察员官卫东、谢峰出庭"
                       "履行职务。被告人王翼伙同林某某诈骗，同案人叶子权、张伟伟的供述。")
    entities = document.entities
    employed = {(entities[r.source].text, entities[r.target].text) for r in document.relations
                if r.type == "EMPLOYED_BY"}
    assert employed == {("陈达秋", "福建国富律师事务所"), ("胡顺庚", "福建国富律师事务所"),
                        ("官卫东", "福建省南平市人民检察院"), ("谢峰", "福建省南平市人民检察院")}
    suspects = {entities[r.source].text for r in document.relations if r.role == "suspect"}
    assert suspects == {"林某某", "叶子权", "张伟伟"}


def test_money_moved_between_people_in_the_narrative() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract("2014年5月12日，被告人张某向李某支付现金5万元。被告人王某收受赵某所送现金3万元。"
                       "被害人周某将4万元转给被告人张某。")
    moved = {(document.entities[r.source].text, document.entities[r.target].text, r.attrs.get("amount"),
              r.attrs.get("at")) for r in document.relations if r.type == "TRANSFERRED_TO"}
    assert moved == {("张某", "李某", "50000.00", "2014-05-12"), ("赵某", "王某", "30000.00", None),
                     ("周某", "张某", "40000.00", None)}


def test_people_whose_testimony_is_listed_are_witnesses() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract("某县人民法院刑事判决书（2015）内刑初字第41号：被告人赵某某犯罪。证据有：证人樊某、陈某、代某某的证言，"
                       "郭兆良等证人的证言，被告人裴某参与作案9起。")
    roles = {(document.entities[r.source].text, r.role) for r in document.relations if r.type == "ROLE_IN"}
    assert roles == {("赵某某", "defendant"), ("樊某", "witness"), ("陈某", "witness"), ("代某某", "witness"),
                     ("郭兆良", "witness"), ("裴某", "defendant")}


def test_narrative_transfers_in_the_styles_of_real_judgments() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract(
        "2019年3月15日，被告人郑海涛通过其名下中国农业银行账户向被害人黄志明转账人民币5万元。"
        "2012年5月4日，张连平将其中的70万元转入其在灵璧县农村商业银行的个人账户内。"
        "被告人史永昆利用担任林场场长的职务便利，以付和琴森林承包费为由，骗取10万元，其中9万元借给李玲芬购车。"
        "2011年9月19日，竞买人方某某向浩源拍卖有限公司交纳保证金1500万元。"
        "被告人邓锦亮私自向谢某收取现金60000元未上交至万亚实业有限公司。"
        "2012年2月14日，被告人徐某擅自挪用公款人民币250000元用于创联实业有限公司支付货款。"
        "法院责令被告人张连平退赔李玲芬3万元。被告人何祖文将1包海洛因交给蔡某某后被抓获。"
        "被告人邓小龙骗取被害人林某某等十二人共计36.8万元。")
    moved = {(document.entities[r.source].text, document.entities[r.target].text, r.attrs.get("amount"),
              r.attrs.get("at")) for r in document.relations if r.type == "TRANSFERRED_TO"}
    assert moved == {("郑海涛", "黄志明", "50000.00", "2019-03-15"),
                     ("张连平", "灵璧县农村商业银行", "700000.00", "2012-05-04"),
                     ("史永昆", "李玲芬", "90000.00", None),
                     ("方某某", "浩源拍卖有限公司", "15000000.00", "2011-09-19"),
                     ("谢某", "邓锦亮", "60000.00", None),
                     ("徐某", "创联实业有限公司", "250000.00", "2012-02-14")}


def test_owners_and_runners_of_companies_from_the_facts() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract(
        "被告人王翼、彭文弘先后注册成立福建省永欣商品经营有限公司、青岛首创辉聚商贸有限公司。"
        "2017年11月，被告人黄康康单独成立厦门瑞泽盈信息科技有限公司。"
        "被告人魏如敏经营被告单位上海泛澄供应链管理有限公司期间虚开发票。"
        "南阳市浩源拍卖有限责任公司（以下简称浩源公司）于2007年6月成立，公司股东为被告人赵某某、钱某某，"
        "赵某某任该公司法人代表。证人董某某（枣岭乡利客隆超市负责人）出具收据。")
    entities = document.entities
    held = {(r.type, entities[r.source].text, entities[r.target].text) for r in document.relations
            if r.type in ("CONTROLS", "SHAREHOLDER", "LEGAL_REP")}
    assert held == {
        ("SHAREHOLDER", "王翼", "福建省永欣商品经营有限公司"), ("SHAREHOLDER", "王翼", "青岛首创辉聚商贸有限公司"),
        ("SHAREHOLDER", "彭文弘", "福建省永欣商品经营有限公司"), ("SHAREHOLDER", "彭文弘", "青岛首创辉聚商贸有限公司"),
        ("CONTROLS", "黄康康", "厦门瑞泽盈信息科技有限公司"),
        ("CONTROLS", "魏如敏", "上海泛澄供应链管理有限公司"),
        ("SHAREHOLDER", "赵某某", "南阳市浩源拍卖有限责任公司"), ("SHAREHOLDER", "钱某某", "南阳市浩源拍卖有限责任公司"),
        ("LEGAL_REP", "赵某某", "南阳市浩源拍卖有限责任公司"),
        ("CONTROLS", "董某某", "利客隆超市")}


def test_posts_in_a_named_body_are_employment() -> None:
    from casegraph.ingest.extract import extract_text as extract
    document = extract("被告人史永昆利用担任云南省江边林业局桥梁工程处处长的职务便利挪用公款。书记员潘晓雯")
    entities = document.entities
    employed = {(entities[r.source].text, entities[r.target].text) for r in document.relations
                if r.type == "EMPLOYED_BY"}
    assert employed == {("史永昆", "云南省江边林业局桥梁工程处")}
