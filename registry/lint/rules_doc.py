"""Checks for the description of the API (ATG-DOC-02..08, 11..13; TG §4.2-4.3, IG §4.2)."""

from __future__ import annotations

from collections.abc import Iterator

from registry.lint.context import LintContext, as_dict, as_list, text
from registry.lint.model import Hit
from registry.lint.pointer import join, tokens
from registry.lint.structure import refs


def info_description(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-02: `info.description` says what data and functions the API offers."""
    if not text(as_dict(ctx.doc.get("info")).get("description")).strip():
        yield Hit(
            "/info/description",
            "info.description がありません。APIが提供するデータと機能を説明してください。",
            "info.description is missing: describe the data and functions the API offers.",
        )


def operation_summary(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-03: every operation has a summary or a description."""
    for op in ctx.operations:
        if not (text(op.node.get("summary")).strip() or text(op.node.get("description")).strip()):
            yield Hit(
                op.pointer,
                f"{op.method.upper()} {op.path} に summary も description もありません。"
                "操作の内容を書いてください。",
                f"{op.method.upper()} {op.path} has neither summary nor description: add one.",
            )


def success_examples(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-04: every 2xx response with a body has an example (the sandbox answers with it)."""
    for op in ctx.operations:
        for response in ctx.responses(op):
            if not response.status.startswith("2"):
                continue
            for media in ctx.media(response.node, response.pointer):
                schema, _ = ctx.resolved(media.node.get("schema"), media.pointer)
                if not ({"example", "examples"} & media.node.keys() or "example" in schema):
                    yield Hit(
                        media.pointer,
                        f"{op.method.upper()} {op.path} の {response.status} 応答 ({media.type}) "
                        "に example/examples がありません。"
                        "サンドボックスが返す例を追加してください。",
                        f"The {response.status} response ({media.type}) of {op.method.upper()} "
                        f"{op.path} has no example/examples: add one for the sandbox to serve.",
                    )


def terms_of_service(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-05: `info.termsOfService` links the terms of use."""
    if not text(as_dict(ctx.doc.get("info")).get("termsOfService")).strip():
        yield Hit(
            "/info/termsOfService",
            "info.termsOfService がありません。利用規約 (ライセンス、クレジット表記、禁止事項、"
            "免責) のURLを書いてください。",
            "info.termsOfService is missing: link the terms of use (licence, credit, "
            "prohibitions, disclaimer).",
        )


def license_present(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-06: `info.license` names the licence of the content."""
    if not text(as_dict(as_dict(ctx.doc.get("info")).get("license")).get("name")).strip():
        yield Hit(
            "/info/license",
            "info.license がありません。データのライセンス (例: CC BY 4.0) を書いてください。",
            "info.license is missing: name the licence of the data (e.g. CC BY 4.0).",
        )


def contact_present(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-07: `info.contact` gives an email address or a URL (an absent contact is a
    REG-META-01 error instead: one defect, one finding)."""
    contact = as_dict(as_dict(ctx.doc.get("info")).get("contact"))
    if contact and not (text(contact.get("email")).strip() or text(contact.get("url")).strip()):
        yield Hit(
            "/info/contact",
            "info.contact にメールアドレスまたはURLがありません。問い合わせ先を書いてください。",
            "info.contact has no email or URL: give developers a way to reach you.",
        )


def property_descriptions(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-08: every schema property has a description (on it or on its target)."""
    for schema, pointer in ctx.schemas:
        for name, raw in as_dict(schema.get("properties")).items():
            target, _ = ctx.resolved(raw, pointer)
            if text(as_dict(raw).get("description")) or text(target.get("description")):
                continue
            yield Hit(
                join(pointer, "properties", name),
                f"プロパティ {name} に description がありません。項目の意味を書いてください。",
                f"Property {name} has no description: say what the item means.",
            )


def operation_ids(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-11: every operation has an `operationId` (code samples and try-it name the
    operation by it)."""
    for op in ctx.operations:
        if not text(op.node.get("operationId")).strip():
            yield Hit(
                op.pointer,
                f"{op.method.upper()} {op.path} に operationId がありません。コード例と試用画面が"
                "使う名前 (例: list_libraries) を付けてください。",
                f"{op.method.upper()} {op.path} has no operationId: name it (e.g. "
                "list_libraries) for code samples and try-it.",
            )


def declared_tags(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-12: every tag an operation uses is declared in the root `tags` (with a
    description the portal shows)."""
    declared = {text(as_dict(t).get("name")) for t in as_list(ctx.doc.get("tags"))}
    reported: set[str] = set()
    for op in ctx.operations:
        for index, tag in enumerate(as_list(op.node.get("tags"))):
            name = str(tag)
            if name in declared or name in reported:
                continue
            reported.add(name)
            yield Hit(
                join(op.pointer, "tags", index),
                f"タグ {name} がルートの tags に宣言されていません。説明と一緒に宣言してください。",
                f"Tag {name!r} is not declared in the root tags: declare it with a description.",
            )


def _component_of(pointer: str) -> tuple[str, str] | None:
    parts = tokens(pointer)
    if len(parts) >= 3 and parts[0] == "components":
        return parts[1], parts[2]
    return None


def unused_components(ctx: LintContext) -> Iterator[Hit]:
    """ATG-DOC-13: every component is used: reached by a `$ref` from outside `components`
    (directly or through other used components), or, for a security scheme, named in a
    security requirement."""
    refs_from: dict[tuple[str, str] | None, list[str]] = {}
    for source, ref in refs(ctx.doc):
        if ref.startswith("#"):
            refs_from.setdefault(_component_of(source), []).append(ref[1:])
    used: set[tuple[str, str]] = set()
    pending = list(refs_from.get(None, []))
    while pending:
        target = _component_of(pending.pop())
        if target is not None and target not in used:
            used.add(target)
            pending.extend(refs_from.get(target, []))
    requirements = [*as_list(ctx.doc.get("security"))]
    for op in ctx.operations:
        requirements += as_list(op.node.get("security"))
    for requirement in requirements:
        used.update(("securitySchemes", str(name)) for name in as_dict(requirement))
    for kind, group in as_dict(ctx.doc.get("components")).items():
        if str(kind).startswith("x-"):
            continue
        for name in as_dict(group):
            if (str(kind), str(name)) not in used:
                yield Hit(
                    join("/components", kind, name),
                    f"components.{kind}.{name} はどこからも使われていません。"
                    "削除するか、参照してください。",
                    f"components.{kind}.{name} is not used anywhere: remove it or refer to it.",
                )
