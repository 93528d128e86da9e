"""Facts about Core IR that the evaluators need.

- lexical addresses: every LocalRef/LocalSet gets (depth, index) into the
  CEK's environment frames, laid out as [parent, slot1, slot2, ...] with one
  frame per Lambda, Let and Letrec;
- tail positions: Call.tail;
- captured variables: Var.captured (referenced from an inner lambda);
- Call.nodes: the operator followed by the operands, in evaluation order;
- Lambda.outer: for the lambda of a named let (the shape of a loop), the
  lambda it is in, which the tier manager promotes with the loop.

The walk recurses in Python, on the nesting of the code: code nested deeper
than the Python stack allows is a located SX syntax error, "nesting too
deep" (the expander's words for the same thing), where it is deepest.
"""

from __future__ import annotations

from . import ir
from .errors import SxSyntaxError


def analyse(node: ir.Node) -> ir.Node:
    try:
        _walk(node, None, 0, False, None)
    except RecursionError:
        raise SxSyntaxError("nesting too deep", (), deepest_location(node)) from None
    return node


def children(n) -> list:
    """The nodes directly inside n."""
    cls = n.__class__
    if cls is ir.LocalSet or cls is ir.GlobalSet:
        return [n.value]
    if cls is ir.If:
        return [n.test, n.then, n.else_]
    if cls is ir.Seq:
        return list(n.body)
    if cls is ir.Call:
        return [n.fn] + n.args
    if cls is ir.Lambda:
        return [n.body]
    if cls is ir.Let or cls is ir.Letrec:
        return n.inits + [n.body]
    return []


def deepest_location(node):
    """The location of the most deeply nested node that has one (iteratively:
    this is for code too deep for the recursive walk)."""
    best, best_depth = node.loc, 0
    stack = [(node, 0)]
    while stack:
        n, depth = stack.pop()
        if n.loc is not None and depth > best_depth:
            best, best_depth = n.loc, depth
        stack.extend((c, depth + 1) for c in children(n))
    return best


def _walk(n, frames, depth_lambda: int, tail: bool, owner) -> None:
    """frames: the frames around n, innermost first, as a chain of (vars
    list, lambda nesting level, the frames outside) ending in None (a chain,
    not a list: entering a frame costs the same at any depth);
    owner: the innermost lambda around n."""
    cls = n.__class__
    if cls is ir.Const or cls is ir.GlobalRef:
        return
    if cls is ir.LocalRef or cls is ir.LocalSet:
        if cls is ir.LocalSet:
            _walk(n.value, frames, depth_lambda, False, owner)
        _address(n, frames, depth_lambda)
        return
    if cls is ir.GlobalSet:
        _walk(n.value, frames, depth_lambda, False, owner)
        return
    if cls is ir.If:
        _walk(n.test, frames, depth_lambda, False, owner)
        _walk(n.then, frames, depth_lambda, tail, owner)
        _walk(n.else_, frames, depth_lambda, tail, owner)
        return
    if cls is ir.Seq:
        last = len(n.body) - 1
        for i, x in enumerate(n.body):
            _walk(x, frames, depth_lambda, tail and i == last, owner)
        return
    if cls is ir.Call:
        n.tail = tail
        n.nodes = [n.fn] + n.args
        fn = n.fn
        if (fn.__class__ is ir.Letrec and len(fn.vars) == 1 and fn.body.__class__ is ir.LocalRef
                and fn.inits[0].__class__ is ir.Lambda):
            fn.inits[0].outer = owner
        for x in n.nodes:
            _walk(x, frames, depth_lambda, False, owner)
        return
    if cls is ir.Lambda:
        vs = n.params + ([n.rest] if n.rest is not None else [])
        _walk(n.body, (vs, depth_lambda + 1, frames), depth_lambda + 1, True, n)
        return
    if cls is ir.Let:
        for x in n.inits:
            _walk(x, frames, depth_lambda, False, owner)
        _walk(n.body, (n.vars, depth_lambda, frames), depth_lambda, tail, owner)
        return
    if cls is ir.Letrec:
        for v in n.vars:
            v.checked = True  # readable before its init runs: compiled reads check
        inner = (n.vars, depth_lambda, frames)
        for x in n.inits:
            _walk(x, inner, depth_lambda, False, owner)
        _walk(n.body, inner, depth_lambda, tail, owner)
        return
    raise TypeError(f"analyse: unknown node {cls.__name__}")


def _address(n, frames, depth_lambda: int) -> None:
    var = n.var
    up = 0
    while frames is not None:
        vs, level, outer = frames
        for i, v in enumerate(vs):
            if v is var:
                n.depth = up
                n.index = i + 1
                if level != depth_lambda:
                    var.captured = True
                return
        frames = outer
        up += 1
    raise AssertionError(f"analyse: {var.name} is not in scope")
