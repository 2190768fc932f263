//! Ranking parks by value and by growth, ties sharing a rank, with the change against the
//! previous month (进位 positive, 退位 negative).

use polars::prelude::*;

use super::col as c;

fn period() -> [Expr; 3] {
    [col(c::INDICATOR), col(c::YEAR), col(c::MONTH)]
}

fn rank_of(name: &str) -> PolarsResult<Expr> {
    Ok(col(name)
        .rank(
            RankOptions {
                method: RankMethod::Min,
                descending: true,
            },
            None,
        )
        .over(period())?
        .cast(DataType::Int32))
}

/// Columns: indicator, year, month, park, ytd, ytd_growth, parks, rank_value, rank_growth,
/// rank_value_prev, rank_change (previous rank − rank: positive means the park moved up).
/// Only periods with at least two parks are ranked; a park without the figure is unranked (null).
///
/// # Errors
/// A polars error when the window expressions cannot be built.
pub fn ranking(summary: LazyFrame) -> PolarsResult<LazyFrame> {
    let base = summary
        .filter(col(c::YTD).is_not_null())
        .select([
            col(c::INDICATOR),
            col(c::YEAR),
            col(c::MONTH),
            col(c::PARK),
            col(c::YTD),
            col(c::YTD_GROWTH),
        ])
        .with_columns([col(c::PARK)
            .count()
            .over(period())?
            .cast(DataType::Int32)
            .alias("parks")])
        .filter(col("parks").gt_eq(lit(2)))
        .with_columns([
            rank_of(c::YTD)?.alias("rank_value"),
            rank_of(c::YTD_GROWTH)?.alias("rank_growth"),
        ]);
    let prev = base.clone().select([
        col(c::INDICATOR),
        col(c::YEAR),
        (col(c::MONTH) + lit(1)).alias(c::MONTH),
        col(c::PARK),
        col("rank_value").alias("rank_value_prev"),
    ]);
    let on = [col(c::INDICATOR), col(c::YEAR), col(c::MONTH), col(c::PARK)];
    Ok(base
        .join(prev, on.clone(), on, JoinArgs::new(JoinType::Left))
        .with_columns([(col("rank_value_prev") - col("rank_value")).alias("rank_change")])
        .sort(
            ["indicator", "year", "month", "rank_value"],
            SortMultipleOptions::default(),
        ))
}
