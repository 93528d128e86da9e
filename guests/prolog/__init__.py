"""Prolog on SX (issue 15), in progress: the term reader and writer.

This folder is the Python package sx.guests.prolog (pyproject.toml maps
it) so that its SX sources ship in the wheel. It is not registered with the
guest registry yet (no `sx prolog` command): there is no engine yet. The
library is guests/prolog/src/syntax.sx, which programs include by path;
its tests are guests/prolog/tests/*.sx, run by tests/test_prolog_reader.py.
src/dcg.sx translates grammar rules (-->) to clauses. bench/ holds the
classic Prolog benchmarks in plain ISO Prolog and bench/peers.py, which
times them under SWI-Prolog and GNU Prolog (tests/test_prolog_bench.py).
"""
