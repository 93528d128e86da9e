"""A readable listing of a code object, in the style of Python's `dis`:

    line    pc  opcode            operand
"""

from __future__ import annotations

from .. import ir
from ..printer import write_string
from . import code as op
from .code import Code


def operand_text(o: int, a) -> str:
    if a is None:
        return ""
    if o == op.GLOBAL or o in (op.SET_GLOBAL, op.DEFINE):
        return f"{a.name.name}"
    if o == op.CONST:
        return write_string(a)[:50]
    if o == op.CLOSURE:
        lam, snapshot = a
        frames = "".join(f" +[{' '.join(map(_slot_text, b))}]" for b in snapshot)
        return f"<lambda {lam.name or 'anonymous'}>{frames}"
    if o == op.LOOP:
        end, slots, ftail = a
        return (f"to {end}" + (f", slots {' '.join(map(str, slots))}" if slots else "")
                + (", returns" if ftail else ""))
    if o in (op.BREAK, op.CONTINUE):
        return f"to {a}"
    if o in (op.ENV, op.ENV_CHK, op.SET_ENV):
        return f"depth {a[0]} index {a[1]}"
    if o in (op.JUMP, op.JUMP_IF_FALSE):
        return f"to {a}"
    if o == op.PRIMCALL:
        return f"{a[2]} ({a[1].name}, if the global still holds the primitive)"
    if o in (op.PRIM1_L, op.PRIM2_LC, op.PRIM2_LL):
        ops = [f"slot {a[3]}"] + ([f"slot {a[4]}"] if o == op.PRIM2_LL else
                                  [write_string(a[4])[:30]] if o == op.PRIM2_LC else [])
        return f"({a[1].name} {' '.join(ops)}), if the global still holds the primitive"
    if o == op.CALLPRIM:
        return f"{a[1]} ({a[0].name}, if the operator is that primitive)"
    return str(a)


def _slot_text(x) -> str:
    """A snapshot entry: slot s, [s] for a boxed slot, - for an unread one."""
    return "-" if x is None else f"[{x[0]}]" if x.__class__ is tuple else str(x)


def _comment(o: int, a, node) -> str:
    """The variable name behind a slot or frame access."""
    var = getattr(node, "var", None)
    if var is not None and o in (op.LOCAL, op.BOXREF, op.BOXREF_CHK, op.SET_BOX, op.ENV,
                                 op.ENV_CHK, op.SET_ENV):
        return f"({var.name.name})"
    if o in (op.BIND, op.BIND_BOX, op.BOX_UNASSIGNED, op.SET_ENV, op.FRAME, op.FRAME_REC) and \
            node.__class__ in (ir.Let, ir.Letrec):
        return "(" + " ".join(v.name.name for v in node.vars) + ")"
    return ""


def disassemble(code: Code, code_of=None) -> str:
    """The listing of one code object, and with `code_of` (lambda -> its
    code object) of the lambdas inside it."""
    head = f"code {code.label}: {code.nreq} required{', rest' if code.rest else ''}, " \
           f"{code.nslots} slots{', params in a frame' if code.materialized else ''}"
    lines = [head]
    targets = {a for o, a in zip(code.ops, code.args)
               if o in (op.JUMP, op.JUMP_IF_FALSE, op.BREAK, op.CONTINUE)}
    last_line = None
    inner = []
    for pc, (o, a, node) in enumerate(zip(code.ops, code.args, code.nodes)):
        loc = getattr(node, "loc", None)
        line = loc[1] if loc else None
        shown = f"{line:>5}" if line is not None and line != last_line else "     "
        last_line = line if line is not None else last_line
        mark = ">>" if pc in targets else "  "
        text = f"{shown} {mark}{pc:>5}  {op.OPNAMES[o]:<15} {operand_text(o, a)}"
        comment = _comment(o, a, node)
        lines.append((text + "  " + comment).rstrip() if comment else text.rstrip())
        if o == op.CLOSURE:
            inner.append(a[0])
    out = "\n".join(lines) + "\n"
    if code_of is not None:
        for lam in inner:
            out += "\n" + disassemble(code_of(lam), code_of)
    return out
