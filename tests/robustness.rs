//! Broken and hostile inputs: every one gets a typed error naming the file, never a panic, an
//! abort or a hang; and the corpus of workbooks nobody here wrote keeps its expected outcomes.

use std::path::{Path, PathBuf};

use parkstat::read::{Limits, read_workbook_bytes};
use parkstat::{Catalog, Error, ReadOptions, read_file};
use proptest::prelude::*;

fn fixture_bytes() -> Vec<u8> {
    std::fs::read("fixtures/returns/2022-08 青林县工业园区主要经济指标.xlsx").expect("fixture")
}

fn outcome(r: &Result<parkstat::read::Workbook, Error>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(e) => e.kind().into(),
    }
}

#[test]
fn truncated_at_any_offset() {
    let bytes = fixture_bytes();
    let xls =
        std::fs::read("fixtures/returns/2022-06 青林县工业园区主要经济指标.xls").expect("xls");
    let ods =
        std::fs::read("fixtures/returns/2022-07 青林县工业园区主要经济指标.ods").expect("ods");
    for data in [&bytes, &xls, &ods] {
        let step = (data.len() / 97).max(1);
        for cut in (0..data.len()).step_by(step) {
            let r = read_workbook_bytes(
                data[..cut].to_vec(),
                Path::new("cut.xlsx"),
                &Limits::default(),
            );
            if let Err(e) = &r {
                assert!(e.to_string().contains("cut.xlsx"), "{e}");
            }
        }
    }
}

#[test]
fn bit_flips_give_a_result_or_an_error() {
    let bytes = fixture_bytes();
    let mut seed = 7u64;
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let pos = (seed >> 33) as usize % b.len();
            b[pos] ^= 1 << ((seed >> 20) % 8);
        }
        let r = read_workbook_bytes(b, Path::new("flipped.xlsx"), &Limits::default());
        let _ = outcome(&r);
    }
}

#[test]
fn wrong_or_missing_extensions_and_non_files() {
    let catalog = Catalog::builtin();
    let opts = ReadOptions::default();
    let kind = |p: &str| {
        read_file(Path::new(p), &catalog, &opts)
            .map(|_| "ok")
            .unwrap_or_else(|e| e.kind())
    };
    assert_eq!(kind("fixtures/bad/html-table.xls"), "not_a_spreadsheet");
    assert_eq!(kind("fixtures/bad/data.xlsx"), "not_a_spreadsheet");
    assert_eq!(kind("fixtures/bad/empty.xlsx"), "not_a_spreadsheet");
    assert_eq!(kind("fixtures/bad/notes.txt"), "not_a_spreadsheet");
    assert_eq!(kind("fixtures/returns"), "not_a_spreadsheet");
    assert_eq!(kind("fixtures/no-such-file.xlsx"), "io");
    // an xlsx named .xls is read by its content, with a note
    let tmp = tempfile::tempdir().expect("tempdir");
    let renamed = tmp.path().join("2022-08 青林县工业园区主要经济指标.xls");
    std::fs::write(&renamed, fixture_bytes()).expect("write");
    let out = read_file(&renamed, &catalog, &opts).expect("read by content");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.contains("named .xls but its content is xlsx"))
    );
    assert!(!out.figures.is_empty());
    // no extension at all
    let bare = tmp.path().join("2022-08 青林县工业园区");
    std::fs::write(&bare, fixture_bytes()).expect("write");
    assert!(read_file(&bare, &catalog, &opts).is_ok());
}

#[test]
fn huge_used_box_is_refused_before_loading() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "指标名称").expect("A1");
    ws.write_string(1_048_575, 16_383, "x").expect("XFD1048576");
    let bytes = wb.save_to_buffer().expect("buffer");
    let r = read_workbook_bytes(bytes, Path::new("box.xlsx"), &Limits::default());
    let e = r.expect_err("refused");
    assert_eq!(e.kind(), "refused", "{e}");
    assert!(e.to_string().contains("box.xlsx"));
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        z.start_file("[Content_Types].xml", opts).expect("entry");
        z.write_all(b"<Types/>").expect("write");
        z.start_file("xl/workbook.xml", opts).expect("entry");
        z.write_all(b"<workbook/>").expect("write");
        z.start_file("xl/worksheets/sheet1.xml", opts)
            .expect("entry");
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..300 {
            z.write_all(&zeros).expect("write");
        }
        z.finish().expect("finish");
    }
    let r = read_workbook_bytes(buf.into_inner(), Path::new("bomb.xlsx"), &Limits::default());
    let e = r.expect_err("refused");
    assert_eq!(e.kind(), "refused", "{e}");
}

/// Every workbook of `../shared/corpus/` against `tests/corpus-manifest.tsv`: a file's outcome
/// (ok, or the error kind) changing either way fails the test.
#[test]
fn corpus_sweep_matches_the_manifest() {
    let dir = PathBuf::from("../shared/corpus/calamine");
    if !dir.exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let manifest = std::fs::read_to_string("tests/corpus-manifest.tsv").expect("manifest");
    let expected: std::collections::BTreeMap<String, String> = manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            l.split_once('\t')
                .map(|(a, b)| (a.to_string(), b.trim().to_string()))
        })
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".md"))
        .collect();
    names.sort();
    let mut diffs = Vec::new();
    let mut actual = String::new();
    for name in &names {
        let bytes = std::fs::read(dir.join(name)).expect("read");
        let got = outcome(&read_workbook_bytes(
            bytes,
            &dir.join(name),
            &Limits::default(),
        ));
        actual.push_str(&format!("{name}\t{got}\n"));
        match expected.get(name) {
            Some(want) if *want == got => {}
            Some(want) => diffs.push(format!("{name}: expected {want}, got {got}")),
            None => diffs.push(format!("{name}: not in the manifest, got {got}")),
        }
    }
    if !diffs.is_empty() {
        let _ = std::fs::write(
            std::env::temp_dir().join("corpus-manifest.actual.tsv"),
            &actual,
        );
    }
    assert!(
        diffs.is_empty(),
        "{} outcome changes (actual manifest in the temp dir):\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

proptest! {
    #[test]
    fn sheet_names_are_always_valid(raw in "\\PC{0,60}") {
        let mut names = parkstat::report::SheetNames::new();
        let a = names.unique(&raw);
        let b = names.unique(&raw);
        for n in [&a, &b] {
            prop_assert!(!n.is_empty() && n.chars().count() <= 31, "{n:?}");
            prop_assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n:?}");
            prop_assert!(!n.starts_with('\'') && !n.ends_with('\''), "{n:?}");
        }
        prop_assert_ne!(a.to_lowercase(), b.to_lowercase());
    }
}

/// The merged ranges found by the guard's byte scan are calamine's own, on every xlsx of the
/// fixtures and of the corpus (the scan replaced calamine's second parse of each sheet).
#[test]
fn merged_ranges_match_calamine() {
    use calamine::Reader;
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["fixtures/returns", "../shared/corpus/calamine"] {
        let mut stack = vec![PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "xlsx" || x == "xlsm") {
                    files.push(p);
                }
            }
        }
    }
    assert!(files.len() >= 5, "xlsx files found: {}", files.len());
    let (mut compared, mut with_merges) = (0, 0);
    for p in &files {
        let bytes = std::fs::read(p).expect("read");
        let Ok(ours) = parkstat::read::guard::check_xlsx_with_merges(
            &bytes,
            parkstat::read::Format::Xlsx,
            &Limits::default(),
        ) else {
            continue; // refused: calamine never sees it
        };
        let Ok(mut wb) = calamine::open_workbook::<calamine::Xlsx<_>, _>(p) else {
            continue;
        };
        for name in wb.sheet_names() {
            let Ok(theirs) = wb.merge_cells_by_sheet_name(&name) else {
                continue;
            };
            let mut theirs: Vec<(u32, u32, u32, u32)> = theirs
                .iter()
                .map(|d| (d.start.0, d.start.1, d.end.0, d.end.1))
                .collect();
            let mut mine = ours
                .get(&name)
                .cloned()
                .unwrap_or_else(|| {
                    panic!(
                        "{}: sheet [{name}] missing from the guard's map",
                        p.display()
                    )
                })
                .merges;
            theirs.sort_unstable();
            mine.sort_unstable();
            assert_eq!(mine, theirs, "{} [{name}]", p.display());
            compared += 1;
            with_merges += usize::from(!mine.is_empty());
        }
    }
    assert!(
        compared >= 5 && with_merges >= 3,
        "{compared} sheets, {with_merges} with merges"
    );
}
