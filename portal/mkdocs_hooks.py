"""MkDocs hooks for the portal build (loaded through `hooks:` in mkdocs.yml).

The Swagger UI plugin inserts its iframe without a title; a frame needs an accessible name
(WCAG 4.1.2, axe `frame-title`), so the try-it frame gets one in the page's language.
"""

from __future__ import annotations

from typing import Any

TITLES = {
    "ja": "API を試す (Swagger UI、サンドボックス)",
    "en": "Try the API (Swagger UI, sandbox)",
}


def on_post_page(output: str, page: Any, config: Any) -> str:
    if 'class="swagger-ui-iframe"' not in output:
        return output
    language = str(config["theme"].get("language") or "ja")
    title = TITLES.get(language, TITLES["ja"])
    return output.replace('class="swagger-ui-iframe"', f'class="swagger-ui-iframe" title="{title}"')
