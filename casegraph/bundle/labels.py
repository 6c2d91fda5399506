"""Chinese labels for the readable renderings (HTML and PDF)."""

from __future__ import annotations

from typing import Final

from casegraph.regions import PROVINCES, region_of_code

ROLES: Final[dict[str, str]] = {
    "suspect": "犯罪嫌疑人", "defendant": "被告人", "victim": "被害人", "witness": "证人",
    "penalized_party": "被处罚人", "mentioned": "文书提及", "party": "当事人",
    "responsible_person": "直接责任人员", "subject": "风险提示对象", "lawyer": "辩护人/诉讼代理人", "judge": "审判人员",
    "juror": "人民陪审员", "prosecutor": "检察员", "clerk": "书记员/法官助理", "representative": "诉讼代表人",
}
DOCUMENT_KINDS: Final[dict[str, str]] = {
    "filing_decision": "立案决定书", "prosecution_recommendation": "起诉意见书", "indictment": "起诉书",
    "judgment": "判决书", "penalty_decision": "行政处罚决定书", "risk_alert": "风险提示函",
    "str_report": "可疑交易报告", "ledger": "银行流水", "unknown": "其他文书",
}
# Regions: CQ and SC by name, every other province by its two-digit code (names.region_of_code).
REGIONS: Final[dict[str, str]] = {region_of_code(code): words[0] for code, words in PROVINCES.items()}
IDENTIFIERS: Final[dict[str, str]] = {
    "ric": "身份证号", "uscc": "统一社会信用代码", "account": "账户", "phone": "手机号",
}
TYPOLOGIES: Final[dict[str, str]] = {
    "fan_in": "多对一集中转入", "fan_out": "一对多分散转出", "cycle": "资金回流",
    "shared_identifier": "共用标识", "control_network": "控制网络", "scatter_gather": "分散-集中",
    "gather_scatter": "集中-分散", "pass_through": "快进快出", "one_off_counterparties": "一次性对手",
}
DIRECTIONS: Final[dict[str, str]] = {"in": "转入", "out": "转出", "both": "双向"}
LABELS: Final[dict[str, str]] = {"Person": "自然人", "Organization": "单位"}


def label(table: dict[str, str], value: str | None) -> str:
    if value is None:
        return "—"
    return table.get(value, value)
