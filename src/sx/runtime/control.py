"""R7RS 6.10-6.12: control, exceptions, promises, parameters, eval.

The primitives that manipulate the continuation (apply, call/cc, values,
dynamic-wind, ...) are only declared here: each tier implements them. The
higher-order procedures (map, for-each, force, ...) are in prelude/*.sx, so
they are ordinary SX code that call/cc can capture through.
"""

from __future__ import annotations

from ..errors import ErrorObject, SchemeError, wrong_type
from ..values import (NIL, Continuation, Parameter, Procedure, Promise, MString,
                      py_to_list)
from .registry import control, primitive

control("apply", 2, None)
control("call/cc", 1, 1, "call-with-current-continuation")
control("values", 0, None)
control("call-with-values", 2, 2)
control("dynamic-wind", 3, 3)
control("with-exception-handler", 2, 2)
control("exit", 0, 1)
control("eval", 1, 2)
control("load", 1, 2)
control("interaction-environment", 0, 0)
# SX: suspend to the host; the JIT's tools
control("perform", 1, 1)
control("vm-trace", 1, 1)
control("jit-stats", 0, 0)
control("jit-exclude!", 0, None)
control("disassemble", 1, 1)


@primitive("procedure?")
def is_procedure(x):
    return isinstance(x, Procedure)


@primitive("continuation-backtrace")
def continuation_backtrace(k):
    """SX: the calls pending in continuation k, innermost first, as the
    lines of an error's backtrace (`file:line:col in NAME`); the same in
    every tier, since compiled frames stand for the interpreter's."""
    from ..cek import backtrace
    if k.__class__ is not Continuation:
        wrong_type("continuation-backtrace", "a continuation", k)
    return py_to_list([MString(line) for line in backtrace(k.k)])


# ---- exceptions ------------------------------------------------------------

@primitive("raise")
def raise_(obj):
    raise SchemeError(obj)


@primitive("raise-continuable")
def raise_continuable(obj):
    raise SchemeError(obj, continuable=True)


@primitive("error")
def error_(message, *irritants):
    text = message.s if message.__class__ is MString else _write(message)
    raise SchemeError(ErrorObject(text, list(irritants)))


def _write(x) -> str:
    from ..printer import write_string
    return write_string(x)


@primitive("error-object?")
def is_error_object(x):
    return x.__class__ is ErrorObject


def _error_object(who, x) -> ErrorObject:
    if x.__class__ is not ErrorObject:
        wrong_type(who, "an error object", x)
    return x


@primitive("error-object-message")
def error_object_message(x):
    return MString(_error_object("error-object-message", x).message)


@primitive("error-object-irritants")
def error_object_irritants(x):
    return py_to_list(_error_object("error-object-irritants", x).irritants)


@primitive("read-error?")
def is_read_error(x):
    return x.__class__ is ErrorObject and x.kind == "read"


@primitive("file-error?")
def is_file_error(x):
    return x.__class__ is ErrorObject and x.kind == "file"


@primitive("error-object-kind")
def error_object_kind(x):
    from ..values import intern
    return intern(_error_object("error-object-kind", x).kind)


# ---- promises (force is in the prelude) --------------------------------------

@primitive("%make-promise")
def make_promise_raw(done, value):
    return Promise(done is not False, value)


@primitive("make-promise")
def make_promise(obj):
    return obj if obj.__class__ is Promise else Promise(True, obj)


@primitive("promise?")
def is_promise(x):
    return x.__class__ is Promise


def _promise(x) -> Promise:
    if x.__class__ is not Promise:
        wrong_type("force", "a promise", x)
    return x


@primitive("%promise-done?")
def promise_done(p):
    return _promise(p).box[0]


@primitive("%promise-value")
def promise_value(p):
    return _promise(p).box[1]


@primitive("%promise-update!")
def promise_update(new, old):
    """R7RS delay-force: `old` takes on `new`'s state, and they share it."""
    old.box[0], old.box[1] = new.box[0], new.box[1]
    new.box = old.box
    return NIL


# ---- parameters (parameterize is in the prelude) -------------------------------

@primitive("%make-parameter")
def make_parameter_raw(value, converter):
    return Parameter(value, converter)


def _parameter(who, p) -> Parameter:
    if p.__class__ is not Parameter:
        wrong_type(who, "a parameter object", p)
    return p


@primitive("%parameter-converter")
def parameter_converter(p):
    c = _parameter("parameterize", p).converter
    return c if c is not None else False


@primitive("%parameter-swap!")
def parameter_swap(params, vals):
    """Exchange the parameters' values with `vals`; returns the old ones."""
    olds = []
    while params.__class__ is not NIL.__class__:
        p = params.car
        olds.append(p.value)
        p.value = vals.car
        params, vals = params.cdr, vals.cdr
    return py_to_list(olds)


# ---- case-lambda, environments ------------------------------------------------------

@primitive("%case-lambda")
def case_lambda(*clauses):
    from ..cek import CaseLambda
    return CaseLambda(list(clauses))


@primitive("environment")
def environment(*specs):
    from ..expander.core import Expander
    from ..expander.libraries import environment_from_specs
    return environment_from_specs(list(specs), Expander())


@primitive("void")
def void(*args):
    from ..values import UNSPECIFIED
    return UNSPECIFIED

