#!/usr/bin/env bash
#
# compare.sh - siplb and Kamailio side by side on this machine, one command.
#
# For every repetition and scenario (REGISTER, then the INVITE/ACK/BYE call
# through Record-Route) it runs siplb and then Kamailio, alternately, with the
# same SIPp backends, scenarios and pinning (LB on LB_CPUS, every SIPp process
# on SIPP_CPUS; Kamailio with children = CPUs the LB may use = 1, as in the
# pinned rows of the shared baseline). Each LB gets one run-bench.sh "suite":
#   1. warm-up (not measured; JIT),
#   2. FIXED_RATES for FIXED_DURATION s: LB CPU us per message, RSS,
#   3. a max-rate ramp: highest clean rate (failures and retransmissions
#      <= 0.1 % of calls, >= 97 % of the offered rate achieved),
#   4. a response-time run at half of siplb's highest clean rate of this
#      repetition (the same rate for both LBs): SIPp per-call response times
#      (whole ms) and the same times from a packet capture (us).
# Then it writes one markdown table (median [min-max] over the repetitions,
# both LBs side by side, a verdict per criterion of issue 7) and meta data into
# the result folder, and prints it.
#
#   benchmarks/load/compare.sh             # the full comparison (~40 min)
#   benchmarks/load/compare.sh --quick     # smoke test: 1 repetition, short runs (~8 min)
#   benchmarks/load/compare.sh --report DIR   # rewrite DIR/comparison.md from DIR's data
#
# It builds nothing: build the jar first (mvn -B -q -DskipTests package -pl lb-netty -am).
# Every process it starts (through run-bench.sh) is stopped by PID on exit;
# every run-bench.sh invocation is bounded by `timeout`.
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd -- "$here/../.." && pwd)"

# ------------------------------------------------------------ settings (env)
REPS="${REPS:-3}"
SCENARIOS="${SCENARIOS:-register call}"
FIXED_RATES="${FIXED_RATES:-2000}"          # cps; the first one is the verdict's rate
FIXED_DURATION="${FIXED_DURATION:-20}"      # s per fixed-rate run
WARMUP="${WARMUP:-20}"                      # s of unmeasured traffic at the first fixed rate (C2)
RAMP_FACTOR="${RAMP_FACTOR:-1.25}"
RAMP_STEP_DURATION="${RAMP_STEP_DURATION:-8}"
RAMP_BISECT="${RAMP_BISECT:-3}"
RAMP_MAX_STEPS="${RAMP_MAX_STEPS:-10}"
RAMP_START_register="${RAMP_START_register:-15000}"
RAMP_START_call="${RAMP_START_call:-5000}"
RTT_DURATION="${RTT_DURATION:-20}"
WAIT_QUIET="${WAIT_QUIET:-0}"               # run-bench --wait-quiet (s per measurement)
LB_CPUS="${LB_CPUS:-0}"
SIPP_CPUS="${SIPP_CPUS:-1}"
export LB_PORT="${LB_PORT:-25060}" UAC_PORT="${UAC_PORT:-25061}" BACKEND_BASE_PORT="${BACKEND_BASE_PORT:-25071}"
export SIPLB_ADMIN_PORT="${SIPLB_ADMIN_PORT:-25080}"
NUM_BACKENDS="${NUM_BACKENDS:-4}"
SIPLB_JAR="${SIPLB_JAR:-$repo/lb-netty/target/siplb.jar}"
# empty: the defaults of siplb-lb.sh (the documented product flags)
SIPLB_JAVA_OPTS="${SIPLB_JAVA_OPTS:-}"
RUN_TIMEOUT="${RUN_TIMEOUT:-1800}"          # s, hard limit of one run-bench.sh invocation
OUT=""
REPORT_ONLY=""

usage() {
    sed -n '3,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    cat <<EOF

Options:
  --quick            1 repetition, 5 s warm-up / fixed runs, 4 s ramp steps, 1 bisection
  --reps N           repetitions (default $REPS)
  --scenarios "..."  register and/or call (default "$SCENARIOS")
  --wait-quiet SEC   before each measurement wait up to SEC s for a quiet host
  -o, --out DIR      result folder (default benchmarks/load/results/<date>-compare)
  --report DIR       no measurement: rebuild DIR/comparison.md from DIR/*/runs.tsv
  -h, --help

Environment (defaults): REPS, SCENARIOS, FIXED_RATES ($FIXED_RATES), FIXED_DURATION ($FIXED_DURATION),
WARMUP ($WARMUP), RAMP_START_register ($RAMP_START_register), RAMP_START_call ($RAMP_START_call),
RAMP_FACTOR ($RAMP_FACTOR), RAMP_STEP_DURATION ($RAMP_STEP_DURATION), RAMP_BISECT ($RAMP_BISECT),
RAMP_MAX_STEPS ($RAMP_MAX_STEPS), RTT_DURATION ($RTT_DURATION), LB_CPUS ($LB_CPUS), SIPP_CPUS ($SIPP_CPUS),
LB_PORT ($LB_PORT), UAC_PORT ($UAC_PORT), BACKEND_BASE_PORT ($BACKEND_BASE_PORT),
SIPLB_ADMIN_PORT ($SIPLB_ADMIN_PORT), SIPLB_JAR, SIPLB_JAVA_OPTS (empty = siplb-lb.sh's defaults),
KAMAILIO_BIN, SIPP_BIN.
EOF
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick)
            REPS=1; FIXED_DURATION=5; WARMUP=5; RAMP_STEP_DURATION=4; RAMP_BISECT=1; RTT_DURATION=6
            shift ;;
        --reps)       REPS="${2:?}"; shift 2 ;;
        --scenarios)  SCENARIOS="${2:?}"; shift 2 ;;
        --wait-quiet) WAIT_QUIET="${2:?}"; shift 2 ;;
        -o|--out)     OUT="${2:?}"; shift 2 ;;
        --report)     REPORT_ONLY="${2:?}"; shift 2 ;;
        -h|--help)    usage; exit 0 ;;
        *)            usage >&2; echo "compare: unknown option $1" >&2; exit 2 ;;
    esac
done

die() { echo "compare: ERROR: $*" >&2; exit 1; }
log() { echo "$(date '+%H:%M:%S') compare: $*" >&2; [[ -n "$OUT" ]] && echo "$(date '+%H:%M:%S') $*" >>"$OUT/compare.log"; return 0; }

# ------------------------------------------------------------ the table
# median [min-max] helpers and the table itself, from the per-invocation
# folders OUT/r<rep>-<scenario>-<lb>/ (runs.tsv, ramp.tsv)
make_report() {
    local out="$1" d lb sc rp f
    local all="$out/all-runs.tsv" ramps="$out/all-ramps.tsv"
    : >"$all"; : >"$ramps"
    for d in "$out"/r*-*-*/; do
        d="${d%/}"; f="$(basename "$d")"
        [[ -s "$d/runs.tsv" ]] || continue
        rp="${f%%-*}"; rp="${rp#r}"; sc="${f#*-}"; lb="${sc#*-}"; sc="${sc%%-*}"
        awk -F'\t' -v lb="$lb" -v rp="$rp" 'NR > 1 { print lb "\t" rp "\t" $0 }' "$d/runs.tsv" >>"$all"
        [[ -s "$d/ramp.tsv" ]] && awk -F'\t' -v lb="$lb" -v rp="$rp" -v sc="$sc" \
            'NR > 1 { print lb "\t" rp "\t" sc "\t" $0 }' "$d/ramp.tsv" >>"$ramps"
    done
    [[ -s "$all" ]] || { echo "compare: no measurements in $out" >&2; return 1; }
    local fixed_rate="${FIXED_RATES%% *}"
    # all-runs.tsv: 1 lb, 2 rep, then runs.tsv columns shifted by 2 (run = 3, phase = 4, ...)
    awk -F'\t' -v fr="$fixed_rate" -v scens="$SCENARIOS" '
        function fmt(x, d) { return (x == "" || x == "NA") ? "-" : sprintf("%." d "f", x) }
        function sortv(a, n,    i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; j = i - 1; while (j >= 1 && a[j] > t) { a[j+1] = a[j]; j-- } a[j+1] = t } }
        # median of the values stored as V[key, 1..N[key]]
        function med(key,   n, i, a) { n = N[key]; if (!n) return ""; for (i = 1; i <= n; i++) a[i] = V[key, i] + 0; sortv(a, n)
                                        return (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
        function mm(key, d,   n, i, a) { n = N[key]; if (!n) return "-"; for (i = 1; i <= n; i++) a[i] = V[key, i] + 0; sortv(a, n)
                                        if (n == 1) return fmt(a[1], d)
                                        return fmt(med(key), d) " [" fmt(a[1], d) "–" fmt(a[n], d) "]" }
        function add(key, v) { if (v == "" || v == "NA") return; V[key, ++N[key]] = v }
        {
            lb = $1; ph = $4; sc = $5; rate = $7
            if (ph == "fixed" && rate == fr) {
                k = sc SUBSEP lb
                add("us" SUBSEP k, $22)
                if ($15 > 0) { add("usu" SUBSEP k, 1e6 * $37 / $15); add("uss" SUBSEP k, 1e6 * $38 / $15) }
                add("cpu" SUBSEP k, $21); add("msg" SUBSEP k, $19)
                add("rss" SUBSEP k, $23 / 1024); add("uss_mem" SUBSEP k, $36 / 1024)
                add("other" SUBSEP k, $33); add("pre" SUBSEP k, $34)
                add("fp50" SUBSEP k, $40); add("fp99" SUBSEP k, $42)
                add("fbad" SUBSEP k, $12 + $13 + $14); fcalls[k] += $10; if ($29 == "yes") fclean[k]++; fn[k]++
                if (NF >= 52 && $49 != "NA") { add("gcn" SUBSEP k, $49); add("gcp" SUBSEP k, $50); add("gcm" SUBSEP k, $51); if ($15 > 0) add("gcf" SUBSEP k, $52 * 1048576 / $15) }
            }
            if (ph == "rtt") {
                k = sc SUBSEP lb
                add("rrate" SUBSEP k, rate)
                add("p50" SUBSEP k, $40); add("p90" SUBSEP k, $41); add("p99" SUBSEP k, $42)
                add("c50" SUBSEP k, $45); add("c90" SUBSEP k, $46); add("c99" SUBSEP k, $47); add("cn" SUBSEP k, $44)
                if ($29 == "yes") rclean[k]++; rn[k]++
                if (NF >= 52 && $49 != "NA") { add("rgcn" SUBSEP k, $49); add("rgcp" SUBSEP k, $50); add("rgcm" SUBSEP k, $51) }
            }
            if (ph != "warmup") { add("allother" SUBSEP lb, $33); add("allpre" SUBSEP lb, $34) }
        }
        END {
            while ((getline line < RAMPS) > 0) {
                split(line, f, "\t")   # lb rep scenario rep max first_bad reason best_run
                k = f[3] SUBSEP f[1]
                add("max" SUBSEP k, f[5]); add("bad" SUBSEP k, f[6])
                why[k] = why[k] (why[k] == "" ? "" : " / ") f[7]
            }
            ns = split(scens, S, " ")
            print "| scenario | figure | siplb | Kamailio | siplb / Kamailio | verdict |"
            print "|---|---|---|---|---|---|"
            for (i = 1; i <= ns; i++) {
                sc = S[i]; ks = sc SUBSEP "siplb"; kk = sc SUBSEP "kamailio"
                m1 = med("us" SUBSEP ks); m2 = med("us" SUBSEP kk)
                printf "| %s | **LB CPU us/msg at %s cps** (user + sys) | %s | %s | %s | %s |\n", sc, fr,
                    mm("us" SUBSEP ks, 1), mm("us" SUBSEP kk, 1), (m1 != "" && m2 > 0 ? sprintf("%.2f", m1 / m2) : "-"),
                    (m1 == "" || m2 == "") ? "no data" : (m1 <= m2 ? "PASS (siplb <= Kamailio)" : sprintf("FAIL (siplb +%.0f %%)", 100 * (m1 / m2 - 1)))
                printf "| %s | of which user / sys us/msg | %s / %s | %s / %s | | |\n", sc,
                    mm("usu" SUBSEP ks, 1), mm("uss" SUBSEP ks, 1), mm("usu" SUBSEP kk, 1), mm("uss" SUBSEP kk, 1)
                printf "| %s | LB CPU %% of 1 core at %s cps; msg/s | %s; %s | %s; %s | | |\n", sc, fr,
                    mm("cpu" SUBSEP ks, 1), mm("msg" SUBSEP ks, 0), mm("cpu" SUBSEP kk, 1), mm("msg" SUBSEP kk, 0)
                printf "| %s | fixed-rate runs clean; failed+retrans / calls | %d/%d; %d / %d | %d/%d; %d / %d | | |\n", sc,
                    fclean[ks], fn[ks], sumv("fbad" SUBSEP ks), fcalls[ks], fclean[kk], fn[kk], sumv("fbad" SUBSEP kk), fcalls[kk]
                m1 = med("max" SUBSEP ks); m2 = med("max" SUBSEP kk)
                printf "| %s | **highest clean rate, cps** | %s | %s | %s | %s |\n", sc,
                    mm("max" SUBSEP ks, 0), mm("max" SUBSEP kk, 0), (m1 != "" && m2 > 0 ? sprintf("%.2f", m1 / m2) : "-"),
                    (m1 == "" || m2 == "") ? "no data" : (m1 >= m2 ? "PASS (siplb >= Kamailio)" : sprintf("FAIL (siplb %.0f %%)", 100 * (m1 / m2 - 1)))
                printf "| %s | first unclean rate, cps (why) | %s (%s) | %s (%s) | | |\n", sc,
                    mm("bad" SUBSEP ks, 0), why[ks], mm("bad" SUBSEP kk, 0), why[kk]
                printf "| %s | response-time run rate, cps (= half of siplb'"'"'s highest clean rate) | %s | %s | | |\n", sc,
                    mm("rrate" SUBSEP ks, 0), mm("rrate" SUBSEP kk, 0)
                p1 = med("p99" SUBSEP ks); p2 = med("p99" SUBSEP kk)
                c1 = med("c99" SUBSEP ks); c2 = med("c99" SUBSEP kk)
                if (p1 == "" || p2 == "") v = "no data"
                else if (p1 < p2) v = "PASS (siplb lower)"
                else if (p1 > p2) v = sprintf("FAIL (siplb +%d ms)", p1 - p2)
                else if (c1 == "" || c2 == "") v = sprintf("PASS (equal at SIPp'"'"'s 1 ms resolution%s)", p1 == 0 ? ": both < 1 ms" : "")
                else v = sprintf("PASS (equal at SIPp'"'"'s 1 ms resolution%s; capture: siplb %s Kamailio)", p1 == 0 ? ": both < 1 ms" : "", c1 <= c2 ? "<=" : ">")
                printf "| %s | **p99 response time at that rate, SIPp** (ms, whole ms: 0 = < 1 ms) | %s | %s | | %s |\n", sc,
                    mm("p99" SUBSEP ks, 0), mm("p99" SUBSEP kk, 0), v
                printf "| %s | p50 / p90 response time, SIPp (ms) | %s / %s | %s / %s | | |\n", sc,
                    mm("p50" SUBSEP ks, 0), mm("p90" SUBSEP ks, 0), mm("p50" SUBSEP kk, 0), mm("p90" SUBSEP kk, 0)
                printf "| %s | p50 / p90 / p99 response time, capture (us) | %s / %s / %s | %s / %s / %s | %s | |\n", sc,
                    mm("c50" SUBSEP ks, 0), mm("c90" SUBSEP ks, 0), mm("c99" SUBSEP ks, 0),
                    mm("c50" SUBSEP kk, 0), mm("c90" SUBSEP kk, 0), mm("c99" SUBSEP kk, 0),
                    (c1 != "" && c2 > 0 ? "p99 " sprintf("%.2f", c1 / c2) : "-")
                printf "| %s | calls in the capture per run | %s | %s | | |\n", sc, mm("cn" SUBSEP ks, 0), mm("cn" SUBSEP kk, 0)
                printf "| %s | p50 / p99 response time at %s cps, SIPp (ms) | %s / %s | %s / %s | | |\n", sc, fr,
                    mm("fp50" SUBSEP ks, 0), mm("fp99" SUBSEP ks, 0), mm("fp50" SUBSEP kk, 0), mm("fp99" SUBSEP kk, 0)
                printf "| %s | JVM collections in the %s cps run: count; pause sum / max ms; bytes freed per message (≈ allocated) | %s; %s / %s; %s | - | | |\n", sc, fr,
                    mm("gcn" SUBSEP ks, 0), mm("gcp" SUBSEP ks, 1), mm("gcm" SUBSEP ks, 1), mm("gcf" SUBSEP ks, 0)
                printf "| %s | JVM collections in the response-time run: count; pause sum / max ms | %s; %s / %s | - | | |\n", sc,
                    mm("rgcn" SUBSEP ks, 0), mm("rgcp" SUBSEP ks, 1), mm("rgcm" SUBSEP ks, 1)
                printf "| %s | LB RSS after the %s cps run, MiB (USS) | %s (%s) | %s (%s) | | |\n", sc, fr,
                    mm("rss" SUBSEP ks, 1), mm("uss_mem" SUBSEP ks, 1), mm("rss" SUBSEP kk, 1), mm("uss_mem" SUBSEP kk, 1)
                printf "| %s | other CPU during the %s cps run / host busy before it, %% | %s / %s | %s / %s | | |\n", sc, fr,
                    mm("other" SUBSEP ks, 0), mm("pre" SUBSEP ks, 0), mm("other" SUBSEP kk, 0), mm("pre" SUBSEP kk, 0)
            }
            printf "| all | other CPU (%% of 1 core) / host busy before a run (%%), every measured run | %s / %s | %s / %s | | |\n",
                mm("allother" SUBSEP "siplb", 0), mm("allpre" SUBSEP "siplb", 0), mm("allother" SUBSEP "kamailio", 0), mm("allpre" SUBSEP "kamailio", 0)
        }
        function sumv(key,   i, s) { s = 0; for (i = 1; i <= N[key]; i++) s += V[key, i]; return s }
    ' RAMPS="$ramps" "$all"
}

# where the LB's CPU goes in the fixed-rate runs: CPU per thread name (% of one
# core, mean over the repetitions; Serial GC runs in "VM Thread"; Kamailio's
# processes are all "kamailio")
thread_report() {
    local out="$1" fr="${FIXED_RATES%% *}" sc lb f
    echo "LB CPU by thread in the $fr cps runs (% of one core, mean over the repetitions; threads under 0.5 % left out):"
    echo
    echo "| scenario | LB | thread | % of 1 core | user / sys s per run |"
    echo "|---|---|---|---|---|"
    for sc in $SCENARIOS; do
        for lb in siplb kamailio; do
            local files=()
            for f in "$out"/r*-"$sc"-"$lb"/runs/*-fixed-"$sc"-"${fr}"cps-*/lb-threads.tsv; do
                [[ -s "$f" ]] && files+=("$f")
            done
            [[ ${#files[@]} -gt 0 ]] || continue
            awk -F'\t' -v n="${#files[@]}" -v sc="$sc" -v lb="$lb" '
                FNR == 1 { next }
                { p[$1] += $5; u[$1] += $3; s[$1] += $4 }
                END { for (k in p) if (p[k] / n >= 0.5) printf "%s\t%s\t%s\t%.1f\t%.2f / %.2f\n", sc, lb, k, p[k] / n, u[k] / n, s[k] / n }' \
                "${files[@]}" | sort -t$'\t' -k4,4 -g -r | awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
        done
    done
}

write_comparison() {
    local out="$1"
    {
        echo "# siplb vs. Kamailio, side by side"
        echo
        echo "Median [min–max] over $(ls -d "$out"/r*-*-siplb 2>/dev/null | sed 's/.*\/r\([0-9]*\)-.*/\1/' | sort -u | wc -l) repetition(s); siplb and Kamailio alternate (siplb, then Kamailio, per scenario and repetition)."
        echo "Pinned: LB on CPU $LB_CPUS, every SIPp process on CPU $SIPP_CPUS; Kamailio children=1; $NUM_BACKENDS SIPp backends."
        echo
        make_report "$out"
        echo
        thread_report "$out"
        echo
        echo "Settings and machine: meta.txt. Every run: all-runs.tsv (columns: lb, rep, then run-bench.sh's runs.tsv)."
        echo "Per-invocation tables: r<rep>-<scenario>-<lb>/summary.md; per-thread CPU: r*/runs/*/lb-threads.tsv."
    } >"$out/comparison.md"
}

if [[ -n "$REPORT_ONLY" ]]; then
    [[ -d "$REPORT_ONLY" ]] || die "no folder $REPORT_ONLY"
    # settings of that run, where they matter for the table
    if [[ -r "$REPORT_ONLY/settings.env" ]]; then
        # shellcheck disable=SC1091
        source "$REPORT_ONLY/settings.env"
    fi
    write_comparison "$REPORT_ONLY"
    cat "$REPORT_ONLY/comparison.md"
    exit 0
fi

# ------------------------------------------------------------ checks
[[ -f "$SIPLB_JAR" ]] || die "no siplb jar at $SIPLB_JAR
build it first:  (cd $repo && mvn -B -q -DskipTests package -pl lb-netty -am)
or point SIPLB_JAR at one (copy it somewhere a rebuild cannot replace it mid-run)"
command -v java >/dev/null || die "java not found"
command -v "${SIPP_BIN:-sipp}" >/dev/null || die "sipp not found (Debian: sip-tester)"
[[ -x "${KAMAILIO_BIN:-/usr/sbin/kamailio}" ]] || die "kamailio not found (Debian: kamailio)"
command -v taskset >/dev/null || die "taskset not found (util-linux)"
for v in REPS FIXED_DURATION WARMUP RAMP_STEP_DURATION RAMP_BISECT RAMP_MAX_STEPS RAMP_START_register RAMP_START_call RTT_DURATION WAIT_QUIET RUN_TIMEOUT; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a whole number"
done
for sc in $SCENARIOS; do [[ $sc == register || $sc == call ]] || die "unknown scenario $sc"; done

[[ -n "$OUT" ]] || OUT="$here/results/$(date +%Y%m%d-%H%M%S)-compare"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# ------------------------------------------------------------ meta
java_opts_effective="${SIPLB_JAVA_OPTS:-$(awk -F'"' '/^DEFAULT_JAVA_OPTS=/ { print $2 }' "$here/siplb-lb.sh")}"
cpu_snapshot() {   # "busy% over 1 s (all CPUs)" and the 1/5/15 min load
    local a b
    a="$(grep '^cpu ' /proc/stat)"; sleep 1; b="$(grep '^cpu ' /proc/stat)"
    awk -v a="$a" -v b="$b" -v n="$(nproc)" -v tck="$(getconf CLK_TCK)" 'BEGIN { split(a, x, " "); split(b, y, " ")
        printf "host busy %.0f %% (1 s sample, all CPUs)", 100 * (1 - (y[5] + y[6] - x[5] - x[6]) / tck / n) }'
}
{
    echo "date:          $(date -Is)"
    echo "machine:       $(nproc) CPUs ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.1f GiB", $2/1048576 }' /proc/meminfo), $(hostname)"
    echo "kernel:        $(uname -srm)"
    echo "jdk:           $(java -version 2>&1 | sed -n 2p)"
    echo "kamailio:      $("${KAMAILIO_BIN:-/usr/sbin/kamailio}" -v 2>&1 | head -1)"
    echo "sipp:          $("${SIPP_BIN:-sipp}" -v 2>&1 | awk 'NF { print; exit }' | sed 's/^ *//')"
    echo "siplb jar:     $SIPLB_JAR (sha256 $(sha256sum "$SIPLB_JAR" | cut -c1-16)), repo $(git -C "$repo" describe --always --dirty 2>/dev/null || echo '?')"
    echo "siplb JVM:     $java_opts_effective (+ -Xlog:gc:file=gc.log:timemillis, a bench diagnostic)"
    echo "kamailio cfg:  $here/kamailio-lb.cfg (-m 256 -M 8, children = 1)"
    echo "pinning:       LB on CPU $LB_CPUS, SIPp on CPU $SIPP_CPUS"
    echo "ports:         LB $LB_PORT, UAC $UAC_PORT, backends $BACKEND_BASE_PORT.. ($NUM_BACKENDS), siplb admin $SIPLB_ADMIN_PORT"
    echo "repetitions:   $REPS; scenarios: $SCENARIOS; order per repetition and scenario: siplb, then Kamailio"
    echo "per LB run:    warm-up ${WARMUP}s at ${FIXED_RATES%% *} cps; fixed $FIXED_RATES cps x ${FIXED_DURATION}s;"
    echo "               ramp from $RAMP_START_register (register) / $RAMP_START_call (call) cps, x$RAMP_FACTOR per ${RAMP_STEP_DURATION}s step"
    echo "               (down by the same factor if the first step is unclean), max $RAMP_MAX_STEPS steps, then $RAMP_BISECT bisections;"
    echo "               response-time run ${RTT_DURATION}s at half of siplb's highest clean rate of the repetition"
    echo "wait-quiet:    $WAIT_QUIET s"
    echo "before:        $(uptime | sed 's/^ *//'); $(cpu_snapshot)"
} >"$OUT/meta.txt"
cat >"$OUT/settings.env" <<EOF
SCENARIOS="$SCENARIOS"
FIXED_RATES="$FIXED_RATES"
LB_CPUS="$LB_CPUS"
SIPP_CPUS="$SIPP_CPUS"
NUM_BACKENDS="$NUM_BACKENDS"
EOF
cat "$OUT/meta.txt" >&2

# ------------------------------------------------------------ runs
CHILD=""
on_exit() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$CHILD" ]] && kill -0 "$CHILD" 2>/dev/null; then
        # run-bench.sh stops its LB and SIPp processes by PID on TERM
        kill -TERM "$CHILD" 2>/dev/null || true
        for _ in $(seq 1 300); do kill -0 "$CHILD" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$CHILD" 2>/dev/null || true
        wait "$CHILD" 2>/dev/null || true
    fi
    [[ $rc -ne 0 ]] && echo "compare: stopped (status $rc); partial results in $OUT" >&2
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run_suite LB SCENARIO REP RTT_RATE: one run-bench.sh suite into OUT/r<rep>-<scenario>-<lb>
run_suite() {
    local lb="$1" sc="$2" rep="$3" rtt="$4" dir start_var lbargs=()
    dir="$OUT/r$rep-$sc-$lb"
    start_var="RAMP_START_$sc"
    if [[ "$lb" == siplb ]]; then
        lbargs=(--lb-cmd "exec '$here/siplb-lb.sh'" --lb-name siplb)
    else
        lbargs=(--lb-name kamailio)   # run-bench's default LB: kamailio-lb.cfg, children = CPUs of LB_CPUS
    fi
    log "repetition $rep, $sc, $lb -> $dir"
    SIPLB_JAR="$SIPLB_JAR" LB_CPUS="$LB_CPUS" SIPP_CPUS="$SIPP_CPUS" \
        timeout -k 30 "$RUN_TIMEOUT" "$here/run-bench.sh" -s "$sc" -m suite --pin \
        -r "$FIXED_RATES" -d "$FIXED_DURATION" -n 1 -w "$WARMUP" --backends "$NUM_BACKENDS" \
        --ramp-start "${!start_var}" --ramp-factor "$RAMP_FACTOR" --ramp-step-duration "$RAMP_STEP_DURATION" \
        --ramp-bisect "$RAMP_BISECT" --ramp-max-steps "$RAMP_MAX_STEPS" \
        --rtt-rate "$rtt" --rtt-duration "$RTT_DURATION" --wait-quiet "$WAIT_QUIET" \
        "${lbargs[@]}" -o "$dir" >"$dir.out" 2>&1 </dev/null &
    CHILD=$!
    local rc=0
    wait "$CHILD" || rc=$?
    CHILD=""
    [[ $rc -eq 0 ]] || { tail -n 20 "$dir.out" >&2; die "run-bench.sh failed ($rc) for $lb/$sc/rep $rep, see $dir.out"; }
    grep -E 'ramp repetition|response-time run|\] calls' "$dir.out" | grep -v warmup | sed 's/^/    /' >&2 || true
}

if [[ -n "$SIPLB_JAVA_OPTS" ]]; then export SIPLB_JAVA_OPTS; fi
t_start=$SECONDS
for (( rep = 1; rep <= REPS; rep++ )); do
    for sc in $SCENARIOS; do
        run_suite siplb "$sc" "$rep" half
        best="$(awk -F'\t' 'NR == 2 { print $2 }' "$OUT/r$rep-$sc-siplb/ramp.tsv" 2>/dev/null || echo 0)"
        half=$(( ${best:-0} / 2 ))
        [[ $half -gt 0 ]] || log "siplb found no clean rate: no response-time run for Kamailio either"
        run_suite kamailio "$sc" "$rep" "$half"
    done
done
{
    echo "after:         $(uptime | sed 's/^ *//'); $(cpu_snapshot)"
    echo "duration:      $(( (SECONDS - t_start) / 60 )) min $(( (SECONDS - t_start) % 60 )) s"
} >>"$OUT/meta.txt"

write_comparison "$OUT"
echo
cat "$OUT/meta.txt"
echo
cat "$OUT/comparison.md"
echo
echo "results: $OUT"
