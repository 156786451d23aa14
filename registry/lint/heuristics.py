"""How the data-item rules recognise an item: by name, by `format`, and what a good value is.

Names are compared in lowercase snake_case
(`createdAt` → `created_at`). The patterns are the 行政基本情報データ連携モデル formats
(DM 1015-x) and TG 表2-7:

- date: `*_date`, `date`, `*_on`, `birthday`, `format: date` → `format: date`, YYYY-MM-DD
- date-time: `*_at`, `*_datetime`, `timestamp`, `format: date-time` → `format: date-time`
  with an explicit offset (`+09:00` or `Z`); era (和暦) names or `R6.4.1` forms are refused
- postal code: `postal_code`, `zip_code`, `zipcode`, `postcode`, `zip`, `*_postal_code` →
  a string with `pattern: ^\\d{7}$`
- phone: `tel`, `phone`, `phone_number`, `telephone`, `fax`, `*_tel`, `*_phone*`, `*_fax` →
  `(03)5253-5111`, `090-9999-9999`, `0120-999999`, `+81 (3)5253-5111`
- latitude/longitude: `latitude`, `lat`, `longitude`, `lon`, `lng`, `long` → numbers, side
  by side, with a `datum` (or `*_datum`, `crs`) sibling. A `latlng`/`lat_lon` string is a
  combined position; a `location`/`coordinates`/`position` string only when its examples or
  pattern look like "35.68,139.76" (a URL, `format: uri`, or free text such as a dateline is
  not a position)
- address: `address`, `*_address` (not mail/email/ip/web), `jusho` → starts with the
  prefecture, ASCII digits and hyphens for block numbers, a `building*` sibling
- codes: `language*`, `currency*`, `country*`, `sex`/`gender`, `prefecture_code`,
  municipality codes → ISO 639-1, ISO 4217, ISO 3166-1 alpha-2, ISO 5218 (0, 1, 2, 9),
  JIS X 0401 (`01`-`47`), JIS X 0402 (5 or 6 digits), as strings
"""

from __future__ import annotations

import re

DATE_NAME = re.compile(r"(?:^|_)date$|_on$|^birthday$")
DATETIME_NAME = re.compile(r"_at$|_datetime$|^datetime$|^timestamp$")
DATE_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_VALUE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$"
)
ERA = re.compile(r"令和|平成|昭和|大正|明治|^[RHSTM]\d{1,2}[./年]")

POSTAL_NAME = re.compile(
    r"^(?:postal_code|zip_code|zipcode|postcode|zip|postal|yubin_bango)$|_postal_code$"
)
POSTAL_PATTERNS = frozenset({r"^\d{7}$", r"^[0-9]{7}$"})
POSTAL_VALUE = re.compile(r"^\d{7}$")

PHONE_NAME = re.compile(
    r"^(?:tel|phone|phone_number|telephone|telephone_number|fax|fax_number|mobile)$|_tel$|_phone|_fax"
)
PHONE_VALUE = re.compile(
    r"^(?:\(0\d{1,4}\)\d{1,4}-\d{4}|0[5789]0-\d{4}-\d{4}|0(?:120|800)-\d{3}-?\d{3}"
    r"|\+\d{1,3} \(0?\d{1,4}\)\d{1,4}-\d{4})$"
)

LAT_NAMES = frozenset({"latitude", "lat"})
LON_NAMES = frozenset({"longitude", "lon", "lng", "long"})
DATUM_NAME = re.compile(r"(?:^|_)(?:datum|crs|geodetic_system)$")
COMBINED_POSITION = frozenset({"latlng", "lat_lng", "lat_lon", "latlon", "lnglat", "lonlat"})
MAYBE_POSITION = frozenset({"coordinates", "location", "position", "coords", "point"})
POSITION_VALUE = re.compile(r"^\s*[(\[]?-?\d{1,3}\.\d+\s*[,/ ]\s*-?\d{1,3}\.\d+[)\]]?\s*$")
POSITION_PATTERN = re.compile(r"\\d.*[,/ ].*\\d|\[0-9\].*[,/ ].*\[0-9\]")
NOT_POSITION_FORMATS = frozenset({"uri", "url", "uri-reference", "iri", "hostname", "email"})

ADDRESS_NAME = re.compile(r"^(?:address|jusho)$|(?<!mail)(?<!email)(?<!ip)(?<!web)_address$")
BUILDING_NAME = re.compile(r"building|katagaki|方書")
FULL_WIDTH_DIGITS = re.compile(r"[０-９－]")
_PREFECTURE_NAMES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県 東京都 "
    "神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県 滋賀県 "
    "京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県 香川県 "
    "愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
)
PREFECTURES = tuple(_PREFECTURE_NAMES.split())

# name pattern → (standard, a regular expression every code value must match)
CODE_STANDARDS: tuple[tuple[re.Pattern[str], str, re.Pattern[str]], ...] = (
    (
        re.compile(r"^(?:language|lang)(?:_code)?$|_language$"),
        "ISO 639-1",
        re.compile(r"^[a-z]{2}$"),
    ),
    (re.compile(r"^currency(?:_code)?$|_currency$"), "ISO 4217", re.compile(r"^[A-Z]{3}$")),
    (
        re.compile(r"^country(?:_code)?$|_country_code$"),
        "ISO 3166-1 alpha-2",
        re.compile(r"^[A-Z]{2}$"),
    ),
    (re.compile(r"^(?:sex|gender)(?:_code)?$"), "ISO 5218", re.compile(r"^[0129]$")),
    (
        re.compile(r"^prefecture_code$|_prefecture_code$"),
        "JIS X 0401",
        re.compile(r"^(?:0[1-9]|[1-3]\d|4[0-7])$"),
    ),
    (
        re.compile(r"^(?:municipality_code|city_code|lg_code|local_government_code)$"),
        "JIS X 0402",
        re.compile(r"^\d{5,6}$"),
    ),
)


def normalised(name: str) -> str:
    """`createdAt` and `Created-At` are judged as `created_at`."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def starts_with_prefecture(value: str) -> bool:
    return value.startswith(PREFECTURES)
