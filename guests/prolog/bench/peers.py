"""The Prolog benchmarks (guests/prolog/bench/NAME.pl) under SWI-Prolog and
GNU Prolog, the peers the Prolog guest will be compared with.

The design follows the Scheme peers of `sx bench` (src/sx/bench/peers.py):
a peer is looked up on PATH and skipped with a note when absent, the
program runs in a subprocess as one generated script (the benchmark's text
followed by a small driver), and the driver times the work inside the
peer's process and prints the time, so start-up and compilation are not
timed. A benchmark file defines bench(N), which runs N iterations and
fails if the answer does not verify; the driver calls bench(1) once as a
warm-up, then times bench(N) with the peer's own clocks (SWI: get_time/1
and statistics(cputime, _); GNU: statistics(real_time, _) and
statistics(cpu_time, _), in milliseconds) and prints one line:

    plbench ok(WallSeconds, CpuSeconds) | plbench failed | plbench error(Ball)

GNU Prolog runs natively compiled: gplc turns the script into an
executable in a temporary directory (removed afterwards), which is what a
GNU Prolog user benchmarks with; `gprolog --consult-file` would run
byte code, about 2-3x slower. Without gplc (or when it cannot compile,
e.g. no C toolchain) it falls back to consulting, and the result says so.

`sx bench` runs it through the guest registry (the Prolog guest's
load_peer and peer_version, guests/prolog/__init__.py); the interface
mirrors the Scheme side: PEERS, Peer.executable(), version() (sx bench's
own), PeerFailure, INSTALL_HINT, and PrologPeerProgram with warm_up() and
sample() as measure.py expects of a contestant.

    time_benchmark(peer, name, iterations) -> PeerTiming   (never raises)
    run_benchmark(peer, name, iterations) -> PeerTiming    (raises PeerFailure)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass

# A peer could not run a benchmark, or the benchmark failed under it: the
# Scheme peers' exception, which sx bench knows.
from sx.bench.peers import PeerFailure, first_on_path
from sx.bench.peers import version as scheme_peer_version

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))

# The benchmarks: name -> iterations of bench(N) per timed call, at the full
# and the small scale (the same shape as a guest's BENCHMARKS table). One
# iteration takes roughly 5-50 ms under swipl.
BENCHMARKS = {
    "nrev": (20, 2), "qsort": (20, 2), "deriv": (20, 2), "poly_10": (20, 2),
    "queens_8": (20, 2), "tak": (20, 2), "crypt": (20, 2), "zebra": (20, 2),
    "primes": (20, 2), "query": (20, 2), "browse": (20, 2),
}

# Longest one peer process may take (compilation excluded).
PEER_TIMEOUT = 600

INSTALL_HINT = ("install them with `make prolog-peers` "
                "(Debian packages swi-prolog-nox and gprolog)")


@dataclass(frozen=True)
class Peer:
    name: str
    title: str                     # what the implementation is called
    commands: tuple[str, ...]      # executables to look for, in order

    def executable(self) -> str | None:
        return first_on_path(self.commands)


PEERS = {
    "swipl": Peer("swipl", "SWI-Prolog", ("swipl",)),
    "gprolog": Peer("gprolog", "GNU Prolog", ("gprolog",)),
}


@dataclass(frozen=True)
class PeerTiming:
    """What came of one run. seconds is None when there is no time to
    report (not installed, an error, or an answer that did not verify), and
    reason then says why."""
    peer: str
    name: str
    iterations: int
    seconds: float | None          # wall-clock seconds per iteration
    cpu_seconds: float | None      # CPU seconds per iteration
    verified: bool
    reason: str = ""
    mode: str = ""                 # how it ran: "swipl", "gplc native", "gprolog consult"


# ---- the script a peer runs ------------------------------------------------------------

# The driver, in ISO Prolog but for plbench_clock/2 (each peer's own clocks).
# It never lets an exception or a failure escape: it says what happened
# on stdout and halts, so the exit status only tells of crashes.
_DRIVER = """
plbench_main :-
    plbench_iterations(N),
    plbench_call(bench(1), Warm),
    (   Warm == ok
    ->  plbench_clock(W0, C0),
        plbench_call(bench(N), Result),
        plbench_clock(W1, C1),
        (   Result == ok
        ->  W is W1 - W0, C is C1 - C0,
            plbench_say(ok(W, C))
        ;   plbench_say(Result)
        )
    ;   plbench_say(Warm)
    ),
    halt(0).

plbench_call(G, R) :-
    catch((call(G) -> R = ok ; R = failed), E, R = error(E)).

plbench_say(T) :- write('plbench '), writeq(T), nl.
"""

_CLOCKS = {
    "swipl": "plbench_clock(W, C) :- get_time(W), statistics(cputime, C).\n",
    "gprolog": ("plbench_clock(W, C) :-\n"
                "    statistics(real_time, [Wms|_]), statistics(cpu_time, [Cms|_]),\n"
                "    W is Wms / 1000, C is Cms / 1000.\n"),
}


def benchmark_path(name: str, bench_dir: str = BENCH_DIR) -> str:
    return os.path.join(bench_dir, name + ".pl")


def write_script(peer: Peer, path: str, iterations: int, out_dir: str) -> str:
    """The benchmark's text, the driver and the iteration count, as one file
    in out_dir (one file: no include or load path to go wrong); its path."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    name = os.path.splitext(os.path.basename(path))[0]
    script = os.path.join(out_dir, f"{name}_{peer.name}.pl")
    with open(script, "w", encoding="utf-8") as fh:
        fh.write(text + "\n" + _DRIVER + _CLOCKS[peer.name]
                 + f"plbench_iterations({int(iterations)}).\n")
        if peer.name == "gprolog":
            # gplc executables and a consult both run this after loading
            fh.write(":- initialization(plbench_main).\n")
    return script


def _compile_gplc(script: str, out_dir: str) -> str | None:
    """The native executable gplc makes of script, or None when gplc is
    missing or fails (then the caller consults instead)."""
    gplc = shutil.which("gplc")
    if gplc is None:
        return None
    exe = os.path.splitext(script)[0]
    try:
        done = subprocess.run([gplc, "--no-top-level", "--temp-dir", out_dir, "-o", exe, script],
                              capture_output=True, text=True, timeout=PEER_TIMEOUT,
                              stdin=subprocess.DEVNULL, cwd=out_dir)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return exe if done.returncode == 0 and os.path.exists(exe) else None


def command(peer: Peer, script: str, out_dir: str) -> tuple[list[str], str]:
    """(argv, mode) that runs the script under the peer."""
    exe = peer.executable()
    if exe is None:
        raise PeerFailure(f"{peer.name} is not installed: {INSTALL_HINT}")
    if peer.name == "swipl":
        # -f none: no user init file; -t halt(2) only if the driver did not halt
        return [exe, "-f", "none", "-q", "-g", "plbench_main", "-t", "halt(2)", script], "swipl"
    native = _compile_gplc(script, out_dir)
    if native is not None:
        return [native], "gplc native"
    return [exe, "--consult-file", script], "gprolog consult"


# ---- running it ------------------------------------------------------------------------

_LINE = re.compile(r"^plbench (.*)$")
_OK = re.compile(r"^ok\(([-0-9.eE+]+),([-0-9.eE+]+)\)$")


def run_command(peer: Peer, argv: list[str], mode: str, name: str, iterations: int) -> PeerTiming:
    """Run one prepared command; a PeerTiming (verified or not), or
    PeerFailure when the peer crashed or printed no result."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=PEER_TIMEOUT,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise PeerFailure(f"{peer.name} took more than {PEER_TIMEOUT} s") from None
    results = [m.group(1) for m in map(_LINE.match, done.stdout.splitlines()) if m]
    if not results:
        why = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        raise PeerFailure(f"{peer.name} failed (exit {done.returncode}): "
                          f"{why[-1] if why else 'no output'}")
    result = results[-1]
    m = _OK.match(result)
    if m:
        wall, cpu = float(m.group(1)), float(m.group(2))
        return PeerTiming(peer.name, name, iterations, wall / iterations, cpu / iterations,
                          True, "", mode)
    reason = ("bench/1 failed: the answer did not verify" if result == "failed"
              else f"bench/1 raised {result[6:-1] if result.startswith('error(') else result}")
    return PeerTiming(peer.name, name, iterations, None, None, False, reason, mode)


def run_benchmark(peer: Peer | str, name: str, iterations: int, bench_dir: str = BENCH_DIR,
                  work_dir: str | None = None) -> PeerTiming:
    """Time bench(iterations) of bench_dir/NAME.pl under the peer (after a
    bench(1) warm-up in the same process). A benchmark that ran but did not
    verify is a PeerTiming with verified False; PeerFailure when the peer is
    not installed, crashed or printed nothing."""
    peer = PEERS[peer] if isinstance(peer, str) else peer
    if iterations < 1:
        raise ValueError("iterations must be at least 1")
    path = benchmark_path(name, bench_dir)
    if not os.path.exists(path):
        raise PeerFailure(f"no benchmark {path}")
    if peer.executable() is None:
        raise PeerFailure(f"{peer.name} is not installed: {INSTALL_HINT}")
    if work_dir is not None:
        script = write_script(peer, path, iterations, work_dir)
        return run_command(peer, *command(peer, script, work_dir), name, iterations)
    with tempfile.TemporaryDirectory(prefix="plbench-") as tmp:
        script = write_script(peer, path, iterations, tmp)
        return run_command(peer, *command(peer, script, tmp), name, iterations)


def time_benchmark(peer: Peer | str, name: str, iterations: int,
                   bench_dir: str = BENCH_DIR) -> PeerTiming:
    """run_benchmark that never raises: a peer that is not installed or
    fails gives seconds None and the reason."""
    peer_name = peer if isinstance(peer, str) else peer.name
    try:
        return run_benchmark(peer, name, iterations, bench_dir)
    except PeerFailure as e:
        return PeerTiming(peer_name, name, iterations, None, None, False, str(e))


class PrologPeerProgram:
    """A benchmark under a peer as `sx bench`'s measure loop wants a
    contestant: the script is written (and for GNU Prolog compiled) once in
    work_dir; each sample is one process that warms up with bench(1) and
    times bench(iterations). sample() returns the seconds of that timed
    call (as a guest benchmark's sample times its inner iterations), and
    raises PeerFailure when the answer did not verify."""

    kind = "peer"

    def __init__(self, peer: Peer, name: str, path: str, iterations: int, work_dir: str) -> None:
        self.peer, self.name, self.label = peer, name, peer.name
        self.iterations = iterations
        script = write_script(peer, path, iterations, work_dir)
        self.argv, self.mode = command(peer, script, work_dir)

    def warm_up(self, n: int) -> None:
        """Nothing: every sample's process warms itself up."""

    def sample(self) -> float:
        t = run_command(self.peer, self.argv, self.mode, self.name, self.iterations)
        if not t.verified:
            raise PeerFailure(f"{self.peer.name}: {t.reason}")
        return t.seconds * self.iterations


def version(peer: Peer | str) -> str | None:
    """`Title x.y.z` from what the peer prints about its version, None if it
    is not installed (as sx bench asks the Scheme peers)."""
    return scheme_peer_version(PEERS[peer] if isinstance(peer, str) else peer)


def main(argv: list[str]) -> int:
    """python peers.py [NAME...] [-n N]: a table of ms per iteration."""
    names = [a for a in argv if not a.startswith("-") and not a.isdigit()] or list(BENCHMARKS)
    n = int(argv[argv.index("-n") + 1]) if "-n" in argv else None
    for peer in PEERS.values():
        print(f"# {version(peer) or peer.name + ': not installed'}")
    print(f"{'benchmark':<10} {'N':>4} " + " ".join(f"{p:>16}" for p in PEERS))
    for name in names:
        iterations = n or BENCHMARKS[name][0]
        cells = []
        for peer in PEERS:
            t = time_benchmark(peer, name, iterations)
            cells.append(f"{t.seconds * 1000:13.2f} ms" if t.seconds is not None
                         else f"{'FAIL' if t.reason else '-':>16}")
            if t.reason:
                print(f"  {peer} {name}: {t.reason}", file=sys.stderr)
        print(f"{name:<10} {iterations:>4} " + " ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
