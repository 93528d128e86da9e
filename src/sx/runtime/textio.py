"""Text that comes from outside as bytes: source files and standard input.

SX strings hold Unicode scalar values only, so bytes that are not UTF-8
never become a string (Python's surrogateescape would smuggle them in as
lone surrogates, which no SX character can be). Instead they are an SX
error naming where they are: "PATH: not valid UTF-8 at byte N", N counting
from 1. Errors opening or reading a file are SX file errors
(`file-error?`) whose message names the path, as Unix tools do:
"load: dir.sx: Is a directory".
"""

from __future__ import annotations

import sys

from ..errors import ErrorObject, SchemeError

BOM = "\ufeff"


def file_error_object(who: str, path: str, reason: str) -> SchemeError:
    """The file error `who: path: reason` (error-object-message is that;
    without `who`, `path: reason`)."""
    prefix = f"{who}: " if who else ""
    return SchemeError(ErrorObject(f"{prefix}{path}: {reason}", [], "file"))


def os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def bad_utf8(who: str, name: str, data: bytes, start: int, base: int = 0,
             line: int | None = None, whole: bool = False) -> SchemeError:
    """The file error for the byte at data[start] that does not decode;
    `base` is how many bytes of the stream came before `data`. When `data`
    is a whole file (`whole`) or `line` says which line of the stream it is,
    the error is located (err.loc) at the bad byte's line and column;
    otherwise it is located where the program asked to read."""
    err = file_error_object(who, name, f"not valid UTF-8 at byte {base + start + 1}")
    before = data[:start]
    col = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    if line is not None:
        err.loc = (name, line, col)
    elif whole:
        err.loc = (name, before.count(b"\n") + 1, col)
    return err


def decode(data: bytes, who: str, name: str) -> str:
    """The whole of `name`, `data`, as text, or the file error saying where
    it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise bad_utf8(who, name, data, e.start, whole=True) from None


def read_source(path: str, who: str) -> str:
    """The text of a source file (for `sx run`, load, include, disasm):
    strict UTF-8, a leading byte-order mark dropped; any failure is an SX
    file error naming the path."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise file_error_object(who, path, os_reason(e)) from None
    text = decode(data, who, path)
    return text[1:] if text.startswith(BOM) else text


def check_text(text: str, who: str, name: str) -> str:
    """Text that Python decoded with surrogateescape (the command line,
    a replaced sys.stdin): the same error as undecodable bytes if it holds
    any, else the text itself."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogateescape")
        decode(data, who, name)   # raises, naming the first bad byte
    return text


class StdinLines:
    """Lines of standard input as bytes, decoded one at a time, counting the
    bytes and lines read so far (for the error's position). sys.stdin is
    looked up at each line, so tests and the REPL can replace it; a stream
    without a byte buffer (io.StringIO) is read as text."""

    def __init__(self, name: str = "<stdin>") -> None:
        self.name = name
        self.bytes_read = 0
        self.lines_read = 0

    def readline(self, who: str = "read") -> str:
        """The next line with its newline, "" at end of input; invalid UTF-8
        is an SX file error (the line is consumed, so reading goes on after it)."""
        stream = sys.stdin
        raw = getattr(stream, "buffer", None)
        data = raw.readline() if raw is not None else \
            stream.readline().encode("utf-8", "surrogateescape")
        base = self.bytes_read
        self.bytes_read += len(data)
        self.lines_read += 1
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise bad_utf8(who, self.name, data, e.start, base, self.lines_read) from None


STDIN_LINES = StdinLines()
