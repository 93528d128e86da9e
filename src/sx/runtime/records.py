"""Record types (R7RS 5.5). The expander turns define-record-type into:

  (%make-record-type 'name '(field ...))          -> RecordType
  (%record-constructor rtd '(field ...) ['name])  -> procedure
  (%record-predicate rtd ['name])                 -> procedure
  (%record-accessor rtd 'field ['name])           -> procedure
  (%record-modifier rtd 'field ['name])           -> procedure

The procedures are Primitives built here, closed over the field index, so a
call costs one type check and one list access; each is tagged with what it
does (Primitive.record), and tier 2 writes that inline instead of calling it. The optional name (a symbol)
is the procedure's name in messages; by default it is derived from the type
name with any <angle brackets> removed: make-point, point?, point-x,
point-x-set!.
"""

from __future__ import annotations

from ..errors import error, wrong_type
from ..values import DEFAULT, UNSPECIFIED, Primitive, Record, RecordType, Symbol
from .lists import to_pylist
from .registry import primitive


def _bare(rtd: RecordType) -> str:
    """<point> -> point: the name users read in messages."""
    n = rtd.name
    if len(n) > 2 and n[0] == "<" and n[-1] == ">":
        return n[1:-1]
    return n


def _article(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" and word else "a ") + word


def _rtd(who: str, x) -> RecordType:
    if type(x) is not RecordType:
        wrong_type(who, "a record type", x)
    return x


def _symbol(who: str, x) -> Symbol:
    if type(x) is not Symbol:
        wrong_type(who, "a symbol", x)
    return x


def _name(who: str, given, default: str) -> str:
    return default if given is DEFAULT else _symbol(who, given).name


def _field_index(who: str, rtd: RecordType, field) -> int:
    _symbol(who, field)
    for i, f in enumerate(rtd.fields):
        if f is field:
            return i
    error(f"{who}: {rtd.name} has no field:", field)


@primitive("%make-record-type")
def make_record_type(name, fields):
    _symbol("define-record-type", name)
    names = to_pylist("define-record-type", fields)
    for i, f in enumerate(names):
        _symbol("define-record-type", f)
        if f in names[:i]:
            error("define-record-type: duplicate field name:", f)
    return RecordType(name.name, names)


def _tagged(p: Primitive, what: tuple) -> Primitive:
    """p, marked as what it does to records: tier 2 writes it inline
    (jit/py/emitters.py, _record)."""
    p.record = what
    return p


@primitive("%record-constructor")
def record_constructor(rtd, fields, name=DEFAULT):
    _rtd("%record-constructor", rtd)
    pname = _name("%record-constructor", name, "make-" + _bare(rtd))
    args = to_pylist(pname, fields)
    idx = [_field_index(pname, rtd, f) for f in args]
    if len(set(idx)) != len(idx):
        error(f"{pname}: a field is initialised twice:", fields)
    nfields = len(rtd.fields)

    if idx == list(range(nfields)):
        def construct(*vals):  # the usual case: every field, in order
            return Record(rtd, list(vals))
        p = Primitive(pname, construct, nfields, nfields)
        p.record = ("make", rtd)
        return p
    else:
        def construct(*vals):  # unlisted fields start as #f
            slots = [False] * nfields
            for i, v in zip(idx, vals):
                slots[i] = v
            return Record(rtd, slots)

    return Primitive(pname, construct, len(idx), len(idx))


@primitive("%record-predicate")
def record_predicate(rtd, name=DEFAULT):
    _rtd("%record-predicate", rtd)
    pname = _name("%record-predicate", name, _bare(rtd) + "?")

    def is_instance(x):
        return type(x) is Record and x.rtype is rtd

    return _tagged(Primitive(pname, is_instance, 1, 1), ("pred", rtd))


@primitive("%record-accessor")
def record_accessor(rtd, field, name=DEFAULT):
    _rtd("%record-accessor", rtd)
    pname = _name("%record-accessor", name, f"{_bare(rtd)}-{_symbol('%record-accessor', field).name}")
    i = _field_index(pname, rtd, field)
    expected = _article(_bare(rtd))

    def access(r):
        if type(r) is Record and r.rtype is rtd:
            return r.fields[i]
        wrong_type(pname, expected, r)

    return _tagged(Primitive(pname, access, 1, 1), ("get", rtd, i))


@primitive("%record-modifier")
def record_modifier(rtd, field, name=DEFAULT):
    _rtd("%record-modifier", rtd)
    pname = _name("%record-modifier", name,
                  f"{_bare(rtd)}-{_symbol('%record-modifier', field).name}-set!")
    i = _field_index(pname, rtd, field)
    expected = _article(_bare(rtd))

    def modify(r, v):
        if type(r) is Record and r.rtype is rtd:
            r.fields[i] = v
            return UNSPECIFIED
        wrong_type(pname, expected, r)

    return _tagged(Primitive(pname, modify, 2, 2), ("set", rtd, i))


@primitive("record?")
def record_p(x):
    return type(x) is Record
