"""`sx som`: the thin launcher of SOM Smalltalk, which is written in SX
(guests/som/src/). It loads the implementation into a Runtime of the chosen
tier and calls its entry point; everything else happens in SX.

    sx som [-cp DIR[:DIR...]] File.som [ARGS...]
    sx som [-cp DIR[:DIR...]]          a read-eval-print loop

The class library guests/som/Smalltalk comes first on the class path, then
the -cp folders, then File.som's folder.
"""

from __future__ import annotations

import gc
import os
import sys


def home() -> str:
    """$SX_SOM_HOME, else guests/som of the source checkout."""
    env = os.environ.get("SX_SOM_HOME")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "guests", "som"))


def library() -> str:
    """The class library's folder, first on every class path."""
    return os.path.join(home(), "Smalltalk")


def load(rt) -> None:
    """Load the SOM implementation into the runtime."""
    rt.run_file(os.path.join(home(), "src", "som.sx"))


def run(rt, class_path: list[str], file: str, args: list[str]) -> None:
    """Run File.som's class: raises SchemeError or SxExit like any SX program."""
    from ..values import MString, py_to_list
    load(rt)
    main = rt.call(rt.lookup("som-load-main"), MString(library()),
                   py_to_list([MString(d) for d in class_path]), MString(file))
    # What is loaded by now (the SOM implementation, the class library
    # compiled, the program's class) lives as long as the process: set it
    # aside from the garbage collector (gc.freeze), whose full collections
    # would otherwise walk it all (some 40 ms here) in the middle of the
    # program.
    gc.freeze()
    rt.call(rt.lookup("som-run-main"), main, py_to_list([MString(a) for a in args]))


MAX_MESSAGE = 400


def format_error(err) -> str:
    """A SOM error: a syntax error's message already starts with
    file:line:col; a runtime error gets the Smalltalk methods pending when
    it happened (the SX frames named Class>>selector), innermost first."""
    from ..printer import format_condition
    message = format_condition(err.payload)
    if len(message) > MAX_MESSAGE:   # an irritant may be a whole class graph
        message = message[:MAX_MESSAGE] + " ..."
    lines = [message if ".som:" in message or message.startswith("ERROR: ")
             else f"error: {message}"]
    # (a compiled method's frames have no location: "in Class>>selector")
    lines.extend(f"  {f}" for f in err.backtrace if f.startswith("in ") and ">>" in f)
    return "\n".join(lines)


def report(err, debug: bool) -> None:
    """An SOM error on stderr (with the Python traceback under --debug)."""
    sys.stdout.flush()
    if debug:
        import traceback
        traceback.print_exception(err)
    print(format_error(err), file=sys.stderr)


def repl(rt, class_path: list[str], debug: bool) -> int:
    """`sx som` without a file: each line is statements, evaluated in a
    method of a fresh Object, whose last value is printed."""
    from ..errors import SchemeError, SxExit
    from ..values import MString, py_to_list
    load(rt)
    rt.call(rt.lookup("som-repl-start"), MString(library()),
            py_to_list([MString(d) for d in class_path]))
    evaluate = rt.lookup("som-repl-eval")
    interactive = sys.stdin.isatty()
    if interactive:
        print("SOM on SX: enter statements, e.g. `3 + 4` or `| a | a := 2. a * a`; "
              "Ctrl-D to leave")
    while True:
        try:
            line = input("som> " if interactive else "")
        except EOFError:
            return 0
        if not line.strip():
            continue
        try:
            result = rt.call(evaluate, MString(line))
            print(result.s if isinstance(result, MString) else result)
        except SxExit as e:
            return e.code
        except SchemeError as e:
            report(e, debug)
        sys.stdout.flush()


def main(rt, class_path: str | None, file: str | None, args: list[str], debug: bool) -> int:
    """Run File.som (or the REPL without one); the exit status."""
    from ..errors import SchemeError, SxExit
    if file is not None and not os.path.exists(file):
        print(f"sx som: no such file: {file}", file=sys.stderr)
        return 1
    dirs = [d for d in (class_path or "").split(":") if d]
    try:
        if file is None:
            return repl(rt, dirs, debug)
        run(rt, dirs, file, args)
    except SxExit as e:
        sys.stdout.flush()
        return e.code
    except SchemeError as e:
        report(e, debug)
        return 1
    sys.stdout.flush()
    return 0
