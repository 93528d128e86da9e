"""The line protocol: reading a request line, writing the reply lines.

    request   (ID FORM)             evaluate FORM
              (ID :load "FILE")     load a file into the session
              (ID :reset)           a fresh environment (same tier)
              (ID :stats)           the JIT statistics, as a string
    replies   (out ID "TEXT")       output the request wrote (zero or more, first)
              (ok ID VALUE...)      its values, each as `write` writes it
              (error ID "MESSAGE" ("BACKTRACE LINE" ...))

ID is an exact integer, a string or a symbol (the commands are keywords).
A reply to a line that holds no request has the ID #f. One line each way:
`write` escapes a newline in a string (as `\\n`), so no reply line is ever
broken.

Nothing here evaluates anything: the session (session.py) does.
"""

from __future__ import annotations

from ..errors import ErrorObject, SchemeError
from ..printer import write_string
from ..reader import read_all
from ..runtime.textio import decode
from ..values import NIL, Keyword, MString, Pair, Symbol

# The longest request line read: a bigger program is better loaded (:load).
MAX_LINE = 16 * 1024 * 1024

COMMANDS = {"load": 1, "reset": 0, "stats": 0}   # keyword -> number of arguments
SHAPE = "a request is (ID FORM), (ID :load \"FILE\"), (ID :reset) or (ID :stats)"


class BadRequest(Exception):
    """A line that is no well-formed request: answered by an error reply
    (`id`: False when no ID could be read from it), and serving goes on."""

    def __init__(self, id_, error: SchemeError) -> None:
        super().__init__(str(error))
        self.id = id_
        self.error = error


class Request:
    """A well-formed request: `command` is "eval" (with `form`, located at
    `loc`, read with `srcmap`), "load" (with `path`), "reset" or "stats".
    `name` is the source name of the line (`<request-N>`)."""

    def __init__(self, id_, command: str, name: str, form=None, loc=None, srcmap=None,
                 path: str | None = None) -> None:
        self.id = id_
        self.command = command
        self.name = name
        self.form = form
        self.loc = loc
        self.srcmap = srcmap
        self.path = path


TOO_LONG = object()     # read_line's answer for a line longer than MAX_LINE


def read_line(stream):
    """The next line of a binary stream (without its line ending), None at
    the end of input, or TOO_LONG for a line of more than MAX_LINE bytes,
    which is then skipped up to its end."""
    line = stream.readline(MAX_LINE + 1)
    if not line:
        return None
    if len(line) > MAX_LINE and not line.endswith(b"\n"):
        while True:        # the rest of it, in bounded pieces
            rest = stream.readline(1 << 16)
            if not rest or rest.endswith(b"\n"):
                return TOO_LONG
    return line.rstrip(b"\r\n")


def too_long(name: str) -> BadRequest:
    return _bad(False, f"request too long: more than {MAX_LINE} bytes on a line "
                       f"(load a big program from a file: (ID :load \"FILE\"))", name)


def parse(line: bytes, name: str) -> Request:
    """The request on one line, or BadRequest saying what is wrong with it.
    Errors are located in `name`, the line's source name."""
    try:
        forms, srcmap = read_all(decode(line, "serve", name), name)
    except SchemeError as err:      # not UTF-8, or not readable
        raise BadRequest(False, err) from None
    if not forms:
        raise _bad(False, f"empty request: {SHAPE}", name)
    if len(forms) > 1:
        raise _bad(False, f"one request per line, got {len(forms)} datums", name,
                   forms[1][1])
    datum, loc = forms[0]
    if datum.__class__ is not Pair:
        raise _bad(False, f"malformed request: {SHAPE}; got", name, loc, datum)
    id_ = datum.car if valid_id(datum.car) else False
    items = []          # its pairs; a request has at most 3 (the list may be circular)
    cell = datum
    while cell.__class__ is Pair and len(items) <= 3:
        items.append(cell)
        cell = cell.cdr
    if cell is not NIL and len(items) <= 3:
        raise _bad(id_, f"malformed request (not a proper list): {SHAPE}; got", name, loc, datum)
    if id_ is False:
        raise _bad(False, f"missing ID: {SHAPE}, with ID an integer, a string or a symbol; got",
                   name, loc, datum)
    if len(items) == 1:
        raise _bad(id_, f"missing FORM after the ID: {SHAPE}", name, loc)
    first = items[1].car
    if first.__class__ is Keyword:
        return _command(id_, first.name, [c.car for c in items[2:]], name, loc)
    if len(items) > 2:
        raise _bad(id_, f"more than one FORM after the ID ({SHAPE}); got", name,
                   srcmap.get(id(items[2]), loc), datum)
    return Request(id_, "eval", name, form=first, loc=srcmap.get(id(items[1]), loc),
                   srcmap=srcmap)


def _command(id_, command: str, args: list, name: str, loc) -> Request:
    arity = COMMANDS.get(command)
    if arity is None:
        raise _bad(id_, f"unknown command :{command} (the commands are "
                        f"{', '.join(':' + c for c in COMMANDS)})", name, loc)
    if command == "load":
        if len(args) != 1 or args[0].__class__ is not MString:
            raise _bad(id_, ":load takes the file's name, a string: (ID :load \"FILE\")",
                       name, loc)
        return Request(id_, "load", name, path=args[0].s)
    if len(args) != arity:
        raise _bad(id_, f":{command} takes no argument: (ID :{command})", name, loc)
    return Request(id_, command, name)


def valid_id(x) -> bool:
    """An exact integer (not a boolean: #f is the ID of no request), a
    string or a symbol."""
    return x.__class__ is int or x.__class__ is MString or x.__class__ is Symbol


def _bad(id_, message: str, name: str, loc=None, *irritants) -> BadRequest:
    err = SchemeError(ErrorObject(message, list(irritants)))
    err.loc = loc or (name, 1, 1)
    return BadRequest(id_, err)


# ---- the replies ------------------------------------------------------------------

def wire(line: str) -> bytes:
    """A reply line as it is sent: UTF-8, ended by a newline."""
    return line.encode("utf-8") + b"\n"


def out_reply(id_, text: str) -> str:
    return f"(out {write_string(id_)} {write_string(MString(text))})"


def ok_reply(id_, written: list) -> str:
    """`written`: the values, each already written (write_string)."""
    return " ".join([f"(ok {write_string(id_)}"] + written) + ")"


def error_reply(id_, message: str, backtrace: list) -> str:
    lines = " ".join(write_string(MString(line)) for line in backtrace)
    return f"(error {write_string(id_)} {write_string(MString(message))} ({lines}))"
