//! The plain data the report module writes.
//!
//! The compute module fills these structs; nothing here knows about polars,
//! calamine or rust_xlsxwriter. Every value is optional: `None` means "not
//! available" and is written as an empty cell (or as the row's note, for a
//! growth), never as 0.
//!
//! Percentages are stored as percent (`7.5` means 7.5 %), as everywhere in
//! parkstat.

/// How the growth of an indicator is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GrowthKind {
    /// Percent change against the same period of last year (flows): `8.5` is +8.5 %.
    #[default]
    Percent,
    /// Change in percentage points (ratios and shares): `2.1` is +2.1 个百分点.
    PercentagePoints,
    /// Absolute difference in the indicator's own unit (counts and stocks): `3` is "+3".
    Absolute,
}

/// One line of the standard table of a park (主要经济指标完成情况).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndicatorRow {
    /// Catalogue code, e.g. `IND_VA`.
    pub code: String,
    /// Name as printed, e.g. `工业增加值` or `其中：高新技术产业产值`.
    pub name: String,
    /// Canonical unit, e.g. `亿元`, `万美元`, `个`, `%`.
    pub unit: String,
    /// 0 for a main indicator, 1 (or more) for a 其中 sub-item, which is indented.
    pub level: u8,
    /// Cumulative value 1–m月 (or period-end level for stocks).
    pub ytd: Option<f64>,
    /// Growth against the same period of last year, in the unit given by `growth_kind`.
    pub growth: Option<f64>,
    /// How `growth` and `projection_growth` are expressed.
    pub growth_kind: GrowthKind,
    /// Written in the growth cell when `growth` is `None`: `扭亏`, `新增`, `无基数`, `—`.
    pub growth_note: Option<String>,
    /// Projected full-year value (预计全年).
    pub projection: Option<f64>,
    /// Projected full-year growth, same kind as `growth`.
    pub projection_growth: Option<f64>,
    /// Annual target (全年目标).
    pub target: Option<f64>,
    /// Completion of the target, percent (完成率).
    pub completion: Option<f64>,
    /// Time progress, percent (序时进度, m/12×100).
    pub time_progress: Option<f64>,
    /// Completion minus time progress, percentage points (超/欠序时进度).
    pub schedule_gap_pp: Option<f64>,
    /// Label of the projection method, e.g. `季节比例(S)`.
    pub method: Option<String>,
}

/// The standard table of one park for one period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParkTable {
    /// Park name as printed in the title, e.g. `某某工业园区`.
    pub park: String,
    /// Reporting year.
    pub year: i32,
    /// Last month of the cumulative period (1–12).
    pub month: u32,
    /// Unit line under the title, e.g. `单位：亿元、万美元、%`.
    pub unit_note: String,
    /// Rows in printing order.
    pub rows: Vec<IndicatorRow>,
}

/// One industry in an industry-structure table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndustryRow {
    /// Industry name, e.g. `有色金属加工`.
    pub name: String,
    /// Value of the indicator for this industry.
    pub value: Option<f64>,
    /// Growth, percent.
    pub growth: Option<f64>,
    /// Share of the park total, percent.
    pub share: Option<f64>,
    /// Change of the share, percentage points.
    pub share_change_pp: Option<f64>,
    /// Pull on the total's growth (拉动), percentage points.
    pub pull_pp: Option<f64>,
    /// Contribution to the total's growth (贡献率), percent.
    pub contribution: Option<f64>,
    /// A leading industry (主导产业): marked ★ in the table.
    pub leading: bool,
}

/// Industry structure of one indicator in one park.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndustryTable {
    /// Park name.
    pub park: String,
    /// Reporting year.
    pub year: i32,
    /// Last month of the cumulative period (1–12).
    pub month: u32,
    /// The indicator broken down, e.g. `工业总产值`.
    pub indicator_name: String,
    /// Its unit, e.g. `亿元`.
    pub unit: String,
    /// Park total (合计 row).
    pub total: Option<f64>,
    /// Growth of the park total, percent.
    pub total_growth: Option<f64>,
    /// Industries in printing order.
    pub rows: Vec<IndustryRow>,
}

/// One month of a trend.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendPoint {
    /// Year of the point.
    pub year: i32,
    /// Month of the point (1–12).
    pub month: u32,
    /// Value of the month alone (当月).
    pub month_value: Option<f64>,
    /// Growth of the month alone, percent.
    pub month_growth: Option<f64>,
    /// Cumulative value 1–m.
    pub ytd: Option<f64>,
    /// Cumulative growth, percent.
    pub ytd_growth: Option<f64>,
}

/// Monthly series of one indicator in one park.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrendTable {
    /// Park name.
    pub park: String,
    /// Indicator name, e.g. `工业增加值`.
    pub indicator_name: String,
    /// Unit of the values.
    pub unit: String,
    /// Points in time order.
    pub points: Vec<TrendPoint>,
}

/// One indicator compared across parks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComparisonColumn {
    /// Catalogue code.
    pub code: String,
    /// Indicator name as printed over the column band.
    pub name: String,
    /// Unit of the values.
    pub unit: String,
}

/// One park's figures for one [`ComparisonColumn`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComparisonCell {
    /// Value.
    pub value: Option<f64>,
    /// Growth, percent.
    pub growth: Option<f64>,
    /// Rank by value (1 = first); `None` = unranked, printed "—".
    pub rank_value: Option<u32>,
    /// Rank by growth; printed only when some park has one.
    pub rank_growth: Option<u32>,
    /// Places gained since the previous period (positive = moved up, 进位), printed ↑2 / ↓1.
    pub rank_change: Option<i32>,
}

/// Parks side by side (园区对比).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ComparisonTable {
    /// Reporting year.
    pub year: i32,
    /// Last month of the cumulative period (1–12).
    pub month: u32,
    /// Indicators, one column band each.
    pub columns: Vec<ComparisonColumn>,
    /// One row per park: name and one cell per column (missing cells are blank).
    pub parks: Vec<(String, Vec<ComparisonCell>)>,
}

/// Severity of an audit finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    /// Must be fixed before the figures are sent (错误).
    Error,
    /// Should be explained (警告).
    Warning,
    /// For information (提示).
    #[default]
    Info,
}

impl Severity {
    /// The Chinese label written in the workbook: 错误, 警告, 提示.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// One audit finding (数据审核), naming where it was found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditRow {
    /// How serious it is.
    pub severity: Severity,
    /// Name of the check, e.g. `累计值回落`.
    pub check: String,
    /// Explanation with the values involved.
    pub message: String,
    /// Source file.
    pub file: String,
    /// Source sheet.
    pub sheet: String,
    /// Source cell, e.g. `D7`.
    pub cell: String,
}

/// Everything one summary workbook contains.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryReport {
    /// Title after the park name, e.g. `主要经济指标完成情况` (that is also the default when empty).
    pub title_suffix: String,
    /// Standard tables: one gives the sheet 主要指标, several give one sheet per park.
    pub parks: Vec<ParkTable>,
    /// Industry tables, stacked on the sheet 产业结构.
    pub industries: Vec<IndustryTable>,
    /// Monthly trends, stacked on the sheet 月度趋势 (written when one has ≥ 2 points).
    pub trends: Vec<TrendTable>,
    /// Parks side by side, the sheet 园区对比.
    pub comparison: Option<ComparisonTable>,
    /// Findings, the sheet 数据审核 (always written; "未发现问题" when empty).
    pub audit: Vec<AuditRow>,
    /// Source files, listed on 说明.
    pub sources: Vec<String>,
    /// Key/value notes on 说明: methods, catalogue version, produced at, by.
    pub notes: Vec<(String, String)>,
    /// The narrative (文字材料), one paragraph per line.
    pub text: Option<String>,
}

/// How the workbook looks.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOptions {
    /// Font of every cell and chart, default `宋体`.
    pub font: String,
    /// Body font size in points, default 11; titles are larger.
    pub font_size: f64,
    /// Deflate level of the xlsx container, 1 (fastest) to 9; default 2. Compressing the XML
    /// was most of the time of saving a batch's summary; level 2 saves it in about half the
    /// time of level 6 for a file about a tenth larger (rust_xlsxwriter's measurements).
    pub zip_level: u8,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            font: "宋体".to_string(),
            font_size: 11.0,
            zip_level: 2,
        }
    }
}

/// The period label of a cumulative period: `1-8月`; `1月` for January.
///
/// ```
/// # use parkstat::report::period_label;
/// assert_eq!(period_label(8), "1-8月");
/// assert_eq!(period_label(1), "1月");
/// ```
pub fn period_label(month: u32) -> String {
    if month <= 1 {
        format!("{month}月")
    } else {
        format!("1-{month}月")
    }
}
