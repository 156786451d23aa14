"""One model of an OpenAPI 3.0/3.1 document, shared by the linter, the sandbox and CORS.

`OpenApiDocument` wraps the parsed document (a mapping, as YAML or JSON gave it) and answers
what every reader needs: the dialect, `$ref` resolution (local only, with one hop limit), the
path items and operations with their method lists, path-template matching and the servers.
It never fetches anything and never changes the document.
"""

from registry.openapi.document import (
    HTTP_METHODS,
    Dialect,
    OpenApiDocument,
    Operation,
    PathItem,
    dialect_of,
)
from registry.openapi.pointer import MISSING, escape, join, lookup, tokens, unescape
from registry.openapi.refs import MAX_REF_HOPS, DocumentError, RefError, resolve, try_resolve
from registry.openapi.templates import PathTemplate

__all__ = [
    "HTTP_METHODS",
    "MAX_REF_HOPS",
    "MISSING",
    "Dialect",
    "DocumentError",
    "OpenApiDocument",
    "Operation",
    "PathItem",
    "PathTemplate",
    "RefError",
    "dialect_of",
    "escape",
    "join",
    "lookup",
    "resolve",
    "tokens",
    "try_resolve",
    "unescape",
]
