"""The three demo APIs (houjin, postal, facilities) and the corporate-number check digit."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
DEMO_DOCUMENTS: tuple[Path, ...] = (
    _HERE / "houjin.yaml",
    _HERE / "postal.yaml",
    _HERE / "facilities.yaml",
)


def corporate_number_check_digit(base12: str) -> int:
    """The leading check digit of a 13-digit corporate number (法人番号).

    Per the 法人番号 spec (国税庁): check = 9 − (Σ_{n=1..12} P_n × Q_n mod 9), where P_n is
    the n-th digit of the 12-digit base counted from the right and Q_n is 1 for odd n, 2 for
    even n. 国税庁's own number 7000012050002 has base 000012050002 and check digit 7.
    """
    if len(base12) != 12 or not base12.isascii() or not base12.isdigit():
        raise ValueError("a corporate number base is exactly 12 ASCII digits")
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base12), start=1))
    return 9 - total % 9


def corporate_number(base12: str) -> str:
    """The full 13-digit corporate number: check digit first, then the base."""
    return f"{corporate_number_check_digit(base12)}{base12}"
