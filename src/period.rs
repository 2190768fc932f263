//! Finding the period (year, month) a return is for, in titles, headers, sheet names and file names.

use crate::value::normalize_text;

/// What one piece of text says about the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeriodHint {
    /// The year, when the text names one (2000–2099).
    pub year: Option<i32>,
    /// The last month covered (8 for "1-8月" and for "8月").
    pub month: Option<u32>,
    /// True for a cumulative period ("1-8月", "1-8月累计", "上半年").
    pub cumulative: bool,
}

impl PeriodHint {
    /// True when the text said nothing about the period.
    pub fn is_empty(&self) -> bool {
        self.year.is_none() && self.month.is_none()
    }
}

fn unify(s: &str) -> Vec<char> {
    normalize_text(s)
        .chars()
        .map(|c| match c {
            '—' | '–' | '~' | '～' | '至' | '到' | '―' | '_' => '-',
            c => c,
        })
        .collect()
}

fn read_num(chars: &[char], i: usize) -> (u32, usize) {
    let mut v: u32 = 0;
    let mut j = i;
    while j < chars.len() && chars[j].is_ascii_digit() && j - i < 8 {
        v = v
            .saturating_mul(10)
            .saturating_add(chars[j] as u32 - '0' as u32);
        j += 1;
    }
    (v, j - i)
}

fn valid_year(v: u32) -> Option<i32> {
    (2000..=2099).contains(&v).then_some(v as i32)
}

fn valid_month(v: u32) -> Option<u32> {
    (1..=12).contains(&v).then_some(v)
}

/// Reads a title, header or sheet name: "2022年1-8月", "（2022年1—8月）", "1-8月累计", "8月",
/// "2022年8月", "上半年", "全年".
///
/// ```
/// use parkstat::period::parse_text_period;
/// let p = parse_text_period("青林县工业园区主要经济指标（2022年1—8月）");
/// assert_eq!((p.year, p.month, p.cumulative), (Some(2022), Some(8), true));
/// assert_eq!(parse_text_period("8月").month, Some(8));
/// ```
pub fn parse_text_period(text: &str) -> PeriodHint {
    let c = unify(text);
    let mut hint = PeriodHint::default();
    let s: String = c.iter().collect();
    if s.contains("上半年") {
        hint.month = Some(6);
        hint.cumulative = true;
    } else if s.contains("前三季度") {
        hint.month = Some(9);
        hint.cumulative = true;
    } else if s.contains("一季度") && !s.contains("季度末") {
        hint.month = Some(3);
        hint.cumulative = true;
    }
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (v, n) = read_num(&c, i);
        let next = c.get(i + n).copied();
        if n == 4 && next == Some('年') {
            hint.year = hint.year.or(valid_year(v));
        } else if n <= 2 && next == Some('-') {
            // "1-8月"
            let j = i + n + 1;
            if j < c.len() && c[j].is_ascii_digit() {
                let (to, m) = read_num(&c, j);
                if c.get(j + m) == Some(&'月') && m <= 2 {
                    if let (Some(_), Some(to)) = (valid_month(v), valid_month(to)) {
                        hint.month = hint.month.or(Some(to));
                        hint.cumulative = true;
                    }
                    i = j + m + 1;
                    continue;
                }
            } else if c.get(j..j + 3) == Some(&['本', '月', '累']) {
                hint.cumulative = true;
            }
        } else if n <= 2 && next == Some('月') {
            let prev_digit = i > 0 && c[i - 1].is_ascii_digit();
            if !prev_digit {
                hint.month = hint.month.or(valid_month(v));
                if c.get(i + n + 1..i + n + 3) == Some(&['累', '计']) {
                    hint.cumulative = true;
                }
            }
        }
        i += n.max(1);
    }
    if s.contains("全年")
        && hint.month.is_none()
        && !s.contains("预计")
        && !s.contains("目标")
        && !s.contains("上年")
    {
        hint.month = Some(12);
        hint.cumulative = true;
    }
    hint
}

/// Reads a file name: "2022-08 园区月报.xlsx", "202208.xls", "2022.8", "2022年8月…", "2022_08".
///
/// ```
/// use parkstat::period::parse_file_period;
/// let p = parse_file_period("2022-08 青林县工业园区.xlsx");
/// assert_eq!((p.year, p.month), (Some(2022), Some(8)));
/// assert_eq!(parse_file_period("202207.xls").month, Some(7));
/// assert_eq!(parse_file_period("2022 东山工业园月报.xlsx").month, None);
/// ```
pub fn parse_file_period(name: &str) -> PeriodHint {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let text = parse_text_period(stem);
    if text.month.is_some() && text.year.is_some() {
        return text;
    }
    let c = unify(stem);
    let mut hint = text;
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let (v, n) = read_num(&c, i);
        if n == 6 {
            if let (Some(y), Some(m)) = (valid_year(v / 100), valid_month(v % 100)) {
                hint.year = hint.year.or(Some(y));
                hint.month = hint.month.or(Some(m));
            }
        } else if n == 4
            && let Some(y) = valid_year(v)
        {
            hint.year = hint.year.or(Some(y));
            let sep = c.get(i + 4).copied();
            if matches!(sep, Some('-') | Some('.') | Some('/')) {
                let (m, k) = read_num(&c, i + 5);
                if (1..=2).contains(&k) && !c.get(i + 5 + k).is_some_and(|ch| ch.is_ascii_digit()) {
                    hint.month = hint.month.or(valid_month(m));
                }
            }
        }
        i += n.max(1);
    }
    hint
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles() {
        let p = parse_text_period("（2022年1-8月）");
        assert_eq!(
            p,
            PeriodHint {
                year: Some(2022),
                month: Some(8),
                cumulative: true
            }
        );
        let p = parse_text_period("2022年1—8月");
        assert_eq!(p.month, Some(8));
        assert_eq!(parse_text_period("1-8月累计").month, Some(8));
        assert_eq!(parse_text_period("1～12月").month, Some(12));
        assert_eq!(parse_text_period("1-2月").month, Some(2));
        let p = parse_text_period("2022年8月");
        assert_eq!(
            (p.year, p.month, p.cumulative),
            (Some(2022), Some(8), false)
        );
        assert_eq!(parse_text_period("上半年").month, Some(6));
        assert!(parse_text_period("主要经济指标完成情况表").is_empty());
        assert_eq!(parse_text_period("1-本月累计").month, None);
        assert_eq!(parse_text_period("13月").month, None);
        assert_eq!(parse_text_period("上年同期").month, None);
    }

    #[test]
    fn file_names() {
        let p = parse_file_period("2022-08 园区月报.xlsx");
        assert_eq!((p.year, p.month), (Some(2022), Some(8)));
        let p = parse_file_period("202208.xls");
        assert_eq!((p.year, p.month), (Some(2022), Some(8)));
        let p = parse_file_period("月报2022.7.xls");
        assert_eq!((p.year, p.month), (Some(2022), Some(7)));
        let p = parse_file_period("2022年1-8月报表.xlsx");
        assert_eq!((p.year, p.month), (Some(2022), Some(8)));
        let p = parse_file_period("2022 东山.xlsx");
        assert_eq!((p.year, p.month), (Some(2022), None));
        assert!(parse_file_period("report.xlsx").is_empty());
    }
}
