//! Every formula of FORMULAS.md against hand-computed arithmetic, the edge cases, and the
//! fixtures end to end.

use std::path::Path;

use parkstat::compute::frames::Cols;
use parkstat::compute::{ComputeOptions, Computed, UserInputs, compute_all};
use parkstat::model::{Basis, Figure};
use parkstat::polars::prelude::*;
use parkstat::{Catalog, tidy};

fn fig(park: &str, code: &str, year: i32, month: u32, basis: Basis, value: f64) -> Figure {
    Figure {
        park: park.into(),
        entity: None,
        industry: None,
        year,
        month,
        indicator: Some(code.into()),
        label: code.into(),
        basis,
        value,
        unit: String::new(),
        file: format!("{park}-{year}-{month}.xlsx"),
        sheet: "S".into(),
        cell: "A1".into(),
        sub_item: false,
    }
}

fn ent(entity: &str, industry: &str, basis: Basis, value: f64) -> Figure {
    Figure {
        entity: Some(entity.into()),
        industry: Some(industry.into()),
        ..fig("园区", "IND_GOV", 2022, 8, basis, value)
    }
}

fn compute(figures: &[Figure]) -> Computed {
    compute_with(figures, ComputeOptions::default())
}

fn compute_with(figures: &[Figure], opts: ComputeOptions) -> Computed {
    let df = tidy::figures_to_frame(figures).expect("frame");
    compute_all(df.lazy(), &Catalog::builtin(), &opts).expect("compute")
}

/// The index of the summary row of (park, code, year, month).
fn row(c: &Computed, park: &str, code: &str, year: i32, month: i32) -> Option<usize> {
    let cols = Cols { df: &c.summary };
    let (p, i, y, m) = (
        cols.s("park"),
        cols.s("indicator"),
        cols.i("year"),
        cols.i("month"),
    );
    (0..c.summary.height())
        .find(|&k| p[k] == park && i[k] == code && y[k] == Some(year) && m[k] == Some(month))
}

/// The value of `column` in the summary row of (park, code, year, month).
fn get(c: &Computed, park: &str, code: &str, year: i32, month: i32, column: &str) -> Option<f64> {
    row(c, park, code, year, month).and_then(|k| Cols { df: &c.summary }.f(column)[k])
}

fn text(c: &Computed, park: &str, code: &str, year: i32, month: i32, column: &str) -> String {
    row(c, park, code, year, month)
        .map(|k| Cols { df: &c.summary }.s(column)[k].to_string())
        .unwrap_or_default()
}

fn approx(a: Option<f64>, b: f64) {
    let a = a.unwrap_or(f64::NAN);
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

#[test]
fn growth_and_projection_methods() {
    let p = "青林";
    let c = compute(&[
        // 工业增加值 (comparable basis, default method G)
        fig(p, "IND_VA", 2022, 8, Basis::Ytd, 37.74),
        fig(p, "IND_VA", 2022, 8, Basis::YtdPrior, 33.08),
        fig(p, "IND_VA", 2022, 8, Basis::YtdGrowth, 12.5),
        fig(p, "IND_VA", 2022, 8, Basis::FullYearPrior, 53.86),
        // 实缴税金 (nominal, default method S)
        fig(p, "TAX_PAID", 2022, 8, Basis::Ytd, 4.6731),
        fig(p, "TAX_PAID", 2022, 8, Basis::YtdPrior, 4.17629),
        fig(p, "TAX_PAID", 2022, 8, Basis::FullYearPrior, 6.84527),
        // 高新技术产业产值 without last year's figures: linear
        fig(p, "HT_GOV", 2022, 8, Basis::Ytd, 64.19),
    ]);
    // computed (37.74 / 33.08 − 1) × 100 = 14.0870…; the reported comparable 12.5 is preferred
    approx(
        get(&c, p, "IND_VA", 2022, 8, "ytd_growth_computed"),
        (37.74 / 33.08 - 1.0) * 100.0,
    );
    approx(get(&c, p, "IND_VA", 2022, 8, "ytd_growth"), 12.5);
    // G: 53.86 × (1 + 12.5 / 100) = 60.5925, projected growth 12.5
    approx(get(&c, p, "IND_VA", 2022, 8, "projection"), 53.86 * 1.125);
    assert_eq!(text(&c, p, "IND_VA", 2022, 8, "projection_method"), "G");
    approx(get(&c, p, "IND_VA", 2022, 8, "projection_growth"), 12.5);
    // S: 4.6731 × 6.84527 / 4.17629; growth (4.6731 / 4.17629 − 1) × 100 = 11.896…
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "projection"),
        4.6731 * 6.84527 / 4.17629,
    );
    assert_eq!(text(&c, p, "TAX_PAID", 2022, 8, "projection_method"), "S");
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "ytd_growth"),
        (4.6731 / 4.17629 - 1.0) * 100.0,
    );
    // under S the projected growth equals the ytd growth
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "projection_growth"),
        (4.6731 / 4.17629 - 1.0) * 100.0,
    );
    // L: 64.19 × 12 / 8 = 96.285
    approx(get(&c, p, "HT_GOV", 2022, 8, "projection"), 96.285);
    assert_eq!(text(&c, p, "HT_GOV", 2022, 8, "projection_method"), "L");
    assert_eq!(get(&c, p, "HT_GOV", 2022, 8, "ytd_growth"), None);
    assert_eq!(text(&c, p, "HT_GOV", 2022, 8, "growth_note"), "无基数");
}

#[test]
fn remainder_and_overrides() {
    let p = "青林";
    let figures = [
        fig(p, "TAX_PAID", 2022, 8, Basis::Ytd, 4.0),
        fig(p, "TAX_PAID", 2022, 8, Basis::YtdPrior, 3.6),
    ];
    let mut opts = ComputeOptions::default();
    opts.methods
        .insert("TAX_PAID".into(), parkstat::catalog::Method::Remainder);
    opts.inputs = UserInputs {
        rows: vec![parkstat::compute::inputs::UserRow {
            park: p.into(),
            indicator: "TAX_PAID".into(),
            growth_rest: Some(5.0),
            full_year_prior: Some(6.0),
            target: Some(6.5),
            ..Default::default()
        }],
    };
    let c = compute_with(&figures, opts);
    // R: 4.0 + (6.0 − 3.6) × 1.05 = 6.52, last year's total 6.0 from the user's file
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "projection"),
        4.0 + 2.4 * 1.05,
    );
    assert_eq!(text(&c, p, "TAX_PAID", 2022, 8, "projection_method"), "R");
    // target from the user file: completion 4.0 / 6.5 × 100 = 61.538…, time progress 8/12 = 66.667
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "completion"),
        4.0 / 6.5 * 100.0,
    );
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "time_progress"),
        800.0 / 12.0,
    );
    approx(
        get(&c, p, "TAX_PAID", 2022, 8, "schedule_gap_pp"),
        4.0 / 6.5 * 100.0 - 800.0 / 12.0,
    );
}

#[test]
fn zero_and_negative_bases() {
    let p = "园";
    let c = compute(&[
        fig(p, "IND_PROFIT", 2022, 8, Basis::Ytd, 2.36),
        fig(p, "IND_PROFIT", 2022, 8, Basis::YtdPrior, -0.85),
        fig(p, "RD_EXP", 2022, 8, Basis::Ytd, 0.5),
        fig(p, "RD_EXP", 2022, 8, Basis::YtdPrior, 0.0),
    ]);
    assert_eq!(get(&c, p, "IND_PROFIT", 2022, 8, "ytd_growth"), None);
    assert_eq!(text(&c, p, "IND_PROFIT", 2022, 8, "growth_note"), "扭亏");
    assert_eq!(get(&c, p, "RD_EXP", 2022, 8, "ytd_growth"), None);
    assert_eq!(text(&c, p, "RD_EXP", 2022, 8, "growth_note"), "新增");
}

#[test]
fn months_from_cumulative_with_january_and_february_together() {
    let p = "园";
    let mut f = Vec::new();
    // 2022: 1-2月 10, 1-3月 16, 1-4月 21; 2021: 9, 14, 18
    for (m, c, prior) in [(2, 10.0, 9.0), (3, 16.0, 14.0), (4, 21.0, 18.0)] {
        f.push(fig(p, "FAI", 2022, m, Basis::Ytd, c));
        f.push(fig(p, "FAI", 2022, m, Basis::YtdPrior, prior));
    }
    let c = compute(&f);
    approx(get(&c, p, "FAI", 2022, 2, "month_value"), 10.0); // January and February together
    approx(get(&c, p, "FAI", 2022, 3, "month_value"), 16.0 - 10.0);
    approx(get(&c, p, "FAI", 2022, 4, "month_value"), 21.0 - 16.0);
    // month growth (21 − 16) / (18 − 14) − 1 = 25 %
    approx(get(&c, p, "FAI", 2022, 4, "month_growth"), 25.0);
    // prior year from last year's returns in the batch when the return has no 上年同期
    let c = compute(&[
        fig(p, "FAI", 2021, 4, Basis::Ytd, 18.0),
        fig(p, "FAI", 2022, 4, Basis::Ytd, 21.0),
    ]);
    approx(get(&c, p, "FAI", 2022, 4, "ytd_prior"), 18.0);
    approx(
        get(&c, p, "FAI", 2022, 4, "ytd_growth"),
        (21.0 / 18.0 - 1.0) * 100.0,
    );
}

#[test]
fn stock_ratio_and_rate() {
    let p = "园";
    let c = compute(&[
        fig(p, "LAND_IND", 2022, 8, Basis::Ytd, 12230.0),
        fig(p, "LAND_IND", 2022, 8, Basis::YtdPrior, 11460.0),
        fig(p, "IND_GOV", 2022, 8, Basis::Ytd, 153.16),
        fig(p, "IND_GOV", 2022, 8, Basis::YtdPrior, 137.41),
        fig(p, "LEAD_GOV", 2022, 8, Basis::Ytd, 108.63),
        fig(p, "LEAD_GOV", 2022, 8, Basis::YtdPrior, 95.5),
        fig(p, "ENERGY_DROP", 2022, 8, Basis::Ytd, 3.5),
        fig(p, "ENERGY_DROP", 2022, 8, Basis::YtdPrior, 2.9),
        fig(p, "ENERGY_DROP", 2022, 8, Basis::Target, 3.0),
    ]);
    // a stock: absolute change 12230 − 11460 = 770, projection carries the level
    approx(get(&c, p, "LAND_IND", 2022, 8, "ytd_growth"), 770.0);
    assert_eq!(text(&c, p, "LAND_IND", 2022, 8, "growth_kind"), "abs");
    approx(get(&c, p, "LAND_IND", 2022, 8, "projection"), 12230.0);
    assert_eq!(text(&c, p, "LAND_IND", 2022, 8, "projection_method"), "K");
    // a computed ratio: 108.63 / 153.16 × 100 = 70.925…, last year 95.5 / 137.41 × 100, change in points
    let share = 108.63 / 153.16 * 100.0;
    let share_prior = 95.5 / 137.41 * 100.0;
    approx(get(&c, p, "LEAD_SHARE", 2022, 8, "ytd"), share);
    approx(
        get(&c, p, "LEAD_SHARE", 2022, 8, "ytd_growth"),
        share - share_prior,
    );
    assert_eq!(text(&c, p, "LEAD_SHARE", 2022, 8, "growth_kind"), "pp");
    assert_eq!(get(&c, p, "LEAD_SHARE", 2022, 8, "computed"), Some(1.0));
    // a rate reported only as a rate: 3.5 against a 降低 target of 3.0 → +0.5 points, met
    approx(get(&c, p, "ENERGY_DROP", 2022, 8, "ytd_growth"), 0.6);
    approx(get(&c, p, "ENERGY_DROP", 2022, 8, "schedule_gap_pp"), 0.5);
    assert_eq!(get(&c, p, "ENERGY_DROP", 2022, 8, "target_met"), Some(1.0));
}

#[test]
fn shares_and_contribution_from_enterprises() {
    let c = compute(&[
        ent("甲", "有色金属加工", Basis::Ytd, 60.0),
        ent("甲", "有色金属加工", Basis::YtdPrior, 50.0),
        ent("乙", "轻工电子", Basis::Ytd, 30.0),
        ent("乙", "轻工电子", Basis::YtdPrior, 35.0),
        ent("丙", "纺织", Basis::Ytd, 10.0),
        ent("丙", "纺织", Basis::YtdPrior, 5.0),
    ]);
    let s = Cols { df: &c.shares };
    let (ind, share, pull, contribution) = (
        s.s("industry"),
        s.f("share"),
        s.f("pull_pp"),
        s.f("contribution"),
    );
    let at = |name: &str| ind.iter().position(|i| *i == name).expect("industry");
    // total 100 against 90: share 60 %, pull (60 − 50) / 90 × 100 = 11.11 pp, 贡献率 (60 − 50) / (100 − 90) = 100 %
    approx(share[at("有色金属加工")], 60.0);
    approx(pull[at("有色金属加工")], 10.0 / 90.0 * 100.0);
    approx(contribution[at("有色金属加工")], 100.0);
    approx(contribution[at("轻工电子")], -50.0);
    // pulls add up to the total's growth (100 / 90 − 1) × 100; 贡献率 add up to 100
    let pulls: f64 = pull.iter().flatten().sum();
    approx(Some(pulls), (100.0 / 90.0 - 1.0) * 100.0);
    approx(Some(contribution.iter().flatten().sum()), 100.0);
    // the leading share (pillars only) becomes a computed LEAD_SHARE row: (60 + 30) / 100
    approx(get(&c, "园区", "LEAD_SHARE", 2022, 8, "ytd"), 90.0);
    assert_eq!(c.contributions.height(), 3);
}

#[test]
fn ranking_with_ties_and_rank_change() {
    let mut f = Vec::new();
    for (park, m7, m8) in [("A", 10.0, 12.0), ("B", 11.0, 12.0), ("C", 12.0, 9.0)] {
        f.push(fig(park, "IND_VA", 2022, 7, Basis::Ytd, m7));
        f.push(fig(park, "IND_VA", 2022, 8, Basis::Ytd, m8));
    }
    let c = compute(&f);
    let r = Cols { df: &c.ranking };
    let (park, month, rank, change) = (
        r.s("park"),
        r.i("month"),
        r.i("rank_value"),
        r.i("rank_change"),
    );
    let at = |p: &str, m: i32| {
        (0..c.ranking.height())
            .find(|&k| park[k] == p && month[k] == Some(m))
            .expect("row")
    };
    assert_eq!(
        (rank[at("A", 8)], rank[at("B", 8)], rank[at("C", 8)]),
        (Some(1), Some(1), Some(3))
    );
    // A went from 3rd to 1st (+2), C from 1st to 3rd (−2)
    assert_eq!(
        (change[at("A", 8)], change[at("C", 8)]),
        (Some(2), Some(-2))
    );
}

#[test]
fn backtest_on_an_earlier_complete_year() {
    let p = "园";
    let c = compute(&[
        fig(p, "TAX_PAID", 2021, 8, Basis::Ytd, 4.0),
        fig(p, "TAX_PAID", 2021, 8, Basis::YtdPrior, 3.5),
        fig(p, "TAX_PAID", 2021, 8, Basis::FullYearPrior, 5.6),
        fig(p, "TAX_PAID", 2021, 12, Basis::Ytd, 6.0),
    ]);
    let b = Cols { df: &c.backtest };
    let (method, err) = (b.s("method"), b.f("mean_abs_error_pct"));
    let at = |m: &str| method.iter().position(|x| *x == m).expect("method");
    // S: 4.0 × 5.6 / 3.5 = 6.4 → |6.4 − 6| / 6 = 6.67 %; L: 4.0 × 12 / 8 = 6.0 → 0 %
    approx(err[at("S")], 0.4 / 6.0 * 100.0);
    approx(err[at("L")], 0.0);
    assert_eq!(method[0], "L", "sorted by error");
}

/// S, G and R give the same projection here (12 against an actual 12): the tie is ordered S,
/// G, R in the backtest, and `--best-method` picks S, on every run.
#[test]
fn backtest_ties_are_ordered_by_method() {
    let p = "园";
    let figures = [
        fig(p, "TAX_PAID", 2021, 8, Basis::Ytd, 4.0),
        fig(p, "TAX_PAID", 2021, 8, Basis::YtdPrior, 2.0),
        fig(p, "TAX_PAID", 2021, 8, Basis::FullYearPrior, 6.0),
        fig(p, "TAX_PAID", 2021, 12, Basis::Ytd, 12.0),
    ];
    let opts = ComputeOptions {
        best_backtested: true,
        ..Default::default()
    };
    for _ in 0..5 {
        let c = compute_with(&figures, opts.clone());
        let b = Cols { df: &c.backtest };
        assert_eq!(b.s("method"), ["S", "G", "R", "L"]);
        assert_eq!(
            b.f("mean_abs_error_pct"),
            [Some(0.0), Some(0.0), Some(0.0), Some(50.0)]
        );
        let k = row(&c, p, "TAX_PAID", 2021, 8).expect("row");
        assert_eq!(Cols { df: &c.summary }.s("projection_method")[k], "S");
    }
}

#[test]
fn audit_findings() {
    let p = "园";
    let c = compute(&[
        fig(p, "FAI", 2022, 7, Basis::Ytd, 20.0),
        fig(p, "FAI", 2022, 8, Basis::Ytd, 18.0),
        fig(p, "FAI", 2022, 8, Basis::Month, 1.0),
        fig(p, "FAI_IND", 2022, 8, Basis::Ytd, 19.0),
        fig(p, "TAX_PAID", 2022, 7, Basis::Ytd, 4.0),
        fig(p, "TAX_PAID", 2022, 8, Basis::Ytd, 45000.0),
        fig(p, "DOM_ACT", 2022, 8, Basis::Ytd, 10.0),
        fig(p, "DOM_ACT", 2022, 8, Basis::YtdPrior, 8.0),
        fig(p, "DOM_ACT", 2022, 8, Basis::YtdGrowth, 30.0),
        Figure {
            indicator: None,
            label: "出口交货值".into(),
            ..fig(p, "X", 2022, 8, Basis::Ytd, 1.0)
        },
    ]);
    let checks = Cols { df: &c.audit }.s("check");
    for want in [
        "cumulative_falls",
        "month_identity",
        "sub_item_exceeds_parent",
        "unit_scale",
        "growth_mismatch",
        "unknown_indicator",
    ] {
        assert!(checks.contains(&want), "{want} missing from {checks:?}");
    }
}

/// The same figure twice in one return, and from two files: a finding only where the values
/// differ.
#[test]
fn audit_duplicates_and_conflicting_sources() {
    let p = "园";
    let in_cell = |f: Figure, file: &str, cell: &str| Figure {
        file: file.into(),
        cell: cell.into(),
        ..f
    };
    let c = compute(&[
        // one return, FAI twice with different values; TAX_PAID twice with the same
        in_cell(fig(p, "FAI", 2022, 8, Basis::Ytd, 5.0), "a.xlsx", "C5"),
        in_cell(fig(p, "FAI", 2022, 8, Basis::Ytd, 6.0), "a.xlsx", "C9"),
        in_cell(fig(p, "TAX_PAID", 2022, 8, Basis::Ytd, 3.0), "a.xlsx", "C6"),
        in_cell(
            fig(p, "TAX_PAID", 2022, 8, Basis::Ytd, 3.0),
            "a.xlsx",
            "C10",
        ),
        // two files, DOM_ACT differs; IND_GOV agrees
        in_cell(fig(p, "DOM_ACT", 2022, 8, Basis::Ytd, 10.0), "a.xlsx", "C7"),
        in_cell(fig(p, "DOM_ACT", 2022, 8, Basis::Ytd, 11.0), "b.xlsx", "D3"),
        in_cell(fig(p, "IND_GOV", 2022, 8, Basis::Ytd, 7.0), "a.xlsx", "C8"),
        in_cell(fig(p, "IND_GOV", 2022, 8, Basis::Ytd, 7.0), "b.xlsx", "D4"),
        // the same indicator in another month of the same file is not a duplicate
        in_cell(fig(p, "FAI_IND", 2022, 7, Basis::Ytd, 1.0), "a.xlsx", "C11"),
        in_cell(fig(p, "FAI_IND", 2022, 8, Basis::Ytd, 2.0), "c.xlsx", "C11"),
        // nor in another month of the same return (months side by side in one sheet)
        in_cell(
            fig(p, "LAND_IND", 2022, 7, Basis::Ytd, 1.0),
            "a.xlsx",
            "D11",
        ),
        in_cell(
            fig(p, "LAND_IND", 2022, 8, Basis::Ytd, 2.0),
            "a.xlsx",
            "E11",
        ),
    ]);
    let a = Cols { df: &c.audit };
    let (check, ind, msg) = (a.s("check"), a.s("indicator"), a.s("message"));
    let found: Vec<(&str, &str, &str)> = (0..c.audit.height())
        .filter(|&k| check[k] == "duplicate_indicator" || check[k] == "conflicting_sources")
        .map(|k| (check[k], ind[k], msg[k]))
        .collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found.iter().any(|(c, i, m)| *c == "duplicate_indicator"
            && *i == "FAI"
            && m.contains("C5=5")
            && m.contains("C9=6")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(c, i, m)| *c == "conflicting_sources"
            && *i == "DOM_ACT"
            && m.contains("a.xlsx [S]!C7 = 10")
            && m.contains("b.xlsx [S]!D3 = 11")),
        "{found:?}"
    );
}

/// The bundled fixtures, read and computed: the figures of the seed's paragraph 1.
#[test]
fn fixtures_end_to_end() {
    let catalog = Catalog::builtin();
    let files = parkstat::batch::collect_inputs(&[Path::new("fixtures/returns").to_path_buf()])
        .expect("inputs")
        .files;
    let results =
        parkstat::batch::read_all(&files, &catalog, &Default::default(), &|_, _| {}).expect("read");
    let figures: Vec<Figure> = results
        .into_iter()
        .flat_map(|r| r.expect("fixture reads").figures.to_figures())
        .collect();
    let opts = ComputeOptions {
        inputs: UserInputs::from_file(Path::new("fixtures/targets.csv"), &catalog)
            .expect("targets"),
        ..Default::default()
    };
    let c = compute_with(&figures, opts);
    let p = "青林县工业园区";
    approx(get(&c, p, "IND_VA", 2022, 8, "ytd"), 37.74);
    approx(get(&c, p, "IND_VA", 2022, 8, "ytd_growth"), 12.5);
    // 实缴税金 is in 万元 in the return (46731), in 亿元 in the comparison table: one canonical figure
    approx(get(&c, p, "TAX_PAID", 2022, 8, "ytd"), 4.6731);
    // month values from the 1-7月 ods and the 1-8月 xlsx: 37.74 − 33.22
    let jul = get(&c, p, "IND_VA", 2022, 7, "ytd").expect("july");
    approx(get(&c, p, "IND_VA", 2022, 8, "month_value"), 4.52);
    assert!((37.74 - jul - 4.52).abs() < 1e-6);
    // 主导产业比重 from the indicator return: 108.63 / 153.16
    approx(
        get(&c, p, "LEAD_SHARE", 2022, 8, "ytd"),
        108.63 / 153.16 * 100.0,
    );
    // the comparison table ranks four parks
    assert!(c.ranking.height() >= 4);
}

/// Which industries lead is configurable per park: a park-specific row overrides the general one.
#[test]
fn leading_industries_per_park() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("industries.tsv");
    std::fs::write(&file, "code\tname\taliases\tleading\tparks\nNFM\t有色金属加工\t\t1\t\nLEE\t轻工电子\t\t1\t\nLEE\t轻工电子\t\t0\t园区\n").expect("write");
    let catalog = Catalog::builtin()
        .with_industries_file(&file)
        .expect("industries");
    let figures = [
        ent("甲", "有色金属加工", Basis::Ytd, 60.0),
        ent("乙", "轻工电子", Basis::Ytd, 30.0),
        Figure {
            park: "别的园区".into(),
            ..ent("丙", "轻工电子", Basis::Ytd, 30.0)
        },
    ];
    let df = tidy::figures_to_frame(&figures).expect("frame");
    let c = compute_all(df.lazy(), &catalog, &ComputeOptions::default()).expect("compute");
    // in 园区 only 有色金属加工 leads: 60 / 90; elsewhere 轻工电子 leads: 30 / 30
    approx(
        get(&c, "园区", "LEAD_SHARE", 2022, 8, "ytd"),
        60.0 / 90.0 * 100.0,
    );
    approx(get(&c, "别的园区", "LEAD_SHARE", 2022, 8, "ytd"), 100.0);
}
