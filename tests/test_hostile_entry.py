"""Issue 17, the entry points: every defect found there, as a test. Each
runs `python -m sx` as a user would (PYTHONPATH=src), under every tier
where a program runs.

- file errors are SX file errors naming the path (run, open-input-file,
  read-line, disasm, bisect, the embedding API; load and include once the
  machine and the expander read through runtime.textio);
- no Python exception leaves a command: an internal error is one line
  saying it is a bug in SX (--debug: the traceback), the host out of
  memory or stack is one line, Ctrl-C is "interrupted" and status 130;
- exit statuses outside 0..255 are 1, in run, eval and the REPL alike;
- the REPL returns to its prompt on Ctrl-C, refuses a perform as eval
  does, rejects lines that are not UTF-8, starts a value on a fresh line;
- SOM: Ctrl-C, Smalltalk-named arithmetic errors, bad input in its REPL.
"""

from __future__ import annotations

import glob
import os
import resource
import signal
import subprocess
import sys
import time

import pytest

from sx.api import TIERS, Runtime
from sx.errors import SchemeError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
BUG = "sx: internal error (a bug in SX, please report it): "


def environment(extra=None) -> dict:
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    env.update(extra or {})
    return env


def sx(*args, stdin=None, tier=None, text=True, env=None, limit_memory=None, cwd=ROOT,
       timeout=120):
    """`python -m sx [--tier T] ARGS...` run to its end."""
    tiered = ("--tier", tier) if tier else ()

    def limits():
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))
    return subprocess.run([sys.executable, "-m", "sx", *tiered, *args], input=stdin,
                          capture_output=True, text=text, env=environment(env), cwd=cwd,
                          timeout=timeout, preexec_fn=limits)


def no_traceback(r) -> None:
    out = r.stdout + r.stderr
    text = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
    assert "Traceback" not in text, text[-3000:]
    assert "internal error" not in text, text[-3000:]


# ------------------------------------------------------------- file errors

BAD = b'(display "ok")\n(display "a\xffb")\n'    # byte 27: line 2, column 12


@pytest.fixture
def files(tmp_path):
    (tmp_path / "bad.sx").write_bytes(BAD)
    (tmp_path / "dir.sx").mkdir()
    (tmp_path / "bad.txt").write_bytes(b"ok\xfe\n")
    return tmp_path


@pytest.mark.parametrize("tier", TIERS)
def test_run_a_source_that_is_not_utf8(files, tier):
    bad = files / "bad.sx"
    r = sx("run", str(bad), tier=tier)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.splitlines() == [f"{bad}:2:12: error: run: {bad}: not valid UTF-8 at byte 27"]


@pytest.mark.parametrize("tier", TIERS)
def test_run_a_directory(files, tier):
    r = sx("run", str(files / "dir.sx"), tier=tier)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [f"error: run: {files / 'dir.sx'}: Is a directory"]


def test_a_byte_order_mark_starts_a_source_harmlessly(tmp_path):
    prog = tmp_path / "bom.sx"
    prog.write_bytes(b"\xef\xbb\xbf(display 42)\n")
    r = sx("run", str(prog))
    assert (r.returncode, r.stdout) == (0, "42")


SHOW_FILE_ERROR = """(define (show thunk)
  (guard (e ((file-error? e) (display (error-object-message e)) (newline)))
    (thunk)))
"""


@pytest.mark.parametrize("tier", TIERS)
def test_port_errors_are_file_errors_naming_the_path(files, tier):
    prog = files / "ports.sx"
    prog.write_text(SHOW_FILE_ERROR +
                    '(show (lambda () (open-input-file "dir.sx")))\n'
                    '(show (lambda () (read-line (open-input-file "bad.txt"))))\n'
                    '(show (lambda () (open-input-file "missing.txt")))\n')
    r = sx("run", "ports.sx", tier=tier, cwd=files)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "open-input-file: dir.sx: Is a directory",
        "read: bad.txt: not valid UTF-8 at byte 3",
        "open-input-file: missing.txt: No such file or directory"]


def test_a_file_read_in_chunks_names_the_byte_in_the_file(tmp_path):
    """The bad byte is found past the first chunk, and a sequence cut by a
    chunk's end is not mistaken for a bad one."""
    from sx.runtime.ports import CHUNK
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (CHUNK - 1) + "\u00e9".encode() + b"b" * 10 + b"\xff")
    prog = tmp_path / "big.sx"
    prog.write_text(SHOW_FILE_ERROR + f'(show (lambda () (read-string {CHUNK + 20} '
                                      f'(open-input-file "{path}"))))\n')
    r = sx("run", str(prog))
    assert r.stdout == f"read: {path}: not valid UTF-8 at byte {CHUNK + 12}\n", r.stderr


@pytest.mark.parametrize("tier", TIERS)
def test_load_and_include_give_file_errors(files, tier):
    prog = files / "load.sx"
    prog.write_text(SHOW_FILE_ERROR +
                    '(show (lambda () (load "bad.sx")))\n'
                    '(show (lambda () (load "dir.sx")))\n'
                    '(show (lambda () (eval \'(include "bad.sx") (interaction-environment))))\n')
    r = sx("run", "load.sx", tier=tier, cwd=files)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["load: bad.sx: not valid UTF-8 at byte 27",
                                     "load: dir.sx: Is a directory",
                                     "include: bad.sx: not valid UTF-8 at byte 27"]


def test_disasm_and_bisect_report_file_errors(files):
    for command in ("disasm", "bisect"):
        r = sx(command, str(files / "dir.sx"))
        assert r.returncode == 1
        assert r.stderr.splitlines() == [f"error: {command}: {files / 'dir.sx'}: Is a directory"]
        no_traceback(r)
    r = sx("disasm", str(files / "bad.sx"))
    assert r.returncode == 1 and "not valid UTF-8 at byte 27" in r.stderr


@pytest.mark.parametrize("tier", TIERS)
def test_the_embedding_api_raises_sx_file_errors(files, tier):
    rt = Runtime(tier)
    for name, reason in (("bad.sx", "not valid UTF-8 at byte 27"), ("dir.sx", "Is a directory"),
                         ("missing.sx", "No such file or directory")):
        path = str(files / name)
        with pytest.raises(SchemeError) as info:
            rt.run_file(path)
        assert info.value.payload.kind == "file"
        assert info.value.payload.message == f"run: {path}: {reason}"


# --------------------------------------------------------- not UTF-8 elsewhere

def test_eval_text_that_is_not_utf8_is_an_error():
    r = sx("eval", os.fsdecode(b'"a\xffb"'))
    assert r.returncode == 1
    assert r.stderr.splitlines() == ["<eval>:1:3: error: <eval>: not valid UTF-8 at byte 3"]


@pytest.mark.parametrize("tier", TIERS)
def test_stdin_that_is_not_utf8_is_a_file_error(tmp_path, tier):
    prog = tmp_path / "stdin.sx"
    prog.write_text(SHOW_FILE_ERROR + "(show read-line)\n(write (read-line))\n")
    r = sx("run", str(prog), tier=tier, stdin=b"a\xffb\nafter\n", text=False)
    assert r.stdout == b'read: <stdin>: not valid UTF-8 at byte 2\n"after"', r.stderr


def test_arguments_that_are_not_utf8_become_replacement_characters(tmp_path):
    prog = tmp_path / "args.sx"
    prog.write_text("(write (cadr (command-line)))")
    r = sx("run", str(prog), os.fsdecode(b"a\xffb"))
    assert r.stdout == '"a\ufffdb"'


# ------------------------------------------------------------- exit statuses

EXITS = [("(exit 256)", 1), ("(exit -1)", 1), ("(exit 255)", 255), ("(exit 0)", 0),
         ("(exit 7)", 7), ("(exit #f)", 1), ("(exit 'x)", 1), ("(exit)", 0),
         ("(emergency-exit 1000)", 1)]


@pytest.mark.parametrize("how", ["run", "eval", "repl"])
@pytest.mark.parametrize("form,status", EXITS)
def test_exit_statuses_agree_in_run_eval_and_the_repl(tmp_path, how, form, status):
    if how == "run":
        prog = tmp_path / "exit.sx"
        prog.write_text(form)
        r = sx("run", str(prog))
    elif how == "eval":
        r = sx("eval", form)
    else:
        r = sx("repl", stdin=form + "\n(display 'not-reached)\n")
    assert r.returncode == status and r.stdout == "", r.stderr


# ------------------------------------------------- nothing Python gets out

COMMANDS = [("run", "{prog}"), ("eval", "1"), ("repl",), ("som", "{som}"), ("disasm", "{prog}"),
            ("bisect", "{prog}"), ("bench", "--list")]

# Makes everything a command depends on fail with `exc` (a Runtime cannot
# be made, sx bench cannot parse its arguments), then runs sx.
INJECT = """
import sys
import sx.api, sx.bench.cli, sx.cli
def fail(*args, **kwargs):
    raise {exc}("injected failure")
sx.api.Runtime.__init__ = fail
sx.bench.cli.parse = fail
sys.exit(sx.cli.main(sys.argv[1:]))
"""


def inject(exc: str, argv, stdin=""):
    return subprocess.run([sys.executable, "-c", INJECT.format(exc=exc), *argv], input=stdin,
                          capture_output=True, text=True, env=environment(), cwd=ROOT, timeout=120)


@pytest.fixture
def programs(tmp_path):
    prog = tmp_path / "p.sx"
    prog.write_text("(define (f x) x) (display (f 1))\n")
    som = tmp_path / "P.som"
    som.write_text("P = ( run = ( 'hi' println ) )\n")
    return {"prog": str(prog), "som": str(som)}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_internal_error_is_one_line_saying_it_is_a_bug(programs, command):
    argv = [a.format(**programs) for a in command]
    r = inject("TypeError", argv)
    assert r.returncode == 1
    assert r.stderr.splitlines() == [BUG + "TypeError: injected failure; "
                                           "rerun with --debug for the traceback"]
    r = inject("TypeError", ["--debug", *argv])
    assert r.returncode == 1
    assert "Traceback" in r.stderr
    assert r.stderr.splitlines()[-1] == BUG + "TypeError: injected failure"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("exc,status,line", [
    ("MemoryError", 1, "error: out of memory"),
    ("RecursionError", 1, "error: nesting too deep for the host (Python recursion limit)"),
    ("KeyboardInterrupt", 130, "interrupted"),
])
def test_the_host_giving_out_is_one_clear_line(programs, command, exc, status, line):
    r = inject(exc, [a.format(**programs) for a in command])
    assert r.returncode == status
    assert r.stderr.strip().splitlines() == [line]


@pytest.mark.parametrize("tier", TIERS)
def test_memory_running_out_is_reported_not_raised(tier):
    r = sx("eval", "(string-length (make-string 3000000000 #\\a))", tier=tier,
           limit_memory=1500 * 2**20)
    assert r.returncode == 1
    assert "out of memory" in r.stderr
    no_traceback(r)


def test_closed_standard_streams_are_file_errors(tmp_path):
    prog = tmp_path / "out.sx"
    prog.write_text('(guard (e ((file-error? e) (display (error-object-message e) '
                    '(current-error-port))))\n  (display "x"))\n'
                    '(display "|z" (current-error-port))')
    r = subprocess.run(f"{sys.executable} -m sx run {prog} >&-", shell=True, capture_output=True,
                       text=True, env=environment(), cwd=ROOT, timeout=120)
    assert r.returncode == 0
    assert r.stderr == "write: <stdout>: not open|z"
    r = subprocess.run(f"{sys.executable} -m sx eval '(display 1)' >&-", shell=True,
                       capture_output=True, text=True, env=environment(), cwd=ROOT, timeout=120)
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == "<eval>:1:1: error: write: <stdout>: not open"


# ------------------------------------------------------------------ Ctrl-C

def start(argv, cwd=ROOT):
    """A subprocess that takes SIGINT as a terminal's Ctrl-C would send it
    (a background job of a shell would ignore it)."""
    return subprocess.Popen([sys.executable, "-m", "sx", *argv], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment(),
                            cwd=cwd, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def finish(p):
    """Close its stdin, wait for its end: (stdout, stderr)."""
    if not p.stdin.closed:
        p.stdin.close()
    out, err = p.stdout.read(), p.stderr.read()
    p.wait(timeout=60)
    return out, err


def interrupt_after(p, marker: bytes, wait: float = 0.3) -> bytes:
    """Read stdout up to `marker`, then send SIGINT: the process is in its loop."""
    seen = b""
    while marker not in seen:
        chunk = p.stdout.read1(4096) if hasattr(p.stdout, "read1") else p.stdout.read(1)
        assert chunk, (seen, p.stderr.read())
        seen += chunk
    time.sleep(wait)
    p.send_signal(signal.SIGINT)
    return seen


LOOP = '(display "started") (newline) (flush-output-port) (let loop ((i 0)) (loop (+ i 1)))\n'


@pytest.mark.parametrize("tier", TIERS)
def test_ctrl_c_ends_a_run_with_130(tmp_path, tier):
    prog = tmp_path / "loop.sx"
    prog.write_text(LOOP)
    p = start(["--tier", tier, "run", str(prog)])
    interrupt_after(p, b"started")
    out, err = finish(p)
    assert p.returncode == 130
    assert err.decode().strip() == "interrupted"


@pytest.mark.parametrize("tier", TIERS)
def test_ctrl_c_returns_the_repl_to_its_prompt(tier):
    p = start(["--tier", tier, "repl"])
    p.stdin.write(LOOP.encode())
    p.stdin.flush()
    interrupt_after(p, b"started")                        # while evaluating
    time.sleep(0.5)
    p.stdin.write(b'(display "one")\n(newline)\n')
    p.stdin.flush()
    interrupt_after(p, b"one")                            # while reading
    time.sleep(0.5)
    p.stdin.write(b'(display "two")\n')
    p.stdin.close()
    out, err = finish(p)
    assert p.returncode == 0, err
    assert out.endswith(b"two")
    assert err.decode().split() == ["interrupted", "interrupted"]


@pytest.mark.parametrize("tier", TIERS)
def test_ctrl_c_ends_a_som_program_with_130(tmp_path, tier):
    prog = tmp_path / "Loop.som"
    prog.write_text("Loop = ( run = ( 'started' println. [ true ] whileTrue: [ nil ] ) )\n")
    p = start(["--tier", tier, "som", str(prog)])
    interrupt_after(p, b"started")
    out, err = finish(p)
    assert p.returncode == 130
    assert err.decode().strip() == "interrupted"


def test_ctrl_c_returns_the_som_repl_to_its_prompt():
    p = start(["som"])
    p.stdin.write(b"'started' println. [ true ] whileTrue: [ nil ]\n")
    p.stdin.flush()
    interrupt_after(p, b"started")
    time.sleep(0.5)
    p.stdin.write(b"3 + 4\n")
    p.stdin.close()
    out, err = finish(p)
    assert p.returncode == 0, err
    assert out.decode().splitlines()[-1] == "7"
    assert err.decode().strip() == "interrupted"


# -------------------------------------------------------------------- SOM

@pytest.mark.parametrize("tier", TIERS)
def test_som_arithmetic_errors_name_the_smalltalk_operation(tier):
    r = sx("som", tier=tier, stdin="1 / 0\n1 % 0\n1 rem: 0\n(1.0 / 0) asInteger\n"
                                   "1 + nil\n-1 sqrt\n")
    assert r.returncode == 0
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: SOM: Integer>>/: division by zero",
                      "error: SOM: Integer>>%: division by zero",
                      "error: SOM: Integer>>rem: division by zero",
                      "error: SOM: Double>>asInteger: no Integer for Infinity",
                      "error: SOM: Integer>>+: expected a number, got nil"]
    assert r.stdout == "NaN\n"


def test_the_som_repl_survives_bad_input():
    r = sx("som", stdin=b"3 + \xff\n)\n'a\xc3' , 'b'\n[ :x | \n3 + 4\n", text=False)
    assert r.returncode == 0
    assert r.stdout == b"7\n"
    assert r.stderr.count(b"not valid UTF-8") == 2
    no_traceback(r)


def test_a_som_file_that_cannot_be_read_is_a_som_error(tmp_path):
    (tmp_path / "Bad.som").write_bytes(b"Bad = ( run = ( 'a\xffb' println ) )\n")
    (tmp_path / "Dir.som").mkdir()
    r = sx("som", "Bad.som", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == "error: read: ./Bad.som: not valid UTF-8 at byte 19"
    r = sx("som", "Dir.som", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == "error: open-input-file: ./Dir.som: Is a directory"


def _machine_has_a_depth_limit() -> bool:
    return any("SX_MAX_DEPTH" in open(f, encoding="utf-8").read()
               for f in glob.glob(os.path.join(SRC, "sx", "machine", "*.py")))


@pytest.mark.skipif(not _machine_has_a_depth_limit(),
                    reason="the machine has no recursion-depth limit yet (SX_MAX_DEPTH)")
@pytest.mark.parametrize("tier", TIERS)
def test_runaway_som_recursion_is_a_som_error(tmp_path, tier):
    prog = tmp_path / "Rec.som"
    prog.write_text("Rec = (\n  f: n = ( ^1 + (self f: n) )\n  run = ( self f: 0 )\n)\n")
    r = sx("som", str(prog), tier=tier, env={"SX_MAX_DEPTH": "10000"})
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert lines[0].startswith("error: ") and "recursion too deep" in lines[0]
    assert "in Rec>>f:" in r.stderr and len(lines) < 20
    no_traceback(r)


# -------------------------------------------------------------------- REPL

def test_the_repl_refuses_a_perform_as_eval_does():
    repl = sx("repl", stdin="(perform 'x)\n(display 'after)\n")
    eval_ = sx("eval", "(perform 'x)")
    assert repl.returncode == 0 and repl.stdout == "after"
    assert repl.stderr.split(": ", 1)[1] == eval_.stderr.split(": ", 1)[1]
    assert "perform: no host to handle the request x" in repl.stderr


def test_repl_lines_that_are_not_utf8_are_errors_not_strings():
    r = sx("repl", stdin=b'(display "a\xffb")\n(+ 1\n"\xc3" 2)\n(string-length "ab")\n',
           text=False)
    assert r.returncode == 0
    assert r.stdout == b"2\n"
    lines = r.stderr.decode().splitlines()
    assert lines == ["<stdin>:1:12: error: <stdin>: not valid UTF-8 at byte 12",
                     "<stdin>:3:2: error: <stdin>: not valid UTF-8 at byte 23"]


def test_a_value_starts_on_a_fresh_line():
    r = sx("repl", stdin='(display "ok")\n20\n(display "a")\n(values)\n(values 1 2)\n')
    assert r.stdout == "ok\n20\na\n1\n2\n"


def test_the_repl_survives_every_kind_of_bad_input():
    session = "\n".join(["(car 1)", "#q", ")", "((( 1 2 ))) )))", "", "", '"open', '"', "#|", "|#",
                         "(exit 1 2)", "(exit (car 1))", "(emergency-exit 'a 'b)",
                         "(+ 1\u00a02)", "(perform 'x)", "(raise 'oops)", "(exit"]) + "\n"
    r = sx("repl", stdin=session + ")\n(display 'END)\n")
    # `(exit` + `)` is an exit with no argument: status 0, END never shown
    assert r.returncode == 0 and "END" not in r.stdout
    r = sx("repl", stdin=session + "7)\n")
    assert r.returncode == 7
    assert "Traceback" not in r.stderr


def test_end_of_input_ends_the_repl_with_0():
    for stdin in ("", "\n", "(display 1)", "(+ 1"):
        r = sx("repl", stdin=stdin)
        assert r.returncode == 0
        no_traceback(r)


def test_ctrl_c_and_ctrl_d_at_a_terminal(tmp_path):
    """On a terminal (a pty: the REPL uses prompt_toolkit), Ctrl-C while a
    line is typed or an entry runs returns to the prompt, a value after
    output without newline starts a line, and Ctrl-D ends with status 0."""
    import pty
    import select

    shown = []

    def read_until(fd, marker: bytes, limit: float = 30) -> bytes:
        seen, end = b"", time.monotonic() + limit
        while marker not in seen and time.monotonic() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
        shown.append(seen)
        assert marker in seen, seen
        return seen

    def then_prompt(fd, marker: bytes) -> bytes:
        """Read past marker and on to the next prompt: what is typed before
        the REPL reads again meets the terminal in cooked mode (a Ctrl-D
        there is an end of file nobody reads, and the REPL waited for ever;
        a line there could be lost)."""
        seen = read_until(fd, marker)
        if b"sx>" not in seen[seen.index(marker):]:
            seen += read_until(fd, b"sx>")
        return seen

    pid, fd = pty.fork()
    if pid == 0:     # the child: the REPL on the pty
        os.environ.update(environment({"HOME": str(tmp_path)}))
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "sx", "repl"])
    try:
        read_until(fd, b"sx>")
        os.write(fd, b"(+ 1")
        time.sleep(0.3)
        os.write(fd, b"\x03")                                  # Ctrl-C while typing
        then_prompt(fd, b"interrupted")
        os.write(fd, b'(begin (display "a") (display "b") 42)\r')
        assert b"ab\r\n42" in then_prompt(fd, b"42\r\n")
        os.write(fd, b'(begin (display "go") (newline) (let loop () (loop)))\r')
        read_until(fd, b"go\r\n")     # running: the terminal sends Ctrl-C as SIGINT
        time.sleep(0.3)
        os.write(fd, b"\x03")                                  # Ctrl-C while running
        then_prompt(fd, b"interrupted")
        os.write(fd, b"(* 6 7)\r")
        then_prompt(fd, b"42")
        os.write(fd, b"\x04")                                  # Ctrl-D
        end = time.monotonic() + 30
        while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < end:
            time.sleep(0.1)
        assert done[0] == pid, "the REPL did not end on Ctrl-D"
        assert os.waitstatus_to_exitcode(done[1]) == 0
        assert b"Traceback" not in b"".join(shown)
    finally:
        os.close(fd)
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


# ------------------------------------------------ the guard itself (in process)

def test_the_guard_survives_a_failing_report(capsys):
    from sx.errors import ErrorObject
    from sx.report import run_command

    class Unprintable(Exception):
        def __str__(self):
            raise ValueError("no text")

    def broken_report(err, debug):
        raise RuntimeError("the report failed")

    def raising(exc):
        def fn():
            raise exc
        return fn

    assert run_command(raising(Unprintable()), False) == 1
    assert capsys.readouterr().err == BUG + "Unprintable; rerun with --debug for the traceback\n"
    assert run_command(raising(TypeError("t")), False, broken_report) == 1
    assert capsys.readouterr().err.startswith(BUG + "TypeError: t;")
    # an SX error whose report fails: the failure is the bug to report
    assert run_command(raising(SchemeError(ErrorObject("m", []))), False, broken_report) == 1
    assert capsys.readouterr().err.startswith(BUG + "RuntimeError: the report failed;")
    assert run_command(raising(MemoryError()), False, broken_report) == 1
    assert capsys.readouterr().err == "error: out of memory\n"
    assert run_command(lambda: 7, False) == 7


def nested_definition(name: str, depth: int) -> str:
    return f"(define ({name} x) " + "(+ 1 " * depth + "x" + ")" * depth + ")\n"


def test_disassembling_code_too_nested_to_compile_says_so(tmp_path):
    """Code nested past the bytecode compiler's bound runs in the CEK and
    code past tier 2's bound stays in the VM; the listings say so instead of
    failing (they once leaked TooNested and HostLimit as internal errors)."""
    prog = tmp_path / "deep.sx"
    prog.write_text(nested_definition("f", 1200) + nested_definition("g", 300)
                    + "(define (h) 1)\n")
    r = sx("disasm", str(prog))
    no_traceback(r)
    assert r.returncode == 0
    assert "f@deep.sx:1:1: not compiled, nested more than 1000 deep (it runs in the CEK)" \
        in r.stdout
    assert "code h@deep.sx:3:1" in r.stdout
    r = sx("disasm", "--py", str(prog))
    no_traceback(r)
    assert r.returncode == 0
    assert "# g@deep.sx:2:1: not compiled to Python (nested 299 deep" in r.stdout
    assert "# h@deep.sx:3:1: tier 2 (generated Python)" in r.stdout
    r = sx("eval", nested_definition("f", 1200), "(disassemble f)")
    no_traceback(r)
    assert "not compiled, nested more than 1000 deep" in r.stdout
