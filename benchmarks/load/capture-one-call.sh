#!/usr/bin/env bash
#
# capture-one-call.sh - show that siplb and kamailio-lb.cfg do the same job:
# one REGISTER and one call (INVITE/100/180/200/ACK/BYE/200) through each LB to
# one SIPp backend, captured on lo with dumpcap, every message printed as it
# crossed the wire (client -> LB -> backend and back).
#
#   benchmarks/load/capture-one-call.sh [siplb|kamailio|both]   (default both)
#
# Output: a folder under benchmarks/load/results/ with <lb>.pcap and <lb>.txt.
# Ports: LB 25160, UAC 25161, backend 25171 (LB_PORT, UAC_PORT, BACKEND_PORT).
# Bounded: every process is started here and stopped by PID; SIPp has -timeout.
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd -- "$here/../.." && pwd)"
which_lb="${1:-both}"
LB_IP=127.0.0.1
LB_PORT="${LB_PORT:-25160}"
UAC_PORT="${UAC_PORT:-25161}"
BACKEND_PORT="${BACKEND_PORT:-25171}"
export SIPLB_JAR="${SIPLB_JAR:-$repo/lb-netty/target/siplb.jar}"
export SIPLB_ADMIN_PORT="${SIPLB_ADMIN_PORT:-25180}" SIPLB_GC_LOG=no
out="$here/results/$(date +%Y%m%d-%H%M%S)-capture-one-call"
mkdir -p "$out"

PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    PIDS=()
}
trap cleanup EXIT

wait_bound() {   # PORT: up to 20 s for UDP PORT to be bound
    local i
    for i in $(seq 1 200); do
        ss -Huln | awk -v a="$LB_IP:$1" '$4 == a { f = 1 } END { exit !f }' && return 0
        sleep 0.1
    done
    echo "port $1 not bound" >&2; return 1
}

one_lb() {
    local lb="$1" dir="$out/$1"
    mkdir -p "$dir"
    echo "1 sip:$LB_IP:$BACKEND_PORT" >"$dir/dispatcher.list"
    dumpcap -q -i lo -P -f "udp and (port $LB_PORT or port $UAC_PORT or port $BACKEND_PORT)" \
        -a duration:60 -w "$out/$lb.pcap" >"$dir/dumpcap.out" 2>&1 &
    PIDS+=($!)
    sipp -sf "$here/scenarios/uas-backend.xml" -i "$LB_IP" -p "$BACKEND_PORT" -t u1 -ci "$LB_IP" -mi "$LB_IP" \
        -nostdin -timeout 60s >"$dir/uas.out" 2>&1 </dev/null &
    PIDS+=($!)
    if [[ "$lb" == siplb ]]; then
        ( cd "$dir" && LB_IP=$LB_IP LB_PORT=$LB_PORT LB_BACKENDS="$LB_IP:$BACKEND_PORT" exec "$here/siplb-lb.sh" ) \
            >"$dir/lb.log" 2>&1 </dev/null &
    else
        /usr/sbin/kamailio -DD -E -f "$here/kamailio-lb.cfg" -m 64 -M 8 -A "LB_LISTEN=udp:$LB_IP:$LB_PORT" \
            -A LB_CHILDREN=1 -A "LB_DS_LIST=\"$dir/dispatcher.list\"" >"$dir/lb.log" 2>&1 </dev/null &
    fi
    PIDS+=($!)
    wait_bound "$LB_PORT"; wait_bound "$BACKEND_PORT"; sleep 2   # dumpcap up, workers ready
    local sc
    for sc in register call; do
        (cd "$dir" && timeout 30 sipp "$LB_IP:$LB_PORT" -sf "$here/scenarios/uac-$sc.xml" -i "$LB_IP" -p "$UAC_PORT" \
            -t u1 -ci "$LB_IP" -mi "$LB_IP" -m 1 -nostdin -recv_timeout 5000 -timeout 20s >"$dir/uac-$sc.out" 2>&1 </dev/null) \
            || echo "$lb: $sc failed (rc $?), see $dir/uac-$sc.out" >&2
    done
    sleep 1
    cleanup
    # every datagram: time, direction, then the SIP text
    tshark -n -r "$out/$lb.pcap" -T fields -e frame.time_relative -e udp.srcport -e udp.dstport -e udp.payload 2>/dev/null |
        while IFS=$'\t' read -r t s d hex; do
            printf '\n===== %s  %s -> %s\n' "$t" "$s" "$d"
            perl -ne 'chomp; print pack("H*", $_)' <<<"$hex" | tr -d '\r'
        done | sed "/^=====/ { s/ $UAC_PORT\b/ uac/g; s/ $BACKEND_PORT\b/ backend/g; s/ $LB_PORT\b/ LB/g; }" >"$out/$lb.txt"
    echo "$lb: $(grep -c '^=====' "$out/$lb.txt") datagrams -> $out/$lb.txt"
}

case "$which_lb" in
    siplb|kamailio) one_lb "$which_lb" ;;
    both) one_lb siplb; one_lb kamailio ;;
    *) echo "usage: $0 [siplb|kamailio|both]" >&2; exit 2 ;;
esac
