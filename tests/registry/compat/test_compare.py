"""Compatibility checks, one case per change kind (oasdiff's categories, ADR 0023), on a
`$ref`-heavy document: each edit must be reported with its kind and JSON pointer, and a
breaking kind must make the whole report incompatible."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from registry.compat import CHANGE_KINDS, compare
from registry.lifecycle import compatibility
from tests.registry.compat.documents import Edit, edited, params, published, schemas

Doc = dict[str, Any]


@dataclass(frozen=True)
class Case:
    kind: str
    edit: Edit
    pointer: str
    before: Edit | None = None  # an edit of the published side, when the case needs one


def _nothing(doc: Doc) -> None:
    """The document as published."""


def _set(path: str, value: Any) -> Edit:
    """Set the value at a `|`-separated key path."""

    def edit(doc: Doc) -> None:
        *parents, last = path.split("|")
        node: Any = doc
        for key in parents:
            node = node[key]
        node[last] = value

    return edit


def _delete(path: str) -> Edit:
    def edit(doc: Doc) -> None:
        *parents, last = path.split("|")
        node: Any = doc
        for key in parents:
            node = node[key]
        del node[last]

    return edit


def _do(action: Callable[[Doc], object]) -> Edit:
    def edit(doc: Doc) -> None:
        action(doc)

    return edit


PETS, PET = "/paths/~1pets", "/paths/~1pets~1{petId}"
NEW_PET, PET_PART = "/components/schemas/NewPet", "/components/schemas/Pet/allOf/1"
JSON = "application~1json"


def _pet_part(doc: Doc) -> Doc:
    part: Doc = schemas(doc)["Pet"]["allOf"][1]
    return part


def _new_pet(doc: Doc) -> Doc:
    found: Doc = schemas(doc)["NewPet"]
    return found


def _body_content(doc: Doc) -> Doc:
    found: Doc = doc["components"]["requestBodies"]["NewPet"]["content"]
    return found


CASES = [
    # breaking ---------------------------------------------------------------------------------
    Case("api-path-removed", _delete("paths|/pets/{petId}"), PET),
    Case("api-removed", _delete("paths|/pets/{petId}|delete"), f"{PET}/delete"),
    Case(
        "request-parameter-removed",
        _do(lambda d: d["paths"]["/pets"]["get"]["parameters"].pop(1)),
        "/components/parameters/Trace",
    ),
    Case(
        "new-required-request-parameter",
        _do(
            lambda d: d["paths"]["/pets"]["get"]["parameters"].append(
                {"name": "zone", "in": "query", "required": True, "schema": {"type": "string"}}
            )
        ),
        f"{PETS}/get/parameters/2",
    ),
    Case(
        "request-parameter-became-required",
        _do(lambda d: params(d)["Limit"].update(required=True)),
        "/components/parameters/Limit",
    ),
    Case(
        "request-body-added-required",
        _set(
            "paths|/pets/{petId}|delete|requestBody",
            {"required": True, "content": {"application/json": {}}},
        ),
        f"{PET}/delete/requestBody",
    ),
    Case(
        "request-body-became-required",
        _nothing,
        "/components/requestBodies/NewPet",
        before=_do(lambda d: d["components"]["requestBodies"]["NewPet"].update(required=False)),
    ),
    Case(
        "request-body-removed",
        _delete("paths|/pets|post|requestBody"),
        "/components/requestBodies/NewPet",
    ),
    Case(
        "request-body-media-type-removed",
        _nothing,
        "/components/requestBodies/NewPet/content/application~1xml",
        before=_do(lambda d: _body_content(d).update({"application/xml": {}})),
    ),
    Case(
        "new-required-request-property",
        _do(
            lambda d: (
                _new_pet(d)["properties"].update(age={"type": "integer"}),
                _new_pet(d)["required"].append("age"),
            )
        ),
        f"{NEW_PET}/properties/age",
    ),
    Case(
        "request-property-became-required",
        _do(lambda d: _new_pet(d)["required"].append("weight")),
        f"{NEW_PET}/properties/weight",
    ),
    Case(
        "request-type-narrowed",
        _nothing,
        f"{NEW_PET}/properties/weight/type",
        before=_do(lambda d: _new_pet(d)["properties"]["weight"].update(type="number")),
    ),
    Case(
        "request-enum-value-removed",
        _do(lambda d: schemas(d)["Kind"].update(enum=["cat"])),
        "/components/schemas/Kind/enum",
    ),
    Case(
        "request-constraint-narrowed",
        _do(lambda d: _new_pet(d)["properties"]["name"].update(maxLength=20)),
        f"{NEW_PET}/properties/name/maxLength",
    ),
    Case(
        "request-schema-option-removed",
        _do(lambda d: _new_pet(d)["properties"]["shape"]["oneOf"].pop()),
        f"{NEW_PET}/properties/shape/oneOf",
    ),
    Case(
        "response-success-status-removed",
        _do(lambda d: d["paths"]["/pets/{petId}"]["delete"].update(responses={"404": {}})),
        f"{PET}/delete/responses/204",
    ),
    Case(
        "response-media-type-removed",
        _do(
            lambda d: d["components"]["responses"]["PetList"].update(
                content={"application/hal+json": {"schema": {"type": "array"}}}
            )
        ),
        f"/components/responses/PetList/content/{JSON}",
    ),
    Case(
        "response-property-removed",
        _do(lambda d: _pet_part(d)["properties"].pop("code")),
        f"{PET_PART}/properties/code",
    ),
    Case(
        "response-property-became-optional",
        _do(lambda d: _pet_part(d)["required"].remove("owner")),
        f"{PET_PART}/properties/owner",
    ),
    Case(
        "response-type-changed",
        _do(lambda d: _pet_part(d)["properties"]["id"].update(type="string")),
        f"{PET_PART}/properties/id/type",
    ),
    Case(
        "response-constraint-widened",
        _do(lambda d: _pet_part(d)["properties"]["code"].update(maxLength=16)),
        f"{PET_PART}/properties/code/maxLength",
    ),
    Case(
        "response-schema-option-added",
        _do(lambda d: _pet_part(d)["properties"]["photo"]["oneOf"].append({"type": "boolean"})),
        f"{PET_PART}/properties/photo/oneOf",
    ),
    Case(
        "api-security-changed", _set("security", [{"oauth": ["pets", "pets:write"]}]), "/security"
    ),
    Case(
        "security-scheme-changed",
        _set(
            "components|securitySchemes|oauth|flows|clientCredentials|tokenUrl",
            "https://elsewhere.example/token",
        ),
        "/components/securitySchemes/oauth",
    ),
    Case(
        "write-scope-required",
        _nothing,
        "/x-write-scope",
        before=_set("x-write-scope", False),
    ),
    # compatible -------------------------------------------------------------------------------
    Case(
        "api-path-added",
        _set(
            "paths|/owners",
            {"get": {"responses": {"200": {"description": "ok"}}}},
        ),
        "/paths/~1owners",
    ),
    Case(
        "api-added",
        _do(
            lambda d: d["paths"]["/pets/{petId}"].update(
                put={"responses": {"200": {"description": "ok"}}}
            )
        ),
        f"{PET}/put",
    ),
    Case(
        "new-optional-request-parameter",
        _do(
            lambda d: d["paths"]["/pets"]["get"]["parameters"].append(
                {"name": "sort", "in": "query", "schema": {"type": "string"}}
            )
        ),
        f"{PETS}/get/parameters/2",
    ),
    Case(
        "request-parameter-became-optional",
        _nothing,
        "/components/parameters/Limit",
        before=_do(lambda d: params(d)["Limit"].update(required=True)),
    ),
    Case(
        "request-body-added-optional",
        _do(
            lambda d: d["paths"]["/pets/{petId}"]["delete"].update(
                requestBody={"content": {"text/plain": {}}}
            )
        ),
        f"{PET}/delete/requestBody",
    ),
    Case(
        "request-body-became-optional",
        _do(lambda d: d["components"]["requestBodies"]["NewPet"].update(required=False)),
        "/components/requestBodies/NewPet",
    ),
    Case(
        "new-optional-request-property",
        _do(lambda d: _new_pet(d)["properties"].update(color={"type": "string"})),
        f"{NEW_PET}/properties/color",
    ),
    Case(
        "request-property-became-optional",
        _do(lambda d: _new_pet(d)["properties"]["nickname"].update(writeOnly=True)),
        f"{NEW_PET}/properties/nickname",
        before=_do(
            lambda d: (
                _new_pet(d)["properties"]["nickname"].update(writeOnly=True),
                _new_pet(d)["required"].append("nickname"),
            )
        ),
    ),
    Case(
        "request-property-removed",
        _do(lambda d: _new_pet(d)["properties"].pop("nickname")),
        f"{NEW_PET}/properties/nickname",
        before=_do(lambda d: _new_pet(d)["properties"]["nickname"].update(writeOnly=True)),
    ),
    Case(
        "request-type-widened",
        _do(lambda d: _new_pet(d)["properties"]["nickname"].update(writeOnly=True, nullable=True)),
        f"{NEW_PET}/properties/nickname/type",
        before=_do(lambda d: _new_pet(d)["properties"]["nickname"].update(writeOnly=True)),
    ),
    Case(
        "request-enum-value-added",
        _do(lambda d: schemas(d)["Kind"]["enum"].append("bird")),
        "/components/schemas/Kind/enum",
    ),
    Case(
        "request-constraint-relaxed",
        _do(lambda d: params(d)["Limit"]["schema"].update(maximum=500)),
        "/components/parameters/Limit/schema/maximum",
    ),
    Case(
        "request-media-type-added",
        _do(lambda d: _body_content(d).update({"application/x-www-form-urlencoded": {}})),
        "/components/requestBodies/NewPet/content/application~1x-www-form-urlencoded",
    ),
    Case(
        "response-status-added",
        _do(
            lambda d: d["paths"]["/pets/{petId}"]["get"]["responses"].update(
                {"404": {"description": "no such pet"}}
            )
        ),
        f"{PET}/get/responses/404",
    ),
    Case(
        "response-non-success-status-removed",
        _delete("paths|/pets|get|responses|400"),
        f"{PETS}/get/responses/400",
    ),
    Case(
        "response-media-type-added",
        _do(
            lambda d: d["components"]["responses"]["OnePet"]["content"].update(
                {"application/xml": {}}
            )
        ),
        "/components/responses/OnePet/content/application~1xml",
    ),
    Case(
        "response-property-added",
        _do(lambda d: _pet_part(d)["properties"].update(born={"type": "string"})),
        f"{PET_PART}/properties/born",
    ),
    Case(
        "response-property-became-required",
        _do(lambda d: _pet_part(d)["required"].append("status")),
        f"{PET_PART}/properties/status",
    ),
    Case(
        "response-enum-value-added",
        _do(lambda d: _pet_part(d)["properties"]["status"]["enum"].append("pending")),
        f"{PET_PART}/properties/status/enum",
    ),
    Case(
        "response-type-narrowed",
        _nothing,
        f"{PET_PART}/properties/id/type",
        before=_do(lambda d: _pet_part(d)["properties"]["id"].update(type="number")),
    ),
    Case(
        "security-alternative-added",
        _set("security", [{"oauth": ["pets"]}, {"oauth": ["pets:read"]}]),
        "/security",
    ),
    Case("text-changed", _set("info|description", "All the pets."), "/info/description"),
    Case(
        "other-change",
        _do(lambda d: d["paths"]["/pets"]["get"].update(deprecated=True)),
        "",
    ),
]


def _documents(case: Case) -> tuple[Doc, Doc]:
    """The published side (with `before` applied) and the new one (the published document
    with `edit` applied)."""
    return (edited(case.before) if case.before else published()), edited(case.edit)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.kind)
def test_each_kind_is_reported_at_its_pointer(case: Case) -> None:
    old, new = _documents(case)
    report = compatibility(old, new, "pets")
    found = {(c.kind, c.pointer) for c in report.changes}
    assert (case.kind, case.pointer) in found, sorted(found)
    assert report.compatible is not CHANGE_KINDS[case.kind].breaking, [
        c.line("en") for c in report.breaking
    ]


def test_every_kind_has_a_case() -> None:
    assert sorted({c.kind for c in CASES}) == sorted(CHANGE_KINDS)


def test_the_same_document_has_no_changes() -> None:
    assert compare(published(), published()).changes == ()


def test_a_renamed_path_parameter_is_the_same_path() -> None:
    doc = published()
    item = doc["paths"].pop("/pets/{petId}")
    doc["paths"]["/pets/{id}"] = item
    doc["components"]["parameters"]["PetId"]["name"] = "id"
    assert compare(published(), doc).compatible


def test_recursive_schemas_end() -> None:
    doc = edited(lambda d: schemas(d)["Owner"]["properties"].pop("friend"))
    report = compare(published(), doc)
    pointers = {c.pointer for c in report.breaking}
    assert pointers == {"/components/schemas/Owner/properties/friend"}


def test_a_breaking_line_names_pointer_message_and_kind() -> None:
    report = compare(published(), edited(_delete("paths|/pets/{petId}")))
    (change,) = report.changes
    assert change.line("en") == f"{PET}: path /pets/{{petId}} was removed (api-path-removed)"
    assert change.line("ja") == f"{PET}: パス /pets/{{petId}} が削除されました (api-path-removed)"


def test_the_summary_reads_as_one_line_per_language() -> None:
    report = compare(published(), edited(_set("info|description", "All the pets.")))
    assert report.summary("en") == "/info/description: descriptive text changed"
    assert report.summary("ja") == "/info/description の説明文が変わりました"
