"""Sandbox bodies: JSON that orjson cannot write (integers beyond 64 bits) still goes out."""

from __future__ import annotations


def test_examples_with_integers_beyond_64_bits_are_sent() -> None:
    from gateway.sandbox.handler import encode

    assert (
        encode("application/json", {"n": 10**20, "名": "値"})
        == '{"n": 100000000000000000000, "名": "値"}'.encode()
    )
