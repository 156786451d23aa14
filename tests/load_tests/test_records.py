"""Recorded benchmark runs: the README's "Latest figures" is the newest record, and A/B ratios.

No timing: these read committed files and compute on given numbers.
"""

from __future__ import annotations

from typing import Any

from load_tests import compare, latest_figures, record


def test_readme_latest_figures_are_the_newest_record() -> None:
    current = latest_figures.README.read_text(encoding="utf-8")
    assert current == latest_figures.expected(current), (
        "load_tests/README.md is stale: run .venv/bin/python -m load_tests.latest_figures"
    )


def test_every_record_has_its_summary_and_names_its_commit() -> None:
    records = record.load_all()
    assert records, "no recorded run under load_tests/results/"
    for data in records:
        stem = record.stem(data)
        markdown = (record.RESULTS / f"{stem}.md").read_text(encoding="utf-8")
        assert markdown == "\n".join(record.summary(data)) + "\n"
        assert str(data["machine"]["git_sha"]) in markdown
        assert "+09:00" in markdown  # the date a person reads is in Japan time


def _runs(*values: float) -> list[dict[str, Any]]:
    return [{"closed": {"cpu_us_per_request": v, "rps": 1000 / v}} for v in values]


def test_compare_ratios_are_per_round_with_their_spread() -> None:
    got = compare.ratios(_runs(100, 120, 90), _runs(200, 200, 100), "cpu_us_per_request")
    assert got == {"median": 0.6, "range": [0.5, 0.9], "n": 3}
    rps = compare.ratios(_runs(100, 120, 90), _runs(200, 200, 100), "rps")
    assert rps["median"] == round(200 / 120, 3)


def test_compare_ratios_skip_rounds_without_a_value() -> None:
    head = [{"closed": {"cpu_us_per_request": None}}, *_runs(50)]
    assert compare.ratios(head, _runs(100, 100), "cpu_us_per_request")["n"] == 1
