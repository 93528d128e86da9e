"""`sx bench` (src/sx/bench/) on the small inputs of bench/programs, and the
programs themselves: each checks its own answer, has a CPython twin that
agrees with it, and runs under the other Schemes when they are installed."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from sx.api import TIERS
from sx.bench import cli, peers
from sx.bench.measure import geometric_mean, measure
from sx.bench.programs import (PYTHON_LABEL as PY, SCALES, Instance, Twin, available, beside,
                               default_program_dir, to_sx)
from sx.bench.table import number, speedup
from sx.guests import Guest, all_guests
from sx.printer import write_string
from sx.runtime.equality import equal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
PROGRAM_DIR = default_program_dir()
PROGRAMS = available(PROGRAM_DIR, ".sx")
TWINS = available(beside(PROGRAM_DIR, "python"), ".py")


def test_at_least_twenty_programs_each_with_a_twin():
    assert len(PROGRAMS) >= 20
    assert set(TWINS) == set(PROGRAMS)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_twin_agrees_with_the_sx_program(name, scale):
    inst = Instance(name, PROGRAMS[name], "cek", scale)
    twin = Twin(name, TWINS[name], scale)
    assert equal(to_sx(twin.input), inst.input), (twin.input, write_string(inst.input))
    assert equal(to_sx(twin.expected), inst.expected), \
        (write_string(to_sx(twin.expected)), write_string(inst.expected))
    twin.check_against(inst)
    if scale == "small":
        assert twin.sample() >= 0  # runs the twin and checks its result


def sx(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    return subprocess.run([sys.executable, "-m", "sx", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


@pytest.mark.parametrize("name", ["fib", "ctak", "strings"])
def test_a_program_runs_standalone_and_checks_its_answer(name):
    done = sx("--tier", "vm", "run", PROGRAMS[name], "small", "2")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["run 1", "run 2"]
    assert all(line.endswith(" ms") for line in lines)


def test_a_standalone_program_fails_on_a_wrong_answer(tmp_path):
    shutil.copy(os.path.join(PROGRAM_DIR, "driver.scm"), tmp_path)
    program = tmp_path / "off.sx"
    program.write_text("(define size 3) (define small-size 2)\n"
                       "(define expected '((3 . 9) (2 . 8)))\n"
                       "(define (run n) (* n n n))\n(include \"driver.scm\")\n")
    done = sx("run", str(program), "full", "1")
    assert done.returncode == 1
    assert "wrong result for size 3: 27, expected 9" in done.stdout
    done = sx("run", str(program), "5")
    assert done.returncode == 1 and "no expected result for size 5" in done.stdout
    assert sx("run", str(program), "small", "3").returncode == 0


def run_bench(capsys, *argv):
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_every_program_under_every_tier(capsys, tmp_path):
    results = tmp_path / "bench.json"
    code, out, err = run_bench(capsys, "--tiers", ",".join(TIERS), "--peers", "python",
                               "--repeat", "1", "--warmup", "0", "--scale", "small",
                               "--json", str(results))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (f"sx bench: scale small, 1 round after 0 warm-up, interleaved: "
                        f"{PY} {' '.join(TIERS)}")
    doc = json.loads(results.read_text())
    assert [p["name"] for p in doc["programs"]] == sorted(PROGRAMS)
    assert doc["contestants"] == [PY, *TIERS] and doc["scale"] == "small"
    assert doc["machine"]["cpus"] == os.cpu_count() and doc["duration_s"] > 0
    for p in doc["programs"]:
        assert set(p["results"]) == {PY, *TIERS}
        for r in p["results"].values():
            assert len(r["times_ms"]) == 1
            assert r["min_ms"] == r["median_ms"] == r["max_ms"] > 0
        assert set(p["ratios"]) == ({f"{t}/cek" for t in TIERS[1:]} | {f"{t}/{PY}" for t in TIERS})
        assert p["ratios"]["vm/cek"] == pytest.approx(
            p["results"]["vm"]["median_ms"] / p["results"]["cek"]["median_ms"])
        times_row, ratio_row = [line.split() for line in lines
                                if line.startswith(p["name"] + " ")]
        assert len(times_row) == 1 + 1 + len(TIERS)          # CPython and each tier
        assert len(ratio_row) == 1 + len(TIERS) - 1 + len(TIERS)   # vs cek, vs CPython
    assert doc["geomean"]["py/cek"]["programs"] == len(PROGRAMS)
    assert any(line.startswith("geometric mean") for line in lines)
    assert f"[{len(PROGRAMS)}/{len(PROGRAMS)}] " in err   # the progress display


def test_rounds_warm_ups_and_the_json_file(capsys, tmp_path):
    results = tmp_path / "r.json"
    code, out, _ = run_bench(capsys, "fib", "--tiers", "vm,py", "--peers", "none",
                             "--repeat", "3", "--warmup", "2", "--scale", "small",
                             "--json", str(results))
    assert code == 0
    doc = json.loads(results.read_text())
    (fib,) = doc["programs"]
    assert doc["warmup"] == 2 and doc["repeat"] == 3 and doc["peers"] == {}
    times = fib["results"]["py"]["times_ms"]
    assert len(times) == 3 and fib["results"]["py"]["median_ms"] == sorted(times)[1]
    assert set(fib["ratios"]) == {"py/vm"}
    assert "speed-up over vm" in out and PY not in out


def test_quick_means_small_inputs_and_three_rounds(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)   # the default results file lands here
    code, out, _ = run_bench(capsys, "tak", "--tiers", "cek", "--peers", "none", "--quick")
    assert code == 0
    assert out.startswith("sx bench: scale small, 3 rounds after 1 warm-up")
    assert json.loads((tmp_path / cli.DEFAULT_JSON).read_text())["scale"] == "small"


@pytest.mark.parametrize("argv", [
    ["fib", "--tiers", "cek,no-such-tier"],
    ["fib", "--tiers", "native"],
    ["fib", "--peers", "python,gambit"],
    ["fib", "--tiers", "cek,cek"],
    ["no-such-program"],
    ["fib", "--repeat", "0"],
    ["fib", "--warmup", "-1"],
    ["fib", "--scale", "huge"],
    ["--from", "x.json"],
    ["--no-such-option"],
    ["fib", "--guest", "no-such-guest"],
    ["no-such-guest:Bounce"],
])
def test_bad_command_lines_exit_2(argv, capsys):
    code, _, err = run_bench(capsys, *argv)
    assert code == 2
    assert "sx bench" in err


def _program(tmp_path, name, text):
    (tmp_path / f"{name}.sx").write_text(text)
    return ["--dir", str(tmp_path), "--tiers", "cek", "--peers", "none", "--repeat", "1",
            "--json", str(tmp_path / "out.json")]


def test_a_wrong_result_fails(tmp_path, capsys):
    argv = _program(tmp_path, "wrong", "(define size 3) (define small-size 2)\n"
                    "(define expected '((3 . 6) (2 . 4)))\n(define (run n) (* n 3))\n")
    code, _, err = run_bench(capsys, *argv, "--scale", "small")
    assert code == 1
    assert "wrong under cek returned 6, expected 4" in err


def test_an_error_in_run_fails_with_its_location(tmp_path, capsys):
    argv = _program(tmp_path, "broken", "(define size 1) (define small-size 1)\n"
                    "(define expected '((1 . 1)))\n(define (run n) (car n))\n")
    code, _, err = run_bench(capsys, *argv)
    assert code == 1
    assert "broken under cek, running:" in err
    assert "broken.sx:3:17: error: car: expected a pair, got 1" in err


@pytest.mark.parametrize("text, message", [
    ("(define size 1) (define (run n) 1)\n", "does not define `small-size`"),
    ("(define size 1) (define small-size 1) (define expected '((2 . 2)))\n(define (run n) n)\n",
     "no expected result for its full input"),
])
def test_an_incomplete_program_fails(tmp_path, capsys, text, message):
    code, _, err = run_bench(capsys, *_program(tmp_path, "incomplete", text))
    assert code == 1
    assert message in err


SMALL_PROGRAM = ("(define size 3) (define small-size 2)\n"
                 "(define expected '((3 . (6 \"six\")) (2 . (4 \"four\"))))\n"
                 "(define (run n) (list (* n 2) (if (= n 3) \"six\" \"four\")))\n")
GOOD_TWIN = ("SIZE = 3\nSMALL_SIZE = 2\nEXPECTED = {3: (6, 'six'), 2: (4, 'four')}\n"
             "def run(size):\n    return (size * 2, 'six' if size == 3 else 'four')\n")


def _with_twin(tmp_path, twin_text):
    programs, twins = tmp_path / "programs", tmp_path / "python"
    programs.mkdir()
    twins.mkdir()
    (programs / "double.sx").write_text(SMALL_PROGRAM)
    (twins / "double.py").write_text(twin_text)
    return ["--dir", str(programs), "--tiers", "cek", "--peers", "python", "--repeat", "1",
            "--scale", "small", "--json", str(tmp_path / "out.json")]


def test_a_twin_beside_the_programs_is_found(tmp_path, capsys):
    code, out, _ = run_bench(capsys, *_with_twin(tmp_path, GOOD_TWIN))
    assert code == 0
    assert f"time / {PY}" in out


@pytest.mark.parametrize("twin, message", [
    (GOOD_TWIN.replace("size * 2,", "size * 3,"),
     f"double under {PY} returned (6, 'four'), expected (4, 'four')"),
    (GOOD_TWIN.replace("'four')}", "'FOUR')}").replace("else 'four'", "else 'FOUR'"),
     "double: the Python twin's expected result (4 \"FOUR\") is not the SX program's "
     "(4 \"four\")"),
    (GOOD_TWIN.replace("SMALL_SIZE = 2", "SMALL_SIZE = 3"),
     "double: the Python twin's size 3 is not the SX program's 2"),
    (GOOD_TWIN.replace("2: (4, 'four')", "5: (4, 'four')"),
     "double: the Python twin has no EXPECTED entry for size 2"),
    (GOOD_TWIN.replace("return (", "return 1 // 0 + ("),
     f"double under {PY}, running: ZeroDivisionError"),
    (GOOD_TWIN.replace("def run", "def walk"), "does not define `run`"),
    ("SIZE = (\n", f"double under {PY}, loading"),
])
def test_a_wrong_twin_fails(tmp_path, capsys, twin, message):
    code, _, err = run_bench(capsys, *_with_twin(tmp_path, twin))
    assert code == 1
    assert message in err


def test_number_formats():
    assert [number(x) for x in (None, 1234.5, 35.24, 1.7, 0.5, 0.004)] == \
        ["-", "1234", "35.2", "1.70", "0.500", "0.004"]
    assert speedup(0.25) == "4.00x" and speedup(None) == "-"
    assert geometric_mean([2.0, 8.0]) == pytest.approx(4.0)


def test_to_sx():
    assert write_string(to_sx((1, "a\"b", [2, (3,)], (), True, 2.5))) == \
        '(1 "a\\"b" (2 (3)) () #t 2.5)'


# ---- peers ----------------------------------------------------------------------------------

def test_the_peer_script_drops_the_import_and_inlines_the_driver():
    body = peers.program_body(PROGRAMS["fib"])
    assert "(import" not in body and "(include" not in body
    assert "(define (bench-main)" in body and "(define (fib n)" in body


def test_a_peer_that_is_not_installed_is_skipped_with_a_note(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(peers.PEERS, "chez", peers.Peer(
        "chez", "Chez Scheme", ("no-such-scheme-binary",), "chez.ss", ".ss", ("--script",)))
    code, out, _ = run_bench(capsys, "fib", "--tiers", "vm", "--peers", "chez",
                             "--repeat", "1", "--scale", "small",
                             "--json", str(tmp_path / "r.json"))
    assert code == 0
    assert "chez: not installed: install them with `make bench-peers`" in out
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["peers"]["chez"]["ran"] is False and doc["contestants"] == ["vm"]


INSTALLED = [p for p in peers.PEERS if peers.PEERS[p].executable()]


@pytest.mark.skipif(not INSTALLED, reason="no peer Scheme installed (make bench-peers)")
def test_installed_peers_run_the_programs_and_check_them(capsys, tmp_path):
    results = tmp_path / "r.json"
    code, out, err = run_bench(capsys, "fib", "ctak", "--tiers", "py", "--peers",
                               ",".join(INSTALLED), "--repeat", "2", "--scale", "small",
                               "--json", str(results))
    assert code == 0, err
    doc = json.loads(results.read_text())
    for p in doc["programs"]:
        for peer in INSTALLED:
            r = p["results"][peer]
            assert r["kind"] == "peer" and len(r["times_ms"]) == 2, r
            assert p["ratios"][f"py/{peer}"] > 0
    assert "py time / peer" in out


@pytest.mark.skipif(not INSTALLED, reason="no peer Scheme installed (make bench-peers)")
@pytest.mark.parametrize("peer", INSTALLED)
def test_a_wrong_answer_under_a_peer_is_recorded_not_timed(tmp_path, peer):
    shutil.copy(os.path.join(PROGRAM_DIR, "driver.scm"), tmp_path)
    program = tmp_path / "off.sx"
    program.write_text("(import (scheme base))\n(define size 3) (define small-size 2)\n"
                       "(define expected '((3 . 28) (2 . 8)))\n"
                       "(define (run n) (* n n n))\n(include \"driver.scm\")\n")
    (outcome,) = measure("off", str(program), [], "full", 2, peers=[peer],
                         peer_dir=beside(PROGRAM_DIR, "peers"))
    assert outcome.times == []
    assert outcome.error.startswith(f"{peer} failed (exit 1): wrong result for size 3: 27")
    assert outcome.stats() == {"kind": "peer", "error": outcome.error}


# ---- the report -------------------------------------------------------------------------------

def test_the_report_renders_charts_from_real_results(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    results = tmp_path / "r.json"
    code, _, _ = run_bench(capsys, "fib", "tak", "--tiers", "cek,py", "--peers",
                           ",".join(["python"] + INSTALLED), "--repeat", "1", "--scale",
                           "small", "--json", str(results))
    assert code == 0
    out_dir = tmp_path / "report"
    code, out, _ = run_bench(capsys, "--from", str(results), "--report", str(out_dir))
    assert code == 0
    charts = ["vs-python.png", "vs-cek.png"] + (["vs-peers.png"] if INSTALLED else [])
    assert f"({len(charts)} charts)" in out
    page = (out_dir / "index.html").read_text()
    for chart in charts:
        assert (out_dir / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'<img src="{chart}"' in page
    assert "fib" in page and "tak" in page and 'href="results.json"' in page
    assert json.loads((out_dir / "results.json").read_text()) == json.loads(results.read_text())


# ---- the guests' benchmarks -------------------------------------------------------------------

GUEST_BENCHMARKS = [f"{g.name}:{b}" for g in all_guests() for b in g.benchmarks]


def test_the_guests_benchmarks_are_named_from_the_registry(capsys):
    assert GUEST_BENCHMARKS   # (SOM has some)
    code, out, _ = run_bench(capsys, "--list")
    assert code == 0 and out.splitlines() == [*PROGRAMS, *GUEST_BENCHMARKS]


@pytest.mark.parametrize("argv, guests", [
    ([], []),
    (["--guests"], [g.name for g in all_guests()]),
    (["--guest", all_guests()[0].name], [all_guests()[0].name]),
])
def test_guests_and_guest_add_the_guests_benchmarks(argv, guests):
    names = cli.select(cli.parse(["fib", *argv]), {"fib": "fib.sx", "tak": "tak.sx"})
    assert names == ["fib"] + [n for n in GUEST_BENCHMARKS if n.split(":")[0] in guests]


def test_a_guest_benchmark_runs_under_the_tiers(capsys, tmp_path):
    results = tmp_path / "g.json"
    name = GUEST_BENCHMARKS[0]
    code, _, err = run_bench(capsys, name, "--tiers", "py", "--peers", "python,chez",
                             "--repeat", "2", "--warmup", "0", "--scale", "small",
                             "--json", str(results))
    assert code == 0, err
    (program,) = json.loads(results.read_text())["programs"]
    # the SX tiers only: a guest's benchmark has no twin and no peer
    assert program["name"] == name and set(program["results"]) == {"py"}
    assert len(program["results"]["py"]["times_ms"]) == 2


def _fake_guest(monkeypatch, load_benchmark):
    import sx.guests
    fake = Guest(name="fake", command="fake", help="a fake guest", package="sx.guests",
                 add_arguments=lambda p: None, main=lambda rt, args: 0,
                 benchmarks={"Work": (1, 1)}, load_benchmark=load_benchmark)
    monkeypatch.setattr(sx.guests, "_guests", (fake,))


@pytest.mark.parametrize("load, message", [
    (lambda rt, name: (lambda inner: False),
     "fake:Work under cek: the benchmark did not verify"),
    (lambda rt, name: rt.eval_string("(car 1)"),
     "fake:Work under cek, loading: <eval>:1:1: error: car: expected a pair, got 1"),
    (lambda rt, name: (lambda inner: rt.eval_string("(vector-ref (vector) 0)")),
     "fake:Work under cek, running: <eval>:1:1: error: vector-ref: index out of range: 0"),
])
def test_a_guest_benchmark_that_fails_or_does_not_verify_fails(capsys, monkeypatch, tmp_path,
                                                               load, message):
    _fake_guest(monkeypatch, load)
    code, _, err = run_bench(capsys, "fake:Work", "--tiers", "cek", "--peers", "none",
                             "--repeat", "1", "--json", str(tmp_path / "out.json"))
    assert code == 1 and message in err


# ---- the perf-regression alarm -----------------------------------------------------------------

# Tier 2 silently stops compiling procedures: everything still computes the
# right answers (in the VM), only slower.
PLANTED_SLOWDOWN = "import sx.jit.tiering as t; t.TierManager.promote = lambda self, lam: None"


def bench_in_subprocess(plant, *argv):
    code = f"import sys; {plant}; from sx.bench.cli import main; sys.exit(main(sys.argv[1:]))"
    env = dict(os.environ, PYTHONPATH=SRC)
    env.pop("SX_TIER", None)
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)


@pytest.mark.timing
def test_the_alarm_goes_off_when_a_slowdown_is_planted_and_not_otherwise(tmp_path):
    baseline = str(tmp_path / "baseline.json")
    done = bench_in_subprocess("pass", "--record-baseline", "--baseline", baseline, "fib", "tak")
    assert done.returncode == 0, done.stderr
    recorded = json.loads(open(baseline).read())
    assert set(recorded["programs"]) == {"fib", "tak"} and recorded["limit"] == 2.0
    assert set(recorded["programs"]["fib"]) == {f"py/{PY}", "py/cek"}

    quiet = bench_in_subprocess("pass", "--check", "--baseline", baseline, "fib", "tak")
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    assert "sx bench --check: ok, 4 ratios within 2x of their references" in quiet.stdout

    alarm = bench_in_subprocess(PLANTED_SLOWDOWN, "--check", "--baseline", baseline,
                                "fib", "tak")
    assert alarm.returncode == 1, alarm.stdout + alarm.stderr
    assert "PERFORMANCE REGRESSION" in alarm.stdout
    for name in ("fib", "tak"):   # which program, which ratio, by how much
        assert re.search(rf"^  {name} py/cek: [0-9.]+, [0-9.]+x its reference [0-9.]+$",
                         alarm.stdout, re.MULTILINE), alarm.stdout


def test_the_recorded_baseline_covers_the_alarm_programs():
    from sx.bench import alarm
    recorded = json.loads(open(alarm.default_baseline(PROGRAM_DIR)).read())
    assert set(recorded["programs"]) == set(alarm.PROGRAMS)
    assert all(set(r) == set(alarm.RATIOS) for r in recorded["programs"].values())


@pytest.mark.parametrize("content, message", [
    (None, "cannot read the reference ratios"),
    ("{not json", "cannot read the reference ratios"),
    ('{"programs": {"fib": {"py/cek": 0.01}}}', "no reference ratios for fib"),
])
def test_the_alarm_without_usable_references_exits_2(tmp_path, capsys, content, message):
    baseline = tmp_path / "baseline.json"
    if content is not None:
        baseline.write_text(content)
    code, _, err = run_bench(capsys, "--check", "--baseline", str(baseline), "fib")
    assert code == 2
    assert message in err and "make bench-baseline" in err
