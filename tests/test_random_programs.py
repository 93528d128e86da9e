"""Random programs must behave identically under every tier.

The programs come from tests/randprog.py, a hypothesis strategy that writes
random, deterministic, terminating SX programs covering closures, loops,
recursion, flonums mixed with exact numbers (signed zeros, infinities, NaN,
loop variables that change representation, division by exact and inexact
zeros), higher-order calls (procedures and primitives passed, returned,
aliased and rebound; map, fold, sort, apply), string building and
mutation, call/cc escapes (from inside procedures passed to map or
for-each) and re-entry (also of continuations captured as if only for an
escape), dynamic-wind, guard/raise and with-exception-handler. Each program runs in-process under every tier in
sx.api.TIERS. Its stdout, its full error report (`sx.report.format_error`:
message, location and SX backtrace) and its exit status must equal those of
tier 0, "cek". When the runtime takes a promotion threshold, "auto" also
runs with threshold 1 (each procedure is interpreted once, then compiled),
which mixes interpreted and compiled frames the most. While "cek" is the
only tier, each program runs twice under it, which at least checks that the
programs are deterministic.

The default run tries 300 programs and takes a few seconds. Set
SX_RANDOM_EXAMPLES for a longer run, and SX_RANDOM_SEED for programs other
than the default fixed set:

    SX_RANDOM_EXAMPLES=5000 make test
    SX_RANDOM_EXAMPLES=5000 SX_RANDOM_SEED=7 .venv/bin/python -m pytest -q tests/test_random_programs.py

A divergence fails with the text of the (shrunk) program and both outcomes.
Save the program under tests/random_corpus/ (any name ending in .sx):
test_corpus replays every file there under every tier. To grow the corpus
with fresh programs, run `python tests/randprog.py --save N tests/random_corpus`.
"""

from __future__ import annotations

import difflib
import glob
import inspect
import io
import os
import signal
import threading
from contextlib import redirect_stdout
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, seed, settings

from randprog import generate, programs
from sx.api import TIERS, Runtime, system_environment
from sx.report import format_error
from sx.errors import SchemeError, SxExit

# Build the system environment now: it raises the recursion limit, which
# hypothesis warns about when it happens in the middle of a test.
system_environment()

EXAMPLES = int(os.environ.get("SX_RANDOM_EXAMPLES", "300"))
SEED = os.environ.get("SX_RANDOM_SEED")
CORPUS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random_corpus")
CORPUS = sorted(glob.glob(os.path.join(CORPUS_DIR, "*.sx")))
REFERENCE = "cek"


def _variants() -> list[tuple[str, str, int | None]]:
    """(label, tier, promotion threshold) of every run compared with the
    reference; with no other tier, a second run of the reference itself."""
    out = [(t, t, None) for t in TIERS if t != REFERENCE]
    if "auto" in TIERS and "threshold" in inspect.signature(Runtime).parameters:
        out.append(("auto(threshold=1)", "auto", 1))
    if "auto" in TIERS and "py_threshold" in inspect.signature(Runtime).parameters:
        # promoted to the VM after one call and to Python after two more,
        # usually while some of its activations are running
        out.append(("auto(threshold=1,py=2)", "auto", (1, 2)))
    return out or [(REFERENCE, REFERENCE, None)]


VARIANTS = _variants()
TIME_LIMIT = 20.0  # seconds per run: a tier that loops forever fails instead of hanging


class Outcome(NamedTuple):
    stdout: str
    error: str  # the full report of an uncaught error, or ""
    status: int  # the exit status the CLI would give


class TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that no tier can catch it."""


def run_text(text: str, tier: str, threshold: int | None = None) -> Outcome:
    """Run a program in-process, the way `sx run` would, and capture it."""
    buf = io.StringIO()
    error, status = "", 0
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if alarm:
        def on_alarm(signum, frame):
            raise TimeLimit()
        previous = signal.signal(signal.SIGALRM, on_alarm)
        # repeating, in case one alarm lands where Python drops exceptions
        signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT, 1.0)
    try:
        with redirect_stdout(buf):
            try:
                if threshold is None:
                    rt = Runtime(tier)
                elif isinstance(threshold, tuple):
                    rt = Runtime(tier, threshold=threshold[0], py_threshold=threshold[1])
                else:
                    rt = Runtime(tier, threshold=threshold)
                rt.eval_string(text, "<random>")
            except SxExit as e:
                status = e.code
            except SchemeError as e:
                error, status = format_error(e), 1
            except TimeLimit:
                signal.setitimer(signal.ITIMER_REAL, 0)
                error, status = f"timeout: still running after {TIME_LIMIT} s", -1
            except Exception as e:  # a crash of the tier itself
                error, status = f"internal error: {type(e).__name__}: {e}", -1
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return Outcome(buf.getvalue(), error, status)


def describe(outcome: Outcome) -> str:
    return (f"stdout:\n{outcome.stdout}\n" + (f"error:\n{outcome.error}\n" if outcome.error else "")
            + f"exit status: {outcome.status}")


def divergence(text: str, tier: str, want: Outcome, got: Outcome) -> str:
    """The failure message: the program, then both outcomes and a diff."""
    diff = "\n".join(difflib.unified_diff(
        describe(want).splitlines(), describe(got).splitlines(), REFERENCE, tier, lineterm="", n=2))
    return (f"tier {tier!r} differs from {REFERENCE!r} on this program "
            f"(save it under tests/random_corpus/):\n"
            f"===== program =====\n{text}"
            f"===== {REFERENCE} =====\n{describe(want)}\n"
            f"===== {tier} =====\n{describe(got)}\n"
            f"===== diff =====\n{diff}")


def check_program(text: str) -> None:
    want = run_text(text, REFERENCE)
    assert want.status != -1, f"the reference tier itself failed:\n{text}\n{want.error}"
    for label, tier, threshold in VARIANTS:
        got = run_text(text, tier, threshold)
        if got != want:
            raise AssertionError(divergence(text, label, want, got))


def hypothesis_settings(max_examples: int):
    return settings(max_examples=max_examples, deadline=None, derandomize=SEED is None,
                    database=None, print_blob=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


def seeded(test):
    return seed(int(SEED))(test) if SEED is not None else test


# ---------------------------------------------------------------- the differential tests

@seeded
@hypothesis_settings(EXAMPLES)
@given(programs())
def test_tiers_agree_on_random_programs(text):
    check_program(text)


@pytest.mark.parametrize("path", CORPUS, ids=os.path.basename)
def test_corpus(path):
    with open(path, encoding="utf-8") as fh:
        check_program(fh.read())


def test_corpus_is_present():
    assert len(CORPUS) >= 15


# ---------------------------------------------------------------- the generator itself
#
# A generator that silently degraded into trivial or always-failing programs
# would make the differential test pass without testing anything.

def test_generated_programs_run_and_print():
    samples: list[str] = []

    # Always the same 50 programs, whatever SX_RANDOM_SEED says: hypothesis
    # draws variations of one program in clusters, so a random sample of 50
    # may by chance hold many of the deliberate uncaught errors.
    @settings(hypothesis_settings(50), derandomize=True)
    @given(programs())
    def collect(text):
        samples.append(text)

    collect()
    assert len(samples) >= 40
    outcomes = [run_text(text, REFERENCE) for text in samples]
    for text, outcome in zip(samples, outcomes):
        assert outcome.status != -1, f"the reference tier failed:\n{text}\n{outcome.error}"
        # Read and expanded without complaint: a failure, if any, is at run time.
        assert "bad syntax" not in outcome.error and "unterminated" not in outcome.error, text
    clean = [o for o in outcomes if not o.error and o.status == 0]
    assert len(clean) >= 0.7 * len(samples), [o.error for o in outcomes if o.error]
    assert sum(1 for o in outcomes if o.stdout.strip()) >= 0.9 * len(samples)
    lines = sorted(len(t.splitlines()) for t in samples)
    assert lines[len(lines) // 2] >= 15  # median program size


def test_generated_programs_are_deterministic():
    for s in range(20):
        text = generate(s)[0]
        assert text == generate(s)[0]
        assert run_text(text, REFERENCE) == run_text(text, REFERENCE), text


# Features every few hundred programs must exercise (see Gen.features).
REQUIRED_FEATURES = {
    "closure", "closure-returned", "set!", "set!-local", "set!-captured", "set!-global",
    "named-let", "do", "for-each", "tail-recursion", "recursion", "letrec", "internal-define",
    "call/cc-escape", "call/cc-reentry", "dynamic-wind", "guard", "raise",
    "with-exception-handler", "strings", "string-port", "lists", "vector", "values",
    "parameterize", "varargs", "numeric-tower", "uncaught-error",
    "floats", "float-loop", "float-recursion", "float-division",
    "higher-order", "primitive-value", "primitive-rebound", "fold", "sort", "apply",
    "string-building", "string-mutation", "string-error",
    "escape-only", "escape-reentered",
} | {f"call/cc-reentry-{v}" for v in range(9)}


def test_generator_covers_every_feature():
    seen: set[str] = set()
    for s in range(400):
        seen |= generate(s)[1]
    assert REQUIRED_FEATURES <= seen, sorted(REQUIRED_FEATURES - seen)
