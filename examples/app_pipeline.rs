//! The whole pipeline as another Rust tool would run it: read the bundled returns, compute the
//! summary, write the workbook and the report's sentences.
//!
//! Run with `cargo run --example app_pipeline [OUT_DIR]`; `cargo test` runs it too.

use std::path::{Path, PathBuf};

use parkstat::batch::{BatchOptions, collect_inputs, read_all};
use parkstat::compute::{ComputeOptions, UserInputs, compute_all};
use parkstat::polars::prelude::IntoLazy;
use parkstat::present::{SummaryIndex, build_report, render_text};
use parkstat::report::{DEFAULT_TEMPLATE, write_workbook_to_path};
use parkstat::{Catalog, tidy};

fn run(out_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalog = Catalog::builtin();

    // 1. read every return of the folder, in parallel, in a stable order
    let inputs = collect_inputs(&[root.join("fixtures/returns")])?;
    let results = read_all(
        &inputs.files,
        &catalog,
        &BatchOptions::default(),
        &|_, _| {},
    )?;
    // each file's figures come packed (`out.figures.to_figures()` would unpack them)
    let mut blocks = Vec::new();
    for (path, r) in inputs.files.iter().zip(results) {
        match r {
            Ok(out) => blocks.push(out.figures),
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }

    // 2. the tidy frame, then every computation (targets from a user file)
    let frame = tidy::blocks_to_frame(&blocks)?;
    let opts = ComputeOptions {
        inputs: UserInputs::from_file(&root.join("fixtures/targets.csv"), &catalog)?,
        ..Default::default()
    };
    let computed = compute_all(frame.lazy(), &catalog, &opts)?;
    println!("{}", computed.summary.head(Some(5)));

    // 3. the report's sentences and the summary workbook
    let text = render_text(
        DEFAULT_TEMPLATE,
        &SummaryIndex::new(&computed.summary),
        &catalog,
    )?;
    let report = build_report(
        &computed,
        &catalog,
        Some(text.text.clone()),
        inputs
            .files
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    );
    let xlsx = out_dir.join("summary.xlsx");
    write_workbook_to_path(&report, &Default::default(), &xlsx)?;
    println!(
        "wrote {} ({} parks, {} audit findings)",
        xlsx.display(),
        report.parks.len(),
        report.audit.len()
    );
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out: PathBuf = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    run(&out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn pipeline_writes_the_workbook() {
        let dir = tempfile::tempdir().expect("tempdir");
        super::run(dir.path()).expect("pipeline");
        assert!(
            dir.path()
                .join("summary.xlsx")
                .metadata()
                .expect("written")
                .len()
                > 10_000
        );
    }
}
