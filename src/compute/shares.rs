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
    // pillars and leading flags: general rows, overridden by rows naming the park
    let inds = catalog.industries();
    let (mut names, mut parks, mut leading) = (Vec::new(), Vec::new(), Vec::new());
    for i in inds {
        if i.parks.is_empty() {
            names.push(i.name.as_str());
            parks.push("");
            leading.push(i.leading);
        }
        for p in &i.parks {
            names.push(i.name.as_str());
            parks.push(p.as_str());
            leading.push(i.leading);
        }
    }
    let pillars = DataFrame::new(
        names.len(),
        vec![
            Column::new(t::INDUSTRY.into(), names),
            Column::new("pillar_park".into(), parks),
            Column::new("leading_flag".into(), leading),
        ],
    )
    .unwrap_or_default()
    .lazy();
    let general = pillars
        .clone()
        .filter(col("pillar_park").eq(lit("")))
        .select([
            col(t::INDUSTRY),
            col("leading_flag").alias("leading_g"),
            lit(true).alias("pillar_g"),
        ]);
    let specific = pillars.filter(col("pillar_park").neq(lit(""))).select([
        col("pillar_park").alias(t::PARK),
        col(t::INDUSTRY),
        col("leading_flag").alias("leading_p"),
        lit(true).alias("pillar_p"),
    ]);
    let joined = by_industry
        .join(totals, keys.clone(), keys, JoinArgs::new(JoinType::Left))
        .join(
            general,
            [col(t::INDUSTRY)],
            [col(t::INDUSTRY)],
            JoinArgs::new(JoinType::Left),
        )
        .join(
            specific,
            [col(t::PARK), col(t::INDUSTRY)],
            [col(t::PARK), col(t::INDUSTRY)],
            JoinArgs::new(JoinType::Left),
        )
        .with_columns([
            col("pillar_p")
                .fill_null(col("pillar_g"))
                .fill_null(lit(false))
                .alias("pillar"),
            col("leading_p")
                .fill_null(col("leading_g"))
                .fill_null(lit(false))
                .alias("leading"),
        ])
        .drop(cols(["leading_g", "pillar_g", "leading_p", "pillar_p"]));
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
