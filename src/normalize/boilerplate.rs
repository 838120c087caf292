//! Removal of site boilerplate: disclaimer footers (免责声明, 郑重声明, 投资有风险…),
//! editor lines and copyright notices that scraped pages carry.
//!
//! The markers are data (`data/boilerplate.tsv`). A line is dropped when it sits in the
//! second half of the document and either starts with a head marker or holds two or more
//! body phrases: general footer shapes, not any one site's sentence.


use aho_corasick::{AhoCorasick, MatchKind};


struct Markers {
    head: Vec<String>,
    body: Vec<String>,
}

/// The markers in two automata: a line is searched once for all head markers and once for
/// all body phrases, not once per marker (a line is a paragraph of the second half).
struct Matchers {
    head: AhoCorasick,
    /// The distinct body phrases, and how many times the table lists each.
    body: AhoCorasick,
    /// The body phrases again, for whether a line holds any: leftmost-first, which
    /// aho-corasick searches with a SIMD prefilter (whether a phrase occurs at all does
    /// not depend on the match kind).
    body_any: AhoCorasick,
    body_times: Vec<usize>,
}

fn matchers(m: &Markers) -> Result<Matchers, crate::table::TableError> {
    let mut phrases: Vec<&str> = Vec::new();
    let mut body_times: Vec<usize> = Vec::new();
    for b in &m.body {
        match phrases.iter().position(|p| p == b) {
            Some(i) => body_times[i] += 1,
            None => {
                phrases.push(b);
                body_times.push(1);
            }
        }
    }
    let build_as = |patterns: &[&str], kind: MatchKind| {
        AhoCorasick::builder()
            .match_kind(kind)
            .build(patterns)
            .map_err(|e| crate::table::TableError {
                file: "data/boilerplate.tsv".to_string(),
                line: 0,
                reason: format!("cannot build the matcher: {e}"),
            })
    };
    let build = |patterns: &[&str]| build_as(patterns, MatchKind::Standard);
    let head: Vec<&str> = m.head.iter().map(String::as_str).collect();
    Ok(Matchers {
        head: build(&head)?,
        body: build(&phrases)?,
        body_any: build_as(&phrases, MatchKind::LeftmostFirst)?,
        body_times,
    })
}

fn load_matchers() -> Result<Matchers, crate::table::TableError> {
    matchers(&load_markers()?)
}

fn load_markers() -> Result<Markers, crate::table::TableError> {
    let (file, text) = crate::data_table!("boilerplate.tsv");
    let mut m = Markers {
        head: Vec::new(),
        body: Vec::new(),
    };
    for r in crate::table::rows(file, text) {
        r.at_most(2)?;
        let phrase = r.cell(1, "phrase")?.to_string();
        match r.cell(0, "kind")? {
            "head" => m.head.push(phrase),
            "body" => m.body.push(phrase),
            other => return Err(r.error(format!("unknown kind {other:?}"))),
        }
    }
    Ok(m)
}

/// Reads this module's table (for [`crate::table::check_all`]).
pub(crate) fn check() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&MATCHERS)
}

static MATCHERS: crate::table::TableCell<Matchers> = crate::table::TableCell::new(load_matchers);

pub(crate) fn is_boilerplate_line(line: &str) -> bool {
    // The first 16 characters, as a slice of the line.
    let trimmed = line.trim_start();
    let head = trimmed
        .char_indices()
        .nth(16)
        .map_or(trimmed, |(b, _)| &trimmed[..b]);
    let m = &*MATCHERS;
    // A head marker within the first 16 characters.
    if m.head.is_match(head) {
        return true;
    }
    // Two or more of the body phrases (a phrase listed twice counts twice). Most lines hold
    // none, told by one search that stops at the first (a prefiltered scan, much cheaper
    // than listing every overlapping hit).
    if !m.body_any.is_match(line) {
        return false;
    }
    let mut seen = vec![false; m.body_times.len()];
    let mut count = 0;
    for hit in m.body.find_overlapping_iter(line) {
        let p = hit.pattern().as_usize();
        if let Some(s) = seen.get_mut(p).filter(|s| !**s) {
            *s = true;
            count += m.body_times.get(p).copied().unwrap_or(1);
            if count >= 2 {
                return true;
            }
        }
    }
    false
}

/// Where the line that starts at byte `start` of `text` ends (past its line break) when it
/// is boilerplate. (Which lines may be, those of the second half of a document, is the
/// caller's: the last pass of [`super::normalize`] looks at them as it reaches them.)
pub(crate) fn line_end(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    let (line, end) = match memchr::memchr(b'\n', rest.as_bytes()) {
        Some(i) => (&rest[..i], start + i + 1),
        None => (rest, text.len()),
    };
    is_boilerplate_line(line).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text without its boilerplate lines: those that start in the second half.
    fn run(s: &str) -> String {
        let total = s.chars().count();
        let mut out = String::new();
        let mut start = 0;
        while start < s.len() {
            let end = s[start..].find('\n').map_or(s.len(), |i| start + i + 1);
            let late = s[..start].chars().count() * 2 >= total;
            match line_end(s, start).filter(|_| late) {
                Some(e) => assert_eq!(e, end),
                None => out.push_str(&s[start..end]),
            }
            start = end;
        }
        out
    }

    #[test]
    fn drops_footers_only_late() {
        let body = "正文第一段，谷歌正在计划终止一份合同。\n正文第二段，微软也在重新评估合作关系。\n正文第三段。\n";
        assert_eq!(run(&format!("{body}本站郑重声明:所载内容仅供参考。")), body);
        assert_eq!(
            run(&format!("{body}投资有风险,入市需谨慎。据此交易,风险自担。")),
            body
        );
        assert_eq!(run(&format!("{body}责任编辑:张三\n")), body);
        let early = "免责声明:本文讨论免责声明的法律效力。\n正文。\n正文。\n正文。";
        assert_eq!(run(early), early);
        let ordinary = format!("{body}公司表示投资有风险。");
        assert_eq!(run(&ordinary), ordinary);
    }
}
