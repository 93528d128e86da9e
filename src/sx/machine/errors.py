"""The errors the machine itself raises (unbound variables, arity, ...),
shared by every tier so that they read the same everywhere."""

from __future__ import annotations

import os

from ..errors import ErrorObject, SchemeError
from ..values import MAX_ARGS, Closure, Primitive, Procedure


def unbound_error(cell):
    raise SchemeError(ErrorObject(f"unbound variable: {cell.name.name}", [], "unbound"))


def unbound_set_error(cell):
    raise SchemeError(ErrorObject(f"set!: unbound variable {cell.name.name}", [], "unbound"))


def unassigned_error(var):
    raise SchemeError(ErrorObject(f"variable {var.name.name} used before its definition", [],
                                  "unbound"))


def arity_error(f, n: int):
    """f was called with n arguments, which it does not take."""
    raise SchemeError(ErrorObject(f"{proc_name(f)}: {_arity_text(f)}, got {n}", [], "arity"))


def _max_depth() -> int:
    text = os.environ.get("SX_MAX_DEPTH", "")
    try:
        n = int(text) if text else DEFAULT_MAX_DEPTH
    except ValueError:
        n = -1
    if n < 1:
        raise SystemExit(f"sx: SX_MAX_DEPTH must be a positive integer, got {text!r}")
    return n


# The one recursion limit of every tier: a procedure is called with a
# continuation of at most MAX_DEPTH frames (Frame.depth), else "recursion
# too deep". The default lets a recursion a million calls deep run (with up
# to 4 pending frames a call) and stops a runaway one at about 1.2 GB.
DEFAULT_MAX_DEPTH = 4_000_000
MAX_DEPTH = _max_depth()

# Python's recursion limit, set once for every tier (api.py): tier 2 runs
# SX calls on the Python stack (a frame or two a call), and the reader,
# printer and expander recurse on nesting. Pure Python calls do not use the
# C stack, so this bounds memory, not the C stack.
PY_RECURSION_LIMIT = min(2 * MAX_DEPTH + 100_000, 2**31 - 1)


HEADROOM = 1000


class Depth:
    """The limit in force: MAX_DEPTH, or HEADROOM frames past it once the
    error for passing it was raised, so that the handlers of that error can
    run where it was raised (as Python allows a little more after a
    RecursionError). It is MAX_DEPTH again once control is back within it:
    a jump to a continuation within it, or the next top-level run."""

    limit = MAX_DEPTH


def check_depth(depth: int) -> None:
    """A closure is about to be called with a continuation of `depth`
    frames, past MAX_DEPTH (the callers test that first, inline)."""
    if depth > Depth.limit:
        Depth.limit = MAX_DEPTH + HEADROOM
        raise too_deep()


def within_depth(depth: int) -> None:
    """Control is back at a continuation of `depth` frames."""
    if depth <= MAX_DEPTH:
        Depth.limit = MAX_DEPTH


def too_deep() -> SchemeError:
    """The error of a recursion past the limit: a call whose continuation
    has more than MAX_DEPTH frames, or (the host's own limit) Python's
    recursion limit reached first."""
    return SchemeError(ErrorObject(f"recursion too deep (more than {MAX_DEPTH} frames pending;"
                                   f" SX_MAX_DEPTH sets the limit)", [], "depth"))


def check_procedure(who: str, p) -> None:
    if not isinstance(p, Procedure):
        raise SchemeError(ErrorObject(f"{who}: expected a procedure, got", [p], "type"))


def proc_name(f) -> str:
    name = getattr(f, "name", None)
    return name if name else "anonymous procedure"


def _arity_text(f) -> str:
    if f.__class__ is Closure:
        lo, hi = f.lam.nreq, f.lam.max_args
    elif f.__class__ is Primitive:
        lo, hi = f.min_args, f.max_args
    else:
        return "wrong number of arguments"
    if hi == lo:
        return f"expected {lo} argument{'s' if lo != 1 else ''}"
    if hi == MAX_ARGS:
        return f"expected at least {lo} argument{'s' if lo != 1 else ''}"
    return f"expected {lo} to {hi} arguments"


def out_of_memory() -> SchemeError:
    """The error of an allocation the host refused (Python's MemoryError:
    raised before anything is exhausted when one request is too big, so
    the program can go on, and handle it)."""
    return SchemeError(ErrorObject("out of memory", [], "memory"))
