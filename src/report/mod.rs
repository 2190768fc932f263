//! The output of parkstat: the summary workbook a county office prints and
//! sends upward, and the sentences of the annual work report.
//!
//! The input is plain structs ([`SummaryReport`] and its tables), filled by
//! the compute module; nothing here depends on polars. rust_xlsxwriter is
//! used only in this module.
//!
//! # Quick start
//!
//! ```no_run
//! use parkstat::report::{
//!     render, write_workbook_to_path, IndicatorRow, ParkTable, SummaryReport, TextContext,
//!     WriteOptions, DEFAULT_TEMPLATE,
//! };
//!
//! let table = ParkTable {
//!     park: "某某工业园区".into(),
//!     year: 2022,
//!     month: 8,
//!     unit_note: "单位：亿元、万美元、%".into(),
//!     rows: vec![IndicatorRow {
//!         code: "IND_VA".into(),
//!         name: "工业增加值".into(),
//!         unit: "亿元".into(),
//!         ytd: Some(35.62),
//!         growth: Some(8.5),
//!         ..Default::default()
//!     }],
//! };
//! let ctx = TextContext { park: table.park.clone(), year: 2022, month: 8 };
//! // A ParkTable answers the template's look-ups itself; missing figures leave gaps.
//! let text = render(DEFAULT_TEMPLATE, &ctx, &table)?;
//! for w in &text.warnings {
//!     eprintln!("{w}");
//! }
//! let report = SummaryReport { parks: vec![table], text: Some(text.text), ..Default::default() };
//! write_workbook_to_path(&report, &WriteOptions::default(), "out/summary.xlsx")?;
//! # Ok::<(), parkstat::report::ReportError>(())
//! ```
//!
//! # The workbook
//!
//! | sheet | written when | contents |
//! |---|---|---|
//! | 主要指标 | one park table | the standard table: 序号 … 预计方法 |
//! | 主要指标-{park} | several park tables | one sheet per park, so each prints with its own title and header |
//! | 产业结构 | industry tables | one table per indicator with a bar chart of the shares beside it |
//! | 月度趋势 | a trend with ≥ 2 points | one table per trend with a line chart of the growth rates |
//! | 园区对比 | a comparison | parks as rows, a band of 数值/增长/位次 per indicator |
//! | 数据审核 | always | the findings, with an autofilter ("未发现问题" when none) |
//! | 文字材料 | text is given | one paragraph per row |
//! | 说明 | always | sources and notes |
//!
//! Every sheet prints on A4 landscape, one page wide, with its title and
//! header repeated on each page and "第 1 页，共 2 页" in the footer.

mod model;
mod sanitize;
mod text;
mod width;
mod workbook;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use model::{
    AuditRow, ComparisonCell, ComparisonColumn, ComparisonTable, GrowthKind, IndicatorRow,
    IndustryRow, IndustryTable, ParkTable, Severity, SummaryReport, TrendPoint, TrendTable,
    WriteOptions, period_label,
};
pub use sanitize::{SheetNames, cell_text, sheet_name};
pub use text::{
    DEFAULT_TEMPLATE, FIELDS, FigureLookup, FigureMap, Rendered, TextContext, format_number,
    is_park_heading, park_heading, render,
};
pub use width::{ColumnWidths, display_width};
pub use workbook::{MAX_TREND_CHARTS, write_workbook, write_workbook_to_path};

/// What can go wrong while writing the workbook or rendering a template.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// rust_xlsxwriter refused a cell (or a merge, a chart, a setting) of a sheet.
    #[error("Cannot write {cell} of sheet '{sheet}': {source}")]
    Cell {
        /// Sheet name.
        sheet: String,
        /// The cell or range (`B4`, `A1:L1`), or what was being set up.
        cell: String,
        /// The writer's error.
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// The workbook could not be assembled into a file.
    #[error("Cannot assemble the workbook: {source}")]
    Save {
        /// The writer's error.
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// A table's month is not 1–12.
    #[error("The period of '{table}' has month {month}; expected 1 to 12.")]
    Month {
        /// Which table (park and indicator).
        table: String,
        /// The month found.
        month: u32,
    },
    /// The temporary file beside the target could not be created or written.
    #[error("Cannot write a temporary file in '{}': {source}", dir.display())]
    TempFile {
        /// The target's folder.
        dir: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The finished workbook could not replace the target.
    #[error("Cannot move the new workbook to '{}': {source}", path.display())]
    Persist {
        /// The target file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A `{` without its `}` or a lone `}` in a template.
    #[error(
        "Unmatched brace at line {line}, column {column} of the template (write '{{{{' or '}}}}' for a literal brace)."
    )]
    TemplateBrace {
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
    /// An unknown name, code or field in a template placeholder.
    #[error(
        "Placeholder '{{{placeholder}}}' at line {line}, column {column} of the template: {reason}."
    )]
    TemplatePlaceholder {
        /// The text between the braces.
        placeholder: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// An unknown format after the colon of a placeholder.
    #[error(
        "Unknown format '{format}' in placeholder '{{{placeholder}}}' at line {line}, column {column} of the template; known formats: num0 … num6, int, growth, pp, schedule, drop, delta."
    )]
    TemplateFormat {
        /// The format asked for.
        format: String,
        /// The text between the braces.
        placeholder: String,
        /// 1-based line.
        line: usize,
        /// 1-based column, in characters.
        column: usize,
    },
}
