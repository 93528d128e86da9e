"""Elementary functions of an inexact complex number, with values where
cmath has none.

cmath raises at a pole (ValueError: `log` of 0, `atan` of ±i) and when a part
of the result overflows (OverflowError: `exp` of 1000+1i). Scheme's inexact
arithmetic answers with infinities instead, as it does for reals ((exp 1000)
is +inf.0). The values here are the limits of R7RS's defining formulas, which
are also C99 Annex G's: (exp 1000.0+1.0i) is +inf.0+inf.0i, (log 0.0+0.0i) is
-inf.0+0.0i, (atan +1.0i) is 0.0+inf.0i. Anything else cmath refuses (an
infinite or NaN part where the function has no limit) is NaN in both parts:
still a complex number, like the argument.
"""

from __future__ import annotations

import cmath
import math

_INF = math.inf
_NAN = math.nan
_LN2 = math.log(2.0)
_NAN_COMPLEX = complex(_NAN, _NAN)


def _times_exp(f: float, x: float) -> float:
    """f * e^x, an infinity of f's sign once it overflows. A zero f stays
    that signed zero: e^x overflowing must not make 0 * inf = NaN."""
    if f == 0:
        return f
    try:
        return f * math.exp(x)
    except OverflowError:
        pass
    try:
        half = math.exp(x / 2)        # the product may still be finite
    except OverflowError:
        return math.copysign(_INF, f)
    return f * half * half            # float * overflows to inf, never raises


def _exp_past_range(z: complex) -> complex:
    """e^x cos y + i e^x sin y, e^x too large."""
    return complex(_times_exp(math.cos(z.imag), z.real), _times_exp(math.sin(z.imag), z.real))


def _cosh_sinh_exponent(y: float) -> float:
    """The x with e^x = cosh y = |sinh y|, for a |y| so large that cmath
    overflowed (e^-|y| is then negligible)."""
    return abs(y) - _LN2


def _sin_past_range(z: complex) -> complex:
    """sin x cosh y + i cos x sinh y, cosh y too large."""
    x, y = z.real, z.imag
    e = _cosh_sinh_exponent(y)
    return complex(_times_exp(math.sin(x), e), _times_exp(math.cos(x) * math.copysign(1.0, y), e))


def _cos_past_range(z: complex) -> complex:
    """cos x cosh y - i sin x sinh y, cosh y too large."""
    x, y = z.real, z.imag
    e = _cosh_sinh_exponent(y)
    return complex(_times_exp(math.cos(x), e), _times_exp(-math.sin(x) * math.copysign(1.0, y), e))


def _log_pole(z: complex):
    """log|z| + i angle z at z = 0; the zeros' signs pick the angle."""
    return complex(-_INF, math.atan2(z.imag, z.real)) if z == 0 else None


def _atan_pole(z: complex):
    """(log(1+iz) - log(1-iz)) / 2i at z = ±i, where one logarithm is of 0."""
    if z.real == 0 and abs(z.imag) == 1:
        return complex(z.real, math.copysign(_INF, z.imag))
    return None


def _with_limits(fn, past_range=None, pole=None):
    """fn, with past_range's value where a part overflows and pole's (when it
    has one) where cmath finds no value; NaN in both parts otherwise."""
    def safe(z: complex) -> complex:
        try:
            return fn(z)
        except OverflowError:
            if past_range is not None:
                return past_range(z)
        except ValueError:
            limit = pole(z) if pole is not None else None
            if limit is not None:
                return limit
        return _NAN_COMPLEX
    safe.__name__ = fn.__name__
    return safe


exp = _with_limits(cmath.exp, past_range=_exp_past_range)
sin = _with_limits(cmath.sin, past_range=_sin_past_range)
cos = _with_limits(cmath.cos, past_range=_cos_past_range)
log = _with_limits(cmath.log, pole=_log_pole)
atan = _with_limits(cmath.atan, pole=_atan_pole)
tan = _with_limits(cmath.tan)         # these overflow nowhere and have no pole
asin = _with_limits(cmath.asin)
acos = _with_limits(cmath.acos)


def power(x: complex, y: complex) -> complex:
    """x^y where Python's ** overflowed or divided by zero: e^(y log x), the
    definition R7RS gives (and C's cpow computes), so an overflowing part is
    an infinity: (expt 10.0+0.0i 400) is +inf.0+0.0i."""
    return exp(y * log(x))
