//! The single source of truth for every figure the fixtures contain.
//!
//! Every workbook, `fixtures/EXPECTED.md` and `fixtures/expected.csv` are written from the tables
//! built here, so the readers' tests can assert exact figures. Values are stored in the unit the
//! returns write them in (`Series::unit`), already rounded to the precision the return shows.

use crate::rng::Rng;

/// Years covered by a series: 2020, 2021, 2022 (index 0, 1, 2).
pub const FIRST_YEAR: i32 = 2020;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Cumulative from 1 January (1-m月).
    Flow,
    /// Period-end level.
    Stock,
    /// Period-end count.
    CountStock,
    /// Count of new things within the year, cumulative.
    CountFlow,
    /// Reported only as a rate (%), cumulative 1-m月.
    Rate,
}

#[derive(Clone, Debug)]
pub struct Series {
    /// Indicator code of the catalogue (INDICATORS.md).
    pub code: &'static str,
    /// Unit the values are written in.
    pub unit: &'static str,
    /// Canonical unit of the catalogue, and the factor written unit → canonical unit.
    pub canon_unit: &'static str,
    pub to_canon: f64,
    pub kind: Kind,
    /// Decimals the return shows (values are rounded to them).
    pub dec: usize,
    /// Added to the recomputed nominal growth to give the reported (comparable-basis) growth.
    /// 0.0 = the reported growth is the nominal one.
    pub comparable: f64,
    /// Value at the end of each month (cumulative for flows, level for stocks): [year][month-1].
    pub v: [[f64; 12]; 3],
    /// Annual targets (全年目标) per year, in `unit`.
    pub target: [Option<f64>; 3],
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Growth {
    Pct(f64),
    /// 扭亏: prior ≤ 0, current > 0.
    Turnaround,
    /// 持平: equal.
    Flat,
    /// Not computable / not applicable: written "/".
    NotApplicable,
}

pub fn round(x: f64, dec: usize) -> f64 {
    let p = 10f64.powi(dec as i32);
    let r = (x * p).round() / p;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

impl Series {
    pub fn at(&self, year: i32, month: u32) -> f64 {
        self.v[(year - FIRST_YEAR) as usize][(month - 1) as usize]
    }

    /// The month's own value (本月), for flows and count flows only.
    pub fn month_value(&self, year: i32, month: u32) -> Option<f64> {
        match self.kind {
            Kind::Flow | Kind::CountFlow => {
                let prev = if month == 1 { 0.0 } else { self.at(year, month - 1) };
                Some(round(self.at(year, month) - prev, self.dec))
            }
            _ => None,
        }
    }

    /// Nominal growth recomputed from the written values, unrounded, in percent.
    pub fn recomputed_growth(&self, year: i32, month: u32) -> Option<f64> {
        let cur = self.at(year, month);
        let prior = self.at(year - 1, month);
        if self.kind == Kind::Rate || prior <= 0.0 {
            None
        } else {
            Some((cur / prior - 1.0) * 100.0)
        }
    }

    /// The growth the return reports (同比增长 %).
    pub fn growth(&self, year: i32, month: u32) -> Growth {
        let cur = self.at(year, month);
        let prior = self.at(year - 1, month);
        if self.kind == Kind::Rate {
            return Growth::NotApplicable;
        }
        if prior < 0.0 && cur > 0.0 {
            return Growth::Turnaround;
        }
        if prior == 0.0 {
            return Growth::NotApplicable;
        }
        if cur == prior {
            return Growth::Flat;
        }
        let g = round((cur / prior - 1.0) * 100.0, 1);
        Growth::Pct(round(g + self.comparable, 1))
    }

    pub fn target(&self, year: i32) -> Option<f64> {
        self.target[(year - FIRST_YEAR) as usize]
    }

    fn check(&self) {
        for y in 0..3 {
            for m in 1..12 {
                let (a, b) = (self.v[y][m - 1], self.v[y][m]);
                let ok = match self.kind {
                    Kind::Flow if self.code == "IND_PROFIT" => true,
                    Kind::Flow | Kind::CountFlow => b >= a,
                    _ => true,
                };
                assert!(ok, "{}: year {} month {} decreases ({} → {})", self.code, FIRST_YEAR + y as i32, m + 1, a, b);
            }
        }
    }
}

/// Monthly shares of the annual total for a flow (sum 1.0); jittered per indicator and year.
const BASE_INC: [f64; 12] = [0.055, 0.06, 0.085, 0.08, 0.085, 0.09, 0.08, 0.085, 0.085, 0.09, 0.09, 0.115];

pub fn flow_years(rng: &mut Rng, totals: [f64; 3], dec: usize) -> [[f64; 12]; 3] {
    let mut out = [[0.0; 12]; 3];
    for (y, total) in totals.iter().enumerate() {
        let inc: Vec<f64> = BASE_INC.iter().map(|s| s * rng.range(0.85, 1.15)).collect();
        let sum: f64 = inc.iter().sum();
        let mut acc = 0.0;
        for m in 0..12 {
            acc += inc[m] / sum;
            out[y][m] = round(total * acc, dec);
        }
        out[y][11] = round(*total, dec);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn flow(
    rng: &mut Rng,
    code: &'static str,
    unit: &'static str,
    dec: usize,
    totals: [f64; 3],
    comparable: f64,
    target: [Option<f64>; 3],
) -> Series {
    let (canon_unit, to_canon) = canonical(unit);
    Series { code, unit, canon_unit, to_canon, kind: Kind::Flow, dec, comparable, v: flow_years(rng, totals, dec), target }
}

fn fixed(code: &'static str, unit: &'static str, kind: Kind, dec: usize, v: [[f64; 12]; 3], target: [Option<f64>; 3]) -> Series {
    let (canon_unit, to_canon) = canonical(unit);
    Series { code, unit, canon_unit, to_canon, kind, dec, comparable: 0.0, v, target }
}

/// The catalogue's canonical unit for a written unit, and the conversion factor.
pub fn canonical(unit: &str) -> (&'static str, f64) {
    match unit {
        "亿元" => ("亿元", 1.0),
        "万元" => ("亿元", 1e-4),
        "万美元" => ("万美元", 1.0),
        "家" => ("家", 1.0),
        "个" => ("个", 1.0),
        "起" => ("起", 1.0),
        "亩" => ("亩", 1.0),
        "万平方米" => ("万平方米", 1.0),
        "万吨标准煤" => ("万吨标准煤", 1.0),
        "%" => ("%", 1.0),
        other => panic!("no canonical unit for {other}"),
    }
}

fn ints(xs: [i32; 12]) -> [f64; 12] {
    xs.map(|x| x as f64)
}

/// Sets one written value (year, month) and keeps the series valid.
fn set(s: &mut Series, year: i32, month: u32, value: f64) {
    s.v[(year - FIRST_YEAR) as usize][(month - 1) as usize] = round(value, s.dec);
}

pub struct Park {
    pub name: &'static str,
    pub series: Vec<Series>,
}

impl Park {
    pub fn get(&self, code: &str) -> &Series {
        self.series.iter().find(|s| s.code == code).unwrap_or_else(|| panic!("{} has no {}", self.name, code))
    }
}

pub const QINGLIN: &str = "青林县工业园区";
pub const DONGSHAN: &str = "东山工业园区";

/// 青林县工业园区: the park of fixtures A, C, E, F, G.
pub fn qinglin() -> Park {
    let mut r = Rng::new(20220905);
    let r = &mut r;
    let n = None;
    let mut series = vec![
        flow(r, "IND_VA", "亿元", 2, [47.12, 53.86, 60.20], -1.6, [None, Some(52.0), Some(60.0)]),
        flow(r, "IND_GOV", "亿元", 2, [188.45, 216.73, 246.00], -1.3, [None, Some(210.0), Some(250.0)]),
        flow(r, "LEAD_GOV", "亿元", 2, [128.60, 151.20, 174.50], 0.0, [None, Some(150.0), Some(175.0)]),
        flow(r, "IND_REV", "亿元", 2, [179.30, 205.48, 231.00], 0.0, [None, Some(200.0), Some(235.0)]),
        fixed(
            "IND_PROFIT",
            "亿元",
            Kind::Flow,
            2,
            [
                [0.21, 0.43, 0.68, 0.92, 1.15, 1.52, 1.78, 2.05, 2.38, 2.71, 3.02, 3.46],
                [-0.32, -0.55, -0.71, -0.83, -0.96, -1.08, -0.97, -0.85, -0.42, 0.05, 0.48, 1.12],
                [0.18, 0.39, 0.66, 0.95, 1.27, 1.68, 2.01, 2.36, 2.71, 3.12, 3.55, 4.10],
            ],
            [None, Some(1.0), Some(4.0)],
        ),
        flow(r, "TAX_PAID", "万元", 1, [58236.4, 68452.7, 76800.0], 0.0, [None, Some(66000.0), Some(75000.0)]),
        flow(r, "TIT_REV", "亿元", 2, [221.40, 258.62, 291.00], 0.0, [None, Some(250.0), Some(290.0)]),
        flow(r, "HT_GOV", "亿元", 2, [82.60, 96.34, 103.60], 0.0, [None, Some(95.0), Some(105.0)]),
        flow(r, "RD_EXP", "万元", 1, [9820.5, 11936.8, 13600.0], 0.0, [None, Some(11500.0), Some(13500.0)]),
        flow(r, "FAI", "亿元", 2, [72.50, 85.31, 96.00], 0.0, [None, Some(85.0), Some(100.0)]),
        flow(r, "FAI_IND", "亿元", 2, [44.20, 52.64, 60.80], 0.0, [None, Some(52.0), Some(62.0)]),
        flow(r, "FDI_ACT", "万美元", 1, [5820.0, 6850.0, 7560.0], 0.0, [None, Some(6500.0), Some(7500.0)]),
        flow(r, "DOM_ACT", "亿元", 2, [38.90, 42.53, 41.20], 0.0, [None, Some(42.0), Some(45.0)]),
        fixed(
            "PRJ_BIG_NEW",
            "个",
            Kind::CountFlow,
            0,
            [
                ints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]),
                ints([1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 15]),
                ints([1, 2, 4, 5, 6, 8, 9, 11, 12, 13, 15, 17]),
            ],
            [None, Some(14.0), Some(15.0)],
        ),
        fixed(
            "STD_FACT_AREA",
            "万平方米",
            Kind::Flow,
            2,
            [
                [0.0, 0.0, 0.60, 1.10, 1.90, 2.80, 3.60, 4.40, 5.30, 6.20, 7.00, 8.20],
                [0.0, 0.0, 0.85, 0.85, 1.60, 2.40, 2.40, 3.17, 5.20, 6.80, 8.10, 9.65],
                [0.0, 0.0, 1.20, 2.60, 4.10, 7.80, 9.95, 12.35, 13.60, 15.00, 16.20, 18.50],
            ],
            [None, Some(10.0), Some(15.0)],
        ),
        fixed(
            "ENT_ABOVE",
            "家",
            Kind::CountStock,
            0,
            [
                ints([72, 72, 73, 73, 74, 75, 75, 76, 77, 78, 79, 80]),
                ints([80, 80, 81, 82, 83, 84, 85, 86, 87, 88, 90, 92]),
                ints([91, 92, 93, 93, 94, 95, 97, 98, 99, 100, 101, 103]),
            ],
            [None, Some(90.0), Some(100.0)],
        ),
        fixed(
            "ENT_ABOVE_NEW",
            "个",
            Kind::CountFlow,
            0,
            [
                ints([0, 0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 10]),
                ints([0, 0, 1, 2, 2, 3, 4, 5, 6, 8, 10, 13]),
                ints([0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 11]),
            ],
            [None, Some(12.0), Some(10.0)],
        ),
        fixed(
            "LAND_IND",
            "亩",
            Kind::Stock,
            0,
            [
                ints([10650, 10650, 10700, 10720, 10780, 10800, 10850, 10880, 10900, 10950, 11000, 11050]),
                ints([11050, 11080, 11120, 11200, 11260, 11320, 11400, 11460, 11520, 11600, 11680, 11750]),
                ints([11750, 11800, 11860, 11920, 12000, 12080, 12150, 12230, 12300, 12380, 12450, 12520]),
            ],
            [n, n, n],
        ),
        flow(r, "ENERGY_IND", "万吨标准煤", 2, [38.62, 42.15, 43.40], 0.0, [None, None, None]),
        fixed(
            "ENERGY_DROP",
            "%",
            Kind::Rate,
            1,
            [
                [1.8, 2.0, 2.2, 2.3, 2.4, 2.5, 2.6, 2.6, 2.7, 2.8, 2.8, 2.9],
                [2.1, 2.3, 2.5, 2.6, 2.7, 2.8, 2.8, 2.9, 3.0, 3.1, 3.1, 3.2],
                [2.6, 2.8, 3.0, 3.1, 3.2, 3.4, 3.3, 3.5, 3.5, 3.6, 3.6, 3.7],
            ],
            [None, Some(3.0), Some(3.0)],
        ),
        fixed(
            "WWTP",
            "个",
            Kind::CountStock,
            0,
            [ints([1; 12]), ints([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]), ints([2; 12])],
            [None, Some(2.0), Some(2.0)],
        ),
        fixed("ENV_ACCIDENT", "起", Kind::CountFlow, 0, [[0.0; 12]; 3], [None, Some(0.0), Some(0.0)]),
    ];
    // Pin a few 1-8月 figures so that the quirky growth cells of fixture A read naturally:
    // 技工贸总收入 +12.5 (written "１２．５"), 高新技术产业产值 +7.5 (written 0.075 as "0.0%"),
    // 实际到位内资 −3.2 (written "－3.2").
    for (code, g) in [("TIT_REV", 1.125), ("HT_GOV", 1.075), ("DOM_ACT", 0.968)] {
        let s = series.iter_mut().find(|s| s.code == code).unwrap();
        let prior = s.at(2021, 8);
        set(s, 2022, 8, prior * g);
    }
    for s in &series {
        s.check();
    }
    Park { name: QINGLIN, series }
}

/// 东山工业园区: the park of fixtures D and E.
pub fn dongshan() -> Park {
    let mut r = Rng::new(20220906);
    let r = &mut r;
    let series = vec![
        flow(r, "IND_VA", "亿元", 2, [27.40, 31.20, 35.00], -1.2, [None, None, None]),
        flow(r, "IND_GOV", "亿元", 2, [104.80, 120.50, 138.00], -0.9, [None, None, None]),
        flow(r, "IND_REV", "亿元", 2, [98.60, 112.30, 128.60], 0.0, [None, None, None]),
        flow(r, "IND_PROFIT", "亿元", 2, [4.95, 5.62, 6.10], 0.0, [None, None, None]),
        flow(r, "TAX_PAID", "亿元", 2, [3.41, 3.86, 4.25], 0.0, [None, None, None]),
        flow(r, "FAI", "亿元", 2, [39.80, 45.20, 52.00], 0.0, [None, None, None]),
        flow(r, "FAI_IND", "亿元", 2, [26.30, 30.10, 35.50], 0.0, [None, None, None]),
        fixed(
            "ENT_ABOVE",
            "家",
            Kind::CountStock,
            0,
            [
                ints([45, 45, 46, 46, 47, 47, 48, 48, 49, 49, 50, 50]),
                ints([50, 50, 51, 51, 52, 52, 53, 54, 54, 55, 55, 56]),
                ints([56, 56, 57, 57, 58, 59, 60, 61, 61, 62, 63, 64]),
            ],
            [None, None, None],
        ),
        flow(r, "HT_GOV", "亿元", 2, [35.20, 40.50, 46.20], 0.0, [None, None, None]),
        flow(r, "ENERGY_IND", "万吨标准煤", 2, [17.90, 18.60, 19.10], 0.0, [None, None, None]),
        fixed(
            "PRJ_BIG_NEW",
            "个",
            Kind::CountFlow,
            0,
            [
                ints([0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 7, 8]),
                ints([0, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 9]),
                ints([1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
            ],
            [None, None, None],
        ),
        flow(r, "FDI_ACT", "万美元", 1, [2480.0, 2850.0, 3120.0], 0.0, [None, None, None]),
        flow(r, "DOM_ACT", "亿元", 2, [19.80, 22.40, 25.60], 0.0, [None, None, None]),
        flow(r, "STD_FACT_AREA", "万平方米", 2, [4.60, 5.20, 6.80], 0.0, [None, None, None]),
    ];
    for s in &series {
        s.check();
    }
    Park { name: DONGSHAN, series }
}

/// One park row of the county comparison table (fixture C): 1-8月 2022 and 2021 figures.
pub struct CountyRow {
    pub park: &'static str,
    /// (current 1-8月, prior 1-8月) per column: 工业增加值 亿元, 实缴税金 亿元,
    /// 固定资产投资 亿元, 实际到位利用外资 万美元.
    pub vals: [(f64, f64); 4],
}

pub const COUNTY_CODES: [&str; 4] = ["IND_VA", "TAX_PAID", "FAI", "FDI_ACT"];
pub const COUNTY_NAMES: [&str; 4] = ["工业增加值", "实缴税金", "固定资产投资", "实际到位利用外资"];
/// Comparable-basis offset applied to the recomputed growth of each column of fixture C.
pub const COUNTY_COMPARABLE: [f64; 4] = [-1.5, 0.0, 0.0, 0.0];

/// The other three parks of the county (fixture C).
pub fn county_others() -> Vec<CountyRow> {
    vec![
        CountyRow {
            park: "青林县城东工业园",
            vals: [(18.62, 16.85), (2.15, 2.02), (25.40, 22.66), (1250.0, 1188.3)],
        },
        CountyRow {
            park: "青林县高新技术产业园",
            vals: [(12.37, 10.96), (1.38, 1.41), (19.85, 16.20), (860.5, 702.0)],
        },
        CountyRow { park: "青林县物流园", vals: [(3.05, 2.88), (0.46, 0.39), (8.72, 9.15), (0.0, 0.0)] },
    ]
}

/// One enterprise of fixture B (all 万元).
pub struct Enterprise {
    pub name: &'static str,
    /// Industry as written in the 行业分类 column (sometimes an alias).
    pub industry_written: &'static str,
    /// gov: (本月数, 累计数, 上年同期累计); tax likewise. None = written "/" (new enterprise).
    pub gov: (f64, f64, Option<f64>),
    pub tax: (f64, f64, Option<f64>),
}

/// Pillar industries: (code, canonical name).
pub const INDUSTRIES: [(&str, &str); 5] =
    [("NFM", "有色金属加工"), ("LEE", "轻工电子"), ("FPH", "食品医药"), ("ECH", "能源化工"), ("BMF", "建材家具")];

/// Fixture B's enterprises, grouped by industry (in `INDUSTRIES` order), 2022-08.
pub fn enterprises() -> Vec<(usize, Vec<Enterprise>)> {
    let e = |name, industry_written, gov, tax| Enterprise { name, industry_written, gov, tax };
    vec![
        (
            0,
            vec![
                e("青林铜业有限公司", "有色金属加工", (21856.3, 168420.5, Some(151236.8)), (612.4, 4836.2, Some(4410.7))),
                e("青林县金达稀有金属有限公司", "有色金属加工", (6420.8, 47985.2, Some(45120.6)), (198.6, 1520.4, Some(1498.3))),
                e("青林县宏业铝材有限公司", "有色金属", (3862.5, 29840.7, Some(31206.4)), (85.2, 702.5, Some(756.1))),
            ],
        ),
        (
            1,
            vec![
                e("青林县华宇电子科技有限公司", "电子信息", (9875.4, 72360.8, Some(58932.1)), (256.3, 1988.6, Some(1603.5))),
                e("青林县恒达照明电器有限公司", "轻工电子", (2210.6, 16845.3, Some(15630.2)), (48.5, 402.8, Some(380.4))),
                e("青林县博远线缆有限公司", "轻工电子", (3105.2, 23562.9, Some(21844.7)), (66.9, 531.7, Some(498.2))),
            ],
        ),
        (
            2,
            vec![
                e("青林县康源药业有限公司", "生物医药", (5688.1, 41206.5, Some(36985.4)), (320.5, 2450.3, Some(2186.9))),
                e("青林县绿源食品有限公司", "食品医药", (2864.7, 22630.4, Some(21980.6)), (72.8, 586.4, Some(570.2))),
                e("青林县天和生物科技有限公司", "食品医药", (1520.3, 10862.7, Some(9750.8)), (40.2, 298.5, Some(265.1))),
            ],
        ),
        (
            3,
            vec![
                e("青林县新能化工有限公司", "能源化工", (8560.2, 65240.6, Some(60125.3)), (402.6, 3120.8, Some(2968.4))),
                e("青林县华昌新材料有限公司", "能源化工", (4120.5, 30865.2, Some(27340.9)), (118.7, 905.3, Some(842.6))),
                e("青林县光伏能源科技有限公司", "能源化工", (3685.0, 18420.6, None), (52.4, 236.8, None)),
            ],
        ),
        (
            4,
            vec![
                e("青林县鑫源建材有限公司", "建材家具", (2986.4, 23150.8, Some(24862.5)), (88.6, 702.1, Some(745.3))),
                e("青林县森宜家具有限公司", "建材家具", (1745.2, 13286.5, Some(12105.7)), (35.8, 280.6, Some(262.4))),
                e("青林县宏基新型建材有限公司", "建材", (0.0, 9640.3, Some(10285.6)), (0.0, 215.4, Some(236.8))),
            ],
        ),
    ]
}

/// Sum in tenths (exact for 1-decimal values), returned as f64.
pub fn sum1(xs: impl IntoIterator<Item = f64>) -> f64 {
    let t: i64 = xs.into_iter().map(|x| (x * 10.0).round() as i64).sum();
    t as f64 / 10.0
}
