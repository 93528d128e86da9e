"""Core IR: what the expander produces and every tier consumes.

Eleven node kinds; macros, derived forms and definitions are gone. Local
variables are `Var` objects (one per binding), globals are `Cell`s resolved
at expansion time. `analysis.py` fills in the facts later passes need
(lexical addresses, tail positions, assigned/captured variables).
"""

from __future__ import annotations

from .values import MAX_ARGS


class Var:
    """A local variable binding. `assigned`: the target of some set!;
    `captured`: referenced from a lambda nested inside its binder."""

    __slots__ = ("name", "assigned", "captured", "checked")

    def __init__(self, name) -> None:
        self.name = name          # Symbol (root name, for messages)
        self.assigned = False
        self.captured = False
        self.checked = False      # letrec-bound: reading it early is an error

    def __repr__(self) -> str:
        return f"<var {self.name}>"


class Node:
    __slots__ = ("loc",)


class Const(Node):
    __slots__ = ("value",)

    def __init__(self, value, loc=None) -> None:
        self.value = value
        self.loc = loc


class LocalRef(Node):
    """`depth`/`index`: lexical address (frames up, slot), set by analysis."""

    __slots__ = ("var", "depth", "index")

    def __init__(self, var: Var, loc=None) -> None:
        self.var = var
        self.loc = loc
        self.depth = self.index = -1


class GlobalRef(Node):
    __slots__ = ("cell",)

    def __init__(self, cell, loc=None) -> None:
        self.cell = cell
        self.loc = loc


class LocalSet(Node):
    __slots__ = ("var", "value", "depth", "index")

    def __init__(self, var: Var, value: Node, loc=None) -> None:
        self.var = var
        self.value = value
        self.loc = loc
        self.depth = self.index = -1


class GlobalSet(Node):
    """`define` true: a top-level definition (binds even if unbound)."""

    __slots__ = ("cell", "value", "define")

    def __init__(self, cell, value: Node, define: bool, loc=None) -> None:
        self.cell = cell
        self.value = value
        self.define = define
        self.loc = loc


class If(Node):
    __slots__ = ("test", "then", "else_")

    def __init__(self, test: Node, then: Node, else_: Node, loc=None) -> None:
        self.test = test
        self.then = then
        self.else_ = else_
        self.loc = loc


class Lambda(Node):
    """`params` then optional `rest`; the body runs in a fresh frame holding
    exactly params (+ rest). `name` is for printing and backtraces."""

    __slots__ = ("params", "rest", "body", "name", "nreq", "max_args", "code", "hits", "pyf",
                 "pyk", "pyl", "unit", "invalidations", "outer", "__weakref__")

    def __init__(self, params: list, rest, body: Node, name=None, loc=None) -> None:
        self.params = params
        self.rest = rest
        self.body = body
        self.name = name
        self.nreq = len(params)
        self.max_args = self.nreq if rest is None else MAX_ARGS   # (see values.MAX_ARGS)
        self.loc = loc
        self.code = None          # compiled code, cached here by the tier manager
        self.hits = 0             # interpreted calls so far (the tier manager counts)
        # tier 2 (jit/py/): the generated unit, its entry taking the
        # arguments (pyf, for pyk = nreq arguments; -1: none), and its entry
        # taking an argument list (pyl)
        self.unit = self.pyf = self.pyl = None
        self.pyk = -1
        self.invalidations = 0
        self.outer = None         # a loop's lambda: the lambda it is in (analysis)


class Seq(Node):
    __slots__ = ("body",)

    def __init__(self, body: list, loc=None) -> None:
        self.body = body
        self.loc = loc


class Call(Node):
    """`proc` names the enclosing procedure, for backtraces; `tail` is set
    by analysis."""

    __slots__ = ("fn", "args", "tail", "proc", "nodes")

    def __init__(self, fn: Node, args: list, loc=None, proc=None) -> None:
        self.fn = fn
        self.args = args
        self.loc = loc
        self.proc = proc
        self.tail = False
        self.nodes = None         # [fn] + args, set by analysis


class Let(Node):
    """Evaluate `inits` in the outer frame, then `body` in a new frame.
    `proc` names the enclosing procedure, for the backtraces of code that
    has no location (code made by eval)."""

    __slots__ = ("vars", "inits", "body", "proc")

    def __init__(self, vars: list, inits: list, body: Node, loc=None, proc=None) -> None:
        self.vars = vars
        self.inits = inits
        self.body = body
        self.loc = loc
        self.proc = proc


class Letrec(Node):
    """letrec* : a new frame of unassigned vars, inits evaluated in it in
    order (each assigned as soon as it is computed), then `body`. Also what
    internal definitions become."""

    __slots__ = ("vars", "inits", "body")

    def __init__(self, vars: list, inits: list, body: Node, loc=None) -> None:
        self.vars = vars
        self.inits = inits
        self.body = body
        self.loc = loc
