"""Who took part in the crime as published judgments list them: 伙同 with posts across commas, 同案人
lists, （均已判刑） after a list, and one role per person (an accomplice who testifies stays a suspect).
Sentences in the style of the LeCaRDv2 judgments outside both gold parts; the people are made up."""

from __future__ import annotations

from casegraph.ingest.extract import extract_text


def test_accomplices_lists_and_one_role_per_person() -> None:
    document = extract_text(
        "某县人民法院刑事判决书（2016）云25刑终101号：被告人高永福利用担任林场场长的职务便利，"
        "伙同时任林场党支部书记的何立明，副场长赵某、王某，报账员李某贪污抚育费人民币5万元。"
        "被告人高永福与同案人沈国贵、黄海能、刘跃进等人商议。"
        "以陈晓彬为经理，黄强海为总监（均已判刑），设置窝点。证人黄强海、方志诚的证言。")
    entities = document.entities
    roles = {(entities[r.source].text, r.role) for r in document.relations if r.type == "ROLE_IN"}
    assert roles == {("高永福", "defendant"), ("何立明", "suspect"), ("赵某", "suspect"), ("王某", "suspect"),
                     ("李某", "suspect"), ("沈国贵", "suspect"), ("黄海能", "suspect"), ("刘跃进", "suspect"),
                     ("陈晓彬", "suspect"), ("黄强海", "suspect"), ("方志诚", "witness")}
    pairs = {(entities[r.source].text, entities[r.target].text) for r in document.relations
             if r.type == "CO_DEFENDANT"}
    assert pairs == {("高永福", "何立明"), ("高永福", "赵某"), ("高永福", "王某"), ("高永福", "李某")}
