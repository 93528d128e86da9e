"""The embedding API: a Runtime runs SX programs, files and expressions.

    rt = Runtime()                 tier from $SX_TIER, default auto
    rt.eval_string("(+ 1 2)")      -> 3
    rt.run_file("prog.sx")         -> value of the last form
    rt.eval("(perform 'read)")     -> Suspended(request=read); .resume(v) goes on
    rt.start(proc, arg, ...)       -> proc's value, or Suspended (a host drives it: the HTTP server)

`(perform request)` suspends the whole running computation and hands the
request to the host: `eval` returns a `Suspended`, whose `resume(value)`
continues the program (and returns its result, or the next `Suspended`) and
whose `throw(message, irritants)` raises an SX error at the perform instead.
Any number of computations may be suspended at once, and each may be resumed
more than once (it is a continuation). Where there is no host to answer
(`run_file`, `eval_string`, `call`, the command line), a perform raises an
SX error at the perform, which the program can catch.

The system environment (core forms, derived forms, primitives, and the
prelude written in SX) is built once per process; each Runtime gets its own
top-level environment holding copies of the system's variables, so a program
that redefines a standard name changes only its own view.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

from . import analysis, cek, tools  # noqa: F401  (tools registers the JIT's tool primitives)
from .errors import ErrorObject, SchemeError, wrong_type
from .expander.core import Expander, bind_core_identifiers, install_specials
from .expander.derived import install_derived
from .expander.libraries import environment_from_specs, install_libraries, r5rs_environment
from .expander.syntax import Environment
from .machine import Machine, Suspension, wind_steps, within_headroom
from .machine.machine import parameter_swaps
from .machine.errors import PY_RECURSION_LIMIT
from .printer import write_string
from .reader import read_all
from .runtime import PRIMITIVES
from .runtime.codecache import read_all_cached
from .runtime.textio import read_source
from .values import PARAMETERS, UNSPECIFIED, Cell, EOF_OBJECT, intern

# The tiers: the CEK alone, or with the tier manager of jit/ (loaded only then).
TIERS = ("cek", "vm", "py", "auto")

PRELUDE_DIR = os.path.join(os.path.dirname(__file__), "prelude")

_SYSTEM: Environment | None = None


@contextlib.contextmanager
def loading():
    """Around the loading of code that lives as long as the process (the
    prelude, a guest's implementation and libraries): no garbage collection
    meanwhile (a tenth of a SOM start went to collections that found
    nothing to free), then what was made is set aside from later
    collections (gc.freeze), whose full passes would otherwise walk it all."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was:
            gc.enable()


def system_environment() -> Environment:
    """The environment every other one copies from (built on first use)."""
    global _SYSTEM
    if _SYSTEM is None:
        # one Python recursion limit for every tier (machine/errors.py)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), PY_RECURSION_LIMIT))
        env = Environment("system")
        install_specials(env)
        install_derived(env)
        install_libraries(env)
        bind_core_identifiers(env)
        for name, prim in PRIMITIVES.items():
            env.table[intern(name)] = Cell(intern(name), prim)
        _SYSTEM = env
        rt = Runtime.__new__(Runtime)
        rt._init(env, "cek")
        rt.machine.trace = None   # loading the prelude is not the user's program
        with loading():
            for fname in sorted(os.listdir(PRELUDE_DIR)):
                if fname.endswith(".sx"):
                    rt.run_file(os.path.join(PRELUDE_DIR, fname))
    return _SYSTEM


DEFAULT_TIER = "auto"


def check_tier(name: str) -> str:
    if name not in TIERS:
        raise ValueError(f"unknown tier {name!r}: expected one of {', '.join(TIERS)}")
    return name


class Suspended:
    """A computation stopped at `(perform request)`, waiting for the host."""

    def __init__(self, runtime, susp: Suspension, rest) -> None:
        self.runtime = runtime
        self.request = susp.request
        self._susp = susp
        self._rest = rest           # what to do with the value: finish the program

    def resume(self, value=UNSPECIFIED):
        return self._finish(lambda: self.runtime.machine.continue_with(self._susp, value))

    def throw(self, message: str, irritants=()):
        err = SchemeError(ErrorObject(message, list(irritants)))
        return self._finish(lambda: self.runtime.machine.continue_with(self._susp, None, err))

    def _finish(self, step):
        try:
            value = step()
        except Suspension as s:
            return Suspended(self.runtime, s, self._rest)
        return self._rest(value)

    def abandon(self, run) -> None:
        """Give up the computation without resuming it (a host's time limit
        ran out while it waited): it leaves the dynamic-wind extents it was
        suspended in as an escape to the top level would, each after thunk
        called by `run(call)` (the host's guard, which must not raise), in
        the dynamic state outside it. The computation itself never runs
        again, unless the host resumes this Suspended after all. Its
        parameterize bindings, swapped out while it waited, are swapped back
        in first, as on resuming: the after thunks of its parameterizes
        swap them out for good."""
        winders = self._susp.k.winders
        for swap in reversed(parameter_swaps(winders)):
            swap()
        for after, outside in wind_steps(winders, None):
            self.runtime.machine.reset()
            self.runtime.machine.winders = outside
            run(lambda after=after: self.runtime.call(after))
        self.runtime.machine.reset()

    def __repr__(self) -> str:
        return f"<Suspended {write_string(self.request)}>"


def _itself(value):
    return value


def _no_host(result):
    """Where no host answers requests, a perform is an error at the perform."""
    while isinstance(result, Suspended):
        result = result.throw(f"perform: no host to handle the request {write_string(result.request)}")
    return result


def user_environment(name: str = "user") -> Environment:
    env = Environment(name)
    for sym, b in system_environment().table.items():
        env.table[sym] = Cell(sym, b.value) if b.__class__ is Cell else b
    return env


class Runtime:
    def __init__(self, tier: str | None = None, threshold: int | None = None,
                 tiers=None, py_threshold: int | None = None) -> None:
        """`tier`: cek, vm, py or auto (default $SX_TIER, else auto);
        `threshold`: calls before a procedure is compiled to bytecode in auto
        (default $SX_JIT_THRESHOLD), `py_threshold`: calls of its bytecode
        before it is compiled to Python (default $SX_PY_THRESHOLD); `tiers`:
        a ready tier manager (jit.tiering.TierManager) instead."""
        tier = check_tier(tiers.tier if tiers is not None else
                          tier or os.environ.get("SX_TIER") or DEFAULT_TIER)
        if tiers is None and tier != "cek":
            from .jit.tiering import TierManager
            tiers = TierManager(tier, threshold, py_threshold=py_threshold)
        self._init(user_environment(), tier, tiers)

    def _init(self, env: Environment, tier: str, tiers=None) -> None:
        """The machine: the CEK always, the tier manager's tiers if any."""
        self.env = env
        self.tier = tier
        self.machine = Machine(self)
        cek.install(self.machine)
        if tiers is not None:
            tiers.install(self.machine)

    # ---- pipeline pieces (also used by eval and load inside the machine) ----

    def expander(self, srcmap=None, filename=None) -> Expander:
        return Expander(srcmap, filename, self._evaluate_in)

    def _evaluate_in(self, node, env):
        # Expansion-time evaluation is nested inside the expander: it counts
        # as a nested run, so a perform there is an error, not a suspension.
        self.machine.runs += 1
        try:
            return self.machine.run(self.analyse(node))
        finally:
            self.machine.runs -= 1

    @staticmethod
    def analyse(node):
        return analysis.analyse(node)

    def compile(self, datum, env=None):
        """Expand and analyse one top-level datum (for eval)."""
        if not isinstance(env, Environment):
            wrong_type("eval", "an environment", env)
        return self.analyse(self.expander().toplevel(datum, env or self.env, None))

    @staticmethod
    def environment(specs: list) -> Environment:
        """`(environment spec ...)`: an environment importing those libraries."""
        return environment_from_specs(specs)

    @staticmethod
    def r5rs_environment(syntax_only: bool) -> Environment:
        """`(scheme-report-environment 5)`, or `(null-environment 5)`."""
        return r5rs_environment(syntax_only)

    def stats_text(self) -> str:
        """The JIT statistics table (`sx run --stats`)."""
        return tools.stats_text(self.machine)

    # ---- running -----------------------------------------------------------------

    def run_forms(self, forms, srcmap, filename, env=None):
        """Expand and evaluate forms one by one (a definition or macro made by
        one form is visible to the next). Returns the last value, or a
        `Suspended` if a form performed a request."""
        return self._forms(forms, 0, self.expander(srcmap, filename), env or self.env, UNSPECIFIED)

    def _forms(self, forms, i, ex, env, value):
        while i < len(forms):
            datum, loc = forms[i]
            i += 1
            node = self.analyse(ex.toplevel(datum, env, loc))
            try:
                value = self.machine.run(node)
            except Suspension as s:
                return Suspended(self, s, lambda v, i=i: self._forms(forms, i, ex, env, v))
        return value

    def eval(self, text: str, filename: str = "<eval>"):
        """Evaluate the forms of `text`: the last value, or `Suspended`."""
        forms, srcmap = read_all(text, filename)
        return self.run_forms(forms, srcmap, filename)

    def eval_string(self, text: str, filename: str = "<eval>"):
        return _no_host(self.eval(text, filename))

    def run_file(self, path: str, who: str = "run", env=None):
        # Any failure to read it (missing, a directory, not UTF-8) is an SX
        # file error naming the path, as load's and include's are, and
        # `who` (the command reading it). env: where its definitions go (by
        # default the runtime's).
        text = read_source(path, who)
        forms, srcmap = read_all_cached(text, path)
        return _no_host(self.run_forms(forms, srcmap, path, env))

    # ---- after an abandoned computation ----------------------------------------------

    def leave_abandoned(self, exc: BaseException, run) -> None:
        """Leave the dynamic extent that the exception `exc` abandoned (an
        error no handler took, an interruption), as an escape to the top
        level would: call the after thunk of each dynamic-wind it was in,
        innermost first, in the dynamic state outside that dynamic-wind.
        So a `parameterize` gives its parameters back their values. Each
        call is made by `run(call)`, the host's guard around it (a time
        limit, the report of its own failure), which must not raise. Then
        the machine is back at the top level (recover)."""
        # (taken off the exception: Python reuses some exception objects)
        winders = exc.__dict__.pop("sx_winders", None)
        for after, outside in wind_steps(winders, None):
            self.machine.reset()
            self.machine.winders = outside
            run(lambda after=after: self.call(after))
        self.recover()

    def recover(self) -> None:
        """Back at the top level after a computation was abandoned by an
        exception that may have struck anywhere (Machine.reset), with every
        parameter (the current ports among them) holding its top-level
        value again: a parameterize interrupted between swapping values
        and entering its extent, or between leaving it and swapping back,
        has no after thunk left to run."""
        self.machine.reset()
        for p in list(PARAMETERS):
            p.value = p.base

    def eval_datum(self, datum):
        return self._without_host(lambda: self.machine.run(self.compile(datum, self.env)))

    def _without_host(self, run):
        try:
            return run()
        except Suspension as s:
            return _no_host(Suspended(self, s, lambda v: v))

    def call(self, proc, *args):
        """Call an SX procedure from Python (a perform inside is an error)."""
        return self._without_host(lambda: self.machine.apply_procedure(proc, list(args)))

    def start(self, proc, *args):
        """Call an SX procedure as a computation that a host drives: its
        value, or a `Suspended` at its first perform (resume it with the
        answer). Several may be suspended at once and resumed in any order;
        only one runs at a time (the machine is not re-entrant)."""
        try:
            return self.machine.apply_procedure(proc, list(args))
        except Suspension as s:
            return Suspended(self, s, _itself)

    def start_file(self, path: str, who: str = "load"):
        """Load a file as a computation that a host drives: the value of its
        last form, or a `Suspended` at a perform in one of its forms (the
        later forms run once it is resumed)."""
        text = read_source(path, who)
        forms, srcmap = read_all_cached(text, path)
        return self.run_forms(forms, srcmap, path)

    def lookup(self, name: str):
        b = self.env.table.get(intern(name))
        return b.value if b.__class__ is Cell else None


__all__ = ["Runtime", "Suspended", "SchemeError", "EOF_OBJECT", "system_environment", "TIERS",
           "check_tier", "within_headroom"]
