from __future__ import annotations

import pytest

from casegraph import identifiers

VALID_RIC = "500103198503124515"  # 渝中区, 1985-03-12, male
VALID_USCC = "91500103MA5U7K8P3B"


@pytest.mark.parametrize("text", ["500103198503124515", " 500103 19850312 4515 ",
                                  "５００１０３１９８５０３１２４５１５"])
def test_resident_id_spellings_normalise_to_one_key(text: str) -> None:
    parsed = identifiers.parse_ric(text)
    assert parsed.valid and parsed.key == f"ric:{VALID_RIC}"


def test_resident_id_lower_case_x_is_upper_cased() -> None:
    parsed = identifiers.parse_any("11010519491231002x")
    assert parsed is not None and parsed.type == "ID_NUMBER" and parsed.value == "11010519491231002X"
    assert parsed.valid


def test_resident_id_with_wrong_check_digit_is_invalid() -> None:
    parsed = identifiers.parse_ric(VALID_RIC[:-1] + "6")
    assert not parsed.valid and parsed.reason


def test_resident_id_attributes() -> None:
    assert identifiers.ric_birth_date(VALID_RIC) == "1985-03-12"
    assert identifiers.ric_gender(VALID_RIC) == "男"
    assert identifiers.ric_region(VALID_RIC) == "CQ"
    assert identifiers.ric_region("510104199007213028") == "SC"


def test_uscc_and_its_region() -> None:
    assert identifiers.parse_uscc(VALID_USCC).valid
    assert identifiers.uscc_region(VALID_USCC) == "CQ"
    assert identifiers.parse_ric("500103198503124514").reason == "InvalidChecksum"
    assert not identifiers.parse_uscc(VALID_USCC[:-1] + "C").valid


@pytest.mark.parametrize("text", ["+86 138-2345-6789", "13823456789", "0086 13823456789", "138 2345 6789"])
def test_phone_spellings(text: str) -> None:
    parsed = identifiers.parse_any(text)
    assert parsed is not None and parsed.key == "phone:13823456789"


def test_phone_that_is_no_mobile() -> None:
    assert not identifiers.parse_phone("12823456789").valid


def test_card_luhn() -> None:
    assert identifiers.luhn_ok("6222020200112233446")
    assert not identifiers.luhn_ok("6222020200112233445")
    assert identifiers.parse_any("6222 0202 0011 2233 446").key == "acct:6222020200112233446"  # type: ignore[union-attr]


def test_case_number_brackets_normalise() -> None:
    one = identifiers.normalize_case_number("川金罚决字[2023]8号")
    assert one == identifiers.normalize_case_number("川金罚决字〔2023〕8号") == "川金罚决字(2023)8号"
    assert identifiers.normalize_case_number("(2021)渝0112刑初123号") == "(2021)渝0112刑初123号"
