"""Big integers to and from digit strings in subquadratic time.

CPython 3.11 converts an int to or from decimal text (`str`, `int`), and to
or from any radix that is not a power of two, in quadratic time: 10^6 digits
take ~14 s to print and ~5 s to read, 10^7 digits hours. So past a size the
work is split in halves (divide and conquer) and its cost becomes that of the
few big multiplications at the top:

- int -> text: the int becomes a `decimal.Decimal` by halves in binary
  (n = hi * 2^k + lo), the products computed by libmpdec, whose
  multiplication is asymptotically fast (number-theoretic transform); a
  Decimal prints in linear time. Other radices then split that Decimal by
  powers of the radix (libmpdec divides by Newton iteration).
- text -> int: by halves in the radix (text = hi * r^k + lo), multiplying
  Python ints (Karatsuba).

Radices that are powers of two are linear in CPython already, and small
numbers are fastest through the builtins; both go straight to them.
The halves are split at powers of two (k = 2^j), so the powers each level
needs are few and cached.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

__all__ = ["DIGITS", "SMALL_BITS", "int_to_digits", "digits_to_int"]

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_FORMAT = {2: "b", 8: "o", 16: "x"}
_BUILTIN_RADIX = (2, 4, 8, 16, 32)   # CPython's int(text, r) is linear for these

# Below these sizes the builtins win (measured: at 10^4 digits both take
# under 2 ms; at 10^5 str takes 0.13 s, the split 0.05 s).
SMALL_BITS = 1 << 15         # ~9900 decimal digits
_SMALL_TEXT = 4096            # characters of text read at once by int()
_LEAF_DIGITS = 512            # radix digits of a leaf when printing by halves

# Exact integer arithmetic: precision as large as libmpdec allows, and any
# rounding would be a bug, so it traps.
_CTX = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN,
                       traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation])

_dec_pow2: dict = {}     # j -> Decimal 2^(2^j)
_dec_pow: dict = {}      # (r, j) -> Decimal r^(2^j)
_int_pow: dict = {}      # (r, j) -> int r^(2^j)


def _pow2_dec(j: int) -> Decimal:
    p = _dec_pow2.get(j)
    if p is None:
        p = Decimal(2) if j == 0 else _CTX.multiply(_pow2_dec(j - 1), _pow2_dec(j - 1))
        _dec_pow2[j] = p
    return p


def _pow_dec(r: int, j: int) -> Decimal:
    p = _dec_pow.get((r, j))
    if p is None:
        p = Decimal(r) if j == 0 else _CTX.multiply(_pow_dec(r, j - 1), _pow_dec(r, j - 1))
        _dec_pow[(r, j)] = p
    return p


def _pow_int(r: int, j: int) -> int:
    p = _int_pow.get((r, j))
    if p is None:
        p = r if j == 0 else _pow_int(r, j - 1) ** 2
        _int_pow[(r, j)] = p
    return p


def _to_decimal(n: int) -> Decimal:
    """The Decimal equal to n >= 0."""
    bits = n.bit_length()
    if bits <= SMALL_BITS:
        return Decimal(n)
    j = (bits - 1).bit_length() - 1      # 2^j < bits: hi is never empty
    k = 1 << j
    hi = _to_decimal(n >> k)
    lo = _to_decimal(n & ((1 << k) - 1))
    return _CTX.add(_CTX.multiply(hi, _pow2_dec(j)), lo)


def _small_digits(n: int, radix: int) -> str:
    out = []
    while n:
        n, d = divmod(n, radix)
        out.append(DIGITS[d])
    return "".join(reversed(out))


def _radix_digits(d: Decimal, radix: int, j: int, out: list) -> None:
    """Append to `out` the 2^(j+1) radix digits of d < radix^(2^(j+1)),
    zero-padded on the left."""
    width = 2 << j
    if width <= _LEAF_DIGITS:
        out.append(_small_digits(int(d), radix).rjust(width, "0"))
        return
    q, rem = _CTX.divmod(d, _pow_dec(radix, j))
    _radix_digits(q, radix, j - 1, out)
    _radix_digits(rem, radix, j - 1, out)


def int_to_digits(n: int, radix: int = 10) -> str:
    """The digits of n in `radix` (2..36), lower case, with a `-` if negative."""
    f = _FORMAT.get(radix)
    if f is not None:
        return format(n, f)
    small = n.bit_length() <= SMALL_BITS
    if radix == 10 and small:
        return str(n)
    if n < 0:
        return "-" + int_to_digits(-n, radix)
    if n == 0:
        return "0"
    if small:
        return _small_digits(n, radix)
    d = _to_decimal(n)
    if radix == 10:
        return str(d)
    # Enough digits: radix^(2^(j+1)) > n.
    need = int(n.bit_length() / radix.bit_length()) + 2 if radix > 2 else n.bit_length()
    need = max(need, _LEAF_DIGITS)
    j = max(0, (need - 1).bit_length() - 1)
    while _CTX.compare(_pow_dec(radix, j + 1), d) <= 0:
        j += 1
    out: list = []
    _radix_digits(d, radix, j, out)
    return "".join(out).lstrip("0") or "0"


def _read_halves(text: str, radix: int, odd: int, twos: int, a: int, b: int) -> int:
    """The value of text[a:b]; radix = odd * 2^twos, and hi * radix^k is
    computed as (hi * odd^k) << twos*k: a smaller product (10^k: 5^k)."""
    if b - a <= _SMALL_TEXT:
        return int(text[a:b], radix)
    j = (b - a - 1).bit_length() - 1    # the low half has k = 2^j digits
    k = 1 << j
    m = b - k
    hi = _read_halves(text, radix, odd, twos, a, m)
    lo = _read_halves(text, radix, odd, twos, m, b)
    return ((hi * _pow_int(odd, j)) << (twos * k)) + lo


def digits_to_int(text: str, radix: int = 10) -> int:
    """The int written in `text`: ASCII digits of `radix` with an optional
    sign, already checked by the caller (int() checks the pieces again)."""
    if len(text) <= _SMALL_TEXT or radix in _BUILTIN_RADIX:
        return int(text, radix)
    twos = (radix & -radix).bit_length() - 1
    sign = text[0] in "+-"
    v = _read_halves(text, radix, radix >> twos, twos, 1 if sign else 0, len(text))
    return -v if text[0] == "-" else v
