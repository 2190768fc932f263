//! Column widths measured for Chinese text.
//!
//! Excel measures a column in widths of the digit `0` of the default font.
//! `Worksheet::autofit()` counts every character as one such width, so a
//! column of Chinese names comes out half as wide as it needs to be. Here a
//! CJK or full-width character counts 2 and anything else 1 (its *display
//! width*, as a terminal counts it), and the column width is the widest
//! display width written in it, scaled by the font size, plus padding,
//! clamped between a minimum and a maximum.

/// Display width of one character: 2 for CJK ideographs, kana, hangul,
/// full-width forms and the punctuation Chinese fonts draw full-width
/// (—, “ ”, …, arrows, circled numbers); 0 for control and combining
/// characters; 1 otherwise.
pub fn char_width(c: char) -> usize {
    let u = c as u32;
    if u < 0x20 || (0x7f..0xa0).contains(&u) {
        return 0;
    }
    if (0x0300..=0x036f).contains(&u) || (0x200b..=0x200f).contains(&u) || u == 0xfeff {
        return 0;
    }
    let wide = matches!(u,
        0x1100..=0x115f
        | 0x2014..=0x2015
        | 0x2018..=0x2019
        | 0x201c..=0x201d
        | 0x2026
        | 0x2030
        | 0x203b
        | 0x2103
        | 0x2116
        | 0x2160..=0x216b
        | 0x2190..=0x21ff
        | 0x2460..=0x24ff
        | 0x25a0..=0x25ff
        | 0x2605..=0x2606
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1f64f
        | 0x1f900..=0x1f9ff
        | 0x20000..=0x3fffd
    );
    if wide { 2 } else { 1 }
}

/// Display width of a string: the widest of its lines, each the sum of
/// `char_width`.
///
/// ```
/// use parkstat::report::display_width;
/// assert_eq!(display_width("工业增加值"), 10);
/// assert_eq!(display_width("1-8月累计"), 9);
/// assert_eq!(display_width("ab\n工业"), 4);
/// ```
pub fn display_width(s: &str) -> usize {
    s.split('\n')
        .map(|line| line.chars().map(char_width).sum())
        .max()
        .unwrap_or(0)
}

/// Excel column width (in widths of `0`) that shows `display` display units
/// of text at `font_size` points without clipping.
///
/// One display unit of 宋体/SimSun at 11 pt is about 7.3 px against the 7 px
/// of the default font's digit, and the Latin letters and digits of other
/// CJK fonts are wider still, hence the factor [`UNIT`]; two units of
/// padding keep the text off the borders.
pub fn excel_width(display: usize, font_size: f64) -> f64 {
    display as f64 * UNIT * font_scale(font_size) + PADDING
}

/// Excel width units taken by one display unit at 11 pt.
pub const UNIT: f64 = 1.15;

/// Excel width units of padding in a column.
pub const PADDING: f64 = 2.0;

/// `font_size / 11`, or 1 for a nonsensical size.
pub fn font_scale(font_size: f64) -> f64 {
    if font_size.is_finite() && font_size > 0.0 {
        font_size / 11.0
    } else {
        1.0
    }
}

/// Display units that fit on one line of a column `width` Excel units wide
/// (the inverse of [`excel_width`]).
pub fn capacity(width: f64, font_size: f64) -> f64 {
    ((width - PADDING) / (UNIT * font_scale(font_size))).max(2.0)
}

/// The widest display width seen per column, turned into Excel widths.
#[derive(Debug, Clone)]
pub struct ColumnWidths {
    seen: Vec<usize>,
    min: f64,
    max: f64,
    fixed: Vec<Option<f64>>,
}

impl ColumnWidths {
    /// A tracker whose widths (in Excel units) stay within `min..=max`.
    pub fn new(min: f64, max: f64) -> Self {
        ColumnWidths {
            seen: Vec::new(),
            min,
            max: max.max(min),
            fixed: Vec::new(),
        }
    }

    /// Record text written in column `col`.
    pub fn observe(&mut self, col: u16, text: &str) {
        self.observe_units(col, display_width(text));
    }

    /// Record text that may wrap onto `lines` lines (headers): it needs
    /// about a `lines`-th of its width, but never less than its longest word
    /// of CJK pairs.
    pub fn observe_wrapped(&mut self, col: u16, text: &str, lines: usize) {
        let lines = lines.max(1);
        let w = display_width(text);
        self.observe_units(col, w.div_ceil(lines).max(4));
    }

    /// Record a width in display units.
    pub fn observe_units(&mut self, col: u16, units: usize) {
        let i = col as usize;
        if self.seen.len() <= i {
            self.seen.resize(i + 1, 0);
        }
        self.seen[i] = self.seen[i].max(units);
    }

    /// Fix the width of a column (Excel units), ignoring what was observed.
    pub fn fix(&mut self, col: u16, width: f64) {
        let i = col as usize;
        if self.fixed.len() <= i {
            self.fixed.resize(i + 1, None);
        }
        self.fixed[i] = Some(width);
    }

    /// Number of columns known.
    pub fn len(&self) -> usize {
        self.seen.len().max(self.fixed.len())
    }

    /// No column known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The Excel width of column `col` at `font_size`, clamped.
    pub fn width(&self, col: u16, font_size: f64) -> f64 {
        let i = col as usize;
        if let Some(Some(w)) = self.fixed.get(i) {
            return *w;
        }
        let units = self.seen.get(i).copied().unwrap_or(0);
        excel_width(units, font_size).clamp(self.min, self.max)
    }
}

/// Display width of a number shown with `decimals` decimals and an
/// optional literal suffix (as the number format would show it).
pub fn number_units(value: f64, decimals: usize, suffix: &str) -> usize {
    /// Counts what would be written (a formatted number is ASCII: one unit a byte).
    struct Count(usize);
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0 += display_width(s);
            Ok(())
        }
    }
    let mut n = Count(0);
    let _ = std::fmt::Write::write_fmt(&mut n, format_args!("{:.*}", decimals, value));
    n.0 + display_width(suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_two() {
        assert_eq!(display_width("工业增加值"), 10);
        assert_eq!(display_width("（亿元）"), 8);
        assert_eq!(display_width("1-8月"), 5);
        assert_eq!(display_width("—"), 2);
        assert_eq!(display_width("↑2"), 3);
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width(""), 0);
        assert_eq!(display_width("a\tb"), 2);
    }

    #[test]
    fn number_widths_follow_the_format() {
        assert_eq!(number_units(9.96, 1, ""), 4); // "10.0"
        assert_eq!(number_units(-1234.5, 2, "%"), 9); // "-1234.50%"
        assert_eq!(number_units(0.0, 0, "亿元"), 5); // "0亿元"
    }

    #[test]
    fn widths_clamp() {
        let mut w = ColumnWidths::new(6.0, 30.0);
        w.observe(0, "工业增加值");
        w.observe(0, "ab");
        w.observe(2, &"很".repeat(100));
        assert!((w.width(0, 11.0) - (10.0 * UNIT + PADDING)).abs() < 1e-9);
        assert!((capacity(w.width(0, 11.0), 11.0) - 10.0).abs() < 1e-9);
        assert_eq!(w.width(1, 11.0), 6.0);
        assert_eq!(w.width(2, 11.0), 30.0);
        w.fix(1, 50.0);
        assert_eq!(w.width(1, 11.0), 50.0);
        assert!(w.width(0, 22.0) > w.width(0, 11.0));
    }

    #[test]
    fn wrapped_header_needs_half() {
        let mut w = ColumnWidths::new(0.0, 100.0);
        w.observe_wrapped(0, "超(欠)序时进度(百分点)", 2);
        assert_eq!(w.width(0, 11.0), excel_width(11, 11.0));
    }
}
