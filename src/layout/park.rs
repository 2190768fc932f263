//! Finding a park's name in a title, a "填报单位" line, a sheet name or a file name.

use crate::value::normalize_text;

const SUFFIXES: &[&str] = &[
    "工业园区",
    "经济开发区",
    "经济技术开发区",
    "高新技术产业开发区",
    "高新技术产业园区",
    "高新技术产业园",
    "高新区",
    "经开区",
    "开发区",
    "产业园区",
    "产业园",
    "工业集中区",
    "工业园",
    "工业区",
    "物流园区",
    "物流园",
    "园区",
];

const NOT_A_NAME: &[&str] = &["各", "全县", "全市", "全区", "所有", "本"];

/// Extracts a park's name: the text up to and including the first park suffix, with at least two
/// characters before it, without "填报单位：" and without a leading period.
///
/// ```
/// use parkstat::layout::park::extract_park;
/// assert_eq!(extract_park("青林县工业园区主要经济指标完成情况表").as_deref(), Some("青林县工业园区"));
/// assert_eq!(extract_park("填报单位：东山工业园区管委会").as_deref(), Some("东山工业园区"));
/// assert_eq!(extract_park("全县各园区主要经济指标完成情况表"), None);
/// assert_eq!(extract_park("园区主要经济指标"), None);
/// ```
pub fn extract_park(text: &str) -> Option<String> {
    let mut s = normalize_text(text);
    for p in [
        "填报单位:",
        "单位名称:",
        "填报单位(公章):",
        "单位名称(公章):",
        "报送单位:",
        "园区名称:",
    ] {
        if let Some(pos) = s.find(p) {
            s = s[pos + p.len()..].to_string();
        }
    }
    // a period inside the name ("青林县2023年1-8月工业园区…") is not part of it
    let s = without_periods(&s);
    // drop a leading period or date ("2022-08", "2022年"), separators and "关于"
    let s = s.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '-' | '.' | '_' | '年' | '月' | '(' | ')' | '[' | ']')
    });
    let s = s.strip_prefix("关于").unwrap_or(s);
    // the earliest suffix, the longest of those starting there ("工业园区" over "工业园")
    let mut best: Option<(usize, usize)> = None;
    for suf in SUFFIXES {
        if let Some(pos) = s.find(suf) {
            let end = pos + suf.len();
            if best.is_none_or(|(bp, be)| pos < bp || (pos == bp && end > be)) {
                best = Some((pos, end));
            }
        }
    }
    let (pos, end) = best?;
    // "附件2:青林县工业园区…": the name starts after the last colon before the suffix
    let start = s[..pos].rfind(':').map(|c| c + 1).unwrap_or(0);
    let name = &s[start..end];
    let chars = name.chars().count();
    let suffix_len = SUFFIXES
        .iter()
        .filter(|x| name.ends_with(**x))
        .map(|x| x.chars().count())
        .max()
        .unwrap_or(0);
    if chars < suffix_len + 2
        || NOT_A_NAME
            .iter()
            .any(|w| name.contains(w) && !name.starts_with("本溪"))
    {
        return None;
    }
    Some(name.to_string())
}

/// A park's or an enterprise's name as a row of a table writes it, without the marks of its place
/// in the table: "其中：城南工业园区", "1、东山工业园区", "（三）西山高新区", "①甲公司", an indent. The
/// flag says a 其中 mark, a # or an indent made the row a part of the row above.
///
/// ```
/// use parkstat::layout::park::clean_row_name;
/// assert_eq!(clean_row_name("其中：城南工业园区"), ("城南工业园区".to_string(), true));
/// assert_eq!(clean_row_name("（三）西山高新区"), ("西山高新区".to_string(), false));
/// assert_eq!(clean_row_name("1、东山工业园区"), ("东山工业园区".to_string(), false));
/// assert_eq!(clean_row_name("青林（国际）工业园"), ("青林（国际）工业园".to_string(), false));
/// ```
pub fn clean_row_name(text: &str) -> (String, bool) {
    let trimmed = text.trim_end();
    let indented = trimmed.starts_with(char::is_whitespace);
    let (name, marked) = crate::catalog::matcher::strip_marks(trimmed);
    (name.to_string(), marked || indented)
}

/// The text without its periods: runs of digits, 年, 月, 份 and dashes that hold a digit and 年
/// or 月 ("2023年1-8月", "8月份").
fn without_periods(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || matches!(c, '年' | '月' | '份' | '-'))
            .count();
        let part = &chars[i..i + run];
        let period =
            part.iter().any(char::is_ascii_digit) && part.iter().any(|c| matches!(c, '年' | '月'));
        if run > 0 && !period {
            out.extend(part);
        } else if run == 0 {
            out.push(chars[i]);
        }
        i += run.max(1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            extract_park("2022-08 青林县工业园区主要经济指标").as_deref(),
            Some("青林县工业园区")
        );
        assert_eq!(
            extract_park("东山工业园区主要指标月报").as_deref(),
            Some("东山工业园区")
        );
        assert_eq!(
            extract_park("2022 东山工业园月报").as_deref(),
            Some("东山工业园")
        );
        assert_eq!(
            extract_park("青林县高新技术产业园").as_deref(),
            Some("青林县高新技术产业园")
        );
        assert_eq!(
            extract_park("青林县2023年1-8月工业园区主要经济指标").as_deref(),
            Some("青林县工业园区")
        );
        assert_eq!(
            extract_park("关于青林工业园区2023年1-8月经济运行情况的报告").as_deref(),
            Some("青林工业园区")
        );
        assert_eq!(
            extract_park("附件2：青林县经济开发区主要指标").as_deref(),
            Some("青林县经济开发区")
        );
        assert_eq!(extract_park("全县2023年8月各园区主要指标"), None);
        assert_eq!(extract_park("主要经济指标完成情况表"), None);
        assert_eq!(extract_park("8月"), None);
    }
}
