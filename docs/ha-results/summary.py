#!/usr/bin/python3
"""Per (scenario, advert_int, label): n, median and mean (min-max) of gap, lost, vip_move, takeover gap."""
import csv, statistics, sys
from collections import OrderedDict
rows = []
for p in sys.argv[1:]:
    rows += list(csv.DictReader(open(p)))
groups = OrderedDict()
for r in rows:
    groups.setdefault((r["scenario"], r["advert_int"], r["label"]), []).append(r)
def f(v):
    try: return float(v)
    except: return None
def st(vals):
    vals = [v for v in vals if v is not None]
    if not vals: return "-"
    return f"{statistics.median(vals):.0f} | {statistics.mean(vals):.0f} ({min(vals):.0f}-{max(vals):.0f})"
print("| scenario | advert | label | n | gap_ms median / mean (min-max) | lost median / mean (min-max) | vip_move_ms median / mean (min-max) | takeover gap ms median / mean (min-max) | steady max gap ms (max) |")
print("|---|---|---|---|---|---|---|---|---|")
for (sc, adv, lab), rs in groups.items():
    tk = [ (f(r["first_ok_after_ms"]) - f(r["last_ok_before_ms"])) if f(r["first_ok_after_ms"]) is not None and f(r["last_ok_before_ms"]) is not None else None for r in rs]
    print(f"| {sc} | {adv} | {lab} | {len(rs)} | {st([f(r['gap_ms']) for r in rs])} | {st([f(r['lost']) for r in rs])} | {st([f(r['vip_move_ms']) for r in rs])} | {st(tk)} | {max(f(r['steady_max_gap_ms']) or 0 for r in rs):.0f} |")
