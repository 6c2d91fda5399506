"""Case numbers of courts, procuratorates and police of any province, as published judgments write
them; the document's own number apart from those it cites. Sentences hand-written in the style of
published judgments (the courts and numbers are made up)."""

from __future__ import annotations

import pytest

from casegraph.ingest.extract import extract_text


def _numbers(text: str) -> list[str]:
    return [m.text for m in extract_text(text).entities if m.type == "CASE_NUMBER"]


@pytest.mark.parametrize("number", [
    "（2019）沪0109刑初495号", "（2022）京02刑终92号", "(2019)辽0703刑初109号", "（2013）海刑初字第161号",
    "（2015）运中刑一抗字第22号", "（2017）赣04刑终453号之一", "（2016）黔东刑终字第2号", "（2020）新4002刑初84号",
    "（2018）藏01刑终7号", "（2014）穗海法刑初字第01343号", "（2017）粤1302民初8092号", "（2016）琼97刑终22号",
])
def test_court_numbers_of_any_province(number: str) -> None:
    assert _numbers(f"某某县人民法院于2019年1月2日作出{number}刑事判决。") == [number]


@pytest.mark.parametrize(("sentence", "number"), [
    ("公诉机关某县人民检察院以锡南检诉刑诉（2014）323号起诉书指控", "锡南检诉刑诉（2014）323号"),
    ("人民检察院以成青检公诉刑诉〔2019〕707号起诉书", "成青检公诉刑诉〔2019〕707号"),
    ("人民检察院以会检公诉刑诉〔2019〕207号起诉书", "会检公诉刑诉〔2019〕207号"),
    ("哈尔滨市人民检察院以哈香检诉刑诉【2018】623号起诉书", "哈香检诉刑诉【2018】623号"),
    ("人民检察院晋运检公诉刑诉［2014］21号起诉书复印件", "晋运检公诉刑诉［2014］21号"),
    ("经审查浙公经立字〔2021〕88号立案决定书", "浙公经立字〔2021〕88号"),
    ("移送审查起诉（鄂公(经)诉字[2020]15号）", "鄂公(经)诉字[2020]15号"),
])
def test_procuratorate_and_police_numbers(sentence: str, number: str) -> None:
    assert _numbers(sentence) == [number]


@pytest.mark.parametrize("sentence", [
    "穗番价认定〔2019〕704号价格认定结论书证实",  # a price appraisal
    "四平市人民检察院四检技鉴［2014］1号司法会计鉴定书",  # the procuratorate's own appraisal
    "宁化县人民政府宁政文（2009）123号关于出让的批复",  # a government paper
    "按照国有资产管理局（2000）第47号文件",
])
def test_appraisals_and_government_papers_are_no_case_numbers(sentence: str) -> None:
    assert _numbers(sentence) == []


def test_an_appeal_judgment_owns_the_number_after_its_title_and_cites_the_first_instance() -> None:
    document = extract_text("诉张某盗窃罪一案二审刑事判决书河北省某市中级人民法院刑事判决书（2018）冀05刑终237号："
                            "某县人民法院审理某县人民检察院指控原审被告人张某犯盗窃罪一案，于2018年3月30日作出"
                            "（2018）冀0525刑初20号刑事判决。")
    assert document.case_number == "(2018)冀05刑终237号"
    cited = [m.text for m in document.entities if m.type == "CASE_NUMBER" and m.attrs.get("cited")]
    assert cited == ["（2018）冀0525刑初20号"]


def test_a_number_without_prefix_under_the_title_is_the_documents_own() -> None:
    document = extract_text("中国证券监督管理委员会某某监管局\n行政处罚决定书\n〔2023〕41号\n当事人：某某公司。依据〔2022〕3号文件。")
    assert document.case_number == "(2023)41号"
    assert [m.text for m in document.entities if m.type == "CASE_NUMBER"] == ["〔2023〕41号"]
