"""The forward type facts of tier 2, and the assumptions behind them.

A type is what the translation knows about a value: INT (a Python int, never
a bool), BOOL, PAIR, VEC (a vector: a Python list), STR (an MString: its
contents may change, its length never does), CHAR (a Char), or ANY. Facts flow
forward through the structured code as it is translated: a stack entry
carries its type (constants, and what an emitter says its result is: see
emitters.py), and `SlotTypes` holds what is known about each slot at the
point being translated. Knowing INT is what lets `(- n 1)` be `l0 - 1`
with no guard; knowing PAIR, that `(car x)` is `x.car`.

Where the facts come from:
- the integer copy of a procedure: its parameters used in arithmetic are
  checked once on entry (`int_params`), so they are INT throughout;
- a BIND gives its slot the type of the value bound;
- a `pair?`, `exact-integer?`, `vector?`, `string?` or `char?` test of a slot narrows that slot
  in the branch it guards (the emitter records the narrowing on its entry);
- three optimistic assumptions (`Assumptions`), each dropped when the code
  translated under it contradicts it, which makes the unit be translated
  again: that the unit never returns a tail call (so its direct self calls
  need not bounce), that its integer copy returns an integer whenever its
  self calls on integers do (so `(+ (fib ...) (fib ...))` needs no guard),
  and that an inlined loop's variables that enter it as integers stay
  integers (each back edge checks).
"""

from __future__ import annotations

from ...bytecode import code as op

INT, BOOL, ANY = "int", "bool", "any"
PAIR, VEC = "pair", "vector"
STR, CHAR = "string", "char"     # an MString; a Char

_OPERAND_SLOTS = (op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL)


def merge(a: str, b: str) -> str:
    """The type of a value that comes from either of two branches."""
    return a if a == b else ANY


def int_params(code, arithmetic: frozenset) -> tuple:
    """The parameters the integer copy checks once on entry: those used as
    operands of the primitives in `arithmetic` (slot operands of PRIM1_L,
    PRIM2_LC, PRIM2_LL), unless a box holds them."""
    boxed = {a for o, a in zip(code.ops, code.args) if o == op.BOX_PARAM}
    found = set()
    for o, a in zip(code.ops, code.args):
        if o in _OPERAND_SLOTS and a[1].name in arithmetic:
            found.add(a[3])
            if o == op.PRIM2_LL:
                found.add(a[4])
    return tuple(sorted(s for s in found if s < code.nreq and s not in boxed))


class SlotTypes:
    """What is known of the slots at the point being translated (a slot not
    in `known` is ANY)."""

    __slots__ = ("known",)

    def __init__(self, ints: tuple) -> None:
        self.known = {s: INT for s in ints}

    def of(self, slot: int) -> str:
        return self.known.get(slot, ANY)

    def bind(self, slot: int, t: str) -> None:
        if t != ANY:
            self.known[slot] = t
        else:              # (a loop variable's slot is bound again)
            self.known.pop(slot, None)

    def forget(self, slot: int) -> None:
        self.known.pop(slot, None)

    def save(self) -> dict:
        """The facts here, for `restore` once a branch or a loop is done
        (what an arm or a loop body learns holds in it alone)."""
        return dict(self.known)

    def restore(self, saved: dict) -> None:
        self.known = saved

    def narrow(self, narrowing) -> None:
        """Entering the branch a type test guards: (slot, type) or None."""
        if narrowing is not None:
            self.known[narrowing[0]] = narrowing[1]

    def enter_loop(self, slots: tuple, widened: set) -> tuple:
        """At a loop's head: its variables that are integers now are assumed
        to stay integers (unless that already failed: `widened`); nothing is
        known of the others. The slots assumed integers."""
        known = self.known
        ints = tuple(s for s in slots if known.get(s) == INT and s not in widened)
        for s in slots:
            known.pop(s, None)
        for s in ints:
            known[s] = INT
        return ints

    def back_edge(self, ints: tuple, widened: set) -> bool:
        """At a loop's back edge: whether the assumption about its integer
        variables failed (they are added to `widened`, and the unit must be
        translated again)."""
        failed = False
        for s in ints:
            if self.known.get(s) != INT:
                widened.add(s)
                failed = True
        return failed


class Assumptions:
    """The optimistic assumptions a translation runs under (see above)."""

    __slots__ = ("no_tail_calls", "int_return", "widened")

    def __init__(self, int_copy: bool) -> None:
        self.no_tail_calls = True     # the unit never returns a TC
        self.int_return = int_copy    # the integer copy's self calls return integers
        self.widened: set = set()     # loop variables not to assume integers

    def settle(self, translate) -> None:
        """Translate until the code bears the assumptions out, dropping one at
        a time. `translate(self)` returns (a loop assumption failed, a tail
        call was emitted, the types the integer copy returns)."""
        while True:
            failed, tail_calls, returns = translate(self)
            if failed:
                continue
            if self.no_tail_calls and tail_calls:
                self.no_tail_calls = False
            elif self.int_return and any(t != INT for t in returns):
                self.int_return = False
            else:
                return
