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

Nesting uses no Python recursion: the unfinished datums (open lists,
vectors, quotes waiting for their datum, `#n=` labels, `#;` comments) are
frames on an explicit stack, so data nested 10^6 deep reads under any
Python recursion limit.

What counts as whitespace and what may appear in source (README, "The
reader"): whitespace is exactly what `char-whitespace?` accepts, the
characters with the Unicode White_Space property, and it delimits tokens.
Other control characters (NUL, U+001C..U+001F, ...) and lone surrogates
(undecodable bytes) are refused outside strings, |symbols|, comments and
`#\\` with a located "invalid character U+XXXX in source", so an error
never names an invisible character.
"""

from __future__ import annotations

import bisect
import re

from .errors import SxSyntaxError
from .numsyntax import NumberTooLarge, parse_number
from .values import (EOF_OBJECT, NIL, Pair, intern, keyword, make_char, MString)

Loc = tuple  # (filename, line, col)

CHAR_NAMES = {
    "alarm": "\x07", "backspace": "\x08", "delete": "\x7f", "escape": "\x1b",
    "newline": "\n", "null": "\x00", "nul": "\x00", "return": "\r",
    "space": " ", "tab": "\t", "linefeed": "\n",
}
STRING_ESCAPES = {"a": "\x07", "b": "\x08", "t": "\t", "n": "\n", "r": "\r",
                  '"': '"', "\\": "\\", "|": "|", "0": "\x00"}

# The Unicode White_Space property (R7RS names it for char-whitespace?).
# Python's str.isspace and regex \s also accept U+001C..U+001F, which are
# not whitespace: they are control characters, invalid in source.
WHITESPACE = ("\t\n\x0b\x0c\r \x85\xa0\u1680"
              "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
              "\u2028\u2029\u202f\u205f\u3000")
# Control characters (category Cc) that are not whitespace, and surrogates.
_INVALID_RANGES = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff"

DELIMITERS = frozenset(WHITESPACE + "()[]\";'`,|")
_ATOM = re.compile(f"[^{WHITESPACE}{_INVALID_RANGES}()\\[\\]\";'`,|]*")
_SPACE = re.compile(f"[{WHITESPACE}]*")
_INVALID = re.compile(f"[{_INVALID_RANGES}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE_SET = frozenset(WHITESPACE)
_ASCII_DIGITS = frozenset("0123456789")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
CLOSERS = {"(": ")", "[": "]"}

QUOTE, QUASIQUOTE, UNQUOTE, UNQUOTE_SPLICING = (
    intern("quote"), intern("quasiquote"), intern("unquote"), intern("unquote-splicing"))
_DOT = object()        # the token `.` inside a list
_CLOSE = object()      # a closing parenthesis
_SKIP = object()       # a directive (#!fold-case): nothing to deliver

# Kinds of unfinished datums on the reader's stack.
_LIST, _VECTOR, _BYTES, _PREFIX, _LABEL, _COMMENT = range(6)
# States of a _LIST frame around a dot.
_NO_DOT, _AFTER_DOT, _TAIL_READ = range(3)


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
    """id(pair) -> (file, line, col). It holds the pairs it has entries for
    (`pins`): an id names an object only while the object lives, and a pair
    made later at a dead one's address (by a macro, say, after the forms of
    an included file were expanded and dropped) would take its location."""

    def __init__(self) -> None:
        super().__init__()
        self.pins: list = []

    def note(self, obj, loc) -> None:
        self[id(obj)] = loc
        self.pins.append(obj)

    def update(self, other) -> None:
        super().update(other)
        self.pins.extend(getattr(other, "pins", ()))


class _Placeholder:
    """Stands for `#n=` while the labelled datum is still being read.
    `holes` are the (container, slot) places it was stored in, filled in
    when the datum is complete (no walk over the datum)."""

    __slots__ = ("holes",)

    def __init__(self) -> None:
        self.holes: list = []


class _Frame:
    """An unfinished datum. `what` is the closer of a list or vector, the
    symbol of a quote, the key of a label; `head` the first pair of a list,
    the items of a vector, the placeholder of a label."""

    __slots__ = ("kind", "start", "what", "head", "tail", "state")

    def __init__(self, kind: int, start: int, what=None, head=None) -> None:
        self.kind = kind
        self.start = start
        self.what = what
        self.head = head
        self.tail = None
        self.state = _NO_DOT

    def name(self) -> str:
        """How an error names what this frame still waits for."""
        if self.kind == _PREFIX:
            return self.what.name
        if self.kind == _LABEL:
            return f"#{_clip(self.what)}="
        return "#;"


def char_text(c: str) -> str:
    """A character as an error message shows it: itself when visible, else
    its code point (U+00A0)."""
    if c.isprintable() and c not in _SPACE_SET:
        return c
    return f"U+{ord(c):04X}"


def _clip(text: str, limit: int = 40) -> str:
    """Source text for a message: at most `limit` characters, the invisible
    ones written as string escapes."""
    if len(text) > limit:
        text = text[:limit] + "..."
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):x};" for ch in text)


class Reader:
    def __init__(self, src, filename: str = "<input>", srcmap: SourceMap | None = None,
                 fold_case: bool = False) -> None:
        self.src = src
        self.filename = filename
        self.srcmap = srcmap
        self.fold_case = fold_case
        self.labels: dict[str, object] = {}
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
            pos = src.pos
            c = src.buf[pos] if pos < len(src.buf) else self.peek()
            if c in _SPACE_SET:
                src.pos = _SPACE.match(src.buf, src.pos).end()
            elif c == ";":
                self._skip_line()
            elif c == "#" and self._peek2() == "|":
                self._block_comment()
            else:
                return

    def _skip_line(self) -> None:
        """Skip past the next newline (or to the end of input)."""
        src = self.src
        while True:
            i = src.buf.find("\n", src.pos)
            if i != -1:
                src.pos = i + 1
                return
            src.pos = len(src.buf)
            if not src.fill():
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
        stack: list[_Frame] = []
        srcmap = self.srcmap
        while True:
            self.skip_atmosphere()
            pos = self.src.pos
            d = self._token(pos)
            if d.__class__ is _Frame:
                if d.kind != _COMMENT and stack and stack[-1].state == _TAIL_READ:
                    self._tail_done(pos)
                stack.append(d)
                continue
            if d is _CLOSE:
                f = self._close(stack, pos)
                d, pos = self._finish(f), f.start
            elif d is _DOT:
                self._dot(stack, pos)
                continue
            elif d is _SKIP:
                continue
            elif d is EOF_OBJECT:
                if not stack:
                    return EOF_OBJECT
                self._end_inside(stack[-1])
            elif stack and stack[-1].state == _TAIL_READ:
                self._tail_done(pos)
            # Deliver the datum d (at pos) to the frames waiting for it.
            while stack:
                f = stack[-1]
                kind = f.kind
                if kind == _LIST:
                    if f.state != _NO_DOT or d.__class__ is _Placeholder:
                        self._add_to_list(f, d, pos)
                        break
                    cell = Pair(d, NIL)     # the common case, inline
                    if f.head is None:
                        f.head = f.tail = cell
                        pos = f.start
                    else:
                        f.tail.cdr = cell
                        f.tail = cell
                    if srcmap is not None:
                        srcmap.note(cell, self.loc(pos))
                    break
                if kind == _VECTOR or kind == _BYTES:
                    if d.__class__ is _Placeholder:
                        d.holes.append((f.head, len(f.head)))
                    f.head.append(d)
                    break
                stack.pop()
                if kind == _COMMENT:
                    break
                d = self._quoted(f, d, pos) if kind == _PREFIX else self._labelled(f, d)
                pos = f.start
            else:
                return d

    def read_located(self):
        """(datum, loc) for the next datum, or (EOF_OBJECT, loc)."""
        self.skip_atmosphere()
        pos = self.src.pos
        return self.read(), self.loc(pos)

    def _tail_done(self, pos: int):
        """After `. datum` a list only accepts its closer (or comments)."""
        self.error("bad dot syntax: expected ')' after the datum following '.'", pos)

    def _close(self, stack, pos: int) -> _Frame:
        if not stack:
            self.error("unexpected ')'", pos)
        f = stack[-1]
        if f.kind in (_PREFIX, _LABEL, _COMMENT):
            self.error(f"expected a datum after {f.name()}", pos)
        if self.src.buf[self.src.pos - 1] != f.what:
            self.error(f"mismatched bracket: expected '{f.what}'", pos)
        if f.state == _AFTER_DOT:
            self.error("expected a datum after '.'", pos)
        return stack.pop()

    def _dot(self, stack, pos: int) -> None:
        if not stack:
            self.error("unexpected '.'", pos)
        f = stack[-1]
        if f.kind == _VECTOR or f.kind == _BYTES:
            self.error("bad dot syntax in vector", pos)
        if f.kind != _LIST:
            self.error(f"expected a datum after {f.name()}", pos)
        if f.head is None:
            self.error("bad dot syntax: nothing before '.'", pos)
        if f.state == _AFTER_DOT:
            self.error("expected a datum after '.'", pos)
        if f.state == _TAIL_READ:
            self._tail_done(pos)
        f.state = _AFTER_DOT

    def _end_inside(self, f: _Frame):
        """End of input while f is unfinished: the REPL reads another line."""
        if f.kind in (_LIST, _VECTOR, _BYTES):
            self.error("unterminated list (missing ')')", f.start, incomplete=True)
        self.error(f"end of input after {f.name()}", f.start, incomplete=True)

    def _add_to_list(self, f: _Frame, d, pos: int) -> None:
        if f.state == _AFTER_DOT:
            f.tail.cdr = d
            f.state = _TAIL_READ
            if d.__class__ is _Placeholder:
                d.holes.append((f.tail, "cdr"))
            return
        cell = Pair(d, NIL)
        if d.__class__ is _Placeholder:
            d.holes.append((cell, "car"))
        if f.head is None:
            f.head = f.tail = cell
            pos = f.start
        else:
            f.tail.cdr = cell
            f.tail = cell
        if self.srcmap is not None:
            self.srcmap.note(cell, self.loc(pos))

    def _finish(self, f: _Frame):
        """The datum of a closed list or vector."""
        if f.kind == _LIST:
            return NIL if f.head is None else f.head
        if f.kind == _BYTES:
            for x in f.head:
                if type(x) is not int or not 0 <= x <= 255:
                    self.error("bytevector element must be an exact integer 0..255:", f.start, x)
            return bytearray(f.head)
        return f.head

    def _quoted(self, f: _Frame, d, pos: int):
        second = Pair(d, NIL)
        lst = Pair(f.what, second)
        if d.__class__ is _Placeholder:
            d.holes.append((second, "car"))
        if self.srcmap is not None:
            self.srcmap.note(lst, self.loc(f.start))
            self.srcmap.note(second, self.loc(pos))
        return lst

    def _labelled(self, f: _Frame, d):
        ph = f.head
        if d is ph:
            self.error(f"datum label #{_clip(f.what)}= refers only to itself", f.start)
        self.labels[f.what] = d
        for obj, slot in ph.holes:
            if slot.__class__ is int:
                obj[slot] = d
            else:
                setattr(obj, slot, d)
            if d.__class__ is _Placeholder:   # #1=(... #0=#1# ...): wait for #1
                d.holes.append((obj, slot))
        return d

    def _token(self, start: int):
        """After atmosphere: a whole datum (an atom, a string, ...), a _Frame
        for a datum still to be read, or _CLOSE, _DOT, _SKIP, EOF_OBJECT."""
        src = self.src
        if start < len(src.buf):      # skip_atmosphere has filled the buffer
            c = src.buf[start]
            src.pos = start + 1
        else:
            return EOF_OBJECT
        special = _SPECIAL_START.get(c)
        if special is not None:
            return special(self, start)
        if _INVALID.match(c):
            self._invalid_char(c, start)
        self.src.pos = start
        text = self.atom_text()
        if text == ".":
            return _DOT
        return self._atom(text, start)

    def _invalid_char(self, c: str, pos: int):
        self.error(f"invalid character {char_text(c)} in source", pos)

    def _atom(self, text: str, start: int):
        n = parse_number(text)
        if n is not None:
            return n
        if self.fold_case:
            text = text.casefold()
        if text[0] == ":" and len(text) > 1 and text[1] != ":":
            return keyword(text[1:])
        return intern(text)

    def _string(self, start: int, quote: str) -> str:
        """Body of a string (quote '"') or a |symbol| (quote '|')."""
        out = []
        while True:
            c = self.next()
            if not c:
                self._unterminated(start, quote)
            if c == quote:
                text = "".join(out)
                bad = _SURROGATE.search(text)
                if bad:   # undecodable bytes: no SX string holds a surrogate
                    self._invalid_char(bad.group(), self.src.buf.find(bad.group(), start))
                return text
            if c != "\\":
                out.append(c)
                continue
            epos = self.src.pos - 1
            e = self.next()
            if not e:
                self._unterminated(start, quote)
            if e in STRING_ESCAPES:
                out.append(STRING_ESCAPES[e])
            elif e == "x" or e == "X":
                out.append(self._hex_escape(start, quote, epos))
            elif e in " \t\n\r":
                self._line_continuation(e, start, quote, epos)
            else:
                self.error(f"unknown string escape '\\{char_text(e)}'", epos)

    def _unterminated(self, start: int, quote: str):
        what = "string" if quote == '"' else "|symbol|"
        self.error(f"unterminated {what}", start, incomplete=True)

    def _hex_escape(self, start: int, quote: str, epos: int) -> str:
        digits = []
        while True:
            c = self.next()
            if c == ";":
                break
            if not c:
                self._unterminated(start, quote)
            if c not in _HEX_DIGITS:
                self.error("bad \\x escape: expected hex digits then ';'", epos)
            digits.append(c)
        hexdigits = "".join(digits)
        if not hexdigits:
            self.error("bad \\x escape: expected hex digits then ';'", epos)
        return self._code_point(hexdigits, epos, f"\\x{_clip(hexdigits)};")

    def _code_point(self, hexdigits: str, pos: int, shown: str) -> str:
        """The character U+hexdigits, or a read error naming it as `shown`:
        past U+10FFFF or a surrogate there is no such character."""
        significant = hexdigits.lstrip("0") or "0"
        cp = int(significant, 16) if len(significant) <= 6 else -1
        if not 0 <= cp <= 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
            self.error(f"no such character: {shown}", pos)
        return chr(cp)

    def _line_continuation(self, first: str, start: int, quote: str, epos: int) -> None:
        """`\\` <intraline whitespace>* <newline> <intraline whitespace>*."""
        c = first
        while c == " " or c == "\t":
            c = self.next()
        if not c:
            self._unterminated(start, quote)
        if c == "\r" and self.peek() == "\n":
            c = self.next()
        if c != "\n" and c != "\r":
            self.error("bad line continuation in string", epos)
        while self.peek() in (" ", "\t"):
            self.next()

    def _hash(self, start: int):
        c = self.peek()
        if c == "(":
            self.next()
            return _Frame(_VECTOR, start, ")", [])
        if c == "\\":
            self.next()
            return self._char(start)
        if c == ";":
            self.next()
            return _Frame(_COMMENT, start)
        if c == "!":
            return self._directive(start)
        if c in _ASCII_DIGITS:
            return self._label(start)
        text = self.atom_text()
        low = text.lower()
        if low in ("t", "true"):
            return True
        if low in ("f", "false"):
            return False
        if low == "u8" and self.peek() == "(":
            self.next()
            return _Frame(_BYTES, start, ")", [])
        if low and low[0] in "eixbod":
            try:
                n = parse_number("#" + text)
            except NumberTooLarge as e:
                self.error(e.message, start, MString(_clip(e.text)))
            if n is not None:
                return n
            self.error(f"bad number: #{_clip(text)}", start)
        if not text:
            nxt = self.peek()
            if not nxt:
                self.error("bad # syntax at end of input", start)
            if nxt in _SPACE_SET or _INVALID.match(nxt):
                self.error(f"bad # syntax: '#' followed by {char_text(nxt)}", start)
            self.error(f"bad # syntax: #{nxt}", start)
        self.error(f"bad # syntax: #{_clip(text)}", start)

    def _char(self, start: int):
        c = self.next()
        if not c:
            self.error("end of input after #\\", start, incomplete=True)
        if c in DELIMITERS or _INVALID.match(c):   # #\<any character>
            if _SURROGATE.match(c):
                self.error(f"no such character: #\\{char_text(c)}", start)
            return make_char(c)
        rest = self.atom_text()
        if not rest:
            return make_char(c)
        name = c + rest
        if name[0] in "xX" and all(ch in _HEX_DIGITS for ch in rest):
            return make_char(self._code_point(rest, start, f"#\\{_clip(name)}"))
        key = name.casefold() if self.fold_case else name
        if key in CHAR_NAMES:
            return make_char(CHAR_NAMES[key])
        if key.lower() in CHAR_NAMES:
            return make_char(CHAR_NAMES[key.lower()])
        self.error(f"unknown character name: #\\{_clip(name)}", start)

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
            self._skip_line()
        else:
            self.error(f"unknown directive: #!{_clip(text)}", start)
        return _SKIP

    def _label(self, start: int):
        """`#n=` (a _Frame waiting for the datum) or `#n#` (its datum, or
        its placeholder while the datum is still being read). The key is
        the digits as text: a label of 10^6 digits costs no big int."""
        digits = []
        while self.peek() in _ASCII_DIGITS:
            digits.append(self.next())
        key = "".join(digits).lstrip("0") or "0"
        c = self.next()
        if c == "#":
            if key not in self.labels:
                self.error(f"undefined datum label #{_clip(key)}#", start)
            return self.labels[key]
        if c != "=":
            self.error(f"bad datum label syntax after #{_clip(key)}", start)
        ph = _Placeholder()
        self.labels[key] = ph
        return _Frame(_LABEL, start, key, ph)


def _open_list(r: Reader, start: int):
    return _Frame(_LIST, start, CLOSERS[r.src.buf[start]])


def _prefix(sym):
    return lambda r, start: _Frame(_PREFIX, start, sym)


def _comma(r: Reader, start: int):
    if r.peek() == "@":
        r.next()
        return _Frame(_PREFIX, start, UNQUOTE_SPLICING)
    return _Frame(_PREFIX, start, UNQUOTE)


# What a token starting with one of these characters is (any other starts
# an atom), called after the character is consumed.
_SPECIAL_START = {
    "(": _open_list, "[": _open_list,
    ")": lambda r, start: _CLOSE, "]": lambda r, start: _CLOSE,
    "'": _prefix(QUOTE), "`": _prefix(QUASIQUOTE), ",": _comma,
    '"': lambda r, start: MString(r._string(start, '"')),
    "|": lambda r, start: intern(r._string(start, "|")),
    "#": Reader._hash,
}


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
    """R7RS `read`: the next datum from a textual input port, or EOF.
    `#!fold-case` lasts for the port, not for one call: kept on the port."""
    r = Reader(port, getattr(port, "name", "<port>"), fold_case=getattr(port, "fold_case", False))
    try:
        return r.read()
    finally:
        if r.fold_case or getattr(port, "fold_case", False):
            port.fold_case = r.fold_case
