"""Random SX programs for the differential test of the evaluation tiers.

Every tier must compute exactly what tier 0, the CEK interpreter, computes
(ARCHITECTURE.md, invariant 1). This module writes programs that nobody wrote
by hand. They are random, deterministic and always terminate, and they print
what they compute, so a difference between two tiers shows up in the output,
in the error report or in the exit status.

The generator is typed. Each expression is built for one of a few types from
the variables in scope, so programs are well formed and mostly run without
error. The types are integer, boolean, string, list of integers, procedure
from integer to integer, counter thunk and procedure factory. On top of the
expressions, *blocks* produce whole top-level fragments that each exercise
one feature: closures, loops, recursion, call/cc escapes and re-entry,
dynamic-wind, guard, with-exception-handler and so on. A program sometimes
ends with a deliberate uncaught error, so error reports are compared too.

Termination and size are bounded by construction:
- every loop and recursion has a literal bound (recursion at most 50 deep);
- `*` always has a literal operand and every divisor is a non-zero literal,
  so an integer can never square itself into a huge number;
- a string or list variable is only set! to something built from integers
  and literals, plus its own old value at most once, so it grows linearly
  however often the assignment runs;
- a continuation is only invoked within the extent of its call/cc, except in
  the re-entry blocks, where a counter bounds how often it is re-entered;
- `raise` only appears where an enclosing guard catches everything, and
  `raise-continuable` only where a handler returns an integer for an integer.

The same code runs on two sources of choices: hypothesis (`programs()`, for
the tests, so that a failing program shrinks) and random.Random
(`generate(seed)`, for the corpus script).

Script mode (from the repository root):
    python tests/randprog.py --save N DIR [--seed S]   write N programs to DIR
        [--cover]                                      ... chosen to cover every feature
    python tests/randprog.py --show SEED               print one program
    python tests/randprog.py --stats N                 feature counts over N programs
"""

from __future__ import annotations

import os
import random
import sys

# ---------------------------------------------------------------- choices

class RandomChoices:
    """Choices from a seeded random.Random (reproducible, no hypothesis)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


class HypothesisChoices:
    """Choices drawn through hypothesis, so that failures shrink."""

    def __init__(self, draw) -> None:
        from hypothesis import strategies as st
        self.draw = draw
        self.st = st

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(self.st.integers(lo, hi))


# ---------------------------------------------------------------- forms and printing
#
# A form is a string (an atom, written exactly as it appears in the source)
# or a list of forms. render() lays a form out over several lines when it
# does not fit, so that generated programs stay readable and errors point at
# varied lines and columns.

WIDTH = 78

# How many arguments stay on the first line when a form is broken up.
KEEP = {"define": 1, "lambda": 1, "let": 1, "let*": 1, "letrec": 1, "letrec*": 1,
        "when": 1, "unless": 1, "if": 1, "guard": 1, "do": 2, "let-values": 1,
        "parameterize": 1, "case": 1, "call/cc": 0, "begin": 0, "cond": 0,
        "dynamic-wind": 0, "with-exception-handler": 0, "case-lambda": 0}


def flat(form) -> str:
    if isinstance(form, str):
        return form
    return "(" + " ".join(flat(x) for x in form) + ")"


def _end_column(text: str, start: int) -> int:
    """The column after `text`, which began at column `start`."""
    nl = text.rfind("\n")
    return start + len(text) if nl < 0 else len(text) - nl - 1


def render(form, col: int = 0) -> str:
    text = flat(form)
    if isinstance(form, str) or col + len(text) <= WIDTH or len(form) < 2:
        return text
    head = form[0]
    if isinstance(head, str):
        keep = KEEP.get(head, 1)
        if head == "let" and isinstance(form[1], str):  # named let
            keep = 2
        indent = col + 2
    else:  # a list of bindings or clauses
        keep, indent = 0, col + 1
    out = "(" + render(head, col + 1)
    for x in form[1:1 + keep]:
        out += " " + render(x, _end_column(out, col) + 1)
    for x in form[1 + keep:]:
        out += "\n" + " " * indent + render(x, indent)
    return out + ")"


# ---------------------------------------------------------------- types and scopes

INT, BOOL, STR, LIST, PROC, THUNK, FACTORY = "int", "bool", "str", "list", "proc", "thunk", "factory"
VALUE_TYPES = (INT, BOOL, STR, LIST)
PREFIX = {INT: "n", BOOL: "b", STR: "s", LIST: "l", PROC: "f", THUNK: "c", FACTORY: "mk"}

# String literals: (source text, length of the string it denotes).
STRINGS = [('""', 0), ('"a"', 1), ('"ab"', 2), ('"xyz"', 3), ('"hello"', 5), ('"SX"', 2),
           ('"a b"', 3), ('"q\\"q"', 3), ('"line\\nbreak"', 10), ('"\\u03bbx"', -1),
           ('"tab\\tbed"', 7), ('"Zebra"', 5)]
STRINGS = [(s, n) for s, n in STRINGS if n >= 0]
SYMBOLS = ["'apple", "'b", "'zeta", "'x1", "'done", "'|odd sym|"]
NONZERO = ["1", "2", "3", "5", "7", "-3", "10"]
BIG = ["18446744073709551616", "-1180591620717411303423", "100000000000000000000"]


class Var:
    __slots__ = ("name", "type", "mutable")

    def __init__(self, name: str, type_: str, mutable: bool) -> None:
        self.name, self.type, self.mutable = name, type_, mutable


class Ctx:
    """Where a form is being generated.

    scope     name -> Var, the variables visible here (later bindings shadow)
    depth     how much deeper expressions may nest
    escapes   continuations whose call/cc is still running here: `(k <int>)`
              is a valid expression of any type
    handlers  the exception handlers around this point, innermost last:
              "guard" (catches anything and leaves) or "weh" (a
              with-exception-handler whose handler returns an integer)
    loops     how many loops already enclose this point (bounds nesting)
    """

    __slots__ = ("scope", "depth", "escapes", "handlers", "loops")

    def __init__(self, scope=None, depth=2, escapes=(), handlers=(), loops=0) -> None:
        self.scope = scope if scope is not None else {}
        self.depth, self.escapes, self.handlers, self.loops = depth, escapes, handlers, loops

    def _copy(self, **changes) -> "Ctx":
        c = Ctx(self.scope, self.depth, self.escapes, self.handlers, self.loops)
        for k, v in changes.items():
            setattr(c, k, v)
        return c

    def deeper(self, n: int = 1) -> "Ctx":
        return self._copy(depth=self.depth - n)

    def at_depth(self, depth: int) -> "Ctx":
        return self._copy(depth=depth)

    def bind(self, name: str, type_: str, mutable: bool = True) -> "Ctx":
        scope = dict(self.scope)
        scope.pop(name, None)  # keep insertion order = binding order
        scope[name] = Var(name, type_, mutable)
        return self._copy(scope=scope)

    def stored(self) -> "Ctx":
        """For the body of a lambda that may be called after this point is
        gone: no escapes or handlers can be relied on there."""
        return self._copy(escapes=(), handlers=())

    def in_loop(self) -> "Ctx":
        return self._copy(loops=self.loops + 1)

    def no_aggregates(self) -> "Ctx":
        """Without string and list variables (for values assigned to one)."""
        return self._copy(scope={n: v for n, v in self.scope.items() if v.type not in (STR, LIST)})

    def with_handler(self, kind: str) -> "Ctx":
        return self._copy(handlers=self.handlers + (kind,))

    def with_escape(self, k: str) -> "Ctx":
        return self._copy(escapes=self.escapes + (k,))

    def vars(self, type_: str, mutable: bool = False) -> list[str]:
        return [v.name for v in self.scope.values()
                if v.type == type_ and (v.mutable or not mutable)]

    def can_raise(self) -> bool:
        return bool(self.handlers) and self.handlers[-1] == "guard"

    def can_raise_continuable(self) -> bool:
        return bool(self.handlers)


# ---------------------------------------------------------------- the generator

class Gen:
    """Builds one program from a source of choices (see RandomChoices)."""

    def __init__(self, choices) -> None:
        self.choices = choices
        self.counter = 0
        self.features: set[str] = set()
        self.top = Ctx(depth=2)  # the global scope, grown by the blocks

    # ---- choices ----------------------------------------------------------

    def num(self, lo: int, hi: int) -> int:
        return self.choices.integer(lo, hi)

    def pick(self, seq):
        return seq[self.num(0, len(seq) - 1)]

    def chance(self, percent: int) -> bool:
        return self.num(0, 99) < percent

    def weighted(self, options):
        """Call one of the (weight, thunk) options; thunks that are None (not
        applicable here) are skipped."""
        opts = [(w, f) for w, f in options if f is not None and w > 0]
        r = self.num(0, sum(w for w, _ in opts) - 1)
        for w, f in opts:
            if r < w:
                return f()
            r -= w
        raise AssertionError("unreachable")

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def binder(self, ctx: Ctx, type_: str) -> str:
        """A name for a new local: usually fresh, sometimes one that shadows
        a variable already in scope."""
        if ctx.scope and self.chance(8):
            return self.pick(list(ctx.scope))
        return self.fresh(PREFIX[type_])

    # ---- literals ---------------------------------------------------------

    def int_lit(self) -> str:
        return str(self.weighted([(10, lambda: self.num(-9, 9)), (3, lambda: self.num(10, 999)),
                                  (1, lambda: self.pick(BIG))]))

    def small(self, lo: int = 0, hi: int = 9) -> str:
        return str(self.num(lo, hi))

    def str_lit(self) -> str:
        return self.pick(STRINGS)[0]

    def list_lit(self) -> str:
        items = [str(self.num(-9, 20)) for _ in range(self.num(0, 6))]
        return "'(" + " ".join(items) + ")"

    def leaf(self, type_: str, ctx: Ctx):
        names = ctx.vars(type_)
        if names and (type_ in (THUNK, FACTORY) or self.chance(60)):
            return self.pick(names)
        if type_ == INT:
            return self.int_lit()
        if type_ == BOOL:
            return self.pick(["#t", "#f"])
        if type_ == STR:
            return self.str_lit()
        if type_ == LIST:
            return self.weighted([(3, self.list_lit), (1, lambda: "'()")])
        if type_ == PROC:
            x = self.fresh("x")
            return ["lambda", [x], [self.pick(["+", "-", "*"]), x, self.small(1, 5)]]
        raise AssertionError(f"no leaf of type {type_}")

    # ---- expressions ------------------------------------------------------

    def expr(self, type_: str, ctx: Ctx):
        """An expression of the given type."""
        if ctx.depth > 0 and (ctx.escapes or ctx.can_raise()) and self.chance(4):
            return self.bottom(ctx.deeper())
        if ctx.depth <= 0 or self.chance(30):
            return self.leaf(type_, ctx)
        sub = ctx.deeper()
        return {INT: self.int_expr, BOOL: self.bool_expr, STR: self.str_expr,
                LIST: self.list_expr, PROC: self.proc_expr}[type_](sub)

    def I(self, ctx):
        return self.expr(INT, ctx)

    def B(self, ctx):
        return self.expr(BOOL, ctx)

    def S(self, ctx):
        return self.expr(STR, ctx)

    def L(self, ctx):
        return self.expr(LIST, ctx)

    def P(self, ctx):
        return self.expr(PROC, ctx)

    def bottom(self, ctx: Ctx):
        """An expression that never returns: an escape or a raise."""
        opts = []
        if ctx.escapes:
            opts.append((3, lambda: [self.pick(ctx.escapes), self.I(ctx)]))
        if ctx.can_raise():
            opts.append((3, lambda: self.raise_form(ctx)))
        return self.weighted(opts)

    def raise_form(self, ctx: Ctx):
        """A raise of some object, or a primitive that signals an error."""
        self.features.add("raise")
        d = ctx.at_depth(min(ctx.depth, 1))
        return self.weighted([
            (3, lambda: ["raise", self.I(d)]),
            (3, lambda: ["raise", self.pick(SYMBOLS)]),
            (2, lambda: ["raise", self.S(d)]),
            (1, lambda: ["raise", ["list", self.I(d), self.pick(SYMBOLS)]]),
            (1, lambda: ["raise-continuable", self.I(d)]),
            (3, lambda: ["error", self.pick(['"bad value:"', '"oops"', '"failed"']),
                         *[self.expr(self.pick([INT, STR, LIST]), d) for _ in range(self.num(0, 2))]]),
            (2, lambda: ["car", "'()"]),
            (2, lambda: ["vector-ref", ["vector", self.I(d), self.I(d)], "10"]),
            (1, lambda: ["+", "1", self.str_lit()]),
            (1, lambda: ["string-ref", self.str_lit(), "99"]),
            (1, lambda: ["quotient", self.I(d), "0"]),
            (1, lambda: [["lambda", ["x", "y"], "x"], self.I(d)]),
            (1, lambda: [self.small(1, 9), self.I(d)]),
            (1, lambda: ["length", self.I(d)]),
            (1, lambda: ["symbol->string", self.str_lit()]),
            (1, lambda: ["list-tail", ["list", self.I(d)], "5"]),
            (1, lambda: ["undefined-procedure", self.I(d)]),
            (1, lambda: ["exact", "+nan.0"]),
        ])

    def int_expr(self, ctx: Ctx):
        I, B, S, L = (lambda: self.I(ctx)), (lambda: self.B(ctx)), (lambda: self.S(ctx)), (lambda: self.L(ctx))
        procs, thunks, factories = ctx.vars(PROC), ctx.vars(THUNK), ctx.vars(FACTORY)
        assignable = ctx.vars(INT, mutable=True)
        return self.weighted([
            (5, lambda: ["+", I(), I()]),
            (3, lambda: ["-", I(), I()]),
            (1, lambda: ["+", I(), I(), I()]),
            (1, lambda: ["-", I()]),
            (3, lambda: ["*", I(), self.small(-5, 5)]),
            (2, lambda: [self.pick(["quotient", "remainder", "modulo"]), I(), self.pick(NONZERO)]),
            (1, lambda: ["abs", I()]),
            (1, lambda: [self.pick(["max", "min"]), I(), I()]),
            (1, lambda: ["expt", self.small(-3, 3), self.small(0, 70)]),
            (4, lambda: ["if", B(), I(), I()]),
            (2, lambda: self.cond_expr(INT, ctx)),
            (1, lambda: ["case", I(), [[self.small(), self.small()], I()], [[self.small()], I()],
                         ["else", I()]]),
            (3, lambda: self.let_expr(INT, ctx)),
            (1, lambda: self.letrec_expr(ctx)),
            (2, lambda: ["length", L()]),
            (2, lambda: ["string-length", S()]),
            (3, lambda: self.call_proc(ctx, procs, factories)),
            (3 if thunks else 0, lambda: [self.pick(thunks)]),
            (1, lambda: ["apply", "+", L()]),
            (2, lambda: self.safe_car(ctx)),
            (1, lambda: self.safe_list_ref(ctx)),
            (1, lambda: self.sum_loop(ctx)),
            (2, lambda: self.callcc_expr(INT, ctx)),
            (2, lambda: self.guard_expr(INT, ctx)),
            (2, lambda: self.weh_expr(ctx)),
            (2 if ctx.can_raise_continuable() else 0, lambda: ["raise-continuable", I()]),
            (1, lambda: ["vector-ref", ["vector", I(), I(), I()], self.small(0, 2)]),
            (1, lambda: self.values_expr(ctx)),
            (1, lambda: self.string_ref_expr(ctx)),
            (1, lambda: ["string->number", ["number->string", I()]]),
            (1, lambda: self.assoc_expr(ctx)),
            (2 if assignable else 0, lambda: ["begin", ["set!", v := self.pick(assignable), I()], v]),
        ])

    def bool_expr(self, ctx: Ctx):
        I, B, S, L = (lambda: self.I(ctx)), (lambda: self.B(ctx)), (lambda: self.S(ctx)), (lambda: self.L(ctx))
        return self.weighted([
            (6, lambda: [self.pick(["<", ">", "=", "<=", ">="]), I(), I()]),
            (3, lambda: [self.pick(["even?", "odd?", "zero?", "positive?", "negative?"]), I()]),
            (2, lambda: [self.pick(["null?", "pair?", "list?"]), L()]),
            (2, lambda: ["not", B()]),
            (2, lambda: [self.pick(["and", "or"]), B(), B()]),
            (1, lambda: [self.pick(["and", "or"])]),
            (2, lambda: [self.pick(["string=?", "string<?", "string-ci=?"]), S(), S()]),
            (1, lambda: ["equal?", L(), L()]),
            (1, lambda: ["eqv?", I(), I()]),
            (2, lambda: ["if", ["member", I(), L()], "#t", "#f"]),
            (1, lambda: ["boolean=?", B(), B()]),
            (1, lambda: self.let_expr(BOOL, ctx)),
            (1, lambda: self.guard_expr(BOOL, ctx)),
            (1, lambda: self.callcc_expr(BOOL, ctx)),
            (1, lambda: self.cond_expr(BOOL, ctx)),
        ])

    def str_expr(self, ctx: Ctx):
        I, B, S = (lambda: self.I(ctx)), (lambda: self.B(ctx)), (lambda: self.S(ctx))
        return self.weighted([
            (4, lambda: ["string-append", S(), S()]),
            (1, lambda: ["string-append", S(), S(), S()]),
            (4, lambda: ["number->string", I()]),
            (1, lambda: ["number->string", I(), self.pick(["2", "8", "16"])]),
            (1, lambda: ["symbol->string", self.pick(SYMBOLS)]),
            (2, lambda: self.substring_expr(ctx)),
            (1, lambda: ["list->string", ["reverse", ["string->list", S()]]]),
            (1, lambda: ["list->string", ["map", "char-upcase", ["string->list", S()]]]),
            (1, lambda: [self.pick(["string-upcase", "string-downcase", "string-copy"]), S()]),
            (1, lambda: ["make-string", self.small(0, 4), self.pick(["#\\z", "#\\-", "#\\space"])]),
            (1, lambda: ["string", "#\\a", self.pick(["#\\b", "#\\newline", "#\\x41"])]),
            (3, lambda: ["if", B(), S(), S()]),
            (2, lambda: self.let_expr(STR, ctx)),
            (1, lambda: self.cond_expr(STR, ctx)),
            (1, lambda: self.port_expr(ctx)),
            (1, lambda: ["symbol->string", ["string->symbol", S()]]),
            (1, lambda: self.guard_expr(STR, ctx)),
            (1, lambda: self.callcc_expr(STR, ctx)),
        ])

    def list_expr(self, ctx: Ctx):
        I, B, S, L, P = ((lambda: self.I(ctx)), (lambda: self.B(ctx)), (lambda: self.S(ctx)),
                         (lambda: self.L(ctx)), (lambda: self.P(ctx)))
        return self.weighted([
            (4, lambda: ["list", *[I() for _ in range(self.num(0, 4))]]),
            (4, lambda: ["cons", I(), L()]),
            (2, lambda: ["append", L(), L()]),
            (2, lambda: ["reverse", L()]),
            (3, lambda: ["map", P(), L()]),
            (2, lambda: ["map", self.inline_lambda(ctx, 1, INT), L()]),
            (1, lambda: ["map", "+", L(), L()]),
            (1, lambda: ["filter", self.inline_lambda(ctx, 1, BOOL), L()]),
            (2, lambda: self.safe_cdr(ctx)),
            (1, lambda: ["or", ["member", I(), L()], "'()"]),
            (1, lambda: ["list-copy", L()]),
            (1, lambda: ["vector->list", ["vector", I(), I()]]),
            (1, lambda: ["map", "char->integer", ["string->list", S()]]),
            (1, lambda: ["map", "string-length", ["list", S(), S()]]),
            (2, lambda: ["if", B(), L(), L()]),
            (2, lambda: self.let_expr(LIST, ctx)),
            (1, lambda: self.build_loop(ctx)),
            (1, lambda: self.half_tail(ctx)),
            (1, lambda: ["let", [[p := self.fresh("p"), ["assv", I(), "'((1 2 3) (2 4) (5))"]]],
                         ["if", p, ["cdr", p], "'()"]]),
            (1, lambda: self.guard_expr(LIST, ctx)),
        ])

    def proc_expr(self, ctx: Ctx):
        """A procedure from integer to integer, possibly called much later:
        its body may not escape or raise."""
        inner = ctx.stored()
        procs, factories = ctx.vars(PROC), ctx.vars(FACTORY)
        self.features.add("closure")

        def plain():
            x = self.binder(ctx, INT)
            return ["lambda", [x], self.I(inner.bind(x, INT))]

        def capturing():  # closes over a fresh local
            k, x = self.fresh("k"), self.fresh("x")
            return ["let", [[k, self.I(inner)]], ["lambda", [x], self.I(inner.bind(k, INT).bind(x, INT))]]

        def stateful():  # closes over a local it assigns
            cnt, x = self.fresh("cnt"), self.fresh("x")
            body = inner.bind(cnt, INT).bind(x, INT)
            return ["let", [[cnt, self.small()]],
                    ["lambda", [x], ["set!", cnt, ["+", cnt, self.I(body)]], ["+", x, cnt]]]

        def compose():
            x = self.fresh("x")
            return ["lambda", [x], [self.pick(procs), [self.pick(procs), x]]]

        return self.weighted([
            (4, plain), (2, capturing), (1, stateful),
            (1 if procs else 0, compose),
            (2 if factories else 0, lambda: [self.pick(factories), self.I(inner)]),
        ])

    def inline_lambda(self, ctx: Ctx, arity: int, result: str):
        """A lambda called right away (by map, for-each, filter): it keeps the
        escapes and handlers of the place it is written."""
        xs = [self.fresh("x") for _ in range(arity)]
        body = ctx
        for x in xs:
            body = body.bind(x, INT)
        return ["lambda", xs, self.expr(result, body)]

    # ---- compound expressions ---------------------------------------------

    def call_proc(self, ctx: Ctx, procs, factories):
        arg = self.I(ctx)
        opts = [(2, lambda: [self.P(ctx), arg]),
                (1, lambda: [self.inline_lambda(ctx, 1, INT), arg])]
        if procs:
            opts.append((4, lambda: [self.pick(procs), arg]))
        if factories:
            opts.append((1, lambda: [[self.pick(factories), self.I(ctx)], arg]))
        return self.weighted(opts)

    def cond_expr(self, type_: str, ctx: Ctx):
        clauses = [[self.B(ctx), self.expr(type_, ctx)] for _ in range(self.num(1, 3))]
        if type_ == INT and self.chance(25):
            clauses.insert(0, [["assv", self.I(ctx), "'((1 . 10) (2 . 20) (3 . 30))"], "=>", "cdr"])
        return ["cond", *clauses, ["else", self.expr(type_, ctx)]]

    def let_expr(self, type_: str, ctx: Ctx):
        """let / let* with a few locals; the body may assign one of them."""
        kind = self.pick(["let", "let", "let*"])
        bindings, body_ctx = [], ctx
        for _ in range(self.num(1, 3)):
            ty = self.pick(VALUE_TYPES)
            init_ctx = body_ctx if kind == "let*" else ctx
            name = self.binder(init_ctx, ty)
            if kind == "let" and any(b[0] == name for b in bindings):
                name = self.fresh(PREFIX[ty])  # let may not bind a name twice
            bindings.append([name, self.expr(ty, init_ctx)])
            body_ctx = body_ctx.bind(name, ty)
        body = [self.expr(type_, body_ctx)]
        ints = [b[0] for b in bindings if body_ctx.scope[b[0]].type == INT]
        if ints and self.chance(30):
            v = self.pick(ints)
            body.insert(0, ["set!", v, ["+", v, self.I(body_ctx)]])
            self.features.add("set!-local")
        return [kind, bindings, *body]

    def letrec_expr(self, ctx: Ctx):
        """A bounded non-tail recursion through a letrec-bound lambda."""
        g, n = self.fresh("rec"), self.fresh("n")
        body = ctx.stored().bind(n, INT, mutable=False)  # the recursion counter
        self.features.add("letrec")
        return ["letrec", [[g, ["lambda", [n],
                                ["if", ["<=", n, "0"], self.I(body),
                                 ["+", self.I(body), [g, ["-", n, "1"]]]]]]],
                [g, self.small(0, 20)]]

    def safe_car(self, ctx: Ctx):
        t = self.fresh("t")
        return ["let", [[t, self.L(ctx)]], ["if", ["pair?", t], ["car", t], self.I(ctx)]]

    def safe_cdr(self, ctx: Ctx):
        t = self.fresh("t")
        return ["let", [[t, self.L(ctx)]], ["if", ["pair?", t], ["cdr", t], t]]

    def safe_list_ref(self, ctx: Ctx):
        t = self.fresh("t")
        return ["let", [[t, self.L(ctx)]],
                ["if", ["null?", t], self.I(ctx),
                 ["list-ref", t, ["remainder", ["abs", self.I(ctx)], ["length", t]]]]]

    def half_tail(self, ctx: Ctx):
        t = self.fresh("t")
        return ["let", [[t, self.L(ctx)]], ["list-tail", t, ["quotient", ["length", t], "2"]]]

    def sum_loop(self, ctx: Ctx):
        """A tail-recursive named let over a list."""
        loop, t, acc, x = self.fresh("loop"), self.fresh("t"), self.fresh("acc"), self.fresh("x")
        body = ctx.bind(acc, INT, mutable=False).bind(x, INT, mutable=False)
        self.features.add("named-let")
        return ["let", loop, [[t, self.L(ctx)], [acc, self.small()]],
                ["if", ["pair?", t],
                 ["let", [[x, ["car", t]]], [loop, ["cdr", t], self.I(body)]],
                 acc]]

    def build_loop(self, ctx: Ctx):
        """A named let that builds a list of at most 12 elements."""
        loop, i, acc = self.fresh("loop"), self.fresh("i"), self.fresh("acc")
        body = ctx.no_aggregates().bind(i, INT, mutable=False)
        self.features.add("named-let")
        return ["let", loop, [[i, "0"], [acc, "'()"]],
                ["if", ["<", i, self.small(0, 12)],
                 [loop, ["+", i, "1"], ["cons", self.I(body), acc]],
                 ["reverse", acc]]]

    def substring_expr(self, ctx: Ctx):
        if self.chance(50):
            src, n = self.pick(STRINGS)
            start = self.num(0, n)
            return ["substring", src, str(start), str(self.num(start, n))]
        t = self.fresh("t")
        return ["let", [[t, self.S(ctx)]],
                ["substring", t, ["min", self.small(0, 3), ["string-length", t]], ["string-length", t]]]

    def string_ref_expr(self, ctx: Ctx):
        t = self.fresh("t")
        return ["let", [[t, self.S(ctx)]],
                ["if", [">", ["string-length", t], "0"],
                 ["char->integer", ["string-ref", t, ["quotient", ["string-length", t], "2"]]],
                 self.I(ctx)]]

    def assoc_expr(self, ctx: Ctx):
        p = self.fresh("p")
        table = self.pick(["'((\"a\" . 1) (\"ab\" . 2) (\"xyz\" . 3))", "'((\"SX\" . 7) (\"\" . 0))"])
        return ["let", [[p, ["assoc", self.S(ctx), table]]], ["if", p, ["cdr", p], self.I(ctx)]]

    def port_expr(self, ctx: Ctx):
        p = self.fresh("port")
        self.features.add("string-port")
        return ["let", [[p, ["open-output-string"]]],
                ["write", self.expr(self.pick(VALUE_TYPES), ctx), p],
                ["display", self.expr(self.pick(VALUE_TYPES), ctx), p],
                ["get-output-string", p]]

    def values_expr(self, ctx: Ctx):
        a, b = self.fresh("v"), self.fresh("v")
        body = ctx.bind(a, INT).bind(b, INT)
        self.features.add("values")
        if self.chance(50):
            return ["call-with-values", ["lambda", [], ["values", self.I(ctx), self.I(ctx)]],
                    ["lambda", [a, b], self.I(body)]]
        return ["let-values", [[[a, b], ["values", self.I(ctx), self.I(ctx)]]], self.I(body)]

    def callcc_expr(self, type_: str, ctx: Ctx):
        """call/cc used as an escape inside an expression."""
        k = self.fresh("k")
        inner = ctx.with_escape(k)
        self.features.add("call/cc-escape")
        if type_ == INT:
            body = self.weighted([
                (2, lambda: self.I(inner)),
                (2, lambda: ["if", self.B(inner), [k, self.I(inner)], self.I(inner)]),
                (1, lambda: ["+", self.I(inner), [k, self.I(inner)]]),
            ])
        else:
            body = ["if", self.B(inner), [k, self.expr(type_, ctx)], self.expr(type_, inner)]
        return [self.pick(["call/cc", "call-with-current-continuation"]), ["lambda", [k], body]]

    def guard_expr(self, type_: str, ctx: Ctx):
        """guard as an expression; its body often raises."""
        e = self.fresh("e")
        body_ctx = ctx.with_handler("guard")
        self.features.add("guard")
        if self.chance(50):
            body = ["if", self.B(body_ctx), self.raise_form(body_ctx), self.expr(type_, body_ctx)]
        else:
            body = self.expr(type_, body_ctx)
        clauses = []
        typed = {INT: [(["number?", e], INT), (["string?", e], None)],
                 STR: [(["string?", e], STR), (["symbol?", e], None)],
                 BOOL: [(["error-object?", e], None)],
                 LIST: [(["number?", e], None)]}[type_]
        for test, bound in typed:
            if self.chance(50):
                clause_ctx = ctx.bind(e, bound) if bound else ctx
                clauses.append([test, self.expr(type_, clause_ctx)])
        if type_ == STR and self.chance(50):
            clauses.append([["error-object?", e], ["error-object-message", e]])
        if type_ == INT and self.chance(30):
            clauses.append([["error-object?", e], ["length", ["error-object-irritants", e]]])
        report = self.pick([["display", ["list", "'caught", e]], ["write", e], ["display", "\"!\""]])
        clauses.append([self.pick(["#t", "else"]), report, self.expr(type_, ctx)])
        return ["guard", [e, *clauses], body]

    def weh_expr(self, ctx: Ctx):
        """with-exception-handler whose handler returns, with raise-continuable."""
        e = self.fresh("e")
        handler = ["lambda", [e], self.I(ctx.bind(e, INT))]
        inner = ctx.with_handler("weh")
        self.features.add("with-exception-handler")
        body = self.weighted([
            (2, lambda: ["+", self.I(inner), ["raise-continuable", self.I(inner)]]),
            (1, lambda: self.I(inner)),
        ])
        return ["with-exception-handler", handler, ["lambda", [], body]]

    # ---- statements -------------------------------------------------------

    def stmts(self, ctx: Ctx, lo: int = 1, hi: int = 3) -> list:
        out = []
        for _ in range(self.num(lo, hi)):
            out.extend(self.stmt(ctx))
        return out

    def stmt(self, ctx: Ctx) -> list:
        """One statement (a list of forms, executed for effect)."""
        d = ctx.deeper()
        assignable = [v for v in ctx.scope.values() if v.mutable and v.type in VALUE_TYPES + (PROC,)]
        loops_ok = ctx.loops < 2 and ctx.depth > 0
        return self.weighted([
            (8, lambda: self.print_stmt(ctx)),
            (4 if assignable else 0, lambda: [self.assign(ctx, self.pick(assignable))]),
            (2 if ctx.depth > 0 else 0, lambda: [[self.pick(["when", "unless"]), self.B(d), *self.stmts(d, 1, 2)]]),
            (1 if ctx.depth > 0 else 0, lambda: [["if", self.B(d), ["begin", *self.stmts(d, 1, 2)],
                                                  ["begin", *self.stmts(d, 1, 2)]]]),
            (2 if loops_ok else 0, lambda: [self.for_each_stmt(d)]),
            (1 if loops_ok else 0, lambda: [self.do_stmt(d)]),
            (2 if ctx.depth > 0 else 0, lambda: [self.let_stmt(d)]),
            (1 if ctx.escapes else 0, lambda: [["when", self.B(d), [self.pick(ctx.escapes), self.I(d)]]]),
            (1 if ctx.can_raise() else 0, lambda: [["when", self.B(d), self.raise_form(d)]]),
            (1, lambda: [self.vector_stmt(d)]),
            (1 if ctx.vars(THUNK) else 0, lambda: [[self.pick(ctx.vars(THUNK))]]),
        ])

    def print_stmt(self, ctx: Ctx) -> list:
        def value():
            return [self.pick(["display", "write"]), self.expr(self.pick(VALUE_TYPES), ctx)]

        def number():  # rationals and flonums, only ever printed
            self.features.add("numeric-tower")
            q = ["/", self.I(ctx), self.pick(NONZERO)]
            return ["display", self.pick([q, ["exact->inexact", q], ["list", q, ["*", "1.5", self.I(ctx)]]])]

        def mixed():
            return ["write", ["list", self.pick(SYMBOLS), self.S(ctx), self.I(ctx), "#\\a", ["cons", "1", "2"]]]

        form = self.weighted([(8, value), (1, number), (1, mixed)])
        sep = self.pick([["newline"], ["newline"], ["display", '" "']])
        return [form, sep]

    def assign(self, ctx: Ctx, var: Var):
        """set! keeping the variable's type; strings and lists only grow by
        a bounded amount each time (see the module docstring)."""
        self.features.add("set!")
        v, small_ctx = var.name, ctx.no_aggregates()
        if var.type == INT:
            value = self.weighted([(2, lambda: ["+", v, self.I(ctx)]), (1, lambda: self.I(ctx))])
        elif var.type == BOOL:
            value = self.B(ctx)
        elif var.type == STR:
            value = self.weighted([(2, lambda: ["string-append", v, self.S(small_ctx)]),
                                   (1, lambda: self.S(small_ctx))])
        elif var.type == LIST:
            value = self.weighted([(2, lambda: ["cons", self.I(ctx), v]),
                                   (1, lambda: ["if", ["pair?", v], ["cdr", v], v]),
                                   (1, lambda: self.L(small_ctx))])
        else:
            value = self.P(ctx)
        return ["set!", v, value]

    def for_each_stmt(self, ctx: Ctx):
        self.features.add("for-each")
        inner = ctx.in_loop()
        if self.chance(20):
            x = self.fresh("ch")
            return ["string-for-each", ["lambda", [x], ["write", ["char->integer", x]]], self.S(ctx)]
        if self.chance(20):
            x, y = self.fresh("x"), self.fresh("y")
            return ["for-each", ["lambda", [x, y], *self.stmts(inner.bind(x, INT).bind(y, INT), 1, 2)],
                    self.L(ctx), self.L(ctx)]
        x = self.fresh("x")
        return ["for-each", ["lambda", [x], *self.stmts(inner.bind(x, INT), 1, 2)], self.L(ctx)]

    def do_stmt(self, ctx: Ctx):
        i = self.fresh("i")
        self.features.add("do")
        return ["do", [[i, "0", ["+", i, "1"]]], [["=", i, self.small(0, 5)]],
                *self.stmts(ctx.in_loop().bind(i, INT, mutable=False), 1, 2)]

    def let_stmt(self, ctx: Ctx):
        bindings, inner = [], ctx
        for _ in range(self.num(1, 2)):
            ty = self.pick(VALUE_TYPES)
            name = self.fresh(PREFIX[ty])
            bindings.append([name, self.expr(ty, ctx)])
            inner = inner.bind(name, ty)
        return ["let", bindings, *self.stmts(inner, 1, 3)]

    def vector_stmt(self, ctx: Ctx):
        v = self.fresh("vec")
        self.features.add("vector")
        size = self.num(1, 5)
        body = [["vector-set!", v, str(self.num(0, size - 1)), self.I(ctx)]
                for _ in range(self.num(1, 2))]
        show = self.pick([["write", v], ["write", ["vector->list", v]],
                          ["write", ["vector-map", ["lambda", ["x"], ["*", "x", "2"]], v]],
                          ["display", ["vector-length", v]]])
        return ["let", [[v, ["make-vector", str(size), self.I(ctx)]]], *body, show, ["newline"]]

    # ---- blocks: top-level fragments, one feature each ---------------------
    #
    # Each returns a list of top-level forms and may add globals to self.top.

    def define_global(self, type_: str, value) -> list:
        name = self.fresh("g" + PREFIX[type_])
        self.top = self.top.bind(name, type_, mutable=type_ in VALUE_TYPES)
        return ["define", name, value]

    def block_globals(self) -> list:
        forms = []
        for ty in (INT, STR, LIST):
            if self.chance(70):
                forms.append(self.define_global(ty, self.expr(ty, self.top.at_depth(1))))
        return forms

    def block_statements(self) -> list:
        self.features.add("statements")
        body = self.stmts(self.top, 2, 4)
        return [["let", [], *body]] if self.chance(30) else body

    def block_counter(self) -> list:
        """A closure over a local it assigns (make-counter)."""
        self.features.update({"closure", "set!-captured"})
        mk, start, step, n = self.fresh("make-counter"), self.fresh("start"), self.fresh("step"), self.fresh("n")
        body = self.top.stored().bind(start, INT).bind(step, INT).bind(n, INT)
        update = self.weighted([(3, lambda: ["+", n, step]), (1, lambda: self.I(body.deeper()))])
        forms = [["define", [mk, start, step], ["let", [[n, start]], ["lambda", [], ["set!", n, update], n]]]]
        counters = []
        for _ in range(self.num(1, 2)):
            c = self.fresh("c")
            forms.append(["define", c, [mk, self.I(self.top.deeper()), self.small(-3, 5)]])
            counters.append(c)
        calls = [[self.pick(counters)] for _ in range(self.num(2, 4))]
        forms += [["write", ["list", *calls]], ["newline"]]
        for c in counters:
            self.top = self.top.bind(c, THUNK, mutable=False)
        return forms

    def block_closures(self) -> list:
        """Procedure factories; closures returned and called later."""
        self.features.update({"closure", "closure-returned"})
        mk, k, x = self.fresh("make-adder"), self.fresh("k"), self.fresh("x")
        body = self.top.stored().bind(k, INT).bind(x, INT)
        f = self.fresh("f")
        forms = [["define", [mk, k], ["lambda", [x], self.I(body)]],
                 ["define", f, [mk, self.I(self.top.deeper())]]]
        self.top = self.top.bind(mk, FACTORY, mutable=False).bind(f, PROC)
        forms.append(["write", ["list", [f, self.I(self.top)], [[mk, self.small()], self.I(self.top)]]])
        forms.append(["newline"])
        if self.chance(60):
            comp, g1, g2, y = self.fresh("compose"), self.fresh("f"), self.fresh("g"), self.fresh("y")
            forms.append(["define", [comp, g1, g2], ["lambda", [y], [g1, [g2, y]]]])
            forms.append(["write", ["map", [comp, f, self.P(self.top)], self.L(self.top)]])
            forms.append(["newline"])
        return forms

    def block_shared_state(self) -> list:
        """Closures sharing captured locals that they assign; globals set!
        from inside a let."""
        self.features.update({"closure", "set!-captured", "set!-global"})
        get, bump = self.fresh("get"), self.fresh("bump")
        vi, vs, vl, k = self.fresh("n"), self.fresh("s"), self.fresh("l"), self.fresh("k")
        state = self.top.bind(vi, INT).bind(vs, STR).bind(vl, LIST)
        bump_ctx = state.stored().bind(k, INT)
        bump_ctx.loops = 2  # bump may run inside loops: keep its body loop-free
        bump_ctx = bump_ctx.at_depth(2)
        bump_body = [self.assign(bump_ctx, bump_ctx.scope[vi])]
        for _ in range(self.num(0, 2)):
            bump_body.extend(self.stmt(bump_ctx))
        forms = [["define", get, "#f"], ["define", bump, "#f"],
                 ["let", [[vi, self.I(self.top)], [vs, self.S(self.top)], [vl, self.L(self.top)]],
                  ["set!", get, ["lambda", [], ["list", vi, vs, vl]]],
                  ["set!", bump, ["lambda", [k], *bump_body, vi]]]]
        for _ in range(self.num(1, 3)):
            forms.append(["write", [bump, self.I(self.top)]])
            forms.append(["write", [get]])
            forms.append(["newline"])
        self.top = self.top.bind(bump, PROC, mutable=False)
        return forms

    def block_global_mutation(self) -> list:
        """A global assigned from a procedure called in a loop."""
        self.features.update({"set!-global", "for-each"})
        g = self.fresh("gn")
        bump, k = self.fresh("bump"), self.fresh("k")
        forms = [["define", g, self.I(self.top)]]
        self.top = self.top.bind(g, INT)
        body = self.top.stored().bind(k, INT)
        forms.append(["define", [bump, k], ["set!", g, ["+", g, self.I(body)]], g])
        forms.append(["for-each", bump, self.L(self.top)])
        forms.append(["write", ["list", g, [bump, self.I(self.top)]]])
        forms.append(["newline"])
        self.top = self.top.bind(bump, PROC, mutable=False)
        return forms

    def block_named_let(self) -> list:
        self.features.add("named-let")
        loop, i, acc = self.fresh("loop"), self.fresh("i"), self.fresh("acc")
        n = self.small(0, 12)
        ty = self.pick([INT, INT, LIST, STR])
        ctx = self.top.bind(i, INT, mutable=False)
        if ty == INT:
            update = self.I(ctx.bind(acc, INT, mutable=False))
        elif ty == LIST:
            update = ["cons", self.I(ctx), acc]
        else:
            update = ["string-append", acc, self.S(ctx.no_aggregates())]
        init = self.expr(ty, self.top.deeper())
        step = [loop, ["+", i, "1"], update]
        variant = self.num(0, 2)
        if variant == 1:  # statements in the loop body
            step = ["begin", *self.stmts(ctx.in_loop().bind(acc, ty, mutable=False).deeper(), 1, 2), step]
        if variant == 2:  # two nested loops
            inner, j = self.fresh("inner"), self.fresh("j")
            body_ctx = ctx.in_loop().in_loop().bind(j, INT, mutable=False)
            return [["let", loop, [[i, "0"]],
                     ["when", ["<", i, self.small(0, 4)],
                      ["let", inner, [[j, "0"]],
                       ["when", ["<", j, self.small(0, 4)],
                        ["write", ["list", i, j, self.I(body_ctx)]],
                        [inner, ["+", j, "1"]]]],
                      [loop, ["+", i, "1"]]]],
                    ["newline"]]
        return [["write", ["let", loop, [[i, "0"], [acc, init]], ["if", ["<", i, n], step, acc]]],
                ["newline"]]

    def block_do_loop(self) -> list:
        self.features.add("do")
        i, acc = self.fresh("i"), self.fresh("acc")
        ctx = self.top.bind(i, INT, mutable=False).bind(acc, INT, mutable=False)
        return [["do", [[i, "0", ["+", i, "1"]], [acc, self.I(self.top), self.I(ctx)]],
                 [["=", i, self.small(0, 8)], ["write", acc], ["newline"]],
                 *self.stmts(ctx.in_loop(), 0, 2)]]

    def block_tail_recursion(self) -> list:
        self.features.add("tail-recursion")
        variant = self.num(0, 2)
        if variant == 0:  # accumulator loop
            f, n, acc = self.fresh("iter"), self.fresh("n"), self.fresh("acc")
            body = self.top.stored().bind(n, INT, mutable=False).bind(acc, INT, mutable=False)
            return [["define", [f, n, acc], ["if", ["=", n, "0"], acc, [f, ["-", n, "1"], self.I(body)]]],
                    ["write", [f, self.small(0, 50), self.I(self.top)]], ["newline"]]
        if variant == 1:  # mutual recursion
            ev, od, n = self.fresh("ev?"), self.fresh("od?"), self.fresh("n")
            return [["define", [ev, n], ["if", ["=", n, "0"], "#t", [od, ["-", n, "1"]]]],
                    ["define", [od, n], ["if", ["=", n, "0"], "#f", [ev, ["-", n, "1"]]]],
                    ["write", ["list", [ev, self.small(0, 50)], [od, self.small(0, 50)]]], ["newline"]]
        # tail calls through cond, and, or, when, apply
        f, n, acc = self.fresh("walk"), self.fresh("n"), self.fresh("acc")
        body = self.top.stored().bind(n, INT, mutable=False).bind(acc, INT, mutable=False)
        return [["define", [f, n, acc],
                 ["cond", [["<=", n, "0"], acc],
                  [["even?", n], ["and", "#t", [f, ["-", n, "1"], ["+", acc, "1"]]]],
                  [["=", ["remainder", n, "3"], "0"], ["apply", f, ["list", ["-", n, "1"], self.I(body)]]],
                  ["else", ["or", "#f", [f, ["-", n, "1"], ["-", acc, n]]]]]],
                ["write", [f, self.small(0, 50), self.small()]], ["newline"]]

    def block_recursion(self) -> list:
        """Non-tail recursion, at most 50 deep (or a small tree)."""
        self.features.add("recursion")
        variant = self.num(0, 3)
        n = self.fresh("n")
        if variant == 0:
            f = self.fresh("sum")
            body = self.top.stored().bind(n, INT, mutable=False)
            return [["define", [f, n], ["if", ["<=", n, "0"], self.I(body), ["+", self.I(body), [f, ["-", n, "1"]]]]],
                    ["write", [f, self.small(0, 50)]], ["newline"]]
        if variant == 1:
            f = self.fresh("build")
            body = self.top.stored().no_aggregates().bind(n, INT, mutable=False)
            return [["define", [f, n], ["if", ["=", n, "0"], "'()", ["cons", self.I(body), [f, ["-", n, "1"]]]]],
                    ["write", [f, self.small(0, 12)]], ["newline"]]
        if variant == 2:
            f = self.fresh("fib")
            return [["define", [f, n], ["if", ["<", n, "2"], n, ["+", [f, ["-", n, "1"]], [f, ["-", n, "2"]]]]],
                    ["write", ["map", f, ["list", self.small(0, 12), self.small(0, 10)]]], ["newline"]]
        f, t = self.fresh("depth"), self.fresh("t")
        tree = self.pick(["'(1 (2 (3 (4))) (5))", "'((((a))) b)", "'()", "'(1 2 3)", "'((1 2) ((3) 4) (((5))))"])
        return [["define", [f, t], ["if", ["pair?", t], ["+", "1", ["apply", "max", "0", ["map", f, t]]], "0"]],
                ["write", [f, tree]], ["newline"]]

    def block_callcc_escape(self) -> list:
        self.features.add("call/cc-escape")
        variant = self.num(0, 2)
        if variant == 0:  # early exit from for-each
            find, pred, lst, ret, x = (self.fresh("find"), self.fresh("pred"), self.fresh("lst"),
                                       self.fresh("return"), self.fresh("x"))
            y = self.fresh("y")
            test = ["lambda", [y], self.B(self.top.stored().bind(y, INT))]
            return [["define", [find, pred, lst],
                     ["call/cc", ["lambda", [ret],
                                  ["for-each", ["lambda", [x], ["display", x], ["display", '" "'],
                                                ["when", [pred, x], [ret, x]]], lst],
                                  "#f"]]],
                    ["write", [find, test, self.L(self.top)]], ["newline"]]
        if variant == 1:  # break out of two nested loops
            brk, loop, inner, i, j = (self.fresh("break"), self.fresh("loop"), self.fresh("inner"),
                                      self.fresh("i"), self.fresh("j"))
            ctx = self.top.bind(i, INT, mutable=False).bind(j, INT, mutable=False)
            return [["write", ["call/cc", ["lambda", [brk],
                     ["let", loop, [[i, "0"]],
                      ["when", ["<", i, self.small(1, 5)],
                       ["let", inner, [[j, "0"]],
                        ["when", ["<", j, self.small(1, 5)],
                         ["when", self.B(ctx), [brk, ["list", i, j]]],
                         [inner, ["+", j, "1"]]]],
                       [loop, ["+", i, "1"]]]],
                     "'none"]]],
                    ["newline"]]
        # escape from the bottom of a deep recursion (internal define)
        k, walk, n = self.fresh("k"), self.fresh("walk"), self.fresh("n")
        return [["write", ["call/cc", ["lambda", [k],
                  ["define", [walk, n], ["if", ["=", n, "0"], [k, ["list", "'bottom", self.I(self.top)]],
                                         ["+", "1", [walk, ["-", n, "1"]]]]],
                  [walk, self.small(0, 40)]]]],
                ["newline"]]

    def block_callcc_reentry(self) -> list:
        """A continuation saved in a variable and re-entered a bounded number
        of times (a counter guards the re-entry)."""
        self.features.add("call/cc-reentry")
        k, n, c = self.fresh("k"), self.fresh("n"), self.fresh("c")
        times = self.small(1, 3)
        variant = self.num(0, 8)
        self.features.add(f"call/cc-reentry-{variant}")
        local = self.top.bind(n, INT, mutable=False)
        if variant == 0:  # re-enter a let body
            return [["let", [[k, "#f"], [n, "0"]],
                     ["write", ["list", "'value", ["call/cc", ["lambda", [c], ["set!", k, c], self.I(self.top)]]]],
                     *self.stmts(local.at_depth(1), 0, 2),
                     ["newline"],
                     ["set!", n, ["+", n, "1"]],
                     ["if", ["<", n, times], [k, ["*", n, "10"]]]]]
        if variant == 1:  # re-enter the middle of an argument list
            v = self.fresh("v")
            return [["let", [[k, "#f"], [n, "0"]],
                     ["let", [[v, ["list", ["begin", ["set!", n, ["+", n, "1"]], n],
                                   ["call/cc", ["lambda", [c], ["set!", k, c], "1"]],
                                   self.I(self.top)]]],
                      ["write", v], ["newline"],
                      ["if", ["<", ["cadr", v], times], [k, ["+", ["cadr", v], "1"]]]]]]
        if variant == 2:  # a generator over a list
            mk, lst, ret, res, start, x, nxt, r = (self.fresh("make-gen"), self.fresh("lst"),
                                                   self.fresh("return"), self.fresh("resume"),
                                                   self.fresh("start"), self.fresh("x"),
                                                   self.fresh("next"), self.fresh("r"))
            gen, loop, v, i = self.fresh("gen"), self.fresh("loop"), self.fresh("v"), self.fresh("i")
            return [["define", [mk, lst],
                     ["define", ret, "#f"],
                     ["define", res, "#f"],
                     ["define", [start],
                      ["for-each", ["lambda", [x], ["call/cc", ["lambda", [nxt], ["set!", res, nxt], [ret, x]]]], lst],
                      [ret, "'done"]],
                     ["lambda", [], ["call/cc", ["lambda", [r], ["set!", ret, r],
                                                 ["if", res, [res, "#f"], [start]]]]]],
                    ["define", gen, [mk, self.L(self.top)]],
                    ["let", loop, [[v, [gen]], [i, "0"]],
                     ["write", v], ["display", '" "'],
                     ["if", ["and", ["not", ["eq?", v, "'done"]], ["<", i, "20"]], [loop, [gen], ["+", i, "1"]]]],
                    ["newline"]]
        if variant == 3:  # re-enter a dynamic-wind body: the before thunk runs again
            return [["let", [[k, "#f"], [n, "0"]],
                     ["dynamic-wind",
                      ["lambda", [], ["display", '"[in]"']],
                      ["lambda", [], ["call/cc", ["lambda", [c], ["set!", k, c]]],
                       ["set!", n, ["+", n, "1"]], ["display", n]],
                      ["lambda", [], ["display", '"[out]"']]],
                     ["newline"],
                     ["if", ["<", n, times], [k, "'again"]]]]
        if variant == 4:  # re-enter a loop in the middle
            loop, i = self.fresh("loop"), self.fresh("i")
            return [["let", [[k, "#f"], [n, "0"]],
                     ["let", loop, [[i, "0"]],
                      ["when", ["<", i, "4"],
                       ["when", ["=", i, self.small(0, 3)], ["call/cc", ["lambda", [c], ["set!", k, c]]]],
                       ["display", i],
                       [loop, ["+", i, "1"]]]],
                     ["newline"],
                     ["set!", n, ["+", n, "1"]],
                     ["if", ["<", n, times], [k, "#f"]]]]
        if variant == 5:  # re-enter a guard body after the guard has returned
            e = self.fresh("e")
            return [["let", [[k, "#f"], [n, "0"]],
                     ["guard", [e, ["#t", ["display", ["list", "'caught", e]]]],
                      ["call/cc", ["lambda", [c], ["set!", k, c]]],
                      ["set!", n, ["+", n, "1"]],
                      ["display", ["list", "'body", n]],
                      ["if", [self.pick(["odd?", "even?"]), n], ["raise", n]]],
                     ["newline"],
                     ["if", ["<", n, times], [k, "#f"]]]]
        if variant == 6:  # re-enter under with-exception-handler
            e = self.fresh("e")
            return [["let", [[k, "#f"], [n, "0"]],
                     ["write", ["with-exception-handler",
                                ["lambda", [e], ["*", e, "10"]],
                                ["lambda", [], ["+", ["call/cc", ["lambda", [c], ["set!", k, c], "1"]],
                                                ["raise-continuable", n]]]]],
                     ["newline"],
                     ["set!", n, ["+", n, "1"]],
                     ["if", ["<", n, times], [k, n]]]]
        if variant == 7:  # re-enter a continuation captured inside map
            r, x = self.fresh("r"), self.fresh("x")
            which = self.small(1, 3)
            return [["let", [[k, "#f"], [n, "0"]],
                     ["let", [[r, ["map", ["lambda", [x], ["call/cc", ["lambda", [c],
                                                                      ["if", ["=", x, which], ["set!", k, c]], x]]],
                                   "'(1 2 3)"]]],
                      ["write", r], ["newline"],
                      ["set!", n, ["+", n, "1"]],
                      ["if", ["<", n, times], [k, ["*", "10", n]]]]]]
        # re-enter a top-level form from a later one
        gk, gn = self.fresh("gk"), self.fresh("gn")
        return [["define", gk, "#f"],
                ["define", gn, "0"],
                ["write", ["list", "'top", ["call/cc", ["lambda", [c], ["set!", gk, c], "0"]]]],
                ["newline"],
                ["set!", gn, ["+", gn, "1"]],
                ["if", ["<", gn, times], [gk, gn]],
                ["display", ["list", "'after", gn]],
                ["newline"]]

    def block_dynamic_wind(self) -> list:
        """Nested dynamic-winds left normally, by an escape, or by a raise;
        the before/after thunks print, so their order shows."""
        self.features.add("dynamic-wind")
        wind, tag, thunk = self.fresh("wind"), self.fresh("tag"), self.fresh("thunk")
        k, e = self.fresh("k"), self.fresh("e")
        ctx = self.top.with_handler("guard").with_escape(k).at_depth(1)

        def body(level):
            opts = [(2, lambda: self.I(ctx)),
                    (2, lambda: [k, ["list", "'escaped", self.I(ctx)]]),
                    (2, lambda: self.raise_form(ctx))]
            if level < 3:
                opts.append((4, lambda: ["+", self.small(), [wind, str(level + 1), ["lambda", [], body(level + 1)]]]))
            return self.weighted(opts)

        return [["define", [wind, tag, thunk],
                 ["dynamic-wind", ["lambda", [], ["display", ["list", "'in", tag]]],
                  thunk,
                  ["lambda", [], ["display", ["list", "'out", tag]]]]],
                ["write", ["guard", [e, ["#t", ["list", "'caught",
                                                ["if", ["error-object?", e], ["error-object-message", e], e]]]],
                           ["call/cc", ["lambda", [k], [wind, "1", ["lambda", [], body(1)]]]]]],
                ["newline"]]

    def block_guard(self) -> list:
        self.features.add("guard")
        variant = self.num(0, 4)
        e, x = self.fresh("e"), self.fresh("x")
        if variant == 0:  # a guard in a loop, raising different kinds of objects
            ctx = self.top.with_handler("guard").bind(x, INT, mutable=False).at_depth(1)
            return [["for-each",
                     ["lambda", [x],
                      ["guard", [e, [["symbol?", e], ["display", ["list", "'sym", e]]],
                                 [["string?", e], ["display", ["list", "'str", e]]],
                                 [["error-object?", e], ["display", ["error-object-message", e]],
                                  ["write", ["error-object-irritants", e]]],
                                 ["else", ["display", ["list", "'other", e]]]],
                       ["cond", [["=", x, "0"], self.raise_form(ctx)],
                        [["<", x, "0"], self.raise_form(ctx)],
                        [[">", x, "5"], self.raise_form(ctx)],
                        ["else", ["display", ["quotient", "100", x]]]]],
                      ["newline"]],
                     self.pick(["'(1 0 -2 7 3)", "'(6 -1 0)", "'(2 4)", self.list_lit()])]]
        if variant == 1:  # nested guards: the inner one does not catch everything
            inner = self.fresh("inner")
            ctx = self.top.with_handler("guard").at_depth(1)
            return [["guard", [e, ["#t", ["display", ["list", "'outer", e]]]],
                     ["guard", [inner, [["string?", inner], ["display", ["list", "'inner", inner]]],
                                [["symbol?", inner], ["raise", ["list", inner, "'again"]]]],
                      ["display", '"start "'],
                      self.raise_form(ctx)]],
                    ["newline"]]
        if variant == 2:  # the => clause
            p = self.fresh("p")
            return [["write", ["guard", [e, [["and", ["pair?", e], ["assq", "'code", e]], "=>",
                                             ["lambda", [p], ["*", "2", ["cdr", p]]]],
                                        ["else", "'no-code"]],
                               ["raise", self.pick([["list", ["cons", "'code", self.I(self.top)]],
                                                    ["list", ["cons", "'other", "1"]], "'plain"])]]],
                    ["newline"]]
        if variant == 3:  # an error deep in a recursion, or in a map callback
            f, n = self.fresh("deep"), self.fresh("n")
            ctx = self.top.with_handler("guard").at_depth(1)
            return [["define", [f, n], ["if", ["=", n, "0"], self.raise_form(ctx), ["+", "1", [f, ["-", n, "1"]]]]],
                    ["guard", [e, [["error-object?", e], ["display", ["error-object-message", e]],
                                   ["write", ["error-object-irritants", e]]],
                               ["#t", ["write", ["list", "'raised", e]]]],
                     ["write", self.pick([[f, self.small(0, 30)],
                                          ["map", ["lambda", [x], ["if", ["=", x, "2"], [f, "3"], x]], "'(1 2 3)"]])]],
                    ["newline"]]
        # guard and dynamic-wind: the after thunk runs before the clause
        ctx = self.top.with_handler("guard").at_depth(1)
        return [["guard", [e, ["#t", ["display", ["list", "'handler", ["error-object?", e]]]]],
                 ["dynamic-wind", ["lambda", [], ["display", '"[before]"']],
                  ["lambda", [], ["display", '"[body]"'], self.raise_form(ctx)],
                  ["lambda", [], ["display", '"[after]"']]]],
                ["newline"]]

    def block_exception_handler(self) -> list:
        self.features.add("with-exception-handler")
        variant = self.num(0, 5)
        e, k = self.fresh("e"), self.fresh("k")
        if variant == 0:  # raise-continuable: the handler's value comes back
            return [["write", ["with-exception-handler",
                               ["lambda", [e], self.I(self.top.bind(e, INT))],
                               ["lambda", [], ["+", ["raise-continuable", self.I(self.top)],
                                               ["raise-continuable", self.I(self.top)]]]]],
                    ["newline"]]
        if variant == 1:  # the handler escapes through a continuation
            ctx = self.top.with_handler("guard").at_depth(1)
            return [["write", ["call/cc", ["lambda", [k],
                                          ["with-exception-handler",
                                           ["lambda", [e], [k, ["list", "'handled", e]]],
                                           ["lambda", [], ["display", '"before "'],
                                            self.raise_form(ctx), ["display", '"not here"']]]]]],
                    ["newline"]]
        if variant == 2:  # nested handlers: the inner one re-raises to the outer one
            return [["write", ["with-exception-handler",
                               ["lambda", [e], ["+", e, "1000"]],
                               ["lambda", [],
                                ["with-exception-handler",
                                 ["lambda", [e], ["raise-continuable", ["*", e, "2"]]],
                                 ["lambda", [], ["+", "1", ["raise-continuable", self.I(self.top)]]]]]]],
                    ["newline"]]
        if variant == 3:  # a handler returning from a non-continuable raise
            e2 = self.fresh("e")
            return [["guard", [e2, [["error-object?", e2], ["display", ["error-object-message", e2]],
                                    ["write", ["error-object-irritants", e2]]]],
                     ["with-exception-handler", ["lambda", [e], "0"],
                      ["lambda", [], ["+", "1", ["raise", self.pick(SYMBOLS + ["42"])]]]]],
                    ["newline"]]
        if variant == 4:  # an error from a primitive, handled and escaped from
            ctx = self.top.with_handler("guard").at_depth(1)
            return [["write", ["call/cc", ["lambda", [k],
                                          ["with-exception-handler",
                                           ["lambda", [e], [k, ["if", ["error-object?", e],
                                                                ["error-object-message", e], e]]],
                                           ["lambda", [], self.raise_form(ctx)]]]]],
                    ["newline"]]
        # the handler runs in the dynamic context of the raise
        return [["write", ["with-exception-handler",
                           ["lambda", [e], ["display", '"[handler]"'], ["+", e, "1"]],
                           ["lambda", [], ["dynamic-wind", ["lambda", [], ["display", '"[in]"']],
                                           ["lambda", [], ["raise-continuable", self.I(self.top)]],
                                           ["lambda", [], ["display", '"[out]"']]]]]],
                ["newline"]]

    def block_strings(self) -> list:
        self.features.add("strings")
        s = self.fresh("str")
        forms = [["define", s, ["string-copy", self.S(self.top)]]]
        self.top = self.top.bind(s, STR)
        ctx = self.top
        forms += [["write", ["string->list", s]], ["newline"],
                  ["write", ["list", ["string-length", s], self.substring_expr(ctx),
                             ["string-append", s, ["number->string", self.I(ctx)]]]],
                  ["newline"]]
        if self.chance(50):  # strings are mutable
            forms.append(["when", [">", ["string-length", s], "0"],
                          ["string-set!", s, "0", "#\\J"], ["write", s], ["newline"]])
        forms += self.print_stmt(ctx.at_depth(3))
        return forms

    def block_lists(self) -> list:
        self.features.add("lists")
        ctx = self.top
        lst = self.fresh("lst")
        forms = [["define", lst, self.L(ctx)]]
        self.top = self.top.bind(lst, LIST)
        items = [
            ["assq", "'b", "'((a 1) (b 2) (c 3))"],
            ["assv", self.small(0, 3), "'((1 . one) (2 . two))"],
            ["assoc", self.S(ctx), "'((\"a\" 1) (\"xyz\" 2))"],
            ["member", self.I(ctx), lst],
            ["memv", self.small(0, 5), ["list", "1", "3", "5"]],
            ["append", lst, ["list", self.I(ctx)], lst],
            ["length", lst],
            ["reverse", lst],
            ["list->vector", lst],
            ["cons", "1", "2"],
            ["sort", lst, "<"],
            ["apply", "max", ["cons", self.I(ctx), lst]],
            ["map", ["lambda", ["x", "y"], ["list", "x", "y"]], lst, self.L(ctx)],
        ]
        chosen = [self.pick(items) for _ in range(self.num(2, 4))]
        forms += [["write", ["list", *chosen]], ["newline"]]
        return forms

    def block_letrec(self) -> list:
        """Internal defines and letrec mutual recursion."""
        self.features.update({"letrec", "internal-define"})
        proc, x, a, helper, y = (self.fresh("proc"), self.fresh("x"), self.fresh("a"),
                                 self.fresh("helper"), self.fresh("y"))
        ev, od, m = self.fresh("ev?"), self.fresh("od?"), self.fresh("m")
        ctx = self.top.stored().bind(x, INT)
        ctx_a = ctx.bind(a, INT)
        kind = self.pick(["letrec", "letrec*"])
        return [["define", [proc, x],
                 ["define", a, self.I(ctx)],
                 ["define", [helper, y], self.I(ctx_a.bind(y, INT))],
                 [kind, [[ev, ["lambda", [m], ["if", ["=", m, "0"], "#t", [od, ["-", m, "1"]]]]],
                         [od, ["lambda", [m], ["if", ["=", m, "0"], "#f", [ev, ["-", m, "1"]]]]]],
                  ["list", [helper, a], [ev, ["remainder", ["abs", x], "20"]]]]],
                ["write", [proc, self.I(self.top)]], ["newline"]]

    def block_vectors(self) -> list:
        self.features.add("vector")
        forms = [self.vector_stmt(self.top)]
        if self.chance(50):
            v, e = self.fresh("vec"), self.fresh("e")
            forms.append(["let", [[v, ["vector", self.I(self.top), self.I(self.top)]]],
                          ["vector-fill!", v, self.I(self.top)],
                          ["write", ["guard", [e, [["error-object?", e], ["error-object-message", e]]],
                                     ["vector-ref", v, self.pick(["1", "10", "-1"])]]],
                          ["newline"]])
        return forms

    def block_parameterize(self) -> list:
        self.features.add("parameterize")
        p, k, c = self.fresh("param"), self.fresh("k"), self.fresh("c")
        conv = ["lambda", ["x"], ["*", "x", "2"]]
        forms = [["define", p, ["make-parameter", self.I(self.top), *([conv] if self.chance(50) else [])]],
                 ["write", [p]],
                 ["parameterize", [[p, self.I(self.top)]],
                  ["write", [p]],
                  ["parameterize", [[p, self.I(self.top)]], ["write", [p]]],
                  ["write", [p]]],
                 ["write", [p]]]
        if self.chance(50):  # escape out of, then re-enter, a parameterize
            n = self.fresh("n")
            forms.append(["let", [[k, "#f"], [n, "0"]],
                          ["parameterize", [[p, "5"]],
                           ["call/cc", ["lambda", [c], ["set!", k, c]]],
                           ["write", [p]]],
                          ["write", [p]],
                          ["set!", n, ["+", n, "1"]],
                          ["if", ["<", n, "2"], [k, "#f"]]])
            self.features.add("call/cc-reentry")
        forms.append(["newline"])
        return forms

    def block_values(self) -> list:
        self.features.add("values")
        a, b = self.fresh("gv"), self.fresh("gv")
        forms = [["define-values", [a, b], ["values", self.I(self.top), self.I(self.top)]]]
        self.top = self.top.bind(a, INT).bind(b, INT)
        forms += [["write", ["call-with-values", ["lambda", [], ["values", a, b, self.I(self.top)]], "list"]],
                  ["write", self.values_expr(self.top)], ["newline"]]
        return forms

    def block_varargs(self) -> list:
        """Rest arguments, apply, case-lambda, and an arity error caught."""
        self.features.add("varargs")
        f, a, rest, cl, e = self.fresh("va"), self.fresh("a"), self.fresh("rest"), self.fresh("cl"), self.fresh("e")
        I = lambda: self.I(self.top)
        return [["define", [f, a, ".", rest], ["list", a, ["length", rest], rest]],
                ["define", cl, ["case-lambda", [["x"], ["list", "'one", "x"]],
                                [["x", "y"], ["list", "'two", "x", "y"]],
                                [["x", ".", "r"], ["list", "'many", "x", "r"]]]],
                ["write", ["list", [f, I()], [f, I(), I(), I()], ["apply", f, I(), self.L(self.top)],
                           [cl, I()], [cl, I(), I()], [cl, I(), I(), I()]]],
                ["newline"],
                ["write", ["guard", [e, [["error-object?", e], ["error-object-message", e]]],
                           [["lambda", ["x", "y"], "x"], I()]]],
                ["newline"]]

    BLOCKS = [
        (3, "block_statements"), (2, "block_counter"), (2, "block_closures"),
        (2, "block_shared_state"), (1, "block_global_mutation"), (2, "block_named_let"),
        (1, "block_do_loop"), (2, "block_tail_recursion"), (2, "block_recursion"),
        (3, "block_callcc_escape"), (4, "block_callcc_reentry"), (3, "block_dynamic_wind"),
        (3, "block_guard"), (3, "block_exception_handler"), (1, "block_strings"),
        (1, "block_lists"), (1, "block_letrec"), (1, "block_vectors"),
        (1, "block_parameterize"), (1, "block_values"), (1, "block_varargs"),
    ]

    # ---- a deliberate uncaught error at the end -----------------------------

    def final_error(self) -> list:
        self.features.add("uncaught-error")
        I = lambda: self.I(self.top.at_depth(1))
        f, g, n, x = self.fresh("outer"), self.fresh("inner"), self.fresh("n"), self.fresh("x")

        def nested():  # an error under a few pending calls: a backtrace
            return [["define", [g, x], ["+", "1", self.pick([["car", x], ["vector-ref", x, "10"], ["string-length", x]])]],
                    ["define", [f, n], ["*", "2", [g, n]]],
                    ["write", ["list", "1", [f, self.pick(["5", "'()", '"s"', ["vector", "1"]])]]]]

        def deep():  # deeper than the backtrace shows
            return [["define", [f, n], ["if", ["=", n, "0"], ["car", n], ["+", "1", [f, ["-", n, "1"]]]]],
                    ["display", [f, self.small(0, 45)]]]

        def in_map():
            return [["write", ["map", ["lambda", [x], ["quotient", "10", x]], self.pick(["'(1 2 0 3)", "'(0)"])]]]

        def in_wind():
            return [["dynamic-wind", ["lambda", [], ["display", '"[in]"']],
                     ["lambda", [], ["vector-ref", ["vector"], "0"]],
                     ["lambda", [], ["display", '"[out]"']]]]

        return self.weighted([
            (2, lambda: [["car", I()]]),
            (1, lambda: [["vector-ref", ["vector", I(), I()], "10"]]),
            (2, lambda: [["raise", self.pick(SYMBOLS + ['"str"', "42", "(list 1 2)"])]]),
            (2, lambda: [["error", '"something bad:"', I(), self.str_lit()]]),
            (3, nested), (2, deep), (2, in_map), (1, in_wind),
            (1, lambda: [["display", self.fresh("unbound-variable")]]),
            (1, lambda: [["with-exception-handler", ["lambda", ["e"], "0"], ["lambda", [], ["raise", "'boom"]]]]),
            (1, lambda: [[["lambda", ["a", "b"], "a"], I()]]),
            (1, lambda: [["+", "1", self.pick(["#t", '"one"', "'one"])]]),
            (1, lambda: [["exit", self.pick(["0", "3", "#f", "#t"])]]),
            (1, lambda: [["dynamic-wind", ["lambda", [], ["display", '"[in]"']],
                          ["lambda", [], ["exit", "2"]],
                          ["lambda", [], ["display", '"[out]"']]]]),
        ])

    # ---- a whole program ----------------------------------------------------

    def program(self) -> str:
        # Decided first: hypothesis favours small values late in an example.
        ends_badly = self.num(0, 99) >= 85
        blocks = [self.block_globals()]
        for _ in range(self.num(2, 6)):
            name = self.weighted([(w, (lambda n=n: n)) for w, n in self.BLOCKS])
            blocks.append(getattr(self, name)())
        if ends_badly:
            blocks.append(self.final_error())
        return "\n\n".join("\n".join(render(f) for f in block) for block in blocks if block) + "\n"


# ---------------------------------------------------------------- entry points

def generate(seed: int) -> tuple[str, set[str]]:
    """A program from a seed (reproducible), with the features it uses."""
    g = Gen(RandomChoices(seed))
    return g.program(), g.features


def programs():
    """A hypothesis strategy for program texts."""
    from hypothesis import strategies as st

    @st.composite
    def program(draw):
        return Gen(HypothesisChoices(draw)).program()

    return program()


def covering_seeds(count: int, first: int = 0, scan: int = 3000) -> list[int]:
    """Seeds of `count` programs that together use every feature: first a
    quarter that mix call/cc re-entry, dynamic-wind and guard, then greedily
    the program adding most unseen features, then those using most features."""
    pool = {s: generate(s)[1] for s in range(first, first + scan)}
    chosen: list[int] = []
    mixed = {"call/cc-reentry", "dynamic-wind", "guard"}
    for s, feats in pool.items():
        if len(chosen) >= max(1, count // 4):
            break
        if mixed <= feats:
            chosen.append(s)
    seen = set().union(*(pool[s] for s in chosen))
    while len(chosen) < count:
        best = max((s for s in pool if s not in chosen), key=lambda s: (len(pool[s] - seen), -s))
        if not pool[best] - seen:
            break
        chosen.append(best)
        seen |= pool[best]
    rest = sorted((s for s in pool if s not in chosen), key=lambda s: (-len(pool[s]), s))
    return sorted(chosen + rest[:count - len(chosen)])


def save(seeds: list[int], folder: str) -> None:
    os.makedirs(folder, exist_ok=True)
    for s in seeds:
        text, features = generate(s)
        path = os.path.join(folder, f"gen_{s:05d}.sx")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f";; generated by tests/randprog.py, seed {s}\n")
            fh.write(f";; features: {' '.join(sorted(features))}\n")
            fh.write(text)
        print(path)


def _main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "--save":
        count, folder, rest = int(argv[1]), argv[2], argv[3:]
        first = int(rest[rest.index("--seed") + 1]) if "--seed" in rest else 0
        if "--cover" in rest:
            save(covering_seeds(count, first), folder)
        else:
            save(list(range(first, first + count)), folder)
        return 0
    if len(argv) == 2 and argv[0] == "--show":
        print(generate(int(argv[1]))[0], end="")
        return 0
    if len(argv) == 2 and argv[0] == "--stats":
        counts: dict[str, int] = {}
        for s in range(int(argv[1])):
            for f in generate(s)[1]:
                counts[f] = counts.get(f, 0) + 1
        for f, c in sorted(counts.items()):
            print(f"{f:28} {c}")
        return 0
    print("usage:" + __doc__.split("Script mode (from the repository root):")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
