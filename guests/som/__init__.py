"""SOM Smalltalk on SX: its declaration in the guest registry (sx.guests).

This folder is the Python package sx.guests.som (pyproject.toml maps it),
and everything in it ships as package data: the implementation in SX
(src/), the class library (Smalltalk/), the benchmarks (bench/), the test
suite (tests/) and the examples. The launcher (launcher.py) is imported
only when `sx som` or a SOM benchmark runs.
"""

from __future__ import annotations

import argparse

from sx.guests import Guest, Suite

# The benchmarks (bench/NAME.som): name -> inner iterations per timed call,
# at the full and the small scale. Full is the inner count of the PySOM
# figures in issue 6 (Mandelbrot and NBody: ours). MarkupRender renders a
# 3 KB post with the content library (content/), once per inner iteration.
BENCHMARKS = {
    "Bounce": (10, 1), "List": (10, 1), "Mandelbrot": (100, 10), "NBody": (1000, 50),
    "Permute": (5, 1), "Queens": (5, 1), "Sieve": (10, 1), "Storage": (10, 1),
    "Towers": (3, 1), "Richards": (1, 1), "DeltaBlue": (200, 10), "Json": (2, 1),
    "MarkupRender": (20, 1),
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-cp", dest="classpath", metavar="DIR[:DIR...]",
                   help="class path, searched first (then the file's folder, then the bundled library)")
    p.add_argument("file", nargs="?", help="File.som: sends run: (or run) to a new instance "
                                           "of its class; without it, a REPL")
    p.add_argument("args", nargs=argparse.REMAINDER,
                   help="its arguments: run: gets an Array of the class name and them")


def main(rt, args) -> int:
    from .launcher import main
    return main(rt, args)


def load_benchmark(rt, name: str):
    from .launcher import load_benchmark
    return load_benchmark(rt, name)


def load_api(rt) -> None:
    from .launcher import load_api
    load_api(rt)


GUEST = Guest(
    name="som", command="som", help="run a SOM Smalltalk program (a REPL without one)",
    package=__name__, add_arguments=add_arguments, main=main,
    benchmarks=BENCHMARKS, load_benchmark=load_benchmark, load_api=load_api,
    tests=Suite("tests", ("-cp", "{folder}", "{folder}/TestHarness.som")))
