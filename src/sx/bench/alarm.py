"""The perf-regression alarm.

    sx bench --check             (make bench-check, part of make test and CI)
    sx bench --record-baseline   (make bench-baseline)

A fixed subset of the programs runs at the small scale under `cek` and
`py` beside its CPython twin, and two ratios per program are compared with
the reference ratios recorded in bench/baseline.json (`--baseline`):

    py/CPython   tier 2 against the same algorithm in plain Python;
    py/cek       tier 2 against the interpreter, which tells a slower tier
                 2 (a fast path lost, code no longer compiled) from a
                 slower machine.

Both are ratios of times measured side by side in one run, so a busy or
slow machine moves them much less than it moves times. Each ratio is of
the fastest of several calls (noise only ever adds time), and the alarm
goes off only when a ratio is more than LIMIT times its reference: it is
there to catch a lost optimisation, not a few percent. A ratio that has
become more than LIMIT times better is reported too, as a hint to record
the references again, which is always a deliberate act (`make
bench-baseline`, then commit bench/baseline.json).
"""

from __future__ import annotations

import datetime
import json
import sys
import time

from .host import machine_info
from .measure import measure, program_ratios
from .programs import PYTHON_LABEL, BenchFailure, available, beside

PROGRAMS = ("fib", "tak", "ack", "nqueens", "closures", "strings", "lists", "ctak",
            "fibfp", "deriv", "mbrot", "interp", "sumfp", "cpstak", "array", "hof")
TIERS = ("cek", "py")
RATIOS = (f"py/{PYTHON_LABEL}", "py/cek")
SCALE, REPEAT, WARMUP = "small", 5, 1
LIMIT = 2.0


def default_baseline(program_dir: str) -> str:
    """bench/baseline.json, beside the programs' folder."""
    return beside(program_dir, "baseline.json")


def measure_ratios(program_dir: str, names) -> dict[str, dict[str, float]]:
    """program -> {ratio: value}, for the alarm's programs."""
    programs = available(program_dir, ".sx")
    twins = available(beside(program_dir, "python"), ".py")
    out = {}
    for i, name in enumerate(names, 1):
        if name not in programs or name not in twins:
            raise BenchFailure(f"{name}: no such program with a Python twin in {program_dir}")
        t0 = time.monotonic()
        outcomes = measure(name, programs[name], list(TIERS), SCALE, REPEAT, WARMUP,
                           twin_path=twins[name])
        results = {o.label: o.stats() for o in outcomes}
        ratios = program_ratios(results, list(TIERS), [PYTHON_LABEL], key="min_ms")
        out[name] = {k: ratios[k] for k in RATIOS}
        print(f"[{i}/{len(names)}] {name}: {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return out


def compare(measured: dict, reference: dict) -> tuple[list[str], list[str], list[str]]:
    """(table lines, alarms, improvements)."""
    lines = [f"{'program':<10} {'ratio':<12} {'reference':>10} {'measured':>10} {'change':>8}"]
    alarms, better = [], []
    for name, ratios in measured.items():
        for key, value in ratios.items():
            ref = reference[name][key]
            change = value / ref
            status = ""
            if change > LIMIT:
                status = "  ALARM"
                alarms.append(f"{name} {key}: {value:.3g}, {change:.1f}x its reference {ref:.3g}")
            elif change < 1 / LIMIT:
                status = "  better"
                better.append(f"{name} {key}: {value:.3g}, {1 / change:.1f}x better than "
                              f"its reference {ref:.3g}")
            lines.append(f"{name:<10} {key:<12} {ref:>10.3g} {value:>10.3g} "
                         f"{change:>7.2f}x{status}")
    return lines, alarms, better


def main(args, program_dir: str) -> int:
    path = args.baseline or default_baseline(program_dir)
    names = args.names or list(PROGRAMS)
    what = (f"{len(names)} programs under {' and '.join(TIERS)} beside their {PYTHON_LABEL} "
            f"twins, {SCALE} inputs, the fastest of {REPEAT} calls after {WARMUP} warm-up")
    if args.record_baseline:
        print(f"sx bench --record-baseline: {what}")
        try:
            measured = measure_ratios(program_dir, names)
        except BenchFailure as f:
            print(f"sx bench: {f}", file=sys.stderr)
            return 1
        doc = {"recorded": datetime.date.today().isoformat(),
               "how": f"sx bench --record-baseline: {what}", "machine": machine_info(),
               "limit": LIMIT,
               "programs": {n: {k: float(f"{v:.4g}") for k, v in r.items()}
                            for n, r in measured.items()}}
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
        for name, ratios in measured.items():
            print(f"  {name:<10} " + "  ".join(f"{k} {v:.3g}" for k, v in ratios.items()))
        print(f"recorded {path}")
        return 0

    try:
        with open(path, encoding="utf-8") as fh:
            reference = json.load(fh)["programs"]
    except (OSError, ValueError, KeyError) as e:
        print(f"sx bench --check: cannot read the reference ratios {path}: {e} "
              f"(record them with `make bench-baseline`)", file=sys.stderr)
        return 2
    missing = [n for n in names if n not in reference or
               any(k not in reference[n] for k in RATIOS)]
    if missing:
        print(f"sx bench --check: no reference ratios for {', '.join(missing)} in {path} "
              f"(record them with `make bench-baseline`)", file=sys.stderr)
        return 2
    print(f"sx bench --check: {what}; the alarm goes off above {LIMIT:g}x a reference "
          f"ratio ({path})")
    sys.stdout.flush()
    try:
        measured = measure_ratios(program_dir, names)
    except BenchFailure as f:
        print(f"sx bench: {f}", file=sys.stderr)
        return 1
    lines, alarms, better = compare(measured, reference)
    print("\n".join(lines))
    for b in better:
        print(f"note: {b}: record the references again with `make bench-baseline`?")
    if alarms:
        print(f"\nsx bench --check: PERFORMANCE REGRESSION: {len(alarms)} ratio"
              f"{'s are' if len(alarms) != 1 else ' is'} more than {LIMIT:g}x worse than "
              f"the reference:")
        for a in alarms:
            print(f"  {a}")
        return 1
    print(f"sx bench --check: ok, {sum(len(r) for r in measured.values())} ratios within "
          f"{LIMIT:g}x of their references")
    return 0
