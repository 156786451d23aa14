"""The table of passing and failing cases, at least one of each for every rule id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.registry.lint.documents import (
    ITEM,
    LIBRARY,
    LIST,
    Doc,
    add_query,
    item_op,
    library_props,
    list_op,
    rename_path,
)

JSON = "application~1json"
Q = f"{LIST}/parameters/2"  # the query parameter add_query appends


@dataclass(frozen=True)
class Case:
    rule: str
    patch: Callable[[Doc], Any]
    pointer: str | None = None  # None: a passing case (no finding of this rule)
    severity: str | None = None
    name: str = ""

    @property
    def fails(self) -> bool:
        return self.pointer is not None


def ok(rule: str, patch: Callable[[Doc], Any], name: str = "") -> Case:
    return Case(rule, patch, None, None, name)


def bad(rule: str, patch: Callable[[Doc], Any], pointer: str, severity: str | None = None) -> Case:
    return Case(rule, patch, pointer, severity)


def _set(target: Callable[[Doc], Doc], key: str, value: Any) -> Callable[[Doc], None]:
    return lambda d: target(d).__setitem__(key, value)


def _del(target: Callable[[Doc], Doc], key: str) -> Callable[[Doc], None]:
    return lambda d: target(d).pop(key)


def _info(d: Doc) -> Doc:
    return d["info"]  # type: ignore[no-any-return]


def _root(d: Doc) -> Doc:
    return d


def _prop(name: str, schema: Doc) -> Callable[[Doc], None]:
    return lambda d: library_props(d).__setitem__(name, {"description": "項目", **schema})


def _props(**schemas: Doc) -> Callable[[Doc], None]:
    return lambda d: library_props(d).update(
        {k: {"description": "項目", **v} for k, v in schemas.items()}
    )


def _list_200(d: Doc) -> Doc:
    return list_op(d)["responses"]["200"]  # type: ignore[no-any-return]


def _list_media(d: Doc) -> Doc:
    return _list_200(d)["content"]["application/json"]  # type: ignore[no-any-return]


def _add_media(kind: str, **extra: Any) -> Callable[[Doc], None]:
    def patch(d: Doc) -> None:
        item_op(d)["responses"]["200"]["content"][kind] = {"example": "x"}
        item_op(d).update(extra)

    return patch


def _problem_ref() -> Doc:
    return {"$ref": "#/components/responses/problem"}


def _server(url: str) -> Callable[[Doc], None]:
    return lambda d: d.__setitem__("servers", [{"url": url}])


def _version_in_paths(d: Doc) -> None:
    d["servers"] = [{"url": "https://api.example.go.jp/libraries"}]
    rename_path(d, "/libraries", "/v1/libraries")
    rename_path(d, "/libraries/{library_id}", "/v1/libraries/{library_id}")


def _problem(d: Doc) -> Doc:
    return d["components"]["schemas"]["problem"]  # type: ignore[no-any-return]


def _wide_library(d: Doc) -> None:
    library_props(d).update(
        {f"item_{n}": {"type": "string", "description": "項目"} for n in range(10)}
    )


def _array_query(**extra: Any) -> Callable[[Doc], None]:
    schema = {"type": "array", "items": {"type": "string"}}
    return lambda d: add_query(d, {"name": "kinds", "schema": schema, **extra})


CASES: tuple[Case, ...] = (
    ok("ATG-DOC-01", lambda d: d.__setitem__("openapi", "3.1.0"), "openapi 3.1"),
    bad("ATG-DOC-01", lambda d: d.__setitem__("openapi", "2.0"), "/openapi"),
    bad("ATG-DOC-01", _del(_info, "version"), "/info"),
    bad(
        "ATG-DOC-01",
        _set(list_op, "parameters", [{"$ref": "#/nowhere"}]),
        f"{LIST}/parameters/0/$ref",
    ),
    ok("ATG-DOC-02", lambda d: None),
    bad("ATG-DOC-02", _set(_info, "description", "  "), "/info/description"),
    ok("ATG-DOC-03", lambda d: list_op(d).update(summary="", description="説明")),
    bad("ATG-DOC-03", _del(list_op, "summary"), LIST),
    ok("ATG-DOC-04", lambda d: _list_media(d).update(schema={"type": "object", "example": {}})),
    bad("ATG-DOC-04", _del(_list_media, "examples"), f"{LIST}/responses/200/content/{JSON}"),
    ok("ATG-DOC-05", lambda d: None),
    bad("ATG-DOC-05", _del(_info, "termsOfService"), "/info/termsOfService"),
    ok("ATG-DOC-06", lambda d: None),
    bad("ATG-DOC-06", _del(_info, "license"), "/info/license"),
    ok("ATG-DOC-07", _set(_info, "contact", {"url": "https://www.example.go.jp/contact"})),
    ok("ATG-DOC-07", _del(_info, "contact"), "absent contact is REG-META-01's"),
    bad("ATG-DOC-07", _set(_info, "contact", {"name": "担当"}), "/info/contact"),
    ok("ATG-DOC-08", lambda d: None),
    bad(
        "ATG-DOC-08",
        lambda d: library_props(d)["name"].pop("description"),
        f"{LIBRARY}/properties/name",
    ),
    ok("ATG-URI-01", lambda d: rename_path(d, "/libraries", "/postal_codes"), "post is no verb"),
    bad(
        "ATG-URI-01",
        lambda d: rename_path(d, "/libraries", "/get_libraries"),
        "/paths/~1get_libraries",
    ),
    ok("ATG-URI-02", lambda d: None),
    bad(
        "ATG-URI-02",
        lambda d: rename_path(d, "/libraries/{library_id}", "/library/{library_id}"),
        "/paths/~1library~1{library_id}",
        "info",
    ),
    ok("ATG-URI-03", _version_in_paths, "version in every path"),
    bad("ATG-URI-03", _server("https://api.example.go.jp/libraries/v1.1"), "/servers/0/url"),
    bad("ATG-URI-03", _server("https://api.example.go.jp/libraries"), "/servers"),
    ok("ATG-URI-04", lambda d: rename_path(d, "/libraries", "/city_libraries")),
    bad(
        "ATG-URI-04",
        lambda d: rename_path(d, "/libraries", "/cityLibraries"),
        "/paths/~1cityLibraries",
    ),
    bad(
        "ATG-URI-04",
        lambda d: rename_path(d, "/libraries", "/city-libraries"),
        "/paths/~1city-libraries",
    ),
    ok("ATG-URI-05", lambda d: None),
    bad("ATG-URI-05", lambda d: rename_path(d, "/libraries", "/図書館"), "/paths/~1図書館"),
    bad(
        "ATG-URI-05", lambda d: rename_path(d, "/libraries", "/tosho%20kan"), "/paths/~1tosho%20kan"
    ),
    ok("ATG-URI-06", lambda d: None),
    bad(
        "ATG-URI-06",
        lambda d: rename_path(d, "/libraries", "/libraries/2011/desc"),
        "/paths/~1libraries~12011~1desc",
    ),
    ok("ATG-URI-07", lambda d: None),
    bad("ATG-URI-07", _set(item_op, "parameters", []), ITEM),
    bad("ATG-URI-07", lambda d: add_query(d, {"name": "x", "in": "path", "required": True}), Q),
    ok(
        "ATG-URI-08",
        lambda d: add_query(d, {"name": "type", "schema": {"enum": ["public", "school"]}}),
    ),
    bad(
        "ATG-URI-08",
        lambda d: add_query(d, {"name": "format", "schema": {"enum": ["json", "xml"]}}),
        Q,
    ),
    ok(
        "ATG-MTH-01",
        lambda d: d["paths"]["/libraries"].update(
            post={"summary": "作成", "requestBody": {"content": {}}, "responses": {}}
        ),
    ),
    bad("ATG-MTH-01", _set(list_op, "requestBody", {"content": {}}), f"{LIST}/requestBody"),
    bad(
        "ATG-MTH-01",
        lambda d: d["paths"]["/libraries"].update(delete={"responses": {}}),
        "/paths/~1libraries/delete",
    ),
    ok("ATG-PRM-01", lambda d: None),
    bad("ATG-PRM-01", lambda d: add_query(d, {"name": "per_page"}), f"{Q}/name"),
    ok(
        "ATG-PRM-02",
        lambda d: list_op(d)["parameters"].__setitem__(
            1, {"name": "page", "in": "query", "schema": {"type": "integer"}}
        ),
    ),
    bad("ATG-PRM-02", lambda d: list_op(d)["parameters"].pop(1), LIST),
    bad("ATG-PRM-02", lambda d: add_query(d, {"name": "page_size"}), f"{Q}/name"),
    ok("ATG-PRM-03", lambda d: None),
    bad(
        "ATG-PRM-03",
        lambda d: d["components"]["parameters"]["limit"]["schema"].update(default=500),
        "/components/parameters/limit/schema",
    ),
    ok(
        "ATG-PRM-04",
        lambda d: (
            _wide_library(d),
            add_query(d, {"name": "fields"}),
            item_op(d)["parameters"].append(
                {"name": "fields", "in": "query", "schema": {"type": "string"}}
            ),
        ),
    ),
    bad("ATG-PRM-04", _wide_library, ITEM),
    ok("ATG-PRM-05", lambda d: add_query(d, {"name": "library_name"})),
    bad("ATG-PRM-05", lambda d: add_query(d, {"name": "libraryName"}), f"{Q}/name"),
    ok("ATG-PRM-06", lambda d: add_query(d, {"name": "sort"})),
    bad("ATG-PRM-06", lambda d: add_query(d, {"name": "order_by"}), f"{Q}/name", "info"),
    ok("ATG-PRM-07", _array_query(style="form", explode=False)),
    bad("ATG-PRM-07", _array_query(), Q, "info"),
    ok(
        "ATG-RSP-01",
        lambda d: _list_200(d)["content"].__setitem__(
            "application/json; charset=utf-8", {"example": {}}
        ),
    ),
    bad(
        "ATG-RSP-01",
        _add_media("application/json; charset=Shift_JIS"),
        f"{ITEM}/responses/200/content/application~1json; charset=Shift_JIS",
    ),
    ok("ATG-RSP-02", _add_media("text/csv")),
    bad(
        "ATG-RSP-02",
        lambda d: item_op(d)["responses"]["200"].update(content={"text/csv": {"example": "a"}}),
        f"{ITEM}/responses/200/content",
    ),
    ok("ATG-RSP-03", _add_media("application/zip", **{"x-official-document": True})),
    bad(
        "ATG-RSP-03",
        _add_media("application/zip"),
        f"{ITEM}/responses/200/content/application~1zip",
    ),
    ok("ATG-RSP-04", _add_media("application/geo+json")),
    bad(
        "ATG-RSP-04",
        _add_media("application/vnd.google-earth.kml+xml"),
        f"{ITEM}/responses/200/content/application~1vnd.google-earth.kml+xml",
    ),
    ok("ATG-RSP-05", lambda d: None),
    bad(
        "ATG-RSP-05",
        _set(_list_media, "schema", {"type": "array", "items": {}}),
        f"{LIST}/responses/200/content/{JSON}/schema",
    ),
    bad(
        "ATG-RSP-05",
        lambda d: d["components"]["schemas"]["library_list"]["properties"].pop("metadata"),
        "/components/schemas/library_list",
    ),
    ok("ATG-RSP-06", lambda d: None),
    bad(
        "ATG-RSP-06",
        _set(_list_200, "description", "エラーの場合も200で返します"),
        f"{LIST}/responses/200",
    ),
    ok("ATG-ERR-01", lambda d: None),
    bad(
        "ATG-ERR-01",
        lambda d: item_op(d)["responses"].__setitem__(
            "404", {"description": "なし", "content": {"application/json": {}}}
        ),
        f"{ITEM}/responses/404",
    ),
    ok("ATG-ERR-02", lambda d: None),
    bad("ATG-ERR-02", _set(_problem, "required", []), "/components/schemas/problem"),
    bad(
        "ATG-ERR-02",
        lambda d: _problem(d)["properties"].pop("detail"),
        "/components/schemas/problem",
        "warning",
    ),
    ok(
        "ATG-ERR-03",
        lambda d: list_op(d)["responses"].update({"default": list_op(d)["responses"].pop("500")}),
    ),
    bad("ATG-ERR-03", lambda d: list_op(d)["responses"].pop("500"), f"{LIST}/responses", "info"),
    ok("ATG-DAT-01", _prop("city_name", {"type": "string"})),
    bad("ATG-DAT-01", _prop("cityName", {"type": "string"}), f"{LIBRARY}/properties/cityName"),
    ok(
        "ATG-DAT-02",
        _prop("opened_date", {"type": "string", "format": "date", "example": "2024-04-01"}),
    ),
    bad(
        "ATG-DAT-02",
        _prop("opened_date", {"type": "string", "example": "2024/04/01"}),
        f"{LIBRARY}/properties/opened_date",
    ),
    bad(
        "ATG-DAT-02",
        _prop(
            "updated_at",
            {"type": "string", "format": "date-time", "example": "2024-04-01T09:00:00"},
        ),
        f"{LIBRARY}/properties/updated_at",
    ),
    bad(
        "ATG-DAT-02",
        _prop("founded", {"type": "string", "example": "令和6年4月1日"}),
        f"{LIBRARY}/properties/founded",
    ),
    ok("ATG-DAT-03", _prop("prefecture_code", {"type": "string", "example": "13"})),
    bad(
        "ATG-DAT-03",
        _prop("prefecture_code", {"type": "integer", "example": 13}),
        f"{LIBRARY}/properties/prefecture_code",
        "info",
    ),
    bad(
        "ATG-DAT-03",
        _prop("currency", {"type": "string", "enum": ["JPY", "yen"]}),
        f"{LIBRARY}/properties/currency",
        "info",
    ),
    ok(
        "DM-ZIP-01",
        _prop("postal_code", {"type": "string", "pattern": r"^\d{7}$", "example": "1000013"}),
    ),
    bad(
        "DM-ZIP-01",
        _prop("postal_code", {"type": "string", "example": "100-0013"}),
        f"{LIBRARY}/properties/postal_code",
    ),
    ok("DM-TEL-01", _prop("tel", {"type": "string", "example": "(03)5253-5111"})),
    bad(
        "DM-TEL-01",
        _prop("tel", {"type": "string", "example": "03-5253-5111(代表)"}),
        f"{LIBRARY}/properties/tel",
        "info",
    ),
    ok(
        "DM-GEO-01",
        _props(latitude={"type": "number"}, longitude={"type": "number"}, datum={"type": "string"}),
    ),
    bad(
        "DM-GEO-01",
        _props(latitude={"type": "number"}, longitude={"type": "number"}),
        f"{LIBRARY}/properties/latitude",
    ),
    bad(
        "DM-GEO-01",
        _props(lat={"type": "string"}, lng={"type": "string"}, datum={"type": "string"}),
        f"{LIBRARY}/properties/lat",
    ),
    ok(
        "DM-ADDR-01",
        _props(
            address={"type": "string", "example": "東京都千代田区霞が関2-1-6"},
            building_name={"type": "string"},
        ),
    ),
    bad(
        "DM-ADDR-01",
        _props(
            address={"type": "string", "example": "千代田区霞が関２丁目１番６号"},
            building_name={"type": "string"},
        ),
        f"{LIBRARY}/properties/address",
        "info",
    ),
    ok("ATG-SEC-01", lambda d: None),
    bad("ATG-SEC-01", _server("http://api.example.go.jp/libraries/v1"), "/servers/0/url"),
    ok("ATG-SEC-02", lambda d: (d.pop("security"), d.__setitem__("x-open-data", True))),
    bad("ATG-SEC-02", lambda d: d.pop("security"), LIST),
    ok(
        "ATG-SEC-03",
        lambda d: (
            d.__setitem__("x-open-data", True),
            d["components"]["securitySchemes"].update(
                key={"type": "apiKey", "in": "header", "name": "X-API-Key"}
            ),
        ),
        "header key on open data",
    ),
    bad(
        "ATG-SEC-03",
        lambda d: d["components"]["securitySchemes"].update(
            key={"type": "apiKey", "in": "header", "name": "X-API-Key"}
        ),
        "/components/securitySchemes/key",
    ),
    bad(
        "ATG-SEC-03",
        lambda d: d["components"]["securitySchemes"].update(
            basic={"type": "http", "scheme": "basic"}
        ),
        "/components/securitySchemes/basic",
    ),
    bad(
        "ATG-SEC-03",
        lambda d: d["components"]["securitySchemes"].update(
            key={"type": "apiKey", "in": "query", "name": "key"}
        ),
        "/components/securitySchemes/key/in",
    ),
    ok("ATG-SEC-04", _set(_root, "x-personal-data", True)),
    bad(
        "ATG-SEC-04",
        lambda d: (
            d.__setitem__("x-personal-data", True),
            d["components"]["securitySchemes"].update(
                oauth2={"type": "apiKey", "in": "header", "name": "X-API-Key"}
            ),
        ),
        "/components/securitySchemes",
    ),
    ok(
        "REG-META-01",
        lambda d: (
            d.pop("security"),
            d["components"].pop("securitySchemes"),
            d.__setitem__("x-open-data", True),
        ),
    ),
    bad("REG-META-01", _set(_info, "title", " "), "/info/title"),
    bad("REG-META-01", _del(_info, "contact"), "/info/contact"),
    bad(
        "REG-META-01",
        lambda d: d["components"].pop("securitySchemes"),
        "/components/securitySchemes",
    ),
    bad("REG-META-01", lambda d: d.pop("servers"), "/servers"),
    ok("REG-META-02", lambda d: (d.pop("x-keywords"), d.__setitem__("tags", [{"name": "図書館"}]))),
    bad("REG-META-02", _del(_root, "x-update-frequency"), "/x-update-frequency"),
    bad("REG-META-02", _set(_root, "x-data-updated", "R6.4.1"), "/x-data-updated"),
    ok("REG-META-03", _set(_root, "x-slo", {"availability": 99.5, "latency_p95_ms": 500})),
    bad("REG-META-03", _set(_root, "x-slo", {"availability": 100}), "/x-slo/availability"),
    bad("REG-META-03", _set(_root, "x-slo", "99.9%"), "/x-slo"),
    ok("ATG-DOC-09", lambda d: None),
    bad(
        "ATG-DOC-09",
        lambda d: item_op(d)["responses"]["200"]["content"]["application/json"].update(
            example={"library_id": 1}
        ),
        f"{ITEM}/responses/200/content/{JSON}/example",
    ),
    bad(
        "ATG-DOC-09",
        _prop("floors", {"type": "integer", "example": "三階"}),
        f"{LIBRARY}/properties/floors/example",
    ),
    ok("ATG-DOC-10", _prop("kind", {"type": "integer", "enum": [1, 2]})),
    ok("ATG-DOC-10", _prop("kind", {"type": "string", "nullable": True, "enum": ["a", None]})),
    bad(
        "ATG-DOC-10",
        _prop("kind", {"type": "integer", "enum": ["1", "2"]}),
        f"{LIBRARY}/properties/kind/enum",
    ),
    ok("ATG-DOC-11", lambda d: None),
    bad("ATG-DOC-11", _del(list_op, "operationId"), LIST),
    ok(
        "ATG-DOC-12",
        lambda d: (
            d.__setitem__("tags", [{"name": "図書館", "description": "図書館"}]),
            list_op(d).__setitem__("tags", ["図書館"]),
        ),
    ),
    bad("ATG-DOC-12", _set(list_op, "tags", ["図書館"]), f"{LIST}/tags/0", "info"),
    ok("ATG-DOC-13", lambda d: None),
    bad(
        "ATG-DOC-13",
        lambda d: d["components"]["schemas"].update(old_library={"type": "object"}),
        "/components/schemas/old_library",
        "info",
    ),
    bad(
        "ATG-DOC-13",
        lambda d: d["components"]["securitySchemes"].update(
            spare={"type": "http", "scheme": "bearer"}
        ),
        "/components/securitySchemes/spare",
        "info",
    ),
    ok("ATG-URI-09", lambda d: None),
    bad(
        "ATG-URI-09", lambda d: rename_path(d, "/libraries", "/libraries/"), "/paths/~1libraries~1"
    ),
    bad("ATG-URI-09", _server("https://api.example.go.jp/libraries/v1/"), "/servers/0/url"),
    ok("ATG-URI-10", lambda d: None),
    bad(
        "ATG-URI-10",
        lambda d: d["paths"].__setitem__("/libraries/{id}", d["paths"]["/libraries/{library_id}"]),
        "/paths/~1libraries~1{id}",
    ),
    ok("ATG-RSP-07", lambda d: None),
    ok("ATG-RSP-07", lambda d: list_op(d)["responses"].update(default=_problem_ref()), "default"),
    bad(
        "ATG-RSP-07",
        _set(list_op, "responses", {"default": {"description": "一覧"}}),
        f"{LIST}/responses",
    ),
    ok(
        "ATG-SEC-05",
        lambda d: (
            _prop("birth_date", {"type": "string", "format": "date"})(d),
            d.__setitem__("x-personal-data", True),
        ),
    ),
    bad(
        "ATG-SEC-05",
        _prop("birth_date", {"type": "string", "format": "date"}),
        "/x-personal-data",
        "info",
    ),
)
