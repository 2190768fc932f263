//! Figures the user supplies: annual targets, manual projections, the growth assumed for the rest
//! of the year. A CSV or xlsx file with a header row: `park, indicator, target` and optionally
//! `target_kind` (`value` or `growth`), `projection`, `growth_rest`, `full_year_prior` (last year's
//! total, when no return of the batch gives it). The indicator is a code or a
//! name the catalogue knows; an empty park applies to every park.

use std::path::Path;

use polars::prelude::*;

use crate::catalog::Catalog;
use crate::error::{Error, Result};
use crate::value::{Parsed, parse_text};

/// One row of a user's file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserRow {
    /// The park; empty for every park.
    pub park: String,
    /// The indicator code.
    pub indicator: String,
    /// The annual target.
    pub target: Option<f64>,
    /// True when the target is a growth rate (%) rather than a value.
    pub target_is_growth: bool,
    /// A manual full-year projection.
    pub projection: Option<f64>,
    /// Growth assumed for the rest of the year (%), for the remainder method.
    pub growth_rest: Option<f64>,
    /// Last year's total, when no return of the batch gives it.
    pub full_year_prior: Option<f64>,
}

/// All user-supplied rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserInputs {
    /// The rows.
    pub rows: Vec<UserRow>,
}

/// Alias kept for readers looking for targets.
pub type Targets = UserInputs;

impl UserInputs {
    /// Reads a CSV (UTF-8, comma or tab separated) or a spreadsheet.
    ///
    /// # Errors
    /// [`Error::Io`] or a reading error for the file; [`Error::UserFile`] naming the line of a
    /// row whose indicator is unknown or whose number cannot be read.
    pub fn from_file(path: &Path, catalog: &Catalog) -> Result<UserInputs> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let rows: Vec<Vec<String>> = if ext == "csv" || ext == "tsv" || ext == "txt" {
            let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
                path: path.into(),
                source,
            })?;
            text.lines()
                .map(|l| {
                    let sep = if l.contains('\t') { '\t' } else { ',' };
                    l.trim_start_matches('\u{feff}')
                        .split(sep)
                        .map(|f| f.trim().trim_matches('"').to_string())
                        .collect()
                })
                .collect()
        } else {
            let wb = crate::read::read_workbook(path)?;
            let g = wb.sheets.into_iter().next().unwrap_or_default();
            (0..g.rows())
                .map(|r| (0..g.cols()).map(|c| g.get(r, c).as_text()).collect())
                .collect()
        };
        Self::from_rows(&rows, path, catalog)
    }

    fn from_rows(rows: &[Vec<String>], path: &Path, catalog: &Catalog) -> Result<UserInputs> {
        let bad = |line: usize, message: String| Error::UserFile {
            path: path.into(),
            line,
            message,
        };
        let Some(header) = rows.first() else {
            return Ok(UserInputs::default());
        };
        let idx = |names: &[&str]| {
            header
                .iter()
                .position(|h| names.contains(&h.trim().to_lowercase().as_str()))
        };
        let park = idx(&["park", "园区", "园区名称"]);
        let ind = idx(&["indicator", "指标", "指标名称", "code"])
            .ok_or_else(|| bad(1, "the header needs an \"indicator\" column".into()))?;
        let target = idx(&["target", "目标", "全年目标"]);
        let kind = idx(&["target_kind", "目标类型"]);
        let proj = idx(&["projection", "预计全年"]);
        let rest = idx(&["growth_rest", "其余月份增长"]);
        let fyp = idx(&["full_year_prior", "上年全年"]);
        let mut out = UserInputs::default();
        for (i, row) in rows.iter().enumerate().skip(1) {
            let line = i + 1;
            let get = |c: Option<usize>| c.and_then(|c| row.get(c)).map(|s| s.trim()).unwrap_or("");
            let name = get(Some(ind));
            if name.is_empty() {
                continue;
            }
            let code = if catalog.get(name).is_some() {
                name.to_string()
            } else {
                catalog
                    .match_label(name)
                    .code
                    .ok_or_else(|| bad(line, format!("unknown indicator \"{name}\"")))?
            };
            let num = |c: Option<usize>| -> Result<Option<f64>> {
                let s = get(c);
                match parse_text(s) {
                    Parsed::Number { value, .. } => Ok(Some(value)),
                    Parsed::Missing => Ok(None),
                    _ => Err(bad(line, format!("\"{s}\" is not a number"))),
                }
            };
            out.rows.push(UserRow {
                park: get(park).to_string(),
                indicator: code,
                target: num(target)?,
                target_is_growth: matches!(get(kind), "growth" | "增长" | "增速"),
                projection: num(proj)?,
                growth_rest: num(rest)?,
                full_year_prior: num(fyp)?,
            });
        }
        Ok(out)
    }

    /// The rows as a frame: park, indicator, user_target, user_target_growth, user_projection, user_growth_rest.
    pub(crate) fn frame(&self) -> PolarsResult<DataFrame> {
        let r = &self.rows;
        DataFrame::new(
            r.len(),
            vec![
                Column::new(
                    "park".into(),
                    r.iter().map(|x| x.park.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "indicator".into(),
                    r.iter().map(|x| x.indicator.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "user_target".into(),
                    r.iter().map(|x| x.target).collect::<Vec<_>>(),
                ),
                Column::new(
                    "user_target_growth".into(),
                    r.iter().map(|x| x.target_is_growth).collect::<Vec<_>>(),
                ),
                Column::new(
                    "user_projection".into(),
                    r.iter().map(|x| x.projection).collect::<Vec<_>>(),
                ),
                Column::new(
                    "user_growth_rest".into(),
                    r.iter().map(|x| x.growth_rest).collect::<Vec<_>>(),
                ),
                Column::new(
                    "user_full_year_prior".into(),
                    r.iter().map(|x| x.full_year_prior).collect::<Vec<_>>(),
                ),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_with_names_and_codes() -> Result<(), Box<dyn std::error::Error>> {
        let rows: Vec<Vec<String>> = [
            "park,indicator,target,target_kind",
            "青林县工业园区,IND_VA,20,",
            ",实缴税金,3.5,",
            "青林县工业园区,工业增加值,8.5,growth",
        ]
        .iter()
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
        let u = UserInputs::from_rows(&rows, Path::new("t.csv"), &Catalog::builtin())?;
        assert_eq!(u.rows.len(), 3);
        assert_eq!(u.rows[1].indicator, "TAX_PAID");
        assert_eq!(u.rows[1].park, "");
        assert!(u.rows[2].target_is_growth);
        let bad: Vec<Vec<String>> = vec![
            vec!["indicator".into(), "target".into()],
            vec!["出口".into(), "1".into()],
        ];
        let e = UserInputs::from_rows(&bad, Path::new("t.csv"), &Catalog::builtin()).unwrap_err();
        assert_eq!(e.to_string(), "t.csv:2: unknown indicator \"出口\"");
        Ok(())
    }
}
