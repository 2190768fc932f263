//! A sheet as a dense grid of cells with its merged ranges, independent of the file format.

use crate::value::CellValue;

/// A merged range, in grid coordinates (0-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub r0: usize,
    /// First column.
    pub c0: usize,
    /// Last row.
    pub r1: usize,
    /// Last column.
    pub c1: usize,
}

/// One worksheet's used box.
///
/// ```text
///      A          B        C
///  1  青林县工业园区主要经济指标      <- merged A1:C1
///  2  指标名称    1-8月    增长%
///  3  工业增加值  12.5     8.1
/// ```
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The sheet's name.
    pub name: String,
    /// Absolute row of the grid's first row (0-based).
    pub row0: u32,
    /// Absolute column of the grid's first column (0-based).
    pub col0: u32,
    rows: usize,
    cols: usize,
    cells: Vec<CellValue>,
    /// Merged ranges, in grid coordinates.
    pub merges: Vec<Merge>,
    /// True when the format told us its merges (xlsx, xls); false when they must be inferred.
    pub merges_known: bool,
    /// Rows the file hides, in grid coordinates, ascending (their figures are not read).
    pub hidden_rows: Vec<usize>,
    /// Columns the file hides, in grid coordinates, ascending (their figures are not read).
    pub hidden_cols: Vec<usize>,
    /// Set on a grid made by [`Grid::turned`]: from this row down, the grid's rows are the
    /// sheet's columns.
    turned_at: Option<usize>,
}

static EMPTY: CellValue = CellValue::Empty;

impl Grid {
    /// A grid of `rows × cols` empty cells whose top-left cell is at (`row0`, `col0`).
    pub fn new(name: &str, row0: u32, col0: u32, rows: usize, cols: usize) -> Grid {
        Grid::from_cells(name, row0, col0, rows, cols, Vec::new())
    }

    /// A grid of `rows × cols` cells given row-major (`cells.len() == rows * cols`; a shorter
    /// list is padded with empty cells, a longer one cut).
    pub(crate) fn from_cells(
        name: &str,
        row0: u32,
        col0: u32,
        rows: usize,
        cols: usize,
        mut cells: Vec<CellValue>,
    ) -> Grid {
        cells.resize(rows.saturating_mul(cols), CellValue::Empty);
        Grid {
            name: name.to_string(),
            row0,
            col0,
            rows,
            cols,
            cells,
            merges: Vec::new(),
            merges_known: false,
            hidden_rows: Vec::new(),
            hidden_cols: Vec::new(),
            turned_at: None,
        }
    }

    /// Hides the rows and columns given in absolute sheet coordinates (0-based, inclusive
    /// ranges), as the file marks them; those outside the grid are dropped.
    pub fn set_hidden(
        &mut self,
        rows: impl IntoIterator<Item = (u32, u32)>,
        cols: impl IntoIterator<Item = (u32, u32)>,
    ) {
        fn to_grid(
            ranges: impl IntoIterator<Item = (u32, u32)>,
            start: u32,
            len: usize,
        ) -> Vec<usize> {
            let mut out = Vec::new();
            for (first, last) in ranges {
                let first = first.max(start);
                let last = last.min(start.saturating_add(len as u32).saturating_sub(1));
                if len == 0 || first > last {
                    continue;
                }
                out.extend((first - start) as usize..=(last - start) as usize);
            }
            out.sort_unstable();
            out.dedup();
            out
        }
        self.hidden_rows = to_grid(rows, self.row0, self.rows);
        self.hidden_cols = to_grid(cols, self.col0, self.cols);
    }

    /// True when the file hides row `r`.
    pub fn row_hidden(&self, r: usize) -> bool {
        self.hidden_rows.binary_search(&r).is_ok()
    }

    /// True when the file hides column `c`.
    pub fn col_hidden(&self, c: usize) -> bool {
        self.hidden_cols.binary_search(&c).is_ok()
    }

    /// The columns `from..to` of this grid as a grid of their own, at their place in the sheet
    /// (cell names stay the sheet's), with the merges and hidden rows and columns inside them.
    pub fn columns(&self, from: usize, to: usize) -> Grid {
        let to = to.min(self.cols);
        let from = from.min(to);
        let width = to - from;
        let mut cells = Vec::with_capacity(self.rows * width);
        for r in 0..self.rows {
            cells.extend_from_slice(&self.cells[r * self.cols + from..r * self.cols + to]);
        }
        let mut g = Grid::from_cells(
            &self.name,
            self.row0,
            self.col0 + from as u32,
            self.rows,
            width,
            cells,
        );
        g.merges = self
            .merges
            .iter()
            .filter(|m| width > 0 && m.c0 < to && m.c1 >= from)
            .map(|m| Merge {
                c0: m.c0.max(from) - from,
                c1: m.c1.min(to - 1) - from,
                ..*m
            })
            .collect();
        g.merges_known = self.merges_known;
        g.hidden_rows = self.hidden_rows.clone();
        g.hidden_cols = self
            .hidden_cols
            .iter()
            .filter(|&&c| (from..to).contains(&c))
            .map(|c| c - from)
            .collect();
        g
    }

    /// Builds a grid from rows of values (for tests and generated data).
    pub fn from_rows(name: &str, rows: Vec<Vec<CellValue>>) -> Grid {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut g = Grid::new(name, 0, 0, rows.len(), cols);
        for (r, row) in rows.into_iter().enumerate() {
            for (c, v) in row.into_iter().enumerate() {
                g.set(r, c, v);
            }
        }
        g
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The cell at (row, col) in grid coordinates; empty outside the box.
    pub fn get(&self, r: usize, c: usize) -> &CellValue {
        if r < self.rows && c < self.cols {
            self.cells.get(r * self.cols + c).unwrap_or(&EMPTY)
        } else {
            &EMPTY
        }
    }

    /// Sets a cell; ignored outside the box.
    pub fn set(&mut self, r: usize, c: usize, v: CellValue) {
        if r < self.rows
            && c < self.cols
            && let Some(slot) = self.cells.get_mut(r * self.cols + c)
        {
            *slot = v;
        }
    }

    /// The A1 reference of a grid cell, in the sheet's own coordinates.
    pub fn a1(&self, r: usize, c: usize) -> String {
        let (row, col) = self.place(r, c);
        a1(row as usize, col as usize)
    }

    /// The sheet's (row, column) of the grid's cell (r, c), 0-based.
    pub fn place(&self, r: usize, c: usize) -> (u32, u32) {
        match self.turned_at {
            Some(at) if r >= at => (
                self.row0.saturating_add((at + c) as u32),
                self.col0.saturating_add((r - at) as u32),
            ),
            _ => (
                self.row0.saturating_add(r as u32),
                self.col0.saturating_add(c as u32),
            ),
        }
    }

    /// True when the grid was made by [`Grid::turned`].
    pub fn is_turned(&self) -> bool {
        self.turned_at.is_some()
    }

    /// This grid with the rows `at..end` turned on their side, for a table whose names run
    /// across and whose times run down (项目 | 工业总产值 | 工业增加值 over 本月, 1-9月累计 …):
    /// the rows above stay as they are (title, unit note), and each column of the block becomes a
    /// row under them. Cell names ([`Grid::a1`], [`Grid::place`]) stay the sheet's.
    pub fn turned(&self, at: usize, end: usize) -> Grid {
        let end = end.min(self.rows);
        let at = at.min(end);
        let cols = self.cols.max(end - at);
        let rows = at + self.cols;
        let mut cells = Vec::with_capacity(rows * cols);
        for r in 0..at {
            cells.extend_from_slice(&self.cells[r * self.cols..(r + 1) * self.cols]);
            cells.resize((r + 1) * cols, CellValue::Empty);
        }
        for c in 0..self.cols {
            cells.extend((at..end).map(|r| self.get(r, c).clone()));
            cells.resize((at + c + 1) * cols, CellValue::Empty);
        }
        let mut g = Grid::from_cells(&self.name, self.row0, self.col0, rows, cols, cells);
        g.merges = self.merges.iter().filter(|m| m.r1 < at).copied().collect();
        g.merges_known = self.merges_known;
        g.hidden_rows = self
            .hidden_rows
            .iter()
            .copied()
            .filter(|&r| r < at)
            .collect();
        g.turned_at = Some(at);
        g
    }

    /// The merge that covers (r, c), if any.
    pub fn merge_at(&self, r: usize, c: usize) -> Option<&Merge> {
        self.merges
            .iter()
            .find(|m| m.r0 <= r && r <= m.r1 && m.c0 <= c && c <= m.c1)
    }

    /// The text of a cell, or of the top-left cell of the merge covering it.
    pub fn merged_text(&self, r: usize, c: usize) -> String {
        match self.merge_at(r, c) {
            Some(m) => self.get(m.r0, m.c0).as_text(),
            None => self.get(r, c).as_text(),
        }
    }

    /// True when every cell of the row is blank.
    pub fn row_is_blank(&self, r: usize) -> bool {
        (0..self.cols).all(|c| self.get(r, c).is_blank())
    }
}

/// The A1 reference of a 0-based (row, column).
///
/// ```
/// assert_eq!(parkstat::read::a1(0, 0), "A1");
/// assert_eq!(parkstat::read::a1(9, 27), "AB10");
/// ```
pub fn a1(row: usize, col: usize) -> String {
    let mut s = String::with_capacity(12);
    push_a1(&mut s, row, col);
    s
}

/// Appends the A1 reference of a 0-based (row, column) to `out` (no allocation when `out` has
/// room: the tidy frame's `cell` column is written this way).
///
/// ```
/// let mut s = String::from("→");
/// parkstat::read::push_a1(&mut s, 6, 4);
/// assert_eq!(s, "→E7");
/// ```
pub fn push_a1(out: &mut String, row: usize, col: usize) {
    use std::fmt::Write;
    // the column letters, last first (a usize column has at most 14 of them)
    let mut letters = [0u8; 16];
    let mut n = 0;
    let mut c = col + 1;
    while c > 0 && n < letters.len() {
        letters[n] = b'A' + ((c - 1) % 26) as u8;
        n += 1;
        c = (c - 1) / 26;
    }
    out.extend(letters[..n].iter().rev().map(|&b| char::from(b)));
    let _ = write!(out, "{}", row + 1);
}

/// The 0-based (row, column) of an A1 reference written the way [`a1`] writes it (upper-case
/// letters, no `$`, no leading zero); `None` for anything else.
///
/// ```
/// assert_eq!(parkstat::read::parse_a1("AB10"), Some((9, 27)));
/// assert_eq!(parkstat::read::parse_a1("e7"), None);
/// assert_eq!(parkstat::read::parse_a1("合计"), None);
/// ```
pub fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = &b[letters..];
    if letters == 0 || letters > 3 || digits.is_empty() || digits.len() > 7 || digits[0] == b'0' {
        return None;
    }
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = b[..letters]
        .iter()
        .fold(0u32, |acc, &c| acc * 26 + u32::from(c - b'A') + 1);
    let row = digits
        .iter()
        .fold(0u32, |acc, &c| acc * 10 + u32::from(c - b'0'));
    Some((row - 1, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slice_of_columns_keeps_its_place_merges_and_hidden_columns() {
        let text = |s: &str| CellValue::Text(s.into());
        let mut g = Grid::from_rows(
            "S",
            vec![
                vec![text("a"), text("b"), text("c"), text("d")],
                vec![text("e"), text("f"), text("g"), text("h")],
            ],
        );
        g.merges = vec![
            Merge {
                r0: 0,
                c0: 1,
                r1: 0,
                c1: 2,
            },
            Merge {
                r0: 1,
                c0: 0,
                r1: 1,
                c1: 0,
            },
        ];
        g.hidden_cols = vec![3];
        let right = g.columns(2, 9);
        assert_eq!((right.rows(), right.cols(), right.col0), (2, 2, 2));
        assert_eq!(right.get(1, 1), &text("h"));
        assert_eq!(right.a1(1, 1), "D2");
        assert_eq!(
            right.merges,
            [Merge {
                r0: 0,
                c0: 0,
                r1: 0,
                c1: 0
            }]
        );
        assert_eq!(right.hidden_cols, [1]);
        assert_eq!(g.columns(5, 2).cols(), 0);
    }
}
