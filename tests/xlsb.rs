//! An `.xlsb` return, written record by record (MS-XLSB) as Excel saves one: a merged title, a
//! two-row header with merged bands and growth cells holding fractions with a percent format.
//! calamine's xlsb reader gives neither the merges nor the formats; the crate reads them itself.

use std::io::Write;

use parkstat::ingest::{ReadOptions, read_file};
use parkstat::model::Basis;
use parkstat::read::{Limits, read_workbook_bytes};
use parkstat::{Catalog, read};
use std::path::Path;

/// One record: its type and size as 7-bit groups, then the payload.
fn record(out: &mut Vec<u8>, typ: u16, payload: &[u8]) {
    if typ < 0x80 {
        out.push(typ as u8);
    } else {
        out.push((typ & 0x7F) as u8 | 0x80);
        out.push((typ >> 7) as u8);
    }
    let mut len = payload.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(payload);
}

/// An XLWideString: the count of UTF-16 units, then the units.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    for u in units {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// A cell of the sheet.
enum Cell<'a> {
    Text(&'a str),
    /// A number with a cell style (0: general, 1: "0.0%").
    Number(f64, u32),
}

/// A merged range: first row, first column, last row, last column (0-based).
type Merge = (u32, u32, u32, u32);

fn sheet_bin(rows: &[Vec<Cell<'_>>], merges: &[Merge]) -> Vec<u8> {
    let mut b = Vec::new();
    record(&mut b, 0x0081, &[]); // BrtBeginSheet
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
    record(
        &mut b,
        0x0094,
        &u32s(&[0, rows.len() as u32 - 1, 0, cols - 1]),
    ); // BrtWsDim
    record(&mut b, 0x0091, &[]); // BrtBeginSheetData
    for (r, row) in rows.iter().enumerate() {
        let mut hdr = u32s(&[r as u32, 0]);
        hdr.extend_from_slice(&[0u8; 9]);
        record(&mut b, 0x0000, &hdr); // BrtRowHdr
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text("") => {}
                Cell::Text(s) => {
                    let mut p = u32s(&[c as u32, 0]);
                    p.extend(wide(s));
                    record(&mut b, 0x0006, &p); // BrtCellSt
                }
                Cell::Number(v, style) => {
                    let mut p = u32s(&[c as u32, *style]);
                    p.extend_from_slice(&v.to_le_bytes());
                    record(&mut b, 0x0005, &p); // BrtCellReal
                }
            }
        }
    }
    record(&mut b, 0x0092, &[]); // BrtEndSheetData
    record(&mut b, 0x00B1, &u32s(&[merges.len() as u32])); // BrtBeginMergeCells
    for &(r0, c0, r1, c1) in merges {
        record(&mut b, 0x00B0, &u32s(&[r0, r1, c0, c1])); // BrtMergeCell
    }
    record(&mut b, 0x00B2, &[]); // BrtEndMergeCells
    record(&mut b, 0x0082, &[]); // BrtEndSheet
    b
}

fn styles_bin() -> Vec<u8> {
    let mut b = Vec::new();
    record(&mut b, 0x0267, &u32s(&[1])); // BrtBeginFmts
    let mut fmt = 164u16.to_le_bytes().to_vec();
    fmt.extend(wide("0.0%"));
    record(&mut b, 0x002C, &fmt); // BrtFmt
    record(&mut b, 0x0268, &[]); // BrtEndFmts
    record(&mut b, 0x0269, &u32s(&[2])); // BrtBeginCellXFs
    for ifmt in [0u16, 164] {
        let mut xf = 0u16.to_le_bytes().to_vec(); // ixfeParent
        xf.extend_from_slice(&ifmt.to_le_bytes());
        xf.extend_from_slice(&[0u8; 12]);
        record(&mut b, 0x002F, &xf); // BrtXF
    }
    record(&mut b, 0x026A, &[]); // BrtEndCellXFs
    b
}

fn workbook_bin(sheet: &str) -> Vec<u8> {
    let mut b = Vec::new();
    record(&mut b, 0x0083, &[]); // BrtBeginBook
    record(&mut b, 0x008F, &[]); // BrtBeginBundleShs
    let mut sh = u32s(&[0, 1]); // visible, tab id
    sh.extend(wide("rId1"));
    sh.extend(wide(sheet));
    record(&mut b, 0x009C, &sh); // BrtBundleSh
    record(&mut b, 0x0090, &[]); // BrtEndBundleShs
    record(&mut b, 0x0084, &[]); // BrtEndBook
    b
}

/// The package's bytes; `method`: how the parts are stored (Stored lets a flipped bit land in
/// the records themselves).
fn xlsb_bytes(
    sheet: &str,
    rows: &[Vec<Cell<'_>>],
    merges: &[Merge],
    method: zip::CompressionMethod,
) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(method);
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts: Vec<(&str, Vec<u8>)> = vec![
        (
            "[Content_Types].xml",
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
                r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
                r#"<Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/>"#,
                r#"<Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#,
                r#"<Override PartName="/xl/styles.bin" ContentType="application/vnd.ms-excel.styles"/>"#,
                r#"</Types>"#
            )
            .as_bytes()
            .to_vec(),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.bin"/></Relationships>"#
            )
            .into_bytes(),
        ),
        (
            "xl/_rels/workbook.bin.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.bin"/><Relationship Id="rId2" Type="{rel}/styles" Target="styles.bin"/></Relationships>"#
            )
            .into_bytes(),
        ),
        ("xl/workbook.bin", workbook_bin(sheet)),
        ("xl/styles.bin", styles_bin()),
        ("xl/worksheets/sheet1.bin", sheet_bin(rows, merges)),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, opts).expect("part");
        zip.write_all(&bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
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
fn an_xlsb_return_keeps_its_merges_and_percent_cells() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("2022-08 青林县工业园区.xlsb");
    let (rows, merges) = return_rows();
    let bytes = xlsb_bytes("主要指标", &rows, &merges, zip::CompressionMethod::Deflated);
    std::fs::write(&path, bytes).expect("write");

    let wb = read::read_workbook(&path).expect("read");
    let grid = wb.sheets.first().expect("a sheet");
    assert!(grid.merges_known, "the merges were read");
    assert_eq!(grid.merges.len(), 5);
    let band = grid.merge_at(2, 3).expect("1-8月 spans C3:D3");
    assert_eq!((band.r0, band.c0, band.r1, band.c1), (2, 2, 2, 3));

    let out = read_file(&path, &Catalog::builtin(), &ReadOptions::default()).expect("figures");
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
    let (v, unit, cell, park, month) = value("IND_VA", Basis::Ytd).expect("IND_VA ytd");
    assert!((v - 12.345).abs() < 1e-9, "{v}");
    assert_eq!(
        (unit.as_str(), cell.as_str(), park.as_str(), month),
        ("亿元", "C5", "青林县工业园区", 8)
    );
    let (g, unit, cell, ..) = value("IND_VA", Basis::YtdGrowth).expect("IND_VA growth");
    assert!((g - 7.5).abs() < 1e-9, "growth {g}");
    assert_eq!((unit.as_str(), cell.as_str()), ("%", "D5"));
    let (g, ..) = value("IND_VA", Basis::MonthGrowth).expect("month growth");
    assert!((g + 3.2).abs() < 1e-9, "month growth {g}");
    let (g, ..) = value("TAX_PAID", Basis::YtdGrowth).expect("TAX_PAID growth");
    assert!((g - 12.5).abs() < 1e-9, "tax growth {g}");
    let (m, ..) = value("TAX_PAID", Basis::Month).expect("TAX_PAID month");
    assert!((m - 0.52).abs() < 1e-9, "{m}");
}

/// Damaged xlsb packages (cut short, bits flipped inside the records) give a workbook or a typed
/// error naming the file: never a panic.
#[test]
fn damaged_xlsb_gives_a_result_or_an_error() {
    let (rows, merges) = return_rows();
    let bytes = xlsb_bytes("主要指标", &rows, &merges, zip::CompressionMethod::Stored);
    let name = Path::new("damaged.xlsb");
    let check = |b: Vec<u8>| {
        if let Err(e) = read_workbook_bytes(b, name, &Limits::default()) {
            assert!(e.to_string().contains("damaged.xlsb"), "{e}");
        }
    };
    for cut in (0..bytes.len()).step_by((bytes.len() / 97).max(1)) {
        check(bytes[..cut].to_vec());
    }
    let mut seed = 11u64;
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..4 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let pos = (seed >> 33) as usize % b.len();
            b[pos] ^= 1 << ((seed >> 20) % 8);
        }
        check(b);
    }
}
