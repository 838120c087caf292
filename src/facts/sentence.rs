//! A sentence as the fact frames see it: its clauses, and the entity mentions in it with the
//! little word that marks each one's grammatical part (被 X, 向 X, 将 X, by X, from X).
//!
//! Definite phrases that point back to an organisation (`该公司`, `the company`; the table
//! `data/fact_anaphors.tsv`) become mentions of the nearest organisation named before them in
//! the paragraph.
//!
//! Also resolves the first-person pronoun inside a quotation to the quoted person
//! (`Ling 发声:"...我从 Scale AI 离职..."` -> 我 = Ling), since news reports personal moves
//! in the person's own words.


use super::cues::{Cue, CueSet, Hit};
use super::words::words;

use crate::document::{Document, EntityType, NSpan};
use crate::segment::Token;
use crate::table::{cell_value, check_cell, rows, TableCell, TableError};

/// An entity mention placed in the text: span, index into `doc.entities`, type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Placed {
    pub span: NSpan,
    pub entity: usize,
    pub kind: EntityType,
}

/// The function word right before a mention, which tells its part in the clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    /// 被 / 遭 / by: the agent of a passive.
    Passive,
    /// 将 / 把: the object of the 把-construction.
    Ba,
    /// 向 / 对 / 给 / 与 / with / to / against: a recipient or counterpart.
    Dative,
    /// 从 / 自 / 在 / 于 / from / at / in: a source or place (从X离职, 在港交所上市).
    Oblique,
    None,
}

/// Every mention of the document, and the quoted-speaker pronouns, sorted by position.
#[cfg(test)]
pub(crate) fn placed_mentions(
    text: &str,
    doc: &Document,
    paragraphs: &[NSpan],
    sentences: &[NSpan],
) -> Vec<Placed> {
    let hits = anaphors().find(text, (0, text.len()));
    placed_mentions_with(text, doc, paragraphs, sentences, &hits)
}

/// [`placed_mentions`] with the anaphor cues of the whole text found already (`anaphor_hits`:
/// [`anaphors`]' matches in the whole text).
pub(crate) fn placed_mentions_with(
    text: &str,
    doc: &Document,
    paragraphs: &[NSpan],
    sentences: &[NSpan],
    anaphor_hits: &[Hit],
) -> Vec<Placed> {
    let mut out: Vec<Placed> = doc
        .entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind != EntityType::Loc)
        .flat_map(|(i, e)| {
            e.mentions.iter().map(move |m| Placed {
                span: m.nspan,
                entity: i,
                kind: e.kind,
            })
        })
        .filter(|p| p.span.0 < p.span.1 && p.span.1 <= text.len())
        .collect();
    out.sort_by_key(|p| (p.span.0, std::cmp::Reverse(p.span.1)));
    // Anaphors are looked for before descriptors go: 公司 inside 泰国网文公司OBU is part of
    // a description, not a word of its own.
    let named = out.clone();
    drop_descriptors(text, &mut out);
    drop_bylines(text, &mut out);
    let speakers = quoted_first_person(text, &out, paragraphs, sentences);
    let anaphors = definite_anaphors(text, &out, &named, paragraphs, anaphor_hits);
    out.extend(speakers);
    out.extend(anaphors);
    out.sort_by_key(|p| (p.span.0, std::cmp::Reverse(p.span.1)));
    out
}


fn drop_bylines(text: &str, mentions: &mut Vec<Placed>) {
    mentions.retain(|m| {
        let before = text.get(..m.span.0).unwrap_or("").trim_end();
        let before = before.strip_suffix("实习").unwrap_or(before);
        !(m.kind == EntityType::Person
            && words().byline.iter().any(|w| {
                before.len() >= w.len()
                    && before.is_char_boundary(before.len() - w.len())
                    && before[before.len() - w.len()..].eq_ignore_ascii_case(w)
            }))
    });
}


/// A mention standing right before another one and ending in a class noun describes it
/// (估值20亿美元的AI初创公司Mercor): only the name counts.
fn drop_descriptors(text: &str, mentions: &mut Vec<Placed>) {
    let mut keep = vec![true; mentions.len()];
    for i in 0..mentions.len().saturating_sub(1) {
        let (a, b) = (&mentions[i], &mentions[i + 1]);
        let gap = text.get(a.span.1..b.span.0).unwrap_or("x");
        let name = text.get(a.span.0..a.span.1).unwrap_or("");
        if a.entity != b.entity
            && gap.trim().is_empty()
            && words().descriptor_end.iter().any(|d| name.ends_with(d.as_str()))
        {
            keep[i] = false;
        }
    }
    let mut it = keep.into_iter();
    mentions.retain(|_| it.next().unwrap_or(true));
}

/// `我` inside a quotation opened right after a PERSON mention of the same sentence
/// becomes a mention of that person.
fn quoted_first_person(
    text: &str,
    mentions: &[Placed],
    paragraphs: &[NSpan],
    sentences: &[NSpan],
) -> Vec<Placed> {
    let mut out = Vec::new();
    for &(ps, pe) in paragraphs {
        let Some(par) = text.get(ps..pe) else {
            continue;
        };
        let mut speaker: Option<Placed> = None;
        for (off, c) in quote_marks_and_i(par) {
            let at = ps + off;
            match c {
                '“' => {
                    // Binary searches: a long document has many quotes and sentences.
                    let i = sentences.partition_point(|s| s.0 <= at);
                    let sent_start = i
                        .checked_sub(1)
                        .and_then(|i| sentences.get(i))
                        .map_or(ps, |s| s.0);
                    let upto = mentions.partition_point(|m| m.span.0 < at);
                    let lo = mentions.partition_point(|m| m.span.0 < sent_start);
                    speaker = mentions
                        .get(lo..upto.max(lo))
                        .unwrap_or(&[])
                        .iter()
                        .rev()
                        .find(|m| m.kind == EntityType::Person && m.span.1 <= at)
                        .copied();
                }
                '”' => speaker = None,
                '我' => {
                    let plural = par[off + c.len_utf8()..].starts_with('们');
                    if let (Some(sp), false) = (speaker, plural) {
                        out.push(Placed {
                            span: (at, at + c.len_utf8()),
                            entity: sp.entity,
                            kind: sp.kind,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The characters of `text` that [`quoted_first_person`] acts on (`“` `”` `我`), with
/// their byte offsets, in order: the quotes by their lead byte 0xE2 (never inside a
/// character, and rare in Chinese text), 我 by a search for its three bytes, the two
/// streams merged, not by decoding every character (0xE6, 我's lead byte, leads a sixth
/// of all Han characters).
fn quote_marks_and_i(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut quotes = memchr::memchr_iter(0xE2, bytes)
        .filter_map(move |off| match bytes.get(off..off + 3)? {
            [0xE2, 0x80, 0x9C] => Some((off, '“')),
            [0xE2, 0x80, 0x9D] => Some((off, '”')),
            _ => None,
        })
        .peekable();
    let mut mine = memchr::memmem::find_iter(bytes, "我".as_bytes())
        .map(|off| (off, '我'))
        .peekable();
    std::iter::from_fn(move || match (quotes.peek(), mine.peek()) {
        (Some(q), Some(m)) if m.0 < q.0 => mine.next(),
        (Some(_), _) => quotes.next(),
        (None, _) => mine.next(),
    })
}

/// The organisation a paragraph is about: the one with most mentions in it (anaphors
/// included), the first named on a tie; none when it names no organisation.
pub(crate) fn paragraph_topic(all: &[Placed], paragraph: NSpan) -> Option<usize> {
    let a = all.partition_point(|m| m.span.0 < paragraph.0);
    let b = all.partition_point(|m| m.span.0 < paragraph.1);
    let orgs = all
        .get(a..b.max(a))
        .unwrap_or(&[])
        .iter()
        .filter(|m| m.kind == EntityType::Org);
    // entity -> (count, first mention)
    let mut counts: std::collections::HashMap<usize, (usize, usize)> = Default::default();
    for m in orgs {
        counts.entry(m.entity).or_insert((0, m.span.0)).0 += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(_, (n, first))| (n, std::cmp::Reverse(first)))
        .map(|(e, _)| e)
}

/// What an anaphor of `data/fact_anaphors.tsv` refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refers {
    Org,
    Person,
    /// Several organisations, this many (这两家公司, the two companies): see
    /// [`plural_parties`].
    Orgs(u8),
}

/// Parses `data/fact_anaphors.tsv` (phrase, refers, except); an unknown referent or a
/// missing or extra column is an error with file and line.
pub(crate) fn parse_anaphors(
    file: &'static str,
    text: &'static str,
) -> Result<CueSet<Refers>, TableError> {
    let mut entries = Vec::new();
    for r in rows(file, text) {
        r.at_most(3)?;
        let phrase = r.cell(0, "phrase")?;
        let refers = match r.cell(1, "refers")? {
            "org" => Refers::Org,
            "person" => Refers::Person,
            "orgs2" => Refers::Orgs(2),
            "orgs3" => Refers::Orgs(3),
            bad => {
                return Err(r.error(format!(
                    "unknown referent {bad:?} (org, person, orgs2, orgs3)"
                )))
            }
        };
        let except = r.cell(2, "except")?;
        entries.push((Cue::parse(phrase, except), refers));
    }
    Ok(CueSet::new(entries))
}

fn anaphor_table() -> Result<CueSet<Refers>, TableError> {
    let (file, text) = crate::data_table!("fact_anaphors.tsv");
    parse_anaphors(file, text)
}

/// Loads `data/fact_anaphors.tsv`, for [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), TableError> {
    check_cell(&ANAPHORS)
}

/// The anaphors of `data/fact_anaphors.tsv`, in one automaton.
static ANAPHORS: TableCell<CueSet<Refers>> = TableCell::new(anaphor_table);

/// The anaphors of `data/fact_anaphors.tsv`.
pub(crate) fn anaphors() -> &'static CueSet<Refers> {
    cell_value(&ANAPHORS)
}


/// Does an anaphor `phrase` say company (该公司, the company)? Then only a name with a
/// company's head fits it ([`has_company_head`]); any name fits one that does not.
fn says_company(phrase: &str) -> bool {
    let phrase = super::words::lowercase(phrase);
    words()
        .company_word
        .iter()
        .any(|x| phrase.contains(x.as_str()))
}

/// Does `name` end in a company's head (…有限公司, Acme Corp.)?
fn has_company_head(name: &str) -> bool {
    let name = super::words::lowercase(name);
    words()
        .company_head
        .iter()
        .any(|h| name.trim_end_matches('.').ends_with(h.as_str()))
}

/// A test of a mention computed at most once per anaphor search: the anaphors of a long
/// paragraph walk back over the same mentions again and again.
struct Memo(Vec<std::cell::OnceCell<bool>>);

impl Memo {
    fn new(n: usize) -> Memo {
        Memo(vec![std::cell::OnceCell::new(); n])
    }

    fn get(&self, i: usize, test: impl FnOnce() -> bool) -> bool {
        match self.0.get(i) {
            Some(cell) => *cell.get_or_init(test),
            None => test(),
        }
    }
}

fn oblique(text: &str, m: &Placed) -> bool {
    let before = text.get(..m.span.0).unwrap_or("").trim_end();
    let before = before.strip_suffix("the").unwrap_or(before).trim_end();
    words().oblique_before.iter().any(|w| {
        before.ends_with(w.as_str())
            && (!w.is_ascii()
                || !before[..before.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric()))
    })
}

/// `该公司` / `the company` / `its` / `he` becomes a mention of the entity it refers to: the
/// nearest organisation (person) named before it in the same paragraph, an organisation that
/// is no oblique object first, so a fact told of the anaphor gets that party.
fn definite_anaphors(
    text: &str,
    mentions: &[Placed],
    named: &[Placed],
    paragraphs: &[NSpan],
    hits: &[Hit],
) -> Vec<Placed> {
    let mut out = Vec::new();
    let anaphors = cell_value(&ANAPHORS);
    let oblique_at = Memo::new(mentions.len());
    let head_at = Memo::new(mentions.len());
    let is_oblique = |i: usize| oblique_at.get(i, || oblique(text, &mentions[i]));
    let is_company = |i: usize| {
        let m = &mentions[i];
        head_at.get(i, || has_company_head(text.get(m.span.0..m.span.1).unwrap_or("")))
    };
    for &h in hits {
        let (a, b) = (h.start, h.end);
        // Not when the phrase is part of a name the recognisers found.
        let upto = named.partition_point(|p| p.span.0 < b);
        if named[..upto]
            .iter()
            .rev()
            .take(8)
            .any(|p| p.span.0 < b && a < p.span.1)
        {
            continue;
        }
        let i = paragraphs.partition_point(|p| p.0 <= a);
        let par_start = i
            .checked_sub(1)
            .and_then(|i| paragraphs.get(i))
            .map_or(0, |p| p.0);
        let upto = mentions.partition_point(|p| p.span.0 < a);
        // The mentions before the anaphor in its paragraph, nearest first, by index.
        let earlier = || {
            (0..upto)
                .rev()
                .take_while(|&i| mentions[i].span.0 >= par_start)
                .filter(|&i| mentions[i].span.1 <= a)
        };
        let org = |i: &usize| mentions[*i].kind == EntityType::Org;
        if let Refers::Orgs(n) = anaphors.rows[h.row] {
            // 云雀出行、乐途租车两家公司: right after a name the count is an apposition to
            // the names before it, which are parties already.
            let apposition = upto
                .checked_sub(1)
                .and_then(|i| mentions.get(i))
                .is_some_and(|m| text.get(m.span.1..a).is_some_and(|g| g.trim().is_empty()));
            if apposition {
                continue;
            }
            let wants_head = says_company(text.get(a..b).unwrap_or(""));
            let candidates: Vec<(usize, bool)> = earlier()
                .filter(|i| org(i) && !is_oblique(*i))
                .map(|i| (mentions[i].entity, wants_head && is_company(i)))
                .collect();
            out.extend(
                plural_parties(&candidates, usize::from(n))
                    .into_iter()
                    .map(|entity| Placed {
                        span: (a, b),
                        entity,
                        kind: EntityType::Org,
                    }),
            );
            continue;
        }
        let antecedent = match anaphors.rows[h.row] {
            // 该公司 means a company: a name with a company's head (…有限公司, Acme Corp)
            // before a website or brand named in between (“飞华健康网”).
            Refers::Org => {
                let wants_head = says_company(text.get(a..b).unwrap_or(""));
                earlier()
                    .find(|i| org(i) && !is_oblique(*i) && (!wants_head || is_company(*i)))
                    .or_else(|| earlier().find(|i| org(i) && !is_oblique(*i)))
                    .or_else(|| earlier().find(org))
            }
            Refers::Person => earlier().find(|&i| mentions[i].kind == EntityType::Person),
            Refers::Orgs(_) => None,
        }
        .map(|i| mentions[i]);
        if let Some(ante) = antecedent {
            out.push(Placed {
                span: (a, b),
                entity: ante.entity,
                kind: ante.kind,
            });
        }
    }
    out
}

/// The `n` organisations a counted plural (这两家公司) refers to, in the order they were
/// named, from the organisations named before it in its paragraph (`candidates`: entity and
/// whether its name has a company head the phrase asks for, nearest first). The nearest `n`
/// with a company's head when there are that many (快看世界(北京)科技有限公司 and 北京四月星空…
/// 有限公司 before 对这2家公司分别罚款); else only when the paragraph named exactly `n`
/// organisations before it, so that the reading is never a guess among more. None when
/// neither holds.
fn plural_parties(candidates: &[(usize, bool)], n: usize) -> Vec<usize> {
    let distinct = |headed_only: bool| {
        let mut v: Vec<usize> = Vec::new();
        for &(e, headed) in candidates {
            if (headed || !headed_only) && !v.contains(&e) {
                v.push(e);
            }
        }
        v
    };
    let headed = distinct(true);
    let all = distinct(false);
    let mut chosen = if headed.len() >= n {
        headed[..n].to_vec()
    } else if all.len() == n {
        all
    } else {
        return Vec::new();
    };
    chosen.reverse();
    chosen
}

/// How many Chinese characters a marker may stand before its mention (向主播辛巴).
const MARKER_LOOKBACK: usize = 12;

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// The bytes that start a character [`is_clause_break`] may take (the ASCII marks, and the
/// lead byte of `“` `”`).
const BREAK_BYTES: [bool; 256] = {
    let mut t = [false; 256];
    let marks = b";:()\"-,\xE2";
    let mut i = 0;
    while i < marks.len() {
        t[marks[i] as usize] = true;
        i += 1;
    }
    t
};

/// The characters of `body` that may break a clause (`;` `:` `“` `”` `(` `)` `"` `-` `,`),
/// with their byte offsets, in order: every other character is passed over a byte at a
/// time, not decoded. ASCII bytes never occur inside a multi-byte character, and `“` `”`
/// are found by their three bytes.
fn break_candidates(body: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = body.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&b) = bytes.get(i) {
            let at = i;
            i += 1;
            if !BREAK_BYTES[usize::from(b)] {
                continue;
            }
            if b.is_ascii() {
                return Some((at, char::from(b)));
            }
            match bytes.get(at + 1..at + 3) {
                Some([0x80, 0x9C]) => return Some((at, '“')),
                Some([0x80, 0x9D]) => return Some((at, '”')),
                _ => {}
            }
        }
        None
    })
}

fn is_clause_break(text: &str, at: usize, c: char) -> bool {
    match c {
        ';' | ':' | '“' | '”' | '(' | ')' | '"' => true,
        // The wire's dash between a headline and its story: `... TO BUY BANK - Acme said`.
        '-' => text[..at].ends_with(' ') && text[at + 1..].starts_with(' '),
        ',' => {
            // 816,000: a thousands separator is no clause break.
            let prev = text[..at].chars().next_back();
            let next = text[at + 1..].chars().next();
            !(prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit()))
        }
        _ => false,
    }
}

/// One sentence with its clauses and the mentions inside it.
pub(crate) struct Sentence<'a> {
    pub text: &'a str,
    pub span: NSpan,
    pub clauses: Vec<NSpan>,
    pub mentions: &'a [Placed],
    /// jieba tokens of the sentence (may be empty).
    pub tokens: &'a [Token],
    /// The organisation the paragraph is about (most mentioned, then first): the party of a
    /// clause that names none (Chinese zero anaphora: 净利润为73.81亿美元 after 台积电营收...).
    pub topic: Option<usize>,
}

impl<'a> Sentence<'a> {
    /// `all` must be sorted by start.
    pub(crate) fn new(
        text: &'a str,
        span: NSpan,
        all: &'a [Placed],
        tokens: &'a [Token],
    ) -> Sentence<'a> {
        let mut clauses = Vec::new();
        let mut start = span.0;
        if let Some(body) = text.get(span.0..span.1) {
            // A bracketed aside closed in the sentence (50亿美元(约合人民币330亿元)的罚款) is
            // inside its clause: the clause runs on across it. Once a `(` finds no `)` after
            // it, no later one can: the search is not repeated (linear in the sentence).
            let mut aside_end = 0;
            let mut closes_left = true;
            for (off, c) in break_candidates(body) {
                let at = span.0 + off;
                if off < aside_end {
                    continue;
                }
                if c == '(' && closes_left {
                    match body[off..].find(')') {
                        Some(close) => {
                            aside_end = off + close + 1;
                            continue;
                        }
                        None => closes_left = false,
                    }
                }
                if is_clause_break(text, at, c) {
                    if at > start {
                        clauses.push((start, at));
                    }
                    start = at + c.len_utf8();
                }
            }
        }
        if start < span.1 {
            clauses.push((start, span.1));
        }
        let a = all.partition_point(|m| m.span.0 < span.0);
        let b = all.partition_point(|m| m.span.0 < span.1);
        let mentions = all.get(a..b.max(a)).unwrap_or(&[]);
        Sentence {
            text,
            span,
            clauses,
            mentions,
            tokens,
            topic: None,
        }
    }

    /// The entities of every mention at `m`'s span: one for a name, several for a counted
    /// plural (这两家公司).
    pub(crate) fn entities_at(&self, m: &Placed) -> impl Iterator<Item = usize> + '_ {
        let span = m.span;
        self.mentions
            .iter()
            .filter(move |p| p.span == span)
            .map(|p| p.entity)
    }

    /// The clause holding byte `at` (the sentence when none does).
    pub(crate) fn clause_of(&self, at: usize) -> NSpan {
        self.clauses
            .iter()
            .copied()
            .find(|c| c.0 <= at && at < c.1)
            .unwrap_or(self.span)
    }

    /// The stretch a modal cue governs around byte `at`: like a clause, but quotation marks
    /// and brackets do not end it (将通过"直接上市"的方式上市).
    pub(crate) fn modal_clause_of(&self, at: usize) -> NSpan {
        let body = self.text.get(self.span.0..self.span.1).unwrap_or("");
        let mut start = self.span.0;
        let mut end = self.span.1;
        for (off, c) in break_candidates(body) {
            let pos = self.span.0 + off;
            if matches!(c, ',' | ';' | ':' | '-') && is_clause_break(self.text, pos, c) {
                if pos < at {
                    start = pos + 1;
                } else {
                    end = pos;
                    break;
                }
            }
        }
        (start, end)
    }

    /// Where the clause `n` comma-clauses before the one holding `at` starts (`,` `;` `:`
    /// count; a `;` always ends the search when `hard_semicolon`).
    pub(crate) fn clauses_back(&self, at: usize, n: usize, hard_semicolon: bool) -> usize {
        let head = self
            .text
            .get(self.span.0..at.min(self.span.1))
            .unwrap_or("");
        let mut seen = 0;
        // Only ASCII marks count: a byte search from the end finds them.
        let marks = head.bytes().enumerate().rev().filter(|(_, b)| matches!(b, b',' | b';' | b':'));
        for (off, b) in marks {
            let (pos, c) = (self.span.0 + off, char::from(b));
            if is_clause_break(self.text, pos, c) {
                if (c == ';' && hard_semicolon) || seen == n {
                    return pos + 1;
                }
                seen += 1;
            }
        }
        self.span.0
    }

    /// Is byte `at` inside a headline written in capitals, before the wire's dash (`MICRON
    /// <PMR> WILL ACQUIRE NUMEDCO - Micron Products Inc said ...`)? The story tells the same
    /// news with its names and figures; the headline's shorthand is read from the story.
    #[cfg(test)]
    pub(crate) fn in_shouted_headline(&self, at: usize) -> bool {
        let body = self.text.get(self.span.0..self.span.1).unwrap_or("");
        let Some(dash) = body.find(" - ") else {
            return false;
        };
        let head = &body[..dash];
        self.span.0 + dash > at
            && head.bytes().filter(u8::is_ascii_uppercase).count() >= 4
            && !head.bytes().any(|b| b.is_ascii_lowercase())
    }

    /// Where the shouted headline of the sentence ends (the byte of the wire's dash), if it
    /// starts with one: [`Sentence::in_shouted_headline`] of `at` is `at` before it. Told
    /// once for the sentence (the frames asked for every trigger, each a search of the
    /// whole sentence), and the dash found by its `-` byte, rare in Chinese text (the test
    /// `shouted_headline_end_is_where_in_shouted_headline_ends` holds the two together).
    pub(crate) fn shouted_headline_end(&self) -> Option<usize> {
        let body = self.text.get(self.span.0..self.span.1).unwrap_or("");
        let bytes = body.as_bytes();
        // The first ` - `: its `-` is the first `-` with a space either side.
        let dash = memchr::memchr_iter(b'-', bytes)
            .find(|&i| i > 0 && bytes[i - 1] == b' ' && bytes.get(i + 1) == Some(&b' '))?
            - 1;
        let head = &bytes[..dash];
        (head.iter().filter(|b| b.is_ascii_uppercase()).count() >= 4
            && !head.iter().any(u8::is_ascii_lowercase))
        .then_some(self.span.0 + dash)
    }

    /// Do `a` and `b` lie in the same clause?
    pub(crate) fn same_clause(&self, a: usize, b: usize) -> bool {
        self.clause_of(a) == self.clause_of(b)
    }

    /// The text between two byte offsets (empty when out of order).
    pub(crate) fn between(&self, a: usize, b: usize) -> &'a str {
        if a < b {
            self.text.get(a..b).unwrap_or("")
        } else {
            ""
        }
    }

    /// Character distance between two byte offsets.
    pub(crate) fn chars_between(&self, a: usize, b: usize) -> usize {
        self.between(a.min(b), a.max(b)).chars().count()
    }

    /// The marker word before a mention: right before it, or (Chinese) before a short
    /// title in front of it (向主播辛巴, 被美国证监会).
    pub(crate) fn marker(&self, m: &Placed) -> Marker {
        let before = self
            .text
            .get(self.span.0..m.span.0)
            .unwrap_or("")
            .trim_end();
        let gap_end = self.span.0 + before.len();
        for (n, (at, c)) in before.char_indices().rev().enumerate() {
            if n > MARKER_LOOKBACK || !is_cjk(c) {
                break;
            }
            // A marker further back counts only across nouns (向主播辛巴, not 在接受Meta).
            let at = self.span.0 + at;
            if n > 0 && !self.nouns_only(at + c.len_utf8(), gap_end) {
                continue;
            }
            let mark = match c {
                '被' | '遭' | '由' => Marker::Passive,
                '将' | '把' => Marker::Ba,
                '向' | '对' | '给' | '与' | '同' | '跟' => Marker::Dative,
                '从' | '自' | '在' | '于' => Marker::Oblique,
                '的' | '是' | '为' => break,
                _ => continue,
            };
            return mark;
        }
        // by the SEC, from its parent: skip one determiner.
        let mut words = before
            .rsplit(|c: char| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty());
        let mut word = words.next().unwrap_or("").to_ascii_lowercase();
        if matches!(
            word.as_str(),
            "the" | "its" | "a" | "an" | "their" | "his" | "her"
        ) && before.ends_with(|c: char| c.is_ascii_alphabetic())
        {
            word = words.next().unwrap_or("").to_ascii_lowercase();
        }
        if !before.ends_with(|c: char| c.is_ascii_alphabetic()) {
            return Marker::None;
        }
        match word.as_str() {
            "by" => Marker::Passive,
            // told the SEC: the one told is an addressee, not the doer.
            "with" | "to" | "against" | "told" | "tells" | "telling" => Marker::Dative,
            "from" | "at" | "on" | "in" => Marker::Oblique,
            _ => Marker::None,
        }
    }

    /// Is `[a, b)` made of whole nominal tokens (jieba n*, vn 主播, b 前任, j)? False
    /// without tokens.
    fn nouns_only(&self, a: usize, b: usize) -> bool {
        let nominal = |t: &&Token| t.pos.starts_with('n') || matches!(t.pos, "vn" | "b" | "j");
        let inside: Vec<&Token> = self
            .tokens
            .iter()
            .filter(|t| t.start < b && a < t.end)
            .collect();
        !inside.is_empty()
            && inside
                .iter()
                .all(|t| t.start >= a && t.end <= b && nominal(t))
    }

    /// Mentions of persons and organisations starting in `[a, b)`.
    pub(crate) fn mentions_in(&self, a: usize, b: usize) -> impl Iterator<Item = &'a Placed> + '_ {
        self.mentions
            .iter()
            .filter(move |m| m.span.0 >= a && m.span.0 < b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Entity, Mention};

    fn doc_with(text: &str, names: &[(&str, EntityType)]) -> Document {
        let mut doc = Document::default();
        for (i, (name, kind)) in names.iter().enumerate() {
            let mentions = text
                .match_indices(name)
                .map(|(s, n)| Mention::at((s, s + n.len())))
                .collect();
            doc.entities.push(Entity {
                id: format!("E{}", i + 1),
                kind: *kind,
                name: name.to_string(),
                name_en: None,
                mentions,
            });
        }
        doc
    }

    /// The clause scans as they were, a character at a time: the byte-skipping ones must
    /// cut every sentence where they did.
    fn clauses_by_chars(text: &str, span: NSpan) -> Vec<NSpan> {
        let mut clauses = Vec::new();
        let mut start = span.0;
        let body = &text[span.0..span.1];
        let mut aside_end = 0;
        let mut closes_left = true;
        for (off, c) in body.char_indices() {
            let at = span.0 + off;
            if off < aside_end {
                continue;
            }
            if c == '(' && closes_left {
                match body[off..].find(')') {
                    Some(close) => {
                        aside_end = off + close + 1;
                        continue;
                    }
                    None => closes_left = false,
                }
            }
            if is_clause_break(text, at, c) {
                if at > start {
                    clauses.push((start, at));
                }
                start = at + c.len_utf8();
            }
        }
        if start < span.1 {
            clauses.push((start, span.1));
        }
        clauses
    }

    fn modal_clause_by_chars(s: &Sentence<'_>, at: usize) -> NSpan {
        let body = &s.text[s.span.0..s.span.1];
        let (mut start, mut end) = s.span;
        for (off, c) in body.char_indices() {
            let pos = s.span.0 + off;
            if matches!(c, ',' | ';' | ':' | '-') && is_clause_break(s.text, pos, c) {
                if pos < at {
                    start = pos + 1;
                } else {
                    end = pos;
                    break;
                }
            }
        }
        (start, end)
    }

    fn clauses_back_by_chars(s: &Sentence<'_>, at: usize, n: usize, hard: bool) -> usize {
        let head = s.text.get(s.span.0..at.min(s.span.1)).unwrap_or("");
        let mut seen = 0;
        for (off, c) in head.char_indices().rev() {
            let pos = s.span.0 + off;
            if matches!(c, ',' | ';' | ':') && is_clause_break(s.text, pos, c) {
                if (c == ';' && hard) || seen == n {
                    return pos + 1;
                }
                seen += 1;
            }
        }
        s.span.0
    }

    /// Calls `f` with the sentence of every span of `t` between character boundaries (no
    /// mentions, no amounts), and the boundaries.
    fn for_each_span(t: &str, mut f: impl FnMut(&Sentence<'_>, &[usize])) {
        let ends: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
        for (k, &a) in ends.iter().enumerate() {
            for &b in &ends[k..] {
                f(&Sentence::new(t, (a, b), &[], &[]), &ends);
            }
        }
    }

    #[test]
    fn byte_scans_cut_clauses_where_the_character_scans_did() {
        let texts = [
            "Scale AI一纸诉状,将Eugene Ling告上法庭,816,000 shares were bought by Acme.",
            "谷歌不得不向欧盟交付50亿美元(约合人民币330亿元)的罚款,使净利润受损。",
            "张伟发声:“上个月,我从字节跳动离职并加入智谱。”他说;“很好”",
            "ACME TO BUY BANK - Acme said (it would) pay 5 dlrs, or 1,000 shares; \"done\": yes-no",
            "(未闭合的括号,然后(闭合的)还有),逗号é—破折号–“引号”…𠀀,末尾,",
            "a(b)c(d,e",
            ",,,;;::--",
            "",
        ];
        for t in texts {
            for_each_span(t, |s, ends| {
                let (a, b) = s.span;
                assert_eq!(s.clauses, clauses_by_chars(t, (a, b)), "{a}..{b} {t}");
                for &at in ends.iter().filter(|&&at| at >= a) {
                    assert_eq!(s.modal_clause_of(at), modal_clause_by_chars(s, at), "{t}");
                    for n in 0..3 {
                        for hard in [false, true] {
                            assert_eq!(
                                s.clauses_back(at, n, hard),
                                clauses_back_by_chars(s, at, n, hard),
                                "{a}..{b} {at} {t}"
                            );
                        }
                    }
                }
            });
        }
    }

    /// The headline's end told once for a sentence answers [`Sentence::in_shouted_headline`]
    /// for every byte, on every span of awkward texts (dashes without spaces, several
    /// dashes, lower case, full-width and non-BMP characters, the empty text).
    #[test]
    fn shouted_headline_end_is_where_in_shouted_headline_ends() {
        let texts = [
            "MICRON <PMR> WILL ACQUIRE NUMEDCO - Micron Products Inc said it would buy it.",
            "ACME TO BUY BANK - Acme - said - yes",
            "Acme To Buy Bank - Acme said",
            "ABC - DEF - ghi",
            "A-B-C-D - E",
            "-  - ABCD - x",
            " - ABCD",
            "ＡＢＣＤ收购 - 𠀀E",
            "台积电 ABCD 收购EFGH - 台积电表示",
            "ABCDé - ",
            "",
        ];
        for t in texts {
            for_each_span(t, |s, ends| {
                let end = s.shouted_headline_end();
                for &at in ends {
                    assert_eq!(
                        end.is_some_and(|e| e > at),
                        s.in_shouted_headline(at),
                        "{:?} {at} {t:?}",
                        s.span
                    );
                }
            });
        }
        let t = "ACME TO BUY BANK - Acme said";
        let s = Sentence::new(t, (0, t.len()), &[], &[]);
        assert_eq!(s.shouted_headline_end(), Some(16));
    }

    #[test]
    fn quote_marks_and_i_are_every_one_a_character_scan_finds() {
        for t in [
            "Ling在LinkedIn上发声:“上个月,我从Scale AI离职。我们很好。”",
            "“”我我们‘’\"我”“a我é𠀀我—…“",
            "戒截战我戊或戌成戎戍戏",
            "",
        ] {
            let by_chars: Vec<(usize, char)> = t
                .char_indices()
                .filter(|&(_, c)| matches!(c, '“' | '”' | '我'))
                .collect();
            assert_eq!(quote_marks_and_i(t).collect::<Vec<_>>(), by_chars, "{t}");
        }
    }

    #[test]
    fn quoted_first_person_is_the_speaker() {
        let text = "Ling在LinkedIn上发声:“上个月,我从Scale AI离职。我们很好。”";
        let doc = doc_with(
            text,
            &[
                ("Ling", EntityType::Person),
                ("Scale AI", EntityType::Org),
                ("LinkedIn", EntityType::Org),
            ],
        );
        let all = placed_mentions(text, &doc, &[(0, text.len())], &[(0, text.len())]);
        let wo = text.find('我').unwrap();
        assert!(all.iter().any(|p| p.span.0 == wo && p.entity == 0));
        assert_eq!(
            all.iter().filter(|p| p.entity == 0).count(),
            2,
            "我们 is not the speaker"
        );
    }

    #[test]
    fn descriptors_before_names_are_dropped() {
        let text = "估值已达20亿美元的AI初创公司Mercor。";
        let doc = doc_with(
            text,
            &[("AI初创公司", EntityType::Org), ("Mercor", EntityType::Org)],
        );
        let all = placed_mentions(text, &doc, &[(0, text.len())], &[(0, text.len())]);
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].entity, 1);
    }

    #[test]
    fn clauses_and_markers() {
        let text = "Scale AI一纸诉状,将Eugene Ling告上法庭,816,000 shares were bought by Acme.";
        let doc = doc_with(
            text,
            &[
                ("Scale AI", EntityType::Org),
                ("Eugene Ling", EntityType::Person),
                ("Acme", EntityType::Org),
            ],
        );
        let all = placed_mentions(text, &doc, &[(0, text.len())], &[(0, text.len())]);
        let s = Sentence::new(text, (0, text.len()), &all, &[]);
        assert_eq!(s.clauses.len(), 3);
        let marks: Vec<Marker> = s.mentions.iter().map(|m| s.marker(m)).collect();
        assert_eq!(marks, vec![Marker::None, Marker::Ba, Marker::Passive]);
    }
}
