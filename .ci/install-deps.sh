#!/usr/bin/env bash
# Debian packages the build and the tests need (unit and e2e). Idempotent and
# quiet: installs only what is missing (apt-get update first, then), never
# upgrades, prints nothing on success.
#
# e2e tests (lb-netty, io.siplb.netty.e2e) need:
#   sip-tester  SIPp, the SIP clients and backends
#   kamailio    the reference LB and the registrar (home proxy) of the NAT test
#   iproute2 nftables iptables  network namespaces, veth pairs, NAT (MASQUERADE)
#   tshark      captures in the labs;  keepalived  VRRP reference (ha-lab)
#   dnsmasq     DNS in the labs;  prometheus  promtool (checks deploy/ rules)
#   procps util-linux coreutils curl  ps/kill, unshare/taskset, timeout, health probes
#   openssl     TLS peer (s_client) and test certificates
#   gcc libc6-dev  builds flood-blast, the UDP GSO flood sender of FloodE2ETest
#   sipp-tls    SIPp with TLS (Debian 12's has none): .ci/install-sipp-tls.sh, below
#
# Several of these packages start a system service on install (kamailio on
# port 5060, dnsmasq on 53, prometheus on 9090, keepalived): the tests start
# their own instances and must find those ports free. A policy-rc.d keeps
# services from starting during the install, and the services are stopped
# and disabled afterwards (also when they were installed earlier).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

pkgs=(maven openjdk-17-jdk-headless
      sip-tester kamailio iproute2 nftables iptables tshark keepalived dnsmasq prometheus
      procps util-linux coreutils curl
      openssl gcc libc6-dev)
services=(kamailio dnsmasq prometheus keepalived)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  # policy-rc.d exit 101 = "action not allowed": invoke-rc.d and
  # deb-systemd-invoke do not start services during the install. Only ours
  # is removed afterwards; an existing policy file is left alone.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  trap 'if [ "$own_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  # tshark asks whether non-root users may capture: no (tests run as root)
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash "$(dirname "$0")/install-sipp-tls.sh"

# Stop and disable the system services: tests start their own processes.
for s in "${services[@]}"; do
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl stop "$s" >/dev/null 2>&1 || true
    systemctl disable "$s" >/dev/null 2>&1 || true
  elif [ -x "/etc/init.d/$s" ]; then
    "/etc/init.d/$s" stop >/dev/null 2>&1 || true
    update-rc.d "$s" disable >/dev/null 2>&1 || true
  fi
done
