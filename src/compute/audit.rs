//! 数据审核: the checks a statistician runs on every return (FORMULAS.md), each finding with its
//! severity, the figures involved and where they were read.

use std::collections::HashMap;

use polars::prelude::*;

use super::frames::Cols;
use super::{ComputeOptions, col as c, polars_err};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::tidy::col as t;

/// (file, sheet, park, entity, indicator, basis): one figure within one return.
type ReturnKey<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);
/// (park, entity, indicator, basis, year, month): one figure across files.
type FigureKey<'a> = (&'a str, &'a str, &'a str, &'a str, Option<i32>, Option<i32>);

/// Flows whose cumulative value may legitimately fall (a month with a loss).
const MAY_FALL: &[&str] = &["IND_PROFIT"];

/// (park, indicator, year, month): one summary row.
type SummaryKey<'a> = (&'a str, &'a str, Option<i32>, Option<i32>);

/// One audit finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// The check's name (e.g. `cumulative_falls`).
    pub check: &'static str,
    /// What was found, with the figures.
    pub message: String,
    /// The park.
    pub park: String,
    /// The indicator code.
    pub indicator: String,
    /// The year.
    pub year: Option<i32>,
    /// The month.
    pub month: Option<i32>,
    /// The file.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The cell.
    pub cell: String,
}

/// The audit frame's columns.
pub const AUDIT_COLUMNS: [&str; 10] = [
    "severity",
    "check",
    "message",
    "park",
    "indicator",
    "year",
    "month",
    "file",
    "sheet",
    "cell",
];

fn fmt(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Runs every check on the tidy frame and the (enriched) summary.
///
/// # Errors
/// [`crate::Error::Compute`].
pub fn audit(
    tidy: &DataFrame,
    summary: &DataFrame,
    catalog: &Catalog,
    opts: &ComputeOptions,
) -> Result<DataFrame> {
    audit_with(tidy_findings(tidy)?, summary, catalog, opts)
}

/// The findings that need only the tidy frame (unknown names, duplicates), which
/// [`crate::compute::compute_all`] computes while the summary is being built.
pub(crate) fn tidy_findings(tidy: &DataFrame) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    check_tidy(tidy, &mut out)?;
    Ok(out)
}

/// [`audit`] with the tidy frame's findings already made.
pub(crate) fn audit_with(
    mut out: Vec<Finding>,
    summary: &DataFrame,
    catalog: &Catalog,
    opts: &ComputeOptions,
) -> Result<DataFrame> {
    check_summary(summary, catalog, opts, &mut out);
    // a stable order whatever the hash maps did: by place, then check
    out.sort_by(|a, b| {
        (
            a.file.as_str(),
            a.sheet.as_str(),
            a.cell.as_str(),
            a.check,
            a.indicator.as_str(),
            a.message.as_str(),
        )
            .cmp(&(
                b.file.as_str(),
                b.sheet.as_str(),
                b.cell.as_str(),
                b.check,
                b.indicator.as_str(),
                b.message.as_str(),
            ))
    });
    findings_frame(&out)
}

/// Which rows can take part in a duplicate finding, decided by polars windows so that the
/// hash maps below only see those few rows: (same return, different values), (several files).
fn duplicate_masks(tidy: &DataFrame) -> PolarsResult<(Vec<bool>, Vec<bool>)> {
    let in_return = [
        t::FILE,
        t::SHEET,
        t::PARK,
        t::ENTITY,
        t::INDICATOR,
        t::BASIS,
    ]
    .map(col);
    let across = [
        t::PARK,
        t::ENTITY,
        t::INDICATOR,
        t::BASIS,
        t::YEAR,
        t::MONTH,
    ]
    .map(col);
    let m = tidy
        .clone()
        .lazy()
        .select([
            col(t::VALUE)
                .n_unique()
                .over(in_return)?
                .gt(lit(1))
                .alias("dup"),
            col(t::FILE)
                .n_unique()
                .over(across)?
                .gt(lit(1))
                .alias("multi"),
        ])
        .collect()?;
    let flags = |name: &str| -> PolarsResult<Vec<bool>> {
        Ok(m.column(name)?
            .bool()?
            .iter()
            .map(|v| v.unwrap_or(false))
            .collect())
    };
    Ok((flags("dup")?, flags("multi")?))
}

fn check_tidy(tidy: &DataFrame, out: &mut Vec<Finding>) -> Result<()> {
    let (dup, multi) = duplicate_masks(tidy).map_err(polars_err("the duplicate checks"))?;
    let cols = Cols { df: tidy };
    let (park, entity, ind, basis, value, file, sheet, cell, label) = (
        cols.s(t::PARK),
        cols.s(t::ENTITY),
        cols.s(t::INDICATOR),
        cols.s(t::BASIS),
        cols.f(t::VALUE),
        cols.s(t::FILE),
        cols.s(t::SHEET),
        cols.s(t::CELL),
        cols.s(t::LABEL),
    );
    let (year, month) = (cols.i(t::YEAR), cols.i(t::MONTH));
    // unknown names, once per file, sheet and label
    let mut seen = std::collections::HashSet::new();
    // the same indicator twice in one return with different values
    let mut groups: HashMap<ReturnKey<'_>, Vec<usize>> = HashMap::new();
    for i in 0..tidy.height() {
        if ind[i].is_empty() {
            if seen.insert((file[i], sheet[i], label[i])) {
                out.push(Finding {
                    severity: "info",
                    check: "unknown_indicator",
                    message: format!(
                        "\"{}\" is not in the catalogue; its figures have no indicator code",
                        label[i]
                    ),
                    park: park[i].to_string(),
                    indicator: String::new(),
                    year: year[i],
                    month: month[i],
                    file: file[i].to_string(),
                    sheet: sheet[i].to_string(),
                    cell: cell[i].to_string(),
                });
            }
            continue;
        }
        if !dup[i] {
            continue;
        }
        groups
            .entry((file[i], sheet[i], park[i], entity[i], ind[i], basis[i]))
            .or_default()
            .push(i);
    }
    // the same figure from two files with different values (a park's return and a county table)
    let mut across: HashMap<FigureKey<'_>, Vec<usize>> = HashMap::new();
    for (i, code) in ind.iter().enumerate() {
        if !code.is_empty() && multi[i] {
            across
                .entry((park[i], entity[i], *code, basis[i], year[i], month[i]))
                .or_default()
                .push(i);
        }
    }
    for ((p, _, code, b, y, m), idx) in across {
        let files: std::collections::BTreeSet<&str> = idx.iter().map(|&i| file[i]).collect();
        let values: Vec<f64> = idx.iter().filter_map(|&i| value[i]).collect();
        let differ = values
            .windows(2)
            .any(|w| (w[0] - w[1]).abs() > 1e-6 * w[0].abs().max(1.0));
        if files.len() > 1 && differ {
            let places: Vec<String> = idx
                .iter()
                .map(|&i| {
                    format!(
                        "{} [{}]!{} = {}",
                        file[i],
                        sheet[i],
                        cell[i],
                        value[i].map(fmt).unwrap_or_default()
                    )
                })
                .collect();
            out.push(Finding {
                severity: "warning",
                check: "conflicting_sources",
                message: format!(
                    "{code} ({b}) differs between files: {}; the first is used",
                    places.join("; ")
                ),
                park: p.to_string(),
                indicator: code.to_string(),
                year: y,
                month: m,
                file: file[idx[0]].to_string(),
                sheet: sheet[idx[0]].to_string(),
                cell: cell[idx[0]].to_string(),
            });
        }
    }
    for ((f, s, p, _, code, b), idx) in groups {
        let values: Vec<f64> = idx.iter().filter_map(|&i| value[i]).collect();
        let differ = values
            .windows(2)
            .any(|w| (w[0] - w[1]).abs() > 1e-9 * w[0].abs().max(1.0));
        if idx.len() > 1 && differ {
            let cells: Vec<String> = idx
                .iter()
                .map(|&i| format!("{}={}", cell[i], value[i].map(fmt).unwrap_or_default()))
                .collect();
            out.push(Finding {
                severity: "warning",
                check: "duplicate_indicator",
                message: format!(
                    "{code} ({b}) appears {} times with different values: {}",
                    idx.len(),
                    cells.join(", ")
                ),
                park: p.to_string(),
                indicator: code.to_string(),
                year: year[idx[0]],
                month: month[idx[0]],
                file: f.to_string(),
                sheet: s.to_string(),
                cell: cell[idx[0]].to_string(),
            });
        }
    }
    Ok(())
}

fn check_summary(s: &DataFrame, catalog: &Catalog, opts: &ComputeOptions, out: &mut Vec<Finding>) {
    let cols = Cols { df: s };
    let (park, ind, kind, rule, file, sheet, cell) = (
        cols.s(c::PARK),
        cols.s(c::INDICATOR),
        cols.s("kind"),
        cols.s("growth_rule"),
        cols.s("ytd_file"),
        cols.s("ytd_sheet"),
        cols.s("ytd_cell"),
    );
    let (year, month) = (cols.i(c::YEAR), cols.i(c::MONTH));
    let (ytd, prev, month_rep, prior) = (
        cols.f(c::YTD),
        cols.f("ytd_prev_month"),
        cols.f("month_reported"),
        cols.f(c::YTD_PRIOR),
    );
    let (g_rep, g_comp, completion) = (
        cols.f(c::YTD_GROWTH_REPORTED),
        cols.f(c::YTD_GROWTH_COMPUTED),
        cols.f(c::COMPLETION),
    );
    let computed = cols.b(c::COMPUTED);
    let tol = opts.growth_tolerance.unwrap_or(0.5);
    let by_key: HashMap<SummaryKey<'_>, usize> = (0..s.height())
        .map(|i| ((park[i], ind[i], year[i], month[i]), i))
        .collect();
    for i in 0..s.height() {
        let f = |severity, check, message: String| Finding {
            severity,
            check,
            message,
            park: park[i].to_string(),
            indicator: ind[i].to_string(),
            year: year[i],
            month: month[i],
            file: file[i].to_string(),
            sheet: sheet[i].to_string(),
            cell: cell[i].to_string(),
        };
        let name = catalog
            .get(ind[i])
            .map(|x| x.name.as_str())
            .unwrap_or(ind[i]);
        // profit is a flow whose months can be losses: its cumulative may fall
        let flow = (kind[i] == "F" || kind[i] == "CF") && !MAY_FALL.contains(&ind[i]);
        if let (true, Some(y), Some(p)) = (flow, ytd[i], prev[i]) {
            if y < p - 1e-9 {
                out.push(f(
                    "error",
                    "cumulative_falls",
                    format!(
                        "{name}: 1-{}月累计 {} is below last month's cumulative {}",
                        month[i].unwrap_or(0),
                        fmt(y),
                        fmt(p)
                    ),
                ));
            }
            if let Some(m) = month_rep[i]
                && (p + m - y).abs() > 0.005 * y.abs().max(1e-9) + 1e-6
            {
                out.push(f(
                    "warning",
                    "month_identity",
                    format!(
                        "{name}: last month's cumulative {} + this month {} = {} ≠ cumulative {}",
                        fmt(p),
                        fmt(m),
                        fmt(p + m),
                        fmt(y)
                    ),
                ));
            }
            if p > 0.0 && y > 0.0 && (y / p >= 1000.0 || y / p <= 0.001) {
                out.push(f("error", "unit_scale", format!("{name}: {} against {} last month, a factor of {:.0}: a value entered in the wrong unit (元 for 万元, 万 for 亿)?", fmt(y), fmt(p), (y / p).max(p / y))));
            }
        }
        if let (Some(y), Some(p)) = (ytd[i], prior[i])
            && p > 0.0
            && y > 0.0
            && (y / p >= 1000.0 || y / p <= 0.001)
        {
            out.push(f(
                "warning",
                "unit_scale",
                format!(
                    "{name}: {} against {} a year earlier: check the unit",
                    fmt(y),
                    fmt(p)
                ),
            ));
        }
        if let Some(parent) = catalog.get(ind[i]).and_then(|x| x.parent.clone())
            && let (Some(y), Some(&j)) = (
                ytd[i],
                by_key.get(&(park[i], parent.as_str(), year[i], month[i])),
            )
            && let Some(py) = ytd[j]
            && y > py * (1.0 + 1e-9) + 1e-12
        {
            out.push(f(
                "error",
                "sub_item_exceeds_parent",
                format!("{name} {} exceeds its parent {parent} {}", fmt(y), fmt(py)),
            ));
        }
        if kind[i] == "R"
            && let Some(y) = ytd[i]
            && !(0.0..=100.0).contains(&y)
        {
            out.push(f(
                "error",
                "share_out_of_range",
                format!("{name} is {}%, outside 0–100", fmt(y)),
            ));
        }
        if let Some(cp) = completion[i]
            && !(0.0..=300.0).contains(&cp)
        {
            out.push(f(
                "warning",
                "implausible_completion",
                format!(
                    "{name}: completion {}% of the target is implausible",
                    fmt(cp)
                ),
            ));
        }
        let g = g_rep[i].or(g_comp[i]);
        if let (Some(g), true) = (g, rule[i] == "N" || rule[i] == "C")
            && !(-100.0..=1000.0).contains(&g)
        {
            out.push(f(
                "warning",
                "implausible_growth",
                format!("{name}: growth {}% is implausible", fmt(g)),
            ));
        }
        if let (Some(r), Some(cg), false) = (g_rep[i], g_comp[i], computed[i])
            && (r - cg).abs() > tol
            && (rule[i] == "N" || rule[i] == "C")
        {
            let severity = if rule[i] == "C" { "info" } else { "warning" };
            out.push(f(
                    severity,
                    "growth_mismatch",
                    format!("{name}: reported growth {}% differs from {}% recomputed from the values by {:.1} points{}", fmt(r), fmt(cg), (r - cg).abs(), if rule[i] == "C" { " (a comparable-basis rate is expected to differ)" } else { "" }),
                ));
        }
    }
}

fn findings_frame(out: &[Finding]) -> Result<DataFrame> {
    let s = |f: fn(&Finding) -> &str| out.iter().map(f).collect::<Vec<_>>();
    DataFrame::new(
        out.len(),
        vec![
            Column::new("severity".into(), s(|f| f.severity)),
            Column::new("check".into(), s(|f| f.check)),
            Column::new("message".into(), s(|f| f.message.as_str())),
            Column::new("park".into(), s(|f| f.park.as_str())),
            Column::new("indicator".into(), s(|f| f.indicator.as_str())),
            Column::new(
                "year".into(),
                out.iter().map(|f| f.year).collect::<Vec<_>>(),
            ),
            Column::new(
                "month".into(),
                out.iter().map(|f| f.month).collect::<Vec<_>>(),
            ),
            Column::new("file".into(), s(|f| f.file.as_str())),
            Column::new("sheet".into(), s(|f| f.sheet.as_str())),
            Column::new("cell".into(), s(|f| f.cell.as_str())),
        ],
    )
    .map_err(polars_err("the audit findings"))
}
