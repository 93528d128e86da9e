"""Runs one conformance program in-process and returns what it produced.

A program `name.sx` comes with `name.out` (its exact expected stdout) and,
when it must fail, `name.err` (the expected first line of the error report,
`file:line:col: error: message`, with the file shown relative to the
conformance folder). Exit codes: 0, or 1 for an uncaught error, or what the
program passed to `exit`.
"""

from __future__ import annotations

import io
import os
import sys
from contextlib import redirect_stdout

from sx.api import Runtime
from sx.report import format_error
from sx.errors import SchemeError, SxExit

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conformance")


def programs() -> list[str]:
    out = []
    for root, _, files in os.walk(HERE):
        for f in files:
            if f.endswith(".sx"):
                out.append(os.path.relpath(os.path.join(root, f), HERE))
    return sorted(out)


def run_program(rel: str, tier: str) -> tuple[str, str, int]:
    """(stdout, first error line or '', exit status) of one program."""
    path = os.path.join(HERE, rel)
    buf = io.StringIO()
    err, status = "", 0
    cwd = os.getcwd()
    os.chdir(os.path.dirname(path))  # programs open their data files relatively
    try:
        with redirect_stdout(buf):
            rt = Runtime(tier)
            try:
                rt.run_file(os.path.basename(path))
            except SxExit as e:
                status = e.code
            except SchemeError as e:
                err, status = format_error(e).splitlines()[0], 1
    finally:
        os.chdir(cwd)
    return buf.getvalue(), err, status


def expected(rel: str) -> tuple[str, str]:
    base = os.path.join(HERE, rel[:-3])
    out = open(base + ".out", encoding="utf-8").read() if os.path.exists(base + ".out") else ""
    err = ""
    if os.path.exists(base + ".err"):
        err = open(base + ".err", encoding="utf-8").read().strip()
    return out, err


def count_checks(rel: str) -> int:
    """One check per expected output line, plus one for an expected error."""
    out, err = expected(rel)
    return len([line for line in out.splitlines() if line.strip()]) + (1 if err else 0)


if __name__ == "__main__":  # python tests/conformance_runner.py [tier]: summary per section
    tier = sys.argv[1] if len(sys.argv) > 1 else "cek"
    per: dict[str, list[int]] = {}
    for rel in programs():
        section = rel.split(os.sep)[0]
        got_out, got_err, _ = run_program(rel, tier)
        exp_out, exp_err = expected(rel)
        ok = got_out == exp_out and got_err == exp_err
        n = count_checks(rel)
        s = per.setdefault(section, [0, 0, 0])
        s[0] += 1
        s[1] += n if ok else 0
        s[2] += n
        if not ok:
            print(f"FAIL {rel}", file=sys.stderr)
    total = [0, 0]
    for section, (progs, passed, checks) in sorted(per.items()):
        print(f"{section:28} {progs:4} programs  {passed:5}/{checks:<5} checks")
        total[0] += passed
        total[1] += checks
    print(f"{'total':28}       {total[0]:5}/{total[1]:<5} checks")
