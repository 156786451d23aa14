"""OpenAPI intake: safe parsing of provider documents and what they say about themselves."""

from registry.intake.errors import IntakeError
from registry.intake.identity import default_slug, document_major_version, slugify
from registry.intake.loader import load_document

__all__ = ["IntakeError", "default_slug", "document_major_version", "load_document", "slugify"]
