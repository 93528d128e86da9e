"""Bytevectors (R7RS 6.9): Python bytearrays. Every byte stored is checked
to be an exact integer 0..255 (`type(b) is int`, so #t is not a byte)."""

from __future__ import annotations

from ..errors import bad_range, error, wrong_type
from ..values import DEFAULT, UNSPECIFIED, MString
from .checks import check_count, check_destination, check_index, check_range
from .registry import primitive


def check_bytevector(who: str, x) -> bytearray:
    if type(x) is not bytearray:
        wrong_type(who, "a bytevector", x)
    return x


def check_byte(who: str, b) -> int:
    if type(b) is not int:
        wrong_type(who, "a byte (an exact integer 0..255)", b)
    if b < 0 or b > 255:
        bad_range(who, b, "not a byte")
    return b


@primitive("bytevector?")
def bytevector_p(x):
    return type(x) is bytearray


@primitive("make-bytevector")
def make_bytevector(k, fill=0):
    check_count("make-bytevector", k)
    return bytearray([check_byte("make-bytevector", fill)]) * k


@primitive("bytevector")
def bytevector(*items):
    return bytearray([check_byte("bytevector", b) for b in items])


@primitive("bytevector-length")
def bytevector_length(bv):
    return len(check_bytevector("bytevector-length", bv))


@primitive("bytevector-u8-ref")
def bytevector_u8_ref(bv, k):
    check_bytevector("bytevector-u8-ref", bv)
    return bv[check_index("bytevector-u8-ref", k, len(bv))]


@primitive("bytevector-u8-set!")
def bytevector_u8_set(bv, k, b):
    check_bytevector("bytevector-u8-set!", bv)
    check_index("bytevector-u8-set!", k, len(bv))
    bv[k] = check_byte("bytevector-u8-set!", b)
    return UNSPECIFIED


@primitive("bytevector-copy")
def bytevector_copy(bv, start=DEFAULT, end=DEFAULT):
    check_bytevector("bytevector-copy", bv)
    i, j = check_range("bytevector-copy", len(bv), start, end)
    return bv[i:j]


@primitive("bytevector-copy!")
def bytevector_copy_into(to, at, frm, start=DEFAULT, end=DEFAULT):
    """(bytevector-copy! to at from [start [end]]); overlap-safe because
    the source slice is copied before assignment."""
    check_bytevector("bytevector-copy!", to)
    check_bytevector("bytevector-copy!", frm)
    i, j = check_range("bytevector-copy!", len(frm), start, end)
    check_destination("bytevector-copy!", at, j - i, len(to))
    to[at:at + j - i] = frm[i:j]
    return UNSPECIFIED


@primitive("bytevector-append")
def bytevector_append(*bvs):
    out = bytearray()
    for bv in bvs:
        out += check_bytevector("bytevector-append", bv)
    return out


@primitive("utf8->string")
def utf8_to_string(bv, start=DEFAULT, end=DEFAULT):
    check_bytevector("utf8->string", bv)
    i, j = check_range("utf8->string", len(bv), start, end)
    try:
        return MString(bv[i:j].decode("utf-8"))
    except UnicodeDecodeError as e:
        error("utf8->string: invalid UTF-8 at byte", i + e.start)


@primitive("string->utf8")
def string_to_utf8(s, start=DEFAULT, end=DEFAULT):
    if type(s) is not MString:
        wrong_type("string->utf8", "a string", s)
    i, j = check_range("string->utf8", len(s.s), start, end)
    try:
        return bytearray(s.s[i:j].encode("utf-8"))
    except UnicodeEncodeError as e:
        # Only a lone surrogate can get here; integer->char refuses them.
        error("string->utf8: character not encodable in UTF-8 at index", i + e.start)
