"""Calls, and the globals tier 2 assumes constant.

A global that holds a procedure (or a boolean or a fixnum-sized integer
that nothing assigned since its definition) is a constant of the generated
code: the unit watches its cell (`unit.deps`) and is invalidated when it is
assigned (unit.py). So:

- a call of a primitive is lowered inline (emitters.py);
- a call of a closure whose lambda has generated code is a direct Python
  call of that code's entry (`D0(env, x)`, `F(...)` for a self call); the
  callee records the caller, to repoint the name to a generic stub if the
  callee is invalidated. The callee is compiled first when it can be
  (`promote`), so that the call can be direct;
- any other call tests for a closure with generated code of that arity at
  run time, and otherwise runs the procedure in a nested machine run
  (`SLOW`);
- after every non-tail call, `if not VALID: DEOPT(r)`: the call may have
  invalidated this unit; the activation then goes on in the VM.

A tail call of the procedure itself is `continue` of the `while True:`
around the body; a tail call of a known procedure that makes no tail calls
is a direct call (`direct_tail`); other tail calls return a TC that the
caller bounces.
"""

from __future__ import annotations

from ...bytecode import code as op
from ...values import Closure
from ...values import UNBOUND, Primitive
from .runtime import stub
from .emitters import lower, lowers
from .locals import CONST, below, obj, push, reads_of, simple, slot_entry, stack_entry
from .types import ANY


def global_ref(g, pc: int, cell, st: list) -> None:
    """GLOBAL: a procedure, or a flag, an integer or a vector never assigned
    since its definition (a size, a modulus: an INT, so `(modulo x size)` is
    `x % 101`; a table or a state vector, whose slots are then read at a
    constant index with no check), is assumed constant (the unit watches the
    cell); anything else is read from the cell, checked when it was unbound
    at translation time."""
    v = cell.value
    if isinstance(v, (Primitive, Closure)) or cell.sets <= 1 and (
            v is True or v is False or v.__class__ is int and v.bit_length() <= 64
            or v.__class__ is list):
        g.unit.deps.add(cell)
        e = g.names.const(v)
        e.cell = cell
        st.append(e)
        return
    d = len(st)
    c = g.names.name(cell, "C")
    g.src.assign(d, f"{c}.value", ())
    if v is UNBOUND:
        g.src.line(f"if s{d} is UNBOUND: UNBOUND_ERR({c})", pc + 1, below(g.src, st, d))
    st.append(stack_entry(d))


def primitive_call(g, pc: int, a, st: list) -> None:
    """PRIMCALL, PRIM1_L, PRIM2_LC, PRIM2_LL: a call of the primitive the
    bytecode compiler found in a global. If the cell holds something else by
    now, an ordinary call of that."""
    o = g.code.ops[pc]
    cell, prim = a[0], a[1]
    if o == op.PRIMCALL:
        d = len(st)
        n = a[2]
        ins = st[d - n:]
        del st[d - n:]
    else:
        ins = [slot_entry(a[3], g.types.of(a[3]))]
        if o == op.PRIM2_LC:
            ins.append(g.names.const(a[4]))
        elif o == op.PRIM2_LL:
            ins.append(slot_entry(a[4], g.types.of(a[4])))
    g.unit.deps.add(cell)
    v = cell.value
    if v is not prim:
        f = g.names.const(v)
        f.cell = cell
        st.append(f)
        st.extend(ins)
        call(g, pc, len(ins), st)
    else:
        push(g.src, st, lower(g, prim, ins, pc, st))


def primitive_operator(g, pc: int, a, st: list) -> None:
    """CALLPRIM: a call whose operator the bytecode compiler expected to be
    this primitive; inline when the operator is the constant primitive."""
    prim, n = a[0], a[1]
    d = len(st)
    f = st[d - n - 1]
    if f.kind == CONST and f.value is prim:
        ins = st[d - n:]
        del st[d - n - 1:]
        push(g.src, st, lower(g, prim, ins, pc, st))
    else:
        call(g, pc, n, st)


def call(g, pc: int, n: int, st: list) -> None:
    """A non-tail call of st[-n-1] with the n entries above it."""
    src = g.src
    d = len(st) - n - 1
    safe = below(src, st, d)
    f = st[d]
    ins = st[d + 1:]
    argv = [x.text for x in ins]     # (deferred entries are pure: inline them)
    del st[d:]
    at = pc + 1
    r = f"s{d}"
    # the callee's continuation: this activation's and the interpreter
    # frames pending here (what the VM frame rebuilt at `at` stands for)
    dp = f"dp + {len(g.code.ctx[pc])}"
    rtype = ANY
    done = False
    if f.kind == CONST:
        v = f.value
        if v.__class__ is Primitive:
            if lowers(v, n):
                push(src, st, lower(g, v, ins, pc, st))
                return
        elif v.__class__ is Closure:
            target = known(g, v)
            entry_args = direct_args(v.lam, argv)
            if target is not None and entry_args is not None:
                argv = entry_args
                fn = direct_name(g, target, f.cell, pc)
                # a typed copy's self call with arguments of its type: the
                # copy itself, returning its type (the fixpoint checks that)
                typed = (target is g.unit and g.ptype is not None and
                         all(ins[p].type == g.ptype for p in g.spec))
                if typed:
                    fn = g.fname
                env = g.names.const(v.env).text if v.env is not None else "None"
                src.assign(d, f"{fn}({', '.join([env, dp] + argv)})", reads_of(ins), at, safe)
                if target.returns_tc:
                    src.line(f"if {r}.__class__ is TC: {r} = BOUNCE({r}, {dp})", at, safe)
                done = True
                if typed and g.ptype in g.assume.typed_return:
                    rtype = g.ptype
    if not done:
        fx = obj(f.text)
        args = ", ".join(argv)
        src.line(f"if {fx}.__class__ is CLOSURE and {fx}.lam.pyk == {n}:")
        src.line(f"    {r} = {fx}.lam.pyf({fx}.env, {dp}{', ' if args else ''}{args})", at, safe)
        src.line(f"    if {r}.__class__ is TC: {r} = BOUNCE({r}, {dp})", at, safe)
        src.line(f"elif {fx}.__class__ is PRIM and {fx}.min_args <= {n} <= {fx}.plain_max:")
        src.line(f"    {r} = {fx}.fn({args})", at, safe)
        src.line("else:")
        src.line(f"    {r} = SLOW({fx}, [{args}], {site(g, pc)}, {dp})", at, safe)
    # an assumption may have broken during the call: go on in the VM
    src.line(f"if not VALID: DEOPT({r})", at, safe)
    st.append(stack_entry(d, rtype))


def tail_call(g, pc: int, n: int, st: list) -> None:
    """TAIL_CALL of st[-n-1] with the n entries above it."""
    src = g.src
    d = len(st) - n - 1
    f = st[d]
    argv = [simple(src, st, i) for i in range(d + 1, d + 1 + n)]
    ins = st[d + 1:]
    below(src, st, d)
    del st[d:]
    lam = g.lam
    if f.kind == CONST and f.value.__class__ is Primitive and lowers(f.value, n):
        r = lower(g, f.value, ins, pc, st, tail=True)
        src.line(f"return {r.text}")
        g.returned(r.type)
        return
    # (a self call is `continue` of the loop around the whole body, so
    # not inside an inlined loop's `while`)
    if (lam is not None and g.loop and not g.loops and lam.rest is None
            and n == lam.nreq):
        if f.kind == CONST:
            if f.value.__class__ is Closure and f.value.lam is lam:
                env = g.names.const(f.value.env).text if f.value.env is not None else "None"
                loop_back(g, env, argv)
                return
        else:
            fx = obj(f.text)
            src.line(f"if {fx}.__class__ is CLOSURE and {fx}.lam is SELF:")
            g.unit.ns["SELF"] = lam
            src.ind += 1
            loop_back(g, f"{fx}.env", argv)
            src.ind -= 1
    if f.kind == CONST and f.value.__class__ is Closure and direct_tail(g, f, argv, pc):
        return
    if f.kind != CONST or f.value.__class__ is Closure:
        bounded_tail(g, obj(f.text), argv)
    src.line(f"return TAIL({f.text}, [{', '.join(argv)}], {site(g, pc)})")
    g.returned(ANY)
    g.tail_calls = True


def bounded_tail(g, fx: str, argv: list) -> None:
    """A tail call of a procedure with generated code, while fewer than
    MAX_TD such calls are in progress (runtime.TailDepth), is a plain call
    of its code: no TC to allocate and bounce. Past that it is a TC, so the
    Python stack stays bounded and tail calls run in constant space. The
    call's line stands for no VM frame (the callee's continuation is this
    activation's)."""
    src = g.src
    n = len(argv)
    src.line(f"if {fx}.__class__ is CLOSURE and {fx}.lam.pyk == {n} and TD.n < MAX_TD:")
    src.line("    TD.n += 1")
    src.line("    try:")
    src.line(f"        return {fx}.lam.pyf({', '.join([f'{fx}.env', 'dp'] + argv)})")
    src.no_frame()
    src.line("    finally:")
    src.line("        TD.n -= 1")


def direct_tail(g, f, argv: list, pc: int) -> bool:
    """A tail call of a known procedure whose code makes no tail call but to
    itself (`tail_free`) is a plain direct call, `return D0(env, dp, x)`:
    no TC to allocate and bounce. It takes one Python frame more than the
    VM's tail call, and only one: this unit is not tail_free, so no chain of
    such calls can form, and tail calls stay in constant space. The line
    stands for no VM frame (the callee's continuation is this activation's).
    Whether it wrote the call."""
    v = f.value
    target = known(g, v)
    argv = direct_args(v.lam, argv)
    if target is None or target is g.unit or not target.tail_free or argv is None:
        return False
    fn = direct_name(g, target, f.cell, pc)
    env = g.names.const(v.env).text if v.env is not None else "None"
    g.src.line(f"return {fn}({', '.join([env, 'dp'] + argv)})")
    g.src.no_frame()
    g.returned(ANY)
    g.direct_tails = True
    return True


def direct_args(lam, argv: list):
    """The arguments of a direct call of lam's generated entry, F(env, dp,
    ...): argv, with any rest arguments as the fresh list the entry takes;
    None when the arity is wrong (the generic call reports it)."""
    n, k = len(argv), lam.nreq
    if lam.rest is None:
        return argv if n == k else None
    if n < k:
        return None
    return argv[:k] + [f"LIST([{', '.join(argv[k:])}])" if n > k else "NIL"]


def loop_back(g, env: str, argv: list) -> None:
    """A self tail call: new arguments, and round the body's loop again."""
    targets = [g.env] + g.params
    values = [env] + argv
    g.src.line(f"{', '.join(targets)} = {', '.join(values)}")
    g.src.line("continue")


def known(g, v: Closure):
    """The unit a known closure's calls can go straight to (compiling it now
    if the tier manager wants), or None."""
    lam = v.lam
    if lam is g.lam:
        return g.unit
    if lam.unit is None and g.promote is not None:
        g.promote(lam)
    return lam.unit


def direct_name(g, target, cell, pc: int) -> str:
    """The name a direct call of target's entry goes through: F for a self
    call; else D{n}, which target repoints to a stub if it is invalidated."""
    if target is g.unit:
        return "F"
    n = f"D{len(g.direct)}"
    g.unit.ns[n] = target.entry
    g.direct.append((target, n, stub(cell, g.code.nodes[pc], target.code.nreq,
                                             target.code.rest)))
    return n


def site(g, pc: int) -> str:
    """The IR node of pc, which a nested run or a tail call is located at."""
    return g.names.name(g.code.nodes[pc], "N")
