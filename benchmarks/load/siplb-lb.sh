#!/usr/bin/env bash
# siplb-lb.sh - run siplb in the foreground as the "LB under test" of the
# shared SIPp bench harness (../shared/bench/run-bench.sh --lb-cmd ...).
#
# run-bench.sh runs its LB command with `bash -c` in the result folder and
# exports LB_IP, LB_PORT (UDP listen address) and LB_BACKENDS
# (host:port,host:port,...). This script writes siplb.yaml for them into the
# current directory and execs `java -jar siplb.jar run --config siplb.yaml`,
# so the PID run-bench.sh stops is the JVM's.
#
# Environment:
#   SIPLB_JAR          the shaded jar (default: lb-netty/target/siplb.jar of this repo)
#   SIPLB_ADMIN_PORT   admin HTTP port on 127.0.0.1 (default: 23080)
#   SIPLB_JAVA_OPTS    JVM options (default: the flags benchmarks/README.md documents,
#                      see DEFAULT_JAVA_OPTS below)
#   SIPLB_GC_LOG       yes (default): also -Xlog:gc:file=gc.log:timemillis (one line per collection,
#                      in the result folder; a bench diagnostic, not a product flag)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=${SIPLB_JAR:-$here/../../lb-netty/target/siplb.jar}
admin_port=${SIPLB_ADMIN_PORT:-23080}
# The JVM flags siplb is measured with (benchmarks/README.md, "JVM flags", says why).
DEFAULT_JAVA_OPTS="-Xms128m -Xmx128m -XX:+UseSerialGC -XX:+AlwaysPreTouch -XX:+ExitOnOutOfMemoryError"
: "${LB_IP:?LB_IP not set (run me from run-bench.sh --lb-cmd)}"
: "${LB_PORT:?LB_PORT not set}"
: "${LB_BACKENDS:?LB_BACKENDS not set}"
[[ -f $jar ]] || { echo "siplb-lb.sh: no jar at $jar (build: mvn -B -q -DskipTests package)" >&2; exit 1; }

{
  echo "# written by benchmarks/load/siplb-lb.sh for a bench run"
  echo "listen: [udp://$LB_IP:$LB_PORT]"
  echo "advertise: $LB_IP:$LB_PORT"
  echo "backends:"
  i=0
  IFS=, read -r -a backends <<<"$LB_BACKENDS"
  for b in "${backends[@]}"; do
    i=$((i + 1))
    echo "  - id: b$i"
    echo "    uri: sip:$b"
  done
  # the SIPp backends do not answer OPTIONS and are restarted between measurements
  echo "health:"
  echo "  enabled: false"
  echo "flow-token:"
  echo "  secret: \"bench-key-0123456789abcdef0123456789abcdef\""
  # every SIPp client sends from 127.0.0.1: the per-source rate limit (a guard against floods
  # from the internet) would throttle the whole benchmark
  echo "limits:"
  echo "  rate: 0"
  echo "admin:"
  echo "  listen: 127.0.0.1:$admin_port"
  # the harness stops the LB after its last measurement: no drain needed
  echo "shutdown:"
  echo "  grace: 0s"
} >siplb.yaml

gc_log=()
# timemillis: run-bench.sh counts the collections inside each measurement by wall-clock time
[[ ${SIPLB_GC_LOG:-yes} == yes ]] && gc_log=(-Xlog:gc:file=gc.log:timemillis)
# shellcheck disable=SC2086 # SIPLB_JAVA_OPTS is a list of options
exec java ${SIPLB_JAVA_OPTS:-$DEFAULT_JAVA_OPTS} "${gc_log[@]}" -jar "$jar" run --config siplb.yaml
