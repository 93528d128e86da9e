"""The unit: one code object's generated Python at run time.

A unit is loaded (its source compiled and run into its own namespace, its
functions registered so runtime.collect finds them in a traceback), then
installed (its lambda and code object call it from now on; it watches the
cells it assumed; the units it calls directly know it as a referrer), until
an assumption breaks: `invalidate` undoes the installation, and running
activations see `VALID` false after their current call and deoptimise.
"""

from __future__ import annotations

from ...bytecode import code as op
from ...machine.errors import (MAX_DEPTH, check_depth, unassigned_error, unbound_error,
                               unbound_set_error)
from ...runtime.codecache import compile_python
from ...runtime.equality import STRING_KEY_TAG, eq, eqv
from ...values import (CHARS, NIL, UNASSIGNED, UNBOUND, UNSPECIFIED, Char, Closure, Dict, Record,
                       MString, MultipleValues, Pair, Primitive, Symbol, name_procedure,
                       py_to_list)
from .runtime import (MAX_TAIL_DEPTH, PYCODES, TAIL_DEPTH, TC, apply_call, apply_tail, bounce,
                      call_with_values, callcc, callcc_tail, deopt, slow, tail_call,
                      with_handler)

# The names generated code uses besides its own (constants, cells, sites,
# callees: see locals.Names, calls.direct_name).
RUNTIME = dict(
    VALID=True,                 # false once the unit is invalidated
    CLOSURE=Closure, PAIR=Pair, CHAR=Char, NEW=object.__new__, MV=MultipleValues, REC=Record,
    NIL=NIL, UNASSIGNED=UNASSIGNED, UNBOUND=UNBOUND, UNSPECIFIED=UNSPECIFIED,
    TC=TC, SLOW=slow, BOUNCE=bounce, TAIL=tail_call, DEOPT=deopt,
    APPLY=apply_call, APPLY_TAIL=apply_tail, TD=TAIL_DEPTH, MAX_TD=MAX_TAIL_DEPTH,
    CALLCC=callcc, CALLCC_TAIL=callcc_tail, WEH=with_handler, CWV=call_with_values,
    MAX_DEPTH=MAX_DEPTH, CHECK_DEPTH=check_depth,
    UNBOUND_ERR=unbound_error, UNBOUND_SET=unbound_set_error, UNASSIGNED_ERR=unassigned_error,
    NAMEP=name_procedure, EQ=eq, EQV=(int, Char), EQVP=eqv, LIST=py_to_list,
    MSTRING=MString, CHARS=CHARS, SYMBOL=Symbol, PRIM=Primitive,
    DICT=Dict, STRKEY=STRING_KEY_TAG, KEYED=frozenset((MString, Symbol, int)),
)


class HostLimit(Exception):
    """Python cannot compile the generated source (an expression nested
    deeper than its parser allows, ...): the code stays in the VM, in every
    tier (declining is always allowed; this is no bug of tier 2's)."""


class Unit:
    """The generated code of one code object, and what it assumed."""

    __slots__ = ("code", "lam", "ns", "src", "lines", "tail_lines", "deps", "referrers",
                 "entry", "lentry", "returns_tc", "tail_free", "compile_time", "valid", "boxed")

    def __init__(self, code) -> None:
        self.code = code
        self.lam = code.lam
        self.ns: dict = dict(RUNTIME)
        self.src = ""
        self.lines: dict = {}        # line -> (pc after, stack descriptors)
        self.tail_lines: dict = {}   # lines that are tail calls
        self.deps: set = set()       # cells whose procedure it assumed
        self.referrers: list = []    # (namespace, name, stub) calling it directly
        self.entry = None            # fn(env, arg...)
        self.lentry = None           # fn(env, args list)
        self.returns_tc = False
        self.tail_free = False       # it makes no tail call but to itself (calls.direct_tail)
        self.compile_time = 0.0
        self.valid = True
        # The slots that hold a box in the VM (assigned variables) hold the
        # value itself here: a box is what lets the activations resumed from
        # one continuation share the variable, and a generated activation is
        # never resumed; it becomes a VM frame first (runtime.collect boxes).
        self.boxed = frozenset(a for o, a in zip(code.ops, code.args)
                               if o in (op.BIND_BOX, op.BOX_PARAM, op.BOX_UNASSIGNED))

    def load(self, src: str, funcs: list) -> None:
        """Compile src into the namespace; funcs: the names of its functions
        that stand for VM frames (F, and G for an integer copy)."""
        self.src = src
        try:
            compiled = compile_python(src, f"<sx-py {self.code.label}>")
        except (SyntaxError, RecursionError, MemoryError) as ex:
            raise HostLimit(f"{type(ex).__name__}: {ex}") from None
        exec(compiled, self.ns)
        for name in funcs:
            fcode = self.ns[name].__code__
            PYCODES[id(fcode)] = (fcode, self)
        self.entry = self.ns["F"]
        self.lentry = self.ns["LENTRY"]

    def install(self, direct: list) -> None:
        """From now on calls of the code object (and of its lambda) enter the
        unit; it watches the cells it assumed; `direct`: (unit, name, stub)
        for each unit it calls directly through `name`."""
        for cell in self.deps:
            if cell.watch is None:
                cell.watch = []
            cell.watch.append(self)
        for target, name, fallback in direct:
            target.referrers.append((self.ns, name, fallback))
        lam = self.lam
        if lam is not None:
            lam.unit = self
            lam.pyl = self.lentry
            if lam.rest is None:
                lam.pyf = self.entry
                lam.pyk = lam.nreq
        code = self.code
        code.unit = self
        code.pyl = self.lentry

    def invalidate(self) -> None:
        """An assumption broke: nobody enters this code again, and running
        activations deoptimise after their current call."""
        if not self.valid:
            return
        self.valid = False
        self.ns["VALID"] = False
        lam = self.lam
        if lam is not None and lam.unit is self:
            lam.pyf = lam.pyl = lam.unit = None
            lam.pyk = -1
            lam.invalidations += 1
        if self.code.unit is self:
            self.code.pyl = self.code.unit = None
        for ns, name, fallback in self.referrers:
            ns[name] = fallback
        self.referrers = []
        for cell in self.deps:
            if cell.watch is not None and self in cell.watch:
                cell.watch.remove(self)
                if not cell.watch:
                    cell.watch = None
