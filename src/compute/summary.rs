//! The summary frame: per park, indicator, year and month, the reported figures side by side
//! with growth, monthly values, the full-year projection and target completion.

use polars::prelude::*;

use super::frames::{SLOTS, catalog_frame};
use super::{ComputeOptions, col as c, polars_err};
use crate::catalog::{Catalog, Method};
use crate::error::Result;
use crate::tidy::col as t;

/// The key of a summary row: park, indicator, year, month.
pub(crate) const KEYS: [&str; 4] = [c::PARK, c::INDICATOR, c::YEAR, c::MONTH];

fn keys() -> Vec<Expr> {
    KEYS.iter().map(|k| col(*k)).collect()
}

fn null_f64() -> Expr {
    lit(NULL).cast(DataType::Float64)
}

fn pick(basis: &str) -> Expr {
    col(t::VALUE).filter(col(t::BASIS).eq(lit(basis))).first()
}

/// Spreads the park-level figures of the tidy frame into one row per park, indicator, year and
/// month with a column per basis (`ytd`, `ytd_prior_reported`, …).
///
/// The computations use [`super::pivot::pivot_frame`], the same pivot in one pass over an
/// in-memory frame; this query is its specification.
pub fn pivot(tidy: LazyFrame) -> LazyFrame {
    let absolute = super::pivot::ABSOLUTE
        .iter()
        .fold(lit(false), |acc, b| acc.or(col(t::BASIS).eq(lit(*b))));
    tidy.filter(
        col(t::ENTITY)
            .is_null()
            .and(col(t::INDICATOR).is_not_null()),
    )
    .group_by(keys())
    .agg([
        pick("ytd").alias(c::YTD),
        pick("ytd_prior").alias("ytd_prior_reported"),
        pick("ytd_growth").alias(c::YTD_GROWTH_REPORTED),
        pick("month").alias("month_reported"),
        pick("month_prior").alias("month_prior_reported"),
        pick("month_growth").alias("month_growth_reported"),
        pick("full_year_prior").alias("full_year_prior_reported"),
        pick("target").alias("target_reported"),
        pick("completion").alias("completion_reported"),
        pick("projection").alias("projection_reported"),
        col(t::UNIT).filter(absolute).first().alias(c::UNIT),
        col(t::FILE)
            .filter(col(t::BASIS).eq(lit("ytd")))
            .first()
            .alias("ytd_file"),
        col(t::SHEET)
            .filter(col(t::BASIS).eq(lit("ytd")))
            .first()
            .alias("ytd_sheet"),
        col(t::CELL)
            .filter(col(t::BASIS).eq(lit("ytd")))
            .first()
            .alias("ytd_cell"),
    ])
    .with_columns([
        lit(false).alias(c::COMPUTED),
        null_f64().alias("rc_projection"),
    ])
}

/// A left join of `lf` and `other` on the columns `on`.
pub(crate) fn left_join(lf: LazyFrame, other: LazyFrame, on: &[&str]) -> LazyFrame {
    let on: Vec<Expr> = on.iter().map(|k| col(*k)).collect();
    lf.join(other, on.clone(), on, JoinArgs::new(JoinType::Left))
}

/// Adds growth, monthly values, projections and targets to pivoted rows (see [`pivot`]).
fn enrich(rows: DataFrame, catalog: &DataFrame, user: &DataFrame) -> PolarsResult<LazyFrame> {
    // the earlier periods' figures (the month before, a year before, December a year before)
    let base = super::earlier::with_earlier_periods(rows)?.lazy();
    let user_park = user
        .clone()
        .lazy()
        .filter(col(c::PARK).neq(lit("")))
        .select([
            col(c::PARK),
            col(c::INDICATOR),
            col("user_target").alias("ut_p"),
            col("user_target_growth").alias("utg_p"),
            col("user_projection").alias("up_p"),
            col("user_growth_rest").alias("ug_p"),
            col("user_full_year_prior").alias("uf_p"),
        ]);
    let user_all = user
        .clone()
        .lazy()
        .filter(col(c::PARK).eq(lit("")))
        .select([
            col(c::INDICATOR),
            col("user_target").alias("ut_a"),
            col("user_target_growth").alias("utg_a"),
            col("user_projection").alias("up_a"),
            col("user_growth_rest").alias("ug_a"),
            col("user_full_year_prior").alias("uf_a"),
        ]);
    let mut lf = left_join(base, catalog.clone().lazy(), &[c::INDICATOR]);
    lf = left_join(lf, user_park, &[c::PARK, c::INDICATOR]);
    lf = left_join(lf, user_all, &[c::INDICATOR]);

    let rule = || col("growth_rule");
    let kind = || col("kind");
    let pct = || rule().eq(lit("N")).or(rule().eq(lit("C")));
    let flow = || kind().eq(lit("F")).or(kind().eq(lit("CF")));
    let ytd = || col(c::YTD);
    let month = || col(c::MONTH);

    lf = lf.with_columns([
        col("ytd_prior_reported")
            .fill_null(col("ly_ytd"))
            .alias(c::YTD_PRIOR),
        col("full_year_prior_reported")
            .fill_null(col("ly_full"))
            .fill_null(col("uf_p"))
            .fill_null(col("uf_a"))
            .alias(c::FULL_YEAR_PRIOR),
        when(pct())
            .then(lit("pct"))
            .when(rule().eq(lit("PP")))
            .then(lit("pp"))
            .otherwise(lit("abs"))
            .alias(c::GROWTH_KIND),
        col("ytd_prior_prev_month")
            .fill_null(col("ly_ytd_prev_month"))
            .alias("prior_prev_month"),
        col("ug_p").fill_null(col("ug_a")).alias("growth_rest_user"),
        col("up_p").fill_null(col("up_a")).alias("projection_user"),
        col("target_reported")
            .fill_null(col("ut_p"))
            .fill_null(col("ut_a"))
            .alias(c::TARGET),
        col("utg_p")
            .fill_null(col("utg_a"))
            .fill_null(lit(false))
            .alias("target_is_growth"),
        (month().cast(DataType::Float64) * lit(100.0) / lit(12.0)).alias(c::TIME_PROGRESS),
    ]);
    let prior = || col(c::YTD_PRIOR);
    lf = lf.with_columns([
        when(pct().and(prior().gt(lit(0.0))))
            .then((ytd() / prior() - lit(1.0)) * lit(100.0))
            .when(pct().not())
            .then(ytd() - prior())
            .otherwise(null_f64())
            .alias(c::YTD_GROWTH_COMPUTED),
        when(pct())
            .then(prior().fill_null(ytd() / (lit(1.0) + col(c::YTD_GROWTH_REPORTED) / lit(100.0))))
            .otherwise(prior())
            .alias("prior_implied"),
    ]);
    let reported = || col(c::YTD_GROWTH_REPORTED);
    let computed = || col(c::YTD_GROWTH_COMPUTED);
    let pm = || col("prior_implied");
    lf = lf.with_columns([
        when(rule().eq(lit("C")))
            .then(reported().fill_null(computed()))
            .otherwise(computed().fill_null(reported()))
            .alias(c::YTD_GROWTH),
        col("month_reported")
            .fill_null(
                when(flow().not())
                    .then(null_f64())
                    .when(month().eq(lit(1)))
                    .then(ytd())
                    .when(month().eq(lit(2)).and(col("ytd_prev_month").is_null()))
                    .then(ytd())
                    .otherwise(ytd() - col("ytd_prev_month")),
            )
            .alias(c::MONTH_VALUE),
        col("month_prior_reported")
            .fill_null(col("ly_month"))
            .fill_null(
                when(flow().not())
                    .then(null_f64())
                    .when(month().eq(lit(1)))
                    .then(pm())
                    .when(month().eq(lit(2)).and(col("prior_prev_month").is_null()))
                    .then(pm())
                    .otherwise(pm() - col("prior_prev_month")),
            )
            .alias("month_prior_value"),
    ]);
    let g = || col(c::YTD_GROWTH);
    let fyp = || col(c::FULL_YEAR_PRIOR);
    lf = lf.with_columns([
        when(ytd().is_null().or(g().is_not_null()).or(pct().not()))
            .then(lit(NULL).cast(DataType::String))
            .when(prior().lt(lit(0.0)).and(ytd().gt(lit(0.0))))
            .then(lit("扭亏"))
            .when(prior().lt(lit(0.0)))
            .then(lit("亏损"))
            .when(prior().eq(lit(0.0)).and(ytd().gt(lit(0.0))))
            .then(lit("新增"))
            .otherwise(lit("无基数"))
            .alias(c::GROWTH_NOTE),
        col("month_growth_reported")
            .fill_null(
                when(col("month_prior_value").gt(lit(0.0)))
                    .then((col(c::MONTH_VALUE) / col("month_prior_value") - lit(1.0)) * lit(100.0))
                    .otherwise(null_f64()),
            )
            .alias(c::MONTH_GROWTH),
        when(flow().and(pm().gt(lit(0.0))).and(fyp().is_not_null()))
            .then(ytd() * fyp() / pm())
            .otherwise(null_f64())
            .alias("proj_S"),
        when(flow().and(pct()))
            .then(fyp() * (lit(1.0) + g() / lit(100.0)))
            .otherwise(null_f64())
            .alias("proj_G"),
        when(flow())
            .then(ytd() * lit(12.0) / month().cast(DataType::Float64))
            .otherwise(null_f64())
            .alias("proj_L"),
        when(flow())
            .then(
                ytd()
                    + (fyp() - pm())
                        * (lit(1.0) + col("growth_rest_user").fill_null(g()) / lit(100.0)),
            )
            .otherwise(null_f64())
            .alias("proj_R"),
        col("projection_user")
            .fill_null(col("projection_reported"))
            .alias("proj_M"),
        col("rc_projection")
            .fill_null(col("projection_reported"))
            .alias("proj_RC"),
        ytd().alias("proj_K"),
    ]);
    // the first preferred method whose inputs exist
    let candidate = |slot: &str| {
        let p = || col(slot);
        when(p().eq(lit("S")))
            .then(col("proj_S"))
            .when(p().eq(lit("G")))
            .then(col("proj_G"))
            .when(p().eq(lit("L")))
            .then(col("proj_L"))
            .when(p().eq(lit("R")))
            .then(col("proj_R"))
            .when(p().eq(lit("M")))
            .then(col("proj_M"))
            .when(p().eq(lit("RC")))
            .then(col("proj_RC"))
            .when(p().eq(lit("K")))
            .then(col("proj_K"))
            .otherwise(null_f64())
    };
    let slots: Vec<String> = (0..SLOTS).map(|i| format!("pref{i}")).collect();
    lf = lf.with_columns(
        slots
            .iter()
            .enumerate()
            .map(|(i, s)| candidate(s).alias(format!("cand{i}")))
            .collect::<Vec<_>>(),
    );
    let projection = (1..SLOTS).fold(col("cand0"), |acc, i| {
        acc.fill_null(col(format!("cand{i}")))
    });
    let method = (0..SLOTS)
        .rev()
        .fold(lit(NULL).cast(DataType::String), |acc, i| {
            when(col(format!("cand{i}")).is_not_null())
                .then(col(format!("pref{i}")))
                .otherwise(acc)
        });
    lf = lf.with_columns([
        projection.alias(c::PROJECTION),
        method.alias(c::PROJECTION_METHOD),
    ]);
    lf = with_projection_growth(lf);
    let target = || col(c::TARGET);
    let tg = || col("target_is_growth");
    lf = lf.with_columns([when(tg())
        .then(null_f64())
        .when(
            target()
                .gt(lit(0.0))
                .and(kind().neq(lit("RT")))
                .and(kind().neq(lit("R"))),
        )
        .then(ytd() / target() * lit(100.0))
        .otherwise(col("completion_reported"))
        .alias(c::COMPLETION)]);
    let completion = || col(c::COMPLETION);
    Ok(lf
        .with_columns([when(tg())
            .then(g() - target())
            .when(kind().eq(lit("RT")).or(kind().eq(lit("R"))))
            .then(ytd() - target())
            .when(target().eq(lit(0.0)))
            .then(target() - ytd())
            .otherwise(completion() - col(c::TIME_PROGRESS))
            .alias(c::SCHEDULE_GAP_PP)])
        .with_columns([when(target().is_null())
            .then(lit(NULL).cast(DataType::Boolean))
            .otherwise(col(c::SCHEDULE_GAP_PP).gt_eq(lit(0.0)))
            .alias(c::TARGET_MET)]))
}

fn with_projection_growth(lf: LazyFrame) -> LazyFrame {
    let pct = col("growth_rule")
        .eq(lit("N"))
        .or(col("growth_rule").eq(lit("C")));
    lf.with_columns([when(pct.clone().and(col(c::FULL_YEAR_PRIOR).gt(lit(0.0))))
        .then((col(c::PROJECTION) / col(c::FULL_YEAR_PRIOR) - lit(1.0)) * lit(100.0))
        .when(pct.not())
        .then(col(c::PROJECTION) - col(c::FULL_YEAR_PRIOR))
        .otherwise(null_f64())
        .alias(c::PROJECTION_GROWTH)])
}

/// Ratios the crate computes from their parts: (code, numerator, denominator, factor).
pub const RATIOS: &[(&str, &str, &str, f64)] = &[
    ("LEAD_SHARE", "LEAD_GOV", "IND_GOV", 100.0),
    ("INV_INTENSITY", "FAI_IND_CUM", "LAND_IND", 1e4),
];

fn part(lf: &LazyFrame, code: &str, prefix: &str) -> LazyFrame {
    lf.clone().filter(col(c::INDICATOR).eq(lit(code))).select([
        col(c::PARK),
        col(c::YEAR),
        col(c::MONTH),
        col(c::YTD).alias(format!("{prefix}_ytd")),
        col(c::YTD_PRIOR).alias(format!("{prefix}_prior")),
        col(c::FULL_YEAR_PRIOR).alias(format!("{prefix}_fyp")),
        col(c::PROJECTION).alias(format!("{prefix}_proj")),
        col("ytd_file").alias(format!("{prefix}_file")),
        col("ytd_sheet").alias(format!("{prefix}_sheet")),
        col("ytd_cell").alias(format!("{prefix}_cell")),
    ])
}

/// Rows of computed ratios, shaped like pivoted rows.
fn ratio_rows(enriched: &LazyFrame, lead_from_shares: LazyFrame, catalog: &Catalog) -> LazyFrame {
    let mut frames = Vec::new();
    for (code, num, den, factor) in RATIOS {
        let unit = catalog
            .get(code)
            .map(|i| i.unit.clone())
            .unwrap_or_default();
        let ratio = |a: &str, b: &str| {
            when(col(b).gt(lit(0.0)))
                .then(col(a) / col(b) * lit(*factor))
                .otherwise(null_f64())
        };
        let joined = part(enriched, num, "n").join(
            part(enriched, den, "d"),
            [col(c::PARK), col(c::YEAR), col(c::MONTH)],
            [col(c::PARK), col(c::YEAR), col(c::MONTH)],
            JoinArgs::new(JoinType::Inner),
        );
        frames.push(joined.select([
            col(c::PARK),
            lit(*code).alias(c::INDICATOR),
            col(c::YEAR),
            col(c::MONTH),
            ratio("n_ytd", "d_ytd").alias(c::YTD),
            ratio("n_prior", "d_prior").alias("ytd_prior_reported"),
            ratio("n_fyp", "d_fyp").alias("full_year_prior_reported"),
            ratio("n_proj", "d_proj").alias("rc_projection"),
            lit(unit.clone()).alias(c::UNIT),
            col("n_file").alias("ytd_file"),
            col("n_sheet").alias("ytd_sheet"),
            col("n_cell").alias("ytd_cell"),
        ]));
    }
    frames.push(lead_from_shares);
    concat(frames, UnionArgs::default()).unwrap_or_else(|_| enriched.clone().limit(0))
}

/// Builds the summary frame with every intermediate column (candidates `proj_S` …, joins).
///
/// # Errors
/// [`crate::Error::Compute`].
pub fn enriched(
    tidy: LazyFrame,
    shares: LazyFrame,
    catalog: &Catalog,
    opts: &ComputeOptions,
) -> Result<DataFrame> {
    let cat = catalog_frame(catalog, opts).map_err(polars_err("the catalogue frame"))?;
    let user = opts
        .inputs
        .frame()
        .map_err(polars_err("the user's targets"))?;
    let rows = tidy
        .collect()
        .and_then(|df| super::pivot::pivot_frame(&df))
        .map_err(polars_err("the pivot of the tidy frame"))?;
    // the ratios read only their parts' rows: every join of `enrich` keeps to one indicator, so
    // enriching those rows alone gives them as enriching all would
    let is_part = RATIOS
        .iter()
        .flat_map(|(_, n, d, _)| [*n, *d])
        .fold(lit(false), |acc, code| {
            acc.or(col(c::INDICATOR).eq(lit(code)))
        });
    let first = rows
        .clone()
        .lazy()
        .filter(is_part)
        .collect()
        .and_then(|part_rows| enrich(part_rows, &cat, &user)?.collect())
        .map_err(polars_err("growth and projections"))?;
    // LEAD_SHARE from enterprise returns where no park figure gives it
    let lead = shares
        .filter(col("leading").eq(lit(true)))
        .group_by([col(c::PARK), col(c::YEAR), col(c::MONTH)])
        .agg([
            col("share").sum().alias(c::YTD),
            col("share_prior").sum().alias("ytd_prior_reported"),
            col("file").first().alias("ytd_file"),
            col("sheet").first().alias("ytd_sheet"),
            col("cell").first().alias("ytd_cell"),
        ])
        .select([
            col(c::PARK),
            lit("LEAD_SHARE").alias(c::INDICATOR),
            col(c::YEAR),
            col(c::MONTH),
            col(c::YTD),
            col("ytd_prior_reported"),
            null_f64().alias("full_year_prior_reported"),
            null_f64().alias("rc_projection"),
            lit("%").alias(c::UNIT),
            col("ytd_file"),
            col("ytd_sheet"),
            col("ytd_cell"),
        ]);
    let ratios = ratio_rows(&first.lazy(), lead, catalog)
        .group_by(keys())
        .agg([all().exclude_cols(KEYS).as_expr().first()])
        .collect()
        .map_err(polars_err("computed ratios"))?;
    // reported ratio rows take the recomputed projection; missing ones become computed rows
    let rc = ratios.clone().lazy().select([
        col(c::PARK),
        col(c::INDICATOR),
        col(c::YEAR),
        col(c::MONTH),
        col("rc_projection").alias("rc2"),
    ]);
    let reported = left_join(rows.clone().lazy(), rc, &KEYS)
        .with_columns([col("rc2").alias("rc_projection")])
        .drop(cols(["rc2"]));
    let present = rows.lazy().select([
        col(c::PARK),
        col(c::INDICATOR),
        col(c::YEAR),
        col(c::MONTH),
        lit(true).alias("present"),
    ]);
    let computed_rows = left_join(ratios.lazy(), present, &KEYS)
        .filter(col("present").is_null())
        .select([
            col(c::PARK),
            col(c::INDICATOR),
            col(c::YEAR),
            col(c::MONTH),
            col(c::YTD),
            col("ytd_prior_reported"),
            null_f64().alias(c::YTD_GROWTH_REPORTED),
            null_f64().alias("month_reported"),
            null_f64().alias("month_prior_reported"),
            null_f64().alias("month_growth_reported"),
            col("full_year_prior_reported"),
            null_f64().alias("target_reported"),
            null_f64().alias("completion_reported"),
            null_f64().alias("projection_reported"),
            col(c::UNIT),
            col("ytd_file"),
            col("ytd_sheet"),
            col("ytd_cell"),
            lit(true).alias(c::COMPUTED),
            col("rc_projection"),
        ]);
    let all_rows = concat(
        [reported, computed_rows],
        UnionArgs {
            to_supertypes: true,
            ..Default::default()
        },
    )
    .map_err(polars_err("summary rows"))?;
    all_rows
        .collect()
        .and_then(|rows| enrich(rows, &cat, &user))
        .map_err(polars_err("summary rows"))?
        .sort(
            ["park", "year", "month", "order"],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()
        .map_err(polars_err("the summary"))
}

/// The public columns of the summary, in order.
pub const SUMMARY_COLUMNS: &[&str] = &[
    c::PARK,
    c::INDICATOR,
    c::YEAR,
    c::MONTH,
    c::UNIT,
    c::YTD,
    c::YTD_PRIOR,
    c::YTD_GROWTH_COMPUTED,
    c::YTD_GROWTH_REPORTED,
    c::YTD_GROWTH,
    c::GROWTH_KIND,
    c::GROWTH_NOTE,
    c::MONTH_VALUE,
    c::MONTH_GROWTH,
    c::FULL_YEAR_PRIOR,
    c::PROJECTION,
    c::PROJECTION_METHOD,
    c::PROJECTION_GROWTH,
    c::TARGET,
    c::COMPLETION,
    c::TIME_PROGRESS,
    c::SCHEDULE_GAP_PP,
    c::TARGET_MET,
    c::COMPUTED,
    "ytd_file",
    "ytd_sheet",
    "ytd_cell",
];

/// Builds the public summary frame (see [`SUMMARY_COLUMNS`] and the README).
///
/// # Errors
/// [`crate::Error::Compute`].
pub fn summary(
    tidy: LazyFrame,
    shares: LazyFrame,
    catalog: &Catalog,
    opts: &ComputeOptions,
) -> Result<DataFrame> {
    enriched(tidy, shares, catalog, opts)
}

/// Keeps the public columns of an enriched frame.
///
/// # Errors
/// [`crate::Error::Compute`] when a column is missing.
pub fn public(df: &DataFrame) -> Result<DataFrame> {
    // 9 decimals: below any precision a return shows, and no float noise (19.999999999999996)
    let rounded: Vec<Expr> = SUMMARY_COLUMNS
        .iter()
        .map(|name| match df.column(name).map(|c| c.dtype().clone()) {
            Ok(DataType::Float64) => col(*name).round(9, RoundMode::HalfAwayFromZero),
            _ => col(*name),
        })
        .collect();
    df.clone()
        .lazy()
        .select(rounded)
        .collect()
        .map_err(polars_err("the summary columns"))
}

const METHODS: [&str; 4] = ["S", "G", "L", "R"];

/// Each projection method's error on earlier complete years: for every park, indicator and
/// year that has both a 1–m row and its December (1–12) row, the method's projection from the
/// 1–m row against the actual total. Columns: park, indicator, method, years, mean_abs_error_pct;
/// sorted by park, indicator and error, equal errors in the order S, G, L, R.
pub fn backtest(enriched: LazyFrame) -> LazyFrame {
    let actual = enriched.clone().filter(col(c::MONTH).eq(lit(12))).select([
        col(c::PARK),
        col(c::INDICATOR),
        col(c::YEAR),
        col(c::YTD).alias("actual"),
    ]);
    let rows = enriched.filter(col(c::MONTH).lt(lit(12))).join(
        actual,
        [col(c::PARK), col(c::INDICATOR), col(c::YEAR)],
        [col(c::PARK), col(c::INDICATOR), col(c::YEAR)],
        JoinArgs::new(JoinType::Inner),
    );
    let per_method: Vec<LazyFrame> = METHODS
        .iter()
        .map(|m| {
            rows.clone()
                .filter(
                    col(format!("proj_{m}"))
                        .is_not_null()
                        .and(col("actual").gt(lit(0.0))),
                )
                .select([
                    col(c::PARK),
                    col(c::INDICATOR),
                    lit(*m).alias("method"),
                    col(c::YEAR),
                    ((col(format!("proj_{m}")) - col("actual")).abs() / col("actual") * lit(100.0))
                        .alias("abs_error_pct"),
                ])
        })
        .collect();
    concat(per_method, UnionArgs::default())
        .unwrap_or_else(|_| rows.clone().limit(0).select([col(c::PARK)]))
        .group_by([col(c::PARK), col(c::INDICATOR), col("method")])
        .agg([
            col(c::YEAR).n_unique().alias("years"),
            col("abs_error_pct").mean().alias("mean_abs_error_pct"),
        ])
        .with_column(method_order().alias("method_order"))
        .sort(
            ["park", "indicator", "mean_abs_error_pct", "method_order"],
            SortMultipleOptions::default(),
        )
        .drop(cols(["method_order"]))
}

/// The place of a backtest row's method in [`METHODS`]: equal errors are ordered by it (S and R
/// give the same projection whenever both exist, so ties are common), so that the backtest's
/// rows and the method `apply_best` picks are the same from run to run.
fn method_order() -> Expr {
    METHODS
        .iter()
        .enumerate()
        .rev()
        .fold(lit(METHODS.len() as u32), |acc, (i, m)| {
            when(col("method").eq(lit(*m)))
                .then(lit(i as u32))
                .otherwise(acc)
        })
}

/// Re-projects with the method that had the smallest backtest error, where it has inputs.
///
/// # Errors
/// [`crate::Error::Compute`].
pub fn apply_best(
    enriched: DataFrame,
    backtest: &DataFrame,
    _catalog: &Catalog,
) -> Result<DataFrame> {
    let best = backtest
        .clone()
        .lazy()
        .with_column(method_order().alias("method_order"))
        .sort(
            ["mean_abs_error_pct", "method_order"],
            SortMultipleOptions::default(),
        )
        .group_by([col(c::PARK), col(c::INDICATOR)])
        .agg([col("method").first().alias("best")]);
    let usable = |m: &str| {
        col("best")
            .eq(lit(m))
            .and(col(format!("proj_{m}")).is_not_null())
    };
    let choose = METHODS.iter().fold(col(c::PROJECTION), |acc, m| {
        when(usable(m))
            .then(col(format!("proj_{m}")))
            .otherwise(acc)
    });
    let any = METHODS.iter().fold(lit(false), |acc, m| acc.or(usable(m)));
    let lf = left_join(enriched.lazy(), best, &[c::PARK, c::INDICATOR]);
    let lf = lf.with_columns([
        choose.alias(c::PROJECTION),
        when(any)
            .then(col("best"))
            .otherwise(col(c::PROJECTION_METHOD))
            .alias(c::PROJECTION_METHOD),
    ]);
    with_projection_growth(lf)
        .drop(cols(["best"]))
        .collect()
        .map_err(polars_err("the backtested projection"))
}

/// The method a letter stands for, for labels.
pub fn method_label(letter: &str) -> String {
    Method::parse(letter)
        .map(|m| m.label().to_string())
        .unwrap_or_else(|| letter.to_string())
}
