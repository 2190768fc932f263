#!/usr/bin/env python3
"""Peer for bench/compare.sh: the batch job of issue 7 done with pandas, layout known in advance.

    peer_pandas.py RETURNS_DIR OUT_DIR --engine openpyxl|calamine [--writer openpyxl|xlsxwriter]

For every monthly indicator return under RETURNS_DIR (the realistic layout of tools/gen-fixtures:
title, period, unit note, blank, two header rows, data rows with 序号|指标名称|计量单位|本月|累计|
上年同期|同比增长|上年全年|全年目标|备注, footer): read the sheet with pandas.read_excel (one read
per file: the title row gives the park, the file name "YYYY-MM park.xlsx" the year and month),
keep the data rows below the 6 header rows, melt the six value columns to long form, parse the
numbers written as text (full-width digits, thousands commas, 持平, 增长N倍), convert 万元 rows to
亿元, write OUT_DIR/tidy.csv; then per park and indicator take the latest month's ytd and ytd
growth and write OUT_DIR/summary.xlsx.
"""
import argparse
import os
import re
import sys
import time

import pandas as pd

COLS = ["seq", "label", "unit", "month_value", "ytd", "ytd_prior", "ytd_growth", "full_year_prior", "target", "note"]
BASIS = {"month_value": "month", "ytd": "ytd", "ytd_prior": "ytd_prior", "ytd_growth": "ytd_growth",
         "full_year_prior": "full_year_prior", "target": "target"}
FILE_RE = re.compile(r"(\d{4})-(\d{2}) ")
TITLE_SUFFIX = "主要经济指标完成情况表"


def find_returns(root):
    out = []
    for d, _, files in os.walk(root):
        out += [os.path.join(d, f) for f in files if f.endswith(".xlsx") and not f.startswith("~$")]
    return sorted(out)


def read_return(path, engine):
    raw = pd.read_excel(path, engine=engine, header=None, usecols="A:J", dtype=object)
    title = str(raw.iat[0, 0]).strip()
    df = raw.iloc[6:].copy()
    df.columns = COLS
    df = df[df["label"].notna()]  # drops the footer (note and signatures sit in column A)
    m = FILE_RE.match(os.path.basename(path))
    df["park"] = title.removesuffix(TITLE_SUFFIX)
    df["year"] = int(m.group(1))
    df["month"] = int(m.group(2))
    df["file"] = path
    return df


def parse_numbers(s):
    """Numbers as numbers; text like '３．７１', '4,314.9', ' 205.48 ', '－1.0', '持平', '增长2.9倍' parsed; '—', '/' → NaN."""
    t = s.astype(str).str.normalize("NFKC").str.strip().str.replace(",", "", regex=False)
    times = t.str.extract(r"^增长([\d.]+)倍$", expand=False)
    t = t.mask(times.notna(), pd.to_numeric(times, errors="coerce") * 100).replace({"持平": "0"})
    return pd.to_numeric(t, errors="coerce")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("returns")
    ap.add_argument("out")
    ap.add_argument("--engine", choices=["openpyxl", "calamine"], required=True)
    ap.add_argument("--writer", choices=["openpyxl", "xlsxwriter"], default="openpyxl")
    a = ap.parse_args()
    t0 = time.perf_counter()
    files = find_returns(a.returns)
    if not files:
        sys.exit(f"peer_pandas: no .xlsx under {a.returns}")
    wide = pd.concat([read_return(f, a.engine) for f in files], ignore_index=True)
    t_read = time.perf_counter()

    label = wide["label"].astype(str).str.replace(r"\s+", "", regex=True)
    unit = wide["unit"].where(wide["unit"].notna() & (wide["unit"].astype(str).str.strip() != ""), None)
    in_name = label.str.extract(r"[（(]([^）)]+)[）)]$", expand=False)
    wide["unit"] = unit.fillna(in_name)
    wide["indicator"] = label.str.replace(r"[（(]万元[）)]$", "", regex=True)
    long = wide.melt(id_vars=["park", "year", "month", "indicator", "unit", "file"],
                     value_vars=list(BASIS), var_name="basis", value_name="raw")
    long["basis"] = long["basis"].map(BASIS)
    long["value"] = parse_numbers(long["raw"])
    long = long[long["value"].notna()].drop(columns="raw")
    wan = (long["unit"] == "万元") & (long["basis"] != "ytd_growth")
    long.loc[wan, "value"] = long.loc[wan, "value"] * 1e-4
    long.loc[wan, "unit"] = "亿元"
    long.loc[long["basis"] == "ytd_growth", "unit"] = "%"
    long = long[["park", "year", "month", "indicator", "basis", "value", "unit", "file"]]
    os.makedirs(a.out, exist_ok=True)
    long.to_csv(os.path.join(a.out, "tidy.csv"), index=False)

    latest = (long[long["basis"].isin(["ytd", "ytd_growth"])]
              .pivot_table(index=["park", "indicator", "year", "month"], columns="basis", values="value", aggfunc="first")
              .reset_index()
              .sort_values(["park", "indicator", "year", "month"])
              .groupby(["park", "indicator"], sort=True).tail(1))
    latest = latest.rename(columns={"ytd": "累计", "ytd_growth": "同比增长(%)"})
    latest.to_excel(os.path.join(a.out, "summary.xlsx"), sheet_name="汇总", index=False, engine=a.writer)
    t1 = time.perf_counter()
    print(f"peer_pandas[{a.engine}/{a.writer}]: {len(files)} files, {len(long)} figures, {len(latest)} summary rows; "
          f"read {t_read - t0:.2f} s, total {t1 - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
