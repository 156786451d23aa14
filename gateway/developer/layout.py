"""The account pages' frame: the portal's own built page `account/` cut at its content slot.

The portal generates an "account" page whose body is only `SLOT` (portal/pages/account_page.py),
so its header, navigation, search, footer and stylesheets are the portal's own. The gateway
fills the slot per request. Before the first portal build (or with autobuild off) a plain
frame with the portal's stylesheet stands in.
"""

from __future__ import annotations

import html
from pathlib import Path

from gateway.site.files import PortalSite
from portal.pages.account_page import SLOT
from portal.wording import Lang
from registry import urls

_TITLE_END = "</title>"


class Layout:
    """`page(lang, title, body)` → a whole HTML document."""

    def __init__(self, site: PortalSite) -> None:
        self._site = site
        self._cache: dict[tuple[Path, Lang], tuple[str, str]] = {}

    def page(self, lang: Lang, title: str, body: str) -> str:
        head, tail = self._frame(lang)
        head = _retitle(head, title)
        return f"{head}<h1>{html.escape(title)}</h1>\n{body}{tail}"

    def _frame(self, lang: Lang) -> tuple[str, str]:
        directory = self._site.directory
        if directory is None:
            return _fallback(lang)
        cached = self._cache.get((directory, lang))
        if cached is not None:
            return cached
        relative = "account/index.html" if lang == "ja" else "en/account/index.html"
        try:
            text = (directory / relative).read_text(encoding="utf-8")
        except OSError:
            return _fallback(lang)
        head, found, tail = text.partition(SLOT)
        if not found:
            return _fallback(lang)
        head = _with_base(_drop_placeholder_heading(head), lang)
        if any(cached_dir != directory for cached_dir, _ in self._cache):
            self._cache.clear()  # a new build: forget the previous one's frames
        self._cache[(directory, lang)] = (head, tail)
        return head, tail


def _with_base(head: str, lang: Lang) -> str:
    """The built page's links are relative to `/portal/account/`; a `<base>` keeps them right
    on deeper pages (`apps/{id}`). The pages' own links are absolute paths."""
    base = f'<base href="{urls.account_path("", lang)}">'
    return head.replace("<head>", "<head>" + base, 1)


def _retitle(head: str, title: str) -> str:
    start = head.find("<title>")
    end = head.find(_TITLE_END, start)
    if start < 0 or end < 0:
        return head
    return head[: start + len("<title>")] + html.escape(title) + " - Tsunagu" + head[end:]


def _drop_placeholder_heading(head: str) -> str:
    """The generated page's own `<h1>` stands before the slot; each page brings its own."""
    start = head.rfind("<h1")
    end = head.find("</h1>", start)
    return head[:start] + head[end + len("</h1>") :] if start >= 0 and end >= 0 else head


def _fallback(lang: Lang) -> tuple[str, str]:
    head = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<title>Tsunagu</title>"
        '<link rel="stylesheet" href="/portal/stylesheets/tsunagu.css"></head>'
        '<body><main class="md-main"><div class="md-content"><article class="md-typeset">'
    )
    return head, "</article></div></main></body></html>"
