"""Random SX programs for the differential test of the evaluation tiers.

Every tier must compute exactly what tier 0, the CEK interpreter, computes
(ARCHITECTURE.md, invariant 1). This module writes programs that nobody wrote
by hand. They are random, deterministic and always terminate, and they print
what they compute, so a difference between two tiers shows up in the output,
in the error report or in the exit status.

The generator is typed. Each expression is built for one of a few types from
the variables in scope, so programs are well formed and mostly run without
error. The types are integer (always exact), number (any real: exact
integers and rationals mixed with flonums, -0.0, huge and subnormal
magnitudes, infinities and NaN), boolean, string, list of integers,
procedure from integer to integer, counter thunk and procedure factory.
On top of the expressions, *blocks* produce whole top-level fragments that
each exercise one feature:
- closures, set! of locals, captured and global variables, loops (named
  let, do), tail and non-tail recursion, letrec and internal defines;
- flonums: loops and recursions whose variables start exact and turn
  inexact mid-way or the reverse (through `exact`), a procedure called with
  integers and then flonums and rationals, division of every kind of number
  by exact and inexact zeros (an exact zero divisor is an error, caught),
  floor/round/truncate/sqrt/max/min with mixed exactness;
- higher-order calls: procedures passed and returned (compose, curry,
  curried lambdas, closures built in loops), primitives as values (aliases
  like `(define first car)`, `(map car ...)`), a primitive's own global
  rebound and restored, folds and filters written in the program and the
  prelude's (fold-left, fold-right, reduce, filter, remove, any, every),
  member/memv/assoc/assv/assq with elements of several types and with a
  comparison procedure, sort, vector-map, string-map, string-for-each,
  apply with list tails;
- strings built in loops with string-append, taken apart with
  string->list, string-ref and substring, mutated with string-set! and
  string-fill! (on make-string and string-copy results), characters
  compared, and string primitives given bad indices or types (caught);
- call/cc used only to escape, from under several frames and from inside
  procedures passed to map, for-each, fold-left, sort, vector-for-each and
  string-for-each, past guard, parameterize and dynamic-wind; the same
  shapes with the continuation kept and re-entered after its extent; and
  the older re-entry blocks (generators, re-entered loops, map, guard...);
- dynamic-wind, guard, with-exception-handler, parameterize, values.
A program sometimes ends with a deliberate uncaught error, so error reports
are compared too.

Termination and size are bounded by construction:
- every loop and recursion has a literal bound (recursion at most 50 deep);
  a loop over flonums ends by `<` against a literal with a step of at least
  0.1, and a recursion that counts down a number stops at `<= 0`, never
  given +inf.0 or NaN (which would never get there);
- `*` always has a literal operand (a number's may also have an inexact
  one: a flonum saturates at inf) and every divisor of an integer is a
  non-zero literal, so an exact number can never square itself into a huge
  one; `exact` is only applied to numbers checked to be below 1e15 or 1e18
  (exact of inf or NaN is an error, of 1e300 a 300-digit integer);
- a string or list variable is only set! to something built from integers
  and literals, plus its own old value at most once, so it grows linearly
  however often the assignment runs;
- a continuation is only invoked within the extent of its call/cc, except in
  the re-entry blocks, where a counter bounds how often it is re-entered;
- `raise` only appears where an enclosing guard catches everything, and
  `raise-continuable` only where a handler returns an integer for an integer.

Determinism: every tier must print the same, so nothing is printed whose
text may legitimately differ: no procedure is printed, eq?, memq and assq
only ever compare symbols, booleans and '() (eq? on numbers, characters
and strings is unspecified), no string literal is mutated (literals are
constants: a tier may fold reads of them), and there are no hash tables,
timings or addresses. Flonums print deterministically (+nan.0 has no sign).

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
# NUM is any real: an exact integer or rational, or a flonum (infinities and
# NaN included). INT stays exact, so that quotient, list-ref and friends
# never see a flonum by accident; NUM is where the two representations mix.
NUM = "num"
VALUE_TYPES = (INT, BOOL, STR, LIST, NUM)
PREFIX = {INT: "n", BOOL: "b", STR: "s", LIST: "l", PROC: "f", THUNK: "c", FACTORY: "mk", NUM: "r"}

# String literals: (source text, length of the string it denotes).
STRINGS = [('""', 0), ('"a"', 1), ('"ab"', 2), ('"xyz"', 3), ('"hello"', 5), ('"SX"', 2),
           ('"a b"', 3), ('"q\\"q"', 3), ('"line\\nbreak"', 10), ('"\\u03bbx"', -1),
           ('"tab\\tbed"', 7), ('"Zebra"', 5)]
STRINGS = [(s, n) for s, n in STRINGS if n >= 0]
SYMBOLS = ["'apple", "'b", "'zeta", "'x1", "'done", "'|odd sym|"]
NONZERO = ["1", "2", "3", "5", "7", "-3", "10"]
BIG = ["18446744073709551616", "-1180591620717411303423", "100000000000000000000"]

# Flonum literals: ordinary ones, and the edges a flonum specialisation must
# get right: signed zero, huge and tiny magnitudes (a subnormal among them),
# the first integer a double cannot hold, infinities and NaN. Each prints the
# same way every time (+nan.0 has no sign), so all may be printed.
FLOATS = ["0.5", "1.5", "-2.25", "0.1", "3.0", "-7.0", "100.0", "123456.789", "6.02e23", "2.0"]
FLOAT_EDGES = ["0.0", "-0.0", "1e21", "1e300", "-1e300", "1e-300", "5e-324", "+inf.0", "-inf.0",
               "+nan.0", "9007199254740993.0", "4.5e15"]
RATIONALS = ["1/3", "-5/2", "7/4", "1/2"]
# Exact integers a double cannot hold: 2^53 + 1 (compared with the flonum
# 2^53, = must say #f), and ones past the largest double (mixed with a
# flonum they give an infinity, where Python's int + float overflows).
HUGE = ["9007199254740993", "(expt 10 400)", "(- (expt 2 1024))"]
# Literal factors of `*` on numbers (one factor is always a literal: see the
# bounds in the module docstring), and divisors of `/`: never an exact zero,
# which is an error (blocks and raise_form divide by exact zero on purpose).
SCALES = ["2", "-1", "0", "3", "0.5", "1.5", "-0.0", "1e10", "1/3"]
DIVISORS = ["2", "-4", "3", "0.5", "0.0", "-0.0", "1e-300", "7/2", "10.0"]
# Lists of mixed numbers, for the blocks that walk numbers of every kind.
NUM_LISTS = ["'(1 2.5 -0.0 1/2 3)", "'(0 0.0 -0.0)", "'(+inf.0 1 -inf.0 2)", "'(1.5 +nan.0 2)",
             "'(3 1e300 1e300 -1e300)", "'(7 5e-324 1/3 0.1)", "'(2 4 6)", "'()"]


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

    def num_lit(self) -> str:
        return self.weighted([(12, lambda: self.pick(FLOATS)), (6, lambda: self.pick(FLOAT_EDGES)),
                              (4, self.int_lit), (2, lambda: self.pick(RATIONALS)),
                              (1, lambda: self.pick(HUGE))])

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
        if type_ == NUM:
            return self.num_lit()
        if type_ == PROC:
            # a primitive is a procedure value too (not square: a variable
            # set! to (f n) in a loop would square itself)
            if self.chance(25):
                self.features.add("primitive-value")
                return self.pick(["abs", "-"])
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
                LIST: self.list_expr, PROC: self.proc_expr, NUM: self.num_expr}[type_](sub)

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

    def X(self, ctx):
        return self.expr(NUM, ctx)

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
            (1, lambda: ["/", self.I(d), "0"]),                # exact division by zero
            (1, lambda: ["exact", self.pick(["+inf.0", "-inf.0"])]),
            (1, lambda: ["even?", self.pick(["1.5", "+inf.0"])]),
            (1, lambda: ["vector-ref", ["vector", self.I(d)], "0.0"]),
            (1, lambda: ["string-append", self.str_lit(), self.I(d)]),
            (1, lambda: ["substring", self.str_lit(), "3", "1"]),
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
            (2, lambda: self.int_of_num(ctx)),
            (1, lambda: self.fold_expr(ctx)),
            (1, lambda: ["char->integer", self.char_expr(ctx)]),
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
            # numbers of both kinds compared (a flonum specialisation's
            # guards decide these), and their predicates
            (4, lambda: [self.pick(["<", ">", "=", "<=", ">="]), self.X(ctx),
                         self.pick([self.X, self.I])(ctx)]),
            (1, lambda: [self.pick(["<", "="]), self.X(ctx), self.X(ctx), self.X(ctx)]),
            (2, lambda: [self.pick(["nan?", "zero?", "positive?", "negative?", "integer?", "exact?",
                                    "inexact?", "finite?", "infinite?", "rational?"]), self.X(ctx)]),
            (1, lambda: [self.pick(["eqv?", "equal?"]), self.X(ctx), self.X(ctx)]),
            (2, lambda: [self.pick(["char=?", "char<?", "char>=?", "char-ci=?"]),
                         self.char_expr(ctx), self.char_expr(ctx)]),
            (1, lambda: [self.pick(["char-alphabetic?", "char-numeric?", "char-whitespace?",
                                    "char-upper-case?"]), self.char_expr(ctx)]),
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
            (2, lambda: ["number->string", self.X(ctx)]),
            (1, lambda: self.str_loop(ctx)),
            (1, lambda: ["string", self.char_expr(ctx), self.char_expr(ctx)]),
            (1, lambda: ["list->string", ["filter", self.pick(["char-alphabetic?", "char-numeric?"]),
                                          ["string->list", S()]]]),
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
            # primitives passed as values
            (1, lambda: ["map", self.pick(["abs", "-", "square"]), L()]),
            (1, lambda: [self.pick(["filter", "remove"]), self.pick(["even?", "odd?", "positive?", "zero?"]), L()]),
            (1, lambda: ["map", self.pick(["+", "max", "min", "-"]), L(), L()]),
            (1, lambda: ["fold-right", "cons", L(), L()]),
            (1, lambda: ["apply", "list", I(), L()]),  # apply with a list tail
        ])

    def num_expr(self, ctx: Ctx):
        """A real number: exact and inexact operands mixed freely, so that
        one call site sees integers, rationals and flonums (and the edges:
        -0.0, inf, NaN). Growth stays bounded as for integers: `*` has a
        literal factor or an inexact one (a flonum saturates at inf), `/` a
        non-zero literal divisor or an inexact one."""
        X, I, B = (lambda: self.X(ctx)), (lambda: self.I(ctx)), (lambda: self.B(ctx))
        assignable = ctx.vars(NUM, mutable=True)
        self.features.add("floats")
        return self.weighted([
            (4, lambda: [self.pick(["+", "-"]), X(), X()]),
            (2, lambda: [self.pick(["+", "-"]), self.pick([X, I])(), self.pick([X, I])()]),
            (1, lambda: ["+", X(), X(), X()]),
            (1, lambda: ["-", X()]),
            (3, lambda: ["*", X(), self.pick(SCALES)]),
            (1, lambda: ["*", ["exact->inexact", X()], X()]),
            (3, lambda: ["/", X(), self.pick(DIVISORS)]),
            (1, lambda: ["/", X(), ["inexact", X()]]),      # 0.0 and -0.0 divisors: inf, nan
            (2, lambda: [self.pick(["exact->inexact", "inexact"]), X()]),
            (1, lambda: ["exact->inexact", ["/", I(), self.pick(NONZERO)]]),
            (2, lambda: self.exact_of(ctx)),
            (3, lambda: [self.pick(["floor", "round", "truncate", "ceiling"]), X()]),
            (1, lambda: ["sqrt", ["abs", X()]]),            # exact for exact squares
            (1, lambda: ["abs", X()]),
            (2, lambda: [self.pick(["max", "min"]), X(), self.pick([X, I])()]),  # inexact contagion
            (1, lambda: ["expt", self.pick(["1.5", "-0.5", "2.0", "10.0", "1/2"]), self.small(-3, 40)]),
            (1, lambda: ["expt", self.pick(["10.0", "-2.0", "0.5"]), self.pick(["400", "-400", "1075"])]),
            (1, lambda: self.pick([["exp", X()], ["log", ["abs", X()]], ["atan", X(), X()]])),
            (3, lambda: ["if", B(), X(), X()]),
            (1, lambda: self.cond_expr(NUM, ctx)),
            (2, lambda: self.let_expr(NUM, ctx)),
            (1, lambda: ["string->number", ["number->string", X()]]),
            (1, lambda: self.num_loop(ctx)),
            (1, lambda: self.callcc_expr(NUM, ctx)),
            (1, lambda: self.guard_expr(NUM, ctx)),
            (1, lambda: [self.inline_lambda(ctx, 1, NUM, NUM), X()]),
            (2, I),                                          # an exact integer is a number too
            (1 if assignable else 0, lambda: ["begin", ["set!", v := self.pick(assignable), X()], v]),
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

    def inline_lambda(self, ctx: Ctx, arity: int, result: str, params: str = INT):
        """A lambda called right away (by map, for-each, filter): it keeps the
        escapes and handlers of the place it is written."""
        xs = [self.fresh("x") for _ in range(arity)]
        body = ctx
        for x in xs:
            body = body.bind(x, params)
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

    def int_of_num(self, ctx: Ctx):
        """An exact integer from a number: rounded and made exact when it is
        finite and not huge (exact of inf or NaN is an error)."""
        t = self.fresh("t")
        return ["let", [[t, self.X(ctx)]],
                ["if", ["<", ["abs", t], "1e15"],
                 ["exact", [self.pick(["round", "floor", "truncate"]), t]],
                 self.I(ctx)]]

    def exact_of(self, ctx: Ctx):
        """A number made exact when it can be (a flonum becomes an integer or
        a binary fraction), left as it is otherwise."""
        t = self.fresh("t")
        return ["let", [[t, self.X(ctx)]], ["if", ["<", ["abs", t], "1e18"], ["exact", t], t]]

    def num_loop(self, ctx: Ctx):
        """A named let whose accumulator is a number: it may start exact and
        turn inexact at some iteration, or the reverse (through exact)."""
        loop, i, acc = self.fresh("loop"), self.fresh("i"), self.fresh("acc")
        body = ctx.bind(i, INT, mutable=False).bind(acc, NUM, mutable=False)
        self.features.add("float-loop")
        return ["let", loop, [[i, "0"], [acc, self.X(ctx)]],
                ["if", ["<", i, self.small(0, 10)], [loop, ["+", i, "1"], self.X(body)], acc]]

    def fold_expr(self, ctx: Ctx):
        """fold-left or reduce of a list with a binary procedure: a primitive
        passed as a value, or a lambda (no `*`: see the bounds)."""
        a, x = self.fresh("a"), self.fresh("x")
        op = self.weighted([
            (3, lambda: self.pick(["+", "-", "max", "min"])),
            (2, lambda: ["lambda", [a, x], self.I(ctx.bind(a, INT).bind(x, INT))]),
        ])
        self.features.add("fold")
        return [self.pick(["fold-left", "reduce"]), op, self.I(ctx), self.L(ctx)]

    def char_expr(self, ctx: Ctx):
        """A character: a literal, one read from a string, or one computed
        from an integer (always a letter, so never an invalid code point)."""
        t = self.fresh("t")
        return self.weighted([
            (3, lambda: self.pick(["#\\a", "#\\Z", "#\\0", "#\\m", "#\\space", "#\\newline",
                                   "#\\x3bb", "#\\z"])),
            (2, lambda: ["let", [[t, self.S(ctx)]],
                         ["if", [">", ["string-length", t], "0"],
                          ["string-ref", t, ["quotient", ["string-length", t], "2"]], "#\\?"]]),
            (1, lambda: ["integer->char", ["+", "97", ["modulo", self.I(ctx), "26"]]]),
            (1 if ctx.depth > 0 else 0,
             lambda: [self.pick(["char-upcase", "char-downcase"]), self.char_expr(ctx.deeper())]),
        ])

    def str_loop(self, ctx: Ctx):
        """A named let that builds a string with string-append, at most 8
        pieces long."""
        loop, i, acc = self.fresh("loop"), self.fresh("i"), self.fresh("acc")
        body = ctx.no_aggregates().bind(i, INT, mutable=False)
        piece = self.weighted([
            (2, lambda: ["number->string", i]),
            (1, lambda: ["number->string", ["*", i, self.pick(["0.5", "1/3", "-1.5"])]]),
            (1, lambda: ["string", ["integer->char", ["+", "65", i]]]),
            (2, lambda: self.S(body)),
            (1, lambda: ["if", ["even?", i], '","', self.str_lit()]),
        ])
        self.features.add("string-building")
        return ["let", loop, [[i, "0"], [acc, self.S(ctx)]],
                ["if", ["<", i, self.small(0, 8)], [loop, ["+", i, "1"], ["string-append", acc, piece]],
                 acc]]

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
                 LIST: [(["number?", e], None)],
                 NUM: [(["number?", e], NUM), (["symbol?", e], None)]}[type_]
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
        elif var.type == NUM:  # the variable may change representation here
            value = self.weighted([(2, lambda: ["+", v, self.X(ctx)]), (1, lambda: self.X(ctx)),
                                   (1, lambda: ["*", v, self.pick(SCALES)])])
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
        for ty in (INT, STR, LIST, NUM):
            if self.chance(70 if ty != NUM else 50):
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

    # ---- blocks: flonums ----------------------------------------------------
    #
    # Tier 2 compiles arithmetic for the representation it has seen: these
    # blocks make one site see integers, then flonums, then integers again,
    # and make loop and recursion variables change representation mid-way.

    def block_float_loop(self) -> list:
        """A loop whose variables change representation at some iteration."""
        self.features.update({"floats", "float-loop"})
        loop, i, acc, t = self.fresh("loop"), self.fresh("i"), self.fresh("acc"), self.fresh("t")
        n, turn = self.small(1, 12), self.small(0, 11)
        ctx = self.top.bind(i, INT, mutable=False).bind(acc, NUM, mutable=False).at_depth(1)
        variant = self.num(0, 5)
        if variant == 0:  # an exact accumulator that turns inexact at one iteration
            jump = self.pick(["0.5", "-0.0", "1e300", "+nan.0", "+inf.0", "0.1"])
            step = ["if", ["=", i, turn], ["+", acc, jump], ["+", acc, self.X(ctx)]]
            return [["write", ["let", loop, [[i, "0"], [acc, self.int_lit()]],
                               ["if", ["<", i, n], [loop, ["+", i, "1"], step], acc]]], ["newline"]]
        if variant == 1:  # an inexact accumulator made exact at one iteration
            exact = ["let", [[t, acc]], ["if", ["<", ["abs", t], "1e15"], ["exact", ["round", t]], "0"]]
            step = ["if", ["=", i, turn], exact, ["+", acc, ["*", i, self.pick(["1.5", "0.25", "-0.5"])]]]
            return [["write", ["let", loop, [[i, "0"], [acc, self.pick(["0.5", "-0.0", "2.0", "1e20"])]],
                               ["if", ["<", i, n], [loop, ["+", i, "1"], step], ["list", acc, ["exact?", acc]]]]],
                    ["newline"]]
        if variant == 2:  # a flonum or rational counter: it ends by `<` after at most 55 steps
            x, out = self.fresh("x"), self.fresh("out")
            start = self.pick(["0", "0.0", "-1.5", "1/2", "-0.0"])
            step = self.pick(["0.5", "1", "0.25", "1/3", "0.1", "3/4"])
            return [["write", ["let", loop, [[x, start], [out, "'()"]],
                               ["if", ["<", x, self.pick(["3", "2.5", "4.0", "1"])],
                                [loop, ["+", x, step], ["cons", x, out]],
                                ["reverse", out]]]], ["newline"]]
        if variant == 3:  # an integer counter that turns inexact at one step
            body = self.top.bind(i, NUM, mutable=False).bind(acc, NUM, mutable=False).at_depth(1)
            return [["write", ["let", loop, [[i, "0"], [acc, self.X(self.top.at_depth(1))]],
                               ["if", ["<", i, n],
                                [loop, ["if", ["=", i, turn], ["+", i, "1.0"], ["+", i, "1"]], self.X(body)],
                                ["list", i, acc]]]], ["newline"]]
        if variant == 4:  # do: two variables trading an exact and an inexact value
            a, b = self.fresh("a"), self.fresh("b")
            return [["do", [[a, self.pick(["1", "0", "1/2"]), b],
                            [b, self.pick(["0.5", "1.0", "-0.0"]), ["+", a, b]],
                            [i, "0", ["+", i, "1"]]],
                     [["=", i, n], ["write", ["list", a, b]], ["newline"]]]]
        # halving until small, with an iteration bound (inf/2 is inf, NaN > 1 is false)
        x, k = self.fresh("x"), self.fresh("k")
        return [["write", ["let", loop, [[x, self.X(self.top.at_depth(1))], [k, "0"]],
                           ["if", ["and", [">", ["abs", x], "1"], ["<", k, "60"]],
                            [loop, ["/", x, self.pick(["2", "2.0", "3"])], ["+", k, "1"]],
                            ["list", x, k]]]], ["newline"]]

    def block_float_procedures(self) -> list:
        """Procedures called with integers first (tier 2 compiles an integer
        copy for them) and then with flonums and rationals, and recursions
        whose results or arguments are not integers."""
        self.features.update({"floats", "float-recursion"})
        f, x, n, acc = self.fresh("numf"), self.fresh("x"), self.fresh("n"), self.fresh("acc")
        variant = self.num(0, 6)
        if variant == 6:  # two parameters: integers first, then every mix of kinds
            y = self.fresh("y")
            body = self.top.stored().bind(x, NUM, mutable=False).bind(y, NUM, mutable=False).at_depth(1)
            ints = lambda: [f, self.small(-5, 9), self.small(-5, 9)]
            mixed = lambda: [f, self.pick([self.num_lit, self.small])(), self.pick([self.num_lit, self.small])()]
            return [["define", [f, x, y], ["if", [self.pick(["<", "<=", "="]), x, y],
                                          [self.pick(["-", "+", "max"]), y, x],
                                          [self.pick(["+", "-", "min"]), ["*", x, self.pick(SCALES)],
                                           self.pick([y, self.X(body)])]]],
                    ["write", ["list", ints(), ints(), ints()]],
                    ["write", ["list", *[mixed() for _ in range(self.num(2, 5))]]],
                    ["write", ints()], ["newline"]]
        if variant == 0:  # one procedure, arguments of every kind in turn
            body = self.top.stored().bind(x, NUM, mutable=False).at_depth(2)
            cut = self.pick(["0", "1.5", "-0.0", "1/2"])
            forms = [["define", [f, x], ["if", ["<", x, cut],
                                        ["+", x, self.X(body)],
                                        ["-", ["*", x, self.pick(SCALES)], self.X(body)]]],
                     ["write", ["list", *[[f, self.small(-5, 9)] for _ in range(3)]]],
                     ["write", ["map", f, self.pick(NUM_LISTS)]],
                     ["write", [f, self.int_lit()]], ["newline"]]
            return forms
        if variant == 1:  # a non-tail recursion whose base case is not an integer
            base = self.pick(["0.5", "-0.0", "1/2", "+nan.0", "1e300", "0"])
            step = self.pick([n, ["*", n, "0.5"], "1", ["/", n, "2"]])
            return [["define", [f, n], ["if", ["<=", n, "0"], base, ["+", step, [f, ["-", n, "1"]]]]],
                    ["write", ["list", [f, self.small(0, 30)], [f, self.small(0, 30)],
                               [f, self.pick(["10.5", "3.0", "7/2", "-1.0", "-inf.0"])], [f, "5"]]],
                    ["newline"]]
        if variant == 2:  # a tail recursion whose accumulator changes representation once
            turn = self.small(0, 20)
            change = self.pick([["exact->inexact", acc],
                                ["if", ["<", ["abs", acc], "1e15"], ["exact", ["round", acc]], "0"]])
            init = self.pick(["0", "0.5", "1/3", "-0.0", "100"])
            return [["define", [f, n, acc], ["cond", [["<=", n, "0"], acc],
                                              [["=", n, turn], [f, ["-", n, "1"], change]],
                                              ["else", [f, ["-", n, "1"], ["+", acc, n]]]]],
                    ["write", ["list", [f, self.small(0, 30), init], [f, self.small(0, 30), init],
                               [f, self.pick(["25", "12.0", "5/2"]), init]]],
                    ["newline"]]
        if variant == 3:  # fib on an integer, a flonum and a rational
            return [["define", [f, n], ["if", ["<", n, "2"], n, ["+", [f, ["-", n, "1"]], [f, ["-", n, "2"]]]]],
                    ["write", ["list", [f, self.small(0, 12)], [f, self.pick(["10.0", "7.5", "15/2", "-0.0"])],
                               [f, self.small(0, 12)]]],
                    ["newline"]]
        if variant == 4:  # Newton's iteration, exact (the digits double) and inexact
            it, g, y = self.fresh("iterate"), self.fresh("g"), self.fresh("y")
            return [["define", [it, g, n, x], ["if", ["=", n, "0"], x, [it, g, ["-", n, "1"], [g, x]]]],
                    ["define", [f, y], ["/", ["+", y, ["/", self.pick(["2", "3", "2.0"]), y]], "2"]],
                    ["write", ["list", [it, f, self.small(0, 5), "1"], [it, f, self.small(0, 5), "1.0"],
                               [it, "-", self.small(0, 5), self.X(self.top.at_depth(1))]]],
                    ["newline"]]
        # a procedure whose integer-looking parameter is compared with 0: on a
        # flonum it counts down to -0.5 or 0.0, never hitting an integer test
        ev, od = self.fresh("ev?"), self.fresh("od?")
        return [["define", [ev, n], ["if", ["<=", n, "0"], ["=", n, "0"], [od, ["-", n, "1"]]]],
                ["define", [od, n], ["if", ["<=", n, "0"], "#f", [ev, ["-", n, "1"]]]],
                ["write", ["map", ev, ["list", self.small(0, 30), self.pick(["10.0", "5.5", "7/2", "-0.0"]),
                                       self.small(0, 30)]]],
                ["newline"]]

    def block_float_division(self) -> list:
        """Division of every kind of number by every kind of number: an
        exact zero divisor is an error for an exact dividend (caught here),
        a flonum one gives an infinity or NaN. The same site divides them all."""
        self.features.update({"floats", "float-division"})
        a, b, e = self.fresh("a"), self.fresh("b"), self.fresh("e")
        op = self.pick(["/", "/", "/", "quotient", "modulo", "remainder", "floor-quotient"])
        report = ["guard", [e, [["error-object?", e], ["list", "'error", ["error-object-message", e]]]],
                  [op, a, b]]
        if self.chance(30):  # the reciprocal: (/ 0) is an error, (/ 0.0) +inf.0
            report = ["guard", [e, [["error-object?", e], ["list", "'error", ["error-object-message", e]]]],
                      ["list", [op, a, b], ["/", b]]]
        dividends = self.pick(["'(1 -1 0 1.5 0.0 -0.0)", "'(7 7.0 1/3 +inf.0)", "'(-2 +nan.0 1e300)", "'(0 6)"])
        divisors = self.pick(["'(2 0 0.0 -0.0)", "'(0.5 1/2 0 +inf.0)", "'(-0.0 3 +nan.0)", "'(0 1e-300)"])
        if self.chance(30):  # a loop counting through zero
            loop, i, acc = self.fresh("loop"), self.fresh("i"), self.fresh("acc")
            return [["write", ["guard", [e, [["error-object?", e], ["list", "'error", ["error-object-message", e]]]],
                               ["let", loop, [[i, self.small(1, 4)], [acc, self.pick(["1", "1.0", "-0.0", "1/2"])]],
                                ["if", ["<", i, "-2"], acc, [loop, ["-", i, "1"], ["/", acc, i]]]]]],
                    ["newline"]]
        return [["for-each", ["lambda", [a],
                              ["for-each", ["lambda", [b], ["write", report], ["display", '" "']], divisors]],
                 dividends],
                ["newline"]]

    # ---- blocks: higher-order calls -------------------------------------------
    #
    # Procedures as values: passed (user procedures, lambdas and primitives),
    # returned, stored in lists, aliased and rebound. Tier 2 inlines a
    # primitive called through its own global; these call primitives through
    # other names and change what a global holds.

    def block_higher_order(self) -> list:
        self.features.add("higher-order")
        return self.pick([self.ho_fold, self.ho_closures_in_loop, self.ho_compose_curry,
                          self.ho_primitive_values, self.ho_rebind_primitive, self.ho_searches,
                          self.ho_sort, self.ho_sequences, self.ho_apply, self.ho_returned])()

    def ho_fold(self) -> list:
        """A fold and a filter written in the program, next to the prelude's."""
        self.features.add("fold")
        fold, keep, f, acc, lst, pred = (self.fresh("fold"), self.fresh("keep"), self.fresh("f"),
                                         self.fresh("acc"), self.fresh("l"), self.fresh("pred"))
        a, x = self.fresh("a"), self.fresh("x")
        ctx = self.top.at_depth(1)
        op = self.pick(["+", "-", "max", "min", "cons", "list",
                        ["lambda", [a, x], self.I(self.top.stored().bind(a, INT).bind(x, INT).at_depth(1))]])
        if isinstance(op, list):  # the lambda takes integers
            init = self.I(ctx)
        else:  # a primitive takes whatever comes: exact or not, or a list
            init = self.pick([self.I(ctx), "0.0", "-0.0", "1/2"] + (["'()"] if op in ("cons", "list") else []))
        test = self.pick(["even?", "odd?", "positive?", "zero?",
                          ["lambda", [x], self.B(self.top.stored().bind(x, INT).at_depth(1))],
                          ["let", [[a, self.I(ctx)]], ["lambda", [x], ["<", x, a]]]])
        items = self.L(ctx)
        first, others = ["car", lst], ["cdr", lst]
        return [["define", [fold, f, acc, lst], ["if", ["null?", lst], acc, [fold, f, [f, acc, first], others]]],
                ["define", [keep, pred, lst], ["cond", [["null?", lst], "'()"],
                                                 [[pred, first], ["cons", first, [keep, pred, others]]],
                                                 ["else", [keep, pred, others]]]],
                ["write", ["list", [fold, op, init, items], ["fold-left", op, init, items],
                           ["fold-right", op, init, items]]],
                ["newline"],
                ["write", ["list", [keep, test, items], ["filter", test, items], ["remove", test, items],
                           [fold, "+", "0.5", [keep, test, items]]]],
                ["newline"]]

    def ho_closures_in_loop(self) -> list:
        """Closures built in a loop: each captures its own iteration's
        variable (named let and do bind afresh); or all share one variable
        that set! changes (a box)."""
        self.features.update({"closure", "closure-returned"})
        fs, loop, i, acc, x, f = (self.fresh("fs"), self.fresh("loop"), self.fresh("i"), self.fresh("acc"),
                                  self.fresh("x"), self.fresh("f"))
        body = self.top.stored().bind(i, INT, mutable=False).bind(x, INT, mutable=False).at_depth(1)
        n = self.small(0, 8)
        variant = self.num(0, 2)
        if variant == 0:
            build = ["let", loop, [[i, "0"], [acc, "'()"]],
                     ["if", ["<", i, n], [loop, ["+", i, "1"], ["cons", ["lambda", [x], self.I(body)], acc]], acc]]
        elif variant == 1:
            build = ["do", [[i, "0", ["+", i, "1"]], [acc, "'()", ["cons", ["lambda", [x], self.I(body)], acc]]],
                     [["=", i, n], acc]]
        else:
            self.features.add("set!-captured")
            build = ["let", [[i, "0"], [acc, "'()"]],
                     ["let", loop, [],
                      ["when", ["<", i, n],
                       ["set!", acc, ["cons", ["lambda", [x], ["+", x, ["*", i, self.small(1, 9)]]], acc]],
                       ["set!", i, ["+", i, "1"]],
                       [loop]]],
                     acc]
        arg = self.I(self.top.at_depth(1))
        return [["define", fs, build],
                ["write", ["map", ["lambda", [f], [f, arg]], fs]],
                # applied in a chain: at most 8 applications of bounded growth
                ["write", ["let", loop, [[acc, fs], [x, arg]],
                           ["if", ["null?", acc], x, [loop, ["cdr", acc], [["car", acc], x]]]]],
                ["newline"]]

    def ho_compose_curry(self) -> list:
        """compose and curry written with rest arguments and apply; curried
        lambdas; procedures made of primitives."""
        self.features.update({"closure", "closure-returned", "varargs"})
        comp, curry, fs, f, args, more, x = (self.fresh("compose"), self.fresh("curry"), self.fresh("fs"),
                                             self.fresh("f"), self.fresh("args"), self.fresh("more"),
                                             self.fresh("x"))
        a, b, c = self.fresh("a"), self.fresh("b"), self.fresh("c")
        I = lambda: self.I(self.top.at_depth(1))
        P = lambda: self.P(self.top.at_depth(1))
        return [["define", [comp, ".", fs],
                 ["if", ["null?", fs], ["lambda", [x], x],
                  ["lambda", [x], [["car", fs], [["apply", comp, ["cdr", fs]], x]]]]],
                ["define", [curry, f, ".", args], ["lambda", more, ["apply", f, ["append", args, more]]]],
                ["write", ["list", [[comp, P(), P(), P()], I()],
                           [[comp], I()],
                           [[curry, self.pick(["+", "max", "list", "-"]), I(), I()], I(), I()],
                           ["map", [curry, "*", self.pick(["2", "0.5", "-1"])], self.L(self.top.at_depth(1))],
                           [[comp, "exact->inexact", "abs", [curry, "-", I()]], I()],
                           [[[["lambda", [a], ["lambda", [b], ["lambda", [c], ["list", a, b, c]]]], I()], I()], I()]]],
                ["newline"]]

    def ho_primitive_values(self) -> list:
        """Primitives bound to other names, chosen by an if, mapped."""
        self.features.add("primitive-value")
        first, rest, plus, less = self.fresh("first"), self.fresh("rest"), self.fresh("plus"), self.fresh("less")
        head, lst = self.fresh("head"), self.fresh("l")
        ctx = self.top.at_depth(1)
        pairs = self.pick(["'((1 2) (3 4) (5 6))", "'((a . 1) (b . 2))", "'((1.5 x) (-0.0 y))",
                           "(list (list 1 2) (list 3 4.5))"])
        forms = [["define", first, "car"], ["define", rest, "cdr"],
                 ["define", plus, self.pick(["+", "*", "max"])], ["define", less, self.pick(["<", ">", "="])],
                 ["define", [head, lst], [first, lst]],
                 ["write", ["list", [head, ["cons", self.I(ctx), self.L(ctx)]],
                            [rest, ["list", self.I(ctx), self.X(ctx)]],
                            [plus, self.I(ctx), self.X(ctx)], [less, self.X(ctx), self.I(ctx)],
                            ["map", first, pairs], ["map", rest, pairs],
                            [["if", self.B(ctx), "car", "cadr"], ["list", self.I(ctx), self.I(ctx)]],
                            ["map", ["if", self.B(ctx), "+", "-"], self.L(ctx), self.L(ctx)],
                            ["map", plus, self.pick(NUM_LISTS), self.pick(NUM_LISTS)]]],
                 ["newline"]]
        if self.chance(50):  # the alias is rebound: head must follow it
            forms += [["set!", first, self.pick(["cdr", "length", ["lambda", [lst], ["list", "'mine", lst]]])],
                      ["write", [head, self.pick(["'(1 2 3)", "'(a)"])]], ["newline"]]
        return forms

    def ho_rebind_primitive(self) -> list:
        """A primitive's own global rebound and then restored, after a
        procedure calling it has run (and been compiled) a few times. Only
        that procedure runs while the global is rebound."""
        self.features.add("primitive-rebound")
        prim = self.pick(["+", "-", "*", "<", "=", "cons", "max", "car", "vector-ref", "not"])
        arity = {"car": 1, "not": 1, "vector-ref": 2}.get(prim, 2)
        save, use, a, b = self.fresh("saved"), self.fresh("use"), self.fresh("a"), self.fresh("b")
        params = [a, b][:arity]
        if prim == "vector-ref":
            call, args = [prim, ["vector", a, "9"], b], [lambda: self.small(0, 1)] * 2
        elif prim == "car":
            call, args = [prim, ["list", a, "0"]], [lambda: self.small()]
        else:
            call, args = [prim, *params], [lambda: self.pick([self.small(), "1.5", "-0.0"])] * 2
        uses = lambda: ["list", *[[use, *[arg() for arg in args[:arity]]] for _ in range(3)]]
        new = self.pick([["lambda", params, ["list", "'new", *params]],  # a closure
                         self.pick(["list", "vector"])])                    # another primitive
        return [["define", save, prim],
                ["define", [use, *params], call],
                ["write", uses()],
                ["set!", prim, new],
                ["write", uses()],
                ["set!", prim, save],
                ["write", uses()],
                ["newline"]]

    def ho_searches(self) -> list:
        """member, memv, assoc, assv, assq (symbols only: eq? on numbers and
        strings is unspecified), with elements of several types and with a
        comparison procedure passed in."""
        self.features.add("lists")
        ctx = self.top.at_depth(1)
        x = self.fresh("x")
        pred = ["lambda", [x], self.B(self.top.stored().bind(x, INT).at_depth(1))]
        items = [
            ["member", self.X(ctx), self.pick(NUM_LISTS)],
            ["memv", self.X(ctx), self.pick(NUM_LISTS)],
            ["member", self.X(ctx), self.pick(NUM_LISTS), "="],
            ["memv", self.pick(["-0.0", "0", "0.0", "+nan.0", "1/2"]), self.pick(NUM_LISTS)],
            ["member", self.pick(["'(1 2)", "\"b\"", "#\\b", "'b", "2.5"]),
             "'((1) (1 2) \"b\" #\\b b 2.5)"],
            ["memv", self.char_expr(ctx), ["string->list", self.S(ctx)]],
            ["member", self.S(ctx), ["list", '"a"', '"B"', '"hello"'], "string-ci=?"],
            ["assoc", self.X(ctx), "'((1 . one) (1.0 . float) (1/2 . half) (+nan.0 . nan))"],
            ["assv", self.X(ctx), "'((2 . two) (-0.0 . negzero) (0 . zero) (0.5 . half))"],
            ["assoc", self.pick(["2", "2.0", "0", "-0.0"]), "'((1.0 . a) (2.0 . b) (0 . c))", "="],
            ["assq", self.pick(SYMBOLS), "'((apple . 1) (b . 2) (zeta . 3) (|odd sym| . 4))"],
            ["assoc", self.S(ctx), "'((\"a\" . 1) (\"hello\" . 2) (\"\" . 3))"],
            ["assoc", ["list", self.I(ctx)], "'(((1) . one) ((2) . two))"],
            [self.pick(["any", "every"]), pred, self.L(ctx)],
            ["list-index", pred, self.L(ctx)],
            ["delete", self.I(ctx), self.L(ctx)],
        ]
        chosen = [self.pick(items) for _ in range(self.num(2, 5))]
        return [["write", ["list", *chosen]], ["newline"]]

    def ho_sort(self) -> list:
        """sort with primitives and lambdas as the order, on numbers of both
        kinds (signed zeros, NaN: the order is whatever the merge makes of
        it, the same in every tier), strings, pairs by key, vectors."""
        self.features.add("sort")
        a, b = self.fresh("a"), self.fresh("b")
        ctx = self.top.at_depth(1)
        items = [
            ["sort", self.L(ctx), self.pick(["<", ">", "<="])],
            ["sort", ["list", *[self.X(ctx) for _ in range(self.num(0, 5))]], self.pick(["<", ">"])],
            ["sort", self.pick(NUM_LISTS), ["lambda", [a, b], [">", a, b]]],
            ["sort", ["list", '"b"', '"A"', '"c"', self.S(ctx)], self.pick(["string<?", "string-ci<?"])],
            ["sort", "'((b . 2) (a . 1) (c . 2) (d . 0))", ["lambda", [a, b], ["<", ["cdr", a], ["cdr", b]]]],
            ["sort", ["vector", self.I(ctx), self.I(ctx), self.I(ctx)], "<"],
            ["list-sort", "<", self.L(ctx)],
            ["sort", ["string->list", self.S(ctx)], "char<?"],
        ]
        return [["write", ["list", *[self.pick(items) for _ in range(self.num(1, 3))]]], ["newline"]]

    def ho_sequences(self) -> list:
        """vector-map, vector-for-each, string-map, string-for-each and map
        over several sequences (of unequal lengths: the shortest decides)."""
        x, y = self.fresh("x"), self.fresh("y")
        ctx = self.top.at_depth(1)
        body = self.top.bind(x, INT, mutable=False).bind(y, INT, mutable=False).at_depth(1)
        vec = lambda: ["list->vector", self.L(ctx)]
        items = [
            ["vector-map", self.pick(["+", "max", ["lambda", [x, y], self.I(body)]]), vec(), vec()],
            ["vector-map", self.pick(["-", "abs", "exact->inexact"]), vec()],
            ["string-map", self.pick(["char-upcase", "char-downcase"]), self.S(ctx)],
            ["string-map", ["lambda", [x, y], ["if", ["char<?", x, y], x, y]], self.S(ctx), self.S(ctx)],
            ["map", ["lambda", [x, y], ["list", x, y]], self.L(ctx), self.pick(NUM_LISTS)],
            ["map", "list", self.L(ctx), self.L(ctx), self.L(ctx)],
        ]
        forms = [["write", ["list", *[self.pick(items) for _ in range(self.num(1, 3))]]]]
        if self.chance(50):
            forms.append(["vector-for-each", ["lambda", [x], ["display", x], ["display", '","']], vec()])
        if self.chance(50):
            forms.append(["string-for-each", ["lambda", [x, y], ["write", ["list", x, y]]], self.S(ctx), self.S(ctx)])
        forms.append(["newline"])
        return forms

    def ho_apply(self) -> list:
        """apply with arguments before the list tail, to primitives, to a
        procedure with rest arguments, to apply itself."""
        self.features.update({"varargs", "apply"})
        f, a, rest = self.fresh("va"), self.fresh("a"), self.fresh("rest")
        ctx = self.top.at_depth(1)
        items = [
            ["apply", "+", self.I(ctx), self.X(ctx), self.L(ctx)],
            ["apply", self.pick(["max", "min"]), self.X(ctx), self.pick(NUM_LISTS)],
            ["apply", "list", self.pick(SYMBOLS), self.L(ctx)],
            ["apply", f, self.I(ctx), self.L(ctx)],
            ["apply", f, ["cons", self.I(ctx), self.L(ctx)]],
            ["apply", "apply", self.pick(["+", "list"]), ["list", self.I(ctx), self.L(ctx)]],
            ["apply", "map", "list", ["list", self.L(ctx), self.L(ctx)]],
            ["apply", "string-append", ["map", "number->string", self.L(ctx)]],
            ["apply", "vector", self.I(ctx), self.L(ctx)],
        ]
        return [["define", [f, a, ".", rest], ["list", a, ["apply", "+", "0.0", rest]]],
                ["write", ["list", *[self.pick(items) for _ in range(self.num(2, 4))]]], ["newline"]]

    def ho_returned(self) -> list:
        """Procedures that return procedures: chosen by a case, applied
        twice, accumulators over numbers of both kinds."""
        self.features.update({"closure", "closure-returned"})
        pick_op, k, twice, f, x, mk, total, v = (self.fresh("pick-op"), self.fresh("k"), self.fresh("twice"),
                                                 self.fresh("f"), self.fresh("x"), self.fresh("make-acc"),
                                                 self.fresh("total"), self.fresh("v"))
        acc = self.fresh("acc")
        ctx = self.top.at_depth(1)
        return [["define", [pick_op, k], ["case", k, [["0"], "+"], [["1"], "-"], [["2"], "max"],
                                           ["else", ["lambda", [x, v], ["list", x, v]]]]],
                ["define", [twice, f], ["lambda", [x], [f, [f, x]]]],
                ["define", [mk, total], ["lambda", [v], ["set!", total, ["+", total, v]], total]],
                ["define", acc, [mk, self.pick(["0", "0.0", "1/2", "-0.0"])]],
                ["write", ["list", ["map", ["lambda", [k], [[pick_op, k], self.X(ctx), self.I(ctx)]], "'(0 1 2 3)"],
                           [[twice, self.P(ctx)], self.I(ctx)],
                           [[twice, [twice, self.P(ctx)]], self.I(ctx)],
                           [[[twice, twice], self.pick(["-", "abs", ["lambda", [x], ["*", x, "2"]]])], self.I(ctx)],
                           ["map", acc, self.pick(NUM_LISTS)],
                           [acc, self.X(ctx)]]],
                ["newline"]]

    # ---- blocks: building strings ---------------------------------------------

    def block_string_building(self) -> list:
        self.features.add("string-building")
        return self.pick([self.sb_append_loop, self.sb_lists, self.sb_mutation, self.sb_scan,
                          self.sb_numbers, self.sb_errors])()

    def sb_append_loop(self) -> list:
        """A procedure that builds a string with string-append in a loop,
        called with a few lengths (so that it is compiled on the way)."""
        build, n, loop, i, acc = (self.fresh("build"), self.fresh("n"), self.fresh("loop"),
                                  self.fresh("i"), self.fresh("acc"))
        piece = self.pick([["number->string", i], ["number->string", ["*", i, self.pick(["0.5", "1/3", "1e20"])]],
                           ["string", ["integer->char", ["+", "97", i]]],
                           ["if", ["even?", i], '","', self.str_lit()],
                           ["substring", '"abcdefghijkl"', i, ["+", i, "1"]],
                           ["string-append", self.str_lit(), ["number->string", ["-", i]]]])
        return [["define", [build, n], ["let", loop, [[i, "0"], [acc, self.str_lit()]],
                                          ["if", ["<", i, n], [loop, ["+", i, "1"], ["string-append", acc, piece]],
                                           acc]]],
                ["write", ["map", build, ["list", self.small(0, 10), self.small(0, 10), self.small(0, 10)]]],
                ["write", ["string-length", [build, self.small(0, 10)]]],
                ["newline"]]

    def sb_lists(self) -> list:
        """Strings taken apart into lists of characters and put together."""
        s, c = self.fresh("str"), self.fresh("ch")
        ctx = self.top.at_depth(1)
        forms = [["define", s, self.S(ctx)]]
        items = [
            ["list->string", ["reverse", ["string->list", s]]],
            ["list->string", ["filter", self.pick(["char-alphabetic?", "char-numeric?", "char-whitespace?"]),
                              ["string->list", s]]],
            ["map", "char->integer", ["string->list", s]],
            ["apply", "string", ["map", self.pick(["char-upcase", "char-downcase"]), ["string->list", s]]],
            ["list->string", ["map", ["lambda", [c], ["if", ["char<?", c, "#\\m"], "#\\<", c]], ["string->list", s]]],
            ["string->list", s, ["quotient", ["string-length", s], "2"]],
            ["string-copy", s, ["min", "1", ["string-length", s]]],
            ["list->string", ["map", "integer->char", ["list", "72", "105", self.pick(["33", "955", "32"])]]],
        ]
        forms += [["write", ["list", *[self.pick(items) for _ in range(self.num(2, 4))]]], ["newline"]]
        return forms

    def sb_mutation(self) -> list:
        """string-set! and string-fill! on strings from make-string and
        string-copy (never on a literal: literals are constants)."""
        self.features.add("string-mutation")
        m, i, orig = self.fresh("mstr"), self.fresh("i"), self.fresh("orig")
        size = self.small(0, 10)
        k = self.small(1, 7)
        ctx = self.top.at_depth(1)
        source = self.pick([["make-string", size, self.pick(["#\\.", "#\\a", "#\\space"])],
                            ["string-copy", self.S(ctx)]])
        forms = [["define", orig, self.S(ctx)],
                 ["define", m, source],
                 ["do", [[i, "0", ["+", i, "1"]]], [["=", i, ["string-length", m]]],
                  ["when", self.pick([["even?", i], ["<", i, "3"], self.B(ctx.bind(i, INT, mutable=False))]),
                   ["string-set!", m, i, ["integer->char", ["+", "97", ["modulo", ["*", i, k], "26"]]]]]],
                 ["write", ["list", m, ["string-length", m], ["string=?", m, ["string-copy", m]],
                            ["string<?", m, orig], ["string=?", orig, ["string-copy", orig]]]]]
        if self.chance(40):
            forms.append(["string-fill!", m, self.pick(["#\\z", "#\\x3bb"])])
            forms.append(["write", m])
        if self.chance(40):  # a copy is a new string: changing it leaves the original
            c = self.fresh("copy")
            forms.append(["let", [[c, ["string-copy", orig]]],
                          ["when", [">", ["string-length", c], "0"], ["string-set!", c, "0", "#\\#"]],
                          ["write", ["list", c, orig]]])
        forms.append(["newline"])
        return forms

    def sb_scan(self) -> list:
        """Loops over a string's indices with string-ref and character
        comparisons: counting, and splitting with substring."""
        count, split, s, c, loop, i, n, start, out = (
            self.fresh("count"), self.fresh("split"), self.fresh("s"), self.fresh("c"), self.fresh("loop"),
            self.fresh("i"), self.fresh("n"), self.fresh("start"), self.fresh("out"))
        ctx = self.top.at_depth(1)
        text = self.pick(['"a,b,,c"', '","', '""', '"hello, world"', '"1,2.5,-0.0"', '"no commas"'])
        return [["define", [count, s, c],
                 ["let", loop, [[i, "0"], [n, "0"]],
                  ["if", ["=", i, ["string-length", s]], n,
                   [loop, ["+", i, "1"], ["if", [self.pick(["char=?", "char<?", "char-ci=?"]), ["string-ref", s, i], c],
                                         ["+", n, "1"], n]]]]],
                ["define", [split, s, c],
                 ["let", loop, [[i, "0"], [start, "0"], [out, "'()"]],
                  ["cond", [["=", i, ["string-length", s]], ["reverse", ["cons", ["substring", s, start, i], out]]],
                   [["char=?", ["string-ref", s, i], c], [loop, ["+", i, "1"], ["+", i, "1"],
                                                          ["cons", ["substring", s, start, i], out]]],
                   ["else", [loop, ["+", i, "1"], start, out]]]]],
                ["write", ["list", [count, self.S(ctx), self.char_expr(ctx)], [count, text, "#\\,"],
                           [split, text, "#\\,"], ["map", "string->number", [split, '"1,2.5,-0.0,x"', "#\\,"]]]],
                ["newline"]]

    def sb_numbers(self) -> list:
        """Numbers of both kinds written into strings and read back."""
        ctx = self.top.at_depth(1)
        items = [
            ["string-append", ["number->string", self.X(ctx)], '"/"', ["number->string", self.I(ctx), "16"]],
            ["string->number", ["string-append", self.pick(['"1"', '"-0"', '"2.5"', '"1/"']),
                                self.pick(['"e3"', '"0"', '"3"', '".5"', '""'])]],
            ["string->number", self.pick(['"#xff"', '"1e400"', '"-0.0"', '"+nan.0"', '"abc"', '"#e1.5"', '"#i1/3"'])],
            ["number->string", self.X(ctx)],
            ["map", "number->string", self.pick(NUM_LISTS)],
        ]
        return [["write", ["list", *[self.pick(items) for _ in range(self.num(1, 3))]]], ["newline"]]

    def sb_errors(self) -> list:
        """String primitives given a bad index or a wrong type: the error is
        caught and its message and irritants printed."""
        self.features.add("string-error")
        e = self.fresh("e")
        ctx = self.top.at_depth(1)
        s = self.str_lit()
        bad = self.pick([
            ["string-ref", s, ["string-length", s]],
            ["string-ref", s, "-1"],
            ["string-ref", s, "1.0"],
            ["substring", s, "2", "1"],
            ["substring", s, "0", "99"],
            ["string-append", s, self.I(ctx)],
            ["string-append", s, self.pick(["#\\a", "'sym", "1.5"])],
            ["string-set!", ["make-string", "2", "#\\a"], "2", "#\\b"],
            ["string-set!", ["string-copy", s], "0", '"b"'],
            ["list->string", ["list", "#\\a", self.I(ctx)]],
            ["char->integer", s],
            ["string-length", self.pick(["'a", "5", "#\\a"])],
            ["make-string", self.pick(["-1", "2.0"]), "#\\a"],
            ["string->symbol", self.I(ctx)],
            ["string<?", s, "'a"],
            ["char<?", "#\\a", s],
        ])
        return [["write", ["guard", [e, [["error-object?", e], ["list", ["error-object-message", e],
                                                                   ["error-object-irritants", e]]]],
                           bad]],
                ["newline"]]

    # ---- blocks: call/cc for escaping -----------------------------------------
    #
    # Most call/cc in practice only escapes: the continuation is called (if
    # at all) while its call/cc is still running. A fast path for that must
    # get the exit right from several frames down, from inside procedures
    # the program passed to map or for-each, and must fall back whenever a
    # continuation outlives its call/cc, even one that looks escape-only.

    def block_escape(self) -> list:
        """Continuations called within their extent only."""
        self.features.add("escape-only")
        return self.pick([self.esc_higher_order, self.esc_helper, self.esc_nested, self.esc_repeated,
                          self.esc_deep_tree, self.esc_values, self.esc_through_guard])()

    def esc_higher_order(self) -> list:
        """An exit from inside a procedure called by map, fold-left,
        vector-for-each, string-for-each, sort or for-each."""
        k, x, a = self.fresh("k"), self.fresh("x"), self.fresh("a")
        ctx = self.top.at_depth(1)
        limit = self.small(-2, 12)
        test = ["lambda", [x], ["when", [">", x, limit], [k, ["list", "'exit", x]]], x]
        body = self.pick([
            ["map", test, self.L(ctx)],
            ["fold-left", ["lambda", [a, x], ["if", [">", a, limit], [k, ["list", "'over", a]], ["+", a, x]]],
             "0", self.L(ctx)],
            ["begin", ["vector-for-each", test, ["list->vector", self.L(ctx)]], "'none"],
            ["begin", ["string-for-each", ["lambda", [x], ["when", ["char=?", x, self.char_expr(ctx)], [k, x]]],
                       self.S(ctx)], "'none"],
            ["sort", self.L(ctx), ["lambda", [a, x], ["if", ["=", a, x], [k, ["list", "'dup", a]], ["<", a, x]]]],
            ["begin", ["for-each", ["lambda", [x], ["display", x], ["when", [">", x, limit], [k, x]]],
                       self.L(ctx)], "'none"],
            ["apply", "+", ["map", test, self.pick(NUM_LISTS)]],
        ])
        return [["write", [self.pick(["call/cc", "call-with-current-continuation"]), ["lambda", [k], body]]],
                ["newline"]]

    def esc_helper(self) -> list:
        """The continuation passed to another procedure, which calls it from
        under a few frames of its own recursion, or passes it on to for-each
        as the procedure to call."""
        walk, k, n, ret = self.fresh("walk"), self.fresh("k"), self.fresh("n"), self.fresh("return")
        depth, stop = self.small(0, 30), self.small(0, 30)
        body = self.top.stored().bind(n, INT, mutable=False).at_depth(1)
        forms = [["define", [walk, k, n],
                  ["cond", [["=", n, stop], [k, ["list", "'stopped", n, self.I(body)]]],
                   [["<=", n, "0"], "'bottom"],
                   ["else", ["list", n, [walk, k, ["-", n, "1"]]]]]],
                 ["write", ["call/cc", ["lambda", [ret], [walk, ret, depth]]]]]
        if self.chance(50):  # the continuation itself as for-each's procedure
            forms.append(["write", ["list", "'first", ["call/cc", ["lambda", [ret], ["for-each", ret, self.L(self.top)],
                                                                   "'empty"]]]])
        forms.append(["newline"])
        return forms

    def esc_nested(self) -> list:
        """Nested call/cc: the inner body leaves through the outer
        continuation, past the inner one, or through the inner one."""
        outer, inner = self.fresh("outer"), self.fresh("inner")
        ctx = self.top.at_depth(1)
        return [["write", ["call/cc", ["lambda", [outer],
                                       ["+", "1", ["call/cc", ["lambda", [inner],
                                                               ["if", self.B(ctx),
                                                                [outer, ["list", "'outer", self.X(ctx)]],
                                                                ["*", "10", [inner, self.I(ctx)]]]]]]]]],
                ["newline"]]

    def esc_repeated(self) -> list:
        """One procedure that escapes on some calls and returns normally on
        others, called from a loop many times (it is compiled mid-way)."""
        find, lst, target, ret, x = (self.fresh("find"), self.fresh("lst"), self.fresh("target"),
                                     self.fresh("return"), self.fresh("x"))
        i = self.fresh("i")
        return [["define", [find, lst, target],
                 ["call/cc", ["lambda", [ret],
                              ["for-each", ["lambda", [x], ["when", [self.pick(["=", "<", ">"]), x, target],
                                                            [ret, ["list", "'found", x]]]], lst],
                              "'none"]]],
                ["do", [[i, "0", ["+", i, "1"]]], [["=", i, self.small(1, 12)]],
                 ["write", [find, self.pick(["'(1 2 3 4 5)", "'(0 0.0 -0.0)", "'(5 4 3)"]),
                            ["-", i, self.small(0, 3)]]]],
                ["newline"]]

    def esc_deep_tree(self) -> list:
        """An exit from a tree walk: a named let passed to for-each, so the
        exit crosses alternating user and prelude frames."""
        find, tree, pred, ret, walk, t = (self.fresh("find-leaf"), self.fresh("tree"), self.fresh("pred"),
                                          self.fresh("return"), self.fresh("walk"), self.fresh("t"))
        x = self.fresh("x")
        trees = ["'(1 (2 (3 4.5)) 5)", "'((((7))) -0.0 (1/2))", "'()", "'(1 2 (3 (4 (5 (6 (7 (8)))))))"]
        return [["define", [find, tree, pred],
                 ["call/cc", ["lambda", [ret],
                              ["let", walk, [[t, tree]],
                               ["cond", [["pair?", t], ["for-each", walk, t]],
                                [["null?", t], "#f"],
                                [[pred, t], [ret, t]]]],
                              "#f"]]],
                ["write", ["list", *[[find, self.pick(trees), ["lambda", [x], [self.pick(["<", ">", "="]), x,
                                                                                self.pick(["3", "0", "4.5", "7"])]]]
                                     for _ in range(self.num(1, 3))]]],
                ["newline"]]

    def esc_values(self) -> list:
        """A continuation called with several values, or none."""
        k = self.fresh("k")
        ctx = self.top.at_depth(1)
        return [["write", ["call-with-values",
                           ["lambda", [], ["call/cc", ["lambda", [k],
                                                       ["if", self.B(ctx), [k, self.I(ctx), self.X(ctx)],
                                                        ["values", self.I(ctx)]]]]],
                           "list"]],
                ["newline"]]

    def esc_through_guard(self) -> list:
        """An exit from a guard body, a parameterize and a dynamic-wind: the
        handler, parameter and after thunk are all undone on the way out."""
        k, e, p = self.fresh("k"), self.fresh("e"), self.fresh("param")
        ctx = self.top.at_depth(1)
        return [["define", p, ["make-parameter", self.I(ctx)]],
                ["write", ["list", ["call/cc", ["lambda", [k],
                                                ["guard", [e, ["#t", ["list", "'caught", e]]],
                                                 ["parameterize", [[p, self.X(ctx)]],
                                                  ["dynamic-wind", ["lambda", [], ["display", '"[in]"']],
                                                   ["lambda", [], ["if", self.B(ctx), [k, [p]], ["raise", [p]]]],
                                                   ["lambda", [], ["display", '"[out]"']]]]]]],
                           [p]]],
                ["newline"]]

    def block_escape_reentered(self) -> list:
        """call/cc written the way an escape is, whose continuation is then
        called after its call/cc has returned: a counter bounds the
        re-entries. Each is inside one top-level let."""
        self.features.update({"escape-reentered", "call/cc-reentry"})
        return self.pick([self.reenter_search, self.reenter_closure, self.reenter_returned,
                          self.reenter_loop])()

    def reenter_search(self) -> list:
        """The search procedure of esc_repeated, escaping a few times, then
        asked to keep its continuation, which is re-entered."""
        saved, n, search, lst, target, keep, ret, x = (
            self.fresh("saved"), self.fresh("n"), self.fresh("search"), self.fresh("lst"), self.fresh("target"),
            self.fresh("keep"), self.fresh("return"), self.fresh("x"))
        return [["let", [[saved, "#f"], [n, "0"]],
                 ["define", [search, lst, target, keep],
                  ["call/cc", ["lambda", [ret],
                               ["when", keep, ["set!", saved, ret]],
                               ["for-each", ["lambda", [x], ["when", ["=", x, target], [ret, ["list", "'found", x]]]],
                                lst],
                               "'none"]]],
                 ["write", ["list", [search, "'(1 2 3)", "2", "#f"], [search, "'(1 2 3)", "9", "#f"],
                            [search, "'(1 2.0 3)", "2", "#f"]]],
                 ["write", ["list", "'kept", [search, self.L(self.top), self.small(), "#t"]]],
                 ["newline"],
                 ["set!", n, ["+", n, "1"]],
                 ["if", ["<", n, self.small(1, 3)], [saved, ["list", "'again", n]]]]]

    def reenter_closure(self) -> list:
        """The continuation only ever appears called, but inside a lambda
        that is stored and called later."""
        later, n, k, v = self.fresh("later"), self.fresh("n"), self.fresh("k"), self.fresh("v")
        return [["let", [[later, "#f"], [n, "0"]],
                 ["write", ["list", "'value", ["call/cc", ["lambda", [k],
                                                           ["set!", later, ["lambda", [v], [k, v]]],
                                                           self.I(self.top.at_depth(1))]]]],
                 ["newline"],
                 ["set!", n, ["+", n, "1"]],
                 ["when", ["<", n, self.small(1, 3)], [later, ["*", n, self.pick(["100", "1.5", "-0.0"])]]]]]

    def reenter_returned(self) -> list:
        """The continuation returned as call/cc's own value, then called."""
        n, r, c = self.fresh("n"), self.fresh("r"), self.fresh("c")
        return [["let", [[n, "0"]],
                 ["let", [[r, ["call/cc", ["lambda", [c], c]]]],
                  ["set!", n, ["+", n, "1"]],
                  ["write", ["list", n, ["procedure?", r]]],
                  ["if", ["procedure?", r], [r, ["*", n, self.pick(["7", "0.5"])]], ["write", r]]]],
                ["newline"]]

    def reenter_loop(self) -> list:
        """A loop in a procedure that escapes on some calls; on the last one
        it keeps a continuation captured mid-loop, re-entered afterwards."""
        saved, n, walk, limit, keep, loop, i, acc, k = (
            self.fresh("saved"), self.fresh("n"), self.fresh("walk"), self.fresh("limit"), self.fresh("keep"),
            self.fresh("loop"), self.fresh("i"), self.fresh("acc"), self.fresh("k"))
        stop = self.small(0, 5)
        return [["let", [[saved, "#f"], [n, "0"]],
                 ["define", [walk, limit, keep],
                  ["let", loop, [[i, "0"], [acc, "'()"]],
                   ["if", ["<", i, limit],
                    [loop, ["+", i, "1"],
                     ["cons", ["call/cc", ["lambda", [k],
                                           ["when", ["and", keep, ["=", i, "1"]], ["set!", saved, k]],
                                           ["if", ["=", i, stop], [k, "'stop"], i]]],
                      acc]],
                    ["reverse", acc]]]],
                 ["write", ["list", [walk, "3", "#f"], [walk, "4", "#f"], [walk, "5", "#f"]]],
                 ["write", [walk, "4", "#t"]],
                 ["newline"],
                 ["set!", n, ["+", n, "1"]],
                 ["when", ["and", saved, ["<", n, self.small(1, 3)]], [saved, ["list", "'back", n]]]]]

    BLOCKS = [
        (3, "block_statements"), (2, "block_counter"), (2, "block_closures"),
        (2, "block_shared_state"), (1, "block_global_mutation"), (2, "block_named_let"),
        (1, "block_do_loop"), (2, "block_tail_recursion"), (2, "block_recursion"),
        (3, "block_callcc_escape"), (4, "block_callcc_reentry"), (3, "block_dynamic_wind"),
        (3, "block_guard"), (3, "block_exception_handler"), (1, "block_strings"),
        (1, "block_lists"), (1, "block_letrec"), (1, "block_vectors"),
        (1, "block_parameterize"), (1, "block_values"), (1, "block_varargs"),
        (2, "block_float_loop"), (2, "block_float_procedures"), (1, "block_float_division"),
        (4, "block_higher_order"), (3, "block_string_building"), (3, "block_escape"),
        (2, "block_escape_reentered"),
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

        def in_float_loop():  # an exact division by zero, reached in a loop of flonums and integers
            loop, i, acc = self.fresh("loop"), self.fresh("i"), self.fresh("acc")
            return [["display", ["let", loop, [[i, self.small(1, 5)], [acc, self.pick(["1.0", "0.5", "-0.0"])]],
                                 ["if", ["<", i, "-3"], acc,
                                  [loop, ["-", i, "1"], ["+", ["exact", ["round", acc]], ["/", "1", i]]]]]]]

        def in_string_loop():  # string-ref one past the end, from a procedure called by map
            s, i = self.fresh("s"), self.fresh("i")
            return [["define", [f, s, i], ["string-append", ["string", ["string-ref", s, i]], s]],
                    ["write", ["map", f, ["list", '"abc"', '"de"', '"f"'], ["list", "0", "1", "2"]]]]

        return self.weighted([
            (1, in_float_loop), (1, in_string_loop),
            (1, lambda: [["display", ["exact", ["/", self.num_lit(), "0.0"]]]]),
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
