#!/usr/bin/env python3
"""Peer for bench/compare.sh: the batch job of issue 7 done with polars, layout known in advance.

    peer_polars.py RETURNS_DIR OUT_DIR

polars.read_excel (engine calamine, i.e. fastexcel) reads all the returns in one call (every cell
as text, with the file path as a column); the title row gives the park, the file name the year
and month; the data rows below the 6 header rows are melted to long form, numbers written as text
parsed, 万元 rows converted to 亿元; OUT_DIR/tidy.csv is written, then per park and indicator the
latest month's ytd and ytd growth go to OUT_DIR/summary.xlsx (DataFrame.write_excel, xlsxwriter).
"""
import os
import sys
import time

import polars as pl

COLS = ["seq", "label", "unit", "month_value", "ytd", "ytd_prior", "ytd_growth", "full_year_prior", "target", "note"]
BASIS = {"month_value": "month", "ytd": "ytd", "ytd_prior": "ytd_prior", "ytd_growth": "ytd_growth",
         "full_year_prior": "full_year_prior", "target": "target"}
TITLE_SUFFIX = "主要经济指标完成情况表"


def find_returns(root):
    out = []
    for d, _, files in os.walk(root):
        out += [os.path.join(d, f) for f in files if f.endswith(".xlsx") and not f.startswith("~$")]
    return sorted(out)


def parse_numbers(e):
    t = e.str.normalize("NFKC").str.strip_chars().str.replace_all(",", "", literal=True)
    times = t.str.extract(r"^增长([\d.]+)倍$", 1).cast(pl.Float64, strict=False) * 100
    return (pl.when(t == "持平").then(pl.lit(0.0))
            .when(times.is_not_null()).then(times)
            .otherwise(t.cast(pl.Float64, strict=False)))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: peer_polars.py RETURNS_DIR OUT_DIR")
    src, out = sys.argv[1], sys.argv[2]
    t0 = time.perf_counter()
    files = find_returns(src)
    if not files:
        sys.exit(f"peer_polars: no .xlsx under {src}")
    raw = pl.read_excel(files, engine="calamine", has_header=False,
                        read_options={"header_row": None, "dtypes": "string", "use_columns": "A:J"},
                        drop_empty_rows=False, drop_empty_cols=False, include_file_paths="file")
    raw.columns = COLS + ["file"]
    t_read = time.perf_counter()
    raw = raw.with_columns(pl.int_range(pl.len()).over("file").alias("r"))
    titles = raw.filter(pl.col("r") == 0).select("file", park=pl.col("seq").str.strip_chars().str.strip_suffix(TITLE_SUFFIX))
    period = pl.col("file").str.extract(r"(\d{4})-(\d{2}) [^/]*$", 1).cast(pl.Int32)
    month = pl.col("file").str.extract(r"\d{4}-(\d{2}) [^/]*$", 1).cast(pl.Int32)
    label = pl.col("label").str.replace_all(r"\s+", "")
    wide = (raw.filter((pl.col("r") >= 6) & pl.col("label").is_not_null())
            .join(titles, on="file")
            .with_columns(year=period, month=month,
                          unit=pl.when(pl.col("unit").str.strip_chars().str.len_chars() > 0).then(pl.col("unit"))
                          .otherwise(label.str.extract(r"[（(]([^）)]+)[）)]$", 1)),
                          indicator=label.str.replace(r"[（(]万元[）)]$", "")))
    long = (wide.unpivot(index=["park", "year", "month", "indicator", "unit", "file"], on=list(BASIS),
                         variable_name="basis", value_name="raw")
            .with_columns(basis=pl.col("basis").replace_strict(BASIS), value=parse_numbers(pl.col("raw")))
            .filter(pl.col("value").is_not_null()))
    wan = (pl.col("unit") == "万元") & (pl.col("basis") != "ytd_growth")
    long = long.with_columns(
        value=pl.when(wan).then(pl.col("value") * 1e-4).otherwise(pl.col("value")),
        unit=pl.when(pl.col("basis") == "ytd_growth").then(pl.lit("%")).when(wan).then(pl.lit("亿元")).otherwise(pl.col("unit")),
    ).select("park", "year", "month", "indicator", "basis", "value", "unit", "file")
    os.makedirs(out, exist_ok=True)
    long.write_csv(os.path.join(out, "tidy.csv"))

    latest = (long.filter(pl.col("basis").is_in(["ytd", "ytd_growth"]))
              .pivot(on="basis", index=["park", "indicator", "year", "month"], values="value", aggregate_function="first")
              .sort("park", "indicator", "year", "month")
              .group_by("park", "indicator", maintain_order=True).last()
              .rename({"ytd": "累计", "ytd_growth": "同比增长(%)"}))
    latest.write_excel(os.path.join(out, "summary.xlsx"), worksheet="汇总")
    t1 = time.perf_counter()
    print(f"peer_polars: {len(files)} files, {long.height} figures, {latest.height} summary rows; "
          f"read {t_read - t0:.2f} s, total {t1 - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
