# `make run` and `make test` are all a fresh machine needs: each creates
# .venv when missing and installs the project into it first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-slow install clean bench bench-quick bench-check bench-baseline bench-peers \
	prolog-peers chromium screenshots \
	bench-serve

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo site: the blog of examples/blog/ at http://127.0.0.1:8000 (Ctrl-C stops it).
run: $(STAMP)
	$(BIN)/sx serve examples/blog/app.sx --port 8000

# The import contracts first (the layers of pyproject.toml's importlinter
# section); the tests on both cores; then, alone, the tests that compare
# timings and the perf-regression alarm, which fails when a reference ratio
# (bench/baseline.json) has become more than 2x worse. pytest exits non-zero
# when it collects no test, so an empty run fails too.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2
	$(BIN)/python -m pytest -q -m timing
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

# sx serve over HTTP: latency and throughput per route under auto and cek
# beside a hand-written Starlette app, then a 20 s load test (bench/serve.py).
bench-serve: $(STAMP)
	$(BIN)/python bench/serve.py
	$(BIN)/python bench/serve.py --load 16 20

# The other Schemes `sx bench` compares with (Debian packages; needs root).
bench-peers:
	apt-get update -qq && apt-get install -y -qq chezscheme guile-3.0 racket

# The Prologs the Prolog guest's benchmarks (guests/prolog/bench/) are
# compared with: SWI-Prolog and GNU Prolog, whose gplc needs gcc (Debian
# packages; needs root).
prolog-peers:
	apt-get update -qq && apt-get install -y -qq swi-prolog-nox gprolog

# Headless Chromium (Debian package; needs root), for the screenshots.
chromium:
	apt-get update -qq && apt-get install -y -qq chromium

# The README's screenshots of the blog (docs/blog-*.png), taken by headless Chromium.
screenshots: $(STAMP)
	$(BIN)/python examples/blog/screenshot.py docs

test-slow: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 -m slow

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
