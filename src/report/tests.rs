//! Round trips: write a workbook to a buffer, read it back with calamine and
//! the zip crate, and check what a reader would see. Plus the golden text.

use std::collections::HashSet;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::*;

// ---------------------------------------------------------------------------
// Sample data

fn row(code: &str, name: &str, unit: &str) -> IndicatorRow {
    IndicatorRow {
        code: code.into(),
        name: name.into(),
        unit: unit.into(),
        ..Default::default()
    }
}

#[allow(clippy::too_many_arguments)]
fn flow(
    code: &str,
    name: &str,
    unit: &str,
    ytd: f64,
    growth: f64,
    projection: f64,
    target: Option<f64>,
    method: &str,
) -> IndicatorRow {
    let completion = target.map(|t| ytd / t * 100.0);
    IndicatorRow {
        ytd: Some(ytd),
        growth: Some(growth),
        projection: Some(projection),
        projection_growth: Some(growth),
        target,
        completion,
        time_progress: target.map(|_| 8.0 / 12.0 * 100.0),
        schedule_gap_pp: completion.map(|c| c - 8.0 / 12.0 * 100.0),
        method: Some(method.into()),
        ..row(code, name, unit)
    }
}

fn count(
    code: &str,
    name: &str,
    unit: &str,
    ytd: f64,
    delta: f64,
    projection: Option<f64>,
) -> IndicatorRow {
    IndicatorRow {
        ytd: Some(ytd),
        growth: Some(delta),
        growth_kind: GrowthKind::Absolute,
        projection,
        method: projection.map(|_| "手工填报(M)".to_string()),
        ..row(code, name, unit)
    }
}

fn park_table(park: &str, month: u32) -> ParkTable {
    let mut rows = vec![
        flow(
            "IND_GOV",
            "工业总产值",
            "亿元",
            186.35,
            12.4,
            285.6,
            Some(280.0),
            "季节比例(S)",
        ),
        IndicatorRow {
            level: 1,
            ..flow(
                "IND_GOV_ABOVE",
                "其中：规模以上工业总产值",
                "亿元",
                172.08,
                13.1,
                262.4,
                None,
                "季节比例(S)",
            )
        },
        flow(
            "IND_VA",
            "工业增加值",
            "亿元",
            45.62,
            8.5,
            70.3,
            Some(68.0),
            "增速推算(G)",
        ),
        IndicatorRow {
            ytd: Some(3.21),
            growth: None,
            growth_note: Some("扭亏".into()),
            projection: Some(5.0),
            method: Some("季节比例(S)".into()),
            ..row("IND_PROFIT", "利润总额", "亿元")
        },
        flow(
            "TAX_PAID",
            "实缴税金",
            "亿元",
            4.87,
            -3.4,
            7.9,
            Some(8.5),
            "余额推算(R)",
        ),
        flow(
            "TIT_REV",
            "技工贸总收入",
            "亿元",
            210.45,
            15.2,
            318.0,
            Some(300.0),
            "季节比例(S)",
        ),
        count("ENT_ABOVE", "规模以上工业企业", "家", 86.0, 5.0, Some(90.0)),
        IndicatorRow {
            target: Some(10.0),
            completion: Some(60.0),
            time_progress: Some(66.7),
            schedule_gap_pp: Some(-6.7),
            ..count(
                "ENT_ABOVE_NEW",
                "新增规模以上工业企业",
                "个",
                6.0,
                2.0,
                Some(9.0),
            )
        },
        IndicatorRow {
            ytd: Some(72.3),
            growth: Some(2.1),
            growth_kind: GrowthKind::PercentagePoints,
            projection: Some(72.8),
            projection_growth: Some(1.9),
            method: Some("分项重算(RC)".into()),
            ..row("LEAD_SHARE", "主导产业工业总产值占园区工业总产值比重", "%")
        },
        flow(
            "FAI",
            "固定资产投资",
            "亿元",
            58.4,
            11.2,
            92.0,
            Some(90.0),
            "余额推算(R)",
        ),
        IndicatorRow {
            level: 1,
            ..flow(
                "FAI_IND",
                "其中：工业固定资产投资",
                "亿元",
                42.1,
                9.8,
                66.0,
                None,
                "余额推算(R)",
            )
        },
        flow(
            "FDI_ACT",
            "实际到位利用外资",
            "万美元",
            3250.0,
            -12.5,
            5000.0,
            Some(5500.0),
            "季节比例(S)",
        ),
        flow(
            "DOM_ACT",
            "实际到位内资",
            "亿元",
            25.6,
            18.3,
            40.15,
            Some(38.0),
            "季节比例(S)",
        ),
        flow(
            "STD_FACT_AREA",
            "标准厂房建设面积",
            "万平方米",
            12.5,
            6.0,
            20.0,
            None,
            "手工填报(M)",
        ),
        flow(
            "RD_EXP",
            "规模工业研发经费支出",
            "亿元",
            1.85,
            22.6,
            2.9,
            None,
            "季节比例(S)",
        ),
        flow(
            "HT_GOV",
            "高新技术产业产值",
            "亿元",
            45.3,
            16.1,
            70.0,
            None,
            "季节比例(S)",
        ),
        flow(
            "INV_INTENSITY",
            "工业用地面积投资强度",
            "万元/亩",
            285.6,
            4.2,
            290.1,
            None,
            "分项重算(RC)",
        ),
        IndicatorRow {
            ytd: Some(3.5),
            ..row("ENERGY_DROP", "万元规模工业增加值能耗降低", "%")
        },
        count("WWTP", "园区污水处理厂数", "个", 2.0, 0.0, Some(2.0)),
        count("ENV_ACCIDENT", "环境污染事故", "起", 0.0, 0.0, Some(0.0)),
    ];
    rows.iter_mut().for_each(|r| {
        if r.code == "ENV_ACCIDENT" {
            r.method = Some("最新值(K)".into());
        }
    });
    ParkTable {
        park: park.into(),
        year: 2022,
        month,
        unit_note: "单位：亿元、万美元、万平方米、%".into(),
        rows,
    }
}

fn industry_table() -> IndustryTable {
    let ind = |name: &str, value: f64, growth: f64, share: f64, leading: bool| IndustryRow {
        name: name.into(),
        value: Some(value),
        growth: Some(growth),
        share: Some(share),
        share_change_pp: Some(growth / 10.0 - 0.5),
        pull_pp: Some(growth * share / 100.0),
        contribution: Some(growth * share / 12.4),
        leading,
    };
    IndustryTable {
        park: "某某工业园区".into(),
        year: 2022,
        month: 8,
        indicator_name: "工业总产值".into(),
        unit: "亿元".into(),
        total: Some(186.35),
        total_growth: Some(12.4),
        rows: vec![
            ind("有色金属加工", 62.3, 18.5, 33.4, true),
            ind("轻工电子", 35.1, 21.2, 18.8, true),
            ind("食品医药", 28.4, 6.1, 15.2, false),
            ind("能源化工", 21.7, -4.3, 11.6, false),
            ind("建材家具", 15.6, 2.0, 8.4, false),
        ],
    }
}

fn trend_table() -> TrendTable {
    let points = (2..=8)
        .map(|m| TrendPoint {
            year: 2022,
            month: m,
            month_value: Some(5.0 + m as f64 * 0.3),
            month_growth: Some(6.0 + (m as f64 - 5.0)),
            ytd: Some(5.0 * m as f64),
            ytd_growth: Some(7.0 + m as f64 * 0.2),
        })
        .collect();
    TrendTable {
        park: "某某工业园区".into(),
        indicator_name: "工业增加值".into(),
        unit: "亿元".into(),
        points,
    }
}

fn comparison() -> ComparisonTable {
    let cell = |value: f64, growth: f64, rank: u32, change: i32| ComparisonCell {
        value: Some(value),
        growth: Some(growth),
        rank_value: Some(rank),
        rank_growth: None,
        rank_change: Some(change),
    };
    ComparisonTable {
        year: 2022,
        month: 8,
        columns: vec![
            ComparisonColumn {
                code: "IND_VA".into(),
                name: "工业增加值".into(),
                unit: "亿元".into(),
            },
            ComparisonColumn {
                code: "FAI".into(),
                name: "固定资产投资".into(),
                unit: "亿元".into(),
            },
        ],
        parks: vec![
            (
                "甲县工业园区".into(),
                vec![cell(45.62, 8.5, 1, 2), cell(58.4, 11.2, 2, 0)],
            ),
            (
                "乙县工业园区".into(),
                vec![cell(40.1, -2.5, 2, -1), ComparisonCell::default()],
            ),
        ],
    }
}

fn sample_report() -> SummaryReport {
    SummaryReport {
        title_suffix: "主要经济指标完成情况".into(),
        parks: vec![park_table("某某工业园区", 8)],
        industries: vec![industry_table()],
        trends: vec![trend_table()],
        comparison: Some(comparison()),
        audit: vec![
            AuditRow {
                severity: Severity::Error,
                check: "累计值回落".into(),
                message: "实缴税金1-8月累计4.87亿元低于1-7月累计5.02亿元。".into(),
                file: "returns/2022-08.xls".into(),
                sheet: "指标".into(),
                cell: "D7".into(),
            },
            AuditRow {
                severity: Severity::Warning,
                check: "增速口径差异".into(),
                message: "工业增加值报送增速8.5%，按绝对值推算为9.3%，相差0.8个百分点。".into(),
                file: "returns/2022-08.xls".into(),
                sheet: "指标".into(),
                cell: "E5".into(),
            },
        ],
        sources: vec!["returns/2022-08.xls".into(), "returns/2021-08.xls".into()],
        notes: vec![
            ("预计方法".into(), "季节比例(S)：1-8月累计×上年全年/上年1-8月。".into()),
            ("指标目录".into(), "parkstat 内置目录 v1".into()),
        ],
        text: Some("1、发展水平及产业集聚情况。1-8月实现工业增加值45.62亿元，增长8.5%。\n2、建设投入情况。".into()),
    }
}

// ---------------------------------------------------------------------------
// Helpers

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("calamine opens the workbook")
}

fn cell(x: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, r: u32, c: u32) -> Data {
    let range = x.worksheet_range(sheet).expect("sheet exists");
    range.get_value((r, c)).cloned().unwrap_or(Data::Empty)
}

fn string(x: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, r: u32, c: u32) -> String {
    match cell(x, sheet, r, c) {
        Data::String(s) => s,
        other => panic!("{sheet}!({r},{c}) is {other:?}, expected a string"),
    }
}

fn float(x: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, r: u32, c: u32) -> f64 {
    match cell(x, sheet, r, c) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("{sheet}!({r},{c}) is {other:?}, expected a number"),
    }
}

fn num_format(x: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, r: u32, c: u32) -> String {
    let styles = x.worksheet_style(sheet).expect("styles");
    styles
        .get((r, c))
        .and_then(|s| s.number_format.as_ref())
        .map(|n| n.format_code.clone())
        .unwrap_or_else(|| "General".to_string())
}

fn merged(x: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<((u32, u32), (u32, u32))> {
    let regions = x.merge_cells_by_sheet_name(sheet).expect("merged regions");
    regions.iter().map(|d| (d.start, d.end)).collect()
}

/// The XML of each zip entry whose name starts with `prefix`.
fn zip_entries(bytes: &[u8], prefix: &str) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().map(|n| n.to_string()).unwrap_or_default();
        if name.starts_with(prefix) {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.push((name, s));
        }
    }
    out.sort();
    out
}

/// The XML of the sheet called `name` (looked up through workbook.xml and its rels).
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    let x = open(bytes);
    let index = x
        .sheet_names()
        .iter()
        .position(|n| n == name)
        .expect("sheet listed")
        + 1;
    let entries = zip_entries(bytes, &format!("xl/worksheets/sheet{index}.xml"));
    entries.into_iter().next().expect("sheet xml").1
}

fn write(report: &SummaryReport) -> Vec<u8> {
    write_workbook(report, &WriteOptions::default()).expect("workbook written")
}

// ---------------------------------------------------------------------------
// Round trips

#[test]
fn sheet_names_in_order() {
    let bytes = write(&sample_report());
    let x = open(&bytes);
    assert_eq!(
        x.sheet_names(),
        vec![
            "主要指标",
            "产业结构",
            "月度趋势",
            "园区对比",
            "数据审核",
            "文字材料",
            "说明"
        ]
    );
}

#[test]
fn optional_sheets_are_left_out() {
    let mut r = sample_report();
    r.trends[0].points.truncate(1);
    r.comparison = None;
    r.text = None;
    r.industries.clear();
    let x = open(&write(&r));
    assert_eq!(x.sheet_names(), vec!["主要指标", "数据审核", "说明"]);
    let empty = open(&write(&SummaryReport::default()));
    assert_eq!(empty.sheet_names(), vec!["数据审核", "说明"]);
}

#[test]
fn main_sheet_title_header_and_merges() {
    let bytes = write(&sample_report());
    let mut x = open(&bytes);
    let s = "主要指标";
    assert_eq!(
        string(&mut x, s, 0, 0),
        "某某工业园区主要经济指标完成情况（2022年1-8月）"
    );
    assert_eq!(string(&mut x, s, 1, 0), "单位：亿元、万美元、万平方米、%");
    let header: Vec<String> = (0..12).map(|c| string(&mut x, s, 2, c)).collect();
    assert_eq!(
        header,
        [
            "序号",
            "指标名称",
            "计量单位",
            "1-8月累计",
            "同比增长\n(%)",
            "预计全年",
            "预计增长\n(%)",
            "全年目标",
            "完成率(%)",
            "序时进度\n(%)",
            "超(欠)序时进度\n(百分点)",
            "预计方法"
        ]
    );
    let m = merged(&mut x, s);
    assert!(m.contains(&((0, 0), (0, 11))), "title merged A1:L1: {m:?}");
    assert!(
        m.contains(&((1, 0), (1, 11))),
        "unit note merged A2:L2: {m:?}"
    );

    // February reads "1-2月", January "1月".
    let mut r = sample_report();
    r.parks[0].month = 2;
    let mut x = open(&write(&r));
    assert_eq!(string(&mut x, s, 2, 3), "1-2月累计");
    assert!(string(&mut x, s, 0, 0).ends_with("（2022年1-2月）"));
}

#[test]
fn main_sheet_values_numbering_and_notes() {
    let bytes = write(&sample_report());
    let mut x = open(&bytes);
    let s = "主要指标";
    // Row 4: 工业总产值, numbered 1; row 5 is its 其中 sub-item, not numbered.
    assert_eq!(float(&mut x, s, 3, 0), 1.0);
    assert_eq!(string(&mut x, s, 3, 1), "工业总产值");
    assert_eq!(string(&mut x, s, 3, 2), "亿元");
    assert_eq!(float(&mut x, s, 3, 3), 186.35);
    assert_eq!(float(&mut x, s, 3, 4), 12.4);
    assert_eq!(string(&mut x, s, 3, 11), "季节比例(S)");
    assert_eq!(cell(&mut x, s, 4, 0), Data::Empty);
    assert_eq!(string(&mut x, s, 4, 1), "其中：规模以上工业总产值");
    assert_eq!(float(&mut x, s, 5, 0), 2.0);
    // 利润总额: no growth, the note instead.
    assert_eq!(string(&mut x, s, 6, 1), "利润总额");
    assert_eq!(string(&mut x, s, 6, 4), "扭亏");
    // A missing target is an empty cell, not 0.
    assert_eq!(cell(&mut x, s, 6, 7), Data::Empty);
    // Negative growth is stored negative (shown red by the conditional format).
    assert_eq!(float(&mut x, s, 7, 4), -3.4);
    let styles = x.worksheet_style(s).unwrap();
    let indent = |r: u32| {
        styles
            .get((r, 1))
            .and_then(|st| st.alignment.as_ref())
            .and_then(|a| a.indent)
    };
    assert_eq!(indent(3).unwrap_or(0), 0);
    assert_eq!(indent(4), Some(1), "其中 rows are indented");
}

#[test]
fn number_formats_by_unit_and_growth_kind() {
    let bytes = write(&sample_report());
    let mut x = open(&bytes);
    let s = "主要指标";
    let table = park_table("x", 8);
    let at = |code: &str| 3 + table.rows.iter().position(|r| r.code == code).unwrap() as u32;
    assert_eq!(num_format(&mut x, s, at("IND_VA"), 3), "0.00", "亿元");
    assert_eq!(num_format(&mut x, s, at("FDI_ACT"), 3), "0.00", "万美元");
    assert_eq!(
        num_format(&mut x, s, at("STD_FACT_AREA"), 3),
        "0.00",
        "万平方米"
    );
    assert_eq!(num_format(&mut x, s, at("ENT_ABOVE"), 3), "0", "家");
    assert_eq!(num_format(&mut x, s, at("ENV_ACCIDENT"), 3), "0", "起");
    assert_eq!(num_format(&mut x, s, at("LEAD_SHARE"), 3), "0.0", "%");
    assert_eq!(
        num_format(&mut x, s, at("IND_VA"), 4),
        "0.0",
        "percent growth"
    );
    assert_eq!(
        num_format(&mut x, s, at("LEAD_SHARE"), 4),
        "0.0\"百分点\"",
        "pp growth"
    );
    assert_eq!(
        num_format(&mut x, s, at("ENT_ABOVE"), 4),
        "+0;-0;0",
        "absolute growth"
    );
    assert_eq!(num_format(&mut x, s, at("IND_VA"), 8), "0.0", "completion");
    assert_eq!(
        num_format(&mut x, s, at("IND_VA"), 10),
        "+0.0;-0.0;0.0",
        "schedule gap"
    );
    // The configured font is on the cells.
    let styles = x.worksheet_style(s).unwrap();
    let font = styles
        .get((3, 1))
        .and_then(|st| st.font.as_ref())
        .and_then(|f| f.name.clone());
    assert_eq!(font.as_deref(), Some("宋体"));
    let title_font = styles.get((0, 0)).and_then(|st| st.font.as_ref()).unwrap();
    assert!(title_font.is_bold() && title_font.size.unwrap() > 11.0);
}

#[test]
fn other_font_is_used() {
    let opts = WriteOptions {
        font: "仿宋_GB2312".into(),
        font_size: 12.0,
        ..Default::default()
    };
    let bytes = write_workbook(&sample_report(), &opts).unwrap();
    let mut x = open(&bytes);
    let styles = x.worksheet_style("数据审核").unwrap();
    let font = styles.get((3, 2)).and_then(|st| st.font.clone()).unwrap();
    assert_eq!(font.name.as_deref(), Some("仿宋_GB2312"));
    assert_eq!(font.size, Some(12.0));
}

#[test]
fn conditional_formats_are_real() {
    let bytes = write(&sample_report());
    let xml = sheet_xml(&bytes, "主要指标");
    let last = 3 + park_table("x", 8).rows.len();
    for col in ["E", "G", "K"] {
        let needle = format!("<conditionalFormatting sqref=\"{col}4:{col}{last}\">");
        assert!(xml.contains(&needle), "missing {needle}");
    }
    assert!(xml.contains("operator=\"lessThan\""));
    // Red is not painted statically on the negative cell.
    let styles = zip_entries(&bytes, "xl/styles.xml").remove(0).1;
    assert!(
        styles.contains("<dxfs count=\"1\">"),
        "one differential (conditional) format"
    );
    let industry = sheet_xml(&bytes, "产业结构");
    assert!(industry.contains("<conditionalFormatting"));
}

#[test]
fn print_setup_on_every_sheet() {
    let bytes = write(&sample_report());
    let names = open(&bytes).sheet_names();
    for name in &names {
        let xml = sheet_xml(&bytes, name);
        assert!(xml.contains("paperSize=\"9\""), "{name}: A4");
        assert!(
            xml.contains("orientation=\"landscape\""),
            "{name}: landscape"
        );
        assert!(
            xml.contains("fitToPage=\"1\"") && xml.contains("fitToHeight=\"0\""),
            "{name}: one page wide"
        );
        assert!(
            xml.contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"),
            "{name}: footer"
        );
    }
    let wb = zip_entries(&bytes, "xl/workbook.xml").remove(0).1;
    assert!(wb.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">主要指标!$1:$3</definedName>"), "{wb}");
    let main = sheet_xml(&bytes, "主要指标");
    assert!(
        main.contains(
            "<pane ySplit=\"3\" topLeftCell=\"A4\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        ),
        "frozen below the header"
    );
}

#[test]
fn columns_are_wide_enough_for_chinese() {
    let bytes = write(&sample_report());
    let xml = sheet_xml(&bytes, "主要指标");
    // Column B holds the longest name: 19 CJK characters = 38 display units.
    let col_b = xml
        .split("<col ")
        .find(|c| c.starts_with("min=\"2\" max=\"2\""))
        .expect("column B has a width");
    let width: f64 = col_b
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(width >= 38.0 * 1.1 + 2.0, "column B width {width}");
    assert!(width <= 50.0, "column B clamped, {width}");
}

#[test]
fn charts_are_present() {
    let bytes = write(&sample_report());
    let charts = zip_entries(&bytes, "xl/charts/chart");
    assert_eq!(
        charts.len(),
        2,
        "a bar chart of shares and a line chart of the trend"
    );
    assert!(charts[0].1.contains("<c:barChart>"));
    assert!(
        charts[0].1.contains("产业结构!$D$5:$D$9"),
        "shares of the five industries"
    );
    assert!(charts[1].1.contains("<c:lineChart>"));
    assert!(charts[0].1.contains("typeface=\"宋体\""));
}

#[test]
fn industry_trend_comparison_audit_text_and_notes() {
    let bytes = write(&sample_report());
    let mut x = open(&bytes);
    let s = "产业结构";
    assert_eq!(
        string(&mut x, s, 0, 0),
        "某某工业园区工业总产值产业结构（2022年1-8月）"
    );
    assert_eq!(string(&mut x, s, 2, 1), "产值");
    assert_eq!(string(&mut x, s, 3, 0), "合计");
    assert_eq!(float(&mut x, s, 3, 1), 186.35);
    assert_eq!(string(&mut x, s, 4, 0), "有色金属加工★");
    assert_eq!(float(&mut x, s, 4, 3), 33.4);
    assert_eq!(num_format(&mut x, s, 4, 4), "+0.0;-0.0;0.0");

    let s = "月度趋势";
    assert_eq!(
        string(&mut x, s, 0, 0),
        "某某工业园区\n工业增加值月度走势（2022年）"
    );
    assert_eq!(string(&mut x, s, 3, 0), "2月");
    assert_eq!(float(&mut x, s, 9, 3), 40.0);

    let s = "园区对比";
    let m = merged(&mut x, s);
    assert!(
        m.contains(&((2, 0), (3, 0))),
        "园区 spans two header rows: {m:?}"
    );
    assert!(
        m.contains(&((2, 1), (2, 4))),
        "band over 数值|增长|位次|进退位: {m:?}"
    );
    assert_eq!(string(&mut x, s, 2, 1), "工业增加值（亿元）");
    assert_eq!(string(&mut x, s, 3, 3), "位次");
    assert_eq!(float(&mut x, s, 4, 3), 1.0);
    assert_eq!(string(&mut x, s, 4, 4), "↑2");
    assert_eq!(string(&mut x, s, 5, 4), "↓1");
    assert_eq!(string(&mut x, s, 4, 8), "持平");
    assert_eq!(string(&mut x, s, 5, 7), "—", "unranked");

    let s = "数据审核";
    assert_eq!(
        string(&mut x, s, 1, 0),
        "共2条：错误1条，警告1条，提示0条。"
    );
    assert_eq!(string(&mut x, s, 3, 0), "错误");
    assert_eq!(string(&mut x, s, 3, 5), "D7");
    assert!(sheet_xml(&bytes, s).contains("<autoFilter ref=\"A3:F5\"/>"));

    let s = "文字材料";
    assert_eq!(
        string(&mut x, s, 2, 0),
        "1、发展水平及产业集聚情况。1-8月实现工业增加值45.62亿元，增长8.5%。"
    );
    assert_eq!(string(&mut x, s, 3, 0), "2、建设投入情况。");

    let s = "说明";
    assert_eq!(string(&mut x, s, 3, 1), "returns/2022-08.xls");
    assert_eq!(string(&mut x, s, 7, 0), "预计方法");
}

/// A text of several parks starts each park after the first on a new printed page.
#[test]
fn each_park_of_the_text_starts_a_page() {
    let mut r = sample_report();
    r.text = Some(
        "【甲园区（2022年1-8月）】\n1、甲的段落。\n2、甲的第二段。\n【乙园区（2022年1-8月）】\n1、乙的段落。\n"
            .into(),
    );
    let bytes = write(&r);
    let mut x = open(&bytes);
    assert_eq!(
        string(&mut x, "文字材料", 5, 0),
        "【乙园区（2022年1-8月）】"
    );
    let xml = sheet_xml(&bytes, "文字材料");
    assert!(
        xml.contains(r#"<rowBreaks count="1" manualBreakCount="1"><brk id="5" max="16383" man="1"/></rowBreaks>"#),
        "{xml}"
    );
    // a one-park text has no break
    let bytes = write(&sample_report());
    assert!(!sheet_xml(&bytes, "文字材料").contains("<rowBreaks"));
}

#[test]
fn several_parks_get_a_sheet_each() {
    let mut r = sample_report();
    r.parks = vec![park_table("甲园区", 8), park_table("乙园区", 8)];
    let bytes = write(&r);
    let mut x = open(&bytes);
    let names = x.sheet_names();
    assert_eq!(&names[..2], &["主要指标-甲园区", "主要指标-乙园区"]);
    assert!(string(&mut x, "主要指标-乙园区", 0, 0).starts_with("乙园区"));
}

#[test]
fn hostile_names_stay_strings() {
    let long = "很长的园区名称[一]:二*三?四/五\\六".repeat(2); // > 31 chars, every forbidden character
    assert!(long.chars().count() >= 40);
    let mut parks = vec![
        park_table("=SUM(A1)", 8),
        park_table(&long, 8),
        park_table("园区A/B", 8),
        park_table("园区A／B", 8), // sanitises to the same name as the one before
        park_table("Park", 8),
        park_table("PARK", 8),
        park_table("'O'Brien园区'", 8),
    ];
    parks[0].rows[0].name = "=1+1".into();
    parks[0].rows[0].method = Some("@cmd|' /C calc'!A0".into());
    parks[0].unit_note = "+单位".into();
    let mut report = SummaryReport {
        parks,
        ..Default::default()
    };
    report.audit.push(AuditRow {
        severity: Severity::Warning,
        check: "=HYPERLINK(\"http://x\")".into(),
        message: "-2+3".into(),
        file: "a\u{0}b.xls".into(),
        ..Default::default()
    });
    report.industries.push(IndustryTable {
        park: "=A1".into(),
        ..industry_table()
    });

    let bytes = write(&report);
    let mut x = open(&bytes);
    let names = x.sheet_names();
    let mut seen = HashSet::new();
    for n in &names {
        assert!(n.encode_utf16().count() <= 31, "{n}");
        assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
        assert!(!n.starts_with('\'') && !n.ends_with('\''), "{n}");
        assert!(seen.insert(n.to_lowercase()), "duplicate {n}");
    }
    assert_eq!(names.len(), 7 + 3);
    assert!(names.contains(&"主要指标-园区A／B".to_string()));
    assert!(names.contains(&"主要指标-园区A／B(2)".to_string()));
    assert!(names.contains(&"主要指标-PARK(2)".to_string()));

    let first = names[0].clone();
    assert_eq!(first, "主要指标-=SUM(A1)");
    assert_eq!(
        string(&mut x, &first, 0, 0),
        "=SUM(A1)主要经济指标完成情况（2022年1-8月）"
    );
    assert_eq!(string(&mut x, &first, 1, 0), "+单位");
    assert_eq!(string(&mut x, &first, 3, 1), "=1+1");
    assert_eq!(string(&mut x, &first, 3, 11), "@cmd|' /C calc'!A0");
    assert_eq!(string(&mut x, "数据审核", 3, 1), "=HYPERLINK(\"http://x\")");
    assert_eq!(string(&mut x, "数据审核", 3, 3), "ab.xls");
    assert_eq!(
        string(&mut x, "产业结构", 0, 0),
        "=A1工业总产值产业结构（2022年1-8月）"
    );
    let long_sheet = names
        .iter()
        .find(|n| n.starts_with("主要指标-很长"))
        .unwrap()
        .clone();
    assert_eq!(
        string(&mut x, &long_sheet, 0, 0),
        format!("{long}主要经济指标完成情况（2022年1-8月）")
    );
    // No formula anywhere.
    for (name, xml) in zip_entries(&bytes, "xl/worksheets/sheet") {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "{name} has a formula"
        );
        let formulas = x.worksheet_formula(&names[0]).unwrap();
        assert!(formulas.used_cells().next().is_none());
    }
    // Print titles survive quoting of odd sheet names.
    let wb = zip_entries(&bytes, "xl/workbook.xml").remove(0).1;
    assert!(wb.contains("'主要指标-''O''Brien园区'!$1:$3"), "{wb}");
}

#[test]
fn nan_and_infinity_are_not_numbers() {
    let mut r = sample_report();
    r.parks[0].rows[2].ytd = Some(f64::NAN);
    r.parks[0].rows[2].growth = Some(f64::INFINITY);
    r.parks[0].rows[2].growth_note = Some("扭亏".into()); // a number was given, even if not finite
    r.industries[0].rows[0].share = Some(f64::NEG_INFINITY);
    r.trends[0].points[0].ytd = Some(f64::NAN);
    r.comparison.as_mut().unwrap().parks[0].1[0].value = Some(f64::NAN);
    let bytes = write(&r);
    let mut x = open(&bytes);
    assert_eq!(string(&mut x, "主要指标", 5, 3), "—");
    assert_eq!(string(&mut x, "主要指标", 5, 4), "—");
    assert_eq!(string(&mut x, "产业结构", 4, 3), "—");
    assert_eq!(string(&mut x, "月度趋势", 3, 3), "—");
    assert_eq!(string(&mut x, "园区对比", 4, 1), "—");
    for (name, xml) in zip_entries(&bytes, "xl/worksheets/sheet") {
        assert!(!xml.contains("NaN") && !xml.contains("inf"), "{name}");
    }
}

#[test]
fn invalid_month_is_an_error() {
    let mut r = sample_report();
    r.parks[0].month = 13;
    let err = write_workbook(&r, &WriteOptions::default()).unwrap_err();
    assert!(
        matches!(err, ReportError::Month { month: 13, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("某某工业园区"));
}

#[test]
fn write_to_path_is_atomic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.xlsx");
    write_workbook_to_path(&sample_report(), &WriteOptions::default(), &path).unwrap();
    let first = std::fs::read(&path).unwrap();
    assert_eq!(open(&first).sheet_names()[0], "主要指标");

    // A failing write leaves the old file as it was and no temporary file.
    let mut bad = sample_report();
    bad.parks[0].month = 0;
    assert!(write_workbook_to_path(&bad, &WriteOptions::default(), &path).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), first);

    // The target is a folder: the rename fails, the folder is untouched, nothing is left behind.
    let folder = dir.path().join("folder.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let err =
        write_workbook_to_path(&sample_report(), &WriteOptions::default(), &folder).unwrap_err();
    assert!(matches!(err, ReportError::Persist { .. }), "{err:?}");
    assert!(err.to_string().contains("folder.xlsx"));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "only summary.xlsx and folder.xlsx: {left:?}");

    // A missing folder names the folder.
    let err = write_workbook_to_path(
        &sample_report(),
        &WriteOptions::default(),
        dir.path().join("no/such.xlsx"),
    )
    .unwrap_err();
    assert!(matches!(err, ReportError::TempFile { .. }), "{err:?}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644);
    }
}

// ---------------------------------------------------------------------------
// Text

/// Section 一, paragraphs 1–6, of the seed document, numbers blanked as `*`.
const SEED_1_TO_6: &str = "\
1、发展水平及产业集聚情况。1-8月实现工业增加值*亿元，增长*%；实缴税金*亿元，增长*%；技工贸总收入*亿元，增长*%；年度新增规模以上工业企业*个；主导产业工业总产值占园区工业总产值比重*%。预计全年实现工业增加值*亿元，增长 *%；实缴税金*亿元，增长*%；技工贸总收入*亿元，增长*%；年度新增规模以上工业企业*个；主导产业工业总产值占园区工业总产值比重*%。
2、建设投入情况。1-8月完成固定资产投资*亿元，增长*%；工业固定资产投资增长*%。预计全年完成固定资产投资*亿元，增长*%；工业固定资产投资增长*%。
3、招商引资情况。1-8月引进大项目*个；实际到位利用外资*万美元，增长*%；实际到位内资*亿元，增长*%；标准厂房建设面积*万平方米。预计全年引进大项目*个；实际到位利用外资*万美元，增长*%；实际到位内资*亿元，增长*%；标准厂房建设面积*万平方米。
4、科技创新情况。1-8月规模工业研发经费支出增长*%；高新技术产值增长*%。预计全年规模工业研发经费支出增长*%；高新技术产值增长*%。
5、节约集约用地情况。1-8月园区工业用地面积投资强度达*万元/亩。预计全年园区工业用地面积投资强度达*万元/亩。
6、节能与环保情况。园区万元规模工业增加值能耗降低*%；建成园区污水处理厂数*个；环境污染事故发生*起。
";

#[test]
fn default_template_is_the_seed_with_placeholders() {
    // Put the blanks back: every growth placeholder was "增长*%", the energy one "降低*%".
    let mut back = String::new();
    let mut rest = DEFAULT_TEMPLATE;
    while let Some(open) = rest.find('{') {
        back.push_str(&rest[..open]);
        let close = rest[open..].find('}').unwrap() + open;
        let inner = &rest[open + 1..close];
        back.push_str(if inner == "period" {
            "1-8月"
        } else if inner.ends_with(":growth") {
            "增长*%"
        } else if inner.ends_with(":drop") {
            "降低*%"
        } else {
            "*"
        });
        rest = &rest[close + 1..];
    }
    back.push_str(rest);
    assert_eq!(back, SEED_1_TO_6.replace("增长 *%", "增长*%"));
    assert_eq!(SEED_1_TO_6.matches('*').count(), 43);
    assert_eq!(DEFAULT_TEMPLATE.matches("{period}").count(), 5);
    assert_eq!(DEFAULT_TEMPLATE.matches('{').count(), 43 + 5);
}

fn golden_figures() -> FigureMap {
    let mut f = FigureMap::new();
    f.set("IND_VA", "ytd", 45.62)
        .set("IND_VA", "ytd_growth", 8.46)
        .set("IND_VA", "projection", 70.3)
        .set("IND_VA", "projection_growth", 8.5)
        .set("TAX_PAID", "ytd", 4.87)
        .set("TAX_PAID", "ytd_growth", -3.44)
        .set("TAX_PAID", "projection", 7.9)
        .set("TAX_PAID", "projection_growth", 0.0)
        .set("TIT_REV", "ytd", 210.45)
        .set("TIT_REV", "ytd_growth", 15.2)
        .set("TIT_REV", "projection", 318.0)
        .set("TIT_REV", "projection_growth", 14.96)
        .set("ENT_ABOVE_NEW", "ytd", 6.0)
        .set("ENT_ABOVE_NEW", "projection", 9.0)
        .set("LEAD_SHARE", "ytd", 72.34)
        .set("LEAD_SHARE", "projection", 72.85)
        .set("FAI", "ytd", 58.4)
        .set("FAI", "ytd_growth", 11.2)
        .set("FAI", "projection", 92.0)
        .set("FAI", "projection_growth", 10.5)
        .set("FAI_IND", "ytd_growth", 9.8)
        .set("FAI_IND", "projection_growth", -0.04)
        .set("PRJ_BIG_NEW", "ytd", 5.0)
        .set("PRJ_BIG_NEW", "projection", 8.0)
        .set("FDI_ACT", "ytd", 3250.0)
        .set("FDI_ACT", "ytd_growth", -12.5)
        .set("FDI_ACT", "projection", 5000.4)
        .set("FDI_ACT", "projection_growth", -10.0)
        .set("DOM_ACT", "ytd", 25.6)
        .set("DOM_ACT", "ytd_growth", 18.3)
        .set("DOM_ACT", "projection", 40.15)
        .set("DOM_ACT", "projection_growth", 17.0)
        .set("STD_FACT_AREA", "ytd", 12.5)
        .set_name("STD_FACT_AREA", "标准厂房建设面积")
        .set("RD_EXP", "ytd_growth", 22.6)
        .set("HT_GOV", "ytd_growth", 16.1)
        .set("HT_GOV", "projection_growth", 15.0)
        .set("INV_INTENSITY", "ytd", 285.64)
        .set("INV_INTENSITY", "projection", 290.05)
        .set("ENERGY_DROP", "ytd", 3.5)
        .set("WWTP", "ytd", 2.0)
        .set("ENV_ACCIDENT", "ytd", 0.0);
    f
}

#[test]
fn golden_default_text() {
    let ctx = TextContext {
        park: "某某工业园区".into(),
        year: 2022,
        month: 8,
    };
    let out = render(DEFAULT_TEMPLATE, &ctx, &golden_figures()).unwrap();
    let expected = "\
1、发展水平及产业集聚情况。1-8月实现工业增加值45.62亿元，增长8.5%；实缴税金4.87亿元，下降3.4%；技工贸总收入210.45亿元，增长15.2%；年度新增规模以上工业企业6个；主导产业工业总产值占园区工业总产值比重72.3%。预计全年实现工业增加值70.30亿元，增长8.5%；实缴税金7.90亿元，持平；技工贸总收入318.00亿元，增长15.0%；年度新增规模以上工业企业9个；主导产业工业总产值占园区工业总产值比重72.9%。
2、建设投入情况。1-8月完成固定资产投资58.40亿元，增长11.2%；工业固定资产投资增长9.8%。预计全年完成固定资产投资92.00亿元，增长10.5%；工业固定资产投资持平。
3、招商引资情况。1-8月引进大项目5个；实际到位利用外资3250万美元，下降12.5%；实际到位内资25.60亿元，增长18.3%；标准厂房建设面积12.50万平方米。预计全年引进大项目8个；实际到位利用外资5000万美元，下降10.0%；实际到位内资40.15亿元，增长17.0%；标准厂房建设面积【缺:标准厂房建设面积·预计全年】万平方米。
4、科技创新情况。1-8月规模工业研发经费支出增长22.6%；高新技术产值增长16.1%。预计全年规模工业研发经费支出【缺:RD_EXP·预计全年增长】；高新技术产值增长15.0%。
5、节约集约用地情况。1-8月园区工业用地面积投资强度达285.6万元/亩。预计全年园区工业用地面积投资强度达290.1万元/亩。
6、节能与环保情况。园区万元规模工业增加值能耗降低3.5%；建成园区污水处理厂数2个；环境污染事故发生0起。
";
    assert_eq!(out.text, expected);
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("STD_FACT_AREA.projection"));
    assert!(out.warnings[1].contains("RD_EXP.projection_growth"));
}

#[test]
fn default_text_from_a_park_table() {
    let table = park_table("某某工业园区", 8);
    let ctx = TextContext {
        park: table.park.clone(),
        year: table.year,
        month: table.month,
    };
    let out = render(DEFAULT_TEMPLATE, &ctx, &table).unwrap();
    assert!(out.text.starts_with("1、发展水平及产业集聚情况。1-8月实现工业增加值45.62亿元，增长8.5%；实缴税金4.87亿元，下降3.4%；"));
    // PRJ_BIG_NEW is not in the table: a named gap, never 0.
    assert!(
        out.text
            .contains("1-8月引进大项目【缺:PRJ_BIG_NEW·1-8月累计】个"),
        "{}",
        out.text
    );
    assert!(out.warnings.iter().any(|w| w.contains("PRJ_BIG_NEW.ytd")));
}

/// Writes the sample workbook for a person to look at:
/// `PARKSTAT_SAMPLE=/tmp/sample.xlsx cargo test --lib report::tests::write_sample -- --ignored`.
#[test]
#[ignore]
fn write_sample() {
    let path = std::env::var("PARKSTAT_SAMPLE").unwrap_or_else(|_| "summary-sample.xlsx".into());
    let mut report = sample_report();
    let table = &report.parks[0];
    let ctx = TextContext {
        park: table.park.clone(),
        year: table.year,
        month: table.month,
    };
    report.text = Some(
        render(DEFAULT_TEMPLATE, &ctx, &golden_figures())
            .unwrap()
            .text,
    );
    write_workbook_to_path(&report, &WriteOptions::default(), &path).unwrap();
}

/// A county of many parks: more trend blocks than Excel's 1,023 manual page breaks still gives a
/// workbook (the first 1,023 breaks are kept).
#[test]
fn many_trend_blocks_do_not_fail_on_page_breaks() {
    let mut report = sample_report();
    report.trends = (0..1100).map(|_| trend_table()).collect();
    let bytes = write_workbook(&report, &WriteOptions::default()).expect("written");
    let mut x = open(&bytes);
    assert!(x.sheet_names().iter().any(|n| n == "月度趋势"));
    // charts for the first MAX_TREND_CHARTS blocks only, and the 说明 sheet says so
    let zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).expect("zip");
    let charts = zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        .count();
    assert_eq!(charts, crate::report::MAX_TREND_CHARTS + 1); // + the industry chart
    let notes = x.worksheet_range("说明").expect("说明");
    assert!(
        notes
            .rows()
            .flatten()
            .any(|c| *c == "共1100组趋势，前64组附折线图，其余仅列表格。"),
        "the note on the charts"
    );
}
