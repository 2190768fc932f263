#!/usr/bin/env bash
# Interleaved A/B of two parkstat binaries on the bench batch: run A, run B, A, B, … and print the
# median wall time and the median of every phase `PARKSTAT_TIMINGS=1` reports, for each.
#
#   bench/ab.sh OLD_BINARY NEW_BINARY [PAIRS]      # PAIRS defaults to 8
#   JOBS=1 bench/ab.sh …                           # --jobs (default 2)
#   INPUT=bench-out/enterprise-100000.xlsx bench/ab.sh …   # another input (default bench-out/returns)
#
# This machine's run-to-run spread (a VM: CPU steal, I/O wait) is larger than most single changes;
# pairs taken one right after the other see the same machine, so compare the two medians of one
# call, not medians of separate calls. Outputs go to a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi
A=$1
B=$2
PAIRS=${3:-8}
INPUT=${INPUT:-bench-out/returns}
JOBS=${JOBS:-2}
for bin in "$A" "$B"; do
    [ -x "$bin" ] || { echo "ab: $bin is not an executable" >&2; exit 2; }
done
[ -e "$INPUT" ] || { echo "ab: $INPUT is missing (make it with tools/make-fixtures.sh --bench)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results="$work/runs.txt"
: > "$results"
for i in $(seq "$PAIRS"); do
    for side in A B; do
        bin=$A
        [ "$side" = B ] && bin=$B
        out="$work/out"
        rm -rf "$out"
        mkdir -p "$out"
        start=$(date +%s%N)
        # exit 1 means audit findings of severity error (the random bench figures have some)
        PARKSTAT_TIMINGS=1 "$bin" convert "$INPUT" --tidy "$out/tidy.csv" -o "$out/summary.xlsx" \
            -q --jobs "$JOBS" 2> "$work/stderr" || [ $? -eq 1 ]
        end=$(date +%s%N)
        phases=$(grep '^timing:' "$work/stderr" \
            | sed -E 's/^timing: +//; s/ +([0-9.]+) ms.*/=\1/; s/ /_/g' | tr '\n' ' ')
        echo "$side wall=$(( (end - start) / 1000000 )) $phases" >> "$results"
        echo "pair $i $side: $(tail -1 "$results" | cut -d' ' -f2)" >&2
    done
done

python3 - "$results" "$A" "$B" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(lambda: collections.defaultdict(list))
order = []
for line in open(sys.argv[1]):
    side, *fields = line.split()
    for f in fields:
        name, _, value = f.partition("=")
        if name not in order:
            order.append(name)
        runs[side][name].append(float(value))
print(f"A = {sys.argv[2]}\nB = {sys.argv[3]}")
print(f"{'median ms':<16}{'A':>10}{'B':>10}{'B/A':>8}")
for name in order:
    a, b = runs["A"].get(name), runs["B"].get(name)
    if not a or not b:
        continue
    ma, mb = statistics.median(a), statistics.median(b)
    ratio = f"{mb / ma:.2f}" if ma else "-"
    print(f"{name:<16}{ma:>10.0f}{mb:>10.0f}{ratio:>8}")
PY
