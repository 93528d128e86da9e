"""Interrupting a request: its time limit (`--timeout`) and Ctrl-C.

A request can be anywhere when its time is up, tier 2's generated Python
included: a `while True:` loop that checks nothing. So the interruption is
asynchronous: a signal (SIGALRM from an interval timer, or SIGINT) whose
Python handler runs in the main thread between two bytecodes, wherever
that thread is, and raises `Interrupted` there. CPython looks for pending
signals at every backward jump and call, so it reaches every loop; what it
cannot cut short is one long C call (a product of huge integers): the
handler runs when that returns. Hence the evaluation runs on the main
thread in every transport.

`Interrupted` is a BaseException, so no `except Exception` on its way out
(tier 2 declining to compile a unit, a report) takes it for an error of its
own: it unwinds every machine run through their `finally` clauses, and the
session then puts the machine back at the top level
(`Runtime.leave_abandoned`, `Runtime.recover`) for what those could not.

A few steps must not be cut in the middle, because what they would leave
half done outlives the request: a global's assignment invalidating the
generated code that assumed its old value (code left running with a stale
assumption would compute wrong results from then on), installing or
invalidating a unit of generated code, and writing a reply line (a half
line would break the protocol). An interruption that finds one of them
among the innermost frames is put off by a millisecond, and tried again.

Ctrl-C while no request runs is a KeyboardInterrupt: it ends the server.
"""

from __future__ import annotations

import signal
import sys
import threading

from ..values import Cell

RETRY = 0.001      # seconds: how long an interruption is put off
# Seconds between alarms once the time is up, until the request is over:
# an exception raised where Python drops it (a finalizer, a weakref or gc
# callback) would otherwise be the last word.
REPEAT = 0.25
WINDOW = 4         # innermost frames where a step that must stay whole is looked for

# The code of the steps that must stay whole (see above). Tier 2's are
# looked up when an interruption comes (`--tier cek` never loads it).
CRITICAL = {Cell.assign.__code__}
TIER2_CRITICAL = ("install", "invalidate")   # methods of sx.jit.py.unit.Unit


def critical(fn):
    """Declare fn a step that an interruption must not cut (a decorator)."""
    CRITICAL.add(fn.__code__)
    return fn


class Interrupted(BaseException):
    """A request stopped from outside; the text is its error reply's message."""


def _critical_codes() -> set:
    codes = set(CRITICAL)
    unit = sys.modules.get("sx.jit.py.unit")
    if unit is not None:
        codes.update(getattr(unit.Unit, name).__code__ for name in TIER2_CRITICAL)
    return codes


def in_critical(frame) -> bool:
    """Whether a step that must stay whole is among the innermost frames."""
    codes = _critical_codes()
    for _ in range(WINDOW):
        if frame is None:
            return False
        if frame.f_code in codes:
            return True
        frame = frame.f_back
    return False


def supported() -> bool:
    """Whether requests can be interrupted here: signal handlers can only
    be set in the main thread, and the interval timer is POSIX's."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Interrupts:
    """The time limit of requests (`timeout` seconds, or None) and Ctrl-C.
    `install()` takes over SIGALRM and SIGINT; `guarded(fn)` runs fn with
    them armed."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.armed = False
        self.pending = None       # the message of an interruption put off
        self.installed = False
        self.limit = timeout      # the time limit of the run guarded now

    def install(self, sigint: bool = True) -> None:
        """Take over SIGALRM and SIGINT, where that can be done (supported):
        elsewhere requests run without a time limit, and Ctrl-C ends the
        server. `sigint=False` leaves SIGINT to the host (the HTTP server,
        whose Ctrl-C is a graceful shutdown)."""
        if not supported():
            return
        signal.signal(signal.SIGALRM, self._on_alarm)
        if sigint:
            signal.signal(signal.SIGINT, self._on_sigint)
        self.installed = True

    def guarded(self, fn, limit: float | None = None):
        """fn(), interrupted by Interrupted when it runs past the time limit
        (`limit` seconds from now if given, else the timeout) or Ctrl-C is
        pressed. Only what fn does may be interrupted: it is disarmed first
        thing on the way out (an interruption that comes later is ignored:
        fn is over)."""
        self.pending = None
        self.armed = True
        try:
            if limit is None:
                limit = self.timeout
            self.limit = limit
            if limit is not None and self.installed:
                signal.setitimer(signal.ITIMER_REAL, max(limit, 1e-6), REPEAT)
            return fn()
        finally:
            self.armed = False
            if self.installed:
                signal.setitimer(signal.ITIMER_REAL, 0)

    def timeout_message(self) -> str:
        return f"timeout: the request ran longer than {self.limit:g} s"

    def _on_alarm(self, signum, frame) -> None:
        self._interrupt(frame, self.pending or self.timeout_message())

    def _on_sigint(self, signum, frame) -> None:
        if not self.armed:
            raise KeyboardInterrupt
        self._interrupt(frame, "interrupted")

    def _interrupt(self, frame, message: str) -> None:
        if not self.armed:
            return
        if in_critical(frame):
            self.pending = message
            signal.setitimer(signal.ITIMER_REAL, RETRY, REPEAT)
            return
        raise Interrupted(message)
