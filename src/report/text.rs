//! The sentences of the work report (文字材料), filled from a template.
//!
//! A template is plain text with placeholders in braces. The default one,
//! [`DEFAULT_TEMPLATE`] (the data file `templates/default.txt`), is section 一,
//! paragraphs 1–6, of a park's annual work summary with every blanked number
//! replaced by a placeholder.
//!
//! # Placeholders
//!
//! | placeholder | gives |
//! |---|---|
//! | `{period}` | `1-8月` (`1月` for January) |
//! | `{year}` / `{month}` / `{park}` | `2022` / `8` / the park name |
//! | `{CODE.field:numN}` | the number with N decimals (N = 0…6): `12.35` |
//! | `{CODE.field:int}` | the number with no decimals: `3` |
//! | `{CODE.field:growth}` | `增长8.5%` / `下降3.4%` / `持平` |
//! | `{CODE.field:pp}` | `提高2.1个百分点` / `降低0.4个百分点` / `持平` |
//! | `{CODE.field:schedule}` | `超序时进度1.9个百分点` / `欠序时进度3.0个百分点` / `与序时进度持平` |
//! | `{CODE.field:drop}` | for a rate of decrease: `降低3.5%` / `上升1.2%` / `持平` |
//! | `{CODE.field:delta}` | for a count difference: `增加3` / `减少2` / `持平` |
//!
//! `growth`, `pp`, `schedule`, `drop` and `delta` take an optional number of
//! decimals too (`growth2`); they default to 1 decimal (`delta` to 0).
//! `{{` and `}}` are literal braces.
//!
//! `CODE` is an indicator code of the catalogue (`IND_VA`); `field` is one of
//! [`FIELDS`]: `ytd`, `ytd_growth`, `projection`, `projection_growth`,
//! `target`, `completion`, `time_progress`, `schedule_gap_pp`,
//! `month_value`, `month_growth`, `share`, `share_change_pp`, `pull_pp`,
//! `contribution`. The figures come from a [`FigureLookup`].
//!
//! # Rounding and signs
//!
//! Numbers are first taken to 15 significant digits (as Excel does), then
//! rounded half away from zero at the shown precision, so `8.55` → `8.6`
//! and `-8.55` → `-8.6`. `-0.0` is never shown: a value that rounds to zero
//! shows as `0.0`. The word formats decide on the *rounded* value: a growth
//! that rounds to 0 at the shown precision (exactly 0, or `0.04` at one
//! decimal) is `持平`, because "增长0.0%" would print a rise nobody can see
//! and "下降0.0%" a fall. A negative growth is always `下降3.4%`, never
//! `增长-3.4%`.
//!
//! # Missing figures
//!
//! When the lookup has no value (or a NaN / infinite one) and no note, the
//! text gets a visible gap, `【缺:工业增加值·1-8月累计】`, and
//! [`Rendered::warnings`] says where; a missing figure is never shown as 0.
//! When it has a note instead (e.g. `扭亏` for a profit growth over a loss),
//! the note is written; the word formats expand `扭亏` to `扭亏为盈`.
//!
//! An unknown placeholder, field or format, or an unmatched brace, is an
//! error naming it and its line and column: a template is checked whole,
//! before any text is sent upward.

use std::collections::HashMap;

use super::ReportError;
use super::model::{ParkTable, period_label};

/// The default template: section 一, paragraphs 1–6, of the annual work summary.
///
/// Identical to the seed document except that each blanked number (and the
/// words `增长*%` / `增长 *%` around a growth, and `降低*%` around the
/// energy-intensity decrease) is a placeholder, so that a fall reads `下降`.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/default.txt");

/// Field names a placeholder may use after the code.
pub const FIELDS: &[&str] = &[
    "ytd",
    "ytd_growth",
    "projection",
    "projection_growth",
    "target",
    "completion",
    "time_progress",
    "schedule_gap_pp",
    "month_value",
    "month_growth",
    "share",
    "share_change_pp",
    "pull_pp",
    "contribution",
];

/// Where the figures of a template come from.
///
/// `code` is a catalogue code (`IND_VA`), `field` one of [`FIELDS`].
pub trait FigureLookup {
    /// The figure, or `None` when it is not available.
    fn value(&self, code: &str, field: &str) -> Option<f64>;
    /// A word to print when there is no figure, e.g. `扭亏`, `新增`.
    fn note(&self, _code: &str, _field: &str) -> Option<String> {
        None
    }
    /// The indicator's name, used in the gap left for a missing figure.
    fn name(&self, _code: &str) -> Option<String> {
        None
    }
}

/// Park, year and month of the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextContext {
    /// Park name, for `{park}`.
    pub park: String,
    /// Year, for `{year}`.
    pub year: i32,
    /// Last month of the cumulative period, for `{period}` and `{month}`.
    pub month: u32,
}

/// A rendered text and what was missing from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The text, with gaps like `【缺:工业增加值·1-8月累计】` where figures were missing.
    pub text: String,
    /// One sentence per gap left or value refused.
    pub warnings: Vec<String>,
}

/// Figures held in maps, filled by hand or by the compute module.
///
/// ```
/// use parkstat::report::{render, FigureMap, TextContext};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mut f = FigureMap::new();
/// f.set("IND_VA", "ytd", 12.345).set("IND_VA", "ytd_growth", -3.42);
/// let ctx = TextContext { park: "某园区".into(), year: 2022, month: 8 };
/// let out = render("{period}工业增加值{IND_VA.ytd:num2}亿元，{IND_VA.ytd_growth:growth}。", &ctx, &f)?;
/// assert_eq!(out.text, "1-8月工业增加值12.35亿元，下降3.4%。");
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureMap {
    values: HashMap<(String, String), f64>,
    notes: HashMap<(String, String), String>,
    names: HashMap<String, String>,
}

impl FigureMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Set a figure.
    pub fn set(&mut self, code: &str, field: &str, value: f64) -> &mut Self {
        self.values
            .insert((code.to_string(), field.to_string()), value);
        self
    }

    /// Set the note printed when a figure is missing (`扭亏`).
    pub fn set_note(&mut self, code: &str, field: &str, note: &str) -> &mut Self {
        self.notes
            .insert((code.to_string(), field.to_string()), note.to_string());
        self
    }

    /// Set an indicator's name.
    pub fn set_name(&mut self, code: &str, name: &str) -> &mut Self {
        self.names.insert(code.to_string(), name.to_string());
        self
    }
}

impl FigureLookup for FigureMap {
    fn value(&self, code: &str, field: &str) -> Option<f64> {
        self.values
            .get(&(code.to_string(), field.to_string()))
            .copied()
    }
    fn note(&self, code: &str, field: &str) -> Option<String> {
        self.notes
            .get(&(code.to_string(), field.to_string()))
            .cloned()
    }
    fn name(&self, code: &str) -> Option<String> {
        self.names.get(code).cloned()
    }
}

/// A park's standard table answers for its rows: `ytd`, `ytd_growth`
/// (= `growth`, with `growth_note` as the note), `projection`,
/// `projection_growth`, `target`, `completion`, `time_progress`,
/// `schedule_gap_pp`; the name is the row's without a leading `其中：`.
impl FigureLookup for ParkTable {
    fn value(&self, code: &str, field: &str) -> Option<f64> {
        let row = self.rows.iter().find(|r| r.code == code)?;
        match field {
            "ytd" => row.ytd,
            "ytd_growth" => row.growth,
            "projection" => row.projection,
            "projection_growth" => row.projection_growth,
            "target" => row.target,
            "completion" => row.completion,
            "time_progress" => row.time_progress,
            "schedule_gap_pp" => row.schedule_gap_pp,
            _ => None,
        }
    }
    fn note(&self, code: &str, field: &str) -> Option<String> {
        let row = self.rows.iter().find(|r| r.code == code)?;
        match field {
            "ytd_growth" => row.growth_note.clone(),
            _ => None,
        }
    }
    fn name(&self, code: &str) -> Option<String> {
        let row = self.rows.iter().find(|r| r.code == code)?;
        let name = row.name.trim();
        let name = name
            .strip_prefix("其中：")
            .or_else(|| name.strip_prefix("其中:"))
            .unwrap_or(name);
        Some(name.trim().to_string())
    }
}

/// The heading of one park's part of a text that covers several parks.
///
/// ```
/// use parkstat::report::{is_park_heading, park_heading};
/// let h = park_heading("青林县工业园区", 2022, 8);
/// assert_eq!(h, "【青林县工业园区（2022年1-8月）】");
/// assert!(is_park_heading(&h));
/// assert!(!is_park_heading("【缺:工业增加值·1-8月累计】"));
/// assert!(!is_park_heading("【说明】"));
/// ```
pub fn park_heading(park: &str, year: i32, month: u32) -> String {
    format!("【{park}（{year}年1-{month}月）】")
}

/// True for a line that [`park_heading`] wrote (white space around it aside).
pub fn is_park_heading(line: &str) -> bool {
    let period = line
        .trim()
        .strip_prefix('【')
        .and_then(|l| l.strip_suffix("月）】"))
        .and_then(|l| l.rsplit_once('（'))
        .map(|(_, period)| period);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    period
        .and_then(|p| p.split_once("年1-"))
        .is_some_and(|(year, month)| digits(year.trim_start_matches('-')) && digits(month))
}

/// Render `template` for `ctx` with figures from `figures`.
///
/// # Errors
///
/// - [`ReportError::TemplateBrace`]: a `{` without its `}`, or a lone `}`.
/// - [`ReportError::TemplatePlaceholder`]: an unknown name, code or field,
///   or a figure placeholder without a format.
/// - [`ReportError::TemplateFormat`]: an unknown format after the colon.
///
/// Missing figures are not errors: they leave a gap and a warning.
pub fn render(
    template: &str,
    ctx: &TextContext,
    figures: &dyn FigureLookup,
) -> Result<Rendered, ReportError> {
    let chars: Vec<char> = template.chars().collect();
    let mut out = Rendered::default();
    let (mut line, mut column) = (1usize, 1usize);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' if chars.get(i + 1) == Some(&'{') => {
                out.text.push('{');
                i += 2;
                column += 2;
            }
            '}' if chars.get(i + 1) == Some(&'}') => {
                out.text.push('}');
                i += 2;
                column += 2;
            }
            '{' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&d| d == '}' || d == '{' || d == '\n')
                    .map(|p| p + i + 1)
                    .filter(|&j| chars[j] == '}')
                    .ok_or(ReportError::TemplateBrace { line, column })?;
                let inner: String = chars[i + 1..end].iter().collect();
                let piece = expand(&inner, ctx, figures, line, column, &mut out.warnings)?;
                out.text.push_str(&piece);
                column += end + 1 - i;
                i = end + 1;
            }
            '}' => return Err(ReportError::TemplateBrace { line, column }),
            '\n' => {
                out.text.push(c);
                line += 1;
                column = 1;
                i += 1;
            }
            _ => {
                out.text.push(c);
                column += 1;
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A word or number format of a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Num(usize),
    Growth(usize),
    Pp(usize),
    Schedule(usize),
    Drop(usize),
    Delta(usize),
}

impl Style {
    fn parse(s: &str) -> Option<Style> {
        let split = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
        let (word, digits) = s.split_at(split);
        let decimals = if digits.is_empty() {
            None
        } else {
            match digits.parse::<usize>() {
                Ok(d) if d <= 6 => Some(d),
                _ => return None,
            }
        };
        Some(match word {
            "num" => Style::Num(decimals?),
            "int" if decimals.is_none() => Style::Num(0),
            "growth" => Style::Growth(decimals.unwrap_or(1)),
            "pp" => Style::Pp(decimals.unwrap_or(1)),
            "schedule" => Style::Schedule(decimals.unwrap_or(1)),
            "drop" => Style::Drop(decimals.unwrap_or(1)),
            "delta" => Style::Delta(decimals.unwrap_or(0)),
            _ => return None,
        })
    }

    fn is_word(self) -> bool {
        !matches!(self, Style::Num(_))
    }
}

fn expand(
    inner: &str,
    ctx: &TextContext,
    figures: &dyn FigureLookup,
    line: usize,
    column: usize,
    warnings: &mut Vec<String>,
) -> Result<String, ReportError> {
    let placeholder_error = |reason: String| ReportError::TemplatePlaceholder {
        placeholder: inner.to_string(),
        line,
        column,
        reason,
    };
    let (key, format) = match inner.split_once(':') {
        Some((k, f)) => (k, Some(f)),
        None => (inner, None),
    };
    let Some((code, field)) = key.split_once('.') else {
        if let Some(f) = format {
            return Err(placeholder_error(format!(
                "'{key}' takes no format, found ':{f}'"
            )));
        }
        return match key {
            "period" => Ok(period_label(ctx.month)),
            "year" => Ok(ctx.year.to_string()),
            "month" => Ok(ctx.month.to_string()),
            "park" => Ok(ctx.park.clone()),
            _ => Err(placeholder_error(
                "expected period, year, month, park or CODE.field:format".to_string(),
            )),
        };
    };
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(placeholder_error(format!(
            "the code '{code}' is not made of letters, digits and '_'"
        )));
    }
    if !FIELDS.contains(&field) {
        return Err(placeholder_error(format!(
            "the field '{field}' is not one of {}",
            FIELDS.join(", ")
        )));
    }
    let Some(format) = format else {
        return Err(placeholder_error(
            "a figure needs a format, e.g. ':num2' or ':growth'".to_string(),
        ));
    };
    let style = Style::parse(format).ok_or_else(|| ReportError::TemplateFormat {
        format: format.to_string(),
        placeholder: inner.to_string(),
        line,
        column,
    })?;

    let raw = figures.value(code, field);
    if let Some(v) = raw.filter(|v| v.is_finite()) {
        return Ok(format_styled(v, style));
    }
    if let Some(note) = figures.note(code, field).filter(|n| !n.trim().is_empty()) {
        let note = note.trim();
        return Ok(if style.is_word() && note == "扭亏" {
            "扭亏为盈".to_string()
        } else {
            note.to_string()
        });
    }
    let name = figures.name(code).unwrap_or_else(|| code.to_string());
    let gap = format!("【缺:{}·{}】", name, field_label(field, ctx.month));
    let why = match raw {
        Some(v) => format!("is not a finite number ({v})"),
        None => "is missing".to_string(),
    };
    warnings.push(format!(
        "The figure {code}.{field} ({name}) {why}; line {line}, column {column} of the text shows the gap {gap}."
    ));
    Ok(gap)
}

/// What a field is called in the gap left for it: `1-8月累计`, `预计全年增长` ….
fn field_label(field: &str, month: u32) -> String {
    let period = period_label(month);
    match field {
        "ytd" => format!("{period}累计"),
        "ytd_growth" => format!("{period}累计增长"),
        "projection" => "预计全年".to_string(),
        "projection_growth" => "预计全年增长".to_string(),
        "target" => "全年目标".to_string(),
        "completion" => "完成率".to_string(),
        "time_progress" => "序时进度".to_string(),
        "schedule_gap_pp" => "超(欠)序时进度".to_string(),
        "month_value" => format!("{month}月当月"),
        "month_growth" => format!("{month}月当月增长"),
        "share" => "占比".to_string(),
        "share_change_pp" => "占比变化".to_string(),
        "pull_pp" => "拉动".to_string(),
        "contribution" => "贡献率".to_string(),
        other => other.to_string(),
    }
}

fn format_styled(v: f64, style: Style) -> String {
    match style {
        Style::Num(d) => format_number(v, d),
        Style::Growth(d) => worded(v, d, "增长", "下降", "%", "持平"),
        Style::Pp(d) => worded(v, d, "提高", "降低", "个百分点", "持平"),
        Style::Schedule(d) => worded(
            v,
            d,
            "超序时进度",
            "欠序时进度",
            "个百分点",
            "与序时进度持平",
        ),
        Style::Drop(d) => worded(v, d, "降低", "上升", "%", "持平"),
        Style::Delta(d) => worded(v, d, "增加", "减少", "", "持平"),
    }
}

fn worded(v: f64, decimals: usize, up: &str, down: &str, unit: &str, level: &str) -> String {
    let r = round_fixed(v, decimals);
    if r.zero {
        level.to_string()
    } else if v > 0.0 {
        format!("{up}{}{unit}", r.digits)
    } else {
        format!("{down}{}{unit}", r.digits)
    }
}

/// `v` with `decimals` decimals, rounded half away from zero, never `-0`.
///
/// ```
/// use parkstat::report::format_number;
/// assert_eq!(format_number(2.345, 2), "2.35");
/// assert_eq!(format_number(-2.345, 2), "-2.35");
/// assert_eq!(format_number(-0.04, 1), "0.0");
/// assert_eq!(format_number(1234.5, 0), "1235");
/// ```
pub fn format_number(v: f64, decimals: usize) -> String {
    let r = round_fixed(v, decimals);
    if v < 0.0 && !r.zero {
        format!("-{}", r.digits)
    } else {
        r.digits
    }
}

struct Rounded {
    /// The magnitude, e.g. `3.40`.
    digits: String,
    /// It rounds to zero.
    zero: bool,
}

fn round_fixed(v: f64, decimals: usize) -> Rounded {
    // 15 significant digits first, as Excel keeps them: 8.549999999999999 is 8.55.
    let sci = format!("{:.14e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let sig: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let point = exp + 1; // digits before the decimal point
    let (mut int, mut frac): (Vec<u8>, Vec<u8>) = if point <= 0 {
        let mut f = vec![0u8; (-point) as usize];
        f.extend_from_slice(&sig);
        (Vec::new(), f)
    } else if point as usize >= sig.len() {
        let mut i = sig.clone();
        i.resize(point as usize, 0);
        (i, Vec::new())
    } else {
        (
            sig[..point as usize].to_vec(),
            sig[point as usize..].to_vec(),
        )
    };
    frac.resize(frac.len().max(decimals + 1), 0);
    let round_up = frac[decimals] >= 5;
    frac.truncate(decimals);
    if round_up {
        let mut carry = true;
        for d in frac.iter_mut().rev().chain(int.iter_mut().rev()) {
            if *d == 9 {
                *d = 0;
            } else {
                *d += 1;
                carry = false;
                break;
            }
        }
        if carry {
            int.insert(0, 1);
        }
    }
    while int.len() > 1 && int[0] == 0 {
        int.remove(0);
    }
    if int.is_empty() {
        int.push(0);
    }
    let zero = int.iter().chain(frac.iter()).all(|&d| d == 0);
    let mut digits: String = int.iter().map(|d| char::from(b'0' + d)).collect();
    if decimals > 0 {
        digits.push('.');
        digits.extend(frac.iter().map(|d| char::from(b'0' + d)));
    }
    Rounded { digits, zero }
}

#[cfg(test)]
mod tests;
