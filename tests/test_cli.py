"""The `sx` command as a user meets it: exit codes, located errors, no
Python tracebacks, a REPL that survives bad input."""

import os
import subprocess
import sys

import pytest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")


def sx(*args, stdin=None, env=None):
    e = dict(os.environ, PYTHONPATH=SRC)
    e.pop("SX_TIER", None)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "sx", *args], input=stdin, capture_output=True,
                          text=True, env=e, timeout=120)


MALFORMED = [
    ("(+ 1", "<eval>:1:1: error: unterminated list (missing ')')"),
    ("(display 1))", "<eval>:1:12: error: unexpected ')'"),
    ("#q", "<eval>:1:1: error: bad # syntax: #q"),
    ('"abc', "<eval>:1:1: error: unterminated string"),
    ("#\\nosuchchar", "<eval>:1:1: error: unknown character name: #\\nosuchchar"),
    ("(if)", "<eval>:1:1: error: bad syntax: if (if)"),
    ("(let ((x)) x)", "<eval>:1:1: error: let: bad binding (x)"),
    ("(define-syntax m (syntax-rules () ((_ a) a))) (m)",
     "<eval>:1:47: error: no syntax-rules pattern matches this use of m: (m)"),
    ("(no-such-variable)", "<eval>:1:1: error: unbound variable: no-such-variable"),
    ("(car 1)", "<eval>:1:1: error: car: expected a pair, got 1"),
    ("((lambda (x) x))", "<eval>:1:1: error: anonymous procedure: expected 1 argument, got 0"),
    ("(cons 1)", "<eval>:1:1: error: cons: expected 2 arguments, got 1"),
    ("(5 5)", "<eval>:1:1: error: attempt to apply a non-procedure: 5"),
    ("(vector-ref (vector 1) 3)", "<eval>:1:1: error: vector-ref: index out of range: 3"),
]


@pytest.mark.parametrize("text,message", MALFORMED)
def test_malformed_input_gives_one_located_error(text, message):
    r = sx("eval", text)
    assert r.returncode == 1
    assert r.stderr.splitlines()[0] == message
    assert "Traceback" not in r.stderr


def test_run_reports_location_and_backtrace(tmp_path):
    prog = tmp_path / "p.sx"
    prog.write_text("(define (f x) (+ 1 (g x)))\n(define (g x) (car x))\n(display \"hi\")\n(f 5)\n")
    r = sx("run", str(prog))
    assert r.returncode == 1
    assert r.stdout == "hi"
    lines = r.stderr.splitlines()
    assert lines[0] == f"{prog}:2:15: error: car: expected a pair, got 5"
    assert lines[1] == f"  called from {prog}:1:15 in f"


def test_debug_adds_python_traceback():
    r = sx("--debug", "eval", "(car 1)")
    assert r.returncode == 1
    assert "Traceback" in r.stderr and "car: expected a pair, got 1" in r.stderr


def test_run_passes_arguments_and_exit_status(tmp_path):
    prog = tmp_path / "args.sx"
    prog.write_text("(write (cdr (command-line))) (newline) (exit 7)\n")
    r = sx("run", str(prog), "a", "b")
    assert r.stdout == '("a" "b")\n'
    assert r.returncode == 7


def test_missing_file():
    r = sx("run", "/no/such/file.sx")
    assert r.returncode == 1 and "no such file" in r.stderr


def test_eval_prints_value_and_version():
    assert sx("eval", "(+ 1 2)", "(list 1 'a \"s\")").stdout == '(1 a "s")\n'
    r = sx("--version")
    assert r.returncode == 0 and r.stdout.startswith("sx ")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_unknown_tier_is_rejected(how):
    r = sx("--tier", "warp", "eval", "1") if how == "flag" else sx("eval", "1", env={"SX_TIER": "warp"})
    assert r.returncode == 2
    assert "unknown tier 'warp'" in r.stderr


def test_tier_cek_accepted():
    assert sx("--tier", "cek", "eval", "(* 6 7)").stdout == "42\n"
    assert sx("eval", "(* 6 7)", env={"SX_TIER": "cek"}).stdout == "42\n"


def test_repl_survives_every_error():
    session = "\n".join([
        "(define (f x)", "  (* x 2))", "(f 21)",      # multi-line entry
        "(car 1)", "#q", ")", "(undefined-var)", "(if)", "(+ 1 \"a\")",
        "(raise 'oops)", '"still alive"', "(values 1 2)", "(f 1)",
    ]) + "\n"
    r = sx("repl", stdin=session)
    assert r.returncode == 0
    assert r.stdout.split() == ["42", '"still', 'alive"', "1", "2", "2"]
    errors = [line for line in r.stderr.splitlines() if "error:" in line]
    assert len(errors) == 7
    assert "Traceback" not in r.stderr


def test_repl_exit_status():
    r = sx("repl", stdin="(display 1)\n(exit 3)\n(display 2)\n")
    assert r.stdout == "1" and r.returncode == 3


def test_deep_recursion_and_tail_loop():
    r = sx("eval", "(define (f n) (if (= n 0) 0 (+ 1 (f (- n 1)))))", "(f 1000000)")
    assert r.stdout == "1000000\n"


@pytest.mark.slow
@pytest.mark.parametrize("program", [
    "(let loop ((i 0)) (if (< i 10000000) (loop (+ i 1)) i))",
    "(define (ev? n) (if (= n 0) #t (od? (- n 1)))) (define (od? n) (if (= n 0) #f (ev? (- n 1)))) "
    "(ev? 10000000)",
])
def test_ten_million_tail_calls_in_bounded_memory(program):
    import resource
    r = sx("eval", program)
    assert r.stdout.strip() in ("10000000", "#t")
    # The child's peak resident memory stays small: no frame per iteration.
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 200 * 1024


def test_an_unknown_command_exits_2_naming_every_command():
    from sx.guests import all_guests
    r = sx("no-such-command")
    assert r.returncode == 2 and "invalid choice: 'no-such-command'" in r.stderr
    for command in ["run", "eval", "repl", "disasm", "bisect", "bench", "serve",
                    *(g.command for g in all_guests())]:
        assert f"'{command}'" in r.stderr


# ---- who imports whom -----------------------------------------------------------------------

def _imports(path, module):
    """The absolute names of the modules that a file (module `module`) imports."""
    import ast
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            yield base
            yield from (f"{base}.{a.name}" for a in node.names)


def _modules():
    """(path, module name) of every module of the package, guests included."""
    root = os.path.dirname(SRC)
    places = [(SRC, "")] + [(os.path.join(root, "guests", g), f"sx.guests.{g}.")
                            for g in os.listdir(os.path.join(root, "guests"))]
    for top, prefix in places:
        for folder, _, files in os.walk(top):
            for f in files:
                if f.endswith(".py"):
                    rel = os.path.relpath(os.path.join(folder, f), top)[:-3].replace(os.sep, ".")
                    name = prefix + rel.removesuffix(".__init__").removesuffix("__init__")
                    yield os.path.join(folder, f), name.rstrip(".")


def test_only_main_imports_the_cli():
    importers = {m for path, m in _modules() if "sx.cli" in set(_imports(path, m))}
    assert importers == {"sx.__main__"}


def test_the_report_module_stands_on_the_bottom_layer():
    path = os.path.join(SRC, "sx", "report.py")
    sx_imports = {m for m in _imports(path, "sx.report") if m.startswith("sx.")}
    assert {m.split(".")[1] for m in sx_imports} <= {"errors", "printer", "values"}
