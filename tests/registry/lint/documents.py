"""A minimal conforming OpenAPI document and a helper that patches a copy of it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Doc = dict[str, Any]
LIST = "/paths/~1libraries/get"
ITEM = "/paths/~1libraries~1{library_id}/get"
LIBRARY = "/components/schemas/library"


def _problem_ref() -> Doc:
    return {"$ref": "#/components/responses/problem"}


def _library() -> Doc:
    return {
        "type": "object",
        "description": "図書館",
        "properties": {
            "library_id": {"type": "string", "description": "図書館ID"},
            "name": {"type": "string", "description": "名称", "example": "国立国会図書館"},
        },
    }


def _paths() -> Doc:
    errors = {code: _problem_ref() for code in ("400", "401", "500")}
    list_example = {
        "metadata": {"resultset": {"count": 1, "offset": 0, "limit": 20}},
        "results": [{"library_id": "l1", "name": "国立国会図書館"}],
    }
    return {
        "/libraries": {
            "get": {
                "operationId": "list_libraries",
                "summary": "図書館の一覧",
                "parameters": [
                    {"$ref": "#/components/parameters/limit"},
                    {"$ref": "#/components/parameters/offset"},
                ],
                "responses": {
                    "200": {
                        "description": "一覧",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/library_list"},
                                "examples": {"default": {"value": list_example}},
                            }
                        },
                    },
                    **errors,
                },
            }
        },
        "/libraries/{library_id}": {
            "get": {
                "operationId": "get_library",
                "summary": "図書館",
                "parameters": [
                    {
                        "name": "library_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "図書館",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/library"},
                                "example": {"library_id": "l1", "name": "国立国会図書館"},
                            }
                        },
                    },
                    "404": _problem_ref(),
                    **errors,
                },
            }
        },
    }


def _components() -> Doc:
    integer = {"type": "integer", "description": "件数"}
    return {
        "securitySchemes": {
            "oauth2": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://api.example.go.jp/oauth/token",
                        "scopes": {"test": "参照"},
                    }
                },
            }
        },
        "parameters": {
            "limit": {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "default": 20, "maximum": 100},
            },
            "offset": {"name": "offset", "in": "query", "schema": {"type": "integer"}},
        },
        "schemas": {
            "library": _library(),
            "library_list": {
                "type": "object",
                "description": "一覧",
                "properties": {
                    "metadata": {
                        "type": "object",
                        "description": "メタデータ",
                        "properties": {
                            "resultset": {
                                "type": "object",
                                "description": "件数",
                                "properties": {k: integer for k in ("count", "offset", "limit")},
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "description": "結果",
                        "items": {"$ref": "#/components/schemas/library"},
                    },
                },
            },
            "problem": {
                "type": "object",
                "description": "問題詳細",
                "required": ["title"],
                "properties": {
                    "title": {"type": "string", "description": "名前"},
                    "detail": {"type": "string", "description": "説明"},
                },
            },
        },
        "responses": {
            "problem": {
                "description": "失敗",
                "content": {
                    "application/problem+json": {
                        "schema": {"$ref": "#/components/schemas/problem"},
                        "example": {"title": "見つかりません", "detail": "ありません"},
                    }
                },
            }
        },
    }


def minimal_document() -> Doc:
    """A small document that every rule accepts (no findings at all, info included)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "図書館API",
            "version": "1.0.0",
            "description": "図書館の情報を提供します。",
            "termsOfService": "https://www.example.go.jp/terms",
            "license": {"name": "CC BY 4.0"},
            "contact": {"email": "api@example.go.jp"},
        },
        "servers": [{"url": "https://api.example.go.jp/libraries/v1"}],
        "security": [{"oauth2": ["test"]}],
        "x-update-frequency": "daily",
        "x-data-updated": "2024-04-01",
        "x-keywords": ["図書館"],
        "externalDocs": {"url": "https://www.example.go.jp/docs"},
        "paths": _paths(),
        "components": _components(),
    }


def patched(patch: Callable[[Doc], object]) -> Doc:
    """A fresh minimal document with `patch` applied to it."""
    doc = copy.deepcopy(minimal_document())
    patch(doc)
    return doc


def rename_path(doc: Doc, old: str, new: str) -> None:
    doc["paths"][new] = doc["paths"].pop(old)


def list_op(doc: Doc) -> Doc:
    return doc["paths"]["/libraries"]["get"]  # type: ignore[no-any-return]


def item_op(doc: Doc) -> Doc:
    return doc["paths"]["/libraries/{library_id}"]["get"]  # type: ignore[no-any-return]


def library_props(doc: Doc) -> Doc:
    return doc["components"]["schemas"]["library"]["properties"]  # type: ignore[no-any-return]


def add_query(doc: Doc, param: Doc) -> None:
    list_op(doc)["parameters"].append({"in": "query", "schema": {"type": "string"}, **param})
