"""The CLI's language: Japanese unless the locale is English (POSIX precedence)."""

from __future__ import annotations

import pytest

from gateway.cli_errors import cli_language


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "ja"),
        ({"LANG": "C.UTF-8"}, "ja"),
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, "ja"),  # LC_ALL wins
        ({"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "", "LANG": "en"}, "en"),  # an empty variable does not count
    ],
)
def test_locale_variables_choose_the_language(environ: dict[str, str], expected: str) -> None:
    assert cli_language(environ) == expected
