//! Times the stages of reading: `cargo run --release --example profile_read DIR`.
use std::time::{Duration, Instant};

use parkstat::Catalog;
use parkstat::layout::{Overrides, SheetContext, extract_sheet};
use parkstat::read::{Limits, guard, read_workbook_bytes};

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "xlsx") {
            out.push(p);
        }
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench-out/returns".into());
    let mut list = Vec::new();
    files(std::path::Path::new(&dir), &mut list);
    list.sort();
    let catalog = Catalog::builtin();
    let limits = Limits::default();
    let ov = Overrides::default();
    let (mut t_read, mut t_guard, mut t_load, mut t_layout) = (
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
        Duration::ZERO,
    );
    let mut n = 0;
    let all = Instant::now();
    for p in &list {
        let t = Instant::now();
        let bytes = std::fs::read(p).unwrap();
        t_read += t.elapsed();
        let t = Instant::now();
        let _ = guard::check_xlsx_with_merges(&bytes, guard::Format::Xlsx, &limits);
        t_guard += t.elapsed();
        let t = Instant::now();
        let wb = read_workbook_bytes(bytes, p, &limits).unwrap();
        t_load += t.elapsed();
        let t = Instant::now();
        let file = p.to_string_lossy().into_owned();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let ctx = SheetContext {
            catalog: &catalog,
            file: &file,
            file_name: &name,
            overrides: &ov,
            row_reports: false,
        };
        for g in &wb.sheets {
            n += extract_sheet(g, &ctx).figures.len();
        }
        t_layout += t.elapsed();
    }
    println!("{} files, {n} figures, all {:?}", list.len(), all.elapsed());
    println!(
        "fs::read {t_read:?}\nguard {t_guard:?}\nload(guard+calamine+grid) {t_load:?}\nlayout {t_layout:?}"
    );
}
