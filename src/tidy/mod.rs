//! The tidy DataFrame: one row per figure, the crate's public data contract.
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `park` | str | the park |
//! | `entity` | str, null | the enterprise (enterprise returns) |
//! | `industry` | str, null | the industry, a pillar name where it matched |
//! | `year` | i32 | the year |
//! | `month` | i32 | the (last) month |
//! | `indicator` | str, null | the catalogue code; null for an unmatched row |
//! | `basis` | str | `month`, `month_prior`, `month_growth`, `ytd`, `ytd_prior`, `ytd_growth`, `full_year_prior`, `target`, `completion`, `projection`, `projection_growth` |
//! | `value` | f64 | in the canonical unit |
//! | `unit` | str | the unit of `value` |
//! | `file`, `sheet`, `cell` | str | where the figure was read (A1 cell) |
//! | `label` | str | the name as written in the return |

use polars::prelude::*;

use crate::model::{Basis, Figure};

mod block;

pub use block::{BlockBuilder, BlockRow, FigureBlock, FigureRef, NO_STRING};

/// Column names of the tidy frame.
pub mod col {
    /// `park`
    pub const PARK: &str = "park";
    /// `entity`
    pub const ENTITY: &str = "entity";
    /// `industry`
    pub const INDUSTRY: &str = "industry";
    /// `year`
    pub const YEAR: &str = "year";
    /// `month`
    pub const MONTH: &str = "month";
    /// `indicator`
    pub const INDICATOR: &str = "indicator";
    /// `basis`
    pub const BASIS: &str = "basis";
    /// `value`
    pub const VALUE: &str = "value";
    /// `unit`
    pub const UNIT: &str = "unit";
    /// `file`
    pub const FILE: &str = "file";
    /// `sheet`
    pub const SHEET: &str = "sheet";
    /// `cell`
    pub const CELL: &str = "cell";
    /// `label`
    pub const LABEL: &str = "label";
}

/// The tidy schema's column names, in order.
pub const COLUMNS: [&str; 13] = [
    col::PARK,
    col::ENTITY,
    col::INDUSTRY,
    col::YEAR,
    col::MONTH,
    col::INDICATOR,
    col::BASIS,
    col::VALUE,
    col::UNIT,
    col::FILE,
    col::SHEET,
    col::CELL,
    col::LABEL,
];

fn str_col(name: &str, values: Vec<Option<&str>>) -> Column {
    Column::new(name.into(), values)
}

/// Builds the tidy frame from figures, column by column.
///
/// # Errors
/// Only polars' own errors (none expected for well-formed figures).
///
/// ```
/// use parkstat::model::{Basis, Figure};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let f = Figure { park: "青林县工业园区".into(), entity: None, industry: None, year: 2022, month: 8,
///     indicator: Some("IND_VA".into()), label: "工业增加值".into(), basis: Basis::Ytd, value: 12.5,
///     unit: "亿元".into(), file: "a.xlsx".into(), sheet: "Sheet1".into(), cell: "E7".into(), sub_item: false };
/// let df = parkstat::tidy::figures_to_frame(&[f])?;
/// assert_eq!(df.height(), 1);
/// let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
/// assert_eq!(names, parkstat::tidy::COLUMNS);
/// # Ok(())
/// # }
/// ```
pub fn figures_to_frame(figures: &[Figure]) -> PolarsResult<DataFrame> {
    blocks_to_frame(&[FigureBlock::from_figures(figures)])
}

/// Reads figures back from a tidy frame (for tools that stored one as CSV or parquet).
///
/// # Errors
/// A polars error when a column is missing or of the wrong type.
pub fn frame_to_figures(df: &DataFrame) -> PolarsResult<Vec<Figure>> {
    let text = |name: &str| -> PolarsResult<Vec<Option<String>>> {
        Ok(df
            .column(name)?
            .str()?
            .iter()
            .map(|v| v.map(String::from))
            .collect())
    };
    let park = text(col::PARK)?;
    let entity = text(col::ENTITY)?;
    let industry = text(col::INDUSTRY)?;
    let year: Vec<Option<i32>> = df
        .column(col::YEAR)?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .collect();
    let month: Vec<Option<i32>> = df
        .column(col::MONTH)?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .collect();
    let indicator = text(col::INDICATOR)?;
    let basis = text(col::BASIS)?;
    let value: Vec<Option<f64>> = df
        .column(col::VALUE)?
        .cast(&DataType::Float64)?
        .f64()?
        .iter()
        .collect();
    let unit = text(col::UNIT)?;
    let file = text(col::FILE)?;
    let sheet = text(col::SHEET)?;
    let cell = text(col::CELL)?;
    let label = if df.column(col::LABEL).is_ok() {
        text(col::LABEL)?
    } else {
        vec![None; df.height()]
    };
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let (Some(y), Some(m), Some(v), Some(Some(b))) = (
            year[i],
            month[i],
            value[i],
            basis.get(i).map(|b| b.as_deref().and_then(Basis::parse)),
        ) else {
            continue;
        };
        out.push(Figure {
            park: park[i].clone().unwrap_or_default(),
            entity: entity[i].clone(),
            industry: industry[i].clone(),
            year: y,
            month: m.max(0) as u32,
            indicator: indicator[i].clone(),
            label: label[i].clone().unwrap_or_default(),
            basis: b,
            value: v,
            unit: unit[i].clone().unwrap_or_default(),
            file: file[i].clone().unwrap_or_default(),
            sheet: sheet[i].clone().unwrap_or_default(),
            cell: cell[i].clone().unwrap_or_default(),
            sub_item: false,
        });
    }
    Ok(out)
}

/// Builds the tidy frame from blocks (the same frame as [`figures_to_frame`] on their figures),
/// column by column, the columns side by side.
///
/// # Errors
/// Only polars' own errors (none expected).
pub fn blocks_to_frame(blocks: &[FigureBlock]) -> PolarsResult<DataFrame> {
    use rayon::prelude::*;
    let n: usize = blocks.iter().map(FigureBlock::len).sum();
    type Build<'a> = Box<dyn Fn() -> Column + Send + Sync + 'a>;
    let text = |name: &'static str, f: fn(&BlockRow) -> u32| -> Build<'_> {
        Box::new(move || {
            let mut v: Vec<Option<&str>> = Vec::with_capacity(n);
            for b in blocks {
                v.extend(b.rows.iter().map(|r| b.get(f(r))));
            }
            str_col(name, v)
        })
    };
    let rows = || blocks.iter().flat_map(|b| b.rows.iter());
    let builders: Vec<Build<'_>> = vec![
        text(col::PARK, |r| r.park),
        text(col::ENTITY, |r| r.entity),
        text(col::INDUSTRY, |r| r.industry),
        Box::new(move || {
            Column::new(
                col::YEAR.into(),
                rows().map(|r| r.year).collect::<Vec<i32>>(),
            )
        }),
        Box::new(move || {
            Column::new(
                col::MONTH.into(),
                rows().map(|r| r.month as i32).collect::<Vec<i32>>(),
            )
        }),
        text(col::INDICATOR, |r| r.indicator),
        Box::new(move || str_col(col::BASIS, rows().map(|r| Some(r.basis.as_str())).collect())),
        Box::new(move || {
            Column::new(
                col::VALUE.into(),
                rows().map(|r| r.value).collect::<Vec<f64>>(),
            )
        }),
        text(col::UNIT, |r| r.unit),
        text(col::FILE, |r| r.file),
        text(col::SHEET, |r| r.sheet),
        Box::new(move || {
            // A1 texts written into one buffer: a cell name fits inside a string view
            let mut b = StringChunkedBuilder::new(col::CELL.into(), n);
            let mut buf = String::with_capacity(16);
            for blk in blocks {
                for r in &blk.rows {
                    if r.col == NO_STRING {
                        b.append_value(blk.get(r.row).unwrap_or_default());
                    } else {
                        buf.clear();
                        crate::read::push_a1(&mut buf, r.row as usize, r.col as usize);
                        b.append_value(&buf);
                    }
                }
            }
            b.finish().into_column()
        }),
        text(col::LABEL, |r| r.label),
    ];
    let columns: Vec<Column> = builders.par_iter().map(|b| b()).collect();
    DataFrame::new(n, columns)
}
