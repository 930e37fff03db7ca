#!/usr/bin/env bash
# first-load-figure.sh - the first load figure of siplb (issue 3): SIPp at
# 2,000 REGISTER/s for 20 s through siplb to 2 SIPp backends, measured with
# the load harness in this folder (run-bench.sh, a copy of the shared one).
# A benchmark run, not a test. Bounded: 20 s warm-up + 20 s measured per
# repetition, plus start/stop (run-bench.sh bounds every wait and process).
# Later options override the defaults below (run-bench.sh takes the last).
#
#   cd /work/main && mvn -B -q -o -DskipTests package   # lb-netty/target/siplb.jar
#   benchmarks/load/first-load-figure.sh [run-bench.sh options]
#   e.g. ... -n 3 --wait-quiet 20    (3 repetitions, each after up to 20 s of waiting for a quiet host)
#
# Environment: BENCH_DIR (default: this folder), SIPLB_JAR, SIPLB_JAVA_OPTS,
# SIPLB_ADMIN_PORT (see siplb-lb.sh). Ports are moved off 5060/5061/5071+
# (LB_PORT, UAC_PORT, BACKEND_BASE_PORT) so that a Kamailio or another bench
# on the same machine does not collide. The figure in benchmarks/README.md was
# taken with the shared harness and `-Xms256m -Xmx256m` (siplb-lb.sh's default then).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=${BENCH_DIR:-$here}
[[ -x $bench/run-bench.sh ]] || { echo "no run-bench.sh in $bench (set BENCH_DIR)" >&2; exit 1; }
export SIPLB_JAR=${SIPLB_JAR:-$(cd "$here/../.." && pwd)/lb-netty/target/siplb.jar}
export LB_PORT=${LB_PORT:-23060} UAC_PORT=${UAC_PORT:-23061} BACKEND_BASE_PORT=${BACKEND_BASE_PORT:-23071}

cd "$bench"
exec ./run-bench.sh -s register -r 2000 -d 20 -n 1 -w 20 --backends 2 \
  --lb-cmd "exec '$here/siplb-lb.sh'" --lb-name siplb --label first-load-figure "$@"
