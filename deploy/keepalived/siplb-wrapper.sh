#!/bin/sh
# /usr/local/bin/siplb: the CLI for keepalived's track_script and for operators.
#   install -m 755 siplb-wrapper.sh /usr/local/bin/siplb
# `siplb health` starts a JVM (~0.3-0.5 s); the -XX flags keep that short.
exec /usr/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -jar /opt/siplb/siplb.jar "$@"
