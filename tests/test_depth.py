"""The one recursion limit (SX_MAX_DEPTH): the same program runs out of
depth at the same point, with the same error, under every tier; its
handlers can run; a million-deep recursion still works.

The limit is read when SX starts, so these run `sx` in a subprocess with a
small limit (10,000 frames)."""

import os
import subprocess
import sys

import pytest

from sx.api import TIERS

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
HERE = os.path.join(ROOT, "tests", "depth")


def sx(tier, *args, limit="10000"):
    env = dict(os.environ, PYTHONPATH=SRC, SX_MAX_DEPTH=limit)
    env.pop("SX_TIER", None)
    return subprocess.run([sys.executable, "-m", "sx", "--tier", tier, *args],
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="module")
def deepest():
    """The deepest recursion of each shape that runs, under each tier."""
    return {t: sx(t, "run", os.path.join(HERE, "deepest.sx")) for t in TIERS}


def test_the_limit_is_reached_at_the_same_depth_in_every_tier(deepest):
    runs = {t: (r.returncode, r.stdout, r.stderr) for t, r in deepest.items()}
    assert runs["cek"][0] == 0, runs["cek"]
    assert all(run == runs["cek"] for run in runs.values()), runs
    first = runs["cek"][1].splitlines()[0]
    f, g, h = map(int, first.strip("()").split())
    # one pending frame a level for f and h, two for g; the guard and the
    # search take a few of the 10,000
    assert 9980 < f < 10000 and 9980 < h < 10000
    assert 4980 < g < 5000


@pytest.mark.parametrize("tier", TIERS)
def test_a_runaway_recursion_is_one_clear_error(tier):
    r = sx(tier, "eval", "(define (f n) (+ 1 (f n)))", "(f 0)")
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0] == ("<eval>:1:20: error: recursion too deep (more than 10000 frames "
                        "pending; SX_MAX_DEPTH sets the limit)")
    # the recursion is one line of the backtrace
    assert lines[1:] == ["  called from <eval>:1:15 in f"]
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("tier", TIERS)
def test_a_handler_runs_at_the_limit_and_the_program_goes_on(tier):
    prog = ("(define (f n) (+ 1 (f n)))"
            "(define (safe n) (guard (e ((error-object? e) (list 'caught (error-object-message e))))"
            "  (f n)))"
            "(display (car (safe 0))) (newline)"
            "(define (g n) (if (= n 0) 0 (+ 1 (g (- n 1)))))"
            "(display (g 9000)) (newline)"       # the full limit is back
            "(display (car (safe 0)))")
    r = sx(tier, "eval", prog)
    assert (r.returncode, r.stdout, r.stderr) == (0, "caught\n9000\ncaught", "")


@pytest.mark.parametrize("tier", TIERS)
def test_a_million_deep_recursion_runs_under_the_default_limit(tier):
    prog = "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1))))) (f 1000000)"
    r = sx(tier, "eval", prog, limit="")
    assert (r.returncode, r.stdout.strip(), r.stderr) == (0, "1000000", "")


def test_a_bad_limit_is_refused():
    r = sx("cek", "eval", "1", limit="lots")
    assert r.returncode != 0
    assert "SX_MAX_DEPTH must be a positive integer" in r.stderr
