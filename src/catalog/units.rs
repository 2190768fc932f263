//! Units of measure and the conversions between them (元 → 亿元, 公顷 → 亩 …).

use crate::value::normalize_text;

/// A family of units that convert into each other. Units of different families never convert
/// (USD and CNY in particular).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Renminbi amounts (元, 万元, 亿元).
    Cny,
    /// US dollar amounts (美元, 万美元).
    Usd,
    /// Floor area (平方米, 万平方米).
    Area,
    /// Land area (亩, 公顷, 平方公里).
    Land,
    /// Energy (吨标准煤, 万吨标准煤).
    Energy,
    /// Percent and percentage points.
    Percent,
    /// Counts of things (家, 个, 项, 起 …); all count words are interchangeable.
    Count,
    /// Investment per land area (万元/亩).
    Intensity,
}

/// Known units: spelling, family, size relative to the family's base unit.
const UNITS: &[(&str, Family, f64)] = &[
    ("元", Family::Cny, 1.0),
    ("千元", Family::Cny, 1e3),
    ("万元", Family::Cny, 1e4),
    ("百万元", Family::Cny, 1e6),
    ("亿元", Family::Cny, 1e8),
    ("亿", Family::Cny, 1e8),
    ("万", Family::Cny, 1e4),
    ("美元", Family::Usd, 1.0),
    ("万美元", Family::Usd, 1e4),
    ("亿美元", Family::Usd, 1e8),
    ("平方米", Family::Area, 1.0),
    ("m2", Family::Area, 1.0),
    ("m²", Family::Area, 1.0),
    ("㎡", Family::Area, 1.0),
    ("万平方米", Family::Area, 1e4),
    ("万m2", Family::Area, 1e4),
    ("万㎡", Family::Area, 1e4),
    ("亩", Family::Land, 1.0),
    ("万亩", Family::Land, 1e4),
    ("公顷", Family::Land, 15.0),
    ("平方公里", Family::Land, 1500.0),
    ("km2", Family::Land, 1500.0),
    ("吨标准煤", Family::Energy, 1.0),
    ("吨标煤", Family::Energy, 1.0),
    ("万吨标准煤", Family::Energy, 1e4),
    ("万吨标煤", Family::Energy, 1e4),
    ("%", Family::Percent, 1.0),
    ("百分点", Family::Percent, 1.0),
    ("个百分点", Family::Percent, 1.0),
    ("家", Family::Count, 1.0),
    ("户", Family::Count, 1.0),
    ("个", Family::Count, 1.0),
    ("项", Family::Count, 1.0),
    ("起", Family::Count, 1.0),
    ("座", Family::Count, 1.0),
    ("件", Family::Count, 1.0),
    ("人", Family::Count, 1.0),
    ("次", Family::Count, 1.0),
    ("万元/亩", Family::Intensity, 1.0),
    ("元/亩", Family::Intensity, 1e-4),
];

/// A unit as written, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Unit {
    /// The canonical spelling (e.g. "万元").
    pub name: &'static str,
    /// Its family.
    pub family: Family,
    /// Its size relative to the family's base unit.
    pub factor: f64,
}

/// Resolves a unit as written in a return ("万元", "（亿元）", "单位:万元", "％").
///
/// ```
/// use parkstat::catalog::units::{parse_unit, Family};
/// assert_eq!(parse_unit("（万元）").map(|u| u.name), Some("万元"));
/// assert_eq!(parse_unit("万美元").map(|u| u.family), Some(Family::Usd));
/// assert!(parse_unit("备注").is_none());
/// ```
pub fn parse_unit(text: &str) -> Option<Unit> {
    let mut s = normalize_text(text);
    for p in ["计量单位:", "单位:", "计量单位", "单位"] {
        if let Some(r) = s.strip_prefix(p) {
            s = r.to_string();
            break;
        }
    }
    let s = s.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']' | '【' | '】' | ':' | ','));
    normalized_units()
        .iter()
        .find(|(n, _)| n == s)
        .map(|(_, u)| *u)
}

/// The unit table with normalised spellings, longest first, built once.
fn normalized_units() -> &'static [(String, Unit)] {
    static TABLE: std::sync::OnceLock<Vec<(String, Unit)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v: Vec<(String, Unit)> = UNITS
            .iter()
            .map(|&(name, family, factor)| {
                (
                    normalize_text(name),
                    Unit {
                        name,
                        family,
                        factor,
                    },
                )
            })
            .collect();
        v.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
        v
    })
}

/// A number with its unit written in the same cell: "12.5万元", "1.2亿", "3家". Percentages are
/// not units here (a "7.5%" cell is a number in percent).
///
/// ```
/// use parkstat::catalog::units::number_with_unit;
/// let found = number_with_unit("1,250.5万元").map(|(v, u)| (v, u.name));
/// assert_eq!(found, Some((1250.5, "万元")));
/// assert_eq!(number_with_unit("3家").map(|(v, u)| (v, u.name)), Some((3.0, "家")));
/// assert_eq!(number_with_unit("万元"), None);
/// assert_eq!(number_with_unit("7.5%"), None);
/// ```
pub fn number_with_unit(text: &str) -> Option<(f64, Unit)> {
    let s = normalize_text(text);
    trailing_units(&s)
        .filter(|(_, unit)| unit.family != Family::Percent)
        .find_map(|(number, unit)| match crate::value::parse_text(number) {
            crate::value::Parsed::Number {
                value,
                percent: false,
            } => Some((value, unit)),
            _ => None,
        })
}

/// The units a normalised text ends with, longest spelling first, each with the text before it.
pub(crate) fn trailing_units(s: &str) -> impl Iterator<Item = (&str, Unit)> {
    normalized_units()
        .iter()
        .filter_map(move |(spelling, unit)| Some((s.strip_suffix(spelling.as_str())?, *unit)))
}

/// Splits a unit note ("单位：亿元、万美元、%") into the units it names, in order.
///
/// ```
/// use parkstat::catalog::units::parse_unit_note;
/// let names: Vec<_> = parse_unit_note("单位：亿元、万美元、%").iter().map(|u| u.name).collect();
/// assert_eq!(names, ["亿元", "万美元", "%"]);
/// ```
pub fn parse_unit_note(text: &str) -> Vec<Unit> {
    let s = normalize_text(text);
    let by_length = normalized_units();
    // "填报单位：青林县…  单位：万元": try every "单位:" until one is followed by units; a
    // footnote says it in words ("注：表中金额单位为万元")
    let mut marks: Vec<(usize, usize)> = ["单位:", "单位为", "单位是"]
        .iter()
        .flat_map(|m| s.match_indices(m).map(|(pos, m)| (pos, m.len())))
        .collect();
    marks.sort_unstable();
    for (pos, len) in marks {
        let mut rest = &s[pos + len..];
        let mut found = Vec::new();
        loop {
            rest = rest.trim_start_matches(['、', ',', ';', '/', '，', '；']);
            match by_length.iter().find(|(n, _)| rest.starts_with(n.as_str())) {
                Some((n, unit)) => {
                    found.push(*unit);
                    rest = &rest[n.len()..];
                }
                None => break,
            }
        }
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Converts `value` from unit `from` to unit `to`; `None` when they are of different families.
///
/// ```
/// use parkstat::catalog::units::{convert, parse_unit};
/// # fn main() -> Result<(), &'static str> {
/// let wan = parse_unit("万元").ok_or("万元 is a unit")?;
/// let yi = parse_unit("亿元").ok_or("亿元 is a unit")?;
/// assert_eq!(convert(12345.0, wan, yi), Some(1.2345));
/// # Ok(())
/// # }
/// ```
pub fn convert(value: f64, from: Unit, to: Unit) -> Option<f64> {
    if from.family != to.family {
        return None;
    }
    if from.factor == to.factor {
        return Some(value);
    }
    // multiply first and round away float noise at 12 significant digits
    let v = value * from.factor / to.factor;
    Some(round12(v))
}

fn round12(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let mag = v.abs().log10().floor() as i32;
    let scale = 10f64.powi(11 - mag);
    if !scale.is_finite() || scale == 0.0 {
        return v;
    }
    let r = (v * scale).round() / scale;
    if r.is_finite() { r } else { v }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn u(s: &str) -> Unit {
        parse_unit(s).unwrap_or_else(|| panic!("unit {s}"))
    }

    #[test]
    fn conversions_from_the_catalogue() {
        assert_eq!(convert(123_456_789.0, u("元"), u("亿元")), Some(1.23456789));
        assert_eq!(convert(5.0, u("亿元"), u("万元")), Some(50000.0));
        assert_eq!(convert(25000.0, u("千元"), u("亿元")), Some(0.25));
        assert_eq!(convert(3.0, u("亿美元"), u("万美元")), Some(30000.0));
        assert_eq!(convert(12000.0, u("平方米"), u("万平方米")), Some(1.2));
        assert_eq!(convert(2.0, u("公顷"), u("亩")), Some(30.0));
        assert_eq!(convert(1.0, u("平方公里"), u("亩")), Some(1500.0));
        assert_eq!(convert(5000.0, u("吨标准煤"), u("万吨标准煤")), Some(0.5));
        assert_eq!(convert(3.0, u("户"), u("家")), Some(3.0));
        assert_eq!(convert(1.0, u("万美元"), u("万元")), None);
    }

    #[test]
    fn notes() {
        let names: Vec<_> = parse_unit_note("填报单位：管委会 单位：万元")
            .iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["万元"]);
        let names: Vec<_> = parse_unit_note("单位：亿元，万美元，％")
            .iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["亿元", "万美元", "%"]);
        assert!(parse_unit_note("工业增加值").is_empty());
        let names: Vec<_> = parse_unit_note("注：表中金额单位为万元，增速为%。")
            .iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["万元"]);
        assert!(parse_unit_note("注：本表由各园区填报").is_empty());
    }

    proptest! {
        #[test]
        fn round_trip_within_family(v in -1e12f64..1e12) {
            let there = convert(v, u("万元"), u("亿元")).unwrap_or(f64::NAN);
            let back = convert(there, u("亿元"), u("万元")).unwrap_or(f64::NAN);
            prop_assert!((back - v).abs() <= 1e-9 * v.abs().max(1.0));
        }

        #[test]
        fn parse_unit_never_panics(s in "\\PC{0,20}") {
            let _ = parse_unit(&s);
            let _ = parse_unit_note(&s);
        }
    }
}
