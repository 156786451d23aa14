"""The rule table: every conformance rule of RULES.md as one row. Adding a rule is adding a row.

Sources: TG = APIテクニカルガイドブック (1020, 2019), IG = API導入実践ガイドブック (1019),
DM = 行政基本情報データ連携モデル (1015-x). Grades: ◎ required → error, ○ recommended →
warning, △ as needed → info.
"""

from __future__ import annotations

from registry.lint import (
    rules_data,
    rules_doc,
    rules_meta,
    rules_params,
    rules_responses,
    rules_security,
    rules_uri,
    structure,
)
from registry.lint.model import Rule
from registry.models import Severity

ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

RULES: tuple[Rule, ...] = (
    Rule(
        "ATG-DOC-01",
        ERR,
        "TG §4.2 (OAS), registry policy",
        "valid OpenAPI 3.0.x/3.1.x",
        structure.valid_openapi,
    ),
    Rule(
        "ATG-DOC-02", ERR, "TG §4.3 表4-2 ◎", "info.description present", rules_doc.info_description
    ),
    Rule(
        "ATG-DOC-03",
        WARN,
        "TG §4.3 表4-2 ◎ (per operation ○)",
        "operation summary/description",
        rules_doc.operation_summary,
    ),
    Rule(
        "ATG-DOC-04",
        WARN,
        "TG §4.3 表4-2, §4.4 ○",
        "2xx responses have examples",
        rules_doc.success_examples,
    ),
    Rule(
        "ATG-DOC-05",
        ERR,
        "TG §4.3 表4-2 ◎",
        "info.termsOfService present",
        rules_doc.terms_of_service,
    ),
    Rule(
        "ATG-DOC-06",
        ERR,
        "TG §4.3 表4-2 ◎, IG §4.2.2",
        "info.license present",
        rules_doc.license_present,
    ),
    Rule(
        "ATG-DOC-07",
        WARN,
        "TG §4.3 表4-2 ○",
        "info.contact with email or URL",
        rules_doc.contact_present,
    ),
    Rule(
        "ATG-DOC-08",
        INFO,
        "TG §4.3 表4-2 △",
        "schema properties described",
        rules_doc.property_descriptions,
    ),
    Rule("ATG-URI-01", WARN, "TG §2.1.1 ○", "nouns, not verbs, in paths", rules_uri.noun_segments),
    Rule(
        "ATG-URI-02",
        INFO,
        "TG §2.1.1 △",
        "plural collection segments",
        rules_uri.plural_collections,
    ),
    Rule(
        "ATG-URI-03",
        ERR,
        "TG §2.1.1 ◎",
        "major version v<integer> in the base path",
        rules_uri.version_in_base,
    ),
    Rule(
        "ATG-URI-04",
        WARN,
        "TG §2.1.1, §2.1.4 ○",
        "snake_case path segments",
        rules_uri.snake_case_segments,
    ),
    Rule(
        "ATG-URI-05",
        ERR,
        "TG §2.1.4 ◎",
        "no percent-encoding or non-ASCII in paths",
        rules_uri.ascii_paths,
    ),
    Rule(
        "ATG-URI-06",
        WARN,
        "TG §2.1.1, §5.1 ○",
        "sort/filter as query parameters",
        rules_uri.no_sort_in_path,
    ),
    Rule(
        "ATG-URI-07",
        ERR,
        "TG §2.1.1 (RFC 6570) ◎",
        "path templates match path parameters",
        rules_uri.path_parameters_declared,
    ),
    Rule(
        "ATG-URI-08",
        WARN,
        "TG §2.1.1, §2.1.3 ×",
        "no format-selecting query parameter",
        rules_uri.format_not_by_query,
    ),
    Rule(
        "ATG-MTH-01",
        WARN,
        "TG §2.1.2 ○",
        "CRUD methods on collections and items",
        rules_uri.method_semantics,
    ),
    Rule("ATG-PRM-01", ERR, "TG §2.1.3 表2-1 ◎", "page size named limit", rules_params.limit_name),
    Rule(
        "ATG-PRM-02",
        WARN,
        "TG §2.1.3 ○",
        "collections declare limit and offset/page",
        rules_params.pagination,
    ),
    Rule(
        "ATG-PRM-03", WARN, "TG §2.1.3 ○", "limit default at most 100", rules_params.limit_default
    ),
    Rule(
        "ATG-PRM-04",
        WARN,
        "TG §2.1.3 表2-1 ○",
        "fields parameter for wide items",
        rules_params.fields_parameter,
    ),
    Rule(
        "ATG-PRM-05",
        WARN,
        "TG §2.1.3, §5.1 ○",
        "snake_case parameter names",
        rules_params.parameter_snake_case,
    ),
    Rule(
        "ATG-PRM-06",
        INFO,
        "TG §2.1.3 表2-1 ○/△",
        "standard parameter names",
        rules_params.standard_names,
    ),
    Rule(
        "ATG-PRM-07",
        INFO,
        "TG §2.1.3 △",
        "comma-separated multi-values",
        rules_params.comma_separated,
    ),
    Rule("ATG-RSP-01", ERR, "TG §2.1.4, §2.2.1 ◎", "UTF-8 charset", rules_responses.utf8_charset),
    Rule("ATG-RSP-02", WARN, "TG §2.2.1 ○", "JSON offered", rules_responses.json_offered),
    Rule(
        "ATG-RSP-03", ERR, "TG §2.2.1 ◎", "no zip/octet-stream payloads", rules_responses.no_binary
    ),
    Rule(
        "ATG-RSP-04",
        WARN,
        "TG §2.2.1 表2-3 ○/×",
        "domain formats, no KML",
        rules_responses.domain_formats,
    ),
    Rule(
        "ATG-RSP-05",
        ERR,
        "TG 表2-4 ◎",
        "metadata.resultset and results",
        rules_responses.collection_envelope,
    ),
    Rule(
        "ATG-RSP-06",
        ERR,
        "TG 表2-4 ◎ (status)",
        "failures not answered with 2xx",
        rules_responses.no_errors_in_2xx,
    ),
    Rule(
        "ATG-ERR-01",
        WARN,
        "TG §2.2.2 ○",
        "application/problem+json errors",
        rules_responses.problem_json,
    ),
    Rule(
        "ATG-ERR-02",
        ERR,
        "TG 表2-5 ◎ title, ○ detail",
        "problem schema requires title",
        rules_responses.problem_schema,
    ),
    Rule(
        "ATG-ERR-03",
        INFO,
        "TG 表2-6 △",
        "usual failures documented",
        rules_responses.usual_failures,
    ),
    Rule(
        "ATG-DAT-01",
        WARN,
        "TG §2.3(1) ○",
        "snake_case noun property names",
        rules_data.property_names,
    ),
    Rule(
        "ATG-DAT-02",
        WARN,
        "TG 表2-7 ○, DM 1015-1",
        "ISO 8601 dates and date-times",
        rules_data.dates,
    ),
    Rule("ATG-DAT-03", INFO, "TG §2.3(4) △", "standard code lists", rules_data.codes),
    Rule("DM-ZIP-01", WARN, "DM 1015-3 ○", "7-digit postal codes", rules_data.postal_codes),
    Rule("DM-TEL-01", INFO, "DM 1015-5 △", "phone number notation", rules_data.phones),
    Rule("DM-GEO-01", WARN, "DM 1015-4 ○", "separate lat/lon with a datum", rules_data.geo),
    Rule("DM-ADDR-01", INFO, "DM 1015-2 △", "address notation", rules_data.addresses),
    Rule("ATG-SEC-01", ERR, "TG 2024 表2-10 ◎", "https servers", rules_security.https_servers),
    Rule(
        "ATG-SEC-02",
        WARN,
        "TG §4.3 表4-2 ○",
        "security applied to every operation",
        rules_security.security_applied,
    ),
    Rule(
        "ATG-SEC-03",
        ERR,
        "RULES.md gateway behaviour ◎",
        "no apiKey in query",
        rules_security.api_key_not_in_query,
    ),
    Rule(
        "ATG-SEC-04",
        WARN,
        "TG §2.2.1 (手続API) ○",
        "oauth2/OIDC for personal data",
        rules_security.strong_auth_for_personal_data,
    ),
    Rule(
        "REG-META-01",
        ERR,
        "TG §4.3 表4-2 API概要 ◎",
        "listing fields present",
        rules_meta.listing_required,
    ),
    Rule(
        "REG-META-02",
        WARN,
        "TG §4.3 表4-2, IG §4.2.1 ○",
        "catalogue metadata present",
        rules_meta.catalogue_metadata,
    ),
)
