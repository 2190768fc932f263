//! Returns in layouts the reader was not written for (`fixtures/redteam/`, made by
//! `fixtures/redteam/make.py`), each checked against the figures a careful person reads off it
//! (`fixtures/redteam/truth.csv`).
//!
//! A ratchet: `fixtures/redteam/KNOWN_GAPS` lists the files still read differently from the
//! truth. A file not listed must match exactly; a listed file that now matches must be taken off
//! the list, so a fix is never undone unnoticed. `REDTEAM_SHOW=23,46 cargo test --test redteam`
//! prints the differences of the files whose names hold one of those strings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use parkstat::{Catalog, ReadOptions, read_file};

const DIR: &str = "fixtures/redteam";

type Key = (String, String, i32, u32, String, String);

fn truth() -> BTreeMap<String, Vec<(Key, f64)>> {
    let text = std::fs::read_to_string(format!("{DIR}/truth.csv")).expect("truth.csv");
    let mut out: BTreeMap<String, Vec<(Key, f64)>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 8, "truth.csv line {line:?}");
        let key = (
            f[1].to_string(),
            f[2].to_string(),
            f[3].parse().expect("year"),
            f[4].parse().expect("month"),
            f[5].to_string(),
            f[6].to_string(),
        );
        out.entry(f[0].to_string())
            .or_default()
            .push((key, f[7].parse().expect("value")));
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

/// What differs between the figures read from `file` and the truth, a line each.
fn differences(file: &str, want: &[(Key, f64)], catalog: &Catalog) -> Vec<String> {
    let path = Path::new(DIR).join("files").join(file);
    let got = match read_file(&path, catalog, &ReadOptions::default()) {
        Ok(out) => out.figures.to_figures(),
        Err(e) => return vec![format!("error: {e}")],
    };
    let mut read: BTreeMap<Key, Vec<(f64, String)>> = BTreeMap::new();
    for g in got {
        let Some(code) = g.indicator else { continue };
        let key = (
            g.park,
            g.entity.unwrap_or_default(),
            g.year,
            g.month,
            code,
            g.basis.as_str().to_string(),
        );
        read.entry(key).or_default().push((g.value, g.cell));
    }
    let mut diffs = Vec::new();
    for (key, value) in want {
        match read.remove(key) {
            None => diffs.push(format!("missing {key:?} = {value}")),
            Some(found) => {
                if !close(found[0].0, *value) {
                    diffs.push(format!(
                        "wrong {key:?}: {} at {}, want {value}",
                        found[0].0, found[0].1
                    ));
                }
                for (v, cell) in &found[1..] {
                    diffs.push(format!("twice {key:?}: also {v} at {cell}"));
                }
            }
        }
    }
    for (key, found) in read {
        for (v, cell) in found {
            diffs.push(format!("extra {key:?} = {v} at {cell}"));
        }
    }
    diffs
}

#[test]
fn unseen_layouts_against_their_truth() {
    let catalog = Catalog::builtin();
    let truth = truth();
    let gaps: BTreeSet<String> = std::fs::read_to_string(format!("{DIR}/KNOWN_GAPS"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    let mut files: Vec<String> = std::fs::read_dir(format!("{DIR}/files"))
        .expect("fixtures/redteam/files")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(files.len() >= 70, "the red-team files are missing");
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    let mut matching = 0;
    for file in &files {
        let want = truth.get(file).map(Vec::as_slice).unwrap_or_default();
        assert!(!want.is_empty(), "{file} has no truth rows");
        let diffs = differences(file, want, &catalog);
        if let Ok(show) = std::env::var("REDTEAM_SHOW")
            && show.split(',').any(|s| file.contains(s))
        {
            eprintln!(
                "{file}: {} differences\n    {}",
                diffs.len(),
                diffs.join("\n    ")
            );
        }
        match (diffs.is_empty(), gaps.contains(file)) {
            (true, true) => fixed.push(file.clone()),
            (true, false) => matching += 1,
            (false, true) => {}
            (false, false) => failures.push(format!("{file}:\n    {}", diffs.join("\n    "))),
        }
    }
    for g in &gaps {
        assert!(
            files.contains(g),
            "KNOWN_GAPS names {g}, which is not a file"
        );
    }
    eprintln!(
        "{matching} of {} red-team files match their truth; {} known gaps",
        files.len(),
        gaps.len()
    );
    assert!(
        failures.is_empty(),
        "read differently from the truth:\n{}",
        failures.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these now match their truth: take them off fixtures/redteam/KNOWN_GAPS: {fixed:?}"
    );
}
