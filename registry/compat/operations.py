"""Paths, operations, parameters, request bodies, responses and security of two documents.

Paths are matched by their template with the parameter names blanked (`/pets/{id}` and
`/pets/{petId}` are one path); path parameters are matched by their place in the template, the
others by location and name (header names without regard to case), path-level parameters
merged under the operation's own (OpenAPI 3.x, Path Item Object).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from registry.compat.report import Collector, resolved
from registry.compat.schemas import Context, compare_schema
from registry.openapi import OpenApiDocument, Operation, PathItem, join

_TEMPLATE_PARAM = re.compile(r"\{([^{}/]+)\}")

ParamKey = tuple[str, str]


def path_key(template: str) -> str:
    return _TEMPLATE_PARAM.sub("{}", template)


def compare_paths(diff: Collector) -> None:
    old_items = {path_key(i.path): i for i in diff.old.path_items}
    new_items = {path_key(i.path): i for i in diff.new.path_items}
    for key, item in old_items.items():
        if key not in new_items:
            diff.add("api-path-removed", item.pointer, name=item.path)
            continue
        compare_path_item(diff, item, new_items[key])
    for key, item in new_items.items():
        if key not in old_items:
            diff.add("api-path-added", item.pointer, name=item.path)


def compare_path_item(diff: Collector, old: PathItem, new: PathItem) -> None:
    new_ops = {op.method: op for op in new.operations()}
    old_ops = {op.method: op for op in old.operations()}
    for method, op in old_ops.items():
        where = f"{method.upper()} {new.path}"
        if method not in new_ops:
            diff.add("api-removed", op.pointer, where=where)
            continue
        compare_operation(diff, where, op, new_ops[method])
    for method, op in new_ops.items():
        if method not in old_ops:
            diff.add("api-added", op.pointer, where=f"{method.upper()} {new.path}")


def compare_operation(diff: Collector, where: str, old: Operation, new: Operation) -> None:
    _compare_parameters(diff, where, old, new)
    _compare_request_body(diff, where, old, new)
    _compare_responses(diff, where, old, new)
    _compare_security(diff, where, old, new)


# parameters ------------------------------------------------------------------------------------
def parameters(
    doc: OpenApiDocument, op: Operation
) -> dict[ParamKey, tuple[Mapping[str, Any], str]]:
    """The operation's parameters, path-level ones first and overridden by its own."""
    slots = [name for name in _TEMPLATE_PARAM.findall(op.path)]
    found: dict[ParamKey, tuple[Mapping[str, Any], str]] = {}
    item_pointer = op.pointer.rsplit("/", 1)[0]
    for owner, pointer in ((op.path_item, item_pointer), (op.node, op.pointer)):
        listed = owner.get("parameters")
        if not isinstance(listed, list):
            continue
        for index, raw in enumerate(listed):
            node, at = resolved(doc, raw, join(pointer, "parameters", index))
            if not isinstance(node, Mapping) or not isinstance(node.get("name"), str):
                continue
            found[_param_key(node, slots)] = (node, at)
    return found


def _param_key(node: Mapping[str, Any], slots: list[str]) -> ParamKey:
    where, name = str(node.get("in", "")), str(node["name"])
    if where == "path" and name in slots:
        return where, f"#{slots.index(name)}"
    return where, name.lower() if where == "header" else name


def _param_name(node: Mapping[str, Any]) -> str:
    return f"{node.get('name')} ({node.get('in')})"


def _required(node: Mapping[str, Any]) -> bool:
    return node.get("in") == "path" or node.get("required") is True


def _compare_parameters(diff: Collector, where: str, old: Operation, new: Operation) -> None:
    before, after = parameters(diff.old, old), parameters(diff.new, new)
    for key, (node, pointer) in before.items():
        if key not in after:
            diff.add("request-parameter-removed", pointer, where=where, name=_param_name(node))
            continue
        new_node, new_pointer = after[key]
        name = _param_name(new_node)
        if _required(new_node) and not _required(node):
            diff.add("request-parameter-became-required", new_pointer, where=where, name=name)
        elif _required(node) and not _required(new_node):
            diff.add("request-parameter-became-optional", new_pointer, where=where, name=name)
        compare_schema(
            diff,
            Context("request", where, f"parameter {name}"),
            (node.get("schema"), join(pointer, "schema")),
            (new_node.get("schema"), join(new_pointer, "schema")),
        )
    for key, (node, pointer) in after.items():
        if key not in before:
            kind = (
                "new-required-request-parameter"
                if _required(node)
                else ("new-optional-request-parameter")
            )
            diff.add(kind, pointer, where=where, name=_param_name(node))


# request bodies -----------------------------------------------------------------------------------
def _body(doc: OpenApiDocument, op: Operation) -> tuple[Mapping[str, Any] | None, str]:
    raw = op.node.get("requestBody")
    pointer = join(op.pointer, "requestBody")
    if raw is None:
        return None, pointer
    node, at = resolved(doc, raw, pointer)
    return (node if isinstance(node, Mapping) else None), at


def _compare_request_body(diff: Collector, where: str, old: Operation, new: Operation) -> None:
    (before, old_pointer), (after, new_pointer) = _body(diff.old, old), _body(diff.new, new)
    if before is None and after is None:
        return
    if after is None:
        diff.add("request-body-removed", old_pointer, where=where)
        return
    now_required = after.get("required") is True
    if before is None:
        kind = "request-body-added-required" if now_required else "request-body-added-optional"
        diff.add(kind, new_pointer, where=where)
        return
    was_required = before.get("required") is True
    if now_required and not was_required:
        diff.add("request-body-became-required", new_pointer, where=where)
    elif was_required and not now_required:
        diff.add("request-body-became-optional", new_pointer, where=where)
    _compare_content(diff, Context("request", where), (before, old_pointer), (after, new_pointer))


def _compare_content(
    diff: Collector,
    ctx: Context,
    old: tuple[Mapping[str, Any], str],
    new: tuple[Mapping[str, Any], str],
) -> None:
    """Media types of a request body or response (`ctx.where` names which) and their schemas."""
    (before, old_pointer), (after, new_pointer) = old, new
    old_content, new_content = before.get("content"), after.get("content")
    old_media = old_content if isinstance(old_content, Mapping) else {}
    new_media = new_content if isinstance(new_content, Mapping) else {}
    request = ctx.direction == "request"
    removed = "request-body-media-type-removed" if request else "response-media-type-removed"
    added = "request-media-type-added" if request else "response-media-type-added"
    for media, node in old_media.items():
        pointer = join(old_pointer, "content", media)
        if media not in new_media:
            diff.add(removed, pointer, where=ctx.where, name=str(media))
            continue
        other = new_media[media]
        if isinstance(node, Mapping) and isinstance(other, Mapping):
            compare_schema(
                diff,
                Context(ctx.direction, f"{ctx.where} {media}", "body"),
                (node.get("schema"), join(pointer, "schema")),
                (other.get("schema"), join(new_pointer, "content", media, "schema")),
            )
    for media in new_media:
        if media not in old_media:
            pointer = join(new_pointer, "content", media)
            diff.add(added, pointer, where=ctx.where, name=str(media))


# responses --------------------------------------------------------------------------------------
def _responses(doc: OpenApiDocument, op: Operation) -> dict[str, tuple[Mapping[str, Any], str]]:
    raw = op.node.get("responses")
    if not isinstance(raw, Mapping):
        return {}
    found: dict[str, tuple[Mapping[str, Any], str]] = {}
    for status, response in raw.items():
        node, at = resolved(doc, response, join(op.pointer, "responses", status))
        if isinstance(node, Mapping):
            found[str(status).upper()] = (node, at)
    return found


def _compare_responses(diff: Collector, where: str, old: Operation, new: Operation) -> None:
    before, after = _responses(diff.old, old), _responses(diff.new, new)
    for status, (node, pointer) in before.items():
        if status not in after:
            kind = (
                "response-success-status-removed"
                if status.startswith("2")
                else ("response-non-success-status-removed")
            )
            diff.add(kind, pointer, where=where, name=status)
            continue
        new_node, new_pointer = after[status]
        context = Context("response", f"{where} {status}")
        _compare_content(diff, context, (node, pointer), (new_node, new_pointer))
    for status, (_, pointer) in after.items():
        if status not in before:
            diff.add("response-status-added", pointer, where=where, name=status)


# security -----------------------------------------------------------------------------------------
Alternative = tuple[tuple[str, tuple[str, ...]], ...]


def _alternatives(doc: OpenApiDocument, op: Operation) -> tuple[set[Alternative], str]:
    """The operation's security alternatives (its own or the document's); none means anyone."""
    if "security" in op.node:
        raw, pointer = op.node.get("security"), join(op.pointer, "security")
    else:
        raw, pointer = doc.raw.get("security"), "/security"
    found: set[Alternative] = set()
    for requirement in raw if isinstance(raw, list) else []:
        if isinstance(requirement, Mapping):
            found.add(
                tuple(
                    sorted(
                        (str(name), tuple(sorted(str(s) for s in scopes)))
                        for name, scopes in requirement.items()
                        if isinstance(scopes, list)
                    )
                )
            )
    return found or {()}, pointer


def _shown(alternative: Alternative) -> str:
    if not alternative:
        return "(none)"
    return " + ".join(
        f"{name}[{' '.join(scopes)}]" if scopes else name for name, scopes in alternative
    )


def _compare_security(diff: Collector, where: str, old: Operation, new: Operation) -> None:
    (before, old_pointer), (after, new_pointer) = (
        _alternatives(diff.old, old),
        _alternatives(diff.new, new),
    )
    for alternative in sorted(before - after):
        diff.add("api-security-changed", old_pointer, where=where, name=_shown(alternative))
    for alternative in sorted(after - before):
        diff.add("security-alternative-added", new_pointer, where=where, name=_shown(alternative))


_SCHEME_TEXT = frozenset({"description"})


def compare_security_schemes(diff: Collector) -> None:
    """A scheme callers already use must keep its type, location, name and flows."""
    before, after = _schemes(diff.old), _schemes(diff.new)
    for name, (node, pointer) in before.items():
        other = after.get(name)
        if other is None or _without_text(node) != _without_text(other[0]):
            diff.add("security-scheme-changed", pointer, name=name)


def _schemes(doc: OpenApiDocument) -> dict[str, tuple[Mapping[str, Any], str]]:
    components = doc.raw.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, Mapping) else None
    if not isinstance(schemes, Mapping):
        return {}
    found: dict[str, tuple[Mapping[str, Any], str]] = {}
    for name, raw in schemes.items():
        node, at = resolved(doc, raw, join("/components/securitySchemes", name))
        if isinstance(node, Mapping):
            found[str(name)] = (node, at)
    return found


def _without_text(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k: _without_text(v) for k, v in node.items() if k not in _SCHEME_TEXT}
    return node
