//! Date golden tests: the seed article's dates (SPEC §5) through the whole pipeline, with
//! the document date inferred from the text, and original-text offsets; plus a document
//! date given on the command line overriding inference.

use newsfacts::{Config, DateItem, DateKind, DateSource, Document, Pipeline, Source};

fn seed(config: Config) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/scale-ai-v-mercor.zh-Hant.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("the seed article {} is missing: {e}", path.display()));
    Pipeline::new(config)
        .expect("pipeline")
        .process(&Source::from_text("scale-ai-v-mercor.zh-Hant.txt", &text))
}

fn with<'d>(doc: &'d Document, kind: DateKind, value: &str) -> Vec<&'d DateItem> {
    doc.dates
        .iter()
        .filter(|d| d.kind == kind && d.value.as_deref() == Some(value))
        .collect()
}

#[test]
fn seed_dates() {
    let doc = seed(Config::default());
    let all: Vec<(&str, Option<&str>)> = doc
        .dates
        .iter()
        .map(|d| (d.text.as_str(), d.value.as_deref()))
        .collect();
    assert_eq!(doc.date_source, DateSource::Inferred);
    assert_eq!(doc.doc_date.as_deref(), Some("2025-09-04"));

    let sept3 = with(&doc, DateKind::Date, "2025-09-03");
    assert_eq!(sept3.len(), 1, "{all:?}");
    assert_eq!(
        (sept3[0].text.as_str(), sept3[0].relative),
        ("9月3日", false)
    );
    assert_eq!(with(&doc, DateKind::Date, "2025-09-04").len(), 2, "{all:?}");

    let range = with(&doc, DateKind::Range, "2025-06");
    assert_eq!(range.len(), 1, "{all:?}");
    assert_eq!(
        (range[0].text.as_str(), range[0].end_value.as_deref()),
        ("2025年6月至7月", Some("2025-07"))
    );

    let june = with(&doc, DateKind::Date, "2025-06");
    assert_eq!(june.len(), 1, "{all:?}");
    assert_eq!((june[0].text.as_str(), june[0].relative), ("今年6月", true));

    let august = with(&doc, DateKind::Date, "2025-08");
    assert_eq!(august.len(), 1, "{all:?}");
    assert_eq!(
        (august[0].text.as_str(), august[0].relative),
        ("上個月", true)
    );

    let three_years = with(&doc, DateKind::Duration, "P3Y");
    assert_eq!(three_years.len(), 1, "{all:?}");
    assert_eq!(three_years[0].text, "三年");
    assert_eq!(three_years[0].granularity.as_deref(), Some("year"));

    assert!(
        doc.dates
            .iter()
            .all(|d| !d.value.as_deref().unwrap_or("").starts_with("2068")),
        "{all:?}"
    );
    // Every text is the original at its offsets.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/scale-ai-v-mercor.zh-Hant.txt");
    let original: Vec<char> = std::fs::read_to_string(path)
        .expect("seed")
        .chars()
        .collect();
    for d in &doc.dates {
        let at: String = original[d.start..d.end].iter().collect();
        assert_eq!(at, d.text);
    }
}

#[test]
fn given_document_date_wins_and_anchors_relatives() {
    let date = newsfacts::parse_iso_date("2025-10-20");
    let doc = seed(Config {
        date,
        ..Config::default()
    });
    assert_eq!(doc.date_source, DateSource::Cli);
    // 上個月 still follows the narrative (9月4日), 六天前 the document date.
    assert_eq!(with(&doc, DateKind::Date, "2025-08").len(), 1);
    assert!(doc
        .dates
        .iter()
        .any(|d| d.text == "六天前" && d.value.as_deref() == Some("2025-10-14")));
}

/// Dates of one text through the whole pipeline (normalisation included) on a given date.
fn dates_of(text: &str, date: &str) -> Vec<(String, Option<String>)> {
    Pipeline::new(Config::default())
        .expect("pipeline")
        .process(&Source::from_text("t.txt", text).with_date(date))
        .dates
        .into_iter()
        .map(|d| (d.text, d.value))
        .collect()
}

#[test]
fn tense_reads_traditional_script_after_normalisation() {
    // 2025-09-03 is a Wednesday. A plan (將於) points ahead, a report (了) back; Traditional
    // 週/禮拜/將/過 are read once normalised, and the texts are the original characters.
    assert_eq!(
        dates_of("公司將於週五公布財報。", "2025-09-03"),
        vec![("週五".to_string(), Some("2025-09-05".to_string()))]
    );
    assert_eq!(
        dates_of("公司週一公布了財報。", "2025-09-03"),
        vec![("週一".to_string(), Some("2025-09-01".to_string()))]
    );
    assert_eq!(
        dates_of("新品將在元旦上市。", "2025-09-03"),
        vec![("元旦".to_string(), Some("2026-01-01".to_string()))]
    );
    assert_eq!(
        dates_of("禮拜一", "2025-09-03"),
        vec![("禮拜一".to_string(), Some("2025-09-08".to_string()))]
    );
    assert_eq!(
        dates_of("9月下旬將有降雨。", "2025-09-03"),
        vec![("9月下旬".to_string(), Some("2025-09-21".to_string()))]
    );
}
