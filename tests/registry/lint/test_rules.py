"""Every rule against its table of passing and failing cases, plus the table's completeness."""

from __future__ import annotations

import pytest

from registry.lint import RULES, lint_document
from registry.models import Severity
from tests.registry.lint.cases import CASES, Case
from tests.registry.lint.documents import minimal_document, patched

SEVERITY = {rule.id: rule.severity for rule in RULES}


def _id(case: Case) -> str:
    return f"{case.rule}-{'fail' if case.fails else 'pass'}-{case.pointer or case.name}"


def test_the_minimal_document_has_no_findings_at_all() -> None:
    report = lint_document(minimal_document())
    assert report.findings == ()
    assert report.score == 100


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_rule_case(case: Case) -> None:
    findings = [f for f in lint_document(patched(case.patch)).findings if f.rule == case.rule]
    if not case.fails:
        assert findings == [], [f.message_en for f in findings]
        return
    at_pointer = [f for f in findings if f.path == case.pointer]
    assert at_pointer, f"no {case.rule} at {case.pointer}; got {[f.path for f in findings]}"
    expected = Severity(case.severity) if case.severity else SEVERITY[case.rule]
    assert {f.severity for f in at_pointer} == {expected}
    assert all(f.message_ja and f.message_en for f in at_pointer)


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    missing = [
        f"{rule.id} ({kind})"
        for rule in RULES
        for kind, fails in (("pass", False), ("fail", True))
        if not any(c.rule == rule.id and c.fails is fails for c in CASES)
    ]
    assert missing == []


def test_rule_ids_are_unique_and_follow_the_scheme() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids)) == 56
    assert all(i.startswith(("ATG-", "DM-", "REG-META-")) for i in ids)
