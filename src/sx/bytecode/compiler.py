"""Core IR -> code objects.

One lambda is compiled at a time (inner lambdas are compiled on their own
when they get hot), so a code object only knows the variables of its own
binders; variables of enclosing procedures are reached through the closure's
environment frames by their lexical address, exactly as the interpreter
reaches them. See code.py for where variables live and why.

Each instruction records the interpreter frames that would be pending while
it runs (`ctx`), mirroring what the CEK pushes: an If frame around the test,
a Seq frame around every expression but the last, a Let/Letrec frame around
the initialisers, a Set frame around the value, and an operand frame from
the first operand that is not a variable or a constant on (the CEK evaluates
leading atomic operands without a frame). Errors and backtraces therefore
read the same in every tier.
"""

from __future__ import annotations

import time

from .. import ir
from ..values import UNSPECIFIED, Primitive
from . import code as op
from .code import Code

_ATOMS = (ir.LocalRef, ir.GlobalRef, ir.Const)


class _Binder:
    """A binder of the code being compiled: its variables, and either their
    slots (not materialized) or their frame (materialized)."""

    __slots__ = ("vars", "materialized", "slots", "letrec")

    def __init__(self, vars_: list, materialized: bool, letrec: bool = False) -> None:
        self.vars = vars_
        self.materialized = materialized
        self.slots: dict = {}
        self.letrec = letrec


def compile_lambda(lam: ir.Lambda, label: str | None = None) -> Code:
    t0 = time.perf_counter()
    code = Code(lam.name, lam)
    c = _Compiler(code)
    params = lam.params + ([lam.rest] if lam.rest is not None else [])
    b = c.binder(params, _has_lambda(lam.body))
    code.materialized = b.materialized
    if not b.materialized:
        for v in params:
            if v.assigned:
                c.emit(op.BOX_PARAM, b.slots[v], lam, ())
    c.scope.append(b)
    c.expr(lam.body, (), True)
    return c.finish(label, t0)


def compile_toplevel(node: ir.Node, label: str = "<toplevel>") -> Code:
    """A top-level form as a code object of no parameters (runs with env None)."""
    t0 = time.perf_counter()
    code = Code(None, None)
    c = _Compiler(code)
    c.expr(node, (), True)
    return c.finish(label, t0)


class _Compiler:
    def __init__(self, code: Code) -> None:
        self.code = code
        self.scope: list[_Binder] = []
        self.sp = 0            # operand-stack depth at the current instruction

    # ---- emission --------------------------------------------------------------

    def emit(self, opcode: int, arg, node, ctx: tuple) -> int:
        code = self.code
        code.ops.append(opcode)
        code.args.append(arg)
        code.nodes.append(node)
        code.ctx.append(ctx)
        code.depth.append(self.sp)
        if opcode in op.SLOT_WRITES:
            code.last_write = len(code.ops) - 1
        self.sp += _effect(opcode, arg)
        return len(code.ops) - 1

    def patch(self, at: int) -> None:
        self.code.args[at] = len(self.code.ops)

    def finish(self, label, t0) -> Code:
        code = self.code
        code.label = label or code.name or "anonymous"
        code.compile_time = time.perf_counter() - t0
        return code

    def binder(self, vars_: list, materialized: bool, letrec: bool = False) -> _Binder:
        b = _Binder(vars_, materialized, letrec)
        if not materialized:
            for v in vars_:
                b.slots[v] = self.code.nslots
                self.code.nslots += 1
        return b

    # ---- variables ---------------------------------------------------------------

    def resolve(self, ref):
        """('slot', s, boxed, checked) or ('env', depth, index, checked)."""
        var = ref.var
        mat = 0
        for b in reversed(self.scope):
            if var in b.slots:
                return "slot", b.slots[var], var.assigned or b.letrec, var.checked
            if b.materialized:
                for i, v in enumerate(b.vars):
                    if v is var:
                        return "env", mat, i + 1, var.checked
                mat += 1
        # Free in this code: an enclosing procedure's frame, reached through
        # the closure's environment; every binder passed here counted one
        # frame for the analysis, only the materialized ones exist at run time.
        return "env", mat + ref.depth - len(self.scope), ref.index, var.checked

    def operand(self, x) -> tuple:
        """('slot', s) for a plain (unboxed, unchecked) slot variable,
        ('const', value) for a constant: operands a superinstruction can read
        itself; ('other', None) for anything else."""
        if x.__class__ is ir.Const:
            return "const", x.value
        if x.__class__ is ir.LocalRef:
            where, s, boxed, checked = self.resolve(x)
            if where == "slot" and not boxed and not checked:
                return "slot", s
        return "other", None

    # ---- expressions -------------------------------------------------------------

    def expr(self, n, ctx: tuple, tail: bool) -> None:
        cls = n.__class__
        if cls is ir.Const:
            self.emit(op.CONST, n.value, n, ctx)
        elif cls is ir.LocalRef:
            where, a, b, checked = self.resolve(n)
            if where == "slot":
                self.emit((op.BOXREF_CHK if checked else op.BOXREF) if b else op.LOCAL, a, n, ctx)
            else:
                self.emit(op.ENV_CHK if checked else op.ENV, (a, b), n, ctx)
        elif cls is ir.GlobalRef:
            self.emit(op.GLOBAL, n.cell, n, ctx)
        elif cls is ir.If:
            self.expr(n.test, (n,) + ctx, False)
            jf = self.emit(op.JUMP_IF_FALSE, None, n, ctx)
            base = self.sp
            self.expr(n.then, ctx, tail)
            j = None if tail else self.emit(op.JUMP, None, n, ctx)
            self.patch(jf)
            self.sp = base
            self.expr(n.else_, ctx, tail)
            if j is not None:
                self.patch(j)
            return
        elif cls is ir.Seq:
            inner = (n,) + ctx
            for x in n.body[:-1]:
                self.expr(x, inner, False)
                self.emit(op.POP, None, x, inner)
            self.expr(n.body[-1], ctx, tail)
            return
        elif cls is ir.Call:
            nodes = n.nodes
            first = next((i for i, x in enumerate(nodes) if x.__class__ not in _ATOMS), len(nodes))
            prim = _known_primitive(n)
            if prim is not None and first == len(nodes):
                # (prim atom ...): the operator is read after the operands,
                # which is unobservable when they are all atoms.
                fast = _fast(prim, len(n.args))
                operands = [self.operand(x) for x in n.args]
                kinds = [kind for kind, _ in operands]
                values = tuple(value for _, value in operands)
                head = (n.fn.cell, prim, fast)
                if kinds == ["slot"]:
                    self.emit(op.PRIM1_L, head + values, n, ctx)
                elif kinds == ["slot", "const"]:
                    self.emit(op.PRIM2_LC, head + values, n, ctx)
                elif kinds == ["slot", "slot"]:
                    self.emit(op.PRIM2_LL, head + values, n, ctx)
                else:
                    for x in n.args:
                        self.expr(x, ctx, False)
                    self.emit(op.PRIMCALL, (n.fn.cell, prim, len(n.args), fast), n, ctx)
            else:
                inner = (n,) + ctx
                for i, x in enumerate(nodes):
                    self.expr(x, inner if i >= first else ctx, False)
                if prim is not None and n.args:
                    # the operator is checked at run time to still be prim
                    self.emit(op.CALLPRIM, (prim, len(n.args), _fast(prim, len(n.args))), n, ctx)
                else:
                    self.emit(op.TAIL_CALL if tail else op.CALL, len(n.args), n, ctx)
                    return
        elif cls is ir.Lambda:
            self.emit(op.CLOSURE, n, n, ctx)
        elif cls is ir.LocalSet or cls is ir.GlobalSet:
            inner = (n,) + ctx
            self.expr(n.value, inner, False)
            if cls is ir.GlobalSet:
                self.emit(op.DEFINE if n.define else op.SET_GLOBAL, n.cell, n, inner)
            else:
                where, a, b, _ = self.resolve(n)
                if where == "slot":
                    self.emit(op.SET_BOX, a, n, inner)
                else:
                    self.emit(op.SET_ENV, (a, b), n, inner)
            self.emit(op.CONST, UNSPECIFIED, n, ctx)
        elif cls is ir.Let:
            self.let(n, ctx, tail)
            return
        elif cls is ir.Letrec:
            self.letrec(n, ctx, tail)
            return
        else:
            raise TypeError(f"compile: unknown node {cls.__name__}")
        if tail:
            self.emit(op.RETURN, None, n, ctx)

    def let(self, n: ir.Let, ctx: tuple, tail: bool) -> None:
        inner = (n,) + ctx
        for x in n.inits:
            self.expr(x, inner, False)
        b = self.binder(n.vars, _has_lambda(n.body))
        if b.materialized:
            self.emit(op.FRAME, len(n.vars), n, ctx)
        else:
            for v in reversed(n.vars):
                self.emit(op.BIND_BOX if v.assigned else op.BIND, b.slots[v], n, ctx)
        self.scope.append(b)
        self.expr(n.body, ctx, tail)
        self.scope.pop()
        if b.materialized and not tail:
            self.emit(op.UNFRAME, None, n, ctx)

    def letrec(self, n: ir.Letrec, ctx: tuple, tail: bool) -> None:
        inner = (n,) + ctx
        b = self.binder(n.vars, any(_has_lambda(x) for x in n.inits) or _has_lambda(n.body),
                        letrec=True)
        if b.materialized:
            self.emit(op.FRAME_REC, len(n.vars), n, ctx)
        else:
            for v in n.vars:
                self.emit(op.BOX_UNASSIGNED, b.slots[v], n, ctx)
        self.scope.append(b)
        for i, (v, x) in enumerate(zip(n.vars, n.inits)):
            self.expr(x, inner, False)
            if b.materialized:
                self.emit(op.SET_ENV, (0, i + 1), n, inner)
            else:
                self.emit(op.SET_BOX, b.slots[v], n, inner)
        self.expr(n.body, ctx, tail)
        self.scope.pop()
        if b.materialized and not tail:
            self.emit(op.UNFRAME, None, n, ctx)


def _effect(opcode: int, arg) -> int:
    """Net change of the operand-stack depth."""
    if opcode in (op.LOCAL, op.GLOBAL, op.CONST, op.ENV, op.BOXREF, op.CLOSURE, op.BOXREF_CHK,
                  op.ENV_CHK):
        return 1
    if opcode == op.CALL:
        return -arg
    if opcode in (op.TAIL_CALL, op.RETURN):
        return 0
    if opcode in (op.JUMP_IF_FALSE, op.POP, op.SET_BOX, op.BIND, op.BIND_BOX, op.SET_ENV,
                  op.SET_GLOBAL, op.DEFINE):
        return -1
    if opcode == op.FRAME:
        return -arg
    if opcode == op.PRIMCALL:
        return 1 - arg[2]
    if opcode in (op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL):
        return 1
    if opcode == op.CALLPRIM:
        return -arg[1]
    return 0


def _known_primitive(n: ir.Call):
    """The primitive a call's global operator holds now, when it is an
    ordinary one accepting this many arguments (the VM checks the global
    still holds it before using the fast path)."""
    fn = n.fn
    if fn.__class__ is not ir.GlobalRef:
        return None
    p = fn.cell.value
    if p.__class__ is not Primitive or p.control is not None:
        return None
    k = len(n.args)
    if k < p.min_args or (p.max_args is not None and k > p.max_args):
        return None
    return p


_BINARY = None


def _fast(prim: Primitive, n: int):
    """The function to call for prim with n arguments: its two-argument form
    when it has one, else the primitive's own function."""
    global _BINARY
    if _BINARY is None:
        from ..runtime import PRIMITIVES
        from ..runtime.numbers import _binary_forms
        _BINARY = {PRIMITIVES[name]: fn for name, fn in _binary_forms().items()}
    if n == 2:
        return _BINARY.get(prim, prim.fn)
    return prim.fn


def _has_lambda(n) -> bool:
    """Does a lambda expression occur anywhere inside n? (Then the binders
    around it must be real frames, for the closure to capture.)"""
    cls = n.__class__
    if cls is ir.Lambda:
        return True
    if cls in _ATOMS:
        return False
    if cls is ir.If:
        return _has_lambda(n.test) or _has_lambda(n.then) or _has_lambda(n.else_)
    if cls is ir.Seq:
        return any(_has_lambda(x) for x in n.body)
    if cls is ir.Call:
        return _has_lambda(n.fn) or any(_has_lambda(x) for x in n.args)
    if cls is ir.LocalSet or cls is ir.GlobalSet:
        return _has_lambda(n.value)
    if cls is ir.Let or cls is ir.Letrec:
        return any(_has_lambda(x) for x in n.inits) or _has_lambda(n.body)
    raise TypeError(f"compile: unknown node {cls.__name__}")

