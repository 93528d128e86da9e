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
        from .printer import format_condition
        return format_condition(self.payload)


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
