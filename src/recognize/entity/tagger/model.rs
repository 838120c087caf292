//! The tagging model: BIO tag set, feature weights in an open-addressing table, transition
//! weights, Viterbi decoding, and the versioned, deflate-compressed model file format.
//!
//! File format: one ASCII header line
//! `newsfacts-ner <FORMAT_VERSION> lang=<zh|en> tags=BIO7 features=<FEATURES_VERSION>\n`,
//! then a deflate stream holding: feature count (u32), weight scale (f32), start and
//! transition weights (f32), the sorted feature keys as varint deltas, and every feature's
//! weights quantised to i16 (weight = i16 * scale). All integers little-endian.

use std::io::{Read, Write};

use super::features::{FeatureBuf, FEATURES_VERSION};
use crate::document::EntityType;

/// Version of the file layout.
pub const FORMAT_VERSION: u32 = 1;

/// Features whose largest weight (relative to O's) is below this fraction of the model's
/// largest weight are dropped at load. 0.02 costs at most 0.001 F1 on the NER sets and
/// shrinks the table; 0.04 cost 0.002-0.004, 0.07 about 0.012 (see data/models/README.md).
const PRUNE_FRACTION: f32 = 0.02;

/// Number of tags: O, then B and I for PER, ORG, LOC.
pub const NT: usize = 7;

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

/// One table slot: the key's high 32 bits as a fingerprint (0 = empty; the low bits chose
/// the slot) and the quantised weights of the tags other than O, relative to O's weight:
/// subtracting one constant from every tag of a unit changes no decision, so O's weight is
/// folded away and a slot fits in 16 bytes, four to a cache line.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(16))]
struct Slot {
    fp: u32,
    w: [i16; NT - 1],
}

const EMPTY: Slot = Slot {
    fp: 0,
    w: [0; NT - 1],
};
const _: () = assert!(std::mem::size_of::<Slot>() == 16);

/// Four slots in one cache line. A key hashes to a bucket and is looked for in its four
/// slots at once, without data-dependent branches (so many lookups can be in flight);
/// only a full bucket sends the search on to the next one.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Bucket {
    s: [Slot; 4],
}

const EMPTY_BUCKET: Bucket = Bucket { s: [EMPTY; 4] };

fn fingerprint(key: u64) -> u32 {
    ((key >> 32) as u32).max(1)
}

/// A trained model, read-only once built.
#[derive(Debug, Clone)]
pub struct Model {
    pub lang: Lang,
    buckets: Vec<Bucket>,
    mask: usize,
    len: usize,
    /// Weight of one quantisation step.
    scale: f32,
    pub start: [f32; NT],
    pub trans: [[f32; NT]; NT],
}

impl Model {
    /// A model with no features: tags everything O.
    pub fn empty(lang: Lang) -> Model {
        Model::from_parts(lang, Vec::new(), [0.0; NT], [[0.0; NT]; NT])
    }

    /// Builds the lookup table from `(key, weights)` pairs (keys non-zero and distinct).
    /// Weights are quantised to i16 steps of `max |w| / 32767`.
    pub fn from_parts(
        lang: Lang,
        mut entries: Vec<(u64, [f32; NT])>,
        start: [f32; NT],
        trans: [[f32; NT]; NT],
    ) -> Model {
        entries.retain(|e| e.0 != 0);
        entries.sort_unstable_by_key(|e| e.0);
        entries.dedup_by_key(|e| e.0);
        let max = entries
            .iter()
            .flat_map(|e| e.1.iter().map(|w| w - e.1[0]))
            .fold(0.0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        // Features whose every weight is tiny next to the largest barely move a decision but
        // cost table space (and so cache misses for every other lookup): drop them.
        let cut = PRUNE_FRACTION * max;
        entries.retain(|e| e.1.iter().any(|w| (w - e.1[0]).abs() >= cut));
        // About 40% of the slots used: buckets rarely overflow, and a miss (most lookups of
        // rare words and trigrams) usually stops at its first bucket.
        let nb = (entries.len() * 8 / 5)
            .div_ceil(4)
            .next_power_of_two()
            .max(4);
        let mut buckets = vec![EMPTY_BUCKET; nb];
        let mask = nb - 1;
        for &(key, w) in &entries {
            let fp = fingerprint(key);
            let mut q = [0i16; NT - 1];
            for t in 1..NT {
                q[t - 1] = ((w[t] - w[0]) / scale).round().clamp(-32767.0, 32767.0) as i16;
            }
            let mut b = (key as usize) & mask;
            loop {
                if let Some(slot) = buckets[b].s.iter_mut().find(|s| s.fp == 0) {
                    *slot = Slot { fp, w: q };
                    break;
                }
                b = (b + 1) & mask;
            }
        }
        let len = entries.len();
        Model {
            lang,
            buckets,
            mask,
            len,
            scale,
            start,
            trans,
        }
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The weights of `key`, if the model has it (tests).
    #[cfg(test)]
    fn lookup(&self, key: u64) -> Option<[i16; NT - 1]> {
        let mut acc = [0i32; NT];
        self.add_weights(key, &mut acc)
            .then(|| std::array::from_fn(|t| acc[t + 1] as i16))
    }

    /// Adds the weights of `key` to `acc` (O's stays 0); returns whether the key was found.
    #[inline]
    fn add_weights(&self, key: u64, acc: &mut [i32; NT]) -> bool {
        let fp = fingerprint(key);
        let mut b = (key as usize) & self.mask;
        for _ in 0..self.buckets.len() {
            let Some(bucket) = self.buckets.get(b) else {
                return false;
            };
            // Which slot holds the key, without branches: a key is stored once, so at most
            // one fingerprint matches (a fingerprint shared by two keys of one bucket is
            // about one in 10^9); on a miss `hit` is 0 and slot 0's weights count nothing.
            let e: [usize; 4] = std::array::from_fn(|k| usize::from(bucket.s[k].fp == fp));
            let hit = (e[0] | e[1] | e[2] | e[3]) as i32;
            let slot = &bucket.s[e[1] + 2 * e[2] + 3 * e[3]];
            for t in 1..NT {
                acc[t] += slot.w[t - 1] as i32 * hit;
            }
            if hit != 0 || bucket.s[3].fp == 0 {
                return hit != 0;
            }
            b = (b + 1) & self.mask;
        }
        false
    }

    #[inline]
    fn prefetch(&self, keys: &[u64]) {
        #[cfg(target_arch = "x86_64")]
        for &k in keys {
            let i = (k as usize) & self.mask;
            if let Some(bucket) = self.buckets.get(i) {
                // SAFETY: a prefetch is only a hint; the pointer is to a live bucket.
                unsafe {
                    std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                        (bucket as *const Bucket).cast::<i8>(),
                    );
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = keys;
    }

    /// Emission scores of every unit: the sum of its features' weights.
    pub fn emissions(&self, feats: &FeatureBuf, out: &mut Vec<[f32; NT]>) {
        out.clear();
        self.prefetch(feats.unit(0));
        for i in 0..feats.len() {
            // The table is larger than the caches: ask for the next unit's slots while this
            // unit's are summed, so the memory latencies overlap.
            self.prefetch(feats.unit(i + 1));
            let mut acc = [0i32; NT];
            for &f in feats.unit(i) {
                self.add_weights(f, &mut acc);
            }
            out.push(acc.map(|a| a as f32 * self.scale));
        }
    }

    /// Reads a model file, checking the header against this build.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        Ok(ModelData::from_bytes(bytes)?.model())
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
        let mut body = Vec::new();
        flate2::read::DeflateDecoder::new(&bytes[nl + 1..])
            .read_to_end(&mut body)
            .map_err(|e| format!("model payload: {e}"))?;
        let mut r = Reader { b: &body, at: 0 };
        let n = r.u32()? as usize;
        let scale = r.f32()?;
        let mut start = [0.0; NT];
        for w in start.iter_mut() {
            *w = r.f32()?;
        }
        let mut trans = [[0.0; NT]; NT];
        for w in trans.iter_mut().flatten() {
            *w = r.f32()?;
        }
        if n > body.len() {
            return Err("feature count exceeds payload".into());
        }
        let mut keys = Vec::with_capacity(n);
        let mut prev = 0u64;
        for _ in 0..n {
            prev = prev.wrapping_add(r.varint()?);
            keys.push(prev);
        }
        let mut entries: Vec<(u64, [f32; NT])> = keys.into_iter().map(|k| (k, [0.0; NT])).collect();
        for t in 0..NT {
            for e in entries.iter_mut() {
                e.1[t] = r.i16()? as f32 * scale;
            }
        }
        if r.at != body.len() {
            return Err("trailing bytes in model payload".into());
        }
        Ok(ModelData {
            lang,
            entries,
            start,
            trans,
        })
    }
}

/// Viterbi decoding over BIO tags; invalid transitions are never taken.
pub fn viterbi(em: &[[f32; NT]], start: &[f32; NT], trans: &[[f32; NT]; NT], path: &mut Vec<u8>) {
    path.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    const NEG: f32 = -1e30;
    // Invalid moves get a score no path survives; the inner loop then needs no branches.
    let mut tr = [[NEG; NT]; NT];
    for p in 0..NT {
        for t in 0..NT {
            if allowed(Some(p as u8), t as u8) {
                tr[p][t] = trans[p][t];
            }
        }
    }
    thread_local! {
        static BACK: std::cell::RefCell<Vec<[u8; NT]>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BACK.with(|cell| {
        let mut fresh = Vec::new();
        let mut guard = cell.try_borrow_mut();
        let back: &mut Vec<[u8; NT]> = match guard {
            Ok(ref mut b) => b,
            Err(_) => &mut fresh,
        };
        back.clear();
        back.resize(n, [0; NT]);
        let mut score = [NEG; NT];
        for t in 0..NT {
            score[t] = if allowed(None, t as u8) {
                start[t] + em[0][t]
            } else {
                NEG
            };
        }
        for i in 1..n {
            let mut next = [NEG; NT];
            for t in 0..NT {
                let mut best = score[0] + tr[0][t];
                let mut arg = 0u8;
                for p in 1..NT {
                    let s = score[p] + tr[p][t];
                    if s > best {
                        best = s;
                        arg = p as u8;
                    }
                }
                next[t] = best + em[i][t];
                back[i][t] = arg;
            }
            score = next;
        }
        let mut best = 0;
        for t in 1..NT {
            if score[t] > score[best] {
                best = t;
            }
        }
        path.resize(n, 0);
        let mut cur = best as u8;
        for i in (0..n).rev() {
            path[i] = cur;
            cur = back[i][cur as usize];
        }
    });
}

fn write_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const K: usize>(&mut self) -> Result<[u8; K], String> {
        let s = self
            .b
            .get(self.at..self.at + K)
            .ok_or("truncated model payload")?;
        self.at += K;
        let mut a = [0u8; K];
        a.copy_from_slice(s);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take()?))
    }
    fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take()?))
    }
    fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.take()?))
    }
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let [b] = self.take::<1>()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err("bad varint in model payload".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let entries = vec![(42, w), (7, v), (9, [-0.25; NT]), (12, tiny)];
        let m = ModelData {
            lang: Lang::Zh,
            entries,
            start: [0.1; NT],
            trans: [[0.2; NT]; NT],
        };
        let bytes = m.to_bytes();
        assert!(bytes.starts_with(b"newsfacts-ner 1 lang=zh"));
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        // Weights are stored relative to O's.
        assert!((back.lookup(42).unwrap()[2] as f32 * back.scale - 1.5).abs() < 1e-3);
        assert!((back.lookup(7).unwrap()[0] as f32 * back.scale - 0.75).abs() < 1e-3);
        assert!((back.lookup(7).unwrap()[1] as f32 * back.scale).abs() < 1e-3);
        assert!(back.lookup(9).is_none() && back.lookup(12).is_none());
        assert!(back.lookup(8).is_none());
        assert!(Model::from_bytes(b"garbage\n").is_err());
        assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    }
}
