//! The floor of the parkstat benchmark (bench/compare.sh): the least work any tool that reads
//! the returns must do. Opens every workbook with calamine, loads every sheet and touches every
//! cell (sums the numbers, counts the strings), and nothing else: no layout detection, no
//! tidy table, no output files.
//!
//! ```text
//! parkstat-floor batch DIR [--jobs N] [--reader range|cells]   # every spreadsheet under DIR
//! parkstat-floor one FILE [--reader range|cells]                # one file (all its sheets)
//! ```
//!
//! `--reader range` (default) is the plain `Reader::worksheet_range` (a dense `Range<Data>`);
//! `--reader cells` streams an xlsx sheet with `worksheet_cells_reader` (no dense range), the
//! cheapest way calamine offers. `--jobs N` (default 1) reads files on N plain threads.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use calamine::{open_workbook_auto, Data, DataRef, Reader, Sheets};

#[derive(Default, Clone, Copy)]
struct Tally {
    files: usize,
    sheets: usize,
    numbers: usize,
    strings: usize,
    sum: f64,
    chars: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.files += o.files;
        self.sheets += o.sheets;
        self.numbers += o.numbers;
        self.strings += o.strings;
        self.sum += o.sum;
        self.chars += o.chars;
    }
    fn data(&mut self, d: &Data) {
        match d {
            Data::Int(i) => {
                self.numbers += 1;
                self.sum += *i as f64;
            }
            Data::Float(f) => {
                self.numbers += 1;
                self.sum += *f;
            }
            Data::DateTime(dt) => {
                self.numbers += 1;
                self.sum += dt.as_f64();
            }
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                self.strings += 1;
                self.chars += s.len();
            }
            Data::Bool(_) | Data::Error(_) | Data::Empty => {}
        }
    }
    fn data_ref(&mut self, d: &DataRef<'_>) {
        match d {
            DataRef::Int(i) => {
                self.numbers += 1;
                self.sum += *i as f64;
            }
            DataRef::Float(f) => {
                self.numbers += 1;
                self.sum += *f;
            }
            DataRef::DateTime(dt) => {
                self.numbers += 1;
                self.sum += dt.as_f64();
            }
            DataRef::SharedString(s) => {
                self.strings += 1;
                self.chars += s.len();
            }
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                self.strings += 1;
                self.chars += s.len();
            }
            DataRef::Bool(_) | DataRef::Error(_) | DataRef::Empty => {}
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Range,
    Cells,
}

fn read_one(path: &Path, mode: Mode) -> Result<Tally, String> {
    let err = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let mut wb = open_workbook_auto(path).map_err(|e| err(&e))?;
    let names = wb.sheet_names();
    let mut t = Tally { files: 1, ..Default::default() };
    for name in names {
        t.sheets += 1;
        match (&mut wb, mode) {
            (Sheets::Xlsx(x), Mode::Cells) => {
                let mut r = x.worksheet_cells_reader(&name).map_err(|e| err(&e))?;
                while let Some(cell) = r.next_cell().map_err(|e| err(&e))? {
                    t.data_ref(cell.get_value());
                }
            }
            (other, _) => {
                let range = other.worksheet_range(&name).map_err(|e| err(&e))?;
                for (_, _, v) in range.used_cells() {
                    t.data(v);
                }
            }
        }
    }
    Ok(t)
}

const EXTS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut ps: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    ps.sort();
    for p in ps {
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTS.contains(&e.to_ascii_lowercase().as_str())) {
            out.push(p);
        }
    }
}

fn usage() -> ! {
    eprintln!("usage: parkstat-floor batch DIR [--jobs N] [--reader range|cells]\n       parkstat-floor one FILE [--reader range|cells]");
    std::process::exit(2)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        usage();
    }
    let (cmd, target) = (args[0].as_str(), PathBuf::from(&args[1]));
    let mut jobs = 1usize;
    let mut mode = Mode::Range;
    let mut i = 2;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--jobs" | "-j", Some(n)) => jobs = n.parse().unwrap_or_else(|_| usage()),
            ("--reader", Some(m)) if m == "range" => mode = Mode::Range,
            ("--reader", Some(m)) if m == "cells" => mode = Mode::Cells,
            _ => usage(),
        }
        i += 2;
    }
    let t0 = Instant::now();
    let files = match cmd {
        "batch" => {
            let mut v = Vec::new();
            walk(&target, &mut v);
            v
        }
        "one" => vec![target.clone()],
        _ => usage(),
    };
    if files.is_empty() {
        eprintln!("parkstat-floor: no spreadsheet files under {}", target.display());
        std::process::exit(1);
    }
    let next = AtomicUsize::new(0);
    let total = Mutex::new(Tally::default());
    let failed = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            s.spawn(|| {
                let mut local = Tally::default();
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = files.get(k) else { break };
                    match read_one(p, mode) {
                        Ok(t) => local.add(&t),
                        Err(e) => {
                            eprintln!("parkstat-floor: {e}");
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                total.lock().unwrap().add(&local);
            });
        }
    });
    let t = *total.lock().unwrap();
    println!(
        "{} files, {} sheets, {} numbers (sum {:.3}), {} strings ({} bytes), {} failed; {:.3} s",
        t.files,
        t.sheets,
        t.numbers,
        t.sum,
        t.strings,
        t.chars,
        failed.load(Ordering::Relaxed),
        t0.elapsed().as_secs_f64()
    );
    if failed.load(Ordering::Relaxed) > 0 {
        std::process::exit(1);
    }
}
