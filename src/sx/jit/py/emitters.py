"""The primitives tier 2 writes inline: one table entry per primitive.

A call of a primitive whose global still holds it (the unit watches the
cell) is lowered here. An entry in `EMITTERS` says how many operands it
inlines at and how (one in `NARY`, how at three or more); any other
primitive, or another operand count, is a plain call of the primitive's
function (its two-argument form for two). An
entry's result is a stack entry (locals.py): often a deferred expression,
so `(< (- n 1) 2)` on integers is one Python expression. Its type is what
the forward type facts learn (types.py).

Each emitter computes exactly what the primitive computes, errors
included: whatever its inline code does not handle (a non-integer operand,
an index out of range, ...) goes to the primitive itself, on a line with a
safepoint, so the error and its backtrace are the VM's. "Who relies on it"
says which code depends on the entry for its speed: the SOM guest
(guests/som) compiles Smalltalk sends to exactly these forms.
"""

from __future__ import annotations

from ...bytecode.compiler import fast_function
from ...runtime.chars import _WHITESPACE_SET
from ...runtime.equality import equal_key
from ...values import NIL, NUMBER_TYPES, Char, Dict, MString, Pair, Symbol
from .locals import (CONST, EXPR, below, expr_entry, obj, reads_of, stack_entry, temp_entry,
                     unspecified)
from .types import ANY, BOOL, CHAR, FLO, INT, LE, LEN, LT, NNEG, OFF, PAIR, POS, STR, VEC


_PURE = (INT, FLO, BOOL)

# An exact integer this small converts to a flonum exactly, as Python's mixed
# arithmetic converts it: `x * 2` on a flonum x is R7RS's (* x (inexact 2)).
EXACT_IN_FLOAT = 2 ** 53


class Emitter:
    """`lower(o, data)` writes (p x...) with `arity` operands. `fold`: with
    constant operands it is computed now; `ints`: its slot operands are
    worth checking once on entry (types.int_params); `control`: a control
    primitive that needs no continuation with this many operands."""

    __slots__ = ("arity", "lower", "data", "fold", "ints", "control")

    def __init__(self, arity: int, lower, data=None, fold: bool = False, ints: bool = False,
                 control: bool = False) -> None:
        self.arity = arity
        self.lower = lower
        self.data = data
        self.fold = fold
        self.ints = ints
        self.control = control


class Operands:
    """One application being lowered, as its emitter sees it: the operand
    entries (`ins`), the ones to write (`used`: an operand that had to be
    evaluated first is its temporary), their texts and types; the stack
    below them (`st`); the result's local `r` (s{len(st)})."""

    __slots__ = ("g", "p", "ins", "used", "texts", "types", "pc", "st", "tail", "r")

    def __init__(self, g, p, ins: list, used: list, pc: int, st: list, tail: bool) -> None:
        self.g = g
        self.p = p
        self.ins = ins
        self.used = used
        self.texts = [x.text for x in used]
        self.types = [x.type for x in ins]
        self.pc = pc
        self.st = st
        self.tail = tail
        self.r = f"s{len(st)}"

    def fallback(self, fn) -> str:
        """The name of a function the inline code falls back to."""
        return self.g.names.name(fn, "P")

    def below(self) -> tuple:
        return below(self.g.src, self.st, len(self.st))

    def learn(self, i: int, type_: str) -> None:
        """After a checked operation: operand i is a `type_` from here on
        (the inline code ran on one, or the primitive, which raises on
        anything else, accepted it). When it is a slot's variable that
        nothing can assign behind the code's back (not boxed), the code that
        follows knows it, as the branch of a type test does."""
        slot = self.ins[i].slot
        if slot is not None and slot not in self.g.unit.boxed and self.g.types.of(slot) == ANY:
            self.g.types.narrow(((slot, type_),))

    def result(self, text: str, type_: str, reads=None):
        """r = text, on a line with a safepoint (it may call the primitive)."""
        d = len(self.st)
        self.g.src.assign(d, text, reads_of(self.used) if reads is None else reads,
                          self.pc + 1, self.below(), self.tail)
        return stack_entry(d, type_)


def lower(g, p, ins: list, pc: int, st: list, tail: bool = False):
    """The entry for (p ins...) at pc; st is the stack below the operands."""
    used = list(ins)
    # operands must be evaluated once: names or literals (a deferred
    # expression is a number or a boolean, cheap and pure: it may repeat)
    for i, x in enumerate(ins):
        if x.kind == EXPR and x.type not in _PURE:
            g.src.line(f"t{i} = {x.text}")
            used[i] = temp_entry(f"t{i}", x.type)
    if p.record is not None:
        return _record(Operands(g, p, ins, used, pc, st, tail), p.record)
    em = EMITTERS.get(p.name)
    if em is None or em.arity != len(ins):
        em = NARY.get(p.name) if len(ins) > 2 else None     # (+ a b c ...)
    if em is not None:
        if em.fold and all(x.kind == CONST for x in ins):
            return g.names.const(p.fn(*[x.value for x in ins]))
        return em.lower(Operands(g, p, ins, used, pc, st, tail), em.data)
    return _call(Operands(g, p, ins, used, pc, st, tail))


def lowers(p, n: int) -> bool:
    """Whether (p x...) with n operands is lowered here rather than called
    through the machine: every plain primitive, and the control primitives
    with an entry for n operands."""
    if p.control is None:
        return p.min_args <= n <= p.max_args
    em = EMITTERS.get(p.name)
    return em is not None and em.control and em.arity == n


def _call(o: Operands):
    """Any other primitive: `r = P(x, ...)`, of the type in RETURNS."""
    fn = o.fallback(fast_function(o.p, len(o.ins)))
    return o.result(f"{fn}({', '.join(o.texts)})", RETURNS.get(o.p.name, ANY))


# ---- the emitters ----------------------------------------------------------------------

def _binary(o: Operands, sym: str, exact: str, guarded: str, flonum: str):
    """On two integers, `(x sym y)`, deferred; on flonums (see _flonums),
    likewise; otherwise `r = (x sym y) if x.__class__ is int and ... else
    P(x, y)`, checking the operands not known to be integers (a bool's class
    is bool, not int). `exact`, `flonum`: the result's type on integers and
    on flonums, `guarded` otherwise."""
    texts, types = o.texts, o.types
    if types[0] == INT and types[1] == INT:
        e = expr_entry(f"({texts[0]} {sym} {texts[1]})", exact, o.used)
        _integer_facts(o, sym, e)
        return e
    if FLO in types:
        return _flonums(o, sym, guarded, flonum)
    _named(o)
    x, y = texts
    guard = " and ".join(f"{obj(t)}.__class__ is int" for t, ty in zip(texts, types) if ty != INT)
    fn = o.fallback(fast_function(o.p, 2))
    return o.result(f"({x} {sym} {y}) if {guard} else {fn}({x}, {y})", guarded)


# (x sym y) as (y flipped x): how a comparison reads from the other side
_FLIPPED = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}


def _integer_facts(o: Operands, sym: str, e) -> None:
    """What e, `(x sym y)` on two integers, says for the facts of types.py: x + k or
    x - k of a slot x and a constant k is (OFF, x, +-k); a comparison of a
    slot with 0 or 1, or with a length, proves POS, NNEG, LE or LT where it
    is true."""
    a, b = o.ins
    boxed = o.g.unit.boxed
    if sym in ("+", "-"):
        if a.slot is not None and a.slot not in boxed and b.kind == CONST:
            e.info = (OFF, a.slot, b.value if sym == "+" else -b.value)
        return
    for x, op, y in ((a, sym, b), (b, _FLIPPED.get(sym), a)):
        if x.slot is None or x.slot in boxed:
            continue
        s = x.slot
        if y.kind == CONST:
            if op == ">" and y.value == 0 or op == ">=" and y.value == 1:
                e.narrow += ((POS, s), (NNEG, s))
            elif op == ">=" and y.value == 0 or op == ">" and y.value == -1:
                e.narrow += ((NNEG, s),)
        elif y.info is not None and y.info[0] == LEN and op in ("<=", "<"):
            e.narrow += ((LE, s, y.info[1]),) if op == "<=" else ((LT, s, y.info[1]),
                                                                   (LE, s, y.info[1]))


def _length(o: Operands, e):
    """e, the length of the operand (deferred, or in its local: a length
    never changes), marked (LEN, its slot) for the facts of types.py."""
    slot = o.ins[0].slot
    if slot is not None and slot not in o.g.unit.boxed:
        e.info = (LEN, slot)
    return e


def _named(o: Operands) -> list:
    """The operand texts, each evaluated once: a deferred operand (a number
    or boolean expression) that a guard and a fallback would both repeat
    goes to its temporary first (t0, t1...)."""
    texts = o.texts
    for i, x in enumerate(o.ins):
        if x.kind == EXPR:
            o.g.src.line(f"t{i} = {texts[i]}")
            texts[i] = f"t{i}"
            o.used[i] = temp_entry(texts[i], x.type)
    return texts


def _small_exact(e) -> bool:
    return e.kind == CONST and e.value.__class__ is int and -EXACT_IN_FLOAT <= e.value <= \
        EXACT_IN_FLOAT


def _flonums(o: Operands, sym: str, guarded: str, flonum: str):
    """A flonum operand (FLO) with another. With a flonum or a small exact
    constant, Python's operation is R7RS's: `(x sym y)`, deferred (flonum
    arithmetic never raises). With an unknown operand, that one is checked:
    `r = (x sym y) if y.__class__ is float else P(x, y)`. With an integer
    (which may be too large for Python to convert), the primitive, whose
    result is still a flonum. A comparison needs no conversion at all:
    Python compares int and float exactly, as the primitive does."""
    texts, types, ins = o.texts, o.types, o.ins
    compare = flonum == BOOL
    if all(t == FLO or _small_exact(x) or compare and t == INT for x, t in zip(ins, types)):
        return expr_entry(f"({texts[0]} {sym} {texts[1]})", flonum, o.used)
    _named(o)
    x, y = texts
    fn = o.fallback(fast_function(o.p, 2))
    if INT in types:
        return o.result(f"{fn}({x}, {y})", flonum)
    guard = " and ".join(f"{obj(t)}.__class__ is float" for t, ty in zip(texts, types)
                         if ty != FLO)
    return o.result(f"({x} {sym} {y}) if {guard} else {fn}({x}, {y})", guarded)


def _arithmetic(o: Operands, sym: str):
    """+ - * of two operands: Python's (its ints never overflow), INT on
    integers, FLO on flonums. Who relies on it: loop counters and recursion
    on integers (the integer copy) and on flonums (the flonum copy), SOM's
    Integer arithmetic once its send is inlined (`(if (and (exact-integer?
    r) (exact-integer? a)) (+ r a) send)`)."""
    return _binary(o, sym, INT, ANY, FLO)


def _comparison(o: Operands, sym: str):
    """< > <= >= = of two operands: BOOL. Who relies on it: loop tests, SOM's
    Integer comparisons (inlined like its arithmetic)."""
    return _binary(o, sym, BOOL, BOOL, BOOL)


def _divide(o: Operands, _):
    """/ of two operands, on flonums only: `r = (x / y) if y else P(x, y)`
    (a zero divisor gives R7RS's infinities and NaN, where Python raises;
    flonum division never raises otherwise). An unknown operand is checked
    to be a flonum too; on integers it is the primitive (an exact
    quotient is a rational). FLO when both are flonums. Who relies on it:
    numeric code on flonums."""
    texts, types, ins = o.texts, o.types, o.ins
    if FLO not in types:
        return _call(o)
    fn = o.fallback(fast_function(o.p, 2))
    _named(o)
    x, y = texts
    if INT in types:
        return o.result(f"{fn}({x}, {y})", FLO)
    tests = [f"{obj(t)}.__class__ is float" for t, ty in zip(texts, types) if ty != FLO]
    if not (ins[1].kind == CONST and ins[1].value):      # (a non-zero constant divisor)
        tests.append(y)
    t = FLO if types[0] == FLO and types[1] == FLO else ANY
    if not tests:
        return expr_entry(f"({x} / {y})", FLO, o.used)
    return o.result(f"({x} / {y}) if {' and '.join(tests)} else {fn}({x}, {y})", t)


def _inexact(o: Operands, _):
    """exact->inexact, inexact: a flonum is itself; on an integer, the
    primitive, whose result is a flonum (FLO). Who relies on it: loops that
    start a flonum from an integer (`(let loop ((x (inexact n))) ...)`)."""
    if o.types[0] == FLO:
        return o.ins[0]
    return o.result(f"{o.fallback(o.p.fn)}({o.texts[0]})", FLO if o.types[0] == INT else ANY)


def _not(o: Operands, _):
    """`(not x)` on a BOOL, else `(x is False)`; deferred. Who relies on it:
    SOM's notNil (`(not (eq? r nil))`)."""
    x = o.texts[0]
    if o.types[0] == BOOL:
        return expr_entry(f"(not {x})", BOOL, o.used)
    return expr_entry(f"({x} is False)", BOOL, o.used)


def _null(o: Operands, _):
    """`(x is NIL)`, deferred. Who relies on it: every list walk."""
    return expr_entry(f"({o.texts[0]} is NIL)", BOOL, o.used)


def _type_test(o: Operands, data):
    """`(x.__class__ is C)`, deferred; when x is a slot's variable (not
    boxed: nothing can assign it behind the test's back), the branch the
    test guards knows its type; of an operand whose type is known, it is
    #t or #f. exact-integer? is `is int`: a bool's class is bool; vectors
    are Python lists. Who relies on it: SOM's class
    dispatch and inlined sends (`(if (pair? r) (car r) ...)`: the car is
    `r.car`; `(exact-integer? a)` before arithmetic: no guard)."""
    pyclass, known = data
    if known is not None and o.types[0] != ANY:     # (the types are disjoint)
        return o.g.names.const(o.types[0] == known)
    e = expr_entry(f"({obj(o.texts[0])}.__class__ is {pyclass})", BOOL, o.used)
    slot = o.ins[0].slot
    if known is not None and slot is not None and slot not in o.g.unit.boxed:
        e.narrow = ((slot, known),)
    return e


def _record(o: Operands, what: tuple):
    """A record type's procedure (define-record-type): the constructor
    `r = REC(T, [x, ...])`; the predicate `(x.__class__ is REC and x.rtype
    is T)`, deferred; an accessor `r = x.fields[i] if <x is a T> else P(x)`
    and a modifier likewise, the primitive raising the error on anything
    else. Who relies on it: the Prolog guest's variables (guests/prolog,
    pl-var records: dereferencing and binding in every unification)."""
    kind, rtd = what[0], what[1]
    t = o.g.names.const(rtd).text
    if kind == "make":
        return o.result(f"REC({t}, [{', '.join(o.texts)}])", ANY)
    if kind == "pred":
        x = obj(o.texts[0])
        return expr_entry(f"({x}.__class__ is REC and {x}.rtype is {t})", BOOL, o.used)
    texts = _named(o)
    x = texts[0]
    fn = o.fallback(o.p.fn)
    test = f"{obj(x)}.__class__ is REC and {obj(x)}.rtype is {t}"
    if kind == "get":
        return o.result(f"{obj(x)}.fields[{what[2]}] if {test} else {fn}({x})", ANY)
    v = texts[1]
    src = o.g.src
    src.line(f"if {test}:")
    src.line(f"    {obj(x)}.fields[{what[2]}] = {v}")
    src.line("else:")
    src.line(f"    {fn}({x}, {v})", o.pc + 1, o.below(), o.tail)
    return unspecified()


def _vector_length(o: Operands, _):
    """`len(x)` on a VEC (deferred, INT), else checked: `r = len(x) if
    x.__class__ is list else P(x)`. Who relies on it: SOM's Array length and
    bounds checks."""
    x = o.texts[0]
    if o.types[0] == VEC:
        return _length(o, expr_entry(f"len({x})", INT, o.used))
    fn = o.fallback(o.p.fn)
    r = o.result(f"len({x}) if {obj(x)}.__class__ is list else {fn}({x})", INT)
    o.learn(0, VEC)
    return _length(o, r)


def _field(o: Operands, attr: str):
    """car, cdr: `r = x.car` on a PAIR (read now, not deferred: the pair may
    be set later), else `r = x.car if x.__class__ is PAIR else P(x)`. Who
    relies on it: list code, and SOM's objects ((class . fields) pairs)."""
    x = o.texts[0]
    if o.types[0] == PAIR:
        o.g.src.assign(len(o.st), f"{x}.{attr}", o.used[0].reads)
        return stack_entry(len(o.st))
    reads = o.used[0].reads
    if o.ins[0].kind == EXPR:
        o.g.src.line(f"t0 = {x}")
        x = "t0"
        reads = ()
    fn = o.fallback(o.p.fn)
    r = o.result(f"{obj(x)}.{attr} if {obj(x)}.__class__ is PAIR else {fn}({x})", ANY, reads)
    o.learn(0, PAIR)
    return r


def _cxr(o: Operands, path: str):
    """c[ad]{2,3}r: `r = u1.car if x.__class__ is PAIR and (u0 := x.cdr).__class__
    is PAIR ... else P(x)` (the primitive raises the error; `path`: the
    letters in the order they apply). Who relies on it: code that walks
    lists of lists and records built as lists (`(cadr x)`, `(cddr l)`)."""
    x, = _named(o)
    tests = [] if o.types[0] == PAIR else [f"{obj(x)}.__class__ is PAIR"]
    cur = obj(x)
    for i, letter in enumerate(path[:-1]):
        tests.append(f"(u{i} := {cur}.{_FIELD[letter]}).__class__ is PAIR")
        cur = f"u{i}"
    fn = o.fallback(o.p.fn)
    return o.result(f"{cur}.{_FIELD[path[-1]]} if {' and '.join(tests)} else {fn}({x})", ANY)


_FIELD = {"a": "car", "d": "cdr"}


def _set_field(o: Operands, attr: str):
    """set-car!, set-cdr!: `x.car = v` on a pair, else the primitive (its
    error). Who relies on it: code that builds or reverses lists in place."""
    g, (x, v) = o.g, o.texts
    src = g.src
    if o.types[0] == PAIR:
        src.line(f"{x}.{attr} = {v}")
        return unspecified()
    fn = o.fallback(o.p.fn)
    src.line(f"if {obj(x)}.__class__ is PAIR:")
    src.line(f"    {obj(x)}.{attr} = {v}")
    src.line("else:")
    src.line(f"    {fn}({x}, {v})", o.pc + 1, o.below(), o.tail)
    return unspecified()


def _vector_index(o: Operands, _):
    """vector-ref (2 operands), vector-set! (3). Vectors are Python lists,
    whose length never changes: a constant index into a constant vector is
    a plain subscript (read now: it may be set later). Otherwise the list
    and a non-negative integer index are checked and an index past the end
    is caught (try costs nothing in 3.11; len() would be a call), and the
    primitive raises the SX error; a constant index that is not a valid one
    calls the primitive at once. Who relies on it: SOM's fields
    (`(vector-ref (cdr r) i)`), Array at: and at:put:, and its inline
    caches, constant vectors read at a constant index and written by the
    send that misses."""
    g, texts, ins, types = o.g, o.texts, o.ins, o.types
    src = g.src
    r = o.r
    v, k = texts[0], texts[1]
    ref = len(ins) == 2
    kconst = ins[1].value if ins[1].kind == CONST else None
    if (ins[0].kind == CONST and types[0] == VEC and kconst.__class__ is int and
            0 <= kconst < len(ins[0].value)):
        if not ref:
            src.line(f"{v}[{k}] = {texts[2]}")
            return unspecified()
        src.assign(len(o.st), f"{v}[{k}]", ())
        return stack_entry(len(o.st))
    fn = o.fallback(o.p.fn)
    if ref:
        body = [f"{r} = {v}[{k}]"]
    else:
        body = [f"{v}[{k}] = {texts[2]}", f"{r} = UNSPECIFIED"]
    return _indexed(o, f"{fn}({', '.join(texts)})", v, k, "list", VEC, body, "IndexError", ANY)


def _indexed(o: Operands, slow: str, coll: str, k: str, pyclass: str, known: str, body: list,
             caught: str, result: str):
    """The access `body` into `coll` at index `k`, for vector-ref,
    vector-set! and string-ref: run when coll is of `pyclass` (unless known)
    and k a non-negative integer, `slow` (the primitive, with its errors)
    otherwise or when the body raises `caught`; a constant index that is not
    a valid one calls the primitive at once (try costs nothing in 3.11; len()
    would be a call); an index known to be valid (types.SlotTypes.valid_index)
    is not checked. Afterwards coll is known to be `known`, k an INT."""
    ins, types = o.ins, o.types
    src, r = o.g.src, o.r
    at, safe = o.pc + 1, o.below()
    kconst = ins[1].value if ins[1].kind == CONST else None
    if ins[1].kind == CONST and (kconst.__class__ is not int or kconst < 0):
        src.assign(len(o.st), slow, reads_of(o.used), at, safe, o.tail)   # (its error)
        return stack_entry(len(o.st), result)
    valid = types[0] == known and o.g.types.valid_index(ins[1], ins[0])
    if valid and caught == "IndexError":      # (a string's may yet intern a character)
        src.line(body[0])
        return stack_entry(len(o.st), result) if len(body) == 1 else unspecified()
    test = [] if types[0] == known else [f"{obj(coll)}.__class__ is {pyclass}"]
    if ins[1].kind != CONST and not valid:
        if types[1] != INT:
            test.append(f"{obj(k)}.__class__ is int")
        test.append(f"{k} >= 0")
    if test:
        src.line(f"if {' and '.join(test)}:")
        src.ind += 1
    src.line("try:")
    for line in body:
        src.line(f"    {line}")
    src.line(f"except {caught}:")
    src.line(f"    {r} = {slow}", at, safe, o.tail)
    if test:
        src.ind -= 1
        src.line("else:")
        src.line(f"    {r} = {slow}", at, safe, o.tail)
    o.learn(0, known)
    o.learn(1, INT)
    return stack_entry(len(o.st), result)


_NUMBERS_CHARS = (*NUMBER_TYPES, Char)


def _number_text(e) -> bool:
    """An operand written as a number literal, or an expression that Python
    may fold into one: `is` with it is a SyntaxWarning (and a number
    written into the text is a new object anyway)."""
    return e.kind == CONST and e.value.__class__ in _NUMBERS_CHARS or \
        e.kind == EXPR and e.type in (INT, FLO)


def _eq(o: Operands, _):
    """eq? is identity except on integers and characters: against any other
    constant it is `(x is y)`; against a number or character constant
    `EQ(x, y)` (a number written into the Python text is a new object, and
    `is` with it a SyntaxWarning); otherwise identity is tried first,
    `(x is y or x.__class__ in EQV and EQ(x, y))`. Deferred. Who relies on
    it: SOM's inline caches (`(eq? class cached-class)`), symbols, nil."""
    x, y = o.texts
    ins = o.ins
    if any(_number_text(e) for e in ins):
        return expr_entry(f"EQ({x}, {y})", BOOL, o.used)
    if any(e.kind == CONST for e in ins):
        return expr_entry(f"({x} is {y})", BOOL, o.used)
    return expr_entry(f"({x} is {y} or {obj(x)}.__class__ in EQV and EQ({x}, {y}))", BOOL,
                      o.used)


def _identity_const(e) -> bool:
    """A constant that eqv? and memv compare by identity alone."""
    return e.kind == CONST and e.value.__class__ not in _NUMBERS_CHARS


def _eqv(o: Operands, _):
    """eqv? is identity except on numbers and characters: against another
    constant (a symbol, a boolean, the empty list) `(x is y)`; against a
    number or character constant `EQVP(x, y)`; else `(x is y or EQVP(x,
    y))`. Deferred. Who relies on it: `case` with one
    datum in a clause."""
    x, y = o.texts
    if any(_number_text(e) for e in o.ins):
        return expr_entry(f"EQVP({x}, {y})", BOOL, o.used)
    if any(_identity_const(e) for e in o.ins):
        return expr_entry(f"({x} is {y})", BOOL, o.used)
    if any(e.kind == CONST for e in o.ins):
        return expr_entry(f"EQVP({x}, {y})", BOOL, o.used)
    return expr_entry(f"({x} is {y} or EQVP({x}, {y}))", BOOL, o.used)


MAX_INLINE_MEMV = 8


def _memv(o: Operands, _):
    """memv of a constant proper list of at most MAX_INLINE_MEMV symbols or
    other identity-compared constants: `(K1 if x is a else K2 if x is b else
    False)`, K1, K2 its tails. Deferred (pure). Anything else calls the
    primitive. Who relies on it: `case` with several data in a clause."""
    lst = o.ins[1]
    tails = []
    if lst.kind == CONST:
        t = lst.value
        while t.__class__ is Pair and len(tails) <= MAX_INLINE_MEMV:
            tails.append(t)
            t = t.cdr
        if t is not NIL or len(tails) > MAX_INLINE_MEMV or any(
                not _identity_const(o.g.names.const(p.car)) for p in tails):
            tails = None
    if not tails:
        return _call(o)
    x = o.texts[0]
    names = o.g.names
    arms = [f"{names.name(p, 'K')} if {x} is {names.const(p.car).text} else " for p in tails]
    return expr_entry(f"({''.join(arms)}False)", ANY, o.used)


def _cons(o: Operands, _):
    """`tp = NEW(PAIR); tp.car = x; tp.cdr = y; r = tp`: not Pair(x, y), a
    constructor call costs three times as much. PAIR. Who relies on it: list
    building, SOM's objects and blocks."""
    o.g.src.line(f"tp = NEW(PAIR); tp.car = {o.texts[0]}; tp.cdr = {o.texts[1]}; {o.r} = tp")
    return stack_entry(len(o.st), PAIR)


def _values(o: Operands, _):
    """(values x) is x: one value needs no continuation. Who relies on it:
    code that returns one value through `values`."""
    return o.ins[0]


def _apply(o: Operands, _):
    """(apply f lst), a control primitive: `r = APPLY(f, lst, site, dp)`, which
    calls f's generated code directly when it has some (else as any call
    from generated code does), then deoptimises if the call invalidated
    this unit; in a tail position `APPLY_TAIL(...)`, a tail call the caller
    bounces (proper tail calls through apply). Who relies on it:
    interpreters that apply the procedures of the language they run."""
    g, (f, lst) = o.g, o.texts
    site = g.names.name(g.code.nodes[o.pc], "N")
    if o.tail:
        g.tail_calls = True
        return o.result(f"APPLY_TAIL({f}, {lst}, {site})", ANY)
    r = o.result(f"APPLY({f}, {lst}, {site}, dp + {len(g.code.ctx[o.pc])})", ANY)
    g.src.line(f"if not VALID: DEOPT({r.text})", o.pc + 1, o.below())
    return r


def _callcc(o: Operands, _):
    """(call/cc f), a control primitive: `r = CALLCC(f, site, dp)`, an
    escape-only continuation until it is shown to need its frames
    (runtime.callcc), then deoptimisation if the call invalidated this unit.
    In a tail position `CALLCC_TAIL(...)`, whose line stands for no VM
    frame (the continuation is the caller's), bounded like a direct tail
    call. Who relies on it: early exits from loops and searches, and guard,
    whose handlers escape through a continuation."""
    g, f = o.g, o.texts[0]
    src = g.src
    site = g.names.name(g.code.nodes[o.pc], "N")
    if o.tail:
        g.tail_calls = True
        prim = g.names.name(o.p, "K")
        src.line(f"{o.r} = CALLCC_TAIL({f}, {prim}, {site}, dp)")
        src.no_frame()
        return stack_entry(len(o.st))
    r = o.result(f"CALLCC({f}, {site}, dp + {len(g.code.ctx[o.pc])})", ANY)
    src.line(f"if not VALID: DEOPT({r.text})", o.pc + 1, o.below())
    return r


def _framed_call(o: Operands, fn: str):
    """A control primitive of two procedures that the runtime calls from
    Python (`fn`: WEH, CWV), standing for the machine's frame around the
    first call (runtime.collect rebuilds that frame): `r = fn(a, b, prim,
    site, dp)`, then deoptimisation if the call invalidated this unit. In a
    tail position the line stands for no VM frame (the machine's call would
    have replaced this one by that frame)."""
    g, (a, b) = o.g, o.texts
    site = g.names.name(g.code.nodes[o.pc], "N")
    prim = g.names.name(o.p, "K")
    if o.tail:
        g.src.line(f"{o.r} = {fn}({a}, {b}, {prim}, {site}, dp + 1)")
        g.src.no_frame()
        return stack_entry(len(o.st))
    r = o.result(f"{fn}({a}, {b}, {prim}, {site}, dp + {len(g.code.ctx[o.pc]) + 1})", ANY)
    g.src.line(f"if not VALID: DEOPT({r.text})", o.pc + 1, o.below())
    return r


# ---- integer division, strings and characters -------------------------------------------

# (x, c) -> the exact result for an integer constant c > 0 (any non-zero c
# for modulo: no division by zero, no fallback needed); the texts stand for
# integers, x may be negative: quotient truncates toward zero, remainder
# takes the sign of the dividend, modulo (Python's %) the sign of the divisor.
_BY_POSITIVE = {
    "quotient": "({x} // {y} if {x} >= 0 else -(-{x} // {y}))",
    "remainder": "({x} % {y} if {x} >= 0 else -(-{x} % {y}))",
    "modulo": "({x} % {y})",
}
# The guarded fast path for any two operands: floor and truncation agree
# when x >= 0 < y; modulo is Python's % for every non-zero integer divisor.
_FAST = {
    "quotient": ("({x} // {y})", "{x} >= 0 and {y} > 0"),
    "remainder": ("({x} % {y})", "{x} >= 0 and {y} > 0"),
    "modulo": ("({x} % {y})", "{y}"),
}


def _division(o: Operands, name: str):
    """quotient, remainder, modulo of two. On an INT and a positive integer
    constant (non-zero for modulo), a pure expression (deferred, INT); otherwise the fast path
    behind a guard (the operands' classes, their signs or a non-zero
    divisor), else the primitive, which also raises the division by zero.
    INT when both operands are: the primitive returns an integer for two
    integers or raises. Who relies on it: index arithmetic (`(modulo i n)`,
    `(quotient n 2)`), hash functions and random generators."""
    ins, types = o.ins, o.types
    yconst = ins[1].value if ins[1].kind == CONST else None
    positive = yconst.__class__ is int and (yconst > 0 or name == "modulo" and yconst != 0)
    if positive and types[0] == INT and (ins[0].kind != EXPR or name == "modulo"):
        return expr_entry(_BY_POSITIVE[name].format(x=o.texts[0], y=o.texts[1]), INT, o.used)
    fn = o.fallback(fast_function(o.p, 2))
    rtype = INT if types[0] == INT and types[1] == INT else ANY
    if ins[1].kind == CONST and not positive and yconst.__class__ is not int:
        return o.result(f"{fn}({o.texts[0]}, {o.texts[1]})", rtype)   # (its error, or floats)
    x, y = _named(o)
    test = [f"{obj(t)}.__class__ is int" for t, ty in zip((x, y), types) if ty != INT]
    if positive:
        fast = _BY_POSITIVE[name].format(x=x, y=y)
        if not test:                 # (an INT dividend evaluated first: nothing can fail)
            o.g.src.assign(len(o.st), fast, reads_of(o.used))
            return stack_entry(len(o.st), INT)
    else:
        fast, sign = _FAST[name]
        fast = fast.format(x=x, y=y)
        test.append(sign.format(x=x, y=y))
    return o.result(f"{fast} if {' and '.join(test)} else {fn}({x}, {y})", rtype)


def _zero(o: Operands, _):
    """zero?: `(x == 0)` on an INT, deferred; else checked. BOOL. Who relies
    on it: counters (`(if (zero? n) ...)`)."""
    x = o.texts[0]
    if o.types[0] == INT:
        return expr_entry(f"({x} == 0)", BOOL, o.used)
    x, = _named(o)
    fn = o.fallback(o.p.fn)
    return o.result(f"({x} == 0) if {obj(x)}.__class__ is int else {fn}({x})", BOOL)


def _string_length(o: Operands, _):
    """`len(x.s)` on a STR, deferred (no mutation of a string changes its
    length), else checked. INT. Who relies on it: string walks' bounds."""
    return _length(o, _checked_unary(o, "len({x}.s)", "MSTRING", STR, INT))


def _string_ref(o: Operands, _):
    """string-ref of two: `r = CHARS[s.s[k]]` (the interned character; read
    now: the string may be set later) for a string and a non-negative
    integer index, as `_vector_index` does; an index past the end, or a
    character not interned yet (a KeyError: both are LookupErrors), goes to
    the primitive, which raises the one and interns the other. CHAR. Who
    relies on it: lexers and parsers reading their text."""
    s, k = _named(o)
    fn = o.fallback(o.p.fn)
    return _indexed(o, f"{fn}({s}, {k})", s, k, "MSTRING", STR,
                    [f"{o.r} = CHARS[{obj(s)}.s[{k}]]"], "LookupError", CHAR)


def _char_to_integer(o: Operands, _):
    """`ord(x.c)` on a CHAR, deferred (characters are immutable), else
    checked. INT. Who relies on it: digit values, character codes."""
    return _checked_unary(o, "ord({x}.c)", "CHAR", CHAR, INT)


def _checked_unary(o: Operands, form: str, pyclass: str, known: str, result: str):
    """`form` of the operand (`{x}` in it), deferred when the operand is
    known to be of type `known`, else `r = form if x.__class__ is pyclass
    else P(x)`, after which the operand is known to be of that type."""
    x = o.texts[0]
    text = form.format(x=obj(x))
    if o.types[0] == known:
        return expr_entry(text, result, o.used)
    fn = o.fallback(o.p.fn)
    r = o.result(f"{text} if {obj(x)}.__class__ is {pyclass} else {fn}({x})", result)
    o.learn(0, known)
    return r


def _integer_to_char(o: Operands, _):
    """`r = CHARS[chr(n)]` for 0 <= n < 256 (Latin-1 is interned up front:
    values.CHARS), else the primitive (its range errors, other code
    points). CHAR. Who relies on it: code that computes characters."""
    n, = _named(o)
    test = "" if o.types[0] == INT else f"{obj(n)}.__class__ is int and "
    fn = o.fallback(o.p.fn)
    return o.result(f"CHARS[chr({n})] if {test}0 <= {n} < 256 else {fn}({n})", CHAR)


def _char_compare(o: Operands, sym: str):
    """char=? char<? char>? char<=? char>=? of two: `(x.c sym y.c)`, the
    order of code points, as the primitive compares. A character constant
    is its Python literal; on CHARs it is deferred (characters are
    immutable), else the operands not known to be characters are checked
    and the primitive gets the others. BOOL. Who relies on it: lexers
    (`(char=? c #\\()`), SOM's lexer."""
    ins, types = o.ins, o.types
    texts = o.texts
    codes, test = [], []
    for e, t, ty in zip(ins, texts, types):
        if e.kind == CONST and e.value.__class__ is Char:
            codes.append(repr(e.value.c))
        else:
            codes.append(f"{obj(t)}.c")
            if ty != CHAR:
                test.append(f"{obj(t)}.__class__ is CHAR")
    fast = f"({codes[0]} {sym} {codes[1]})"
    if not test:
        return expr_entry(fast, BOOL, o.used)
    fn = o.fallback(o.p.fn)
    return o.result(f"{fast} if {' and '.join(test)} else {fn}({texts[0]}, {texts[1]})", BOOL)


def _char_class(o: Operands, test: str):
    """char-whitespace?, char-numeric?: the primitive's own test of the
    Python character (`test` of `{c}`), deferred on a CHAR, else checked.
    BOOL. Who relies on it: lexers skipping spaces and reading numbers."""
    x = o.texts[0]
    ws = o.g.names.name(_WHITESPACE_SET, "K") if "{ws}" in test else ""
    fast = test.format(c=f"{obj(x)}.c", ws=ws)
    if o.types[0] == CHAR:
        return expr_entry(fast, BOOL, o.used)
    fn = o.fallback(o.p.fn)
    return o.result(f"{fast} if {obj(x)}.__class__ is CHAR else {fn}({x})", BOOL)


def _string_eq(o: Operands, _):
    """string=? of two: `r = (x.s == y.s)` (read now: strings are mutable)
    when both are strings, else the primitive. BOOL. Who relies on it:
    keyword and token comparisons."""
    x, y = o.texts
    test = [f"{obj(t)}.__class__ is MSTRING" for t, ty in zip((x, y), o.types) if ty != STR]
    fast = f"({obj(x)}.s == {obj(y)}.s)"
    fn = o.fallback(o.p.fn)
    if not test:
        return o.result(fast, BOOL)
    return o.result(f"{fast} if {' and '.join(test)} else {fn}({x}, {y})", BOOL)


def _string_append(o: Operands, _):
    """string-append of two or more: `r = MSTRING(x.s + y.s) if x.__class__
    is MSTRING and ... else P(x, y)` (a fresh string; the operands known to
    be strings are not tested). STR. Who relies on it: output built piece by
    piece, records and keys glued together."""
    texts = _named(o)
    test = [f"{obj(t)}.__class__ is MSTRING" for t, ty in zip(texts, o.types) if ty != STR]
    fast = f"MSTRING({' + '.join(f'{obj(t)}.s' for t in texts)})"
    if not test:
        return o.result(fast, STR)
    fn = o.fallback(o.p.fn)
    return o.result(f"{fast} if {' and '.join(test)} else {fn}({', '.join(texts)})", STR)


def _substring(o: Operands, _):
    """substring of three: `r = MSTRING(s.s[i:j]) if s.__class__ is MSTRING
    and ... and 0 <= i <= j <= len(s.s) else P(s, i, j)` (a fresh string,
    the range the primitive accepts; the primitive raises for the others).
    STR. Who relies on it: tokens cut out of a text, SOM's `charAt:`."""
    one = o.types[0] == STR and o.ins[2].slot is not None and o.ins[1].info == \
        (OFF, o.ins[2].slot, -1) and o.g.types.valid_index(o.ins[1], o.ins[0])
    s, i, j = _named(o)
    if one:          # (the character at j - 1, behind a bounds test: SOM's charAt:)
        return o.result(f"MSTRING({obj(s)}.s[{i}:{j}])", STR)
    test = [] if o.types[0] == STR else [f"{obj(s)}.__class__ is MSTRING"]
    test += [f"{obj(t)}.__class__ is int" for t, ty in zip((i, j), o.types[1:]) if ty != INT]
    test.append(f"0 <= {i} <= {j} <= len({obj(s)}.s)")
    fn = o.fallback(o.p.fn)
    return o.result(f"MSTRING({obj(s)}.s[{i}:{j}]) if {' and '.join(test)} else {fn}({s}, {i}, {j})",
                    STR)


def _dict_key(o: Operands, i: int, test: list):
    """The text of operand i's key in a dict's table (runtime.equality's
    equal_key): a constant's, computed now; a string's `(STRKEY, x.s)` (its
    contents now); a symbol's or fixnum's, itself. Adds to `test` the check
    that an unknown operand is one of those (KEYED); None for a constant
    that is none of them."""
    x, ty = o.texts[i], o.types[i]
    if o.ins[i].kind == CONST:
        v = o.ins[i].value
        if v.__class__ is Symbol or v.__class__ is int or v.__class__ is MString:
            return o.g.names.const(equal_key(v)).text
        return None
    if ty == STR:
        return f"(STRKEY, {obj(x)}.s)"
    if ty != INT:
        test.append(f"{obj(x)}.__class__ in KEYED")
    return x if ty == INT else f"((STRKEY, {obj(x)}.s) if {obj(x)}.__class__ is MSTRING else {x})"


def _dict_access(o: Operands, has: bool):
    """dict-has-key? of two: `r = (key in d.table)`; dict-ref of two or
    three: `r = tw[1] if ... (tw := d.table.get(key)) is not None else P(d,
    key[, default])`, the entry being (key, value). Inline for a dict and a
    string, symbol or fixnum key (_dict_key); anything else, and a missing
    key without a default, goes to the primitive (its errors, equal_key's
    other keys). Who relies on it: records kept in dicts (a server's
    requests and rows), memo tables, SOM's string choices."""
    texts = _named(o)
    d = o.ins[0]
    # (a constant's class is known: SOM's string choices test a constant dict)
    test = [] if d.kind == CONST and d.value.__class__ is Dict else \
        [f"{obj(texts[0])}.__class__ is DICT"]
    key = _dict_key(o, 1, test)
    fn = o.fallback(o.p.fn)
    slow = f"{fn}({', '.join(texts)})"
    if key is None:
        return o.result(slow, BOOL if has else ANY)
    table = f"{obj(texts[0])}.table"
    if has:
        return o.result(_guarded(f"({key} in {table})", test, slow), BOOL)
    r = "tw"     # (not the result's local: that may hold an operand, read by the fallback)
    if len(texts) == 3:
        found = f"({r}[1] if ({r} := {table}.get({key})) is not None else {texts[2]})"
        return o.result(_guarded(found, test, slow), ANY)
    test.append(f"({r} := {table}.get({key})) is not None")
    return o.result(f"{r}[1] if {' and '.join(test)} else {slow}", ANY)


def _guarded(fast: str, test: list, slow: str) -> str:
    """fast where the tests hold, else slow."""
    return f"{fast} if {' and '.join(test)} else {slow}" if test else fast


def _string_of_char(o: Operands, _):
    """(string c) of one character: `r = MSTRING(c.c) if c.__class__ is CHAR
    else P(c)`, never deferred (each call makes a fresh, mutable string).
    STR. Who relies on it: SOM's `charAt:`, one-character strings."""
    x = _named(o)[0]
    fast = f"MSTRING({obj(x)}.c)"
    if o.types[0] == CHAR:
        return o.result(fast, STR)
    fn = o.fallback(o.p.fn)
    return o.result(f"{fast} if {obj(x)}.__class__ is CHAR else {fn}({x})", STR)


def _equal_const(o: Operands, _):
    """equal? against a constant symbol, boolean or () is identity,
    deferred (each of those is only ever equal? to itself); against an
    integer or character constant, equal? is what eq? is (`EQ`: a Fraction
    is never integral, and a bool is not an int). Any other operands call
    the primitive. Who relies on it: comparisons with a constant."""
    x, y = o.texts
    consts = [e.value for e in o.ins if e.kind == CONST]
    if any(v.__class__ is int or v.__class__ is Char for v in consts):
        return expr_entry(f"EQ({x}, {y})", BOOL, o.used)
    if any(_number_text(e) for e in o.ins):     # (`is` with a number: see _number_text)
        return _call(o)
    if any(v.__class__ is Symbol or v.__class__ is bool or v is NIL for v in consts):
        return expr_entry(f"({x} is {y})", BOOL, o.used)
    return _call(o)


def _nary(o: Operands, sym: str):
    """+ - * of three or more operands, and the chained comparisons: on
    INTs, `(a sym b sym c)` deferred (Python's left-to-right, or chained,
    as the primitive folds them); otherwise the operands not known to be
    integers are checked, else the primitive with them all. INT or BOOL on
    INTs (ANY for arithmetic on others). Who relies on it: sums of several
    terms (`(+ (* i 7) (* j 13) (* i j))`), range tests `(<= lo x hi)`."""
    texts, types = o.texts, o.types
    arith = sym in ("+", "-", "*")
    if all(ty == INT for ty in types):
        return expr_entry(f"({f' {sym} '.join(texts)})", INT if arith else BOOL, o.used)
    texts = _named(o)
    guard = " and ".join(f"{obj(x)}.__class__ is int" for x, ty in zip(texts, types) if ty != INT)
    fn = o.fallback(o.p.fn)
    return o.result(f"({f' {sym} '.join(texts)}) if {guard} else {fn}({', '.join(texts)})",
                    ANY if arith else BOOL)


EMITTERS = {
    "+": Emitter(2, _arithmetic, "+", ints=True),
    "-": Emitter(2, _arithmetic, "-", ints=True),
    "*": Emitter(2, _arithmetic, "*", ints=True),
    "<": Emitter(2, _comparison, "<", ints=True),
    ">": Emitter(2, _comparison, ">", ints=True),
    "<=": Emitter(2, _comparison, "<=", ints=True),
    ">=": Emitter(2, _comparison, ">=", ints=True),
    "=": Emitter(2, _comparison, "==", ints=True),
    "/": Emitter(2, _divide),
    "exact->inexact": Emitter(1, _inexact),
    "inexact": Emitter(1, _inexact),
    "not": Emitter(1, _not, fold=True),
    "null?": Emitter(1, _null, fold=True),
    "pair?": Emitter(1, _type_test, ("PAIR", PAIR), fold=True),
    "exact-integer?": Emitter(1, _type_test, ("int", INT)),
    "vector?": Emitter(1, _type_test, ("list", VEC)),
    "vector-length": Emitter(1, _vector_length),
    "car": Emitter(1, _field, "car"),
    "cdr": Emitter(1, _field, "cdr"),
    "set-car!": Emitter(2, _set_field, "car"),
    "set-cdr!": Emitter(2, _set_field, "cdr"),
    **{name: Emitter(1, _cxr, name[-2:0:-1]) for name in
       ("caar", "cadr", "cdar", "cddr", "caddr", "cdddr", "caadr", "cddar", "cdadr")},
    "char=?": Emitter(2, _char_compare, "=="),
    "vector-ref": Emitter(2, _vector_index),
    "vector-set!": Emitter(3, _vector_index),
    "eq?": Emitter(2, _eq, fold=True),
    "eqv?": Emitter(2, _eqv, fold=True),
    "memv": Emitter(2, _memv),
    "cons": Emitter(2, _cons),
    "values": Emitter(1, _values, control=True),
    "apply": Emitter(2, _apply, control=True),
    "call/cc": Emitter(1, _callcc, control=True),
    # (the handler pushed around the thunk's call: runtime.with_handler;
    # who relies on it: guard, error-catching middleware)
    "with-exception-handler": Emitter(2, _framed_call, "WEH", control=True),
    # (the producer's values passed to the consumer: runtime.call_with_values;
    # who relies on it: guard's body, code returning several values)
    "call-with-values": Emitter(2, _framed_call, "CWV", control=True),
    "quotient": Emitter(2, _division, "quotient", ints=True),
    "remainder": Emitter(2, _division, "remainder", ints=True),
    "modulo": Emitter(2, _division, "modulo", ints=True),
    "zero?": Emitter(1, _zero, ints=True),
    "string?": Emitter(1, _type_test, ("MSTRING", STR), fold=True),
    "char?": Emitter(1, _type_test, ("CHAR", CHAR), fold=True),
    "symbol?": Emitter(1, _type_test, ("SYMBOL", None), fold=True),
    "string-length": Emitter(1, _string_length),
    "string-ref": Emitter(2, _string_ref),
    "string=?": Emitter(2, _string_eq),
    "char->integer": Emitter(1, _char_to_integer),
    "integer->char": Emitter(1, _integer_to_char),
    "char<?": Emitter(2, _char_compare, "<"),
    "char>?": Emitter(2, _char_compare, ">"),
    "char<=?": Emitter(2, _char_compare, "<="),
    "char>=?": Emitter(2, _char_compare, ">="),
    "char-whitespace?": Emitter(1, _char_class, "({c} in {ws})"),
    "char-numeric?": Emitter(1, _char_class, "{c}.isdecimal()"),
    "equal?": Emitter(2, _equal_const),
    "string-append": Emitter(2, _string_append),
    "string": Emitter(1, _string_of_char),
    "substring": Emitter(3, _substring),
    "dict-has-key?": Emitter(2, _dict_access, True),
    "dict-ref": Emitter(2, _dict_access, False),
}

# The primitives inlined at three operands or more (`lower`).
NARY = {
    "+": Emitter(3, _nary, "+"),
    "-": Emitter(3, _nary, "-"),
    "*": Emitter(3, _nary, "*"),
    "<": Emitter(3, _nary, "<"),
    ">": Emitter(3, _nary, ">"),
    "<=": Emitter(3, _nary, "<="),
    ">=": Emitter(3, _nary, ">="),
    "=": Emitter(3, _nary, "=="),
    "string-append": Emitter(3, _string_append),
    "dict-ref": Emitter(3, _dict_access, False),     # (with a default: it takes no more)
}

# The type of what a primitive called plainly (`_call`) returns, when it
# returns one kind of value or raises: fresh strings, counts, vectors.
RETURNS = {
    **dict.fromkeys(("string-append", "substring", "string-copy", "number->string",
                     "list->string", "make-string", "string", "symbol->string",
                     "string-upcase", "string-downcase", "string-foldcase"), STR),
    **dict.fromkeys(("char-upcase", "char-downcase", "char-foldcase"), CHAR),
    **dict.fromkeys(("length",), INT),
    **dict.fromkeys(("vector", "make-vector", "list->vector", "string->vector"), VEC),
}

# The primitives whose slot operands the integer copy checks on entry: the
# inline arithmetic, comparisons and integer division, and zero? (a
# counter's test).
INT_OPERANDS = frozenset(name for name, em in EMITTERS.items() if em.ints)
