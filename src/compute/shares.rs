//! Industry shares (占比, 产业集聚) and contribution to growth (拉动, 贡献率) from enterprise returns.

use polars::prelude::*;

use super::ComputeOptions;
use crate::catalog::Catalog;
use crate::tidy::col as t;

fn sum_of(basis: &str) -> Expr {
    let b = col(t::BASIS).eq(lit(basis));
    when(col(t::VALUE).filter(b.clone()).count().gt(lit(0)))
        .then(col(t::VALUE).filter(b).sum())
        .otherwise(lit(NULL).cast(DataType::Float64))
}

fn enterprise_rows(tidy: LazyFrame, opts: &ComputeOptions) -> LazyFrame {
    let code = opts
        .share_indicator
        .clone()
        .unwrap_or_else(|| "IND_GOV".into());
    tidy.filter(
        col(t::ENTITY)
            .is_not_null()
            .and(col(t::INDICATOR).eq(lit(code))),
    )
}

/// Adds share, growth, 拉动 and 贡献率 columns given `value`, `prior`, `total`, `total_prior`.
fn with_shares(lf: LazyFrame) -> LazyFrame {
    let null = || lit(NULL).cast(DataType::Float64);
    lf.with_columns([
        when(col("total").gt(lit(0.0)))
            .then(col("value") / col("total") * lit(100.0))
            .otherwise(null())
            .alias("share"),
        when(col("total_prior").gt(lit(0.0)))
            .then(col("prior") / col("total_prior") * lit(100.0))
            .otherwise(null())
            .alias("share_prior"),
        when(col("prior").gt(lit(0.0)))
            .then((col("value") / col("prior") - lit(1.0)) * lit(100.0))
            .otherwise(null())
            .alias("growth"),
        when(col("total_prior").gt(lit(0.0)))
            .then((col("value") - col("prior")) / col("total_prior") * lit(100.0))
            .otherwise(null())
            .alias("pull_pp"),
        when((col("total") - col("total_prior")).neq(lit(0.0)))
            .then((col("value") - col("prior")) / (col("total") - col("total_prior")) * lit(100.0))
            .otherwise(null())
            .alias("contribution"),
    ])
    .with_columns([(col("share") - col("share_prior")).alias("share_change_pp")])
}

/// Shares of each industry in its park's total of the share indicator (IND_GOV by default), from
/// enterprise returns. Columns: park, year, month, industry, value, prior, total, total_prior,
/// share, share_prior, share_change_pp, growth, pull_pp, contribution, pillar, leading, file, sheet, cell.
pub fn industry_shares(tidy: LazyFrame, catalog: &Catalog, opts: &ComputeOptions) -> LazyFrame {
    let rows = enterprise_rows(tidy, opts);
    let keys = [col(t::PARK), col(t::YEAR), col(t::MONTH)];
    let totals = rows.clone().group_by(keys.clone()).agg([
        sum_of("ytd").alias("total"),
        sum_of("ytd_prior").alias("total_prior"),
    ]);
    let by_industry = rows
        .filter(col(t::INDUSTRY).is_not_null())
        .group_by([col(t::PARK), col(t::YEAR), col(t::MONTH), col(t::INDUSTRY)])
        .agg([
            sum_of("ytd").alias("value"),
            sum_of("ytd_prior").alias("prior"),
            col(t::FILE).first().alias("file"),
            col(t::SHEET).first().alias("sheet"),
            col(t::CELL).first().alias("cell"),
        ]);
    let inds = catalog.industries();
    let pillars = DataFrame::new(
        inds.len(),
        vec![
            Column::new(
                t::INDUSTRY.into(),
                inds.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "leading".into(),
                inds.iter().map(|i| i.leading).collect::<Vec<_>>(),
            ),
        ],
    )
    .unwrap_or_default()
    .lazy()
    .with_columns([lit(true).alias("pillar")]);
    let joined = by_industry
        .join(totals, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .join(
            pillars,
            [col(t::INDUSTRY)],
            [col(t::INDUSTRY)],
            JoinArgs::new(JoinType::Left),
        );
    with_shares(joined)
        .with_columns([
            col("pillar").fill_null(lit(false)),
            col("leading").fill_null(lit(false)),
        ])
        .sort(
            ["park", "year", "month", "industry"],
            SortMultipleOptions::default(),
        )
}

/// 拉动 and 贡献率 of each enterprise to its park's growth of the share indicator.
/// Columns: park, year, month, entity, industry, value, prior, total, total_prior, share, …
pub fn enterprise_contributions(tidy: LazyFrame, opts: &ComputeOptions) -> LazyFrame {
    let rows = enterprise_rows(tidy, opts);
    let keys = [col(t::PARK), col(t::YEAR), col(t::MONTH)];
    let totals = rows.clone().group_by(keys.clone()).agg([
        sum_of("ytd").alias("total"),
        sum_of("ytd_prior").alias("total_prior"),
    ]);
    let by_entity = rows
        .group_by([col(t::PARK), col(t::YEAR), col(t::MONTH), col(t::ENTITY)])
        .agg([
            col(t::INDUSTRY).first().alias(t::INDUSTRY),
            sum_of("ytd").alias("value"),
            sum_of("ytd_prior").alias("prior"),
            col(t::FILE).first().alias("file"),
            col(t::SHEET).first().alias("sheet"),
            col(t::CELL).first().alias("cell"),
        ]);
    with_shares(by_entity.join(totals, keys.clone(), keys, JoinArgs::new(JoinType::Left))).sort(
        ["park", "year", "month", "contribution"],
        SortMultipleOptions::default()
            .with_order_descending_multi([false, false, false, true])
            .with_nulls_last(true),
    )
}
