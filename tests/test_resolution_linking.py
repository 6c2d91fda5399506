"""The cross-document linker's rules against a real Neo4j, on small hand-made documents: what merges,
what only becomes a candidate, and what stays apart."""

from __future__ import annotations

from neo4j import Driver

from casegraph.graph.queries import cypher
from casegraph.settings import Settings
from tests.resolution_helpers import count, register_agencies, write_text

COURTS = [("court-500112", "CQ"), ("court-500105", "CQ")]


COURT_NAMES = {"court-500112": "重庆市渝北区人民法院", "court-500105": "重庆市江北区人民法院"}


def _judgment(court: str, number: int, defendant: str, judge: str) -> str:
    code = court.removeprefix("court-")[2:]
    return (f"{COURT_NAMES[court]}\n刑事判决书\n（2024）渝{code}刑初{number}号\n被告人{defendant}，男，1960年3月2日出生，"
            f"住重庆市江北区石桥铺北路81号。\n被告人{defendant}犯诈骗罪，判处有期徒刑三年。\n审判长  {judge}\n"
            "二〇二四年三月十九日")


def _setup(driver: Driver, db: str) -> None:
    register_agencies(driver, db)
    for court, region in COURTS:
        driver.execute_query(cypher("agency_upsert"), id=court, kind="court", region=region, name=court,
                             default_sharing="shared", database_=db)


def _nodes_named(driver: Driver, db: str, name: str) -> list[dict[str, object]]:
    records, _, _ = driver.execute_query(
        "MATCH (p:Person {name: $name}) RETURN p.key AS key, p.merged_on AS merged_on ORDER BY key",
        name=name, database_=db)
    return [dict(r) for r in records]


def test_a_judge_of_one_court_is_one_person_across_unrelated_judgments(driver: Driver,
                                                                       neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _setup(driver, db)
    write_text(driver, db, _judgment("court-500112", 11, "陈明", "吴勇"), "/j/1.txt", "cq-procuratorate")
    write_text(driver, db, _judgment("court-500112", 12, "赵刚", "吴勇"), "/j/2.txt", "cq-procuratorate")
    judges = _nodes_named(driver, db, "吴勇")
    assert len(judges) == 1 and "same_official_of_institution" in judges[0]["merged_on"]  # type: ignore[operator]
    # A judge of another court with that name stays apart: an investigator may confirm the candidate.
    write_text(driver, db, _judgment("court-500105", 13, "钱亮", "吴勇"), "/j/3.txt", "cq-procuratorate")
    assert len(_nodes_named(driver, db, "吴勇")) == 2
    assert count(driver, db, "MATCH (:Person {name: '吴勇'})-[r:POSSIBLY_SAME_AS {status: 'open'}]->(:Person) "
                             "RETURN count(r)") == 1


def test_a_party_named_like_the_judge_of_his_matter_is_not_the_judge(driver: Driver,
                                                                     neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _setup(driver, db)
    write_text(driver, db, _judgment("court-500112", 11, "陈明", "吴勇"), "/j/1.txt", "cq-procuratorate")
    # The police file of the same matter (the judgment cites it) names a witness 吴勇.
    police = ("重庆市公安局\n起诉意见书\n渝公（经）诉字〔2023〕45号\n犯罪嫌疑人陈明涉嫌诈骗罪。证人吴勇证实陈明收取资金。")
    write_text(driver, db, police, "/p/1.txt")
    cited = _judgment("court-500112", 14, "陈明", "吴勇").replace(
        "判处有期徒刑三年。", "判处有期徒刑三年。本案由重庆市公安局以渝公（经）诉字〔2023〕45号起诉意见书移送。")
    write_text(driver, db, cited, "/j/4.txt", "cq-procuratorate")
    keys = [n["key"] for n in _nodes_named(driver, db, "吴勇")]
    assert len(keys) == 2  # the judge (both judgments, one court) and the witness
    assert count(driver, db, "MATCH (p:Person {name: '吴勇'})-[:ACTS_FOR]->(:Agency) RETURN count(p)") == 1


def test_a_homophone_name_with_the_same_account_is_a_candidate(driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _setup(driver, db)
    filing = ("重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕45号\n犯罪嫌疑人张伟，男，1985年3月12日出生，"
              "公民身份号码500103198503124515。张伟使用其名下账户6222020200112233446收取资金。")
    write_text(driver, db, filing, "/cq/filing.txt")
    for number, name in ((7, "章伟"), (8, "李伟")):
        alert = f"四川监管局\n风险提示函\n川金管风提〔2023〕{number}号\n经查，{name}通过其名下账户6222020200112233446向多人转账。"
        write_text(driver, db, alert, f"/sc/{number}.txt", "sc-regulator")
    records, _, _ = driver.execute_query(
        "MATCH (a:Person)-[r:POSSIBLY_SAME_AS {status: 'open'}]-(b:Person) WHERE a.key < b.key "
        "RETURN a.name + '~' + b.name AS pair, r.reasons AS reasons", database_=db)
    found = {tuple(sorted(r["pair"].split("~"))): r["reasons"] for r in records}
    assert list(found) == [("张伟", "章伟")]
    assert found[("张伟", "章伟")][0] == "pinyin_variant"
    assert count(driver, db, "MATCH (p:Person) WHERE p.name IN ['张伟', '章伟', '李伟'] RETURN count(p)") == 3


def test_a_namesake_with_the_same_card_and_phone_merges_a_family_namesake_stays_apart(
        driver: Driver, neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _setup(driver, db)
    suspect = ("四川省公安厅\n立案决定书\n川公（经）立字〔2023〕12号\n犯罪嫌疑人孙芳，女，2001年10月23日出生，"
               "公民身份号码510502200110236919。孙芳使用其名下账户6217994734946292931收取资金，其联系电话14059159469。")
    write_text(driver, db, suspect, "/sc/filing.txt", "sc-police")
    # Another region's matter names her without ID: the same card in her name and the same phone.
    launder = ("重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕77号\n犯罪嫌疑人赵刚将本人名下银行卡提供给孙芳（另案处理，联系电话"
               "14059159469）使用，并按其指令通过孙芳名下账户6217994734946292931转移资金。")
    write_text(driver, db, launder, "/cq/filing.txt")
    assert [n["key"] for n in _nodes_named(driver, db, "孙芳")] == ["ric:510502200110236919"]
    merged = _nodes_named(driver, db, "孙芳")[0]["merged_on"]
    assert "same_name_account_and_phone" in merged  # type: ignore[operator]
    # Her mother of the same name: the family phone, but a card of her own.
    mother = ("重庆市公安局\n起诉意见书\n渝公（经）诉字〔2023〕80号\n被害人孙芳，联系电话14059159469，"
              "通过其名下账户6228485182945315886向犯罪嫌疑人转账。")
    write_text(driver, db, mother, "/cq/victim.txt")
    assert len(_nodes_named(driver, db, "孙芳")) == 2
    assert count(driver, db, "MATCH (:Person {name: '孙芳'})-[r:POSSIBLY_SAME_AS {status: 'open'}]->(:Person) "
                             "RETURN count(r)") == 1


def test_the_victim_of_a_matter_is_not_its_accused_of_the_same_name(driver: Driver,
                                                                    neo4j_settings: Settings) -> None:
    db = neo4j_settings.neo4j_database
    _setup(driver, db)
    police = ("重庆市公安局綦江区分局\n起诉意见书\n渝公经诉字（2023）91号\n犯罪嫌疑人陈婷，女，1960年9月20日出生，"
              "住重庆市南岸区光华巷175号。\n犯罪嫌疑人陈婷涉嫌非法吸收公众存款罪。\n")
    write_text(driver, db, police, "/p/1.txt")
    # The indictment of the matter names only a victim 陈婷: one name, two sides of the case.
    indictment = ("重庆市綦江区人民检察院\n起诉书\n渝检一部刑诉（2024）203号\n被告人王龙欢，男，1976年12月2日出生，"
                  "住重庆市沙坪坝区工农路20号。\n本案由重庆市公安局綦江区分局侦查终结，于2023年10月9日向本院移送审查起诉"
                  "（渝公经诉字（2023）91号）。\n被害人陈婷，联系电话18564808969，报案称其被骗43万元。\n")
    write_text(driver, db, indictment, "/i/1.txt", "cq-procuratorate")
    assert len(_nodes_named(driver, db, "陈婷")) == 2
    assert count(driver, db, "MATCH (p:Person {name: '陈婷'})-[:ROLE_IN {role: 'victim'}]->(:Case) "
                             "RETURN count(DISTINCT p)") == 1
    # The judgment's 被告人陈婷 of the same matter is the suspect, still not the victim.
    judgment = ("重庆市綦江区人民法院\n刑事判决书\n（2024）渝0110刑初396号\n被告人陈婷，女，汉族。\n"
                "重庆市綦江区人民检察院以渝检一部刑诉（2024）203号起诉书指控被告人陈婷犯非法吸收公众存款罪。\n")
    write_text(driver, db, judgment, "/j/1.txt", "cq-procuratorate")
    nodes = _nodes_named(driver, db, "陈婷")
    assert len(nodes) == 2
    accused = [n for n in nodes if n["merged_on"] and "same_name_in_linked_cases" in n["merged_on"]]  # type: ignore[operator]
    assert len(accused) == 1
