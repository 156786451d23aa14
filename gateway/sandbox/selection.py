"""Which response the sandbox sends: status, media type and body, steered by `Prefer`.

`Prefer` is RFC 7240 (§2: comma-separated `token[=value]` preferences, several headers
allowed, unknown ones ignored); the tokens follow the Prism (Stoplight) mock convention:

- `code=404` — answer with the response declared for that status (exact, else its range
  `4XX`, else `default`). Without it the lowest declared 2xx status is used (else `2XX`,
  else `default`, each as 200).
- `example=tokyo` — answer with the named example: searched in the chosen status (only there
  when `code` is also given), else in every status that declares it, lowest first.
- `dynamic=true` — ignore the document's examples and synthesise a body from the schema.

An unknown code or example is the caller's mistake: `SelectionError` names the declared ones.
Bodies come from, in order: `content[mt].examples[name].value` (with `$ref`s into
`components/examples` resolved), `content[mt].example`, the schema's `example`/`examples`, and
last a body synthesised from the schema. Applied preferences are echoed in
`Preference-Applied` (RFC 7240 §3). The media type follows `Accept` (highest q, then the
document's order).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from gateway.sandbox.index import Operation, SandboxIndex
from gateway.sandbox.synthesis import schema_example, synthesise
from gateway.sandbox.validation import media_base
from registry.openapi import DocumentError, join, resolve


class SelectionError(Exception):
    """The caller preferred a status or an example the operation does not declare."""


@dataclass(frozen=True, slots=True)
class Preferences:
    code: str | None = None
    example: str | None = None
    dynamic: bool = False

    @classmethod
    def parse(cls, headers: list[str]) -> Preferences:
        """The `code`, `example` and `dynamic` preferences from `Prefer` header values."""
        found: dict[str, str] = {}
        for header in headers:
            for item in header.split(","):
                token, _, value = item.split(";", 1)[0].strip().partition("=")
                name = token.strip().lower()
                if name and name not in found:  # RFC 7240 §2: the first occurrence wins
                    found[name] = value.strip().strip('"')
        return cls(
            code=found.get("code") or None,
            example=found.get("example") or None,
            dynamic=found.get("dynamic", "").lower() == "true",
        )


@dataclass(frozen=True, slots=True)
class Chosen:
    """The response to send; `media_type` None means no body."""

    status: int
    media_type: str | None
    body: Any
    applied: tuple[str, ...]


def choose(
    index: SandboxIndex, operation: Operation, prefs: Preferences, accept: str | None
) -> Chosen:
    """The response for this operation under these preferences (or `SelectionError`)."""
    responses = _responses(index, operation)
    applied: list[str] = []
    if prefs.code is not None:
        key, status = _by_code(responses, prefs.code)
        applied.append(f"code={prefs.code}")
    else:
        key, status = _default(responses)
    if prefs.example is not None:
        keys = [key] if prefs.code is not None else [key, *(k for k in responses if k != key)]
        key = next((k for k in keys if _has_example(responses[k], prefs.example)), "")
        if not key:
            raise SelectionError(_no_example(prefs.example, responses, keys))
        if prefs.code is None:
            status = _status_of(key, 200)
        applied.append(f"example={prefs.example}")
    if prefs.dynamic:
        applied.append("dynamic=true")
    response, pointer = responses[key]
    content = response.get("content") or {}
    if not isinstance(content, Mapping) or not content or status in _NO_CONTENT:
        return Chosen(status, None, None, tuple(applied))
    media = _media(content, accept, prefs.example)
    body = _body(index, content[media], join(pointer, "content", media), prefs)
    return Chosen(status, media, body, tuple(applied))


Responses = dict[str, tuple[Mapping[str, Any], str]]
# RFC 9110 §15.3.5 and §15.4.5: these responses end with the header section, whatever the
# document declares as their content.
_NO_CONTENT = frozenset({204, 304})


def _responses(index: SandboxIndex, operation: Operation) -> Responses:
    declared = operation.node.get("responses") or {}
    out: Responses = {}
    for key in sorted(declared, key=_order):
        node, at = resolve(index.document, declared[key], join(operation.pointer, "responses", key))
        if isinstance(node, Mapping):
            out[str(key)] = (node, at)
    if not out:
        raise DocumentError(
            f"{operation.method.upper()} {operation.template} declares no responses"
        )
    return out


def _order(key: Any) -> tuple[int, str]:
    """Numeric statuses first, then ranges (`2XX`), then `default`."""
    text = str(key).upper()
    return (0 if text.isdigit() else 1 if text != "DEFAULT" else 2, text)


def _status_of(key: str, fallback: int) -> int:
    text = key.upper()
    if text.isdigit():
        return int(text)
    if len(text) == 3 and text[0].isdigit() and text.endswith("XX"):
        return int(text[0]) * 100
    return fallback


def _default(responses: Responses) -> tuple[str, int]:
    for key in responses:
        if key.isdigit() and key.startswith("2"):
            return key, int(key)
    for key in ("2XX", "2xx", "default"):
        if key in responses:
            return key, 200
    first = next(iter(responses))
    return first, _status_of(first, 200)


def _by_code(responses: Responses, code: str) -> tuple[str, int]:
    """The response for a final status (200–599, RFC 9110 §15): a 1xx is not an answer, and
    `default` must not turn `code=999` into a status line no server can write."""
    if not (code.isdigit() and len(code) == 3 and "200" <= code <= "599"):
        raise SelectionError(
            f"code={code!r} is not an HTTP status of a final response, 200-599"
            f" (declared: {_codes(responses)})"
        )
    for key in (code, code[0] + "XX", code[0] + "xx", "default"):
        if key in responses:
            return key, int(code)
    raise SelectionError(f"status {code} is not declared (declared: {_codes(responses)})")


def _codes(responses: Responses) -> str:
    return ", ".join(responses)


def _examples(response: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(media type, its named-examples mapping) for every media type of a response."""
    for media, spec in (response.get("content") or {}).items():
        examples = spec.get("examples") if isinstance(spec, Mapping) else None
        if isinstance(examples, Mapping):
            yield media, examples


def _has_example(entry: tuple[Mapping[str, Any], str], name: str) -> bool:
    return any(name in examples for _, examples in _examples(entry[0]))


def _no_example(name: str, responses: Responses, keys: list[str]) -> str:
    listed = []
    for key in keys:
        names = sorted({n for _, ex in _examples(responses[key][0]) for n in ex})
        if names:
            listed.append(f"{key}: {', '.join(names)}")
    return f"example {name!r} is not declared (declared: {'; '.join(listed) or 'none'})"


def _media(content: Mapping[str, Any], accept: str | None, example: str | None) -> str:
    """The declared media type to answer with: one holding the example, best for `Accept`."""
    declared = list(content)
    if example is not None:
        declared = [m for m in declared if example in (content[m].get("examples") or {})]
    ranges = _accept(accept)
    if not ranges:
        return declared[0]
    scored = [
        (max((q for r, q in ranges if _covers(r, m)), default=0.0), -i, m)
        for i, m in enumerate(declared)
    ]
    best = max(scored)
    return best[2] if best[0] > 0 else declared[0]


def _accept(accept: str | None) -> list[tuple[str, float]]:
    ranges: list[tuple[str, float]] = []
    for item in (accept or "").split(","):
        media, *params = item.split(";")
        q = 1.0
        for param in params:
            name, _, value = param.strip().partition("=")
            if name.lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media.strip():
            ranges.append((media.strip().lower(), q))
    return ranges


def _covers(media_range: str, media: str) -> bool:
    base = media_base(media)
    return media_range in ("*/*", base) or (
        media_range.endswith("/*") and base.startswith(media_range[:-1])
    )


def _body(index: SandboxIndex, spec: Any, pointer: str, prefs: Preferences) -> Any:
    spec = spec if isinstance(spec, Mapping) else {}
    examples = spec.get("examples") if isinstance(spec.get("examples"), Mapping) else {}
    if prefs.example is not None:
        return _example_value(
            index, examples[prefs.example], join(pointer, "examples", prefs.example)
        )
    schema = spec.get("schema")
    if not prefs.dynamic:
        for name in examples:
            return _example_value(index, examples[name], join(pointer, "examples", name))
        if "example" in spec:
            return spec["example"]
        own = schema_example(resolve(index.document, schema, join(pointer, "schema"))[0] or {})
        if own is not None:
            return own
    return synthesise(index.document, schema or {})


def _example_value(index: SandboxIndex, example: Any, pointer: str) -> Any:
    node, at = resolve(index.document, example, pointer)
    if not isinstance(node, Mapping) or "value" not in node:
        raise DocumentError(
            f"example at {at!r} has no inline `value` (externalValue is not served)"
        )
    return node["value"]
