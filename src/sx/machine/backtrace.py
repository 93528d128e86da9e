"""Backtraces: the calls pending in a continuation, read from its frames.

Every frame says which IR nodes it stands for (`Frame.pending`): its own
node for an interpreter frame, the safepoint's frame context for a VM frame.
So a backtrace reads the same in every tier.
"""

from __future__ import annotations

from .. import ir
from ..errors import wrong_type
from ..runtime.registry import PRIMITIVES, control
from ..values import Continuation, MString, py_to_list
from .unwind import Unwind


def backtrace(k, limit: int = 30, walk: int = 100_000) -> list:
    """Pending calls, innermost first, as 'file:line:col in NAME' strings.
    A line repeated in a row (a recursion, or an activation's several
    frames) is shown once; at most `limit` lines, from at most `walk`
    frames (a recursion stopped by the depth limit has millions): past
    those, one last line counts the frames not shown."""
    out = []
    while k is not None and len(out) < limit and walk > 0:
        for node in k.pending():
            line = _line(node)
            if line is not None and (not out or line != out[-1]):
                out.append(line)
        k = k.next
        walk -= 1
    if k is not None and k.depth > 0:
        out.append(f"... ({k.depth} more frames)")
    return out


def _line(node):
    proc = getattr(node, "proc", None)
    if node.loc is not None:
        if node.__class__ is not ir.Call:
            proc = None
        return f"{node.loc[0]}:{node.loc[1]}:{node.loc[2]}" + (f" in {proc}" if proc else "")
    if proc:       # code made by eval has no location, but a name
        return f"in {proc}"
    return None


@control("continuation-backtrace", 1, 1)
def continuation_backtrace(m, args, k):
    """SX: the calls pending in continuation c, innermost first, as the
    lines of an error's backtrace (`file:line:col in NAME`); the same in
    every tier, since compiled frames stand for the interpreter's. (A
    control primitive: an escape-only continuation of tier 2 has no
    frames yet, and the call is made again once the unwind has built
    them.)"""
    c = args[0]
    if c.__class__ is not Continuation:
        wrong_type("continuation-backtrace", "a continuation", c)
    if c.k is None:
        raise Unwind("call", (PRIMITIVES["continuation-backtrace"], [c]), [(k, m.nests[-1])],
                     site=m.cur)
    return None, None, k, py_to_list([MString(line) for line in backtrace(c.k)])
