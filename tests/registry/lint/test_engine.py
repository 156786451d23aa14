"""Scoring, suppressions, waivers and the JSON form of the report."""

from __future__ import annotations

from registry.lint import lint_document, report_to_json
from registry.lint.engine import _report
from registry.models import Finding, Severity
from tests.registry.lint.documents import LIST, list_op, patched


def _finding(rule: str, severity: Severity, **flags: bool) -> Finding:
    return Finding(rule=rule, severity=severity, path="", message_ja="ja", message_en="en", **flags)


def test_score_counts_at_most_three_findings_of_one_rule() -> None:
    report = _report([_finding("A", Severity.ERROR)] * 5 + [_finding("B", Severity.WARNING)] * 2)
    assert (report.score, report.errors, report.warnings) == (100 - 30 - 4, 5, 2)


def test_score_never_drops_below_zero_and_info_costs_nothing() -> None:
    findings = [_finding(f"R{n}", Severity.ERROR) for n in range(12)]
    assert _report([*findings, _finding("I", Severity.INFO)]).score == 0
    assert _report([_finding("I", Severity.INFO)] * 4).score == 100


def test_suppressed_and_waived_findings_are_kept_but_do_not_count() -> None:
    report = _report(
        [_finding("A", Severity.ERROR, suppressed=True), _finding("B", Severity.ERROR, waived=True)]
    )
    assert (report.score, report.errors, len(report.findings)) == (100, 0, 2)


def test_x_lint_ignore_on_an_operation_suppresses_its_subtree_only() -> None:
    def patch(doc: dict[str, object]) -> None:
        list_op(doc).pop("summary")
        doc["paths"]["/libraries/{library_id}"]["get"].pop("summary")  # type: ignore[index]
        list_op(doc)["x-lint-ignore"] = ["ATG-DOC-03"]

    report = lint_document(patched(patch))
    doc03 = {f.path: f.suppressed for f in report.findings if f.rule == "ATG-DOC-03"}
    assert doc03 == {LIST: True, "/paths/~1libraries~1{library_id}/get": False}
    assert report.warnings == 1


def test_x_lint_ignore_at_the_root_and_on_a_schema() -> None:
    def patch(doc: dict[str, object]) -> None:
        doc["x-lint-ignore"] = ["ATG-SEC-01"]
        doc["servers"] = [{"url": "http://api.example.go.jp/libraries/v1"}]
        schema = doc["components"]["schemas"]["library"]  # type: ignore[index]
        schema["properties"]["cityName"] = {"type": "string", "description": "市"}
        schema["x-lint-ignore"] = ["ATG-DAT-01"]

    report = lint_document(patched(patch))
    assert {f.rule for f in report.findings} == {"ATG-SEC-01", "ATG-DAT-01"}
    assert all(f.suppressed for f in report.findings)
    assert (report.score, report.errors, report.warnings) == (100, 0, 0)


def test_waivers_mark_findings_and_restore_the_score() -> None:
    doc = patched(lambda d: d["info"].pop("license"))
    before = lint_document(doc)
    after = lint_document(doc, waivers=["ATG-DOC-06"])
    assert before.errors == 1 and before.score == 90
    assert after.errors == 0 and after.score == 100
    assert {f.rule for f in after.findings if f.waived} == {"ATG-DOC-06"}


def test_report_json_matches_the_contract() -> None:
    doc = patched(lambda d: (d["info"].pop("license"), list_op(d).update({"x-lint-ignore": []})))
    doc["info"]["contact"] = {}
    doc["x-lint-ignore"] = ["REG-META-01"]
    data = report_to_json(lint_document(doc))
    assert set(data) == {"score", "errors", "warnings", "findings", "rule_counts"}
    assert data["errors"] == 1
    keys = {"rule", "severity", "path", "message_ja", "message_en"}
    by_rule = {f["rule"]: f for f in data["findings"]}
    assert set(by_rule["ATG-DOC-06"]) == keys
    assert by_rule["ATG-DOC-06"]["severity"] == "error"
    assert by_rule["REG-META-01"]["suppressed"] is True
    counts = data["rule_counts"]
    assert counts["ATG-DOC-06"] == {"severity": "error", "count": 1, "suppressed": 0, "waived": 0}
    assert counts["REG-META-01"]["suppressed"] == 1 and counts["REG-META-01"]["count"] == 0


def test_a_rule_that_raises_becomes_an_info_finding() -> None:
    from registry.lint.model import Rule

    def broken(ctx: object) -> list[object]:
        raise KeyError("boom")

    rule = Rule("X-TEST-01", Severity.ERROR, "test", "raises", broken)  # type: ignore[arg-type]
    report = lint_document(patched(lambda d: None), rules=[rule])
    assert [(f.rule, f.severity) for f in report.findings] == [("X-TEST-01", Severity.INFO)]
    assert report.score == 100
