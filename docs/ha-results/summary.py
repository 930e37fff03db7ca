#!/usr/bin/python3
"""summary.py CSV... : Markdown table per (scenario, advert_int, label) of ha-lab runs.

For each group: n, then median and mean (min-max) of gap_ms, lost, vip_move_ms and the
takeover gap (first answer after the failure minus the last one before), the largest
steady-state gap before the failure, and the median 1-minute load average at the start of the
runs when CSV.load exists (written by lb-netty/src/test/resources/ha/measure.sh).
"""
import csv
import os
import statistics
import sys
from collections import OrderedDict


def f(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def st(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "-"
    return f"**{statistics.median(vals):.0f}**; {statistics.mean(vals):.0f} ({min(vals):.0f}-{max(vals):.0f})"


rows, load = [], {}
for p in sys.argv[1:]:
    rows += list(csv.DictReader(open(p)))
    if os.path.exists(p + ".load"):
        for line in open(p + ".load"):
            parts = line.split()
            if len(parts) >= 3:
                load[parts[0].rstrip("/")] = f(parts[2])
groups = OrderedDict()
for r in rows:
    groups.setdefault((r["scenario"], r["advert_int"], r["label"]), []).append(r)
print("| scenario | advert | label | n | gap_ms | lost | vip_move_ms | takeover gap ms | steady max gap ms | load (1 min) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (sc, adv, lab), rs in groups.items():
    tk = [f(r["first_ok_after_ms"]) - f(r["last_ok_before_ms"])
          if f(r["first_ok_after_ms"]) is not None and f(r["last_ok_before_ms"]) is not None else None for r in rs]
    loads = [load.get(r["run_dir"].rstrip("/")) for r in rs]
    loads = [x for x in loads if x is not None]
    ld = f"{statistics.median(loads):.1f} ({min(loads):.1f}-{max(loads):.1f})" if loads else "-"
    steady = max(f(r["steady_max_gap_ms"]) or 0 for r in rs)
    print(f"| {sc} | {adv} | {lab} | {len(rs)} | {st([f(r['gap_ms']) for r in rs])} | {st([f(r['lost']) for r in rs])}"
          f" | {st([f(r['vip_move_ms']) for r in rs])} | {st(tk)} | {steady:.0f} | {ld} |")
