"""What tier-2 code (the Python functions this package generates) runs on.

Generated code runs on the Python stack, so the heap-frame protocol of the
CEK and the VM does not see it. It joins that protocol like this:

- Calls. A call to a procedure that has generated code calls its Python
  function directly (`lam.pyf(env, dp, args...)`: a plain function, so
  CPython runs it without the C stack; `dp` is the depth of the callee's
  continuation, which it checks against the one recursion limit). Anything
  else (an interpreted or VM-compiled procedure, a control primitive such as
  call/cc) runs in a *nested* machine run (`Machine.run_nested`), whose frame
  chain ends in a `NestK` boundary.
- Tail calls other than self calls (which are loops) return a `TC` to the
  caller, which bounces it (`bounce`): a trampoline, so a tail-call loop
  through several procedures runs in constant space.
- Capture. `call/cc`, `perform`, a continuation jump or an error inside a
  nested run, and any SX error raised in generated code, propagate as a
  Python exception (`Unwind`, or the raw `SchemeError` until the first
  catcher wraps it). The catcher is `call_py` (where the machine calls
  generated code): it walks the exception's traceback, and for every
  generated frame in it builds the equivalent VM frame (`VMK`) from the
  line's safepoint (pc after the call, operand-stack contents) and the
  frame's locals (slots, environment). A nested catcher adds its own heap
  chain and re-raises; the outermost one links the whole chain and carries
  out the request (apply the call/cc receiver, suspend, jump, signal the
  error) with the VM continuing where generated code stopped. No computation
  is ever re-run: each frame resumes exactly after the call it was in.
- Assumptions. Generated code treats the procedures in the global cells it
  calls as constants (a direct call of `fib`, an inline `+`). Each unit
  watches those cells; assigning one (`Cell.assign`) invalidates it (its entry points
  are removed, direct calls to it are repointed to generic stubs, and its
  `VALID` flag goes false, which every running activation checks after each
  call: it then deoptimises to the VM, resuming after that call).
"""

from __future__ import annotations

import sys

from ...errors import SchemeError
from ...machine import CURRENT as CUR, Mark, Suspension, Unwind, as_unwind, link, wind_steps
from ...machine.control import spread
from ...machine.errors import MAX_DEPTH, arity_error, check_depth, within_depth
from ...machine.frames import CallWithValuesK, HandlersK, new_frame
from ...runtime.registry import PRIMITIVES
from ...values import Closure, Continuation, MultipleValues, Pair, Primitive, Procedure
from ...vm.run import VMK


class TC:
    """A tail call returned by generated code to its caller (the trampoline)."""

    __slots__ = ("f", "args", "site")


def tail_call(f, args, site):
    t = _new(TC)
    t.f = f
    t.args = args
    t.site = site
    return t


_new = object.__new__


class TailDepth:
    """How many direct tail calls of unknown procedures (calls.tail_call)
    are in progress on the Python stack: past MAX_TAIL_DEPTH they return a
    TC instead, so a chain of tail calls takes bounded Python stack and
    tail calls run in constant space. (One counter per process: a program
    runs on one thread at a time.)"""

    __slots__ = ("n",)

    def __init__(self) -> None:
        self.n = 0


MAX_TAIL_DEPTH = 64
TAIL_DEPTH = TailDepth()


# id(f_code) of every generated function -> (f_code, its Unit). By identity:
# code objects compare equal by content, and two units may generate the
# same text (which made a frame of one be rebuilt as the other's).
PYCODES: dict = {}


def deopt(v):
    raise Unwind("deopt", v, [])


# ---- calls from generated code ------------------------------------------------------

def slow(f, args: list, site, dp: int):
    """Call anything but a generated procedure of exactly this many required
    arguments (that is inline): one with rest arguments, a primitive, a
    procedure still in a lower tier, a control primitive, a continuation.
    dp: the depth of the call's continuation."""
    fc = f.__class__
    if fc is Closure:
        lam = f.lam
        if lam.pyl is not None and lam.rest is not None and len(args) >= lam.nreq:
            r = lam.pyl(f.env, dp, args)
            return bounce(r, dp) if r.__class__ is TC else r
    elif fc is Primitive and f.control is None:
        return call_primitive(f, args)
    elif fc is Continuation and CUR.m.trace is None:
        escape(f, args, site)
    return CUR.m.run_nested(f, args, site, dp)


def call_primitive(f, args: list):
    """A plain primitive's call: its arity checked, then its function."""
    n = len(args)
    if n < f.min_args or n > f.max_args:
        arity_error(f, n)
    return f.fn(*args)


def escape(k, args: list, site):
    """Invoke continuation k from generated code: what the machine's throw
    does in a nested run (an Unwind to the outermost run, or to the
    escape-only call/cc that made k), without starting one."""
    value = args[0] if len(args) == 1 else MultipleValues(list(args))
    raise Unwind("escape", (k, value), [], site=site)


def callcc(f, site, dp: int):
    """(call/cc f) in generated code, escape-only until shown otherwise:
    the continuation is made without its frames, and invoking it within
    f's extent is an exception caught here (after the winders left), with
    no frame rebuilt. Its frames are built only when it needs them:
    - anything else unwinding through here (an error, a capture, a
      perform, a deoptimisation) is collected by a catcher, which finds
      this Python frame and gives k the frames outside it (collect,
      unwind.Mark); such an unwind is `full`, so no escape-only call/cc
      further out may cut it short;
    - if k outlives the extent (anything still refers to it once f has
      returned or escaped), this frame unwinds as a deoptimisation with
      the value: its callers become VM frames, k gets them, and the VM
      goes on with the value, exactly where generated code would have."""
    m = CUR.m
    k = Continuation(None, m.winders, m.handlers)
    try:
        if f.__class__ is Closure and f.lam.pyk == 1:
            r = f.lam.pyf(f.env, dp, k)
            if r.__class__ is TC:
                # f's tail call of k itself, `(return x)`, is a return of x:
                # its continuation is k (no exception, no winding)
                if r.f is k and m.winders is k.winders and m.handlers is k.handlers:
                    a = r.args
                    r = a[0] if len(a) == 1 else MultipleValues(list(a))
                else:
                    r = bounce(r, dp)
        else:
            r = slow(f, [k], site, dp)
    except Unwind as u:
        if u.kind != "escape" or u.payload[0] is not k or u.full:
            u.full = True
            raise
        r = u.payload[1]
        # The frames the escape passed through (a nested run's among them)
        # refer to k and to u in a cycle that only the garbage collector
        # would break: let go of them now, so that k's count below is of
        # what really outlives the extent.
        u.__traceback__ = u.segs = None
        leave_extent(m, k, site, dp)
    # (2: the local and getrefcount's argument)
    if sys.getrefcount(k) > 2:
        raise Unwind("deopt", r, [])
    return r


def callcc_tail(f, prim, site, dp: int):
    """(call/cc f) in a tail position: callcc while fewer than MAX_TAIL_DEPTH
    direct tail calls are in progress (its continuation is its caller's),
    else a tail call of prim, call/cc itself."""
    td = TAIL_DEPTH
    if td.n >= MAX_TAIL_DEPTH:
        return tail_call(prim, [f], site)
    td.n += 1
    try:
        return callcc(f, site, dp)
    finally:
        td.n -= 1


CALLCC_CODE = callcc.__code__


def with_handler(handler, thunk, prim, site, dp: int):
    """(with-exception-handler handler thunk) in generated code: the
    handler pushed, the thunk called as any call from generated code, the
    handlers restored when it returns. No machine run, no frame: an error
    or a capture unwinding through here is collected (collect) with the
    machine's frame for it, a HandlersK that restores `saved`, so the
    chain is the one the machine would have built. A handler or thunk
    that is no procedure goes to the primitive (prim), for its error."""
    if not (isinstance(handler, Procedure) and isinstance(thunk, Procedure)):
        return slow(prim, [handler, thunk], site, dp)
    m = CUR.m
    saved = m.handlers
    m.handlers = Pair(handler, saved)
    r = call_thunk(thunk, site, dp)
    m.handlers = saved
    return r


WITH_HANDLER_CODE = with_handler.__code__


def call_thunk(f, site, dp: int):
    """(f) from generated code: f's generated code called directly when it
    has some, tail calls bounced; else as any call from generated code."""
    if f.__class__ is Closure and f.lam.pyk == 0:
        r = f.lam.pyf(f.env, dp)
        return bounce(r, dp) if r.__class__ is TC else r
    return slow(f, [], site, dp)


def call_with_values(producer, consumer, prim, site, dp: int):
    """(call-with-values producer consumer) in generated code: the producer
    called as any call from generated code, then the consumer on its
    values. An unwind through the producer's call is collected with the
    machine's frame for it, a CallWithValuesK (collect); through the
    consumer's call, with none (the machine's call of the consumer has
    call-with-values' continuation), which `consumer` set to None tells.
    A producer or consumer that is no procedure goes to the primitive
    (prim), for its error."""
    if not (isinstance(producer, Procedure) and isinstance(consumer, Procedure)):
        return slow(prim, [producer, consumer], site, dp)
    v = call_thunk(producer, site, dp)
    f, consumer = consumer, None
    args = list(v.vals) if v.__class__ is MultipleValues else [v]
    if f.__class__ is Closure and f.lam.pyl is not None:
        lam = f.lam
        if lam.nreq <= len(args) <= lam.max_args:
            r = lam.pyl(f.env, dp - 1, args)
            return bounce(r, dp - 1) if r.__class__ is TC else r
    return slow(f, args, site, dp - 1)


CALL_WITH_VALUES_CODE = call_with_values.__code__
VALUES = PRIMITIVES["values"]


def leave_extent(m, k, site, dp: int) -> None:
    """An escape to k from within its extent: run the after (and before)
    thunks between the winders in force and k's, then restore k's dynamic
    state, as the machine's throw does."""
    if m.winders is not k.winders:
        for thunk, winders in wind_steps(m.winders, k.winders):
            m.winders = winders
            r = slow(thunk, [], site, dp)
            if r.__class__ is TC:
                bounce(r, dp)
        m.winders = k.winders
    m.handlers = k.handlers
    within_depth(dp)


def apply_call(f, lst, site, dp: int):
    """(apply f lst) not in a tail position: the call of f on the list's
    elements, as a call from generated code makes it (no nested machine
    run when f has generated code)."""
    args = spread([], lst)
    if f.__class__ is Closure:
        lam = f.lam
        if lam.pyk == len(args):
            r = lam.pyl(f.env, dp, args)
            return bounce(r, dp) if r.__class__ is TC else r
    elif f is VALUES:
        return args[0] if len(args) == 1 else MultipleValues(args)
    return slow(f, args, site, dp)


def apply_tail(f, lst, site):
    """(apply f lst) in a tail position: the tail call, for the caller to
    bounce (so a loop through apply runs in constant space); of a plain
    primitive, its call now (it needs no continuation)."""
    if f.__class__ is Primitive:
        if f.control is None:
            return at_site(site, call_primitive, f, spread([], lst))
        if f is VALUES:             # (apply values lst): guard's body returning its values
            args = at_site(site, spread, [], lst)
            return args[0] if len(args) == 1 else MultipleValues(args)
    return tail_call(f, spread([], lst), site)


def bounce(r, dp: int):
    """Run tail calls until one returns a value (the trampoline); dp: the
    depth of their continuation, that of the call that returned r."""
    while True:
        f = r.f
        args = r.args
        if f.__class__ is Closure:
            lam = f.lam
            pyl = lam.pyl
            if pyl is not None:
                n = len(args)
                if n < lam.nreq or n > lam.max_args:
                    at_site(r.site, arity_error, f, n)
                if dp > MAX_DEPTH:
                    at_site(r.site, check_depth, dp)
                r = pyl(f.env, dp, args)
                if r.__class__ is not TC:
                    return r
                continue
        if f.__class__ is Primitive and f.control is None:
            return at_site(r.site, call_primitive, f, args)
        if f.__class__ is Continuation and CUR.m.trace is None:
            escape(f, args, r.site)
        return CUR.m.run_nested(f, args, r.site, dp)


def at_site(site, fn, *args):
    """fn(*args), an error from which is located at the tail call `site`
    (not at the caller's line, where the traceback would put it)."""
    try:
        return fn(*args)
    except SchemeError as err:
        CUR.m.cur = site
        raise Unwind("error", err, [])


def stub(cell, site, n: int, rest: bool = False):
    """What a direct call (at `site`, n arguments) to a unit that was
    invalidated becomes: a generic call of the cell's value. A plain Python
    function of fixed arity (a `*args` call would recurse on the C stack).
    `rest`: the unit took rest arguments, so the call passes n required
    ones and then the list of the others."""
    params = "".join(f", a{i}" for i in range(n))
    if rest:
        src = (f"def call(env, dp{params}, r):\n"
               f"    return bounce(tail_call(cell.value, spread([{params[2:]}], r), site), dp)\n")
    else:
        src = (f"def call(env, dp{params}):\n"
               f"    f = cell.value\n"
               f"    if f.__class__ is Closure and f.lam.pyk == {n}:\n"
               f"        r = f.lam.pyf(f.env, dp{params})\n"
               f"        return bounce(r, dp) if r.__class__ is TC else r\n"
               f"    return slow(f, [{params[2:]}], site, dp)\n")
    ns = {"cell": cell, "site": site, "Closure": Closure, "TC": TC, "bounce": bounce,
          "slow": slow, "spread": spread, "tail_call": tail_call}
    exec(src, ns)
    return ns["call"]


# ---- reifying generated frames ---------------------------------------------------------

def collect(ex, m) -> list:
    """The VM frames equivalent to the generated frames the exception passed
    through since its last catcher, innermost first, with a Mark where it
    passed an escape-only call/cc and a HandlersK where it passed a
    with-exception-handler (with_handler); cuts them off its traceback. Sets the
    error location if the exception is a raw error."""
    head = ex.__traceback__
    found = []
    t = head.tb_next if head is not None else None
    while t is not None:
        fc = t.tb_frame.f_code
        entry = PYCODES.get(id(fc))
        unit = entry[1] if entry is not None and entry[0] is fc else None
        if unit is not None:
            found.append((unit, t.tb_frame, t.tb_lineno))
        elif fc is CALLCC_CODE:
            found.append((None, t.tb_frame, 0))
        elif fc is WITH_HANDLER_CODE and "saved" in t.tb_frame.f_locals:
            found.append((HandlersK, t.tb_frame, 0))
        elif fc is CALL_WITH_VALUES_CODE and t.tb_frame.f_locals.get("consumer") is not None:
            found.append((CallWithValuesK, t.tb_frame, 0))
        t = t.tb_next
    if head is not None:
        head.tb_next = None
    found.reverse()
    frames = []
    raw = ex.__class__ is not Unwind
    for unit, frame, line in found:
        if unit is None:           # an escape-only call/cc: its continuation is outside
            frames.append(Mark(frame.f_locals["k"]))
            continue
        if unit is HandlersK:      # with_handler: leaving it restores the handlers
            frames.append(new_frame(HandlersK, None, handlers=frame.f_locals["saved"]))
            continue
        if unit is CallWithValuesK:    # call_with_values, in its producer's call
            frames.append(new_frame(CallWithValuesK, None, consumer=frame.f_locals["consumer"],
                                    site=frame.f_locals["site"]))
            continue
        code = unit.code
        point = unit.lines[line]
        if point is None:
            continue
        pc, desc = point
        if raw:
            # raised by this frame's instruction (a primitive it called)
            m.cur = code.nodes[pc - 1]
            raw = False
            if unit.tail_lines.get(line):
                continue      # a tail call: the error's continuation is the caller's
        loc = frame.f_locals
        L = [loc.get(f"l{i}") for i in range(code.nslots)]
        for i in unit.boxed:         # (generated code keeps assigned variables unboxed)
            if L[i] is not None:
                L[i] = [L[i]]
        S = [loc[x] if kind else x for kind, x in desc]
        frames.append(VMK(None, code, pc, L, S, loc.get("e")))
    return frames


# ---- where the machine calls generated code ---------------------------------------------

def call_py(m, pyl, env, args, k):
    """Call generated code (list entry pyl) with continuation k for machine
    m: its value, tail calls bounced here, and anything unwinding out of it
    caught here. Returns the machine's next state."""
    try:
        r = pyl(env, k.depth, args)
        while r.__class__ is TC:
            f = r.f
            m.cur = r.site
            if f.__class__ is not Closure or f.lam.pyl is None or m.tiers.filtered:
                break
            lam = f.lam
            n = len(r.args)
            if n < lam.nreq or n > lam.max_args:
                break                # apply reports it
            r = lam.pyl(f.env, k.depth, r.args)
    except (SchemeError, Unwind, RecursionError, MemoryError) as ex:
        return unwound(m, ex, k)
    if r.__class__ is TC:
        return m.apply(r.f, r.args, k)
    return None, None, k, r


def unwound(m, ex, k):
    """Generated frames were unwound by ex (an error, a capture): add their
    VM frames; in a nested run pass it on, else carry it out."""
    frames = collect(ex, m)
    u = as_unwind(ex)
    segs = u.segs + frames
    if m.nests:
        segs.append((k, m.nests[-1]))
        u.segs = segs
        raise u
    k = link(segs, k)
    kind = u.kind
    if kind == "error":
        err = u.payload
        err.at = k
        raise err
    if kind == "deopt":
        return None, None, k, u.payload
    m.cur = u.site
    if kind == "callcc":
        return m.apply(u.payload, [m.capture(k)], k)
    if kind == "call":
        return m.apply(u.payload[0], u.payload[1], k)
    if kind == "escape":
        return m.throw(*u.payload)
    if kind == "perform":
        raise Suspension(u.payload, m.capture(k), u.site)
    raise TypeError(f"unwind: unknown kind {kind}")
