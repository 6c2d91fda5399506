"""China's provinces as case files name them, and the region codes casegraph stores.

Kept apart from `names` (which loads pinyin dictionaries) so that resolution and the bundles can
read a case number's province without that cost.
"""

from __future__ import annotations

PROVINCES: dict[str, tuple[str, ...]] = {
    "11": ("北京", "京"), "12": ("天津", "津"), "13": ("河北", "冀"), "14": ("山西", "晋"), "15": ("内蒙古", "蒙"),
    "21": ("辽宁", "辽"), "22": ("吉林", "吉"), "23": ("黑龙江", "黑"), "31": ("上海", "沪"), "32": ("江苏", "苏"),
    "33": ("浙江", "浙"), "34": ("安徽", "皖"), "35": ("福建", "闽"), "36": ("江西", "赣"), "37": ("山东", "鲁"),
    "41": ("河南", "豫"), "42": ("湖北", "鄂"), "43": ("湖南", "湘"), "44": ("广东", "粤"), "45": ("广西", "桂"),
    "46": ("海南", "琼"), "50": ("重庆", "渝"), "51": ("四川", "川", "蜀"), "52": ("贵州", "黔", "贵"),
    "53": ("云南", "滇", "云"), "54": ("西藏", "藏"), "61": ("陕西", "陕", "秦"), "62": ("甘肃", "甘", "陇"),
    "63": ("青海", "青"), "64": ("宁夏", "宁"), "65": ("新疆", "新"),
}
_REGION_OF_CODE = {"50": "CQ", "51": "SC"}
# The one-character abbreviation each province's courts, procuratorates and police put first in a
# case number (沪0109刑初…, 京公…): the first abbreviation of each province above.
PROVINCE_OF_ABBREVIATION: dict[str, str] = {words[1]: code for code, words in PROVINCES.items()}


def region_of_code(code: str) -> str:
    """A province's region as casegraph stores it: CQ and SC by name, the others by their two digits."""
    return _REGION_OF_CODE.get(code, code)


def parse_region(text: str) -> str | None:
    """A region as an operator types it (CQ, sc, 31, 上海, 沪) in the stored form; None when unknown."""
    text = text.strip()
    if text.upper() in ("CQ", "SC"):
        return text.upper()
    for code, words in PROVINCES.items():
        if text == code or text in words or text in (f"{words[0]}省", f"{words[0]}市"):
            return region_of_code(code)
    return None
