"""ORG as published judgments name institutions of any province: no swallowing the words before a
name, public bodies (卫生院, 档案局, 看守所), banks' short forms, a company's short form used as a
name. Sentences hand-written in the style of published judgments; the bodies are made up or public."""

from __future__ import annotations

import pytest

from casegraph.ingest.extract import extract_text


def _orgs(text: str) -> list[str]:
    return [m.text for m in extract_text(text).entities if m.type == "ORG"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("本院依法组成合议庭，现已审理终结新野县人民检察院指控被告人张某犯盗窃罪。", ["新野县人民检察院"]),
    ("书证证实新野县公安局于2019年立案。", ["新野县公安局"]),
    ("被告人张某购入广州百叶林木业有限公司的木材。", ["广州百叶林木业有限公司"]),
    ("被告人刘某跳入迁安轧一钢铁集团有限公司厂区。", ["迁安轧一钢铁集团有限公司"]),
    ("诉张某盗窃罪一案二审刑事判决书上海市第一中级人民法院刑事判决书", ["上海市第一中级人民法院"]),
    ("被告人现羁押于福建省建瓯市看守所。", ["福建省建瓯市看守所"]),
    ("其用该款支付乡宁县枣岭乡卫生院的药款。", ["乡宁县枣岭乡卫生院"]),
    ("宁夏回族自治区环境保护厅出具的监测报告。", ["宁夏回族自治区环境保护厅"]),
    ("存入其在江苏银行和工商银行开立的账户。", ["江苏银行", "工商银行"]),
])
def test_institutions_of_any_province(sentence: str, expected: list[str]) -> None:
    assert _orgs(sentence) == expected


def test_a_company_short_form_used_as_a_name_and_no_generic_company() -> None:
    text = "顾某成为业顺公司股东。业顺公司法定代表人变更为李某。该公司与某公司签订合同。"
    assert _orgs(text) == ["业顺公司", "业顺公司"]


@pytest.mark.parametrize("sentence", ["他参与了养老投资骗局。", "在售楼大厅签约。", "前往市中心购物。", "请求法院从轻处罚。"])
def test_words_ending_like_institutions_are_no_names(sentence: str) -> None:
    assert _orgs(sentence) == []
