//! Figures packed by column: a [`FigureBlock`] holds every string once and each figure as a row
//! of indexes; the reader fills one through a [`BlockBuilder`] without an allocation per figure.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use serde::{Deserialize, Serialize};

use crate::model::{Basis, Figure};
use crate::read::{a1, parse_a1};

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
    /// The source cell's row in the sheet (0-based); when `col` is [`NO_STRING`], the index of
    /// the cell's text instead (a figure made elsewhere whose cell is not an A1 reference).
    pub row: u32,
    /// The source cell's column in the sheet (0-based), or [`NO_STRING`] (see `row`).
    pub col: u32,
    /// A sub-item (其中) row.
    pub sub_item: bool,
}

/// One figure with borrowed strings: what the reader hands a [`BlockBuilder`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FigureRef<'a> {
    /// The park.
    pub park: &'a str,
    /// The enterprise.
    pub entity: Option<&'a str>,
    /// The industry.
    pub industry: Option<&'a str>,
    /// The year.
    pub year: i32,
    /// The (last) month.
    pub month: u32,
    /// The catalogue code.
    pub indicator: Option<&'a str>,
    /// The name as written.
    pub label: &'a str,
    /// The basis.
    pub basis: Basis,
    /// The value in the canonical unit.
    pub value: f64,
    /// The unit.
    pub unit: &'a str,
    /// The file.
    pub file: &'a str,
    /// The sheet.
    pub sheet: &'a str,
    /// The source cell's row in the sheet (0-based).
    pub row: u32,
    /// The source cell's column in the sheet (0-based).
    pub col: u32,
    /// A sub-item (其中) row.
    pub sub_item: bool,
}

/// The figures of one return in columnar form: every string once, figures as rows of indexes,
/// cells as coordinates.
///
/// A return repeats its park, file, sheet and units in every figure; a block holds them once, so
/// reading a return, passing its figures between processes and building the tidy frame
/// ([`crate::tidy::blocks_to_frame`]) allocate nothing per figure.
///
/// ```
/// use parkstat::model::{Basis, Figure};
/// use parkstat::tidy::{FigureBlock, blocks_to_frame, figures_to_frame};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let f = |cell: &str, value: f64| Figure { park: "青林县工业园区".into(), entity: None,
///     industry: None, year: 2022, month: 8, indicator: Some("IND_VA".into()),
///     label: "工业增加值".into(), basis: Basis::Ytd, value, unit: "亿元".into(),
///     file: "a.xlsx".into(), sheet: "Sheet1".into(), cell: cell.into(), sub_item: false };
/// let figures = vec![f("E7", 12.5), f("E8", 3.0), f("", 1.0)];
/// let block = FigureBlock::from_figures(&figures);
/// assert_eq!(block.len(), 3);
/// assert_eq!(block.cell(&block.rows[1]), "E8");
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
    #[serde(with = "packed_rows")]
    pub rows: Vec<BlockRow>,
}

/// The rows of a block on a binary wire (the worker's MessagePack): a sequence of byte strings,
/// each holding up to [`packed_rows::CHUNK`] fixed-width little-endian rows, written and read in
/// one pass, instead of a value per field; in chunks, so that sending a large return's 1.3
/// million figures never holds them twice over in one buffer. Human-readable formats (JSON) get
/// the rows as they are.
mod packed_rows {
    use super::{Basis, BlockRow};
    use serde::de::Error;
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// park, entity, industry, year, month, indicator, label, unit, file, sheet, row, col (4
    /// bytes each), value (8), basis, sub_item (1 each).
    const WIDTH: usize = 12 * 4 + 8 + 2;

    /// Rows per byte string (3.8 MB).
    pub(super) const CHUNK: usize = 1 << 16;

    fn encode(rows: &[BlockRow], out: &mut Vec<u8>) {
        out.clear();
        for r in rows {
            for v in [r.park, r.entity, r.industry] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&r.year.to_le_bytes());
            for v in [
                r.month,
                r.indicator,
                r.label,
                r.unit,
                r.file,
                r.sheet,
                r.row,
                r.col,
            ] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend_from_slice(&r.value.to_le_bytes());
            let basis = Basis::ALL.iter().position(|b| *b == r.basis).unwrap_or(0);
            out.push(basis as u8);
            out.push(u8::from(r.sub_item));
        }
    }

    /// One chunk's bytes, for `serialize_element`.
    struct Bytes<'a>(&'a [u8]);

    impl Serialize for Bytes<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(self.0)
        }
    }

    pub fn serialize<S: Serializer>(rows: &Vec<BlockRow>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return rows.serialize(s);
        }
        let mut seq = s.serialize_seq(Some(rows.len().div_ceil(CHUNK)))?;
        let mut out = Vec::with_capacity(rows.len().min(CHUNK) * WIDTH);
        for chunk in rows.chunks(CHUNK) {
            encode(chunk, &mut out);
            seq.serialize_element(&Bytes(&out))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<BlockRow>, D::Error> {
        if d.is_human_readable() {
            return Vec::<BlockRow>::deserialize(d);
        }
        d.deserialize_seq(Chunks)
    }

    fn decode(bytes: &[u8], rows: &mut Vec<BlockRow>) -> Result<(), String> {
        if !bytes.len().is_multiple_of(WIDTH) {
            return Err(format!(
                "packed rows: {} bytes is not a whole number of {WIDTH}-byte rows",
                bytes.len()
            ));
        }
        rows.reserve(bytes.len() / WIDTH);
        for chunk in bytes.chunks_exact(WIDTH) {
            let u = |i: usize| {
                let mut b = [0u8; 4];
                b.copy_from_slice(&chunk[i * 4..i * 4 + 4]);
                u32::from_le_bytes(b)
            };
            let mut value = [0u8; 8];
            value.copy_from_slice(&chunk[48..56]);
            let basis = Basis::ALL
                .get(usize::from(chunk[56]))
                .copied()
                .ok_or("packed rows: basis out of range")?;
            rows.push(BlockRow {
                park: u(0),
                entity: u(1),
                industry: u(2),
                year: u(3) as i32,
                month: u(4),
                indicator: u(5),
                label: u(6),
                unit: u(7),
                file: u(8),
                sheet: u(9),
                row: u(10),
                col: u(11),
                value: f64::from_le_bytes(value),
                basis,
                sub_item: chunk[57] != 0,
            });
        }
        Ok(())
    }

    /// The sequence of chunks.
    struct Chunks;

    impl<'de> serde::de::Visitor<'de> for Chunks {
        type Value = Vec<BlockRow>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sequence of byte strings of packed rows")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut rows = Vec::new();
            while seq.next_element_seed(Chunk(&mut rows))?.is_some() {}
            Ok(rows)
        }
    }

    /// Decodes one chunk into the rows, where the format hands its bytes over (borrowed,
    /// owned, or as a sequence of numbers).
    struct Chunk<'a>(&'a mut Vec<BlockRow>);

    impl<'de> serde::de::DeserializeSeed<'de> for Chunk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_byte_buf(self)
        }
    }

    impl<'de> serde::de::Visitor<'de> for Chunk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a byte string of packed rows")
        }
        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<(), E> {
            decode(v, self.0).map_err(E::custom)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut bytes = Vec::new();
            while let Some(b) = seq.next_element::<u8>()? {
                bytes.push(b);
            }
            decode(&bytes, self.0).map_err(A::Error::custom)
        }
    }
}

impl FigureBlock {
    /// Packs figures (strings are stored once; A1 cells as coordinates).
    pub fn from_figures(figures: &[Figure]) -> FigureBlock {
        let mut b = BlockBuilder::default();
        for f in figures {
            let (row, col) = parse_a1(&f.cell).unwrap_or((0, NO_STRING));
            let r = FigureRef {
                park: &f.park,
                entity: f.entity.as_deref(),
                industry: f.industry.as_deref(),
                year: f.year,
                month: f.month,
                indicator: f.indicator.as_deref(),
                label: &f.label,
                basis: f.basis,
                value: f.value,
                unit: &f.unit,
                file: &f.file,
                sheet: &f.sheet,
                row,
                col,
                sub_item: f.sub_item,
            };
            if col == NO_STRING {
                b.push_with_cell_text(r, &f.cell);
            } else {
                b.push(r);
            }
        }
        b.finish()
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

    /// A row's cell as text ("E7").
    pub fn cell(&self, r: &BlockRow) -> String {
        if r.col == NO_STRING {
            self.get(r.row).unwrap_or_default().to_string()
        } else {
            a1(r.row as usize, r.col as usize)
        }
    }

    /// Appends another block's figures (its strings are appended, not merged).
    pub fn append(&mut self, other: FigureBlock) {
        let Ok(offset) = u32::try_from(self.strings.len()) else {
            return;
        };
        let shift = |i: u32| if i == NO_STRING { i } else { i + offset };
        if offset == 0 && self.rows.is_empty() {
            *self = other;
            return;
        }
        self.strings.extend(other.strings);
        self.rows.extend(other.rows.into_iter().map(|r| BlockRow {
            park: shift(r.park),
            entity: shift(r.entity),
            industry: shift(r.industry),
            indicator: shift(r.indicator),
            label: shift(r.label),
            unit: shift(r.unit),
            file: shift(r.file),
            sheet: shift(r.sheet),
            row: if r.col == NO_STRING {
                shift(r.row)
            } else {
                r.row
            },
            ..r
        }));
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
                cell: self.cell(r),
                sub_item: r.sub_item,
            })
            .collect()
    }
}

/// Builds a [`FigureBlock`] figure by figure, storing each distinct string once.
///
/// ```
/// use parkstat::model::Basis;
/// use parkstat::tidy::{BlockBuilder, FigureRef};
/// let mut b = BlockBuilder::default();
/// for (col, value) in [(4, 12.5), (5, 11.0)] {
///     b.push(FigureRef { park: "青林县工业园区", entity: None, industry: None, year: 2022,
///         month: 8, indicator: Some("IND_VA"), label: "工业增加值", basis: Basis::Ytd, value,
///         unit: "亿元", file: "a.xlsx", sheet: "Sheet1", row: 6, col, sub_item: false });
/// }
/// let block = b.finish();
/// assert_eq!(block.len(), 2);
/// assert_eq!(block.strings.len(), 6);
/// assert_eq!(block.cell(&block.rows[1]), "F7");
/// ```
#[derive(Debug, Default)]
pub struct BlockBuilder {
    block: FigureBlock,
    /// Strings by value (foldhash: the strings come from one file, so SipHash's protection
    /// against chosen collisions buys nothing and would cost a tenth of the reading).
    index: HashMap<Box<str>, u32, FixedState>,
    /// The last string of each field: consecutive figures mostly share their park, file,
    /// sheet, entity, and often their label and unit.
    last: [Option<u32>; 8],
}

impl BlockBuilder {
    /// The number of figures so far.
    pub fn len(&self) -> usize {
        self.block.len()
    }

    /// No figures yet.
    pub fn is_empty(&self) -> bool {
        self.block.is_empty()
    }

    fn id(&mut self, field: usize, s: &str) -> u32 {
        if let Some(Some(i)) = self.last.get(field)
            && self.block.strings.get(*i as usize).is_some_and(|x| x == s)
        {
            return *i;
        }
        let i = match self.index.get(s) {
            Some(&i) => i,
            None => {
                let i = self.block.strings.len() as u32;
                self.block.strings.push(s.to_string());
                self.index.insert(s.into(), i);
                i
            }
        };
        if let Some(slot) = self.last.get_mut(field) {
            *slot = Some(i);
        }
        i
    }

    fn opt(&mut self, field: usize, s: Option<&str>) -> u32 {
        s.map(|s| self.id(field, s)).unwrap_or(NO_STRING)
    }

    fn row(&mut self, f: FigureRef<'_>) -> BlockRow {
        BlockRow {
            park: self.id(0, f.park),
            entity: self.opt(1, f.entity),
            industry: self.opt(2, f.industry),
            year: f.year,
            month: f.month,
            indicator: self.opt(3, f.indicator),
            label: self.id(4, f.label),
            basis: f.basis,
            value: f.value,
            unit: self.id(5, f.unit),
            file: self.id(6, f.file),
            sheet: self.id(7, f.sheet),
            row: f.row,
            col: f.col,
            sub_item: f.sub_item,
        }
    }

    /// Adds a figure.
    pub fn push(&mut self, f: FigureRef<'_>) {
        let row = self.row(f);
        self.block.rows.push(row);
    }

    /// Adds a figure whose cell is a text rather than coordinates.
    fn push_with_cell_text(&mut self, f: FigureRef<'_>, cell: &str) {
        let mut row = self.row(f);
        self.block.strings.push(cell.to_string());
        row.row = (self.block.strings.len() - 1) as u32;
        row.col = NO_STRING;
        self.block.rows.push(row);
    }

    /// The figures so far.
    pub fn block(&self) -> &FigureBlock {
        &self.block
    }

    /// The block.
    pub fn finish(self) -> FigureBlock {
        self.block
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A park-level figure of IND_VA for the tests of the block and of the frame.
    pub(crate) fn figure(park: &str, entity: Option<&str>, cell: &str, value: f64) -> Figure {
        Figure {
            park: park.into(),
            entity: entity.map(String::from),
            industry: None,
            year: 2022,
            month: 8,
            indicator: Some("IND_VA".into()),
            label: "工业增加值".into(),
            basis: Basis::Ytd,
            value,
            unit: "万元".into(),
            file: "a.xlsx".into(),
            sheet: "1-8月".into(),
            cell: cell.into(),
            sub_item: false,
        }
    }

    #[test]
    fn append_shifts_every_index_but_coordinates() {
        let first = vec![
            figure("甲园", None, "C5", 1.0),
            figure("甲园", None, "合计", 2.0),
        ];
        let second = vec![
            figure("乙园", Some("某公司"), "AA100", 3.0),
            figure("乙园", None, "", 4.0),
        ];
        let mut block = FigureBlock::from_figures(&first);
        block.append(FigureBlock::from_figures(&second));
        let all: Vec<Figure> = first.into_iter().chain(second).collect();
        assert_eq!(block.to_figures(), all);
        assert_eq!(block.cell(&block.rows[2]), "AA100");
        assert_eq!((block.rows[2].row, block.rows[2].col), (99, 26));
        let mut empty = FigureBlock::default();
        empty.append(block.clone());
        assert_eq!(empty, block);
    }

    #[test]
    fn rows_travel_packed_on_a_binary_wire_and_plain_in_json()
    -> Result<(), Box<dyn std::error::Error>> {
        let mut figures = vec![figure("甲园", Some("某公司"), "B3", -0.25)];
        figures[0].basis = Basis::ProjectionGrowth;
        figures[0].sub_item = true;
        figures.push(figure("甲园", None, "合计", f64::MAX));
        let block = FigureBlock::from_figures(&figures);
        let bytes = rmp_serde::to_vec(&block)?;
        // 2 rows of 58 bytes in one byte string (in a sequence of one), plus the strings
        assert!(bytes.len() < 2 * 58 + 80, "{} bytes", bytes.len());
        let back: FigureBlock = rmp_serde::from_slice(&bytes)?;
        assert_eq!(back, block);
        let json = serde_json::to_string(&block)?;
        assert!(json.contains("\"rows\":[{\"park\":"), "{json}");
        assert_eq!(serde_json::from_str::<FigureBlock>(&json)?, block);
        // a truncated byte string is an error, not a panic
        let mut short = block.clone();
        short.rows.truncate(1);
        let mut bytes = rmp_serde::to_vec(&short)?;
        let cut = bytes.len() - 3;
        bytes.truncate(cut);
        assert!(rmp_serde::from_slice::<FigureBlock>(&bytes).is_err());
        Ok(())
    }

    /// A block of more rows than one chunk holds travels as several byte strings and comes back
    /// whole, in order.
    #[test]
    fn large_blocks_travel_in_chunks() -> Result<(), Box<dyn std::error::Error>> {
        let n = packed_rows::CHUNK * 2 + 5;
        let figures: Vec<Figure> = (0..n)
            .map(|i| figure("甲园", None, &format!("C{}", i + 1), i as f64))
            .collect();
        let block = FigureBlock::from_figures(&figures);
        let bytes = rmp_serde::to_vec(&block)?;
        // a sequence of 3 byte strings
        assert!(bytes.len() < n * 58 + 3 * 5 + 200, "{} bytes", bytes.len());
        let back: FigureBlock = rmp_serde::from_slice(&bytes)?;
        assert_eq!(back.rows.len(), n);
        assert_eq!(back, block);
        assert_eq!(back.rows[n - 1].value, (n - 1) as f64);
        Ok(())
    }
}
