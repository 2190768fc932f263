//! Turning what a cell holds into a number, the way a statistician reads it.
//!
//! Returns hold numbers as numbers, as text ("12.35", "1,234.5", "１２．５", "－3.2"), as
//! percentages ("7.5%", "7.5％", or 0.075 in a cell formatted as a percentage), as growth in words
//! ("增长2.9倍", "下降3.4%", "持平") and as missing markers ("—", "/", "…"), which are never zero.

use unicode_normalization::UnicodeNormalization;

/// The content of one cell, independent of the file format.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Nothing in the cell.
    Empty,
    /// A number; `percent` is true when the cell's number format is a percentage (0.075 shown as 7.5%).
    Number {
        /// The stored number.
        value: f64,
        /// The number format shows it as a percentage.
        percent: bool,
    },
    /// Text, as stored.
    Text(String),
    /// A boolean (rare in returns).
    Bool(bool),
    /// An error value such as `#DIV/0!`.
    Error(String),
}

impl CellValue {
    /// True for an empty cell or one holding only white space.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as display text (numbers in their shortest form), for labels and headers.
    pub fn as_text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Number { value, .. } => format_number(*value),
            CellValue::Text(s) => s.clone(),
            CellValue::Bool(b) => b.to_string(),
            CellValue::Error(e) => e.clone(),
        }
    }
}

/// Formats a number without a trailing ".0" for whole numbers.
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// What a cell means as a figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    /// A missing marker or a blank: no figure (never zero).
    Missing,
    /// A number. `percent` is true when the cell said so itself ("7.5%", a percent format, a
    /// growth in words); the value is then already in percent (7.5 means 7.5%).
    Number {
        /// The value (in percent when `percent`).
        value: f64,
        /// The cell itself marked it as a percentage.
        percent: bool,
    },
    /// A growth that has no number but a word: 扭亏, 新增, 减亏 ….
    Note(String),
    /// Text that is not a figure.
    NotANumber(String),
}

const MISSING_MARKERS: &[&str] = &[
    "",
    "-",
    "--",
    "—",
    "——",
    "―",
    "/",
    "//",
    "×",
    "x",
    "X",
    "…",
    "……",
    "...",
    "一",
    "无",
    "空",
    "N/A",
    "n/a",
    "NA",
    "#N/A",
    "不适用",
    "暂无",
    "未统计",
    "无数据",
    "不详",
    "未填报",
    "未报",
];

const NOTE_WORDS: &[&str] = &[
    "扭亏为盈",
    "扭亏",
    "减亏",
    "增亏",
    "新增",
    "由亏转盈",
    "转亏",
    "亏损",
];

/// Normalises text as the reader sees it: NFKC (full-width digits, signs and punctuation become
/// half-width), every kind of dash used as a minus sign made '-', white space removed.
pub fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // fast path: a text of ASCII, ideographs, full-width forms and CJK punctuation (most cells,
    // "实缴税金（万元）", "单位：亿元、%") is normalised character by character, none of these
    // composing with a neighbour; the test `normalize_by_char_is_nfkc` checks every such
    // character against NFKC
    if s.chars().all(by_char) {
        for c in s.chars() {
            match c {
                c if c.is_whitespace() => {}
                '\u{FF01}'..='\u{FF5E}' => {
                    out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
                }
                c => out.push(c),
            }
        }
        return out;
    }
    for c in s.nfkc() {
        match c {
            c if c.is_whitespace() => {}
            '\u{2212}' | '\u{2013}' | '\u{FE63}' => out.push('-'),
            c => out.push(c),
        }
    }
    out
}

/// Characters [`normalize_text`] normalises one by one: ASCII, CJK unified ideographs, the
/// full-width forms of ASCII (U+FF01–FF5E, NFKC: the ASCII character) and the ideographic space
/// and CJK punctuation up to U+3035 (NFKC-stable; U+3036 onwards may decompose).
fn by_char(c: char) -> bool {
    c.is_ascii()
        || ('\u{4E00}'..='\u{9FFF}').contains(&c)
        || ('\u{FF01}'..='\u{FF5E}').contains(&c)
        || ('\u{3000}'..='\u{3035}').contains(&c)
}

/// Parses one cell into a figure.
///
/// ```
/// use parkstat::value::{parse_cell, CellValue, Parsed};
/// let t = |s: &str| parse_cell(&CellValue::Text(s.into()));
/// assert_eq!(t("1,234.5"), Parsed::Number { value: 1234.5, percent: false });
/// assert_eq!(t("１２．５％"), Parsed::Number { value: 12.5, percent: true });
/// assert_eq!(t("下降3.4%"), Parsed::Number { value: -3.4, percent: true });
/// assert_eq!(t("增长2.9倍"), Parsed::Number { value: 290.0, percent: true });
/// assert_eq!(t("—"), Parsed::Missing);
/// let pct = CellValue::Number { value: 0.075, percent: true };
/// assert_eq!(parse_cell(&pct), Parsed::Number { value: 7.5, percent: true });
/// ```
pub fn parse_cell(cell: &CellValue) -> Parsed {
    match cell {
        CellValue::Empty => Parsed::Missing,
        CellValue::Number { value, percent } => {
            if !value.is_finite() {
                Parsed::Missing
            } else if *percent {
                Parsed::Number {
                    value: round_sig(value * 100.0),
                    percent: true,
                }
            } else {
                Parsed::Number {
                    value: *value,
                    percent: false,
                }
            }
        }
        CellValue::Bool(_) => Parsed::NotANumber(cell.as_text()),
        CellValue::Error(_) => Parsed::Missing,
        CellValue::Text(s) => parse_text(s),
    }
}

/// Removes the float noise that `0.075 * 100.0` leaves (7.500000000000001).
fn round_sig(v: f64) -> f64 {
    let r = (v * 1e9).round() / 1e9;
    if r.is_finite() { r } else { v }
}

/// Parses text that should hold a figure. See [`parse_cell`].
pub fn parse_text(raw: &str) -> Parsed {
    let s = normalize_text(raw);
    if MISSING_MARKERS.contains(&s.as_str())
        || s.chars()
            .all(|c| c == '-' || c == '—' || c == '…' || c == '.')
    {
        return Parsed::Missing;
    }
    if s == "持平" || s == "同比持平" || s == "与上年持平" {
        return Parsed::Number {
            value: 0.0,
            percent: true,
        };
    }
    if let Some(v) = parse_plain(&s) {
        return v;
    }
    if let Some(v) = parse_growth_words(&s) {
        return v;
    }
    // a footnote mark or a note in brackets after the number: "12.5*", "12.5（快报）"
    if let Some(bare) = strip_trailing_note(&s)
        && let Some(v) = parse_plain(bare).or_else(|| parse_growth_words(bare))
    {
        return v;
    }
    for w in NOTE_WORDS {
        if s.contains(w) {
            return Parsed::Note((*w).to_string());
        }
    }
    Parsed::NotANumber(raw.trim().to_string())
}

/// A plain number with optional sign, thousands separators, trailing % or 个百分点.
fn parse_plain(s: &str) -> Option<Parsed> {
    let (body, percent) = if let Some(b) = s.strip_suffix('%') {
        (b, true)
    } else if let Some(b) = s.strip_suffix("个百分点") {
        (b, true)
    } else if let Some(b) = s.strip_suffix("百分点") {
        (b, true)
    } else {
        (s, false)
    };
    let body = body.strip_prefix('+').unwrap_or(body);
    // an accountant's negative: (3.2)
    let (body, negate) = match body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        Some(inner) if !inner.starts_with('-') => (inner, true),
        _ => (body, false),
    };
    if !well_grouped(body) {
        return None;
    }
    let cleaned: String = body
        .chars()
        .filter(|&c| c != ',' && c != '\'' && c != '_')
        .collect();
    if cleaned.is_empty() || !cleaned.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == 'E')
    {
        return None;
    }
    let value: f64 = cleaned.parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let value = if negate { -value } else { value };
    Some(Parsed::Number { value, percent })
}

/// Thousands separators (, ' _) only between groups of three digits of the whole part: "1,234.5"
/// but not "12,5" (a decimal comma, or a typo: not read as 125).
fn well_grouped(body: &str) -> bool {
    let is_sep = |c: char| matches!(c, ',' | '\'' | '_');
    if !body.contains(is_sep) {
        return true;
    }
    let whole = body.strip_prefix('-').unwrap_or(body);
    let (whole, fraction) = whole.split_once('.').unwrap_or((whole, ""));
    if fraction.contains(is_sep) {
        return false;
    }
    let mut groups = whole.split(is_sep);
    let first_ok = groups
        .next()
        .is_some_and(|g| (1..=3).contains(&g.len()) && g.bytes().all(|b| b.is_ascii_digit()));
    first_ok && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The text before a footnote mark or a bracketed note that follows a number: "12.5*" and
/// "12.5(快报)" give "12.5". `None` when there is no such mark.
fn strip_trailing_note(s: &str) -> Option<&str> {
    let marks: &[char] = &['*', '※', '△', '▲', '#'];
    let bare = s.trim_end_matches(marks);
    if bare.len() < s.len() {
        return Some(bare);
    }
    let open = s.strip_suffix(')')?.rfind('(')?;
    let bare = &s[..open];
    bare.ends_with(|c: char| c.is_ascii_digit() || c == '%')
        .then_some(bare)
}

/// "增长2.9倍" (+290%), "是上年的2.9倍" (+190%), "下降3.4%", "负增长3.4%", "增长8.5%", "减少2个".
fn parse_growth_words(s: &str) -> Option<Parsed> {
    let (sign, rest) = if let Some(r) =
        strip_any(s, &["负增长", "下降", "降低", "减少", "回落", "下滑", "减"])
    {
        (-1.0, r)
    } else if let Some(r) = strip_any(s, &["同比增长", "增长", "提高", "增加", "上升", "增"])
    {
        (1.0, r)
    } else if let Some(r) = strip_any(s, &["是上年的", "为上年的", "是上年同期的", "为上年同期的"])
    {
        // "是上年的2.9倍": the ratio, so growth = (ratio − 1) × 100.
        let n = rest_number(r.strip_suffix('倍')?)?;
        return Some(Parsed::Number {
            value: round_sig((n - 1.0) * 100.0),
            percent: true,
        });
    } else {
        return None;
    };
    if let Some(times) = rest.strip_suffix('倍') {
        let n = rest_number(times)?;
        return Some(Parsed::Number {
            value: round_sig(sign * n * 100.0),
            percent: true,
        });
    }
    match parse_plain(rest)? {
        Parsed::Number { value, percent } => Some(Parsed::Number {
            value: sign * value,
            percent,
        }),
        other => Some(other),
    }
}

fn strip_any<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes.iter().find_map(|p| s.strip_prefix(p))
}

fn rest_number(s: &str) -> Option<f64> {
    match parse_plain(s)? {
        Parsed::Number { value, .. } => Some(value),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
