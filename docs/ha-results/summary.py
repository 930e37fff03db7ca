#!/usr/bin/python3
"""summary.py CSV... : Markdown table per (scenario, advert_int, label) of ha-lab runs.

For each group: n, then median (bold) and mean (min-max) of gap_ms, lost, vip_move_ev_ms
(the VIP seen on lb2 by netlink events: no polling error, unlike vip_move_ms) and the gap at
the switch (the longest interval between answers from 1 s before the failure to 1 s after the
VIP reached lb2, from
the run directory's uac.log while it exists: gap_ms looks at the whole rest of the run, so a
stall of the busy machine seconds later shows there, which matters for graceful stops), the
largest steady-state gap before the failure, and the median 1-minute load average at the start
of the runs when CSV.load exists (written by lb-netty/src/test/resources/ha/measure.sh).
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


def switch_gap(row):
    """Longest interval between answers from t_fail - 1 s to the VIP's move + 1 s (ms), or None."""
    run_dir = row["run_dir"]
    move = f(row.get("vip_move_ev_ms")) or f(row.get("vip_move_ms")) or 0
    try:
        t_fail = next(float(l.split("=", 1)[1]) for l in open(os.path.join(run_dir, "meta.env"))
                      if l.startswith("t_fail="))
        answers = sorted(float(p[2]) + float(p[3]) / 1e6 for p in
                         (l.split() for l in open(os.path.join(run_dir, "uac.log"))) if len(p) >= 4 and p[0] == "A")
    except (OSError, StopIteration, ValueError):
        return None
    window = [t for t in answers if t_fail - 1 <= t <= t_fail + move / 1000 + 1]
    gaps = [(b - a) * 1000 for a, b in zip(window, window[1:]) if b > t_fail]
    return max(gaps) if gaps else None


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
print("| scenario | advert | label | n | gap_ms | lost | vip_move_ev_ms | gap at the switch ms | steady max gap ms | load (1 min) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (sc, adv, lab), rs in groups.items():
    tk = [switch_gap(r) for r in rs]
    loads = [load.get(r["run_dir"].rstrip("/")) for r in rs]
    loads = [x for x in loads if x is not None]
    ld = f"{statistics.median(loads):.1f} ({min(loads):.1f}-{max(loads):.1f})" if loads else "-"
    steady = max(f(r["steady_max_gap_ms"]) or 0 for r in rs)
    print(f"| {sc} | {adv} | {lab} | {len(rs)} | {st([f(r['gap_ms']) for r in rs])} | {st([f(r['lost']) for r in rs])}"
          f" | {st([f(r['vip_move_ev_ms']) for r in rs])} | {st(tk)} | {steady:.0f} | {ld} |")
