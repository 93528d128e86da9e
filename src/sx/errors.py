"""SX conditions and the Python exception that carries them.

Every error a user can cause is an SX condition: an ErrorObject (message,
irritants, kind) or any value passed to `raise`. Python code signals one by
raising SchemeError; the evaluator turns that into an SX `raise` at the point
of the call, so `guard` and `with-exception-handler` see primitive errors
exactly like user-raised ones.
"""

from __future__ import annotations


class ErrorObject:
    """An R7RS error object. `kind` is 'error', 'read' or 'file' (for
    read-error? and file-error?), or a more specific tag used in messages."""

    __slots__ = ("message", "irritants", "kind")

    def __init__(self, message: str, irritants: list, kind: str = "error") -> None:
        self.message = message      # Python str
        self.irritants = irritants  # Python list of SX values
        self.kind = kind

    def __repr__(self) -> str:
        return f"#<error {self.message!r}>"


class SchemeError(Exception):
    """A Python exception carrying an SX condition (`payload`).

    `continuable` marks raise-continuable. `loc` and `backtrace` are filled in
    when the error escapes to the top level."""

    def __init__(self, payload, continuable: bool = False) -> None:
        super().__init__(payload)
        self.payload = payload
        self.continuable = continuable
        self.loc = None          # (file, line, col) or None
        self.backtrace: list = []  # list of strings, innermost first
        self.at = None           # the continuation it was raised in, when the
                                 # raiser knows it better than the driver (the VM)

    def __str__(self) -> str:
        return _condition_text(self.payload)


# The text of a SchemeError (the last line of a Python traceback, under
# --debug) is the one-line text of its condition. Writing SX values is the
# printer's job, and the printer sits above this module: it installs its
# format_condition here when it is imported (see printer.py). Until then the
# condition's repr stands in.
_condition_text = repr


def set_condition_text(format_condition) -> None:
    """Make `str` of a SchemeError `format_condition(payload)`: called once,
    by the printer."""
    global _condition_text
    _condition_text = format_condition


class SxSyntaxError(SchemeError):
    """Bad syntax found by the reader or the expander; `loc` is set at once."""

    def __init__(self, message: str, irritants=(), loc=None, kind: str = "syntax") -> None:
        super().__init__(ErrorObject(message, list(irritants), kind))
        self.loc = loc


class SxExit(Exception):
    """Raised by `exit` / `emergency-exit` to end the program with a status."""

    def __init__(self, code: int, emergency: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.emergency = emergency


def error(message: str, *irritants, kind: str = "error"):
    """Raise an SX error. Never returns."""
    raise SchemeError(ErrorObject(message, list(irritants), kind))


def wrong_type(who: str, expected: str, value):
    """Raise the standard wrong-type error, e.g. `car: expected a pair, got 5`."""
    raise SchemeError(ErrorObject(f"{who}: expected {expected}, got", [value], "type"))


def bad_range(who: str, value, what: str = "index out of range"):
    raise SchemeError(ErrorObject(f"{who}: {what}:", [value], "range"))
