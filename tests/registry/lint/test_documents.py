"""Whole documents: the demo APIs, documents in the style of common public APIs, listings."""

from __future__ import annotations

import pytest

from registry.demo_apis import DEMO_DOCUMENTS
from registry.intake import default_slug, document_major_version, load_document
from registry.lint import is_open_data, lint_document, listing_fields, missing_listing_fields
from tests.registry.lint.documents import minimal_document

USERS_API = """
openapi: 3.0.3
info:
  title: Users API
  version: "1.1"
  description: Users of the service.
  termsOfService: https://example.com/tos
servers:
  - url: http://api.example.com/v1.1
paths:
  /getUsers:
    get:
      summary: List users
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: pageNumber, in: query, schema: {type: integer}}
        - {name: api_key, in: query, schema: {type: string}}
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema:
                type: array
                items: {$ref: "#/components/schemas/User"}
              example: [{userId: 1, zipCode: "100-0013", createdAt: "2024/04/01"}]
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
  schemas:
    User:
      type: object
      properties:
        userId: {type: integer}
        zipCode: {type: string, example: "100-0013"}
        createdAt: {type: string, example: "2024/04/01"}
security:
  - key: []
"""

GITHUB_STYLE = """
{
  "openapi": "3.1.0",
  "info": {"title": "Repos", "version": "2022-11-28", "license": {"name": "MIT"},
           "contact": {"url": "https://support.example.com"}},
  "servers": [{"url": "https://api.example.com"}],
  "paths": {
    "/repos/{owner}/{repo}/issues": {
      "get": {
        "operationId": "issues/list-for-repo",
        "parameters": [
          {"name": "owner", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "repo", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}},
          {"name": "page", "in": "query", "schema": {"type": "integer"}},
          {"name": "sort", "in": "query", "schema": {"enum": ["created", "updated"]}},
          {"name": "direction", "in": "query", "schema": {"enum": ["asc", "desc"]}}
        ],
        "responses": {
          "200": {"description": "Response", "content": {"application/json": {
            "schema": {"type": "array", "items": {"type": "object", "properties": {
              "html_url": {"type": "string"}, "created_at": {"type": "string"}}}}}}},
          "404": {"description": "Resource not found", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}}
        }
      }
    }
  }
}
"""


def _rules_at(report: object) -> set[tuple[str, str]]:
    return {(f.rule, f.path) for f in report.findings}  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", DEMO_DOCUMENTS, ids=lambda p: p.stem)
def test_demo_documents_lint_clean(path: object) -> None:
    doc = load_document(path.read_bytes())  # type: ignore[attr-defined]
    report = lint_document(doc)
    assert [f.message_en for f in report.findings] == []
    assert default_slug(doc) == path.stem  # type: ignore[attr-defined]
    assert document_major_version(doc) == "v1"
    assert missing_listing_fields(doc) == []


def test_only_the_postal_demo_is_open_data() -> None:
    flags = {p.stem: is_open_data(load_document(p.read_bytes())) for p in DEMO_DOCUMENTS}
    assert flags == {"houjin": False, "postal": True, "facilities": False}


def test_a_users_api_ignoring_the_conventions_gets_useful_findings() -> None:
    report = lint_document(load_document(USERS_API.encode()))
    found = _rules_at(report)
    user = "/components/schemas/User/properties"
    op = "/paths/~1getUsers/get"
    for expected in [
        ("ATG-URI-01", "/paths/~1getUsers"),
        ("ATG-URI-04", "/paths/~1getUsers"),
        ("ATG-URI-03", "/servers/0/url"),
        ("ATG-SEC-01", "/servers/0/url"),
        ("ATG-SEC-03", "/components/securitySchemes/key/in"),
        ("ATG-PRM-01", f"{op}/parameters/0/name"),
        ("ATG-PRM-06", f"{op}/parameters/1/name"),
        ("ATG-RSP-05", f"{op}/responses/200/content/application~1json/schema"),
        ("ATG-DOC-06", "/info/license"),
        ("ATG-DAT-01", f"{user}/zipCode"),
        ("DM-ZIP-01", f"{user}/zipCode"),
        ("ATG-DAT-02", f"{user}/createdAt"),
        ("ATG-DOC-08", f"{user}/userId"),
        ("REG-META-02", "/x-update-frequency"),
    ]:
        assert expected in found, expected
    # one defect, one finding: per_page and pageNumber are reported once each, at their names
    assert ("ATG-PRM-02", op) not in found
    assert not {r for r, p in found if p.startswith(f"{op}/parameters/") and r == "ATG-PRM-05"}
    assert report.score == 0


def test_a_github_style_api_gets_useful_findings() -> None:
    report = lint_document(load_document(GITHUB_STYLE.encode()))
    found = _rules_at(report)
    op = "/paths/~1repos~1{owner}~1{repo}~1issues/get"
    for expected in [
        ("ATG-URI-03", "/servers"),
        ("ATG-PRM-01", f"{op}/parameters/2/name"),
        ("ATG-ERR-01", f"{op}/responses/404"),
        ("ATG-DOC-03", op),
        ("ATG-DOC-04", f"{op}/responses/200/content/application~1json"),
        ("ATG-DOC-05", "/info/termsOfService"),
        ("REG-META-01", "/components/securitySchemes"),
        (
            "ATG-DAT-02",
            f"{op}/responses/200/content/application~1json/schema/items/properties/created_at",
        ),
    ]:
        assert expected in found, expected
    assert report.errors >= 4


def test_listing_fields_come_from_the_document() -> None:
    doc = minimal_document()
    doc["tags"] = [{"name": "図書館"}]
    fields = listing_fields(doc)
    assert fields["title"] == "図書館API"
    assert fields["servers"] == ["https://api.example.go.jp/libraries/v1"]
    assert fields["terms_of_service"] == "https://www.example.go.jp/terms"
    assert fields["license"] == {"name": "CC BY 4.0"}
    assert fields["auth_methods"] == ["oauth2 (clientCredentials)"]
    assert (fields["update_frequency"], fields["data_updated"]) == ("daily", "2024-04-01")
    assert (fields["keywords"], fields["tags"]) == (["図書館"], ["図書館"])
    assert fields["external_docs"] == {"url": "https://www.example.go.jp/docs"}
    assert (fields["open_data"], fields["personal_data"]) == (False, False)


def test_missing_listing_fields_names_what_publish_needs() -> None:
    doc = minimal_document()
    del doc["info"]["contact"], doc["servers"]
    doc["components"].pop("securitySchemes")
    assert missing_listing_fields(doc) == ["servers", "contact", "auth_methods"]
    doc["x-open-data"] = True
    assert missing_listing_fields(doc) == ["servers", "contact"]
