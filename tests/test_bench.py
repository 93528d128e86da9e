"""`sx bench` (src/sx/bench.py) on the small inputs of bench/programs."""

import json
import os

import pytest

from sx import bench
from sx.api import TIERS

PROGRAMS = ["closures", "fib", "lists", "tak"]


def test_programs_are_found():
    assert set(PROGRAMS) <= set(bench.available_programs(bench.default_program_dir()))


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
    for name in PROGRAMS:
        assert any(line.startswith(name) for line in out.splitlines())
    for tier in TIERS[1:]:
        assert f"{tier}/cek " in out
        assert f"geometric mean over 4 programs: {tier}/cek" in out
    doc = json.loads(report.read_text())
    assert doc["tiers"] == list(TIERS) and doc["scale"] == "small"
    assert [p["name"] for p in doc["programs"]] == PROGRAMS
    for p in doc["programs"]:
        assert set(p["median_ms"]) == set(TIERS)
        assert all(len(ts) == 1 for ts in p["times_ms"].values())
        assert set(p["ratio"]) == {f"{t}/cek" for t in TIERS[1:]}


@pytest.mark.parametrize("argv", [
    ["fib", "--tiers", "cek,no-such-tier"],
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


def test_ratio_text():
    assert bench.ratio_text("vm", "cek", 0.3125) == "vm/cek 0.31 (3.2x faster)"
    assert bench.ratio_text("vm", "cek", 2.0) == "vm/cek 2.00 (2.0x slower)"
    assert bench.ratio_text("vm", "cek", 1.0) == "vm/cek 1.00 (same)"
    assert bench.ratio_text("cek", "cek", 1.0) == "cek/cek 1.00 (baseline)"
