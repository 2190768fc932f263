//! Cells placed into a [`Grid`] as a streaming reader yields them.
//!
//! An xlsx sheet declares its used box (`<dimension ref="A1:T100004"/>`). When it does, the
//! cells go straight into a grid of that box: no list of every cell and its position in between,
//! which for a 100,000-row return is 2 million entries of 40 bytes, grown by doubling. The box
//! is a claim, not a fact: a cell outside it, or a box larger than the cells, gives the same
//! grid as if no box had been declared (the box of the cells read).

use super::Grid;
use crate::value::CellValue;

/// The largest declared box placed into directly. Its memory is reserved, not touched: rows are
/// filled as cells reach them, so a box far larger than the cells (a WPS file declaring
/// A1:Z300000 for a dozen cells) costs address space only.
const MAX_DECLARED_CELLS: u64 = 8_000_000;

/// The declared box, filled row by row.
struct Boxed {
    row0: u32,
    col0: u32,
    rows: usize,
    cols: usize,
    /// Row-major; as long as the rows reached so far.
    cells: Vec<CellValue>,
}

/// Builds a grid from cells given one at a time.
pub(crate) struct Placer {
    name: String,
    /// The declared box, when there is one worth trusting.
    boxed: Option<Boxed>,
    /// Cells outside the declared box (or every cell, without one), in reading order.
    loose: Vec<(u32, u32, CellValue)>,
    /// First row, first column, last row, last column of the cells placed so far.
    bounds: Option<(u32, u32, u32, u32)>,
    count: u64,
}

impl Placer {
    /// A placer for sheet `name`, with the box the sheet declares (first and last (row, column),
    /// absolute, inclusive) if any.
    pub(crate) fn new(name: &str, declared: Option<((u32, u32), (u32, u32))>) -> Placer {
        let boxed = declared.and_then(|((r0, c0), (r1, c1))| {
            if r1 < r0 || c1 < c0 {
                return None;
            }
            let rows = u64::from(r1 - r0) + 1;
            let cols = u64::from(c1 - c0) + 1;
            // a box of one cell is what a sheet without <dimension> and many writers declare
            (rows * cols > 1 && rows * cols <= MAX_DECLARED_CELLS).then(|| Boxed {
                row0: r0,
                col0: c0,
                rows: rows as usize,
                cols: cols as usize,
                cells: Vec::with_capacity((rows * cols) as usize),
            })
        });
        Placer {
            name: name.to_string(),
            boxed,
            loose: Vec::new(),
            bounds: None,
            count: 0,
        }
    }

    /// Number of cells placed.
    pub(crate) fn count(&self) -> u64 {
        self.count
    }

    /// Places the cell at absolute (`r`, `c`); a later cell at the same place replaces it.
    pub(crate) fn place(&mut self, r: u32, c: u32, v: CellValue) {
        self.count += 1;
        self.bounds = Some(match self.bounds {
            None => (r, c, r, c),
            Some((r0, c0, r1, c1)) => (r0.min(r), c0.min(c), r1.max(r), c1.max(c)),
        });
        if let Some(b) = &mut self.boxed
            && r >= b.row0
            && c >= b.col0
            && ((r - b.row0) as usize) < b.rows
            && ((c - b.col0) as usize) < b.cols
        {
            let row = (r - b.row0) as usize;
            let at = row * b.cols + (c - b.col0) as usize;
            if at >= b.cells.len() {
                b.cells.resize((row + 1) * b.cols, CellValue::Empty);
            }
            if let Some(slot) = b.cells.get_mut(at) {
                *slot = v;
            }
            return;
        }
        self.loose.push((r, c, v));
    }

    /// First row, first column, number of rows and columns of the box of the cells placed.
    pub(crate) fn extent(&self) -> Option<(u32, u32, u64, u64)> {
        self.bounds
            .map(|(r0, c0, r1, c1)| (r0, c0, u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1))
    }

    /// The grid of the cells placed: the box of the cells (an empty grid at A1 without any).
    pub(crate) fn finish(self) -> Grid {
        let Some((r0, c0, rows, cols)) = self.extent() else {
            return Grid::new(&self.name, 0, 0, 0, 0);
        };
        let mut boxed = self.boxed;
        if let Some(b) = &mut boxed
            && self.loose.is_empty()
            && (b.row0, b.col0, b.rows as u64, b.cols as u64) == (r0, c0, rows, cols)
        {
            let mut cells = std::mem::take(&mut b.cells);
            cells.resize(b.rows * b.cols, CellValue::Empty);
            return Grid::from_cells(&self.name, r0, c0, b.rows, b.cols, cells);
        }
        let mut g = Grid::new(&self.name, r0, c0, rows as usize, cols as usize);
        if let Some(b) = boxed {
            let cols_in_box = b.cols.max(1);
            for (i, v) in b.cells.into_iter().enumerate() {
                if matches!(v, CellValue::Empty) {
                    continue;
                }
                let r = b.row0 as usize + i / cols_in_box;
                let c = b.col0 as usize + i % cols_in_box;
                g.set(r - r0 as usize, c - c0 as usize, v);
            }
        }
        for (r, c, v) in self.loose {
            g.set((r - r0) as usize, (c - c0) as usize, v);
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(v: f64) -> CellValue {
        CellValue::Number {
            value: v,
            percent: false,
        }
    }

    fn cells(g: &Grid) -> Vec<(usize, usize, String)> {
        let mut out = Vec::new();
        for r in 0..g.rows() {
            for c in 0..g.cols() {
                if !matches!(g.get(r, c), CellValue::Empty) {
                    out.push((r, c, g.get(r, c).as_text()));
                }
            }
        }
        out
    }

    /// Every declared box, right or wrong, gives the grid of the cells' own box.
    #[test]
    fn the_declared_box_changes_nothing() {
        let input = [
            (2u32, 1u32, n(1.0)),
            (2, 3, CellValue::Text("a".into())),
            (4, 2, n(3.0)),
            (2, 1, n(9.0)),
        ];
        let boxes = [
            None,
            Some(((2, 1), (4, 3))),              // exact
            Some(((0, 0), (9, 9))),              // larger
            Some(((3, 2), (4, 3))),              // smaller: cells outside it
            Some(((0, 0), (0, 0))),              // one cell (what many writers declare)
            Some(((4, 3), (2, 1))),              // reversed
            Some(((0, 0), (1_048_575, 16_383))), // a whole sheet
        ];
        for declared in boxes {
            let mut p = Placer::new("S", declared);
            for (r, c, v) in input.iter().cloned() {
                p.place(r, c, v);
            }
            assert_eq!(p.count(), 4);
            let g = p.finish();
            assert_eq!(
                (g.row0, g.col0, g.rows(), g.cols()),
                (2, 1, 3, 3),
                "{declared:?}"
            );
            assert_eq!(
                cells(&g),
                vec![
                    (0, 0, "9".to_string()),
                    (0, 2, "a".to_string()),
                    (2, 1, "3".to_string())
                ],
                "{declared:?}"
            );
        }
    }

    #[test]
    fn no_cells_no_box() {
        let g = Placer::new("S", Some(((0, 0), (5, 5)))).finish();
        assert_eq!((g.row0, g.col0, g.rows(), g.cols()), (0, 0, 0, 0));
    }
}
