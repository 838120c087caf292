//! Removal of site boilerplate: disclaimer footers (免责声明, 郑重声明, 投资有风险…),
//! editor lines and copyright notices that scraped pages carry.
//!
//! The markers are data (`data/boilerplate.tsv`). A line is dropped when it sits in the
//! second half of the document and either starts with a head marker or holds two or more
//! body phrases: general footer shapes, not any one site's sentence.


use aho_corasick::{AhoCorasick, MatchKind};

use super::offset_map::NChar;

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
    let build = |patterns: &[&str]| {
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(patterns)
            .map_err(|e| crate::table::TableError {
                file: "data/boilerplate.tsv".to_string(),
                line: 0,
                reason: format!("cannot build the matcher: {e}"),
            })
    };
    let head: Vec<&str> = m.head.iter().map(String::as_str).collect();
    Ok(Matchers {
        head: build(&head)?,
        body: build(&phrases)?,
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

fn is_boilerplate_line(line: &str) -> bool {
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
    // Two or more of the body phrases (a phrase listed twice counts twice).
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

/// Drops boilerplate lines; returns how many lines were dropped. The kept lines move up
/// in place (`kept` never passes the line being read).
pub(crate) fn strip(chars: &mut Vec<NChar>) -> usize {
    let total = chars.len();
    let mut kept = 0;
    let mut dropped = 0;
    let mut line = String::new();
    let mut i = 0;
    while i < total {
        let start = i;
        while i < total && chars[i].ch != '\n' {
            i += 1;
        }
        let end = if i < total { i + 1 } else { i };
        // Only lines of the second half can go: only they are read as text.
        let late = start * 2 >= total;
        if late {
            line.clear();
            line.extend(chars[start..i].iter().map(|c| c.ch));
        }
        if late && is_boilerplate_line(&line) {
            dropped += 1;
        } else {
            if kept != start {
                chars.copy_within(start..end, kept);
            }
            kept += end - start;
        }
        i = end;
    }
    chars.truncate(kept);
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::offset_map::chars_of;

    fn run(s: &str) -> String {
        let mut cs = chars_of(s);
        strip(&mut cs);
        cs.iter().map(|c| c.ch).collect()
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
