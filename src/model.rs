//! The figures parkstat extracts, before they become a DataFrame.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What a figure measures in time: the month, the cumulative year to date, last year's, …
///
/// The string forms (`month`, `ytd`, …) are the `basis` column of the tidy frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 本月: the month's value.
    Month,
    /// 上年同月: the same month last year.
    MonthPrior,
    /// 本月同比 %: the month's growth, as reported.
    MonthGrowth,
    /// 1–m 累计: cumulative this year.
    Ytd,
    /// 上年同期累计: last year's cumulative to the same month.
    YtdPrior,
    /// 累计同比 %: cumulative growth, as reported.
    YtdGrowth,
    /// 上年全年: last year's total.
    FullYearPrior,
    /// 全年目标: the annual target.
    Target,
    /// 完成率 %: completion of the target, as reported.
    Completion,
    /// 预计全年: the full-year projection, as reported.
    Projection,
    /// 预计全年增长 %: the projection's growth, as reported.
    ProjectionGrowth,
}

impl Basis {
    /// Every basis, in the order of the tidy schema's documentation.
    pub const ALL: [Basis; 11] = [
        Basis::Month,
        Basis::MonthPrior,
        Basis::MonthGrowth,
        Basis::Ytd,
        Basis::YtdPrior,
        Basis::YtdGrowth,
        Basis::FullYearPrior,
        Basis::Target,
        Basis::Completion,
        Basis::Projection,
        Basis::ProjectionGrowth,
    ];

    /// The name used in the tidy frame.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Month => "month",
            Basis::MonthPrior => "month_prior",
            Basis::MonthGrowth => "month_growth",
            Basis::Ytd => "ytd",
            Basis::YtdPrior => "ytd_prior",
            Basis::YtdGrowth => "ytd_growth",
            Basis::FullYearPrior => "full_year_prior",
            Basis::Target => "target",
            Basis::Completion => "completion",
            Basis::Projection => "projection",
            Basis::ProjectionGrowth => "projection_growth",
        }
    }

    /// Parses the tidy frame's name.
    pub fn parse(s: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// True for bases whose values are percentages whatever the indicator's unit.
    pub fn is_percent(self) -> bool {
        matches!(
            self,
            Basis::MonthGrowth | Basis::YtdGrowth | Basis::Completion | Basis::ProjectionGrowth
        )
    }

    /// The growth of a figure of this basis: the month's growth for the month, the cumulative
    /// growth for the cumulative, the projected growth for the projection; a growth is itself.
    /// `None` for the bases whose growth the tidy table has no place for (last year's figures,
    /// targets, completion).
    ///
    /// ```
    /// use parkstat::model::Basis;
    /// assert_eq!(Basis::Ytd.growth(), Some(Basis::YtdGrowth));
    /// assert_eq!(Basis::Target.growth(), None);
    /// ```
    pub fn growth(self) -> Option<Basis> {
        match self {
            Basis::Month | Basis::MonthGrowth => Some(Basis::MonthGrowth),
            Basis::Ytd | Basis::YtdGrowth => Some(Basis::YtdGrowth),
            Basis::Projection | Basis::ProjectionGrowth => Some(Basis::ProjectionGrowth),
            _ => None,
        }
    }

    /// The Chinese column label ("1-8月累计" is built elsewhere; this is the generic one).
    pub fn label_zh(self) -> &'static str {
        match self {
            Basis::Month => "本月",
            Basis::MonthPrior => "上年同月",
            Basis::MonthGrowth => "本月同比(%)",
            Basis::Ytd => "累计",
            Basis::YtdPrior => "上年同期",
            Basis::YtdGrowth => "同比增长(%)",
            Basis::FullYearPrior => "上年全年",
            Basis::Target => "全年目标",
            Basis::Completion => "完成率(%)",
            Basis::Projection => "预计全年",
            Basis::ProjectionGrowth => "预计增长(%)",
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One figure read from a return: a row of the tidy frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The park the figure belongs to.
    pub park: String,
    /// The enterprise, for enterprise returns.
    pub entity: Option<String>,
    /// The industry (a pillar name where it matched), for enterprise returns.
    pub industry: Option<String>,
    /// The year.
    pub year: i32,
    /// The month (the last month of a cumulative period).
    pub month: u32,
    /// The catalogue code; `None` for a row that matched nothing.
    pub indicator: Option<String>,
    /// The label as written in the return.
    pub label: String,
    /// What the value measures in time.
    pub basis: Basis,
    /// The value in the canonical unit (or the reported unit when it cannot convert).
    pub value: f64,
    /// The unit of `value`.
    pub unit: String,
    /// The source file.
    pub file: String,
    /// The source sheet.
    pub sheet: String,
    /// The source cell (A1).
    pub cell: String,
    /// The row was marked as a sub-item (其中).
    pub sub_item: bool,
}

/// Something the reader noticed that the user should know, with its place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The file.
    pub file: String,
    /// The sheet, when in one.
    pub sheet: String,
    /// The cell, when at one.
    pub cell: String,
    /// What was noticed.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.sheet.is_empty(), self.cell.is_empty()) {
            (true, _) => write!(f, "{}: {}", self.file, self.message),
            (false, true) => write!(f, "{} [{}]: {}", self.file, self.sheet, self.message),
            (false, false) => write!(
                f,
                "{} [{}]!{}: {}",
                self.file, self.sheet, self.cell, self.message
            ),
        }
    }
}

/// A subtotal or total row of an enterprise or comparison return, kept to cross-check sums.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalRow {
    /// "小计" or "合计" as written, with the industry for a subtotal.
    pub label: String,
    /// The industry a subtotal closes, if known.
    pub industry: Option<String>,
    /// The figures of the row (entity empty).
    pub figures: Vec<Figure>,
}
