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

from sx.guests import Guest, Suite


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="*", metavar="FILE.pl", help="files to consult")
    p.add_argument("-g", dest="goals", action="append", default=[], metavar="GOAL",
                   help="a goal to run after loading (repeatable); exit status 1 if it fails")
    p.add_argument("-t", dest="toplevel", metavar="GOAL",
                   help="run GOAL instead of the interactive toplevel (e.g. -t halt)")


def main(rt, args) -> int:
    from .launcher import main
    return main(rt, args)


# The benchmarks (bench/NAME.pl, each defining bench(N), which fails unless
# its N iterations verify) with their inner iterations: bench/peers.py.
from .bench.peers import BENCHMARKS  # noqa: E402 - standard library only


def load_benchmark(rt, name: str):
    from .launcher import load_benchmark
    return load_benchmark(rt, name)


def peer_version(peer: str):
    from .bench import peers
    return peers.version(peer)


def load_peer(peer: str, name: str, inner: int, work_dir: str):
    from .bench import peers
    p = peers.PEERS[peer]
    return peers.PrologPeerProgram(p, name, peers.benchmark_path(name), inner, work_dir)


GUEST = Guest(
    name="prolog", command="prolog", help="run Prolog programs (a toplevel like swipl's)",
    package=__name__, add_arguments=add_arguments, main=main,
    benchmarks=BENCHMARKS, load_benchmark=load_benchmark,
    peers=("swipl", "gprolog"), peer_version=peer_version, load_peer=load_peer,
    tests=Suite("tests", ("{folder}/iso/harness.pl", "-g", "run_all('{folder}/iso')",
                          "-t", "halt")))
