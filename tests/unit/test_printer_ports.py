"""Unit tests for the printer (sx.printer), ports (sx.runtime.ports) and the
system interface (sx.runtime.system)."""

from __future__ import annotations

import io
import os
import sys
from fractions import Fraction

import pytest

from sx import printer
from sx.errors import ErrorObject, SchemeError, SxExit, error, wrong_type
from sx.printer import (
    display_string, format_condition, write_shared_string, write_simple_string, write_string,
)
from sx.reader import read_all
from sx.runtime import PRIMITIVES
from sx.runtime import ports, system
from sx.runtime.equality import equal
from sx.values import (
    EOF_OBJECT, NIL, UNSPECIFIED, Continuation, MString, MultipleValues, Pair, Parameter,
    Primitive, Procedure, Promise, Record, RecordType, gensym, intern, keyword, make_char,
    py_to_list,
)


def call(name, *args):
    """Call a registered primitive, checking its arity the way the evaluator will."""
    p = PRIMITIVES[name]
    assert p.min_args <= len(args), f"{name}: too few arguments"
    assert p.max_args is None or len(args) <= p.max_args, f"{name}: too many arguments"
    return p.fn(*args)


def sym(name):
    return intern(name)


def lst(*items):
    return py_to_list(list(items))


def s(text):
    return MString(text)


def read_datum(text):
    [(d, _)] = read_all(text)[0]
    return d


def raises_condition(fn, *args, kind=None):
    """Run fn, expect a SchemeError carrying an ErrorObject; return its text."""
    with pytest.raises(SchemeError) as info:
        fn(*args)
    payload = info.value.payload
    assert isinstance(payload, ErrorObject)
    if kind is not None:
        assert payload.kind == kind
    return format_condition(payload)


# ================================================================ printer

@pytest.mark.parametrize("value, text", [
    (True, "#t"),
    (False, "#f"),
    (0, "0"),
    (-42, "-42"),
    (10**30, "1" + "0" * 30),
    (Fraction(1, 3), "1/3"),
    (NIL, "()"),
    (EOF_OBJECT, "#<eof>"),
    (UNSPECIFIED, "#<unspecified>"),
    (keyword("name"), ":name"),
    (bytearray(), "#u8()"),
    (bytearray([1, 2, 255]), "#u8(1 2 255)"),
    ([], "#()"),
    ([1, 2], "#(1 2)"),
])
def test_write_atoms_and_simple_containers(value, text):
    assert write_string(value) == text
    assert display_string(value) == text


def test_write_floats_use_number_module():
    assert write_string(1.5) == "1.5"
    assert write_string(float("inf")) == "+inf.0"
    assert write_string(float("-inf")) == "-inf.0"
    assert write_string(float("nan")) == "+nan.0"


def test_write_lists():
    assert write_string(lst(1, 2, 3)) == "(1 2 3)"
    assert write_string(Pair(sym("a"), sym("b"))) == "(a . b)"
    assert write_string(Pair(1, Pair(2, 3))) == "(1 2 . 3)"
    assert write_string(lst(lst(), lst(1), [lst(2)])) == "(() (1) #((2)))"
    assert write_string(Pair(1, [2])) == "(1 . #(2))"
    assert write_string(lst(bytearray([7]), s("x"))) == '(#u8(7) "x")'


@pytest.mark.parametrize("head", ["quote", "quasiquote", "unquote", "unquote-splicing"])
def test_quote_forms_are_written_in_full(head):
    """(quote x) is written (quote x), never 'x, by every writer (as
    Guile's write does); what the reader made of 'x is written the same way."""
    for writer in (write_string, write_shared_string, write_simple_string, display_string):
        assert writer(lst(sym(head), sym("x"))) == f"({head} x)"
        assert writer(lst(sym(head), lst(1, 2))) == f"({head} (1 2))"
        assert writer(lst(sym(head))) == f"({head})"
        assert writer(Pair(sym(head), 1)) == f"({head} . 1)"


def test_quote_forms_read_back():
    assert write_string(lst(sym("a"), sym("quote"), sym("x"))) == "(a quote x)"
    assert write_string(lst(lst(sym("quote"), lst(sym("quote"), 1)))) == "((quote (quote 1)))"
    for text in ("''a", "`(a ,b ,@c)", "(quote . a)", "'(quote)"):
        d = read_datum(text)
        assert equal(read_datum(write_string(d)), d)


@pytest.mark.parametrize("text, written", [
    ("hello", '"hello"'),
    ("", '""'),
    ('say "hi"', r'"say \"hi\""'),
    ("back\\slash", r'"back\\slash"'),
    ("a\nb\tc\rd", r'"a\nb\tc\rd"'),
    ("\x07\x08", r'"\a\b"'),
    ("\x00", r'"\x0;"'),
    ("\x1b[0m", r'"\x1b;[0m"'),
    ("\x7f", r'"\x7f;"'),
    ("λx → ∞ ü", '"λx → ∞ ü"'),
])
def test_string_escapes(text, written):
    assert write_string(s(text)) == written
    assert display_string(s(text)) == text


@pytest.mark.parametrize("c, written", [
    ("a", "#\\a"),
    ("A", "#\\A"),
    ("(", "#\\("),
    (" ", "#\\space"),
    ("\n", "#\\newline"),
    ("\t", "#\\tab"),
    ("\r", "#\\return"),
    ("\x00", "#\\null"),
    ("\x07", "#\\alarm"),
    ("\x08", "#\\backspace"),
    ("\x7f", "#\\delete"),
    ("\x1b", "#\\escape"),
    ("\x01", "#\\x1"),
    ("\xa0", "#\\xa0"),
    ("λ", "#\\λ"),
])
def test_char_names(c, written):
    assert write_string(make_char(c)) == written
    assert display_string(make_char(c)) == c


@pytest.mark.parametrize("name, written", [
    ("abc", "abc"),
    ("ABC", "ABC"),
    ("λ", "λ"),
    ("+", "+"),
    ("-", "-"),
    ("...", "..."),
    ("->x", "->x"),
    ("set-car!", "set-car!"),
    ("a.b", "a.b"),
    ("", "||"),
    ("hello world", "|hello world|"),
    ("a(b", "|a(b|"),
    ("a;b", "|a;b|"),
    ("a'b", "|a'b|"),
    ('a"b', '|a"b|'),
    ("a|b", r"|a\|b|"),
    ("a\\b", r"|a\\b|"),
    ("tab\there", r"|tab\there|"),
    ("1", "|1|"),
    ("1+", "|1+|"),
    ("+1", "|+1|"),
    ("-2.5", "|-2.5|"),
    (".5", "|.5|"),
    ("+.5", "|+.5|"),
    ("+i", "|+i|"),
    ("+inf.0", "|+inf.0|"),
    ("-nan.0", "|-nan.0|"),
    (".", "|.|"),
    (":key", "|:key|"),
    ("#foo", "|#foo|"),
])
def test_symbols(name, written):
    assert write_string(sym(name)) == written
    assert display_string(sym(name)) == name


def test_uninterned_symbol_prints_its_name():
    g = gensym("tmp")
    assert write_string(g) == g.name


def test_opaque_values():
    prim = Primitive("car", lambda p: p.car, 1, 1)
    assert write_string(prim) == "#<procedure car>"

    class Closure(Procedure):
        __slots__ = ("name",)

        def __init__(self, name):
            self.name = name

    assert write_string(Closure(sym("fact"))) == "#<procedure fact>"
    assert write_string(Closure(None)) == "#<procedure>"
    assert write_string(Continuation(None, None, None)) == "#<continuation>"
    assert write_string(Parameter(1, None)) == "#<parameter>"
    assert write_string(Promise(True, 1)) == "#<promise>"
    point = RecordType("point", [sym("x"), sym("y")])
    assert write_string(point) == "#<record-type point>"
    assert write_string(Record(point, [1, 2])) == "#<record point>"
    bracketed = RecordType("<node>", [])
    assert write_string(Record(bracketed, [])) == "#<record node>"

    class Env:
        sx_name = "environment"

    assert write_string(Env()) == "#<environment>"

    class Thing:
        pass

    assert write_string(Thing()) == "#<Thing>"
    assert write_string(ports.TextInputPort("x")) == "#<string-input-port>"


def test_error_objects_and_multiple_values():
    e = ErrorObject("Something bad:", [42, s("x")])
    assert write_string(e) == '#<error "Something bad:" 42 "x">'
    assert display_string(e) == "#<error Something bad: 42 x>"
    assert write_string(MultipleValues([1, s("a"), sym("b")])) == '1 "a" b'
    assert write_string(MultipleValues([])) == ""


def test_dicts():
    d = call("make-dict", sym("a"), 1, s("b"), lst(2))
    assert write_string(d) == '#<dict a 1 "b" (2)>'
    assert write_string(call("make-dict")) == "#<dict>"


def test_display_nested():
    v = lst(s("a b"), make_char("c"), [s("d")], sym("|e|"))
    assert display_string(v) == "(a b c #(d) |e|)"
    assert write_string(v) == r'("a b" #\c #("d") |\|e\||)'


# ---------------------------------------------------------------- cycles

def cyclic_list(n):
    items = py_to_list(list(range(n)))
    last = items
    while last.cdr is not NIL:
        last = last.cdr
    last.cdr = items
    return items


def test_cdr_cycle():
    c = cyclic_list(3)
    assert write_string(c) == "#0=(0 1 2 . #0#)"
    assert display_string(c) == "#0=(0 1 2 . #0#)"
    assert write_shared_string(c) == "#0=(0 1 2 . #0#)"


def test_self_cdr_cycle_and_car_cycle():
    p = Pair(1, NIL)
    p.cdr = p
    assert write_string(p) == "#0=(1 . #0#)"
    q = Pair(NIL, NIL)
    q.car = q
    assert write_string(q) == "#0=(#0#)"


def test_cycle_in_the_middle():
    inner = cyclic_list(2)
    outer = lst(sym("a"), inner, sym("b"))
    assert write_string(outer) == "(a #0=(0 1 . #0#) b)"


def test_vector_cycle():
    v = [1, None]
    v[1] = v
    assert write_string(v) == "#0=#(1 #0#)"
    w = [v, v]
    assert write_string(w) == "#(#0=#(1 #0#) #0#)"


def test_two_cycles_get_two_labels():
    a, b = cyclic_list(1), cyclic_list(1)
    assert write_string(lst(a, b)) == "(#0=(0 . #0#) #1=(0 . #1#))"


def test_shared_but_acyclic():
    shared = lst(1, 2)
    both = lst(shared, shared)
    assert write_string(both) == "((1 2) (1 2))"
    assert write_simple_string(both) == "((1 2) (1 2))"
    assert write_shared_string(both) == "(#0=(1 2) #0#)"


def test_write_shared_labels_strings_and_tails():
    text = s("hi")
    assert write_shared_string(lst(text, text)) == '(#0="hi" #0#)'
    assert write_string(lst(text, text)) == '("hi" "hi")'
    tail = lst(2, 3)
    both = lst(Pair(1, tail), tail)
    assert write_shared_string(both) == "((1 . #0=(2 3)) #0#)"


def test_shared_quote_tail_is_not_abbreviated():
    tail = lst(sym("x"))
    q = Pair(sym("quote"), tail)
    assert write_shared_string(lst(q, tail)) == "((quote . #0=(x)) #0#)"
    assert write_string(lst(q, tail)) == "((quote x) (x))"


def test_display_cycle_with_strings():
    c = Pair(s("x"), NIL)
    c.cdr = c
    assert display_string(c) == "#0=(x . #0#)"


def test_cycle_through_error_irritants_terminates():
    v = [1]
    v.append(v)
    assert write_string(ErrorObject("bad:", [v])) == '#<error "bad:" #0=#(1 #0#)>'


def test_long_lists_do_not_recurse():
    n = 10**6
    big = py_to_list(list(range(n)))
    expected_len = len(" ".join(map(str, range(n)))) + 2
    assert len(write_string(big)) == expected_len
    assert len(write_simple_string(big)) == expected_len
    assert len(write_shared_string(big)) == expected_len
    assert len(display_string(big)) == expected_len


def test_long_cyclic_list_terminates():
    c = cyclic_list(10**6)
    out = write_string(c)
    assert out.startswith("#0=(0 1 2 ") and out.endswith(" 999999 . #0#)")


def test_deep_nesting_does_not_recurse():
    depth = 100_000
    x = NIL
    for _ in range(depth):
        x = Pair(x, NIL)
    assert write_string(x) == "(" * depth + "()" + ")" * depth
    v = []
    for _ in range(depth):
        v = [v]
    assert write_simple_string(v) == "#(" * depth + "#()" + ")" * depth


def test_pair_repr_uses_printer():
    assert repr(lst(1, s("a"))) == '(1 "a")'


# ------------------------------------------------------- format_condition

def test_format_condition():
    with pytest.raises(SchemeError) as info:
        wrong_type("car", "a pair", 5)
    assert format_condition(info.value.payload) == "car: expected a pair, got 5"
    assert str(info.value) == "car: expected a pair, got 5"
    with pytest.raises(SchemeError) as info:
        error("Something bad:", 42, s("x"))
    assert format_condition(info.value.payload) == 'Something bad: 42 "x"'
    assert format_condition(ErrorObject("plain", [])) == "plain"
    assert format_condition(42) == "uncaught exception: 42"
    assert format_condition(lst(sym("oops"), s("x"))) == 'uncaught exception: (oops "x")'


# ================================================================== ports

def test_port_procedures_are_registered_with_their_arity():
    arities = {
        "read-char": (0, 1), "read-string": (1, 2), "read-bytevector!": (1, 4),
        "write-string": (1, 4), "write-bytevector": (1, 4), "display": (1, 2),
        "newline": (0, 1), "open-output-string": (0, 0), "eof-object": (0, 0),
        "read": (0, 1), "write-shared": (1, 2), "flush-output-port": (0, 1),
    }
    for name, (lo, hi) in arities.items():
        p = PRIMITIVES[name]
        assert (p.min_args, p.max_args) == (lo, hi), name
    for name in ("current-input-port", "current-output-port", "current-error-port"):
        assert isinstance(PRIMITIVES[name], Parameter)


def test_string_input_port_chars():
    p = call("open-input-string", s("ab"))
    assert call("char-ready?", p) is True
    assert call("peek-char", p) is make_char("a")
    assert call("read-char", p) is make_char("a")
    assert call("read-char", p) is make_char("b")
    assert call("peek-char", p) is EOF_OBJECT
    assert call("read-char", p) is EOF_OBJECT
    assert call("eof-object?", call("read-char", p)) is True


def test_read_line_endings():
    p = call("open-input-string", s("one\ntwo\r\nthree\rfour\n\nlast"))
    lines = []
    while True:
        line = call("read-line", p)
        if line is EOF_OBJECT:
            break
        assert type(line) is MString
        lines.append(line.s)
    assert lines == ["one", "two", "three", "four", "", "last"]


class ChunkedPort(ports.TextInputPort):
    """A textual input port whose fill() hands out preset pieces."""

    def __init__(self, pieces):
        super().__init__("")
        self.pieces = list(pieces)

    def fill(self):
        if not self.pieces:
            return False
        self.buf += self.pieces.pop(0)
        return True


def test_read_line_across_fills():
    p = ChunkedPort(["ab\r", "\ncd", "ef\n", "g"])
    assert [call("read-line", p).s for _ in range(3)] == ["ab", "cdef", "g"]
    assert call("read-line", p) is EOF_OBJECT


def test_read_string():
    p = call("open-input-string", s("hello world"))
    assert call("read-string", 0, p).s == ""
    assert call("read-string", 5, p).s == "hello"
    assert call("read-string", 100, p).s == " world"
    assert call("read-string", 3, p) is EOF_OBJECT
    assert call("read-string", 0, p).s == ""
    q = ChunkedPort(["ab", "cd", "ef"])
    assert call("read-string", 5, q).s == "abcde"
    assert "non-negative" in raises_condition(call, "read-string", -1, p)


def test_input_buffer_is_compacted():
    n = 200_000
    p = call("open-input-string", s("x" * n + "y"))
    for _ in range(n):
        call("read-char", p)
    assert call("read-char", p) is make_char("y")
    assert p.offset > 0 and len(p.buf) < n


def test_string_output_port():
    p = call("open-output-string")
    call("write-char", make_char("λ"), p)
    call("write-string", s("abcdef"), p, 1, 3)
    call("write-string", s("XY"), p)
    call("newline", p)
    call("write", s("q\""), p)
    call("display", s("q\""), p)
    call("write-shared", lst(1), p)
    call("write-simple", lst(2), p)
    assert call("get-output-string", p).s == 'λbcXY\n"q\\""q"(1)(2)'
    assert call("get-output-string", p).s == 'λbcXY\n"q\\""q"(1)(2)'
    assert call("write-string", s("z"), p) is UNSPECIFIED


def test_write_string_range_errors():
    p = call("open-output-string")
    assert "end index" in raises_condition(call, "write-string", s("abc"), p, 0, 4)
    assert "start index" in raises_condition(call, "write-string", s("abc"), p, 2, 1)
    raises_condition(call, "write-string", s("abc"), p, 1.0)
    assert call("get-output-string", p).s == ""


def test_bytevector_ports():
    bv = bytearray([1, 2, 3, 4, 5])
    p = call("open-input-bytevector", bv)
    bv[0] = 99  # the port reads a snapshot
    assert call("u8-ready?", p) is True
    assert call("peek-u8", p) == 1
    assert call("read-u8", p) == 1
    assert call("read-bytevector", 2, p) == bytearray([2, 3])
    target = bytearray(4)
    assert call("read-bytevector!", target, p, 1) == 2
    assert target == bytearray([0, 4, 5, 0])
    assert call("read-u8", p) is EOF_OBJECT
    assert call("peek-u8", p) is EOF_OBJECT
    assert call("read-bytevector", 3, p) is EOF_OBJECT
    assert call("read-bytevector!", target, p) is EOF_OBJECT
    assert call("read-bytevector", 0, p) == bytearray()

    out = call("open-output-bytevector")
    call("write-u8", 7, out)
    call("write-bytevector", bytearray([1, 2, 3, 4]), out, 1, 3)
    result = call("get-output-bytevector", out)
    assert result == bytearray([7, 2, 3]) and type(result) is bytearray
    assert "byte" in raises_condition(call, "write-u8", 256, out)


def test_port_predicates():
    tin = call("open-input-string", s(""))
    tout = call("open-output-string")
    bin_ = call("open-input-bytevector", bytearray())
    bout = call("open-output-bytevector")
    table = {
        "input-port?": (True, False, True, False),
        "output-port?": (False, True, False, True),
        "textual-port?": (True, True, False, False),
        "binary-port?": (False, False, True, True),
        "port?": (True, True, True, True),
    }
    for name, expected in table.items():
        assert tuple(call(name, p) for p in (tin, tout, bin_, bout)) == expected, name
        assert call(name, 5) is False
    assert call("input-port-open?", tin) is True
    assert call("input-port-open?", tout) is False
    assert call("output-port-open?", tout) is True
    raises_condition(call, "input-port-open?", 5)


def test_closing_ports():
    tin = call("open-input-string", s("abc"))
    tout = call("open-output-string")
    call("close-input-port", tin)
    call("close-port", tin)  # closing twice is fine
    call("close-output-port", tout)
    assert call("input-port-open?", tin) is False
    assert call("output-port-open?", tout) is False
    assert "closed" in raises_condition(call, "read-char", tin)
    assert "closed" in raises_condition(call, "write-char", make_char("a"), tout)
    other = call("open-input-string", s(""))
    assert "output port" in raises_condition(call, "close-output-port", other)
    assert "input port" in raises_condition(call, "close-input-port", tout)


def test_wrong_port_kinds():
    bin_ = call("open-input-bytevector", bytearray([1]))
    text = raises_condition(call, "read-char", bin_, kind="type")
    assert text == "read-char: expected a textual input port, got #<bytevector-input-port>"
    tout = call("open-output-string")
    assert "binary output port" in raises_condition(call, "write-u8", 1, tout)
    assert "textual output port" in raises_condition(call, "display", 1, bin_)
    assert "a string" in raises_condition(call, "open-input-string", 5)
    assert "character" in raises_condition(call, "write-char", s("a"), tout)
    assert "string output port" in raises_condition(call, "get-output-string", bin_)


def test_current_ports_default_and_parameterize(capsys):
    call("display", s("to stdout"))
    call("newline")
    call("write", s("w"))
    call("flush-output-port")
    assert capsys.readouterr().out == 'to stdout\n"w"'
    out = call("open-output-string")
    saved = ports.CURRENT_OUTPUT.value
    ports.CURRENT_OUTPUT.value = out   # what parameterize does
    try:
        call("display", 42)
        call("write-char", make_char("!"))
    finally:
        ports.CURRENT_OUTPUT.value = saved
    assert call("get-output-string", out).s == "42!"
    assert capsys.readouterr().out == ""


def test_stderr_port(capsys):
    call("display", s("err"), PRIMITIVES["current-error-port"].value)
    captured = capsys.readouterr()
    assert captured.err == "err" and captured.out == ""


def test_stdout_follows_sys_stdout():
    buf = io.StringIO()
    saved = sys.stdout
    sys.stdout = buf
    try:
        call("display", lst(1, s("two")), ports.STDOUT)
    finally:
        sys.stdout = saved
    assert buf.getvalue() == "(1 two)"
    assert ports.STDOUT.at_line_start is False


def test_stdin_port_reads_a_line_at_a_time(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("first line\nsecond\n"))
    p = ports.StdinPort()
    assert call("read-line", p).s == "first line"
    assert p.buf == "first line\n"  # only one line was taken from stdin
    assert call("read-char", p) is make_char("s")
    assert call("read-line", p).s == "econd"
    assert call("read-line", p) is EOF_OBJECT
    assert call("char-ready?", p) is True  # no real descriptor: never blocks


def test_text_file_round_trip(tmp_path):
    path = str(tmp_path / "out.txt")
    assert call("file-exists?", s(path)) is False
    out = call("open-output-file", s(path))
    call("write-string", s("héllo\n"), out)
    call("write", lst(1, s("x")), out)
    call("close-port", out)
    assert call("file-exists?", s(path)) is True
    with open(path, encoding="utf-8") as f:
        assert f.read() == 'héllo\n(1 "x")'
    inp = call("open-input-file", s(path))
    assert call("textual-port?", inp) and call("input-port?", inp)
    assert call("read-line", inp).s == "héllo"
    assert call("read-char", inp) is make_char("(")
    assert call("read-string", 100, inp).s == '1 "x")'
    assert call("read-char", inp) is EOF_OBJECT
    call("close-input-port", inp)
    call("delete-file", s(path))
    assert call("file-exists?", s(path)) is False


def test_large_file_is_read_in_chunks(tmp_path):
    path = tmp_path / "big.txt"
    lines = [f"line {i} " + "é" * (i % 50) for i in range(20_000)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    p = call("open-input-file", s(str(path)))
    assert len(p.buf) <= ports.CHUNK
    got = []
    while (line := call("read-line", p)) is not EOF_OBJECT:
        got.append(line.s)
    assert got == lines
    call("close-port", p)


def test_binary_file_round_trip(tmp_path):
    path = str(tmp_path / "data.bin")
    out = call("open-binary-output-file", s(path))
    assert call("binary-port?", out) and call("output-port?", out)
    data = bytearray(range(256)) * 600   # more than one chunk
    call("write-bytevector", data, out)
    call("write-u8", 42, out)
    call("close-output-port", out)
    inp = call("open-binary-input-file", s(path))
    assert call("peek-u8", inp) == 0
    assert call("read-bytevector", len(data), inp) == data
    assert call("read-u8", inp) == 42
    assert call("read-u8", inp) is EOF_OBJECT
    call("close-port", inp)


def test_file_errors(tmp_path):
    missing = str(tmp_path / "missing.txt")
    text = raises_condition(call, "open-input-file", s(missing), kind="file")
    assert missing in text and "No such file" in text
    assert text.startswith("open-input-file:")
    raises_condition(call, "open-binary-input-file", s(missing), kind="file")
    raises_condition(call, "delete-file", s(missing), kind="file")
    bad_dir = str(tmp_path / "no" / "such" / "dir.txt")
    raises_condition(call, "open-output-file", s(bad_dir), kind="file")
    raises_condition(call, "open-binary-output-file", s(bad_dir), kind="file")
    raises_condition(call, "open-input-file", s(str(tmp_path)), kind="file")  # a directory


def test_invalid_utf8_is_a_file_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\xff\xfe")
    p = call("open-input-file", s(str(path)))
    raises_condition(call, "read-line", p, kind="file")


def test_eof_object():
    assert call("eof-object") is EOF_OBJECT
    assert call("eof-object?", EOF_OBJECT) is True
    assert call("eof-object?", NIL) is False


def test_read_uses_the_reader():
    reader = pytest.importorskip("sx.reader")
    if not hasattr(reader, "read_from_port"):
        pytest.skip("reader not written yet")
    p = call("open-input-string", s("(1 2) foo"))
    assert write_string(call("read", p)) == "(1 2)"
    assert call("read", p) is sym("foo")
    assert call("read", p) is EOF_OBJECT


# ================================================================= system

def test_command_line(monkeypatch):
    assert [x.s for x in _pylist(call("command-line"))] == ["sx"]
    monkeypatch.setattr(system, "ARGV", ["prog.sx", "a", "b"])
    args = call("command-line")
    assert [x.s for x in _pylist(args)] == ["prog.sx", "a", "b"]
    assert all(type(x) is MString for x in _pylist(args))


def _pylist(x):
    out = []
    while x is not NIL:
        out.append(x.car)
        x = x.cdr
    return out


def test_time():
    assert type(call("current-second")) is float
    a = call("current-jiffy")
    b = call("current-jiffy")
    assert type(a) is int and b >= a
    assert call("jiffies-per-second") == 1_000_000_000


def test_environment_variables(monkeypatch):
    monkeypatch.setenv("SX_TEST_VAR", "value 1")
    monkeypatch.delenv("SX_TEST_UNSET", raising=False)
    assert call("get-environment-variable", s("SX_TEST_VAR")).s == "value 1"
    assert call("get-environment-variable", s("SX_TEST_UNSET")) is False
    pairs = {p.car.s: p.cdr.s for p in _pylist(call("get-environment-variables"))}
    assert pairs["SX_TEST_VAR"] == "value 1"
    raises_condition(call, "get-environment-variable", sym("HOME"))


def test_features():
    names = {x.name for x in _pylist(call("features"))}
    assert {"r7rs", "exact-closed", "ratios", "full-unicode", "sx"} <= names
    assert ("posix" in names) == (os.name == "posix")


@pytest.mark.parametrize("args, code", [((), 0), ((True,), 0), ((False,), 1), ((3,), 3)])
def test_emergency_exit(args, code):
    with pytest.raises(SxExit) as info:
        call("emergency-exit", *args)
    assert info.value.code == code and info.value.emergency is True


def test_printer_module_exports():
    for name in printer.__all__:
        assert callable(getattr(printer, name))
