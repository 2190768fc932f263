//! The bundled fixtures (A–H). See `fixtures/EXPECTED.md` (generated) for what each contains.

use std::fs;
use std::path::Path;

use crate::data::{self, round, sum1, Growth, Park, DONGSHAN, INDUSTRIES, QINGLIN};
use crate::expected;
use crate::indicator_return::{self as ir, new_workbook, period_code, report_date, Opts, Quirks};
use crate::sheet::{Fmts, Key, Rec, Res, Sheet, Val};
use rust_xlsxwriter::Workbook;

pub const PEOPLE: [&str; 4] = ["张建国", "李梅", "王晓东", "0736-7212345"];

/// A file the generator writes: its final path under the fixtures folder, and, for files that
/// make-fixtures.sh converts with LibreOffice, the staging xlsx and the target format.
pub struct Out {
    pub final_rel: String,
    pub note: String,
}

fn save(wb: &mut Workbook, out_dir: &Path, rel: &str) -> Res {
    let p = out_dir.join(rel);
    fs::create_dir_all(p.parent().unwrap())?;
    wb.save(&p)?;
    Ok(())
}

/// Indicator-return file name stem for 青林.
fn a_name(year: i32, month: u32) -> String {
    format!("{year}-{month:02} {QINGLIN}主要经济指标")
}

pub fn generate(out_dir: &Path) -> Res {
    let f = Fmts::new();
    let ql = data::qinglin();
    let ds = data::dongshan();
    let mut recs: Vec<Rec> = Vec::new();
    let mut files: Vec<Out> = Vec::new();
    let staging = out_dir.join("_convert");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }

    // (A) the indicator return, 1-6月 (→ .xls), 1-7月 (→ .ods), 1-8月 (.xlsx); (G) 2021 1-12月.
    for (year, month, ext, note) in [
        (2022, 6, "xls", "BIFF8 (.xls, \"MS Excel 97\"), converted by LibreOffice from the xlsx the generator writes"),
        (2022, 7, "ods", "OpenDocument (.ods), converted by LibreOffice from the xlsx the generator writes"),
        (2022, 8, "xlsx", "xlsx written by the generator"),
        (2021, 12, "xlsx", "xlsx written by the generator (prior-year full data)"),
    ] {
        let stem = a_name(year, month);
        let final_rel = format!("returns/{stem}.{ext}");
        let mut wb = new_workbook(year, month)?;
        let o = Opts {
            year,
            month,
            file: &final_rel,
            sheet: "主要经济指标",
            filler: "青林县工业园区管委会",
            people: PEOPLE,
        };
        ir::write(&mut wb, &f, &ql, &o, Quirks::Fixture, Some(&mut recs))?;
        if ext == "xlsx" {
            save(&mut wb, out_dir, &final_rel)?;
        } else {
            // make-fixtures.sh converts _convert/<ext>/<stem>.xlsx into returns/<stem>.<ext>.
            save(&mut wb, out_dir, &format!("_convert/{ext}/{stem}.xlsx"))?;
        }
        files.push(Out { final_rel, note: note.to_string() });
    }
    // The same 1-8月 return once more, for the BIFF5 ("MS Excel 95") conversion into legacy/.
    {
        let stem = a_name(2022, 8);
        let mut wb = new_workbook(2022, 8)?;
        let o = Opts {
            year: 2022,
            month: 8,
            file: "legacy",
            sheet: "主要经济指标",
            filler: "青林县工业园区管委会",
            people: PEOPLE,
        };
        ir::write(&mut wb, &Fmts::builtin_only(), &ql, &o, Quirks::Fixture, None)?;
        save(&mut wb, out_dir, &format!("_convert/xls95/{stem}.xlsx"))?;
    }

    // (B) enterprise return.
    let b_rel = format!("returns/2022-08 {QINGLIN}入驻企业经济指标.xlsx");
    {
        let mut wb = new_workbook(2022, 8)?;
        enterprise_return(&mut wb, &f, &b_rel, &mut recs)?;
        save(&mut wb, out_dir, &b_rel)?;
        files.push(Out { final_rel: b_rel, note: "xlsx written by the generator; 小计/合计 are SUM formulas with cached results".into() });
    }

    // (C) county comparison table → .xls.
    {
        let stem = "2022-08 全县各园区主要经济指标";
        let final_rel = format!("returns/{stem}.xls");
        let mut wb = new_workbook(2022, 8)?;
        county_table(&mut wb, &f, &ql, &final_rel, &mut recs)?;
        save(&mut wb, out_dir, &format!("_convert/xls/{stem}.xlsx"))?;
        files.push(Out {
            final_rel,
            note: "BIFF8 (.xls), converted by LibreOffice; the 合计 row holds SUM formulas (recalculated by LibreOffice)".into(),
        });
    }

    // (D) one workbook, one sheet per month, single header row, two tables on 8月.
    {
        let rel = format!("returns/2022 {}月报.xlsx", "东山工业园");
        let mut wb = new_workbook(2022, 8)?;
        for m in [6, 7, 8] {
            dongshan_sheet(&mut wb, &f, &ds, m, &rel, &mut recs)?;
        }
        save(&mut wb, out_dir, &rel)?;
        files.push(Out { final_rel: rel, note: "xlsx written by the generator; sheets 6月, 7月, 8月".into() });
    }

    // (E) two parks side by side.
    {
        let rel = "returns/2022-08 两园区对照.xlsx".to_string();
        let mut wb = new_workbook(2022, 8)?;
        two_parks(&mut wb, &f, &ql, &ds, &rel, &mut recs)?;
        save(&mut wb, out_dir, &rel)?;
        files.push(Out { final_rel: rel, note: "xlsx written by the generator".into() });
    }

    // (F) targets.csv.
    let targets = targets_csv(&ql);
    fs::write(out_dir.join("targets.csv"), &targets)?;

    // (H) bad files.
    bad_files(out_dir)?;
    truncated(out_dir)?;

    expected::write(out_dir, &recs, &files, &ql, &ds, &targets)?;
    Ok(())
}

fn targets_csv(ql: &Park) -> String {
    let mut s = String::from("park,indicator,target\n");
    for code in ["IND_VA", "IND_GOV", "IND_REV", "TAX_PAID", "FAI", "FDI_ACT", "DOM_ACT", "ENT_ABOVE", "ENERGY_DROP"] {
        let se = ql.get(code);
        let t = se.target(2022).unwrap() * se.to_canon;
        s += &format!("{QINGLIN},{code},{}\n", round(t, 4));
    }
    for (code, t) in [("IND_VA", 36.0), ("TAX_PAID", 4.3), ("FAI", 50.0), ("FDI_ACT", 3000.0)] {
        s += &format!("{DONGSHAN},{code},{t}\n");
    }
    s
}

/// (B) 入驻企业经济指标月报表.
fn enterprise_return(wb: &mut Workbook, f: &Fmts, rel: &str, recs: &mut Vec<Rec>) -> Res {
    let ws = wb.add_worksheet();
    ws.set_name("Sheet1")?;
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    for (c, w) in [6.0, 30.0, 14.0, 11.0, 12.0, 13.0, 10.0, 10.0, 13.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 30)?;
    let mut sh = Sheet { ws, f, recs: Some(recs), file: rel.to_string(), sheet: "Sheet1".into(), table: String::new() };
    sh.merge(0, 0, 0, 8, &format!("{QINGLIN}入驻企业经济指标月报表（2022年8月）"), &f.title)?;
    sh.merge(1, 0, 1, 3, "填报单位（公章）：青林县工业园区管委会", &f.note_left)?;
    sh.merge(1, 7, 1, 8, "单位：万元", &f.note_right)?;
    for (c, h) in [(0, "序号"), (1, "企业名称"), (2, "行业分类")] {
        sh.merge(2, c, 3, c, h, &f.header)?;
    }
    let bands = [("IND_GOV", "工业总产值", 3u16), ("TAX_PAID", "实缴税金", 6u16)];
    let subs = [("month", "本月数"), ("cum", "累计数"), ("prior_cum", "上年同期累计")];
    for (_, band, c0) in bands {
        sh.merge(2, c0, 2, c0 + 2, band, &f.header)?;
        for (i, (_, h)) in subs.iter().enumerate() {
            sh.text(3, c0 + i as u16, h, &f.header)?;
        }
    }
    let period = |role: &str| match role {
        "month" => "2022-08".to_string(),
        "cum" => period_code(2022, 8),
        _ => period_code(2021, 8),
    };
    let key = |row_label: &str, entity: &str, industry: &str, code: &str, band: &str, role: &str, sub: &str| Key {
        row_label: row_label.to_string(),
        col_label: format!("{band}/{sub}"),
        entity: entity.to_string(),
        indicator: code.to_string(),
        industry: industry.to_string(),
        role: role.to_string(),
        unit: "万元".into(),
        period: period(role),
    };
    let mut r: u32 = 4;
    let mut seq = 1;
    let mut subtotal_rows = Vec::new();
    // Totals per (band, sub) over all enterprises.
    let mut all: Vec<Vec<f64>> = vec![Vec::new(); 6];
    for (ind, ents) in data::enterprises() {
        let (icode, iname) = INDUSTRIES[ind];
        let first = r;
        let mut group: Vec<Vec<f64>> = vec![Vec::new(); 6];
        for e in &ents {
            sh.text(r, 0, &seq.to_string(), &f.label_center)?;
            sh.text(r, 1, e.name, &f.label)?;
            sh.text(r, 2, e.industry_written, &f.label_center)?;
            for (bi, (code, band, c0)) in bands.iter().enumerate() {
                let t = if bi == 0 { e.gov } else { e.tax };
                let vals = [Some(t.0), Some(t.1), t.2];
                for (si, v) in vals.iter().enumerate() {
                    let val = match v {
                        Some(x) => {
                            group[bi * 3 + si].push(*x);
                            all[bi * 3 + si].push(*x);
                            Val::Num { x: *x, dec: 1, sep: true }
                        }
                        None => Val::Missing("/"),
                    };
                    let (role, sub) = subs[si];
                    sh.data(r, c0 + si as u16, val, key(e.name, e.name, icode, code, band, role, sub))?;
                }
            }
            seq += 1;
            r += 1;
        }
        // 小计 row: SUM formulas.
        sh.text(r, 0, "", &f.label_center)?;
        sh.text(r, 1, "小计", &f.label_bold)?;
        sh.text(r, 2, iname, &f.label_center)?;
        for (bi, (code, band, c0)) in bands.iter().enumerate() {
            for (si, (role, sub)) in subs.iter().enumerate() {
                let c = c0 + si as u16;
                let col = crate::sheet::a1(0, c).trim_end_matches('1').to_string();
                let fml = format!("=SUM({col}{}:{col}{})", first + 1, r);
                let result = sum1(group[bi * 3 + si].iter().copied());
                let v = Val::Formula { f: fml, result, dec: 1, sep: true };
                sh.data(r, c, v, key("小计", &format!("小计:{iname}"), icode, code, band, role, sub))?;
            }
        }
        subtotal_rows.push(r);
        r += 1;
    }
    // 合计 row, label merged over 序号..行业分类.
    sh.merge(r, 0, r, 2, "合计", &f.header)?;
    for (bi, (code, band, c0)) in bands.iter().enumerate() {
        for (si, (role, sub)) in subs.iter().enumerate() {
            let c = c0 + si as u16;
            let col = crate::sheet::a1(0, c).trim_end_matches('1').to_string();
            let fml = format!("={}", subtotal_rows.iter().map(|sr| format!("{col}{}", sr + 1)).collect::<Vec<_>>().join("+"));
            let result = sum1(all[bi * 3 + si].iter().copied());
            let v = Val::Formula { f: fml, result, dec: 1, sep: true };
            sh.data(r, c, v, key("合计", "合计", "", code, band, role, sub))?;
        }
    }
    r += 2;
    sh.merge(r, 0, r, 1, &format!("填报人：{}", PEOPLE[2]), &f.footer)?;
    sh.merge(r, 2, r, 3, &format!("审核人：{}", PEOPLE[1]), &f.footer)?;
    sh.merge(r, 4, r, 5, &format!("联系电话：{}", PEOPLE[3]), &f.footer)?;
    sh.merge(r, 6, r, 8, &format!("报出日期：{}", report_date(2022, 8)), &f.footer)?;
    Ok(())
}

fn growth_val(g: Growth) -> Val {
    match g {
        Growth::Pct(x) => Val::num(x, 1),
        Growth::Turnaround => Val::Text("扭亏".into(), None),
        Growth::Flat => Val::Text("持平".into(), Some(0.0)),
        Growth::NotApplicable => Val::Missing("/"),
    }
}

/// Growth of a (cur, prior) pair in percent, rounded, plus a comparable-basis offset.
fn pair_growth(cur: f64, prior: f64, offset: f64) -> Growth {
    if prior <= 0.0 {
        Growth::NotApplicable
    } else if cur == prior {
        Growth::Flat
    } else {
        Growth::Pct(round(round((cur / prior - 1.0) * 100.0, 1) + offset, 1))
    }
}

/// (C) 全县各园区主要经济指标完成情况表.
fn county_table(wb: &mut Workbook, f: &Fmts, ql: &Park, rel: &str, recs: &mut Vec<Rec>) -> Res {
    let ws = wb.add_worksheet();
    ws.set_name("各园区")?;
    ws.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0);
    ws.set_column_width(0, 26)?;
    for c in 1..9 {
        ws.set_column_width(c, 11)?;
    }
    ws.set_row_height(0, 30)?;
    let mut sh = Sheet { ws, f, recs: Some(recs), file: rel.to_string(), sheet: "各园区".into(), table: String::new() };
    sh.merge(0, 0, 0, 8, "全县各园区主要经济指标完成情况表（2022年1-8月）", &f.title)?;
    sh.merge(1, 6, 1, 8, "单位：亿元、万美元、%", &f.note_right)?;
    sh.merge(2, 0, 3, 0, "园区名称", &f.header)?;
    let units = ["亿元", "亿元", "亿元", "万美元"];
    let decs = [2, 2, 2, 1];
    for (i, name) in data::COUNTY_NAMES.iter().enumerate() {
        let c = 1 + 2 * i as u16;
        sh.merge(2, c, 2, c + 1, name, &f.header)?;
        sh.text(3, c, "1-8月", &f.header)?;
        sh.text(3, c + 1, "增长%", &f.header)?;
    }
    // 青林's row from fixture A's 1-8月 figures (实缴税金 converted 万元 → 亿元, unrounded).
    type CountyLine = (String, [(f64, f64); 4], [Growth; 4]);
    let mut rows: Vec<CountyLine> = Vec::new();
    {
        let mut vals = [(0.0, 0.0); 4];
        let mut gs = [Growth::NotApplicable; 4];
        for (i, code) in data::COUNTY_CODES.iter().enumerate() {
            let s = ql.get(code);
            let k = if code == &"TAX_PAID" { 1e-4 } else { 1.0 };
            vals[i] = (s.at(2022, 8) * k, s.at(2021, 8) * k);
            gs[i] = s.growth(2022, 8);
        }
        rows.push((QINGLIN.to_string(), vals, gs));
    }
    for o in data::county_others() {
        let gs: [Growth; 4] = std::array::from_fn(|i| pair_growth(o.vals[i].0, o.vals[i].1, data::COUNTY_COMPARABLE[i]));
        rows.push((o.park.to_string(), o.vals, gs));
    }
    let mut r = 4u32;
    let first = r;
    for (park, vals, gs) in &rows {
        sh.text(r, 0, park, &f.label)?;
        for i in 0..4 {
            let c = 1 + 2 * i as u16;
            let code = data::COUNTY_CODES[i];
            let name = data::COUNTY_NAMES[i];
            let (cur, _) = vals[i];
            let v = if cur == 0.0 { Val::Missing("—") } else { Val::num(cur, decs[i]) };
            let k = |role: &str, sub: &str, unit: &str| Key {
                row_label: park.clone(),
                col_label: format!("{name}/{sub}"),
                entity: park.clone(),
                indicator: code.into(),
                industry: String::new(),
                role: role.into(),
                unit: unit.into(),
                period: period_code(2022, 8),
            };
            sh.data(r, c, v, k("cum", "1-8月", units[i]))?;
            sh.data(r, c + 1, growth_val(gs[i]), k("growth", "增长%", "%"))?;
        }
        r += 1;
    }
    sh.text(r, 0, "合计", &f.label_bold)?;
    for i in 0..4 {
        let c = 1 + 2 * i as u16;
        let col = crate::sheet::a1(0, c).trim_end_matches('1').to_string();
        let cur: f64 = rows.iter().map(|x| x.1[i].0).sum();
        let prior: f64 = rows.iter().filter(|x| x.1[i].0 != 0.0).map(|x| x.1[i].1).sum();
        let fml = format!("=SUM({col}{}:{col}{})", first + 1, r);
        let code = data::COUNTY_CODES[i];
        let name = data::COUNTY_NAMES[i];
        let k = |role: &str, sub: &str, unit: &str| Key {
            row_label: "合计".into(),
            col_label: format!("{name}/{sub}"),
            entity: "合计".into(),
            indicator: code.into(),
            industry: String::new(),
            role: role.into(),
            unit: unit.into(),
            period: period_code(2022, 8),
        };
        sh.data(r, c, Val::Formula { f: fml, result: cur, dec: decs[i], sep: false }, k("cum", "1-8月", units[i]))?;
        let g = pair_growth(cur, prior, data::COUNTY_COMPARABLE[i]);
        sh.data(r, c + 1, growth_val(g), k("growth", "增长%", "%"))?;
    }
    r += 1;
    sh.merge(r, 0, r, 8, "注：工业增加值增速为可比价增速；实际到位利用外资单位为万美元。", &f.footer)?;
    r += 1;
    sh.merge(r, 0, r, 2, "资料来源：各园区管委会报送", &f.footer)?;
    sh.merge(r, 5, r, 8, &format!("报出日期：{}", report_date(2022, 8)), &f.footer)?;
    Ok(())
}

const DS_MAIN: [(&str, &str); 10] = [
    ("IND_VA", "规模工业增加值"),
    ("IND_GOV", "工业总产值"),
    ("IND_REV", "主营业务收入"),
    ("IND_PROFIT", "利润总额"),
    ("TAX_PAID", "上缴税金"),
    ("FAI", "固定资产投资"),
    ("FAI_IND", "其中：工业投资"),
    ("ENT_ABOVE", "规上工业企业"),
    ("HT_GOV", "高新技术产业产值"),
    ("ENERGY_IND", "综合能源消费量"),
];
const DS_INVEST: [(&str, &str); 4] = [
    ("PRJ_BIG_NEW", "引进大项目"),
    ("FDI_ACT", "实际到位利用外资"),
    ("DOM_ACT", "实际到位内资"),
    ("STD_FACT_AREA", "标准厂房建设面积"),
];

/// (D) one sheet "N月" of 东山工业园月报: single header row, no period in the title.
fn dongshan_sheet(wb: &mut Workbook, f: &Fmts, ds: &Park, month: u32, rel: &str, recs: &mut Vec<Rec>) -> Res {
    let name = format!("{month}月");
    let ws = wb.add_worksheet();
    ws.set_name(&name)?;
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    for (c, w) in [26.0, 12.0, 13.0, 13.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 28)?;
    let mut sh = Sheet { ws, f, recs: Some(recs), file: rel.to_string(), sheet: name.clone(), table: "主要指标".into() };
    sh.merge(0, 0, 0, 4, "东山工业园区主要指标月报", &f.title)?;
    sh.merge(1, 0, 1, 2, "填报单位：东山工业园区经济发展局", &f.note_left)?;
    sh.text(1, 4, "单位：亿元", &f.note_right)?;
    let cum_h = format!("1-{month}月累计");
    let mut r = 2;
    let table = |sh: &mut Sheet, r: &mut u32, items: &[(&str, &str)]| -> Res {
        for (c, h) in ["指标名称", "单位", cum_h.as_str(), "去年同期", "增长%"].iter().enumerate() {
            sh.text(*r, c as u16, h, &f.header)?;
        }
        *r += 1;
        for (code, label) in items {
            let s = ds.get(code);
            sh.text(*r, 0, label, &f.label)?;
            sh.text(*r, 1, s.unit, &f.label_center)?;
            let k = |role: &str, col: &str, unit: &str, period: String| Key {
                row_label: label.to_string(),
                col_label: col.to_string(),
                entity: DONGSHAN.into(),
                indicator: code.to_string(),
                industry: String::new(),
                role: role.into(),
                unit: unit.into(),
                period,
            };
            sh.data(*r, 2, Val::num(s.at(2022, month), s.dec), k("cum", &cum_h, s.unit, period_code(2022, month)))?;
            sh.data(*r, 3, Val::num(s.at(2021, month), s.dec), k("prior_cum", "去年同期", s.unit, period_code(2021, month)))?;
            sh.data(*r, 4, growth_val(s.growth(2022, month)), k("growth", "增长%", "%", period_code(2022, month)))?;
            *r += 1;
        }
        Ok(())
    };
    table(&mut sh, &mut r, &DS_MAIN)?;
    if month == 8 {
        r += 2;
        sh.table = "招商引资情况".into();
        sh.merge(r, 0, r, 4, "招商引资情况", &f.title)?;
        r += 1;
        table(&mut sh, &mut r, &DS_INVEST)?;
    }
    r += 1;
    sh.text(r, 0, "填报人：赵磊", &f.footer)?;
    sh.text(r, 2, "联系电话：0736-7398811", &f.footer)?;
    Ok(())
}

/// (E) 两园区对照: parks side by side.
fn two_parks(wb: &mut Workbook, f: &Fmts, ql: &Park, ds: &Park, rel: &str, recs: &mut Vec<Rec>) -> Res {
    let ws = wb.add_worksheet();
    ws.set_name("对照")?;
    ws.set_paper_size(9).set_print_fit_to_pages(1, 0);
    for (c, w) in [24.0, 10.0, 12.0, 10.0, 12.0, 10.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.set_row_height(0, 28)?;
    let mut sh = Sheet { ws, f, recs: Some(recs), file: rel.to_string(), sheet: "对照".into(), table: String::new() };
    sh.merge(0, 0, 0, 5, "青林县工业园区、东山工业园区主要经济指标对照表（2022年1-8月）", &f.title)?;
    sh.merge(1, 3, 1, 5, "单位：亿元、万元、万美元、%", &f.note_right)?;
    sh.merge(2, 0, 3, 0, "指标名称", &f.header)?;
    sh.merge(2, 1, 3, 1, "计量单位", &f.header)?;
    for (i, p) in [QINGLIN, DONGSHAN].iter().enumerate() {
        let c = 2 + 2 * i as u16;
        sh.merge(2, c, 2, c + 1, p, &f.header)?;
        sh.text(3, c, "1-8月", &f.header)?;
        sh.text(3, c + 1, "增长%", &f.header)?;
    }
    let items = [
        ("IND_VA", "工业增加值", "亿元"),
        ("IND_GOV", "工业总产值", "亿元"),
        ("TAX_PAID", "实缴税金", "万元"),
        ("FAI", "固定资产投资", "亿元"),
        ("FDI_ACT", "实际到位利用外资", "万美元"),
        ("ENT_ABOVE", "规模以上工业企业", "家"),
    ];
    let mut r = 4;
    for (code, label, unit) in items {
        sh.text(r, 0, label, &f.label)?;
        sh.text(r, 1, unit, &f.label_center)?;
        for (i, park) in [ql, ds].iter().enumerate() {
            let c = 2 + 2 * i as u16;
            let s = park.get(code);
            // Both parks' 实缴税金 in 万元 here; 东山 reports it in 亿元 (fixture D).
            let (x, dec) = if unit == "万元" && s.unit == "亿元" { (round(s.at(2022, 8) * 1e4, 1), 1) } else { (s.at(2022, 8), s.dec) };
            let k = |role: &str, sub: &str, unit: &str| Key {
                row_label: label.into(),
                col_label: format!("{}/{sub}", park.name),
                entity: park.name.into(),
                indicator: code.into(),
                industry: String::new(),
                role: role.into(),
                unit: unit.into(),
                period: period_code(2022, 8),
            };
            sh.data(r, c, Val::num(x, dec), k("cum", "1-8月", unit))?;
            sh.data(r, c + 1, growth_val(s.growth(2022, 8)), k("growth", "增长%", "%"))?;
        }
        r += 1;
    }
    sh.merge(r, 0, r, 5, "注：工业增加值、工业总产值增速为可比价增速。", &f.footer)?;
    Ok(())
}

fn bad_files(out_dir: &Path) -> Res {
    let bad = out_dir.join("bad");
    fs::create_dir_all(&bad)?;
    let html = "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\n\
<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"><title>主要经济指标</title></head>\n\
<body>\n<table border=\"1\">\n\
<tr><td colspan=\"4\">青林县工业园区主要经济指标完成情况表（2022年1-8月）</td></tr>\n\
<tr><td>指标名称</td><td>计量单位</td><td>1-8月</td><td>同比增长(%)</td></tr>\n\
<tr><td>工业增加值</td><td>亿元</td><td>38.64</td><td>6.5</td></tr>\n\
<tr><td>实缴税金</td><td>万元</td><td>49876.5</td><td>8.2</td></tr>\n\
</table>\n</body>\n</html>\n";
    fs::write(bad.join("html-table.xls"), html)?;
    fs::write(bad.join("empty.xlsx"), b"")?;
    fs::write(
        bad.join("notes.txt"),
        "青林县工业园区 2022年8月报表说明\n本月数据以统计局反馈为准，工业增加值增速为可比价增速。\n",
    )?;
    fs::write(
        bad.join("data.xlsx"),
        "指标名称,计量单位,1-8月,增长%\n工业增加值,亿元,38.64,6.5\n实缴税金,万元,49876.5,8.2\n",
    )?;
    Ok(())
}

/// (H) truncated.xlsx: the first 60% of fixture A's 1-8月 xlsx (written after it exists).
pub fn truncated(out_dir: &Path) -> Res {
    let src = out_dir.join(format!("returns/{}.xlsx", a_name(2022, 8)));
    let bytes = fs::read(src)?;
    let n = bytes.len() * 6 / 10;
    fs::write(out_dir.join("bad/truncated.xlsx"), &bytes[..n])?;
    Ok(())
}
