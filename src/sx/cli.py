"""The `sx` command: run files, evaluate expressions, start the REPL.

    sx run FILE [ARGS...]     run a program (exit 0, or 1 with a located error)
    sx eval 'EXPR' ...        evaluate expressions, print the last value
    sx repl                   interactive session
    sx disasm [--py] FILE [NAME...]  bytecode (or generated Python) of the file's procedures
    sx bisect FILE            find the procedures whose compilation changes a run
    sx bench [NAMES...]       time the benchmarks under the tiers, CPython and other Schemes
    sx serve APP.sx           serve an HTTP application (sx.serve.http, on uvicorn)
    sx serve --stdio          a persistent evaluator: requests and replies, a line each,
    sx serve --listen ADDR      on stdin/stdout or over TCP (see sx.serve)
    sx GUEST ...              a guest language's command (the guest registry, sx.guests)
    sx --version

Options (before or after the command): --tier cek|vm|py|auto (or SX_TIER;
default auto), --debug (Python tracebacks too), --stats (run: JIT
statistics on stderr at exit).

Exit status: 0; 1 after an error (an SX error, located; the host out of
memory; or a bug in SX, which is said in one line); 2 for a bad command
line; 130 after Ctrl-C; n for `(exit n)`, n from 0 to 255 (any other
argument to exit: 1). No Python exception leaves `main`: a command's own
errors are reported by it, anything else by the guard around them all.
"""

from __future__ import annotations

import argparse
import math
import os
import sys

from . import __version__
from .report import flush_stdout, guarded, print_value, report, run_command


def chosen_tier(args) -> str:
    from .api import DEFAULT_TIER, check_tier
    tier = getattr(args, "tier", None) or os.environ.get("SX_TIER") or DEFAULT_TIER
    try:
        return check_tier(tier)
    except ValueError as e:
        print(f"sx: {e}", file=sys.stderr)
        raise SystemExit(2)


def make_runtime(args):
    from .api import Runtime
    tier = chosen_tier(args)
    try:
        return Runtime(tier)
    except ValueError as e:       # a bad SX_JIT_THRESHOLD
        print(f"sx: {e}", file=sys.stderr)
        raise SystemExit(2)


def missing(path: str) -> bool:
    """Report a file that does not exist (exit status 1 follows)."""
    if os.path.exists(path):
        return False
    print(f"sx: no such file: {path}", file=sys.stderr)
    return True


def cmd_run(args) -> int:
    from .runtime import system
    system.ARGV[:] = [args.file] + args.args
    rt = make_runtime(args)
    if missing(args.file):
        return 1
    code = guarded(lambda: rt.run_file(args.file), args.debug)
    flush_stdout()
    if args.stats:
        sys.stderr.write(rt.stats_text())
    return code


def cmd_eval(args) -> int:
    from .runtime.textio import check_text
    rt = make_runtime(args)
    result = []
    # An argument that is not UTF-8 is an error, never a string holding lone surrogates.
    code = guarded(lambda: result.append(rt.eval_string(
        check_text(" ".join(args.expr), "", "<eval>"), "<eval>")), args.debug)
    if code == 0 and result:
        print_value(result[0])
    flush_stdout()
    return code


def cmd_guest(args) -> int:
    """`sx <command>` of a guest language (sx.guests): its launcher runs it."""
    return args.guest.main(make_runtime(args), args)


def cmd_repl(args) -> int:
    from .repl import repl
    return repl(make_runtime(args), args.debug)


def tier2_listing(code) -> str:
    """The generated Python of a code object, or why tier 2 declines it."""
    from .jit.py import HostLimit, compile_unit
    try:
        unit = code.unit or compile_unit(code)
    except HostLimit as ex:
        return f"# {code.label}: not compiled to Python ({ex}); it stays in the VM\n"
    return f"# {code.label}: tier 2 (generated Python)\n{unit.src}"


def cmd_disasm(args) -> int:
    """Expand the file (without running it) and list the bytecode of every
    procedure it defines at top level, or of the ones named."""
    from .ir import GlobalSet, Lambda
    from .jit.tiering import compiled_or_none, lambda_label
    from .tools import lambda_listing
    from .reader import read_all
    from .runtime.textio import read_source
    rt = make_runtime(args)
    if missing(args.file):
        return 1
    listings = []

    def expand():
        forms, srcmap = read_all(read_source(args.file, "disasm"), args.file)
        ex = rt.expander(srcmap, args.file)
        for datum, loc in forms:
            node = rt.analyse(ex.toplevel(datum, rt.env, loc))
            if node.__class__ is GlobalSet and node.value.__class__ is Lambda:
                lam = node.value
                if not args.names or node.cell.name.name in args.names or \
                        lambda_label(lam) in args.names:
                    code = compiled_or_none(lam)
                    if args.py and code is not None:
                        listings.append(tier2_listing(code))
                    else:
                        listings.append(lambda_listing(lam))
    code = guarded(expand, args.debug)
    if code:
        return code
    if not listings:
        what = f"named {', '.join(args.names)} " if args.names else ""
        print(f"sx disasm: no procedure {what}defined at top level in {args.file}",
              file=sys.stderr)
        return 1
    print("\n".join(listings), end="")
    return 0


def cmd_bisect(args) -> int:
    from .bisect import bisect
    from .runtime.textio import read_source
    if missing(args.file) or guarded(lambda: read_source(args.file, "bisect"), args.debug):
        return 1
    tiers = args.tiers.split(",")
    if len(tiers) != 2:
        print("sx bisect: --tiers takes two tiers, e.g. cek,vm", file=sys.stderr)
        return 2
    from .api import check_tier
    try:
        for t in tiers:
            check_tier(t)
    except ValueError as e:
        print(f"sx bisect: {e}", file=sys.stderr)
        return 2
    return bisect(os.path.abspath(args.file), tiers[0], tiers[1])


def cmd_serve(args) -> int:
    """`sx serve APP.sx`: an HTTP application (sx.serve.http); `sx serve
    --stdio` or `--listen [HOST:]PORT`: the line protocol (sx.serve)."""
    if args.app is not None:
        return serve_http(args)
    for option in ("host", "port", "workers", "app_name", "db", "max_body"):
        if getattr(args, option) is not None:
            args.parser.error(f"--{option.replace('_', '-')} is for serving an HTTP app: "
                              f"sx serve APP.sx")
    if args.access_log:
        args.parser.error("--access-log is for serving an HTTP app: sx serve APP.sx")
    if not args.stdio and args.listen is None:
        args.parser.error("say what to serve: APP.sx (an HTTP application), or the line "
                          "protocol with --stdio or --listen [HOST:]PORT")
    from .serve import stdio, tcp
    from .serve.interrupt import Interrupts, supported
    if args.timeout is not None and not supported():
        args.parser.error("--timeout needs POSIX's interval timer, which this platform lacks")
    address = None
    if args.listen is not None:
        try:
            address = tcp.parse_address(args.listen)
        except ValueError as e:
            args.parser.error(f"--listen: {e}")
    rt = make_runtime(args)      # a bad tier or threshold is said before serving
    interrupts = Interrupts(args.timeout)
    interrupts.install()
    if address is None:
        return stdio.serve(rt, interrupts, args.debug)
    return tcp.serve(address, lambda: make_runtime(args), interrupts, args.debug)


def serve_http(args) -> int:
    """`sx serve APP.sx`: the HTTP host (sx.serve.http) on uvicorn."""
    if args.stdio or args.listen is not None:
        args.parser.error("serve either an HTTP app (APP.sx) or the line protocol "
                          "(--stdio, --listen), not both")
    if missing(args.app):
        return 1
    args.tier_name = chosen_tier(args)
    from .serve.interrupt import supported
    if args.timeout is not None and not supported():
        args.parser.error("--timeout needs POSIX's interval timer, which this platform lacks")
    args.host = args.host or "127.0.0.1"
    args.port = 8000 if args.port is None else args.port
    args.workers = args.workers or 1
    args.app_name = args.app_name or "app"
    args.db = args.db or ":memory:"
    args.timeout = 30.0 if args.timeout is None else args.timeout
    args.max_body = (1 << 20) if args.max_body is None else args.max_body
    try:
        from .serve.http.launch import serve
    except ImportError as e:     # installed without its dependencies
        print(f"sx serve: serving HTTP needs uvicorn, starlette, aiosqlite and "
              f"python-multipart ({e})", file=sys.stderr)
        return 1
    return serve(args)


def count(low: int, high: int):
    """An option's integer from low to high (argparse type)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected an integer from {low} to {high}, "
                                             f"got {text!r}")
        return value
    return parse


def seconds(text: str) -> float:
    """An option's positive number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


# The commands of SX itself; every other one is a guest's (sx.guests).
BUILTIN = ("run", "eval", "repl", "disasm", "bisect", "bench", "serve")


def main(argv=None) -> int:
    """The exit status of `sx ARGV...`; whatever goes wrong is reported by
    the command, or else by this guard (report.run_command)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = {"on": "--debug" in argv}   # until the command line is parsed
    return run_command(lambda: _main(argv, debug), debug["on"],
                       lambda err, _: report(err, debug["on"]))


def _main(argv: list, debug: dict) -> int:
    p = argparse.ArgumentParser(prog="sx", description="SX: an R7RS-small Scheme with a tiered JIT")
    p.add_argument("--version", action="version", version=f"sx {__version__}")
    p.add_argument("--tier", help="evaluation tier: cek, vm, py or auto; default $SX_TIER or auto")
    p.add_argument("--debug", action="store_true", help="show Python tracebacks for errors")
    sub = p.add_subparsers(dest="command")
    r = sub.add_parser("run", help="run a program file")
    r.add_argument("file")
    r.add_argument("args", nargs=argparse.REMAINDER)
    e = sub.add_parser("eval", help="evaluate expressions and print the last value")
    e.add_argument("expr", nargs="+")
    r.add_argument("--stats", action="store_true",
                   help="print JIT statistics (calls, tier, compile time) to stderr at exit")
    sub.add_parser("repl", help="interactive read-eval-print loop")
    d = sub.add_parser("disasm", help="bytecode listing of the procedures a file defines")
    d.add_argument("file")
    d.add_argument("names", nargs="*", help="only these procedures (name or name@file:line:col)")
    d.add_argument("--py", action="store_true",
                   help="show the Python that tier 2 generates instead of the bytecode")
    b = sub.add_parser("bisect", help="find the procedures whose compilation changes a run")
    b.add_argument("file")
    b.add_argument("--tiers", default="cek,vm", help="reference and compiled tier (cek,vm)")
    s = sub.add_parser("serve", help="serve an HTTP app (sx serve APP.sx), or a persistent "
                                     "evaluator for other programs: one request and one reply "
                                     "a line, on stdin/stdout or over TCP",
                       description="sx serve APP.sx: serve the HTTP application of APP.sx (its "
                                   "procedure app: request dict -> response dict) on uvicorn. "
                                   "sx serve --stdio | --listen: evaluate requests (ID FORM) "
                                   "in a persistent environment "
                                   "and answer each with one line: (ok ID VALUE...) or (error "
                                   "ID \"message\" (backtrace...)), after (out ID \"text\") "
                                   "lines for what it printed. Commands: (ID :load \"FILE\"), "
                                   "(ID :reset), (ID :stats). See the README.")
    s.add_argument("app", nargs="?", metavar="APP.sx",
                   help="the HTTP application to serve (a file defining `app`)")
    s.add_argument("--host", help="HTTP: the address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=count(0, 65535), help="HTTP: the port (default 8000)")
    s.add_argument("--workers", type=count(1, 256),
                   help="HTTP: the number of worker processes (default 1)")
    s.add_argument("--app", dest="app_name", metavar="NAME",
                   help="HTTP: the procedure to serve (default app)")
    s.add_argument("--db", metavar="FILE",
                   help="HTTP: the SQLite database file (default: an in-memory database)")
    s.add_argument("--max-body", type=count(0, 1 << 40), metavar="BYTES",
                   help="HTTP: a larger request body gets 413 (default 1048576)")
    s.add_argument("--access-log", action="store_true", help="HTTP: log every request")
    how = s.add_mutually_exclusive_group()
    how.add_argument("--stdio", action="store_true",
                     help="one session: requests on standard input, replies on standard "
                          "output; it ends at the end of input")
    how.add_argument("--listen", metavar="[HOST:]PORT",
                     help="serve over TCP, a session per connection; HOST defaults to "
                          "127.0.0.1, port 0 takes a free port (the address is said on stderr)")
    s.add_argument("--timeout", metavar="S", type=seconds,
                   help="interrupt a request that runs longer than S seconds: it is answered "
                        "with an error (HTTP: 503; default 30), and the server goes on")
    s.set_defaults(parser=s)
    sub.add_parser("bench", add_help=False,
                   help="time the benchmarks under the tiers, CPython and other Schemes "
                        "(sx bench -h)")
    with_globals = [r, e, sub.choices["repl"], d, s]
    i = _command_index(argv)
    word = argv[i] if i is not None else None
    if word == "bench":
        from .bench import main as bench_main   # it has its own options
        return bench_main(argv[i + 1:])
    # One subcommand per registered guest. The guests are imported only
    # when the command is not a built-in one (a guest's, a wrong one, or
    # none: the help lists them), so `sx eval 1` imports none of them.
    if word not in BUILTIN:
        from .guests import all_guests
        for guest in all_guests():
            if guest.command in BUILTIN:
                raise RuntimeError(f"the guest {guest.name} takes the built-in command "
                                   f"{guest.command!r}")
            g = sub.add_parser(guest.command, help=guest.help)
            guest.add_arguments(g)
            g.set_defaults(guest=guest)
            with_globals.append(g)
    # The options may also follow the command; SUPPRESS keeps a subcommand
    # from resetting what was given before it.
    for sp in with_globals:
        sp.add_argument("--tier", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    debug["on"] = args.debug
    if args.command is None:
        args.command = "repl"
    if getattr(args, "guest", None) is not None:
        return cmd_guest(args)
    handler = {"run": cmd_run, "eval": cmd_eval, "repl": cmd_repl, "disasm": cmd_disasm,
               "bisect": cmd_bisect, "serve": cmd_serve}[args.command]
    return handler(args)


def _command_index(argv):
    """Where the command word is, skipping the global options before it."""
    i = 0
    while i < len(argv):
        if argv[i] == "--tier":
            i += 2
        elif argv[i].startswith("-"):
            i += 1
        else:
            return i
    return None


def entry() -> None:
    status = main()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        # The reader went away (`sx run p.sx | head`): what is left cannot
        # be written, and Python would complain of it again at exit.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        status = status or 1
    sys.exit(status)


if __name__ == "__main__":
    entry()
