#!/usr/bin/env bash
# Builds the fuzz target and runs it briefly over a corpus seeded with the fixtures and the
# calamine corpus. What it finds (fuzz/artifacts/…) belongs in tests/corpus-manifest.tsv style
# regression tests. Usage: fuzz/run.sh [SECONDS]   (default 120)
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-120}"
# cargo-fuzz needs nightly flags; the stable toolchain accepts them with RUSTC_BOOTSTRAP
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$HOME/.cache/parkstat/fuzz-target}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p corpus/bytes_to_tidy
cp -n ../fixtures/returns/* ../fixtures/bad/* corpus/bytes_to_tidy/ 2>/dev/null || true
if [ -d ../../shared/corpus/calamine ]; then
  find ../../shared/corpus/calamine -type f -size -2M -not -name '*.md' -exec cp -n {} corpus/bytes_to_tidy/ \; 2>/dev/null || true
fi
# -s none: no sanitizer (safe Rust; what we look for are panics, aborts, hangs and memory blow-ups)
cargo fuzz run -s none --release bytes_to_tidy corpus/bytes_to_tidy -- \
  -max_total_time="$secs" -rss_limit_mb=4096 -timeout=20 -max_len=2000000
echo "fuzz: no crash in ${secs} s"
