#!/usr/bin/env bash
# measure.sh OUT.csv SPEC... : siplb's built-in VRRP in ../shared/ha-lab (docs/ha.md), as root.
#   SPEC = scenario:advert_int:reps[:on]   e.g. hard:0.1:5 kill9:0.1:5 graceful:0.1:5 hard:1:3 hard:0.1:3:on
#   (":on" = siplb probes its backends). One failover-test.sh run per repetition; the two
#   siplb logs are copied into each run's directory. Needs SIPLB_CP (see siplb-lab-node.sh);
#   copy target/classes first if other builds run on the machine (they rewrite it).
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=${HALAB_LAB_DIR:-/work/shared/ha-lab}
: "${SIPLB_CP:?set SIPLB_CP to the class path of siplb}"
export HALAB_NS_PREFIX=${HALAB_NS_PREFIX:-vm-} HALAB_RUN_DIR=${HALAB_RUN_DIR:-/tmp/siplb-ha-run}
out=$(realpath -m "$1"); shift
cmd="$here/siplb-lab-node.sh {node} {node_ip} {vip}"
cd "$lab"
for spec in "$@"; do
  IFS=: read -r sc adv reps health <<<"$spec"
  for ((i = 1; i <= reps; i++)); do
    label=siplb; [[ ${health:-off} == on ]] && label=siplb-probing
    SIPLB_HEALTH=${health:-off} SIPLB_ADVERT=$([[ $adv == 1 ]] && echo 1s || echo "$(awk -v a="$adv" 'BEGIN{print a*1000}')ms") \
      timeout 600 ./failover-test.sh --scenario "$sc" --advert-int "$adv" --reps 1 --vrrp none --lb-cmd "$cmd" \
      --results "$out" --label "$label"
    last=$(ls -td "$HALAB_RUN_DIR"/runs/*/ | head -1)
    cp "$HALAB_RUN_DIR/standin/lb1-cmd.log" "$last/siplb-lb1.log" 2>/dev/null
    cp "$HALAB_RUN_DIR/standin/lb2-cmd.log" "$last/siplb-lb2.log" 2>/dev/null
  done
done
