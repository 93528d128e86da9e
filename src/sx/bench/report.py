"""`sx bench --report DIR`: a page to look at rather than read.

DIR/index.html shows the run's charts (PNG, made with matplotlib), its
tables and the machine it ran on; DIR/results.json is the raw data. Every
chart is of ratios measured side by side in the one run, on a log scale:

  vs-python.png  each tier's time over the CPython twin's, per program
                 (1 = as fast as plain Python; the 2x goal is drawn);
  vs-cek.png     each tier's speed-up over the first tier (normally cek);
  vs-peers.png   the SX tier's time over each other Scheme's.
"""

from __future__ import annotations

import html
import json
import os

from .programs import BenchFailure
from .table import columns, failures, ratio_table, sx_tier, times_table


def _bars(path: str, programs: list[str], series: dict[str, list[float | None]], title: str,
          ylabel: str, lines: tuple[float, ...] = ()) -> None:
    """A grouped bar chart, log scale: one group per program, one bar per series."""
    import matplotlib
    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt
    bars = len(programs) * max(1, len(series))
    fig, ax = plt.subplots(figsize=(min(15.0, max(7.0, 2 + 0.15 * bars)), 5))
    width = 0.8 / max(1, len(series))
    for i, (label, values) in enumerate(series.items()):
        xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(programs))]
        pairs = [(x, v) for x, v in zip(xs, values) if v is not None and v > 0]
        if pairs:
            ax.bar([x for x, _ in pairs], [v for _, v in pairs], width, label=label,
                   linewidth=0)
    ax.set_yscale("log")
    for y in lines:
        ax.axhline(y, color="black", linewidth=0.8, linestyle="--" if y != 1 else "-")
    ax.set_xlim(-0.6, len(programs) - 0.4)
    ax.set_xticks(range(len(programs)))
    ax.set_xticklabels(programs, rotation=45, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def charts(doc: dict, out_dir: str) -> list[tuple[str, str]]:
    """Write the charts the results allow; (file name, caption) of each."""
    names = [p["name"] for p in doc["programs"]]
    tiers, base, py = doc["tiers"], doc["tiers"][0], doc["python_label"]
    made = []

    def series(key_of, labels) -> dict:
        return {label: [p["ratios"].get(key_of(label)) for p in doc["programs"]]
                for label in labels}

    vs_python = series(lambda t: f"{t}/{py}", tiers)
    if any(v for vs in vs_python.values() for v in vs):
        _bars(os.path.join(out_dir, "vs-python.png"), names, vs_python,
              f"time / {py} twin (lower is better; dashed: the 2x goal)",
              f"times as long as {py}", (1, 2))
        made.append(("vs-python.png", f"Each tier's median time over the {py} twin's."))
    if len(tiers) > 1:
        speedups = {t: [None if r is None else 1 / r for r in rs]
                    for t, rs in series(lambda t: f"{t}/{base}", tiers[1:]).items()}
        _bars(os.path.join(out_dir, "vs-cek.png"), names, speedups,
              f"speed-up over {base} (higher is better)", f"times faster than {base}", (1,))
        made.append(("vs-cek.png", f"Each tier's speed-up over {base}."))
    sx = sx_tier(tiers)
    peers = [p for p, info in doc["peers"].items() if info["ran"]]
    vs_peers = series(lambda p: f"{sx}/{p}", peers)
    if any(v for vs in vs_peers.values() for v in vs):
        _bars(os.path.join(out_dir, "vs-peers.png"), names, vs_peers,
              f"SX ({sx}) time / other Schemes' (lower is better)", "times as long", (1,))
        made.append(("vs-peers.png", f"SX's `{sx}` tier's median time over each peer's."))
    return made


def write_report(doc: dict, out_dir: str) -> str:
    """Write DIR/index.html, the charts and DIR/results.json; returns a line
    saying where the report is."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise BenchFailure("--report draws its charts with matplotlib, which is not "
                           "installed: pip install 'sx[report]'") from None
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    made = charts(doc, out_dir)
    machine = doc.get("machine", {})
    peers = "; ".join(f"{name}: {info['version'] or info.get('note', '')}"
                      for name, info in doc["peers"].items()) or "none"
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<title>SX benchmarks</title>",
        "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
        "pre{background:#f4f4f4;padding:1em;overflow-x:auto}img{max-width:100%}</style>",
        "</head><body>", "<h1>SX benchmarks</h1>",
        f"<p>SX {e(doc['sx'])} on {e(doc['python_label'])} {e(doc['python'])}, "
        f"{e(str(machine.get('system', '')))} {e(str(machine.get('machine', '')))}, "
        f"{e(str(machine.get('cpus', '?')))} CPUs, load average at the start "
        f"{e(str(machine.get('load_average', '?')))}; started {e(doc['started'])}, "
        f"{doc['duration_s']} s in all.</p>",
        f"<p>Scale {e(doc['scale'])}, {doc['repeat']} interleaved rounds after "
        f"{doc['warmup']} warm-up; every figure is a ratio of two medians measured in this "
        f"run. Peers: {e(peers)}. Raw data: <a href=\"results.json\">results.json</a>.</p>",
    ]
    for file, caption in made:
        parts.append(f'<figure><img src="{file}" alt="{e(caption)}">'
                     f"<figcaption>{e(caption)}</figcaption></figure>")
    parts.append("<h2>Ratios of the medians</h2>")
    parts.append(f"<pre>{e(ratio_table(doc))}</pre>" if columns(doc) else "<p>None.</p>")
    parts.append("<h2>Median times (ms)</h2>")
    parts.append(f"<pre>{e(times_table(doc))}</pre>")
    notes = failures(doc)
    if notes:
        parts.append("<h2>Failures under peers</h2><ul>")
        parts.extend(f"<li>{e(n)}</li>" for n in notes)
        parts.append("</ul>")
    parts.append("</body></html>")
    index = os.path.join(out_dir, "index.html")
    with open(index, "w", encoding="utf-8") as fh:
        fh.write("\n".join(parts) + "\n")
    return f"report: {index} ({len(made)} chart{'s' if len(made) != 1 else ''})"
