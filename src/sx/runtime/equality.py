"""eq?, eqv?, equal? and `equal_key`, the hash key that agrees with equal?.

Traps handled here (see ARCHITECTURE.md, "Values"):
  * Python `True == 1` and `1 == 1.0`: numbers are compared only within one
    Python type, and hash keys are tagged so 1, 1.0 and #t never collide;
  * nan is eqv? to itself, while 0.0 and -0.0 are not eqv?;
  * equal? must terminate on circular structures and must not recurse in
    Python along a list (lists may be 10^6 long), so it is iterative.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import error
from ..values import Char, ExactComplex, MString, Pair
from .registry import primitive


# ---------------------------------------------------------------- eq? / eqv?

def eq(a, b) -> bool:
    """Identity, except that equal small integers and equal characters are
    always eq? (R7RS expects it in practice; Python ints are not interned
    beyond 256, and a Char built without make_char would not be)."""
    if a is b:
        return True
    ta = type(a)
    if ta is int:
        return type(b) is int and a == b
    if ta is Char:
        return type(b) is Char and a.c == b.c
    return False


def _float_eqv(a: float, b: float) -> bool:
    if a == b:
        # 0.0 == -0.0 in Python, but they are different numbers in Scheme.
        return a != 0.0 or math.copysign(1.0, a) == math.copysign(1.0, b)
    return a != a and b != b  # every nan is eqv? to every nan


def eqv(a, b) -> bool:
    if a is b:
        return True
    ta = type(a)
    tb = type(b)
    if ta is not tb:
        # Exactness is part of a number's identity: 1 and 1.0 differ, and
        # bool is its own type, so 1 and #t differ too. Integral rationals
        # should always have been normalised to int; compare them by value
        # anyway, as equal_key does.
        return (ta is int or ta is Fraction) and (tb is int or tb is Fraction) and a == b
    if ta is int or ta is Fraction or ta is ExactComplex:
        return a == b
    if ta is float:
        return _float_eqv(a, b)
    if ta is complex:
        return _float_eqv(a.real, b.real) and _float_eqv(a.imag, b.imag)
    if ta is Char:
        return a.c == b.c
    return False


# ------------------------------------------------------------------ equal?

# Fast mode hands its remaining work over to the cycle-safe mode after this
# many descents, or at this depth of car/vector nesting, or on meeting a
# circular cdr chain. The depth bound is what catches cycles through cars;
# the step bound stops an exponential walk of a heavily shared (DAG-shaped)
# structure. Nothing is redone: fast mode makes no assumptions, so whatever
# it has checked stays checked.
_FAST_STEPS = 1_000_000
_FAST_DEPTH = 10_000


def _leaf_equal(a, b):
    """Compare two values that are not both containers of the same kind.
    Returns True/False, or None when both are pairs or both are vectors."""
    ta = type(a)
    if ta is not type(b):
        return eqv(a, b)
    if ta is Pair or ta is list:
        return None
    if ta is MString:
        return a.s == b.s
    if ta is int:
        return a == b
    if ta is bytearray:
        return a == b
    return eqv(a, b)


def equal(a, b) -> bool:
    if a is b:
        return True
    r = _leaf_equal(a, b)
    if r is not None:
        return r
    stack = [(a, b, 0)]
    r = _equal_fast(stack)
    if r is not None:
        return r
    return _equal_safe([(x, y) for x, y, _ in stack])


def _equal_fast(stack: list):
    """Plain iterative tree comparison, no bookkeeping. Walks cdr chains in
    a loop and keeps pending car/vector comparisons on the explicit stack,
    tagged with their nesting depth. Returns True/False, or None when it
    gives up, leaving the unchecked pairs on `stack`."""
    steps = 0
    while stack:
        a, b, depth = stack.pop()
        steps += 1
        if steps > _FAST_STEPS or depth > _FAST_DEPTH:
            stack.append((a, b, depth))
            return None
        depth += 1
        if type(a) is list:
            if len(a) != len(b):
                return False
            for x, y in zip(a, b):
                if x is not y:
                    r = _leaf_equal(x, y)
                    if r is None:
                        stack.append((x, y, depth))
                    elif not r:
                        return False
            continue
        # A pair chain: walk both in step until one of them ends, with
        # Brent's cycle check on a's chain (b's cannot loop longer than a's).
        mark, n, limit = a, 0, 2
        while True:
            x, y = a.car, b.car
            if x is not y:
                tx = type(x)
                if tx is int and type(y) is int:
                    if x != y:
                        return False
                else:
                    r = _leaf_equal(x, y)
                    if r is None:
                        stack.append((x, y, depth))
                    elif not r:
                        return False
            a, b = a.cdr, b.cdr
            if a is b:
                break
            if type(a) is not Pair or type(b) is not Pair:
                r = _leaf_equal(a, b)
                if r is None:
                    stack.append((a, b, depth))  # tails are both vectors
                elif not r:
                    return False
                break
            if a is mark:
                stack.append((a, b, depth))  # a circular cdr chain
                return None
            n += 1
            if n == limit:
                mark, n, limit = a, 0, limit * 2
    return True


def _equal_safe(stack: list) -> bool:
    """Cycle-safe equal?: the union-find algorithm of Adams and Dybvig
    (ICFP 2008). Two nodes already in one class are assumed equal (the
    co-inductive reading R7RS asks for), so every node pair is expanded at
    most once and the walk terminates. Classes are keyed by id(): the
    objects stay reachable from the arguments for the whole comparison."""
    parent: dict[int, object] = {}

    def find(x):
        root = x
        while True:
            p = parent.get(id(root))
            if p is None:
                break
            root = p
        while x is not root:  # path compression
            nxt = parent[id(x)]
            parent[id(x)] = root
            x = nxt
        return root

    while stack:
        a, b = stack.pop()
        if a is b:
            continue
        r = _leaf_equal(a, b)
        if r is not None:
            if not r:
                return False
            continue
        ra, rb = find(a), find(b)
        if ra is rb:
            continue
        parent[id(ra)] = rb
        if type(a) is Pair:
            stack.append((a.cdr, b.cdr))
            stack.append((a.car, b.car))
        else:
            if len(a) != len(b):
                return False
            stack.extend(zip(reversed(a), reversed(b)))
    return True


# --------------------------------------------------------------- equal_key

class _Token:
    """Private markers and tags inside keys: no SX value can equal one."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_TRUE = _Token("#t")
_FALSE = _Token("#f")
_FLOAT = _Token("float")
_COMPLEX = _Token("complex")
_STRING = _Token("string")
STRING_KEY_TAG = _STRING    # a string's key is (STRING_KEY_TAG, its text): tier 2 builds it inline
_BYTES = _Token("bytes")
_LIST = _Token("list(")
_TAIL = _Token(".")
_VECTOR = _Token("vector(")
_END = _Token(")")
_COMPOUND = _Token("compound")  # result of _atom_key for pairs and vectors


class _Leave:
    """Work item of equal_key: this container is finished."""

    __slots__ = ("ident", "token")

    def __init__(self, ident: int, token) -> None:
        self.ident = ident
        self.token = token


def _float_key(x: float):
    if x == x and x != 0.0:
        return x
    return x.hex()  # 'nan', '0x0.0p+0', '-0x0.0p+0': nan == nan, -0.0 != 0.0


def _atom_key(x):
    t = type(x)
    # Exact numbers key as themselves: int, Fraction and ExactComplex
    # compare by value, and are only ever compared with other exact numbers,
    # since inexact numbers and booleans below are wrapped or replaced.
    if t is int:
        return x
    if t is bool:
        return _TRUE if x else _FALSE
    if t is Pair or t is list:
        return _COMPOUND
    if t is MString:
        return (_STRING, x.s)  # a snapshot of the contents
    if t is float:
        return (_FLOAT, _float_key(x))
    if t is bytearray:
        return (_BYTES, bytes(x))
    if t is complex:
        return (_COMPLEX, _float_key(x.real), _float_key(x.imag))
    if t is Char:
        return (Char, x.c)
    # Fractions and ExactComplex hash by value; symbols, keywords, (), procedures, records
    # and the rest hash by identity, which is what eqv? means for them.
    return x


def equal_key(x, who: str = "equal-hash"):
    """A hashable key with equal_key(a) == equal_key(b) iff (equal? a b).

    Atoms give a single object. Pairs and vectors give one flat tuple: a
    prefix-free serialisation (list( e1 .. en . tail, vector( e1 .. en ))
    built with an explicit stack, so neither building nor hashing it
    recurses, whatever the length or nesting. A circular structure has no
    finite key and is an error.

    Cycle check: `active` holds the containers being serialised, counting a
    cdr chain as one container (its head); a cycle inside one chain is
    caught by Brent's check while walking it. An infinite serialisation
    would need an infinite nesting of containers, which must revisit an
    active one, so this finds every cycle without a set entry per pair."""
    k = _atom_key(x)
    if k is not _COMPOUND:
        return k
    if type(x) is Pair:
        k = _short_flat_key(x)
        if k is not None:
            return k
    out = []
    active: set[int] = set()
    todo = [x]
    while todo:
        item = todo.pop()
        t = type(item)
        if t is _Token:
            out.append(item)
            continue
        if t is _Leave:
            active.discard(item.ident)
            if item.token is not None:
                out.append(item.token)
            continue
        k = _atom_key(item)
        if k is not _COMPOUND:
            out.append(k)
            continue
        if id(item) in active:
            error(f"{who}: cannot hash a circular structure:", x)
        active.add(id(item))
        if t is list:
            out.append(_VECTOR)
            _emit_run(out, todo, item, (_Leave(id(item), _END),))
            continue
        elems = []
        p = item
        mark, n, limit = p, 0, 2
        while type(p) is Pair:
            elems.append(p.car)
            p = p.cdr
            if p is mark:
                error(f"{who}: cannot hash a circular structure:", x)
            n += 1
            if n == limit:
                mark, n, limit = p, 0, limit * 2
        out.append(_LIST)
        _emit_run(out, todo, elems, (_TAIL, p, _Leave(id(item), None)))
    return tuple(out)


def _emit_run(out: list, todo: list, elems, after: tuple) -> None:
    """Emit the keys of `elems` in order, straight to `out` while they are
    atoms; from the first pair or vector on, defer the rest of `elems` and
    then `after` to the work stack (which pops them in order)."""
    for i, e in enumerate(elems):
        k = _atom_key(e)
        if k is _COMPOUND:
            todo.extend(reversed(after))
            todo.extend(reversed(elems[i:]))
            return
        out.append(k)
    todo.extend(reversed(after))


def _short_flat_key(x):
    """The key of a short list of atoms (the usual compound key), built
    without the general machinery; None if x is not one."""
    out = [_LIST]
    for _ in range(16):
        k = _atom_key(x.car)
        if k is _COMPOUND:
            return None
        out.append(k)
        x = x.cdr
        if type(x) is not Pair:
            k = _atom_key(x)
            if k is _COMPOUND:
                return None
            out.append(_TAIL)
            out.append(k)
            return tuple(out)
    return None


# -------------------------------------------------------------- primitives

@primitive("eq?")
def eq_p(a, b):
    return eq(a, b)


@primitive("eqv?")
def eqv_p(a, b):
    return eqv(a, b)


@primitive("equal?")
def equal_p(a, b):
    return equal(a, b)
