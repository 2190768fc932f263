#!/usr/bin/env bash
# bench/compare.sh — side-by-side performance comparison of parkstat (issue 7).
#
#   bench/compare.sh                 # everything, 3 runs per contender
#   RUNS=5 bench/compare.sh          # more runs
#   ONLY='parkstat|floor' bench/compare.sh   # only contenders whose id matches the regex (ERE)
#
# From a fresh clone it:
#   1. creates a Python venv in bench/.venv (git-ignored) with pandas, openpyxl, python-calamine,
#      polars, fastexcel (polars' calamine engine), xlsxwriter, pyarrow;
#   2. generates the inputs into bench-out/ (git-ignored) if absent, with the checked-in generator
#      (tools/gen-fixtures, seed 42): 1,000 monthly indicator returns (bench-out/returns) and one
#      enterprise return of 100,000 rows × 20 columns (bench-out/enterprise-100000.xlsx);
#   3. builds parkstat (release) and the floor program bench/floor (release);
#   4. runs every contender RUNS times, round-robin (run 1 of each, then run 2 of each, …, so a
#      transient load hits all of them alike), timing the wall clock of the whole process and
#      taking its max RSS from GNU time;
#   5. prints a Markdown table (median seconds, max RSS, ratio, target, met?) and writes it, with
#      the raw runs, to bench-out/compare/.
#
# Contenders, batch of 1,000 returns → tidy CSV + summary workbook, whole process:
#   parkstat-jN   parkstat convert bench-out/returns --tidy … -o summary.xlsx -q --jobs N (N = 2, and 1)
#   floor-jN      bench/floor: open every file with calamine and touch every cell, nothing else
#   pandas-openpyxl, pandas-calamine, polars   bench/peer_pandas.py, bench/peer_polars.py
# Large return (100,000 rows) → tidy CSV:
#   parkstat-ent  parkstat convert bench-out/enterprise-100000.xlsx --tidy … -q --jobs 1
#   floor-ent     bench/floor one FILE (calamine worksheet_range of the same sheet, every cell touched)
#   floor-ent-cells  the same with calamine's streaming cells reader (information only)
#   parkstat-j2-noiso, parkstat-ent-noiso  parkstat with --no-isolate (in-process read; information)
#
# Timing: a plain loop around /usr/bin/time (GNU) rather than hyperfine, because the max RSS of
# every run is needed too (the hyperfine packaged by Debian, 1.15, does not record memory).
#
# Environment: RUNS (3), ONLY (all), PYTHON (python3, to create the venv), BENCH_OUT (bench-out),
# PARKSTAT_TARGET_DIR ($HOME/.cache/parkstat/target), FLOOR_TARGET_DIR
# ($HOME/.cache/parkstat/floor-target), GEN_TARGET_DIR ($HOME/.cache/parkstat/gen-target),
# SKIP_BUILD=1 (use the binaries already built), WAIT_QUIET (600: seconds to wait before each run
# for compiler processes on the machine to end; runs that overlap one anyway are marked).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
RUNS="${RUNS:-3}"
ONLY="${ONLY:-.}"
PYTHON="${PYTHON:-python3}"
OUT="${BENCH_OUT:-$ROOT/bench-out}"
PARKSTAT_TARGET_DIR="${PARKSTAT_TARGET_DIR:-$HOME/.cache/parkstat/target}"
FLOOR_TARGET_DIR="${FLOOR_TARGET_DIR:-$HOME/.cache/parkstat/floor-target}"
GEN_TARGET_DIR="${GEN_TARGET_DIR:-$HOME/.cache/parkstat/gen-target}"
VENV="$BENCH/.venv"
COUNT=1000
ROWS=100000
SEED=42
RETURNS="$OUT/returns"
ENTERPRISE="$OUT/enterprise-$ROWS.xlsx"
RESULTS="$OUT/compare"

say() { printf 'compare: %s\n' "$*" >&2; }
die() { printf 'compare: error: %s\n' "$*" >&2; exit 1; }

[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"

# ---------------------------------------------------------------- tools
command -v cargo >/dev/null || die "cargo not found (install Rust: https://rustup.rs)"
command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PYTHON=/path/to/python3, 3.10 or newer)"
[ -x /usr/bin/time ] && /usr/bin/time -f '%M' true 2>/dev/null ||
    die "GNU time is needed for the max RSS: apt-get install -y time"
NPROC="$(nproc)"
JOBS=$((NPROC >= 2 ? 2 : 1))

# ---------------------------------------------------------------- 1. Python venv
PY_PACKAGES=(pandas openpyxl python-calamine polars fastexcel xlsxwriter pyarrow)
PY_IMPORTS="import pandas, openpyxl, python_calamine, polars, fastexcel, xlsxwriter, pyarrow"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "$PY_IMPORTS" 2>/dev/null; then
    say "creating the Python venv in ${VENV#"$ROOT"/} (${PY_PACKAGES[*]})"
    "$PYTHON" -m venv "$VENV" || die "could not create a venv (on Debian/Ubuntu: apt-get install -y python3-venv)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet "${PY_PACKAGES[@]}" || die "pip install failed"
    "$VENV/bin/python" -c "$PY_IMPORTS" || die "the venv cannot import the packages"
fi
VPY="$VENV/bin/python"

# ---------------------------------------------------------------- 2. inputs
have_returns() { [ "$(find "$RETURNS" -name '*.xlsx' 2>/dev/null | wc -l)" -eq "$COUNT" ]; }
if ! have_returns || [ ! -s "$ENTERPRISE" ]; then
    say "generating the inputs into ${OUT#"$ROOT"/} (seed $SEED)"
    gen() { CARGO_TARGET_DIR="$GEN_TARGET_DIR" cargo run --quiet --release --manifest-path "$ROOT/tools/gen-fixtures/Cargo.toml" -- "$@"; }
    if ! have_returns; then
        rm -rf "$RETURNS"
        gen bench "$RETURNS" --count "$COUNT" --seed "$SEED"
    fi
    [ -s "$ENTERPRISE" ] || gen enterprise "$ENTERPRISE" --rows "$ROWS" --seed "$SEED"
    have_returns || die "the generator did not write $COUNT returns into $RETURNS"
fi

# ---------------------------------------------------------------- 3. builds
PARKSTAT="$PARKSTAT_TARGET_DIR/release/parkstat"
FLOOR="$FLOOR_TARGET_DIR/release/parkstat-floor"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    say "building parkstat (release) into $PARKSTAT_TARGET_DIR"
    (cd "$ROOT" && CARGO_TARGET_DIR="$PARKSTAT_TARGET_DIR" cargo build --release --quiet --bin parkstat)
    say "building the floor (release) into $FLOOR_TARGET_DIR"
    CARGO_TARGET_DIR="$FLOOR_TARGET_DIR" cargo build --release --quiet --manifest-path "$BENCH/floor/Cargo.toml"
fi

COMMIT="$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')"
(cd "$ROOT" && git diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null) || COMMIT="$COMMIT + uncommitted changes in src"

# The runs use copies of the binaries, so that a rebuild during the runs changes nothing.
SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/parkstat-compare.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
mkdir -p "$SCRATCH/bin"
if [ -x "$PARKSTAT" ]; then
    stale="$(cd "$ROOT" && find src Cargo.toml Cargo.lock -newer "$PARKSTAT" 2>/dev/null | head -n 3 | tr '\n' ' ')"
    [ -z "$stale" ] || say "WARNING: sources newer than the parkstat binary: $stale"
    cp "$PARKSTAT" "$SCRATCH/bin/parkstat" && PARKSTAT="$SCRATCH/bin/parkstat"
fi
[ -x "$FLOOR" ] && cp "$FLOOR" "$SCRATCH/bin/parkstat-floor" && FLOOR="$SCRATCH/bin/parkstat-floor"

# ---------------------------------------------------------------- 4. contenders
# id | group | command (run with bash -c; $W is the run's scratch output folder)
CONTENDERS=(
    "parkstat-j$JOBS|batch|\"$PARKSTAT\" convert \"$RETURNS\" --tidy \"\$W/tidy.csv\" -o \"\$W/summary.xlsx\" -q --jobs $JOBS"
    "parkstat-j1|batch|\"$PARKSTAT\" convert \"$RETURNS\" --tidy \"\$W/tidy.csv\" -o \"\$W/summary.xlsx\" -q --jobs 1"
    "floor-j$JOBS|batch|\"$FLOOR\" batch \"$RETURNS\" --jobs $JOBS"
    "floor-j1|batch|\"$FLOOR\" batch \"$RETURNS\" --jobs 1"
    "polars|batch|\"$VPY\" \"$BENCH/peer_polars.py\" \"$RETURNS\" \"\$W\""
    "pandas-calamine|batch|\"$VPY\" \"$BENCH/peer_pandas.py\" \"$RETURNS\" \"\$W\" --engine calamine --writer xlsxwriter"
    "pandas-openpyxl|batch|\"$VPY\" \"$BENCH/peer_pandas.py\" \"$RETURNS\" \"\$W\" --engine openpyxl --writer openpyxl"
    "parkstat-ent|large|\"$PARKSTAT\" convert \"$ENTERPRISE\" --tidy \"\$W/tidy.csv\" -q --jobs 1"
    "floor-ent|large|\"$FLOOR\" one \"$ENTERPRISE\""
    "floor-ent-cells|large|\"$FLOOR\" one \"$ENTERPRISE\" --reader cells"
)
[ "$JOBS" = 1 ] && CONTENDERS=("${CONTENDERS[@]:1:1}" "${CONTENDERS[@]:3}") # one core: no -j2 rows
# parkstat reads in a supervised worker process by default; where it has --no-isolate, also time
# the in-process read (information: what the isolation costs).
if [ -x "$PARKSTAT" ] && "$PARKSTAT" convert --help 2>/dev/null | grep -q -- '--no-isolate'; then
    CONTENDERS+=(
        "parkstat-j$JOBS-noiso|batch|\"$PARKSTAT\" convert \"$RETURNS\" --tidy \"\$W/tidy.csv\" -o \"\$W/summary.xlsx\" -q --jobs $JOBS --no-isolate"
        "parkstat-ent-noiso|large|\"$PARKSTAT\" convert \"$ENTERPRISE\" --tidy \"\$W/tidy.csv\" -q --jobs 1 --no-isolate"
    )
fi

SELECTED=()
for c in "${CONTENDERS[@]}"; do
    id="${c%%|*}"
    [[ "$id" =~ $ONLY ]] && SELECTED+=("$c")
done
[ "${#SELECTED[@]}" -gt 0 ] || die "ONLY='$ONLY' matches no contender"
case "${SELECTED[*]}" in *"$PARKSTAT"*) [ -x "$PARKSTAT" ] || die "no parkstat binary at $PARKSTAT" ;; esac
case "${SELECTED[*]}" in *"$FLOOR"*) [ -x "$FLOOR" ] || die "no floor binary at $FLOOR" ;; esac

mkdir -p "$RESULTS"
RAW="$SCRATCH/runs.tsv" # copied into $RESULTS at the end, so an interrupted run keeps the last table
printf 'id\tgroup\trun\tseconds\tmax_rss_kb\texit\ttidy_rows\tbusy\n' >"$RAW"

# Warm the page cache so that the first contender does not pay for the disk.
find "$RETURNS" -name '*.xlsx' -exec cat {} + >/dev/null
cat "$ENTERPRISE" >/dev/null

load="$(cut -d' ' -f1-3 /proc/loadavg)"
say "load average before the runs: $load (nproc $NPROC)"

# Compilers and other heavy processes on the machine distort the timings (2 cores here): before
# each run, wait up to WAIT_QUIET seconds for them to finish; a run that overlaps one is marked.
compilers() { ps -eo comm= | grep -cE '^(rustc|cargo|cc1|cc1plus|ld|ld.lld|mold)$' || true; }
wait_quiet() {
    local waited=0
    while [ "$(compilers)" -gt 0 ] && [ "$waited" -lt "${WAIT_QUIET:-600}" ]; do
        [ "$waited" = 0 ] && say "waiting for compiler processes to finish (up to ${WAIT_QUIET:-600} s)"
        sleep 5
        waited=$((waited + 5))
    done
}

for run in $(seq 1 "$RUNS"); do
    for c in "${SELECTED[@]}"; do
        IFS='|' read -r id group cmd <<<"$c"
        wait_quiet
        busy=$(compilers)
        W="$SCRATCH/$id"
        rm -rf "$W" && mkdir -p "$W"
        t0="$(date +%s%N)"
        set +e
        W="$W" /usr/bin/time -f '%M' -o "$SCRATCH/rss" bash -c "$cmd" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr"
        rc=$?
        set -e
        t1="$(date +%s%N)"
        busy=$((busy + $(compilers)))
        secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
        rss="$(tail -n 1 "$SCRATCH/rss")"
        rows="-"
        [ -s "$W/tidy.csv" ] && rows=$(($(wc -l <"$W/tidy.csv") - 1))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$group" "$run" "$secs" "$rss" "$rc" "$rows" "$busy" >>"$RAW"
        say "run $run/$RUNS  $(printf '%-18s' "$id") ${secs} s  $((rss / 1024)) MB  exit $rc  tidy rows $rows$([ "$busy" = 0 ] || echo "  (compiler running: noisy)")"
        # parkstat exits 1 when its audit reports errors in the data (outputs are still written);
        # anything else non-zero, or missing outputs, is a failure of the contender.
        if [ "$rc" -ne 0 ] && ! { [[ "$id" == parkstat-* ]] && [ "$rc" -eq 1 ] && [ -s "$W/tidy.csv" ]; }; then
            tail -n 20 "$SCRATCH/stderr" >&2
            die "$id failed (exit $rc)"
        fi
        if [ "$group" = batch ] && [[ "$id" != floor-* ]]; then
            [ -s "$W/tidy.csv" ] && [ -s "$W/summary.xlsx" ] || die "$id wrote no tidy.csv / summary.xlsx"
        fi
        cp "$SCRATCH/stderr" "$RESULTS/$id.stderr"
    done
done

# ---------------------------------------------------------------- 5. table
{
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $NPROC × $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GB RAM", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
    echo "- parkstat: commit $COMMIT (at build time), release build"
    echo "- python $("$VPY" -c 'import sys; print(sys.version.split()[0])'): $("$VPY" -m pip list 2>/dev/null | awk 'tolower($1) ~ /^(pandas|openpyxl|python-calamine|polars|fastexcel|xlsxwriter|pyarrow|numpy)$/ { printf "%s%s %s", sep, $1, $2; sep = ", " }')"
    echo "- command: RUNS=$RUNS$([ "$ONLY" = . ] || echo " ONLY='$ONLY'") bench/compare.sh ($RUNS runs per contender, round-robin; wall time of the whole process; max RSS from GNU time)"
    echo "- load average before the runs: $load"
    echo
    "$VPY" "$BENCH/table.py" "$RAW" "$JOBS"
} >"$SCRATCH/table.md"
cp "$RAW" "$SCRATCH/table.md" "$RESULTS/"
say "raw runs: ${RESULTS#"$ROOT"/}/runs.tsv; table: ${RESULTS#"$ROOT"/}/table.md; stderr of the last run of each: ${RESULTS#"$ROOT"/}/*.stderr"
echo
cat "$RESULTS/table.md"
