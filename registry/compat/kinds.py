"""The kinds of change between two OpenAPI documents: id, whether it breaks callers, ja/en text.

Ids follow oasdiff's breaking-change checks (docs/BREAKING-CHANGES.md of oasdiff) where one
exists, so a provider who knows that tool recognises them; ADR 0023 says which of its
categories Tsunagu applies and why. A template names its parameters in braces: `{where}` is the
operation or schema context, `{name}` the parameter, property, status or media type, `{old}` /
`{new}` values before and after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChangeKind:
    id: str
    breaking: bool
    ja: str
    en: str


def _kind(id: str, breaking: bool, ja: str, en: str) -> ChangeKind:
    return ChangeKind(id, breaking, ja, en)


_BREAKING = (
    _kind("api-path-removed", True, "パス {name} が削除されました", "path {name} was removed"),
    _kind("api-removed", True, "操作 {where} が削除されました", "operation {where} was removed"),
    _kind(
        "request-parameter-removed",
        True,
        "{where} のパラメーター {name} が削除されました",
        "{where}: parameter {name} was removed",
    ),
    _kind(
        "new-required-request-parameter",
        True,
        "{where} に必須パラメーター {name} が追加されました",
        "{where}: required parameter {name} was added",
    ),
    _kind(
        "request-parameter-became-required",
        True,
        "{where} のパラメーター {name} が必須になりました",
        "{where}: parameter {name} became required",
    ),
    _kind(
        "request-body-added-required",
        True,
        "{where} に必須のリクエストボディが追加されました",
        "{where}: a required request body was added",
    ),
    _kind(
        "request-body-became-required",
        True,
        "{where} のリクエストボディが必須になりました",
        "{where}: the request body became required",
    ),
    _kind(
        "request-body-removed",
        True,
        "{where} のリクエストボディが削除されました",
        "{where}: the request body was removed",
    ),
    _kind(
        "request-body-media-type-removed",
        True,
        "{where} のリクエストのメディアタイプ {name} が削除されました",
        "{where}: request media type {name} was removed",
    ),
    _kind(
        "new-required-request-property",
        True,
        "{where} に必須プロパティ {name} が追加されました",
        "{where}: required request property {name} was added",
    ),
    _kind(
        "request-property-became-required",
        True,
        "{where} のプロパティ {name} が必須になりました",
        "{where}: request property {name} became required",
    ),
    _kind(
        "request-type-narrowed",
        True,
        "{where} の型が {old} から {new} に狭められました",
        "{where}: the request type was narrowed from {old} to {new}",
    ),
    _kind(
        "request-enum-value-removed",
        True,
        "{where} の列挙値 {name} が受け付けられなくなりました",
        "{where}: enum value {name} is no longer accepted",
    ),
    _kind(
        "request-constraint-narrowed",
        True,
        "{where} の {name} が {old} から {new} に厳しくなりました",
        "{where}: {name} was tightened from {old} to {new}",
    ),
    _kind(
        "request-schema-option-removed",
        True,
        "{where} の {name} の選択肢が減りました（{old} → {new}）",
        "{where}: {name} lost options ({old} → {new})",
    ),
    _kind(
        "response-success-status-removed",
        True,
        "{where} の成功レスポンス {name} が削除されました",
        "{where}: success response {name} was removed",
    ),
    _kind(
        "response-media-type-removed",
        True,
        "{where} のレスポンスのメディアタイプ {name} が削除されました",
        "{where}: response media type {name} was removed",
    ),
    _kind(
        "response-property-removed",
        True,
        "{where} のレスポンスのプロパティ {name} が削除されました",
        "{where}: response property {name} was removed",
    ),
    _kind(
        "response-property-became-optional",
        True,
        "{where} のレスポンスのプロパティ {name} が必須でなくなりました",
        "{where}: response property {name} became optional",
    ),
    _kind(
        "response-type-changed",
        True,
        "{where} のレスポンスの型が {old} から {new} に変わりました",
        "{where}: the response type changed from {old} to {new}",
    ),
    _kind(
        "response-constraint-widened",
        True,
        "{where} のレスポンスの {name} が {old} から {new} に緩められました",
        "{where}: response {name} was relaxed from {old} to {new}",
    ),
    _kind(
        "response-schema-option-added",
        True,
        "{where} のレスポンスの {name} に選択肢が増えました（{old} → {new}）",
        "{where}: response {name} gained options ({old} → {new})",
    ),
    _kind(
        "api-security-changed",
        True,
        "{where} の認証要件 {name} が削除または変更されました",
        "{where}: security requirement {name} was removed or changed",
    ),
    _kind(
        "security-scheme-changed",
        True,
        "セキュリティスキーム {name} が削除または変更されました",
        "security scheme {name} was removed or changed",
    ),
    _kind(
        "write-scope-required",
        True,
        "書き込み操作に {name} スコープが必要になりました",
        "write operations now need the {name} scope",
    ),
)

_COMPATIBLE = (
    _kind("api-path-added", False, "パス {name} が追加されました", "path {name} was added"),
    _kind("api-added", False, "操作 {where} が追加されました", "operation {where} was added"),
    _kind(
        "new-optional-request-parameter",
        False,
        "{where} に任意パラメーター {name} が追加されました",
        "{where}: optional parameter {name} was added",
    ),
    _kind(
        "request-parameter-became-optional",
        False,
        "{where} のパラメーター {name} が任意になりました",
        "{where}: parameter {name} became optional",
    ),
    _kind(
        "request-body-added-optional",
        False,
        "{where} に任意のリクエストボディが追加されました",
        "{where}: an optional request body was added",
    ),
    _kind(
        "request-body-became-optional",
        False,
        "{where} のリクエストボディが任意になりました",
        "{where}: the request body became optional",
    ),
    _kind(
        "new-optional-request-property",
        False,
        "{where} に任意プロパティ {name} が追加されました",
        "{where}: optional request property {name} was added",
    ),
    _kind(
        "request-property-became-optional",
        False,
        "{where} のプロパティ {name} が任意になりました",
        "{where}: request property {name} became optional",
    ),
    _kind(
        "request-property-removed",
        False,
        "{where} のリクエストのプロパティ {name} が定義から外れました",
        "{where}: request property {name} is no longer described",
    ),
    _kind(
        "request-type-widened",
        False,
        "{where} の型が {old} から {new} に広げられました",
        "{where}: the request type was widened from {old} to {new}",
    ),
    _kind(
        "request-enum-value-added",
        False,
        "{where} に列挙値 {name} が追加されました",
        "{where}: enum value {name} was added",
    ),
    _kind(
        "request-constraint-relaxed",
        False,
        "{where} の {name} が {old} から {new} に緩められました",
        "{where}: {name} was relaxed from {old} to {new}",
    ),
    _kind(
        "request-media-type-added",
        False,
        "{where} にリクエストのメディアタイプ {name} が追加されました",
        "{where}: request media type {name} was added",
    ),
    _kind(
        "response-status-added",
        False,
        "{where} にレスポンス {name} が追加されました",
        "{where}: response {name} was added",
    ),
    _kind(
        "response-non-success-status-removed",
        False,
        "{where} のエラーレスポンス {name} の記述が削除されました",
        "{where}: error response {name} is no longer described",
    ),
    _kind(
        "response-media-type-added",
        False,
        "{where} にレスポンスのメディアタイプ {name} が追加されました",
        "{where}: response media type {name} was added",
    ),
    _kind(
        "response-property-added",
        False,
        "{where} のレスポンスにプロパティ {name} が追加されました",
        "{where}: response property {name} was added",
    ),
    _kind(
        "response-property-became-required",
        False,
        "{where} のレスポンスのプロパティ {name} が常に返されるようになりました",
        "{where}: response property {name} is now always present",
    ),
    _kind(
        "response-enum-value-added",
        False,
        "{where} のレスポンスに列挙値 {name} が追加されました",
        "{where}: response enum value {name} was added",
    ),
    _kind(
        "response-type-narrowed",
        False,
        "{where} のレスポンスの型が {old} から {new} に狭められました",
        "{where}: the response type was narrowed from {old} to {new}",
    ),
    _kind(
        "security-alternative-added",
        False,
        "{where} に認証方法 {name} が追加されました",
        "{where}: security alternative {name} was added",
    ),
    _kind(
        "text-changed",
        False,
        "{where} の説明文が変わりました",
        "{where}: descriptive text changed",
    ),
    _kind(
        "other-change",
        False,
        "{where} が変わりました（呼び出し側に影響しない変更）",
        "{where} changed (no effect on callers)",
    ),
)

CHANGE_KINDS: Mapping[str, ChangeKind] = {k.id: k for k in (*_BREAKING, *_COMPATIBLE)}
"""Every kind of change the comparison reports, breaking ones first."""
