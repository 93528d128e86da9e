# `make run` and `make test` are all a fresh machine needs: each creates
# .venv when missing and installs the project into it first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow install clean bench bench-quick bench-check bench-baseline bench-peers

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/sx run examples/showcase.sx

# The perf-regression alarm is a step of its own after the tests: it fails
# when a reference ratio (bench/baseline.json) has become more than 2x worse.
test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/sx bench --check

bench-check: $(STAMP)
	$(BIN)/sx bench --check

# Re-record the alarm's reference ratios (then commit bench/baseline.json).
bench-baseline: $(STAMP)
	$(BIN)/sx bench --record-baseline

bench: $(STAMP)
	$(BIN)/sx bench --report bench/report

bench-quick: $(STAMP)
	$(BIN)/sx bench --quick

# The other Schemes `sx bench` compares with (Debian packages; needs root).
bench-peers:
	apt-get update -qq && apt-get install -y -qq chezscheme guile-3.0 racket

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -m slow

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
