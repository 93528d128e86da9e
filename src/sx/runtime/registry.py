"""The table of primitives every SX environment starts from.

Runtime modules register Python functions with `@primitive("name")`; the
arity is read from the Python signature (defaults make optional arguments,
`*args` makes the procedure variadic), so the evaluator can report arity
errors before calling.
"""

from __future__ import annotations

import inspect

from ..values import Primitive

PRIMITIVES: dict[str, Primitive] = {}


def arity_of(fn) -> tuple[int, int | None]:
    lo = hi = 0
    for p in inspect.signature(fn).parameters.values():
        if p.kind == p.VAR_POSITIONAL:
            return lo, None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            hi += 1
            if p.default is p.empty:
                lo += 1
    return lo, hi


def primitive(*names: str):
    """Register `fn` under each of `names` (aliases share one Primitive)."""

    def deco(fn):
        lo, hi = arity_of(fn)
        prim = Primitive(names[0], fn, lo, hi)
        for n in names:
            PRIMITIVES[n] = prim
        return fn

    return deco


def control(name: str, lo: int, hi: int | None, *aliases: str):
    """Register a control primitive, implemented by the machine because it
    needs the continuation (apply, call/cc, values, dynamic-wind, ...): the
    decorated `handler(machine, args, k)` gives the machine's next state."""

    def deco(handler):
        prim = Primitive(name, None, lo, hi, control=handler)
        for n in (name,) + aliases:
            PRIMITIVES[n] = prim
        return handler

    return deco
