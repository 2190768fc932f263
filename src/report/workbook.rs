//! The summary workbook (rust_xlsxwriter is used only here).
//!
//! Layout decisions:
//!
//! - **主要指标**: one park table gives one sheet named 主要指标; several give
//!   one sheet per park, named `主要指标-{park}` (sanitised, unique), so that
//!   each prints with its own title and header repeated on every page.
//! - **产业结构** and **月度趋势** stack their tables with two blank rows
//!   between them and a chart to the right of each. With one table the title
//!   and header rows repeat on every printed page; with several each later
//!   table starts a new page (a manual page break) and prints its own title,
//!   since repeating the first table's header over the others would mislabel
//!   them.
//! - A growth in percentage points shows as `2.1百分点`; an absolute growth
//!   (counts, stocks) as `+3` / `-2`; the 超(欠)序时进度 column is signed too.
//!   Negative growths and negative schedule gaps turn red through conditional
//!   formats (`< 0`), so a value corrected by hand recolours itself.
//! - Missing values are empty cells with borders; a NaN or infinite value is
//!   written as the text `—`, never as a number.
//! - Every string goes through [`cell_text`](super::cell_text) and
//!   `write_string`: a park named `=SUM(A1)` stays text.
//! - Long wrapped text (审核说明, 文字材料) sits in single, wide, unmerged
//!   columns without a fixed row height, so Excel and LibreOffice fit the row
//!   height to the text (they never do for merged cells).

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;
use rust_xlsxwriter::utility::{cell_range, row_col_to_cell};
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartFont, ChartLegendPosition, ChartMarker,
    ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::ReportError;
use super::model::{
    ComparisonTable, GrowthKind, IndicatorRow, IndustryTable, ParkTable, Severity, SummaryReport,
    TrendTable, WriteOptions, period_label,
};
use super::sanitize::{SheetNames, cell_text, cell_text_cow, chart_text, finite};
use super::width::{ColumnWidths, capacity, display_width, number_units};

type Result<T> = std::result::Result<T, ReportError>;

const DEFAULT_TITLE_SUFFIX: &str = "主要经济指标完成情况";
const FOOTER: &str = "&C第 &P 页，共 &N 页";
const GREY: u32 = 0xD9D9D9;
const RED: u32 = 0xC00000;

/// Write `report` as an xlsx workbook and return its bytes.
///
/// # Errors
///
/// - [`ReportError::Month`]: a table's month is not 1–12.
/// - [`ReportError::Cell`]: the writer refused a cell, merge, chart or
///   setting; the error names the sheet and cell.
/// - [`ReportError::Save`]: the workbook could not be assembled.
///
/// # Examples
///
/// ```
/// use parkstat::report::{write_workbook, SummaryReport, WriteOptions};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let bytes = write_workbook(&SummaryReport::default(), &WriteOptions::default())?;
/// assert_eq!(&bytes[..2], b"PK");
/// # Ok(())
/// # }
/// ```
pub fn write_workbook(report: &SummaryReport, opts: &WriteOptions) -> Result<Vec<u8>> {
    let mut wb = build(report, opts)?;
    wb.save_to_buffer()
        .map_err(|source| ReportError::Save { source })
}

/// Write `report` to `path`, atomically: the workbook goes to a temporary
/// file in the same folder, which then replaces `path`. A failure leaves
/// no half-written file and any old file at `path` untouched.
///
/// # Errors
///
/// As [`write_workbook`], plus [`ReportError::TempFile`] when the folder
/// does not take the temporary file and [`ReportError::Persist`] when it
/// cannot be renamed to `path`.
pub fn write_workbook_to_path(
    report: &SummaryReport,
    opts: &WriteOptions,
    path: impl AsRef<Path>,
) -> Result<()> {
    let path = path.as_ref();
    let bytes = write_workbook(report, opts)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let temp_err = |source| ReportError::TempFile {
        dir: dir.clone(),
        source,
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".parkstat-")
        .suffix(".xlsx.tmp")
        .tempfile_in(&dir)
        .map_err(temp_err)?;
    tmp.write_all(&bytes).map_err(temp_err)?;
    tmp.as_file().sync_all().map_err(temp_err)?;
    // A temporary file is private (0600); the report is not.
    if let Some(perms) = crate::output::output_permissions(path) {
        std::fs::set_permissions(tmp.path(), perms).map_err(temp_err)?;
    }
    tmp.persist(path).map_err(|e| ReportError::Persist {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// Excel's limit on manual page breaks in one sheet.
const MAX_PAGE_BREAKS: usize = 1023;

/// Trend blocks drawn as charts (eight parks of eight indicators); the blocks after them are
/// tables only. A prefecture-wide batch of hundreds of parks would otherwise carry thousands of
/// charts, which nobody reads and which make Excel and WPS slow to open the file (and were
/// half of the time of writing it).
pub const MAX_TREND_CHARTS: usize = 64;

fn build(report: &SummaryReport, opts: &WriteOptions) -> Result<Workbook> {
    check_months(report)?;
    let st = Styles::new(opts);
    let mut names = SheetNames::new();
    let mut wb = Workbook::new();
    wb.set_zip_compression_level(opts.zip_level.clamp(1, 9));
    let suffix = if report.title_suffix.trim().is_empty() {
        DEFAULT_TITLE_SUFFIX
    } else {
        report.title_suffix.trim()
    };

    let mut props = DocProperties::new().set_comment("parkstat");
    if let Some(first) = report.parks.first() {
        props = props.set_title(cell_text(&main_title(first, suffix)));
    }
    wb.set_properties(&props);

    // every sheet is built on its own (names decided first, in order), side by side: a batch
    // of fifty parks has fifty-odd sheets, and nothing else runs while the workbook is made
    type Job<'a> = Box<dyn FnOnce() -> Result<Worksheet> + Send + 'a>;
    let st = &st;
    let mut jobs: Vec<Job<'_>> = Vec::new();
    if let [park] = report.parks.as_slice() {
        let name = names.unique("主要指标");
        jobs.push(Box::new(move || main_sheet(&name, park, suffix, st)));
    } else {
        for park in &report.parks {
            let name = names.unique(&format!("主要指标-{}", park.park));
            jobs.push(Box::new(move || main_sheet(&name, park, suffix, st)));
        }
    }
    if !report.industries.is_empty() {
        let name = names.unique("产业结构");
        jobs.push(Box::new(move || {
            industry_sheet(&name, &report.industries, st)
        }));
    }
    if report.trends.iter().any(|t| t.points.len() >= 2) {
        let name = names.unique("月度趋势");
        jobs.push(Box::new(move || trend_sheet(&name, &report.trends, st)));
    }
    if let Some(cmp) = &report.comparison {
        let name = names.unique("园区对比");
        jobs.push(Box::new(move || comparison_sheet(&name, cmp, st)));
    }
    let name = names.unique("数据审核");
    jobs.push(Box::new(move || audit_sheet(&name, report, st)));
    if let Some(text) = &report.text {
        let name = names.unique("文字材料");
        jobs.push(Box::new(move || text_sheet(&name, text, st)));
    }
    let name = names.unique("说明");
    jobs.push(Box::new(move || notes_sheet(&name, report, st)));
    let sheets: Vec<Worksheet> = jobs
        .into_par_iter()
        .with_max_len(1)
        .map(|job| job())
        .collect::<Result<_>>()?;
    for ws in sheets {
        wb.push_worksheet(ws);
    }
    Ok(wb)
}

fn check_months(report: &SummaryReport) -> Result<()> {
    let bad = |table: String, month: u32| -> Result<()> {
        if (1..=12).contains(&month) {
            Ok(())
        } else {
            Err(ReportError::Month { table, month })
        }
    };
    for p in &report.parks {
        bad(format!("{} 主要指标", p.park), p.month)?;
    }
    for t in &report.industries {
        bad(format!("{} {} 产业结构", t.park, t.indicator_name), t.month)?;
    }
    for t in &report.trends {
        for p in &t.points {
            bad(format!("{} {} 月度趋势", t.park, t.indicator_name), p.month)?;
        }
    }
    if let Some(c) = &report.comparison {
        bad("园区对比".to_string(), c.month)?;
    }
    Ok(())
}

fn main_title(t: &ParkTable, suffix: &str) -> String {
    format!(
        "{}{}（{}年{}）",
        t.park,
        suffix,
        t.year,
        period_label(t.month)
    )
}

// ---------------------------------------------------------------------------
// Formats

/// Every format of the workbook, all in the configured font.
struct Styles {
    font: String,
    size: f64,
}

impl Styles {
    fn new(opts: &WriteOptions) -> Self {
        let font = if opts.font.trim().is_empty() {
            "宋体".to_string()
        } else {
            opts.font.trim().to_string()
        };
        let size = if opts.font_size.is_finite() && opts.font_size >= 6.0 && opts.font_size <= 72.0
        {
            opts.font_size
        } else {
            11.0
        };
        Styles { font, size }
    }

    fn base(&self) -> Format {
        let f = Format::new()
            .set_font_name(&self.font)
            .set_font_size(self.size)
            .set_align(FormatAlign::VerticalCenter);
        // GB2312 charset, as Chinese Excel writes it for a Chinese font name.
        if self.font.is_ascii() {
            f
        } else {
            f.set_font_charset(134)
        }
    }

    fn title(&self) -> Format {
        self.base()
            .set_font_size(self.size + 5.0)
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
    }

    fn unit_note(&self) -> Format {
        self.base().set_align(FormatAlign::Right)
    }

    fn plain(&self) -> Format {
        self.base().set_align(FormatAlign::Left)
    }

    fn footnote(&self) -> Format {
        self.base()
            .set_align(FormatAlign::Left)
            .set_align(FormatAlign::Top)
            .set_text_wrap()
    }

    fn header(&self) -> Format {
        self.cell()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(GREY))
    }

    fn cell(&self) -> Format {
        self.base().set_border(FormatBorder::Thin)
    }

    fn text(&self) -> Format {
        self.cell().set_align(FormatAlign::Left)
    }

    fn text_indent(&self, level: u8) -> Format {
        if level == 0 {
            self.text()
        } else {
            self.text().set_indent(level.min(15))
        }
    }

    fn center(&self) -> Format {
        self.cell().set_align(FormatAlign::Center)
    }

    fn wrap(&self) -> Format {
        self.text().set_text_wrap().set_align(FormatAlign::Top)
    }

    fn number(&self, code: &str) -> Format {
        self.cell()
            .set_num_format(code)
            .set_align(FormatAlign::Right)
    }

    fn red_font(&self) -> Format {
        Format::new().set_font_color(Color::RGB(RED))
    }

    fn chart_font(&self, bold: bool) -> ChartFont {
        let mut f = ChartFont::new();
        f.set_name(&self.font).set_size(self.size - 1.0);
        if bold {
            f.set_bold();
        } else {
            f.unset_bold();
        }
        f
    }

    fn row_height(&self) -> f64 {
        (self.size * 1.65).round()
    }
}

/// Decimals shown for a value in `unit`: none for counts, one for percent,
/// two for amounts (亿元, 万元, 万美元, 万平方米, 万吨标准煤 …).
fn unit_decimals(unit: &str) -> usize {
    match unit.trim() {
        "家" | "个" | "起" | "项" | "户" | "人" | "座" | "宗" | "次" | "件" | "家次" => {
            0
        }
        "%" | "％" => 1,
        _ => 2,
    }
}

fn fixed_code(decimals: usize) -> String {
    if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals))
    }
}

fn signed_code(decimals: usize) -> String {
    let f = fixed_code(decimals);
    format!("+{f};-{f};{f}")
}

/// Number format and the literal text it adds, for a growth of `kind` of a value in `unit`.
fn growth_code(kind: GrowthKind, unit: &str) -> (String, &'static str) {
    match kind {
        GrowthKind::Percent => ("0.0".to_string(), ""),
        GrowthKind::PercentagePoints => ("0.0\"百分点\"".to_string(), "百分点"),
        GrowthKind::Absolute => (signed_code(unit_decimals(unit)), "+"),
    }
}

// ---------------------------------------------------------------------------
// A sheet being written

struct Sheet {
    ws: Worksheet,
    name: String,
    widths: ColumnWidths,
    size: f64,
    /// Rows whose height is fitted to wrapped text once the widths are known:
    /// (row, first column, last column, text).
    fits: Vec<(u32, u16, u16, String)>,
}

impl Sheet {
    fn new(name: &str, st: &Styles, min: f64, max: f64) -> Result<Sheet> {
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(|source| ReportError::Cell {
            sheet: name.to_string(),
            cell: "the sheet name".to_string(),
            source,
        })?;
        Ok(Sheet {
            ws,
            name: name.to_string(),
            widths: ColumnWidths::new(min, max),
            size: st.size,
            fits: Vec::new(),
        })
    }

    /// The error of a failed call; `what` (the cell or the setting) is formatted only on failure.
    fn err(
        &self,
        what: impl FnOnce() -> String + 'static,
    ) -> impl FnOnce(XlsxError) -> ReportError + '_ {
        move |source| ReportError::Cell {
            sheet: self.name.clone(),
            cell: what(),
            source,
        }
    }

    /// A string, measured for the column width.
    fn text(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
        let s = cell_text_cow(s);
        self.widths.observe(col, &s);
        self.write_clean(row, col, &s, f)
    }

    /// A string that does not widen its column (wrapped text, headers).
    fn text_unmeasured(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
        self.write_clean(row, col, &cell_text_cow(s), f)
    }

    /// Writes text already made safe by [`cell_text_cow`].
    fn write_clean(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
        let r = self.ws.write_string_with_format(row, col, s, f).map(|_| ());
        r.map_err(self.err(move || row_col_to_cell(row, col)))
    }

    /// A header cell. A header of up to 10 display units (5 characters)
    /// stays on one line; a longer one with a bracket is broken before the
    /// bracket (`同比增长\n(%)`), so no renderer breaks it inside a word;
    /// any other wraps on two lines.
    fn header(&mut self, row: u32, col: u16, s: &str, f: &Format) -> Result<()> {
        let text = header_break(s);
        if text.contains('\n') || display_width(&text) <= 10 {
            self.widths.observe(col, &text);
        } else {
            self.widths.observe_wrapped(col, &text, 2);
        }
        self.text_unmeasured(row, col, &text, f)
    }

    fn blank(&mut self, row: u32, col: u16, f: &Format) -> Result<()> {
        let r = self.ws.write_blank(row, col, f).map(|_| ());
        r.map_err(self.err(move || row_col_to_cell(row, col)))
    }

    /// A number, or a bordered blank when missing, or `—` when not finite.
    /// `decimals` and `suffix` describe what the number format shows, for the width.
    fn number(
        &mut self,
        row: u32,
        col: u16,
        v: Option<f64>,
        decimals: usize,
        suffix: &str,
        f: &Format,
    ) -> Result<()> {
        match v {
            None => self.blank(row, col, f),
            Some(x) if !x.is_finite() => {
                let f = f.clone().set_align(FormatAlign::Center);
                self.text(row, col, "—", &f)
            }
            Some(x) => {
                self.widths
                    .observe_units(col, number_units(x, decimals, suffix) + 1);
                let r = self.ws.write_number_with_format(row, col, x, f).map(|_| ());
                r.map_err(self.err(move || row_col_to_cell(row, col)))
            }
        }
    }

    /// A merged range holding a string; a single cell is just written.
    fn merge(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, s: &str, f: &Format) -> Result<()> {
        if r1 == r2 && c1 == c2 {
            return self.text_unmeasured(r1, c1, s, f);
        }
        let s = cell_text(s);
        let r = self.ws.merge_range(r1, c1, r2, c2, &s, f).map(|_| ());
        r.map_err(self.err(move || cell_range(r1, c1, r2, c2)))
    }

    /// Fit the height of `row` to `text` wrapped across columns `c1..=c2`
    /// (done in [`Sheet::finish`], when the widths are known): neither Excel
    /// nor LibreOffice grows a merged cell, and LibreOffice does not grow
    /// any row of an xlsx it opens.
    fn fit(&mut self, row: u32, c1: u16, c2: u16, text: &str) {
        self.fits.push((row, c1, c2, cell_text(text)));
    }

    fn row_height(&mut self, row: u32, points: f64) -> Result<()> {
        let r = self.ws.set_row_height(row, points).map(|_| ());
        r.map_err(self.err(move || format!("the height of row {}", row + 1)))
    }

    fn red_below_zero(&mut self, r1: u32, c1: u16, r2: u32, c2: u16, st: &Styles) -> Result<()> {
        if r2 < r1 {
            return Ok(());
        }
        let cf = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::LessThan(0))
            .set_format(st.red_font());
        let r = self
            .ws
            .add_conditional_format(r1, c1, r2, c2, &cf)
            .map(|_| ());
        r.map_err(
            self.err(move || format!("the conditional format of {}", cell_range(r1, c1, r2, c2))),
        )
    }

    fn chart(&mut self, row: u32, col: u16, chart: &Chart) -> Result<()> {
        let r = self.ws.insert_chart(row, col, chart).map(|_| ());
        r.map_err(self.err(move || format!("the chart at {}", row_col_to_cell(row, col))))
    }

    fn freeze(&mut self, row: u32, col: u16) -> Result<()> {
        let r = self.ws.set_freeze_panes(row, col).map(|_| ());
        r.map_err(self.err(move || "the frozen panes".to_string()))
    }

    /// Column widths, print setup, and the worksheet.
    ///
    /// `repeat`: the last row of the title and header block, repeated on
    /// every printed page. `breaks`: rows starting a new printed page.
    fn finish(mut self, ncols: u16, repeat: Option<u32>, breaks: &[u32]) -> Result<Worksheet> {
        for col in 0..ncols.max(self.widths.len() as u16) {
            let w = self.widths.width(col, self.size);
            let r = self.ws.set_column_width(col, w).map(|_| ());
            r.map_err(self.err(move || format!("the width of column {}", col + 1)))?;
        }
        let mut heights: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        let line = (self.size * 1.35).ceil();
        for (row, c1, c2, text) in &self.fits {
            let width: f64 = (*c1..=*c2).map(|c| self.widths.width(c, self.size)).sum();
            // Display units per line (the inverse of `excel_width`); a line
            // that wraps is counted a little short, since wrapping breaks
            // before a word or punctuation mark that does not fit.
            let capacity = capacity(width, self.size);
            let lines: f64 = text
                .split('\n')
                .map(|l| {
                    let units = display_width(l) as f64;
                    if units <= capacity {
                        1.0
                    } else {
                        (units / (capacity * 0.95)).ceil()
                    }
                })
                .sum();
            let h = (lines * line + 4.0).max(self.size * 1.65).min(409.0);
            let e = heights.entry(*row).or_insert(0.0);
            *e = e.max(h);
        }
        for (row, h) in heights {
            self.row_height(row, h)?;
        }
        self.ws
            .set_paper_size(9)
            .set_landscape()
            .set_print_fit_to_pages(1, 0)
            .set_print_center_horizontally(true)
            .set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3)
            .set_footer(FOOTER);
        if let Some(last) = repeat {
            let r = self.ws.set_repeat_rows(0, last).map(|_| ());
            r.map_err(self.err(move || "the rows repeated on each page".to_string()))?;
        }
        if !breaks.is_empty() {
            // Excel takes at most 1,023 manual breaks: a county of many parks prints the rest
            // with automatic breaks rather than failing the whole workbook
            let breaks = breaks
                .get(..breaks.len().min(MAX_PAGE_BREAKS))
                .unwrap_or(breaks);
            let r = self.ws.set_page_breaks(breaks).map(|_| ());
            r.map_err(self.err(move || "the page breaks".to_string()))?;
        }
        Ok(self.ws)
    }
}

/// `超(欠)序时进度(百分点)` → `超(欠)序时进度\n(百分点)`, `同比增长(%)` →
/// `同比增长\n(%)`: a header wider than 10 display units gets a line break
/// before its last bracket.
fn header_break(s: &str) -> String {
    if s.contains('\n') || display_width(s) <= 10 {
        return s.to_string();
    }
    match s.rfind('(') {
        Some(i) if i > 0 => format!("{}\n{}", &s[..i], &s[i..]),
        _ => s.to_string(),
    }
}

// ---------------------------------------------------------------------------
// 主要指标

const MAIN_COLS: u16 = 12;

fn main_sheet(name: &str, t: &ParkTable, suffix: &str, st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 6.0, 50.0)?;
    let last_col = MAIN_COLS - 1;
    let period = period_label(t.month);

    sh.merge(0, 0, 0, last_col, &main_title(t, suffix), &st.title())?;
    sh.row_height(0, (st.size + 5.0) * 2.0)?;
    sh.merge(1, 0, 1, last_col, &t.unit_note, &st.unit_note())?;
    sh.row_height(1, st.row_height())?;

    let headers = [
        "序号".to_string(),
        "指标名称".to_string(),
        "计量单位".to_string(),
        format!("{period}累计"),
        "同比增长(%)".to_string(),
        "预计全年".to_string(),
        "预计增长(%)".to_string(),
        "全年目标".to_string(),
        "完成率(%)".to_string(),
        "序时进度(%)".to_string(),
        "超(欠)序时进度(百分点)".to_string(),
        "预计方法".to_string(),
    ];
    let hf = st.header();
    for (c, h) in headers.iter().enumerate() {
        sh.header(2, c as u16, h, &hf)?;
    }
    sh.row_height(2, (st.size * 3.0).round())?;

    let center = st.center();
    let mut seq = 0u32;
    let first = 3u32;
    for (i, row) in t.rows.iter().enumerate() {
        let r = first + i as u32;
        main_row(&mut sh, r, row, &mut seq, st, &center)?;
        sh.row_height(r, st.row_height())?;
    }
    let last = first + t.rows.len() as u32;
    if !t.rows.is_empty() {
        let end = last - 1;
        sh.red_below_zero(first, 4, end, 4, st)?;
        sh.red_below_zero(first, 6, end, 6, st)?;
        sh.red_below_zero(first, 10, end, 10, st)?;
    }
    let note = "注：增长栏中，比重类指标为增减百分点，数量类指标为增减数；红色为下降或落后于序时进度；\
                预计全年为测算值，测算方法见末列。";
    sh.merge(last + 1, 0, last + 1, last_col, note, &st.footnote())?;
    sh.fit(last + 1, 0, last_col, note);

    sh.freeze(first, 0)?;
    sh.widths.fix(0, 6.0);
    sh.finish(MAIN_COLS, Some(2), &[])
}

fn main_row(
    sh: &mut Sheet,
    r: u32,
    row: &IndicatorRow,
    seq: &mut u32,
    st: &Styles,
    center: &Format,
) -> Result<()> {
    if row.level == 0 {
        *seq += 1;
        sh.number(
            r,
            0,
            Some(f64::from(*seq)),
            0,
            "",
            &st.number("0").set_align(FormatAlign::Center),
        )?;
    } else {
        sh.blank(r, 0, center)?;
    }
    // Indentation takes about two display units per level.
    sh.widths
        .observe_units(1, display_width(&row.name) + 2 * row.level as usize);
    sh.text_unmeasured(r, 1, &row.name, &st.text_indent(row.level))?;
    sh.text(r, 2, &row.unit, center)?;

    let d = unit_decimals(&row.unit);
    let value = st.number(&fixed_code(d));
    sh.number(r, 3, row.ytd, d, "", &value)?;
    let (gcode, gsuffix) = growth_code(row.growth_kind, &row.unit);
    let growth = st.number(&gcode);
    match (row.growth, &row.growth_note) {
        (None, Some(note)) if !note.trim().is_empty() => sh.text(r, 4, note.trim(), center)?,
        (g, _) => sh.number(r, 4, g, 1, gsuffix, &growth)?,
    }
    sh.number(r, 5, row.projection, d, "", &value)?;
    sh.number(r, 6, row.projection_growth, 1, gsuffix, &growth)?;
    sh.number(r, 7, row.target, d, "", &value)?;
    let pct = st.number("0.0");
    sh.number(r, 8, row.completion, 1, "", &pct)?;
    sh.number(r, 9, row.time_progress, 1, "", &pct)?;
    sh.number(
        r,
        10,
        row.schedule_gap_pp,
        1,
        "+",
        &st.number(&signed_code(1)),
    )?;
    match &row.method {
        Some(m) => sh.text(r, 11, m, center)?,
        None => sh.blank(r, 11, center)?,
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// 产业结构

const INDUSTRY_COLS: u16 = 7;

fn industry_sheet(name: &str, tables: &[IndustryTable], st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 8.0, 30.0)?;
    let mut row = 0u32;
    let mut breaks = Vec::new();
    let mut repeat = None;
    for (k, t) in tables.iter().enumerate() {
        if k > 0 {
            breaks.push(row);
        }
        let header_row = row + 2;
        if k == 0 {
            repeat = Some(header_row);
        }
        let end = industry_table(&mut sh, row, t, st)?;
        row = end + 3;
    }
    if tables.len() > 1 {
        repeat = None;
    }
    sh.freeze(if tables.len() == 1 { 3 } else { 0 }, 0)?;
    sh.finish(INDUSTRY_COLS, repeat, &breaks)
}

/// Writes one industry table from `top`; returns the last row used (chart included).
fn industry_table(sh: &mut Sheet, top: u32, t: &IndustryTable, st: &Styles) -> Result<u32> {
    let last_col = INDUSTRY_COLS - 1;
    let title = format!(
        "{}{}产业结构（{}年{}）",
        t.park,
        t.indicator_name,
        t.year,
        period_label(t.month)
    );
    sh.merge(top, 0, top, last_col, &title, &st.title())?;
    sh.row_height(top, (st.size + 5.0) * 2.0)?;
    unit_row(sh, top + 1, last_col, &t.unit, st)?;

    let value_header = if t.indicator_name.trim().is_empty() || t.indicator_name.contains("产值")
    {
        "产值".to_string()
    } else {
        t.indicator_name.trim().to_string()
    };
    let headers = [
        "产业",
        value_header.as_str(),
        "增长(%)",
        "占比(%)",
        "占比变化(百分点)",
        "拉动(百分点)",
        "贡献率(%)",
    ];
    let hr = top + 2;
    let hf = st.header();
    for (c, h) in headers.iter().enumerate() {
        sh.header(hr, c as u16, h, &hf)?;
    }
    sh.row_height(hr, (st.size * 3.0).round())?;

    let d = unit_decimals(&t.unit);
    let value = st.number(&fixed_code(d));
    let pct = st.number("0.0");
    let pp = st.number(&signed_code(1));

    // 合计 first, as statistical tables do.
    let tr = hr + 1;
    let bold_text = st.text().set_bold();
    sh.text(tr, 0, "合计", &bold_text)?;
    sh.number(tr, 1, t.total, d, "", &value.clone().set_bold())?;
    sh.number(tr, 2, t.total_growth, 1, "", &pct.clone().set_bold())?;
    for c in 3..=last_col {
        sh.blank(tr, c, &st.cell())?;
    }
    sh.row_height(tr, st.row_height())?;

    let first = tr + 1;
    for (i, ind) in t.rows.iter().enumerate() {
        let r = first + i as u32;
        let label = if ind.leading {
            format!("{}★", ind.name)
        } else {
            ind.name.clone()
        };
        sh.text(r, 0, &label, &st.text_indent(1))?;
        sh.number(r, 1, ind.value, d, "", &value)?;
        sh.number(r, 2, ind.growth, 1, "", &pct)?;
        sh.number(r, 3, ind.share, 1, "", &pct)?;
        sh.number(r, 4, ind.share_change_pp, 1, "+", &pp)?;
        sh.number(r, 5, ind.pull_pp, 1, "+", &pp)?;
        sh.number(r, 6, ind.contribution, 1, "", &pct)?;
        sh.row_height(r, st.row_height())?;
    }
    let last = if t.rows.is_empty() {
        tr
    } else {
        first + t.rows.len() as u32 - 1
    };
    sh.red_below_zero(tr, 2, last, 2, st)?;
    sh.red_below_zero(first, 4, last, 6, st)?;

    let mut end = last;
    if t.rows.iter().any(|r| r.leading) {
        end += 1;
        let note =
            "注：★为主导产业；占比为占园区合计的比重，各产业占比之和不足100%的部分为其他产业。";
        sh.merge(end, 0, end, last_col, note, &st.footnote())?;
        sh.fit(end, 0, last_col, note);
    }

    if !t.rows.is_empty() && t.rows.iter().any(|r| finite(r.share).is_some()) {
        let mut chart = Chart::new(ChartType::Bar);
        chart
            .add_series()
            .set_name("占比(%)")
            .set_categories((sh.name.as_str(), first, 0, last, 0))
            .set_values((sh.name.as_str(), first, 3, last, 3))
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("0.0")
                    .set_font(&st.chart_font(false)),
            );
        chart
            .title()
            .set_name(&chart_text(&format!("{}各产业占比(%)", t.indicator_name)))
            .set_font(&st.chart_font(true));
        // In a bar chart the category axis is the vertical one, y: reversed,
        // the industries read top-down in table order.
        chart
            .y_axis()
            .set_reverse()
            .set_crossing(ChartAxisCrossing::Max)
            .set_font(&st.chart_font(false));
        chart
            .x_axis()
            .set_num_format("0")
            .set_font(&st.chart_font(false));
        chart.legend().set_hidden();
        let rows = (last - top + 1).max(9);
        let px_per_row = (st.row_height() * 4.0 / 3.0).round() as u32;
        chart.set_width(460).set_height(rows * px_per_row);
        sh.chart(top, INDUSTRY_COLS + 1, &chart)?;
        end = end.max(top + rows);
    }
    Ok(end)
}

// ---------------------------------------------------------------------------
// 月度趋势

const TREND_COLS: u16 = 5;

fn trend_sheet(name: &str, trends: &[TrendTable], st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 8.0, 30.0)?;
    let mut row = 0u32;
    let mut breaks = Vec::new();
    for (k, t) in trends.iter().enumerate() {
        if k > 0 {
            breaks.push(row);
        }
        let end = trend_table(&mut sh, row, t, st, k < MAX_TREND_CHARTS)?;
        row = end + 3;
    }
    let single = trends.len() == 1;
    sh.freeze(if single { 3 } else { 0 }, 0)?;
    sh.finish(TREND_COLS, single.then_some(2), &breaks)
}

/// The unit line under a title: the table's unit and %, right-aligned across the table.
fn unit_row(sh: &mut Sheet, row: u32, last_col: u16, unit: &str, st: &Styles) -> Result<()> {
    let unit = if unit.trim().is_empty() {
        "%".to_string()
    } else {
        format!("{}、%", unit.trim())
    };
    sh.merge(
        row,
        0,
        row,
        last_col,
        &format!("单位：{unit}"),
        &st.unit_note(),
    )?;
    Ok(())
}

fn trend_table(
    sh: &mut Sheet,
    top: u32,
    t: &TrendTable,
    st: &Styles,
    draw_chart: bool,
) -> Result<u32> {
    let last_col = TREND_COLS - 1;
    // One year: months as "2月" (short chart labels) and the year in the title.
    let one_year = t
        .points
        .first()
        .map(|p| p.year)
        .filter(|y| t.points.iter().all(|p| p.year == *y));
    // the table is narrow: the park on one line, the indicator and period on the next
    let title = match one_year {
        Some(y) => format!("{}\n{}月度走势（{}年）", t.park, t.indicator_name, y),
        None => format!("{}\n{}月度走势", t.park, t.indicator_name),
    };
    sh.merge(top, 0, top, last_col, &title, &st.title().set_text_wrap())?;
    sh.row_height(top, (st.size + 5.0) * 3.0)?;
    unit_row(sh, top + 1, last_col, &t.unit, st)?;
    let hr = top + 2;
    let hf = st.header();
    for (c, h) in ["月份", "当月值", "当月增长(%)", "累计值", "累计增长(%)"]
        .iter()
        .enumerate()
    {
        sh.header(hr, c as u16, h, &hf)?;
    }
    sh.row_height(hr, (st.size * 3.0).round())?;
    let d = unit_decimals(&t.unit);
    let value = st.number(&fixed_code(d));
    let pct = st.number("0.0");
    let first = hr + 1;
    for (i, p) in t.points.iter().enumerate() {
        let r = first + i as u32;
        let label = match one_year {
            Some(_) => format!("{}月", p.month),
            None => format!("{}年{}月", p.year, p.month),
        };
        sh.text(r, 0, &label, &st.center())?;
        sh.number(r, 1, p.month_value, d, "", &value)?;
        sh.number(r, 2, p.month_growth, 1, "", &pct)?;
        sh.number(r, 3, p.ytd, d, "", &value)?;
        sh.number(r, 4, p.ytd_growth, 1, "", &pct)?;
        sh.row_height(r, st.row_height())?;
    }
    if t.points.is_empty() {
        return Ok(hr);
    }
    let last = first + t.points.len() as u32 - 1;
    sh.red_below_zero(first, 2, last, 2, st)?;
    sh.red_below_zero(first, 4, last, 4, st)?;
    let mut end = last;
    if draw_chart && t.points.len() >= 2 {
        let has = |f: fn(&super::model::TrendPoint) -> Option<f64>| {
            t.points.iter().any(|p| finite(f(p)).is_some())
        };
        let series: Vec<(&str, u16)> = if has(|p| p.month_growth) || has(|p| p.ytd_growth) {
            vec![("当月增长(%)", 2), ("累计增长(%)", 4)]
        } else {
            vec![("当月值", 1), ("累计值", 3)]
        };
        let mut chart = Chart::new(ChartType::Line);
        for (label, col) in &series {
            chart
                .add_series()
                .set_name(*label)
                .set_categories((sh.name.as_str(), first, 0, last, 0))
                .set_values((sh.name.as_str(), first, *col, last, *col))
                .set_marker(ChartMarker::new().set_automatic());
        }
        chart
            .title()
            .set_name(&chart_text(&format!("{}增速走势", t.indicator_name)))
            .set_font(&st.chart_font(true));
        chart.x_axis().set_font(&st.chart_font(false));
        chart
            .y_axis()
            .set_num_format("0.0")
            .set_font(&st.chart_font(false));
        chart
            .legend()
            .set_position(ChartLegendPosition::Bottom)
            .set_font(&st.chart_font(false));
        let rows = (last - top + 1).max(14);
        let px_per_row = (st.row_height() * 4.0 / 3.0).round() as u32;
        chart.set_width(520).set_height(rows * px_per_row);
        sh.chart(top, TREND_COLS + 1, &chart)?;
        end = end.max(top + rows);
    }
    Ok(end)
}

// ---------------------------------------------------------------------------
// 园区对比

/// What one column band shows, besides 数值 and 增长(%) and 位次.
struct Band {
    rank_growth: bool,
    rank_change: bool,
}

impl Band {
    fn width(&self) -> u16 {
        3 + u16::from(self.rank_growth) + u16::from(self.rank_change)
    }
}

fn comparison_sheet(name: &str, c: &ComparisonTable, st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 6.0, 30.0)?;
    let bands: Vec<Band> = (0..c.columns.len())
        .map(|j| Band {
            rank_growth: c
                .parks
                .iter()
                .any(|(_, cells)| cells.get(j).is_some_and(|x| x.rank_growth.is_some())),
            rank_change: c
                .parks
                .iter()
                .any(|(_, cells)| cells.get(j).is_some_and(|x| x.rank_change.is_some())),
        })
        .collect();
    let ncols: u16 = 1 + bands.iter().map(Band::width).sum::<u16>();
    let last_col = ncols - 1;
    let title = format!(
        "各园区主要指标对比（{}年{}）",
        c.year,
        period_label(c.month)
    );
    sh.merge(0, 0, 0, last_col, &title, &st.title())?;
    sh.row_height(0, (st.size + 5.0) * 2.0)?;
    let note = "位次按数值排序，“—”为未参与排位；↑为进位，↓为退位。";
    sh.merge(1, 0, 1, last_col, note, &st.unit_note().set_text_wrap())?;
    sh.fit(1, 0, last_col, note);

    let hf = st.header();
    sh.merge(2, 0, 3, 0, "园区", &hf)?;
    sh.widths.observe_units(0, 4);
    let mut col = 1u16;
    for (j, column) in c.columns.iter().enumerate() {
        let b = &bands[j];
        let label = if column.unit.trim().is_empty() {
            column.name.clone()
        } else {
            format!("{}（{}）", column.name, column.unit.trim())
        };
        sh.merge(2, col, 2, col + b.width() - 1, &label, &hf)?;
        let mut subs = vec!["数值", "增长(%)", "位次"];
        if b.rank_growth {
            subs.push("增速位次");
        }
        if b.rank_change {
            subs.push("进退位");
        }
        for (k, s) in subs.iter().enumerate() {
            sh.header(3, col + k as u16, s, &hf)?;
        }
        // The band's label must fit over its columns.
        let per = display_width(&label).div_ceil(b.width() as usize);
        for k in 0..b.width() {
            sh.widths.observe_units(col + k, per);
        }
        col += b.width();
    }
    sh.row_height(2, (st.size * 3.0).round())?;
    sh.row_height(3, st.row_height() * 1.2)?;

    let first = 4u32;
    let center = st.center();
    let rank = st.number("0").set_align(FormatAlign::Center);
    let pct = st.number("0.0");
    for (i, (park, cells)) in c.parks.iter().enumerate() {
        let r = first + i as u32;
        sh.text(r, 0, park, &st.text())?;
        let mut col = 1u16;
        for (j, column) in c.columns.iter().enumerate() {
            let b = &bands[j];
            let cell = cells.get(j).cloned().unwrap_or_default();
            let d = unit_decimals(&column.unit);
            sh.number(r, col, cell.value, d, "", &st.number(&fixed_code(d)))?;
            sh.number(r, col + 1, cell.growth, 1, "", &pct)?;
            let mut k = col + 2;
            rank_cell(&mut sh, r, k, cell.rank_value, &rank, &center)?;
            if b.rank_growth {
                k += 1;
                rank_cell(&mut sh, r, k, cell.rank_growth, &rank, &center)?;
            }
            if b.rank_change {
                k += 1;
                match cell.rank_change {
                    Some(0) => sh.text(r, k, "持平", &center)?,
                    Some(n) if n > 0 => sh.text(r, k, &format!("↑{n}"), &center)?,
                    Some(n) => sh.text(r, k, &format!("↓{}", n.unsigned_abs()), &center)?,
                    None => sh.blank(r, k, &center)?,
                }
            }
            col += b.width();
        }
        sh.row_height(r, st.row_height())?;
    }
    if !c.parks.is_empty() {
        let last = first + c.parks.len() as u32 - 1;
        let mut col = 1u16;
        for b in &bands {
            sh.red_below_zero(first, col + 1, last, col + 1, st)?;
            col += b.width();
        }
    }
    sh.freeze(first, 1)?;
    sh.finish(ncols, Some(3), &[])
}

fn rank_cell(
    sh: &mut Sheet,
    r: u32,
    c: u16,
    v: Option<u32>,
    num: &Format,
    center: &Format,
) -> Result<()> {
    match v {
        Some(n) => sh.number(r, c, Some(f64::from(n)), 0, "", num),
        None => sh.text(r, c, "—", center),
    }
}

// ---------------------------------------------------------------------------
// 数据审核

fn audit_sheet(name: &str, report: &SummaryReport, st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 6.0, 60.0)?;
    let last_col = 5u16;
    let count = |s: Severity| report.audit.iter().filter(|a| a.severity == s).count();
    sh.merge(0, 0, 0, last_col, "数据审核结果", &st.title())?;
    sh.row_height(0, (st.size + 5.0) * 2.0)?;
    let summary = format!(
        "共{}条：错误{}条，警告{}条，提示{}条。",
        report.audit.len(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    sh.merge(1, 0, 1, last_col, &summary, &st.plain())?;
    let hf = st.header();
    for (c, h) in ["类别", "检查项", "说明", "文件", "工作表", "单元格"]
        .iter()
        .enumerate()
    {
        sh.header(2, c as u16, h, &hf)?;
    }
    sh.widths.observe_units(0, 6);
    let first = 3u32;
    let wrap = st.wrap();
    let center = st.center();
    let error_fmt = center.clone().set_bold().set_font_color(Color::RGB(RED));
    for (i, a) in report.audit.iter().enumerate() {
        let r = first + i as u32;
        let f = if a.severity == Severity::Error {
            &error_fmt
        } else {
            &center
        };
        sh.text(r, 0, a.severity.label(), f)?;
        sh.text(r, 1, &a.check, &wrap)?;
        sh.text(r, 2, &a.message, &wrap)?;
        sh.text(r, 3, &a.file, &wrap)?;
        sh.fit(r, 2, 2, &a.message);
        sh.fit(r, 3, 3, &a.file);
        sh.fit(r, 1, 1, &a.check);
        sh.text(r, 4, &a.sheet, &st.text())?;
        sh.text(r, 5, &a.cell, &center)?;
    }
    let last = if report.audit.is_empty() {
        sh.merge(first, 0, first, last_col, "未发现问题。", &st.text())?;
        first
    } else {
        first + report.audit.len() as u32 - 1
    };
    if !report.audit.is_empty() {
        let r = sh.ws.autofilter(2, 0, last, last_col).map(|_| ());
        r.map_err(sh.err(move || format!("the autofilter {}", cell_range(2, 0, last, last_col))))?;
    }
    sh.freeze(first, 0)?;
    sh.finish(last_col + 1, Some(2), &[])
}

// ---------------------------------------------------------------------------
// 文字材料

fn text_sheet(name: &str, text: &str, st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 10.0, 120.0)?;
    sh.text_unmeasured(0, 0, "文字材料", &st.title())?;
    sh.row_height(0, (st.size + 5.0) * 2.0)?;
    let para = st
        .base()
        .set_text_wrap()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::Top);
    let paragraphs = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty());
    // each park's heading after the first (a text of several parks) starts a printed page, so
    // no heading is left at the foot of a page
    let mut breaks = Vec::new();
    for (r, line) in (2u32..).zip(paragraphs) {
        sh.text_unmeasured(r, 0, line, &para)?;
        sh.fit(r, 0, 0, line);
        if r > 2 && super::text::is_park_heading(line) {
            breaks.push(r);
        }
    }
    sh.widths.fix(0, 100.0);
    sh.finish(1, Some(0), &breaks)
}

// ---------------------------------------------------------------------------
// 说明

fn notes_sheet(name: &str, report: &SummaryReport, st: &Styles) -> Result<Worksheet> {
    let mut sh = Sheet::new(name, st, 8.0, 90.0)?;
    sh.merge(0, 0, 0, 1, "说明", &st.title())?;
    sh.row_height(0, (st.size + 5.0) * 2.0)?;
    let hf = st.header();
    let mut r = 2u32;
    sh.header(r, 0, "序号", &hf)?;
    sh.header(r, 1, "数据来源", &hf)?;
    r += 1;
    if report.sources.is_empty() {
        sh.number(
            r,
            0,
            Some(1.0),
            0,
            "",
            &st.number("0").set_align(FormatAlign::Center),
        )?;
        sh.text(r, 1, "（未列出）", &st.text())?;
        r += 1;
    }
    for (i, s) in report.sources.iter().enumerate() {
        sh.number(
            r,
            0,
            Some(i as f64 + 1.0),
            0,
            "",
            &st.number("0").set_align(FormatAlign::Center),
        )?;
        sh.text(r, 1, s, &st.wrap())?;
        sh.fit(r, 1, 1, s);
        r += 1;
    }
    r += 1;
    sh.header(r, 0, "项目", &hf)?;
    sh.header(r, 1, "内容", &hf)?;
    r += 1;
    let mut notes: Vec<(String, String)> = report.notes.clone();
    if report.trends.len() > MAX_TREND_CHARTS {
        notes.push((
            "月度趋势".to_string(),
            format!(
                "共{}组趋势，前{}组附折线图，其余仅列表格。",
                report.trends.len(),
                MAX_TREND_CHARTS
            ),
        ));
    }
    notes.push((
        "符号".to_string(),
        "空白为无数据；“—”为无法计算；红色为下降或落后于序时进度；★为主导产业。".to_string(),
    ));
    for (k, v) in &notes {
        sh.text(r, 0, k, &st.text())?;
        sh.text(r, 1, v, &st.wrap())?;
        sh.fit(r, 1, 1, v);
        r += 1;
    }
    sh.finish(2, Some(0), &[])
}
