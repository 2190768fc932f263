//! The pivot of the tidy frame into summary rows, in one pass over the rows.
//!
//! [`super::summary::pivot`] says the same thing as a polars query (a group-by with fourteen
//! filtered `first()`s), which polars evaluates group by group. On the 1,000-return bench batch
//! (123,000 figures, 22,000 groups) the query takes 38-62 ms and this pass 23-35 ms
//! (`examples/profile_compute`, 4 runs); it gives the same frame, its rows in the order the
//! groups first appear (a test checks it against the query on the bundled returns).

use std::collections::HashMap;

use polars::prelude::*;

use super::col as c;
use crate::tidy::col as t;

/// The bases a summary row spreads into columns, with their column names.
const SPREAD: [(&str, &str); 10] = [
    ("ytd", c::YTD),
    ("ytd_prior", "ytd_prior_reported"),
    ("ytd_growth", c::YTD_GROWTH_REPORTED),
    ("month", "month_reported"),
    ("month_prior", "month_prior_reported"),
    ("month_growth", "month_growth_reported"),
    ("full_year_prior", "full_year_prior_reported"),
    ("target", "target_reported"),
    ("completion", "completion_reported"),
    ("projection", "projection_reported"),
];

/// Bases whose unit is the indicator's own (not a percentage).
pub(crate) const ABSOLUTE: [&str; 7] = [
    "ytd",
    "ytd_prior",
    "month",
    "month_prior",
    "full_year_prior",
    "target",
    "projection",
];

/// A group's key: park, indicator, year, month.
type Key<'a> = (Option<&'a str>, &'a str, Option<i32>, Option<i32>);

/// One group: the first row of each basis, the first absolute row (unit) and the first ytd row
/// (its place).
struct Group {
    first: [Option<usize>; SPREAD.len()],
    unit_row: Option<usize>,
}

/// The pivot of an in-memory tidy frame (see [`super::summary::pivot`] for the columns).
///
/// # Errors
/// A polars error when a tidy column is missing or of the wrong type.
pub fn pivot_frame(tidy: &DataFrame) -> PolarsResult<DataFrame> {
    let text = |name: &str| -> PolarsResult<StringChunked> {
        Ok(tidy.column(name)?.str()?.rechunk().into_owned())
    };
    let int = |name: &str| -> PolarsResult<Int32Chunked> {
        Ok(tidy
            .column(name)?
            .cast(&DataType::Int32)?
            .i32()?
            .rechunk()
            .into_owned())
    };
    let (park, entity, indicator) = (text(t::PARK)?, text(t::ENTITY)?, text(t::INDICATOR)?);
    let (year, month) = (int(t::YEAR)?, int(t::MONTH)?);
    let basis = text(t::BASIS)?;
    let value = tidy
        .column(t::VALUE)?
        .cast(&DataType::Float64)?
        .f64()?
        .rechunk()
        .into_owned();
    let (unit, file, sheet, cell) = (
        text(t::UNIT)?,
        text(t::FILE)?,
        text(t::SHEET)?,
        text(t::CELL)?,
    );

    // foldhash: the keys come from the caller's own returns, so SipHash's protection against
    // chosen collisions buys nothing, and it was half of this pass
    let mut index: HashMap<Key<'_>, usize, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(tidy.height() / 4, Default::default());
    let mut keys: Vec<usize> = Vec::with_capacity(tidy.height() / 4);
    let mut last: Option<(Key<'_>, usize)> = None;
    let mut groups: Vec<Group> = Vec::with_capacity(tidy.height() / 4);
    let rows = park
        .iter()
        .zip(entity.iter())
        .zip(indicator.iter())
        .zip(year.iter().zip(month.iter()))
        .zip(basis.iter())
        .enumerate();
    for (i, ((((p, e), ind), (y, m)), b)) in rows {
        let (None, Some(ind)) = (e, ind) else {
            continue;
        };
        let key = (p, ind, y, m);
        // a return's figures come row by row, the bases of one indicator one after another: the
        // previous figure's group is mostly this one's
        let g = match last {
            Some((k, g)) if k == key => g,
            _ => {
                let g = *index.entry(key).or_insert_with(|| {
                    keys.push(i);
                    groups.push(Group {
                        first: [None; SPREAD.len()],
                        unit_row: None,
                    });
                    groups.len() - 1
                });
                last = Some((key, g));
                g
            }
        };
        let Some(b) = b else { continue };
        let Some(group) = groups.get_mut(g) else {
            continue;
        };
        if let Some(slot) = SPREAD.iter().position(|(name, _)| *name == b)
            && let Some(first) = group.first.get_mut(slot)
        {
            first.get_or_insert(i);
        }
        if group.unit_row.is_none() && ABSOLUTE.contains(&b) {
            group.unit_row = Some(i);
        }
    }

    let n = groups.len();
    let take_str = |ca: &StringChunked, at: &mut dyn Iterator<Item = Option<usize>>| {
        let mut b = StringChunkedBuilder::new(PlSmallStr::EMPTY, n);
        for i in at {
            b.append_option(i.and_then(|i| ca.get(i)));
        }
        b.finish()
    };
    let take_i32 =
        |ca: &Int32Chunked| -> Int32Chunked { keys.iter().map(|&i| ca.get(i)).collect() };
    let mut columns = vec![
        take_str(&park, &mut keys.iter().map(|&i| Some(i)))
            .with_name(c::PARK.into())
            .into_column(),
        take_str(&indicator, &mut keys.iter().map(|&i| Some(i)))
            .with_name(c::INDICATOR.into())
            .into_column(),
        // the keys keep the tidy frame's integer types (a frame read from CSV has i64)
        take_i32(&year)
            .with_name(c::YEAR.into())
            .into_column()
            .cast(tidy.column(t::YEAR)?.dtype())?,
        take_i32(&month)
            .with_name(c::MONTH.into())
            .into_column()
            .cast(tidy.column(t::MONTH)?.dtype())?,
    ];
    for (slot, (_, name)) in SPREAD.iter().enumerate() {
        let v: Float64Chunked = groups
            .iter()
            .map(|g| {
                g.first
                    .get(slot)
                    .copied()
                    .flatten()
                    .and_then(|i| value.get(i))
            })
            .collect();
        columns.push(v.with_name((*name).into()).into_column());
    }
    columns.push(
        take_str(&unit, &mut groups.iter().map(|g| g.unit_row))
            .with_name(c::UNIT.into())
            .into_column(),
    );
    for (ca, name) in [
        (&file, "ytd_file"),
        (&sheet, "ytd_sheet"),
        (&cell, "ytd_cell"),
    ] {
        columns.push(
            take_str(ca, &mut groups.iter().map(|g| g.first[0]))
                .with_name(name.into())
                .into_column(),
        );
    }
    columns.push(Column::new_scalar(
        c::COMPUTED.into(),
        Scalar::new(DataType::Boolean, AnyValue::Boolean(false)),
        n,
    ));
    columns.push(Column::full_null(
        "rc_projection".into(),
        n,
        &DataType::Float64,
    ));
    DataFrame::new(n, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::ingest::{ReadOptions, read_file};
    use crate::tidy::blocks_to_frame;

    /// The one-pass pivot gives the polars query's frame on every bundled return.
    #[test]
    fn matches_the_polars_query_on_the_fixtures() -> Result<(), Box<dyn std::error::Error>> {
        let catalog = Catalog::builtin();
        let mut blocks = Vec::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/returns");
        let mut paths: Vec<_> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        for p in paths {
            if let Ok(o) = read_file(&p, &catalog, &ReadOptions::default()) {
                blocks.push(o.figures);
            }
        }
        let tidy = blocks_to_frame(&blocks)?;
        assert!(tidy.height() > 500, "{} figures", tidy.height());
        let order = || {
            SortMultipleOptions::default()
                .with_nulls_last(true)
                .with_maintain_order(true)
        };
        let keys = [c::PARK, c::INDICATOR, c::YEAR, c::MONTH];
        let ours = pivot_frame(&tidy)?.sort(keys, order())?;
        let query = super::super::summary::pivot(tidy.lazy())
            .collect()?
            .sort(keys, order())?;
        assert_eq!(ours.get_column_names(), query.get_column_names());
        assert_eq!(ours.height(), query.height());
        for (a, b) in ours.columns().iter().zip(query.columns()) {
            assert!(
                a.as_materialized_series()
                    .equals_missing(b.as_materialized_series()),
                "column {} differs:\n{a:?}\n{b:?}",
                a.name()
            );
        }
        Ok(())
    }
}
