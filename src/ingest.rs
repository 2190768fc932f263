//! Reading one return file into figures: open, find the tables of every sheet, extract.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::layout::{Overrides, SheetContext, TableReport, extract_sheet};
use crate::model::{TotalRow, Warning};
use crate::read::{Limits, read_workbook_with};
use crate::tidy::FigureBlock;

/// Options for reading returns.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Park, year and month given by the caller, overriding the file.
    pub overrides: Overrides,
    /// Size limits checked before parsing.
    pub limits: Limits,
    /// Leave out what was detected row by row (`TableReport::rows`, which `parkstat inspect`
    /// shows): a batch that keeps only the figures then formats no note per data row.
    pub skip_row_reports: bool,
}

/// Everything read from one file.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct FileOutput {
    /// The file.
    pub path: PathBuf,
    /// The figures, in sheet, table and row order, packed ([`FigureBlock::to_figures`] unpacks
    /// them; [`crate::tidy::blocks_to_frame`] makes the tidy frame of many files).
    pub figures: FigureBlock,
    /// 小计 and 合计 rows, kept for cross-checks.
    pub totals: Vec<TotalRow>,
    /// Notes with their places.
    pub warnings: Vec<Warning>,
    /// What was detected in each table.
    pub tables: Vec<TableReport>,
}

/// Reads one return.
///
/// # Errors
/// Every [`Error`] of [`crate::read::read_workbook`], plus [`Error::Period`] and [`Error::Park`]
/// when a table's period or park cannot be decided, and [`Error::NoTable`] when no sheet holds a
/// table.
pub fn read_file(path: &Path, catalog: &Catalog, opts: &ReadOptions) -> Result<FileOutput> {
    let (out, error) = read_file_partial(path, catalog, opts)?;
    match error {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// Like [`read_file`], but a table whose period or park cannot be decided, or a workbook without
/// a table, still returns what was detected (for `parkstat inspect`) beside the error.
///
/// # Errors
/// The errors of opening the workbook ([`crate::read::read_workbook`]).
pub fn read_file_partial(
    path: &Path,
    catalog: &Catalog,
    opts: &ReadOptions,
) -> Result<(FileOutput, Option<Error>)> {
    let wb = read_workbook_with(path, &opts.limits)?;
    let file = path.to_string_lossy().into_owned();
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ctx = SheetContext {
        catalog,
        file: &file,
        file_name: &file_name,
        overrides: &opts.overrides,
        row_reports: !opts.skip_row_reports,
    };
    let mut out = FileOutput {
        path: path.to_path_buf(),
        ..Default::default()
    };
    for note in wb.notes {
        out.warnings.push(Warning {
            file: file.clone(),
            sheet: String::new(),
            cell: String::new(),
            message: note,
        });
    }
    let mut errors = Vec::new();
    let mut sheet_names = Vec::new();
    for grid in &wb.sheets {
        sheet_names.push(grid.name.clone());
        let mut s = extract_sheet(grid, &ctx);
        out.figures.append(std::mem::take(&mut s.figures).finish());
        out.totals.append(&mut s.totals);
        out.warnings.append(&mut s.warnings);
        out.tables.append(&mut s.tables);
        errors.append(&mut s.errors);
    }
    if let Some(e) = errors.into_iter().next() {
        return Ok((out, Some(e)));
    }
    if out.tables.is_empty() {
        let e = Error::NoTable {
            path: path.into(),
            detail: format!(
                "sheets: {}",
                if sheet_names.is_empty() {
                    "none".to_string()
                } else {
                    sheet_names.join(", ")
                }
            ),
        };
        return Ok((out, Some(e)));
    }
    Ok((out, None))
}
