//! News-style date fixtures (issue 17): every sentence of `tests/fixtures/dates_news.tsv`
//! goes through the whole pipeline with its publication date; the date items found must be
//! exactly the expected ones (none where none is expected: comparison bases, report names,
//! counts), and the amounts listed must be found as amounts (`2068亿元` stays money). Pass
//! rates per class hold floors that only go up.

use std::collections::BTreeMap;

use newsfacts::{Config, DateItem, DateKind, Pipeline, Source};

/// Floors per class (percent of sentences passing): set just under the measured figure.
const FLOORS: &[(&str, f64)] = &[
    ("span_years", 100.0),
    ("report_name", 100.0),
    ("comparison", 100.0),
    ("quarter_half", 100.0),
    ("bare_year", 100.0),
    ("tw_hk", 100.0),
    ("cumulative", 100.0),
    ("yearless_en", 100.0),
    ("seed_rows", 100.0),
];

/// At least this many sentences, covering every class of the floors.
const MIN_SENTENCES: usize = 80;

/// One date item as the fixture writes it: `text=value[..end][ kind][ rel]`.
fn show(d: &DateItem) -> String {
    let mut s = format!("{}={}", d.text, d.value.as_deref().unwrap_or("null"));
    if let Some(e) = &d.end_value {
        s.push_str(&format!("..{e}"));
    }
    if d.kind != DateKind::Date {
        s.push(' ');
        s.push_str(d.kind.as_str());
    }
    if d.relative {
        s.push_str(" rel");
    }
    s
}

fn split_list(field: &str) -> Vec<String> {
    if field.trim() == "-" || field.trim().is_empty() {
        return Vec::new();
    }
    field.split(';').map(|x| x.trim().to_string()).collect()
}

#[test]
fn news_sentences_hold_their_floors() {
    let table = include_str!("fixtures/dates_news.tsv");
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let mut per_class: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut sentences = 0;
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 4 || cols.len() == 5,
            "tests/fixtures/dates_news.tsv line {}: {} columns, want 4 or 5",
            n + 1,
            cols.len()
        );
        let (class, date, text) = (cols[0], cols[1], cols[2]);
        assert!(
            FLOORS.iter().any(|(c, _)| *c == class),
            "line {}: unknown class {class}",
            n + 1
        );
        sentences += 1;
        let doc =
            pipeline.process(&Source::from_text(format!("line{}", n + 1), text).with_date(date));
        let mut got: Vec<String> = doc.dates.iter().map(show).collect();
        let mut want = split_list(cols[3]);
        got.sort();
        want.sort();
        let amounts: Vec<&str> = doc.amounts.iter().map(|a| a.text.as_str()).collect();
        let missing_amounts: Vec<String> = cols
            .get(4)
            .map(|f| split_list(f))
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !amounts.contains(&a.as_str()))
            .collect();
        let ok = got == want && missing_amounts.is_empty();
        let entry = per_class.entry(class.to_string()).or_default();
        entry.0 += 1;
        if ok {
            entry.1 += 1;
        } else {
            misses.push(format!(
                "line {} [{class}] {text}\n    want {want:?}\n    got  {got:?}{}",
                n + 1,
                if missing_amounts.is_empty() {
                    String::new()
                } else {
                    format!("\n    amounts missing {missing_amounts:?} (found {amounts:?})")
                }
            ));
        }
    }
    println!(
        "{:<14} {:>6} {:>6} {:>7} {:>7}",
        "class", "cases", "pass", "pass %", "floor"
    );
    let mut failures = Vec::new();
    for (class, floor) in FLOORS {
        let (cases, pass) = per_class.get(*class).copied().unwrap_or((0, 0));
        let rate = 100.0 * pass as f64 / cases.max(1) as f64;
        println!("{class:<14} {cases:>6} {pass:>6} {rate:>7.1} {floor:>7.1}");
        if cases == 0 {
            failures.push(format!("{class}: no sentences"));
        } else if rate + 1e-9 < *floor {
            failures.push(format!("{class}: {rate:.1} % below its floor {floor:.1} %"));
        }
    }
    for m in &misses {
        println!("{m}");
    }
    assert!(
        sentences >= MIN_SENTENCES,
        "{sentences} sentences, want at least {MIN_SENTENCES}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
