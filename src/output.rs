//! Writing outputs safely: to a temporary file beside the target, then renamed over it, so that
//! a failure leaves no half-written file and the previous output intact.

use std::io::Write;
use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};

/// Writes `path` atomically with the bytes produced by `fill`.
///
/// # Errors
/// [`Error::Write`] naming the path when the folder is not writable, `fill` fails or the rename
/// fails; the previous file is then untouched.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::result::Result<(), String>,
) -> Result<()> {
    let bad = |message: String| Error::Write {
        path: path.into(),
        message,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)
        .map_err(|e| bad(format!("cannot create the folder {}: {e}", dir.display())))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".parkstat-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            bad(format!(
                "cannot create a temporary file in {}: {e}",
                dir.display()
            ))
        })?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        fill(&mut w).map_err(bad)?;
        w.flush().map_err(|e| bad(e.to_string()))?;
    }
    tmp.as_file().sync_all().map_err(|e| bad(e.to_string()))?;
    // a temporary file is private (0600); the output is not: it keeps the permissions of the
    // file it replaces, or gets those of a new file
    if let Some(perms) = output_permissions(path) {
        std::fs::set_permissions(tmp.path(), perms).map_err(|e| bad(e.to_string()))?;
    }
    tmp.persist(path).map_err(|e| bad(e.error.to_string()))?;
    Ok(())
}

/// The permissions an output written through a temporary file should get: those of the file it
/// replaces, or read-write for the owner and readable by others (0644) for a new one.
pub(crate) fn output_permissions(path: &Path) -> Option<std::fs::Permissions> {
    match std::fs::metadata(path) {
        Ok(meta) => Some(meta.permissions()),
        Err(_) => new_file_permissions(),
    }
}

#[cfg(unix)]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_permissions() -> Option<std::fs::Permissions> {
    None
}

/// The first characters that make a spreadsheet read a CSV cell as a formula.
const FORMULA_START: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// True when some string of the column may start like a formula: the first byte is read from
/// each string view's prefix, without touching the strings (a null's view may say yes too; the
/// caller then looks at the values). A large return's tidy frame has 12 million strings.
fn may_hold_formulas(ca: &StringChunked) -> bool {
    ca.downcast_iter().any(|arr| {
        arr.views()
            .iter()
            .any(|v| v.length > 0 && FORMULA_START.contains(&v.prefix.to_le_bytes()[0]))
    })
}

/// Prefixes a text cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`) with an
/// apostrophe, so a CSV opened in Excel never runs it.
pub fn neutralize(s: &str) -> std::borrow::Cow<'_, str> {
    if s.as_bytes()
        .first()
        .is_some_and(|b| FORMULA_START.contains(b))
    {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn neutralized(df: &DataFrame) -> PolarsResult<DataFrame> {
    let mut out = df.clone();
    for name in df.get_column_names_owned() {
        let c = df.column(&name)?;
        if c.dtype() == &DataType::String {
            let ca = c.str()?;
            if may_hold_formulas(ca) {
                let v: Vec<Option<String>> = ca
                    .iter()
                    .map(|s| s.map(|s| neutralize(s).into_owned()))
                    .collect();
                out.replace(&name, Column::new(name.clone(), v))?;
            }
        }
    }
    Ok(out)
}

/// Writes a frame as CSV (UTF-8 with a BOM, so Excel shows Chinese correctly) or parquet,
/// chosen by the extension, atomically.
///
/// # Errors
/// [`Error::Write`], or [`Error::Usage`] for an extension other than csv or parquet.
pub fn write_frame(df: &DataFrame, path: &Path) -> Result<()> {
    match extension(path).as_str() {
        "csv" => {
            let mut safe = neutralized(df).map_err(|e| Error::Write {
                path: path.into(),
                message: e.to_string(),
            })?;
            write_atomic(path, |w| {
                w.write_all("\u{feff}".as_bytes())
                    .map_err(|e| e.to_string())?;
                CsvWriter::new(w)
                    .include_header(true)
                    .finish(&mut safe)
                    .map_err(|e| e.to_string())
            })
        }
        "parquet" => {
            let mut df = df.clone();
            write_atomic(path, |w| {
                ParquetWriter::new(w)
                    .finish(&mut df)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            })
        }
        other => Err(Error::Usage(format!(
            "{}: unknown output type \".{other}\"; use .csv or .parquet",
            path.display()
        ))),
    }
}

/// A path's extension, lower case ("" for none).
fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// Writes the tidy table of `blocks` (see [`crate::tidy`]) as CSV or parquet, chosen by the
/// extension, atomically: the same file as [`write_frame`] on
/// [`crate::tidy::blocks_to_frame`]'s frame. A CSV is written straight from the blocks
/// ([`crate::tidy::write_csv`]) without building the frame; a parquet file from `frame`, the
/// blocks' frame when the caller has built it already, or from a frame built here.
///
/// # Errors
/// [`Error::Write`], or [`Error::Usage`] for an extension other than csv or parquet.
pub fn write_tidy(
    blocks: &[crate::tidy::FigureBlock],
    frame: Option<&DataFrame>,
    path: &Path,
) -> Result<()> {
    if extension(path) == "csv" {
        return write_atomic(path, |w| {
            w.write_all("\u{feff}".as_bytes())
                .and_then(|()| crate::tidy::write_csv(blocks, w))
                .map_err(|e| e.to_string())
        });
    }
    match frame {
        Some(df) => write_frame(df, path),
        None => {
            let df = crate::tidy::blocks_to_frame(blocks).map_err(|e| Error::Write {
                path: path.into(),
                message: e.to_string(),
            })?;
            write_frame(&df, path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralized() {
        assert_eq!(neutralize("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralize("-3"), "'-3");
        assert_eq!(neutralize("青林县"), "青林县");
    }

    #[test]
    fn failed_write_keeps_the_old_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("out.csv");
        std::fs::write(&p, "old")?;
        let r = write_atomic(&p, |_| Err("boom".into()));
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&p)?, "old");
        let leftovers = std::fs::read_dir(dir.path())?.count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
        Ok(())
    }

    /// An output is readable by others like any new file (the temporary file it was written to
    /// is private), and keeps the permissions of the file it replaces.
    #[cfg(unix)]
    #[test]
    fn outputs_are_not_private() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("out.csv");
        write_atomic(&p, |w| w.write_all(b"a").map_err(|e| e.to_string()))?;
        let mode = |p: &Path| -> std::io::Result<u32> {
            Ok(std::fs::metadata(p)?.permissions().mode() & 0o777)
        };
        assert_eq!(mode(&p)?, 0o644);
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640))?;
        write_atomic(&p, |w| w.write_all(b"b").map_err(|e| e.to_string()))?;
        assert_eq!(mode(&p)?, 0o640);
        assert_eq!(std::fs::read_to_string(&p)?, "b");
        Ok(())
    }

    /// The tidy table written from blocks is the file `write_frame` writes from their frame, as
    /// CSV and as parquet.
    #[test]
    fn tidy_from_blocks_is_the_frame_file() -> Result<(), Box<dyn std::error::Error>> {
        use crate::model::Figure;
        use crate::tidy::{FigureBlock, blocks_to_frame, test_figure};
        let dir = tempfile::tempdir()?;
        let f = |park: &str, value: f64| Figure {
            unit: "亿元".into(),
            sheet: "Sheet1".into(),
            ..test_figure(park, Some("=某公司, \"甲\""), "E7", value)
        };
        let blocks = [
            FigureBlock::from_figures(&[f("青林县工业园区", 12.5)]),
            FigureBlock::from_figures(&[f("东丘园", -3.0), f("东丘园", 0.1)]),
        ];
        let df = blocks_to_frame(&blocks)?;
        for ext in ["csv", "parquet"] {
            let (a, b) = (
                dir.path().join(format!("a.{ext}")),
                dir.path().join(format!("b.{ext}")),
            );
            write_frame(&df, &b)?;
            // with the frame built here and with the caller's
            for frame in [None, Some(&df)] {
                write_tidy(&blocks, frame, &a)?;
                assert_eq!(std::fs::read(&a)?, std::fs::read(&b)?, "{ext}");
            }
        }
        let csv = std::fs::read_to_string(dir.path().join("a.csv"))?;
        assert!(
            csv.contains("\n东丘园,\"'=某公司, \"\"甲\"\"\",,2022,8,IND_VA,ytd,-3.0,"),
            "{csv}"
        );
        assert!(matches!(
            write_tidy(&blocks, Some(&df), &dir.path().join("a.xlsx")),
            Err(Error::Usage(_))
        ));
        Ok(())
    }

    #[test]
    fn csv_has_bom_and_neutralized_text() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let p = dir.path().join("t.csv");
        // short strings live inside their views, long ones in buffers: both are looked at
        let df = DataFrame::new(
            3,
            vec![
                Column::new("park".into(), ["=HYPERLINK(1)", "青林县", "东丘"]),
                Column::new(
                    "label".into(),
                    [Some("甲"), None, Some("-青林县工业园区其他收入")],
                ),
                Column::new("note".into(), ["青林县工业园区说明一", "b", "c"]),
                Column::new("value".into(), [1.5f64, 2.0, 3.0]),
            ],
        )?;
        write_frame(&df, &p)?;
        let s = std::fs::read_to_string(&p)?;
        assert_eq!(
            s,
            "\u{feff}park,label,note,value\n'=HYPERLINK(1),甲,青林县工业园区说明一,1.5\n\
             青林县,,b,2.0\n东丘,'-青林县工业园区其他收入,c,3.0\n"
        );
        assert!(!may_hold_formulas(df.column("note")?.str()?));
        Ok(())
    }
}
