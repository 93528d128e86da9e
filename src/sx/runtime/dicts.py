"""Dicts: an SX extension, ordered hash maps keyed by equal?.

The value type, Dict, is in values.py with every other value type. The
Python dict inside maps equal_key(key) -> (key, value): the original key
object is kept so dict-keys returns what was stored, and Python dict order
gives insertion order (re-setting a key keeps its place and its first key
object).

A mutable string used as a key is hashed by its contents at insertion time:
mutating it afterwards does not move the entry, which then answers to the
old contents only (as in most hash tables keyed by content). The same holds
for pairs and vectors used as keys. A circular structure cannot be a key.
"""

from __future__ import annotations

from ..errors import error, wrong_type
from ..values import DEFAULT, UNSPECIFIED, Dict, Pair, py_to_list
from .equality import equal_key
from .lists import to_pylist
from .registry import primitive


def _dict(who: str, d) -> dict:
    if type(d) is not Dict:
        wrong_type(who, "a dict", d)
    return d.table


@primitive("make-dict")
def make_dict(*kvs):
    """(make-dict) or (make-dict k1 v1 k2 v2 ...); a later duplicate key
    overwrites the value of an earlier one, like successive dict-set!s."""
    if len(kvs) % 2:
        error("make-dict: expected alternating keys and values, got an odd number of arguments:",
              len(kvs))
    table = {}
    for i in range(0, len(kvs), 2):
        _put(table, kvs[i], kvs[i + 1], "make-dict")
    return Dict(table)


def _put(table: dict, key, value, who: str) -> None:
    k = equal_key(key, who)
    old = table.get(k)
    table[k] = (key if old is None else old[0], value)


@primitive("dict?")
def dict_p(x):
    return type(x) is Dict


@primitive("dict-ref")
def dict_ref(d, key, default=DEFAULT):
    entry = _dict("dict-ref", d).get(equal_key(key, "dict-ref"))
    if entry is not None:
        return entry[1]
    if default is DEFAULT:
        error("dict-ref: key not found:", key)
    return default


@primitive("dict-set!")
def dict_set(d, key, value):
    _put(_dict("dict-set!", d), key, value, "dict-set!")
    return UNSPECIFIED


@primitive("dict-delete!")
def dict_delete(d, key):
    """Deleting an absent key is not an error."""
    _dict("dict-delete!", d).pop(equal_key(key, "dict-delete!"), None)
    return UNSPECIFIED


@primitive("dict-has-key?", "dict-contains?")
def dict_has_key(d, key):
    return equal_key(key, "dict-has-key?") in _dict("dict-has-key?", d)


@primitive("dict-keys")
def dict_keys(d):
    return py_to_list([k for k, _ in _dict("dict-keys", d).values()])


@primitive("dict-values")
def dict_values(d):
    return py_to_list([v for _, v in _dict("dict-values", d).values()])


@primitive("dict->alist")
def dict_to_alist(d):
    return py_to_list([Pair(k, v) for k, v in _dict("dict->alist", d).values()])


@primitive("alist->dict")
def alist_to_dict(alist):
    """When a key occurs more than once, the first association wins, as it
    would for assoc on the same list."""
    table = {}
    for entry in to_pylist("alist->dict", alist):
        if type(entry) is not Pair:
            error("alist->dict: expected an association list, found a non-pair element:", entry)
        k = equal_key(entry.car, "alist->dict")
        if k not in table:
            table[k] = (entry.car, entry.cdr)
    return Dict(table)


@primitive("dict-count")
def dict_count(d):
    return len(_dict("dict-count", d))


@primitive("dict-copy")
def dict_copy(d):
    """A shallow copy: keys and values are shared, the table is not."""
    return Dict(dict(_dict("dict-copy", d)))


@primitive("dict-clear!")
def dict_clear(d):
    _dict("dict-clear!", d).clear()
    return UNSPECIFIED


@primitive("eq-hash")
def eq_hash(x):
    """A hash consistent with eqv?: an exact integer's value, else a number
    derived from the object's identity (stable while it lives)."""
    if type(x) is int:
        return x
    if type(x) is float:
        return hash(x)
    return id(x) >> 4
