//! Property tests of the offset map (SPEC §3: every offset refers to the ORIGINAL text).
//!
//! Random mixed-script text with pinyin glosses, full-width characters, Traditional
//! characters, boilerplate lines, CRLF, zero-width characters and odd whitespace:
//! - every span of the normalised text maps back inside the original, monotonically, to
//!   exactly the original substring that produced it (normalising that substring alone
//!   gives the normalised span back);
//! - `Pipeline::process` never panics, and every item it reports points at its own text.

use std::sync::LazyLock;

use newsfacts::normalize::{normalize, script::is_han};
use newsfacts::{Config, Pipeline, Source};
use proptest::prelude::*;

/// Pieces that random documents are made of: each exercises one normalisation step.
fn piece() -> impl Strategy<Value = String> {
    let simplified = prop::collection::vec(
        prop::sample::select(
            "数据标注巨头公司投资亿美元估值起诉前员工谷歌微软年月日合同"
                .chars()
                .collect::<Vec<_>>(),
        ),
        1..8,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let traditional = prop::collection::vec(
        prop::sample::select(
            "數據標註頭與微軟當時間創雙訴狀離職機密東家億萬關係藝術"
                .chars()
                .collect::<Vec<_>>(),
        ),
        1..8,
    )
    .prop_map(|v| v.into_iter().collect::<String>());
    let glossed = (
        prop::sample::select(vec!["數", "據", "當", "創", "關", "發", "貢"]),
        prop::sample::select(vec![
            "(shù)",
            "(jù)",
            "?shù)",
            "(dāng)",
            "(chuàng)",
            "\u{FFFD}guān)",
            "（fā）",
            "(gòng)",
        ]),
    )
        .prop_map(|(c, g)| format!("{c}{g}"));
    let fixed = prop::sample::select(vec![
        "１２３",
        "ＡＩ",
        "，",
        "（",
        "）",
        "％",
        "　",
        "Scale AI",
        " Eugene Ling",
        "143",
        "2025年9月3日",
        "20%",
        "(AI)",
        "(ceo)",
        "\n本站郑重声明:所载内容仅供参考,不构成投资建议。\n",
        "\n免责声明：本文仅代表作者观点。\n",
        "\n责任编辑:张三\n",
        "\r\n",
        "\n\n\n",
        "\n",
        "\u{200B}",
        "\u{FEFF}",
        "\u{00AD}",
        "\u{200D}",
        "\u{2060}",
        "\u{00A0}",
        "\t",
        "  ",
        "\u{2003}",
        "\u{3000}",
        "。",
        "“",
        "”",
        "——",
        "e\u{0301}",
        "😀",
        "\u{0085}",
        "\u{2028}",
        "?",
        "(",
        ")",
    ])
    .prop_map(str::to_string);
    let any =
        prop::collection::vec(any::<char>(), 1..4).prop_map(|v| v.into_iter().collect::<String>());
    prop_oneof![3 => simplified, 3 => traditional, 2 => glossed, 4 => fixed, 1 => any]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..60).prop_map(|v| v.concat())
}

/// Whether `orig`, normalised on its own, gives `norm` (up to spaces trimmed at the ends,
/// and Traditional->Simplified choices that depend on the surrounding phrase).
fn normalises_to(orig: &str, norm: &str) -> bool {
    let alone = normalize(orig).text;
    let a: Vec<char> = alone.chars().collect();
    let b: Vec<char> = norm.trim_matches(' ').chars().collect();
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (is_han(*x) && is_han(*y)))
}

/// Cases per property: `default`, or `PROPTEST_CASES` when set (for a longer hunt).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn slice(chars: &[char], s: usize, e: usize) -> String {
    chars[s..e].iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(384)))]

    #[test]
    fn normalised_spans_map_back_to_their_original_substring(
        original in document(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..24),
    ) {
        let norm = normalize(&original);
        let orig: Vec<char> = original.chars().collect();
        // Char boundaries of the normalised text, and each char's own original range.
        let bounds: Vec<usize> = norm.text.char_indices().map(|(b, _)| b).chain([norm.text.len()]).collect();
        let ranges: Vec<(usize, usize)> = bounds.windows(2).map(|w| norm.map.to_original(w[0], w[1])).collect();
        // Each char comes from a non-empty range inside the original; ranges are in order
        // and disjoint.
        let mut last_end = 0;
        for (i, &(s, e)) in ranges.iter().enumerate() {
            prop_assert!(s < e && e <= orig.len(), "char {i}: ({s}, {e}) of {}", orig.len());
            prop_assert!(s >= last_end, "char {i} starts at {s} before the previous end {last_end}");
            last_end = e;
        }
        if ranges.is_empty() {
            return Ok(());
        }
        for (a, b) in picks {
            let (i, j) = (a.index(ranges.len()), b.index(ranges.len()));
            let (i, j) = (i.min(j), i.max(j) + 1);
            let (bs, be) = (bounds[i], bounds[j]);
            let (s, e) = norm.map.to_original(bs, be);
            prop_assert!(s <= e && e <= orig.len());
            prop_assert_eq!((s, e), (ranges[i].0, ranges[j - 1].1), "span = first char start .. last char end");
            let span = &norm.text[bs..be];
            if !span.contains('\n') {
                let src = slice(&orig, s, e);
                prop_assert!(normalises_to(&src, span), "original {:?} does not normalise to {:?}", src, span);
            }
        }
    }

    #[test]
    fn maps_clamp_out_of_range_spans(original in document(), a in 0usize..2000, b in 0usize..2000) {
        let norm = normalize(&original);
        let n = original.chars().count();
        let (s, e) = norm.map.to_original(a, b);
        prop_assert!(s <= e && e <= n);
    }
}

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(Config::default()).expect("pipeline"));

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(96)))]

    #[test]
    fn pipeline_items_point_at_their_text(
        body in document(),
        front_matter in any::<bool>(),
        with_date in any::<bool>(),
    ) {
        let text = if front_matter { format!("---\nid: p\ndate: 2025-09-05\n---\n{body}") } else { body.clone() };
        let mut src = Source::from_text("prop", text.clone());
        if front_matter {
            src.body_start = text.len() - body.len();
        } else if with_date {
            src = src.with_date("2025-09-05");
        }
        let doc = PIPELINE.process(&src);
        let orig: Vec<char> = text.chars().collect();
        prop_assert_eq!(doc.chars, orig.len());
        let body_chars = orig.len() - body.chars().count();
        let norm = normalize(&body).text;
        let mut items: Vec<(&str, usize, usize, (usize, usize))> = Vec::new();
        for ent in &doc.entities {
            items.extend(ent.mentions.iter().map(|m| (m.text.as_str(), m.start, m.end, m.nspan)));
        }
        items.extend(doc.amounts.iter().map(|a| (a.text.as_str(), a.start, a.end, a.nspan)));
        items.extend(doc.dates.iter().map(|d| (d.text.as_str(), d.start, d.end, d.nspan)));
        items.extend(doc.facts.iter().map(|f| (f.evidence.as_str(), f.start, f.end, f.nspan)));
        for (t, s, e, nspan) in items {
            prop_assert!(body_chars <= s && s <= e && e <= orig.len(), "{:?} at ({}, {})", t, s, e);
            prop_assert_eq!(slice(&orig, s, e), t);
            let n = norm.get(nspan.0..nspan.1);
            prop_assert!(n.is_some(), "nspan {:?} is not a char-aligned span of the normalised text", nspan);
            let n = n.unwrap_or_default();
            if !n.contains('\n') && !n.trim().is_empty() {
                prop_assert!(normalises_to(t, n), "original {:?} does not normalise to the item's {:?}", t, n);
            }
        }
    }
}
