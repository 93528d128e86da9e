"""The `sx` command: run files, evaluate expressions, start the REPL.

    sx run FILE [ARGS...]     run a program (exit 0, or 1 with a located error)
    sx eval 'EXPR' ...        evaluate expressions, print the last value
    sx repl                   interactive session
    sx --version

Options (before the command): --tier cek (or SX_TIER), --debug (Python
tracebacks too).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from . import __version__
from .errors import SchemeError, SxExit
from .printer import format_condition, write_string
from .values import UNSPECIFIED, MultipleValues


def format_error(err: SchemeError) -> str:
    """`file:line:col: message` plus the SX backtrace, innermost first."""
    loc = err.loc
    where = f"{loc[0]}:{loc[1]}:{loc[2]}: " if loc else ""
    lines = [f"{where}error: {format_condition(err.payload)}"]
    for frame in err.backtrace:
        lines.append(f"  called from {frame}")
    return "\n".join(lines)


def report(err: BaseException, debug: bool) -> None:
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


def print_value(v) -> None:
    if v is UNSPECIFIED:
        return
    if v.__class__ is MultipleValues:
        for x in v.vals:
            print(write_string(x))
        return
    print(write_string(v))


def make_runtime(args):
    from .api import Runtime, check_tier
    tier = args.tier or os.environ.get("SX_TIER") or "cek"
    try:
        check_tier(tier)
    except ValueError as e:
        print(f"sx: {e}", file=sys.stderr)
        raise SystemExit(2)
    return Runtime(tier)


def guarded(fn, debug: bool) -> int:
    """Run fn(); map SX errors and exits to a status, never a traceback."""
    try:
        fn()
        return 0
    except SxExit as e:
        sys.stdout.flush()
        return e.code
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except (SchemeError, RecursionError, Exception) as e:  # noqa: B902 - last-resort report
        report(e, debug)
        return 1


def cmd_run(args) -> int:
    from .runtime import system
    system.ARGV[:] = [args.file] + args.args
    rt = make_runtime(args)
    if not os.path.exists(args.file):
        print(f"sx: no such file: {args.file}", file=sys.stderr)
        return 1
    code = guarded(lambda: rt.run_file(args.file), args.debug)
    sys.stdout.flush()
    return code


def cmd_eval(args) -> int:
    rt = make_runtime(args)
    result = []
    code = guarded(lambda: result.append(rt.eval_string(" ".join(args.expr), "<eval>")),
                   args.debug)
    if code == 0 and result:
        print_value(result[0])
    sys.stdout.flush()
    return code


def cmd_repl(args) -> int:
    from .repl import repl
    return repl(make_runtime(args), args.debug)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="sx", description="SX: an R7RS-small Scheme with a tiered JIT")
    p.add_argument("--version", action="version", version=f"sx {__version__}")
    p.add_argument("--tier", help="evaluation tier (cek); default $SX_TIER or cek")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("run", help="run a program file")
    r.add_argument("file")
    r.add_argument("args", nargs=argparse.REMAINDER)
    e = sub.add_parser("eval", help="evaluate expressions and print the last value")
    e.add_argument("expr", nargs="+")
    sub.add_parser("repl", help="interactive read-eval-print loop")
    # The options may also follow the command; SUPPRESS keeps a subcommand
    # from resetting what was given before it.
    for sp in (r, e, sub.choices["repl"]):
        sp.add_argument("--tier", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.command is None:
        args.command = "repl"
    handler = {"run": cmd_run, "eval": cmd_eval, "repl": cmd_repl}[args.command]
    return handler(args)


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
