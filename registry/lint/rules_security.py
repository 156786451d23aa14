"""Checks for transport and authentication (ATG-SEC-01..05; TG §2.4, 2024 表2-10).

The document describes the API as consumers call it: through the gateway. The gateway
(`gateway/policies/auth.py`) accepts an OAuth 2.0 bearer access token from its own token
endpoint (client credentials grant only) on every API, and, on APIs marked `x-open-data: true`
only, an API key in the `X-API-Key` header. ATG-SEC-03 holds the declared schemes to that, so
a document that passes does not promise an authentication the gateway answers with 401.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from registry.lint.context import LintContext, as_dict, as_list, server_variants, text
from registry.lint.heuristics import normalised
from registry.lint.model import Hit
from registry.lint.pointer import join


def is_open_data(doc: dict[str, object]) -> bool:
    """The provider marks the API as open data (`x-open-data: true` at the root)."""
    return doc.get("x-open-data") is True


def security_schemes(doc: dict[str, object]) -> dict[str, object]:
    return as_dict(as_dict(doc.get("components")).get("securitySchemes"))


def _server_urls(ctx: LintContext) -> Iterator[tuple[str, str]]:
    """Every server URL of the root, the path items and the operations, variables resolved."""
    holders = [(ctx.doc, "")]
    for path, item in as_dict(ctx.doc.get("paths")).items():
        holders.append((as_dict(item), join("/paths", path)))
    holders += [(op.node, op.pointer) for op in ctx.operations]
    for holder, pointer in holders:
        for index, server in enumerate(as_list(holder.get("servers"))):
            for url in server_variants(server):
                yield join(pointer, "servers", index, "url"), url


def https_servers(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-01: every server URL is an absolute https:// URL (TLS is mandatory)."""
    seen: set[str] = set()
    for pointer, url in _server_urls(ctx):
        if url.lower().startswith("https://") or pointer in seen:
            continue
        seen.add(pointer)
        if "://" not in url:
            yield Hit(
                pointer,
                f"サーバーURL {url} は相対URLです。servers[].url は https:// で始まる絶対URLに"
                "してください (TLSは必須)。",
                f"Server URL {url!r} is relative: servers must be absolute https:// URLs "
                "(TLS is mandatory).",
            )
        else:
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
    """ATG-SEC-02: the schemes are applied to every operation (open data exempt)."""
    if is_open_data(ctx.doc):
        return
    if not security_schemes(ctx.doc):
        return  # REG-META-01 reports the missing authentication (one defect, one finding)
    root = ctx.doc.get("security")
    for op in ctx.operations:
        if not _secured(op.node.get("security", root)):
            yield Hit(
                op.pointer,
                f"{op.method.upper()} {op.path} に認証 (security) が適用されていません。",
                f"{op.method.upper()} {op.path} has no security requirement: apply one.",
            )


GATEWAY_KEY_HEADER = "X-API-Key"
_ADVICE_JA = "oauth2 (flows.clientCredentials) を宣言してください"
_ADVICE_EN = "declare oauth2 with flows.clientCredentials"


def _scheme_hits(name: str, scheme: dict[str, object], open_data: bool) -> Iterator[Hit]:
    pointer = join("/components/securitySchemes", name)
    kind = text(scheme.get("type"))
    if kind == "apiKey":
        where = text(scheme.get("in"))
        if where != "header":
            yield Hit(
                join(pointer, "in"),
                f"APIキー {name} を {where or '?'} で送らせないでください。ゲートウェイはキーを "
                f"{GATEWAY_KEY_HEADER} ヘッダーでだけ受け付けます (in: header)。",
                f"API key {name!r} must not travel in the {where or '?'}: the gateway takes "
                f"keys only in the {GATEWAY_KEY_HEADER} header (in: header).",
            )
        if not open_data:
            yield Hit(
                pointer,
                f"APIキー {name} はオープンデータのAPI (x-open-data: true) でだけ使えます。"
                f"ゲートウェイはほかのAPIでキーを受け付けず 401 を返します。{_ADVICE_JA}。",
                f"API key {name!r}: the gateway accepts API keys on open-data APIs "
                f"(x-open-data: true) only and answers 401 elsewhere; {_ADVICE_EN}.",
            )
        elif where == "header" and text(scheme.get("name")).lower() != GATEWAY_KEY_HEADER.lower():
            yield Hit(
                join(pointer, "name"),
                f"APIキー {name} のヘッダー名は {GATEWAY_KEY_HEADER} にしてください "
                "(ゲートウェイが読むヘッダーです)。",
                f"API key {name!r} must be sent as the {GATEWAY_KEY_HEADER} header (the one "
                "the gateway reads).",
            )
    elif kind == "http" and text(scheme.get("scheme")).lower() != "bearer":
        yield Hit(
            pointer,
            f"HTTP {text(scheme.get('scheme'))} 認証はゲートウェイが受け付けません。{_ADVICE_JA}。",
            f"The gateway does not accept HTTP {text(scheme.get('scheme'))!r} authentication; "
            f"{_ADVICE_EN}.",
        )
    elif kind == "oauth2" and "clientCredentials" not in as_dict(scheme.get("flows")):
        yield Hit(
            join(pointer, "flows"),
            f"ゲートウェイはクライアントクレデンシャルでだけトークンを発行します。{_ADVICE_JA}。",
            f"The gateway issues tokens by the client credentials grant only; {_ADVICE_EN}.",
        )
    elif kind in ("openIdConnect", "mutualTLS"):
        yield Hit(
            pointer,
            f"{kind} はゲートウェイが検証しません。{_ADVICE_JA}。",
            f"The gateway does not check {kind}; {_ADVICE_EN}.",
        )


def gateway_authentication(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-03: the declared schemes are the ones the gateway enforces: oauth2 client
    credentials (or an http bearer token) everywhere, an apiKey only in the X-API-Key header
    and only on open-data APIs; never a key in the query string."""
    open_data = is_open_data(ctx.doc)
    for name, raw in security_schemes(ctx.doc).items():
        yield from _scheme_hits(str(name), as_dict(raw), open_data)


def strong_auth_for_personal_data(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-04: procedure or personal-data APIs declare oauth2 or openIdConnect."""
    sensitive = ctx.doc.get("x-personal-data") is True or ctx.doc.get("x-procedure-api") is True
    kinds = {as_dict(s).get("type") for s in security_schemes(ctx.doc).values()}
    if sensitive and not kinds & {"oauth2", "openIdConnect"}:
        yield Hit(
            "/components/securitySchemes",
            "個人情報や手続を扱うAPIは oauth2 (clientCredentials) で認証してください "
            "(APIキーは使えません)。",
            "APIs handling personal data or procedures must declare oauth2 (client "
            "credentials), not an API key.",
        )


_PERSONAL_STRONG = re.compile(
    r"^(?:birth_?date|birthday|date_of_birth|dob|my_?number|individual_number|kojin_bango"
    r"|gender|sex|family_name|given_name|first_name|last_name|full_name"
    r"|passport_number|driver_license_number|health_insurance_number)$"
)
_PERSONAL_WEAK = re.compile(r"^(?:address|home_address|phone|phone_number|tel|email|mail)$")
_PERSON_SCHEMA = re.compile(
    r"person|people|user|resident|citizen|applicant|member|customer|patient|student|individual"
    r"|persoon|kojin|jumin",
    re.IGNORECASE,
)


def personal_data_hint(ctx: LintContext) -> Iterator[Hit]:
    """ATG-SEC-05: properties that look personal (birth date, My Number, a person's address or
    e-mail) while the document does not say `x-personal-data` either way."""
    if "x-personal-data" in ctx.doc:
        return
    found: list[str] = []
    for item in ctx.items:
        name = normalised(item.name)
        strong = _PERSONAL_STRONG.match(name)
        weak = _PERSONAL_WEAK.match(name) and _PERSON_SCHEMA.search(item.pointer)
        if (strong or weak) and item.name not in found:
            found.append(item.name)
    if found:
        names = ", ".join(found[:5]) + (" …" if len(found) > 5 else "")
        yield Hit(
            "/x-personal-data",
            f"個人情報らしい項目 ({names}) があります。個人情報を扱うなら x-personal-data: true、"
            "扱わないなら false を書いてください (true なら oauth2 での認証が必要です)。",
            f"Items that look personal ({names}): state x-personal-data: true if the API handles "
            "personal data (it then needs oauth2), or false if it does not.",
        )
