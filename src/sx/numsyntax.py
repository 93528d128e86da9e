"""Number syntax: the text of a number read (`parse_number`, which the reader
and string->number share) and written (`number_to_string`, which the printer
and number->string share).

It sits at the bottom of the package, beside values.py, so that the reader and
the printer need nothing from the primitives. The conversions the syntax needs
between exact and inexact numbers (`to_float`, `to_inexact`, `polar`; and
values.py's `normalise_exact` and `rect`) are defined once; the numeric
primitives in runtime/numbers.py use the same functions, so a number read and
a number computed follow one set of rules.

Representation (values.py): exact integer = int, exact non-integer = Fraction
(always normalised: an integral result is an int), inexact real = float,
exact non-real = ExactComplex (`1+2i`, `1/2-i`), inexact non-real = Python
complex (`1.0+2.0i`). A complex number is all exact or all inexact: a literal
with one inexact part (`1+2.0i`) is an inexact complex, as in Chez Scheme.
"""

from __future__ import annotations

import cmath
import math
import re
import sys
from fractions import Fraction

from .errors import error, wrong_type
from .intdigits import DIGITS, SMALL_BITS, digits_to_int, int_to_digits
from .values import ExactComplex, normalise_exact, rect

# R7RS integers have no size limit, but CPython refuses by default to convert
# ints of more than 4300 digits to or from decimal text (a DoS guard that would
# make (factorial 2000) unprintable). Lifted process-wide.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

_INF = math.inf
_NAN = math.nan
_EXACT_REAL = (int, Fraction)


# ---------------------------------------------------------------- exactness

def to_float(x) -> float:
    """Exact -> inexact. CPython raises OverflowError for huge exact numbers;
    Scheme saturates to an infinity."""
    try:
        return float(x)
    except OverflowError:
        return _INF if x > 0 else -_INF


def to_inexact(x):
    """The inexact number equal (or nearest) to x."""
    t = type(x)
    if t is complex:
        return x
    if t is ExactComplex:
        return complex(to_float(x.real), to_float(x.imag))
    return to_float(x)


# ---------------------------------------------------------------- reading
#
# Linear in the length of the text: the structure of a complex number is
# found by hand (at most five ways to split it are tried), and its pieces are
# matched by regular expressions that cannot backtrack. The regular
# expressions for whole numbers this replaces backtracked quadratically or
# worse on text that almost matches (`111...1+111...1x`: 30 s at 2000
# characters).

_PREFIX_RADIX = {"x": 16, "b": 2, "o": 8, "d": 10}
_START10 = frozenset("0123456789+-.#")   # what a radix-10 number can start with

# The largest exponent (after `e`, or `s f d l`) of an exact decimal:
# `#e1e100000` is an int of 100001 digits, computed in milliseconds;
# `#e1e99999999` would take minutes and 40 MB, so it is refused (inexact,
# `1e99999999` is +inf.0).
MAX_EXACT_EXPONENT = 100_000

# <decimal 10> without its sign, possessive (`++`) so that a failed match
# never backtracks: digits [. digits] | . digits, then [marker [sign] digits].
# R7RS requires only the exponent marker `e`; `s f d l` (short, single,
# double and long precision in R5RS and R6RS, which other Schemes still
# read) are accepted too, and all mean the one flonum precision SX has.
_DECIMAL = re.compile(r"(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)(?P<exp>[esfdl][+-]?+[0-9]++)?+",
                      re.IGNORECASE | re.ASCII)
_UINT: dict = {}   # radix -> compiled [digits]+


class NumberTooLarge(ValueError):
    """An exact number whose exponent is past MAX_EXACT_EXPONENT. The reader
    reports it as a located read error, string->number as an error."""

    message = f"exact number too large (exponent beyond {MAX_EXACT_EXPONENT}):"

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


def _uint(radix: int):
    pat = _UINT.get(radix)
    if pat is None:
        pat = _UINT[radix] = re.compile(f"[{DIGITS[:radix]}]+", re.IGNORECASE | re.ASCII)
    return pat


def parse_number(text: str, radix: int = 10):
    """The number `text` denotes, or None if it is not a number. Raises
    NumberTooLarge for an exact number past MAX_EXACT_EXPONENT."""
    if radix == 10:
        c = text[:1]
        if c not in _START10:       # most symbols are rejected here
            return None
        if text.isascii() and (text.isdigit() or (c in "+-" and text[1:].isdigit())):
            return digits_to_int(text)
    exactness = None
    seen_radix = False
    i = 0
    while text.startswith("#", i):
        p = text[i + 1:i + 2].lower()
        if p in _PREFIX_RADIX and not seen_radix:
            radix, seen_radix = _PREFIX_RADIX[p], True
        elif p in ("e", "i") and exactness is None:
            exactness = p
        else:
            return None
        i += 2
    # Parts are read exactly when written exactly and made inexact only at
    # the end, so `#i1+0i` still sees an exact zero imaginary part.
    v = _complex(text[i:], radix, exactness == "e", text)
    return to_inexact(v) if exactness == "i" and v is not None else v


def _complex(body: str, radix: int, exact: bool, text: str):
    """<complex R> (R7RS 7.1.1): real | real@real | [real]±[ureal|infnan]i."""
    v = _real(body, radix, exact, text)
    if v is not None or not body:
        return v
    at = body.find("@")
    if at != -1:
        mag = _real(body[:at], radix, exact, text)
        ang = _real(body[at + 1:], radix, exact, text)
        if mag is None or ang is None:
            return None
        if type(ang) is int and ang == 0:
            return mag
        return None if exact else polar(mag, ang)
    if body[-1] not in "iI":
        return None
    inner = body[:-1]
    # The imaginary part starts at a sign. A complex holds at most four
    # (two parts, two exponents), so at most four places are tried, the
    # last first (the longest real part, as a greedy match would).
    signs = [k for k, ch in enumerate(inner) if ch in "+-"]
    if not signs or len(signs) > 4:
        return None
    for k in reversed(signs):
        re_val = 0 if k == 0 else _real(inner[:k], radix, exact, text)
        if re_val is None:
            continue
        im_text = inner[k:]
        im_val = (1 if im_text == "+" else -1) if len(im_text) == 1 else \
            _real(im_text, radix, exact, text)
        if im_val is not None:
            return make_rectangular(re_val, im_val)
    return None


def _real(s: str, radix: int, exact: bool, text: str):
    """The value of <real R> `s`, or None if `s` is not one (or is not
    representable: an exact infinity, a zero denominator)."""
    signed = s[:1] in ("+", "-")
    neg = s[:1] == "-"
    body = s[1:] if signed else s
    if not body:
        return None
    if len(body) == 5 and body[3] == "." and body.lower() in ("inf.0", "nan.0"):
        if not signed or exact:      # infnan needs its sign; no exact infinity
            return None
        v = _INF if body[0] in "iI" else _NAN
        return -v if neg else v
    uint = _uint(radix)
    if "/" in body:
        n, _, d = body.partition("/")
        if not (uint.fullmatch(n) and uint.fullmatch(d)):
            return None
        den = digits_to_int(d, radix)
        if den == 0:
            return None
        v = normalise_exact(Fraction(digits_to_int(n, radix), den))
    elif uint.fullmatch(body):
        v = digits_to_int(body, radix)
    else:
        m = _DECIMAL.fullmatch(body) if radix == 10 else None
        if m is None:
            return None
        k = m.start("exp")
        mant, exp_text = (body, "") if k < 0 else (body[:k], body[k + 1:])
        if not exact:
            # CPython rounds correctly, and overflow gives inf; it knows
            # only the marker `e`.
            v = float(mant + "e" + exp_text if exp_text else mant)
        else:
            v = _exact_decimal(mant, exp_text, text)
    return -v if neg else v


def _exact_decimal(mant: str, exp_text: str, text: str):
    """#e1.5e-3 computed exactly from the digits, never through a float."""
    whole, _, frac = mant.partition(".")
    digits = exp_text.lstrip("+-").lstrip("0")
    # Compare as text first: the exponent itself may be 10^6 digits long.
    if len(digits) > len(str(MAX_EXACT_EXPONENT)) or int(digits or "0") > MAX_EXACT_EXPONENT:
        raise NumberTooLarge(text)
    e = int(digits or "0")
    if exp_text[:1] == "-":
        e = -e
    frac = frac.rstrip("0")          # 1.500 is 15/10: fewer digits to reduce
    n = digits_to_int((whole + frac) or "0")
    p = e - len(frac)
    return n * 10 ** p if p >= 0 else normalise_exact(Fraction(n, 10 ** -p))


def make_rectangular(re_val, im_val):
    """re + im*i for real parts: a real when im is an exact 0 (`1.5+0i` is
    1.5), exact when both parts are, otherwise an inexact complex (`1+2.0i`
    is 1.0+2.0i: SX has no complex with parts of mixed exactness)."""
    if type(im_val) is int and im_val == 0:
        return re_val
    if type(re_val) in _EXACT_REAL and type(im_val) in _EXACT_REAL:
        return rect(re_val, im_val)
    return complex(to_float(re_val), to_float(im_val))


def polar(mag, ang):
    """The complex number with magnitude `mag` and angle `ang` (both real)."""
    try:
        return cmath.rect(to_float(mag), to_float(ang))
    except (ValueError, OverflowError):
        return complex(_NAN, _NAN)


# ---------------------------------------------------------------- printing

def _float_str(x: float) -> str:
    if math.isfinite(x):
        # R7RS 6.2.7: an inexact result shows a decimal point, so Python's
        # 1e+21 / 1e-07 become 1.0e21 / 1.0e-7.
        text = repr(x)
        if "e" in text:
            mant, exp = text.split("e")
            if "." not in mant:
                mant += ".0"
            text = f"{mant}e{int(exp)}"
        return text
    return "+nan.0" if x != x else "+inf.0" if x > 0 else "-inf.0"


def _complex_str(z: complex) -> str:
    im = _float_str(z.imag)
    if im[0] not in "+-":
        im = "+" + im
    # A +0.0 real part is left out (`+2.0i`); it reads back as the same value.
    if z.real == 0 and math.copysign(1.0, z.real) > 0:
        return im + "i"
    return _float_str(z.real) + im + "i"


def _exact_complex_str(z: ExactComplex, radix: int) -> str:
    """`1+2i`, `1/2-3/4i`; an exact zero real part is left out (`+2i`), and
    an imaginary part of 1 or -1 is the sign alone (`+i`, `3-i`), as the
    reader's <complex R> allows. Each part in `radix`, like an exact real.
    Past radix 18 `i` is a digit, and `+i` a real (18): there the real part
    is always written (`0+i`), which no real reads as."""
    im = z.imag
    if im == 1 or im == -1:
        im_text = "+" if im > 0 else "-"
    else:
        im_text = number_to_string(im, radix)
        if im > 0:
            im_text = "+" + im_text
    re_text = "" if z.real == 0 and radix <= 18 else number_to_string(z.real, radix)
    return re_text + im_text + "i"


def number_to_string(x, radix: int = 10) -> str:
    t = type(x)
    if t is int:
        if radix == 10 and x.bit_length() <= SMALL_BITS:   # the common case
            return str(x)
        return int_to_digits(x, radix)
    if t is Fraction:
        return int_to_digits(x.numerator, radix) + "/" + int_to_digits(x.denominator, radix)
    if t is ExactComplex:
        return _exact_complex_str(x, radix)
    if t is float or t is complex:
        if radix != 10:
            error("number->string: inexact numbers can only be written in radix 10:", x)
        return _float_str(x) if t is float else _complex_str(x)
    wrong_type("number->string", "a number", x)
