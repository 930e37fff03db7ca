#!/usr/bin/env bash
# SIPp with TLS for the e2e tests (TlsE2ETest), as /usr/local/bin/sipp-tls. Debian 12's `sipp`
# (sip-tester 3.6.1) is built without TLS (`sipp -t l1`: "you must compile SIPp with OpenSSL")
# and stays as it is: the other tests use it.
#
# What: Debian's sip-tester 1:3.8.0-1 from forky (Debian 14, now testing), which Debian builds
# with OpenSSL, with the forky libraries it links (libc6, libssl3t64, ... ~10 MB of .debs),
# unpacked under /usr/local/lib/sipp-tls and started through forky's own dynamic loader with
# --library-path: nothing of it mixes with the system's libraries, nothing enters the system's
# package database, and the programs SIPp may start get the system's libraries.
#
# Why not a build from source: the Debian mirror reachable here and in CI answers 404 for every
# sip-tester source file (3.6.1, 3.7.3 and 3.8.0 .orig.tar.gz/.debian.tar.xz), while binary
# packages are served. Why not trixie's 3.7.3 (stable, TLS by wolfSSL): its TLS client completes
# the handshake and then fails to write ("Unable to send TLS message"), against siplb and
# against openssl s_server alike. Why 3.8.0: with OpenSSL its client sends and receives.
#
# Integrity: apt checks forky's InRelease against Debian's archive keyring and every .deb
# against the signed index; sip-tester's .deb is also pinned by version and SHA-256. When forky
# no longer has the pinned version, the newest forky sip-tester >= 3.8 is taken instead, with a
# notice on stderr (update the pin then). The libraries are forky's current ones. The system's
# apt state is untouched (own lists, cache and empty status file in a temporary directory).
#
# Idempotent (nothing happens when sipp-tls -v reports a TLS build >= 3.8), quiet on success (apt's
# output goes to a log printed on failure), bounded (apt steps under timeout, apt's HTTP
# timeout), 10-30 s from scratch (network). Needs root (writes /usr/local).
set -euo pipefail

suite=forky
version='1:3.8.0-1'
deb_sha256='8000b1094707cdf36de9f7f77db52594d61807dca740355526770d35701af2a2'
prefix=/usr/local/lib/sipp-tls
bin=/usr/local/bin/sipp-tls
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# True when $1 -v says "SIPp v3.8.0-TLS-..." with a version from 3.8 on
is_tls_build() {
  local out v
  out=$("$1" -v 2>&1 || true) # sipp -v exits 99
  [[ "$out" =~ SIPp\ v([0-9][0-9.]*)-TLS ]] || return 1
  v=${BASH_REMATCH[1]}
  dpkg --compare-versions "$v" ge 3.8
}

if [ -x "$bin" ] && is_tls_build "$bin"; then
  exit 0
fi

work=$(mktemp -d /tmp/sipp-tls.XXXXXX)
log="$work/log"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "install-sipp-tls: $*" >&2
  [ -s "$log" ] && tail -n 40 "$log" >&2
  exit 1
}

# The system's Debian mirror: the URI of the apt source for this release's own suite
. /etc/os-release
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 2>/dev/null \
           | awk -v c="${VERSION_CODENAME:-}" '$2 == c { print $1; exit }')
[ -n "$mirror" ] || fail "no apt source for '${VERSION_CODENAME:-?}' in the system's apt sources"

mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/parts"
touch "$work/status"
echo "deb [signed-by=$keyring] $mirror $suite main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/parts"
          -o "Dir::State=$work" -o "Dir::State::Lists=$work/lists" -o "Dir::State::status=$work/status"
          -o "Dir::Cache=$work/cache" -o "APT::Architecture=amd64" -o "APT::Architectures=amd64"
          -o "Acquire::Languages=none" -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
          -o "Acquire::http::Timeout=60" -o "Acquire::Retries=2" -o "APT::Sandbox::User=root"
          -o "Debug::NoLocking=1")

[ -r "$keyring" ] || fail "no $keyring (apt-get install debian-archive-keyring)"
timeout 300 apt-get "${apt_opts[@]}" update -qq >>"$log" 2>&1 || fail "apt-get update ($suite) failed"

apt_cache() { timeout 60 apt-cache "${apt_opts[@]}" "$@" 2>>"$log"; }

# The pinned version, or forky's newest from 3.8 on (an older SIPp's TLS client does not work)
if [ -z "$(apt_cache show "sip-tester=$version" | sed -n 's/^Version: //p')" ]; then
  candidate=$(apt_cache policy sip-tester | sed -n 's/^ *Candidate: //p')
  if [ -z "$candidate" ] || [ "$candidate" = "(none)" ] || dpkg --compare-versions "$candidate" lt 1:3.8; then
    fail "no sip-tester $version nor >= 3.8 in $suite (candidate: ${candidate:-none})"
  fi
  echo "install-sipp-tls: sip-tester $version is gone from $suite, taking $candidate (update the pin)" >&2
  version=$candidate
  deb_sha256=
fi

# sip-tester and the closure of the libraries it depends on (an empty status file: all count);
# python3 only serves a helper script (sipp-multi.py), not sipp
mapfile -t direct < <(apt_cache show "sip-tester=$version" | sed -n 's/^Depends: //p' | head -n 1 \
    | tr ',' '\n' | sed 's/(.*//; s/|.*//; s/:any//; s/ //g' | grep -v -x -e python3 -e '')
[ ${#direct[@]} -gt 0 ] || fail "no dependencies found for sip-tester=$version in $suite"
mapfile -t libs < <(apt_cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances "${direct[@]}" | grep -v -e '^ ' -e '^<' | sed 's/:amd64$//' | sort -u)
(cd "$work/debs" && timeout 300 apt-get "${apt_opts[@]}" download -qq "sip-tester=$version" "${libs[@]}") \
  >>"$log" 2>&1 || fail "apt-get download failed: sip-tester=$version ${libs[*]}"

deb=$(ls "$work"/debs/sip-tester_*_amd64.deb)
if [ -n "$deb_sha256" ]; then
  echo "$deb_sha256  $deb" | sha256sum -c --quiet - >>"$log" 2>&1 || fail "sha256 of $(basename "$deb") differs"
fi

rm -rf "$prefix.new"
mkdir -p "$prefix.new"
for d in "$work"/debs/*.deb; do
  dpkg-deb -x "$d" "$prefix.new" || fail "cannot unpack $d"
done
rm -rf "$prefix.new/usr/share/man" "$prefix.new/usr/share/locale" "$prefix.new/usr/share/doc" "$prefix.new/usr/share/zoneinfo"
(cd "$work/debs" && ls *.deb) >"$prefix.new/PACKAGES"

# The loader of forky's libc, with forky's libraries first: --library-path (not
# LD_LIBRARY_PATH) does not leak into the processes SIPp starts (<exec command=...>).
cat >"$prefix.new/sipp-tls" <<EOF
#!/bin/sh
# SIPp with TLS: Debian $suite's sip-tester $version under $prefix (see .ci/install-sipp-tls.sh)
d=$prefix
exec "\$d/usr/lib64/ld-linux-x86-64.so.2" --library-path "\$d/usr/lib/x86_64-linux-gnu" "\$d/usr/bin/sipp" "\$@"
EOF
chmod 755 "$prefix.new/sipp-tls"

rm -rf "$prefix"
mv "$prefix.new" "$prefix"
ln -sf "$prefix/sipp-tls" "$bin"
is_tls_build "$bin" || fail "$bin -v does not report a TLS build: $("$bin" -v 2>&1 | head -n 3)"
