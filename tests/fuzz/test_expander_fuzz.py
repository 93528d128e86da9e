"""Fuzzer for the expander (issue 17): random programs, well-formed as data
and mostly wrong as syntax (syntax_gen.py), run under the CEK and the VM.

A case passes when, in each tier, reading, expanding and compiling every
form ends within the time limit with success or an SX error (nothing else:
no TypeError, RecursionError, ...), and the two tiers agree on everything:
the output, the value, the error message and its location.

Generated programs cannot call what they define by name, but breaking
forms at random can still, rarely, make one that loops while it runs. A
run that is still going after RUN_LIMIT is "loops", an outcome like any
other, which both tiers must share; only expansion must never hang.
Corpus: tests/fuzz/corpus/expander/.
"""

from __future__ import annotations

import io
import os
from contextlib import redirect_stdout

from hypothesis import given

from sx.api import Runtime, system_environment
from sx.errors import SchemeError
from sx.expander.libraries import LIBRARIES
from sx.printer import write_string
from sx.reader import read_all
from sx.report import format_error
from sx.values import UNSPECIFIED, MultipleValues

from .common import FUZZ, Hang, check, corpus, deadline
from .syntax_gen import program

NAME = "expander"
LIMIT = 5        # seconds to read and expand a form: past it, the expander hangs
RUN_LIMIT = 2    # seconds to run a form: past it, the program loops
# the tiers compared: the CEK (the oracle) and the VM; SX_FUZZ_TIERS=cek,vm,py for more
TIERS = tuple(os.environ.get("SX_FUZZ_TIERS", "cek,vm").split(","))

system_environment()    # built once, before hypothesis notes the recursion limit


def _value(v) -> str:
    if v.__class__ is MultipleValues:
        return " ".join(write_string(x) for x in v.vals)
    return write_string(v)


def _outcome(text: str, tier: str) -> tuple:
    """What running `text` under `tier` gives: ("ok", value) or ("error",
    first line of the report) or ("loops",), and the output."""
    LIBRARIES.clear()       # a define-library of one case is not seen by the next
    out = io.StringIO()
    with redirect_stdout(out):
        rt = Runtime(tier)
        try:
            with deadline(LIMIT):
                forms, srcmap = read_all(text, "fuzz.sx")
            ex = rt.expander(srcmap, "fuzz.sx")
            value = UNSPECIFIED
            for datum, loc in forms:
                with deadline(LIMIT):
                    node = rt.analyse(ex.toplevel(datum, rt.env, loc))
                try:
                    with deadline(RUN_LIMIT):
                        value = rt.machine.run(node)
                except Hang:
                    return ("loops",), out.getvalue()
            return ("ok", _value(value)), out.getvalue()
        except SchemeError as e:
            return ("error", format_error(e).splitlines()[0]), out.getvalue()


def prop(data: bytes) -> None:
    text = data.decode("utf-8")
    results = {tier: _outcome(text, tier) for tier in TIERS}
    first = results[TIERS[0]]
    for tier in TIERS[1:]:
        assert results[tier] == first, (text, results)


@FUZZ
@given(program())
def test_expander_fuzz(text):
    check(NAME, text.encode("utf-8"), prop)


def test_expander_corpus():
    for name, data in corpus(NAME):
        prop(data)
