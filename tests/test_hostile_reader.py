"""Issue 17, the reader's part, as a user meets it through `sx`: each command
of the issue gives one located SX error (or works), quickly, with no Python
traceback, and the REPL survives it. (The same defects under every tier:
tests/conformance/hostile/; at the reader's level: tests/unit/.)"""

import os
import subprocess
import sys

import pytest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def sx(*args, stdin=None, timeout=60):
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    return subprocess.run([sys.executable, "-m", "sx", *args], input=stdin,
                          capture_output=True, env=env, timeout=timeout)


def lines(b: bytes) -> list:
    return b.decode("utf-8", "backslashreplace").splitlines()


@pytest.mark.parametrize("text, out, err", [
    ("(display (+ 1\u00a02))", "3", None),
    ("(display (guard (e (#t 1)) (read (open-input-string (string #\\x1c)))))", "1", None),
    ("(car a\x1cb)", "", "<eval>:1:7: error: invalid character U+001C in source"),
    ("#\\xFFFFFFFFFFFF", "", "<eval>:1:1: error: no such character: #\\xFFFFFFFFFFFF"),
    ("#e1e99999999", "",
     '<eval>:1:1: error: exact number too large (exponent beyond 100000): "#e1e99999999"'),
    ('(string->number "#e1e-99999999")', "",
     "<eval>:1:1: error: string->number: exact number too large (exponent beyond 100000): "
     '"#e1e-99999999"'),
    ("(display 1e99999999)", "+inf.0", None),
    ("(display (string-length (number->string (expt 10 1000000))))", "1000001", None),
    ('(read (open-input-string "\\"\\\\"))', "", "<string>:1:1: error: unterminated string"),
    ("'#²", "", "<eval>:1:2: error: bad # syntax: #²"),
])
def test_eval(text, out, err):
    r = sx("eval", text)
    assert r.stdout.decode() == out
    if err is None:
        assert r.returncode == 0, r.stderr
    else:
        assert r.returncode == 1
        assert lines(r.stderr)[0] == err
    assert b"Traceback" not in r.stderr and b"internal error" not in r.stderr


def test_nul_in_a_source_file_is_a_located_error(tmp_path):
    prog = tmp_path / "nul.sx"
    prog.write_bytes(b'(display "start")\n(define ab\x00c 1)\n')
    r = sx("run", str(prog))
    assert r.returncode == 1 and r.stdout == b""
    assert lines(r.stderr)[0] == f"{prog}:2:11: error: invalid character U+0000 in source"


def test_unicode_spaces_in_a_source_file(tmp_path):
    prog = tmp_path / "spaces.sx"
    prog.write_text("(define\u2003(f\u3000x)\n\u00a0\u00a0(*\u2009x\u202fx))\u2028"
                    "(display\u00a0(f\u00857))\n", encoding="utf-8")
    r = sx("run", str(prog))
    assert (r.returncode, r.stdout, r.stderr) == (0, b"49", b"")


def test_repl_survives_hostile_lines():
    session = ('(display\u00a0"hi")\n#\\xFFFFFFFFFFFF\n#e1e99999999\n(car a\x1fb)\n'
               '(+ 1\u00a02)\n(display "end")\n').encode()
    r = sx("repl", stdin=session)
    assert r.returncode == 0
    out = r.stdout.decode()
    assert "hi" in out and "3" in out and out.endswith("end")
    err = lines(r.stderr)
    assert err == [
        "<repl-2>:1:1: error: no such character: #\\xFFFFFFFFFFFF",
        '<repl-3>:1:1: error: exact number too large (exponent beyond 100000): "#e1e99999999"',
        "<repl-4>:1:7: error: invalid character U+001F in source",
    ]


def test_deeply_nested_data_file(tmp_path):
    """Data nested 10^5 deep is read with a location for its errors,
    whatever the host's recursion limit."""
    prog = tmp_path / "deep.sx"
    prog.write_text("(display 1)\n'" + "(" * 100000 + "]\n")
    r = sx("run", str(prog))
    assert r.returncode == 1
    assert lines(r.stderr)[0] == f"{prog}:2:100002: error: mismatched bracket: expected ')'"
