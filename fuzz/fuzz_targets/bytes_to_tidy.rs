//! Any bytes, as any format, through the whole reader to the tidy frame: a result or a typed
//! error, never a panic or an abort.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use parkstat::layout::{extract_sheet, Overrides, SheetContext};
use parkstat::read::{read_workbook_bytes, Limits};
use parkstat::{tidy, Catalog};

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::builtin();
    let overrides = Overrides { park: Some("园区".into()), year: Some(2022), month: Some(8) };
    let limits = Limits { max_cells: 200_000, max_string_bytes: 16 << 20, ..Limits::default() };
    let Ok(wb) = read_workbook_bytes(data.to_vec(), Path::new("fuzz.xlsx"), &limits) else { return };
    let ctx = SheetContext { catalog: &catalog, file: "fuzz.xlsx", file_name: "fuzz.xlsx", overrides: &overrides };
    let mut figures = Vec::new();
    for grid in &wb.sheets {
        figures.extend(extract_sheet(grid, &ctx).figures);
    }
    let _ = tidy::figures_to_frame(&figures);
});
