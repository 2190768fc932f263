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
mod csv;

/// A park-level figure of IND_VA, for the tests of other modules.
#[cfg(test)]
pub(crate) use block::tests::figure as test_figure;
pub use block::{BlockBuilder, BlockRow, FigureBlock, FigureRef, NO_STRING};
pub use csv::write_csv;

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
    let int = |name: &str| -> PolarsResult<Vec<Option<i32>>> {
        Ok(df
            .column(name)?
            .cast(&DataType::Int32)?
            .i32()?
            .iter()
            .collect())
    };
    let (year, month) = (int(col::YEAR)?, int(col::MONTH)?);
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
    type Build<'a> = Box<dyn Fn() -> PolarsResult<Column> + Send + Sync + 'a>;
    let text = |name: &'static str, f: fn(&BlockRow) -> u32| -> Build<'_> {
        Box::new(move || shared_text_column(name, blocks, n, f))
    };
    let rows = || blocks.iter().flat_map(|b| b.rows.iter());
    let builders: Vec<Build<'_>> = vec![
        text(col::PARK, |r| r.park),
        text(col::ENTITY, |r| r.entity),
        text(col::INDUSTRY, |r| r.industry),
        Box::new(move || {
            Ok(Column::new(
                col::YEAR.into(),
                rows().map(|r| r.year).collect::<Vec<i32>>(),
            ))
        }),
        Box::new(move || {
            Ok(Column::new(
                col::MONTH.into(),
                rows().map(|r| r.month as i32).collect::<Vec<i32>>(),
            ))
        }),
        text(col::INDICATOR, |r| r.indicator),
        Box::new(move || {
            Ok(str_col(
                col::BASIS,
                rows().map(|r| Some(r.basis.as_str())).collect(),
            ))
        }),
        Box::new(move || {
            Ok(Column::new(
                col::VALUE.into(),
                rows().map(|r| r.value).collect::<Vec<f64>>(),
            ))
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
            Ok(b.finish().into_column())
        }),
        text(col::LABEL, |r| r.label),
    ];
    let columns: Vec<Column> = builders
        .par_iter()
        .map(|b| b())
        .collect::<PolarsResult<_>>()?;
    DataFrame::new(n, columns)
}

/// A text column of the tidy frame as string views over each block's strings, each copied once:
/// a return repeats its park, file, sheet, labels and units in every figure, and a view is 16
/// bytes where a copied string is its length again (a large return's frame was 190 MB of copies).
fn shared_text_column(
    name: &str,
    blocks: &[FigureBlock],
    n: usize,
    f: fn(&BlockRow) -> u32,
) -> PolarsResult<Column> {
    use polars_arrow::array::{Utf8ViewArray, View};
    use polars_arrow::bitmap::MutableBitmap;
    use polars_arrow::datatypes::ArrowDataType;
    use polars_buffer::Buffer;

    let mut buffers: Vec<Buffer<u8>> = Vec::new();
    let mut data: Vec<u8> = Vec::new();
    let mut views: Vec<View> = Vec::with_capacity(n);
    let mut validity = MutableBitmap::with_capacity(n);
    for b in blocks {
        // the view of each string of the block, made when first used
        let mut made: Vec<Option<View>> = vec![None; b.strings.len()];
        for r in &b.rows {
            let i = f(r) as usize;
            let (Some(s), Some(slot)) = (b.strings.get(i), made.get_mut(i)) else {
                views.push(View::default());
                validity.push(false);
                continue;
            };
            let view = match slot {
                Some(v) => *v,
                None => {
                    let bytes = s.as_bytes();
                    // a buffer holds at most u32::MAX bytes: start another past that
                    if data.len() + bytes.len() > u32::MAX as usize {
                        buffers.push(Buffer::from(std::mem::take(&mut data)));
                    }
                    let at = u32::try_from(data.len()).unwrap_or(u32::MAX);
                    let idx = u32::try_from(buffers.len()).unwrap_or(u32::MAX);
                    let v = View::new_from_bytes(bytes, idx, at);
                    if !v.is_inline() {
                        data.extend_from_slice(bytes);
                    }
                    *slot = Some(v);
                    v
                }
            };
            views.push(view);
            validity.push(true);
        }
    }
    buffers.push(Buffer::from(data));
    let validity = (validity.unset_bits() > 0).then(|| validity.into());
    let (views, buffers) = (Buffer::from(views), Buffer::from(buffers));
    let array = if cfg!(debug_assertions) {
        // tests check what the release build takes as given
        Utf8ViewArray::try_new(ArrowDataType::Utf8View, views, buffers, validity)?
    } else {
        // SAFETY: every view was made by `View::new_from_bytes` from the bytes of a Rust `String`
        // (valid UTF-8), and those bytes were appended, at the view's offset, to the buffer whose
        // index the view holds (buffers are pushed in index order, the last one just above);
        // null rows have a default view and an unset validity bit. Checking the UTF-8 of 1.3
        // million views again took 200 ms of a large return's frame.
        unsafe {
            Utf8ViewArray::new_unchecked_unknown_md(
                ArrowDataType::Utf8View,
                views,
                buffers,
                validity,
                None,
            )
        }
    };
    Ok(StringChunked::with_chunk(name.into(), array).into_column())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text columns are views over each block's strings: long and short strings, nulls, several
    /// blocks, all read back as written.
    #[test]
    fn text_columns_read_back_across_blocks() -> PolarsResult<()> {
        let figure = |park: &str, entity: Option<&str>, cell: &str| Figure {
            label: "规模以上工业增加值（亿元）".into(),
            unit: "亿元".into(),
            file: "returns/2022-08 青林县工业园区主要经济指标.xlsx".into(),
            sheet: "Sheet1".into(),
            ..block::tests::figure(park, entity, cell, 1.0)
        };
        let a = vec![
            figure("青林县工业园区", Some("青林县某某新材料有限公司"), "E7"),
            figure("青林县工业园区", None, "E8"),
        ];
        let b = vec![
            figure("东丘园", Some("甲"), "合计"),
            figure("东丘园", None, "AB10"),
        ];
        let df = blocks_to_frame(&[FigureBlock::from_figures(&a), FigureBlock::from_figures(&b)])?;
        fn text<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
            Ok(df.column(name)?.str()?.iter().collect())
        }
        let park = [
            Some("青林县工业园区"),
            Some("青林县工业园区"),
            Some("东丘园"),
            Some("东丘园"),
        ];
        assert_eq!(text(&df, col::PARK)?, park);
        let entity = [Some("青林县某某新材料有限公司"), None, Some("甲"), None];
        assert_eq!(text(&df, col::ENTITY)?, entity);
        assert_eq!(
            text(&df, col::CELL)?,
            [Some("E7"), Some("E8"), Some("合计"), Some("AB10")]
        );
        assert_eq!(
            text(&df, col::LABEL)?[3],
            Some("规模以上工业增加值（亿元）")
        );
        assert_eq!(text(&df, col::INDUSTRY)?, [None; 4]);
        let all: Vec<Figure> = a.into_iter().chain(b).collect();
        assert_eq!(frame_to_figures(&df)?, all);
        Ok(())
    }
}
