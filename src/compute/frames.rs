//! Small frames built from the catalogue and the options, joined into the computations.

use polars::prelude::*;

use super::ComputeOptions;
use crate::catalog::{Catalog, GrowthRule, Kind, Method};

/// Kind letters as in INDICATORS.md.
pub(crate) fn kind_str(k: Kind) -> &'static str {
    match k {
        Kind::Flow => "F",
        Kind::Stock => "S",
        Kind::CountFlow => "CF",
        Kind::CountStock => "CS",
        Kind::Ratio => "R",
        Kind::Rate => "RT",
        Kind::Derived => "D",
    }
}

pub(crate) fn growth_str(g: GrowthRule) -> &'static str {
    match g {
        GrowthRule::Nominal => "N",
        GrowthRule::Comparable => "C",
        GrowthRule::Points => "PP",
        GrowthRule::Difference => "D",
    }
}

/// The method preference list of an indicator: the override, the catalogue's list, then a
/// fallback (linear for flows, carry for the rest).
pub(crate) fn preferences(catalog: &Catalog, code: &str, opts: &ComputeOptions) -> Vec<Method> {
    let mut prefs = Vec::new();
    if let Some(m) = opts.methods.get(code) {
        prefs.push(*m);
    }
    if let Some(ind) = catalog.get(code) {
        prefs.extend(ind.projection.iter().copied());
        let fallback = match ind.kind {
            Kind::Flow | Kind::CountFlow => Method::Linear,
            _ => Method::Carry,
        };
        prefs.push(fallback);
        if fallback != Method::Carry && !matches!(ind.kind, Kind::Flow) {
            prefs.push(Method::Carry);
        }
    }
    let mut seen = Vec::new();
    prefs.retain(|m| {
        let new = !seen.contains(m);
        seen.push(*m);
        new
    });
    prefs
}

/// Number of preference slots in the catalogue frame.
pub(crate) const SLOTS: usize = 4;

/// indicator, kind, growth_rule, pref0..pref3, parent, order.
pub(crate) fn catalog_frame(catalog: &Catalog, opts: &ComputeOptions) -> PolarsResult<DataFrame> {
    let inds = catalog.indicators();
    let mut prefs: Vec<Vec<Option<&'static str>>> = vec![Vec::new(); SLOTS];
    for ind in inds {
        let p = preferences(catalog, &ind.code, opts);
        for (i, slot) in prefs.iter_mut().enumerate() {
            slot.push(p.get(i).map(|m| m.letter()));
        }
    }
    let mut cols = vec![
        Column::new(
            "indicator".into(),
            inds.iter().map(|i| i.code.as_str()).collect::<Vec<_>>(),
        ),
        Column::new(
            "kind".into(),
            inds.iter().map(|i| kind_str(i.kind)).collect::<Vec<_>>(),
        ),
        Column::new(
            "growth_rule".into(),
            inds.iter()
                .map(|i| growth_str(i.growth))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "parent".into(),
            inds.iter().map(|i| i.parent.as_deref()).collect::<Vec<_>>(),
        ),
        Column::new("order".into(), (0..inds.len() as u32).collect::<Vec<_>>()),
    ];
    for (i, p) in prefs.into_iter().enumerate() {
        cols.push(Column::new(format!("pref{i}").into(), p));
    }
    DataFrame::new(inds.len(), cols)
}

/// The one array of a rechunked column (a pass over it reads the array itself, not the chunked
/// iterators: boxed, one call per value).
///
/// # Errors
/// A polars error when the column has more than one chunk or none.
pub(crate) fn one<T: PolarsDataType>(ca: &ChunkedArray<T>) -> PolarsResult<&T::Array> {
    let mut arrays = ca.downcast_iter();
    match (arrays.next(), arrays.next()) {
        (Some(a), None) => Ok(a),
        _ => polars_bail!(ComputeError: "column {}: not one chunk after a rechunk", ca.name()),
    }
}

/// Typed access to a collected frame's columns: null-tolerant (missing columns read as nulls),
/// or strict (`try_…`: a missing column is an error).
pub struct Cols<'a> {
    /// The frame.
    pub df: &'a DataFrame,
}

impl<'a> Cols<'a> {
    /// Floats; an error when the column is missing or not numeric.
    pub fn try_f(&self, name: &str) -> PolarsResult<Vec<Option<f64>>> {
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    }
    /// Integers; an error when the column is missing or not numeric.
    pub fn try_i(&self, name: &str) -> PolarsResult<Vec<Option<i32>>> {
        Ok(self
            .df
            .column(name)?
            .cast(&DataType::Int32)?
            .i32()?
            .iter()
            .collect())
    }
    /// Strings with their nulls; an error when the column is missing or not text.
    pub fn try_s(&self, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
        let df: &'a DataFrame = self.df;
        Ok(df.column(name)?.str()?.iter().collect())
    }
    /// Floats (a missing column as nulls).
    pub fn f(&self, name: &str) -> Vec<Option<f64>> {
        self.try_f(name)
            .unwrap_or_else(|_| vec![None; self.df.height()])
    }
    /// Integers (a missing column as nulls).
    pub fn i(&self, name: &str) -> Vec<Option<i32>> {
        self.try_i(name)
            .unwrap_or_else(|_| vec![None; self.df.height()])
    }
    /// Strings (null as empty).
    pub fn s(&self, name: &str) -> Vec<&'a str> {
        let df: &'a DataFrame = self.df;
        match df.column(name).ok().and_then(|c| c.str().ok()) {
            Some(ca) => ca.iter().map(|v| v.unwrap_or("")).collect(),
            None => vec![""; df.height()],
        }
    }
    /// Booleans (null as false).
    pub fn b(&self, name: &str) -> Vec<bool> {
        self.df
            .column(name)
            .ok()
            .and_then(|c| {
                c.bool()
                    .ok()
                    .map(|ca| ca.iter().map(|v| v.unwrap_or(false)).collect())
            })
            .unwrap_or_else(|| vec![false; self.df.height()])
    }
}
