"""Shared identifiers (with hub pruning) and control networks on tiny hand-made graphs."""

from __future__ import annotations

from casegraph.detect.control import find_control_networks
from casegraph.detect.params import DetectionParams
from casegraph.detect.shared_identifiers import find_shared_identifiers
from tests.detect_graphs import graph, link

P = DetectionParams()


def person(n: int) -> str:
    return f"ric:5001031990010100{n:02d}"


def test_shared_phone_and_address_tie_people_into_one_cluster() -> None:
    edges = [link(person(1), "phone:13800000001", "USES"), link(person(2), "phone:13800000001", "USES"),
             link(person(2), "addr:成都市锦江区红星路1号", "LOCATED_AT"),
             link(person(3), "addr:成都市锦江区红星路1号", "LOCATED_AT"),
             link(person(4), "phone:13900000009", "USES")]  # a phone nobody shares
    found, hubs = find_shared_identifiers(graph(edges), P)
    assert hubs == []
    assert len(found) == 1
    assert found[0].members == {person(1), person(2), person(3),
                                "phone:13800000001", "addr:成都市锦江区红星路1号"}
    assert "2 identifier" in found[0].detail


def test_identifier_used_by_many_is_a_pruned_hub() -> None:
    branch = "addr:重庆市渝中区民族路1号工商银行"
    edges = [link(person(n), branch, "LOCATED_AT") for n in range(P.hub_max_entities + 1)]
    found, hubs = find_shared_identifiers(graph(edges), P)
    assert found == [] and hubs == [branch]


def test_account_held_by_two_entities_links_them() -> None:
    edges = [link(person(1), "acct:6222020000000001", "HOLDS"),
             link("uscc:91500103MA5U000001", "acct:6222020000000001", "HOLDS")]
    found, _ = find_shared_identifiers(graph(edges), P)
    assert [f.members for f in found] == [frozenset({person(1), "uscc:91500103MA5U000001",
                                                     "acct:6222020000000001"})]


def test_control_network_follows_shareholder_chains() -> None:
    boss, companies = person(1), [f"uscc:9150010300000000{n}X" for n in range(4)]
    edges = [link(boss, companies[0], "LEGAL_REP_OF"), link(boss, companies[1], "CONTROLS"),
             link(companies[1], companies[2], "SHAREHOLDER_OF"),
             link(companies[2], companies[3], "SHAREHOLDER_OF")]
    found = find_control_networks(graph(edges), P)
    assert len(found) == 1 and found[0].members == {boss, *companies}
    shallow = find_control_networks(graph(edges), DetectionParams(control_max_depth=1))
    assert shallow == [] or len(shallow[0].members) == 3  # depth 1: two companies directly


def test_employment_is_not_control() -> None:
    edges = [link(person(1), f"uscc:9150010300000000{n}X", "EMPLOYED_BY") for n in range(5)]
    assert find_control_networks(graph(edges), P) == []


def test_control_network_includes_nominee_legal_reps() -> None:
    boss, nominee = person(1), person(2)
    companies = [f"uscc:9150010300000000{n}X" for n in range(2)]
    edges = [link(boss, companies[0], "LEGAL_REP_OF"), link(boss, companies[1], "CONTROLS"),
             link(nominee, companies[1], "LEGAL_REP_OF")]
    found = find_control_networks(graph(edges), P)
    assert [f.members for f in found] == [frozenset({boss, nominee, *companies})]
    # the nominee fronts one company only: no network of his own
    assert all(person(2) not in f.detail for f in found)
