"""Each route's compiled form, built once per document and kept across snapshots.

A `CompiledRoute` holds what the request path derives from a route's entry: the document
model (`registry.openapi`), the CORS origins and, built on the first sandbox call, the sandbox
index with its validators. `CompiledRoutes` keeps one per (slug, version) and is refreshed with
every new snapshot: an entry the snapshot kept (a credentials-only change shares the routes)
costs nothing, and a new entry whose document did not change keeps the compiled document (its
model and sandbox index) and recomputes only its cheap parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gateway.sandbox.index import SandboxIndex
from registry.models import RouteEntry, Snapshot
from registry.openapi import DocumentError, OpenApiDocument


@dataclass(slots=True, eq=False)
class CompiledDocument:
    """A route document's model and, once built, its sandbox index (or why it cannot be)."""

    model: OpenApiDocument
    _sandbox: SandboxIndex | DocumentError | None = field(default=None)

    def sandbox_index(self) -> SandboxIndex:
        """Built on first use and kept; `DocumentError` when the sandbox cannot serve it."""
        if self._sandbox is None:
            try:
                self._sandbox = SandboxIndex.for_document(self.model)
            except DocumentError as error:
                self._sandbox = error
        if isinstance(self._sandbox, DocumentError):
            raise self._sandbox
        return self._sandbox


@dataclass(frozen=True, slots=True, eq=False)
class CompiledRoute:
    entry: RouteEntry
    document: CompiledDocument
    cors_any_origin: bool
    cors_origins: frozenset[bytes]


def compile_route(entry: RouteEntry, document: CompiledDocument | None = None) -> CompiledRoute:
    """`entry` compiled; pass the `document` compiled for an equal document to reuse it."""
    origins = frozenset(o.rstrip("/").encode() for o in entry.cors_origins)
    return CompiledRoute(
        entry=entry,
        document=document or CompiledDocument(OpenApiDocument(entry.document)),
        cors_any_origin=entry.open_data or b"*" in origins,
        cors_origins=origins,
    )


class CompiledRoutes:
    """The compiled routes of the current snapshot (see the module docstring)."""

    def __init__(self) -> None:
        self._table: dict[tuple[str, str], CompiledRoute] = {}
        self.documents_compiled = 0  # how many documents were modelled (a new or changed one)

    def refresh(self, snapshot: Snapshot) -> None:
        """Compile the snapshot's routes, reusing what did not change; forget removed ones."""
        table = {key: self._compiled(key, entry) for key, entry in snapshot.routes.items()}
        self._table = table

    def for_entry(self, entry: RouteEntry) -> CompiledRoute:
        """The compiled form of `entry` (compiled now if the table does not hold it yet)."""
        key = (entry.slug, entry.version)
        hit = self._table.get(key)
        if hit is not None and hit.entry is entry:
            return hit
        compiled = self._compiled(key, entry)
        self._table[key] = compiled
        return compiled

    def _compiled(self, key: tuple[str, str], entry: RouteEntry) -> CompiledRoute:
        previous = self._table.get(key)
        if previous is not None and previous.entry is entry:
            return previous
        if previous is not None and _same_document(previous.entry.document, entry.document):
            return compile_route(entry, previous.document)
        self.documents_compiled += 1
        return compile_route(entry)


def _same_document(old: Mapping[str, object], new: Mapping[str, object]) -> bool:
    return old is new or old == new
