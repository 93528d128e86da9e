"""Numbers (R7RS 6.2): every numeric primitive.

The syntax of numbers (reading and writing them) is sx/numsyntax.py, shared
with the reader and the printer; number->string and string->number are the
primitives over it.

Representation (values.py): exact integer = int, exact non-integer = Fraction
(always normalised: an integral result is an int), inexact real = float,
exact non-real = ExactComplex (its parts exact, its imaginary part never 0),
inexact non-real = Python complex. bool is an int subclass, so every type
test below is `type(x) is ...`, never isinstance: `(+ #t 1)` must be an error.

Hot paths: the two-argument helpers add2, sub2, mul2, div2, eq2, lt2, gt2,
le2, ge2 test for two ints first; compiled code may call them directly.
"""

from __future__ import annotations

import cmath
import math
import operator
from fractions import Fraction

from ..errors import bad_range, error, wrong_type
from ..numsyntax import (NumberTooLarge, make_rectangular, normalise_exact, number_to_string,
                         parse_number, polar, to_float, to_inexact)
from ..values import DEFAULT, NUMBER_TYPES, ExactComplex, MString, MultipleValues, rect
from . import complexmath
from .registry import primitive

_NUMBER = frozenset(NUMBER_TYPES)
_REAL = frozenset((int, float, Fraction))
_EXACT_REAL = frozenset((int, Fraction))
_EXACT = frozenset((int, Fraction, ExactComplex))
_NONREAL = frozenset((complex, ExactComplex))
_INF = math.inf
_NAN = math.nan


# ---------------------------------------------------------------- helpers

def _num(who, x):
    if type(x) not in _NUMBER:
        wrong_type(who, "a number", x)


def _real(who, x):
    if type(x) not in _REAL:
        wrong_type(who, "a real number", x)


def _integer(who, x):
    """(value as int, was-inexact) for an integer argument: an int, or a
    float with an integral value."""
    if type(x) is int:
        return x, False
    if type(x) is float and x.is_integer():   # False for inf and nan
        return int(x), True
    wrong_type(who, "an integer", x)


def _result(n, inexact):
    return float(n) if inexact else n


# ---------------------------------------------------------------- number syntax

def _check_radix(who, radix):
    if type(radix) is not int:
        wrong_type(who, "an exact integer radix", radix)
    if not 2 <= radix <= 36:
        bad_range(who, radix, "radix must be between 2 and 36")


@primitive("number->string")
def number_to_string_prim(z, radix=10):
    if type(z) is int and type(radix) is int and radix == 10:   # (the common case)
        return MString(number_to_string(z))
    _num("number->string", z)
    _check_radix("number->string", radix)
    return MString(number_to_string(z, radix))


@primitive("string->number")
def string_to_number(s, radix=10):
    if type(s) is not MString:
        wrong_type("string->number", "a string", s)
    _check_radix("string->number", radix)
    try:
        r = parse_number(s.s, radix)
    except NumberTooLarge as e:
        # Valid syntax, so not #f: the same refusal as the reader's.
        error("string->number: " + e.message, s)
    return False if r is None else r


# ---------------------------------------------------------------- predicates

# Type predicates accept any object; the others need a number.
primitive("number?", "complex?")(lambda x: type(x) in _NUMBER)
primitive("real?")(lambda x: type(x) in _REAL)
primitive("rational?")(lambda x: type(x) in _EXACT_REAL or (type(x) is float and math.isfinite(x)))
primitive("integer?")(lambda x: type(x) is int or (type(x) is float and x.is_integer()))
primitive("exact-integer?")(lambda x: type(x) is int)


def _checked(names, check, fn):
    """Register a one-argument primitive that first checks its argument
    with `check` (_num or _real)."""
    def prim(x):
        check(names[0], x)
        return fn(x)
    primitive(*names)(prim)


_checked(("exact?",), _num, lambda x: type(x) in _EXACT)
_checked(("inexact?",), _num, lambda x: type(x) not in _EXACT)
_checked(("zero?",), _num, lambda x: x == 0)
_checked(("positive?",), _real, lambda x: x > 0)
_checked(("negative?",), _real, lambda x: x < 0)


def _float_parts(who, x):
    """The float components of number x: none for an exact number."""
    _num(who, x)
    t = type(x)
    return (x,) if t is float else (x.real, x.imag) if t is complex else ()


primitive("finite?")(lambda x: all(map(math.isfinite, _float_parts("finite?", x))))
primitive("infinite?")(lambda x: any(map(math.isinf, _float_parts("infinite?", x))))
primitive("nan?")(lambda x: any(map(math.isnan, _float_parts("nan?", x))))


def _low_bit(who, x):
    return (x if type(x) is int else _integer(who, x)[0]) & 1


primitive("odd?")(lambda x: _low_bit("odd?", x) == 1)
primitive("even?")(lambda x: _low_bit("even?", x) == 0)


# ---------------------------------------------------------------- comparison

def _comparison(name, op, check, what):
    """Register a variadic comparison; return its two-argument form, which
    tests for two ints before anything else."""
    def cmp2(a, b):
        if type(a) is int and type(b) is int:
            return op(a, b)
        if type(a) not in check:
            wrong_type(name, what, a)
        if type(b) not in check:
            wrong_type(name, what, b)
        return op(a, b)   # Python compares int/Fraction/float exactly

    def variadic(a, *rest):
        if len(rest) == 1:
            return cmp2(a, rest[0])
        for x in (a, *rest):          # every argument is checked, even after a #f
            if type(x) not in check:
                wrong_type(name, what, x)
        for b in rest:
            if not op(a, b):
                return False
            a = b
        return True

    primitive(name)(variadic)
    return cmp2


eq2 = _comparison("=", operator.eq, _NUMBER, "a number")
lt2 = _comparison("<", operator.lt, _REAL, "a real number")
gt2 = _comparison(">", operator.gt, _REAL, "a real number")
le2 = _comparison("<=", operator.le, _REAL, "a real number")
ge2 = _comparison(">=", operator.ge, _REAL, "a real number")


def _extremum(who, a, rest, better):
    """max/min: any inexact argument makes the result inexact; nan wins."""
    _real(who, a)
    best, inexact = a, type(a) is float
    for x in rest:
        _real(who, x)
        if type(x) is float:
            inexact = True
            if x != x:
                best = x
                continue
        if best == best and better(x, best):
            best = x
    return to_float(best) if inexact else best


@primitive("max")
def num_max(a, *rest):
    return _extremum("max", a, rest, operator.gt)


@primitive("min")
def num_min(a, *rest):
    return _extremum("min", a, rest, operator.lt)


# ---------------------------------------------------------------- arithmetic

def _arith(who, a, b, op):
    """Generic two-argument + - *: exact stays exact, otherwise both sides are
    made inexact first (R7RS contagion; also avoids CPython's OverflowError
    when a huge exact number meets a float)."""
    ta, tb = type(a), type(b)
    if ta is float and tb is float:
        return op(a, b)
    if ta not in _NUMBER:
        wrong_type(who, "a number", a)
    if tb not in _NUMBER:
        wrong_type(who, "a number", b)
    if ta in _EXACT and tb in _EXACT:
        return normalise_exact(op(a, b))
    x, y = to_inexact(a), to_inexact(b)
    if type(x) is not type(y):
        return _flonum_complex(op, x, y)
    return op(x, y)


def _flonum_complex(op, x, y):
    """A flonum and an inexact complex, the flonum applied to each part, as
    C99 (Annex G) does: Python would first make the flonum a complex with
    imaginary part 0.0, whose products with an infinity are NaNs ((* 2.0
    +inf.0+1.0i) would be +inf.0+nan.0i) and whose sum loses a -0.0."""
    if op is operator.mul:
        z, r = (x, y) if type(x) is complex else (y, x)
        return complex(z.real * r, z.imag * r)
    if type(x) is complex:                               # z + r, z - r
        return complex(op(x.real, y), x.imag)
    return complex(op(x, y.real), y.imag if op is operator.add else -y.imag)   # r + z, r - z


# Two-argument forms of the variadic arithmetic, with identical results and
# errors: compiled code calls these when it sees exactly two operands.
def binary_forms() -> dict:
    return {"+": add2, "-": sub2, "*": mul2, "=": eq2, "<": lt2, ">": gt2, "<=": le2, ">=": ge2}


def add2(a, b):
    if type(a) is int and type(b) is int:
        return a + b
    return _arith("+", a, b, operator.add)


def sub2(a, b):
    if type(a) is int and type(b) is int:
        return a - b
    return _arith("-", a, b, operator.sub)


def mul2(a, b):
    if type(a) is int and type(b) is int:
        return a * b
    return _arith("*", a, b, operator.mul)


def div2(a, b):
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if b == 0:
            error("/: division by zero")
        q, r = divmod(a, b)
        return q if r == 0 else Fraction(a, b)
    _num("/", a)
    _num("/", b)
    if ta in _EXACT and tb in _EXACT:
        if b == 0:
            error("/: division by zero")
        # Fraction(a) makes int / int a ratio; ExactComplex divides itself.
        return normalise_exact((a if ta is ExactComplex else Fraction(a)) / b)
    return _fdiv(to_inexact(a), to_inexact(b))


def _fdiv(x, y):
    """Inexact division; a zero divisor gives IEEE results where Python raises."""
    if type(x) is complex and type(y) is float:
        # each part divided, as C99 does (and _flonum_complex): (/ 1.0+1.0i
        # 0.0) is +inf.0+inf.0i, and no NaN comes of an infinite part
        return complex(_fdiv(x.real, y), _fdiv(x.imag, y))
    try:
        return x / y
    except ZeroDivisionError:
        pass
    if type(x) is complex or type(y) is complex:
        return complex(_NAN, _NAN)
    if x != x or x == 0:
        return _NAN
    return math.copysign(_INF, math.copysign(1.0, x) * math.copysign(1.0, y))


def _sum_like(name, op, op2, identity):
    """Register variadic + or *; two ints take the fast path."""
    def prim(*args):
        if len(args) == 2:
            a, b = args
            if type(a) is int and type(b) is int:
                return op(a, b)
            return _arith(name, a, b, op)
        if not args:
            return identity
        acc = args[0]
        _num(name, acc)          # (+ -0.0) is -0.0: do not start from 0
        for x in args[1:]:
            acc = op2(acc, x)
        return acc
    primitive(name)(prim)


_sum_like("+", operator.add, add2, 0)
_sum_like("*", operator.mul, mul2, 1)


@primitive("-")
def num_sub(a, *rest):
    if len(rest) == 1:
        return sub2(a, rest[0])
    if not rest:
        _num("-", a)
        return -a
    for b in rest:
        a = sub2(a, b)
    return a


@primitive("/")
def num_div(a, *rest):
    if not rest:
        return div2(1, a)
    for b in rest:
        a = div2(a, b)
    return a


@primitive("abs")
def num_abs(x):
    if type(x) is int:
        return -x if x < 0 else x
    _real("abs", x)
    return abs(x)


@primitive("magnitude")
def magnitude(z):
    if type(z) is ExactComplex:
        # exact when the sum of squares is a square: (magnitude 3+4i) => 5
        return _sqrt_nonneg(z.real * z.real + z.imag * z.imag)
    _num("magnitude", z)
    return abs(z)


@primitive("square")
def square(x):
    if type(x) is int:
        return x * x
    _num("square", x)
    return mul2(x, x)


# ---------------------------------------------------------------- integer division

def _trunc_qr(n: int, d: int):
    q = abs(n) // abs(d)
    if (n < 0) != (d < 0):
        q = -q
    return q, n - q * d


def _divide(who, a, b, split):
    """(q, r) for integer arguments, computed on ints (exact even for
    integral floats), returned as floats when either argument was inexact."""
    n, ia = _integer(who, a)
    d, ib = _integer(who, b)
    if d == 0:
        error(f"{who}: division by zero")
    q, r = split(n, d)
    return (float(q), float(r)) if ia or ib else (q, r)


def _trunc_remainder(a, b):
    r = abs(a) % abs(b)          # the sign follows the dividend
    return -r if a < 0 else r


def _int_division(name, split, pick, fast):
    """Register an integer division: `pick` 0 returns the quotient, 1 the
    remainder, None both as two values; `fast` handles two ints."""
    def prim(a, b):
        if fast is not None and type(a) is int and type(b) is int and b:
            return fast(a, b)
        qr = _divide(name, a, b, split)
        return MultipleValues(list(qr)) if pick is None else qr[pick]
    primitive(name)(prim)


for _name, _split, _pick, _fast in (
        ("floor/", divmod, None, None),
        ("floor-quotient", divmod, 0, operator.floordiv),
        ("floor-remainder", divmod, 1, operator.mod),
        ("modulo", divmod, 1, operator.mod),
        ("truncate/", _trunc_qr, None, None),
        ("truncate-quotient", _trunc_qr, 0, lambda a, b: _trunc_qr(a, b)[0]),
        ("truncate-remainder", _trunc_qr, 1, _trunc_remainder),
        ("quotient", _trunc_qr, 0, lambda a, b: _trunc_qr(a, b)[0]),
        ("remainder", _trunc_qr, 1, _trunc_remainder)):
    _int_division(_name, _split, _pick, _fast)


def _gcd_like(name, fn, identity):
    def prim(*args):
        acc, inexact = identity, False
        for x in args:
            n, i = _integer(name, x)
            acc, inexact = fn(acc, n), inexact or i
        return _result(acc, inexact)
    primitive(name)(prim)


_gcd_like("gcd", math.gcd, 0)
_gcd_like("lcm", math.lcm, 1)


def _ratio(who, x):
    """(numerator, denominator) of a rational, inexact for a float:
    (denominator 0.5) => 2.0."""
    t = type(x)
    if t is int:
        return x, 1
    if t is Fraction:
        return x.numerator, x.denominator
    if t is float and math.isfinite(x):
        n, d = x.as_integer_ratio()
        return float(n), float(d)
    wrong_type(who, "a rational number", x)


primitive("numerator")(lambda x: _ratio("numerator", x)[0])
primitive("denominator")(lambda x: _ratio("denominator", x)[1])


# ---------------------------------------------------------------- rounding

def _rounder(who, x, fn):
    t = type(x)
    if t is int:
        return x
    if t is Fraction:
        return fn(x)               # an exact int
    if t is float:
        if not math.isfinite(x):
            return x
        r = float(fn(x))
        # keep the sign of a zero result: (round -0.4) => -0.0, as IEEE does
        return math.copysign(r, x) if r == 0 else r
    wrong_type(who, "a real number", x)


for _name, _fn in (("floor", math.floor), ("ceiling", math.ceil),
                   ("round", round),      # Python rounds halves to even
                   ("truncate", math.trunc)):
    primitive(_name)(lambda x, _name=_name, _fn=_fn: _rounder(_name, x, _fn))


def _simplest(lo, hi):
    """The simplest rational in [lo, hi] (smallest denominator, then
    smallest magnitude), by continued-fraction descent."""
    if lo > 0:
        return normalise_exact(_simplest_pos(Fraction(lo), Fraction(hi)))
    if hi < 0:
        return normalise_exact(-_simplest_pos(Fraction(-hi), Fraction(-lo)))
    return 0


def _simplest_pos(lo: Fraction, hi: Fraction) -> Fraction:
    f = math.floor(lo)
    if f == lo:
        return Fraction(f)
    if f < math.floor(hi):       # an integer lies in (lo, hi]
        return Fraction(f + 1)
    # same integer part: the fractional parts' reciprocals swap ends
    return f + 1 / _simplest_pos(1 / (hi - f), 1 / (lo - f))


@primitive("rationalize")
def rationalize(x, y):
    _real("rationalize", x)
    _real("rationalize", y)
    if type(x) is not float and type(y) is not float:
        return _simplest(x - abs(y), x + abs(y))
    fx, fy = to_float(x), abs(to_float(y))
    if fx != fx or fy != fy:
        return _NAN
    if math.isinf(fy):
        return _NAN if math.isinf(fx) else 0.0
    if math.isinf(fx):
        return fx
    q = Fraction(fx)
    return float(_simplest(q - Fraction(fy), q + Fraction(fy)))


# ---------------------------------------------------------------- transcendental

def _float_arg(who, x):
    t = type(x)
    if t is float or t is complex:
        return x
    if t in _NUMBER:
        return to_inexact(x)
    wrong_type(who, "a number", x)


_PERIODIC = frozenset(("sin", "cos", "tan"))


def _math1(who, x, real_fn, complex_fn):
    """Apply real_fn to a real argument, switching to complex_fn outside the
    real domain ((asin 2), (log -1)); IEEE-style inf/nan instead of errors
    (complex_fn is complexmath's, which never raises)."""
    z = _float_arg(who, x)
    if type(z) is float:
        try:
            return real_fn(z)
        except ValueError:
            if who in _PERIODIC and math.isinf(z):
                return _NAN                   # (sin +inf.0): no limit, and real
            # A real has no signed imaginary part; cmath reads +0.0 as above
            # the branch cut. Below 1 that is R7RS's value ((log -1) =>
            # +3.14...i); past 1 (asin, acos) R7RS's formulas, after CLtL,
            # give the value from below: (asin 2) => 1.57...-1.31...i.
            z = complex(z, -0.0 if z > 1 else 0.0)
        except OverflowError:
            return _INF
    return complex_fn(complex(z))


for _name in ("exp", "sin", "cos", "tan", "asin", "acos"):
    primitive(_name)(lambda x, _name=_name, _r=getattr(math, _name),
                     _c=getattr(complexmath, _name): _math1(_name, x, _r, _c))


def _log1(x):
    if type(x) is int and x > 0:
        return math.log(x)          # exact ints of any size, no float overflow
    if x == 0 and type(x) is not complex:
        _float_arg("log", x)
        return -_INF
    return _math1("log", x, math.log, complexmath.log)


@primitive("log")
def num_log(x, base=DEFAULT):
    if base is DEFAULT:
        return _log1(x)
    if (base == 2 or base == 10) and type(base) is not bool and type(x) in _REAL and x > 0:
        # log2/log10 are exact on powers of the base: (log 1000 10) => 3.0
        return math.log2(x) if base == 2 else math.log10(x)
    return _fdiv(_log1(x), _log1(base))


@primitive("atan")
def num_atan(y, x=DEFAULT):
    if x is DEFAULT:
        return _math1("atan", y, math.atan, complexmath.atan)
    _real("atan", y)
    _real("atan", x)
    return math.atan2(to_float(y), to_float(x))


def _exact_sqrt(q):
    """The exact square root of a non-negative exact number, or None."""
    n, d = (q, 1) if type(q) is int else (q.numerator, q.denominator)
    sn, sd = math.isqrt(n), math.isqrt(d)
    if sn * sn == n and sd * sd == d:
        return sn if sd == 1 else Fraction(sn, sd)
    return None


def _inexact_sqrt(q) -> float:
    """The square root of a non-negative exact real, as a float."""
    f = to_float(q)
    if f != _INF:
        return math.sqrt(f)
    return to_float(math.isqrt(int(q)))   # beyond float range only the int part counts


def _sqrt_nonneg(q):
    r = _exact_sqrt(q)
    return _inexact_sqrt(q) if r is None else r


def _exact_root(x):
    """The principal square root of the exact number x when it is exact
    ((sqrt -4) => +2i, (sqrt 3+4i) => 2+i), else None."""
    if type(x) is ExactComplex:
        # sqrt(a+bi) = p + qi with p = sqrt((|z|+a)/2) >= 0 and
        # q = sign(b) sqrt((|z|-a)/2): exact when |z|, p and q all are.
        a, b = x.real, x.imag
        m = _exact_sqrt(a * a + b * b)
        if m is None:
            return None
        p, q = _exact_sqrt(Fraction(m + a, 2)), _exact_sqrt(Fraction(m - a, 2))
        if p is None or q is None:
            return None
        return rect(p, q if b > 0 else -q)
    if x >= 0:
        return _exact_sqrt(x)
    r = _exact_sqrt(-x)
    return None if r is None else rect(0, r)


@primitive("sqrt")
def num_sqrt(x):
    t = type(x)
    if t in _EXACT:
        r = _exact_root(x)
        if r is not None:
            return r
        if t is ExactComplex:
            return cmath.sqrt(to_inexact(x))
        return _inexact_sqrt(x) if x >= 0 else complex(0.0, _inexact_sqrt(-x))
    if t is float:
        if x >= 0 or x != x:       # also -0.0 => -0.0, and nan
            return math.sqrt(x)
        return complex(0.0, math.sqrt(-x))
    if t is complex:
        # C99's csqrt, with its branch cut: an imaginary part of -0.0 is
        # below the cut, (sqrt -4.0-0.0i) => 0.0-2.0i
        return cmath.sqrt(x)
    wrong_type("sqrt", "a number", x)


@primitive("exact-integer-sqrt")
def exact_integer_sqrt(n):
    if type(n) is not int or n < 0:
        wrong_type("exact-integer-sqrt", "a non-negative exact integer", n)
    s = math.isqrt(n)
    return MultipleValues([s, n - s * s])


def _odd_integer(y) -> bool:
    return type(y) is float and y.is_integer() and int(y) % 2 == 1


def _fpow(x, y):
    """Inexact power. Python's ** already gives a complex for a negative base
    and fractional exponent; it raises where IEEE gives infinities."""
    try:
        return x ** y
    except (ZeroDivisionError, OverflowError):   # 0.0 ** negative, or too big
        if type(y) is complex and x == 0 and y.real > 0:
            return 0.0                # R7RS: 0.0^z is 0.0 when Re z > 0
        if type(x) is complex or type(y) is complex:
            return complexmath.power(complex(x), complex(y))
        # IEEE: an infinity, negative only for a negative base (-0.0 too)
        # raised to an odd integer
        return -_INF if math.copysign(1.0, x) < 0 and _odd_integer(y) else _INF


@primitive("expt")
def expt(base, e):
    _num("expt", base)
    _num("expt", e)
    tb, te = type(base), type(e)
    if tb in _EXACT:
        if te is int:
            return _exact_power(base, e)
        if te is Fraction and e.denominator == 2:
            root = _exact_root(base)       # (expt 4 3/2) => 8, (expt -1 1/2) => +i
            if root is not None:
                return _exact_power(root, e.numerator)
        if te is ExactComplex and base == 0 and e.real > 0:
            return 0                       # R7RS: 0^z is 0 when Re z > 0
    return _fpow(to_inexact(base), to_inexact(e))


def _exact_power(base, n: int):
    """base^n for an exact base and an integer n."""
    if n >= 0:
        return normalise_exact(base ** n)      # (expt 0 0) => 1
    if base == 0:
        error("expt: division by zero")
    # Fraction(1), not 1: base^-n may be an int (2^2, or (+i)^2 = -1), and
    # int / int would be a float
    return normalise_exact(Fraction(1) / base ** -n)


# ---------------------------------------------------------------- exactness

@primitive("exact", "inexact->exact")
def exact(x):
    t = type(x)
    if t is int or t is Fraction:
        return x
    if t is float:
        if not math.isfinite(x):
            error("exact: no exact representation of", x)
        n, d = x.as_integer_ratio()     # the float's binary value, exactly
        return n if d == 1 else Fraction(n, d)
    if t is complex:
        if not (math.isfinite(x.real) and math.isfinite(x.imag)):
            error("exact: no exact representation of", x)
        return rect(exact(x.real), exact(x.imag))     # (exact 1.0+0.0i) => 1
    if t is ExactComplex:
        return x
    wrong_type("exact", "a number", x)


_checked(("inexact", "exact->inexact"), _num, to_inexact)


# ---------------------------------------------------------------- complex parts

@primitive("make-rectangular")
def make_rectangular_prim(a, b):
    _real("make-rectangular", a)
    _real("make-rectangular", b)
    return make_rectangular(a, b)      # the reader's rule for a + bi


@primitive("make-polar")
def make_polar(m, a):
    _real("make-polar", m)
    _real("make-polar", a)
    if type(a) is int and a == 0:
        return m
    return polar(m, a)


# The parts of an exact complex are exact, those of an inexact one floats;
# a real's imaginary part is an exact 0, even for a flonum.
_checked(("real-part",), _num, lambda z: z.real if type(z) in _NONREAL else z)
_checked(("imag-part",), _num, lambda z: z.imag if type(z) in _NONREAL else 0)


@primitive("angle")
def angle(z):
    _num("angle", z)
    t = type(z)
    if t is complex:
        return cmath.phase(z)
    if t is ExactComplex:
        return math.atan2(to_float(z.imag), to_float(z.real))
    if t is float:
        return math.atan2(0.0, z)
    return 0 if z >= 0 else math.pi


# ---- bitwise operations on exact integers (the names of SRFI 151) ------------------------
# Not in R7RS-small; guest languages (Smalltalk's bitAnd:, <<, ...) need them.

def _exact_int(who: str, x) -> int:
    if type(x) is not int:
        wrong_type(who, "an exact integer", x)
    return x


def _bitwise(name, op, identity):
    """Register a variadic bitwise operation on exact integers."""
    def prim(*xs):
        r = identity
        for x in xs:
            r = op(r, _exact_int(name, x))
        return r
    primitive(name)(prim)


_bitwise("bitwise-and", operator.and_, -1)
_bitwise("bitwise-or", operator.or_, 0)
_bitwise("bitwise-xor", operator.xor, 0)


@primitive("bitwise-not")
def bitwise_not(x):
    return ~_exact_int("bitwise-not", x)


@primitive("arithmetic-shift")
def arithmetic_shift(n, count):
    """n shifted left by count bits (right when count is negative)."""
    n, count = _exact_int("arithmetic-shift", n), _exact_int("arithmetic-shift", count)
    return n << count if count >= 0 else n >> -count
