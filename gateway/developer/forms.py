"""Pieces of the account pages: bilingual text, form parsing, fields with their errors next
to them, and dates in Japan time. Everything user-supplied is escaped here."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

from fastapi import Request

from gateway.developer.web import CSRF_FIELD
from portal.wording import Lang
from registry.errors import RegistryError
from registry.problems import CATALOGUE, ProblemCode, Text

JST = timezone(timedelta(hours=9))
MAX_FORM_BYTES = 16 * 1024

# Which field a refusal belongs next to; the others show above the form.
FIELD_OF: dict[str, str] = {
    "invalid-email": "email",
    "weak-password": "password",
    "terms-not-accepted": "terms",
    "app-incomplete": "name",
    "use-description-needed": "use",
    "unknown-scopes": "api",
    "access-request-exists": "api",
}


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def jst(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M (+09:00)")


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form (first value of each field); an oversized body reads as empty."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in parsed.items()}


@dataclass
class FormErrors:
    """Catalogue messages by field (`""` for the whole form), in both languages."""

    by_field: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, error: RegistryError, *, field: str | None = None) -> None:
        """`field` puts the message next to that field whatever its code (a form of one)."""
        self.add_code(error.code, error.params, field=field)

    def add_code(
        self,
        code: ProblemCode,
        params: Mapping[str, object] | None = None,
        *,
        field: str | None = None,
    ) -> None:
        kind = CATALOGUE[code]
        values = {k: v for k, v in (params or {}).items() if isinstance(v, str | int | Text)}
        pair = (kind.detail("ja", values), kind.detail("en", values))
        self.by_field.setdefault(field or FIELD_OF.get(code, ""), []).append(pair)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def summary(self, lang: Lang) -> str:
        items = self.by_field.get("", [])
        if not items:
            return ""
        lines = "".join(f"<p>{_bilingual(pair, lang)}</p>" for pair in items)
        heading = "送信できませんでした" if lang == "ja" else "The form was not accepted"
        return (
            '<div class="admonition failure" role="alert" id="form-error">'
            f'<p class="admonition-title">{heading}</p>{lines}</div>'
        )

    def of(self, name: str) -> list[tuple[str, str]]:
        return self.by_field.get(name, [])


def _bilingual(pair: tuple[str, str], lang: Lang) -> str:
    first, second = (pair[0], pair[1]) if lang == "ja" else (pair[1], pair[0])
    other = "en" if lang == "ja" else "ja"
    return f'{esc(first)}<br><span lang="{other}">{esc(second)}</span>'


def field_html(
    name: str,
    label: str,
    errors: FormErrors,
    lang: Lang,
    *,
    kind: str = "text",
    value: str = "",
    hint: str = "",
    autocomplete: str = "",
    required: bool = True,
) -> str:
    """A labelled input with its hint and its errors right below the label."""
    problems = errors.of(name)
    described = " ".join(
        part for part, used in ((f"{name}-hint", hint), (f"{name}-error", problems)) if used
    )
    attrs = [f'id="{name}"', f'name="{name}"', f'type="{kind}"']
    if kind != "password":
        attrs.append(f'value="{esc(value)}"')
    if autocomplete:
        attrs.append(f'autocomplete="{autocomplete}"')
    if required:
        attrs.append("required")
    if described:
        attrs.append(f'aria-describedby="{described}"')
    if problems:
        attrs.append('aria-invalid="true"')
    hint_html = f'<p class="tsunagu-hint" id="{name}-hint">{esc(hint)}</p>' if hint else ""
    return (
        f'<div class="tsunagu-field{" tsunagu-field--error" if problems else ""}">'
        f'<label for="{name}">{esc(label)}</label>{hint_html}{error_html(name, errors, lang)}'
        f"<input {' '.join(attrs)}></div>"
    )


def error_html(name: str, errors: FormErrors, lang: Lang) -> str:
    problems = errors.of(name)
    if not problems:
        return ""
    inner = "".join(f"<span>{_bilingual(p, lang)}</span>" for p in problems)
    return f'<p class="tsunagu-error" id="{name}-error">{inner}</p>'


def form_html(
    action: str,
    csrf: str,
    inner: str,
    button: str,
    *,
    danger: bool = False,
    compact: bool = False,
) -> str:
    """A POST form with its CSRF field; `compact` for a one-button form inside a table row."""
    css = "md-button md-button--primary" if not danger else "md-button tsunagu-danger"
    form_css = "tsunagu-form tsunagu-form--compact" if compact else "tsunagu-form"
    return (
        f'<form method="post" action="{esc(action)}" class="{form_css}" novalidate>'
        f'<input type="hidden" name="{CSRF_FIELD}" value="{esc(csrf)}">{inner}'
        f'<button type="submit" class="{css}">{esc(button)}</button></form>'
    )


def table_html(
    caption: str, headers: list[str], rows: list[list[str]], *, hide_caption: bool = False
) -> str:
    """A table whose cells are already-escaped HTML; a caption that repeats the heading above
    is kept for screen readers only."""
    css = ' class="tsunagu-sr-only"' if hide_caption else ""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption{css}>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
