//! Finding the tables inside a sheet, as a person does when opening a return, and turning their
//! cells into [`Figure`](crate::model::Figure)s.
//!
//! A sheet is scanned top-down for header blocks ([`header::is_header_start`], with the band rows
//! above such a row: [`header::header_top`]); the rows above a header are its title, period, park
//! and unit note; the rows below are data until a footer (填报人, 负责人, 注：…), two blank rows, or
//! the next header. Each table is one of three [`Shape`]s, told apart by its label columns.

mod emit;
pub mod header;
pub mod park;
mod period;
pub mod roles;

use serde::{Deserialize, Serialize};

use crate::catalog::matcher::{LabelMatch, MatchKind};
use crate::catalog::units::{Unit, parse_unit, parse_unit_note};
use crate::catalog::{Catalog, Indicator};
use crate::error::Error;
use crate::model::{Basis, TotalRow, Warning};
use crate::period::parse_text_period;
use crate::read::Grid;
use crate::tidy::BlockBuilder;
use crate::value::{CellValue, Parsed, normalize_text, parse_cell};
use emit::{TableColumn, TableCtx, emit};
use header::{
    ColumnRole, Header, ValueColumn, header_top, is_header_start, is_named_header, read_header,
    row_time_basis, says_a_time,
};
use park::{clean_row_name, extract_park};
use period::{not_a_date, resolve_period};
use roles::LabelRole;

/// Values given by the caller that override what the file says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// The park.
    pub park: Option<String>,
    /// The year.
    pub year: Option<i32>,
    /// The month.
    pub month: Option<u32>,
}

/// What a sheet is read against.
#[derive(Debug, Clone, Copy)]
pub struct SheetContext<'a> {
    /// The catalogue.
    pub catalog: &'a Catalog,
    /// The file as named in the output's `file` column.
    pub file: &'a str,
    /// The file's base name, read for period and park hints.
    pub file_name: &'a str,
    /// Caller overrides.
    pub overrides: &'a Overrides,
    /// Whether to note what was detected for each data row ([`TableReport::rows`]).
    pub row_reports: bool,
}

/// The three shapes of return (RETURNS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// One row per indicator.
    Indicator,
    /// One row per enterprise, with industry, 小计 and 合计 rows.
    Enterprise,
    /// One row per park, indicators as header bands.
    Comparison,
    /// One row per period of one park (月份 | 工业增加值 | …, rows 1-2月, 1-3月 …): a series
    /// down the table, each row its own period.
    Series,
}

/// What was detected for one column (for `parkstat inspect`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ColumnReport {
    /// The column letter.
    pub column: String,
    /// The header texts, top band first, joined with " / ".
    pub header: String,
    /// The role, in words.
    pub role: String,
}

/// What was detected for one data row (for `parkstat inspect`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RowReport {
    /// The 1-based row number.
    pub row: usize,
    /// The label as written.
    pub label: String,
    /// The indicator code, or None.
    pub indicator: Option<String>,
    /// How it matched, or why it did not.
    pub how: String,
}

/// Notes what was detected for a data row, when the caller wants the notes
/// ([`SheetContext::row_reports`]); the note is only made then.
fn note_row(ctx: &SheetContext<'_>, report: &mut TableReport, note: impl FnOnce() -> RowReport) {
    if ctx.row_reports {
        report.rows.push(note());
    }
}

/// What was detected for one table (for `parkstat inspect`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableReport {
    /// The sheet.
    pub sheet: String,
    /// The shape.
    pub shape: Shape,
    /// The title rows' text.
    pub title: String,
    /// The unit note, if any.
    pub unit_note: String,
    /// The period found.
    pub year: Option<i32>,
    /// The month found.
    pub month: Option<u32>,
    /// Where the period came from.
    pub period_sources: Vec<String>,
    /// The park found (for indicator and enterprise returns).
    pub park: Option<String>,
    /// 1-based first and last header rows.
    pub header_rows: (usize, usize),
    /// 1-based first and last data rows.
    pub data_rows: (usize, usize),
    /// The columns.
    pub columns: Vec<ColumnReport>,
    /// The data rows.
    pub rows: Vec<RowReport>,
    /// The table was turned on its side to be read (the names across, the times down): its
    /// "columns" are the sheet's rows, each named by its header cell.
    #[serde(default)]
    pub turned: bool,
}

/// Everything read from one sheet.
#[derive(Debug, Default)]
pub struct SheetOutput {
    /// The figures.
    pub figures: BlockBuilder,
    /// 小计 and 合计 rows.
    pub totals: Vec<TotalRow>,
    /// Notes with their places.
    pub warnings: Vec<Warning>,
    /// What was detected, table by table.
    pub tables: Vec<TableReport>,
    /// Tables whose period or park could not be decided.
    pub errors: Vec<Error>,
}

const FOOTER_WORDS: &[&str] = &[
    "填报人",
    "审核人",
    "负责人",
    "联系电话",
    "报出日期",
    "填报日期",
    "制表人",
    "制表:",
    "资料来源",
    "数据来源",
    "统计员",
    "报送日期",
];

fn is_footer(grid: &Grid, r: usize) -> bool {
    if (0..grid.cols())
        .filter(|&c| matches!(grid.get(r, c), CellValue::Number { .. }))
        .count()
        >= 2
    {
        return false;
    }
    let first = (0..grid.cols())
        .map(|c| grid.get(r, c))
        .find(|v| !v.is_blank());
    let Some(CellValue::Text(t)) = first else {
        return false;
    };
    let t = normalize_text(t);
    if t.starts_with("注:") || t.starts_with("说明:") || t.starts_with("备注:") || t == "注" {
        return true;
    }
    (0..grid.cols()).any(|c| match grid.get(r, c) {
        CellValue::Text(t) => {
            let t = normalize_text(t);
            FOOTER_WORDS.iter().any(|w| t.contains(w))
        }
        _ => false,
    })
}

/// True when row `r` is a table's title: one text and no figures, naming a park or a period.
fn is_title_row(grid: &Grid, r: usize) -> bool {
    let mut texts = (0..grid.cols()).filter_map(|c| match grid.get(r, c) {
        CellValue::Empty => None,
        v => Some(v.as_text()),
    });
    let (Some(t), None) = (texts.next(), texts.next()) else {
        return false;
    };
    extract_park(&t).is_some() || !parse_text_period(&t).is_empty()
}

/// "小计" or "合计" when a label names a subtotal or a total row (or column).
fn is_total(label: &str) -> Option<&'static str> {
    let t = normalize_text(label);
    if t.contains("小计") {
        Some("小计")
    } else if t.contains("合计")
        || t.contains("总计")
        || t == "全县"
        || t.starts_with("全县合计")
        || t == "总体"
    {
        Some("合计")
    } else {
        None
    }
}

fn is_column_numbers(grid: &Grid, r: usize) -> bool {
    let mut any = false;
    for c in 0..grid.cols() {
        let t = normalize_text(&grid.get(r, c).as_text());
        if t.is_empty() {
            continue;
        }
        any = true;
        let ok = matches!(
            t.as_str(),
            "甲" | "乙" | "丙" | "丁" | "戊" | "A" | "B" | "C" | "D"
        ) || (t.len() <= 2 && t.chars().all(|ch| ch.is_ascii_digit()));
        if !ok {
            return false;
        }
    }
    any
}

/// Reads every table of a sheet.
pub fn extract_sheet(grid: &Grid, ctx: &SheetContext) -> SheetOutput {
    let mut out = SheetOutput::default();
    let mut r = 0;
    let mut previous_pre: Vec<String> = Vec::new();
    while r < grid.rows() {
        let Some(h) = (r..grid.rows())
            .find(|&i| is_header_start(grid, i) || is_named_header(grid, i, ctx.catalog))
        else {
            break;
        };
        let h = header_top(grid, h, r);
        let header = read_header(grid, h, ctx.catalog);
        if header.values().next().is_none() {
            r = h + 1;
            continue;
        }
        let mut pre = Vec::new();
        for i in r..h {
            for c in 0..grid.cols() {
                let t = grid.get(i, c).as_text();
                let t = t.trim();
                if !t.is_empty() && !pre.iter().any(|p: &String| p == t) {
                    pre.push(t.to_string());
                }
            }
        }
        // a later table without its own title, period or park takes the sheet's earlier ones
        let says_period = pre
            .iter()
            .any(|t| !parse_text_period(t).is_empty() && not_a_date(t));
        let says_park = pre.iter().any(|t| extract_park(t).is_some());
        if !says_period || !says_park {
            for t in &previous_pre {
                let useful = (!says_period && !parse_text_period(t).is_empty())
                    || (!says_park && extract_park(t).is_some());
                if useful && !pre.contains(t) {
                    pre.push(t.clone());
                }
            }
        }
        // (a turned grid is not cut again: its cells' places in the sheet are its own)
        let end = match second_half(&header).filter(|_| !grid.is_turned()) {
            // a long return printed as two halves side by side (指标名称 | 本月 | 1-9月 |
            // 指标名称 | 本月 | 1-9月): each half is a table of its own, under the same title
            Some(k) => {
                let mut end = h + 1;
                for (from, to) in [(0, k), (k, grid.cols())] {
                    let half = grid.columns(from, to);
                    let half_header = read_header(&half, h, ctx.catalog);
                    if half_header.values().next().is_some() {
                        end = end.max(read_table(&half, &half_header, &pre, ctx, &mut out));
                    }
                }
                end
            }
            None => read_table(grid, &header, &pre, ctx, &mut out),
        };
        previous_pre.extend(pre);
        r = end.max(h + 1);
    }
    if out.tables.is_empty()
        && out.errors.is_empty()
        && !grid.is_turned()
        && let Some((at, end)) = turned_table(grid, ctx.catalog)
    {
        return extract_sheet(&grid.turned(at, end), ctx);
    }
    out
}

/// A table turned on its side, where no table was found: a row of indicator names across
/// (项目 | 工业总产值 | 工业增加值 | …) over rows that each say a time in their first cell
/// (本月, 1-9月累计, 上年同期, 同比增长%). The rows of that table, header first.
fn turned_table(grid: &Grid, catalog: &Catalog) -> Option<(usize, usize)> {
    let names = |r: usize| {
        (1..grid.cols())
            .filter(|&c| match grid.get(r, c) {
                CellValue::Text(t) => {
                    let m = catalog.match_label(t);
                    m.code.is_some() && m.kind != MatchKind::Fuzzy
                }
                _ => false,
            })
            .count()
    };
    let at = (0..grid.rows().min(ROWS_LOOKED_AT)).find(|&r| names(r) >= 2)?;
    let first_col = (0..grid.cols()).find(|&c| !grid.get(at, c).is_blank())?;
    let end = (at + 1..grid.rows())
        .find(|&r| grid.row_is_blank(r) || is_footer(grid, r))
        .unwrap_or(grid.rows());
    let times = (at + 1..end)
        .filter(|&r| says_a_time(&grid.get(r, first_col).as_text()))
        .count();
    (times >= 2).then_some((at, end))
}

/// The first column of a header's right half, when the header has a second names' column
/// (指标名称) right of figures of the first.
fn second_half(header: &Header) -> Option<usize> {
    let mut names = header
        .columns
        .iter()
        .filter(|c| c.role == ColumnRole::Label(LabelRole::Name))
        .map(|c| c.col);
    let (first, second) = (names.next()?, names.next()?);
    header
        .values()
        .any(|(c, _)| first < c && c < second)
        .then_some(second)
}

fn resolve_park(pre: &[String], grid: &Grid, ctx: &SheetContext) -> Option<String> {
    if let Some(p) = &ctx.overrides.park {
        return Some(p.clone());
    }
    pre.iter()
        .find_map(|t| extract_park(t))
        .or_else(|| {
            extract_park(
                ctx.file_name
                    .rsplit_once('.')
                    .map(|(s, _)| s)
                    .unwrap_or(ctx.file_name),
            )
        })
        .or_else(|| extract_park(&grid.name))
}

fn role_words(role: &ColumnRole) -> String {
    match role {
        ColumnRole::Label(l) => format!("label: {l:?}"),
        ColumnRole::Ignore => "ignored".into(),
        ColumnRole::Value(v) => {
            let mut s = format!("value: {}", v.basis);
            if let Some(i) = &v.indicator {
                s += &format!(", indicator {i}");
            }
            if let Some(p) = &v.park {
                s += &format!(", park {p}");
            }
            if let Some(u) = v.unit {
                s += &format!(", unit {}", u.name);
            }
            s
        }
    }
}

/// The park a group row of an indicator return names ("一、金山工业园区"), if it names one.
fn group_park_name(key: &str) -> Option<String> {
    extract_park(&clean_row_name(key).0)
}

/// The unit of a line that is only a unit in brackets ("（万元）" under a title).
fn bracketed_unit(text: &str) -> Option<Unit> {
    let t = normalize_text(text);
    parse_unit(t.strip_prefix('(')?.strip_suffix(')')?)
}

/// Reads one table; returns the row after its end.
fn read_table(
    grid: &Grid,
    header: &Header,
    pre: &[String],
    ctx: &SheetContext,
    out: &mut SheetOutput,
) -> usize {
    let entity_col = header.label_col(LabelRole::Entity);
    let industry_col = header.label_col(LabelRole::Industry);
    let park_col = header.label_col(LabelRole::Park);
    let either_col = header.label_col(LabelRole::EntityOrPark);
    let name_col = header.label_col(LabelRole::Name);
    let banded = header.values().any(|(_, v)| v.indicator.is_some());
    let period_col = header
        .label_col(LabelRole::Period)
        .filter(|_| banded && entity_col.or(park_col).or(either_col).is_none());
    let (shape, key_col) = if let Some(c) = period_col {
        (Shape::Series, Some(c))
    } else if let Some(c) = entity_col
        .or(either_col.filter(|&c| industry_col.is_some() || rows_are_companies(grid, header, c)))
    {
        // 单位名称 over companies (有限公司 …), or beside their industries
        (Shape::Enterprise, Some(c))
    } else if let Some(c) = park_col.or(either_col) {
        (Shape::Comparison, Some(c))
    } else if let Some(c) = name_col.filter(|_| !banded) {
        (Shape::Indicator, Some(c))
    } else if let Some(c) = name_col.filter(|&c| rows_are_companies(grid, header, c)) {
        // 名称 over company names, the indicators in the header: an enterprise return
        (Shape::Enterprise, Some(c))
    } else if banded {
        // the header names the indicators: the rows are parks, under whatever label (名称)
        let first_value = header.values().map(|(c, _)| c).min().unwrap_or(0);
        (
            Shape::Comparison,
            name_col.or_else(|| {
                header
                    .columns
                    .iter()
                    .map(|c| c.col)
                    .find(|&c| c < first_value)
            }),
        )
    } else {
        let first_value = header.values().map(|(c, _)| c).min().unwrap_or(0);
        let key = header
            .columns
            .iter()
            .filter(|c| c.col < first_value && c.role != ColumnRole::Label(LabelRole::Seq))
            .map(|c| c.col)
            .next()
            // the names' column with a blank header cell: the first column left of the
            // figures that holds text below the header
            .or_else(|| {
                (0..first_value).find(|&c| {
                    (header.last + 1..grid.rows().min(header.last + 1 + ROWS_LOOKED_AT))
                        .any(|r| matches!(parse_cell(grid.get(r, c)), Parsed::NotANumber(_)))
                })
            });
        (Shape::Indicator, key)
    };
    // a comparison of one indicator named in the title only ("全县园区工业总产值完成情况" over
    // 园区名称 | 1-9月 | 增长%)
    let named_by_title;
    let header = match title_indicator(header, pre, shape, ctx.catalog) {
        Some(h) => {
            named_by_title = h;
            &named_by_title
        }
        None => header,
    };
    let key_cols = key_col.map(|k| header.label_span(k)).unwrap_or_default();
    let unit_col = header.label_col(LabelRole::Unit);
    let mut note_text = pre
        .iter()
        .find(|t| !parse_unit_note(t).is_empty() || bracketed_unit(t).is_some())
        .cloned();
    let mut indicator_units = note_text
        .as_deref()
        .map(|t| bracketed_unit(t).map_or_else(|| parse_unit_note(t), |u| vec![u]))
        .unwrap_or_default();
    // a unit note inside the header block ("单位：万元" in its top-right cell)
    if indicator_units.is_empty() {
        for c in &header.columns {
            for t in &c.path {
                let u = parse_unit_note(t);
                if !u.is_empty() {
                    indicator_units = u;
                }
            }
        }
    }

    let file = ctx.file.to_string();
    let sheet = grid.name.clone();
    let warn = |out: &mut SheetOutput, cell: String, message: String| {
        out.warnings.push(Warning {
            file: file.clone(),
            sheet: sheet.clone(),
            cell,
            message,
        });
    };

    // find the table's end first
    let mut end = grid.rows();
    let mut blank_run = 0;
    let mut data_rows = Vec::new();
    for r in header.last + 1..grid.rows() {
        if grid.row_is_blank(r) {
            blank_run += 1;
            if blank_run >= 2 {
                end = r + 1;
                break;
            }
            continue;
        }
        blank_run = 0;
        if is_footer(grid, r) {
            end = r + 1;
            break;
        }
        if is_header_start(grid, r) {
            // the next table's header, with its band rows (already taken as rows of this one)
            end = header_top(grid, r, header.last + 1);
            // and its title, right under this table's last row ("附表2：白马工业园2023年1-9月…")
            while end > header.last + 1 && is_title_row(grid, end - 1) {
                end -= 1;
            }
            data_rows.retain(|&d| d < end);
            break;
        }
        if !is_column_numbers(grid, r) {
            data_rows.push(r);
        }
    }
    // no unit above the table or in its header: a footnote under it may give one
    // ("注：表中金额单位为万元，增速为%。")
    if indicator_units.is_empty() {
        let below = data_rows.last().map_or(header.last, |&l| l) + 1..grid.rows().min(end + 2);
        if let Some((t, units)) = below
            .flat_map(|r| (0..grid.cols()).map(move |c| (r, c)))
            .filter_map(|(r, c)| match grid.get(r, c) {
                CellValue::Text(t) => Some(t),
                _ => None,
            })
            .map(|t| (t, parse_unit_note(t)))
            .find(|(_, u)| !u.is_empty())
        {
            note_text = Some(t.to_string());
            indicator_units = units;
        }
    }

    let mut report = TableReport {
        sheet: grid.name.clone(),
        shape,
        title: pre.first().cloned().unwrap_or_default(),
        unit_note: note_text.clone().unwrap_or_default(),
        year: None,
        month: None,
        period_sources: Vec::new(),
        park: None,
        header_rows: (
            header.first + 1 + grid.row0 as usize,
            header.last + 1 + grid.row0 as usize,
        ),
        data_rows: (
            data_rows
                .first()
                .map(|r| r + 1 + grid.row0 as usize)
                .unwrap_or(0),
            data_rows
                .last()
                .map(|r| r + 1 + grid.row0 as usize)
                .unwrap_or(0),
        ),
        columns: header
            .columns
            .iter()
            .map(|c| ColumnReport {
                column: if grid.is_turned() {
                    grid.a1(header.first, c.col)
                } else {
                    crate::read::a1(0, grid.col0 as usize + c.col)
                        .trim_end_matches('1')
                        .to_string()
                },
                header: c.path.join(" / "),
                role: if grid.col_hidden(c.col) && c.role == ColumnRole::Ignore {
                    "ignored: hidden in the file".into()
                } else {
                    role_words(&c.role)
                },
            })
            .collect(),
        rows: Vec::new(),
        turned: grid.is_turned(),
    };

    // a series down the rows: each row's period, as its key cell says it ("1-3月", "2023年3月")
    let rows_months = (shape == Shape::Series)
        .then(|| {
            data_rows
                .iter()
                .filter_map(|&r| {
                    let key = row_key(grid, &key_cols, r)?.text;
                    parse_text_period(&normalize_text(&key)).month
                })
                .max()
        })
        .flatten();
    let (year, month) = match resolve_period(pre, header, grid, ctx, rows_months) {
        Ok((y, m, used)) => {
            report.period_sources = used;
            (y, m)
        }
        Err(message) => {
            out.errors.push(Error::Period {
                path: ctx.file.into(),
                sheet: grid.name.clone(),
                message,
            });
            out.tables.push(report);
            return end;
        }
    };
    report.year = Some(year);
    report.month = Some(month);
    let park = resolve_park(pre, grid, ctx);
    report.park = park.clone();
    let columns_have_parks = header.values().all(|(_, v)| v.park.is_some());
    // a county's list of enterprises says each one's park (所属园区)
    // or a county's indicator return, the rows grouped under their parks (一、金山工业园区)
    let group_park = |r: usize| -> bool {
        shape == Shape::Indicator
            && !row_has_figures(grid, header, r)
            && row_key(grid, &key_cols, r).is_some_and(|k| {
                group_park_name(&k.text).is_some()
                    && ctx.catalog.match_label(&k.text).code.is_none()
            })
    };
    let rows_have_parks = (shape == Shape::Enterprise && park_col.is_some())
        || (park.is_none() && data_rows.iter().any(|&r| group_park(r)));
    if park.is_none() && shape != Shape::Comparison && !columns_have_parks && !rows_have_parks {
        out.errors.push(Error::Park {
            path: ctx.file.into(),
            sheet: grid.name.clone(),
        });
        out.tables.push(report);
        return end;
    }
    // a list of projects or enterprises under 项目名称: not one row with figures names an
    // indicator, and a row per warning would say only that
    if shape == Shape::Indicator {
        // stops at the first row that names an indicator: the first row, in a return
        let (mut names, mut first) = (0usize, None);
        for &r in &data_rows {
            let filled = header.values().any(|(c, _)| !grid.get(r, c).is_blank());
            let Some(RowKey { text: key, .. }) = row_key(grid, &key_cols, r).filter(|_| filled)
            else {
                continue;
            };
            if ctx.catalog.match_label(&key).code.is_some() {
                names = 0;
                break;
            }
            names += 1;
            first.get_or_insert(key);
        }
        if names >= 2 {
            warn(
                out,
                grid.a1(header.first, key_col.unwrap_or(0)),
                format!(
                    "none of the {names} names under this header (\"{}\" …) is an indicator of \
                     the catalogue: not read as a return (a list of projects?); a catalogue of \
                     your own (--catalog) can name them",
                    first.unwrap_or_default()
                ),
            );
            out.tables.push(report);
            return end;
        }
    }
    // a column between the names and the figures that says each row's time (时段: 本月, 1-9月
    // down the rows), the columns across saying none (绝对数 | 同比增长%)
    let first_value = header.values().map(|(c, _)| c).min().unwrap_or(0);
    let time_col = (shape == Shape::Indicator)
        .then(|| {
            header
                .columns
                .iter()
                .filter(|c| {
                    c.col < first_value
                        && !key_cols.contains(&c.col)
                        && matches!(
                            c.role,
                            ColumnRole::Ignore | ColumnRole::Label(LabelRole::Period)
                        )
                })
                .map(|c| c.col)
                .find(|&c| {
                    data_rows
                        .iter()
                        .filter(|&&r| says_a_time(&grid.get(r, c).as_text()))
                        .count()
                        >= 2
                })
        })
        .flatten();
    if let Some(tc) = time_col
        && let Some(i) = header.columns.iter().position(|c| c.col == tc)
        && let Some(column) = report.columns.get_mut(i)
    {
        column.role = "label: each row's time (本月, 1-9月 …)".into();
    }
    let (figures_before, totals_before) = (out.figures.len(), out.totals.len());
    let mut t = TableCtx {
        indicator_units,
        park,
        year,
        month,
        series: header.series(),
        grid,
        ctx,
    };

    let mut industry_context: Option<String> = None;
    let mut block: Option<String> = None;
    // the rows of a comparison that name parks (a county's total row names the county)
    let parks_named = if shape == Shape::Comparison {
        data_rows
            .iter()
            .filter_map(|&r| row_key(grid, &key_cols, r))
            .filter(|k| extract_park(&k.text).is_some())
            .count()
    } else {
        0
    };
    // the indicator of the last row that is no sub-item: "其中：规模以上" under 工业总产值 is
    // 规模以上工业总产值
    let mut parent: Option<&Indicator> = None;
    // the value columns of an enterprise or comparison table, with their indicators and labels
    let value_columns: Vec<TableColumn<'_>> = header
        .values()
        .map(|(c, vc)| {
            let indicator = vc
                .indicator
                .as_deref()
                .and_then(|code| ctx.catalog.get(code));
            let label = vc.indicator_label.clone().unwrap_or_else(|| {
                header
                    .columns
                    .iter()
                    .find(|x| x.col == c)
                    .map(|x| x.path.join("/"))
                    .unwrap_or_default()
            });
            (c, vc, indicator, label)
        })
        .collect();
    // a series of single months (1月, 2月 …) under columns that name no time gives each month's
    // own value; a series of ranges (1-2月, 1-3月 …) the cumulative one
    let month_vcs: Vec<ValueColumn> = if shape == Shape::Series {
        value_columns
            .iter()
            .map(|&(_, vc, _, _)| {
                let mut v = vc.clone();
                if !v.timed {
                    v.basis = match v.basis {
                        Basis::Ytd => Basis::Month,
                        Basis::YtdGrowth => Basis::MonthGrowth,
                        Basis::YtdPrior => Basis::MonthPrior,
                        b => b,
                    };
                }
                v
            })
            .collect()
    } else {
        Vec::new()
    };
    let month_columns: Vec<TableColumn<'_>> = value_columns
        .iter()
        .zip(&month_vcs)
        .map(|((c, _, indicator, label), v)| (*c, v, *indicator, label.clone()))
        .collect();
    for &r in &data_rows {
        if grid.row_hidden(r) {
            // a row hidden in the file is not part of the return as it is seen and printed
            note_row(ctx, &mut report, || RowReport {
                row: r + 1 + grid.row0 as usize,
                label: row_key(grid, &key_cols, r).unwrap_or_default().text,
                indicator: None,
                how: "hidden in the file: left out".into(),
            });
            continue;
        }
        let RowKey {
            text: key_text,
            at: key_at,
            indented,
        } = row_key(grid, &key_cols, r).unwrap_or_default();
        let key_cell_col = key_cols.get(key_at).copied().or(key_col).unwrap_or(0);
        let has_values = row_has_figures(grid, header, r);
        match shape {
            Shape::Series => {
                let p = parse_text_period(&normalize_text(&key_text));
                if p.month.is_none() || !has_values {
                    note_row(ctx, &mut report, || RowReport {
                        row: r + 1 + grid.row0 as usize,
                        label: key_text.clone(),
                        indicator: None,
                        how: "no period in the row's name: not read".into(),
                    });
                    continue;
                }
                let (year, month) = (p.year.unwrap_or(t.year), p.month.unwrap_or(t.month));
                note_row(ctx, &mut report, || RowReport {
                    row: r + 1 + grid.row0 as usize,
                    label: key_text.clone(),
                    indicator: None,
                    how: format!("period {year}年{month}月"),
                });
                let row_t = TableCtx {
                    indicator_units: t.indicator_units.clone(),
                    park: t.park.clone(),
                    year,
                    month,
                    series: false,
                    grid,
                    ctx,
                };
                let park = t.park.as_deref().unwrap_or_default();
                let columns = if p.cumulative {
                    &value_columns
                } else {
                    &month_columns
                };
                for column in columns {
                    row_t.emit_column(out, r, column, park, None, None, false);
                }
            }
            Shape::Indicator => {
                if key_text.is_empty() {
                    continue;
                }
                let mut m = ctx.catalog.match_label(&key_text);
                if m.code.is_none()
                    && m.sub_item
                    && let Some(whole) = parent.and_then(|p| qualified(ctx.catalog, &m.key, p))
                {
                    m = whole;
                }
                if !m.sub_item {
                    parent = m.code.as_deref().and_then(|c| ctx.catalog.get(c));
                }
                note_row(ctx, &mut report, || RowReport {
                    row: r + 1 + grid.row0 as usize,
                    label: key_text.clone(),
                    indicator: m.code.clone(),
                    how: match (&m.code, m.kind) {
                        (Some(_), kind) => format!("{kind:?} (score {:.2})", m.score),
                        (None, _) if !has_values => {
                            "no figures: a section or sub-block label".into()
                        }
                        (None, _) => format!("unmatched (best similarity {:.2})", m.score),
                    },
                });
                if m.code.is_none() && !has_values {
                    if let Some(p) = group_park_name(&key_text) {
                        // a group row (一、金山工业园区): the rows below are this park's
                        t.park = Some(p);
                        block = None;
                        continue;
                    }
                    let n = normalize_text(&key_text);
                    if n.starts_with("其中") {
                        let name = n
                            .trim_start_matches("其中")
                            .trim_start_matches(':')
                            .to_string();
                        block = Some(match &t.park {
                            Some(p) => format!("{p}·{name}"),
                            None => name,
                        });
                    }
                    continue;
                }
                if m.code.is_none() {
                    warn(
                        out,
                        grid.a1(r, key_cell_col),
                        format!(
                            "indicator name \"{key_text}\" matches nothing in the catalogue; kept with an empty code"
                        ),
                    );
                }
                let row_unit = unit_col.and_then(|c| parse_unit(&grid.get(r, c).as_text()));
                let unit_hint = row_unit.or(m.unit);
                let indicator = m.code.as_deref().and_then(|c| ctx.catalog.get(c));
                let row_time = time_col.map(|c| grid.get(r, c).as_text());
                for column in &header.columns {
                    let ColumnRole::Value(vc) = &column.role else {
                        continue;
                    };
                    let c = column.col;
                    // the row's time over the column's header (本月 | 同比增长%)
                    let timed;
                    let vc = match row_time
                        .as_deref()
                        .and_then(|t| row_time_basis(t, column, ctx.catalog))
                    {
                        Some(basis) => {
                            timed = ValueColumn {
                                basis,
                                ..vc.clone()
                            };
                            &timed
                        }
                        None => vc,
                    };
                    // a row of an indicator's growth (工业投资增速): its figures are rates
                    let grown;
                    let vc = if m.growth {
                        let Some(basis) = vc.basis.growth() else {
                            continue;
                        };
                        grown = ValueColumn {
                            basis,
                            ..vc.clone()
                        };
                        &grown
                    } else {
                        vc
                    };
                    let park = vc
                        .park
                        .as_deref()
                        .or(block.as_deref())
                        .or(t.park.as_deref())
                        .unwrap_or_default();
                    emit(
                        &t,
                        out,
                        r,
                        c,
                        vc,
                        indicator,
                        m.code.as_deref(),
                        &key_text,
                        unit_hint,
                        park,
                        None,
                        None,
                        m.sub_item || key_at > 0 || indented,
                    );
                }
            }
            Shape::Enterprise | Shape::Comparison => {
                let industry_text = industry_col
                    .map(|c| grid.merged_text(r, c).trim().to_string())
                    .filter(|s| !s.is_empty());
                let label_for_total = [
                    Some(key_text.clone()),
                    industry_text.clone(),
                    header
                        .label_col(LabelRole::Seq)
                        .map(|c| grid.get(r, c).as_text()),
                ]
                .into_iter()
                .flatten()
                .find_map(|s| is_total(&s).map(|k| (k, s)))
                .or_else(|| {
                    // "其中：规上企业" under an enterprise list's 合计: a part of the total, no
                    // enterprise; "青林县" under the parks of a county: the county's total
                    let breakdown = shape == Shape::Enterprise
                        && normalize_text(&key_text).starts_with("其中")
                        && !is_company(&key_text);
                    let county =
                        shape == Shape::Comparison && parks_named >= 2 && is_county(&key_text);
                    (breakdown || county).then(|| ("合计", key_text.clone()))
                });
                if let Some((kind, text)) = label_for_total {
                    let industry = if kind == "小计" {
                        industry_text
                            .clone()
                            .or_else(|| industry_context.clone())
                            .map(|s| industry_name(ctx.catalog, s.replace("小计", "").trim()))
                    } else {
                        None
                    };
                    let mut sink = SheetOutput::default();
                    for (c, vc) in header.values() {
                        let indicator = vc
                            .indicator
                            .as_deref()
                            .and_then(|code| ctx.catalog.get(code));
                        emit(
                            &t,
                            &mut sink,
                            r,
                            c,
                            vc,
                            indicator,
                            vc.indicator.as_deref(),
                            vc.indicator_label.as_deref().unwrap_or_default(),
                            None,
                            t.park.as_deref().unwrap_or_default(),
                            None,
                            industry.as_deref(),
                            false,
                        );
                    }
                    let figures = sink.figures.finish().to_figures();
                    out.totals.push(TotalRow {
                        label: text,
                        industry,
                        figures,
                    });
                    note_row(ctx, &mut report, || RowReport {
                        row: r + 1 + grid.row0 as usize,
                        label: key_text.clone(),
                        indicator: None,
                        how: format!("{kind} row: kept for cross-checks, not emitted"),
                    });
                    continue;
                }
                if key_text.is_empty() || !has_values {
                    // a group header row ("一、有色金属加工") sets the industry of the rows below
                    let group = if key_text.is_empty() {
                        industry_text.clone()
                    } else {
                        Some(key_text.clone())
                    };
                    if let Some(g) = group {
                        industry_context = Some(g);
                    }
                    continue;
                }
                let industry = industry_text
                    .clone()
                    .or_else(|| industry_context.clone())
                    .map(|s| industry_name(ctx.catalog, &s));
                if industry_text.is_some() {
                    industry_context = industry_text.clone();
                }
                note_row(ctx, &mut report, || RowReport {
                    row: r + 1 + grid.row0 as usize,
                    label: key_text.clone(),
                    indicator: None,
                    how: if shape == Shape::Enterprise {
                        format!(
                            "enterprise, industry {}",
                            industry.clone().unwrap_or_default()
                        )
                    } else {
                        "park".into()
                    },
                });
                // "其中：城南工业园区", "1、东山工业园区": the name without its place in the table
                let (name, marked) = clean_row_name(&key_text);
                let part = marked || indented || key_at > 0;
                // an enterprise's own park, when the list says it (所属园区)
                let row_park = park_col
                    .filter(|_| shape == Shape::Enterprise)
                    .map(|c| clean_row_name(&grid.merged_text(r, c)).0)
                    .filter(|p| !p.is_empty());
                if shape == Shape::Enterprise
                    && row_park.is_none()
                    && t.park.is_none()
                    && header.values().any(|(_, v)| v.park.is_none())
                {
                    warn(
                        out,
                        grid.a1(r, key_cell_col),
                        format!("no park for \"{name}\": its 所属园区 cell is empty; left out"),
                    );
                    continue;
                }
                for column in &value_columns {
                    let vc = column.1;
                    let (park, entity) = if shape == Shape::Comparison {
                        (name.as_str(), None)
                    } else {
                        (
                            vc.park
                                .as_deref()
                                .or(row_park.as_deref())
                                .or(t.park.as_deref())
                                .unwrap_or_default(),
                            Some(name.as_str()),
                        )
                    };
                    t.emit_column(out, r, column, park, entity, industry.as_deref(), part);
                }
            }
        }
    }
    if shape != Shape::Indicator {
        for (c, vc) in header.values() {
            if vc.indicator.is_none() {
                let path = header
                    .columns
                    .iter()
                    .find(|x| x.col == c)
                    .map(|x| x.path.join(" / "))
                    .unwrap_or_default();
                warn(
                    out,
                    grid.a1(header.first, c),
                    format!(
                        "column header \"{path}\" names no indicator of the catalogue; its figures have an empty code"
                    ),
                );
            }
        }
    }
    // numbers under the header, and not one read: say so rather than drop a table in silence
    if out.figures.len() == figures_before
        && out.totals.len() == totals_before
        && data_rows.iter().any(|&r| row_has_figures(grid, header, r))
    {
        warn(
            out,
            grid.a1(header.first, key_col.unwrap_or(0)),
            "the table under this header holds numbers but gave no figure: no column of names \
             was recognised; `parkstat inspect` shows what was found"
                .to_string(),
        );
    }
    out.tables.push(report);
    end
}

/// Rows under a header looked at to tell what a column holds (names or companies).
const ROWS_LOOKED_AT: usize = 50;

/// True when row `r` holds a number in one of the header's value columns.
fn row_has_figures(grid: &Grid, header: &Header, r: usize) -> bool {
    header
        .values()
        .any(|(c, _)| matches!(parse_cell(grid.get(r, c)), Parsed::Number { .. }))
}

/// The first text of row `r` in the key columns, and its place among them (a text further right
/// is a sub-item).
fn row_key(grid: &Grid, key_cols: &[usize], r: usize) -> Option<RowKey> {
    key_cols.iter().enumerate().find_map(|(i, &c)| {
        let raw = grid.merged_text(r, c);
        let text = raw.trim();
        (!text.is_empty()).then(|| RowKey {
            text: text.to_string(),
            at: i,
            indented: raw.starts_with(char::is_whitespace),
        })
    })
}

/// A row's name (see [`row_key`]): the text, trimmed; which of the key columns holds it; whether
/// it was indented (a part of the row above, as a text further right is).
#[derive(Debug, Default)]
struct RowKey {
    text: String,
    at: usize,
    indented: bool,
}

/// The header of a comparison table whose columns name no indicator, with the indicator its
/// title names given to every value column; `None` when the title names none, or the table is
/// of another shape or names its indicators.
fn title_indicator(
    header: &Header,
    pre: &[String],
    shape: Shape,
    catalog: &Catalog,
) -> Option<Header> {
    if shape != Shape::Comparison || header.values().any(|(_, v)| v.indicator.is_some()) {
        return None;
    }
    let indicator = pre.iter().find_map(|t| catalog.named_in(t))?;
    let mut named = header.clone();
    for c in &mut named.columns {
        if let ColumnRole::Value(v) = &mut c.role {
            v.indicator = Some(indicator.code.clone());
        }
    }
    Some(named)
}

/// True when a row's name is a company's (有限公司, 厂, 集团, 合作社).
fn is_company(text: &str) -> bool {
    ["公司", "厂", "集团", "合作社"]
        .iter()
        .any(|w| text.contains(w))
}

/// True when a row's name is a county's, not a park's ("青林县", "东山市"): the total of a
/// county's parks.
fn is_county(text: &str) -> bool {
    let (name, _) = clean_row_name(text);
    let name = normalize_text(&name);
    let n = name.chars().count();
    (2..=6).contains(&n)
        && (name.ends_with('县') || name.ends_with('市'))
        && extract_park(&name).is_none()
}

/// The indicator a sub-item names by its qualifier alone, under its parent: "规模以上" under
/// 工业总产值 is 规模以上工业总产值, "工业" under 固定资产投资 is 工业固定资产投资. Only a name the
/// catalogue knows as it is (not a shortened or fuzzy match), and another indicator than the
/// parent.
fn qualified(catalog: &Catalog, key: &str, parent: &Indicator) -> Option<LabelMatch> {
    if key.is_empty() {
        return None;
    }
    let m = catalog.match_label(&format!("{key}{}", parent.name));
    (matches!(m.kind, MatchKind::Exact | MatchKind::Scoped)
        && m.code.as_deref() != Some(parent.code.as_str()))
    .then_some(LabelMatch {
        sub_item: true,
        ..m
    })
}

/// True when the texts in column `c` under the header name companies (有限公司, 厂 …) rather
/// than parks.
fn rows_are_companies(grid: &Grid, header: &Header, c: usize) -> bool {
    let (mut companies, mut parks) = (0, 0);
    for r in header.last + 1..grid.rows().min(header.last + 1 + ROWS_LOOKED_AT) {
        let text = grid.get(r, c).as_text();
        if extract_park(&text).is_some() {
            parks += 1;
        } else if is_company(&text) {
            companies += 1;
        }
    }
    companies > parks
}

/// The industry a group row or an industry cell names: the catalogue's name when it knows the
/// industry, else the text without its ordinal ("一、装备制造业" is 装备制造业).
fn industry_name(catalog: &Catalog, text: &str) -> String {
    catalog
        .match_industry(text)
        .map(|i| i.name.clone())
        .unwrap_or_else(|| {
            let text = normalize_text(text);
            let (name, _) = crate::catalog::matcher::strip_marks(&text);
            if name.is_empty() {
                text.clone()
            } else {
                name.to_string()
            }
        })
}

#[cfg(test)]
mod tests;
