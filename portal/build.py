"""Builds the portal: registry → Markdown and OpenAPI files → `mkdocs build --strict`.

`build_site` writes into a directory that must not exist yet, so a reader never sees a half
built site; `build_into` replaces a directory's content by building beside it and renaming.
MkDocs runs in this process: the gateway builds through `python -m portal` (a child process)
so the build never holds its event loop or its GIL.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.catalogue import Catalogue, load_catalogue
from portal.generate import nav, nav_translations, try_it_pages, write_sources
from registry import urls
from registry.settings import Settings
from registry.store import open_store

log = logging.getLogger(__name__)
CONFIG_FILE = Path(__file__).resolve().parent.parent / "mkdocs.yml"
MARKER = ".tsunagu-portal"  # in every built site: only such a directory may be replaced


class PortalBuildError(Exception):
    """The site could not be built (strict-mode warnings included); the message says why."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    pages: int
    seconds: float
    change_id: int


def _mkdocs_config(catalogue: Catalogue, docs: Path, site: Path) -> Any:
    from mkdocs.config import load_config

    if not CONFIG_FILE.is_file():
        raise PortalBuildError(f"{CONFIG_FILE} is missing: the portal needs it to build")
    config = load_config(
        config_file=str(CONFIG_FILE),
        docs_dir=str(docs),
        site_dir=str(site),
        site_url=urls.portal_url(catalogue.public_url),
        nav=nav(catalogue),
        strict=True,
    )
    swagger = config["plugins"].get("swagger-ui-tag")
    if swagger is not None:
        swagger.config["filter_files"] = try_it_pages(catalogue)
    i18n = config["plugins"].get("i18n")
    for language in i18n.config["languages"] if i18n is not None else ():
        if language["locale"] == "en":
            language["nav_translations"] = nav_translations(catalogue)
    return config


def build_site(catalogue: Catalogue, site: Path) -> BuildResult:
    """Generate and build into `site`, which must not exist yet."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    if site.exists():
        raise PortalBuildError(f"{site} already exists; build into a new directory")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tsunagu-portal-src-") as tmp:
        docs = Path(tmp) / "docs"
        write_sources(catalogue, docs)
        pages = sum(1 for _ in docs.rglob("*.md"))
        try:
            config = _mkdocs_config(catalogue, docs, site)
            build(config)
        except (MkDocsException, Abort) as exc:
            shutil.rmtree(site, ignore_errors=True)
            raise PortalBuildError(f"mkdocs build failed: {exc}") from exc
    (site / MARKER).write_text("built by tsunagu portal build; replaced by the next build\n")
    return BuildResult(site, pages, time.perf_counter() - started, catalogue.change_id)


def build_into(catalogue: Catalogue, out: Path) -> BuildResult:
    """Build beside `out`, then put the new site in its place (the old one is removed). A
    directory that is neither empty nor an earlier build is never touched."""
    out = out.resolve()
    check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    staging.rmdir()
    result = build_site(catalogue, staging)
    retired = out.with_name(f".{out.name}-old-{staging.name}")
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)
    return BuildResult(out, result.pages, result.seconds, result.change_id)


def check_replaceable(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PortalBuildError(f"{out} is a file, not a directory for the site")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise PortalBuildError(
            f"{out} is not empty and is not an earlier portal build; choose another --out"
        )


def build_from_settings(settings: Settings, out: Path) -> BuildResult:
    """Read the configured registry and build into `out` (the CLI's and the worker's path)."""
    store = open_store(settings)
    try:
        catalogue = load_catalogue(store, settings.public_url)
    finally:
        store.dispose()
    return build_into(catalogue, out)
