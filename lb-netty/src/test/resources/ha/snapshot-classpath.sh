#!/usr/bin/env bash
# snapshot-classpath.sh DIR : compiles siplb (Maven, offline, no tests), copies the classes
# directories of lb-core, lb-config and lb-netty into DIR and prints the class path to use as
# SIPLB_CP (measure.sh, siplb-lab-node.sh). The copy matters on a shared machine: other builds
# rewrite target/classes while a measurement runs, and a node started then would fail.
#   export SIPLB_CP=$(lb-netty/src/test/resources/ha/snapshot-classpath.sh /tmp/siplb-classes)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../../.." && pwd)
dir=$(realpath -m "${1:?usage: snapshot-classpath.sh DIR}")
mkdir -p "$dir"
cd "$root"
mvn -B -q -o -pl lb-netty -am -DskipTests compile dependency:build-classpath \
  -Dmdep.outputFile="$dir/dependencies.txt" -Dmdep.includeScope=runtime >&2
cp_out=""
for m in lb-netty lb-core lb-config; do
  rm -rf "${dir:?}/$m"
  cp -r "$m/target/classes" "$dir/$m"
done
deps=$(tr ':' '\n' <"$dir/dependencies.txt" | grep -v "^$root/" | paste -sd:)
cp_out="$dir/lb-netty:$dir/lb-core:$dir/lb-config:$deps"
echo "$cp_out"
