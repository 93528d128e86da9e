"""SOM Smalltalk on SX (guests/som, the package sx.guests.som): its test
suite's count (test_guests.py runs it under every tier through the guest
registry), the benchmarks verifying themselves, and the launcher's errors."""

import os
import subprocess
import sys

import pytest

from sx.api import TIERS
from sx.guests import find

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
GUEST = find("som")
SOM = os.fspath(GUEST.home())     # guests/som of the checkout


def som(*args, tier="auto", timeout=600, env=None, wait=True):
    env = dict(os.environ, PYTHONPATH=SRC, **(env or {}))
    env.pop("SX_TIER", None)
    argv = [sys.executable, "-m", "sx", "--tier", tier, "som", *args]
    if not wait:
        return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env, cwd=ROOT)
    return subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, timeout=timeout)


def test_the_registry_runs_the_suite_in_the_checkout():
    tests = os.path.join(SOM, "tests")
    assert GUEST.test_argv() == ["som", "-cp", tests, os.path.join(tests, "TestHarness.som")]
    assert os.path.samefile(SOM, os.path.join(ROOT, "guests", "som"))


@pytest.mark.parametrize("tier", TIERS)
def test_the_som_suite_passes(guest_suite_runs, tier):
    done = guest_suite_runs(GUEST)[tier]
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    last = done.stdout.strip().splitlines()[-1]
    passed, failed = last.split(" passed, ")
    assert int(passed) >= 250 and failed == "0 failed", last


BENCHMARKS = ["Bounce", "List", "Mandelbrot", "NBody", "Permute", "Queens", "Sieve", "Storage",
              "Towers", "Richards", "DeltaBlue", "Json", "MarkupRender"]


def test_the_registry_declares_every_benchmark():
    assert list(GUEST.benchmarks) == BENCHMARKS
    for name in BENCHMARKS:
        assert os.path.exists(os.path.join(SOM, "bench", f"{name}.som"))


@pytest.mark.parametrize("name", BENCHMARKS)
def test_a_benchmark_runs_and_verifies(name):
    bench = os.path.join(SOM, "bench")
    done = som("-cp", bench, os.path.join(bench, "Harness.som"), name, "1", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith(f"{name}: iterations=1 average: ")


def test_the_programs_classes_come_before_the_bundled_library(tmp_path):
    # the class path as in other SOMs: -cp folders, then the file's folder,
    # then the bundled library (a fallback), the first class found winning,
    # core classes included
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "Pair.som").write_text("Pair = ( key = ( ^'the program''s Pair' ) )\n")
    (tmp_path / "Main.som").write_text(
        "Main = ( run = ( Pair new key println. (Array with: 1) printString println ) )\n")
    done = som("-cp", str(mine), str(tmp_path / "Main.som"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "the program's Pair\n#(1)\n"


def test_block4_is_optional(tmp_path):
    # the standard library has Block1..Block3 only: without a Block4.som on
    # the class path, 3-argument blocks still work
    import shutil
    from sx.api import Runtime
    from sx.guests.som import launcher
    from sx.values import MString, py_to_list
    lib = tmp_path / "lib"
    shutil.copytree(os.path.join(SOM, "Smalltalk"), lib)
    (lib / "Block4.som").unlink()
    (tmp_path / "Three.som").write_text(
        "Three = ( run = ( ^([:a :b :c | a + b + c] value: 1 with: 2 with: 3) ) )\n")
    rt = Runtime("auto")
    launcher.load(rt)
    main = rt.call(rt.lookup("som-load-main"), MString(str(lib)), py_to_list([]),
                   MString(str(tmp_path / "Three.som")))
    three = rt.call(rt.lookup("som-send"), main.car, rt.eval_string("'new"))
    assert rt.call(rt.lookup("som-send"), three, rt.eval_string("'run")) == 6
    block4 = rt.call(rt.lookup("som-global-value"), rt.eval_string("'Block4"))
    assert rt.call(rt.lookup("class-name"), block4) == rt.eval_string("'Block4")


def test_hello(tmp_path):
    done = som(os.path.join(SOM, "examples", "Hello.som"))
    assert done.returncode == 0 and done.stdout == "Hello, World\n"


def test_a_syntax_error_names_file_line_and_column(tmp_path):
    bad = tmp_path / "Bad.som"
    bad.write_text("Bad = (\n  run = ( ^3 + )\n)\n")
    done = som(str(bad))
    assert done.returncode == 1
    assert f"{bad}:2:16: expected an expression, found `)`" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("body, message", [
    ("| a | a := 1. [ :x | y := x ] value: 2", "3: cannot assign to `y`: not a variable or field"),
    ("^[ :a :b :c :d | a ]", "3: a block has at most 3 parameters"),
])
def test_a_compile_error_in_a_method_never_sent_is_raised_at_load(tmp_path, body, message):
    # (methods are compiled at their first send; their errors are the file's)
    bad = tmp_path / "Bad.som"
    bad.write_text(f"Bad = (\n  run = ( 'ran' println )\n  never = ( {body} )\n)\n")
    done = som(str(bad))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"error: {bad}:{message}\n"


@pytest.mark.parametrize("tier", TIERS)
def test_a_class_defining_if_nil_turns_its_inlining_off(tmp_path, tier):
    # (compiled code runs ifNil: inline while only Object and Nil define it;
    # a class loaded later that defines it must get its sends, at sites
    # already hot)
    (tmp_path / "Maybe.som").write_text("Maybe = ( ifNil: aBlock = ( ^'maybe' ) )\n")
    (tmp_path / "Probe.som").write_text(
        "Probe = (\n"
        "  run = ( | r |\n"
        "    r := 0.\n"
        "    1 to: 300 do: [:i | r := r + (self probe: (i odd ifTrue: [ nil ] ifFalse: [ i ])) ].\n"
        "    r println.\n"
        "    (self probe: Maybe new) println.\n"
        "    (self probe: 3) println.\n"
        "    (self probe: nil) println )\n"
        "  probe: x = ( ^x ifNil: [ 0 ] )\n"
        ")\n")
    done = som(str(tmp_path / "Probe.som"), tier=tier)
    assert (done.stdout, done.stderr) == ("22650\nmaybe\n3\n0\n", "")


def test_a_runtime_error_has_a_smalltalk_backtrace(tmp_path):
    prog = tmp_path / "Oops.som"
    prog.write_text("Oops = (\n  run = ( ^self outer )\n  outer = ( ^self inner + 1 )\n"
                    "  inner = ( ^(Array new: 2) at: 3 )\n)\n")
    done = som(str(prog))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0] == "error: SOM: Array>>at: index out of bounds: 3"
    assert [line.strip() for line in lines[1:4]] == ["in Oops>>inner", "in Oops>>outer",
                                                     "in Oops>>run"]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("tier", TIERS)
def test_print_stack_trace_lists_the_pending_methods(tmp_path, tier):
    prog = tmp_path / "Trace.som"
    prog.write_text("Trace = (\n  run = ( self outer. 'done' println )\n"
                    "  outer = ( ^(self inner: 2) + 1 )\n"
                    "  inner: n = ( n = 0 ifTrue: [ system printStackTrace. ^0 ].\n"
                    "    ^(self inner: n - 1) + 1 )\n)\n")
    done = som(str(prog), tier=tier)
    assert done.returncode == 0, done.stderr
    # (a method repeated by recursion shows once, as in an error's backtrace)
    assert done.stdout.splitlines() == ["  in Trace>>inner:", "  in Trace>>outer",
                                        "  in Trace>>run", "done"]


def test_arguments_and_exit_status(tmp_path):
    prog = tmp_path / "Args.som"
    prog.write_text("Args = (\n  run: args = ( args println. system exit: args length )\n)\n")
    done = som(str(prog), "x", "y")
    assert done.stdout == "#(Args x y)\n" and done.returncode == 3


def test_missing_file_and_class():
    assert som("no/such/File.som").returncode == 1
    done = som(os.path.join(SOM, "bench", "Harness.som"), "NoSuchBenchmark", "1", "1")
    assert done.returncode == 1


def test_the_repl_evaluates_lines_and_survives_errors():
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    done = subprocess.run([sys.executable, "-m", "sx", "som"], input="3 + 4\nnil foo\n"
                          "| a | a := 2. a * a\n", capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["7", "4"]
    assert "ERROR: Nil does not understand #foo" in done.stderr


# ---- the code cache: parsed classes kept between runs ------------------------------------

COUNTER = "Counter = (\n  run = ( (1 to: 3) do: [ :i | ('{word} ', i printString) println ] )\n)\n"


def cache_files(folder):
    return sorted(os.path.join(d, f) for d, _, fs in os.walk(folder) for f in fs)


def test_a_warm_run_reads_the_cache_and_an_edit_invalidates_it(tmp_path):
    cache = {"SX_CACHE_DIR": str(tmp_path / "cache")}
    prog = tmp_path / "Counter.som"
    prog.write_text(COUNTER.format(word="tick"))
    cold = som(str(prog), env=cache)
    files = cache_files(tmp_path / "cache")
    warm = som(str(prog), env=cache)
    assert cold.stdout == warm.stdout == "tick 1\ntick 2\ntick 3\n"
    assert cold.stderr == warm.stderr == ""
    assert len(files) > 20 and cache_files(tmp_path / "cache") == files   # (nothing new)
    prog.write_text(COUNTER.format(word="tock"))
    edited = som(str(prog), env=cache)
    assert edited.stdout == "tock 1\ntock 2\ntock 3\n"
    assert len(cache_files(tmp_path / "cache")) == len(files) + 1


def test_damaged_entries_are_rebuilt(tmp_path):
    cache = {"SX_CACHE_DIR": str(tmp_path / "cache")}
    prog = tmp_path / "Counter.som"
    prog.write_text(COUNTER.format(word="tick"))
    som(str(prog), env=cache)
    good = {f: open(f, "rb").read() for f in cache_files(tmp_path / "cache")}
    for i, (f, blob) in enumerate(good.items()):      # truncated, emptied, or flipped
        open(f, "wb").write([blob[:len(blob) // 2], b"", blob[:-1] + bytes([blob[-1] ^ 1])][i % 3])
    damaged = som(str(prog), env=cache)
    assert damaged.stdout == "tick 1\ntick 2\ntick 3\n" and damaged.stderr == ""
    assert {f: open(f, "rb").read() for f in good} == good


def test_two_processes_filling_one_cache_at_once_both_succeed(tmp_path):
    cache = {"SX_CACHE_DIR": str(tmp_path / "cache")}
    prog = tmp_path / "Counter.som"
    prog.write_text(COUNTER.format(word="tick"))
    runs = [som(str(prog), env=cache, wait=False) for _ in range(2)]
    for p in runs:
        out, err = p.communicate(timeout=600)
        assert (p.returncode, out, err) == (0, "tick 1\ntick 2\ntick 3\n", "")
    assert not [f for f in cache_files(tmp_path / "cache") if ".tmp-" in f]


@pytest.mark.parametrize("setting", ["unwritable", "off"])
def test_a_cache_that_cannot_be_used_is_no_error(tmp_path, setting):
    (tmp_path / "file").write_text("")
    env = ({"SX_CACHE_DIR": str(tmp_path / "file" / "cache")} if setting == "unwritable"
           else {"SX_CACHE": "off", "SX_CACHE_DIR": str(tmp_path / "cache")})
    done = som(os.path.join(SOM, "examples", "Hello.som"), env=env)
    assert (done.returncode, done.stdout, done.stderr) == (0, "Hello, World\n", "")
    assert not (tmp_path / "cache").exists()
