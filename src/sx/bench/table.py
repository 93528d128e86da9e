"""The tables `sx bench` prints from a results document (see cli.py for its
shape): the median times, then the ratios, which are what the figures
mean on a noisy machine.

  speed-up over BASE   BASE's median over the tier's (how many times faster
                       than the first tier, normally the CEK interpreter);
  time / CPython       the tier's median over the Python twin's (how many
                       times as long as the same algorithm in plain Python);
  SX time / PEER       the SX tier's median over the peer's, where the SX
                       tier is `auto` (what a user gets) when it was run.
"""

from __future__ import annotations


def number(x: float | None) -> str:
    """Three significant digits or so, '-' for nothing."""
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}" if x >= 0.01 else f"{x:.2g}"


def speedup(r: float | None) -> str:
    return "-" if r is None or r <= 0 else number(1 / r) + "x"


def sx_tier(tiers: list[str]) -> str:
    """The tier that stands for SX against the peers."""
    return "auto" if "auto" in tiers else tiers[-1]


def columns(doc: dict) -> list[tuple[str, str, callable]]:
    """(group, header, cell(program) -> text) for the ratio table."""
    tiers, base = doc["tiers"], doc["tiers"][0]
    py, peers = doc["python_label"], [p for p in doc["peers"] if doc["peers"][p]["ran"]]
    cols = []
    for t in tiers[1:]:
        cols.append((f"speed-up over {base}", t,
                     lambda p, t=t: speedup(p["ratios"].get(f"{t}/{base}"))))
    if any(py in p["results"] for p in doc["programs"]):
        for t in tiers:
            cols.append((f"time / {py}", t,
                         lambda p, t=t: number(p["ratios"].get(f"{t}/{py}"))))
    sx = sx_tier(tiers)
    for name in peers:
        cols.append((f"{sx} time / peer", name,
                     lambda p, n=name: "fail" if "error" in p["results"].get(n, {})
                     else number(p["ratios"].get(f"{sx}/{n}"))))
    return cols


def render(rows: list[list[str]], groups: list[str] | None = None) -> str:
    """Rows of cells as aligned text: the first column left-aligned, the
    others right-aligned, with a line of group titles over the header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    if groups:
        spans, i = [], 1
        while i < len(groups):
            j = i
            while j < len(groups) and groups[j] == groups[i]:
                j += 1
            span = sum(widths[i:j]) + 2 * (j - i - 1)
            spans.append(f"{groups[i]:^{span}}" if len(groups[i]) <= span else groups[i])
            i = j
        lines.append(" " * widths[0] + "  " + "  ".join(spans))
    for r in rows:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def times_table(doc: dict) -> str:
    labels = list(doc["contestants"])
    rows = [["program"] + [f"{label} ms" for label in labels]]
    for p in doc["programs"]:
        rows.append([p["name"]] + [
            "fail" if "error" in p["results"].get(label, {}) else
            number(p["results"][label]["median_ms"]) if label in p["results"] else "-"
            for label in labels])
    return render(rows)


def ratio_table(doc: dict) -> str:
    cols = columns(doc)
    if not cols:
        return ""
    rows = [["program"] + [h for _, h, _ in cols]]
    for p in doc["programs"]:
        rows.append([p["name"]] + [cell(p) for _, _, cell in cols])
    if len(doc["programs"]) > 1:
        means = {"name": "geometric mean", "results": {},
                 "ratios": {k: g["value"] for k, g in doc["geomean"].items()}}
        rows.append([means["name"]] + [cell(means) for _, _, cell in cols])
    return render(rows, [""] + [g for g, _, _ in cols])


def failures(doc: dict) -> list[str]:
    """One line per peer that failed a program."""
    return [f"{p['name']} under {label}: {r['error']}" for p in doc["programs"]
            for label, r in p["results"].items() if "error" in r]
