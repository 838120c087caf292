//! Unit tests of the date recogniser, family by family, in both languages.

use super::*;
use crate::segment::segment;

/// (text, value, end_value, kind, relative) of every item found in `text`.
fn run(text: &str, doc: Option<&str>) -> Vec<(String, Option<String>, Option<String>, &'static str, bool)> {
    let seg = segment(text, false);
    let doc = doc.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    let found = find(text);
    resolve_all(&found, &seg, doc)
        .into_iter()
        .map(|d| (text[d.nspan.0..d.nspan.1].to_string(), d.value, d.end_value, d.kind.as_str(), d.relative))
        .collect()
}

fn values(text: &str, doc: Option<&str>) -> Vec<String> {
    run(text, doc)
        .into_iter()
        .map(|(t, v, e, k, r)| format!("{t}={}{}{}{}", v.unwrap_or_else(|| "null".into()), e.map(|e| format!("..{e}")).unwrap_or_default(), if k == "date" { String::new() } else { format!(" {k}") }, if r { " rel" } else { "" }))
        .collect()
}

#[test]
fn smoke() {
    assert_eq!(values("当地时间9月3日,Scale AI起诉", Some("2025-09-05")), vec!["9月3日=2025-09-03"]);
}
