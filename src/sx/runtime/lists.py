"""Pairs and lists (R7RS 6.4), first-order procedures only.

Higher-order list procedures (map, for-each, member/assoc with a custom
predicate, sorting, ...) are written in SX, because calling an SX procedure
from Python would break call/cc; `%member` and `%assoc` are the 2-argument
equal?-based cores the prelude wraps.

Every walk along a list that may be user-supplied runs in a loop (lists may
be 10^6 long) and uses Brent's cycle check, so a circular list is an error
rather than a hang.
"""

from __future__ import annotations

from ..errors import bad_range, error, wrong_type
from ..numsyntax import normalise_exact
from ..values import NIL, UNSPECIFIED, Char, MString, Pair, is_number, py_to_list
from .checks import check_count
from .equality import eqv, equal
from .registry import primitive


def to_pylist(who: str, lst) -> list:
    """The elements of a proper list, or an error naming `who`."""
    out = []
    p = lst
    mark, n, limit = p, 0, 2
    while type(p) is Pair:
        out.append(p.car)
        p = p.cdr
        if p is mark:
            error(f"{who}: expected a proper list, got a circular list")
        n += 1
        if n == limit:
            mark, n, limit = p, 0, limit * 2
    if p is not NIL:
        wrong_type(who, "a proper list", lst)
    return out


def _circular(who: str):
    error(f"{who}: expected a proper list, got a circular list")


# -------------------------------------------------------------- pairs

@primitive("pair?")
def pair_p(x):
    return type(x) is Pair


@primitive("cons")
def cons(a, b):
    return Pair(a, b)


@primitive("car")
def car(x):
    if type(x) is Pair:
        return x.car
    wrong_type("car", "a pair", x)


@primitive("cdr")
def cdr(x):
    if type(x) is Pair:
        return x.cdr
    wrong_type("cdr", "a pair", x)


@primitive("set-car!")
def set_car(x, v):
    if type(x) is not Pair:
        wrong_type("set-car!", "a pair", x)
    x.car = v
    return UNSPECIFIED


@primitive("set-cdr!")
def set_cdr(x, v):
    if type(x) is not Pair:
        wrong_type("set-cdr!", "a pair", x)
    x.cdr = v
    return UNSPECIFIED


def _make_cxr(name: str):
    """c[ad]+r: the letters between c and r apply right to left."""
    path = name[-2:0:-1]

    def cxr(x):
        y = x
        for op in path:
            if type(y) is not Pair:
                if y is x:
                    wrong_type(name, "a pair", x)
                error(f"{name}: incorrect list structure:", x)
            y = y.car if op == "a" else y.cdr
        return y

    cxr.__name__ = name
    return cxr


def _all_cxr_names():
    names = []
    for length in (2, 3, 4):
        for bits in range(1 << length):
            letters = "".join("ad"[(bits >> i) & 1] for i in range(length))
            names.append("c" + letters + "r")
    return names


for _name in _all_cxr_names():
    primitive(_name)(_make_cxr(_name))


# cadr and cddr are common enough to be worth a direct version.
@primitive("cadr")
def cadr(x):
    if type(x) is Pair:
        y = x.cdr
        if type(y) is Pair:
            return y.car
        error("cadr: incorrect list structure:", x)
    wrong_type("cadr", "a pair", x)


@primitive("cddr")
def cddr(x):
    if type(x) is Pair:
        y = x.cdr
        if type(y) is Pair:
            return y.cdr
        error("cddr: incorrect list structure:", x)
    wrong_type("cddr", "a pair", x)


# -------------------------------------------------------------- lists

@primitive("null?")
def null_p(x):
    return x is NIL


@primitive("list?")
def list_p(x):
    """A proper list: finite and ending in (). Tortoise and hare."""
    slow = fast = x
    while True:
        if fast is NIL:
            return True
        if type(fast) is not Pair:
            return False
        fast = fast.cdr
        if fast is NIL:
            return True
        if type(fast) is not Pair:
            return False
        fast = fast.cdr
        slow = slow.cdr
        if fast is slow:
            return False


@primitive("make-list")
def make_list(k, fill=False):
    # R7RS leaves the default fill unspecified; #f prints readably.
    check_count("make-list", k)
    lst = NIL
    for _ in range(k):
        lst = Pair(fill, lst)
    return lst


@primitive("list")
def list_(*items):
    return py_to_list(items)


@primitive("length")
def length(lst):
    n = 0
    p = lst
    mark, steps, limit = p, 0, 2
    while type(p) is Pair:
        n += 1
        p = p.cdr
        if p is mark:
            _circular("length")
        steps += 1
        if steps == limit:
            mark, steps, limit = p, 0, limit * 2
    if p is not NIL:
        wrong_type("length", "a proper list", lst)
    return n


@primitive("append")
def append(*lists):
    """All arguments but the last are copied; the last is shared and may be
    any object (then the result is improper)."""
    if not lists:
        return NIL
    result = lists[-1]
    for lst in reversed(lists[:-1]):
        result = py_to_list(to_pylist("append", lst), result)
    return result


@primitive("reverse")
def reverse(lst):
    out = NIL
    p = lst
    mark, n, limit = p, 0, 2
    new = object.__new__         # (a third of the cost of Pair(): see values.py_to_list)
    while type(p) is Pair:
        q = new(Pair)
        q.car = p.car
        q.cdr = out
        out = q
        p = p.cdr
        if p is mark:
            _circular("reverse")
        n += 1
        if n == limit:
            mark, n, limit = p, 0, limit * 2
    if p is not NIL:
        wrong_type("reverse", "a proper list", lst)
    return out


def _drop(who: str, lst, k):
    """The k-th cdr of lst; k out of range is a range error."""
    if type(k) is not int:
        wrong_type(who, "an exact nonnegative integer index", k)
    if k < 0:
        bad_range(who, k)
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            bad_range(who, k)
        p = p.cdr
    return p


@primitive("list-tail")
def list_tail(lst, k):
    return _drop("list-tail", lst, k)


@primitive("list-ref")
def list_ref(lst, k):
    p = _drop("list-ref", lst, k)
    if type(p) is not Pair:
        bad_range("list-ref", k)
    return p.car


@primitive("list-set!")
def list_set(lst, k, v):
    p = _drop("list-set!", lst, k)
    if type(p) is not Pair:
        bad_range("list-set!", k)
    p.car = v
    return UNSPECIFIED


@primitive("list-copy")
def list_copy(obj):
    """Copies the spine; an improper tail is shared; a non-list is returned
    unchanged (R7RS)."""
    if type(obj) is not Pair:
        return obj
    items = []
    p = obj
    mark, n, limit = p, 0, 2
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
        if p is mark:
            _circular("list-copy")
        n += 1
        if n == limit:
            mark, n, limit = p, 0, limit * 2
    return py_to_list(items, p)


@primitive("last-pair")
def last_pair(lst):
    if type(lst) is not Pair:
        wrong_type("last-pair", "a pair", lst)
    p = lst
    mark, n, limit = p, 0, 2
    while type(p.cdr) is Pair:
        p = p.cdr
        if p is mark:
            _circular("last-pair")
        n += 1
        if n == limit:
            mark, n, limit = p, 0, limit * 2
    return p


@primitive("iota")
def iota(count, start=0, step=1):
    """(iota 5 1 2) => (1 3 5 7 9). Each element is start + i*step, not a
    running sum, so inexact steps do not accumulate rounding error."""
    check_count("iota", count)
    if not is_number(start):
        wrong_type("iota", "a number", start)
    if not is_number(step):
        wrong_type("iota", "a number", step)
    lst = NIL
    for i in range(count - 1, -1, -1):
        lst = Pair(normalise_exact(start + i * step), lst)
    return lst


# -------------------------------------------------- membership / alists

# The membership and association searches share one loop. `same` None is
# identity, `int` exact-integer equality and `MString` equal? of strings,
# all compared inline: memq, assq, memv, assv, member and assoc on symbols
# (an interpreter's environment lookup), on fixnums or on strings make no
# call per element.

def _find(who: str, x, lst, same, alist: bool):
    """The first element of lst that is `same` as x (alist: whose car is):
    for the mem* procedures the pair holding it, for the ass* ones the
    element itself; False when there is none."""
    p = lst
    mark, n, limit = p, 0, 2
    while type(p) is Pair:
        e = p.car
        if alist:
            if type(e) is not Pair:
                error(f"{who}: expected an association list, found a non-pair element:", e)
            e = e.car
        if (e is x if same is None else
                e.__class__ is int and e == x if same is int else
                e.__class__ is MString and e.s == x.s if same is MString else same(x, e)):
            return p.car if alist else p
        p = p.cdr
        if p is mark:
            _circular(who)
        n += 1
        if n == limit:
            mark, n, limit = p, 0, limit * 2
    if p is not NIL:
        wrong_type(who, "a proper list", lst)
    return False


def _eq_fn(x):
    """eq? is identity except for ints and chars (see equality.eq)."""
    t = type(x)
    return int if t is int else eqv if t is Char else None


def _eqv_fn(x):
    """eqv? is identity but on numbers and chars; an exact integer equals
    only an int (rationals are normalised, and a bool's class is bool)."""
    t = type(x)
    return int if t is int else eqv if is_number(x) or t is Char else None


def _equal_fn(x):
    """equal? is eqv? but on pairs, vectors, strings and bytevectors."""
    t = type(x)
    return (MString if t is MString else equal if t is Pair or t is list or t is bytearray
            else _eqv_fn(x))


@primitive("memq")
def memq(x, lst):
    return _find("memq", x, lst, _eq_fn(x), False)


@primitive("memv")
def memv(x, lst):
    return _find("memv", x, lst, _eqv_fn(x), False)


@primitive("%member")
def member2(x, lst):
    return _find("member", x, lst, _equal_fn(x), False)


@primitive("assq")
def assq(x, alist):
    return _find("assq", x, alist, _eq_fn(x), True)


@primitive("assv")
def assv(x, alist):
    return _find("assv", x, alist, _eqv_fn(x), True)


@primitive("%assoc")
def assoc2(x, alist):
    return _find("assoc", x, alist, _equal_fn(x), True)
