//! Shape 1, the indicator return (主要经济指标完成情况表) in the layout of fixture A; also used for
//! fixture G (2021-12) and for every file of the `bench` subcommand.
//!
//! ```text
//! row 1  title, merged A:J               青林县工业园区主要经济指标完成情况表
//! row 2  period, merged A:J              （2022年1-8月）
//! row 3  A:E 填报单位：…   H:J 单位：亿元、万美元、%
//! row 4  blank
//! row 5  序号 | 指 标 名 称 | 计量单位 | 本月 | 1-8月 (merged E5:G5)      | 上年全年 | 全年目标 | 备注
//! row 6  (merged down)                        | 累计 | 上年同期 | 同比增长(%) | (merged down)
//! row 7… section rows (一 工业经济 …) and indicator rows
//! then   注：工业增加值增速为可比价增速。 (merged A:J), then the signatures row.
//! ```

use crate::data::{round, Growth, Kind, Park, Series};
use crate::rng::Rng;
use crate::sheet::{fullwidth, fullwidth_minus, thousands, Fmts, Key, Rec, Res, Sheet, Val};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

/// A row of the table: a section heading or an indicator.
pub enum Row {
    Section(&'static str, &'static str),
    /// 序号, 指标名称 as written, indicator code, 计量单位 as written (None = the series' unit), 备注.
    Ind(&'static str, &'static str, &'static str, Option<&'static str>, &'static str),
}

pub fn rows() -> Vec<Row> {
    use Row::*;
    vec![
        Section("一", "工业经济"),
        Ind("1", "工业增加值", "IND_VA", None, "可比价"),
        Ind("2", "工业总产值", "IND_GOV", None, ""),
        Ind("", "其中：主导产业产值", "LEAD_GOV", None, ""),
        Ind("3", "规上工业营业收入", "IND_REV", None, ""),
        Ind("4", "利润总额", "IND_PROFIT", None, "上年同期亏损"),
        // Unit only in the name: the 计量单位 cell is blank.
        Ind("5", "实缴税金(万元)", "TAX_PAID", Some(""), ""),
        Ind("6", "技工贸总收入", "TIT_REV", None, ""),
        Ind("7", "高新技术产业产值", "HT_GOV", None, ""),
        Ind("8", "规模工业研发经费支出", "RD_EXP", None, ""),
        Section("二", "投资与招商"),
        Ind("", "（一）固定资产投资", "FAI", None, ""),
        Ind("", "#工业固定资产投资", "FAI_IND", None, ""),
        Ind("", "（二）实际到位利用外资", "FDI_ACT", None, ""),
        Ind("", "（三）实际到位内资", "DOM_ACT", None, ""),
        Ind("", "（四）引进大项目", "PRJ_BIG_NEW", None, "亿元以上"),
        Ind("", "（五）标准厂房建设面积", "STD_FACT_AREA", None, ""),
        Section("三", "企业与用地"),
        Ind("9", "规模以上工业企业", "ENT_ABOVE", None, "期末数"),
        Ind("10", "年度新增规模以上工业企业", "ENT_ABOVE_NEW", None, ""),
        Ind("11", "工业用地面积", "LAND_IND", None, "期末数"),
        Section("四", "绿色发展"),
        Ind("12", "规模工业综合能源消费量", "ENERGY_IND", None, ""),
        Ind("13", "万元规模工业增加值能耗降低", "ENERGY_DROP", None, ""),
        Ind("14", "园区污水处理厂数", "WWTP", None, ""),
        Ind("15", "环境污染事故", "ENV_ACCIDENT", None, ""),
    ]
}

/// How numbers are disguised.
pub enum Quirks<'r> {
    /// The fixed quirks of fixtures A and G.
    Fixture,
    /// Random text-stored numbers etc. (bench).
    Random(&'r mut Rng),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Disguise {
    Plain,
    Text,
    TextThousands,
    TextSpaces,
    FullWidth,
    FullMinus,
    PercentFormat,
    Times,
}

pub struct Opts<'a> {
    pub year: i32,
    pub month: u32,
    pub file: &'a str,
    pub sheet: &'a str,
    /// 填报单位.
    pub filler: &'a str,
    /// 单位负责人, 统计负责人, 填报人, 联系电话.
    pub people: [&'a str; 4],
}

pub fn band(month: u32) -> String {
    if month == 1 {
        "1月".to_string()
    } else {
        format!("1-{month}月")
    }
}

pub fn period_code(year: i32, month: u32) -> String {
    format!("{year}-01..{month:02}")
}

pub fn report_date(year: i32, month: u32) -> String {
    if month == 12 {
        format!("{}年1月5日", year + 1)
    } else {
        format!("{}年{}月5日", year, month + 1)
    }
}

pub fn new_workbook(year: i32, month: u32) -> Res<Workbook> {
    let mut wb = Workbook::new();
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    let dt = ExcelDateTime::from_ymd(y as u16, m as u8, 5)?.and_hms(9, 30, 0)?;
    wb.set_properties(&DocProperties::new().set_author("园区统计").set_creation_datetime(&dt));
    Ok(wb)
}

const ROLES: [(&str, &str); 6] = [
    ("month", "本月"),
    ("cum", "累计"),
    ("prior_cum", "上年同期"),
    ("growth", "同比增长(%)"),
    ("prior_year", "上年全年"),
    ("target", "全年目标"),
];

fn fixture_disguise(code: &str, role: &str, year: i32, month: u32) -> Disguise {
    match (code, role) {
        ("STD_FACT_AREA", "cum") => Disguise::Text,
        ("STD_FACT_AREA", "growth") => Disguise::Times, // only applied when ≥ 100 %, see below
        ("FDI_ACT", "prior_cum") => Disguise::TextThousands,
        ("TIT_REV", "growth") => Disguise::FullWidth,
        ("DOM_ACT", "growth") => Disguise::FullMinus,
        ("IND_REV", "prior_year") => Disguise::TextSpaces,
        ("HT_GOV", "growth") if year == 2022 && month == 8 => Disguise::PercentFormat,
        _ => Disguise::Plain,
    }
}

fn random_disguise(rng: &mut Rng, role: &str, x: f64) -> Disguise {
    if role == "growth" {
        if x >= 100.0 && rng.chance(0.5) {
            return Disguise::Times;
        }
        if rng.chance(0.03) {
            return Disguise::PercentFormat;
        }
        if x < 0.0 && rng.chance(0.1) {
            return Disguise::FullMinus;
        }
    }
    if rng.chance(0.05) {
        *rng.pick(&[Disguise::Text, Disguise::TextThousands, Disguise::TextSpaces, Disguise::FullWidth])
    } else {
        Disguise::Plain
    }
}

fn disguise(x: f64, dec: usize, d: Disguise) -> Val {
    let plain = format!("{:.*}", dec, x);
    match d {
        Disguise::Plain => Val::num(x, dec),
        Disguise::Text => Val::Text(plain, Some(x)),
        Disguise::TextThousands => Val::Text(thousands(x, dec), Some(x)),
        Disguise::TextSpaces => Val::Text(format!(" {plain} "), Some(x)),
        Disguise::FullWidth => Val::Text(fullwidth(&plain), Some(x)),
        Disguise::FullMinus => Val::Text(fullwidth_minus(&plain), Some(x)),
        Disguise::PercentFormat => Val::Pct(round(x / 100.0, 3)),
        Disguise::Times => {
            let times = round(x / 100.0, 1);
            Val::Text(format!("增长{times}倍"), Some(round(times * 100.0, 1)))
        }
    }
}

fn value_for(s: &Series, role: &str, year: i32, month: u32) -> Option<(f64, usize)> {
    match role {
        "month" => s.month_value(year, month).map(|x| (x, s.dec)),
        "cum" => Some((s.at(year, month), s.dec)),
        "prior_cum" => Some((s.at(year - 1, month), s.dec)),
        "prior_year" => Some((s.at(year - 1, 12), s.dec)),
        "target" => s.target(year).map(|x| (x, s.dec)),
        "growth" => match s.growth(year, month) {
            Growth::Pct(g) => Some((g, 1)),
            _ => None,
        },
        _ => unreachable!(),
    }
}

/// Writes one indicator return as a worksheet of `wb`.
pub fn write(wb: &mut Workbook, f: &Fmts, park: &Park, o: &Opts, mut q: Quirks, recs: Option<&mut Vec<Rec>>) -> Res {
    let ws = wb.add_worksheet();
    ws.set_name(o.sheet)?;
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0).set_print_center_horizontally(true);
    for (c, w) in [6.0, 30.0, 10.0, 10.0, 11.0, 11.0, 12.0, 11.0, 10.0, 12.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 30)?;
    let mut sh = Sheet { ws, f, recs, file: o.file.to_string(), sheet: o.sheet.to_string(), table: String::new() };
    let band = band(o.month);
    sh.merge(0, 0, 0, 9, &format!("{}主要经济指标完成情况表", park.name), &f.title)?;
    sh.merge(1, 0, 1, 9, &format!("（{}年{}）", o.year, band), &f.subtitle)?;
    sh.merge(2, 0, 2, 4, &format!("填报单位：{}", o.filler), &f.note_left)?;
    sh.merge(2, 7, 2, 9, "单位：亿元、万美元、%", &f.note_right)?;
    // Two-row header.
    for (c, h) in [(0, "序号"), (1, "指 标 名 称"), (2, "计量单位"), (3, "本月"), (7, "上年全年"), (8, "全年目标"), (9, "备注")] {
        sh.merge(4, c, 5, c, h, &f.header)?;
    }
    sh.merge(4, 4, 4, 6, &band, &f.header)?;
    for (c, h) in [(4, "累计"), (5, "上年同期"), (6, "同比增长(%)")] {
        sh.text(5, c, h, &f.header)?;
    }
    let col_label = |role: &str| -> String {
        let h = ROLES.iter().find(|(r, _)| *r == role).unwrap().1;
        match role {
            "cum" | "prior_cum" | "growth" => format!("{band}/{h}"),
            _ => h.to_string(),
        }
    };
    let mut r = 6;
    for row in rows() {
        match row {
            Row::Section(seq, name) => {
                sh.text(r, 0, seq, &f.label_center)?;
                sh.text(r, 1, name, &f.label_bold)?;
                for c in 2..10 {
                    sh.text(r, c, "", &f.label)?;
                }
            }
            Row::Ind(seq, label, code, unit, remark) => {
                let s = park.get(code);
                sh.text(r, 0, seq, &f.label_center)?;
                sh.text(r, 1, label, &f.label)?;
                sh.text(r, 2, unit.unwrap_or(s.unit), &f.label_center)?;
                for (i, (role, _)) in ROLES.iter().enumerate() {
                    let col = 3 + i as u16;
                    let v = match value_for(s, role, o.year, o.month) {
                        Some((x, dec)) => {
                            let d = match &mut q {
                                Quirks::Fixture => match fixture_disguise(code, role, o.year, o.month) {
                                    Disguise::Times if x < 100.0 => Disguise::Plain,
                                    d => d,
                                },
                                Quirks::Random(rng) => random_disguise(rng, role, x),
                            };
                            disguise(x, dec, d)
                        }
                        None => match *role {
                            "month" => Val::Missing("—"),
                            "growth" => match s.growth(o.year, o.month) {
                                Growth::Turnaround => Val::Text("扭亏".into(), None),
                                Growth::Flat => Val::Text("持平".into(), Some(0.0)),
                                _ => Val::Missing("/"),
                            },
                            _ => Val::Missing(""),
                        },
                    };
                    let (unit, period) = match *role {
                        "growth" => ("%".to_string(), period_code(o.year, o.month)),
                        "month" => (s.unit.to_string(), format!("{}-{:02}", o.year, o.month)),
                        "prior_cum" => (s.unit.to_string(), period_code(o.year - 1, o.month)),
                        "prior_year" => (s.unit.to_string(), period_code(o.year - 1, 12)),
                        "target" => (s.unit.to_string(), period_code(o.year, 12)),
                        _ => (s.unit.to_string(), period_code(o.year, o.month)),
                    };
                    let unit = if s.kind == Kind::Rate { "%".to_string() } else { unit };
                    let key = Key {
                        row_label: label.to_string(),
                        col_label: col_label(role),
                        entity: park.name.to_string(),
                        indicator: code.to_string(),
                        industry: String::new(),
                        role: role.to_string(),
                        unit,
                        period,
                    };
                    sh.data(r, col, v, key)?;
                }
                sh.text(r, 9, remark, &f.label)?;
            }
        }
        r += 1;
    }
    sh.merge(r, 0, r, 9, "注：工业增加值增速为可比价增速。", &f.footer)?;
    r += 1;
    let [boss, stat, filler, phone] = o.people;
    sh.merge(r, 0, r, 1, &format!("单位负责人：{boss}"), &f.footer)?;
    sh.merge(r, 2, r, 3, &format!("统计负责人：{stat}"), &f.footer)?;
    sh.merge(r, 4, r, 5, &format!("填报人：{filler}"), &f.footer)?;
    sh.merge(r, 6, r, 7, &format!("联系电话：{phone}"), &f.footer)?;
    sh.merge(r, 8, r, 9, &format!("报出日期：{}", report_date(o.year, o.month)), &f.footer)?;
    Ok(())
}
