"""Small inline OpenAPI documents for the store and service tests."""

from __future__ import annotations

import copy
import json
from typing import Any

import yaml


def openapi(
    *,
    title: str = "図書館API",
    version: str = "1.0.0",
    slug: str = "libraries",
    description: str = "全国の図書館の所在地と開館時間を提供します。",
    open_data: bool = False,
) -> dict[str, Any]:
    """A conformant document (no lint errors) for `/v<major>/<slug>/{library_id}`."""
    major = version.split(".", maxsplit=1)[0]
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "x-slug": slug,
        "info": {
            "title": title,
            "version": version,
            "description": description,
            "termsOfService": "https://www.example.go.jp/terms",
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "contact": {"name": "デジタル庁", "email": "api@example.go.jp"},
        },
        "servers": [{"url": f"https://api.example.go.jp/v{major}"}],
        "paths": {
            f"/v{major}/{slug}/{{library_id}}": {
                "get": {
                    "summary": "図書館を1件取得する",
                    "operationId": "getLibrary",
                    "parameters": [
                        {
                            "name": "library_id",
                            "in": "path",
                            "required": True,
                            "description": "図書館ID",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "図書館",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Library"},
                                    "example": {"library_id": "L1", "name": "国立国会図書館"},
                                }
                            },
                        },
                        "404": {
                            "description": "見つからない",
                            "content": {
                                "application/problem+json": {
                                    "schema": {"$ref": "#/components/schemas/Problem"}
                                }
                            },
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Library": {
                    "type": "object",
                    "properties": {
                        "library_id": {"type": "string", "description": "図書館ID"},
                        "name": {"type": "string", "description": "名称"},
                    },
                },
                "Problem": {
                    "type": "object",
                    "required": ["title"],
                    "properties": {
                        "title": {"type": "string", "description": "概要"},
                        "detail": {"type": "string", "description": "詳細"},
                    },
                },
            },
        },
    }
    if open_data:
        doc["x-open-data"] = True
    else:
        doc["components"]["securitySchemes"] = {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": "https://api.example.go.jp/oauth/token",
                        "scopes": {slug: "read"},
                    }
                },
            }
        }
        doc["security"] = [{"oauth": [slug]}]
    return doc


def without_license(doc: dict[str, Any]) -> dict[str, Any]:
    """The same document without `info.license` (ATG-DOC-06 fires)."""
    changed = copy.deepcopy(doc)
    del changed["info"]["license"]
    return changed


def as_yaml(doc: dict[str, Any]) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


def as_json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")
