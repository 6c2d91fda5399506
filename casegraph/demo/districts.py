"""Real county-level administrative divisions of Chongqing (50xxxx) and Sichuan (51xxxx).

The codes are the ones printed in resident IDs and USCCs (GB/T 2260); the generator draws
birthplaces, registrations, courts and addresses from this table so that every identifier
carries a region a resolver can read back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str
    city: str  # the prefecture-level city, empty for Chongqing's districts

    @property
    def region(self) -> str:
        return "CQ" if self.code.startswith("50") else "SC"

    @property
    def province(self) -> str:
        return "重庆市" if self.region == "CQ" else "四川省"

    @property
    def full_name(self) -> str:
        """How an address or court name begins: 重庆市渝北区, 四川省成都市锦江区."""
        return f"{self.province}{self.city}{self.name}"

    @property
    def local_name(self) -> str:
        """The name without the province: 渝北区 for Chongqing, 成都市锦江区 for Sichuan."""
        return f"{self.city}{self.name}" if self.city else f"重庆市{self.name}"


_CQ: Final[tuple[tuple[str, str], ...]] = (
    ("500101", "万州区"), ("500102", "涪陵区"), ("500103", "渝中区"), ("500104", "大渡口区"),
    ("500105", "江北区"), ("500106", "沙坪坝区"), ("500107", "九龙坡区"), ("500108", "南岸区"),
    ("500109", "北碚区"), ("500110", "綦江区"), ("500111", "大足区"), ("500112", "渝北区"),
    ("500113", "巴南区"), ("500114", "黔江区"), ("500115", "长寿区"), ("500116", "江津区"),
    ("500117", "合川区"), ("500118", "永川区"), ("500119", "南川区"), ("500120", "璧山区"),
    ("500151", "铜梁区"), ("500152", "潼南区"), ("500153", "荣昌区"), ("500154", "开州区"),
    ("500155", "梁平区"), ("500156", "武隆区"),
)

_SC: Final[tuple[tuple[str, str, str], ...]] = (
    ("510104", "锦江区", "成都市"), ("510105", "青羊区", "成都市"), ("510106", "金牛区", "成都市"),
    ("510107", "武侯区", "成都市"), ("510108", "成华区", "成都市"), ("510112", "龙泉驿区", "成都市"),
    ("510113", "青白江区", "成都市"), ("510114", "新都区", "成都市"), ("510115", "温江区", "成都市"),
    ("510116", "双流区", "成都市"), ("510117", "郫都区", "成都市"), ("510121", "金堂县", "成都市"),
    ("510129", "大邑县", "成都市"), ("510131", "蒲江县", "成都市"), ("510181", "都江堰市", "成都市"),
    ("510182", "彭州市", "成都市"), ("510183", "邛崃市", "成都市"), ("510184", "崇州市", "成都市"),
    ("510302", "自流井区", "自贡市"), ("510402", "东区", "攀枝花市"), ("510502", "江阳区", "泸州市"),
    ("510603", "旌阳区", "德阳市"), ("510703", "涪城区", "绵阳市"), ("510704", "游仙区", "绵阳市"),
    ("510781", "江油市", "绵阳市"), ("510802", "利州区", "广元市"), ("510903", "船山区", "遂宁市"),
    ("511002", "市中区", "内江市"), ("511102", "市中区", "乐山市"), ("511302", "顺庆区", "南充市"),
    ("511402", "东坡区", "眉山市"), ("511502", "翠屏区", "宜宾市"), ("511602", "广安区", "广安市"),
    ("511702", "通川区", "达州市"), ("511802", "雨城区", "雅安市"), ("511902", "巴州区", "巴中市"),
    ("512002", "雁江区", "资阳市"),
)

DISTRICTS: Final[tuple[District, ...]] = (
    *(District(code, name, "") for code, name in _CQ),
    *(District(code, name, city) for code, name, city in _SC),
)
BY_CODE: Final[dict[str, District]] = {d.code: d for d in DISTRICTS}
BY_REGION: Final[dict[str, tuple[District, ...]]] = {
    region: tuple(d for d in DISTRICTS if d.region == region) for region in ("CQ", "SC")
}
REGION_PREFIX: Final[dict[str, str]] = {"CQ": "渝", "SC": "川"}

# Street-level pieces: real-sounding road stems; the generator adds 路/街/大道 and numbers.
ROAD_STEMS: Final[tuple[str, ...]] = (
    "人民", "解放", "民族", "新华", "建设", "中山", "长江", "嘉陵江", "金龙", "龙溪", "红锦", "天府",
    "蜀都", "春熙", "科华", "玉林", "桐梓林", "光华", "青龙", "府河", "锦华", "沙河", "学府", "望江",
    "滨江", "南坪", "杨家坪", "石桥铺", "观音桥", "鸿恩", "金开", "星光", "黄山", "龙湖", "融汇", "大坪",
    "朝天门", "白沙", "东环", "西环", "凤凰", "华兴", "文化", "工农", "和平", "育才", "花园", "翠柏",
)
ROAD_SUFFIXES: Final[tuple[str, ...]] = ("路", "街", "大道", "北路", "南路", "东路", "西路", "中路", "巷")
ESTATE_WORDS: Final[tuple[str, ...]] = (
    "花园", "小区", "家园", "公寓", "名苑", "国际", "广场", "大厦", "新城", "雅居", "华府", "苑",
)
