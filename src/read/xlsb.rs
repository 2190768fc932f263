//! What calamine 0.38 does not expose for `.xlsb`: percent number formats and merged ranges.
//!
//! A growth cell holding 0.075 with the number format "0.0%" means 7.5 %, and a two-row header's
//! bands are merged ranges; calamine's xlsb reader gives the bare 0.075 and no merges. This
//! module reads them from the package's binary parts (MS-XLSB), as calamine reads the rest:
//!
//! * `xl/_rels/workbook.bin.rels` and `xl/workbook.bin` (BrtBundleSh) give each sheet's name
//!   and part (`xl/` + the relationship's target, as calamine builds it);
//! * `xl/styles.bin`: BrtFmt gives the number format strings, the BrtXF records inside
//!   BrtBeginCellXFs map a cell's style index to a format;
//! * each sheet part: BrtRowHdr gives the row, BrtCellRk, BrtCellReal and BrtFmlaNum carry
//!   (column, style) of a number; BrtMergeCell a merged range.
//!
//! Records are read with the guard's reader (calamine's record framing, a record longer than
//! calamine would read ends the part). Positions are absolute and 0-based, as calamine reports
//! them. The bytes are expected to have passed [`super::guard::check`]; even so nothing here
//! panics on file content, no size read from the file sizes an allocation, and at most
//! [`MAX_MARKS`] cells and [`MAX_MERGES`] ranges per sheet are kept. On anything unexpected the
//! scan of a part stops and keeps what it found.
#![forbid(unsafe_code)]

use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::guard::{XlsbRecs, u16_at, u32_at};
use super::merges::MergeRef;
use super::percent::{MAX_MARKS, MAX_MERGES, Marks, builtin_percent, is_percent_format};

/// The most of `xl/_rels/workbook.bin.rels` that is read.
const MAX_RELS: u64 = 4 << 20;

/// Reads the percent cells and merged ranges of an `.xlsb` file's bytes.
pub(crate) fn xlsb_marks(bytes: &[u8]) -> Marks {
    let mut out = Marks::default();
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return out;
    };
    let mut parts = Parts::new(zip);
    let rels = parts
        .read("xl/_rels/workbook.bin.rels", |r| {
            // a relationship list is a few hundred bytes; more is not read
            let mut xml = Vec::new();
            let _ = Read::take(r, MAX_RELS).read_to_end(&mut xml);
            read_rels(&xml)
        })
        .unwrap_or_default();
    let sheets = parts
        .records("xl/workbook.bin", |r| bundle_sheets(r, &rels))
        .unwrap_or_default();
    let xf_percent = parts
        .records("xl/styles.bin", percent_styles)
        .unwrap_or_default();
    let mut marks = MAX_MARKS;
    for (name, path) in sheets {
        let Some(sheet) = parts.records(&path, |r| scan_sheet(r, &xf_percent, &mut marks)) else {
            continue;
        };
        // calamine keeps the last sheet of a name
        if sheet.percent.is_empty() {
            out.percent.remove(&name);
        } else {
            out.percent.insert(name.clone(), sheet.percent);
        }
        out.merges.insert(name, sheet.merges);
    }
    out
}

/// The package's parts, found by name ignoring case (as calamine finds them).
struct Parts<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: HashMap<String, String>,
}

impl<'a> Parts<'a> {
    fn new(zip: zip::ZipArchive<Cursor<&'a [u8]>>) -> Self {
        let names = zip
            .file_names()
            .filter_map(|n| n.ok())
            .map(|n| (n.to_ascii_lowercase(), n.to_string()))
            .collect();
        Parts { zip, names }
    }

    /// `f` on the inflating reader of the part `name`; `None` when there is no such part.
    fn read<T>(&mut self, name: &str, f: impl FnOnce(&mut dyn Read) -> T) -> Option<T> {
        let real = self.names.get(&name.to_ascii_lowercase())?;
        let part = self.zip.by_name(real).ok()?;
        Some(f(&mut BufReader::new(part)))
    }

    /// `f` on the records of the binary part `name`.
    fn records<T>(&mut self, name: &str, f: impl FnOnce(&mut XlsbRecs<'_>) -> T) -> Option<T> {
        self.read(name, |r| f(&mut XlsbRecs::new(r, name.to_string())))
    }
}

/// `Id` → `Target` of the workbook's relationships.
fn read_rels(xml: &[u8]) -> HashMap<String, String> {
    let mut rels = HashMap::new();
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let attr = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                };
                if let (Some(id), Some(target)) = (attr("Id"), attr("Target")) {
                    rels.insert(id, target);
                }
            }
            Ok(Event::Eof) | Err(_) => return rels,
            _ => {}
        }
        buf.clear();
    }
}

/// (name, part) of each BrtBundleSh of `xl/workbook.bin`, in order.
fn bundle_sheets(r: &mut XlsbRecs<'_>, rels: &HashMap<String, String>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while let Some((typ, b)) = r.next_record() {
        match typ {
            // BrtBundleSh: hsState, iTabID, strRelID, strName
            0x009C => {
                let Some((rel, used)) = wide_str(b.get(8..).unwrap_or_default()) else {
                    continue;
                };
                let Some((name, _)) = wide_str(b.get(8 + used..).unwrap_or_default()) else {
                    continue;
                };
                if let Some(target) = rels.get(&rel) {
                    out.push((name, format!("xl/{target}")));
                }
            }
            // BrtEndBundleShs
            0x0090 => break,
            _ => {}
        }
    }
    out
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
}

/// Percent-formatted numbers and merged ranges of one sheet part.
fn scan_sheet(r: &mut XlsbRecs<'_>, xf_percent: &[bool], marks: &mut usize) -> Sheet {
    let mut out = Sheet::default();
    let mut row = 0u32;
    let mut in_data = false;
    let any_percent = xf_percent.contains(&true);
    while let Some((typ, b)) = r.next_record() {
        match typ {
            0x0091 => in_data = true,
            0x0092 => in_data = false,
            // BrtRowHdr
            0x0000 if in_data => row = u32_at(b, 0).unwrap_or(row),
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
