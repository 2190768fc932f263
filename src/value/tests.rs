use super::*;
use proptest::prelude::*;

fn t(s: &str) -> Parsed {
    parse_cell(&CellValue::Text(s.to_string()))
}
fn num(value: f64, percent: bool) -> Parsed {
    Parsed::Number { value, percent }
}

#[test]
fn text_numbers() {
    assert_eq!(t("12.35"), num(12.35, false));
    assert_eq!(t(" 1,234.5 "), num(1234.5, false));
    assert_eq!(t("1，234.5"), num(1234.5, false));
    assert_eq!(t("1 234"), num(1234.0, false));
    assert_eq!(t("１２．５"), num(12.5, false));
    assert_eq!(t("－3.2"), num(-3.2, false));
    assert_eq!(t("−3.2"), num(-3.2, false));
    assert_eq!(t("+4"), num(4.0, false));
}

#[test]
fn percentages() {
    assert_eq!(t("7.5%"), num(7.5, true));
    assert_eq!(t("7.5％"), num(7.5, true));
    assert_eq!(t("-3.9个百分点"), num(-3.9, true));
    let cell = CellValue::Number {
        value: 0.075,
        percent: true,
    };
    assert_eq!(parse_cell(&cell), num(7.5, true));
    let plain = CellValue::Number {
        value: 7.5,
        percent: false,
    };
    assert_eq!(parse_cell(&plain), num(7.5, false));
}

#[test]
fn growth_words() {
    assert_eq!(t("增长2.9倍"), num(290.0, true));
    assert_eq!(t("是上年的2.9倍"), num(190.0, true));
    assert_eq!(t("下降3.4%"), num(-3.4, true));
    assert_eq!(t("负增长3.4%"), num(-3.4, true));
    assert_eq!(t("增长8.5%"), num(8.5, true));
    assert_eq!(t("持平"), num(0.0, true));
    assert_eq!(t("扭亏"), Parsed::Note("扭亏".into()));
    assert_eq!(t("扭亏为盈"), Parsed::Note("扭亏为盈".into()));
}

#[test]
fn missing_markers_are_not_zero() {
    for m in [
        "", " ", "—", "——", "-", "/", "×", "…", "一", "－", "...", "　",
    ] {
        assert_eq!(t(m), Parsed::Missing, "marker {m:?}");
    }
    assert_eq!(parse_cell(&CellValue::Empty), Parsed::Missing);
    assert_eq!(
        parse_cell(&CellValue::Error("#DIV/0!".into())),
        Parsed::Missing
    );
}

/// Forms met in returns typed or pasted by hand.
#[test]
fn hand_written_numbers() {
    assert_eq!(t("(3.2)"), num(-3.2, false));
    assert_eq!(t("（1,234.5）"), num(-1234.5, false));
    assert_eq!(t("12.5*"), num(12.5, false));
    assert_eq!(t("12.5（快报）"), num(12.5, false));
    assert_eq!(t("8.5%(可比价)"), num(8.5, true));
    assert_eq!(t("增长8.5%※"), num(8.5, true));
    assert_eq!(t("12,345,678"), num(12345678.0, false));
    // a comma that does not group thousands is not a separator to drop
    for bad in ["12,5", "1,23", "1234,567", "1,234,5", "1.234,5"] {
        assert!(matches!(t(bad), Parsed::NotANumber(_)), "{bad}");
    }
    for missing in ["暂无", "未统计", "不详"] {
        assert_eq!(t(missing), Parsed::Missing, "{missing}");
    }
    assert!(matches!(t("(见附表)"), Parsed::NotANumber(_)));
    assert!(matches!(t("(-3.2)"), Parsed::NotANumber(_)));
}

#[test]
fn words_are_not_numbers() {
    assert!(matches!(t("十二"), Parsed::NotANumber(_)));
    assert!(matches!(t("见附表"), Parsed::NotANumber(_)));
    assert!(matches!(t("1.2.3"), Parsed::NotANumber(_)));
    assert!(matches!(t("inf"), Parsed::NotANumber(_)));
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = t(&s);
    }

    #[test]
    fn plain_numbers_round_trip(v in -1e9f64..1e9) {
        let s = format!("{v}");
        prop_assert_eq!(t(&s), num(v, false));
    }

    #[test]
    fn thousands_separators_do_not_change_value(int in 0u64..10_000_000_000, frac in 0u32..100) {
        let plain = format!("{int}.{frac:02}");
        let digits = int.to_string();
        let mut grouped = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 { grouped.push(','); }
            grouped.push(ch);
        }
        let grouped = format!("{grouped}.{frac:02}");
        prop_assert_eq!(t(&plain), t(&grouped));
    }

    #[test]
    fn full_width_equals_half_width(v in 0u32..1_000_000) {
        let half = v.to_string();
        let full: String = half.chars().map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c)).collect();
        prop_assert_eq!(t(&half), t(&full));
    }

    #[test]
    fn negative_words_negate(v in 0.0f64..1000.0) {
        let v = (v * 10.0).round() / 10.0;
        prop_assert_eq!(t(&format!("下降{v}%")), num(-v, true));
        prop_assert_eq!(t(&format!("增长{v}%")), num(v, true));
    }
}

/// NFKC, then white space removed and the minus-like dashes made '-': what `normalize_text`
/// does for any text.
fn nfkc_reference(s: &str) -> String {
    s.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{2212}' | '\u{2013}' | '\u{FE63}' => '-',
            c => c,
        })
        .collect()
}

/// Every character the fast path normalises one by one, against NFKC.
#[test]
fn normalize_by_char_is_nfkc() {
    let ranges = [
        '\u{0}'..='\u{7F}',
        '\u{3000}'..='\u{3035}',
        '\u{FF01}'..='\u{FF5E}',
        '\u{4E00}'..='\u{9FFF}',
    ];
    for c in ranges.into_iter().flatten() {
        assert!(by_char(c));
        let s = c.to_string();
        assert_eq!(normalize_text(&s), nfkc_reference(&s), "U+{:04X}", c as u32);
    }
    assert!(!by_char('\u{3036}') && !by_char('\u{2026}') && !by_char('\u{FF5F}'));
    assert_eq!(normalize_text("实缴税金（万元）"), "实缴税金(万元)");
    assert_eq!(normalize_text("单位：亿元、％　"), "单位:亿元、%");
    assert_eq!(normalize_text("１－８月\u{0B}累计"), "1-8月累计");
    // a vertical tab is white space, as for NFKC's path
    assert_eq!(normalize_text("1-8月\u{0B}累计"), "1-8月累计");
}

proptest! {
    #[test]
    fn normalize_text_is_nfkc_on_mixed_texts(
        chars in proptest::collection::vec(
            prop_oneof![
                (0x09u32..0x7F).prop_map(|u| char::from_u32(u).unwrap_or('a')),
                (0x3000u32..=0x3035).prop_map(|u| char::from_u32(u).unwrap_or('、')),
                (0xFF01u32..=0xFF5E).prop_map(|u| char::from_u32(u).unwrap_or('Ａ')),
                (0x4E00u32..=0x4E80).prop_map(|u| char::from_u32(u).unwrap_or('一')),
                Just('\u{2212}'), Just('\u{2026}'), Just('é'), Just('\u{0301}'),
            ],
            0..24,
        )
    ) {
        let s: String = chars.into_iter().collect();
        prop_assert_eq!(normalize_text(&s), nfkc_reference(&s));
    }
}
