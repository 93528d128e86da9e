"""The Prolog guest's benchmarks (guests/prolog/bench/*.pl) and their peer
runner (guests/prolog/bench/peers.py).

1. Every benchmark verifies under SWI-Prolog and under GNU Prolog (gplc
   native), through the runner, with bench(1) after the warm-up: the same
   text runs unchanged in both. A peer that is not installed skips its
   tests with the make target that installs it.
2. The checks bite: a temporary copy of each benchmark with its expected
   answer (or one rule) changed makes bench/1 fail, and the runner reports
   it as not verified, with no time.
3. The runner: a missing peer and an exception are reported with a reason,
   never raised by time_benchmark; PrologPeerProgram samples as sx bench's
   contestants do.

Each peer process takes a fraction of a second (gplc compiling about a
second), so these run in the default `make test`.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "guests", "prolog", "bench")

# peers.py is a stand-alone module beside the benchmarks (not a package).
_spec = importlib.util.spec_from_file_location("prolog_bench_peers", os.path.join(BENCH, "peers.py"))
peers = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = peers      # dataclasses look their module up there
_spec.loader.exec_module(peers)

NAMES = sorted(f[:-3] for f in os.listdir(BENCH) if f.endswith(".pl"))

# For each benchmark, a change that makes the answer it expects wrong (or,
# for deriv, whose check is numerical, a derivative rule wrong).
BREAK = {
    "nrev": ("nrev_countdown(R, 30)", "nrev_countdown(R, 29)"),
    "qsort": ("qs_last(S, 9992)", "qs_last(S, 9991)"),
    "deriv": ("dv_d(U * V, X, DU * V + U * DV)", "dv_d(U * V, X, DU * V - U * DV)"),
    "poly_10": ("1048576)", "1048577)"),
    "queens_8": ("qn_length(Qs, 0, 92)", "qn_length(Qs, 0, 91)"),
    "tak": ("A =:= 7", "A =:= 8"),
    "crypt": ("348 * 28 = 9744", "348 * 28 = 9745"),
    "zebra": ("ZebraOwner == japanese", "ZebraOwner == english"),
    "primes": ("pr_count_sum(Ps, 0, 1229,", "pr_count_sum(Ps, 0, 1228,"),
    "query": ("alder-rowan]", "rowan-alder]"),
    "browse": ("Count =:= 232", "Count =:= 233"),
}


def need(peer: str) -> None:
    if peers.PEERS[peer].executable() is None:
        pytest.skip(f"{peer} not installed: make prolog-peers")


def test_the_classic_set_is_there():
    assert NAMES == sorted(peers.BENCHMARKS) == sorted(BREAK)
    assert len(NAMES) == 11


@pytest.mark.parametrize("name", NAMES)
def test_each_file_is_plain_and_documented(name):
    with open(os.path.join(BENCH, name + ".pl"), encoding="utf-8") as fh:
        text = fh.read()
    assert text.startswith(f"% {name}: ")
    assert "Measures:" in text and "Verifies:" in text
    assert re.search(r"^bench\(N\) :-", text, re.MULTILINE)
    for banned in ("format(", ":- module", ":- use_module", "between(1", "append(", "member("):
        # between/3, append/3, member/2 are library or built-in in one of the
        # two: each file defines its own, with a prefix
        assert not re.search(r"(?<![a-z_])" + re.escape(banned), text), banned


@pytest.mark.parametrize("peer", sorted(peers.PEERS))
@pytest.mark.parametrize("name", NAMES)
def test_the_benchmark_verifies_under_the_peer(name, peer):
    need(peer)
    t = peers.run_benchmark(peer, name, 1)
    assert t.verified and t.reason == "", t
    assert t.seconds is not None and 0 < t.seconds < 5
    assert t.mode == ("swipl" if peer == "swipl" else "gplc native")


@pytest.mark.parametrize("peer", sorted(peers.PEERS))
@pytest.mark.parametrize("name", NAMES)
def test_a_wrong_answer_makes_bench_fail(name, peer, tmp_path):
    need(peer)
    with open(os.path.join(BENCH, name + ".pl"), encoding="utf-8") as fh:
        text = fh.read()
    old, new = BREAK[name]
    assert text.count(old) == 1, old
    (tmp_path / (name + ".pl")).write_text(text.replace(old, new), encoding="utf-8")
    t = peers.time_benchmark(peer, name, 1, bench_dir=str(tmp_path))
    assert not t.verified and t.seconds is None
    assert t.reason == "bench/1 failed: the answer did not verify"


@pytest.mark.parametrize("peer", sorted(peers.PEERS))
def test_an_exception_is_reported_not_timed(peer, tmp_path):
    need(peer)
    (tmp_path / "boom.pl").write_text("bench(_) :- X is foo + 1, X > 0.\n", encoding="utf-8")
    t = peers.time_benchmark(peer, "boom", 3, bench_dir=str(tmp_path))
    assert not t.verified and t.seconds is None
    assert t.reason.startswith("bench/1 raised error(type_error(evaluable,foo/0)")


def test_a_peer_that_is_not_installed_gives_none_and_the_reason(monkeypatch):
    monkeypatch.setitem(peers.PEERS, "swipl",
                        peers.Peer("swipl", "SWI-Prolog", ("no-such-prolog-xyz",)))
    t = peers.time_benchmark("swipl", "tak", 1)
    assert t.seconds is None and not t.verified
    assert t.reason == "swipl is not installed: " + peers.INSTALL_HINT
    assert "make prolog-peers" in t.reason
    assert peers.version("swipl") is None


def test_the_peer_program_samples_like_a_contestant(tmp_path):
    need("swipl")
    program = peers.PrologPeerProgram(peers.PEERS["swipl"], "tak",
                                      os.path.join(BENCH, "tak.pl"), 2, str(tmp_path))
    assert program.kind == "peer" and program.label == "swipl"
    program.warm_up(3)
    assert 0 < program.sample() < 10
    assert peers.version("swipl").startswith("SWI-Prolog 9")


@pytest.mark.skipif(shutil.which("gplc") is None, reason="gplc not installed: make prolog-peers")
def test_gprolog_without_gplc_consults(monkeypatch):
    need("gprolog")
    real_which = shutil.which
    monkeypatch.setattr(peers.shutil, "which",
                        lambda cmd: None if cmd == "gplc" else real_which(cmd))
    t = peers.run_benchmark("gprolog", "tak", 1)
    assert t.verified and t.mode == "gprolog consult"
