"""Realistic synthetic records for the three demo APIs (no real company's data).

- 法人情報: corporate numbers with valid check digits (国税庁's published algorithm).
- 郵便番号・住所: 7-digit postal codes without hyphen, JIS X 0401 prefecture codes and
  JIS X 0402 municipality codes (6 digits with the check digit).
- 公共施設: latitude/longitude as separate decimal degrees (6 places), JGD2011 datum beside them.
Field names follow the demo OpenAPI documents in `registry/demo_apis/`; generation is seeded, so
every run (and every test) sees the same records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from registry.demo_apis import corporate_number


@dataclass(frozen=True)
class Place:
    prefecture_code: str
    prefecture: str
    city: str
    municipality_code: str
    towns: tuple[tuple[str, str], ...]  # (town, town in katakana)
    centre: tuple[float, float]  # latitude, longitude (JGD2011)


PLACES: tuple[Place, ...] = (
    Place(
        "13",
        "東京都",
        "千代田区",
        "131016",
        (("霞が関", "カスミガセキ"), ("丸の内", "マルノウチ"), ("永田町", "ナガタチョウ")),
        (35.6812, 139.7671),
    ),
    Place(
        "13",
        "東京都",
        "港区",
        "131032",
        (("芝公園", "シバコウエン"), ("虎ノ門", "トラノモン"), ("六本木", "ロッポンギ")),
        (35.6581, 139.7514),
    ),
    Place(
        "27",
        "大阪府",
        "大阪市北区",
        "271276",
        (("梅田", "ウメダ"), ("中之島", "ナカノシマ"), ("天満", "テンマ")),
        (34.7025, 135.4959),
    ),
    Place(
        "23",
        "愛知県",
        "名古屋市中区",
        "231061",
        (("栄", "サカエ"), ("三の丸", "サンノマル"), ("丸の内", "マルノウチ")),
        (35.1709, 136.9066),
    ),
    Place(
        "01",
        "北海道",
        "札幌市中央区",
        "011011",
        (
            ("北一条西", "キタ1ジョウニシ"),
            ("大通西", "オオドオリニシ"),
            ("南一条西", "ミナミ1ジョウニシ"),
        ),
        (43.0621, 141.3544),
    ),
    Place(
        "40",
        "福岡県",
        "福岡市博多区",
        "401323",
        (("博多駅前", "ハカタエキマエ"), ("中洲", "ナカス"), ("祇園町", "ギオンマチ")),
        (33.5902, 130.4207),
    ),
    Place(
        "47",
        "沖縄県",
        "那覇市",
        "472018",
        (("泉崎", "イズミザキ"), ("久茂地", "クモジ"), ("松山", "マツヤマ")),
        (26.2124, 127.6809),
    ),
)
COMPANY_STEMS = (
    ("さくら", "サクラ"),
    ("つばめ", "ツバメ"),
    ("ひかり", "ヒカリ"),
    ("みなと", "ミナト"),
    ("あおば", "アオバ"),
    ("やまと", "ヤマト"),
    ("こだま", "コダマ"),
    ("はやぶさ", "ハヤブサ"),
)
COMPANY_KINDS = (
    ("301", "株式会社", True),
    ("305", "合同会社", False),
    ("401", "一般社団法人", False),
    ("499", "特定非営利活動法人", False),
)
FACILITY_KINDS = (
    ("library", "図書館", "トショカン"),
    ("gym", "体育館", "タイイクカン"),
    ("park", "公園", "コウエン"),
    ("museum", "博物館", "ハクブツカン"),
    ("shelter", "避難所", "ヒナンジョ"),
    ("city_hall", "区役所", "クヤクショ"),
)


def _postal_code(rng: random.Random, place: Place) -> str:
    first = {"13": 1, "27": 5, "23": 4, "01": 0, "40": 8, "47": 9}[place.prefecture_code]
    return f"{first}{rng.randrange(10**5, 10**6):06d}"


def _block(rng: random.Random, parts: int) -> str:
    """Block numbers as half-width digits and hyphens (DM-ADDR-01): `3-1-1`."""
    return "-".join(str(rng.randint(1, 20)) for _ in range(parts))


def _day(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"


NTA = {
    "corporate_number": "7000012050002",
    "name": "国税庁",
    "name_kana": "コクゼイチョウ",
    "kind": "101",
    "postal_code": "1008978",
    "prefecture_code": "13",
    "municipality_code": "131016",
    "address": "東京都千代田区霞が関3-1-1",
    "building_name": "中央合同庁舎第4号館",
    "updated_at": "2024-04-01T09:00:00+09:00",
}


def corporations(count: int = 40, seed: int = 1020) -> list[dict[str, Any]]:
    """国税庁's own public record first, then `count` synthetic corporations."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    rows: list[dict[str, Any]] = [dict(NTA)]
    for i in range(count):
        place = PLACES[i % len(PLACES)]
        town, _ = place.towns[i % len(place.towns)]
        kind_code, kind, prefix_kind = COMPANY_KINDS[i % len(COMPANY_KINDS)]
        stem, stem_kana = COMPANY_STEMS[rng.randrange(len(COMPANY_STEMS))]
        city = place.city[:2]
        name = f"{stem}{city}{kind}" if prefix_kind else f"{kind}{stem}{city}"
        rows.append(
            {
                "corporate_number": corporate_number(f"{rng.randrange(10**11, 10**12):012d}"),
                "name": name,
                "name_kana": f"{stem_kana}",
                "kind": kind_code,
                "postal_code": _postal_code(rng, place),
                "prefecture_code": place.prefecture_code,
                "municipality_code": place.municipality_code,
                "address": f"{place.prefecture}{place.city}{town}{_block(rng, 3)}",
                "building_name": f"{town}ビル{rng.randint(2, 12)}階",
                "updated_at": f"{_day(rng)}T09:00:00+09:00",
            }
        )
    return rows


def postal_addresses(seed: int = 1015) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    rows = []
    for place in PLACES:
        for town, town_kana in place.towns:
            rows.append(
                {
                    "postal_code": _postal_code(rng, place),
                    "prefecture_code": place.prefecture_code,
                    "municipality_code": place.municipality_code,
                    "prefecture": place.prefecture,
                    "city": place.city,
                    "town": town,
                    "address": f"{place.prefecture}{place.city}{town}",
                    "town_kana": town_kana,
                    "building_name": None,
                }
            )
    return rows


def facilities(seed: int = 441) -> list[dict[str, Any]]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    rows = []
    for i in range(24):
        place = PLACES[i % len(PLACES)]
        town, town_kana = place.towns[i % len(place.towns)]
        category, label, label_kana = FACILITY_KINDS[i % len(FACILITY_KINDS)]
        lat, lon = place.centre
        rows.append(
            {
                "facility_id": f"{place.municipality_code[:5]}-{category}-{i + 1:04d}",
                "name": f"{place.city}立{town}{label}",
                "name_kana": f"{town_kana}{label_kana}",
                "category": category,
                "prefecture_code": place.prefecture_code,
                "municipality_code": place.municipality_code,
                "postal_code": _postal_code(rng, place),
                "address": f"{place.prefecture}{place.city}{town}{_block(rng, 2)}",
                "building_name": None,
                "latitude": round(lat + rng.uniform(-0.02, 0.02), 6),
                "longitude": round(lon + rng.uniform(-0.02, 0.02), 6),
                "datum": "JGD2011",
                "tel": f"(0{rng.randint(3, 9)}){rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                "updated_on": _day(rng),
            }
        )
    return rows
