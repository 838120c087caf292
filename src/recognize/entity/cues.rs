//! Rule cues for entity mentions, from `data/entity_cues.tsv`: person titles (CEO, 副总裁),
//! honorifics (Mr., Dr.), corporate suffixes (Inc., Labs, 集团), Chinese context words that
//! type a Latin name, given names, and the transliterated-name rule: a run of characters
//! typical of transliterated foreign names right before a verb of saying (米德哈强调) or
//! right after a title is a PERSON.

use rustc_hash::FxHashSet as HashSet;

use crate::data_table;
use crate::document::EntityType;
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};
use crate::segment::Segmented;
use crate::table::{rows, TableError};

/// The cue tables, parsed once.
#[derive(Debug, Default)]
pub struct Cues {
    pub titles: Vec<&'static str>,
    pub title_set: HashSet<&'static str>,
    /// The distinct byte lengths of `titles`, longest first (see [`title_before`]).
    pub title_lens: Vec<usize>,
    pub honorifics: HashSet<&'static str>,
    pub org_suffix: HashSet<&'static str>,
    pub org_suffix_zh: Vec<&'static str>,
    /// The last characters of `org_suffix_zh`, sorted: a name ending in none of them ends
    /// in no head (asked of every mention by `filters::reject`).
    pub org_suffix_zh_last: Vec<char>,
    pub org_after: Vec<&'static str>,
    pub org_before: Vec<&'static str>,
    pub org_noun: Vec<&'static str>,
    pub org_head: Vec<&'static str>,
    pub legal_form_zh: Vec<&'static str>,
    pub loc_after: Vec<&'static str>,
    pub loc_suffix: HashSet<&'static str>,
    pub speech: Vec<&'static str>,
    /// Words after a name that only a company takes, `_` read as a space (`'s shares`).
    pub company_after: Vec<String>,
    /// The Chinese cues of `company_after` (looked for at every character of a clause).
    pub company_after_zh: Vec<String>,
    /// The first characters of `company_after_zh`, sorted: most characters of a clause
    /// start none of those cues, which one binary search tells.
    pub company_after_zh_firsts: Vec<char>,
    /// Words right before a product or model name (新车型, launched).
    pub product_before: Vec<&'static str>,
    pub translit: HashSet<char>,
    /// `translit` as one bit per character of the Basic Multilingual Plane (8 KB), ASCII
    /// left out (never a transliteration character): the rule asks about every character
    /// of every text.
    pub(crate) translit_bmp: BmpBits,
    pub given: HashSet<&'static str>,
    pub stop: HashSet<&'static str>,
    pub connector: HashSet<&'static str>,
    pub biz_after: Vec<&'static str>,
    /// Kinds a place before them only locates (中国企业, 非洲国家): see `business::place_and_kind`.
    pub kind_after_place: Vec<&'static str>,
    /// Listed-company names in text (`gazetteer.rs`): heads after a brand (蔚来汽车), regions
    /// of a local arm (星巴克中国) and what the arm does next (表示), launch verbs (苹果推出),
    /// company heads (苹果公司), English words after and before a company name.
    pub name_head: Vec<&'static str>,
    pub arm_region: Vec<&'static str>,
    pub arm_verb: Vec<&'static str>,
    pub launch_after: Vec<&'static str>,
    pub company_head: Vec<&'static str>,
    pub company_after_en: Vec<String>,
    pub company_before_en: Vec<String>,
    pub headline_stop: HashSet<&'static str>,
    pub biz_object: Vec<&'static str>,
    pub biz_partner: Vec<&'static str>,
    /// Business names (`business.rs`): words between a name and its predicate (已经, 的,
    /// 上半年), predicates others than companies have (宣布, 收购), list joiners (`、`,
    /// ` and `), openers and heads of generic descriptions (一家 ... 公司), words before a
    /// product name (手机, its), words of a funding sentence (round, Series). Kept in table
    /// order: the first opener, head or product word that fits is taken.
    pub link_word: Vec<&'static str>,
    /// The gap of a tagger span `A <gap> B` between two listed names (京东与美团).
    pub name_coordinator: Vec<&'static str>,
    /// Titles right before a by-line name (记者, 通讯员; `edges.rs`).
    pub byline_title: Vec<&'static str>,
    /// One-character place abbreviations in a `、` list and what may stand around the list
    /// (`abbrev.rs`).
    pub place_abbrev: Vec<&'static str>,
    /// The one-character entries of `place_abbrev` as characters, sorted (binary search).
    pub place_abbrev_chars: Vec<char>,
    pub abbrev_before: Vec<&'static str>,
    pub abbrev_after: Vec<&'static str>,
    pub abbrev_counted: Vec<&'static str>,
    /// Teams (`teams.rs`): joiners of a list of teams and of a pair in a match.
    pub team_joiner: Vec<&'static str>,
    pub match_joiner: Vec<&'static str>,
    pub general_predicate: Vec<&'static str>,
    pub list_joiner: Vec<String>,
    pub descriptor_opener: Vec<&'static str>,
    pub generic_head: Vec<&'static str>,
    /// Heads after `等` that close a list of fields, not of companies (投资过教育、医疗等领域;
    /// `business.rs`).
    pub field_head: Vec<&'static str>,
    pub product_word_before: Vec<&'static str>,
    pub funding_word: Vec<&'static str>,
    /// Places standing for their teams (`teams.rs`): team heads (队, 女排), words between a
    /// place and a team head (两, 等, 女), words for a match (比赛, 之战), and words before a
    /// list that make its places locations (在, 赴).
    pub team_head: Vec<&'static str>,
    pub team_modifier: Vec<&'static str>,
    pub match_word: Vec<&'static str>,
    pub locative_before: Vec<&'static str>,
    /// Last words of a periodical's title, and of titles that name a document instead
    /// (`periodicals.rs`).
    pub periodical_head: Vec<&'static str>,
    pub not_periodical: Vec<&'static str>,
}

fn load_cues() -> Result<Cues, TableError> {
    let (file, text) = data_table!("entity_cues.tsv");
    let mut c = Cues::default();
    for r in rows(file, text) {
        let kind = r.cell(0, "kind")?;
        r.cell(1, "cues")?;
        let values = r.cells[1..].iter().flat_map(|v| v.split_whitespace());
        match kind {
            "title" => c.titles.extend(values),
            "honorific" => c.honorifics.extend(values),
            "org_suffix" => c.org_suffix.extend(values),
            "org_suffix_zh" => c.org_suffix_zh.extend(values),
            "org_after" => c.org_after.extend(values),
            "org_before" => c.org_before.extend(values),
            "org_noun" => c.org_noun.extend(values),
            "org_head" => c.org_head.extend(values),
            "legal_form_zh" => c.legal_form_zh.extend(values),
            "loc_after" => c.loc_after.extend(values),
            "loc_suffix" => c.loc_suffix.extend(values),
            "speech" => c.speech.extend(values),
            "product_before" => c.product_before.extend(values),
            "company_after" => c.company_after.extend(values.map(|v| v.replace('_', " "))),
            "translit" => c.translit.extend(values.flat_map(str::chars)),
            "given" => c.given.extend(values),
            "stop" => c.stop.extend(values),
            "connector" => c.connector.extend(values),
            "biz_after" => c.biz_after.extend(values),
            "kind_after_place" => c.kind_after_place.extend(values),
            "name_head" => c.name_head.extend(values),
            "arm_region" => c.arm_region.extend(values),
            "arm_verb" => c.arm_verb.extend(values),
            "launch_after" => c.launch_after.extend(values),
            "company_head" => c.company_head.extend(values),
            "company_after_en" => c.company_after_en.extend(values.map(|v| v.replace('_', " "))),
            "company_before_en" => c.company_before_en.extend(values.map(|v| v.replace('_', " "))),
            "headline_stop" => c.headline_stop.extend(values),
            "biz_object" => c.biz_object.extend(values),
            "biz_partner" => c.biz_partner.extend(values),
            "team_head" => c.team_head.extend(values),
            "team_modifier" => c.team_modifier.extend(values),
            "match_word" => c.match_word.extend(values),
            "locative_before" => c.locative_before.extend(values),
            "periodical_head" => c.periodical_head.extend(values),
            "not_periodical" => c.not_periodical.extend(values),
            "team_joiner" => c.team_joiner.extend(values),
            "match_joiner" => c.match_joiner.extend(values),
            "name_coordinator" => c.name_coordinator.extend(values),
            "byline_title" => c.byline_title.extend(values),
            "place_abbrev" => c.place_abbrev.extend(values),
            "abbrev_before" => c.abbrev_before.extend(values),
            "abbrev_after" => c.abbrev_after.extend(values),
            "abbrev_counted" => c.abbrev_counted.extend(values),
            "link_word" => c.link_word.extend(values),
            "general_predicate" => c.general_predicate.extend(values),
            "list_joiner" => c.list_joiner.extend(values.map(|v| v.replace('_', " "))),
            "descriptor_opener" => c.descriptor_opener.extend(values),
            "generic_head" => c.generic_head.extend(values),
            "field_head" => c.field_head.extend(values),
            "product_word_before" => c.product_word_before.extend(values),
            "funding_word" => c.funding_word.extend(values),
            other => return Err(r.error(format!("unknown kind {other:?}"))),
        }
    }
    c.title_set = c.titles.iter().copied().collect();
    c.place_abbrev_chars = c
        .place_abbrev
        .iter()
        .filter_map(|s| {
            let mut chars = s.chars();
            chars.next().filter(|_| chars.next().is_none())
        })
        .collect();
    c.place_abbrev_chars.sort_unstable();
    c.place_abbrev_chars.dedup();
    c.org_suffix_zh_last = c
        .org_suffix_zh
        .iter()
        .filter_map(|s| s.chars().next_back())
        .collect();
    c.org_suffix_zh_last.sort_unstable();
    c.org_suffix_zh_last.dedup();
    for &ch in &c.translit {
        if !ch.is_ascii() {
            c.translit_bmp.insert(ch);
        }
    }
    c.title_lens = c.titles.iter().map(|t| t.len()).collect();
    c.title_lens.sort_unstable_by(|a, b| b.cmp(a));
    c.title_lens.dedup();
    c.company_after.sort_by_key(|s| std::cmp::Reverse(s.len()));
    c.company_after_zh = c
        .company_after
        .iter()
        .filter(|s| !s.is_ascii())
        .cloned()
        .collect();
    c.company_after_zh_firsts = c
        .company_after_zh
        .iter()
        .filter_map(|s| s.chars().next())
        .collect();
    c.company_after_zh_firsts.sort_unstable();
    c.company_after_zh_firsts.dedup();
    // Longest first, so `ends_with_any` reports the longest cue.
    for list in [
        &mut c.titles,
        &mut c.org_suffix_zh,
        &mut c.org_after,
        &mut c.org_before,
        &mut c.org_noun,
        &mut c.org_head,
        &mut c.legal_form_zh,
        &mut c.speech,
        &mut c.biz_after,
        &mut c.biz_object,
        &mut c.product_before,
        &mut c.name_head,
        &mut c.arm_region,
        &mut c.team_head,
        &mut c.team_modifier,
        &mut c.match_word,
        &mut c.locative_before,
        &mut c.periodical_head,
        &mut c.not_periodical,
    ] {
        list.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
    Ok(c)
}

/// Reads this module's table (for [`crate::table::check_all`]).
pub fn check() -> Result<(), TableError> {
    crate::table::check_cell(&CUES)
}

static CUES: crate::table::TableCell<Cues> = crate::table::TableCell::new(load_cues);

/// The process-wide cue tables.
#[inline]
pub fn cues() -> &'static Cues {
    &CUES
}

/// The first cue of `list` that `hay` starts with.
pub fn starts_with_any(hay: &str, list: &[&'static str]) -> Option<&'static str> {
    let h = hay.as_bytes();
    list.iter()
        .copied()
        .find(|c| starts_with_bytes(h, c.as_bytes()))
}

/// `hay.starts_with(cue)` byte by byte: this is asked at every character of a document for
/// every cue of a list, and most cues differ from the text in the first byte or two, where
/// a call to `memcmp` per cue cost more than the comparison (5% of a Chinese run).
#[inline]
pub(crate) fn starts_with_bytes(hay: &[u8], cue: &[u8]) -> bool {
    cue.len() <= hay.len() && cue.iter().zip(hay).all(|(a, b)| a == b)
}

/// The code point starting at byte `at` of `bytes` (the bytes of a `str`, `at` on a
/// character boundary) and its length in bytes; `None` at the end. Valid UTF-8 needs no
/// checks, so this takes about half the steps of `char_indices` (some 24 instructions a Han
/// character), which the scans over every character of a document (business cues,
/// transliterated names) spent most of their time in.
#[inline(always)]
pub(crate) fn code_point_at(bytes: &[u8], at: usize) -> Option<(u32, usize)> {
    let low = |b: u8| u32::from(b & 0x3F);
    match *bytes.get(at..)? {
        [x, ..] if x < 0x80 => Some((u32::from(x), 1)),
        [x, y, ..] if x < 0xE0 => Some(((u32::from(x & 0x1F) << 6) | low(y), 2)),
        [x, y, z, ..] if x < 0xF0 => Some((
            (u32::from(x & 0x0F) << 12) | (low(y) << 6) | low(z),
            3,
        )),
        [x, y, z, w, ..] => Some((
            (u32::from(x & 0x07) << 18) | (low(y) << 12) | (low(z) << 6) | low(w),
            4,
        )),
        _ => None,
    }
}

/// The first byte at or after `at` (a character boundary of `bytes`, the bytes of a `str`)
/// where a character whose code point satisfies `stop` starts, or `bytes.len()`.
/// Three-byte characters (all of Han, most of a Chinese text) take a path of their own
/// ahead of [`code_point_at`]; inlined so that each caller's `stop` (a bit-table test)
/// is compiled into the loop.
#[inline(always)]
pub(crate) fn first_code_point_where(
    bytes: &[u8],
    mut at: usize,
    stop: impl Fn(u32) -> bool,
) -> usize {
    loop {
        if let Some(&[x, y, z]) = bytes.get(at..at + 3) {
            if x & 0xF0 == 0xE0 {
                let u = (u32::from(x & 0x0F) << 12)
                    | (u32::from(y & 0x3F) << 6)
                    | u32::from(z & 0x3F);
                if stop(u) {
                    return at;
                }
                at += 3;
                continue;
            }
        }
        match code_point_at(bytes, at) {
            Some((u, len)) if !stop(u) => at += len,
            Some(_) => return at,
            None => return bytes.len(),
        }
    }
}

/// `(byte offset, code point)` of every character of a text, as `char_indices` gives
/// them (see [`code_point_at`]).
pub(crate) fn code_points(text: &str) -> CodePoints<'_> {
    CodePoints {
        bytes: text.as_bytes(),
        at: 0,
    }
}

/// The iterator of [`code_points`].
#[derive(Clone)]
pub(crate) struct CodePoints<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Iterator for CodePoints<'_> {
    type Item = (usize, u32);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, u32)> {
        let at = self.at;
        let (u, len) = code_point_at(self.bytes, at)?;
        self.at = at + len;
        Some((at, u))
    }
}

impl CodePoints<'_> {
    /// Goes on from byte `at` (a character boundary, not before where it is).
    #[inline(always)]
    pub(crate) fn skip_to(&mut self, at: usize) {
        self.at = self.at.max(at);
    }

    /// Passes over the characters for which `skip` holds, up to the next one for which it
    /// does not (or the end): a loop of a decoding and a test a character, without the
    /// caller's state, for the long stretches of text a scan has nothing to do in.
    ///
    /// Three-byte characters (all of Han) take a path of their own: one bounds check and
    /// no dispatch on the length, which halves the steps a Chinese character costs. Never
    /// inlined: in a function of its own the loop keeps its state in registers, where
    /// inlined into a large caller it spilled them to the stack every character.
    ///
    /// The three-byte loop walks a shrinking slice (one length test a character, no
    /// overflow test of an offset).
    #[inline(never)]
    pub(crate) fn pass_over(&mut self, skip: impl Fn(u32) -> bool) {
        let bytes = self.bytes;
        let mut at = self.at;
        loop {
            let mut rest = bytes.get(at..).unwrap_or(&[]);
            while let [x, y, z, tail @ ..] = rest {
                if x & 0xF0 != 0xE0 {
                    break;
                }
                let u = (u32::from(x & 0x0F) << 12)
                    | (u32::from(y & 0x3F) << 6)
                    | u32::from(z & 0x3F);
                if !skip(u) {
                    self.at = bytes.len() - rest.len();
                    return;
                }
                rest = tail;
            }
            at = bytes.len() - rest.len();
            match code_point_at(bytes, at) {
                Some((u, len)) if skip(u) => at += len,
                _ => break,
            }
        }
        self.at = at;
    }
}

/// The character of a code point that [`code_points`] read from a `str` (always one).
#[inline(always)]
pub(crate) fn char_of(u: u32) -> char {
    char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// A set of characters of the Basic Multilingual Plane as one bit each (8 KB), for the
/// scans that ask about every character of a text. A fixed-size table: a code point the
/// three-byte path of [`CodePoints::pass_over`] decodes (at most U+FFFF) needs no bounds
/// check.
#[derive(Clone)]
pub(crate) struct BmpBits(Box<[u64; BMP_WORDS]>);

/// The 64-bit words of a [`BmpBits`].
const BMP_WORDS: usize = 0x10000 / 64;

impl Default for BmpBits {
    fn default() -> Self {
        BmpBits(Box::new([0; BMP_WORDS]))
    }
}

impl std::fmt::Debug for BmpBits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n: u32 = self.0.iter().map(|w| w.count_ones()).sum();
        write!(f, "BmpBits({n} characters)")
    }
}

impl BmpBits {
    /// Adds `ch`; false (and nothing added) when it lies beyond the plane.
    pub(crate) fn insert(&mut self, ch: char) -> bool {
        let u = ch as usize;
        match self.0.get_mut(u / 64) {
            Some(word) => {
                *word |= 1 << (u % 64);
                true
            }
            None => false,
        }
    }

    /// Adds every character of `other`.
    pub(crate) fn add_all(&mut self, other: &BmpBits) {
        for (w, o) in self.0.iter_mut().zip(other.0.iter()) {
            *w |= o;
        }
    }

    /// Whether code point `u` is in the set; `None` beyond the plane.
    #[inline(always)]
    pub(crate) fn get(&self, u: u32) -> Option<bool> {
        let u = u as usize;
        self.0.get(u / 64).map(|word| word & (1 << (u % 64)) != 0)
    }
}

/// The first cue of `list` that `hay` ends with.
pub fn ends_with_any(hay: &str, list: &[&'static str]) -> Option<&'static str> {
    let h = hay.as_bytes();
    list.iter()
        .copied()
        .find(|c| ends_with_bytes(h, c.as_bytes()))
}

/// `hay.ends_with(cue)` byte by byte from the end, for the reason of [`starts_with_bytes`]:
/// this is asked of every mention (the organisation heads of `filters::reject`), and the
/// last byte of a cue rarely matches.
#[inline]
fn ends_with_bytes(hay: &[u8], cue: &[u8]) -> bool {
    cue.len() <= hay.len() && cue.iter().rev().zip(hay.iter().rev()).all(|(a, b)| a == b)
}

/// True when a person title ends right before byte `at` (spaces between allowed).
pub fn title_before(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("").trim_end_matches(' ');
    match longest_title_ending(before) {
        // A Latin title must be a whole word: `chairman John`, not `Xchairman John`.
        Some(t) => {
            t.starts_with(|c: char| !c.is_ascii_alphanumeric()) || {
                let head = &before[..before.len() - t.len()];
                !head.ends_with(|c: char| c.is_ascii_alphanumeric())
            }
        }
        None => false,
    }
}

/// The longest title `before` ends with: what `ends_with_any(before, &titles)` finds (the
/// list is sorted longest first), by one set look-up per title length instead of a
/// comparison per title (this is asked for every run of transliteration characters).
fn longest_title_ending(before: &str) -> Option<&'static str> {
    let c = cues();
    c.title_lens.iter().find_map(|&n| {
        let tail = before.get(before.len().checked_sub(n)?..)?;
        c.title_set.get(tail).copied()
    })
}

/// True when a person title starts at byte `at`, optionally after `的` and spaces.
pub fn title_after(text: &str, at: usize) -> bool {
    let after = text.get(at..).unwrap_or("").trim_start_matches(' ');
    let after = after
        .strip_prefix('的')
        .unwrap_or(after)
        .trim_start_matches(' ');
    match longest_title_starting(after) {
        Some(t) => {
            !t.ends_with(|c: char| c.is_ascii_alphanumeric())
                || !after[t.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// The longest title `after` starts with: what `starts_with_any(after, &titles)` finds (the
/// list is sorted longest first, and two titles of one length cannot both start a text),
/// by one set look-up per title length instead of a comparison per title (a hundred
/// titles; this is asked after every Latin name and listed company).
fn longest_title_starting(after: &str) -> Option<&'static str> {
    let c = cues();
    c.title_lens
        .iter()
        .find_map(|&n| c.title_set.get(after.get(..n)?).copied())
}

/// Whether `c` is a transliteration character of `set`. Called for every character of
/// every text, so the tables come from the caller (not one `cues()` look-up a character).
fn is_translit_char(set: &Cues, c: char) -> bool {
    is_translit_code(set, c as u32)
}

/// [`is_translit_char`] of a code point, as [`code_points`] reads them.
#[inline(always)]
pub(crate) fn is_translit_code(set: &Cues, u: u32) -> bool {
    // ASCII (all of an English text) never is one: the table holds none of it.
    match set.translit_bmp.get(u) {
        Some(yes) => yes,
        None => char::from_u32(u).is_some_and(|c| set.translit.contains(&c)),
    }
}

fn is_name_dot(c: char) -> bool {
    matches!(c, '·' | '•' | '・' | '‧')
}

/// The transliterated-name rule: pushes PERSON candidates for runs of transliteration
/// characters (joined by `·`) followed by a verb of saying, or preceded by a title.
pub fn find_transliterated(text: &str, seg: &Segmented, out: &mut Vec<MentionCandidate>) {
    find_transliterated_from(text, seg, None, out);
}

/// [`find_transliterated`], told where the transliteration characters of `text` are when
/// another scan of the text listed them (`at`, in order: the business rules' scan, see
/// `business::find_listing_translit`): outside a run the next one is looked up there, not
/// found by a pass over the characters between.
pub(crate) fn find_transliterated_from(
    text: &str,
    seg: &Segmented,
    at: Option<&[usize]>,
    out: &mut Vec<MentionCandidate>,
) {
    let c = cues();
    let mut listed = at.map(|a| a.iter().copied().peekable());
    let mut run_start: Option<usize> = None;
    let mut run_chars = 0usize;
    let mut after_dot = false;
    let mut chars = code_points(text);
    let mut ended = false;
    while !ended {
        // Outside a run (where `after_dot` is always false) only a transliteration
        // character matters: the rest is passed over without a closer look.
        if run_start.is_none() {
            match listed.as_mut() {
                Some(listed) => {
                    let here = chars.at;
                    while listed.next_if(|&a| a < here).is_some() {}
                    chars.skip_to(listed.peek().copied().unwrap_or(text.len()));
                }
                None => chars.pass_over(|u| !is_translit_code(c, u)),
            }
        }
        // A newline after the end closes the last run.
        let (i, ch) = match chars.next() {
            Some((i, u)) => (i, char_of(u)),
            None => {
                ended = true;
                (text.len(), '\n')
            }
        };
        // Right after `·` any Han character continues the name (德米特·列维特).
        let inside = is_translit_char(c, ch)
            || (run_start.is_some() && (is_name_dot(ch) || (after_dot && is_han(ch))));
        if inside {
            if run_start.is_none() {
                run_start = Some(i);
                run_chars = 0;
            }
            after_dot = is_name_dot(ch);
            run_chars += usize::from(!is_name_dot(ch));
            continue;
        }
        after_dot = false;
        let Some(start) = run_start.take() else {
            continue;
        };
        // Too short to be a name whatever stands around it (below): the many
        // one-character runs skip the trimming and the cue look-ups. (Trimming removes
        // only dots, which `run_chars` does not count.)
        if run_chars < 2 {
            continue;
        }
        let mut end = i;
        // A trailing dot is not part of the name.
        while let Some(last) = text[start..end]
            .chars()
            .next_back()
            .filter(|&l| is_name_dot(l))
        {
            end -= last.len_utf8();
        }
        let has_dot = text[start..end].contains(is_name_dot);
        if end <= start || run_chars > 8 || (!has_dot && run_chars > 5) {
            continue;
        }
        let said = starts_with_any(&text[end..], &c.speech).is_some();
        // After a title the name must end where a name can end (总理基里延科, not 基里).
        let titled = title_before(text, start) && ends_a_name(&text[end..]);
        let long_enough = run_chars >= 3 || (run_chars == 2 && titled);
        if !(said || titled) || !long_enough || is_common_word(seg, text, (start, end)) {
            continue;
        }
        let score = if said && titled { 0.8 } else { 0.7 };
        out.push(MentionCandidate {
            nspan: (start, end),
            kind: EntityType::Person,
            score,
            source: MentionSource::Rule,
        });
    }
}

/// True when a name can end right before `rest`: at the end, before a non-Han character, a
/// verb of saying or a function word.
fn ends_a_name(rest: &str) -> bool {
    match rest.chars().next() {
        None => true,
        Some(c) if !is_han(c) => true,
        Some(c) => {
            "的在和与是也已将对于从向把被就都还等及曾又".contains(c)
                || starts_with_any(rest, &cues().speech).is_some()
        }
    }
}

/// True when the span is exactly one jieba word whose tag says it is not a person name
/// (俄罗斯/ns, 阿里巴巴/nz...): such words are places and things, not transliterated people.
fn is_common_word(seg: &Segmented, text: &str, span: (usize, usize)) -> bool {
    let toks = seg.tokens_in(span);
    match toks {
        [t] if t.start == span.0 && t.end == span.1 => {
            !matches!(t.pos, "nr" | "nrt" | "nrfg" | "x" | "eng")
        }
        _ => text[span.0..span.1].chars().count() < 2,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn starts_with_any_is_the_first_cue_the_text_starts_with() {
        let list = ["营收", "营", "ab", "a", ""];
        for hay in ["营收为", "营业", "abc", "a", "", "x", "营"] {
            let plain = list.iter().copied().find(|c| hay.starts_with(c));
            assert_eq!(super::starts_with_any(hay, &list), plain, "{hay:?}");
        }
    }
    #[test]
    fn ends_with_any_is_the_first_cue_the_text_ends_with() {
        let list = ["收入", "入", "ab", "b", ""];
        for hay in ["营业收入", "收入", "投入", "xab", "b", "", "x", "入x"] {
            let plain = list.iter().copied().find(|c| hay.ends_with(c));
            assert_eq!(super::ends_with_any(hay, &list), plain, "{hay:?}");
        }
    }
    use super::*;
    use crate::segment::segment;

    /// Every Chinese company cue starts with one of the sorted first characters, so that a
    /// character not among them starts none (the gate of `gazetteer::company_context`).
    #[test]
    fn company_cue_firsts_hold_every_first_character() {
        let c = cues();
        assert!(!c.company_after_zh.is_empty());
        assert!(c.company_after_zh_firsts.windows(2).all(|w| w[0] < w[1]));
        for cue in &c.company_after_zh {
            let first = cue.chars().next().unwrap_or_default();
            assert!(c.company_after_zh_firsts.binary_search(&first).is_ok(), "{cue}");
        }
    }

    /// The scan of code points reads what `char_indices` reads, in 1- to 4-byte characters,
    /// and passing over characters stops at the first one not to pass over.
    #[test]
    fn code_points_are_char_indices() {
        let text = "Ab 中文·é,é…𠀋x\n营收¥12€ 𝒳";
        let plain: Vec<(usize, u32)> = text.char_indices().map(|(i, c)| (i, c as u32)).collect();
        assert_eq!(code_points(text).collect::<Vec<_>>(), plain);
        for stop in [0x4E2D, 0x20000 + 11, u32::from(b'x'), 0x1D4B3, 0x7FFF_FFFF] {
            let mut chars = code_points(text);
            chars.pass_over(|u| u != stop);
            let next = plain.iter().copied().find(|&(_, u)| u == stop);
            assert_eq!(chars.next(), next);
        }
        assert!(code_points("").next().is_none());
        for (_, u) in code_points(text) {
            assert_eq!(char_of(u) as u32, u);
        }
    }

    /// The table of transliteration characters answers what the set does, for every
    /// character (ASCII never), and a set of bits holds what was put in it.
    #[test]
    fn translit_table_is_the_set() {
        let c = cues();
        for u in (0..0x11000).step_by(1).chain([0x10FFFF]) {
            let plain = char::from_u32(u).is_some_and(|ch| !ch.is_ascii() && c.translit.contains(&ch));
            assert_eq!(is_translit_code(c, u), plain, "{u:#x}");
        }
        let mut bits = BmpBits::default();
        assert!(bits.insert('中') && bits.insert('a') && !bits.insert('𠀋'));
        assert_eq!(bits.get('中' as u32), Some(true));
        assert_eq!(bits.get('国' as u32), Some(false));
        assert_eq!(bits.get('𠀋' as u32), None);
    }

    /// The business rules' pass lists every transliteration character, and the rule told
    /// where they are finds what its own pass finds.
    #[test]
    fn listed_translit_characters_find_what_the_pass_finds() {
        let sample = crate::test_support::corpus_sample("zh_news.txt", 60_000);
        let texts = [
            "对此,桑德伯格强调,公司不会裁员。首席执行官布伦丹·富迪表示,我们会继续。",
            "合伙人德米特·列维特(DmitryLevit)说,总统卢拉说。𠀀索尔伯格表示·",
            "叶利钦与总理基里延科会见。英伟达营收增长,与微软达成合作。",
            "no Han here at all",
            sample.as_str(),
        ];
        let c = cues();
        for text in texts {
            let norm = crate::normalize::normalize(text).text;
            let seg = segment(&norm, true);
            let mut ruled = Vec::new();
            let listed = super::super::business::find_listing_translit(&norm, &seg, &mut ruled);
            let mut plain_ruled = Vec::new();
            super::super::business::find(&norm, &seg, &mut plain_ruled);
            assert_eq!(format!("{ruled:?}"), format!("{plain_ruled:?}"));
            let expected: Vec<usize> = norm
                .char_indices()
                .filter(|&(_, ch)| is_translit_char(c, ch))
                .map(|(i, _)| i)
                .collect();
            assert_eq!(listed.is_none(), !norm.chars().any(is_han), "{text}");
            if let Some(listed) = &listed {
                assert_eq!(listed, &expected, "{text}");
            }
            let mut plain = Vec::new();
            find_transliterated(&norm, &seg, &mut plain);
            let mut told = Vec::new();
            find_transliterated_from(&norm, &seg, Some(&expected), &mut told);
            assert_eq!(format!("{told:?}"), format!("{plain:?}"), "{text}");
        }
    }

    fn persons(text: &str) -> Vec<&str> {
        let seg = segment(text, true);
        let mut out = Vec::new();
        find_transliterated(text, &seg, &mut out);
        out.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect()
    }

    #[test]
    fn tables_load() {
        let c = cues();
        assert!(c.title_set.contains("副总裁") && c.title_set.contains("CEO"));
        assert!(c.org_suffix.contains("Labs") && c.honorifics.contains("Mr."));
        assert!(c.given.contains("Eugene") && c.translit.contains(&'斯'));
        for ch in ['斯', '克', '的', '中', 'A', 'é', '𠀋'] {
            assert_eq!(is_translit_char(c, ch), !ch.is_ascii() && c.translit.contains(&ch));
        }
    }

    #[test]
    fn longest_title_ending_is_the_first_title_in_list_order() {
        let c = cues();
        let mut hays: Vec<String> = vec![String::new(), "x".into(), "公司".into()];
        for t in &c.titles {
            for pre in ["", "副", "a", "总", "传播", "Mercor的"] {
                hays.push(format!("{pre}{t}"));
                // A cut inside the title: a shorter tail, maybe another title.
                let mut cut = t.len() / 2;
                while !t.is_char_boundary(cut) {
                    cut -= 1;
                }
                hays.push(format!("{pre}{}", &t[cut..]));
            }
        }
        for hay in &hays {
            assert_eq!(
                longest_title_ending(hay),
                ends_with_any(hay, &c.titles),
                "{hay:?}"
            );
        }
    }

    #[test]
    fn longest_title_starting_is_the_first_title_in_list_order() {
        let c = cues();
        let mut hays: Vec<String> = vec![String::new(), "x".into(), "公司".into()];
        for t in &c.titles {
            for post in ["", "们", "s", " of", "和董事", "Mercor"] {
                hays.push(format!("{t}{post}"));
                // A cut inside the title: a shorter head, maybe another title.
                let mut cut = t.len() / 2;
                while !t.is_char_boundary(cut) {
                    cut -= 1;
                }
                hays.push(format!("{}{post}", &t[..cut]));
            }
        }
        for hay in &hays {
            assert_eq!(
                longest_title_starting(hay),
                starts_with_any(hay, &c.titles),
                "{hay:?}"
            );
        }
    }

    #[test]
    fn titles_around_names() {
        let t = "传播副总裁Tom Channick说";
        assert!(title_before(t, t.find("Tom").unwrap()));
        let t = "与Mercor的CEO会面";
        assert!(title_after(t, t.find("的").unwrap()));
        assert!(!title_after("Mercor的CEOS", "Mercor".len()));
    }

    #[test]
    fn transliterated_names_before_speech_verbs() {
        assert_eq!(
            persons("对此,桑德伯格强调,公司不会裁员。"),
            vec!["桑德伯格"]
        );
        assert_eq!(
            persons("首席执行官布伦丹·富迪表示,我们会继续。"),
            vec!["布伦丹·富迪"]
        );
        assert_eq!(persons("总统卢拉说,经济向好。"), vec!["卢拉"]);
        // A place that merely looks foreign, and ordinary words, are not people.
        assert!(persons("俄罗斯表示反对。").is_empty());
        assert!(persons("他们表示同意。").is_empty());
        assert!(persons("叶利钦与总理基里延科会见。")
            .iter()
            .all(|p| *p != "基里"));
        assert_eq!(
            persons("合伙人德米特·列维特(DmitryLevit)说"),
            vec!["德米特·列维特"]
        );
    }
}
