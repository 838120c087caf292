//! The gazetteer: organisations, people and places common in business and tech news, with
//! bilingual aliases (`data/entities.tsv`), matched by one Aho-Corasick automaton built once
//! over the NORMALISED alias forms (Simplified, half-width), and looked up by surface form
//! when mentions are grouped into entities (canonical name, `name_en`).
//!
//! A match must sit on word boundaries: a Latin alias between non-alphanumerics, a Chinese
//! alias on jieba token boundaries (so 中国银行业 is not 中国银行). Among overlapping matches
//! the longest wins (中国银行, not 中国 + 银行). Aliases marked `~` in the table are common
//! words too (苹果, Zoom): they count only when the same document names the referent by a
//! strong alias, or an organisation cue follows (苹果公司, 苹果股价).

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::table::{rows, TableError};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::cues;
use crate::document::EntityType;
use crate::normalize;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::Segmented;

/// Score of a gazetteer match: above rules and the tagger's usual scores, so a listed name
/// beats a partial span (a match inside a longer tagger span is dropped before arbitration).
pub const GAZ_SCORE: f32 = 0.99;
const WEAK_SCORE: f32 = 0.9;

/// One referent of the table.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntityType,
    /// Canonical name: Simplified Chinese, or the Latin original.
    pub name: String,
    pub name_en: Option<String>,
}

#[derive(Debug, Clone, Copy)]
struct Pattern {
    entry: usize,
    weak: bool,
    latin: bool,
}

/// The parsed table and its automaton.
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    patterns: Vec<Pattern>,
    automaton: AhoCorasick,
    /// Normalised alias form -> pattern index, for lookups by surface form.
    by_form: HashMap<String, usize>,
}

/// The normalised form of a table string, exactly as the text normalisation would write it.
pub fn normalise_form(s: &str) -> String {
    normalize::normalize(s).text
}

fn parse_type(s: &str) -> Option<EntityType> {
    match s {
        "PERSON" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Org),
        "LOC" => Some(EntityType::Loc),
        _ => None,
    }
}

impl Gazetteer {
    fn from_table(file: &str, table: &str) -> Result<Gazetteer, TableError> {
        let mut entries = Vec::new();
        let mut forms: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut by_form: HashMap<String, usize> = HashMap::new();
        for r in rows(file, table) {
            r.at_most(4)?;
            let kind = r.cell(0, "type")?;
            let kind = parse_type(kind).ok_or_else(|| r.error(format!("unknown type {kind:?}")))?;
            let name = normalise_form(r.cell(1, "name")?);
            if name.is_empty() {
                return Err(r.error("the name normalises to nothing"));
            }
            let name_en = r.optional(2).map(str::to_string);
            let entry = entries.len();
            // `~alias` marks a weak alias; it overrides the same form given as name or name_en.
            let listed: Vec<&str> = r
                .optional(3)
                .map(|a| {
                    a.split('|')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let weak_forms: Vec<String> = listed
                .iter()
                .filter_map(|a| a.strip_prefix('~'))
                .map(normalise_form)
                .collect();
            let all = std::iter::once(name.clone())
                .chain(name_en.iter().map(|s| normalise_form(s)))
                .chain(
                    listed
                        .iter()
                        .map(|a| normalise_form(a.trim_start_matches('~'))),
                );
            for form in all {
                if form.is_empty() || by_form.contains_key(&form) {
                    continue;
                }
                let weak = weak_forms.contains(&form);
                let latin = !form.chars().any(normalize::script::is_han);
                by_form.insert(form.clone(), patterns.len());
                patterns.push(Pattern { entry, weak, latin });
                forms.push(form);
            }
            entries.push(Entry {
                kind,
                name,
                name_en,
            });
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&forms)
            .map_err(|e| TableError {
                file: file.to_string(),
                line: 0,
                reason: format!("cannot build the matcher: {e}"),
            })?;
        Ok(Gazetteer {
            entries,
            patterns,
            automaton,
            by_form,
        })
    }

    /// The entry a surface form names, when it is one of the table's aliases.
    pub fn lookup(&self, surface: &str) -> Option<(usize, &Entry)> {
        let p = self.patterns.get(*self.by_form.get(surface)?)?;
        Some((p.entry, self.entries.get(p.entry)?))
    }

    /// Pushes one candidate per accepted, non-overlapping alias match in `text`.
    pub fn find(&self, text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
        // (start, end, pattern) of every match on word boundaries.
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(text) {
            let (s, e, p) = (m.start(), m.end(), m.pattern().as_usize());
            let Some(pat) = self.patterns.get(p) else {
                continue;
            };
            let ok = if pat.latin {
                latin_boundaries(text, s, e)
            } else {
                token_boundary(seg, text, s) && token_boundary(seg, text, e)
            };
            if ok {
                hits.push((s, e, p));
            }
        }
        // Longest first, then leftmost; keep those that overlap nothing kept.
        hits.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        // Kept spans never overlap, so of those starting before a hit's end only the last
        // one can reach into it: one ordered-map lookup per hit (a long article has
        // thousands of hits).
        let mut kept: Vec<(usize, usize, usize)> = Vec::with_capacity(hits.len());
        let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for h in hits {
            let clash = taken
                .range(..h.1)
                .next_back()
                .is_some_and(|(_, &end)| end > h.0);
            if !clash {
                taken.insert(h.0, h.1);
                kept.push(h);
            }
        }
        kept.sort_unstable_by_key(|k| (k.0, k.1));
        let mut strong_entries: Vec<usize> = kept
            .iter()
            .filter_map(|k| self.patterns.get(k.2))
            .filter(|p| !p.weak)
            .map(|p| p.entry)
            .collect();
        strong_entries.sort_unstable();
        strong_entries.dedup();
        // What makes a weak alias a name: an organisation head or a title right after it
        // (苹果公司, 苹果CEO), or its share price (苹果股价).
        let c = cues::cues();
        let cued = |rest: &str| {
            let rest = rest.trim_start_matches(' ');
            cues::starts_with_any(rest, &c.org_suffix_zh).is_some()
                || cues::starts_with_any(rest, &["股价", "旗下", "市值", "股票"]).is_some()
                || cues::title_after(rest, 0)
        };
        for (s, e, p) in kept {
            let Some(pat) = self.patterns.get(p) else {
                continue;
            };
            let Some(entry) = self.entries.get(pat.entry) else {
                continue;
            };
            let score = if pat.weak {
                if !cued(&text[e..]) && strong_entries.binary_search(&pat.entry).is_err() {
                    continue;
                }
                WEAK_SCORE
            } else {
                GAZ_SCORE
            };
            out.push(MentionCandidate {
                nspan: (s, e),
                kind: entry.kind,
                score,
                source: MentionSource::Gazetteer,
            });
        }
    }
}

fn latin_boundaries(text: &str, s: usize, e: usize) -> bool {
    let before = text[..s].chars().next_back();
    let after = text[e..].chars().next();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    // `Corp.` ends with a dot; `U.S` must not match inside `U.S.A`.
    !word(before)
        && !word(after)
        && !(after == Some('.')
            && text[e..]
                .chars()
                .nth(1)
                .is_some_and(|c| c.is_ascii_alphabetic()))
}

/// True when byte `at` is the start or end of a jieba token (or the text has no tokens).
fn token_boundary(seg: &Segmented, text: &str, at: usize) -> bool {
    if seg.tokens.is_empty() || at == 0 || at >= text.len() {
        return true;
    }
    let i = seg.tokens.partition_point(|t| t.start < at);
    if seg.tokens.get(i).is_some_and(|t| t.start == at) {
        return true;
    }
    // The token before `at` either ends exactly there or runs across it.
    match i.checked_sub(1).and_then(|j| seg.tokens.get(j)) {
        Some(t) => t.end <= at,
        None => true,
    }
}

fn load() -> Result<Gazetteer, TableError> {
    let (file, text) = crate::data_table!("entities.tsv");
    Gazetteer::from_table(file, text)
}

/// Reads this module's table (for [`crate::table::check_all`]).
pub fn check() -> Result<(), TableError> {
    load().map(|_| ())
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| crate::table::built(load()));

/// The process-wide gazetteer.
pub fn gazetteer() -> &'static Gazetteer {
    &GAZETTEER
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn found(text: &str) -> Vec<(String, EntityType)> {
        let norm = normalize::normalize(text).text;
        let seg = segment(&norm, true);
        let mut out = Vec::new();
        gazetteer().find(&norm, &seg, &mut out);
        out.sort_by_key(|m| m.nspan);
        out.iter()
            .map(|m| (norm[m.nspan.0..m.nspan.1].to_string(), m.kind))
            .collect()
    }

    #[test]
    fn table_is_large_and_bilingual() {
        let g = gazetteer();
        assert!(g.entries.len() >= 300, "{} entries", g.entries.len());
        let (_, e) = g.lookup("微软").unwrap();
        assert_eq!(
            (e.name.as_str(), e.name_en.as_deref()),
            ("微软", Some("Microsoft"))
        );
        // Traditional aliases are stored in their normalised (Simplified) form.
        let (_, e) = g.lookup(&normalise_form("輝達")).unwrap();
        assert_eq!(e.name, "英伟达");
        assert_eq!(
            g.lookup("马斯克").unwrap().1.name_en.as_deref(),
            Some("Elon Musk")
        );
    }

    #[test]
    fn longest_match_on_word_boundaries() {
        let f = found("中國銀行與微軟合作,Googleplex不算,Google算。");
        let names: Vec<&str> = f.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(names, vec!["中国银行", "微软", "Google"]);
        assert_eq!(f[0].1, EntityType::Org);
    }

    #[test]
    fn weak_aliases_need_support() {
        assert!(found("我喜欢吃苹果。").is_empty());
        assert!(found("微博客户端更新了。").is_empty());
        assert_eq!(found("苹果公司发布新品,苹果股价上涨。").len(), 2);
        assert_eq!(found("苹果股价上涨。").len(), 1);
    }

    #[test]
    fn places_in_english() {
        let f =
            found("a Hong Kong investment firm filed with the Securities and Exchange Commission.");
        let names: Vec<&str> = f.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            names,
            vec!["Hong Kong", "Securities and Exchange Commission"]
        );
    }
}
