"""Run-time representation of SX values.

Chosen for speed on CPython, with the traps ARCHITECTURE.md lists handled by
the primitives rather than by wrapping hot types:

  exact integer   Python int (never bool: every numeric check is `type(x) is int`)
  exact rational  fractions.Fraction, always normalised to int when integral
  flonum          Python float;  complex: Python complex (read and basic arithmetic)
  boolean         Python True / False (only #f is false: tests are `x is not False`)
  empty list      NIL;  pair: Pair
  symbol          Symbol, interned (compare with `is`)
  keyword         Keyword, interned, self-evaluating (`:name`)
  character       Char, interned per code point
  string          MString (mutable: R7RS strings are)
  vector          Python list;  bytevector: Python bytearray
  dict            Dict (an SX extension: an ordered hash map keyed by equal?)
  procedures      Primitive, Closure, CaseLambda, Continuation, Parameter
"""

from __future__ import annotations

import sys
import weakref
from fractions import Fraction


class _Singleton:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return self._name


class Nil(_Singleton):
    __slots__ = ()

    def __iter__(self):
        return iter(())

    def __bool__(self) -> bool:  # guard against accidental Python truthiness use
        raise TypeError("SX empty list used as a Python boolean")


NIL = Nil("()")
UNSPECIFIED = _Singleton("#<unspecified>")
EOF_OBJECT = _Singleton("#<eof>")
DEFAULT = _Singleton("#<default>")        # marks an omitted optional argument
UNASSIGNED = _Singleton("#<unassigned>")  # letrec variable not yet initialised
UNBOUND = _Singleton("#<unbound>")        # global cell never defined


class Pair:
    __slots__ = ("car", "cdr")

    def __init__(self, car, cdr):
        self.car = car
        self.cdr = cdr

    def __repr__(self) -> str:
        return _pair_repr(self)


# Python's view of a pair (a debugger, a failing test) is its written form,
# but the printer sits above this module and cannot be imported from it: it
# installs its writer here when it is imported (see printer.py). Until then a
# pair shows as a plain Python object.
_pair_repr = object.__repr__


def set_pair_repr(write) -> None:
    """Make `repr` of a Pair `write(pair)`: called once, by the printer."""
    global _pair_repr
    _pair_repr = write


class Symbol:
    __slots__ = ("name", "__weakref__")

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_symbols: dict[str, Symbol] = {}


def intern(name: str) -> Symbol:
    s = _symbols.get(name)
    if s is None:
        s = _symbols[name] = Symbol(name)
    return s


_gensym_counter = 0


def gensym(prefix: str = "g") -> Symbol:
    """An uninterned symbol: never `eq?` to anything read from source."""
    global _gensym_counter
    _gensym_counter += 1
    return Symbol(f"{prefix}{_gensym_counter}")


class Keyword:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name  # without the leading colon

    def __repr__(self) -> str:
        return ":" + self.name


_keywords: dict[str, Keyword] = {}


def keyword(name: str) -> Keyword:
    k = _keywords.get(name)
    if k is None:
        k = _keywords[name] = Keyword(name)
    return k


class Char:
    __slots__ = ("c",)

    def __init__(self, c: str) -> None:
        self.c = c

    def __repr__(self) -> str:
        return "#\\" + self.c


# Every Char is interned here (eq? on characters is identity). Latin-1 is
# made up front, so hot code may subscript the table and fall back to
# make_char only on a KeyError (compiled string-ref, string->list).
_chars: dict[str, Char] = {chr(i): Char(chr(i)) for i in range(256)}
CHARS = _chars


def make_char(c: str) -> Char:
    ch = _chars.get(c)
    if ch is None:
        ch = _chars[c] = Char(c)
    return ch


class MString:
    """A mutable string. `s` holds the current contents as a Python str."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s

    def __repr__(self) -> str:
        return repr(self.s)


class MultipleValues:
    """What `(values ...)` returns when it returns other than exactly one value."""

    __slots__ = ("vals",)

    def __init__(self, vals: list) -> None:
        self.vals = vals


class Cell:
    """A global variable: compiled code refers to the cell, so a redefinition
    is seen everywhere. `name` is a Symbol."""

    __slots__ = ("name", "value", "watch", "sets")

    def __init__(self, name, value=UNBOUND) -> None:
        self.name = name
        self.value = value
        self.watch = None   # tier-2 units that assumed its value (see jit/py/unit.py)
        self.sets = 0       # assignments (a definition is one)

    def assign(self, value) -> None:
        """Set the variable (every tier assigns globals through here): code
        generated assuming its old value is invalidated."""
        self.value = value
        self.sets += 1
        units = self.watch
        if units is not None:
            self.watch = None
            for unit in units:
                unit.invalidate()

    def __repr__(self) -> str:
        return f"#<cell {self.name}>"


class Procedure:
    __slots__ = ()
    name = None


# The most arguments of a procedure that takes any number: beyond any call
# (the argument list alone would take 8 GiB), and small enough for CPython's
# fast path of small-int comparisons. A procedure takes n arguments unless
# `n < min_args or n > max_args` (a primitive's; a lambda's are `nreq` and
# `max_args`): the one arity check, the same in every tier.
MAX_ARGS = (1 << 30) - 1


class Primitive(Procedure):
    """A procedure implemented in Python. `control` is None for plain
    primitives; a control primitive (apply, call/cc, values, dynamic-wind,
    ...) has its handler there instead, `handler(machine, args, k)` giving
    the machine's next state, because it manipulates the continuation."""

    __slots__ = ("name", "fn", "min_args", "max_args", "control", "plain_max")

    def __init__(self, name, fn, min_args=0, max_args=None, control=None) -> None:
        self.name = name
        self.fn = fn
        self.min_args = min_args
        self.max_args = MAX_ARGS if max_args is None else max_args  # (None: any number)
        self.control = control
        # what generated code tests before calling fn directly: n arguments
        # with min_args <= n <= plain_max (never for a control primitive)
        self.plain_max = self.max_args if control is None else -1

    def __repr__(self) -> str:
        return f"#<primitive {self.name}>"


class Continuation(Procedure):
    """A captured continuation: an immutable frame chain plus the dynamic
    state (winders and handler stack) in force where it was captured."""

    __slots__ = ("k", "winders", "handlers")

    def __init__(self, k, winders, handlers) -> None:
        self.k = k
        self.winders = winders
        self.handlers = handlers

    def __repr__(self) -> str:
        return "#<continuation>"


class Parameter(Procedure):
    """A parameter object. Bound shallowly: `parameterize` swaps `value` in
    and out through dynamic-wind, so re-entered continuations see the right
    binding without any lookup on read. Only parameterize changes it, so
    outside every parameterize (at the top level) it holds `base`, its
    first value: what a host that abandoned a computation midway puts back
    (api.Runtime.recover), whatever the interruption cut short."""

    __slots__ = ("value", "converter", "base", "__weakref__")

    def __init__(self, value, converter) -> None:
        self.value = self.base = value
        self.converter = converter
        PARAMETERS.add(self)

    def __repr__(self) -> str:
        return "#<parameter>"


PARAMETERS: weakref.WeakSet = weakref.WeakSet()   # every parameter object alive


class RecordType:
    __slots__ = ("name", "fields", "__weakref__")

    def __init__(self, name: str, fields: list) -> None:
        self.name = name
        self.fields = fields  # list of Symbol

    def __repr__(self) -> str:
        return f"#<record-type {self.name}>"


class Record:
    __slots__ = ("rtype", "fields")

    def __init__(self, rtype: RecordType, fields: list) -> None:
        self.rtype = rtype
        self.fields = fields


class Promise:
    """R7RS promise. `done` true: `value` is the value. Otherwise `value` is
    a thunk. `box` lets delay-force share state between chained promises."""

    __slots__ = ("box",)

    def __init__(self, done: bool, value) -> None:
        self.box = [done, value]


class Dict:
    """An SX dict. `table` maps equal_key(key) -> (key, value); the
    primitives over it, and why it is keyed that way, are in runtime/dicts.py."""

    __slots__ = ("table", "__weakref__")

    def __init__(self, table: dict | None = None) -> None:
        self.table = {} if table is None else table

    def __repr__(self) -> str:
        return f"#<dict {len(self.table)}>"


def list_to_py(lst) -> list:
    """Convert a proper SX list to a Python list (caller ensures properness)."""
    out = []
    while lst.__class__ is Pair:
        out.append(lst.car)
        lst = lst.cdr
    return out


def py_to_list(items, tail=NIL, _new=object.__new__):
    # (a pair made with object.__new__ and its two fields set costs a third
    # of a call of Pair(): lists are built in loops like this one)
    lst = tail
    for x in reversed(items):
        p = _new(Pair)
        p.car = x
        p.cdr = lst
        lst = p
    return lst


def str_to_chars(py: str, tail=NIL, _new=object.__new__):
    """The list of the characters of a Python str (the interned Chars)."""
    lst = tail
    chars = _chars
    try:
        for c in reversed(py):
            p = _new(Pair)
            p.car = chars[c]
            p.cdr = lst
            lst = p
    except KeyError:             # a character met for the first time
        for c in py:
            make_char(c)
        return str_to_chars(py, tail)
    return lst


def is_true(x) -> bool:
    return x is not False


def is_number(x) -> bool:
    t = type(x)
    return t is int or t is float or t is Fraction or t is complex


class Closure(Procedure):
    """A compound procedure: a lambda (ir.Lambda) and the environment it was
    made in, the same in every tier (so a closure made by compiled code can
    run interpreted, and the reverse)."""

    __slots__ = ("lam", "env")

    def __init__(self, lam, env) -> None:
        self.lam = lam
        self.env = env

    @property
    def name(self):
        return self.lam.name

    def __repr__(self) -> str:
        return f"#<procedure {self.lam.name or 'anonymous'}>"


class CaseLambda(Procedure):
    """`case-lambda`: the first clause (a Closure) taking the arguments runs."""

    __slots__ = ("clauses", "name")

    def __init__(self, clauses: list, name=None) -> None:
        self.clauses = clauses
        self.name = name


def name_procedure(v, sym) -> None:
    """A definition names the case-lambda it binds (closures are named by
    their lambda already)."""
    if v.__class__ is CaseLambda and v.name is None:
        v.name = sym.name
