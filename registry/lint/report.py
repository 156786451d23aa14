"""The JSON form of a lint report (CONTRACT.md, `tsunagu lint --format json`)."""

from __future__ import annotations

from typing import Any

from registry.models import Finding, LintReport


def report_to_json(report: LintReport) -> dict[str, Any]:
    """`{"score","errors","warnings","findings":[{"rule","severity","path","message_ja",
    "message_en"}],"rule_counts":{...}}`; suppressed and waived findings carry
    `"suppressed"`/`"waived": true`. `rule_counts` is an addition to CONTRACT.md's keys."""
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
        "rule_counts": rule_counts(report),
    }


def rule_counts(report: LintReport) -> dict[str, dict[str, Any]]:
    """Per rule id: its severity and how many active findings it has (suppressed and waived
    ones are counted apart), in the order of the findings (errors first)."""
    counts: dict[str, dict[str, Any]] = {}
    for finding in report.findings:
        entry = counts.setdefault(
            finding.rule,
            {"severity": finding.severity.value, "count": 0, "suppressed": 0, "waived": 0},
        )
        if finding.waived:
            entry["waived"] += 1
        elif finding.suppressed:
            entry["suppressed"] += 1
        else:
            entry["count"] += 1
    return counts


SHOWN_PER_RULE = 5


def report_lines(report: LintReport, shown: int = SHOWN_PER_RULE) -> list[str]:
    """The report for people: a score line, then the active findings grouped by rule in
    report order (errors first), each rule's first `shown` findings with their Japanese and
    English messages and one line for the rest, so a 1,000-finding report stays readable."""
    lines = [f"score {report.score}/100, {report.errors} errors, {report.warnings} warnings"]
    groups: dict[str, list[Finding]] = {}
    hidden = 0
    for finding in report.findings:
        if finding.suppressed or finding.waived:
            hidden += 1
        else:
            groups.setdefault(finding.rule, []).append(finding)
    for findings in groups.values():
        for finding in findings[:shown]:
            lines.append(f"{finding.severity.value:<7} {finding.rule}  {finding.path or '/'}")
            lines.append(f"        {finding.message_ja}")
            lines.append(f"        {finding.message_en}")
        rest = findings[shown:]
        if rest:
            where = ", ".join(f.path or "/" for f in rest[:3]) + (", …" if len(rest) > 3 else "")
            lines.append(
                f"{rest[0].severity.value:<7} {rest[0].rule}  ほか {len(rest)} 件 / "
                f"and {len(rest)} more at {where} (--format json lists them all)"
            )
    if hidden:
        lines.append(f"({hidden} suppressed or waived findings not shown / 抑止・免除 {hidden} 件)")
    return lines
