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


def exp(z: complex) -> complex:
    try:
        return cmath.exp(z)
    except OverflowError:             # e^x cos y + i e^x sin y, e^x too large
        return complex(_times_exp(math.cos(z.imag), z.real),
                       _times_exp(math.sin(z.imag), z.real))
    except ValueError:
        return _NAN_COMPLEX


def _cosh_sinh_large(y: float) -> float:
    """The exponent x with e^x = cosh y = |sinh y|, for |y| so large that
    cmath overflowed (e^-|y| is then negligible)."""
    return abs(y) - _LN2


def sin(z: complex) -> complex:
    try:
        return cmath.sin(z)
    except OverflowError:             # sin x cosh y + i cos x sinh y
        x, y = z.real, z.imag
        e = _cosh_sinh_large(y)
        return complex(_times_exp(math.sin(x), e),
                       _times_exp(math.cos(x) * math.copysign(1.0, y), e))
    except ValueError:
        return _NAN_COMPLEX


def cos(z: complex) -> complex:
    try:
        return cmath.cos(z)
    except OverflowError:             # cos x cosh y - i sin x sinh y
        x, y = z.real, z.imag
        e = _cosh_sinh_large(y)
        return complex(_times_exp(math.cos(x), e),
                       _times_exp(-math.sin(x) * math.copysign(1.0, y), e))
    except ValueError:
        return _NAN_COMPLEX


def log(z: complex) -> complex:
    try:
        return cmath.log(z)
    except ValueError:
        if z == 0:                    # log|z| + i angle z; the zeros' signs pick the angle
            return complex(-_INF, math.atan2(z.imag, z.real))
        return _NAN_COMPLEX


def atan(z: complex) -> complex:
    try:
        return cmath.atan(z)
    except ValueError:
        if z.real == 0 and abs(z.imag) == 1:
            # (log(1+iz) - log(1-iz)) / 2i with one logarithm of 0
            return complex(z.real, math.copysign(_INF, z.imag))
        return _NAN_COMPLEX


def power(x: complex, y: complex) -> complex:
    """x^y where Python's ** overflowed or divided by zero: e^(y log x), the
    definition R7RS gives (and C's cpow computes), so an overflowing part is
    an infinity: (expt 10.0+0.0i 400) is +inf.0+0.0i."""
    return exp(y * log(x))


def _nan_on_error(fn):
    def safe(z: complex) -> complex:
        try:
            return fn(z)
        except (ValueError, OverflowError):
            return _NAN_COMPLEX
    safe.__name__ = fn.__name__
    return safe


# These overflow nowhere and have no pole at a finite argument.
tan = _nan_on_error(cmath.tan)
asin = _nan_on_error(cmath.asin)
acos = _nan_on_error(cmath.acos)
