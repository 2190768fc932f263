//! The tidy table as CSV, written straight from the packed blocks: the same bytes as polars'
//! CSV writer on [`crate::tidy::blocks_to_frame`]'s frame with formulas neutralized
//! ([`crate::output::write_frame`]), without building the frame.
//!
//! A block holds each string once, so each string is neutralized, escaped and quoted once per
//! block; a row is then copies of encoded bytes, two integers, one float and a cell name. Rows are
//! encoded in chunks on rayon's threads while the calling thread writes the finished chunks in
//! order.

use std::io::Write;

use rayon::prelude::*;

use super::{COLUMNS, FigureBlock, NO_STRING};
use crate::output::neutralize;

/// Rows per chunk of output (a chunk of a large return is about 12 MB).
const CHUNK_ROWS: usize = 1 << 16;

/// Chunks encoded side by side before they are handed to the writer.
const WINDOW: usize = 4;

/// A block's strings, each as it appears in a CSV field.
struct Encoded {
    bytes: Vec<u8>,
    /// String `i` is `bytes[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
}

impl Encoded {
    fn new(block: &FigureBlock) -> Encoded {
        let mut bytes = Vec::new();
        let mut starts = Vec::with_capacity(block.strings.len() + 1);
        starts.push(0);
        for s in &block.strings {
            push_field(&mut bytes, &neutralize(s));
            starts.push(bytes.len());
        }
        Encoded { bytes, starts }
    }

    /// The field of string `i`; an index past the strings (`NO_STRING`) is a null: no bytes.
    fn field(&self, i: u32) -> &[u8] {
        let i = i as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => self.bytes.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// A text field as polars writes it with `QuoteStyle::Necessary`: an empty string is `""` (a
/// null is nothing), and a field holding a comma, a quote or a line break is quoted, its quotes
/// doubled.
fn push_field(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if b.is_empty() {
        out.extend_from_slice(b"\"\"");
    } else if b.iter().any(|&c| matches!(c, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &c in b {
            if c == b'"' {
                out.push(b'"');
            }
            out.push(c);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(b);
    }
}

/// Encodes rows `range` of `block` into `out`, the fields in the order of [`COLUMNS`].
fn encode_rows(
    block: &FigureBlock,
    enc: &Encoded,
    range: std::ops::Range<usize>,
    out: &mut Vec<u8>,
) {
    let (mut year, mut month) = (itoa::Buffer::new(), itoa::Buffer::new());
    let mut float = zmij::Buffer::new();
    let mut cell = String::with_capacity(16);
    for r in &block.rows[range] {
        cell.clear();
        if r.col != NO_STRING {
            // letters and digits: never quoted, never a formula
            crate::read::push_a1(&mut cell, r.row as usize, r.col as usize);
        }
        let fields: [&[u8]; COLUMNS.len()] = [
            enc.field(r.park),
            enc.field(r.entity),
            enc.field(r.industry),
            year.format(r.year).as_bytes(),
            month.format(r.month as i32).as_bytes(),
            enc.field(r.indicator),
            r.basis.as_str().as_bytes(),
            float.format(r.value).as_bytes(),
            enc.field(r.unit),
            enc.field(r.file),
            enc.field(r.sheet),
            if r.col == NO_STRING {
                enc.field(r.row)
            } else {
                cell.as_bytes()
            },
            enc.field(r.label),
        ];
        for (k, f) in fields.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            out.extend_from_slice(f);
        }
        out.push(b'\n');
    }
}

/// Writes the tidy table of `blocks` as CSV (header line, one line per figure, no BOM) to `w`.
///
/// The bytes are those polars' CSV writer gives for [`crate::tidy::blocks_to_frame`]'s frame
/// after [`crate::output::neutralize`] of every text: [`crate::output::write_frame`] and this
/// function write the same file.
///
/// # Errors
/// The writer's errors.
///
/// ```
/// use parkstat::model::{Basis, Figure};
/// use parkstat::tidy::{FigureBlock, write_csv};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let f = Figure { park: "青林县工业园区".into(), entity: None, industry: None, year: 2022,
///     month: 8, indicator: Some("IND_VA".into()), label: "工业增加值, 亿元".into(),
///     basis: Basis::Ytd, value: 12.5, unit: "亿元".into(), file: "a.xlsx".into(),
///     sheet: "Sheet1".into(), cell: "E7".into(), sub_item: false };
/// let mut out = Vec::new();
/// write_csv(&[FigureBlock::from_figures(&[f])], &mut out)?;
/// assert_eq!(
///     String::from_utf8(out)?,
///     "park,entity,industry,year,month,indicator,basis,value,unit,file,sheet,cell,label\n\
///      青林县工业园区,,,2022,8,IND_VA,ytd,12.5,亿元,a.xlsx,Sheet1,E7,\"工业增加值, 亿元\"\n"
/// );
/// # Ok(())
/// # }
/// ```
pub fn write_csv(blocks: &[FigureBlock], w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(COLUMNS.join(",").as_bytes())?;
    w.write_all(b"\n")?;
    let encoded: Vec<Encoded> = blocks.par_iter().map(Encoded::new).collect();
    // (block, rows) of each chunk; a chunk of small blocks holds several of them
    let mut chunks: Vec<Vec<(usize, std::ops::Range<usize>)>> = Vec::new();
    let mut current = Vec::new();
    let mut filled = 0;
    for (b, block) in blocks.iter().enumerate() {
        let mut start = 0;
        while start < block.rows.len() {
            let take = (CHUNK_ROWS - filled).min(block.rows.len() - start);
            current.push((b, start..start + take));
            filled += take;
            start += take;
            if filled == CHUNK_ROWS {
                chunks.push(std::mem::take(&mut current));
                filled = 0;
            }
        }
    }
    if !current.is_empty() {
        chunks.push(current);
    }
    let encode = |parts: &Vec<(usize, std::ops::Range<usize>)>| {
        let rows: usize = parts.iter().map(|(_, r)| r.len()).sum();
        let mut out = Vec::with_capacity(rows * 160);
        for (b, range) in parts {
            encode_rows(&blocks[*b], &encoded[*b], range.clone(), &mut out);
        }
        out
    };
    // rayon's threads encode the chunks, a window at a time; this thread writes them in order
    // (the writer need not be Send) while the next window is encoded
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<u8>>(WINDOW);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            for window in chunks.chunks(WINDOW) {
                let bufs: Vec<Vec<u8>> = window.par_iter().map(encode).collect();
                for buf in bufs {
                    if send.send(buf).is_err() {
                        // the writer failed and stopped listening
                        return;
                    }
                }
            }
        });
        for buf in receive {
            w.write_all(&buf)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Basis, Figure};
    use crate::tidy::blocks_to_frame;
    use proptest::prelude::*;

    /// polars' bytes for the same blocks: the frame, neutralized, through `write_frame`.
    fn through_polars(blocks: &[FigureBlock]) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("t.csv");
        crate::output::write_frame(&blocks_to_frame(blocks)?, &p)?;
        let bytes = std::fs::read(&p)?;
        // write_frame adds a BOM
        Ok(bytes[3..].to_vec())
    }

    fn ours(blocks: &[FigureBlock]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        write_csv(blocks, &mut out)?;
        Ok(out)
    }

    fn figure(text: &str, value: f64, cell: &str, basis: Basis) -> Figure {
        Figure {
            park: format!("{text}园"),
            entity: (!text.is_empty()).then(|| text.to_string()),
            industry: Some(String::new()),
            year: 2022,
            month: 12,
            indicator: Some(text.into()),
            label: text.into(),
            basis,
            value,
            unit: "万元".into(),
            file: "returns/2022-08 \"主要\"指标.xlsx".into(),
            sheet: "1-8月".into(),
            cell: cell.into(),
            sub_item: false,
        }
    }

    /// Quotes, commas, line breaks, formula starts, empty and null strings, numbers of every
    /// size, and cells that are not A1 references: byte for byte what polars writes.
    #[test]
    fn same_bytes_as_polars_on_awkward_figures() -> Result<(), Box<dyn std::error::Error>> {
        let texts = [
            "工业增加值",
            "",
            "a,b",
            "say \"hi\"",
            "line\nbreak",
            "cr\rhere",
            "=SUM(A1)",
            "+1",
            "-青林",
            "@x",
            "\ttab",
            "'quoted",
        ];
        let values = [
            0.0,
            -0.0,
            1.0,
            0.25796,
            -12.5,
            1e21,
            1.5e-7,
            123456789.123,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
        ];
        let cells = ["E7", "AB10", "合计", "", "=A1", "XFD1048576"];
        let mut figures = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            for (j, v) in values.iter().enumerate() {
                let basis = Basis::ALL[(i + j) % Basis::ALL.len()];
                figures.push(figure(t, *v, cells[(i * 7 + j) % cells.len()], basis));
            }
        }
        figures[3].entity = None;
        figures[4].industry = None;
        figures[5].indicator = None;
        let blocks = vec![
            FigureBlock::from_figures(&figures[..40]),
            FigureBlock::default(),
            FigureBlock::from_figures(&figures[40..]),
        ];
        let polars = through_polars(&blocks)?;
        assert_eq!(
            String::from_utf8(ours(&blocks)?)?,
            String::from_utf8(polars)?
        );
        Ok(())
    }

    /// Many rows across blocks of different sizes: the chunks are written in order.
    #[test]
    fn chunks_keep_the_order_of_the_rows() -> Result<(), Box<dyn std::error::Error>> {
        let sizes = [CHUNK_ROWS + 3, 1, 0, CHUNK_ROWS * 2 - 1, 17];
        let mut blocks = Vec::new();
        let mut k = 0usize;
        for n in sizes {
            let figures: Vec<Figure> = (0..n)
                .map(|i| {
                    k += 1;
                    let cell = format!("B{}", i + 1);
                    figure(
                        &format!("企业{}", k % 1000),
                        k as f64 / 8.0,
                        &cell,
                        Basis::Ytd,
                    )
                })
                .collect();
            blocks.push(FigureBlock::from_figures(&figures));
        }
        let out = String::from_utf8(ours(&blocks)?)?;
        assert_eq!(out.lines().count(), 1 + sizes.iter().sum::<usize>());
        let values: Vec<f64> = out
            .lines()
            .skip(1)
            .map(|l| {
                l.split(',')
                    .nth(7)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(-1.0)
            })
            .collect();
        let expected: Vec<f64> = (1..=values.len()).map(|k| k as f64 / 8.0).collect();
        assert_eq!(values, expected);
        assert_eq!(out.as_bytes(), through_polars(&blocks)?.as_slice());
        Ok(())
    }

    /// A writer that fails stops the writing with its error (and no hang).
    #[test]
    fn a_failing_writer_is_an_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("disk full"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let figures: Vec<Figure> = (0..CHUNK_ROWS * (WINDOW + 2))
            .map(|i| figure("甲", i as f64, "C3", Basis::Month))
            .collect();
        let r = write_csv(&[FigureBlock::from_figures(&figures)], &mut Full);
        assert_eq!(r.map_err(|e| e.to_string()), Err("disk full".to_string()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Any text and any number: polars' bytes.
        #[test]
        fn any_text_and_number_as_polars(
            texts in proptest::collection::vec("[a-z,\"\n\r=+@ 甲-]{0,6}", 1..6),
            values in proptest::collection::vec(any::<f64>(), 1..6),
        ) {
            let figures: Vec<Figure> = texts
                .iter()
                .zip(values.iter().cycle())
                .map(|(t, v)| figure(t, *v, "D4", Basis::Target))
                .collect();
            let blocks = [FigureBlock::from_figures(&figures)];
            let polars = through_polars(&blocks).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(ours(&blocks)?, polars);
        }
    }
}
