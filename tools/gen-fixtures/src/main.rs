//! gen-fixtures: writes parkstat's test fixtures and benchmark inputs.
//!
//! ```text
//! gen-fixtures fixtures OUT_DIR
//! gen-fixtures bench OUT_DIR [--count 1000] [--seed 42]
//! gen-fixtures enterprise OUT_FILE [--rows 100000] [--seed 42]
//! ```
//! Output is deterministic: the same arguments give byte-identical files.

mod bench;
mod data;
mod expected;
mod fixtures;
mod indicator_return;
mod rng;
mod sheet;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  gen-fixtures fixtures OUT_DIR
      the bundled fixtures (returns/*.xlsx, _convert/ staging files for LibreOffice, bad/,
      targets.csv, EXPECTED.md, expected.csv)
  gen-fixtures bench OUT_DIR [--count N] [--seed S]
      N monthly indicator returns (default 1000, seed 42) in OUT_DIR/<park>/<yyyy-mm> <park>.xlsx,
      plus OUT_DIR/manifest.csv
  gen-fixtures enterprise OUT_FILE [--rows N] [--seed S]
      one enterprise return of N enterprise rows (default 100000) x 20 columns";

fn opt(args: &[String], name: &str, default: u64) -> Result<u64, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(default),
        Some(i) => args
            .get(i + 1)
            .ok_or_else(|| format!("{name} needs a value"))?
            .parse()
            .map_err(|e| format!("{name}: {e}")),
    }
}

fn run(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let cmd = args.first().map(String::as_str);
    let target = args.get(1).filter(|a| !a.starts_with("--")).map(PathBuf::from);
    match (cmd, target) {
        (Some("fixtures"), Some(out)) => fixtures::generate(&out),
        (Some("bench"), Some(out)) => bench::bench(&out, opt(args, "--count", 1000)? as usize, opt(args, "--seed", 42)?),
        (Some("enterprise"), Some(out)) => {
            bench::enterprise(&out, opt(args, "--rows", 100_000)? as usize, opt(args, "--seed", 42)?)
        }
        _ => Err(USAGE.into()),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-fixtures: {e}");
            ExitCode::FAILURE
        }
    }
}
