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
    let chars: Vec<char> = normalize_text(s).chars().collect();
    let chars = if chars
        .iter()
        .any(|&c| chinese_digit(c).is_some() || c == '十')
    {
        chinese_numerals(&chars)
    } else {
        chars
    };
    chars
        .into_iter()
        .map(|c| match c {
            '—' | '–' | '~' | '～' | '至' | '到' | '―' | '_' => '-',
            c => c,
        })
        .collect()
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '○' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Years and months written in Chinese numerals, as official documents do, in digits:
/// "二〇二二年一至八月" → "2022年1至8月", "十二月" → "12月". A year is four numerals before 年; a
/// month is 一 … 十二 before 月 or before a range mark (至, 到, -), and only after the start, 年, a
/// bracket, a space, a comma or a range mark (统一月报 names no month), or between 前 and 个月.
fn chinese_numerals(c: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(c.len());
    let mut i = 0;
    while i < c.len() {
        let run = c[i..]
            .iter()
            .take_while(|&&ch| chinese_digit(ch).is_some() || ch == '十')
            .count();
        if run == 0 {
            out.push(c[i]);
            i += 1;
            continue;
        }
        let digits = &c[i..i + run];
        let next = c.get(i + run).copied();
        let after_boundary = i == 0
            || matches!(
                c[i - 1],
                '年' | '(' | '[' | ' ' | ',' | '、' | '-' | '至' | '到' | '—' | '~' | '～'
            );
        let year = (run == 4 && next == Some('年') && !digits.contains(&'十')).then(|| {
            digits
                .iter()
                .filter_map(|&d| chinese_digit(d))
                .collect::<Vec<_>>()
        });
        // "前八个月": the first eight months
        let months_count = i > 0 && c[i - 1] == '前' && next == Some('个');
        let month = ((after_boundary
            && matches!(next, Some('月' | '至' | '到' | '-' | '—' | '~' | '～')))
            || months_count)
            .then(|| chinese_month(digits))
            .flatten();
        match (year, month) {
            (Some(ds), _) => out.extend(ds.iter().filter_map(|&d| char::from_digit(d, 10))),
            (None, Some(m)) => out.extend(m.to_string().chars()),
            (None, None) => out.extend_from_slice(digits),
        }
        i += run;
    }
    out
}

/// 一 … 九, 十, 十一, 十二 as a month number.
fn chinese_month(digits: &[char]) -> Option<u32> {
    let v = match digits {
        ['十'] => 10,
        [d] => chinese_digit(*d)?,
        ['十', d] => 10 + chinese_digit(*d)?,
        _ => return None,
    };
    valid_month(v)
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
            // "1-3季度": the first three quarters
            if j < c.len()
                && c[j].is_ascii_digit()
                && v == 1
                && c.get(j + 1) == Some(&'季')
                && let Some(q) = c[j].to_digit(10).filter(|q| (1..=4).contains(q))
            {
                hint.month = hint.month.or(Some(q * 3));
                hint.cumulative = true;
                i = j + 2;
                continue;
            }
        } else if n <= 2
            && next == Some('个')
            && c.get(i + n + 1) == Some(&'月')
            && i > 0
            && c[i - 1] == '前'
        {
            // "前8个月": the first eight months
            if let Some(m) = valid_month(v) {
                hint.month = hint.month.or(Some(m));
                hint.cumulative = true;
            }
            i += n + 2;
            continue;
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

    /// Periods in Chinese numerals and in quarters, as official documents write them.
    #[test]
    fn chinese_numerals_and_quarters() {
        let p = |t: &str| {
            let h = parse_text_period(t);
            (h.year, h.month, h.cumulative)
        };
        assert_eq!(
            p("青林县工业园区二〇二二年一至八月主要经济指标"),
            (Some(2022), Some(8), true)
        );
        assert_eq!(p("二○二三年十二月"), (Some(2023), Some(12), false));
        assert_eq!(p("（一至十一月）"), (None, Some(11), true));
        assert_eq!(p("2022年十月份"), (Some(2022), Some(10), false));
        assert_eq!(p("2022年1-3季度"), (Some(2022), Some(9), true));
        assert_eq!(p("1-2季度"), (None, Some(6), true));
        // unchanged: quarters in words, and words that hold a numeral
        assert_eq!(p("2022年一季度"), (Some(2022), Some(3), true));
        assert_eq!(p("前三季度"), (None, Some(9), true));
        assert_eq!(p("2023年前8个月"), (Some(2023), Some(8), true));
        assert_eq!(p("前八个月"), (None, Some(8), true));
        assert_eq!(p("8个月"), (None, None, false));
        assert_eq!(p("统一月报"), (None, None, false));
        assert_eq!(p("十三月"), (None, None, false));
        assert_eq!(p("第一至"), (None, None, false));
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
