"""Vectors (R7RS 6.8). A vector is a plain Python list, so vector-ref is a
list index; every index is checked with `type(k) is int` (so #t is not 1)
and against the length, giving an SX range error rather than an
IndexError or Python's negative indexing."""

from __future__ import annotations

from ..errors import wrong_type
from ..values import DEFAULT, UNSPECIFIED, py_to_list
from .checks import check_count, check_destination, check_index, check_range
from .lists import to_pylist
from .registry import primitive


def check_vector(who: str, x) -> list:
    if type(x) is not list:
        wrong_type(who, "a vector", x)
    return x


@primitive("vector?")
def vector_p(x):
    return type(x) is list


@primitive("make-vector")
def make_vector(k, fill=False):
    # R7RS leaves the default fill unspecified; #f prints readably.
    return [fill] * check_count("make-vector", k)


@primitive("vector")
def vector(*items):
    return list(items)


@primitive("vector-length")
def vector_length(v):
    return len(check_vector("vector-length", v))


@primitive("vector-ref")
def vector_ref(v, k):
    if type(v) is not list:
        wrong_type("vector-ref", "a vector", v)
    if type(k) is int and 0 <= k < len(v):
        return v[k]
    check_index("vector-ref", k, len(v))  # raises the right error


@primitive("vector-set!")
def vector_set(v, k, x):
    if type(v) is not list:
        wrong_type("vector-set!", "a vector", v)
    if not (type(k) is int and 0 <= k < len(v)):
        check_index("vector-set!", k, len(v))
    v[k] = x
    return UNSPECIFIED


@primitive("vector->list")
def vector_to_list(v, start=DEFAULT, end=DEFAULT):
    check_vector("vector->list", v)
    i, j = check_range("vector->list", len(v), start, end)
    return py_to_list(v[i:j])


@primitive("list->vector")
def list_to_vector(lst):
    return to_pylist("list->vector", lst)


@primitive("vector-copy")
def vector_copy(v, start=DEFAULT, end=DEFAULT):
    check_vector("vector-copy", v)
    i, j = check_range("vector-copy", len(v), start, end)
    return v[i:j]


@primitive("vector-copy!")
def vector_copy_into(to, at, frm, start=DEFAULT, end=DEFAULT):
    """(vector-copy! to at from [start [end]]). The right-hand slice is a
    copy made before assignment, so overlapping copies are correct."""
    check_vector("vector-copy!", to)
    check_vector("vector-copy!", frm)
    i, j = check_range("vector-copy!", len(frm), start, end)
    check_destination("vector-copy!", at, j - i, len(to))
    to[at:at + j - i] = frm[i:j]
    return UNSPECIFIED


@primitive("vector-append")
def vector_append(*vectors):
    out = []
    for v in vectors:
        out.extend(check_vector("vector-append", v))
    return out


@primitive("vector-fill!")
def vector_fill(v, fill, start=DEFAULT, end=DEFAULT):
    check_vector("vector-fill!", v)
    i, j = check_range("vector-fill!", len(v), start, end)
    v[i:j] = [fill] * (j - i)
    return UNSPECIFIED
