"""Checks for transport and authentication (ATG-SEC-01..04; TG §2.4, 2024 表2-10)."""

from __future__ import annotations

from collections.abc import Iterator

from registry.lint.context import LintContext, as_dict, as_list, text
from registry.lint.model import Hit
from registry.lint.pointer import join


def is_open_data(doc: dict[str, object]) -> bool:
    """The provider marks the API as open data (`x-open-data: true` at the root)."""
    return doc.get("x-open-data") is True


def security_schemes(doc: dict[str, object]) -> dict[str, object]:
    return as_dict(as_dict(doc.get("components")).get("securitySchemes"))


def _server_urls(ctx: LintContext) -> Iterator[tuple[str, str]]:
    holders = [(ctx.doc, "")]
    for path, item in as_dict(ctx.doc.get("paths")).items():
        holders.append((as_dict(item), join("/paths", path)))
    holders += [(op.node, op.pointer) for op in ctx.operations]
    for holder, pointer in holders:
        for index, server in enumerate(as_list(holder.get("servers"))):
            yield join(pointer, "servers", index, "url"), text(as_dict(server).get("url"))


def https_servers(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-01: every server URL is https:// (TLS is mandatory)."""
    for pointer, url in _server_urls(ctx):
        if not url.lower().startswith("https://"):
            yield Hit(
                pointer,
                f"サーバーURL {url} は https:// にしてください (TLSは必須)。",
                f"Server URL {url!r} must be https:// (TLS is mandatory).",
            )


def _secured(requirements: object) -> bool:
    """At least one requirement, and none of them the empty `{}` (anonymous access)."""
    items = as_list(requirements)
    return bool(items) and all(isinstance(r, dict) and r for r in items)


def security_applied(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-02: schemes are defined and applied to every operation (open data exempt)."""
    if is_open_data(ctx.doc):
        return
    if not security_schemes(ctx.doc):
        yield Hit(
            "/components/securitySchemes",
            "securitySchemes がありません。APIキー以上の認証方式を定義してください。",
            "No securitySchemes: define an API key or a stronger authentication method.",
        )
        return
    root = ctx.doc.get("security")
    for op in ctx.operations:
        if not _secured(op.node.get("security", root)):
            yield Hit(
                op.pointer,
                f"{op.method.upper()} {op.path} に認証 (security) が適用されていません。",
                f"{op.method.upper()} {op.path} has no security requirement: apply one.",
            )


def api_key_not_in_query(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-03: an apiKey scheme is never sent in the query string."""
    for name, raw in security_schemes(ctx.doc).items():
        if as_dict(raw).get("type") == "apiKey" and as_dict(raw).get("in") == "query":
            yield Hit(
                join("/components/securitySchemes", name, "in"),
                f"APIキー {name} をクエリ文字列で送らせないでください。ヘッダー (in: header) に"
                "してください。",
                f"API key {name!r} must not travel in the query string: use in: header.",
            )


def strong_auth_for_personal_data(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-04: procedure or personal-data APIs declare oauth2 or openIdConnect."""
    sensitive = ctx.doc.get("x-personal-data") is True or ctx.doc.get("x-procedure-api") is True
    kinds = {as_dict(s).get("type") for s in security_schemes(ctx.doc).values()}
    if sensitive and not kinds & {"oauth2", "openIdConnect"}:
        yield Hit(
            "/components/securitySchemes",
            "個人情報や手続を扱うAPIは oauth2 または openIdConnect で認証してください。",
            "APIs handling personal data or procedures must declare oauth2 or openIdConnect.",
        )
