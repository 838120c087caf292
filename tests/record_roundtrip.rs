//! The JSON record reads back into the same `Document`: what `documents.jsonl` or the
//! Python binding hands out gives, read back, the same JSON and the same CSV rows. The
//! binding's `to_pandas` relies on this.

use newsfacts::output::rows::{rows, Table};
use newsfacts::{Config, Document, Pipeline, Source};

fn round_trip(doc: &Document) {
    let json = serde_json::to_string(doc).unwrap();
    let back: Document = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{}: record does not read back: {e}", doc.id));
    assert_eq!(serde_json::to_string(&back).unwrap(), json, "{}", doc.id);
    for table in Table::ALL {
        assert_eq!(rows(table, &back), rows(table, doc), "{} {table:?}", doc.id);
    }
}

#[test]
fn corpus_records_read_back_unchanged() {
    let pipeline = Pipeline::new(Config {
        numbers: true,
        ..Config::default()
    })
    .unwrap();
    let mut seen = 0;
    let mut with_values = 0;
    for entry in std::fs::read_dir("corpus").unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let id = path.file_name().unwrap().to_string_lossy().into_owned();
        let doc = pipeline.process(&Source::from_text(id, text));
        with_values += doc.amounts.iter().filter(|a| a.value.is_some()).count();
        round_trip(&doc);
        seen += 1;
    }
    assert!(seen >= 5, "corpus/ has {seen} documents");
    assert!(with_values > 20, "only {with_values} amounts with values");
}

#[test]
fn failed_and_warned_records_read_back_unchanged() {
    let pipeline = Pipeline::new(Config::default()).unwrap();
    let failed = Source::from_jsonl_line("x#1", "x.jsonl", "{\"id\": \"a\"}");
    let doc = pipeline.process(&failed);
    assert_eq!(doc.status, newsfacts::Status::Failed);
    round_trip(&doc);
    let warned = Source::from_jsonl_line(
        "x#2",
        "x.jsonl",
        "{\"text\": \"净利润0.5亿元,同比增长12.5%\", \"date\": \"soon\"}",
    );
    let doc = pipeline.process(&warned);
    assert!(!doc.warnings.is_empty());
    round_trip(&doc);
}

#[test]
fn a_record_that_is_not_one_is_an_error() {
    assert!(serde_json::from_str::<Document>("{\"id\": 3}").is_err());
    assert!(serde_json::from_str::<Document>("[]").is_err());
}
