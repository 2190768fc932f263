//! 数据审核: the checks a statistician runs on every return (FORMULAS.md), each finding with its
//! severity, the figures involved and where they were read.

use std::collections::HashMap;

use polars::prelude::*;

use super::frames::Cols;
use super::{ComputeOptions, col as c, polars_err};
use crate::catalog::Catalog;
use crate::error::Result;
use crate::tidy::col as t;

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

/// The groups of rows that hold more than one distinct `value` (polars'
/// `n_unique().over(keys) > 1`), each group's rows in order. A group's key is an outer part,
/// whose groups are few and whose rows mostly come together (a return, a park's month), and an
/// inner part; a row without an outer key is in no group.
///
/// The rows are first gathered by the outer key; an outer group whose rows all hold one value is
/// done, and the others take one small map of the inner keys, reused from group to group. (One
/// map over every row took 25-40 ms a pass on the bench batch's 123,181 rows, mostly in fresh
/// memory; polars' windows took 45-50 ms for the two passes.)
fn groups_of_differing_values<O, K, V>(
    n: usize,
    outer: impl Fn(usize) -> Option<O>,
    inner: impl Fn(usize) -> K,
    value: impl Fn(usize) -> V,
) -> Vec<Vec<usize>>
where
    O: std::hash::Hash + Eq + Copy,
    K: std::hash::Hash + Eq,
    V: PartialEq,
{
    let mut outer_groups: Vec<Vec<usize>> = Vec::new();
    let mut index: HashMap<O, usize, foldhash::fast::FixedState> = HashMap::default();
    let mut last: Option<(O, usize)> = None;
    for i in 0..n {
        let Some(o) = outer(i) else { continue };
        let g = match last {
            Some((l, g)) if l == o => g,
            _ => {
                let g = *index.entry(o).or_insert_with(|| {
                    outer_groups.push(Vec::new());
                    outer_groups.len() - 1
                });
                last = Some((o, g));
                g
            }
        };
        if let Some(rows) = outer_groups.get_mut(g) {
            rows.push(i);
        }
    }
    let mut out = Vec::new();
    // per inner key: its group's rows, and whether a second value was seen
    let mut inner_index: HashMap<K, usize, foldhash::fast::FixedState> = HashMap::default();
    let mut inner_groups: Vec<(Vec<usize>, bool)> = Vec::new();
    for rows in &outer_groups {
        let Some(&r0) = rows.first() else { continue };
        let v0 = value(r0);
        if rows.iter().all(|&r| value(r) == v0) {
            continue;
        }
        inner_index.clear();
        for &r in rows {
            let g = *inner_index.entry(inner(r)).or_insert_with(|| {
                inner_groups.push((Vec::new(), false));
                inner_groups.len() - 1
            });
            if let Some((members, differs)) = inner_groups.get_mut(g) {
                if let Some(&f) = members.first()
                    && !*differs
                    && value(f) != value(r)
                {
                    *differs = true;
                }
                members.push(r);
            }
        }
        out.extend(
            inner_groups
                .drain(..)
                .filter(|(_, differs)| *differs)
                .map(|(members, _)| members),
        );
    }
    out
}

/// Each row's string as a number, equal for equal strings. A row mostly repeats the row before
/// (a file's rows come together), which costs a comparison instead of a hash.
fn string_ids<'a>(column: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut index: HashMap<&str, u32, foldhash::fast::FixedState> = HashMap::default();
    let mut last: Option<(&str, u32)> = None;
    column
        .map(|s| match last {
            Some((l, id)) if l == s => id,
            _ => {
                let next = index.len() as u32;
                let id = *index.entry(s).or_insert(next);
                last = Some((s, id));
                id
            }
        })
        .collect()
}

/// A text column whose strings are read row by row where they are needed, instead of a copy of
/// every row's `&str` (16 bytes a row of fresh memory: nine such columns of the bench batch's
/// 123,181 rows were a third of these checks' time). A missing column reads as empty strings.
struct Text<'a>(Option<&'a StringChunked>);

impl<'a> Text<'a> {
    fn of(df: &'a DataFrame, name: &str) -> Self {
        Text(df.column(name).ok().and_then(|c| c.str().ok()))
    }

    /// Row `i`'s string (null as empty).
    fn at(&self, i: usize) -> &'a str {
        self.0.and_then(|ca| ca.get(i)).unwrap_or("")
    }

    /// Every row's string in order (null as empty); `n` empty strings for a missing column.
    fn rows(&self, n: usize) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        match self.0 {
            Some(ca) => Box::new(ca.iter().map(|v| v.unwrap_or(""))),
            None => Box::new(std::iter::repeat_n("", n)),
        }
    }

    /// Every row's string as a number (see [`string_ids`]).
    fn ids(&self, n: usize) -> Vec<u32> {
        string_ids(self.rows(n))
    }
}

/// A value as polars' `n_unique` tells values apart: null is a value of its own, -0.0 is 0.0
/// and every NaN is the same.
fn distinct_value(v: Option<f64>) -> Option<u64> {
    v.map(|v| {
        if v == 0.0 {
            0
        } else if v.is_nan() {
            f64::NAN.to_bits()
        } else {
            v.to_bits()
        }
    })
}

fn check_tidy(tidy: &DataFrame, out: &mut Vec<Finding>) -> Result<()> {
    let n = tidy.height();
    let [park, entity, ind, basis, file, sheet, cell, label] = [
        t::PARK,
        t::ENTITY,
        t::INDICATOR,
        t::BASIS,
        t::FILE,
        t::SHEET,
        t::CELL,
        t::LABEL,
    ]
    .map(|name| Text::of(tidy, name));
    let cols = Cols { df: tidy };
    let value = cols.f(t::VALUE);
    let (year, month) = (cols.i(t::YEAR), cols.i(t::MONTH));
    // rows without an indicator code: their names were not in the catalogue
    let coded: Vec<bool> = ind.rows(n).map(|s| !s.is_empty()).collect();
    // unknown names, once per file, sheet and label
    let mut seen = std::collections::HashSet::new();
    for i in (0..n).filter(|&i| !coded[i]) {
        if seen.insert((file.at(i), sheet.at(i), label.at(i))) {
            out.push(Finding {
                severity: "info",
                check: "unknown_indicator",
                message: format!(
                    "\"{}\" is not in the catalogue; its figures have no indicator code",
                    label.at(i)
                ),
                park: park.at(i).to_string(),
                indicator: String::new(),
                year: year[i],
                month: month[i],
                file: file.at(i).to_string(),
                sheet: sheet.at(i).to_string(),
                cell: cell.at(i).to_string(),
            });
        }
    }
    let [file_id, sheet_id, park_id, entity_id, ind_id, basis_id] =
        [&file, &sheet, &park, &entity, &ind, &basis].map(|c| c.ids(n));
    // the same figure from two files with different values (a park's return and a county table)
    let across = groups_of_differing_values(
        n,
        |i| coded[i].then(|| (park_id[i], year[i], month[i])),
        |i| [entity_id[i], ind_id[i], basis_id[i]],
        |i| file_id[i],
    );
    for idx in across {
        let values: Vec<f64> = idx.iter().filter_map(|&i| value[i]).collect();
        let differ = values
            .windows(2)
            .any(|w| (w[0] - w[1]).abs() > 1e-6 * w[0].abs().max(1.0));
        let Some(&i0) = idx.first() else { continue };
        if differ {
            let places: Vec<String> = idx
                .iter()
                .map(|&i| {
                    format!(
                        "{} [{}]!{} = {}",
                        file.at(i),
                        sheet.at(i),
                        cell.at(i),
                        value[i].map(fmt).unwrap_or_default()
                    )
                })
                .collect();
            let (code, b) = (ind.at(i0), basis.at(i0));
            out.push(Finding {
                severity: "warning",
                check: "conflicting_sources",
                message: format!(
                    "{code} ({b}) differs between files: {}; the first is used",
                    places.join("; ")
                ),
                park: park.at(i0).to_string(),
                indicator: code.to_string(),
                year: year[i0],
                month: month[i0],
                file: file.at(i0).to_string(),
                sheet: sheet.at(i0).to_string(),
                cell: cell.at(i0).to_string(),
            });
        }
    }
    // the same indicator twice in one return, for one period, with different values (a series
    // of months side by side gives each column its own period)
    let in_return = groups_of_differing_values(
        n,
        |i| coded[i].then(|| [file_id[i], sheet_id[i]]),
        |i| {
            (
                park_id[i],
                entity_id[i],
                ind_id[i],
                basis_id[i],
                year[i],
                month[i],
            )
        },
        |i| distinct_value(value[i]),
    );
    for idx in in_return {
        let values: Vec<f64> = idx.iter().filter_map(|&i| value[i]).collect();
        let differ = values
            .windows(2)
            .any(|w| (w[0] - w[1]).abs() > 1e-9 * w[0].abs().max(1.0));
        let Some(&i0) = idx.first() else { continue };
        if differ {
            let cells: Vec<String> = idx
                .iter()
                .map(|&i| format!("{}={}", cell.at(i), value[i].map(fmt).unwrap_or_default()))
                .collect();
            let (code, b) = (ind.at(i0), basis.at(i0));
            out.push(Finding {
                severity: "warning",
                check: "duplicate_indicator",
                message: format!(
                    "{code} ({b}) appears {} times with different values: {}",
                    idx.len(),
                    cells.join(", ")
                ),
                park: park.at(i0).to_string(),
                indicator: code.to_string(),
                year: year[i0],
                month: month[i0],
                file: file.at(i0).to_string(),
                sheet: sheet.at(i0).to_string(),
                cell: cell.at(i0).to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The groups against polars' `n_unique().over(…) > 1` on rows whose groups interleave,
    /// with nulls, -0.0 and repeated values.
    #[test]
    fn differing_groups_are_n_unique_over() -> PolarsResult<()> {
        let n = 400;
        let mut state = 7_u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let (mut a, mut b, mut c, mut v) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..n {
            a.push(["x", "y", "z"][next(3) as usize]);
            b.push(next(40) as i32);
            c.push(["p", "q", ""][next(3) as usize]);
            v.push(match next(6) {
                0 => None,
                1 => Some(-0.0),
                2 => Some(0.0),
                k => Some(k as f64),
            });
        }
        let df = df!("a" => &a, "b" => &b, "c" => &c, "v" => &v)?;
        let want = df
            .lazy()
            .select([col("v")
                .n_unique()
                .over([col("a"), col("b"), col("c")])?
                .gt(lit(1))])
            .collect()?;
        let want: Vec<bool> = want
            .column("v")?
            .bool()?
            .iter()
            .map(|x| x.unwrap_or(false))
            .collect();
        let mask = |groups: Vec<Vec<usize>>| {
            let mut m = vec![false; n];
            for r in groups.into_iter().flatten() {
                m[r] = true;
            }
            m
        };
        let groups = groups_of_differing_values(
            n,
            |i| Some((a[i], b[i])),
            |i| c[i],
            |i| distinct_value(v[i]),
        );
        assert!(
            groups.iter().all(|g| g.windows(2).all(|w| w[0] < w[1])),
            "rows in order"
        );
        let got = mask(groups);
        assert_eq!(got, want);
        assert!(got.iter().any(|x| *x) && !got.iter().all(|x| *x));
        // a row without an outer key is in no group
        let none = groups_of_differing_values(n, |i| (b[i] != 0).then_some(a[i]), |_| (), |i| i);
        assert!((0..n).all(|i| mask(none.clone())[i] == (b[i] != 0)));
        Ok(())
    }

    #[test]
    fn string_ids_are_equal_for_equal_strings() {
        let ids = string_ids(["a", "a", "b", "a", "c", "b"].into_iter());
        assert_eq!(ids, vec![0, 0, 1, 0, 2, 1]);
    }
}
