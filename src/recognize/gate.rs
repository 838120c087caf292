//! Where a regex rule can match at all, read off the rule's own pattern, so that a recogniser
//! with many rules searches only the few stretches of a document that can hold a match.
//!
//! For every pattern two facts are derived from its syntax tree (never from a hand list, so
//! they cannot drift from the rules):
//! - its **required literals**: a set of strings of which every match contains at least one
//!   (`日` for `[0-9]{1,2}\s*日`, the month names for `{mon}\s+[0-9]{1,2}`);
//! - its **alphabet**: every character a match can consume. A character outside it can be
//!   in no match, so every match lies inside one *run* of alphabet characters.
//!
//! One Aho-Corasick pass over the text finds every required literal of every rule; a rule is
//! then searched only inside the runs that hold one of its literals. Because no match can
//! cross a run's ends and every match holds a literal, the matches found run by run are
//! exactly those a search of the whole text finds, in the same order (see
//! [`Plan::for_each_match`]). A pattern whose requirement cannot be derived, or that can match
//! the empty string, is searched over the whole text as before.

use crate::recognize::entity::cues::{code_point_at, first_code_point_where};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::HashMap;

/// The most strings a derived literal set (or a class read as a set of characters) may hold.
const MAX_SET: usize = 256;
/// The most characters a class may have to count as a set of literals (`\s` has 25).
const MAX_CLASS: usize = 20;

/// The characters a pattern can consume.
#[derive(Debug, Clone, Default)]
struct Alphabet {
    ascii: u128,
    /// Non-ASCII ranges, sorted and disjoint.
    ranges: Vec<(char, char)>,
}

impl Alphabet {
    fn add(&mut self, lo: char, hi: char) {
        let (lo, hi) = (lo as u32, hi as u32);
        for c in lo..=hi.min(127) {
            self.ascii |= 1u128 << c;
        }
        if hi >= 128 {
            let lo = char::from_u32(lo.max(128)).unwrap_or('\u{80}');
            let hi = char::from_u32(hi).unwrap_or(char::MAX);
            self.ranges.push((lo, hi));
        }
    }

    fn finish(&mut self) {
        self.ranges.sort_unstable();
        let mut merged: Vec<(char, char)> = Vec::with_capacity(self.ranges.len());
        for &(lo, hi) in &self.ranges {
            match merged.last_mut() {
                Some(last) if (lo as u32) <= (last.1 as u32).saturating_add(1) => {
                    last.1 = last.1.max(hi);
                }
                _ => merged.push((lo, hi)),
            }
        }
        self.ranges = merged;
    }

    fn contains(&self, c: char) -> bool {
        let u = c as u32;
        if u < 128 {
            return self.ascii & (1u128 << u) != 0;
        }
        self.ranges
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// A rule's alphabet for the runs of [`Plan::for_each_match`]: the Basic Multilingual Plane
/// as bits, one test a character where [`Alphabet::contains`] searches the ranges; a
/// character above it is looked up in the ranges.
struct AlphabetBits {
    bmp: Box<[u64; 1024]>,
    alphabet: Alphabet,
}

impl AlphabetBits {
    fn of(alphabet: Alphabet) -> AlphabetBits {
        let mut bmp = Box::new([0u64; 1024]);
        bmp[0] = alphabet.ascii as u64;
        bmp[1] = (alphabet.ascii >> 64) as u64;
        for &(lo, hi) in &alphabet.ranges {
            let (lo, hi) = (lo as u32, (hi as u32).min(0xFFFF));
            let mut u = lo;
            while u <= hi {
                let Some(w) = bmp.get_mut((u >> 6) as usize) else {
                    break;
                };
                // The bits u..=min(hi, the word's last code point) of this word.
                let last = hi.min(u | 63);
                let (a, b) = (u & 63, last & 63);
                *w |= (u64::MAX >> (63 - b)) & (u64::MAX << a);
                u = last + 1;
            }
        }
        AlphabetBits { bmp, alphabet }
    }

    /// Code point `u` (a `char`'s) is in the alphabet: [`Alphabet::contains`].
    #[inline(always)]
    fn has(&self, u: u32) -> bool {
        match self.bmp.get((u >> 6) as usize) {
            Some(w) => (w >> (u & 63)) & 1 != 0,
            None => char::from_u32(u).is_some_and(|c| self.alphabet.contains(c)),
        }
    }

    /// The first byte at or after `at` (a character boundary of `bytes`, the bytes of a
    /// `str`) where a character outside the alphabet starts, or `bytes.len()`.
    fn run_end(&self, bytes: &[u8], at: usize) -> usize {
        first_code_point_where(bytes, at, |u| !self.has(u))
    }

    /// The first byte of the run of alphabet characters that ends at `at` (a character
    /// boundary of `bytes`, the bytes of a `str`): `at` when the character before it is
    /// outside the alphabet.
    fn run_start(&self, bytes: &[u8], mut at: usize) -> usize {
        while at > 0 {
            // The start of the character before `at`: back over its continuation bytes.
            let mut i = at - 1;
            while i > 0 && bytes.get(i).is_some_and(|&b| b & 0xC0 == 0x80) {
                i -= 1;
            }
            match code_point_at(bytes, i) {
                Some((u, _)) if self.has(u) => at = i,
                _ => return at,
            }
        }
        at
    }
}

/// What may stand beside a required literal, read off the pattern parts around it: the
/// characters the neighbouring parts can end (or begin) with, and, when those parts may all
/// be empty, whether an ASCII word boundary (`(?-u:\b)`) is asserted there.
#[derive(Debug, Clone, Default)]
struct Side {
    /// Characters the neighbouring parts can put beside the literal.
    chars: Alphabet,
    /// The neighbouring parts may all be empty (the literal starts or ends the match).
    may_be_bare: bool,
    /// ... and then a word boundary is asserted at the literal's edge.
    bare_needs_boundary: bool,
}

fn is_word_byte(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Side {
    /// Accepts `beside` (the text's character beside the literal, `None` at the text's end)
    /// next to `edge` (the literal's own character at that side).
    fn accepts(&self, beside: Option<char>, edge: Option<char>) -> bool {
        if beside.is_some_and(|c| self.chars.contains(c)) {
            return true;
        }
        self.may_be_bare
            && (!self.bare_needs_boundary || is_word_byte(beside) != is_word_byte(edge))
    }

    /// Nothing is known: everything is accepted.
    fn any() -> Side {
        Side {
            chars: Alphabet::default(),
            may_be_bare: true,
            bare_needs_boundary: false,
        }
    }

    /// The side made by `parts`, walked outward from the literal.
    fn of<'h>(parts: impl Iterator<Item = &'h Hir>, forward: bool) -> Result<Side, Ungated> {
        let mut side = Side {
            chars: Alphabet::default(),
            may_be_bare: true,
            bare_needs_boundary: false,
        };
        for h in parts {
            if let HirKind::Look(look) = h.kind() {
                if matches!(look, regex_syntax::hir::Look::WordAscii) {
                    side.bare_needs_boundary = true;
                }
                continue;
            }
            edge_chars(h, forward, &mut side.chars)?;
            if !nullable(h) {
                side.may_be_bare = false;
                break;
            }
        }
        side.chars.finish();
        Ok(side)
    }
}

fn nullable(h: &Hir) -> bool {
    h.properties().minimum_len().is_none_or(|n| n == 0)
}

/// The characters `hir` can begin with (`forward`) or end with.
fn edge_chars(hir: &Hir, forward: bool, out: &mut Alphabet) -> Result<(), Ungated> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).map_err(|_| Ungated::Bytes)?;
            let c = if forward {
                s.chars().next()
            } else {
                s.chars().next_back()
            };
            if let Some(c) = c {
                out.add(c, c);
            }
        }
        HirKind::Class(_) => alphabet_of(hir, out)?,
        HirKind::Repetition(rep) => edge_chars(&rep.sub, forward, out)?,
        HirKind::Capture(cap) => edge_chars(&cap.sub, forward, out)?,
        HirKind::Alternation(subs) => {
            for s in subs {
                edge_chars(s, forward, out)?;
            }
        }
        HirKind::Concat(subs) => {
            let mut walk = |s: &Hir| -> Result<bool, Ungated> {
                edge_chars(s, forward, out)?;
                Ok(nullable(s))
            };
            if forward {
                for s in subs {
                    if !walk(s)? {
                        break;
                    }
                }
            } else {
                for s in subs.iter().rev() {
                    if !walk(s)? {
                        break;
                    }
                }
            }
        }
    }
    Ok(())
}

/// What may stand before and after a rule's required literals.
#[derive(Debug, Clone)]
struct Context {
    before: Side,
    after: Side,
}

impl Context {
    fn key(&self) -> String {
        format!("{self:?}")
    }

    /// The literal found at `start..end` of `text` may be the one a match holds (the
    /// plain path of [`Context::accepts_beside`]).
    #[cfg(test)]
    fn accepts(&self, text: &str, start: usize, end: usize) -> bool {
        let lit = text.get(start..end).unwrap_or("");
        let before = text.get(..start).and_then(|t| t.chars().next_back());
        let after = text.get(end..).and_then(|t| t.chars().next());
        self.before.accepts(before, lit.chars().next())
            && self.after.accepts(after, lit.chars().next_back())
    }

    /// [`Context::accepts`] of a literal whose surroundings were read once ([`Beside`]),
    /// for all the literal sets that hold it.
    #[inline]
    fn accepts_beside(&self, b: &Beside) -> bool {
        self.before.accepts(b.before, b.first) && self.after.accepts(b.after, b.last)
    }
}

/// A found literal's first and last characters and the text's characters around it: what
/// [`Context::accepts_beside`] reads, decoded once a literal, not once per literal set.
struct Beside {
    before: Option<char>,
    first: Option<char>,
    last: Option<char>,
    after: Option<char>,
}

impl Beside {
    fn at(text: &str, start: usize, end: usize) -> Beside {
        let lit = text.get(start..end).unwrap_or("");
        Beside {
            before: text.get(..start).and_then(|t| t.chars().next_back()),
            first: lit.chars().next(),
            last: lit.chars().next_back(),
            after: text.get(end..).and_then(|t| t.chars().next()),
        }
    }
}

/// What is known of one pattern.
#[derive(Debug)]
struct Shape {
    /// Its alphabet: an index into [`Gate::alphabets`] (rules with equal alphabets share one).
    alphabet: usize,
    /// The shortest match, in bytes: a shorter run holds none.
    min_len: usize,
    /// Its set of required literals (rules with equal sets share one).
    set: u16,
}

/// Why a pattern is searched over the whole text (kept for tests and debugging).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ungated {
    /// The pattern can match the empty string (an empty match may sit anywhere).
    Empty,
    /// No set of required literals could be derived.
    NoLiterals,
    /// The pattern does not parse as Unicode text (byte classes, invalid UTF-8 literals).
    Bytes,
}

/// The gate of a list of patterns: their required literals in one automaton.
pub(crate) struct Gate {
    /// Character-wise, over the ASCII-lower-cased literals, searched in the ASCII-lower-cased
    /// text: what aho-corasick's case-insensitive DFA found (6.7 MB for the date rules'
    /// 2,164 literals, missing the cache), in a small double array; its value is the
    /// literal's index.
    ac: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// For every pattern of `ac`, the literal sets that hold it.
    literal_sets: Vec<Vec<u16>>,
    /// Per literal set: what may stand beside its literals.
    contexts: Vec<Context>,
    /// Per rule: its shape, or why it is searched whole.
    shapes: Vec<Result<Shape, Ungated>>,
    /// The rules' distinct alphabets, as bits (see [`Shape::alphabet`]).
    alphabets: Vec<AlphabetBits>,
    /// Per literal set: its rules, in rule order (so that the rules a text may match are
    /// found from its hits, without visiting every rule: a one-line document has hits of
    /// a few sets of the date rules' hundred).
    set_rules: Vec<Vec<usize>>,
    /// The rules searched whole, in rule order.
    whole_rules: Vec<usize>,
    /// The characters the (folded) literals begin with: from the automaton's root state any
    /// other character leaves it at the root, so [`Gate::plan`] passes over them.
    starts: CharSet,
    /// The characters of the literals: any other character sends the automaton back to
    /// the root, so a search may stop before it and restart at the next start character.
    members: CharSet,
}

/// A set of characters for a quick test on every character of a text: ASCII and the Basic
/// Multilingual Plane as bits; every character above it counts as a member when any is
/// (a superset is all [`Gate::plan`] needs).
struct CharSet {
    bmp: Box<[u64; 1024]>,
    astral: bool,
}

impl CharSet {
    fn of(chars: impl IntoIterator<Item = char>) -> CharSet {
        let mut set = CharSet {
            bmp: Box::new([0; 1024]),
            astral: false,
        };
        for c in chars {
            let u = c as u32;
            match set.bmp.get_mut((u >> 6) as usize) {
                Some(w) => *w |= 1 << (u & 63),
                None => set.astral = true,
            }
        }
        set
    }

    #[inline(always)]
    fn has(&self, u: u32) -> bool {
        match self.bmp.get((u >> 6) as usize) {
            Some(w) => w & (1 << (u & 63)) != 0,
            None => self.astral,
        }
    }

    /// The first byte at or after `at` (a character boundary of `bytes`, the bytes of a
    /// `str`) where a character of the set (`want`) or one outside it (`!want`) starts, or
    /// `bytes.len()` ([`first_code_point_where`], kept out of line so that its loop keeps
    /// its state in registers).
    #[inline(never)]
    fn next(&self, bytes: &[u8], at: usize, want: bool) -> usize {
        first_code_point_where(bytes, at, |u| self.has(u) == want)
    }
}


impl Gate {
    /// Derives the gate of `patterns` (in rule order; at most 65535 of them).
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Gate {
        let mut literals: Vec<String> = Vec::new();
        let mut literal_sets: Vec<Vec<u16>> = Vec::new();
        let mut literal_index: HashMap<String, usize> = HashMap::new();
        let mut set_index: HashMap<(Vec<String>, String), u16> = HashMap::new();
        let mut contexts: Vec<Context> = Vec::new();
        let mut shapes = Vec::new();
        let mut alphabets: Vec<AlphabetBits> = Vec::new();
        let mut alphabet_index: HashMap<(u128, Vec<(char, char)>), usize> = HashMap::new();
        for p in patterns {
            match shape_of(p) {
                Ok((alphabet, min_len, lits, context)) => {
                    let alphabet = *alphabet_index
                        .entry((alphabet.ascii, alphabet.ranges.clone()))
                        .or_insert_with(|| {
                            alphabets.push(AlphabetBits::of(alphabet));
                            alphabets.len() - 1
                        });
                    let next = u16::try_from(set_index.len()).expect("at most 65535 literal sets");
                    let set = *set_index
                        .entry((lits.clone(), context.key()))
                        .or_insert(next);
                    if set == next {
                        contexts.push(context);
                        for l in lits {
                            let k = *literal_index.entry(l.clone()).or_insert_with(|| {
                                literals.push(l);
                                literal_sets.push(Vec::new());
                                literals.len() - 1
                            });
                            literal_sets[k].push(set);
                        }
                    }
                    shapes.push(Ok(Shape {
                        alphabet,
                        min_len,
                        set,
                    }));
                }
                Err(why) => shapes.push(Err(why)),
            }
        }
        // The automaton's patterns: the literals ASCII-lower-cased (`fold`; those that fold
        // to the same string are one pattern holding all their sets), non-empty (`required`)
        // and distinct, all the builder asks.
        let mut folded: Vec<String> = Vec::new();
        let mut folded_sets: Vec<Vec<u16>> = Vec::new();
        let mut folded_index: HashMap<String, usize> = HashMap::new();
        for (literal, sets) in literals.iter().zip(literal_sets) {
            let f = fold(literal);
            let k = *folded_index.entry(f.clone()).or_insert_with(|| {
                folded.push(f);
                folded_sets.push(Vec::new());
                folded.len() - 1
            });
            folded_sets[k].extend(sets);
        }
        let literal_sets = folded_sets;
        let starts = CharSet::of(folded.iter().filter_map(|f| f.chars().next()));
        let members = CharSet::of(folded.iter().flat_map(|f| f.chars()));
        let ac = (!folded.is_empty()).then(|| {
            CharwiseDoubleArrayAhoCorasick::with_values(folded.iter().zip(0u32..))
                .expect("gate literals")
        });
        let mut set_rules: Vec<Vec<usize>> = vec![Vec::new(); contexts.len()];
        let mut whole_rules = Vec::new();
        for (rule, shape) in shapes.iter().enumerate() {
            match shape {
                Ok(shape) => match set_rules.get_mut(usize::from(shape.set)) {
                    Some(rules) => rules.push(rule),
                    None => whole_rules.push(rule),
                },
                Err(_) => whole_rules.push(rule),
            }
        }
        Gate {
            ac,
            literal_sets,
            contexts,
            shapes,
            alphabets,
            set_rules,
            whole_rules,
            starts,
            members,
        }
    }

    /// Why rule `i` is searched over the whole text, if it is.
    #[cfg(test)]
    pub(crate) fn ungated(&self, i: usize) -> Option<Ungated> {
        self.shapes.get(i).and_then(|s| s.as_ref().err().copied())
    }

    /// Finds every required literal in `text`: the plan of where each rule can match.
    pub(crate) fn plan<'t>(&'t self, text: &'t str) -> Plan<'t> {
        // (set, byte) packed into one integer (set in the high bits: the same order), which
        // sorts faster than the pair: a Chinese article has a hit at nearly every digit.
        // The vector is this thread's, reused from text to text (see [`Plan`]'s `drop`).
        let mut keys: Vec<u64> = PLAN_KEYS.take();
        keys.clear();
        if let Some(ac) = &self.ac {
            // Lower-casing ASCII keeps every byte offset; most Chinese text needs no copy.
            let hay = crate::normalize::ascii_lowercase(text);
            let hay = hay.as_ref();
            // The automaton is searched only over stretches from a character that begins a
            // literal up to the next character in no literal: before the stretch it sits at
            // its root (at the text's start, or just after a character in no literal, which
            // sends it there) and stays there (no other character leaves the root), and the
            // character after the stretch sends it back; so the stretches' hits are the
            // whole text's. Most of a Chinese text is in no date literal.
            let bytes = hay.as_bytes();
            let mut at = 0;
            while at < bytes.len() {
                let start = self.starts.next(bytes, at, true);
                if start >= bytes.len() {
                    break;
                }
                let end = self.members.next(bytes, start, false);
                let Some(stretch) = hay.get(start..end) else {
                    break;
                };
                for m in ac.find_overlapping_iter(stretch) {
                    let (s, e) = (start + m.start(), start + m.end());
                    let beside = Beside::at(text, s, e);
                    for &set in &self.literal_sets[m.value() as usize] {
                        if self.contexts[usize::from(set)].accepts_beside(&beside) {
                            keys.push((u64::from(set) << 32) | u64::from(s as u32));
                        }
                    }
                }
                // Past the character in no literal (`end` is at one, or the text's end).
                at = end.max(start + 1);
            }
        }
        sort_hits(&mut keys, self.contexts.len());
        Plan {
            gate: self,
            text,
            hits: keys,
        }
    }
}

thread_local! {
    /// The hits' vector of this thread's last [`Plan`], kept for the next one (a one-line
    /// document's plan otherwise allocated one, and grew it, per document).
    static PLAN_KEYS: std::cell::Cell<Vec<u64>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Sorts the packed hits of [`Gate::plan`] (`set << 32 | byte`, see [`unpack`], with `set <
/// sets`) and drops repeated ones: what `sort_unstable` then `dedup` do (the plain path, the
/// test `sorted_hits_equal_sort_unstable`), in fewer steps on the order the hits are found
/// in. They come stretch by stretch, in text order, and inside a stretch by the end of the
/// literal, so one set's hits are in text order but for literals that end together or
/// overlap: at most a longest literal's length out of place. So they are bucketed by set
/// (a count and a scatter) and each bucket finished by insertion, which costs little on
/// nearly sorted input; a general sort spent some 200 instructions a hit on an article's
/// thousands. A few hits are sorted by insertion alone.
fn sort_hits(keys: &mut Vec<u64>, sets: usize) {
    if keys.len() <= 32 {
        insertion_sort(keys);
        keys.dedup();
        return;
    }
    let mut counts = vec![0usize; sets + 1];
    for &k in keys.iter() {
        match counts.get_mut(usize::from(unpack(k).0)) {
            Some(c) => *c += 1,
            // A set out of range (never the case): the plain sort.
            None => {
                keys.sort_unstable();
                keys.dedup();
                return;
            }
        }
    }
    // `counts[set]` becomes the bucket's first slot.
    let mut at = 0;
    for c in counts.iter_mut() {
        let n = *c;
        *c = at;
        at += n;
    }
    let mut sorted: Vec<u64> = SORT_SCRATCH.take();
    sorted.clear();
    sorted.resize(keys.len(), 0);
    let mut next = counts.clone();
    for &k in keys.iter() {
        let set = usize::from(unpack(k).0);
        if let Some(i) = next.get_mut(set) {
            if let Some(slot) = sorted.get_mut(*i) {
                *slot = k;
            }
            *i += 1;
        }
    }
    for w in counts.windows(2) {
        if let Some(bucket) = sorted.get_mut(w[0]..w[1]) {
            insertion_sort(bucket);
        }
    }
    keys.clear();
    for &k in &sorted {
        if keys.last() != Some(&k) {
            keys.push(k);
        }
    }
    SORT_SCRATCH.set(sorted);
}

/// Sorts `v` by insertion: few steps when every element is near its place.
fn insertion_sort(v: &mut [u64]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

thread_local! {
    /// The bucketed hits of [`sort_hits`], a vector reused from text to text.
    static SORT_SCRATCH: std::cell::Cell<Vec<u64>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A hit packed as [`Gate::plan`] keeps it: (literal set, byte).
#[inline(always)]
fn unpack(k: u64) -> (u16, u32) {
    ((k >> 32) as u16, k as u32)
}

#[cfg(test)]
impl Gate {
    /// [`Gate::plan`]'s hits from one search of the whole text, without passing over the
    /// characters that begin no literal: the plain path the fast one must equal.
    pub(crate) fn plain_hits(&self, text: &str) -> Vec<(u16, u32)> {
        let mut keys: Vec<u64> = Vec::new();
        if let Some(ac) = &self.ac {
            let hay = text.to_ascii_lowercase();
            for m in ac.find_overlapping_iter(&hay) {
                for &set in &self.literal_sets[m.value() as usize] {
                    if self.contexts[usize::from(set)].accepts(text, m.start(), m.end()) {
                        keys.push((u64::from(set) << 32) | u64::from(m.start() as u32));
                    }
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        keys.into_iter()
            .map(|k| ((k >> 32) as u16, k as u32))
            .collect()
    }
}

#[cfg(test)]
impl Gate {
    /// Checks every alphabet's bits against its ranges ([`Alphabet::contains`], the plain
    /// path) on every character of the Basic Multilingual Plane, the ends of every range
    /// and the characters beside them, and characters above the plane; and the runs
    /// around every byte of `texts` against runs read with `contains`. Returns the first
    /// disagreement.
    pub(crate) fn check_alphabets(&self, texts: &[&str]) -> Result<(), String> {
        for (k, bits) in self.alphabets.iter().enumerate() {
            let a = &bits.alphabet;
            let mut probes: Vec<u32> = (0..=0xFFFF).collect();
            for &(lo, hi) in &a.ranges {
                for u in [lo as u32, hi as u32] {
                    probes.extend([u.saturating_sub(1), u, u + 1]);
                }
            }
            probes.extend((0..200u32).map(|i| 0x10000 + i * 5407));
            probes.push(0x10FFFF);
            for u in probes {
                let Some(c) = char::from_u32(u) else { continue };
                if bits.has(u) != a.contains(c) {
                    return Err(format!("alphabet {k}: {c:?} (U+{u:04X})"));
                }
            }
            for t in texts {
                let bytes = t.as_bytes();
                for (at, _) in t.char_indices() {
                    let start = t[..at]
                        .char_indices()
                        .rev()
                        .take_while(|&(_, c)| a.contains(c))
                        .last()
                        .map_or(at, |(i, _)| i);
                    let end = t[at..]
                        .char_indices()
                        .find(|&(_, c)| !a.contains(c))
                        .map_or(t.len(), |(i, _)| at + i);
                    let fast = (bits.run_start(bytes, at), bits.run_end(bytes, at));
                    if fast != (start, end) {
                        return Err(format!(
                            "alphabet {k}: run at {at} of {t:?}: {fast:?}, plain {:?}",
                            (start, end)
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A test of a match's bounds (the text, the match's start and end) that
/// [`Plan::for_each_match`] asks before resolving its groups.
pub(crate) type Passes = dyn Fn(&str, usize, usize) -> bool;

/// Where the rules of a [`Gate`] can match in one text.
pub(crate) struct Plan<'t> {
    gate: &'t Gate,
    text: &'t str,
    /// (literal set, byte where one of its literals starts), packed as `set << 32 | byte`
    /// (see [`unpack`]), sorted.
    hits: Vec<u64>,
}

impl Drop for Plan<'_> {
    fn drop(&mut self) {
        PLAN_KEYS.set(std::mem::take(&mut self.hits));
    }
}

impl<'t> Plan<'t> {
    /// (literal set, byte) of every hit, for tests against [`Gate::plain_hits`].
    #[cfg(test)]
    pub(crate) fn hits(&self) -> Vec<(u16, u32)> {
        self.hits.iter().map(|&k| unpack(k)).collect()
    }

    /// The rules that may match in the text, in rule order: those of the literal sets
    /// with a hit and those searched whole. [`Plan::for_each_match`] finds nothing for
    /// any other rule; a one-line document has a handful, so the caller need not visit
    /// every rule (reading its shape and pattern) to learn that.
    #[cfg(test)]
    pub(crate) fn rules(&self) -> Vec<usize> {
        let mut rules = Vec::new();
        self.rules_into(&mut rules);
        rules
    }

    /// [`Plan::rules`] into `rules` (cleared first; the caller reuses it).
    pub(crate) fn rules_into(&self, rules: &mut Vec<usize>) {
        rules.clear();
        rules.extend_from_slice(&self.gate.whole_rules);
        let mut last = None;
        for &k in &self.hits {
            let (set, _) = unpack(k);
            if last != Some(set) {
                last = Some(set);
                rules.extend(self.gate.set_rules.get(usize::from(set)).into_iter().flatten());
            }
        }
        rules.sort_unstable();
    }

    /// Calls `f` with every match of `re` (rule `rule` of the gate) in the text, in text
    /// order, with the byte spans of its capture groups (0: the whole match; `None` for a
    /// group that took no part): the same as `re.captures_iter(text)` (offsets count from
    /// the start of the text).
    ///
    /// Why the same: every match lies inside one run of the rule's alphabet and holds one of
    /// its literals, so runs without a literal hold no match. A search of the whole text
    /// enters each run at or before its start with no match pending (matches cannot cross
    /// the characters between runs), so it finds, run by run, what a search started at the
    /// run's start finds. The search of a run ends one character after it: that character
    /// cannot be consumed, so no match reaches it, and look-around at the run's end (`\b`,
    /// `$`) still sees the real text.
    ///
    /// `regex` gives the rule's compiled pattern; it is called only when the rule has a
    /// stretch to search, so a pattern that is compiled on first use (the date rules) is
    /// never compiled for text that cannot hold its match.
    ///
    /// `passes` (the text and a match's bounds), when given, is asked of every match a
    /// search of the runs finds, before its groups are resolved: a match it turns down is
    /// skipped (`f` is not called) and the search goes on after it, as it would after the
    /// match. Its bounds then come from the lazy DFA alone (`find_at`), and the groups of a
    /// match it lets through from a capture search started where that match starts, which
    /// finds the same match (the leftmost at or after that point, and the first by
    /// preference there). Resolving groups (a backtracking search on the match) costs
    /// several times what finding the match does, so a rule whose matches are mostly ones
    /// its reader rejects on sight saves it.
    pub(crate) fn for_each_match<'r>(
        &self,
        rule: usize,
        regex: impl FnOnce() -> &'r Regex,
        passes: Option<&Passes>,
        mut f: impl FnMut(&[Option<(usize, usize)>]),
    ) {
        let mut groups: Vec<Option<(usize, usize)>> = Vec::new();
        let shape = match self.gate.shapes.get(rule) {
            Some(Ok(shape)) => shape,
            _ => {
                for c in regex().captures_iter(self.text) {
                    groups.clear();
                    groups.extend(c.iter().map(|g| g.map(|g| (g.start(), g.end()))));
                    f(&groups);
                }
                return;
            }
        };
        let mut regex = Some(regex);
        // The pattern and its capture slots, filled by each search (one allocation for all).
        let mut compiled: Option<(&'r Regex, regex::CaptureLocations)> = None;
        let text = self.text;
        let first = self.hits.partition_point(|&k| unpack(k).0 < shape.set);
        let mut covered = 0usize;
        for &k in &self.hits[first..] {
            let (s, at) = unpack(k);
            if s != shape.set {
                break;
            }
            let at = at as usize;
            if at < covered {
                continue;
            }
            // The run of alphabet characters around the literal. A case-insensitive hit the
            // pattern does not accept (`q` for a literal `Q`) may start outside the alphabet:
            // then its run is empty and holds no match.
            let Some(alphabet) = self.gate.alphabets.get(shape.alphabet) else {
                return;
            };
            let bytes = text.as_bytes();
            let start = alphabet.run_start(bytes, at);
            let end = alphabet.run_end(bytes, at);
            covered = end.max(at + 1);
            if end == at || end - start < shape.min_len {
                continue;
            }
            // One character of context after the run (see above).
            let context_end = text[end..]
                .chars()
                .next()
                .map_or(end, |c| end + c.len_utf8());
            let hay = &text[..context_end];
            let mut from = start;
            let (re, locs) = match (&mut compiled, regex.take()) {
                (Some((re, locs)), _) => (*re, locs),
                (None, Some(get)) => {
                    let re = get();
                    let (re, locs) = compiled.insert((re, re.capture_locations()));
                    (*re, locs)
                }
                // Unreachable: `regex` is taken only when `compiled` is filled.
                (None, None) => return,
            };
            // A match is `min_len` bytes at least and ends inside the run: once less is left
            // (most runs end just after their last match), no search can find one.
            while end - from >= shape.min_len {
                let at = match passes {
                    Some(passes) => {
                        let Some(m) = re.find_at(hay, from) else {
                            break;
                        };
                        // As below: never the case, but a search must advance.
                        if m.end() <= from || m.end() > end {
                            break;
                        }
                        if !passes(text, m.start(), m.end()) {
                            from = m.end();
                            continue;
                        }
                        m.start()
                    }
                    None => from,
                };
                let Some(m) = re.captures_read_at(locs, hay, at) else {
                    break;
                };
                // Never the case (no match crosses the run's end), but a search must advance.
                if m.end() <= from || m.end() > end {
                    break;
                }
                from = m.end();
                groups.clear();
                groups.extend((0..locs.len()).map(|i| locs.get(i)));
                f(&groups);
            }
        }
    }
}

/// The alphabet, shortest match length and required literals of one pattern.
fn shape_of(pattern: &str) -> Result<(Alphabet, usize, Vec<String>, Context), Ungated> {
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .map_err(|_| Ungated::Bytes)?;
    let min_len = match hir.properties().minimum_len() {
        Some(n) if n > 0 => n,
        _ => return Err(Ungated::Empty),
    };
    let mut alphabet = Alphabet::default();
    alphabet_of(&hir, &mut alphabet)?;
    alphabet.finish();
    // A literal from a window of the pattern's top-level parts also says what may stand
    // beside it; one found deeper says nothing of its neighbours.
    let (literals, context) = match hir.kind() {
        HirKind::Concat(subs) => {
            let (lits, window) = concat_required(subs)?;
            let context = match window {
                Some((i, j)) => Context {
                    before: Side::of(subs[..i].iter().rev(), false)?,
                    after: Side::of(subs[j..].iter(), true)?,
                },
                None => Context {
                    before: Side::any(),
                    after: Side::any(),
                },
            };
            (lits, context)
        }
        _ => (
            required(&hir)?,
            Context {
                before: Side::any(),
                after: Side::any(),
            },
        ),
    };
    let literals = literals.ok_or(Ungated::NoLiterals)?;
    Ok((alphabet, min_len, literals, context))
}

fn alphabet_of(hir: &Hir, out: &mut Alphabet) -> Result<(), Ungated> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).map_err(|_| Ungated::Bytes)?;
            for c in s.chars() {
                out.add(c, c);
            }
        }
        HirKind::Class(Class::Unicode(cls)) => {
            for r in cls.ranges() {
                out.add(r.start(), r.end());
            }
        }
        HirKind::Class(Class::Bytes(cls)) => {
            for r in cls.ranges() {
                if r.end() >= 0x80 {
                    return Err(Ungated::Bytes);
                }
                out.add(char::from(r.start()), char::from(r.end()));
            }
        }
        HirKind::Repetition(rep) => alphabet_of(&rep.sub, out)?,
        HirKind::Capture(cap) => alphabet_of(&cap.sub, out)?,
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            for s in subs {
                alphabet_of(s, out)?;
            }
        }
    }
    Ok(())
}

/// A literal as the gate's automaton matches it: ASCII letters lower-cased (the automaton
/// ignores ASCII case, which only ever finds more).
fn fold(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// The set of characters of a small class, as one-character strings.
fn class_strings(hir: &Hir) -> Result<Option<Vec<String>>, Ungated> {
    let mut out: Vec<String> = Vec::new();
    match hir.kind() {
        HirKind::Class(Class::Unicode(cls)) => {
            let size: u32 = cls
                .ranges()
                .iter()
                .map(|r| r.end() as u32 - r.start() as u32 + 1)
                .sum();
            if size as usize > MAX_CLASS {
                return Ok(None);
            }
            for r in cls.ranges() {
                for u in r.start() as u32..=r.end() as u32 {
                    if let Some(c) = char::from_u32(u) {
                        out.push(fold(c.encode_utf8(&mut [0; 4])));
                    }
                }
            }
        }
        HirKind::Class(Class::Bytes(cls)) => {
            let size: usize = cls
                .ranges()
                .iter()
                .map(|r| usize::from(r.end() - r.start()) + 1)
                .sum();
            if size > MAX_CLASS {
                return Ok(None);
            }
            for r in cls.ranges() {
                for b in r.start()..=r.end() {
                    if b >= 0x80 {
                        return Err(Ungated::Bytes);
                    }
                    out.push(fold(char::from(b).encode_utf8(&mut [0; 4])));
                }
            }
        }
        _ => return Ok(None),
    }
    out.sort_unstable();
    out.dedup();
    Ok(Some(out))
}

/// Every string `hir` can match, when that is a small finite set (it may hold "").
fn exact(hir: &Hir) -> Result<Option<Vec<String>>, Ungated> {
    Ok(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![String::new()]),
        HirKind::Literal(lit) => {
            let s = std::str::from_utf8(&lit.0).map_err(|_| Ungated::Bytes)?;
            Some(vec![fold(s)])
        }
        HirKind::Class(_) => class_strings(hir)?,
        HirKind::Capture(cap) => exact(&cap.sub)?,
        HirKind::Repetition(rep) => {
            let Some(sub) = exact(&rep.sub)? else {
                return Ok(None);
            };
            let Some(max) = rep.max else { return Ok(None) };
            if max > 4 {
                return Ok(None);
            }
            let mut all: Vec<String> = Vec::new();
            let mut power = vec![String::new()];
            for n in 0..=max {
                if n >= rep.min {
                    all.extend(power.iter().cloned());
                }
                if n < max {
                    let Some(next) = product(&power, &sub) else {
                        return Ok(None);
                    };
                    power = next;
                }
                if all.len() > MAX_SET {
                    return Ok(None);
                }
            }
            all.sort_unstable();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(subs) => {
            let mut acc = vec![String::new()];
            for s in subs {
                let Some(e) = exact(s)? else { return Ok(None) };
                let Some(next) = product(&acc, &e) else {
                    return Ok(None);
                };
                acc = next;
            }
            Some(acc)
        }
        HirKind::Alternation(subs) => {
            let mut all: Vec<String> = Vec::new();
            for s in subs {
                let Some(e) = exact(s)? else { return Ok(None) };
                all.extend(e);
                if all.len() > MAX_SET {
                    return Ok(None);
                }
            }
            all.sort_unstable();
            all.dedup();
            Some(all)
        }
    })
}

/// Every concatenation of a string of `a` and one of `b`, if there are not too many.
fn product(a: &[String], b: &[String]) -> Option<Vec<String>> {
    if a.len().saturating_mul(b.len()) > MAX_SET {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut xy = String::with_capacity(x.len() + y.len());
            xy.push_str(x);
            xy.push_str(y);
            out.push(xy);
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// How selective a set of required literals is by the kind of its characters: the weight of
/// its weakest literal (a Han character or a word says more than a digit, a space or a
/// comma), then fewer literals. Only breaks ties of [`cost`].
fn score(set: &[String]) -> (u32, std::cmp::Reverse<usize>) {
    let weight = |s: &String| -> u32 {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    2
                } else if c.is_ascii() {
                    1
                } else {
                    4
                }
            })
            .sum()
    };
    (
        set.iter().map(weight).min().unwrap_or(0),
        std::cmp::Reverse(set.len()),
    )
}

/// How often characters occur in news, per million characters, in Chinese and in English
/// (`data/gate_char_frequency.tsv`, counted over the corpus; ASCII lower-cased), each at
/// least [`RARE_PER_MILLION`]: every character, every character at the start of an ASCII
/// word, and every pair of characters (at least [`RARE_PAIR_PER_MILLION`]).
pub(crate) struct CharFrequency {
    /// Per ASCII character: [Chinese, English, Chinese at a word's start, English at one].
    ascii: [[f64; 4]; 128],
    /// Per other character (its code point): as `ascii`.
    other: HashMap<u64, [f64; 4], FastBuild>,
    /// Pairs of characters (`a << 32 | b`): [Chinese, English].
    pairs: HashMap<u64, [f64; 2], FastBuild>,
}

/// The table's maps are asked hundreds of thousands of times while the gate is built (on
/// the start-up path), so they hash with FxHash, not SipHash (the keys are our own data).
type FastBuild = rustc_hash::FxBuildHasher;

/// What a character missing from the table counts as (the table leaves out those rarer).
const RARE_PER_MILLION: f64 = 2.0;
/// What a pair of characters missing from the table counts as (the table leaves out those
/// rarer).
const RARE_PAIR_PER_MILLION: f64 = 20.0;

impl CharFrequency {
    /// Per million characters: [Chinese, English, Chinese at a word's start, English at one].
    #[inline]
    fn of(&self, c: char) -> [f64; 4] {
        match self.ascii.get(c as usize) {
            Some(f) => *f,
            None => self
                .other
                .get(&u64::from(c))
                .copied()
                .unwrap_or([RARE_PER_MILLION; 4]),
        }
    }

    /// Per million characters in Chinese and in English, the pair `ab` (a pair missing from
    /// the table is rarer than [`RARE_PAIR_PER_MILLION`]).
    #[inline]
    fn pair(&self, a: char, b: char) -> [f64; 2] {
        let key = (u64::from(a) << 32) | u64::from(b);
        self.pairs.get(&key).copied().unwrap_or([RARE_PAIR_PER_MILLION; 2])
    }

    /// How often `literal` occurs, per million characters, in Chinese and in English;
    /// `at_word_start`: counted only where it starts an ASCII word (when it starts with a
    /// word character). The chain of its pairs (each character as likely after the one
    /// before as the pair says), and at most its rarest character or pair. Both languages
    /// in one pass over the literal (this runs for every candidate set at start-up).
    fn of_literal(&self, literal: &str, at_word_start: bool) -> [f64; 2] {
        let mut chars = literal.chars();
        let Some(first) = chars.next() else { return [0.0; 2] };
        let start = usize::from(at_word_start && is_word_byte(Some(first))) * 2;
        let f = self.of(first);
        let mut chain = [f[start], f[1 + start]];
        let mut rarest = chain;
        let mut before = (first, [f[0], f[1]]);
        for c in chars {
            let of_c = self.of(c);
            let pair = self.pair(before.0, c);
            for lang in 0..2 {
                rarest[lang] = rarest[lang].min(of_c[lang]).min(pair[lang]);
                chain[lang] *= (pair[lang] / before.1[lang]).min(1.0);
            }
            before = (c, [of_c[0], of_c[1]]);
        }
        [chain[0].min(rarest[0]), chain[1].min(rarest[1])]
    }
}

fn load_frequency() -> Result<CharFrequency, crate::table::TableError> {
    let (file, text) = crate::data_table!("gate_char_frequency.tsv");
    let mut freq = CharFrequency {
        ascii: [[RARE_PER_MILLION; 4]; 128],
        other: HashMap::default(),
        pairs: HashMap::default(),
    };
    let per_million = |r: &crate::table::Row, i: usize, what: &str| -> Result<f64, crate::table::TableError> {
        Ok(r.parse::<f64>(i, what)?.max(RARE_PER_MILLION))
    };
    for r in crate::table::rows(file, text) {
        r.at_most(5)?;
        let code = r.cell(0, "code points")?;
        // One or two code points (no `Vec` a row: the table is read on the start-up path).
        let mut points = code
            .split(' ')
            .map(|x| u32::from_str_radix(x, 16).ok().and_then(char::from_u32));
        let chars = match (points.next(), points.next(), points.next()) {
            (Some(Some(a)), None, None) => [Some(a), None],
            (Some(Some(a)), Some(Some(b)), None) => [Some(a), Some(b)],
            (_, _, Some(_)) => return Err(r.error("expected one or two code points")),
            _ => return Err(r.error(format!("not code points: {code:?}"))),
        };
        match chars {
            [Some(c), None] => {
                let f = [
                    per_million(&r, 1, "Chinese")?,
                    per_million(&r, 2, "English")?,
                    per_million(&r, 3, "Chinese at a word's start")?,
                    per_million(&r, 4, "English at a word's start")?,
                ];
                match freq.ascii.get_mut(c as usize) {
                    Some(slot) => *slot = f,
                    None => {
                        if freq.other.insert(u64::from(c), f).is_some() {
                            return Err(r.error(format!("{code} is listed twice")));
                        }
                    }
                }
            }
            [Some(a), Some(b)] => {
                r.at_most(3)?;
                let f = [r.parse::<f64>(1, "Chinese")?, r.parse::<f64>(2, "English")?]
                    .map(|x| x.max(RARE_PAIR_PER_MILLION));
                if freq.pairs.insert((u64::from(a) << 32) | u64::from(b), f).is_some() {
                    return Err(r.error(format!("{code} is listed twice")));
                }
            }
            _ => return Err(r.error("expected one or two code points")),
        }
    }
    Ok(freq)
}

static FREQUENCY: crate::table::TableCell<CharFrequency> =
    crate::table::TableCell::new(load_frequency);

/// Reads the gate's table (for [`crate::table::check_all`]).
pub(crate) fn check() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&FREQUENCY)
}

/// How many hits a set of required literals is expected to draw, per million characters, in
/// the language where it draws more: the lower the better (see [`beats`]). Per language,
/// the sum of its literals' frequencies ([`CharFrequency::of_literal`]), or, when smaller,
/// the sum of the frequencies of the characters they start with (a hit starts at one; the
/// sets are sorted, so equal first characters are adjacent, and an unsorted set only counts
/// some twice). `at_word_start`: the pattern lets a literal that starts with a word character
/// stand only at an ASCII word's start. Which set is chosen never changes what the gate
/// finds (every set a pattern yields is held by each of its matches); only how many places
/// it searches.
fn cost(set: &[String], at_word_start: bool) -> f64 {
    let f = &*FREQUENCY;
    let mut by_literal = [0.0f64; 2];
    let mut by_first = [0.0f64; 2];
    let mut last_first = None;
    for literal in set {
        let Some(first) = literal.chars().next() else { continue };
        if last_first != Some(first) {
            last_first = Some(first);
            let start = usize::from(at_word_start && is_word_byte(Some(first))) * 2;
            let of_first = f.of(first);
            by_first[0] += of_first[start];
            by_first[1] += of_first[1 + start];
        }
        let of_literal = f.of_literal(literal, at_word_start);
        by_literal[0] += of_literal[0];
        by_literal[1] += of_literal[1];
    }
    by_literal[0].min(by_first[0]).max(by_literal[1].min(by_first[1]))
}

/// The pattern parts before a literal (walked outward) let it stand only at an ASCII word's
/// start: a word boundary is asserted where they may be empty, and what they can end with
/// is no ASCII word character (so a literal that starts with one starts a word).
fn at_word_start<'h>(before: impl Iterator<Item = &'h Hir>) -> bool {
    match Side::of(before, false) {
        Ok(side) => {
            side.may_be_bare
                && side.bare_needs_boundary
                && side.chars.ascii & WORD_BITS == 0
        }
        Err(_) => false,
    }
}

/// The ASCII word characters (`[0-9A-Za-z_]`) as the bits of [`Alphabet::ascii`].
const WORD_BITS: u128 = {
    let mut bits = 0u128;
    let mut c = 0u8;
    while c < 128 {
        if c.is_ascii_alphanumeric() || c == b'_' {
            bits |= 1 << c;
        }
        c += 1;
    }
    bits
};

/// How good a requirement a set of literals is: its [`cost`], then its [`score`].
type Merit = (f64, (u32, std::cmp::Reverse<usize>));

fn merit(set: &[String], at_word_start: bool) -> Merit {
    (cost(set, at_word_start), score(set))
}

/// A set of merit `a` is a better requirement than one of merit `b`: it is expected to draw
/// fewer hits, or as many and scores higher.
fn beats(a: &Merit, b: &Merit) -> bool {
    match a.0.partial_cmp(&b.0) {
        Some(std::cmp::Ordering::Less) => true,
        Some(std::cmp::Ordering::Greater) => false,
        _ => a.1 > b.1,
    }
}

/// A set of strings of which every match of `hir` holds one, or `None` when none is known.
/// Never holds the empty string.
fn required(hir: &Hir) -> Result<Option<Vec<String>>, Ungated> {
    required_of_inexact(hir, false)
}

/// [`required`], told whether `exact(hir)` is already known to be `None` (a child of a
/// concatenation, [`concat_required`], or of a repetition): then it is not derived again.
/// Derived again, the exact language of a large alternation was expanded once more per
/// level of nesting (the gate is built at start-up, before the first document).
fn required_of_inexact(hir: &Hir, inexact: bool) -> Result<Option<Vec<String>>, Ungated> {
    let usable =
        |set: Option<Vec<String>>| set.filter(|s| !s.is_empty() && s.iter().all(|x| !x.is_empty()));
    let exact_of_hir = |hir: &Hir| if inexact { Ok(None) } else { exact(hir) };
    Ok(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => usable(exact_of_hir(hir)?),
        // A group matches what its inside matches: inexact alike.
        HirKind::Capture(cap) => required_of_inexact(&cap.sub, inexact)?,
        HirKind::Repetition(rep) => {
            if rep.min == 0 {
                None
            } else {
                let sub = exact(&rep.sub)?;
                let sub_inexact = sub.is_none();
                match usable(sub) {
                    Some(s) => Some(s),
                    None => required_of_inexact(&rep.sub, sub_inexact)?,
                }
            }
        }
        HirKind::Alternation(subs) => {
            if let Some(all) = usable(exact_of_hir(hir)?) {
                return Ok(Some(all));
            }
            let mut all: Vec<String> = Vec::new();
            for s in subs {
                match required(s)? {
                    Some(r) => all.extend(r),
                    None => return Ok(None),
                }
            }
            all.sort_unstable();
            all.dedup();
            Some(all)
        }
        HirKind::Concat(subs) => concat_required(subs)?.0,
    })
}

/// The best requirement of a concatenation, and the children `i..j` whose concatenations it
/// is when it is such a window (else `None`: it lies inside one child).
type ConcatRequired = (Option<Vec<String>>, Option<(usize, usize)>);

fn concat_required(subs: &[Hir]) -> Result<ConcatRequired, Ungated> {
    let exacts: Vec<Option<Vec<String>>> = subs.iter().map(exact).collect::<Result<_, _>>()?;
    let mut best: Option<Vec<String>> = None;
    let mut best_key: Option<Merit> = None;
    let mut window: Option<(usize, usize)> = None;
    // A usable set (non-empty, no empty string) that [`beats`] the best so far wins; it is
    // copied only then (the windows below try hundreds of sets a pattern at start-up).
    let mut consider = |set: &[String], w: Option<(usize, usize)>, at_word_start: bool| {
        if set.is_empty() || set.iter().any(String::is_empty) {
            return;
        }
        let key = merit(set, at_word_start);
        if best_key.as_ref().is_none_or(|b| beats(&key, b)) {
            best = Some(set.to_vec());
            best_key = Some(key);
            window = w;
        }
    };
    // Windows of adjacent children with small exact languages: their concatenations.
    for i in 0..subs.len() {
        if exacts.get(i).is_none_or(Option::is_none) {
            continue;
        }
        let word_start = at_word_start(subs[..i].iter().rev());
        let mut acc = vec![String::new()];
        for (j, e) in exacts.iter().enumerate().skip(i) {
            let Some(e) = e else { break };
            let Some(next) = product(&acc, e) else { break };
            acc = next;
            consider(&acc, Some((i, j + 1)), word_start);
        }
    }
    for (s, e) in subs.iter().zip(&exacts) {
        if e.is_none() {
            if let Some(r) = required_of_inexact(s, true)? {
                consider(&r, None, false);
            }
        }
    }
    Ok((best, window))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(p: &str) -> Vec<String> {
        shape_of(p).expect("gated").2
    }

    #[test]
    fn literals_are_read_off_the_pattern() {
        assert_eq!(lits(r"(?P<n>[0-9]{1,2})\s*日"), vec!["日"]);
        assert_eq!(lits(r"年初|年底"), vec!["年初", "年底"]);
        // `all` at a word's start is commoner in English news than `day` or `week` (and
        // `(?i)` lets `k` be the Kelvin sign).
        assert_eq!(
            lits(r"(?i)(?-u:\b)all\s+(?P<u>day|week)(?-u:\b)"),
            vec!["day", "week", "wee\u{212A}"]
        );
        // Optional parts never make a requirement.
        assert_eq!(lits(r"(?:去年)?[0-9]+月"), vec!["月"]);
    }

    /// Of a pattern's requirements, the one expected to draw the fewest hits in news is
    /// chosen ([`cost`], from the character table): the separator of a numeric date over
    /// its digits, the lead words of a span over its units.
    #[test]
    fn the_rarer_requirement_is_chosen() {
        // The slash with the digits after it (rarer still than the slash alone).
        let slash = lits(r"[0-9]{1,2}/[0-9]{1,2}");
        assert!(slash.iter().all(|l| l.starts_with('/')), "{slash:?}");
        assert_eq!(lits(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})"), vec!["-", ".", "/"]);
        assert_eq!(
            lits(r"(?P<dir>过去|最近|未来)\s*(?P<n>[0-9]+)\s*(?P<u>个月|年|天)"),
            vec!["最近", "未来", "过去"]
        );
        // Digits are common in both languages, a separator word in English only: the set is
        // judged by the language where it draws more.
        assert!(cost(&["0".into(), "1".into()], false) > cost(&["/".into()], false));
        assert!(cost(&["to".into()], false) > cost(&["~".into()], false));
        // A word counted only at a word's start is rarer than anywhere.
        let word = ["past".to_string()];
        assert!(cost(&word, true) < cost(&word, false));
        // The frequency table reads.
        assert_eq!(check(), Ok(()));
    }

    #[test]
    fn patterns_without_a_requirement_are_searched_whole() {
        assert_eq!(shape_of(r"[0-9]*").err(), Some(Ungated::Empty));
        assert_eq!(shape_of(r"\w+").err(), Some(Ungated::NoLiterals));
    }

    /// The plan's hits, found over the stretches that can hold a literal, are those of one
    /// search of the whole text.
    #[test]
    fn stretch_hits_equal_plain_hits() {
        let patterns = [
            r"(?P<n>[0-9]{1,2})\s*日",
            r"(?i)(?-u:\b)(?:jan|feb)\.?\s*[0-9]{1,2}(?-u:\b)",
            r"Q[1-4]",
            r"上旬|下旬|去年",
            r"[0-9]{1,2}/[0-9]{1,2}",
            r"😀月",
        ];
        let texts = [
            "3日 12日和2025年9月3 日，上旬与下旬，去年。",
            "JAN 3, Feb.12 feb 4x jan 5 q3 Q3",
            "😀月 x😀 月😀月",
            "é日 ü12/3",
            "",
            "日",
            "上去年下旬",
        ];
        let gate = Gate::new(patterns.iter().copied());
        for t in texts {
            assert_eq!(gate.plan(t).hits(), gate.plain_hits(t), "{t:?}");
        }
    }

    /// The alphabets' bits agree with their ranges, and the runs read with them with the
    /// runs read character by character.
    /// The bucketed sort of a plan's hits equals `sort_unstable` then `dedup`, on hits in
    /// the near order a plan finds them and in any order, few and many.
    #[test]
    fn sorted_hits_equal_sort_unstable() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in [0usize, 1, 5, 32, 33, 100, 3000] {
            for sets in [1usize, 3, 104] {
                for shuffled in [false, true] {
                    let mut keys: Vec<u64> = (0..n)
                        .map(|i| {
                            let set = rand() % sets as u64;
                            let byte = if shuffled {
                                rand() % 500
                            } else {
                                (i as u64 * 3).saturating_sub(rand() % 12)
                            };
                            (set << 32) | byte
                        })
                        .collect();
                    let mut plain = keys.clone();
                    plain.sort_unstable();
                    plain.dedup();
                    sort_hits(&mut keys, sets);
                    assert_eq!(keys, plain, "{n} hits of {sets} sets, shuffled {shuffled}");
                }
            }
        }
    }

    #[test]
    fn alphabet_bits_equal_ranges() {
        let patterns = [
            r"(?P<n>[0-9]{1,2})\s*日",
            r"(?i)(?-u:\b)(?:jan|feb)\.?\s*[0-9]{1,2}(?-u:\b)",
            r"😀月|[\u{1F600}-\u{1F64F}]年",
            r"[^x]年",
            r"\w+日",
            r"[\u{FFC0}-\u{10040}]月",
        ];
        let texts = [
            "3日 12日和2025年9月3 日，上旬与下旬，去年。",
            "JAN 3, Feb.12 feb 4x jan 5 q3 Q3",
            "😀月 x😀 月😀月🙏年x年\u{FFFF}月\u{10000}\u{10041}",
            "é日 ü12/3",
            "",
            "日",
        ];
        let gate = Gate::new(patterns.iter().copied());
        assert_eq!(gate.check_alphabets(&texts), Ok(()));
    }

    /// The gated search finds what the plain one finds, on texts built to probe the runs'
    /// ends: look-around beside a run, literals in other case, runs at the text's ends.
    #[test]
    fn gated_matches_equal_plain_matches() {
        let patterns = [
            r"(?P<n>[0-9]{1,2})\s*日",
            r"(?i)(?-u:\b)(?P<y>1[0-9]{3}|20[0-9]{2})(?-u:\b)",
            r"(?i)(?-u:\b)(?:jan|feb)\.?\s*[0-9]{1,2}(?-u:\b)",
            r"Q[1-4]",
            r"[0-9]{1,2}/[0-9]{1,2}",
            r"\w+",
        ];
        let texts = [
            "3日 12日和2025年9月3 日",
            "in 2025x, 2025 and 1999; x2020 y 2020",
            "JAN 3, Feb.12 feb 4x jan 5",
            "q3 Q3 Q5 q1Q2",
            "Q3 Q1 q2",
            "12/3/2025 1/2 x9/9",
            "",
            "日",
            "2025",
        ];
        let gate = Gate::new(patterns.iter().copied());
        for t in texts {
            let plan = gate.plan(t);
            for (i, p) in patterns.iter().enumerate() {
                let re = Regex::new(p).unwrap();
                let plain: Vec<(usize, usize)> =
                    re.find_iter(t).map(|m| (m.start(), m.end())).collect();
                let mut gated = Vec::new();
                plan.for_each_match(i, || &re, None, |g| gated.push(g[0].unwrap()));
                assert_eq!(gated, plain, "pattern {p:?} on {t:?}");
                // A rule the plan leaves out has no match.
                assert!(plan.rules().contains(&i) || plain.is_empty(), "{p:?} on {t:?}");
            }
        }
    }
}
