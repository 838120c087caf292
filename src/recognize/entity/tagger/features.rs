//! Feature extraction for the NER tagger: the units a sentence is tagged on, and the hashed
//! feature ids of every unit.
//!
//! Chinese sentences are tagged per character (a run of ASCII letters or digits is one unit,
//! so a Latin word is never cut in two); English sentences per token. Every feature is a
//! template id mixed with the values it looks at (characters, jieba POS, word hashes, ...)
//! into one `u64` — no string is built per feature. Training and tagging call exactly the
//! same code, so the model and the features cannot drift apart; `FEATURES_VERSION` is
//! written into the model file and checked when it loads.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::model::{Loc, Model, ModelId, Row, RowSums, Sums, NT, ROW_LANES};
use crate::normalize::script::is_han;
use crate::segment::Token;

/// Bump when a template changes: old model files then refuse to load. (3: feature groups;
/// 4: word-cluster groups.)
pub(crate) const FEATURES_VERSION: u32 = 4;

/// One mixing step (FxHash-style multiply-rotate).
#[inline]
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// Final avalanche so that keys spread over a power-of-two table; never 0 (0 marks empty).
#[inline]
pub(crate) fn finish(h: u64) -> u64 {
    let mut z = h;
    z ^= z >> 33;
    z = z.wrapping_mul(0xff51_afd7_ed55_8ccd);
    z ^= z >> 33;
    z = z.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    z ^= z >> 33;
    z.max(1)
}

/// Hash of a string's bytes.
#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes(), |b| b)
}

/// Hash of a string's bytes with ASCII letters case-folded, without building the folded
/// string: Chinese features must not depend on letter case, because the training sets
/// disagree on it (MSRA train keeps case, People's Daily is lower-cased).
#[inline]
pub(crate) fn hash_str_folded(s: &str) -> u64 {
    hash_bytes(s.as_bytes(), |b| b.to_ascii_lowercase())
}

#[inline]
fn hash_bytes(b: &[u8], fold: impl Fn(u8) -> u8) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(
            h,
            u64::from_le_bytes([
                fold(c[0]),
                fold(c[1]),
                fold(c[2]),
                fold(c[3]),
                fold(c[4]),
                fold(c[5]),
                fold(c[6]),
                fold(c[7]),
            ]),
        );
    }
    for &x in chunks.remainder() {
        h = mix(h, fold(x) as u64);
    }
    mix(h, b.len() as u64)
}

/// Hash of a string's lower-case form, without building it.
fn hash_lower(s: &str) -> u64 {
    let mut h = 0x8422_2325_cbf2_9ce4u64;
    for c in s.chars() {
        for l in c.to_lowercase() {
            h = mix(h, l as u64);
        }
    }
    h
}

/// Low bits of a feature id: bit 3 marks a feature that belongs to a *group*, bits 0..2 its
/// slot in the group. A group is a set of features that look at the same values (the same
/// character at offsets -2..+2, the same word at positions B/M/E/S/outside, ...); the model
/// stores a group's weights in one record, so the runtime finds all of them with one lookup
/// (see `model.rs`). Other features are *single* (bits 0..3 zero).
pub(crate) const GROUPED: u64 = 8;
pub(crate) const SLOT_MASK: u64 = 7;
/// Slots per group record.
pub(crate) const GROUP_SLOTS: usize = 5;

/// Hash of a template id and the values it looks at.
#[inline]
fn template_hash(template: u64, parts: &[u64]) -> u64 {
    hash_of_mix(template_mix(template, parts))
}

/// A template id and the values it looks at, mixed but not yet finished: equal mixes
/// give equal hashes ([`hash_of_mix`]), so a memo can be keyed by the mix and skip the
/// finishing avalanche when it holds the answer ([`LocCache`]).
#[inline]
fn template_mix(template: u64, parts: &[u64]) -> u64 {
    let mut h = template.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &p in parts {
        h = mix(h, p);
    }
    h
}

/// The [`template_hash`] of a [`template_mix`].
#[inline]
fn hash_of_mix(h: u64) -> u64 {
    // Never 0 (0 marks an empty table slot), whatever the low bits become.
    (finish(h) & !0xF).max(0x10)
}

/// The [`group_key`] of a [`template_mix`].
#[inline]
fn group_of_mix(h: u64) -> u64 {
    hash_of_mix(h) | GROUPED
}

/// The id of one single feature: its template id mixed with the values it looks at.
#[inline]
fn feature_key(template: u64, parts: &[u64]) -> u64 {
    template_hash(template, parts)
}

/// The id of a feature group (slot 0); [`slot_key`] gives its members.
#[inline]
pub(crate) fn group_key(template: u64, parts: &[u64]) -> u64 {
    template_hash(template, parts) | GROUPED
}

/// The id of the feature in slot `slot` (< [`GROUP_SLOTS`]) of `group`.
#[inline]
pub(crate) fn slot_key(group: u64, slot: u8) -> u64 {
    group | (slot as u64 & SLOT_MASK)
}

/// The id of the bias feature (present at every unit) of a language's templates: its
/// O weight sets how readily the model tags anything at all.
pub(crate) fn bias_key(lang: super::model::Lang) -> u64 {
    match lang {
        super::model::Lang::Zh => feature_key(t::BIAS, &[]),
        super::model::Lang::En => feature_key(EN_BIAS, &[]),
    }
}

const EN_BIAS: u64 = 100;

/// Per-unit feature ids, flattened: unit `i` owns `ids[bounds[i]..bounds[i + 1]]`.
#[derive(Debug, Default, Clone)]
pub struct FeatureBuf {
    pub ids: Vec<u64>,
    bounds: Vec<u32>,
}

impl FeatureBuf {
    pub fn clear(&mut self) {
        self.ids.clear();
        self.bounds.clear();
        self.bounds.push(0);
    }

    fn end_unit(&mut self) {
        self.bounds.push(self.ids.len() as u32);
    }

    #[inline]
    fn push(&mut self, template: u64, parts: &[u64]) {
        self.ids.push(feature_key(template, parts));
    }

    #[inline]
    fn push_slot(&mut self, group: u64, slot: u8) {
        self.ids.push(slot_key(group, slot));
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Feature ids of unit `i` (empty when out of range).
    pub fn unit(&self, i: usize) -> &[u64] {
        match (self.bounds.get(i), self.bounds.get(i + 1)) {
            (Some(&a), Some(&b)) => self.ids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The same units with only the features at the positions `keep` accepts (a position
    /// is the feature's place in its unit's list: for a Chinese sentence, see
    /// [`zh_template_at`]). `train-ner --ablate-zh` trains without some templates this way.
    pub fn retain_positions(&self, keep: impl Fn(usize) -> bool) -> FeatureBuf {
        let mut out = FeatureBuf::default();
        out.clear();
        for i in 0..self.len() {
            for (j, &f) in self.unit(i).iter().enumerate() {
                if keep(j) {
                    out.ids.push(f);
                }
            }
            out.end_unit();
        }
        out
    }
}

/// The name of the template at position `j` of a unit's list in [`zh_features`]: `bias`,
/// `u-2` .. `u+2` (the unigram at that offset), `b-2` .. `b+1` (the bigram starting at that
/// offset), `t-2` .. `t0` (the trigram starting there), `kinds`, `pos` (POS with length),
/// `pos3`, `word`, `prev`, `next`, `cue` (cue with cluster), `cue3` (the neighbours' cues
/// with clusters), and `extra` for the surname and Latin-run features after them.
pub fn zh_template_at(j: usize) -> &'static str {
    const NAMES: [&str; 21] = [
        "bias", "u-2", "u-1", "u0", "u+1", "u+2", "b-2", "b-1", "b0", "b+1", "t-2", "t-1",
        "t0", "kinds", "pos", "pos3", "word", "prev", "next", "cue", "cue3",
    ];
    NAMES.get(j).copied().unwrap_or("extra")
}

// ---------------------------------------------------------------------------------------
// Cue lexicon (data/models/ner-cues.tsv)

const CUE_ORG: u8 = 1;
const CUE_LOC: u8 = 2;
const CUE_TITLE: u8 = 4;
const CUE_SURNAME: u8 = 8;

/// A fast non-cryptographic hasher for the cue table (looked up once per character).
#[derive(Default, Clone, Copy)]
pub(crate) struct MixHasher(u64);

impl std::hash::Hasher for MixHasher {
    fn finish(&self) -> u64 {
        finish(self.0)
    }
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes per step: cue words are two to four Han characters (6-12 bytes).
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.0 = mix(
                self.0,
                u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            );
        }
        let mut tail = 0u64;
        for (k, &b) in chunks.remainder().iter().enumerate() {
            tail |= (b as u64) << (8 * k);
        }
        self.0 = mix(self.0, tail);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = mix(self.0, n);
    }
}

type MixBuild = std::hash::BuildHasherDefault<MixHasher>;

/// Parses `data/models/ner-cues.tsv` (kind, word) into each word's cue bits; an unknown
/// kind or a missing or extra column is an error with file and line.
pub(crate) fn parse_cues(
    file: &'static str,
    text: &'static str,
) -> Result<HashMap<&'static str, u8, MixBuild>, crate::table::TableError> {
    let mut m: HashMap<&'static str, u8, MixBuild> = HashMap::default();
    for r in crate::table::rows(file, text) {
        r.at_most(2)?;
        let bit = match r.cell(0, "kind")? {
            "org_suffix" => CUE_ORG,
            "loc_suffix" => CUE_LOC,
            "per_title" => CUE_TITLE,
            "surname" => CUE_SURNAME,
            bad => {
                return Err(r.error(format!(
                    "unknown kind {bad:?} (org_suffix, loc_suffix, per_title, surname)"
                )))
            }
        };
        *m.entry(r.cell(1, "word")?).or_insert(0) |= bit;
    }
    Ok(m)
}

fn cue_table() -> Result<HashMap<&'static str, u8, MixBuild>, crate::table::TableError> {
    let (file, text) = crate::data_table!("models/ner-cues.tsv");
    parse_cues(file, text)
}

/// Loads `data/models/ner-cues.tsv`, for [`crate::table::check_all`].
pub(crate) fn check_cues() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&CUE_TABLE)
}

static CUE_TABLE: crate::table::TableCell<HashMap<&'static str, u8, MixBuild>> =
    crate::table::TableCell::new(cue_table);

/// Every cue word with its cue bits.
fn cues() -> &'static HashMap<&'static str, u8, MixBuild> {
    crate::table::cell_value(&CUE_TABLE)
}

/// The surnames of the cue lexicon (single and compound), sorted: training's mention
/// replacement draws synthetic person names from them (`corpus::replace_mentions`).
pub(crate) fn surnames() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = cues()
        .iter()
        .filter(|(_, &bits)| bits & CUE_SURNAME != 0)
        .map(|(&w, _)| w)
        .collect();
    v.sort_unstable();
    v
}

/// What the feature at position `j` of a unit's list in [`zh_features`] looks at, so that
/// training can hide the features that name the entity itself (feature dropout, see
/// `perceptron::Dropout`) without a second feature list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZhFeatureKind {
    /// A character n-gram of `len` units whose first unit is `first` units from this one.
    NGram { first: i8, len: u8 },
    /// The jieba word holding the unit.
    Word,
    /// The jieba word before or after the one holding the unit.
    NeighbourWord,
    /// Anything else (bias, classes, POS, cues and clusters, surname, Latin run).
    Other,
}

/// The kind of the feature at position `j` of a unit's list in [`zh_features`] (bias, the
/// n-gram slots by length, the classes, then the word groups in [`word_groups`] order).
pub(crate) fn zh_feature_kind(j: usize) -> ZhFeatureKind {
    let mut at = 1;
    if j == 0 {
        return ZhFeatureKind::Other;
    }
    for len in 1..=MAX_NGRAM {
        let n = ngram_slots(len);
        if j < at + n {
            return ZhFeatureKind::NGram {
                first: (j - at) as i8 - 2,
                len: len as u8,
            };
        }
        at += n;
    }
    // The classes, then POS with length, POS of the three words, the word, its neighbours.
    match j - at {
        3 => ZhFeatureKind::Word,
        4 | 5 => ZhFeatureKind::NeighbourWord,
        _ => ZhFeatureKind::Other,
    }
}

fn cue_of(word: &str) -> u8 {
    cues().get(word).copied().unwrap_or(0)
}

/// First characters of surnames in the CJK Unified Ideographs block, as a bitmap: bit 0 of
/// a character's entry marks a one-character surname, bit 1 the first character of a
/// compound one; bit 2 ([`HAN_NUMERAL_MARK`]) marks a Han numeral. Looked up for every Han
/// character, so it must not cost a hash lookup.
const CJK_FIRST: u32 = 0x4E00;
const CJK_LAST: u32 = 0x9FFF;
/// Builds the per-character tables of the features (see `entity::warm`).
pub(crate) fn warm() {
    LazyLock::force(&SURNAME_START);
    LazyLock::force(&CUE_LAST);
    LazyLock::force(&COMPOUND_SURNAMES);
}

static SURNAME_START: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut marks = vec![0u8; (CJK_LAST - CJK_FIRST + 1) as usize];
    for (word, &bits) in cues().iter() {
        if bits & CUE_SURNAME == 0 {
            continue;
        }
        let mut chars = word.chars();
        let (Some(first), rest) = (chars.next(), chars.next()) else {
            continue;
        };
        if let Some(m) = (first as u32)
            .checked_sub(CJK_FIRST)
            .and_then(|i| marks.get_mut(i as usize))
        {
            *m |= if rest.is_none() { 1 } else { 2 };
        }
    }
    // The Han numerals, all in the block: a unit's class comes from the same read.
    for (i, m) in marks.iter_mut().enumerate() {
        if char::from_u32(CJK_FIRST + i as u32).is_some_and(is_han_numeral) {
            *m |= HAN_NUMERAL_MARK;
        }
    }
    marks
});

/// The mark of a Han numeral in [`SURNAME_START`].
const HAN_NUMERAL_MARK: u8 = 4;

/// The two-character surnames of the cue lexicon (欧阳, 司马 ...) as character pairs,
/// sorted.
static COMPOUND_SURNAMES: LazyLock<Vec<(u32, u32)>> = LazyLock::new(|| {
    let mut pairs: Vec<(u32, u32)> = cues()
        .iter()
        .filter(|(_, &bits)| bits & CUE_SURNAME != 0)
        .filter_map(|(word, _)| {
            let mut chars = word.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(a), Some(b), None) => Some((a as u32, b as u32)),
                _ => None,
            }
        })
        .collect();
    pairs.sort_unstable();
    pairs
});

/// Whether the two characters (code points) `a` `b` are a surname of the cue lexicon: the
/// same answer as `cue_of` of the two, without hashing them.
fn is_compound_surname(a: u32, b: u32) -> bool {
    COMPOUND_SURNAMES.binary_search(&(a, b)).is_ok()
}

/// The surname marks of a character (test reference: `push_units` reads the table itself).
#[cfg(test)]
fn surname_start(c: char) -> u8 {
    (c as u32)
        .checked_sub(CJK_FIRST)
        .and_then(|i| SURNAME_START.get(i as usize))
        .map_or(0, |&m| m & 3)
}

/// Marks the CJK characters that end an org, place or title cue (bit 0): a word whose last
/// character is unmarked has no cue and no cue suffix, which spares most words the hash-map
/// lookups of [`word_cue`].
static CUE_LAST: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let mut marks = vec![0u8; (CJK_LAST - CJK_FIRST + 1) as usize];
    for (word, &bits) in cues().iter() {
        if bits & (CUE_ORG | CUE_LOC | CUE_TITLE) == 0 {
            continue;
        }
        if let Some(m) = word
            .chars()
            .next_back()
            .and_then(|c| (c as u32).checked_sub(CJK_FIRST))
            .and_then(|i| marks.get_mut(i as usize))
        {
            *m = 1;
        }
    }
    marks
});

/// False only when no cue entry can end with `word`'s last character.
fn may_have_cue(word: &str) -> bool {
    match word.chars().next_back() {
        Some(c) if (CJK_FIRST..=CJK_LAST).contains(&(c as u32)) => CUE_LAST
            .get((c as u32 - CJK_FIRST) as usize)
            .is_some_and(|&m| m != 0),
        Some(_) => true,
        None => false,
    }
}

/// Cue bits of a word: its own entry, plus org/place suffix entries it ends with.
fn word_cue(word: &str) -> u8 {
    if may_have_cue(word) {
        word_cue_lookup(word)
    } else {
        0
    }
}

/// [`word_cue`] by hash-map lookups alone.
fn word_cue_lookup(word: &str) -> u8 {
    let mut cue = cue_of(word) & (CUE_ORG | CUE_LOC | CUE_TITLE);
    let mut n = 0;
    for (i, _) in word.char_indices().rev().skip(1) {
        n += 1;
        if n > 3 {
            break;
        }
        cue |= (cue_of(&word[i..]) & (CUE_ORG | CUE_LOC)) << 4;
    }
    if word.chars().count() == 1 {
        cue |= (cue_of(word) & (CUE_ORG | CUE_LOC)) << 4;
    }
    cue
}

// ---------------------------------------------------------------------------------------
// Word clusters (data/models/ner-clusters.tsv)

/// The cluster of a word with no row in the table (and of a unit outside any word).
const NO_CLUSTER: u32 = u32::MAX;

/// A hasher for keys that are already well-mixed hashes (the word hashes of
/// [`hash_str_folded`]): one multiply instead of a second hash of the word.
#[derive(Default, Clone, Copy)]
pub(crate) struct PremixedHasher(u64);

impl std::hash::Hasher for PremixedHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type ClusterMap = HashMap<u64, u32, std::hash::BuildHasherDefault<PremixedHasher>>;

/// Reads the cluster table: `word, fine cluster, coarse cluster` rows (made by the lab tool
/// `ner-clusters` from unlabeled non-test text, see data/models/README.md), keyed by the
/// case-folded word hash the features already compute, valued `fine | coarse << 16`.
fn load_clusters() -> Result<ClusterMap, crate::table::TableError> {
    let (file, text) = crate::data_table!("models/ner-clusters.tsv");
    parse_clusters(file, text)
}

/// [`load_clusters`] of the table `text` read from `file`.
fn parse_clusters(file: &str, text: &str) -> Result<ClusterMap, crate::table::TableError> {
    // Both sized once for every row (grown step by step, they rehashed every word again),
    // the set of words with FxHash: the table is our own data.
    let most = text.bytes().filter(|&b| b == b'\n').count() + 1;
    let mut m = ClusterMap::with_capacity_and_hasher(most, Default::default());
    let mut words = rustc_hash::FxHashSet::with_capacity_and_hasher(most, Default::default());
    for r in crate::table::rows(file, text) {
        r.at_most(3)?;
        let word = r.cell(0, "word")?;
        let fine: u16 = r.parse(1, "fine")?;
        let coarse: u16 = r.parse(2, "coarse")?;
        if fine == u16::MAX || coarse == u16::MAX {
            return Err(r.error("cluster 65535 is reserved for words without a row"));
        }
        if !words.insert(word) {
            return Err(r.error(format!("{word:?} has two rows")));
        }
        // Two words whose hashes collide (沙基奇, 沙基克) share the features of the word
        // anyway; the earlier row, the more frequent word, keeps the hash.
        m.entry(hash_str_folded(word))
            .or_insert(fine as u32 | (coarse as u32) << 16);
    }
    Ok(m)
}

/// Reads the cluster table (for [`crate::table::check_all`], through the tagger's check).
/// The table is parsed once, here, while jieba's dictionary loads on its own thread: parsed
/// again on the first sentence, it stood on the path to the first record.
pub(crate) fn check_clusters() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&CLUSTERS)
}

static CLUSTERS: crate::table::TableCell<ClusterMap> = crate::table::TableCell::new(load_clusters);

/// The clusters of the word with folded hash `word` (`fine | coarse << 16`).
#[inline]
fn cluster_of(word: u64) -> u32 {
    crate::table::cell_value(&CLUSTERS)
        .get(&word)
        .copied()
        .unwrap_or(NO_CLUSTER)
}

/// The fine cluster of a packed cluster value.
#[inline]
fn fine(c: u32) -> u64 {
    (c & 0xffff) as u64
}

/// The coarse cluster of a packed cluster value.
#[inline]
fn coarse(c: u32) -> u64 {
    (c >> 16) as u64
}

// ---------------------------------------------------------------------------------------
// Chinese: character units

/// Coarse character classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Kind {
    Han = 1,
    HanNumeral = 2,
    /// A run of ASCII letters (with or without digits), whatever its case.
    Letters = 3,
    Digits = 6,
    Punct = 7,
    Space = 8,
    Other = 9,
}

fn is_han_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
            | '万'
            | '亿'
    )
}

/// The class of a run of ASCII letters and digits; letter case is deliberately not looked at
/// (see [`hash_str_folded`]). `push_units` finds it while it reads the run; this is the
/// test reference.
#[cfg(test)]
fn latin_kind(run: &str) -> Kind {
    if run.bytes().all(|b| b.is_ascii_digit()) {
        Kind::Digits
    } else {
        Kind::Letters
    }
}

/// A tagging unit of a Chinese sentence, with what the features need to know about it
/// that is its own; what it shares with the other units of its jieba word is in the
/// sentence's word table ([`ZhUnits`]), once per word, not copied into every unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Unit {
    /// Byte span in the normalised text.
    pub start: usize,
    pub end: usize,
    sym: u64,
    latin_word: u64,
    /// Place of the containing jieba word in the sentence's word table
    /// ([`ZhUnits::words`]: token `ti` is at `ti + 1`; a unit outside any word is at
    /// [`outside_at`]): units with the same place share every word-level value.
    token: u32,
    kind: Kind,
    /// Position in the containing jieba word: 0 B, 1 M, 2 E, 3 S, 4 outside any word.
    wpos: u8,
    surname: u8,
}

/// The units of a Chinese sentence ([`zh_units`]) and the table of its jieba words that
/// they point into.
#[derive(Debug, Default, Clone)]
pub(crate) struct ZhUnits {
    pub units: Vec<Unit>,
    /// The [`WordInfo`] of each token `ti` at `ti + 1`, with [`NO_WORD`] before the first
    /// and three after the last: a word's neighbours are always its table neighbours, and
    /// a unit outside any word points at the middle one of the three, whose own and
    /// neighbours' values are all [`NO_WORD`]'s.
    words: Vec<WordInfo>,
}

impl ZhUnits {
    /// Empties both tables.
    pub(crate) fn clear(&mut self) {
        self.units.clear();
        self.words.clear();
    }

    /// The word before, of and after the unit at word place `token` (all [`NO_WORD`] where
    /// the table has none).
    #[inline]
    fn words_around(&self, token: u32) -> (&WordInfo, &WordInfo, &WordInfo) {
        let ti = token as usize;
        match ti.checked_sub(1).and_then(|p| self.words.get(p..ti + 2)) {
            Some([p, c, n]) => (p, c, n),
            _ => (&NO_WORD, &NO_WORD, &NO_WORD),
        }
    }
}

/// The place in the word table of the units outside any word, for a sentence of `tokens`
/// tokens.
#[inline]
fn outside_at(tokens: usize) -> u32 {
    (tokens + 2) as u32
}

const NONE: u64 = 0x5eed;

/// The word values of no word (before the first, after the last, and of a unit outside
/// any word).
const NO_WORD: WordInfo = WordInfo {
    word: NONE,
    pos: NONE,
    cue: 0,
    len: 0,
    cl: NO_CLUSTER,
};

/// Splits the sentence `text[s..e]` into units, with jieba word information from `tokens`
/// (the tokens of that sentence, sorted by start). `out` is cleared first.
///
/// Two passes: the word table (every token's [`WordInfo`]: its folded hash, POS hash, cue,
/// length and cluster, memoised per thread), then one pass over the characters that pushes
/// each unit with the place of its token in the table.
pub(crate) fn zh_units(text: &str, s: usize, e: usize, tokens: &[Token], out: &mut ZhUnits) {
    out.clear();
    if text.get(s..e).is_none() {
        return;
    }
    with_word_cache(|cache| word_table(text, tokens, &mut out.words, cache));
    push_units(text, s, e, tokens, &mut out.units);
}

/// The word table of `tokens` ([`ZhUnits::words`]) into `words` (cleared first).
fn word_table(
    text: &str,
    tokens: &[Token],
    words: &mut Vec<WordInfo>,
    mut cache: Option<&mut WordCache>,
) {
    words.clear();
    words.reserve(tokens.len() + 4);
    words.push(NO_WORD);
    for t in tokens {
        let (word, facts, pos) = match cache {
            Some(ref mut c) => {
                let (word, facts) = c.word_in(text, t.start, t.end);
                (word, facts, c.pos_hash(t.pos))
            }
            None => {
                let w = text.get(t.start..t.end).unwrap_or("");
                let word = hash_str_folded(w);
                (word, WordFacts::of(w, word), hash_str(t.pos))
            }
        };
        words.push(WordInfo {
            word,
            pos,
            cue: facts.cue,
            len: facts.len,
            cl: facts.cl,
        });
    }
    words.extend([NO_WORD; 3]);
}

/// Decodes the character starting at byte `i` of `b` (valid UTF-8, `b[i]` a first byte
/// of a character of two to four bytes), with its length in bytes.
#[inline]
fn decode_multibyte(b: &[u8], i: usize) -> (char, usize) {
    let at = |k: usize| (b.get(i + k).copied().unwrap_or(0) & 0x3F) as u32;
    let b0 = b.get(i).copied().unwrap_or(0) as u32;
    let (cp, n) = if b0 < 0xE0 {
        (((b0 & 0x1F) << 6) | at(1), 2)
    } else if b0 < 0xF0 {
        (((b0 & 0x0F) << 12) | (at(1) << 6) | at(2), 3)
    } else {
        (((b0 & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3), 4)
    };
    (char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER), n)
}

/// The class of a character that is not an ASCII letter or digit.
#[inline]
fn char_kind(c: char) -> Kind {
    if is_han(c) {
        if is_han_numeral(c) {
            Kind::HanNumeral
        } else {
            Kind::Han
        }
    } else if c.is_whitespace() {
        Kind::Space
    } else if c.is_ascii_punctuation() || c.is_ascii() || is_cjk_punct(c) {
        Kind::Punct
    } else {
        Kind::Other
    }
}

/// A unit's position in its word (0 B, 1 M, 2 E, 3 S) by whether it starts the word
/// (bit 1) and whether it ends it (bit 0), a nibble each: (no, no) M, (no, yes) E,
/// (yes, no) B, (yes, yes) S.
const WPOS_BY_ENDS: u16 = 0x3021;

/// Pushes the units of the sentence `text[s..e]` (a char-boundary span) to `out`, each
/// placed in its jieba word: the first token ending after the unit's start, if it starts
/// at or before it (its place in the word table: [`ZhUnits::words`]).
fn push_units(text: &str, s: usize, e: usize, tokens: &[Token], out: &mut Vec<Unit>) {
    let b = text.as_bytes();
    let e = e.min(b.len());
    let marks_of: &[u8] = &SURNAME_START;
    let mut walk = UnitWalk {
        text,
        tokens,
        outside: outside_at(tokens.len()),
        ti: 0,
        compound: None,
    };
    let mut i = s;
    while i < e {
        // The Han characters of a word, one after the other: the word is found once
        // (not for every character), and each unit's position in it is whether it is
        // its first and whether it reaches its end. The first character of another kind
        // goes the general way below, with the same word.
        walk.skip_tokens_before(i);
        if let Some(t) = tokens.get(walk.ti).filter(|t| t.start <= i) {
            let (first, last) = (t.start, t.end);
            let stop = last.min(e);
            let token = walk.ti as u32 + 1;
            while i < stop {
                let (b0, (b1, b2)) = match (b.get(i), b.get(i + 1..i + 3)) {
                    (Some(&b0), Some(&[b1, b2])) if (0xE4..=0xE9).contains(&b0) => (b0, (b1, b2)),
                    _ => break,
                };
                let cp = ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
                let (kind, marks) = cjk_kind_and_marks(marks_of, cp);
                let end = i + 3;
                walk.compound_with_single(out, cp);
                if marks & 2 != 0 {
                    walk.compound = Some((out.len(), cp));
                }
                let k = (usize::from(i == first) << 1) | usize::from(end >= last);
                out.push(Unit {
                    start: i,
                    end,
                    sym: cp as u64,
                    latin_word: 0,
                    token,
                    kind,
                    wpos: (WPOS_BY_ENDS >> (4 * k)) as u8 & 0xF,
                    surname: marks & 1,
                });
                i = end;
            }
            if i >= stop {
                continue;
            }
        }
        let start = i;
        let b0 = b[i];
        let cjk = match b.get(i + 1..i + 3) {
            Some(&[b1, b2]) if (0xE4..=0xE9).contains(&b0) => Some((b1, b2)),
            _ => None,
        };
        if let Some((b1, b2)) = cjk {
            // Three bytes from U+4000 to U+9FFF: the CJK block's characters take their
            // class and surname marks from one read of the table. (Pushed here, so that
            // the constants of a one-character unit fold into the push.)
            let cp = ((b0 as u32 & 0x0F) << 12) | ((b1 as u32 & 0x3F) << 6) | (b2 as u32 & 0x3F);
            i += 3;
            let (kind, marks) = cjk_kind_and_marks(marks_of, cp);
            walk.push(out, start, i, true, cp, kind, cp as u64, 0, marks);
            continue;
        }
        // The unit's first character (a Latin run: its first letter or digit), and
        // whether it is the unit's only one.
        let (cp, single, kind, sym, latin_word);
        if b0.is_ascii_alphanumeric() {
            let mut digits = b0.is_ascii_digit();
            i += 1;
            while i < e && b[i].is_ascii_alphanumeric() {
                digits &= b[i].is_ascii_digit();
                i += 1;
            }
            cp = b0 as u32;
            single = i - start == 1;
            let len = (i - start).min(4) as u64;
            kind = if digits { Kind::Digits } else { Kind::Letters };
            sym = 0x1_0000_0000 + (kind as u64) * 16 + if digits { len } else { 0 };
            latin_word = if digits {
                0
            } else {
                text.get(start..i).map_or(0, hash_lower)
            };
        } else {
            let (c, n) = if b0 < 0x80 {
                (b0 as char, 1)
            } else {
                decode_multibyte(b, i)
            };
            i += n;
            cp = c as u32;
            single = true;
            kind = char_kind(c);
            sym = c as u64;
            latin_word = 0;
        }
        // (Han characters outside the block are no surname: no marks.)
        walk.push(out, start, i, single, cp, kind, sym, latin_word, 0);
    }
}

/// The class and surname marks ([`SURNAME_START`]) of the character `cp`, of three
/// bytes from U+4000 to U+9FFF: the CJK block's characters take both from one read of
/// the table `marks_of`.
#[inline(always)]
fn cjk_kind_and_marks(marks_of: &[u8], cp: u32) -> (Kind, u8) {
    match cp.checked_sub(CJK_FIRST).and_then(|x| marks_of.get(x as usize)) {
        Some(&m) if m & HAN_NUMERAL_MARK != 0 => (Kind::HanNumeral, 0),
        Some(&m) => (Kind::Han, m),
        None => (char::from_u32(cp).map_or(Kind::Other, char_kind), 0),
    }
}

/// What [`push_units`] carries from one unit to the next.
struct UnitWalk<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// The word place of units outside any word ([`outside_at`]).
    outside: u32,
    /// The first token that may hold the next unit.
    ti: usize,
    /// The unit waiting for the next one to see whether the two are a compound surname,
    /// with its character.
    compound: Option<(usize, u32)>,
}

impl UnitWalk<'_> {
    /// Moves the token cursor past the tokens that end at or before byte `start`.
    #[inline(always)]
    fn skip_tokens_before(&mut self, start: usize) {
        while self.tokens.get(self.ti).is_some_and(|t| t.end <= start) {
            self.ti += 1;
        }
    }

    /// Settles the unit waiting to see whether it begins a compound surname, the next
    /// unit being the single character `cp`.
    #[inline(always)]
    fn compound_with_single(&mut self, out: &mut [Unit], cp: u32) {
        if let Some((k, first)) = self.compound.take() {
            if let Some(u) = out.get_mut(k) {
                if is_compound_surname(first, cp) {
                    u.surname |= 2;
                }
            }
        }
    }

    /// Pushes the unit `start..end` (its first character `cp`, `single` if that is all of
    /// it; its surname `marks` from [`SURNAME_START`]) to `out`, placed in its jieba word:
    /// the first token ending after the unit's start, if it starts at or before it (its
    /// place in the word table: [`ZhUnits::words`]).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        out: &mut Vec<Unit>,
        start: usize,
        end: usize,
        single: bool,
        cp: u32,
        kind: Kind,
        sym: u64,
        latin_word: u64,
        marks: u8,
    ) {
        // A unit that may begin a compound surname is one with the unit after it.
        if let Some((k, first)) = self.compound.take() {
            if let Some(u) = out.get_mut(k) {
                let is_compound = if single {
                    is_compound_surname(first, cp)
                } else {
                    self.text
                        .get(u.start..end)
                        .is_some_and(|t| cue_of(t) & CUE_SURNAME != 0)
                };
                if is_compound {
                    u.surname |= 2;
                }
            }
        }
        // Surnames: single characters, and two-character compound surnames.
        if marks & 2 != 0 {
            self.compound = Some((out.len(), cp));
        }
        // The jieba word holding the unit.
        let tokens = self.tokens;
        self.skip_tokens_before(start);
        let (token, wpos) = match tokens.get(self.ti) {
            Some(t) if t.start <= start => {
                // B 0 (first, not last), M 1, E 2 (last, not first), S 3 (both), by
                // (first, last) as two bits: a nibble of a constant, without branches.
                let k = (usize::from(start == t.start) << 1) | usize::from(end >= t.end);
                let wpos = (WPOS_BY_ENDS >> (4 * k)) as u8 & 0xF;
                (self.ti as u32 + 1, wpos)
            }
            _ => (self.outside, 4),
        };
        out.push(Unit {
            start,
            end,
            sym,
            latin_word,
            token,
            kind,
            wpos,
            surname: marks & 1,
        });
    }
}

/// What a word's text alone decides of its [`WordInfo`] (the costly part: cue lookups,
/// the cluster table, a character count), so that [`WordCache`] can keep it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WordFacts {
    /// Its cue bits ([`word_cue`]).
    cue: u8,
    /// Its length in characters, at most 5.
    len: u8,
    /// Its word cluster.
    cl: u32,
}

impl WordFacts {
    /// The facts of word `w` whose folded hash is `hash`.
    fn of(w: &str, hash: u64) -> WordFacts {
        WordFacts {
            cue: word_cue(w),
            len: w.chars().count().min(5) as u8,
            cl: cluster_of(hash),
        }
    }
}

/// Longest word, in bytes, that [`WordCache`] keeps (eight Han characters); longer ones
/// are looked up every time.
const WORD_CACHE_BYTES: usize = 24;

/// log2 of the number of places of a thread's [`WordCache`] (8192 places of 40 bytes,
/// 320 KB: a steady round of news text found about 81% of its words in 4096 places, 88%
/// in 8192, 93% in 16384).
const WORD_CACHE_BITS: u32 = 13;

/// log2 of the number of places of the POS memo of a [`WordCache`] (256 places for the
/// few dozen tags, 6 KB).
const POS_CACHE_BITS: u32 = 8;

/// One place of a [`WordCache`]: a word's text, its folded hash and its facts.
#[derive(Clone, Copy)]
struct CachedWord {
    /// The word's bytes, zero-padded ([`packed_word`]).
    text: [u64; 3],
    /// Its folded hash ([`hash_str_folded`]).
    hash: u64,
    /// Its facts' cluster, cue bits and length ([`WordFacts`], kept flat so that a place
    /// takes 40 bytes, not 48).
    cl: u32,
    cue: u8,
    chars: u8,
    /// Bytes of the word; 0 marks an empty place (the empty word is never kept).
    len: u8,
}

impl CachedWord {
    /// The facts the place holds.
    #[inline]
    fn facts(&self) -> WordFacts {
        WordFacts {
            cue: self.cue,
            len: self.chars,
            cl: self.cl,
        }
    }
}

/// The bytes `b` (at most eight) as a little-endian number, zero-padded: unaligned loads
/// that overlap rather than a loop over the bytes.
#[inline]
fn load_le(b: &[u8]) -> u64 {
    let n = b.len();
    if let Some(x) = b.first_chunk::<8>() {
        u64::from_le_bytes(*x)
    } else if n >= 4 {
        let lo = b.first_chunk::<4>().map_or(0, |x| u32::from_le_bytes(*x));
        let hi = b.last_chunk::<4>().map_or(0, |x| u32::from_le_bytes(*x));
        lo as u64 | (hi as u64) << ((n - 4) * 8)
    } else if n > 0 {
        let (lo, mid, hi) = (b[0] as u64, b[n / 2] as u64, b[n - 1] as u64);
        lo | mid << (n / 2 * 8) | hi << ((n - 1) * 8)
    } else {
        0
    }
}

/// The bytes of a word of at most [`WORD_CACHE_BYTES`] bytes as three zero-padded
/// numbers: two words of the same length are equal exactly when these are.
#[inline]
fn packed_word(b: &[u8]) -> [u64; 3] {
    let n = b.len();
    [
        load_le(b.get(..n.min(8)).unwrap_or(&[])),
        load_le(b.get(8..n.min(16)).unwrap_or(&[])),
        load_le(b.get(16..n.min(24)).unwrap_or(&[])),
    ]
}

/// [`packed_word`] of the first `n` bytes (1 ..= [`WORD_CACHE_BYTES`]) of `window`: its
/// three little-endian numbers, each masked to the bytes of the word it holds.
#[inline(always)]
fn packed_prefix(window: &[u8; WORD_CACHE_BYTES], n: usize) -> [u64; 3] {
    let masks = PREFIX_MASKS.get(n).copied().unwrap_or([0; 3]);
    std::array::from_fn(|k| {
        let x = window
            .get(8 * k..8 * k + 8)
            .and_then(|c| c.first_chunk::<8>())
            .map_or(0, |c| u64::from_le_bytes(*c));
        x & masks[k]
    })
}

/// The masks of [`packed_prefix`] by the word's length in bytes: each of the three
/// numbers keeps the bytes of the word it holds (0 ..= 8 of them).
const PREFIX_MASKS: [[u64; 3]; WORD_CACHE_BYTES + 1] = {
    let mut masks = [[0u64; 3]; WORD_CACHE_BYTES + 1];
    let mut n = 0;
    while n <= WORD_CACHE_BYTES {
        let mut k = 0;
        while k < 3 {
            let have = n.saturating_sub(8 * k);
            masks[n][k] = if have >= 8 {
                u64::MAX
            } else {
                (1u64 << (8 * have)) - 1
            };
            k += 1;
        }
        n += 1;
    }
    masks
};

/// A per-thread memo of a word's folded hash and [`WordFacts`]: news text repeats its
/// words (的, 公司, 北京 ...), and each occurrence cost a hash of its bytes, two to five
/// cue-table lookups and a cluster lookup. Direct-mapped by a cheap mix of the word's
/// bytes, bounded, and checked against the word's exact bytes, so a hit returns exactly
/// what [`hash_str_folded`] and [`WordFacts::of`] would: the cache changes the speed,
/// never a feature. It also keeps the hashes of the POS tags ([`WordCache::pos_hash`]).
struct WordCache {
    places: Vec<CachedWord>,
    bits: u32,
    /// The [`hash_str`] of POS tags by the address and length of the `&'static str`.
    pos: Vec<(usize, usize, u64)>,
}

impl WordCache {
    /// An empty cache of `2^bits` places (allocated on first use).
    const fn new(bits: u32) -> WordCache {
        WordCache {
            places: Vec::new(),
            bits,
            pos: Vec::new(),
        }
    }

    /// The folded hash of `w` and its [`WordFacts`], from the cache when `w` is in it.
    #[inline]
    fn word(&mut self, w: &str) -> (u64, WordFacts) {
        let b = w.as_bytes();
        if b.is_empty() || b.len() > WORD_CACHE_BYTES {
            let hash = hash_str_folded(w);
            return (hash, WordFacts::of(w, hash));
        }
        if self.places.is_empty() {
            let empty = CachedWord {
                text: [0; 3],
                hash: 0,
                cl: NO_CLUSTER,
                cue: 0,
                chars: 0,
                len: 0,
            };
            self.places = vec![empty; 1 << self.bits];
        }
        let text = packed_word(b);
        let len = b.len() as u8;
        let at = self.place_of(&text, len);
        let Some(place) = self.places.get_mut(at) else {
            let hash = hash_str_folded(w);
            return (hash, WordFacts::of(w, hash));
        };
        if place.len == len && place.text == text {
            return (place.hash, place.facts());
        }
        let hash = hash_str_folded(w);
        let facts = WordFacts::of(w, hash);
        *place = CachedWord {
            text,
            hash,
            cl: facts.cl,
            cue: facts.cue,
            chars: facts.len,
            len,
        };
        (hash, facts)
    }

    /// The place of the word of `len` bytes packed as `text` ([`packed_word`]).
    #[inline(always)]
    fn place_of(&self, text: &[u64; 3], len: u8) -> usize {
        let key = (text[0] ^ text[1].rotate_left(21) ^ text[2].rotate_left(42) ^ len as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        // The high bits of the multiply: every byte of the word reaches them.
        (key >> (64 - self.bits)) as usize
    }

    /// [`WordCache::word`] of the word `text[start..end]` (of `""` where that is no
    /// `str`). A word the cache holds is found from the text's bytes alone: a word of at
    /// most [`WORD_CACHE_BYTES`] with that many bytes of text from its start is packed by
    /// three loads and masks ([`packed_prefix`]), not by [`packed_word`]'s reads by
    /// length, and without the char-boundary checks of `str::get` (bytes equal to a kept
    /// word, which is a `str`, are a `str` too, and start and end at char boundaries of
    /// the text). Anything else goes the way of [`WordCache::word`].
    #[inline(always)]
    fn word_in(&mut self, text: &str, start: usize, end: usize) -> (u64, WordFacts) {
        let b = text.as_bytes();
        let n = end.wrapping_sub(start);
        let window = b
            .get(start..)
            .and_then(|w| w.first_chunk::<WORD_CACHE_BYTES>());
        if let Some(window) = window.filter(|_| (1..=WORD_CACHE_BYTES).contains(&n)) {
            let packed = packed_prefix(window, n);
            let len = n as u8;
            if let Some(place) = self.places.get(self.place_of(&packed, len)) {
                if place.len == len && place.text == packed {
                    return (place.hash, place.facts());
                }
            }
        }
        self.word(text.get(start..end).unwrap_or(""))
    }

    /// [`hash_str`]`(pos)`, kept by the tag's address: the tokens' tags are a few dozen
    /// `&'static str`s (`segment::intern_pos`), and the bytes behind a `&'static str`
    /// never change, so an entry with the same address and length has the same hash.
    #[inline]
    fn pos_hash(&mut self, pos: &'static str) -> u64 {
        if self.pos.is_empty() {
            self.pos = vec![(0, 0, 0); 1 << POS_CACHE_BITS];
        }
        let (addr, len) = (pos.as_ptr() as usize, pos.len());
        let at = ((addr as u64 ^ (len as u64) << 48).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            >> (64 - POS_CACHE_BITS)) as usize;
        match self.pos.get_mut(at) {
            Some(&mut (a, l, h)) if a == addr && l == len && addr != 0 => h,
            Some(place) => {
                let h = hash_str(pos);
                *place = (addr, len, h);
                h
            }
            None => hash_str(pos),
        }
    }
}

/// What the units of a sentence read of each of its jieba words.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WordInfo {
    /// Hash of the word, folded.
    word: u64,
    /// Hash of its POS tag.
    pos: u64,
    /// Its cue bits ([`word_cue`]).
    cue: u8,
    /// Its length in characters, at most 5.
    len: u8,
    /// Its word cluster.
    cl: u32,
}

thread_local! {
    static WORD_CACHE: std::cell::RefCell<WordCache> =
        const { std::cell::RefCell::new(WordCache::new(WORD_CACHE_BITS)) };
}

/// Runs `f` with the thread's [`WordCache`] (if it is in use, with none).
fn with_word_cache<R>(f: impl FnOnce(Option<&mut WordCache>) -> R) -> R {
    WORD_CACHE.with(|cell| match cell.try_borrow_mut() {
        Ok(mut cache) => f(Some(&mut cache)),
        Err(_) => f(None),
    })
}

fn is_cjk_punct(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x2010..=0x206F | 0xFF00..=0xFF65 | 0xFE30..=0xFE4F)
}

// Template ids (any distinct constants).
mod t {
    pub(super) const BIAS: u64 = 1;
    pub(super) const C: u64 = 10; // + offset 0..4
    pub(super) const CC: u64 = 20; // + offset 0..3
    pub(super) const CCC: u64 = 30; // + 0..2
    pub(super) const KKK: u64 = 40;
    pub(super) const POS_WPOS: u64 = 41;
    pub(super) const POS3: u64 = 42;
    pub(super) const WORD_WPOS: u64 = 43;
    pub(super) const PREV_WORD: u64 = 44;
    pub(super) const NEXT_WORD: u64 = 45;
    pub(super) const SURNAME: u64 = 48;
    pub(super) const LATIN_WORD: u64 = 49;
    pub(super) const K_C: u64 = 50;
    pub(super) const CUE_CLUSTER: u64 = 51;
    pub(super) const CUE_CLUSTER_AROUND: u64 = 52;
}

const PAD_L: u64 = 0xB0;
const PAD_R: u64 = 0xE0;

/// The symbol of unit `i`, padded on both sides.
#[inline]
fn sym_at(units: &[Unit], i: isize) -> u64 {
    if i < 0 {
        PAD_L
    } else {
        units.get(i as usize).map_or(PAD_R, |u| u.sym)
    }
}

/// The class of unit `i` (0 beyond the sentence).
#[inline]
fn kind_at(units: &[Unit], i: isize) -> u64 {
    if i < 0 {
        0
    } else {
        units.get(i as usize).map_or(0, |u| u.kind as u64)
    }
}

/// Longest character n-gram template.
const MAX_NGRAM: usize = 3;

/// The group of the character n-gram of `len` units (1..=3) starting at unit `p` (which may
/// lie in the padding). Slot `k` of the group is a feature of unit `p + 2 - k`: a unigram
/// stands at offsets -2..+2 of the units it describes (slots 0..4), a bigram at -2-1, -10,
/// 01, 12 (slots 0..3), a trigram at -2-10, -101, 012 (slots 0..2).
#[inline]
fn ngram_group(units: &[Unit], p: isize, len: usize) -> u64 {
    let mut parts = [0u64; MAX_NGRAM];
    for (j, x) in parts.iter_mut().enumerate().take(len) {
        *x = sym_at(units, p + j as isize);
    }
    let template = match len {
        1 => t::C,
        2 => t::CC,
        _ => t::CCC,
    };
    group_key(template, &parts[..len.min(MAX_NGRAM)])
}

/// Pushes the groups of every n-gram of a sentence, by length and then start, from its
/// symbols `padded` (two [`PAD_L`] before, two [`PAD_R`] after): the n-gram of length
/// `len` at `p` (-2 ..= n + 2 - len) is [`ngram_group`]`(units, p, len)`. One pass per
/// length with the template and the number of values fixed, so that each key is a few
/// multiplies rather than the general [`ngram_group`] (a loop over a run-time length, a
/// bounds-checked read per value) once per n-gram. ([`zh_emissions`] pushes the unigrams'
/// [`template_mix`]es in place of their keys, then [`push_longer_ngram_groups`].)
#[cfg(test)]
fn push_ngram_groups(padded: &[u64], keys: &mut Vec<u64>) {
    keys.extend(padded.iter().map(|&a| group_key(t::C, &[a])));
    push_longer_ngram_groups(padded, keys);
}

/// The bigram and trigram part of [`push_ngram_groups`].
#[inline]
fn push_longer_ngram_groups(padded: &[u64], keys: &mut Vec<u64>) {
    // Zips of slice iterators (of known length, unlike `windows`) so that each `extend`
    // reserves once and writes each key without a capacity check or a bounds check.
    let next = padded.get(1..).unwrap_or(&[]);
    let after = padded.get(2..).unwrap_or(&[]);
    keys.extend(
        padded
            .iter()
            .zip(next)
            .map(|(&a, &b)| group_key(t::CC, &[a, b])),
    );
    keys.extend(
        padded
            .iter()
            .zip(next)
            .zip(after)
            .map(|((&a, &b), &c)| group_key(t::CCC, &[a, b, c])),
    );
}

/// Slots of an n-gram group: 5, 4, 3 for uni-, bi-, trigrams.
#[inline]
fn ngram_slots(len: usize) -> usize {
    GROUP_SLOTS + 1 - len
}

/// Number of word-level groups of a unit.
const WORD_GROUPS: usize = 7;
/// Of these, the ones [`shared_word_mixes`] gives (the others: [`one_word_mixes`]).
const SHARED_WORD_GROUPS: usize = 3;

/// The word-level feature groups of a unit: their values are the same for every unit of one
/// jieba word, and the slot is the unit's position in the word (`wpos`, 0..4).
#[inline]
fn word_groups(zh: &ZhUnits, token: u32) -> [u64; WORD_GROUPS] {
    word_group_mixes(zh, token).map(group_of_mix)
}

/// The [`template_mix`]es of the [`word_groups`] of the units at word place `token`.
#[inline]
fn word_group_mixes(zh: &ZhUnits, token: u32) -> [u64; WORD_GROUPS] {
    let (p, w, n) = zh.words_around(token);
    let [pos_wpos, pos3, cue_cluster_around] = shared_word_mixes(p, w, n);
    let own = one_word_mixes(w);
    [
        pos_wpos,
        pos3,
        own[OWN_WORD],
        one_word_mixes(p)[AS_PREV_WORD],
        one_word_mixes(n)[AS_NEXT_WORD],
        own[OWN_CUE_CLUSTER],
        cue_cluster_around,
    ]
}

// The places in [`one_word_mixes`] of the groups that look at one word alone (places
// 2..=5 of [`word_group_mixes`], in this order), which may be kept per word
// ([`LocCache::word_locs`]).
const OWN_WORD: usize = 0;
const AS_PREV_WORD: usize = 1;
const AS_NEXT_WORD: usize = 2;
const OWN_CUE_CLUSTER: usize = 3;

/// The group mixes that look at word `w` alone: its own word group, the previous-word
/// group of the word after it, the next-word group of the word before it, and its cue
/// with its cluster.
#[inline]
fn one_word_mixes(w: &WordInfo) -> [u64; 4] {
    [
        template_mix(t::WORD_WPOS, &[w.word]),
        template_mix(t::PREV_WORD, &[w.word]),
        template_mix(t::NEXT_WORD, &[w.word]),
        // The cue classes with the distributional clusters (a word rare in the labeled
        // data, or its neighbours, share weights with the frequent words of the same
        // contexts): one group each, not two, because every group costs a lookup per word.
        template_mix(t::CUE_CLUSTER, &[w.cue as u64, fine(w.cl)]),
    ]
}

/// The other word-level group mixes (places 0, 1 and 6 of [`word_group_mixes`]) of the
/// word `w` between `p` and `n`.
#[inline]
fn shared_word_mixes(p: &WordInfo, w: &WordInfo, n: &WordInfo) -> [u64; 3] {
    [
        template_mix(t::POS_WPOS, &[w.pos, w.len as u64]),
        template_mix(t::POS3, &[p.pos, w.pos, n.pos]),
        template_mix(
            t::CUE_CLUSTER_AROUND,
            &[p.cue as u64, n.cue as u64, coarse(p.cl), coarse(n.cl)],
        ),
    ]
}

/// The classes of unit `i` and its neighbours, the values of its `KKK` feature.
#[inline]
fn kinds_around(units: &[Unit], i: usize) -> [u64; 3] {
    let ii = i as isize;
    [
        kind_at(units, ii - 1),
        kind_at(units, ii),
        kind_at(units, ii + 1),
    ]
}

/// The id of the feature of the classes around a unit.
#[inline]
fn kinds_key(kinds: [u64; 3]) -> u64 {
    feature_key(t::KKK, &kinds)
}

/// The remaining features of unit `i` besides its classes ([`kinds_key`]), each a feature
/// id: the surname and Latin-run features where they apply.
#[inline]
fn unit_features(zh: &ZhUnits, i: usize, mut f: impl FnMut(u64)) {
    let units = &zh.units[..];
    let Some(u) = units.get(i) else { return };
    let ii = i as isize;
    if u.surname != 0 {
        let wlen = zh.words_around(u.token).1.len;
        f(slot_key(
            group_key(t::SURNAME, &[u.surname as u64, wlen as u64]),
            u.wpos,
        ));
    }
    if u.latin_word != 0 {
        f(feature_key(t::LATIN_WORD, &[u.latin_word]));
        f(feature_key(
            t::K_C,
            &[kind_at(units, ii - 1), u.kind as u64, sym_at(units, ii + 1)],
        ));
    }
}

/// Feature ids of every unit of a Chinese sentence, one list per unit (training, and the
/// reference the tagger's grouped path [`zh_emissions`] must agree with).
pub(crate) fn zh_features(zh: &ZhUnits, out: &mut FeatureBuf) {
    out.clear();
    let units = &zh.units[..];
    let bias = feature_key(t::BIAS, &[]);
    for (i, u) in units.iter().enumerate() {
        let ii = i as isize;
        out.ids.push(bias);
        for len in 1..=MAX_NGRAM {
            for k in 0..ngram_slots(len) {
                out.push_slot(ngram_group(units, ii - 2 + k as isize, len), k as u8);
            }
        }
        out.ids.push(kinds_key(kinds_around(units, i)));
        for g in word_groups(zh, u.token) {
            out.push_slot(g, u.wpos);
        }
        unit_features(zh, i, |f| out.ids.push(f));
        out.end_unit();
    }
}

/// Reused buffers of [`zh_emissions`].
#[derive(Debug, Default)]
pub(crate) struct EmitScratch {
    /// The units' symbols with two pads on either side (what [`sym_at`] reads).
    syms: Vec<u64>,
    keys: Vec<u64>,
    locs: Vec<Loc>,
    /// The first rows of the windows of `locs` (see [`sum_units`]).
    firsts: Vec<u32>,
    /// Positions in `keys` of the groups the cache did not have, with their group keys.
    misses: Vec<(usize, u64)>,
    /// The [`LocCache::word_locs`] of each place of the sentence's word table.
    word_locs: Vec<[Loc; 4]>,
    /// The rows of the one-word groups of each run of units sharing a word, in the
    /// order of [`ONE_WORD_GROUPS`].
    run_locs: Vec<[Loc; 4]>,
    /// The sums of the bias and n-gram rows of each unit (`RowSums::to_raw`), the first
    /// of [`sum_units`]' two passes.
    partial: Vec<[i32; ROW_LANES]>,
    cache: LocCache,
}

/// Places of the per-word memo of a [`LocCache`] (8192 places of 32 bytes, 256 KB).
const WORD_LOC_PLACES: usize = 1 << 13;

/// One place of the per-word memo of a [`LocCache`]: a word's values that its
/// [`one_word_mixes`] look at, and where those groups' rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WordLocs {
    word: u64,
    cl: u32,
    cue: u8,
    /// Whether the place holds a word.
    full: bool,
    locs: [Loc; 4],
}

const EMPTY_WORD_LOCS: WordLocs = WordLocs {
    word: 0,
    cl: 0,
    cue: 0,
    full: false,
    locs: [Loc::NONE; 4],
};

/// Places of a thread's [`LocCache`] (a power of two; 16384 places, 256 KB).
const LOC_CACHE_PLACES: usize = 1 << 14;

/// A per-thread memo of [`Model::locate`] for the groups a sentence shares with many others:
/// single characters (a few thousand distinct) and the word-level groups (frequent words,
/// POS patterns, cue and cluster classes), which took over half of the lookups; the four
/// word groups that look at one word alone are kept per word ([`LocCache::word_locs`]),
/// the other three per group mix. Bigrams
/// and trigrams, mostly rare, are looked up in the model every time. Keyed by the group's
/// [`template_mix`] (so a hit skips the finishing of the key too: equal mixes are equal
/// keys), direct-mapped, bounded, and emptied when the tagger asks about another model
/// ([`ModelId`]): a place holds exactly what `locate` answered for the key of its mix, so
/// the cache changes the speed, never a score. A place with mix 0 is empty; a group whose
/// mix is 0 is never kept, only looked up every time.
#[derive(Debug, Default)]
pub(crate) struct LocCache<const N: usize = LOC_CACHE_PLACES, const M: usize = WORD_LOC_PLACES> {
    model: Option<ModelId>,
    places: Option<Box<[(u64, Loc); N]>>,
    /// Where the rows of the groups of a word's [`one_word_mixes`] are, by the word's
    /// values: news text repeats its words, and one probe here stands for four probes of
    /// `places`. Direct-mapped by the word's hash, checked against all the values the
    /// mixes read, so a hit is exactly what `locate` answers for them.
    words: Option<Box<[WordLocs]>>,
    /// The first row of the bias feature's window, once looked up.
    bias: Option<u32>,
    /// The first rows of the windows of the class features ([`kinds_key`]) by their three
    /// classes (each below [`KIND_CODES`]), as looked up (`u32::MAX`: not yet).
    kinds: Option<Box<[u32; KIND_CODES * KIND_CODES * KIND_CODES]>>,
    /// Where the rows of the unigram group of each symbol below [`CHAR_PLACES`] (the
    /// characters of the Basic Multilingual Plane, and the pads) are, by the symbol:
    /// [`Loc::NONE`] for one not kept yet (or that the model lacks, looked up through
    /// `places` every time). A hit costs one read, no mix and no compare.
    chars: Option<Box<[Loc]>>,
}

/// Symbols the per-character unigram memo of a [`LocCache`] keeps (256 KB a thread).
const CHAR_PLACES: usize = 1 << 16;

/// Class values ([`kind_at`]: 0 beyond the sentence, else a [`Kind`]) are below this.
const KIND_CODES: usize = 16;

/// The first rows of the class features' windows by the place of their class triple
/// `(a, b, c)`, `(a * KIND_CODES + b) * KIND_CODES + c` (`u32::MAX`: not looked up
/// yet): [`LocCache::kinds_first`] by a place the summing loop keeps up to date.
struct KindsMemo<'a>(&'a mut [u32; KIND_CODES * KIND_CODES * KIND_CODES]);

impl KindsMemo<'_> {
    /// The first row of the window of the class feature of the triple at `code`
    /// ([`Model::locate`] of its [`kinds_key`], kept); 0 (the window of zeros) for a
    /// `code` beyond the triples or a row past `last` rows, which [`sum_units`] reads as
    /// zeros too.
    #[inline(always)]
    fn first(&mut self, model: &Model, code: usize) -> u32 {
        match self.0.get_mut(code) {
            Some(f) if *f != u32::MAX => *f,
            Some(f) => {
                let digits = [
                    code / (KIND_CODES * KIND_CODES),
                    code / KIND_CODES % KIND_CODES,
                    code % KIND_CODES,
                ];
                *f = model.locate(kinds_key(digits.map(|d| d as u64))).first();
                *f
            }
            None => 0,
        }
    }
}

impl<const N: usize, const M: usize> LocCache<N, M> {
    /// The place of the mix `key`: high bits of a multiply (the low bits of a mix vary
    /// little for values that differ in their low bits, such as characters).
    #[inline]
    fn place(key: u64) -> usize {
        const { assert!(N.is_power_of_two()) };
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize % N
    }

    /// Makes the cache answer for `model`, emptying it if it held another model's lookups.
    fn use_model(&mut self, model: &Model) {
        if self.model != Some(model.id()) || self.places.is_none() {
            let empty = vec![(0, Loc::NONE); N].into_boxed_slice().try_into().ok();
            self.places = empty;
            self.words = None;
            self.model = Some(model.id());
            self.bias = None;
            self.kinds = None;
            self.chars = None;
        }
    }

    /// [`LocCache::probe`] for the unigram groups of the symbols `syms`, whose mixes are
    /// `keys`: first from the per-character memo, then as `probe` does. The cache must
    /// answer for `model`.
    #[inline(always)]
    fn probe_unigrams(
        &mut self,
        model: &Model,
        syms: &[u64],
        keys: &[u64],
        locs: &mut [Loc],
        misses: &mut Vec<(usize, u64)>,
    ) {
        debug_assert!(self.model == Some(model.id()));
        let chars = self
            .chars
            .get_or_insert_with(|| vec![Loc::NONE; CHAR_PLACES].into_boxed_slice());
        for (j, ((&sym, &k), loc)) in syms.iter().zip(keys).zip(locs.iter_mut()).enumerate() {
            let place = usize::try_from(sym).ok().and_then(|c| chars.get_mut(c));
            match place {
                Some(l) if *l != Loc::NONE => *loc = *l,
                _ => match self.places.as_ref().and_then(|places| {
                    let (key, l) = places[Self::place(k)];
                    (k != 0 && key == k).then_some(l)
                }) {
                    Some(l) => {
                        *loc = l;
                        if let Some(c) = place {
                            *c = l;
                        }
                    }
                    None => {
                        let group = group_of_mix(k);
                        model.prefetch(group);
                        misses.push((j, group));
                    }
                },
            }
        }
    }

    /// Keeps `loc`, what the model's `locate` answered for the unigram group of the
    /// symbol `sym`, in the per-character memo (if `sym` is below [`CHAR_PLACES`]).
    #[inline]
    fn put_char(&mut self, sym: u64, loc: Loc) {
        if let Some(c) = self
            .chars
            .as_mut()
            .and_then(|chars| chars.get_mut(usize::try_from(sym).ok()?))
        {
            *c = loc;
        }
    }

    /// The first row of the bias feature's window ([`Model::locate`] of its key, kept),
    /// or 0 (the window of zeros) if it is above `last`. The cache must answer for
    /// `model` ([`LocCache::use_model`]).
    #[inline]
    fn bias_first(&mut self, model: &Model, last: u32) -> u32 {
        debug_assert!(self.model == Some(model.id()));
        let f = *self
            .bias
            .get_or_insert_with(|| model.locate(feature_key(t::BIAS, &[])).first());
        if f <= last {
            f
        } else {
            0
        }
    }

    /// The first row of the window of the class feature of `kinds` ([`kinds_key`]):
    /// [`Model::locate`] of its key, kept by the three classes; 0 (the window of zeros) if
    /// it is above `last`. The cache must answer for `model`.
    #[cfg(test)]
    fn kinds_first(&mut self, model: &Model, kinds: [u64; 3], last: u32) -> u32 {
        debug_assert!(self.model == Some(model.id()));
        let [a, b, c] = kinds.map(|k| k as usize);
        let place = if a < KIND_CODES && b < KIND_CODES && c < KIND_CODES {
            self.kinds
                .get_or_insert_with(|| Box::new([u32::MAX; KIND_CODES * KIND_CODES * KIND_CODES]))
                .get_mut((a * KIND_CODES + b) * KIND_CODES + c)
        } else {
            None
        };
        match place {
            Some(f) if *f <= last => *f,
            Some(f) => {
                // Not looked up yet (`u32::MAX`, above any row).
                *f = model.locate(kinds_key(kinds)).first();
                if *f <= last {
                    *f
                } else {
                    0
                }
            }
            None => {
                let f = model.locate(kinds_key(kinds)).first();
                if f <= last {
                    f
                } else {
                    0
                }
            }
        }
    }

    /// The memo of the class features' first rows (see [`KindsMemo`]). The cache must
    /// answer for the model it is used with ([`LocCache::use_model`]).
    #[inline]
    fn kinds_memo(&mut self) -> KindsMemo<'_> {
        KindsMemo(
            self.kinds
                .get_or_insert_with(|| Box::new([u32::MAX; KIND_CODES * KIND_CODES * KIND_CODES])),
        )
    }

    /// Where the rows of the groups of [`one_word_mixes`]`(w)` are ([`Model::locate`] of
    /// their keys), kept per word. The cache must answer for `model`
    /// ([`LocCache::use_model`]).
    #[inline(always)]
    fn word_locs(&mut self, model: &Model, w: &WordInfo) -> [Loc; 4] {
        debug_assert!(self.model == Some(model.id()));
        const { assert!(M.is_power_of_two()) };
        let places = self
            .words
            .get_or_insert_with(|| vec![EMPTY_WORD_LOCS; M].into_boxed_slice());
        let at = (w.word.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as usize % M;
        let Some(place) = places.get_mut(at) else {
            return one_word_mixes(w).map(|m| model.locate(group_of_mix(m)));
        };
        if place.full && place.word == w.word && place.cue == w.cue && place.cl == w.cl {
            return place.locs;
        }
        let locs = one_word_mixes(w).map(|m| model.locate(group_of_mix(m)));
        *place = WordLocs {
            word: w.word,
            cl: w.cl,
            cue: w.cue,
            full: true,
            locs,
        };
        locs
    }

    /// Where the rows of the group of mix `key` are, if the cache holds it.
    #[inline]
    fn get(&self, key: u64) -> Option<Loc> {
        match &self.places {
            Some(places) if key != 0 && places[Self::place(key)].0 == key => {
                Some(places[Self::place(key)].1)
            }
            _ => None,
        }
    }

    /// Keeps `loc`, what the model's `locate` answered for the group of mix `key`.
    #[inline]
    fn put(&mut self, key: u64, loc: Loc) {
        if let Some(places) = &mut self.places {
            places[Self::place(key)] = (key, loc);
        }
    }

    /// Copies the cached answers for the group mixes `keys` into `locs`; for the others,
    /// asks for the index buckets of their group keys and notes their positions (`first`
    /// + their place in `keys`) with the keys in `misses`.
    #[inline]
    fn probe(
        &self,
        model: &Model,
        keys: &[u64],
        locs: &mut [Loc],
        first: usize,
        misses: &mut Vec<(usize, u64)>,
    ) {
        for (j, (&k, loc)) in keys.iter().zip(locs.iter_mut()).enumerate() {
            match self.get(k) {
                Some(l) => *loc = l,
                None => {
                    let group = group_of_mix(k);
                    model.prefetch(group);
                    misses.push((first + j, group));
                }
            }
        }
    }
}

/// Finds the rows of every group of a sentence of `n` units (`sc.keys`: the mixes of its
/// unigrams, the keys of its bigrams and trigrams, the mixes of its word-level groups)
/// into `sc.locs`. Memory first: the index buckets of
/// the groups missing from the [`LocCache`] are asked for, then the bigrams and trigrams
/// are looked up with their buckets asked for a few keys ahead, then the missing groups
/// (their buckets arrived meanwhile); each group's rows are asked for as soon as it is
/// found. The accesses of a sentence so overlap. The unigrams of characters of the Basic
/// Multilingual Plane come from the per-character memo first ([`LocCache::probe_unigrams`]).
#[inline(always)]
fn locate_groups(model: &Model, n: usize, sc: &mut EmitScratch) {
    let all = sc.keys.len();
    sc.locs.clear();
    sc.locs.resize(all, Loc::NONE);
    sc.cache.use_model(model);
    sc.misses.clear();
    // Unigrams are the first n + 4 keys (of the n + 4 symbols), then n + 3 bigrams and
    // n + 2 trigrams.
    let grams = (n + 4).min(all)..(3 * n + 9).min(all);
    let unigrams = grams.start.min(sc.syms.len());
    sc.cache.probe_unigrams(
        model,
        &sc.syms[..unigrams],
        &sc.keys[..unigrams],
        &mut sc.locs[..unigrams],
        &mut sc.misses,
    );
    for r in [unigrams..grams.start, grams.end..all] {
        let first = r.start;
        sc.cache
            .probe(model, &sc.keys[r.clone()], &mut sc.locs[r], first, &mut sc.misses);
    }
    let keys = &sc.keys[grams.clone()];
    for &k in keys.iter().take(PREFETCH_AHEAD) {
        model.prefetch(k);
    }
    for (j, (&k, loc)) in keys.iter().zip(&mut sc.locs[grams]).enumerate() {
        if let Some(&ahead) = keys.get(j + PREFETCH_AHEAD) {
            model.prefetch(ahead);
        }
        *loc = model.locate(k);
        model.prefetch_rows(*loc);
    }
    for &(j, group) in &sc.misses {
        let loc = model.locate(group);
        model.prefetch_rows(loc);
        sc.cache.put(sc.keys[j], loc);
        if j < unigrams {
            sc.cache.put_char(sc.syms[j], loc);
        }
        sc.locs[j] = loc;
    }
}

/// How far ahead of its lookup a record is asked for.
const PREFETCH_AHEAD: usize = 32;

/// Emission scores of every unit of a Chinese sentence: the same sums as
/// `model.emissions` over [`zh_features`], but each feature group is looked up once per
/// sentence rather than once per feature — an n-gram once for the up to five units it
/// describes, a word once for all its characters — so a character costs about 8 lookups
/// in place of 21, and no feature list is built. The sums run without data-dependent
/// branches (an absent feature adds a row of zeros), unit by unit, so that a unit's sums
/// stay in registers while its twenty-odd rows are added (integer sums: the order of the
/// additions changes nothing). The rows are summed with AVX2 where the machine has it
/// (looked up once: [`fast_sums`]), else with the SSE2 of the x86-64 baseline; both give
/// the same sums.
pub(crate) fn zh_emissions(
    model: &Model,
    zh: &ZhUnits,
    sc: &mut EmitScratch,
    out: &mut Vec<[f32; NT]>,
) {
    zh_emissions_with(model, zh, sc, out, fast_sums());
}

/// How [`zh_emissions`] sums rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SumsKind {
    /// [`Sums`]: SSE2 (the x86-64 baseline), or plain code on other machines.
    Baseline,
    /// `avx2::Sums256`, only where the running machine has AVX2.
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

/// The fastest [`SumsKind`] the running machine has (found out once per process).
fn fast_sums() -> SumsKind {
    #[cfg(target_arch = "x86_64")]
    {
        if super::model::has_avx2() {
            SumsKind::Avx2
        } else {
            SumsKind::Baseline
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    SumsKind::Baseline
}

/// [`zh_emissions`] with the rows summed the way `kind` says; `kind` must be one the
/// machine has ([`fast_sums`] or [`SumsKind::Baseline`]): on a machine without AVX2,
/// [`SumsKind::Avx2`] falls back to the baseline.
pub(crate) fn zh_emissions_with(
    model: &Model,
    zh: &ZhUnits,
    sc: &mut EmitScratch,
    out: &mut Vec<[f32; NT]>,
    kind: SumsKind,
) {
    match kind {
        #[cfg(target_arch = "x86_64")]
        SumsKind::Avx2 if super::model::has_avx2() => {
            // SAFETY: the machine has AVX2 (just checked; the answer is kept).
            unsafe { avx2::emissions(model, zh, sc, out) }
        }
        _ => emissions::<Sums>(model, zh, sc, out),
    }
}

/// [`zh_emissions`] with the rows summed in `S`. Inlined into each way's function, so
/// that the AVX2 way's lookups ([`locate_groups`]: the index buckets' compares) are
/// compiled for AVX2 too.
#[inline(always)]
fn emissions<S: RowSums>(
    model: &Model,
    zh: &ZhUnits,
    sc: &mut EmitScratch,
    out: &mut Vec<[f32; NT]>,
) {
    out.clear();
    let units = &zh.units[..];
    let n = units.len();
    // Every group of the sentence: the n-grams by length and start (from two units before
    // the first to the last that still reaches into the sentence), then the word-level
    // groups of each run of units sharing a word.
    sc.keys.clear();
    sc.syms.clear();
    sc.syms.extend([PAD_L; 2]);
    sc.syms.extend(units.iter().map(|u| u.sym));
    sc.syms.extend([PAD_R; 2]);
    // The groups the cache may hold (unigrams, word-level groups) by their mixes, the
    // others by their keys (see `locate_groups`).
    sc.keys
        .extend(sc.syms.iter().map(|&a| template_mix(t::C, &[a])));
    push_longer_ngram_groups(&sc.syms, &mut sc.keys);
    // The groups that look at one word alone come from the per-word memo, once per
    // place of the word table; the others are looked up with the n-grams.
    sc.cache.use_model(model);
    sc.word_locs.clear();
    // The table's first place and its last three are no word's ([`word_table`]): their
    // rows come from one probe of the memo, not four.
    match zh.words.len().checked_sub(3).and_then(|end| zh.words.get(1..end)) {
        Some(inner) => {
            debug_assert!(zh.words[0] == NO_WORD && zh.words[zh.words.len() - 3..] == [NO_WORD; 3]);
            let none = sc.cache.word_locs(model, &NO_WORD);
            sc.word_locs.push(none);
            for w in inner {
                let locs = sc.cache.word_locs(model, w);
                sc.word_locs.push(locs);
            }
            sc.word_locs.extend([none; 3]);
        }
        None => {
            for w in &zh.words {
                let locs = sc.cache.word_locs(model, w);
                sc.word_locs.push(locs);
            }
        }
    }
    sc.run_locs.clear();
    // The word place of the unit before (a run starts where it changes).
    let mut token = None;
    for u in units {
        if token != Some(u.token) {
            token = Some(u.token);
            let (p, w, n) = zh.words_around(u.token);
            sc.keys.extend(shared_word_mixes(p, w, n));
            let ti = u.token as usize;
            let locs = match ti.checked_sub(1).and_then(|p| sc.word_locs.get(p..ti + 2)) {
                Some([p, w, n]) => [w[OWN_WORD], p[AS_PREV_WORD], n[AS_NEXT_WORD], w[OWN_CUE_CLUSTER]],
                // (Not reached: every unit's place has a neighbour on either side.)
                _ => {
                    let none = sc.cache.word_locs(model, &NO_WORD);
                    [none[OWN_WORD], none[AS_PREV_WORD], none[AS_NEXT_WORD], none[OWN_CUE_CLUSTER]]
                }
            };
            sc.run_locs.push(locs);
        }
    }
    locate_groups(model, n, sc);
    let EmitScratch {
        locs,
        firsts,
        run_locs,
        partial,
        cache,
        ..
    } = sc;
    sum_units::<S>(model, zh, locs, run_locs, firsts, partial, cache, out);
}

/// The AVX2 way of summing rows: only ever run where the machine has AVX2.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::super::model::{Model, Row, RowSums, NT, ROW_LANES};
    use super::{EmitScratch, ZhUnits};
    use std::arch::x86_64::*;

    /// Sums of rows in one AVX2 register, eight `i32` lanes: `vpmovsxwd` widens a row
    /// straight from memory, so a row costs two instructions (the SSE2 [`super::Sums`]
    /// takes five). Private to this module, whose only entry, [`emissions`], requires
    /// AVX2 of its caller.
    #[derive(Clone, Copy)]
    pub(super) struct Sums256(__m256i);

    impl RowSums for Sums256 {
        // SAFETY: an all-zero bit pattern is a valid `__m256i`.
        const ZERO: Sums256 = Sums256(unsafe { std::mem::transmute::<[i32; 8], __m256i>([0; 8]) });

        #[inline(always)]
        fn add(&mut self, w: &Row) {
            // SAFETY: only used inside `emissions`, which runs only where the machine has
            // AVX2; `w` is a live, aligned 16-byte `Row`.
            unsafe {
                let x = _mm_load_si128((w as *const Row).cast::<__m128i>());
                self.0 = _mm256_add_epi32(self.0, _mm256_cvtepi16_epi32(x));
            }
        }

        #[inline(always)]
        fn by_tag(&self) -> [i32; NT] {
            // SAFETY: same size; every bit pattern is a valid `[i32; 8]`.
            let lanes = unsafe { std::mem::transmute::<__m256i, [i32; ROW_LANES]>(self.0) };
            std::array::from_fn(|t| if t == 0 { 0 } else { lanes[t - 1] })
        }

        #[inline(always)]
        fn to_raw(&self) -> [i32; ROW_LANES] {
            // SAFETY: same size; every bit pattern is a valid `[i32; 8]`.
            unsafe { std::mem::transmute::<__m256i, [i32; ROW_LANES]>(self.0) }
        }

        #[inline(always)]
        fn from_raw(raw: [i32; ROW_LANES]) -> Sums256 {
            // SAFETY: same size; every bit pattern is a valid `__m256i`.
            Sums256(unsafe { std::mem::transmute::<[i32; ROW_LANES], __m256i>(raw) })
        }
    }

    /// [`super::emissions`] with [`Sums256`].
    ///
    /// # Safety
    /// The machine must have AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn emissions(
        model: &Model,
        zh: &ZhUnits,
        sc: &mut EmitScratch,
        out: &mut Vec<[f32; NT]>,
    ) {
        super::emissions::<Sums256>(model, zh, sc, out)
    }
}

/// Writes the emission scores of every unit of a sentence to `out`, from `locs`, where
/// [`locate_groups`] found its groups: the n-grams of length 1, 2, 3 start at -2..n+2-len,
/// n + 5 - len of each, and slot k of the n-gram at p belongs to unit p + 2 - k, so unit i
/// takes slot k of the (i + k)-th n-gram of each length (a window of 5, 4, 3 records);
/// then come the shared word-level groups of each run of units sharing a word ([`shared_word_mixes`]);
/// the one-word groups of each run are in `run_locs` ([`LocCache::word_locs`]).
///
/// The records' windows are first turned into the index of their first row (`firsts`, one
/// pass, checked once against the rows' length), so that a unit's rows are each one read
/// at a constant offset from an index, without the per-unit sliding of twelve window
/// references and their bounds checks. The class feature of each unit comes from `memo`
/// (a few hundred class triples), by a place that moves on by one class a unit.
///
/// The rows are summed in two passes over the units: the bias and the twelve n-gram rows
/// into `partial` (`RowSums::to_raw`), then the seven word-level rows, the class row and
/// the scores. In one pass a unit had some twenty row indices live at once, more than
/// the registers, and the spills cost more than the second pass's one store and one load
/// a unit (callgrind: about 20 instructions a unit fewer).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn sum_units<S: RowSums>(
    model: &Model,
    zh: &ZhUnits,
    locs: &[Loc],
    run_locs: &[[Loc; 4]],
    firsts: &mut Vec<u32>,
    partial: &mut Vec<[i32; ROW_LANES]>,
    memo: &mut LocCache,
    out: &mut Vec<[f32; NT]>,
) {
    let units = &zh.units[..];
    const ZERO_WINDOW: [Row; GROUP_SLOTS] = [Row::ZERO; GROUP_SLOTS];
    let n = units.len();
    // A model has at least a window of rows (the zeros at row 0, and a window of zeros at
    // the end); a shorter table is read as zeros, as `Model::slot_row` reads any row it
    // lacks.
    let rows: &[Row] = if model.rows().len() >= GROUP_SLOTS {
        model.rows()
    } else {
        &ZERO_WINDOW
    };
    // The last first row whose window fits, and whose place in bytes fits a `u32` (a
    // model's rows are fewer than 2^27, `model::ROW_BITS`); a window that would not fit
    // (no model has one) is read at row 0, the window of zeros, as `Model::slot_row` reads
    // any row it lacks.
    let last = (rows.len() - GROUP_SLOTS).min(u32::MAX as usize >> 4) as u32;
    // Where the windows start, in bytes from the first row: a row is then one read at a
    // constant offset from that (no scaling of an index).
    let at = |f: u32| -> u32 {
        if f <= last {
            f << 4
        } else {
            0
        }
    };
    firsts.clear();
    firsts.extend(locs.iter().map(|l| at(l.first())));
    const _: () = assert!(std::mem::size_of::<Row>() == 16);
    // Row `k` (< GROUP_SLOTS) of the window starting `b` bytes from the first row, `b` an
    // element of `firsts` (or from `at`).
    let row = |b: u32, k: usize| -> &Row {
        debug_assert!(k < GROUP_SLOTS && b.is_multiple_of(16) && b / 16 <= last);
        // SAFETY: every element of `firsts` is 16 times a row index at most `last` =
        // `rows.len() - GROUP_SLOTS` (`at` above), and every caller below passes
        // `k < GROUP_SLOTS`: the slot of a unigram (0..5), bigram (0..4) or trigram (0..3)
        // window, or a word position bounded by `GROUP_SLOTS - 1`; so the row at index
        // `b / 16 + k` lies within `rows`, and its address is `b + 16 k` bytes past the
        // first row's (rows are 16 bytes, aligned, without gaps).
        unsafe { &*rows.as_ptr().byte_add(b as usize + 16 * k) }
    };
    let (uni, rest) = firsts.split_at(firsts.len().min(n + 4));
    let (bi, rest) = rest.split_at(rest.len().min(n + 3));
    let (tri, mut words) = rest.split_at(rest.len().min(n + 2));
    debug_assert!(uni.len() == n + 4 && bi.len() == n + 3 && tri.len() == n + 2);
    // Two passes, so that each keeps its row indices in registers (one pass held some
    // twenty live indices and spilled them): the bias and n-gram rows of every unit into
    // `partial`, then the word-level and class rows and the scores.
    let mut start = S::ZERO;
    start.add(row(at(memo.bias_first(model, last)), 0));
    partial.clear();
    partial.resize(n, [0; ROW_LANES]);
    // The n-gram windows unit i reads: uni[i..i + 5], bi[i..i + 4], tri[i..i + 3]. (A
    // loop, not a closure: a closure need not be inlined into the AVX2 way's function,
    // and would add its rows without AVX2.)
    let grams = uni.windows(5).zip(bi.windows(4)).zip(tri.windows(3));
    for (p, ((w1, w2), w3)) in partial.iter_mut().zip(grams) {
        let mut a = start;
        // (Each window has its length; `k` is below it.)
        for (k, &f) in w1.iter().enumerate() {
            a.add(row(f, k));
        }
        for (k, &f) in w2.iter().enumerate() {
            a.add(row(f, k));
        }
        for (k, &f) in w3.iter().enumerate() {
            a.add(row(f, k));
        }
        *p = a.to_raw();
    }
    let mut kinds_memo = memo.kinds_memo();
    let mut word = [0u32; WORD_GROUPS];
    let mut runs = run_locs.iter();
    let mut token = None;
    // The classes of the units before, at and after unit i as the digits, base
    // `KIND_CODES`, of one number (a class is below `KIND_CODES`): the place of the triple
    // in the class memo, moved on by one digit a unit.
    let mut code = units.first().map_or(0, |u| u.kind as usize);
    // The units' scores are written in place (no capacity check a unit).
    out.clear();
    out.resize(n, [0.0; NT]);
    for (i, ((u, o), p)) in units.iter().zip(out.iter_mut()).zip(partial.iter()).enumerate() {
        let mut a = S::from_raw(*p);
        if token != Some(u.token) {
            token = Some(u.token);
            if let Some((first, rest)) = words.split_first_chunk::<SHARED_WORD_GROUPS>() {
                word[..SHARED_WORD_GROUPS].copy_from_slice(first);
                words = rest;
            }
            if let Some(locs) = runs.next() {
                for (f, l) in word[SHARED_WORD_GROUPS..].iter_mut().zip(locs) {
                    *f = at(l.first());
                }
            }
        }
        // A unit's place in its word is a slot (0..=4) by construction; the bound keeps
        // the reads below inside their windows.
        let wpos = usize::from(u.wpos).min(GROUP_SLOTS - 1);
        for &f in &word {
            a.add(row(f, wpos));
        }
        let next = units.get(i + 1).map_or(0, |u| u.kind as usize);
        code = code % (KIND_CODES * KIND_CODES) * KIND_CODES + next;
        debug_assert_eq!(
            code,
            kinds_around(units, i)
                .iter()
                .fold(0, |c, &k| c * KIND_CODES + k as usize)
        );
        a.add(row(at(kinds_memo.first(model, code)), 0));
        if u.surname != 0 || u.latin_word != 0 {
            // (A copy, so that the sums of the other units stay in registers.)
            let mut b = a;
            unit_features(zh, i, |f| {
                model.add_weights(f, &mut b);
            });
            a = b;
        }
        *o = model.to_scores(&a);
    }
}

// ---------------------------------------------------------------------------------------
// English: tokens

const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Inc", "Corp", "Co", "Ltd", "Bros", "No",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs",
    "etc", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Mt", "Ft", "Pte", "Plc", "Cie", "Adm", "Capt",
    "Sgt", "Rev", "Ave", "Blvd",
];

fn is_lead_punct(c: char) -> bool {
    matches!(c, '(' | '[' | '{' | '"' | '“' | '‘' | '«' | '`' | '<')
}

fn is_trail_punct(c: char) -> bool {
    matches!(
        c,
        ')' | ']' | '}' | '"' | '”' | '’' | '»' | ',' | ';' | ':' | '!' | '?' | '>' | '\''
    )
}

/// Token byte spans of the English sentence `text[s..e]`: whitespace-separated chunks with
/// surrounding punctuation, a sentence-final period and a possessive `'s` split off;
/// abbreviations (`U.S.`, `Corp.`, initials) keep their period. `out` is cleared first.
pub(crate) fn en_tokens(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let Some(sent) = text.get(s..e) else { return };
    let mut chars = sent.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut j = i + c.len_utf8();
        while let Some(&(k, n)) = chars.peek() {
            if n.is_whitespace() {
                break;
            }
            j = k + n.len_utf8();
            chars.next();
        }
        let chunk = &sent[i..j];
        let a0 = s + i;
        let mut a = a0;
        let mut b = a0 + chunk.len();
        if chunk == "'s" || chunk == "’s" || chunk.chars().count() == 1 {
            out.push((a, b));
            continue;
        }
        // Leading punctuation.
        while let Some(c) = text[a..b].chars().next() {
            if is_lead_punct(c) && b - a > c.len_utf8() {
                out.push((a, a + c.len_utf8()));
                a += c.len_utf8();
            } else {
                break;
            }
        }
        // Trailing punctuation, collected then pushed in order.
        let mut tail: Vec<(usize, usize)> = Vec::new();
        while let Some(c) = text[a..b].chars().next_back() {
            if b - a <= c.len_utf8() {
                break;
            }
            let core = &text[a..b - c.len_utf8()];
            if is_trail_punct(c) {
                tail.push((b - c.len_utf8(), b));
                b -= c.len_utf8();
            } else if c == '.' {
                let is_abbrev = core.contains('.')
                    || ABBREVIATIONS.contains(&core)
                    || (core.chars().count() == 1 && core.chars().all(|x| x.is_alphabetic()));
                if is_abbrev {
                    break;
                }
                tail.push((b - 1, b));
                b -= 1;
            } else {
                break;
            }
        }
        // Possessive.
        let core = &text[a..b];
        if core.len() > 2 && (core.ends_with("'s") || core.ends_with("'S")) {
            out.push((a, b - 2));
            out.push((b - 2, b));
        } else if core.len() > 4 && core.ends_with("’s") {
            out.push((a, b - 4));
            out.push((b - 4, b));
        } else if a < b {
            out.push((a, b));
        }
        out.extend(tail.into_iter().rev());
    }
}

/// Compressed word shape: `Xx`, `X`, `x`, `d`, with other characters kept, runs collapsed.
fn shape_hash(w: &str) -> (u64, u64) {
    let mut short = 0x51u64;
    let mut long = 0x52u64;
    let mut last = '\0';
    let mut n = 0;
    for c in w.chars() {
        let k = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if n < 6 {
            long = mix(long, k as u64);
        }
        n += 1;
        if k != last {
            short = mix(short, k as u64);
            last = k;
        }
    }
    (short, mix(long, n.min(7) as u64))
}

#[derive(Debug, Clone, Copy, Default)]
struct EnInfo {
    lower: u64,
    word: u64,
    shape: u64,
    long_shape: u64,
}

/// Hashed features of every token of an English sentence.
pub(crate) fn en_features(text: &str, tokens: &[(usize, usize)], out: &mut FeatureBuf) {
    mod e {
        pub(crate) const BIAS: u64 = super::EN_BIAS;
        pub(crate) const LOWER: u64 = 101;
        pub(crate) const WORD: u64 = 102;
        pub(crate) const SHAPE: u64 = 103;
        pub(crate) const LONG_SHAPE: u64 = 104;
        pub(crate) const PREFIX: u64 = 110;
        pub(crate) const SUFFIX: u64 = 120;
        pub(crate) const CTX_LOWER: u64 = 130;
        pub(crate) const CTX_SHAPE3: u64 = 140;
        pub(crate) const BIGRAM_L: u64 = 141;
        pub(crate) const BIGRAM_R: u64 = 142;
        pub(crate) const FIRST: u64 = 143;
        pub(crate) const ALLCAPS_SENT: u64 = 144;
        pub(crate) const PREV_WORD_SHAPE: u64 = 145;
        pub(crate) const NEXT_WORD_SHAPE: u64 = 146;
        pub(crate) const CTX_WORD: u64 = 150;
    }
    out.clear();
    let infos: Vec<EnInfo> = tokens
        .iter()
        .map(|&(a, b)| {
            let w = text.get(a..b).unwrap_or("");
            let (shape, long_shape) = shape_hash(w);
            EnInfo {
                lower: hash_lower(w),
                word: hash_str(w),
                shape,
                long_shape,
            }
        })
        .collect();
    // A headline in capitals: shapes mean less there.
    let letters_upper = tokens.iter().all(|&(a, b)| {
        text.get(a..b)
            .is_none_or(|w| !w.chars().any(|c| c.is_lowercase()))
    });
    let pad = EnInfo {
        lower: 0xB0,
        word: 0xB0,
        shape: 0xB0,
        long_shape: 0xB0,
    };
    let at = |i: isize| -> EnInfo {
        if i < 0 {
            pad
        } else {
            infos.get(i as usize).copied().unwrap_or(EnInfo {
                lower: 0xE0,
                word: 0xE0,
                shape: 0xE0,
                long_shape: 0xE0,
            })
        }
    };
    for (i, &(a, b)) in tokens.iter().enumerate() {
        let w = text.get(a..b).unwrap_or("");
        let ii = i as isize;
        let cur = infos[i];
        let (p2, p1, n1, n2) = (at(ii - 2), at(ii - 1), at(ii + 1), at(ii + 2));
        out.push(e::BIAS, &[]);
        out.push(e::LOWER, &[cur.lower]);
        out.push(e::WORD, &[cur.word]);
        out.push(e::SHAPE, &[cur.shape]);
        out.push(e::LONG_SHAPE, &[cur.long_shape]);
        let nchars = w.chars().count();
        let mut h = 0u64;
        for (k, c) in w.chars().take(4).enumerate() {
            h = mix(h, c.to_lowercase().next().unwrap_or(c) as u64);
            if k + 1 < nchars {
                out.push(e::PREFIX + k as u64, &[h]);
            }
        }
        let mut h = 0u64;
        for (k, c) in w.chars().rev().take(4).enumerate() {
            h = mix(h, c.to_lowercase().next().unwrap_or(c) as u64);
            if k + 1 < nchars {
                out.push(e::SUFFIX + k as u64, &[h]);
            }
        }
        out.push(e::CTX_LOWER, &[p1.lower]);
        out.push(e::CTX_LOWER + 1, &[n1.lower]);
        out.push(e::CTX_LOWER + 2, &[p2.lower]);
        out.push(e::CTX_LOWER + 3, &[n2.lower]);
        out.push(e::CTX_WORD, &[p1.word]);
        out.push(e::CTX_WORD + 1, &[n1.word]);
        out.push(e::CTX_SHAPE3, &[p1.shape, cur.shape, n1.shape]);
        out.push(e::BIGRAM_L, &[p1.lower, cur.lower]);
        out.push(e::BIGRAM_R, &[cur.lower, n1.lower]);
        out.push(e::PREV_WORD_SHAPE, &[p1.lower, cur.shape]);
        out.push(e::NEXT_WORD_SHAPE, &[cur.shape, n1.lower]);
        if i == 0 {
            out.push(e::FIRST, &[cur.shape]);
        }
        if letters_upper {
            out.push(e::ALLCAPS_SENT, &[cur.lower]);
        }
        out.end_unit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_cue_row_names_its_line() {
        let err = parse_cues("data/models/ner-cues.tsv", "surname\t王\nsurnames\t李\n")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("data/models/ner-cues.tsv:2: unknown kind \"surnames\" (org_suffix, loc_suffix, per_title, surname)")
        );
        assert!(parse_cues("t.tsv", "surname\n").is_err());
        assert!(parse_cues("t.tsv", "surname\t王\textra\n").is_err());
        assert_eq!(cue_of("王") & CUE_SURNAME, CUE_SURNAME);
    }
    use crate::segment::segment;

    fn toks(s: &str) -> Vec<&str> {
        let mut v = Vec::new();
        en_tokens(s, 0, s.len(), &mut v);
        v.into_iter().map(|(a, b)| &s[a..b]).collect()
    }


    /// A unit as first written: every word-level value of its word copied into it (the
    /// reference the units with a word table must agree with).
    #[derive(Debug, Clone, Copy, PartialEq)]
    struct WideUnit {
        start: usize,
        end: usize,
        sym: u64,
        kind: Kind,
        wpos: u8,
        wlen: u8,
        pos: u64,
        word: u64,
        prev_word: u64,
        next_word: u64,
        prev_pos: u64,
        next_pos: u64,
        cue: u8,
        prev_cue: u8,
        next_cue: u8,
        surname: u8,
        latin_word: u64,
        cl: u32,
        prev_cl: u32,
        next_cl: u32,
        /// Index of the token (`u32::MAX` outside any word).
        token: u32,
    }

    /// The units of `zh` with their word's values copied in, as [`zh_units_plain`] makes
    /// them.
    fn widen(zh: &ZhUnits) -> Vec<WideUnit> {
        let tokens = zh.words.len().saturating_sub(4);
        zh.units
            .iter()
            .map(|u| {
                let (p, w, n) = zh.words_around(u.token);
                assert!(u.token as usize <= tokens || u.token == outside_at(tokens));
                WideUnit {
                    start: u.start,
                    end: u.end,
                    sym: u.sym,
                    kind: u.kind,
                    wpos: u.wpos,
                    wlen: w.len,
                    pos: w.pos,
                    word: w.word,
                    prev_word: p.word,
                    next_word: n.word,
                    prev_pos: p.pos,
                    next_pos: n.pos,
                    cue: w.cue,
                    prev_cue: p.cue,
                    next_cue: n.cue,
                    surname: u.surname,
                    latin_word: u.latin_word,
                    cl: w.cl,
                    prev_cl: p.cl,
                    next_cl: n.cl,
                    token: if u.token == outside_at(tokens) {
                        u32::MAX
                    } else {
                        u.token - 1
                    },
                }
            })
            .collect()
    }

    /// `zh_features` as first written, from wide units (`units` are the same units, for
    /// their characters): the reference the features read through the word table must
    /// equal, so that training sees exactly the features it saw before the table.
    fn zh_features_wide(units: &[Unit], wide: &[WideUnit], out: &mut FeatureBuf) {
        out.clear();
        let bias = feature_key(t::BIAS, &[]);
        for (i, u) in wide.iter().enumerate() {
            let ii = i as isize;
            out.ids.push(bias);
            for len in 1..=MAX_NGRAM {
                for k in 0..ngram_slots(len) {
                    out.push_slot(ngram_group(units, ii - 2 + k as isize, len), k as u8);
                }
            }
            out.ids.push(kinds_key(kinds_around(units, i)));
            for g in [
                group_key(t::POS_WPOS, &[u.pos, u.wlen as u64]),
                group_key(t::POS3, &[u.prev_pos, u.pos, u.next_pos]),
                group_key(t::WORD_WPOS, &[u.word]),
                group_key(t::PREV_WORD, &[u.prev_word]),
                group_key(t::NEXT_WORD, &[u.next_word]),
                group_key(t::CUE_CLUSTER, &[u.cue as u64, fine(u.cl)]),
                group_key(
                    t::CUE_CLUSTER_AROUND,
                    &[
                        u.prev_cue as u64,
                        u.next_cue as u64,
                        coarse(u.prev_cl),
                        coarse(u.next_cl),
                    ],
                ),
            ] {
                out.push_slot(g, u.wpos);
            }
            if u.surname != 0 {
                out.push_slot(
                    group_key(t::SURNAME, &[u.surname as u64, u.wlen as u64]),
                    u.wpos,
                );
            }
            if u.latin_word != 0 {
                out.push(t::LATIN_WORD, &[u.latin_word]);
                out.push(
                    t::K_C,
                    &[kind_at(units, ii - 1), u.kind as u64, sym_at(units, ii + 1)],
                );
            }
            out.end_unit();
        }
    }

    /// `zh_units` as first written (a pass that pushes every unit outside any word, then
    /// one that searches each unit's word, every word hashed and looked up afresh): the
    /// reference the one-pass `zh_units` must agree with, field for field.
    fn zh_units_plain(text: &str, s: usize, e: usize, tokens: &[Token], out: &mut Vec<WideUnit>) {
        out.clear();
        let Some(sent) = text.get(s..e) else { return };
        let mut it = sent.char_indices().peekable();
        // The unit waiting for the next one to see whether the two are a compound surname.
        let mut compound: Option<usize> = None;
        while let Some((i, c)) = it.next() {
            let start = s + i;
            let mut end = start + c.len_utf8();
            let (sym, kind) = if c.is_ascii_alphanumeric() {
                while let Some(&(j, n)) = it.peek() {
                    if n.is_ascii_alphanumeric() {
                        end = s + j + 1;
                        it.next();
                    } else {
                        break;
                    }
                }
                let kind = latin_kind(&text[start..end]);
                let len = (end - start).min(4) as u64;
                (
                    0x1_0000_0000 + (kind as u64) * 16 + if kind == Kind::Digits { len } else { 0 },
                    kind,
                )
            } else {
                let kind = if is_han(c) {
                    if is_han_numeral(c) {
                        Kind::HanNumeral
                    } else {
                        Kind::Han
                    }
                } else if c.is_whitespace() {
                    Kind::Space
                } else if c.is_ascii_punctuation() || c.is_ascii() || is_cjk_punct(c) {
                    Kind::Punct
                } else {
                    Kind::Other
                };
                (c as u64, kind)
            };
            let latin_word = if kind == Kind::Letters {
                hash_lower(&text[start..end])
            } else {
                0
            };
            // A unit that may begin a compound surname is one with the unit after it.
            if let Some(k) = compound.take() {
                if let Some(u) = out.get_mut(k) {
                    if text
                        .get(u.start..end)
                        .is_some_and(|t| cue_of(t) & CUE_SURNAME != 0)
                    {
                        u.surname |= 2;
                    }
                }
            }
            // Surnames: single characters, and two-character compound surnames.
            let marks = if kind == Kind::Han {
                surname_start(c)
            } else {
                0
            };
            if marks & 2 != 0 {
                compound = Some(out.len());
            }
            out.push(WideUnit {
                start,
                end,
                sym,
                kind,
                wpos: 4,
                wlen: 0,
                pos: NONE,
                word: NONE,
                prev_word: NONE,
                next_word: NONE,
                prev_pos: NONE,
                next_pos: NONE,
                cue: 0,
                prev_cue: 0,
                next_cue: 0,
                surname: marks & 1,
                latin_word,
                cl: NO_CLUSTER,
                prev_cl: NO_CLUSTER,
                next_cl: NO_CLUSTER,
                token: u32::MAX,
            });
        }
        // Jieba words: position of each unit in its word, the word's POS, neighbours.
        let info: Vec<WordInfo> = tokens
            .iter()
            .map(|t| {
                let w = text.get(t.start..t.end).unwrap_or("");
                let word = hash_str_folded(w);
                let facts = WordFacts::of(w, word);
                WordInfo {
                    word,
                    pos: hash_str(t.pos),
                    cue: facts.cue,
                    len: facts.len,
                    cl: facts.cl,
                }
            })
            .collect();
        place_units_in_words(out, tokens, &info);
    }

    /// Fills each unit's word fields (reference).
    fn place_units_in_words(out: &mut [WideUnit], tokens: &[Token], info: &[WordInfo]) {
        let mut ti = 0;
        for u in out.iter_mut() {
            while ti < tokens.len() && tokens[ti].end <= u.start {
                ti += 1;
            }
            let Some(t) = tokens.get(ti) else { break };
            if t.start > u.start {
                continue;
            }
            let Some(w) = info.get(ti) else { break };
            u.wpos = match (u.start == t.start, u.end >= t.end) {
                (true, true) => 3,
                (true, false) => 0,
                (false, true) => 2,
                (false, false) => 1,
            };
            u.wlen = w.len;
            u.word = w.word;
            u.pos = w.pos;
            u.cue = w.cue;
            u.token = ti as u32;
            u.cl = w.cl;
            if let Some(p) = ti.checked_sub(1).and_then(|p| info.get(p)) {
                (u.prev_word, u.prev_pos, u.prev_cue) = (p.word, p.pos, p.cue);
                u.prev_cl = p.cl;
            }
            if let Some(n) = info.get(ti + 1) {
                (u.next_word, u.next_pos, u.next_cue) = (n.word, n.pos, n.cue);
                u.next_cl = n.cl;
            }
        }
    }

    #[test]
    fn english_tokens() {
        assert_eq!(
            toks("Google's chief, Mr. Pichai, visited the U.S. today."),
            vec![
                "Google", "'s", "chief", ",", "Mr.", "Pichai", ",", "visited", "the", "U.S.",
                "today", "."
            ]
        );
        assert_eq!(
            toks("(Reuters) \"Acme Corp.\"  said"),
            vec!["(", "Reuters", ")", "\"", "Acme", "Corp.", "\"", "said"]
        );
        assert_eq!(toks(""), Vec::<&str>::new());
        assert_eq!(toks("。,   ，"), vec!["。", ",", "，"]);
    }

    #[test]
    fn chinese_units_keep_latin_runs_whole() {
        let text = "米德哈加入Scale AI公司";
        let seg = segment(text, true);
        let mut zh = ZhUnits::default();
        zh_units(text, 0, text.len(), &seg.tokens, &mut zh);
        let units = &zh.units;
        let shown: Vec<&str> = units.iter().map(|u| &text[u.start..u.end]).collect();
        assert_eq!(
            shown,
            vec!["米", "德", "哈", "加", "入", "Scale", " ", "AI", "公", "司"]
        );
        // 公司 is one jieba word: 公 begins it, 司 ends it, and it carries the org cue.
        assert_eq!(units[8].wpos, 0);
        assert_eq!(units[9].wpos, 2);
        assert_ne!(zh.words_around(units[9].token).1.cue & CUE_ORG, 0);
        let mut buf = FeatureBuf::default();
        zh_features(&zh, &mut buf);
        assert_eq!(buf.len(), units.len());
        assert!(buf.unit(0).len() >= 20);
        assert!(buf.unit(99).is_empty());
        // Same character, same context => same features; different context => different.
        let mut again = FeatureBuf::default();
        zh_features(&zh, &mut again);
        assert_eq!(buf.unit(3), again.unit(3));
        assert_ne!(buf.unit(0)[2], buf.unit(1)[2]);
    }

    /// The tagger's grouped path sums exactly the weights of the flat feature lists.
    /// `zh_feature_kind` names the positions of `zh_features` right: the word groups sit
    /// where the word, previous and next word keys are, and the n-gram slots where the
    /// character n-grams are (the unigram of the unit itself at offset 0).
    #[test]
    fn feature_kinds_match_the_feature_list() {
        let text = "李鹏会见了尼泊尔客人";
        let seg = segment(text, true);
        let mut zh = ZhUnits::default();
        zh_units(text, 0, text.len(), &seg.tokens, &mut zh);
        let mut buf = FeatureBuf::default();
        zh_features(&zh, &mut buf);
        let units = &zh.units;
        let i = 1; // 鹏
        let u = &widen(&zh)[i];
        let f = buf.unit(i);
        let at = |kind: ZhFeatureKind| (0..f.len()).filter(move |&j| zh_feature_kind(j) == kind);
        let word: Vec<usize> = at(ZhFeatureKind::Word).collect();
        assert_eq!(word.len(), 1);
        assert_eq!(f[word[0]], slot_key(group_key(t::WORD_WPOS, &[u.word]), u.wpos));
        let around: Vec<u64> = at(ZhFeatureKind::NeighbourWord).map(|j| f[j]).collect();
        assert_eq!(
            around,
            vec![
                slot_key(group_key(t::PREV_WORD, &[u.prev_word]), u.wpos),
                slot_key(group_key(t::NEXT_WORD, &[u.next_word]), u.wpos)
            ]
        );
        let own = at(ZhFeatureKind::NGram { first: 0, len: 1 }).collect::<Vec<_>>();
        assert_eq!(f[own[0]], slot_key(ngram_group(units, i as isize, 1), 2));
        let tri: Vec<usize> = at(ZhFeatureKind::NGram { first: -1, len: 3 }).collect();
        assert_eq!(f[tri[0]], slot_key(ngram_group(units, i as isize - 1, 3), 1));
        assert_eq!(zh_feature_kind(0), ZhFeatureKind::Other);
        // The template names agree with the kinds, and dropping positions keeps the rest.
        assert_eq!(zh_template_at(word[0]), "word");
        assert_eq!(zh_template_at(own[0]), "u0");
        assert_eq!(zh_template_at(tri[0]), "t-1");
        assert_eq!(around.len(), 2);
        let bigram = at(ZhFeatureKind::NGram { first: 1, len: 2 }).collect::<Vec<_>>();
        assert_eq!(zh_template_at(bigram[0]), "b+1");
        let kept = buf.retain_positions(|j| !zh_template_at(j).starts_with('t'));
        assert_eq!(kept.len(), buf.len());
        for k in 0..buf.len() {
            let want: Vec<u64> = (0..buf.unit(k).len())
                .filter(|&j| !(10..13).contains(&j))
                .map(|j| buf.unit(k)[j])
                .collect();
            assert_eq!(kept.unit(k), &want[..]);
        }
    }

    #[test]
    fn grouped_emissions_equal_flat_ones() {
        let model = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let mut units = ZhUnits::default();
        let mut feats = FeatureBuf::default();
        let mut sc = EmitScratch::default();
        let (mut flat, mut grouped) = (Vec::new(), Vec::new());
        for text in [
            "国务院总理李强昨天在北京会见了德国总理朔尔茨。",
            "米德哈加入Scale AI公司, 欧阳修和王安石 2024年 营收12.5亿元",
            "中",
            "",
            "  ,, 。",
        ] {
            let seg = segment(text, true);
            zh_units(text, 0, text.len(), &seg.tokens, &mut units);
            zh_features(&units, &mut feats);
            model.emissions(&feats, &mut flat);
            zh_emissions(&model, &units, &mut sc, &mut grouped);
            assert_eq!(flat, grouped, "{text}");
            assert_eq!(grouped.len(), units.units.len());
        }
    }

    /// The run-time chosen way of summing rows (AVX2 where the machine has it) gives
    /// exactly the baseline's scores; and the baseline's are the flat ones.
    #[test]
    fn fast_sums_equal_baseline_sums() {
        let model = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let mut units = ZhUnits::default();
        let mut feats = FeatureBuf::default();
        let mut sc = EmitScratch::default();
        let (mut flat, mut base, mut fast) = (Vec::new(), Vec::new(), Vec::new());
        let long = "新华社北京3月5日电 国务院总理李强在人民大会堂会见了美国财政部长耶伦，双方就中美经贸关系交换意见。阿里巴巴集团（Alibaba Group）宣布以12.5亿元收购上海某某科技有限公司51%的股权。".repeat(3);
        for text in [
            long.as_str(),
            "米德哈加入Scale AI公司, 欧阳修和王安石 2024年 营收12.5亿元",
            "中",
            "",
        ] {
            let seg = segment(text, true);
            zh_units(text, 0, text.len(), &seg.tokens, &mut units);
            zh_features(&units, &mut feats);
            model.emissions(&feats, &mut flat);
            zh_emissions_with(&model, &units, &mut sc, &mut base, SumsKind::Baseline);
            zh_emissions_with(&model, &units, &mut sc, &mut fast, fast_sums());
            assert_eq!(flat, base, "{text}");
            assert_eq!(base, fast, "{text}");
            #[cfg(target_arch = "x86_64")]
            {
                zh_emissions_with(&model, &units, &mut sc, &mut fast, SumsKind::Avx2);
                assert_eq!(base, fast, "{text}");
            }
        }
    }

    /// The summing by first rows ([`sum_units`]: the windows' places checked once, the
    /// class features and the bias from the [`LocCache`]'s memos) gives the flat sums on
    /// whole articles, in both ways of summing; with one scratch moving between models
    /// (the memos must follow the model), and with the empty model (rows of only zeros).
    #[test]
    fn sums_by_first_rows_equal_flat_ones_on_articles() {
        let zh = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let en = Model::from_bytes(super::super::EN_MODEL).unwrap();
        let empty = Model::empty(super::super::model::Lang::Zh);
        let mut units = ZhUnits::default();
        let mut feats = FeatureBuf::default();
        let mut sc = EmitScratch::default();
        let (mut flat, mut base, mut fast) = (Vec::new(), Vec::new(), Vec::new());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut checked = 0;
        for name in [
            "airbnb-q1-results.zh-Hans.txt",
            "scale-ai-v-mercor.zh-Hant.txt",
            "shuiyou-ipo.zh-Hans.txt",
            "tsmc-q4-guidance.zh-Hans.txt",
        ] {
            let text = std::fs::read_to_string(root.join(name)).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let seg = segment(line, true);
                zh_units(line, 0, line.len(), &seg.tokens, &mut units);
                zh_features(&units, &mut feats);
                for model in [&zh, &en, &zh, &empty, &zh] {
                    model.emissions(&feats, &mut flat);
                    zh_emissions_with(model, &units, &mut sc, &mut base, SumsKind::Baseline);
                    zh_emissions_with(model, &units, &mut sc, &mut fast, fast_sums());
                    assert_eq!(flat, base, "{name}: {line}");
                    assert_eq!(flat, fast, "{name}: {line}");
                }
                checked += units.units.len();
            }
        }
        assert!(checked > 2000, "few units checked: {checked}");
    }

    /// The per-character unigram memo holds, for every symbol it keeps, what the model's
    /// index answers for the unigram group of that symbol, also after the model changed.
    #[test]
    fn unigram_memo_gives_the_models_rows() {
        let zh = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let en = Model::from_bytes(super::super::EN_MODEL).unwrap();
        let mut units = ZhUnits::default();
        let mut sc = EmitScratch::default();
        let mut out = Vec::new();
        let text = "新华社北京3月5日电 国务院总理李强在人民大会堂会见了美国财政部长耶伦。°à 𠀀 Scale AI";
        let seg = segment(text, true);
        zh_units(text, 0, text.len(), &seg.tokens, &mut units);
        for model in [&zh, &en, &zh] {
            for _ in 0..2 {
                zh_emissions(model, &units, &mut sc, &mut out);
                let chars = sc.cache.chars.as_ref().unwrap();
                let mut kept = 0;
                for (sym, &loc) in chars.iter().enumerate() {
                    if loc != Loc::NONE {
                        assert_eq!(loc, model.locate(group_key(t::C, &[sym as u64])), "{sym:X}");
                        kept += 1;
                    }
                }
                // (The English model has no Chinese unigrams: it keeps none.)
                if std::ptr::eq(model, &zh) {
                    assert!(kept > 20, "{kept}");
                }
            }
        }
    }

    /// The memos of the bias and of the class features answer what the model's index
    /// does (the first row of the record's window), for every triple of classes, asked
    /// twice, and after the model changed.
    #[test]
    fn class_and_bias_memos_give_the_models_rows() {
        let zh = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let en = Model::from_bytes(super::super::EN_MODEL).unwrap();
        let codes = [0u64, 1, 2, 3, 6, 7, 8, 9, 12];
        let mut cache = LocCache::<4>::default();
        let mut known = 0;
        for model in [&zh, &en, &zh] {
            cache.use_model(model);
            let last = (model.rows().len() - GROUP_SLOTS) as u32;
            for _ in 0..2 {
                assert_eq!(
                    cache.bias_first(model, last),
                    model.locate(feature_key(t::BIAS, &[])).first()
                );
                for a in codes {
                    for b in codes {
                        for c in codes {
                            let loc = model.locate(kinds_key([a, b, c]));
                            assert_eq!(cache.kinds_first(model, [a, b, c], last), loc.first());
                            // The summing loop's memo, by the triple's place.
                            let code = [a, b, c]
                                .iter()
                                .try_fold(0, |p, &k| {
                                    (k < KIND_CODES as u64).then_some(p * KIND_CODES + k as usize)
                                });
                            if let Some(code) = code {
                                assert_eq!(cache.kinds_memo().first(model, code), loc.first());
                            }
                            known += usize::from(loc != Loc::NONE);
                        }
                    }
                }
            }
        }
        assert!(known > 50, "the model knows few class triples: {known}");
        // A first row above `last` is read as the window of zeros.
        cache.use_model(&zh);
        assert_eq!(cache.bias_first(&zh, 0), 0);
        assert_eq!(cache.kinds_first(&zh, [1, 1, 1], 0), 0);
    }

    /// The n-gram groups of [`zh_emissions`] are [`ngram_group`]'s, in the order it reads
    /// them (by length, then start from two units before the sentence).
    #[test]
    fn ngram_groups_from_padded_symbols_equal_the_general_ones() {
        for text in ["", "中", "李鹏会见", "米德哈加入Scale AI公司, 2024年。"] {
            let seg = segment(text, true);
            let mut zh = ZhUnits::default();
            zh_units(text, 0, text.len(), &seg.tokens, &mut zh);
            let units = &zh.units[..];
            let n = units.len() as isize;
            let mut general = Vec::new();
            for len in 1..=MAX_NGRAM {
                for p in -2..=(n + 2 - len as isize) {
                    general.push(ngram_group(units, p, len));
                }
            }
            let mut padded = vec![PAD_L; 2];
            padded.extend(units.iter().map(|u| u.sym));
            padded.extend([PAD_R; 2]);
            let mut fast = Vec::new();
            push_ngram_groups(&padded, &mut fast);
            assert_eq!(fast, general, "{text}");
        }
    }

    /// The bigram and trigram keys from zipped slices equal those of the plain windows,
    /// on symbol lists of every short length (shorter than a padded sentence too).
    #[test]
    fn longer_ngram_groups_equal_the_windowed_ones() {
        let syms: Vec<u64> = [PAD_L, PAD_L, 0x4e2d, 0x1_0000_0013, 0x56fd, PAD_R, PAD_R]
            .to_vec();
        for len in 0..=syms.len() {
            let padded = &syms[..len];
            let mut plain: Vec<u64> = padded
                .windows(2)
                .map(|w| group_key(t::CC, &[w[0], w[1]]))
                .collect();
            plain.extend(
                padded
                    .windows(3)
                    .map(|w| group_key(t::CCC, &[w[0], w[1], w[2]])),
            );
            let mut fast = vec![7];
            push_longer_ngram_groups(padded, &mut fast);
            assert_eq!(fast[0], 7);
            assert_eq!(fast[1..], plain[..], "{len}");
        }
    }

    /// The one-pass `zh_units` (memoised word facts and POS hashes, units pushed whole)
    /// gives exactly the units of the plain two-pass one, field for field: on jieba's
    /// tokens of whole texts and of sentences inside them, without tokens, and on token
    /// lists jieba never makes (gaps, overlaps, spans off the text, tags not interned).
    #[test]
    fn one_pass_units_equal_the_plain_ones() {
        let long = "新华社北京3月5日电 国务院总理李强在人民大会堂会见了美国财政部长耶伦，双方就中美经贸关系交换意见。阿里巴巴集团（Alibaba Group）宣布以12.5亿元收购上海某某科技有限公司51%的股权。";
        let texts = [
            long,
            "米德哈加入Scale AI公司, 欧阳修和王安石 2024年 营收12.5亿元",
            "诸葛亮与司马懿在上官婉儿家见到欧阳，司马光,欧阳 东方红 长孙无忌 公孙 夏侯惇",
            "欧阳Scale 司徒 1990年 司马A 上官X1 西门 南宫AI",
            "中华人民共和国国务院办公厅发布通知，中华人民共和国国务院新闻办公室举行发布会",
            "GPT4o与iPhone15 Pro、A股、3Q24、COVID-19疫情 abc123 ABC 0xFF\t\n  \u{3000}全角　空格",
            "一二三四五六七八九十百千万亿〇零两 第一百零八 ¥５０ ①②③ 🙂😀 𠀀𠀁 é ß Ω",
            "「引号」『书名』《人民日报》——破折号……省略号·间隔号 ~!@#$%^&*()_+-=[]{};':\",./<>?",
            "中",
            "A",
            "7",
            " ",
            "",
            "欧",
            "欧阳",
        ];
        let mut fast = ZhUnits::default();
        let mut plain = Vec::new();
        let (mut feats, mut wide_feats) = (FeatureBuf::default(), FeatureBuf::default());
        let mut check = |text: &str, s: usize, e: usize, tokens: &[Token], fast: &mut ZhUnits, plain: &mut Vec<WideUnit>| {
            zh_units(text, s, e, tokens, fast);
            zh_units_plain(text, s, e, tokens, plain);
            assert_eq!(&widen(fast), plain, "{:?} {s}..{e}", text.get(s..e));
            // The features through the word table are those of the wide units.
            zh_features(fast, &mut feats);
            zh_features_wide(&fast.units, plain, &mut wide_feats);
            assert_eq!(feats.ids, wide_feats.ids, "{:?} {s}..{e}", text.get(s..e));
            assert_eq!(feats.len(), wide_feats.len());
        };
        for round in 0..2 {
            for text in texts {
                let seg = segment(text, true);
                check(text, 0, text.len(), &seg.tokens, &mut fast, &mut plain);
                check(text, 0, text.len(), &[], &mut fast, &mut plain);
                for &(s, e) in &seg.sentences {
                    check(text, s, e, seg.tokens_in((s, e)), &mut fast, &mut plain);
                    // All of the text's tokens with one sentence: tokens before it.
                    check(text, s, e, &seg.tokens, &mut fast, &mut plain);
                }
                // Spans that are not char boundaries, or out of the text.
                check(text, 1, text.len(), &seg.tokens, &mut fast, &mut plain);
                check(text, 0, text.len() + 1, &seg.tokens, &mut fast, &mut plain);
                // Made-up tokens: every second character a word of two, gaps, an
                // overlap, one off the text, a tag that is no interned one.
                let odd: &'static str = String::from("nrfg").leak();
                let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
                let mut made = Vec::new();
                for (k, w) in starts.windows(3).enumerate().step_by(2) {
                    let pos = ["n", odd, "v", "x"][(k + round) % 4];
                    made.push(Token { start: w[0], end: w[2], pos });
                }
                if let (Some(&a), Some(&b)) = (starts.get(1), starts.get(4)) {
                    made.insert(1.min(made.len()), Token { start: a, end: b, pos: "ns" });
                }
                made.push(Token { start: text.len(), end: text.len() + 3, pos: "eng" });
                check(text, 0, text.len(), &made, &mut fast, &mut plain);
                made.retain(|t| t.start % 3 != 0);
                check(text, 0, text.len(), &made, &mut fast, &mut plain);
            }
        }
        // Empty spans and no units.
        check("中文", 3, 3, &[], &mut fast, &mut plain);
        assert!(fast.units.is_empty());
    }

    /// The word-by-word Han path of `push_units` gives the units of the plain path on
    /// token lists made at random over texts mixing Han characters (in and out of the
    /// CJK block, surnames, compound surnames, numerals) with Latin runs, digits,
    /// punctuation and spaces: words that hold several kinds, words cut off by the
    /// sentence's end, gaps, and words that do not end on a Han character.
    #[test]
    fn word_by_word_units_equal_the_plain_ones() {
        let texts = [
            "欧阳修和司马光在上官婉儿家见到诸葛亮。王安石、李白、张三丰，欧阳Scale与司徒X1、东方红",
            "中华人民共和国国务院办公厅2024年发布通知：营收12.5亿元，同比增长3%。iPhone15 Pro在北京上市",
            "䷀䷿㐀䶵丽𠀀欧 阳一二三四五六七八九十百千万亿〇零两 abc123 Ü 「书名」——……",
            "欧阳欧阳欧阳司马司马上官A上官",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut rand = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let mut fast = ZhUnits::default();
        let mut plain = Vec::new();
        for text in texts {
            let starts: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            for _ in 0..300 {
                // Words of one to five characters, a few left out (gaps).
                let mut tokens = Vec::new();
                let mut k = 0;
                while k + 1 < starts.len() {
                    let next = (k + 1 + rand(5)).min(starts.len() - 1);
                    if rand(8) != 0 {
                        tokens.push(Token { start: starts[k], end: starts[next], pos: "n" });
                    }
                    k = next;
                }
                let (a, b) = (rand(starts.len()), rand(starts.len()));
                let (s, e) = (starts[a.min(b)], starts[a.max(b)]);
                for tokens in [&tokens[..], seg_tokens_in(&tokens, s, e)] {
                    zh_units(text, s, e, tokens, &mut fast);
                    zh_units_plain(text, s, e, tokens, &mut plain);
                    assert_eq!(&widen(&fast), &plain, "{:?} {tokens:?}", &text[s..e]);
                }
            }
        }
    }

    /// The tokens starting inside `s..e` (as `Segmented::tokens_in`).
    fn seg_tokens_in(tokens: &[Token], s: usize, e: usize) -> &[Token] {
        let a = tokens.partition_point(|t| t.start < s);
        let b = tokens.partition_point(|t| t.start < e);
        &tokens[a..b.max(a)]
    }

    /// A word looked up by its place in the text (`WordCache::word_in`: masked loads of
    /// the text, no `str` checks on a hit) is answered as by its text (`WordCache::word`),
    /// for every span of texts up to 30 bytes long (spans off char boundaries, empty,
    /// reversed, past the end, near the end where fewer than 24 bytes follow), on misses
    /// and hits, in a cache of four places and in a full-size one; and the masked loads
    /// pack a word as `packed_word` does.
    #[test]
    fn words_by_place_equal_words_by_text() {
        let texts = [
            "中华人民共和国国务院办公厅发布通知，北京公司的李鹏会见Apple与APPLE的代表。",
            "欧阳修 abc ABCdefghijklmnopqrstuvwxyz 12345678901234567890 𠀀𠀁𠀂 é",
            "公司",
            "",
        ];
        for bits in [2, WORD_CACHE_BITS] {
            let mut cache = WordCache::new(bits);
            for round in 0..2 {
                for text in texts {
                    for start in 0..=text.len() + 1 {
                        for end in start.saturating_sub(2)..=(start + 30).min(text.len() + 1) {
                            let want = {
                                let w = text.get(start..end).unwrap_or("");
                                let h = hash_str_folded(w);
                                (h, WordFacts::of(w, h))
                            };
                            assert_eq!(
                                cache.word_in(text, start, end),
                                want,
                                "{text:?} {start}..{end} round {round}"
                            );
                        }
                    }
                }
            }
        }
        let bytes = "中华人民共和国国务院办公厅发布通知, abcdefgh".as_bytes();
        for start in 0..bytes.len() {
            let Some(window) = bytes[start..].first_chunk::<WORD_CACHE_BYTES>() else {
                continue;
            };
            for n in 1..=WORD_CACHE_BYTES {
                assert_eq!(
                    packed_prefix(window, n),
                    packed_word(&bytes[start..start + n]),
                    "{start} {n}"
                );
            }
        }
    }

    /// The word cache answers what the plain computation does (folded hash and facts), on
    /// hits, on misses and when words of the same place push each other out (a cache of
    /// four places); the POS memo answers `hash_str` of the tag.
    #[test]
    fn word_cache_gives_the_uncached_facts() {
        let mut words: Vec<String> = cues().keys().take(300).map(|w| w.to_string()).collect();
        words.extend(
            [
                "北京", "北京市", "公司", "的", "李鹏", "Apple", "APPLE", "apple", "", "a",
                "中华人民共和国国务院办公厅", "国务院办公厅", "𠀀", "Scale", "a\0", "a\0\0",
                "12345678", "123456789", "1234567", "中华人民共和国国", "中华人民共和国国务",
            ]
            .map(String::from),
        );
        for bits in [2, WORD_CACHE_BITS] {
            let mut cache = WordCache::new(bits);
            for round in 0..3 {
                for w in &words {
                    let h = hash_str_folded(w);
                    assert_eq!(cache.word(w), (h, WordFacts::of(w, h)), "{w} round {round}");
                }
            }
            assert_eq!(cache.places.len(), 1 << bits);
        }
        // A word the cache holds is answered from its place (a changed place shows).
        let mut cache = WordCache::new(WORD_CACHE_BITS);
        let real = cache.word("公司");
        let held = cache.places.iter_mut().find(|p| p.len == 6).map(|p| p.chars = 9);
        assert!(held.is_some());
        assert_eq!(cache.word("公司").1.len, 9);
        assert_ne!(real.1.len, 9);
        // Case-folded words share a hash but not their text: each gets its own facts.
        assert_eq!(hash_str_folded("Apple"), hash_str_folded("APPLE"));
        // POS hashes: the interned tags, the same text elsewhere, a prefix of a tag.
        let elsewhere: &'static str = String::from("nrfg").leak();
        let tags = ["n", "nr", "nrfg", "eng", "x", "", &elsewhere[..2], elsewhere, &"nrfg"[..3]];
        let mut cache = WordCache::new(2);
        for round in 0..3 {
            for tag in tags {
                assert_eq!(cache.pos_hash(tag), hash_str(tag), "{tag} round {round}");
            }
            for t in segment("李鹏会见了尼泊尔客人, Scale AI 2024年", true).tokens {
                assert_eq!(cache.pos_hash(t.pos), hash_str(t.pos), "{}", t.pos);
            }
        }
        assert_eq!(cache.pos.len(), 1 << POS_CACHE_BITS);
    }

    /// The zero-padded loads read exactly the bytes of every length, and packed words are
    /// equal exactly when their bytes are.
    #[test]
    fn packed_words_are_their_bytes() {
        let bytes: Vec<u8> = (1..=30u8).map(|b| b.wrapping_mul(37) | 1).collect();
        for n in 0..=8 {
            let mut want = 0u64;
            for (k, &b) in bytes[..n].iter().enumerate() {
                want |= (b as u64) << (8 * k);
            }
            assert_eq!(load_le(&bytes[..n]), want, "{n}");
        }
        for n in 0..=WORD_CACHE_BYTES {
            let mut padded = [0u8; 24];
            padded[..n].copy_from_slice(&bytes[..n]);
            let want = [0, 8, 16].map(|k| {
                u64::from_le_bytes(padded[k..k + 8].try_into().unwrap_or([0; 8]))
            });
            assert_eq!(packed_word(&bytes[..n]), want, "{n}");
            if n > 0 {
                let mut other = bytes[..n].to_vec();
                other[n - 1] ^= 0x40;
                assert_ne!(packed_word(&other), want, "{n}");
            }
        }
    }

    /// The cache of lookups answers what the model does, on hits, on misses, when keys of
    /// one place push each other out (four places) and when the model changes under it.
    #[test]
    fn loc_cache_gives_the_models_answers() {
        let zh = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let other = Model::from_bytes(super::super::EN_MODEL).unwrap();
        let text = "国务院总理李强昨天在北京会见了德国总理朔尔茨。李强说, 北京欢迎德国公司。";
        let seg = segment(text, true);
        let mut zu = ZhUnits::default();
        zh_units(text, 0, text.len(), &seg.tokens, &mut zu);
        let units = &zu.units[..];
        let mut keys: Vec<u64> = units.iter().flat_map(|u| word_group_mixes(&zu, u.token)).collect();
        keys.extend(units.iter().map(|u| template_mix(t::C, &[u.sym])));
        // The mixes are the word groups' and the unigrams'.
        let groups: Vec<u64> = units.iter().flat_map(|u| word_groups(&zu, u.token)).collect();
        assert_eq!(keys[..groups.len()].iter().map(|&m| group_of_mix(m)).collect::<Vec<_>>(), groups);
        for (i, &m) in keys[groups.len()..].iter().enumerate() {
            assert_eq!(group_of_mix(m), ngram_group(units, i as isize, 1));
        }
        let found = keys.iter().filter(|&&k| zh.locate(group_of_mix(k)) != Loc::NONE).count();
        assert!(found > 20, "the model knows few of the keys: {found}");
        fn check<const N: usize>(models: [&Model; 3], keys: &[u64]) {
            let mut cache = LocCache::<N>::default();
            for model in models {
                cache.use_model(model);
                for round in 0..2 {
                    let mut locs = vec![Loc::NONE; keys.len()];
                    let mut misses = Vec::new();
                    cache.probe(model, keys, &mut locs, 0, &mut misses);
                    for (j, group) in misses {
                        assert_eq!(group, group_of_mix(keys[j]));
                        locs[j] = model.locate(group);
                        cache.put(keys[j], locs[j]);
                    }
                    for (&k, &loc) in keys.iter().zip(&locs) {
                        assert_eq!(loc, model.locate(group_of_mix(k)), "round {round}");
                    }
                }
            }
        }
        check::<4>([&zh, &other, &zh], &keys);
        check::<LOC_CACHE_PLACES>([&zh, &other, &zh], &keys);
        // A clone is the same model to the cache; a model built again is another.
        assert_eq!(zh.clone().id(), zh.id());
        assert_ne!(Model::from_bytes(super::super::ZH_MODEL).unwrap().id(), zh.id());
    }

    /// The per-word memo of the one-word groups answers what the model's index does for
    /// their mixes (which are the word groups' of `zh_features`), on hits, on misses, when
    /// words of one place push each other out (four places) and when the model changes.
    #[test]
    fn word_locs_give_the_models_answers() {
        let zh = Model::from_bytes(super::super::ZH_MODEL).unwrap();
        let en = Model::from_bytes(super::super::EN_MODEL).unwrap();
        let text = "国务院总理李强昨天在北京会见了德国总理朔尔茨。李强说, 北京欢迎德国公司。";
        let seg = segment(text, true);
        let mut zu = ZhUnits::default();
        zh_units(text, 0, text.len(), &seg.tokens, &mut zu);
        for u in &zu.units {
            let all = word_group_mixes(&zu, u.token);
            let (p, w, n) = zu.words_around(u.token);
            let shared = shared_word_mixes(p, w, n);
            assert_eq!([all[0], all[1], all[6]], shared);
            assert_eq!(all[2], one_word_mixes(w)[OWN_WORD]);
            assert_eq!(all[3], one_word_mixes(p)[AS_PREV_WORD]);
            assert_eq!(all[4], one_word_mixes(n)[AS_NEXT_WORD]);
            assert_eq!(all[5], one_word_mixes(w)[OWN_CUE_CLUSTER]);
        }
        let mut found = 0;
        let mut cache = LocCache::<4, 4>::default();
        for model in [&zh, &en, &zh] {
            cache.use_model(model);
            for _ in 0..2 {
                for w in zu.words.iter().chain(zu.words.iter().rev()) {
                    let want = one_word_mixes(w).map(|m| model.locate(group_of_mix(m)));
                    assert_eq!(cache.word_locs(model, w), want);
                    found += want.iter().filter(|&&l| l != Loc::NONE).count();
                }
            }
        }
        assert!(found > 20, "the model knows few of the groups: {found}");
        // The emissions' word table rows (its four places of no word from one probe) are
        // each place's own, for sentences with and without tokens, and no sentence.
        let mut sc = EmitScratch::default();
        let mut em = Vec::new();
        for (s, e, tokens) in [
            (0, text.len(), &seg.tokens[..]),
            (0, text.len(), &[][..]),
            (3, 9, seg.tokens_in((3, 9))),
            (0, 0, &[][..]),
            (0, 1, &[][..]),
        ] {
            zh_units(text, s, e, tokens, &mut zu);
            zh_emissions(&zh, &zu, &mut sc, &mut em);
            let want: Vec<[Loc; 4]> = zu
                .words
                .iter()
                .map(|w| one_word_mixes(w).map(|m| zh.locate(group_of_mix(m))))
                .collect();
            assert_eq!(sc.word_locs, want, "{s}..{e}");
        }
    }

    #[test]
    fn cue_prefilter_keeps_every_cue() {
        let mut words: Vec<String> = Vec::new();
        for word in cues().keys() {
            words.push(word.to_string());
            words.push(format!("中国{word}"));
            words.push(format!("{word}的"));
        }
        words.extend(["的", "", "a", "Inc", "北京市", "国务院办公厅", "𠀀"].map(String::from));
        let mut cued = 0;
        for w in &words {
            assert_eq!(word_cue(w), word_cue_lookup(w), "{w}");
            cued += usize::from(word_cue(w) != 0);
        }
        assert!(cued > 100, "the cue table looks empty");
    }

    #[test]
    fn cluster_table_loads_and_groups_like_words() {
        // Two premiers of the training text's years fall into one fine cluster, two cities
        // into one coarse cluster; an unknown word has none.
        let c = |w: &str| cluster_of(hash_str_folded(w));
        assert_ne!(c("李鹏"), NO_CLUSTER);
        assert_eq!(fine(c("李鹏")), fine(c("朱镕基")));
        assert_eq!(coarse(c("北京")), coarse(c("上海")));
        assert_eq!(c("不存在的词语组合"), NO_CLUSTER);
        // Rows are keyed case-folded, as the word features are.
        let m = parse_clusters("t.tsv", "# word\tfine\tcoarse\nApple\t3\t1\n").unwrap();
        assert_eq!(m.get(&hash_str_folded("APPLE")), Some(&(3 | 1 << 16)));
    }

    #[test]
    fn bad_cluster_rows_name_file_and_line() {
        let err = |t: &str| parse_clusters("data/models/c.tsv", t).unwrap_err().to_string();
        assert_eq!(
            err("a\t1\t2\nb\tx\t2\n"),
            "data/models/c.tsv:2: column 2 (fine) is not valid: \"x\""
        );
        assert!(err("a\t1\t2\na\t3\t4\n").starts_with("data/models/c.tsv:2: "));
        assert!(err("a\t1\n").starts_with("data/models/c.tsv:1: "));
        assert!(err("a\t65535\t1\n").contains("reserved"));
    }

    #[test]
    fn surname_cue() {
        let text = "欧阳修和王安石";
        let mut zh = ZhUnits::default();
        zh_units(text, 0, text.len(), &[], &mut zh);
        assert_eq!(zh.units[0].surname & 2, 2);
        assert_eq!(zh.units[4].surname & 1, 1);
        // The surname bits as first computed, in a pass over the finished units.
        let reference = |text: &str, units: &[Unit]| -> Vec<u8> {
            (0..units.len())
                .map(|k| {
                    let u = units[k];
                    if u.kind != Kind::Han {
                        return 0;
                    }
                    let start = text[u.start..u.end].chars().next().map_or(0, surname_start);
                    let compound = units.get(k + 1).is_some_and(|next| {
                        start & 2 != 0 && cue_of(&text[u.start..next.end]) & CUE_SURNAME != 0
                    });
                    (start & 1) | if compound { 2 } else { 0 }
                })
                .collect()
        };
        for text in [
            "欧阳修和王安石",
            "司马光,欧阳",
            "诸葛亮与司马懿在上官婉儿家见到欧阳",
            "欧阳Scale 司徒 1990年",
            "欧",
            "",
        ] {
            zh_units(text, 0, text.len(), &[], &mut zh);
            let bits: Vec<u8> = zh.units.iter().map(|u| u.surname).collect();
            assert_eq!(bits, reference(text, &zh.units), "{text}");
        }
    }
}
