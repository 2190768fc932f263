//! The pivot of the tidy frame into summary rows, in one pass over the rows.
//!
//! [`super::summary::pivot`] says the same thing as a polars query (a group-by with fourteen
//! filtered `first()`s), which polars evaluates group by group. On the 1,000-return bench batch
//! (123,000 figures, 22,000 groups) the query takes 38-62 ms and this pass 17-24 ms
//! (`examples/profile_compute`, 6 runs; 24-33 ms before it read the arrays themselves and
//! gathered the columns with `take`); it gives the same frame, its rows in the order the groups
//! first appear (a test checks it against the query on the bundled returns).

use std::collections::HashMap;

use polars::prelude::*;

use super::col as c;
use super::frames::one;
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
    first: [Option<IdxSize>; SPREAD.len()],
    unit_row: Option<IdxSize>,
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
    // one chunk each (rechunked): the pass reads the arrays themselves, not the chunked
    // iterators (boxed, one call per value)
    let (park_a, entity_a, indicator_a) = (one(&park)?, one(&entity)?, one(&indicator)?);
    let (year_a, month_a, basis_a) = (one(&year)?, one(&month)?, one(&basis)?);

    // foldhash: the keys come from the caller's own returns, so SipHash's protection against
    // chosen collisions buys nothing, and it was half of this pass
    let mut index: HashMap<Key<'_>, usize, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(tidy.height() / 4, Default::default());
    let mut keys: Vec<IdxSize> = Vec::with_capacity(tidy.height() / 4);
    let mut last: Option<(Key<'_>, usize)> = None;
    let mut groups: Vec<Group> = Vec::with_capacity(tidy.height() / 4);
    let rows = park_a
        .iter()
        .zip(entity_a.iter())
        .zip(indicator_a.iter())
        .zip(year_a.iter().zip(month_a.iter()))
        .zip(basis_a.iter())
        .enumerate();
    for (i, ((((p, e), ind), (y, m)), b)) in rows {
        let (None, Some(ind)) = (e, ind) else {
            continue;
        };
        let key = (p, ind, y.copied(), m.copied());
        // a return's figures come row by row, the bases of one indicator one after another: the
        // previous figure's group is mostly this one's
        let g = match last {
            Some((k, g)) if k == key => g,
            _ => {
                let g = *index.entry(key).or_insert_with(|| {
                    keys.push(i as IdxSize);
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
            first.get_or_insert(i as IdxSize);
        }
        if group.unit_row.is_none() && ABSOLUTE.contains(&b) {
            group.unit_row = Some(i as IdxSize);
        }
    }

    // the columns are gathered from the tidy frame's own (the keys keep its types: a frame read
    // from CSV has i64 years)
    let n = groups.len();
    let gather = |name: &str, out: &str, at: &IdxCa| -> PolarsResult<Column> {
        Ok(tidy.column(name)?.take(at)?.with_name(out.into()))
    };
    let at_keys = IdxCa::from_vec(PlSmallStr::EMPTY, keys);
    let mut columns = vec![
        gather(t::PARK, c::PARK, &at_keys)?,
        gather(t::INDICATOR, c::INDICATOR, &at_keys)?,
        gather(t::YEAR, c::YEAR, &at_keys)?,
        gather(t::MONTH, c::MONTH, &at_keys)?,
    ];
    let value = tidy.column(t::VALUE)?.cast(&DataType::Float64)?;
    let at =
        |pick: &dyn Fn(&Group) -> Option<IdxSize>| -> IdxCa { groups.iter().map(pick).collect() };
    for (slot, (_, name)) in SPREAD.iter().enumerate() {
        let idx = at(&|g| g.first.get(slot).copied().flatten());
        columns.push(value.take(&idx)?.with_name((*name).into()));
    }
    columns.push(gather(t::UNIT, c::UNIT, &at(&|g| g.unit_row))?);
    let at_ytd = at(&|g| g.first[0]);
    for (name, out) in [
        (t::FILE, "ytd_file"),
        (t::SHEET, "ytd_sheet"),
        (t::CELL, "ytd_cell"),
    ] {
        columns.push(gather(name, out, &at_ytd)?);
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
