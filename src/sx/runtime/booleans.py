"""Booleans (R7RS 6.3). Booleans are Python True and False; only #f is false."""

from __future__ import annotations

from ..errors import wrong_type
from .registry import primitive


@primitive("not")
def not_(x):
    return x is False


@primitive("boolean?")
def boolean_p(x):
    return x is True or x is False


@primitive("boolean=?")
def boolean_eq(a, b, *rest):
    # every argument is checked, even after a mismatch
    for x in (a, b, *rest):
        if x is not True and x is not False:
            wrong_type("boolean=?", "a boolean", x)
    return a is b and all(x is a for x in rest)
