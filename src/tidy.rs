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
use serde::{Deserialize, Serialize};

use crate::model::{Basis, Figure};

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

/// "No string" in a [`BlockRow`] (an absent entity, industry or indicator).
pub const NO_STRING: u32 = u32::MAX;

/// A basis as its position in [`Basis::ALL`] (a block row is mostly numbers; a name would be
/// the longest part of it on the wire).
mod basis_number {
    use super::Basis;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(b: &Basis, s: S) -> Result<S::Ok, S::Error> {
        let i = Basis::ALL.iter().position(|x| x == b).unwrap_or(0);
        s.serialize_u8(i as u8)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Basis, D::Error> {
        let i = u8::deserialize(d)?;
        Basis::ALL
            .get(usize::from(i))
            .copied()
            .ok_or_else(|| D::Error::custom(format!("basis number {i} out of range")))
    }
}

/// One figure of a [`FigureBlock`]: its strings as indexes into [`FigureBlock::strings`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BlockRow {
    /// The park.
    pub park: u32,
    /// The enterprise, or [`NO_STRING`].
    pub entity: u32,
    /// The industry, or [`NO_STRING`].
    pub industry: u32,
    /// The year.
    pub year: i32,
    /// The (last) month.
    pub month: u32,
    /// The catalogue code, or [`NO_STRING`].
    pub indicator: u32,
    /// The name as written.
    pub label: u32,
    /// The basis.
    #[serde(with = "basis_number")]
    pub basis: Basis,
    /// The value in the canonical unit.
    pub value: f64,
    /// The unit.
    pub unit: u32,
    /// The file.
    pub file: u32,
    /// The sheet.
    pub sheet: u32,
    /// The A1 cell.
    pub cell: u32,
    /// A sub-item (其中) row.
    pub sub_item: bool,
}

/// The figures of one return in columnar form: every string once, figures as rows of indexes.
///
/// A return repeats its park, file, sheet and units in every figure; a block holds them once, so
/// passing figures between processes and building the tidy frame ([`blocks_to_frame`]) allocate
/// nothing per figure.
///
/// ```
/// use parkstat::model::{Basis, Figure};
/// use parkstat::tidy::{FigureBlock, blocks_to_frame, figures_to_frame};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let f = |cell: &str, value: f64| Figure { park: "青林县工业园区".into(), entity: None,
///     industry: None, year: 2022, month: 8, indicator: Some("IND_VA".into()),
///     label: "工业增加值".into(), basis: Basis::Ytd, value, unit: "亿元".into(),
///     file: "a.xlsx".into(), sheet: "Sheet1".into(), cell: cell.into(), sub_item: false };
/// let figures = vec![f("E7", 12.5), f("E8", 3.0)];
/// let block = FigureBlock::from_figures(&figures);
/// assert_eq!(block.len(), 2);
/// assert_eq!(block.to_figures(), figures);
/// let df = blocks_to_frame(&[block])?;
/// assert!(df.equals_missing(&figures_to_frame(&figures)?));
/// assert_eq!(df.column("cell")?.str()?.get(1), Some("E8"));
/// assert_eq!(df.column("value")?.f64()?.get(0), Some(12.5));
/// assert_eq!(df.column("entity")?.str()?.get(0), None);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FigureBlock {
    /// The strings the rows point to.
    pub strings: Vec<String>,
    /// One row per figure, in reading order.
    pub rows: Vec<BlockRow>,
}

impl FigureBlock {
    /// Packs figures (strings are stored once).
    pub fn from_figures(figures: &[Figure]) -> FigureBlock {
        /// Strings by value, with the last string of each field remembered: consecutive
        /// figures mostly share their park, file, sheet, unit, entity and label.
        struct Interner<'a> {
            index: std::collections::HashMap<&'a str, u32>,
            strings: Vec<String>,
            last: [(&'a str, u32); 8],
        }
        impl<'a> Interner<'a> {
            fn id(&mut self, field: usize, s: &'a str) -> u32 {
                if let Some((prev, i)) = self.last.get(field)
                    && *prev == s
                    && *i != NO_STRING
                {
                    return *i;
                }
                let strings = &mut self.strings;
                let i = *self.index.entry(s).or_insert_with(|| {
                    strings.push(s.to_string());
                    (strings.len() - 1) as u32
                });
                if let Some(slot) = self.last.get_mut(field) {
                    *slot = (s, i);
                }
                i
            }
            fn opt(&mut self, field: usize, s: Option<&'a str>) -> u32 {
                s.map(|s| self.id(field, s)).unwrap_or(NO_STRING)
            }
        }
        let mut t = Interner {
            index: std::collections::HashMap::new(),
            strings: Vec::new(),
            last: [("", NO_STRING); 8],
        };
        let mut rows = Vec::with_capacity(figures.len());
        for f in figures {
            let entity = t.opt(0, f.entity.as_deref());
            let industry = t.opt(1, f.industry.as_deref());
            let indicator = t.opt(2, f.indicator.as_deref());
            let (park, label, unit) = (t.id(3, &f.park), t.id(4, &f.label), t.id(5, &f.unit));
            let (file, sheet) = (t.id(6, &f.file), t.id(7, &f.sheet));
            // a cell names one figure: no need to look it up
            t.strings.push(f.cell.clone());
            let cell = (t.strings.len() - 1) as u32;
            rows.push(BlockRow {
                park,
                entity,
                industry,
                year: f.year,
                month: f.month,
                indicator,
                label,
                basis: f.basis,
                value: f.value,
                unit,
                file,
                sheet,
                cell,
                sub_item: f.sub_item,
            });
        }
        FigureBlock {
            strings: t.strings,
            rows,
        }
    }

    /// The number of figures.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No figures.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The string at `i` (`None` for [`NO_STRING`] or an index out of range).
    pub fn get(&self, i: u32) -> Option<&str> {
        self.strings.get(i as usize).map(String::as_str)
    }

    /// Unpacks the figures.
    pub fn to_figures(&self) -> Vec<Figure> {
        let s = |i: u32| self.get(i).unwrap_or_default().to_string();
        let o = |i: u32| self.get(i).map(String::from);
        self.rows
            .iter()
            .map(|r| Figure {
                park: s(r.park),
                entity: o(r.entity),
                industry: o(r.industry),
                year: r.year,
                month: r.month,
                indicator: o(r.indicator),
                label: s(r.label),
                basis: r.basis,
                value: r.value,
                unit: s(r.unit),
                file: s(r.file),
                sheet: s(r.sheet),
                cell: s(r.cell),
                sub_item: r.sub_item,
            })
            .collect()
    }
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
        text(col::CELL, |r| r.cell),
        text(col::LABEL, |r| r.label),
    ];
    let columns: Vec<Column> = builders.par_iter().map(|b| b()).collect();
    DataFrame::new(n, columns)
}
