//! Unit tests of the amount recogniser: each qualifier, each currency family, each
//! false-positive family, and the seed article's amounts (a golden test on original offsets).

use super::AmountRecognizer;
use crate::document::{AmountKind, Qualifier};

/// An amount as the tests compare it: (kind, text, value, max, unit, qualifier).
type Found = (
    AmountKind,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Qualifier,
);

/// Every amount of `text`, as [`Found`] tuples.
fn found(text: &str, numbers: bool) -> Vec<Found> {
    AmountRecognizer::new()
        .amounts(text, numbers)
        .into_iter()
        .map(|a| {
            (
                a.kind,
                text[a.nspan.0..a.nspan.1].to_string(),
                a.value.map(|v| v.to_string()),
                a.max.map(|v| v.to_string()),
                a.unit,
                a.qualifier,
            )
        })
        .collect()
}

/// The single amount of `text`: (kind, text, value, unit, qualifier).
fn one(
    text: &str,
) -> (
    AmountKind,
    String,
    Option<String>,
    Option<String>,
    Qualifier,
) {
    let f = found(text, false);
    assert_eq!(f.len(), 1, "{text}: {f:?}");
    let (k, t, v, _, u, q) = f.into_iter().next().unwrap();
    (k, t, v, u, q)
}

fn money(text: &str, span: &str, value: &str, unit: &str, q: Qualifier) {
    assert_eq!(
        one(text),
        (
            AmountKind::Money,
            span.to_string(),
            Some(value.to_string()),
            Some(unit.to_string()),
            q
        ),
        "{text}"
    );
}

#[test]
fn qualifier_exact_and_approx() {
    money(
        "Meta豪掷143亿美元收购",
        "143亿美元",
        "14300000000",
        "USD",
        Qualifier::Exact,
    );
    money(
        "估值约合人民币2068亿元",
        "约合人民币2068亿元",
        "206800000000",
        "CNY",
        Qualifier::Approx,
    );
    money(
        "投资1000万元左右",
        "1000万元左右",
        "10000000",
        "CNY",
        Qualifier::Approx,
    );
    money(
        "worth about $5 million",
        "about $5 million",
        "5000000",
        "USD",
        Qualifier::Approx,
    );
    money("近5亿元", "近5亿元", "500000000", "CNY", Qualifier::Approx);
}

#[test]
fn qualifier_over() {
    money(
        "超过500万美元的毛利润",
        "超过500万美元",
        "5000000",
        "USD",
        Qualifier::Over,
    );
    money(
        "逾300亿元",
        "逾300亿元",
        "30000000000",
        "CNY",
        Qualifier::Over,
    );
    money(
        "100万元以上",
        "100万元以上",
        "1000000",
        "CNY",
        Qualifier::Over,
    );
    money(
        "罚款一千多万元",
        "一千多万元",
        "10000000",
        "CNY",
        Qualifier::Over,
    );
    let q = one("hired more than 5,000 employees");
    assert_eq!(
        q,
        (
            AmountKind::Quantity,
            "more than 5,000 employees".into(),
            Some("5000".into()),
            Some("employees".into()),
            Qualifier::Over
        )
    );
}

#[test]
fn qualifier_under() {
    money(
        "不到100万元",
        "不到100万元",
        "1000000",
        "CNY",
        Qualifier::Under,
    );
    money(
        "2亿元以下",
        "2亿元以下",
        "200000000",
        "CNY",
        Qualifier::Under,
    );
    money(
        "less than $1 million",
        "less than $1 million",
        "1000000",
        "USD",
        Qualifier::Under,
    );
    assert_eq!(one("不足50%").4, Qualifier::Under);
}

#[test]
fn qualifier_range() {
    let f = found("融资10至20亿美元", false);
    assert_eq!(
        f,
        vec![(
            AmountKind::Money,
            "10至20亿美元".into(),
            Some("1000000000".into()),
            Some("2000000000".into()),
            Some("USD".into()),
            Qualifier::Range
        )]
    );
    let f = found("between $1 and $2 million", false);
    assert_eq!(f[0].2.as_deref(), Some("1000000"));
    assert_eq!(f[0].3.as_deref(), Some("2000000"));
    let f = found("规模10-20亿", true);
    assert_eq!(
        (f[0].2.as_deref(), f[0].3.as_deref(), f[0].5),
        (Some("1000000000"), Some("2000000000"), Qualifier::Range)
    );
    let f = found("增长二三十个百分点", false);
    assert_eq!(
        (f[0].2.as_deref(), f[0].3.as_deref()),
        (Some("20"), Some("30"))
    );
}

/// After a word of change, `A to B` is a change and the level reached, or an old and a new
/// value: two amounts, not a range. Without one it stays a range.
#[test]
fn change_then_level_is_no_range() {
    let texts = |f: Vec<Found>| {
        f.into_iter().map(|a| (a.1, a.5)).collect::<Vec<_>>()
    };
    for (text, first, second) in [
        ("Reserves fell 200 mln dlrs to 3.1 billion dlrs.", "200 mln dlrs", "3.1 billion dlrs"),
        ("Reserves rose by 11.3 mln guilders to 56.0 billion guilders.", "11.3 mln guilders", "56.0 billion guilders"),
        ("Sales rose from 4 mln dlrs to 5 mln dlrs.", "4 mln dlrs", "5 mln dlrs"),
        ("营收增长了3亿元至50亿元", "3亿元", "50亿元"),
    ] {
        assert_eq!(
            texts(found(text, false)),
            vec![(first.to_string(), Qualifier::Exact), (second.to_string(), Qualifier::Exact)],
            "{text}"
        );
    }
    for (text, range) in [
        ("prices ranging from 4 to 5 dlrs", "from 4 to 5 dlrs"),
        ("It expects to raise 40 to 50 mln dlrs.", "40 to 50 mln dlrs"),
        ("计划投资10至20亿美元", "10至20亿美元"),
        ("预计增长8.5%~9.57%", "8.5%~9.57%"),
        ("output rose between six and 6.5 pct", "between six and 6.5 pct"),
        ("output is up 10.8 to 13.8 pct", "10.8 to 13.8 pct"),
    ] {
        assert_eq!(texts(found(text, false)), vec![(range.to_string(), Qualifier::Range)], "{text}");
    }
}

/// A bare count of 亿 after a word of money takes the currency of the sentence's other
/// money; it is never guessed.
#[test]
fn implicit_currency_comes_from_the_sentence() {
    let money = |text: &str| {
        found(text, false)
            .into_iter()
            .map(|a| (a.1, a.4))
            .collect::<Vec<_>>()
    };
    let m = |t: &str, u: &str| (t.to_string(), Some(u.to_string()));
    assert_eq!(
        money("淘集集亏损近12亿元,上半年净亏6个亿。"),
        vec![m("近12亿元", "CNY"), m("6个亿", "CNY")]
    );
    assert_eq!(
        money("营收30亿新台币,净利润为3亿。"),
        vec![m("30亿新台币", "TWD"), m("3亿", "TWD")]
    );
    // No other money in the sentence, or no word of money before the count: no amount.
    assert_eq!(money("公司上半年净亏6个亿。"), vec![]);
    assert_eq!(money("营收30亿元。公司净亏6个亿。"), vec![m("30亿元", "CNY")]);
    assert_eq!(money("中国人口14亿,营收30亿元。"), vec![m("30亿元", "CNY")]);
    // The sentence is looked for at most a sentence's longest length either way: on run-on
    // text without end marks, money far off gives no currency.
    let far = format!("营收30亿元{}净利3亿", "的".repeat(400));
    assert_eq!(money(&far), vec![m("30亿元", "CNY")]);
}

#[test]
fn qualifier_vague() {
    let (k, t, v, u, q) = one("带来数百万美元的价值");
    assert_eq!(
        (k, t.as_str(), v, u.as_deref(), q),
        (
            AmountKind::Money,
            "数百万美元",
            None,
            Some("USD"),
            Qualifier::Vague
        )
    );
    assert_eq!(one("数十亿元").4, Qualifier::Vague);
    assert_eq!(one("几千万美元").2, None);
    assert_eq!(one("millions of dollars").4, Qualifier::Vague);
    // 上百 = reaching a hundred: over 100.
    let (k, _, v, _, q) = one("顺走了上百份机密文件");
    assert_eq!(
        (k, v.as_deref(), q),
        (AmountKind::Quantity, Some("100"), Qualifier::Over)
    );
}

#[test]
fn currency_families() {
    for (text, unit) in [
        ("$5", "USD"),
        ("US$3m", "USD"),
        ("5美元", "USD"),
        ("5美金", "USD"),
        ("5 dollars", "USD"),
        ("USD 5", "USD"),
        ("5 mln dlrs", "USD"),
        // Wire-service forms, and currencies of before the euro under their codes of the time.
        ("150 mln stg", "GBP"),
        ("20 mln Canadian dlrs", "CAD"),
        ("3 mln Australian dlrs", "AUD"),
        ("40 mln H.K. dlrs", "HKD"),
        ("15 mln marks", "DEM"),
        ("15 mln French francs", "FRF"),
        ("2.5 mln guilders", "NLG"),
        ("300 billion lire", "ITL"),
        ("12 mln Swedish crowns", "SEK"),
        ("1.2 billion pesetas", "ESP"),
        ("人民币3.14", "CNY"),
        ("5元", "CNY"),
        ("7块", "CNY"),
        ("RMB 1 billion", "CNY"),
        ("¥500", "CNY"),
        ("3 billion yuan", "CNY"),
        ("HK$5 billion", "HKD"),
        ("5港元", "HKD"),
        ("港币100元", "HKD"),
        ("€5m", "EUR"),
        ("5亿欧元", "EUR"),
        ("20 euros", "EUR"),
        ("£3 billion", "GBP"),
        ("300万英镑", "GBP"),
        ("10 pounds", "GBP"),
        ("10亿日元", "JPY"),
        ("450,000 yen", "JPY"),
        ("NT$100", "TWD"),
        ("50亿新台币", "TWD"),
        ("1000亿韩元", "KRW"),
        ("1.0092瑞士法郎", "CHF"),
        ("30 MUSD", "USD"),
    ] {
        let (k, _, _, u, _) = one(text);
        assert_eq!((k, u.as_deref()), (AmountKind::Money, Some(unit)), "{text}");
    }
    // Subunits.
    money(
        "这个手机壳五元三毛",
        "五元三毛",
        "5.3",
        "CNY",
        Qualifier::Exact,
    );
    money("最多一块二", "最多一块二", "1.2", "CNY", Qualifier::Under);
    money(
        "两美元又三美分",
        "两美元又三美分",
        "2.03",
        "USD",
        Qualifier::Exact,
    );
    money(
        "it costs 3 dollars 50 cents",
        "3 dollars 50 cents",
        "3.5",
        "USD",
        Qualifier::Exact,
    );
    // Scales written in words and letters.
    money("a $2bn deal", "$2bn", "2000000000", "USD", Qualifier::Exact);
    money(
        "rose 14.3 billion dlrs",
        "14.3 billion dlrs",
        "14300000000",
        "USD",
        Qualifier::Exact,
    );
    money(
        "three million yen",
        "three million yen",
        "3000000",
        "JPY",
        Qualifier::Exact,
    );
}

#[test]
fn percentages() {
    for (text, value) in [
        ("20%", "20"),
        ("百分之二十", "20"),
        ("三成", "30"),
        ("七成六", "76"),
        ("5 pct", "5"),
        ("5 per cent", "5"),
        ("千分之五", "0.5"),
        ("打八折", "80"),
    ] {
        let (k, _, v, u, _) = one(text);
        assert_eq!(
            (k, v.as_deref(), u.as_deref()),
            (AmountKind::Percent, Some(value), Some("%")),
            "{text}"
        );
    }
    let a = AmountRecognizer::new().amounts("毛利率提高5个百分点", false);
    assert_eq!(a[0].display.as_deref(), Some("5 pp"));
}

#[test]
fn quantities_and_numbers() {
    let (k, t, v, u, _) = one("裁员3000名员工");
    assert_eq!(
        (k, t.as_str(), v.as_deref(), u.as_deref()),
        (
            AmountKind::Quantity,
            "3000名员工",
            Some("3000"),
            Some("employees")
        )
    );
    // Bare numbers only on request.
    assert!(found("共有1234", false).is_empty());
    assert_eq!(found("共有1234", true)[0].0, AmountKind::Number);
    assert_eq!(
        found("三分之一", true)[0].2.as_deref(),
        Some("0.333333333333333333")
    );
    assert_eq!(found("1/4", true)[0].2.as_deref(), Some("0.25"));
}

/// Spoken Chinese puts 个 between a number and 亿 (`3个亿`, `两个多亿`): the 个 counts
/// nothing, so the amount is the number of 亿, never "3 items".
#[test]
fn ge_between_number_and_yi() {
    money("拿到人民币3个亿的融资", "人民币3个亿", "300000000", "CNY", Qualifier::Exact);
    money("亏损两个多亿元", "两个多亿元", "200000000", "CNY", Qualifier::Over);
    money("投资了5个亿美元", "5个亿美元", "500000000", "USD", Qualifier::Exact);
    let (k, t, v, u, q) = one("一笔几个亿元的订单");
    assert_eq!(
        (k, t.as_str(), v, u.as_deref(), q),
        (AmountKind::Money, "几个亿元", None, Some("CNY"), Qualifier::Vague)
    );
    let bare = found("这家公司估值3个亿", true);
    assert_eq!(bare.len(), 1, "{bare:?}");
    assert_eq!(
        (bare[0].0, bare[0].1.as_str(), bare[0].2.as_deref()),
        (AmountKind::Number, "3个亿", Some("300000000"))
    );
    // 个 before anything but 亿 stays a classifier.
    let (k, t, ..) = one("来了3个人");
    assert_eq!((k, t.as_str()), (AmountKind::Quantity, "3个"));
}

#[test]
fn false_positives() {
    for text in [
        "李四人民币",        // a name ending in a numeral
        "人民币升值",        // a currency word alone
        "电话13812345678",   // phone number
        "贵州茅台600519.SH", // stock code
        "升级到iOS 18.1",    // version
        "GPT-4o模型",        // model name
        "3nm工艺",           // process node
        "5G手机",            // network generation
        "2025年6月",         // a year
        "中山路88号",        // street number
        "一切都好",          // word containing a numeral
        "这是我的队伍",
        "美元3日走弱", // currency name before a date
        "访问 https://x.com/?q=30%25",
    ] {
        assert!(
            found(text, true)
                .iter()
                .all(|a| a.0 != AmountKind::Money && a.0 != AmountKind::Percent),
            "{text}: {:?}",
            found(text, true)
        );
        assert!(
            found(text, false).is_empty(),
            "{text}: {:?}",
            found(text, false)
        );
    }
    // `一家公司` is "a company", not a quantity worth a row.
    assert!(found("一家公司", false).is_empty());
}

#[test]
fn seed_article_amounts_with_original_offsets() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/scale-ai-v-mercor.zh-Hant.txt");
    let original = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the seed is expected in ../shared/corpus)",
            path.display()
        )
    });
    let pipeline = crate::Pipeline::new(crate::Config {
        date: None,
        numbers: false,
        entities: false,
    })
    .unwrap();
    let doc = pipeline.process(&crate::Source::from_text("seed", original.clone()));
    let chars: Vec<char> = original.chars().collect();
    for a in &doc.amounts {
        let t: String = chars[a.start..a.end].iter().collect();
        assert_eq!(t, a.text, "offsets of {:?}", a.text);
    }
    let has = |text: &str, kind: AmountKind, value: Option<&str>, unit: &str, q: Qualifier| {
        doc.amounts
            .iter()
            .filter(|a| {
                a.text == text
                    && a.kind == kind
                    && a.value.map(|v| v.to_string()).as_deref() == value
                    && a.unit.as_deref() == Some(unit)
                    && a.qualifier == q
            })
            .count()
    };
    assert_eq!(
        has(
            "143億美元",
            AmountKind::Money,
            Some("14300000000"),
            "USD",
            Qualifier::Exact
        ),
        1
    );
    assert_eq!(
        has(
            "290億美元",
            AmountKind::Money,
            Some("29000000000"),
            "USD",
            Qualifier::Exact
        ),
        1
    );
    assert_eq!(
        has(
            "約合人民幣2068億元",
            AmountKind::Money,
            Some("206800000000"),
            "CNY",
            Qualifier::Approx
        ),
        1
    );
    assert_eq!(
        has(
            "20億美元",
            AmountKind::Money,
            Some("2000000000"),
            "USD",
            Qualifier::Exact
        ),
        2
    );
    assert_eq!(
        has(
            "超過500萬美元",
            AmountKind::Money,
            Some("5000000"),
            "USD",
            Qualifier::Over
        ),
        1
    );
    assert_eq!(
        has(
            "2億美元",
            AmountKind::Money,
            Some("200000000"),
            "USD",
            Qualifier::Exact
        ),
        1
    );
    assert_eq!(
        has(
            "數(shù)百萬美元",
            AmountKind::Money,
            None,
            "USD",
            Qualifier::Vague
        ),
        1
    );
    assert_eq!(
        has(
            "20%",
            AmountKind::Percent,
            Some("20"),
            "%",
            Qualifier::Exact
        ),
        1
    );
    assert_eq!(
        has(
            "49%",
            AmountKind::Percent,
            Some("49"),
            "%",
            Qualifier::Exact
        ),
        1
    );
    assert!(doc.amounts.iter().any(|a| a.kind == AmountKind::Quantity
        && a.text.contains("上百份")
        && a.qualifier == Qualifier::Over));
    assert!(doc.amounts.iter().any(|a| a.kind == AmountKind::Quantity
        && a.text == "超過100份"
        && a.qualifier == Qualifier::Over));
    let first = doc.amounts.iter().find(|a| a.text == "143億美元").unwrap();
    assert_eq!(
        first.start,
        original
            .chars()
            .collect::<String>()
            .find("143億美元")
            .map(|b| original[..b].chars().count())
            .unwrap()
    );
}

/// (text, value) of every bare number or amount of `text` (numbers on).
fn values(text: &str) -> Vec<(String, String)> {
    found(text, true)
        .into_iter()
        .map(|(_, t, v, _, _, _)| (t, v.unwrap_or_default()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(t, v)| (t.to_string(), v.to_string()))
        .collect()
}

#[test]
fn english_fractions_and_mixed_numbers() {
    assert_eq!(
        values("Turnout fell to two thirds of a million voters."),
        pairs(&[("two thirds of a million", "666666.666666666666666666")])
    );
    assert_eq!(
        values("The city has four million and a half residents."),
        pairs(&[("four million and a half", "4500000")])
    );
    assert_eq!(
        values("Its budget is 7 billion and a quarter."),
        pairs(&[("7 billion and a quarter", "7250000000")])
    );
    assert_eq!(
        values("The fund lost eight billion and three quarters."),
        pairs(&[("eight billion and three quarters", "8750000000")])
    );
    assert_eq!(
        values("Exports were one billion and a half million tonnes higher."),
        pairs(&[("one billion and a half million tonnes", "1000500000")])
    );
    assert_eq!(
        values("The board needs forty and two fifths of the votes."),
        pairs(&[("forty and two fifths", "40.4")])
    );
    // A proper fraction after `and` is added; an improper one takes the whole numerator.
    assert_eq!(
        values("We measured three hundred and seven tenths."),
        pairs(&[("three hundred and seven tenths", "300.7")])
    );
    assert_eq!(
        values("We measured three hundred and seventeen tenths."),
        pairs(&[("three hundred and seventeen tenths", "31.7")])
    );
    assert_eq!(
        values("Only a twenty-first of the land is farmed."),
        pairs(&[("a twenty-first", "0.047619047619047619")])
    );
    // A singular ordinal after a number above one is an ordinal, not a fraction.
    assert_eq!(
        values("She was the two millionth visitor."),
        pairs(&[("two", "2")])
    );
    for text in [
        "in the twenty-first century",
        "its one hundred and fifth year",
    ] {
        assert!(values(text).is_empty(), "{text}: {:?}", values(text));
    }
    assert_eq!(
        values("They met a couple of times."),
        pairs(&[("a couple of", "2")])
    );
    assert_eq!(found("a couple of firms", true)[0].5, Qualifier::Approx);
    assert_eq!(
        values("Shares rose to 31 1/2."),
        pairs(&[("31 1/2", "31.5")])
    );
    assert_eq!(values("the sum is 2 3/2"), pairs(&[("2 3/2", "3.5")]));
    assert_eq!(values("Growth was 3.5. Then"), pairs(&[("3.5", "3.5")]));
    assert_eq!(
        values("rates of 1.5,2.5 and 3.25"),
        pairs(&[("1.5", "1.5"), ("2.5", "2.5"), ("3.25", "3.25")])
    );
    assert_eq!(values("Preis 1.234,56"), pairs(&[("1.234,56", "1234.56")]));
    assert_eq!(values("Debt(Nov).7,604.4"), pairs(&[("7,604.4", "7604.4")]));
    assert_eq!(values("Three fifth-graders won."), pairs(&[("Three", "3")]));
    // `a twenty-second delay` is a duration.
    assert!(values("after a twenty-second delay").is_empty());
    // `a` + ordinal: an ordinal before a noun, a fraction before `of` or after a degree word.
    assert!(values("He won a third term.").is_empty());
    assert_eq!(
        values("Sales were nearly a fifth below target."),
        pairs(&[("a fifth", "0.2")])
    );
    assert_eq!(
        values("It lost a tenth of its value."),
        pairs(&[("a tenth", "0.1")])
    );
    assert_eq!(
        values("More than half backed the plan."),
        pairs(&[("half", "0.5")])
    );
    for text in [
        "in the second half of the match",
        "half-year results",
        "1ST HALF NET",
    ] {
        assert!(values(text).is_empty(), "{text}: {:?}", values(text));
    }
}

#[test]
fn english_ratios() {
    assert_eq!(
        values("one in four adults smoke"),
        pairs(&[("one in four", "0.25")])
    );
    assert_eq!(
        values("It hit one in twenty."),
        pairs(&[("one in twenty", "0.05")])
    );
    assert_eq!(
        values("three out of five hundred cars failed"),
        pairs(&[("three out of five hundred", "0.006")])
    );
    // Not a ratio: more than the whole, a year, a time span.
    assert_eq!(
        values("rated 11 out of 10"),
        pairs(&[("11", "11"), ("10", "10")])
    );
    assert_eq!(
        values("between zero and 100 pct"),
        pairs(&[("between zero and 100 pct", "0")])
    );
    // A change and a level, not a range from a half.
    assert_eq!(
        values("raised a half percentage point to 2.5 pct"),
        pairs(&[("a half percentage point", "0.5"), ("2.5 pct", "2.5")])
    );
    assert!(!values("won 2 in 2019")
        .iter()
        .any(|(t, _)| t.contains(" in ")));
    assert!(!values("scored 3 in 10 minutes")
        .iter()
        .any(|(_, v)| v == "0.3"));
}

#[test]
fn dozens_and_scale_letters() {
    assert_eq!(
        values("He bought 4 dozen eggs"),
        pairs(&[("4 dozen", "48")])
    );
    assert_eq!(values("two doz roses"), pairs(&[("two doz", "24")]));
    assert_eq!(
        values("half a dozen boxes"),
        pairs(&[("half a dozen", "6")])
    );
    assert_eq!(values("a 2.5b deal"), pairs(&[("2.5b", "2500000000")]));
    // G on a whole number is no giga: storage, data plans, network speeds and generations.
    for t in [
        "storage of 20G",
        "套餐含100G流量",
        "400G Ethernet",
        "The 10G network",
    ] {
        assert!(
            values(t).iter().all(|(_, v)| !v.ends_with("000000000")),
            "{t}: {:?}",
            values(t)
        );
    }
    assert_eq!(values("a .0012G reading"), pairs(&[(".0012G", "1200000")]));
    // `5G` is a network generation and `3b` a section label.
    assert!(values("new 5G phones").is_empty());
    assert!(values("new 8K screens").is_empty());
    assert!(values("4.5G网络").is_empty(), "{:?}", values("4.5G网络"));
    // Model names: a number after the maker names a product.
    assert!(values("a Boeing 737 jet").is_empty());
    assert_eq!(values("raised $5K"), pairs(&[("$5K", "5000")]));
    assert!(values("see section 3b").is_empty());
}

#[test]
fn digit_forms() {
    assert_eq!(
        values("The bill came to 3,45,678 rupees"),
        pairs(&[("3,45,678 rupees", "345678")])
    );
    // After Chinese text the commas separate a list.
    assert!(!values("分别为12，34，567")
        .iter()
        .any(|(_, v)| v == "1234567"));
    assert_eq!(
        values("about 2.1x10^5 cells"),
        pairs(&[("2.1x10^5", "210000")])
    );
    assert_eq!(values("add ¾ cup"), pairs(&[("¾", "0.75")]));
    assert_eq!(values("The answer is 2½."), pairs(&[("2½", "2.5")]));
    assert!(
        values("升级到v7.0.8").is_empty(),
        "{:?}",
        values("升级到v7.0.8")
    );
    // Dot leaders of a table are no dotted chain.
    assert_eq!(
        values("Net reserves.......644 vs....1,337"),
        pairs(&[("644", "644"), ("1,337", "1337")])
    );
    assert_eq!(
        values("server 10.0.12.7 went down"),
        pairs(&[("10", "10"), ("0", "0"), ("12", "12"), ("7", "7")])
    );
    // A fraction's numerator is below its denominator: `24/7` is two numbers.
    assert!(!values("open 24/7").iter().any(|(t, _)| t == "24/7"));
    assert_eq!(
        values("The code is six-nought-two."),
        pairs(&[("six", "6"), ("nought", "0"), ("two", "2")])
    );
    assert_eq!(
        values("5 thousand 2 hundred and 0 are numbers"),
        pairs(&[("5 thousand 2 hundred", "5200"), ("0", "0")])
    );
}

#[test]
fn currency_word_forms() {
    money(
        "It made a one-yen offer.",
        "one-yen",
        "1",
        "JPY",
        Qualifier::Exact,
    );
    money(
        "He found a 20-dollar bill.",
        "20-dollar",
        "20",
        "USD",
        Qualifier::Exact,
    );
    money(
        "They raised 40 EUR million last year.",
        "40 EUR million",
        "40000000",
        "EUR",
        Qualifier::Exact,
    );
}

#[test]
fn cantonese_fractions() {
    assert_eq!(
        values("三分一"),
        pairs(&[("三分一", "0.333333333333333333")])
    );
    assert_eq!(values("四份三的人"), pairs(&[("四份三", "0.75")]));
    assert_eq!(values("二又四分一"), pairs(&[("二又四分一", "2.25")]));
    // Signs on both parts of 分之.
    assert_eq!(values("负四分之负二"), pairs(&[("负四分之负二", "0.5")]));
    assert_eq!(values("四分之负三"), pairs(&[("四分之负三", "-0.75")]));
    // Small improper fractions are fractions; bigger pairs are not.
    assert_eq!(values("比例为7/2"), pairs(&[("7/2", "3.5")]));
    assert!(!values("1990/91年度").iter().any(|(t, _)| t == "1990/91"));
    // A decimal ends its number: the next digit after a space starts another.
    assert_eq!(
        values("12.5 三点二"),
        pairs(&[("12.5", "12.5"), ("三点二", "3.2")])
    );
    // A time or a date after the second numeral: no fraction.
    assert!(!values("三分一秒").iter().any(|(t, _)| t == "三分一"));
    assert!(!values("买了十份十一月的报纸")
        .iter()
        .any(|(t, _)| t.contains("份十")));
}

#[test]
fn subunits_that_name_their_currency_stand_alone() {
    use Qualifier::Exact;
    money(
        "earnings of 85 cents a share",
        "85 cents",
        "0.85",
        "USD",
        Exact,
    );
    money("a loss of eight cts", "eight cts", "0.08", "USD", Exact);
    money("该股下跌50美分", "50美分", "0.5", "USD", Exact);
    money("a stamp costs 20 pence", "20 pence", "0.2", "GBP", Exact);
    // After a main amount they still complete it.
    money(
        "it cost 3 dollars 50 cents",
        "3 dollars 50 cents",
        "3.5",
        "USD",
        Exact,
    );
}
