"""Tier 2: code objects -> Python source -> Python functions.

The bytecode is structured (it comes from expressions), so it translates
back to structured Python: JUMP_IF_FALSE / JUMP become if/else, a self tail
call becomes `continue` in a `while True:` around the body, RETURN becomes
`return`. The operand stack becomes Python locals: stack entry i lives in
`s{i}`, slot j in `l{j}`, the environment in `e`, so a generated frame can
be turned back into the VM frame it stands for from its locals alone (see
pyrun.collect). Cheap entries (variables, constants, pure arithmetic on
known integers) are not stored at all until a safepoint needs them.

Every line that can call or raise has a *safepoint*: the pc after its
instruction and the operand-stack entries below its inputs (each a local's
name or a constant). Errors and captures read it from the traceback's line.

Speed comes from three things, measured on this machine (see the README):
- globals that hold procedures are constants of the generated code (the unit
  watches their cells; see pyrun), so `(+ a b)` is inline Python and
  `(fib n)` a direct call of fib's Python function;
- a copy of the body specialised for integer parameters: parameters used in
  arithmetic are checked once on entry (`l0.__class__ is int`), and types
  flow forward from there, so `(- n 1)` is `l0 - 1` with no guard; the
  generic copy guards each operation (`x + y if both ints else add2(x, y)`);
- calls to procedures with generated code skip the interpreter entirely.
"""

from __future__ import annotations

import math
import re
import time
from fractions import Fraction

from ..bytecode import code as op
from ..bytecode.compiler import fast_function
from ..machine.errors import unassigned_error, unbound_error, unbound_set_error
from ..runtime.equality import eq
from ..values import (NIL, UNASSIGNED, UNBOUND, UNSPECIFIED, Char, Closure, MultipleValues, Pair,
                      Primitive, name_procedure, py_to_list)
from .pyrun import PYCODES, TC, bounce, deopt, slow, stub, tail_call

INT, BOOL, ANY = "int", "bool", "any"
PAIR, VEC = "pair", "vector"      # (known from a type test: see branch)
# type predicates whose true branch knows a variable's type
_NARROWS = {"pair?": ("PAIR", PAIR), "exact-integer?": ("int", INT), "vector?": ("list", VEC)}

_ARITH = {"+": "+", "-": "-", "*": "*"}
_COMPARE = {"<": "<", ">": ">", "<=": "<=", ">=": ">=", "=": "=="}


class Unit:
    """The generated code of one code object, and what it assumed."""

    __slots__ = ("code", "lam", "ns", "src", "lines", "tail_lines", "deps", "referrers",
                 "entry", "lentry", "returns_tc", "compile_time", "valid", "boxed")

    def __init__(self, code) -> None:
        self.code = code
        self.lam = code.lam
        self.ns: dict = {}
        self.src = ""
        self.lines: dict = {}        # line -> (pc after, stack descriptors)
        self.tail_lines: dict = {}   # lines that are tail calls
        self.deps: set = set()       # cells whose procedure it assumed
        self.referrers: list = []    # (namespace, name, stub) calling it directly
        self.entry = None            # fn(env, arg...)
        self.lentry = None           # fn(env, args list)
        self.returns_tc = False
        self.compile_time = 0.0
        self.valid = True
        # The slots that hold a box in the VM (assigned variables) hold the
        # value itself here: a box is what lets the activations resumed from
        # one continuation share the variable, and a generated activation is
        # never resumed; it becomes a VM frame first (pyrun.collect boxes).
        self.boxed = frozenset(a for o, a in zip(code.ops, code.args)
                               if o in (op.BIND_BOX, op.BOX_PARAM, op.BOX_UNASSIGNED))

    def invalidate(self) -> None:
        """An assumption broke: nobody enters this code again, and running
        activations deoptimise after their current call."""
        if not self.valid:
            return
        self.valid = False
        self.ns["VALID"] = False
        lam = self.lam
        if lam is not None and lam.unit is self:
            lam.pyf = lam.pyl = lam.unit = None
            lam.pyk = -1
            lam.invalidations += 1
        if self.code.unit is self:
            self.code.pyl = self.code.unit = None
        for ns, name, fallback in self.referrers:
            ns[name] = fallback
        self.referrers = []
        for cell in self.deps:
            if cell.watch is not None and self in cell.watch:
                cell.watch.remove(self)
                if not cell.watch:
                    cell.watch = None


class _Entry:
    """An operand-stack entry at code generation time: a Python local
    ('local'), a constant ('const', with its value), or a pure expression
    not yet evaluated ('expr')."""

    __slots__ = ("text", "kind", "type", "value", "cell", "narrow")

    def __init__(self, text, kind, type_=ANY, value=None, cell=None) -> None:
        self.text = text
        self.kind = kind
        self.type = type_
        self.value = value
        self.cell = cell
        self.narrow = None        # (slot, type) the slot has when this is true


def compile_unit(code, promote=None) -> Unit:
    """Generate, compile and install the Python code for `code`. `promote(lam)`
    may compile a known callee first, so the call can be direct."""
    t0 = time.perf_counter()
    unit = Unit(code)
    g = _Gen(code, unit, promote)
    g.generate()
    unit.src = "\n".join(g.out) + "\n"
    exec(compile(unit.src, f"<sx-py {code.label}>", "exec"), unit.ns)
    for name in g.funcs:
        PYCODES[unit.ns[name].__code__] = unit
    unit.entry = unit.ns["F"]
    unit.lentry = unit.ns["LENTRY"]
    unit.compile_time = time.perf_counter() - t0
    for cell in unit.deps:
        if cell.watch is None:
            cell.watch = []
        cell.watch.append(unit)
    for target, name, fallback in g.direct:
        target.referrers.append((unit.ns, name, fallback))
    lam = code.lam
    if lam is not None:
        lam.unit = unit
        lam.pyl = unit.lentry
        if lam.rest is None:
            lam.pyf = unit.entry
            lam.pyk = lam.nreq
    code.unit = unit
    code.pyl = unit.lentry
    return unit


class _Gen:
    def __init__(self, code, unit: Unit, promote) -> None:
        self.code = code
        self.unit = unit
        self.promote = promote
        self.out: list[str] = []
        self.ind = 1
        self.ns = unit.ns
        self.names: dict = {}        # id(value) -> ns name
        self.direct: list = []       # (unit called, name, stub)
        self.funcs: list = []
        self.lam = code.lam
        self.stype: dict = {}
        self.loop = False
        self.spec = ()
        self.int_return = False      # assume self calls on integers return integers
        self.tc_emitted = False
        self.returns: list = []      # the types returned by the function being generated
        self.loops: list = []        # inlined loops around the instruction: (depth, int slots)
        self.widen: set = set()      # loop-variable slots not to assume integers in
        self.regen = False           # an assumption about a loop variable failed
        ns = self.ns
        ns.update(VALID=True, CLOSURE=Closure, TC=TC, PAIR=Pair, NIL=NIL, UNASSIGNED=UNASSIGNED,
                  UNBOUND=UNBOUND, UNSPECIFIED=UNSPECIFIED, SLOW=slow, BOUNCE=bounce,
                  TAIL=tail_call, DEOPT=deopt, NEW=object.__new__, MV=MultipleValues,
                  UNBOUND_ERR=unbound_error, UNBOUND_SET=unbound_set_error,
                  UNASSIGNED_ERR=unassigned_error, NAMEP=name_procedure, EQ=eq, EQV=(int, Char),
                  LIST=py_to_list)

    # ---- names and constants -------------------------------------------------------

    def name(self, value, prefix: str) -> str:
        key = (prefix, id(value))
        n = self.names.get(key)
        if n is None:
            n = f"{prefix}{len(self.names)}"
            self.names[key] = n
            self.ns[n] = value
        return n

    def const(self, value) -> _Entry:
        t = value.__class__
        if t is int:
            return _Entry(repr(value), "const", INT, value)
        if t is bool:
            return _Entry(repr(value), "const", BOOL, value)
        if t is float and math.isfinite(value):
            return _Entry(repr(value), "const", ANY, value)
        if value is NIL:
            return _Entry("NIL", "const", ANY, value)
        known = PAIR if t is Pair else VEC if t is list else ANY
        return _Entry(self.name(value, "K"), "const", known, value)

    # ---- emission ---------------------------------------------------------------------

    def emit(self, text: str, pc=None, below=None, tail: bool = False) -> None:
        self.out.append("    " * self.ind + text)
        if pc is not None:
            line = len(self.out)
            self.unit.lines[line] = (pc, below)
            if tail:
                self.unit.tail_lines[line] = True

    def flush(self, st: list, upto: int | None = None) -> None:
        """Evaluate the deferred expressions among st[:upto] into their locals."""
        for i in range(len(st) if upto is None else upto):
            x = st[i]
            if x.kind == "expr":
                self.emit(f"s{i} = {x.text}")
                st[i] = _Entry(f"s{i}", "local", x.type)

    def below(self, st: list, d: int) -> tuple:
        """The safepoint descriptors of st[:d] (flushing expressions first)."""
        self.flush(st, d)
        return tuple((1, x.text) if x.kind == "local" else (0, x.value) for x in st[:d])

    def simple(self, st: list, i: int) -> str:
        """st[i] as a name or literal (evaluated once), materialising it if needed."""
        x = st[i]
        if x.kind == "expr":
            self.emit(f"s{i} = {x.text}")
            st[i] = x = _Entry(f"s{i}", "local", x.type)
        return x.text

    # ---- functions ----------------------------------------------------------------------

    def generate(self) -> None:
        code = self.code
        # (a self tail call may be among the tail calls: then the body loops)
        self.loop = self.lam is not None and op.TAIL_CALL in code.ops
        params = self._params()
        spec = self._int_params() if self.lam is not None and not code.materialized else ()
        # Three optimistic assumptions, each dropped (and the unit generated
        # again) when the generated code contradicts it: that the unit never
        # returns a tail call (so its direct self calls need not bounce),
        # that its integer copy returns integers when its recursive calls on
        # integers do (so `(+ (fib ...) (fib ...))` needs no guard), and that
        # an inlined loop's integer variables stay integers (inline_loop).
        no_tc, int_ret = True, bool(spec)
        while True:
            self.regen = False
            self.out = []
            self.unit.lines = {}
            self.unit.tail_lines = {}
            self.funcs = []
            self.direct = []
            self.unit.returns_tc = not no_tc
            self.tc_emitted = False
            self.int_return = int_ret
            if spec:
                self.function("G", params, ())
                self.function("F", params, spec)
            else:
                self.function("F", params, ())
            if self.regen:
                continue
            if no_tc and self.tc_emitted:
                no_tc = False
            elif int_ret and any(t != INT for t in self.returns):
                int_ret = False
            else:
                break
        # the list entry: arity is checked by the caller
        nreq = code.nreq
        if self.lam is not None and code.rest:
            args = ", ".join([f"a[{i}]" for i in range(nreq)] + [f"LIST(a[{nreq}:])"])
        else:
            args = ", ".join(f"a[{i}]" for i in range(nreq))
        self.ind = 0
        self.emit(f"def LENTRY(env, a):")
        self.emit(f"    return F(env{', ' if args else ''}{args})")

    def _params(self) -> list:
        n = self.code.nreq + (1 if self.code.rest else 0)
        if self.code.materialized:
            return [f"a{i}" for i in range(n)]
        return [f"l{i}" for i in range(n)]

    def function(self, fname: str, params: list, spec: tuple) -> None:
        code = self.code
        self.funcs.append(fname)
        self.spec = spec
        self.returns = []
        self.stype = {s: INT for s in spec}
        self.ind = 0
        env = "e0" if code.materialized else "e"
        self.emit(f"def {fname}({', '.join([env] + params)}):")
        self.ind = 1
        if self.loop:
            self.emit("while True:")
            self.ind = 2
        if spec:
            test = " or ".join(f"l{s}.__class__ is not int" for s in spec)
            self.emit(f"if {test}:")
            self.emit(f"    return G({', '.join([env] + params)})")
            self.unit.lines[len(self.out)] = None    # G's frame stands for this one
        if code.materialized:
            self.emit(f"e = [e0{''.join(', ' + p for p in params)}]")
        self.block(0, len(code.ops), [])

    def _int_params(self) -> tuple:
        """Parameters used as operands of inline arithmetic or comparisons:
        the integer copy checks them once on entry."""
        code = self.code
        boxed = {a for o, a in zip(code.ops, code.args) if o == op.BOX_PARAM}
        found = set()
        for o, a in zip(code.ops, code.args):
            if o in (op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL):
                p = a[1]
                if p.name in _ARITH or p.name in _COMPARE or p.name == "zero?":
                    found.add(a[3])
                    if o == op.PRIM2_LL:
                        found.add(a[4])
        return tuple(sorted(s for s in found if s < code.nreq and s not in boxed))

    # ---- blocks ---------------------------------------------------------------------------

    def block(self, pc: int, end: int, st: list) -> list:
        code = self.code
        ops, args = code.ops, code.args
        while pc < end:
            o = ops[pc]
            a = args[pc]
            if o == op.JUMP_IF_FALSE:
                pc = self.branch(pc, end, st)
                if pc is None:
                    return st
                continue
            pc = self.instruction(o, a, pc, st)
            if pc is None:
                return st
        return st

    def branch(self, pc: int, end: int, st: list):
        code = self.code
        cond = st.pop()
        t = code.args[pc]
        self.flush(st)
        d = len(st)
        last = t - 1
        joins = code.ops[last] == op.JUMP
        if cond.kind == "const":
            test = repr(cond.value is not False)
        else:
            test = cond.text if cond.type == BOOL else f"{cond.text} is not False"
        self.emit(f"if {test}:")
        results = []
        for lo, hi in ((pc + 1, last if joins else t), (t, code.args[last] if joins else end)):
            self.ind += 1
            n0 = len(self.out)
            saved = dict(self.stype)
            if lo == pc + 1 and cond.narrow is not None:
                self.stype[cond.narrow[0]] = cond.narrow[1]
            s = self.block(lo, hi, list(st))
            if joins:
                r = s[-1]
                if not (r.kind == "local" and r.text == f"s{d}"):
                    self.emit(f"s{d} = {r.text}")
                results.append(r.type)
            if len(self.out) == n0:
                self.emit("pass")
            self.stype = saved
            self.ind -= 1
            if lo == pc + 1:
                self.emit("else:")
        if not joins:
            return None
        st.append(_Entry(f"s{d}", "local", results[0] if results[0] == results[1] else ANY))
        return code.args[last]

    # ---- instructions ---------------------------------------------------------------------

    def instruction(self, o, a, pc, st):
        code = self.code
        d = len(st)
        if o == op.LOCAL:
            st.append(_Entry(f"l{a}", "local", self.stype.get(a, ANY)))
        elif o == op.CONST:
            st.append(self.const(a))
        elif o == op.GLOBAL:
            v = a.value
            if isinstance(v, (Primitive, Closure)) or (v is True or v is False) and a.sets <= 1:
                # a procedure, or a flag never assigned since its definition:
                # assumed constant (the unit watches the cell)
                self.unit.deps.add(a)
                e = self.const(v)
                e.cell = a
                st.append(e)
            else:
                c = self.name(a, "C")
                self.emit(f"s{d} = {c}.value")
                if v is UNBOUND:
                    self.emit(f"if s{d} is UNBOUND: UNBOUND_ERR({c})", pc + 1, self.below(st, d))
                st.append(_Entry(f"s{d}", "local"))
        elif o == op.ENV or o == op.ENV_CHK:
            depth, index = a
            self.emit(f"s{d} = e{'[0]' * depth}[{index}]")
            if o == op.ENV_CHK:
                self.check_assigned(d, pc, st)
            st.append(_Entry(f"s{d}", "local"))
        elif o == op.BOXREF:
            st.append(_Entry(f"l{a}", "local"))     # (unboxed here: see Unit.boxed)
        elif o == op.BOXREF_CHK:
            self.emit(f"s{d} = l{a}")
            self.check_assigned(d, pc, st)
            st.append(_Entry(f"s{d}", "local"))
        elif o == op.POP:
            st.pop()
        elif o == op.RETURN:
            self.emit(f"return {st[-1].text}")
            self.returns.append(st[-1].type)
            return None
        elif o == op.CALL:
            self.call(pc, a, st)
        elif o == op.TAIL_CALL:
            self.tail_call(pc, a, st)
            return None
        elif o in (op.PRIMCALL, op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL):
            cell, prim = a[0], a[1]
            if o == op.PRIMCALL:
                n = a[2]
                ins = st[d - n:]
                del st[d - n:]
            else:
                ins = [_Entry(f"l{a[3]}", "local", self.stype.get(a[3], ANY))]
                if o == op.PRIM2_LC:
                    ins.append(self.const(a[4]))
                elif o == op.PRIM2_LL:
                    ins.append(_Entry(f"l{a[4]}", "local", self.stype.get(a[4], ANY)))
            self.unit.deps.add(cell)
            # the cell may hold something else by now: then an ordinary call
            v = cell.value
            if v is not prim:
                f = self.const(v)
                f.cell = cell
                st.append(f)
                st.extend(ins)
                self.call(pc, len(ins), st)
            else:
                self.push(st, self.prim(prim, ins, pc, st))
        elif o == op.CALLPRIM:
            prim, n = a[0], a[1]
            f = st[d - n - 1]
            if f.kind == "const" and f.value is prim:
                ins = st[d - n:]
                del st[d - n - 1:]
                self.push(st, self.prim(prim, ins, pc, st))
            else:
                self.call(pc, n, st)
        elif o == op.CLOSURE:
            lam, snapshot = a
            env = "e"
            for b in snapshot:     # the slot binders' frames, as they are now
                env = f"[{', '.join([env] + [_snapshot_item(x) for x in b])}]"
            self.emit(f"s{d} = NEW(CLOSURE)")
            self.emit(f"s{d}.lam = {self.name(lam, 'LAM')}")
            self.emit(f"s{d}.env = {env}")
            st.append(_Entry(f"s{d}", "local"))
        elif o == op.LOOP:
            return self.inline_loop(pc, a, st)
        elif o == op.BREAK:
            depth = self.loops[-1][0]
            v = st[-1]
            if not (v.kind == "local" and v.text == f"s{depth}"):
                self.emit(f"s{depth} = {v.text}")
            self.emit("break")
            return None
        elif o == op.CONTINUE:
            for s in self.loops[-1][1]:
                if self.stype.get(s) != INT:    # assumed an integer: not on this edge
                    self.widen.add(s)
                    self.regen = True
            self.emit("continue")
            return None
        elif o == op.SET_BOX:
            v = st.pop()
            self.rebind(st, a)
            self.emit(f"l{a} = {v.text}")
        elif o == op.BIND:
            v = st.pop()
            if not self.retarget(v, d - 1, a, st):
                self.rebind(st, a)
                self.emit(f"l{a} = {v.text}")
            if v.type != ANY:
                self.stype[a] = v.type
            else:                  # (a loop variable's slot is bound again)
                self.stype.pop(a, None)
        elif o == op.BIND_BOX:
            v = st.pop()
            self.rebind(st, a)
            self.emit(f"l{a} = {v.text}")
        elif o == op.BOX_PARAM:
            self.stype.pop(a, None)
        elif o == op.BOX_UNASSIGNED:
            self.rebind(st, a)
            self.emit(f"l{a} = UNASSIGNED")
        elif o == op.SET_ENV:
            depth, index = a
            self.emit(f"e{'[0]' * depth}[{index}] = {st.pop().text}")
        elif o == op.SET_GLOBAL or o == op.DEFINE:
            val = self.simple(st, d - 1)
            st.pop()
            c = self.name(a, "C")
            if o == op.SET_GLOBAL and a.value is UNBOUND:
                self.emit(f"if {c}.value is UNBOUND: UNBOUND_SET({c})", pc + 1,
                          self.below(st, d - 1))
            self.emit(f"{c}.assign({val})")
            if o == op.DEFINE:
                self.emit(f"NAMEP({c}.value, {c}.name)")
            # assigning a watched cell may invalidate this very unit: then
            # go on in the VM, after the (set! ...)'s unspecified value
            self.emit("if not VALID: DEOPT(UNSPECIFIED)", pc + 2, self.below(st, d - 1))
            st.append(_Entry("UNSPECIFIED", "const", ANY, UNSPECIFIED))
            return pc + 2          # the CONST UNSPECIFIED that follows is done
        elif o == op.FRAME:
            vals = [x.text for x in st[d - a:]]
            del st[d - a:]
            self.emit(f"e = [e{''.join(', ' + v for v in vals)}]")
        elif o == op.FRAME_REC:
            self.emit(f"e = [e{', UNASSIGNED' * a}]")
        elif o == op.UNFRAME:
            self.flush(st)
            self.emit("e = e[0]")
        else:
            raise TypeError(f"pygen: unexpected {op.OPNAMES[o]} at {pc}")
        return pc + 1

    def inline_loop(self, pc: int, a, st: list):
        """A named-let loop compiled into this code: `while True:`, whose
        BREAKs leave the loop's value in s{depth}. A loop variable that is an
        integer on entry is assumed to stay one (each back edge checks; the
        unit is generated again without the assumption if one does not)."""
        end, slots, ftail = a
        self.flush(st)
        ints = tuple(s for s in slots if self.stype.get(s) == INT and s not in self.widen)
        for s in slots:
            self.stype.pop(s, None)
        for s in ints:
            self.stype[s] = INT
        saved = dict(self.stype)
        self.emit("while True:")
        self.ind += 1
        self.loops.append((len(st), ints))
        self.block(pc + 1, end, list(st))
        self.loops.pop()
        self.ind -= 1
        self.stype = saved
        if ftail:
            return None
        st.append(_Entry(f"s{len(st)}", "local"))
        return end

    def push(self, st: list, e: _Entry) -> None:
        """Push e, an operation's result: its position is below its operands',
        and an entry must not read a stack local above its own position (the
        next push there would overwrite it), so then it is evaluated now."""
        p = len(st)
        if any(int(j) > p for j in _STACK_LOCAL.findall(e.text)):
            self.emit(f"s{p} = {e.text}")
            e = _Entry(f"s{p}", "local", e.type)
        st.append(e)

    def retarget(self, v: _Entry, i: int, slot: int, st: list) -> bool:
        """Binding stack entry i (just popped) to a slot: when the line just
        emitted computed it (`s{i} = ...`), that line assigns the slot instead."""
        head = f"{'    ' * self.ind}s{i} = "
        name = f"l{slot}"
        if (v.kind != "local" or v.text != f"s{i}" or not self.out[-1].startswith(head)
                or name in self.out[-1] or any(name in x.text for x in st)):
            return False
        self.out[-1] = f"{'    ' * self.ind}{name} = {self.out[-1][len(head):]}"
        return True

    def rebind(self, st: list, slot: int) -> None:
        """Before slot is written: no deferred entry may still read it."""
        name = f"l{slot}"
        if any(name in x.text for x in st):
            self.flush(st)
            for i, x in enumerate(st):
                if x.kind == "local" and x.text == name:
                    self.emit(f"s{i} = {name}")
                    st[i] = _Entry(f"s{i}", "local", x.type)

    def check_assigned(self, d: int, pc: int, st: list) -> None:
        var = self.name(self.code.nodes[pc].var, "VAR")
        self.emit(f"if s{d} is UNASSIGNED: UNASSIGNED_ERR({var})", pc + 1, self.below(st, d))

    # ---- calls ------------------------------------------------------------------------------

    def site(self, pc: int) -> str:
        return self.name(self.code.nodes[pc], "N")

    def call(self, pc: int, n: int, st: list) -> None:
        """A non-tail call of st[-n-1] with the n entries above it."""
        d = len(st) - n - 1
        below = self.below(st, d)
        f = st[d]
        ins = st[d + 1:]
        argv = [x.text for x in ins]     # (deferred entries are pure: inline them)
        del st[d:]
        at = pc + 1
        r = f"s{d}"
        rtype = ANY
        done = False
        if f.kind == "const":
            v = f.value
            if v.__class__ is Primitive:
                if v.control is None and _arity_ok(v, n):
                    self.push(st, self.prim(v, ins, pc, st))
                    return
                if v.name == "values" and n == 1:
                    self.push(st, ins[0])
                    return
            elif v.__class__ is Closure:
                target = self.known(v)
                if target is not None and v.lam.rest is None and v.lam.nreq == n:
                    fn = self.direct_name(target, f.cell, pc)
                    env = self.const(v.env).text if v.env is not None else "None"
                    self.emit(f"{r} = {fn}({', '.join([env] + argv)})", at, below)
                    if target.returns_tc:
                        self.emit(f"if {r}.__class__ is TC: {r} = BOUNCE({r})", at, below)
                    done = True
                    if (target is self.unit and self.int_return and
                            all(ins[p].type == INT for p in self.spec)):
                        rtype = INT      # (checked once the function is generated)
        if not done:
            fx = _obj(f.text)
            args = ", ".join(argv)
            self.emit(f"if {fx}.__class__ is CLOSURE and {fx}.lam.pyk == {n}:")
            self.emit(f"    {r} = {fx}.lam.pyf({fx}.env{', ' if args else ''}{args})", at, below)
            self.emit(f"    if {r}.__class__ is TC: {r} = BOUNCE({r})", at, below)
            self.emit("else:")
            self.emit(f"    {r} = SLOW({fx}, [{args}], {self.site(pc)})", at, below)
        # an assumption may have broken during the call: go on in the VM
        self.emit(f"if not VALID: DEOPT({r})", at, below)
        st.append(_Entry(r, "local", rtype))

    def known(self, v: Closure):
        """The unit a known closure's calls can go straight to (compiling it
        now in the forced tier), or None."""
        lam = v.lam
        if lam is self.lam:
            return self.unit
        if lam.unit is None and self.promote is not None:
            self.promote(lam)
        return lam.unit

    def direct_name(self, target: Unit, cell, pc: int) -> str:
        if target is self.unit:
            return "F"
        n = f"D{len(self.direct)}"
        self.ns[n] = target.entry
        self.direct.append((target, n, stub(cell, self.code.nodes[pc], target.code.nreq)))
        return n

    def tail_call(self, pc: int, n: int, st: list) -> None:
        d = len(st) - n - 1
        f = st[d]
        argv = [self.simple(st, i) for i in range(d + 1, d + 1 + n)]
        ins = st[d + 1:]
        self.below(st, d)
        del st[d:]
        lam = self.lam
        if f.kind == "const" and f.value.__class__ is Primitive:
            v = f.value
            if v.control is None and _arity_ok(v, n):
                r = self.prim(v, ins, pc, st, tail=True)
                self.emit(f"return {r.text}")
                self.returns.append(r.type)
                return
            if v.name == "values" and n == 1:
                self.emit(f"return {argv[0]}")
                self.returns.append(ins[0].type)
                return
        # (a self call is `continue` of the loop around the whole body, so
        # not inside an inlined loop's `while`)
        if (lam is not None and self.loop and not self.loops and lam.rest is None
                and n == lam.nreq):
            if f.kind == "const":
                if f.value.__class__ is Closure and f.value.lam is lam:
                    env = self.const(f.value.env).text if f.value.env is not None else "None"
                    self.loop_back(env, argv)
                    return
            else:
                fx = _obj(f.text)
                self.emit(f"if {fx}.__class__ is CLOSURE and {fx}.lam is SELF:")
                self.ns["SELF"] = lam
                self.ind += 1
                self.loop_back(f"{fx}.env", argv)
                self.ind -= 1
        self.emit(f"return TAIL({f.text}, [{', '.join(argv)}], {self.site(pc)})")
        self.returns.append(ANY)
        self.tc_emitted = True

    def loop_back(self, env: str, argv: list) -> None:
        params = self._params()
        envname = "e0" if self.code.materialized else "e"
        targets = [envname] + params
        values = [env] + argv
        self.emit(f"{', '.join(targets)} = {', '.join(values)}")
        self.emit("continue")

    # ---- primitives -------------------------------------------------------------------------

    def prim(self, p: Primitive, ins: list, pc: int, st: list, tail: bool = False) -> _Entry:
        """The entry for (p ins...) evaluated at pc; st is the stack below."""
        d = len(st)
        name = p.name
        n = len(ins)
        # operands must be evaluated once: names or literals
        texts = []
        for i, x in enumerate(ins):
            if x.kind == "expr" and not (x.type == INT or x.type == BOOL):
                self.emit(f"t{i} = {x.text}")
                x = _Entry(f"t{i}", "local", x.type)
            texts.append(x.text)
        types = [x.type for x in ins]
        at = pc + 1
        r = f"s{d}"
        if n == 2 and (name in _ARITH or name in _COMPARE):
            sym = _ARITH.get(name) or _COMPARE[name]
            x, y = texts
            expr = f"({x} {sym} {y})"
            rtype = INT if name in _ARITH else BOOL
            if types[0] == INT and types[1] == INT:
                return _Entry(expr, "expr", rtype)
            for i in (0, 1):
                if ins[i].kind == "expr":      # (operand temporaries: t0, t1)
                    self.emit(f"t{i} = {texts[i]}")
                    texts[i] = f"t{i}"
            x, y = texts
            expr = f"({x} {sym} {y})"
            guard = " and ".join(f"{_obj(t)}.__class__ is int" for t, ty in zip(texts, types)
                                 if ty != INT)
            fn = self.name(fast_function(p, 2), "P")
            self.emit(f"{r} = {expr} if {guard} else {fn}({x}, {y})", at, self.below(st, d),
                      tail)
            return _Entry(r, "local", BOOL if rtype == BOOL else ANY)
        if name in _FOLDABLE and all(x.kind == "const" for x in ins):
            return self.const(p.fn(*[x.value for x in ins]))
        if n == 1:
            x = texts[0]
            if name == "not":
                if ins[0].type == BOOL:
                    return _Entry(f"(not {x})", "expr", BOOL)
                return _Entry(f"({x} is False)", "expr", BOOL)
            if name == "null?":
                return _Entry(f"({x} is NIL)", "expr", BOOL)
            if name in _NARROWS:
                # (exact-integer?: a bool's class is bool, not int; vectors
                # are Python lists)
                pyclass, known = _NARROWS[name]
                e = _Entry(f"({_obj(x)}.__class__ is {pyclass})", "expr", BOOL)
                slot = _slot_of(ins[0])
                if slot is not None and slot not in self.unit.boxed:
                    e.narrow = (slot, known)
                return e
            if name == "vector-length":
                if types[0] == VEC:
                    return _Entry(f"len({x})", "expr", INT)
                fn = self.name(p.fn, "P")
                self.emit(f"{r} = len({x}) if {_obj(x)}.__class__ is list else {fn}({x})",
                          at, self.below(st, d), tail)
                return _Entry(r, "local", INT)
            if name in ("car", "cdr"):
                if types[0] == PAIR:         # (read now: it may be set later)
                    self.emit(f"{r} = {x}.{name}")
                    return _Entry(r, "local")
                if ins[0].kind == "expr":
                    self.emit(f"t0 = {x}")
                    x = "t0"
                fn = self.name(p.fn, "P")
                self.emit(f"{r} = {_obj(x)}.{name} if {_obj(x)}.__class__ is PAIR else {fn}({x})",
                          at, self.below(st, d), tail)
                return _Entry(r, "local")
        if n == 2 and name == "char=?":
            x, y = (_obj(t) for t in texts)
            fn = self.name(p.fn, "P")
            self.ns["CHAR"] = Char
            self.emit(f"{r} = ({x}.c == {y}.c) if {x}.__class__ is CHAR and {y}.__class__ is CHAR "
                      f"else {fn}({texts[0]}, {texts[1]})", at, self.below(st, d), tail)
            return _Entry(r, "local", BOOL)
        if name in ("vector-ref", "vector-set!") and n == (2 if name == "vector-ref" else 3):
            # vectors are Python lists, whose length never changes: a
            # constant index into a constant vector needs no check
            v, k = texts[0], texts[1]
            kconst = ins[1].value if ins[1].kind == "const" else None
            if (ins[0].kind == "const" and types[0] == VEC and kconst.__class__ is int and
                    0 <= kconst < len(ins[0].value)):
                if n == 3:
                    self.emit(f"{v}[{k}] = {texts[2]}")
                    return _Entry("UNSPECIFIED", "const", ANY, UNSPECIFIED)
                self.emit(f"{r} = {v}[{k}]")      # (read now: it may be set later)
                return _Entry(r, "local")
            # otherwise the list and a non-negative integer are checked, and
            # an index past the end caught (try costs nothing in 3.11; len()
            # would be a call): the primitive then raises the SX error
            fn = self.name(p.fn, "P")
            below = self.below(st, d)
            slow = f"{r} = {fn}({', '.join(texts)})"
            if ins[1].kind == "const" and (kconst.__class__ is not int or kconst < 0):
                self.emit(slow, at, below, tail)       # (the primitive's error)
                return _Entry(r, "local")
            test = [] if types[0] == VEC else [f"{_obj(v)}.__class__ is list"]
            if ins[1].kind != "const":
                if types[1] != INT:
                    test.append(f"{_obj(k)}.__class__ is int")
                test.append(f"{k} >= 0")
            if test:
                self.emit(f"if {' and '.join(test)}:")
                self.ind += 1
            self.emit("try:")
            if n == 2:
                self.emit(f"    {r} = {v}[{k}]")
            else:
                self.emit(f"    {v}[{k}] = {texts[2]}")
                self.emit(f"    {r} = UNSPECIFIED")
            self.emit("except IndexError:")
            self.emit(f"    {slow}", at, below, tail)
            if test:
                self.ind -= 1
                self.emit("else:")
                self.emit(f"    {slow}", at, below, tail)
            return _Entry(r, "local")
        if n == 2 and name == "eq?":
            # eq? is identity except on integers and characters: against
            # any other constant it is `is`; otherwise identity is tried first
            # (a number written into the Python text is a new object, and
            # `is` with it a SyntaxWarning: those go through EQ)
            x, y = texts
            if any(e.kind == "const" and e.value.__class__ in (int, float, complex, Fraction, Char)
                   for e in ins):
                return _Entry(f"EQ({x}, {y})", "expr", BOOL)
            if any(e.kind == "const" for e in ins):
                return _Entry(f"({x} is {y})", "expr", BOOL)
            # (EQ differs from `is` only on integers and characters)
            return _Entry(f"({x} is {y} or {_obj(x)}.__class__ in EQV and EQ({x}, {y}))",
                          "expr", BOOL)
        if n == 2 and name == "cons":
            # (not Pair(...): a constructor call costs three times as much)
            self.emit(f"tp = NEW(PAIR); tp.car = {texts[0]}; tp.cdr = {texts[1]}; {r} = tp")
            return _Entry(r, "local", PAIR)
        fn = self.name(fast_function(p, n), "P")
        self.emit(f"{r} = {fn}({', '.join(texts)})", at, self.below(st, d), tail)
        return _Entry(r, "local")


_FOLDABLE = frozenset(("not", "null?", "pair?", "eq?"))
_STACK_LOCAL = re.compile(r"\bs(\d+)\b")


def _slot_of(e: _Entry):
    """The slot an entry reads, if it is a plain slot read."""
    t = e.text
    if e.kind == "local" and t[0] == "l" and t[1:].isdigit():
        return int(t[1:])
    return None


def _snapshot_item(x) -> str:
    """A slot variable's value for a closure's frames (see code.py)."""
    if x is None:
        return "UNASSIGNED"
    return f"l{x[0]}" if x.__class__ is tuple else f"l{x}"


def _obj(text: str) -> str:
    """text where an attribute can follow it (`5.car` is not Python)."""
    return text if text.isidentifier() else f"({text})"


def _arity_ok(p: Primitive, n: int) -> bool:
    return n in p.arity
