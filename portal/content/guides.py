"""The plain-language guides: Markdown files in `guides/` with a few `$placeholders`.

Placeholders (string.Template): `$public_url`, `$token_url`, and from an example API of the
catalogue (so every command on a page can be pasted as is) `$api_page` (its page),
`$api_title` and `$example_url` (a sandbox URL of it that answers 200).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from portal.catalogue import ApiEntry, Catalogue
from portal.operations import operations
from portal.samples import sample_url
from portal.wording import Lang
from registry import urls
from registry.models import VersionState

GUIDE_DIR = Path(__file__).with_name("guides")


@dataclass(frozen=True)
class Guide:
    stem: str
    title_ja: str
    title_en: str


GUIDES = (
    Guide("getting-started", "はじめに", "Getting started"),
    Guide("tokens", "アクセストークン", "Access tokens"),
    Guide("sandbox", "サンドボックス", "The sandbox"),
    Guide("rate-limits", "利用回数の上限", "Rate limits"),
    Guide("deprecation", "非推奨と提供終了", "Deprecation and sunset"),
    Guide("faq", "よくある質問", "FAQ"),
    Guide("terms", "利用規約", "Terms of use"),
)


def example_entry(catalogue: Catalogue) -> ApiEntry | None:
    """A published API whose first GET has every path parameter exemplified."""
    for entry in catalogue.entries:
        if entry.view.state is VersionState.PUBLISHED:
            return entry
    return None


def _example_url(entry: ApiEntry | None, public: str) -> str:
    if entry is None:
        return urls.sandbox_base_url(public, "{api}", "v1") + "/…"
    base = urls.sandbox_base_url(public, entry.slug, entry.version)
    gets = [op for op in operations(entry.view.document) if op.method == "GET"]
    ready = [op for op in gets if all(p.has_example for p in op.parameters if p.required)]
    return sample_url(base, ready[-1]) if ready else base


def render_guide(guide: Guide, catalogue: Catalogue, lang: Lang) -> str:
    source = (GUIDE_DIR / f"{guide.stem}.{lang}.md").read_text(encoding="utf-8")
    public = catalogue.public_url
    entry = example_entry(catalogue)
    page = f"apis/{entry.slug}/{entry.version}/index.md" if entry else "index.md"
    return Template(source).safe_substitute(
        public_url=public,
        token_url=urls.token_url(public),
        example_url=_example_url(entry, public),
        api_page=page,
        api_title=f"{entry.title} {entry.version}" if entry else "API",
    )
