"""The forward type facts of tier 2, and the assumptions behind them.

A type is what the translation knows about a value: INT (a Python int, never
a bool), FLO (a Python float: a flonum), BOOL, PAIR, VEC (a vector: a Python
list), STR (an MString: its contents may change, its length never does),
CHAR (a Char), or ANY. Facts flow forward through the structured code as it
is translated: a stack entry carries its type (constants, and what an
emitter says its result is: see emitters.py), and `SlotTypes` holds what is
known about each slot at the point being translated. Knowing INT is what
lets `(- n 1)` be `l0 - 1` with no guard; knowing FLO, that `(* x 2.0)` is
`l0 * 2.0`; knowing PAIR, that `(car x)` is `x.car`.

Where the facts come from:
- the typed copies of a procedure: its parameters used in arithmetic are
  checked once on entry (`int_params`), so they are INT throughout the
  integer copy, and FLO throughout the flonum copy (made for code that
  mentions a flonum literal: `flonum_code`);
- a BIND gives its slot the type of the value bound;
- a `pair?`, `exact-integer?`, `vector?`, `string?` or `char?` test of a
  slot narrows that slot in the branch it guards (the emitter records the
  narrowing on its entry), and so does every test of an `and` whose later
  tests are deferred expressions (translate.and_test); a comparison of
  integers proves facts about their slots there (below);
- an inlined loop whose variables used in arithmetic have no known type is
  entered through a check that they are integers, or flonums when its code
  mentions a flonum (translate.typed_copies): they are INT or FLO in that
  copy of the loop, ANY in the last;
- three optimistic assumptions (`Assumptions`), each dropped when the code
  translated under it contradicts it, which makes the unit be translated
  again: that the unit never returns a tail call (so its direct self calls
  need not bounce), that each typed copy returns its type whenever its self
  calls with arguments of that type do (so `(+ (fib ...) (fib ...))` needs
  no guard), and that an inlined loop's variables that enter it as INT or
  FLO keep that type (each back edge checks).
"""

from __future__ import annotations

from ...bytecode import code as op

INT, FLO, BOOL, ANY = "int", "float", "bool", "any"
PAIR, VEC = "pair", "vector"
NUMERIC = (INT, FLO)          # the types whose loop variables are assumed to stay
PYCLASS = {INT: "int", FLO: "float"}    # the Python class a typed copy checks for
STR, CHAR = "string", "char"     # an MString; a Char

# Facts: what a comparison of integers proves about slots in the branch it
# guards, so that indexing behind a bounds test needs no check of its own.
# (POS, x): slot x >= 1; (NNEG, x): x >= 0; (LE, x, c): x <= the length of
# the vector or string in slot c; (LT, x, c): x < it. A rebinding of a slot
# drops the facts that mention it (lengths never change: see STR). An entry
# that a fact can be about carries `info`: (OFF, x, k) for `x + k`, (LEN, c)
# for c's length.
POS, NNEG, LE, LT = "pos", "nneg", "le", "lt"
OFF, LEN = "off", "len"

_OPERAND_SLOTS = (op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL)
_ONE_PUSH = (op.LOCAL, op.CONST, op.GLOBAL, op.ENV)    # instructions that push one value


def merge(a: str, b: str) -> str:
    """The type of a value that comes from either of two branches."""
    return a if a == b else ANY


def int_params(code, arithmetic: frozenset) -> tuple:
    """The parameters the typed copies check once on entry: those used as
    operands of the primitives in `arithmetic`, unless a box holds them."""
    boxed = {a for o, a in zip(code.ops, code.args) if o == op.BOX_PARAM}
    found = operand_slots(code, 0, len(code.ops), arithmetic)
    return tuple(sorted(s for s in found if s < code.nreq and s not in boxed))


def operand_slots(code, start: int, stop: int, arithmetic: frozenset) -> set:
    """The slots used as operands of the primitives in `arithmetic` between
    pc start and stop: the slot operands of PRIM1_L, PRIM2_LC, PRIM2_LL, and
    the slots read by LOCAL just before a two-operand PRIMCALL or CALLPRIM
    (its second operand, or its first when one push is its second)."""
    ops, args = code.ops, code.args
    found = set()
    for pc in range(start, stop):
        o, a = ops[pc], args[pc]
        if o in _OPERAND_SLOTS:
            if a[1].name in arithmetic:
                found.add(a[3])
                if o == op.PRIM2_LL:
                    found.add(a[4])
        elif (o == op.PRIMCALL and a[2] == 2 and a[1].name in arithmetic or
              o == op.CALLPRIM and a[1] == 2 and a[0].name in arithmetic):
            if ops[pc - 1] == op.LOCAL:
                found.add(args[pc - 1])
            if ops[pc - 1] in _ONE_PUSH and ops[pc - 2] == op.LOCAL:
                found.add(args[pc - 2])
    return found


def flonum_code(code, start: int = 0, stop: int | None = None) -> bool:
    """Whether the code between start and stop mentions a flonum literal:
    the evidence that its arithmetic sees flonums, which earns it a flonum
    copy (there is no run-time type feedback yet)."""
    for o, a in zip(code.ops[start:stop], code.args[start:stop]):
        if o == op.CONST and a.__class__ is float:
            return True
        if o == op.PRIM2_LC and a[4].__class__ is float:
            return True
    return False


class SlotTypes:
    """What is known at the point being translated: the type of each slot
    (a slot not in `known` is ANY), and `facts` about slots holding
    integers (see the facts below)."""

    __slots__ = ("known", "facts")

    def __init__(self, spec: tuple, type_: str = INT) -> None:
        self.known = {s: type_ for s in spec}
        self.facts: set = set()

    def of(self, slot: int) -> str:
        return self.known.get(slot, ANY)

    def bind(self, slot: int, t: str) -> None:
        if t != ANY:
            self.known[slot] = t
        else:              # (a loop variable's slot is bound again)
            self.known.pop(slot, None)
        self._drop_facts((slot,))

    def forget(self, slot: int) -> None:
        self.known.pop(slot, None)
        self._drop_facts((slot,))

    def save(self) -> tuple:
        """What is known here, for `restore` once a branch or a loop is done
        (what an arm or a loop body learns holds in it alone)."""
        return dict(self.known), frozenset(self.facts)

    def restore(self, saved: tuple) -> None:
        self.known = dict(saved[0])
        self.facts = set(saved[1])

    def key(self) -> tuple:
        """What is known, as a dict key."""
        return tuple(sorted(self.known.items())), frozenset(self.facts)

    def narrow(self, narrowing: tuple) -> None:
        """Entering the branch a test guards: the (slot, type) pairs and the
        facts it proves (a type test's, a comparison's, an `and` of tests'
        all of theirs)."""
        for item in narrowing:
            if item[0].__class__ is int:
                self.known[item[0]] = item[1]
            else:
                self.facts.add(item)

    def valid_index(self, index, coll) -> bool:
        """Whether the stack entry `index` is known to be a valid 0-based
        index of the vector or string in the slot that entry `coll` reads:
        the slot itself, when 0 <= it < the length, or (- X 1), when
        1 <= X <= the length. The 1-based accesses of guest languages (SOM's
        at:, at:put: and charAt: behind their bounds tests) need no check."""
        c = coll.slot
        if c is None:
            return False
        facts = self.facts
        if index.slot is not None:
            return (NNEG, index.slot) in facts and (LT, index.slot, c) in facts
        info = index.info
        return info is not None and info[0] == OFF and info[2] == -1 and \
            (POS, info[1]) in facts and (LE, info[1], c) in facts

    def _drop_facts(self, slots) -> None:
        if self.facts:
            self.facts = {f for f in self.facts if not any(s in f[1:] for s in slots)}

    def enter_loop(self, slots: tuple, widened: set, copy, checked: tuple = (),
                   type_=None) -> tuple:
        """At a loop's head: its variables that are INT or FLO now (or are
        checked to be of type_ on entry: `checked`) are assumed to keep that
        type, unless that already failed in this copy of the loop (`copy`
        names it: (function, the type its checked variables have)). Nothing
        is known of the others. The (slot, type, copy) assumed."""
        known = self.known
        typed = tuple((s, type_ if s in checked else known.get(s), copy) for s in slots
                      if (s in checked or known.get(s) in NUMERIC) and (s, copy) not in widened)
        for s in slots:
            known.pop(s, None)
        self._drop_facts(slots)
        for s, t, _ in typed:
            known[s] = t
        return typed

    def back_edge(self, typed: tuple, widened: set) -> bool:
        """At a loop's back edge: whether the assumption about its typed
        variables failed (they are added to `widened`, and the unit must be
        translated again)."""
        failed = False
        for s, t, copy in typed:
            if self.known.get(s) != t:
                widened.add((s, copy))
                failed = True
        return failed


class Assumptions:
    """The optimistic assumptions a translation runs under (see above)."""

    __slots__ = ("no_tail_calls", "typed_return", "widened")

    def __init__(self) -> None:
        self.no_tail_calls = True        # the unit never returns a TC
        # the types whose copy returns its type when its self calls with
        # arguments of that type do
        self.typed_return = {INT, FLO}
        self.widened: set = set()        # (loop variable, copy) not to assume typed

    def settle(self, translate) -> None:
        """Translate until the code bears the assumptions out, dropping one at
        a time. `translate(self)` returns (a loop assumption failed, a tail
        call was emitted, (type, returned type) for each return of a typed
        copy)."""
        while True:
            failed, tail_calls, returns = translate(self)
            if failed:
                continue
            if self.no_tail_calls and tail_calls:
                self.no_tail_calls = False
            elif any(t != r and t in self.typed_return for t, r in returns):
                self.typed_return -= {t for t, r in returns if t != r}
            else:
                return
