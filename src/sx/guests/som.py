"""`sx som`: the thin launcher of SOM Smalltalk, which is written in SX
(guests/som/src/). It loads the implementation into a Runtime of the chosen
tier and calls its entry point; everything else happens in SX.

    sx som [-cp DIR[:DIR...]] File.som [ARGS...]

The class library guests/som/Smalltalk comes first on the class path, then
the -cp folders, then File.som's folder.
"""

from __future__ import annotations

import os
import sys


def home() -> str:
    """$SX_SOM_HOME, else guests/som of the source checkout."""
    env = os.environ.get("SX_SOM_HOME")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "guests", "som"))


def load(rt) -> None:
    """Load the SOM implementation into the runtime."""
    rt.run_file(os.path.join(home(), "src", "som.sx"))


def run(rt, class_path: list[str], file: str, args: list[str]) -> None:
    """Run File.som's class: raises SchemeError or SxExit like any SX program."""
    from ..values import MString, py_to_list
    load(rt)
    library = os.path.join(home(), "Smalltalk")
    rt.call(rt.lookup("som-main"), MString(library),
            py_to_list([MString(d) for d in class_path]), MString(file),
            py_to_list([MString(a) for a in args]))


def format_error(err) -> str:
    """A SOM error: a syntax error's message already starts with
    file:line:col; a runtime error gets the Smalltalk methods it passed
    through (the SX frames named Class>>selector), innermost first."""
    from ..printer import format_condition
    message = format_condition(err.payload)
    lines = [message if message.startswith(("/", ".")) or ".som:" in message
             else f"error: {message}"]
    frames = [f for f in err.backtrace if ">>" in str(f)]
    for f in frames:
        lines.append(f"  in {str(f).split(' ')[0]}")
    return "\n".join(lines)


def main(rt, class_path: str | None, file: str | None, args: list[str], debug: bool) -> int:
    from ..errors import SchemeError, SxExit
    if file is None:
        print("sx som: give a .som file (the SOM REPL is not written yet)", file=sys.stderr)
        return 2
    if not os.path.exists(file):
        print(f"sx som: no such file: {file}", file=sys.stderr)
        return 1
    dirs = [d for d in (class_path or "").split(":") if d]
    try:
        run(rt, dirs, file, args)
    except SxExit as e:
        sys.stdout.flush()
        return e.code
    except SchemeError as e:
        sys.stdout.flush()
        if debug:
            import traceback
            traceback.print_exception(e)
        print(format_error(e), file=sys.stderr)
        return 1
    sys.stdout.flush()
    return 0
