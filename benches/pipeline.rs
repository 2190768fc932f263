//! Criterion benches of each stage: reading, normalising, computing, writing.
//!
//! `cargo bench --bench pipeline`; the whole-process comparison with Python peers is
//! `bench/compare.sh`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use parkstat::batch::{BatchOptions, collect_inputs, read_all};
use parkstat::compute::{ComputeOptions, compute_all};
use parkstat::polars::prelude::IntoLazy;
use parkstat::present::build_report;
use parkstat::report::{WriteOptions, write_workbook};
use parkstat::{Catalog, ReadOptions, read_file, tidy};

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/returns")
        .join(name)
}

fn reading(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("read");
    for name in [
        "2022-08 青林县工业园区主要经济指标.xlsx",
        "2022-06 青林县工业园区主要经济指标.xls",
        "2022-07 青林县工业园区主要经济指标.ods",
    ] {
        let path = fixture(name);
        g.bench_function(name.rsplit('.').next().unwrap_or(name), |b| {
            b.iter(|| black_box(read_file(&path, &catalog, &opts).map(|o| o.figures.len())))
        });
    }
    let files = collect_inputs(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/returns")])
        .map(|i| i.files)
        .unwrap_or_default();
    g.bench_function("fixtures folder", |b| {
        b.iter(|| {
            black_box(
                read_all(&files, &catalog, &BatchOptions::default(), &|_, _| {}).map(|r| r.len()),
            )
        })
    });
    g.finish();
}

fn normalising(c: &mut Criterion) {
    let figures = common::batch(200, 24);
    c.bench_function("tidy frame 200 parks × 24 months", |b| {
        b.iter(|| black_box(tidy::figures_to_frame(&figures).map(|d| d.height())))
    });
    // the tidy CSV into memory: straight from the blocks, and polars' writer on the frame (what
    // `write_frame` did before; the same bytes, without the formula check)
    let blocks: Vec<tidy::FigureBlock> = figures
        .chunks(500)
        .map(tidy::FigureBlock::from_figures)
        .collect();
    let mut frame = tidy::blocks_to_frame(&blocks).expect("frame");
    let mut g = c.benchmark_group("tidy csv 200 parks × 24 months");
    g.bench_function("from the blocks", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            black_box(tidy::write_csv(&blocks, &mut out).map(|()| out.len()))
        })
    });
    g.bench_function("polars CsvWriter on the frame", |b| {
        use parkstat::polars::prelude::{CsvWriter, SerWriter};
        b.iter(|| {
            let mut out = Vec::new();
            black_box(
                CsvWriter::new(&mut out)
                    .finish(&mut frame)
                    .map(|()| out.len()),
            )
        })
    });
    g.finish();
}

fn computing(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let frame = tidy::figures_to_frame(&common::batch(200, 24)).expect("frame");
    let mut g = c.benchmark_group("compute");
    g.sample_size(10);
    g.bench_function("all frames 200 parks × 24 months", |b| {
        b.iter(|| {
            black_box(
                compute_all(frame.clone().lazy(), &catalog, &ComputeOptions::default())
                    .map(|c| c.summary.height()),
            )
        })
    });
    g.finish();
}

fn writing(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let frame = tidy::figures_to_frame(&common::batch(200, 24)).expect("frame");
    let computed =
        compute_all(frame.lazy(), &catalog, &ComputeOptions::default()).expect("compute");
    let report = build_report(&computed, &catalog, None, Vec::new());
    // the floor writes exactly the cells of parkstat's workbook (read back with calamine), bare:
    // same sheets, strings and numbers, no formats, merges, widths or charts, default settings
    let ours = write_workbook(&report, &WriteOptions::default()).expect("workbook");
    let sheets = same_cells(&ours);
    let cells: usize = sheets.iter().map(|(_, c)| c.len()).sum();
    eprintln!(
        "write: {} sheets, {cells} cells, {} bytes",
        sheets.len(),
        ours.len()
    );
    let mut g = c.benchmark_group("write");
    g.sample_size(10);
    g.bench_function("summary workbook 200 parks", |b| {
        b.iter(|| black_box(write_workbook(&report, &WriteOptions::default()).map(|v| v.len())))
    });
    g.bench_function("bare rust_xlsxwriter, same cells", |b| {
        b.iter(|| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            for (name, cells) in &sheets {
                let ws = wb.add_worksheet();
                let _ = ws.set_name(name);
                for (r, c, v) in cells {
                    let _ = match v {
                        Cell::Text(t) => ws.write_string(*r, *c, t),
                        Cell::Number(x) => ws.write_number(*r, *c, *x),
                    };
                }
            }
            black_box(wb.save_to_buffer().map(|v| v.len()))
        })
    });
    g.finish();
}

enum Cell {
    Text(String),
    Number(f64),
}

/// A sheet's name and its cells.
type SheetCells = (String, Vec<(u32, u16, Cell)>);

/// Every non-empty cell of every sheet of a workbook.
fn same_cells(xlsx: &[u8]) -> Vec<SheetCells> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.to_vec())).expect("xlsx");
    let mut out = Vec::new();
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .filter_map(|(r, c, v)| {
                let (r, c) = (r as u32 + r0, (c as u32 + c0) as u16);
                match v {
                    Data::String(t) => Some((r, c, Cell::Text(t.clone()))),
                    Data::Float(x) => Some((r, c, Cell::Number(*x))),
                    Data::Int(i) => Some((r, c, Cell::Number(*i as f64))),
                    _ => None,
                }
            })
            .collect();
        out.push((name, cells));
    }
    out
}

criterion_group!(benches, reading, normalising, computing, writing);
criterion_main!(benches);
