"""Tier 1: the bytecode VM.

Runs code objects with heap frames: an SX call never recurses in Python.
A call from compiled code to compiled code pushes a `VMK` frame (the code,
the pc to resume at, the slots, the operand stack and the environment) on
the continuation chain every tier shares, and switches to the callee inside
this loop; a return pops it. Anything else (an interpreted closure, a control
primitive, a continuation) goes through the machine's `apply`, and a state
this loop does not run goes back to the machine's driver, which hands VM
frames back here (`VMK.resume`). So a continuation is one chain that freely
mixes CEK and VM frames (invariant 2).

A VMK frame is never changed once pushed. Resuming one copies its operand
stack, and its slots too when an instruction after the resume point may
write a slot, so a continuation re-entered many times always resumes from
what it captured; variables that can be assigned are boxes or environment
frames, which are shared, as they are in the interpreter.
"""

from __future__ import annotations

from ..bytecode import code as op
from ..bytecode.code import Code
from ..errors import SchemeError
from ..machine import Frame, frame_at
from ..machine.errors import (MAX_DEPTH, arity_error, check_depth, out_of_memory, too_deep,
                              unassigned_error, unbound_error, unbound_set_error)
from ..values import UNASSIGNED, UNBOUND, Closure, Primitive, name_procedure, py_to_list


class VMK(Frame):
    """A suspended VM activation: resume `code` at `pc` with value pushed."""

    __slots__ = ("code", "pc", "L", "S", "e")

    def __init__(self, nxt, code, pc, L, S, e) -> None:
        self.next = nxt
        # (a frame rebuilt from generated code has no next yet: link sets both)
        self.depth = (0 if nxt is None else nxt.depth) + len(code.ctx[pc - 1])
        self.code = code
        self.pc = pc
        self.L = L
        self.S = S
        self.e = e

    def resume(self, m, v):
        """Return v into this activation."""
        code, pc = self.code, self.pc
        L = self.L if pc > code.last_write else self.L.copy()
        S = self.S.copy()
        S.append(v)
        return run(m, code, pc, L, S, self.e, self.next)

    def pending(self) -> tuple:
        return self.code.ctx[self.pc - 1]   # the interpreter frames it stands for


def activation(code: Code, f: Closure, args: list):
    """The slots and environment of a new activation of `code` (args is a
    fresh list the activation may keep)."""
    n = len(args)
    lam = f.lam
    if n < lam.nreq or n > lam.max_args:
        arity_error(f, n)
    if code.rest:
        rest = py_to_list(args[code.nreq:])
        del args[code.nreq:]
        args.append(rest)
    if code.materialized:
        return [None] * code.nslots, [f.env] + args
    if code.nslots > len(args):
        args.extend([None] * (code.nslots - len(args)))
    return args, f.env


def enter(m, code: Code, e, k):
    """Run a code object from its start; e is (slots, environment)."""
    L, env = e
    return run(m, code, 0, L, [], env, k)


def run(m, code: Code, pc: int, L: list, S: list, e, k):
    """Execute from `pc` until control leaves compiled code; returns the
    machine's next state (c, e, k, v)."""
    tm = m.tiers
    pyt = tm.py_threshold
    ops, A = code.ops, code.args
    push = S.append
    tr = m.trace
    LOCAL, GLOBAL, CONST, CALL, JUMP_IF_FALSE, RETURN, TAIL_CALL, ENV, JUMP, POP, BOXREF = (
        op.LOCAL, op.GLOBAL, op.CONST, op.CALL, op.JUMP_IF_FALSE, op.RETURN, op.TAIL_CALL,
        op.ENV, op.JUMP, op.POP, op.BOXREF)
    PRIMCALL, CALLPRIM, PRIM1_L, PRIM2_LC, PRIM2_LL, CONTINUE, BREAK = (
        op.PRIMCALL, op.CALLPRIM, op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL, op.CONTINUE,
        op.BREAK)
    new = object.__new__
    try:
        while True:
            o = ops[pc]
            a = A[pc]
            pc += 1
            if o == LOCAL:
                push(L[a])
                continue
            if o == GLOBAL:
                v = a.value
                if v is UNBOUND:
                    unbound_error(a)
                push(v)
                continue
            if o == CONST:
                push(a)
                continue
            if o == PRIM2_LC:
                # (prim local constant), e.g. (- n 1): no pushes at all
                cell, f, fn, x, y = a
                if cell.value is f:
                    x = L[x]
                    if tr is not None:
                        m.trace_call(f, [x, y], "vm ")
                    push(fn(x, y))
                    continue
                S.extend((cell.value, L[x], y))
                o = CALL
                a = 2
            elif o == PRIM1_L:
                cell, f, fn, x = a
                if cell.value is f:
                    x = L[x]
                    if tr is not None:
                        m.trace_call(f, [x], "vm ")
                    push(fn(x))
                    continue
                S.extend((cell.value, L[x]))
                o = CALL
                a = 1
            elif o == PRIM2_LL:
                cell, f, fn, x, y = a
                if cell.value is f:
                    x = L[x]
                    y = L[y]
                    if tr is not None:
                        m.trace_call(f, [x, y], "vm ")
                    push(fn(x, y))
                    continue
                S.extend((cell.value, L[x], L[y]))
                o = CALL
                a = 2
            elif o == PRIMCALL:
                cell, f, n, fn = a
                if cell.value is f:
                    if tr is not None:
                        m.trace_call(f, S[len(S) - n:], "vm ")
                    if n == 2:
                        y = S.pop()
                        push(fn(S.pop(), y))
                    elif n == 1:
                        push(fn(S.pop()))
                    elif n:
                        args = S[-n:]
                        del S[-n:]
                        push(fn(*args))
                    else:
                        push(fn())
                    continue
                # the global was redefined: an ordinary call of its value
                S.insert(len(S) - n, cell.value)
                o = CALL
                a = n
            elif o == CALLPRIM:
                f, n, fn = a
                if S[-n - 1] is f:   # the operator is still that primitive
                    if tr is not None:
                        m.trace_call(f, S[-n:], "vm ")
                    # (everything is popped before the call: if it raises,
                    # the stack is the continuation of the call)
                    if n == 2:
                        y = S.pop()
                        x = S.pop()
                        S.pop()
                        push(fn(x, y))
                    else:
                        args = S[-n:]
                        del S[-n - 1:]
                        push(fn(*args))
                    continue
                o = CALL
                a = n
            if o == CALL or o == TAIL_CALL:
                f = S[-a - 1]
                fc = f.__class__
                if fc is Primitive and f.control is None:
                    if tr is not None:
                        m.trace_call(f, S[len(S) - a:], "vm ")
                    if a < f.min_args or a > f.max_args:
                        arity_error(f, a)
                    if a:
                        args = S[-a:]
                        del S[-a - 1:]
                    else:
                        args = ()
                        S.pop()
                    v = f.fn(*args)
                    if o == CALL:
                        push(v)
                        continue
                    # a tail call to a primitive: return its value (below)
                else:
                    args = S[-a:] if a else []
                    del S[-a - 1:]
                    if fc is Closure:
                        # Compiled and not excluded: switch to it here.
                        # (Otherwise the interpreter's apply counts the
                        # call and may compile it, or runs it interpreted.)
                        c2 = f.lam.code
                        # (past the tier-2 threshold: through apply, which promotes)
                        if (c2 is not None and not tm.filtered and f.lam.pyl is None
                                and (c2.calls < pyt or not c2.pyok)):
                            if tr is not None:
                                m.trace_call(f, args, "vm ")
                            c2.calls += 1
                            if a == c2.nreq and not c2.rest and not c2.materialized:
                                if c2.nslots > a:
                                    args.extend([None] * (c2.nslots - a))
                                e2 = f.env
                            else:
                                args, e2 = activation(c2, f, args)
                            if o == CALL:
                                # (VMK(...) inlined: measured 180 vs 290 ns)
                                f = new(VMK)
                                f.next = k
                                f.depth = depth = k.depth + len(code.ctx[pc - 1])
                                if depth > MAX_DEPTH:
                                    check_depth(depth)
                                f.code = code
                                f.pc = pc
                                f.L = L
                                f.S = S
                                f.e = e
                                k = f
                            code = c2
                            ops, A = code.ops, code.args
                            pc = 0
                            L = args
                            e = e2
                            S = []
                            push = S.append
                            continue
                    # anything else: through the machine's apply
                    # (which traces the call itself)
                    if o == CALL:
                        k = VMK(k, code, pc, L, S, e)
                    m.cur = code.nodes[pc - 1]
                    try:
                        c, e2, k, v = m.apply(f, args, k)
                    except SchemeError as err:
                        # (a control primitive's error: k already is this
                        # activation after the call, or its continuation for
                        # a tail call; _here below would add it twice)
                        if err.at is None:
                            err.at = k
                        raise
                    tr = m.trace                # (vm-trace thunk) switches it
                    if c is not None:
                        if c.__class__ is not Code:
                            return c, e2, k, v
                        code = c
                        ops, A = code.ops, code.args
                        pc = 0
                        L, e = e2
                        S = []
                        push = S.append
                        continue
                    # a value for k: return it (below)
            elif o == JUMP_IF_FALSE:
                if S.pop() is False:
                    pc = a
                continue
            elif o == RETURN:
                v = S[-1]
            elif o == ENV:
                x = e
                d = a[0]
                while d:
                    x = x[0]
                    d -= 1
                push(x[a[1]])
                continue
            elif o == JUMP or o == BREAK:
                pc = a
                continue
            elif o == CONTINUE:
                if tr is not None:
                    trace_loop(m, code, a - 1, L, e)
                pc = a
                continue
            elif o == POP:
                S.pop()
                continue
            elif o == BOXREF:
                push(L[a][0])
                continue
            else:
                e = rare(m, o, a, code, pc, L, S, e)
                continue

            # ---- return v to k ----
            if k.__class__ is VMK:
                code, pc, e = k.code, k.pc, k.e
                L = k.L if pc > code.last_write else k.L.copy()
                S = k.S.copy()
                S.append(v)
                push = S.append
                ops, A = code.ops, code.args
                k = k.next
                continue
            return None, None, k, v
    except SchemeError as err:
        # Raised by an instruction or a primitive: an SX raise whose
        # continuation is this activation after the instruction (so a
        # handler's value for raise-continuable lands where the call was),
        # or, for a tail call, the activation's own continuation.
        # The machine's driver signals it (one place does, so an error with no
        # handler is annotated once, with this continuation).
        if err.at is None:       # (else raised in generated code, which located it)
            m.cur = code.nodes[pc - 1]
            err.at = _here(code, pc, L, S, e, k)
        raise
    except (RecursionError, MemoryError) as ex:   # (a primitive on deep or huge data)
        m.cur = code.nodes[pc - 1]
        err = too_deep() if ex.__class__ is RecursionError else out_of_memory()
        err.at = _here(code, pc, L, S, e, k)
        raise err

def trace_loop(m, code, at: int, L, e) -> None:
    """An inlined loop's iteration starts (LOOP at `at`): traced as the
    call of the loop procedure it stands for."""
    lam = code.nodes[at]
    slots = code.args[at][1]
    if slots or not lam.params:
        args = [L[s][0] if v.assigned else L[s] for s, v in zip(slots, lam.params)]
    else:                  # (the loop's variables are in a frame)
        args = e[1:]
    m.trace_call(Closure(lam, None), args, "vm ")

def _here(code, pc, L, S, e, k):
    if code.ops[pc - 1] == op.TAIL_CALL:
        return k
    return VMK(k, code, pc, L, S, e)

def rare(m, o, a, code, pc, L, S, e):
    """The less frequent instructions; returns the (possibly new) environment."""
    if o == op.CLOSURE:
        lam, snapshot = a
        env = e
        for b in snapshot:     # the slot binders' frames, as they are now
            env = [env] + [UNASSIGNED if x is None else L[x[0]][0] if x.__class__ is tuple
                           else L[x] for x in b]
        S.append(Closure(lam, env))
    elif o == op.SET_BOX:
        L[a][0] = S.pop()
    elif o == op.BIND:
        L[a] = S.pop()
    elif o == op.BIND_BOX:
        L[a] = [S.pop()]
    elif o == op.SET_ENV:
        frame_at(e, a[0])[a[1]] = S.pop()
    elif o == op.FRAME:
        if a:
            vals = S[-a:]
            del S[-a:]
            return [e] + vals
        return [e]
    elif o == op.FRAME_REC:
        return [e] + [UNASSIGNED] * a
    elif o == op.UNFRAME:
        return e[0]
    elif o == op.BOXREF_CHK:
        v = L[a][0]
        if v is UNASSIGNED:
            unassigned_error(code.nodes[pc - 1].var)
        S.append(v)
    elif o == op.ENV_CHK:
        v = frame_at(e, a[0])[a[1]]
        if v is UNASSIGNED:
            unassigned_error(code.nodes[pc - 1].var)
        S.append(v)
    elif o == op.SET_GLOBAL:
        if a.value is UNBOUND:
            unbound_set_error(a)
        a.assign(S.pop())
    elif o == op.DEFINE:
        v = S.pop()
        a.assign(v)
        name_procedure(v, a.name)
    elif o == op.BOX_PARAM:
        L[a] = [L[a]]
    elif o == op.BOX_UNASSIGNED:
        L[a] = [UNASSIGNED]
    elif o == op.LOOP:
        if m.trace is not None:
            trace_loop(m, code, pc - 1, L, e)
    else:
        raise TypeError(f"VM: unknown opcode {o}")
    return e

