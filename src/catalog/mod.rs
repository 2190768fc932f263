//! The indicator catalogue: codes, names, aliases, canonical units and the rules that apply to
//! each indicator (kind, growth, projection), plus the pillar industries.
//!
//! The built-in catalogue is a data file embedded at build time (`src/catalog/indicators.tsv`,
//! `src/catalog/industries.tsv`). A user's own file in the same format extends it: a row whose
//! code exists replaces the built-in row, a new code is added. `parkstat catalog --write FILE`
//! writes the built-in file as a starting point.
//!
//! ```
//! use parkstat::catalog::Catalog;
//! let cat = Catalog::builtin();
//! let m = cat.match_label("其中：规上工业增加值（万元）");
//! assert_eq!(m.code.as_deref(), Some("IND_VA"));
//! assert_eq!(m.unit.map(|u| u.name), Some("万元"));
//! assert!(m.sub_item);
//! ```

pub mod matcher;
pub mod units;

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};
pub use matcher::{LabelMatch, MatchKind, normalize_label};
use units::{Unit, parse_unit};

/// The built-in indicator table.
pub const BUILTIN_INDICATORS: &str = include_str!("indicators.tsv");
/// The built-in pillar industries.
pub const BUILTIN_INDUSTRIES: &str = include_str!("industries.tsv");

/// How an indicator accumulates over the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Flow, cumulative from 1 January (1-m月).
    Flow,
    /// Stock: a period-end level.
    Stock,
    /// Count of new things within the year.
    CountFlow,
    /// Count stock.
    CountStock,
    /// Ratio or share, in percent.
    Ratio,
    /// A rate reported only as a rate.
    Rate,
    /// Derived from other indicators.
    Derived,
}

/// How growth is expressed for an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrowthRule {
    /// Nominal percent.
    Nominal,
    /// A reported comparable-basis percent exists and is preferred.
    Comparable,
    /// Change in percentage points.
    Points,
    /// Absolute difference.
    Difference,
}

/// A full-year projection method (FORMULAS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// Seasonal share: `C_m × P_12 / P_m`.
    Seasonal,
    /// Growth carry: `P_12 × (1 + g)`.
    GrowthCarry,
    /// Linear: `C_m × 12 / m`.
    Linear,
    /// Remainder: `C_m + (P_12 − P_m) × (1 + g_rest)`.
    Remainder,
    /// Manual value entered by the user.
    Manual,
    /// Recomputed from projected parts (ratios).
    Recompute,
    /// Carry the latest value (stocks).
    Carry,
}

impl Method {
    /// The catalogue's letter (S, G, L, R, M, RC, K).
    pub fn letter(self) -> &'static str {
        match self {
            Method::Seasonal => "S",
            Method::GrowthCarry => "G",
            Method::Linear => "L",
            Method::Remainder => "R",
            Method::Manual => "M",
            Method::Recompute => "RC",
            Method::Carry => "K",
        }
    }

    /// The Chinese label used in summaries ("季节比例(S)").
    pub fn label(self) -> &'static str {
        match self {
            Method::Seasonal => "季节比例(S)",
            Method::GrowthCarry => "增速推算(G)",
            Method::Linear => "线性外推(L)",
            Method::Remainder => "剩余月份(R)",
            Method::Manual => "人工填报(M)",
            Method::Recompute => "分项重算(RC)",
            Method::Carry => "沿用最新值(K)",
        }
    }

    /// Parses a letter or an English name ("S", "seasonal", "linear" …).
    pub fn parse(s: &str) -> Option<Method> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "s" | "seasonal" => Method::Seasonal,
            "g" | "growth" | "growth_carry" => Method::GrowthCarry,
            "l" | "linear" => Method::Linear,
            "r" | "remainder" => Method::Remainder,
            "m" | "manual" => Method::Manual,
            "rc" | "recompute" => Method::Recompute,
            "k" | "carry" => Method::Carry,
            _ => return None,
        })
    }
}

/// One indicator of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// The stable code (`IND_VA`).
    pub code: String,
    /// The canonical Chinese name.
    pub name: String,
    /// Other names seen in real returns.
    pub aliases: Vec<String>,
    /// The canonical unit's spelling ("亿元").
    pub unit: String,
    /// How it accumulates.
    pub kind: Kind,
    /// How its growth is expressed.
    pub growth: GrowthRule,
    /// Projection methods, the default first.
    pub projection: Vec<Method>,
    /// The indicator this one is a part of (其中), if any.
    pub parent: Option<String>,
    /// `unit` parsed once, when the catalogue is read (asked for every figure).
    canonical: Option<Unit>,
}

impl Indicator {
    /// The canonical unit, resolved from `unit` when the catalogue was read.
    pub fn canonical_unit(&self) -> Option<Unit> {
        self.canonical
    }

    /// The default projection method.
    pub fn default_method(&self) -> Method {
        self.projection.first().copied().unwrap_or(Method::Linear)
    }
}

/// One pillar industry.
#[derive(Debug, Clone, PartialEq)]
pub struct Industry {
    /// The code (`NFM`).
    pub code: String,
    /// The canonical name (有色金属加工).
    pub name: String,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Counts as a leading industry (主导产业).
    pub leading: bool,
    /// The parks this row applies to; empty for every park. A park-specific row overrides the
    /// general one, so each park can say which of its industries are pillars and which lead.
    pub parks: Vec<String>,
}

/// The catalogue of indicators and industries, with a matcher over their names.
#[derive(Debug, Clone)]
pub struct Catalog {
    indicators: Vec<Indicator>,
    industries: Vec<Industry>,
    by_code: HashMap<String, usize>,
    matcher: matcher::Matcher,
    version: String,
}

impl Catalog {
    /// The catalogue shipped with the crate.
    pub fn builtin() -> Catalog {
        // The embedded files are tested; should they ever fail to parse, an empty catalogue
        // would only make every row unmatched, never a panic.
        let indicators =
            parse_indicators(BUILTIN_INDICATORS, Path::new("<built-in>")).unwrap_or_default();
        let industries =
            parse_industries(BUILTIN_INDUSTRIES, Path::new("<built-in>")).unwrap_or_default();
        let version = version_of(BUILTIN_INDICATORS).unwrap_or_else(|| "built-in".into());
        Catalog::from_parts(indicators, industries, version)
    }

    fn from_parts(
        indicators: Vec<Indicator>,
        industries: Vec<Industry>,
        version: String,
    ) -> Catalog {
        let by_code = indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.code.clone(), i))
            .collect();
        let matcher = matcher::Matcher::new(&indicators, &industries);
        Catalog {
            indicators,
            industries,
            by_code,
            matcher,
            version,
        }
    }

    /// Extends the catalogue with a user's indicator file (same columns as the built-in TSV, or
    /// CSV with the same header): rows with a known code replace the built-in row.
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, [`Error::UserFile`] naming the line of a
    /// malformed row.
    pub fn with_user_file(self, path: &Path) -> Result<Catalog> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        self.with_user_text(&text, path)
    }

    /// Like [`Catalog::with_user_file`], from text already read.
    ///
    /// # Errors
    /// [`Error::UserFile`] naming the line of a malformed row.
    pub fn with_user_text(self, text: &str, path: &Path) -> Result<Catalog> {
        let extra = parse_indicators(text, path)?;
        let mut indicators = self.indicators;
        for ind in extra {
            match indicators.iter_mut().find(|i| i.code == ind.code) {
                Some(slot) => *slot = ind,
                None => indicators.push(ind),
            }
        }
        let version = format!("{}+{}", self.version, path.display());
        Ok(Catalog::from_parts(indicators, self.industries, version))
    }

    /// Replaces the industry list with a user's file (code, name, aliases, leading, and an
    /// optional fifth column of parks, `|`-separated, the row applies to).
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::UserFile`].
    pub fn with_industries_file(self, path: &Path) -> Result<Catalog> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.into(),
            source,
        })?;
        let industries = parse_industries(&text, path)?;
        Ok(Catalog::from_parts(
            self.indicators,
            industries,
            self.version,
        ))
    }

    /// The catalogue's version string.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// All indicators, in catalogue order.
    pub fn indicators(&self) -> &[Indicator] {
        &self.indicators
    }

    /// All pillar industries.
    pub fn industries(&self) -> &[Industry] {
        &self.industries
    }

    /// The indicator with this code.
    pub fn get(&self, code: &str) -> Option<&Indicator> {
        self.by_code.get(code).and_then(|&i| self.indicators.get(i))
    }

    /// The position of an indicator in the catalogue (the order of summary tables).
    pub fn order(&self, code: &str) -> usize {
        self.by_code.get(code).copied().unwrap_or(usize::MAX)
    }

    /// Matches a row label or header text to an indicator. See [`LabelMatch`].
    pub fn match_label(&self, label: &str) -> LabelMatch {
        self.matcher.match_indicator(label)
    }

    /// The indicator a longer text names within it, as a title does ("全县园区工业总产值完成情况"
    /// names 工业总产值): the one whose name or alias is the longest part of the text; `None`
    /// when none is.
    ///
    /// ```
    /// use parkstat::Catalog;
    /// let catalog = Catalog::builtin();
    /// let found = catalog.named_in("2023年1-9月全县园区工业总产值完成情况");
    /// assert_eq!(found.map(|i| i.code.as_str()), Some("IND_GOV"));
    /// assert!(catalog.named_in("主要经济指标完成情况").is_none());
    /// ```
    pub fn named_in(&self, text: &str) -> Option<&Indicator> {
        let text = crate::value::normalize_text(text);
        self.indicators
            .iter()
            .flat_map(|i| {
                std::iter::once(&i.name)
                    .chain(&i.aliases)
                    .map(move |n| (n, i))
            })
            .filter(|(n, _)| text.contains(n.as_str()))
            .max_by_key(|(n, _)| n.chars().count())
            .map(|(_, i)| i)
    }

    /// Matches an industry label (行业分类) to a pillar industry; returns its canonical name.
    pub fn match_industry(&self, label: &str) -> Option<&Industry> {
        self.matcher
            .match_industry(label)
            .and_then(|i| self.industries.get(i))
    }
}

fn version_of(text: &str) -> Option<String> {
    text.lines()
        .next()
        .and_then(|l| l.split("version").nth(1))
        .map(|v| v.trim().to_string())
}

fn split_row(line: &str) -> Vec<String> {
    let sep = if line.contains('\t') { '\t' } else { ',' };
    line.split(sep)
        .map(|f| f.trim().trim_matches('"').to_string())
        .collect()
}

fn list(field: &str) -> Vec<String> {
    field
        .split(['|', '、', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_start_matches('\u{feff}')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#') && !l.starts_with("code"))
}

fn parse_indicators(text: &str, path: &Path) -> Result<Vec<Indicator>> {
    let bad = |line: usize, message: String| Error::UserFile {
        path: path.into(),
        line,
        message,
    };
    let mut out = Vec::new();
    for (line, l) in data_lines(text) {
        let f = split_row(l);
        if f.len() < 7 {
            return Err(bad(
                line,
                format!(
                    "expected at least 7 columns (code, name, aliases, unit, kind, growth, projection), found {}",
                    f.len()
                ),
            ));
        }
        if parse_unit(&f[3]).is_none() {
            return Err(bad(line, format!("unknown unit \"{}\"", f[3])));
        }
        let kind = match f[4].as_str() {
            "F" => Kind::Flow,
            "S" => Kind::Stock,
            "CF" => Kind::CountFlow,
            "CS" => Kind::CountStock,
            "R" => Kind::Ratio,
            "RT" => Kind::Rate,
            "D" => Kind::Derived,
            other => {
                return Err(bad(
                    line,
                    format!("unknown kind \"{other}\" (F, S, CF, CS, R, RT, D)"),
                ));
            }
        };
        let growth = match f[5].as_str() {
            "N" => GrowthRule::Nominal,
            "C" => GrowthRule::Comparable,
            "PP" => GrowthRule::Points,
            "D" | "Δ" => GrowthRule::Difference,
            other => {
                return Err(bad(
                    line,
                    format!("unknown growth rule \"{other}\" (N, C, PP, D)"),
                ));
            }
        };
        let mut projection = Vec::new();
        for m in f[6].split('/') {
            projection.push(
                Method::parse(m)
                    .ok_or_else(|| bad(line, format!("unknown projection method \"{m}\"")))?,
            );
        }
        out.push(Indicator {
            code: f[0].clone(),
            name: f[1].clone(),
            aliases: list(&f[2]),
            unit: f[3].clone(),
            canonical: parse_unit(&f[3]),
            kind,
            growth,
            projection,
            parent: f.get(7).filter(|p| !p.is_empty()).cloned(),
        });
    }
    Ok(out)
}

fn parse_industries(text: &str, path: &Path) -> Result<Vec<Industry>> {
    let mut out = Vec::new();
    for (line, l) in data_lines(text) {
        let f = split_row(l);
        if f.len() < 2 {
            return Err(Error::UserFile {
                path: path.into(),
                line,
                message: "expected code, name, aliases, leading[, parks]".into(),
            });
        }
        out.push(Industry {
            code: f[0].clone(),
            name: f[1].clone(),
            aliases: f.get(2).map(|a| list(a)).unwrap_or_default(),
            leading: f
                .get(3)
                .is_none_or(|v| matches!(v.as_str(), "1" | "yes" | "是" | "true" | "")),
            parks: f.get(4).map(|p| list(p)).unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_completely() -> Result<(), Box<dyn std::error::Error>> {
        let lines = data_lines(BUILTIN_INDICATORS).count();
        let parsed = parse_indicators(BUILTIN_INDICATORS, Path::new("x"))?;
        assert_eq!(parsed.len(), lines);
        assert_eq!(parsed.len(), 30);
        let cat = Catalog::builtin();
        assert_eq!(cat.get("FDI_ACT").map(|i| i.unit.as_str()), Some("万美元"));
        assert_eq!(
            cat.get("IND_VA").map(|i| i.default_method()),
            Some(Method::GrowthCarry)
        );
        assert_eq!(cat.industries().len(), 5);
        assert_eq!(cat.version(), "2022.1");
        Ok(())
    }

    #[test]
    fn user_file_overrides_and_extends() -> Result<(), Box<dyn std::error::Error>> {
        let user = "code,name,aliases,unit,kind,growth,projection\nIND_VA,工业增加值,园区增加值|增加值总量,万元,F,C,S\nTOURISTS,接待游客,游客人数,人,F,N,S\n";
        let cat = Catalog::builtin().with_user_text(user, Path::new("my.csv"))?;
        assert_eq!(cat.get("IND_VA").map(|i| i.unit.as_str()), Some("万元"));
        assert_eq!(
            cat.match_label("增加值总量").code.as_deref(),
            Some("IND_VA")
        );
        assert_eq!(
            cat.match_label("接待游客").code.as_deref(),
            Some("TOURISTS")
        );
        assert_eq!(cat.indicators().len(), 31);
        Ok(())
    }

    #[test]
    fn industries_per_park() -> Result<(), Box<dyn std::error::Error>> {
        let text = "code\tname\taliases\tleading\tparks\nNFM\t有色金属加工\t有色金属\t1\t\nLEE\t轻工电子\t\t1\t\nLEE\t轻工电子\t\t0\t东山工业园区|西山园区\n";
        let inds = parse_industries(text, Path::new("i.tsv"))?;
        assert_eq!(inds.len(), 3);
        assert!(inds[1].parks.is_empty() && inds[1].leading);
        assert_eq!(inds[2].parks, ["东山工业园区", "西山园区"]);
        assert!(!inds[2].leading);
        Ok(())
    }

    #[test]
    fn user_file_errors_name_the_line() {
        let user = "code,name,aliases,unit,kind,growth,projection\nX,某指标,,斤,F,N,S\n";
        let err = Catalog::builtin()
            .with_user_text(user, Path::new("my.csv"))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(err.to_string(), "my.csv:2: unknown unit \"斤\"");
    }
}
