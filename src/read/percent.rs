//! Percent number formats of `.xls` and `.ods` cells, which calamine 0.38 does not expose.
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
//!   caps of 1,048,576 rows and 16,384 columns).
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
use crate::value::CellValue;

/// Percent-formatted cells of a workbook: sheet name → absolute (row, col), 0-based.
pub(crate) type PercentCells = HashMap<String, HashSet<(u32, u32)>>;

/// Most cells kept for one workbook (a repeated ODS cell counts once per repetition).
pub(crate) const MAX_MARKS: usize = 1 << 20;

/// calamine's caps on ODS rows and columns.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

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
fn builtin_percent(ifmt: u16) -> bool {
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
            None => return Sheet::done(cells),
            Some(Ok(r)) => r,
            Some(Err(_)) => return Sheet::stopped(cells),
        };
        let Some(left) = budget.bytes.checked_sub(before - s.len()) else {
            return Sheet::stopped(cells);
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
            0x000A => return Sheet::done(cells),
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
            return Sheet::stopped(cells);
        }
    }
}

/// The cells found in one sheet, and whether the scan may go on to the next sheet.
struct Sheet {
    cells: HashSet<(u32, u32)>,
    go_on: bool,
}

impl Sheet {
    fn done(cells: HashSet<(u32, u32)>) -> Sheet {
        Sheet { cells, go_on: true }
    }
    fn stopped(cells: HashSet<(u32, u32)>) -> Sheet {
        Sheet {
            cells,
            go_on: false,
        }
    }
}

/// Percent-formatted numeric cells (NUMBER, RK, MULRK, FORMULA) of an `.xls` file (BIFF8 or
/// BIFF5), by sheet name as calamine names the sheets.
pub(crate) fn xls_percent_cells(bytes: &[u8]) -> PercentCells {
    let mut out = PercentCells::new();
    let Ok(mut cfb) = cfb_open(bytes) else {
        return out;
    };
    let Ok(Some(stream)) = cfb.workbook_stream() else {
        return out;
    };
    let Some(g) = xls_globals(&stream) else {
        return out;
    };
    if !g.xf_percent.contains(&true) {
        return out;
    }
    let mut budget = Budget {
        marks: MAX_MARKS,
        bytes: stream.len().saturating_mul(2),
    };
    for (pos, name) in g.sheets {
        let sheet = xls_sheet(&stream, pos, &g.xf_percent, &mut budget);
        if !sheet.cells.is_empty() {
            // calamine keeps the last sheet of a name
            out.insert(name, sheet.cells);
        } else {
            out.remove(&name);
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

/// Percent cells (`office:value-type="percentage"` with an `office:value`) of an `.ods`
/// file's `content.xml`, by table name.
pub(crate) fn ods_percent_cells(bytes: &[u8]) -> PercentCells {
    let mut out = PercentCells::new();
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
fn ods_scan<R: BufRead>(
    reader: &mut Reader<R>,
    out: &mut PercentCells,
    budget: &mut usize,
) -> Option<()> {
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
                let r = ods_table(reader, &mut cells, budget);
                // a later table of the same name replaces an earlier one, as in calamine
                if cells.is_empty() {
                    out.remove(&name);
                } else {
                    out.insert(name, cells);
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
    budget: &mut usize,
) -> Option<()> {
    let mut buf = Vec::new();
    let mut total_rows = 0u64;
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf).ok()? {
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
                ods_row(reader, first, rows, cells, budget)?;
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
mod tests {
    use super::*;
    use crate::read::guard::tests::{biff, build_cfb, build_ods, xls_number};

    fn fixture(path: &str) -> Vec<u8> {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    fn set(cells: &[(u32, u32)]) -> HashSet<(u32, u32)> {
        cells.iter().copied().collect()
    }

    #[test]
    fn percent_format_strings() {
        for code in [
            "0%",
            "0.00%",
            "0.0%;-0.0%",
            "[Red]0.0%",
            "#,##0.0%_)",
            "0.0 %",
        ] {
            assert!(is_percent_format(code), "{code}");
        }
        for code in [
            "0.0\"%\"",
            "0.0\\%",
            "General",
            "0.00",
            "[$%-804]0.00",
            "0_%",
            "*%0",
        ] {
            assert!(!is_percent_format(code), "{code}");
        }
    }

    /// BIFF5 (Excel 95) in the GBK code page, written by Gnumeric: G15 holds 0.075 formatted as
    /// a percentage; its sheet name is GBK.
    #[test]
    fn legacy_biff5_gbk() {
        let cells = xls_percent_cells(&fixture(
            "fixtures/legacy/2022-08 青林县工业园区主要经济指标.xls",
        ));
        let names: Vec<&String> = cells.keys().collect();
        assert_eq!(names, ["主要经济指标"]);
        assert_eq!(cells.get("主要经济指标"), Some(&set(&[(14, 6)])));
    }

    /// BIFF8 written by LibreOffice from an xlsx made with rust_xlsxwriter
    /// (see fixtures/percent/README.md).
    #[test]
    fn libreoffice_biff8() {
        let cells = xls_percent_cells(&fixture("fixtures/percent/percent.xls"));
        assert_eq!(cells.len(), 2, "{cells:?}");
        assert_eq!(cells.get("增长"), Some(&expected_first_sheet()));
        assert_eq!(cells.get("Sheet2"), Some(&set(&[(2, 1)])));
    }

    #[test]
    fn libreoffice_ods() {
        let cells = ods_percent_cells(&fixture("fixtures/percent/percent.ods"));
        assert_eq!(cells.len(), 2, "{cells:?}");
        assert_eq!(cells.get("增长"), Some(&expected_first_sheet()));
        assert_eq!(cells.get("Sheet2"), Some(&set(&[(2, 1)])));
    }

    /// C2 0.075 "0.0%", E2:G2 a run of percentages, C3 "0.00%" (built-in), C4 a formula,
    /// C5 after a merged A5:B5, B10:C11 two identical rows, D100 "0%" (built-in). Not: B2
    /// "0.00", B3 General, D2 `0.0"%"`, D3 `0.0\%`, B4 a formula in General.
    fn expected_first_sheet() -> HashSet<(u32, u32)> {
        set(&[
            (1, 2),
            (1, 4),
            (1, 5),
            (1, 6),
            (2, 2),
            (3, 2),
            (4, 2),
            (9, 1),
            (9, 2),
            (10, 1),
            (10, 2),
            (99, 3),
        ])
    }

    /// calamine reads the same fixtures; the marked positions hold its numbers there.
    #[test]
    fn positions_match_calamine() {
        use calamine::{Data, Reader as _};
        for path in [
            "fixtures/percent/percent.xls",
            "fixtures/percent/percent.ods",
        ] {
            let bytes = fixture(path);
            let cells = if path.ends_with(".xls") {
                xls_percent_cells(&bytes)
            } else {
                ods_percent_cells(&bytes)
            };
            let mut wb =
                calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("calamine opens");
            for (name, set) in &cells {
                let range = wb.worksheet_range(name).expect("sheet");
                for &(r, c) in set {
                    let v = range.get_value((r, c));
                    assert!(
                        matches!(v, Some(Data::Float(_) | Data::Int(_))),
                        "{path} {name} ({r}, {c}): {v:?}"
                    );
                }
            }
            let c2 = wb
                .worksheet_range("增长")
                .expect("sheet")
                .get_value((1, 2))
                .cloned();
            assert_eq!(c2, Some(Data::Float(0.075)), "{path}");
        }
    }

    fn bof(version: u16, dt: u16) -> Vec<u8> {
        let mut d = version.to_le_bytes().to_vec();
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0u8; 12]);
        biff(0x0809, &d)
    }

    fn xf(ifmt: u16) -> Vec<u8> {
        let mut d = 0u16.to_le_bytes().to_vec();
        d.extend_from_slice(&ifmt.to_le_bytes());
        d.extend_from_slice(&[0u8; 16]);
        biff(0x00E0, &d)
    }

    fn cell(typ: u16, row: u16, col: u16, ixfe: u16, len: usize) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&ixfe.to_le_bytes());
        d.resize(len, 0);
        biff(typ, &d)
    }

    /// A BIFF8 stream: globals (XF 0 General, XF 1 built-in "0%", XF 2 custom 164 "0.0%",
    /// XF 3 custom 165 `0.0"%"`), then one sheet per entry of `sheets`.
    fn stream(sheets: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut g = bof(0x0600, 0x0005);
        for (ifmt, code) in [(164u16, "0.0%"), (165, "0.0\"%\"")] {
            let mut d = ifmt.to_le_bytes().to_vec();
            d.extend_from_slice(&(code.len() as u16).to_le_bytes());
            d.push(0);
            d.extend_from_slice(code.as_bytes());
            g.extend(biff(0x041E, &d));
        }
        for ifmt in [0u16, 9, 164, 165] {
            g.extend(xf(ifmt));
        }
        let entries: Vec<Vec<u8>> = sheets
            .iter()
            .map(|(name, _)| {
                let mut d = vec![0u8; 6];
                d.push(name.len() as u8);
                d.push(0);
                d.extend_from_slice(name.as_bytes());
                d
            })
            .collect();
        let mut pos = g.len() + entries.iter().map(|e| e.len() + 4).sum::<usize>() + 4;
        let mut bodies = Vec::new();
        for ((_, recs), mut e) in sheets.iter().zip(entries) {
            e[..4].copy_from_slice(&(pos as u32).to_le_bytes());
            g.extend(biff(0x0085, &e));
            let mut body = bof(0x0600, 0x0010);
            body.extend_from_slice(recs);
            body.extend(biff(0x000A, &[]));
            pos += body.len();
            bodies.extend(body);
        }
        g.extend(biff(0x000A, &[]));
        g.extend(bodies);
        g
    }

    #[test]
    fn xls_records() {
        let mut a = cell(0x0203, 0, 0, 0, 14); // General
        a.extend(cell(0x0203, 1, 1, 1, 14)); // "0%"
        a.extend(cell(0x027E, 2, 2, 2, 10)); // RK "0.0%"
        a.extend(cell(0x0203, 3, 3, 3, 14)); // quoted %
        a.extend(cell(0x0006, 4, 4, 2, 22)); // formula "0.0%"
        a.extend(cell(0x0203, 5, 5, 9, 14)); // XF out of range
        // MULRK row 6, columns 1..=3 with XFs 2, 0, 1
        let mut m = 6u16.to_le_bytes().to_vec();
        m.extend_from_slice(&1u16.to_le_bytes());
        for ixfe in [2u16, 0, 1] {
            m.extend_from_slice(&ixfe.to_le_bytes());
            m.extend_from_slice(&[0u8; 4]);
        }
        m.extend_from_slice(&3u16.to_le_bytes());
        a.extend(biff(0x00BD, &m));
        // a later General number replaces the percent cell at (1, 1)
        let mut b = cell(0x0203, 1, 1, 1, 14);
        b.extend(cell(0x0203, 2, 0, 2, 14));
        b.extend(cell(0x0203, 1, 1, 0, 14));
        // an embedded chart substream: its records are not cells
        b.extend(bof(0x0600, 0x0020));
        b.extend(cell(0x0203, 7, 7, 1, 14));
        b.extend(biff(0x000A, &[]));
        let wb = build_cfb(&stream(&[("A", a), ("B", b)]), "Workbook");
        let cells = xls_percent_cells(&wb);
        assert_eq!(
            cells.get("A"),
            Some(&set(&[(1, 1), (2, 2), (4, 4), (6, 1), (6, 3)]))
        );
        assert_eq!(cells.get("B"), Some(&set(&[(2, 0)])));
        // BIFF5 "Book" stream in GBK: the name is decoded as calamine decodes it
        let mut g = bof(0x0500, 0x0005);
        g.extend(biff(0x0042, &936u16.to_le_bytes()));
        g.extend(xf(10));
        let name = [0xD6u8, 0xD0, 0xCE, 0xC4]; // 中文
        let mut e = vec![0u8; 6];
        e.push(name.len() as u8);
        e.extend_from_slice(&name);
        let pos = g.len() + e.len() + 4 + 4;
        e[..4].copy_from_slice(&(pos as u32).to_le_bytes());
        g.extend(biff(0x0085, &e));
        g.extend(biff(0x000A, &[]));
        g.extend(bof(0x0500, 0x0010));
        g.extend(cell(0x0203, 3, 4, 0, 14));
        g.extend(biff(0x000A, &[]));
        let cells = xls_percent_cells(&build_cfb(&g, "Book"));
        assert_eq!(cells.get("中文"), Some(&set(&[(3, 4)])));
    }

    #[test]
    fn xls_without_percent_formats() {
        let wb = build_cfb(
            &crate::read::guard::tests::biff_stream(&[], &xls_number(0, 0, 0.5)),
            "Workbook",
        );
        assert!(xls_percent_cells(&wb).is_empty());
    }

    fn pct(v: &str, extra: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="percentage" office:value="{v}" {extra}><text:p>x</text:p></table:table-cell>"#
        )
    }

    #[test]
    fn ods_repeats_and_covered_cells() {
        let body = format!(
            concat!(
                r#"<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/>{a}</table:table-row>"#,
                r#"<table:table-row><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><office:annotation><text:p>note</text:p></office:annotation><text:p>t</text:p></table:table-cell>{b}</table:table-row>"#,
                r#"<table:table-row table:number-rows-repeated="5"><table:table-cell/></table:table-row>"#,
                r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/>{c}</table:table-row>"#,
            ),
            a = pct("0.1", r#"table:number-columns-repeated="2""#),
            b = pct("0.2", ""),
            c = pct("0.3", ""),
        );
        let cells = ods_percent_cells(&build_ods(&body, ""));
        assert_eq!(
            cells.get("Sheet1"),
            Some(&set(&[
                (0, 2),
                (0, 3),
                (1, 2),
                (1, 3),
                (2, 2),
                (2, 3),
                (3, 3),
                (9, 1)
            ]))
        );
    }

    #[test]
    fn ods_later_table_of_a_name_wins() {
        let row = |v: &str| format!("<table:table-row>{}</table:table-row>", pct(v, ""));
        let body = format!(
            r#"{}</table:table><table:table table:name="Other">{}</table:table><table:table table:name="Sheet1"><table:table-row><table:table-cell/>{}</table:table-row>"#,
            row("0.1"),
            row("0.2"),
            pct("0.3", "")
        );
        let cells = ods_percent_cells(&build_ods(&body, ""));
        assert_eq!(cells.get("Sheet1"), Some(&set(&[(0, 1)])));
        assert_eq!(cells.get("Other"), Some(&set(&[(0, 0)])));
    }

    #[test]
    fn xls_sheets_sharing_records_are_read_within_a_budget() {
        // nine sheets whose entries all point at the same 200 percent cells
        let mut g = bof(0x0600, 0x0005);
        g.extend(xf(0));
        g.extend(xf(9));
        let entry_len = 4 + 8 + 2;
        let pos = (g.len() + 9 * entry_len + 4) as u32;
        for k in 0..9u8 {
            let mut d = pos.to_le_bytes().to_vec();
            d.extend_from_slice(&[0, 0, 2, 0, b'A', b'0' + k]);
            g.extend(biff(0x0085, &d));
        }
        g.extend(biff(0x000A, &[]));
        g.extend(bof(0x0600, 0x0010));
        for r in 0..200u16 {
            g.extend(cell(0x0203, r, 0, 1, 14));
        }
        g.extend(biff(0x000A, &[]));
        let cells = xls_percent_cells(&build_cfb(&g, "Workbook"));
        assert_eq!(cells.get("A0").map(HashSet::len), Some(200));
        assert_eq!(cells.get("A1").map(HashSet::len), Some(200));
        assert!(cells.len() < 9, "{}", cells.len());
    }

    #[test]
    fn ods_caps() {
        // a percent cell repeated over every row and column: the marks stop at the budget
        let body = format!(
            r#"<table:table-row table:number-rows-repeated="4000000">{}</table:table-row>"#,
            pct("0.1", r#"table:number-columns-repeated="99999""#)
        );
        let cells = ods_percent_cells(&build_ods(&body, ""));
        let n: usize = cells.values().map(HashSet::len).sum();
        assert!(n <= MAX_MARKS, "{n}");
        assert!(
            cells
                .values()
                .flatten()
                .all(|&(r, c)| u64::from(r) < ODS_MAX_ROWS && u64::from(c) < ODS_MAX_COLUMNS)
        );
        // columns past 16,384 do not exist: a cell after them takes none
        let body = format!(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="20000"/>{}</table:table-row>"#,
            pct("0.1", "")
        );
        assert!(ods_percent_cells(&build_ods(&body, "")).is_empty());
    }

    #[test]
    fn mark_numbers_only() {
        let mut g = Grid::new("s", 2, 1, 2, 2);
        g.set(
            0,
            0,
            CellValue::Number {
                value: 0.075,
                percent: false,
            },
        );
        g.set(0, 1, CellValue::Text("x".into()));
        mark_percent(&mut g, &set(&[(2, 1), (2, 2), (0, 0), (9, 9)]));
        assert_eq!(
            g.get(0, 0),
            &CellValue::Number {
                value: 0.075,
                percent: true
            }
        );
        assert_eq!(g.get(0, 1), &CellValue::Text("x".into()));
    }

    /// calamine's own test files (when `../shared/corpus/calamine` is there): quick, and every
    /// marked cell of a file calamine opens is one of its numbers.
    #[test]
    fn corpus_sweep() {
        use crate::read::guard::{self, Format, Limits};
        use calamine::{Data, Reader as _};
        let mut marked = 0usize;
        for p in crate::read::guard::tests::corpus_files() {
            let fmt = guard::tests::format_for(&p);
            if !matches!(fmt, Some(Format::Xls | Format::Ods)) {
                continue;
            }
            let bytes = std::fs::read(&p).expect("read corpus file");
            if fmt.is_none_or(|f| guard::check(&bytes, f, &Limits::default()).is_err()) {
                continue;
            }
            let started = std::time::Instant::now();
            let cells = if fmt == Some(Format::Xls) {
                xls_percent_cells(&bytes)
            } else {
                ods_percent_cells(&bytes)
            };
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "{}",
                p.display()
            );
            let opened = std::panic::catch_unwind(|| {
                calamine::open_workbook_auto_from_rs(Cursor::new(bytes.clone())).ok()
            });
            let Ok(Some(mut wb)) = opened else {
                continue;
            };
            for (name, set) in &cells {
                eprintln!("{}: [{name}] {} percent cells", p.display(), set.len());
                let Ok(range) = wb.worksheet_range(name) else {
                    panic!("{}: no sheet {name}", p.display());
                };
                for &(r, c) in set {
                    let v = range.get_value((r, c));
                    assert!(
                        matches!(v, Some(Data::Float(_) | Data::Int(_))),
                        "{} {name} ({r}, {c}): {v:?}",
                        p.display()
                    );
                    marked += 1;
                }
            }
        }
        eprintln!("corpus_sweep: {marked} percent cells");
        if marked == 0 {
            eprintln!(
                "corpus_sweep: ../shared/corpus/calamine is absent or holds no percent cells"
            );
        }
    }

    /// Every prefix and many single-byte corruptions give a result, never a panic.
    #[test]
    fn never_panics_on_damage() {
        let samples = [
            fixture("fixtures/percent/percent.xls"),
            fixture("fixtures/percent/percent.ods"),
            fixture("fixtures/legacy/2022-08 青林县工业园区主要经济指标.xls"),
        ];
        for bytes in &samples {
            for b in crate::read::guard::tests::damaged(bytes, 97) {
                let _ = xls_percent_cells(&b);
                let _ = ods_percent_cells(&b);
            }
        }
    }
}
