//! Placeholder of the input guard (sniffing and limits), replaced by the full guard module.
#![allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Spreadsheet(Format),
    Encrypted(Option<Format>),
    Html,
    Text,
    Empty,
    Unknown,
}
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    if bytes.starts_with(b"PK") {
        if bytes.get(30..38) == Some(b"mimetype")
            && bytes
                .windows(24)
                .take(200)
                .any(|w| w == b"opendocument.spreadsheet")
        {
            return Sniffed::Spreadsheet(Format::Ods);
        }
        return Sniffed::Spreadsheet(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Sniffed::Spreadsheet(Format::Xls);
    }
    Sniffed::Unknown
}
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub max_file_bytes: u64,
    pub max_cells: u64,
}
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    TooLarge,
}
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "too large")
    }
}
pub fn check(_bytes: &[u8], _format: Format, _limits: &Limits) -> Result<(), Refusal> {
    Ok(())
}
