#!/usr/bin/env bash
# measure.sh OUT.csv SPEC... : takeover measurements in the ha-lab (lab/, a copy of ../shared/ha-lab;
# HALAB_LAB_DIR names another), docs/ha.md, as root.
#
#   SPEC = scenario:advert_int:reps[:variant[:client]]
#     variant  siplb (default): siplb's built-in VRRP speaker (siplb-lab-node.sh), every backend up
#              on: the same, siplb probes its backends (OPTIONS every 500 ms)
#              ka: keepalived with the lab's SIPp stand-in (the baseline of ../shared/ha-lab)
#              ka0: the same with keepalived's fault mode (--weight 0; for procdeath)
#     client   client (default, on the LAN) or natcl (behind the NAT)
#   e.g. measure.sh /tmp/m.csv hard:0.1:5 hard:0.1:5:ka kill9:0.1:5 kill9:0.1:5:ka procdeath:0.1:5:ka0
#
# The runs of all SPECs are interleaved (one repetition of each in turn), so siplb and keepalived
# see the same machine load. One failover-test.sh run per repetition; the siplb logs are copied
# into each run's directory, and each run's load average (/proc/loadavg at its start) goes to
# OUT.csv.load ("run_dir label load1 load5 load15"; docs/ha-results/summary.py reads it).
# Needs SIPLB_CP for siplb runs (see siplb-lab-node.sh); copy the classes directories first if
# other builds run on the machine (they rewrite target/classes).
# HALAB_CAPTURE=1: tshark on the bridge too (docs/ha-results/takeover-trace.py reads it).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=${HALAB_LAB_DIR:-$here/lab}
export HALAB_NS_PREFIX=${HALAB_NS_PREFIX:-vm-} HALAB_RUN_DIR=${HALAB_RUN_DIR:-/tmp/siplb-ha-run}
out=$(realpath -m "$1"); shift
cmd="$here/siplb-lab-node.sh {node} {node_ip} {vip}"
cd "$lab" || exit 1
max=0
for spec in "$@"; do
  IFS=: read -r _ _ reps _ <<<"$spec"
  ((reps > max)) && max=$reps
done
one() { # SPEC : one repetition
  local sc adv reps variant client label args=()
  IFS=: read -r sc adv reps variant client <<<"$1"
  variant=${variant:-siplb} client=${client:-client}
  args=(--scenario "$sc" --advert-int "$adv" --reps 1 --client "$client" --results "$out" ${HALAB_CAPTURE:+--capture})
  case $variant in
    siplb | on)
      : "${SIPLB_CP:?set SIPLB_CP to the class path of siplb}"
      label=siplb; [[ $variant == on ]] && label=siplb-probing
      args+=(--vrrp none --lb-cmd "$cmd") ;;
    ka) label=keepalived ;;
    ka0) label=keepalived-fault-mode; args+=(--ka-args "--weight 0") ;;
    *) echo "unknown variant $variant in $1" >&2; return 1 ;;
  esac
  [[ $client == natcl ]] && label+="-nat"
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  SIPLB_HEALTH=$([[ $variant == on ]] && echo on || echo off) \
    SIPLB_ADVERT=$([[ $adv == 1 ]] && echo 1s || echo "$(awk -v a="$adv" 'BEGIN{print a*1000}')ms") \
    timeout 600 ./failover-test.sh "${args[@]}" --label "$label"
  local last; last=$(ls -td "$HALAB_RUN_DIR"/runs/*/ | head -1)
  echo "${last%/} $label $load" >>"$out.load"
  if [[ $variant == siplb || $variant == on ]]; then
    cp "$HALAB_RUN_DIR/standin/lb1-cmd.log" "$last/siplb-lb1.log" 2>/dev/null
    cp "$HALAB_RUN_DIR/standin/lb2-cmd.log" "$last/siplb-lb2.log" 2>/dev/null
  fi
}
for ((i = 1; i <= max; i++)); do
  for spec in "$@"; do
    IFS=: read -r _ _ reps _ <<<"$spec"
    ((i <= reps)) && one "$spec"
  done
done
