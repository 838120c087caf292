//! Unit tests of the date recogniser, family by family, in both languages.

use super::*;
use crate::segment::segment;

/// Every item found in `text` as `text=value[..end][ kind][ rel]`.
fn items(text: &str, doc: Option<&str>) -> Vec<String> {
    let seg = segment(text, false);
    let doc = doc.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    resolve_all(text, &find(text), &seg, doc)
        .into_iter()
        .map(|d| {
            let mut s = format!(
                "{}={}",
                &text[d.nspan.0..d.nspan.1],
                d.value.unwrap_or_else(|| "null".into())
            );
            if let Some(e) = d.end_value {
                s.push_str(&format!("..{e}"));
            }
            if d.kind != crate::document::DateKind::Date {
                s.push_str(&format!(" {}", d.kind.as_str()));
            }
            if d.relative {
                s.push_str(" rel");
            }
            s
        })
        .collect()
}

fn one(text: &str, doc: Option<&str>) -> String {
    let all = items(text, doc);
    assert_eq!(all.len(), 1, "{text:?} gave {all:?}");
    all[0].clone()
}

const DOC: Option<&str> = Some("2025-09-05"); // a Friday

#[test]
fn absolute_chinese() {
    assert_eq!(
        one("公司于2025年9月3日提起诉讼", DOC),
        "2025年9月3日=2025-09-03"
    );
    assert_eq!(
        one("二〇二五年九月三日,会议召开", DOC),
        "二〇二五年九月三日=2025-09-03"
    );
    assert_eq!(one("他在2025年6月离职", DOC), "2025年6月=2025-06");
    assert_eq!(one("2024年营收增长", DOC), "2024年=2024");
    assert_eq!(one("当地时间9月3日,", DOC), "9月3日=2025-09-03");
    assert_eq!(one("会议定在9月3号举行", DOC), "9月3号=2025-09-03");
    assert_eq!(one("08年奥运会", DOC), "08年=2008");
    assert_eq!(one("2020年2月29日", DOC), "2020年2月29日=2020-02-29");
    assert!(items("2021年2月29日", DOC).is_empty(), "no such day");
}

#[test]
fn absolute_numeric_and_english() {
    assert_eq!(one("filed on 2025-09-03.", DOC), "2025-09-03=2025-09-03");
    assert_eq!(one("日期2025/9/3", DOC), "2025/9/3=2025-09-03");
    assert_eq!(one("日期2025.09.03", DOC), "2025.09.03=2025-09-03");
    assert_eq!(
        one("The suit was filed Sept. 3, 2025, in court.", DOC),
        "Sept. 3, 2025=2025-09-03"
    );
    assert_eq!(
        one("It was filed on 3 September 2025.", DOC),
        "3 September 2025=2025-09-03"
    );
    assert_eq!(
        one("Sales fell in September 2025.", DOC),
        "September 2025=2025-09"
    );
    assert_eq!(one("The company was founded in 2019.", DOC), "2019=2019");
    assert_eq!(one("He left on March 3.", DOC), "March 3=2025-03-03");
    assert_eq!(one("He was born 05/05/89.", DOC), "05/05/89=1989-05-05");
    assert_eq!(one("Revenue in FY2024 rose.", DOC), "FY2024=FY2024");
}

#[test]
fn relative_with_document_date() {
    assert_eq!(one("今天发布", DOC), "今天=2025-09-05 rel");
    assert_eq!(one("公司昨天宣布", DOC), "昨天=2025-09-04 rel");
    assert_eq!(one("前天上午", DOC), "前天=2025-09-03 rel");
    assert_eq!(one("明天下午3点开会", DOC), "明天=2025-09-06 rel");
    assert_eq!(one("去年利润下降", DOC), "去年=2024 rel");
    assert_eq!(one("今年6月", DOC), "今年6月=2025-06 rel");
    assert_eq!(one("上个月离职", DOC), "上个月=2025-08 rel");
    assert_eq!(one("本周", DOC), "本周=2025-W36 rel");
    assert_eq!(one("上周三", DOC), "上周三=2025-08-27 rel");
    assert_eq!(one("六天前", DOC), "六天前=2025-08-30 rel");
    assert_eq!(one("两周后", DOC), "两周后=2025-09-19 rel");
    assert_eq!(one("年底前完成", DOC), "年底=2025");
    assert_eq!(one("2024年底完成", DOC), "2024年底=2024");
    assert_eq!(
        one("Shares rose yesterday.", DOC),
        "yesterday=2025-09-04 rel"
    );
    assert_eq!(
        one("Profit fell last month.", DOC),
        "last month=2025-08 rel"
    );
    assert_eq!(
        one("We met last Tuesday.", DOC),
        "last Tuesday=2025-08-26 rel"
    );
    assert_eq!(
        one("It happened three days ago.", DOC),
        "three days ago=2025-09-02 rel"
    );
    assert_eq!(one("Rates rise next year.", DOC), "next year=2026 rel");
    assert_eq!(
        one("Shares fell earlier this year.", DOC),
        "earlier this year=2025 rel"
    );
}

#[test]
fn relative_without_document_date_is_unresolved() {
    assert_eq!(one("公司昨天宣布", None), "昨天=null rel");
    assert_eq!(one("Profit fell last month.", None), "last month=null rel");
    assert_eq!(one("去年利润下降", None), "去年=null rel");
}

#[test]
fn narrative_anchoring() {
    // 上个月 in a paragraph about 9月4日 is August, even with an October document date.
    assert_eq!(
        items("9月4日,他表示:上个月我离职了。", Some("2025-10-20")),
        vec!["9月4日=2025-09-04", "上个月=2025-08 rel"]
    );
    // A year-less date takes the paragraph's explicit year over the document's.
    assert_eq!(
        items("2019年公司成立,3月推出产品。", Some("2025-09-05")),
        vec!["2019年=2019", "3月=2019-03"]
    );
    // Without a document date, the nearest preceding explicit year.
    assert_eq!(
        items("2024年6月签约。\n\n9月3日交付。", None),
        vec!["2024年6月=2024-06", "9月3日=2024-09-03"]
    );
    // A target year does not anchor the story.
    assert_eq!(
        items("2019年公司成立。计划到2027年上市。7月份融资。", None),
        vec!["2019年=2019", "2027年=2027", "7月份=2019-07"]
    );
}

#[test]
fn quarters_and_halves() {
    assert_eq!(one("第三季度营收", DOC), "第三季度=2025-Q3");
    assert_eq!(one("三季度营收", DOC), "三季度=2025-Q3");
    assert_eq!(one("2025财年第一季度", DOC), "2025财年第一季度=FY2025-Q1");
    assert_eq!(one("Q3营收", DOC), "Q3=2025-Q3");
    assert_eq!(one("上半年净利润", DOC), "上半年=2025-H1");
    assert_eq!(one("2024年下半年", DOC), "2024年下半年=2024-H2");
    assert_eq!(
        one("Revenue in the third quarter of 2024 rose.", DOC),
        "the third quarter of 2024=2024-Q3"
    );
    assert_eq!(one("H1 2024 results", DOC), "H1 2024=2024-H1");
    // The first three quarters are a cumulative period, not Q3.
    assert_eq!(one("前三季度营收", DOC), "前三季度=2025-Q1..2025-Q3 range");
}

#[test]
fn ranges() {
    assert_eq!(
        one("2025年6月至7月", DOC),
        "2025年6月至7月=2025-06..2025-07 range"
    );
    assert_eq!(
        one("6月到7月销量下滑", DOC),
        "6月到7月=2025-06..2025-07 range"
    );
    // A year-less range moves by the tense as a whole: ahead in a plan when it is over,
    // not when it is still running; back in a report when it has not begun.
    assert_eq!(
        one("公司计划6月到7月扩产", DOC),
        "6月到7月=2026-06..2026-07 range"
    );
    assert_eq!(
        one("公司计划8月到10月扩产", DOC),
        "8月到10月=2025-08..2025-10 range"
    );
    assert_eq!(
        one(
            "Sales dropped from October to November.",
            Some("2025-03-02")
        ),
        "from October to November=2024-10..2024-11 range"
    );
    assert_eq!(
        one("9月3日至5日", DOC),
        "9月3日至5日=2025-09-03..2025-09-05 range"
    );
    assert_eq!(one("2023-2025年", DOC), "2023-2025年=2023..2025 range");
    assert_eq!(
        one("从2016年1月至2018年", DOC),
        "从2016年1月至2018年=2016-01..2018 range"
    );
    assert_eq!(one("8月至2月", DOC), "8月至2月=2025-08..2026-02 range");
    assert_eq!(
        one("Sales grew from June to July 2025.", DOC),
        "from June to July 2025=2025-06..2025-07 range"
    );
    assert_eq!(
        one("Sales grew between 2023 and 2025.", DOC),
        "between 2023 and 2025=2023..2025 range"
    );
    assert_eq!(
        one("2015年和2018年之间", DOC),
        "2015年和2018年之间=2015..2018 range"
    );
    // Two dates joined by 和 without 之间 are two dates.
    assert_eq!(items("2015年和2018年的销售额", DOC).len(), 2);
}

#[test]
fn durations() {
    assert_eq!(one("他任职超过三年", DOC), "三年=P3Y duration");
    assert_eq!(one("历时18个月", DOC), "18个月=P18M duration");
    assert_eq!(one("用了两周", DOC), "两周=P2W duration");
    assert_eq!(one("数周以来", DOC), "数周=null duration");
    assert_eq!(one("三年半", DOC), "三年半=P3.5Y duration");
    assert_eq!(one("一年又三个月", DOC), "一年又三个月=P1Y3M duration");
    assert_eq!(one("两天又一个月", DOC), "两天又一个月=P1M2D duration");
    assert_eq!(
        items("两年两年", DOC).len(),
        2,
        "a unit repeated is two durations"
    );
    assert_eq!(
        one("He worked there for three years.", DOC),
        "three years=P3Y duration"
    );
    assert_eq!(one("It took 18 months.", DOC), "18 months=P18M duration");
    assert_eq!(
        one("It took several weeks.", DOC),
        "several weeks=null duration"
    );
    assert_eq!(
        items("It took a day in 2019.", DOC),
        vec!["a day=P1D duration", "2019=2019"]
    );
    assert_eq!(
        one("It will happen 2 weeks before Christmas.", DOC),
        "2 weeks before Christmas=2025-12-11"
    );
    // Reported as past: last Christmas.
    assert_eq!(
        one("It happened 2 weeks before Christmas.", DOC),
        "2 weeks before Christmas=2024-12-11"
    );
    assert_eq!(
        one("I left 2 years 1 month 21 days ago", Some("2017-11-23")),
        "2 years 1 month 21 days ago=2015-10-02 rel"
    );
}

#[test]
fn holidays() {
    assert_eq!(one("春节前后物价平稳", DOC), "春节=2025-01-29");
    assert_eq!(one("国庆期间客流大增", DOC), "国庆=2025-10-01");
    assert_eq!(one("中秋节消费旺盛", DOC), "中秋节=2025-10-06");
    assert_eq!(one("端午节消费旺盛", DOC), "端午节=2025-05-31");
    assert_eq!(one("清明节出行人数创新高", DOC), "清明节=2025-04-04");
    assert_eq!(one("元旦档票房", DOC), "元旦=2025-01-01");
    assert_eq!(one("圣诞节销售额", DOC), "圣诞节=2025-12-25");
    // Standing alone, or in a plan, a holiday is its next occurrence; reported as past,
    // its latest one.
    assert_eq!(one("端午节", DOC), "端午节=2026-06-19");
    assert_eq!(one("春节", DOC), "春节=2026-02-17");
    assert_eq!(one("新品将在元旦上市", DOC), "元旦=2026-01-01");
    assert_eq!(one("圣诞节", DOC), "圣诞节=2025-12-25");
    assert_eq!(one("圣诞节销量增长了两成", DOC), "圣诞节=2024-12-25");
    assert_eq!(
        one("The shop will reopen after Easter.", DOC),
        "Easter=2026-04-05"
    );
    assert_eq!(one("New Year", DOC), "New Year=2026-01-01");
    // Reported as past in September: last Christmas.
    assert_eq!(
        one("Sales peaked at Christmas.", DOC),
        "Christmas=2024-12-25"
    );
    assert_eq!(
        one("Stores open on Thanksgiving.", DOC),
        "Thanksgiving=2025-11-27"
    );
    assert_eq!(one("2024年春节", DOC), "2024年春节=2024-02-10");
}

#[test]
fn weekdays_and_weekends() {
    assert_eq!(one("周三股市大涨", DOC), "周三=2025-09-03 rel");
    assert_eq!(one("星期三股市大涨", DOC), "星期三=2025-09-03 rel");
    // Standing alone (a heading, an agenda line), a weekday is the coming one.
    assert_eq!(one("周三", DOC), "周三=2025-09-10 rel");
    assert_eq!(one("星期五", DOC), "星期五=2025-09-05 rel");
    assert_eq!(one("Wednesday", DOC), "Wednesday=2025-09-10 rel");
    // 礼拜 forms follow the same rule (Traditional 禮拜/週 are normalised to these first).
    assert_eq!(one("礼拜一", DOC), "礼拜一=2025-09-08 rel");
    assert_eq!(one("公司已于周一宣布", DOC), "周一=2025-09-01 rel");
    // A bare weekday is the latest one in a report, the next one in a plan.
    assert_eq!(
        one("公司周一宣布裁员", Some("2025-09-03")),
        "周一=2025-09-01 rel"
    );
    assert_eq!(
        one("公司周五宣布裁员", Some("2025-09-03")),
        "周五=2025-08-29 rel"
    );
    assert_eq!(
        one("公司将于周五公布财报", Some("2025-09-03")),
        "周五=2025-09-05 rel"
    );
    assert_eq!(
        items("他们上周见面。公司将于周五公布财报。", Some("2025-09-03"))[1],
        "周五=2025-09-05 rel"
    );
    assert_eq!(
        one(
            "The company said on Friday it would cut jobs.",
            Some("2025-09-03")
        ),
        "Friday=2025-08-29 rel"
    );
    assert_eq!(
        one(
            "Results are due Friday; the board will meet.",
            Some("2025-09-03")
        ),
        "Friday=2025-09-05 rel"
    );
    assert_eq!(one("下周一", DOC), "下周一=2025-09-08 rel");
    assert_eq!(
        one("下下周末", DOC),
        "下下周末=2025-09-20..2025-09-21 range rel"
    );
    assert!(items("每周一次", DOC).is_empty());
}

#[test]
fn no_false_dates() {
    for text in [
        "估值约合人民币2068亿元",
        "用户达190亿个",
        "增长2025%",
        "电话:138-2010-2015",
        "Call (206) 555-1212 now",
        "股票代码600519",
        "升级到版本2.1.3",
        "version 1.2.3 is out",
        "5G网络和4/5G基站",
        "共有2000人参加",
        "It opened in 2000 stores.",
        "This may or may not be right.",
        "请检查192.168.255.255",
        "他有12号球衣",
        "The ssn is 123-12-1234",
        "He finished eighth in the race.",
        "Item 5/17 of the list",
    ] {
        let found = items(text, DOC);
        assert!(found.is_empty(), "{text:?} gave {found:?}");
    }
}

#[test]
fn document_date_inference() {
    let text = "当地时间9月3日,公司提起诉讼。\n\n2025年6月至7月,他离职。\n\n9月4日,他回应。下周将于10月1日开庭。";
    let seg = segment(text, false);
    assert_eq!(
        infer_document_date(text, &seg),
        NaiveDate::from_ymd_opt(2025, 9, 4)
    );
    let dateline = "BEIJING, March 3, 2024 -- The company said on Feb. 28, 2024 that ...";
    assert_eq!(
        infer_document_date(dateline, &segment(dateline, false)),
        NaiveDate::from_ymd_opt(2024, 3, 3)
    );
    let target = "北京时间10月17日消息。越南计划到2027年之前实现无现金经济。";
    assert_eq!(infer_document_date(target, &segment(target, false)), None);
    let none = "No dates here, only 9月3日 without any year.";
    assert_eq!(infer_document_date(none, &segment(none, false)), None);
}

#[test]
fn traditional_text_after_normalisation() {
    let norm = crate::normalize::normalize("當地時間9月3日,上個月,超過三年,2068億元");
    let got = items(&norm.text, DOC);
    assert_eq!(
        got,
        vec![
            "9月3日=2025-09-03",
            "上个月=2025-08 rel",
            "三年=P3Y duration"
        ]
    );
}

/// Stress: pathological input gives the right answer and no panic. (Speed is measured
/// by `newsfacts bench` and `examples/stage_timing.rs`, never asserted in a test.)
#[test]
fn stress_repetitions_and_digit_runs() {
    let many = "明年的".repeat(10_000);
    assert_eq!(find(&many).len(), 10_000);
    // Resolution (with each date's tense) too: cues are looked for in a bounded reach.
    assert_eq!(items(&many, DOC).len(), 10_000);
    let weekdays = "周三将".repeat(10_000);
    assert_eq!(items(&weekdays, DOC).len(), 10_000);
    let digits = "1234567890".repeat(20_000);
    assert!(find(&digits).is_empty(), "a digit run is not a date");
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "年",
        "月日",
        "9999年12月31日",
        "0年0月0日",
        "第",
        "99999999999999999999年",
        "12/31/99999",
        "Q5",
        "廿卅月廿卅日",
        "—至—",
        "from to",
    ] {
        let _ = items(text, DOC);
        let _ = items(text, None);
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "年",
        "月",
        "日",
        "号",
        "至",
        "到",
        "前",
        "后",
        "之间",
        "和",
        "2025",
        "9",
        "31",
        "0",
        "三",
        "十",
        "廿",
        "两",
        "周",
        "上",
        "下",
        "个",
        "-",
        "/",
        ".",
        ",",
        " ",
        "Q3",
        "H1",
        "last",
        "next",
        "May",
        "Sept.",
        "to",
        "between",
        "and",
        "ago",
        "days",
        "weeks",
        "春节",
        "世纪",
        "年代",
        "FY",
        "'",
        "半",
        "多",
        "季度",
        "第",
        "the",
        "first",
        "week",
        "of",
        "Monday",
        "周三",
        "now",
        "from",
        "starting",
        "before",
        "二〇二五",
        "今年",
        "上个月",
        "9999",
        "1",
        "元",
        "亿",
        "%",
        "财季",
        "财年",
        "同期",
        "较",
        "半年报",
        "(",
        ")",
        "前",
        "日",
        "114",
        "fiscal",
        "Q",
        "2Q",
        "year to date",
        "a year earlier",
        "from",
        "decade",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// No input panics; every item's span lies on character boundaries of the text.
        #[test]
        fn any_mix_of_date_pieces(pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..40), with_doc in any::<bool>()) {
            let text: String = pieces.concat();
            let seg = segment(&text, false);
            let doc = with_doc.then(|| NaiveDate::from_ymd_opt(2025, 9, 5)).flatten();
            for d in resolve_all(&text, &find(&text), &seg, doc) {
                prop_assert!(d.nspan.0 < d.nspan.1 && text.get(d.nspan.0..d.nspan.1).is_some());
            }
            let _ = infer_document_date(&text, &seg);
        }
    }
}

#[test]
fn year_less_dates_without_any_year_are_reported_unresolved() {
    let found = find("北京时间10月17日消息,公司宣布融资。");
    let seg = crate::segment::segment("北京时间10月17日消息,公司宣布融资。", false);
    let items = resolve_all("北京时间10月17日消息,公司宣布融资。", &found, &seg, None);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].value, None);
    assert_eq!(items[0].granularity.as_deref(), Some("day"));
    assert!(!items[0].relative);
}

#[test]
fn parts_of_months_and_weeks() {
    // DOC is Friday 2025-09-05.
    assert_eq!(
        one("本月上半月销量下滑", DOC),
        "本月上半月=2025-09-01..2025-09-15 range rel"
    );
    assert_eq!(
        one("上半月销量下滑", DOC),
        "上半月=2025-09-01..2025-09-15 range rel"
    );
    assert_eq!(
        one("2024年2月下半月", DOC),
        "2024年2月下半月=2024-02-16..2024-02-29 range"
    );
    assert_eq!(
        one("新品于9月下旬上市", DOC),
        "9月下旬=2025-09-21..2025-09-30 range"
    );
    assert_eq!(
        one("上个月中旬出货放缓", DOC),
        "上个月中旬=2025-08-11..2025-08-20 range rel"
    );
    assert_eq!(
        one("本周下半周将有降雨", DOC),
        "本周下半周=2025-09-04..2025-09-07 range rel"
    );
    assert_eq!(
        one("下周上半周将有降雨", DOC),
        "下周上半周=2025-09-08..2025-09-10 range rel"
    );
    assert_eq!(
        one("美联储将于本周晚些时候公布纪要", Some("2025-09-01")),
        "本周晚些时候=2025-09-04..2025-09-07 range rel"
    );
    assert_eq!(
        one("本周早些时候股市下跌", DOC),
        "本周早些时候=2025-09-01..2025-09-03 range rel"
    );
    assert_eq!(
        one("本周余下时间将维持晴好", Some("2025-09-03")),
        "本周余下时间=2025-09-03..2025-09-07 range rel"
    );
    // Week of a month: week 1 holds the month's first Thursday (as ISO weeks do): August
    // 2025 begins on a Friday, so its first week is 4-10 August.
    assert_eq!(one("9月第二周销量上升", DOC), "9月第二周=2025-W37");
    assert_eq!(
        one("10月的最后一周销量上升", DOC),
        "10月的最后一周=2025-W44"
    );
    assert_eq!(
        one("Sales rose in the first week of August.", DOC),
        "the first week of August=2025-W32"
    );
    // 这一年, 同年: the year the story is in.
    assert_eq!(one("这一年公司亏损", DOC), "这一年=2025");
    assert_eq!(
        items("2008年公司上市,同年亏损。", DOC),
        vec!["2008年=2008", "同年=2008"]
    );
    assert!(items("这年头生意难做", DOC)
        .iter()
        .all(|i| !i.starts_with("这年")));
}

#[test]
fn english_week_stretches_and_fortnights() {
    // DOC is Friday 2025-09-05; Monday 2025-09-01 is the week's first day.
    assert_eq!(
        one("Rates will rise later this week.", Some("2025-09-01")),
        "later this week=2025-09-04..2025-09-07 range rel"
    );
    assert_eq!(
        one("Rates will rise later this week.", DOC),
        "later this week=2025-09-05..2025-09-07 range rel"
    );
    assert_eq!(
        one("He returned earlier this week.", DOC),
        "earlier this week=2025-09-01..2025-09-03 range rel"
    );
    assert_eq!(
        one("We take the rest of the week off.", Some("2025-09-03")),
        "the rest of the week=2025-09-03..2025-09-07 range rel"
    );
    assert_eq!(
        one("The talks resumed a fortnight ago.", DOC),
        "a fortnight ago=2025-08-22 rel"
    );
    assert_eq!(
        one("The plant will reopen in a fortnight.", DOC),
        "in a fortnight=2025-09-19 rel"
    );
    assert_eq!(
        one("We hope to leave in the next fortnight.", DOC),
        "next fortnight=2025-09-15..2025-09-28 range rel"
    );
    assert_eq!(
        one("Shares fell over the past fortnight.", DOC),
        "past fortnight=2025-08-22..2025-09-05 range rel"
    );
    assert_eq!(
        one("The strike lasted two fortnights.", DOC),
        "two fortnights=P4W duration"
    );
    assert_eq!(
        one("Talks will run over the next couple of weeks.", DOC),
        "next couple of weeks=2025-09-06..2025-09-19 range rel"
    );
    assert_eq!(
        one("The vote will happen next workweek.", DOC),
        "next workweek=2025-09-08..2025-09-12 range rel"
    );
    // "in a week" is a day ahead in a plan, a length of time in a report.
    assert_eq!(
        one("The firm will report in a week.", DOC),
        "in a week=2025-09-12 rel"
    );
    assert_eq!(
        one("The stock doubled in a week.", DOC),
        "a week=P1W duration"
    );
    // A weekday with its date: the date is the day.
    assert_eq!(
        one("The hearing is on Friday, Jun-13 in court.", DOC),
        "Friday, Jun-13=2025-06-13"
    );
}

#[test]
fn stays_and_weekday_runs() {
    // DOC is Friday 2025-09-05.
    assert_eq!(
        one("The plant will close for 3 days from today.", DOC),
        "3 days from today=2025-09-05..2025-09-07 range rel"
    );
    assert_eq!(
        one("Staff will be off for 1 week, from 20 December", DOC),
        "1 week, from 20 December=2025-12-20..2025-12-26 range"
    );
    // A run of weekdays with no week said is placed as a whole by the tense.
    assert_eq!(
        one("Shops closed from Monday to Wednesday.", Some("2025-09-03")),
        "from Monday to Wednesday=2025-09-01..2025-09-03 range rel"
    );
    assert_eq!(
        one("Shops closed from Monday to Friday.", Some("2025-09-03")),
        "from Monday to Friday=2025-08-25..2025-08-29 range rel"
    );
    assert_eq!(
        one(
            "Shops will close from Monday to Friday.",
            Some("2025-09-03")
        ),
        "from Monday to Friday=2025-09-08..2025-09-12 range rel"
    );
    assert_eq!(
        one("公司将于周一至周五停产。", Some("2025-09-03")),
        "周一至周五=2025-09-08..2025-09-12 range rel"
    );
    assert_eq!(
        one(
            "I will be away from next Monday to Friday.",
            Some("2025-09-03")
        ),
        "from next Monday to Friday=2025-09-08..2025-09-12 range rel"
    );
    assert_eq!(
        one(
            "The results come out in two weeks' time.",
            Some("2025-09-03")
        ),
        "two weeks=P2W duration"
    );
    assert_eq!(
        one(
            "The results will come out in two weeks' time.",
            Some("2025-09-03")
        ),
        "in two weeks' time=2025-09-17 rel"
    );
}

#[test]
fn within_follows_the_tense() {
    let doc = Some("2025-09-03");
    assert_eq!(
        one("须在三天内完成整改。", doc),
        "三天内=2025-09-03..2025-09-06 range rel"
    );
    assert_eq!(
        one("公司将在6个月以内完成交割。", doc),
        "6个月以内=2025-09-03..2026-03-03 range rel"
    );
    assert_eq!(one("股价三天内涨了50%。", doc), "三天内=P3D duration");
    assert_eq!(one("两年内营收翻番。", doc), "两年内=P2Y duration");
    assert!(items("代表团抵达日内瓦。", doc).is_empty());
    assert_eq!(
        one("The firm will reply within 30 days.", doc),
        "within 30 days=2025-09-03..2025-10-03 range rel"
    );
    assert_eq!(
        one("Tickets sold out within a week.", doc),
        "within a week=P1W duration"
    );
}

#[test]
fn parts_of_the_day_and_the_last_of_something() {
    let doc = Some("2025-09-03");
    assert_eq!(
        one("Police said last night the suspect fled.", doc),
        "last night=2025-09-02 rel"
    );
    assert_eq!(
        one("The minister spoke this morning.", doc),
        "this morning=2025-09-03 rel"
    );
    assert_eq!(
        one("He will speak tomorrow evening.", doc),
        "tomorrow evening=2025-09-04 rel"
    );
    assert_eq!(one("昨夜发生地震。", doc), "昨夜=2025-09-02 rel");
    assert_eq!(one("前晚发生火灾。", doc), "前晚=2025-09-01 rel");
    // "the last night of …" is the last of something named, not last night.
    assert!(items("It was the last night of the festival.", doc).is_empty());
    assert_eq!(
        one("Sales fell in the last quarter.", doc),
        "last quarter=2025-Q2 rel"
    );
}

#[test]
fn a_dateline_alone_is_not_next_year() {
    // A month-day on a line of its own, days before the document date: the dateline.
    assert_eq!(
        items("9月3日\n公司发布财报。", Some("2025-09-04"))[0],
        "9月3日=2025-09-03"
    );
    // Months before, standing alone, it is the coming one.
    assert_eq!(one("3月15日", Some("2025-09-04")), "3月15日=2026-03-15");
}

#[test]
fn news_conventions_of_issue_17() {
    // Spans of years are lengths; spans of days stay ranges.
    assert_eq!(one("未来五年营收翻番", DOC), "未来五年=P5Y duration");
    assert_eq!(
        one("Shares rose over the past decade.", DOC),
        "the past decade=P10Y duration"
    );
    assert_eq!(
        one("过去7天销量大增", DOC),
        "过去7天=2025-08-29..2025-09-05 range rel"
    );
    // Report names: no duration; with a year, the period covered.
    assert!(items("公司发布半年报", DOC).is_empty());
    assert_eq!(one("2025年半年报", DOC), "2025年半年报=2025-H1");
    // Comparison bases are masked; a plain "a year ago" is still a date.
    assert!(items("净利润较上年同期增长20%", DOC).is_empty());
    assert!(items("Sales rose 3% from a year earlier.", DOC).is_empty());
    assert_eq!(one("He left a year ago.", DOC), "a year ago=2024-09-05 rel");
    // Fiscal periods name the fiscal year, without one the story's.
    assert_eq!(one("第三财季营收", DOC), "第三财季=FY2025-Q3");
    assert_eq!(
        one("Revenue in the fiscal 2024 second quarter rose.", DOC),
        "the fiscal 2024 second quarter=FY2024-Q2"
    );
    // Bracketed days across a month's end; bare days by the tense.
    assert_eq!(
        one("公司昨(30)日公布财报", Some("2025-10-01")),
        "昨(30)日=2025-09-30 rel"
    );
    assert_eq!(
        one("公司将于3日公布财报", Some("2025-09-28")),
        "3日=2025-10-03"
    );
    assert_eq!(
        one("公司3日公布了财报", Some("2025-09-28")),
        "3日=2025-09-03"
    );
    assert!(items("股价5日均线走强", DOC).is_empty());
    // A year-less cumulative period not yet over is last year's.
    assert_eq!(
        one("1至11月份投资增长3%", Some("2025-02-10")),
        "1至11月份=2024-01..2024-11 range"
    );
    assert_eq!(
        one("The index is up 5% year to date.", DOC),
        "year to date=2025-01-01..2025-09-05 range rel"
    );
}

/// The gate (each rule searched only around its required literals, inside runs of the
/// characters it can consume) finds exactly what a search of the whole text finds, rule by
/// rule, on news of both languages and on texts probing the runs' ends; and a rule's test
/// of a match's bounds ([`Rule::passes`]) turns down only matches its reader rejects.
#[test]
fn gated_rules_find_what_whole_text_search_finds() {
    let mut texts: Vec<String> = vec![
        "2025年9月3日至5日，去年同期；Q3 q3 2025Q1 H1 h2".into(),
        "Jan. 3, 2025 to FEBRUARY 4th; 12/3/2025-1/4/2026 in 2019's".into(),
        "三天前 上周三 下个月 9月下旬 2025财年第一季度 民国114年".into(),
        // Separators of numeric dates and ranges beside the digits, and the lead words of
        // spans (the rarer literals the gate searches for).
        "2019-2020 2019 to 2020 2019~2020 2019–2020 3/4 12/31/2025 1.2.2025 2025/1 1-2025".into(),
        "过去3个月 最近 5 年 近两周 未来十天 接下来的3个星期 今后2年 过去的一年".into(),
        "Monday, 3/4 last week later this week earlier this week all day all year".into(),
        "FY2025 fy25 fiscal 2024 financial year 2023 (3) 今(18)日 本（11）月".into(),
        String::new(),
    ];
    for (file, lines) in [("zh_news.txt", 400), ("en_news.txt", 400)] {
        let lines = crate::test_support::corpus_lines(file, lines);
        texts.extend(lines.chunks(10).map(|c| c.join("\n")));
    }
    // Every input of the conformance suites (dates, amounts and numbers of both languages:
    // short texts where the rules' literals stand at the text's ends).
    let mut suites: Vec<_> = std::fs::read_dir("../shared/conformance")
        .expect("../shared/conformance")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    suites.sort();
    assert!(!suites.is_empty(), "no conformance suites in ../shared/conformance");
    for path in suites {
        let body = std::fs::read_to_string(&path).expect("conformance suite");
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let case: serde_json::Value = serde_json::from_str(line).expect("conformance case");
            if let Some(input) = case.get("input").and_then(|v| v.as_str()) {
                texts.push(input.to_string());
            }
        }
    }
    // Every group's span: the captures the parse functions read.
    let groups = |c: &regex::Captures| -> Vec<Option<(usize, usize)>> {
        c.iter().map(|g| g.map(|g| (g.start(), g.end()))).collect()
    };
    let rules: Vec<&Rule> = zh::RULES.iter().chain(en::RULES.iter()).collect();
    let mut gated_rules = 0;
    for (i, _) in rules.iter().enumerate() {
        if GATE.ungated(i).is_none() {
            gated_rules += 1;
        }
    }
    // Nearly every rule has a requirement; a change that loses them should be seen.
    assert!(
        gated_rules * 10 >= rules.len() * 9,
        "{gated_rules} of {} rules gated",
        rules.len()
    );
    let mut turned_down = 0;
    for t in &texts {
        let plan = GATE.plan(t);
        assert_eq!(plan.hits(), GATE.plain_hits(t), "hits on {t:?}");
        for (i, rule) in rules.iter().enumerate() {
            let plain: Vec<_> = rule.regex().captures_iter(t).map(|c| groups(&c)).collect();
            let mut gated = Vec::new();
            plan.for_each_match(i, || rule.regex(), None, |g| gated.push(g.to_vec()));
            assert_eq!(gated, plain, "rule {} on {t:?}", rule.pattern());
            // With the rule's test of a match's bounds: the matches that pass it, and only
            // matches its reader rejects turned down.
            if let Some(passes) = rule.passes {
                let mut read = Vec::new();
                plan.for_each_match(i, || rule.regex(), Some(&passes), |g| read.push(g.to_vec()));
                let mut passed = Vec::new();
                let scan = Scan {
                    text: t,
                    day_first: std::cell::OnceCell::new(),
                    token: en::TokenMemo::default(),
                };
                for g in &plain {
                    let Some(Some((start, end))) = g.first().copied() else {
                        continue;
                    };
                    if passes(t, start, end) {
                        passed.push(g.clone());
                        continue;
                    }
                    let c = Captures {
                        text: t,
                        re: rule.regex(),
                        names: rule.names(),
                        groups: g,
                    };
                    assert!(
                        (rule.parse)(&c, &scan).is_none(),
                        "rule {} reads {:?} of {t:?}, which its test turns down",
                        rule.pattern(),
                        &t[start..end]
                    );
                    turned_down += 1;
                }
                assert_eq!(read, passed, "rule {} on {t:?}", rule.pattern());
            }
            // `find` skips the rules the plan rules out: they must have no match.
            assert!(
                plan.rules().contains(&i) || plain.is_empty(),
                "rule {} skipped on {t:?}",
                rule.pattern()
            );
        }
    }
    // The tests of matches' bounds turn down thousands of the news' matches.
    assert!(turned_down > 1000, "{turned_down} matches turned down");
}

/// Patterns are compiled on first use (`Rule::regex`), so a bad one would only show on
/// the first text that reaches it: compile every rule here.
#[test]
fn every_rule_compiles() {
    for rule in zh::RULES.iter().chain(en::RULES.iter()) {
        assert!(
            regex::Regex::new(rule.pattern()).is_ok(),
            "date rule pattern does not compile: {}",
            rule.pattern()
        );
        assert_eq!(rule.regex().as_str(), rule.pattern());
    }
}

/// The date gate's alphabet bits agree with the alphabets' ranges on every character of
/// the Basic Multilingual Plane and beyond, and read the same runs on mixed text.
#[test]
fn date_gate_alphabet_bits_equal_ranges() {
    let texts = [
        "2025年9月3日，上旬与下旬，去年。 In Jan. 3, 2024 the Q3 results; 3/7/2017 😀月",
        "周一至周五 下半年 二〇二四年 1990s mid-2020s ５月６日 全角１２",
        "",
    ];
    assert_eq!(super::GATE.check_alphabets(&texts), Ok(()));
}

/// `Captures::name` through the rule's table of names finds the group the pattern's own
/// list of names gives, for every name of every rule (and none for a name it lacks).
#[test]
fn name_table_finds_what_the_names_list_finds() {
    let text = "x".repeat(1000);
    let text = text.as_str();
    for rule in zh::RULES.iter().chain(en::RULES.iter()) {
        let re = rule.regex();
        // Group `i` spans `i..i + 1`, so each group tells its index.
        let groups: Vec<Option<(usize, usize)>> = (0..re.captures_len()).map(|i| Some((i, i + 1))).collect();
        let c = Captures {
            text,
            re,
            names: rule.names(),
            groups: &groups,
        };
        let mut names: Vec<&str> = re.capture_names().flatten().collect();
        names.extend(["", "nosuchgroup", "a_name_longer_than_fifteen"]);
        for name in names {
            let plain = re.capture_names().position(|n| n == Some(name));
            assert_eq!(c.name(name).map(|g| g.start()), plain, "{name} in {}", rule.pattern());
        }
    }
}

/// The byte count of `mostly_cjk` gives the character count's answer, around the edges
/// of the Han block (U+4DFF, U+4E00, U+9FFF, U+A000), on mixed and empty text.
#[test]
fn mostly_cjk_counts_bytes_as_characters() {
    let pieces = [
        "", "a", "ab", "中", "中文", "\u{4DFF}", "\u{4E00}", "\u{9FFF}", "\u{A000}", "\u{3400}", "é", "😀", "1", " ",
        "Q3", "ＡＢ", "。",
    ];
    let mut texts: Vec<String> = Vec::new();
    for a in pieces {
        for b in pieces {
            for c in pieces {
                texts.push(format!("{a}{b}{c}"));
            }
        }
    }
    texts.push("In Jan. 3, 2024 the Q3 results; 3/7/2017 2025年9月3日".to_string());
    for t in &texts {
        assert_eq!(mostly_cjk(t), mostly_cjk_chars(t), "{t:?}");
    }
}

/// `Narrative::moved_by` holds exactly where `Narrative::update` changes the anchors (so
/// that `resolve_all` may skip judging the sentence of an expression that does not), for
/// every expression of news of both languages, resolved or not.
#[test]
fn moved_by_is_where_update_changes_the_anchors() {
    let doc = NaiveDate::from_ymd_opt(2025, 9, 5);
    let start = Narrative {
        year_in_para: Some((99, 1)),
        last_year: Some(1),
        point_in_para: NaiveDate::from_ymd_opt(1, 1, 1).map(|d| (99, d)),
    };
    let mut checked = 0;
    for file in ["zh_news.txt", "en_news.txt"] {
        for line in &crate::test_support::corpus_lines(file, 300) {
            for f in find(line) {
                let r = resolve(&f.expr, &Narrative::default().anchors(0, doc));
                let period = r.and_then(|r| r.period);
                for p in [period, None] {
                    let mut after = start.clone();
                    after.update(0, &f.expr, p);
                    assert_eq!(
                        after != start,
                        Narrative::moved_by(&f.expr, p.as_ref()),
                        "{:?} with {p:?}",
                        f.expr
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "{checked}");
}
