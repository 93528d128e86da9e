"""How errors and values reach the user: one module that every front end
(the CLI, the REPL, `sx bench`, `sx bisect`, the guests' launchers) imports
downward, so none of them has to import another.

No Python exception leaves a command: `run_command` (and `guarded`, for a
function whose value is not a status) turns each into an exit status and
at most a few lines on stderr:

- an SX error: `file:line:col: error: message` and the SX backtrace; 1
- `(exit n)`: n; Ctrl-C: "interrupted"; 130
- the host out of memory or out of Python stack: one line saying so; 1
- any other Python exception is a bug in SX: one line saying so; 1

`--debug` adds the Python traceback to each of them.

It stands on the bottom layer only (errors, printer, values).
"""

from __future__ import annotations

import sys
import traceback

from .errors import SchemeError, SxExit
from .printer import format_condition, write_string
from .values import UNSPECIFIED, MultipleValues

INTERRUPTED = 130   # the shell's status for a process ended by SIGINT (128 + 2)
BUG = "internal error (a bug in SX, please report it)"
OUT_OF_MEMORY = "error: out of memory"
TOO_DEEP = "error: nesting too deep for the host (Python recursion limit)"


def error_report(err: SchemeError) -> tuple[str, list[str]]:
    """An SX error as it is reported: the line `file:line:col: error:
    message`, and the lines of its SX backtrace, innermost first
    (`called from file:line:col in NAME`)."""
    loc = err.loc
    where = f"{loc[0]}:{loc[1]}:{loc[2]}: " if loc else ""
    calls = [frame if frame.startswith("...") else f"called from {frame}"
             for frame in err.backtrace]
    return f"{where}error: {format_condition(err.payload)}", calls


def format_error(err: SchemeError) -> str:
    """`file:line:col: message` plus the SX backtrace, innermost first."""
    message, calls = error_report(err)
    return "\n".join([message] + [f"  {line}" for line in calls])


def one_line(err: BaseException, limit: int = 300) -> str:
    """`Type: message` on one line, cut to `limit` characters."""
    try:
        text = " ".join(str(err).split())
    except Exception:  # noqa: BLE001 - an exception whose text fails: its type says enough
        text = ""
    if len(text) > limit:
        text = text[:limit] + "..."
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def internal_error_line(err: BaseException, debug: bool) -> str:
    hint = "" if debug else "; rerun with --debug for the traceback"
    return f"sx: {BUG}: {one_line(err)}{hint}"


def describe(err: BaseException, debug: bool) -> str:
    """What the user is told about an error that reached the top."""
    if isinstance(err, SchemeError):
        return format_error(err)
    if isinstance(err, MemoryError):
        return OUT_OF_MEMORY
    if isinstance(err, RecursionError):
        return TOO_DEEP
    return internal_error_line(err, debug)


def flush_stdout() -> None:
    """Flush what the program wrote before a message on stderr follows; a
    closed pipe or a full disk must not hide the message."""
    try:
        if sys.stdout is not None:     # None: started with stdout closed (`>&-`)
            sys.stdout.flush()
    except (OSError, ValueError):
        pass


def say(text: str) -> None:
    """A line on stderr, after what the program wrote on stdout."""
    flush_stdout()
    try:
        if sys.stderr is not None:
            print(text, file=sys.stderr)
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _traceback(err: BaseException) -> None:
    try:
        if sys.stderr is not None:
            traceback.print_exception(err)
    except Exception:  # noqa: BLE001 - the line that follows still tells what happened
        pass


def report(err: BaseException, debug: bool) -> None:
    """Any error on stderr, never with a Python traceback unless `debug`."""
    flush_stdout()
    if debug:
        _traceback(err)
    say(describe(err, debug))


def exit_status(e: SxExit) -> int:
    """The status an `(exit n)` asked for (exit_code has made it 0..255)."""
    return e.code if type(e.code) is int and 0 <= e.code <= 255 else 1


def interrupted() -> int:
    say("\ninterrupted")
    return INTERRUPTED


def run_command(fn, debug: bool, report_error=report) -> int:
    """Run fn(), which returns an exit status, and give the status of the
    command: fn's, or the status of an `(exit n)`, 130 for Ctrl-C, or 1
    once `report_error(err, debug)` said what went wrong. No Python
    traceback (unless `debug`); not even when reporting fails."""
    try:
        return fn()
    except SxExit as e:
        flush_stdout()
        return exit_status(e)
    except KeyboardInterrupt:
        return interrupted()
    except MemoryError as e:
        if debug:
            _traceback(e)
        # Said once the handler is left: the exception's traceback holds
        # every frame of the failed run, whose memory the line may need.
    except Exception as e:  # noqa: BLE001 - every error is reported, as the user's error
        return _report_safely(report_error, e, debug)
    say(OUT_OF_MEMORY)
    return 1


def _report_safely(report_error, err: BaseException, debug: bool) -> int:
    """report_error(err, debug), falling back to one line if reporting fails
    (a condition too big to format, the memory gone, a closed stream)."""
    try:
        report_error(err, debug)
    except KeyboardInterrupt:
        return interrupted()
    except Exception as again:  # noqa: BLE001
        if isinstance(again, MemoryError):
            say(OUT_OF_MEMORY)
        elif isinstance(err, SchemeError):     # formatting an SX condition failed: a bug
            say(internal_error_line(again, debug))
        else:                                  # a line that formats no SX value
            say(describe(err, debug))
    return 1


def guarded(fn, debug: bool, report_error=report) -> int:
    """run_command for a function whose value is not a status: 0 when it
    returns."""
    def status() -> int:
        fn()
        return 0
    return run_command(status, debug, report_error)


def prints_nothing(v) -> bool:
    """Whether print_value(v) prints nothing."""
    return v is UNSPECIFIED or (v.__class__ is MultipleValues and not v.vals)


def print_value(v) -> None:
    """A result as the REPL and `sx eval` print it: with `write`, one line
    per value of a (values ...), nothing for an unspecified value."""
    if v is UNSPECIFIED:
        return
    if v.__class__ is MultipleValues:
        for x in v.vals:
            print(write_string(x))
        return
    print(write_string(v))
