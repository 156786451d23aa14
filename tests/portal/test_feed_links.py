"""The portal links the change feeds: the catalogue to all changes, each API page to its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.catalogue import load_catalogue
from portal.generate import write_sources
from registry.settings import load_settings
from registry.store import open_store
from tests.portal.conftest import seed_demo

pytestmark = pytest.mark.xdist_group("portal")


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeded = seed_demo(tmp_path_factory.mktemp("feed-links-registry"))
    store = open_store(load_settings(database_url=seeded.database_url))
    try:
        catalogue = load_catalogue(store, "https://api.example.go.jp")
    finally:
        store.dispose()
    root = tmp_path_factory.mktemp("docs")
    write_sources(catalogue, root)
    return root


def test_the_catalogue_links_the_feed_of_all_changes(docs: Path) -> None:
    assert "[Atom フィード](/feeds/changes.atom)" in (docs / "index.md").read_text()


def test_each_api_page_links_its_own_feed(docs: Path) -> None:
    pages = sorted(docs.glob("apis/*/*/index.md"))
    assert pages
    for page in pages:
        slug = page.parent.parent.name
        assert f"[Atom フィード](/feeds/{slug}.atom)" in page.read_text(), page
