"""How errors and values reach the user: one module that every front end
(the CLI, the REPL, `sx bench`, `sx bisect`, the guests' launchers) imports
downward, so none of them has to import another.

It stands on the bottom layer only (errors, printer, values).
"""

from __future__ import annotations

import sys
import traceback

from .errors import SchemeError, SxExit
from .printer import format_condition, write_string
from .values import UNSPECIFIED, MultipleValues


def format_error(err: SchemeError) -> str:
    """`file:line:col: message` plus the SX backtrace, innermost first."""
    loc = err.loc
    where = f"{loc[0]}:{loc[1]}:{loc[2]}: " if loc else ""
    lines = [f"{where}error: {format_condition(err.payload)}"]
    for frame in err.backtrace:
        lines.append(f"  {frame}" if frame.startswith("...") else f"  called from {frame}")
    return "\n".join(lines)


def report(err: BaseException, debug: bool) -> None:
    """Any error on stderr, never with a Python traceback unless `debug`."""
    sys.stdout.flush()
    if debug:
        traceback.print_exception(err)
    if isinstance(err, SchemeError):
        print(format_error(err), file=sys.stderr)
    elif isinstance(err, RecursionError):
        print("error: nesting too deep for the host (Python recursion limit)", file=sys.stderr)
    else:
        print(f"internal error: {type(err).__name__}: {err} (rerun with --debug for details)",
              file=sys.stderr)
    sys.stderr.flush()


def guarded(fn, debug: bool, report_error=report) -> int:
    """Run fn() and give the exit status of a command: 0, the status of an
    `(exit n)`, 130 for Ctrl-C, or 1 once `report_error(err, debug)` said
    what went wrong. No Python traceback (unless `debug`)."""
    try:
        fn()
        return 0
    except SxExit as e:
        sys.stdout.flush()
        return e.code
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - every error is reported, as the user's error
        report_error(e, debug)
        return 1


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
