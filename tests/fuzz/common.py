"""What every fuzzer shares: how many cases, the seed, the time limit of a
case, and the corpus.

- `SX_FUZZ_EXAMPLES` (default 300) is the number of cases each fuzzer
  tries; `SX_FUZZ_EXAMPLES=100000 make test` (or pytest tests/fuzz) is the
  long run. Runs are seeded (derandomized), so a run is repeatable.
- Each case runs under `deadline(seconds)`: a case still running past it is
  a hang, and fails.
- The corpus (tests/fuzz/corpus/NAME/): every input a fuzzer ever found
  failing is kept there, one file each, and `corpus(NAME)` replays them on
  every run. A failing case is written there by `remember` as it fails, so
  a long run leaves what it found behind, to be committed with its fix.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("SX_FUZZ_EXAMPLES", "300"))
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck), print_blob=False)


class Hang(Exception):
    """A case ran past its time limit."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Fail a case that runs longer than `seconds` (a SIGALRM timer: the
    tests run in each pytest worker's main thread)."""
    def expired(signum, frame):
        raise Hang(f"still running after {seconds} s")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def corpus(name: str) -> list:
    """The kept inputs of fuzzer `name`, as (file name, bytes), sorted."""
    folder = os.path.join(CORPUS, name)
    if not os.path.isdir(folder):
        return []
    out = []
    for fn in sorted(os.listdir(folder)):
        with open(os.path.join(folder, fn), "rb") as fh:
            out.append((fn, fh.read()))
    return out


_written: dict = {}   # fuzzer -> the file its latest failing case went to


def remember(name: str, data: bytes) -> None:
    """Keep a failing input in the corpus of fuzzer `name`. While hypothesis
    shrinks a failure, each smaller failing case replaces the one before, so
    what stays is the minimal case it reports (it runs that one last)."""
    folder = os.path.join(CORPUS, name)
    os.makedirs(folder, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    path = os.path.join(folder, f"found-{digest}")
    previous = _written.get(name)
    if previous is not None and previous != path and os.path.exists(previous):
        os.remove(previous)
    with open(path, "wb") as fh:
        fh.write(data)
    _written[name] = path


def check(name: str, data: bytes, prop) -> None:
    """Run prop(data) as one case of fuzzer `name`: a case that fails (an
    assertion, an unexpected exception, a hang) is remembered, then fails."""
    try:
        prop(data)
    except BaseException:
        remember(name, data)
        raise
