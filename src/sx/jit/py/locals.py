"""Stack to locals: the operand stack at translation time.

The VM's operand stack becomes Python locals: stack entry i lives in `s{i}`,
slot j in `l{j}`, the environment in `e`, so a generated frame can be turned
back into the VM frame it stands for from its locals alone (runtime.collect).
Cheap entries are not stored at all: a slot's variable, a constant, or a pure
expression on known integers or booleans (`(l0 - 1)`, `(l1 is NIL)`) stays
*deferred* (kind EXPR) and is written into whatever consumes it, unless a
safepoint, a branch or a write of a slot it reads makes it be evaluated into
its `s{i}` first.

Every entry records what its text reads, so those decisions are made on
facts: `slot` (it is the plain read of that slot), `reads` (the slots its
text reads), `stack` (it is the stack local s{stack}) and `top` (the highest
stack local its text reads).
"""

from __future__ import annotations

import math

from ...values import NIL, UNSPECIFIED, Char, MString, Pair
from .types import ANY, BOOL, CHAR, FLO, INT, PAIR, STR, VEC

LOCAL, CONST, EXPR = "local", "const", "expr"


class Entry:
    """An operand-stack entry: a Python local (LOCAL), a constant (CONST,
    `value` its value, `cell` the global it was read from, if any), or a pure
    expression not evaluated yet (EXPR). `narrow`: the (slot, type) pairs
    and facts (types.py) that hold where this entry is true (a type test, a
    comparison, or an `and` of them). `info`: what a fact can say of the
    entry's value (types.OFF, types.LEN), or None."""

    __slots__ = ("text", "kind", "type", "value", "cell", "narrow", "slot", "reads", "stack",
                 "top", "info")

    def __init__(self, text: str, kind: str, type_: str = ANY, value=None, reads: tuple = (),
                 top: int = -1, slot=None, stack=None) -> None:
        self.text = text
        self.kind = kind
        self.type = type_
        self.value = value
        self.cell = None
        self.narrow = ()
        self.info = None
        self.slot = slot
        self.reads = reads
        self.stack = stack
        self.top = top


def slot_entry(slot: int, type_: str = ANY) -> Entry:
    """A slot's variable, read where it is used."""
    return Entry(f"l{slot}", LOCAL, type_, None, (slot,), -1, slot)


def stack_entry(i: int, type_: str = ANY) -> Entry:
    """The value in stack local s{i}."""
    return Entry(f"s{i}", LOCAL, type_, None, (), i, None, i)


def temp_entry(name: str, type_: str) -> Entry:
    """A temporary local of one operation (t0, t1)."""
    return Entry(name, LOCAL, type_)


def expr_entry(text: str, type_: str, operands) -> Entry:
    """A deferred expression of `operands` (entries whose texts it holds)."""
    reads = ()
    top = -1
    for x in operands:
        if x.reads:
            reads += x.reads
        if x.top > top:
            top = x.top
    return Entry(text, EXPR, type_, None, reads, top)


def reads_of(operands) -> tuple:
    """The slots read by a line holding the texts of `operands`."""
    reads = ()
    for x in operands:
        if x.reads:
            reads += x.reads
    return reads


def unspecified() -> Entry:
    """The value of an assignment (a name of every unit's namespace)."""
    return Entry("UNSPECIFIED", CONST, ANY, UNSPECIFIED)


def obj(text: str) -> str:
    """text where an attribute can follow it (`5.car` is not Python)."""
    return text if text.isidentifier() else f"({text})"


_CONST_TYPES = {Pair: PAIR, list: VEC, MString: STR, Char: CHAR}


class Names:
    """The names the generated code gives the objects it uses (constants,
    cells, call sites, fallback functions): `{prefix}{n}`, bound in the
    unit's namespace. They outlive a translation, so the rounds of the
    assumptions' fixpoint share them."""

    __slots__ = ("ns", "names")

    def __init__(self, ns: dict) -> None:
        self.ns = ns
        self.names: dict = {}        # (prefix, id(value)) -> name

    def name(self, value, prefix: str) -> str:
        key = (prefix, id(value))
        n = self.names.get(key)
        if n is None:
            n = f"{prefix}{len(self.names)}"
            self.names[key] = n
            self.ns[n] = value
        return n

    def const(self, value) -> Entry:
        """A constant's entry: a literal when Python has one, else a name."""
        t = value.__class__
        if t is int:
            return Entry(repr(value), CONST, INT, value)
        if t is bool:
            return Entry(repr(value), CONST, BOOL, value)
        if t is float:
            text = repr(value) if math.isfinite(value) else self.name(value, "K")
            return Entry(text, CONST, FLO, value)
        if value is NIL:
            return Entry("NIL", CONST, ANY, value)
        known = _CONST_TYPES.get(t, ANY)
        return Entry(self.name(value, "K"), CONST, known, value)


# ---- keeping the stack consistent -----------------------------------------------------

def flush(src, st: list, upto: int | None = None) -> None:
    """Evaluate the deferred expressions among st[:upto] into their locals."""
    for i in range(len(st) if upto is None else upto):
        x = st[i]
        if x.kind == EXPR:
            src.assign(i, x.text, x.reads)
            st[i] = stack_entry(i, x.type)


def below(src, st: list, d: int) -> tuple:
    """The safepoint descriptors of st[:d], flushing expressions first: a
    local's name, or a constant's value."""
    flush(src, st, d)
    return tuple((1, x.text) if x.kind == LOCAL else (0, x.value) for x in st[:d])


def simple(src, st: list, i: int) -> str:
    """st[i] as a name or literal (evaluated once), evaluating it if needed."""
    x = st[i]
    if x.kind == EXPR:
        src.assign(i, x.text, x.reads)
        st[i] = x = stack_entry(i, x.type)
    return x.text


def push(src, st: list, e: Entry) -> None:
    """Push e, an operation's result. Its position is below its operands',
    and an entry must not read a stack local above its own position (the
    next push there overwrites it): then it is evaluated now."""
    p = len(st)
    if e.top > p:
        src.assign(p, e.text, e.reads)
        e = stack_entry(p, e.type)
    st.append(e)


def rebind(src, st: list, slot: int) -> None:
    """Before slot is written: no entry may still read it, so the deferred
    ones are evaluated and the plain reads of it copied to their locals."""
    if any(slot in x.reads for x in st):
        flush(src, st)
        for i, x in enumerate(st):
            if x.slot == slot:
                src.assign(i, f"l{slot}", x.reads)
                st[i] = stack_entry(i, x.type)


def bind(src, st: list, v: Entry, slot: int) -> None:
    """BIND: v, just popped from the top of st, goes to slot. When v is the
    stack local that the assignment just made defines (and nothing reads
    the slot), that assignment is made to the slot instead."""
    i = len(st)
    if v.stack == i and not any(slot in x.reads for x in st) and src.redirect(i, slot):
        return
    rebind(src, st, slot)
    src.line(f"l{slot} = {v.text}")
