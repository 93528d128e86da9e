"""`sx bench`: the command line.

    sx bench [NAMES...] [--tiers cek,vm,py,auto] [--peers python,chez,guile,racket]
             [--quick] [--repeat N] [--warmup N] [--scale full|small]
             [--json FILE] [--report DIR] [--from FILE] [--dir DIR] [--list]
             [--guests] [--guest GUEST]...
    sx bench --check [--baseline FILE]      the perf-regression alarm (alarm.py)
    sx bench --record-baseline [--baseline FILE]

The guest languages' benchmarks (from the guest registry, sx.guests) are
named GUEST:NAME, e.g. som:Richards; they run under SX's tiers only.

Exit status: 0; 1 if a program computes a wrong result or fails under an
SX tier or its Python twin (a peer failing is only reported), or the
alarm goes off; 2 for a bad command line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time

from . import peers as peer_mod
from .host import machine_info, sx_version
from .measure import geomeans, measure, program_ratios
from .programs import (PYTHON_LABEL, SCALES, BenchFailure, GuestProgram, available, beside,
                       default_program_dir, guest_programs)
from .table import failures, ratio_table, times_table

DEFAULT_REPEAT = 5
QUICK_REPEAT = 3
DEFAULT_JSON = "sx-bench.json"
ALL_PEERS = ("python",) + tuple(peer_mod.PEERS)


class Usage(Exception):
    """A bad command line (exit status 2)."""


def parse(argv: list[str]) -> argparse.Namespace:
    from ..api import TIERS
    p = argparse.ArgumentParser(
        prog="sx bench",
        description="Time the benchmark programs under SX's tiers, their CPython twins and "
                    "other Schemes, side by side, and print the ratios.")
    p.add_argument("names", nargs="*", metavar="NAME",
                   help="programs to run (default: all of them)")
    p.add_argument("--tiers", default=None,
                   help=f"comma-separated SX tiers, the first is the baseline "
                        f"(default: {','.join(TIERS)})")
    p.add_argument("--peers", default=None,
                   help=f"comma-separated peers, or `none` (default: {','.join(ALL_PEERS)}; "
                        f"`python` is each program's CPython twin; a peer that is not "
                        f"installed is skipped with a note)")
    p.add_argument("--quick", action="store_true",
                   help=f"small inputs and {QUICK_REPEAT} rounds (everything in a few minutes)")
    p.add_argument("--repeat", type=int, default=None, metavar="N",
                   help=f"timed rounds (default {DEFAULT_REPEAT}, {QUICK_REPEAT} with --quick)")
    p.add_argument("--warmup", type=int, default=1, metavar="N",
                   help="untimed calls before the first timed one (default 1)")
    p.add_argument("--scale", choices=SCALES, default=None,
                   help="input sizes: full (default, or $SX_BENCH_SCALE) or small "
                        "(the default with --quick)")
    p.add_argument("--json", metavar="FILE", default=None,
                   help=f"where to write the results (default {DEFAULT_JSON})")
    p.add_argument("--report", metavar="DIR",
                   help="also write an HTML report with charts, and the JSON, into DIR")
    p.add_argument("--from", dest="from_json", metavar="FILE",
                   help="make the --report from an earlier run's JSON instead of running")
    p.add_argument("--dir", default=None, help="where the programs are (default: bench/programs)")
    p.add_argument("--list", action="store_true", help="list the programs and exit")
    p.add_argument("--guests", action="store_true",
                   help="also run every guest language's benchmarks (GUEST:NAME, under SX's "
                        "tiers only; they can be named one by one too)")
    p.add_argument("--guest", action="append", default=[], metavar="GUEST",
                   help="also run this guest language's benchmarks (repeatable)")
    p.add_argument("--check", action="store_true",
                   help="the perf-regression alarm: measure the reference ratios and fail "
                        "if one is more than 2x worse than recorded")
    p.add_argument("--record-baseline", action="store_true",
                   help="measure the reference ratios and record them")
    p.add_argument("--baseline", metavar="FILE", default=None,
                   help="the alarm's reference ratios (default: bench/baseline.json)")
    args = p.parse_args(argv)  # SystemExit(2) on a bad option, (0) for --help
    args.scale = args.scale or os.environ.get("SX_BENCH_SCALE") or \
        ("small" if args.quick else "full")
    if args.scale not in SCALES:
        raise Usage(f"unknown scale {args.scale!r}: expected one of {', '.join(SCALES)}")
    if args.repeat is None:
        args.repeat = QUICK_REPEAT if args.quick else DEFAULT_REPEAT
    if args.repeat < 1:
        raise Usage("--repeat must be at least 1")
    if args.warmup < 0:
        raise Usage("--warmup cannot be negative")
    args.tier_list = _names("--tiers", args.tiers or ",".join(TIERS), TIERS)
    if not args.tier_list:
        raise Usage("--tiers: no tier given")
    peers = args.peers if args.peers is not None else ",".join(ALL_PEERS)
    args.peer_list = [] if peers.strip() == "none" else _names("--peers", peers, ALL_PEERS)
    if args.from_json and not args.report:
        raise Usage("--from needs --report DIR")
    return args


def select(args, programs: dict) -> list[str]:
    """The programs to run, by name: those named (default: every SX program),
    then the benchmarks of the guests asked for with --guests or --guest.
    Adds the guests' benchmarks to `programs` (name -> path, or
    GuestProgram)."""
    from ..guests import all_guests, find
    guests = list(all_guests()) if args.guests else []
    for name in args.guest:
        guest = find(name)
        if guest is None:
            known = ", ".join(g.name for g in all_guests())
            raise Usage(f"--guest: unknown guest {name!r}: expected one of {known}")
        if guest not in guests:
            guests.append(guest)
    names = list(args.names) or list(programs)
    names += [n for n in guest_programs(guests) if n not in names]
    programs.update(guest_programs())
    unknown = [n for n in names if n not in programs]
    if unknown:
        raise Usage(f"unknown program {unknown[0]!r}: expected one of {', '.join(programs)}")
    return names


def _names(option: str, text: str, known) -> list[str]:
    names = [t.strip() for t in text.split(",") if t.strip()]
    for n in names:
        if n not in known:
            raise Usage(f"{option}: unknown {n!r}: expected one of {', '.join(known)}")
    if len(set(names)) != len(names):
        raise Usage(f"{option}: a name is given twice: {','.join(names)}")
    return names


class Progress:
    """What is running, on stderr: one line rewritten in place on a
    terminal, a line per finished program otherwise."""

    def __init__(self, total: int) -> None:
        self.total, self.tty = total, sys.stderr.isatty()
        self.index, self.name, self.started = 0, "", time.monotonic()

    def program(self, index: int, name: str) -> None:
        self.index, self.name, self.started = index, name, time.monotonic()

    def step(self, round_no: int, label: str) -> None:
        if self.tty:
            sys.stderr.write(f"\r\x1b[K[{self.index}/{self.total}] {self.name}: "
                             f"round {round_no + 1}, {label}")
            sys.stderr.flush()

    def done(self) -> None:
        line = f"[{self.index}/{self.total}] {self.name}: {time.monotonic() - self.started:.1f} s"
        sys.stderr.write(("\r\x1b[K" if self.tty else "") + line + "\n")
        sys.stderr.flush()


def run(args, programs: dict[str, str], names: list[str], directory: str) -> dict:
    """Measure every program; the results document."""
    tiers = args.tier_list
    twins = available(beside(directory, "python"), ".py") if "python" in args.peer_list else {}
    peer_info, peers = {}, []
    for name in args.peer_list:
        if name == "python":
            continue
        peer = peer_mod.PEERS[name]
        v = peer_mod.version(peer)
        peer_info[name] = {"title": peer.title, "version": v, "ran": v is not None}
        if v is None:
            peer_info[name]["note"] = f"not installed: {peer_mod.INSTALL_HINT}"
        else:
            peers.append(name)
    if args.peer_list:
        # the guests' own peers, for their benchmarks among those run
        for guest in _guests_of(programs, names):
            for name in guest.peers:
                if name in peer_info:
                    continue
                v = guest.peer_version(name)
                peer_info[name] = {"title": name, "version": v, "ran": v is not None}
                if v is None:
                    peer_info[name]["note"] = f"not installed (a peer of {guest.name})"
                else:
                    peers.append(name)
    labels = ([PYTHON_LABEL] if twins else []) + tiers + peers
    doc = {"sx": sx_version(), "python": platform.python_version(), "python_label": PYTHON_LABEL,
           "machine": machine_info(),
           "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
           "scale": args.scale, "repeat": args.repeat, "warmup": args.warmup,
           "tiers": tiers, "contestants": labels, "peers": peer_info, "programs": []}
    print(f"sx bench: scale {args.scale}, {args.repeat} round{'s' if args.repeat != 1 else ''} "
          f"after {args.warmup} warm-up, interleaved: {' '.join(labels)}")
    for name, info in peer_info.items():
        print(f"  {name}: {info['version'] or info['note']}")
    sys.stdout.flush()
    progress = Progress(len(names))
    t0 = time.monotonic()
    for i, name in enumerate(names, 1):
        progress.program(i, name)
        outcomes = measure(name, programs[name], tiers, args.scale, args.repeat, args.warmup,
                           twin_path=twins.get(name), peers=peers,
                           peer_dir=beside(directory, "peers"), progress=progress.step)
        results = {o.label: o.stats() for o in outcomes}
        others = [label for label in labels if label not in tiers]
        doc["programs"].append({"name": name, "results": results,
                                "ratios": program_ratios(results, tiers, others)})
        progress.done()
    doc["duration_s"] = round(time.monotonic() - t0, 1)
    doc["geomean"] = geomeans(doc["programs"])
    return doc


def _guests_of(programs: dict, names: list[str]) -> list:
    """The guests whose benchmarks are among names."""
    found = []
    for name in names:
        program = programs[name]
        if isinstance(program, GuestProgram) and program.guest not in found:
            found.append(program.guest)
    return found


def print_tables(doc: dict) -> None:
    print("\nmedian times (ms)")
    print(times_table(doc))
    table = ratio_table(doc)
    if table:
        print("\nratios of the medians")
        print(table)
    for line in failures(doc):
        print(f"note: {line}")
    print(f"\n{len(doc['programs'])} programs in {doc['duration_s']} s")


def write_json(doc: dict, path: str) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")


def main(argv: list[str]) -> int:
    try:
        args = parse(argv)
    except SystemExit as e:  # argparse has already printed why
        return e.code if isinstance(e.code, int) else 2
    except Usage as u:
        print(f"sx bench: {u}", file=sys.stderr)
        return 2

    directory = args.dir or default_program_dir()
    if args.check or args.record_baseline:
        from .alarm import main as alarm_main
        return alarm_main(args, directory)
    if args.from_json:
        try:
            with open(args.from_json, encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError) as e:
            print(f"sx bench: --from: cannot read {args.from_json}: {e}", file=sys.stderr)
            return 2
        return _report(doc, args.report)

    programs = available(directory, ".sx")
    if args.list:
        for name in [*programs, *guest_programs()]:
            print(name)
        return 0
    if not programs:
        print(f"sx bench: no programs (*.sx) in {directory}", file=sys.stderr)
        return 2
    try:
        names = select(args, programs)
    except Usage as u:
        print(f"sx bench: {u}", file=sys.stderr)
        return 2
    try:
        doc = run(args, programs, names, directory)
    except BenchFailure as f:
        sys.stdout.flush()
        print(f"\nsx bench: {f}", file=sys.stderr)
        return 1
    print_tables(doc)
    write_json(doc, args.json or DEFAULT_JSON)
    print(f"results: {args.json or DEFAULT_JSON}")
    return _report(doc, args.report) if args.report else 0


def _report(doc: dict, out_dir: str) -> int:
    from .report import write_report
    try:
        print(write_report(doc, out_dir))
    except (BenchFailure, OSError) as e:
        print(f"sx bench: {e}", file=sys.stderr)
        return 1
    return 0
