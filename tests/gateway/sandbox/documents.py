"""OpenAPI documents (3.0 and 3.1) for the sandbox tests, and a RouteEntry factory."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import yaml

from registry.models import RatePlan, RouteEntry, VersionState

HOUJIN_30 = r"""
openapi: 3.0.3
info: {title: 法人情報API, version: "1.0"}
paths:
  /corporations:
    get:
      parameters:
        - $ref: '#/components/parameters/limit'
        - name: prefecture
          in: query
          schema: {type: string, enum: ["13", "27"]}
        - name: ids
          in: query
          style: form
          explode: false
          schema: {type: array, items: {type: integer}}
        - name: tags
          in: query
          schema: {type: array, items: {type: string}}
        - name: active
          in: query
          schema: {type: boolean}
        - name: X-Trace
          in: header
          required: true
          schema: {type: string, pattern: '^[a-f0-9]{8}$'}
      responses:
        "202": {description: accepted}
        "200":
          description: 一覧
          content:
            application/json:
              schema: {$ref: '#/components/schemas/CorporationList'}
              example:
                metadata: {resultset: {count: 1, offset: 0, limit: 20}}
                results:
                  - {corporate_number: "1000012345678", name: 株式会社つなぐ}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewCorporation'}
      responses:
        "201":
          description: 作成
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Corporation'}
  /corporations/{corporate_number}:
    parameters:
      - name: corporate_number
        in: path
        required: true
        schema: {type: string, pattern: '^[0-9]{13}$'}
    get:
      responses:
        "200":
          description: 法人
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Corporation'}
              examples:
                tokyo: {$ref: '#/components/examples/tokyo'}
                osaka:
                  value:
                    corporate_number: "2000012345678"
                    name: 大阪商事株式会社
                    postal_code: "5300001"
        "404":
          description: 見つかりません
          content:
            application/problem+json:
              schema: {$ref: '#/components/schemas/Problem'}
              examples:
                not_found:
                  value:
                    title: 法人が見つかりません
                    status: 404
                    detail: 法人番号を確認してください
    delete:
      responses:
        "204": {description: 削除}
  /corporations/search:
    get:
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, minLength: 2}}
      responses:
        "200":
          description: 検索結果
          content:
            application/json:
              schema: {$ref: '#/components/schemas/CorporationList'}
  /files/{name}.json:
    get:
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: file
          content:
            text/plain:
              example: こんにちは
  /tree:
    get:
      responses:
        "200":
          description: 木
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  parameters:
    limit:
      name: limit
      in: query
      schema: {type: integer, minimum: 1, maximum: 100, default: 20}
  examples:
    tokyo:
      value: {corporate_number: "1000012345678", name: 株式会社つなぐ, postal_code: "1000001"}
  schemas:
    Corporation:
      type: object
      required: [corporate_number, name]
      properties:
        corporate_number: {type: string, pattern: '^[0-9]{13}$'}
        name: {type: string, example: 株式会社つなぐ}
        postal_code: {type: string, pattern: '^\d{7}$'}
        updated_at: {type: string, format: date-time}
        closed_on: {type: string, format: date, nullable: true}
        capital: {type: integer, minimum: 0, exclusiveMinimum: true}
        kind: {type: string, enum: [kabushiki, godo]}
        secret: {type: string, writeOnly: true}
    NewCorporation:
      allOf:
        - $ref: '#/components/schemas/Corporation'
        - type: object
          required: [contact]
          properties:
            contact: {type: string, format: email}
    CorporationList:
      type: object
      required: [metadata, results]
      properties:
        metadata:
          type: object
          required: [resultset]
          properties:
            resultset:
              type: object
              required: [count, offset, limit]
              properties:
                count: {type: integer, minimum: 0}
                offset: {type: integer, minimum: 0}
                limit: {type: integer, minimum: 1, maximum: 100}
        results:
          type: array
          items: {$ref: '#/components/schemas/Corporation'}
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
    Problem:
      type: object
      required: [title]
      properties:
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
"""

FACILITIES_31 = r"""
openapi: 3.1.0
info: {title: 施設API, version: "1.0"}
paths:
  /facilities/{facility_id}:
    get:
      parameters:
        - {name: facility_id, in: path, required: true, schema: {type: integer, minimum: 1}}
        - name: fields
          in: query
          explode: true
          schema: {type: array, items: {type: string, enum: [name, address, category]}}
        - name: filter
          in: query
          style: deepObject
          schema:
            type: object
            properties:
              open: {type: boolean}
              floors: {type: integer}
      responses:
        "200":
          description: 施設
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Facility'}
            application/xml:
              schema: {type: string}
              example: <facility/>
  /facilities:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Facility'}
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name, capacity]
              properties:
                name: {type: string}
                capacity: {type: integer, exclusiveMinimum: 0}
      responses:
        "201":
          description: 登録
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Facility'}
        4XX:
          description: 失敗
          content:
            application/problem+json:
              schema: {$ref: '#/components/schemas/Problem'}
  /categories:
    get:
      responses:
        default:
          description: 分類
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Category'}
components:
  schemas:
    Facility:
      type: object
      required: [facility_id, name, location]
      properties:
        facility_id: {type: integer, minimum: 1}
        name: {type: string, examples: [中央図書館]}
        note: {type: [string, "null"]}
        opened_on: {type: string, format: date}
        location: {$ref: '#/components/schemas/Location'}
        rating: {type: number, exclusiveMinimum: 0, maximum: 5}
        kind: {const: facility}
        pair: {type: array, prefixItems: [{type: string}, {type: integer}], items: false}
        contact:
          oneOf:
            - {$ref: '#/components/schemas/Phone'}
            - {$ref: '#/components/schemas/Mail'}
    Location:
      type: object
      required: [latitude, longitude, datum]
      properties:
        latitude: {type: number, minimum: -90, maximum: 90}
        longitude: {type: number, minimum: -180, maximum: 180}
        datum: {type: string, default: JGD2011}
    Phone:
      type: object
      required: [tel]
      properties: {tel: {type: string, pattern: '^\(0\d{1,4}\)\d{1,4}-\d{4}$'}}
      additionalProperties: false
    Mail:
      type: object
      required: [email]
      properties: {email: {type: string, format: email}}
      additionalProperties: false
    Category:
      $ref: '#/components/schemas/CategoryNode'
      description: 再帰的な分類
    CategoryNode:
      type: object
      required: [label, parent]
      properties:
        label: {type: string, examples: [教育施設]}
        parent:
          anyOf:
            - {type: "null"}
            - {$ref: '#/components/schemas/CategoryNode'}
        children:
          type: array
          items: {$ref: '#/components/schemas/CategoryNode'}
    Problem:
      type: object
      required: [title]
      properties:
        title: {type: string}
        detail: {type: string}
"""


def load(text: str) -> dict[str, Any]:
    document = yaml.safe_load(text)
    assert isinstance(document, dict)
    return document


def houjin() -> dict[str, Any]:
    return load(HOUJIN_30)


def facilities() -> dict[str, Any]:
    return load(FACILITIES_31)


def route_for(document: Mapping[str, Any], slug: str = "houjin", version: str = "v1") -> RouteEntry:
    return RouteEntry(
        slug=slug,
        version=version,
        provider_id="nta",
        state=VersionState.PUBLISHED,
        upstream_url="https://upstream.invalid",
        document=document,
        plan=RatePlan(),
        open_data=False,
        write_scope=False,
        cors_origins=(),
        connect_timeout=None,
        read_timeout=None,
        published_at=datetime(2026, 1, 1, tzinfo=UTC),
        deprecated_at=None,
        sunset=None,
        successor=None,
    )
