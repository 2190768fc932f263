//! Benchmark inputs: many monthly indicator returns (`bench`) and one large enterprise return
//! (`enterprise`). Deterministic for a given seed.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use crate::data::{self, flow_years, round, Kind, Park, Series, INDUSTRIES};
use crate::indicator_return::{self as ir, new_workbook, Opts, Quirks};
use crate::rng::Rng;
use crate::sheet::{fullwidth, thousands, Fmts, Res};

const FIRST: [&str; 24] = [
    "青", "东", "石", "龙", "白", "金", "安", "永", "新", "桃", "丰", "清", "长", "云", "宁", "凤", "黄", "柳", "高", "南",
    "临", "德", "瑞", "兴",
];
const SECOND: [&str; 20] =
    ["林", "山", "桥", "泉", "沙", "溪", "平", "田", "源", "城", "河", "阳", "江", "岭", "化", "都", "乡", "丘", "川", "湖"];
const SUFFIX: [&str; 6] = ["县工业园区", "县经济开发区", "县高新技术产业园区", "县工业集中区", "县产业园", "县经济技术开发区"];

/// `n` distinct realistic park names ("临川县工业园区").
pub fn park_names(rng: &mut Rng, n: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    while out.len() < n {
        let name = format!("{}{}{}", rng.pick(&FIRST), rng.pick(&SECOND), rng.pick(&SUFFIX));
        let county = &name[..6];
        let county_free = !out.iter().any(|o| o.starts_with(county)) || out.len() >= FIRST.len() * SECOND.len();
        if county_free && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// A park whose figures are 青林's scaled by a random size and growth.
fn scaled_park(base: &Park, name: &str, rng: &mut Rng) -> Park {
    let size = rng.range(0.2, 2.5);
    let series = base
        .series
        .iter()
        .map(|s| {
            let mut t = s.clone();
            let k = size * rng.range(0.85, 1.15);
            match s.kind {
                Kind::Flow if s.code != "IND_PROFIT" && s.code != "STD_FACT_AREA" => {
                    let totals = [0, 1, 2].map(|y| s.v[y][11] * k * rng.range(0.92, 1.08));
                    t.v = flow_years(rng, totals, s.dec);
                }
                Kind::Rate => {
                    let d = rng.range(-0.5, 0.5);
                    t.v = s.v.map(|y| y.map(|x| round(x + d, s.dec)));
                }
                Kind::CountStock if s.code == "WWTP" => {}
                _ => {
                    t.v = s.v.map(|y| y.map(|x| round(x * k, s.dec)));
                }
            }
            t.target = s.target.map(|x| x.map(|x| if s.kind == Kind::Rate { x } else { round(x * k, s.dec) }));
            t
        })
        .collect::<Vec<Series>>();
    Park { name: Box::leak(name.to_string().into_boxed_str()), series }
}

pub fn bench(out: &Path, count: usize, seed: u64) -> Res {
    let t0 = Instant::now();
    let mut rng = Rng::new(seed);
    let nparks = 50.max(count.div_ceil(24));
    let names = park_names(&mut rng, nparks);
    let base = data::qinglin();
    let parks: Vec<Park> = names.iter().map(|n| scaled_park(&base, n, &mut rng)).collect();
    let f = Fmts::new();
    let mut manifest = String::from("file,park,year,month,IND_VA_cum,TAX_PAID_cum\n");
    let mut n = 0;
    'outer: for year in [2021, 2022] {
        for month in 1..=12u32 {
            for park in &parks {
                if n == count {
                    break 'outer;
                }
                let rel = format!("{}/{year}-{month:02} {}.xlsx", park.name, park.name);
                let mut wb = new_workbook(year, month)?;
                let o = Opts {
                    year,
                    month,
                    file: &rel,
                    sheet: "Sheet1",
                    filler: &format!("{}管委会", park.name),
                    people: ["（签章）", "（签章）", "统计员", "（略）"],
                };
                ir::write(&mut wb, &f, park, &o, Quirks::Random(&mut rng), None)?;
                let p = out.join(&rel);
                fs::create_dir_all(p.parent().unwrap())?;
                wb.save(&p)?;
                let _ = writeln!(
                    manifest,
                    "{rel},{},{year},{month},{},{}",
                    park.name,
                    park.get("IND_VA").at(year, month),
                    park.get("TAX_PAID").at(year, month)
                );
                n += 1;
            }
        }
    }
    fs::write(out.join("manifest.csv"), manifest)?;
    eprintln!("wrote {n} returns for {} parks into {} in {:.1?}", nparks.min(n), out.display(), t0.elapsed());
    Ok(())
}

const WORDS: [&str; 40] = [
    "华宇", "恒达", "博远", "康源", "绿源", "天和", "新能", "华昌", "光伏", "鑫源", "森宜", "宏基", "金达", "宏业", "瑞丰", "永盛",
    "正泰", "德信", "汇通", "嘉和", "隆鑫", "百川", "众诚", "安泰", "盛世", "华兴", "东方", "长江", "海纳", "中科", "联创", "万佳",
    "金源", "赣锋", "顺达", "富源", "宝丰", "昌盛", "天润", "佳能",
];
const TRADE: [[&str; 4]; 5] = [
    ["铜业", "铝材", "稀有金属", "合金材料"],
    ["电子科技", "照明电器", "线缆", "智能科技"],
    ["药业", "食品", "生物科技", "饮品"],
    ["化工", "新材料", "能源科技", "新能源"],
    ["建材", "家具", "新型建材", "木业"],
];
/// Industry as written: canonical or an alias.
const INDUSTRY_WRITTEN: [[&str; 2]; 5] =
    [["有色金属加工", "有色金属"], ["轻工电子", "电子信息"], ["食品医药", "生物医药"], ["能源化工", "化工"], ["建材家具", "建材"]];
const TOWNS: [&str; 8] = ["城关镇", "东山镇", "石桥镇", "龙泉乡", "白沙镇", "金溪乡", "桃源镇", "工业园区"];

pub fn enterprise(out_file: &Path, rows: usize, seed: u64) -> Res {
    let t0 = Instant::now();
    let mut rng = Rng::new(seed);
    let f = Fmts::new();
    let mut wb = new_workbook(2022, 8)?;
    let ws = wb.add_worksheet();
    ws.set_name("规上企业明细")?;
    let widths = [7.0, 34.0, 21.0, 13.0, 10.0, 11.0, 12.0, 12.0, 11.0, 12.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 12.0, 10.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 19, "青林县工业园区规上企业经济指标明细表（2022年1-8月）", &f.title)?;
    ws.merge_range(1, 0, 1, 4, "填报单位：青林县工业园区管委会", &f.note_left)?;
    ws.merge_range(1, 15, 1, 19, "单位：万元、人、吨标准煤", &f.note_right)?;
    for (c, h) in [(0, "序号"), (1, "企业名称"), (2, "统一社会信用代码"), (3, "行业分类"), (4, "所在乡镇"), (17, "从业人员期末人数（人）"), (18, "综合能源消费量（吨标准煤）"), (19, "备注")] {
        ws.merge_range(2, c, 3, c, h, &f.header)?;
    }
    let bands: [(&str, u16, &[&str]); 5] = [
        ("工业总产值", 5, &["本月数", "累计数", "上年同期累计"]),
        ("营业收入", 8, &["本月数", "累计数"]),
        ("利润总额", 10, &["本月数", "累计数"]),
        ("实缴税金", 12, &["本月数", "累计数", "上年同期累计"]),
        ("研发经费支出", 15, &["本月数", "累计数"]),
    ];
    for (band, c0, subs) in bands {
        ws.merge_range(2, c0, 2, c0 + subs.len() as u16 - 1, band, &f.header)?;
        for (i, s) in subs.iter().enumerate() {
            ws.write_string_with_format(3, c0 + i as u16, *s, &f.header)?;
        }
    }
    // Group sizes.
    let weights: Vec<f64> = (0..5).map(|_| rng.range(0.5, 1.5)).collect();
    let wsum: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights.iter().map(|w| (w / wsum * rows as f64) as usize).collect();
    let assigned: usize = sizes.iter().sum();
    sizes[0] += rows - assigned;
    let mut r: u32 = 4;
    let mut seq = 1usize;
    let mut total = [0i64; 14];
    const CODE_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    for (gi, size) in sizes.iter().enumerate() {
        let mut sub = [0i64; 14];
        for _ in 0..*size {
            let name = format!("{}{}{}有限公司", rng.pick(&["青林县", "青林", "江西", ""]), rng.pick(&WORDS), rng.pick(&TRADE[gi]));
            let code: String = (0..10).map(|_| CODE_CHARS[rng.below(CODE_CHARS.len())] as char).collect();
            let code = format!("913611{:02}{}", rng.below(30), code);
            ws.write_number_with_format(r, 0, seq as f64, &f.num[0])?;
            ws.write_string_with_format(r, 1, &name, &f.label)?;
            ws.write_string_with_format(r, 2, &code, &f.label)?;
            ws.write_string_with_format(r, 3, INDUSTRY_WRITTEN[gi][usize::from(rng.chance(0.2))], &f.label_center)?;
            ws.write_string_with_format(r, 4, *rng.pick(&TOWNS), &f.label_center)?;
            let gov_cum = round((rng.range(6.0, 12.5)).exp(), 1);
            let gov_m = round(gov_cum * rng.range(0.08, 0.16), 1);
            let gov_p = round(gov_cum / rng.range(0.8, 1.3), 1);
            let rev_cum = round(gov_cum * rng.range(0.9, 1.05), 1);
            let rev_m = round(rev_cum * rng.range(0.08, 0.16), 1);
            let pr_cum = round(rev_cum * rng.range(-0.05, 0.12), 1);
            let pr_m = round(pr_cum * rng.range(0.05, 0.2), 1);
            let tax_cum = round(rev_cum * rng.range(0.01, 0.06), 1);
            let tax_m = round(tax_cum * rng.range(0.08, 0.16), 1);
            let tax_p = round(tax_cum / rng.range(0.8, 1.3), 1);
            let rd_cum = round(gov_cum * rng.range(0.0, 0.04), 1);
            let rd_m = round(rd_cum * rng.range(0.05, 0.2), 1);
            let staff = (gov_cum / rng.range(40.0, 200.0)).max(20.0).round();
            let energy = round(gov_cum * rng.range(0.01, 0.5), 1);
            let vals = [gov_m, gov_cum, gov_p, rev_m, rev_cum, pr_m, pr_cum, tax_m, tax_cum, tax_p, rd_m, rd_cum, staff, energy];
            for (i, x) in vals.iter().enumerate() {
                let c = 5 + i as u16;
                let dec = if i == 12 { 0 } else { 1 };
                if rng.chance(0.005) {
                    ws.write_string_with_format(r, c, "/", &f.missing)?;
                    continue;
                }
                if rng.chance(0.01) {
                    let s = match rng.below(3) {
                        0 => format!("{:.*}", dec, x),
                        1 => thousands(*x, dec),
                        _ => fullwidth(&format!("{:.*}", dec, x)),
                    };
                    ws.write_string_with_format(r, c, &s, &f.text_num)?;
                } else {
                    ws.write_number_with_format(r, c, *x, &f.num_thousands[dec])?;
                }
                let t = (x * 10.0).round() as i64;
                sub[i] += t;
                total[i] += t;
            }
            ws.write_blank(r, 19, &f.label)?;
            seq += 1;
            r += 1;
        }
        ws.write_blank(r, 0, &f.label)?;
        ws.write_string_with_format(r, 1, "小计", &f.label_bold)?;
        ws.write_blank(r, 2, &f.label)?;
        ws.write_string_with_format(r, 3, INDUSTRIES[gi].1, &f.label_center)?;
        ws.write_blank(r, 4, &f.label)?;
        for (i, t) in sub.iter().enumerate() {
            let dec = if i == 12 { 0 } else { 1 };
            ws.write_number_with_format(r, 5 + i as u16, *t as f64 / 10.0, &f.num_thousands[dec])?;
        }
        ws.write_blank(r, 19, &f.label)?;
        r += 1;
    }
    ws.merge_range(r, 0, r, 4, "合计", &f.header)?;
    for (i, t) in total.iter().enumerate() {
        let dec = if i == 12 { 0 } else { 1 };
        ws.write_number_with_format(r, 5 + i as u16, *t as f64 / 10.0, &f.num_thousands[dec])?;
    }
    ws.write_blank(r, 19, &f.label)?;
    ws.write_string_with_format(r + 2, 0, "填报人：王晓东    审核人：李梅    报出日期：2022年9月5日", &f.footer)?;
    if let Some(p) = out_file.parent() {
        fs::create_dir_all(p)?;
    }
    wb.save(out_file)?;
    eprintln!(
        "wrote {} enterprise rows (+5 小计, 1 合计) × 20 columns to {} in {:.1?}",
        rows,
        out_file.display(),
        t0.elapsed()
    );
    Ok(())
}
