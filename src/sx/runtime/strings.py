"""Strings (R7RS 6.7) plus a few SX extras (string-join, string-split,
string-index, string-contains, string-prefix?, string-suffix?, string-trim).

An MString is mutable: its contents are the Python str in `.s`, replaced as
a whole on mutation (string-set!, string-fill!, string-copy!). Every
procedure that returns a string returns a fresh MString.
"""

from __future__ import annotations

from ..errors import error, wrong_type
from ..values import DEFAULT, UNSPECIFIED, Char, MString, make_char, py_to_list, str_to_chars
from .chars import WHITESPACE, check_char
from .checks import check_count, check_destination, check_index, check_range
from .lists import to_pylist
from .registry import primitive


def check_string(who: str, x) -> str:
    """The Python str inside an MString, or a type error."""
    if type(x) is not MString:
        wrong_type(who, "a string", x)
    return x.s


def _chars_to_str(who: str, items) -> str:
    if _CHAR_ONLY.issuperset(map(type, items)):      # (the common case, checked in C)
        return "".join([c.c for c in items])
    out = []
    for c in items:
        if type(c) is not Char:
            wrong_type(who, "a character", c)
        out.append(c.c)
    return "".join(out)


_CHAR_ONLY = frozenset((Char,))


# ----------------------------------------------------------- basic access

@primitive("string?")
def string_p(x):
    return type(x) is MString


@primitive("make-string")
def make_string(k, fill=DEFAULT):
    check_count("make-string", k)
    c = " " if fill is DEFAULT else check_char("make-string", fill)
    return MString(c * k)


@primitive("string")
def string(*chars):
    return MString(_chars_to_str("string", chars))


@primitive("string-length")
def string_length(s):
    return len(check_string("string-length", s))


@primitive("string-ref")
def string_ref(s, k):
    py = check_string("string-ref", s)
    return make_char(py[check_index("string-ref", k, len(py))])


@primitive("string-set!")
def string_set(s, k, c):
    py = check_string("string-set!", s)
    check_index("string-set!", k, len(py))
    ch = check_char("string-set!", c)
    s.s = py[:k] + ch + py[k + 1:]
    return UNSPECIFIED


# ------------------------------------------------------------ comparisons

def _compare(name: str, key, ok):
    """A variadic (>= 1 argument) comparison; all arguments are checked."""

    def cmp(a, *rest):
        prev = key(check_string(name, a))
        result = True
        for x in rest:
            cur = key(check_string(name, x))
            result = result and ok(prev, cur)
            prev = cur
        return result

    cmp.__name__ = name
    return cmp


def _ident(s: str) -> str:
    return s


def _fold(s: str) -> str:
    return s.casefold()


_OPS = {
    "=?": lambda a, b: a == b,
    "<?": lambda a, b: a < b,
    ">?": lambda a, b: a > b,
    "<=?": lambda a, b: a <= b,
    ">=?": lambda a, b: a >= b,
}

for _op, _ok in _OPS.items():
    primitive("string" + _op)(_compare("string" + _op, _ident, _ok))
    primitive("string-ci" + _op)(_compare("string-ci" + _op, _fold, _ok))


# ------------------------------------------------------------------ case
# Full Unicode mappings: the result may be longer ("ß" upcases to "SS").

@primitive("string-upcase")
def string_upcase(s):
    return MString(check_string("string-upcase", s).upper())


@primitive("string-downcase")
def string_downcase(s):
    return MString(check_string("string-downcase", s).lower())


@primitive("string-foldcase")
def string_foldcase(s):
    return MString(check_string("string-foldcase", s).casefold())


# ------------------------------------------------------- copying, slicing

@primitive("substring")
def substring(s, start, end=DEFAULT):
    py = check_string("substring", s)
    if type(start) is int and type(end) is int and 0 <= start <= end <= len(py):
        return MString(py[start:end])           # (what check_range accepts)
    i, j = check_range("substring", len(py), start, end)
    return MString(py[i:j])


@primitive("string-append")
def string_append(*strings):
    for s in strings:
        if type(s) is not MString:
            wrong_type("string-append", "a string", s)
    return MString("".join([s.s for s in strings]))


@primitive("string->list")
def string_to_list(s, start=DEFAULT, end=DEFAULT):
    py = check_string("string->list", s)
    if start is not DEFAULT or end is not DEFAULT:
        i, j = check_range("string->list", len(py), start, end)
        py = py[i:j]
    return str_to_chars(py)


@primitive("list->string")
def list_to_string(lst):
    return MString(_chars_to_str("list->string", to_pylist("list->string", lst)))


@primitive("string-copy")
def string_copy(s, start=DEFAULT, end=DEFAULT):
    py = check_string("string-copy", s)
    i, j = check_range("string-copy", len(py), start, end)
    return MString(py[i:j])


@primitive("string-copy!")
def string_copy_into(to, at, frm, start=DEFAULT, end=DEFAULT):
    """(string-copy! to at from [start [end]]). The source slice is taken
    before `to` is rebuilt, so overlapping copies within one string are
    correct in either direction."""
    dst = check_string("string-copy!", to)
    src = check_string("string-copy!", frm)
    i, j = check_range("string-copy!", len(src), start, end)
    check_destination("string-copy!", at, j - i, len(dst))
    to.s = dst[:at] + src[i:j] + dst[at + j - i:]
    return UNSPECIFIED


@primitive("string-fill!")
def string_fill(s, fill, start=DEFAULT, end=DEFAULT):
    py = check_string("string-fill!", s)
    c = check_char("string-fill!", fill)
    i, j = check_range("string-fill!", len(py), start, end)
    s.s = py[:i] + c * (j - i) + py[j:]
    return UNSPECIFIED


@primitive("string->vector")
def string_to_vector(s, start=DEFAULT, end=DEFAULT):
    py = check_string("string->vector", s)
    i, j = check_range("string->vector", len(py), start, end)
    return [make_char(c) for c in py[i:j]]


@primitive("vector->string")
def vector_to_string(v, start=DEFAULT, end=DEFAULT):
    if type(v) is not list:
        wrong_type("vector->string", "a vector", v)
    i, j = check_range("vector->string", len(v), start, end)
    return MString(_chars_to_str("vector->string", v[i:j]))


# ---------------------------------------------------------------- extras

@primitive("string-join")
def string_join(lst, sep=DEFAULT):
    """(string-join '("a" "b") ", ") => "a, b"; the separator defaults to
    one space."""
    glue = " " if sep is DEFAULT else check_string("string-join", sep)
    parts = [check_string("string-join", s) for s in to_pylist("string-join", lst)]
    return MString(glue.join(parts))


@primitive("string-split")
def string_split(s, sep):
    """Split at every occurrence of sep (a char or a non-empty string).
    Empty fields are kept: (string-split "a,,b" #\\,) => ("a" "" "b")."""
    py = check_string("string-split", s)
    if type(sep) is Char:
        delim = sep.c
    elif type(sep) is MString:
        delim = sep.s
        if not delim:
            error("string-split: empty separator")
    else:
        wrong_type("string-split", "a character or a string", sep)
    return py_to_list([MString(part) for part in py.split(delim)])


@primitive("string-index")
def string_index(s, c):
    i = check_string("string-index", s).find(check_char("string-index", c))
    return False if i < 0 else i


@primitive("string-contains")
def string_contains(s1, s2):
    """Index of the first occurrence of s2 in s1, or #f."""
    i = check_string("string-contains", s1).find(check_string("string-contains", s2))
    return False if i < 0 else i


@primitive("string-prefix?")
def string_prefix_p(prefix, s):
    """(string-prefix? prefix string), argument order as in SRFI 13."""
    p = check_string("string-prefix?", prefix)
    return check_string("string-prefix?", s).startswith(p)


@primitive("string-suffix?")
def string_suffix_p(suffix, s):
    p = check_string("string-suffix?", suffix)
    return check_string("string-suffix?", s).endswith(p)


@primitive("html-escape")
def html_escape(s):
    """(html-escape s): s with & < > " and ' replaced by their character
    references (Python's html.escape; ' as &#39;), for the web library's
    HTML (src/sx/serve/lib/html.sx): one call per text of a page."""
    import html     # (only here: it costs 2 ms of each start)
    return MString(html.escape(check_string("html-escape", s)).replace("&#x27;", "&#39;"))


@primitive("string-trim")
def string_trim(s):
    """Remove Unicode White_Space from both ends."""
    return MString(check_string("string-trim", s).strip(WHITESPACE))
