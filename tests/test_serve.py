"""`sx serve`: the line protocol on stdin/stdout and over TCP, talked to as
a client would, in a subprocess. Every read has a time limit (a reader
thread feeds a queue), so a server that stops answering fails the test
instead of hanging it."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading

import pytest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("SX_")}
ENV["PYTHONPATH"] = SRC
WAIT = 20          # seconds: the longest any answer may take on a busy machine
TIMEOUT = "0.5"    # the --timeout of the tests that run into it


def lines_of(stream) -> queue.Queue:
    """The lines of a binary stream, decoded, put on a queue by a thread
    (None at the end)."""
    q = queue.Queue()

    def pump():
        for line in stream:
            q.put(line.decode("utf-8").rstrip("\n"))
        q.put(None)
    threading.Thread(target=pump, daemon=True).start()
    return q


def next_line(q: queue.Queue):
    try:
        return q.get(timeout=WAIT)
    except queue.Empty:
        pytest.fail(f"no line from the server in {WAIT} s")


class Server:
    """`sx serve --stdio` in a subprocess."""

    def __init__(self, *options, tier="auto") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sx", "--tier", tier, "serve", "--stdio", *options],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
        self.out = lines_of(self.proc.stdout)
        self.err = lines_of(self.proc.stderr)

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def ask(self, request) -> list:
        """The lines that answer one request line: its out lines, then the reply."""
        self.send(request if isinstance(request, bytes) else request.encode() + b"\n")
        got = []
        while True:
            line = next_line(self.out)
            assert line is not None, f"the server ended; it answered {got}"
            got.append(line)
            if not line.startswith("(out "):
                return got

    def reply(self, request) -> str:
        (line,) = self.ask(request)
        return line

    def end(self) -> int:
        """Close its input; its exit status."""
        self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            pytest.fail("the server did not end")

    def stderr(self) -> str:
        lines = []
        while (line := next_line(self.err)) is not None:
            lines.append(line)
        return "\n".join(lines)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=WAIT)


@pytest.fixture
def serve():
    started = []

    def start(*options, tier="auto"):
        started.append(Server(*options, tier=tier))
        return started[-1]
    yield start
    for server in started:
        server.kill()


def test_state_persists_and_values_are_written(serve):
    s = serve()
    assert s.reply('(1 (define x 42))') == "(ok 1)"
    assert s.reply('(2 (define (add y) (+ x y)))') == "(ok 2)"
    assert s.reply('(3 (add 8))') == "(ok 3 50)"
    assert s.reply('(a (list "s" #\\c 1.5 (quote sym)))') == '(ok a ("s" #\\c 1.5 sym))'
    assert s.reply('("id" (values 1 2))') == '(ok "id" 1 2)'
    assert s.reply('(4 (values))') == "(ok 4)"
    assert s.reply('(5 (if #f #f))') == "(ok 5)"
    assert s.reply('(6 (string #\\a #\\newline #\\b))') == '(ok 6 "a\\nb")'
    assert s.end() == 0
    assert s.stderr() == ""


def test_output_comes_first_as_out_lines(serve):
    s = serve()
    assert s.ask('(1 (begin (display "one") (newline) (write "two") 3))') == [
        '(out 1 "one\\n")', '(out 1 "\\"two\\"")', "(ok 1 3)"]
    assert s.ask('(2 (begin (display "a\\nb\\nc") (flush-output-port) (display "d") 4))') == [
        '(out 2 "a\\nb\\n")', '(out 2 "c")', '(out 2 "d")', "(ok 2 4)"]
    # the current input port is empty: the requests come on stdin
    assert s.reply('(3 (read-line))') == "(ok 3 #<eof>)"
    assert s.reply('(4 (+ 1 1))') == "(ok 4 2)"


def test_errors_are_reported_as_sx_reports_them(serve):
    s = serve()
    s.reply('(1 (define (f x) (+ 1 (car x))))')
    s.reply('(2 (define (g x) (+ 1 (f x))))')
    assert s.ask('(3 (begin (display "before") (g 5)))') == [
        '(out 3 "before")',
        '(error 3 "<request-1>:1:23: error: car: expected a pair, got 5" '
        '("called from <request-1>:1:18 in f" "called from <request-2>:1:18 in g"))']
    assert s.reply("(4 (perform 'ask))") == \
        '(error 4 "<request-4>:1:4: error: perform: no host to handle the request ask" ())'
    assert s.reply('(5 (raise (quote oops)))') == \
        '(error 5 "<request-5>:1:4: error: uncaught exception: oops" ())'
    assert s.reply('(6 (+ 1 (f (list 9))))') == "(ok 6 11)"


def test_an_abandoned_request_leaves_its_dynamic_extent(serve):
    s = serve()
    s.reply('(1 (define p (make-parameter 1)))')
    assert s.ask('(2 (parameterize ((p 2)) (dynamic-wind (lambda () #f) (lambda () (car 1)) '
                 '(lambda () (display (p))))))') == [
        '(out 2 "2")', '(error 2 "<request-2>:1:66: error: car: expected a pair, got 1" ())']
    assert s.reply('(3 (p))') == "(ok 3 1)"


def test_load(serve, tmp_path):
    good = tmp_path / "good.sx"
    good.write_text('(define (twice x) (* 2 x))\n(display "loaded")\n(twice 21)\n')
    bad = tmp_path / "bad.sx"
    bad.write_text("(define y 1)\n(car y)\n")
    s = serve()
    assert s.ask(f'(1 :load "{good}")') == ['(out 1 "loaded")', "(ok 1 42)"]
    assert s.reply("(2 (twice 5))") == "(ok 2 10)"
    assert s.reply(f'(3 :load "{bad}")') == \
        f'(error 3 "{bad}:2:1: error: car: expected a pair, got 1" ())'
    assert s.reply("(4 y)") == "(ok 4 1)"
    missing = tmp_path / "missing.sx"
    assert s.reply(f'(5 :load "{missing}")') == \
        f'(error 5 "error: load: {missing}: No such file or directory" ())'


def test_reset_and_stats(serve):
    s = serve(tier="py")
    s.reply("(1 (define (sq x) (* x x)))")
    assert s.reply("(2 (sq 7))") == "(ok 2 49)"
    stats = s.reply("(3 :stats)")
    assert stats.startswith('(ok 3 "jit: tier py, ') and "py  " in stats and "sq@<request-1>" \
        in stats
    assert s.reply("(4 :reset)") == "(ok 4)"
    assert s.reply("(5 (sq 7))") == '(error 5 "<request-5>:1:4: error: unbound variable: sq" ())'
    # (the statistics are the process's: compiled code is shared by every environment)
    assert s.reply("(6 :stats)").startswith('(ok 6 "jit: tier py, threshold 0, ')
    assert s.reply("(7 (+ 1 2))") == "(ok 7 3)"


@pytest.mark.parametrize("tier", ["cek", "vm", "py", "auto"])
def test_a_timeout_interrupts_even_generated_loops_and_the_session_goes_on(serve, tier):
    s = serve("--timeout", TIMEOUT, tier=tier)
    s.reply("(1 (define x 42))")
    s.reply("(2 (define (count n) (let loop ((i 0)) (if (< i n) (loop (+ i 1)) i))))")
    s.reply("(3 (define p (make-parameter 1)))")
    s.reply("(4 (define (spin-forever) (let spin ((i 0)) (spin (+ i 1)))))")
    timeout = f'"timeout: the request ran longer than {TIMEOUT} s" ()'
    assert s.reply("(5 (spin-forever))") == f"(error 5 {timeout})"
    if tier in ("py", "auto"):
        # The loop was running as tier 2's generated Python when it was
        # stopped: inlined into spin-forever (py), or promoted while it ran (auto).
        rows = s.reply("(5 :stats)").split("\\n")
        assert "py" in [r.split()[1] for r in rows if "spin" in r and "@<request-4>" in r]
    assert s.reply("(6 (+ x 1))") == "(ok 6 43)"
    assert s.reply("(7 (count 1000))") == "(ok 7 1000)"
    assert s.ask("(8 (parameterize ((p 2)) (dynamic-wind (lambda () #f) "
                 "(lambda () (let spin () (spin))) (lambda () (display (p))))))") == [
        '(out 8 "2")', f"(error 8 {timeout})"]
    assert s.reply("(9 (list (p) x (count 10)))") == "(ok 9 (1 42 10))"
    assert s.end() == 0


MALFORMED = [
    (b"", '(error #f "<request-1>:1:1: error: empty request: a request is (ID FORM), (ID :load '
          '\\"FILE\\"), (ID :reset) or (ID :stats)" ())'),
    (b"   ; a comment", '(error #f "<request-2>:1:1: error: empty request: a request is (ID '
                        'FORM), (ID :load \\"FILE\\"), (ID :reset) or (ID :stats)" ())'),
    (b"(1 #<foo>)", '(error #f "<request-3>:1:4: error: bad # syntax: #<foo>" ())'),
    (b'(2 "abc', '(error #f "<request-4>:1:4: error: unterminated string" ())'),
    (b"(3 (+ 1 2)", "(error #f \"<request-5>:1:1: error: unterminated list (missing ')')\" ())"),
    (b"42", '(error #f "<request-6>:1:1: error: malformed request: a request is (ID FORM), (ID '
            ':load \\"FILE\\"), (ID :reset) or (ID :stats); got 42" ())'),
    (b"()", '(error #f "<request-7>:1:1: error: malformed request: a request is (ID FORM), (ID '
            ':load \\"FILE\\"), (ID :reset) or (ID :stats); got ()" ())'),
    (b"((+ 1 2))", '(error #f "<request-8>:1:1: error: missing ID: a request is (ID FORM), (ID '
                   ':load \\"FILE\\"), (ID :reset) or (ID :stats), with ID an integer, a string '
                   'or a symbol; got ((+ 1 2))" ())'),
    (b"(#t 1)", '(error #f "<request-9>:1:1: error: missing ID: a request is (ID FORM), (ID '
                ':load \\"FILE\\"), (ID :reset) or (ID :stats), with ID an integer, a string or '
                'a symbol; got (#t 1)" ())'),
    (b"(4)", '(error 4 "<request-10>:1:1: error: missing FORM after the ID: a request is (ID '
             'FORM), (ID :load \\"FILE\\"), (ID :reset) or (ID :stats)" ())'),
    (b"(5 1 2)", '(error 5 "<request-11>:1:6: error: more than one FORM after the ID (a request '
                 'is (ID FORM), (ID :load \\"FILE\\"), (ID :reset) or (ID :stats)); got (5 1 2)" '
                 '())'),
    (b"(6 . 7)", '(error 6 "<request-12>:1:1: error: malformed request (not a proper list): a '
                 'request is (ID FORM), (ID :load \\"FILE\\"), (ID :reset) or (ID :stats); got (6 '
                 '. 7)" ())'),
    (b"(7 :bogus)", '(error 7 "<request-13>:1:1: error: unknown command :bogus (the commands '
                    'are :load, :reset, :stats)" ())'),
    (b"(8 :load)", '(error 8 "<request-14>:1:1: error: :load takes the file\'s name, a string: '
                   '(ID :load \\"FILE\\")" ())'),
    (b"(9 :reset now)", '(error 9 "<request-15>:1:1: error: :reset takes no argument: (ID '
                        ':reset)" ())'),
    (b"(10 1) (11 2)", '(error #f "<request-16>:1:8: error: one request per line, got 2 '
                       'datums" ())'),
    (b"\xff\xfe(12 1)", '(error #f "<request-17>:1:1: error: serve: <request-17>: not valid '
                        'UTF-8 at byte 1" ())'),
    (b"\x00\x01\x02\x03", '(error #f "<request-18>:1:1: error: invalid character U+0000 in '
                          'source" ())'),
    (b"(13 (car \x80))", '(error #f "<request-19>:1:10: error: serve: <request-19>: not valid '
                         'UTF-8 at byte 10" ())'),
    (b"#0=(14 . #0#)", '(error 14 "<request-20>:1:4: error: more than one FORM after the ID (a '
                       'request is (ID FORM), (ID :load \\"FILE\\"), (ID :reset) or (ID :stats)); '
                       'got #0=(14 . #0#)" ())'),
]


def test_malformed_requests_get_an_error_reply_and_the_server_goes_on(serve):
    s = serve()
    for line, reply in MALFORMED:
        assert s.reply(line + b"\n") == reply, line
    too_long = b"(14 " + b"1" * (16 * 1024 * 1024) + b")\n"
    assert s.reply(too_long) == (
        '(error #f "<request-21>:1:1: error: request too long: more than 16777216 bytes on a '
        'line (load a big program from a file: (ID :load \\"FILE\\"))" ())')
    assert s.reply("(15 (+ 1 2))") == "(ok 15 3)"
    # the last line may lack its newline
    s.send(b"(16 (* 6 7))")
    s.proc.stdin.close()
    assert next_line(s.out) == "(ok 16 42)"
    assert next_line(s.out) is None
    assert s.proc.wait(timeout=WAIT) == 0
    assert s.stderr() == ""


def test_end_of_input_and_exit_end_the_server(serve):
    s = serve()
    assert s.end() == 0 and s.stderr() == ""
    s = serve()
    s.reply("(1 (define x 1))")
    assert s.ask("(2 (dynamic-wind (lambda () #f) (lambda () (exit 3)) "
                 "(lambda () (display \"bye\"))))") == [
        '(out 2 "bye")', '(error 2 "exit: the session ends with status 3" ())']
    assert next_line(s.out) is None
    assert s.proc.wait(timeout=WAIT) == 3


def test_ctrl_c_interrupts_a_request_or_ends_an_idle_server(serve):
    s = serve(tier="py")
    s.reply("(1 (define x 1))")
    s.send(b'(2 (begin (display "spinning") (flush-output-port) (let spin () (spin))))\n')
    s.send(b"(3 x)\n")              # waits in the pipe meanwhile
    assert next_line(s.out) == '(out 2 "spinning")'
    s.proc.send_signal(signal.SIGINT)
    assert next_line(s.out) == '(error 2 "interrupted" ())'
    assert next_line(s.out) == "(ok 3 1)"
    s.proc.send_signal(signal.SIGINT)
    assert s.proc.wait(timeout=WAIT) == 130
    assert s.stderr().strip() == "interrupted"


def test_the_command_line(tmp_path):
    def sx(*args):
        return subprocess.run([sys.executable, "-m", "sx", "serve", *args], capture_output=True,
                              text=True, env=ENV, timeout=WAIT, stdin=subprocess.DEVNULL)
    r = sx()
    assert r.returncode == 2 and ("say what to serve: APP.sx (an HTTP application), or the line "
                                  "protocol with --stdio or --listen [HOST:]PORT") in r.stderr
    r = sx("--stdio", "--port", "8000")
    assert r.returncode == 2 and "--port is for serving an HTTP app: sx serve APP.sx" in r.stderr
    r = sx("--stdio", "--listen", "1234")
    assert r.returncode == 2 and "not allowed with argument" in r.stderr
    r = sx("--listen", "localhost:http")
    assert r.returncode == 2 and "expected [HOST:]PORT with PORT from 0 to 65535" in r.stderr
    r = sx("--stdio", "--timeout", "0")
    assert r.returncode == 2 and "expected a positive number of seconds, got '0'" in r.stderr
    r = sx("--stdio", "--tier", "fast")
    assert r.returncode == 2 and "unknown tier 'fast'" in r.stderr
    assert "Traceback" not in r.stderr


def test_tcp_a_session_per_connection(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "sx", "serve", "--listen", "127.0.0.1:0",
                             "--timeout", TIMEOUT], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV)
    try:
        err = lines_of(proc.stderr)
        said = next_line(err)
        prefix = "sx serve: listening on 127.0.0.1:"
        assert said.startswith(prefix), said
        port = int(said[len(prefix):].split()[0])
        a = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        b = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        fa, fb = a.makefile("rwb"), b.makefile("rwb")

        def ask(f, line):
            f.write(line.encode() + b"\n")
            f.flush()
            got = [f.readline().decode().rstrip("\n")]
            while got[-1].startswith("(out "):
                got.append(f.readline().decode().rstrip("\n"))
            return got
        assert ask(fa, "(1 (define x 1))") == ["(ok 1)"]
        assert ask(fb, "(1 (define x 2))") == ["(ok 1)"]
        assert ask(fa, "(2 (begin (display x) x))") == ['(out 2 "1")', "(ok 2 1)"]
        assert ask(fb, "(2 x)") == ["(ok 2 2)"]
        assert ask(fa, "(3 (let spin () (spin)))") == [
            f'(error 3 "timeout: the request ran longer than {TIMEOUT} s" ())']
        assert ask(fa, "(4 #<bad>)") == ['(error #f "<request-4>:1:4: error: bad # syntax: '
                                         '#<bad>" ())']
        assert ask(fb, "(3 (exit))") == ['(error 3 "exit: the session ends with status 0" ())']
        assert fb.readline() == b""        # its connection is closed; the other goes on
        assert ask(fa, "(5 (+ x 1))") == ["(ok 5 2)"]
        a.close()
        b.close()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=WAIT) == 130
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=WAIT)


# ---- in the process: what the asynchronous interruption must not cut -------------------

def test_an_interruption_waits_while_a_global_invalidates_generated_code():
    """A global's assignment invalidates, one unit after another, the
    generated code that assumed its old value: an interruption then waits."""
    from sx.serve.interrupt import in_critical
    from sx.values import Cell, intern
    seen = []

    class Unit:
        def invalidate(self):
            seen.append(in_critical(sys._getframe()))
    cell = Cell(intern("serve-test-global"))
    cell.watch = [Unit(), Unit()]
    cell.assign(1)
    assert seen == [True, True]
    assert not in_critical(sys._getframe())


def test_tier2s_steps_that_must_stay_whole_are_found():
    import sx.jit.py.unit as unit
    from sx.serve.interrupt import _critical_codes
    codes = _critical_codes()
    assert unit.Unit.install.__code__ in codes and unit.Unit.invalidate.__code__ in codes


@pytest.mark.parametrize("tier", ["cek", "vm", "py", "auto"])
def test_leaving_an_abandoned_computation_runs_its_after_thunks(tier):
    from sx.api import Runtime, SchemeError
    from sx.printer import write_string
    rt = Runtime(tier)
    rt.eval_string("(define p (make-parameter 1)) (define log '())")
    with pytest.raises(SchemeError) as failed:
        rt.eval_string("(dynamic-wind (lambda () #f) (lambda () (parameterize ((p 2)) "
                       "(dynamic-wind (lambda () #f) (lambda () (car 1)) "
                       "(lambda () (set! log (cons (p) log)))))) "
                       "(lambda () (set! log (cons (list 'outer (p)) log))))")
    calls = []
    rt.leave_abandoned(failed.value, lambda call: calls.append(call()))
    assert len(calls) == 3           # the two dynamic-winds and the parameterize's
    assert write_string(rt.eval_string("(list (p) log)")) == "(1 ((outer 1) 2))"


def test_recover_puts_the_machine_back_at_the_top_level():
    from sx.api import Runtime
    from sx.jit.py.runtime import TAIL_DEPTH
    from sx.runtime import ports
    rt = Runtime("py")
    p = rt.eval_string("(define p (make-parameter 1)) p")
    m = rt.machine
    # what an interruption between two steps of the bookkeeping can leave
    m.runs, m.nests, m.trace = 2, [object()], sys.stderr
    TAIL_DEPTH.n = 7
    p.value = 2
    ports.CURRENT_OUTPUT.value = ports.StringOutputPort()
    rt.recover()
    assert (m.runs, m.nests, m.winders, m.trace, TAIL_DEPTH.n) == (0, [], None, None, 0)
    assert p.value == 1 and ports.CURRENT_OUTPUT.value is ports.STDOUT
    assert rt.eval_string("(+ (p) 1)") == 2
