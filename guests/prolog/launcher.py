"""`sx prolog`: the thin launcher of the Prolog guest, which is written in
SX (src/ of this package). It loads the implementation and the library
(src/lib.pl) into a Runtime of the chosen tier and calls the SX entry
point, pl-main; everything else happens in SX.

    sx prolog [FILE.pl ...] [-g GOAL]... [-t GOAL]

as swipl: consult the files, run each -g goal (exit status 1 if one fails
or raises), then the toplevel, or the -t goal instead (`-t halt` to just
leave). The exit status is halt/1's when the program halts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sx.api import loading
from sx.report import run_command
from sx.values import MString, py_to_list

from . import GUEST


def home() -> Path:
    """This package's folder: src/, bench/, tests/."""
    return GUEST.home()


def load(rt) -> None:
    """Load the Prolog implementation and its library into the runtime."""
    with loading():
        rt.run_file(os.fspath(home() / "src" / "prolog.sx"))
        rt.call(rt.lookup("pl-consult-file"), MString(os.fspath(home() / "src" / "lib.pl")))


def main(rt, args) -> int:
    """`sx prolog`: the exit status."""
    for f in args.files:
        if not os.path.exists(f):
            print(f"sx prolog: no such file: {f}", file=sys.stderr)
            return 1

    def go() -> int:
        load(rt)
        status = rt.call(rt.lookup("pl-main"),
                         py_to_list([MString(os.path.abspath(f)) for f in args.files]),
                         py_to_list([MString(g) for g in args.goals]),
                         MString(args.toplevel) if args.toplevel is not None else False,
                         sys.stdin.isatty())
        sys.stdout.flush()
        return status
    return run_command(go, args.debug)


def load_benchmark(rt, name: str):
    """For `sx bench`: Prolog and bench/NAME.pl loaded into rt; the step runs
    bench(Inner), which succeeds only when its iterations verified."""
    load(rt)
    rt.call(rt.lookup("pl-consult-file"), MString(os.fspath(home() / "bench" / f"{name}.pl")))
    run_goal = rt.lookup("pl-bench-step")
    return lambda inner: rt.call(run_goal, inner) is True
