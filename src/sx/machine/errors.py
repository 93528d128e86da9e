"""The errors the machine itself raises (unbound variables, arity, ...),
shared by every tier so that they read the same everywhere."""

from __future__ import annotations

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


def too_deep() -> SchemeError:
    """The error for Python's recursion limit hit inside a primitive (only
    deeply nested *data*, printing or equal?, recurses in Python)."""
    return SchemeError(ErrorObject("recursion too deep in a primitive", []))


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
