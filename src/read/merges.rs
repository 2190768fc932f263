//! Merged ranges of an xlsx worksheet, found by a byte scan of its XML.
//!
//! calamine finds merged ranges by parsing the whole worksheet a second time with quick-xml;
//! on the small returns of a batch that costs as much as reading the cells. The `<mergeCell
//! ref="A1:C2"/>` elements are simple enough to find with a substring search over the inflated
//! bytes, fed chunk by chunk (a tag split between two chunks is carried over).

/// A merged range, 0-based and inclusive: (first row, first column, last row, last column).
pub type MergeRef = (u32, u32, u32, u32);

use super::guard::{MAX_COLUMNS, MAX_ROWS, RefParse, parse_ref};

/// Bytes kept between chunks when no tag is open: enough for a split `<prefix:mergeCell`.
const KEEP: usize = 64;
/// A tag longer than this is not a merge reference (stops an unclosed tag from growing).
const MAX_TAG: usize = 4096;
/// At most this many ranges per sheet (a real sheet has a few dozen).
const MAX_MERGES: usize = 100_000;

/// Streaming scanner: [`MergeScan::feed`] every chunk, then [`MergeScan::finish`].
#[derive(Debug, Default)]
pub struct MergeScan {
    pending: Vec<u8>,
    found: Vec<MergeRef>,
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
    }

    /// The ranges found, in document order.
    pub fn finish(mut self) -> Vec<MergeRef> {
        scan(&self.pending, &mut self.found);
        self.found
    }
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
        s.finish()
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
        }
        let _ = s.finish();
    }
}
