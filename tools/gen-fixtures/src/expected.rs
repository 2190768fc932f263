//! Writes fixtures/EXPECTED.md and fixtures/expected.csv from the cells the generator recorded.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use crate::data::{canonical, Kind, Park};
use crate::fixtures::Out;
use crate::indicator_return as ir;
use crate::sheet::{a1, Rec, Res, Val};

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn num(x: f64) -> String {
    format!("{x}")
}

fn canonical_of(unit: &str, v: Option<f64>) -> (String, String) {
    match (unit, v) {
        ("%", Some(x)) => ("%".into(), num(x)),
        ("%", None) => ("%".into(), String::new()),
        (u, v) => {
            let (cu, k) = canonical(u);
            (cu.to_string(), v.map(|x| num(crate::data::round(x * k, 10))).unwrap_or_default())
        }
    }
}

fn cell_md(r: &Rec) -> String {
    let addr = a1(r.row, r.col);
    match &r.val {
        Val::Num { x, .. } => format!("`{addr}` {x}"),
        Val::Text(s, Some(m)) => format!("`{addr}` \"{s}\" (text) → {m}"),
        Val::Text(s, None) => format!("`{addr}` \"{s}\" (text, no number)"),
        Val::Pct(x) => format!("`{addr}` {x} [0.0%] → {}", r.val.meaning().unwrap()),
        Val::Missing("") => format!("`{addr}` blank"),
        Val::Missing(s) => format!("`{addr}` \"{s}\" (missing)"),
        Val::Formula { f, result, .. } => format!("`{addr}` `{f}` → {result}"),
    }
}

fn layout_note(file: &str) -> String {
    let n = ir::rows().len() as u32;
    if file.contains("主要经济指标") && file.contains("青林县工业园区") {
        let band = if file.contains("2021-12") {
            "1-12月"
        } else if file.contains("2022-06") {
            "1-6月"
        } else if file.contains("2022-07") {
            "1-7月"
        } else {
            "1-8月"
        };
        return format!(
            "Layout: row 1 title `A1:J1` \"青林县工业园区主要经济指标完成情况表\"; row 2 period `A2:J2` \"（{year}年{band}）\"; \
row 3 `A3:E3` \"填报单位：青林县工业园区管委会\" and `H3:J3` \"单位：亿元、万美元、%\"; row 4 blank; \
header rows 5–6: `A5:A6` 序号, `B5:B6` \"指 标 名 称\" (letter-spaced), `C5:C6` 计量单位, `D5:D6` 本月, \
`E5:G5` band \"{band}\" over `E6` 累计 | `F6` 上年同期 | `G6` 同比增长(%), `H5:H6` 上年全年, `I5:I6` 全年目标, `J5:J6` 备注. \
Rows 7–{last}: {n} rows, of which 4 are section rows (一 工业经济, 二 投资与招商, 三 企业与用地, 四 绿色发展) with no values. \
Row {note} `A{note}:J{note}` \"注：工业增加值增速为可比价增速。\"; row {sig}: signatures in merged pairs \
(单位负责人 / 统计负责人 / 填报人 / 联系电话 / 报出日期). 实缴税金 has its unit only in the name \"实缴税金(万元)\" \
(its 计量单位 cell is blank); 规模工业研发经费支出 is also in 万元; 工业增加值 and 工业总产值 growths are comparable-basis \
(recomputed − 1.6 and − 1.3 points).",
            year = if file.contains("2021-12") { 2021 } else { 2022 },
            last = 6 + n,
            note = 7 + n,
            sig = 8 + n,
        );
    }
    if file.contains("入驻企业") {
        return "Layout: row 1 title `A1:I1`; row 2 `A2:D2` 填报单位 and `H2:I2` \"单位：万元\"; header rows 3–4: `A3:A4` 序号, \
`B3:B4` 企业名称, `C3:C4` 行业分类, `D3:F3` 工业总产值 over 本月数 | 累计数 | 上年同期累计, `G3:I3` 实缴税金 over the same. \
Enterprises grouped by industry (行业分类 sometimes an alias: 有色金属, 电子信息, 生物医药, 建材); each group is followed by a \
小计 row (B = \"小计\", C = canonical industry name) whose cells are SUM formulas with cached results; the 合计 row has \
\"合计\" merged over `A:C` and formulas adding the 小计 rows. One new enterprise has \"/\" for 上年同期累计 (not zero; \
the SUMs skip it). One enterprise's 本月数 is 0 (stopped production). Footer two rows below 合计."
            .into();
    }
    if file.contains("全县各园区") {
        return "Layout: row 1 title `A1:I1` (period inside the title); row 2 `G2:I2` unit note; header rows 3–4: `A3:A4` 园区名称, \
then bands `B3:C3` 工业增加值, `D3:E3` 实缴税金, `F3:G3` 固定资产投资, `H3:I3` 实际到位利用外资, each over 1-8月 | 增长%. \
Rows 5–8 parks, row 9 合计 (SUM formulas; LibreOffice recalculated them on conversion). 青林县工业园区's row equals \
fixture A's 1-8月 figures, 实缴税金 converted 万元 → 亿元 without rounding (cell shows 2 decimals). 青林县物流园 has \
\"—\" for 外资 (none; not zero) and \"/\" growth. Growth of 工业增加值 is comparable-basis for every row. Two footer rows."
            .into();
    }
    if file.contains("东山") {
        return "Layout per sheet (6月, 7月, 8月): row 1 title `A1:E1` \"东山工业园区主要指标月报\" (no period: the period is only in \
the sheet name and the file name, and the header \"1-N月累计\"); row 2 填报单位 `A2:C2` and `E2` \"单位：亿元\" (but the 单位 \
column says 万美元/家/个/万吨标准煤 for some rows); a SINGLE header row 3: 指标名称 | 单位 | 1-N月累计 | 去年同期 | 增长%; \
rows 4–13 ten indicators (aliases: 规模工业增加值, 主营业务收入, 上缴税金, 其中：工业投资, 规上工业企业, 综合能源消费量). \
Sheet 8月 only: rows 14–15 blank, row 16 second title \"招商引资情况\" (`A16:E16`), row 17 its header, rows 18–21 four \
indicators. Footer \"填报人：…\" one row below the last table. 规模工业增加值 and 工业总产值 growths are comparable-basis \
(recomputed − 1.2 and − 0.9)."
            .into();
    }
    if file.contains("两园区对照") {
        return "Layout: row 1 title `A1:F1` (period in the title); row 2 `D2:F2` unit note; header rows 3–4: `A3:A4` 指标名称, \
`B3:B4` 计量单位, `C3:D3` band 青林县工业园区 over 1-8月 | 增长%, `E3:F3` band 东山工业园区 over 1-8月 | 增长%; rows 5–10 six \
indicators; row 11 note. Values equal fixture A's (青林) and fixture D's 8月 sheet (东山); 东山's 实缴税金 is converted \
亿元 → 万元 here (D writes it in 亿元)."
            .into();
    }
    String::new()
}

pub fn write(out_dir: &Path, recs: &[Rec], files: &[Out], ql: &Park, ds: &Park, targets: &str) -> Res {
    // expected.csv
    let mut csv = String::from(
        "file,sheet,table,cell,row,col,row_label,col_label,entity,indicator,industry,role,period,unit,written_type,written,value,canonical_unit,canonical_value\n",
    );
    for r in recs {
        let (cu, cv) = canonical_of(&r.key.unit, r.val.meaning());
        let fields = [
            r.file.clone(),
            r.sheet.clone(),
            r.table.clone(),
            a1(r.row, r.col),
            (r.row + 1).to_string(),
            (r.col + 1).to_string(),
            r.key.row_label.clone(),
            r.key.col_label.clone(),
            r.key.entity.clone(),
            r.key.indicator.clone(),
            r.key.industry.clone(),
            r.key.role.clone(),
            r.key.period.clone(),
            r.key.unit.clone(),
            r.val.kind().to_string(),
            r.val.written(),
            r.val.meaning().map(num).unwrap_or_default(),
            cu,
            cv,
        ];
        csv += &fields.iter().map(|s| csv_field(s)).collect::<Vec<_>>().join(",");
        csv.push('\n');
    }
    fs::write(out_dir.join("expected.csv"), csv)?;

    // EXPECTED.md
    let mut md = String::new();
    md += "# Expected contents of the bundled fixtures\n\n";
    md += "Generated by `tools/gen-fixtures` (`gen-fixtures fixtures fixtures/`, run by `tools/make-fixtures.sh`) from the \
same data table that writes the workbooks (`tools/gen-fixtures/src/data.rs`). Do not edit by hand. \
The same cells in long form, one line per data cell, are in `fixtures/expected.csv` (columns: file, sheet, table, cell, \
row/col 1-based, row_label, col_label, entity, indicator code, industry code, role, period, unit, written_type, written, \
value, canonical_unit, canonical_value).\n\n";
    md += "## Conventions\n\n";
    md += "- Each cell is given as `` `A1-address` `` then what is written: a bare number is a numeric cell (the f64 stored); \
`\"…\" (text) → x` is a text cell the reader must parse to x; `\"…\" (missing)` is a missing marker (never zero); `blank` is an \
empty cell; `x [0.0%] → y` is a number with a percent number format (0.075 means 7.5 %); `` `=SUM(…)` → x `` is a formula \
with cached result x.\n";
    md += "- Growth cells are percent (7.5 means +7.5 %). \"增长2.9倍\" means +290 %. \"持平\" means 0. \"扭亏\" (turned a loss into \
a profit) has no number. \"/\" means not applicable. Reported comparable-basis growths (工业增加值, 工业总产值) differ from the \
growth recomputed from the values by 1–2 points on purpose.\n";
    md += "- Periods: `2022-01..08` is the cumulative 1-8月 of 2022; `2022-08` is the month alone (本月).\n";
    md += "- Numbers are in the unit of the row (计量单位 column, or the name, or the sheet's unit note); `expected.csv` also \
gives them in the catalogue's canonical unit (万元 → 亿元 × 1e-4).\n\n";

    md += "## Files\n\n| file | format |\n|---|---|\n";
    for f in files {
        md += &format!("| `fixtures/{}` | {} |\n", f.final_rel, f.note);
    }
    md += &format!(
        "| `fixtures/legacy/{}.xls` | BIFF5 (Excel 95) with code page 936 (GBK), written by Gnumeric from the 2022-08 \
return (see the note at the end). Same cells as the 2022-08 xlsx below |\n",
        format_args!("2022-08 {}主要经济指标", crate::data::QINGLIN)
    );
    md += "| `fixtures/targets.csv` | park,indicator,target (UTF-8), canonical units |\n";
    md += "| `fixtures/bad/*` | files the reader must reject cleanly (see below) |\n\n";
    md += "The converted files (.xls, .ods) have exactly the cells of the xlsx the generator wrote for them: same addresses, \
same merged ranges, numbers as numbers and text as text.\n\n";

    // Per file, per sheet, per table.
    let mut order: Vec<(String, String, String)> = Vec::new();
    for r in recs {
        let k = (r.file.clone(), r.sheet.clone(), r.table.clone());
        if !order.contains(&k) {
            order.push(k);
        }
    }
    let mut last_file = String::new();
    for (file, sheet, table) in &order {
        if *file != last_file {
            md += &format!("## `fixtures/{file}`\n\n{}\n\n", layout_note(file));
            last_file = file.clone();
        }
        let cells: Vec<&Rec> = recs.iter().filter(|r| &r.file == file && &r.sheet == sheet && &r.table == table).collect();
        md += &format!("### sheet `{sheet}`{}\n\n", if table.is_empty() { String::new() } else { format!(", table \"{table}\"") });
        let mut cols: Vec<String> = Vec::new();
        for c in &cells {
            if !cols.contains(&c.key.col_label) {
                cols.push(c.key.col_label.clone());
            }
        }
        md += "| row | label as written | code |";
        for c in &cols {
            md += &format!(" {c} |");
        }
        md += "\n|---|---|---|";
        md += &"---|".repeat(cols.len());
        md += "\n";
        let mut rows: Vec<u32> = cells.iter().map(|c| c.row).collect();
        rows.dedup();
        for row in rows {
            let rc: Vec<&&Rec> = cells.iter().filter(|c| c.row == row).collect();
            let first = rc[0];
            let code = if first.key.entity.starts_with("小计") || first.key.entity == "合计" || !first.key.industry.is_empty() {
                if first.key.industry.is_empty() {
                    "合计".to_string()
                } else {
                    first.key.industry.clone()
                }
            } else if rc.iter().all(|c| c.key.indicator == first.key.indicator) {
                first.key.indicator.clone()
            } else {
                String::new()
            };
            let _ = write!(md, "| {} | {} | {} |", row + 1, first.key.row_label.replace('|', "\\|"), code);
            for c in &cols {
                match rc.iter().find(|r| &r.key.col_label == c) {
                    Some(r) => {
                        let _ = write!(md, " {} |", cell_md(r).replace('|', "\\|"));
                    }
                    None => md += " |",
                }
            }
            md += "\n";
        }
        md += "\n";
    }

    md += "## `fixtures/targets.csv`\n\n```\n";
    md += targets;
    md += "```\n\nTargets are in canonical units (TAX_PAID in 亿元: fixture A's 全年目标 column shows 75000 万元).\n\n";

    md += "## `fixtures/bad/`\n\n";
    md += "- `html-table.xls`: an HTML table (UTF-8) saved with an .xls name, as web systems export it.\n";
    md += "- `empty.xlsx`: 0 bytes.\n";
    md += "- `truncated.xlsx`: the first 60 % of the bytes of `returns/2022-08 青林县工业园区主要经济指标.xlsx` (a broken zip).\n";
    md += "- `notes.txt`: a plain UTF-8 text note.\n";
    md += "- `data.xlsx`: CSV text with an .xlsx name.\n\n";

    md += "## Source data table\n\nThe whole table the fixtures are drawn from: the value at the end of each month \
(cumulative from 1 January for flows and count flows; the level for stocks; the cumulative rate for rates), in the unit shown.\n\n";
    for park in [ql, ds] {
        md += &format!("### {}\n\n| code | unit (canonical) | kind | year | 1月 | 2月 | 3月 | 4月 | 5月 | 6月 | 7月 | 8月 | 9月 | 10月 | 11月 | 12月 | target |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n", park.name);
        for s in &park.series {
            for y in 2020..=2022 {
                let kind = match s.kind {
                    Kind::Flow => "flow",
                    Kind::Stock => "stock",
                    Kind::CountStock => "count stock",
                    Kind::CountFlow => "count flow",
                    Kind::Rate => "rate",
                };
                let _ = write!(md, "| {} | {} ({}) | {} | {} |", s.code, s.unit, s.canon_unit, kind, y);
                for m in 1..=12 {
                    let _ = write!(md, " {} |", s.at(y, m));
                }
                let _ = writeln!(md, " {} |", s.target(y).map(num).unwrap_or_default());
            }
        }
        md += "\n";
    }
    md += "### Reported vs recomputed growth (青林县工业园区)\n\nReported = the growth cell of fixture A/G; recomputed = \
(cur / prior − 1) × 100 from the written values, rounded to 0.01. They differ only for the comparable-basis indicators \
(and where the return writes words: 扭亏, 持平, /).\n\n| code | period | reported | recomputed |\n|---|---|---|---|\n";
    for s in &ql.series {
        for (y, m) in [(2021, 12), (2022, 6), (2022, 7), (2022, 8)] {
            let rep = match s.growth(y, m) {
                crate::data::Growth::Pct(g) => num(g),
                crate::data::Growth::Turnaround => "扭亏".into(),
                crate::data::Growth::Flat => "持平".into(),
                crate::data::Growth::NotApplicable => "/".into(),
            };
            let rec = s.recomputed_growth(y, m).map(|g| num(crate::data::round(g, 2))).unwrap_or_default();
            let _ = writeln!(md, "| {} | {} | {} | {} |", s.code, ir::period_code(y, m), rep, rec);
        }
    }
    md += "\n## Legacy BIFF5 / GBK\n\n`fixtures/legacy/2022-08 青林县工业园区主要经济指标.xls` is BIFF5 (the Excel 5.0/95 format, \
BOF version 0x0500) with a CODEPAGE record of 936, every string (sheet name included) stored in GBK. LibreOffice cannot \
write it (its \"MS Excel 95\" filter is import-only: the store fails with \"Error Area:Io Class:Parameter Code:26\"), so \
`tools/make-fixtures.sh` writes it with Gnumeric (`WINDOWS_LANGUAGE=zh_CN ssconvert --export-type=Gnumeric_Excel:excel_biff7`) \
and checks the CODEPAGE record and the GBK bytes of \"青林\". Its cells are those of the 2022-08 xlsx (table above) and its \
18 merged ranges survive; the only difference is the number formats: the source workbook used only Excel's built-in \
formats (\"0.00\", \"0.00%\", …), because Gnumeric numbers custom formats from 50, which calamine takes for the \
built-in CJK date formats 50–58 and then returns those numbers as `Data::DateTime`. Checked with calamine 0.38 and xlrd 2.0.\n";
    fs::write(out_dir.join("EXPECTED.md"), md)?;
    Ok(())
}
