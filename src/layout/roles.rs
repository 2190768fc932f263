//! What a header text says about its column: a label role (指标名称, 计量单位 …) or the time
//! basis of the values under it (本月, 1-8月累计, 上年同期, 同比增长% …).

use crate::catalog::units::{Unit, parse_unit};
use crate::model::Basis;
use crate::period::{PeriodHint, parse_text_period};
use crate::value::normalize_text;

/// The role of a label column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelRole {
    /// 序号.
    Seq,
    /// 指标名称.
    Name,
    /// 计量单位.
    Unit,
    /// 备注.
    Note,
    /// 园区名称.
    Park,
    /// 企业名称.
    Entity,
    /// 单位名称: an enterprise or a park, decided by the other columns.
    EntityOrPark,
    /// 行业分类.
    Industry,
    /// 排名, 位次: a rank among the rows (a number that is not a figure).
    Rank,
    /// 月份, 时间: the rows are periods (1-2月, 1-3月 … down the table), a series.
    Period,
}

/// Time-basis flags found in one header text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// 本月, 当月.
    pub month: bool,
    /// 累计, 1-8月, 本年.
    pub ytd: bool,
    /// 上年同期, 去年同期.
    pub prior: bool,
    /// 同比增长, 增幅, ±%.
    pub growth: bool,
    /// 上年全年.
    pub full_year_prior: bool,
    /// 目标, 计划.
    pub target: bool,
    /// 完成率.
    pub completion: bool,
    /// 预计全年.
    pub projection: bool,
    /// 数值, 实际, 完成 (a value without a time word).
    pub value: bool,
    /// 增减额, 增长量 …: a change as an amount in the row's unit, not a growth rate. Such a
    /// column is not read (the change is the difference of the figures beside it).
    pub amount: bool,
    /// 为上年同期%, 上年同期=100: the figure as a percentage of the prior year's (an index; the
    /// growth is the value minus 100). Set together with `growth`.
    pub index: bool,
    /// 上月, 上期, 环比: the month before, or a comparison with it. Such a column is not read (no
    /// basis of the tidy table holds it, and 上月累计 is not this month's 累计).
    pub previous: bool,
    /// 占全县比重, 占比, 份额: a share of a total. Such a column is not read (the shares are
    /// computed from the figures, FORMULAS.md).
    pub share: bool,
}

impl Flags {
    /// True when any flag is set.
    pub fn any(&self) -> bool {
        self.month
            || self.ytd
            || self.prior
            || self.growth
            || self.full_year_prior
            || self.target
            || self.completion
            || self.projection
            || self.value
            || self.amount
            || self.index
            || self.previous
            || self.share
    }

    fn union(&mut self, o: Flags) {
        self.month |= o.month;
        self.ytd |= o.ytd;
        self.prior |= o.prior;
        self.growth |= o.growth;
        self.full_year_prior |= o.full_year_prior;
        self.target |= o.target;
        self.completion |= o.completion;
        self.projection |= o.projection;
        self.value |= o.value;
        self.amount |= o.amount;
        self.index |= o.index;
        self.previous |= o.previous;
        self.share |= o.share;
    }
}

/// One header text, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    /// The text as written (trimmed).
    pub text: String,
    /// A label role, if the text names one.
    pub label: Option<LabelRole>,
    /// Time-basis flags.
    pub flags: Flags,
    /// A period in the text ("1-8月").
    pub period: PeriodHint,
    /// A unit in brackets or alone ("(万元)", "%").
    pub unit: Option<Unit>,
}

fn has(s: &str, words: &[&str]) -> bool {
    words.iter().any(|w| s.contains(w))
}

/// Classifies one header text.
///
/// ```
/// use parkstat::layout::roles::{classify, LabelRole};
/// assert_eq!(classify("指 标 名 称").label, Some(LabelRole::Name));
/// let p = classify("同比增长(%)");
/// assert!(p.flags.growth && !p.flags.prior);
/// assert!(classify("1-8月").flags.ytd);
/// ```
pub fn classify(text: &str) -> Part {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SEEN: RefCell<HashMap<Box<str>, Part>> = RefCell::new(HashMap::new());
    }
    // every return of a batch has the same few hundred header texts; each classification runs
    // some sixty substring searches
    const MAX_REMEMBERED: usize = 20_000;
    if let Some(p) = SEEN.with(|m| m.borrow().get(text).cloned()) {
        return p;
    }
    let p = classify_uncached(text);
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_REMEMBERED {
            m.clear();
        }
        m.insert(text.into(), p.clone());
    });
    p
}

fn classify_uncached(text: &str) -> Part {
    let s = normalize_text(text);
    let mut period = parse_text_period(&s);
    // a year alone, as a number turned into text ("2023"), heads that year's column
    if period.year.is_none()
        && s.len() == 4
        && let Ok(y) = s.parse::<i32>()
        && (2000..=2099).contains(&y)
    {
        period.year = Some(y);
    }
    let bare: String = s
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '%' | '±' | '[' | ']' | ':'))
        .collect();
    let unit = bracket_unit(&s).or_else(|| parse_unit(&s));
    let label = match bare.as_str() {
        "序号" | "序" | "编号" | "行次" | "代码" | "指标代码" => Some(LabelRole::Seq),
        "指标名称" | "指标" | "项目" | "名称" | "主要指标" | "指标名" | "项目名称" | "指标项目"
        | "内容" | "考核指标" => Some(LabelRole::Name),
        "计量单位" | "单位" | "计算单位" => Some(LabelRole::Unit),
        "备注" | "说明" | "备考" => Some(LabelRole::Note),
        // (brackets are gone from `bare`: 园区（开发区） is 园区开发区, 县（市、区） is 县市、区)
        "园区名称"
        | "园区"
        | "开发区"
        | "开发区名称"
        | "园区开发区"
        | "开发区园区"
        | "地区"
        | "县区"
        | "县市、区"
        | "县市区"
        | "所属园区"
        | "所在园区"
        | "所属开发区"
        | "所在开发区"
        | "所属园区开发区" => Some(LabelRole::Park),
        "企业名称" | "企业" | "纳税人名称" | "企业单位名称" | "入驻企业" => {
            Some(LabelRole::Entity)
        }
        "单位名称" | "单位详细名称" | "单位全称" => Some(LabelRole::EntityOrPark),
        "月份" | "月度" | "时间" | "期间" | "年月" | "统计时间" | "统计期间" | "时期" => {
            Some(LabelRole::Period)
        }
        "行业分类" | "所属产业" | "行业" | "产业" | "所属行业" | "产业类别" | "行业类别"
        | "产业分类" | "行业门类" => Some(LabelRole::Industry),
        // 园区（开发区）名称, 高新区名称; 公司名称, 企业全称
        _ if bare.ends_with("名称")
            && has(
                &bare,
                &["园区", "开发区", "高新区", "工业区", "产业园", "集中区"],
            ) =>
        {
            Some(LabelRole::Park)
        }
        _ if (bare.ends_with("名称") || bare.ends_with("全称"))
            && has(&bare, &["企业", "公司", "纳税人"]) =>
        {
            Some(LabelRole::Entity)
        }
        // 统一社会信用代码, 组织机构代码, 行业代码, 纳税人识别号: identifiers, not figures
        _ if bare.ends_with("代码") || bare.ends_with("识别号") || bare == "税号" => {
            Some(LabelRole::Seq)
        }
        _ if has(&bare, &["位次", "排名", "名次", "排位", "位序"]) => {
            Some(LabelRole::Rank)
        }
        _ => None,
    };
    let mut f = Flags::default();
    if label.is_none() {
        f.projection = has(&s, &["预计", "预测", "预期"]);
        f.completion = has(
            &s,
            &[
                "完成率",
                "完成进度",
                "完成年计划",
                "完成目标",
                "完成计划",
                "完成任务",
                "完成比例",
                "占计划",
                "占年计划",
                "占全年计划",
                "占目标",
                "为计划",
                "为年计划",
                "占全年",
                "占年度",
                "完成全年",
                "完成年度",
            ],
        ) || (s.contains("完成") && s.contains('%') && !s.contains("累计"));
        f.target = !f.completion && has(&s, &["目标", "计划", "任务"]);
        // "上年（2022年）全年": the words around a bracketed year
        f.full_year_prior = has(
            &without_brackets(&s),
            &[
                "上年全年",
                "去年全年",
                "上年实际",
                "去年实际",
                "上年实绩",
                "去年实绩",
                "上年完成",
                "去年完成",
                "上年决算",
                "上年度",
                "上年总",
            ],
        );
        f.growth = has(
            &s,
            &[
                "增长",
                "增幅",
                "增减",
                "增速",
                "同比",
                "±",
                "比上年",
                "增(减)",
                "增、减",
                "变化",
                "同期比",
                "比较",
                "相比",
            ],
        );
        f.previous = has(&s, &["上月", "上期", "环比", "上旬", "上季"]);
        f.share = has(
            &s,
            &[
                "比重",
                "占比",
                "份额",
                "占全县",
                "占全市",
                "占全区",
                "占园区",
            ],
        );
        // 为上年同期%, 为去年同期(%), 上年同期=100, 上年=100
        f.index = (s.contains("=100") && has(&s, &["上年", "去年", "同期"]))
            || (s.contains('为') && has(&s, &["为上年", "为去年", "为同期"]) && s.contains('%'));
        f.growth |= f.index;
        f.amount = has(
            &s,
            &[
                "增减额",
                "增长额",
                "增加额",
                "减少额",
                "增减量",
                "增长量",
                "增加量",
                "增减数",
                "增减值",
                "增减绝对",
            ],
        ) && !s.contains('%');
        f.prior = !f.full_year_prior
            && has(&s, &["上年", "去年", "同期"])
            && (!f.growth || has(&s, &["同期数", "同期累计", "同期完成"]));
        let cumulative = has(
            &s,
            &[
                "累计",
                "本年",
                "今年",
                "年初至",
                "1-本月",
                "至本月",
                "~本月",
                "—本月",
            ],
        ) || period.cumulative;
        f.ytd = cumulative;
        f.month = !cumulative
            && (has(&s, &["本月", "当月", "本期", "同月"])
                || (period.month.is_some() && !period.cumulative && s.ends_with('月')));
        f.value = !f.any()
            && has(
                &s,
                &[
                    "数值",
                    "实际",
                    "完成",
                    "绝对",
                    "总量",
                    "金额",
                    "合计数",
                    "数量",
                    "实绩",
                ],
            );
    }
    Part {
        text: text.trim().to_string(),
        label,
        flags: f,
        period,
        unit,
    }
}

/// The text without its bracketed parts: "上年(2022年)全年" is "上年全年".
fn without_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut depth = 0usize;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn bracket_unit(s: &str) -> Option<Unit> {
    let open = s.find(['(', '['])?;
    let close = s[open..].find([')', ']'])? + open;
    parse_unit(&s[open + 1..close])
}

/// Decides the basis of a value column from its header path (top band first).
///
/// ```
/// use parkstat::layout::roles::{basis_of, classify};
/// use parkstat::model::Basis;
/// let path = [classify("1-8月"), classify("同比增长(%)")];
/// assert_eq!(basis_of(&path), Some(Basis::YtdGrowth));
/// let path = [classify("本月"), classify("上年同月")];
/// assert_eq!(basis_of(&path), Some(Basis::MonthPrior));
/// ```
pub fn basis_of(parts: &[Part]) -> Option<Basis> {
    let mut all = Flags::default();
    for p in parts {
        all.union(p.flags);
    }
    if !all.any() {
        return None;
    }
    // month versus cumulative: the lowest part that says either decides
    let monthly = parts
        .iter()
        .rev()
        .find(|p| p.flags.month || p.flags.ytd)
        .map(|p| p.flags.month && !p.flags.ytd)
        .unwrap_or(false);
    Some(if all.projection {
        if all.growth {
            Basis::ProjectionGrowth
        } else {
            Basis::Projection
        }
    } else if all.completion {
        Basis::Completion
    } else if all.target {
        Basis::Target
    } else if all.full_year_prior {
        Basis::FullYearPrior
    } else if all.growth {
        if monthly {
            Basis::MonthGrowth
        } else {
            Basis::YtdGrowth
        }
    } else if all.prior {
        if monthly {
            Basis::MonthPrior
        } else {
            Basis::YtdPrior
        }
    } else if monthly {
        Basis::Month
    } else {
        Basis::Ytd
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(parts: &[&str]) -> Option<Basis> {
        let p: Vec<Part> = parts.iter().map(|t| classify(t)).collect();
        basis_of(&p)
    }

    #[test]
    fn headers_seen_in_real_returns() {
        assert_eq!(b(&["本月"]), Some(Basis::Month));
        assert_eq!(b(&["当月"]), Some(Basis::Month));
        assert_eq!(b(&["本月完成"]), Some(Basis::Month));
        assert_eq!(b(&["1-8月"]), Some(Basis::Ytd));
        assert_eq!(b(&["1—8月累计"]), Some(Basis::Ytd));
        assert_eq!(b(&["1-本月累计"]), Some(Basis::Ytd));
        assert_eq!(b(&["本年累计"]), Some(Basis::Ytd));
        assert_eq!(b(&["累计完成"]), Some(Basis::Ytd));
        assert_eq!(b(&["上年同期"]), Some(Basis::YtdPrior));
        assert_eq!(b(&["去年同期"]), Some(Basis::YtdPrior));
        assert_eq!(b(&["上年同期累计"]), Some(Basis::YtdPrior));
        assert_eq!(b(&["同比增长(%)"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["同比增减(±%)"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["增长%"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["增幅"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["比上年同期增长"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["全年目标"]), Some(Basis::Target));
        assert_eq!(b(&["年计划"]), Some(Basis::Target));
        assert_eq!(b(&["年度目标任务"]), Some(Basis::Target));
        assert_eq!(b(&["完成率"]), Some(Basis::Completion));
        assert_eq!(b(&["完成年计划(%)"]), Some(Basis::Completion));
        assert_eq!(b(&["完成目标%"]), Some(Basis::Completion));
        assert_eq!(b(&["预计全年"]), Some(Basis::Projection));
        assert_eq!(b(&["全年预计"]), Some(Basis::Projection));
        assert_eq!(b(&["预计增长(%)"]), Some(Basis::ProjectionGrowth));
        assert_eq!(b(&["上年全年"]), Some(Basis::FullYearPrior));
        assert_eq!(b(&["去年全年"]), Some(Basis::FullYearPrior));
        assert_eq!(b(&["工业总产值", "本月数"]), Some(Basis::Month));
        assert_eq!(b(&["工业总产值", "累计数"]), Some(Basis::Ytd));
        assert_eq!(b(&["1-8月", "累计"]), Some(Basis::Ytd));
        assert_eq!(b(&["1-8月", "上年同期"]), Some(Basis::YtdPrior));
        assert_eq!(b(&["1-8月", "同比增长%"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["本月", "同比"]), Some(Basis::MonthGrowth));
        assert_eq!(b(&["本月", "上年同月"]), Some(Basis::MonthPrior));
        assert_eq!(b(&["预计全年", "绝对数"]), Some(Basis::Projection));
        assert_eq!(b(&["预计全年", "增长%"]), Some(Basis::ProjectionGrowth));
        assert_eq!(b(&["去年同月"]), Some(Basis::MonthPrior));
        assert_eq!(b(&["占计划%"]), Some(Basis::Completion));
        assert_eq!(b(&["1至本月"]), Some(Basis::Ytd));
        assert_eq!(b(&["截至本月累计"]), Some(Basis::Ytd));
        assert_eq!(b(&["占全年目标%"]), Some(Basis::Completion));
        assert_eq!(b(&["完成全年目标(%)"]), Some(Basis::Completion));
        assert_eq!(b(&["与上年同期比较(%)"]), Some(Basis::YtdGrowth));
        assert_eq!(b(&["上年（2022年）全年"]), Some(Basis::FullYearPrior));
        assert_eq!(b(&["上年实绩"]), Some(Basis::FullYearPrior));
        assert_eq!(b(&["去年实际"]), Some(Basis::FullYearPrior));
        for index in ["为上年同期%", "为去年同期(%)", "上年同期=100"] {
            assert_eq!(b(&[index]), Some(Basis::YtdGrowth), "{index}");
            assert!(classify(index).flags.index, "{index}");
        }
        assert_eq!(b(&["本月", "为上年同月%"]), Some(Basis::MonthGrowth));
        assert!(!classify("同比增长%").flags.index);
        assert!(!classify("比上年同期增长(%)").flags.index);
        for previous in ["上月", "上月累计", "环比增长%", "上期"] {
            assert!(classify(previous).flags.previous, "{previous}");
        }
        assert!(!classify("本月累计").flags.previous);
        for share in ["占全县比重%", "占比(%)", "份额"] {
            assert!(classify(share).flags.share, "{share}");
        }
        assert_eq!(b(&["工业增加值"]), None);
        // a change as an amount is flagged, and the header's column is not read
        for amount in ["增减额", "增长额(万元)", "比上年增减量", "1-8月 增减数"] {
            assert!(classify(amount).flags.amount, "{amount}");
        }
        for rate in ["增减%", "同比增减(±%)", "增减率", "增减(个百分点)"] {
            assert!(!classify(rate).flags.amount, "{rate}");
        }
        assert_eq!(b(&["指标名称"]), None);
    }

    #[test]
    fn label_roles() {
        assert_eq!(classify("序号").label, Some(LabelRole::Seq));
        assert_eq!(classify("计量单位").label, Some(LabelRole::Unit));
        assert_eq!(classify("企业名称").label, Some(LabelRole::Entity));
        assert_eq!(classify("行业分类").label, Some(LabelRole::Industry));
        assert_eq!(classify("园区名称").label, Some(LabelRole::Park));
        for park in [
            "园区（开发区）名称",
            "高新区名称",
            "工业集中区名称",
            "县（市、区）",
            "开发区（园区）",
        ] {
            assert_eq!(classify(park).label, Some(LabelRole::Park), "{park}");
        }
        for entity in ["公司名称", "企业全称", "纳税人名称", "企业（单位）名称"]
        {
            assert_eq!(classify(entity).label, Some(LabelRole::Entity), "{entity}");
        }
        assert_eq!(classify("备  注").label, Some(LabelRole::Note));
        for id in [
            "统一社会信用代码",
            "组织机构代码",
            "行业代码",
            "纳税人识别号",
        ] {
            assert_eq!(classify(id).label, Some(LabelRole::Seq), "{id}");
        }
        assert_eq!(
            classify("单位详细名称").label,
            Some(LabelRole::EntityOrPark)
        );
        for rank in ["位次", "排名", "增速位次", "全县排名", "名次"] {
            assert_eq!(classify(rank).label, Some(LabelRole::Rank), "{rank}");
        }
        assert_eq!(
            classify("工业增加值（亿元）").unit.map(|u| u.name),
            Some("亿元")
        );
    }
}
