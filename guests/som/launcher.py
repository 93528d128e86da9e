"""`sx som`: the thin launcher of SOM Smalltalk, which is written in SX
(src/ of this package). It loads the implementation into a Runtime of the
chosen tier and calls its entry point; everything else happens in SX.

    sx som [-cp DIR[:DIR...]] File.som [ARGS...]
    sx som [-cp DIR[:DIR...]]          a read-eval-print loop

The class path is as in other SOMs: the -cp folders first, then
File.som's folder, then our class library (Smalltalk/ of this package) as
a fallback, then the content library (content/ of this package). The first
file of a class's name wins, the core classes' (Object, Integer...)
included, so the SOM project's own core-lib given with -cp replaces ours:

    sx som -cp Smalltalk:TestSuite TestSuite/TestHarness.som     # in SOM-st/SOM

Only the standard library's classes are required (Block4, for blocks of 3
arguments, is made if no Block4.som is found). The files are found through
the package (importlib.resources), so an installed sx runs SOM from
wherever it is installed.

load_api(rt) gives an SX program the SX <-> SOM API (src/api.sx), for a
host that runs SX code calling SOM, such as a server rendering posts with
the content library.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from sx.errors import SchemeError, SxExit
from sx.printer import format_condition
from sx.report import flush_stdout, report as report_internal, run_command, say
from sx.runtime import codecache as code_cache
from sx.runtime.textio import STDIN_LINES
from sx.api import loading, user_environment
from sx.values import MString, intern, py_to_list

from . import GUEST


def home() -> Path:
    """This package's folder: src/, Smalltalk/, bench/, tests/, examples/."""
    return GUEST.home()


def library() -> str:
    """The class library's folder, on every class path after the program's
    folders (a fallback: the first class found wins)."""
    return os.fspath(home() / "Smalltalk")


def bundled() -> list[str]:
    """The bundled libraries' folders, last on every class path: the
    content library."""
    return [os.fspath(home() / "content")]


def load(rt) -> None:
    """Load the SOM implementation into the runtime (som.sx includes the
    other sources, relative to itself)."""
    rt.run_file(os.fspath(home() / "src" / "som.sx"))
    _keep_parses(rt.env)


def _keep_parses(env) -> None:
    """Let the implementation loaded into env keep its parses of class files
    in the code cache, under keys naming its lexer's and parser's text (as
    one key, made once: each class file's key is made from it)."""
    env.table[intern("som-parser-key")].value = MString(code_cache.key(
        *((home() / "src" / name).read_text("utf-8") for name in ("lexer.sx", "parser.sx"))))


# The SX <-> SOM API (src/api.sx): what load_api binds in the program's
# environment.
API = ("som-set-home!", "som-load!", "som-class", "som-new", "som-call", "sx->som", "som->sx",
       "som-object?", "markup->html", "markup->excerpt", "markup-outline", "markup-escape")


def load_api(rt, class_path=None) -> None:
    """Give the SX program in rt the SX <-> SOM API (src/api.sx, which
    loads the implementation too), and tell it where this package's files
    are. The implementation is loaded into an environment of its own: its
    hundreds of definitions (`fallback`, `carry`, `symbols`...) would
    otherwise clash with the program's and its libraries'; the program's
    environment gets the API's procedures (API), their very bindings. With
    class_path (a list of folders), SOM is also bootstrapped with it
    (som-load!); otherwise the SX program calls (som-load! ...) itself, or
    the first markup->html does, with no folders of its own."""
    env = user_environment("som")
    rt.run_file(os.fspath(home() / "src" / "api.sx"), env=env)
    env.table[intern("som-environment")].value = env     # (its definition took the program's)
    _keep_parses(env)
    for name in API:
        rt.env.table[intern(name)] = env.table[intern(name)]
    rt.call(rt.lookup("som-set-home!"), MString(os.fspath(home())))
    if class_path is not None:
        rt.call(rt.lookup("som-load!"), _strings(class_path))


def _strings(items) -> object:
    return py_to_list([MString(x) for x in items])


def run(rt, class_path: list[str], file: str, args: list[str]) -> None:
    """Run File.som's class: raises SchemeError or SxExit like any SX program."""
    # What is loaded by then (the SOM implementation, the class library, the
    # program's class) lives as long as the process (api.loading).
    with loading():
        load(rt)
        main = rt.call(rt.lookup("som-load-main"), MString(library()), _strings(class_path),
                       MString(file), _strings(bundled()))
    rt.call(rt.lookup("som-run-main"), main, _strings(args))


MAX_MESSAGE = 400
# A syntax error's message starts with where it is: File.som:LINE:COL:
SYNTAX_ERROR = re.compile(r"\S*\.som:\d+:\d+: ")


def format_error(err: SchemeError) -> str:
    """A SOM error: a syntax error's message already starts with
    file:line:col; a runtime error gets the Smalltalk methods pending when
    it happened (the SX frames named Class>>selector), innermost first."""
    message = format_condition(err.payload)
    if len(message) > MAX_MESSAGE:   # an irritant may be a whole class graph
        message = message[:MAX_MESSAGE] + " ..."
    lines = [message if SYNTAX_ERROR.match(message) or message.startswith("ERROR: ")
             else f"error: {message}"]
    # (a compiled method's frames have no location: "in Class>>selector")
    lines.extend(f"  {f}" for f in err.backtrace if f.startswith("in ") and ">>" in f)
    return "\n".join(lines)


def report(err: BaseException, debug: bool) -> None:
    """An error on stderr (with the Python traceback under --debug): a SOM
    error (any SX error: a SOM program's errors are SX errors, "recursion
    too deep" included) as SOM reports it, anything else (the host out of
    memory, a bug in SX) as every sx command does."""
    if not isinstance(err, SchemeError):
        report_internal(err, debug)
        return
    flush_stdout()
    if debug:
        import traceback
        traceback.print_exception(err)
    print(format_error(err), file=sys.stderr)


def repl(rt, class_path: list[str], debug: bool) -> int:
    """`sx som` without a file: each line is statements, evaluated in a
    method of a fresh Object, whose last value is printed. An error (a line
    that is not UTF-8 included) is reported and the session goes on; Ctrl-C
    returns to the prompt; end of input ends it with status 0, `System
    exit:` with its status."""
    load(rt)
    rt.call(rt.lookup("som-repl-start"), MString(library()), _strings(class_path),
            _strings(bundled()))
    evaluate = rt.lookup("som-repl-eval")
    interactive = sys.stdin.isatty()
    if interactive:
        print("SOM on SX: enter statements, e.g. `3 + 4` or `| a | a := 2. a * a`; "
              "Ctrl-D to leave")
    asked: list[int] = []     # the status to end with, once there is one

    def one_line() -> int:
        if interactive:
            sys.stdout.write("som> ")
            sys.stdout.flush()
        try:
            line = STDIN_LINES.readline("")
        except (OSError, ValueError) as e:   # stdin gone (a hung-up terminal, closed)
            say(f"sx som: cannot read standard input: {e}")
            line = ""
        if line == "":
            asked.append(0)
        elif line.strip():
            try:
                result = rt.call(evaluate, MString(line.rstrip("\r\n")))
            except SxExit as e:
                asked.append(e.code)
                return 0
            print(result.s if isinstance(result, MString) else result)
        return 0

    while not asked:
        try:
            run_command(one_line, debug, report)
            flush_stdout()
        except KeyboardInterrupt:    # between the parts run_command guards: go on
            say("\ninterrupted")
    return asked[0]


def main(rt, args) -> int:
    """`sx som`: run File.som (or the REPL without one); the exit status."""
    from sx.runtime import system
    system.ARGV[:] = [args.file or "som"] + args.args
    if args.file is not None and not os.path.exists(args.file):
        print(f"sx som: no such file: {args.file}", file=sys.stderr)
        return 1
    dirs = [d for d in (args.classpath or "").split(":") if d]

    def go() -> int:
        if args.file is None:
            return repl(rt, dirs, args.debug)
        run(rt, dirs, args.file, args.args)
        return 0
    return run_command(go, args.debug, report)


def load_benchmark(rt, name: str):
    """For `sx bench`: SOM and the benchmark class `name` (bench/NAME.som,
    a subclass of Benchmark) loaded into rt; the step sends
    innerBenchmarkLoop: with the inner iterations, which checks every result
    and answers true when they were right."""
    load(rt)
    bench = rt.call(rt.lookup("som-bench-instance"), MString(library()),
                    _strings([os.fspath(home() / "bench")]), MString(name),
                    _strings(bundled()))
    run_bench = rt.lookup("som-bench-run")
    return lambda inner: rt.call(run_bench, bench, inner)
