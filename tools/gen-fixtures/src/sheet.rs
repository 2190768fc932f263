//! Cell formats (宋体, borders, number formats), typed cell values and the record of every data
//! cell written, from which EXPECTED.md and expected.csv are produced.

use rust_xlsxwriter::{ColNum, Format, FormatAlign, FormatBorder, Formula, RowNum, Worksheet, XlsxError};

pub type Res<T = ()> = Result<T, Box<dyn std::error::Error>>;

pub const FONT: &str = "宋体";

pub struct Fmts {
    pub title: Format,
    pub subtitle: Format,
    pub note_left: Format,
    pub note_right: Format,
    pub header: Format,
    pub label: Format,
    pub label_center: Format,
    pub label_bold: Format,
    pub num: [Format; 4],
    pub num_thousands: [Format; 4],
    pub pct: Format,
    pub text_num: Format,
    pub missing: Format,
    pub footer: Format,
}

impl Fmts {
    pub fn new() -> Fmts {
        Fmts::build(false)
    }

    /// Only Excel's built-in number formats ("0", "0.00", "#,##0.00", "0.00%"): for the workbook
    /// converted to BIFF5 by Gnumeric, which numbers custom formats from 50, the ids of the CJK
    /// built-in date formats, so that calamine would read those cells as dates.
    pub fn builtin_only() -> Fmts {
        Fmts::build(true)
    }

    fn build(builtin_only: bool) -> Fmts {
        let base = Format::new().set_font_name(FONT).set_font_size(11);
        let cell = base.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let num = |f: &str| cell.clone().set_align(FormatAlign::Right).set_num_format(f);
        Fmts {
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: base.clone().set_font_size(12).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            note_left: base.clone().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
            note_right: base.clone().set_align(FormatAlign::Right).set_align(FormatAlign::VerticalCenter),
            header: cell.clone().set_bold().set_align(FormatAlign::Center).set_text_wrap(),
            label: cell.clone().set_align(FormatAlign::Left),
            label_center: cell.clone().set_align(FormatAlign::Center),
            label_bold: cell.clone().set_bold().set_align(FormatAlign::Left),
            num: if builtin_only {
                [num("0"), num("0.00"), num("0.00"), num("0.00")]
            } else {
                [num("0"), num("0.0"), num("0.00"), num("0.000")]
            },
            num_thousands: if builtin_only {
                [num("#,##0"), num("#,##0.00"), num("#,##0.00"), num("#,##0.00")]
            } else {
                [num("#,##0"), num("#,##0.0"), num("#,##0.00"), num("#,##0.000")]
            },
            pct: num(if builtin_only { "0.00%" } else { "0.0%" }),
            text_num: cell.clone().set_align(FormatAlign::Right),
            missing: cell.clone().set_align(FormatAlign::Center),
            footer: base.clone().set_align(FormatAlign::Left),
        }
    }
}

/// A data cell as written.
#[derive(Clone, Debug)]
pub enum Val {
    /// A number with `dec` decimals shown (thousands separators when `sep`).
    Num { x: f64, dec: usize, sep: bool },
    /// Text as written, and the number it means (None: it means no number, e.g. 扭亏).
    Text(String, Option<f64>),
    /// A fraction with the "0.0%" number format: 0.075 means 7.5 (%).
    Pct(f64),
    /// A missing marker ("—", "/", …); "" is a blank cell.
    Missing(&'static str),
    /// A formula with its cached result.
    Formula { f: String, result: f64, dec: usize, sep: bool },
}

impl Val {
    pub fn num(x: f64, dec: usize) -> Val {
        Val::Num { x, dec, sep: false }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Val::Num { .. } => "number",
            Val::Text(..) => "text",
            Val::Pct(_) => "number_percent_format",
            Val::Missing("") => "blank",
            Val::Missing(_) => "missing_marker",
            Val::Formula { .. } => "formula",
        }
    }

    /// The cell content as written (numbers as the f64 stored, shortest round-trip form).
    pub fn written(&self) -> String {
        match self {
            Val::Num { x, .. } | Val::Pct(x) => format!("{x}"),
            Val::Text(s, _) => s.clone(),
            Val::Missing(s) => s.to_string(),
            Val::Formula { f, result, .. } => format!("{f} → {result}"),
        }
    }

    /// The number the reader should derive (percent as percent).
    pub fn meaning(&self) -> Option<f64> {
        match self {
            Val::Num { x, .. } => Some(*x),
            Val::Text(_, m) => *m,
            Val::Pct(x) => Some(crate::data::round(x * 100.0, 6)),
            Val::Missing(_) => None,
            Val::Formula { result, .. } => Some(*result),
        }
    }
}

/// Where a data cell belongs, for the expected-values record.
#[derive(Clone, Debug, Default)]
pub struct Key {
    /// The row's label as written (指标名称, 企业名称, 园区名称).
    pub row_label: String,
    /// The column's header path as written ("1-8月/累计", "工业总产值/本月数").
    pub col_label: String,
    /// Park or enterprise.
    pub entity: String,
    /// Indicator code.
    pub indicator: String,
    /// Industry code for enterprise rows and 小计 rows.
    pub industry: String,
    /// month | cum | prior_cum | growth | prior_year | target.
    pub role: String,
    /// Unit of the value (percent for growth).
    pub unit: String,
    /// Period, e.g. 2022-01..08 for a 1-8月 cumulative.
    pub period: String,
}

#[derive(Clone, Debug)]
pub struct Rec {
    pub file: String,
    pub sheet: String,
    pub table: String,
    pub row: RowNum,
    pub col: ColNum,
    pub key: Key,
    pub val: Val,
}

pub fn a1(row: RowNum, col: ColNum) -> String {
    let mut c = col as u32 + 1;
    let mut s = Vec::new();
    while c > 0 {
        let r = (c - 1) % 26;
        s.push((b'A' + r as u8) as char);
        c = (c - 1) / 26;
    }
    s.iter().rev().collect::<String>() + &(row + 1).to_string()
}

pub struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    pub f: &'a Fmts,
    pub recs: Option<&'a mut Vec<Rec>>,
    pub file: String,
    pub sheet: String,
    pub table: String,
}

impl<'a> Sheet<'a> {
    pub fn text(&mut self, row: RowNum, col: ColNum, s: &str, fmt: &Format) -> Result<(), XlsxError> {
        if s.is_empty() {
            self.ws.write_blank(row, col, fmt)?;
        } else {
            self.ws.write_string_with_format(row, col, s, fmt)?;
        }
        Ok(())
    }

    pub fn merge(&mut self, r1: RowNum, c1: ColNum, r2: RowNum, c2: ColNum, s: &str, fmt: &Format) -> Result<(), XlsxError> {
        if r1 == r2 && c1 == c2 {
            return self.text(r1, c1, s, fmt);
        }
        self.ws.merge_range(r1, c1, r2, c2, s, fmt)?;
        Ok(())
    }

    pub fn put(&mut self, row: RowNum, col: ColNum, v: &Val) -> Result<(), XlsxError> {
        let f = self.f;
        match v {
            Val::Num { x, dec, sep } => {
                let fmt = if *sep { &f.num_thousands[*dec] } else { &f.num[*dec] };
                self.ws.write_number_with_format(row, col, *x, fmt)?;
            }
            Val::Text(s, _) => {
                self.ws.write_string_with_format(row, col, s, &f.text_num)?;
            }
            Val::Pct(x) => {
                self.ws.write_number_with_format(row, col, *x, &f.pct)?;
            }
            Val::Missing(s) => {
                if s.is_empty() {
                    self.ws.write_blank(row, col, &f.missing)?;
                } else {
                    self.ws.write_string_with_format(row, col, *s, &f.missing)?;
                }
            }
            Val::Formula { f: formula, result, dec, sep } => {
                let fmt = if *sep { &f.num_thousands[*dec] } else { &f.num[*dec] };
                let formula = Formula::new(formula).set_result(format!("{result}"));
                self.ws.write_formula_with_format(row, col, formula, fmt)?;
            }
        }
        Ok(())
    }

    /// Writes a data cell and records it.
    pub fn data(&mut self, row: RowNum, col: ColNum, v: Val, key: Key) -> Result<(), XlsxError> {
        self.put(row, col, &v)?;
        if let Some(recs) = self.recs.as_mut() {
            recs.push(Rec {
                file: self.file.clone(),
                sheet: self.sheet.clone(),
                table: self.table.clone(),
                row,
                col,
                key,
                val: v,
            });
        }
        Ok(())
    }
}

/// "1234.5" → "1,234.5".
pub fn thousands(x: f64, dec: usize) -> String {
    let s = format!("{:.*}", dec, x.abs());
    let (int, frac) = match s.find('.') {
        Some(i) => (&s[..i], &s[i..]),
        None => (&s[..], ""),
    };
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}{}{}", if x < 0.0 { "-" } else { "" }, out, frac)
}

/// ASCII digits and punctuation → full-width forms ("12.5" → "１２．５").
pub fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' | '.' | ',' | '%' | '-' | '+' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap(),
            c => c,
        })
        .collect()
}

/// Only the minus sign full-width: "-3.2" → "－3.2".
pub fn fullwidth_minus(s: &str) -> String {
    s.replace('-', "－")
}
