"""A session: one persistent SX environment answering requests.

Each request line gets exactly one reply line, after the `out` lines of
what it printed (protocol.py). What a session decides:

- Values. A request's value is written with `write`; `(values a b)` gives
  `(ok ID a b)`, and `(values)` or an unspecified value `(ok ID)`: as the
  REPL, which prints one line per value and nothing for those.
- Errors. An SX error is reported as `sx run` reports it (report.py): the
  message line `file:line:col: error: ...` and the backtrace lines. Any
  other failure is the one line `sx run` would print (out of memory, a bug
  in SX). With --debug, the Python traceback goes to stderr as well.
- Output. What the request writes to the current output port (and
  anything else written to sys.stdout meanwhile) is sent as `out` lines as
  it is written: at each newline, when it is flushed, and at the end of
  the request. The current input port is empty during a request (reading
  gives an end of file): the requests come on standard input. The error
  port is the server's stderr.
- An abandoned request (an error, a timeout, Ctrl-C) leaves the dynamic
  extent it was in as an escape to the top level would, running its
  dynamic-wind after thunks (so parameterize restores its parameters);
  their output comes before the reply. One of those that fails in turn is
  reported on stderr, and the others still run.
- `perform`: there is no host to answer it; it is an error at the perform,
  as with `sx run`.
- `(exit n)` ends the session (for stdio, the server, with status n),
  after the error reply `exit: the session ends with status n`.
"""

from __future__ import annotations

import io
import sys

from ..api import Runtime, _no_host as refuse_requests
from ..errors import SchemeError, SxExit
from ..printer import write_string
from ..report import describe, error_report, exit_status, report, say
from ..values import UNSPECIFIED, MString, MultipleValues
from . import protocol
from .interrupt import Interrupted, critical


class Output(io.TextIOBase):
    """Stands for sys.stdout during a request: its text goes out as `out`
    lines (a line holds everything up to the last newline written, or what
    a flush finds, or CHUNK characters when no newline comes)."""

    CHUNK = 1 << 16

    def __init__(self, id_, send) -> None:
        super().__init__()
        self.id = id_
        self.send = send
        self.pending: list[str] = []
        self.size = 0

    def write(self, s: str) -> int:
        n = len(s)
        end = s.rfind("\n") + 1
        if end:
            self.pending.append(s[:end])
            self._send()
            s = s[end:]
        if s:
            self.pending.append(s)
            self.size += len(s)
            if self.size >= self.CHUNK:
                self._send()
        return n

    def flush(self) -> None:
        self._send()

    def isatty(self) -> bool:
        return False

    @critical       # the text taken must go out
    def _send(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending, self.size = [], 0
            self.send(protocol.out_reply(self.id, text))


class EndSession(Exception):
    """The request asked to end the session: `(exit n)`."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Session:
    """`handle(line)` answers one request line through `send(line)`."""

    def __init__(self, runtime: Runtime, interrupts, send, debug: bool = False) -> None:
        self.rt = runtime
        self.interrupts = interrupts
        self.send = send
        self.debug = debug
        self.count = 0

    def handle(self, line) -> None:
        """Answer a line (bytes, or protocol.TOO_LONG). Raises EndSession
        after answering an `(exit n)`."""
        self.count += 1
        name = f"<request-{self.count}>"
        try:
            if line is protocol.TOO_LONG:
                raise protocol.too_long(name)
            request = protocol.parse(line, name)
        except protocol.BadRequest as bad:
            self.send(protocol.error_reply(bad.id, *self._failure(bad.error)))
            return
        except Exception as ex:  # noqa: BLE001 - the reader's host limits, a bug: a reply still
            self.send(protocol.error_reply(False, *self._failure(ex)))
            return
        self.send(self._answer(request))

    # ---- one request ----------------------------------------------------------------

    def _answer(self, request) -> str:
        """The reply line; the request's output is sent as it is written."""
        out = Output(request.id, self.send)
        saved = sys.stdout, sys.stdin
        sys.stdout, sys.stdin = out, io.StringIO()    # stdin: nothing to read, an end of file
        try:
            try:
                written = self.interrupts.guarded(lambda: self._run(request))
            except SxExit as e:
                # (an emergency exit leaves its extent as it is: the
                # process's parameters, shared with other sessions, are
                # put back all the same)
                self.rt.recover()
                out.flush()
                status = exit_status(e)
                self.send(protocol.error_reply(
                    request.id, f"exit: the session ends with status {status}", []))
                raise EndSession(status) from None
            except (Exception, Interrupted) as ex:   # noqa: BLE001 - every failure is a reply
                reply = protocol.error_reply(request.id, *self._failure(ex))
                self.rt.leave_abandoned(ex, self._after_thunk(request))
                out.flush()
                return reply
            out.flush()
            return protocol.ok_reply(request.id, written)
        finally:
            sys.stdout, sys.stdin = saved

    def _run(self, request) -> list:
        """Carry out a request: its values, written."""
        command = request.command
        if command == "eval":
            value = refuse_requests(self.rt.run_forms([(request.form, request.loc)],
                                                      request.srcmap, request.name))
        elif command == "load":
            value = self.rt.run_file(request.path, "load")
        elif command == "reset":
            self.rt = Runtime(self.rt.tier)
            value = UNSPECIFIED
        else:
            value = MString(self.rt.stats_text())
        if value is UNSPECIFIED:
            return []
        values = value.vals if value.__class__ is MultipleValues else [value]
        return [write_string(v) for v in values]

    def _after_thunk(self, request):
        """How Runtime.leave_abandoned runs an after thunk: under the time
        limit; a failure of its own is reported on stderr."""
        def run(call) -> None:
            try:
                self.interrupts.guarded(call)
            except (Exception, Interrupted) as ex:   # noqa: BLE001 - reported; the rest still run
                message, calls = self._failure(ex)
                say("\n  ".join([f"sx serve: request {write_string(request.id)}: a dynamic-wind "
                                 f"after thunk, run as the request was abandoned, failed: "
                                 f"{message}"] + calls))
        return run

    def _failure(self, ex: BaseException) -> tuple[str, list]:
        """The message and backtrace lines of an error reply."""
        if isinstance(ex, Interrupted):
            return str(ex), []
        if self.debug:
            report(ex, True)      # the Python traceback, on stderr
        if isinstance(ex, SchemeError):
            return error_report(ex)
        return describe(ex, self.debug), []

