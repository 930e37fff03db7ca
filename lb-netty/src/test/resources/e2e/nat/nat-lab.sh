#!/usr/bin/env bash
# nat-lab.sh up PREFIX | down PREFIX | status PREFIX
#
# A SIP client behind a NAT, in network namespaces, for siplb's e2e tests
# (NatTraversalE2ETest). Modelled on shared/ha-lab/topology.sh.
#
#    PREFIXcl            PREFIXnat                      PREFIXpub
#    client              NAT (MASQUERADE,               LB        10.79.0.10
#    10.79.1.100 ──eth0──eth1 10.79.1.1   eth0 ──eth0── registrar 10.79.0.20
#    default via .1.1    public ports 40000-40999)      caller    10.79.0.30
#                        10.79.0.254
#
# * "private" net 10.79.1.0/24 (client side), "public" net 10.79.0.0/24 (the
#   LB, the home proxy and a caller). The addresses exist only inside these
#   namespaces; nothing is connected to the host's network, and only the
#   client has a default route (to the NAT, which has none), so no packet can
#   leave the lab.
# * pub has no route to 10.79.1.0/24: a request sent to the client's private
#   Contact fails there. The client is reachable only through its NAT binding,
#   which is exactly what the LB's Path/Record-Route flow handling must use.
# * The NAT maps source ports to 40000-40999, so the client's public port
#   always differs from the port in its Contact/Via (the LB must use the
#   source it saw: rport, RFC 3581).
#
# Names: PREFIX is unique per run (the test passes "se2e<pid>-"), so parallel
# runs and other labs (ha-lab) never collide. `up` records every namespace it
# creates in $NATLAB_RUN_DIR/PREFIX.ns before creating it; `down` ends the
# processes still inside exactly those namespaces (by PID, `ip netns pids`)
# and deletes them. A failed `up` cleans up after itself (trap). Both verbs
# are idempotent.
set -euo pipefail

NATLAB_RUN_DIR=${NATLAB_RUN_DIR:-/run/siplb-e2e}
PUB_PREFIX=10.79.0
PRIV_PREFIX=10.79.1
LB_IP=$PUB_PREFIX.10
REGISTRAR_IP=$PUB_PREFIX.20
CALLER_IP=$PUB_PREFIX.30
NAT_PUB_IP=$PUB_PREFIX.254
NAT_PRIV_IP=$PRIV_PREFIX.1
CLIENT_IP=$PRIV_PREFIX.100
NAT_PORTS=40000-40999

log() { printf '[nat-lab %s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; exit "${1:-0}"; }

[[ $# -ge 2 ]] || usage 2
VERB=$1
PREFIX=$2
[[ $PREFIX =~ ^[A-Za-z0-9_.-]{1,40}$ ]] || die "bad prefix '$PREFIX' (expected: [A-Za-z0-9_.-], at most 40 chars)"
STATE=$NATLAB_RUN_DIR/$PREFIX.ns
CL=${PREFIX}cl
NAT=${PREFIX}nat
PUB=${PREFIX}pub

# Record a namespace as ours, then create it: `down` removes it even when
# `up` fails half way.
add_ns() {
  local n=$1
  [[ -e /run/netns/$n ]] && die "namespace $n exists already and is not ours"
  echo "$n" >>"$STATE"
  ip netns add "$n"
  ip -n "$n" link set lo up
  # no IPv6: no router solicitations or DAD noise, nothing to leak
  ip netns exec "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

masquerade() {
  if command -v nft >/dev/null 2>&1; then
    ip netns exec "$NAT" nft -f - <<NFT
table ip siplb_e2e_nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr $PRIV_PREFIX.0/24 oifname "eth0" meta l4proto { udp, tcp } counter masquerade to :$NAT_PORTS
    ip saddr $PRIV_PREFIX.0/24 oifname "eth0" counter masquerade
  }
}
NFT
    log "nat: nft masquerade $PRIV_PREFIX.0/24 -> $NAT_PUB_IP ports $NAT_PORTS"
  elif command -v iptables >/dev/null 2>&1; then
    ip netns exec "$NAT" iptables -t nat -A POSTROUTING -s "$PRIV_PREFIX.0/24" -o eth0 -p udp \
      -j MASQUERADE --to-ports "$NAT_PORTS"
    ip netns exec "$NAT" iptables -t nat -A POSTROUTING -s "$PRIV_PREFIX.0/24" -o eth0 -p tcp \
      -j MASQUERADE --to-ports "$NAT_PORTS"
    log "nat: iptables masquerade $PRIV_PREFIX.0/24 -> $NAT_PUB_IP ports $NAT_PORTS"
  else
    die "neither nft nor iptables found (apt-get install nftables)"
  fi
}

cmd_up() {
  [[ $(id -u) -eq 0 ]] || die "must run as root"
  command -v ip >/dev/null || die "missing command: ip"
  mkdir -p "$NATLAB_RUN_DIR"
  if [[ -s $STATE ]]; then
    log "previous state for $PREFIX found: tearing it down first"
    cmd_down
  fi
  : >"$STATE"
  trap 'log "up failed: cleaning up"; cmd_down' ERR

  add_ns "$CL"
  add_ns "$NAT"
  add_ns "$PUB"

  # private side: client eth0 <-> nat eth1
  ip -n "$NAT" link add eth1 type veth peer name eth0 netns "$CL"
  ip -n "$NAT" addr add "$NAT_PRIV_IP/24" dev eth1
  ip -n "$NAT" link set eth1 up
  ip -n "$CL" addr add "$CLIENT_IP/24" dev eth0
  ip -n "$CL" link set eth0 up
  ip -n "$CL" route add default via "$NAT_PRIV_IP"

  # public side: nat eth0 <-> pub eth0 (LB, registrar and caller addresses)
  ip -n "$NAT" link add eth0 type veth peer name eth0 netns "$PUB"
  ip -n "$NAT" addr add "$NAT_PUB_IP/24" dev eth0
  ip -n "$NAT" link set eth0 up
  ip -n "$PUB" addr add "$LB_IP/24" dev eth0
  ip -n "$PUB" addr add "$REGISTRAR_IP/24" dev eth0
  ip -n "$PUB" addr add "$CALLER_IP/24" dev eth0
  ip -n "$PUB" link set eth0 up

  ip netns exec "$NAT" sysctl -qw net.ipv4.ip_forward=1
  masquerade
  trap - ERR
  log "up: $(tr '\n' ' ' <"$STATE")"
  # machine-readable summary for the test
  printf 'client=%s\nnat=%s\npublic=%s\nclient_ip=%s\nnat_public_ip=%s\nlb_ip=%s\nregistrar_ip=%s\ncaller_ip=%s\n' \
    "$CL" "$NAT" "$PUB" "$CLIENT_IP" "$NAT_PUB_IP" "$LB_IP" "$REGISTRAR_IP" "$CALLER_IP"
}

cmd_down() {
  local n pids p deadline
  [[ -f $STATE ]] || { log "nothing to remove for $PREFIX"; return 0; }
  while read -r n; do
    [[ -n $n && -e /run/netns/$n ]] || continue
    # Whatever still runs in a namespace this lab created was started in it
    # by the test: end it by PID, TERM first, KILL after 3 s.
    mapfile -t pids < <(ip netns pids "$n" 2>/dev/null || true)
    if ((${#pids[@]})); then
      log "stopping ${#pids[@]} process(es) left in $n: ${pids[*]}"
      kill -TERM "${pids[@]}" 2>/dev/null || true
      deadline=$((SECONDS + 3))
      for p in "${pids[@]}"; do
        while kill -0 "$p" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.05; done
        kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
      done
    fi
  done <"$STATE"
  while read -r n; do
    [[ -n $n && -e /run/netns/$n ]] || continue
    ip netns del "$n" && log "deleted namespace $n"
  done <"$STATE"
  rm -f "$STATE"
}

cmd_status() {
  local n
  for n in "$CL" "$NAT" "$PUB"; do
    if [[ -e /run/netns/$n ]]; then
      printf '%-20s %s\n' "$n" "$(ip -n "$n" -br -4 addr show | grep -v '^lo ' | tr -s ' ' | paste -sd';')"
    else
      printf '%-20s (absent)\n' "$n"
    fi
  done
}

case $VERB in
  up) cmd_up ;;
  down) [[ $(id -u) -eq 0 ]] || die "must run as root"; cmd_down ;;
  status) cmd_status ;;
  *) usage 2 ;;
esac
