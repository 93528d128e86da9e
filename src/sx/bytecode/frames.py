"""Where the variables of one code object live, decided before it is compiled.

The interpreter gives every binder (a lambda's parameters, a let, a letrec)
an environment frame `[parent, v1, v2, ...]`. Compiled code keeps a binder's
variables in slots instead (Python locals in tier 2) unless a closure must
*share* them. A closure made inside a slot binder gets a snapshot of its
frames (code.py), which is exact as long as no variable it can see changes
after the snapshot. So a binder needs a real frame ("is real") only when one
of its variables is captured by a nested lambda and is assigned (or is
letrec-bound, which may be captured before its initialiser ran), or when a
binder inside it is real (a real frame's parent must be the real frame of
its enclosing binder).

Named-let loops: `((letrec ((loop (lambda (v ...) body))) loop) init ...)`,
what `(let loop ...)` and `do` expand to, whose `loop` is only ever called,
in tail position of its own body, are compiled into the enclosing code (the
compiler's `named_loop`): the lambda is never made, its parameters are the
enclosing code's slots, and each call of `loop` is a jump back. Such a
lambda is not a nested lambda for the capture analysis.
"""

from __future__ import annotations

from .. import ir


def loop_lambda(n: ir.Call):
    """The lambda of a named-let loop that can be compiled inline, or None."""
    fn = n.fn
    if fn.__class__ is not ir.Letrec or len(fn.vars) != 1:
        return None
    var = fn.vars[0]
    lam = fn.inits[0]
    body = fn.body
    if (lam.__class__ is not ir.Lambda or lam.rest is not None or var.assigned
            or len(lam.params) != len(n.args)
            or body.__class__ is not ir.LocalRef or body.var is not var):
        return None
    return lam if _only_tail_calls(lam.body, var, len(lam.params)) else None


def _only_tail_calls(n, var, nargs: int) -> bool:
    """Is every reference to var in n (n a loop body) the operator of a tail
    call with nargs operands, outside any nested lambda?"""
    stack = [(n, False)]
    while stack:
        n, nested = stack.pop()
        cls = n.__class__
        if cls is ir.LocalRef:
            if n.var is var:
                return False       # (a reference that is not an operator)
        elif cls is ir.Call:
            if n.fn.__class__ is ir.LocalRef and n.fn.var is var:
                if nested or not n.tail or len(n.args) != nargs:
                    return False
                stack.extend((x, nested) for x in n.args)
            else:
                stack.extend((x, nested) for x in n.nodes)
        elif cls is ir.If:
            stack.extend(((n.test, nested), (n.then, nested), (n.else_, nested)))
        elif cls is ir.Seq:
            stack.extend((x, nested) for x in n.body)
        elif cls is ir.Lambda:
            stack.append((n.body, True))
        elif cls is ir.LocalSet or cls is ir.GlobalSet:
            stack.append((n.value, nested))
        elif cls is ir.Let or cls is ir.Letrec:
            stack.extend((x, nested) for x in n.inits)
            stack.append((n.body, nested))
    return True


class Plan:
    """For one code object: which named-let loops are inlined (`loops`: id of
    the Call -> its lambda), which variables a nested lambda captures, and
    which binders are real (ids of Let, Letrec and inlined-loop Call nodes)."""

    def __init__(self, params: list, body, inline: bool) -> None:
        self.inline = inline
        self.skipped = False       # a loop that could have been inlined was not
        self.loops: dict = {}
        self.level: dict = {}
        self.captured: set = set()
        self.real: set = set()
        for v in params:
            self.level[v] = 0
        self._scan(body, 0)
        self.params_real = self._needs(params, False) | self._plan(body)

    def loop(self, n: ir.Call):
        """n's inlinable loop lambda (when loops are inlined), or None."""
        key = id(n)
        if key not in self.loops:
            lam = loop_lambda(n)
            if lam is not None and not self.inline:
                self.skipped = True
                lam = None
            self.loops[key] = lam
        return self.loops[key]

    def _needs(self, vars_: list, letrec: bool) -> bool:
        return any(v in self.captured and (letrec or v.assigned) for v in vars_)

    def _bind(self, vars_: list, level: int) -> None:
        for v in vars_:
            self.level[v] = level

    def _scan(self, n, lvl: int) -> None:
        """Find the captured variables: bound at one lambda level, referenced
        from a deeper one."""
        cls = n.__class__
        if cls is ir.LocalRef or cls is ir.LocalSet:
            at = self.level.get(n.var)
            if at is not None and at < lvl:
                self.captured.add(n.var)
            if cls is ir.LocalSet:
                self._scan(n.value, lvl)
        elif cls is ir.GlobalSet:
            self._scan(n.value, lvl)
        elif cls is ir.If:
            self._scan(n.test, lvl)
            self._scan(n.then, lvl)
            self._scan(n.else_, lvl)
        elif cls is ir.Seq:
            for x in n.body:
                self._scan(x, lvl)
        elif cls is ir.Call:
            lam = self.loop(n)
            if lam is not None:
                for x in n.args:
                    self._scan(x, lvl)
                self._bind(lam.params, lvl)
                self._scan(lam.body, lvl)
            else:
                for x in n.nodes:
                    self._scan(x, lvl)
        elif cls is ir.Lambda:
            self._bind(n.params + ([n.rest] if n.rest is not None else []), lvl + 1)
            self._scan(n.body, lvl + 1)
        elif cls is ir.Let:
            for x in n.inits:
                self._scan(x, lvl)
            self._bind(n.vars, lvl)
            self._scan(n.body, lvl)
        elif cls is ir.Letrec:
            self._bind(n.vars, lvl)
            for x in n.inits:
                self._scan(x, lvl)
            self._scan(n.body, lvl)

    def _plan(self, n) -> bool:
        """Record the real binders in n (not in nested lambdas, which are
        other code objects); whether there is one. (Every part is planned:
        `|`, not `or`.)"""
        cls = n.__class__
        if cls is ir.LocalSet or cls is ir.GlobalSet:
            return self._plan(n.value)
        if cls is ir.If:
            return self._plan(n.test) | self._plan(n.then) | self._plan(n.else_)
        if cls is ir.Seq:
            return self._all(n.body)
        if cls is ir.Call:
            lam = self.loop(n)
            if lam is None:
                return self._all(n.nodes)
            return self._all(n.args) | self._binder(n, lam.params, self._plan(lam.body))
        if cls is ir.Let:
            return self._all(n.inits) | self._binder(n, n.vars, self._plan(n.body))
        if cls is ir.Letrec:
            return self._binder(n, n.vars, self._all(n.inits) | self._plan(n.body), True)
        return False       # atoms, and nested lambdas

    def _all(self, nodes: list) -> bool:
        found = False
        for x in nodes:
            found |= self._plan(x)
        return found

    def _binder(self, n, vars_: list, inside: bool, letrec: bool = False) -> bool:
        """n's binder is real when one inside it is, or its variables need it."""
        if inside or self._needs(vars_, letrec):
            self.real.add(id(n))
            return True
        return False
