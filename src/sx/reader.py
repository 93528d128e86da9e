"""The reader: text -> datums, with file:line:col for every list element.

Locations live in a side table (`SourceMap`, keyed by the id of each pair
the reader creates) instead of inside the datums, so a datum read from source
is an ordinary SX value: `quote` returns it as is and pairs stay two slots.
The table is only valid while the datums it describes are alive; the
expander holds the form it is expanding, which keeps the ids unique.

For a list, the pair that *is* the list maps to the location of its opening
parenthesis; every later pair maps to the location of its car.

The reader scans any object with the textual-input-port protocol:
`buf` (str), `pos` (int) and `fill()` (append more text to buf, False at end).
"""

from __future__ import annotations

import bisect
import re

from .errors import SxSyntaxError
from .numsyntax import parse_number
from .values import (EOF_OBJECT, NIL, Pair, intern, keyword, make_char, MString)

Loc = tuple  # (filename, line, col)

CHAR_NAMES = {
    "alarm": "\x07", "backspace": "\x08", "delete": "\x7f", "escape": "\x1b",
    "newline": "\n", "null": "\x00", "nul": "\x00", "return": "\r",
    "space": " ", "tab": "\t", "linefeed": "\n",
}
STRING_ESCAPES = {"a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "r": "\r",
                  '"': '"', "\\": "\\", "|": "|", "0": "\x00"}

DELIMITERS = set(" \t\n\r\f\v()[]\";'`,|")
_ATOM = re.compile(r"[^\s()\[\]\";'`,|]*")
_SPACE = re.compile(r"[ \t\n\r\f\v]*")
CLOSERS = {"(": ")", "[": "]"}

QUOTE, QUASIQUOTE, UNQUOTE, UNQUOTE_SPLICING = (
    intern("quote"), intern("quasiquote"), intern("unquote"), intern("unquote-splicing"))
_DOT = object()        # the token `.` inside a list
_CLOSE = object()      # a closing parenthesis


class IncompleteInput(SxSyntaxError):
    """The text ended inside a datum: the REPL reads another line."""


class StringSource:
    """A complete text, in the shape of a textual input port."""

    def __init__(self, text: str) -> None:
        self.buf = text
        self.pos = 0

    def fill(self) -> bool:
        return False


class SourceMap(dict):
    """id(pair) -> (file, line, col)."""


class _Placeholder:
    """Stands for `#n=` while the labelled datum is still being read."""

    __slots__ = ("value",)


class Reader:
    def __init__(self, src, filename: str = "<input>", srcmap: SourceMap | None = None,
                 fold_case: bool = False) -> None:
        self.src = src
        self.filename = filename
        self.srcmap = srcmap
        self.fold_case = fold_case
        self.labels: dict[int, object] = {}
        self._line_starts = [0]
        self._scanned = 0  # how far into src.buf line starts are known

    # ---- positions -------------------------------------------------------

    def loc(self, pos: int) -> Loc:
        buf = self.src.buf
        if pos > self._scanned:
            i = buf.find("\n", self._scanned, pos)
            while i != -1:
                self._line_starts.append(i + 1)
                i = buf.find("\n", i + 1, pos)
            self._scanned = pos
        line = bisect.bisect_right(self._line_starts, pos)
        return (self.filename, line, pos - self._line_starts[line - 1] + 1)

    def error(self, message: str, pos: int, *irritants, incomplete: bool = False):
        cls = IncompleteInput if incomplete else SxSyntaxError
        raise cls(message, irritants, self.loc(pos), kind="read")

    # ---- characters ------------------------------------------------------

    def peek(self) -> str:
        src = self.src
        if src.pos >= len(src.buf) and not src.fill():
            return ""
        return src.buf[src.pos]

    def next(self) -> str:
        c = self.peek()
        if c:
            self.src.pos += 1
        return c

    def skip_atmosphere(self) -> None:
        """Skip whitespace and comments (`;`, nested `#| |#`, not `#;`)."""
        src = self.src
        while True:
            c = self.peek()
            if c in " \t\n\r\f\v" and c:
                src.pos = _SPACE.match(src.buf, src.pos).end()
            elif c == ";":
                while True:
                    i = src.buf.find("\n", src.pos)
                    if i != -1:
                        src.pos = i + 1
                        break
                    src.pos = len(src.buf)
                    if not src.fill():
                        return
            elif c == "#" and self._peek2() == "|":
                self._block_comment()
            else:
                return

    def _peek2(self) -> str:
        src = self.src
        while src.pos + 1 >= len(src.buf):
            if not src.fill():
                return ""
        return src.buf[src.pos + 1]

    def _block_comment(self) -> None:
        start = self.src.pos
        self.src.pos += 2
        depth = 1
        while depth:
            c = self.next()
            if not c:
                self.error("unterminated block comment", start, incomplete=True)
            if c == "|" and self.peek() == "#":
                self.next()
                depth -= 1
            elif c == "#" and self.peek() == "|":
                self.next()
                depth += 1

    def atom_text(self) -> str:
        src = self.src
        parts = []
        while True:
            end = _ATOM.match(src.buf, src.pos).end()
            parts.append(src.buf[src.pos:end])
            src.pos = end
            if end < len(src.buf) or not src.fill():
                return "".join(parts)

    # ---- datums ----------------------------------------------------------

    def read(self):
        """The next datum, or EOF_OBJECT at end of input."""
        self.labels = {}
        while True:
            self.skip_atmosphere()
            start = self.src.pos
            d = self._datum()
            if d is _CLOSE:
                self.error("unexpected ')'", start)
            if d is _DOT:
                self.error("unexpected '.'", start)
            return d

    def read_located(self):
        """(datum, loc) for the next datum, or (EOF_OBJECT, loc)."""
        self.skip_atmosphere()
        pos = self.src.pos
        return self.read(), self.loc(pos)

    def _datum(self):
        """Read one datum after atmosphere; may return _CLOSE or _DOT."""
        start = self.src.pos
        c = self.next()
        if not c:
            return EOF_OBJECT
        if c in "([":
            return self._list(CLOSERS[c], start)
        if c in ")]":
            return _CLOSE
        if c == "'":
            return self._quoted(QUOTE, start)
        if c == "`":
            return self._quoted(QUASIQUOTE, start)
        if c == ",":
            if self.peek() == "@":
                self.next()
                return self._quoted(UNQUOTE_SPLICING, start)
            return self._quoted(UNQUOTE, start)
        if c == '"':
            return MString(self._string(start, '"'))
        if c == "|":
            return intern(self._string(start, "|"))
        if c == "#":
            return self._hash(start)
        self.src.pos = start
        text = self.atom_text()
        if text == ".":
            return _DOT
        return self._atom(text, start)

    def _atom(self, text: str, start: int):
        n = parse_number(text)
        if n is not None:
            return n
        if self.fold_case:
            text = text.casefold()
        if text[0] == ":" and len(text) > 1 and text[1] != ":":
            return keyword(text[1:])
        return intern(text)

    def _required(self, start: int, what: str):
        """A datum that must be there (after a quote, a label, `#;` ...)."""
        self.skip_atmosphere()
        pos = self.src.pos
        d = self._datum()
        if d is EOF_OBJECT:
            self.error(f"end of input after {what}", start, incomplete=True)
        if d is _CLOSE or d is _DOT:
            self.error(f"expected a datum after {what}", pos)
        return d, pos

    def _quoted(self, sym, start: int):
        d, pos = self._required(start, sym.name)
        second = Pair(d, NIL)
        lst = Pair(sym, second)
        if self.srcmap is not None:
            self.srcmap[id(lst)] = self.loc(start)
            self.srcmap[id(second)] = self.loc(pos)
        return lst

    def _list(self, closer: str, start: int):
        head = tail = None
        srcmap = self.srcmap
        while True:
            self.skip_atmosphere()
            pos = self.src.pos
            d = self._datum()
            if d is EOF_OBJECT:
                self.error("unterminated list (missing ')')", start, incomplete=True)
            if d is _CLOSE:
                if self.src.buf[self.src.pos - 1] != closer:
                    self.error(f"mismatched bracket: expected '{closer}'", pos)
                return NIL if head is None else head
            if d is _DOT:
                if head is None:
                    self.error("bad dot syntax: nothing before '.'", pos)
                last, lpos = self._required(pos, "'.'")
                tail.cdr = last
                self.skip_atmosphere()
                cpos = self.src.pos
                if self._datum() is not _CLOSE:
                    self.error("bad dot syntax: expected ')' after the datum following '.'", cpos)
                if self.src.buf[self.src.pos - 1] != closer:
                    self.error(f"mismatched bracket: expected '{closer}'", cpos)
                return head
            cell = Pair(d, NIL)
            if head is None:
                head = tail = cell
                if srcmap is not None:
                    srcmap[id(cell)] = self.loc(start)
            else:
                tail.cdr = cell
                tail = cell
                if srcmap is not None:
                    srcmap[id(cell)] = self.loc(pos)

    def _string(self, start: int, quote: str) -> str:
        """Body of a string (quote '"') or a |symbol| (quote '|')."""
        out = []
        while True:
            c = self.next()
            if not c:
                what = "string" if quote == '"' else "|symbol|"
                self.error(f"unterminated {what}", start, incomplete=True)
            if c == quote:
                return "".join(out)
            if c != "\\":
                out.append(c)
                continue
            epos = self.src.pos - 1
            e = self.next()
            if e in STRING_ESCAPES:
                out.append(STRING_ESCAPES[e])
            elif e == "x" or e == "X":
                out.append(self._hex_escape(epos))
            elif e in " \t\n\r":
                self._line_continuation(e, epos)
            else:
                self.error(f"unknown string escape '\\{e}'", epos)

    def _hex_escape(self, epos: int) -> str:
        digits = []
        while True:
            c = self.next()
            if c == ";":
                break
            if not c or c not in "0123456789abcdefABCDEF":
                self.error("bad \\x escape: expected hex digits then ';'", epos)
            digits.append(c)
        return self._code_point("".join(digits), epos)

    def _code_point(self, hexdigits: str, pos: int) -> str:
        try:
            cp = int(hexdigits, 16)
            if 0xD800 <= cp <= 0xDFFF:
                raise ValueError
            return chr(cp)
        except ValueError:
            self.error(f"bad character code: x{hexdigits}", pos)

    def _line_continuation(self, first: str, epos: int) -> None:
        """`\\` <intraline whitespace>* <newline> <intraline whitespace>*."""
        c = first
        while c in " \t":
            c = self.next()
        if c == "\r" and self.peek() == "\n":
            c = self.next()
        if c not in "\n\r" or not c:
            self.error("bad line continuation in string", epos)
        while self.peek() in (" ", "\t"):
            self.next()

    def _hash(self, start: int):
        c = self.peek()
        if c == "(":
            self.next()
            return self._vector(start)
        if c == "\\":
            self.next()
            return self._char(start)
        if c == ";":
            self.next()
            self._required(start, "#;")
            self.skip_atmosphere()
            return self._datum()
        if c == "!":
            return self._directive(start)
        if c.isdigit():
            return self._label(start)
        text = self.atom_text()
        low = text.lower()
        if low in ("t", "true"):
            return True
        if low in ("f", "false"):
            return False
        if low == "u8" and self.peek() == "(":
            self.next()
            return self._bytevector(start)
        if low and low[0] in "eixbod":
            n = parse_number("#" + text)
            if n is not None:
                return n
            self.error(f"bad number: #{text}", start)
        if not text:
            nxt = self.peek()
            self.error(f"bad # syntax: #{nxt}" if nxt else "bad # syntax at end of input", start)
        self.error(f"bad # syntax: #{text}", start)

    def _vector(self, start: int) -> list:
        lst = self._list(")", start)
        out = []
        while lst is not NIL:
            if lst.__class__ is not Pair:
                self.error("bad dot syntax in vector", start)
            out.append(lst.car)
            lst = lst.cdr
        return out

    def _bytevector(self, start: int) -> bytearray:
        items = self._vector(start)
        for x in items:
            if type(x) is not int or not 0 <= x <= 255:
                self.error("bytevector element must be an exact integer 0..255:", start, x)
        return bytearray(items)

    def _char(self, start: int):
        c = self.next()
        if not c:
            self.error("end of input after #\\", start, incomplete=True)
        if c in DELIMITERS:
            return make_char(c)
        rest = self.atom_text()
        if not rest:
            return make_char(c)
        name = c + rest
        if name[0] in "xX" and all(ch in "0123456789abcdefABCDEF" for ch in rest):
            return make_char(self._code_point(rest, start))
        key = name.casefold() if self.fold_case else name
        if key in CHAR_NAMES:
            return make_char(CHAR_NAMES[key])
        if key.lower() in CHAR_NAMES:
            return make_char(CHAR_NAMES[key.lower()])
        self.error(f"unknown character name: #\\{name}", start)

    def _directive(self, start: int):
        self.next()
        text = self.atom_text()
        if text == "fold-case":
            self.fold_case = True
        elif text == "no-fold-case":
            self.fold_case = False
        elif text == "eof":
            return EOF_OBJECT
        elif not text:
            self.error("bad # syntax: #!", start)
        # Other #! lines (e.g. a `#!/usr/bin/env sx` script header at the
        # start of a file) are skipped like comments.
        elif start == 0 and text.startswith("/"):
            buf = self.src.buf
            i = buf.find("\n", self.src.pos)
            self.src.pos = len(buf) if i == -1 else i + 1
        else:
            self.error(f"unknown directive: #!{text}", start)
        self.skip_atmosphere()
        return self._datum()

    def _label(self, start: int):
        digits = []
        while self.peek().isdigit():
            digits.append(self.next())
        n = int("".join(digits))
        c = self.next()
        if c == "#":
            if n not in self.labels:
                self.error(f"undefined datum label #{n}#", start)
            return self.labels[n]  # a _Placeholder while #n= is still being read
        if c != "=":
            self.error(f"bad datum label syntax after #{n}", start)
        ph = _Placeholder()
        self.labels[n] = ph
        d, _ = self._required(start, f"#{n}=")
        if d is ph:
            self.error(f"datum label #{n}= refers only to itself", start)
        ph.value = d
        self.labels[n] = d
        _patch(d, ph)
        return d


def _patch(root, ph: _Placeholder) -> None:
    """Replace every reference to `ph` inside root by ph.value (iteratively)."""
    seen = set()
    stack = [root]
    while stack:
        x = stack.pop()
        if id(x) in seen:
            continue
        if x.__class__ is Pair:
            seen.add(id(x))
            if x.car is ph:
                x.car = ph.value
            else:
                stack.append(x.car)
            if x.cdr is ph:
                x.cdr = ph.value
            else:
                stack.append(x.cdr)
        elif x.__class__ is list:
            seen.add(id(x))
            for i, y in enumerate(x):
                if y is ph:
                    x[i] = ph.value
                else:
                    stack.append(y)


def read_all(text: str, filename: str = "<input>"):
    """Read a whole program: ([(datum, loc), ...], srcmap)."""
    srcmap = SourceMap()
    r = Reader(StringSource(text), filename, srcmap)
    out = []
    while True:
        d, loc = r.read_located()
        if d is EOF_OBJECT:
            return out, srcmap
        out.append((d, loc))


def read_from_port(port):
    """R7RS `read`: the next datum from a textual input port, or EOF."""
    try:
        return Reader(port, getattr(port, "name", "<port>")).read()
    except RecursionError:
        raise SxSyntaxError("datum nested too deeply", (), None, kind="read") from None
