"""The pure access policy: roles, masking, API keys, the audit hash chain, token buckets (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casegraph.access import Caller, allowed, mask_value, require, visibility_params
from casegraph.access.audit_chain import GENESIS, chain, verify_chain
from casegraph.access.keys import key_hash, looks_like_key, new_key
from casegraph.access.masking import mask_text, masks_for
from casegraph.api.limits import TokenBuckets
from casegraph.errors import Forbidden, RateLimited


def test_roles() -> None:
    assert allowed("investigator", "lookup") and allowed("analyst", "lookup")
    assert not allowed("admin", "lookup") and allowed("admin", "read_audit")
    assert not allowed("analyst", "set_sharing") and not allowed("nobody", "lookup")
    with pytest.raises(Forbidden, match="analyst"):
        require("analyst", "manage_users")


def test_visibility_depends_on_the_agency_only() -> None:
    a = Caller("u1", "cq-police", "investigator")
    b = Caller("u2", "cq-police", "analyst", purpose="x")
    assert visibility_params(a) == visibility_params(b) == {"agency": "cq-police"}
    assert not a.masked and b.masked


def test_masking_of_ids_and_accounts() -> None:
    assert mask_text("ric:500103198503124515") == "ric:500103********4515"
    assert mask_text("11010519491231002X") == "110105********002X"
    assert mask_text("acct:6222020200112233446") == "acct:6222***********3446"
    assert mask_text("卡号6222020200112233446，电话13823456789") == "卡号6222***********3446，电话13823456789"
    assert mask_text("(2023)45号") == "(2023)45号"
    assert mask_value({"key": "ric:500103198503124515", "n": 3, "l": ["6222020200112233446"]}) == \
        {"key": "ric:500103********4515", "n": 3, "l": ["6222***********3446"]}
    assert masks_for("analyst") and masks_for("admin") and not masks_for("prosecutor")


@given(st.from_regex(r"[1-6][0-9]{16}[0-9X]", fullmatch=True), st.text(alphabet="张王李ab ", max_size=5))
@settings(max_examples=50)
def test_no_full_id_survives_masking(ric: str, around: str) -> None:
    masked = mask_text(around + ric + around)
    assert ric not in masked and ric[-4:] in masked and ric[:6] in masked


def test_keys_are_random_and_only_hashes_compare() -> None:
    one, two = new_key(), new_key()
    assert one != two and looks_like_key(one) and len(key_hash(one)) == 64
    assert key_hash(one) == key_hash(one) and key_hash(one) != key_hash(two)
    assert not looks_like_key("cgk_short") and not looks_like_key("x" * 50)


def test_audit_chain_detects_edits_removals_and_reordering() -> None:
    records = chain([{"user": f"u{i}", "action": "lookup", "returned": [f"k{i}"], "status": 200} for i in range(5)],
                    GENESIS, 1)
    assert verify_chain(records) == []
    edited = [dict(r) for r in records]
    edited[2]["returned"] = []
    assert any("edited" in p for p in verify_chain(edited))
    assert any("missing" in p for p in verify_chain(records[:2] + records[3:]))
    assert verify_chain([records[1], records[0], *records[2:]])
    # Continuing a chain links to its last hash.
    more = chain([{"user": "u5"}], records[-1]["hash"], 6)
    assert verify_chain(records + more) == []


def test_token_bucket_refills_at_its_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, clock=lambda: now[0])
    buckets.take("a")
    buckets.take("a")
    with pytest.raises(RateLimited) as limited:
        buckets.take("a")
    assert limited.value.retry_after_s == pytest.approx(0.5)
    buckets.take("b")  # another key has its own bucket
    now[0] = 0.5
    buckets.take("a")


def test_token_buckets_forget_the_least_recently_used_keys() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, max_keys=2, clock=lambda: 0.0)
    for key in ("a", "b", "c"):
        buckets.take(key)
    buckets.take("a")  # "a" was dropped, so it starts with a full bucket again
    with pytest.raises(RateLimited):
        buckets.take("c")


def test_a_handle_inside_a_text_is_kept_whole() -> None:
    # an event stream's JSON is masked as text; a handle's hex may hold sixteen digits in a row
    handle = "h:5b28db703a3dd0f6bede9e068ea44644b2179611212607376eef6823c652a78cd541c91c5048"
    event = f'data: {{"entity": "{handle}", "note": "账号6222020212343446"}}\n\n'
    assert mask_text(event) == event.replace("6222020212343446", "6222********3446")
    assert mask_text(f"{handle}x6222020212343446") != f"{handle}x6222020212343446"
