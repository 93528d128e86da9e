"""JSON: an SX extension for the web library, on Python's json module.

    (json->sx string)   JSON text -> an SX value
    (sx->json value)    an SX value -> compact JSON text

The mapping (the web library's contract, src/sx/serve/lib/):

    JSON            SX
    object    <->   dict with string keys (sx->json also takes symbol and
                    keyword keys, written as their names: a database row is
                    a dict keyed by column symbols)
    array     <->   vector (sx->json also takes a proper list)
    string    <->   string
    integer   <->   exact integer
    float     <->   flonum (not NaN or an infinity: JSON has neither)
    true/false <->  #t/#f
    null      <->   the symbol `null`

Anything else (a character, another symbol, a rational, a procedure...) is
an SX error naming the value. A duplicated object key keeps its last value,
as in Python and JavaScript.

Nesting is bounded (MAX_DEPTH) both ways: Python's C decoder and encoder
recurse on the C stack, and with the recursion limit SX sets (machine/
errors.py) a deeply nested text would crash the process instead of raising.
The same bound catches circular SX data.
"""

from __future__ import annotations

import json
import math
import re

from ..errors import error
from ..values import NIL, Dict, Keyword, MString, Pair, Symbol, intern
from .equality import equal_key
from .lists import to_pylist
from .registry import primitive
from .strings import check_string

MAX_DEPTH = 1000

NULL = intern("null")

# Python's decoder accepts a lone surrogate escape ("\ud800"); an SX
# string cannot hold one.
_SURROGATE = re.compile("[\ud800-\udfff]")
# The tokens that matter for nesting: a string literal (skipped: its
# brackets are text), or a bracket. An unterminated string runs to the end
# (the optional closing quote), so no match is ever retried: one linear pass.
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.S)


# ---------------------------------------------------------------- json->sx

@primitive("json->sx")
def json_to_sx(text):
    s = check_string("json->sx", text)
    _check_depth(s)
    try:
        value = json.loads(s, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        error(f"json->sx: invalid JSON at line {e.lineno} column {e.colno}: {e.msg}")
    except ValueError as e:     # NaN/Infinity, an integer of too many digits
        error(f"json->sx: invalid JSON: {e}")
    return _to_sx(value)


def _check_depth(s: str) -> None:
    """Refuse text nested deeper than MAX_DEPTH before the C decoder sees it.
    Text with few brackets cannot be that deep: only long ones are scanned."""
    if s.count("[") + s.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for m in _NESTING.finditer(s):
        c = m.group()[0]
        if c == "[" or c == "{":
            depth += 1
            if depth > MAX_DEPTH:
                error(f"json->sx: invalid JSON: nested deeper than {MAX_DEPTH} levels")
        elif c != '"':
            depth -= 1


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class _Object(list):
    """An object's (key, value) pairs, in order, until _to_sx makes a dict."""


def _pairs(pairs):
    return _Object(pairs)


def _to_sx(v):
    t = type(v)
    if t is str:
        return _string(v)
    if t is _Object:
        table = {}
        for k, x in v:
            key = _string(k)
            table[equal_key(key, "json->sx")] = (key, _to_sx(x))   # the last duplicate wins
        return Dict(table)
    if t is list:
        return [_to_sx(x) for x in v]
    if v is None:
        return NULL
    return v        # bool, int, float


def _string(s: str) -> MString:
    if _SURROGATE.search(s):
        error("json->sx: invalid JSON: a lone surrogate in a string:",
              MString(s.encode("utf-8", "backslashreplace").decode("ascii")))
    return MString(s)


# ---------------------------------------------------------------- sx->json

@primitive("sx->json")
def sx_to_json(value):
    py = _to_py(value, 0)
    try:
        return MString(json.dumps(py, separators=(",", ":"), ensure_ascii=False,
                                  allow_nan=False, check_circular=False))
    except ValueError as e:     # an integer of too many digits for Python's str()
        error(f"sx->json: cannot write the value: {e}")


def _to_py(v, depth: int):
    t = type(v)
    if t is MString:
        return v.s
    if t is bool or t is int:
        return v
    if t is float:
        if math.isnan(v) or math.isinf(v):
            error("sx->json: JSON has no form for", v)
        return v
    if v is NULL:
        return None
    if t is Dict or t is list or t is Pair or v is NIL:
        depth += 1
        if depth > MAX_DEPTH:
            error(f"sx->json: data nested deeper than {MAX_DEPTH} levels (or circular)")
        if t is Dict:
            return {_key(k): _to_py(x, depth) for k, x in v.table.values()}
        items = v if t is list else to_pylist("sx->json", v)
        return [_to_py(x, depth) for x in items]
    error("sx->json: JSON has no form for", v)


def _key(k) -> str:
    t = type(k)
    if t is MString:
        return k.s
    if t is Symbol or t is Keyword:
        return k.name
    error("sx->json: an object key must be a string or a symbol, got", k)
