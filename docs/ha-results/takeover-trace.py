#!/usr/bin/python3
"""takeover-trace.py RUN_DIR... : where a takeover's time goes, from the bridge capture.

Reads capture.pcapng (failover-test.sh --capture) and meta.env of each ha-lab run and prints,
in ms after the failure was injected (t_fail):

  garp      lb2's first gratuitous ARP for the VIP (the takeover on the wire)
  req       the client's first request that reaches lb2 (destination MAC = lb2)
  fwd       lb2's first forward to a backend after it
  bans      the backend's answer to it
  ans       lb2's first answer to the client
  and the differences: wait = req - garp (the client's next send), first_fwd = fwd - req
  (lb2 processing the first request), first_ans = ans - bans (lb2 relaying the first response),
  outage_after_garp = ans - garp. A stand-in that answers itself (keepalived's baseline) has
  no fwd/bans.

MACs are the lab's (topology.sh: 02:77:00:00:00:<last octet>); the client is 10.77.0.100 or
the NAT 10.77.0.254. Needs tshark. Python 3 stdlib only.
"""
import os
import subprocess
import sys

LB2_MAC = "02:77:00:00:00:0c"
VIP = "10.77.0.50"
BACKENDS = {"10.77.0.21", "10.77.0.22"}
CLIENTS = {"10.77.0.100", "10.77.0.254"}


def meta(d):
    out = {}
    with open(os.path.join(d, "meta.env")) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                out[k] = v
    return out


def packets(pcap):
    fields = ["frame.time_epoch", "eth.src", "eth.dst", "arp.src.proto_ipv4", "arp.dst.proto_ipv4", "ip.src",
              "ip.dst", "sip.Status-Code", "sip.Method"]
    cmd = ["tshark", "-r", pcap, "-Y", "arp or sip", "-T", "fields", "-E", "separator=\t"]
    for f in fields:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    for line in res.stdout.splitlines():
        v = dict(zip(fields, line.split("\t")))
        v["t"] = float(v["frame.time_epoch"])
        yield v


def trace(d):
    m = meta(d)
    t_fail = float(m["t_fail"])
    pk = [p for p in packets(os.path.join(d, "capture.pcapng")) if p["t"] >= t_fail]
    r = {}

    def find(pred, after):
        return next((p for p in pk if p["t"] >= after and pred(p)), None)

    garp = find(lambda p: p["eth.src"] == LB2_MAC and p["arp.src.proto_ipv4"] == VIP == p["arp.dst.proto_ipv4"],
                t_fail)
    if not garp:
        return None
    req = find(lambda p: p["eth.dst"] == LB2_MAC and p["ip.src"] in CLIENTS and p["ip.dst"] == VIP
               and p["sip.Method"], garp["t"])
    ans = req and find(lambda p: p["eth.src"] == LB2_MAC and p["ip.dst"] in CLIENTS and p["sip.Status-Code"],
                       req["t"])
    # siplb forwards to a backend and relays its answer; keepalived's stand-in answers itself
    fwd = ans and find(lambda p: p["eth.src"] == LB2_MAC and p["ip.dst"] in BACKENDS and p["sip.Method"]
                       and p["t"] <= ans["t"], req["t"])
    bans = fwd and find(lambda p: p["ip.src"] in BACKENDS and p["ip.dst"] == VIP and p["sip.Status-Code"], fwd["t"])
    for k, p in (("garp", garp), ("req", req), ("fwd", fwd), ("bans", bans), ("ans", ans)):
        r[k] = None if p is None else (p["t"] - t_fail) * 1000
    if r["ans"] is not None:
        r["wait"] = r["req"] - r["garp"]
        r["outage_after_garp"] = r["ans"] - r["garp"]
    if r["bans"] is not None:
        r["first_fwd"] = r["fwd"] - r["req"]
        r["first_ans"] = r["ans"] - r["bans"]
    r["scenario"] = m.get("scenario", "")
    r["label"] = m.get("label", "")
    return r


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    keys = ["garp", "req", "fwd", "bans", "ans", "wait", "first_fwd", "first_ans", "outage_after_garp"]
    print("run " + " ".join(keys))
    for d in sys.argv[1:]:
        if not os.path.exists(os.path.join(d, "capture.pcapng")):
            continue
        r = trace(d)
        if r is None:
            print(f"{os.path.basename(d.rstrip('/'))} no GARP from lb2 after the failure")
            continue
        cells = ["-" if r.get(k) is None else f"{r[k]:.1f}" for k in keys]
        print(os.path.basename(d.rstrip("/")) + " " + " ".join(cells))


if __name__ == "__main__":
    main()
