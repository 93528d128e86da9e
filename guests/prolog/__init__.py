"""Prolog on SX: its declaration in the guest registry (sx.guests).

This folder is the Python package sx.guests.prolog (pyproject.toml maps
it), and everything in it ships as package data: the implementation in SX
(src/, with the library in Prolog, src/lib.pl), the benchmarks (bench/)
and the tests (tests/: the reader's and writer's SX programs, the
conformance programs in tests/iso/). bench/peers.py times the benchmarks
under SWI-Prolog and GNU Prolog. The launcher (launcher.py) is imported only when
`sx prolog` or a Prolog benchmark runs.
"""

from __future__ import annotations

import argparse

from sx.guests import Guest


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE.pl", help="files to consult")
    p.add_argument("-g", dest="goals", action="append", default=[], metavar="GOAL",
                   help="a goal to run after loading (repeatable); exit status 1 if it fails")
    p.add_argument("-t", dest="toplevel", metavar="GOAL",
                   help="run GOAL instead of the interactive toplevel (e.g. -t halt)")


def main(rt, args) -> int:
    from .launcher import main
    return main(rt, args)


GUEST = Guest(
    name="prolog", command="prolog", help="run Prolog programs (a toplevel like swipl's)",
    package=__name__, add_arguments=add_arguments, main=main)
