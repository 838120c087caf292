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

#[derive(Debug, Clone, Copy)]
#[repr(C)]
struct Slot {
    key: u64,
    w: [f32; NT],
}

/// A trained model, read-only once built.
#[derive(Debug, Clone)]
pub struct Model {
    pub lang: Lang,
    slots: Vec<Slot>,
    mask: usize,
    len: usize,
    pub start: [f32; NT],
    pub trans: [[f32; NT]; NT],
}

impl Model {
    /// A model with no features: tags everything O.
    pub fn empty(lang: Lang) -> Model {
        Model::from_parts(lang, Vec::new(), [0.0; NT], [[0.0; NT]; NT])
    }

    /// Builds the lookup table from `(key, weights)` pairs (keys non-zero and distinct).
    pub fn from_parts(lang: Lang, entries: Vec<(u64, [f32; NT])>, start: [f32; NT], trans: [[f32; NT]; NT]) -> Model {
        let cap = (entries.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot { key: 0, w: [0.0; NT] }; cap];
        let mask = cap - 1;
        let mut len = 0;
        for (key, w) in entries {
            if key == 0 {
                continue;
            }
            let mut i = (key as usize) & mask;
            loop {
                if slots[i].key == 0 {
                    slots[i] = Slot { key, w };
                    len += 1;
                    break;
                }
                if slots[i].key == key {
                    slots[i].w = w;
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        Model { lang, slots, mask, len, start, trans }
    }

    /// Number of features with weights.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn lookup(&self, key: u64) -> Option<&[f32; NT]> {
        let mut i = (key as usize) & self.mask;
        loop {
            let s = self.slots.get(i)?;
            if s.key == key {
                return Some(&s.w);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Emission scores of every unit: the sum of its features' weights.
    pub fn emissions(&self, feats: &FeatureBuf, out: &mut Vec<[f32; NT]>) {
        out.clear();
        for i in 0..feats.len() {
            let mut acc = [0.0f32; NT];
            for &f in feats.unit(i) {
                if let Some(w) = self.lookup(f) {
                    for t in 0..NT {
                        acc[t] += w[t];
                    }
                }
            }
            out.push(acc);
        }
    }

    /// Entries sorted by key (for writing and for tests).
    fn sorted_entries(&self) -> Vec<(u64, [f32; NT])> {
        let mut v: Vec<(u64, [f32; NT])> = self.slots.iter().filter(|s| s.key != 0).map(|s| (s.key, s.w)).collect();
        v.sort_unstable_by_key(|e| e.0);
        v
    }

    /// Serialises the model (header line + deflate stream).
    pub fn to_bytes(&self) -> Vec<u8> {
        let entries = self.sorted_entries();
        let max = entries.iter().flat_map(|e| e.1.iter()).fold(0.0f32, |m, w| m.max(w.abs()));
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

    /// Reads a model file, checking the header against this build.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let nl = bytes.iter().position(|&b| b == b'\n').ok_or("no header line")?;
        let header = std::str::from_utf8(&bytes[..nl]).map_err(|_| "header is not text")?;
        let mut parts = header.split(' ');
        if parts.next() != Some("newsfacts-ner") {
            return Err(format!("not a newsfacts NER model: {header:?}"));
        }
        if parts.next() != Some(FORMAT_VERSION.to_string().as_str()) {
            return Err(format!("model format version differs from {FORMAT_VERSION}: {header:?}"));
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
            return Err(format!("feature templates differ from version {FEATURES_VERSION}: retrain ({header:?})"));
        }
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
        Ok(Model::from_parts(lang, entries, start, trans))
    }

    /// Best tag sequence under BIO constraints; `path` receives one tag per unit.
    pub fn viterbi(&self, em: &[[f32; NT]], path: &mut Vec<u8>) {
        viterbi(em, &self.start, &self.trans, path)
    }
}

/// Viterbi decoding over BIO tags; invalid transitions are never taken.
pub fn viterbi(em: &[[f32; NT]], start: &[f32; NT], trans: &[[f32; NT]; NT], path: &mut Vec<u8>) {
    path.clear();
    let n = em.len();
    if n == 0 {
        return;
    }
    const NEG: f32 = f32::NEG_INFINITY;
    let mut back: Vec<[u8; NT]> = vec![[0; NT]; n];
    let mut score = [NEG; NT];
    for t in 0..NT {
        if allowed(None, t as u8) {
            score[t] = start[t] + em[0][t];
        }
    }
    for i in 1..n {
        let mut next = [NEG; NT];
        for t in 0..NT {
            let mut best = NEG;
            let mut arg = 0u8;
            for p in 0..NT {
                if score[p] == NEG || !allowed(Some(p as u8), t as u8) {
                    continue;
                }
                let s = score[p] + trans[p][t];
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
        let s = self.b.get(self.at..self.at + K).ok_or("truncated model payload")?;
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
        let em = vec![[0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0], [0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0], [
            0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0,
        ]];
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
        let m = Model::from_parts(Lang::Zh, vec![(42, w), (7, [-0.25; NT])], [0.1; NT], [[0.2; NT]; NT]);
        let bytes = m.to_bytes();
        assert!(bytes.starts_with(b"newsfacts-ner 1 lang=zh"));
        let back = Model::from_bytes(&bytes).unwrap();
        assert_eq!(back.len(), 2);
        assert!((back.lookup(42).unwrap()[3] - 1.5).abs() < 1e-3);
        assert!((back.lookup(7).unwrap()[0] + 0.25).abs() < 1e-3);
        assert!(back.lookup(8).is_none());
        assert!(Model::from_bytes(b"garbage\n").is_err());
        assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    }
}
