"""OpenAPI documents for the CLI and admin API tests: one conformant, variants that are not."""

from __future__ import annotations

TITLE_JA = "図書館一覧API"

GOOD = """\
openapi: 3.0.3
info:
  title: 図書館一覧API
  description: 全国の公共図書館の所在地と開館時間を提供します。
  version: 1.2.0
  termsOfService: https://www.example.go.jp/terms
  license:
    name: CC BY 4.0
    url: https://creativecommons.org/licenses/by/4.0/
  contact:
    name: 図書館データ担当
    email: library-data@example.go.jp
  x-update-frequency: monthly
  x-data-updated: "2026-10-01"
  x-keywords: [図書館, 文化]
externalDocs:
  url: https://www.example.go.jp/docs/libraries
tags:
  - name: libraries
    description: 図書館
servers:
  - url: https://api.example.go.jp/v1
security:
  - oauth: [libraries]
paths:
  /libraries:
    get:
      summary: 図書館の一覧
      operationId: list_libraries
      parameters:
        - name: limit
          in: query
          description: 件数
          schema: {type: integer, default: 20, maximum: 100}
        - name: offset
          in: query
          description: 開始位置
          schema: {type: integer, default: 0}
      responses:
        "200":
          description: 図書館の一覧
          content:
            application/json:
              schema:
                type: object
                properties:
                  metadata:
                    type: object
                    description: 結果セットの情報
                    properties:
                      resultset:
                        type: object
                        description: 件数
                        properties:
                          count: {type: integer, description: 総件数}
                          offset: {type: integer, description: 開始位置}
                          limit: {type: integer, description: 件数}
                  results:
                    type: array
                    description: 図書館
                    items:
                      $ref: "#/components/schemas/library"
              example:
                metadata: {resultset: {count: 1, offset: 0, limit: 20}}
                results:
                  - {library_id: "13101-001", name: 千代田図書館}
        "400": {$ref: "#/components/responses/problem"}
        "401": {$ref: "#/components/responses/problem"}
        "429": {$ref: "#/components/responses/problem"}
        "500": {$ref: "#/components/responses/problem"}
  /libraries/{library_id}:
    get:
      summary: 図書館の詳細
      operationId: get_library
      parameters:
        - name: library_id
          in: path
          required: true
          description: 図書館ID
          schema: {type: string}
      responses:
        "200":
          description: 図書館
          content:
            application/json:
              schema: {$ref: "#/components/schemas/library"}
              example: {library_id: "13101-001", name: 千代田図書館}
        "404": {$ref: "#/components/responses/problem"}
        "500": {$ref: "#/components/responses/problem"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://api.example.go.jp/oauth/token
          scopes:
            libraries: 図書館データの参照
  responses:
    problem:
      description: エラー
      content:
        application/problem+json:
          schema: {$ref: "#/components/schemas/problem"}
  schemas:
    library:
      type: object
      properties:
        library_id: {type: string, description: 図書館ID}
        name: {type: string, description: 名称}
    problem:
      type: object
      required: [title]
      properties:
        type: {type: string, description: 種別}
        title: {type: string, description: 概要}
        status: {type: integer, description: ステータス}
        detail: {type: string, description: 詳細}
"""

# Parseable OpenAPI with error findings (no description, licence or terms; plain HTTP server).
BAD = (
    GOOD.replace("  description: 全国の公共図書館の所在地と開館時間を提供します。\n", "")
    .replace("  termsOfService: https://www.example.go.jp/terms\n", "")
    .replace(
        "  license:\n    name: CC BY 4.0\n    url: https://creativecommons.org/licenses/by/4.0/\n",
        "",
    )
)

# Conformant except for one rule: the server is plain HTTP (ATG-SEC-01), which an operator may
# waive.
HTTP_SERVER = GOOD.replace("url: https://api.example.go.jp/v1", "url: http://api.example.go.jp/v1")

# YAML, but not an OpenAPI document at all (ATG-DOC-01).
NOT_OPENAPI = "greeting: hello\nitems: [1, 2]\n"

# Not parseable as YAML or JSON.
BROKEN = "openapi: [3.0.3\ninfo: {title: \n"
