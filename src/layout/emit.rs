//! A cell of a table's value column turned into a figure: its number as written (text, units
//! in the cell, missing markers), its unit converted to the indicator's canonical one, its
//! period and place.

use super::header::ValueColumn;
use super::{SheetContext, SheetOutput};
use crate::catalog::Indicator;
use crate::catalog::units::{Unit, convert, number_with_unit};
use crate::model::Warning;
use crate::read::Grid;
use crate::tidy::FigureRef;
use crate::value::{Parsed, parse_cell};

/// What every figure of a table shares: its units, park, period and place.
pub(super) struct TableCtx<'a> {
    pub(super) indicator_units: Vec<Unit>,
    pub(super) park: Option<String>,
    pub(super) year: i32,
    pub(super) month: u32,
    /// Months side by side: each figure takes its column's month.
    pub(super) series: bool,
    pub(super) grid: &'a Grid,
    pub(super) ctx: &'a SheetContext<'a>,
}

/// A value column of an enterprise, comparison or series table: its place, its role, its
/// indicator and the label its figures carry.
pub(super) type TableColumn<'a> = (usize, &'a ValueColumn, Option<&'a Indicator>, String);

impl TableCtx<'_> {
    /// The figure of row `r` in `column`, of `park` (and `entity`, `industry`).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit_column(
        &self,
        out: &mut SheetOutput,
        r: usize,
        column: &TableColumn<'_>,
        park: &str,
        entity: Option<&str>,
        industry: Option<&str>,
        part: bool,
    ) {
        let (c, vc, indicator, label) = column;
        emit(
            self,
            out,
            r,
            *c,
            vc,
            *indicator,
            vc.indicator.as_deref(),
            label,
            None,
            park,
            entity,
            industry,
            part,
        );
    }
}

/// The figure in cell (`r`, `c`), if it holds one; a warning when it holds text that is no number
/// or a unit that does not convert.
#[allow(clippy::too_many_arguments)]
pub(super) fn emit(
    t: &TableCtx,
    out: &mut SheetOutput,
    r: usize,
    c: usize,
    vc: &ValueColumn,
    indicator: Option<&Indicator>,
    code: Option<&str>,
    label: &str,
    unit_hint: Option<Unit>,
    park: &str,
    entity: Option<&str>,
    industry: Option<&str>,
    sub_item: bool,
) {
    let cell = t.grid.get(r, c);
    // a unit written in the cell itself ("12.5万元") says more than any other
    let mut cell_unit = None;
    let raw = match parse_cell(cell) {
        Parsed::Number { value, .. } => value,
        Parsed::Missing | Parsed::Note(_) => return,
        Parsed::NotANumber(text) => {
            match number_with_unit(&text).filter(|_| !vc.basis.is_percent()) {
                Some((value, unit)) => {
                    cell_unit = Some(unit);
                    value
                }
                None => {
                    out.warnings.push(Warning {
                        file: t.ctx.file.to_string(),
                        sheet: t.grid.name.clone(),
                        cell: t.grid.a1(r, c),
                        message: format!("expected a number, found \"{text}\"; left out"),
                    });
                    return;
                }
            }
        }
    };
    let (value, unit) = if vc.basis.is_percent() {
        // 为上年同期%: 108.5 is a growth of 8.5 %
        (if vc.index_of_prior { raw - 100.0 } else { raw }, "%")
    } else {
        let canonical = indicator.and_then(|i| i.canonical_unit());
        let given = cell_unit
            .or(unit_hint)
            .or(vc.unit)
            .or_else(|| match canonical {
                Some(cu) => t
                    .indicator_units
                    .iter()
                    .copied()
                    .find(|u| u.family == cu.family),
                None if t.indicator_units.len() == 1 => t.indicator_units.first().copied(),
                None => None,
            });
        match (given, canonical) {
            (Some(g), Some(cu)) => match convert(raw, g, cu) {
                Some(v) => (v, cu.name),
                None => {
                    out.warnings.push(Warning {
                        file: t.ctx.file.to_string(),
                        sheet: t.grid.name.clone(),
                        cell: t.grid.a1(r, c),
                        message: format!(
                            "unit {} does not convert to {}'s unit {}; kept in {}",
                            g.name, label, cu.name, g.name
                        ),
                    });
                    (raw, g.name)
                }
            },
            (None, Some(cu)) => (raw, cu.name),
            (Some(g), None) => (raw, g.name),
            (None, None) => (raw, ""),
        }
    };
    let (row, col) = t.grid.place(r, c);
    out.figures.push(FigureRef {
        park,
        entity,
        industry,
        year: t.year,
        month: vc.month.filter(|_| t.series).unwrap_or(t.month),
        indicator: code,
        label,
        basis: vc.basis,
        value,
        unit,
        file: t.ctx.file,
        sheet: &t.grid.name,
        row,
        col,
        sub_item,
    });
}
