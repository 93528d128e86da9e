"""The Prolog guest's engine (guests/prolog): its conformance programs under
every tier, the toplevel and `sx prolog`'s command line, and the
guarantees the issue asks for (bounded last calls, deep recursion).

1. Each program guests/prolog/tests/iso/NAME.pl (grouped by ISO section)
   is run with the harness (harness.pl) under every tier and must print
   exactly NAME.out. The .out files were made under cek and compared with
   swipl's output on the same harness and program (`python
   tests/test_prolog.py --swipl NAME` shows the difference; the ones left
   are listed at the top of each program). Regenerate one after a
   deliberate change with `python tests/test_prolog.py NAME...`.
2. `sx prolog` as a command: -g, -t, exit statuses, the toplevel's answers
   on standard input, errors that leave the toplevel running.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from sx.api import TIERS, Runtime, system_environment
from sx.errors import SchemeError, SxExit
from sx.report import format_error
from sx.values import MString, py_to_list

system_environment()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
ISO = os.path.join(ROOT, "guests", "prolog", "tests", "iso")
HARNESS = os.path.join(ISO, "harness.pl")
PROGRAMS = sorted(f[:-3] for f in os.listdir(ISO) if f.endswith(".pl") and f != "harness.pl")


def run_in_process(tier: str, files: list[str], goals: list[str], toplevel: str | None = "halt",
                   stdin: str = "") -> tuple[str, str, object]:
    """(stdout, stderr, exit status) of pl-main in a fresh runtime."""
    from sx.guests.prolog.launcher import load
    out, err = io.StringIO(), io.StringIO()
    rt = Runtime(tier)
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                load(rt)
                status = rt.call(rt.lookup("pl-main"), py_to_list([MString(f) for f in files]),
                                 py_to_list([MString(g) for g in goals]),
                                 MString(toplevel) if toplevel else False, False)
            except SxExit as e:
                status = f"exit {e.code}"
            except SchemeError as e:
                status = format_error(e).splitlines()[0]
    finally:
        sys.stdin = old_stdin
    return out.getvalue(), err.getvalue(), status


def run_program(name: str, tier: str) -> str:
    out, err, status = run_in_process(tier, [HARNESS, os.path.join(ISO, name + ".pl")], ["run"])
    return out + err + ("" if status in (0, "exit 0") else f"status {status}\n")


def expected(name: str) -> str:
    with open(os.path.join(ISO, name + ".out"), encoding="utf-8") as fh:
        return fh.read()


def test_there_are_programs():
    assert len(PROGRAMS) >= 1
    for name in PROGRAMS:
        assert os.path.exists(os.path.join(ISO, name + ".out")), name


@pytest.mark.parametrize("tier", TIERS)
@pytest.mark.parametrize("name", PROGRAMS)
def test_conformance(name, tier):
    assert run_program(name, tier) == expected(name)


def sx_prolog(*args, stdin="", tier="auto", timeout=300):
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    return subprocess.run([sys.executable, "-m", "sx", "--tier", tier, "prolog", *args],
                          input=stdin, capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=timeout)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--swipl":
        for name in args[1:]:
            ours = run_program(name, "cek")
            swi = subprocess.run(["swipl", "-q", "-g", "run", "-t", "halt", HARNESS,
                                  os.path.join(ISO, name + ".pl")],
                                 capture_output=True, text=True).stdout
            import difflib
            sys.stdout.writelines(difflib.unified_diff(
                swi.splitlines(True), ours.splitlines(True), "swipl", "sx"))
    else:
        for name in args:
            with open(os.path.join(ISO, name + ".out"), "w", encoding="utf-8") as fh:
                fh.write(run_program(name, "cek"))
