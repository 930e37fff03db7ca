#!/usr/bin/env bash
# failover-test.sh [options]
#
# Measures a VRRP failover of the SIP VIP as seen by a client. Each repetition
# builds a fresh lab (topology.sh up), starts the stand-in LB on lb1 and lb2
# (standin.sh) and keepalived (keepalived-pair.sh), runs a steady stream of SIP
# OPTIONS from the client to VIP:5060 (SIPp, fixed rate, fixed count, no
# retransmissions, 2 s answer timeout), breaks lb1 after --pre seconds, lets
# the stream finish, then tears the lab down and prints one line:
#   scenario=hard advert_int=1 gap_ms=... lost=... vip_move_ms=... (more fields)
#
# Scenarios (--scenario):
#   hard       host crash: lb1 eth0 down + SIGKILL keepalived and stand-in on lb1
#   kill9      SIGKILL keepalived and stand-in on lb1, link stays up (VIP stays configured on lb1!)
#   graceful   SIGTERM keepalived on lb1 (priority-0 advert, VIP removed); stand-in keeps running
#   procdeath  SIGKILL only the stand-in LB on lb1; keepalived's track_script must notice
#   split      drop VRRP (IP proto 112) in and out of lb2 for --split-hold s, then allow it again
#
# Options:
#   --scenario S       (default hard)
#   --advert-int S     VRRP advert interval (default 1)
#   --reps N           repetitions (default 1)
#   --rate R           OPTIONS per second (default 100)
#   --pre S            steady traffic before the failure (default 3)
#   --jitter S         plus a random 0..S s, so the failure hits a random point of the
#                      advert cycle (default: the advert interval)
#   --post S           traffic after the expected takeover (default 3; split: 10 after the heal)
#   --split-hold S     split: how long VRRP stays blocked (default max(4, 6*advert_int+2))
#   --bind vip|any     how the stand-in binds (default vip; see standin.sh)
#   --client NODE      client (default, on the LAN) or natcl (behind the NAT)
#   --capture          tshark on the bridge (sw/br0) for the whole run; VRRP/GARP counts
#   --ka-args "..."    extra options for keepalived-pair.sh start (e.g. "--garp-delay 0")
#   --lb-cmd TEMPLATE  run your own LB instead of the SIPp stand-in (see standin.sh --cmd)
#   --vrrp keepalived|none
#                      none: do not start keepalived; the --lb-cmd LB speaks VRRP itself.
#                      hard/kill9 then SIGKILL the LB, graceful sends it SIGTERM.
#   --label TEXT       free-form tag stored with the results (e.g. "weight0")
#   --results FILE     CSV to append to (default results/failover-results.csv)
#
# Raw per-run files stay in $HALAB_RUN_DIR/runs/<run>/ (printed at the end).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

usage() { print_header "$0"; exit 0; }

SCENARIO=hard ADV=1 REPS=1 RATE=100 PRE=3 POST="" HOLD="" BIND=vip CLIENT=client JITTER=""
CAPTURE=0 KA_ARGS="" LABEL="" LB_CMD="" VRRP=keepalived RESULTS=$HERE/results/failover-results.csv
while (($#)); do
  case $1 in
    --scenario) SCENARIO=$2; shift ;;
    --advert-int) ADV=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --rate) RATE=$2; shift ;;
    --pre) PRE=$2; shift ;;
    --jitter) JITTER=$2; shift ;;
    --label) LABEL=$2; shift ;;
    --post) POST=$2; shift ;;
    --split-hold) HOLD=$2; shift ;;
    --bind) BIND=$2; shift ;;
    --client) CLIENT=$2; shift ;;
    --capture) CAPTURE=1 ;;
    --ka-args) KA_ARGS=$2; shift ;;
    --lb-cmd) LB_CMD=$2; shift ;;
    --vrrp) VRRP=$2; shift ;;
    --results) RESULTS=$2; shift ;;
    -h | --help) usage ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
  shift
done
case $SCENARIO in hard | kill9 | graceful | procdeath | split) ;; *) die "unknown scenario $SCENARIO" ;; esac
case $CLIENT in client) CLIENT_IP=${NODE_IP[client]} ;; natcl) CLIENT_IP=$NATCL_IP ;; *) die "--client: client or natcl" ;; esac
[[ $RATE =~ ^[0-9]+$ && $RATE -ge 1 && $RATE -le 1000 ]] || die "--rate must be 1..1000"
[[ $REPS =~ ^[0-9]+$ && $REPS -ge 1 && $REPS -le 50 ]] || die "--reps must be 1..50"
case $VRRP in
  keepalived) need_cmd keepalived ;;
  none)
    [[ -n $LB_CMD ]] || die "--vrrp none needs --lb-cmd (an LB that speaks VRRP itself)"
    [[ $SCENARIO == procdeath ]] && die "procdeath needs keepalived's track_script (--vrrp keepalived)" ;;
  *) die "--vrrp: keepalived or none" ;;
esac
need_root
need_cmd ip sipp python3 timeout awk
[[ $SCENARIO == split ]] && need_cmd nft
((CAPTURE)) && need_cmd tshark
[[ -s $HALAB_RUN_DIR/topology.ns ]] &&
  die "a lab is already up ($HALAB_RUN_DIR/topology.ns): run topology.sh down first"
assert_lab_addr "$VIP"
assert_lab_addr "$CLIENT_IP"

fcalc() { awk "BEGIN{ printf \"%.3f\", $1 }"; }   # float arithmetic
ceil() { awk -v x="$1" 'BEGIN{ printf "%d", (x == int(x)) ? x : int(x) + 1 }'; }

# Time budget for the takeover, by scenario (seconds).
[[ -z $HOLD ]] && HOLD=$(fcalc "($ADV*6+2 > 4) ? $ADV*6+2 : 4")
case $SCENARIO in
  hard | kill9) BUDGET=$(fcalc "4*$ADV + 1.5") ;;
  graceful) BUDGET=$(fcalc "2*$ADV + 1.5") ;;
  procdeath) BUDGET=$(fcalc "4 + 4*$ADV + 1.5") ;;   # 2 failed probes at 1 s interval, then VRRP
  split) BUDGET=$HOLD ;;
esac
[[ -z $POST ]] && { [[ $SCENARIO == split ]] && POST=10 || POST=3; }
[[ -z $JITTER ]] && JITTER=$ADV
DUR=$(ceil "$(fcalc "$PRE + $JITTER + $BUDGET + $POST")")
CALLS=$((RATE * DUR))
RECV_TIMEOUT_MS=2000

mkdir -p "$(dirname "$RESULTS")" "$HALAB_RUN_DIR/runs"
BG_PIDS=()
RUN=""

stop_bg() {
  ((${#BG_PIDS[@]})) || return 0
  kill_pids TERM "${BG_PIDS[@]}"
  reap_pids 5 "${BG_PIDS[@]}"
  BG_PIDS=()
}

teardown() {
  stop_bg
  "$HERE/keepalived-pair.sh" stop >/dev/null 2>&1 || true
  "$HERE/standin.sh" stop >/dev/null 2>&1 || true
  "$HERE/topology.sh" down >/dev/null 2>&1 || true
}

on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  if ((rc)); then
    log "failed (rc=$rc); cleaning up${RUN:+; logs in $RUN}"
  fi
  teardown
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

bg_spawn() { # NODE NAME CMD... : spawn in NODE, remember the PID for cleanup
  local node=$1 name=$2; shift 2
  spawn "$node" "$RUN/$name.pid" "$RUN/$name.out" "$@"
  BG_PIDS+=("$(cat "$RUN/$name.pid")")
}

meta() { printf '%s=%s\n' "$1" "$2" >>"$RUN/meta.env"; }

# crash PID... : freeze all (last first), then SIGKILL all. A plain
# `kill -KILL parent child` races: the keepalived VRRP child gets SIGTERM from
# its dying parent (parent-death signal) and may still send a priority-0
# advert and remove the VIP before its own SIGKILL lands - a graceful stop,
# not a crash. Stopped processes cannot do that.
crash() {
  local i
  for ((i = $# ; i >= 1; i--)); do kill -STOP "${!i}"; done
  kill -KILL "$@"
}

split_block() {
  nsx lb2 nft -f - <<'EOF'
table inet halab_split {
  chain in  { type filter hook input  priority 0; policy accept; ip protocol vrrp counter drop; }
  chain out { type filter hook output priority 0; policy accept; ip protocol vrrp counter drop; }
}
EOF
}

run_once() {
  local rep=$1 t_fail t_heal pids=() uac_pid
  RUN=$(mktemp -d "$HALAB_RUN_DIR/runs/$(date +%Y%m%d-%H%M%S)-$SCENARIO-adv$ADV-rep$rep-XXXX")
  : >"$RUN/meta.env"
  meta date "$(date -Iseconds)"; meta scenario "$SCENARIO"; meta advert_int "$ADV"; meta rep "$rep"
  meta rate "$RATE"; meta bind "$BIND"; meta client "$CLIENT"; meta vip "$VIP"; meta calls "$CALLS"
  meta label "$LABEL"; meta ka_args "$KA_ARGS"; meta vrrp "$VRRP"; meta lb_cmd "$LB_CMD"
  log "=== $SCENARIO advert_int=$ADV rep $rep/$REPS: $CALLS OPTIONS at $RATE/s over ${DUR}s, failure at +${PRE}s ==="

  "$HERE/topology.sh" up 2>>"$RUN/setup.log"
  "$HERE/standin.sh" start --bind "$BIND" --lifetime $((DUR + 120)) ${LB_CMD:+--cmd "$LB_CMD"} 2>>"$RUN/setup.log"
  if [[ $VRRP == keepalived ]]; then
    # shellcheck disable=SC2086  # KA_ARGS is a list of options
    "$HERE/keepalived-pair.sh" start --advert-int "$ADV" --lifetime $((DUR + 120)) $KA_ARGS 2>>"$RUN/setup.log"
  else
    # lb2 may be master for a moment at start-up until lb1 preempts it: wait for lb1 alone,
    # steady for 1 s (checking "lb2 holds it too" at once aborted 2 of 24 runs)
    wait_until 30 holds_for 1 vip_on_lb1_alone || die "the LB on lb1 did not hold the VIP alone within 30 s"
  fi
  sleep 1   # a few adverts with both nodes up

  # Observers: 10 ms VIP poller, netlink address events in lb1/lb2, optional capture.
  "$HERE/vip-watch.sh" $((DUR + 5)) 10 >"$RUN/vip-watch.log" 2>&1 &
  BG_PIDS+=($!)
  bg_spawn lb1 mon-lb1 timeout $((DUR + 10)) ip -ts monitor address
  bg_spawn lb2 mon-lb2 timeout $((DUR + 10)) ip -ts monitor address
  if ((CAPTURE)); then
    bg_spawn sw tshark timeout $((DUR + 20)) tshark -i br0 -q -w "$RUN/capture.pcapng"
    wait_until 10 grep -q "Capturing on" "$RUN/tshark.out" || die "tshark did not start (see $RUN/tshark.out)"
  fi

  # The client stream: one OPTIONS per SIPp call, no retransmission, bounded
  # by count (-m) and by time (-timeout).
  (cd "$RUN" && bg_spawn "$CLIENT" uac sipp -sf "$HERE/scenarios/options-uac.xml" "$VIP:$SIP_PORT" \
    -i "$CLIENT_IP" -p 5070 -nr -recv_timeout "$RECV_TIMEOUT_MS" \
    -r "$RATE" -rp 1000 -m "$CALLS" -l $((RATE * 4)) -timeout $((DUR + 15)) -nostdin \
    -trace_logs -log_file "$RUN/uac.log" -trace_err -error_file "$RUN/uac.errors")
  uac_pid=$(cat "$RUN/uac.pid"); BG_PIDS+=("$uac_pid")
  sleep "$(fcalc "$PRE + $JITTER * $RANDOM / 32768")"
  ip -n "$(ns "$CLIENT")" neigh >"$RUN/neigh-before.txt" 2>&1 || true

  case $SCENARIO in
    hard)
      mapfile -t pids < <("$HERE/keepalived-pair.sh" pids lb1; "$HERE/standin.sh" pids lb1)
      t_fail=$EPOCHREALTIME
      crash "${pids[@]}"                    # processes die first, so keepalived cannot react ...
      ip -n "$(ns lb1)" link set eth0 down  # ... then the host falls silent
      ;;
    kill9)
      mapfile -t pids < <("$HERE/keepalived-pair.sh" pids lb1; "$HERE/standin.sh" pids lb1)
      t_fail=$EPOCHREALTIME
      crash "${pids[@]}"
      ;;
    graceful)
      if [[ $VRRP == keepalived ]]; then
        mapfile -t pids < <("$HERE/keepalived-pair.sh" pids lb1)
      else
        mapfile -t pids < <("$HERE/standin.sh" pids lb1)
      fi
      t_fail=$EPOCHREALTIME
      kill -TERM "${pids[0]}"
      ;;
    procdeath)
      mapfile -t pids < <("$HERE/standin.sh" pids lb1)
      t_fail=$EPOCHREALTIME
      kill -KILL "${pids[@]}"
      ;;
    split)
      t_fail=$EPOCHREALTIME
      split_block
      ;;
  esac
  meta t_fail "$t_fail"
  log "failure injected ($SCENARIO${pids[*]:+, pids ${pids[*]}})"

  if [[ $SCENARIO == split ]]; then
    sleep "$HOLD"
    nsx lb2 nft list table inet halab_split >"$RUN/split-counters.txt" 2>&1 || true
    t_heal=$EPOCHREALTIME
    nsx lb2 nft delete table inet halab_split
    meta t_heal "$t_heal"
    log "VRRP between lb1 and lb2 allowed again"
  elif wait_until "$(ceil "$BUDGET")" has_vip lb2; then
    log "VIP is on lb2"
  else
    log "WARNING: VIP not on lb2 within ${BUDGET}s"
  fi

  # Let the client stream finish (it stops by itself: -m / -timeout).
  wait_until $((DUR + 20)) eval "! kill -0 $uac_pid 2>/dev/null" || log "WARNING: client still running, stopping it"
  ip -n "$(ns "$CLIENT")" neigh >"$RUN/neigh-after.txt" 2>&1 || true
  [[ $CLIENT == natcl ]] && ip -n "$(ns nat)" neigh >"$RUN/neigh-nat-after.txt" 2>&1
  [[ $CLIENT == natcl ]] && { nsx nat cat /proc/net/nf_conntrack >"$RUN/conntrack-nat.txt" 2>&1 || true; }
  stop_bg
  cp "$HALAB_RUN_DIR/keepalived/events.log" "$RUN/events.log" 2>/dev/null || true
  for n in lb1 lb2; do
    cp "$HALAB_RUN_DIR/keepalived/$n.log" "$RUN/keepalived-$n.log" 2>/dev/null || true
  done
  teardown
  python3 "$HERE/analyze.py" "$RUN" --csv "$RESULTS"
  log "run files: $RUN"
}

for ((i = 1; i <= REPS; i++)); do
  run_once "$i"
done
