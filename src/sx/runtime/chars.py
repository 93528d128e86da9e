"""Characters (R7RS 6.6). A Char is interned per code point (make_char), so
char=? on two chars could be `is`; comparisons go through code points
anyway, which also orders them."""

from __future__ import annotations

import unicodedata

from ..errors import bad_range, wrong_type
from ..reader import WHITESPACE
from ..values import Char, make_char
from .registry import primitive

# The Unicode White_Space property, which R7RS names for char-whitespace?;
# the reader takes the same set for whitespace in source, so it is defined
# there once. (Python's str.isspace also accepts U+001C..U+001F, which are not.)
_WHITESPACE_SET = frozenset(WHITESPACE)


def check_char(who: str, x) -> str:
    """The Python one-character str of a Char, or a type error."""
    if type(x) is not Char:
        wrong_type(who, "a character", x)
    return x.c


# ----------------------------------------------------------- case mapping
# R7RS char procedures return one char; where the full Unicode mapping
# gives several (upcase of sharp s is "SS"), the simple mapping is the
# character itself.

def upcase(c: str) -> str:
    u = c.upper()
    return u if len(u) == 1 else c


def downcase(c: str) -> str:
    d = c.lower()
    if len(d) == 1:
        return d
    # A base letter plus combining marks (U+0130 -> "i" + dot above): the
    # simple mapping is the base letter.
    if all(unicodedata.combining(m) for m in d[1:]):
        return d[0]
    return c


def foldcase(c: str) -> str:
    """Simple case folding: casefold when it maps to one char (this folds
    final sigma to sigma), else the lowercase (capital sharp s -> sharp s)."""
    f = c.casefold()
    if len(f) == 1:
        return f
    return downcase(c)


# ------------------------------------------------------------- conversion

@primitive("char?")
def char_p(x):
    return type(x) is Char


@primitive("char->integer")
def char_to_integer(x):
    return ord(check_char("char->integer", x))


@primitive("integer->char")
def integer_to_char(n):
    if type(n) is not int:
        wrong_type("integer->char", "an exact integer", n)
    if n < 0 or n > 0x10FFFF or 0xD800 <= n <= 0xDFFF:
        bad_range("integer->char", n, "not a Unicode scalar value")
    return make_char(chr(n))


# ------------------------------------------------------------ comparisons

def _compare(name: str, key, ok):
    """A variadic (>= 2 arguments) comparison over chars. Every argument is
    type-checked, even after the answer is known."""

    def cmp(a, b, *rest):
        prev = key(check_char(name, a))
        cur = key(check_char(name, b))
        result = ok(prev, cur)
        for x in rest:
            prev, cur = cur, key(check_char(name, x))
            result = result and ok(prev, cur)
        return result

    cmp.__name__ = name
    return cmp


def _ident(c: str) -> str:
    return c


def _ci(c: str) -> str:
    return foldcase(c)


_OPS = {
    "=?": lambda a, b: a == b,
    "<?": lambda a, b: a < b,
    ">?": lambda a, b: a > b,
    "<=?": lambda a, b: a <= b,
    ">=?": lambda a, b: a >= b,
}

for _op, _ok in _OPS.items():
    primitive("char" + _op)(_compare("char" + _op, _ident, _ok))
    primitive("char-ci" + _op)(_compare("char-ci" + _op, _ci, _ok))


# --------------------------------------------------------------- classes

@primitive("char-alphabetic?")
def char_alphabetic_p(x):
    # Unicode Alphabetic = letters + letter numbers (Nl) + Other_Alphabetic;
    # Python knows the first two (Other_Alphabetic marks are not covered).
    c = check_char("char-alphabetic?", x)
    return c.isalpha() or unicodedata.category(c) == "Nl"


@primitive("char-numeric?")
def char_numeric_p(x):
    # R7RS: Numeric_Type=Decimal, i.e. exactly the chars with a digit-value.
    return check_char("char-numeric?", x).isdecimal()


@primitive("char-whitespace?")
def char_whitespace_p(x):
    return check_char("char-whitespace?", x) in _WHITESPACE_SET


@primitive("char-upper-case?")
def char_upper_case_p(x):
    return check_char("char-upper-case?", x).isupper()


@primitive("char-lower-case?")
def char_lower_case_p(x):
    return check_char("char-lower-case?", x).islower()


@primitive("digit-value")
def digit_value(x):
    d = unicodedata.decimal(check_char("digit-value", x), None)
    return False if d is None else d


@primitive("char-upcase")
def char_upcase(x):
    return make_char(upcase(check_char("char-upcase", x)))


@primitive("char-downcase")
def char_downcase(x):
    return make_char(downcase(check_char("char-downcase", x)))


@primitive("char-foldcase")
def char_foldcase(x):
    return make_char(foldcase(check_char("char-foldcase", x)))
