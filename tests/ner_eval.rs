//! Entity-level NER evaluation on the held-out TEST splits (People's Daily, MSRA, CoNLL-2003),
//! scored like `shared/tools/ner_eval.py`: a predicted mention counts when its original
//! code-point span and its type equal a gold entity's (conlleval rule); PERSON -> PER; CoNLL
//! MISC is not scored. Two rows per set:
//!
//! - `pipeline`: the full `Pipeline` (`Config::default()`), every mention of every entity;
//! - `tagger`: the statistical tagger alone (normalise, segment, tag, map back).
//!
//! Prints P/R/F1 per type and overall, and fails when an overall F1 is below its floor in
//! `tests/ner_floors.toml`. The test splits are never used for training or tuning.
//!
//! Run: `cargo test --release --test ner_eval -- --nocapture`

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use newsfacts::normalize::normalize;
use newsfacts::recognize::entity::tagger::corpus::{read_jsonl, GoldSentence};
use newsfacts::recognize::entity::tagger::Tagger;
use newsfacts::segment::segment;
use newsfacts::{Config, EntityType, Pipeline, Source};
use rayon::prelude::*;

const SETS: &[&str] = &["peoples_daily/test", "msra/test", "conll2003/test"];

fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ner");
    assert!(
        dir.join("peoples_daily/test.jsonl").exists(),
        "NER evaluation data missing: expected {} (the shared data directory ../shared/data/ner)",
        dir.display()
    );
    dir
}

type Span = (usize, usize, EntityType);

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: [usize; 3],
    fp: [usize; 3],
    fn_: [usize; 3],
}

fn ti(k: EntityType) -> usize {
    match k {
        EntityType::Person => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    }
}

impl Counts {
    fn add(&mut self, pred: &HashSet<Span>, gold: &HashSet<Span>) {
        for s in pred {
            if gold.contains(s) {
                self.tp[ti(s.2)] += 1;
            } else {
                self.fp[ti(s.2)] += 1;
            }
        }
        for s in gold.difference(pred) {
            self.fn_[ti(s.2)] += 1;
        }
    }

    fn merge(mut self, o: Counts) -> Counts {
        for i in 0..3 {
            self.tp[i] += o.tp[i];
            self.fp[i] += o.fp[i];
            self.fn_[i] += o.fn_[i];
        }
        self
    }

    fn prf(tp: usize, fp: usize, fn_: usize) -> (f64, f64, f64) {
        let p = if tp + fp > 0 {
            tp as f64 / (tp + fp) as f64
        } else {
            0.0
        };
        let r = if tp + fn_ > 0 {
            tp as f64 / (tp + fn_) as f64
        } else {
            0.0
        };
        (
            p,
            r,
            if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
        )
    }

    fn overall(&self) -> (f64, f64, f64) {
        Counts::prf(
            self.tp.iter().sum(),
            self.fp.iter().sum(),
            self.fn_.iter().sum(),
        )
    }

    fn print(&self, set: &str, what: &str) {
        println!("{set} [{what}]");
        for (i, name) in ["PER", "ORG", "LOC"].iter().enumerate() {
            let (p, r, f) = Counts::prf(self.tp[i], self.fp[i], self.fn_[i]);
            println!(
                "  {name:4} P {p:.3} R {r:.3} F1 {f:.3}  (tp {}, fp {}, fn {})",
                self.tp[i], self.fp[i], self.fn_[i]
            );
        }
        let (p, r, f) = self.overall();
        println!("  NER {set} [{what}]: F1 {f:.3} (P {p:.3}, R {r:.3})");
    }
}

fn gold_set(g: &GoldSentence) -> HashSet<Span> {
    g.spans.iter().copied().collect()
}

fn pipeline_spans(p: &Pipeline, g: &GoldSentence) -> HashSet<Span> {
    let doc = p.process(&Source::from_text(g.id.clone(), g.text.clone()));
    doc.entities
        .iter()
        .flat_map(|e| e.mentions.iter().map(move |m| (m.start, m.end, e.kind)))
        .collect()
}

fn tagger_spans(g: &GoldSentence) -> HashSet<Span> {
    let n = normalize(&g.text);
    let seg = segment(&n.text, true);
    let mut out = Vec::new();
    Tagger::shared().tag(&n.text, &seg, &mut out);
    out.iter()
        .map(|m| {
            let (s, e) = n.map.to_original(m.nspan.0, m.nspan.1);
            (s, e, m.kind)
        })
        .collect()
}

/// `section.key = value` floors from the checked-in TOML file (a flat subset of TOML).
fn floors() -> HashMap<String, f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ner_floors.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut section = String::new();
    let mut out = HashMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.trim().to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            let v: f64 = v
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("bad floor value in {line:?}"));
            out.insert(format!("{section}.{}", k.trim().trim_matches('"')), v);
        }
    }
    out
}

#[test]
fn ner_test_sets_meet_floors() {
    let dir = data_dir();
    let floors = floors();
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let mut failures = Vec::new();
    for set in SETS {
        let gold = read_jsonl(&dir.join(format!("{set}.jsonl"))).unwrap_or_else(|e| panic!("{e}"));
        let (pipe, tag) = gold
            .par_iter()
            .map(|g| {
                let gs = gold_set(g);
                let mut a = Counts::default();
                let mut b = Counts::default();
                a.add(&pipeline_spans(&pipeline, g), &gs);
                b.add(&tagger_spans(g), &gs);
                (a, b)
            })
            .reduce(
                || (Counts::default(), Counts::default()),
                |x, y| (x.0.merge(y.0), x.1.merge(y.1)),
            );
        let name = set.split('/').next().unwrap_or(set);
        for (what, c) in [("pipeline", pipe), ("tagger", tag)] {
            c.print(set, what);
            let key = format!("{what}.{name}");
            let floor = *floors
                .get(&key)
                .unwrap_or_else(|| panic!("no floor {key} in tests/ner_floors.toml"));
            let f1 = c.overall().2;
            if f1 < floor {
                failures.push(format!("{key}: F1 {f1:.3} < floor {floor:.2}"));
            }
        }
    }
    assert!(failures.is_empty(), "NER below floors: {failures:?}");
}
