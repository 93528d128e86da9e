"""Tier 0: the CEK machine, the reference semantics of SX.

It interprets Core IR (ir.py) and nothing else. Its state is C (the IR node
being evaluated, or None when a value is being returned), E (the
environment: a list [parent, value1, ...], one per Lambda, Let and Letrec,
addressed by analysis.py), K (the continuation: an immutable chain of heap
frames) and V (the value being returned). Everything else, the dynamic
state, procedure application, raise, continuations, belongs to the machine
(machine/) that every tier shares.

`run` evaluates from a state while C is an IR node or K one of the frames
below, and hands back any other state: code of another tier, another
tier's frame, the bottom of the chain. Nothing recurses in Python per SX
call, so tail calls run in constant space and non-tail recursion is bounded
only by memory.

The frames mirror the evaluation order exactly: an If frame around the
test, a Seq frame around every expression but the last, an operand frame
from the first operand that is not a variable or a constant on (leading
atomic operands are read without a frame), a Let/Letrec frame around the
initialisers, a Set frame around the value. The compiled tiers record which
of these would be pending at each instruction, so errors and backtraces
read the same in every tier.
"""

from __future__ import annotations

from . import ir
from .errors import SchemeError
from .machine import Frame, frame_at
from .machine.errors import (out_of_memory, too_deep, unassigned_error, unbound_error,
                             unbound_set_error)
from .values import UNASSIGNED, UNBOUND, UNSPECIFIED, Closure, name_procedure


# ---- frames ----------------------------------------------------------------------
# `run` handles these itself; `resume` serves when a value reaches one from
# another tier (a VM activation returning into an interpreted call).

class _Looped(Frame):
    """A frame `run` handles in its loop: resumed by running from it."""
    __slots__ = ()

    def resume(self, m, v):
        return run(m, None, None, self, v)


class IfK(_Looped):
    __slots__ = ("node", "env")


class SeqK(_Looped):
    __slots__ = ("node", "i", "env")


class ArgK(_Looped):
    """Evaluating the operator/operands of `node`; `vals` holds the ones done."""
    __slots__ = ("node", "i", "vals", "env")


class LetK(Frame):
    __slots__ = ("node", "i", "vals", "env")

    def resume(self, m, v):
        node = self.node
        vals = self.vals + [v]
        i = self.i + 1
        if i < len(node.inits):
            return node.inits[i], self.env, _let_frame(self.next, node, i, vals, self.env), None
        return node.body, vals, self.next, None


class LetrecK(Frame):
    __slots__ = ("node", "i", "env")

    def resume(self, m, v):
        node = self.node
        e = self.env
        e[self.i + 1] = v
        i = self.i + 1
        if i < len(node.inits):
            return node.inits[i], e, _letrec_frame(self.next, node, i, e), None
        return node.body, e, self.next, None


class SetK(Frame):
    __slots__ = ("node", "env")

    def resume(self, m, v):
        node = self.node
        if node.__class__ is ir.LocalSet:
            frame_at(self.env, node.depth)[node.index] = v
        else:
            cell = node.cell
            if not node.define and cell.value is UNBOUND:
                m.cur = node
                unbound_set_error(cell)
            cell.assign(v)
            if node.define:
                name_procedure(v, cell.name)
        return None, None, self.next, UNSPECIFIED


def _let_frame(nxt, node, i, vals, env):
    f = LetK.__new__(LetK)
    f.next = nxt
    f.depth = nxt.depth + 1
    f.node = node
    f.i = i
    f.vals = vals
    f.env = env
    return f


def _letrec_frame(nxt, node, i, env):
    f = LetrecK.__new__(LetrecK)
    f.next = nxt
    f.depth = nxt.depth + 1
    f.node = node
    f.i = i
    f.env = env
    return f


# ---- the interpreter -------------------------------------------------------------

NODES = (ir.Const, ir.LocalRef, ir.GlobalRef, ir.LocalSet, ir.GlobalSet, ir.If, ir.Lambda,
         ir.Seq, ir.Call, ir.Let, ir.Letrec)
_STEPPED = frozenset((LetK, LetrecK, SetK))   # frames run resumes one step at a time


def install(m) -> None:
    """Make m hand IR nodes to this interpreter."""
    for cls in NODES:
        m.entries[cls] = run


def run(m, c, e, k, v=None):
    """Evaluate from the state (c, e, k, v) until it leaves the interpreter:
    returns that state. An error raised on the way is located at the
    continuation it was raised in (`err.at`) for the machine to signal."""
    LocalRef, Const, GlobalRef, Call, If = ir.LocalRef, ir.Const, ir.GlobalRef, ir.Call, ir.If
    apply = m.apply
    try:
        while True:
            if c is not None:
                cls = c.__class__
                if cls is Call:
                    nodes = c.nodes
                    vals = []
                    i = _atoms(m, nodes, 0, vals, e)
                    if i < len(nodes):
                        f = ArgK.__new__(ArgK)
                        f.next = k
                        f.depth = k.depth + 1
                        f.node = c
                        f.i = i
                        f.vals = vals
                        f.env = e
                        k = f
                        c = nodes[i]
                        continue
                    m.cur = c
                    c, e, k, v = apply(vals[0], vals[1:], k)
                elif cls is LocalRef:
                    v = frame_at(e, c.depth)[c.index]
                    if v is UNASSIGNED:
                        _unassigned(m, c)
                    c = None
                elif cls is Const:
                    v = c.value
                    c = None
                elif cls is GlobalRef:
                    v = c.cell.value
                    if v is UNBOUND:
                        _unbound(m, c)
                    c = None
                elif cls is If:
                    f = IfK.__new__(IfK)
                    f.next = k
                    f.depth = k.depth + 1
                    f.node = c
                    f.env = e
                    k = f
                    c = c.test
                elif cls is ir.Seq:
                    f = SeqK.__new__(SeqK)
                    f.next = k
                    f.depth = k.depth + 1
                    f.node = c
                    f.i = 1
                    f.env = e
                    k = f
                    c = c.body[0]
                elif cls is ir.Lambda:
                    v = Closure(c, e)
                    c = None
                elif cls is ir.Let:
                    if not c.inits:
                        e = [e]
                        c = c.body
                    else:
                        k = _let_frame(k, c, 0, [e], e)
                        c = c.inits[0]
                elif cls is ir.Letrec:
                    e = [e] + [UNASSIGNED] * len(c.vars)
                    k = _letrec_frame(k, c, 0, e)
                    c = c.inits[0]
                elif cls is ir.LocalSet or cls is ir.GlobalSet:
                    f = SetK.__new__(SetK)
                    f.next = k
                    f.depth = k.depth + 1
                    f.node = c
                    f.env = e
                    k = f
                    c = c.value
                else:
                    return c, e, k, v        # another tier's code
                continue

            # ---- return v to k ----
            kc = k.__class__
            if kc is ArgK:
                node = k.node
                nodes = node.nodes
                vals = k.vals + [v]
                e = k.env
                nxt = k.next
                i = _atoms(m, nodes, k.i + 1, vals, e)
                if i < len(nodes):
                    f = ArgK.__new__(ArgK)
                    f.next = nxt
                    f.depth = k.depth
                    f.node = node
                    f.i = i
                    f.vals = vals
                    f.env = e
                    k = f
                    c = nodes[i]
                    continue
                m.cur = node
                k = nxt
                c, e, k, v = apply(vals[0], vals[1:], k)
            elif kc is IfK:
                node = k.node
                c = node.then if v is not False else node.else_
                e = k.env
                k = k.next
            elif kc is SeqK:
                node = k.node
                i = k.i
                e = k.env
                c = node.body[i]
                if i + 1 < len(node.body):
                    f = SeqK.__new__(SeqK)
                    f.next = k.next
                    f.depth = k.depth
                    f.node = node
                    f.i = i + 1
                    f.env = e
                    k = f
                else:
                    k = k.next
            elif kc in _STEPPED:
                c, e, k, v = k.resume(m, v)
            else:
                return None, None, k, v      # another tier's frame, or the machine's
    except SchemeError as err:
        if err.at is None:
            err.at = k
        raise
    except (RecursionError, MemoryError) as ex:   # (a primitive on deep or huge data)
        err = too_deep() if ex.__class__ is RecursionError else out_of_memory()
        err.at = k
        raise err


def _atoms(m, nodes, i, vals, e) -> int:
    """Append the values of the atomic nodes (variables, constants) from
    nodes[i] on to vals, without pushing frames; return the index of the
    first node that needs a frame (len(nodes) when none does)."""
    n = len(nodes)
    LocalRef, GlobalRef, Const = ir.LocalRef, ir.GlobalRef, ir.Const
    while i < n:
        a = nodes[i]
        ac = a.__class__
        if ac is LocalRef:
            x = frame_at(e, a.depth)[a.index]
            if x is UNASSIGNED:
                _unassigned(m, a)
        elif ac is GlobalRef:
            x = a.cell.value
            if x is UNBOUND:
                _unbound(m, a)
        elif ac is Const:
            x = a.value
        else:
            return i
        vals.append(x)
        i += 1
    return n


def _unbound(m, node):
    m.cur = node
    unbound_error(node.cell)


def _unassigned(m, node):
    m.cur = node
    unassigned_error(node.var)
