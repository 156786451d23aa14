# Tsunagu developer commands. Every target creates .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two install stamps: `make run` needs only the project (RUN_STAMP); the test extras (pytest,
# ruff, mypy, Playwright, …) come with STAMP, which every checking target depends on.
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: help run test lint typecheck fmt bench load portal clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml $(RUN_STAMP)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

run: $(RUN_STAMP) ## start the demo (SQLite + in-memory limits) on http://127.0.0.1:8000 (PORT=8080 for another)
	$(BIN)/tsunagu demo --port $(PORT)

test: $(STAMP) ## ruff + mypy + import-linter + pytest (the whole suite)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -n 2 --dist loadgroup

lint: $(STAMP) ## ruff and import-linter only
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: $(STAMP) ## mypy only
	$(BIN)/mypy

fmt: $(STAMP) ## format and autofix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

portal: $(STAMP) ## build the developer portal from the registry into var/portal
	$(BIN)/tsunagu portal build

bench: $(STAMP) ## benchmark harness (BENCH_ARGS="--record" or "--compare SHA"; load_tests/README.md)
	$(BIN)/python -m load_tests.bench $(BENCH_ARGS)

load: $(STAMP) ## Locust scenarios against `tsunagu demo`, judged (LOAD_ARGS=--soak: 30 min)
	$(BIN)/python -m load_tests.load $(LOAD_ARGS)

clean: ## remove the venv and local state
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
