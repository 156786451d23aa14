"""A `$ref`-heavy published document and edits of it, for the compatibility tests."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Edit = Callable[[dict[str, Any]], None]


def published() -> dict[str, Any]:
    """Parameters, bodies, responses and schemas behind `$ref`s, one schema recursive."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1.0.0", "description": "Pets of the nation."},
        "security": [{"oauth": ["pets"]}],
        "paths": {
            "/pets": {
                "get": {
                    "summary": "List pets",
                    "parameters": [
                        {"$ref": "#/components/parameters/Limit"},
                        {"$ref": "#/components/parameters/Trace"},
                    ],
                    "responses": {
                        "200": {"$ref": "#/components/responses/PetList"},
                        "400": {"description": "bad"},
                    },
                },
                "post": {
                    "requestBody": {"$ref": "#/components/requestBodies/NewPet"},
                    "responses": {"201": {"$ref": "#/components/responses/OnePet"}},
                },
            },
            "/pets/{petId}": {
                "parameters": [{"$ref": "#/components/parameters/PetId"}],
                "get": {"responses": {"200": {"$ref": "#/components/responses/OnePet"}}},
                "delete": {"responses": {"204": {"description": "gone"}}},
            },
        },
        "components": {
            "parameters": {
                "Limit": {
                    "name": "limit",
                    "in": "query",
                    "schema": {"type": "integer", "maximum": 100},
                },
                "Trace": {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                "PetId": {
                    "name": "petId",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
            },
            "requestBodies": {
                "NewPet": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/NewPet"}}
                    },
                }
            },
            "responses": {
                "PetList": {
                    "description": "pets",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Pet"},
                            }
                        }
                    },
                },
                "OnePet": {
                    "description": "a pet",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    },
                },
            },
            "schemas": {
                "NewPet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 50},
                        "kind": {"$ref": "#/components/schemas/Kind"},
                        "weight": {"type": "integer"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "shape": {
                            "oneOf": [{"type": "string"}, {"type": "integer"}, {"type": "boolean"}]
                        },
                        "nickname": {"type": "string"},
                    },
                },
                "Pet": {
                    "allOf": [
                        {"$ref": "#/components/schemas/NewPet"},
                        {
                            "type": "object",
                            "required": ["id", "owner"],
                            "properties": {
                                "id": {"type": "integer"},
                                "owner": {"$ref": "#/components/schemas/Owner"},
                                "status": {"type": "string", "enum": ["available", "sold"]},
                                "code": {"type": "string", "maxLength": 8},
                                "photo": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
                            },
                        },
                    ]
                },
                "Owner": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "friend": {"$ref": "#/components/schemas/Owner"},
                    },
                },
                "Kind": {"type": "string", "enum": ["cat", "dog"]},
            },
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "description": "Tsunagu tokens",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://example.go.jp/oauth/token",
                            "scopes": {"pets": "read pets", "pets:write": "change pets"},
                        }
                    },
                }
            },
        },
    }


def edited(edit: Edit) -> dict[str, Any]:
    doc = copy.deepcopy(published())
    edit(doc)
    return doc


def schemas(doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"]
    return found


def params(doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["parameters"]
    return found
