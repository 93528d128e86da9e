"""Code objects: what the bytecode compiler produces and the VM runs.

An instruction is an opcode (a small int in `ops`) and one operand (in the
parallel list `args`); operands are stored resolved (the constant itself,
the global's cell, the lambda to close over), so the VM never indexes a pool.

Variables live in one of two places:
- slots `L[s]` of the activation, for most binders (frames.py decides). A
  slot variable that is ever assigned (set!, or letrec's late
  initialisation) holds a one-element box `[value]`, fresh per binding, so a
  continuation resumed twice shares the variable, not a copy (tier 2 keeps
  the value itself, boxing it when it rebuilds the frame for the VM);
- environment frames `[parent, v1, v2, ...]`, laid out exactly as the CEK
  lays them out, for binders with a variable that a nested lambda captures
  and that is assigned (and for the binders around those). Closures are the
  CEK's `Closure(lambda, env)` in every tier, so a closure made by compiled
  code can run interpreted and the reverse. A closure made inside slot
  binders gets, as its environment, frames built from the slots at that
  moment (CLOSURE's operand lists them): the same values the interpreter's
  frames would hold, since a captured slot variable is never assigned.

Named-let loops may be compiled into the code that contains them (see
frames.py): LOOP (end, loop-variable slots, whether it is the code's tail)
marks the head, CONTINUE jumps back to just after it, BREAK to `end`. Every
other jump goes forward: the bytecode stays structured.

Per instruction the code object also keeps `nodes[pc]` (the IR node it came
from: the line table, and the location of any error it raises) and
`ctx[pc]` (the safepoint map's frame context: the IR nodes whose interpreter
frames would be pending at that point, innermost first, so backtraces are
identical in every tier). `depth[pc]` is the operand-stack depth before the
instruction runs.
"""

from __future__ import annotations

OPNAMES = [
    "LOCAL", "GLOBAL", "CONST", "CALL", "JUMP_IF_FALSE", "RETURN", "TAIL_CALL", "ENV",
    "JUMP", "POP", "BOXREF", "CLOSURE", "SET_BOX", "BIND", "BIND_BOX", "SET_ENV",
    "SET_GLOBAL", "DEFINE", "FRAME", "FRAME_REC", "UNFRAME", "BOXREF_CHK", "ENV_CHK",
    "BOX_PARAM", "BOX_UNASSIGNED", "PRIMCALL", "CALLPRIM",
    "PRIM1_L", "PRIM2_LC", "PRIM2_LL", "LOOP", "BREAK", "CONTINUE",
]
for _i, _n in enumerate(OPNAMES):
    globals()[_n] = _i
OPCODES = {n: i for i, n in enumerate(OPNAMES)}
# Opcodes that write a slot: a return into the activation must copy its
# slots when one of these may run after the call (see VM.resume).
SLOT_WRITES = frozenset((OPCODES["BIND"], OPCODES["BIND_BOX"], OPCODES["BOX_UNASSIGNED"],
                         OPCODES["BOX_PARAM"]))


class Code:
    """One compiled procedure (or one top-level form, when `lam` is None)."""

    __slots__ = ("name", "lam", "nreq", "rest", "materialized", "nslots", "ops", "args",
                 "nodes", "ctx", "depth", "last_write", "calls", "compile_time", "label",
                 "pyl", "pyok", "unit", "py")

    def __init__(self, name, lam) -> None:
        self.name = name
        self.lam = lam
        self.nreq = lam.nreq if lam is not None else 0
        self.rest = lam is not None and lam.rest is not None
        self.materialized = False   # parameters live in a fresh env frame
        self.nslots = 0
        self.ops: list = []
        self.args: list = []
        self.nodes: list = []
        self.ctx: list = []
        self.depth: list = []
        self.last_write = -1        # index of the last slot-writing instruction
        self.calls = 0              # calls since it was compiled
        self.compile_time = 0.0
        self.label = name
        self.pyl = None             # tier 2: the generated list entry, once compiled
        self.pyok = True            # false once tier 2 declined it
        self.unit = None
        self.py = None              # the code tier 2 generates from (tiering.tier2_code)

    def __repr__(self) -> str:
        return f"<code {self.label}>"

    def safepoint(self, pc: int):
        """The safepoint where a frame resumes at `pc` (just after a call):
        (operand-stack depth below the call's result, slot count, the
        interpreter frames it stands for). Later tiers reify frames with it."""
        below = self.depth[pc] - 1 if pc < len(self.depth) else 0
        return below, self.nslots, self.ctx[pc - 1]
