//! # parkstat
//!
//! Read the monthly Excel returns (报表) of China's county industrial parks as they really are,
//! normalise every figure into a tidy [polars](https://pola.rs) DataFrame with its indicator
//! code, period, basis, canonical unit and source cell, compute what the statistician reports,
//! and write the summaries.
//!
//! ```text
//!  returns (xlsx, xls, xlsb, ods)
//!      │  read      calamine → Grid (cells + merges), guarded against hostile files
//!      │  layout    title / period / park / unit note / header block / rows → figures (packed: FigureBlock)
//!      │  catalog   names → indicator codes, units → canonical units
//!      ▼
//!  tidy DataFrame  park, entity, industry, year, month, indicator, basis, value, unit, file, sheet, cell
//! ```
//!
//! ## Quick start
//!
//! ```no_run
//! use parkstat::{catalog::Catalog, ingest::{read_file, ReadOptions}, tidy::blocks_to_frame};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let catalog = Catalog::builtin();
//! let out = read_file("fixtures/returns/2022-08 青林县工业园区主要经济指标.xlsx".as_ref(), &catalog, &ReadOptions::default())?;
//! for w in &out.warnings {
//!     eprintln!("{w}");
//! }
//! let df = blocks_to_frame(&[out.figures])?;
//! println!("{df}");
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod batch;
pub mod catalog;
pub mod compute;
pub mod error;
pub mod ingest;
pub mod isolate;
pub mod layout;
pub mod model;
pub mod output;
pub mod period;
pub mod present;
pub mod read;
pub mod report;
pub mod tidy;
pub mod value;

pub use polars;

pub use catalog::Catalog;
pub use error::{Error, Result};
pub use ingest::{FileOutput, ReadOptions, read_file};
pub use model::{Basis, Figure, Warning};
