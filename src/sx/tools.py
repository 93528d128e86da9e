"""The JIT's tools, as SX primitives: `(jit-stats)`, `(jit-exclude! "name"
...)`, `(disassemble proc)` and `(vm-trace thunk)`.

They are in every environment, in every tier; with `--tier cek` there is no
tier manager, and nothing of the compiled tiers is loaded unless
`disassemble` is called (it compiles the procedure to show its code).
"""

from __future__ import annotations

import sys

from .errors import ErrorObject, SchemeError
from .machine import Frame, new_frame
from .machine.errors import check_procedure
from .runtime.ports import CURRENT_OUTPUT
from .runtime.registry import control
from .values import UNSPECIFIED, CaseLambda, Closure, MString


def stats_text(m) -> str:
    """The JIT statistics table of machine m (`--stats`, `jit-stats`)."""
    if m.tiers is None:
        return "jit: tier cek, nothing is compiled\n"
    return m.tiers.format_stats()


@control("jit-stats", 0, 0)
def jit_stats(m, args, k):
    CURRENT_OUTPUT.value.write(stats_text(m))
    return None, None, k, UNSPECIFIED


@control("jit-exclude!", 0, None)
def jit_exclude(m, args, k):
    for a in args:
        if a.__class__ is not MString:
            raise SchemeError(ErrorObject("jit-exclude!: expected a string, got", [a], "type"))
    if m.tiers is not None:
        m.tiers.exclude([a.s for a in args])
    return None, None, k, UNSPECIFIED


@control("disassemble", 1, 1)
def disassemble(m, args, k):
    CURRENT_OUTPUT.value.write(disassemble_procedure(args[0]))
    return None, None, k, UNSPECIFIED


def lambda_listing(lam) -> str:
    """The bytecode listing of a lambda, compiling it first if needed; code
    nested too deep to compile says so (it runs in the CEK)."""
    from .bytecode.compiler import MAX_NESTING
    from .bytecode.disasm import disassemble
    from .jit.tiering import compile_for, compiled_or_none, lambda_label
    code = compiled_or_none(lam)
    if code is None:
        return (f"{lambda_label(lam)}: not compiled, nested more than {MAX_NESTING} deep"
                " (it runs in the CEK)\n")
    return disassemble(code, compile_for)


def disassemble_procedure(proc) -> str:
    """The listing of an SX procedure's code, compiling it first if needed."""
    if proc.__class__ is Closure:
        return lambda_listing(proc.lam)
    if proc.__class__ is CaseLambda:
        return "\n".join(lambda_listing(c.lam) for c in proc.clauses)
    raise SchemeError(ErrorObject("disassemble: expected a compound procedure, got", [proc],
                                  "type"))


class TraceK(Frame):
    """Leaving the extent of (vm-trace thunk): restore the trace setting."""
    __slots__ = ("trace",)

    def resume(self, m, v):
        m.trace = self.trace
        return None, None, self.next, v


@control("vm-trace", 1, 1)
def vm_trace(m, args, k):
    check_procedure("vm-trace", args[0])
    k = new_frame(TraceK, k, trace=m.trace)
    m.trace = sys.stderr
    return m.apply(args[0], [], k)
