"""Tier 0: the CEK machine, the reference semantics of SX.

State: C (the IR node being evaluated, or None when a value is being
returned), E (the environment: a list [parent, slot1, ...]), K (the
continuation: an immutable chain of heap frames), V (the value being
returned), plus the dynamic state: `winders` (dynamic-wind entries) and
`handlers` (the exception-handler stack). A captured continuation is the K
chain plus that dynamic state, so capture is O(1) and re-entry is a jump.

Everything is iterative: no Python recursion per SX call, so tail calls run
in constant space and non-tail recursion is bounded only by memory.

The CEK is also the driver of the compiled tier: when a closure whose lambda
has code is applied, `apply` returns the code object as C, and the driver
hands it to the VM; VM frames (`VMK`) on the chain are handed back to it when
a value reaches them. The tier manager (`self.tiers`) decides which lambdas
get code.
"""

from __future__ import annotations

import os
import sys

from . import ir
from .bytecode.code import Code
from .errors import ErrorObject, SchemeError, SxExit
from .values import (NIL, UNASSIGNED, UNBOUND, UNSPECIFIED, Continuation, MultipleValues,
                     Pair, Parameter, Primitive, Procedure, py_to_list)


class Closure(Procedure):
    __slots__ = ("lam", "env")

    def __init__(self, lam: ir.Lambda, env) -> None:
        self.lam = lam
        self.env = env

    @property
    def name(self):
        return self.lam.name

    def __repr__(self) -> str:
        return f"#<procedure {self.lam.name or 'anonymous'}>"


class CaseLambda(Procedure):
    __slots__ = ("clauses", "name")

    def __init__(self, clauses: list, name=None) -> None:
        self.clauses = clauses  # list of Closure
        self.name = name


class WindEntry:
    """One active dynamic-wind: its thunks and the entries outside it."""

    __slots__ = ("before", "after", "parent", "depth")

    def __init__(self, before, after, parent) -> None:
        self.before = before
        self.after = after
        self.parent = parent
        self.depth = 0 if parent is None else parent.depth + 1


# ---- continuation frames ---------------------------------------------------
# Each frame holds `next`. Frames are never mutated once pushed, so a
# continuation that is re-entered sees exactly the state it captured.

class Frame:
    __slots__ = ("next",)
    node = None  # the IR node it belongs to, for backtraces


class HaltK(Frame):
    __slots__ = ()


class NestK(Frame):
    """The bottom of a nested run (generated code calling something without
    generated code): a value reaching it returns from the run while `next` is
    None; once the run was unwound into a heap chain, it links to the rest."""
    __slots__ = ()


class ExitK(Frame):
    """Target of `exit` once every dynamic-wind after thunk has run."""
    __slots__ = ("code",)


class IfK(Frame):
    __slots__ = ("node", "env")


class SeqK(Frame):
    __slots__ = ("node", "i", "env")


class ArgK(Frame):
    """Evaluating the operator/operands of `node`; `vals` holds the ones done."""
    __slots__ = ("node", "i", "vals", "env")


class LetK(Frame):
    __slots__ = ("node", "i", "vals", "env")


class LetrecK(Frame):
    __slots__ = ("node", "i", "env")


class SetK(Frame):
    __slots__ = ("node", "env")


class ReturnK(Frame):
    """Ignore the incoming value and return `value` (after an after-thunk)."""
    __slots__ = ("value",)


# The frames below apply a procedure when a value reaches them; `site` is
# the call that made them, where an error in that application is located.

class CallWithValuesK(Frame):
    __slots__ = ("consumer", "site")


class WindBeforeK(Frame):
    __slots__ = ("entry", "thunk", "site")


class WindBodyK(Frame):
    __slots__ = ("entry", "site")


class HandlersK(Frame):
    """Reinstate `handlers` when a value passes (leaving a handler's extent)."""
    __slots__ = ("handlers",)


class RaiseK(Frame):
    """A handler returned from a non-continuable raise: that is an error,
    located at the raise (`node`)."""
    __slots__ = ("payload", "node")


class JumpK(Frame):
    """Running the winders of a continuation jump, one thunk at a time."""
    __slots__ = ("steps", "i", "target", "value", "site")


class TraceK(Frame):
    """Leaving the extent of (vm-trace thunk): restore the trace setting."""
    __slots__ = ("trace",)


class LoadK(Frame):
    """Evaluating the forms of `load` / a library body one after another."""
    __slots__ = ("forms", "i", "env", "expander")


def frame_at(e: list, depth: int) -> list:
    """The environment frame `depth` levels out from e (a lexical address's first half)."""
    while depth:
        e = e[0]
        depth -= 1
    return e


def _frame(cls, nxt, **kw):
    f = cls.__new__(cls)
    f.next = nxt
    for a, b in kw.items():
        setattr(f, a, b)
    return f


class Suspension(Exception):
    """Raised out of the machine by `perform`: the request for the host, and
    the continuation to resume (`site`: the perform call, for errors)."""

    def __init__(self, request, k: Continuation, site) -> None:
        super().__init__("perform")
        self.request = request
        self.k = k
        self.site = site


class CEK:
    """One machine. `run(node)` evaluates a top-level IR node to a value."""

    def __init__(self, runtime=None, tiers=None) -> None:
        from .jit.tiering import TierManager
        self.runtime = runtime
        self.winders = None   # innermost WindEntry or None
        self.handlers = NIL   # SX list of handler procedures
        self.cur = None       # the Call node being applied (error locations)
        self.origin = None    # (payload, node) of the latest non-continuable raise
        self.tiers = tiers or TierManager("cek")
        self.jit = self.tiers.jit
        self.vm = VM(self)
        self.depth = 0        # machine runs active (perform needs to be the only one)
        self.nests: list = []  # NestK of each nested run below generated code, innermost last
        self.trace = sys.stderr if os.environ.get("SX_TRACE") else None

    # ---- entry -----------------------------------------------------------

    def run(self, node: ir.Node, env=None):
        k = HaltK()
        k.next = None
        c, e = self.start(node, env)
        return self._drive(c, e, k, None, None)

    def apply_procedure(self, f, args: list):
        """Call an SX procedure from Python (embedding API) and return its value."""
        k = HaltK()
        k.next = None
        return self._drive(None, None, k, None, (f, list(args)))

    def continue_with(self, s: Suspension, value=None, error: SchemeError | None = None):
        """Resume a suspended computation with a value, or raise `error` at
        its `perform` (catchable there like any error)."""
        cont = s.k
        if error is not None:
            self.cur = s.site
        return self._drive(None, None, cont.k, value, None, error, cont)

    def _drive(self, c, e, k, v, call, error=None, cont=None):
        """Run the machine from a state (or a call, or an error to signal),
        restoring the dynamic state afterwards; `cont`: resume in its."""
        saved = (self.winders, self.handlers, self.nests, CUR.m)
        if cont is not None:
            self.winders, self.handlers = cont.winders, cont.handlers
        self.depth += 1
        self.nests = []
        CUR.m = self
        try:
            if call is not None:
                try:
                    c, e, k, v = self.apply(call[0], call[1], k)
                except SchemeError as err:
                    error = err
            if error is not None:
                c, e, k, v = self.raise_error(error, k)
            return self.execute(c, e, k, v)
        finally:
            self.depth -= 1
            self.winders, self.handlers, self.nests, CUR.m = saved

    def start(self, node, env):
        """The (C, E) that evaluates a top-level node: its code in the forced
        VM tier, the node itself otherwise."""
        code = self.tiers.toplevel(node)
        if code is None:
            return node, env
        return code, ([None] * code.nslots, None)

    # ---- the machine -------------------------------------------------------

    def execute(self, c, e, k, v):
        LocalRef, Const, GlobalRef, Call, If = ir.LocalRef, ir.Const, ir.GlobalRef, ir.Call, ir.If
        while True:
            try:
                while True:
                    if c is not None:
                        cls = c.__class__
                        if cls is Call:
                            nodes = c.nodes
                            vals = []
                            i = self.atoms(nodes, 0, vals, e)
                            if i < len(nodes):
                                f = ArgK.__new__(ArgK)
                                f.next = k
                                f.node = c
                                f.i = i
                                f.vals = vals
                                f.env = e
                                k = f
                                c = nodes[i]
                                continue
                            self.cur = c
                            c, e, k, v = self.apply(vals[0], vals[1:], k)
                        elif cls is LocalRef:
                            v = frame_at(e, c.depth)[c.index]
                            if v is UNASSIGNED:
                                self._unassigned(c)
                            c = None
                        elif cls is Const:
                            v = c.value
                            c = None
                        elif cls is GlobalRef:
                            v = c.cell.value
                            if v is UNBOUND:
                                self._unbound(c)
                            c = None
                        elif cls is If:
                            f = IfK.__new__(IfK)
                            f.next = k
                            f.node = c
                            f.env = e
                            k = f
                            c = c.test
                        elif cls is ir.Seq:
                            f = SeqK.__new__(SeqK)
                            f.next = k
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
                                f = LetK.__new__(LetK)
                                f.next = k
                                f.node = c
                                f.i = 0
                                f.vals = [e]
                                f.env = e
                                k = f
                                c = c.inits[0]
                        elif cls is ir.Letrec:
                            e = [e] + [UNASSIGNED] * len(c.vars)
                            f = LetrecK.__new__(LetrecK)
                            f.next = k
                            f.node = c
                            f.i = 0
                            f.env = e
                            k = f
                            c = c.inits[0]
                        elif cls is ir.LocalSet or cls is ir.GlobalSet:
                            f = SetK.__new__(SetK)
                            f.next = k
                            f.node = c
                            f.env = e
                            k = f
                            c = c.value
                        elif cls is Code:
                            if c.pyl is not None and self.trace is None:
                                c, e, k, v = self.call_py(c.pyl, e[1], [], k)
                            else:
                                c, e, k, v = self.vm.run(c, 0, e[0], [], e[1], k)
                        else:
                            raise TypeError(f"CEK: unknown node {cls.__name__}")
                        continue

                    # ---- return v to k ----
                    kc = k.__class__
                    if kc is ArgK:
                        node = k.node
                        nodes = node.nodes
                        vals = k.vals + [v]
                        e = k.env
                        nxt = k.next
                        i = self.atoms(nodes, k.i + 1, vals, e)
                        if i < len(nodes):
                            f = ArgK.__new__(ArgK)
                            f.next = nxt
                            f.node = node
                            f.i = i
                            f.vals = vals
                            f.env = e
                            k = f
                            c = nodes[i]
                            continue
                        self.cur = node
                        k = nxt
                        c, e, k, v = self.apply(vals[0], vals[1:], k)
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
                            f.node = node
                            f.i = i + 1
                            f.env = e
                            k = f
                        else:
                            k = k.next
                    elif kc is VMK:
                        c, e, k, v = self.vm.resume(k, v)
                    elif kc is HaltK:
                        return v
                    elif kc is NestK:
                        if k.next is None:
                            return v         # the end of a nested run
                        k = k.next
                    else:
                        c, e, k, v = self.resume(k, v)
            except SchemeError as err:
                # Errors from primitives and from the machine itself become
                # an SX raise at the point of the call: handlers see them all.
                c, e, k, v = self.raise_error(err, k)
            except RecursionError:
                # Only deeply nested *data* (printing, equal?) recurses in Python.
                c, e, k, v = self.raise_error(
                    SchemeError(ErrorObject("recursion too deep in a primitive", [])), k)

    def raise_error(self, err: SchemeError, k):
        """Signal an error raised with continuation k (or its own, `err.at`,
        when compiled code knew it better). A handler that is generated code
        may raise in turn, before the machine is back in its loop: that is
        signalled here too."""
        while True:
            if err.at is not None:
                k, err.at = err.at, None
            if self.nests:
                # a nested run: the handlers run once the generated frames
                # below it are in the chain too
                raise Unwind("error", err, [(k, self.nests[-1])])
            try:
                return self.signal(err.payload, err.continuable, k, err)
            except SchemeError as again:
                if again is err:
                    raise            # no handler: it leaves the machine
                err = again

    def atoms(self, nodes, i, vals, e) -> int:
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
                    self._unassigned(a)
            elif ac is GlobalRef:
                x = a.cell.value
                if x is UNBOUND:
                    self._unbound(a)
            elif ac is Const:
                x = a.value
            else:
                return i
            vals.append(x)
            i += 1
        return n

    def resume(self, k, v):
        """Return v to a less common frame. Returns the next (c, e, k, v)."""
        kc = k.__class__
        if kc is LetK:
            node = k.node
            vals = k.vals + [v]
            i = k.i + 1
            if i < len(node.inits):
                return node.inits[i], k.env, _frame(LetK, k.next, node=node, i=i, vals=vals,
                                                     env=k.env), None
            return node.body, vals, k.next, None
        if kc is LetrecK:
            node = k.node
            e = k.env
            e[k.i + 1] = v
            i = k.i + 1
            if i < len(node.inits):
                return node.inits[i], e, _frame(LetrecK, k.next, node=node, i=i, env=e), None
            return node.body, e, k.next, None
        if kc is SetK:
            node = k.node
            if node.__class__ is ir.LocalSet:
                frame_at(k.env, node.depth)[node.index] = v
            else:
                if not node.define and node.cell.value is UNBOUND:
                    self.cur = node
                    unbound_set_error(node.cell)
                node.cell.assign(v)
                if node.define:
                    name_procedure(v, node.cell.name)
            return None, None, k.next, UNSPECIFIED
        if kc is ReturnK:
            return None, None, k.next, k.value
        if kc is CallWithValuesK:
            args = v.vals if v.__class__ is MultipleValues else [v]
            self.cur = k.site
            return self.apply(k.consumer, list(args), k.next)
        if kc is WindBeforeK:
            self.winders = k.entry
            self.cur = k.site
            return self.apply(k.thunk, [], _frame(WindBodyK, k.next, entry=k.entry, site=k.site))
        if kc is WindBodyK:
            self.winders = k.entry.parent
            self.cur = k.site
            return self.apply(k.entry.after, [], _frame(ReturnK, k.next, value=v))
        if kc is TraceK:
            self.trace = k.trace
            return None, None, k.next, v
        if kc is HandlersK:
            self.handlers = k.handlers
            return None, None, k.next, v
        if kc is RaiseK:
            self.cur = k.node
            raise SchemeError(ErrorObject(
                "exception handler returned from a non-continuable raise of", [k.payload]))
        if kc is JumpK:
            return self.jump_step(k.steps, k.i, k.target, k.value, k.site)
        if kc is LoadK:
            return self.load_step(k)
        if kc is ExitK:
            raise SxExit(k.code)
        raise TypeError(f"CEK: unknown frame {kc.__name__}")

    # ---- procedure application ---------------------------------------------

    def apply(self, f, args: list, k):
        """Apply f to args with continuation k. Returns (c, e, k, v)."""
        cls = f.__class__
        if self.trace is not None:
            self.trace_call(f, args)
        if cls is Closure:
            lam = f.lam
            if self.jit:
                code = lam.code
                if code is None or self.tiers.filtered:
                    code = self.tiers.lookup(lam)
                if code is not None:
                    code.calls += 1
                    if self.trace is None:
                        pyl = lam.pyl
                        if pyl is None and code.calls > self.tiers.py_threshold and code.pyok:
                            pyl = self.tiers.promote(lam)
                        if pyl is not None:
                            n = len(args)
                            if n != lam.nreq and (lam.rest is None or n < lam.nreq):
                                arity_error(f, n)
                            return self.call_py(pyl, f.env, args, k)
                    return code, activation(code, f, args), k, None
            n = len(args)
            if lam.rest is None:
                if n != lam.nreq:
                    arity_error(f, n)
                return lam.body, [f.env] + args, k, None
            if n < lam.nreq:
                arity_error(f, n)
            return lam.body, [f.env] + args[:lam.nreq] + [py_to_list(args[lam.nreq:])], k, None
        if cls is Primitive:
            n = len(args)
            if n < f.min_args or (f.max_args is not None and n > f.max_args):
                arity_error(f, n)
            if f.control is None:
                return None, None, k, f.fn(*args)
            return getattr(self, CONTROL[f.control])(args, k)
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
                if n == lam.nreq or (lam.rest is not None and n > lam.nreq):
                    return self.apply(cl, args, k)
            arity_error(f, n)
        raise SchemeError(ErrorObject("attempt to apply a non-procedure:", [f], "type"))

    # ---- generated code (tier 2) --------------------------------------------------

    def call_py(self, pyl, env, args, k):
        """Call generated code (list entry pyl) with continuation k: the value,
        tail calls bounced here, and anything unwinding out of it caught here."""
        try:
            r = pyl(env, args)
            while r.__class__ is TC:
                f = r.f
                self.cur = r.site
                if f.__class__ is not Closure or f.lam.pyl is None or self.tiers.filtered:
                    break
                lam = f.lam
                n = len(r.args)
                if n != lam.nreq and (lam.rest is None or n < lam.nreq):
                    break                # apply reports it
                r = lam.pyl(f.env, r.args)
        except (SchemeError, Unwind, RecursionError) as ex:
            return self.unwound(ex, k)
        if r.__class__ is TC:
            return self.apply(r.f, r.args, k)
        return None, None, k, r

    def unwound(self, ex, k):
        """Generated frames were unwound by ex (an error, a capture): add
        their VM frames; in a nested run pass it on, else carry it out."""
        frames = collect(ex, self)
        u = as_unwind(ex)
        segs = u.segs + frames
        if self.nests:
            segs.append((k, self.nests[-1]))
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
        self.cur = u.site
        if kind == "callcc":
            return self.apply(u.payload, [Continuation(k, self.winders, self.handlers)], k)
        if kind == "escape":
            return self.throw(*u.payload)
        if kind == "perform":
            raise Suspension(u.payload, Continuation(k, self.winders, self.handlers), u.site)
        raise TypeError(f"unwind: unknown kind {kind}")

    def run_nested(self, f, args, site):
        """Apply f from generated code: a machine run on the Python stack,
        returning the value (or unwinding, see pyrun)."""
        b = NestK.__new__(NestK)
        b.next = None
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

    # ---- control primitives ----------------------------------------------------

    def c_apply(self, args, k):
        f, lst = args[0], args[-1]
        spread = list(args[1:-1])
        while lst.__class__ is Pair:
            spread.append(lst.car)
            lst = lst.cdr
        if lst is not NIL:
            raise SchemeError(ErrorObject("apply: last argument must be a list, got", [args[-1]],
                                          "type"))
        return self.apply(f, spread, k)

    def c_callcc(self, args, k):
        if self.nests:
            raise Unwind("callcc", args[0], [(k, self.nests[-1])], site=self.cur)
        return self.apply(args[0], [Continuation(k, self.winders, self.handlers)], k)

    def c_values(self, args, k):
        return None, None, k, args[0] if len(args) == 1 else MultipleValues(list(args))

    def c_call_with_values(self, args, k):
        return self.apply(args[0], [], _frame(CallWithValuesK, k, consumer=args[1], site=self.cur))

    def c_dynamic_wind(self, args, k):
        before, thunk, after = args
        for p in args:
            _check_procedure("dynamic-wind", p)
        entry = WindEntry(before, after, self.winders)
        return self.apply(before, [], _frame(WindBeforeK, k, entry=entry, thunk=thunk,
                                             site=self.cur))

    def c_with_exception_handler(self, args, k):
        handler, thunk = args
        _check_procedure("with-exception-handler", handler)
        _check_procedure("with-exception-handler", thunk)
        k = _frame(HandlersK, k, handlers=self.handlers)
        self.handlers = Pair(handler, self.handlers)
        return self.apply(thunk, [], k)

    def c_interaction_environment(self, args, k):
        return None, None, k, self.runtime.env

    def c_exit(self, args, k):
        from .runtime.system import exit_code
        code = exit_code(args[0] if args else True)
        target = Continuation(_frame(ExitK, None, code=code), None, NIL)
        return self.throw(target, UNSPECIFIED)

    def c_eval(self, args, k):
        env = args[1] if len(args) > 1 else self.runtime.env
        c, e = self.start(self.runtime.compile(args[0], env), None)
        return c, e, k, None

    def c_load(self, args, k):
        from .reader import read_all
        path = args[0].s
        env = args[1] if len(args) > 1 else self.runtime.env
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as ex:
            raise SchemeError(ErrorObject(f"load: cannot open {path}: {ex.strerror}", [], "file"))
        forms, srcmap = read_all(text, path)
        ex = self.runtime.expander(srcmap, path)
        return self.load_step(_frame(LoadK, k, forms=forms, i=0, env=env, expander=ex))

    def load_step(self, k):
        if k.i >= len(k.forms):
            return None, None, k.next, UNSPECIFIED
        datum, loc = k.forms[k.i]
        node = self.runtime.analyse(k.expander.toplevel(datum, k.env, loc))
        nk = _frame(LoadK, k.next, forms=k.forms, i=k.i + 1, env=k.env, expander=k.expander)
        c, e = self.start(node, None)
        return c, e, nk, None

    # ---- the host and the JIT -----------------------------------------------------

    def c_perform(self, args, k):
        if self.depth > 1:
            raise SchemeError(ErrorObject(
                "perform: cannot suspend inside a nested evaluation (a macro transformer or a "
                "call from a primitive)", [args[0]]))
        if self.nests:
            raise Unwind("perform", args[0], [(k, self.nests[-1])], site=self.cur)
        raise Suspension(args[0], Continuation(k, self.winders, self.handlers), self.cur)

    def c_vm_trace(self, args, k):
        _check_procedure("vm-trace", args[0])
        k = _frame(TraceK, k, trace=self.trace)
        self.trace = sys.stderr
        return self.apply(args[0], [], k)

    def trace_call(self, f, args, tier: str | None = None) -> None:
        """One trace line: the tier that runs the call, the callee, the arguments."""
        from .printer import write_string
        if tier is None:
            compiled = f.__class__ is Closure and self.jit and f.lam.code is not None
            tier = "vm " if compiled else "cek"
        shown = "".join(" " + write_string(a)[:60] for a in args)
        self.trace.write(f"[{tier}] call {_proc_name(f)}{shown}\n")

    def c_jit_stats(self, args, k):
        from .runtime.ports import CURRENT_OUTPUT
        CURRENT_OUTPUT.value.write(self.tiers.format_stats())
        return None, None, k, UNSPECIFIED

    def c_jit_exclude(self, args, k):
        from .values import MString
        for a in args:
            if a.__class__ is not MString:
                raise SchemeError(ErrorObject("jit-exclude!: expected a string, got", [a], "type"))
        self.tiers.exclude([a.s for a in args])
        return None, None, k, UNSPECIFIED

    def c_disassemble(self, args, k):
        from .bytecode.disasm import disassemble_procedure
        from .runtime.ports import CURRENT_OUTPUT
        CURRENT_OUTPUT.value.write(disassemble_procedure(args[0]))
        return None, None, k, UNSPECIFIED

    # ---- raise and continuation jumps --------------------------------------------

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
            self._annotate(err, k)
            raise err
        k = _frame(HandlersK, k, handlers=handlers)
        if not continuable:
            k = _frame(RaiseK, k, payload=payload, node=self.cur)
        self.handlers = handlers.cdr
        return self.apply(handlers.car, [payload], k)

    def throw(self, target: Continuation, value):
        """Jump to a continuation, running after thunks of the extents we
        leave (innermost first) and before thunks of those we enter
        (outermost first)."""
        if self.nests:
            raise Unwind("escape", (target, value), [], site=self.cur)
        here, there = self.winders, target.winders
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
        return self.jump_step(steps, 0, target, value, self.cur)

    def jump_step(self, steps, i, target, value, site):
        if i == len(steps):
            self.winders = target.winders
            self.handlers = target.handlers
            return None, None, target.k, value
        thunk, winders = steps[i]
        self.winders = winders
        self.cur = site
        return self.apply(thunk, [], _frame(JumpK, None, steps=steps, i=i + 1, target=target,
                                            value=value, site=site))

    # ---- errors ------------------------------------------------------------------

    def _unbound(self, node):
        self.cur = node
        unbound_error(node.cell)

    def _unassigned(self, node):
        self.cur = node
        unassigned_error(node.var)

    def _annotate(self, err: SchemeError, k) -> None:
        """Attach the SX location and backtrace to an error leaving the machine."""
        if err.loc is None and self.cur is not None:
            err.loc = self.cur.loc
        if not err.backtrace:
            err.backtrace = backtrace(k)


CONTROL = {
    "apply": "c_apply", "call/cc": "c_callcc", "values": "c_values",
    "call-with-values": "c_call_with_values", "dynamic-wind": "c_dynamic_wind",
    "with-exception-handler": "c_with_exception_handler", "exit": "c_exit",
    "eval": "c_eval", "load": "c_load", "interaction-environment": "c_interaction_environment",
    "perform": "c_perform", "vm-trace": "c_vm_trace", "jit-stats": "c_jit_stats",
    "jit-exclude!": "c_jit_exclude", "disassemble": "c_disassemble",
}


def backtrace(k, limit: int = 30) -> list:
    """Pending calls, innermost first, as 'file:line:col in NAME' strings."""
    out = []
    last = None
    while k is not None and len(out) < limit:
        if k.__class__ is VMK:
            nodes = k.code.ctx[k.pc - 1]   # the interpreter frames it stands for
        else:
            node = getattr(k, "node", None)
            nodes = () if node is None else (node,)
        for node in nodes:
            proc = getattr(node, "proc", None)
            if node.loc is not None:
                if node.__class__ is not ir.Call:
                    proc = None
                line = f"{node.loc[0]}:{node.loc[1]}:{node.loc[2]}" + (f" in {proc}" if proc else "")
            elif proc:       # code made by eval has no location, but a name
                line = f"in {proc}"
            else:
                continue
            if line != last:
                out.append(line)
                last = line
        k = k.next
    return out[:limit]


# The errors the machine itself raises, shared with the compiled tiers so
# that they read the same everywhere.

def unbound_error(cell):
    raise SchemeError(ErrorObject(f"unbound variable: {cell.name.name}", [], "unbound"))


def unbound_set_error(cell):
    raise SchemeError(ErrorObject(f"set!: unbound variable {cell.name.name}", [], "unbound"))


def unassigned_error(var):
    raise SchemeError(ErrorObject(f"variable {var.name.name} used before its definition", [],
                                  "unbound"))


def arity_error(f, n: int):
    raise SchemeError(ErrorObject(f"{_proc_name(f)}: {_arity_text(f)}, got {n}", [], "arity"))


def name_procedure(v, sym) -> None:
    if v.__class__ is CaseLambda and v.name is None:
        v.name = sym.name


def _check_procedure(who: str, p) -> None:
    if not isinstance(p, Procedure):
        raise SchemeError(ErrorObject(f"{who}: expected a procedure, got", [p], "type"))


def _proc_name(f) -> str:
    name = getattr(f, "name", None)
    return name if name else "anonymous procedure"


def _arity_text(f) -> str:
    if f.__class__ is Closure:
        lo, hi = f.lam.nreq, (None if f.lam.rest is not None else f.lam.nreq)
    elif f.__class__ is Primitive:
        lo, hi = f.min_args, f.max_args
    else:
        return "wrong number of arguments"
    if hi == lo:
        return f"expected {lo} argument{'s' if lo != 1 else ''}"
    if hi is None:
        return f"expected at least {lo} argument{'s' if lo != 1 else ''}"
    return f"expected {lo} to {hi} arguments"




from .vm.machine import VM, VMK, activation  # noqa: E402  (the VM builds on the classes above)
from .jit.pyrun import CUR, TC, Unwind, as_unwind, collect, link  # noqa: E402

