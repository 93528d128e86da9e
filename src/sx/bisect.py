"""`sx bisect FILE`: which procedures' compilation changes what a program does?

Runs the program under a reference tier (cek) and under a compiled tier
with everything compiled, recording which procedures ran compiled. If the
two runs differ (stdout, error text or exit status), delta debugging
(ddmin) over that set finds a smallest subset that still makes the
difference when only it is compiled (`SX_JIT_ONLY` semantics); those are
the procedures to look at (`sx disasm FILE NAME`).

Every run is in this process, with a fresh runtime and the program read
afresh, so its code is compiled afresh too.

A tool above the embedding API (it makes Runtimes), beside the CLI; not
part of sx.jit, which sits below the API.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import time
from contextlib import redirect_stdout

from .api import Runtime
from .errors import SchemeError, SxExit
from .jit.tiering import TierManager, lambda_label
from .report import format_error


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that nothing in a run catches it."""


def _alarm(signum, frame):
    raise _Timeout()


def run_once(path: str, tier: str, only=None, record: bool = False, timeout: float = 0):
    """(stdout, error text, status), and the labels that ran compiled. A run
    longer than `timeout` seconds (when given) is stopped and reported as such:
    a miscompile often turns a loop into an endless one."""
    tiers = None if tier == "cek" else TierManager(tier, deny=[], only=only)
    if record and tiers is not None:
        tiers.used = set()
    rt = Runtime(tier, tiers=tiers)
    buf = io.StringIO()
    err, status = "", 0
    if timeout:
        old = signal.signal(signal.SIGALRM, _alarm)
        # Repeating: an alarm that lands where Python drops exceptions (a
        # finalizer) is followed by another one a second later.
        signal.setitimer(signal.ITIMER_REAL, timeout, 1.0)
    with redirect_stdout(buf):
        try:
            rt.run_file(path)
        except SxExit as e:
            status = e.code
        except SchemeError as e:
            err, status = format_error(e), 1
        except RecursionError:
            err, status = "recursion too deep (host)", 1
        except _Timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
            err, status = f"did not finish within {timeout:.0f} s", -1
        finally:
            if timeout:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
    used = sorted({x if isinstance(x, str) else lambda_label(x) for x in tiers.used}) \
        if record and tiers is not None else []
    return (buf.getvalue(), err, status), used


def ddmin(items: list, fails) -> list:
    """A 1-minimal sublist of items for which fails() holds (fails(items) must)."""
    n = 2
    while len(items) >= 2:
        size = max(1, len(items) // n)
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        for c in chunks:
            if fails(c):
                items, n = c, 2
                break
        else:
            for c in chunks:
                rest = [x for x in items if x not in c]
                if rest and fails(rest):
                    items, n = rest, max(n - 1, 2)
                    break
            else:
                if n >= len(items):
                    break
                n = min(len(items), 2 * n)
    return items


def bisect(path: str, reference: str = "cek", tier: str = "vm", out=sys.stdout) -> int:
    """Print the culprits; 0 if the tiers agree, 1 if culprits were found,
    2 if the difference does not come from compiling procedures."""
    t0 = time.perf_counter()
    ref, _ = run_once(path, reference)
    # A compiled run may loop forever where the reference stops: allow it
    # generously more than the reference took, then call it a difference.
    limit = 10 + 5 * (time.perf_counter() - t0)
    got, used = run_once(path, tier, only=["*"], record=True, timeout=limit)
    if got == ref:
        print(f"bisect: {reference} and {tier} agree on {path}", file=out)
        return 0
    print(f"bisect: {reference} and {tier} differ on {path}; "
          f"{len(used)} procedures ran compiled", file=out)
    runs = [0]

    def fails(subset) -> bool:
        runs[0] += 1
        result, _ = run_once(path, tier, only=list(subset) or ["<none>"], timeout=limit)
        return result != ref

    if not used or not fails(used):
        print("bisect: the difference does not come from compiling procedures "
              "(top-level forms, or nondeterminism)", file=out)
        return 2
    culprits = ddmin(used, fails)
    print(f"bisect: compiling these {len(culprits)} procedure(s) is enough to change the "
          f"result ({runs[0]} runs):", file=out)
    for c in culprits:
        print(f"  {c}", file=out)
    result, _ = run_once(path, tier, only=culprits, timeout=limit)
    _show_difference(ref, result, reference, tier, out)
    return 1


def _show_difference(a, b, ta: str, tb: str, out) -> None:
    for what, x, y in (("stdout", a[0], b[0]), ("error", a[1], b[1]), ("status", a[2], b[2])):
        if x != y:
            xs, ys = str(x).splitlines() or [""], str(y).splitlines() or [""]
            for i in range(max(len(xs), len(ys))):
                lx = xs[i] if i < len(xs) else "<end>"
                ly = ys[i] if i < len(ys) else "<end>"
                if lx != ly:
                    print(f"first difference in {what}, line {i + 1}:\n  {ta}: {lx}\n  {tb}: {ly}",
                          file=out)
                    break


if __name__ == "__main__":
    raise SystemExit(bisect(os.path.abspath(sys.argv[1])))
