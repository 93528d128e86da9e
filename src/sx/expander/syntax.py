"""Identifiers, scopes and environments: the expander's model of hygiene.

Hygiene is by renaming. Each macro expansion replaces every symbol its
template introduces with an `Identifier`: an alias that remembers the symbol
and the environment of the macro's definition. A binding form that binds an
alias binds only that alias, so it cannot capture the user's variables; an
alias that no enclosing scope binds is looked up, as its symbol, where the
macro was defined, so the user's bindings cannot capture the macro's free
names either.
"""

from __future__ import annotations

from ..values import UNBOUND, Cell, Pair, Symbol, intern


class Identifier:
    """An alias made by one macro expansion. `sym` may itself be an
    Identifier (macros that define macros)."""

    __slots__ = ("sym", "env")

    def __init__(self, sym, env) -> None:
        self.sym = sym
        self.env = env

    def __repr__(self) -> str:
        return f"#<identifier {root(self).name}>"


def is_identifier(x) -> bool:
    return x.__class__ is Symbol or x.__class__ is Identifier


def root(x) -> Symbol:
    """The symbol an identifier stands for, all aliasing removed."""
    while x.__class__ is Identifier:
        x = x.sym
    return x


class Macro:
    """A syntactic keyword bound to a transformer: a SyntaxRules object or a
    Python function (form, scope, expander) -> datum."""

    __slots__ = ("transformer", "name")

    def __init__(self, transformer, name: str) -> None:
        self.transformer = transformer
        self.name = name


class Special:
    """A core syntactic form (lambda, if, define, quote, ...). `handler` is
    the name of the Expander method that expands it."""

    __slots__ = ("name", "handler")

    def __init__(self, name: str, handler: str) -> None:
        self.name = name
        self.handler = handler


class Scope:
    """A local contour: maps identifiers (Symbols or Identifiers, by identity)
    to Var or Macro bindings."""

    __slots__ = ("parent", "table")

    def __init__(self, parent) -> None:
        self.parent = parent
        self.table: dict = {}


class Environment:
    """A top-level environment: maps Symbols to Cell, Macro or Special."""

    def __init__(self, name: str = "user") -> None:
        self.name = name
        self.table: dict = {}

    def __repr__(self) -> str:
        return f"#<environment {self.name}>"

    def cell(self, sym: Symbol) -> Cell:
        """The variable cell for sym, made (unbound) on first mention."""
        b = self.table.get(sym)
        if b.__class__ is Cell:
            return b
        c = self.table[sym] = Cell(sym)
        return c

    def define_value(self, name: str, value) -> None:
        self.cell(intern(name)).assign(value)


def resolve(ident, scope):
    """The binding of `ident` seen from `scope`.

    Returns (binding, env, sym): binding is a Var, Cell, Macro, Special, or
    None for an unbound global, in which case (env, sym) say where a
    reference or definition would create it."""
    while True:
        s = scope
        while s.__class__ is Scope:
            b = s.table.get(ident)
            if b is not None:
                return b, None, None
            s = s.parent
        if ident.__class__ is Symbol:
            return s.table.get(ident), s, ident
        scope = ident.env
        ident = ident.sym


def top_env(scope) -> Environment:
    while scope.__class__ is Scope:
        scope = scope.parent
    return scope


def strip(x):
    """Remove all renaming from a datum (for quote, and for the irritants of
    error messages). Iterative, and the copy shares and cycles exactly as x
    does: deep data, shared data and quoted circular literals are fine."""
    cls = x.__class__
    if cls is Identifier:
        return root(x)
    if cls is not Pair and cls is not list:
        return x
    copies: dict = {}   # id -> (original, its copy, made empty first)
    stack = [x]
    while stack:
        y = stack.pop()
        if id(y) in copies:
            continue
        if y.__class__ is Pair:
            copies[id(y)] = (y, Pair(None, None))
            parts = (y.car, y.cdr)
        else:
            copies[id(y)] = (y, [None] * len(y))
            parts = y
        stack.extend(p for p in parts if p.__class__ is Pair or p.__class__ is list)

    def copy(v):
        c = v.__class__
        if c is Identifier:
            return root(v)
        if c is Pair or c is list:
            return copies[id(v)][1]
        return v

    for y, new in copies.values():
        if new.__class__ is Pair:
            new.car = copy(y.car)
            new.cdr = copy(y.cdr)
        else:
            new[:] = [copy(e) for e in y]
    return copies[id(x)][1]


def has_identifiers(x) -> bool:
    """Whether strip(x) would change anything (lets quote keep eq?-identity
    of constants that macros never touched)."""
    seen = set()
    stack = [x]
    while stack:
        x = stack.pop()
        cls = x.__class__
        if cls is Identifier:
            return True
        if cls is Pair or cls is list:
            if id(x) in seen:
                continue
            seen.add(id(x))
            if cls is Pair:
                stack.append(x.car)
                stack.append(x.cdr)
            else:
                stack.extend(x)
    return False


def free_identifier_eq(a, scope_a, b, scope_b) -> bool:
    """Whether identifiers a and b mean the same thing (literal matching)."""
    ba, _, sa = resolve(a, scope_a)
    bb, _, sb = resolve(b, scope_b)
    if ba is None and bb is None:
        return sa is sb
    if ba is not None and bb is not None:
        if ba is bb:
            return True
        # Two top-level cells for the same unbound name in different
        # environments are "both free" too.
        return (ba.__class__ is Cell and bb.__class__ is Cell and root(a) is root(b)
                and (ba.value is bb.value))
    # One side unbound, the other a global cell that is itself unbound.
    other = ba if ba is not None else bb
    return other.__class__ is Cell and other.value is UNBOUND and root(a) is root(b)
