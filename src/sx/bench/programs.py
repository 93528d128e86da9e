"""The things `sx bench` times, each behind one small interface:

    label, kind       "cek" / "tier", "CPython" / "python", "chez" / "peer"
    warm_up(n)        n untimed calls (for the JIT, caches, ...)
    sample()          seconds taken by one checked call of the program

`Instance` is an SX program loaded into its own Runtime of one tier and
called in this process; `GuestInstance` is a guest language's benchmark,
loaded by the guest (sx.guests) into a Runtime; `Twin` is an SX program's
CPython twin, imported and called in this process too; `PeerProgram`
(peers.py) runs it under another Scheme in a subprocess. A wrong result raises BenchFailure, so a
contestant that computes something else fails rather than wins.

Where things are: the programs in bench/programs/NAME.sx (`--dir`,
$SX_BENCH_DIR), the twins in bench/python/NAME.py and the peers' preludes
in bench/peers/, both beside the programs' folder.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import time
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ..guests import Guest

SCALES = ("full", "small")
# How the twins are labelled: "CPython" (or "PyPy", ...).
PYTHON_LABEL = platform.python_implementation()


class BenchFailure(Exception):
    """A program failed or computed the wrong result (exit status 1)."""


# ---- finding things --------------------------------------------------------------------

def default_program_dir() -> str:
    """$SX_BENCH_DIR, else bench/programs of the source checkout, else ./bench/programs."""
    env = os.environ.get("SX_BENCH_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    checkout = os.path.normpath(os.path.join(here, "..", "..", "..", "bench", "programs"))
    if os.path.isdir(checkout):
        return checkout
    return os.path.join(os.getcwd(), "bench", "programs")


def beside(program_dir: str, name: str) -> str:
    """The folder `name` beside the programs' folder (python, peers)."""
    return os.path.join(os.path.dirname(os.path.normpath(os.path.abspath(program_dir))), name)


def available(directory: str, suffix: str) -> dict[str, str]:
    """name -> path of every NAME<suffix> in directory."""
    if not os.path.isdir(directory):
        return {}
    return {f[:-len(suffix)]: os.path.join(directory, f) for f in sorted(os.listdir(directory))
            if f.endswith(suffix) and f != "__init__.py"}


def to_sx(value):
    """A twin's Python value as an SX datum: tuples and lists become SX lists
    (recursively), str becomes an SX string; numbers and booleans stand for
    themselves."""
    from ..values import MString, py_to_list
    if isinstance(value, (tuple, list)):
        return py_to_list([to_sx(x) for x in value])
    if isinstance(value, str):
        return MString(value)
    return value


def guarded(who: str, thunk, what: str):
    """thunk(), an SX error or exit becoming a BenchFailure."""
    from ..report import format_error
    from ..errors import SchemeError, SxExit
    try:
        return thunk()
    except SchemeError as e:
        raise BenchFailure(f"{who}, {what}: {format_error(e).splitlines()[0]}") from None
    except SxExit as e:
        raise BenchFailure(f"{who}, {what}: exit {e.code}") from None


class InProcess:
    """A contestant timed in this process."""

    kind = "tier"
    name = label = ""

    def _guard(self, thunk, what: str):
        return guarded(f"{self.name} under {self.label}", thunk, what)

    def warm_up(self, n: int) -> None:
        for _ in range(n):
            self.sample()


# ---- an SX program in process ------------------------------------------------------------

class Instance(InProcess):
    """One program loaded into its own Runtime of one tier."""

    def __init__(self, name: str, path: str, tier: str, scale: str) -> None:
        from ..api import Runtime
        from ..runtime import system
        self.name, self.label = name, tier
        self.rt = Runtime(tier)
        # The driver sees `NAME.sx SCALE 0`: it checks that the input has an
        # expected result and runs nothing; we call (run input) ourselves.
        saved, system.ARGV[:] = list(system.ARGV), [path, scale, "0"]
        try:
            self._guard(lambda: self.rt.run_file(path), "loading")
        finally:
            system.ARGV[:] = saved
        for var in ("run", "size", "small-size", "expected"):
            if self.rt.lookup(var) is None:
                raise BenchFailure(f"{name}: the program does not define `{var}`")
        self.run = self.rt.lookup("run")
        self.input = self.rt.lookup("size" if scale == "full" else "small-size")
        self.expected = self._guard(lambda: self.rt.call(self.rt.lookup("assoc"), self.input,
                                                         self.rt.lookup("expected")), "loading")
        if self.expected is False:
            raise BenchFailure(f"{name}: no expected result for its {scale} input")
        self.expected = self.expected.cdr

    def sample(self) -> float:
        """One checked call of (run input); returns its duration in seconds."""
        from ..printer import write_string
        from ..runtime.equality import equal
        t0 = time.perf_counter()
        result = self._guard(lambda: self.rt.call(self.run, self.input), "running")
        elapsed = time.perf_counter() - t0
        if not equal(result, self.expected):
            raise BenchFailure(f"{self.name} under {self.label} returned {write_string(result)}, "
                               f"expected {write_string(self.expected)}")
        return elapsed


# ---- a guest language's benchmark --------------------------------------------------------

class GuestProgram(NamedTuple):
    """A benchmark of a guest language (sx.guests), `<guest>:<benchmark>`
    in sx bench's program table."""
    guest: Guest
    benchmark: str


def guest_programs(guests=None) -> dict[str, GuestProgram]:
    """`<guest>:<benchmark>` -> its GuestProgram, for every benchmark of the
    guests given (default: every registered guest)."""
    from ..guests import all_guests
    return {f"{g.name}:{b}": GuestProgram(g, b)
            for g in (all_guests() if guests is None else guests) for b in g.benchmarks}


class GuestInstance(InProcess):
    """A guest's benchmark loaded by the guest into its own Runtime of one
    tier: each sample is one step of `inner` iterations (the guest's count
    for the scale), which must answer True (its result verified)."""

    def __init__(self, name: str, program: GuestProgram, tier: str, scale: str) -> None:
        from ..api import Runtime
        self.name, self.label = name, tier
        guest, benchmark = program
        full, small = guest.benchmarks[benchmark]
        self.inner = full if scale == "full" else small
        rt = Runtime(tier)
        self.step = self._guard(lambda: guest.load_benchmark(rt, benchmark), "loading")

    def sample(self) -> float:
        t0 = time.perf_counter()
        ok = self._guard(lambda: self.step(self.inner), "running")
        elapsed = time.perf_counter() - t0
        if ok is not True:
            raise BenchFailure(f"{self.name} under {self.label}: the benchmark did not verify")
        return elapsed


# ---- its Python twin ------------------------------------------------------------------------

class Twin(InProcess):
    """A program's Python twin, imported from its file."""

    kind = "python"

    def __init__(self, name: str, path: str, scale: str) -> None:
        self.name, self.label, self.path = name, PYTHON_LABEL, path
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
            raise BenchFailure(f"{name} under {self.label}, loading {path}: "
                               f"{type(e).__name__}: {e}") from None
        for var in ("SIZE", "SMALL_SIZE", "EXPECTED", "run"):
            if not hasattr(module, var):
                raise BenchFailure(f"{name}: the Python twin {path} does not define `{var}`")
        self.input = module.SIZE if scale == "full" else module.SMALL_SIZE
        try:
            self.expected = module.EXPECTED[self.input]
        except (KeyError, TypeError):
            raise BenchFailure(f"{name}: the Python twin has no EXPECTED entry for size "
                               f"{self.input!r}") from None
        self.run = module.run

    def check_against(self, inst: Instance) -> None:
        """The twin must do the SX program's work: same input, same answer."""
        from ..printer import write_string
        from ..runtime.equality import equal
        for what, mine, theirs in (("size", self.input, inst.input),
                                   ("expected result", self.expected, inst.expected)):
            if not equal(to_sx(mine), theirs):
                raise BenchFailure(f"{self.name}: the Python twin's {what} "
                                   f"{write_string(to_sx(mine))} is not the SX program's "
                                   f"{write_string(theirs)}")

    def sample(self) -> float:
        """One checked call of run(size); returns its duration in seconds."""
        t0 = time.perf_counter()
        try:
            result = self.run(self.input)
        except Exception as e:
            raise BenchFailure(f"{self.name} under {self.label}, running: "
                               f"{type(e).__name__}: {e}") from None
        elapsed = time.perf_counter() - t0
        if result != self.expected:
            raise BenchFailure(f"{self.name} under {self.label} returned {result!r}, "
                               f"expected {self.expected!r}")
        return elapsed
