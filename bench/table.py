#!/usr/bin/env python3
"""Markdown table of bench/compare.sh's runs: table.py RUNS.TSV JOBS (JOBS: the parkstat --jobs of the reference row)."""
import csv, statistics, sys

raw, jobs = sys.argv[1], int(sys.argv[2])
runs = {}
for r in csv.DictReader(open(raw), delimiter="\t"):
    runs.setdefault(r["id"], []).append(r)
med = {k: statistics.median(float(r["seconds"]) for r in v) for k, v in runs.items()}
rss = {k: max(int(r["max_rss_kb"]) for r in v) / 1024 for k, v in runs.items()}
rows = {k: v[-1]["tidy_rows"] for k, v in runs.items()}

ref = f"parkstat-j{jobs}"
def fmt(x, d=2):
    return "–" if x is None else f"{x:.{d}f}"
def ratio(k, base):
    return med[k] / med[base] if k in med and base in med else None
def yes(ok):
    return "–" if ok is None else ("yes" if ok else "**no**")

# (id, reference, target text, check(ratio) -> bool or None)
spec = [
    (ref, ref, "max RSS < 300 MB", lambda r: rss[ref] < 300),
    ("parkstat-j1", ref, f"j1 ÷ j{jobs} ≥ 1.7 (scaling)", lambda r: r >= 1.7),
    ("pandas-openpyxl", ref, "≥ 30× slower than parkstat", lambda r: r >= 30),
    ("pandas-calamine", ref, "≥ 15×", lambda r: r >= 15),
    ("polars", ref, "≥ 6×", lambda r: r >= 6),
    (f"floor-j{jobs}", ref, f"parkstat-j{jobs} ≤ 2× floor-j{jobs} (ratio ≥ 0.5)", lambda r: r >= 0.5),
    ("floor-j1", "parkstat-j1", "parkstat-j1 ≤ 2× floor-j1 (ratio ≥ 0.5)", lambda r: r >= 0.5),
    ("parkstat-ent", "parkstat-ent", "", None),
    ("floor-ent", "parkstat-ent", "parkstat-ent ≤ 1.3× time (ratio ≥ 0.77) and ≤ 2× RSS",
     lambda r: r >= 1 / 1.3 and rss["parkstat-ent"] <= 2 * rss["floor-ent"]),
    ("floor-ent-cells", "parkstat-ent", "(information: calamine's streaming reader)", None),
    ("parkstat-ent-noiso", "parkstat-ent", "(information: in-process read)", None),
]
spec.insert(2, (f"parkstat-j{jobs}-noiso", ref, "(information: in-process read, --no-isolate)", None))
names = {
    ref: f"**parkstat** convert, --jobs {jobs}",
    "parkstat-j1": "parkstat convert, --jobs 1",
    "pandas-openpyxl": "pandas + openpyxl",
    "pandas-calamine": "pandas + calamine (xlsxwriter out)",
    "polars": "polars read_excel (calamine) + write_excel",
    f"floor-j{jobs}": f"floor: bare calamine, {jobs} threads",
    "floor-j1": "floor: bare calamine, 1 thread",
    "parkstat-ent": "**parkstat** convert → tidy",
    "floor-ent": "floor: calamine worksheet_range",
    "floor-ent-cells": "floor: calamine cells reader",
    f"parkstat-j{jobs}-noiso": f"parkstat convert, --jobs {jobs} --no-isolate",
    "parkstat-ent-noiso": "parkstat convert → tidy, --no-isolate",
}
print("| contender | median s | max RSS MB | ratio vs parkstat | target | met? |")
print("|---|---:|---:|---:|---|---|")
if jobs == 1:  # one core: no scaling row, the reference is parkstat-j1 itself
    spec = [s for s in spec if s[0] not in ("parkstat-j1", "floor-j1")]
seen = set()
for k, base, target, check in spec:
    if k == ref and k in med:
        print("| *batch: 1,000 returns → tidy CSV + summary xlsx* | | | | | |")
    if k == "parkstat-ent" and k in med:
        print("| *large return: 100,000 rows × 20 columns → tidy CSV* | | | | | |")
    if k not in med or k in seen:
        continue
    seen.add(k)
    r = ratio(k, base)
    ok = None
    if check is not None and r is not None:
        ok = check(r)
    base_note = "" if base == ref or k == base else f" (vs {base})"
    rs = "–" if r is None else f"{r:.2f}×"
    met = yes(ok)
    if k.startswith("floor") and r and ok is not None:
        met += f" (parkstat = {1 / r:.1f}× the floor's time"
        met += f", {rss[base] / rss[k]:.1f}× its RSS)" if k == "floor-ent" else ")"
    print(f"| {names.get(k, k)} | {fmt(med[k])} | {fmt(rss[k], 0)} | {rs}{base_note} | {target} | {met} |")
print()
print("ratio = contender's median wall time ÷ the reference parkstat run's median (> 1: parkstat is faster).")
noisy = sum(1 for v in runs.values() for r in v if r.get("busy", "0") not in ("0", "", None))
total = sum(len(v) for v in runs.values())
if noisy:
    print(f"{noisy} of {total} runs overlapped a compiler process on the machine (marked in runs.tsv): those timings are inflated.")
written = [f"{k} {v}" for k, v in rows.items() if v != "-"]
if written:
    print("Tidy rows written: " + ", ".join(written) + ".")
