"""Random programs for the expander fuzzer: every one reads as data, most
are wrong as syntax.

Each special form and derived form is built in its right shape, then
perhaps broken (`broken`): an element dropped, inserted, duplicated or
replaced, the list cut short or given an improper tail. Macros come with
random syntax-rules (patterns and templates with ellipses anywhere), and
now and then a datum label makes part of a form shared or circular.

The programs should not run forever, since a hang is what the fuzzer looks
for in the expander. Nothing calls a procedure the program made by its
name: calls are to primitives from `SAFE` (which only let and lambda may
rebind, and they cannot make them recursive), the receivers of `=>` are
primitives too, `do` loops end at once (their test is always true), and
macro templates never put a pattern variable, or a macro keyword, at the
head of a list, so no macro expands into a use of itself. Breaking forms
at random can still, rarely, move a name to the head of a list: the
fuzzer tells a program that loops while running from a hang of the
expander (see test_expander_fuzz.py).

The generator is plain functions of a `Gen`, which draws small integers
from hypothesis (so cases shrink): building a strategy object per node
made generation ten times slower than running the case.
"""

from __future__ import annotations

from functools import lru_cache

from hypothesis import strategies as st

VARS = ["x", "y", "z"]            # what programs bind and refer to
PVARS = ["a", "b", "c"]           # pattern variables
MACROS = ["m1", "m2"]             # macro keywords: only ever at the head of a use
SAFE = ["list", "cons", "car", "vector", "+", "not", "eq?", "null?", "display", "write",
        "values", "vector-ref", "raise", "error", "symbol?", "make-parameter"]
KEYWORDS = ["if", "let", "lambda", "define", "quote", "begin", "set!", "else", "=>", "...",
            "_", "unquote", "unquote-splicing", "quasiquote", "syntax-rules", "define-syntax",
            "let-syntax", "cond", "case", "do", "guard", "delay", "letrec", "let*"]
# What `broken` puts in: never a variable, which could become a call head,
# and few keywords, which a definition could turn into one.
JUNK = ["1", "0", "-2", "#t", '"s"', "#\\a", "1.5", "#f", "()", "'()", "#()", "else", "=>",
        "...", "_", "quote"]
# let and lambda may rebind keywords and primitives: what they bind cannot
# call itself through its name.
REBINDABLE = VARS + ["if", "list", "else", "define", "quote"]
# heads a template list may have: never a pattern variable or a macro keyword
TEMPLATE_HEADS = ["list", "vector", "begin", "if", "display", "quote", "let", "lambda",
                  "define", "cons"]


@lru_cache(maxsize=None)
def _ints(lo: int, hi: int):
    return st.integers(lo, hi)


class Gen:
    """Draws for one program; `open` holds the datum labels being defined
    around the current point, `labels` counts those of the current
    top-level datum (the reader numbers them afresh for each)."""

    def __init__(self, draw) -> None:
        self.draw = draw
        self.labels = 0
        self.open: list = []
        # how often `broken` breaks a list, in 24ths: some programs are
        # broken all over, some only here and there, some not at all
        self.rate = self.pick([0, 1, 3, 6])

    def int(self, lo: int, hi: int) -> int:
        return self.draw(_ints(lo, hi))

    def pick(self, seq):
        return seq[self.int(0, len(seq) - 1)]

    def one_in(self, n: int) -> bool:
        return self.int(0, n - 1) == 0

    def many(self, make, lo: int = 0, hi: int = 3) -> list:
        return [make() for _ in range(self.int(lo, hi))]


def lst(parts, tail=None) -> str:
    inner = " ".join(parts)
    if tail is None:
        return f"({inner})"
    return f"({inner} . {tail})" if parts else tail     # `( . x)` is only a read error


def broken(g: Gen, parts: list, keep_head: bool = True) -> str:
    """The list of `parts`, as it is or broken in one way."""
    parts = list(parts)
    how = 0 if not g.rate else g.int(0, 23) - (23 - g.rate)
    first = 1 if keep_head else 0
    if how == 1 and len(parts) > first:          # drop one
        del parts[g.int(first, len(parts) - 1)]
    elif how == 2:                               # insert junk
        parts.insert(g.int(first, len(parts)), g.pick(JUNK))
    elif how == 3 and len(parts) > first:        # duplicate one
        i = g.int(first, len(parts) - 1)
        parts.insert(i, parts[i])
    elif how == 4:                               # improper tail
        return lst(parts, g.pick(JUNK + VARS))
    elif how == 5 and len(parts) > first + 1:    # cut short
        parts = parts[:g.int(first, len(parts) - 1)]
    elif how == 6 and len(parts) > first:        # replace one by junk
        parts[g.int(first, len(parts) - 1)] = g.pick(JUNK)
    return lst(parts)


def atom(g: Gen) -> str:
    if g.open and g.one_in(4):
        return f"#{g.pick(g.open)}#"             # inside its own label: a cycle
    kind = g.int(0, 9)
    if kind <= 4:
        return g.pick(VARS)
    if kind == 5:
        return g.pick(KEYWORDS)
    return g.pick(JUNK[:7])


def datum(g: Gen, depth: int) -> str:
    """Data for quote: anything, pattern variables and all."""
    if depth <= 0 or g.one_in(3):
        return atom(g) if g.one_in(2) else g.pick(PVARS + MACROS + SAFE)
    items = g.many(lambda: datum(g, depth - 1))
    if g.one_in(6):
        return "#(" + " ".join(items) + ")"
    return lst(items, g.pick(JUNK) if g.one_in(6) else None)


def expr(g: Gen, depth: int) -> str:
    if depth <= 0 or g.one_in(4):
        return atom(g)
    if g.one_in(12):
        return labelled(g, depth)
    return g.pick(FORMS)(g, depth - 1)


def exprs(g: Gen, d: int, lo: int = 0, hi: int = 3) -> list:
    return g.many(lambda: expr(g, d), lo, hi)


def labelled(g: Gen, depth: int) -> str:
    """`#n=form`, with `#n#` perhaps inside (a cycle) or after it (sharing)."""
    n = g.labels
    g.labels += 1
    g.open.append(n)
    try:
        inner = g.pick(FORMS)(g, max(depth - 1, 1))
    finally:
        g.open.pop()
    if g.one_in(2):
        return f"(list #{n}={inner} #{n}#)"
    return f"#{n}={inner}"


# ---- the forms ----------------------------------------------------------------

def call(g, d):
    return broken(g, [g.pick(SAFE)] + exprs(g, d))


def bindings(g, d, binders=VARS):
    binds = g.many(lambda: broken(g, [g.pick(binders), expr(g, d)], keep_head=False))
    return broken(g, binds, keep_head=False)


def let_(g, d):
    head = g.pick(["let", "let*", "letrec", "letrec*"])
    binders = REBINDABLE if head in ("let", "let*") else VARS
    return broken(g, [head, bindings(g, d, binders)] + body(g, d))


def named_let(g, d):
    return broken(g, ["let", g.pick(VARS), bindings(g, d)] + body(g, d))


def formals(g, binders=REBINDABLE):
    names = g.many(lambda: g.pick(binders))
    rest = g.pick([None, None, "x", "1"])
    if not names and rest is not None:
        return rest
    return broken(g, names, keep_head=False) if rest is None else lst(names, rest)


def lambda_(g, d):
    lam = broken(g, [g.pick(["lambda", "fn"]), formals(g)] + body(g, d))
    if g.one_in(2):                               # applied once, where it stands
        return lst([lam] + exprs(g, d))
    return lam


def if_(g, d):
    return broken(g, ["if"] + exprs(g, d, 0, 4))


def clause(g, d, data: bool):
    test = datum(g, 1) if data else expr(g, d)
    if g.one_in(6):
        test = "else"
    if g.one_in(5):
        return broken(g, [test, "=>", g.pick(SAFE)], keep_head=False)
    return broken(g, [test] + exprs(g, d), keep_head=False)


def cond_(g, d):
    return broken(g, ["cond"] + g.many(lambda: clause(g, d, False)))


def case_(g, d):
    return broken(g, ["case", expr(g, d)] + g.many(lambda: clause(g, d, True)))


def simple(g, d):
    head = g.pick(["when", "unless", "and", "or", "begin", "delay", "delay-force", "assert",
                   "quote", "set!"])
    if head == "quote":
        parts = g.many(lambda: datum(g, d), 0, 2)
    elif head == "set!":
        parts = [g.pick(VARS + ["1"])] + exprs(g, d, 0, 1)
    else:
        parts = exprs(g, d)
    return broken(g, [head] + parts)


def do_(g, d):
    """Only its shapes vary: when it is right, its test is true at once."""
    spec = broken(g, [g.pick(VARS + ["1"]), expr(g, d), expr(g, d)], keep_head=False)
    specs = lst([spec] * g.int(0, 2))
    test = g.pick(["(#t)", "(1 2)", "()", "1", "(#t . 1)", "(#t (list 1))"])
    parts = ["do", specs, test] + exprs(g, d, 0, 1)
    shape = g.int(0, 4)
    if shape == 1:
        return lst(parts[:g.int(1, 2)])
    if shape == 2:
        return lst(parts, "1")
    return lst(parts)


def quasi(g, d):
    return "`" + qq_template(g, d)


def qq_template(g, d):
    if d <= 0 or g.one_in(3):
        kind = g.int(0, 4)
        if kind == 0:
            return "," + expr(g, d)
        if kind == 1:
            return ",@" + expr(g, d)
        return datum(g, 0)
    items = g.many(lambda: qq_template(g, d - 1))
    shape = g.int(0, 6)
    if shape == 0:
        return "#(" + " ".join(items) + ")"
    if shape == 1:
        return "`" + lst(items)                   # nested quasiquote
    if shape == 2:
        return lst(items, "," + expr(g, d))
    return lst(items)


def guard_(g, d):
    spec = broken(g, [g.pick(VARS + ["1"])] + g.many(lambda: clause(g, d, False), 0, 2),
                  keep_head=False)
    raise_ = g.pick(["(raise 1)", "(raise 'x)", "(error \"e\" 1)", "1"])
    return broken(g, ["guard", spec, raise_] + exprs(g, d, 0, 1))


def parameterize_(g, d):
    binds = g.many(lambda: g.pick(["((make-parameter 1) 2)", "(x 1)", "(1)", "x",
                                   "((make-parameter 1 list) 2 3)"]), 0, 2)
    return broken(g, ["parameterize", lst(binds)] + body(g, d))


def let_values(g, d):
    head = g.pick(["let-values", "let*-values"])
    clauses = g.many(lambda: broken(g, [formals(g), "(values " + expr(g, d) + ")"],
                                    keep_head=False), 0, 2)
    return broken(g, [head, lst(clauses)] + body(g, d))


def case_lambda(g, d):
    clauses = g.many(lambda: lst([formals(g)] + body(g, d)), 0, 2)
    return broken(g, ["case-lambda"] + clauses)


def let_syntax(g, d):
    head = g.pick(["let-syntax", "letrec-syntax"])
    names = MACROS[:g.int(0, len(MACROS))]
    binds = [broken(g, [m, syntax_rules(g)], keep_head=False) for m in names]
    return broken(g, [head, lst(binds)] + body(g, d))


def macro_use(g, d):
    args = g.many(lambda: expr(g, d) if g.one_in(2) else datum(g, d))
    return broken(g, [g.pick(MACROS)] + args)


FORMS = [call, call, let_, named_let, lambda_, if_, cond_, case_, simple, do_, quasi, guard_,
         parameterize_, let_values, case_lambda, let_syntax, macro_use, macro_use]


# ---- definitions and bodies ----------------------------------------------------------

def define_(g, d):
    if g.one_in(2):
        return broken(g, ["define", g.pick(VARS)] + exprs(g, d, 0, 2))
    head = broken(g, [g.pick(VARS)] + g.many(lambda: g.pick(VARS), 0, 2), keep_head=False)
    return broken(g, ["define", head] + body(g, d))


def define_values(g, d):
    return broken(g, ["define-values", formals(g, VARS),
                      "(values " + " ".join(exprs(g, d)) + ")"])


def define_record(g, d):
    fields = g.many(lambda: g.pick(["(f1 get-f1)", "(f2 get-f2 set-f2!)", "f1", "(1)",
                                    "(f1 . 1)", "(f1 get 1)", "()"]))
    ctor = g.pick(["(make-r f1)", "make-r", "#f", "(make-r f3)", "1", "(1)", "(make-r . f1)"])
    pred = g.pick(["r?", "#f", "1"])
    return broken(g, ["define-record-type", g.pick(["<r>", "r", "1"]), ctor, pred] + fields)


def define_syntax(g, d=0):
    name = "1" if g.one_in(12) else g.pick(MACROS)
    return broken(g, ["define-syntax", name, syntax_rules(g)])


def syntax_rules(g):
    ellipsis = g.pick(["...", "...", "...", ":::"])
    literals = g.many(lambda: g.pick(["else", "=>", "lit", "lit", "...", ":::"]), 0, 2)
    if g.one_in(12):
        literals.append("1")
    rules = g.many(lambda: rule(g, ellipsis))
    head = ["syntax-rules"] + ([ellipsis] if ellipsis != "..." else [])
    return broken(g, head + [broken(g, literals, keep_head=False)] + rules)


def rule(g, ellipsis):
    pattern = pattern_(g, ellipsis, 2)
    if not pattern.startswith("("):
        pattern = pattern if g.one_in(8) else f"({pattern})"
    if pattern.startswith("("):
        pattern = "(_ " + pattern[1:]
    return broken(g, [pattern, template_(g, ellipsis, 2)], keep_head=False)


def pattern_(g, ellipsis, d):
    if d <= 0 or g.one_in(3):
        return g.pick(PVARS + PVARS + ["_", "lit", "1", ellipsis])
    items = g.many(lambda: pattern_(g, ellipsis, d - 1))
    if items and g.one_in(2):                    # an ellipsis after some element
        items.insert(g.int(1, len(items)), ellipsis)
    if g.one_in(6):
        return "#(" + " ".join(items) + ")"
    return lst(items, g.pick(PVARS) if g.one_in(5) else None)


def template_(g, ellipsis, d):
    if d <= 0 or g.one_in(3):
        return g.pick(PVARS + ["1", "x", ellipsis])
    items = []
    for t in g.many(lambda: template_(g, ellipsis, d - 1)):
        items.append(t)
        if t in PVARS or t.startswith("("):
            items.extend([ellipsis] * g.pick([0, 0, 0, 1, 1, 2]))
    if g.one_in(7):
        items.insert(0, lst([ellipsis, g.pick(PVARS + [ellipsis])]))
    if g.one_in(7):
        return "#(" + " ".join(items) + ")"
    return lst([g.pick(TEMPLATE_HEADS)] + items)


def body(g, d) -> list:
    return g.many(lambda: definition(g, d) if g.one_in(3) else expr(g, d))


def definition(g, d):
    return g.pick([define_, define_, define_values, define_record, define_syntax])(g, d)


def toplevel(g, d):
    kind = g.int(0, 12)
    if kind == 0:
        return g.pick(["(import (scheme base))", "(import (only (scheme base) car))",
                       "(import (prefix))", "(import . 1)", "(import (rename))"])
    if kind == 1:
        return broken(g, ["cond-expand", broken(g, ["else"] + body(g, d)),
                          "((and r7rs (not foo)) 1)"])
    if kind == 2:
        return broken(g, ["define-library", "(fuzz lib)", "(export x)",
                          lst(["begin"] + body(g, d))])
    if kind <= 6:
        return definition(g, d)
    return expr(g, d)


@st.composite
def program(draw) -> str:
    """The text of a program of one to four top-level forms."""
    g = Gen(draw)
    forms = []
    if g.one_in(2):                  # a macro to use
        forms.append(define_syntax(g))
    for _ in range(g.int(1, 4)):
        g.labels = 0
        forms.append(toplevel(g, g.int(1, 4)))
    return "\n".join(forms) + "\n"
