"""R7RS 6.10-6.12: control, exceptions, promises, parameters.

The primitives that manipulate the continuation (apply, call/cc, values,
dynamic-wind, eval, ...) belong to the machine (machine/control.py), which
every tier shares. The higher-order procedures (map, for-each, force, ...)
are in prelude/*.sx, so they are ordinary SX code that call/cc can capture
through.
"""

from __future__ import annotations

from ..errors import ErrorObject, SchemeError, wrong_type
from ..printer import write_string
from ..values import (NIL, UNSPECIFIED, CaseLambda, Parameter, ParameterSwap, Primitive,
                      Procedure, Promise, MString, intern, list_to_py, py_to_list)
from .registry import primitive


@primitive("procedure?")
def is_procedure(x):
    return isinstance(x, Procedure)


# ---- exceptions ------------------------------------------------------------

@primitive("raise")
def raise_(obj):
    raise SchemeError(obj)


@primitive("raise-continuable")
def raise_continuable(obj):
    raise SchemeError(obj, continuable=True)


@primitive("error")
def error_(message, *irritants):
    text = message.s if message.__class__ is MString else write_string(message)
    raise SchemeError(ErrorObject(text, list(irritants)))


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


@primitive("%parameter-swapper")
def parameter_swapper(params, vals):
    """The thunk a parameterize enters and leaves its extent with (one
    procedure for both: see values.ParameterSwap)."""
    return Primitive("parameterize", ParameterSwap(list_to_py(params), list_to_py(vals)), 0, 0)


# ---- case-lambda ------------------------------------------------------------------

@primitive("%case-lambda")
def case_lambda(*clauses):
    return CaseLambda(list(clauses))


@primitive("void")
def void(*args):
    return UNSPECIFIED

