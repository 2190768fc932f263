//! From computed frames to what a reader sees: the summary workbook's model and the report's
//! sentences. This is the bridge between `compute` (polars) and `report` (rust_xlsxwriter).

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::{DataFrame, DataType, Float64Chunked};
use polars_arrow::array::{PrimitiveArray, StaticArray};
use rayon::prelude::*;

use crate::catalog::{Catalog, Kind, Method};
use crate::compute::frames::{Cols, one};
use crate::compute::{Computed, col as c};
use crate::report::{
    AuditRow, ComparisonCell, ComparisonColumn, ComparisonTable, FigureLookup, GrowthKind,
    IndicatorRow, IndustryRow, IndustryTable, ParkTable, Rendered, Severity, SummaryReport,
    TextContext, TrendPoint, TrendTable, render,
};

/// One summary row, read out of the frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Indicator code.
    pub indicator: String,
    /// Unit.
    pub unit: String,
    /// Values by summary column name.
    pub values: RowValues,
    /// growth_kind (`pct`, `pp`, `abs`).
    pub growth_kind: String,
    /// growth_note.
    pub growth_note: String,
    /// projection_method letter.
    pub method: String,
}

/// The finite values of a summary row, by summary column name (one slot per name of
/// [`RowValues::NAMES`]: an index of 23,000 rows is read without a hash map per row).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RowValues([Option<f64>; VALUE_COLS.len()]);

impl RowValues {
    /// The summary columns a row keeps.
    pub const NAMES: [&'static str; VALUE_COLS.len()] = VALUE_COLS;

    /// The value of a summary column (`None` when absent, not finite or not kept).
    ///
    /// ```
    /// use parkstat::present::RowValues;
    /// let mut v = RowValues::default();
    /// v.set("ytd", 12.5);
    /// v.set("ytd_growth", f64::NAN);
    /// assert_eq!(v.get("ytd"), Some(12.5));
    /// assert_eq!(v.get("ytd_growth"), None);
    /// assert_eq!(v.get("no_such_column"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<f64> {
        let i = VALUE_COLS.iter().position(|n| *n == name)?;
        self.0.get(i).copied().flatten()
    }

    /// Sets the value of a summary column (ignored for a non-finite value or an unknown name).
    pub fn set(&mut self, name: &str, value: f64) {
        if let Some(i) = VALUE_COLS.iter().position(|n| *n == name)
            && let Some(slot) = self.0.get_mut(i)
            && value.is_finite()
        {
            *slot = Some(value);
        }
    }
}

const VALUE_COLS: [&str; 13] = [
    c::YTD,
    c::YTD_PRIOR,
    c::YTD_GROWTH,
    c::YTD_GROWTH_COMPUTED,
    c::YTD_GROWTH_REPORTED,
    c::MONTH_VALUE,
    c::MONTH_GROWTH,
    c::FULL_YEAR_PRIOR,
    c::PROJECTION,
    c::PROJECTION_GROWTH,
    c::TARGET,
    c::COMPLETION,
    c::SCHEDULE_GAP_PP,
];

/// One period's rows being gathered: (park, year, month) and the rows by indicator.
type Gathering<'a> = ((&'a str, i32, u32), Vec<(String, Row)>);

/// One period's rows, by indicator.
type Period<'a> = ((&'a str, i32, u32), BTreeMap<String, Row>);

/// A gathered period's rows as a map: built at once (sorted, the last of a repeated indicator
/// kept, as inserting one by one would), instead of moving each large row through the map's
/// nodes.
fn period(g: Gathering<'_>) -> Period<'_> {
    let (key, rows) = g;
    (key, rows.into_iter().collect())
}

/// Puts a period's rows into the index (a period met twice gets the later rows on top).
fn file_period(periods: &mut BTreeMap<(String, i32, u32), BTreeMap<String, Row>>, p: Period<'_>) {
    let ((park, y, m), rows) = p;
    match periods.entry((park.to_string(), y, m)) {
        std::collections::btree_map::Entry::Vacant(e) => {
            e.insert(rows);
        }
        std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().extend(rows),
    }
}

/// The summary frame indexed by (park, year, month) → indicator → row.
#[derive(Debug, Clone, Default)]
pub struct SummaryIndex {
    /// Rows per period.
    pub periods: BTreeMap<(String, i32, u32), BTreeMap<String, Row>>,
}

impl SummaryIndex {
    /// Reads a summary frame (see [`crate::compute::col`]).
    pub fn new(summary: &DataFrame) -> SummaryIndex {
        let cols = Cols { df: summary };
        let (park, ind, unit, kind, note, method) = (
            cols.s(c::PARK),
            cols.s(c::INDICATOR),
            cols.s(c::UNIT),
            cols.s(c::GROWTH_KIND),
            cols.s(c::GROWTH_NOTE),
            cols.s(c::PROJECTION_METHOD),
        );
        let (year, month) = (cols.i(c::YEAR), cols.i(c::MONTH));
        // one array per slot of `RowValues`, read in place (a missing or non-numeric column
        // reads as nulls)
        let columns: Vec<Option<Float64Chunked>> = VALUE_COLS
            .iter()
            .map(|n| {
                let f = summary.column(n).ok()?.cast(&DataType::Float64).ok()?;
                Some(f.f64().ok()?.rechunk().into_owned())
            })
            .collect();
        let arrays: Vec<Option<&PrimitiveArray<f64>>> = columns
            .iter()
            .map(|ca| ca.as_ref().and_then(|ca| one(ca).ok()))
            .collect();
        // the rows of one part, gathered per period: the summary comes sorted by park and
        // period, so a period's key is built once
        let gather = |rows: std::ops::Range<usize>| -> Vec<Period<'_>> {
            let mut out = Vec::new();
            let mut current: Option<Gathering<'_>> = None;
            for i in rows {
                let (Some(y), Some(m)) = (year[i], month[i]) else {
                    continue;
                };
                let mut row = Row {
                    indicator: ind[i].to_string(),
                    unit: unit[i].to_string(),
                    growth_kind: kind[i].to_string(),
                    growth_note: note[i].to_string(),
                    method: method[i].to_string(),
                    values: RowValues::default(),
                };
                for (at, a) in row.values.0.iter_mut().zip(&arrays) {
                    *at = a.and_then(|a| a.get(i)).filter(|x| x.is_finite());
                }
                let key = (park[i], y, m.max(0) as u32);
                if current.as_ref().is_some_and(|(k, _)| *k != key)
                    && let Some(g) = current.take()
                {
                    out.push(period(g));
                }
                current
                    .get_or_insert_with(|| (key, Vec::new()))
                    .1
                    .push((ind[i].to_string(), row));
            }
            out.extend(current.map(period));
            out
        };
        // parts side by side, filed in order as one pass would: a period cut by a part's end is
        // met twice and its later rows go on top (the bench batch's 23,000 rows took 20-27 ms on
        // one thread)
        let n = summary.height();
        let parts = (n / 4096).clamp(1, 8);
        let ranges: Vec<std::ops::Range<usize>> = (0..parts)
            .map(|k| k * n / parts..(k + 1) * n / parts)
            .collect();
        let gathered: Vec<Vec<Period<'_>>> = ranges.into_par_iter().map(gather).collect();
        let mut idx = SummaryIndex::default();
        for g in gathered.into_iter().flatten() {
            file_period(&mut idx.periods, g);
        }
        idx
    }

    /// The latest period of each park.
    pub fn latest(&self) -> Vec<(String, i32, u32)> {
        let mut best: BTreeMap<&str, (i32, u32)> = BTreeMap::new();
        for (park, y, m) in self.periods.keys() {
            let e = best.entry(park).or_insert((*y, *m));
            if (*y, *m) > *e {
                *e = (*y, *m);
            }
        }
        best.into_iter()
            .map(|(p, (y, m))| (p.to_string(), y, m))
            .collect()
    }
}

/// The figures of one park and period, for templates.
pub struct PeriodFigures<'a> {
    rows: Option<&'a BTreeMap<String, Row>>,
    catalog: &'a Catalog,
}

impl<'a> PeriodFigures<'a> {
    /// The figures of `park` in `year`-`month`.
    pub fn new(
        index: &'a SummaryIndex,
        catalog: &'a Catalog,
        park: &str,
        year: i32,
        month: u32,
    ) -> Self {
        PeriodFigures {
            rows: index.periods.get(&(park.to_string(), year, month)),
            catalog,
        }
    }
}

impl FigureLookup for PeriodFigures<'_> {
    fn value(&self, code: &str, field: &str) -> Option<f64> {
        let row = self.rows?.get(code)?;
        let key = match field {
            "ytd" => c::YTD,
            "ytd_prior" => c::YTD_PRIOR,
            "ytd_growth" => c::YTD_GROWTH,
            "month" | "month_value" => c::MONTH_VALUE,
            "month_growth" => c::MONTH_GROWTH,
            "full_year_prior" => c::FULL_YEAR_PRIOR,
            "projection" => c::PROJECTION,
            "projection_growth" => c::PROJECTION_GROWTH,
            "target" => c::TARGET,
            "completion" => c::COMPLETION,
            "schedule_gap_pp" => c::SCHEDULE_GAP_PP,
            _ => return None,
        };
        row.values.get(key)
    }

    fn note(&self, code: &str, field: &str) -> Option<String> {
        let row = self.rows?.get(code)?;
        (field.ends_with("growth") && !row.growth_note.is_empty()).then(|| row.growth_note.clone())
    }

    fn name(&self, code: &str) -> Option<String> {
        self.catalog.get(code).map(|i| i.name.clone())
    }
}

fn growth_kind(k: &str) -> GrowthKind {
    match k {
        "pp" => GrowthKind::PercentagePoints,
        "abs" => GrowthKind::Absolute,
        _ => GrowthKind::Percent,
    }
}

fn unit_note(rows: &[IndicatorRow]) -> String {
    let mut seen = Vec::new();
    for r in rows {
        if !r.unit.is_empty()
            && !seen.contains(&r.unit)
            && matches!(
                r.unit.as_str(),
                "亿元" | "万元" | "万美元" | "%" | "万平方米" | "亩" | "万吨标准煤" | "万元/亩"
            )
        {
            seen.push(r.unit.clone());
        }
    }
    if seen.is_empty() {
        String::new()
    } else {
        format!("单位：{}", seen.join("、"))
    }
}

fn park_table(
    index: &SummaryIndex,
    catalog: &Catalog,
    park: &str,
    year: i32,
    month: u32,
) -> ParkTable {
    let mut rows = Vec::new();
    if let Some(period) = index.periods.get(&(park.to_string(), year, month)) {
        // catalogue order, each sub-item (其中) right under its parent
        let mut ordered: Vec<&crate::catalog::Indicator> = Vec::new();
        for ind in catalog.indicators().iter().filter(|i| i.parent.is_none()) {
            ordered.push(ind);
            ordered.extend(
                catalog
                    .indicators()
                    .iter()
                    .filter(|i| i.parent.as_deref() == Some(ind.code.as_str())),
            );
        }
        ordered.extend(
            catalog
                .indicators()
                .iter()
                .filter(|i| i.parent.as_ref().is_some_and(|p| catalog.get(p).is_none())),
        );
        for ind in ordered {
            let Some(r) = period.get(&ind.code) else {
                continue;
            };
            let v = |k: &str| r.values.get(k);
            if v(c::YTD).is_none() && v(c::PROJECTION).is_none() {
                continue;
            }
            let stock_like = matches!(
                ind.kind,
                Kind::Stock | Kind::CountStock | Kind::Ratio | Kind::Rate | Kind::Derived
            );
            rows.push(IndicatorRow {
                code: ind.code.clone(),
                name: if ind.parent.is_some() {
                    format!("其中：{}", ind.name)
                } else {
                    ind.name.clone()
                },
                unit: r.unit.clone(),
                level: u8::from(ind.parent.is_some()),
                ytd: v(c::YTD),
                growth: v(c::YTD_GROWTH),
                growth_kind: growth_kind(&r.growth_kind),
                growth_note: (!r.growth_note.is_empty()).then(|| r.growth_note.clone()),
                projection: v(c::PROJECTION),
                projection_growth: v(c::PROJECTION_GROWTH),
                target: v(c::TARGET),
                completion: v(c::COMPLETION),
                time_progress: (v(c::TARGET).is_some() && !stock_like)
                    .then_some(f64::from(month) * 100.0 / 12.0),
                schedule_gap_pp: v(c::SCHEDULE_GAP_PP),
                method: Method::parse(&r.method).map(|m| m.label().to_string()),
            });
        }
    }
    ParkTable {
        park: park.to_string(),
        year,
        month,
        unit_note: unit_note(&rows),
        rows,
    }
}

fn industry_tables(
    shares: &DataFrame,
    catalog: &Catalog,
    latest: &[(String, i32, u32)],
) -> Vec<IndustryTable> {
    let cols = Cols { df: shares };
    let (park, industry) = (cols.s("park"), cols.s("industry"));
    let (year, month) = (cols.i("year"), cols.i("month"));
    let (value, growth, share, change, pull, contribution, total, total_prior, leading) = (
        cols.f("value"),
        cols.f("growth"),
        cols.f("share"),
        cols.f("share_change_pp"),
        cols.f("pull_pp"),
        cols.f("contribution"),
        cols.f("total"),
        cols.f("total_prior"),
        cols.b("leading"),
    );
    let indicator = catalog
        .get("IND_GOV")
        .map(|i| i.name.clone())
        .unwrap_or_else(|| "工业总产值".into());
    let mut out = Vec::new();
    for (p, y, m) in latest {
        let mut idx: Vec<usize> = (0..shares.height())
            .filter(|&i| park[i] == p && year[i] == Some(*y) && month[i] == Some(*m as i32))
            .collect();
        let rank = |name: &str| {
            catalog
                .industries()
                .iter()
                .position(|x| x.name == name)
                .unwrap_or(usize::MAX)
        };
        idx.sort_by_key(|&i| (rank(industry[i]), industry[i].to_string()));
        let Some(&first) = idx.first() else { continue };
        let (t, tp) = (total[first], total_prior[first]);
        out.push(IndustryTable {
            park: p.clone(),
            year: *y,
            month: *m,
            indicator_name: indicator.clone(),
            unit: "亿元".into(),
            total: t,
            total_growth: match (t, tp) {
                (Some(t), Some(tp)) if tp > 0.0 => Some((t / tp - 1.0) * 100.0),
                _ => None,
            },
            rows: idx
                .iter()
                .map(|&i| IndustryRow {
                    name: industry[i].to_string(),
                    value: value[i],
                    growth: growth[i],
                    share: share[i],
                    share_change_pp: change[i],
                    pull_pp: pull[i],
                    contribution: contribution[i],
                    leading: leading[i],
                })
                .collect(),
        });
    }
    out
}

const TREND_CODES: [&str; 4] = ["IND_VA", "TAX_PAID", "FAI", "TIT_REV"];
const COMPARISON_CODES: [&str; 6] = ["IND_VA", "TAX_PAID", "TIT_REV", "FAI", "FDI_ACT", "DOM_ACT"];

fn trends(index: &SummaryIndex, catalog: &Catalog) -> Vec<TrendTable> {
    let mut by_park_year: BTreeMap<(String, i32), BTreeSet<u32>> = BTreeMap::new();
    for (p, y, m) in index.periods.keys() {
        by_park_year.entry((p.clone(), *y)).or_default().insert(*m);
    }
    let mut out = Vec::new();
    for ((park, year), months) in by_park_year {
        if months.len() < 2 {
            continue;
        }
        for code in TREND_CODES {
            let points: Vec<TrendPoint> = months
                .iter()
                .filter_map(|m| {
                    let r = index.periods.get(&(park.clone(), year, *m))?.get(code)?;
                    let v = |k: &str| r.values.get(k);
                    Some(TrendPoint {
                        year,
                        month: *m,
                        month_value: v(c::MONTH_VALUE),
                        month_growth: v(c::MONTH_GROWTH),
                        ytd: v(c::YTD),
                        ytd_growth: v(c::YTD_GROWTH),
                    })
                })
                .collect();
            if points.len() >= 2 {
                let ind = catalog.get(code);
                out.push(TrendTable {
                    park: park.clone(),
                    indicator_name: ind.map(|i| i.name.clone()).unwrap_or_default(),
                    unit: ind.map(|i| i.unit.clone()).unwrap_or_default(),
                    points,
                });
            }
        }
    }
    out
}

fn comparison(
    index: &SummaryIndex,
    ranking: &DataFrame,
    catalog: &Catalog,
) -> Option<ComparisonTable> {
    // the period with the most parks
    let mut count: BTreeMap<(i32, u32), Vec<String>> = BTreeMap::new();
    for (p, y, m) in index.periods.keys() {
        count.entry((*y, *m)).or_default().push(p.clone());
    }
    let ((year, month), parks) = count.into_iter().max_by_key(|(k, v)| (v.len(), *k))?;
    if parks.len() < 2 {
        return None;
    }
    let cols = Cols { df: ranking };
    let (r_ind, r_park) = (cols.s("indicator"), cols.s("park"));
    let (r_year, r_month, rv, rg, rc) = (
        cols.i("year"),
        cols.i("month"),
        cols.i("rank_value"),
        cols.i("rank_growth"),
        cols.i("rank_change"),
    );
    let rank_of = |code: &str, park: &str| {
        (0..ranking.height()).find(|&i| {
            r_ind[i] == code
                && r_park[i] == park
                && r_year[i] == Some(year)
                && r_month[i] == Some(month as i32)
        })
    };
    let codes: Vec<&str> = COMPARISON_CODES
        .iter()
        .copied()
        .filter(|code| {
            parks
                .iter()
                .filter(|p| {
                    index
                        .periods
                        .get(&((*p).clone(), year, month))
                        .is_some_and(|r| r.contains_key(*code))
                })
                .count()
                >= 2
        })
        .collect();
    let columns = codes
        .iter()
        .filter_map(|code| {
            catalog.get(code).map(|i| ComparisonColumn {
                code: i.code.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
            })
        })
        .collect();
    let rows = parks
        .iter()
        .map(|p| {
            let period = index.periods.get(&(p.clone(), year, month));
            let cells = codes
                .iter()
                .map(|code| {
                    let r = period.and_then(|x| x.get(*code));
                    let k = rank_of(code, p);
                    ComparisonCell {
                        value: r.and_then(|r| r.values.get(c::YTD)),
                        growth: r.and_then(|r| r.values.get(c::YTD_GROWTH)),
                        rank_value: k.and_then(|i| rv[i]).map(|x| x.max(0) as u32),
                        rank_growth: k.and_then(|i| rg[i]).map(|x| x.max(0) as u32),
                        rank_change: k.and_then(|i| rc[i]),
                    }
                })
                .collect();
            (p.clone(), cells)
        })
        .collect();
    Some(ComparisonTable {
        year,
        month,
        columns,
        parks: rows,
    })
}

fn audit_rows(audit: &DataFrame) -> Vec<AuditRow> {
    let cols = Cols { df: audit };
    let (sev, check, msg, file, sheet, cell) = (
        cols.s("severity"),
        cols.s("check"),
        cols.s("message"),
        cols.s("file"),
        cols.s("sheet"),
        cols.s("cell"),
    );
    (0..audit.height())
        .map(|i| AuditRow {
            severity: match sev[i] {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                _ => Severity::Info,
            },
            check: check[i].to_string(),
            message: msg[i].to_string(),
            file: file[i].to_string(),
            sheet: sheet[i].to_string(),
            cell: cell[i].to_string(),
        })
        .collect()
}

/// Renders a template for every park's latest period; returns the text (a heading per park when
/// there are several) and the warnings.
///
/// The parks whose figures fill the template best come first (fewest gaps, then by name): a
/// park with full returns fills most of it, while a short return or a park known only from a
/// comparison table leaves gaps, and the reader wants the first.
///
/// # Errors
/// [`crate::Error::Report`] for a malformed template.
pub fn render_text(
    template: &str,
    index: &SummaryIndex,
    catalog: &Catalog,
) -> crate::Result<Rendered> {
    let latest = index.latest();
    let mut parks = Vec::with_capacity(latest.len());
    for (park, year, month) in &latest {
        let figures = PeriodFigures::new(index, catalog, park, *year, *month);
        let ctx = TextContext {
            park: park.clone(),
            year: *year,
            month: *month,
        };
        parks.push((park, *year, *month, render(template, &ctx, &figures)?));
    }
    // stable: equal gaps keep the parks' (name) order
    parks.sort_by_key(|(.., r)| r.warnings.len());
    let mut text = String::new();
    let mut warnings = Vec::new();
    for (park, year, month, r) in parks {
        if latest.len() > 1 {
            text.push_str(&crate::report::park_heading(park, year, month));
            text.push('\n');
        }
        text.push_str(r.text.trim_end());
        text.push('\n');
        warnings.extend(r.warnings.into_iter().map(|w| format!("{park}: {w}")));
    }
    Ok(Rendered { text, warnings })
}

/// Builds the workbook's model from computed frames.
pub fn build_report(
    computed: &Computed,
    catalog: &Catalog,
    text: Option<String>,
    sources: Vec<String>,
) -> SummaryReport {
    let index = SummaryIndex::new(&computed.summary);
    build_report_indexed(computed, &index, catalog, text, sources)
}

/// [`build_report`] with the summary already indexed (as [`render_text`] needs it too).
pub fn build_report_indexed(
    computed: &Computed,
    index: &SummaryIndex,
    catalog: &Catalog,
    text: Option<String>,
    sources: Vec<String>,
) -> SummaryReport {
    let latest = index.latest();
    let parks = latest
        .iter()
        .map(|(p, y, m)| park_table(index, catalog, p, *y, *m))
        .filter(|t| !t.rows.is_empty())
        .collect();
    let methods = [
        Method::Seasonal,
        Method::GrowthCarry,
        Method::Linear,
        Method::Remainder,
        Method::Manual,
        Method::Recompute,
        Method::Carry,
    ];
    let mut notes = vec![
        (
            "制表".to_string(),
            format!("parkstat {}", env!("CARGO_PKG_VERSION")),
        ),
        ("指标目录版本".to_string(), catalog.version().to_string()),
        (
            "增长率".to_string(),
            "工业增加值等可比价指标采用报表所报增速，其余按绝对数计算；比重变化以百分点计"
                .to_string(),
        ),
        ("序时进度".to_string(), "月份 ÷ 12 × 100".to_string()),
    ];
    notes.extend(methods.iter().map(|m| {
        let how = match m {
            Method::Seasonal => "1-m月累计 × 上年全年 ÷ 上年同期",
            Method::GrowthCarry => "上年全年 × (1 + 累计增速)",
            Method::Linear => "1-m月累计 × 12 ÷ m",
            Method::Remainder => "1-m月累计 + (上年全年 − 上年同期) × (1 + 其余月份增速)",
            Method::Manual => "人工填报或报表所报预计数",
            Method::Recompute => "由分项预计数重算的比重",
            Method::Carry => "沿用最新值（存量指标）",
        };
        (format!("预计方法 {}", m.label()), how.to_string())
    }));
    SummaryReport {
        title_suffix: "主要经济指标完成情况".into(),
        parks,
        industries: industry_tables(&computed.shares, catalog, &latest),
        trends: trends(index, catalog),
        comparison: comparison(index, &computed.ranking, catalog),
        audit: audit_rows(&computed.audit),
        sources,
        notes,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    /// The index, built in parts side by side, against rows inserted one by one: enough rows
    /// for several parts (whose ends cut periods), a period met again after others, rows without
    /// a month, a repeated indicator (the later row kept) and values that are not finite
    /// (dropped).
    #[test]
    fn index_is_the_rows_inserted_in_order() -> PolarsResult<()> {
        let (mut park, mut ind, mut year, mut month, mut ytd, mut growth) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        let mut push = |p: &str, i: String, y: Option<i32>, m: Option<i32>, v: f64| {
            park.push(p.to_string());
            ind.push(i);
            year.push(y);
            month.push(m);
            ytd.push(Some(v));
            growth.push(if v as i64 % 7 == 0 {
                None
            } else {
                Some(v / 10.0)
            });
        };
        let mut v = 0.0;
        for (p, months) in [("丁", 5), ("甲", 12), ("乙", 12), ("丙", 12)] {
            for m in 1..=months {
                for k in 0..397 {
                    v += 1.0;
                    // every 97th row has no month; every 50th repeats the indicator before it
                    let code = format!("I{}", if k % 50 == 49 { k - 1 } else { k });
                    let month = (k % 97 != 0).then_some(m);
                    push(
                        p,
                        code,
                        Some(2022),
                        month,
                        if k == 5 { f64::NAN } else { v },
                    );
                }
            }
        }
        // 甲's January again, after every other period
        push("甲", "I1".into(), Some(2022), Some(1), -1.0);
        push("甲", "EXTRA".into(), Some(2022), Some(1), -2.0);
        let n = park.len();
        let df = df!(
            c::PARK => &park,
            c::INDICATOR => &ind,
            c::YEAR => &year,
            c::MONTH => &month,
            c::YTD => &ytd,
            c::YTD_GROWTH => &growth,
            c::UNIT => vec!["亿元"; n],
        )?;
        let got = SummaryIndex::new(&df);
        let mut want: BTreeMap<(String, i32, u32), BTreeMap<String, Row>> = BTreeMap::new();
        for i in 0..n {
            let (Some(y), Some(m)) = (year[i], month[i]) else {
                continue;
            };
            let mut values = RowValues::default();
            for (name, x) in [(c::YTD, ytd[i]), (c::YTD_GROWTH, growth[i])] {
                if let Some(x) = x {
                    values.set(name, x);
                }
            }
            let row = Row {
                indicator: ind[i].clone(),
                unit: "亿元".into(),
                values,
                ..Row::default()
            };
            want.entry((park[i].clone(), y, m as u32))
                .or_default()
                .insert(ind[i].clone(), row);
        }
        // the parts' ends (as SummaryIndex::new cuts them) fall inside periods
        let parts = n / 4096;
        assert!(parts >= 3, "the frame is split into parts");
        let cut = (1..parts)
            .map(|k| k * n / parts)
            .filter(|&b| park[b] == park[b - 1] && month[b].is_some() && month[b] == month[b - 1])
            .count();
        assert!(cut > 0, "no part's end cuts a period");
        assert_eq!(got.periods, want);
        let jan = &got.periods[&("甲".to_string(), 2022, 1)];
        assert_eq!(jan["I1"].values.get(c::YTD), Some(-1.0));
        assert!(
            !jan.contains_key("I0"),
            "a row without a month is in no period"
        );
        assert_eq!(jan["I5"].values.get(c::YTD), None);
        assert!(jan.contains_key("EXTRA"));
        Ok(())
    }
}
