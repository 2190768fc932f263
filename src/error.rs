//! The crate's error type: every variant says which file, and where known which sheet and cell.

use std::path::PathBuf;

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong, phrased for the statistician who has to fix the file.
///
/// Every variant that concerns an input names the file; those that concern a place in it name
/// the sheet and the cell (A1 style) too.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read from disk (missing, a directory, no permission).
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file is protected by a password; parkstat cannot open it.
    #[error(
        "{path}: the workbook is password-protected (encrypted); save an unprotected copy and try again"
    )]
    Encrypted {
        /// The file.
        path: PathBuf,
    },
    /// The bytes are not a spreadsheet parkstat can read.
    #[error("{path}: not a spreadsheet ({what}){hint}")]
    NotASpreadsheet {
        /// The file.
        path: PathBuf,
        /// What the bytes look like instead ("an HTML page", "plain text", "an empty file").
        what: String,
        /// A hint on how to fix it, starting with "; " or empty.
        hint: String,
    },
    /// The file was refused before parsing because it is damaged or could exhaust memory or time.
    #[error("{path}: refused: {reason}")]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why, as a sentence.
        reason: String,
    },
    /// The spreadsheet library could not parse the file.
    #[error("{path}{}: the workbook is damaged or in an unsupported form: {message}", sheet.as_ref().map(|s| format!(" [{s}]")).unwrap_or_default())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The sheet, when the failure was in one.
        sheet: Option<String>,
        /// The reader's message.
        message: String,
    },
    /// The period (year and month) of a sheet could not be decided.
    #[error("{path} [{sheet}]: {message}; give it with --year/--month")]
    Period {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// What was found and why it is not enough.
        message: String,
    },
    /// The park of a sheet could not be decided.
    #[error("{path} [{sheet}]: cannot tell which park this return is for; give it with --park")]
    Park {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
    },
    /// No sheet of the workbook holds a table parkstat recognises.
    #[error("{path}: no sheet holds a table of indicators, enterprises or parks ({detail})")]
    NoTable {
        /// The file.
        path: PathBuf,
        /// What was seen.
        detail: String,
    },
    /// A user's catalogue, targets or manual-values file is wrong.
    #[error("{path}:{line}: {message}")]
    UserFile {
        /// The file.
        path: PathBuf,
        /// The 1-based line (or row) number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A value in a cell could not be understood where a number was required.
    #[error("{path} [{sheet}]!{cell}: {message}")]
    Cell {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// The A1 reference.
        cell: String,
        /// What is wrong.
        message: String,
    },
    /// A computation on the data frame failed.
    #[error("computing {what}: {source}")]
    Compute {
        /// Which computation.
        what: String,
        /// Polars' error.
        #[source]
        source: polars::error::PolarsError,
    },
    /// Writing an output failed; the previous file, if any, is untouched.
    #[error("{path}: cannot write: {message}")]
    Write {
        /// The output file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// The summary workbook or the text could not be produced.
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// An option given by the caller is wrong.
    #[error("{0}")]
    Usage(String),
    /// An error reported by a worker process, or the worker's death or time-out on this file.
    #[error("{message}")]
    Isolated {
        /// The file.
        path: PathBuf,
        /// The kind of the original error, or `crashed`, `timeout`.
        kind: &'static str,
        /// The whole message.
        message: String,
    },
    /// The reading library panicked on this file; the panic was caught.
    #[error(
        "{path}: the reader crashed on this file (a bug in the spreadsheet library, caught): {message}"
    )]
    ReaderPanic {
        /// The file.
        path: PathBuf,
        /// The panic message.
        message: String,
    },
}

impl Error {
    /// A short, stable name of the kind of error, used in run reports and manifests.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io",
            Error::Encrypted { .. } => "encrypted",
            Error::NotASpreadsheet { .. } => "not_a_spreadsheet",
            Error::Refused { .. } => "refused",
            Error::Parse { .. } => "parse",
            Error::Period { .. } => "period",
            Error::Park { .. } => "park",
            Error::NoTable { .. } => "no_table",
            Error::UserFile { .. } => "user_file",
            Error::Cell { .. } => "cell",
            Error::Compute { .. } => "compute",
            Error::Write { .. } => "write",
            Error::Report(_) => "report",
            Error::Usage(_) => "usage",
            Error::ReaderPanic { .. } => "reader_panic",
            Error::Isolated { kind, .. } => kind,
        }
    }
}
