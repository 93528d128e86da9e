"""Fuzzers for the reader and the number syntax (issue 17).

Three fuzzers, each with its corpus (tests/fuzz/corpus/NAME/):

- reader_bytes: random bytes, decoded as the file loader would see them if
  it let undecodable bytes through (surrogateescape);
- reader_mutants: the conformance programs with characters and bytes
  inserted, deleted and replaced: Unicode whitespace, NUL and other control
  characters, `#`, quotes, parentheses, datum labels, escapes;
- numbers: text built from the R7RS number grammar (prefixes, signs,
  decimals, exponents with every marker, rationals, huge exponents,
  inf/nan, complex forms) and garbage around it.

A case passes when only SX errors come out, within the time limit. The
reader cases also check that reading a text whole (read_all) and reading it
from a port that delivers it a few characters at a time (`read`) agree, and
that every datum read writes out and reads back equal?. The number cases
check that string->number answers a number or #f, agrees with the reader,
and that number->string of its answer reads back eqv?.
"""

from __future__ import annotations

import math
import os
import zlib
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sx.errors import SchemeError
from sx.intdigits import DIGITS
from sx.numsyntax import number_to_string, parse_number
from sx.printer import write_string
from sx.reader import EOF_OBJECT, WHITESPACE, read_all, read_from_port
from sx.runtime.equality import equal, eqv
from sx.runtime.ports import TextInputPort
from sx.runtime.registry import PRIMITIVES
from sx.values import NUMBER_TYPES, ExactComplex, MString

from .common import FUZZ, check, corpus, deadline

LIMIT = 5   # seconds a case may take

CONFORMANCE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "conformance")


# ------------------------------------------------------------------ reader

class ChunkedPort(TextInputPort):
    """A string port that hands the reader its text a few characters at a
    time, as a file or stdin port does at its chunk boundaries."""

    def __init__(self, text: str, sizes: list) -> None:
        super().__init__("", "<input>")
        self.rest = text
        self.sizes = sizes
        self.turn = 0

    def fill(self) -> bool:
        if not self.rest:
            return False
        n = self.sizes[self.turn % len(self.sizes)]
        self.turn += 1
        self.buf += self.rest[:n]
        self.rest = self.rest[n:]
        return True


def _outcome(read) -> tuple:
    """("ok", texts of the datums) or ("error", message, line, col): any
    other exception fails the case."""
    try:
        return ("ok", [write_string(d) for d in read()])
    except SchemeError as e:
        loc = e.loc or (None, None, None)
        return ("error", str(e), loc[1], loc[2])


def _read_whole(text: str) -> list:
    return [d for d, _ in read_all(text)[0]]


def _read_port(text: str, sizes: list) -> list:
    port = ChunkedPort(text, sizes)
    out = []
    while True:
        d = read_from_port(port)
        if d is EOF_OBJECT:
            return out
        out.append(d)


def read_prop(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    # Chunk sizes 1..8, fixed by the data so a case replays the same way.
    seed = zlib.crc32(data)
    sizes = [1 + (seed >> (3 * i)) % 8 for i in range(8)]
    with deadline(LIMIT):
        whole = _outcome(lambda: _read_whole(text))
        by_port = _outcome(lambda: _read_port(text, sizes))
        assert whole == by_port, (whole, by_port)
        if whole[0] == "ok":
            for d in _read_whole(text):
                written = write_string(d)
                back = read_all(written)[0]
                assert len(back) == 1 and equal(back[0][0], d), (written, write_string(back))


# Bytes that stress the reader, as UTF-8: the Unicode whitespace, control
# characters (NUL, U+001C..U+001F, DEL, C1), undecodable bytes, and the
# characters and tokens with a meaning in the syntax.
SPECIAL = [c.encode() for c in WHITESPACE] + [
    bytes([b]) for b in (0, 1, 8, 0x1c, 0x1d, 0x1e, 0x1f, 0x7f, 0x80, 0xc2, 0xed, 0xff)
] + [c.encode() for c in "\u0085\u200b\ufeff\U0010ffff"] + [
    t.encode() for t in (
        "#", "(", ")", "[", "]", "'", "`", ",", ",@", '"', "|", ";", "\\", ".", " . ",
        "#(", "#u8(", "#;", "#|", "|#", "#!fold-case", "#!no-fold-case", "#!eof",
        "#0=", "#0#", "#1=", "#1#", "#00=", "#12345678901234567890=",
        "#\\", "#\\x", "#\\x110000", "#\\xD800", "#\\xFFFFFFFFFFFF", "#\\space", "\\x41;",
        "\\xFFFFFFFFF;", "#t", "#false", "#e", "#i", "#x", "#e1e99999999", "1e99999999",
        "1/0", "+inf.0", "-nan.0", "1+2i", ":kw", "||", "\\\n", "\r\n",
    )]


@st.composite
def mutants(draw) -> bytes:
    name = draw(st.sampled_from(SEEDS))
    with open(os.path.join(CONFORMANCE, name), "rb") as fh:
        data = bytearray(fh.read())
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(("insert", "delete", "replace", "byte")))
        piece = draw(st.sampled_from(SPECIAL))
        if op == "insert":
            data[at:at] = piece
        elif op == "delete":
            data[at:at + draw(st.integers(1, 8))] = b""
        elif op == "replace":
            data[at:at + len(piece)] = piece
        else:
            data[at:at + 1] = bytes([draw(st.integers(0, 255))])
    return bytes(data)


def _seeds() -> list:
    out = []
    for root, _, files in os.walk(CONFORMANCE):
        for f in files:
            if f.endswith(".sx"):
                out.append(os.path.relpath(os.path.join(root, f), CONFORMANCE))
    return sorted(out)


SEEDS = _seeds()

# Random bytes: mostly ASCII syntax, with the special pieces mixed in.
_SYNTAX = st.sampled_from([bytes([b]) for b in b"()[]#'`,@\"|;\\. abcxe019+-/=!u\n\t"])
random_bytes = st.one_of(
    st.binary(max_size=200),
    st.lists(st.one_of(_SYNTAX, st.sampled_from(SPECIAL)), max_size=60).map(b"".join),
)


@FUZZ
@given(random_bytes)
def test_reader_on_random_bytes(data):
    check("reader_bytes", data, read_prop)


@FUZZ
@given(mutants())
def test_reader_on_mutated_programs(data):
    check("reader_mutants", data, read_prop)


def test_reader_corpus():
    for name in ("reader_bytes", "reader_mutants"):
        for fn, data in corpus(name):
            read_prop(data)


# ----------------------------------------------------------------- numbers

STRING_TO_NUMBER = PRIMITIVES["string->number"].fn


def number_prop(data: bytes) -> None:
    """data is b"RADIX:TEXT"."""
    radix_text, _, raw = data.partition(b":")
    radix = int(radix_text)
    text = raw.decode("utf-8", "surrogateescape")
    with deadline(LIMIT):
        try:
            n = STRING_TO_NUMBER(MString(text), radix)
        except SchemeError:
            n = None          # refused (an exact number too large)
        assert n is None or n is False or type(n) in NUMBER_TYPES, n
        if radix == 10:
            read = _outcome(lambda: _read_whole(text))
            if n is None:
                assert read[0] == "error", (text, read)
            elif n is not False:
                assert read == ("ok", [write_string(n)]), (text, read)
        if n is not None and n is not False:
            back = parse_number(number_to_string(n))
            assert eqv(back, n), (text, n, back)
            if type(n) in (int, Fraction, ExactComplex):   # exact numbers print in any radix
                back = parse_number(number_to_string(n, radix), radix)
                assert eqv(back, n), (text, radix, n, back)


_SIGN = st.sampled_from(["", "+", "-"])


def _digits(radix: int, max_size: int = 12):
    alphabet = DIGITS[:radix] + DIGITS[10:radix].upper()
    return st.one_of(
        st.text(alphabet=alphabet, min_size=1, max_size=max_size),
        st.integers(1, 3000).map(lambda n: "7" * n if radix > 7 else "1" * n),
    )


_EXPONENT = st.tuples(
    st.sampled_from("eEsSfFdDlL"), _SIGN,
    st.one_of(_digits(10, 4), st.sampled_from(
        ["99999999", "100000", "100001", "0" * 40 + "7", "9" * 400, "310", "324"])),
).map("".join)


def _ureal(radix: int):
    uint = _digits(radix)
    forms = [uint, st.tuples(uint, st.just("/"), uint).map("".join)]
    if radix == 10:
        frac = st.one_of(st.just(""), _digits(10))
        forms.append(st.tuples(
            st.one_of(
                st.tuples(uint, st.just("."), frac).map("".join),
                st.tuples(st.just("."), uint).map("".join),
                uint),
            st.one_of(st.just(""), _EXPONENT)).map("".join))
    return st.one_of(*forms)


_INFNAN = st.sampled_from(["+inf.0", "-inf.0", "+nan.0", "-nan.0", "+INF.0", "-NaN.0"])


def _real(radix: int):
    return st.one_of(st.tuples(_SIGN, _ureal(radix)).map("".join), _INFNAN)


def _complex(radix: int):
    real = _real(radix)
    signed = st.one_of(st.tuples(st.sampled_from("+-"), _ureal(radix)).map("".join), _INFNAN)
    return st.one_of(
        real,
        st.tuples(real, st.just("@"), real).map("".join),
        st.tuples(st.one_of(st.just(""), real), st.one_of(signed, st.sampled_from("+-")),
                  st.sampled_from("iI")).map("".join),
    )


@st.composite
def numeric_text(draw) -> bytes:
    radix = draw(st.sampled_from([10, 10, 10, 2, 8, 16, 3, 36]))
    body_radix = radix
    prefix = ""
    for _ in range(draw(st.integers(0, 2))):
        p = draw(st.sampled_from(["#e", "#i", "#x", "#b", "#o", "#d", "#E", "#X", "#q"]))
        prefix += p
        body_radix = {"x": 16, "b": 2, "o": 8, "d": 10}.get(p[1].lower(), body_radix)
    if draw(st.booleans()):   # now and then, digits of the wrong radix
        body_radix = draw(st.sampled_from([2, 10, 16, 36]))
    text = prefix + draw(_complex(body_radix))
    for _ in range(draw(st.integers(0, 2))):   # garbage
        at = draw(st.integers(0, len(text)))
        # (a lone surrogate only as an undecodable byte would give one)
        junk = draw(st.one_of(
            st.sampled_from(list("#+-./@eEiI09xaz_ ") + ["\u00a0", "\x00", "٣", "\udcff"]),
            st.characters(blacklist_categories=("Cs",))))
        text = text[:at] + junk + text[at + draw(st.integers(0, 1)):]
    return f"{radix}:{text}".encode("utf-8", "surrogateescape")


@FUZZ
@given(numeric_text())
def test_numbers(data):
    check("numbers", data, number_prop)


def test_numbers_corpus():
    for fn, data in corpus("numbers"):
        number_prop(data)


# ----------------------------------------------------------------- number values

def _exact_real():
    ratios = st.fractions().map(lambda q: q.numerator if q.denominator == 1 else q)
    return st.one_of(st.integers(), ratios)


_FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0]))

numbers = st.one_of(
    _exact_real(),
    _FLOATS,
    # exact complex numbers (their imaginary part never 0), units among them
    st.tuples(_exact_real(), st.one_of(_exact_real(), st.sampled_from([1, -1])))
      .filter(lambda p: p[1] != 0).map(lambda p: ExactComplex(*p)),
    st.builds(complex, _FLOATS, _FLOATS),
)


@FUZZ
@given(numbers, st.sampled_from([10, 10, 2, 8, 16]))
def test_number_string_round_trip(z, radix):
    """(string->number (number->string z)) is eqv? to z, and so is what the
    reader makes of the text (exact numbers in any radix: R7RS 6.2.7)."""
    text = number_to_string(z)
    assert eqv(STRING_TO_NUMBER(MString(text)), z), (z, text)
    assert len(read := _read_whole(text)) == 1 and eqv(read[0], z), (z, text)
    if type(z) in (int, Fraction, ExactComplex):
        text = number_to_string(z, radix)
        assert eqv(STRING_TO_NUMBER(MString(text), radix), z), (z, radix, text)
