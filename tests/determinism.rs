//! Outputs are deterministic (SPEC §4): the same corpus run with one and with two threads
//! gives byte-identical tables; `report.json` is valid JSON with the SPEC's fields.

mod common;

use common::*;

const TABLES: [&str; 6] = [
    "documents.csv",
    "entities.csv",
    "amounts.csv",
    "dates.csv",
    "facts.csv",
    "documents.jsonl",
];

fn extract_corpus(threads: &str) -> TempDir {
    let corpus = repo_root().join("corpus");
    assert!(
        corpus.is_dir(),
        "{} is missing: the determinism test runs on the repository's corpus/",
        corpus.display()
    );
    let out = TempDir::new(&format!("determinism-{threads}"));
    let res = run(
        &[
            "extract",
            &corpus.to_string_lossy(),
            "-o",
            &out.path().to_string_lossy(),
            "--threads",
            threads,
            "-q",
        ],
        None,
    );
    assert_exit(&res, 0);
    out
}

#[test]
fn one_and_two_threads_give_identical_bytes() {
    let one = extract_corpus("1");
    let two = extract_corpus("2");
    for name in TABLES {
        let a = std::fs::read(one.join(name)).unwrap_or_else(|e| panic!("{name} (1 thread): {e}"));
        let b = std::fs::read(two.join(name)).unwrap_or_else(|e| panic!("{name} (2 threads): {e}"));
        if a != b {
            let (a, b) = (String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
            let first = a
                .lines()
                .zip(b.lines())
                .position(|(x, y)| x != y)
                .unwrap_or(a.lines().count().min(b.lines().count()));
            panic!(
                "{name} differs between 1 and 2 threads, first at line {}:\n1: {:?}\n2: {:?}",
                first + 1,
                a.lines().nth(first),
                b.lines().nth(first)
            );
        }
    }
    // Every corpus document is there, in doc_id order.
    let docs = read_csv(&one.join("documents.csv"));
    let files = std::fs::read_dir(repo_root().join("corpus"))
        .expect("read corpus")
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| {
            e.path()
                .extension()
                .is_some_and(|x| ["txt", "md", "html", "htm"].iter().any(|k| x == *k))
        })
        .count();
    assert!(docs.len() >= files, "{} rows for {files} files", docs.len());
    let ids: Vec<&String> = docs.iter().map(|r| &r["doc_id"]).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "documents.csv is sorted by doc_id");
    assert!(docs.iter().all(|r| r["status"] == "ok"), "{docs:?}");
}

#[test]
fn report_json_has_the_spec_fields() {
    let out = extract_corpus("2");
    let report = read_json(&out.join("report.json"));
    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(report["version"].as_str(), Some(env!("CARGO_PKG_VERSION")));
    let started = report["started"].as_str().expect("started is a string");
    assert!(
        started.len() >= 20 && started.as_bytes()[4] == b'-' && started.contains('T'),
        "started should be an RFC 3339 time, got {started:?}"
    );
    assert!(report["seconds"].as_f64().is_some_and(|s| s >= 0.0));
    assert_eq!(report["documents"]["ok"].as_u64(), Some(docs.len() as u64));
    assert_eq!(report["documents"]["failed"].as_u64(), Some(0));
    assert!(report["documents"]["skipped"].is_u64());
    // bytes is the input size: whole files, plus JSON lines (without blank lines or a BOM).
    let (mut whole, mut lines) = (0u64, 0u64);
    for e in walkdir::WalkDir::new(repo_root().join("corpus"))
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let ext = e
            .path()
            .extension()
            .map(|x| x.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let size = e.metadata().map(|m| m.len()).unwrap_or(0);
        match ext.as_str() {
            _ if e.file_name().to_string_lossy().starts_with('.') => {}
            "txt" | "md" | "html" | "htm" => whole += size,
            "jsonl" => lines += size,
            _ => {}
        }
    }
    let reported = report["bytes"].as_u64().expect("bytes is a number");
    assert!(
        whole <= reported && reported <= whole + lines,
        "bytes {reported} should be the input size ({whole} + up to {lines})"
    );
    assert!(report["throughput"].as_f64().is_some_and(|t| t >= 0.0));
    for kind in ["entities", "amounts", "dates", "facts"] {
        assert!(
            report["counts"][kind].is_object(),
            "counts.{kind} is an object: {}",
            report["counts"]
        );
    }
    // counts agree with the tables.
    let amounts = read_csv(&out.join("amounts.csv"));
    let counted: u64 = report["counts"]["amounts"]
        .as_object()
        .map(|m| m.values().filter_map(|v| v.as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(counted, amounts.len() as u64);
    assert_eq!(report["failures"].as_array().map(Vec::len), Some(0));
}

#[test]
fn every_corpus_item_points_at_its_text_in_the_source_file() {
    let out = extract_corpus("2");
    let jsonl = std::fs::read_to_string(out.join("documents.jsonl")).expect("documents.jsonl");
    let mut checked = 0;
    for line in jsonl.lines() {
        let doc: serde_json::Value = serde_json::from_str(line).expect("JSON record");
        let path = repo_root().join(doc["path"].as_str().expect("path"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if doc["encoding"] != "UTF-8" || path.extension().is_some_and(|x| x != "txt" && x != "md") {
            continue; // the corpus is UTF-8 text; other kinds are checked elsewhere
        }
        let text = String::from_utf8(bytes).expect("UTF-8");
        let chars: Vec<char> = text.trim_start_matches('\u{FEFF}').chars().collect();
        assert_eq!(
            doc["chars"].as_u64(),
            Some(chars.len() as u64),
            "{}",
            path.display()
        );
        let mut items: Vec<(&serde_json::Value, &serde_json::Value, &serde_json::Value)> =
            Vec::new();
        for e in doc["entities"].as_array().into_iter().flatten() {
            for m in e["mentions"].as_array().into_iter().flatten() {
                items.push((&m["text"], &m["start"], &m["end"]));
            }
        }
        for kind in ["amounts", "dates"] {
            for a in doc[kind].as_array().into_iter().flatten() {
                items.push((&a["text"], &a["start"], &a["end"]));
            }
        }
        for f in doc["facts"].as_array().into_iter().flatten() {
            items.push((&f["evidence"], &f["start"], &f["end"]));
        }
        for (t, s, e) in items {
            let (s, e) = (
                s.as_u64().expect("start") as usize,
                e.as_u64().expect("end") as usize,
            );
            assert!(
                s <= e && e <= chars.len(),
                "{}: ({s}, {e}) out of bounds",
                path.display()
            );
            let found: String = chars[s..e].iter().collect();
            assert_eq!(
                Some(found.as_str()),
                t.as_str(),
                "{}: item at ({s}, {e})",
                path.display()
            );
            checked += 1;
        }
    }
    eprintln!("checked {checked} item offsets against the corpus files");
}
