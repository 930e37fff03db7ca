#!/usr/bin/env bash
# siplb-lab-node.sh NODE NODE_IP VIP
#
# siplb with its built-in VRRP speaker as the "LB" of the ha-lab (lab/, docs/ha.md):
#   failover-test.sh --vrrp none --lb-cmd "$PWD/siplb-lab-node.sh {node} {node_ip} {vip}"
# runs this inside lb1 and lb2. It writes the node's siplb.yaml (lb1 priority 150, lb2 100,
# VRID 77, 100 ms adverts unless SIPLB_ADVERT=1s etc., VIP on eth0), starts the node's
# backend (a SIPp UAS answering OPTIONS, lb1 -> proxy1, lb2 -> proxy2, bounded by -timeout;
# it keeps running when the LB dies, as a real backend would), then execs siplb, so the PID
# the lab kills is the JVM's. siplb listens on VIP:5060 (IP_FREEBIND, both nodes) and
# forwards every OPTIONS to a backend. The lab's readiness probe (sip-ping.py to
# NODE_IP:5060, a connected UDP socket) is answered by a SIPp UAS on NODE_IP:5060 that
# starts once siplb's /health shows its VRRP state: siplb answers from the VIP, which a
# connected socket would not accept.
#
# Environment: SIPLB_CP (required) the class path (mvn dependency:build-classpath + the
# classes directory, or the shaded jar); SIPLB_ADVERT (default 100ms); SIPLB_HEALTH=on for
# OPTIONS probing of the backends (default off: every backend counts as up); SIPLB_JAVA_OPTS
# extra JVM options ({node} is replaced by the node's name, e.g. for -Xlog files);
# HALAB_NS_PREFIX, HALAB_RUN_DIR as for the lab.
set -euo pipefail
node=$1 node_ip=$2 vip=$3
: "${SIPLB_CP:?set SIPLB_CP to the class path of siplb}"
advert=${SIPLB_ADVERT:-100ms}
health="{enabled: false}"
[[ ${SIPLB_HEALTH:-off} == on ]] && health="{enabled: true, interval: 500ms, timeout: 300ms}"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=${HALAB_LAB_DIR:-$here/lab}
dir=${HALAB_RUN_DIR:-/run/ha-lab}/siplb
mkdir -p "$dir"
case $node in
  lb1) prio=150 backend=proxy1 backend_ip=10.77.0.21 ;;
  lb2) prio=100 backend=proxy2 backend_ip=10.77.0.22 ;;
  *) echo "unknown node $node" >&2; exit 2 ;;
esac
cat >"$dir/$node.yaml" <<YAML
listen: [udp://$vip:5060]
advertise: $vip:5060
backends:
  - {id: p1, uri: "sip:10.77.0.21:5060"}
  - {id: p2, uri: "sip:10.77.0.22:5060"}
health: $health
flow-token: {secret: "ha-lab-shared-flow-token-key-0123456789"}
admin: {listen: "127.0.0.1:8080"}
vrrp:
  interface: eth0
  vrid: 77
  priority: $prio
  advert-interval: $advert
  vips: [$vip]
YAML
ip netns exec "${HALAB_NS_PREFIX:-}$backend" timeout 900 sipp -sf "$lab/scenarios/options-uas.xml" \
  -i "$backend_ip" -p 5060 -key node "$backend" -nostdin -timeout 900 \
  >"$dir/$backend-uas.log" 2>&1 </dev/null &
(
  for _ in $(seq 1 300); do
    curl -s -m 1 http://127.0.0.1:8080/health | grep -q "^vrrp \(MASTER\|BACKUP\)" && break
    sleep 0.2
  done
  exec timeout 900 sipp -sf "$lab/scenarios/options-uas.xml" -i "$node_ip" -p 5060 -key node "$node" \
    -nostdin -timeout 900
) >"$dir/$node-probe-uas.log" 2>&1 </dev/null &
opts=${SIPLB_JAVA_OPTS:-}
opts=${opts//\{node\}/$node}
# shellcheck disable=SC2086  # a list of options
exec java -Xmx256m -XX:+UseSerialGC $opts -cp "$SIPLB_CP" io.siplb.netty.cli.Main run --config "$dir/$node.yaml"
