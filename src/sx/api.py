"""The embedding API: a Runtime runs SX programs, files and expressions.

    rt = Runtime()
    rt.eval_string("(+ 1 2)")      -> 3
    rt.run_file("prog.sx")         -> value of the last form

The system environment (core forms, derived forms, primitives, and the
prelude written in SX) is built once per process; each Runtime gets its own
top-level environment holding copies of the system's variables, so a program
that redefines a standard name changes only its own view.
"""

from __future__ import annotations

import os
import sys

from . import analysis
from .cek import CEK
from .errors import SchemeError
from .expander.core import Expander, bind_core_identifiers, install_specials
from .expander.derived import install_derived
from .expander.libraries import install_libraries
from .expander.syntax import Environment
from .reader import read_all
from .runtime import PRIMITIVES
from .values import UNSPECIFIED, Cell, EOF_OBJECT, intern

TIERS = ("cek",)
PRELUDE_DIR = os.path.join(os.path.dirname(__file__), "prelude")

_SYSTEM: Environment | None = None


def system_environment() -> Environment:
    """The environment every other one copies from (built on first use)."""
    global _SYSTEM
    if _SYSTEM is None:
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))
        env = Environment("system")
        install_specials(env)
        install_derived(env)
        install_libraries(env)
        bind_core_identifiers(env)
        for name, prim in PRIMITIVES.items():
            env.table[intern(name)] = Cell(intern(name), prim)
        _SYSTEM = env
        rt = Runtime.__new__(Runtime)
        rt._init(env)
        for fname in sorted(os.listdir(PRELUDE_DIR)):
            if fname.endswith(".sx"):
                rt.run_file(os.path.join(PRELUDE_DIR, fname))
    return _SYSTEM


def check_tier(name: str) -> str:
    if name not in TIERS:
        raise ValueError(f"unknown tier {name!r}: expected one of {', '.join(TIERS)}")
    return name


def user_environment(name: str = "user") -> Environment:
    env = Environment(name)
    for sym, b in system_environment().table.items():
        env.table[sym] = Cell(sym, b.value) if b.__class__ is Cell else b
    return env


class Runtime:
    def __init__(self, tier: str | None = None) -> None:
        self.tier = check_tier(tier or os.environ.get("SX_TIER", "cek"))
        self._init(user_environment())

    def _init(self, env: Environment) -> None:
        self.env = env
        self.machine = CEK(self)
        self.tier = getattr(self, "tier", "cek")

    # ---- pipeline pieces (also used by eval and load inside the machine) ----

    def expander(self, srcmap=None, filename=None) -> Expander:
        return Expander(srcmap, filename, self._evaluate_in)

    def _evaluate_in(self, node, env):
        return self.machine.run(self.analyse(node))

    @staticmethod
    def analyse(node):
        return analysis.analyse(node)

    def compile(self, datum, env=None):
        """Expand and analyse one top-level datum (for eval)."""
        if not isinstance(env, Environment):
            from .errors import wrong_type
            wrong_type("eval", "an environment", env)
        return self.analyse(self.expander().toplevel(datum, env or self.env, None))

    # ---- running -----------------------------------------------------------------

    def run_forms(self, forms, srcmap, filename, env=None):
        """Expand and evaluate forms one by one (a definition or macro made by
        one form is visible to the next). Returns the last value."""
        env = env or self.env
        ex = self.expander(srcmap, filename)
        value = UNSPECIFIED
        for datum, loc in forms:
            node = ex.toplevel(datum, env, loc)
            value = self.machine.run(self.analyse(node))
        return value

    def eval_string(self, text: str, filename: str = "<eval>"):
        forms, srcmap = read_all(text, filename)
        return self.run_forms(forms, srcmap, filename)

    def run_file(self, path: str):
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        forms, srcmap = read_all(text, path)
        return self.run_forms(forms, srcmap, path)

    def eval_datum(self, datum):
        return self.machine.run(self.compile(datum, self.env))

    def call(self, proc, *args):
        """Call an SX procedure from Python."""
        return self.machine.apply_procedure(proc, list(args))

    def lookup(self, name: str):
        b = self.env.table.get(intern(name))
        return b.value if b.__class__ is Cell else None


__all__ = ["Runtime", "SchemeError", "EOF_OBJECT", "system_environment", "TIERS", "check_tier"]
