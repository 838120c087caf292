//! Trains the NER tagger models (`data/models/ner-zh.nfm`, `data/models/ner-en.nfm`).
//!
//! ```text
//! cargo run --release --bin train-ner -- --out data/models/
//! cargo run --release --bin train-ner -- --tune     # held-out scores per epoch, writes nothing
//! ```
//!
//! Data: only train/dev splits of `../shared/data/ner` (never a test split). Chinese:
//! MSRA train (minus People's Daily sentences), People's Daily dev, CLUENER train+dev, Weibo train+dev; English: CoNLL-2003 train+dev.
//! `--tune` holds out every fifth People's Daily dev sentence and every tenth MSRA train sentence (Chinese) and the CoNLL dev
//! split (English) and prints entity F1 after each epoch. Training is deterministic.

// No unwrap()/expect() outside tests (issue 13): input-dependent paths return errors.
// `clippy.toml` allows them in tests; CI runs clippy (`.ci/run`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use newsfacts::recognize::entity::tagger::corpus::{
    normalized, read_jsonl, replace_mentions, sequences, GoldSentence, MentionSwap,
};
use newsfacts::recognize::entity::tagger::model::{is_begin, tag_type, Lang, Model, ModelData};
use newsfacts::recognize::entity::tagger::perceptron::{Dropout, RawSeq, TrainOptions, Trainer};
use newsfacts::recognize::entity::tagger::{zh_template_at, Tagger};
use newsfacts::segment::segment;
use newsfacts::EntityType;

#[derive(Parser, Debug)]
#[command(about = "Train the newsfacts NER tagger models")]
struct Args {
    /// Directory to write ner-zh.nfm and ner-en.nfm into.
    #[arg(long, default_value = "data/models/")]
    out: PathBuf,
    /// The shared NER data directory.
    #[arg(long, default_value = "../shared/data/ner")]
    data: PathBuf,
    /// Report held-out F1 per epoch instead of writing models.
    #[arg(long)]
    tune: bool,
    /// Which models: zh, en or both.
    #[arg(long, default_value = "both")]
    lang: String,
    /// Chinese epochs. On the held-out fifth of People's Daily dev plus tenth of MSRA train
    /// (`--tune`) tagger F1 is 0.9016 at 12 epochs, 0.9057 at 20, 0.9065 at 30 (a plateau);
    /// the whole pipeline on the same sentences 0.9013 -> 0.9055 (MSRA) and 0.906 -> 0.908
    /// (People's Daily) from 12 to 20. The 20-epoch model once lost `Maya Brandt` after a title in Chinese
    /// text (tests/entities_seed.rs): the tagger's `Maya` now gives way to the Latin rule's
    /// whole name (`drop_latin_pieces_of_ruled_names`).
    #[arg(long, default_value_t = 20)]
    epochs_zh: usize,
    #[arg(long, default_value_t = 12)]
    epochs_en: usize,
    /// Chinese features seen fewer times are dropped (a smaller, faster table). 6 would halve
    /// the table (65,536 buckets) for 0.001-0.004 F1, but it loses `Maya Brandt` after a
    /// title in Chinese text (tests/entities_seed.rs), so 3 it is.
    #[arg(long, default_value_t = 3)]
    min_count_zh: u32,
    /// English features seen fewer times are dropped.
    #[arg(long, default_value_t = 2)]
    min_count_en: u32,
    /// How many times People's Daily sentences are repeated per epoch (1: with MSRA train in,
    /// the People's Daily convention no longer needs the extra weight).
    #[arg(long, default_value_t = 1)]
    pd_weight: usize,
    /// Disable per-corpus feature copies (domain adaptation).
    #[arg(long)]
    no_domains: bool,
    /// Leave out the MSRA train set.
    #[arg(long)]
    no_msra: bool,
    /// Leave out the CLUENER corpus.
    #[arg(long)]
    no_cluener: bool,
    /// Leave out the Weibo corpus.
    #[arg(long)]
    no_weibo: bool,
    /// Weights with every magnitude below this are dropped from the model file.
    #[arg(long, default_value_t = 0.05)]
    prune: f32,
    /// Taken off the O weight of the bias feature (Chinese, English): trades precision for recall.
    /// Chinese 6 at 20 epochs: held-out tagger F1 0.9057 -> 0.9061, whole pipeline on the
    /// held-out MSRA sentences 0.9055 -> 0.9056 and People's Daily 0.908 -> 0.915, but facts
    /// dev F1 0.774 -> 0.763 (precision 0.903 -> 0.884: more spurious names), so 0 it is.
    #[arg(long, default_value_t = 0.0)]
    o_penalty_zh: f32,
    #[arg(long, default_value_t = 0.0)]
    o_penalty_en: f32,
    /// With --tune: write the held-out sentences the final model gets wrong to this file.
    #[arg(long)]
    dump: Option<PathBuf>,
    /// With --tune: also write the held-out-trained models into this directory, to score the
    /// whole pipeline on the held-out sentences with a model that never saw them.
    #[arg(long)]
    save_tuned: Option<PathBuf>,
    #[arg(long, default_value_t = 20251125)]
    seed: u64,
    /// Chinese training runs, each with its own shuffle seed (`seed`, `seed + 2^32`, ...),
    /// whose averaged weights are averaged: the same features, so the tagger costs the same.
    /// Held-out tagger F1 (`--tune`) with the word clusters: 0.9088 with one run, 0.9085 /
    /// 0.9102 / 0.9112 for the mean of 2 / 3 / 4; without them 0.9057 -> 0.9077 at 4.
    #[arg(long, default_value_t = 4)]
    runs_zh: usize,
    /// Chinese training: margin of the loss-augmented decoding (0: plain perceptron).
    /// Margin 2 at 20 epochs: held-out tagger F1 0.9043 against 0.9057, so 0.
    #[arg(long, default_value_t = 0.0)]
    margin_zh: f32,
    /// With --tune: write the Chinese held-out sentences (in their original form, as gold
    /// JSON Lines) to `DIR/h/msra.jsonl` and `DIR/h/pd.jsonl` and stop before training, so
    /// the whole pipeline built with a `--save-tuned` model can be scored on exactly the
    /// sentences that model never saw: `ner_eval.py --data DIR --set h/msra`.
    #[arg(long)]
    write_held: Option<PathBuf>,
    /// With --tune and --save-tuned: also write the mean of the first k Chinese runs as
    /// `ner-zh.runs{k}.nfm` for each k listed (e.g. `4,6`), so one training of the most
    /// runs gives the tuned models of the fewer runs too (the runs' seeds do not depend on
    /// how many follow).
    #[arg(long, value_delimiter = ',')]
    save_runs: Vec<usize>,
    /// Chinese feature dropout inside gold entities: the probability that a gold entity's
    /// own features (`--drop-what`) are hidden in an epoch (0: off). Held-out (tuned model,
    /// tagger; `lab/unseen_eval.py`): the word at 0.5 MSRA 0.9105 -> 0.9112, unseen names
    /// 0.7446 -> 0.7434; word and inner n-grams at 0.3 0.9057, unseen 0.7233. So 0.
    #[arg(long, default_value_t = 0.0)]
    drop_zh: f32,
    /// What dropout hides: any of `word` (the jieba word), `neighbours` (the words before
    /// and after), `chars` (character n-grams wholly inside the entity).
    #[arg(long, value_delimiter = ',', default_value = "word")]
    drop_what: Vec<String>,
    /// Mention replacement: the share of the MSRA training sentences holding a name of a
    /// `--swap-types` type that get one extra copy with other names (0: off). Organisations
    /// and places at 0.5 (the default): held-out whole pipeline (tuned model) MSRA 0.9165 ->
    /// 0.9190, People's Daily 0.9187 -> 0.9224, unseen names flat (0.7520 -> 0.7523); facts
    /// dev F1 0.774 -> 0.751 at first (`上市委`, `中国企业家` as companies, `宝尊电商` lost),
    /// 0.777 with three general pipeline rules (data/models/README.md). Synthetic persons
    /// (`PER`) cost person precision.
    #[arg(long, default_value_t = 0.5)]
    swap_rate: f64,
    /// With --tune, Chinese: after the model with every template, train and score again
    /// (same sequences, same seeds and settings) without the templates of each `;`-separated
    /// list, e.g. `t-2,t-1,t0;pos3,cue3` (names: `zh_template_at`: bias, u-2..u+2, b-2..b+1,
    /// t-2..t0, kinds, pos, pos3, word, prev, next, cue, cue3, extra), to judge a template
    /// by what the held-out F1 loses without it. The sentences are segmented once.
    /// 2026-12-06 (committed settings, mean of 4 runs, tagger F1): all templates 0.9156;
    /// without the trigrams (`t-2,t-1,t0`) 0.9142 (seed 7: 0.9125 against 0.9131, seed 3:
    /// 0.9135 against 0.9126; mean of the three -0.0006, within the seeds' noise), which would save 12 M of the 479 M instructions of a
    /// steady round of articles (2.5 %); without the outer n-gram slots, `pos3` and `cue3`
    /// 0.9118 (data/models/README.md).
    #[arg(long)]
    ablate_zh: Option<String>,
    /// Types whose names mention replacement replaces: any of PER, ORG, LOC.
    #[arg(long, value_delimiter = ',', default_value = "ORG,LOC")]
    swap_types: Vec<String>,
    /// Mention replacement: synthetic persons take a whole training given name with
    /// another surname, not given-name characters drawn one by one.
    #[arg(long)]
    swap_whole_given: bool,
}

fn load(data: &Path, rel: &str) -> Vec<GoldSentence> {
    assert!(!rel.contains("test"), "never train on a test split: {rel}");
    let p = data.join(rel);
    match read_jsonl(&p) {
        Ok(v) => v,
        Err(e) => {
            eprintln!(
                "cannot read {}: {e}\n(the NER data lives in ../shared/data/ner)",
                p.display()
            );
            std::process::exit(2);
        }
    }
}

/// Writes gold sentences as JSON Lines in the layout `ner_eval.py` reads (id, text,
/// code-point entity spans with PER/ORG/LOC types).
fn write_gold(gold: &[GoldSentence], path: &Path) -> std::io::Result<()> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for g in gold {
        let entities: Vec<serde_json::Value> = g
            .spans
            .iter()
            .map(|&(s, e, k)| {
                let t = match k {
                    EntityType::Person => "PER",
                    EntityType::Org => "ORG",
                    EntityType::Loc => "LOC",
                };
                serde_json::json!({"start": s, "end": e, "type": t})
            })
            .collect();
        let line = serde_json::json!({"id": g.id, "text": g.text, "entities": entities});
        writeln!(f, "{line}")?;
    }
    f.flush()?;
    eprintln!("wrote {} sentences to {}", gold.len(), path.display());
    Ok(())
}

fn to_seqs(gold: &[GoldSentence], lang: Lang, domain: u8, repeat: usize) -> Vec<RawSeq> {
    let mut out = Vec::new();
    for g in gold {
        sequences(g, lang, domain, &mut out);
    }
    let once = out.len();
    for _ in 1..repeat {
        out.extend_from_within(..once);
    }
    out
}

/// Entity spans (unit ranges with type) of a BIO path.
fn spans(path: &[u8]) -> Vec<(usize, usize, EntityType)> {
    let mut v = Vec::new();
    let mut i = 0;
    while i < path.len() {
        if let Some(k) = tag_type(path[i]) {
            let mut j = i + 1;
            while j < path.len() && !is_begin(path[j]) && tag_type(path[j]) == Some(k) {
                j += 1;
            }
            v.push((i, j, k));
            i = j;
        } else {
            i += 1;
        }
    }
    v
}

/// Entity-level P/R/F1 of `model` on held-out sequences.
fn evaluate(model: &Model, held: &[RawSeq]) -> (f64, f64, f64, String) {
    let (mut tp, mut np, mut ng) = (0usize, 0usize, 0usize);
    let mut by_type = [[0usize; 3]; 3];
    let ti = |k: EntityType| match k {
        EntityType::Person => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    };
    let mut em = Vec::new();
    let mut path = Vec::new();
    for s in held {
        model.emissions(&s.feats, &mut em);
        model.viterbi(&em, &mut path);
        let p = spans(&path);
        let g = spans(&s.gold);
        tp += p.iter().filter(|x| g.contains(x)).count();
        for x in &p {
            by_type[ti(x.2)][1] += 1;
            by_type[ti(x.2)][0] += usize::from(g.contains(x));
        }
        for x in &g {
            by_type[ti(x.2)][2] += 1;
        }
        np += p.len();
        ng += g.len();
    }
    let pr = if np > 0 { tp as f64 / np as f64 } else { 0.0 };
    let rc = if ng > 0 { tp as f64 / ng as f64 } else { 0.0 };
    let f = if pr + rc > 0.0 {
        2.0 * pr * rc / (pr + rc)
    } else {
        0.0
    };
    let per = ["PER", "ORG", "LOC"]
        .iter()
        .zip(by_type)
        .map(|(n, [t, p, g])| {
            let (pr, rc) = (t as f64 / p.max(1) as f64, t as f64 / g.max(1) as f64);
            format!(
                "{n} {:.3}",
                if pr + rc > 0.0 {
                    2.0 * pr * rc / (pr + rc)
                } else {
                    0.0
                }
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    (pr, rc, f, per)
}

/// Writes the held-out sentences the model gets wrong (normalised text, gold, predicted).
fn dump_errors(model: &Model, held: &[GoldSentence], path: &Path) {
    use std::fmt::Write as _;
    let tagger = match model.lang {
        Lang::Zh => Tagger::from_models(model.clone(), Model::empty(Lang::En)),
        Lang::En => Tagger::from_models(Model::empty(Lang::Zh), model.clone()),
    };
    let mut out = String::new();
    for g in held {
        let (text, gold) = normalized(g);
        let seg = segment(&text, model.lang == Lang::Zh);
        let mut pred = Vec::new();
        tagger.tag(&text, &seg, &mut pred);
        let p: Vec<(usize, usize, EntityType)> = pred
            .iter()
            .map(|m| (m.nspan.0, m.nspan.1, m.kind))
            .collect();
        if p != gold {
            let show = |v: &[(usize, usize, EntityType)]| {
                v.iter()
                    .map(|&(a, b, k)| format!("{}/{}", &text[a..b], k.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let _ = writeln!(
                out,
                "{}\n  gold: {}\n  pred: {}",
                text,
                show(&gold),
                show(&p)
            );
        }
    }
    let _ = std::fs::write(path, out);
}

fn train(lang: Lang, train: Vec<RawSeq>, held: &[RawSeq], epochs: usize, a: &Args) -> ModelData {
    let t0 = Instant::now();
    let opts = TrainOptions {
        epochs,
        min_count: if lang == Lang::Zh {
            a.min_count_zh
        } else {
            a.min_count_en
        },
        domains: !a.no_domains && lang == Lang::Zh,
        seed: a.seed,
        margin: if lang == Lang::Zh { a.margin_zh } else { 0.0 },
        dropout: if lang == Lang::Zh {
            dropout(a)
        } else {
            Dropout::default()
        },
    };
    let mut tr = Trainer::new(&train, opts);
    let penalty = if lang == Lang::Zh {
        a.o_penalty_zh
    } else {
        a.o_penalty_en
    };
    drop(train);
    eprintln!(
        "[{}] {} features interned in {:.1}s",
        lang.as_str(),
        tr.num_features(),
        t0.elapsed().as_secs_f64()
    );
    let runs = if lang == Lang::Zh {
        a.runs_zh.max(1)
    } else {
        1
    };
    let mut done = Vec::with_capacity(runs);
    for run in 0..runs {
        if run > 0 {
            // The shuffle mixes the seed with `| 1`: seeds one apart can give the same order.
            tr.restart(a.seed.wrapping_add((run as u64) << 32));
        }
        for e in 0..epochs {
            let wrong = tr.epoch(e);
            if held.is_empty() {
                eprintln!(
                    "[{}] run {} epoch {}: {} sentences wrong ({:.1}s)",
                    lang.as_str(),
                    run + 1,
                    e + 1,
                    wrong,
                    t0.elapsed().as_secs_f64()
                );
            } else {
                let m = tr.to_model(lang, a.prune, penalty).model();
                let (p, r, f, per) = evaluate(&m, held);
                eprintln!(
                    "[{}] run {} epoch {}: wrong {wrong}, held-out P {p:.4} R {r:.4} F1 {f:.4} [{per}] ({:.1}s)",
                    lang.as_str(),
                    run + 1,
                    e + 1,
                    t0.elapsed().as_secs_f64()
                );
            }
        }
        done.push(tr.averaged());
        if let (Some(d), true) = (&a.save_tuned, lang == Lang::Zh && a.tune) {
            if a.save_runs.contains(&(run + 1)) {
                let m = tr.to_model_of(&done, lang, a.prune, penalty);
                write(&m, &d.join(format!("ner-zh.runs{}.nfm", run + 1)));
            }
        }
        if !held.is_empty() && run > 0 {
            let m = tr.to_model_of(&done, lang, a.prune, penalty).model();
            let (p, r, f, per) = evaluate(&m, held);
            eprintln!(
                "[{}] mean of {} runs: held-out P {p:.4} R {r:.4} F1 {f:.4} [{per}]",
                lang.as_str(),
                run + 1
            );
        }
    }
    if !held.is_empty() {
        for p in [0.0f32, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0] {
            let m = tr.to_model_of(&done, lang, a.prune, p).model();
            let (pr, rc, f, per) = evaluate(&m, held);
            eprintln!(
                "[{}] O penalty {p}: held-out P {pr:.4} R {rc:.4} F1 {f:.4} [{per}]",
                lang.as_str()
            );
        }
    }
    tr.to_model_of(&done, lang, a.prune, penalty)
}

/// The template lists of `--ablate-zh` (`;`-separated lists of `,`-separated names).
fn ablation_lists(spec: &str) -> Vec<Vec<String>> {
    let known: Vec<&str> = (0..22).map(zh_template_at).collect();
    spec.split(';')
        .map(|l| {
            l.split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect::<Vec<String>>()
        })
        .filter(|l| !l.is_empty())
        .inspect(|l| {
            for n in l {
                if !known.contains(&n.as_str()) {
                    eprintln!("--ablate-zh: no template {n} (names: {})", known.join(" "));
                    std::process::exit(2);
                }
            }
        })
        .collect()
}

/// Copies of the Chinese sequences `seqs` without the features of the templates `drop`.
fn without(seqs: &[RawSeq], drop: &[String]) -> Vec<RawSeq> {
    seqs.iter()
        .map(|s| RawSeq {
            feats: s
                .feats
                .retain_positions(|j| !drop.iter().any(|d| d == zh_template_at(j))),
            gold: s.gold.clone(),
            domain: s.domain,
        })
        .collect()
}

/// The Chinese dropout settings of the command line.
fn dropout(a: &Args) -> Dropout {
    let has = |w: &str| a.drop_what.iter().any(|x| x == w);
    Dropout {
        prob: a.drop_zh,
        word: has("word"),
        neighbours: has("neighbours"),
        chars: has("chars"),
    }
}

/// The mention-replacement settings of the command line.
fn mention_swap(a: &Args) -> MentionSwap {
    let has = |w: &str| a.swap_types.iter().any(|x| x.eq_ignore_ascii_case(w));
    MentionSwap {
        rate: a.swap_rate,
        types: [has("PER"), has("ORG"), has("LOC")],
        seed: a.seed ^ 0x5A_u64,
        whole_given: a.swap_whole_given,
    }
}

fn write(model: &ModelData, path: &Path) {
    let bytes = model.to_bytes();
    if let Err(e) = std::fs::write(path, &bytes) {
        eprintln!("cannot write {}: {e}", path.display());
        std::process::exit(2);
    }
    eprintln!(
        "wrote {} ({} features trained, {} kept after pruning, {} bytes)",
        path.display(),
        model.entries.len(),
        model.model().len(),
        bytes.len()
    );
}

fn main() {
    let a = Args::parse();
    if a.lang == "zh" || a.lang == "both" {
        // Domain 0 is the target convention (People's Daily).
        let pd = load(&a.data, "peoples_daily/dev.jsonl");
        let (pd_train, pd_held): (Vec<GoldSentence>, Vec<GoldSentence>) = if a.tune {
            let (h, t): (Vec<_>, Vec<_>) =
                pd.into_iter().enumerate().partition(|(i, _)| i % 5 == 0);
            (
                t.into_iter().map(|x| x.1).collect(),
                h.into_iter().map(|x| x.1).collect(),
            )
        } else {
            (pd, Vec::new())
        };
        let mut train_seqs = to_seqs(&pd_train, Lang::Zh, 0, a.pd_weight);
        if let (Some(d), true) = (&a.write_held, a.tune) {
            if let Err(e) = write_gold(&pd_held, &d.join("h/pd.jsonl")) {
                eprintln!("cannot write the held-out sentences: {e}");
                std::process::exit(2);
            }
        }
        let mut held_gold = pd_held;
        if !a.no_msra {
            // MSRA train minus every sentence shared with People's Daily dev/test: the same
            // annotation convention as People's Daily (a re-split of it), so the same domain.
            // With --tune every tenth sentence is held out too (about 4,200): 500 People's
            // Daily sentences alone cannot tell changes under 0.01 apart.
            let msra = load(&a.data, "msra/train.jsonl");
            let msra = if a.tune {
                let (h, t): (Vec<_>, Vec<_>) =
                    msra.into_iter().enumerate().partition(|(i, _)| i % 10 == 0);
                let h: Vec<GoldSentence> = h.into_iter().map(|x| x.1).collect();
                if let Some(d) = &a.write_held {
                    if let Err(e) = write_gold(&h, &d.join("h/msra.jsonl")) {
                        eprintln!("cannot write the held-out sentences: {e}");
                        std::process::exit(2);
                    }
                }
                held_gold.extend(h);
                t.into_iter().map(|x| x.1).collect()
            } else {
                msra
            };
            train_seqs.extend(to_seqs(&msra, Lang::Zh, 0, 1));
            let swap = mention_swap(&a);
            if swap.rate > 0.0 {
                let names = newsfacts::recognize::entity::tagger::corpus::lexicon_surnames();
                let copies = replace_mentions(&msra, &names, swap);
                eprintln!("[zh] {} mention-replaced copies", copies.len());
                train_seqs.extend(to_seqs(&copies, Lang::Zh, 0, 1));
            }
        }
        if a.tune && a.write_held.is_some() {
            return;
        }
        if !a.no_cluener {
            let mut cl = load(&a.data, "cluener/train.jsonl");
            cl.extend(load(&a.data, "cluener/dev.jsonl"));
            train_seqs.extend(to_seqs(&cl, Lang::Zh, 1, 1));
        }
        if !a.no_weibo {
            let mut wb = load(&a.data, "weibo/train.jsonl");
            wb.extend(load(&a.data, "weibo/dev.jsonl"));
            train_seqs.extend(to_seqs(&wb, Lang::Zh, 2, 1));
        }
        let held = to_seqs(&held_gold, Lang::Zh, 0, 1);
        eprintln!(
            "[zh] {} training sequences, {} held out",
            train_seqs.len(),
            held.len()
        );
        let ablations = match (&a.ablate_zh, a.tune) {
            (Some(spec), true) => ablation_lists(spec),
            _ => Vec::new(),
        };
        let variants: Vec<(Vec<RawSeq>, Vec<RawSeq>)> = ablations
            .iter()
            .map(|drop| (without(&train_seqs, drop), without(&held, drop)))
            .collect();
        let m = train(Lang::Zh, train_seqs, &held, a.epochs_zh, &a);
        for (drop, (tr, h)) in ablations.iter().zip(variants) {
            eprintln!("[zh] without {}:", drop.join(","));
            let v = train(Lang::Zh, tr, &h, a.epochs_zh, &a);
            let (p, r, f, per) = evaluate(&v.model(), &h);
            eprintln!(
                "[zh] without {}: held-out P {p:.4} R {r:.4} F1 {f:.4} [{per}]",
                drop.join(",")
            );
        }
        if let Some(d) = &a.dump {
            dump_errors(&m.model(), &held_gold, &d.with_extension("zh.txt"));
        }
        if !a.tune {
            write(&m, &a.out.join("ner-zh.nfm"));
        } else if let Some(d) = &a.save_tuned {
            write(&m, &d.join("ner-zh.nfm"));
        }
    }
    if a.lang == "en" || a.lang == "both" {
        let tr = load(&a.data, "conll2003/train.jsonl");
        let dev = load(&a.data, "conll2003/dev.jsonl");
        let (train_seqs, held) = if a.tune {
            (to_seqs(&tr, Lang::En, 0, 1), to_seqs(&dev, Lang::En, 0, 1))
        } else {
            let mut all = to_seqs(&tr, Lang::En, 0, 1);
            all.extend(to_seqs(&dev, Lang::En, 0, 1));
            (all, Vec::new())
        };
        eprintln!(
            "[en] {} training sequences, {} held out",
            train_seqs.len(),
            held.len()
        );
        let m = train(Lang::En, train_seqs, &held, a.epochs_en, &a);
        if let (Some(d), true) = (&a.dump, a.tune) {
            dump_errors(&m.model(), &dev, &d.with_extension("en.txt"));
        }
        if !a.tune {
            write(&m, &a.out.join("ner-en.nfm"));
        } else if let Some(d) = &a.save_tuned {
            write(&m, &d.join("ner-en.nfm"));
        }
    }
}
