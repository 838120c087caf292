//! The tagging model: BIO tag set, feature weights in an open-addressing table, transition
//! weights, Viterbi decoding, and the versioned, deflate-compressed model file format.
//!
//! File format: one ASCII header line
//! `newsfacts-ner <FORMAT_VERSION> lang=<zh|en> tags=BIO7 features=<FEATURES_VERSION>\n`,
//! then a deflate stream holding: feature count (u32), weight scale (f32), start and
//! transition weights (f32), the sorted feature keys as varint deltas, and every feature's
//! weights quantised to i16 (weight = i16 * scale). All integers little-endian.

use std::io::Write;

use std::borrow::Cow;

use super::features::{FeatureBuf, FEATURES_VERSION};
use super::layout::{
    build_tables, fingerprint, inflate, prefetch_line, record_of, tables_of_file, Bucket,
    Payload, Prebuilt, SortedEntries, Tables, GROUP_SLOTS, LANES, PRUNE_FRACTION,
};
#[cfg(test)]
use super::layout::{round_to_step, Weights, Windows, GROUPED};
pub use super::layout::NT;
pub(crate) use super::layout::{Row, ROW_BITS, ROW_LANES};
use crate::document::EntityType;

// The build script builds the embedded models with `layout.rs` alone, which keeps its own
// copies of the feature ids' low bits: they must be the features' own.
const _: () = assert!(
    super::layout::GROUPED == super::features::GROUPED
        && super::layout::SLOT_MASK == super::features::SLOT_MASK
        && super::layout::GROUP_SLOTS == super::features::GROUP_SLOTS
);

/// Version of the file layout.
pub const FORMAT_VERSION: u32 = 1;



pub const O: u8 = 0;

/// The entity type of a tag (`None` for O).
pub fn tag_type(tag: u8) -> Option<EntityType> {
    match tag {
        1 | 2 => Some(EntityType::Person),
        3 | 4 => Some(EntityType::Org),
        5 | 6 => Some(EntityType::Loc),
        _ => None,
    }
}

/// True for a B- tag.
pub fn is_begin(tag: u8) -> bool {
    matches!(tag, 1 | 3 | 5)
}

/// The B- tag of a type.
pub fn begin_tag(kind: EntityType) -> u8 {
    match kind {
        EntityType::Person => 1,
        EntityType::Org => 3,
        EntityType::Loc => 5,
    }
}

/// BIO validity: an I-X tag only continues B-X or I-X.
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    if cur == 0 || is_begin(cur) {
        return true;
    }
    match prev {
        Some(p) => p == cur || p + 1 == cur,
        None => false,
    }
}

/// Which language a model tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}




/// Where a record's rows are ([`Model::locate`]): the raw index place, 0 for a record the
/// model does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Loc(u32);

impl Loc {
    /// No rows.
    pub(crate) const NONE: Loc = Loc(0);

    /// The first row of the record's window (0, the window of zeros, for [`Loc::NONE`]).
    #[inline(always)]
    pub(crate) fn first(self) -> u32 {
        self.0 & ((1 << ROW_BITS) - 1)
    }
}



/// A unit's running sums of weight rows: the baseline [`Sums`], or a faster kind the
/// machine was found to have at run time (`features::zh_emissions`). Every kind adds rows
/// exactly in `i32` lanes, so all give the same sums.
pub(crate) trait RowSums: Copy {
    /// No rows added.
    const ZERO: Self;
    /// Adds the row `w`.
    fn add(&mut self, w: &Row);
    /// The sums by tag (O's is 0: weights are relative to O's).
    fn by_tag(&self) -> [i32; NT];
    /// The sums as eight `i32`s in the kind's own order, to be kept in memory between two
    /// passes and given back to [`RowSums::from_raw`] (a round trip, nothing else).
    fn to_raw(&self) -> [i32; ROW_LANES];
    /// The sums [`RowSums::to_raw`] gave `raw`.
    fn from_raw(raw: [i32; ROW_LANES]) -> Self;
}

/// A unit's running sums of weight rows, in `i32` lanes (a sum of rows never wraps; the
/// order of the additions changes nothing). On x86-64 two SSE2 registers, the even and
/// the odd lanes: `pmaddwd` against (1, 0, 1, 0, ...) and (0, 1, 0, 1, ...) widens a row's
/// `i16` lanes exactly, and is one instruction each, where the plain code spent eight
/// instructions a row and kept the sums on the stack. Elsewhere plain `i32` lanes.
#[derive(Clone, Copy)]
pub(crate) struct Sums {
    #[cfg(target_arch = "x86_64")]
    even: std::arch::x86_64::__m128i,
    #[cfg(target_arch = "x86_64")]
    odd: std::arch::x86_64::__m128i,
    #[cfg(not(target_arch = "x86_64"))]
    lanes: [i32; ROW_LANES],
}

impl Default for Sums {
    fn default() -> Sums {
        Sums::ZERO
    }
}

impl RowSums for Sums {
    #[cfg(target_arch = "x86_64")]
    const ZERO: Sums = Sums {
        // SAFETY: an all-zero bit pattern is a valid `__m128i`.
        even: unsafe { std::mem::transmute::<[i32; 4], std::arch::x86_64::__m128i>([0; 4]) },
        // SAFETY: as above.
        odd: unsafe { std::mem::transmute::<[i32; 4], std::arch::x86_64::__m128i>([0; 4]) },
    };
    #[cfg(not(target_arch = "x86_64"))]
    const ZERO: Sums = Sums {
        lanes: [0; ROW_LANES],
    };

    #[inline(always)]
    fn add(&mut self, w: &Row) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::*;
            // SAFETY: SSE2 is part of the x86-64 baseline; `w` is a live, 16-byte
            // aligned `Row` of 16 bytes.
            unsafe {
                let x = _mm_load_si128((w as *const Row).cast::<__m128i>());
                let even = _mm_set_epi16(0, 1, 0, 1, 0, 1, 0, 1);
                let odd = _mm_set_epi16(1, 0, 1, 0, 1, 0, 1, 0);
                self.even = _mm_add_epi32(self.even, _mm_madd_epi16(x, even));
                self.odd = _mm_add_epi32(self.odd, _mm_madd_epi16(x, odd));
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        for (a, &x) in self.lanes.iter_mut().zip(&w.0) {
            *a += i32::from(x);
        }
    }

    #[inline(always)]
    fn by_tag(&self) -> [i32; NT] {
        #[cfg(target_arch = "x86_64")]
        let lanes: [i32; ROW_LANES] = {
            // SAFETY: `__m128i` and `[i32; 4]` have the same size; every bit pattern is
            // a valid `[i32; 4]`.
            let (e, o) = unsafe {
                (
                    std::mem::transmute::<std::arch::x86_64::__m128i, [i32; 4]>(self.even),
                    std::mem::transmute::<std::arch::x86_64::__m128i, [i32; 4]>(self.odd),
                )
            };
            [e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3]]
        };
        #[cfg(not(target_arch = "x86_64"))]
        let lanes = self.lanes;
        std::array::from_fn(|t| if t == 0 { 0 } else { lanes[t - 1] })
    }

    #[inline(always)]
    fn to_raw(&self) -> [i32; ROW_LANES] {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: `(__m128i, __m128i)` as a pair of arrays is `[i32; 4]` twice; every
            // bit pattern is a valid `[i32; 4]`.
            let (e, o) = unsafe {
                (
                    std::mem::transmute::<std::arch::x86_64::__m128i, [i32; 4]>(self.even),
                    std::mem::transmute::<std::arch::x86_64::__m128i, [i32; 4]>(self.odd),
                )
            };
            [e[0], e[1], e[2], e[3], o[0], o[1], o[2], o[3]]
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.lanes
    }

    #[inline(always)]
    fn from_raw(raw: [i32; ROW_LANES]) -> Sums {
        #[cfg(target_arch = "x86_64")]
        {
            let [e0, e1, e2, e3, o0, o1, o2, o3] = raw;
            // SAFETY: `[i32; 4]` and `__m128i` have the same size; every bit pattern is a
            // valid `__m128i`.
            unsafe {
                Sums {
                    even: std::mem::transmute::<[i32; 4], std::arch::x86_64::__m128i>([
                        e0, e1, e2, e3,
                    ]),
                    odd: std::mem::transmute::<[i32; 4], std::arch::x86_64::__m128i>([
                        o0, o1, o2, o3,
                    ]),
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        Sums { lanes: raw }
    }
}



/// A trained model, read-only once built.
///
/// Weights live in one array of [`Row`]s; an open-addressing index of 8-byte places, at
/// most half full, maps a feature (or feature group) key to its rows. A key the model
/// lacks — most lookups of rare n-grams — costs one index probe in a small array that
/// stays in cache; a present group costs that plus one read of adjacent rows, wherever the
/// tagger uses its features.
///
/// A group's record is a *window* of [`GROUP_SLOTS`] rows, slot `k` at the window's start
/// plus `k` and a row of zeros where the group lacks a slot (a single feature's window is
/// its one row), so that finding a slot's row is one addition: no table of which slots a
/// record has, no select between a row and a zero row, about ten instructions fewer for
/// each of the twenty rows a character adds. The zeros cost memory: the Chinese model's
/// 235 k rows of 12 bytes packed (2.8 MB) became 480 k rows of 16 bytes (7.7 MB; a
/// window's leading absent slots overlap the trailing ones of the window before,
/// [`Windows::put`]), which is why the time saved is smaller than the instructions saved
/// (the tagger waits on memory). The first window, at row 0, is all zeros: where
/// [`Loc::NONE`] reads.
#[derive(Debug, Clone)]
pub struct Model {
    /// Names this model's index and rows for per-thread memos of [`Model::locate`].
    id: ModelId,
    pub lang: Lang,
    index: Cow<'static, [Bucket]>,
    mask: usize,
    rows: Cow<'static, [Row]>,
    len: usize,
    /// Weight of one quantisation step.
    scale: f32,
    pub start: [f32; NT],
    pub trans: [[f32; NT]; NT],
}

/// Two models are equal when their contents are (whatever their [`ModelId`]s).
impl PartialEq for Model {
    fn eq(&self, o: &Model) -> bool {
        self.lang == o.lang
            && self.index == o.index
            && self.mask == o.mask
            && self.rows == o.rows
            && self.len == o.len
            && self.scale == o.scale
            && self.start == o.start
            && self.trans == o.trans
    }
}

/// A number that names one built model's index and rows for the life of the process, so
/// that a per-thread memo of [`Model::locate`] (`features::LocCache`) can tell when it is
/// asked about another model. A clone keeps the number: the index and the rows never
/// change once built (they are private, and no method takes them `&mut`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ModelId(u64);

impl ModelId {
    /// A number no model built before has had.
    fn fresh() -> ModelId {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        ModelId(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}


impl Model {
    /// A model with no features: tags everything O.
    pub fn empty(lang: Lang) -> Model {
        Model::from_parts(lang, Vec::new(), [0.0; NT], [[0.0; NT]; NT])
    }

    /// Builds the lookup tables from `(key, weights)` pairs (zero keys are dropped, a
    /// repeated key keeps one of its pairs). Weights are quantised to i16 steps of
    /// `max |w| / 32767`.
    pub fn from_parts(
        lang: Lang,
        entries: Vec<(u64, [f32; NT])>,
        start: [f32; NT],
        trans: [[f32; NT]; NT],
    ) -> Model {
        let entries = super::layout::sorted_entries(entries);
        Model::from_sorted(lang, entries.as_slice(), start, trans)
    }

    /// [`Model::from_parts`] for `entries` whose keys are non-zero and increasing. Taking
    /// the entries by index lets a model file be indexed straight from its payload
    /// ([`Model::from_bytes`]) without a list of `(key, weights)` pairs built, copied and
    /// sorted first (a start-up cost), while both ways run this one computation and so
    /// build the same model.
    fn from_sorted(
        lang: Lang,
        entries: &(impl SortedEntries + ?Sized),
        start: [f32; NT],
        trans: [[f32; NT]; NT],
    ) -> Model {
        Model::of_tables(lang, build_tables(entries), start, trans)
    }

    /// The model of built `tables`.
    fn of_tables(lang: Lang, t: Tables, start: [f32; NT], trans: [[f32; NT]; NT]) -> Model {
        Model {
            id: ModelId::fresh(),
            lang,
            index: Cow::Owned(t.index),
            mask: t.mask,
            rows: Cow::Owned(t.rows),
            len: t.len,
            scale: t.scale,
            start,
            trans,
        }
    }

    /// The model of a model file (`file`, whose header is checked) whose tables the build
    /// script built (`tables`, see `layout.rs`): what [`Model::from_bytes`] builds from
    /// `file`, but its index and rows are used where they lie in the binary (nothing is
    /// inflated, indexed, allocated or copied; the pages a document reads are the only
    /// ones loaded). An error for tables not written for this target.
    pub(crate) fn prebuilt(file: &[u8], tables: &'static [u8]) -> Result<Model, String> {
        let lang = ModelData::check_header(file)?;
        let p = Prebuilt::of(tables)?;
        Ok(Model {
            id: ModelId::fresh(),
            lang,
            index: Cow::Borrowed(p.index),
            mask: p.mask,
            rows: Cow::Borrowed(p.rows),
            len: p.len,
            scale: p.scale,
            start: p.start,
            trans: p.trans,
        })
    }
    /// The number naming this model's index and rows (see [`ModelId`]).
    #[inline]
    pub(crate) fn id(&self) -> ModelId {
        self.id
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of the index and the weight rows.
    pub fn table_bytes(&self) -> usize {
        self.index.len() * std::mem::size_of::<Bucket>()
            + self.rows.len() * std::mem::size_of::<Row>()
    }

    /// The weights of `key`, if the model has it (tests).
    #[cfg(test)]
    fn lookup(&self, key: u64) -> Option<Weights> {
        let mut acc = Sums::ZERO;
        let found = self.add_weights(key, &mut acc);
        let acc = acc.by_tag();
        found.then(|| std::array::from_fn(|t| acc[t + 1] as i16))
    }

    #[inline]
    fn home(&self, rec: u64) -> usize {
        ((rec >> 4) as usize) & self.mask
    }

    /// Where the rows of a record are (a feature group by its `features::group_key`, or a
    /// single feature by its key).
    #[inline]
    pub(crate) fn locate(&self, rec: u64) -> Loc {
        let fp = fingerprint(rec);
        let mut b = self.home(rec);
        for _ in 0..self.index.len() {
            let Some(bucket) = self.index.get(b) else {
                break;
            };
            // A present record's `at` is never 0 (its slot mask is not empty), and a key
            // is stored once, so OR-ing the matching places gives its `at` or 0.
            let mut found = 0u32;
            for k in 0..LANES {
                found |= bucket.at[k] & 0u32.wrapping_sub(u32::from(bucket.fp[k] == fp));
            }
            if found != 0 || bucket.fp[LANES - 1] == 0 {
                return Loc(found);
            }
            b = (b + 1) & self.mask;
        }
        Loc(0)
    }

    /// The weights of slot `k` (< [`GROUP_SLOTS`]; 0 for a single feature) at `loc`: a
    /// row of zeros if the model lacks that feature, so that present and absent features
    /// cost the same (one addition to the window's start, no branch).
    #[inline(always)]
    pub(crate) fn slot_row(&self, loc: Loc, k: usize) -> &Row {
        debug_assert!(k < GROUP_SLOTS);
        let at = (loc.0 & ((1 << ROW_BITS) - 1)) as usize + k;
        self.rows.get(at).unwrap_or(&Row::ZERO)
    }

    /// Every row, in windows (see [`Model`]): the window of a record at `loc` is the
    /// [`GROUP_SLOTS`] rows from [`Loc::first`] on; row 0 starts the window of zeros.
    #[inline(always)]
    pub(crate) fn rows(&self) -> &[Row] {
        self.rows.as_ref()
    }

    /// Whether the record at `loc` has a row for slot `k` (< 8).
    #[inline]
    pub(crate) fn has_slot(&self, loc: Loc, k: usize) -> bool {
        (loc.0 >> ROW_BITS) >> (k & 7) & 1 == 1
    }

    /// Asks the memory system for the rows at `loc` ahead of their use.
    #[inline]
    pub(crate) fn prefetch_rows(&self, loc: Loc) {
        if loc.0 >> ROW_BITS != 0 {
            if let Some(row) = self.rows.get((loc.0 & ((1 << ROW_BITS) - 1)) as usize) {
                prefetch_line(row);
            }
        }
    }

    /// Adds the weights of feature `key` to `acc` (O's stays 0); returns whether the key
    /// was found.
    #[inline]
    pub(crate) fn add_weights<S: RowSums>(&self, key: u64, acc: &mut S) -> bool {
        let (rec, slot) = record_of(key);
        let loc = self.locate(rec);
        acc.add(self.slot_row(loc, slot));
        self.has_slot(loc, slot)
    }

    /// Asks the memory system for the index bucket of feature `key` ahead of its lookup.
    #[inline]
    pub(crate) fn prefetch(&self, key: u64) {
        if let Some(bucket) = self.index.get(self.home(record_of(key).0)) {
            prefetch_line(bucket);
        }
    }

    /// Sums of quantised weights to emission scores.
    #[inline]
    pub(crate) fn to_scores<S: RowSums>(&self, acc: &S) -> [f32; NT] {
        acc.by_tag().map(|a| a as f32 * self.scale)
    }

    /// Emission scores of every unit: the sum of its features' weights. (The tagger's
    /// Chinese path sums the same weights group by group, `features::zh_emissions`.)
    pub fn emissions(&self, feats: &FeatureBuf, out: &mut Vec<[f32; NT]>) {
        out.clear();
        for &f in feats.unit(0) {
            self.prefetch(f);
        }
        for i in 0..feats.len() {
            // Ask for the next unit's places while this unit's are summed, so the memory
            // latencies overlap.
            for &f in feats.unit(i + 1) {
                self.prefetch(f);
            }
            let mut acc = Sums::ZERO;
            for &f in feats.unit(i) {
                self.add_weights(f, &mut acc);
            }
            out.push(self.to_scores(&acc));
        }
    }

    /// Reads a model file, checking the header against this build.
    ///
    /// The runtime index is built straight from the file's quantised weights: what
    /// `ModelData::from_bytes(bytes)?.model()` builds, without its list of `(key, weights)`
    /// pairs (about 8 MB for the Chinese model, then copied and sorted), which was most of
    /// the model's start-up cost besides inflating it. Keys that are not increasing (no
    /// file `ModelData::to_bytes` writes) take that general way instead.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let lang = ModelData::check_header(bytes)?;
        let (tables, start, trans) = tables_of_file(bytes)?;
        Ok(Model::of_tables(lang, tables, start, trans))
    }

    /// Best tag sequence under BIO constraints; `path` receives one tag per unit.
    pub fn viterbi(&self, em: &[[f32; NT]], path: &mut Vec<u8>) {
        viterbi(em, &self.start, &self.trans, path)
    }
}


/// A model's contents in plain form: what training produces and the file stores.
#[derive(Debug, Clone)]
pub struct ModelData {
    pub lang: Lang,
    pub entries: Vec<(u64, [f32; NT])>,
    pub start: [f32; NT],
    pub trans: [[f32; NT]; NT],
}

impl ModelData {
    /// The runtime model.
    pub fn model(&self) -> Model {
        Model::from_parts(self.lang, self.entries.clone(), self.start, self.trans)
    }

    /// Serialises the model (header line + deflate stream).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut entries: Vec<&(u64, [f32; NT])> =
            self.entries.iter().filter(|e| e.0 != 0).collect();
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        // The loader drops features below PRUNE_FRACTION of the largest weight difference
        // (see `Model::from_parts`); not writing them keeps the file small at no cost.
        let max_diff = entries
            .iter()
            .flat_map(|e| e.1.iter().map(|w| w - e.1[0]))
            .fold(0.0f32, |m, w| m.max(w.abs()));
        let cut = PRUNE_FRACTION * max_diff;
        entries.retain(|e| e.1.iter().any(|w| (w - e.1[0]).abs() >= cut));
        let max = entries
            .iter()
            .flat_map(|e| e.1.iter())
            .fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut body = Vec::with_capacity(entries.len() * (NT * 2 + 6) + 512);
        body.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        body.extend_from_slice(&scale.to_le_bytes());
        for w in self.start.iter().chain(self.trans.iter().flatten()) {
            body.extend_from_slice(&w.to_le_bytes());
        }
        let mut prev = 0u64;
        for (k, _) in &entries {
            write_varint(&mut body, k - prev);
            prev = *k;
        }
        // Weights tag-major: runs of similar values compress better.
        for t in 0..NT {
            for (_, w) in &entries {
                let q = (w[t] / scale).round().clamp(-32767.0, 32767.0) as i16;
                body.extend_from_slice(&q.to_le_bytes());
            }
        }
        let header = format!(
            "newsfacts-ner {FORMAT_VERSION} lang={} tags=BIO{NT} features={FEATURES_VERSION}\n",
            self.lang.as_str()
        );
        let mut out = header.into_bytes();
        let mut enc = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        // Writing into a Vec cannot fail.
        let _ = enc.write_all(&body);
        let _ = enc.finish();
        out
    }

    /// Checks a model file's header against this build (format, language, tag set, feature
    /// version) without reading its weights: cheap enough for every start-up.
    pub(crate) fn check_header(bytes: &[u8]) -> Result<Lang, String> {
        Self::header(bytes).map(|(lang, _)| lang)
    }

    /// The language of a model file and where its payload starts, after checking the header.
    fn header(bytes: &[u8]) -> Result<(Lang, usize), String> {
        let nl = bytes
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("no header line")?;
        let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| "header is not text")?;
        let mut parts = header.split(' ');
        if parts.next() != Some("newsfacts-ner") {
            return Err(format!("not a newsfacts NER model: {header:?}"));
        }
        if parts.next() != Some(FORMAT_VERSION.to_string().as_str()) {
            return Err(format!(
                "model format version differs from {FORMAT_VERSION}: {header:?}"
            ));
        }
        let lang = match parts.next() {
            Some("lang=zh") => Lang::Zh,
            Some("lang=en") => Lang::En,
            _ => return Err(format!("bad language in {header:?}")),
        };
        if parts.next() != Some(format!("tags=BIO{NT}").as_str()) {
            return Err(format!("tag set differs: {header:?}"));
        }
        if parts.next() != Some(format!("features={FEATURES_VERSION}").as_str()) {
            return Err(format!(
                "feature templates differ from version {FEATURES_VERSION}: retrain ({header:?})"
            ));
        }
        Ok((lang, nl))
    }

    /// Reads a model file, checking the header against this build.
    pub fn from_bytes(bytes: &[u8]) -> Result<ModelData, String> {
        let (lang, nl) = Self::header(bytes)?;
        let body = inflate(&bytes[nl + 1..])?;
        Ok(Payload::read(&body)?.into_data(lang))
    }
}

impl Payload<'_> {
    /// The plain form of the model, every feature with its weights.
    fn into_data(self, lang: Lang) -> ModelData {
        let entries = (0..self.keys.len())
            .map(|i| (self.keys[i], self.weights_of(i)))
            .collect();
        ModelData {
            lang,
            entries,
            start: self.start,
            trans: self.trans,
        }
    }
}

/// Lanes of a row of tag scores in [`viterbi`]: the seven tags and one unused lane, so
/// that a row is two SSE registers.
const LANES8: usize = 8;

/// Viterbi decoding over BIO tags; invalid transitions are never taken.
///
/// A step computes, for every tag `t` at once, the best of `score[p] + tr[p][t]` over the
/// previous tags `p` taken in order 0..7 with a strict `>`, so the first best `p` wins a
/// tie, as in a loop over `p` per tag. A move BIO forbids (into I-X from anything but B-X
/// or I-X) scores `NEG`, which no path with a finite score loses to: the reachable B-X is
/// always finite, so the same tag wins as when only B-X and I-X are compared. The row of
/// eight lanes lets the compiler do the seven tags' comparisons side by side.
pub fn viterbi(em: &[[f32; NT]], start: &[f32; NT], trans: &[[f32; NT]; NT], path: &mut Vec<u8>) {
    thread_local! {
        static BACK: std::cell::RefCell<Vec<[u32; LANES8]>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BACK.with(|cell| {
        let mut fresh = Vec::new();
        let mut guard = cell.try_borrow_mut();
        let back: &mut Vec<[u32; LANES8]> = match guard {
            Ok(ref mut b) => b,
            Err(_) => &mut fresh,
        };
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            // SAFETY: the machine has AVX2.
            return unsafe { viterbi_avx2(em, start, trans, back, path) };
        }
        viterbi_baseline(em, start, trans, back, path)
    })
}

/// Whether the running machine has AVX2 (found out once per process).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2() -> bool {
    static HAS: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::arch::is_x86_feature_detected!("avx2"));
    *HAS
}

/// [`viterbi`] with AVX2: the moves into all eight lanes (seven tags) in one 256-bit
/// register, the better move chosen by a compare and two blends per previous tag, where
/// the baseline code took two SSE2 registers, and/andnot/or blends and shuffles (136
/// instructions a unit, 40 here). The same float additions and comparisons (`c > best`,
/// the first of equal moves kept), so the same path; a test holds both to the reference.
/// The scores stay in a register from unit to unit (a previous tag's score is put in
/// every lane by a permute, not read back from memory lane by lane), and the units are
/// walked as slices (a `skip` iterator here was an out-of-line call a unit).
///
/// # Safety
/// The machine must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn viterbi_avx2(
    em: &[[f32; NT]],
    start: &[f32; NT],
    trans: &[[f32; NT]; NT],
    back: &mut Vec<[u32; LANES8]>,
    path: &mut Vec<u8>,
) {
    use std::arch::x86_64::*;
    let Some((tr, mut score)) = begin_viterbi(em, start, trans, back, path) else {
        return;
    };
    let trv: [__m256; NT] = std::array::from_fn(|p| _mm256_loadu_ps(tr[p].as_ptr()));
    // Lane p of every lane (the permute's index), which is also the back pointer p.
    let lane: [__m256i; NT] = std::array::from_fn(|p| _mm256_set1_epi32(p as i32));
    // The seven lanes of an emission row (lane 7, no tag, reads as 0.0 and is never read).
    let seven = _mm256_setr_epi32(-1, -1, -1, -1, -1, -1, -1, 0);
    let mut s = _mm256_loadu_ps(score.as_ptr());
    let rows = back.get_mut(1..).unwrap_or(&mut []);
    for (row, e) in rows.iter_mut().zip(em.get(1..).unwrap_or(&[])) {
        let mut best = _mm256_add_ps(_mm256_permutevar8x32_ps(s, lane[0]), trv[0]);
        let mut arg = _mm256_setzero_si256();
        for p in 1..NT {
            let c = _mm256_add_ps(_mm256_permutevar8x32_ps(s, lane[p]), trv[p]);
            let better = _mm256_cmp_ps::<_CMP_GT_OQ>(c, best);
            best = _mm256_blendv_ps(best, c, better);
            arg = _mm256_blendv_epi8(arg, lane[p], _mm256_castps_si256(better));
        }
        // SAFETY: `e` is seven live `f32`s, and the mask loads only lanes 0..7 (a masked
        // load does not touch the memory of a masked-off lane).
        let ev = _mm256_maskload_ps(e.as_ptr(), seven);
        s = _mm256_add_ps(best, ev);
        _mm256_storeu_si256(row.as_mut_ptr().cast::<__m256i>(), arg);
    }
    _mm256_storeu_ps(score.as_mut_ptr(), s);
    backtrack(&score, back, path);
}

/// [`viterbi`] on the x86-64 baseline (SSE2) and elsewhere.
fn viterbi_baseline(
    em: &[[f32; NT]],
    start: &[f32; NT],
    trans: &[[f32; NT]; NT],
    back: &mut Vec<[u32; LANES8]>,
    path: &mut Vec<u8>,
) {
    let Some((tr, mut score)) = begin_viterbi(em, start, trans, back, path) else {
        return;
    };
    let rows = back.get_mut(1..).unwrap_or(&mut []);
    for (row, e) in rows.iter_mut().zip(em.get(1..).unwrap_or(&[])) {
        let (best, arg) = best_moves(&score, &tr);
        for t in 0..NT {
            score[t] = best[t] + e[t];
        }
        *row = arg;
    }
    backtrack(&score, back, path);
}

/// What both ways of [`viterbi`] start with: `path` emptied, a row of back-pointers a unit
/// in `back`, and the allowed moves and the first unit's scores; `None` for no units.
#[inline(always)]
fn begin_viterbi(
    em: &[[f32; NT]],
    start: &[f32; NT],
    trans: &[[f32; NT]; NT],
    back: &mut Vec<[u32; LANES8]>,
    path: &mut Vec<u8>,
) -> Option<([[f32; LANES8]; NT], [f32; LANES8])> {
    path.clear();
    let first = em.first()?;
    back.clear();
    back.resize(em.len(), [0; LANES8]);
    Some((allowed_moves(trans), first_scores(start, first)))
}

/// A very low score: a move BIO does not allow.
const NEG: f32 = -1e30;

/// The transition weights with the moves BIO does not allow at [`NEG`], in lanes.
fn allowed_moves(trans: &[[f32; NT]; NT]) -> [[f32; LANES8]; NT] {
    let mut tr = [[NEG; LANES8]; NT];
    for p in 0..NT {
        for t in 0..NT {
            if allowed(Some(p as u8), t as u8) {
                tr[p][t] = trans[p][t];
            }
        }
    }
    tr
}

/// The scores of the first unit's tags (an I- tag cannot start).
fn first_scores(start: &[f32; NT], em0: &[f32; NT]) -> [f32; LANES8] {
    let mut score = [NEG; LANES8];
    for t in 0..NT {
        if allowed(None, t as u8) {
            score[t] = start[t] + em0[t];
        }
    }
    score
}

/// The path into `path` from the last unit's scores and the back pointers.
fn backtrack(score: &[f32; LANES8], back: &[[u32; LANES8]], path: &mut Vec<u8>) {
    let mut best = 0;
    for t in 1..NT {
        if score[t] > score[best] {
            best = t;
        }
    }
    path.resize(back.len(), 0);
    let mut cur = best;
    for (p, b) in path.iter_mut().zip(back).rev() {
        *p = cur as u8;
        cur = (b[cur] as usize).min(NT - 1);
    }
}

/// For every tag `t`, the best score of a move into it from `score`, and the tag it
/// comes from (the first of equal ones).
#[inline(always)]
fn best_moves(score: &[f32; LANES8], tr: &[[f32; LANES8]; NT]) -> ([f32; LANES8], [u32; LANES8]) {
    let mut best = [0.0f32; LANES8];
    for t in 0..LANES8 {
        best[t] = score[0] + tr[0][t];
    }
    let mut arg = [0u32; LANES8];
    for p in 1..NT {
        let s = score[p];
        for t in 0..LANES8 {
            let c = s + tr[p][t];
            let better = c > best[t];
            best[t] = if better { c } else { best[t] };
            arg[t] = if better { p as u32 } else { arg[t] };
        }
    }
    (best, arg)
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}


#[cfg(test)]
mod tests {
    use super::*;

    /// Viterbi as it was written first: all seven previous tags compared per tag, the
    /// moves BIO forbids skipped. The reference the decoder must match.
    fn viterbi_reference(
        em: &[[f32; NT]],
        start: &[f32; NT],
        trans: &[[f32; NT]; NT],
    ) -> Vec<u8> {
        let n = em.len();
        if n == 0 {
            return Vec::new();
        }
        let mut score: Vec<Option<f32>> = (0..NT)
            .map(|t| allowed(None, t as u8).then(|| start[t] + em[0][t]))
            .collect();
        let mut back = vec![[0u8; NT]; n];
        for i in 1..n {
            let mut next = vec![None; NT];
            for t in 0..NT {
                let mut best: Option<(f32, u8)> = None;
                for p in 0..NT {
                    let Some(sp) = score[p] else { continue };
                    if !allowed(Some(p as u8), t as u8) {
                        continue;
                    }
                    let s = sp + trans[p][t];
                    if best.is_none_or(|(b, _)| s > b) {
                        best = Some((s, p as u8));
                    }
                }
                if let Some((b, p)) = best {
                    next[t] = Some(b + em[i][t]);
                    back[i][t] = p;
                }
            }
            score = next;
        }
        let mut best = 0;
        for t in 1..NT {
            if score[t].unwrap_or(f32::MIN) > score[best].unwrap_or(f32::MIN) {
                best = t;
            }
        }
        let mut path = vec![0u8; n];
        let mut cur = best as u8;
        for i in (0..n).rev() {
            path[i] = cur;
            cur = back[i][cur as usize];
        }
        path
    }

    /// The decoder finds the reference's path, ties included: emissions and transitions
    /// on a coarse grid make equal scores common.
    #[test]
    fn viterbi_matches_the_reference() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = |grid: f32| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x % 9) as f32 - 4.0) * grid
        };
        let mut path = Vec::new();
        let mut ties = 0;
        for case in 0..400 {
            let grid = if case % 2 == 0 { 1.0 } else { 0.37 };
            let n = 1 + case % 23;
            let em: Vec<[f32; NT]> = (0..n).map(|_| std::array::from_fn(|_| next(grid))).collect();
            let start: [f32; NT] = std::array::from_fn(|_| next(grid));
            let trans: [[f32; NT]; NT] = std::array::from_fn(|_| std::array::from_fn(|_| next(grid)));
            viterbi(&em, &start, &trans, &mut path);
            assert_eq!(path, viterbi_reference(&em, &start, &trans), "case {case}");
            viterbi_baseline(&em, &start, &trans, &mut Vec::new(), &mut path);
            assert_eq!(path, viterbi_reference(&em, &start, &trans), "case {case}");
            ties += usize::from(em.iter().any(|r| r[1] == r[3]));
        }
        assert!(ties > 100);
    }

    #[test]
    fn viterbi_respects_bio() {
        // Emissions prefer I-PER at position 0, which is invalid; O then B-PER I-PER wins.
        let em = vec![
            [0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0],
        ];
        let mut path = Vec::new();
        viterbi(&em, &[0.0; NT], &[[0.0; NT]; NT], &mut path);
        assert_eq!(path.len(), 3);
        assert!(path[0] == O || is_begin(path[0]));
        assert_eq!(&path[1..], &[1, 2]);
        // Transitions can override emissions.
        let mut trans = [[0.0; NT]; NT];
        trans[1][2] = -100.0;
        viterbi(&em, &[0.0; NT], &trans, &mut path);
        assert_ne!(&path[1..], &[1, 2]);
        viterbi(&[], &[0.0; NT], &trans, &mut path);
        assert!(path.is_empty());
    }

    #[test]
    fn round_trip_and_lookup() {
        let mut w = [0.0; NT];
        w[3] = 1.5;
        let mut v = [-0.25; NT];
        v[1] = 0.5;
        // Key 9 has the same weight for every tag (nothing relative to O), key 12 only
        // weights below PRUNE_FRACTION of the largest: both are pruned at load.
        let mut tiny = [0.0; NT];
        tiny[2] = 0.01;
        // Single features have bits 0..3 clear; g0 and g2 are slots 0 and 2 of one group.
        // (Distinct high bits: the index tells keys apart by them.)
        let key = |n: u64| n << 40 | n << 4;
        let (k42, k7, k9, k12) = (key(42), key(7), key(9), key(12));
        let group = key(5) | GROUPED;
        let (g0, g2) = (group, group | 2);
        let entries = vec![
            (k42, w),
            (k7, v),
            (k9, [-0.25; NT]),
            (k12, tiny),
            (g0, w),
            (g2, v),
        ];
        let m = ModelData {
            lang: Lang::Zh,
            entries,
            start: [0.1; NT],
            trans: [[0.2; NT]; NT],
        };
        let bytes = m.to_bytes();
        assert!(bytes.starts_with(b"newsfacts-ner 1 lang=zh"));
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.len(), 4);
        // Weights are stored relative to O's.
        assert!((back.lookup(k42).unwrap()[2] as f32 * back.scale - 1.5).abs() < 1e-3);
        assert!((back.lookup(k7).unwrap()[0] as f32 * back.scale - 0.75).abs() < 1e-3);
        assert!((back.lookup(k7).unwrap()[1] as f32 * back.scale).abs() < 1e-3);
        assert!(back.lookup(k9).is_none() && back.lookup(k12).is_none());
        assert!(back.lookup(key(8)).is_none());
        // A group's slots come back in one record; its missing slot adds nothing.
        assert_eq!(back.lookup(g0), back.lookup(k42));
        assert_eq!(back.lookup(g2), back.lookup(k7));
        let loc = back.locate(group);
        assert_eq!(Some(back.slot_row(loc, 0).weights()), back.lookup(k42));
        assert!(!back.has_slot(loc, 1) && *back.slot_row(loc, 1) == Row::ZERO);
        assert!(back.has_slot(loc, 2) && !back.has_slot(loc, 3));
        assert_eq!(Some(back.slot_row(loc, 2).weights()), back.lookup(k7));
        assert!(*back.slot_row(loc, 3) == Row::ZERO && *back.slot_row(loc, 4) == Row::ZERO);
        assert!(!back.has_slot(Loc::NONE, 0) && *back.slot_row(Loc::NONE, 4) == Row::ZERO);
        assert_eq!(back.locate(key(6) | GROUPED), Loc::NONE);
        assert!(Model::from_bytes(&bytes).unwrap() == ModelData::from_bytes(&bytes).unwrap().model());
        assert!(Model::from_bytes(b"garbage\n").is_err());
        assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn keys_out_of_order_take_the_general_way() {
        // No file `ModelData::to_bytes` writes has them; one written otherwise is still read
        // as `from_parts` reads its pairs (sorted, the first of a repeated key kept).
        let key = |n: u64| n << 40 | n << 4;
        let mut body = Vec::new();
        body.extend_from_slice(&3u32.to_le_bytes());
        body.extend_from_slice(&0.5f32.to_le_bytes());
        body.extend(std::iter::repeat_n(0u8, 4 * (NT + NT * NT)));
        for delta in [key(9), key(3).wrapping_sub(key(9)), 0] {
            write_varint(&mut body, delta);
        }
        for t in 0..NT as i16 {
            for q in [t, 2 * t, -t] {
                body.extend_from_slice(&q.to_le_bytes());
            }
        }
        let mut file = format!(
            "newsfacts-ner {FORMAT_VERSION} lang=en tags=BIO{NT} features={FEATURES_VERSION}\n"
        )
        .into_bytes();
        let mut enc = flate2::write::DeflateEncoder::new(&mut file, flate2::Compression::fast());
        enc.write_all(&body).unwrap();
        enc.finish().unwrap();
        let m = Model::from_bytes(&file).unwrap();
        assert!(m == ModelData::from_bytes(&file).unwrap().model());
        assert_eq!(m.len(), 2);
        assert!(m.lookup(key(3)).is_some() && m.lookup(key(9)).is_some());
    }

    /// The model as `Model::from_parts` built it before it was split for the loader (list
    /// of pairs, float rounding through `round`): the reference the loader must match.
    fn reference_model(data: &ModelData) -> Model {
        let mut entries = data.entries.clone();
        entries.retain(|e| e.0 != 0);
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        let max = entries
            .iter()
            .flat_map(|e| e.1.iter().map(|w| w - e.1[0]))
            .fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let cut = PRUNE_FRACTION * max;
        entries.retain(|e| e.1.iter().any(|w| (w - e.1[0]).abs() >= cut));
        let quantise = |w: &[f32; NT]| -> Weights {
            std::array::from_fn(|t| {
                ((w[t + 1] - w[0]) / scale).round().clamp(-32767.0, 32767.0) as i16
            })
        };
        let mut windows = Windows::new();
        for (key, w) in &entries {
            assert!(windows.put(*key, Row::of(quantise(w))));
        }
        let (rows, records) = windows.finish();
        let size = (records.len() * 2 / LANES).next_power_of_two().max(1);
        let mut index = vec![Bucket::default(); size];
        let mask = size - 1;
        for &(rec, first, slots) in &records {
            let mut b = ((rec >> 4) as usize) & mask;
            loop {
                if let Some(lane) = index[b].fp.iter().position(|&f| f == 0) {
                    index[b].fp[lane] = fingerprint(rec);
                    index[b].at[lane] = first | (slots as u32) << ROW_BITS;
                    break;
                }
                b = (b + 1) & mask;
            }
        }
        Model {
            id: ModelId::fresh(),
            lang: data.lang,
            index: Cow::Owned(index),
            mask,
            rows: Cow::Owned(rows),
            len: entries.len(),
            scale,
            start: data.start,
            trans: data.trans,
        }
    }

    #[test]
    fn from_bytes_builds_the_reference_model() {
        for bytes in [super::super::ZH_MODEL, super::super::EN_MODEL] {
            let reference = reference_model(&ModelData::from_bytes(bytes).unwrap());
            assert!(Model::from_bytes(bytes).unwrap() == reference, "the loads differ");
        }
    }

    /// The baseline sums (SSE2 `pmaddwd` on x86-64) are the plain `i32` sums of the rows,
    /// at the extremes of `i16` too.
    #[test]
    fn sums_add_rows_exactly() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut rows = vec![Row([i16::MIN; ROW_LANES]), Row([i16::MAX; ROW_LANES])];
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            rows.push(Row(std::array::from_fn(|t| (x >> (8 * t)) as i16)));
        }
        let mut acc = Sums::ZERO;
        let mut plain = [0i32; NT];
        for r in &rows {
            acc.add(r);
            for (sum, &w) in plain.iter_mut().skip(1).zip(&r.0) {
                *sum += i32::from(w);
            }
            assert_eq!(acc.by_tag(), plain);
        }
    }

    #[test]
    fn steps_round_as_round_does() {
        let plain = |x: f32| x.round().clamp(-32767.0, 32767.0) as i16;
        for x in [
            0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.49999997, -0.49999997, 32766.5, 32767.5,
            -32767.5, 1e30, -1e30, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, 0.0, -0.0,
        ] {
            assert_eq!(round_to_step(x), plain(x), "{x}");
        }
        // A spread of every sign and exponent.
        for bits in (0..=u32::MAX).step_by(251) {
            let x = f32::from_bits(bits);
            assert_eq!(round_to_step(x), plain(x), "{x} ({bits:#x})");
        }
    }

    #[test]
    fn embedded_models_index_the_same_either_way() {
        // The loader indexes a file's weights in place; the general way builds the list of
        // pairs first (`ModelData`). Both must give the same model, row for row.
        for bytes in [super::super::ZH_MODEL, super::super::EN_MODEL] {
            let direct = Model::from_bytes(bytes).unwrap();
            let general = ModelData::from_bytes(bytes).unwrap().model();
            assert!(direct.len() > 10_000);
            assert!(direct == general, "the two loads differ");
        }
    }
}
