//! Opening workbooks: the only module that talks to calamine.
//!
//! A file is read into memory, its format is decided from its bytes (not its extension), it is
//! checked against [`guard::Limits`] before any parser sees it, and every sheet becomes a
//! [`Grid`] of [`CellValue`]s with its merged ranges. calamine panics are caught and returned as
//! [`Error::ReaderPanic`].

mod grid;
pub mod guard;
mod merges;
mod percent;
mod place;
mod xlsb;

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{Data, DataRef, Dimensions, Reader, SheetVisible, Sheets};

pub use grid::{Grid, Merge, a1, parse_a1, push_a1};
pub use guard::{Format, Limits};

use crate::error::{Error, Result};
use crate::value::CellValue;

/// A workbook read into grids.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The format found in the bytes.
    pub format: Format,
    /// The visible sheets, in workbook order.
    pub sheets: Vec<Grid>,
    /// Notes about the file (a lying extension, skipped hidden sheets).
    pub notes: Vec<String>,
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Xlsx => "xlsx",
        Format::Xlsm => "xlsm",
        Format::Xlsb => "xlsb",
        Format::Xls => "xls",
        Format::Ods => "ods",
    }
}

/// Reads a workbook file with the default limits.
///
/// # Errors
/// [`Error::Io`], [`Error::Encrypted`], [`Error::NotASpreadsheet`], [`Error::Refused`],
/// [`Error::Parse`], [`Error::ReaderPanic`].
pub fn read_workbook(path: &Path) -> Result<Workbook> {
    read_workbook_with(path, &Limits::default())
}

/// Reads a workbook file with the given limits.
///
/// # Errors
/// See [`read_workbook`].
pub fn read_workbook_with(path: &Path, limits: &Limits) -> Result<Workbook> {
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(Error::NotASpreadsheet {
            path: path.into(),
            what: "a folder".into(),
            hint: String::new(),
        });
    }
    if limits.max_file_bytes > 0 && meta.len() > limits.max_file_bytes {
        return Err(Error::Refused {
            path: path.into(),
            reason: format!(
                "the file is {} bytes, over the limit of {} bytes",
                meta.len(),
                limits.max_file_bytes
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_workbook_bytes(bytes, path, limits)
}

/// Reads a workbook from bytes already in memory; `path` names it in messages and decides nothing.
///
/// # Errors
/// See [`read_workbook`].
pub fn read_workbook_bytes(bytes: Vec<u8>, path: &Path, limits: &Limits) -> Result<Workbook> {
    use guard::Sniffed;
    let not = |what: &str, hint: &str| Error::NotASpreadsheet {
        path: path.into(),
        what: what.into(),
        hint: hint.into(),
    };
    let format = match guard::sniff(&bytes) {
        Sniffed::Spreadsheet(f) => f,
        Sniffed::Encrypted(_) => return Err(Error::Encrypted { path: path.into() }),
        Sniffed::Html => {
            return Err(not(
                "an HTML page saved with a spreadsheet name",
                "; open it in Excel or WPS and save it as .xlsx",
            ));
        }
        Sniffed::Text => {
            return Err(not(
                "plain text, such as CSV",
                "; open it in Excel or WPS and save it as .xlsx",
            ));
        }
        Sniffed::Empty => return Err(not("an empty file", "")),
        Sniffed::Unknown => return Err(not("unknown content", "")),
    };
    // xlsx is read through calamine's cell reader, which allocates no box: the loader bounds
    // cells and text itself, so the guard does not check the worksheets' cell boxes; its pass
    // over the package finds the merged ranges of every sheet instead
    let checked = match format {
        Format::Xlsx | Format::Xlsm => guard::check_xlsx_with_merges(&bytes, format, limits),
        _ => guard::check(&bytes, format, limits).map(|()| guard::XlsxMerges::new()),
    };
    let merges = checked.map_err(|r| Error::Refused {
        path: path.into(),
        reason: r.to_string(),
    })?;
    let mut notes = Vec::new();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let expected = format_name(format);
    let compatible = ext == expected
        || (ext == "xlsx" && format == Format::Xlsm)
        || (ext == "xlsm" && format == Format::Xlsx)
        || (ext == "et" && format == Format::Xls)
        || (ext == "wps");
    if !ext.is_empty() && !compatible {
        notes.push(format!(
            "the file is named .{ext} but its content is {expected}; read as {expected}"
        ));
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        load(bytes, format, path, limits, &merges, &mut notes)
    }));
    match result {
        Ok(Ok(sheets)) => Ok(Workbook {
            format,
            sheets,
            notes,
        }),
        Ok(Err(e)) => Err(e),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(Error::ReaderPanic {
                path: path.into(),
                message,
            })
        }
    }
}

fn parse_err(path: &Path, sheet: Option<&str>, e: impl std::fmt::Display) -> Error {
    let message = e.to_string();
    if message.to_ascii_lowercase().contains("password")
        || message.to_ascii_lowercase().contains("encrypt")
    {
        return Error::Encrypted { path: path.into() };
    }
    Error::Parse {
        path: path.into(),
        sheet: sheet.map(String::from),
        message,
    }
}

fn load(
    bytes: Vec<u8>,
    format: Format,
    path: &Path,
    limits: &Limits,
    merges: &guard::XlsxMerges,
    notes: &mut Vec<String>,
) -> Result<Vec<Grid>> {
    // calamine does not expose the number formats of .xls, .xlsb and .ods, the merges of .xlsb
    // and .ods, nor the hidden rows and columns of any format: find them here
    let percent::Marks {
        percent: percent_cells,
        merges: known_merges,
        hidden,
    } = match format {
        Format::Xls => percent::xls_marks(&bytes),
        Format::Ods => percent::ods_marks(&bytes),
        Format::Xlsb => xlsb::xlsb_marks(&bytes, limits),
        Format::Xlsx | Format::Xlsm => percent::Marks::default(),
    };
    let cursor = Cursor::new(bytes);
    let mut wb: Sheets<Cursor<Vec<u8>>> = match format {
        Format::Xlsx | Format::Xlsm => Sheets::Xlsx(
            calamine::open_workbook_from_rs(cursor).map_err(|e| parse_err(path, None, e))?,
        ),
        Format::Xls => Sheets::Xls(
            calamine::open_workbook_from_rs(cursor).map_err(|e| parse_err(path, None, e))?,
        ),
        Format::Xlsb => Sheets::Xlsb(
            calamine::open_workbook_from_rs(cursor).map_err(|e| parse_err(path, None, e))?,
        ),
        Format::Ods => Sheets::Ods(
            calamine::open_workbook_from_rs(cursor).map_err(|e| parse_err(path, None, e))?,
        ),
    };
    let metas: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let mut grids = Vec::with_capacity(metas.len());
    let mut first_error = None;
    for (name, visible) in metas {
        if !visible {
            notes.push(format!("hidden sheet [{name}] skipped"));
            continue;
        }
        let grid = match &mut wb {
            Sheets::Xlsx(x) => load_xlsx_sheet(x, &name, path, limits, merges.get(&name)),
            other => other
                .worksheet_range(&name)
                .map_err(|e| parse_err(path, Some(&name), e))
                .map(|range| {
                    let mut g = range_to_grid(&name, &range);
                    if let Some(cells) = percent_cells.get(&name) {
                        percent::mark_percent(&mut g, cells);
                    }
                    // merged ranges: calamine's for .xls, the crate's own for .xlsb and .ods
                    let merges: Option<Vec<merges::MergeRef>> = match other {
                        Sheets::Xls(x) => x
                            .merge_cells_by_sheet_name(&name)
                            .ok()
                            .map(|m| calamine_ranges(&m).collect()),
                        _ => known_merges.get(&name).cloned(),
                    };
                    if let Some(merges) = merges {
                        g.merges = to_merges(merges, g.row0, g.col0);
                        g.merges_known = true;
                    }
                    if let Some(h) = hidden.get(&name) {
                        g.set_hidden(h.rows_taken_out().iter().copied(), h.cols.iter().copied());
                    }
                    g
                }),
        };
        match grid {
            Ok(g) => grids.push(g),
            // a chart sheet or one damaged sheet does not lose the others
            Err(e @ (Error::Parse { .. } | Error::Encrypted { .. })) => {
                notes.push(format!("sheet [{name}] skipped: {e}"));
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
    }
    match first_error {
        Some(e) if grids.is_empty() => Err(e),
        _ => Ok(grids),
    }
}

/// Merged ranges (absolute, inclusive: first row, first column, last row, last column) in the
/// coordinates of a grid whose first cell is (`row0`, `col0`).
fn to_merges(
    ranges: impl IntoIterator<Item = merges::MergeRef>,
    row0: u32,
    col0: u32,
) -> Vec<Merge> {
    ranges
        .into_iter()
        .filter(|&(r0, c0, r1, c1)| r0 >= row0 && c0 >= col0 && r1 >= r0 && c1 >= c0)
        .map(|(r0, c0, r1, c1)| Merge {
            r0: (r0 - row0) as usize,
            c0: (c0 - col0) as usize,
            r1: (r1 - row0) as usize,
            c1: (c1 - col0) as usize,
        })
        .collect()
}

/// calamine's merged ranges as [`merges::MergeRef`]s.
fn calamine_ranges(dims: &[Dimensions]) -> impl Iterator<Item = merges::MergeRef> + '_ {
    dims.iter()
        .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
}

fn convert(d: &Data) -> CellValue {
    match d {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => CellValue::Number {
            value: *i as f64,
            percent: false,
        },
        Data::Float(f) => CellValue::Number {
            value: *f,
            percent: false,
        },
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => CellValue::Number {
            value: dt.as_f64(),
            percent: false,
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

fn range_to_grid(name: &str, range: &calamine::Range<Data>) -> Grid {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let (rows, cols) = range.get_size();
    let mut g = Grid::new(name, row0, col0, rows, cols);
    for (r, c, v) in range.used_cells() {
        g.set(r, c, convert(v));
    }
    g
}

fn load_xlsx_sheet(
    x: &mut calamine::Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    path: &Path,
    limits: &Limits,
    marks: Option<&merges::SheetMarks>,
) -> Result<Grid> {
    let err = |e: calamine::XlsxError| parse_err(path, Some(name), e);
    let mut placer;
    let mut text_bytes = 0u64;
    {
        let mut reader = x.worksheet_cells_reader(name).map_err(err)?;
        let declared = reader.dimensions();
        placer = place::Placer::new(name, Some((declared.start, declared.end)));
        let percent_styles: Vec<bool> = reader
            .styles()
            .iter()
            .map(|s| {
                s.number_format
                    .as_ref()
                    .is_some_and(|f| f.format_code.contains('%'))
            })
            .collect();
        while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(err)? {
            let (r, c) = cell.get_position();
            let percent = percent_styles.get(style).copied().unwrap_or(false);
            let v = match cell.get_value() {
                DataRef::Empty => continue,
                DataRef::Int(i) => CellValue::Number {
                    value: *i as f64,
                    percent,
                },
                DataRef::Float(f) => CellValue::Number { value: *f, percent },
                DataRef::String(s) => CellValue::Text(s.clone()),
                DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
                DataRef::Bool(b) => CellValue::Bool(*b),
                DataRef::DateTime(dt) => CellValue::Number {
                    value: dt.as_f64(),
                    percent: false,
                },
                DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s.clone()),
                DataRef::Error(e) => CellValue::Error(e.to_string()),
            };
            if let CellValue::Text(t) = &v {
                text_bytes += t.len() as u64;
            }
            placer.place(r, c, v);
            let too_many = limits.max_cells > 0 && placer.count() > limits.max_cells;
            if too_many || (limits.max_string_bytes > 0 && text_bytes > limits.max_string_bytes) {
                return Err(Error::Refused {
                    path: path.into(),
                    reason: format!(
                        "sheet [{name}] holds more than {} cells or {} bytes of text, over the limits",
                        limits.max_cells, limits.max_string_bytes
                    ),
                });
            }
        }
    }
    if let Some((_, _, rows, cols)) = placer.extent()
        && limits.max_cells > 0
        && rows.saturating_mul(cols) > limits.max_cells
    {
        return Err(Error::Refused {
            path: path.into(),
            reason: format!(
                "sheet [{name}] spans {rows} rows × {cols} columns, over the limit of {} cells",
                limits.max_cells
            ),
        });
    }
    let mut g = placer.finish();
    match marks {
        Some(found) => {
            g.merges = to_merges(found.merges.iter().copied(), g.row0, g.col0);
            g.merges_known = true;
            g.set_hidden(
                found.hidden.rows_taken_out().iter().copied(),
                found.hidden.cols.iter().copied(),
            );
        }
        // a sheet the workbook's relationships did not lead to: ask calamine
        None => {
            if let Ok(merges) = x.merge_cells_by_sheet_name(name) {
                g.merges = to_merges(calamine_ranges(&merges), g.row0, g.col0);
                g.merges_known = true;
            }
        }
    }
    Ok(g)
}
