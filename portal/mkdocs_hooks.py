"""MkDocs hooks for the portal build (loaded through `hooks:` in mkdocs.yml).

- Japanese text wrapped over several source lines must not show a space at each wrap: a line
  break (or a single space) between two Japanese characters is removed, outside code.
- The Swagger UI plugin inserts its iframe without a title, and Material's search dialog has
  no name; both need an accessible name (WCAG 4.1.2, axe `frame-title`, `aria-dialog-name`),
  so they get one in the page's language.
"""

from __future__ import annotations

import re
from typing import Any

TITLES = {
    "ja": "API を試す (Swagger UI、サンドボックス)",
    "en": "Try the API (Swagger UI, sandbox)",
}
SEARCH_NAMES = {"ja": "サイト内検索", "en": "Search this site"}
SEARCH_DIALOG = 'data-md-component="search" role="dialog"'
_CJK = "\u3000-\u303f\u3040-\u30ff\u4e00-\u9fff\uff01-\uff60"
_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_FENCE = re.compile(r"^\s*(```|~~~)")


def join_japanese_lines(markdown: str) -> str:
    """Join wrapped Japanese lines and drop stray spaces between Japanese characters."""
    out: list[str] = []
    in_fence = False
    for raw in markdown.split("\n"):
        if _FENCE.match(raw) or in_fence:
            in_fence = in_fence != bool(_FENCE.match(raw))
            out.append(raw)
            continue
        line = _GAP.sub("", raw)
        previous = out[-1] if out else ""
        stripped = line.lstrip()
        if (
            previous
            and not _FENCE.match(previous)
            and re.search(f"[{_CJK}]$", previous)
            and stripped
            and re.match(f"[{_CJK}]", stripped)
        ):
            out[-1] = previous + stripped
            continue
        out.append(line)
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    return join_japanese_lines(markdown)


def on_post_page(output: str, page: Any, config: Any) -> str:
    language = str(config["theme"].get("language") or "ja")
    search = SEARCH_NAMES.get(language, SEARCH_NAMES["ja"])
    output = output.replace(SEARCH_DIALOG, f'{SEARCH_DIALOG} aria-label="{search}"', 1)
    title = TITLES.get(language, TITLES["ja"])
    return output.replace('class="swagger-ui-iframe"', f'class="swagger-ui-iframe" title="{title}"')
