"""The control primitives: procedures that need the continuation, each
registered together with its handler, `handler(m, args, k)` giving the
machine's next state. They are the same in every tier: compiled code calls
them through the machine.
"""

from __future__ import annotations

from ..errors import ErrorObject, SchemeError, bad_range
from ..runtime.codecache import read_all_cached
from ..runtime.registry import control
from ..runtime.system import exit_code
from ..runtime.textio import read_source
from ..values import NIL, UNSPECIFIED, Continuation, MultipleValues, Pair
from .errors import check_procedure
from .frames import CallWithValuesK, ExitK, Frame, HandlersK, WindBeforeK, WindEntry, new_frame
from .unwind import Suspension, Unwind


def spread(front: list, lst) -> list:
    """apply's arguments: `front`, then the elements of its last argument
    `lst`, which must be a list (tier 2's apply spreads with it too)."""
    x = lst
    while x.__class__ is Pair:
        front.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise SchemeError(ErrorObject("apply: last argument must be a list, got", [lst], "type"))
    return front


@control("apply", 2, None)
def apply(m, args, k):
    return m.apply(args[0], spread(list(args[1:-1]), args[-1]), k)


@control("call/cc", 1, 1, "call-with-current-continuation")
def call_cc(m, args, k):
    if m.nests:
        raise Unwind("callcc", args[0], [(k, m.nests[-1])], site=m.cur)
    return m.apply(args[0], [m.capture(k)], k)


@control("values", 0, None)
def values(m, args, k):
    return None, None, k, args[0] if len(args) == 1 else MultipleValues(list(args))


@control("call-with-values", 2, 2)
def call_with_values(m, args, k):
    return m.apply(args[0], [], new_frame(CallWithValuesK, k, consumer=args[1], site=m.cur))


@control("dynamic-wind", 3, 3)
def dynamic_wind(m, args, k):
    before, thunk, after = args
    for p in args:
        check_procedure("dynamic-wind", p)
    entry = WindEntry(before, after, m.winders)
    return m.apply(before, [], new_frame(WindBeforeK, k, entry=entry, thunk=thunk, site=m.cur))


@control("with-exception-handler", 2, 2)
def with_exception_handler(m, args, k):
    handler, thunk = args
    check_procedure("with-exception-handler", handler)
    check_procedure("with-exception-handler", thunk)
    k = new_frame(HandlersK, k, handlers=m.handlers)
    m.handlers = Pair(handler, m.handlers)
    return m.apply(thunk, [], k)


@control("exit", 0, 1)
def exit_(m, args, k):
    code = exit_code(args[0] if args else True)
    target = Continuation(new_frame(ExitK, None, code=code), None, NIL)
    return m.throw(target, UNSPECIFIED)


@control("perform", 1, 1)
def perform(m, args, k):
    """SX: suspend the whole computation and hand the request to the host."""
    if m.runs > 1:
        raise SchemeError(ErrorObject(
            "perform: cannot suspend inside a nested evaluation (a macro transformer or a "
            "call from a primitive)", [args[0]]))
    if m.nests:
        raise Unwind("perform", args[0], [(k, m.nests[-1])], site=m.cur)
    raise Suspension(args[0], m.capture(k), m.cur)


# ---- evaluation: the machine's runtime expands and analyses -------------------------

@control("eval", 1, 2)
def eval_(m, args, k):
    env = args[1] if len(args) > 1 else m.runtime.env
    c, e = m.start(m.runtime.compile(args[0], env), None)
    return c, e, k, None


@control("interaction-environment", 0, 0)
def interaction_environment(m, args, k):
    return None, None, k, m.runtime.env


@control("environment", 0, None)
def environment(m, args, k):
    return None, None, k, m.runtime.environment(list(args))


def _report_environment(m, who: str, version, syntax_only: bool):
    """R7RS 6.12: version 5 (R5RS) is the one a Scheme has to support, and
    the only report whose bindings SX knows: any other is a range error.
    (Control primitives, as `environment` is: the libraries are the
    runtime's, which a plain primitive cannot reach.)"""
    if type(version) is not int or version != 5:
        bad_range(who, version, "the only report version is 5")
    return m.runtime.r5rs_environment(syntax_only)


@control("scheme-report-environment", 1, 1)
def scheme_report_environment(m, args, k):
    return None, None, k, _report_environment(m, "scheme-report-environment", args[0], False)


@control("null-environment", 1, 1)
def null_environment(m, args, k):
    return None, None, k, _report_environment(m, "null-environment", args[0], True)


class LoadK(Frame):
    """Evaluating the forms of `load` / a library body one after another."""
    __slots__ = ("forms", "i", "env", "expander")

    def resume(self, m, v):
        return load_step(m, self)


@control("load", 1, 2)
def load(m, args, k):
    path = args[0].s
    env = args[1] if len(args) > 1 else m.runtime.env
    forms, srcmap = read_all_cached(read_source(path, "load"), path)
    ex = m.runtime.expander(srcmap, path)
    return load_step(m, new_frame(LoadK, k, forms=forms, i=0, env=env, expander=ex))


def load_step(m, k: LoadK):
    if k.i >= len(k.forms):
        return None, None, k.next, UNSPECIFIED
    datum, loc = k.forms[k.i]
    node = m.runtime.analyse(k.expander.toplevel(datum, k.env, loc))
    nk = new_frame(LoadK, k.next, forms=k.forms, i=k.i + 1, env=k.env, expander=k.expander)
    c, e = m.start(node, None)
    return c, e, nk, None
