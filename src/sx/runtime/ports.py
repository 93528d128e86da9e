"""Ports and the input/output procedures of R7RS 6.13.

Textual input ports share one protocol with the reader: the text read so far
and not yet dropped is in `buf`, the next character is `buf[pos]`, and
`fill()` appends more text to `buf` (returning False at end of input). fill()
only ever appends, so a reader may hold indices into `buf` across calls to
it; the port procedures here may drop the consumed prefix between calls
(`offset` counts the characters dropped so far).

The higher-order procedures (call-with-port, with-output-to-file, ...) live
in the prelude: calling SX procedures from Python would break call/cc.
"""

from __future__ import annotations

import codecs
import os
import sys

from .. import printer
from ..errors import bad_range, error, wrong_type
from ..reader import read_from_port
from ..values import DEFAULT, EOF_OBJECT, UNSPECIFIED, Char, MString, Parameter, make_char
from .registry import PRIMITIVES, primitive
from .textio import STDIN_LINES, bad_utf8, file_error_object, os_reason

CHUNK = 65536          # bytes or characters read from a file per fill()
_COMPACT_AT = 65536    # drop the consumed prefix of `buf` once it is this long


def file_error(who: str, filename: str, exc: OSError):
    """Raise a file error (file-error? is true): `who: path: OS reason`."""
    raise file_error_object(who, filename, os_reason(exc))


# ------------------------------------------------------------- port classes

class Port:
    """Common state. Subclasses set the four capability flags."""

    sx_name = "port"
    is_input = False
    is_output = False
    is_textual = False
    is_binary = False

    def __init__(self, name: str) -> None:
        self.name = name      # file name, or "<string>", "<stdin>"...
        self.closed = False

    def close(self) -> None:
        self.closed = True


class TextInputPort(Port):
    """A textual input port over a fixed string; subclasses override fill()."""

    sx_name = "string-input-port"
    is_input = True
    is_textual = True

    def __init__(self, text: str = "", name: str = "<string>") -> None:
        super().__init__(name)
        self.buf = text
        self.pos = 0
        self.offset = 0   # characters dropped from the front of buf so far

    def fill(self) -> bool:
        return False

    def compact(self) -> None:
        """Forget consumed text so reading a big file runs in bounded memory.
        Only called from port procedures, never while the reader runs."""
        pos = self.pos
        if pos >= _COMPACT_AT and pos * 2 >= len(self.buf):
            self.buf = self.buf[pos:]
            self.offset += pos
            self.pos = 0

    def available(self) -> bool:
        """True if a character is buffered, after filling if needed."""
        while self.pos >= len(self.buf):
            if not self.fill():
                return False
        return True

    def read_char(self):
        if not self.available():
            return EOF_OBJECT
        c = self.buf[self.pos]
        self.pos += 1
        return make_char(c)

    def peek_char(self):
        if not self.available():
            return EOF_OBJECT
        return make_char(self.buf[self.pos])

    def read_line(self):
        """Up to a linefeed, carriage return, or CR LF (not included)."""
        if not self.available():
            return EOF_OBJECT
        start = scan = self.pos
        while True:
            buf = self.buf
            end = _line_end(buf, scan)
            if end >= 0:
                break
            scan = len(buf)
            if not self.fill():
                self.pos = len(self.buf)
                return MString(self.buf[start:])
        line = buf[start:end]
        self.pos = end + 1
        if buf[end] == "\r" and (self.pos < len(self.buf) or self.fill()) \
                and self.buf[self.pos] == "\n":
            self.pos += 1
        return MString(line)

    def read_string(self, k: int):
        if k == 0:
            return MString("")
        if not self.available():
            return EOF_OBJECT
        while len(self.buf) - self.pos < k and self.fill():
            pass
        s = self.buf[self.pos:self.pos + k]
        self.pos += len(s)
        return MString(s)

    def char_ready(self) -> bool:
        return True


def _line_end(buf: str, start: int) -> int:
    """Index of the first LF or CR at or after `start`, or -1."""
    lf = buf.find("\n", start)
    cr = buf.find("\r", start, lf if lf >= 0 else len(buf))
    return cr if cr >= 0 else lf


class FileInputPort(TextInputPort):
    """UTF-8 text read lazily in chunks of bytes; line endings are kept as
    in the file. Bytes that are not UTF-8 are a file error giving their
    offset in the file (textio)."""

    sx_name = "file-input-port"

    def __init__(self, filename: str) -> None:
        super().__init__("", filename)
        try:
            self.file = open(filename, "rb")
        except OSError as e:
            file_error("open-input-file", filename, e)
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.bytes_read = 0

    def fill(self) -> bool:
        if self.closed:
            return False
        try:
            data = self.file.read(CHUNK)
        except OSError as e:
            file_error("read", self.name, e)
        # The decoder holds back an unfinished sequence at a chunk's end:
        # it comes first in what the next call decodes.
        pending = self.decoder.getstate()[0]
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError as e:
            base = self.bytes_read - len(pending)
            raise bad_utf8("read", self.name, pending + data, e.start, base) from None
        finally:
            self.bytes_read += len(data)
        if not text:
            return bool(data)   # a chunk that only began a sequence: read on
        self.buf += text
        return True

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.file.close()


class StdinPort(TextInputPort):
    """Standard input, a line per fill() so interactive read-line works.
    sys.stdin is looked up each time so tests and the REPL can replace it."""

    sx_name = "console-input-port"

    def __init__(self) -> None:
        super().__init__("", "<stdin>")

    def fill(self) -> bool:
        if self.closed:
            return False
        sys.stdout.flush()   # a prompt written without newline must show first
        line = STDIN_LINES.readline()   # the REPL reads the same lines
        if not line:
            return False
        self.buf += line
        return True

    def char_ready(self) -> bool:
        if self.pos < len(self.buf):
            return True
        try:
            import select
            ready, _, _ = select.select([sys.stdin], [], [], 0)
        except Exception:   # no real file descriptor (replaced stream): never block
            return True
        return bool(ready)


class TextOutputPort(Port):
    """Base of textual output ports: write(str) and flush()."""

    is_output = True
    is_textual = True

    def write(self, s: str) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        pass


class StringOutputPort(TextOutputPort):
    sx_name = "string-output-port"

    def __init__(self) -> None:
        super().__init__("<string>")
        self.parts: list[str] = []

    def write(self, s: str) -> None:
        self.parts.append(s)

    def getvalue(self) -> str:
        s = "".join(self.parts)
        self.parts = [s]   # keep repeated get-output-string linear
        return s


class FileOutputPort(TextOutputPort):
    sx_name = "file-output-port"

    def __init__(self, filename: str, who: str = "open-output-file") -> None:
        super().__init__(filename)
        try:
            self.file = open(filename, "w", encoding="utf-8", newline="")
        except OSError as e:
            file_error(who, filename, e)

    def write(self, s: str) -> None:
        try:
            self.file.write(s)
        except OSError as e:
            file_error("write", self.name, e)

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.file.close()


class ConsoleOutputPort(TextOutputPort):
    """stdout or stderr, looked up in `sys` at each write so that
    redirect_stdout, pytest's capsys and the REPL can replace the stream.
    `at_line_start` lets the REPL start its prompt on a fresh line."""

    sx_name = "console-output-port"

    def __init__(self, stream: str) -> None:
        super().__init__("<" + stream + ">")
        self.stream = stream
        self.at_line_start = True

    def write(self, s: str) -> None:
        if not s:
            return
        stream = self._stream("write")
        try:
            if self.stream == "stderr":
                if sys.stdout is not None:
                    sys.stdout.flush()   # keep the two streams in program order
                stream.write(s)
                stream.flush()
            else:
                stream.write(s)
        except OSError as e:       # a closed pipe, a full disk: the program may catch it
            file_error("write", self.name, e)
        self.at_line_start = s[-1] == "\n"

    def _stream(self, who: str):
        stream = getattr(sys, self.stream)
        if stream is None:         # the process was started with it closed (`>&-`)
            raise file_error_object(who, self.name, "not open")
        return stream

    def flush(self) -> None:
        stream = self._stream("flush-output-port")
        try:
            stream.flush()
        except OSError as e:
            file_error("flush-output-port", self.name, e)

    def close(self) -> None:
        if not self.closed:
            self.flush()
            self.closed = True   # but never close the process's own streams


class BinaryInputPort(Port):
    """Bytes in `data` from `pos`; fill() replaces `data` with the unread
    rest plus the next chunk (no reader holds indices into binary ports)."""

    sx_name = "bytevector-input-port"
    is_input = True
    is_binary = True

    def __init__(self, data: bytes = b"", name: str = "<bytevector>") -> None:
        super().__init__(name)
        self.data = data
        self.pos = 0

    def fill(self) -> bool:
        return False

    def available(self, n: int = 1) -> int:
        """Number of buffered bytes, filling until there are `n` or input ends."""
        while len(self.data) - self.pos < n and self.fill():
            pass
        return len(self.data) - self.pos

    def read_u8(self):
        if not self.available():
            return EOF_OBJECT
        b = self.data[self.pos]
        self.pos += 1
        return b

    def peek_u8(self):
        if not self.available():
            return EOF_OBJECT
        return self.data[self.pos]

    def read_bytes(self, k: int) -> bytes:
        self.available(k)
        b = self.data[self.pos:self.pos + k]
        self.pos += len(b)
        return b


class BinaryFileInputPort(BinaryInputPort):
    sx_name = "binary-file-input-port"

    def __init__(self, filename: str) -> None:
        super().__init__(b"", filename)
        try:
            self.file = open(filename, "rb")
        except OSError as e:
            file_error("open-binary-input-file", filename, e)

    def fill(self) -> bool:
        if self.closed:
            return False
        try:
            chunk = self.file.read(CHUNK)
        except OSError as e:
            file_error("read-u8", self.name, e)
        if not chunk:
            return False
        self.data = self.data[self.pos:] + chunk
        self.pos = 0
        return True

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.file.close()


class BinaryOutputPort(Port):
    """Accumulates bytes (open-output-bytevector)."""

    sx_name = "bytevector-output-port"
    is_output = True
    is_binary = True

    def __init__(self, name: str = "<bytevector>") -> None:
        super().__init__(name)
        self.data = bytearray()

    def write_bytes(self, b) -> None:
        self.data += b

    def flush(self) -> None:
        pass


class BinaryFileOutputPort(BinaryOutputPort):
    sx_name = "binary-file-output-port"

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        try:
            self.file = open(filename, "wb")
        except OSError as e:
            file_error("open-binary-output-file", filename, e)

    def write_bytes(self, b) -> None:
        try:
            self.file.write(b)
        except OSError as e:
            file_error("write-u8", self.name, e)

    def flush(self) -> None:
        self.file.flush()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.file.close()


# ----------------------------------------------------- the current ports

STDIN = StdinPort()
STDOUT = ConsoleOutputPort("stdout")
STDERR = ConsoleOutputPort("stderr")

# Parameters: the evaluator reads `.value` when one is called with no
# arguments, and `parameterize` swaps `.value`; so every procedure below
# looks the current port up at call time.
CURRENT_INPUT = Parameter(STDIN, None)
CURRENT_OUTPUT = Parameter(STDOUT, None)
CURRENT_ERROR = Parameter(STDERR, None)
PRIMITIVES["current-input-port"] = CURRENT_INPUT
PRIMITIVES["current-output-port"] = CURRENT_OUTPUT
PRIMITIVES["current-error-port"] = CURRENT_ERROR


# --------------------------------------------------------- argument checks

def _port(who: str, x) -> Port:
    if not isinstance(x, Port):
        wrong_type(who, "a port", x)
    return x


def _open(who: str, port: Port) -> Port:
    if port.closed:
        error(f"{who}: port is closed:", port)
    return port


def _text_in(who: str, port) -> TextInputPort:
    if port is DEFAULT:
        port = CURRENT_INPUT.value
    if not isinstance(port, TextInputPort):
        wrong_type(who, "a textual input port", port)
    _open(who, port)
    port.compact()
    return port


def _text_out(who: str, port) -> TextOutputPort:
    if port is DEFAULT:
        port = CURRENT_OUTPUT.value
    if not isinstance(port, TextOutputPort):
        wrong_type(who, "a textual output port", port)
    return _open(who, port)


def _bin_in(who: str, port) -> BinaryInputPort:
    if port is DEFAULT:
        port = CURRENT_INPUT.value
    if not isinstance(port, BinaryInputPort):
        wrong_type(who, "a binary input port", port)
    return _open(who, port)


def _bin_out(who: str, port) -> BinaryOutputPort:
    if port is DEFAULT:
        port = CURRENT_OUTPUT.value
    if not isinstance(port, BinaryOutputPort):
        wrong_type(who, "a binary output port", port)
    return _open(who, port)


def _string(who: str, x) -> str:
    if type(x) is not MString:
        wrong_type(who, "a string", x)
    return x.s


def _bytevector(who: str, x) -> bytearray:
    if type(x) is not bytearray:
        wrong_type(who, "a bytevector", x)
    return x


def _count(who: str, k) -> int:
    if type(k) is not int:
        wrong_type(who, "an exact non-negative integer", k)
    if k < 0:
        bad_range(who, k, "count must be non-negative")
    return k


def _range(who: str, length: int, start, end) -> tuple[int, int]:
    """Resolve optional start/end against a sequence of `length` items."""
    start = 0 if start is DEFAULT else start
    end = length if end is DEFAULT else end
    for x in (start, end):
        if type(x) is not int:
            wrong_type(who, "an exact integer index", x)
    if not 0 <= end <= length:
        bad_range(who, end, "end index out of range")
    if not 0 <= start <= end:
        bad_range(who, start, "start index out of range")
    return start, end


# ------------------------------------------------------------- predicates

@primitive("input-port?")
def input_port_p(x):
    return isinstance(x, Port) and x.is_input


@primitive("output-port?")
def output_port_p(x):
    return isinstance(x, Port) and x.is_output


@primitive("textual-port?")
def textual_port_p(x):
    return isinstance(x, Port) and x.is_textual


@primitive("binary-port?")
def binary_port_p(x):
    return isinstance(x, Port) and x.is_binary


@primitive("port?")
def port_p(x):
    return isinstance(x, Port)


@primitive("input-port-open?")
def input_port_open_p(port):
    port = _port("input-port-open?", port)
    return port.is_input and not port.closed


@primitive("output-port-open?")
def output_port_open_p(port):
    port = _port("output-port-open?", port)
    return port.is_output and not port.closed


# ---------------------------------------------------------------- closing

@primitive("close-port")
def close_port(port):
    _port("close-port", port).close()
    return UNSPECIFIED


@primitive("close-input-port")
def close_input_port(port):
    if not (isinstance(port, Port) and port.is_input):
        wrong_type("close-input-port", "an input port", port)
    port.close()
    return UNSPECIFIED


@primitive("close-output-port")
def close_output_port(port):
    if not (isinstance(port, Port) and port.is_output):
        wrong_type("close-output-port", "an output port", port)
    port.close()
    return UNSPECIFIED


# ---------------------------------------------------------------- opening

@primitive("open-input-string")
def open_input_string(s):
    return TextInputPort(_string("open-input-string", s))


@primitive("open-output-string")
def open_output_string():
    return StringOutputPort()


@primitive("get-output-string")
def get_output_string(port):
    if not isinstance(port, StringOutputPort):
        wrong_type("get-output-string", "a string output port", port)
    return MString(port.getvalue())


@primitive("open-input-bytevector")
def open_input_bytevector(bv):
    # A snapshot: later changes to the bytevector do not show through.
    return BinaryInputPort(bytes(_bytevector("open-input-bytevector", bv)))


@primitive("open-output-bytevector")
def open_output_bytevector():
    return BinaryOutputPort()


@primitive("get-output-bytevector")
def get_output_bytevector(port):
    if type(port) is not BinaryOutputPort:
        wrong_type("get-output-bytevector", "a bytevector output port", port)
    return bytearray(port.data)


@primitive("open-input-file")
def open_input_file(filename):
    return FileInputPort(_string("open-input-file", filename))


@primitive("open-binary-input-file")
def open_binary_input_file(filename):
    return BinaryFileInputPort(_string("open-binary-input-file", filename))


@primitive("open-output-file")
def open_output_file(filename):
    return FileOutputPort(_string("open-output-file", filename))


@primitive("open-binary-output-file")
def open_binary_output_file(filename):
    return BinaryFileOutputPort(_string("open-binary-output-file", filename))


# ---------------------------------------------------------- textual input

@primitive("read")
def read(port=DEFAULT):
    port = _text_in("read", port)
    return read_from_port(port)


@primitive("read-char")
def read_char(port=DEFAULT):
    return _text_in("read-char", port).read_char()


@primitive("peek-char")
def peek_char(port=DEFAULT):
    return _text_in("peek-char", port).peek_char()


@primitive("read-line")
def read_line(port=DEFAULT):
    return _text_in("read-line", port).read_line()


@primitive("read-string")
def read_string(k, port=DEFAULT):
    k = _count("read-string", k)
    return _text_in("read-string", port).read_string(k)


@primitive("char-ready?")
def char_ready_p(port=DEFAULT):
    return _text_in("char-ready?", port).char_ready()


# ----------------------------------------------------------- binary input

@primitive("read-u8")
def read_u8(port=DEFAULT):
    return _bin_in("read-u8", port).read_u8()


@primitive("peek-u8")
def peek_u8(port=DEFAULT):
    return _bin_in("peek-u8", port).peek_u8()


@primitive("u8-ready?")
def u8_ready_p(port=DEFAULT):
    _bin_in("u8-ready?", port)
    return True   # bytevector and file ports never block


@primitive("read-bytevector")
def read_bytevector(k, port=DEFAULT):
    k = _count("read-bytevector", k)
    port = _bin_in("read-bytevector", port)
    if k == 0:
        return bytearray()
    b = port.read_bytes(k)
    return bytearray(b) if b else EOF_OBJECT


@primitive("read-bytevector!")
def read_bytevector_x(bv, port=DEFAULT, start=DEFAULT, end=DEFAULT):
    bv = _bytevector("read-bytevector!", bv)
    port = _bin_in("read-bytevector!", port)
    start, end = _range("read-bytevector!", len(bv), start, end)
    if start == end:
        return 0
    b = port.read_bytes(end - start)
    if not b:
        return EOF_OBJECT
    bv[start:start + len(b)] = b
    return len(b)


# ----------------------------------------------------------------- output

@primitive("write-char")
def write_char(c, port=DEFAULT):
    if type(c) is not Char:
        wrong_type("write-char", "a character", c)
    _text_out("write-char", port).write(c.c)
    return UNSPECIFIED


@primitive("write-string")
def write_string(s, port=DEFAULT, start=DEFAULT, end=DEFAULT):
    text = _string("write-string", s)
    port = _text_out("write-string", port)
    if start is not DEFAULT or end is not DEFAULT:
        start, end = _range("write-string", len(text), start, end)
        text = text[start:end]
    port.write(text)
    return UNSPECIFIED


@primitive("write-u8")
def write_u8(byte, port=DEFAULT):
    if type(byte) is not int or not 0 <= byte <= 255:
        wrong_type("write-u8", "a byte", byte)
    _bin_out("write-u8", port).write_bytes(bytes((byte,)))
    return UNSPECIFIED


@primitive("write-bytevector")
def write_bytevector(bv, port=DEFAULT, start=DEFAULT, end=DEFAULT):
    bv = _bytevector("write-bytevector", bv)
    port = _bin_out("write-bytevector", port)
    start, end = _range("write-bytevector", len(bv), start, end)
    port.write_bytes(bytes(bv[start:end]))
    return UNSPECIFIED


@primitive("newline")
def newline(port=DEFAULT):
    _text_out("newline", port).write("\n")
    return UNSPECIFIED


@primitive("write")
def write(obj, port=DEFAULT):
    port = _text_out("write", port)
    port.write(printer.write_string(obj))
    return UNSPECIFIED


@primitive("write-shared")
def write_shared(obj, port=DEFAULT):
    port = _text_out("write-shared", port)
    port.write(printer.write_shared_string(obj))
    return UNSPECIFIED


@primitive("write-simple")
def write_simple(obj, port=DEFAULT):
    port = _text_out("write-simple", port)
    port.write(printer.write_simple_string(obj))
    return UNSPECIFIED


@primitive("display")
def display(obj, port=DEFAULT):
    port = _text_out("display", port)
    port.write(printer.display_string(obj))
    return UNSPECIFIED


@primitive("flush-output-port")
def flush_output_port(port=DEFAULT):
    if port is DEFAULT:
        port = CURRENT_OUTPUT.value
    if not (isinstance(port, Port) and port.is_output):
        wrong_type("flush-output-port", "an output port", port)
    _open("flush-output-port", port).flush()
    return UNSPECIFIED


# ------------------------------------------------------------ eof, files

@primitive("eof-object")
def eof_object():
    return EOF_OBJECT


@primitive("eof-object?")
def eof_object_p(x):
    return x is EOF_OBJECT


@primitive("file-exists?")
def file_exists_p(filename):
    return os.path.exists(_string("file-exists?", filename))


@primitive("file-regular?")
def file_regular_p(filename):
    """An SX extension: whether filename names an existing regular file
    (after symbolic links), not a directory or a device; for serving files
    without opening them."""
    return os.path.isfile(_string("file-regular?", filename))


@primitive("delete-file")
def delete_file(filename):
    name = _string("delete-file", filename)
    try:
        os.remove(name)
    except OSError as e:
        file_error("delete-file", name, e)
    return UNSPECIFIED
