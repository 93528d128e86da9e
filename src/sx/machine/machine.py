"""The machine every tier runs on.

Its state is (C, E, K, V): code to enter (C, in environment E) or a value
(V) to return to the continuation K, plus the dynamic state: `winders` (the
active dynamic-wind entries) and `handlers` (the exception-handler stack).
A captured continuation is K plus that dynamic state, so capture is O(1)
and re-entry is a jump.

Tiers plug in through one interface:
- a tier registers the classes of code it runs in `entries`: the state's C
  is handed to `entries[type(C)](m, C, E, K)`, which runs it until control
  leaves that tier and returns the next state (the CEK registers the IR
  node classes, the tier manager the code objects);
- a frame is resumed by `frame.resume(m, v)` (frames.py).
A tier's run loop hands back every state it does not own, so the driver
below is the one place that moves between tiers; no tier calls another's
loop. Everything is iterative: no Python recursion per SX call, so tail
calls run in constant space, and non-tail recursion is bounded by one limit,
the same in every tier: a closure is applied with a continuation of at most
MAX_DEPTH frames (errors.py), else the error is "recursion too deep".

An error raised while a tier runs is located by that tier (`err.at`: the
continuation it was raised in) and signalled here, so handlers see errors
from primitives and from the machine exactly like user raises.
"""

from __future__ import annotations

import os
import sys

from ..errors import ErrorObject, SchemeError
from ..printer import write_string
from ..values import (NIL, CaseLambda, Closure, Continuation, MultipleValues, Parameter,
                      ParameterSwap, Primitive, py_to_list)
from .backtrace import backtrace
from .errors import (MAX_DEPTH, arity_error, check_depth, out_of_memory, proc_name, too_deep,
                     within_depth)
from .frames import HaltK, HandlersK, JumpK, NestK, RaiseK, new_frame
from .unwind import Suspension, Unwind


class Current:
    """The machine running now (compiled code is shared by every Runtime, so
    code running on the Python stack finds its machine here); `roomy`: the
    caller runs within_headroom, so machine runs need no headroom of their
    own."""

    m = None
    roomy = False


CURRENT = Current()


def wind_steps(here, there) -> list:
    """Going from the dynamic extent of winders `here` to that of `there`:
    the after thunks of the extents left (innermost first), then the before
    thunks of those entered (outermost first), each with the winders in
    force while it runs."""
    leave, enter = [], []
    a, b = here, there
    while (a.depth if a else -1) > (b.depth if b else -1):
        leave.append(a)
        a = a.parent
    while (b.depth if b else -1) > (a.depth if a else -1):
        enter.append(b)
        b = b.parent
    while a is not b:
        leave.append(a)
        enter.append(b)
        a, b = a.parent, b.parent
    steps = [(w.after, w.parent) for w in leave]
    steps += [(w.before, w.parent) for w in reversed(enter)]
    return steps


def _trace_stream():
    """Where SX_TRACE sends its lines, None without it."""
    return sys.stderr if os.environ.get("SX_TRACE") else None


def with_headroom(fn, *args):
    """fn(*args) from a frame that fills most of a fresh 128 KiB chunk of
    CPython's frame stack, so that the frames of the computation start in
    a chunk of their own with some 64 KiB to spare.

    Why: CPython 3.11 keeps Python frames in 16 KiB chunks, mapped when a
    call needs one and unmapped when its first frame returns. A recursive
    program whose hot calls straddle a chunk's end maps and unmaps a chunk
    on each of them (two system calls): the interp benchmark made 34,000
    of them per run, and took 110 to 280 ms depending on nothing but how
    deep the Python stack was when it started; run from here, 94 ms at
    every depth. The chunk is mapped once per outermost run (about 50 us),
    and deeper recursion still crosses chunks, but rarely at a hot spot.
    The frame's size is its code's local variables, added to its code."""
    return fn(*args)


def within_headroom(fn, *args):
    """fn(*args) with stack headroom (with_headroom) for every machine run
    it makes, for a host that makes many short ones, each of which would
    map a chunk of its own for 50 us: a server, whose event loop runs
    from here, in the chunk this frame keeps mapped until it returns."""
    if CURRENT.roomy:
        return fn(*args)
    CURRENT.roomy = True
    try:
        return with_headroom(fn, *args)
    finally:
        CURRENT.roomy = False


_HEADROOM_SLOTS = 8200        # 8-byte slots: a 64 KiB frame, so a 128 KiB chunk
with_headroom.__code__ = with_headroom.__code__.replace(
    co_varnames=with_headroom.__code__.co_varnames
    + tuple(f"_{i}" for i in range(_HEADROOM_SLOTS)),
    co_nlocals=with_headroom.__code__.co_nlocals + _HEADROOM_SLOTS)


def parameter_swaps(winders) -> list:
    """The parameterize swaps among the winders, innermost first."""
    swaps = []
    while winders is not None:
        if winders.before.__class__ is Primitive and winders.before.fn.__class__ is ParameterSwap:
            swaps.append(winders.before.fn)
        winders = winders.parent
    return swaps


class Machine:
    def __init__(self, runtime=None) -> None:
        self.runtime = runtime  # eval, load, environments (api.Runtime)
        self.winders = None     # innermost WindEntry or None
        self.handlers = NIL     # SX list of handler procedures
        self.cur = None         # the Call node being applied (error locations)
        self.origin = None      # (payload, node) of the latest non-continuable raise
        self.entries: dict = {}  # class of code -> the tier's run(m, c, e, k)
        self.tiers = None       # the tier manager, when the JIT is on (jit/tiering)
        self.runs = 0           # runs active (perform needs to be the only one)
        self.nests: list = []   # NestK of each nested run below Python frames, innermost last
        self.trace = _trace_stream()

    # ---- entry -------------------------------------------------------------------

    def run(self, node, env=None):
        """Evaluate a top-level IR node to a value."""
        c, e = self.start(node, env)
        return self._drive(c, e, self._halt(), None, None)

    def apply_procedure(self, f, args: list):
        """Call an SX procedure from Python (embedding API) and return its value."""
        return self._drive(None, None, self._halt(), None, (f, list(args)))

    def continue_with(self, s: Suspension, value=None, error: SchemeError | None = None):
        """Resume a suspended computation with a value, or raise `error` at
        its `perform` (catchable there like any error)."""
        cont = s.k
        if error is not None:
            self.cur = s.site
        if not self.runs:
            # its parameterize bindings were swapped out as it suspended
            for swap in reversed(parameter_swaps(cont.winders)):
                swap()
        return self._drive(None, None, cont.k, value, None, error, cont)

    @staticmethod
    def _halt():
        k = HaltK()
        k.next = None
        k.depth = 0
        return k

    def _drive(self, c, e, k, v, call, error=None, cont=None):
        """Run the machine from a state (or a call, or an error to signal),
        restoring the dynamic state afterwards; `cont`: resume in its. The
        outermost run starts with stack headroom (see with_headroom)."""
        if not self.runs and not CURRENT.roomy:
            return with_headroom(self._run, c, e, k, v, call, error, cont)
        return self._run(c, e, k, v, call, error, cont)

    def _run(self, c, e, k, v, call, error, cont):
        saved = (self.winders, self.handlers, self.nests, CURRENT.m)
        if cont is not None:
            self.winders, self.handlers = cont.winders, cont.handlers
        if not self.runs:
            within_depth(0)
        self.runs += 1
        self.nests = []
        CURRENT.m = self
        try:
            if call is not None:
                try:
                    c, e, k, v = self.apply(call[0], call[1], k)
                except SchemeError as err:
                    error = err
            if error is not None:
                c, e, k, v = self.raise_error(error, k)
            return self.execute(c, e, k, v)
        except Suspension as s:
            # Leaving for the host, which may run other computations before
            # it resumes this one: they must not see its parameterize
            # bindings, so they are swapped out (and back in by
            # continue_with). Its dynamic-wind thunks don't run: a perform
            # is a pause, not a jump out of the extent.
            if self.runs == 1:
                for swap in parameter_swaps(s.k.winders):
                    swap()
            raise
        except BaseException as ex:
            # The computation is abandoned: an error no handler took, or
            # an interruption by the host (Ctrl-C, a server's time limit).
            # The innermost run it leaves notes the dynamic-wind extent it
            # was in, for a host that goes on to leave that extent (run
            # its after thunks: api.Runtime.leave_abandoned), which the
            # restoring below would hide.
            if not hasattr(ex, "sx_winders"):
                ex.sx_winders = self.winders
            raise
        finally:
            self.runs -= 1
            self.winders, self.handlers, self.nests, CURRENT.m = saved

    def reset(self) -> None:
        """Back at the top level with nothing running, after a computation
        was abandoned by an exception that may have struck anywhere, even
        between two steps of the bookkeeping above (an asynchronous one:
        a server's time limit, Ctrl-C): no run active, no dynamic-wind
        extent, no handler, tracing as SX_TRACE says (a `vm-trace` left
        midway would have left it on), and the tiers' own counters."""
        self.winders = None
        self.handlers = NIL
        self.cur = self.origin = None
        self.runs = 0
        self.nests = []
        self.trace = _trace_stream()
        CURRENT.m = None
        within_depth(0)
        if self.tiers is not None:
            self.tiers.reset()

    def start(self, node, env):
        """The (C, E) that evaluates a top-level node: compiled code when the
        tier manager compiles top-level forms, the node itself otherwise."""
        if self.tiers is not None:
            entry = self.tiers.toplevel(node)
            if entry is not None:
                return entry
        return node, env

    # ---- the driver ------------------------------------------------------------------

    def execute(self, c, e, k, v):
        """Run from a state until a value reaches the bottom of the chain."""
        entries = self.entries
        while True:
            try:
                while True:
                    if c is not None:
                        c, e, k, v = entries[c.__class__](self, c, e, k)
                        continue
                    kc = k.__class__
                    if kc is HaltK or (kc is NestK and k.next is None):
                        return v
                    c, e, k, v = k.resume(self, v)
            except SchemeError as err:
                c, e, k, v = self.raise_error(err, k)
            except RecursionError:
                c, e, k, v = self.raise_error(too_deep(), k)
            except MemoryError:
                c, e, k, v = self.raise_error(out_of_memory(), k)

    def raise_error(self, err: SchemeError, k):
        """Signal an error raised with continuation k (or its own, `err.at`,
        when the tier that raised it knew it better). A handler that is
        generated code may raise in turn, before the machine is back in its
        loop: that is signalled here too."""
        while True:
            if err.at is not None:
                k, err.at = err.at, None
            if self.nests:
                # a nested run: the handlers run once the Python frames
                # below it are in the chain too
                raise Unwind("error", err, [(k, self.nests[-1])])
            try:
                return self.signal(err.payload, err.continuable, k, err)
            except SchemeError as again:
                if again is err:
                    raise            # no handler: it leaves the machine
                err = again

    # ---- procedure application ---------------------------------------------------

    def apply(self, f, args: list, k):
        """Apply f to args with continuation k. Returns the next state."""
        cls = f.__class__
        if self.trace is not None:
            self.trace_call(f, args)
        if cls is Closure:
            if k.depth > MAX_DEPTH:
                check_depth(k.depth)
            if self.tiers is not None:
                state = self.tiers.call(self, f, args, k)
                if state is not None:
                    return state
            lam = f.lam
            n = len(args)
            if n < lam.nreq or n > lam.max_args:
                arity_error(f, n)
            if lam.rest is None:
                return lam.body, [f.env] + args, k, None
            return lam.body, [f.env] + args[:lam.nreq] + [py_to_list(args[lam.nreq:])], k, None
        if cls is Primitive:
            n = len(args)
            if n < f.min_args or n > f.max_args:
                arity_error(f, n)
            if f.control is None:
                return None, None, k, f.fn(*args)
            return f.control(self, args, k)
        if cls is Continuation:
            value = args[0] if len(args) == 1 else MultipleValues(list(args))
            return self.throw(f, value)
        if cls is Parameter:
            if args:
                raise SchemeError(ErrorObject("parameter object called with arguments:", list(args)))
            return None, None, k, f.value
        if cls is CaseLambda:
            n = len(args)
            for cl in f.clauses:
                lam = cl.lam
                if lam.nreq <= n <= lam.max_args:
                    return self.apply(cl, args, k)
            arity_error(f, n)
        raise SchemeError(ErrorObject("attempt to apply a non-procedure:", [f], "type"))

    def run_nested(self, f, args, site, depth):
        """Apply f from code running on the Python stack (tier 2), whose
        frames stand for `depth` interpreter frames: a machine run of its
        own, returning the value, or unwinding (see unwind.py)."""
        b = NestK.__new__(NestK)
        b.next = None
        b.depth = depth
        self.nests.append(b)
        try:
            self.cur = site
            try:
                c, e, k, v = self.apply(f, args, b)
            except SchemeError as err:
                raise Unwind("error", err, [])
            return self.execute(c, e, k, v)
        finally:
            self.nests.pop()

    def trace_call(self, f, args, tier: str | None = None) -> None:
        """One trace line: the tier that runs the call, the callee, the arguments."""
        if tier is None:
            compiled = (f.__class__ is Closure and self.tiers is not None
                        and f.lam.code is not None)
            tier = "vm " if compiled else "cek"
        shown = "".join(" " + write_string(a)[:60] for a in args)
        self.trace.write(f"[{tier}] call {proc_name(f)}{shown}\n")

    # ---- raise and continuation jumps --------------------------------------------

    def capture(self, k) -> Continuation:
        return Continuation(k, self.winders, self.handlers)

    def signal(self, payload, continuable: bool, k, err=None):
        """Call the current handler with payload, in the handler's dynamic
        environment (the outer handlers)."""
        handlers = self.handlers
        if not continuable:
            self.origin = (payload, self.cur)
        if handlers is NIL:
            # A condition re-raised by a guard that did not handle it is
            # reported where it was first raised.
            if self.origin is not None and self.origin[0] is payload:
                self.cur = self.origin[1]
            if err is None:
                err = SchemeError(payload, continuable)
            self.annotate(err, k)
            raise err
        k = new_frame(HandlersK, k, handlers=handlers)
        if not continuable:
            k = new_frame(RaiseK, k, payload=payload, node=self.cur)
        self.handlers = handlers.cdr
        return self.apply(handlers.car, [payload], k)

    def throw(self, target: Continuation, value):
        """Jump to a continuation, running after thunks of the extents we
        leave (innermost first) and before thunks of those we enter
        (outermost first)."""
        if self.nests:
            raise Unwind("escape", (target, value), [], site=self.cur)
        within_depth(target.k.depth)
        return self.jump_step(wind_steps(self.winders, target.winders), 0, target, value,
                              self.cur)

    def jump_step(self, steps, i, target, value, site):
        if i == len(steps):
            self.winders = target.winders
            self.handlers = target.handlers
            return None, None, target.k, value
        thunk, winders = steps[i]
        self.winders = winders
        self.cur = site
        return self.apply(thunk, [], new_frame(JumpK, None, steps=steps, i=i + 1, target=target,
                                               value=value, site=site))

    def annotate(self, err: SchemeError, k) -> None:
        """Attach the SX location and backtrace to an error leaving the machine."""
        if err.loc is None and self.cur is not None:
            err.loc = self.cur.loc
        if not err.backtrace:
            err.backtrace = backtrace(k)
