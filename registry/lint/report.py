"""The JSON form of a lint report (CONTRACT.md, `tsunagu lint --format json`)."""

from __future__ import annotations

from typing import Any

from registry.models import LintReport


def report_to_json(report: LintReport) -> dict[str, Any]:
    """`{"score","errors","warnings","findings":[{"rule","severity","path","message_ja",
    "message_en"}]}`; suppressed and waived findings carry `"suppressed"`/`"waived": true`."""
    findings = []
    for finding in report.findings:
        entry: dict[str, Any] = {
            "rule": finding.rule,
            "severity": finding.severity.value,
            "path": finding.path,
            "message_ja": finding.message_ja,
            "message_en": finding.message_en,
        }
        if finding.suppressed:
            entry["suppressed"] = True
        if finding.waived:
            entry["waived"] = True
        findings.append(entry)
    return {
        "score": report.score,
        "errors": report.errors,
        "warnings": report.warnings,
        "findings": findings,
    }
