"""The Python text of a unit as it is written, and its safepoint table.

Lines are written once, in order, and never edited. The one exception to
"written at once" is an assignment of a stack local (`s3 = ...`): it is
held back until the next line, because a BIND that comes right after it may
redirect it to the slot being bound (`l2 = ...` instead of `s3 = ...` and
`l2 = s3`; see locals.bind). The held-back assignment knows its target and
the slots its expression reads, so the redirection is decided on those
facts, not on the text.
"""

from __future__ import annotations


class Source:
    """`lines`: the text so far; `ind`: the indentation of the next line;
    `points`: line number (1-based) -> safepoint (pc after the instruction,
    stack descriptors), or None for a line whose frame stands for no VM
    frame; `tails`: the lines that are tail calls (an error there belongs
    to the caller's frame)."""

    __slots__ = ("lines", "ind", "points", "tails", "held")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.ind = 0
        self.points: dict = {}
        self.tails: dict = {}
        # the assignment not written yet: (indentation, stack local or None,
        # target, expression, slots it reads, pc, below, tail)
        self.held = None

    def line(self, text: str, pc=None, below=None, tail: bool = False) -> None:
        """Write a line; with `pc`, a safepoint: a call or an error on this
        line resumes at pc with the stack `below`."""
        if self.held is not None:
            self._write_held()
        self.lines.append("    " * self.ind + text)
        if pc is not None:
            self._point(pc, below, tail)

    def assign(self, i: int, expr: str, reads: tuple, pc=None, below=None,
               tail: bool = False) -> None:
        """`s{i} = expr` (a safepoint as for `line`). `reads`: the slots expr
        reads."""
        if self.held is not None:
            self._write_held()
        self.held = (self.ind, i, f"s{i}", expr, reads, pc, below, tail)

    def redirect(self, i: int, slot: int) -> bool:
        """Make the assignment just made to s{i}, in this block, assign slot
        instead, if its expression does not read that slot (the stack entries
        must not either: the caller checks). Whether it did."""
        a = self.held
        if a is None or a[1] != i or a[0] != self.ind or slot in a[4]:
            return False
        self.held = (a[0], None, f"l{slot}") + a[3:]
        return True

    def no_frame(self) -> None:
        """The line just written stands for no VM frame (the integer copy's
        call of the generic one: that frame is the callee's)."""
        self.points[len(self.lines)] = None

    def size(self) -> int:
        """Lines written, the held-back one included."""
        return len(self.lines) + (self.held is not None)

    def text(self) -> str:
        if self.held is not None:
            self._write_held()
        return "\n".join(self.lines) + "\n"

    def _write_held(self) -> None:
        ind, _, target, expr, _, pc, below, tail = self.held
        self.held = None
        self.lines.append(f"{'    ' * ind}{target} = {expr}")
        if pc is not None:
            self._point(pc, below, tail)

    def _point(self, pc: int, below, tail: bool) -> None:
        n = len(self.lines)
        self.points[n] = (pc, below)
        if tail:
            self.tails[n] = True
