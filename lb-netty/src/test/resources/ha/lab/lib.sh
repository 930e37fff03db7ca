# shellcheck shell=bash disable=SC2034  # (settings are used by the scripts that source this)
# Common settings and helpers for the HA lab. Sourced by the other scripts, not run.
#
# Everything the lab does happens inside network namespaces that topology.sh
# creates. The bridge lives in its own namespace (sw) and is NOT connected to
# the host's network, and no namespace except natcl has a default route (natcl's
# points at the nat namespace, which has none): packets cannot leave the lab.

# Optional prefix for namespace names, to run the lab beside something else
# that already uses names like "client" (default: the plain names).
HALAB_NS_PREFIX=${HALAB_NS_PREFIX:-}
# Where run-time state goes: keepalived configs, pid files, logs, test runs.
HALAB_RUN_DIR=${HALAB_RUN_DIR:-/run/ha-lab}

# Nodes attached to the bridge, with their address on the lab LAN.
LAN_PREFIX=10.77.0
LAN_LEN=24
declare -A NODE_IP=(
  [lb1]=$LAN_PREFIX.11
  [lb2]=$LAN_PREFIX.12
  [proxy1]=$LAN_PREFIX.21
  [proxy2]=$LAN_PREFIX.22
  [client]=$LAN_PREFIX.100
  [nat]=$LAN_PREFIX.254
)
LAN_NODES=(lb1 lb2 proxy1 proxy2 client nat)
VIP=$LAN_PREFIX.50
VRID=77
SIP_PORT=5060

# The client behind NAT: natcl -- (10.77.1.0/24) -- nat -- bridge.
NAT_IN_PREFIX=10.77.1
NAT_GW_IN=$NAT_IN_PREFIX.1
NATCL_IP=$NAT_IN_PREFIX.100

ALL_NS=(sw "${LAN_NODES[@]}" natcl)

# ns NAME -> namespace name (with prefix)
ns() { printf '%s%s' "$HALAB_NS_PREFIX" "$1"; }
# nsx NAME CMD... -> run CMD inside the namespace of node NAME
nsx() { local n; n=$(ns "$1"); shift; ip netns exec "$n" "$@"; }
ns_exists() { [[ -e /run/netns/$(ns "$1") ]]; }

# Deterministic, locally administered MACs make captures readable:
# 02:77:00:00:<3rd octet>:<4th octet> of the interface's address, in hex
# (10.77.0.11 -> 02:77:00:00:00:0b).
node_mac() {
  local c d
  IFS=. read -r _ _ c d <<<"$1"
  printf '02:77:00:00:%02x:%02x' "$c" "$d"
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S.%3N)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_root() { [[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces)"; }
need_cmd() {
  local c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || die "missing command: $c"; done
}

# Wall clock in milliseconds with microsecond fraction (bash 5 EPOCHREALTIME).
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }

# Fail unless ADDR is inside the lab's own ranges: a guard for anything that
# is about to send traffic.
assert_lab_addr() {
  case $1 in
    "$LAN_PREFIX".* | "$NAT_IN_PREFIX".* | 127.*) ;;
    *) die "refusing to target $1: not a lab address" ;;
  esac
}

# PIDs of processes whose network namespace is node NAME's (possibly none).
ns_pids() { ip netns pids "$(ns "$1")" 2>/dev/null || true; }

# Kill PIDs that are still alive; SIG defaults to TERM.
kill_pids() {
  local sig=${1:-TERM}; shift || true
  local p live=()
  for p in "$@"; do
    [[ -n $p ]] && kill -0 "$p" 2>/dev/null && live+=("$p")
  done
  if ((${#live[@]})); then kill "-$sig" "${live[@]}" 2>/dev/null || true; fi
}

# Wait up to SECONDS for the PIDs to be gone; SIGKILL the ones that remain.
reap_pids() {
  local secs=$1; shift
  local deadline p alive
  deadline=$(( $(date +%s%N) + secs * 1000000000 ))
  while :; do
    alive=()
    for p in "$@"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    ((${#alive[@]})) || return 0
    (( $(date +%s%N) > deadline )) && break
    sleep 0.05
  done
  kill -KILL "${alive[@]}" 2>/dev/null || true
}

# spawn NODE PIDFILE LOGFILE CMD... : start CMD in the background inside node
# NODE's namespace; its PID goes to PIDFILE (`ip netns exec` execs CMD, so
# $! is CMD's own PID).
spawn() {
  local node=$1 pidfile=$2 logfile=$3; shift 3
  ip netns exec "$(ns "$node")" "$@" >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

# pidfile_pid PIDFILE NODE : print the PID recorded in PIDFILE if that process
# is alive and lives in NODE's namespace (guards against stale/reused PIDs).
pidfile_pid() {
  local pidfile=$1 node=$2 pid
  [[ -s $pidfile ]] || return 1
  read -r pid <"$pidfile" || true
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  [[ $(ip netns identify "$pid" 2>/dev/null) == "$(ns "$node")" ]] || return 1
  printf '%s\n' "$pid"
}

# has_vip NODE : true if the VIP is configured on NODE's eth0
has_vip() { [[ -n $(ip -n "$(ns "$1")" -o -4 addr show dev eth0 to "$VIP/32" 2>/dev/null) ]]; }

# vip_on_lb1_alone : lb1 holds the VIP and lb2 does not
vip_on_lb1_alone() { has_vip lb1 && ! has_vip lb2; }

# holds_for SECONDS CMD... : CMD succeeds at every 50 ms poll for SECONDS (whole seconds)
holds_for() {
  local secs=$1; shift
  local deadline=$(( $(date +%s%N) + secs * 1000000000 ))
  while (( $(date +%s%N) < deadline )); do
    "$@" || return 1
    sleep 0.05
  done
}

# wait_until SECONDS CMD... : poll CMD every 20 ms until it succeeds (0) or time runs out (1)
wait_until() {
  local secs=$1; shift
  local deadline=$(( $(date +%s%N) + ${secs%.*} * 1000000000 ))
  until "$@"; do
    (( $(date +%s%N) > deadline )) && return 1
    sleep 0.02
  done
}

# Print the comment block at the top of the calling script (its usage text).
print_header() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"; }
