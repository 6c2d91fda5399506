"""Resolution rules without a database: coreference inside a document, name forms, case issuers, and
the pair decisions of the cross-document linker."""

from __future__ import annotations

from casegraph.graph.facts import AgencyRef
from casegraph.ingest.extract import extract_text
from casegraph.ingest.resolution.cases import issuer_of
from casegraph.ingest.resolution.coref import cluster_persons
from casegraph.ingest.resolution.document import resolve_document
from casegraph.ingest.resolution.names import anonymised_fits, is_anonymised
from casegraph.ingest.resolution.scoring import CANDIDATE, MERGE, Profile, blocks_union, decide, survivor
from casegraph.model import Mention

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
    assert issuer_of("沪公立字(2023)1号") is None


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
