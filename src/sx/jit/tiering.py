"""The tier manager: decides when a procedure runs compiled, and in which tier.

Every procedure starts interpreted. Each interpreted call of a closure
counts on its lambda (`Lambda.hits`); once the count passes the threshold
the lambda is compiled to a code object, cached on the lambda
(`Lambda.code`) and used by every later call, from any tier. A lambda is
compiled at most once per process; a closure is just (lambda, env), so all
closures of that lambda share the code.

Tiers (`SX_TIER`, `--tier`):
  cek   never compile (the reference interpreter alone);
  vm    compile everything to bytecode before it first runs (threshold 0,
        top-level forms included), never to Python;
  py    the same, then to Python (tier 2, jit/py/) before it first
        runs: the two forced modes are what the differential tests use;
  auto  compile lazily: to bytecode once a procedure has been called more
        than `SX_JIT_THRESHOLD` times (default 10), then to Python once its
        bytecode has been called `SX_PY_THRESHOLD` more times (default 200).
        Every iteration of a loop is a call, so a single long loop is
        promoted while it runs.

It plugs into the machine (`install`): closures the machine applies go
through `call`, which counts the call, compiles and promotes, and runs the
procedure in its tier (VM or generated Python); code objects are entered by
`enter_code`. The CEK alone (`--tier cek`) has no tier manager at all.

Exclusions (`SX_JIT_DENY`, `SX_JIT_ONLY`, `(jit-exclude! ...)`) keep chosen
procedures interpreted. They exist for bisecting and experiments: nothing
ever needs one for correctness.
"""

from __future__ import annotations

import fnmatch
import os
import weakref

from ..bytecode.code import Code
from ..bytecode.compiler import TooNested, compile_lambda, compile_toplevel
from ..machine.errors import arity_error
from ..vm.run import activation, enter as vm_enter
from .py import HostLimit, compile_unit
from .py.runtime import TAIL_DEPTH, call_py

JIT_TIERS = ("vm", "py", "auto")
DEFAULT_THRESHOLD = 10
DEFAULT_PY_THRESHOLD = 200
# A unit invalidated this often (its globals keep being redefined) stays in the VM.
MAX_INVALIDATIONS = 3
NEVER = float("inf")

# Process-wide, like the code caches on the lambdas: the lambdas called with
# the JIT on, weakly held so that code which is gone is forgotten and a
# long-running process that keeps evaluating new code does not grow. Plain
# weak references, pruned now and then, rather than a WeakSet: a WeakSet runs
# Python callbacks inside the garbage collector, where an exception raised by
# a signal handler (a time limit) is silently dropped.
SEEN: list = []
_PRUNE_AT = [1024]


def _remember(lam) -> None:
    SEEN.append(weakref.ref(lam))
    if len(SEEN) >= _PRUNE_AT[0]:
        SEEN[:] = [r for r in SEEN if r() is not None]
        _PRUNE_AT[0] = 2 * len(SEEN) + 1024


def lambda_label(lam) -> str:
    """`name@file:line:col`, how stats, exclusions and bisect name a procedure."""
    return _label(lam.name or "anonymous", lam.loc)


def _label(name: str, loc) -> str:
    if loc is None:
        return name
    return f"{name}@{os.path.basename(str(loc[0]))}:{loc[1]}:{loc[2]}"


def _patterns(text: str | None) -> list:
    return [p.strip() for p in (text or "").split(",") if p.strip()]


class TierManager:
    def __init__(self, tier: str, threshold: int | None = None, deny=None, only=None,
                 py_threshold: int | None = None) -> None:
        if tier not in JIT_TIERS:
            raise ValueError(f"unknown tier {tier!r}: expected one of {', '.join(JIT_TIERS)}")
        self.tier = tier
        self.forced = tier in ("vm", "py")
        if threshold is None:
            threshold = _env_threshold("SX_JIT_THRESHOLD", DEFAULT_THRESHOLD)
        self.threshold = 0 if self.forced else threshold
        if tier == "py":
            self.py_threshold = 0
        elif tier == "auto":
            self.py_threshold = (_env_threshold("SX_PY_THRESHOLD", DEFAULT_PY_THRESHOLD)
                                 if py_threshold is None else py_threshold)
        else:
            self.py_threshold = NEVER
        self.compiling: set = set()
        self.failures: dict = {}  # label -> why tier 2 declined it
        self.deny = _patterns(os.environ.get("SX_JIT_DENY")) if deny is None else list(deny)
        only = _patterns(os.environ.get("SX_JIT_ONLY")) if only is None else list(only)
        self.only = only or None
        self.decisions: dict = {}
        self.filtered = bool(self.deny) or self.only is not None
        self.used = None          # a set: record what ran compiled (bisect)

    # ---- the machine's hooks ---------------------------------------------------

    def install(self, m) -> None:
        """Plug into machine m: its closure calls and code objects come here."""
        m.tiers = self
        m.entries[Code] = enter_code

    def reset(self) -> None:
        """Nothing runs any more (Machine.reset): no compilation is under
        way, and no tail call of generated code is in progress (an
        abandoned one may not have counted itself out)."""
        self.compiling.clear()
        TAIL_DEPTH.n = 0

    def call(self, m, f, args, k):
        """Machine m applies closure f: the state that runs it compiled (in
        the VM, or its generated Python once it is hot), or None to have it
        interpreted."""
        lam = f.lam
        code = lam.code
        if code is None or self.filtered:
            code = self.lookup(lam)
            if code is None:
                return None
        code.calls += 1
        if m.trace is None:             # (tracing runs compiled code in the VM)
            pyl = lam.pyl
            if pyl is None and code.calls > self.py_threshold and code.pyok:
                pyl = self.promote(lam)
            if pyl is not None:
                n = len(args)
                if n < lam.nreq or n > lam.max_args:
                    arity_error(f, n)
                return call_py(m, pyl, f.env, args, k)
        return code, activation(code, f, args), k, None

    def lookup(self, lam):
        """Code to run `lam` with, or None to interpret it. Called for every
        call of a lambda without code (it counts the call), and for every call
        when exclusions are active."""
        code = lam.code
        if code is None:
            lam.hits += 1
            if lam.hits == 1:
                _remember(lam)
            if lam.hits <= self.threshold:
                return None
            if self.filtered and not self.allowed(lam):
                return None
            code = compiled_or_none(lam, self.forced)
            if code is None:
                return None
            lam.hits -= 1             # this call runs compiled: code.calls counts it
        elif self.filtered and not self.allowed(lam):
            lam.hits += 1
            return None
        if self.used is not None:
            self.used.add(lam)
        return code

    def toplevel(self, node):
        """The (code, environment) a top-level form runs as: compiled in the
        forced tiers; None to interpret it."""
        if not self.forced:
            return None
        label = _label("<toplevel>", node.loc)
        if self.filtered and not self._allow(label, (label,)):
            return None
        if self.used is not None:
            self.used.add(label)
        try:
            code = compile_toplevel(node, label, True)
        except TooNested:
            return None
        if self.py_threshold == 0:
            self._generate(code)
        return code, ([None] * code.nslots, None)

    # ---- tier 2 ----------------------------------------------------------------------

    def promote(self, lam):
        """Compile lam's code to Python; its list entry, or None if tier 2
        declined it (it then stays in the VM)."""
        code = lam.code
        if lam.unit is not None:
            return lam.pyl
        if code is None or not code.pyok or lam in self.compiling:
            return None
        if lam.invalidations > MAX_INVALIDATIONS or (self.filtered and not self.allowed(lam)):
            code.pyok = False
            return None
        if self.used is not None:
            self.used.add(lam)
        self.compiling.add(lam)
        try:
            if not self._generate(tier2_code(lam)):
                code.pyok = False
        except TooNested:
            code.pyok = False
        finally:
            self.compiling.discard(lam)
        if lam.unit is not None:
            outer = lam.outer
            while outer is not None:
                self._heat(outer)
                outer = outer.outer
        return lam.pyl

    def _heat(self, lam) -> None:
        """A loop in lam went to tier 2: lam's next call goes there too (with
        the loop compiled into it) rather than waiting for calls it may never
        get: a procedure that runs one long loop is called a few times."""
        if lam.unit is not None or (self.filtered and not self.allowed(lam)):
            return
        code = compiled_or_none(lam, self.forced)
        if code is not None:
            code.calls = max(code.calls, self.py_threshold)

    def _generate(self, code) -> bool:
        try:
            compile_unit(code, self._callee)
            return True
        except Exception as ex:  # noqa: BLE001 - a tier-2 bug must not lose the program
            if self.tier == "py" and not isinstance(ex, HostLimit):
                raise
            code.pyok = False
            self.failures[code.label] = f"{type(ex).__name__}: {ex}"
            return False

    def _callee(self, lam) -> None:
        """A known callee of code being generated: compile it first when it
        is hot (so the call is direct), or always in the forced tier."""
        if lam.unit is not None or (self.filtered and not self.allowed(lam)):
            return
        if self.py_threshold == 0:
            if lam.code is None:
                if lam.hits == 0:
                    _remember(lam)    # (lookup, which would have, never sees it)
                compiled_or_none(lam, True)
        elif lam.code is None or lam.code.calls * 2 < self.py_threshold:
            return
        self.promote(lam)

    # ---- exclusions ----------------------------------------------------------------

    def allowed(self, lam) -> bool:
        d = self.decisions.get(lam)
        if d is None:
            d = self._allow(lam, (lam.name or "anonymous", lambda_label(lam)))
        return d

    def _allow(self, key, names) -> bool:
        d = not any(_matches(n, p) for p in self.deny for n in names)
        if d and self.only is not None:
            d = any(_matches(n, p) for p in self.only for n in names)
        self.decisions[key] = d
        return d

    def exclude(self, patterns) -> None:
        self.deny.extend(patterns)
        self.decisions.clear()
        self.filtered = True
        # generated code calls generated code directly: start again without it
        for lam in filter(None, (r() for r in SEEN)):
            if lam.unit is not None:
                lam.unit.invalidate()

    # ---- statistics ----------------------------------------------------------------

    def stats(self) -> list[tuple]:
        """(label, calls, tier, compile ms) per procedure called so far."""
        rows = []
        for lam in filter(None, (r() for r in SEEN)):
            code = lam.code
            compiled = code is not None and (not self.filtered or self.allowed(lam))
            calls = lam.hits + (code.calls if code is not None else 0)
            ms = code.compile_time * 1000 if code is not None else 0.0
            tier = "cek"
            if compiled:
                tier = "vm"
                if lam.unit is not None:
                    tier = "py"
                    ms += lam.unit.compile_time * 1000
            rows.append((lambda_label(lam), calls, tier, ms))
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows

    def format_stats(self) -> str:
        rows = self.stats()
        total = sum(r[3] for r in rows)
        out = [f"jit: tier {self.tier}, threshold {self.threshold}, "
               f"{sum(1 for r in rows if r[2] != 'cek')} of {len(rows)} procedures compiled, "
               f"{total:.1f} ms compiling"]
        out.append(f"{'calls':>10}  {'tier':4}  {'compile':>9}  procedure")
        for label, calls, tier, ms in rows:
            out.append(f"{calls:>10}  {tier:4}  {ms:>7.2f}ms  {label}")
        return "\n".join(out) + "\n"


def enter_code(m, code, e, k):
    """Enter a code object (a top-level form, or a closure's activation made
    by `call`): its generated Python when it has some, else the VM."""
    if code.pyl is not None and m.trace is None:
        return call_py(m, code.pyl, e[1], [], k)
    return vm_enter(m, code, e, k)


def _matches(name: str, pattern: str) -> bool:
    return name == pattern or fnmatch.fnmatchcase(name, pattern)


def _env_threshold(var: str, default: int) -> int:
    text = os.environ.get(var)
    if not text:
        return default
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise ValueError(f"{var} must be a non-negative integer, got {text!r}")
    return n



def compile_for(lam, inline: bool = True):
    """The lambda's code, compiling it now if it has none. `inline`: with its
    named-let loops compiled into it. The VM of `auto` runs code without:
    there every iteration of a loop is a call, which counts towards tier 2,
    so a long loop is promoted while it runs."""
    if lam.code is None:
        lam.code = compile_lambda(lam, lambda_label(lam), inline)
    return lam.code


def compiled_or_none(lam, inline: bool = True):
    """compile_for, or None for code nested too deep to compile (it is
    interpreted from then on: its count of calls never reaches a threshold)."""
    try:
        return compile_for(lam, inline)
    except TooNested:
        lam.hits = -(1 << 62)
        return None


def tier2_code(lam):
    """The code tier 2 generates lam's Python from: its loops inlined."""
    code = compile_for(lam)
    if code.py is None:
        code.py = compile_lambda(lam, code.label, True)
    return code.py
