"""The conformance linter: RULES.md as a rule table, run over parsed OpenAPI documents."""

from registry.lint.catalogue import CatalogueEntry, rule_catalogue
from registry.lint.engine import lint_document
from registry.lint.listing import listing_fields, missing_listing_fields
from registry.lint.report import report_lines, report_to_json
from registry.lint.rules_meta import LISTING_RULES
from registry.lint.rules_security import is_open_data
from registry.lint.table import RULES

__all__ = [
    "LISTING_RULES",
    "RULES",
    "CatalogueEntry",
    "is_open_data",
    "lint_document",
    "listing_fields",
    "missing_listing_fields",
    "report_lines",
    "report_to_json",
    "rule_catalogue",
]
