//! Finding the header block of a table and giving every column its role.

use super::park::extract_park;
use super::roles::{Flags, LabelRole, Part, basis_of, classify};
use crate::catalog::Catalog;
use crate::catalog::units::Unit;
use crate::model::Basis;
use crate::period::PeriodHint;
use crate::read::Grid;
use crate::value::{CellValue, Parsed, normalize_text, parse_cell};

/// The role of one column of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnRole {
    /// A label column.
    Label(LabelRole),
    /// A column of figures.
    Value(ValueColumn),
    /// Nothing parkstat uses (notes, spacers).
    Ignore,
}

/// A column of figures and what its header says about them.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueColumn {
    /// The time basis.
    pub basis: Basis,
    /// An indicator named in the header band (enterprise and comparison returns).
    pub indicator: Option<String>,
    /// The band's text for that indicator.
    pub indicator_label: Option<String>,
    /// A park named in the header band (several parks side by side).
    pub park: Option<String>,
    /// A unit named in the header.
    pub unit: Option<Unit>,
    /// The header gives the figure as a percentage of the prior year's (为上年同期%, 上年同期=100):
    /// 108.5 is a growth of 8.5 %.
    pub index_of_prior: bool,
    /// The month the column's own header names ("6月", "1-6月"); a table whose columns name
    /// different months is a series, each column a period of its own ([`Header::series`]).
    pub month: Option<u32>,
    /// The header says the time: the month or the cumulative (本月, 累计, 1-8月 …). A column that
    /// does not takes it from the column on its left (增减% after 本月) or from its row (a series
    /// of single months down the rows).
    pub timed: bool,
}

/// A column with its header path and role.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Grid column.
    pub col: usize,
    /// Header texts from the top band down.
    pub path: Vec<String>,
    /// The role.
    pub role: ColumnRole,
}

/// A header block found in a grid.
#[derive(Debug, Clone)]
pub struct Header {
    /// First header row.
    pub first: usize,
    /// Last header row.
    pub last: usize,
    /// Every column that has a header.
    pub columns: Vec<Column>,
    /// Periods named in the header ("1-8月").
    pub periods: Vec<PeriodHint>,
}

impl Header {
    /// The first column with this label role.
    pub fn label_col(&self, role: LabelRole) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.role == ColumnRole::Label(role))
            .map(|c| c.col)
    }

    /// The label column `first` and the columns right after it under the same label (a 指标名称
    /// merged over two columns, the sub-items written in the second).
    pub fn label_span(&self, first: usize) -> Vec<usize> {
        let mut span = Vec::new();
        let Some(start) = self.columns.iter().position(|c| c.col == first) else {
            // a column the header leaves blank
            return vec![first];
        };
        let role = &self.columns[start].role;
        for c in &self.columns[start..] {
            if c.col != first + span.len() || &c.role != role {
                break;
            }
            span.push(c.col);
        }
        span
    }

    /// True when the value columns name two or more different months ("1月 | 2月 | … | 6月",
    /// "1-2月 | 1-3月 | …"): a series of periods side by side, each column its own period.
    pub fn series(&self) -> bool {
        let mut months = self.values().filter_map(|(_, v)| v.month);
        match months.next() {
            Some(first) => months.any(|m| m != first),
            None => false,
        }
    }

    /// The value columns.
    pub fn values(&self) -> impl Iterator<Item = (usize, &ValueColumn)> {
        self.columns.iter().filter_map(|c| match &c.role {
            ColumnRole::Value(v) => Some((c.col, v)),
            _ => None,
        })
    }
}

/// What a text cell says to the header search.
#[derive(Debug, Clone, Copy)]
enum HeaderWord {
    Number,
    Missing,
    Text {
        label: Option<LabelRole>,
        flagged: bool,
    },
}

/// [`classify`] for the header search, remembered per thread: a batch of returns repeats the
/// same few hundred texts (indicator names, header words) in every file, and every row of a
/// table is asked whether it starts a new header.
fn header_word(t: &str, v: &CellValue) -> HeaderWord {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SEEN: RefCell<HashMap<Box<str>, HeaderWord>> = RefCell::new(HashMap::new());
    }
    const MAX_REMEMBERED: usize = 20_000;
    if let Some(w) = SEEN.with(|m| m.borrow().get(t).copied()) {
        return w;
    }
    let w = match parse_cell(v) {
        Parsed::Number { .. } => HeaderWord::Number,
        Parsed::Missing => HeaderWord::Missing,
        _ => {
            let p = classify(t);
            HeaderWord::Text {
                label: p.label,
                flagged: p.flags.any(),
            }
        }
    };
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_REMEMBERED {
            m.clear(); // an enterprise return's names are not worth keeping
        }
        m.insert(t.into(), w);
    });
    w
}

/// How strongly a row looks like the first row of a header: label roles and time words.
pub fn header_score(grid: &Grid, r: usize) -> (usize, bool) {
    // a data row (numbers in most of its filled cells) is never a header: decide without
    // classifying its texts; a year typed as a number over a column (2023 | 2022) is no figure
    let (mut nums, mut filled) = (0usize, 0usize);
    for c in 0..grid.cols() {
        match grid.get(r, c) {
            CellValue::Number { value, .. } => {
                nums += usize::from(!year_like(*value));
                filled += 1;
            }
            v if !v.is_blank() => filled += 1,
            _ => {}
        }
    }
    if filled == 0 || (nums >= 2 && nums * 2 >= filled) {
        return (0, false);
    }
    let mut score = 0;
    let mut key_label = false;
    let mut numbers = 0;
    let mut texts = 0;
    for c in 0..grid.cols() {
        let v = grid.get(r, c);
        match v {
            CellValue::Text(t) if !t.trim().is_empty() => match header_word(t, v) {
                HeaderWord::Number => numbers += 1,
                HeaderWord::Missing => {}
                HeaderWord::Text { label, flagged } => {
                    texts += 1;
                    if let Some(l) = label {
                        score += 1;
                        key_label |= matches!(
                            l,
                            LabelRole::Name
                                | LabelRole::Entity
                                | LabelRole::Park
                                | LabelRole::EntityOrPark
                        );
                    } else if flagged {
                        score += 1;
                    }
                }
            },
            CellValue::Number { value, .. } if !year_like(*value) => numbers += 1,
            _ => {}
        }
    }
    if numbers > texts {
        return (0, false);
    }
    (score, key_label)
}

/// True when the row starts a header: a key label (指标名称, 企业名称, 园区名称) and another
/// header word, or three header words.
pub fn is_header_start(grid: &Grid, r: usize) -> bool {
    let (score, key) = header_score(grid, r);
    (key && score >= 2) || score >= 3
}

/// True when row `r` is a one-row header that names its indicators or its parks bare: a key label
/// (园区名称, 企业名称, 单位名称, 月份) and at least two cells the catalogue knows as indicators
/// ("园区名称 | 工业增加值 | 实缴税金"), or 指标名称 and at least two park names ("指标名称 |
/// 青林经济开发区 | 东山工业园区"); no numbers, and figures in the row below. Neither names are
/// header words, so [`is_header_start`] does not score such a row.
pub fn is_named_header(grid: &Grid, r: usize, catalog: &Catalog) -> bool {
    if r + 1 >= grid.rows() || row_has_numbers(grid, r) || !row_has_numbers(grid, r + 1) {
        return false;
    }
    let (mut key, mut name_key) = (false, false);
    let (mut indicators, mut parks) = (0, 0);
    for c in 0..grid.cols() {
        let CellValue::Text(t) = grid.get(r, c) else {
            continue;
        };
        if t.trim().is_empty() {
            continue;
        }
        let p = classify(t);
        match p.label {
            Some(
                LabelRole::Park | LabelRole::Entity | LabelRole::EntityOrPark | LabelRole::Period,
            ) => key = true,
            Some(LabelRole::Name) => name_key = true,
            Some(_) => {}
            None if catalog.match_label(t).code.is_some() => indicators += 1,
            None => parks += usize::from(!t.contains([':', '：']) && extract_park(t).is_some()),
        }
    }
    // rows of indicators under a row of park names: 指标名称 | 青林经济开发区 | 东山工业园区
    (key && indicators >= 2) || (name_key && parks >= 2)
}

/// Band rows above a header row are part of its header: the first row of the header block that
/// [`is_header_start`] found at `h`, going up over at most two band rows ([`is_band_row`]) but
/// not above `floor`.
///
/// A comparison table names its indicators in a band over each indicator's role columns
/// ("工业增加值" merged over 1-8月 | 增长%); indicator names are not header words, so the row of
/// bands does not score as a header itself, and the row under it does.
pub fn header_top(grid: &Grid, h: usize, floor: usize) -> usize {
    let mut top = h;
    while top > floor && h - top < 2 && is_band_row(grid, top - 1) {
        top -= 1;
    }
    top
}

/// True when row `r` is a row of bands over the row below: it holds no numbers and at least one
/// band, and each of its other filled cells is a header word or reaches down into the row below
/// (a label merged over both rows).
///
/// A band is a text over two or more columns of the row below that hold text themselves: merged
/// across those columns within this row or, where the format does not say its merges, followed by
/// blank cells. A band never starts in the table's first column nor stands over the names' column
/// (指标名称, 园区名称 …): that is a title; and it is never a line of the form ("单位：亿元",
/// "报出日期：…": a text with a colon).
pub fn is_band_row(grid: &Grid, r: usize) -> bool {
    if r + 1 >= grid.rows() || row_has_numbers(grid, r) {
        return false;
    }
    let texts_below = |c0: usize, c1: usize| {
        (c0..=c1)
            .filter(|&c| !grid.get(r + 1, c).is_blank())
            .count()
    };
    // a band stands over figures; a text over the names' column (指标名称) is the table's title
    let over_names = |c0: usize, c1: usize| {
        (c0..=c1).any(|c| {
            matches!(
                classify(&grid.get(r + 1, c).as_text()).label,
                Some(
                    LabelRole::Name | LabelRole::Entity | LabelRole::Park | LabelRole::EntityOrPark
                )
            )
        })
    };
    let mut bands = 0;
    for c in 0..grid.cols() {
        let v = grid.get(r, c);
        if v.is_blank() {
            continue;
        }
        let t = v.as_text();
        let merge = grid.merge_at(r, c).copied();
        let span = match merge {
            Some(m) if m.r0 == r && m.r1 == r && m.c1 > m.c0 => Some((m.c0, m.c1)),
            None if !grid.merges_known && grid.get(r, c + 1).is_blank() => {
                let mut end = c + 1;
                while end + 1 < grid.cols()
                    && grid.get(r, end + 1).is_blank()
                    && !grid.get(r + 1, end + 1).is_blank()
                {
                    end += 1;
                }
                Some((c, end))
            }
            _ => None,
        };
        // "单位：万元", "填报单位：…", "报出日期：…" are lines of the form, never bands
        let form_line = normalize_text(&t).contains(':');
        if let Some((c0, c1)) = span
            && c0 > 0
            && !form_line
            && texts_below(c0, c1) >= 2
            && !over_names(c0, c1)
        {
            bands += 1;
            continue;
        }
        let p = classify(&t);
        let word = p.label.is_some() || p.flags.any();
        let reaches_down = merge.is_some_and(|m| m.r0 == r && m.r1 > r);
        if !(word || reaches_down) || form_line {
            return false;
        }
    }
    bands > 0
}

/// A whole number from 2000 to 2099: a year when it heads a column.
fn year_like(v: f64) -> bool {
    v.fract() == 0.0 && (2000.0..=2099.0).contains(&v)
}

fn row_has_numbers(grid: &Grid, r: usize) -> bool {
    (0..grid.cols()).any(|c| matches!(grid.get(r, c), CellValue::Number { .. }))
}

/// The text of a header cell: the merge anchor's text where a merge covers it; where the format
/// does not say its merges, an empty cell under a band inherits the band's text from the left.
fn header_text(grid: &Grid, r: usize, c: usize, last: usize) -> String {
    if let Some(m) = grid.merge_at(r, c) {
        return grid.get(m.r0, m.c0).as_text().trim().to_string();
    }
    let own = grid.get(r, c).as_text().trim().to_string();
    if !own.is_empty() || grid.merges_known || r >= last {
        return own;
    }
    // blank-run inference: a band spans the empty cells to its right while the row below has text
    if grid.get(r + 1, c).is_blank() {
        return own;
    }
    let mut k = c;
    while k > 0 {
        k -= 1;
        if grid.get(r + 1, k).is_blank() {
            return own;
        }
        let t = grid.get(r, k).as_text();
        if !t.trim().is_empty() {
            return t.trim().to_string();
        }
    }
    own
}

/// Reads the header block that starts at row `first`.
pub fn read_header(grid: &Grid, first: usize, catalog: &Catalog) -> Header {
    // the header goes on while rows hold no numbers and the key label column is empty or merged
    let key_col = (0..grid.cols()).find(|&c| {
        classify(&grid.get(first, c).as_text())
            .label
            .is_some_and(|l| {
                matches!(
                    l,
                    LabelRole::Name
                        | LabelRole::Entity
                        | LabelRole::Park
                        | LabelRole::EntityOrPark
                        | LabelRole::Period
                )
            })
    });
    let mut last = first;
    while last + 1 < grid.rows() && last < first + 2 {
        let r = last + 1;
        if grid.row_is_blank(r) || row_has_numbers(grid, r) {
            break;
        }
        let key_free = match key_col {
            Some(k) => grid.get(r, k).is_blank() || grid.merge_at(r, k).is_some_and(|m| m.r0 < r),
            None => true,
        };
        if !key_free {
            break;
        }
        // a continuation row holds header words, or sits under a band of the row above
        let words = (0..grid.cols()).any(|c| {
            let t = grid.get(r, c).as_text();
            !t.trim().is_empty() && {
                let p = classify(&t);
                p.label.is_some() || p.flags.any() || p.unit.is_some()
            }
        });
        if !words {
            break;
        }
        last = r;
    }
    let mut columns = Vec::new();
    let mut column_years = Vec::new();
    let mut periods = Vec::new();
    for c in 0..grid.cols() {
        let mut path: Vec<String> = Vec::new();
        for r in first..=last {
            let t = header_text(grid, r, c, last);
            if !t.is_empty() && path.last() != Some(&t) {
                path.push(t);
            }
        }
        if path.is_empty() {
            continue;
        }
        let parts: Vec<Part> = path.iter().map(|t| classify(t)).collect();
        let mut role = column_role(&parts, catalog);
        // a column of figures hidden in the file is not part of the return as it is seen and
        // printed (last month's copy, a helper column): neither its figures nor its period
        if grid.col_hidden(c) && matches!(role, ColumnRole::Value(_)) {
            columns.push(Column {
                col: c,
                path,
                role: ColumnRole::Ignore,
            });
            column_years.push(None);
            continue;
        }
        periods.extend(
            parts
                .iter()
                .filter(|p| !p.period.is_empty() && !other_time(p))
                .map(|p| p.period),
        );
        if let ColumnRole::Value(v) = &mut role {
            v.month = parts
                .iter()
                .rev()
                .filter(|p| !other_time(p))
                .find_map(|p| p.period.month);
        }
        column_years.push(parts.iter().find_map(|p| p.period.year));
        columns.push(Column { col: c, path, role });
    }
    inherit_indicators(&mut columns);
    time_from_the_left(&mut columns);
    years_side_by_side(&mut columns, &column_years, &mut periods);
    last_year_by_its_year(&mut columns, &column_years, &mut periods);
    drop_total_columns(&mut columns);
    Header {
        first,
        last,
        columns,
        periods,
    }
}

/// A period word in a header text that is not the return's own period (上年同期, 上年全年, 全年目标,
/// 预计全年): its months and years say nothing about the table's period.
fn other_time(p: &Part) -> bool {
    p.flags.prior || p.flags.full_year_prior || p.flags.target || p.flags.projection
}

/// A header text that names the whole year (全年目标, 年度计划, 2023年目标).
fn annual(p: &Part) -> bool {
    let t = normalize_text(&p.text);
    ["全年", "年度", "年计划", "年目标", "年任务", "本年"]
        .iter()
        .any(|w| t.contains(w))
}

/// A header text that names a time within the year: a month, months or a quarter (本月, 月度,
/// 1-8月, 三季度).
fn within_the_year(p: &Part) -> bool {
    let t = normalize_text(&p.text);
    p.flags.month || p.period.month.is_some() || t.contains("月度") || t.contains("季度")
}

/// "工业增加值 | 增速 | 固定资产投资 | 增速": a column headed only by a basis, right of an
/// indicator's column, belongs to that indicator.
fn inherit_indicators(columns: &mut [Column]) {
    for i in 1..columns.len() {
        let (before, rest) = columns.split_at_mut(i);
        let (Some(prev), Some(c)) = (before.last(), rest.first_mut()) else {
            continue;
        };
        if let (ColumnRole::Value(p), ColumnRole::Value(v)) = (&prev.role, &mut c.role)
            && p.indicator.is_some()
            && v.indicator.is_none()
            && v.park.is_none()
            && prev.col + 1 == c.col
            && c.path.len() == 1
        {
            v.indicator = p.indicator.clone();
            v.indicator_label = p.indicator_label.clone();
            if v.unit.is_none() && !v.basis.is_percent() {
                v.unit = p.unit;
            }
        }
    }
}

/// "本月 | 去年同月 | 增减%", "本月 | 上年同期 | 增长%": a growth or last year's column that says
/// neither month nor cumulative compares the column on its left (of the same indicator and
/// park), so it takes that column's time: the month's growth after the month's value, not the
/// cumulative growth a bare 增减% means on its own.
fn time_from_the_left(columns: &mut [Column]) {
    for i in 1..columns.len() {
        let (before, rest) = columns.split_at_mut(i);
        let (Some(prev), Some(c)) = (before.last(), rest.first_mut()) else {
            continue;
        };
        if let (ColumnRole::Value(p), ColumnRole::Value(v)) = (&prev.role, &mut c.role)
            && prev.col + 1 == c.col
            && !v.timed
            && p.indicator == v.indicator
            && p.park == v.park
            && matches!(p.basis, Basis::Month | Basis::MonthPrior)
        {
            v.basis = match v.basis {
                Basis::YtdGrowth => Basis::MonthGrowth,
                Basis::YtdPrior => Basis::MonthPrior,
                other => other,
            };
        }
    }
}

/// "2023年1-8月 | 2022年1-8月", "2023年 | 2022年": a year and the year before side by side; the
/// earlier year's columns are last year's figures, and its period is not the table's.
fn years_side_by_side(
    columns: &mut [Column],
    column_years: &[Option<i32>],
    periods: &mut Vec<PeriodHint>,
) {
    let mut years: Vec<i32> = column_years.iter().flatten().copied().collect();
    years.sort_unstable();
    years.dedup();
    if let [before, current] = years[..]
        && current == before + 1
    {
        // a column of this year's own figures (2023年1-8月, 2023年 over the title's months), as
        // against only its target or projection (2023年目标)
        let this_year_has_figures = columns.iter().zip(column_years).any(|(c, y)| {
            *y == Some(current)
                && match &c.role {
                    ColumnRole::Value(v) => matches!(v.basis, Basis::Ytd | Basis::Month),
                    ColumnRole::Ignore => true,
                    ColumnRole::Label(_) => false,
                }
        });
        for (c, year) in columns.iter_mut().zip(column_years) {
            let Some(year) = *year else { continue };
            let prior = year == before;
            c.role = match std::mem::replace(&mut c.role, ColumnRole::Ignore) {
                ColumnRole::Value(mut v) => {
                    if prior {
                        v.basis = match v.basis {
                            // "2022年完成 | 2023年目标": last year's figure beside this year's
                            // target, neither naming months, is last year's total
                            Basis::Ytd if v.month.is_none() && !this_year_has_figures => {
                                Basis::FullYearPrior
                            }
                            Basis::Ytd => Basis::YtdPrior,
                            Basis::Month => Basis::MonthPrior,
                            other => other,
                        };
                    }
                    ColumnRole::Value(v)
                }
                // a year alone over a column ("2023年", "2022年度"): that year's cumulative figure
                ColumnRole::Ignore
                    if c.path.iter().any(|t| {
                        normalize_text(t)
                            .trim_end_matches(['年', '度'])
                            .chars()
                            .all(|ch| ch.is_ascii_digit())
                    }) =>
                {
                    ColumnRole::Value(ValueColumn {
                        basis: if prior { Basis::YtdPrior } else { Basis::Ytd },
                        indicator: None,
                        indicator_label: None,
                        park: None,
                        unit: None,
                        index_of_prior: false,
                        month: None,
                        timed: true,
                    })
                }
                other => other,
            };
        }
        periods.retain(|p| p.year != Some(before));
    }
}

/// "1-9月 | 2022年1-9月 | 增长%", "1-9月 | 2022年全年": one year named over some value columns
/// beside columns of the same time that name none. The columns that name no year are this
/// year's, so the named year is last year: its columns are last year's figures (its 全年 last
/// year's total), and its year is not the table's (the year after it is).
fn last_year_by_its_year(
    columns: &mut [Column],
    column_years: &[Option<i32>],
    periods: &mut Vec<PeriodHint>,
) {
    let value = |c: &Column| matches!(c.role, ColumnRole::Value(_));
    let mut years: Vec<i32> = columns
        .iter()
        .zip(column_years)
        .filter(|(c, _)| value(c))
        .filter_map(|(_, y)| *y)
        .collect();
    years.sort_unstable();
    years.dedup();
    let [year] = years[..] else { return };
    // this year's columns: the value columns that name no year, by basis and month
    let unnamed: Vec<(Basis, Option<u32>)> = columns
        .iter()
        .zip(column_years)
        .filter_map(|(c, y)| match &c.role {
            ColumnRole::Value(v) if y.is_none() => Some((v.basis, v.month)),
            _ => None,
        })
        .collect();
    let mut last_year = false;
    for (c, y) in columns.iter_mut().zip(column_years) {
        let ColumnRole::Value(v) = &mut c.role else {
            continue;
        };
        if y.is_none() || !matches!(v.basis, Basis::Ytd | Basis::Month) {
            continue;
        }
        let beside = |b: Basis, month: Option<u32>| {
            unnamed
                .iter()
                .any(|&(ub, um)| ub == b && (um.is_none() || um == month))
        };
        let whole_year = v.basis == Basis::Ytd && v.month == Some(12);
        let prior = if whole_year
            && unnamed
                .iter()
                .any(|&(b, m)| matches!(b, Basis::Ytd | Basis::Month) && m != Some(12))
        {
            Some(Basis::FullYearPrior)
        } else if beside(v.basis, v.month) {
            Some(match v.basis {
                Basis::Month => Basis::MonthPrior,
                _ => Basis::YtdPrior,
            })
        } else {
            None
        };
        if let Some(b) = prior {
            v.basis = b;
            if b == Basis::FullYearPrior {
                // its 12 months are not a period of a series beside the return's 1-9月
                v.month = None;
            }
            last_year = true;
        }
    }
    if last_year {
        periods.retain(|p| p.year != Some(year));
        periods.push(PeriodHint {
            year: Some(year + 1),
            month: None,
            cumulative: false,
        });
    }
}

/// Parks side by side with a 合计 band: the total of the parks is no park's figure.
fn drop_total_columns(columns: &mut [Column]) {
    if columns
        .iter()
        .any(|c| matches!(&c.role, ColumnRole::Value(v) if v.park.is_some()))
    {
        for c in columns.iter_mut() {
            if matches!(&c.role, ColumnRole::Value(v) if v.park.is_none())
                && c.path.iter().any(|t| super::is_total(t).is_some())
            {
                c.role = ColumnRole::Ignore;
            }
        }
    }
}

/// The time word that opens a header text fused to an indicator's name ("本月税收", "累计产值",
/// "1-8月工业增加值"), and the rest; `None` when the text opens with none.
fn time_prefix(text: &str) -> Option<(&str, &str)> {
    const WORDS: &[&str] = &[
        "本年累计",
        "累计完成",
        "本月完成",
        "当月完成",
        "上年同期",
        "去年同期",
        "上年同月",
        "去年同月",
        "本月",
        "当月",
        "累计",
        "本年",
    ];
    if let Some(w) = WORDS.iter().find(|w| text.starts_with(**w)) {
        return Some(text.split_at(w.len()));
    }
    // "1-8月", "1—8月累计"
    let digits = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, '-' | '—' | '－' | '~' | '至')))
        .map(|(i, _)| i)?;
    let (lead, rest) = text.split_at(digits);
    let rest = rest.strip_prefix('月')?;
    let rest = rest.strip_prefix("累计").unwrap_or(rest);
    (!lead.is_empty() && lead.starts_with(|c: char| c.is_ascii_digit()))
        .then(|| text.split_at(text.len() - rest.len()))
}

/// Header texts in which a time word is fused to an indicator's name, each split into the two
/// texts of a band ("本月税收" is 税收 over 本月): the time word then says the column's time,
/// which the name alone would not.
fn unfuse(parts: &[Part], catalog: &Catalog) -> Vec<Part> {
    let mut out = Vec::with_capacity(parts.len() + 1);
    for p in parts {
        match time_prefix(&p.text) {
            Some((time, name))
                if p.label.is_none()
                    && !name.trim().is_empty()
                    && catalog.match_label(name).code.is_some() =>
            {
                out.push(classify(name));
                out.push(classify(time));
            }
            _ => out.push(p.clone()),
        }
    }
    out
}

/// True when a text says a time of the return: the month, the cumulative or last year's.
pub(super) fn says_a_time(text: &str) -> bool {
    let p = classify(text);
    p.label.is_none() && (p.flags.month || p.flags.ytd || p.flags.prior || p.period.month.is_some())
}

/// The basis of a value column in a row that says its own time: a 时段 column of 本月, 1-9月,
/// 上年同期 down the rows, under columns 绝对数 | 同比增长% that say none. The row's time word
/// reads as a band over the column's header.
pub(super) fn row_time_basis(row_time: &str, column: &Column, catalog: &Catalog) -> Option<Basis> {
    if !says_a_time(row_time) {
        return None;
    }
    let parts: Vec<Part> = std::iter::once(row_time)
        .chain(column.path.iter().map(String::as_str))
        .map(classify)
        .collect();
    match column_role(&parts, catalog) {
        ColumnRole::Value(v) => Some(v.basis),
        _ => None,
    }
}

fn column_role(parts: &[Part], catalog: &Catalog) -> ColumnRole {
    let parts = &unfuse(parts, catalog);
    // a band that names an indicator ("实际到位利用外资") says nothing about time, even when it
    // holds a time word ("实际")
    let mut indicator = None;
    let mut indicator_label = None;
    let mut park = None;
    let mut timed: Vec<Part> = Vec::with_capacity(parts.len());
    for p in parts {
        let mut q = p.clone();
        if p.label.is_none() && p.period.is_empty() {
            let m = catalog.match_label(&p.text);
            if m.code.is_some() {
                if indicator.is_none() {
                    indicator = m.code;
                    indicator_label = Some(p.text.clone());
                }
                // a band of an indicator's growth (规上工业增加值增速) over its columns
                q.flags = Flags {
                    growth: m.growth,
                    ..Default::default()
                };
            } else if !p.flags.any() && park.is_none() {
                park = extract_park(&p.text);
            }
        }
        timed.push(q);
    }
    // (the words of an indicator's name in a band, 主导产业占比, say nothing here: `timed`)
    // a change as an amount (增减额) is neither a growth rate nor a figure of its own; the month
    // before (上月累计, 环比) is not this return's period; a share of a total (占全县比重) is
    // computed, not read
    if timed
        .iter()
        .any(|p| p.flags.amount || p.flags.previous || p.flags.share)
    {
        return ColumnRole::Ignore;
    }
    // the projected completion of the target (预计完成目标%) is a share, not the projection
    let any = |f: fn(&Part) -> bool| timed.iter().any(f);
    // a target for the month or the quarter (月度目标, 本月计划, 1-8月计划) is not the year's
    if any(|p| p.flags.target) && !any(annual) && any(within_the_year) {
        return ColumnRole::Ignore;
    }
    if any(|p| p.flags.projection) && any(|p| p.flags.completion) {
        return ColumnRole::Ignore;
    }
    // last year's growth (上年同期 over 增长%) is no figure of this return's period, and would
    // stand beside this year's growth as a second one; "与上年同期比" over 增长% compares with it
    let last_year = any(|p| p.flags.prior && !p.text.contains(['比', '较', '与']));
    if last_year && any(|p| p.flags.growth && !p.flags.prior) {
        return ColumnRole::Ignore;
    }
    // a label under a band (计量单位 under "（2023年1-8月）"): the band's time words are not the
    // label column's
    if let Some(label) = parts.last().and_then(|p| p.label) {
        return ColumnRole::Label(label);
    }
    let basis = basis_of(&timed);
    let unit = parts.iter().rev().find_map(|p| p.unit);
    let index_of_prior = timed.iter().any(|p| p.flags.index);
    if basis.is_none()
        && let Some(label) = parts.iter().rev().find_map(|p| p.label)
    {
        return ColumnRole::Label(label);
    }
    // "工业增加值(亿元)" alone over a column of a comparison table, a park's name alone over a
    // column of an indicator return (指标名称 | 青林经济开发区 | 东山工业园区): the cumulative value
    let basis = basis.or_else(|| (indicator.is_some() || park.is_some()).then_some(Basis::Ytd));
    // (the words of an indicator's name say no time: `timed`, not `parts`)
    let says_time = timed
        .iter()
        .any(|p| p.flags.month || p.flags.ytd || p.period.month.is_some());
    match basis {
        Some(basis) => ColumnRole::Value(ValueColumn {
            basis,
            indicator,
            indicator_label,
            park,
            unit,
            index_of_prior,
            month: None,
            timed: says_time,
        }),
        None => ColumnRole::Ignore,
    }
}
