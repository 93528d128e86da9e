"""The translation of one code object's structure into Python functions.

It walks the tree that structure.py recovered, carrying the operand stack
(a list of locals.Entry), and writes each instruction's Python into a
Source. The procedure becomes `F(e, l0, l1...)`; with an integer copy,
`F` is the copy (it calls the generic `G` when a parameter is not an
integer, or the flonum copy `H` when they are all flonums, if the code has
one). Calls are calls.py's, primitives emitters.py's, what is known of
types types.py's.

One translation runs under one set of Assumptions (types.py); `translate`
reports what the code it wrote says about them, and the driver translates
again until they hold. A Translator keeps its Names across translations.
"""

from __future__ import annotations

from ...bytecode import code as op
from ...values import UNBOUND
from . import calls
from .locals import (CONST, Names, bind, below, expr_entry, flush, push, rebind, simple,
                     slot_entry, stack_entry, unspecified)
from .source import Source
from .structure import If, Loop, loops_on_self
from .emitters import INT_OPERANDS
from .types import ANY, BOOL, FLO, INT, PYCLASS, SlotTypes, flonum_code, merge, operand_slots


MAX_TYPED_LOOPS = 2       # nested loops with typed copies


class Translator:
    """Writes one unit's Python. What calls.py and emitters.py use of it:
    `src` (the Source), `names`, `unit`, `code`, `lam`, `types` (SlotTypes),
    `assume`, and the state of the function being written."""

    def __init__(self, code, unit, promote, body: list, spec: tuple) -> None:
        self.code = code
        self.unit = unit
        self.promote = promote
        self.lam = code.lam
        self.body = body
        self.int_params = spec
        self.flonum_copy = bool(spec) and flonum_code(code)
        self.names = Names(unit.ns)
        self.loop = loops_on_self(code)       # the body is a `while True:`
        n = code.nreq + (1 if code.rest else 0)
        # (materialized: the parameters go into a fresh frame e = [e0, a0...])
        self.params = [f"a{i}" if code.materialized else f"l{i}" for i in range(n)]
        self.env = "e0" if code.materialized else "e"
        # one translation:
        self.src = None
        self.assume = None
        self.funcs: list = []
        self.direct: list = []       # (unit called, name, stub)
        self.tail_calls = False      # a TC is returned somewhere
        self.direct_tails = False    # a direct tail call is made somewhere (calls.direct_tail)
        self.failed = False          # a loop variable assumed typed was not
        self.returns: list = []      # (copy's type, type returned) of the typed copies
        # the function being written:
        self.fname = "F"
        self.spec = ()               # its typed parameters
        self.ptype = None            # their type (INT, FLO; None in G and a plain F)
        self.types = None            # SlotTypes
        self.loops: list = []        # inlined loops around: (stack depth, typed slots)
        self.typed_loops = 0         # loops around that have typed copies
        self.lined_ands: set = set()  # the Ifs of `and`s whose B writes lines (and_test)

    def translate(self, assume) -> tuple:
        """Write the unit's functions under `assume`; what they say about it
        (see Assumptions.settle)."""
        self.assume = assume
        self.src = Source()
        self.funcs = []
        self.direct = []
        self.unit.returns_tc = not assume.no_tail_calls
        self.tail_calls = False
        self.direct_tails = False
        self.failed = False
        self.returns = []
        if self.int_params:
            self.function("G", (), None)
            self.function("F", self.int_params, INT)
            if self.flonum_copy:
                self.function("H", self.int_params, FLO)
        else:
            self.function("F", (), None)
        return self.failed, self.tail_calls, self.returns

    def finish(self) -> str:
        """The source, with the list entry (arity is checked by the caller)."""
        code, src = self.code, self.src
        nreq = code.nreq
        if self.lam is not None and code.rest:
            args = ", ".join([f"a[{i}]" for i in range(nreq)] + [f"LIST(a[{nreq}:])"])
        else:
            args = ", ".join(f"a[{i}]" for i in range(nreq))
        src.ind = 0
        src.line("def LENTRY(env, dp, a):")
        src.line(f"    return F(env, dp{', ' if args else ''}{args})")
        self.unit.lines = src.points
        self.unit.tail_lines = src.tails
        return src.text()

    def function(self, fname: str, spec: tuple, ptype) -> None:
        src = self.src
        self.funcs.append(fname)
        self.fname = fname
        self.spec = spec
        self.ptype = ptype
        self.types = SlotTypes(spec, ptype)
        # dp: the depth of the activation's continuation (machine/frames.py),
        # checked against the one recursion limit on entry; each call
        # passes on dp plus the interpreter frames pending at the call
        params = [self.env, "dp"] + self.params
        call = f"({', '.join(params)})"
        src.ind = 0
        src.line(f"def {fname}{call}:")
        src.ind = 1
        if fname != "G":          # (G is only called from F)
            src.line("if dp > MAX_DEPTH: CHECK_DEPTH(dp)")
            src.no_frame()        # (located at the caller's call)
        if self.loop:
            src.line("while True:")
            src.ind = 2
        if spec:
            # (G's frame, or H's, stands for this one)
            pyclass = PYCLASS[ptype]
            src.line(f"if {' or '.join(f'l{s}.__class__ is not {pyclass}' for s in spec)}:")
            if fname == "F" and self.flonum_copy:
                floats = " and ".join(f"l{s}.__class__ is float" for s in spec)
                src.line(f"    if {floats}: return H{call}")
                src.no_frame()
            src.line(f"    return G{call}")
            src.no_frame()
        if self.code.materialized:
            src.line(f"e = [e0{''.join(', ' + p for p in self.params)}]")
        self.block(self.body, [])

    # ---- structure --------------------------------------------------------------------

    def block(self, nodes: list, st: list) -> list:
        ops, args, lower = self.code.ops, self.code.args, _LOWER
        for node in nodes:
            cls = node.__class__
            if cls is int:
                lower[ops[node]](self, node, args[node], st)
            elif cls is If:
                self.branch(node, st)
            else:
                self.inline_loop(node, st)
        return st

    def branch(self, node: If, st: list) -> None:
        cond = st.pop()
        if cond.kind == CONST:
            # a known test (SOM's som-fast-prims, a watched global): its arm alone
            self.block(node.then if cond.value is not False else node.else_, st)
            return
        if node.join is not None and self.and_test(node, cond, st):
            return
        src = self.src
        flush(src, st)
        d = len(st)
        target = self.join_target(node, st)
        src.line(f"if {_truth(cond)}:")
        results = []
        for arm in (node.then, node.else_):
            src.ind += 1
            n0 = src.size()
            saved = self.types.save()
            if arm is node.then:
                self.types.narrow(cond.narrow)
            s = self.block(arm, list(st))
            if node.join is not None:
                r = s[-1]
                if target is not None:
                    if r.slot != target and not (r.stack == d and src.redirect(d, target)):
                        src.line(f"l{target} = {r.text}")
                elif r.stack != d:
                    src.assign(d, r.text, r.reads)
                results.append(r.type)
            if src.size() == n0:
                src.line("pass")
            self.types.restore(saved)
            src.ind -= 1
            if arm is node.then:
                src.line("else:")
        if node.join is not None:
            t = merge(results[0], results[1])
            if target is None:
                st.append(stack_entry(d, t))
            else:        # (the BIND that comes next finds its value in place: bind_)
                self.types.bind(target, t)
                st.append(slot_entry(target, t))

    def join_target(self, node: If, st: list):
        """The slot that the BIND right after the if's join binds its value
        to, when each arm can write its value there itself (`l3 = x` in
        each, not `s0 = x` and then `l3 = s0`): nothing on the stack reads
        the slot. Else None."""
        if node.join is None or self.code.ops[node.join] != op.BIND:
            return None
        slot = self.code.args[node.join]
        return None if any(slot in x.reads for x in st) else slot

    def and_test(self, node: If, cond, st: list) -> bool:
        """`(and A B)` is (if A B #f). When B is written with no line (a
        deferred test, a variable, a constant), the `if` is the deferred
        `(A and B)`, where both tests' narrowings hold: so `(if (and
        (string? s) (<= i (string-length s))) ...)` is one Python `if`, whose
        arm knows s is a string. Whether it was (else nothing is written,
        and the If is remembered as one whose B writes lines)."""
        ops, args = self.code.ops, self.code.args
        f = node.else_[0] if len(node.else_) == 1 else None
        if f is None or ops[f] != op.CONST or args[f] is not False:
            return False
        # (whether B writes lines depends on what is known of the types)
        key = (self.fname, node.pc, self.types.key())
        if key in self.lined_ands:
            return False
        mark = self.mark()
        saved = self.types.save()
        self.types.narrow(cond.narrow)
        b = self.block(node.then, list(st))[-1]
        self.types.restore(saved)
        if self.src.held is not mark[0] or len(self.src.lines) != mark[1]:
            self.rollback(mark)
            self.lined_ands.add(key)
            return False
        e = expr_entry(f"({_truth(cond)} and ({b.text}))", BOOL if b.type == BOOL else ANY,
                       (cond, b))
        e.narrow = cond.narrow + b.narrow
        push(self.src, st, e)
        return True

    def mark(self) -> tuple:
        """What `rollback` goes back to: the source written so far, and what
        the translation has noted of it."""
        src = self.src
        return (src.held, len(src.lines), len(self.direct), len(self.returns),
                self.tail_calls, self.direct_tails, self.failed)

    def rollback(self, mark: tuple) -> None:
        src = self.src
        src.held, n, nd, nr, self.tail_calls, self.direct_tails, self.failed = mark
        del src.lines[n:], self.direct[nd:], self.returns[nr:]
        for table in (src.points, src.tails):
            for k in [k for k in table if k > n]:
                del table[k]

    def inline_loop(self, node: Loop, st: list) -> None:
        """A named-let loop compiled into this code: `while True:`, whose
        BREAKs leave the loop's value in s{depth}. A loop variable that is an
        integer or a flonum on entry is assumed to stay one (each back edge
        checks). When variables used in its arithmetic are of no known type,
        the loop is written once for when they are all integers on entry,
        once more for flonums if its code mentions a flonum, and once for
        anything else."""
        src = self.src
        flush(src, st)
        copies = self.typed_copies(node)
        if not copies:
            self.loop_copy(node, st, (), None)
        else:
            outside = self.types.save()
            self.typed_loops += 1
            for i, (type_, slots) in enumerate(copies):
                test = " and ".join(f"l{s}.__class__ is {PYCLASS[type_]}" for s in slots)
                src.line(f"{'elif' if i else 'if'} {test}:")
                src.ind += 1
                self.loop_copy(node, st, slots, type_)
                self.types.restore(outside)
                src.ind -= 1
            src.line("else:")
            src.ind += 1
            self.loop_copy(node, st, (), None)
            src.ind -= 1
            self.typed_loops -= 1
        if not node.ftail:
            st.append(stack_entry(len(st)))

    def typed_copies(self, node: Loop) -> list:
        """(type, the variables its copy checks on entry) for each typed copy
        of the loop."""
        code = self.code
        # (each level of copies multiplies the ones nested in it)
        if self.typed_loops >= MAX_TYPED_LOOPS:
            return []
        used = operand_slots(code, node.pc, node.end, INT_OPERANDS)
        untyped = [s for s in node.slots if s in used and s not in self.unit.boxed
                   and self.types.of(s) not in (INT, FLO)]
        types = (INT, FLO) if flonum_code(code, node.pc, node.end) else (INT,)
        copies = []
        for t in types:
            slots = tuple(s for s in untyped if (s, (self.fname, t)) not in self.assume.widened)
            if slots:
                copies.append((t, slots))
        return copies

    def loop_copy(self, node: Loop, st: list, checked: tuple, type_) -> None:
        """One copy of the loop, in which the `checked` variables are of type_."""
        src = self.src
        typed = self.types.enter_loop(node.slots, self.assume.widened, (self.fname, type_),
                                      checked, type_)
        saved = self.types.save()
        src.line("while True:")
        src.ind += 1
        self.loops.append((len(st), typed))
        self.block(node.body, list(st))
        self.loops.pop()
        src.ind -= 1
        self.types.restore(saved)

    # ---- instructions: _LOWER[opcode](translator, pc, operand, stack) ----------------------

    def local(self, pc, a, st):
        st.append(slot_entry(a, self.types.of(a)))

    def const(self, pc, a, st):
        st.append(self.names.const(a))

    def env_ref(self, pc, a, st):
        """ENV, ENV_CHK: a variable of an environment frame."""
        d = len(st)
        depth, index = a
        self.src.assign(d, f"e{'[0]' * depth}[{index}]", ())
        if self.code.ops[pc] == op.ENV_CHK:
            self.check_assigned(d, pc, st)
        st.append(stack_entry(d))

    def boxref(self, pc, a, st):
        st.append(slot_entry(a))     # (unboxed here: see Unit.boxed)

    def boxref_chk(self, pc, a, st):
        d = len(st)
        self.src.assign(d, f"l{a}", (a,))
        self.check_assigned(d, pc, st)
        st.append(stack_entry(d))

    def check_assigned(self, d: int, pc: int, st: list) -> None:
        var = self.names.name(self.code.nodes[pc].var, "VAR")
        self.src.line(f"if s{d} is UNASSIGNED: UNASSIGNED_ERR({var})", pc + 1,
                      below(self.src, st, d))

    def pop(self, pc, a, st):
        st.pop()

    def return_(self, pc, a, st):
        self.src.line(f"return {st[-1].text}")
        self.returned(st[-1].type)

    def returned(self, type_: str) -> None:
        if self.ptype is not None:
            self.returns.append((self.ptype, type_))

    def closure(self, pc, a, st):
        lam, snapshot = a
        d = len(st)
        env = "e"
        for b in snapshot:     # the slot binders' frames, as they are now
            env = f"[{', '.join([env] + [_snapshot_item(x) for x in b])}]"
        src = self.src
        src.line(f"s{d} = NEW(CLOSURE)")
        src.line(f"s{d}.lam = {self.names.name(lam, 'LAM')}")
        src.line(f"s{d}.env = {env}")
        st.append(stack_entry(d))

    def break_(self, pc, a, st):
        depth = self.loops[-1][0]
        v = st[-1]
        if v.stack != depth:
            self.src.assign(depth, v.text, v.reads)
        self.src.line("break")

    def continue_(self, pc, a, st):
        if self.types.back_edge(self.loops[-1][1], self.assume.widened):
            self.failed = True
        self.src.line("continue")

    def bind_(self, pc, a, st):
        v = st.pop()
        if v.slot == a:          # (a loop variable passed on unchanged)
            return
        bind(self.src, st, v, a)
        self.types.bind(a, v.type)

    def set_box(self, pc, a, st):
        """SET_BOX, BIND_BOX: the slot holds the value itself (Unit.boxed)."""
        v = st.pop()
        if v.slot == a:
            return
        rebind(self.src, st, a)
        self.src.line(f"l{a} = {v.text}")

    def box_param(self, pc, a, st):
        self.types.forget(a)

    def box_unassigned(self, pc, a, st):
        rebind(self.src, st, a)
        self.src.line(f"l{a} = UNASSIGNED")

    def set_env(self, pc, a, st):
        depth, index = a
        self.src.line(f"e{'[0]' * depth}[{index}] = {st.pop().text}")

    def set_global(self, pc, a, st):
        """SET_GLOBAL, DEFINE (with the CONST UNSPECIFIED after it)."""
        src = self.src
        d = len(st)
        define = self.code.ops[pc] == op.DEFINE
        val = simple(src, st, d - 1)
        st.pop()
        c = self.names.name(a, "C")
        if not define and a.value is UNBOUND:
            src.line(f"if {c}.value is UNBOUND: UNBOUND_SET({c})", pc + 1, below(src, st, d - 1))
        src.line(f"{c}.assign({val})")
        if define:
            src.line(f"NAMEP({c}.value, {c}.name)")
        # assigning a watched cell may invalidate this very unit: then
        # go on in the VM, after the (set! ...)'s unspecified value
        src.line("if not VALID: DEOPT(UNSPECIFIED)", pc + 2, below(src, st, d - 1))
        st.append(unspecified())

    def frame(self, pc, a, st):
        d = len(st)
        vals = [x.text for x in st[d - a:]]
        del st[d - a:]
        self.src.line(f"e = [e{''.join(', ' + v for v in vals)}]")

    def frame_rec(self, pc, a, st):
        self.src.line(f"e = [e{', UNASSIGNED' * a}]")

    def unframe(self, pc, a, st):
        flush(self.src, st)
        self.src.line("e = e[0]")

    def unexpected(self, pc, a, st):
        raise TypeError(f"tier 2: unexpected {op.OPNAMES[self.code.ops[pc]]} at {pc}")


def _truth(cond) -> str:
    """The Python test of a value's truth (#f is False)."""
    return cond.text if cond.type == BOOL else f"{cond.text} is not False"


def _snapshot_item(x) -> str:
    """A slot variable's value for a closure's frames (see code.py)."""
    if x is None:
        return "UNASSIGNED"
    return f"l{x[0]}" if x.__class__ is tuple else f"l{x}"


T = Translator
_LOWER = [T.unexpected] * len(op.OPNAMES)
for _ops, _method in (
        ((op.LOCAL,), T.local), ((op.CONST,), T.const), ((op.GLOBAL,), calls.global_ref),
        ((op.ENV, op.ENV_CHK), T.env_ref), ((op.BOXREF,), T.boxref),
        ((op.BOXREF_CHK,), T.boxref_chk), ((op.POP,), T.pop), ((op.RETURN,), T.return_),
        ((op.CALL,), calls.call), ((op.TAIL_CALL,), calls.tail_call),
        ((op.PRIMCALL, op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL), calls.primitive_call),
        ((op.CALLPRIM,), calls.primitive_operator), ((op.CLOSURE,), T.closure),
        ((op.BREAK,), T.break_), ((op.CONTINUE,), T.continue_), ((op.BIND,), T.bind_),
        ((op.SET_BOX, op.BIND_BOX), T.set_box), ((op.BOX_PARAM,), T.box_param),
        ((op.BOX_UNASSIGNED,), T.box_unassigned), ((op.SET_ENV,), T.set_env),
        ((op.SET_GLOBAL, op.DEFINE), T.set_global), ((op.FRAME,), T.frame),
        ((op.FRAME_REC,), T.frame_rec), ((op.UNFRAME,), T.unframe)):
    for _o in _ops:
        _LOWER[_o] = _method
del T, _ops, _method, _o
