"""Unit tests for the data-type primitives: equality, lists, symbols, chars,
strings, vectors, bytevectors, dicts and records."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

import sx.runtime  # noqa: F401  (registers every primitive)
from sx.errors import SchemeError
from sx.runtime.equality import eq, equal, equal_key, eqv
from sx.runtime.registry import PRIMITIVES
from sx.values import (MAX_ARGS, NIL, UNSPECIFIED, Char, Dict, Keyword, MString, Pair, Primitive,
                       Record, RecordType, Symbol, intern, keyword, list_to_py, make_char,
                       py_to_list)


def call(name, *args):
    return PRIMITIVES[name].fn(*args)


def L(*items):
    return py_to_list(list(items))


def S(s):
    return MString(s)


def C(c):
    return make_char(c)


def sym(name):
    return intern(name)


def raises(name, *args, msg=None, irritant=...):
    """Call primitive `name` expecting a SchemeError; check its message
    prefix and (optionally) its first irritant."""
    with pytest.raises(SchemeError) as info:
        call(name, *args)
    payload = info.value.payload
    if msg is not None:
        assert payload.message.startswith(msg), payload.message
    if irritant is not ...:
        assert payload.irritants and payload.irritants[0] is irritant or \
            payload.irritants[0] == irritant, payload.irritants
    return payload


def pylist(lst):
    return list_to_py(lst)


def strs(lst):
    return [x.s for x in list_to_py(lst)]


def circular(*items):
    lst = L(*items)
    p = lst
    while p.cdr is not NIL:
        p = p.cdr
    p.cdr = lst
    return lst


# ====================================================================== eq?

class TestEq:
    def test_identity(self):
        p = Pair(1, 2)
        assert call("eq?", p, p) is True
        assert call("eq?", Pair(1, 2), Pair(1, 2)) is False

    def test_small_and_big_ints(self):
        assert call("eq?", 5, 5) is True
        assert call("eq?", 10**30, int("1" + "0" * 30)) is True

    def test_chars_and_empty_list(self):
        assert call("eq?", C("a"), C("a")) is True
        assert call("eq?", Char("a"), Char("a")) is True  # even uninterned
        assert call("eq?", NIL, NIL) is True
        assert call("eq?", sym("x"), sym("x")) is True

    def test_type_traps(self):
        assert call("eq?", 1, True) is False
        assert call("eq?", True, 1) is False
        assert call("eq?", 1, 1.0) is False
        assert call("eq?", 0, False) is False
        assert eq(True, True) and eq(False, False)

    def test_strings_by_identity(self):
        s = S("a")
        assert call("eq?", s, s) is True
        assert call("eq?", S("a"), S("a")) is False


# ===================================================================== eqv?

class TestEqv:
    def test_numbers_exactness(self):
        assert eqv(1, 1) and eqv(10**40, 10**40)
        assert not eqv(1, 1.0)
        assert not eqv(1.0, 1)
        assert not eqv(1, True) and not eqv(True, 1) and not eqv(0, False)
        assert eqv(Fraction(1, 3), Fraction(1, 3))
        assert not eqv(Fraction(1, 2), 0.5)
        assert eqv(2.5, 2.5)

    def test_unnormalised_fraction_still_equals_int(self):
        assert eqv(Fraction(3, 1), 3)

    def test_nan_and_signed_zero(self):
        nan = float("nan")
        assert eqv(nan, nan)
        assert eqv(float("nan"), float("nan"))
        assert eqv(nan, -nan)
        assert not eqv(0.0, -0.0)
        assert eqv(-0.0, -0.0) and eqv(0.0, 0.0)
        assert not eqv(nan, 1.0)
        assert eqv(math.inf, math.inf) and not eqv(math.inf, -math.inf)

    def test_complex(self):
        assert eqv(complex(1, 2), complex(1, 2))
        assert not eqv(complex(0.0, 1), complex(-0.0, 1))
        assert not eqv(complex(1, 0), 1.0)

    def test_other_types(self):
        assert eqv(C("x"), C("x")) and not eqv(C("x"), C("y"))
        assert not eqv(S(""), S(""))
        assert eqv(NIL, NIL)
        assert not eqv([], [])
        assert not eqv(bytearray(), bytearray())
        assert call("eqv?", sym("a"), sym("a")) is True
        assert call("eqv?", keyword("k"), keyword("k")) is True


# =================================================================== equal?

class TestEqual:
    def test_structures(self):
        assert equal(L(1, L(2, 3), [4, S("five")]), L(1, L(2, 3), [4, S("five")]))
        assert not equal(L(1, 2), L(1, 2, 3))
        assert not equal(L(1, 2, 3), L(1, 2))
        assert equal(Pair(1, 2), Pair(1, 2))
        assert not equal(Pair(1, 2), Pair(1, 3))
        assert not equal(L(1, 2), [1, 2])
        assert equal([L(1), [2]], [L(1), [2]])
        assert not equal([1, 2], [1, 2, 3])
        assert call("equal?", S("abc"), S("abc")) is True
        assert call("equal?", S("abc"), S("abd")) is False
        assert equal(bytearray(b"\x01\x02"), bytearray(b"\x01\x02"))
        assert not equal(bytearray(b"\x01"), bytearray(b"\x02"))

    def test_numbers_keep_eqv_semantics(self):
        assert not equal(L(1), L(1.0))
        assert not equal(L(1), L(True))
        assert equal(L(float("nan")), L(float("nan")))
        assert not equal([0.0], [-0.0])

    def test_improper_tails(self):
        assert equal(Pair(1, Pair(2, [3])), Pair(1, Pair(2, [3])))
        assert not equal(Pair(1, Pair(2, [3])), Pair(1, Pair(2, [4])))
        assert not equal(Pair(1, 2), L(1, 2))

    def test_long_lists_no_recursion(self):
        n = 10**6
        a = py_to_list(list(range(n)))
        b = py_to_list(list(range(n)))
        assert equal(a, b)
        c = py_to_list(list(range(n - 1)) + [-1])
        assert not equal(a, c)

    def test_long_list_of_lists(self):
        a = py_to_list([L(i, S(str(i))) for i in range(200_000)])
        b = py_to_list([L(i, S(str(i))) for i in range(200_000)])
        assert equal(a, b)

    def test_deep_car_nesting(self):
        def nest(depth, leaf):
            x = leaf
            for _ in range(depth):
                x = Pair(x, NIL)
            return x
        assert equal(nest(100_000, 1), nest(100_000, 1))
        assert not equal(nest(100_000, 1), nest(100_000, 2))

    def test_deep_vector_nesting(self):
        def nest(depth, leaf):
            x = leaf
            for _ in range(depth):
                x = [x]
            return x
        assert equal(nest(50_000, 1), nest(50_000, 1))
        assert not equal(nest(50_000, 1), nest(50_000, 2))

    def test_circular_cdr(self):
        a = circular(1, 2)
        b = circular(1, 2)
        assert equal(a, b)
        # The same infinite sequence unrolled differently is still equal?.
        assert equal(circular(1, 1), circular(1))
        assert not equal(circular(1, 2), circular(1, 3))
        assert not equal(circular(1, 2), L(1, 2, 1, 2))
        for m in range(1, 8):
            for n in range(1, 8):
                assert equal(circular(*[1] * m), circular(*[1] * n))
                # (1 ... 1 2) repeated: equal only with the same period
                assert equal(circular(*[1] * (m - 1), 2),
                             circular(*[1] * (n - 1), 2)) == (m == n)

    def test_cycle_after_long_prefix(self):
        a = py_to_list(list(range(1000)), circular(S("x"), L(1)))
        b = py_to_list(list(range(1000)), circular(S("x"), L(1), S("x"), L(1)))
        assert equal(a, b)
        c = py_to_list(list(range(1000)), circular(S("x"), L(2)))
        assert not equal(a, c)

    def test_circular_car_and_vector(self):
        a = Pair(None, NIL)
        a.car = a
        b = Pair(None, NIL)
        b.car = b
        assert equal(a, b)
        v = [1, None]
        v[1] = v
        w = [1, None]
        w[1] = w
        assert equal(v, w)
        u = [2, None]
        u[1] = u
        assert not equal(v, u)

    def test_shared_dag_is_fast(self):
        # 2^60 paths through a shared structure: needs the union-find mode.
        def dag(depth):
            x = L(1)
            for _ in range(depth):
                x = L(x, x)
            return x
        assert equal(dag(60), dag(60))
        assert not equal(dag(60), Pair(dag(59), L(dag(58))))


# ================================================================ equal_key

class TestEqualKey:
    def test_no_collisions_between_types(self):
        keys = [equal_key(x) for x in
                (1, 1.0, True, Fraction(1, 2), 0.5, 0, False, 0.0, -0.0,
                 S("1"), C("1"), sym("1"), keyword("1"), NIL, L(1), [1],
                 bytearray(b"\x01"), complex(1, 0))]
        for i, a in enumerate(keys):
            for j, b in enumerate(keys):
                if i != j:
                    assert a != b, (i, j)
        assert len(set(keys)) == len(keys)

    def test_nan_and_zero(self):
        assert equal_key(float("nan")) == equal_key(float("nan"))
        assert hash(equal_key(float("nan"))) == hash(equal_key(float("nan")))
        assert equal_key(0.0) != equal_key(-0.0)

    def test_content_keys(self):
        assert equal_key(S("ab")) == equal_key(S("ab"))
        assert equal_key(L(1, L(2), [3, S("x")])) == equal_key(L(1, L(2), [3, S("x")]))
        assert equal_key(bytearray(b"ab")) == equal_key(bytearray(b"ab"))
        assert equal_key(Pair(1, 2)) != equal_key(L(1, 2))
        assert equal_key(L(1, 2)) != equal_key([1, 2])
        assert equal_key(L(L(1), 2)) != equal_key(L(1, L(2)))
        assert equal_key(L(L(1, 2))) != equal_key(L(L(1), 2))
        assert equal_key([[1], 2]) != equal_key([[1, 2]])
        assert equal_key(Pair(1, [2])) != equal_key(L(1, 2))
        assert equal_key(Pair(1, Pair(2, 3))) != equal_key(Pair(Pair(1, 2), 3))
        assert equal_key(L(1, True)) != equal_key(L(1, 1))

    def test_identity_keys(self):
        r1 = Record(RecordType("r", []), [])
        r2 = Record(r1.rtype, [])
        assert equal_key(r1) == equal_key(r1)
        assert equal_key(r1) != equal_key(r2)
        assert equal_key(Symbol("u")) != equal_key(Symbol("u"))

    def test_long_and_deep(self):
        n = 10**6
        a = equal_key(py_to_list(list(range(n))))
        b = equal_key(py_to_list(list(range(n))))
        assert a == b and hash(a) == hash(b)
        x = 1
        for _ in range(100_000):
            x = Pair(x, NIL)
        hash(equal_key(x))  # flat: hashing does not recurse

    def test_agrees_with_equal(self):
        vals = [1, 1.0, True, S("a"), L(1, 2), [1, 2], L(L(1)), Pair(1, 2), NIL,
                L(S("a")), [S("a")], float("nan"), -0.0, 0.0, C("a"), Fraction(2, 3)]
        copies = [1, 1.0, True, S("a"), L(1, 2), [1, 2], L(L(1)), Pair(1, 2), NIL,
                  L(S("a")), [S("a")], float("nan"), -0.0, 0.0, C("a"), Fraction(2, 3)]
        for a in vals:
            for b in copies:
                assert (equal_key(a) == equal_key(b)) == equal(a, b), (a, b)

    def test_circular_is_an_error(self):
        with pytest.raises(SchemeError):
            equal_key(circular(1, 2))
        v = [1, None]
        v[1] = v
        with pytest.raises(SchemeError):
            equal_key(v)

    def test_shared_but_acyclic_is_fine(self):
        shared = L(1, 2)
        assert equal_key(L(shared, shared)) == equal_key(L(L(1, 2), L(1, 2)))


# ==================================================================== lists

class TestPairs:
    def test_basic(self):
        p = call("cons", 1, 2)
        assert call("pair?", p) is True and call("pair?", NIL) is False
        assert call("car", p) == 1 and call("cdr", p) == 2
        assert call("set-car!", p, 3) is UNSPECIFIED and p.car == 3
        call("set-cdr!", p, 4)
        assert p.cdr == 4

    def test_errors(self):
        raises("car", NIL, msg="car: expected a pair, got", irritant=NIL)
        raises("cdr", 5, msg="cdr: expected a pair, got", irritant=5)
        raises("set-car!", NIL, 1, msg="set-car!: expected a pair")
        raises("set-cdr!", False, 1, msg="set-cdr!: expected a pair")

    def test_cxr(self):
        lst = L(L(1, 2), 3, L(4, L(5)), 6)
        assert call("caar", lst) == 1
        assert call("cadr", lst) == 3
        assert pylist(call("cdar", lst)) == [2]
        assert call("caddr", lst) is lst.cdr.cdr.car
        assert call("cadddr", lst) == 6
        assert pylist(call("cdddr", lst)) == [6]
        assert call("cddddr", lst) is NIL
        assert call("caaddr", lst) == 4
        assert call("cdaddr", lst).car.car == 5
        for n in range(2, 5):
            names = [k for k in PRIMITIVES if k.startswith("c") and k.endswith("r")
                     and len(k) == n + 2 and set(k[1:-1]) <= {"a", "d"}]
            assert len(names) == 2 ** n

    def test_cxr_errors(self):
        raises("cadr", L(1), msg="cadr: incorrect list structure:")
        raises("cadr", 5, msg="cadr: expected a pair, got", irritant=5)
        raises("caddr", L(1, 2), msg="caddr: incorrect list structure:")
        raises("cddr", NIL, msg="cddr: expected a pair")


class TestLists:
    def test_null_and_list_p(self):
        assert call("null?", NIL) is True and call("null?", L(1)) is False
        assert call("null?", False) is False
        assert call("list?", NIL) is True
        assert call("list?", L(1, 2, 3)) is True
        assert call("list?", Pair(1, 2)) is False
        assert call("list?", L(1, 2, 3).cdr) is True
        assert call("list?", circular(1, 2, 3)) is False
        assert call("list?", circular(1)) is False
        assert call("list?", 5) is False

    def test_make_list_and_list(self):
        assert pylist(call("make-list", 3, S("x").s)) == ["x"] * 3
        assert pylist(call("make-list", 2)) == [False, False]
        assert call("make-list", 0) is NIL
        raises("make-list", -1, msg="make-list: negative count")
        raises("make-list", 1.0, msg="make-list: expected an exact nonnegative integer")
        raises("make-list", True, msg="make-list: expected an exact nonnegative integer")
        assert pylist(call("list", 1, 2, 3)) == [1, 2, 3]
        assert call("list") is NIL

    def test_length(self):
        assert call("length", NIL) == 0
        assert call("length", L(1, 2, 3)) == 3
        assert call("length", py_to_list(list(range(10**6)))) == 10**6
        raises("length", Pair(1, 2), msg="length: expected a proper list")
        raises("length", circular(1, 2), msg="length: expected a proper list, got a circular")
        raises("length", 5, msg="length: expected a proper list")

    def test_append(self):
        assert call("append") is NIL
        x = L(1)
        assert call("append", x) is x
        assert call("append", NIL, 5) == 5
        tail = L(3)
        r = call("append", L(1), NIL, L(2), tail)
        assert pylist(r) == [1, 2, 3]
        assert r.cdr.cdr is tail  # last argument shared
        a = L(1, 2)
        r = call("append", a, L(3))
        assert r is not a and pylist(a) == [1, 2]  # others copied
        r = call("append", L(1), 2)
        assert r.car == 1 and r.cdr == 2
        raises("append", Pair(1, 2), L(3), msg="append: expected a proper list")
        raises("append", 1, L(3), msg="append: expected a proper list")

    def test_reverse(self):
        assert pylist(call("reverse", L(1, 2, 3))) == [3, 2, 1]
        assert call("reverse", NIL) is NIL
        raises("reverse", Pair(1, 2), msg="reverse: expected a proper list")
        raises("reverse", circular(1), msg="reverse: expected a proper list")

    def test_list_tail_ref_set(self):
        lst = L(1, 2, 3)
        assert call("list-tail", lst, 0) is lst
        assert call("list-tail", lst, 3) is NIL
        assert call("list-tail", Pair(1, 2), 1) == 2
        raises("list-tail", lst, 4, msg="list-tail: index out of range:", irritant=4)
        assert call("list-ref", lst, 2) == 3
        raises("list-ref", lst, 3, msg="list-ref: index out of range:", irritant=3)
        raises("list-ref", lst, -1, msg="list-ref: index out of range:", irritant=-1)
        raises("list-ref", lst, True, msg="list-ref: expected an exact")
        raises("list-ref", lst, 1.0, msg="list-ref: expected an exact")
        call("list-set!", lst, 1, "x")
        assert pylist(lst) == [1, "x", 3]
        raises("list-set!", lst, 5, 0, msg="list-set!: index out of range")

    def test_list_copy(self):
        lst = L(1, 2)
        cp = call("list-copy", lst)
        assert cp is not lst and pylist(cp) == [1, 2]
        imp = Pair(1, Pair(2, 3))
        cp = call("list-copy", imp)
        assert cp.car == 1 and cp.cdr.cdr == 3 and cp is not imp
        assert call("list-copy", 5) == 5
        assert call("list-copy", NIL) is NIL
        raises("list-copy", circular(1, 2), msg="list-copy: expected a proper list")

    def test_last_pair_and_iota(self):
        lst = L(1, 2, 3)
        assert call("last-pair", lst) is lst.cdr.cdr
        assert call("last-pair", Pair(1, 2)).cdr == 2
        raises("last-pair", NIL, msg="last-pair: expected a pair")
        raises("last-pair", circular(1, 2), msg="last-pair: expected a proper list")
        assert pylist(call("iota", 5)) == [0, 1, 2, 3, 4]
        assert pylist(call("iota", 3, 1)) == [1, 2, 3]
        assert pylist(call("iota", 3, 0, 2)) == [0, 2, 4]
        assert pylist(call("iota", 3, 0, Fraction(1, 2))) == [0, Fraction(1, 2), 1]
        assert type(pylist(call("iota", 3, 0, Fraction(1, 2)))[2]) is int
        assert pylist(call("iota", 3, 0.0, 0.1)) == [0.0, 0.1, 0.2]
        assert call("iota", 0) is NIL
        raises("iota", -1, msg="iota: negative count")
        raises("iota", 2, True, msg="iota: expected a number")
        raises("iota", 2, 0, S("x"), msg="iota: expected a number")

    def test_memq_memv_member(self):
        a = S("a")
        lst = L(1, a, sym("b"), 2.5, 10**30, C("c"))
        assert call("memq", sym("b"), lst) is lst.cdr.cdr
        assert call("memq", S("a"), lst) is False
        assert call("memq", a, lst) is lst.cdr
        assert call("memq", 10**30, lst) is lst.cdr.cdr.cdr.cdr  # eq? on ints by value
        assert call("memq", C("c"), lst).car is C("c")
        assert call("memq", True, L(1)) is False
        assert call("memv", 2.5, lst) is lst.cdr.cdr.cdr
        assert call("memv", 1.0, lst) is False
        assert call("memv", True, L(1, True)).car is True
        assert call("%member", S("a"), lst) is lst.cdr
        assert call("%member", L(1), L(0, L(1))).car.car == 1
        assert call("%member", 9, NIL) is False
        raises("memq", 9, Pair(1, 2), msg="memq: expected a proper list")
        raises("memv", 9, circular(1, 2), msg="memv: expected a proper list, got a circular")
        raises("%member", 9, 5, msg="member: expected a proper list")
        assert call("memq", 1, circular(1, 2)).car == 1  # found before noticing the cycle

    def test_assq_assv_assoc(self):
        k = S("k")
        al = L(Pair(sym("a"), 1), Pair(2.0, 2), Pair(k, 3), Pair(L(1), 4))
        assert call("assq", sym("a"), al).cdr == 1
        assert call("assq", sym("z"), al) is False
        assert call("assv", 2.0, al).cdr == 2
        assert call("assv", 2, al) is False
        assert call("assq", k, al).cdr == 3
        assert call("assv", S("k"), al) is False
        assert call("%assoc", S("k"), al).cdr == 3
        assert call("%assoc", L(1), al).cdr == 4
        raises("assq", 1, L(5), msg="assq: expected an association list", irritant=5)
        raises("assv", 1, Pair(Pair(2, 3), 4), msg="assv: expected a proper list")
        raises("%assoc", 1, circular(Pair(2, 3)), msg="assoc: expected a proper list")


# ================================================================== symbols

class TestSymbols:
    def test_predicates(self):
        assert call("symbol?", sym("a")) is True
        assert call("symbol?", S("a")) is False
        assert call("symbol?", keyword("a")) is False
        assert call("symbol=?", sym("a"), sym("a")) is True
        assert call("symbol=?", sym("a"), sym("a"), sym("a")) is True
        assert call("symbol=?", sym("a"), sym("a"), sym("b")) is False
        assert call("symbol=?", sym("a"), sym("b"), sym("b")) is False
        assert PRIMITIVES["symbol=?"].min_args == 2
        raises("symbol=?", sym("a"), S("a"), msg="symbol=?: expected a symbol")
        raises("symbol=?", sym("a"), sym("b"), 5, msg="symbol=?: expected a symbol")

    def test_conversion(self):
        s = call("symbol->string", sym("abc"))
        assert type(s) is MString and s.s == "abc"
        s.s = "zzz"  # a fresh string: the symbol keeps its name
        assert sym("abc").name == "abc"
        assert call("string->symbol", S("abc")) is sym("abc")
        assert call("string->symbol", S("with space")).name == "with space"
        raises("symbol->string", S("a"), msg="symbol->string: expected a symbol")
        raises("string->symbol", sym("a"), msg="string->symbol: expected a string")

    def test_uninterned(self):
        u = call("string->uninterned-symbol", S("abc"))
        assert type(u) is Symbol and u.name == "abc" and u is not sym("abc")
        g1, g2 = call("gensym"), call("gensym")
        assert g1 is not g2 and g1.name != g2.name
        assert call("gensym", S("tmp")).name.startswith("tmp")
        assert call("gensym", sym("v")).name.startswith("v")
        assert call("gensym", S("x")) is not intern(call("gensym", S("x")).name)
        raises("gensym", 5, msg="gensym: expected a string or a symbol")

    def test_keywords(self):
        k = call("string->keyword", S("name"))
        assert k is keyword("name") and type(k) is Keyword
        assert call("keyword?", k) is True
        assert call("keyword?", sym("name")) is False
        assert call("keyword->string", k).s == "name"
        raises("keyword->string", sym("x"), msg="keyword->string: expected a keyword")
        raises("string->keyword", sym("x"), msg="string->keyword: expected a string")


# ==================================================================== chars

class TestChars:
    def test_conversion(self):
        assert call("char?", C("a")) is True and call("char?", S("a")) is False
        assert call("char->integer", C("A")) == 65
        assert call("integer->char", 955) is C("λ")
        assert call("integer->char", 0x10FFFF).c == "\U0010FFFF"
        raises("integer->char", 0xD800, msg="integer->char: not a Unicode scalar value")
        raises("integer->char", 0xDFFF, msg="integer->char: not a Unicode scalar value")
        raises("integer->char", 0x110000, msg="integer->char: not a Unicode scalar value")
        raises("integer->char", -1, msg="integer->char:")
        raises("integer->char", 65.0, msg="integer->char: expected an exact integer")
        raises("integer->char", True, msg="integer->char: expected an exact integer")
        raises("char->integer", 65, msg="char->integer: expected a character")

    def test_comparisons(self):
        a, b, c = C("a"), C("b"), C("c")
        assert call("char=?", a, a) is True
        assert call("char=?", a, a, b) is False
        assert call("char<?", a, b, c) is True
        assert call("char<?", a, c, b) is False
        assert call("char>?", c, b, a) is True
        assert call("char<=?", a, a, b) is True
        assert call("char>=?", b, b, a) is True
        assert call("char>=?", a, b) is False
        assert call("char-ci=?", C("A"), a) is True
        assert call("char-ci<?", C("a"), C("B")) is True
        assert call("char-ci>?", C("Z"), C("y")) is True
        assert call("char-ci<=?", C("a"), C("A")) is True
        assert call("char-ci>=?", C("a"), C("B")) is False
        assert call("char-ci=?", C("ς"), C("Σ")) is True
        assert PRIMITIVES["char=?"].min_args == 2
        raises("char<?", a, 1, msg="char<?: expected a character")
        raises("char<?", b, a, 1, msg="char<?: expected a character")

    def test_classes(self):
        assert call("char-alphabetic?", C("a")) is True
        assert call("char-alphabetic?", C("λ")) is True
        assert call("char-alphabetic?", C("Ⅷ")) is True  # Nl is Alphabetic
        assert call("char-alphabetic?", C("1")) is False
        assert call("char-numeric?", C("7")) is True
        assert call("char-numeric?", C("\u0664")) is True
        assert call("char-numeric?", C("½")) is False
        assert call("char-numeric?", C("a")) is False
        assert call("char-whitespace?", C(" ")) is True
        assert call("char-whitespace?", C("\u00a0")) is True
        assert call("char-whitespace?", C("\u2028")) is True
        assert call("char-whitespace?", C("\x1c")) is False
        assert call("char-whitespace?", C("a")) is False
        assert call("char-upper-case?", C("A")) is True
        assert call("char-upper-case?", C("a")) is False
        assert call("char-lower-case?", C("a")) is True
        assert call("char-lower-case?", C("1")) is False
        raises("char-alphabetic?", S("a"), msg="char-alphabetic?: expected a character")

    def test_digit_value(self):
        assert call("digit-value", C("3")) == 3
        assert call("digit-value", C("\u0664")) == 4
        assert call("digit-value", C("\u0AE6")) == 0
        assert call("digit-value", C("a")) is False
        assert call("digit-value", C("½")) is False
        raises("digit-value", 3, msg="digit-value: expected a character")

    def test_case(self):
        assert call("char-upcase", C("a")) is C("A")
        assert call("char-downcase", C("A")) is C("a")
        assert call("char-upcase", C("ß")) is C("ß")  # "SS" is not one char
        assert call("char-downcase", C("ẞ")) is C("ß")
        assert call("char-foldcase", C("ẞ")) is C("ß")
        assert call("char-foldcase", C("Σ")) is C("σ")
        assert call("char-foldcase", C("ς")) is C("σ")
        assert call("char-upcase", C("1")) is C("1")
        # Unicode simple mapping: dotted capital I lowercases to plain i.
        assert call("char-downcase", C("İ")) is C("i")
        raises("char-upcase", S("a"), msg="char-upcase: expected a character")


# ================================================================== strings

class TestStrings:
    def test_construct_and_access(self):
        assert call("string?", S("")) is True and call("string?", C("a")) is False
        assert call("make-string", 3).s == "   "
        assert call("make-string", 2, C("x")).s == "xx"
        assert call("make-string", 0).s == ""
        raises("make-string", -1, msg="make-string: negative count")
        raises("make-string", 2, S("x"), msg="make-string: expected a character")
        assert call("string", C("a"), C("b")).s == "ab"
        assert call("string").s == ""
        raises("string", C("a"), 1, msg="string: expected a character")
        assert call("string-length", S("λx")) == 2
        raises("string-length", sym("a"), msg="string-length: expected a string")
        assert call("string-ref", S("abc"), 1) is C("b")
        raises("string-ref", S("abc"), 3, msg="string-ref: index out of range:", irritant=3)
        raises("string-ref", S("abc"), -1, msg="string-ref: index out of range:")
        raises("string-ref", S("abc"), True, msg="string-ref: expected an exact integer")
        raises("string-ref", S("abc"), 1.0, msg="string-ref: expected an exact integer")

    def test_string_set(self):
        s = S("abc")
        assert call("string-set!", s, 1, C("X")) is UNSPECIFIED
        assert s.s == "aXc"
        raises("string-set!", s, 3, C("x"), msg="string-set!: index out of range")
        raises("string-set!", s, 0, S("x"), msg="string-set!: expected a character")

    def test_comparisons(self):
        assert call("string=?", S("a"), S("a"), S("a")) is True
        assert call("string=?", S("a"), S("a"), S("b")) is False
        assert call("string=?", S("a")) is True
        assert call("string<?", S("a"), S("ab"), S("b")) is True
        assert call("string<?", S("b"), S("a")) is False
        assert call("string>?", S("b"), S("a")) is True
        assert call("string<=?", S("a"), S("a")) is True
        assert call("string>=?", S("a"), S("b")) is False
        assert call("string-ci=?", S("Straße"), S("STRASSE")) is True
        assert call("string-ci<?", S("apple"), S("BANANA")) is True
        assert call("string-ci>?", S("b"), S("A")) is True
        assert call("string-ci<=?", S("A"), S("a")) is True
        assert call("string-ci>=?", S("a"), S("B")) is False
        raises("string=?", S("a"), C("a"), msg="string=?: expected a string")
        raises("string<?", S("b"), S("a"), 5, msg="string<?: expected a string")

    def test_case(self):
        assert call("string-upcase", S("straße")).s == "STRASSE"
        assert call("string-downcase", S("ΧΑΟΣ")).s == "χαος"
        assert call("string-foldcase", S("Straße")).s == "strasse"
        s = S("abc")
        assert call("string-upcase", s) is not s
        raises("string-upcase", C("a"), msg="string-upcase: expected a string")

    def test_substring_append(self):
        assert call("substring", S("hello"), 1, 3).s == "el"
        assert call("substring", S("hello"), 2).s == "llo"
        assert call("substring", S("hello"), 5, 5).s == ""
        raises("substring", S("hello"), 3, 2, msg="substring: end index out of range:",
               irritant=2)
        raises("substring", S("hello"), 6, msg="substring: start index out of range:")
        raises("substring", S("hello"), 0, 6, msg="substring: end index out of range:")
        raises("substring", S("hello"), -1, 2, msg="substring: start index out of range")
        raises("substring", S("hello"), 0.0, 2, msg="substring: expected an exact integer")
        assert call("string-append").s == ""
        a = S("ab")
        r = call("string-append", a)
        assert r.s == "ab" and r is not a
        assert call("string-append", S("a"), S(""), S("bc")).s == "abc"
        raises("string-append", S("a"), C("b"), msg="string-append: expected a string")

    def test_list_conversions(self):
        assert pylist(call("string->list", S("abc"))) == [C("a"), C("b"), C("c")]
        assert pylist(call("string->list", S("abc"), 1)) == [C("b"), C("c")]
        assert pylist(call("string->list", S("abc"), 1, 2)) == [C("b")]
        raises("string->list", S("abc"), 2, 1, msg="string->list: end index out of range")
        assert call("list->string", L(C("a"), C("b"))).s == "ab"
        assert call("list->string", NIL).s == ""
        raises("list->string", L(C("a"), 1), msg="list->string: expected a character")
        raises("list->string", Pair(C("a"), C("b")), msg="list->string: expected a proper list")

    def test_copy(self):
        s = S("hello")
        c = call("string-copy", s)
        assert c.s == "hello" and c is not s
        assert call("string-copy", s, 1).s == "ello"
        assert call("string-copy", s, 1, 2).s == "e"
        raises("string-copy", s, 1, 9, msg="string-copy: end index out of range")

    def test_copy_into(self):
        to = S("12345")
        assert call("string-copy!", to, 1, S("ab")) is UNSPECIFIED
        assert to.s == "1ab45"
        call("string-copy!", to, 0, S("xyz"), 1, 2)
        assert to.s == "yab45"
        # overlapping copies within one string, both directions
        s = S("abcdef")
        call("string-copy!", s, 2, s, 0, 4)
        assert s.s == "ababcd"
        s = S("abcdef")
        call("string-copy!", s, 0, s, 2)
        assert s.s == "cdefef"
        raises("string-copy!", S("ab"), 1, S("xyz"), msg="string-copy!: destination index")
        raises("string-copy!", S("ab"), -1, S("x"), msg="string-copy!: destination index")
        raises("string-copy!", S("ab"), 0, S("xyz"), 2, 1,
               msg="string-copy!: end index out of range")
        raises("string-copy!", S("ab"), True, S("x"), msg="string-copy!: expected an exact")

    def test_fill(self):
        s = S("abcde")
        call("string-fill!", s, C("x"))
        assert s.s == "xxxxx"
        call("string-fill!", s, C("y"), 1, 3)
        assert s.s == "xyyxx"
        call("string-fill!", s, C("z"), 4)
        assert s.s == "xyyxz"
        raises("string-fill!", s, C("z"), 4, 9, msg="string-fill!: end index out of range")
        raises("string-fill!", s, S("z"), msg="string-fill!: expected a character")

    def test_vector_conversions(self):
        assert call("string->vector", S("abc")) == [C("a"), C("b"), C("c")]
        assert call("string->vector", S("abc"), 1, 2) == [C("b")]
        assert call("vector->string", [C("a"), C("b")]).s == "ab"
        assert call("vector->string", [C("a"), C("b"), C("c")], 1).s == "bc"
        raises("vector->string", [C("a"), 1], msg="vector->string: expected a character")
        raises("vector->string", L(C("a")), msg="vector->string: expected a vector")
        raises("vector->string", [C("a")], 0, 2, msg="vector->string: end index out of range")
        raises("string->vector", S("a"), 2, msg="string->vector: start index out of range")

    def test_extras(self):
        assert call("string-join", L(S("a"), S("b"), S("c")), S(", ")).s == "a, b, c"
        assert call("string-join", L(S("a"), S("b"))).s == "a b"
        assert call("string-join", NIL).s == ""
        raises("string-join", L(S("a"), 1), msg="string-join: expected a string")
        assert strs(call("string-split", S("a,,b"), C(","))) == ["a", "", "b"]
        assert strs(call("string-split", S("a::b::c"), S("::"))) == ["a", "b", "c"]
        assert strs(call("string-split", S(""), C(","))) == [""]
        raises("string-split", S("abc"), S(""), msg="string-split: empty separator")
        raises("string-split", S("abc"), 1, msg="string-split: expected a character or a string")
        assert call("string-index", S("hello"), C("l")) == 2
        assert call("string-index", S("hello"), C("z")) is False
        assert call("string-contains", S("hello"), S("llo")) == 2
        assert call("string-contains", S("hello"), S("")) == 0
        assert call("string-contains", S("hello"), S("xyz")) is False
        assert call("string-prefix?", S("he"), S("hello")) is True
        assert call("string-prefix?", S("lo"), S("hello")) is False
        assert call("string-suffix?", S("lo"), S("hello")) is True
        assert call("string-suffix?", S("he"), S("hello")) is False
        assert call("string-trim", S(" \t\n hi there \u3000")).s == "hi there"
        assert call("string-trim", S("")).s == ""
        raises("string-trim", C(" "), msg="string-trim: expected a string")


# ================================================================== vectors

class TestVectors:
    def test_basic(self):
        assert call("vector?", [1]) is True and call("vector?", L(1)) is False
        assert call("vector?", bytearray()) is False
        assert call("make-vector", 2) == [False, False]
        assert call("make-vector", 3, 7) == [7, 7, 7]
        raises("make-vector", -2, msg="make-vector: negative count")
        raises("make-vector", 2.0, msg="make-vector: expected an exact nonnegative integer")
        assert call("vector", 1, 2) == [1, 2]
        assert call("vector") == []
        assert call("vector-length", [1, 2, 3]) == 3
        raises("vector-length", L(1), msg="vector-length: expected a vector")

    def test_ref_set(self):
        v = [1, 2, 3]
        assert call("vector-ref", v, 2) == 3
        raises("vector-ref", v, 3, msg="vector-ref: index out of range:", irritant=3)
        raises("vector-ref", v, -1, msg="vector-ref: index out of range:", irritant=-1)
        raises("vector-ref", v, True, msg="vector-ref: expected an exact integer", irritant=True)
        raises("vector-ref", v, 1.0, msg="vector-ref: expected an exact integer")
        raises("vector-ref", L(1), 0, msg="vector-ref: expected a vector")
        assert call("vector-set!", v, 0, "x") is UNSPECIFIED
        assert v == ["x", 2, 3]
        raises("vector-set!", v, 3, 0, msg="vector-set!: index out of range")
        raises("vector-set!", v, False, 0, msg="vector-set!: expected an exact integer")

    def test_conversions_and_copy(self):
        v = [1, 2, 3, 4]
        assert pylist(call("vector->list", v)) == [1, 2, 3, 4]
        assert pylist(call("vector->list", v, 1)) == [2, 3, 4]
        assert pylist(call("vector->list", v, 1, 3)) == [2, 3]
        raises("vector->list", v, 3, 2, msg="vector->list: end index out of range")
        assert call("list->vector", L(1, 2)) == [1, 2]
        raises("list->vector", Pair(1, 2), msg="list->vector: expected a proper list")
        c = call("vector-copy", v)
        assert c == v and c is not v
        assert call("vector-copy", v, 2) == [3, 4]
        assert call("vector-copy", v, 1, 2) == [2]
        raises("vector-copy", v, 5, msg="vector-copy: start index out of range")

    def test_copy_into(self):
        to = [0, 0, 0, 0, 0]
        call("vector-copy!", to, 1, [1, 2, 3], 1)
        assert to == [0, 2, 3, 0, 0]
        v = [1, 2, 3, 4, 5]
        call("vector-copy!", v, 1, v, 0, 3)
        assert v == [1, 1, 2, 3, 5]
        v = [1, 2, 3, 4, 5]
        call("vector-copy!", v, 0, v, 2)
        assert v == [3, 4, 5, 4, 5]
        raises("vector-copy!", [0], 0, [1, 2], msg="vector-copy!: destination index")
        raises("vector-copy!", [0], 1.0, [1], msg="vector-copy!: expected an exact")

    def test_append_fill(self):
        assert call("vector-append", [1], [], [2, 3]) == [1, 2, 3]
        assert call("vector-append") == []
        raises("vector-append", [1], L(2), msg="vector-append: expected a vector")
        v = [1, 2, 3, 4]
        call("vector-fill!", v, 0)
        assert v == [0, 0, 0, 0]
        call("vector-fill!", v, 9, 1, 3)
        assert v == [0, 9, 9, 0]
        raises("vector-fill!", v, 9, 3, 1, msg="vector-fill!: end index out of range")


# ============================================================= bytevectors

class TestBytevectors:
    def test_basic(self):
        assert call("bytevector?", bytearray(b"a")) is True
        assert call("bytevector?", [1]) is False
        assert call("make-bytevector", 3) == bytearray(3)
        assert call("make-bytevector", 2, 255) == bytearray([255, 255])
        raises("make-bytevector", 2, 256, msg="make-bytevector: not a byte:", irritant=256)
        raises("make-bytevector", 2, True, msg="make-bytevector: expected a byte")
        raises("make-bytevector", -1, msg="make-bytevector: negative count")
        assert call("bytevector", 1, 2, 3) == bytearray([1, 2, 3])
        assert call("bytevector") == bytearray()
        raises("bytevector", 1, -1, msg="bytevector: not a byte:", irritant=-1)
        raises("bytevector", 1.0, msg="bytevector: expected a byte")
        assert call("bytevector-length", bytearray(4)) == 4
        raises("bytevector-length", [1], msg="bytevector-length: expected a bytevector")

    def test_ref_set(self):
        bv = bytearray([5, 6])
        assert call("bytevector-u8-ref", bv, 1) == 6
        raises("bytevector-u8-ref", bv, 2, msg="bytevector-u8-ref: index out of range")
        raises("bytevector-u8-ref", bv, True, msg="bytevector-u8-ref: expected an exact")
        assert call("bytevector-u8-set!", bv, 0, 200) is UNSPECIFIED
        assert bv == bytearray([200, 6])
        raises("bytevector-u8-set!", bv, 0, 300, msg="bytevector-u8-set!: not a byte")
        raises("bytevector-u8-set!", bv, 2, 1, msg="bytevector-u8-set!: index out of range")

    def test_copy_append(self):
        bv = bytearray([1, 2, 3, 4])
        c = call("bytevector-copy", bv)
        assert c == bv and c is not bv and type(c) is bytearray
        assert call("bytevector-copy", bv, 2) == bytearray([3, 4])
        assert call("bytevector-copy", bv, 1, 2) == bytearray([2])
        raises("bytevector-copy", bv, 1, 5, msg="bytevector-copy: end index out of range")
        call("bytevector-copy!", bv, 1, bv, 0, 3)
        assert bv == bytearray([1, 1, 2, 3])
        bv = bytearray([1, 2, 3, 4])
        call("bytevector-copy!", bv, 0, bv, 1)
        assert bv == bytearray([2, 3, 4, 4])
        raises("bytevector-copy!", bytearray(1), 0, bytearray(2),
               msg="bytevector-copy!: destination index")
        assert call("bytevector-append", bytearray([1]), bytearray(), bytearray([2])) == \
            bytearray([1, 2])
        assert type(call("bytevector-append")) is bytearray
        raises("bytevector-append", bytearray(), [1], msg="bytevector-append: expected a bytevector")

    def test_utf8(self):
        bv = call("string->utf8", S("aλb"))
        assert bv == bytearray("aλb".encode()) and type(bv) is bytearray
        assert call("string->utf8", S("aλb"), 1, 2) == bytearray("λ".encode())
        raises("string->utf8", S("ab"), 0, 3, msg="string->utf8: end index out of range")
        raises("string->utf8", bytearray(), msg="string->utf8: expected a string")
        s = call("utf8->string", bytearray("aλb".encode()))
        assert type(s) is MString and s.s == "aλb"
        assert call("utf8->string", bytearray(b"hello"), 1, 3).s == "el"
        raises("utf8->string", bytearray(b"a\xffb"), msg="utf8->string: invalid UTF-8")
        raises("utf8->string", S("x"), msg="utf8->string: expected a bytevector")


# ==================================================================== dicts

class TestDicts:
    def test_make_and_ref(self):
        d = call("make-dict")
        assert type(d) is Dict and call("dict?", d) is True
        assert call("dict?", L()) is False
        d = call("make-dict", 1, S("one"), S("k"), 2)
        assert call("dict-ref", d, 1).s == "one"
        assert call("dict-ref", d, S("k")) == 2
        assert call("dict-ref", d, 1.0, False) is False
        assert call("dict-ref", d, True, S("dflt")).s == "dflt"
        raises("dict-ref", d, 99, msg="dict-ref: key not found:", irritant=99)
        raises("make-dict", 1, msg="make-dict: expected alternating keys")
        raises("dict-ref", L(), 1, msg="dict-ref: expected a dict")

    def test_keys_are_equal_based(self):
        d = call("make-dict")
        call("dict-set!", d, L(1, S("a")), "list")
        call("dict-set!", d, [1, 2], "vec")
        call("dict-set!", d, float("nan"), "nan")
        call("dict-set!", d, 0.0, "zero")
        call("dict-set!", d, -0.0, "negzero")
        call("dict-set!", d, 1, "int")
        call("dict-set!", d, True, "true")
        call("dict-set!", d, 1.0, "float")
        assert call("dict-ref", d, L(1, S("a"))) == "list"
        assert call("dict-ref", d, [1, 2]) == "vec"
        assert call("dict-ref", d, float("nan")) == "nan"
        assert call("dict-ref", d, 0.0) == "zero"
        assert call("dict-ref", d, -0.0) == "negzero"
        assert call("dict-ref", d, 1) == "int"
        assert call("dict-ref", d, True) == "true"
        assert call("dict-ref", d, 1.0) == "float"
        assert call("dict-count", d) == 8

    def test_set_delete_has(self):
        k1 = S("a")
        d = call("make-dict", k1, 1)
        assert call("dict-set!", d, S("a"), 2) is UNSPECIFIED
        assert call("dict-count", d) == 1
        assert call("dict-ref", d, S("a")) == 2
        assert pylist(call("dict-keys", d))[0] is k1  # first key object kept
        assert call("dict-has-key?", d, S("a")) is True
        assert call("dict-contains?", d, S("b")) is False
        assert PRIMITIVES["dict-contains?"] is PRIMITIVES["dict-has-key?"]
        call("dict-delete!", d, S("a"))
        assert call("dict-has-key?", d, S("a")) is False
        call("dict-delete!", d, S("absent"))  # not an error
        raises("dict-set!", 5, 1, 2, msg="dict-set!: expected a dict")

    def test_order_and_listings(self):
        d = call("make-dict", sym("b"), 2, sym("a"), 1, sym("c"), 3)
        call("dict-set!", d, sym("b"), 20)  # keeps its place
        assert pylist(call("dict-keys", d)) == [sym("b"), sym("a"), sym("c")]
        assert pylist(call("dict-values", d)) == [20, 1, 3]
        al = pylist(call("dict->alist", d))
        assert [(p.car, p.cdr) for p in al] == [(sym("b"), 20), (sym("a"), 1), (sym("c"), 3)]

    def test_alist_copy_clear(self):
        d = call("alist->dict", L(Pair(sym("a"), 1), Pair(sym("b"), 2), Pair(sym("a"), 3)))
        assert call("dict-ref", d, sym("a")) == 1  # first association wins
        assert call("dict-count", d) == 2
        raises("alist->dict", L(1), msg="alist->dict: expected an association list", irritant=1)
        raises("alist->dict", Pair(Pair(1, 2), 3), msg="alist->dict: expected a proper list")
        c = call("dict-copy", d)
        call("dict-set!", c, sym("z"), 9)
        assert call("dict-has-key?", d, sym("z")) is False
        assert call("dict-count", c) == 3
        assert call("dict-clear!", c) is UNSPECIFIED
        assert call("dict-count", c) == 0 and call("dict-keys", c) is NIL

    def test_mutated_string_key(self):
        k = S("abc")
        d = call("make-dict", k, 1)
        k.s = "xyz"  # hashed by contents at insertion time
        assert call("dict-ref", d, S("abc")) == 1
        assert call("dict-has-key?", d, S("xyz")) is False

    def test_circular_key_is_an_error(self):
        d = call("make-dict")
        raises("dict-set!", d, circular(1), 0, msg="dict-set!: cannot hash a circular")


# ================================================================== records

class TestRecords:
    def make_point(self):
        rtd = call("%make-record-type", sym("<point>"), L(sym("x"), sym("y"), sym("tag")))
        return rtd

    def test_type_and_constructor(self):
        rtd = self.make_point()
        assert type(rtd) is RecordType and rtd.name == "<point>"
        assert rtd.fields == [sym("x"), sym("y"), sym("tag")]
        mk = call("%record-constructor", rtd, L(sym("x"), sym("y")))
        assert type(mk) is Primitive and mk.name == "make-point"
        assert (mk.min_args, mk.max_args) == (2, 2)
        p = mk.fn(1, 2)
        assert type(p) is Record and p.fields == [1, 2, False]
        full = call("%record-constructor", rtd, L(sym("tag"), sym("y"), sym("x")), sym("pt"))
        assert full.name == "pt" and full.fn(1, 2, 3).fields == [3, 2, 1]
        allf = call("%record-constructor", rtd, L(sym("x"), sym("y"), sym("tag")))
        assert allf.fn(1, 2, 3).fields == [1, 2, 3]
        assert call("record?", p) is True and call("record?", L(1)) is False

    def test_constructor_errors(self):
        rtd = self.make_point()
        raises("%record-constructor", rtd, L(sym("z")), msg="make-point: <point> has no field:",
               irritant=sym("z"))
        raises("%record-constructor", rtd, L(sym("x"), sym("x")),
               msg="make-point: a field is initialised twice")
        raises("%record-constructor", 5, NIL, msg="%record-constructor: expected a record type")
        raises("%make-record-type", sym("r"), L(sym("a"), sym("a")),
               msg="define-record-type: duplicate field name:", irritant=sym("a"))
        raises("%make-record-type", S("r"), NIL, msg="define-record-type: expected a symbol")
        raises("%make-record-type", sym("r"), L(1), msg="define-record-type: expected a symbol")

    def test_predicate_accessor_modifier(self):
        rtd = self.make_point()
        other = call("%make-record-type", sym("point"), L(sym("x")))
        mk = call("%record-constructor", rtd, L(sym("x"), sym("y"), sym("tag")))
        pred = call("%record-predicate", rtd)
        assert pred.name == "point?" and (pred.min_args, pred.max_args) == (1, 1)
        p = mk.fn(1, 2, 3)
        q = call("%record-constructor", other, L(sym("x"))).fn(1)
        assert pred.fn(p) is True and pred.fn(q) is False and pred.fn(5) is False
        gx = call("%record-accessor", rtd, sym("x"))
        gy = call("%record-accessor", rtd, sym("y"), sym("point-y-coord"))
        assert gx.name == "point-x" and gy.name == "point-y-coord"
        assert gx.fn(p) == 1 and gy.fn(p) == 2
        with pytest.raises(SchemeError) as info:
            gx.fn(q)
        assert info.value.payload.message == "point-x: expected a point, got"
        assert info.value.payload.irritants == [q]
        with pytest.raises(SchemeError) as info:
            gy.fn(5)
        assert info.value.payload.message == "point-y-coord: expected a point, got"
        sx = call("%record-modifier", rtd, sym("x"))
        assert sx.name == "point-x-set!" and (sx.min_args, sx.max_args) == (2, 2)
        assert sx.fn(p, 10) is UNSPECIFIED and gx.fn(p) == 10
        named = call("%record-modifier", rtd, sym("tag"), sym("set-tag!"))
        named.fn(p, "t")
        assert p.fields[2] == "t"
        with pytest.raises(SchemeError) as info:
            named.fn(q, 1)
        assert info.value.payload.message == "set-tag!: expected a point, got"
        raises("%record-accessor", rtd, sym("nope"), msg="point-nope: <point> has no field:")
        raises("%record-modifier", rtd, S("x"), msg="%record-modifier: expected a symbol")

    def test_article(self):
        rtd = call("%make-record-type", sym("employee"), L(sym("name")))
        get = call("%record-accessor", rtd, sym("name"))
        with pytest.raises(SchemeError) as info:
            get.fn(1)
        assert info.value.payload.message == "employee-name: expected an employee, got"


# ============================================================ registration

def test_arity_of_optional_arguments():
    assert (PRIMITIVES["string-copy!"].min_args, PRIMITIVES["string-copy!"].max_args) == (3, 5)
    assert (PRIMITIVES["iota"].min_args, PRIMITIVES["iota"].max_args) == (1, 3)
    assert (PRIMITIVES["dict-ref"].min_args, PRIMITIVES["dict-ref"].max_args) == (2, 3)
    assert PRIMITIVES["string=?"].max_args == MAX_ARGS      # any number
    assert PRIMITIVES["%member"].max_args == 2 and PRIMITIVES["%assoc"].min_args == 2
