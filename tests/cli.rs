//! The real binary, run in temporary folders: mixed batches, failed writes, determinism.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_parkstat"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], dir: &Path) -> Output {
    bin()
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run parkstat")
}

fn copy(from: &Path, to: &Path) {
    if let Some(p) = to.parent() {
        std::fs::create_dir_all(p).expect("mkdir");
    }
    std::fs::copy(from, to).expect("copy");
}

/// A folder with good returns, broken files, a lock file and a text file.
fn mixed_folder(dir: &Path) {
    let fx = root().join("fixtures");
    copy(
        &fx.join("returns/2022-08 青林县工业园区主要经济指标.xlsx"),
        &dir.join("in/a/2022-08 青林县工业园区主要经济指标.xlsx"),
    );
    copy(
        &fx.join("returns/2022-06 青林县工业园区主要经济指标.xls"),
        &dir.join("in/b/2022-06 青林县工业园区主要经济指标.xls"),
    );
    copy(
        &fx.join("bad/html-table.xls"),
        &dir.join("in/bad/html-table.xls"),
    );
    copy(
        &fx.join("bad/truncated.xlsx"),
        &dir.join("in/bad/truncated.xlsx"),
    );
    copy(&fx.join("bad/empty.xlsx"), &dir.join("in/bad/empty.xlsx"));
    copy(&fx.join("bad/data.xlsx"), &dir.join("in/bad/data.xlsx"));
    copy(&fx.join("bad/notes.txt"), &dir.join("in/notes.txt"));
    std::fs::write(
        dir.join("in/a/~$2022-08 青林县工业园区主要经济指标.xlsx"),
        b"lock",
    )
    .expect("lock file");
    let encrypted = root().join("../shared/corpus/calamine/pass_protected.xlsx");
    if encrypted.exists() {
        copy(&encrypted, &dir.join("in/bad/protected.xlsx"));
    }
}

#[test]
fn mixed_batch_reports_failures_and_keeps_going() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    mixed_folder(dir);
    let out = run(
        &[
            "convert",
            "in",
            "--tidy",
            "out/tidy.csv",
            "--report",
            "out/run.json",
            "--jobs",
            "2",
        ],
        dir,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("not_a_spreadsheet") && stderr.contains("html-table.xls"),
        "{stderr}"
    );
    assert!(stderr.contains("truncated.xlsx"), "{stderr}");
    assert!(stderr.contains("skipped in/notes.txt"), "{stderr}");
    assert!(stderr.contains("Office lock file"), "{stderr}");
    let tidy = std::fs::read_to_string(dir.join("out/tidy.csv")).expect("tidy written");
    // the good files' figures: 工业增加值 1-8月 37.74 and 1-6月 27.95 (see fixtures/EXPECTED.md)
    assert!(
        tidy.contains("青林县工业园区,,,2022,8,IND_VA,ytd,37.74,亿元"),
        "{tidy}"
    );
    assert!(tidy.contains("青林县工业园区,,,2022,6,IND_VA,ytd,27.95,亿元"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/run.json")).expect("run.json"))
            .expect("json");
    let failed = report["failed"].as_array().expect("failed list");
    assert!(failed.len() >= 4, "{report}");
    assert_eq!(report["read"], 2);
    let kinds: Vec<&str> = failed.iter().filter_map(|f| f["kind"].as_str()).collect();
    assert!(kinds.contains(&"not_a_spreadsheet"), "{kinds:?}");
    if dir.join("in/bad/protected.xlsx").exists() {
        assert!(kinds.contains(&"encrypted"), "{kinds:?}");
    }
}

#[test]
fn quiet_still_names_the_files_that_failed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    mixed_folder(dir);
    let out = run(&["convert", "in", "--tidy", "out/tidy.csv", "-q"], dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("file(s) failed"), "{stderr}");
    assert!(stderr.contains("truncated.xlsx"), "{stderr}");
    // and nothing of the progress, the skipped files or the summary line
    assert!(!stderr.contains("figures"), "{stderr}");
    assert!(!stderr.contains("skipped"), "{stderr}");
}

#[test]
fn jobs_do_not_change_the_output() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let fx = root().join("fixtures/returns");
    let one = run(
        &[
            "convert",
            fx.to_str().unwrap_or_default(),
            "--tidy",
            "one.csv",
            "--summary",
            "s1.csv",
            "--jobs",
            "1",
            "-q",
        ],
        dir,
    );
    let two = run(
        &[
            "convert",
            fx.to_str().unwrap_or_default(),
            "--tidy",
            "two.csv",
            "--summary",
            "s2.csv",
            "--jobs",
            "2",
            "-q",
        ],
        dir,
    );
    assert_eq!(
        one.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    assert_eq!(two.status.code(), Some(0));
    let a = std::fs::read(dir.join("one.csv")).expect("one");
    let b = std::fs::read(dir.join("two.csv")).expect("two");
    assert!(a.len() > 10_000);
    assert_eq!(a, b, "tidy outputs differ between --jobs 1 and --jobs 2");
    assert_eq!(
        std::fs::read(dir.join("s1.csv")).expect("s1"),
        std::fs::read(dir.join("s2.csv")).expect("s2")
    );
}

#[test]
fn failed_write_leaves_the_old_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let fx = root().join("fixtures/returns/2022-08 青林县工业园区主要经济指标.xlsx");
    std::fs::write(dir.join("tidy.txt"), "old").expect("old file");
    // an unknown output type is refused before anything is written
    let out = run(
        &[
            "convert",
            fx.to_str().unwrap_or_default(),
            "--tidy",
            "tidy.txt",
            "-q",
        ],
        dir,
    );
    assert_ne!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.join("tidy.txt")).expect("still there"),
        "old"
    );
    // a target that is a folder cannot be replaced: the error names it, the folder is untouched
    std::fs::create_dir(dir.join("taken.csv")).expect("dir");
    std::fs::write(dir.join("taken.csv/keep"), "x").expect("keep");
    let out = run(
        &[
            "convert",
            fx.to_str().unwrap_or_default(),
            "--tidy",
            "taken.csv",
            "-q",
        ],
        dir,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken.csv"));
    assert_eq!(
        std::fs::read_to_string(dir.join("taken.csv/keep")).expect("kept"),
        "x"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = run(&["convert"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["convert", "--help"], tmp.path());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
    let out = run(
        &["convert", "nothing-here", "--method", "XYZ=S"],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inspect_explains_and_catalog_writes_a_starting_file() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let fx = root().join("fixtures/returns/2022 东山工业园月报.xlsx");
    let out = run(&["inspect", fx.to_str().unwrap_or_default()], tmp.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(
        text.contains("sheet [8月]") && text.contains("招商引资") || text.contains("PRJ_BIG_NEW"),
        "{text}"
    );
    let out = run(
        &["inspect", "--json", fx.to_str().unwrap_or_default()],
        tmp.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["tables"].as_array().map(|a| a.len()), Some(4));
    let out = run(&["catalog", "--write", "my.tsv"], tmp.path());
    assert!(out.status.success());
    let text = std::fs::read_to_string(tmp.path().join("my.tsv")).expect("catalogue");
    assert!(text.contains("IND_VA\t工业增加值"));
}

#[test]
fn full_outputs_from_the_fixtures() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let fx = root().join("fixtures");
    let out = run(
        &[
            "convert",
            fx.join("returns").to_str().unwrap_or_default(),
            "--targets",
            fx.join("targets.csv").to_str().unwrap_or_default(),
            "-o",
            "out/summary.xlsx",
            "--text",
            "out/report.md",
            "--summary",
            "out/summary.csv",
            "-q",
        ],
        dir,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("out/report.md")).expect("text");
    // 青林 1-8月: 工业增加值 37.74亿元, reported comparable growth 12.5%; 实缴税金 46731万元 = 4.67亿元
    assert!(
        text.contains("1-8月实现工业增加值37.74亿元，增长12.5%；实缴税金4.67亿元，增长11.9%"),
        "{text}"
    );
    assert!(text.contains("实际到位内资24.97亿元，下降3.2%"));
    // the park with full returns first; 东山 (a short return) and the parks known only from the
    // county's comparison table (both with gaps) after
    assert!(
        text.starts_with("【青林县工业园区（2022年1-8月）】"),
        "{text}"
    );
    assert!(
        std::fs::metadata(dir.join("out/summary.xlsx"))
            .expect("xlsx")
            .len()
            > 10_000
    );
}

/// A file that kills the reading process (simulated with the worker's test hook) is reported as
/// crashed; the files around it are read; a file that hangs is stopped at the time limit.
#[test]
fn a_crashing_or_hanging_file_does_not_take_the_batch_down() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    let fx = root().join("fixtures/returns");
    for (i, name) in [
        "2022-08 青林县工业园区主要经济指标.xlsx",
        "2022-06 青林县工业园区主要经济指标.xls",
        "2022-08 两园区对照.xlsx",
        "2021-12 青林县工业园区主要经济指标.xlsx",
    ]
    .iter()
    .enumerate()
    {
        copy(&fx.join(name), &dir.join(format!("in/{i}-{name}")));
    }
    let out = bin()
        .args([
            "convert", "in", "--tidy", "t.csv", "--report", "run.json", "--jobs", "2", "-q",
        ])
        .env("PARKSTAT_TEST_ABORT_ON", "1-2022-06")
        .current_dir(dir)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).expect("run.json"))
            .expect("json");
    assert_eq!(report["read"], 3, "{report}");
    assert_eq!(report["failed"][0]["kind"], "crashed", "{report}");
    assert!(
        report["failed"][0]["file"]
            .as_str()
            .unwrap_or_default()
            .contains("1-2022-06")
    );

    let out = bin()
        .args([
            "convert",
            "in",
            "--tidy",
            "t2.csv",
            "--report",
            "run2.json",
            "--timeout",
            "2",
            "-q",
        ])
        .env("PARKSTAT_TEST_HANG_ON", "2-2022-08")
        .current_dir(dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run2.json")).expect("run2.json"))
            .expect("json");
    assert_eq!(report["read"], 3, "{report}");
    assert_eq!(report["failed"][0]["kind"], "timeout", "{report}");
}

/// A file whose period sources disagree: inspect names them and still shows what it detected.
#[test]
fn inspect_shows_detection_beside_the_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("2022-07 青林县工业园区.xlsx");
    copy(
        &root().join("fixtures/returns/2022-08 青林县工业园区主要经济指标.xlsx"),
        &file,
    );
    let out = run(&["inspect", file.to_str().unwrap_or_default()], tmp.path());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text.contains("the month differs between the title (8月) and the file name"),
        "{text}"
    );
    assert!(text.contains("1-8月 / 累计"), "{text}");
    // settled with --month
    let out = run(
        &["inspect", "--month", "8", file.to_str().unwrap_or_default()],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(0));
}
