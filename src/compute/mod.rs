//! What the statistician reports: growth, monthly values, full-year projections, shares,
//! contribution, targets, rankings and the audit (FORMULAS.md), as polars lazy computations.
//!
//! Every function takes the tidy frame (or the summary) as a [`LazyFrame`] and returns a
//! [`LazyFrame`]; [`compute_all`] runs them together and collects.
//!
//! ```
//! use polars::prelude::*;
//! use parkstat::compute::{compute_all, ComputeOptions};
//! use parkstat::model::{Basis, Figure};
//! use parkstat::{tidy::figures_to_frame, Catalog};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let fig = |basis, value| Figure { park: "青林县工业园区".into(), entity: None, industry: None, year: 2022, month: 8,
//!     indicator: Some("TAX_PAID".into()), label: "实缴税金".into(), basis, value, unit: "亿元".into(),
//!     file: "a.xlsx".into(), sheet: "S".into(), cell: "E7".into(), sub_item: false };
//! let tidy = figures_to_frame(&[fig(Basis::Ytd, 2.4), fig(Basis::YtdPrior, 2.0), fig(Basis::FullYearPrior, 3.2)])?;
//! let out = compute_all(tidy.lazy(), &Catalog::builtin(), &ComputeOptions::default())?;
//! let s = &out.summary;
//! // growth (2.4 / 2.0 − 1) × 100 = 20 %; seasonal projection 2.4 × 3.2 / 2.0 = 3.84
//! assert_eq!(s.column("ytd_growth")?.f64()?.get(0), Some(20.0));
//! assert_eq!(s.column("projection")?.f64()?.get(0), Some(3.84));
//! assert_eq!(s.column("projection_method")?.str()?.get(0), Some("S"));
//! # Ok(())
//! # }
//! ```

pub mod audit;
pub mod earlier;
pub mod frames;
pub mod inputs;
pub mod pivot;
pub mod rank;
pub mod shares;
pub mod summary;

use std::collections::HashMap;

use polars::prelude::*;

use crate::catalog::{Catalog, Method};
use crate::error::{Error, Result};
pub use inputs::{Targets, UserInputs};

/// Column names of the summary frame (one row per park, indicator, year, month).
pub mod col {
    /// Park.
    pub const PARK: &str = "park";
    /// Indicator code.
    pub const INDICATOR: &str = "indicator";
    /// Year.
    pub const YEAR: &str = "year";
    /// Month.
    pub const MONTH: &str = "month";
    /// Canonical unit of the values (not of the % columns).
    pub const UNIT: &str = "unit";
    /// 1–m cumulative value.
    pub const YTD: &str = "ytd";
    /// Last year's 1–m cumulative value (reported, from last year's returns, or backed out of the reported growth).
    pub const YTD_PRIOR: &str = "ytd_prior";
    /// Growth recomputed from ytd and ytd_prior (% for flows, pp for ratios, absolute for counts).
    pub const YTD_GROWTH_COMPUTED: &str = "ytd_growth_computed";
    /// Growth as reported.
    pub const YTD_GROWTH_REPORTED: &str = "ytd_growth_reported";
    /// The preferred growth (reported for comparable-basis indicators, computed otherwise).
    pub const YTD_GROWTH: &str = "ytd_growth";
    /// How growth is expressed: `pct`, `pp` or `abs`.
    pub const GROWTH_KIND: &str = "growth_kind";
    /// Why there is no growth: 扭亏, 新增, 无基数.
    pub const GROWTH_NOTE: &str = "growth_note";
    /// The month's value (reported, or C_m − C_{m−1}).
    pub const MONTH_VALUE: &str = "month_value";
    /// The month's growth %.
    pub const MONTH_GROWTH: &str = "month_growth";
    /// Last year's total.
    pub const FULL_YEAR_PRIOR: &str = "full_year_prior";
    /// The full-year projection.
    pub const PROJECTION: &str = "projection";
    /// The method's letter (S, G, L, R, M, RC, K).
    pub const PROJECTION_METHOD: &str = "projection_method";
    /// Projected growth against last year's total.
    pub const PROJECTION_GROWTH: &str = "projection_growth";
    /// The annual target.
    pub const TARGET: &str = "target";
    /// Completion of the target, %.
    pub const COMPLETION: &str = "completion";
    /// Time progress m/12, %.
    pub const TIME_PROGRESS: &str = "time_progress";
    /// Completion minus time progress, percentage points.
    pub const SCHEDULE_GAP_PP: &str = "schedule_gap_pp";
    /// The target is met (or on schedule).
    pub const TARGET_MET: &str = "target_met";
    /// True for rows the crate computed (ratios from their parts), false for reported ones.
    pub const COMPUTED: &str = "computed";
}

/// Options of the computations.
#[derive(Debug, Clone, Default)]
pub struct ComputeOptions {
    /// Projection method per indicator code, overriding the catalogue's default.
    pub methods: HashMap<String, Method>,
    /// Use, per park and indicator, the method with the smallest backtest error when the batch
    /// holds earlier complete years.
    pub best_backtested: bool,
    /// Targets, manual projections and rest-of-year growth from user files.
    pub inputs: UserInputs,
    /// The indicator whose industry split gives shares and contribution (default IND_GOV).
    pub share_indicator: Option<String>,
    /// Tolerance, in percentage points, between reported and computed growth (default 0.5).
    pub growth_tolerance: Option<f64>,
}

/// All computed frames.
#[derive(Debug, Clone)]
pub struct Computed {
    /// One row per park, indicator, year, month (see [`mod@col`]).
    pub summary: DataFrame,
    /// Industry shares per park and period.
    pub shares: DataFrame,
    /// Contribution (拉动, 贡献率) of each enterprise to its park's growth.
    pub contributions: DataFrame,
    /// Ranks across parks.
    pub ranking: DataFrame,
    /// Projection errors of each method on earlier complete years.
    pub backtest: DataFrame,
    /// Audit findings.
    pub audit: DataFrame,
}

pub(crate) fn polars_err(what: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |source| Error::Compute {
        what: what.to_string(),
        source,
    }
}

/// Runs every computation on a tidy frame and collects the results.
///
/// # Errors
/// [`Error::Compute`] naming the computation that failed.
pub fn compute_all(tidy: LazyFrame, catalog: &Catalog, opts: &ComputeOptions) -> Result<Computed> {
    let tidy = tidy.collect().map_err(polars_err("the tidy frame"))?;
    let shares = shares::industry_shares(tidy.clone().lazy(), catalog, opts)
        .collect()
        .map_err(polars_err("industry shares"))?;
    // independent computations run side by side (polars parallelises little on frames this size)
    let ((contributions, tidy_findings), base) = rayon::join(
        || {
            rayon::join(
                || {
                    shares::enterprise_contributions(tidy.clone().lazy(), opts)
                        .collect()
                        .map_err(polars_err("contributions"))
                },
                || audit::tidy_findings(&tidy),
            )
        },
        || summary::enriched(tidy.clone().lazy(), shares.clone().lazy(), catalog, opts),
    );
    let (contributions, tidy_findings, base) = (contributions?, tidy_findings?, base?);
    let backtest = summary::backtest(base.clone().lazy())
        .collect()
        .map_err(polars_err("the backtest"))?;
    let enriched = if opts.best_backtested {
        summary::apply_best(base, &backtest, catalog)?
    } else {
        base
    };
    let summary = summary::public(&enriched)?;
    let (audit, ranking) = rayon::join(
        || audit::audit_with(tidy_findings, &enriched, catalog, opts),
        || rank::ranking_frame(&summary).map_err(polars_err("the ranking")),
    );
    let (audit, ranking) = (audit?, ranking?);
    Ok(Computed {
        summary,
        shares,
        contributions,
        ranking,
        backtest,
        audit,
    })
}
