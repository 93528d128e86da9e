"""Backtraces: the calls pending in a continuation, read from its frames.

Every frame says which IR nodes it stands for (`Frame.pending`): its own
node for an interpreter frame, the safepoint's frame context for a VM frame.
So a backtrace reads the same in every tier.
"""

from __future__ import annotations

from .. import ir
from ..runtime.registry import primitive
from ..values import Continuation, MString, py_to_list
from ..errors import wrong_type


def backtrace(k, limit: int = 30) -> list:
    """Pending calls, innermost first, as 'file:line:col in NAME' strings."""
    out = []
    last = None
    while k is not None and len(out) < limit:
        for node in k.pending():
            proc = getattr(node, "proc", None)
            if node.loc is not None:
                if node.__class__ is not ir.Call:
                    proc = None
                line = f"{node.loc[0]}:{node.loc[1]}:{node.loc[2]}" + (f" in {proc}" if proc else "")
            elif proc:       # code made by eval has no location, but a name
                line = f"in {proc}"
            else:
                continue
            if line != last:
                out.append(line)
                last = line
        k = k.next
    return out[:limit]


@primitive("continuation-backtrace")
def continuation_backtrace(k):
    """SX: the calls pending in continuation k, innermost first, as the
    lines of an error's backtrace (`file:line:col in NAME`); the same in
    every tier, since compiled frames stand for the interpreter's."""
    if k.__class__ is not Continuation:
        wrong_type("continuation-backtrace", "a continuation", k)
    return py_to_list([MString(line) for line in backtrace(k.k)])
