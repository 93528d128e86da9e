"""Fuzzer: the SOM lexer and parser (guests/som/src/lexer.sx, parser.sx,
written in SX) on mutated .som files.

One case is one text: a .som file of guests/som (the seeds) with a few
mutations (bytes deleted, inserted, duplicated or replaced; SOM tokens and
bytes that are not UTF-8 inserted), or a short piece of random SOM tokens.
It is parsed as a class (`som-parse-class`, what loading a class does) and
its first line as REPL statements (`som-parse-method`, what the REPL does),
in one Runtime (tier auto) with SOM loaded, shared by every case. The text
is the bytes decoded with U+FFFD for what is not UTF-8, as SX strings hold
no undecodable bytes (reading such a file is a file error: test_hostile_entry).

A case passes when each parse answers or raises an SX error (SchemeError:
a SOM syntax error, or any other SX condition) within LIMIT seconds: no
other Python exception, no hang.
"""

from __future__ import annotations

import glob
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sx.api import Runtime
from sx.errors import SchemeError
from sx.values import MString

from .common import FUZZ, check, corpus, deadline

LIMIT = 5   # seconds a case may take
SOM = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                   "guests", "som")
SEEDS = sorted(glob.glob(os.path.join(SOM, "**", "*.som"), recursive=True))
TOKENS = [b"(", b")", b"[", b"]", b"|", b"^", b":=", b"'", b'"', b"#", b"#(", b"----", b"---",
          b"primitive", b"=", b":", b".", b"$", b"-", b"1", b"1.5", b"1e400", b"-0", b"#foo:bar:",
          b"x:", b"super", b"self", b"nil", b"Object", b"\\", b"\t", b"\n", b"\xc2\xa0",
          b"\xff", b"\xe2\x80\xa8", b"\x00", b"12345678901234567890", b"#'s'", b"''''"]

_runtime = None


def runtime() -> Runtime:
    """One runtime with SOM loaded, for every case (loading takes ~0.2 s)."""
    global _runtime
    if _runtime is None:
        from sx.guests.som import launcher
        rt = Runtime("auto")
        launcher.load(rt)
        _runtime = rt
    return _runtime


def prop(data: bytes) -> None:
    rt = runtime()
    text = data.decode("utf-8", "replace")
    first = text.split("\n", 1)[0]
    for entry, source in (("som-parse-class", text), ("som-parse-method", f"doIt = ( {first}\n)")):
        with deadline(LIMIT):
            try:
                rt.call(rt.lookup(entry), MString(source), MString("fuzz.som"))
            except SchemeError:
                pass     # a syntax error, or any other SX error: what is allowed


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


mutation = st.tuples(
    st.sampled_from(["delete", "insert", "token", "duplicate", "replace"]),
    st.floats(0, 1), st.integers(0, 40), st.binary(max_size=8), st.sampled_from(TOKENS))


def mutate(data: bytes, edits) -> bytes:
    for kind, where, size, payload, token in edits:
        i = int(where * len(data))
        if kind == "delete":
            data = data[:i] + data[i + size:]
        elif kind == "insert":
            data = data[:i] + payload + data[i:]
        elif kind == "token":
            data = data[:i] + token + data[i:]
        elif kind == "duplicate":
            data = data[:i] + data[i:i + size] + data[i:]
        else:
            data = data[:i] + payload + data[i + len(payload):]
    return data


case = st.one_of(
    st.builds(mutate, st.sampled_from(SEEDS).map(_read), st.lists(mutation, min_size=1, max_size=6)),
    st.lists(st.sampled_from(TOKENS), max_size=30).map(b" ".join),
)


# (tier 2 raises the Python recursion limit while the first case runs)
@pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")
@FUZZ
@given(case)
def test_som_parser(data):
    check("som", data, prop)


@pytest.mark.parametrize("name,data", corpus("som"))
def test_som_corpus(name, data):
    prop(data)


def test_the_seeds_parse():
    """The unmutated files are valid: every mutant starts from a real class."""
    rt = runtime()
    for path in SEEDS:
        text = _read(path).decode("utf-8")
        rt.call(rt.lookup("som-parse-class"), MString(text), MString(path))
