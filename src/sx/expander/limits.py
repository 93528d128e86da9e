"""Source nested deeper than the Python stack allows.

The expander recurses on the nesting of the code, in Python. When the
stack runs out (a RecursionError, at whatever recursion limit the process
runs with), the top-level form is given up with a located SX syntax error
instead: "nesting too deep", at the deepest located part of the form, which
is where the expander was when the stack ran out. Finding that place costs
nothing until it is needed.
"""

from __future__ import annotations

from ..errors import SxSyntaxError
from ..values import Pair

TOO_DEEP = "nesting too deep"


def too_deep(roots: list, srcmap, loc) -> SxSyntaxError:
    """The error for forms `roots` (acyclic) that were too deep to expand;
    `loc` when no part of them has a location."""
    return SxSyntaxError(TOO_DEEP, (), deepest_location(roots, srcmap) or loc)


def deepest_location(roots: list, srcmap):
    """The location of the most deeply nested located pair (iteratively,
    and once per pair even where structure is shared)."""
    best, best_depth = None, -1
    seen: set = set()
    stack = [(r, 0) for r in roots]
    while stack:
        x, depth = stack.pop()
        if x.__class__ is Pair:
            if id(x) in seen:
                continue
            seen.add(id(x))
            where = srcmap.get(id(x))
            if where is not None and depth > best_depth:
                best, best_depth = where, depth
            stack.append((x.cdr, depth))
            stack.append((x.car, depth + 1))
        elif x.__class__ is list:
            if id(x) in seen:
                continue
            seen.add(id(x))
            stack.extend((e, depth + 1) for e in x)
    return best
