//! An `.xlsb` return, written record by record (MS-XLSB) as Excel saves one: a merged title, a
//! two-row header with merged bands and growth cells holding fractions with a percent format.
//! calamine's xlsb reader gives neither the merges nor the formats; the crate reads them itself.
//! The records and the package are made with the guard's test builders.

use super::*;
use crate::catalog::Catalog;
use crate::ingest::{ReadOptions, read_file};
use crate::model::Basis;
use crate::read::guard::tests::{damaged, wide, xlsb_rec, zip_of};

/// A cell of the sheet.
enum Cell<'a> {
    Text(&'a str),
    /// A number with a cell style (0: general, 1: "0.0%").
    Number(f64, u32),
}

/// A merged range: first row, first column, last row, last column (0-based).
type Merge = (u32, u32, u32, u32);

fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn sheet_bin(rows: &[Vec<Cell<'_>>], merges: &[Merge]) -> Vec<u8> {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let mut b = xlsb_rec(0x0081, &[]); // BrtBeginSheet
    b.extend(xlsb_rec(
        0x0094,
        &u32s(&[0, rows.len() as u32 - 1, 0, cols - 1]),
    )); // BrtWsDim
    b.extend(xlsb_rec(0x0091, &[])); // BrtBeginSheetData
    for (r, row) in rows.iter().enumerate() {
        let mut hdr = u32s(&[r as u32, 0]);
        hdr.extend_from_slice(&[0u8; 9]);
        b.extend(xlsb_rec(0x0000, &hdr)); // BrtRowHdr
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text("") => {}
                Cell::Text(s) => {
                    let mut p = u32s(&[c as u32, 0]);
                    p.extend(wide(s));
                    b.extend(xlsb_rec(0x0006, &p)); // BrtCellSt
                }
                Cell::Number(v, style) => {
                    let mut p = u32s(&[c as u32, *style]);
                    p.extend_from_slice(&v.to_le_bytes());
                    b.extend(xlsb_rec(0x0005, &p)); // BrtCellReal
                }
            }
        }
    }
    b.extend(xlsb_rec(0x0092, &[])); // BrtEndSheetData
    b.extend(xlsb_rec(0x00B1, &u32s(&[merges.len() as u32]))); // BrtBeginMergeCells
    for &(r0, c0, r1, c1) in merges {
        b.extend(xlsb_rec(0x00B0, &u32s(&[r0, r1, c0, c1]))); // BrtMergeCell
    }
    b.extend(xlsb_rec(0x00B2, &[])); // BrtEndMergeCells
    b.extend(xlsb_rec(0x0082, &[])); // BrtEndSheet
    b
}

/// Two cell styles: 0 general, 1 the custom format 164 "0.0%".
fn styles_bin() -> Vec<u8> {
    let mut b = xlsb_rec(0x0267, &u32s(&[1])); // BrtBeginFmts
    let mut fmt = 164u16.to_le_bytes().to_vec();
    fmt.extend(wide("0.0%"));
    b.extend(xlsb_rec(0x002C, &fmt)); // BrtFmt
    b.extend(xlsb_rec(0x0268, &[])); // BrtEndFmts
    b.extend(xlsb_rec(0x0269, &u32s(&[2]))); // BrtBeginCellXFs
    for ifmt in [0u16, 164] {
        let mut xf = 0u16.to_le_bytes().to_vec(); // ixfeParent
        xf.extend_from_slice(&ifmt.to_le_bytes());
        xf.extend_from_slice(&[0u8; 12]);
        b.extend(xlsb_rec(0x002F, &xf)); // BrtXF
    }
    b.extend(xlsb_rec(0x026A, &[])); // BrtEndCellXFs
    b
}

fn workbook_bin(sheet: &str) -> Vec<u8> {
    let mut b = xlsb_rec(0x0083, &[]); // BrtBeginBook
    b.extend(xlsb_rec(0x008F, &[])); // BrtBeginBundleShs
    let mut sh = u32s(&[0, 1]); // visible, tab id
    sh.extend(wide("rId1"));
    sh.extend(wide(sheet));
    b.extend(xlsb_rec(0x009C, &sh)); // BrtBundleSh
    b.extend(xlsb_rec(0x0090, &[])); // BrtEndBundleShs
    b.extend(xlsb_rec(0x0084, &[])); // BrtEndBook
    b
}

fn xlsb_bytes(sheet: &str, rows: &[Vec<Cell<'_>>], merges: &[Merge]) -> Vec<u8> {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let ct = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>"#;
    let pkg = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>"#
    );
    let wb_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="{rel}/styles" Target="styles.bin"/></Relationships>"#
    );
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        ("_rels/.rels", pkg.as_bytes()),
        ("xl/_rels/workbook.bin.rels", wb_rels.as_bytes()),
        ("xl/workbook.bin", &workbook_bin(sheet)),
        ("xl/styles.bin", &styles_bin()),
        ("xl/worksheets/sheet1.bin", &sheet_bin(rows, merges)),
    ])
}

/// The realistic layout: title (merged A1:F1), unit note, a two-row header whose bands are
/// merged (指标名称 and 计量单位 down two rows, 1-8月 and 8月 across two columns), growth as
/// fractions formatted "0.0%", a footer.
fn return_rows() -> (Vec<Vec<Cell<'static>>>, Vec<Merge>) {
    use Cell::{Number as N, Text as T};
    let rows = vec![
        vec![T("青林县工业园区2022年8月主要经济指标完成情况")],
        vec![T("单位：万元")],
        vec![
            T("指标名称"),
            T("计量单位"),
            T("1-8月"),
            T(""),
            T("8月"),
            T(""),
        ],
        vec![
            T(""),
            T(""),
            T("累计"),
            T("同比增长"),
            T("本月"),
            T("同比增长"),
        ],
        vec![
            T("工业增加值"),
            T("万元"),
            N(123_450.0, 0),
            N(0.075, 1),
            N(15_000.0, 0),
            N(-0.032, 1),
        ],
        vec![
            T("实缴税金"),
            T("万元"),
            N(45_600.0, 0),
            N(0.125, 1),
            N(5_200.0, 0),
            N(0.0, 1),
        ],
        vec![T("填报人：王芳")],
    ];
    let merges = vec![
        (0, 0, 0, 5),
        (2, 0, 3, 0),
        (2, 1, 3, 1),
        (2, 2, 2, 3),
        (2, 4, 2, 5),
    ];
    (rows, merges)
}

#[test]
fn an_xlsb_return_keeps_its_merges_and_percent_cells() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("2022-08 青林县工业园区.xlsb");
    let (rows, merges) = return_rows();
    std::fs::write(&path, xlsb_bytes("主要指标", &rows, &merges))?;

    let wb = crate::read::read_workbook(&path)?;
    let grid = wb.sheets.first().ok_or("a sheet")?;
    assert!(grid.merges_known, "the merges were read");
    assert_eq!(grid.merges.len(), 5);
    let band = grid.merge_at(2, 3).ok_or("1-8月 spans C3:D3")?;
    assert_eq!((band.r0, band.c0, band.r1, band.c1), (2, 2, 2, 3));

    let out = read_file(&path, &Catalog::builtin(), &ReadOptions::default())?;
    let figures = out.figures.to_figures();
    let value = |code: &str, basis: Basis| {
        figures
            .iter()
            .find(|f| f.indicator.as_deref() == Some(code) && f.basis == basis)
            .map(|f| {
                (
                    f.value,
                    f.unit.clone(),
                    f.cell.clone(),
                    f.park.clone(),
                    f.month,
                )
            })
    };
    // 万元 → 亿元; the percent cells are percentages (0.075 shown as 7.5%)
    let (v, unit, cell, park, month) = value("IND_VA", Basis::Ytd).ok_or("IND_VA ytd")?;
    assert!((v - 12.345).abs() < 1e-9, "{v}");
    assert_eq!(
        (unit.as_str(), cell.as_str(), park.as_str(), month),
        ("亿元", "C5", "青林县工业园区", 8)
    );
    let (g, unit, cell, ..) = value("IND_VA", Basis::YtdGrowth).ok_or("IND_VA growth")?;
    assert!((g - 7.5).abs() < 1e-9, "growth {g}");
    assert_eq!((unit.as_str(), cell.as_str()), ("%", "D5"));
    let (g, ..) = value("IND_VA", Basis::MonthGrowth).ok_or("month growth")?;
    assert!((g + 3.2).abs() < 1e-9, "month growth {g}");
    let (g, ..) = value("TAX_PAID", Basis::YtdGrowth).ok_or("TAX_PAID growth")?;
    assert!((g - 12.5).abs() < 1e-9, "tax growth {g}");
    let (m, ..) = value("TAX_PAID", Basis::Month).ok_or("TAX_PAID month")?;
    assert!((m - 0.52).abs() < 1e-9, "{m}");
    Ok(())
}

/// The record scans on damaged parts (cut short, bytes changed) keep what they found and never
/// panic; the whole package, damaged, gives a workbook or a typed error naming the file.
#[test]
fn damaged_xlsb_never_panics() {
    let (rows, merges) = return_rows();
    let sheet = sheet_bin(&rows, &merges);
    for b in damaged(&sheet, 7) {
        let s = scan_sheet(
            &mut XlsbRecs::new(&mut b.as_slice(), "s".into()),
            &[false, true],
            &mut 100,
        );
        assert!(s.merges.len() <= MAX_MERGES && s.percent.len() <= 100);
    }
    for b in damaged(&styles_bin(), 3) {
        assert!(percent_styles(&mut XlsbRecs::new(&mut b.as_slice(), "st".into())).len() <= 3);
    }
    let name = std::path::Path::new("damaged.xlsb");
    let bytes = xlsb_bytes("主要指标", &rows, &merges);
    for b in damaged(&bytes, bytes.len() / 97) {
        if let Err(e) = crate::read::read_workbook_bytes(b, name, &crate::read::Limits::default()) {
            assert!(e.to_string().contains("damaged.xlsb"), "{e}");
        }
    }
}

/// Hidden rows (BrtRowHdr's fDyZero) and columns (BrtColInfo's fHidden) of a sheet part.
#[test]
fn hidden_rows_and_columns_of_an_xlsb_sheet() {
    let mut b = xlsb_rec(0x0081, &[]); // BrtBeginSheet
    // BrtColInfo: colFirst, colLast, coldx, ixfe, flags; D:E hidden, F shown
    // D:E hidden, F shown, G:H folded away in an outline (level 1): not taken out
    for (c0, c1, flags) in [(3u32, 4u32, 1u16), (5, 5, 0), (6, 7, 0x0101)] {
        let mut p = u32s(&[c0, c1, 2048, 0]);
        p.extend_from_slice(&flags.to_le_bytes());
        b.extend(xlsb_rec(0x003C, &p));
    }
    b.extend(xlsb_rec(0x0091, &[])); // BrtBeginSheetData
    // row 5 hidden; row 7 folded away in an outline (fDyZero with level 1)
    for (r, flags) in [(0u32, 0u8), (4, 0x10), (5, 0), (6, 0x11)] {
        let mut hdr = u32s(&[r, 0]);
        hdr.extend_from_slice(&[0u8; 9]);
        hdr[11] = flags;
        b.extend(xlsb_rec(0x0000, &hdr)); // BrtRowHdr
    }
    b.extend(xlsb_rec(0x0092, &[])); // BrtEndSheetData
    let mut filtered = b.clone();
    b.extend(xlsb_rec(0x0082, &[])); // BrtEndSheet
    let s = scan_sheet(
        &mut XlsbRecs::new(&mut b.as_slice(), "s".into()),
        &[false],
        &mut 100,
    );
    assert_eq!(
        s.hidden,
        Hidden {
            rows: vec![(4, 4)],
            cols: vec![(3, 4)],
            filtered: false,
        }
    );
    // with an AutoFilter (BrtBeginAFilter) the hidden rows are filtered out of the view only
    filtered.extend(xlsb_rec(0x00A1, &u32s(&[0, 6, 0, 7]))); // BrtBeginAFilter
    filtered.extend(xlsb_rec(0x00A2, &[])); // BrtEndAFilter
    filtered.extend(xlsb_rec(0x0082, &[])); // BrtEndSheet
    let s = scan_sheet(
        &mut XlsbRecs::new(&mut filtered.as_slice(), "s".into()),
        &[false],
        &mut 100,
    );
    assert_eq!(
        s.hidden,
        Hidden {
            rows: vec![(4, 4)],
            cols: vec![(3, 4)],
            filtered: true,
        }
    );
    assert!(s.hidden.rows_taken_out().is_empty());
}
