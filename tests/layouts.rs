//! Layouts of real returns beyond the bundled fixtures, written as xlsx files at test time (merged
//! ranges, percent formats and text cells as a spreadsheet program stores them) and read through
//! the whole reader: package checks, calamine, the merges, the layout and the catalogue.

use std::path::{Path, PathBuf};

use parkstat::model::{Basis, Figure};
use parkstat::{Catalog, ReadOptions, read_file};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A cell to write: text, a number, or a number formatted as a percentage.
enum V<'a> {
    T(&'a str),
    N(f64),
    Pct(f64),
}

fn write_rows(ws: &mut Worksheet, top: u32, rows: &[&[V<'_>]]) -> Result<(), XlsxError> {
    let pct = Format::new().set_num_format("0.0%");
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (top + r as u32, c as u16);
            match v {
                V::T("") => {}
                V::T(s) => {
                    ws.write_string(r, c, *s)?;
                }
                V::N(n) => {
                    ws.write_number(r, c, *n)?;
                }
                V::Pct(n) => {
                    ws.write_number_with_format(r, c, *n, &pct)?;
                }
            }
        }
    }
    Ok(())
}

fn save(
    dir: &Path,
    name: &str,
    build: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>,
) -> Result<PathBuf, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    build(ws)?;
    let path = dir.join(name);
    wb.save(&path)?;
    Ok(path)
}

fn figures(path: &Path) -> Result<Vec<Figure>, parkstat::Error> {
    let out = read_file(path, &Catalog::builtin(), &ReadOptions::default())?;
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    Ok(out.figures.to_figures())
}

/// (park, indicator, basis, value rounded to 1e-9, cell) of every figure.
fn summary(figures: &[Figure]) -> Vec<(String, String, Basis, f64, String)> {
    figures
        .iter()
        .map(|f| {
            (
                f.park.clone(),
                f.indicator.clone().unwrap_or_default(),
                f.basis,
                (f.value * 1e9).round() / 1e9,
                f.cell.clone(),
            )
        })
        .collect()
}

fn row(
    park: &str,
    code: &str,
    basis: Basis,
    value: f64,
    cell: &str,
) -> (String, String, Basis, f64, String) {
    (park.into(), code.into(), basis, value, cell.into())
}

/// A county comparison table: the period in Chinese numerals, indicator names alone in merged
/// bands, a rank column beside each indicator, a county total row.
#[test]
fn county_comparison_with_plain_bands_and_ranks() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "全县对比.xlsx", |ws| {
        let plain = Format::new();
        ws.merge_range(0, 0, 0, 6, "全县各园区主要经济指标完成情况表", &plain)?;
        ws.merge_range(1, 0, 1, 6, "（二〇二三年一至九月）", &plain)?;
        ws.write_string(2, 6, "单位：亿元、%")?;
        ws.merge_range(3, 0, 4, 0, "园区名称", &plain)?;
        ws.merge_range(3, 1, 3, 3, "规上工业增加值", &plain)?;
        ws.merge_range(3, 4, 3, 6, "实缴税金", &plain)?;
        write_rows(
            ws,
            4,
            &[
                &[
                    T(""),
                    T("1-9月"),
                    T("增速"),
                    T("位次"),
                    T("1-9月"),
                    T("增速"),
                    T("位次"),
                ],
                &[
                    T("枫桥经济开发区"),
                    N(43.0),
                    T("9.5%"),
                    N(1.0),
                    N(4.18),
                    N(5.8),
                    N(2.0),
                ],
                &[
                    T("城南工业园区"),
                    N(30.1),
                    T("7.2%"),
                    N(2.0),
                    N(2.5),
                    N(-3.1),
                    N(1.0),
                ],
                &[
                    T("全县合计"),
                    N(73.1),
                    T("8.6%"),
                    T(""),
                    N(6.68),
                    N(2.3),
                    T(""),
                ],
            ],
        )
    })?;
    let got = summary(&figures(&path)?);
    let (f, c) = ("枫桥经济开发区", "城南工业园区");
    assert_eq!(
        got,
        [
            row(f, "IND_VA", Basis::Ytd, 43.0, "B6"),
            row(f, "IND_VA", Basis::YtdGrowth, 9.5, "C6"),
            row(f, "TAX_PAID", Basis::Ytd, 4.18, "E6"),
            row(f, "TAX_PAID", Basis::YtdGrowth, 5.8, "F6"),
            row(c, "IND_VA", Basis::Ytd, 30.1, "B7"),
            row(c, "IND_VA", Basis::YtdGrowth, 7.2, "C7"),
            row(c, "TAX_PAID", Basis::Ytd, 2.5, "E7"),
            row(c, "TAX_PAID", Basis::YtdGrowth, -3.1, "F7"),
        ]
    );
    let all = figures(&path)?;
    assert!(all.iter().all(|x| (x.year, x.month) == (2023, 9)));
    Ok(())
}

/// A park's indicator return as typed by hand: 指标名称 merged over two columns with sub-items in
/// the second, units after names and inside cells, 增减额 beside the growth, an index column
/// (为上年同期%) with a percent format, names shortened (实际到位外资).
#[test]
fn park_return_typed_by_hand() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "青林月报.xlsx", |ws| {
        let plain = Format::new();
        ws.merge_range(0, 0, 0, 6, "青林县工业园区2023年1-8月主要经济指标", &plain)?;
        ws.write_string(1, 6, "单位：亿元")?;
        ws.write_string(2, 0, "序号")?;
        ws.merge_range(2, 1, 2, 2, "指标名称", &plain)?;
        write_rows(
            ws,
            2,
            &[&[
                T(""),
                T(""),
                T(""),
                T("1至本月"),
                T("上年同期"),
                T("增减额"),
                T("为上年同期%"),
            ]],
        )?;
        ws.merge_range(3, 1, 3, 2, "工业总产值 万元", &plain)?;
        ws.merge_range(6, 1, 6, 2, "实际到位外资(万美元)", &plain)?;
        write_rows(
            ws,
            3,
            &[
                &[
                    N(1.0),
                    T(""),
                    T(""),
                    N(520000.0),
                    N(480000.0),
                    N(40000.0),
                    Pct(1.083),
                ],
                &[
                    T(""),
                    T(""),
                    T("其中：主导产业产值（万元）"),
                    T("310,000"),
                    N(290000.0),
                    N(20000.0),
                    Pct(1.069),
                ],
                &[
                    T(""),
                    T(""),
                    T("高新技术产业产值"),
                    T("1.2亿"),
                    T("(0.5)"),
                    T(""),
                    T(""),
                ],
                &[
                    N(2.0),
                    T(""),
                    T(""),
                    N(3120.0),
                    N(2800.0),
                    N(320.0),
                    N(111.4),
                ],
            ],
        )
    })?;
    let got = summary(&figures(&path)?);
    let p = "青林县工业园区";
    assert_eq!(
        got,
        [
            row(p, "IND_GOV", Basis::Ytd, 52.0, "D4"),
            row(p, "IND_GOV", Basis::YtdPrior, 48.0, "E4"),
            row(p, "IND_GOV", Basis::YtdGrowth, 8.3, "G4"),
            row(p, "LEAD_GOV", Basis::Ytd, 31.0, "D5"),
            row(p, "LEAD_GOV", Basis::YtdPrior, 29.0, "E5"),
            row(p, "LEAD_GOV", Basis::YtdGrowth, 6.9, "G5"),
            row(p, "HT_GOV", Basis::Ytd, 1.2, "D6"),
            row(p, "HT_GOV", Basis::YtdPrior, -0.5, "E6"),
            row(p, "FDI_ACT", Basis::Ytd, 3120.0, "D7"),
            row(p, "FDI_ACT", Basis::YtdPrior, 2800.0, "E7"),
            row(p, "FDI_ACT", Basis::YtdGrowth, 11.4, "G7"),
        ]
    );
    let subs: Vec<bool> = figures(&path)?.iter().map(|f| f.sub_item).collect();
    assert_eq!(subs.iter().filter(|s| **s).count(), 5);
    Ok(())
}

/// Parks side by side with a 合计 band, under one 指标名称 merged over two header rows.
#[test]
fn parks_side_by_side_with_a_total_band() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "两园区.xlsx", |ws| {
        let plain = Format::new();
        ws.write_string(0, 0, "2023年1-9月两园区主要经济指标对照表")?;
        ws.merge_range(1, 0, 2, 0, "指标名称", &plain)?;
        ws.merge_range(1, 1, 1, 2, "枫桥经济开发区", &plain)?;
        ws.merge_range(1, 3, 1, 4, "城南工业园区", &plain)?;
        ws.merge_range(1, 5, 1, 6, "合计", &plain)?;
        write_rows(
            ws,
            2,
            &[
                &[
                    T(""),
                    T("1-9月"),
                    T("同比±%"),
                    T("1-9月"),
                    T("同比±%"),
                    T("1-9月"),
                    T("同比±%"),
                ],
                &[
                    T("工业增加值（亿元）"),
                    N(43.0),
                    N(9.5),
                    N(30.1),
                    N(7.2),
                    N(73.1),
                    N(8.6),
                ],
            ],
        )
    })?;
    let got = summary(&figures(&path)?);
    assert_eq!(
        got,
        [
            row("枫桥经济开发区", "IND_VA", Basis::Ytd, 43.0, "B4"),
            row("枫桥经济开发区", "IND_VA", Basis::YtdGrowth, 9.5, "C4"),
            row("城南工业园区", "IND_VA", Basis::Ytd, 30.1, "D4"),
            row("城南工业园区", "IND_VA", Basis::YtdGrowth, 7.2, "E4"),
        ]
    );
    Ok(())
}

/// A statistician copied last month's sheet, hid last month's column and a row of scratch
/// figures: what is hidden is not part of the return as seen and printed, and gives no figure
/// (nor a duplicate for the audit, nor a second period).
#[test]
fn hidden_columns_and_rows_are_left_out() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "青林 2023-08.xlsx", |ws| {
        ws.write_string(0, 0, "青林县工业园区2023年1-8月主要经济指标")?;
        write_rows(
            ws,
            1,
            &[
                &[
                    T("指标名称"),
                    T("1-8月"),
                    T("1-7月"),
                    T("1-8月"),
                    T("增长%"),
                ],
                &[T("工业增加值（亿元）"), N(12.5), N(11.0), N(99.0), N(8.1)],
                &[T("实缴税金（亿元）"), N(3.2), N(2.9), N(99.0), N(6.7)],
                &[T("实缴税金（亿元）"), N(9.9), N(9.9), N(9.9), N(9.9)],
                &[
                    T("固定资产投资（亿元）"),
                    N(20.1),
                    N(18.0),
                    N(99.0),
                    N(11.7),
                ],
            ],
        )?;
        // the month before and an old copy of 1-8月; a scratch row
        ws.set_column_hidden(2)?;
        ws.set_column_hidden(3)?;
        ws.set_row_hidden(4)?;
        Ok(())
    })?;
    let got = summary(&figures(&path)?);
    let p = "青林县工业园区";
    assert_eq!(
        got,
        [
            row(p, "IND_VA", Basis::Ytd, 12.5, "B3"),
            row(p, "IND_VA", Basis::YtdGrowth, 8.1, "E3"),
            row(p, "TAX_PAID", Basis::Ytd, 3.2, "B4"),
            row(p, "TAX_PAID", Basis::YtdGrowth, 6.7, "E4"),
            row(p, "FAI", Basis::Ytd, 20.1, "B6"),
            row(p, "FAI", Basis::YtdGrowth, 11.7, "E6"),
        ]
    );
    Ok(())
}

/// The same return hidden the same way, saved as xlsx, xls and ods (fixtures/hidden): each
/// format's own marks of hidden rows and columns are read, and the three give the same figures.
#[test]
fn hidden_rows_and_columns_in_every_format() -> TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hidden");
    let p = "青林县工业园区";
    let want = [
        row(p, "IND_VA", Basis::Ytd, 12.5, "C4"),
        row(p, "IND_VA", Basis::YtdPrior, 11.2, "E4"),
        row(p, "IND_VA", Basis::YtdGrowth, 11.6, "F4"),
        row(p, "TAX_PAID", Basis::Ytd, 3.2, "C5"),
        row(p, "TAX_PAID", Basis::YtdPrior, 3.0, "E5"),
        row(p, "TAX_PAID", Basis::YtdGrowth, 6.7, "F5"),
        row(p, "FAI", Basis::Ytd, 20.1, "C7"),
        row(p, "FAI", Basis::YtdPrior, 18.0, "E7"),
        row(p, "FAI", Basis::YtdGrowth, 11.7, "F7"),
    ];
    for name in ["hidden.xlsx", "hidden.xls", "hidden.ods"] {
        let got = summary(&figures(&root.join(name))?);
        assert_eq!(got, want, "{name}");
    }
    Ok(())
}

/// An enterprise return grouped by industry rows ("一、装备制造业") instead of an industry column:
/// each enterprise takes its group's industry, named without the ordinal (the catalogue's name
/// when it knows the industry), and the 小计/合计 rows give no enterprise.
#[test]
fn enterprises_grouped_under_numbered_industry_rows() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "规上企业.xlsx", |ws| {
        let plain = Format::new();
        ws.merge_range(
            0,
            0,
            0,
            3,
            "青林县工业园区规上工业企业主要指标（2023年1-6月）",
            &plain,
        )?;
        ws.write_string(1, 3, "单位：万元")?;
        ws.merge_range(2, 0, 3, 0, "序号", &plain)?;
        ws.merge_range(2, 1, 3, 1, "企业名称", &plain)?;
        ws.merge_range(2, 2, 2, 3, "工业总产值", &plain)?;
        write_rows(
            ws,
            3,
            &[
                &[T(""), T(""), T("本月"), T("1-6月累计")],
                &[T(""), T("一、装备制造业")],
                &[N(1.0), T("青林重工有限公司"), N(1200.0), N(7000.0)],
                &[T(""), T("小计"), N(1200.0), N(7000.0)],
                &[T(""), T("（二）有色金属冶炼和压延加工业")],
                &[N(2.0), T("青林铝业有限公司"), N(600.0), N(3300.0)],
                &[T(""), T("小计"), N(600.0), N(3300.0)],
                &[T(""), T("合计"), N(1800.0), N(10300.0)],
            ],
        )
    })?;
    let figures = figures(&path)?;
    let got: Vec<(String, String, Basis, String)> = figures
        .iter()
        .map(|f| {
            (
                f.entity.clone().unwrap_or_default(),
                f.industry.clone().unwrap_or_default(),
                f.basis,
                f.cell.clone(),
            )
        })
        .collect();
    let e = |entity: &str, industry: &str, basis: Basis, cell: &str| {
        (
            entity.to_string(),
            industry.to_string(),
            basis,
            cell.to_string(),
        )
    };
    assert_eq!(
        got,
        [
            e("青林重工有限公司", "装备制造业", Basis::Month, "C6"),
            e("青林重工有限公司", "装备制造业", Basis::Ytd, "D6"),
            e("青林铝业有限公司", "有色金属加工", Basis::Month, "C9"),
            e("青林铝业有限公司", "有色金属加工", Basis::Ytd, "D9"),
        ]
    );
    Ok(())
}

/// One header row that names its indicators bare, with no basis, unit or period words: a county
/// comparison (园区名称 | 工业增加值 | …) and an enterprise list (企业名称 | …). The figures are the
/// period's cumulative values.
#[test]
fn one_header_row_of_bare_indicator_names() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let parks = save(dir.path(), "各园区 2023-09.xlsx", |ws| {
        ws.write_string(0, 0, "2023年1-9月各园区主要指标")?;
        write_rows(
            ws,
            1,
            &[
                &[T("园区名称"), T("工业增加值"), T("实缴税金")],
                &[T("青林经济开发区"), N(50.2), N(9.8)],
                &[T("东山工业园区"), N(20.1), N(3.3)],
            ],
        )
    })?;
    let got = summary(&figures(&parks)?);
    assert_eq!(
        got,
        [
            row("青林经济开发区", "IND_VA", Basis::Ytd, 50.2, "B3"),
            row("青林经济开发区", "TAX_PAID", Basis::Ytd, 9.8, "C3"),
            row("东山工业园区", "IND_VA", Basis::Ytd, 20.1, "B4"),
            row("东山工业园区", "TAX_PAID", Basis::Ytd, 3.3, "C4"),
        ]
    );
    let firms = save(
        dir.path(),
        "青林县工业园区企业 2023-09.xlsx",
        |ws| {
            write_rows(
                ws,
                0,
                &[
                    &[T("企业名称"), T("工业总产值"), T("营业收入")],
                    &[T("青林重工有限公司"), N(7.0), N(7.6)],
                ],
            )
        },
    )?;
    let f = figures(&firms)?;
    let got: Vec<(String, String, Basis, f64)> = f
        .iter()
        .map(|f| {
            (
                f.entity.clone().unwrap_or_default(),
                f.indicator.clone().unwrap_or_default(),
                f.basis,
                f.value,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("青林重工有限公司".into(), "IND_GOV".into(), Basis::Ytd, 7.0),
            ("青林重工有限公司".into(), "IND_REV".into(), Basis::Ytd, 7.6),
        ]
    );
    assert!(f.iter().all(|f| f.park == "青林县工业园区" && f.month == 9));
    Ok(())
}

/// A series down the rows: 月份 | indicators, one row per period (1-2月, 1-3月 …) of the park the
/// title names; each row gives its own period's figures, a row without a period none.
#[test]
fn periods_down_the_rows() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "月度.xlsx", |ws| {
        ws.write_string(0, 0, "青林县工业园区2023年各月主要指标")?;
        ws.write_string(1, 2, "单位：万元")?;
        write_rows(
            ws,
            2,
            &[
                &[T("月份"), T("工业增加值"), T("实缴税金")],
                &[T("1-2月"), N(25000.0), N(6000.0)],
                &[T("1-3月"), N(39000.0), N(9000.0)],
                &[T("备注：快报数"), N(1.0), N(1.0)],
            ],
        )
    })?;
    let f = figures(&path)?;
    let got: Vec<(String, u32, Basis, f64, String)> = f
        .iter()
        .map(|f| {
            (
                f.indicator.clone().unwrap_or_default(),
                f.month,
                f.basis,
                (f.value * 1e9).round() / 1e9,
                f.cell.clone(),
            )
        })
        .collect();
    let g = |code: &str, month: u32, value: f64, cell: &str| {
        (code.to_string(), month, Basis::Ytd, value, cell.to_string())
    };
    assert_eq!(
        got,
        [
            g("IND_VA", 2, 2.5, "B4"),
            g("TAX_PAID", 2, 0.6, "C4"),
            g("IND_VA", 3, 3.9, "B5"),
            g("TAX_PAID", 3, 0.9, "C5"),
        ]
    );
    assert!(
        f.iter()
            .all(|f| f.park == "青林县工业园区" && f.year == 2023)
    );
    // single months (1月, 2月) under columns that name no time: each month's own value
    let path = save(dir.path(), "各月.xlsx", |ws| {
        ws.write_string(0, 0, "青林县工业园区2023年各月工业增加值")?;
        write_rows(
            ws,
            1,
            &[
                &[T("月份"), T("工业增加值（亿元）"), T("实缴税金（亿元）")],
                &[T("1月"), N(1.2), N(0.3)],
                &[T("2月"), N(1.3), N(0.3)],
            ],
        )
    })?;
    let got: Vec<(u32, Basis, f64)> = figures(&path)?
        .iter()
        .filter(|f| f.indicator.as_deref() == Some("IND_VA"))
        .map(|f| (f.month, f.basis, f.value))
        .collect();
    assert_eq!(got, [(1, Basis::Month, 1.2), (2, Basis::Month, 1.3)]);
    Ok(())
}

/// Growth and last year's columns that say neither month nor cumulative (增减%, 去年同月 | 增减(%))
/// compare the column on their left: after 本年累计 the year's, after 本月 the month's.
#[test]
fn a_bare_growth_column_takes_the_time_of_its_left() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "202308 东山工业园.xlsx", |ws| {
        write_rows(
            ws,
            0,
            &[
                &[
                    T("指标"),
                    T("单位"),
                    T("本年累计"),
                    T("上年同期"),
                    T("增减%"),
                    T("本月"),
                    T("上年同期"),
                    T("增减(%)"),
                ],
                &[
                    T("工业增加值"),
                    T("亿元"),
                    N(12.5),
                    N(11.2),
                    N(11.6),
                    N(1.5),
                    N(1.4),
                    N(7.1),
                ],
            ],
        )
    })?;
    let got = summary(&figures(&path)?);
    let p = "东山工业园";
    assert_eq!(
        got,
        [
            row(p, "IND_VA", Basis::Ytd, 12.5, "C2"),
            row(p, "IND_VA", Basis::YtdPrior, 11.2, "D2"),
            row(p, "IND_VA", Basis::YtdGrowth, 11.6, "E2"),
            row(p, "IND_VA", Basis::Month, 1.5, "F2"),
            row(p, "IND_VA", Basis::MonthPrior, 1.4, "G2"),
            row(p, "IND_VA", Basis::MonthGrowth, 7.1, "H2"),
        ]
    );
    Ok(())
}

/// Time words fused to the indicators' names in one header row (本月产值 | 累计产值 | 本月税收 |
/// 1-8月营业收入): each column's indicator from the name, its time from the word.
#[test]
fn time_words_fused_to_indicator_names() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "企业.xlsx", |ws| {
        ws.write_string(0, 0, "青林县工业园区重点企业2023年8月主要指标")?;
        ws.write_string(1, 5, "单位：万元")?;
        write_rows(
            ws,
            2,
            &[
                &[
                    T("企业名称"),
                    T("所属行业"),
                    T("本月产值"),
                    T("累计产值"),
                    T("本月税收"),
                    T("1-8月营业收入"),
                ],
                &[
                    T("青林重工有限公司"),
                    T("装备制造"),
                    N(1200.0),
                    N(9000.0),
                    N(130.0),
                    N(9800.0),
                ],
            ],
        )
    })?;
    let got: Vec<(String, Basis, f64, String)> = figures(&path)?
        .iter()
        .map(|f| {
            (
                f.indicator.clone().unwrap_or_default(),
                f.basis,
                (f.value * 1e9).round() / 1e9,
                f.cell.clone(),
            )
        })
        .collect();
    let g = |code: &str, basis: Basis, value: f64, cell: &str| {
        (code.to_string(), basis, value, cell.to_string())
    };
    assert_eq!(
        got,
        [
            g("IND_GOV", Basis::Month, 0.12, "C4"),
            g("IND_GOV", Basis::Ytd, 0.9, "D4"),
            g("TAX_PAID", Basis::Month, 0.013, "E4"),
            g("IND_REV", Basis::Ytd, 0.98, "F4"),
        ]
    );
    Ok(())
}

/// A county's list of enterprises names each one's park (所属园区): no park for the whole return
/// is needed, and each enterprise's figures are its own park's.
#[test]
fn enterprises_of_several_parks_in_one_list() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "全县企业.xlsx", |ws| {
        ws.write_string(0, 0, "全县规上工业企业2023年1-8月主要指标")?;
        ws.write_string(1, 3, "单位：万元")?;
        write_rows(
            ws,
            2,
            &[
                &[T("企业名称"), T("所属园区"), T("所属行业"), T("工业总产值")],
                &[
                    T("青林重工有限公司"),
                    T("青林经济开发区"),
                    T("装备制造"),
                    N(9000.0),
                ],
                &[
                    T("东山电子有限公司"),
                    T("东山工业园区"),
                    T("电子信息"),
                    N(5000.0),
                ],
                &[T("某某电子有限公司"), T(""), T("电子信息"), N(100.0)],
            ],
        )
    })?;
    // an enterprise whose park cell is empty is left out, with a warning naming it
    let out = read_file(&path, &Catalog::builtin(), &ReadOptions::default())?;
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert_eq!(out.warnings[0].cell, "A6");
    assert!(out.warnings[0].message.contains("某某电子有限公司"));
    let got: Vec<(String, String, f64)> = out
        .figures
        .to_figures()
        .iter()
        .map(|f| {
            (
                f.park.clone(),
                f.entity.clone().unwrap_or_default(),
                (f.value * 1e9).round() / 1e9,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("青林经济开发区".into(), "青林重工有限公司".into(), 0.9),
            ("东山工业园区".into(), "东山电子有限公司".into(), 0.5),
        ]
    );
    Ok(())
}

/// Parks side by side with no band of roles: one header row of park names over the indicators'
/// rows (指标名称 | 青林经济开发区 | 东山工业园区 | 合计); each park's column gives its cumulative
/// values, the total column none.
#[test]
fn park_names_over_columns_without_roles() -> TestResult {
    use V::*;
    let dir = tempfile::tempdir()?;
    let path = save(dir.path(), "各园区.xlsx", |ws| {
        ws.write_string(0, 0, "2023年1-8月各园区主要经济指标")?;
        ws.write_string(1, 3, "单位：亿元")?;
        write_rows(
            ws,
            2,
            &[
                &[
                    T("指标名称"),
                    T("青林经济开发区"),
                    T("东山工业园区"),
                    T("合计"),
                ],
                &[T("工业增加值"), N(50.2), N(20.1), N(70.3)],
                &[T("实缴税金"), N(9.8), N(3.3), N(13.1)],
            ],
        )
    })?;
    let got = summary(&figures(&path)?);
    assert_eq!(
        got,
        [
            row("青林经济开发区", "IND_VA", Basis::Ytd, 50.2, "B4"),
            row("东山工业园区", "IND_VA", Basis::Ytd, 20.1, "C4"),
            row("青林经济开发区", "TAX_PAID", Basis::Ytd, 9.8, "B5"),
            row("东山工业园区", "TAX_PAID", Basis::Ytd, 3.3, "C5"),
        ]
    );
    Ok(())
}

/// Enterprise rows folded away in an outline (分级显示), the 小计 and 合计 rows in view: folded rows
/// are details, not rows taken out of the return, in xlsx, xls and ods (fixtures/hidden).
#[test]
fn rows_folded_in_an_outline_are_read() -> TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hidden");
    for name in ["outline.xlsx", "outline.xls", "outline.ods"] {
        let got: Vec<(String, String, f64)> = figures(&root.join(name))?
            .iter()
            .map(|f| {
                (
                    f.entity.clone().unwrap_or_default(),
                    f.indicator.clone().unwrap_or_default(),
                    (f.value * 1e9).round() / 1e9,
                )
            })
            .collect();
        let e =
            |entity: &str, code: &str, value: f64| (entity.to_string(), code.to_string(), value);
        assert_eq!(
            got,
            [
                e("青林重工有限公司", "IND_GOV", 0.7),
                e("青林重工有限公司", "IND_REV", 0.76),
                e("青林精密机械有限公司", "IND_GOV", 0.45),
                e("青林精密机械有限公司", "IND_REV", 0.47),
            ],
            "{name}"
        );
    }
    Ok(())
}

/// A list filtered with an AutoFilter to one industry: the rows the filter hides are out of the
/// view, not out of the return, in xlsx, xls and ods (fixtures/hidden).
#[test]
fn rows_an_autofilter_hides_are_read() -> TestResult {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/hidden");
    for name in ["filter.xlsx", "filter.xls", "filter.ods"] {
        let entities: Vec<String> = figures(&root.join(name))?
            .iter()
            .filter(|f| f.indicator.as_deref() == Some("IND_GOV"))
            .map(|f| f.entity.clone().unwrap_or_default())
            .collect();
        assert_eq!(
            entities,
            [
                "青林重工有限公司",
                "青林铝业有限公司",
                "青林精密机械有限公司"
            ],
            "{name}"
        );
    }
    Ok(())
}
