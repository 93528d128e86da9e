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
from ..runtime import PRIMITIVES
from ..runtime.numbers import binary_forms
from ..values import UNSPECIFIED, Primitive
from . import code as op
from .code import Code
from .frames import Plan

_ATOMS = (ir.LocalRef, ir.GlobalRef, ir.Const)
# the nodes a loop body's tail position passes through to their own tails
_THROUGH = (ir.If, ir.Seq, ir.Let, ir.Letrec)


class _Binder:
    """A binder of the code being compiled: its variables, and either their
    slots (not materialized) or their frame (materialized)."""

    __slots__ = ("vars", "materialized", "slots", "letrec")

    def __init__(self, vars_: list, materialized: bool, letrec: bool = False) -> None:
        self.vars = vars_
        self.materialized = materialized
        self.slots: dict = {}
        self.letrec = letrec


# Each instruction records the interpreter frames pending at it (ctx), so a
# code object nested n deep takes n^2 space: past this nesting, code is not
# compiled and the CEK runs it (not compiling is always allowed).
MAX_NESTING = 1000


class TooNested(Exception):
    """The code is nested deeper than MAX_NESTING."""


def compile_lambda(lam: ir.Lambda, label: str | None = None, inline: bool = True) -> Code:
    """lam's code; `inline`: compile its named-let loops into it (see frames.py)."""
    t0 = time.perf_counter()
    code = Code(lam.name, lam)
    params = lam.params + ([lam.rest] if lam.rest is not None else [])
    c = _Compiler(code, Plan(params, lam.body, inline))
    b = c.binder(params, c.plan.params_real)
    code.materialized = b.materialized
    if not b.materialized:
        for v in params:
            if v.assigned:
                c.emit(op.BOX_PARAM, b.slots[v], lam, ())
    c.scope.append(b)
    c.expr(lam.body, (), True)
    return c.finish(label, t0)


def compile_toplevel(node: ir.Node, label: str = "<toplevel>", inline: bool = True) -> Code:
    """A top-level form as a code object of no parameters (runs with env None)."""
    t0 = time.perf_counter()
    code = Code(None, None)
    c = _Compiler(code, Plan([], node, inline))
    c.expr(node, (), True)
    return c.finish(label, t0)


class _Loop:
    """A named-let loop being compiled inline: its tail positions are its
    back edges (calls of `var`) and its exits (anything else)."""

    __slots__ = ("var", "real", "head", "depth", "ftail", "exits")

    def __init__(self, var, real: bool, head: int, depth: int, ftail: bool) -> None:
        self.var = var
        self.real = real          # the loop's two binders are frames
        self.head = head          # the pc a back edge jumps to
        self.depth = depth        # len(scope) inside the loop
        self.ftail = ftail        # the loop is the code's tail: exits return
        self.exits: list = []     # BREAKs to patch


class _Compiler:
    def __init__(self, code: Code, plan: Plan) -> None:
        self.code = code
        self.plan = plan
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
        if not self.plan.skipped:
            code.py = code
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

    def expr(self, n, ctx: tuple, tail) -> None:
        """Compile n; tail is False, True (the code's tail: return) or the
        _Loop whose body's tail n is in."""
        cls = n.__class__
        if len(ctx) > MAX_NESTING:
            raise TooNested(f"nested more than {MAX_NESTING} deep")
        if tail.__class__ is _Loop and cls not in _THROUGH:
            if cls is ir.Call and n.fn.__class__ is ir.LocalRef and n.fn.var is tail.var:
                self.loop_back(n, ctx, tail)
                return
            if not tail.ftail:
                self.expr(n, ctx, False)
                self.loop_exit(tail, n, ctx)
                return
            tail = True
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
            lam = self.plan.loop(n)
            if lam is not None:
                self.named_loop(n, lam, ctx, tail)
                return
            nodes = n.nodes
            first = next((i for i, x in enumerate(nodes) if x.__class__ not in _ATOMS), len(nodes))
            prim = _known_primitive(n)
            if prim is not None and first == len(nodes):
                # (prim atom ...): the operator is read after the operands,
                # which is unobservable when they are all atoms.
                fast = fast_function(prim, len(n.args))
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
                    fast = fast_function(prim, len(n.args))
                    self.emit(op.CALLPRIM, (prim, len(n.args), fast), n, ctx)
                else:
                    self.emit(op.TAIL_CALL if tail else op.CALL, len(n.args), n, ctx)
                    return
        elif cls is ir.Lambda:
            self.emit(op.CLOSURE, (n, self.snapshot()), n, ctx)
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

    def let(self, n: ir.Let, ctx: tuple, tail) -> None:
        inner = (n,) + ctx
        for x in n.inits:
            self.expr(x, inner, False)
        b = self.binder(n.vars, id(n) in self.plan.real)
        self.bind(b, n, ctx)
        self.scope.append(b)
        self.expr(n.body, ctx, tail)
        self.scope.pop()
        if b.materialized and not tail:
            self.emit(op.UNFRAME, None, n, ctx)

    def bind(self, b: _Binder, node, ctx: tuple) -> None:
        """Bind b's variables to the values on top of the stack."""
        if b.materialized:
            self.emit(op.FRAME, len(b.vars), node, ctx)
        else:
            for v in reversed(b.vars):
                self.emit(op.BIND_BOX if v.assigned else op.BIND, b.slots[v], node, ctx)

    def snapshot(self) -> tuple:
        """What a closure made here needs besides the current environment:
        the binders after the innermost real one, outermost first, each as
        its variables' slots (an int, or (slot,) for a boxed one; None for
        an inlined loop's own name, which is never read)."""
        out = []
        for b in reversed(self.scope):
            if b.materialized:
                break
            out.append(tuple(
                None if v not in b.slots else
                (b.slots[v],) if v.assigned or b.letrec else b.slots[v] for v in b.vars))
        out.reverse()
        return tuple(out)

    # ---- named-let loops (frames.py) --------------------------------------------------

    def named_loop(self, n: ir.Call, lam: ir.Lambda, ctx: tuple, tail: bool) -> None:
        """The loop's initial values are bound as by the call, then its body
        runs as a loop: LOOP (end, loop-variable slots, ftail) marks the head,
        back edges CONTINUE to just after it, exits BREAK to `end` with the
        value on the stack. The frames pending in the body are the ones
        pending at the named let (it runs as a tail call of the loop
        procedure), so backtraces read as in the interpreter."""
        inner = (n,) + ctx
        for x in n.args:
            self.expr(x, inner, False)
        real = id(n) in self.plan.real
        rec = _Binder(n.fn.vars, real, letrec=True)   # (no slot: `loop` is never read)
        if real:
            self.emit(op.FRAME_REC, 1, n.fn, ctx)
        self.scope.append(rec)
        b = self.binder(lam.params, real)
        self.bind(b, lam, ctx)
        self.scope.append(b)
        base = self.sp
        head = self.emit(op.LOOP, None, lam, ctx)
        loop = _Loop(n.fn.vars[0], real, head + 1, len(self.scope), tail is True)
        self.expr(lam.body, ctx, loop)
        self.scope.pop()
        self.scope.pop()
        end = len(self.code.ops)
        slots = () if real else tuple(b.slots[v] for v in lam.params)
        self.code.args[head] = (end, slots, loop.ftail)
        for j in loop.exits:
            self.code.args[j] = end
        if loop.ftail:
            return
        self.sp = base + 1
        if real:
            self.emit(op.UNFRAME, None, n, ctx)
            self.emit(op.UNFRAME, None, n, ctx)

    def unframe_inner(self, loop: _Loop, node, ctx: tuple) -> None:
        """Leave the frames of binders opened inside the loop's body."""
        for b in self.scope[loop.depth:]:
            if b.materialized:
                self.emit(op.UNFRAME, None, node, ctx)

    def loop_back(self, n: ir.Call, ctx: tuple, loop: _Loop) -> None:
        """A call of the loop in its body's tail: new bindings, and again."""
        nodes = n.nodes
        first = next((i for i, x in enumerate(nodes) if x.__class__ not in _ATOMS), len(nodes))
        inner = (n,) + ctx
        for i, x in enumerate(n.args, 1):
            self.expr(x, inner if i >= first else ctx, False)
        self.unframe_inner(loop, n, ctx)
        b = self.scope[loop.depth - 1]
        if loop.real:
            self.emit(op.UNFRAME, None, n, ctx)
        self.bind(b, n, ctx)
        at = self.emit(op.CONTINUE, loop.head, n, ctx)
        # a slot written in the loop may be written again after any point in
        # it: a frame resumed there must copy its slots (VM.resume)
        if self.code.last_write >= loop.head - 1:
            self.code.last_write = at

    def loop_exit(self, loop: _Loop, node, ctx: tuple) -> None:
        """The loop's value is on the stack: leave the loop with it."""
        self.unframe_inner(loop, node, ctx)
        loop.exits.append(self.emit(op.BREAK, None, node, ctx))

    def letrec(self, n: ir.Letrec, ctx: tuple, tail) -> None:
        inner = (n,) + ctx
        b = self.binder(n.vars, id(n) in self.plan.real, letrec=True)
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
    if opcode in (op.TAIL_CALL, op.RETURN, op.LOOP, op.BREAK, op.CONTINUE):
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
    if k < p.min_args or k > p.max_args:
        return None
    return p


_BINARY = {PRIMITIVES[name]: fn for name, fn in binary_forms().items()}


def fast_function(prim: Primitive, n: int):
    """The function to call for prim with n arguments: its two-argument form
    when it has one, else the primitive's own function."""
    if n == 2:
        return _BINARY.get(prim, prim.fn)
    return prim.fn
