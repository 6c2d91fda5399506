"""Who took part in the crime as published judgments list them: 伙同 with posts across commas, 同案人
lists, （均已判刑） after a list, one role per person (an accomplice who testifies stays a suspect), and
witnesses by their records (X的询问笔录, 询问X的笔录).
Sentences in the style of the LeCaRDv2 judgments outside both gold parts; the people are made up."""

from __future__ import annotations

from casegraph.ingest.extract import extract_text


def test_accomplices_lists_and_one_role_per_person() -> None:
    document = extract_text(
        "某县人民法院刑事判决书（2016）云25刑终101号：被告人高永福利用担任林场场长的职务便利，"
        "伙同时任林场党支部书记的何立明，副场长赵某、王某，报账员李某贪污抚育费人民币5万元。"
        "被告人高永福与同案人沈国贵、黄海能、刘跃进等人商议。"
        "以陈晓彬为经理，黄强海为总监（均已判刑），设置窝点。证人黄强海、方志诚的证言。"
        "9.赵俊勇的询问笔录，主要内容：我。16、询问赵和平的笔录证实：我是会计。杨昌艳（另案判决）为达到目的。")
    entities = document.entities
    roles = {(entities[r.source].text, r.role) for r in document.relations if r.type == "ROLE_IN"}
    assert roles == {("高永福", "defendant"), ("何立明", "suspect"), ("赵某", "suspect"), ("王某", "suspect"),
                     ("李某", "suspect"), ("沈国贵", "suspect"), ("黄海能", "suspect"), ("刘跃进", "suspect"),
                     ("陈晓彬", "suspect"), ("黄强海", "suspect"), ("方志诚", "witness"),
                     ("赵俊勇", "witness"), ("赵和平", "witness"), ("杨昌艳", "suspect")}
    pairs = {(entities[r.source].text, entities[r.target].text) for r in document.relations
             if r.type == "CO_DEFENDANT"}
    assert pairs == {("高永福", "何立明"), ("高永福", "赵某"), ("高永福", "王某"), ("高永福", "李某")}


def test_prosecutors_named_after_their_procuratorate_and_a_wife_named_by_her_husband() -> None:
    document = extract_text(
        "广东省深圳市南山区人民检察院\n起诉书\n深南检刑诉〔2022〕1562号\n"
        "原审被告人高玉梅，女，系孙德明之妻，在沈阳市第二十中学工作。"
        "乡宁县人民检察院检察员王国云、李晓军出庭支持公诉。\n此致\n深圳市南山区人民法院\n检察员　卢嘉欣\n")
    entities = document.entities
    employed = {(entities[r.source].text, entities[r.target].text) for r in document.relations
                if r.type == "EMPLOYED_BY"}
    assert employed == {("高玉梅", "沈阳市第二十中学"), ("王国云", "乡宁县人民检察院"), ("李晓军", "乡宁县人民检察院")}
