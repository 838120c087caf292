//! Removal of site boilerplate: disclaimer footers (免责声明, 郑重声明, 投资有风险…),
//! editor lines and copyright notices that scraped pages carry.
//!
//! The markers are data (`data/boilerplate.tsv`). A line is dropped when it sits in the
//! second half of the document and either starts with a head marker or holds two or more
//! body phrases: general footer shapes, not any one site's sentence.

use std::sync::LazyLock;

use super::offset_map::NChar;

struct Markers {
    head: Vec<String>,
    body: Vec<String>,
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
    load_markers().map(|_| ())
}

static MARKERS: LazyLock<Markers> = LazyLock::new(|| crate::table::built(load_markers()));

fn is_boilerplate_line(line: &str) -> bool {
    // The first 16 characters, as a slice of the line.
    let trimmed = line.trim_start();
    let head = trimmed
        .char_indices()
        .nth(16)
        .map_or(trimmed, |(b, _)| &trimmed[..b]);
    if MARKERS.head.iter().any(|m| head.contains(m.as_str())) {
        return true;
    }
    MARKERS
        .body
        .iter()
        .filter(|m| line.contains(m.as_str()))
        .count()
        >= 2
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
        line.clear();
        line.extend(chars[start..i].iter().map(|c| c.ch));
        if start * 2 >= total && is_boilerplate_line(&line) {
            dropped += 1;
        } else {
            chars.copy_within(start..end, kept);
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
