"""The table of primitives every SX environment starts from.

Runtime modules register Python functions with `@primitive("name")`; the
arity is read from the Python signature (defaults make optional arguments,
`*args` makes the procedure variadic), so the evaluator can report arity
errors before calling.
"""

from __future__ import annotations

from ..values import Primitive

PRIMITIVES: dict[str, Primitive] = {}

_VARARGS = 0x04     # inspect.CO_VARARGS


def arity_of(fn) -> tuple[int, int | None]:
    """(least, most) arguments of a Python function; most None if variadic.
    (Read off its code object: inspect.signature over every primitive cost
    10 ms of each start.)"""
    code = fn.__code__
    most = code.co_argcount
    least = most - len(fn.__defaults__ or ())
    return least, (None if code.co_flags & _VARARGS else most)


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
