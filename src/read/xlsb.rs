//! What calamine 0.38 does not expose for `.xlsb`: percent number formats and merged ranges.
//!
//! A growth cell holding 0.075 with the number format "0.0%" means 7.5 %, and a two-row header's
//! bands are merged ranges; calamine's xlsb reader gives the bare 0.075 and no merges. This
//! module reads them from the package's binary parts (MS-XLSB), as calamine reads the rest:
//!
//! * the sheets (name and part) come from the guard, which lists them as calamine does
//!   (`xl/_rels/workbook.bin.rels` and the BrtBundleSh records of `xl/workbook.bin`);
//! * `xl/styles.bin`: BrtFmt gives the number format strings, the BrtXF records inside
//!   BrtBeginCellXFs map a cell's style index to a format;
//! * each sheet part: BrtRowHdr gives the row, BrtCellRk, BrtCellReal and BrtFmlaNum carry
//!   (column, style) of a number; BrtMergeCell a merged range.
//!
//! The package is opened and its parts are read through the guard's `ZipView` (calamine's part
//! lookup, each part read within its declared size) and its record reader (calamine's record
//! framing, a record longer than calamine would read ends the part). Positions are absolute and
//! 0-based, as calamine reports them. The bytes are expected to have passed
//! [`super::guard::check`]; even so nothing here panics on file content, no size read from the
//! file sizes an allocation, and at most [`MAX_MARKS`] cells and [`MAX_MERGES`] ranges per sheet
//! are kept. On anything unexpected the scan of a part stops and keeps what it found.
#![forbid(unsafe_code)]

use std::collections::HashSet;

use super::guard::{self, Limits, XlsbRecs, ZipView, u16_at, u32_at};
use super::merges::{Hidden, MergeRef};
use super::percent::{MAX_MARKS, MAX_MERGES, Marks, builtin_percent, is_percent_format};

/// Reads the percent cells, merged ranges and hidden rows and columns of an `.xlsb` file's bytes.
pub(crate) fn xlsb_marks(bytes: &[u8], limits: &Limits) -> Marks {
    let mut out = Marks::default();
    let Some(mut zip) = guard::open_package(bytes, limits) else {
        return out;
    };
    let Some(sheets) = guard::xlsb_sheets(&mut zip) else {
        return out;
    };
    let xf_percent = records(&mut zip, "xl/styles.bin", percent_styles).unwrap_or_default();
    let mut marks = MAX_MARKS;
    for (name, path) in sheets {
        let Some(sheet) = records(&mut zip, &path, |r| scan_sheet(r, &xf_percent, &mut marks))
        else {
            continue;
        };
        // calamine keeps the last sheet of a name
        if sheet.percent.is_empty() {
            out.percent.remove(&name);
        } else {
            out.percent.insert(name.clone(), sheet.percent);
        }
        if sheet.hidden.is_empty() {
            out.hidden.remove(&name);
        } else {
            out.hidden.insert(name.clone(), sheet.hidden);
        }
        out.merges.insert(name, sheet.merges);
    }
    out
}

/// `f` on the records of the part `name`; `None` when there is no such part or it expands
/// beyond its declared size.
fn records<T>(
    zip: &mut ZipView<'_>,
    name: &str,
    f: impl FnOnce(&mut XlsbRecs<'_>) -> T,
) -> Option<T> {
    let i = zip.lookup(name)?;
    zip.with_reader(i, |r| Ok(f(&mut XlsbRecs::new(r, name.to_string()))))
        .ok()
        .flatten()
}

/// For each cell style (the BrtXF records of the cell XFs), whether its number format is a
/// percentage.
fn percent_styles(r: &mut XlsbRecs<'_>) -> Vec<bool> {
    let mut custom: HashSet<u16> = HashSet::new();
    let mut xfs = Vec::new();
    let mut in_cell_xfs = false;
    while let Some((typ, b)) = r.next_record() {
        match typ {
            // BrtFmt: ifmt, stFmtCode
            0x002C => {
                if let (Some(ifmt), Some((code, _))) =
                    (u16_at(b, 0), wide_str(b.get(2..).unwrap_or_default()))
                    && is_percent_format(&code)
                {
                    custom.insert(ifmt);
                }
            }
            0x0269 => in_cell_xfs = true,
            0x026A => break,
            // BrtXF: ixfeParent, iFmt, …
            0x002F if in_cell_xfs && xfs.len() < usize::from(u16::MAX) + 1 => {
                let ifmt = u16_at(b, 2).unwrap_or(0);
                xfs.push(builtin_percent(ifmt) || custom.contains(&ifmt));
            }
            _ => {}
        }
    }
    xfs
}

/// What one sheet part gave.
#[derive(Debug, Default)]
struct Sheet {
    percent: HashSet<(u32, u32)>,
    merges: Vec<MergeRef>,
    hidden: Hidden,
}

/// Percent-formatted numbers, merged ranges and hidden rows and columns of one sheet part.
fn scan_sheet(r: &mut XlsbRecs<'_>, xf_percent: &[bool], marks: &mut usize) -> Sheet {
    let mut out = Sheet::default();
    let mut row = 0u32;
    let mut in_data = false;
    let any_percent = xf_percent.contains(&true);
    while let Some((typ, b)) = r.next_record() {
        match typ {
            0x0091 => in_data = true,
            0x0092 => in_data = false,
            // BrtRowHdr: rw, ixfe, miyRw, then flags whose bit 0x10 of the 12th byte is fDyZero
            // (the row is hidden)
            0x0000 if in_data => {
                row = u32_at(b, 0).unwrap_or(row);
                // bits 0-2 of that byte: the outline level (a row folded away in an outline is
                // no row taken out)
                if b.get(11).is_some_and(|f| f & 0x10 != 0 && f & 0x07 == 0)
                    && row < super::guard::MAX_ROWS
                {
                    out.hidden.push_row(row, row);
                }
            }
            // BrtColInfo: colFirst, colLast, coldx, ixfe, flags (bit 0: fHidden)
            0x003C => {
                if let (Some(c0), Some(c1), Some(flags)) =
                    (u32_at(b, 0), u32_at(b, 4), u16_at(b, 16))
                    && flags & 1 != 0
                    && flags & 0x0700 == 0
                    && c0 <= c1
                    && c1 < super::guard::MAX_COLUMNS
                {
                    out.hidden.push_col(c0, c1);
                }
            }
            // BrtCellRk, BrtCellReal, BrtFmlaNum: column, then a 24-bit style index
            0x0002 | 0x0005 | 0x0009 if in_data && any_percent && *marks > 0 => {
                let (Some(col), Some(style)) = (u32_at(b, 0), u32_at(b, 4)) else {
                    continue;
                };
                let style = (style & 0x00FF_FFFF) as usize;
                if xf_percent.get(style).copied().unwrap_or(false) && out.percent.insert((row, col))
                {
                    *marks -= 1;
                }
            }
            // BrtMergeCell: rwFirst, rwLast, colFirst, colLast
            0x00B0 if out.merges.len() < MAX_MERGES => {
                if let (Some(r0), Some(r1), Some(c0), Some(c1)) =
                    (u32_at(b, 0), u32_at(b, 4), u32_at(b, 8), u32_at(b, 12))
                    && r0 <= r1
                    && c0 <= c1
                    && r1 < super::guard::MAX_ROWS
                    && c1 < super::guard::MAX_COLUMNS
                {
                    out.merges.push((r0, c0, r1, c1));
                }
            }
            // BrtBeginAFilter: an AutoFilter, whose hidden rows are filtered out of the view, not
            // out of the return
            0x00A1 => out.hidden.filtered = true,
            // BrtEndSheet
            0x0082 => break,
            _ => {}
        }
    }
    out
}

/// An XLWideString (a character count, then UTF-16LE) and the bytes it took.
fn wide_str(b: &[u8]) -> Option<(String, usize)> {
    let n = u32_at(b, 0)? as usize;
    let bytes = b.get(4..4 + n.checked_mul(2)?)?;
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    Some((String::from_utf16_lossy(&units), 4 + bytes.len()))
}

#[cfg(test)]
mod tests;
