//! Making names and strings safe to put in a workbook.
//!
//! Park names, file names and messages come from other people's
//! spreadsheets. Before they reach Excel they must obey its rules: sheet
//! names of at most 31 characters without `[]:*?/\`, unique regardless of
//! case; cell text of at most 32,767 characters without control characters.
//! Numbers must be finite.

use std::collections::HashSet;

/// Excel's limit on a sheet name, in UTF-16 code units.
pub const SHEET_NAME_MAX: usize = 31;

/// Excel's limit on the text of one cell, in UTF-16 code units.
pub const CELL_TEXT_MAX: usize = 32_767;

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Cut `s` to at most `max` UTF-16 code units, on a character boundary.
fn cut_utf16(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        used += c.len_utf16();
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// A legal sheet name made from `raw` (uniqueness aside).
///
/// The characters Excel forbids are replaced by their full-width forms,
/// which Excel accepts and a Chinese reader reads the same (`[` → `［`,
/// `:` → `：`, `/` → `／` …); control characters are dropped; apostrophes
/// are trimmed from both ends; the result is cut to 31 characters; an empty
/// result, or Excel's reserved `History`, becomes `Sheet` / `History_`.
///
/// ```
/// use parkstat::report::sheet_name;
/// assert_eq!(sheet_name("A/B:园区?"), "A／B：园区？");
/// assert_eq!(sheet_name("'x'"), "x");
/// assert_eq!(sheet_name(&"园".repeat(40)).chars().count(), 31);
/// ```
pub fn sheet_name(raw: &str) -> String {
    let mapped: String = raw
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            other => other,
        })
        .collect();
    let trimmed = mapped.trim().trim_matches('\'').trim();
    let mut name = cut_utf16(trimmed, SHEET_NAME_MAX)
        .trim_end_matches('\'')
        .to_string();
    if name.trim().is_empty() {
        name = "Sheet".to_string();
    }
    if name.eq_ignore_ascii_case("history") {
        name.push('_');
    }
    name
}

/// Hands out sheet names that are legal and unique case-insensitively, as
/// Excel requires: a name already taken gets ` (2)`, ` (3)` … appended,
/// cutting the base so the whole stays within 31 characters.
#[derive(Debug, Default, Clone)]
pub struct SheetNames {
    taken: HashSet<String>,
}

impl SheetNames {
    /// No name taken yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A legal name for `raw` that no earlier call returned (ignoring case).
    pub fn unique(&mut self, raw: &str) -> String {
        let base = sheet_name(raw);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate.to_lowercase()) {
            let suffix = format!("({n})");
            let room = SHEET_NAME_MAX - suffix.len();
            let stem = cut_utf16(&base, room).trim_end_matches('\'');
            candidate = format!("{stem}{suffix}");
            n += 1;
        }
        self.taken.insert(candidate.to_lowercase());
        candidate
    }
}

/// Text made safe for a cell: control characters other than newline and
/// tab are dropped (`\r\n` becomes `\n`) and text over Excel's 32,767
/// characters is cut, ending in `…`. A leading `=` is kept: every string is
/// written with `write_string`, so it stays text and never becomes a formula.
pub fn cell_text(s: &str) -> String {
    cell_text_cow(s).into_owned()
}

/// [`cell_text`] without a copy when the text is already safe (nearly always).
pub(crate) fn cell_text_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // a UTF-8 length within the limit bounds the UTF-16 length too
    let clean = s.len() <= CELL_TEXT_MAX
        && !s
            .chars()
            .any(|c| c == '\r' || (c != '\n' && c != '\t' && c.is_control()));
    if clean {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(cell_text_slow(s))
}

fn cell_text_slow(s: &str) -> String {
    let cleaned: String = s
        .replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !c.is_control())
        .collect();
    if utf16_len(&cleaned) <= CELL_TEXT_MAX {
        cleaned
    } else {
        let mut cut = cut_utf16(&cleaned, CELL_TEXT_MAX - 1).to_string();
        cut.push('…');
        cut
    }
}

/// Text for a chart title. rust_xlsxwriter reads a title that looks like a
/// cell reference (`Sheet1!A1`, `=(…)`, `=T[c]`) as one, so `!` and a
/// leading `=` become their full-width forms `！` and `＝`.
pub fn chart_text(s: &str) -> String {
    let s = cell_text(s).replace('!', "！");
    match s.strip_prefix('=') {
        Some(rest) => format!("＝{rest}"),
        None => s,
    }
}

/// `Some(v)` only for a finite `v`.
pub fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_become_full_width() {
        let n = sheet_name("[园区]:*?/\\");
        assert_eq!(n, "［园区］：＊？／＼");
        for bad in ['[', ']', ':', '*', '?', '/', '\\'] {
            assert!(!n.contains(bad));
        }
    }

    #[test]
    fn apostrophes_length_and_empty() {
        assert_eq!(sheet_name("'''"), "Sheet");
        assert_eq!(sheet_name(""), "Sheet");
        assert_eq!(sheet_name("O'Brien"), "O'Brien");
        assert_eq!(sheet_name("history"), "history_");
        let long = format!("{}'x", "a".repeat(30));
        let n = sheet_name(&long);
        assert!(n.len() <= 31 && !n.ends_with('\''), "{n}");
        // A character outside the BMP counts twice.
        let emoji = "😀".repeat(20);
        assert!(utf16_len(&sheet_name(&emoji)) <= 31);
    }

    #[test]
    fn unique_case_insensitive() {
        let mut names = SheetNames::new();
        assert_eq!(names.unique("Park"), "Park");
        assert_eq!(names.unique("park"), "park(2)");
        assert_eq!(names.unique("PARK"), "PARK(3)");
        let long = "园".repeat(40);
        let a = names.unique(&long);
        let b = names.unique(&long);
        assert_ne!(a.to_lowercase(), b.to_lowercase());
        assert!(utf16_len(&b) <= 31 && b.ends_with("(2)"));
    }

    #[test]
    fn cell_text_cleans() {
        assert_eq!(cell_text("a\r\nb\u{0}c\u{7}"), "a\nbc");
        assert_eq!(cell_text("=SUM(A1)"), "=SUM(A1)");
        let long = "字".repeat(40_000);
        let c = cell_text(&long);
        assert_eq!(utf16_len(&c), CELL_TEXT_MAX);
        assert!(c.ends_with('…'));
    }

    #[test]
    fn chart_text_is_never_a_reference() {
        assert_eq!(chart_text("=Sheet1!$A$1"), "＝Sheet1！$A$1");
        assert_eq!(chart_text("工业总产值"), "工业总产值");
    }

    #[test]
    fn finite_drops_nan() {
        assert_eq!(finite(Some(f64::NAN)), None);
        assert_eq!(finite(Some(f64::INFINITY)), None);
        assert_eq!(finite(Some(1.5)), Some(1.5));
    }
}
