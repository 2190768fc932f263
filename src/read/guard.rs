//! Input safety for workbooks that are read with calamine 0.38.
//!
//! Returns arrive from many hands: some are damaged, some are renamed web pages or
//! text exports, some are password protected, and a few are hostile. calamine
//! turns most damage into an `Err`, but some inputs still make it panic, allocate
//! until the process is killed (an allocation failure *aborts*, it cannot be
//! caught), or run for a very long time. This module looks at the raw bytes
//! *before* calamine sees them:
//!
//! * [`sniff`] says what the bytes are (whatever the file extension claims);
//! * [`check`] walks the container (zip or compound file) and the sheet data with
//!   hard bounds on every loop and every allocation, mirrors what calamine 0.38
//!   would allocate, and refuses with a [`Refusal`] that a statistician can read.
//!
//! Uses only `std` and the `zip` crate (the same version calamine uses, so both see
//! the same archive). Nothing here panics on file content: every read from the
//! file goes through bounds-checked helpers, every count taken from the file is
//! capped before it sizes anything, and arithmetic on file numbers is checked or
//! saturating.
//!
//! What `check` cannot promise (see also the crate's reader): calamine has code
//! paths that still panic on some corrupt records that are too costly to mirror
//! here (for instance formula text reconstruction in unusual `.xls` files), so the
//! caller should still run calamine under `std::panic::catch_unwind`. `check`
//! targets what `catch_unwind` cannot stop: aborts on allocation failure, stack
//! overflow through recursion, and hangs.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Cursor, Read};

// ===========================================================================
// Public API
// ===========================================================================

/// Container format decided from the bytes, not the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (zip), no macros.
    Xlsx,
    /// Office Open XML workbook (zip) with macros.
    Xlsm,
    /// Excel binary workbook (zip of binary records).
    Xlsb,
    /// Excel 97-2003 workbook (compound file with a BIFF stream).
    Xls,
    /// OpenDocument spreadsheet (zip).
    Ods,
}

impl Format {
    /// The usual file extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => ".xlsx",
            Format::Xlsm => ".xlsm",
            Format::Xlsb => ".xlsb",
            Format::Xls => ".xls",
            Format::Ods => ".ods",
        }
    }

    fn is_zip(self) -> bool {
        !matches!(self, Format::Xls)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Format::Xlsx => "Excel workbook (.xlsx)",
            Format::Xlsm => "macro-enabled Excel workbook (.xlsm)",
            Format::Xlsb => "Excel binary workbook (.xlsb)",
            Format::Xls => "Excel 97-2003 workbook (.xls)",
            Format::Ods => "OpenDocument spreadsheet (.ods)",
        };
        f.write_str(s)
    }
}

/// What the bytes of a file are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A workbook calamine can open.
    Spreadsheet(Format),
    /// A password-protected workbook; the inner format is given when it is known
    /// (for encrypted `.xlsx`/`.xlsb` packages it is not).
    Encrypted(Option<Format>),
    /// A web page (often an "Excel" export from a web system, renamed `.xls`).
    Html,
    /// Plain text: CSV, tab-separated, fixed width, XML... in UTF-8, UTF-16 or GBK.
    Text,
    /// Zero bytes.
    Empty,
    /// Anything else (images, PDF, Word documents, damaged files...).
    Unknown,
}

impl fmt::Display for Sniffed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sniffed::Spreadsheet(fm) => write!(f, "an {fm}"),
            Sniffed::Encrypted(Some(fm)) => write!(f, "a password-protected {fm}"),
            Sniffed::Encrypted(None) => f.write_str("a password-protected Excel workbook"),
            Sniffed::Html => f.write_str("a web page (HTML)"),
            Sniffed::Text => f.write_str("a plain text file"),
            Sniffed::Empty => f.write_str("an empty file"),
            Sniffed::Unknown => f.write_str("a file of an unknown kind"),
        }
    }
}

/// Bounds applied by [`check`]. A field set to `0` means "no limit" (as the
/// crate's other limits); leaving limits off removes the protection they give.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted file.
    pub max_file_bytes: u64,
    /// Most parts (entries) in a zip container.
    pub max_entries: usize,
    /// Largest sum of the declared uncompressed sizes of all zip parts; also the
    /// most bytes `check` itself will inflate.
    pub max_uncompressed_total: u64,
    /// Largest declared uncompressed size of a single zip part.
    pub max_entry_uncompressed: u64,
    /// Largest uncompressed/compressed ratio of a zip part, applied to parts larger
    /// than 1 MiB.
    pub max_ratio: u64,
    /// Most cells in the box calamine allocates for one sheet (rows x columns of the
    /// used area). For `.xls` and `.ods`, where calamine builds every sheet when the
    /// file is opened, it also bounds the sum over all sheets.
    pub max_cells: u64,
    /// Most bytes of cell text calamine would materialise: per sheet for
    /// `.xlsx`/`.xlsm`/`.xlsb`, for the whole workbook for `.xls`/`.ods`. Shared
    /// strings count once per cell that uses them, repeated ODS cells once per
    /// repetition, because that is how calamine copies them.
    pub max_string_bytes: u64,
}

impl Limits {
    /// The same limits with every `0` ("no limit", as elsewhere in the crate)
    /// replaced by the largest value.
    fn effective(&self) -> Limits {
        let or_max = |v: u64| if v == 0 { u64::MAX } else { v };
        Limits {
            max_file_bytes: or_max(self.max_file_bytes),
            max_entries: if self.max_entries == 0 {
                usize::MAX
            } else {
                self.max_entries
            },
            max_uncompressed_total: or_max(self.max_uncompressed_total),
            max_entry_uncompressed: or_max(self.max_entry_uncompressed),
            max_ratio: or_max(self.max_ratio),
            max_cells: or_max(self.max_cells),
            max_string_bytes: or_max(self.max_string_bytes),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 200 * MIB,
            max_entries: 10_000,
            max_uncompressed_total: 1024 * MIB,
            max_entry_uncompressed: 512 * MIB,
            max_ratio: 200,
            max_cells: 20_000_000,
            max_string_bytes: 512 * MIB,
        }
    }
}

/// Why [`check`] refuses a file. The `Display` text is written for the person who
/// submitted the file.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The file has no bytes.
    Empty,
    /// The file is larger than `Limits::max_file_bytes`.
    TooLarge {
        /// Size of the file.
        bytes: u64,
        /// The limit it exceeds.
        limit: u64,
    },
    /// The bytes are not the kind of workbook that was going to be read.
    NotASpreadsheet {
        /// The format the caller was about to read.
        expected: Format,
        /// What the bytes are.
        found: Sniffed,
    },
    /// The workbook is protected by a password (or otherwise encrypted).
    Encrypted(Option<Format>),
    /// The zip or compound-file structure is damaged or built in a way that could
    /// crash the reader.
    CorruptContainer(String),
    /// More zip parts than `Limits::max_entries`.
    TooManyEntries(usize),
    /// Two zip parts with the same name (compared as calamine does, ignoring case).
    DuplicateEntry(String),
    /// A zip part that expands far beyond its stored size, or beyond the limits.
    ZipBomb {
        /// Name of the part inside the zip.
        entry: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A sheet whose used area is larger than `Limits::max_cells`.
    HugeSheet {
        /// Sheet name (or the name of its part when the name is unknown).
        sheet: String,
        /// Rows of the area calamine would allocate.
        rows: u64,
        /// Columns of that area.
        cols: u64,
    },
    /// All sheets of an `.xls`/`.ods` workbook together exceed `Limits::max_cells`.
    HugeWorkbook {
        /// Number of sheets in the workbook.
        sheets: usize,
        /// Cells of all their areas together (at the point the limit was passed).
        cells: u64,
    },
    /// Cell text that would expand beyond `Limits::max_string_bytes`.
    HugeText {
        /// Sheet name (or part name).
        sheet: String,
        /// Bytes of text calamine would build (at least).
        bytes: u64,
    },
    /// A table of shared strings that announces an absurd number of entries.
    HugeStringTable {
        /// The number of entries the table announces.
        declared: u64,
        /// The most accepted for this file.
        limit: u64,
    },
    /// Sheet content that is damaged in a way known to crash or exhaust the reader.
    CorruptSheet {
        /// Sheet name (or part name, or "the workbook" for workbook-level records).
        sheet: String,
        /// What is damaged.
        detail: String,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Empty => {
                f.write_str("The file is empty (0 bytes). Please send the workbook again.")
            }
            Refusal::TooLarge { bytes, limit } => write!(
                f,
                "The file is {} but at most {} is accepted. Please remove unused sheets, \
                 pictures or blank formatted rows and send it again.",
                human_bytes(*bytes),
                human_bytes(*limit)
            ),
            Refusal::NotASpreadsheet { expected, found } => write!(
                f,
                "The file was expected to be an {expected}, but its content is {found}. \
                 Please open it in Excel or WPS and save it as an Excel workbook (.xlsx)."
            ),
            Refusal::Encrypted(fm) => {
                match fm {
                    Some(fm) => write!(f, "The {fm} is protected by a password, ")?,
                    None => f.write_str("The workbook is protected by a password, ")?,
                }
                f.write_str(
                    "so its figures cannot be read. Please remove the password \
                     (File > Info > Protect Workbook > Encrypt with Password, clear it) and send it again.",
                )
            }
            Refusal::CorruptContainer(detail) => write!(
                f,
                "The file is damaged and cannot be read safely ({detail}). \
                 Please open it in Excel, save it under a new name and send it again."
            ),
            Refusal::TooManyEntries(n) => write!(
                f,
                "The file is made of {n} internal parts, far more than a workbook needs; \
                 it is damaged or not a genuine workbook."
            ),
            Refusal::DuplicateEntry(name) => write!(
                f,
                "The file contains the internal part \"{name}\" twice; it is damaged or has \
                 been tampered with. Please save it again from Excel."
            ),
            Refusal::ZipBomb { entry, detail } => write!(
                f,
                "The internal part \"{entry}\" of the file would expand to an unreasonable size \
                 ({detail}); the file is damaged or hostile and was not opened."
            ),
            Refusal::HugeSheet { sheet, rows, cols } => write!(
                f,
                "The sheet \"{sheet}\" spans {rows} rows by {cols} columns ({} cells), which is far \
                 more than a return can hold; usually a stray value or formatting far below or to \
                 the right of the table. Please delete the unused rows and columns and send it again.",
                rows.saturating_mul(*cols)
            ),
            Refusal::HugeWorkbook { sheets, cells } => write!(
                f,
                "The {sheets} sheets of the workbook span {cells} cells together, which is far more \
                 than a return can hold. Please delete unused sheets, rows and columns and send it again."
            ),
            Refusal::HugeText { sheet, bytes } => write!(
                f,
                "The cells of \"{sheet}\" would hold {} of text, which is far more than a return can \
                 hold; the file is damaged or hostile and was not opened.",
                human_bytes(*bytes)
            ),
            Refusal::HugeStringTable { declared, limit } => write!(
                f,
                "The workbook's table of texts announces {declared} entries (at most {limit} are \
                 accepted); the file is damaged or hostile and was not opened."
            ),
            Refusal::CorruptSheet { sheet, detail } => write!(
                f,
                "The data of \"{sheet}\" is damaged ({detail}) and cannot be read safely. \
                 Please open the file in Excel, save it under a new name and send it again."
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Says what `bytes` are. Never panics; reads at most a bounded prefix of text
/// files and, for containers, only the directory and a few small parts.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    if bytes.starts_with(&CFB_MAGIC) {
        return sniff_cfb(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(b"PK\x05\x06")
        || bytes.starts_with(b"PK\x07\x08")
    {
        return sniff_zip(bytes);
    }
    sniff_text(bytes)
}

/// Checks `bytes`, which the caller is about to open with calamine's reader for
/// `format`, and refuses what would crash, exhaust or hang calamine 0.38.
///
/// `Ok(())` means: the container is sound, no part exceeds the limits, and the
/// cell boxes, shared-string reservations and text calamine would build stay
/// within `limits`. Encrypted workbooks are refused with [`Refusal::Encrypted`].
pub fn check(bytes: &[u8], format: Format, limits: &Limits) -> Result<(), Refusal> {
    check_with(bytes, format, limits, true, None)
}

/// Like [`check`], but for an xlsx/xlsm that the caller reads with calamine's cell reader
/// (`worksheet_cells_reader`), which allocates no cell box: the worksheets are not scanned
/// (the caller bounds the cells and the text it keeps itself); the container, the shared
/// strings table, the VBA part and everything of the other formats are checked as by
/// [`check`].
pub fn check_for_cell_reader(bytes: &[u8], format: Format, limits: &Limits) -> Result<(), Refusal> {
    check_with(bytes, format, limits, false, None)
}

/// Merged ranges and hidden rows and columns of every worksheet of an xlsx package, by sheet
/// name.
pub type XlsxMerges = HashMap<String, super::merges::SheetMarks>;

/// [`check_for_cell_reader`] for xlsx/xlsm, also returning the merged ranges of every worksheet
/// (found by a byte scan while the package is open: cheaper than calamine's second XML parse).
/// A sheet missing from the map was not found through the workbook's relationships.
///
/// # Errors
/// A [`Refusal`], as [`check_for_cell_reader`].
pub fn check_xlsx_with_merges(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
) -> Result<XlsxMerges, Refusal> {
    let mut merges = XlsxMerges::new();
    check_with(bytes, format, limits, false, Some(&mut merges))?;
    Ok(merges)
}

fn check_with(
    bytes: &[u8],
    format: Format,
    limits: &Limits,
    scan_xlsx_sheets: bool,
    merges: Option<&mut XlsxMerges>,
) -> Result<(), Refusal> {
    let limits = &limits.effective();
    let len = bytes.len() as u64;
    if len == 0 {
        return Err(Refusal::Empty);
    }
    if len > limits.max_file_bytes {
        return Err(Refusal::TooLarge {
            bytes: len,
            limit: limits.max_file_bytes,
        });
    }
    if bytes.starts_with(&CFB_MAGIC) {
        // calamine runs its compound-file reader on these bytes whatever the
        // expected format (xlsx/xlsb readers look for an encrypted package first).
        let cfb = cfb_open(bytes)?;
        if cfb.find(&["EncryptedPackage", "EncryptionInfo"]).is_some() {
            return Err(Refusal::Encrypted(if format.is_zip() {
                None
            } else {
                Some(format)
            }));
        }
        if format != Format::Xls {
            return Err(Refusal::NotASpreadsheet {
                expected: format,
                found: sniff(bytes),
            });
        }
        return xls_check(cfb, limits);
    }
    if !format.is_zip() {
        return Err(Refusal::NotASpreadsheet {
            expected: format,
            found: sniff(bytes),
        });
    }
    if !(bytes.starts_with(b"PK") || find_eocd(bytes).is_ok()) {
        return Err(Refusal::NotASpreadsheet {
            expected: format,
            found: sniff(bytes),
        });
    }
    let mut zip = ZipView::open(bytes, limits)?;
    match format {
        Format::Ods => ods_check(bytes, &mut zip, limits),
        Format::Xlsb => xlsb_check(&mut zip, limits),
        Format::Xlsx | Format::Xlsm => xlsx_check(&mut zip, limits, scan_xlsx_sheets, merges),
        Format::Xls => Err(Refusal::NotASpreadsheet {
            expected: format,
            found: sniff(bytes),
        }),
    }
}

// ===========================================================================
// Small helpers (all bounds-checked)
// ===========================================================================

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn human_bytes(n: u64) -> String {
    if n >= 10 * 1024 * MIB {
        format!("{} GiB", n / (1024 * MIB))
    } else if n >= 10 * MIB {
        format!("{} MiB", n / MIB)
    } else if n >= 10 * KIB {
        format!("{} KiB", n / KIB)
    } else {
        format!("{n} bytes")
    }
}

fn u8_at(b: &[u8], off: usize) -> Option<u8> {
    b.get(off).copied()
}

pub(crate) fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

pub(crate) fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    let mut a = [0u8; 4];
    a.copy_from_slice(s);
    Some(u32::from_le_bytes(a))
}

fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    let s = b.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_le_bytes(a))
}

fn tail(b: &[u8], from: usize) -> &[u8] {
    b.get(from..).unwrap_or(&[])
}

fn ascii_lower(s: &str) -> String {
    s.replace('\\', "/").to_ascii_lowercase()
}

/// Printable form of a name taken from the file, for messages.
fn clean_name(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(80).collect();
    if out.is_empty() {
        out.push('?');
    }
    out
}

fn corrupt<T>(detail: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::CorruptContainer(detail.into()))
}

fn corrupt_sheet<T>(sheet: &str, detail: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::CorruptSheet {
        sheet: clean_name(sheet),
        detail: detail.into(),
    })
}

/// Outcome of mirroring one calamine step: calamine would either continue, stop
/// with an ordinary error (harmless), or must be refused (`Err(Refusal)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Go,
    Stop,
}

// ===========================================================================
// Sniffing
// ===========================================================================

fn sniff_cfb(bytes: &[u8]) -> Sniffed {
    // A compound file whose structure cannot be read is most likely a damaged
    // .xls; `check` then says what is wrong with it.
    let Ok(cfb) = cfb_open(bytes) else {
        return Sniffed::Spreadsheet(Format::Xls);
    };
    if cfb.find(&["EncryptedPackage", "EncryptionInfo"]).is_some() {
        return Sniffed::Encrypted(None);
    }
    if cfb.find(&["Workbook"]).is_none() && cfb.find(&["Book"]).is_none() {
        return Sniffed::Unknown;
    }
    let mut cfb = cfb;
    match cfb.workbook_stream() {
        Ok(Some(stream)) => {
            if biff_has_filepass(&stream) {
                Sniffed::Encrypted(Some(Format::Xls))
            } else {
                Sniffed::Spreadsheet(Format::Xls)
            }
        }
        _ => Sniffed::Spreadsheet(Format::Xls),
    }
}

fn sniff_zip(bytes: &[u8]) -> Sniffed {
    let limits = Limits {
        max_ratio: u64::MAX,
        ..Limits::default()
    };
    let Ok(mut zip) = ZipView::open_lenient(bytes, &limits) else {
        return sniff_damaged_zip(bytes);
    };
    if let Some(i) = zip.exact("mimetype") {
        let head = zip.read_prefix(i, 128).unwrap_or_default();
        // calamine compares the first 46 bytes (templates, .ots, pass too)
        if head.starts_with(ODS_MIMETYPE) {
            if ods_manifest_encrypted(&mut zip).unwrap_or(false) {
                return Sniffed::Encrypted(Some(Format::Ods));
            }
            return Sniffed::Spreadsheet(Format::Ods);
        }
        if head.starts_with(b"application/vnd.oasis.opendocument") {
            return Sniffed::Unknown;
        }
    }
    let content_types = zip
        .lookup("[Content_Types].xml")
        .and_then(|i| zip.read_prefix(i, 1 << 20).ok())
        .unwrap_or_default();
    let ct = String::from_utf8_lossy(&content_types).to_ascii_lowercase();
    let has = |z: &ZipView<'_>, n: &str| z.lookup(n).is_some();
    if ct.contains("application/vnd.ms-excel.sheet.binary.macroenabled.main")
        || has(&zip, "xl/workbook.bin")
    {
        return Sniffed::Spreadsheet(Format::Xlsb);
    }
    let main_xml = ct.contains("spreadsheetml.sheet.main+xml")
        || ct.contains("spreadsheetml.template.main+xml")
        || ct.contains("application/vnd.ms-excel.sheet.macroenabled.main+xml")
        || ct.contains("application/vnd.ms-excel.template.macroenabled.main+xml")
        || ct.contains("application/vnd.ms-excel.addin.macroenabled.main+xml");
    if main_xml || has(&zip, "xl/workbook.xml") {
        let macro_ct = ct.contains("macroenabled");
        if macro_ct || has(&zip, "xl/vbaProject.bin") {
            return Sniffed::Spreadsheet(Format::Xlsm);
        }
        return Sniffed::Spreadsheet(Format::Xlsx);
    }
    Sniffed::Unknown
}

/// A zip whose directory cannot be read (often a download cut short): the
/// local headers at the front still name the parts. `check` then reports the
/// damage.
fn sniff_damaged_zip(bytes: &[u8]) -> Sniffed {
    let window = bytes.get(..4 << 20).unwrap_or(bytes);
    let mut names: Vec<String> = Vec::new();
    let mut from = 0usize;
    while names.len() < 256 {
        let Some(p) = find_sub(tail(window, from), b"PK\x03\x04") else {
            break;
        };
        let at = from + p;
        from = at + 4;
        let Some(n) = u16_at(window, at + 26) else {
            break;
        };
        let Some(name) = window.get(at + 30..at + 30 + usize::from(n)) else {
            break;
        };
        names.push(String::from_utf8_lossy(name).to_ascii_lowercase());
    }
    if names.iter().any(|n| n == "mimetype") {
        return Sniffed::Spreadsheet(Format::Ods);
    }
    if names.iter().any(|n| n == "xl/workbook.bin") {
        return Sniffed::Spreadsheet(Format::Xlsb);
    }
    if names.iter().any(|n| n == "xl/vbaproject.bin") {
        return Sniffed::Spreadsheet(Format::Xlsm);
    }
    if names.iter().any(|n| n.starts_with("xl/")) {
        return Sniffed::Spreadsheet(Format::Xlsx);
    }
    Sniffed::Unknown
}

fn sniff_text(bytes: &[u8]) -> Sniffed {
    const SAMPLE: usize = 64 * 1024;
    let sample = bytes.get(..SAMPLE).unwrap_or(bytes);
    // UTF-16 with a byte-order mark (Excel's "Unicode text" export).
    if sample.len() >= 2 && (sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]))
    {
        let le = sample.starts_with(&[0xFF, 0xFE]);
        let units: Vec<u16> = tail(sample, 2)
            .chunks_exact(2)
            .map(|c| {
                let (a, b) = (
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                );
                if le {
                    u16::from_le_bytes([a, b])
                } else {
                    u16::from_be_bytes([a, b])
                }
            })
            .collect();
        let text: String = char::decode_utf16(units.iter().copied())
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
        if looks_html(text.as_bytes()) {
            return Sniffed::Html;
        }
        return if printable_ratio_ok(text.chars()) {
            Sniffed::Text
        } else {
            Sniffed::Unknown
        };
    }
    let body = sample
        .strip_prefix(&[0xEF, 0xBB, 0xBF][..])
        .unwrap_or(sample);
    if looks_html(body) {
        return Sniffed::Html;
    }
    if body.contains(&0) {
        return Sniffed::Unknown;
    }
    // UTF-8 (tolerating a character cut at the end of the sample).
    let utf8 = match std::str::from_utf8(body) {
        Ok(s) => Some(s),
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(body.get(..e.valid_up_to()).unwrap_or(&[])).ok()
        }
        Err(_) => None,
    };
    if let Some(s) = utf8 {
        return if printable_ratio_ok(s.chars()) {
            Sniffed::Text
        } else {
            Sniffed::Unknown
        };
    }
    if gbk_text(body) {
        Sniffed::Text
    } else {
        Sniffed::Unknown
    }
}

fn printable_ratio_ok(chars: impl Iterator<Item = char>) -> bool {
    let (mut total, mut bad) = (0u64, 0u64);
    for c in chars {
        total += 1;
        if (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || c == '\u{FFFD}' {
            bad += 1;
        }
    }
    total > 0 && bad * 100 <= total * 2
}

/// GBK/GB18030 two-byte text with mostly printable ASCII around it.
fn gbk_text(b: &[u8]) -> bool {
    let (mut i, mut total, mut bad) = (0usize, 0u64, 0u64);
    while let Some(&c) = b.get(i) {
        total += 1;
        if c < 0x80 {
            if c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0C) {
                bad += 1;
            }
            i += 1;
        } else if (0x81..=0xFE).contains(&c) {
            match b.get(i + 1) {
                Some(&t) if (0x40..=0xFE).contains(&t) && t != 0x7F => i += 2,
                None => i += 1, // cut at the end of the sample
                _ => {
                    bad += 1;
                    i += 1;
                }
            }
        } else {
            bad += 1;
            i += 1;
        }
    }
    total > 0 && bad * 100 <= total * 2
}

/// `<html`, `<!DOCTYPE html`, `<table` (also `<head`, `<body`, `<meta`, `<style`,
/// `<title`) after whitespace and HTML comments, ignoring case.
fn looks_html(b: &[u8]) -> bool {
    let mut rest = b;
    for _ in 0..16 {
        while let Some((&c, r)) = rest.split_first() {
            if c.is_ascii_whitespace() {
                rest = r;
            } else {
                break;
            }
        }
        if rest.starts_with(b"<!--") {
            match find_sub(rest, b"-->") {
                Some(p) => rest = tail(rest, p + 3),
                None => return false,
            }
            continue;
        }
        break;
    }
    let head: Vec<u8> = rest
        .iter()
        .take(16)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let starts = |p: &[u8]| {
        head.starts_with(p) && head.get(p.len()).is_none_or(|c| !c.is_ascii_alphanumeric())
    };
    if head.starts_with(b"<!doctype") {
        let after: Vec<u8> = tail(&head, 9)
            .iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        return after.starts_with(b"html");
    }
    [
        "<html", "<table", "<head", "<body", "<meta", "<style", "<title",
    ]
    .iter()
    .any(|p| starts(p.as_bytes()))
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

// ===========================================================================
// Zip container
// ===========================================================================

const EOCD_SIG: [u8; 4] = [0x50, 0x4B, 0x05, 0x06];
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy)]
struct Eocd {
    entries: u64,
    cd_offset: u64,
    cd_size: u64,
    pos: u64,
}

/// Finds the end-of-central-directory record (and its zip64 form) by hand, so
/// that an absurd entry count is refused before any zip reader sizes anything by it.
fn find_eocd(bytes: &[u8]) -> Result<Eocd, Refusal> {
    let len = bytes.len();
    if len < 22 {
        return corrupt("the zip directory is missing");
    }
    let lowest = len.saturating_sub(22 + 65_535);
    let mut pos = len - 22;
    loop {
        if bytes.get(pos..pos + 4) == Some(&EOCD_SIG[..]) {
            let comment = usize::from(u16_at(bytes, pos + 20).unwrap_or(u16::MAX));
            if pos + 22 + comment <= len {
                return eocd_at(bytes, pos);
            }
        }
        if pos == lowest {
            return corrupt("the zip directory is missing");
        }
        pos -= 1;
    }
}

fn eocd_at(bytes: &[u8], pos: usize) -> Result<Eocd, Refusal> {
    let bad = || Refusal::CorruptContainer("the zip directory record is truncated".into());
    let entries16 = u16_at(bytes, pos + 10).ok_or_else(bad)?;
    let size32 = u32_at(bytes, pos + 12).ok_or_else(bad)?;
    let off32 = u32_at(bytes, pos + 16).ok_or_else(bad)?;
    let mut e = Eocd {
        entries: u64::from(entries16),
        cd_offset: u64::from(off32),
        cd_size: u64::from(size32),
        pos: pos as u64,
    };
    if entries16 == u16::MAX || size32 == u32::MAX || off32 == u32::MAX {
        // zip64: locator 20 bytes before the record.
        if let Some(lpos) = pos.checked_sub(20)
            && bytes.get(lpos..lpos + 4) == Some(&[0x50, 0x4B, 0x06, 0x07][..])
        {
            let rec = u64_at(bytes, lpos + 8).ok_or_else(bad)?;
            let rec = usize::try_from(rec).map_err(|_| bad())?;
            if bytes.get(rec..rec.saturating_add(4)) != Some(&[0x50, 0x4B, 0x06, 0x06][..]) {
                return corrupt("the zip64 directory record is missing");
            }
            e.entries = u64_at(bytes, rec + 32).ok_or_else(bad)?;
            e.cd_size = u64_at(bytes, rec + 40).ok_or_else(bad)?;
            e.cd_offset = u64_at(bytes, rec + 48).ok_or_else(bad)?;
        }
    }
    Ok(e)
}

/// Raw names of the central directory, walked by hand (only to name a duplicate).
fn raw_central_names(bytes: &[u8], eocd: &Eocd, max: usize) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let starts = [
        usize::try_from(eocd.cd_offset).unwrap_or(usize::MAX),
        usize::try_from(eocd.pos.saturating_sub(eocd.cd_size)).unwrap_or(usize::MAX),
    ];
    for start in starts {
        out.clear();
        let mut p = start;
        while out.len() < max {
            if bytes.get(p..p.saturating_add(4)) != Some(&[0x50, 0x4B, 0x01, 0x02][..]) {
                break;
            }
            let (Some(n), Some(x), Some(c)) = (
                u16_at(bytes, p + 28),
                u16_at(bytes, p + 30),
                u16_at(bytes, p + 32),
            ) else {
                break;
            };
            let (n, x, c) = (usize::from(n), usize::from(x), usize::from(c));
            let Some(name) = bytes.get(p + 46..p + 46 + n) else {
                break;
            };
            out.push(name.to_vec());
            p = p + 46 + n + x + c;
        }
        if !out.is_empty() {
            break;
        }
    }
    out
}

/// A zip package as the guard reads it: parts found as calamine finds them, each read within
/// its declared size and the package's budget.
pub(crate) struct ZipView<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    /// calamine's path cache: lower-cased name with `/` separators -> index.
    norm: HashMap<String, usize>,
    exact: HashMap<String, usize>,
    sizes: Vec<u64>,
    /// Bytes `check` may still inflate.
    budget: u64,
    /// The inflate buffer, allocated once per package (not per part).
    buf: Vec<u8>,
}

impl<'a> ZipView<'a> {
    fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, Refusal> {
        let z = Self::open_lenient(bytes, limits)?;
        z.check_sizes(limits)?;
        Ok(z)
    }

    fn open_lenient(bytes: &'a [u8], limits: &Limits) -> Result<Self, Refusal> {
        let eocd = find_eocd(bytes)?;
        if eocd.entries > limits.max_entries as u64 {
            return Err(Refusal::TooManyEntries(
                usize::try_from(eocd.entries).unwrap_or(usize::MAX),
            ));
        }
        let zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(z) => z,
            Err(e) => return corrupt(format!("the zip structure is invalid: {e}")),
        };
        if zip.len() > limits.max_entries {
            return Err(Refusal::TooManyEntries(zip.len()));
        }
        if zip.has_duplicate_names() {
            let mut seen = HashSet::new();
            for n in raw_central_names(bytes, &eocd, limits.max_entries.saturating_add(1)) {
                if !seen.insert(n.clone()) {
                    return Err(Refusal::DuplicateEntry(clean_name(
                        &String::from_utf8_lossy(&n),
                    )));
                }
            }
            return Err(Refusal::DuplicateEntry("?".into()));
        }
        let mut names = Vec::with_capacity(zip.len());
        let mut sizes = Vec::with_capacity(zip.len());
        let mut norm = HashMap::new();
        let mut exact = HashMap::new();
        for i in 0..zip.len() {
            let entry = match zip.by_index_data(i) {
                Ok(e) => e,
                Err(e) => return corrupt(format!("zip entry {i} is unreadable: {e}")),
            };
            let name = match entry.name() {
                Ok(n) => n.into_owned(),
                Err(e) => return corrupt(format!("zip entry {i} has an unreadable name: {e}")),
            };
            let key = ascii_lower(&name);
            if norm.insert(key, i).is_some() {
                return Err(Refusal::DuplicateEntry(clean_name(&name)));
            }
            exact.insert(name.clone(), i);
            sizes.push(entry.size());
            names.push(name);
        }
        let budget = limits.max_uncompressed_total;
        Ok(ZipView {
            zip,
            names,
            norm,
            exact,
            sizes,
            budget,
            buf: Vec::new(),
        })
    }

    fn check_sizes(&self, limits: &Limits) -> Result<(), Refusal> {
        let mut total = 0u64;
        for i in 0..self.names.len() {
            let Ok(entry) = self.zip.by_index_data(i) else {
                continue;
            };
            let (size, packed) = (entry.size(), entry.compressed_size());
            let name = self.name(i);
            if size > limits.max_entry_uncompressed {
                return Err(Refusal::ZipBomb {
                    entry: name,
                    detail: format!(
                        "it declares {}, at most {} is accepted",
                        human_bytes(size),
                        human_bytes(limits.max_entry_uncompressed)
                    ),
                });
            }
            total = total.saturating_add(size);
            if total > limits.max_uncompressed_total {
                return Err(Refusal::ZipBomb {
                    entry: name,
                    detail: format!(
                        "all parts together declare more than {}",
                        human_bytes(limits.max_uncompressed_total)
                    ),
                });
            }
            if size > MIB && size / packed.max(1) > limits.max_ratio {
                return Err(Refusal::ZipBomb {
                    entry: name,
                    detail: format!(
                        "{} stored in {}, a ratio above {}",
                        human_bytes(size),
                        human_bytes(packed),
                        limits.max_ratio
                    ),
                });
            }
        }
        Ok(())
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    fn name(&self, i: usize) -> String {
        clean_name(self.names.get(i).map(String::as_str).unwrap_or("?"))
    }

    fn exact(&self, name: &str) -> Option<usize> {
        self.exact.get(name).copied()
    }

    /// calamine's `cached_zip_path` followed by `by_name`.
    pub(crate) fn lookup(&self, path: &str) -> Option<usize> {
        self.norm
            .get(&path.to_ascii_lowercase())
            .copied()
            .or_else(|| self.exact(path))
    }

    fn read_prefix(&mut self, i: usize, cap: usize) -> Result<Vec<u8>, ()> {
        let mut out = Vec::new();
        let mut f = self.zip.by_index(i).map_err(|_| ())?;
        let mut buf = vec![0u8; 8192];
        while out.len() < cap {
            let want = (cap - out.len()).min(buf.len());
            let Some(dst) = buf.get_mut(..want) else {
                break;
            };
            match f.read(dst) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(dst.get(..n).unwrap_or(&[])),
                Err(_) => break,
            }
        }
        let n = out.len() as u64;
        self.budget = self.budget.saturating_sub(n);
        Ok(out)
    }

    /// Streams part `i` through `sink` in chunks. A part the zip reader cannot
    /// open (encrypted, unsupported compression) is skipped: calamine cannot read
    /// it either. Read errors end the stream, as they end calamine's read.
    fn stream(
        &mut self,
        i: usize,
        sink: &mut dyn FnMut(&[u8]) -> Result<Step, Refusal>,
    ) -> Result<(), Refusal> {
        let name = self.name(i);
        let declared = self.sizes.get(i).copied().unwrap_or(0);
        let mut buf = std::mem::take(&mut self.buf);
        buf.resize(CHUNK, 0);
        let budget = &mut self.budget;
        let r = (|| {
            let Ok(mut f) = self.zip.by_index(i) else {
                return Ok(());
            };
            let mut seen = 0u64;
            loop {
                let n = match f.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                seen = seen.saturating_add(n as u64);
                if seen > declared.saturating_add(1) || n as u64 > *budget {
                    return Err(Refusal::ZipBomb {
                        entry: name,
                        detail: "it expands beyond its declared size".into(),
                    });
                }
                *budget -= n as u64;
                let Some(chunk) = buf.get(..n) else { break };
                if sink(chunk)? == Step::Stop {
                    break;
                }
            }
            Ok(())
        })();
        self.buf = buf;
        r
    }
}

// ===========================================================================
// Streaming XML tokenizer (mirrors quick-xml 0.42 as configured by calamine)
// ===========================================================================

const XML_KEY_CAP: usize = 96;
const XML_VAL_CAP: usize = 512;
const XML_MAX_ATTRS: usize = 1024;

#[derive(Default, Clone)]
struct XAttr {
    key: Vec<u8>,
    val: Vec<u8>,
    /// Full length of the raw value (the stored value is capped).
    val_len: u64,
    key_trunc: bool,
    val_trunc: bool,
}

impl XAttr {
    /// The value if it was stored whole.
    fn value(&self) -> Option<&[u8]> {
        (!self.val_trunc).then_some(self.val.as_slice())
    }
}

enum XTok<'t> {
    /// A start tag; `empty` for `<a/>` (calamine expands it into start + end).
    Start {
        name: &'t [u8],
        attrs: &'t [XAttr],
        empty: bool,
    },
    End {
        name: &'t [u8],
    },
    /// Character data (raw, entities not decoded), also CDATA content.
    Text(&'t [u8]),
}

fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(p) => tail(name, p + 1),
        None => name,
    }
}

/// Attribute with exactly this key (calamine's `raw_attr`: first match).
fn attr<'x>(attrs: &'x [XAttr], key: &[u8]) -> Option<&'x XAttr> {
    attrs.iter().find(|a| a.key == key && !a.key_trunc)
}

fn attr_count(attrs: &[XAttr], key: &[u8]) -> usize {
    attrs.iter().filter(|a| a.key == key).count()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum XSt {
    Text,
    Lt,
    /// Start tag: `q` is quick-xml's quote state, `name_done` once whitespace follows the name.
    Tag,
    EndTag,
    Pi {
        prev_q: bool,
    },
    BangStart,
    Comment {
        dashes: u8,
        body: u8,
    },
    CDataPrefix(u8),
    CData {
        brackets: u8,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AttrSt {
    /// Between attributes (skipping whitespace).
    Gap,
    Key,
    /// After `=`, skipping whitespace before the quote.
    BeforeVal,
    Val(u8),
    /// calamine's attribute iterator failed; the rest of the tag is ignored.
    Broken,
}

struct XmlTok {
    st: XSt,
    quote: u8,
    name: Vec<u8>,
    name_done: bool,
    name_trunc: bool,
    last_byte: u8,
    attrs: Vec<XAttr>,
    nattrs: usize,
    ast: AttrSt,
    end_name: Vec<u8>,
    /// Refused: the document uses markup that calamine's parser treats differently.
    bad: Option<&'static str>,
}

impl XmlTok {
    fn new() -> Self {
        XmlTok {
            st: XSt::Text,
            quote: 0,
            name: Vec::new(),
            name_done: false,
            name_trunc: false,
            last_byte: 0,
            attrs: Vec::new(),
            nattrs: 0,
            ast: AttrSt::Gap,
            end_name: Vec::new(),
            bad: None,
        }
    }

    fn begin_tag(&mut self) {
        self.quote = 0;
        self.name.clear();
        self.name_done = false;
        self.name_trunc = false;
        self.last_byte = 0;
        self.nattrs = 0;
        self.ast = AttrSt::Gap;
    }

    fn cur_attr(&mut self) -> Option<&mut XAttr> {
        self.nattrs
            .checked_sub(1)
            .and_then(|i| self.attrs.get_mut(i))
    }

    fn new_attr(&mut self) -> bool {
        if self.nattrs >= XML_MAX_ATTRS {
            return false;
        }
        if self.nattrs == self.attrs.len() {
            self.attrs.push(XAttr::default());
        }
        if let Some(a) = self.attrs.get_mut(self.nattrs) {
            a.key.clear();
            a.val.clear();
            a.val_len = 0;
            a.key_trunc = false;
            a.val_trunc = false;
        }
        self.nattrs += 1;
        true
    }

    /// Feeds one byte of the attribute area to calamine's attribute iterator.
    fn attr_byte(&mut self, b: u8) {
        match self.ast {
            AttrSt::Broken => {}
            AttrSt::Gap => {
                if !b.is_ascii_whitespace() {
                    if b == b'=' {
                        // empty key: the iterator accepts it
                        if self.new_attr() {
                            self.ast = AttrSt::BeforeVal;
                        } else {
                            self.bad = Some("an element has too many attributes");
                            self.ast = AttrSt::Broken;
                        }
                        return;
                    }
                    if !self.new_attr() {
                        self.bad = Some("an element has too many attributes");
                        self.ast = AttrSt::Broken;
                        return;
                    }
                    self.ast = AttrSt::Key;
                    self.attr_key_byte(b);
                }
            }
            AttrSt::Key => {
                if b == b'=' {
                    if let Some(a) = self.cur_attr() {
                        while a.key.last().is_some_and(|c| c.is_ascii_whitespace()) {
                            a.key.pop();
                        }
                    }
                    self.ast = AttrSt::BeforeVal;
                } else {
                    self.attr_key_byte(b);
                }
            }
            AttrSt::BeforeVal => {
                if b == b'"' || b == b'\'' {
                    self.ast = AttrSt::Val(b);
                } else if !b.is_ascii_whitespace() {
                    // unquoted value: calamine's iterator reports an error here
                    if let Some(a) = self.cur_attr() {
                        a.key_trunc = true; // never matches a lookup
                    }
                    self.ast = AttrSt::Broken;
                }
            }
            AttrSt::Val(q) => {
                if b == q {
                    self.ast = AttrSt::Gap;
                } else if let Some(a) = self.cur_attr() {
                    a.val_len += 1;
                    if a.val.len() < XML_VAL_CAP {
                        a.val.push(b);
                    } else {
                        a.val_trunc = true;
                    }
                }
            }
        }
    }

    fn attr_key_byte(&mut self, b: u8) {
        if let Some(a) = self.cur_attr() {
            if a.key.len() < XML_KEY_CAP {
                a.key.push(b);
            } else {
                a.key_trunc = true;
            }
        }
    }

    /// Feeds a chunk; `sink` returns `Ok(false)` to stop.
    fn feed(
        &mut self,
        data: &[u8],
        sink: &mut dyn FnMut(XTok<'_>) -> Result<bool, Refusal>,
    ) -> Result<bool, Refusal> {
        let mut i = 0usize;
        while i < data.len() {
            if let Some(why) = self.bad {
                return Err(Refusal::CorruptContainer(format!(
                    "an XML part cannot be parsed safely: {why}"
                )));
            }
            match self.st {
                XSt::Text => {
                    let rest = tail(data, i);
                    let n = rest.iter().position(|&b| b == b'<').unwrap_or(rest.len());
                    if n > 0 && !sink(XTok::Text(rest.get(..n).unwrap_or(&[])))? {
                        return Ok(false);
                    }
                    i += n;
                    if i < data.len() {
                        self.st = XSt::Lt;
                        i += 1;
                    }
                }
                XSt::Lt => {
                    let b = data.get(i).copied().unwrap_or(0);
                    i += 1;
                    match b {
                        b'/' => {
                            self.end_name.clear();
                            self.st = XSt::EndTag;
                        }
                        b'?' => self.st = XSt::Pi { prev_q: true },
                        b'!' => self.st = XSt::BangStart,
                        _ => {
                            self.begin_tag();
                            self.st = XSt::Tag;
                            if let Some(done) = self.tag_byte(b, sink)?
                                && !done
                            {
                                return Ok(false);
                            }
                        }
                    }
                }
                XSt::Tag => {
                    // Fast path through long attribute values.
                    if let (AttrSt::Val(q), true) = (
                        self.ast,
                        self.quote != 0 && self.ast == AttrSt::Val(self.quote),
                    ) {
                        let rest = tail(data, i);
                        let n = rest.iter().position(|&c| c == q).unwrap_or(rest.len());
                        if n == 0 {
                            let b = data.get(i).copied().unwrap_or(0);
                            i += 1;
                            if let Some(done) = self.tag_byte(b, sink)?
                                && !done
                            {
                                return Ok(false);
                            }
                            continue;
                        }
                        if let Some(a) = self.cur_attr() {
                            a.val_len = a.val_len.saturating_add(n as u64);
                            let room = XML_VAL_CAP.saturating_sub(a.val.len());
                            let seg = rest.get(..n).unwrap_or(&[]);
                            a.val
                                .extend_from_slice(seg.get(..room.min(seg.len())).unwrap_or(&[]));
                            if n > room {
                                a.val_trunc = true;
                            }
                        }
                        if n > 0 {
                            self.last_byte = b'x';
                        }
                        i += n;
                        continue;
                    }
                    while let Some(&b) = data.get(i) {
                        i += 1;
                        if let Some(done) = self.tag_byte(b, sink)? {
                            if !done {
                                return Ok(false);
                            }
                            break;
                        }
                        if self.quote != 0 && self.ast == AttrSt::Val(self.quote) {
                            break; // the value fast path above takes over
                        }
                    }
                }
                XSt::EndTag => {
                    let rest = tail(data, i);
                    match rest.iter().position(|&b| b == b'>') {
                        Some(n) => {
                            let seg = rest.get(..n).unwrap_or(&[]);
                            let room = XML_KEY_CAP.saturating_sub(self.end_name.len());
                            self.end_name
                                .extend_from_slice(seg.get(..room.min(seg.len())).unwrap_or(&[]));
                            i += n + 1;
                            self.st = XSt::Text;
                            while self
                                .end_name
                                .last()
                                .is_some_and(|c| c.is_ascii_whitespace())
                            {
                                self.end_name.pop();
                            }
                            let name = std::mem::take(&mut self.end_name);
                            let go = sink(XTok::End { name: &name })?;
                            self.end_name = name;
                            if !go {
                                return Ok(false);
                            }
                        }
                        None => {
                            let room = XML_KEY_CAP.saturating_sub(self.end_name.len());
                            self.end_name
                                .extend_from_slice(rest.get(..room.min(rest.len())).unwrap_or(&[]));
                            i = data.len();
                        }
                    }
                }
                XSt::Pi { prev_q } => {
                    let b = data.get(i).copied().unwrap_or(0);
                    i += 1;
                    self.st = if b == b'>' && prev_q {
                        XSt::Text
                    } else {
                        XSt::Pi { prev_q: b == b'?' }
                    };
                }
                XSt::BangStart => {
                    let b = data.get(i).copied().unwrap_or(0);
                    i += 1;
                    self.st = match b {
                        b'-' => XSt::Comment { dashes: 0, body: 0 },
                        b'[' => XSt::CDataPrefix(0),
                        b'D' | b'd' => {
                            self.bad = Some("it contains a document type declaration");
                            XSt::Text
                        }
                        _ => {
                            self.bad = Some("it contains malformed markup");
                            XSt::Text
                        }
                    };
                }
                XSt::Comment { dashes, body } => {
                    // `<!-` seen; the comment ends at the first `>` preceded by `--`
                    // that is at least 4 bytes after `<!` (quick-xml's rule).
                    let b = data.get(i).copied().unwrap_or(0);
                    i += 1;
                    if body == 0 && b != b'-' {
                        self.bad = Some("it contains malformed markup");
                        continue;
                    }
                    let body = body.saturating_add(1);
                    if b == b'>' && dashes >= 2 && body >= 4 {
                        self.st = XSt::Text;
                    } else {
                        let dashes = if b == b'-' {
                            dashes.saturating_add(1)
                        } else {
                            0
                        };
                        self.st = XSt::Comment { dashes, body };
                    }
                }
                XSt::CDataPrefix(n) => {
                    let b = data.get(i).copied().unwrap_or(0);
                    i += 1;
                    let want = b"CDATA[";
                    if want.get(usize::from(n)) != Some(&b) {
                        self.bad = Some("it contains malformed markup");
                        continue;
                    }
                    self.st = if usize::from(n) + 1 == want.len() {
                        XSt::CData { brackets: 0 }
                    } else {
                        XSt::CDataPrefix(n + 1)
                    };
                }
                XSt::CData { brackets } => {
                    let rest = tail(data, i);
                    // Report the content (possibly with the closing brackets) as text.
                    let mut j = 0usize;
                    let mut br = brackets;
                    let mut end = None;
                    while let Some(&b) = rest.get(j) {
                        if b == b'>' && br >= 2 {
                            end = Some(j);
                            break;
                        }
                        br = if b == b']' { br.saturating_add(1) } else { 0 };
                        j += 1;
                    }
                    let text_len = end.unwrap_or(rest.len());
                    if text_len > 0 && !sink(XTok::Text(rest.get(..text_len).unwrap_or(&[])))? {
                        return Ok(false);
                    }
                    match end {
                        Some(j) => {
                            i += j + 1;
                            self.st = XSt::Text;
                        }
                        None => {
                            i += rest.len();
                            self.st = XSt::CData { brackets: br };
                        }
                    }
                }
            }
        }
        if let Some(why) = self.bad {
            return Err(Refusal::CorruptContainer(format!(
                "an XML part cannot be parsed safely: {why}"
            )));
        }
        Ok(true)
    }

    /// One byte inside a start tag. Returns `Some(go)` when the tag was emitted.
    fn tag_byte(
        &mut self,
        b: u8,
        sink: &mut dyn FnMut(XTok<'_>) -> Result<bool, Refusal>,
    ) -> Result<Option<bool>, Refusal> {
        // quick-xml's element end: `>` outside single/double quotes.
        if self.quote == 0 && b == b'>' {
            self.st = XSt::Text;
            let empty = self.last_byte == b'/';
            if empty {
                // drop the trailing `/` from the name or the attribute area
                if !self.name_done {
                    if self.name.last() == Some(&b'/') {
                        self.name.pop();
                    }
                } else if self.ast == AttrSt::Key
                    && let Some(a) = self.cur_attr()
                {
                    if a.key.last() == Some(&b'/') {
                        a.key.pop();
                    }
                    if a.key.is_empty() {
                        self.nattrs -= 1;
                    }
                }
            }
            let n = self.nattrs.min(self.attrs.len());
            let name = std::mem::take(&mut self.name);
            let go = {
                let attrs = self.attrs.get(..n).unwrap_or(&[]);
                let name_ok: &[u8] = if self.name_trunc { b"\x00" } else { &name };
                sink(XTok::Start {
                    name: name_ok,
                    attrs,
                    empty,
                })?
            };
            self.name = name;
            return Ok(Some(go));
        }
        if self.quote == 0 && (b == b'"' || b == b'\'') {
            self.quote = b;
        } else if self.quote != 0 && b == self.quote {
            self.quote = 0;
        }
        self.last_byte = b;
        if !self.name_done {
            if b.is_ascii_whitespace() {
                self.name_done = true;
                self.attr_byte(b);
            } else if self.name.len() < XML_KEY_CAP {
                self.name.push(b);
            } else {
                self.name_trunc = true;
            }
        } else {
            self.attr_byte(b);
        }
        Ok(None)
    }
}

/// Decodes the five predefined entities and numeric references (quick-xml's
/// `unescape`). `None` where calamine's decoding fails.
fn xml_unescape(raw: &[u8]) -> Option<String> {
    let s = std::str::from_utf8(raw).ok()?;
    if !s.contains('&') {
        return Some(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(rest.get(..p)?);
        let after = rest.get(p + 1..)?;
        let semi = after.find(';')?;
        let ent = after.get(..semi)?;
        match ent {
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "amp" => out.push('&'),
            "apos" => out.push('\''),
            "quot" => out.push('"'),
            _ => {
                let code = if let Some(h) = ent.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()?
                } else if let Some(d) = ent.strip_prefix('#') {
                    d.parse::<u32>().ok()?
                } else {
                    return None;
                };
                out.push(char::from_u32(code)?);
            }
        }
        rest = after.get(semi + 1..)?;
    }
    out.push_str(rest);
    Some(out)
}

/// Streams zip part `i` through an XML tokenizer.
fn scan_xml(
    zip: &mut ZipView<'_>,
    i: usize,
    sink: &mut dyn FnMut(XTok<'_>) -> Result<bool, Refusal>,
) -> Result<(), Refusal> {
    let mut tok = XmlTok::new();
    let name = zip.name(i);
    let r = zip.stream(i, &mut |chunk| {
        Ok(if tok.feed(chunk, sink)? {
            Step::Go
        } else {
            Step::Stop
        })
    });
    match r {
        Err(Refusal::CorruptContainer(d)) if d.starts_with("an XML part") => {
            Err(Refusal::CorruptContainer(format!("{d} (in \"{name}\")")))
        }
        other => other,
    }
}

// ===========================================================================
// OpenDocument spreadsheet (mirrors calamine's ods.rs)
// ===========================================================================

/// The spreadsheet grid: Excel's 1,048,576 rows × 16,384 columns, which calamine also takes
/// as its caps on ods rows and columns (and the merge scanner as the bounds of a reference).
pub(super) const MAX_ROWS: u32 = 1_048_576;
/// See [`MAX_ROWS`].
pub(super) const MAX_COLUMNS: u32 = 16_384;
const ODS_MAX_ROWS: u64 = MAX_ROWS as u64;
const ODS_MAX_COLUMNS: u64 = MAX_COLUMNS as u64;
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

fn ods_manifest_encrypted(zip: &mut ZipView<'_>) -> Result<bool, Refusal> {
    let Some(i) = zip.exact("META-INF/manifest.xml") else {
        return Ok(false);
    };
    let mut found = false;
    scan_xml(zip, i, &mut |t| {
        if let XTok::Start { name, .. } = t
            && local(name) == b"encryption-data"
        {
            found = true;
            return Ok(false);
        }
        Ok(true)
    })?;
    Ok(found)
}

fn ods_check(bytes: &[u8], zip: &mut ZipView<'_>, limits: &Limits) -> Result<(), Refusal> {
    let Some(m) = zip.exact("mimetype") else {
        return Err(Refusal::NotASpreadsheet {
            expected: Format::Ods,
            found: sniff(bytes),
        });
    };
    let head = zip.read_prefix(m, 46).unwrap_or_default();
    if head != ODS_MIMETYPE {
        return Err(Refusal::NotASpreadsheet {
            expected: Format::Ods,
            found: sniff(bytes),
        });
    }
    if zip.exact("META-INF/manifest.xml").is_none() {
        return corrupt("the OpenDocument manifest is missing");
    }
    if ods_manifest_encrypted(zip)? {
        return Err(Refusal::Encrypted(Some(Format::Ods)));
    }
    let Some(c) = zip.exact("content.xml") else {
        return corrupt("the OpenDocument content part is missing");
    };
    let mut scan = OdsScan::new(limits);
    scan_xml(zip, c, &mut |t| scan.on(t))?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum OdsMode {
    Outer,
    Table,
    Row,
    /// `read_to_end_into(cell name)`: same-name depth.
    CellSkip {
        name: Vec<u8>,
        depth: u32,
    },
    /// String content of a cell, read until the end of any table cell.
    CellText,
    /// `office:annotation` inside string content, read until its first end tag.
    Annotation,
    Done,
}

struct OdsCell {
    nonempty: bool,
    repeats: u64,
    text: u64,
}

struct OdsScan<'l> {
    limits: &'l Limits,
    mode: OdsMode,
    sheet: String,
    // table
    total_rows: u64,
    seen_nonempty: bool,
    acc_rows: u64,
    box_rows: u64,
    col_min: u64,
    col_max: u64,
    flat: u64,
    row_elems: u64,
    max_row_len: u64,
    // row
    row_reps: u64,
    row_len: u64,
    pending_empty: u64,
    row_first: Option<u64>,
    row_last: Option<u64>,
    row_text: u64,
    // cell being read
    cell: Option<OdsCell>,
    // workbook
    sheets: usize,
    cells_total: u64,
    text_total: u64,
}

impl<'l> OdsScan<'l> {
    fn new(limits: &'l Limits) -> Self {
        OdsScan {
            limits,
            mode: OdsMode::Outer,
            sheet: String::new(),
            total_rows: 0,
            seen_nonempty: false,
            acc_rows: 0,
            box_rows: 0,
            col_min: u64::MAX,
            col_max: 0,
            flat: 0,
            row_elems: 0,
            max_row_len: 0,
            row_reps: 1,
            row_len: 0,
            pending_empty: 0,
            row_first: None,
            row_last: None,
            row_text: 0,
            cell: None,
            sheets: 0,
            cells_total: 0,
            text_total: 0,
        }
    }

    fn is_cell(name: &[u8]) -> bool {
        name == b"table:table-cell" || name == b"table:covered-table-cell"
    }

    fn on(&mut self, t: XTok<'_>) -> Result<bool, Refusal> {
        match t {
            XTok::Start { name, attrs, empty } => {
                self.start(name, attrs)?;
                if empty {
                    self.end(name)?;
                }
            }
            XTok::End { name } => self.end(name)?,
            XTok::Text(txt) => {
                if self.mode == OdsMode::CellText
                    && let Some(c) = self.cell.as_mut()
                {
                    c.text = c.text.saturating_add(txt.len() as u64);
                }
            }
        }
        Ok(self.mode != OdsMode::Done)
    }

    fn start(&mut self, name: &[u8], attrs: &[XAttr]) -> Result<(), Refusal> {
        match &mut self.mode {
            OdsMode::Outer => {
                if name == b"table:table"
                    && let Some(a) = attr(attrs, b"table:name")
                {
                    let n = a
                        .value()
                        .and_then(xml_unescape)
                        .unwrap_or_else(|| "?".into());
                    self.begin_table(n);
                }
            }
            OdsMode::Table => {
                if name == b"table:table-row" {
                    if attr(attrs, b"table:number-rows-repeated").is_some_and(|a| a.val_trunc) {
                        return corrupt_sheet(&self.sheet, "a repeat count is implausibly long");
                    }
                    let reps = match attr(attrs, b"table:number-rows-repeated") {
                        None => 1,
                        Some(a) => match a
                            .value()
                            .and_then(xml_unescape)
                            .and_then(|s| s.parse::<u64>().ok())
                        {
                            Some(n) => n,
                            None => {
                                self.mode = OdsMode::Done; // calamine stops with an error
                                return Ok(());
                            }
                        },
                    };
                    let remaining = ODS_MAX_ROWS.saturating_sub(self.total_rows);
                    let capped = reps.min(remaining);
                    self.total_rows = self.total_rows.saturating_add(capped);
                    self.row_reps = capped;
                    self.row_len = 0;
                    self.pending_empty = 0;
                    self.row_first = None;
                    self.row_last = None;
                    self.row_text = 0;
                    self.mode = OdsMode::Row;
                }
            }
            OdsMode::Row => {
                if Self::is_cell(name) {
                    self.begin_cell(name, attrs)?;
                }
            }
            OdsMode::CellSkip { name: n, depth } => {
                if name == n.as_slice() {
                    *depth = depth.saturating_add(1);
                }
            }
            OdsMode::CellText if name == b"office:annotation" => {
                self.mode = OdsMode::Annotation;
            }
            OdsMode::CellText => {
                if name == b"text:s" {
                    if attr(attrs, b"text:c").is_some_and(|a| a.val_trunc) {
                        return corrupt_sheet(&self.sheet, "a space count is implausibly long");
                    }
                    // calamine parses the count as an `i32` (negative: no spaces)
                    let count = match attr(attrs, b"text:c") {
                        None => 1,
                        Some(a) => match a
                            .value()
                            .and_then(xml_unescape)
                            .and_then(|s| s.parse::<i32>().ok())
                        {
                            Some(n) => u64::try_from(n).unwrap_or(0),
                            None => {
                                self.mode = OdsMode::Done; // calamine stops with an error
                                return Ok(());
                            }
                        },
                    };
                    if count > self.limits.max_string_bytes {
                        return Err(Refusal::HugeText {
                            sheet: clean_name(&self.sheet),
                            bytes: count,
                        });
                    }
                    if let Some(c) = self.cell.as_mut() {
                        c.text = c.text.saturating_add(count);
                    }
                } else if matches!(name, b"text:p" | b"text:tab" | b"text:line-break")
                    && let Some(c) = self.cell.as_mut()
                {
                    c.text = c.text.saturating_add(1);
                }
            }
            OdsMode::Annotation | OdsMode::Done => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Refusal> {
        match &mut self.mode {
            OdsMode::Table => {
                if name == b"table:table" {
                    self.end_table()?;
                }
            }
            OdsMode::Row => {
                if name == b"table:table-row" {
                    self.end_row()?;
                }
            }
            OdsMode::CellSkip { name: n, depth } => {
                if name == n.as_slice() {
                    if *depth == 0 {
                        self.mode = OdsMode::Row;
                    } else {
                        *depth -= 1;
                    }
                }
            }
            OdsMode::CellText => {
                if Self::is_cell(name) {
                    self.finish_cell()?;
                    self.mode = OdsMode::Row;
                }
            }
            OdsMode::Annotation => {
                if name == b"office:annotation" {
                    self.mode = OdsMode::CellText;
                }
            }
            OdsMode::Outer | OdsMode::Done => {}
        }
        Ok(())
    }

    fn begin_table(&mut self, name: String) {
        self.sheet = name;
        self.total_rows = 0;
        self.seen_nonempty = false;
        self.acc_rows = 0;
        self.box_rows = 0;
        self.col_min = u64::MAX;
        self.col_max = 0;
        self.flat = 0;
        self.row_elems = 0;
        self.max_row_len = 0;
        self.mode = OdsMode::Table;
    }

    fn begin_cell(&mut self, name: &[u8], attrs: &[XAttr]) -> Result<(), Refusal> {
        if attr(attrs, b"table:number-columns-repeated").is_some_and(|a| a.val_trunc) {
            return corrupt_sheet(&self.sheet, "a repeat count is implausibly long");
        }
        let repeats = match attr(attrs, b"table:number-columns-repeated") {
            None => 1,
            Some(a) => match a
                .value()
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|s| s.parse::<u64>().ok())
            {
                Some(n) => n,
                None => {
                    self.mode = OdsMode::Done;
                    return Ok(());
                }
            },
        };
        // get_datatype: attributes in document order.
        let (mut value_set, mut is_string, mut is_error, mut value_str_empty) =
            (false, false, false, false);
        let mut text = 0u64;
        let mut nonempty = false;
        for a in attrs {
            match a.key.as_slice() {
                b"office:value" if !value_set => {
                    value_set = true;
                    nonempty = true;
                }
                b"office:string-value" | b"office:date-value" | b"office:time-value"
                    if !value_set =>
                {
                    value_set = true;
                    nonempty = true;
                    text = text.saturating_add(a.val_len);
                    value_str_empty = a.val_len == 0;
                }
                b"office:boolean-value" if !value_set => {
                    value_set = true;
                    nonempty = true;
                }
                b"office:value-type" if !value_set => is_string = a.value() == Some(b"string"),
                b"calcext:value-type" => is_error = a.value() == Some(b"error"),
                b"table:formula" => {
                    if a.val_len > 0 {
                        nonempty = true;
                    }
                    text = text.saturating_add(a.val_len);
                }
                _ => {}
            }
        }
        let content = (!value_set && is_string) || (is_error && value_str_empty && value_set);
        if content {
            nonempty = true;
        }
        self.cell = Some(OdsCell {
            nonempty,
            repeats,
            text,
        });
        if content {
            self.mode = OdsMode::CellText;
        } else {
            self.finish_cell()?;
            self.mode = OdsMode::CellSkip {
                name: name.to_vec(),
                depth: 0,
            };
        }
        Ok(())
    }

    fn finish_cell(&mut self) -> Result<(), Refusal> {
        let Some(c) = self.cell.take() else {
            return Ok(());
        };
        let remaining = ODS_MAX_COLUMNS.saturating_sub(self.row_len);
        let capped_empty = self.pending_empty.min(remaining);
        self.row_len = self.row_len.saturating_add(capped_empty);
        self.pending_empty = 0;
        let remaining = ODS_MAX_COLUMNS.saturating_sub(self.row_len);
        let capped = c.repeats.min(remaining);
        if !c.nonempty {
            self.pending_empty = capped;
        } else if capped > 0 {
            let first = self.row_len;
            self.row_len = self.row_len.saturating_add(capped);
            self.row_first.get_or_insert(first);
            self.row_last = Some(self.row_len - 1);
            // The value is cloned once per repeated column into the row, then once
            // per repeated row when the sheet is built (and again for formulas).
            let copies = capped.saturating_mul(self.row_reps.saturating_add(1));
            self.row_text = self.row_text.saturating_add(c.text.saturating_mul(copies));
        }
        Ok(())
    }

    fn add_text(&mut self, n: u64) -> Result<(), Refusal> {
        self.text_total = self.text_total.saturating_add(n);
        if self.text_total > self.limits.max_string_bytes {
            return Err(Refusal::HugeText {
                sheet: clean_name(&self.sheet),
                bytes: self.text_total,
            });
        }
        Ok(())
    }

    fn end_row(&mut self) -> Result<(), Refusal> {
        self.mode = OdsMode::Table;
        self.row_elems += 1;
        self.flat = self.flat.saturating_add(self.row_len);
        self.max_row_len = self.max_row_len.max(self.row_len);
        if self.flat > self.limits.max_cells {
            return Err(Refusal::HugeSheet {
                sheet: clean_name(&self.sheet),
                rows: self.row_elems,
                cols: self.max_row_len,
            });
        }
        let nonempty = self.row_first.is_some();
        if !self.seen_nonempty {
            if nonempty {
                self.seen_nonempty = true;
                self.acc_rows = self.row_reps;
                self.box_rows = self.acc_rows;
            }
        } else {
            self.acc_rows = self.acc_rows.saturating_add(self.row_reps);
            if nonempty {
                self.box_rows = self.acc_rows;
            }
        }
        if let (Some(f), Some(l)) = (self.row_first, self.row_last) {
            self.col_min = self.col_min.min(f);
            self.col_max = self.col_max.max(l);
        }
        if self.seen_nonempty {
            let cols = self.col_max.saturating_sub(self.col_min).saturating_add(1);
            if self.box_rows.saturating_mul(cols) > self.limits.max_cells {
                return Err(Refusal::HugeSheet {
                    sheet: clean_name(&self.sheet),
                    rows: self.box_rows,
                    cols,
                });
            }
        }
        let t = std::mem::take(&mut self.row_text);
        self.add_text(t)
    }

    fn end_table(&mut self) -> Result<(), Refusal> {
        self.mode = OdsMode::Outer;
        self.sheets += 1;
        if self.seen_nonempty {
            let cols = self.col_max.saturating_sub(self.col_min).saturating_add(1);
            let cells = self.box_rows.saturating_mul(cols);
            self.cells_total = self.cells_total.saturating_add(cells);
            if self.cells_total > self.limits.max_cells {
                return Err(Refusal::HugeWorkbook {
                    sheets: self.sheets,
                    cells: self.cells_total,
                });
            }
        }
        Ok(())
    }
}

// ===========================================================================
// Cell references (mirrors calamine's xlsx `get_row_and_optional_column`)
// ===========================================================================

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RefParse {
    /// 0-based row, optional 0-based column.
    Ok(u32, Option<u32>),
    /// calamine returns an ordinary error.
    Err,
    /// calamine's u32 arithmetic overflows (a panic in debug builds).
    Overflow,
}

pub(super) fn parse_ref(s: &[u8]) -> RefParse {
    let mut i = 0usize;
    let (mut col, mut row) = (0u32, 0u32);
    while let Some(&c) = s.get(i) {
        match c {
            b'A'..=b'Z' | b'a'..=b'z' => {
                let v = u32::from(c.to_ascii_uppercase() - b'A') + 1;
                match col.checked_mul(26).and_then(|x| x.checked_add(v)) {
                    Some(x) => col = x,
                    None => return RefParse::Overflow,
                }
            }
            b'0'..=b'9' => {
                row = u32::from(c - b'0');
                i += 1;
                break;
            }
            _ => return RefParse::Err,
        }
        i += 1;
    }
    while let Some(&c) = s.get(i) {
        match c {
            b'0'..=b'9' => match row
                .checked_mul(10)
                .and_then(|x| x.checked_add(u32::from(c - b'0')))
            {
                Some(x) => row = x,
                None => return RefParse::Overflow,
            },
            _ => return RefParse::Err,
        }
        i += 1;
    }
    match row.checked_sub(1) {
        Some(r) => RefParse::Ok(r, col.checked_sub(1)),
        None => RefParse::Err,
    }
}

/// calamine's `get_dimension`: `Ok(())` when calamine either accepts the range or
/// returns an ordinary error; `Err(detail)` when it would panic (u32 overflow while
/// parsing, or a range whose end lies before its start).
fn check_dimension(s: &[u8]) -> Result<(), &'static str> {
    let mut parts: Vec<(u32, u32)> = Vec::new();
    for p in s.split(|&b| b == b':') {
        match parse_ref(p) {
            RefParse::Ok(r, Some(c)) => parts.push((r, c)),
            RefParse::Ok(_, None) | RefParse::Err => return Ok(()),
            RefParse::Overflow => return Err("a cell reference is too large to be valid"),
        }
        if parts.len() > 2 {
            return Ok(());
        }
    }
    if let [a, b] = parts.as_slice()
        && (b.0 < a.0 || b.1 < a.1)
    {
        return Err("a cell range ends before it starts");
    }
    Ok(())
}

/// `(r0, c0, r1, c1)` of a well-formed two-corner range.
fn range_of(s: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let mut it = s.split(|&b| b == b':');
    let a = it.next()?;
    let b = it.next()?;
    if it.next().is_some() {
        return None;
    }
    match (parse_ref(a), parse_ref(b)) {
        (RefParse::Ok(r0, Some(c0)), RefParse::Ok(r1, Some(c1))) if r0 <= r1 && c0 <= c1 => {
            Some((r0, c0, r1, c1))
        }
        _ => None,
    }
}

/// Bounding box of non-empty cells, as `Range::from_sparse` computes it.
#[derive(Debug, Clone, Copy, Default)]
struct BBox {
    any: bool,
    r0: u64,
    r1: u64,
    c0: u64,
    c1: u64,
}

impl BBox {
    fn add(&mut self, r: u64, c: u64) {
        if !self.any {
            *self = BBox {
                any: true,
                r0: r,
                r1: r,
                c0: c,
                c1: c,
            };
        } else {
            self.r0 = self.r0.min(r);
            self.r1 = self.r1.max(r);
            self.c0 = self.c0.min(c);
            self.c1 = self.c1.max(c);
        }
    }
    fn rows(&self) -> u64 {
        if self.any { self.r1 - self.r0 + 1 } else { 0 }
    }
    fn cols(&self) -> u64 {
        if self.any { self.c1 - self.c0 + 1 } else { 0 }
    }
    fn cells(&self) -> u64 {
        self.rows().saturating_mul(self.cols())
    }
    fn check(&self, sheet: &str, limits: &Limits) -> Result<(), Refusal> {
        if self.cells() > limits.max_cells {
            return Err(Refusal::HugeSheet {
                sheet: clean_name(sheet),
                rows: self.rows(),
                cols: self.cols(),
            });
        }
        Ok(())
    }
}

/// Compact upper bound of a string length: exact below 128, else a power of two.
fn len_code(n: u64) -> u8 {
    if n < 128 {
        n as u8
    } else {
        let bits = 64 - n.leading_zeros(); // 2^bits > n
        128u8.saturating_add(bits.min(63) as u8)
    }
}

fn len_decode(c: u8) -> u64 {
    if c < 128 {
        u64::from(c)
    } else {
        1u64 << u32::from(c - 128).min(63)
    }
}

// ===========================================================================
// Office Open XML workbooks (mirrors calamine's xlsx reader)
// ===========================================================================

/// calamine's `vba_project()` opens this part as a compound file.
fn check_vba_part(zip: &mut ZipView<'_>, path: &str) -> Result<(), Refusal> {
    let Some(i) = zip.exact(path) else {
        return Ok(());
    };
    let cap = usize::try_from(zip.sizes.get(i).copied().unwrap_or(0)).unwrap_or(usize::MAX);
    let Ok(bytes) = zip.read_prefix(i, cap) else {
        return Ok(());
    };
    if !bytes.starts_with(&CFB_MAGIC) {
        return Ok(()); // calamine returns an error
    }
    let mut cfb = cfb_open(&bytes).map_err(|e| match e {
        Refusal::CorruptContainer(d) => {
            Refusal::CorruptContainer(format!("{d} (in the macro part \"{path}\")"))
        }
        other => other,
    })?;
    cfb.check_all_streams()
}

fn xlsx_check(
    zip: &mut ZipView<'_>,
    limits: &Limits,
    scan_sheets: bool,
    merges: Option<&mut XlsxMerges>,
) -> Result<(), Refusal> {
    // `_rels/.rels` gives the folder of the workbook part ("xl/").
    let (xl_path, wb_name) =
        xlsx_package_target(zip).unwrap_or_else(|| ("xl/".to_string(), "workbook.xml".to_string()));
    check_vba_part(zip, &format!("{xl_path}vbaProject.bin"))?;
    let names = xlsx_sheet_names(zip, &xl_path, &wb_name);
    let sst_part = zip.lookup(&format!("{xl_path}sharedStrings.xml"));
    // without the sheet scan only the declared count matters: the scan stops after `<sst>`
    let sst = match sst_part {
        Some(i) => xlsx_shared_strings(zip, i, limits, scan_sheets)?,
        None => Vec::new(),
    };
    if let Some(merges) = merges {
        for (part, sheet) in &names {
            let Some(i) = zip.lookup(part) else { continue };
            let mut scan = super::merges::MergeScan::new();
            zip.stream(i, &mut |chunk| {
                scan.feed(chunk);
                Ok(Step::Go)
            })?;
            merges.insert(sheet.clone(), scan.finish());
        }
    }
    if !scan_sheets {
        return Ok(());
    }
    for i in xlsx_sheet_candidates(zip)? {
        let part = zip.names.get(i).cloned().unwrap_or_default();
        let sheet = names
            .get(&ascii_lower(&part))
            .cloned()
            .unwrap_or_else(|| part.clone());
        let mut scan = XlsxSheetScan::new(&sheet, &sst, limits);
        scan_xml(zip, i, &mut |t| scan.on(t))?;
        scan.finish()?;
    }
    Ok(())
}

/// Parts calamine may read as worksheets: every `.xml` part, plus every target of
/// a worksheet/chartsheet/dialogsheet relationship in any `.rels` part (resolved
/// as calamine does: absolute, or relative to the folder of the source part).
fn xlsx_sheet_candidates(zip: &mut ZipView<'_>) -> Result<Vec<usize>, Refusal> {
    let mut set: Vec<bool> = vec![false; zip.len()];
    let mut rels_parts = Vec::new();
    for (i, n) in zip.names.iter().enumerate() {
        let l = n.to_ascii_lowercase();
        if l.ends_with(".xml") {
            if let Some(x) = set.get_mut(i) {
                *x = true;
            }
        } else if l.ends_with(".rels") {
            rels_parts.push(i);
        }
    }
    for r in rels_parts {
        let rname = zip.names.get(r).cloned().unwrap_or_default();
        let dir = match rname.rfind('/') {
            Some(p) => rname.get(..=p).unwrap_or(""),
            None => "",
        };
        let base = dir.strip_suffix("_rels/").unwrap_or(dir).to_string();
        let mut targets: Vec<String> = Vec::new();
        scan_xml(zip, r, &mut |t| {
            if let XTok::Start { name, attrs, .. } = t
                && local(name) == b"Relationship"
                && targets.len() < 100_000
            {
                let is_sheet = attrs.iter().filter(|a| a.key == b"Type").any(|a| {
                    let last = a.val.rsplit(|&b| b == b'/').next().unwrap_or(&[]);
                    matches!(last, b"worksheet" | b"chartsheet" | b"dialogsheet")
                });
                if is_sheet {
                    for a in attrs.iter().filter(|a| a.key == b"Target") {
                        if let Some(v) = a.value() {
                            targets.push(String::from_utf8_lossy(v).into_owned());
                            if let Some(d) = xml_unescape(v) {
                                targets.push(d);
                            }
                        }
                    }
                }
            }
            Ok(true)
        })?;
        for t in targets {
            let path = match t.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("{base}{t}"),
            };
            if let Some(i) = zip.lookup(&path)
                && let Some(x) = set.get_mut(i)
            {
                *x = true;
            }
        }
    }
    Ok(set
        .iter()
        .enumerate()
        .filter(|(_, b)| **b)
        .map(|(i, _)| i)
        .collect())
}

/// Relationship targets of a `.rels` part: `Id` -> decoded `Target`.
fn read_rels(
    zip: &mut ZipView<'_>,
    i: usize,
    exact_names: bool,
) -> Result<HashMap<String, String>, Refusal> {
    let mut map = HashMap::new();
    scan_xml(zip, i, &mut |t| {
        if let XTok::Start { name, attrs, .. } = t {
            let is_rel = if exact_names {
                name == b"Relationship"
            } else {
                local(name) == b"Relationship"
            };
            if is_rel
                && map.len() < 100_000
                && let (Some(id), Some(target)) = (attr(attrs, b"Id"), attr(attrs, b"Target"))
                && let (Some(id), Some(target)) =
                    (id.value(), target.value().and_then(xml_unescape))
            {
                map.insert(String::from_utf8_lossy(id).into_owned(), target);
            }
        }
        Ok(true)
    })?;
    Ok(map)
}

fn xlsx_package_target(zip: &mut ZipView<'_>) -> Option<(String, String)> {
    let i = zip.lookup("_rels/.rels")?;
    let mut target = None;
    scan_xml(zip, i, &mut |t| {
        if let XTok::Start { name, attrs, .. } = t
            && local(name) == b"Relationship"
        {
            let is_doc = attr(attrs, b"Type")
                .and_then(XAttr::value)
                .is_some_and(|v| v.ends_with(b"/relationships/officeDocument"));
            if is_doc
                && let Some(t) = attr(attrs, b"Target")
                    .and_then(XAttr::value)
                    .and_then(xml_unescape)
            {
                target = Some(t);
            }
        }
        Ok(true)
    })
    .ok()?;
    let target = target?;
    let (dir, name) = match target.rfind('/') {
        Some(p) => (
            target.get(..=p).unwrap_or(""),
            target.get(p + 1..).unwrap_or(""),
        ),
        None => ("", target.as_str()),
    };
    let dir = dir.strip_prefix('/').unwrap_or(dir).to_string();
    let name = if name.is_empty() {
        "workbook.xml".to_string()
    } else {
        name.to_string()
    };
    Some((dir, name))
}

/// Part path (normalised) -> sheet name, for messages only.
fn xlsx_sheet_names(
    zip: &mut ZipView<'_>,
    xl_path: &str,
    wb_name: &str,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let rels = match zip.lookup(&format!("{xl_path}_rels/{wb_name}.rels")) {
        Some(i) => read_rels(zip, i, false).unwrap_or_default(),
        None => return out,
    };
    let Some(wb) = zip.lookup(&format!("{xl_path}{wb_name}")) else {
        return out;
    };
    let _ = scan_xml(zip, wb, &mut |t| {
        if let XTok::Start { name, attrs, .. } = t
            && local(name) == b"sheet"
            && out.len() < 100_000
        {
            let sheet = attr(attrs, b"name")
                .and_then(XAttr::value)
                .and_then(xml_unescape);
            let rid = attrs
                .iter()
                .find(|a| a.key == b"id" || a.key.ends_with(b":id"))
                .and_then(XAttr::value);
            if let (Some(sheet), Some(rid)) = (sheet, rid)
                && let Some(target) = rels.get(String::from_utf8_lossy(rid).as_ref())
            {
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("{xl_path}{target}"),
                };
                out.insert(ascii_lower(&path), sheet);
            }
        }
        Ok(true)
    });
    out
}

/// Checks the `uniqueCount` calamine reserves with and returns a length code per
/// shared string (upper bound of the text calamine copies into each cell using it).
fn xlsx_shared_strings(
    zip: &mut ZipView<'_>,
    i: usize,
    limits: &Limits,
    lengths: bool,
) -> Result<Vec<u8>, Refusal> {
    let size = zip.sizes.get(i).copied().unwrap_or(0);
    let limit = limits.max_cells.min((size / 5 + 1).max(65_536));
    let mut lens: Vec<u8> = Vec::new();
    #[derive(PartialEq)]
    enum M {
        Before,
        Top,
        Si(Vec<u8>, u64),
        Done,
    }
    let mut m = M::Before;
    let mut refusal = None;
    scan_xml(zip, i, &mut |t| {
        match (&mut m, t) {
            (M::Before, XTok::Start { name, attrs, empty }) if local(name) == b"sst" => {
                if attr(attrs, b"uniqueCount").is_some_and(|a| a.val_trunc) {
                    refusal = Some(Refusal::HugeStringTable {
                        declared: u64::MAX,
                        limit,
                    });
                    return Ok(false);
                }
                if let Some(v) = attr(attrs, b"uniqueCount").and_then(XAttr::value)
                    && !v.is_empty()
                    && v.iter().all(u8::is_ascii_digit)
                {
                    let n = std::str::from_utf8(v)
                        .ok()
                        .and_then(|s| s.parse::<u64>().ok());
                    if let Some(n) = n
                        && n > limit
                    {
                        refusal = Some(Refusal::HugeStringTable { declared: n, limit });
                        return Ok(false);
                    }
                }
                m = if empty || !lengths { M::Done } else { M::Top };
                if m == M::Done {
                    return Ok(false);
                }
            }
            (M::Top, XTok::Start { name, empty, .. }) if local(name) == b"si" => {
                if empty {
                    lens.push(0);
                } else {
                    m = M::Si(name.to_vec(), 0);
                }
            }
            (M::Top, XTok::End { name }) if local(name) == b"sst" => m = M::Done,
            (M::Si(_, n), XTok::Text(txt)) => *n = n.saturating_add(txt.len() as u64),
            (M::Si(q, n), XTok::End { name }) if name == q.as_slice() => {
                lens.push(len_code(*n));
                m = M::Top;
            }
            (M::Done, _) => return Ok(false),
            _ => {}
        }
        Ok(true)
    })?;
    match refusal {
        Some(r) => Err(r),
        None => Ok(lens),
    }
}

/// Collects the text of a shared-string index as atoi_simd reads it (any number
/// of leading zeros), keeping at most 32 significant bytes.
fn push_index_text(buf: &mut Vec<u8>, txt: &[u8]) {
    for &b in txt {
        if buf.as_slice() == b"0" && b.is_ascii_digit() {
            buf.clear();
        }
        if buf.len() < 32 {
            buf.push(b);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum XlMode {
    /// Before `<sheetData>` (calamine's `XlsxCellReader::new`).
    Before,
    /// Inside `<sheetData>`, outside a cell.
    Sheet,
    /// Inside `<c>`, between its children.
    Cell,
    /// Just after `<v>` of a plain-typed cell: calamine reads one event.
    VFirst(Vec<u8>),
    /// Text of a `<v>` of a string-like type, read until the first `</v>`.
    VText(Vec<u8>),
    /// `read_to_end_into(name)`: same-name depth.
    Skip(Vec<u8>, u32),
    /// Inline string, read until the first end tag with that name.
    Inline(Vec<u8>),
    /// After `</sheetData>` or after an error calamine would stop at.
    After,
}

struct XlsxSheetScan<'s> {
    sheet: &'s str,
    sst: &'s [u8],
    limits: &'s Limits,
    mode: XlMode,
    row: u64,
    col: u64,
    // current cell
    pos: Option<(u64, u64)>,
    t: Option<Vec<u8>>,
    value: bool,
    value_text: u64,
    child_text: u64,
    idx_text: Vec<u8>,
    idx_open: bool,
    // results
    bbox: BBox,
    text: u64,
    shared_anchors: u64,
    max_si: u64,
}

impl<'s> XlsxSheetScan<'s> {
    fn new(sheet: &'s str, sst: &'s [u8], limits: &'s Limits) -> Self {
        XlsxSheetScan {
            sheet,
            sst,
            limits,
            mode: XlMode::Before,
            row: 0,
            col: 0,
            pos: None,
            t: None,
            value: false,
            value_text: 0,
            child_text: 0,
            idx_text: Vec::new(),
            idx_open: false,
            bbox: BBox::default(),
            text: 0,
            shared_anchors: 0,
            max_si: 0,
        }
    }

    fn bad<T>(&self, detail: &str) -> Result<T, Refusal> {
        corrupt_sheet(self.sheet, detail)
    }

    fn on(&mut self, t: XTok<'_>) -> Result<bool, Refusal> {
        if !matches!(t, XTok::Text(_)) {
            self.idx_open = false;
        }
        match t {
            XTok::Start { name, attrs, empty } => {
                self.validate(name, attrs)?;
                self.start(name, attrs)?;
                if empty {
                    self.end(name)?;
                }
            }
            XTok::End { name } => self.end(name)?,
            XTok::Text(txt) => self.text_event(txt),
        }
        Ok(true)
    }

    /// Checks that apply wherever an element appears.
    fn validate(&mut self, name: &[u8], attrs: &[XAttr]) -> Result<(), Refusal> {
        let l = local(name);
        if matches!(
            l,
            b"dimension" | b"mergeCell" | b"hyperlink" | b"table" | b"f" | b"autoFilter"
        ) && let Some(a) = attr(attrs, b"ref")
        {
            match a.value() {
                Some(v) => {
                    if let Err(d) = check_dimension(v) {
                        return self.bad(d);
                    }
                }
                None => return self.bad("a cell range reference is implausibly long"),
            }
        }
        // Tables: `table_by_name` allocates the table's box, and the metadata
        // reader shifts its rows by the header count in u32 arithmetic.
        if l == b"table"
            && let Some((r0, c0, r1, c1)) = attr(attrs, b"ref")
                .and_then(XAttr::value)
                .and_then(range_of)
        {
            let cells = u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1));
            if cells > self.limits.max_cells {
                return Err(Refusal::HugeSheet {
                    sheet: clean_name(self.sheet),
                    rows: u64::from(r1 - r0 + 1),
                    cols: u64::from(c1 - c0 + 1),
                });
            }
            let count = |k: &[u8], d: u32| match attr(attrs, k).and_then(XAttr::value) {
                None => Some(d),
                Some(v) => std::str::from_utf8(v)
                    .ok()
                    .and_then(|s| s.parse::<u32>().ok()),
            };
            if let (Some(h), Some(t)) = (count(b"headerRowCount", 1), count(b"totalsRowCount", 0))
                && ((h != 0 && r0.checked_add(h).is_none()) || (t != 0 && r1 < h))
            {
                return self.bad("a table's header or total rows lie outside the table");
            }
        }
        // Shared formulas: calamine resizes a table to `si + 1` entries.
        if attr(attrs, b"t").and_then(XAttr::value) == Some(b"shared")
            && attr(attrs, b"ref").is_some()
        {
            self.shared_anchors += 1;
            if let Some(a) = attr(attrs, b"si") {
                let si = a
                    .value()
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .and_then(|s| s.parse::<u64>().ok());
                match si {
                    Some(si) => self.max_si = self.max_si.max(si),
                    None if a.val_trunc => {
                        return self.bad("a shared formula index is implausibly large");
                    }
                    None => {}
                }
            }
        }
        Ok(())
    }

    fn start(&mut self, name: &[u8], attrs: &[XAttr]) -> Result<(), Refusal> {
        let l = local(name);
        match &mut self.mode {
            XlMode::Before => {
                if l == b"sheetData" {
                    self.mode = XlMode::Sheet;
                }
            }
            XlMode::Sheet => match l {
                b"row" => {
                    if let Some(a) = attr(attrs, b"r") {
                        match a.value().map(parse_ref) {
                            Some(RefParse::Ok(r, _)) => self.row = u64::from(r),
                            Some(RefParse::Err) => self.mode = XlMode::After,
                            Some(RefParse::Overflow) | None => {
                                return self.bad("a row number is too large to be valid");
                            }
                        }
                    }
                }
                b"c" => {
                    if attr_count(attrs, b"r") > 1 || attr_count(attrs, b"t") > 1 {
                        return self.bad("a cell has two positions or two types");
                    }
                    self.pos = match attr(attrs, b"r") {
                        Some(a) => match a.value().map(parse_ref) {
                            Some(RefParse::Ok(r, Some(c))) => {
                                self.col = u64::from(c);
                                Some((u64::from(r), u64::from(c)))
                            }
                            Some(RefParse::Ok(_, None)) | Some(RefParse::Err) => {
                                self.mode = XlMode::After;
                                return Ok(());
                            }
                            Some(RefParse::Overflow) | None => {
                                return self.bad("a cell reference is too large to be valid");
                            }
                        },
                        None => Some((self.row, self.col)),
                    };
                    self.t = attr(attrs, b"t").map(|a| a.val.clone());
                    self.value = false;
                    self.value_text = 0;
                    self.mode = XlMode::Cell;
                }
                _ => {}
            },
            XlMode::Cell => {
                self.child_text = 0;
                self.idx_text.clear();
                let t = self.t.as_deref();
                match l {
                    b"is" => {
                        self.value = true;
                        self.mode = XlMode::Inline(name.to_vec());
                    }
                    b"v" if matches!(t, Some(b"inlineStr") | Some(b"is")) => {
                        self.value = false;
                        self.mode = XlMode::Skip(name.to_vec(), 0);
                    }
                    b"v" if matches!(
                        t,
                        None | Some(b"n") | Some(b"s") | Some(b"b") | Some(b"e")
                    ) =>
                    {
                        self.value = false;
                        self.mode = XlMode::VFirst(name.to_vec());
                    }
                    b"v" => {
                        self.value = true;
                        self.mode = XlMode::VText(name.to_vec());
                    }
                    b"f" => {
                        self.value = false;
                        self.mode = XlMode::Skip(name.to_vec(), 0);
                    }
                    _ => {
                        // calamine stops with an error here; count the cell anyway.
                        self.value = true;
                        self.mode = XlMode::Skip(name.to_vec(), 0);
                    }
                }
            }
            XlMode::VFirst(q) => {
                // first event is another element: value stays empty, skip to `</v>`
                let depth = u32::from(name == q.as_slice());
                let q = std::mem::take(q);
                self.mode = XlMode::Skip(q, depth);
            }
            XlMode::Skip(q, depth) => {
                if name == q.as_slice() {
                    *depth = depth.saturating_add(1);
                }
            }
            XlMode::VText(_) | XlMode::Inline(_) | XlMode::After => {}
        }
        Ok(())
    }

    fn end(&mut self, name: &[u8]) -> Result<(), Refusal> {
        let l = local(name);
        match &mut self.mode {
            XlMode::Before | XlMode::After => {}
            XlMode::Sheet => match l {
                b"row" => {
                    if self.row >= u64::from(u32::MAX) {
                        return self.bad("a row number is too large to be valid");
                    }
                    self.row += 1;
                    self.col = 0;
                }
                b"sheetData" => self.mode = XlMode::After,
                _ => {}
            },
            XlMode::Cell => {
                if l == b"c" {
                    self.finish_cell()?;
                }
            }
            XlMode::VFirst(q) => {
                if name == q.as_slice() {
                    self.mode = XlMode::Cell; // `<v></v>`: empty
                } else {
                    let q = std::mem::take(q);
                    self.mode = XlMode::Skip(q, 0);
                }
            }
            XlMode::VText(q) | XlMode::Inline(q) => {
                if name == q.as_slice() {
                    self.value_text = self.child_text;
                    self.mode = XlMode::Cell;
                }
            }
            XlMode::Skip(q, depth) => {
                if name == q.as_slice() {
                    if *depth == 0 {
                        self.mode = XlMode::Cell;
                    } else {
                        *depth -= 1;
                    }
                }
            }
        }
        Ok(())
    }

    fn text_event(&mut self, txt: &[u8]) {
        match &mut self.mode {
            XlMode::VFirst(q) => {
                // a value: numbers, booleans, errors carry no text; a shared string
                // copies the table entry it points to
                self.value = true;
                self.child_text = txt.len() as u64;
                push_index_text(&mut self.idx_text, txt);
                let q = std::mem::take(q);
                self.mode = XlMode::Skip(q, 0);
                self.idx_open = true;
            }
            XlMode::VText(_) | XlMode::Inline(_) => {
                self.child_text = self.child_text.saturating_add(txt.len() as u64);
            }
            XlMode::Skip(..) if self.idx_open => {
                // the same text event, split by our chunking
                self.child_text = self.child_text.saturating_add(txt.len() as u64);
                push_index_text(&mut self.idx_text, txt);
            }
            _ => {}
        }
    }

    fn finish_cell(&mut self) -> Result<(), Refusal> {
        self.mode = XlMode::Sheet;
        let Some((r, c)) = self.pos.take() else {
            return Ok(());
        };
        if self.value {
            self.bbox.add(r, c);
            self.bbox.check(self.sheet, self.limits)?;
            let bytes = if self.t.as_deref() == Some(b"s") {
                let idx = std::str::from_utf8(&self.idx_text)
                    .ok()
                    .and_then(|s| s.parse::<usize>().ok())
                    .unwrap_or(0);
                self.sst.get(idx).map_or(0, |&code| len_decode(code))
            } else if matches!(
                self.t.as_deref(),
                None | Some(b"n") | Some(b"b") | Some(b"e")
            ) {
                0
            } else {
                self.value_text
            };
            self.text = self.text.saturating_add(bytes);
            if self.text > self.limits.max_string_bytes {
                return Err(Refusal::HugeText {
                    sheet: clean_name(self.sheet),
                    bytes: self.text,
                });
            }
        }
        if c >= u64::from(u32::MAX) {
            return self.bad("a column number is too large to be valid");
        }
        self.col = c + 1;
        Ok(())
    }

    fn finish(&self) -> Result<(), Refusal> {
        self.bbox.check(self.sheet, self.limits)?;
        if self.max_si > self.shared_anchors.saturating_add(4096) {
            return self
                .bad("a shared formula index is far larger than the number of shared formulas");
        }
        Ok(())
    }
}

// ===========================================================================
// Excel binary workbooks (mirrors calamine's xlsb reader)
// ===========================================================================

/// Largest xlsb record `check` accepts (calamine itself allocates up to 256 MiB).
const XLSB_MAX_RECORD: usize = 32 << 20;
/// Deepest nesting of `PtgMemFunc` accepted (calamine recurses once per level).
const MAX_FORMULA_DEPTH: u32 = 64;
/// Number of entries in calamine's built-in function table (`FTAB`).
const FTAB_LEN: usize = 485;

/// Reads a zip part through a bounded counter.
struct Bounded<'r> {
    inner: &'r mut dyn Read,
    left: u64,
    over: bool,
}

impl Read for Bounded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            self.over = true;
            return Ok(0);
        }
        self.left -= n as u64;
        Ok(n)
    }
}

impl ZipView<'_> {
    /// Runs `f` over a bounded reader of part `i`; `None` when the part cannot be
    /// opened (calamine cannot open it either).
    pub(crate) fn with_reader<T>(
        &mut self,
        i: usize,
        f: impl FnOnce(&mut dyn Read) -> Result<T, Refusal>,
    ) -> Result<Option<T>, Refusal> {
        let name = self.name(i);
        let declared = self.sizes.get(i).copied().unwrap_or(0);
        let left = declared.saturating_add(1).min(self.budget);
        let Ok(mut file) = self.zip.by_index(i) else {
            return Ok(None);
        };
        let mut br = std::io::BufReader::with_capacity(
            CHUNK,
            Bounded {
                inner: &mut file,
                left,
                over: false,
            },
        );
        let out = f(&mut br)?;
        let b = br.into_inner();
        let used = left - b.left;
        if b.over {
            return Err(Refusal::ZipBomb {
                entry: name,
                detail: "it expands beyond its declared size".into(),
            });
        }
        self.budget = self.budget.saturating_sub(used);
        Ok(Some(out))
    }
}

/// calamine's `RecordIter` with its reusable buffer (whose stale bytes calamine
/// sometimes reads).
pub(crate) struct XlsbRecs<'r> {
    r: &'r mut dyn Read,
    buf: Vec<u8>,
    part: String,
}

impl<'r> XlsbRecs<'r> {
    pub(crate) fn new(r: &'r mut dyn Read, part: String) -> Self {
        XlsbRecs {
            r,
            buf: Vec::new(),
            part,
        }
    }

    fn u8(&mut self) -> Option<u8> {
        let mut b = [0u8; 1];
        self.r.read_exact(&mut b).ok()?;
        Some(b[0])
    }

    /// `None` at the end of the part (calamine returns an I/O error).
    fn read_type(&mut self) -> Option<u16> {
        let b = self.u8()?;
        if b & 0x80 == 0x80 {
            let b2 = self.u8()?;
            Some(u16::from(b & 0x7F) + (u16::from(b2 & 0x7F) << 7))
        } else {
            Some(u16::from(b))
        }
    }

    /// `fill_buffer`: `Ok(None)` at the end of the part.
    fn fill(&mut self) -> Result<Option<usize>, Refusal> {
        let Some(mut b) = self.u8() else {
            return Ok(None);
        };
        let mut len = usize::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            let Some(nb) = self.u8() else { return Ok(None) };
            b = nb;
            len += usize::from(b & 0x7F) << (7 * i);
        }
        if len > XLSB_MAX_RECORD {
            return Err(Refusal::CorruptSheet {
                sheet: clean_name(&self.part),
                detail: format!("a record claims {}", human_bytes(len as u64)),
            });
        }
        if self.buf.len() < len {
            self.buf.resize(len, 0);
        }
        let Some(dst) = self.buf.get_mut(..len) else {
            return Ok(None);
        };
        if self.r.read_exact(dst).is_err() {
            return Ok(None);
        }
        Ok(Some(len))
    }

    /// The next record: its type and payload (`None` at the end of the part, on a truncated
    /// record or one longer than calamine would read).
    pub(crate) fn next_record(&mut self) -> Option<(u16, &[u8])> {
        let typ = self.read_type()?;
        let len = self.fill().ok()??;
        Some((typ, self.buf.get(..len)?))
    }

    /// `next_skip_blocks`; `Ok(None)` at the end of the part.
    fn skip_to(
        &mut self,
        want: u16,
        bounds: &[(u16, Option<u16>)],
    ) -> Result<Option<usize>, Refusal> {
        loop {
            let Some(typ) = self.read_type() else {
                return Ok(None);
            };
            let Some(len) = self.fill()? else {
                return Ok(None);
            };
            if typ == want {
                return Ok(Some(len));
            }
            if let Some(end) = bounds.iter().find(|b| b.0 == typ).and_then(|b| b.1) {
                loop {
                    let Some(t) = self.read_type() else {
                        return Ok(None);
                    };
                    if t == end {
                        break;
                    }
                    if self.fill()?.is_none() {
                        return Ok(None);
                    }
                }
                if self.fill()?.is_none() {
                    return Ok(None);
                }
            }
        }
    }
}

/// UTF-8 length of `units` UTF-16LE code units stored in `b`.
fn utf16_utf8_len(b: &[u8]) -> u64 {
    let mut n = 0u64;
    for c in b.chunks_exact(2) {
        let u = u16::from_le_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ]);
        n += match u {
            0..=0x7F => 1,
            0x80..=0x7FF => 2,
            0xD800..=0xDFFF => 3, // half of a 4-byte pair, or U+FFFD for a lone one
            _ => 3,
        };
    }
    n
}

/// calamine's xlsb `wide_str`: `Some((consumed, utf8_len))` or `None` (an error).
fn wide_str(b: &[u8]) -> Option<(usize, u64)> {
    let n = usize::try_from(u32_at(b, 0)?).ok()?;
    let end = n.checked_mul(2)?.checked_add(4)?;
    let s = b.get(4..end)?;
    Some((end, utf16_utf8_len(s)))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ptg {
    /// Formula fully walked (or calamine returns an ordinary error).
    Fine,
    /// calamine would panic or recurse too deeply.
    Panic(&'static str),
}

/// In the formula walkers: return `$short` unless `$r` holds `$n` more bytes.
macro_rules! need {
    ($r:ident, $short:ident, $n:expr) => {
        if $r.len() < $n {
            return $short;
        }
    };
}

/// In the formula walkers: skip `$n` bytes of `$r`, or return `$short`.
macro_rules! adv {
    ($r:ident, $short:ident, $n:expr) => {
        $r = match $r.get($n..) {
            Some(x) => x,
            None => return $short,
        }
    };
}

/// Mirrors the byte consumption of calamine's xlsb `parse_formula`.
fn xlsb_ptgs(mut r: &[u8], sheets: usize, depth: u32) -> Ptg {
    if depth > MAX_FORMULA_DEPTH {
        return Ptg::Panic("a formula is nested too deeply");
    }
    let short = Ptg::Panic("a formula is truncated");
    while let Some((&ptg, rest)) = r.split_first() {
        r = rest;
        match ptg {
            0x3a | 0x5a | 0x7a | 0x3b | 0x5b | 0x7b | 0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d => {
                need!(r, short, 2);
                let ixti = usize::from(u16_at(r, 0).unwrap_or(0));
                if ixti >= sheets {
                    return Ptg::Panic("a formula refers to a sheet that does not exist");
                }
                let size = match ptg {
                    0x3a | 0x5a | 0x7a | 0x3c | 0x5c | 0x7c => 8,
                    _ => 14,
                };
                need!(r, short, size);
                if matches!(ptg, 0x3a | 0x5a | 0x7a | 0x3b | 0x5b | 0x7b)
                    && u32_at(r, 2) == Some(u32::MAX)
                {
                    return Ptg::Panic("a formula refers to a row beyond the grid");
                }
                if matches!(ptg, 0x3b | 0x5b | 0x7b) && u32_at(r, 6) == Some(u32::MAX) {
                    return Ptg::Panic("a formula refers to a row beyond the grid");
                }
                adv!(r, short, size);
            }
            0x01 => adv!(r, short, 4),
            0x03..=0x16 => {}
            0x17 => {
                need!(r, short, 2);
                let cch = usize::from(u16_at(r, 0).unwrap_or(0));
                adv!(r, short, 2 + 2 * cch);
            }
            0x18 => {
                need!(r, short, 1);
                match r.first() {
                    Some(0x19) => adv!(r, short, 13),
                    Some(0x1D) => adv!(r, short, 5),
                    _ => return Ptg::Fine,
                }
            }
            0x19 => {
                need!(r, short, 1);
                match r.first() {
                    Some(0x01 | 0x02 | 0x08 | 0x20 | 0x21 | 0x40 | 0x41 | 0x80 | 0x10) => {
                        adv!(r, short, 3)
                    }
                    Some(0x04) => adv!(r, short, 11),
                    _ => return Ptg::Fine,
                }
            }
            0x1C => {
                need!(r, short, 1);
                if !matches!(
                    r.first(),
                    Some(0x00 | 0x07 | 0x0F | 0x17 | 0x1D | 0x24 | 0x2A | 0x2B)
                ) {
                    return Ptg::Fine;
                }
                adv!(r, short, 1);
            }
            0x1D => adv!(r, short, 1),
            0x1E => adv!(r, short, 2),
            0x1F => adv!(r, short, 8),
            0x20 | 0x40 | 0x60 => adv!(r, short, 14),
            0x21 | 0x41 | 0x61 => {
                need!(r, short, 2);
                let iftab = usize::from(u16_at(r, 0).unwrap_or(0));
                if iftab > FTAB_LEN {
                    return Ptg::Fine;
                }
                if iftab == FTAB_LEN {
                    return Ptg::Panic("a formula calls an unknown function");
                }
                adv!(r, short, 2);
            }
            0x22 | 0x42 | 0x62 => {
                need!(r, short, 3);
                if usize::from(u16_at(r, 1).unwrap_or(0)) >= FTAB_LEN {
                    return Ptg::Panic("a formula calls an unknown function");
                }
                adv!(r, short, 3);
            }
            0x23 | 0x43 | 0x63 => {
                need!(r, short, 4);
                if u32_at(r, 0) == Some(0) {
                    return Ptg::Panic("a formula refers to name number 0");
                }
                adv!(r, short, 4);
            }
            0x24 | 0x44 | 0x64 => {
                need!(r, short, 6);
                if u32_at(r, 0) == Some(u32::MAX) {
                    return Ptg::Panic("a formula refers to a row beyond the grid");
                }
                adv!(r, short, 6);
            }
            0x25 | 0x45 | 0x65 => {
                need!(r, short, 12);
                if u32_at(r, 0) == Some(u32::MAX) || u32_at(r, 4) == Some(u32::MAX) {
                    return Ptg::Panic("a formula refers to a row beyond the grid");
                }
                adv!(r, short, 12);
            }
            0x2A | 0x4A | 0x6A => adv!(r, short, 6),
            0x2B | 0x4B | 0x6B => adv!(r, short, 12),
            0x29 | 0x49 | 0x69 => {
                need!(r, short, 2);
                let cce = usize::from(u16_at(r, 0).unwrap_or(0));
                let Some(inner) = r.get(2..2 + cce) else {
                    return short;
                };
                if let Ptg::Panic(d) = xlsb_ptgs(inner, sheets, depth + 1) {
                    return Ptg::Panic(d);
                }
                adv!(r, short, 2 + cce);
            }
            0x39 | 0x59 | 0x79 => adv!(r, short, 6),
            _ => return Ptg::Fine,
        }
    }
    Ptg::Fine
}

/// Shared string lengths of `xl/sharedStrings.bin`; `Ok(None)` when calamine fails
/// to open the workbook at that point.
fn xlsb_shared_strings(zip: &mut ZipView<'_>, limits: &Limits) -> Result<Option<Vec<u8>>, Refusal> {
    let Some(i) = zip.lookup("xl/sharedStrings.bin") else {
        return Ok(Some(Vec::new()));
    };
    let part = zip.name(i);
    let _ = limits;
    let r = zip.with_reader(i, |rd| {
        let mut it = XlsbRecs::new(rd, part.clone());
        if it.skip_to(0x009F, &[])?.is_none() {
            return Ok(None);
        }
        let Some(count) = u32_at(&it.buf, 4) else {
            return corrupt_sheet(&part, "the shared strings header is truncated");
        };
        let mut lens = Vec::new();
        for _ in 0..count {
            if it.skip_to(0x0013, &[(0x0023, Some(0x0024))])?.is_none() {
                return Ok(None);
            }
            match wide_str(tail(&it.buf, 1)) {
                Some((_, n)) => lens.push(len_code(n)),
                None => return Ok(None),
            }
        }
        Ok(Some(lens))
    })?;
    Ok(r.flatten())
}

/// `Ok(false)` when calamine fails to open the workbook at that point.
fn xlsb_styles(zip: &mut ZipView<'_>) -> Result<bool, Refusal> {
    let Some(i) = zip.lookup("xl/styles.bin") else {
        return Ok(true);
    };
    let part = zip.name(i);
    let r = zip.with_reader(i, |rd| {
        let mut it = XlsbRecs::new(rd, part.clone());
        loop {
            let Some(typ) = it.read_type() else {
                return Ok(false);
            };
            match typ {
                0x0267 | 0x0269 => {
                    if it.fill()?.is_none() {
                        return Ok(false);
                    }
                    let Some(n) = u32_at(&it.buf, 0) else {
                        return corrupt_sheet(&part, "a style list header is truncated");
                    };
                    let want = if typ == 0x0267 { 0x002C } else { 0x002F };
                    for _ in 0..n {
                        if it.skip_to(want, &[])?.is_none() {
                            return Ok(false);
                        }
                        if typ == 0x0267 && wide_str(tail(&it.buf, 2)).is_none() {
                            return Ok(false);
                        }
                    }
                    if typ == 0x0269 {
                        return Ok(true);
                    }
                }
                _ => {}
            }
            it.buf.clear();
        }
    })?;
    Ok(r.unwrap_or(true))
}

struct XlsbBook {
    sheets: Vec<(String, String)>,
    extern_sheets: usize,
}

/// Mirrors `read_workbook`; `Ok(None)` when calamine fails to open the workbook.
fn xlsb_workbook(
    zip: &mut ZipView<'_>,
    rels: &HashMap<String, String>,
) -> Result<Option<XlsbBook>, Refusal> {
    let Some(i) = zip.lookup("xl/workbook.bin") else {
        return Ok(None);
    };
    let part = zip.name(i);
    let r = zip.with_reader(i, |rd| {
        let mut it = XlsbRecs::new(rd, part.clone());
        let mut book = XlsbBook {
            sheets: Vec::new(),
            extern_sheets: 0,
        };
        let bad = |d: &str| corrupt_sheet::<Option<XlsbBook>>(&part, d.to_string());
        loop {
            let Some(typ) = it.read_type() else {
                return Ok(None);
            };
            match typ {
                0x0099 => {
                    if it.fill()?.is_none() {
                        return Ok(None);
                    }
                    if it.buf.is_empty() {
                        return bad("the workbook properties record is empty");
                    }
                }
                0x009C => {
                    let Some(len) = it.fill()? else {
                        return Ok(None);
                    };
                    if len < 12 {
                        return bad("a sheet entry is truncated");
                    }
                    let rel_len = u32_at(&it.buf, 8).unwrap_or(0);
                    if rel_len != u32::MAX {
                        let rl = (rel_len as usize).saturating_mul(2);
                        let Some(relid) = it.buf.get(12..12usize.saturating_add(rl)) else {
                            return bad("a sheet entry is truncated");
                        };
                        if relid.starts_with(&[0xFF, 0xFE])
                            || relid.starts_with(&[0xFE, 0xFF])
                            || relid.starts_with(&[0xEF, 0xBB, 0xBF])
                        {
                            return bad("a sheet entry starts with a byte-order mark");
                        }
                        let units: Vec<u16> = relid
                            .chunks_exact(2)
                            .map(|c| {
                                u16::from_le_bytes([
                                    c.first().copied().unwrap_or(0),
                                    c.get(1).copied().unwrap_or(0),
                                ])
                            })
                            .collect();
                        let relid: String = char::decode_utf16(units)
                            .map(|c| c.unwrap_or('\u{FFFD}'))
                            .collect();
                        let Some(target) = rels.get(&relid) else {
                            return bad("a sheet points to a relationship that does not exist");
                        };
                        let path = format!("xl/{target}");
                        if u32_at(&it.buf, 0).is_none_or(|v| v > 2) {
                            return Ok(None);
                        }
                        if !matches!(
                            path.split('/').nth(1),
                            Some("worksheets" | "chartsheets" | "dialogsheets")
                        ) {
                            return Ok(None);
                        }
                        let name_at = rl.saturating_add(12);
                        if name_at > len {
                            return bad("a sheet entry is truncated");
                        }
                        let Some(name_bytes) = it.buf.get(name_at..len) else {
                            return Ok(None);
                        };
                        let Some((used, _)) = wide_str(name_bytes) else {
                            return Ok(None);
                        };
                        let units: Vec<u16> = name_bytes
                            .get(4..used)
                            .unwrap_or(&[])
                            .chunks_exact(2)
                            .map(|c| {
                                u16::from_le_bytes([
                                    c.first().copied().unwrap_or(0),
                                    c.get(1).copied().unwrap_or(0),
                                ])
                            })
                            .collect();
                        let name: String = char::decode_utf16(units)
                            .map(|c| c.unwrap_or('\u{FFFD}'))
                            .collect();
                        if book.sheets.len() < 100_000 {
                            book.sheets.push((name, path));
                        }
                    }
                }
                0x0090 => {
                    if it.fill()?.is_none() {
                        return Ok(None);
                    }
                    break;
                }
                _ => {
                    if it.fill()?.is_none() {
                        return Ok(None);
                    }
                }
            }
            it.buf.clear();
        }
        // Defined names (the buffer is no longer cleared).
        loop {
            let Some(typ) = it.read_type() else {
                return Ok(None);
            };
            match typ {
                0x016A => {
                    if it.fill()?.is_none() {
                        return Ok(None);
                    }
                    let Some(cxti) = u32_at(&it.buf, 0) else {
                        return bad("the external sheet list is truncated");
                    };
                    let body = it.buf.len() - 4;
                    let chunks = body.div_ceil(12);
                    let rem = body % 12;
                    let taken = (cxti as usize).min(chunks);
                    if taken == chunks && (1..8).contains(&rem) {
                        return bad("the external sheet list is truncated");
                    }
                    book.extern_sheets = taken;
                }
                0x0027 => {
                    let Some(len) = it.fill()? else {
                        return Ok(None);
                    };
                    let rec = it.buf.get(..len).unwrap_or(&[]);
                    let Some((str_len, _)) = rec.get(9..).and_then(wide_str) else {
                        return Ok(None);
                    };
                    let rgce_start = 13 + str_len;
                    let Some(rgce_len) =
                        rec.get(9 + str_len..rgce_start).and_then(|b| u32_at(b, 0))
                    else {
                        return Ok(None);
                    };
                    let Some(rgce) =
                        rec.get(rgce_start..rgce_start.saturating_add(rgce_len as usize))
                    else {
                        return Ok(None);
                    };
                    if let Ptg::Panic(d) = xlsb_ptgs(rgce, book.extern_sheets, 0) {
                        return bad(d);
                    }
                }
                0x009D | 0x0225 | 0x018D | 0x0180 | 0x009A | 0x0252 | 0x0229 | 0x009B | 0x0084 => {
                    return Ok(Some(book));
                }
                _ => {
                    if it.fill()?.is_none() {
                        return Ok(None);
                    }
                }
            }
        }
    })?;
    Ok(r.flatten())
}

fn xlsb_check(zip: &mut ZipView<'_>, limits: &Limits) -> Result<(), Refusal> {
    check_vba_part(zip, "xl/vbaProject.bin")?;
    let Some(sst) = xlsb_shared_strings(zip, limits)? else {
        return Ok(());
    };
    if !xlsb_styles(zip)? {
        return Ok(());
    }
    let rels = match zip.exact("xl/_rels/workbook.bin.rels") {
        Some(i) => read_rels_strict(zip, i)?,
        None => HashMap::new(),
    };
    let Some(book) = xlsb_workbook(zip, &rels)? else {
        return Ok(());
    };
    for (name, path) in &book.sheets {
        let Some(i) = zip.lookup(path) else { continue };
        xlsb_sheet(zip, i, name, &sst, book.extern_sheets, false, limits)?;
        xlsb_sheet(zip, i, name, &sst, book.extern_sheets, true, limits)?;
    }
    Ok(())
}

/// The package of `bytes` opened as [`check`] opens it (`None` when it would refuse the zip).
pub(crate) fn open_package<'a>(bytes: &'a [u8], limits: &Limits) -> Option<ZipView<'a>> {
    ZipView::open(bytes, &limits.effective()).ok()
}

/// (name, part) of each sheet of an `.xlsb` package, as calamine's reader lists them; `None`
/// when calamine would not open the workbook.
pub(crate) fn xlsb_sheets(zip: &mut ZipView<'_>) -> Option<Vec<(String, String)>> {
    let rels = match zip.exact("xl/_rels/workbook.bin.rels") {
        Some(i) => read_rels_strict(zip, i).ok()?,
        None => HashMap::new(),
    };
    Some(xlsb_workbook(zip, &rels).ok()??.sheets)
}

/// `.rels` as calamine's xlsb reader builds it: exact element and attribute
/// names; an element with a repeated `Id`/`Target` is left out (calamine's
/// attribute lookup may miss it too).
fn read_rels_strict(zip: &mut ZipView<'_>, i: usize) -> Result<HashMap<String, String>, Refusal> {
    let mut map = HashMap::new();
    scan_xml(zip, i, &mut |t| {
        if let XTok::Start {
            name: b"Relationship",
            attrs,
            ..
        } = t
            && attr_count(attrs, b"Id") == 1
            && attr_count(attrs, b"Target") == 1
            && map.len() < 100_000
        {
            let id = attr(attrs, b"Id").and_then(XAttr::value);
            let target = attr(attrs, b"Target")
                .and_then(XAttr::value)
                .and_then(xml_unescape);
            if let (Some(id), Some(target)) = (id, target) {
                map.insert(String::from_utf8_lossy(id).into_owned(), target);
            }
        }
        Ok(true)
    })?;
    Ok(map)
}

/// Mirrors `XlsbCellsReader` (values with `formulas == false`, else formulas).
fn xlsb_sheet(
    zip: &mut ZipView<'_>,
    i: usize,
    sheet: &str,
    sst: &[u8],
    extern_sheets: usize,
    formulas: bool,
    limits: &Limits,
) -> Result<(), Refusal> {
    let part = zip.name(i);
    zip.with_reader(i, |rd| {
        let mut it = XlsbRecs::new(rd, part.clone());
        if it
            .skip_to(0x0094, &[(0x0081, None), (0x0093, None)])?
            .is_none()
        {
            return Ok(());
        }
        if it.buf.len() < 16 {
            return corrupt_sheet(sheet, "the sheet size record is truncated");
        }
        let bounds = [
            (0x0085, Some(0x0086)),
            (0x0025, Some(0x0026)),
            (0x01E5, None),
            (0x0186, Some(0x0187)),
        ];
        if it.skip_to(0x0091, &bounds)?.is_none() {
            return Ok(());
        }
        let mut row = 0u64;
        let mut bbox = BBox::default();
        let mut text = 0u64;
        loop {
            let Some(typ) = it.read_type() else {
                return Ok(());
            };
            if it.fill()?.is_none() {
                return Ok(());
            }
            let b = &mut it.buf;
            if typ == 0x0000 {
                let r = u32_at(b, 0).unwrap_or(0);
                if r > 0x0010_0000 {
                    return Ok(());
                }
                row = u64::from(r);
                continue;
            }
            if typ == 0x0092 {
                return Ok(());
            }
            let cell = if !formulas {
                match typ {
                    0x0002 => {
                        if let Some(x) = b.get_mut(8) {
                            *x &= 0xFC;
                        }
                        true
                    }
                    0x0003 => {
                        if !matches!(
                            b.get(8),
                            Some(0x00 | 0x07 | 0x0F | 0x17 | 0x1D | 0x24 | 0x2A | 0x2B)
                        ) {
                            return Ok(());
                        }
                        true
                    }
                    0x0004 | 0x000A | 0x0005 | 0x0009 => true,
                    0x0006 | 0x0008 => match wide_str(tail(b, 8)) {
                        Some((_, n)) => {
                            text = text.saturating_add(n);
                            true
                        }
                        None => return Ok(()),
                    },
                    0x0007 => {
                        let isst = u32_at(b, 8).unwrap_or(0) as usize;
                        match sst.get(isst) {
                            Some(&code) => text = text.saturating_add(len_decode(code)),
                            None => {
                                return corrupt_sheet(
                                    sheet,
                                    "a cell points to a shared string that does not exist",
                                );
                            }
                        }
                        true
                    }
                    _ => false,
                }
            } else {
                let start = match typ {
                    0x0008 => {
                        let cch = u32_at(b, 8).unwrap_or(0) as usize;
                        Some(cch.saturating_mul(2).saturating_add(14))
                    }
                    0x0009 => Some(18),
                    0x000A | 0x000B => Some(11),
                    _ => None,
                };
                match start {
                    None => false,
                    Some(s) => {
                        let Some(f) = b.get(s..) else {
                            return corrupt_sheet(sheet, "a formula record is truncated");
                        };
                        let Some(cce) = u32_at(f, 0) else {
                            return corrupt_sheet(sheet, "a formula record is truncated");
                        };
                        let Some(rgce) = f.get(4..4usize.saturating_add(cce as usize)) else {
                            return corrupt_sheet(sheet, "a formula record is truncated");
                        };
                        if let Ptg::Panic(d) = xlsb_ptgs(rgce, extern_sheets, 0) {
                            return corrupt_sheet(sheet, d);
                        }
                        true
                    }
                }
            };
            if cell {
                let col = u64::from(u32_at(b, 0).unwrap_or(0));
                bbox.add(row, col);
                bbox.check(sheet, limits)?;
                if text > limits.max_string_bytes {
                    return Err(Refusal::HugeText {
                        sheet: clean_name(sheet),
                        bytes: text,
                    });
                }
            }
        }
    })?;
    Ok(())
}

// ===========================================================================
// Compound file (mirrors calamine's cfb.rs, including its reading order)
// ===========================================================================

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// Most CONTINUE records accepted after one BIFF record (and, lower, after the
/// shared string table, which calamine consumes in quadratic time).
const MAX_CONTINUES: usize = 65_536;
const MAX_SST_CONTINUES: usize = 16_384;

#[derive(Debug, Clone)]
struct DirEntry {
    name: String,
    typ: u8,
    start: u32,
    len: u64,
}

pub(crate) struct Cfb<'a> {
    file: &'a [u8],
    /// Bytes the header read consumed (512, or 4096 for 4 KiB sectors).
    hdr: usize,
    size: usize,
    maxid: u32,
    /// Length of calamine's sector cache (`Sectors::data`).
    loaded: usize,
    /// Bytes actually obtained from the file after the header.
    real: usize,
    fats: Vec<u32>,
    dirs: Vec<DirEntry>,
    ministream: Vec<u8>,
    mini_fats: Vec<u32>,
}

fn cfb_bad<T>(detail: &str) -> Result<T, Refusal> {
    Err(Refusal::CorruptContainer(format!(
        "the compound file structure is broken: {detail}"
    )))
}

/// `to_u32`, which asserts a length that is a multiple of 4.
fn to_u32s(b: &[u8], out: &mut Vec<u32>) -> Result<(), Refusal> {
    if !b.len().is_multiple_of(4) {
        return cfb_bad("a sector is cut short by the end of the file");
    }
    out.extend(b.chunks_exact(4).filter_map(|c| u32_at(c, 0)));
    Ok(())
}

/// encoding_rs `UTF_16LE.decode` (with its byte-order-mark sniffing), truncated at
/// the first NUL like calamine's directory names.
fn decode_dir_name(b: &[u8]) -> String {
    let mut s = if let Some(rest) = b.strip_prefix(&[0xEF, 0xBB, 0xBF][..]) {
        String::from_utf8_lossy(rest).into_owned()
    } else {
        let (body, le) = if let Some(r) = b.strip_prefix(&[0xFF, 0xFE][..]) {
            (r, true)
        } else if let Some(r) = b.strip_prefix(&[0xFE, 0xFF][..]) {
            (r, false)
        } else {
            (b, true)
        };
        let units: Vec<u16> = body
            .chunks(2)
            .map(|c| {
                let (a, z) = (
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                );
                if le {
                    u16::from_le_bytes([a, z])
                } else {
                    u16::from_be_bytes([a, z])
                }
            })
            .collect();
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect()
    };
    if let Some(p) = s.find('\0') {
        s.truncate(p);
    }
    s
}

impl<'a> Cfb<'a> {
    /// `Sectors::get`: `Ok(None)` where calamine returns an error.
    fn get(&mut self, id: u32) -> Result<Option<Vec<u8>>, Refusal> {
        if id > self.maxid {
            return Ok(None);
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        let avail = self.file.len().saturating_sub(self.hdr);
        if start >= avail {
            // calamine slices `data[start..filled]` with `filled < start` on the
            // first read of such a sector
            return cfb_bad("a sector lies beyond the end of the file");
        }
        let mut stop = end;
        if end > self.loaded {
            let need = end - self.loaded;
            let got = need.min(avail.saturating_sub(self.real));
            self.real += got;
            let filled = self.loaded + got;
            self.loaded = end;
            if got < need {
                if filled < start {
                    return cfb_bad("a sector lies beyond the end of the file");
                }
                stop = filled;
            }
        }
        let mut out = vec![0u8; stop - start];
        let from = self.hdr + start;
        if let Some(src) = self.file.get(from..) {
            let n = src.len().min(out.len());
            if let (Some(d), Some(s)) = (out.get_mut(..n), src.get(..n)) {
                d.copy_from_slice(s);
            }
        }
        Ok(Some(out))
    }

    /// `Sectors::get_chain` over the FAT; `Ok(None)` where calamine errors.
    fn chain(&mut self, start: u32, len: u64, collect: bool) -> Result<Option<Vec<u8>>, Refusal> {
        let fats = std::mem::take(&mut self.fats);
        let r = self.chain_with(start, len, collect, &fats);
        self.fats = fats;
        r
    }

    fn chain_with(
        &mut self,
        start: u32,
        len: u64,
        collect: bool,
        fats: &[u32],
    ) -> Result<Option<Vec<u8>>, Refusal> {
        let mut out = Vec::new();
        let mut got = 0u64;
        let mut id = start;
        let mut steps = 0u64;
        while id != ENDOFCHAIN {
            let Some(sec) = self.get(id)? else {
                return Ok(None);
            };
            let take = (sec.len() as u64).min(len - got);
            if collect {
                out.extend_from_slice(sec.get(..take as usize).unwrap_or(&[]));
            }
            got += take;
            if got >= len {
                break;
            }
            match fats.get(id as usize) {
                Some(&next) => id = next,
                None => return cfb_bad("a sector chain leaves the allocation table"),
            }
            steps += 1;
            if steps > u64::from(self.maxid) + 2 {
                return cfb_bad("a sector chain loops");
            }
        }
        Ok(Some(out))
    }

    /// Chain in the mini stream (streams under 4096 bytes).
    fn mini_chain(&mut self, start: u32, len: u64) -> Result<Option<Vec<u8>>, Refusal> {
        let mini_max = u64::from(self.maxid) * 8;
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0u64;
        while id != ENDOFCHAIN {
            if u64::from(id) > mini_max {
                return Ok(None);
            }
            let s = id as usize * 64;
            let Some(sec) = self.ministream.get(s..s + 64) else {
                return cfb_bad("a small stream lies beyond the mini stream");
            };
            let take = 64u64.min(len - out.len() as u64) as usize;
            out.extend_from_slice(sec.get(..take).unwrap_or(&[]));
            if out.len() as u64 >= len {
                break;
            }
            match self.mini_fats.get(id as usize) {
                Some(&next) => id = next,
                None => return cfb_bad("a small-stream chain leaves its allocation table"),
            }
            steps += 1;
            if steps > 4096 {
                return cfb_bad("a small-stream chain loops");
            }
        }
        Ok(Some(out))
    }

    fn find(&self, names: &[&str]) -> Option<usize> {
        self.dirs
            .iter()
            .position(|d| names.iter().any(|n| d.name.eq_ignore_ascii_case(n)))
    }

    /// `get_stream`: `Ok(None)` when calamine returns an error.
    fn stream(&mut self, name: &str) -> Result<Option<Vec<u8>>, Refusal> {
        let Some(d) = self.find(&[name]).and_then(|i| self.dirs.get(i)).cloned() else {
            return Ok(None);
        };
        if d.len < 4096 {
            self.mini_chain(d.start, d.len)
        } else {
            self.chain(d.start, d.len, true)
        }
    }

    /// Walks every stream of the directory the way `get_stream` would read it,
    /// refusing chains that would panic or grow past the file. Bounded overall.
    fn check_all_streams(&mut self) -> Result<(), Refusal> {
        let entries: Vec<DirEntry> = self
            .dirs
            .iter()
            .skip(1)
            .filter(|d| d.typ == 2 && d.len > 0)
            .cloned()
            .collect();
        let mut budget = (u64::from(self.maxid) + 2)
            .saturating_mul(2)
            .saturating_add(64 * entries.len() as u64 + 1000);
        for d in entries {
            let steps = if d.len < 4096 {
                d.len / 64 + 1
            } else {
                (d.len / self.size as u64 + 1).min(u64::from(self.maxid) + 2)
            };
            if steps > budget {
                return cfb_bad("its streams are chained in an implausibly complex way");
            }
            budget -= steps;
            if d.len < 4096 {
                self.mini_chain(d.start, d.len)?;
            } else {
                self.chain(d.start, d.len, false)?;
            }
        }
        Ok(())
    }

    /// The `Workbook` stream, else `Book` (calamine tries `Book` after any error).
    pub(crate) fn workbook_stream(&mut self) -> Result<Option<Vec<u8>>, Refusal> {
        match self.stream("Workbook")? {
            Some(s) => Ok(Some(s)),
            None => self.stream("Book"),
        }
    }
}

/// Mirrors `Cfb::new`, with the header checks calamine leaves out.
pub(crate) fn cfb_open(file: &[u8]) -> Result<Cfb<'_>, Refusal> {
    if file.len() < 512 || !file.starts_with(&CFB_MAGIC) {
        return cfb_bad("the header is truncated");
    }
    let h = |o: usize| u16_at(file, o).unwrap_or(0);
    let w = |o: usize| u32_at(file, o).unwrap_or(0);
    let version = h(26);
    let shift = h(30);
    let size = match shift {
        9 => 512usize,
        12 => 4096usize,
        _ => return cfb_bad("the sector size is invalid"),
    };
    if !matches!(version, 3 | 4) || h(28) != 0xFFFE {
        return cfb_bad("the header version is invalid");
    }
    if h(32) != 6 {
        return cfb_bad("the mini sector size is invalid");
    }
    let hdr = if size == 4096 { 4096 } else { 512 };
    if file.len() < hdr {
        return cfb_bad("the header is truncated");
    }
    let maxid = u32::try_from(file.len() / size).unwrap_or(u32::MAX);
    let sectors = u64::from(maxid) + 1;
    let (fat_len, dir_start, cutoff, mini_fat_start, mini_fat_len, difat_start, difat_len) =
        (w(44), w(48), w(56), w(60), w(64), w(68), w(72));
    if u64::from(fat_len) > sectors
        || u64::from(mini_fat_len) > sectors
        || u64::from(difat_len) > sectors
    {
        return cfb_bad("the header declares more sectors than the file holds");
    }
    if dir_start > maxid {
        return cfb_bad("the directory starts beyond the end of the file");
    }
    if cutoff != 4096 {
        return cfb_bad("the mini stream cutoff is invalid");
    }
    let mut cfb = Cfb {
        file,
        hdr,
        size,
        maxid,
        loaded: 0,
        real: 0,
        fats: Vec::new(),
        dirs: Vec::new(),
        ministream: Vec::new(),
        mini_fats: Vec::new(),
    };
    // DIFAT: 109 entries in the header, then a chain whose last entry links on.
    let mut difat: Vec<u32> = Vec::new();
    to_u32s(file.get(76..512).unwrap_or(&[]), &mut difat)?;
    let mut id = difat_start;
    let mut n = 0u64;
    while id < RESERVED_SECTORS {
        n += 1;
        if n > sectors + 1 {
            return cfb_bad("the sector index chain loops");
        }
        let Some(sec) = cfb.get(id)? else {
            return cfb_bad("the sector index points beyond the file");
        };
        to_u32s(&sec, &mut difat)?;
        match difat.pop() {
            Some(next) => id = next,
            None => return cfb_bad("the sector index is empty"),
        }
    }
    let fat_sectors: Vec<u32> = difat.into_iter().filter(|&x| x < DIFSECT).collect();
    // calamine loads every listed FAT sector, repeats included: a long index of
    // one sector multiplies the file's size in memory.
    let fat_bytes = (fat_sectors.len() as u64).saturating_mul(size as u64);
    if fat_sectors.len() as u64 > sectors && fat_bytes > (file.len() as u64).max(16 * MIB) {
        return cfb_bad("the allocation table is larger than the file");
    }
    let mut fats = Vec::new();
    for fid in fat_sectors {
        let Some(sec) = cfb.get(fid)? else {
            return cfb_bad("the allocation table points beyond the file");
        };
        to_u32s(&sec, &mut fats)?;
    }
    cfb.fats = fats;
    // Directory: the whole chain (calamine reads it without a length bound).
    let Some(dir) = cfb.chain(dir_start, u64::MAX, true)? else {
        return cfb_bad("the directory points beyond the file");
    };
    for e in dir.chunks_exact(128) {
        let name = decode_dir_name(e.get(..64).unwrap_or(&[]));
        let start = u32_at(e, 116).unwrap_or(0);
        let len = if size == 512 {
            u64::from(u32_at(e, 120).unwrap_or(0))
        } else {
            u64_at(e, 120).unwrap_or(0)
        };
        let typ = u8_at(e, 66).unwrap_or(0);
        cfb.dirs.push(DirEntry {
            name,
            typ,
            start,
            len,
        });
    }
    let Some(root) = cfb.dirs.first().cloned() else {
        return cfb_bad("the directory is empty");
    };
    if version != 3 && root.start == ENDOFCHAIN {
        return cfb_bad("the directory is empty");
    }
    if mini_fat_len > 0 {
        let Some(ms) = cfb.chain(root.start, root.len, true)? else {
            return cfb_bad("the mini stream points beyond the file");
        };
        cfb.ministream = ms;
        let bytes = u64::from(mini_fat_len) * size as u64;
        let Some(mf) = cfb.chain(mini_fat_start, bytes, true)? else {
            return cfb_bad("the mini allocation table points beyond the file");
        };
        let mut mini = Vec::new();
        to_u32s(&mf, &mut mini)?;
        cfb.mini_fats = mini;
    }
    Ok(cfb)
}

// ===========================================================================
// BIFF (.xls) workbook stream (mirrors calamine's xls.rs)
// ===========================================================================

pub(crate) struct BiffRec<'s> {
    pub(crate) typ: u16,
    pub(crate) data: &'s [u8],
    cont: Vec<&'s [u8]>,
}

/// calamine's `RecordIter`: `None` at the end, `Some(Err)` where calamine errors.
pub(crate) fn next_rec<'s>(s: &mut &'s [u8]) -> Option<Result<BiffRec<'s>, Refusal>> {
    let cur: &'s [u8] = s;
    if cur.len() < 4 {
        return if cur.is_empty() {
            None
        } else {
            Some(Err(Refusal::Empty))
        };
    }
    let typ = u16_at(cur, 0).unwrap_or(0);
    let len = usize::from(u16_at(cur, 2).unwrap_or(0));
    let (Some(data), Some(mut rest)) = (cur.get(4..4 + len), cur.get(4 + len..)) else {
        *s = &[];
        return Some(Err(Refusal::Empty));
    };
    let mut cont = Vec::new();
    if rest.len() > 4 && u16_at(rest, 0) == Some(0x003C) {
        while rest.len() > 4 && u16_at(rest, 0) == Some(0x003C) {
            let l = usize::from(u16_at(rest, 2).unwrap_or(0));
            let (Some(d), Some(r)) = (rest.get(4..4 + l), rest.get(4 + l..)) else {
                *s = &[];
                return Some(Err(Refusal::Empty));
            };
            if cont.len() >= MAX_CONTINUES {
                return Some(Err(Refusal::CorruptContainer(
                    "a record of the workbook stream is followed by too many continuation records"
                        .into(),
                )));
            }
            cont.push(d);
            rest = r;
        }
    }
    *s = rest;
    Some(Ok(BiffRec { typ, data, cont }))
}

fn biff_has_filepass(stream: &[u8]) -> bool {
    let mut s = stream;
    let mut n = 0u32;
    while let Some(Ok(r)) = next_rec(&mut s) {
        n += 1;
        match r.typ {
            0x002F => return true,
            0x000A => return false,
            _ if n > 1_000_000 => return false,
            _ => {}
        }
    }
    false
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Biff {
    Pre8,
    V8,
}

/// `read_rich_extended_string` over a record and its continuations. Returns the
/// character count, `Ok(None)` where calamine errors.
struct Cursor2<'s> {
    data: &'s [u8],
    cont: std::collections::VecDeque<&'s [u8]>,
}

impl<'s> Cursor2<'s> {
    fn next_cont(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(d) => {
                self.data = d;
                true
            }
            None => false,
        }
    }
    fn skip(&mut self, mut n: u64) -> bool {
        while n > 0 {
            if self.data.is_empty() && !self.next_cont() {
                return false;
            }
            let l = n.min(self.data.len() as u64);
            self.data = tail(self.data, l as usize);
            n -= l;
        }
        true
    }
}

fn sst_string(c: &mut Cursor2<'_>) -> Result<Option<u16>, Refusal> {
    if c.data.is_empty() {
        return Ok(Some(0));
    }
    if c.data.len() < 3 {
        return Ok(None);
    }
    let cch = u16_at(c.data, 0).unwrap_or(0);
    let flags = u8_at(c.data, 2).unwrap_or(0);
    c.data = tail(c.data, 3);
    let mut high = flags & 1 != 0;
    let mut runs = 0u64;
    let mut ext = 0u64;
    if flags & 0x8 != 0 {
        let Some(v) = u16_at(c.data, 0) else {
            return Err(Refusal::Empty);
        };
        runs = u64::from(v);
        c.data = tail(c.data, 2);
    }
    if flags & 0x4 != 0 {
        let Some(v) = u32_at(c.data, 0) else {
            return Err(Refusal::Empty);
        };
        ext = i64::from(v as i32) as u64; // calamine: `read_i32 as usize`
        c.data = tail(c.data, 4);
    }
    let mut left = usize::from(cch);
    while left > 0 {
        let l = if high {
            (c.data.len() / 2).min(left)
        } else {
            c.data.len().min(left)
        };
        let at = if high { 2 * l } else { l };
        c.data = tail(c.data, at);
        left -= l;
        if left > 0 {
            if !c.next_cont() {
                return Ok(None);
            }
            let Some(&f) = c.data.first() else {
                return Err(Refusal::Empty);
            };
            high = f & 1 != 0;
            c.data = tail(c.data, 1);
        }
    }
    if !c.skip(runs * 4) || !c.skip(ext) {
        return Ok(None);
    }
    Ok(Some(cch))
}

/// Mirrors the byte consumption of calamine's xls `parse_formula` on `rgce`
/// (starting with its 2-byte length).
fn xls_ptgs(data: &[u8], biff: Biff) -> Ptg {
    let short = Ptg::Panic("a formula is truncated");
    let Some(cce) = u16_at(data, 0) else {
        return short;
    };
    let Some(mut r) = data.get(2..2 + usize::from(cce)) else {
        return short;
    };
    let pre8 = biff == Biff::Pre8;
    while let Some((&ptg, rest)) = r.split_first() {
        r = rest;
        match ptg {
            0x3a | 0x5a | 0x7a => {
                need!(r, short, 6);
                if u16_at(r, 2) == Some(u16::MAX) {
                    return Ptg::Panic("a formula refers to a row beyond the grid");
                }
                adv!(r, short, 6);
            }
            0x3b | 0x5b | 0x7b | 0x3d | 0x5d | 0x7d => adv!(r, short, 10),
            0x3c | 0x5c | 0x7c => adv!(r, short, 6),
            0x01 => {
                if r.len() < 4 {
                    return Ptg::Fine;
                }
                adv!(r, short, 4);
            }
            0x03..=0x16 => {}
            0x17 => {
                let Some(&cch) = r.first() else {
                    return Ptg::Fine;
                };
                let cch = usize::from(cch);
                if pre8 {
                    if r.len() < 1 + cch {
                        return Ptg::Fine;
                    }
                    adv!(r, short, 1 + cch);
                } else {
                    let Some(&flags) = r.get(1) else {
                        return Ptg::Fine;
                    };
                    let consumed = 1 + if flags & 1 != 0 { 2 * cch } else { cch };
                    if r.len() - 1 < consumed {
                        return Ptg::Fine;
                    }
                    adv!(r, short, 1 + consumed);
                }
            }
            0x18 => adv!(r, short, 5),
            0x19 => {
                need!(r, short, 1);
                let etpg = r.first().copied().unwrap_or(0);
                adv!(r, short, 1);
                match etpg {
                    0x01 | 0x02 | 0x08 | 0x20 | 0x21 | 0x10 => adv!(r, short, 2),
                    0x04 => {
                        need!(r, short, 2);
                        let n = usize::from(u16_at(r, 0).unwrap_or(0)) + 1;
                        adv!(r, short, 2 + 2 * n);
                    }
                    0x40 | 0x41 => {
                        need!(r, short, 1);
                        if !matches!(r.first(), Some(0..=6)) {
                            return Ptg::Fine;
                        }
                        adv!(r, short, 2);
                    }
                    _ => return Ptg::Fine,
                }
            }
            0x1C => {
                need!(r, short, 1);
                if !matches!(
                    r.first(),
                    Some(0x00 | 0x07 | 0x0F | 0x17 | 0x1D | 0x24 | 0x2A | 0x2B)
                ) {
                    return Ptg::Fine;
                }
                adv!(r, short, 1);
            }
            0x1D => adv!(r, short, 1),
            0x1E => adv!(r, short, 2),
            0x1F => adv!(r, short, 8),
            0x20 | 0x40 | 0x60 => adv!(r, short, 7),
            0x22 | 0x42 | 0x62 => adv!(r, short, 3),
            0x21 | 0x41 | 0x61 => {
                need!(r, short, 2);
                if usize::from(u16_at(r, 0).unwrap_or(0)) >= FTAB_LEN {
                    return Ptg::Fine;
                }
                adv!(r, short, 2);
            }
            0x23 | 0x43 | 0x63 => {
                need!(r, short, 4);
                if u32_at(r, 0) == Some(0) {
                    return Ptg::Panic("a formula refers to name number 0");
                }
                adv!(r, short, 4);
            }
            0x24 | 0x44 | 0x64 => {
                if pre8 {
                    adv!(r, short, 3);
                } else {
                    need!(r, short, 4);
                    if u16_at(r, 0) == Some(u16::MAX) {
                        return Ptg::Panic("a formula refers to a row beyond the grid");
                    }
                    adv!(r, short, 4);
                }
            }
            0x25 | 0x45 | 0x65 => adv!(r, short, if pre8 { 6 } else { 8 }),
            0x2A | 0x4A | 0x6A => adv!(r, short, if pre8 { 3 } else { 4 }),
            0x2B | 0x4B | 0x6B => adv!(r, short, if pre8 { 6 } else { 8 }),
            0x39 | 0x59 => adv!(r, short, 6),
            _ => return Ptg::Fine,
        }
    }
    Ptg::Fine
}

/// `parse_defined_names` on a name's formula.
fn xls_name_ptgs(rgce: &[u8], biff: Biff) -> Ptg {
    let Some(&ptg) = rgce.first() else {
        return Ptg::Fine;
    };
    let need = match (ptg, biff) {
        (0x3a | 0x5a | 0x7a, Biff::Pre8) => 18,
        (0x3a | 0x5a | 0x7a, Biff::V8) => 7,
        (0x3b | 0x5b | 0x7b, Biff::Pre8) => 21,
        (0x3b | 0x5b | 0x7b, Biff::V8) => 11,
        (0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d, Biff::Pre8) => 13,
        (0x3c | 0x5c | 0x7c | 0x3d | 0x5d | 0x7d, Biff::V8) => 3,
        _ => 0,
    };
    if rgce.len() < need {
        Ptg::Panic("a defined name is truncated")
    } else {
        Ptg::Fine
    }
}

/// Decodes a BoundSheet8 name for messages (BIFF8 exactly; BIFF5 ASCII only).
fn xls_sheet_name(data: &[u8], biff: Biff, index: usize) -> String {
    let fallback = || format!("sheet {}", index + 1);
    let Some(&cch) = data.get(6) else {
        return fallback();
    };
    let cch = usize::from(cch);
    let s = if biff == Biff::V8 {
        let high = data.get(7).is_some_and(|f| f & 1 != 0);
        let body = tail(data, 8);
        if high {
            let units: Vec<u16> = body
                .chunks_exact(2)
                .take(cch)
                .filter_map(|c| u16_at(c, 0))
                .collect();
            char::decode_utf16(units)
                .map(|c| c.unwrap_or('\u{FFFD}'))
                .collect()
        } else {
            body.iter().take(cch).map(|&b| char::from(b)).collect()
        }
    } else {
        let body: Vec<u8> = tail(data, 7).iter().take(cch).copied().collect();
        if body.is_ascii() {
            String::from_utf8_lossy(&body).into_owned()
        } else {
            return fallback();
        }
    };
    if s.is_empty() { fallback() } else { s }
}

fn xls_check(mut cfb: Cfb<'_>, limits: &Limits) -> Result<(), Refusal> {
    let Some(stream) = cfb.workbook_stream()? else {
        return corrupt("the workbook stream is missing or unreadable");
    };
    // Document properties and VBA streams are read on demand by calamine.
    cfb.check_all_streams()?;
    // Globals substream.
    let mut s: &[u8] = &stream;
    let mut biff = Biff::V8;
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut sst: Vec<u16> = Vec::new();
    let book = "the workbook";
    let bad = |d: &str| corrupt_sheet::<()>(book, d.to_string());
    while let Some(r) = next_rec(&mut s) {
        let r = match r {
            Ok(r) => r,
            Err(Refusal::Empty) => return Ok(()), // calamine stops with an error
            Err(e) => return Err(e),
        };
        let d = r.data;
        match r.typ {
            0x002F => {
                if d.len() < 2 {
                    return bad("the encryption record is truncated");
                }
                return Err(Refusal::Encrypted(Some(Format::Xls)));
            }
            0x0042 | 0x0022 if d.len() < 2 => return bad("a workbook setting record is truncated"),
            0x0809 if d.len() < 2 => return bad("a section header is truncated"),
            0x0809 => {
                let v = u16_at(d, 0).unwrap_or(0);
                let dt = u16_at(d, 2).unwrap_or(0);
                biff = match v {
                    0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500 => Biff::Pre8,
                    0 if dt == 0x1000 => Biff::Pre8,
                    _ => Biff::V8,
                };
            }
            0x0085 => {
                if d.len() < 5 {
                    return bad("a sheet entry is truncated");
                }
                if d.get(4).is_none_or(|hs| hs & 0x3F > 2) {
                    return Ok(());
                }
                if d.len() < 6 {
                    return bad("a sheet entry is truncated");
                }
                if !matches!(d.get(5), Some(0x00 | 0x01 | 0x02 | 0x06)) {
                    return Ok(());
                }
                if biff == Biff::V8 && d.len() < 8 || d.len() < 7 {
                    return Ok(()); // short string: calamine errors
                }
                let pos = u32_at(d, 0).unwrap_or(0) as usize;
                let name = xls_sheet_name(d, biff, sheets.len());
                if pos > stream.len() {
                    return corrupt_sheet(&name, "its position lies beyond the workbook stream");
                }
                if sheets.len() >= 65_536 {
                    return bad("the workbook lists too many sheets");
                }
                sheets.push((pos, name));
            }
            0x0018 => {
                if d.len() < 14 {
                    return bad("a defined name is truncated");
                }
                let cch = usize::from(d.get(3).copied().unwrap_or(0));
                let cce = usize::from(u16_at(d, 4).unwrap_or(0));
                if biff == Biff::V8 {
                    let Some(&flags) = d.get(14) else {
                        return Ok(());
                    };
                    let consumed = 1 + if flags & 1 != 0 { 2 * cch } else { cch };
                    if d.len() - 14 < consumed {
                        return Ok(());
                    }
                }
                if cce > d.len() {
                    return bad("a defined name is truncated");
                }
                if let Ptg::Panic(x) = xls_name_ptgs(tail(d, d.len() - cce), biff) {
                    return bad(x);
                }
            }
            0x0017 if biff == Biff::V8 && d.len() < 2 => {
                return bad("the external sheet list is truncated");
            }
            0x00FC => {
                if d.len() < 8 {
                    return Ok(());
                }
                if r.cont.len() > MAX_SST_CONTINUES {
                    return bad("the shared string table is split into too many pieces");
                }
                let mut c = Cursor2 {
                    data: tail(d, 8),
                    cont: r.cont.iter().copied().collect(),
                };
                sst.clear();
                loop {
                    if c.data.is_empty() && !c.next_cont() {
                        break;
                    }
                    match sst_string(&mut c) {
                        Ok(Some(n)) => sst.push(n),
                        Ok(None) => return Ok(()),
                        Err(_) => return bad("the shared string table is truncated"),
                    }
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    // Worksheets: calamine builds every sheet when the file is opened.
    let mut total_cells = 0u64;
    let mut text = 0u64;
    let nsheets = sheets.len();
    for (pos, name) in &sheets {
        let cells = xls_sheet(&stream, *pos, name, biff, &sst, &mut text, limits)?;
        total_cells = total_cells.saturating_add(cells);
        if total_cells > limits.max_cells {
            return Err(Refusal::HugeWorkbook {
                sheets: nsheets,
                cells: total_cells,
            });
        }
    }
    Ok(())
}

/// One worksheet substream; returns the cells of its box.
fn xls_sheet(
    stream: &[u8],
    pos: usize,
    sheet: &str,
    biff: Biff,
    sst: &[u16],
    text: &mut u64,
    limits: &Limits,
) -> Result<u64, Refusal> {
    let mut s = tail(stream, pos);
    let mut bbox = BBox::default();
    let mut fmla_pos = (0u64, 0u64);
    let mut seen_bof = false;
    let mut depth = 0usize;
    let add_text = |n: u64, t: &mut u64| -> Result<(), Refusal> {
        *t = t.saturating_add(n);
        if *t > limits.max_string_bytes {
            return Err(Refusal::HugeText {
                sheet: clean_name(sheet),
                bytes: *t,
            });
        }
        Ok(())
    };
    while let Some(r) = next_rec(&mut s) {
        let r = match r {
            Ok(r) => r,
            Err(Refusal::Empty) => break,
            Err(e) => return Err(e),
        };
        let d = r.data;
        if depth > 0 {
            match r.typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => {}
            }
            continue;
        }
        let rc = |d: &[u8]| {
            (
                u64::from(u16_at(d, 0).unwrap_or(0)),
                u64::from(u16_at(d, 2).unwrap_or(0)),
            )
        };
        let mut cell: Option<(u64, u64)> = None;
        match r.typ {
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x0200 => {
                let (rf, rl, cf, cl) = match d.len() {
                    10 => (
                        u32::from(u16_at(d, 0).unwrap_or(0)),
                        u32::from(u16_at(d, 2).unwrap_or(0)),
                        u32::from(u16_at(d, 4).unwrap_or(0)),
                        u32::from(u16_at(d, 6).unwrap_or(0)),
                    ),
                    14 | 16 => (
                        u32_at(d, 0).unwrap_or(0),
                        u32_at(d, 4).unwrap_or(0),
                        u32::from(u16_at(d, 8).unwrap_or(0)),
                        u32::from(u16_at(d, 10).unwrap_or(0)),
                    ),
                    _ => break, // calamine stops with an error
                };
                // The record must describe first <= last (+1); calamine 0.38 patches
                // some violations, older versions allocated from them.
                if rf > rl || cf > cl {
                    return corrupt_sheet(sheet, "its size record is inconsistent");
                }
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                let (rows, cols) = if rl >= 1 && cl >= 1 {
                    // calamine: end = (rl - 1, cl - 1); `end - start + 1` in u32
                    if rl - 1 < rf || cl - 1 < cf {
                        return corrupt_sheet(sheet, "its size record is inconsistent");
                    }
                    (u64::from(rl - rf), u64::from(cl - cf))
                } else {
                    (1, 1)
                };
                if rows.saturating_mul(cols) > limits.max_cells {
                    return Err(Refusal::HugeSheet {
                        sheet: clean_name(sheet),
                        rows,
                        cols,
                    });
                }
            }
            0x0203 => {
                if d.len() < 14 {
                    break;
                }
                cell = Some(rc(d));
            }
            0x0204 | 0x00D6 => {
                if d.len() < 6 {
                    break;
                }
                add_text(3 * d.len() as u64, text)?;
                cell = Some(rc(d));
            }
            0x0205 => {
                if d.len() < 8 {
                    break;
                }
                cell = Some(rc(d));
            }
            0x0207 => {
                add_text(3 * d.len() as u64, text)?;
                cell = Some(fmla_pos);
            }
            0x027E => {
                if d.len() < 10 {
                    break;
                }
                cell = Some(rc(d));
            }
            0x00FD => {
                if d.len() < 10 {
                    break;
                }
                let i = u32_at(d, 6).unwrap_or(0) as usize;
                if let Some(&cch) = sst.get(i) {
                    add_text(6 * u64::from(cch), text)?;
                    cell = Some(rc(d));
                }
            }
            0x00BD => {
                if d.len() < 6 {
                    break;
                }
                let row = u64::from(u16_at(d, 0).unwrap_or(0));
                let first = u16_at(d, 2).unwrap_or(0);
                let last = u16_at(d, d.len() - 2).unwrap_or(0);
                if last < first || (first == 0 && last == u16::MAX) {
                    return corrupt_sheet(
                        sheet,
                        "a row of numbers has an inconsistent column span",
                    );
                }
                let n = usize::from(last - first) + 1;
                if d.len() != 6 + 6 * n {
                    break;
                }
                bbox.add(row, u64::from(first));
                bbox.add(row, u64::from(first) + n as u64 - 1);
                bbox.check(sheet, limits)?;
            }
            0x00E5 => {
                let Some(count) = u16_at(d, 0) else {
                    return corrupt_sheet(sheet, "a merged-cells record is truncated");
                };
                if 2 + 8 * usize::from(count) > d.len() {
                    return corrupt_sheet(sheet, "a merged-cells record is truncated");
                }
            }
            0x000A => break,
            0x0006 => {
                if d.len() < 20 {
                    break;
                }
                fmla_pos = rc(d);
                cell = Some(fmla_pos);
                if let Ptg::Panic(x) = xls_ptgs(tail(d, 20), biff) {
                    return corrupt_sheet(sheet, x);
                }
            }
            _ => {}
        }
        if let Some((row, col)) = cell {
            bbox.add(row, col);
            bbox.check(sheet, limits)?;
        }
    }
    Ok(bbox.cells())
}

// ===========================================================================
// Tests
// ===========================================================================

#[cfg(test)]
pub(crate) mod tests;
