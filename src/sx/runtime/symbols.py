"""Symbols (R7RS 6.5) and SX keywords.

Symbols are interned (compare with `is`); uninterned ones, made by gensym
and string->uninterned-symbol, are never eq? to a symbol read from source.
Keywords (`:name`) are an SX extension: interned, self-evaluating values.
"""

from __future__ import annotations

from ..errors import wrong_type
from ..values import DEFAULT, Keyword, MString, Symbol, gensym as _gensym, intern, keyword
from .registry import primitive


def _sym(who: str, x) -> Symbol:
    if type(x) is not Symbol:
        wrong_type(who, "a symbol", x)
    return x


def _str(who: str, x) -> str:
    if type(x) is not MString:
        wrong_type(who, "a string", x)
    return x.s


@primitive("symbol?")
def symbol_p(x):
    return type(x) is Symbol


@primitive("symbol=?")
def symbol_eq(a, b, *rest):
    _sym("symbol=?", a)
    _sym("symbol=?", b)
    for x in rest:
        _sym("symbol=?", x)
    if a is not b:
        return False
    return all(x is a for x in rest)


@primitive("symbol->string")
def symbol_to_string(x):
    # A fresh string: mutating it must not rename the symbol.
    return MString(_sym("symbol->string", x).name)


@primitive("string->symbol")
def string_to_symbol(s):
    return intern(_str("string->symbol", s))


@primitive("string->uninterned-symbol")
def string_to_uninterned_symbol(s):
    return Symbol(_str("string->uninterned-symbol", s))


@primitive("gensym")
def gensym(prefix=DEFAULT):
    if prefix is DEFAULT:
        return _gensym()
    if type(prefix) is MString:
        return _gensym(prefix.s)
    if type(prefix) is Symbol:
        return _gensym(prefix.name)
    wrong_type("gensym", "a string or a symbol", prefix)


@primitive("keyword?")
def keyword_p(x):
    return type(x) is Keyword


@primitive("keyword->string")
def keyword_to_string(k):
    """The name without the colon: (keyword->string :foo) => "foo"."""
    if type(k) is not Keyword:
        wrong_type("keyword->string", "a keyword", k)
    return MString(k.name)


@primitive("string->keyword")
def string_to_keyword(s):
    return keyword(_str("string->keyword", s))
