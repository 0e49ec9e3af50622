#!/bin/sh
# One command for the kho4j performance report: builds the JMH jar and the C libfdt harness, runs both on
# the same machine in the same session, and writes docs/PERFORMANCE.md. See benchmarks/README.md.
#
#   benchmarks/run.sh [--quick] [--no-report] [JMH benchmark regexp ...]
#
# --quick     about 3 minutes, for checking the pipeline; numbers are indicative only
# --no-report leave docs/PERFORMANCE.md alone (results stay in benchmarks/target/results)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
mode=full
report=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) mode=quick; shift ;;
        --no-report) report=no; shift ;;
        --) shift; break ;;
        -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
        *) break ;;
    esac
done
results=$root/benchmarks/target/results
mkdir -p "$results"
rm -f "$results"/c.jsonl "$results"/jmh.json "$results"/load.txt

# Load average every 10 s, so the report can say how busy the shared machine was.
(while :; do echo "$(date +%s) $(cat /proc/loadavg)"; sleep 10; done) >"$results/load.txt" &
sampler=$!
trap 'kill "$sampler" 2>/dev/null || true' EXIT INT TERM
date -u +%Y-%m-%dT%H:%M:%SZ >"$results/started.txt"
ps -eo pcpu=,comm= --sort=-pcpu | head -6 >"$results/busy-at-start.txt"

echo "== building the JMH jar" >&2
(cd "$root" && mvn -B -q -DskipTests -pl benchmarks -am package)
echo "== building the C harness" >&2
sh "$root/benchmarks/src/main/c/build.sh"

if [ "$mode" = quick ]; then
    c_flags=--quick
    jmh_flags="-f 1 -wi 1 -w 300ms -i 3 -r 300ms"
else
    c_flags=
    # Two forks: on a shared machine one fork can land in a burst of someone else's load.
    jmh_flags="-f 2 -wi 2 -w 2s -i 5 -r 1s"
fi

# The C harness runs before and after JMH and the report pools both runs' samples, so that C and Java
# see the shared machine's load over the same stretch of time.
echo "== C harness ($mode), first pass" >&2
# shellcheck disable=SC2086
"$root/benchmarks/target/c/fdtbench" $c_flags >"$results/c.jsonl"

echo "== JMH ($mode)" >&2
# shellcheck disable=SC2086
java -jar "$root/benchmarks/target/benchmarks.jar" $jmh_flags -prof gc -rf json -rff "$results/jmh.json" "$@" \
    >"$results/jmh.log"
tail -n 60 "$results/jmh.log" >&2

echo "== C harness ($mode), second pass" >&2
# shellcheck disable=SC2086
"$root/benchmarks/target/c/fdtbench" $c_flags >>"$results/c.jsonl"

if [ "$report" = yes ]; then
    python3 "$root/benchmarks/src/main/python/perf_report.py" --results "$results" --mode "$mode" \
        --notes "$root/benchmarks/perf-notes.md" --out "$root/docs/PERFORMANCE.md"
    echo "== wrote docs/PERFORMANCE.md" >&2
fi
