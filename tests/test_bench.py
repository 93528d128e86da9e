"""`sx bench` (src/sx/bench.py) on the small inputs of bench/programs."""

import json
import os

import pytest

from sx import bench
from sx.api import TIERS
from sx.printer import write_string
from sx.runtime.equality import equal

PROGRAMS = ["ack", "closures", "fib", "lists", "nqueens", "strings", "tak"]
PY = bench.PYTHON_LABEL


def test_programs_are_found():
    assert set(PROGRAMS) <= set(bench.available_programs(bench.default_program_dir()))


def _twin_dir():
    return bench.default_python_dir(bench.default_program_dir())


def test_every_program_has_a_python_twin():
    programs = bench.available_programs(bench.default_program_dir())
    assert set(bench.available_twins(_twin_dir())) == set(programs)


@pytest.mark.parametrize("scale", bench.SCALES)
@pytest.mark.parametrize("name", PROGRAMS)
def test_twin_agrees_with_the_sx_program(name, scale):
    inst = bench.Instance(name, bench.available_programs(bench.default_program_dir())[name],
                          "cek", scale)
    twin = bench.Twin(name, bench.available_twins(_twin_dir())[name], scale)
    assert equal(bench.to_sx(twin.size), inst.size), (twin.size, write_string(inst.size))
    assert equal(bench.to_sx(twin.expected), inst.expected), \
        (write_string(bench.to_sx(twin.expected)), write_string(inst.expected))
    twin.check_against(inst)
    assert twin.call() >= 0  # runs the twin at this size and checks its result


def test_to_sx():
    assert write_string(bench.to_sx((1, "a\"b", [2, (3,)], (), True, 2.5))) == \
        '(1 "a\\"b" (2 (3)) () #t 2.5)'


def test_one_program_one_tier(capsys):
    assert bench.main(["fib", "--tiers", "cek", "--repeat", "1", "--quick", "--scale", "small"]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("fib")]
    assert len(rows) == 1
    assert "cek/cek 1.00 (baseline)" in rows[0]
    assert "scale small, 1 timed run per tier" in out


def test_scale_from_environment(capsys, monkeypatch):
    monkeypatch.setenv("SX_BENCH_SCALE", "small")
    assert bench.main(["tak", "--tiers", "cek", "--quick"]) == 0
    assert "scale small, 2 timed runs" in capsys.readouterr().out


def test_every_program_under_every_tier(capsys, tmp_path):
    report = tmp_path / "bench.json"
    assert bench.main([*PROGRAMS, "--tiers", ",".join(TIERS), "--repeat", "1", "--scale", "small",
                       "--json", str(report)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert f"tiers interleaved ({PY} {' '.join(TIERS)})" in lines[0]
    assert lines[1].rstrip().endswith(f"vs {PY}")
    for name in PROGRAMS:
        assert any(line.startswith(name) for line in lines)
    n = len(PROGRAMS)
    assert sum(1 for line in lines if line.split()[:1] == [PY]) == n
    for tier in TIERS[1:]:
        assert f"{tier}/cek " in out
        assert f"geometric mean over {n} programs: {tier}/cek" in out
    for tier in TIERS:
        assert sum(1 for line in lines if f"  {tier}/{PY} " in line) == n
        assert f"geometric mean over {n} programs with a Python twin: {tier}/{PY} " in out
    doc = json.loads(report.read_text())
    assert doc["tiers"] == list(TIERS) and doc["scale"] == "small"
    assert [p["name"] for p in doc["programs"]] == PROGRAMS
    for p in doc["programs"]:
        assert set(p["median_ms"]) == set(TIERS)
        assert all(len(ts) == 1 for ts in p["times_ms"].values())
        assert set(p["ratio"]) == {f"{t}/cek" for t in TIERS[1:]}
        assert p["python_twin"]["label"] == PY and len(p["python_twin"]["times_ms"]) == 1
        assert p["python_twin"]["file"].endswith(f"{p['name']}.py")
        assert set(p["ratio_to_python"]) == {f"{t}/{PY}" for t in TIERS}
    twins = doc["python_twins"]
    assert twins["enabled"] and twins["label"] == PY and twins["programs"] == PROGRAMS
    assert set(twins["geomean_ratio"]) == {f"{t}/{PY}" for t in TIERS}


def test_quick_run_with_the_python_column(capsys):
    assert bench.main(["fib", "strings", "--tiers", "cek", "--quick", "--scale", "small"]) == 0
    out = capsys.readouterr().out
    assert "scale small, 2 timed runs per tier" in out
    assert f"tiers interleaved ({PY} cek)" in out
    assert f"cek/{PY} " in out
    assert f"geometric mean over 2 programs with a Python twin: cek/{PY} " in out


def test_no_python(capsys, tmp_path):
    report = tmp_path / "bench.json"
    assert bench.main(["tak", "fib", "--tiers", "cek", "--repeat", "1", "--scale", "small",
                       "--no-python", "--json", str(report)]) == 0
    out = capsys.readouterr().out
    assert PY not in out
    assert "tiers interleaved (cek)" in out
    doc = json.loads(report.read_text())
    assert doc["python_twins"]["enabled"] is False and doc["python_twins"]["programs"] == []
    assert all(p["python_twin"] is None for p in doc["programs"])


@pytest.mark.parametrize("argv", [
    ["fib", "--tiers", "cek,no-such-tier"],
    ["fib", "--python-dir", "/no/such/directory"],
    ["fib", "--no-python=yes"],
    ["fib", "--tiers", "cek,cek"],
    ["no-such-program"],
    ["fib", "--repeat", "0"],
    ["fib", "--scale", "huge"],
    ["--no-such-option"],
])
def test_bad_command_lines_exit_2(argv, capsys):
    assert bench.main(argv) == 2
    assert "sx bench" in capsys.readouterr().err


def _write(tmp_path, name, text):
    (tmp_path / f"{name}.sx").write_text(text)
    return str(tmp_path)


def test_a_wrong_result_fails(tmp_path, capsys):
    d = _write(tmp_path, "wrong",
               "(define size 3) (define small-size 2)\n"
               "(define expected '((3 . 6) (2 . 4)))\n"
               "(define (run) (* size 3))\n")
    assert bench.main(["--dir", d, "--tiers", "cek", "--repeat", "1", "--scale", "small"]) == 1
    assert "wrong under cek returned 6, expected 4" in capsys.readouterr().err


def test_an_error_in_run_fails_with_its_location(tmp_path, capsys):
    d = _write(tmp_path, "broken",
               "(define size 1) (define expected '((1 . 1)))\n"
               "(define (run) (car size))\n")
    assert bench.main(["--dir", d, "--tiers", "cek", "--repeat", "1"]) == 1
    err = capsys.readouterr().err
    assert "broken under cek, running:" in err
    assert "broken.sx:2:15: error: car: expected a pair, got 1" in err


def test_missing_protocol_variable_fails(tmp_path, capsys):
    d = _write(tmp_path, "incomplete", "(define size 1) (define (run) 1)\n")
    assert bench.main(["--dir", d, "--tiers", "cek", "--repeat", "1"]) == 1
    assert "does not define `expected`" in capsys.readouterr().err


SMALL_PROGRAM = ("(define size 3) (define small-size 2)\n"
                 "(define expected '((3 . (6 \"six\")) (2 . (4 \"four\"))))\n"
                 "(define (run) (list (* size 2) (if (= size 3) \"six\" \"four\")))\n")


def _with_twin(tmp_path, twin_text):
    programs, twins = tmp_path / "programs", tmp_path / "python"
    programs.mkdir()
    twins.mkdir()
    (programs / "double.sx").write_text(SMALL_PROGRAM)
    (twins / "double.py").write_text(twin_text)
    return ["--dir", str(programs), "--tiers", "cek", "--repeat", "1", "--scale", "small"]


GOOD_TWIN = ("SIZE = 3\nSMALL_SIZE = 2\nEXPECTED = {3: (6, 'six'), 2: (4, 'four')}\n"
             "def run(size):\n    return (size * 2, 'six' if size == 3 else 'four')\n")


def test_a_twin_beside_the_programs_is_found(tmp_path, capsys):
    assert bench.main(_with_twin(tmp_path, GOOD_TWIN)) == 0
    assert f"cek/{PY} " in capsys.readouterr().out


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
    assert bench.main(_with_twin(tmp_path, twin)) == 1
    assert message in capsys.readouterr().err


def test_python_ratio_text():
    assert bench.python_ratio_text("vm", 35.24) == f"vm/{PY} 35.2"
    assert bench.python_ratio_text("py", 1.7) == f"py/{PY} 1.7"
    assert bench.python_ratio_text("cek", 150.4) == f"cek/{PY} 150"
    assert bench.python_ratio_text("py", 0.5) == f"py/{PY} 0.50"


def test_ratio_text():
    assert bench.ratio_text("vm", "cek", 0.3125) == "vm/cek 0.31 (3.2x faster)"
    assert bench.ratio_text("vm", "cek", 2.0) == "vm/cek 2.00 (2.0x slower)"
    assert bench.ratio_text("vm", "cek", 1.0) == "vm/cek 1.00 (same)"
    assert bench.ratio_text("cek", "cek", 1.0) == "cek/cek 1.00 (baseline)"
