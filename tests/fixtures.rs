//! Every figure of every bundled fixture, checked against `fixtures/expected.csv`, which the
//! fixture generator writes from the same data table as the workbooks.

use std::collections::HashMap;
use std::path::Path;

use parkstat::model::{Basis, Figure};
use parkstat::{Catalog, ReadOptions, read_file};

fn parse_csv_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

struct Expected {
    file: String,
    sheet: String,
    cell: String,
    entity: String,
    indicator: String,
    industry: String,
    role: String,
    period: String,
    written_type: String,
    value: Option<f64>,
    canonical_unit: String,
    canonical_value: Option<f64>,
}

fn expected() -> Vec<Expected> {
    let text = std::fs::read_to_string("fixtures/expected.csv").expect("fixtures/expected.csv");
    text.lines()
        .skip(1)
        .map(parse_csv_line)
        .map(|f| Expected {
            file: f[0].clone(),
            sheet: f[1].clone(),
            cell: f[3].clone(),
            entity: f[8].clone(),
            indicator: f[9].clone(),
            industry: f[10].clone(),
            role: f[11].clone(),
            period: f[12].clone(),
            written_type: f[14].clone(),
            value: f[16].parse().ok(),
            canonical_unit: f[17].clone(),
            canonical_value: f[18].parse().ok(),
        })
        .collect()
}

fn basis(role: &str) -> Basis {
    match role {
        "month" => Basis::Month,
        "cum" => Basis::Ytd,
        "prior_cum" => Basis::YtdPrior,
        "growth" => Basis::YtdGrowth,
        "prior_year" => Basis::FullYearPrior,
        "target" => Basis::Target,
        other => panic!("unknown role {other}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn check_file(rel: &str, rows: &[&Expected]) -> Vec<String> {
    let catalog = Catalog::builtin();
    let path = Path::new("fixtures").join(rel);
    let out = match read_file(&path, &catalog, &ReadOptions::default()) {
        Ok(o) => o,
        Err(e) => return vec![format!("{rel}: {e}")],
    };
    let mut problems = Vec::new();
    let figures = out.figures.to_figures();
    let mut by_cell: HashMap<(String, String), Vec<&Figure>> = HashMap::new();
    for f in &figures {
        by_cell
            .entry((f.sheet.clone(), f.cell.clone()))
            .or_default()
            .push(f);
    }
    let total_cells: std::collections::HashSet<(String, String)> = out
        .totals
        .iter()
        .flat_map(|t| t.figures.iter().map(|f| (f.sheet.clone(), f.cell.clone())))
        .collect();
    let industry_name = |code: &str| {
        catalog
            .industries()
            .iter()
            .find(|i| i.code == code)
            .map(|i| i.name.clone())
    };
    let mut seen = std::collections::HashSet::new();
    for e in rows {
        let key = (e.sheet.clone(), e.cell.clone());
        seen.insert(key.clone());
        let found = by_cell.get(&key).cloned().unwrap_or_default();
        let place = format!("{rel} [{}]!{}", e.sheet, e.cell);
        let is_total = e.entity.starts_with("小计") || e.entity == "合计";
        if is_total {
            if !found.is_empty() {
                problems.push(format!(
                    "{place}: a {} row was emitted as a figure",
                    e.entity
                ));
            }
            if e.value.is_some() && !total_cells.contains(&key) {
                problems.push(format!(
                    "{place}: the {} row was not kept for cross-checks",
                    e.entity
                ));
            }
            continue;
        }
        let Some(want) = e.canonical_value else {
            if !found.is_empty() {
                problems.push(format!(
                    "{place}: {} cell gave a figure {:?}",
                    e.written_type, found[0].value
                ));
            }
            continue;
        };
        let [f] = found.as_slice() else {
            problems.push(format!(
                "{place}: expected one figure {} {} = {want}, found {}",
                e.indicator,
                e.role,
                found.len()
            ));
            continue;
        };
        let b = basis(&e.role);
        if f.indicator.as_deref() != Some(e.indicator.as_str()) || f.basis != b {
            problems.push(format!(
                "{place}: expected {} {b}, found {:?} {}",
                e.indicator, f.indicator, f.basis
            ));
        }
        if !close(f.value, want) || f.unit != e.canonical_unit {
            problems.push(format!(
                "{place}: expected {want} {}, found {} {} (written {:?})",
                e.canonical_unit, f.value, f.unit, e.value
            ));
        }
        if !e.industry.is_empty() {
            if f.entity.as_deref() != Some(e.entity.as_str())
                || f.industry != industry_name(&e.industry)
            {
                problems.push(format!(
                    "{place}: expected enterprise {} in {}, found {:?} in {:?}",
                    e.entity, e.industry, f.entity, f.industry
                ));
            }
        } else if f.park != e.entity {
            problems.push(format!(
                "{place}: expected park {}, found {}",
                e.entity, f.park
            ));
        }
        if matches!(b, Basis::Ytd | Basis::Month) {
            let year: i32 = e.period[..4].parse().unwrap_or(0);
            let month: u32 = e.period[e.period.len() - 2..].parse().unwrap_or(0);
            if (f.year, f.month) != (year, month) {
                problems.push(format!(
                    "{place}: expected period {year}-{month:02}, found {}-{:02}",
                    f.year, f.month
                ));
            }
        }
    }
    for f in &figures {
        if !seen.contains(&(f.sheet.clone(), f.cell.clone())) {
            problems.push(format!(
                "{rel} [{}]!{}: unexpected figure {:?} {} = {}",
                f.sheet, f.cell, f.indicator, f.basis, f.value
            ));
        }
    }
    problems
}

fn check(rel: &str) {
    let all = expected();
    let rows: Vec<&Expected> = all.iter().filter(|e| e.file == rel).collect();
    assert!(!rows.is_empty(), "no expected rows for {rel}");
    let problems = check_file(rel, &rows);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn indicator_return_xlsx() {
    check("returns/2022-08 青林县工业园区主要经济指标.xlsx");
}

#[test]
fn indicator_return_xls_biff8() {
    check("returns/2022-06 青林县工业园区主要经济指标.xls");
}

#[test]
fn indicator_return_ods() {
    check("returns/2022-07 青林县工业园区主要经济指标.ods");
    // its 18 merged ranges (title, header bands, 指标名称 down two rows) are read, not guessed
    let wb = parkstat::read::read_workbook(std::path::Path::new(
        "fixtures/returns/2022-07 青林县工业园区主要经济指标.ods",
    ))
    .expect("read");
    let grid = wb.sheets.first().expect("a sheet");
    assert!(grid.merges_known);
    assert_eq!(grid.merges.len(), 18);
}

#[test]
fn prior_year_full_return() {
    check("returns/2021-12 青林县工业园区主要经济指标.xlsx");
}

#[test]
fn enterprise_return() {
    check("returns/2022-08 青林县工业园区入驻企业经济指标.xlsx");
}

#[test]
fn comparison_table_xls() {
    check("returns/2022-08 全县各园区主要经济指标.xls");
}

#[test]
fn sheets_per_month_and_two_tables() {
    check("returns/2022 东山工业园月报.xlsx");
}

#[test]
fn parks_side_by_side() {
    check("returns/2022-08 两园区对照.xlsx");
}

/// The BIFF5 (Excel 95) file in the GBK code page: the same cells as the 2022-08 xlsx.
#[test]
fn legacy_biff5_gbk() {
    let catalog = Catalog::builtin();
    let xlsx = read_file(
        Path::new("fixtures/returns/2022-08 青林县工业园区主要经济指标.xlsx"),
        &catalog,
        &ReadOptions::default(),
    )
    .expect("xlsx");
    let xls = read_file(
        Path::new("fixtures/legacy/2022-08 青林县工业园区主要经济指标.xls"),
        &catalog,
        &ReadOptions::default(),
    )
    .expect("biff5");
    let key = |f: &Figure| {
        (
            f.cell.clone(),
            f.indicator.clone(),
            f.basis,
            f.park.clone(),
            f.unit.clone(),
            (f.value * 1e9).round() as i64,
        )
    };
    // G15 holds 0.075 in a cell formatted as a percentage: 7.5 from both formats
    let (xlsx, xls) = (xlsx.figures.to_figures(), xls.figures.to_figures());
    let a: Vec<_> = xlsx.iter().map(key).collect();
    let b: Vec<_> = xls.iter().map(key).collect();
    assert_eq!(
        xlsx.iter().find(|f| f.cell == "G15").map(|f| f.value),
        Some(7.5)
    );
    assert_eq!(a, b);
    assert!(
        xls.iter().any(|f| f.label.contains("工业增加值")),
        "Chinese labels decoded from GBK"
    );
}

/// A batch that skips the per-row notes (`ReadOptions::skip_row_reports`, as `convert` reads)
/// gets the same figures, totals and warnings from every bundled return, and no notes.
#[test]
fn skipping_row_reports_keeps_the_figures() -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::builtin();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/returns");
    let skip = ReadOptions {
        skip_row_reports: true,
        ..ReadOptions::default()
    };
    let mut noted = 0;
    for e in std::fs::read_dir(dir)? {
        let path = e?.path();
        let (Ok(full), Ok(lean)) = (
            read_file(&path, &catalog, &ReadOptions::default()),
            read_file(&path, &catalog, &skip),
        ) else {
            continue;
        };
        assert_eq!(
            full.figures.to_figures(),
            lean.figures.to_figures(),
            "{path:?}"
        );
        assert_eq!(full.totals.len(), lean.totals.len(), "{path:?}");
        assert_eq!(full.warnings.len(), lean.warnings.len(), "{path:?}");
        assert!(lean.tables.iter().all(|t| t.rows.is_empty()), "{path:?}");
        noted += full.tables.iter().map(|t| t.rows.len()).sum::<usize>();
    }
    assert!(noted > 20, "the full read notes its rows ({noted})");
    Ok(())
}
