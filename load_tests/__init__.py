"""Benchmark harness: the gateway against nginx and HAProxy, as same-run ratios (`make bench`).

Goals, usage and the latest figures: load_tests/README.md.
The entry point is `python -m load_tests.bench`.
"""
