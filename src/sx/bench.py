"""`sx bench`: time the benchmark programs under several tiers, side by side,
and against the same algorithms written in Python.

    sx bench [NAMES...] [--tiers cek,vm] [--repeat N] [--quick]
             [--scale full|small] [--json FILE] [--dir DIR] [--list]
             [--python | --no-python] [--python-dir DIR]

(also `python -m sx.bench ...`). Every program runs under every tier in the
same process. For each (program, tier) the harness makes a fresh
`Runtime(tier)`, loads the file, calls `(run)` once to warm up (which also
lets the JIT compile what it wants), then times N calls. The tiers' calls
are interleaved (cek vm cek vm ...) so that drift in a noisy machine hits
every tier alike. It prints the median and minimum per tier and the ratio of
each tier's median to the first tier's (`vm/cek 0.31 (3.2x faster)`), and a
geometric mean of the ratios over the programs.

With `--python` (the default; `--no-python` turns it off), a program that
has a Python twin, bench/python/NAME.py (`--python-dir`,
$SX_BENCH_PYTHON_DIR), is timed in the host Python as well, under the same
scheme: one warm-up call, then each repetition times the twin first and the
tiers after it (CPython cek vm CPython cek vm ...). Every tier's row gains
the ratio of its median to the twin's (`vm/CPython 35.2`: 35 times as long),
the twin's own row, labelled with the Python implementation (`CPython`),
follows the tiers' rows, and the geometric means cover those ratios too,
over the programs that have a twin. The tiers are those of
`sx.jit.tiering.TIERS`, whatever it holds.

The program protocol (bench/programs/NAME.sx): a file defines

    size          the input (any datum), read by run;
    small-size    the input used by `--scale small` (the harness does
                  `(set! size small-size)` before the first call);
    expected      an association list from size to the result of (run);
    (run)         a procedure of no arguments doing the work.

Every result is checked with `equal?` against its expected value, so a tier
that computes something else fails the benchmark rather than winning it.

The twin protocol (bench/python/NAME.py): a module defines

    SIZE, SMALL_SIZE   the program's size and small-size, in Python terms;
    EXPECTED           a dict from size to the result of run(size);
    run(size)          the same algorithm, written as plain Python.

Python tuples and lists stand for SX lists, str for SX strings; numbers and
booleans stand for themselves. Before timing, the harness checks that the
twin's size and expected result, so converted, are `equal?` to the SX
program's; every timed result of the twin must `==` its EXPECTED entry.

Exit status: 0; 1 if a program (or its twin) fails or returns a wrong result;
2 for a bad command line (unknown tier or program, bad option).
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import platform
import statistics
import sys
import time

DEFAULT_REPEAT = 5
QUICK_REPEAT = 2
SCALES = ("full", "small")
# How the twins' row and ratios are labelled: "CPython" (or "PyPy", ...).
PYTHON_LABEL = platform.python_implementation()


class BenchFailure(Exception):
    """A program failed or computed the wrong result (exit status 1)."""


class Usage(Exception):
    """A bad command line (exit status 2)."""


# ---- finding programs ---------------------------------------------------------

def default_program_dir() -> str:
    """$SX_BENCH_DIR, else bench/programs of the source checkout, else ./bench/programs."""
    env = os.environ.get("SX_BENCH_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    checkout = os.path.normpath(os.path.join(here, "..", "..", "bench", "programs"))
    if os.path.isdir(checkout):
        return checkout
    return os.path.join(os.getcwd(), "bench", "programs")


def available_programs(directory: str) -> dict[str, str]:
    """name -> path of every NAME.sx in directory."""
    if not os.path.isdir(directory):
        return {}
    return {f[:-3]: os.path.join(directory, f)
            for f in sorted(os.listdir(directory)) if f.endswith(".sx")}


def default_python_dir(program_dir: str) -> str:
    """$SX_BENCH_PYTHON_DIR, else the directory `python` beside the programs' directory."""
    env = os.environ.get("SX_BENCH_PYTHON_DIR")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.normpath(os.path.abspath(program_dir))), "python")


def available_twins(directory: str) -> dict[str, str]:
    """name -> path of every NAME.py in directory (the Python twins)."""
    if not os.path.isdir(directory):
        return {}
    return {f[:-3]: os.path.join(directory, f)
            for f in sorted(os.listdir(directory)) if f.endswith(".py") and f != "__init__.py"}


def to_sx(value):
    """A twin's Python value as an SX datum: tuples and lists become SX lists
    (recursively), str becomes an SX string; numbers and booleans stand for
    themselves."""
    from .values import MString, py_to_list
    if isinstance(value, (tuple, list)):
        return py_to_list([to_sx(x) for x in value])
    if isinstance(value, str):
        return MString(value)
    return value


# ---- running one program under one tier ---------------------------------------------

class Instance:
    """One program loaded into its own Runtime of one tier."""

    def __init__(self, name: str, path: str, tier: str, scale: str) -> None:
        from .api import Runtime
        self.name, self.tier = name, tier
        self.rt = Runtime(tier)
        self._guard(lambda: self.rt.run_file(path), "loading")
        for var in ("run", "size", "expected") + (("small-size",) if scale == "small" else ()):
            if self.rt.lookup(var) is None:
                raise BenchFailure(f"{name}: the program does not define `{var}`")
        if scale == "small":
            self._guard(lambda: self.rt.eval_string("(set! size small-size)", "<bench>"), "scaling")
        self.run = self.rt.lookup("run")
        self.expected = self._guard(lambda: self.rt.eval_string(
            "(let ((entry (assoc size expected)))"
            "  (if entry (cdr entry) (error \"no expected result for size\" size)))",
            "<bench>"), "looking up the expected result")
        self.size = self.rt.lookup("size")

    def _guard(self, thunk, what: str):
        from .cli import format_error
        from .errors import SchemeError, SxExit
        try:
            return thunk()
        except SchemeError as e:
            raise BenchFailure(f"{self.name} under {self.tier}, {what}: "
                               f"{format_error(e).splitlines()[0]}") from None
        except SxExit as e:
            raise BenchFailure(f"{self.name} under {self.tier}, {what}: exit {e.code}") from None

    def call(self) -> float:
        """One checked call of (run); returns its duration in seconds."""
        from .printer import write_string
        from .runtime.equality import equal
        t0 = time.perf_counter()
        result = self._guard(lambda: self.rt.call(self.run), "running")
        elapsed = time.perf_counter() - t0
        if not equal(result, self.expected):
            raise BenchFailure(f"{self.name} under {self.tier} returned {write_string(result)}, "
                               f"expected {write_string(self.expected)}")
        return elapsed


class Twin:
    """A program's Python twin, imported from its file."""

    def __init__(self, name: str, path: str, scale: str) -> None:
        self.name, self.tier, self.path = name, PYTHON_LABEL, path
        module_name = f"sx_bench_twin_{name}"
        try:
            spec = importlib.util.spec_from_file_location(module_name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot import {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except Exception as e:
            sys.modules.pop(module_name, None)
            raise BenchFailure(f"{name} under {self.tier}, loading {path}: "
                               f"{type(e).__name__}: {e}") from None
        for var in ("SIZE", "SMALL_SIZE", "EXPECTED", "run"):
            if not hasattr(module, var):
                raise BenchFailure(f"{name}: the Python twin {path} does not define `{var}`")
        self.size = module.SMALL_SIZE if scale == "small" else module.SIZE
        try:
            self.expected = module.EXPECTED[self.size]
        except (KeyError, TypeError):
            raise BenchFailure(f"{name}: the Python twin has no EXPECTED entry for size "
                               f"{self.size!r}") from None
        self.run = module.run

    def check_against(self, inst: Instance) -> None:
        """The twin must do the SX program's work: same size, same answer."""
        from .printer import write_string
        from .runtime.equality import equal
        for what, mine, theirs in (("size", self.size, inst.size),
                                   ("expected result", self.expected, inst.expected)):
            if not equal(to_sx(mine), theirs):
                raise BenchFailure(f"{self.name}: the Python twin's {what} "
                                   f"{write_string(to_sx(mine))} is not the SX program's "
                                   f"{write_string(theirs)}")

    def call(self) -> float:
        """One checked call of run(size); returns its duration in seconds."""
        t0 = time.perf_counter()
        try:
            result = self.run(self.size)
        except Exception as e:
            raise BenchFailure(f"{self.name} under {self.tier}, running: "
                               f"{type(e).__name__}: {e}") from None
        elapsed = time.perf_counter() - t0
        if result != self.expected:
            raise BenchFailure(f"{self.name} under {self.tier} returned {result!r}, "
                               f"expected {self.expected!r}")
        return elapsed


def measure(name: str, path: str, tiers: list[str], scale: str, repeat: int,
            warmup: int = 1, twin_path: str | None = None) -> dict[str, list[float]]:
    """Seconds per timed call, per tier, the tiers' calls interleaved. With
    twin_path, the Python twin is timed too, first in every round, under
    the key PYTHON_LABEL."""
    instances: list = [Instance(name, path, tier, scale) for tier in tiers]
    if twin_path is not None:
        twin = Twin(name, twin_path, scale)
        twin.check_against(instances[0])
        instances.insert(0, twin)
    for inst in instances:
        for _ in range(warmup):
            inst.call()
    times: dict[str, list[float]] = {inst.tier: [] for inst in instances}
    for _ in range(repeat):
        for inst in instances:
            gc.collect()
            times[inst.tier].append(inst.call())
    return times


# ---- reporting -------------------------------------------------------------------

def describe_ratio(r: float) -> str:
    if math.isclose(r, 1.0, rel_tol=0.005):
        return "(same)"
    return f"({1 / r:.1f}x faster)" if r < 1 else f"({r:.1f}x slower)"


def ratio_text(tier: str, base: str, r: float) -> str:
    if tier == base:
        return f"{tier}/{base} 1.00 (baseline)"
    return f"{tier}/{base} {r:.2f} {describe_ratio(r)}"


def python_ratio_text(tier: str, r: float) -> str:
    """`vm/CPython 35.2`: how many times as long as the Python twin."""
    if not (r > 0 and math.isfinite(r)):
        return f"{tier}/{PYTHON_LABEL} -"
    digits = 0 if r >= 100 else 1 if r >= 1 else 2
    return f"{tier}/{PYTHON_LABEL} {r:.{digits}f}"


def geometric_mean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


# ---- command line ------------------------------------------------------------------

def parse(argv: list[str]) -> argparse.Namespace:
    from .api import TIERS
    p = argparse.ArgumentParser(
        prog="sx bench",
        description="Time the benchmark programs under several tiers and print the ratios.")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="programs to run (default: all of them)")
    p.add_argument("--tiers", default=None,
                   help=f"comma-separated tiers, the first is the baseline "
                        f"(default: every tier, {','.join(TIERS)})")
    p.add_argument("--repeat", type=int, default=None, metavar="N",
                   help=f"timed calls per tier (default {DEFAULT_REPEAT}, {QUICK_REPEAT} with --quick)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    p.add_argument("--scale", choices=SCALES, default=os.environ.get("SX_BENCH_SCALE") or "full",
                   help="input sizes: full (default, or $SX_BENCH_SCALE) or small")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument("--dir", default=None, help="where the programs are (default: bench/programs)")
    p.add_argument("--list", action="store_true", help="list the programs and exit")
    p.add_argument("--python", action=argparse.BooleanOptionalAction, default=True,
                   help="also time each program's Python twin and print the ratios to it "
                        "(default; --no-python turns it off)")
    p.add_argument("--python-dir", default=None, metavar="DIR",
                   help="where the Python twins are (default: bench/python beside the programs)")
    args = p.parse_args(argv)  # SystemExit(2) on a bad option, (0) for --help
    if args.scale not in SCALES:
        raise Usage(f"unknown scale {args.scale!r}: expected one of {', '.join(SCALES)}")
    if args.repeat is None:
        args.repeat = QUICK_REPEAT if args.quick else DEFAULT_REPEAT
    if args.repeat < 1:
        raise Usage("--repeat must be at least 1")
    tiers = [t.strip() for t in (args.tiers or ",".join(TIERS)).split(",") if t.strip()]
    if not tiers:
        raise Usage("--tiers: no tier given")
    for t in tiers:
        if t not in TIERS:
            raise Usage(f"unknown tier {t!r}: expected one of {', '.join(TIERS)}")
    if len(set(tiers)) != len(tiers):
        raise Usage(f"--tiers: a tier is given twice: {','.join(tiers)}")
    args.tier_list = tiers
    return args


def main(argv: list[str]) -> int:
    try:
        args = parse(argv)
    except SystemExit as e:  # argparse has already printed why
        return e.code if isinstance(e.code, int) else 2
    except Usage as u:
        print(f"sx bench: {u}", file=sys.stderr)
        return 2

    directory = args.dir or default_program_dir()
    programs = available_programs(directory)
    if args.list:
        for name in programs:
            print(name)
        return 0
    if not programs:
        print(f"sx bench: no programs (*.sx) in {directory}", file=sys.stderr)
        return 2
    names = args.names or list(programs)
    unknown = [n for n in names if n not in programs]
    if unknown:
        print(f"sx bench: unknown program {unknown[0]!r}: expected one of {', '.join(programs)}",
              file=sys.stderr)
        return 2

    tiers = args.tier_list
    base = tiers[0]
    twins = {}
    if args.python:
        if args.python_dir and not os.path.isdir(args.python_dir):
            print(f"sx bench: --python-dir: no directory {args.python_dir}", file=sys.stderr)
            return 2
        twin_dir = args.python_dir or default_python_dir(directory)
        twins = {n: p for n, p in available_twins(twin_dir).items() if n in names}
    py = PYTHON_LABEL
    order = ([py] if twins else []) + tiers
    print(f"sx bench: scale {args.scale}, {args.repeat} timed run{'s' if args.repeat != 1 else ''} "
          f"per tier after 1 warm-up, tiers interleaved ({' '.join(order)})")
    width = max(len("program"), *(len(n) for n in names))
    twidth = max(len("tier"), *(len(t) for t in order))
    # the "vs base" column is padded so that the "vs Python" column lines up
    rwidth = max(len(f"vs {base}"), *(len(ratio_text(t, base, 0.0123)) for t in tiers))
    header = (f"{'program':<{width}}  {'tier':<{twidth}}  {'median ms':>10}  {'min ms':>10}  "
              f"vs {base}")
    print(f"{header:<{len(header) - len(base) - 3 + rwidth}}  vs {py}" if twins else header)
    sys.stdout.flush()

    results = []
    ratios: dict[str, list[float]] = {t: [] for t in tiers[1:]}
    py_ratios: dict[str, list[float]] = {t: [] for t in tiers}
    for name in names:
        try:
            times = measure(name, programs[name], tiers, args.scale, args.repeat,
                            twin_path=twins.get(name))
        except BenchFailure as f:
            sys.stdout.flush()
            print(f"sx bench: {f}", file=sys.stderr)
            return 1
        med = {t: statistics.median(times[t]) for t in tiers}
        low = {t: min(times[t]) for t in tiers}
        entry = {"name": name, "times_ms": {t: [x * 1000 for x in times[t]] for t in tiers},
                 "median_ms": {t: med[t] * 1000 for t in tiers},
                 "min_ms": {t: low[t] * 1000 for t in tiers}, "ratio": {},
                 "python_twin": None, "ratio_to_python": {}}
        py_med = None
        if name in twins:
            py_med = statistics.median(times[py])
            entry["python_twin"] = {"label": py, "file": twins[name],
                                    "times_ms": [x * 1000 for x in times[py]],
                                    "median_ms": py_med * 1000,
                                    "min_ms": min(times[py]) * 1000}
        for i, t in enumerate(tiers):
            r = med[t] / med[base] if med[base] > 0 else float("nan")
            if t != base:
                entry["ratio"][f"{t}/{base}"] = r
                if r > 0 and math.isfinite(r):
                    ratios[t].append(r)
            row = (f"{name if i == 0 else '':<{width}}  {t:<{twidth}}  {med[t] * 1000:10.1f}  "
                   f"{low[t] * 1000:10.1f}  {ratio_text(t, base, r)}")
            if py_med is not None:
                pr = med[t] / py_med if py_med > 0 else float("nan")
                entry["ratio_to_python"][f"{t}/{py}"] = pr
                if pr > 0 and math.isfinite(pr):
                    py_ratios[t].append(pr)
                row = f"{row:<{len(row) - len(ratio_text(t, base, r)) + rwidth}}  " \
                      f"{python_ratio_text(t, pr)}"
            print(row)
        if py_med is not None:
            print(f"{'':<{width}}  {py:<{twidth}}  {py_med * 1000:10.1f}  "
                  f"{min(times[py]) * 1000:10.1f}")
        sys.stdout.flush()
        results.append(entry)

    geomean = {}
    py_geomean = {}
    if len(names) > 1:
        for t, rs in ratios.items():
            if rs:
                g = geometric_mean(rs)
                geomean[f"{t}/{base}"] = g
                print(f"geometric mean over {len(rs)} programs: {ratio_text(t, base, g)}")
        for t, rs in py_ratios.items():
            if rs:
                g = geometric_mean(rs)
                py_geomean[f"{t}/{py}"] = g
                print(f"geometric mean over {len(rs)} program{'s' if len(rs) != 1 else ''} "
                      f"with a Python twin: {python_ratio_text(t, g)}")

    if args.json:
        from . import __version__
        doc = {"sx": __version__, "python": platform.python_version(),
               "machine": platform.machine(), "scale": args.scale, "repeat": args.repeat,
               "warmup": 1, "tiers": tiers, "baseline": base, "programs": results,
               "geomean_ratio": geomean,
               "python_twins": {"enabled": bool(args.python), "label": py,
                                "programs": list(twins), "geomean_ratio": py_geomean}}
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
