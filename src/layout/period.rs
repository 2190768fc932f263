//! The period of a table: what its title, header, sheet name and file name say, and the
//! options; a disagreement between them is an error that says which.

use super::SheetContext;
use super::header::Header;
use crate::period::{PeriodHint, parse_file_period, parse_text_period};
use crate::read::Grid;
use crate::value::normalize_text;

/// False for a date line (报出日期, 2023年9月5日): its month is not the return's.
pub(super) fn not_a_date(t: &str) -> bool {
    let n = normalize_text(t);
    !(n.contains("日期") || n.contains("报出") || n.contains("时间") || n.contains('日'))
}

/// Decides the period of a table from its title, header, sheet name and file name;
/// `rows_months`, the latest month of a series down the rows (each row its own period), when
/// nothing else names a month.
pub(super) fn resolve_period(
    pre: &[String],
    header: &Header,
    grid: &Grid,
    ctx: &SheetContext,
    rows_months: Option<u32>,
) -> Result<(i32, u32, Vec<String>), String> {
    let mut sources: Vec<(&str, String, PeriodHint)> = Vec::new();
    for t in pre.iter().filter(|t| not_a_date(t)) {
        let h = parse_text_period(t);
        if !h.is_empty() {
            sources.push(("title", t.clone(), h));
        }
    }
    // a series' columns each name their own month: only their year speaks for the table
    let series = header.series();
    for h in &header.periods {
        let h = if series {
            PeriodHint { month: None, ..*h }
        } else {
            *h
        };
        if !h.is_empty() {
            let text = h.year.map(|y| format!("{y}年")).unwrap_or_default()
                + &h.month.map(|m| format!("{m}月")).unwrap_or_default();
            sources.push(("header", text, h));
        }
    }
    let sheet = parse_text_period(&grid.name);
    if !sheet.is_empty() {
        sources.push(("sheet name", grid.name.clone(), sheet));
    }
    let file = parse_file_period(ctx.file_name);
    let pick = |f: &dyn Fn(&PeriodHint) -> Option<i64>,
                label: &str|
     -> Result<Option<(i64, &str)>, String> {
        let mut found: Option<(i64, &str, String)> = None;
        for (src, text, h) in &sources {
            if let Some(v) = f(h) {
                match &found {
                    None => found = Some((v, src, text.clone())),
                    Some((w, s2, t2)) if *w != v => {
                        return Err(format!(
                            "the {label} differs between the {s2} (\"{t2}\") and the {src} (\"{text}\")"
                        ));
                    }
                    _ => {}
                }
            }
        }
        Ok(found.map(|(v, s, _)| (v, s)))
    };
    let month_in = pick(&|h: &PeriodHint| h.month.map(i64::from), "month")?;
    let year_in = pick(&|h: &PeriodHint| h.year.map(i64::from), "year")?;
    let mut used = Vec::new();
    let month = match (ctx.overrides.month, month_in, file.month) {
        (Some(m), _, _) => {
            used.push("option --month".to_string());
            m
        }
        (None, Some((m, src)), fm) => {
            // a sheet per month in a file named for the latest is no disagreement
            if src != "sheet name" {
                agrees_with_file("month", '月', m, src, fm, ctx.file_name)?;
            }
            used.push(format!("month from the {src}"));
            m as u32
        }
        (None, None, Some(fm)) => {
            used.push("month from the file name".to_string());
            fm
        }
        // a series says its months in its columns or its rows: the latest is the table's
        (None, None, None) => {
            let own = if series {
                header
                    .values()
                    .filter_map(|(_, v)| v.month)
                    .max()
                    .map(|m| (m, "columns"))
            } else {
                rows_months.map(|m| (m, "rows"))
            };
            let Some((m, place)) = own else {
                return Err(
                    "no month found in the title, the header, the sheet name or the file name"
                        .into(),
                );
            };
            used.push(format!("months from the {place}"));
            m
        }
    };
    let year = match (ctx.overrides.year, year_in, file.year) {
        (Some(y), _, _) => {
            used.push("option --year".to_string());
            y
        }
        (None, Some((y, src)), fy) => {
            agrees_with_file("year", '年', y, src, fy, ctx.file_name)?;
            used.push(format!("year from the {src}"));
            y as i32
        }
        (None, None, Some(fy)) => {
            used.push("year from the file name".to_string());
            fy
        }
        (None, None, None) => {
            return Err("no year found in the title, the sheet name or the file name".into());
        }
    };
    Ok((year, month, used))
}

/// An error naming both when the file name says another month or year (`what`, written with
/// `unit`) than `src` does.
fn agrees_with_file<T: Into<i64> + Copy + std::fmt::Display>(
    what: &str,
    unit: char,
    value: i64,
    src: &str,
    file: Option<T>,
    file_name: &str,
) -> Result<(), String> {
    match file {
        Some(f) if f.into() != value => Err(format!(
            "the {what} differs between the {src} ({value}{unit}) and the file name \"{file_name}\" ({f}{unit})"
        )),
        _ => Ok(()),
    }
}
