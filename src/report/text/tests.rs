use super::*;

fn ctx() -> TextContext {
    TextContext {
        park: "某某工业园区".to_string(),
        year: 2022,
        month: 8,
    }
}

fn one(template: &str, f: &FigureMap) -> Rendered {
    render(template, &ctx(), f).unwrap()
}

#[test]
fn rounding_half_away_from_zero() {
    assert_eq!(format_number(0.05, 1), "0.1");
    assert_eq!(format_number(-0.05, 1), "-0.1");
    assert_eq!(format_number(2.675, 2), "2.68");
    assert_eq!(format_number(1.005, 2), "1.01");
    assert_eq!(format_number(8.549999999999999, 1), "8.6");
    assert_eq!(format_number(9.96, 1), "10.0");
    assert_eq!(format_number(99.5, 0), "100");
    assert_eq!(format_number(-0.0, 2), "0.00");
    assert_eq!(format_number(-0.004, 2), "0.00");
    assert_eq!(format_number(0.0, 0), "0");
    assert_eq!(format_number(0.000123, 4), "0.0001");
    assert_eq!(format_number(123456789.0, 2), "123456789.00");
    assert_eq!(format_number(1e20, 0), "100000000000000000000");
    assert_eq!(format_number(3.0, 0), "3");
    assert_eq!(format_number(0.4, 0), "0");
    assert_eq!(format_number(0.5, 0), "1");
}

#[test]
fn growth_words() {
    let mut f = FigureMap::new();
    f.set("A", "ytd_growth", 8.46)
        .set("B", "ytd_growth", -3.44)
        .set("C", "ytd_growth", 0.0)
        .set("D", "ytd_growth", 0.04)
        .set("E", "ytd_growth", -0.04)
        .set("F", "ytd_growth", -0.05);
    let t = "{A.ytd_growth:growth}|{B.ytd_growth:growth}|{C.ytd_growth:growth}|{D.ytd_growth:growth}|{E.ytd_growth:growth}|{F.ytd_growth:growth}|{A.ytd_growth:growth2}";
    let out = one(t, &f);
    assert_eq!(
        out.text,
        "增长8.5%|下降3.4%|持平|持平|持平|下降0.1%|增长8.46%"
    );
    assert!(out.warnings.is_empty());
    assert!(!out.text.contains("增长-"));
}

#[test]
fn growth_missing_and_note() {
    let mut f = FigureMap::new();
    f.set_name("IND_VA", "工业增加值");
    f.set_note("IND_PROFIT", "ytd_growth", "扭亏");
    f.set_note("X", "ytd_growth", "新增");
    f.set("NAN", "ytd_growth", f64::NAN);
    let out = one(
        "{IND_VA.ytd_growth:growth}|{IND_PROFIT.ytd_growth:growth}|{X.ytd_growth:growth}|{IND_VA.ytd:num2}|{NAN.ytd_growth:growth}",
        &f,
    );
    assert_eq!(
        out.text,
        "【缺:工业增加值·1-8月累计增长】|扭亏为盈|新增|【缺:工业增加值·1-8月累计】|【缺:NAN·1-8月累计增长】"
    );
    assert_eq!(out.warnings.len(), 3);
    assert!(
        out.warnings[0].contains("IND_VA.ytd_growth"),
        "{:?}",
        out.warnings
    );
    assert!(
        out.warnings[2].contains("not a finite"),
        "{:?}",
        out.warnings
    );
    assert!(!out.text.contains('0'));
}

#[test]
fn pp_schedule_drop_delta() {
    let mut f = FigureMap::new();
    f.set("S", "share_change_pp", 2.14)
        .set("T", "share_change_pp", -0.36)
        .set("U", "share_change_pp", 0.0)
        .set("S", "schedule_gap_pp", 1.94)
        .set("T", "schedule_gap_pp", -2.96)
        .set("U", "schedule_gap_pp", 0.01)
        .set("E", "ytd", 3.5)
        .set("F", "ytd", -1.2)
        .set("N", "ytd_growth", 3.0)
        .set("M", "ytd_growth", -2.0);
    let out = one(
        "{S.share_change_pp:pp}|{T.share_change_pp:pp}|{U.share_change_pp:pp}|\
             {S.schedule_gap_pp:schedule}|{T.schedule_gap_pp:schedule}|{U.schedule_gap_pp:schedule}|\
             {E.ytd:drop}|{F.ytd:drop}|{N.ytd_growth:delta}|{M.ytd_growth:delta}",
        &f,
    );
    assert_eq!(
        out.text,
        "提高2.1个百分点|降低0.4个百分点|持平|超序时进度1.9个百分点|欠序时进度3.0个百分点|与序时进度持平|降低3.5%|上升1.2%|增加3|减少2"
    );
}

#[test]
fn context_and_braces() {
    let f = FigureMap::new();
    let out = one("{park}{year}年{period}（{month}月）{{x}}", &f);
    assert_eq!(out.text, "某某工业园区2022年1-8月（8月）{x}");
    let jan = render("{period}", &TextContext { month: 1, ..ctx() }, &f).unwrap();
    assert_eq!(jan.text, "1月");
    let feb = render("{period}", &TextContext { month: 2, ..ctx() }, &f).unwrap();
    assert_eq!(feb.text, "1-2月");
}

#[test]
fn errors_name_the_placeholder_and_position() {
    let f = FigureMap::new();
    let err = render("ab\n cd{IND_VA.ytd:num9}", &ctx(), &f).unwrap_err();
    match &err {
        ReportError::TemplateFormat {
            format,
            line,
            column,
            ..
        } => {
            assert_eq!((format.as_str(), *line, *column), ("num9", 2, 4));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("num9") && err.to_string().contains("line 2"));

    for (t, what) in [
        ("{IND_VA.ytdd:num2}", "ytdd"),
        ("{foo}", "foo"),
        ("{IND_VA.ytd}", "needs a format"),
        ("{year:num2}", "takes no format"),
        ("{IND-VA.ytd:num2}", "IND-VA"),
    ] {
        let e = render(t, &ctx(), &f).unwrap_err();
        assert!(
            matches!(e, ReportError::TemplatePlaceholder { .. }),
            "{t}: {e:?}"
        );
        assert!(e.to_string().contains(what), "{t}: {e}");
    }
    for t in [
        "{IND_VA.ytd:growthy}",
        "{IND_VA.ytd:num}",
        "{IND_VA.ytd:int2}",
        "{IND_VA.ytd:}",
    ] {
        let e = render(t, &ctx(), &f).unwrap_err();
        assert!(
            matches!(e, ReportError::TemplateFormat { .. }),
            "{t}: {e:?}"
        );
    }
    for t in ["abc {IND_VA.ytd:num2", "a}b", "{a{b}", "{x\n}"] {
        let e = render(t, &ctx(), &f).unwrap_err();
        assert!(matches!(e, ReportError::TemplateBrace { .. }), "{t}: {e:?}");
    }
    let e = render("一二三}", &ctx(), &f).unwrap_err();
    assert!(
        matches!(e, ReportError::TemplateBrace { line: 1, column: 4 }),
        "{e:?}"
    );
}

#[test]
fn park_table_is_a_lookup() {
    use super::super::model::{GrowthKind, IndicatorRow};
    let table = ParkTable {
        park: "P".into(),
        year: 2022,
        month: 8,
        unit_note: String::new(),
        rows: vec![
            IndicatorRow {
                code: "IND_PROFIT".into(),
                name: "其中：利润总额".into(),
                unit: "亿元".into(),
                level: 1,
                ytd: Some(1.2),
                growth_note: Some("扭亏".into()),
                growth_kind: GrowthKind::Percent,
                ..Default::default()
            },
            IndicatorRow {
                code: "FAI".into(),
                name: "固定资产投资".into(),
                ytd: Some(30.0),
                schedule_gap_pp: Some(-3.04),
                ..Default::default()
            },
        ],
    };
    let out = render(
            "利润{IND_PROFIT.ytd:num2}亿元，{IND_PROFIT.ytd_growth:growth}；{FAI.schedule_gap_pp:schedule}；{FAI.projection:num2}",
            &ctx(),
            &table,
        )
        .unwrap();
    assert_eq!(
        out.text,
        "利润1.20亿元，扭亏为盈；欠序时进度3.0个百分点；【缺:固定资产投资·预计全年】"
    );
    assert_eq!(table.name("IND_PROFIT").as_deref(), Some("利润总额"));
}
