"""Facts about Core IR that the evaluators need.

- lexical addresses: every LocalRef/LocalSet gets (depth, index) into the
  CEK's environment frames, laid out as [parent, slot1, slot2, ...] with one
  frame per Lambda, Let and Letrec;
- tail positions: Call.tail;
- captured variables: Var.captured (referenced from an inner lambda);
- Call.nodes: the operator followed by the operands, in evaluation order;
- Lambda.outer: for the lambda of a named let (the shape of a loop), the
  lambda it is in, which the tier manager promotes with the loop.
"""

from __future__ import annotations

from . import ir


def analyse(node: ir.Node) -> ir.Node:
    _walk(node, [], 0, False, None)
    return node


def _walk(n, frames: list, depth_lambda: int, tail: bool, owner) -> None:
    """frames: list of (vars list, lambda nesting level), innermost last;
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
        _walk(n.body, frames + [(vs, depth_lambda + 1)], depth_lambda + 1, True, n)
        return
    if cls is ir.Let:
        for x in n.inits:
            _walk(x, frames, depth_lambda, False, owner)
        _walk(n.body, frames + [(n.vars, depth_lambda)], depth_lambda, tail, owner)
        return
    if cls is ir.Letrec:
        for v in n.vars:
            v.checked = True  # readable before its init runs: compiled reads check
        inner = frames + [(n.vars, depth_lambda)]
        for x in n.inits:
            _walk(x, inner, depth_lambda, False, owner)
        _walk(n.body, inner, depth_lambda, tail, owner)
        return
    raise TypeError(f"analyse: unknown node {cls.__name__}")


def _address(n, frames: list, depth_lambda: int) -> None:
    var = n.var
    for up, (vs, level) in enumerate(reversed(frames)):
        for i, v in enumerate(vs):
            if v is var:
                n.depth = up
                n.index = i + 1
                if level != depth_lambda:
                    var.captured = True
                return
    raise AssertionError(f"analyse: {var.name} is not in scope")
