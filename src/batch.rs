//! Converting a folder of returns: collecting the inputs, reading them in parallel with a bounded
//! pool, and keeping the results in a stable order whatever thread finished first.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::ingest::{FileOutput, ReadOptions, read_file};

/// Extensions read as spreadsheets (content decides the format; these decide what is tried).
pub const SPREADSHEET_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "xlsb", "ods", "et", "ett"];

/// The inputs found, and what was passed over with the reason.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Files to read, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Files passed over: (path, reason).
    pub skipped: Vec<(PathBuf, String)>,
}

fn is_lock_file(p: &Path) -> bool {
    p.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$") || n.starts_with(".~lock"))
}

fn consider(p: PathBuf, explicit: bool, out: &mut Inputs) {
    if is_lock_file(&p) {
        out.skipped.push((p, "an Office lock file".into()));
        return;
    }
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if explicit || SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        out.files.push(p);
    } else {
        out.skipped
            .push((p, "not a spreadsheet (by its extension)".into()));
    }
}

fn walk(dir: &Path, out: &mut Inputs, depth: usize) -> Result<()> {
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.into(),
        source,
    })?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out, depth + 1)?;
        } else {
            consider(p, false, out);
        }
    }
    Ok(())
}

/// Expands files, folders (recursively) and glob patterns into the files to read.
///
/// A file named explicitly is always tried (its content decides); inside folders and patterns
/// only spreadsheet extensions are taken, and Office lock files (`~$…`) are skipped.
///
/// # Errors
/// [`Error::Io`] for an input that does not exist or a folder that cannot be listed;
/// [`Error::Usage`] for a malformed pattern.
pub fn collect_inputs(inputs: &[PathBuf]) -> Result<Inputs> {
    let mut out = Inputs::default();
    for input in inputs {
        let s = input.to_string_lossy();
        if s.contains(['*', '?', '[']) && !input.exists() {
            let paths =
                glob::glob(&s).map_err(|e| Error::Usage(format!("bad pattern {s}: {e}")))?;
            let mut found: Vec<PathBuf> = paths.filter_map(|p| p.ok()).collect();
            found.sort();
            for p in found {
                if p.is_dir() {
                    walk(&p, &mut out, 0)?;
                } else {
                    consider(p, false, &mut out);
                }
            }
        } else if input.is_dir() {
            walk(input, &mut out, 0)?;
        } else {
            consider(input.clone(), true, &mut out);
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.files.retain(|p| seen.insert(p.clone()));
    Ok(out)
}

/// How a batch is read.
#[derive(Debug, Clone, Default)]
pub struct BatchOptions {
    /// Per-file reading options.
    pub read: ReadOptions,
    /// Worker threads; 0 means the number of cores.
    pub jobs: usize,
    /// Stop starting new files after the first failure.
    pub fail_fast: bool,
}

/// The outcome of one file.
pub type FileResult = Result<FileOutput>;

/// Reads every file, in parallel, and returns the results in the order of `files`.
///
/// `progress` is called once per file as it finishes (from worker threads). Each file's
/// workbook is dropped as soon as its figures are extracted, so memory stays bounded by the
/// figures plus `jobs` open workbooks.
///
/// # Errors
/// [`Error::Usage`] when the thread pool cannot be built. Per-file errors are in the results.
pub fn read_all(
    files: &[PathBuf],
    catalog: &Catalog,
    opts: &BatchOptions,
    progress: &(dyn Fn(&Path, &FileResult) + Sync),
) -> Result<Vec<FileResult>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.jobs)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} worker threads: {e}", opts.jobs)))?;
    let stop = AtomicBool::new(false);
    let results = pool.install(|| {
        files
            .par_iter()
            .with_max_len(1)
            .map(|path| {
                if stop.load(Ordering::Relaxed) {
                    return Err(Error::Usage(format!(
                        "{}: not read (--fail-fast after an earlier failure)",
                        path.display()
                    )));
                }
                let r = read_file(path, catalog, &opts.read);
                if r.is_err() && opts.fail_fast {
                    stop.store(true, Ordering::Relaxed);
                }
                progress(path, &r);
                r
            })
            .collect::<Vec<_>>()
    });
    Ok(results)
}
