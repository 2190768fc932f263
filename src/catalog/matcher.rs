//! Matching the names written in returns to catalogue codes.
//!
//! A label is normalised first (full-width to half-width, white space and letter-spacing removed,
//! hierarchy marks such as "其中：", "#", "（一）", "1、" stripped, a unit in brackets taken aside),
//! then looked up among the canonical names and aliases, then with common scope words removed
//! ("园区", "全年", "实现"), then as a shortened name (its characters in order within one
//! indicator's name, as 实际到位外资 within 实际到位利用外资), and only then by a fuzzy
//! comparison with a threshold. A label that
//! matches nothing, or matches two indicators equally well, stays unmatched: never a wild guess.

use std::collections::HashMap;

use super::units::{Unit, parse_unit};
use super::{Indicator, Industry};
use crate::value::normalize_text;

/// How a label was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// The canonical name or an alias, after normalisation.
    Exact,
    /// An alias after removing scope words.
    Scoped,
    /// The label's characters, in order, within one indicator's name or alias: a shortened
    /// name ("实际到位外资" for 实际到位利用外资, "研发经费支出" for 规模工业研发经费支出).
    Shortened,
    /// A fuzzy match above the threshold.
    Fuzzy,
    /// Nothing matched.
    None,
}

/// The result of matching one label.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelMatch {
    /// The indicator code, when one matched.
    pub code: Option<String>,
    /// How.
    pub kind: MatchKind,
    /// The similarity (1.0 for exact).
    pub score: f64,
    /// The normalised label that was looked up.
    pub key: String,
    /// A unit written in the label ("工业总产值(万元)").
    pub unit: Option<Unit>,
    /// The label carried a sub-item mark (其中, #, indentation).
    pub sub_item: bool,
    /// The label names the indicator's growth rate, not its amount: "工业固定资产投资增速",
    /// "规上工业增加值增长" (the indicator's name and a word of growth after it).
    pub growth: bool,
}

/// A label taken apart.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelParts {
    /// The normalised name used for matching.
    pub key: String,
    /// A unit found in brackets.
    pub unit: Option<Unit>,
    /// A sub-item mark was present.
    pub sub_item: bool,
}

const SUB_MARKS: &[&str] = &[
    "其中:",
    "其中：",
    "其中",
    "#",
    "＃",
    "△",
    "▲",
    "*",
    "→",
    "-",
    "·",
    "•",
];
const SCOPE_WORDS: &[&str] = &[
    "全园区",
    "园区",
    "全园",
    "全区",
    "全年",
    "实现",
    "完成",
    "规模以上",
    "规上",
    "年度",
    "累计",
    "总计",
];

/// Normalises a label for matching. See the module documentation.
///
/// ```
/// use parkstat::catalog::normalize_label;
/// let p = normalize_label("　其中：工 业 增 加 值（亿元）");
/// assert_eq!(p.key, "工业增加值");
/// assert!(p.sub_item);
/// assert_eq!(p.unit.map(|u| u.name), Some("亿元"));
/// assert_eq!(normalize_label("（一）实缴税金:").key, "实缴税金");
/// ```
pub fn normalize_label(label: &str) -> LabelParts {
    let indented = label.starts_with([' ', '\u{3000}', '\t']) && !label.trim().is_empty();
    let s = normalize_text(label).to_lowercase();
    let mut sub_item = indented;
    // take bracketed parts aside: units are kept, other notes (可比价, 万元) dropped
    let mut key = String::with_capacity(s.len());
    let mut unit = None;
    let mut depth = 0usize;
    let mut inner = String::new();
    for c in s.chars() {
        match c {
            '(' | '[' | '【' | '〔' => {
                depth += 1;
                inner.clear();
            }
            ')' | ']' | '】' | '〕' if depth > 0 => {
                depth -= 1;
                if unit.is_none() {
                    unit = parse_unit(&inner);
                }
            }
            c if depth > 0 => inner.push(c),
            c => key.push(c),
        }
    }
    // leading hierarchy marks: 其中：, #, 一、, 1、, 1., ①
    let (rest, marked) = strip_marks(&key);
    sub_item |= marked;
    let key = rest.to_string();
    let key = key.trim_end_matches([':', '、', '.', ',', '*']).to_string();
    LabelParts {
        key,
        unit,
        sub_item,
    }
}

/// A name without the marks of its place in a list, and whether one of them made it a part of
/// the row above: sub-item marks (其中：, #, △ …) and ordinals (1、 一、 1. （一） (1) ①), as many
/// as lead it, with the separators and spaces after them. Labels (normalised) and the names of
/// park and enterprise rows (as written) both go through it.
pub(crate) fn strip_marks(text: &str) -> (&str, bool) {
    let mut s = text;
    let mut marked = false;
    loop {
        let before = s.len();
        for m in SUB_MARKS {
            if let Some(rest) = s.strip_prefix(m) {
                s = rest;
                marked = true;
            }
        }
        s = strip_ordinal(s);
        s = s.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '：' | '、' | '.' | '．' | ',')
        });
        if s.len() == before {
            return (s, marked);
        }
    }
}

fn is_ordinal_char(c: char) -> bool {
    c.is_ascii_digit() || "一二三四五六七八九十〇".contains(c)
}

/// "1、", "一、", "1.", "（一）", "(1)", "①": the ordinal before a name; "1-8月" is none.
fn strip_ordinal(s: &str) -> &str {
    if let Some(c) = s.chars().next()
        && ('\u{2460}'..='\u{2473}').contains(&c)
    {
        return &s[c.len_utf8()..];
    }
    for (open, close) in [('(', ')'), ('（', '）')] {
        if let Some(rest) = s.strip_prefix(open)
            && let Some(end) = rest.find(close)
            && end > 0
            && rest[..end].chars().all(is_ordinal_char)
        {
            return &rest[end + close.len_utf8()..];
        }
    }
    let digits: usize = s
        .chars()
        .take_while(|&c| is_ordinal_char(c))
        .map(char::len_utf8)
        .sum();
    let rest = &s[digits..];
    // only a mark when followed by a separator: "1、", "一、", "1." but not "1-8月"
    if digits > 0 && rest.starts_with(['、', '.', '．', ':', '：', ',']) {
        rest
    } else {
        s
    }
}

fn strip_scope(key: &str) -> String {
    let mut k = key.to_string();
    for w in SCOPE_WORDS {
        if let Some(r) = k.strip_prefix(w) {
            k = r.to_string();
        }
    }
    k
}

/// The compiled lookup tables.
#[derive(Debug, Default)]
pub(crate) struct Matcher {
    cache: std::sync::RwLock<HashMap<String, LabelMatch>>,
    exact: HashMap<String, usize>,
    scoped: HashMap<String, Option<usize>>,
    terms: Vec<(Vec<char>, usize)>,
    codes: Vec<String>,
    industries: Vec<(String, usize)>,
}

/// Fuzzy matches below this similarity are not accepted.
pub const FUZZY_THRESHOLD: f64 = 0.8;

/// A shortened name must cover at least this share of the name it shortens ...
pub const SHORTENED_COVERAGE: f64 = 0.6;

/// ... and be at least this many characters long.
pub const SHORTENED_MIN_CHARS: usize = 4;

impl Clone for Matcher {
    fn clone(&self) -> Self {
        Matcher {
            cache: Default::default(),
            exact: self.exact.clone(),
            scoped: self.scoped.clone(),
            terms: self.terms.clone(),
            codes: self.codes.clone(),
            industries: self.industries.clone(),
        }
    }
}

impl Matcher {
    pub(crate) fn new(indicators: &[Indicator], industries: &[Industry]) -> Matcher {
        let mut m = Matcher::default();
        for (i, ind) in indicators.iter().enumerate() {
            m.codes.push(ind.code.clone());
            for term in std::iter::once(&ind.name).chain(ind.aliases.iter()) {
                let key = normalize_label(term).key;
                // the first indicator to claim a name keeps it (canonical names come first)
                m.exact.entry(key.clone()).or_insert(i);
                let scoped = strip_scope(&key);
                m.scoped
                    .entry(scoped)
                    .and_modify(|slot| {
                        if *slot != Some(i) {
                            *slot = None; // ambiguous after scope removal
                        }
                    })
                    .or_insert(Some(i));
                m.terms.push((key.chars().collect(), i));
            }
        }
        for (i, ind) in industries.iter().enumerate() {
            for term in std::iter::once(&ind.name).chain(ind.aliases.iter()) {
                m.industries.push((normalize_label(term).key, i));
            }
        }
        // longest names first, so "有色金属加工" wins over "有色金属"
        m.industries
            .sort_by_key(|(k, _)| std::cmp::Reverse(k.chars().count()));
        m
    }

    pub(crate) fn match_indicator(&self, label: &str) -> LabelMatch {
        // (see growth_suffix for the labels that name a growth rate)
        // the same few hundred labels come back in every file of a batch
        if let Ok(cache) = self.cache.read()
            && let Some(m) = cache.get(label)
        {
            return m.clone();
        }
        let m = self.match_uncached(label);
        if let Ok(mut cache) = self.cache.write()
            && cache.len() < 100_000
        {
            cache.insert(label.to_string(), m.clone());
        }
        m
    }

    fn match_uncached(&self, label: &str) -> LabelMatch {
        self.match_parts(normalize_label(label), true)
    }

    fn match_parts(&self, parts: LabelParts, unit_suffix: bool) -> LabelMatch {
        let found = |code: Option<usize>, kind: MatchKind, score: f64| LabelMatch {
            code: code.and_then(|i| self.codes.get(i).cloned()),
            kind: if code.is_some() {
                kind
            } else {
                MatchKind::None
            },
            score,
            key: parts.key.clone(),
            unit: parts.unit,
            sub_item: parts.sub_item,
            growth: false,
        };
        if parts.key.is_empty() {
            return found(None, MatchKind::None, 0.0);
        }
        if let Some(&i) = self.exact.get(&parts.key) {
            return found(Some(i), MatchKind::Exact, 1.0);
        }
        // "工业固定资产投资增速": an indicator's name, then its growth (before the steps below
        // would take the name with its growth word for a name of its own)
        if let Some(rest) = growth_suffix(&parts.key) {
            let m = self.match_parts(
                LabelParts {
                    key: rest.to_string(),
                    unit: parts.unit,
                    sub_item: parts.sub_item,
                },
                unit_suffix,
            );
            if m.code.is_some() && !m.growth {
                return LabelMatch {
                    key: parts.key.clone(),
                    growth: true,
                    ..m
                };
            }
        }
        let scoped = strip_scope(&parts.key);
        if let Some(&i) = self.exact.get(&scoped) {
            return found(Some(i), MatchKind::Scoped, 1.0);
        }
        if let Some(Some(i)) = self.scoped.get(&scoped) {
            return found(Some(*i), MatchKind::Scoped, 1.0);
        }
        // a unit written after the name without brackets: "工业总产值 万元", "工业增加值/亿元"
        if unit_suffix && let Some((rest, unit)) = split_unit_suffix(&parts.key) {
            let m = self.match_parts(
                LabelParts {
                    key: rest,
                    unit: parts.unit.or(Some(unit)),
                    sub_item: parts.sub_item,
                },
                false,
            );
            if m.code.is_some() {
                return m;
            }
        }
        let key: Vec<char> = parts.key.chars().collect();
        // a shortened name: names are shortened by leaving words out (利用, 规模工业), while a
        // changed character changes the meaning (外资 and 内资 differ by one), which the fuzzy
        // comparison below cannot tell from a typo
        if key.len() >= SHORTENED_MIN_CHARS {
            let best = self.best_per_indicator(|term| {
                (term.len() > key.len()
                    && shortens(&key, term)
                    && !leaves_out_a_measure(&key, term))
                .then(|| key.len() as f64 / term.len() as f64)
            });
            if let Some((s, i)) = clear_winner(&best, SHORTENED_COVERAGE) {
                return found(Some(i), MatchKind::Shortened, s);
            }
        }
        // fuzzy: best similarity per indicator, accepted above the threshold and only when no
        // other indicator comes as close
        if key.len() < 2 {
            return found(None, MatchKind::None, 0.0);
        }
        let best = self.best_per_indicator(|term| {
            // a typo is forgiven, a word that narrows the name is not (引进项目, 引进大项目)
            let narrower = term
                .iter()
                .any(|c| QUALIFIERS.contains(c) && !key.contains(c))
                || leaves_out_a_measure(&key, term);
            Some(if narrower {
                0.0
            } else {
                similarity(&key, term)
            })
        });
        match clear_winner(&best, FUZZY_THRESHOLD) {
            Some((s, i)) => found(Some(i), MatchKind::Fuzzy, s),
            None => found(None, MatchKind::None, best.first().map_or(0.0, |b| b.0)),
        }
    }

    /// Each indicator's best score over its names and aliases (`score` gives `None` for a name
    /// that does not take part), best first.
    fn best_per_indicator(&self, score: impl Fn(&[char]) -> Option<f64>) -> Vec<(f64, usize)> {
        let mut best: Vec<(f64, usize)> = Vec::new();
        for (term, i) in &self.terms {
            let Some(s) = score(term) else { continue };
            match best.iter_mut().find(|(_, j)| j == i) {
                Some(slot) => slot.0 = slot.0.max(s),
                None => best.push((s, *i)),
            }
        }
        best.sort_by(|a, b| b.0.total_cmp(&a.0));
        best
    }

    pub(crate) fn match_industry(&self, label: &str) -> Option<usize> {
        let key = normalize_label(label).key;
        if key.is_empty() {
            return None;
        }
        self.industries
            .iter()
            .find(|(k, _)| *k == key)
            .or_else(|| {
                self.industries
                    .iter()
                    .find(|(k, _)| key.contains(k.as_str()))
            })
            .map(|(_, i)| *i)
    }
}

/// A normalised name that ends in a unit written without brackets: the name and the unit. The
/// unit follows a separator (/ , : ; 、 - _) or, without one, is a unit of money, area, land or
/// energy of two characters or more (万元, 亿元, 平方米 …; a count word such as 个 or 项 ends many
/// names); at least two characters of name remain.
fn split_unit_suffix(key: &str) -> Option<(String, Unit)> {
    use super::units::{Family, trailing_units};
    trailing_units(key).find_map(|(rest, unit)| {
        let name = rest.trim_end_matches(['/', ',', ':', ';', '、', '-', '_']);
        let separated = name.len() < rest.len();
        let plain_ok = key[rest.len()..].chars().count() >= 2
            && !matches!(unit.family, Family::Count | Family::Percent);
        (name.chars().count() >= 2 && (separated || plain_ok)).then(|| (name.to_string(), unit))
    })
}

/// Characters that narrow what a name counts (大 of 大项目, 规 of 规上, 亿 of 亿元以上, 工 of 工业):
/// a name that leaves one of them out names something wider, not the same thing shortened.
const QUALIFIERS: &[char] = &['大', '规', '亿', '工'];

/// Words that say what is measured (a rate, a share, an intensity, a change): a name that leaves
/// one out names another quantity, not the same one shortened (单位工业增加值能耗 is a level,
/// 单位工业增加值能耗下降率 its rate of fall).
const MEASURES: &[&str] = &[
    "率", "比重", "占比", "强度", "下降", "降低", "增长", "增速", "人均", "亩均",
];

/// True when `long` holds a measure word ([`MEASURES`]) that `short` does not.
fn leaves_out_a_measure(short: &[char], long: &[char]) -> bool {
    let (short, long): (String, String) = (short.iter().collect(), long.iter().collect());
    MEASURES
        .iter()
        .any(|w| long.contains(w) && !short.contains(w))
}

/// The best of `best` (sorted, best first) when it reaches `threshold` and no other indicator
/// comes within 0.05 of it: never a guess between two.
fn clear_winner(best: &[(f64, usize)], threshold: f64) -> Option<(f64, usize)> {
    match best {
        [(s, i), rest @ ..]
            if *s >= threshold && rest.first().is_none_or(|(s2, _)| s - s2 >= 0.05) =>
        {
            Some((*s, *i))
        }
        _ => None,
    }
}

/// True when the characters of `short` appear in `long` in the same order, and the characters
/// left out narrow nothing ([`QUALIFIERS`]): 实际到位外资 shortens 实际到位利用外资, 引进项目 does
/// not shorten 引进大项目.
fn shortens(short: &[char], long: &[char]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|c| {
        rest.by_ref()
            .find(|&l| l == c || QUALIFIERS.contains(l))
            .is_some_and(|l| l == c)
    }) && !rest.any(|l| QUALIFIERS.contains(l))
}

/// Similarity of two names in 0..=1: containment counts by coverage, otherwise the normalised
/// Levenshtein distance over characters.
fn similarity(a: &[char], b: &[char]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_empty() {
        return 0.0;
    }
    let contains = long.windows(short.len()).any(|w| w == short);
    if contains {
        return short.len() as f64 / long.len() as f64;
    }
    let (sa, sb): (String, String) = (a.iter().collect(), b.iter().collect());
    strsim::normalized_levenshtein(&sa, &sb)
}

/// The name before a word of growth that ends a label ("工业总产值增速" → "工业总产值");
/// `None` when the label ends with none, or is only that word.
fn growth_suffix(key: &str) -> Option<&str> {
    const WORDS: &[&str] = &[
        "同比增长率",
        "同比增长",
        "同比增速",
        "同比增幅",
        "增长率",
        "增长速度",
        "增速",
        "增幅",
        "增长",
    ];
    let key = key.trim_end_matches('%');
    WORDS
        .iter()
        .find_map(|w| key.strip_suffix(w))
        .map(|rest| rest.trim_end_matches(['%', '(', ')']))
        .filter(|rest| rest.chars().count() >= 2)
}

#[cfg(test)]
mod tests {
    use crate::catalog::Catalog;

    fn code(label: &str) -> Option<String> {
        Catalog::builtin().match_label(label).code
    }

    #[test]
    fn exact_and_aliases() {
        assert_eq!(code("工业增加值").as_deref(), Some("IND_VA"));
        assert_eq!(code("规上工业增加值").as_deref(), Some("IND_VA"));
        assert_eq!(code("实缴税金(万元)").as_deref(), Some("TAX_PAID"));
        assert_eq!(code("＃主导产业产值").as_deref(), Some("LEAD_GOV"));
        assert_eq!(code("（一）固定资产投资").as_deref(), Some("FAI"));
        assert_eq!(code("1、实际到位利用外资").as_deref(), Some("FDI_ACT"));
        assert_eq!(code("其中:工业固定资产投资").as_deref(), Some("FAI_IND"));
        assert_eq!(code("指 标 名 称"), None);
        assert_eq!(code("营业收入").as_deref(), Some("IND_REV"));
        assert_eq!(code("营业总收入").as_deref(), Some("TIT_REV"));
        assert_eq!(code("规模以上工业总产值").as_deref(), Some("IND_GOV_ABOVE"));
        assert_eq!(code("R&D经费支出").as_deref(), Some("RD_EXP"));
        // short names of returns and bands
        for (label, c) in [
            ("税收", "TAX_PAID"),
            ("纳税额", "TAX_PAID"),
            ("增加值", "IND_VA"),
            ("总产值", "IND_GOV"),
            ("固投", "FAI"),
            ("营收", "IND_REV"),
            ("外资", "FDI_ACT"),
            ("内资", "DOM_ACT"),
            ("综合能耗", "ENERGY_IND"),
            ("规模工业综合能耗", "ENERGY_IND"),
        ] {
            assert_eq!(code(label).as_deref(), Some(c), "{label}");
        }
        // a sub-item of 财政收入 or of 实缴税金, not the taxes paid themselves
        assert_eq!(code("其中：税收收入"), None);
    }

    #[test]
    fn growth_of_an_indicator() {
        let catalog = Catalog::builtin();
        for (label, c) in [
            ("工业固定资产投资增速", "FAI_IND"),
            ("规上工业增加值增速", "IND_VA"),
            ("工业总产值增长(%)", "IND_GOV"),
            ("固定资产投资增长率", "FAI"),
            ("实缴税金同比增长%", "TAX_PAID"),
        ] {
            let m = catalog.match_label(label);
            assert_eq!(m.code.as_deref(), Some(c), "{label}");
            assert!(m.growth, "{label}");
        }
        // the amount is no growth, and a growth word alone names nothing
        let m = catalog.match_label("工业固定资产投资");
        assert!(!m.growth);
        assert_eq!(catalog.match_label("增速").code, None);
    }

    #[test]
    fn scope_words_and_fuzzy() {
        assert_eq!(code("园区工业增加值").as_deref(), Some("IND_VA"));
        assert_eq!(code("实现技工贸总收入").as_deref(), Some("TIT_REV"));
        assert_eq!(code("实缴税金总额").as_deref(), None); // 4/6 coverage: not a guess
        assert_eq!(
            code("标准厂房建设面积合计").as_deref(),
            Some("STD_FACT_AREA")
        );
        assert_eq!(code("实际到位利用外资额").as_deref(), Some("FDI_ACT"));
    }

    /// A unit after the name without brackets is the label's unit, not part of its name.
    #[test]
    fn unit_after_the_name() {
        let cat = Catalog::builtin();
        for (label, code, unit) in [
            ("工业总产值 万元", "IND_GOV", "万元"),
            ("工业增加值/亿元", "IND_VA", "亿元"),
            ("实缴税金，万元", "TAX_PAID", "万元"),
            ("标准厂房建设面积:平方米", "STD_FACT_AREA", "平方米"),
            ("新增规上企业/个", "ENT_ABOVE_NEW", "个"),
        ] {
            let m = cat.match_label(label);
            assert_eq!(m.code.as_deref(), Some(code), "{label}");
            assert_eq!(m.unit.map(|u| u.name), Some(unit), "{label}");
        }
        // a count word without a separator stays part of the name
        assert_eq!(code("工业企业个"), None);
    }

    /// Names shortened by leaving words out match the name they shorten; one changed character
    /// (外资 for 内资) is not a typo to correct.
    #[test]
    fn shortened_names() {
        let cat = Catalog::builtin();
        let m = cat.match_label("实际到位外资");
        assert_eq!(m.code.as_deref(), Some("FDI_ACT"));
        assert_eq!(m.kind, super::MatchKind::Shortened);
        assert_eq!(m.score, 0.75);
        assert_eq!(code("实际到位内资").as_deref(), Some("DOM_ACT"));
        assert_eq!(code("利用外资(万美元)").as_deref(), Some("FDI_ACT"));
        assert_eq!(code("利用内资").as_deref(), Some("DOM_ACT"));
        assert_eq!(code("研发经费支出").as_deref(), Some("RD_EXP"));
        assert_eq!(code("新增规上工业企业").as_deref(), Some("ENT_ABOVE_NEW"));
        assert_eq!(code("工业产值").as_deref(), Some("IND_GOV"));
        // 工业用地面积 (4 of 6) before 工业用地投资累计 (4 of 8)
        assert_eq!(code("工业用地").as_deref(), Some("LAND_IND"));
        // too short, too little of any name, or not a shortening at all
        assert_eq!(code("资金"), None);
        assert_eq!(code("工业增加值能耗"), None);
        assert_eq!(code("实际到位资金"), None);
        // 规上工业企业 and 规上工业利润 alike (4 of 6)
        assert_eq!(code("规上工业"), None);
        // leaving out a word that narrows the name names something wider
        assert_eq!(code("引进项目"), None);
        assert_eq!(code("新增企业"), None);
        assert_eq!(code("在建项目"), None);
        // leaving out what is measured names another quantity: a level is not its rate of fall
        assert_eq!(code("单位工业增加值能耗"), None);
        assert_eq!(
            code("单位工业增加值能耗下降率").as_deref(),
            Some("ENERGY_DROP")
        );
    }

    #[test]
    fn unknown_names_stay_unmatched() {
        for l in ["合计", "小计", "备注", "职工人数", "出口交货值", "", "#"] {
            assert_eq!(code(l), None, "{l}");
        }
    }

    #[test]
    fn industries() {
        let cat = Catalog::builtin();
        let name = |l: &str| cat.match_industry(l).map(|i| i.name.clone());
        assert_eq!(name("有色金属加工业").as_deref(), Some("有色金属加工"));
        assert_eq!(name("电子信息").as_deref(), Some("轻工电子"));
        assert_eq!(name("生物医药").as_deref(), Some("食品医药"));
        assert_eq!(name("纺织服装"), None);
        // divisions of the national classification (GB/T 4754)
        for (division, pillar) in [
            ("有色金属冶炼和压延加工业", "有色金属加工"),
            ("计算机、通信和其他电子设备制造业", "轻工电子"),
            ("酒、饮料和精制茶制造业", "食品医药"),
            ("化学原料和化学制品制造业", "能源化工"),
            ("电力、热力生产和供应业", "能源化工"),
            ("太阳能发电", "能源化工"),
            ("非金属矿物制品业", "建材家具"),
        ] {
            assert_eq!(name(division).as_deref(), Some(pillar), "{division}");
        }
        assert_eq!(name("通用设备制造业"), None);
        assert_eq!(name("电力设备制造"), None);
    }
}
