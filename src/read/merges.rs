//! Merged ranges and hidden rows and columns of an xlsx worksheet, found by a byte scan of its
//! XML.
//!
//! calamine finds merged ranges by parsing the whole worksheet a second time with quick-xml;
//! on the small returns of a batch that costs as much as reading the cells. The `<mergeCell
//! ref="A1:C2"/>` elements are simple enough to find with a substring search over the inflated
//! bytes, fed chunk by chunk (a tag split between two chunks is carried over). So are the rows
//! and columns a statistician hid (`<row r="9" hidden="1">`, `<col min="4" max="4"
//! hidden="1"/>`), which calamine does not report at all.

/// A merged range, 0-based and inclusive: (first row, first column, last row, last column).
pub type MergeRef = (u32, u32, u32, u32);

use super::guard::{MAX_COLUMNS, MAX_ROWS, RefParse, parse_ref};

/// Bytes kept between chunks when no tag is open: enough for a split `<prefix:mergeCell`.
const KEEP: usize = 64;
/// A tag longer than this is not a merge reference (stops an unclosed tag from growing).
const MAX_TAG: usize = 4096;
/// At most this many ranges per sheet (a real sheet has a few dozen).
const MAX_MERGES: usize = 100_000;

/// Rows and columns a sheet hides, as (first, last) ranges, absolute and 0-based.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    /// Hidden rows.
    pub rows: Vec<(u32, u32)>,
    /// Hidden columns.
    pub cols: Vec<(u32, u32)>,
    /// The sheet has an AutoFilter: its hidden rows are filtered out of the view, not taken out
    /// of the return.
    pub filtered: bool,
}

impl Hidden {
    /// The rows taken out of the return: the hidden ones, unless a filter hid them.
    pub(crate) fn rows_taken_out(&self) -> &[(u32, u32)] {
        if self.filtered { &[] } else { &self.rows }
    }

    /// Most ranges kept for one sheet.
    const MAX: usize = 100_000;

    pub(crate) fn push_row(&mut self, first: u32, last: u32) {
        if self.rows.len() + self.cols.len() < Self::MAX {
            self.rows.push((first, last));
        }
    }

    pub(crate) fn push_col(&mut self, first: u32, last: u32) {
        if self.rows.len() + self.cols.len() < Self::MAX {
            self.cols.push((first, last));
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.cols.is_empty()
    }
}

/// What the scan finds in one worksheet. Positions are absolute and 0-based.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetMarks {
    /// Merged ranges, in document order.
    pub merges: Vec<MergeRef>,
    /// Hidden rows and columns.
    pub hidden: Hidden,
}

/// Streaming scanner: [`MergeScan::feed`] every chunk, then [`MergeScan::finish`].
#[derive(Debug, Default)]
pub struct MergeScan {
    pending: Vec<u8>,
    found: Vec<MergeRef>,
    hidden: HiddenScan,
}

impl MergeScan {
    /// A scanner with nothing seen yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scans the next chunk of the worksheet's XML.
    pub fn feed(&mut self, chunk: &[u8]) {
        self.pending.extend_from_slice(chunk);
        let consumed = scan(&self.pending, &mut self.found);
        self.pending.drain(..consumed.min(self.pending.len()));
        self.hidden.feed(chunk);
    }

    /// What was found.
    pub fn finish(mut self) -> SheetMarks {
        scan(&self.pending, &mut self.found);
        SheetMarks {
            merges: self.found,
            hidden: self.hidden.finish(),
        }
    }
}

/// Bytes of a chunk's end seen again with the next one: enough for a `<row …` tag whose
/// `hidden` attribute is cut off (a row tag holds a handful of short attributes).
const HIDDEN_KEEP: usize = 512;

/// The `hidden` attributes of `<row>` and `<col>` tags, chunk by chunk.
#[derive(Debug, Default)]
struct HiddenScan {
    pending: Vec<u8>,
    /// Absolute offset of `pending[0]` in the sheet's XML.
    base: usize,
    /// Absolute offset before which every `hidden` has been looked at.
    seen: usize,
    found: Hidden,
}

impl HiddenScan {
    fn feed(&mut self, chunk: &[u8]) {
        // the part of `pending` not seen yet, with a word's length before it (a split name)
        let from = self.pending.len().saturating_sub(b"autoFilter".len());
        self.pending.extend_from_slice(chunk);
        self.found.filtered |= self
            .pending
            .get(from..)
            .is_some_and(|b| memchr::memmem::find(b, b"autoFilter").is_some());
        let keep_from = self.scan(false);
        let drop = keep_from.min(self.pending.len());
        self.pending.drain(..drop);
        self.base += drop;
    }

    fn finish(mut self) -> Hidden {
        self.scan(true);
        let mut found = std::mem::take(&mut self.found);
        for v in [&mut found.rows, &mut found.cols] {
            v.sort_unstable();
            v.dedup();
        }
        found
    }

    /// Looks at every `hidden` not seen yet; returns how many leading bytes may be dropped.
    fn scan(&mut self, last: bool) -> usize {
        let finder = memchr::memmem::Finder::new(b"hidden");
        let buf = &self.pending;
        let mut pos = self.seen.saturating_sub(self.base);
        while let Some(k) = buf.get(pos..).and_then(|b| finder.find(b)) {
            let at = pos + k;
            // the attribute's tag: the nearest '<' before it, with no '>' between
            let Some(lt) = buf.get(..at).and_then(|b| memchr::memrchr(b'<', b)) else {
                pos = at + 1;
                continue;
            };
            let inside = buf
                .get(lt..at)
                .is_some_and(|t| memchr::memchr(b'>', t).is_none());
            let Some(gt) = buf.get(at..).and_then(|b| memchr::memchr(b'>', b)) else {
                if last || buf.len() - lt > MAX_TAG {
                    break;
                }
                // the tag is cut: look at it again with the next chunk
                self.seen = self.base + at;
                return lt.min(buf.len().saturating_sub(HIDDEN_KEEP));
            };
            if inside {
                let tag = buf.get(lt + 1..at + gt).unwrap_or(&[]);
                let name_end = tag
                    .iter()
                    .position(|b| b.is_ascii_whitespace() || *b == b'/')
                    .unwrap_or(tag.len());
                let name = tag.get(..name_end).unwrap_or(&[]);
                let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
                let attrs = tag.get(name_end..).unwrap_or(&[]);
                // rows or columns folded away in an outline (分级显示: outlineLevel ≥ 1) are
                // details of the rows beside them, not rows taken out of the return
                let outlined = attr(attrs, b"outlineLevel")
                    .and_then(number)
                    .is_some_and(|l| l > 0);
                let hidden = !outlined && matches!(attr(attrs, b"hidden"), Some(b"1" | b"true"));
                if hidden && local == b"row" {
                    if let Some(r) = attr(attrs, b"r").and_then(number).filter(|&r| r >= 1) {
                        self.found.push_row(r - 1, r - 1);
                    }
                } else if hidden
                    && local == b"col"
                    && let (Some(min), Some(max)) = (
                        attr(attrs, b"min").and_then(number),
                        attr(attrs, b"max").and_then(number),
                    )
                    && min >= 1
                    && max >= min
                {
                    self.found.push_col(min - 1, (max - 1).min(MAX_COLUMNS - 1));
                }
            }
            pos = at + gt + 1;
        }
        self.seen = self.base + pos.max(buf.len().saturating_sub(HIDDEN_KEEP));
        buf.len().saturating_sub(HIDDEN_KEEP)
    }
}

/// A row or column number written as plain digits.
fn number(v: &[u8]) -> Option<u32> {
    std::str::from_utf8(v).ok()?.trim().parse().ok()
}

/// Scans `buf` and returns how many leading bytes need not be seen again.
fn scan(buf: &[u8], out: &mut Vec<MergeRef>) -> usize {
    let finder = memchr::memmem::Finder::new(b"mergeCell");
    let mut pos = 0;
    while let Some(k) = buf.get(pos..).and_then(|b| finder.find(b)) {
        let at = pos + k;
        // the tag opens at the nearest '<' before the name: `<mergeCell` or `<x:mergeCell`
        let lt = buf.get(..at).and_then(|b| memchr::memrchr(b'<', b));
        let prefix = lt.and_then(|lt| buf.get(lt + 1..at)).unwrap_or(&[]);
        let name_ok = prefix.is_empty()
            || (prefix.ends_with(b":")
                && !prefix.iter().any(|b| b.is_ascii_whitespace() || *b == b'>'));
        let lt = match lt {
            Some(lt) if lt >= pos && at - lt <= KEEP && name_ok => lt,
            _ => {
                pos = at + 1;
                continue;
            }
        };
        let after = at + b"mergeCell".len();
        let Some(&next) = buf.get(after) else {
            return lt; // the name is cut: see it again with the next chunk
        };
        if !(next.is_ascii_whitespace() || next == b'/' || next == b'>') {
            pos = after; // `mergeCells`, `</mergeCell>`, text …
            continue;
        }
        let Some(gt) = buf.get(after..).and_then(|b| memchr::memchr(b'>', b)) else {
            // the tag is cut; keep it (unless it is absurdly long)
            return if buf.len() - lt > MAX_TAG {
                buf.len()
            } else {
                lt
            };
        };
        let tag = buf.get(after..after + gt).unwrap_or(&[]);
        if out.len() < MAX_MERGES
            && let Some(r) = attr(tag, b"ref").and_then(parse_range)
        {
            out.push(r);
        }
        pos = after + gt + 1;
    }
    pos.max(buf.len().saturating_sub(KEEP))
}

/// The value of attribute `key` in the attribute text of a tag.
fn attr<'a>(tag: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i < tag.len() {
        let rest = tag.get(i..)?;
        let k = memchr::memmem::find(rest, key)?;
        let start = i + k;
        let before_ok = start == 0 || tag.get(start - 1).is_some_and(u8::is_ascii_whitespace);
        let mut j = start + key.len();
        while tag.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        if before_ok && tag.get(j) == Some(&b'=') {
            j += 1;
            while tag.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            let quote = *tag.get(j)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let body = tag.get(j + 1..)?;
            let end = memchr::memchr(quote, body)?;
            return body.get(..end);
        }
        i = start + key.len();
    }
    None
}

/// `A1:C2` or `B5` → 0-based inclusive range, or `None` when it is not a cell range.
pub fn parse_range(r: &[u8]) -> Option<MergeRef> {
    let mut parts = r.split(|&b| b == b':');
    let a = parse_cell(parts.next()?)?;
    let b = match parts.next() {
        Some(p) => parse_cell(p)?,
        None => a,
    };
    if parts.next().is_some() {
        return None;
    }
    Some((a.0.min(b.0), a.1.min(b.1), a.0.max(b.0), a.1.max(b.1)))
}

/// One cell reference, read as calamine reads it (the guard's mirror of `get_row_column`).
fn parse_cell(c: &[u8]) -> Option<(u32, u32)> {
    match parse_ref(c) {
        RefParse::Ok(row, Some(col)) if row < MAX_ROWS && col < MAX_COLUMNS => Some((row, col)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: &str = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>mergeCell &lt;mergeCell ref="Z9:Z10"/&gt;</t></is></c></row></sheetData><mergeCells count="3"><mergeCell ref="A1:C1"/><mergeCell  ref = 'D2:D3' /><x:mergeCell ref="E4:F5"></x:mergeCell><mergeCell ref="$G$1:$H$2"/></mergeCells></worksheet>"#;

    fn all_at_once(xml: &[u8]) -> Vec<MergeRef> {
        let mut s = MergeScan::new();
        s.feed(xml);
        s.finish().merges
    }

    #[test]
    fn finds_every_merge_and_nothing_in_text() {
        assert_eq!(
            all_at_once(SHEET.as_bytes()),
            vec![(0, 0, 0, 2), (1, 3, 2, 3), (3, 4, 4, 5)]
        );
    }

    #[test]
    fn any_chunking_gives_the_same_ranges() {
        let want = all_at_once(SHEET.as_bytes());
        for size in 1..40 {
            let mut s = MergeScan::new();
            for chunk in SHEET.as_bytes().chunks(size) {
                s.feed(chunk);
            }
            assert_eq!(s.finish().merges, want, "chunks of {size}");
        }
    }

    /// Hidden rows and columns as Excel and WPS write them, with look-alikes that are not.
    const HIDING: &str = r#"<worksheet><cols><col min="1" max="2" width="9"/><col min="4" max="4" width="0" hidden="1" customWidth="1"/><x:col min="7" max="9" hidden="true"/><col min="10" max="10" hidden="0"/></cols><sheetData><row r="1" spans="1:7"><c r="A1" t="inlineStr"><is><t>hidden="1" &lt;row r="9" hidden="1"&gt;</t></is></c></row><row r="5" spans="1:7" ht="0" hidden="1" customHeight="1"><c r="A5"><v>1</v></c></row><row r="6" hidden="false"/><row hidden="1"/><row r="12" s="3" customFormat="1" hidden="1"/><row r="13" hidden="1" outlineLevel="1"/></sheetData></worksheet>"#;

    /// Rows hidden by an AutoFilter are filtered out of the view, not out of the return.
    #[test]
    fn rows_an_autofilter_hides_are_not_taken_out() {
        let sheet = HIDING.replace("</sheetData>", "</sheetData><autoFilter ref=\"A1:G12\"/>");
        for size in [1, 5, 64, sheet.len()] {
            let mut s = MergeScan::new();
            for chunk in sheet.as_bytes().chunks(size) {
                s.feed(chunk);
            }
            let marks = s.finish();
            assert!(marks.hidden.filtered, "chunks of {size}");
            assert!(marks.hidden.rows_taken_out().is_empty(), "chunks of {size}");
            assert_eq!(marks.hidden.cols, vec![(3, 3), (6, 8)], "chunks of {size}");
        }
    }

    #[test]
    fn finds_hidden_rows_and_columns_in_any_chunking() {
        let want = SheetMarks {
            merges: vec![],
            hidden: Hidden {
                rows: vec![(4, 4), (11, 11)],
                cols: vec![(3, 3), (6, 8)],
                filtered: false,
            },
        };
        for size in 1..HIDING.len() + 1 {
            let mut s = MergeScan::new();
            for chunk in HIDING.as_bytes().chunks(size) {
                s.feed(chunk);
            }
            assert_eq!(s.finish(), want, "chunks of {size}");
        }
    }

    #[test]
    fn ranges_are_parsed_and_bounded() {
        assert_eq!(parse_range(b"B5"), Some((4, 1, 4, 1)));
        assert_eq!(parse_range(b"C2:A1"), Some((0, 0, 1, 2)));
        assert_eq!(
            parse_range(b"XFD1048576"),
            Some((1_048_575, 16_383, 1_048_575, 16_383))
        );
        assert_eq!(parse_range(b"XFE1"), None);
        assert_eq!(parse_range(b"A0"), None);
        assert_eq!(parse_range(b"A1:B2:C3"), None);
        assert_eq!(parse_range(b"1A"), None);
        assert_eq!(parse_range(b"$A$1"), None); // calamine does not read absolute references either
        assert_eq!(parse_range(b""), None);
    }

    #[test]
    fn garbage_never_panics() {
        let junk: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let mut s = MergeScan::new();
        for c in junk.chunks(17) {
            s.feed(c);
            s.feed(b"<mergeCell ref=\"");
            s.feed(b"<row r=\"99999999999\" hidden=\"1\"");
        }
        let _ = s.finish();
    }
}
