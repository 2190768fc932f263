use super::*;
use std::io::Write;

// ---------- builders (also used by the scratch crate's calamine sweep) ----------

pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        let method = if *name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(*name, opts).expect("start entry");
        w.write_all(data).expect("write entry");
    }
    w.finish().expect("finish zip").into_inner()
}

const CT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
const PKG_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WB: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WB_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A one-sheet xlsx whose sheet is `<worksheet>` + `sheet_body` + `</worksheet>`.
pub(crate) fn build_xlsx(sheet_body: &str, sst: Option<&str>) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet_body}</worksheet>"#
    );
    let mut e: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", CT.as_bytes()),
        ("_rels/.rels", PKG_RELS.as_bytes()),
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WB_RELS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(s) = sst {
        e.push(("xl/sharedStrings.xml", s.as_bytes()));
    }
    zip_of(&e)
}

pub(crate) fn build_ods(table_body: &str, manifest_extra: &str) -> Vec<u8> {
    let manifest = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry></manifest:manifest>"#
    );
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{table_body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip_of(&[
        ("mimetype", ODS_MIMETYPE),
        ("META-INF/manifest.xml", manifest.as_bytes()),
        ("content.xml", content.as_bytes()),
    ])
}

/// One xlsb record: variable-length type and length.
pub(crate) fn xlsb_rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    if typ < 0x80 {
        v.push(typ as u8);
    } else {
        v.push((typ & 0x7F) as u8 | 0x80);
        v.push((typ >> 7) as u8);
    }
    let mut len = data.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            v.push(b);
            break;
        }
        v.push(b | 0x80);
    }
    v.extend_from_slice(data);
    v
}

pub(crate) fn wide(s: &str) -> Vec<u8> {
    let u: Vec<u16> = s.encode_utf16().collect();
    let mut v = (u.len() as u32).to_le_bytes().to_vec();
    for c in u {
        v.extend_from_slice(&c.to_le_bytes());
    }
    v
}

/// BrtCellReal at `col` with value `x`.
pub(crate) fn xlsb_real(col: u32, x: f64) -> Vec<u8> {
    let mut d = col.to_le_bytes().to_vec();
    d.extend_from_slice(&[0, 0, 0, 0]);
    d.extend_from_slice(&x.to_le_bytes());
    xlsb_rec(0x0005, &d)
}

pub(crate) fn xlsb_row(row: u32) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&[0u8; 13]);
    xlsb_rec(0x0000, &d)
}

/// A one-sheet xlsb: `cells` are records between BrtBeginSheetData and its end;
/// `names` are extra workbook records placed after the sheet list.
pub(crate) fn build_xlsb(cells: &[u8], dim_len: usize, names: &[u8], rel_id: &str) -> Vec<u8> {
    let mut wb = xlsb_rec(0x0083, &[]);
    wb.extend(xlsb_rec(0x0099, &[0u8; 72]));
    wb.extend(xlsb_rec(0x008F, &[]));
    let mut sh = 0u32.to_le_bytes().to_vec();
    sh.extend_from_slice(&1u32.to_le_bytes());
    sh.extend(wide(rel_id));
    sh.extend(wide("Data"));
    wb.extend(xlsb_rec(0x009C, &sh));
    wb.extend(xlsb_rec(0x0090, &[]));
    wb.extend_from_slice(names);
    wb.extend(xlsb_rec(0x009D, &[0u8; 26]));
    wb.extend(xlsb_rec(0x0084, &[]));
    let mut sheet = xlsb_rec(0x0081, &[]);
    sheet.extend(xlsb_rec(0x0094, &vec![0u8; dim_len]));
    sheet.extend(xlsb_rec(0x0091, &[]));
    sheet.extend_from_slice(cells);
    sheet.extend(xlsb_rec(0x0092, &[]));
    sheet.extend(xlsb_rec(0x0082, &[]));
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    let ct = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>"#;
    zip_of(&[
        ("[Content_Types].xml", ct.as_bytes()),
        (
            "_rels/.rels",
            PKG_RELS.replace("workbook.xml", "workbook.bin").as_bytes(),
        ),
        ("xl/workbook.bin", &wb),
        ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
        ("xl/worksheets/sheet1.bin", &sheet),
    ])
}

pub(crate) fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn bof(dt: u16) -> Vec<u8> {
    let mut d = 0x0600u16.to_le_bytes().to_vec();
    d.extend_from_slice(&dt.to_le_bytes());
    d.extend_from_slice(&[0u8; 12]);
    biff(0x0809, &d)
}

pub(crate) fn xls_number(row: u16, col: u16, x: f64) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend_from_slice(&col.to_le_bytes());
    d.extend_from_slice(&0u16.to_le_bytes());
    d.extend_from_slice(&x.to_le_bytes());
    biff(0x0203, &d)
}

pub(crate) fn xls_dimensions(r0: u32, r1: u32, c0: u16, c1: u16) -> Vec<u8> {
    let mut d = r0.to_le_bytes().to_vec();
    d.extend_from_slice(&r1.to_le_bytes());
    d.extend_from_slice(&c0.to_le_bytes());
    d.extend_from_slice(&c1.to_le_bytes());
    d.extend_from_slice(&[0, 0]);
    biff(0x0200, &d)
}

/// A BIFF8 workbook stream: globals (`globals_extra` before the EOF) and one
/// sheet whose records are `sheet_records`.
pub(crate) fn biff_stream(globals_extra: &[u8], sheet_records: &[u8]) -> Vec<u8> {
    let name = b"Data";
    let mut bs = vec![0u8; 4];
    bs.extend_from_slice(&[0, 0, name.len() as u8, 0]);
    bs.extend_from_slice(name);
    let mut g = bof(0x0005);
    g.extend_from_slice(globals_extra);
    let bs_len = biff(0x0085, &bs).len();
    let eof_len = 4;
    let pos = (g.len() + bs_len + eof_len) as u32;
    bs[..4].copy_from_slice(&pos.to_le_bytes());
    g.extend(biff(0x0085, &bs));
    g.extend(biff(0x000A, &[]));
    g.extend(bof(0x0010));
    g.extend_from_slice(sheet_records);
    g.extend(biff(0x000A, &[]));
    g
}

/// A version-3 compound file holding `stream` under `name` (padded to 4096
/// bytes so that it lives in regular sectors).
pub(crate) fn build_cfb(stream: &[u8], name: &str) -> Vec<u8> {
    let mut data = stream.to_vec();
    if data.len() < 4096 {
        data.resize(4096, 0);
    }
    let n = data.len().div_ceil(512);
    assert!(n + 2 <= 128, "test stream too large");
    let mut f = vec![0u8; 512];
    f[..8].copy_from_slice(&CFB_MAGIC);
    f[24..26].copy_from_slice(&0x3Eu16.to_le_bytes());
    f[26..28].copy_from_slice(&3u16.to_le_bytes());
    f[28..30].copy_from_slice(&0xFFFEu16.to_le_bytes());
    f[30..32].copy_from_slice(&9u16.to_le_bytes());
    f[32..34].copy_from_slice(&6u16.to_le_bytes());
    f[44..48].copy_from_slice(&1u32.to_le_bytes());
    f[48..52].copy_from_slice(&1u32.to_le_bytes());
    f[56..60].copy_from_slice(&4096u32.to_le_bytes());
    f[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
    f[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
    for i in 0..109 {
        let v: u32 = if i == 0 { 0 } else { 0xFFFF_FFFF };
        f[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    // FAT sector
    let mut fat = vec![0xFFu8; 512];
    let mut put = |i: usize, v: u32| fat[4 * i..4 * i + 4].copy_from_slice(&v.to_le_bytes());
    put(0, 0xFFFF_FFFD);
    put(1, ENDOFCHAIN);
    for i in 0..n {
        put(
            2 + i,
            if i + 1 == n {
                ENDOFCHAIN
            } else {
                (3 + i) as u32
            },
        );
    }
    f.extend(fat);
    // Directory sector
    let mut dir = vec![0u8; 512];
    let entry = |d: &mut [u8], name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let u: Vec<u16> = name.encode_utf16().collect();
        for (k, c) in u.iter().enumerate() {
            d[2 * k..2 * k + 2].copy_from_slice(&c.to_le_bytes());
        }
        d[64..66].copy_from_slice(&(((u.len() + 1) * 2) as u16).to_le_bytes());
        d[66] = typ;
        d[67] = 1;
        d[68..72].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        d[72..76].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        d[76..80].copy_from_slice(&child.to_le_bytes());
        d[116..120].copy_from_slice(&start.to_le_bytes());
        d[120..124].copy_from_slice(&size.to_le_bytes());
    };
    entry(&mut dir[0..128], "Root Entry", 5, 1, ENDOFCHAIN, 0);
    entry(
        &mut dir[128..256],
        name,
        2,
        0xFFFF_FFFF,
        2,
        data.len() as u32,
    );
    for k in 2..4 {
        dir[128 * k + 68..128 * k + 80].copy_from_slice(&[0xFF; 12]);
    }
    f.extend(dir);
    data.resize(n * 512, 0);
    f.extend(data);
    f
}

pub(crate) fn build_xls(sheet_records: &[u8]) -> Vec<u8> {
    build_cfb(&biff_stream(&[], sheet_records), "Workbook")
}

fn lim() -> Limits {
    Limits::default()
}

fn is_huge(r: &Result<(), Refusal>) -> bool {
    matches!(
        r,
        Err(Refusal::HugeSheet { .. }) | Err(Refusal::HugeWorkbook { .. })
    )
}

// ---------- sniff ----------

#[test]
fn sniff_text_and_html() {
    assert_eq!(sniff(b""), Sniffed::Empty);
    assert_eq!(sniff(b"  \r\n<!DOCTYPE html><html><body>"), Sniffed::Html);
    assert_eq!(
        sniff(b"\xEF\xBB\xBF<HTML xmlns:o=\"urn:schemas-microsoft-com:office:office\">"),
        Sniffed::Html
    );
    assert_eq!(
        sniff(b"<table border=1><tr><td>1</td></tr></table>"),
        Sniffed::Html
    );
    assert_eq!(sniff(b"<!-- export --><Table>"), Sniffed::Html);
    assert_eq!(sniff("园区,产值\n甲,12.5\n".as_bytes()), Sniffed::Text);
    // "园区,产值" in GBK
    assert_eq!(
        sniff(b"\xd4\xb0\xc7\xf8,\xb2\xfa\xd6\xb5\r\n1,2\r\n"),
        Sniffed::Text
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for c in "a\tb\r\n1\t2\r\n".encode_utf16() {
        utf16.extend_from_slice(&c.to_le_bytes());
    }
    assert_eq!(sniff(&utf16), Sniffed::Text);
    assert_eq!(
        sniff(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3]),
        Sniffed::Unknown
    );
    assert_eq!(sniff(b"%PDF-1.7\n\x00\x01\x02"), Sniffed::Unknown);
    // a cut multi-byte character at the end of the sample is fine
    let mut long = "产值".repeat(40_000).into_bytes();
    long.truncate(64 * 1024 + 1);
    assert_eq!(sniff(&long), Sniffed::Text);
}

#[test]
fn sniff_containers() {
    let x = build_xlsx("<sheetData/>", None);
    assert_eq!(sniff(&x), Sniffed::Spreadsheet(Format::Xlsx));
    let m = zip_of(&[
            ("[Content_Types].xml", CT.replace("sheet.main+xml", "sheet.main+xml\"/><Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject").as_bytes()),
            ("xl/workbook.xml", WB.as_bytes()),
            ("xl/vbaProject.bin", b"x"),
        ]);
    assert_eq!(sniff(&m), Sniffed::Spreadsheet(Format::Xlsm));
    assert_eq!(
        sniff(&build_xlsb(&[], 16, &[], "rId1")),
        Sniffed::Spreadsheet(Format::Xlsb)
    );
    assert_eq!(sniff(&build_ods("", "")), Sniffed::Spreadsheet(Format::Ods));
    let enc = build_ods(
        "",
        "<manifest:encryption-data manifest:checksum-type=\"x\"/>",
    );
    assert_eq!(sniff(&enc), Sniffed::Encrypted(Some(Format::Ods)));
    assert_eq!(
        sniff(&zip_of(&[("word/document.xml", b"<w/>")])),
        Sniffed::Unknown
    );
    // a download cut short: the directory is gone, the local headers remain
    assert_eq!(sniff(&x[..x.len() / 2]), Sniffed::Spreadsheet(Format::Xlsx));
    let o = build_ods("", "");
    assert_eq!(sniff(&o[..o.len() / 2]), Sniffed::Spreadsheet(Format::Ods));
    let xls = build_xls(&xls_number(0, 0, 1.0));
    assert_eq!(sniff(&xls), Sniffed::Spreadsheet(Format::Xls));
    let mut fp = 1u16.to_le_bytes().to_vec();
    fp.extend_from_slice(&[0u8; 52]);
    let enc = build_cfb(&biff_stream(&biff(0x002F, &fp), &[]), "Workbook");
    assert_eq!(sniff(&enc), Sniffed::Encrypted(Some(Format::Xls)));
    let ooxml = build_cfb(&[1, 2, 3], "EncryptedPackage");
    assert_eq!(sniff(&ooxml), Sniffed::Encrypted(None));
    assert_eq!(
        sniff(&build_cfb(&[0; 10], "WordDocument")),
        Sniffed::Unknown
    );
}

// ---------- generic ----------

#[test]
fn generic_refusals() {
    assert_eq!(check(b"", Format::Xlsx, &lim()), Err(Refusal::Empty));
    let small = Limits {
        max_file_bytes: 10,
        ..lim()
    };
    assert!(matches!(
        check(&[0u8; 11], Format::Xls, &small),
        Err(Refusal::TooLarge {
            bytes: 11,
            limit: 10
        })
    ));
    let html = b"<html><body><table><tr><td>1</td></tr></table></body></html>";
    assert_eq!(
        check(html, Format::Xls, &lim()),
        Err(Refusal::NotASpreadsheet {
            expected: Format::Xls,
            found: Sniffed::Html
        })
    );
    assert!(matches!(
        check(b"a,b\n1,2\n", Format::Xlsx, &lim()),
        Err(Refusal::NotASpreadsheet { .. })
    ));
    let x = build_xlsx("<sheetData/>", None);
    assert!(matches!(
        check(&x, Format::Xls, &lim()),
        Err(Refusal::NotASpreadsheet { .. })
    ));
    let ooxml = build_cfb(&[1, 2, 3], "EncryptedPackage");
    assert_eq!(
        check(&ooxml, Format::Xlsx, &lim()),
        Err(Refusal::Encrypted(None))
    );
    // 0 means "no limit", as elsewhere in the crate
    let off = Limits {
        max_file_bytes: 0,
        max_cells: 0,
        ..lim()
    };
    let far = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData>"#;
    assert_eq!(check(&build_xlsx(far, None), Format::Xlsx, &off), Ok(()));
    // every message is a sentence
    for r in [
        Refusal::Empty,
        Refusal::Encrypted(Some(Format::Xls)),
        Refusal::HugeSheet {
            sheet: "Data".into(),
            rows: 1_048_576,
            cols: 16_384,
        },
        Refusal::ZipBomb {
            entry: "xl/worksheets/sheet1.xml".into(),
            detail: "x".into(),
        },
        Refusal::CorruptSheet {
            sheet: "Data".into(),
            detail: "x".into(),
        },
    ] {
        let s = r.to_string();
        assert!(
            s.ends_with('.') && s.chars().next().is_some_and(char::is_uppercase),
            "{s}"
        );
    }
}

// ---------- zip container ----------

#[test]
fn zip_limits() {
    let x = build_xlsx("<sheetData/>", None);
    assert_eq!(check(&x, Format::Xlsx, &lim()), Ok(()));
    let few = Limits {
        max_entries: 3,
        ..lim()
    };
    assert_eq!(
        check(&x, Format::Xlsx, &few),
        Err(Refusal::TooManyEntries(5))
    );
    // a part expanding 4 MiB from a few KiB
    let zeros = vec![b' '; 4 << 20];
    let bomb = zip_of(&[("xl/worksheets/sheet1.xml", &zeros)]);
    assert!(matches!(
        check(&bomb, Format::Xlsx, &lim()),
        Err(Refusal::ZipBomb { .. })
    ));
    let per_entry = Limits {
        max_entry_uncompressed: 1 << 20,
        max_ratio: u64::MAX,
        ..lim()
    };
    assert!(matches!(
        check(&bomb, Format::Xlsx, &per_entry),
        Err(Refusal::ZipBomb { .. })
    ));
    let total = Limits {
        max_uncompressed_total: 1 << 20,
        max_ratio: u64::MAX,
        ..lim()
    };
    assert!(matches!(
        check(&bomb, Format::Xlsx, &total),
        Err(Refusal::ZipBomb { .. })
    ));
    // names that differ only by case collide in calamine's lookup
    let dup = zip_of(&[("xl/workbook.xml", b"<a/>"), ("XL/Workbook.xml", b"<b/>")]);
    assert!(matches!(
        check(&dup, Format::Xlsx, &lim()),
        Err(Refusal::DuplicateEntry(_))
    ));
    // exact duplicates (the zip reader would silently keep one of them)
    let mut raw = zip_of(&[("aaaa.xml", b"<a/>"), ("bbbb.xml", b"<b/>")]);
    let mut i = 0;
    while let Some(p) = find_sub(&raw[i..], b"bbbb.xml") {
        raw[i + p..i + p + 4].copy_from_slice(b"aaaa");
        i += p + 4;
    }
    assert!(matches!(
        check(&raw, Format::Xlsx, &lim()),
        Err(Refusal::DuplicateEntry(_))
    ));
    // truncated archive
    assert!(matches!(
        check(&x[..x.len() / 2], Format::Xlsx, &lim()),
        Err(Refusal::CorruptContainer(_))
    ));
    // an absurd entry count in the directory record is refused before any reader sizes by it
    let mut lie = x.clone();
    let e = lie.len() - 22;
    lie[e + 8..e + 12].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    assert!(matches!(
        check(&lie, Format::Xlsx, &lim()),
        Err(Refusal::TooManyEntries(_)) | Err(Refusal::CorruptContainer(_))
    ));
}

// ---------- xml tokenizer ----------

fn toks(xml: &str, chunk: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut t = XmlTok::new();
    for c in xml.as_bytes().chunks(chunk) {
        let r = t.feed(c, &mut |tok| {
            out.push(match tok {
                XTok::Start { name, attrs, empty } => {
                    let a: Vec<String> = attrs
                        .iter()
                        .map(|a| {
                            format!(
                                "{}={}",
                                String::from_utf8_lossy(&a.key),
                                String::from_utf8_lossy(&a.val)
                            )
                        })
                        .collect();
                    format!(
                        "<{}{}{}>",
                        String::from_utf8_lossy(name),
                        if a.is_empty() {
                            String::new()
                        } else {
                            format!(" {}", a.join(" "))
                        },
                        if empty { "/" } else { "" }
                    )
                }
                XTok::End { name } => format!("</{}>", String::from_utf8_lossy(name)),
                XTok::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
            });
            Ok(true)
        });
        if r.is_err() {
            out.push("ERR".into());
            break;
        }
    }
    // merge split text for comparison
    let mut merged: Vec<String> = Vec::new();
    for s in out {
        if let (Some(last), true) = (merged.last_mut(), s.starts_with('\''))
            && last.starts_with('\'')
        {
            last.pop();
            last.push_str(&s[1..]);
            continue;
        }
        merged.push(s);
    }
    merged
}

#[test]
fn xml_tokenizer_matches_quick_xml_rules() {
    let xml = r#"<?xml version="1.0"?><!-- a > b --><c r="A1" t='s' x="a>b"><v>1</v><![CDATA[x]]>y</c><d/><e a="1"/ ><f  /></f >"#;
    for chunk in [1, 2, 3, 7, 1000] {
        assert_eq!(
            toks(xml, chunk),
            vec![
                // CDATA text is reported with its closing brackets (an over-count);
                // `<e a="1"/ >` is a start tag, not an empty one (last byte is a space)
                "<c r=A1 t=s x=a>b>",
                "<v>",
                "'1'",
                "</v>",
                "'x]]y'",
                "</c>",
                "<d/>",
                "<e a=1 / =>",
                "<f/>",
                "</f>"
            ],
            "chunk {chunk}"
        );
    }
    // comment needs `--` after the opening `<!--`
    assert_eq!(toks("<!--->--><a/>", 1), vec!["<a/>"]);
    assert_eq!(toks("<!DOCTYPE x><a/>", 4), vec!["ERR"]);
    assert_eq!(toks("<!x><a/>", 4), vec!["ERR"]);
    assert_eq!(
        xml_unescape(b"a&amp;b&#65;&#x42;").as_deref(),
        Some("a&bAB")
    );
    assert_eq!(xml_unescape(b"&nope;"), None);
}

#[test]
fn cell_references() {
    assert_eq!(parse_ref(b"A1"), RefParse::Ok(0, Some(0)));
    assert_eq!(
        parse_ref(b"XFD1048576"),
        RefParse::Ok(1_048_575, Some(16_383))
    );
    assert_eq!(parse_ref(b"12"), RefParse::Ok(11, None));
    assert_eq!(parse_ref(b"A0"), RefParse::Err);
    assert_eq!(parse_ref(b"A1B"), RefParse::Err);
    assert_eq!(parse_ref(b"ZZZZZZZZ1"), RefParse::Overflow);
    assert_eq!(parse_ref(b"A99999999999"), RefParse::Overflow);
    assert!(check_dimension(b"A1:XFD1048576").is_ok());
    assert!(check_dimension(b"B2:A1").is_err());
    assert!(check_dimension(b"A1:B2:C3").is_ok()); // calamine: ordinary error
    assert!(check_dimension(b"bad!:ZZZZZZZZ1").is_ok()); // stops at the first error
    assert_eq!(len_decode(len_code(100)), 100);
    assert!(len_decode(len_code(1_000_000)) >= 1_000_000);
}

// ---------- xlsx ----------

#[test]
fn xlsx_cells_box() {
    let ok = r#"<dimension ref="A1:C2"/><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1" t="s"><v>0</v></c></row><row r="2"><c><v>2</v></c><c><v>3</v></c></row></sheetData>"#;
    let sst = r#"<sst xmlns="x" count="1" uniqueCount="1"><si><t>园区</t></si></sst>"#;
    assert_eq!(
        check(&build_xlsx(ok, Some(sst)), Format::Xlsx, &lim()),
        Ok(())
    );
    // A1 and XFD1048576: calamine allocates the whole grid (issue #693)
    let far = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row></sheetData>"#;
    let r = check(&build_xlsx(far, None), Format::Xlsx, &lim());
    assert_eq!(
        r,
        Err(Refusal::HugeSheet {
            sheet: "Data".into(),
            rows: 1_048_576,
            cols: 16_384
        })
    );
    // a lying dimension does not matter either way
    let lying_big = r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#;
    assert_eq!(
        check(&build_xlsx(lying_big, None), Format::Xlsx, &lim()),
        Ok(())
    );
    let lying_small = far.replace("<sheetData>", r#"<dimension ref="A1"/><sheetData>"#);
    assert!(is_huge(&check(
        &build_xlsx(&lying_small, None),
        Format::Xlsx,
        &lim()
    )));
    // empty (formatted) cells far away are not materialised
    let styled = r#"<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="3"/><c r="XFC1048576"></c><c r="XFB1048576"><f>A1</f></c></row></sheetData>"#;
    assert_eq!(
        check(&build_xlsx(styled, None), Format::Xlsx, &lim()),
        Ok(())
    );
    // positions from the row/column counters when `r` is missing
    let counters = r#"<sheetData><row><c><v>1</v></c></row><row r="1048576"></row><row><c/><c><v>1</v></c></row></sheetData>"#;
    let tight = Limits {
        max_cells: 1_000_000,
        ..lim()
    };
    assert!(is_huge(&check(
        &build_xlsx(counters, None),
        Format::Xlsx,
        &tight
    )));
    // a box far from A1 is as small as its cells
    let offset = r#"<sheetData><row r="1000000"><c r="XFA1000000"><v>1</v></c><c r="XFD1000001"><v>1</v></c></row></sheetData>"#;
    assert_eq!(
        check(&build_xlsx(offset, None), Format::Xlsx, &tight),
        Ok(())
    );
    // cells outside <sheetData> are not read by calamine
    let outside = r#"<sheetData/><c r="XFD1048576"><v>1</v></c><c r="A1"><v>1</v></c>"#;
    assert_eq!(
        check(&build_xlsx(outside, None), Format::Xlsx, &lim()),
        Ok(())
    );
}

#[test]
fn xlsx_shared_strings_and_text() {
    let sheet = r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>"#;
    let absurd =
        r#"<sst xmlns="x" count="4000000000" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
    assert!(matches!(
        check(&build_xlsx(sheet, Some(absurd)), Format::Xlsx, &lim()),
        Err(Refusal::HugeStringTable {
            declared: 4_000_000_000,
            ..
        })
    ));
    // one long shared string copied into many cells
    let long = format!(
        r#"<sst xmlns="x" count="1" uniqueCount="1"><si><t>{}</t></si></sst>"#,
        "x".repeat(100_000)
    );
    let mut many = String::from("<sheetData>");
    for r in 1..=50 {
        many.push_str(&format!(
            r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#
        ));
    }
    many.push_str("</sheetData>");
    let small = Limits {
        max_string_bytes: 1 << 20,
        ..lim()
    };
    assert!(matches!(
        check(&build_xlsx(&many, Some(&long)), Format::Xlsx, &small),
        Err(Refusal::HugeText { .. })
    ));
    assert_eq!(
        check(&build_xlsx(&many, Some(&long)), Format::Xlsx, &lim()),
        Ok(())
    );
}

#[test]
fn xlsx_panics_caught() {
    for (body, what) in [
        (
            r#"<dimension ref="B2:A1"/><sheetData/>"#,
            "reversed dimension",
        ),
        (
            r#"<dimension ref="A1:ZZZZZZZZ1"/><sheetData/>"#,
            "column overflow",
        ),
        (
            r#"<sheetData><row r="99999999999"><c><v>1</v></c></row></sheetData>"#,
            "row overflow",
        ),
        (
            r#"<sheetData><row r="1"><c r="A1" r="XFD9"><v>1</v></c></row></sheetData>"#,
            "two positions",
        ),
        (
            r#"<sheetData/><mergeCells><mergeCell ref="C3:A1"/></mergeCells>"#,
            "reversed merge",
        ),
        (
            r#"<sheetData><row r="1"><c r="A1"><f t="shared" si="4000000000" ref="A1:A2">1</f><v>1</v></c></row></sheetData>"#,
            "shared formula index",
        ),
    ] {
        let r = check(&build_xlsx(body, None), Format::Xlsx, &lim());
        assert!(
            matches!(r, Err(Refusal::CorruptSheet { .. })),
            "{what}: {r:?}"
        );
    }
    let doctype = r#"<sheetData/>"#;
    let mut x = build_xlsx(doctype, None);
    assert_eq!(check(&x, Format::Xlsx, &lim()), Ok(()));
    x = zip_of(&[(
        "xl/worksheets/sheet1.xml",
        b"<!DOCTYPE x [<!ENTITY a \"b\">]><worksheet/>",
    )]);
    assert!(matches!(
        check(&x, Format::Xlsx, &lim()),
        Err(Refusal::CorruptContainer(_))
    ));
}

#[test]
fn xlsx_tables_and_macros() {
    let table = r#"<table xmlns="x" id="1" name="T" displayName="T" ref="A1:XFD1048576"><autoFilter ref="A1:B2"/></table>"#;
    let x = zip_of(&[("xl/tables/table1.xml", table.as_bytes())]);
    assert!(is_huge(&check(&x, Format::Xlsx, &lim())));
    let shifted = r#"<table xmlns="x" id="1" name="T" displayName="T" ref="A1:B1" headerRowCount="5" totalsRowCount="1"/>"#;
    let x = zip_of(&[("xl/tables/table1.xml", shifted.as_bytes())]);
    assert!(matches!(
        check(&x, Format::Xlsx, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a macro part whose compound-file directory loops (calamine's vba_project() would never end)
    let good = build_xls(&xls_number(0, 0, 1.0));
    let mut looped = good.clone();
    looped[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
    let ok = zip_of(&[
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/vbaProject.bin", &good),
    ]);
    assert_eq!(check(&ok, Format::Xlsm, &lim()), Ok(()));
    let bad = zip_of(&[
        ("xl/workbook.xml", WB.as_bytes()),
        ("xl/vbaProject.bin", &looped),
    ]);
    assert!(matches!(
        check(&bad, Format::Xlsm, &lim()),
        Err(Refusal::CorruptContainer(_))
    ));
}

// ---------- ods ----------

#[test]
fn ods_repeats() {
    let ok = r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="string"><text:p>园区</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#;
    assert_eq!(check(&build_ods(ok, ""), Format::Ods, &lim()), Ok(()));
    // issue 594: a non-empty cell repeated over the whole grid
    let dos = r#"<table:table-row table:number-rows-repeated="999999999"><table:table-cell table:number-columns-repeated="999999999" office:value-type="string"><text:p>X</text:p></table:table-cell></table:table-row>"#;
    assert_eq!(
        check(&build_ods(dos, ""), Format::Ods, &lim()),
        Err(Refusal::HugeSheet {
            sheet: "Sheet1".into(),
            rows: 1_048_576,
            cols: 16_384
        })
    );
    // empty rows between two values expand too
    let gap = r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="100"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
    assert!(is_huge(&check(&build_ods(gap, ""), Format::Ods, &lim())));
    // many short rows, each a full row of values, before any box is formed
    let row = r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#;
    let flat = row.repeat(200);
    let tight = Limits {
        max_cells: 1_000_000,
        ..lim()
    };
    assert!(is_huge(&check(&build_ods(&flat, ""), Format::Ods, &tight)));
    // a space run of four billion characters
    let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#;
    assert!(matches!(
        check(&build_ods(spaces, ""), Format::Ods, &lim()),
        Err(Refusal::HugeText { .. })
    ));
    // text copied into every repeated cell
    let text = format!(
        r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="1000" office:value-type="string" office:string-value="{}"/></table:table-row>"#,
        "y".repeat(1000)
    );
    assert!(matches!(
        check(&build_ods(&text, ""), Format::Ods, &lim()),
        Err(Refusal::HugeText { .. })
    ));
    let enc = build_ods("", "<manifest:encryption-data/>");
    assert_eq!(
        check(&enc, Format::Ods, &lim()),
        Err(Refusal::Encrypted(Some(Format::Ods)))
    );
    let not_ods = zip_of(&[("mimetype", b"application/zip"), ("content.xml", b"<a/>")]);
    assert!(matches!(
        check(&not_ods, Format::Ods, &lim()),
        Err(Refusal::NotASpreadsheet { .. })
    ));
}

// ---------- xlsb ----------

#[test]
fn xlsb_records() {
    let mut cells = xlsb_row(0);
    cells.extend(xlsb_real(0, 1.0));
    cells.extend(xlsb_real(3, 2.0));
    let ok = build_xlsb(&cells, 16, &[], "rId1");
    assert_eq!(check(&ok, Format::Xlsb, &lim()), Ok(()));
    // two cells at opposite corners of the grid
    let mut far = xlsb_row(0);
    far.extend(xlsb_real(0, 1.0));
    far.extend(xlsb_row(1_048_575));
    far.extend(xlsb_real(16_383, 1.0));
    assert!(is_huge(&check(
        &build_xlsb(&far, 16, &[], "rId1"),
        Format::Xlsb,
        &lim()
    )));
    // columns are 32-bit in xlsb
    let mut wide_col = xlsb_row(0);
    wide_col.extend(xlsb_real(0, 1.0));
    wide_col.extend(xlsb_real(u32::MAX, 1.0));
    assert!(is_huge(&check(
        &build_xlsb(&wide_col, 16, &[], "rId1"),
        Format::Xlsb,
        &lim()
    )));
    // short size record: calamine slices 16 bytes out of it
    let r = check(&build_xlsb(&cells, 8, &[], "rId1"), Format::Xlsb, &lim());
    assert!(matches!(r, Err(Refusal::CorruptSheet { .. })), "{r:?}");
    // shared-string cell without a shared string table: index out of bounds
    let mut isst = xlsb_row(0);
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend_from_slice(&[0; 4]);
    d.extend_from_slice(&7u32.to_le_bytes());
    isst.extend(xlsb_rec(0x0007, &d));
    assert!(matches!(
        check(&build_xlsb(&isst, 16, &[], "rId1"), Format::Xlsb, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a sheet pointing at a relationship that does not exist
    assert!(matches!(
        check(&build_xlsb(&cells, 16, &[], "rId9"), Format::Xlsb, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a defined name whose formula nests PtgMemFunc 200 deep (calamine recurses)
    let mut rgce: Vec<u8> = vec![0x1E, 1, 0];
    for _ in 0..200 {
        let mut outer = vec![0x29];
        outer.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
        outer.extend_from_slice(&rgce);
        rgce = outer;
    }
    let mut name = vec![0u8; 9];
    name.extend(wide("deep"));
    name.extend_from_slice(&(rgce.len() as u32).to_le_bytes());
    name.extend_from_slice(&rgce);
    let deep = build_xlsb(&cells, 16, &xlsb_rec(0x0027, &name), "rId1");
    assert!(matches!(
        check(&deep, Format::Xlsb, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a 3-D reference to a sheet index that the workbook does not list
    let mut name3d = vec![0u8; 9];
    name3d.extend(wide("ref"));
    let r3d = [0x3A, 5, 0, 0, 0, 0, 0, 0, 0];
    name3d.extend_from_slice(&(r3d.len() as u32).to_le_bytes());
    name3d.extend_from_slice(&r3d);
    let bad3d = build_xlsb(&cells, 16, &xlsb_rec(0x0027, &name3d), "rId1");
    assert!(matches!(
        check(&bad3d, Format::Xlsb, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
}

// ---------- compound file / xls ----------

#[test]
fn xls_ok_and_boxes() {
    let mut recs = xls_dimensions(0, 2, 0, 2);
    recs.extend(xls_number(0, 0, 1.0));
    recs.extend(xls_number(1, 1, 2.0));
    assert_eq!(check(&build_xls(&recs), Format::Xls, &lim()), Ok(()));
    // a size record announcing 4 billion rows
    let big = xls_dimensions(0, u32::MAX, 0, 256);
    assert!(is_huge(&check(&build_xls(&big), Format::Xls, &lim())));
    // first/last out of order (tests/OOM_alloc2.xls)
    let inv = xls_dimensions(0, 192, 512, 75);
    assert!(matches!(
        check(&build_xls(&inv), Format::Xls, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // cells at opposite corners of the 16-bit grid
    let mut far = xls_number(0, 0, 1.0);
    far.extend(xls_number(65_535, 65_535, 1.0));
    assert!(is_huge(&check(&build_xls(&far), Format::Xls, &lim())));
    // FILEPASS
    let mut fp = 1u16.to_le_bytes().to_vec();
    fp.extend_from_slice(&[0u8; 52]);
    let enc = build_cfb(&biff_stream(&biff(0x002F, &fp), &[]), "Workbook");
    assert_eq!(
        check(&enc, Format::Xls, &lim()),
        Err(Refusal::Encrypted(Some(Format::Xls)))
    );
    // BIFF5 "Book" stream
    let book = build_cfb(&biff_stream(&[], &xls_number(0, 0, 1.0)), "BOOK");
    assert_eq!(check(&book, Format::Xls, &lim()), Ok(()));
}

#[test]
fn xls_record_panics() {
    // a formula whose token list runs past the record
    let mut f = vec![0u8; 20];
    f.extend_from_slice(&40u16.to_le_bytes());
    f.extend_from_slice(&[0x1E, 1]);
    let r = check(&build_xls(&biff(0x0006, &f)), Format::Xls, &lim());
    assert!(matches!(r, Err(Refusal::CorruptSheet { .. })), "{r:?}");
    // a merged-cells record announcing more ranges than it holds
    let mut m = 50u16.to_le_bytes().to_vec();
    m.extend_from_slice(&[0u8; 8]);
    assert!(matches!(
        check(&build_xls(&biff(0x00E5, &m)), Format::Xls, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a row of numbers whose last column precedes the first
    let mut mulrk = 0u16.to_le_bytes().to_vec();
    mulrk.extend_from_slice(&10u16.to_le_bytes());
    mulrk.extend_from_slice(&[0u8; 6]);
    mulrk.extend_from_slice(&5u16.to_le_bytes());
    assert!(matches!(
        check(&build_xls(&biff(0x00BD, &mulrk)), Format::Xls, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a sheet whose position lies beyond the stream
    let mut s = biff_stream(&[], &[]);
    let p = find_sub(&s, &[0x85, 0x00]).expect("boundsheet") + 4;
    s[p..p + 4].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    assert!(matches!(
        check(&build_cfb(&s, "Workbook"), Format::Xls, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
    // a truncated BOF in the globals
    let mut g = biff(0x0809, &[6]);
    g.extend(biff(0x000A, &[]));
    assert!(matches!(
        check(&build_cfb(&g, "Workbook"), Format::Xls, &lim()),
        Err(Refusal::CorruptSheet { .. })
    ));
}

#[test]
fn cfb_structure() {
    let good = build_xls(&xls_number(0, 0, 1.0));
    assert_eq!(check(&good, Format::Xls, &lim()), Ok(()));
    let refused = |f: &[u8]| {
        matches!(
            check(f, Format::Xls, &lim()),
            Err(Refusal::CorruptContainer(_))
        )
    };
    // the directory chain loops on itself: calamine would read it forever
    let mut looped = good.clone();
    looped[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
    assert!(refused(&looped));
    // a chain that leaves the allocation table: calamine indexes out of bounds
    let mut off = good.clone();
    off[512 + 4..512 + 8].copy_from_slice(&200u32.to_le_bytes());
    assert!(refused(&off) || check(&off, Format::Xls, &lim()).is_ok());
    // calamine issue 714: header counts far beyond a 612-byte file
    let mut tiny = good[..612].to_vec();
    tiny[44..48].copy_from_slice(&0x4000_0000u32.to_le_bytes());
    assert!(refused(&tiny));
    let mut difat = good[..612].to_vec();
    difat[72..76].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(refused(&difat));
    // a sector index listing the same FAT sector over and over: harmless in a
    // small file, refused once the repeated table outgrows the file and 16 MiB
    let mut amp = good.clone();
    for i in 0..109 {
        amp[76 + 4 * i..80 + 4 * i].copy_from_slice(&0u32.to_le_bytes());
    }
    assert_eq!(check(&amp, Format::Xls, &lim()), Ok(()));
    let mut big = good.clone();
    let first = big.len() / 512 - 1; // sector number of the first DIFAT sector appended below
    let n_difat = 300usize;
    big[68..72].copy_from_slice(&(first as u32).to_le_bytes());
    big[72..76].copy_from_slice(&(n_difat as u32).to_le_bytes());
    for k in 0..n_difat {
        let mut sec = vec![0u8; 512]; // 127 references to FAT sector 0, then the next DIFAT sector
        let next = if k + 1 == n_difat {
            ENDOFCHAIN
        } else {
            (first + k + 1) as u32
        };
        sec[508..512].copy_from_slice(&next.to_le_bytes());
        big.extend_from_slice(&sec);
    }
    assert!(refused(&big));
    // bad sector shift, mini stream cutoff, directory start
    for (off, val) in [(30usize, 13u32), (56, 64), (48, 10_000)] {
        let mut b = good.clone();
        if off == 30 {
            b[30..32].copy_from_slice(&(val as u16).to_le_bytes());
        } else {
            b[off..off + 4].copy_from_slice(&val.to_le_bytes());
        }
        assert!(refused(&b), "field at {off}");
    }
    // a file cut inside the stream: the last sector is partial
    let cut = &good[..good.len() - 100];
    let _ = check(cut, Format::Xls, &lim());
    // truncated below one header
    assert!(refused(&good[..300]));
    // a second stream (document properties, read on demand) whose chain loops
    // while it claims 4 GiB: calamine would grow it until memory runs out
    let mut props = good.clone();
    let d = 512 + 512 + 256; // third directory entry
    let name: Vec<u8> = "\u{5}SummaryInformation"
        .encode_utf16()
        .flat_map(|c| c.to_le_bytes())
        .collect();
    props[d..d + name.len()].copy_from_slice(&name);
    props[d + 66] = 2;
    props[d + 116..d + 120].copy_from_slice(&2u32.to_le_bytes());
    props[d + 120..d + 124].copy_from_slice(&u32::MAX.to_le_bytes());
    let last = 2 + (props.len() - 1536) / 512 - 1;
    props[512 + 4 * last..512 + 4 * last + 4].copy_from_slice(&2u32.to_le_bytes());
    assert!(refused(&props));
}

/// Every prefix and many single-byte corruptions of valid files give a result,
/// never a panic.
#[test]
fn never_panics_on_damage() {
    let mut cells = xlsb_row(0);
    cells.extend(xlsb_real(0, 1.0));
    let samples: Vec<(Vec<u8>, Format)> = vec![
        (build_xls(&xls_number(0, 0, 1.0)), Format::Xls),
        (
            build_xlsx(
                r#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>"#,
                Some(r#"<sst uniqueCount="1"><si><t>a</t></si></sst>"#),
            ),
            Format::Xlsx,
        ),
        (
            build_ods(
                r#"<table:table-row><table:table-cell office:value="1"/></table:table-row>"#,
                "",
            ),
            Format::Ods,
        ),
        (build_xlsb(&cells, 16, &[], "rId1"), Format::Xlsb),
    ];
    for (bytes, fmt) in &samples {
        for b in damaged(bytes, 37) {
            let _ = sniff(&b);
            let _ = check(&b, *fmt, &lim());
        }
    }
}

/// Damaged copies of `bytes`: cut every `step` bytes, then 300 single-byte changes at
/// pseudo-random places (a fixed xorshift sequence).
pub(crate) fn damaged(bytes: &[u8], step: usize) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = (0..bytes.len())
        .step_by(step.max(1))
        .map(|cut| bytes[..cut].to_vec())
        .collect();
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..300 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut b = bytes.to_vec();
        if let Some(slot) = b.get_mut((x as usize) % bytes.len().max(1)) {
            *slot = (x >> 32) as u8;
        }
        out.push(b);
    }
    out
}

// ---------- corpus ----------

fn corpus_dir() -> Option<std::path::PathBuf> {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        here.join("../shared/corpus/calamine"),
        std::path::PathBuf::from("/work/shared/corpus/calamine"),
    ]
    .into_iter()
    .find(|c| c.is_dir())
}

pub(crate) fn format_for(p: &std::path::Path) -> Option<Format> {
    match p.extension()?.to_str()? {
        "xls" => Some(Format::Xls),
        "xlsx" => Some(Format::Xlsx),
        "xlsm" => Some(Format::Xlsm),
        "xlsb" => Some(Format::Xlsb),
        "ods" => Some(Format::Ods),
        _ => None,
    }
}

pub(crate) fn corpus_files() -> Vec<std::path::PathBuf> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| format_for(p).is_some())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn corpus_sweep() {
    let files = corpus_files();
    if files.is_empty() {
        eprintln!("corpus_sweep: ../shared/corpus/calamine is absent, skipped");
        return;
    }
    let mut accepted = 0;
    for p in &files {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        let bytes = std::fs::read(p).expect("read corpus file");
        let fmt = format_for(p).expect("format");
        let started = std::time::Instant::now();
        let s = sniff(&bytes);
        let r = check(&bytes, fmt, &lim());
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{name} took too long"
        );
        eprintln!("{name}: {s:?} {r:?}");
        let hostile = name.starts_with("OOM_alloc2")
            || name.starts_with("OOM_alloc3")
            || name == "issue_594_dos.ods";
        if hostile {
            assert!(r.is_err(), "{name} must be refused");
        }
        if name.starts_with("pass_protected") || name == "issue_385.xls" {
            assert!(matches!(r, Err(Refusal::Encrypted(_))), "{name}: {r:?}");
            assert!(matches!(s, Sniffed::Encrypted(_)), "{name}: {s:?}");
        }
        if name.starts_with("any_sheets") || name.starts_with("date") {
            assert_eq!(r, Ok(()), "{name}");
            assert_eq!(s, Sniffed::Spreadsheet(fmt), "{name}");
        }
        // OOM_alloc.xls exhausted memory in older calamine; 0.38 reads it in a
        // few MiB and the guard finds nothing wrong with its structure.
        if r.is_ok() {
            accepted += 1;
        }
    }
    assert!(accepted > 100, "only {accepted} corpus files accepted");
}
