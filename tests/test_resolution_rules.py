"""Resolution rules without a database: coreference inside a document, name forms, case issuers, and
the pair decisions of the cross-document linker."""

from __future__ import annotations

import pytest

from casegraph.graph.facts import AgencyRef
from casegraph.ingest.extract import extract_text
from casegraph.ingest.resolution.cases import issuer_of
from casegraph.ingest.resolution.coref import cluster_persons
from casegraph.ingest.resolution.document import resolve_document
from casegraph.ingest.resolution.evaluate import what_if_confirmed
from casegraph.ingest.resolution.linker import _fitting_names, _MatterPeople
from casegraph.ingest.resolution.misses import AlignedMention
from casegraph.ingest.resolution.names import anonymised_fits, is_anonymised
from casegraph.ingest.resolution.scoring import CANDIDATE, MERGE, Profile, blocks_union, decide, survivor
from casegraph.ingest.resolution.variants import same_sound
from casegraph.model import OFFICIAL_ROLES, ExtractedDocument, Mention, Transaction

POLICE = AgencyRef("cq-police", "CQ", "police")


def person(text: str, start: int, **attrs: object) -> Mention:
    return Mention("PERSON", text, start, start + len(text), text, True, attrs=dict(attrs))


def test_anonymised_forms_fit_by_surname_and_length() -> None:
    assert is_anonymised("张某") and is_anonymised("王某2") and is_anonymised("李×") and not is_anonymised("张伟")
    assert anonymised_fits("孟某", "孟明") and anonymised_fits("王某某", "王玲秀")
    assert not anonymised_fits("王某", "王玲秀")  # one 某 per given-name character
    assert not anonymised_fits("李某", "张伟") and not anonymised_fits("张某", "张某某")
    assert anonymised_fits("欧阳某某", "欧阳明华")


def test_case_issuer_from_number_form() -> None:
    assert issuer_of("(2021)渝0112刑初123号").agency == "court-500112"  # type: ignore[union-attr]
    assert issuer_of("(2023)川0105刑初9号").agency == "court-510105"  # type: ignore[union-attr]
    assert issuer_of("川检二部刑诉(2023)120号").agency == "sc-procuratorate"  # type: ignore[union-attr]
    assert issuer_of("渝公(经)立字(2023)45号").agency == "cq-police"  # type: ignore[union-attr]
    assert issuer_of("川金罚决字(2023)8号").agency == "sc-regulator"  # type: ignore[union-attr]
    assert issuer_of("沪公立字(2023)1号").agency == "31-police"  # type: ignore[union-attr]


def test_one_node_per_person_in_a_document() -> None:
    entities = [
        person("张伟", 0, ric="500103198503124515", cue="被告人", role="defendant"),
        person("李娜", 40, birth_date="1990-01-02", cue="被告人"),
        person("张伟", 80), person("张某", 100), person("李娜", 120), person("王五", 140),
    ]
    clusters = cluster_persons(entities)
    assert [sorted(c.members) for c in clusters] == [[0, 2, 3], [1, 4], [5]]
    assert clusters[0].ric == "500103198503124515" and clusters[0].why[3] == "anonymised_form_in_document"
    assert clusters[1].birth_date == "1990-01-02"


def test_two_people_of_one_name_in_a_document_stay_apart() -> None:
    entities = [person("王芳", 0, ric="500101199207120845"), person("王芳", 30, ric="500156197511303220"),
                person("王芳", 60), person("王某", 80)]
    clusters = cluster_persons(entities)
    assert len(clusters) == 4  # the bare 王芳 and 王某 could be either: they are not guessed
    assert clusters[2].why[2] == "ambiguous_name_in_document"


def test_the_victim_of_a_case_is_not_its_accused_of_the_same_name() -> None:
    # 起诉意见书: the suspect 陈婷 (party paragraph, birth date), 伙同陈婷, a transfer by a bare 陈婷,
    # then 被害人陈婷: the victim opens her own cluster and the bare 陈婷 between them is not guessed.
    entities = [person("陈婷", 0, birth_date="1960-09-20", gender="女", cue="犯罪嫌疑人", role="suspect"),
                person("陈婷", 40, cue="伙同"), person("陈婷", 80), person("陈婷", 120, cue="被害人", role="victim")]
    clusters = cluster_persons(entities)
    assert [sorted(c.members) for c in clusters] == [[0, 1], [2], [3]]
    assert clusters[1].why[2] == "ambiguous_name_in_document"
    assert clusters[2].why[3] == "role_apart_in_document" and clusters[2].roles == ["victim"]


def test_a_victim_named_in_the_facts_stays_off_the_defendant_of_the_same_name() -> None:
    text = ("重庆市綦江区人民检察院\n起诉书\n渝检一部刑诉（2024）203号\n"
            "被告人陈婷，女，1960年9月20日出生，身份证号码500108196009200546，汉族，住重庆市南岸区光华巷175号。\n"
            "经依法审查查明：被告人王龙欢伙同陈婷吸收公众存款。\n"
            "其中，2023年3月12日，被害人陈婷通过其名下招商银行账户6225887959088978向王龙欢的账户"
            "6228483110657635516转账29万元。\n被告人陈婷到案后如实供述。\n")
    doc = extract_text(text, "cq-procuratorate/indictment_1.txt")
    clusters = [c for c in cluster_persons(doc.entities) if c.name == "陈婷"]
    assert len(clusters) == 2
    accused, victim = clusters
    assert accused.ric == "500108196009200546" and "victim" not in accused.roles
    assert victim.roles == ["victim"] and victim.ric is None
    # the defendant named again after the victim joins the defendant, not the victim
    assert len(accused.members) == 3 and len(victim.members) == 1


def test_a_single_person_of_a_name_keeps_all_her_mentions() -> None:
    entities = [person("陈婷", 0, cue="被害人", role="victim"), person("陈婷", 40), person("陈婷", 80)]
    assert [sorted(c.members) for c in cluster_persons(entities)] == [[0, 1, 2]]


def test_anonymised_form_fitting_two_parties_is_not_guessed() -> None:
    entities = [person("张伟", 0, ric="500103198503124515"), person("张敏", 30, birth_date="1980-02-03"),
                person("张某", 60)]
    assert [c.members for c in cluster_persons(entities)] == [[0], [1], [2]]


def test_resolved_document_keys_and_citations() -> None:
    text = ("重庆市人民检察院\n起诉书\n渝检刑诉〔2024〕3号\n被告人张伟，男，1985年3月12日出生，公民身份号码500103198503124515，"
            "住重庆市渝中区解放碑路1号，联系电话13823456789。\n本案由重庆市公安局侦查终结，以渝公（经）诉字〔2023〕45号起诉意见书移送。"
            "被告人张伟使用其名下账户6222020200112233446收取资金。")
    facts = resolve_document(extract_text(text, path="x.txt"), AgencyRef("cq-procuratorate", "CQ", "procuratorate"))
    persons = [n for n in facts.nodes if n.label == "Person"]
    assert [p.key for p in persons] == ["ric:500103198503124515"]
    assert persons[0].regions == ["CQ"]
    rels = {(r.type, r.from_key, r.to_key) for r in facts.rels}
    assert ("CITES", "case:cq-procuratorate:渝检刑诉(2024)3号", "case:cq-police:渝公(经)诉字(2023)45号") in rels
    assert ("USES", "ric:500103198503124515", "phone:13823456789") in rels
    assert ("LOCATED_AT", "ric:500103198503124515", "addr:重庆市渝中区解放碑路1号") in rels
    mentions = [r for r in facts.rels if r.type == "MENTIONED_IN" and r.from_key.startswith("ric:")]
    assert len(mentions) >= 3 and {r.props["resolved_by"] for r in mentions} >= {"ric", "same_name_in_document"}


def profile(key: str, name: str, **kw: object) -> Profile:
    return Profile(key, name, **kw)  # type: ignore[arg-type]


def test_strong_evidence_merges_and_weak_evidence_only_proposes() -> None:
    ric = profile("ric:1", "张伟", ric="1", birth_date="1985-03-12", birth_year="1985", matter=frozenset({"c1"}))
    dated = profile("name:张伟|dob:1985-03-12", "张伟", birth_date="1985-03-12", birth_year="1985")
    assert decide(ric, dated).kind == MERGE  # type: ignore[union-attr]
    in_matter = profile("mention:a:1", "张伟", matter=frozenset({"c1", "c2"}))
    assert decide(ric, in_matter).reasons[0] == "same_name_in_linked_cases"  # type: ignore[union-attr]
    sharing = profile("mention:b:1", "张伟", identifiers=frozenset({"acct:62"}))
    ric_acct = profile("ric:1", "张伟", ric="1", identifiers=frozenset({"acct:62"}))
    weak = decide(ric_acct, sharing)
    assert weak is not None and weak.kind == CANDIDATE and "shared:acct:62" in weak.reasons
    assert decide(ric, profile("mention:c:1", "张伟")) is None  # a name alone is nothing


def test_anonymised_form_merges_only_when_it_fits_one_party_of_the_matter() -> None:
    full = profile("ric:1", "董波成", ric="1", birth_year="1982", gender="男", matter=frozenset({"c1"}))
    masked = profile("mention:j:1", "董某某", anonymised=True, birth_year="1982", gender="男", matter=frozenset({"c1"}))
    assert decide(full, masked, unique_fit=True).kind == MERGE  # type: ignore[union-attr]
    assert decide(full, masked, unique_fit=False).kind == CANDIDATE  # type: ignore[union-attr]
    other_year = profile("mention:j:2", "董某某", anonymised=True, birth_year="1975", matter=frozenset({"c1"}))
    assert decide(full, other_year, unique_fit=True) is None


def test_contradictions_and_rejections_keep_apart() -> None:
    a = profile("ric:1", "李玲", ric="1", birth_date="1980-06-14", matter=frozenset({"c"}))
    b = profile("ric:2", "李玲", ric="2", birth_date="1977-09-03", matter=frozenset({"c"}))
    assert decide(a, b) is None and blocks_union([a, b])
    c = profile("mention:x:1", "李玲", matter=frozenset({"c"}), rejected=frozenset({"ric:1"}))
    assert decide(a, c) is None
    assert survivor([c, a]).key == "ric:1"


JUDGMENT = ("重庆市渝北区人民法院\n刑事判决书\n（2024）渝0112刑初234号\n被告人陈明，男，1957年3月2日出生，住重庆市江北区石桥铺北路81号。\n"
            "被告人陈明犯诈骗罪，判处有期徒刑三年。\n审判长  吴勇\n审判员  田洋丹\n书记员  朱帆健\n二〇二四年三月十九日")


def test_officials_at_the_foot_act_for_the_issuing_court() -> None:
    facts = resolve_document(extract_text(JUDGMENT, path="j.txt"), AgencyRef("cq-procuratorate", "CQ", "procuratorate"))
    acts = {(r.from_key.rsplit(":", 1)[1], r.to_key, r.props["title"], r.props["issuer"])
            for r in facts.rels if r.type == "ACTS_FOR"}
    court = "重庆市渝北区人民法院"
    assert acts == {("吴勇", "court-500112", "审判长", court), ("田洋丹", "court-500112", "审判员", court),
                    ("朱帆健", "court-500112", "书记员", court)}
    # The defendant is a party, not an official, though his line also names a title-like word.
    assert not any(r.type == "ACTS_FOR" and "陈明" in r.from_key for r in facts.rels)


def test_an_official_merges_only_with_the_same_name_of_the_same_institution() -> None:
    judge = profile("mention:a:吴勇", "吴勇", institutions=frozenset({"court-500112"}),
                    institution_regions=frozenset({"CQ"}), matter=frozenset({"c1"}))
    same_court = profile("mention:b:吴勇", "吴勇", institutions=frozenset({"court-500112"}),
                         institution_regions=frozenset({"CQ"}), matter=frozenset({"c9"}))
    assert decide(judge, same_court).reasons == ("same_official_of_institution",)  # type: ignore[union-attr]
    other_court = profile("mention:c:吴勇", "吴勇", institutions=frozenset({"court-500105"}),
                          institution_regions=frozenset({"CQ"}), matter=frozenset({"c7"}))
    assert decide(judge, other_court).kind == CANDIDATE  # type: ignore[union-attr]
    other_region = profile("mention:d:吴勇", "吴勇", institutions=frozenset({"court-510105"}),
                           institution_regions=frozenset({"SC"}))
    assert decide(judge, other_region) is None
    # A party of the same name in the judge's own matter is not the judge, whatever they share.
    defendant = profile("mention:e:吴勇", "吴勇", matter=frozenset({"c1"}), identifiers=frozenset({"phone:1"}))
    assert decide(judge, defendant) is None
    assert decide(same_court, profile("mention:f:吴敏", "吴敏", institutions=frozenset({"court-500112"}))) is None


def test_name_variants_are_read_by_sound() -> None:
    assert same_sound("张伟", "章伟") and same_sound("张伟", "ZHANG Wei") and same_sound("张伟", "Wei Zhang")
    assert same_sound("曾伟", "Zeng Wei") and same_sound("曾伟", "Ceng Wei")  # every reading counts
    assert same_sound("吕强", "LV Qiang")
    assert not same_sound("张伟", "张伟") and not same_sound("张伟", "李伟") and not same_sound("张伟", "张某")


def test_a_name_variant_is_only_ever_a_candidate() -> None:
    han = profile("ric:1", "张伟", ric="1", birth_date="1985-03-12", birth_year="1985",
                  identifiers=frozenset({"acct:62"}), matter=frozenset({"c1"}))
    typed = profile("mention:a:1", "章伟", identifiers=frozenset({"acct:62"}), matter=frozenset({"c1"}))
    found = decide(han, typed)
    assert found is not None and found.kind == CANDIDATE and found.reasons[0] == "pinyin_variant"
    assert "shared:acct:62" in found.reasons
    roman = profile("name:ZHANG Wei|dob:1985-03-12", "ZHANG Wei", birth_date="1985-03-12", birth_year="1985")
    dated = decide(han, roman)
    assert dated is not None and dated.kind == CANDIDATE and "same_birth_date" in dated.reasons
    assert decide(han, profile("mention:b:1", "章伟")) is None  # a sound alone is nothing
    assert decide(han, profile("mention:c:1", "李伟", identifiers=frozenset({"acct:62"}))) is None


def test_a_traditional_form_is_the_simplified_name() -> None:
    text = "重庆市公安局\n立案决定书\n渝公（经）立字〔2023〕46号\n犯罪嫌疑人張偉，男，1985年3月12日出生，住重庆市渝中区解放碑路1号。"
    facts = resolve_document(extract_text(text, path="t.txt"), POLICE)
    assert [n.key for n in facts.nodes if n.label == "Person"] == ["name:张伟|dob:1985-03-12"]


def test_same_name_with_account_and_phone_merges_but_one_identifier_only_proposes() -> None:
    holder = profile("ric:1", "孙芳", ric="1", birth_date="2001-10-23", birth_year="2001", gender="女",
                     identifiers=frozenset({"acct:6217", "phone:140", "addr:金牛区西环大道69号"}))
    upstream = profile("mention:a:孙芳", "孙芳", identifiers=frozenset({"acct:6217", "phone:140"}))
    assert decide(holder, upstream).reasons[0] == "same_name_account_and_phone"  # type: ignore[union-attr]
    # Mother and daughter of one name share the family phone and address, each with her own card.
    mother = profile("mention:b:孙芳", "孙芳", identifiers=frozenset({"acct:6228", "phone:140", "addr:金牛区西环大道69号"}))
    assert decide(holder, mother).kind == CANDIDATE  # type: ignore[union-attr]
    card_only = profile("mention:c:孙芳", "孙芳", identifiers=frozenset({"acct:6217"}))
    assert decide(holder, card_only).kind == CANDIDATE  # type: ignore[union-attr]
    # Two identifiers never outweigh a contradiction.
    older = profile("mention:d:孙芳", "孙芳", birth_year="1961", identifiers=frozenset({"acct:6217", "phone:140"}))
    assert decide(holder, older) is None


def test_a_statement_keys_the_holder_of_its_account_by_his_id() -> None:
    ledger = ExtractedDocument("ledger.csv", "ab" * 32, "", kind="ledger", transactions=[
        Transaction("6222020200001234567", "6217005181909378652", 10.0, "2023-03-05T14:22:01", 2,
                    own_account="6222020200001234567", holder_name="张伟", holder_id="500103198503124515"),
        Transaction("6217005181909378652", "6222020200001234567", 5.0, "2023-03-06T09:00:00", 3,
                    own_account="6222020200001234567", holder_name="张伟", holder_id="500103198503124515"),
        Transaction("6222020200009999999", "6217005181909378652", 5.0, "2023-03-06T09:00:00", 4,
                    own_account="6222020200009999999", holder_name="王五", holder_id="500103198503124510"),
    ])
    facts = resolve_document(ledger, POLICE)
    holds = [r for r in facts.rels if r.type == "HOLDS"]
    # One HOLDS of record for the valid ID; a mistyped check digit keys nobody; the counterparty is no holder.
    assert [(r.from_key, r.to_key, r.props) for r in holds] == [
        ("ric:500103198503124515", "acct:6222020200001234567", {"of_record": True})]
    holder = next(n for n in facts.nodes if n.key == "ric:500103198503124515")
    assert holder.props["name"] == "张伟" and holder.props["birth_date"] == "1985-03-12"


def test_the_same_name_as_the_holder_of_record_merges_and_a_namesake_of_the_card_does_not() -> None:
    holder = profile("ric:1", "孙芳", ric="1", birth_date="2001-10-23", birth_year="2001",
                     identifiers=frozenset({"acct:6217"}), of_record=frozenset({"acct:6217"}))
    narrated = profile("mention:a:孙芳", "孙芳", identifiers=frozenset({"acct:6217"}))
    assert decide(holder, narrated).reasons[0] == "account_holder_of_record"  # type: ignore[union-attr]
    assert decide(narrated, holder).kind == MERGE  # type: ignore[union-attr]
    # Another name on the card is someone the holder lent it to: nothing merges.
    assert decide(holder, profile("mention:b:李娜", "李娜", identifiers=frozenset({"acct:6217"}))) is None
    # A namesake born another year contradicts the holder's ID; two documents that both tie the name to
    # the card, neither of them the bank's record, stay a candidate.
    assert decide(holder, profile("mention:c:孙芳", "孙芳", birth_year="1961",
                                  identifiers=frozenset({"acct:6217"}))) is None
    other = profile("mention:d:孙芳", "孙芳", identifiers=frozenset({"acct:6217"}))
    assert decide(narrated, other).kind == CANDIDATE  # type: ignore[union-attr]


def test_the_same_name_as_the_legal_representative_of_the_same_company_merges() -> None:
    # 高斌伟, 法定代表人 of 诚财公司 in a recommendation without particulars, and with his ID in another file.
    named = profile("mention:a:高斌伟", "高斌伟", represents=frozenset({"uscc:9151"}))
    identified = profile("ric:1", "高斌伟", ric="1", birth_year="2001", represents=frozenset({"uscc:9151"}))
    assert decide(named, identified).reasons[0] == "legal_representative_of_organization"  # type: ignore[union-attr]
    # Legal representatives of two companies, or another name for the same company: nothing.
    assert decide(named, profile("ric:2", "高斌伟", ric="2", represents=frozenset({"uscc:9150"}))) is None
    assert decide(named, profile("mention:b:高斌", "高斌", represents=frozenset({"uscc:9151"}))) is None
    # A contradiction still keeps them apart.
    assert decide(identified, profile("ric:3", "高斌伟", ric="3", represents=frozenset({"uscc:9151"}))) is None


def test_an_anonymised_form_merges_with_the_one_party_its_particulars_point_to() -> None:
    masked = profile("mention:j:杨某某", "杨某某", anonymised=True, birth_year="1996", gender="男",
                     identifiers=frozenset({"addr:x"}), matter=frozenset({"c1"}))
    right = profile("ric:1", "杨晓阳", ric="1", birth_year="1996", gender="男", identifiers=frozenset({"addr:x"}),
                    matter=frozenset({"c1"}))
    assert decide(masked, right, unique_fit=False, unique_supported_fit=True).kind == MERGE  # type: ignore[union-attr]
    # Without a shared year or identifier nothing points to him.
    bare = profile("mention:k:杨某某", "杨某某", anonymised=True, matter=frozenset({"c1"}))
    assert decide(bare, right, unique_fit=False, unique_supported_fit=True).kind == CANDIDATE  # type: ignore[union-attr]
    assert decide(masked, right, unique_fit=False, unique_supported_fit=False).kind == CANDIDATE  # type: ignore[union-attr]


def test_an_anonymised_form_named_in_the_facts_needs_two_identifiers() -> None:
    # 郭某某, cashier named in a judgment's facts: no birth year, only the account a transfer names.
    staff = profile("mention:j:郭某某", "郭某某", anonymised=True, identifiers=frozenset({"acct:6222"}),
                    matter=frozenset({"c1"}))
    party = profile("ric:1", "郭桂英", ric="1", birth_year="1974", identifiers=frozenset({"acct:6222", "phone:139"}),
                    matter=frozenset({"c1"}))
    assert decide(staff, party, unique_supported_fit=True).kind == CANDIDATE  # type: ignore[union-attr]
    both = profile("mention:k:郭某某", "郭某某", anonymised=True, identifiers=frozenset({"acct:6222", "phone:139"}),
                   matter=frozenset({"c1"}))
    assert decide(both, party, unique_supported_fit=True).reasons[0] == (  # type: ignore[union-attr]
        "anonymised_form_particulars_in_linked_cases")
    # The account is the named one's of record (a bank statement names him its holder, with his ID).
    holder = profile("ric:2", "郭春波", ric="2", identifiers=frozenset({"acct:6222"}), of_record=frozenset({"acct:6222"}),
                     matter=frozenset({"c1"}))
    assert decide(staff, holder, unique_supported_fit=True).kind == MERGE  # type: ignore[union-attr]


def test_the_particulars_of_an_anonymised_party_point_to_one_named_party() -> None:
    masked = profile("mention:j:杨某某", "杨某某", anonymised=True, birth_year="1996", gender="男",
                     matter=frozenset({"c1"}))
    parties = [profile("ric:1", "杨晓阳", ric="1", birth_year="1996", gender="男", matter=frozenset({"c1"})),
               profile("mention:a:杨强凯", "杨强凯", matter=frozenset({"c1"})),
               profile("ric:2", "杨建军", ric="2", birth_year="1980", gender="男", matter=frozenset({"c1"})),
               profile("ric:3", "杨晓明", ric="3", birth_year="1996", gender="男", matter=frozenset({"c2"}))]
    # Only the masked one's matter counts (杨晓明 of matter c2 fits the form but is not a party of it).
    every, supported, _ = _MatterPeople(parties).fitting_names(masked)
    assert every == {"杨晓阳", "杨强凯", "杨建军"} and supported == {"杨晓阳"}
    twin = profile("ric:4", "杨晓东", ric="4", birth_year="1996", gender="男", matter=frozenset({"c1"}))
    assert _fitting_names(masked, [*parties[:3], twin])[1] == {"杨晓阳", "杨晓东"}  # two fit: no merge


def test_an_anonymised_form_fitting_two_namesakes_of_the_matter_points_to_nobody() -> None:
    # 陈某 of a judgment; the matter names a defendant 陈婷 and a victim 陈婷, two people (two IDs).
    masked = profile("mention:j:陈某", "陈某", anonymised=True, gender="女", matter=frozenset({"c1"}))
    defendant = profile("ric:1", "陈婷", ric="1", gender="女", birth_year="1988", matter=frozenset({"c1"}))
    victim = profile("ric:2", "陈婷", ric="2", gender="女", birth_year="1971", matter=frozenset({"c1"}))
    every, _, _ = _fitting_names(masked, [defendant, victim])
    assert len(every) == 2  # one name, two people: not a unique fit
    # The same man on two nodes not yet merged (one without particulars) is still one fit.
    again = profile("mention:p:陈婷", "陈婷", gender="女", matter=frozenset({"c1"}))
    assert _fitting_names(masked, [defendant, again])[0] == {"陈婷"}


def test_a_short_anonymised_form_merges_only_when_birth_year_and_an_identifier_point_to_one_party() -> None:
    # 刘某 of a published judgment (born 1997, month and day masked, living at the indictment's address).
    masked = profile("mention:j:刘某", "刘某", anonymised=True, birth_year="1997", gender="男",
                     identifiers=frozenset({"addr:九龙坡区科华大道108号"}), matter=frozenset({"c1"}))
    named = profile("ric:1", "刘鑫豪", ric="1", birth_year="1997", gender="男",
                    identifiers=frozenset({"addr:九龙坡区科华大道108号"}), matter=frozenset({"c1"}))
    other = profile("ric:2", "刘强", ric="2", birth_year="1997", gender="男", matter=frozenset({"c1"}))
    assert _fitting_names(masked, [named, other])[2] == {"刘鑫豪", "刘强"}  # 刘强 is born that year too
    assert _fitting_names(masked, [named, other])[0] == {"刘强"}  # the only one a 刘某 strictly fits
    assert decide(masked, named, unique_surname_fit=True).reasons[0] == (  # type: ignore[union-attr]
        "anonymised_surname_particulars_in_linked_cases")
    # Two parties its particulars fit, no shared identifier, or another matter: no merge.
    assert decide(masked, named, unique_surname_fit=False) is None
    bare = profile("mention:k:刘某", "刘某", anonymised=True, birth_year="1997", matter=frozenset({"c1"}))
    assert decide(bare, named, unique_surname_fit=True) is None
    elsewhere = profile("mention:l:刘某", "刘某", anonymised=True, birth_year="1997",
                        identifiers=frozenset({"addr:九龙坡区科华大道108号"}), matter=frozenset({"c9"}))
    assert decide(elsewhere, named, unique_surname_fit=True) is None


def test_a_short_anonymised_form_with_the_full_birth_date_merges_within_the_matter() -> None:
    masked = profile("name:杜某|dob:1975-07-04", "杜某", anonymised=True, birth_date="1975-07-04", birth_year="1975",
                     gender="女", matter=frozenset({"c1"}))
    named = profile("ric:5109", "杜霞玉", ric="5109", birth_date="1975-07-04", birth_year="1975", gender="女",
                    matter=frozenset({"c1"}))
    assert decide(masked, named).reasons[0] == "anonymised_form_with_birth_date_in_linked_cases"  # type: ignore[union-attr]
    # Outside the matter, or another surname, or another day: no merge.
    assert decide(profile("name:杜某|dob:1975-07-04", "杜某", anonymised=True, birth_date="1975-07-04",
                          birth_year="1975", matter=frozenset({"c9"})), named) is None
    assert decide(profile("name:李某|dob:1975-07-04", "李某", anonymised=True, birth_date="1975-07-04",
                          birth_year="1975", matter=frozenset({"c1"})), named) is None
    assert decide(profile("name:杜某|dob:1975-07-05", "杜某", anonymised=True, birth_date="1975-07-05",
                          birth_year="1975", matter=frozenset({"c1"})), named) is None


def test_what_if_figures_join_only_the_chosen_kind_of_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEGRAPH_LANG", "en")
    mentions = [AlignedMention("P1", "n1", "d1", None, False), AlignedMention("P1", "n2", "d2", None, False),
                AlignedMention("P2", "n3", "d3", None, False), AlignedMention("P3", "n4", "d4", None, False)]
    candidates = [("n1", "n2", ["same_name", "shared:acct:62"]), ("n3", "n4", ["same_name", "shared:phone:13"])]
    lines = what_if_confirmed(mentions, candidates)
    account = next(line for line in lines if "held account" in line)
    phone = next(line for line in lines if "+ phone" in line)
    assert "1 candidates: precision 1.0000, recall 1.0000 (FP 0)" in account
    assert "1 candidates: precision 0.0000, recall 0.0000 (FP 1)" in phone


def test_a_judge_named_like_the_defendant_is_another_person() -> None:
    text = JUDGMENT.replace("田洋丹", "陈明")  # the 审判员 of this judgment is also called 陈明
    facts = resolve_document(extract_text(text, path="j.txt"), AgencyRef("cq-procuratorate", "CQ", "procuratorate"))
    named = sorted(n.key for n in facts.nodes if n.label == "Person" and n.props.get("name") == "陈明")
    assert len(named) == 2
    acts = {r.from_key for r in facts.rels if r.type == "ACTS_FOR"}
    # the judge acts for the court (an official's role in the case beside it), the party has a party's role
    roles = {r.from_key for r in facts.rels if r.type == "ROLE_IN" and r.props.get("role") not in OFFICIAL_ROLES}
    assert len(acts & set(named)) == 1 and not acts & roles


def test_a_victim_and_an_accused_of_one_matter_never_merge() -> None:
    victim = profile("p:1", "陈婷", matter=frozenset({"c1", "c2"}), victim_of=frozenset({"c1", "c2"}))
    accused = profile("p:2", "陈婷", matter=frozenset({"c1", "c2"}), accused_of=frozenset({"c1", "c2"}))
    bare = profile("p:3", "陈婷", matter=frozenset({"c1", "c2"}))
    assert decide(victim, accused) is None
    assert decide(bare, accused).kind == MERGE and decide(bare, victim).kind == MERGE  # type: ignore[union-attr]
    assert blocks_union([victim, bare, accused])
    # a victim in one matter may be the accused of another
    elsewhere = profile("p:4", "陈婷", matter=frozenset({"c9"}), accused_of=frozenset({"c9"}), birth_date="1960-09-20")
    dated = profile("p:5", "陈婷", matter=frozenset({"c1"}), victim_of=frozenset({"c1"}), birth_date="1960-09-20")
    assert decide(elsewhere, dated).kind == MERGE  # type: ignore[union-attr]


def test_case_numbers_of_every_province_name_their_issuer() -> None:
    """Two agencies citing the same Shanghai or Beijing judgment meet on one Case (issue 15)."""
    shanghai = issuer_of("(2019)沪0109刑初495号")
    assert shanghai is not None and shanghai.agency == "court-310109" and shanghai.region == "31"
    beijing = issuer_of("(2022)京02刑终92号")  # an intermediate court: two digits
    assert beijing is not None and beijing.agency == "court-1102"
    high = issuer_of("(2020)粤刑终12号")  # a high court: no code
    assert high is not None and high.agency == "court-44"
    police = issuer_of("浙公(经)立字(2023)5号")
    assert police is not None and (police.agency, police.kind, police.region) == ("33-police", "police", "33")
    assert issuer_of("(2013)海刑初字第161号") is None  # the old form says no province


def test_regions_as_operators_type_them() -> None:
    from casegraph.regions import parse_region

    assert [parse_region(x) for x in ("cq", "SC", "31", "上海", "沪", "广东省", "火星")] == \
        ["CQ", "SC", "31", "31", "31", "44", None]
