"""Timing one program under every contestant, side by side.

The machines this runs on are shared and noisy (±40% from one run to the
next), so absolute times are never compared across runs: every figure is a
ratio of two medians measured in the same run. The contestants' calls are
interleaved (A B C A B C ...) so that drift hits all of them alike, each
after its own warm-up, and the garbage collector is run before each timed
call so that one contestant's garbage is not collected on another's time.
"""

from __future__ import annotations

import gc
import math
import statistics
import tempfile
from dataclasses import dataclass, field

from . import peers as peer_mod
from .programs import BenchFailure, GuestInstance, GuestProgram, Instance, Twin


@dataclass
class Outcome:
    """What one contestant did on one program."""
    label: str
    kind: str                       # "tier", "python" or "peer"
    times: list[float] = field(default_factory=list)   # seconds per timed call
    error: str | None = None        # why a peer could not run it

    def stats(self) -> dict:
        if self.error is not None:
            return {"kind": self.kind, "error": self.error}
        ms = [t * 1000 for t in self.times]
        return {"kind": self.kind, "times_ms": ms, "median_ms": statistics.median(ms),
                "min_ms": min(ms), "max_ms": max(ms)}


def contestants(name: str, path: str | GuestProgram, tiers: list[str], scale: str,
                twin_path: str | None, peers: list[str], peer_dir: str, work_dir: str,
                warmup: int) -> list:
    """The SX instances (one per tier), the twin and the peers' runners.
    A peer that cannot even prepare the program is an Outcome with its error.
    A guest's benchmark (a GuestProgram instead of a path) runs under the SX
    tiers and the guest's own peers (the Scheme peers run Scheme only)."""
    if isinstance(path, GuestProgram):
        instances = [GuestInstance(name, path, tier, scale) for tier in tiers]
        guest, benchmark = path
        inner = guest.benchmarks[benchmark][0 if scale == "full" else 1]
        for p in peers:
            if p in guest.peers:
                try:
                    instances.append(guest.load_peer(p, benchmark, inner, work_dir))
                except Exception as e:  # noqa: BLE001 - a peer failing is its outcome
                    instances.append(Outcome(p, "peer", error=str(e)))
        return instances
    instances: list = [Instance(name, path, tier, scale) for tier in tiers]
    if twin_path is not None:
        twin = Twin(name, twin_path, scale)
        twin.check_against(instances[0])
        instances.insert(0, twin)
    for p in peers:
        peer = peer_mod.PEERS[p]
        try:
            instances.append(peer_mod.PeerProgram(peer, name, path, scale, peer_dir,
                                                  work_dir, warmup))
        except (OSError, peer_mod.PeerFailure) as e:
            instances.append(Outcome(peer.name, "peer", error=str(e)))
    return instances


def measure(name: str, path: str | GuestProgram, tiers: list[str], scale: str, repeat: int,
            warmup: int = 1, twin_path: str | None = None, peers: list[str] = (),
            peer_dir: str = "", progress=None) -> list[Outcome]:
    """Time the program: `repeat` rounds of one timed call per contestant.
    An SX tier or the twin failing raises BenchFailure; a peer failing is
    recorded in its Outcome and leaves the remaining rounds."""
    with tempfile.TemporaryDirectory(prefix="sx-bench-") as work_dir:
        runners = contestants(name, path, tiers, scale, twin_path, list(peers), peer_dir,
                              work_dir, warmup)
        outcomes = [r if isinstance(r, Outcome) else Outcome(r.label, r.kind) for r in runners]
        for r in runners:
            if not isinstance(r, Outcome):
                r.warm_up(warmup)
        for round_no in range(repeat):
            for r, out in zip(runners, outcomes):
                if out.error is not None:
                    continue
                if progress:
                    progress(round_no, out.label)
                gc.collect()
                try:
                    out.times.append(r.sample())
                except peer_mod.PeerFailure as e:
                    out.error = str(e)
    return outcomes


# ---- ratios ---------------------------------------------------------------------------------

def ratio(a: dict, b: dict, key: str = "median_ms") -> float | None:
    """a's time over b's (how many times as long a takes), None if either is missing."""
    if "error" in a or "error" in b or not b[key] > 0:
        return None
    return a[key] / b[key]


def program_ratios(results: dict, tiers: list[str], others: list[str],
                   key: str = "median_ms") -> dict[str, float]:
    """`T/base` for every tier T after the first (the baseline), and `T/O`
    for every tier T and every other contestant O (the twin, the peers)."""
    out = {}
    base = tiers[0]
    for t in tiers:
        if t not in results:
            continue
        pairs = ([base] if t != base else []) + [o for o in others if o in results]
        for o in pairs:
            r = ratio(results[t], results[o], key)
            if r is not None:
                out[f"{t}/{o}"] = r
    return out


def geometric_mean(xs: list[float]) -> float:
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def geomeans(programs: list[dict]) -> dict[str, dict]:
    """Per ratio key, its geometric mean over the programs that have it."""
    keys: dict[str, list[float]] = {}
    for p in programs:
        for k, r in p["ratios"].items():
            if r > 0 and math.isfinite(r):
                keys.setdefault(k, []).append(r)
    return {k: {"value": geometric_mean(rs), "programs": len(rs)} for k, rs in keys.items()}

