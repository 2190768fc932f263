use super::*;
use crate::model::{Basis, Figure};
use crate::value::CellValue;

fn t(s: &str) -> CellValue {
    if s.is_empty() {
        CellValue::Empty
    } else {
        CellValue::Text(s.to_string())
    }
}
fn n(v: f64) -> CellValue {
    CellValue::Number {
        value: v,
        percent: false,
    }
}

fn run(grid: &Grid, file_name: &str) -> SheetOutput {
    let catalog = Catalog::builtin();
    let overrides = Overrides::default();
    let ctx = SheetContext {
        catalog: &catalog,
        file: file_name,
        file_name,
        overrides: &overrides,
        row_reports: true,
    };
    extract_sheet(grid, &ctx)
}

/// (code, basis, value rounded to 1e-9, unit) of every figure, in order.
fn coded(out: &SheetOutput) -> Vec<(String, String, f64, String)> {
    out.figures
        .block()
        .to_figures()
        .into_iter()
        .map(|f| {
            (
                f.indicator.unwrap_or_default(),
                f.basis.to_string(),
                (f.value * 1e9).round() / 1e9,
                f.unit,
            )
        })
        .collect()
}

/// Asserts the figures' (code, basis, value, unit), in order.
fn assert_coded(out: &SheetOutput, expected: &[(&str, &str, f64, &str)]) {
    let want: Vec<(String, String, f64, String)> = expected
        .iter()
        .map(|(i, b, v, u)| (i.to_string(), b.to_string(), *v, u.to_string()))
        .collect();
    assert_eq!(coded(out), want);
}

fn find(out: &SheetOutput, code: &str, basis: Basis) -> Vec<Figure> {
    out.figures
        .block()
        .to_figures()
        .into_iter()
        .filter(|f| f.indicator.as_deref() == Some(code) && f.basis == basis)
        .collect()
}

/// An ODS-like sheet: no merge information, the band "1-8月" spans empty cells to its right.
#[test]
fn indicator_return_with_inferred_band() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区主要经济指标完成情况表")],
            vec![t("（2022年1-8月）")],
            vec![
                t("填报单位：青林县工业园区管委会"),
                t(""),
                t(""),
                t(""),
                t("单位：亿元、万美元、%"),
            ],
            vec![],
            vec![
                t("序号"),
                t("指 标 名 称"),
                t("计量单位"),
                t("本月"),
                t("1-8月"),
                t(""),
                t(""),
                t("备注"),
            ],
            vec![
                t(""),
                t(""),
                t(""),
                t(""),
                t("累计"),
                t("上年同期"),
                t("同比增长(%)"),
                t(""),
            ],
            vec![
                n(1.0),
                t("工业增加值"),
                t("亿元"),
                n(1.5),
                n(12.5),
                t("11.2"),
                t("增长2.9倍"),
            ],
            vec![
                n(2.0),
                t("实缴税金"),
                t("万元"),
                n(800.0),
                t("1,234.5"),
                n(1000.0),
                t("—"),
            ],
            vec![
                n(3.0),
                t("实际到位利用外资"),
                t("万美元"),
                t("/"),
                n(3500.0),
                n(3000.0),
                t("16.7%"),
            ],
            vec![n(4.0), t("职工人数"), t("人"), n(10.0), n(20.0)],
            vec![t("单位负责人：张三"), t(""), t("填报人：李四")],
        ],
    );
    let out = run(&grid, "report.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let va = find(&out, "IND_VA", Basis::Ytd);
    assert_eq!(va.len(), 1);
    assert_eq!(
        (va[0].value, va[0].unit.as_str(), va[0].cell.as_str()),
        (12.5, "亿元", "E7")
    );
    assert_eq!(
        (va[0].year, va[0].month, va[0].park.as_str()),
        (2022, 8, "青林县工业园区")
    );
    assert_eq!(find(&out, "IND_VA", Basis::YtdPrior)[0].value, 11.2);
    assert_eq!(find(&out, "IND_VA", Basis::YtdGrowth)[0].value, 290.0);
    assert_eq!(find(&out, "IND_VA", Basis::Month)[0].value, 1.5);
    let tax = find(&out, "TAX_PAID", Basis::Ytd);
    assert_eq!((tax[0].value, tax[0].unit.as_str()), (0.12345, "亿元"));
    assert!(
        find(&out, "TAX_PAID", Basis::YtdGrowth).is_empty(),
        "— is missing, not zero"
    );
    let fdi = find(&out, "FDI_ACT", Basis::Ytd);
    assert_eq!((fdi[0].value, fdi[0].unit.as_str()), (3500.0, "万美元"));
    assert_eq!(find(&out, "FDI_ACT", Basis::YtdGrowth)[0].value, 16.7);
    assert!(find(&out, "FDI_ACT", Basis::Month).is_empty());
    // the unmatched row is kept with an empty code and reported
    let unmatched: Vec<_> = out
        .figures
        .block()
        .to_figures()
        .into_iter()
        .filter(|f| f.indicator.is_none())
        .collect();
    assert_eq!(unmatched.len(), 2);
    assert_eq!(unmatched[0].label, "职工人数");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.message.contains("职工人数") && w.cell == "B10")
    );
    assert_eq!(out.tables.len(), 1);
    assert_eq!(out.tables[0].header_rows, (5, 6));
}

#[test]
fn period_conflict_is_an_error() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区主要经济指标（2022年1-8月）")],
            vec![t("指标名称"), t("1-8月累计"), t("增长%")],
            vec![t("工业增加值"), n(12.5), n(8.1)],
        ],
    );
    let out = run(&grid, "2022-07 青林县.xlsx");
    assert_eq!(out.errors.len(), 1);
    let msg = out.errors[0].to_string();
    assert!(
        msg.contains("month differs") && msg.contains("--year/--month"),
        "{msg}"
    );
}

#[test]
fn enterprise_return_with_subtotals() {
    let grid = Grid::from_rows(
        "8月",
        vec![
            vec![t("青林县工业园区入驻企业经济指标月报表（2022年8月）")],
            vec![t("单位：万元")],
            vec![
                t("序号"),
                t("企业名称"),
                t("行业分类"),
                t("工业总产值"),
                t(""),
                t("实缴税金"),
                t(""),
            ],
            vec![
                t(""),
                t(""),
                t(""),
                t("本月数"),
                t("累计数"),
                t("本月数"),
                t("累计数"),
            ],
            vec![
                n(1.0),
                t("甲公司"),
                t("有色金属加工业"),
                n(100.0),
                n(800.0),
                n(10.0),
                n(70.0),
            ],
            vec![
                n(2.0),
                t("乙公司"),
                t("有色金属"),
                n(50.0),
                n(400.0),
                n(5.0),
                n(30.0),
            ],
            vec![
                t(""),
                t("小计"),
                t(""),
                n(150.0),
                n(1200.0),
                n(15.0),
                n(100.0),
            ],
            vec![
                n(3.0),
                t("丙公司"),
                t("电子信息"),
                n(20.0),
                n(160.0),
                n(2.0),
                n(16.0),
            ],
            vec![
                t(""),
                t("合计"),
                t(""),
                n(170.0),
                n(1360.0),
                n(17.0),
                n(116.0),
            ],
        ],
    );
    let mut grid = grid;
    grid.merges = vec![
        crate::read::Merge {
            r0: 2,
            c0: 3,
            r1: 2,
            c1: 4,
        },
        crate::read::Merge {
            r0: 2,
            c0: 5,
            r1: 2,
            c1: 6,
        },
    ];
    grid.merges_known = true;
    let out = run(&grid, "x.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tables[0].shape, Shape::Enterprise);
    let gov = find(&out, "IND_GOV", Basis::Ytd);
    assert_eq!(gov.len(), 3);
    assert_eq!(gov[0].entity.as_deref(), Some("甲公司"));
    assert_eq!(gov[0].industry.as_deref(), Some("有色金属加工"));
    assert_eq!(gov[0].value, 0.08);
    assert_eq!(gov[2].industry.as_deref(), Some("轻工电子"));
    assert_eq!((gov[0].year, gov[0].month), (2022, 8));
    assert_eq!(out.totals.len(), 2);
    assert_eq!(out.totals[0].industry.as_deref(), Some("有色金属加工"));
    assert_eq!(out.totals[1].label, "合计");
}

#[test]
fn comparison_table() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("全县各园区主要经济指标完成情况表（2022年1-8月）")],
            vec![t("单位：亿元、万美元、%")],
            vec![
                t("园区名称"),
                t("工业增加值"),
                t(""),
                t("实际到位利用外资"),
                t(""),
            ],
            vec![t(""), t("1-8月"), t("增长%"), t("1-8月"), t("增长%")],
            vec![t("青林县工业园区"), n(12.5), n(8.1), n(3500.0), n(16.7)],
            vec![t("东山工业园区"), n(8.0), n(-3.4), n(1200.0), n(2.0)],
            vec![t("合计"), n(20.5), n(3.5), n(4700.0), n(12.0)],
        ],
    );
    grid.merges = vec![
        crate::read::Merge {
            r0: 2,
            c0: 0,
            r1: 3,
            c1: 0,
        },
        crate::read::Merge {
            r0: 2,
            c0: 1,
            r1: 2,
            c1: 2,
        },
        crate::read::Merge {
            r0: 2,
            c0: 3,
            r1: 2,
            c1: 4,
        },
    ];
    grid.merges_known = true;
    let out = run(&grid, "全县.xls");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tables[0].shape, Shape::Comparison);
    let va = find(&out, "IND_VA", Basis::Ytd);
    assert_eq!(va.len(), 2);
    assert_eq!((va[1].park.as_str(), va[1].value), ("东山工业园区", 8.0));
    assert_eq!(find(&out, "IND_VA", Basis::YtdGrowth)[1].value, -3.4);
    assert_eq!(find(&out, "FDI_ACT", Basis::Ytd)[0].unit, "万美元");
    assert_eq!(out.totals.len(), 1);
}

#[test]
fn parks_side_by_side_and_two_tables() {
    let mut grid = Grid::from_rows(
        "8月",
        vec![
            vec![t("两园区主要指标（2022年1-8月）")],
            vec![
                t("指标名称"),
                t("计量单位"),
                t("青林县工业园区"),
                t(""),
                t("东山工业园区"),
                t(""),
            ],
            vec![t(""), t(""), t("1-8月"), t("增长%"), t("1-8月"), t("增长%")],
            vec![t("工业增加值"), t("亿元"), n(12.5), n(8.1), n(8.0), n(-3.4)],
            vec![],
            vec![],
            vec![t("招商引资情况")],
            vec![t("指标名称"), t("单位"), t("1-8月累计"), t("增长%")],
            vec![t("引进大项目"), t("个"), n(6.0), n(20.0)],
        ],
    );
    grid.merges = vec![
        crate::read::Merge {
            r0: 1,
            c0: 2,
            r1: 1,
            c1: 3,
        },
        crate::read::Merge {
            r0: 1,
            c0: 4,
            r1: 1,
            c1: 5,
        },
    ];
    grid.merges_known = true;
    let out = run(&grid, "2022-08 青林县工业园区.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let va = find(&out, "IND_VA", Basis::Ytd);
    assert_eq!(
        va.iter()
            .map(|f| (f.park.as_str(), f.value))
            .collect::<Vec<_>>(),
        [("青林县工业园区", 12.5), ("东山工业园区", 8.0)]
    );
    let prj = find(&out, "PRJ_BIG_NEW", Basis::Ytd);
    assert_eq!(
        (
            prj[0].value,
            prj[0].unit.as_str(),
            prj[0].month,
            prj[0].park.as_str()
        ),
        (6.0, "个", 8, "青林县工业园区")
    );
    assert_eq!(out.tables.len(), 2);
}

fn merge(r0: usize, c0: usize, r1: usize, c1: usize) -> crate::read::Merge {
    crate::read::Merge { r0, c0, r1, c1 }
}

/// A comparison table whose bands are plain indicator names (no header word among them): two
/// tables one under the other, the county's title over both. Each table's band row belongs to
/// its header, with the merges the file gives and, where the format gives none, inferred.
#[test]
fn comparison_bands_of_plain_indicator_names() {
    let table = |month: &str, first: f64| {
        vec![
            vec![t(&format!(
                "全县各园区主要经济指标完成情况表（2023年1-{month}月）"
            ))],
            vec![t(""), t(""), t(""), t(""), t(""), t("单位：亿元")],
            vec![
                t("园区名称"),
                t("工业增加值"),
                t(""),
                t("实缴税金"),
                t(""),
                t("固定资产投资"),
                t(""),
            ],
            vec![
                t(""),
                t(&format!("1-{month}月")),
                t("增长%"),
                t(&format!("1-{month}月")),
                t("增长%"),
                t(&format!("1-{month}月")),
                t("增长%"),
            ],
            vec![
                t("枫桥经济开发区"),
                n(first),
                n(9.5),
                n(4.18),
                n(5.8),
                n(29.5),
                n(-5.4),
            ],
            vec![
                t("城南工业园区"),
                n(30.1),
                n(7.2),
                n(2.5),
                n(3.1),
                n(18.0),
                n(12.0),
            ],
            vec![t("")],
            vec![t("")],
        ]
    };
    let mut rows = table("9", 43.0);
    rows.extend(table("10", 48.2));
    for merges_known in [true, false] {
        let mut grid = Grid::from_rows("Sheet1", rows.clone());
        if merges_known {
            for top in [0, 8] {
                grid.merges.extend([
                    merge(top + 2, 0, top + 3, 0),
                    merge(top + 2, 1, top + 2, 2),
                    merge(top + 2, 3, top + 2, 4),
                    merge(top + 2, 5, top + 2, 6),
                ]);
            }
        }
        grid.merges_known = merges_known;
        let out = run(&grid, "全县.xlsx");
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!(out.tables.len(), 2, "merges known: {merges_known}");
        for (table, report) in out.tables.iter().enumerate() {
            assert_eq!(report.shape, Shape::Comparison);
            assert_eq!(report.header_rows, (table * 8 + 3, table * 8 + 4));
            assert_eq!(report.data_rows, (table * 8 + 5, table * 8 + 6));
        }
        let va = find(&out, "IND_VA", Basis::Ytd);
        let got: Vec<(&str, i32, u32, f64)> = va
            .iter()
            .map(|f| (f.park.as_str(), f.year, f.month, f.value))
            .collect();
        assert_eq!(
            got,
            [
                ("枫桥经济开发区", 2023, 9, 43.0),
                ("城南工业园区", 2023, 9, 30.1),
                ("枫桥经济开发区", 2023, 10, 48.2),
                ("城南工业园区", 2023, 10, 30.1),
            ]
        );
        let fai = find(&out, "FAI", Basis::YtdGrowth);
        assert_eq!(fai.len(), 4);
        assert_eq!((fai[0].value, fai[1].value), (-5.4, 12.0));
        assert_eq!(find(&out, "TAX_PAID", Basis::Ytd)[0].value, 4.18);
        assert!(
            out.warnings.is_empty(),
            "merges known: {merges_known}: {:?}",
            out.warnings
        );
    }
    // the second table straight under the first one's rows: its band row is not a row of the
    // first table
    let mut rows = table("9", 43.0)[..6].to_vec();
    rows.extend(table("9", 48.2)[2..6].iter().cloned());
    let mut grid = Grid::from_rows("Sheet1", rows);
    grid.merges = [2, 6]
        .into_iter()
        .flat_map(|top| {
            [
                merge(top, 0, top + 1, 0),
                merge(top, 1, top, 2),
                merge(top, 3, top, 4),
                merge(top, 5, top, 6),
            ]
        })
        .collect();
    grid.merges_known = true;
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let spans: Vec<_> = out
        .tables
        .iter()
        .map(|t| (t.header_rows, t.data_rows))
        .collect();
    assert_eq!(spans, [((3, 4), (5, 6)), ((7, 8), (9, 10))]);
    let values: Vec<f64> = find(&out, "IND_VA", Basis::Ytd)
        .iter()
        .map(|f| f.value)
        .collect();
    assert_eq!(values, [43.0, 30.1, 48.2, 30.1]);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

/// 增减额 beside 比上年同期增长(%): the amount of change is not a growth rate (it used to give
/// 工业总产值 a growth of 40,000 %), and its column gives no figures.
#[test]
fn change_amount_is_not_a_growth_rate() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("东湖高新区2023年1-6月主要经济指标完成情况表")],
            vec![
                t("序号"),
                t("指标名称"),
                t("本年累计"),
                t("上年同期"),
                t("增减额"),
                t("比上年同期增长(%)"),
            ],
            vec![
                n(1.0),
                t("工业总产值(万元)"),
                n(520000.0),
                n(480000.0),
                n(40000.0),
                n(8.3),
            ],
            vec![
                n(2.0),
                t("工业增加值（亿元）"),
                n(12.1),
                n(11.0),
                n(1.1),
                n(10.0),
            ],
        ],
    );
    let out = run(&grid, "东湖.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let growth: Vec<(String, f64, String)> = out
        .figures
        .block()
        .to_figures()
        .into_iter()
        .filter(|f| f.basis == Basis::YtdGrowth)
        .map(|f| (f.indicator.unwrap_or_default(), f.value, f.cell))
        .collect();
    assert_eq!(
        growth,
        [
            ("IND_GOV".to_string(), 8.3, "F3".to_string()),
            ("IND_VA".to_string(), 10.0, "F4".to_string()),
        ]
    );
    assert_eq!(out.figures.block().len(), 6);
    assert_eq!(find(&out, "IND_GOV", Basis::Ytd)[0].value, 52.0);
}

/// A comparison table ranks its parks beside each indicator (位次, 排名): the ranks are not
/// figures (they used to come out as the indicator's 1-9月 value, a second one beside the real).
#[test]
fn ranks_are_not_figures() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("全县各园区主要经济指标完成情况表（2023年1-9月）")],
            vec![
                t("园区"),
                t("规上工业增加值"),
                t(""),
                t(""),
                t("固定资产投资"),
                t(""),
                t(""),
            ],
            vec![
                t(""),
                t("1-9月"),
                t("增速"),
                t("位次"),
                t("1-9月"),
                t("增速"),
                t("排名"),
            ],
            vec![
                t("枫桥经济开发区"),
                n(43.0),
                n(9.5),
                n(1.0),
                n(29.5),
                n(-5.4),
                n(2.0),
            ],
            vec![
                t("城南工业园区"),
                n(30.1),
                n(7.2),
                n(2.0),
                n(18.0),
                n(12.0),
                n(1.0),
            ],
        ],
    );
    grid.merges = vec![merge(1, 0, 2, 0), merge(1, 1, 1, 3), merge(1, 4, 1, 6)];
    grid.merges_known = true;
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let cells: Vec<String> = out
        .figures
        .block()
        .to_figures()
        .into_iter()
        .map(|f| f.cell)
        .collect();
    assert_eq!(cells, ["B4", "C4", "E4", "F4", "B5", "C5", "E5", "F5"]);
    let fai: Vec<f64> = find(&out, "FAI", Basis::Ytd)
        .iter()
        .map(|f| f.value)
        .collect();
    assert_eq!(fai, [29.5, 18.0]);
}

/// 指标名称 merged over two columns, the main items merged across both and the sub-items written
/// in the second: the sub-items are figures (they used to be dropped without a word), marked as
/// sub-items.
#[test]
fn sub_items_in_the_second_name_column() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-6月主要经济指标")],
            vec![t("序号"), t("指标名称"), t(""), t("1-6月"), t("同比增长%")],
            vec![n(1.0), t("工业总产值"), t(""), n(50.2), n(8.0)],
            vec![t(""), t(""), t("其中：主导产业产值"), n(30.1), n(9.0)],
            vec![t(""), t(""), t("高新技术产业产值"), n(20.5), n(12.0)],
            vec![n(2.0), t("固定资产投资"), t(""), n(20.0), n(5.0)],
        ],
    );
    grid.merges = vec![merge(1, 1, 1, 2), merge(2, 1, 2, 2), merge(5, 1, 5, 2)];
    grid.merges_known = true;
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let ytd: Vec<(String, f64, String, bool)> = out
        .figures
        .block()
        .to_figures()
        .into_iter()
        .filter(|f| f.basis == Basis::Ytd)
        .map(|f| (f.indicator.unwrap_or_default(), f.value, f.cell, f.sub_item))
        .collect();
    let expected = [
        ("IND_GOV", 50.2, "D3", false),
        ("LEAD_GOV", 30.1, "D4", true),
        ("HT_GOV", 20.5, "D5", true),
        ("FAI", 20.0, "D6", false),
    ];
    assert_eq!(
        ytd,
        expected.map(|(i, v, c, s)| (i.to_string(), v, c.to_string(), s))
    );
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

/// Parks side by side with a 合计 band after them: the total is no park's figure, and the return
/// is read (it used to be refused: "cannot tell which park").
#[test]
fn total_band_beside_parks() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("2023年1-9月各园区主要经济指标")],
            vec![t("单位：亿元")],
            vec![
                t("指标名称"),
                t("枫桥经济开发区"),
                t(""),
                t("城南工业园区"),
                t(""),
                t("合计"),
                t(""),
            ],
            vec![
                t(""),
                t("1-9月"),
                t("增长%"),
                t("1-9月"),
                t("增长%"),
                t("1-9月"),
                t("增长%"),
            ],
            vec![
                t("工业增加值"),
                n(43.0),
                n(9.5),
                n(30.1),
                n(7.2),
                n(73.1),
                n(8.6),
            ],
        ],
    );
    grid.merges = vec![
        merge(2, 0, 3, 0),
        merge(2, 1, 2, 2),
        merge(2, 3, 2, 4),
        merge(2, 5, 2, 6),
    ];
    grid.merges_known = true;
    let out = run(&grid, "各园区.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let va: Vec<(String, f64)> = find(&out, "IND_VA", Basis::Ytd)
        .into_iter()
        .map(|f| (f.park, f.value))
        .collect();
    assert_eq!(
        va,
        [
            ("枫桥经济开发区".to_string(), 43.0),
            ("城南工业园区".to_string(), 30.1)
        ]
    );
    assert_eq!(out.figures.block().len(), 4);
}

/// 为上年同期% gives the figure as a percentage of last year's: 108.5 is a growth of 8.5 %, and a
/// cell formatted as a percentage (1.085 shown as 108.5%) the same.
#[test]
fn index_of_prior_year_is_growth() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![
                t("指标名称"),
                t("本月"),
                t("1至本月"),
                t("为上年同期%"),
                t("去年同月"),
            ],
            vec![t("工业增加值"), n(1.2), n(10.5), n(108.5), n(1.0)],
            vec![
                t("实缴税金"),
                n(0.3),
                n(2.9),
                CellValue::Number {
                    value: 0.964,
                    percent: true,
                },
                n(0.2),
            ],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let growth: Vec<f64> = ["IND_VA", "TAX_PAID"]
        .iter()
        .flat_map(|code| find(&out, code, Basis::YtdGrowth))
        .map(|f| (f.value * 1e9).round() / 1e9)
        .collect();
    assert_eq!(growth, [8.5, -3.6]);
    assert_eq!(find(&out, "IND_VA", Basis::Ytd)[0].value, 10.5);
    assert_eq!(find(&out, "IND_VA", Basis::MonthPrior)[0].value, 1.0);
    assert!(find(&out, "IND_VA", Basis::YtdPrior).is_empty());
}

/// A unit written in the cell with the number ("12.5万元", "1.2亿") is that figure's unit,
/// whatever the unit note says; hand-written forms such as "(3.2)" and "5,230*" are numbers.
#[test]
fn units_and_marks_inside_cells() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![t("单位：亿元")],
            vec![t("指标名称"), t("1-8月"), t("上年同期")],
            vec![t("实缴税金"), t("4,210万元"), t("3.9")],
            vec![t("利润总额"), t("(0.35)"), t("1.2亿")],
            vec![t("规模以上工业企业"), t("56家"), t("5,230*")],
            vec![t("工业增加值"), t("约12"), t("12,5")],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("TAX_PAID", "ytd", 0.421, "亿元"),
        ("TAX_PAID", "ytd_prior", 3.9, "亿元"),
        ("IND_PROFIT", "ytd", -0.35, "亿元"),
        ("IND_PROFIT", "ytd_prior", 1.2, "亿元"),
        ("ENT_ABOVE", "ytd", 56.0, "家"),
        ("ENT_ABOVE", "ytd_prior", 5230.0, "家"),
    ];
    assert_coded(&out, &expected);
    // 约12 and 12,5 are left out, each with a warning naming its cell
    let cells: Vec<&str> = out.warnings.iter().map(|w| w.cell.as_str()).collect();
    assert_eq!(cells, ["B7", "C7"]);
}

/// One header row naming each indicator once, its growth in the next column (工业增加值 | 增速 |
/// 固定资产投资 | 增速): the growth columns belong to the indicator on their left (they used to
/// have no indicator at all).
#[test]
fn growth_column_right_of_its_indicator() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("全县各园区2023年1-9月主要指标")],
            vec![t("单位：亿元、%")],
            vec![
                t("园区名称"),
                t("工业增加值"),
                t("增速"),
                t("实缴税金(万元)"),
                t("上年同期"),
                t("同比±%"),
            ],
            vec![
                t("枫桥经济开发区"),
                n(43.0),
                n(9.5),
                n(41800.0),
                n(39500.0),
                n(5.8),
            ],
        ],
    );
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("IND_VA", "ytd", 43.0, "亿元"),
        ("IND_VA", "ytd_growth", 9.5, "%"),
        ("TAX_PAID", "ytd", 4.18, "亿元"),
        ("TAX_PAID", "ytd_prior", 3.95, "亿元"),
        ("TAX_PAID", "ytd_growth", 5.8, "%"),
    ];
    assert_coded(&out, &expected);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
}

/// The names' column has a blank header cell (the top-left corner left empty): its texts are
/// still the rows' indicators (nothing was read from such a table).
#[test]
fn names_column_with_a_blank_header() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月经济运行情况")],
            vec![t(""), t(""), t("本月"), t("1-8月累计"), t("同比增长%")],
            vec![t("工业增加值（亿元）"), t(""), n(1.2), n(10.5), n(8.1)],
            vec![t("实缴税金（万元）"), t(""), n(3000.0), n(29000.0), n(-2.0)],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(find(&out, "IND_VA", Basis::Ytd)[0].value, 10.5);
    assert_eq!(find(&out, "TAX_PAID", Basis::Month)[0].value, 0.3);
    assert_eq!(find(&out, "TAX_PAID", Basis::YtdGrowth)[0].cell, "E4");
    assert_eq!(out.figures.block().len(), 6);
}

/// A table whose rows hold numbers but whose names could not be found gives a warning, not
/// silence.
#[test]
fn a_table_that_gives_nothing_says_so() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月经济运行情况")],
            vec![t(""), t("本月"), t("1-8月累计"), t("同比增长%")],
            vec![t(""), n(1.2), n(10.5), n(8.1)],
            vec![t(""), n(3000.0), n(29000.0), n(-2.0)],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.figures.block().is_empty());
    let warnings: Vec<(&str, bool)> = out
        .warnings
        .iter()
        .map(|w| (w.cell.as_str(), w.message.contains("gave no figure")))
        .collect();
    assert_eq!(warnings, [("A2", true)]);
}

/// 名称 over the rows, the indicators named in the header: the rows are parks, or enterprises
/// when they name companies (both used to be read as indicator names, matching nothing).
#[test]
fn names_of_parks_or_companies_under_a_plain_label() {
    let table = |first: &str, second: &str| {
        Grid::from_rows(
            "Sheet1",
            vec![
                vec![t("青林县工业园区2023年1-9月主要指标")],
                vec![t("名称"), t("工业增加值"), t("增速")],
                vec![t(first), n(43.0), n(9.5)],
                vec![t(second), n(30.1), n(7.2)],
            ],
        )
    };
    let out = run(&table("枫桥经济开发区", "城南工业园区"), "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tables[0].shape, Shape::Comparison);
    let parks: Vec<String> = find(&out, "IND_VA", Basis::Ytd)
        .into_iter()
        .map(|f| f.park)
        .collect();
    assert_eq!(parks, ["枫桥经济开发区", "城南工业园区"]);

    let out = run(&table("青林海纳铝材有限公司", "华鑫铜材厂"), "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tables[0].shape, Shape::Enterprise);
    let rows: Vec<(String, Option<String>, f64)> = find(&out, "IND_VA", Basis::YtdGrowth)
        .into_iter()
        .map(|f| (f.park, f.entity, f.value))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "青林县工业园区".to_string(),
                Some("青林海纳铝材有限公司".to_string()),
                9.5
            ),
            (
                "青林县工业园区".to_string(),
                Some("华鑫铜材厂".to_string()),
                7.2
            ),
        ]
    );
}

/// A list of projects under 项目名称 is not an indicator return: one warning, no figures (it used
/// to give a figure without a code and a warning for every project).
#[test]
fn a_list_of_projects_is_not_a_return() {
    let grid = Grid::from_rows(
        "重点项目",
        vec![
            vec![t("青林县工业园区2023年重点项目进展情况表（1-8月）")],
            vec![
                t("序号"),
                t("项目名称"),
                t("总投资(万元)"),
                t("1-8月完成投资"),
            ],
            vec![n(1.0), t("年产5万吨铝材项目"), n(50000.0), n(12000.0)],
            vec![n(2.0), t("生物医药产业园"), n(30000.0), n(8000.0)],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.figures.block().is_empty());
    let warnings: Vec<(&str, bool)> = out
        .warnings
        .iter()
        .map(|w| (w.cell.as_str(), w.message.contains("none of the 2 names")))
        .collect();
    assert_eq!(warnings, [("B2", true)]);
}

/// Months side by side (1月 … 6月, or 1-2月 … 1-6月): each column is a period of its own (they
/// used to be refused as a conflict of months).
#[test]
fn months_side_by_side_are_a_series() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年各月主要经济指标")],
            vec![
                t("指标名称"),
                t("计量单位"),
                t("1月"),
                t("2月"),
                t("3月"),
                t("1-3月"),
            ],
            vec![t("工业增加值"), t("亿元"), n(1.0), n(2.0), n(3.0), n(6.0)],
            vec![
                t("实缴税金"),
                t("万元"),
                n(100.0),
                n(200.0),
                n(300.0),
                n(600.0),
            ],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let got: Vec<(String, u32, Basis, f64)> = out
        .figures
        .block()
        .to_figures()
        .into_iter()
        .map(|f| (f.indicator.unwrap_or_default(), f.month, f.basis, f.value))
        .collect();
    let va = |m, b, v| ("IND_VA".to_string(), m, b, v);
    let tax = |m, b, v| ("TAX_PAID".to_string(), m, b, v);
    assert_eq!(
        got,
        [
            va(1, Basis::Month, 1.0),
            va(2, Basis::Month, 2.0),
            va(3, Basis::Month, 3.0),
            va(3, Basis::Ytd, 6.0),
            tax(1, Basis::Month, 0.01),
            tax(2, Basis::Month, 0.02),
            tax(3, Basis::Month, 0.03),
            tax(3, Basis::Ytd, 0.06),
        ]
    );
    assert_eq!(out.tables[0].month, Some(3));
    assert_eq!(out.figures.block().to_figures()[0].year, 2023);
}

/// A year and the year before side by side (2023年1-8月 | 2022年1-8月, or 2023年 | 2022年): the
/// earlier year's column is last year's figure (both used to be refused as a conflict of years).
#[test]
fn this_year_beside_last_year() {
    for (current, before, title) in [
        ("2023年1-8月", "2022年1-8月", "青林县工业园区主要经济指标"),
        ("2023年", "2022年", "青林县工业园区2023年1-8月主要经济指标"),
    ] {
        let grid = Grid::from_rows(
            "Sheet1",
            vec![
                vec![t(title)],
                vec![
                    t("指标名称"),
                    t(current),
                    t(before),
                    t("增长%"),
                    t("2022年项目"),
                ],
                vec![t("工业增加值（亿元）"), n(10.5), n(9.8), n(7.1), n(3.0)],
            ],
        );
        let out = run(&grid, "青林.xlsx");
        assert!(out.errors.is_empty(), "{current}: {:?}", out.errors);
        let got: Vec<(i32, u32, Basis, f64)> = out
            .figures
            .block()
            .to_figures()
            .into_iter()
            .map(|f| (f.year, f.month, f.basis, f.value))
            .collect();
        assert_eq!(
            got,
            [
                (2023, 8, Basis::Ytd, 10.5),
                (2023, 8, Basis::YtdPrior, 9.8),
                (2023, 8, Basis::YtdGrowth, 7.1),
            ],
            "{current}"
        );
    }
}

/// Park rows of a comparison table with the marks of their place in it ("其中：", "1、",
/// "（三）", an indent): the figures name the parks themselves, those under 其中 as parts.
#[test]
fn row_names_without_their_marks() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("全县各园区主要经济指标（2023年1-9月）")],
            vec![t("园区名称"), t("工业增加值"), t("增速")],
            vec![t("青林县经济开发区"), n(43.0), n(9.5)],
            vec![t("其中：城南工业园区"), n(20.1), n(7.2)],
            vec![t("　　城北产业园"), n(10.0), n(5.0)],
            vec![t("1、东山工业园区"), n(12.0), n(3.0)],
            vec![t("（三）西山高新区"), n(8.0), n(2.0)],
        ],
    );
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let parks: Vec<(String, bool)> = find(&out, "IND_VA", Basis::Ytd)
        .into_iter()
        .map(|f| (f.park, f.sub_item))
        .collect();
    let expected = [
        ("青林县经济开发区", false),
        ("城南工业园区", true),
        ("城北产业园", true),
        ("东山工业园区", false),
        ("西山高新区", false),
    ];
    assert_eq!(parks, expected.map(|(p, s)| (p.to_string(), s)));
}

/// The years typed as numbers over their columns (2023 | 2022): a header all the same (no table
/// was found at all).
#[test]
fn years_typed_as_numbers_head_their_columns() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区1-8月主要经济指标")],
            vec![t("指标名称"), n(2023.0), n(2022.0), t("增长%")],
            vec![t("工业增加值（亿元）"), n(10.5), n(9.8), n(7.1)],
            vec![t("实缴税金（亿元）"), n(2023.0), n(2022.0), n(0.05)],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let got: Vec<(String, i32, u32, Basis, f64)> = out
        .figures
        .block()
        .to_figures()
        .into_iter()
        .map(|f| {
            (
                f.indicator.unwrap_or_default(),
                f.year,
                f.month,
                f.basis,
                f.value,
            )
        })
        .collect();
    let row = |c: &str, b, v| (c.to_string(), 2023, 8, b, v);
    assert_eq!(
        got,
        [
            row("IND_VA", Basis::Ytd, 10.5),
            row("IND_VA", Basis::YtdPrior, 9.8),
            row("IND_VA", Basis::YtdGrowth, 7.1),
            // figures that happen to look like years are figures
            row("TAX_PAID", Basis::Ytd, 2023.0),
            row("TAX_PAID", Basis::YtdPrior, 2022.0),
            row("TAX_PAID", Basis::YtdGrowth, 0.05),
        ]
    );
}

/// A period line merged over the columns right of the names (not a title: it does not start in
/// the first column) is a band of the header, and the label columns under it stay labels: the
/// units of the 计量单位 column apply (they used to be read as figures of a value column).
#[test]
fn labels_under_a_period_band_stay_labels() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区主要经济指标完成情况表")],
            vec![t(""), t("（2023年1-8月）")],
            vec![
                t("指标名称"),
                t("计量单位"),
                t("本月"),
                t("累计"),
                t("增长%"),
                t("备注"),
            ],
            vec![t("工业增加值"), t("亿元"), n(1.2), n(10.5), n(8.1)],
            vec![t("实缴税金"), t("万元"), n(3000.0), n(29000.0), n(-2.0)],
        ],
    );
    grid.merges = vec![merge(0, 0, 0, 5), merge(1, 1, 1, 4)];
    grid.merges_known = true;
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let expected = [
        ("IND_VA", "month", 1.2, "亿元"),
        ("IND_VA", "ytd", 10.5, "亿元"),
        ("IND_VA", "ytd_growth", 8.1, "%"),
        ("TAX_PAID", "month", 0.3, "亿元"),
        ("TAX_PAID", "ytd", 2.9, "亿元"),
        ("TAX_PAID", "ytd_growth", -2.0, "%"),
    ];
    assert_coded(&out, &expected);
    assert_eq!(
        (out.tables[0].year, out.tables[0].month),
        (Some(2023), Some(8))
    );
}

/// A line of the form merged above the header ("报出日期：2023年9月5日") is not a band: the table's
/// period stays the title's (a band would have made it a conflict of months).
#[test]
fn a_form_line_above_the_header_is_no_band() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![t(""), t(""), t("报出日期：2023年9月5日")],
            vec![t("指标名称"), t("本月"), t("累计"), t("增长%")],
            vec![t("工业增加值"), n(1.2), n(10.5), n(8.1)],
        ],
    );
    grid.merges = vec![merge(1, 2, 1, 3)];
    grid.merges_known = true;
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tables[0].header_rows, (3, 3));
    assert_eq!(
        (out.tables[0].year, out.tables[0].month),
        (Some(2023), Some(8))
    );
    assert_eq!(find(&out, "IND_VA", Basis::Ytd)[0].value, 10.5);
}

/// A title merged over every column but the first (序号) is the title, not a band: the park and
/// the period come from it (the return used to be refused: no park).
#[test]
fn a_title_beside_the_first_column_is_no_band() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t(""), t("青林县工业园区2023年1-8月主要经济指标完成情况表")],
            vec![t("序号"), t("指标名称"), t("本月"), t("累计"), t("增长%")],
            vec![n(1.0), t("工业增加值"), n(1.2), n(10.5), n(8.1)],
        ],
    );
    grid.merges = vec![merge(0, 1, 0, 4)];
    grid.merges_known = true;
    let out = run(&grid, "月报.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.tables[0].header_rows, (2, 2));
    assert_eq!(out.tables[0].park.as_deref(), Some("青林县工业园区"));
    assert_eq!(find(&out, "IND_VA", Basis::Ytd)[0].value, 10.5);
}

/// 本年 and 上年同期 bands over 1-8月 | 增长%: last year's growth is not this year's (it used to
/// be a second ytd_growth beside the real one).
#[test]
fn last_years_growth_is_not_read() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![t("指标名称"), t("本年"), t(""), t("上年同期"), t("")],
            vec![t(""), t("1-8月"), t("增长%"), t("1-8月"), t("增长%")],
            vec![t("工业增加值（亿元）"), n(10.5), n(7.1), n(9.8), n(12.0)],
        ],
    );
    grid.merges = vec![merge(1, 0, 2, 0), merge(1, 1, 1, 2), merge(1, 3, 1, 4)];
    grid.merges_known = true;
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("IND_VA", "ytd", 10.5, "亿元"),
        ("IND_VA", "ytd_growth", 7.1, "%"),
        ("IND_VA", "ytd_prior", 9.8, "亿元"),
    ];
    assert_coded(&out, &expected);
    // compared with last year (与上年同期比) over 增长%: this year's growth
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![t("指标名称"), t("1-8月"), t("与上年同期比")],
            vec![t(""), t(""), t("增长%")],
            vec![t("工业增加值（亿元）"), n(10.5), n(7.1)],
        ],
    );
    grid.merges = vec![merge(1, 0, 2, 0), merge(1, 1, 2, 1)];
    grid.merges_known = true;
    let out = run(&grid, "青林.xlsx");
    assert_eq!(find(&out, "IND_VA", Basis::YtdGrowth)[0].value, 7.1);
}

/// The month before beside this one (上月, 上月累计, 环比增长%): not this return's figures (上月累计
/// used to be a second ytd, 环比 a second ytd_growth).
#[test]
fn the_month_before_is_not_read() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![
                t("指标名称"),
                t("本月"),
                t("上月"),
                t("本月累计"),
                t("上月累计"),
                t("环比增长%"),
                t("同比增长%"),
            ],
            vec![
                t("工业增加值（亿元）"),
                n(1.3),
                n(1.2),
                n(10.5),
                n(9.2),
                n(8.3),
                n(7.1),
            ],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("IND_VA", "month", 1.3, "亿元"),
        ("IND_VA", "ytd", 10.5, "亿元"),
        ("IND_VA", "ytd_growth", 7.1, "%"),
    ];
    assert_coded(&out, &expected);
}

/// 预计完成目标% beside 预计全年: the projected completion is a share, not a second projection (it
/// used to be read as the projection, 102.5 亿元 beside 16.4).
#[test]
fn projected_completion_is_not_the_projection() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("青林县工业园区2023年1-8月主要经济指标")],
            vec![
                t("指标名称"),
                t("1-8月"),
                t("全年目标"),
                t("完成目标%"),
                t("预计全年"),
                t("预计完成目标%"),
                t("预计增长%"),
            ],
            vec![
                t("工业增加值（亿元）"),
                n(10.5),
                n(16.0),
                n(65.6),
                n(16.4),
                n(102.5),
                n(8.0),
            ],
        ],
    );
    let out = run(&grid, "青林.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("IND_VA", "ytd", 10.5, "亿元"),
        ("IND_VA", "target", 16.0, "亿元"),
        ("IND_VA", "completion", 65.6, "%"),
        ("IND_VA", "projection", 16.4, "亿元"),
        ("IND_VA", "projection_growth", 8.0, "%"),
    ];
    assert_coded(&out, &expected);
}

/// One indicator band over 1-9月 | 增长% | 占全县比重%: the share is a header word (the table was
/// not found at all: two header words in the row) and not a figure.
#[test]
fn a_share_of_the_county_is_a_header_word_not_a_figure() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("全县各园区主要经济指标完成情况表（2023年1-9月）")],
            vec![t("园区名称"), t("工业增加值"), t(""), t("")],
            vec![t(""), t("1-9月"), t("增长%"), t("占全县比重%")],
            vec![t("枫桥经济开发区"), n(43.0), n(9.5), n(58.8)],
            vec![t("城南工业园区"), n(30.1), n(7.2), n(41.2)],
        ],
    );
    grid.merges = vec![merge(1, 0, 2, 0), merge(1, 1, 1, 3)];
    grid.merges_known = true;
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("IND_VA", "ytd", 43.0, "亿元"),
        ("IND_VA", "ytd_growth", 9.5, "%"),
        ("IND_VA", "ytd", 30.1, "亿元"),
        ("IND_VA", "ytd_growth", 7.2, "%"),
    ];
    assert_coded(&out, &expected);
}

/// An indicator whose name holds a share word (主导产业占比) in a comparison band is read: the
/// words of an indicator's name do not make its columns shares.
#[test]
fn an_indicator_named_as_a_share_is_read() {
    let mut grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("全县各园区主要经济指标完成情况表（2023年1-9月）")],
            vec![
                t("园区名称"),
                t("主导产业占比"),
                t(""),
                t("工业增加值"),
                t(""),
            ],
            vec![
                t(""),
                t("1-9月"),
                t("增减(个百分点)"),
                t("1-9月"),
                t("增长%"),
            ],
            vec![t("枫桥经济开发区"), n(70.9), n(1.2), n(43.0), n(9.5)],
        ],
    );
    grid.merges = vec![merge(1, 0, 2, 0), merge(1, 1, 1, 2), merge(1, 3, 1, 4)];
    grid.merges_known = true;
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let expected = [
        ("LEAD_SHARE", "ytd", 70.9, "%"),
        ("LEAD_SHARE", "ytd_growth", 1.2, "%"),
        ("IND_VA", "ytd", 43.0, "亿元"),
        ("IND_VA", "ytd_growth", 9.5, "%"),
    ];
    assert_coded(&out, &expected);
}

#[test]
fn a_unit_in_brackets_under_the_title_or_in_a_footnote() {
    let table = |above: Vec<Vec<CellValue>>, below: Vec<Vec<CellValue>>| {
        let mut rows = vec![vec![t("白马工业园2023年1-9月主要经济指标")]];
        rows.extend(above);
        rows.push(vec![t("指标名称"), t("1-9月"), t("增长%")]);
        rows.push(vec![t("工业总产值"), n(856000.0), n(8.2)]);
        rows.extend(below);
        run(&Grid::from_rows("Sheet1", rows), "白马.xlsx")
    };
    let want = [
        ("IND_GOV", "ytd", 85.6, "亿元"),
        ("IND_GOV", "ytd_growth", 8.2, "%"),
    ];
    assert_coded(
        &table(vec![vec![t(""), t(""), t("（万元）")]], vec![]),
        &want,
    );
    let footnote = vec![vec![], vec![t("注：表中金额单位为万元，增速为%。")]];
    assert_coded(&table(vec![], footnote), &want);
    // without either, the figures are in the indicator's own unit
    assert_coded(
        &table(vec![], vec![]),
        &[
            ("IND_GOV", "ytd", 856000.0, "亿元"),
            ("IND_GOV", "ytd_growth", 8.2, "%"),
        ],
    );
}

/// Asserts 工业总产值 1-9月 of 金山工业园区 (130.1), then of 白马工业园 (85.6).
fn assert_ytd_gov_by_park(out: &SheetOutput) {
    let parks: Vec<(String, f64)> = find(out, "IND_GOV", Basis::Ytd)
        .into_iter()
        .map(|f| (f.park, f.value))
        .collect();
    let want = [("金山工业园区", 130.1), ("白马工业园", 85.6)].map(|(p, v)| (p.to_string(), v));
    assert_eq!(parks, want);
}

#[test]
fn a_second_title_right_under_the_first_table() {
    let grid = Grid::from_rows(
        "附表",
        vec![
            vec![t("附表1：金山工业园区2023年1-9月主要经济指标")],
            vec![t("指标名称"), t("1-9月"), t("增长%")],
            vec![t("工业总产值"), n(130.1), n(8.1)],
            vec![t("附表2：白马工业园2023年1-9月主要经济指标")],
            vec![t("指标名称"), t("1-9月"), t("增长%")],
            vec![t("工业总产值"), n(85.6), n(8.2)],
        ],
    );
    let out = run(&grid, "附表.xlsx");
    assert_ytd_gov_by_park(&out);
}

#[test]
fn a_county_return_grouped_under_its_parks() {
    let grid = Grid::from_rows(
        "汇总",
        vec![
            vec![t("全县工业园区2023年1-9月主要经济指标")],
            vec![t(""), t(""), t("单位：亿元")],
            vec![t("指标名称"), t("1-9月"), t("增长%")],
            vec![t("一、金山工业园区")],
            vec![t("工业总产值"), n(130.1), n(8.1)],
            vec![t("二、白马工业园")],
            vec![t("工业总产值"), n(85.6), n(8.2)],
        ],
    );
    let out = run(&grid, "全县.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_ytd_gov_by_park(&out);
}

#[test]
fn each_row_says_its_time_in_a_second_column() {
    let grid = Grid::from_rows(
        "9月",
        vec![
            vec![t("金山工业园区2023年9月主要经济指标")],
            vec![t(""), t(""), t(""), t("单位：亿元")],
            vec![t("指标名称"), t("时段"), t("绝对数"), t("同比增长%")],
            vec![t("工业总产值"), t("本月"), n(14.2), n(9.0)],
            vec![t(""), t("1-9月"), n(130.1), n(8.1)],
            vec![t(""), t("上年同期"), n(120.3), t("")],
        ],
    );
    let mut grid = grid;
    grid.merges = vec![crate::read::Merge {
        r0: 3,
        c0: 0,
        r1: 5,
        c1: 0,
    }];
    grid.merges_known = true;
    let out = run(&grid, "金山.xlsx");
    assert_coded(
        &out,
        &[
            ("IND_GOV", "month", 14.2, "亿元"),
            ("IND_GOV", "month_growth", 9.0, "%"),
            ("IND_GOV", "ytd", 130.1, "亿元"),
            ("IND_GOV", "ytd_growth", 8.1, "%"),
            ("IND_GOV", "ytd_prior", 120.3, "亿元"),
        ],
    );
}

#[test]
fn two_halves_side_by_side() {
    let grid = Grid::from_rows(
        "9月",
        vec![
            vec![t("桃源工业集中区2023年9月主要经济指标")],
            vec![
                t(""),
                t(""),
                t(""),
                t(""),
                t(""),
                t(""),
                t("单位：亿元、万美元"),
            ],
            vec![
                t("指标名称"),
                t("本月"),
                t("1-9月"),
                t(""),
                t("指标名称"),
                t("本月"),
                t("1-9月"),
            ],
            vec![
                t("工业总产值"),
                n(6.9),
                n(60.3),
                t(""),
                t("固定资产投资"),
                n(1.3),
                n(11.2),
            ],
            vec![
                t("工业增加值"),
                n(1.6),
                n(14.1),
                t(""),
                t("实际到位利用外资"),
                n(120.0),
                n(980.0),
            ],
        ],
    );
    let out = run(&grid, "桃源.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let fdi = find(&out, "FDI_ACT", Basis::Ytd);
    assert_eq!(fdi.len(), 1);
    assert_eq!((fdi[0].value, fdi[0].cell.as_str()), (980.0, "G5"));
    assert_eq!(fdi[0].unit, "万美元");
    let fai = find(&out, "FAI", Basis::Month);
    assert_eq!((fai[0].value, fai[0].cell.as_str()), (1.3, "F4"));
    // the left half keeps its own figures, once
    let gov = find(&out, "IND_GOV", Basis::Ytd);
    assert_eq!(gov.len(), 1);
    assert_eq!(gov[0].value, 60.3);
    assert_eq!(find(&out, "IND_VA", Basis::Ytd).len(), 1);
}

#[test]
fn a_table_turned_on_its_side() {
    let grid = Grid::from_rows(
        "Sheet1",
        vec![
            vec![t("石门工业园区2023年1-9月主要经济指标")],
            vec![t(""), t(""), t("单位：亿元")],
            vec![t("项目"), t("工业总产值"), t("实缴税金")],
            vec![t("本月"), n(2.5), n(0.13)],
            vec![t("1-9月累计"), n(20.1), n(1.12)],
            vec![t("同比增长%"), n(5.8), n(12.0)],
            vec![],
            vec![t("填报人：张三")],
        ],
    );
    let out = run(&grid, "石门.xlsx");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_coded(
        &out,
        &[
            ("IND_GOV", "month", 2.5, "亿元"),
            ("IND_GOV", "ytd", 20.1, "亿元"),
            ("IND_GOV", "ytd_growth", 5.8, "%"),
            ("TAX_PAID", "month", 0.13, "亿元"),
            ("TAX_PAID", "ytd", 1.12, "亿元"),
            ("TAX_PAID", "ytd_growth", 12.0, "%"),
        ],
    );
    // each figure names its own cell of the sheet
    let tax = find(&out, "TAX_PAID", Basis::Ytd);
    assert_eq!(tax[0].cell, "C5");
    assert_eq!(find(&out, "IND_GOV", Basis::Month)[0].cell, "B4");
}
