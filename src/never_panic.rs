//! Never-panic property tests over the whole pipeline (issue 13): random Unicode, CJK with
//! digits and currency words, and random bytes through decoding. `Pipeline::process` must
//! return a document for every input, each item pointing inside the text.
//!
//! The cases are split across the three properties; the total is 100,000 by default (CI,
//! about half a minute in release mode on two cores) and `NEWSFACTS_PROPTEST_CASES` sets
//! it, e.g. to 1,000,000 for a longer hunt.

use std::sync::LazyLock;

use proptest::prelude::*;

use crate::input::decode::decode;
use crate::{Config, Pipeline, Source};

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    Pipeline::new(Config {
        numbers: true,
        ..Config::default()
    })
    .unwrap_or_else(|e| panic!("pipeline: {e}"))
});

/// Total cases across the three properties.
fn total_cases() -> u32 {
    std::env::var("NEWSFACTS_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// `share` percent of the total.
fn cases(share: u32) -> u32 {
    (total_cases() as u64 * share as u64 / 100).max(1) as u32
}

fn config(share: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(share),
        // Shrinking failures is welcome; persisting them to a file beside the source is not.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs the pipeline and checks every item lies inside the text.
fn check(text: String) -> Result<(), TestCaseError> {
    let chars = text.chars().count();
    let doc = PIPELINE.process(&Source::from_text("prop", text));
    for e in &doc.entities {
        for m in &e.mentions {
            prop_assert!(m.start <= m.end && m.end <= chars, "{:?}", m);
        }
    }
    for a in &doc.amounts {
        prop_assert!(a.start <= a.end && a.end <= chars, "{:?}", a);
    }
    for d in &doc.dates {
        prop_assert!(d.start <= d.end && d.end <= chars, "{:?}", d);
    }
    Ok(())
}

/// Words that start amounts, dates and facts, mixed with digits and CJK numerals.
fn news_piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "亿",
        "万",
        "千",
        "百",
        "元",
        "美元",
        "人民币",
        "港元",
        "欧元",
        "日元",
        "英镑",
        "$",
        "¥",
        "￥",
        "€",
        "£",
        "USD",
        "RMB",
        "HK$",
        "bln",
        "mln",
        "billion",
        "million",
        "pct",
        "%",
        "％",
        "百分之",
        "点",
        "零",
        "一",
        "二",
        "两",
        "三",
        "十",
        "廿",
        "卅",
        "年",
        "月",
        "日",
        "号",
        "季度",
        "上半年",
        "明年",
        "去年",
        "今年",
        "前",
        "后",
        "至",
        "到",
        "-",
        "~",
        "—",
        "约",
        "近",
        "逾",
        "超过",
        "不到",
        "收购",
        "投资",
        "营收",
        "净利",
        "亏损",
        "罚款",
        "起诉",
        "公司",
        "集团",
        "有限公司",
        "宣布",
        "表示",
        "said",
        "Inc",
        "Corp",
        "acquired",
        "raised",
        "Q3",
        "FY",
        "2025",
        "1,234.5",
        "0",
        "9",
        "12",
        ".",
        ",",
        "，",
        "。",
        "、",
        "（",
        "）",
        "(",
        ")",
        "《",
        "》",
        "“",
        "”",
        " ",
        "\n",
        "\u{3000}",
        "①",
        "Ⅻ",
        "٣",
        "１２",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(config(45))]
    #[test]
    fn random_unicode_never_panics(text in "\\PC{0,80}|.{0,80}") {
        check(text)?;
    }
}

proptest! {
    #![proptest_config(config(40))]
    #[test]
    fn cjk_digits_and_currency_words_never_panic(
        pieces in prop::collection::vec(news_piece(), 0..40)
    ) {
        check(pieces.concat())?;
    }
}

proptest! {
    #![proptest_config(config(15))]
    #[test]
    fn random_bytes_through_decoding_never_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..200)
    ) {
        // Undecodable bytes are an error value (empty, binary), never a panic.
        if let Ok(decoded) = decode(&bytes) {
            check(decoded.text)?;
        }
    }
}
