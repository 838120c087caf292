//! Training: an averaged structured perceptron over BIO tag sequences (Collins 2002).
//!
//! Features arrive as the same hashed `u64` ids the runtime computes; they are interned to
//! dense `u32` indices (dropping ids seen fewer than `min_count` times) so that an epoch is
//! a tight loop over arrays. Averaging uses the usual lazy trick: besides the weights `w`
//! we keep `acc = Σ step·Δw`, and the average after `c` steps is `w − acc / c`.
//!
//! Domain adaptation ("frustratingly easy", Daumé 2007): when enabled, every feature also
//! gets a copy salted with the sentence's corpus, so corpora with other annotation
//! conventions (CLUENER, Weibo) can disagree with People's Daily without pulling the shared
//! weights. The exported model folds the target corpus's copies into the shared weights,
//! so tagging costs nothing extra.

use std::collections::HashMap;

use super::features::{finish, mix, zh_feature_kind, FeatureBuf, ZhFeatureKind};
use super::model::{viterbi, Lang, ModelData, NT};

/// A training sentence as hashed features and gold tags.
#[derive(Debug, Clone)]
pub struct RawSeq {
    pub feats: FeatureBuf,
    pub gold: Vec<u8>,
    /// Corpus id (0 = the target convention).
    pub domain: u8,
}

/// The salted copy of feature `f` for corpus `domain`.
pub fn salted(f: u64, domain: u8) -> u64 {
    finish(mix(f, 0xD0_0000 + domain as u64))
}

struct Seq {
    ids: Vec<u32>,
    bounds: Vec<u32>,
    gold: Vec<u8>,
    /// With dropout: for each id, its position in the unit's raw feature list (what it
    /// looks at, [`zh_feature_kind`]); empty otherwise.
    pos: Vec<u8>,
}

/// Feature dropout inside gold entities (Chinese): in each epoch each gold entity of a
/// training sentence, with probability `prob`, has the features that name it hidden from
/// the decoding and the update of its units, so that the weights must also tag it from its
/// context, surname and character shape; this is what a name the training data never
/// showed offers. Training only: the templates, and so the tagger's cost, stay the same.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Dropout {
    pub prob: f32,
    /// Hide the jieba word holding the unit.
    pub word: bool,
    /// Hide the words before and after it too.
    pub neighbours: bool,
    /// Hide the character n-grams that lie wholly inside the entity.
    pub chars: bool,
}

impl Dropout {
    fn active(&self) -> bool {
        self.prob > 0.0 && (self.word || self.neighbours || self.chars)
    }

    /// Whether the feature at raw position `pos` of unit `u`, inside the entity of units
    /// `s..e`, is hidden.
    fn hides(&self, pos: u8, u: usize, s: usize, e: usize) -> bool {
        match zh_feature_kind(pos as usize) {
            ZhFeatureKind::Word => self.word,
            ZhFeatureKind::NeighbourWord => self.neighbours,
            ZhFeatureKind::NGram { first, len } => {
                let a = u as isize + first as isize;
                self.chars && a >= s as isize && a + len as isize <= e as isize
            }
            ZhFeatureKind::Other => false,
        }
    }
}

/// Options of one training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub min_count: u32,
    pub domains: bool,
    pub seed: u64,
    /// Added to the score of every wrong tag of a unit while decoding a training sentence
    /// (loss-augmented decoding): the weights are then updated until the gold path wins by
    /// a margin of this much per wrong unit, not merely wins. 0: the plain perceptron.
    pub margin: f32,
    /// Feature dropout inside gold entities (Chinese only; off by default).
    pub dropout: Dropout,
}

/// The perceptron state.
pub struct Trainer {
    keys: Vec<u64>,
    /// For each interned base feature: the index of its target-domain copy, if any.
    target_copy: Vec<u32>,
    is_base: Vec<bool>,
    w: Vec<[f32; NT]>,
    acc: Vec<[f64; NT]>,
    start: [f32; NT],
    start_acc: [f64; NT],
    trans: [[f32; NT]; NT],
    trans_acc: [[f64; NT]; NT],
    step: f64,
    seqs: Vec<Seq>,
    opts: TrainOptions,
}

const NO_COPY: u32 = u32::MAX;

impl Trainer {
    /// Interns the features of `data` and prepares training.
    pub fn new(data: &[RawSeq], opts: TrainOptions) -> Trainer {
        let mut counts: HashMap<u64, u32> = HashMap::new();
        for s in data {
            for &f in &s.feats.ids {
                *counts.entry(f).or_insert(0) += 1;
                if opts.domains {
                    *counts.entry(salted(f, s.domain)).or_insert(0) += 1;
                }
            }
        }
        let mut base_keys: Vec<u64> = data
            .iter()
            .flat_map(|s| s.feats.ids.iter().copied())
            .filter(|f| counts.get(f).is_some_and(|&c| c >= opts.min_count))
            .collect();
        base_keys.sort_unstable();
        base_keys.dedup();
        let mut index: HashMap<u64, u32> = HashMap::with_capacity(base_keys.len() * 2);
        let mut keys = Vec::with_capacity(base_keys.len() * 2);
        let mut is_base = Vec::with_capacity(base_keys.len() * 2);
        for &k in &base_keys {
            index.insert(k, keys.len() as u32);
            keys.push(k);
            is_base.push(true);
        }
        let mut seqs = Vec::with_capacity(data.len());
        for s in data {
            let mut ids = Vec::with_capacity(s.feats.ids.len() * if opts.domains { 2 } else { 1 });
            let mut bounds = vec![0u32];
            let mut pos = Vec::new();
            let keep_pos = opts.dropout.active();
            for i in 0..s.feats.len() {
                for (j, &f) in s.feats.unit(i).iter().enumerate() {
                    let Some(&id) = index.get(&f) else { continue };
                    ids.push(id);
                    if opts.domains {
                        let sf = salted(f, s.domain);
                        if counts.get(&sf).is_some_and(|&c| c >= opts.min_count) {
                            let next = keys.len() as u32;
                            let sid = *index.entry(sf).or_insert_with(|| {
                                keys.push(sf);
                                is_base.push(false);
                                next
                            });
                            ids.push(sid);
                        }
                    }
                    if keep_pos {
                        pos.resize(ids.len(), j.min(u8::MAX as usize) as u8);
                    }
                }
                bounds.push(ids.len() as u32);
            }
            seqs.push(Seq {
                ids,
                bounds,
                gold: s.gold.clone(),
                pos,
            });
        }
        let mut target_copy = vec![NO_COPY; keys.len()];
        if opts.domains {
            for (i, &k) in keys.iter().enumerate() {
                if is_base[i] {
                    if let Some(&c) = index.get(&salted(k, 0)) {
                        target_copy[i] = c;
                    }
                }
            }
        }
        let n = keys.len();
        Trainer {
            keys,
            target_copy,
            is_base,
            w: vec![[0.0; NT]; n],
            acc: vec![[0.0; NT]; n],
            start: [0.0; NT],
            start_acc: [0.0; NT],
            trans: [[0.0; NT]; NT],
            trans_acc: [[0.0; NT]; NT],
            step: 1.0,
            seqs,
            opts,
        }
    }

    /// Number of interned features (base and salted).
    pub fn num_features(&self) -> usize {
        self.keys.len()
    }

    /// One pass over the training data in a seeded shuffled order; returns the number of
    /// sentences the current weights got wrong.
    pub fn epoch(&mut self, epoch: usize) -> usize {
        let mut order: Vec<usize> = (0..self.seqs.len()).collect();
        let mut rng = self.opts.seed ^ (epoch as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let mut em: Vec<[f32; NT]> = Vec::new();
        let mut path = Vec::new();
        let mut wrong = 0;
        let mut hidden: Vec<bool> = Vec::new();
        for &si in &order {
            let seq = &self.seqs[si];
            self.hide(si, epoch, &mut hidden);
            em.clear();
            for u in 0..seq.gold.len() {
                let mut a = [0.0f32; NT];
                for (k, &id) in seq.ids[seq.bounds[u] as usize..seq.bounds[u + 1] as usize]
                    .iter()
                    .enumerate()
                {
                    if hidden.get(seq.bounds[u] as usize + k) == Some(&true) {
                        continue;
                    }
                    let w = &self.w[id as usize];
                    for t in 0..NT {
                        a[t] += w[t];
                    }
                }
                if self.opts.margin != 0.0 {
                    let g = seq.gold[u] as usize;
                    for (t, x) in a.iter_mut().enumerate() {
                        if t != g {
                            *x += self.opts.margin;
                        }
                    }
                }
                em.push(a);
            }
            viterbi(&em, &self.start, &self.trans, &mut path);
            if path != seq.gold {
                wrong += 1;
                let c = self.step;
                for u in 0..seq.gold.len() {
                    let (g, p) = (seq.gold[u] as usize, path[u] as usize);
                    if g != p {
                        for (k, &id) in seq.ids
                            [seq.bounds[u] as usize..seq.bounds[u + 1] as usize]
                            .iter()
                            .enumerate()
                        {
                            if hidden.get(seq.bounds[u] as usize + k) == Some(&true) {
                                continue;
                            }
                            let (w, a) = (&mut self.w[id as usize], &mut self.acc[id as usize]);
                            w[g] += 1.0;
                            a[g] += c;
                            w[p] -= 1.0;
                            a[p] -= c;
                        }
                    }
                    let gp = if u == 0 {
                        None
                    } else {
                        Some(seq.gold[u - 1] as usize)
                    };
                    let pp = if u == 0 {
                        None
                    } else {
                        Some(path[u - 1] as usize)
                    };
                    if (gp, g) != (pp, p) {
                        match gp {
                            None => {
                                self.start[g] += 1.0;
                                self.start_acc[g] += c;
                            }
                            Some(q) => {
                                self.trans[q][g] += 1.0;
                                self.trans_acc[q][g] += c;
                            }
                        }
                        match pp {
                            None => {
                                self.start[p] -= 1.0;
                                self.start_acc[p] -= c;
                            }
                            Some(q) => {
                                self.trans[q][p] -= 1.0;
                                self.trans_acc[q][p] -= c;
                            }
                        }
                    }
                }
            }
            self.step += 1.0;
        }
        wrong
    }

    /// Marks the ids of sequence `si` that dropout hides in `epoch` (`hidden` left empty
    /// when dropout is off): each gold entity is picked with probability `prob` by a hash
    /// of the seed, epoch, sentence and entity start, so a run is reproducible.
    fn hide(&self, si: usize, epoch: usize, hidden: &mut Vec<bool>) {
        hidden.clear();
        let d = self.opts.dropout;
        let seq = &self.seqs[si];
        if !d.active() || seq.pos.len() != seq.ids.len() {
            return;
        }
        hidden.resize(seq.ids.len(), false);
        let n = seq.gold.len();
        let mut s = 0;
        while s < n {
            let Some(kind) = super::model::tag_type(seq.gold[s]) else {
                s += 1;
                continue;
            };
            let mut e = s + 1;
            while e < n
                && !super::model::is_begin(seq.gold[e])
                && super::model::tag_type(seq.gold[e]) == Some(kind)
            {
                e += 1;
            }
            let h = finish(mix(
                mix(mix(self.opts.seed ^ 0xD5_0F, epoch as u64), si as u64),
                s as u64,
            ));
            if ((h >> 11) as f64 / (1u64 << 53) as f64) < d.prob as f64 {
                for u in s..e {
                    let (a, b) = (seq.bounds[u] as usize, seq.bounds[u + 1] as usize);
                    for (hid, &p) in hidden[a..b].iter_mut().zip(&seq.pos[a..b]) {
                        if d.hides(p, u, s, e) {
                            *hid = true;
                        }
                    }
                }
            }
            s = e;
        }
    }

    fn avg(&self, w: f32, acc: f64) -> f32 {
        (w as f64 - acc / self.step) as f32
    }

    /// The averaged weights of the run so far, base features with their target-domain
    /// copies folded in (one entry per interned feature; salted copies are zero).
    pub fn averaged(&self) -> Averaged {
        let mut w = vec![[0.0f32; NT]; self.keys.len()];
        for (i, out) in w.iter_mut().enumerate() {
            if !self.is_base[i] {
                continue;
            }
            for (t, x) in out.iter_mut().enumerate() {
                *x = self.avg(self.w[i][t], self.acc[i][t]);
            }
            let c = self.target_copy[i];
            if c != NO_COPY {
                for (t, x) in out.iter_mut().enumerate() {
                    *x += self.avg(self.w[c as usize][t], self.acc[c as usize][t]);
                }
            }
        }
        let mut start = [0.0; NT];
        let mut trans = [[0.0; NT]; NT];
        for t in 0..NT {
            start[t] = self.avg(self.start[t], self.start_acc[t]);
            for (p, row) in trans.iter_mut().enumerate() {
                row[t] = self.avg(self.trans[p][t], self.trans_acc[p][t]);
            }
        }
        Averaged { w, start, trans }
    }

    /// Starts a new run over the same interned sentences with another shuffle seed (the
    /// weights back at zero), so that runs differing only in their order can be averaged
    /// ([`Trainer::to_model_of`]) without interning the features again.
    pub fn restart(&mut self, seed: u64) {
        self.w.iter_mut().for_each(|x| *x = [0.0; NT]);
        self.acc.iter_mut().for_each(|x| *x = [0.0; NT]);
        self.start = [0.0; NT];
        self.start_acc = [0.0; NT];
        self.trans = [[0.0; NT]; NT];
        self.trans_acc = [[0.0; NT]; NT];
        self.step = 1.0;
        self.opts.seed = seed;
    }

    /// The averaged weights as a runtime model; base features absorb their target-domain
    /// copies, features whose weights all round to zero are dropped.
    /// `o_penalty` is taken off the O weight of the bias feature: a recall/precision knob.
    pub fn to_model(&self, lang: Lang, prune: f32, o_penalty: f32) -> ModelData {
        self.to_model_of(&[self.averaged()], lang, prune, o_penalty)
    }

    /// The mean of the averaged weights of several runs (see [`Trainer::restart`]) as a
    /// runtime model, pruned and penalised as in [`Trainer::to_model`]; one run gives
    /// exactly the weights of `to_model`.
    pub fn to_model_of(
        &self,
        runs: &[Averaged],
        lang: Lang,
        prune: f32,
        o_penalty: f32,
    ) -> ModelData {
        let bias = super::features::bias_key(lang);
        let n = runs.len().max(1) as f32;
        let mean = |get: &dyn Fn(&Averaged) -> f32| -> f32 {
            runs.iter().map(get).sum::<f32>() / n
        };
        let mut entries = Vec::with_capacity(self.keys.len());
        for i in 0..self.keys.len() {
            if !self.is_base[i] {
                continue;
            }
            let mut w = [0.0f32; NT];
            for (t, x) in w.iter_mut().enumerate() {
                *x = mean(&|r| r.w.get(i).map_or(0.0, |v| v[t]));
            }
            if self.keys[i] == bias {
                w[0] -= o_penalty;
            }
            if w.iter().any(|x| x.abs() > prune) {
                entries.push((self.keys[i], w));
            }
        }
        let mut start = [0.0; NT];
        let mut trans = [[0.0; NT]; NT];
        for t in 0..NT {
            start[t] = mean(&|r| r.start[t]);
            for (p, row) in trans.iter_mut().enumerate() {
                row[t] = mean(&|r| r.trans[p][t]);
            }
        }
        ModelData {
            lang,
            entries,
            start,
            trans,
        }
    }
}

/// The averaged weights of one training run (see [`Trainer::averaged`]).
pub struct Averaged {
    w: Vec<[f32; NT]>,
    start: [f32; NT],
    trans: [[f32; NT]; NT],
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::entity::tagger::features::{zh_features, zh_units, ZhUnits};

    /// The perceptron learns a toy pattern: 张X is a person, X省 is a place.
    #[test]
    fn learns_a_toy_pattern() {
        let sentences = [
            ("张三来了", "1200"),
            ("李四去河北省", "120556"),
            ("张五到山西省", "120556"),
            ("他来了", "000"),
        ];
        let mut data = Vec::new();
        let mut units = ZhUnits::default();
        for (text, tags) in sentences {
            zh_units(text, 0, text.len(), &[], &mut units);
            let mut feats = FeatureBuf::default();
            zh_features(&units, &mut feats);
            let gold = tags.bytes().map(|b| b - b'0').collect();
            data.push(RawSeq {
                feats,
                gold,
                domain: 0,
            });
        }
        let opts = TrainOptions {
            epochs: 10,
            min_count: 1,
            domains: true,
            seed: 7,
            margin: 0.0,
            dropout: Dropout::default(),
        };
        let mut tr = Trainer::new(&data, opts);
        assert!(tr.num_features() > 0);
        let mut last = usize::MAX;
        for e in 0..10 {
            last = tr.epoch(e);
        }
        assert_eq!(last, 0, "training data should be separable");
        let model = tr.to_model(Lang::Zh, 0.0, 0.0).model();
        let text = "张五去河北省";
        zh_units(text, 0, text.len(), &[], &mut units);
        let mut feats = FeatureBuf::default();
        zh_features(&units, &mut feats);
        let mut em = Vec::new();
        model.emissions(&feats, &mut em);
        let mut path = Vec::new();
        model.viterbi(&em, &mut path);
        // A person, then O, then a place (the toy data is too small to insist on one span).
        assert_eq!(&path[..4], &[1, 2, 0, 5]);
        assert!(path[4..].iter().all(|&t| t == 5 || t == 6), "{path:?}");
    }

    /// Dropout hides, inside a picked gold entity, the word key and (with `chars`) the
    /// n-grams wholly inside the entity, nothing outside it; off, nothing.
    #[test]
    fn dropout_hides_the_entity_own_features() {
        let text = "张三来了";
        let mut units = ZhUnits::default();
        zh_units(text, 0, text.len(), &[], &mut units);
        let mut feats = FeatureBuf::default();
        zh_features(&units, &mut feats);
        let data = [RawSeq {
            feats,
            gold: vec![1, 2, 0, 0],
            domain: 0,
        }];
        let hidden_per_unit = |dropout: Dropout| -> Vec<usize> {
            let opts = TrainOptions {
                epochs: 1,
                min_count: 1,
                domains: false,
                seed: 7,
                margin: 0.0,
                dropout,
            };
            let tr = Trainer::new(&data, opts);
            let mut hidden = Vec::new();
            tr.hide(0, 0, &mut hidden);
            let b = &tr.seqs[0].bounds;
            (0..4)
                .map(|u| {
                    (b[u] as usize..b[u + 1] as usize)
                        .filter(|&k| hidden.get(k) == Some(&true))
                        .count()
                })
                .collect()
        };
        let word = Dropout {
            prob: 1.0,
            word: true,
            ..Dropout::default()
        };
        assert_eq!(hidden_per_unit(word), vec![1, 1, 0, 0]);
        // 张: its word, 张, 三, 张三; 三: its word, 张, 三, 张三.
        let chars = Dropout { chars: true, ..word };
        assert_eq!(hidden_per_unit(chars), vec![4, 4, 0, 0]);
        assert_eq!(hidden_per_unit(Dropout { prob: 0.0, ..chars }), vec![0; 4]);
    }
}
