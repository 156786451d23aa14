"""False findings seen on real public documents, each rebuilt as a small document of our own.

Every test names the pattern it guards against; together with `cases.py` they keep the
linter precise enough to block publication.
"""

from __future__ import annotations

from typing import Any

from registry.lint import lint_document, listing_fields, report_lines, report_to_json
from registry.models import Finding, Severity
from tests.registry.lint.documents import (
    ITEM,
    LIBRARY,
    LIST,
    Doc,
    add_query,
    item_op,
    library_props,
    list_op,
    patched,
    rename_path,
)


def _rules(doc: Doc, rule: str) -> list[Finding]:
    return [f for f in lint_document(doc).findings if f.rule == rule]


def _paths(doc: Doc, rule: str) -> list[str]:
    return [f.path for f in _rules(doc, rule)]


# -- ATG-URI-03 / ATG-SEC-01: server variables, version in the base path ----------------------


def test_a_version_given_by_a_server_variable_default_counts() -> None:
    def patch(d: Doc) -> None:
        d["servers"] = [
            {
                "url": "https://api.example.go.jp/{version}",
                "variables": {"version": {"default": "v1", "enum": ["v1"]}},
            }
        ]

    assert _rules(patched(patch), "ATG-URI-03") == []
    assert _rules(patched(patch), "ATG-SEC-01") == []


def test_server_variable_enums_are_checked_too() -> None:
    def patch(d: Doc) -> None:
        d["servers"] = [
            {
                "url": "{scheme}://api.example.go.jp/{version}",
                "variables": {
                    "scheme": {"default": "https", "enum": ["https", "http"]},
                    "version": {"default": "v1", "enum": ["v1", "v1.1"]},
                },
            }
        ]

    doc = patched(patch)
    assert _paths(doc, "ATG-SEC-01") == ["/servers/0/url"]
    assert any("v1.1" in f.message_en for f in _rules(doc, "ATG-URI-03"))


def test_a_version_in_the_common_leading_path_segments_counts() -> None:
    def patch(d: Doc) -> None:
        d["servers"] = [{"url": "https://example.go.jp"}]
        rename_path(d, "/libraries", "/api/v1/libraries")
        rename_path(d, "/libraries/{library_id}", "/api/v1/libraries/{library_id}")

    assert _rules(patched(patch), "ATG-URI-03") == []


def test_a_version_in_only_some_paths_is_not_a_base_path_version() -> None:
    def patch(d: Doc) -> None:
        d["servers"] = [{"url": "https://example.go.jp/api"}]
        rename_path(d, "/libraries", "/v1/libraries")

    assert _paths(patched(patch), "ATG-URI-03") == ["/servers"]


def test_a_relative_server_url_is_told_to_be_absolute() -> None:
    found = _rules(patched(lambda d: d.__setitem__("servers", [{"url": "/v1"}])), "ATG-SEC-01")
    assert [f.path for f in found] == ["/servers/0/url"]
    assert "absolute https://" in found[0].message_en and "絶対URL" in found[0].message_ja


# -- ATG-ERR-01 / ATG-RSP-07: default-only operations -----------------------------------------


def test_a_default_only_operation_is_missing_a_success_response_not_a_problem_type() -> None:
    def patch(d: Doc) -> None:
        list_op(d)["responses"] = {"default": list_op(d)["responses"]["200"]}

    doc = patched(patch)
    assert _rules(doc, "ATG-ERR-01") == []
    assert _paths(doc, "ATG-RSP-07") == [f"{LIST}/responses"]
    assert "default" in _rules(doc, "ATG-RSP-07")[0].message_en


def test_a_default_beside_a_success_response_is_an_error_response() -> None:
    def patch(d: Doc) -> None:
        list_op(d)["responses"]["default"] = {
            "description": "失敗",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }

    assert _paths(patched(patch), "ATG-ERR-01") == [f"{LIST}/responses/default"]


# -- DM-GEO-01: type, format and shape, not the name alone ------------------------------------


def test_a_location_url_or_dateline_is_not_a_position() -> None:
    def patch(d: Doc) -> None:
        library_props(d).update(
            location={"type": "string", "format": "uri", "description": "所在地の地図"},
            dateline={"type": "string", "description": "発信地"},
        )
        library_props(d)["place"] = {"type": "string", "description": "所在地"}
        library_props(d)["location"]["example"] = "https://maps.example.go.jp/l1"
        d["components"]["schemas"]["news"] = {
            "type": "object",
            "description": "記事",
            "properties": {
                "location": {"type": "string", "description": "発信地", "example": "東京"}
            },
        }
        list_op(d)["responses"]["400"] = {
            "description": "x",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/news"}}},
        }

    assert _rules(patched(patch), "DM-GEO-01") == []


def test_a_location_that_holds_coordinates_is_a_combined_position() -> None:
    schema = {"type": "string", "description": "位置", "example": "35.6812,139.7671"}
    doc = patched(lambda d: library_props(d).__setitem__("location", schema))
    assert _paths(doc, "DM-GEO-01") == [f"{LIBRARY}/properties/location"]


# -- ATG-DOC-01: one finding per error, deepest pointer, Japanese first -----------------------


def test_each_wrong_default_is_its_own_finding_at_its_own_pointer() -> None:
    def patch(d: Doc) -> None:
        for n in range(5):
            library_props(d)[f"count_{n}"] = {
                "type": "integer",
                "description": "件数",
                "default": "many",
            }

    found = _rules(patched(patch), "ATG-DOC-01")
    assert sorted(f.path for f in found) == [
        f"{LIBRARY}/properties/count_{n}/default" for n in range(5)
    ]
    assert all(f.message_ja.split("(検証器")[0].count("型が違います") == 1 for f in found)


def test_a_wrong_field_inside_a_response_is_reported_where_it_is() -> None:
    found = _rules(
        patched(
            lambda d: d["paths"]["/libraries"]["get"]["responses"]["200"].update(description=5)
        ),
        "ATG-DOC-01",
    )
    assert [f.path for f in found] == [f"{LIST}/responses/200/description"]
    assert found[0].message_ja.startswith(f"{LIST}/responses/200/description が OpenAPI")


# -- ATG-URI-02: plurals by inflect, silent when unsure ---------------------------------------


def test_no_plural_is_suggested_where_the_linter_cannot_be_sure() -> None:
    def patch(d: Doc) -> None:
        item = d["paths"].pop("/libraries/{library_id}")
        for prefix in (
            *("resources.json", "to", "At", "Search", "nearby", "tosho", "API", "data"),
            *("personen", "vestiging", "comune", "kadastraalonroerendezaken"),
        ):
            d["paths"][f"/{prefix}/{{library_id}}"] = item

    assert _rules(patched(patch), "ATG-URI-02") == []


def test_a_singular_collection_gets_the_right_plural() -> None:
    def patch(d: Doc) -> None:
        rename_path(d, "/libraries/{library_id}", "/cityLibrary/{library_id}")
        d["paths"]["/category/{category_id}"] = {}

    messages = [f.message_en for f in _rules(patched(patch), "ATG-URI-02")]
    assert any("cityLibraries" in m for m in messages)
    assert any("categories" in m for m in messages)


# -- ATG-MTH-01: singleton resources -----------------------------------------------------------


def test_delete_on_a_singleton_resource_is_fine() -> None:
    def patch(d: Doc) -> None:
        d["paths"]["/account/profile"] = {
            "delete": {"responses": {"204": {"description": "削除"}}},
            "put": {"responses": {"200": {"description": "更新"}}},
        }

    assert _rules(patched(patch), "ATG-MTH-01") == []


# -- one defect, one finding -------------------------------------------------------------------


def test_a_missing_terms_of_service_is_one_finding() -> None:
    report = lint_document(patched(lambda d: d["info"].pop("termsOfService")))
    assert [(f.rule, f.path) for f in report.findings] == [("ATG-DOC-05", "/info/termsOfService")]
    assert report.score == 90


def test_per_page_is_one_finding() -> None:
    def patch(d: Doc) -> None:
        list_op(d)["parameters"][0] = {
            "name": "per_page",
            "in": "query",
            "schema": {"type": "integer", "default": 20},
        }

    report = lint_document(patched(patch))
    assert [(f.rule, f.path) for f in report.findings if f.severity is not Severity.INFO] == [
        ("ATG-PRM-01", f"{LIST}/parameters/0/name")
    ]


def test_page_size_synonyms_are_one_warning_each() -> None:
    for name in ("itemsPerPage", "maxResults", "pageSize", "rows"):
        doc = patched(lambda d, n=name: add_query(d, {"name": n, "schema": {"type": "integer"}}))
        found = [(f.rule, f.path) for f in lint_document(doc).findings]
        assert found == [("ATG-PRM-02", f"{LIST}/parameters/2/name")], (name, found)


# -- authentication: what the gateway enforces --------------------------------------------------


def test_an_api_key_header_fails_unless_the_api_is_open_data() -> None:
    def header_key(d: Doc) -> None:
        d["components"]["securitySchemes"] = {
            "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        }
        d["security"] = [{"key": []}]

    closed = lint_document(patched(header_key))
    assert [(f.rule, f.severity) for f in closed.findings] == [("ATG-SEC-03", Severity.ERROR)]
    assert "oauth2" in closed.findings[0].message_en and closed.score < 100

    def open_data(d: Doc) -> None:
        header_key(d)
        d["x-open-data"] = True

    assert lint_document(patched(open_data)).findings == ()


def test_the_listing_states_what_the_gateway_enforces() -> None:
    def header_key_only(d: Doc) -> None:
        d["components"]["securitySchemes"] = {
            "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
        }

    assert listing_fields(patched(header_key_only))["auth_methods"] == [
        "oauth2 (clientCredentials)"
    ]
    opened = patched(lambda d: d.__setitem__("x-open-data", True))
    assert listing_fields(opened)["auth_methods"] == [
        "oauth2 (clientCredentials)",
        "apiKey (header: X-API-Key)",
    ]


# -- the other extra checks ---------------------------------------------------------------------


def test_kml_offered_through_a_format_parameter() -> None:
    doc = patched(lambda d: add_query(d, {"name": "fmt", "schema": {"enum": ["geojson", "kml"]}}))
    assert _paths(doc, "ATG-RSP-04") == [f"{LIST}/parameters/2"]


def test_sex_codes_given_as_a_pattern() -> None:
    def patch(pattern: str) -> Any:
        schema = {"type": "string", "description": "性別", "pattern": pattern}
        return lambda d: library_props(d).__setitem__("sex", schema)

    assert _paths(patched(patch("^(M|F)$")), "ATG-DAT-03") == [f"{LIBRARY}/properties/sex"]
    assert _rules(patched(patch("^[0129]$")), "ATG-DAT-03") == []


def test_a_serialised_array_parameter_example_is_left_alone() -> None:
    schema = {"type": "array", "items": {"type": "number"}}
    doc = patched(lambda d: add_query(d, {"name": "bbox", "schema": schema, "example": "1,2,3,4"}))
    assert _rules(doc, "ATG-DOC-09") == []
    wrong = patched(lambda d: add_query(d, {"name": "bbox", "schema": schema, "example": [1, "x"]}))
    assert _paths(wrong, "ATG-DOC-09") == [f"{LIST}/parameters/2/example"]


# -- reports people can read -------------------------------------------------------------------


def test_swagger_2_gets_one_clear_error_and_nothing_else() -> None:
    doc = {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1.0"},
        "host": "api.example.go.jp",
        "securityDefinitions": {"key": {"type": "apiKey", "in": "header", "name": "K"}},
        "paths": {"/items": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    report = lint_document(doc)
    assert [(f.rule, f.path, f.severity) for f in report.findings] == [
        ("ATG-DOC-01", "/swagger", Severity.ERROR)
    ]
    assert "OpenAPI 3" in report.findings[0].message_en
    assert "変換" in report.findings[0].message_ja


def test_findings_are_sorted_by_severity_then_pointer() -> None:
    def patch(d: Doc) -> None:
        d["info"].pop("license")
        library_props(d)["name"].pop("description")
        item_op(d).pop("summary")
        list_op(d).pop("summary")

    report = lint_document(patched(patch))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(order[f.severity], f.path) for f in report.findings]
    assert keys == sorted(keys)
    assert report.findings[0].rule == "ATG-DOC-06"


def test_text_output_groups_repeated_findings_and_json_keeps_them_all() -> None:
    def patch(d: Doc) -> None:
        for n in range(12):
            library_props(d)[f"item{n}"] = {"type": "string"}

    report = lint_document(patched(patch))
    doc08 = [f for f in report.findings if f.rule == "ATG-DOC-08"]
    assert len(doc08) == 12
    lines = report_lines(report)
    shown = [line for line in lines if line.startswith("info    ATG-DOC-08  /")]
    assert len(shown) == 5
    assert any("and 7 more at" in line and "ほか 7 件" in line for line in lines)
    data = report_to_json(report)
    assert data["rule_counts"]["ATG-DOC-08"]["count"] == 12
    assert sum(1 for f in data["findings"] if f["rule"] == "ATG-DOC-08") == 12
    assert ITEM  # the fixture module's pointers stay importable for the cases table
