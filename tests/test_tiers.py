"""The compiled tier and the machinery around it, as an embedder and a user
meet them: perform/resume from Python, continuations crossing tiers, the
tier manager's switches, bisect, disasm, stats and trace.

(Every conformance program also runs under every tier: test_conformance.py.)
"""

import io
import os
import subprocess
import sys
from contextlib import redirect_stdout

import pytest

from conformance_runner import HERE, expected, programs
from sx.api import TIERS, Runtime, Suspended
from sx.report import format_error
from sx.errors import SchemeError

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def sx(*args, env=None, timeout=300):
    e = dict(os.environ, PYTHONPATH=SRC)
    for k in ("SX_TIER", "SX_JIT_THRESHOLD", "SX_PY_THRESHOLD", "SX_JIT_DENY", "SX_JIT_ONLY",
              "SX_TRACE"):
        e.pop(k, None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "sx", *args], capture_output=True, text=True,
                          env=e, timeout=timeout)


def test_tiers_are_the_documented_ones():
    assert TIERS == ("cek", "vm", "py", "auto")


# ---- perform: suspending to the host -------------------------------------------

PERFORMER = """
(define log '())
(define (note x) (set! log (cons x log)))
(define (ask what) (let ((v (perform what))) (note v) v))
(define (total n) (if (= n 0) 0 (+ (ask n) (total (- n 1)))))
"""


@pytest.mark.parametrize("tier", TIERS)
def test_perform_suspends_and_resumes(tier):
    rt = Runtime(tier)
    rt.eval(PERFORMER)
    r = rt.eval("(display \"start \") (total 3)")
    got = []
    while isinstance(r, Suspended):
        got.append(r.request)
        r = r.resume(r.request * 10)
    assert got == [3, 2, 1]
    assert r == 60
    assert rt.eval("log").car == 10   # the last answer, noted last


@pytest.mark.parametrize("tier", TIERS)
def test_two_suspended_computations_interleave(tier):
    rt = Runtime(tier)
    rt.eval(PERFORMER)
    a = rt.eval("(list 'a (total 2))")
    b = rt.eval("(list 'b (ask 'x) (ask 'y))")
    assert (a.request, b.request) == (2, "x") or (a.request, b.request.name) == (2, "x")
    b = b.resume(100)
    a = a.resume(1)
    a = a.resume(2)
    b = b.resume(200)
    from sx.printer import write_string
    assert write_string(a) == "(a 3)"
    assert write_string(b) == "(b 100 200)"


@pytest.mark.parametrize("tier", TIERS)
def test_suspended_computations_keep_their_parameters_to_themselves(tier):
    # A host (the HTTP server) runs other computations while one waits at
    # a perform: neither they nor the top level see its parameterize
    # bindings, and it finds them again when resumed. Its dynamic-wind
    # thunks don't run at the perform: it is paused, not left.
    from sx.printer import write_string
    rt = Runtime(tier)
    rt.eval(PERFORMER + """
      (define p (make-parameter 'top))
      (define winds 0)
      (define (job name)
        (parameterize ((p name))
          (dynamic-wind (lambda () (set! winds (+ winds 1)))
                        (lambda () (let* ((a (p)) (b (ask name)) (c (p))) (list a b c)))
                        (lambda () (set! winds (+ winds 1))))))""")
    a = rt.eval("(job 'a)")
    assert write_string(rt.eval("(p)")) == "top"
    b = rt.eval("(job 'b)")
    assert write_string(rt.eval("(list (p) winds)")) == "(top 2)"
    a = a.resume(1)
    b = b.resume(2)
    assert write_string(a) == "(a 1 a)" and write_string(b) == "(b 2 b)"
    assert write_string(rt.eval("(list (p) winds)")) == "(top 4)"
    out = rt.eval("(let ((port (open-output-string)))"
                  "  (parameterize ((current-output-port port)) (display (ask 'x)))"
                  "  (get-output-string port))")
    mid = rt.eval("(let ((port (open-output-string)))"
                  "  (write (eq? port (current-output-port)) port) (get-output-string port))")
    assert write_string(out.resume(42)) == '"42"' and write_string(mid) == '"#f"'


@pytest.mark.parametrize("tier", TIERS)
def test_resuming_a_suspension_twice_reenters_it(tier):
    rt = Runtime(tier)
    rt.eval(PERFORMER)
    s = rt.eval("(+ 1 (ask 'q))")
    assert s.resume(10) == 11
    assert s.resume(20) == 21


@pytest.mark.parametrize("tier", TIERS)
def test_resume_with_an_error_raises_it_at_the_perform(tier):
    rt = Runtime(tier)
    rt.eval(PERFORMER)
    s = rt.eval("(guard (e ((error-object? e) (list 'caught (error-object-message e))))"
                "  (ask 'file))")
    from sx.printer import write_string
    assert write_string(s.throw("no such file")) == '(caught "no such file")'
    s = rt.eval("(ask 'again)")
    with pytest.raises(SchemeError) as ei:
        s.throw("refused")
    # located at the perform itself (in PERFORMER's `ask`), with its backtrace
    assert format_error(ei.value).splitlines()[0] == "<eval>:4:29: error: refused"


@pytest.mark.parametrize("tier", TIERS)
def test_perform_continues_with_the_later_forms(tier):
    rt = Runtime(tier)
    buf = io.StringIO()
    with redirect_stdout(buf):
        s = rt.eval("(display 1) (display (perform 'x)) (display 3) 'end")
        r = s.resume(2)
    assert buf.getvalue() == "123"
    assert r.name == "end"


@pytest.mark.parametrize("tier", TIERS)
def test_perform_inside_dynamic_wind_keeps_the_winders(tier):
    rt = Runtime(tier)
    buf = io.StringIO()
    with redirect_stdout(buf):
        s = rt.eval('(dynamic-wind (lambda () (display "[")) (lambda () (perform 0) (quote v))'
                    '  (lambda () (display "]")))')
        assert buf.getvalue() == "["
        r = s.resume(None)
    assert buf.getvalue() == "[]"
    assert r.name == "v"


@pytest.mark.parametrize("tier", TIERS)
def test_perform_without_a_host_is_a_catchable_error(tier, tmp_path):
    p = tmp_path / "p.sx"
    p.write_text("(display (guard (e (#t (error-object-message e))) (perform 'read)))\n"
                 "(perform 'write)\n")
    r = sx("--tier", tier, "run", str(p))
    assert r.stdout == "perform: no host to handle the request read"
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == \
        f"{p}:2:1: error: perform: no host to handle the request write"


# ---- continuations that cross tiers ----------------------------------------------

MIXED = """
(jit-exclude! "interp-*")
(define saved #f)
(define count 0)
(define (vm-capture) (+ 100 (call/cc (lambda (k) (set! saved k) 1))))
(define (interp-reenter) (if (< count 3) (begin (set! count (+ count 1)) (saved count)) 'done))
(define (interp-capture) (* 2 (call/cc (lambda (k) (set! saved k) 1))))
(define (vm-reenter) (if (< count 6) (begin (set! count (+ count 1)) (saved count)) 'done))
(define out '())
(define (run1) (let ((v (vm-capture))) (set! out (cons v out)) (interp-reenter)))
(define (run2) (let ((v (interp-capture))) (set! out (cons v out)) (vm-reenter)))
(run1)
(run2)
(display (reverse out))
"""


@pytest.mark.parametrize("tier", ["vm", "py", "auto"])
def test_continuations_cross_between_interpreted_and_compiled_frames(tier):
    rt = Runtime(tier, threshold=0)
    buf = io.StringIO()
    with redirect_stdout(buf):
        rt.eval_string(MIXED)
    assert buf.getvalue() == "(101 101 102 103 2 8 10 12)"
    ran = {label.split("@")[0]: t for label, _, t, _ in rt.machine.tiers.stats()}
    compiled = "py" if tier == "py" else "vm"
    assert ran["vm-capture"] == compiled and ran["vm-reenter"] == compiled
    assert ran["interp-capture"] == "cek" and ran["interp-reenter"] == "cek"
    ref = io.StringIO()
    with redirect_stdout(ref):
        Runtime("cek").eval_string(MIXED)
    assert ref.getvalue() == buf.getvalue()


GUARD_DEEP = """
(define (inner x) (vector-ref x 5))
(define (middle x) (+ 1 (inner x)))
(define (outer x) (guard (e ((error-object? e) (error-object-message e))) (* 2 (middle x))))
(display (outer (vector 1 2)))
"""


@pytest.mark.parametrize("tier", TIERS)
def test_guard_catches_a_primitive_error_in_a_callee_frame(tier):
    # The earlier platform's compiled guard missed exactly this.
    buf = io.StringIO()
    with redirect_stdout(buf):
        Runtime(tier, threshold=0).eval_string(GUARD_DEEP)
    assert buf.getvalue() == "vector-ref: index out of range:"


ERR_PROGRAMS = [p for p in programs() if expected(p)[1]]


@pytest.mark.parametrize("rel", ERR_PROGRAMS)
def test_error_reports_are_identical_in_every_tier(rel):
    """The whole report (location, message and SX backtrace), not just the
    first line the conformance suite checks."""
    reports = {}
    path = os.path.join(HERE, rel)
    cwd = os.getcwd()
    os.chdir(os.path.dirname(path))
    try:
        for tier in TIERS:
            with redirect_stdout(io.StringIO()):
                try:
                    Runtime(tier).run_file(os.path.basename(path))
                    reports[tier] = None
                except SchemeError as e:
                    reports[tier] = format_error(e)
    finally:
        os.chdir(cwd)
    assert reports["cek"] is not None
    for tier in TIERS:
        assert reports[tier] == reports["cek"], tier


# ---- the tier manager's switches ----------------------------------------------------

LOOP = ("(define (t-sq x) (* x x))\n"
        "(define (t-go n) (if (> n 0) (begin (t-sq n) (t-go (- n 1)))))\n(t-go 30)\n")


def _compiled(rt, prefix):
    """Names of this test's procedures that ran compiled. (Statistics are per
    process, like the code caches, so each test names its own.)"""
    return {label.split("@")[0] for label, _, t, _ in rt.machine.tiers.stats()
            if t == "vm" and label.startswith(prefix)}


def test_auto_compiles_after_the_threshold():
    rt = Runtime("auto", threshold=50)
    rt.eval_string(LOOP.replace("t-", "t-thr-"))
    assert _compiled(rt, "t-thr-") == set()
    rt.eval_string("(t-thr-go 30)")
    assert _compiled(rt, "t-thr-") == {"t-thr-sq", "t-thr-go"}
    calls = {label.split("@")[0]: c for label, c, _, _ in rt.machine.tiers.stats()}
    assert calls["t-thr-sq"] == 60


def test_cek_never_compiles():
    rt = Runtime("cek")
    rt.eval_string(LOOP)
    assert rt.machine.tiers is None
    assert [rt.lookup(n).lam.code for n in ("t-sq", "t-go")] == [None, None]


def test_the_cek_alone_loads_no_compiled_tier():
    """`--tier cek` runs the interpreter without importing the VM or the JIT."""
    probe = ("import sys, sx.cli; sx.cli.main(['--tier', 'cek', 'eval', '(car (list 1 2))']); "
             "print(sorted(m for m in sys.modules if m.startswith(('sx.vm', 'sx.jit', "
             "'sx.bytecode'))))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=SRC), timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["1", "[]"]


def test_jit_exclude_keeps_procedures_interpreted():
    rt = Runtime("vm")
    rt.eval_string('(jit-exclude! "t-ex-s*")' + LOOP.replace("t-", "t-ex-"))
    assert _compiled(rt, "t-ex-") == {"t-ex-go"}


def test_environment_switches(tmp_path):
    p = tmp_path / "p.sx"
    p.write_text(LOOP + "\n(jit-stats)\n")
    r = sx("run", str(p), env={"SX_TIER": "vm", "SX_JIT_DENY": "t-sq"})
    assert r.returncode == 0
    rows = {line.split()[-1].split("@")[0]: line.split()[1] for line in r.stdout.splitlines()
            if "@" in line}
    assert rows["t-sq"] == "cek" and rows["t-go"] == "vm"
    r = sx("run", str(p), env={"SX_TIER": "vm", "SX_JIT_ONLY": "t-sq"})
    rows = {line.split()[-1].split("@")[0]: line.split()[1] for line in r.stdout.splitlines()
            if "@" in line}
    assert rows["t-sq"] == "vm" and rows["t-go"] == "cek"
    r = sx("run", str(p), env={"SX_JIT_THRESHOLD": "many"})
    assert r.returncode == 2
    assert "SX_JIT_THRESHOLD must be a non-negative integer" in r.stderr


def test_run_stats_prints_calls_and_tiers(tmp_path):
    p = tmp_path / "p.sx"
    p.write_text(LOOP + "\n")
    r = sx("run", "--stats", "--tier", "vm", str(p))
    assert r.returncode == 0
    assert "jit: tier vm, threshold 0" in r.stderr
    assert any(line.split()[:2] == ["31", "vm"] and "t-go@p.sx:2:1" in line
               for line in r.stderr.splitlines()), r.stderr


def test_trace_shows_the_same_calls_in_every_tier(tmp_path):
    p = tmp_path / "p.sx"
    p.write_text("(define (sq x) (* x x)) (display (map sq '(1 2)))")
    runs = {t: sx("--tier", t, "run", str(p), env={"SX_TRACE": "1"}) for t in ("cek", "vm")}
    strip = [[line[6:] for line in runs[t].stderr.splitlines()] for t in ("cek", "vm")]
    assert strip[0] == strip[1]
    assert "call sq 2" in strip[0]
    assert any(line.startswith("[vm ] call sq") for line in runs["vm"].stderr.splitlines())


# ---- disasm and bisect -----------------------------------------------------------------

def test_disasm_lists_a_procedure(tmp_path):
    p = tmp_path / "p.sx"
    p.write_text("(define (f x)\n  (if (< x 2) x (g (- x 1))))\n(define (g y) y)\n")
    r = sx("disasm", str(p), "f")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "code f@p.sx:1:1: 1 required, 1 slots"
    assert lines[1].split()[:4] == ["2", "0", "PRIM2_LC", "(<"]      # line 2, pc 0
    assert lines[3].split() == ["2", "LOCAL", "0", "(x)"]
    assert any("JUMP_IF_FALSE" in line for line in lines)
    assert lines[-1].split()[1:] == ["TAIL_CALL", "1"]
    r = sx("disasm", str(p), "nosuch")
    assert r.returncode == 1 and "no procedure named nosuch" in r.stderr


BISECT_PROGRAM = """
(define (square x) (* x x))
(define (dec x) (- x 1))
(define (count-down n acc) (if (= n 0) acc (count-down (dec n) (cons n acc))))
(define (sum l) (if (null? l) 0 (+ (car l) (sum (cdr l)))))
(define (twice f x) (f (f x)))
(display (twice square (sum (count-down 10 '()))))
"""


def test_bisect_finds_a_planted_miscompile(tmp_path, monkeypatch):
    """Break one operation of the compiled code (the fast path of `-`, which
    now adds) and bisect must name the one procedure that uses it."""
    import sx.bytecode.compiler as compiler
    from sx.bisect import bisect
    from sx.runtime.numbers import add2
    p = tmp_path / "prog.sx"
    p.write_text(BISECT_PROGRAM)
    out = io.StringIO()
    assert bisect(str(p), out=out) == 0      # healthy compiler: the tiers agree
    fast = compiler.fast_function
    monkeypatch.setattr(compiler, "fast_function",
                        lambda prim, n: add2 if prim.name == "-" else fast(prim, n))
    assert _culprits(bisect, str(p), "cek", "vm") == ["dec@prog.sx:3:1"]


def _culprits(bisect, path, reference, tier):
    out = io.StringIO()
    assert bisect(path, reference, tier, out=out) == 1, out.getvalue()
    return [line.strip() for line in out.getvalue().splitlines()
            if line.startswith("  ") and "@" in line]


# ---- invariant 3 in the compiled tiers -------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("tier", ["vm", "py", "auto"])
def test_tail_loops_of_ten_million_run_in_bounded_memory(tmp_path, tier):
    p = tmp_path / "loop.sx"
    p.write_text("(define (loop i acc) (if (= i 0) acc (loop (- i 1) (+ acc 1))))\n"
                 "(display (loop 10000000 0))\n"
                 "(define (ev? n) (if (= n 0) #t (od? (- n 1))))\n"
                 "(define (od? n) (if (= n 0) #f (ev? (- n 1))))\n"
                 "(display (ev? 10000000))\n")
    r = subprocess.run(["/usr/bin/time", "-f", "%M", sys.executable, "-m", "sx", "--tier", tier,
                        "run", str(p)], capture_output=True, text=True, timeout=600,
                       env=dict(os.environ, PYTHONPATH=SRC))
    assert r.stdout == "10000000#t"
    assert int(r.stderr.split()[-1]) < 100_000   # peak RSS in KiB


@pytest.mark.slow
def test_vm_recursion_a_million_deep():
    r = sx("--tier", "vm", "eval",
           "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))", "(f 1000000)", timeout=600)
    assert r.returncode == 0 and r.stdout.strip() == "1000000"


def test_vm_frames_match_their_safepoints():
    """Every VM frame on a captured continuation holds exactly the operand
    stack and slots its code's safepoint table says (the table later tiers
    rebuild frames from)."""
    from sx.vm.run import VMK
    rt = Runtime("vm")
    conts = []
    rt.eval_string("""
      (define (grab) (call/cc (lambda (k) k)))
      (define (f n) (if (= n 0) (grab) (list n (f (- n 1)) (let ((x (* n 2))) (+ x (vector-length (g n)))))))
      (define (g n) (vector n (string-append "a" (number->string (length (list (grab) n))))))
      (f 4)""")
    callcc = rt.lookup("call/cc")
    orig = callcc.control

    def spy(m, args, k):
        conts.append(k)
        return orig(m, args, k)
    callcc.control = spy
    try:
        rt.eval_string("(f 4)")
    finally:
        callcc.control = orig
    frames = 0
    for k in conts:
        while k is not None:
            if k.__class__ is VMK:
                depth, nslots, _ = k.code.safepoint(k.pc)
                assert len(k.S) == depth, (k.code.label, k.pc)
                assert len(k.L) == nslots
                frames += 1
            k = k.next
    assert frames > 10


# ---- tier 2: generated Python code ------------------------------------------------------

def _tiers_of(rt, *names):
    """The tier each of these global procedures of rt runs in now."""
    lams = [rt.eval_string(n).lam for n in names]
    return ["py" if lam.unit else "vm" if lam.code else "cek" for lam in lams]


GENERATOR = """
(define (make-gen lst)
  (define return #f)
  (define resume #f)
  (define (start)
    (for-each (lambda (x) (call/cc (lambda (next) (set! resume next) (return x)))) lst)
    (return 'done))
  (lambda ()
    (call/cc (lambda (r)
      (set! return r)
      (if resume (resume #f) (start))))))
(define (iota-list n) (let loop ((i (- n 1)) (acc '())) (if (< i 0) acc (loop (- i 1) (cons i acc)))))
(define (drive g acc) (let ((x (g))) (if (eq? x 'done) acc (drive g (+ acc x)))))
"""


def test_a_callcc_generator_driven_a_hundred_thousand_times_through_generated_frames():
    rt = Runtime("py")
    rt.eval_string(GENERATOR)
    assert rt.eval_string("(drive (make-gen (iota-list 100000)) 0)") == 4999950000
    assert _tiers_of(rt, "drive", "make-gen", "iota-list") == ["py", "py", "py"]


def test_perform_suspends_and_resumes_through_generated_frames():
    rt = Runtime("py")
    rt.eval_string(PERFORMER)
    s = rt.eval("(total 3)")
    seen = []
    while isinstance(s, Suspended):
        seen.append(s.request)
        first = s
        s = s.resume(10 * s.request)
    assert seen == [3, 2, 1] and s == 60
    assert first.resume(5) == 30 + 20 + 5     # the last perform again, now answered 5
    assert _tiers_of(rt, "total", "ask") == ["py", "py"]


def test_generated_frames_become_the_vm_frames_of_their_safepoints():
    """A continuation captured under generated code is a chain of VM frames
    (rebuilt from each generated frame's safepoint) that matches what the VM
    itself would have captured, frame for frame."""
    from sx.vm.run import VMK
    src = """
      (define saved #f)
      (define (grab) (call/cc (lambda (k) (set! saved k) 0)))
      (define (f n) (if (= n 0) (grab) (list n (f (- n 1)) (let ((x (* n 2))) (+ x (g n))))))
      (define (g n) (length (list n (grab))))
      (f 3)"""
    chains = {}
    for tier in ("vm", "py"):
        rt = Runtime(tier)
        rt.eval_string(src)
        k = rt.eval_string("saved").k
        frames = []
        while k is not None:
            if k.__class__ is VMK:
                frames.append((k.code.label, k.pc, len(k.S), [type(x).__name__ for x in k.S]))
            k = k.next
        chains[tier] = frames
    assert chains["py"] == chains["vm"] and len(chains["py"]) == 2


def test_disasm_py_shows_the_generated_python(tmp_path):
    p = tmp_path / "p.sx"
    p.write_text("(define (fib n) (if (< n 2) n (+ (fib (- n 1)) (fib (- n 2)))))\n")
    r = sx("disasm", "--py", str(p), "fib")
    assert r.returncode == 0, r.stderr
    assert "def F(e, dp, l0):" in r.stdout and "(l0 - 1)" in r.stdout


def test_stats_name_the_python_tier(tmp_path):
    p = tmp_path / "p.sx"
    p.write_text(LOOP)
    r = sx("run", "--stats", "--tier", "py", str(p))
    rows = {line.split()[-1].split("@")[0]: line.split()[1]
            for line in r.stderr.splitlines()[2:]}
    assert rows["t-sq"] == "py" and rows["t-go"] == "py"


def test_auto_promotes_a_single_long_loop_while_it_runs():
    rt = Runtime("auto", threshold=10, py_threshold=100)
    rt.eval_string("(define (spin i) (if (= i 0) 'ok (spin (- i 1))))")
    assert rt.eval_string("(spin 5000)").name == "ok"
    assert _tiers_of(rt, "spin") == ["py"]


@pytest.mark.slow
def test_python_tier_recursion_a_million_deep():
    r = sx("--tier", "py", "eval",
           "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))", "(f 1000000)",
           "(define (g n) (if (= n 0) (call/cc (lambda (k) 0)) (+ 1 (g (- n 1)))))",
           "(list (f 1000000) (g 1000000))", timeout=600)
    assert r.returncode == 0 and r.stdout.strip() == "(1000000 1000000)"


def test_bisect_finds_a_planted_miscompile_in_generated_python(tmp_path, monkeypatch):
    """The same, with tier 2 broken instead: its inline `-` adds (the entry
    of `-` in the table of inlined primitives is the entry of `+`)."""
    from sx.bisect import bisect
    from sx.jit.py import emitters
    p = tmp_path / "prog.sx"
    p.write_text(BISECT_PROGRAM)
    monkeypatch.setitem(emitters.EMITTERS, "-", emitters.EMITTERS["+"])
    assert _culprits(bisect, str(p), "cek", "py") == ["dec@prog.sx:3:1"]
