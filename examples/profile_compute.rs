//! Times each computation on a tidy parquet file: `cargo run --release --example profile_compute FILE`.
use std::time::Instant;

use parkstat::Catalog;
use parkstat::compute::{ComputeOptions, audit, pivot, rank, shares, summary};
use parkstat::polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: profile_compute TIDY.parquet")?;
    let tidy = LazyFrame::scan_parquet(PlRefPath::new(&path), Default::default())?.collect()?;
    let catalog = Catalog::builtin();
    let opts = ComputeOptions::default();
    let t = Instant::now();
    let p = summary::pivot(tidy.clone().lazy()).collect()?;
    println!("pivot query {:?} ({} rows)", t.elapsed(), p.height());
    let t = Instant::now();
    let p = pivot::pivot_frame(&tidy)?;
    println!("pivot_frame {:?} ({} rows)", t.elapsed(), p.height());
    let t = Instant::now();
    let sh = shares::industry_shares(tidy.clone().lazy(), &catalog, &opts).collect()?;
    println!("shares {:?}", t.elapsed());
    let t = Instant::now();
    let ctb = shares::enterprise_contributions(tidy.clone().lazy(), &opts).collect()?;
    println!("contributions {:?} ({} rows)", t.elapsed(), ctb.height());
    let t = Instant::now();
    let e = summary::enriched(tidy.clone().lazy(), sh.clone().lazy(), &catalog, &opts)?;
    println!("enriched {:?} ({} rows)", t.elapsed(), e.height());
    let t = Instant::now();
    let b = summary::backtest(e.clone().lazy()).collect()?;
    println!("backtest {:?} ({} rows)", t.elapsed(), b.height());
    let t = Instant::now();
    let a = audit::audit(&tidy, &e, &catalog, &opts)?;
    println!("audit {:?} ({} rows)", t.elapsed(), a.height());
    let t = Instant::now();
    let s = summary::public(&e)?;
    println!("public {:?}", t.elapsed());
    let t = Instant::now();
    let r = rank::ranking(s.clone().lazy())?.collect()?;
    println!("ranking query {:?} ({} rows)", t.elapsed(), r.height());
    let t = Instant::now();
    let r2 = rank::ranking_frame(&s)?;
    println!(
        "ranking_frame {:?} (same frame: {})",
        t.elapsed(),
        r.equals_missing(&r2)
    );
    Ok(())
}
