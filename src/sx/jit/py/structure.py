"""Structure recovery: the code object's bytecode as a tree of blocks.

The bytecode comes from expressions, so it is structured: every jump but
CONTINUE goes forward, an `if` is JUMP_IF_FALSE over its then-arm (ended by
a JUMP over the else-arm when the two arms join again), and an inlined loop
is LOOP (end, slots, ftail) over its body. This pass recovers that shape
once per unit, as data the translation walks (however many times the type
assumptions make it translate again):

- a block is a list of nodes: an `int` (the pc of a plain instruction), an
  `If` or a `Loop`;
- a block ends at its first terminator: RETURN, TAIL_CALL, BREAK, CONTINUE,
  an `If` whose arms do not join, or a loop in the code's tail. What the
  bytecode holds after a terminator is never reached;
- SET_GLOBAL and DEFINE take the CONST UNSPECIFIED that follows them (the
  assignment's value): tier 2 resumes after both when an assignment
  invalidates its own unit.
"""

from __future__ import annotations

from ...bytecode import code as op

_ENDS = frozenset((op.RETURN, op.TAIL_CALL, op.BREAK, op.CONTINUE))
_ASSIGNS = frozenset((op.SET_GLOBAL, op.DEFINE))


class If:
    """JUMP_IF_FALSE at `pc`. `join`: the pc where the arms meet again, each
    leaving the if's value on the stack (None: both arms end the block)."""

    __slots__ = ("pc", "then", "else_", "join")

    def __init__(self, pc: int, then: list, else_: list, join) -> None:
        self.pc = pc
        self.then = then
        self.else_ = else_
        self.join = join


class Loop:
    """An inlined named-let loop: LOOP at `pc`, its code up to `end`.
    `slots`: its variables; `ftail`: the loop is the code's tail (its BREAKs
    end the function)."""

    __slots__ = ("pc", "end", "slots", "ftail", "body")

    def __init__(self, pc: int, end: int, slots: tuple, ftail: bool, body: list) -> None:
        self.pc = pc
        self.end = end
        self.slots = slots
        self.ftail = ftail
        self.body = body


def recover(code) -> list:
    """The block of the whole code object."""
    return _block(code.ops, code.args, 0, len(code.ops))


def loops_on_self(code) -> bool:
    """Whether a procedure's body is a `while True:` (a self tail call, which
    becomes `continue`, may be among its tail calls)."""
    return code.lam is not None and op.TAIL_CALL in code.ops


def _block(ops: list, args: list, pc: int, end: int) -> list:
    nodes: list = []
    while pc < end:
        o = ops[pc]
        if o == op.JUMP_IF_FALSE:
            target = args[pc]
            last = target - 1            # a JUMP there: the arms join
            if ops[last] == op.JUMP:
                join = args[last]
                nodes.append(If(pc, _block(ops, args, pc + 1, last),
                                _block(ops, args, target, join), join))
                pc = join
                continue
            nodes.append(If(pc, _block(ops, args, pc + 1, target),
                            _block(ops, args, target, end), None))
            return nodes
        if o == op.LOOP:
            stop, slots, ftail = args[pc]
            nodes.append(Loop(pc, stop, slots, ftail, _block(ops, args, pc + 1, stop)))
            if ftail:
                return nodes
            pc = stop
            continue
        nodes.append(pc)
        if o in _ENDS:
            return nodes
        pc += 2 if o in _ASSIGNS else 1
    return nodes
