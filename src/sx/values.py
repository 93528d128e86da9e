"""Run-time representation of SX values.

Chosen for speed on CPython, with the traps ARCHITECTURE.md lists handled by
the primitives rather than by wrapping hot types:

  exact integer   Python int (never bool: every numeric check is `type(x) is int`)
  exact rational  fractions.Fraction, always normalised to int when integral
  flonum          Python float
  exact non-real  ExactComplex: two exact real parts, the imaginary one never 0
  inexact non-real  Python complex (two float parts)
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


# ---------------------------------------------------------------- exact non-reals

def normalise_exact(r):
    """Normalise an exact result: an integral Fraction becomes an int."""
    if type(r) is Fraction and r.denominator == 1:
        return r.numerator
    return r


def rect(re, im):
    """The exact number re + im*i (both parts exact reals): a real when im is
    0, as R7RS requires of an exact number with a zero imaginary part."""
    if im == 0:
        return normalise_exact(re)
    return ExactComplex(normalise_exact(re), normalise_exact(im))


_HASH_MODULUS = 1 << (sys.hash_info.width - 1)


class ExactComplex:
    """An exact non-real number (`1+2i`, `1/2-i`): a Python complex holds
    floats, so exact parts need their own type. Both parts are int or
    normalised Fraction, and `imag` is never 0 (`rect` makes a real then).

    The Python operators are defined between exact numbers (int, Fraction,
    ExactComplex) only, and give normalised results, so the primitives'
    exact paths (`op(a, b)` on two exact numbers) need no case of their own.
    With a float or a Python complex they return NotImplemented: the
    primitives make both operands inexact first (R7RS contagion), and a
    mixed operation that forgot to is a TypeError, not a silent guess.
    Equality is the exception: `=` compares an exact and an inexact
    complex exactly, as Python compares an int and a float."""

    __slots__ = ("real", "imag")

    def __init__(self, real, imag) -> None:
        self.real = real
        self.imag = imag

    def __repr__(self) -> str:
        return f"ExactComplex({self.real!r}, {self.imag!r})"

    @staticmethod
    def _parts(x):
        """(real, imag) of an exact number, or None for anything else."""
        t = type(x)
        if t is ExactComplex:
            return x.real, x.imag
        if t is int or t is Fraction:
            return x, 0
        return None

    def __eq__(self, other):
        t = type(other)
        if t is ExactComplex or t is complex:
            return self.real == other.real and self.imag == other.imag
        if t is int or t is Fraction or t is float:
            return False          # imag is never 0
        return NotImplemented

    def __hash__(self) -> int:
        # Python's hash of a complex, from the parts' hashes (which are the
        # floats' when equal to them), so that == implies equal hashes.
        h = hash(self.real) + sys.hash_info.imag * hash(self.imag)
        h = (h & (_HASH_MODULUS - 1)) - (h & _HASH_MODULUS)
        return -2 if h == -1 else h

    def __neg__(self):
        return ExactComplex(-self.real, -self.imag)

    def __add__(self, other):
        o = self._parts(other)
        return NotImplemented if o is None else rect(self.real + o[0], self.imag + o[1])

    __radd__ = __add__

    def __sub__(self, other):
        o = self._parts(other)
        return NotImplemented if o is None else rect(self.real - o[0], self.imag - o[1])

    def __rsub__(self, other):
        o = self._parts(other)
        return NotImplemented if o is None else rect(o[0] - self.real, o[1] - self.imag)

    def __mul__(self, other):
        o = self._parts(other)
        if o is None:
            return NotImplemented
        a, b, c, d = self.real, self.imag, o[0], o[1]
        return rect(a * c - b * d, a * d + b * c)

    __rmul__ = __mul__

    @staticmethod
    def _divide(a, b, c, d):
        """(a+bi)/(c+di), exactly. Raises ZeroDivisionError for 0, as
        Fraction does."""
        den = Fraction(c * c + d * d)
        return rect((a * c + b * d) / den, (b * c - a * d) / den)

    def __truediv__(self, other):
        o = self._parts(other)
        return NotImplemented if o is None else self._divide(self.real, self.imag, *o)

    def __rtruediv__(self, other):
        o = self._parts(other)
        return NotImplemented if o is None else self._divide(*o, self.real, self.imag)

    def __pow__(self, n):
        """An exact power with a non-negative integer exponent, by repeated
        squaring (`expt` takes the reciprocal for a negative one)."""
        if type(n) is not int or n < 0:
            return NotImplemented
        result, base = 1, self
        while n:
            if n & 1:
                result = result * base
            n >>= 1
            if n:
                base = base * base
        return result


NUMBER_TYPES = (int, float, Fraction, ExactComplex, complex)


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

    __slots__ = ("name", "fn", "min_args", "max_args", "control", "plain_max", "record")

    def __init__(self, name, fn, min_args=0, max_args=None, control=None) -> None:
        self.name = name
        self.fn = fn
        # a record type's procedure (runtime/records.py), which tier 2 writes
        # inline: ("make", rtd), ("pred", rtd), ("get", rtd, i), ("set", rtd, i)
        self.record = None
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
    (api.Runtime.recover), whatever the interruption cut short. A suspended
    computation's bindings are swapped out while it waits (ParameterSwap)."""

    __slots__ = ("value", "converter", "base", "__weakref__")

    def __init__(self, value, converter) -> None:
        self.value = self.base = value
        self.converter = converter
        PARAMETERS.add(self)

    def __repr__(self) -> str:
        return "#<parameter>"


PARAMETERS: weakref.WeakSet = weakref.WeakSet()   # every parameter object alive


class ParameterSwap:
    """What one `parameterize` runs on entering and on leaving its extent
    (both, as dynamic-wind's before and after thunks): it exchanges its
    parameters' values with the ones it holds, so doing it twice is doing
    nothing. The machine recognises it in the winders to make parameters
    per computation: a computation suspended by `perform` swaps its
    bindings out while the host runs others, and back in on resuming
    (Machine.continue_with), where user dynamic-wind thunks don't run."""

    __slots__ = ("params", "values")

    def __init__(self, params: list, values: list) -> None:
        self.params = params
        self.values = values

    def __call__(self):
        vals = self.values
        for i, p in enumerate(self.params):
            p.value, vals[i] = vals[i], p.value
        return UNSPECIFIED


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
    return type(x) in NUMBER_TYPES


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
