"""Tier 2: code objects -> Python source -> Python functions.

The bytecode is structured (it comes from expressions), so it translates
back to structured Python: JUMP_IF_FALSE / JUMP become if/else, a self tail
call becomes `continue` in a `while True:` around the body, an inlined loop
its own `while True:`, RETURN becomes `return`. The operand stack becomes
Python locals: stack entry i lives in `s{i}`, slot j in `l{j}`, the
environment in `e`, so a generated frame can be turned back into the VM
frame it stands for from its locals alone (see runtime.collect). Cheap entries
(variables, constants, pure arithmetic on known integers) are not stored at
all until a safepoint needs them.

Every line that can call or raise has a *safepoint*: the pc after its
instruction and the operand-stack entries below its inputs (each a local's
name or a constant). Errors and captures read it from the traceback's line.

Speed comes from three things, measured on this machine (see the README):
- globals that hold procedures are constants of the generated code (the unit
  watches their cells; see runtime.py), so `(+ a b)` is inline Python and
  `(fib n)` a direct call of fib's Python function;
- copies of the body specialised for integer parameters, and for flonum
  parameters when the code mentions a flonum: parameters used in arithmetic
  are checked once on entry (`l0.__class__ is int`), and types flow forward
  from there, so `(- n 1)` is `l0 - 1` with no guard; the generic copy
  guards each operation (`x + y if both ints else add2(x, y)`); loops whose
  code mentions a flonum likewise get a copy for flonum variables;
- calls to procedures with generated code skip the interpreter entirely.

The passes, one module each:
  structure.py  the bytecode's if/else, loops and returns, as a tree (once)
  types.py      the forward type facts, the integer copy's parameters, the
                optimistic assumptions and their fixpoint
  translate.py  the walk over the tree, one instruction at a time
  locals.py     operand-stack entries as locals or deferred expressions:
                flushing, safepoint descriptors, binding slots
  source.py     the lines written, and the safepoint table
  emitters.py   the table of inlined primitives
  calls.py      calls, tail calls, self loops, the globals assumed constant
  unit.py       the unit at run time: load, install, invalidate
  runtime.py    what generated code runs on: calls, the trampoline, and
                catching what unwinds out of it (rebuilding VM frames)
"""

from __future__ import annotations

import time

from .emitters import INT_OPERANDS
from .structure import recover
from .translate import Translator
from .types import Assumptions, int_params
from .unit import HostLimit, Unit

__all__ = ["HostLimit", "Unit", "compile_unit"]


# Python's parser takes expressions nested 200 deep at most, and the
# translation keeps, at each call, the operand stack below it: code nested
# deeper than this, or with a deeper operand stack, stays in the VM.
MAX_NESTING = 150
MAX_STACK = 1000


def compile_unit(code, promote=None) -> Unit:
    """Generate, compile and install the Python code for `code`. `promote(lam)`
    may compile a known callee first, so the call can be direct."""
    nesting = max(map(len, code.ctx), default=0)
    if nesting > MAX_NESTING or max(code.depth, default=0) > MAX_STACK:
        raise HostLimit(f"nested {nesting} deep, more than tier 2 generates")
    t0 = time.perf_counter()
    unit = Unit(code)
    spec = int_params(code, INT_OPERANDS) if code.lam is not None and not code.materialized else ()
    tr = Translator(code, unit, promote, recover(code), spec)
    Assumptions().settle(tr.translate)
    unit.tail_free = not (tr.tail_calls or tr.direct_tails)
    unit.load(tr.finish(), tr.funcs)
    unit.compile_time = time.perf_counter() - t0
    unit.install(tr.direct)
    return unit
