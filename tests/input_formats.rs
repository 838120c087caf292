//! Input formats beyond plain text: front matter (`date`, `title`, `source`, `lang`, `id`)
//! and its effect on `doc_id`, `doc_date` and `date_source`; the SPEC §2 date precedence
//! (`--date` > front matter / JSONL > inferred > none); offsets of front-mattered files
//! counting from the start of the file.

mod common;

use common::*;
use newsfacts::input::SourceStream;
use newsfacts::normalize::normalize;
use newsfacts::{Config, Pipeline, Source};

fn source_of(path: &std::path::Path) -> Source {
    let mut s = SourceStream::new(&[path.to_string_lossy().into_owned()]);
    let src = s.next().expect("one source");
    assert!(src.error.is_none(), "{:?}", src.error);
    src
}

#[test]
fn front_matter_fields() {
    let dir = TempDir::new("fm-fields");
    let p = dir.write(
        "a.md",
        "---\nid: bp-biofuel\ndate: 2025-09-05\ntitle: \"BP: biofuels\"\nsource: Reuters\nlang: en\n---\nBP said on Tuesday it would buy a biofuel maker.\n",
    );
    let src = source_of(&p);
    assert_eq!(src.id, "bp-biofuel");
    assert_eq!(src.meta.date.as_deref(), Some("2025-09-05"));
    assert_eq!(src.meta.title.as_deref(), Some("BP: biofuels"));
    assert_eq!(src.meta.source.as_deref(), Some("Reuters"));
    assert_eq!(src.meta.lang.as_deref(), Some("en"));
    assert_eq!(
        &src.text[src.body_start..],
        "BP said on Tuesday it would buy a biofuel maker.\n"
    );
}

#[test]
fn front_matter_variants() {
    let dir = TempDir::new("fm-variants");
    // CRLF line ends and a UTF-8 byte-order mark.
    let crlf = dir.write(
        "crlf.md",
        "\u{FEFF}---\r\nid: crlf\r\ndate: 2024-02-03\r\n---\r\n正文。\r\n",
    );
    let src = source_of(&crlf);
    assert_eq!(
        (src.id.as_str(), src.meta.date.as_deref()),
        ("crlf", Some("2024-02-03"))
    );
    assert_eq!(&src.text[src.body_start..], "正文。\r\n");
    // Unterminated front matter is no front matter: the whole file is the body.
    let open = dir.write(
        "open.md",
        "---\ndate: 2024-02-03\nThe block never ends, so this is all text.\n",
    );
    let src = source_of(&open);
    assert_eq!(
        (src.id.as_str(), src.body_start, src.meta.date.clone()),
        ("open.md", 0, None)
    );
    // A Markdown rule followed by prose is not front matter either.
    let rule = dir.write("rule.md", "---\nNot a key value line\n---\nText.\n");
    assert_eq!(source_of(&rule).body_start, 0);
}

/// Runs `extract` over `dir` with `extra` flags and returns documents.csv.
fn extract(dir: &TempDir, extra: &[&str]) -> Vec<std::collections::BTreeMap<String, String>> {
    let out = TempDir::new("fm-out");
    let in_path = dir.path().to_string_lossy().into_owned();
    let out_path = out.path().to_string_lossy().into_owned();
    let mut args = vec!["extract", in_path.as_str(), "-o", out_path.as_str(), "-q"];
    args.extend_from_slice(extra);
    let res = run(&args, None);
    assert_exit(&res, 0);
    read_csv(&out.join("documents.csv"))
}

#[test]
fn document_date_precedence() {
    let dir = TempDir::new("date-precedence");
    dir.write(
        "fm.md",
        "---\nid: fm-doc\ndate: 2025-09-05\n---\n小米集团宣布回购股份。\n",
    );
    dir.write(
        "feed.jsonl",
        "{\"id\": \"jl-doc\", \"date\": \"2024-01-02\", \"text\": \"Apple said revenue rose.\"}\n",
    );
    dir.write(
        "bad-date.md",
        "---\nid: bad-date\ndate: next week\n---\nTesla cut prices.\n",
    );
    dir.write("plain.txt", "An undated note about markets.\n");

    let docs = extract(&dir, &[]);
    let r = row(&docs, "fm-doc");
    assert_eq!(
        (r["doc_date"].as_str(), r["date_source"].as_str()),
        ("2025-09-05", "front_matter")
    );
    let r = row(&docs, "jl-doc");
    assert_eq!(
        (r["doc_date"].as_str(), r["date_source"].as_str()),
        ("2024-01-02", "jsonl")
    );
    // An unparsable front-matter date is ignored: the next rules (inferred, none) apply.
    for id in ["bad-date", "plain.txt"] {
        let r = row(&docs, id);
        assert!(
            matches!(r["date_source"].as_str(), "inferred" | "none"),
            "{id}: {r:?}"
        );
        assert_eq!(
            r["doc_date"].is_empty(),
            r["date_source"] == "none",
            "{id}: {r:?}"
        );
    }

    // --date overrides everything.
    let docs = extract(&dir, &["--date", "2023-03-04"]);
    assert_eq!(docs.len(), 4);
    for r in &docs {
        assert_eq!(
            (r["doc_date"].as_str(), r["date_source"].as_str()),
            ("2023-03-04", "cli"),
            "{r:?}"
        );
    }
}

/// Whether `orig`, normalised on its own, gives `norm` (up to the spaces normalisation
/// trims at the ends, and Traditional->Simplified choices that depend on context).
fn normalises_to(orig: &str, norm: &str) -> bool {
    let alone = normalize(orig).text;
    let a: Vec<char> = alone.chars().collect();
    let b: Vec<char> = norm.trim_matches(' ').chars().collect();
    a.len() == b.len()
        && a.iter().zip(&b).all(|(x, y)| {
            x == y
                || (newsfacts::normalize::script::is_han(*x)
                    && newsfacts::normalize::script::is_han(*y))
        })
}

#[test]
fn offsets_in_a_front_mattered_file_count_from_the_start_of_the_file() {
    let dir = TempDir::new("fm-offsets");
    let file = "---\nid: fm-offsets\ndate: 2025-09-05\nlang: zh-Hant\n---\n當?shù)貢r間9月3日，數(shù)據(jù)標注巨頭Scale AI起訴前員工Eugene Ling。\r\n\
                Meta以１４３億美元投資Scale AI，持股４９％。\n";
    let p = dir.write("fm.txt", file);
    let src = source_of(&p);
    assert_eq!(src.text, file);
    let fm_chars = src.text[..src.body_start].chars().count();
    assert!(fm_chars > 0);
    let original: Vec<char> = src.text.chars().collect();
    let slice = |s: usize, e: usize| -> String { original[s..e].iter().collect() };

    // The map itself: normalised spans map back to the original file's code points.
    let mut norm = normalize(&src.text[src.body_start..]);
    norm.map.shift(fm_chars);
    for (needle, expected) in [
        ("Scale AI", "Scale AI"),
        ("数据", "數(shù)據"),
        ("143亿美元", "１４３億美元"),
        ("49%", "４９％"),
        ("Eugene Ling", "Eugene Ling"),
    ] {
        let b = norm
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {:?}", norm.text));
        let (s, e) = norm.map.to_original(b, b + needle.len());
        assert!(s >= fm_chars && e <= original.len());
        assert_eq!(slice(s, e), expected);
    }
    // Every normalised character comes from inside the body, in order.
    let mut last_end = fm_chars;
    for (b, c) in norm.text.char_indices() {
        let (s, e) = norm.map.to_original(b, b + c.len_utf8());
        assert!(
            s >= last_end && s < e && e <= original.len(),
            "{c:?} at byte {b}: ({s}, {e})"
        );
        last_end = e;
    }

    // Every item the pipeline finds points at its text in the original file.
    let doc = Pipeline::new(Config::default())
        .expect("pipeline")
        .process(&src);
    assert_eq!(doc.chars, original.len());
    let mut spans: Vec<(&str, usize, usize, (usize, usize))> = Vec::new();
    for ent in &doc.entities {
        spans.extend(
            ent.mentions
                .iter()
                .map(|m| (m.text.as_str(), m.start, m.end, m.nspan)),
        );
    }
    spans.extend(
        doc.amounts
            .iter()
            .map(|a| (a.text.as_str(), a.start, a.end, a.nspan)),
    );
    spans.extend(
        doc.dates
            .iter()
            .map(|d| (d.text.as_str(), d.start, d.end, d.nspan)),
    );
    spans.extend(
        doc.facts
            .iter()
            .map(|f| (f.evidence.as_str(), f.start, f.end, f.nspan)),
    );
    for (text, s, e, nspan) in spans {
        assert!(
            fm_chars <= s && s <= e && e <= original.len(),
            "{text:?} ({s}, {e}) outside the body"
        );
        assert_eq!(slice(s, e), text);
        if let Some(n) = norm.text.get(nspan.0..nspan.1) {
            if !n.contains('\n') {
                assert!(
                    normalises_to(text, n),
                    "original {text:?} does not normalise to the item's normalised text {n:?}"
                );
            }
        }
    }
}

#[test]
fn repeated_ids_are_made_unique() {
    // Two roots with the same relative path, and a JSON Lines file repeating an id.
    let dir = TempDir::new("dup-ids");
    for (sub, text) in [("a", "谷歌投资20亿美元。"), ("b", "微软投资30亿美元。")] {
        std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("x.txt"), text).unwrap();
    }
    std::fs::write(
        dir.path().join("c.jsonl"),
        "{\"id\": \"n1\", \"text\": \"one\"}\n{\"id\": \"n1\", \"text\": \"two\"}\n",
    )
    .unwrap();
    let inputs: Vec<String> = ["a", "b", "c.jsonl"]
        .iter()
        .map(|p| dir.path().join(p).to_string_lossy().into_owned())
        .collect();
    let docs: Vec<Source> = SourceStream::new(&inputs).collect();
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["x.txt", "x.txt~2", "n1", "n1~2"]);
    assert!(docs[1].text.contains("微软"));
    assert!(docs[1].warnings.iter().any(|w| w.contains("already used")));
    assert!(docs[0].warnings.is_empty());
}
