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
    let cells: usize = report.parks.iter().map(|p| p.rows.len() * 12).sum();
    let mut g = c.benchmark_group("write");
    g.sample_size(10);
    g.bench_function("summary workbook 200 parks", |b| {
        b.iter(|| black_box(write_workbook(&report, &WriteOptions::default()).map(|v| v.len())))
    });
    // the floor: rust_xlsxwriter writing the same number of cells bare, one sheet per park
    g.bench_function("bare rust_xlsxwriter, same cells", |b| {
        b.iter(|| {
            let mut wb = rust_xlsxwriter::Workbook::new();
            for (i, p) in report.parks.iter().enumerate() {
                let ws = wb.add_worksheet();
                let _ = ws.set_name(format!("s{i}"));
                for (r, row) in p.rows.iter().enumerate() {
                    let _ = ws.write_string(r as u32, 0, &row.name);
                    for k in 1..12u16 {
                        let _ = ws.write_number(r as u32, k, row.ytd.unwrap_or(0.0));
                    }
                }
            }
            black_box(wb.save_to_buffer().map(|v| v.len()))
        })
    });
    g.finish();
    black_box(cells);
}

criterion_group!(benches, reading, normalising, computing, writing);
criterion_main!(benches);
