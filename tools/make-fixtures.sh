#!/usr/bin/env bash
# Regenerates the bundled test fixtures in fixtures/ (committed: tests need none of these tools).
#
#   tools/make-fixtures.sh            # fixtures/ (xlsx by the generator, .xls/.ods by LibreOffice,
#                                     # legacy BIFF5/GBK .xls by Gnumeric), EXPECTED.md, expected.csv
#   tools/make-fixtures.sh --bench    # also bench-out/returns (1000 monthly returns) and
#                                     # bench-out/enterprise-100000.xlsx (git-ignored)
#   tools/make-fixtures.sh --render DIR   # also renders fixture A (2022-08) to DIR/*.png for a look
#
# Needs: cargo; LibreOffice (apt-get install -y libreoffice-calc-nogui fonts-noto-cjk);
# for the BIFF5 file Gnumeric's ssconvert (apt-get install -y --no-install-recommends gnumeric);
# for --render poppler-utils.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN="$ROOT/tools/gen-fixtures"
OUT="$ROOT/fixtures"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/parkstat/gen-target}"

BENCH=0
RENDER=""
while [ $# -gt 0 ]; do
    case "$1" in
        --bench) BENCH=1 ;;
        --render) RENDER="$2"; shift ;;
        *) echo "usage: $0 [--bench] [--render DIR]" >&2; exit 2 ;;
    esac
    shift
done

cargo build --quiet --manifest-path "$GEN/Cargo.toml"
BIN="$CARGO_TARGET_DIR/debug/gen-fixtures"

command -v soffice >/dev/null || {
    echo "make-fixtures: soffice not found: apt-get install -y libreoffice-calc-nogui fonts-noto-cjk" >&2
    exit 1
}

# Everything under fixtures/ except legacy/ is regenerated from scratch.
rm -rf "$OUT/returns" "$OUT/bad" "$OUT/_convert"
mkdir -p "$OUT"
"$BIN" fixtures "$OUT"

LO_PROFILE="$(mktemp -d)"
trap 'rm -rf "$LO_PROFILE"' EXIT
soffice_convert() { # FILTER OUTDIR FILE...
    local filter="$1" outdir="$2"
    shift 2
    soffice -env:UserInstallation="file://$LO_PROFILE" --headless --convert-to "$filter" --outdir "$outdir" "$@" \
        >/dev/null 2>"$LO_PROFILE/err.log" || true
}

# BIFF8 .xls and .ods by LibreOffice.
soffice_convert 'xls:MS Excel 97' "$OUT/returns" "$OUT"/_convert/xls/*.xlsx
soffice_convert ods "$OUT/returns" "$OUT"/_convert/ods/*.xlsx
for f in "$OUT"/_convert/xls/*.xlsx "$OUT"/_convert/ods/*.xlsx; do
    ext="$(basename "$(dirname "$f")")"
    target="$OUT/returns/$(basename "${f%.xlsx}").$ext"
    [ -s "$target" ] || { echo "make-fixtures: LibreOffice did not write $target" >&2; cat "$LO_PROFILE/err.log" >&2; exit 1; }
done

# Legacy BIFF5 (Excel 95) with the GBK code page (936). LibreOffice's "MS Excel 95" filter is
# import-only (7.x: the store fails with "Error Area:Io Class:Parameter Code:26"), so it is tried
# first and Gnumeric's BIFF7 exporter (= the Excel 95 BIFF5 format) is the fallback;
# WINDOWS_LANGUAGE=zh_CN makes it pick code page 936 and encode text as GBK.
src95="$(ls "$OUT"/_convert/xls95/*.xlsx)"
name95="$(basename "${src95%.xlsx}").xls"
mkdir -p "$OUT/legacy" "$LO_PROFILE/x95"
soffice_convert 'xls:MS Excel 95' "$LO_PROFILE/x95" "$src95"
if [ -s "$LO_PROFILE/x95/$name95" ]; then
    echo "make-fixtures: LibreOffice wrote BIFF5 itself"
    mv "$LO_PROFILE/x95/$name95" "$OUT/legacy/$name95"
elif command -v ssconvert >/dev/null; then
    echo "make-fixtures: LibreOffice cannot export \"MS Excel 95\" (import-only filter); using Gnumeric ssconvert excel_biff7"
    WINDOWS_LANGUAGE=zh_CN ssconvert --export-type=Gnumeric_Excel:excel_biff7 "$src95" "$OUT/legacy/$name95" 2>/dev/null
else
    echo "make-fixtures: WARNING: no BIFF5 exporter (apt-get install -y --no-install-recommends gnumeric);" \
        "keeping the committed fixtures/legacy/$name95" >&2
fi
if [ -s "$OUT/legacy/$name95" ]; then
    # CODEPAGE record (0x0042, length 2) = 936, and "青林" encoded in GBK (C7E0 C1D6).
    LC_ALL=C grep -qaP '\x42\x00\x02\x00\xa8\x03' "$OUT/legacy/$name95" ||
        { echo "make-fixtures: legacy/$name95 has no CODEPAGE 936 record" >&2; exit 1; }
    LC_ALL=C grep -qaP '\xc7\xe0\xc1\xd6' "$OUT/legacy/$name95" ||
        { echo "make-fixtures: legacy/$name95 does not hold GBK text" >&2; exit 1; }
    echo "make-fixtures: legacy/$name95: BIFF5, CODEPAGE 936, GBK text present"
fi
rm -rf "$OUT/_convert"

if [ -n "$RENDER" ]; then
    mkdir -p "$RENDER"
    soffice_convert pdf "$RENDER" "$OUT/returns/2022-08 青林县工业园区主要经济指标.xlsx"
    pdftoppm -png -r 70 "$RENDER/2022-08 青林县工业园区主要经济指标.pdf" "$RENDER/fixture-A"
    echo "make-fixtures: rendered to $RENDER"
fi

if [ "$BENCH" = 1 ]; then
    rm -rf "$ROOT/bench-out/returns"
    "$BIN" bench "$ROOT/bench-out/returns" --count 1000 --seed 42
    "$BIN" enterprise "$ROOT/bench-out/enterprise-100000.xlsx" --rows 100000 --seed 42
fi

echo "make-fixtures: done"
find "$OUT" -type f | sed "s|^$ROOT/||" | sort
