use super::*;
use crate::read::guard::tests::{biff, build_cfb, build_ods, xls_number};

fn fixture(path: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn set(cells: &[(u32, u32)]) -> HashSet<(u32, u32)> {
    cells.iter().copied().collect()
}

#[test]
fn percent_format_strings() {
    for code in [
        "0%",
        "0.00%",
        "0.0%;-0.0%",
        "[Red]0.0%",
        "#,##0.0%_)",
        "0.0 %",
    ] {
        assert!(is_percent_format(code), "{code}");
    }
    for code in [
        "0.0\"%\"",
        "0.0\\%",
        "General",
        "0.00",
        "[$%-804]0.00",
        "0_%",
        "*%0",
    ] {
        assert!(!is_percent_format(code), "{code}");
    }
}

/// BIFF5 (Excel 95) in the GBK code page, written by Gnumeric: G15 holds 0.075 formatted as
/// a percentage; its sheet name is GBK.
#[test]
fn legacy_biff5_gbk() {
    let cells = xls_percent_cells(&fixture(
        "fixtures/legacy/2022-08 青林县工业园区主要经济指标.xls",
    ));
    let names: Vec<&String> = cells.keys().collect();
    assert_eq!(names, ["主要经济指标"]);
    assert_eq!(cells.get("主要经济指标"), Some(&set(&[(14, 6)])));
}

/// BIFF8 written by LibreOffice from an xlsx made with rust_xlsxwriter
/// (see fixtures/percent/README.md).
#[test]
fn libreoffice_biff8() {
    let cells = xls_percent_cells(&fixture("fixtures/percent/percent.xls"));
    assert_eq!(cells.len(), 2, "{cells:?}");
    assert_eq!(cells.get("增长"), Some(&expected_first_sheet()));
    assert_eq!(cells.get("Sheet2"), Some(&set(&[(2, 1)])));
}

#[test]
fn libreoffice_ods() {
    let cells = ods_percent_cells(&fixture("fixtures/percent/percent.ods"));
    assert_eq!(cells.len(), 2, "{cells:?}");
    assert_eq!(cells.get("增长"), Some(&expected_first_sheet()));
    assert_eq!(cells.get("Sheet2"), Some(&set(&[(2, 1)])));
}

/// C2 0.075 "0.0%", E2:G2 a run of percentages, C3 "0.00%" (built-in), C4 a formula,
/// C5 after a merged A5:B5, B10:C11 two identical rows, D100 "0%" (built-in). Not: B2
/// "0.00", B3 General, D2 `0.0"%"`, D3 `0.0\%`, B4 a formula in General.
fn expected_first_sheet() -> HashSet<(u32, u32)> {
    set(&[
        (1, 2),
        (1, 4),
        (1, 5),
        (1, 6),
        (2, 2),
        (3, 2),
        (4, 2),
        (9, 1),
        (9, 2),
        (10, 1),
        (10, 2),
        (99, 3),
    ])
}

/// calamine reads the same fixtures; the marked positions hold its numbers there.
#[test]
fn positions_match_calamine() {
    use calamine::{Data, Reader as _};
    for path in [
        "fixtures/percent/percent.xls",
        "fixtures/percent/percent.ods",
    ] {
        let bytes = fixture(path);
        let cells = if path.ends_with(".xls") {
            xls_percent_cells(&bytes)
        } else {
            ods_percent_cells(&bytes)
        };
        let mut wb =
            calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("calamine opens");
        for (name, set) in &cells {
            let range = wb.worksheet_range(name).expect("sheet");
            for &(r, c) in set {
                let v = range.get_value((r, c));
                assert!(
                    matches!(v, Some(Data::Float(_) | Data::Int(_))),
                    "{path} {name} ({r}, {c}): {v:?}"
                );
            }
        }
        let c2 = wb
            .worksheet_range("增长")
            .expect("sheet")
            .get_value((1, 2))
            .cloned();
        assert_eq!(c2, Some(Data::Float(0.075)), "{path}");
    }
}

fn bof(version: u16, dt: u16) -> Vec<u8> {
    let mut d = version.to_le_bytes().to_vec();
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&[0u8; 12]);
    biff(0x0809, &d)
}

fn xf(ifmt: u16) -> Vec<u8> {
    let mut d = 0u16.to_le_bytes().to_vec();
    d.extend_from_slice(&ifmt.to_le_bytes());
    d.extend_from_slice(&[0u8; 16]);
    biff(0x00E0, &d)
}

fn cell(typ: u16, row: u16, col: u16, ixfe: u16, len: usize) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&ixfe.to_le_bytes());
    d.resize(len, 0);
    biff(typ, &d)
}

/// A BIFF8 stream: globals (XF 0 General, XF 1 built-in "0%", XF 2 custom 164 "0.0%",
/// XF 3 custom 165 `0.0"%"`), then one sheet per entry of `sheets`.
fn stream(sheets: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut g = bof(0x0600, 0x0005);
    for (ifmt, code) in [(164u16, "0.0%"), (165, "0.0\"%\"")] {
        let mut d = ifmt.to_le_bytes().to_vec();
        d.extend_from_slice(&(code.len() as u16).to_le_bytes());
        d.push(0);
        d.extend_from_slice(code.as_bytes());
        g.extend(biff(0x041E, &d));
    }
    for ifmt in [0u16, 9, 164, 165] {
        g.extend(xf(ifmt));
    }
    let entries: Vec<Vec<u8>> = sheets
        .iter()
        .map(|(name, _)| {
            let mut d = vec![0u8; 6];
            d.push(name.len() as u8);
            d.push(0);
            d.extend_from_slice(name.as_bytes());
            d
        })
        .collect();
    let mut pos = g.len() + entries.iter().map(|e| e.len() + 4).sum::<usize>() + 4;
    let mut bodies = Vec::new();
    for ((_, recs), mut e) in sheets.iter().zip(entries) {
        e[..4].copy_from_slice(&(pos as u32).to_le_bytes());
        g.extend(biff(0x0085, &e));
        let mut body = bof(0x0600, 0x0010);
        body.extend_from_slice(recs);
        body.extend(biff(0x000A, &[]));
        pos += body.len();
        bodies.extend(body);
    }
    g.extend(biff(0x000A, &[]));
    g.extend(bodies);
    g
}

#[test]
fn xls_records() {
    let mut a = cell(0x0203, 0, 0, 0, 14); // General
    a.extend(cell(0x0203, 1, 1, 1, 14)); // "0%"
    a.extend(cell(0x027E, 2, 2, 2, 10)); // RK "0.0%"
    a.extend(cell(0x0203, 3, 3, 3, 14)); // quoted %
    a.extend(cell(0x0006, 4, 4, 2, 22)); // formula "0.0%"
    a.extend(cell(0x0203, 5, 5, 9, 14)); // XF out of range
    // MULRK row 6, columns 1..=3 with XFs 2, 0, 1
    let mut m = 6u16.to_le_bytes().to_vec();
    m.extend_from_slice(&1u16.to_le_bytes());
    for ixfe in [2u16, 0, 1] {
        m.extend_from_slice(&ixfe.to_le_bytes());
        m.extend_from_slice(&[0u8; 4]);
    }
    m.extend_from_slice(&3u16.to_le_bytes());
    a.extend(biff(0x00BD, &m));
    // a later General number replaces the percent cell at (1, 1)
    let mut b = cell(0x0203, 1, 1, 1, 14);
    b.extend(cell(0x0203, 2, 0, 2, 14));
    b.extend(cell(0x0203, 1, 1, 0, 14));
    // an embedded chart substream: its records are not cells
    b.extend(bof(0x0600, 0x0020));
    b.extend(cell(0x0203, 7, 7, 1, 14));
    b.extend(biff(0x000A, &[]));
    let wb = build_cfb(&stream(&[("A", a), ("B", b)]), "Workbook");
    let cells = xls_percent_cells(&wb);
    assert_eq!(
        cells.get("A"),
        Some(&set(&[(1, 1), (2, 2), (4, 4), (6, 1), (6, 3)]))
    );
    assert_eq!(cells.get("B"), Some(&set(&[(2, 0)])));
    // BIFF5 "Book" stream in GBK: the name is decoded as calamine decodes it
    let mut g = bof(0x0500, 0x0005);
    g.extend(biff(0x0042, &936u16.to_le_bytes()));
    g.extend(xf(10));
    let name = [0xD6u8, 0xD0, 0xCE, 0xC4]; // 中文
    let mut e = vec![0u8; 6];
    e.push(name.len() as u8);
    e.extend_from_slice(&name);
    let pos = g.len() + e.len() + 4 + 4;
    e[..4].copy_from_slice(&(pos as u32).to_le_bytes());
    g.extend(biff(0x0085, &e));
    g.extend(biff(0x000A, &[]));
    g.extend(bof(0x0500, 0x0010));
    g.extend(cell(0x0203, 3, 4, 0, 14));
    g.extend(biff(0x000A, &[]));
    let cells = xls_percent_cells(&build_cfb(&g, "Book"));
    assert_eq!(cells.get("中文"), Some(&set(&[(3, 4)])));
}

#[test]
fn xls_without_percent_formats() {
    let wb = build_cfb(
        &crate::read::guard::tests::biff_stream(&[], &xls_number(0, 0, 0.5)),
        "Workbook",
    );
    assert!(xls_percent_cells(&wb).is_empty());
}

fn pct(v: &str, extra: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="percentage" office:value="{v}" {extra}><text:p>x</text:p></table:table-cell>"#
    )
}

#[test]
fn ods_repeats_and_covered_cells() {
    let body = format!(
        concat!(
            r#"<table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="2"/>{a}</table:table-row>"#,
            r#"<table:table-row><table:covered-table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><office:annotation><text:p>note</text:p></office:annotation><text:p>t</text:p></table:table-cell>{b}</table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="5"><table:table-cell/></table:table-row>"#,
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/>{c}</table:table-row>"#,
        ),
        a = pct("0.1", r#"table:number-columns-repeated="2""#),
        b = pct("0.2", ""),
        c = pct("0.3", ""),
    );
    let cells = ods_percent_cells(&build_ods(&body, ""));
    assert_eq!(
        cells.get("Sheet1"),
        Some(&set(&[
            (0, 2),
            (0, 3),
            (1, 2),
            (1, 3),
            (2, 2),
            (2, 3),
            (3, 3),
            (9, 1)
        ]))
    );
}

/// Spans give merged ranges at the positions calamine gives the cells (after repeated and
/// covered cells); a span of one, or a covered cell's, gives none.
#[test]
fn ods_spans_are_merged_ranges() {
    let body = concat!(
        r#"<table:table-row><table:table-cell table:number-columns-spanned="3"><text:p>标题</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row>"#,
        r#"<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>指标名称</text:p></table:table-cell><table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="1"><text:p>1-8月</text:p></table:table-cell><table:covered-table-cell/></table:table-row>"#,
        r#"<table:table-row><table:covered-table-cell/><table:table-cell table:number-columns-repeated="2" table:number-columns-spanned="1"/><table:table-cell table:number-columns-spanned="1" table:number-rows-spanned="1"/></table:table-row>"#,
    );
    let marks = ods_marks(&build_ods(body, ""));
    assert_eq!(
        marks.merges.get("Sheet1"),
        Some(&vec![(0, 0, 0, 2), (1, 0, 2, 0), (1, 1, 1, 2)])
    );
}

#[test]
fn ods_later_table_of_a_name_wins() {
    let row = |v: &str| format!("<table:table-row>{}</table:table-row>", pct(v, ""));
    let body = format!(
        r#"{}</table:table><table:table table:name="Other">{}</table:table><table:table table:name="Sheet1"><table:table-row><table:table-cell/>{}</table:table-row>"#,
        row("0.1"),
        row("0.2"),
        pct("0.3", "")
    );
    let cells = ods_percent_cells(&build_ods(&body, ""));
    assert_eq!(cells.get("Sheet1"), Some(&set(&[(0, 1)])));
    assert_eq!(cells.get("Other"), Some(&set(&[(0, 0)])));
}

#[test]
fn xls_sheets_sharing_records_are_read_within_a_budget() {
    // nine sheets whose entries all point at the same 200 percent cells
    let mut g = bof(0x0600, 0x0005);
    g.extend(xf(0));
    g.extend(xf(9));
    let entry_len = 4 + 8 + 2;
    let pos = (g.len() + 9 * entry_len + 4) as u32;
    for k in 0..9u8 {
        let mut d = pos.to_le_bytes().to_vec();
        d.extend_from_slice(&[0, 0, 2, 0, b'A', b'0' + k]);
        g.extend(biff(0x0085, &d));
    }
    g.extend(biff(0x000A, &[]));
    g.extend(bof(0x0600, 0x0010));
    for r in 0..200u16 {
        g.extend(cell(0x0203, r, 0, 1, 14));
    }
    g.extend(biff(0x000A, &[]));
    let cells = xls_percent_cells(&build_cfb(&g, "Workbook"));
    assert_eq!(cells.get("A0").map(HashSet::len), Some(200));
    assert_eq!(cells.get("A1").map(HashSet::len), Some(200));
    assert!(cells.len() < 9, "{}", cells.len());
}

#[test]
fn ods_caps() {
    // a percent cell repeated over every row and column: the marks stop at the budget
    let body = format!(
        r#"<table:table-row table:number-rows-repeated="4000000">{}</table:table-row>"#,
        pct("0.1", r#"table:number-columns-repeated="99999""#)
    );
    let cells = ods_percent_cells(&build_ods(&body, ""));
    let n: usize = cells.values().map(HashSet::len).sum();
    assert!(n <= MAX_MARKS, "{n}");
    assert!(
        cells
            .values()
            .flatten()
            .all(|&(r, c)| u64::from(r) < ODS_MAX_ROWS && u64::from(c) < ODS_MAX_COLUMNS)
    );
    // columns past 16,384 do not exist: a cell after them takes none
    let body = format!(
        r#"<table:table-row><table:table-cell table:number-columns-repeated="20000"/>{}</table:table-row>"#,
        pct("0.1", "")
    );
    assert!(ods_percent_cells(&build_ods(&body, "")).is_empty());
}

#[test]
fn mark_numbers_only() {
    let mut g = Grid::new("s", 2, 1, 2, 2);
    g.set(
        0,
        0,
        CellValue::Number {
            value: 0.075,
            percent: false,
        },
    );
    g.set(0, 1, CellValue::Text("x".into()));
    mark_percent(&mut g, &set(&[(2, 1), (2, 2), (0, 0), (9, 9)]));
    assert_eq!(
        g.get(0, 0),
        &CellValue::Number {
            value: 0.075,
            percent: true
        }
    );
    assert_eq!(g.get(0, 1), &CellValue::Text("x".into()));
}

/// calamine's own test files (when `../shared/corpus/calamine` is there): quick, and every
/// marked cell of a file calamine opens is one of its numbers.
#[test]
fn corpus_sweep() {
    use crate::read::guard::{self, Format, Limits};
    use calamine::{Data, Reader as _};
    let mut marked = 0usize;
    for p in crate::read::guard::tests::corpus_files() {
        let fmt = guard::tests::format_for(&p);
        if !matches!(fmt, Some(Format::Xls | Format::Ods)) {
            continue;
        }
        let bytes = std::fs::read(&p).expect("read corpus file");
        if fmt.is_none_or(|f| guard::check(&bytes, f, &Limits::default()).is_err()) {
            continue;
        }
        let started = std::time::Instant::now();
        let cells = if fmt == Some(Format::Xls) {
            xls_percent_cells(&bytes)
        } else {
            ods_percent_cells(&bytes)
        };
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{}",
            p.display()
        );
        let opened = std::panic::catch_unwind(|| {
            calamine::open_workbook_auto_from_rs(Cursor::new(bytes.clone())).ok()
        });
        let Ok(Some(mut wb)) = opened else {
            continue;
        };
        for (name, set) in &cells {
            eprintln!("{}: [{name}] {} percent cells", p.display(), set.len());
            let Ok(range) = wb.worksheet_range(name) else {
                panic!("{}: no sheet {name}", p.display());
            };
            for &(r, c) in set {
                let v = range.get_value((r, c));
                assert!(
                    matches!(v, Some(Data::Float(_) | Data::Int(_))),
                    "{} {name} ({r}, {c}): {v:?}",
                    p.display()
                );
                marked += 1;
            }
        }
    }
    eprintln!("corpus_sweep: {marked} percent cells");
    if marked == 0 {
        eprintln!("corpus_sweep: ../shared/corpus/calamine is absent or holds no percent cells");
    }
}

/// Every prefix and many single-byte corruptions give a result, never a panic.
#[test]
fn never_panics_on_damage() {
    let samples = [
        fixture("fixtures/percent/percent.xls"),
        fixture("fixtures/percent/percent.ods"),
        fixture("fixtures/legacy/2022-08 青林县工业园区主要经济指标.xls"),
    ];
    for bytes in &samples {
        for b in crate::read::guard::tests::damaged(bytes, 97) {
            let _ = xls_percent_cells(&b);
            let _ = ods_percent_cells(&b);
        }
    }
}
