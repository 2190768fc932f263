//! Percent number formats of `.xls` and `.ods` cells, the merged ranges of `.ods` sheets and the
//! hidden rows and columns of `.xls` sheets, which calamine 0.38 does not expose.
//!
//! A growth cell holding 0.075 with the number format "0.0%" means 7.5 %. For xlsx the reader
//! gets the format from calamine's cell reader; for legacy `.xls` (BIFF8 and BIFF5) and `.ods`
//! calamine returns the bare 0.075. This module finds those cells in the file's bytes:
//!
//! * `.xls`: FORMAT records give format strings, XF records map a cell's `ixfe` to a format,
//!   BOUNDSHEET gives each sheet's name and substream; NUMBER, RK, MULRK and FORMULA carry
//!   (row, col, ixfe). Sheet names are decoded as calamine decodes them (code page from the
//!   CODEPAGE record, so GBK for 936), so the names match `sheets_metadata()`.
//! * `.ods`: `content.xml` cells with `office:value-type="percentage"` and an `office:value`,
//!   their positions counted as calamine counts them (repeated rows and columns, covered cells,
//!   caps of 1,048,576 rows and 16,384 columns); with the same positions, the merged ranges
//!   (`table:number-columns-spanned`, `table:number-rows-spanned`), which calamine does not
//!   expose either.
//!
//! Positions are absolute and 0-based, as calamine's `Range` reports them. The bytes are
//! expected to have passed [`super::guard::check`]; even so nothing here panics on file content,
//! no size read from the file sizes an allocation, and at most [`MAX_MARKS`] cells are kept for
//! a workbook. On anything unexpected the scan stops and returns what it found so far.
#![forbid(unsafe_code)]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Cursor};

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::grid::Grid;
use super::guard::{cfb_open, next_rec, u16_at, u32_at};
use super::merges::{Hidden, MergeRef};
use crate::value::CellValue;

/// Percent-formatted cells of a workbook: sheet name → absolute (row, col), 0-based.
pub(crate) type PercentCells = HashMap<String, HashSet<(u32, u32)>>;

/// Most cells kept for one workbook (a repeated ODS cell counts once per repetition).
pub(crate) const MAX_MARKS: usize = 1 << 20;

/// Most merged ranges kept for one sheet (a real sheet has a few dozen).
pub(crate) const MAX_MERGES: usize = 100_000;

/// calamine's caps on ODS rows and columns (the spreadsheet grid).
const ODS_MAX_ROWS: u64 = super::guard::MAX_ROWS as u64;
const ODS_MAX_COLUMNS: u64 = super::guard::MAX_COLUMNS as u64;

/// Sets `percent` on the numeric cells of `grid` whose absolute positions are in `cells`.
pub(crate) fn mark_percent(grid: &mut Grid, cells: &HashSet<(u32, u32)>) {
    for &(r, c) in cells {
        let (Some(r), Some(c)) = (r.checked_sub(grid.row0), c.checked_sub(grid.col0)) else {
            continue;
        };
        let (r, c) = (r as usize, c as usize);
        if let CellValue::Number { value, .. } = *grid.get(r, c) {
            grid.set(
                r,
                c,
                CellValue::Number {
                    value,
                    percent: true,
                },
            );
        }
    }
}

/// True when a number format shows numbers as percentages: it has a `%` outside quoted text,
/// brackets (`[Red]`, `[$-804]`), and the escapes `\%`, `_%` and `*%` (all literal).
pub(crate) fn is_percent_format(code: &str) -> bool {
    let mut chars = code.chars();
    let mut quoted = false;
    let mut bracket = false;
    while let Some(ch) = chars.next() {
        match ch {
            '"' if !bracket => quoted = !quoted,
            _ if quoted => {}
            '[' => bracket = true,
            ']' => bracket = false,
            _ if bracket => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '%' => return true,
            _ => {}
        }
    }
    false
}

// ===========================================================================
// .xls
// ===========================================================================

/// Built-in number formats that are percentages: 9 "0%" and 10 "0.00%".
pub(crate) fn builtin_percent(ifmt: u16) -> bool {
    matches!(ifmt, 9 | 10)
}

/// calamine's `XlsEncoding::decode_to` followed by the NUL removal of sheet names: `cch`
/// characters of `data`, 8-bit (`Some(false)`), UTF-16 (`Some(true)`) or in the code page's
/// own multibyte form (`None`, BIFF5).
fn xls_decode(enc: &'static Encoding, data: &[u8], cch: usize, high: Option<bool>) -> String {
    let utf16 = enc == UTF_16LE || enc == UTF_16BE;
    let high = high.or(if utf16 { Some(false) } else { None });
    let s = match high {
        None => {
            let l = cch.min(data.len());
            enc.decode(data.get(..l).unwrap_or(&[])).0.into_owned()
        }
        Some(false) => {
            let bytes: Vec<u8> = data.iter().take(cch).flat_map(|&b| [b, 0]).collect();
            enc.decode(&bytes).0.into_owned()
        }
        Some(true) => {
            let l = cch.min(data.len() / 2);
            enc.decode(data.get(..2 * l).unwrap_or(&[])).0.into_owned()
        }
    };
    s.replace('\0', "")
}

/// The text of a FORMAT record after its index: BIFF8 `XLUnicodeString` (cch u16, flags,
/// characters), BIFF5 and earlier a byte string (cch u8, characters in the code page).
fn format_text(d: &[u8], biff8: bool, enc: &'static Encoding) -> Option<String> {
    if biff8 {
        let cch = usize::from(u16_at(d, 2)?);
        let high = d.get(4)? & 1 != 0;
        Some(xls_decode(enc, d.get(5..)?, cch, Some(high)))
    } else {
        let cch = usize::from(*d.get(2)?);
        Some(xls_decode(enc, d.get(3..)?, cch, None))
    }
}

/// What the globals substream of a workbook stream says about number formats and sheets.
struct XlsGlobals {
    /// Per XF index: its number format is a percentage.
    xf_percent: Vec<bool>,
    /// (substream offset, sheet name) in BOUNDSHEET order.
    sheets: Vec<(usize, String)>,
}

/// Reads the globals substream the way calamine 0.38 does (`Xls::parse_workbook`); `None` where
/// calamine would refuse the workbook.
fn xls_globals(stream: &[u8]) -> Option<XlsGlobals> {
    let mut s = stream;
    // calamine starts from code page 1200 (UTF-16) and BIFF8
    let mut enc: &'static Encoding = UTF_16LE;
    let mut biff8 = true;
    let mut formats: HashMap<u16, bool> = HashMap::new();
    let mut xfs: Vec<u16> = Vec::new();
    let mut sheets = Vec::new();
    while let Some(r) = next_rec(&mut s) {
        let r = r.ok()?;
        let d = r.data;
        match r.typ {
            0x002F if u16_at(d, 0) != Some(0) => return None,
            0x0042 => enc = codepage::to_encoding(u16_at(d, 0)?)?,
            0x0809 => {
                let v = u16_at(d, 0)?;
                let dt = u16_at(d, 2).unwrap_or(0);
                biff8 = match v {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => false,
                    0 => dt != 0x1000,
                    _ => true,
                };
            }
            // FORMAT (BIFF4-8), and its BIFF2-3 id
            0x041E | 0x001E => {
                if let (Some(ifmt), Some(text)) = (u16_at(d, 0), format_text(d, biff8, enc))
                    && formats.len() < 65_536
                {
                    formats.insert(ifmt, is_percent_format(&text));
                }
            }
            0x00E0 => {
                let ifmt = u16_at(d, 2)?;
                // a cell's ixfe is 16-bit: later XFs cannot be used
                if xfs.len() <= usize::from(u16::MAX) {
                    xfs.push(ifmt);
                }
            }
            0x0085 => {
                let pos = u32_at(d, 0)? as usize;
                if d.get(4)? & 0x3F > 2 || !matches!(d.get(5)?, 0x00 | 0x01 | 0x02 | 0x06) {
                    return None;
                }
                let cch = usize::from(*d.get(6)?);
                let name = if biff8 {
                    let high = d.get(7)? & 1 != 0;
                    xls_decode(enc, d.get(8..).unwrap_or(&[]), cch, Some(high))
                } else {
                    xls_decode(enc, d.get(7..).unwrap_or(&[]), cch, None)
                };
                if sheets.len() < 65_536 {
                    sheets.push((pos, name));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    let xf_percent = xfs
        .into_iter()
        .map(|ifmt| {
            formats
                .get(&ifmt)
                .copied()
                .unwrap_or_else(|| builtin_percent(ifmt))
        })
        .collect();
    Some(XlsGlobals { xf_percent, sheets })
}

/// Budgets shared by the sheets of one workbook.
struct Budget {
    /// Cells that may still be kept.
    marks: usize,
    /// Bytes of records that may still be read: sheets pointing into one another's records
    /// would otherwise make the scan quadratic.
    bytes: usize,
}

/// Cells of one worksheet substream: the numeric records whose XF is a percentage. A later
/// numeric record at the same position replaces an earlier one, as in calamine's range.
fn xls_sheet(stream: &[u8], pos: usize, xf_percent: &[bool], budget: &mut Budget) -> Sheet {
    let mut cells = HashSet::new();
    let Some(mut s) = stream.get(pos..) else {
        return Sheet::done(cells);
    };
    let mut seen_bof = false;
    let mut depth = 0usize;
    let mut hidden = Hidden::default();
    let mut put = |cells: &mut HashSet<(u32, u32)>, row: u16, col: u16, ixfe: u16| -> bool {
        let at = (u32::from(row), u32::from(col));
        if xf_percent.get(usize::from(ixfe)).copied().unwrap_or(false) {
            if !cells.contains(&at) {
                let Some(left) = budget.marks.checked_sub(1) else {
                    return false;
                };
                budget.marks = left;
                cells.insert(at);
            }
        } else if cells.remove(&at) {
            budget.marks += 1;
        }
        true
    };
    loop {
        let before = s.len();
        let r = match next_rec(&mut s) {
            None => return Sheet::done(cells).with_hidden(hidden),
            Some(Ok(r)) => r,
            Some(Err(_)) => return Sheet::stopped(cells).with_hidden(hidden),
        };
        let Some(left) = budget.bytes.checked_sub(before - s.len()) else {
            return Sheet::stopped(cells).with_hidden(hidden);
        };
        budget.bytes = left;
        let d = r.data;
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let rc = || Some((u16_at(d, 0)?, u16_at(d, 2)?, u16_at(d, 4)?));
        let ok = match r.typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
                true
            }
            0x000A => return Sheet::done(cells).with_hidden(hidden),
            // FILTERMODE, AUTOFILTERINFO: an AutoFilter, whose hidden rows are filtered out of
            // the view, not out of the return
            0x009B | 0x009D => {
                hidden.filtered = true;
                true
            }
            // ROW: grbit bit 5 (fDyZero), the row is hidden; bits 0-2 its outline level (a
            // row folded away in an outline is no row taken out)
            0x0208 => {
                if let (Some(row), Some(grbit)) = (u16_at(d, 0), u16_at(d, 12))
                    && grbit & 0x0020 != 0
                    && grbit & 0x0007 == 0
                {
                    hidden.push_row(u32::from(row), u32::from(row));
                }
                true
            }
            // COLINFO: first and last column, grbit bit 0 (fHidden), bits 8-10 the outline level
            0x007D => {
                if let (Some(first), Some(last), Some(grbit)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
                    && grbit & 0x0001 != 0
                    && grbit & 0x0700 == 0
                    && last >= first
                {
                    hidden.push_col(u32::from(first), u32::from(last));
                }
                true
            }
            // NUMBER, RK, FORMULA
            0x0203 | 0x027E | 0x0006 => {
                let min = match r.typ {
                    0x0203 => 14,
                    0x027E => 10,
                    _ => 20,
                };
                match rc() {
                    Some((row, col, ixfe)) if d.len() >= min => put(&mut cells, row, col, ixfe),
                    _ => false,
                }
            }
            // MULRK: row, first column, (ixfe, RK) per cell, last column
            0x00BD => {
                let (Some(row), Some(first), Some(last)) = (
                    u16_at(d, 0),
                    u16_at(d, 2),
                    u16_at(d, d.len().saturating_sub(2)),
                ) else {
                    return Sheet::stopped(cells);
                };
                let n = usize::from(last.wrapping_sub(first).wrapping_add(1));
                if d.len() < 6 || last < first || d.len() != 6 + 6 * n {
                    return Sheet::stopped(cells);
                }
                let mut ok = true;
                for (k, col) in (first..=last).enumerate() {
                    let Some(ixfe) = u16_at(d, 4 + 6 * k) else {
                        ok = false;
                        break;
                    };
                    if !put(&mut cells, row, col, ixfe) {
                        ok = false;
                        break;
                    }
                }
                ok
            }
            _ => true,
        };
        if !ok {
            return Sheet::stopped(cells).with_hidden(hidden);
        }
    }
}

/// The cells found in one sheet, its hidden rows and columns, and whether the scan may go on to
/// the next sheet.
struct Sheet {
    cells: HashSet<(u32, u32)>,
    hidden: Hidden,
    go_on: bool,
}

impl Sheet {
    fn done(cells: HashSet<(u32, u32)>) -> Sheet {
        Sheet {
            cells,
            hidden: Hidden::default(),
            go_on: true,
        }
    }
    fn stopped(cells: HashSet<(u32, u32)>) -> Sheet {
        Sheet {
            cells,
            hidden: Hidden::default(),
            go_on: false,
        }
    }
    fn with_hidden(mut self, hidden: Hidden) -> Sheet {
        self.hidden = hidden;
        self
    }
}

/// Percent-formatted numeric cells (NUMBER, RK, MULRK, FORMULA) of an `.xls` file (BIFF8 or
/// BIFF5), by sheet name as calamine names the sheets.
#[cfg(test)]
pub(crate) fn xls_percent_cells(bytes: &[u8]) -> PercentCells {
    xls_marks(bytes).percent
}

/// The percent-formatted numeric cells and the hidden rows (ROW) and columns (COLINFO) of an
/// `.xls` file (BIFF8 or BIFF5), by sheet name as calamine names the sheets.
pub(crate) fn xls_marks(bytes: &[u8]) -> Marks {
    let mut out = Marks::default();
    let Ok(mut cfb) = cfb_open(bytes) else {
        return out;
    };
    let Ok(Some(stream)) = cfb.workbook_stream() else {
        return out;
    };
    let Some(g) = xls_globals(&stream) else {
        return out;
    };
    let mut budget = Budget {
        marks: MAX_MARKS,
        bytes: stream.len().saturating_mul(2),
    };
    for (pos, name) in g.sheets {
        let sheet = xls_sheet(&stream, pos, &g.xf_percent, &mut budget);
        // calamine keeps the last sheet of a name
        if !sheet.cells.is_empty() {
            out.percent.insert(name.clone(), sheet.cells);
        } else {
            out.percent.remove(&name);
        }
        if !sheet.hidden.is_empty() {
            out.hidden.insert(name, sheet.hidden);
        } else {
            out.hidden.remove(&name);
        }
        if !sheet.go_on {
            break;
        }
    }
    out
}

// ===========================================================================
// .ods
// ===========================================================================

/// Percent cells and merged ranges of a workbook whose reader (calamine) gives neither, by
/// sheet name.
#[derive(Debug, Default)]
pub(crate) struct Marks {
    /// Percent-formatted numeric cells.
    pub percent: PercentCells,
    /// Merged ranges of every sheet that was read through (an empty list: none).
    pub merges: HashMap<String, Vec<MergeRef>>,
    /// Hidden rows and columns of the sheets that hide any.
    pub hidden: HashMap<String, Hidden>,
}

/// The percent cells of an `.ods` file (see [`ods_marks`]).
#[cfg(test)]
pub(crate) fn ods_percent_cells(bytes: &[u8]) -> PercentCells {
    ods_marks(bytes).percent
}

/// Percent cells (`office:value-type="percentage"` with an `office:value`) and merged ranges (a
/// cell's `table:number-columns-spanned` and `table:number-rows-spanned`) of an `.ods` file's
/// `content.xml`, by table name.
pub(crate) fn ods_marks(bytes: &[u8]) -> Marks {
    let mut out = Marks::default();
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let Ok(file) = zip.by_name("content.xml") else {
        return out;
    };
    let mut reader = Reader::from_reader(BufReader::new(file));
    // calamine's reader configuration, so that both see the same events
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut budget = MAX_MARKS;
    let _ = ods_scan(&mut reader, &mut out, &mut budget);
    out
}

const CELL: QName<'static> = QName("table:table-cell");
const COVERED: QName<'static> = QName("table:covered-table-cell");

/// calamine's `parse_content`, keeping only the tables.
fn ods_scan<R: BufRead>(reader: &mut Reader<R>, out: &mut Marks, budget: &mut usize) -> Option<()> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.name() == QName("table:table") => {
                let Some(raw) = raw_attr(&e, "table:name")? else {
                    continue;
                };
                let name = quick_xml::escape::unescape(raw).ok()?.into_owned();
                let mut cells = HashSet::new();
                let mut merges = Vec::new();
                let mut hidden = Hidden::default();
                let r = ods_table(reader, &mut cells, &mut merges, &mut hidden, budget);
                if hidden.is_empty() {
                    out.hidden.remove(&name);
                } else {
                    out.hidden.insert(name.clone(), hidden);
                }
                // a later table of the same name replaces an earlier one, as in calamine
                if cells.is_empty() {
                    out.percent.remove(&name);
                } else {
                    out.percent.insert(name.clone(), cells);
                }
                if r.is_some() {
                    out.merges.insert(name, merges);
                } else {
                    out.merges.remove(&name);
                }
                r?;
            }
            Event::Eof => return Some(()),
            _ => {}
        }
    }
}

/// calamine's `read_table`: rows until the end of the table.
fn ods_table<R: BufRead>(
    reader: &mut Reader<R>,
    cells: &mut HashSet<(u32, u32)>,
    merges: &mut Vec<MergeRef>,
    hidden: &mut Hidden,
    budget: &mut usize,
) -> Option<()> {
    let mut buf = Vec::new();
    let mut total_rows = 0u64;
    let mut total_cols = 0u64;
    // rows and columns inside a group of an outline (table:table-row-group): folded away, not
    // taken out of the return
    let (mut row_groups, mut col_groups) = (0usize, 0usize);
    // `table:visibility` "collapse": hidden by hand ("filter": filtered out of the view, which
    // takes nothing out of the return)
    let is_hidden =
        |e: &BytesStart<'_>| matches!(raw_attr(e, "table:visibility"), Some(Some("collapse")));
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.name() == QName("table:table-row-group") => row_groups += 1,
            Event::End(e) if e.name() == QName("table:table-row-group") => {
                row_groups = row_groups.saturating_sub(1);
            }
            Event::Start(e) if e.name() == QName("table:table-column-group") => col_groups += 1,
            Event::End(e) if e.name() == QName("table:table-column-group") => {
                col_groups = col_groups.saturating_sub(1);
            }
            Event::Start(e) | Event::Empty(e) if e.name() == QName("table:table-column") => {
                // calamine reads no column element: an odd one stops nothing here either
                let repeats = match raw_attr(&e, "table:number-columns-repeated") {
                    Some(Some(v)) => v.trim().parse::<u64>().unwrap_or(1),
                    _ => 1,
                };
                let cols = repeats.min(ODS_MAX_COLUMNS.saturating_sub(total_cols));
                if cols > 0 && col_groups == 0 && is_hidden(&e) {
                    hidden.push_col(total_cols as u32, (total_cols + cols - 1) as u32);
                }
                total_cols += cols;
            }
            Event::Start(e) if e.name() == QName("table:table-row") => {
                let repeats = match raw_attr(&e, "table:number-rows-repeated")? {
                    Some(v) => quick_xml::escape::unescape(v).ok()?.parse::<usize>().ok()? as u64,
                    None => 1,
                };
                // calamine's positions after a row repeated 0 times are not worth mirroring
                if repeats == 0 {
                    return None;
                }
                let rows = repeats.min(ODS_MAX_ROWS.saturating_sub(total_rows));
                let first = total_rows;
                total_rows += rows;
                if rows > 0 && row_groups == 0 && is_hidden(&e) {
                    hidden.push_row(first as u32, (first + rows - 1) as u32);
                }
                ods_row(reader, first, rows, cells, merges, budget)?;
            }
            Event::End(e) if e.name() == QName("table:table") => return Some(()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// calamine's `read_row`: every cell and covered cell takes `number-columns-repeated` columns
/// (capped at 16,384 for the row); a percent cell is marked in each of its columns and in each
/// of the row's repetitions.
fn ods_row<R: BufRead>(
    reader: &mut Reader<R>,
    row: u64,
    rows: u64,
    cells: &mut HashSet<(u32, u32)>,
    merges: &mut Vec<MergeRef>,
    budget: &mut usize,
) -> Option<()> {
    let mut buf = Vec::new();
    let mut inner = Vec::new();
    let mut col = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) if e.name() == CELL || e.name() == COVERED => {
                let repeats = match raw_attr(&e, "table:number-columns-repeated")? {
                    Some(v) => v.parse::<usize>().ok()? as u64,
                    None => 1,
                };
                let kind = ods_cell_kind(&e)?;
                let cols = repeats.min(ODS_MAX_COLUMNS.saturating_sub(col));
                if e.name() == CELL
                    && merges.len() < MAX_MERGES
                    && let Some(m) = ods_span(&e, row, col)
                {
                    merges.push(m);
                }
                if kind.percent {
                    for r in row..row.saturating_add(rows) {
                        for c in col..col.saturating_add(cols) {
                            let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
                                return None;
                            };
                            if !cells.contains(&(r, c)) {
                                *budget = budget.checked_sub(1)?;
                                cells.insert((r, c));
                            }
                        }
                    }
                }
                col += cols;
                if kind.text_content {
                    ods_skip_text_cell(reader, &mut inner)?;
                } else {
                    let end = e.name().0.to_owned();
                    inner.clear();
                    reader.read_to_end_into(QName(&end), &mut inner).ok()?;
                }
            }
            Event::End(e) if e.name() == QName("table:table-row") => return Some(()),
            // calamine refuses anything else inside a row
            _ => return None,
        }
    }
}

/// A cell's merged range (`table:number-columns-spanned`, `table:number-rows-spanned`) at
/// (`row`, `col`), when it spans more than itself and stays on the grid.
fn ods_span(e: &BytesStart<'_>, row: u64, col: u64) -> Option<MergeRef> {
    let span = |key: &str| -> Option<u64> {
        match raw_attr(e, key) {
            Some(Some(v)) => v.trim().parse::<u64>().ok().filter(|&n| n >= 1),
            _ => Some(1),
        }
    };
    let (rows, cols) = (
        span("table:number-rows-spanned")?,
        span("table:number-columns-spanned")?,
    );
    if rows == 1 && cols == 1 {
        return None;
    }
    let (r1, c1) = (row.checked_add(rows - 1)?, col.checked_add(cols - 1)?);
    if r1 >= ODS_MAX_ROWS || c1 >= ODS_MAX_COLUMNS {
        return None;
    }
    Some((
        u32::try_from(row).ok()?,
        u32::try_from(col).ok()?,
        u32::try_from(r1).ok()?,
        u32::try_from(c1).ok()?,
    ))
}

struct CellKind {
    /// A number shown as a percentage.
    percent: bool,
    /// calamine reads the cell's content as its text (and stops at the cell's end).
    text_content: bool,
}

/// calamine's `get_datatype` attribute pass: the first of `office:value`,
/// `office:string-value`, `office:date-value`, `office:time-value`, `office:boolean-value`
/// sets the value.
fn ods_cell_kind(e: &BytesStart<'_>) -> Option<CellKind> {
    let mut value_set = false;
    let mut float = false;
    let mut is_string = false;
    let mut is_error = false;
    let mut empty_string_value = false;
    let mut percentage = false;
    for attr in RawAttrs(e.attributes_raw()) {
        let (k, v) = attr?;
        match k {
            "office:value" if !value_set => {
                float = true;
                value_set = true;
            }
            "office:string-value" | "office:date-value" | "office:time-value" if !value_set => {
                let text = quick_xml::escape::unescape(v).ok()?;
                empty_string_value = k == "office:string-value" && text.is_empty();
                value_set = true;
            }
            "office:boolean-value" if !value_set => value_set = true,
            "office:value-type" => {
                percentage = v == "percentage";
                if !value_set {
                    is_string = v == "string";
                }
            }
            "calcext:value-type" => is_error = v == "error",
            _ => {}
        }
    }
    Some(CellKind {
        percent: percentage && float,
        text_content: (!value_set && is_string) || (is_error && empty_string_value),
    })
}

/// Skips a text cell's content as calamine reads it: to the first end of a cell.
fn ods_skip_text_cell<R: BufRead>(reader: &mut Reader<R>, buf: &mut Vec<u8>) -> Option<()> {
    loop {
        buf.clear();
        match reader.read_event_into(buf).ok()? {
            Event::End(e) if e.name() == CELL || e.name() == COVERED => return Some(()),
            Event::Start(e) if e.name() == QName("office:annotation") => loop {
                buf.clear();
                match reader.read_event_into(buf).ok()? {
                    Event::End(e) if e.name() == QName("office:annotation") => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The raw (not unescaped) value of attribute `key`; `None` for a malformed attribute list,
/// which calamine refuses.
fn raw_attr<'a>(e: &'a BytesStart<'_>, key: &str) -> Option<Option<&'a str>> {
    for attr in RawAttrs(e.attributes_raw()) {
        let (k, v) = attr?;
        if k == key {
            return Some(Some(v));
        }
    }
    Some(None)
}

/// calamine's `RawAttrIter`: `key="value"` pairs of a start tag, `Some(None)` for a malformed
/// pair (after which it ends).
struct RawAttrs<'a>(&'a str);

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Option<(&'a str, &'a str)>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.0.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if rest.is_empty() {
            self.0 = rest;
            return None;
        }
        let Some((key, after)) = rest.split_once('=') else {
            self.0 = "";
            return Some(None);
        };
        let after = after.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(quote) = after.chars().next().filter(|&q| q == '"' || q == '\'') else {
            self.0 = "";
            return Some(None);
        };
        let body = after.get(1..).unwrap_or("");
        let (value, rest) = body.split_once(quote).unwrap_or((body, ""));
        self.0 = rest;
        Some(Some((
            key.trim_end_matches(|c: char| c.is_ascii_whitespace()),
            value,
        )))
    }
}

#[cfg(test)]
mod tests;
