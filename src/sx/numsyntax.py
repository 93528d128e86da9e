"""Number syntax: the text of a number read (`parse_number`, which the reader
and string->number share) and written (`number_to_string`, which the printer
and number->string share).

It sits at the bottom of the package, beside values.py, so that the reader and
the printer need nothing from the primitives. The conversions the syntax needs
between exact and inexact numbers (`normalise_exact`, `to_float`,
`to_inexact`, `polar`) are defined here once; the numeric primitives in
runtime/numbers.py use the same functions, so a number read and a number
computed follow one set of rules.

Representation (values.py): exact integer = int, exact non-integer = Fraction
(always normalised: an integral result is an int), inexact real = float,
non-real = Python complex, whose parts are floats, so SX has no exact
non-real numbers: `1+2i` reads as an inexact complex, and `#e1+2i` is not a
number.
"""

from __future__ import annotations

import cmath
import math
import re
import sys
from fractions import Fraction

from .errors import error, wrong_type

# R7RS integers have no size limit, but CPython refuses by default to convert
# ints of more than 4300 digits to or from decimal text (a DoS guard that would
# make (factorial 2000) unprintable). Lifted process-wide.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)

_INF = math.inf
_NAN = math.nan


# ---------------------------------------------------------------- exactness

def normalise_exact(r):
    """Normalise an exact result: an integral Fraction becomes an int."""
    if type(r) is Fraction and r.denominator == 1:
        return r.numerator
    return r


def to_float(x) -> float:
    """Exact -> inexact. CPython raises OverflowError for huge exact numbers;
    Scheme saturates to an infinity."""
    try:
        return float(x)
    except OverflowError:
        return _INF if x > 0 else -_INF


def to_inexact(x):
    """The inexact number equal (or nearest) to x; a complex is already inexact."""
    return x if type(x) is complex else to_float(x)


# ---------------------------------------------------------------- reading

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _build_patterns(radix: int):
    """(real, rectangular, polar) regexes for `radix`, per R7RS 7.1.1."""
    uint = "[" + _DIGITS[:radix] + "]+"
    ureal = f"{uint}/{uint}|{uint}"
    if radix == 10:   # decimals exist only in radix 10
        ureal = rf"{uint}/{uint}|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?"
    naninf = r"inf\.0|nan\.0"
    real = rf"(?:[+-]?(?:{ureal})|[+-](?:{naninf}))"
    flags = re.IGNORECASE | re.ASCII   # ASCII: no Unicode digits or case folds
    return (re.compile(real, flags),
            re.compile(rf"({real})?([+-])({ureal}|{naninf})?i", flags),
            re.compile(rf"({real})@({real})", flags))


_PATTERNS = {r: _build_patterns(r) for r in (2, 8, 10, 16)}
_PREFIX_RADIX = {"x": 16, "b": 2, "o": 8, "d": 10}
_START10 = frozenset("0123456789+-.#")   # what a radix-10 number can start with


def parse_number(text: str, radix: int = 10):
    """The number `text` denotes, or None if it is not a number."""
    if radix == 10:
        c = text[:1]
        if c not in _START10:       # most symbols are rejected here
            return None
        if text.isascii() and (text.isdigit() or (c in "+-" and text[1:].isdigit())):
            return int(text)
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
    try:
        # Parts are read exactly when written exactly and made inexact only
        # at the end, so `#i1+0i` still sees an exact zero imaginary part.
        v = _parse_body(text[i:], radix, "e" if exactness == "e" else None)
    except (ValueError, ZeroDivisionError):   # defensive: never raise on bad text
        return None
    return to_inexact(v) if exactness == "i" and v is not None else v


def _parse_body(body: str, radix: int, exactness):
    pats = _PATTERNS.get(radix)
    if pats is None:
        pats = _PATTERNS[radix] = _build_patterns(radix)
    real_re, rect_re, polar_re = pats
    if real_re.fullmatch(body):
        return _real_value(body, radix, exactness)
    m = rect_re.fullmatch(body)
    if m:
        re_text, sign, im_text = m.groups()
        re_val = 0 if re_text is None else _real_value(re_text, radix, exactness)
        im_val = _real_value(sign + (im_text or "1"), radix, exactness)
        if re_val is None or im_val is None:
            return None
        return _make_rect(re_val, im_val, exactness)
    m = polar_re.fullmatch(body)
    if m:
        mag = _real_value(m.group(1), radix, exactness)
        ang = _real_value(m.group(2), radix, exactness)
        if mag is None or ang is None:
            return None
        if type(ang) is int and ang == 0:
            return mag
        if exactness == "e":
            return None
        return polar(mag, ang)
    return None


def _real_value(s: str, radix: int, exactness):
    """Value of a string already matched as <real R>; None if unrepresentable.
    `exactness` is "e" (read decimals exactly) or None."""
    neg = s[0] == "-"
    body = s[1:] if s[0] in "+-" else s
    low = body.lower()
    if low == "inf.0" or low == "nan.0":
        if exactness == "e":
            return None
        v = _INF if low == "inf.0" else _NAN
        return -v if neg else v
    if "/" in body:
        n, d = body.split("/")
        den = int(d, radix)
        if den == 0:
            return None
        v = normalise_exact(Fraction(int(n, radix), den))
    elif radix == 10 and ("." in body or "e" in low):
        if exactness != "e":
            return float(s)    # CPython rounds correctly; overflow gives inf
        v = _exact_decimal(low)
    else:
        v = int(body, radix)
    return -v if neg else v


def _exact_decimal(low: str):
    """#e1.5e-3 computed exactly from the digits, never through a float."""
    mant, _, exp = low.partition("e")
    whole, _, frac = mant.partition(".")
    n = int((whole + frac) or "0")
    p = int(exp or "0") - len(frac)
    return n * 10 ** p if p >= 0 else normalise_exact(Fraction(n, 10 ** -p))


def _make_rect(re_val, im_val, exactness):
    if type(im_val) is int and im_val == 0:
        return re_val
    if exactness == "e":      # no exact non-real numbers in SX
        return None
    return complex(to_float(re_val), to_float(im_val))


def polar(mag, ang):
    """The complex number with magnitude `mag` and angle `ang` (both real)."""
    try:
        return cmath.rect(to_float(mag), to_float(ang))
    except (ValueError, OverflowError):
        return complex(_NAN, _NAN)


# ---------------------------------------------------------------- printing

_FORMAT = {2: "b", 8: "o", 16: "x"}


def _int_str(n: int, radix: int) -> str:
    if radix == 10:
        return str(n)
    f = _FORMAT.get(radix)
    if f is not None:
        return format(n, f)
    sign, n = ("-", -n) if n < 0 else ("", n)
    out = []
    while True:
        n, d = divmod(n, radix)
        out.append(_DIGITS[d])
        if n == 0:
            return sign + "".join(reversed(out))


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


def number_to_string(x, radix: int = 10) -> str:
    t = type(x)
    if t is int:
        return str(x) if radix == 10 else _int_str(x, radix)
    if t is Fraction:
        return _int_str(x.numerator, radix) + "/" + _int_str(x.denominator, radix)
    if t is float or t is complex:
        if radix != 10:
            error("number->string: inexact numbers can only be written in radix 10:", x)
        return _float_str(x) if t is float else _complex_str(x)
    wrong_type("number->string", "a number", x)
