//! Company names in today's business news (issue 12): sentences written for this test, not
//! taken from any corpus, in Simplified and Traditional Chinese and English, one error class
//! each (`tests/fixtures/business_entities.jsonl`):
//!
//! - brand-like and common-word company names (瑞幸咖啡, 泡泡玛特, 苹果, 小米, 美团) found as ORG;
//! - products and models (Mate 70, App Store, GPT-5, Galaxy S25) and generic descriptions
//!   (一家芯片初创公司, 某软件公司) not entities;
//! - common words (毛利润, 新东家) and a place with its verb (新加坡设立) not entities;
//! - one-word English company names (Barclays, Nucor) as ORG, and lists split.
//!
//! Scored on mentions `(text, type)` of the whole pipeline: precision and recall against the
//! expected entities, and the listed non-entities (`not`) count as false positives under any
//! type. Fails when F1 is below `business.f1` in `tests/ner_floors.toml` or any `not` form
//! shows up more often than `business.max_not_entities` allows.
//!
//! Run: `cargo test --release --test business_entities -- --nocapture`

use std::collections::{HashMap, HashSet};
use std::path::Path;

use newsfacts::{Config, Pipeline, Source};

fn floors() -> HashMap<String, f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ner_floors.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut section = String::new();
    let mut out = HashMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.trim().to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            let v: f64 = v
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("bad floor value in {line:?}"));
            out.insert(format!("{section}.{}", k.trim()), v);
        }
    }
    out
}

struct Case {
    class: String,
    text: String,
    expected: HashSet<(String, String)>,
    not: Vec<String>,
}

fn cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/business_entities.jsonl");
    let data = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    data.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            let v: serde_json::Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
            let pair = |x: &serde_json::Value| -> (String, String) {
                match (x[0].as_str(), x[1].as_str()) {
                    (Some(t), Some(k)) => (t.to_string(), k.to_string()),
                    _ => panic!("{}:{}: entities are [text, type]", path.display(), n + 1),
                }
            };
            Case {
                class: v["class"].as_str().unwrap_or("").to_string(),
                text: v["text"].as_str().unwrap_or("").to_string(),
                expected: v["entities"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(pair)
                    .collect(),
                not: v["not"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn business_sentences_meet_floors() {
    let cases = cases();
    assert!(
        cases.len() >= 80,
        "the fixture must keep at least 80 sentences"
    );
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let (mut tp, mut fp, mut fn_, mut not_hits) = (0usize, 0usize, 0usize, 0usize);
    let mut by_class: HashMap<String, [usize; 3]> = HashMap::new();
    for (i, c) in cases.iter().enumerate() {
        let doc = pipeline.process(&Source::from_text(format!("business-{i}"), &c.text));
        let got: HashSet<(String, String)> = doc
            .entities
            .iter()
            .flat_map(|e| {
                e.mentions
                    .iter()
                    .map(move |m| (m.text.clone(), e.kind.as_str().to_string()))
            })
            .collect();
        let hits = got.intersection(&c.expected).count();
        let wrong: Vec<_> = got.difference(&c.expected).collect();
        let missed: Vec<_> = c.expected.difference(&got).collect();
        let listed: Vec<_> = got.iter().filter(|(t, _)| c.not.contains(t)).collect();
        tp += hits;
        fp += wrong.len();
        fn_ += missed.len();
        not_hits += listed.len();
        let row = by_class.entry(c.class.clone()).or_default();
        row[0] += hits;
        row[1] += wrong.len();
        row[2] += missed.len();
        if !wrong.is_empty() || !missed.is_empty() {
            println!(
                "[{}] {}\n  wrong: {wrong:?}\n  missed: {missed:?}",
                c.class, c.text
            );
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let mut classes: Vec<_> = by_class.into_iter().collect();
    classes.sort();
    for (class, [t, f, m]) in classes {
        println!("  {class:20} tp {t:3} fp {f:3} fn {m:3}");
    }
    println!(
        "business sentences: P {p:.3} R {r:.3} F1 {f1:.3} (tp {tp}, fp {fp}, fn {fn_}); listed non-entities found: {not_hits}"
    );
    let floors = floors();
    let f1_floor = floors["business.f1"];
    let max_not = floors["business.max_not_entities"] as usize;
    assert!(
        f1 >= f1_floor,
        "business F1 {f1:.3} below its floor {f1_floor}"
    );
    assert!(
        not_hits <= max_not,
        "{not_hits} listed non-entities tagged (at most {max_not})"
    );
}
