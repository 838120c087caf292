//! Builds the word-cluster table of the Chinese NER tagger (`data/models/ner-clusters.tsv`)
//! from unlabeled text.
//!
//! ```text
//! cargo run --release -p newsfacts-lab --bin ner-clusters -- --out data/models/ner-clusters.tsv
//! cargo run --release -p newsfacts-lab --bin ner-clusters -- --exclude-held-out --out /tmp/c.tsv
//! ```
//!
//! Why: the tagger finds far fewer of the names it never saw in training (held-out MSRA
//! recall 80 % PER, 71 % ORG, 59 % LOC on unseen names against 89-95 % on seen ones). Words
//! that occur in the same contexts (the words right before and after them) fall into one
//! cluster, so a word rare in the labeled data shares weights with frequent words of the
//! same distribution — the classic distributional features of linear NER.
//!
//! Text: only non-test text — the sentences of MSRA train, People's Daily dev, CLUENER
//! train+dev and Weibo train+dev, and lines 1-21,019 of `corpus/zh_news.txt` (the lines
//! after 21,019 hold the text of the People's Daily and MSRA *test* sets and are never
//! read). `--exclude-held-out` also leaves out the sentences `train-ner --tune` holds out
//! (every tenth MSRA train sentence, every fifth People's Daily dev sentence), so that the
//! held-out figures of a model with cluster features are honest.
//!
//! Method: every sentence is normalised and jieba-segmented exactly as at run time; a word
//! (ASCII case-folded) seen at least `--min-count` times is described by the counts of its
//! left and right neighbour words among the `--contexts` most frequent words (sentence
//! edges count as words), as the vector of square roots of the relative counts (Hellinger
//! distance); spherical k-means (cosine) groups the vectors, once with `--fine` clusters and
//! once with `--coarse`, from k-means++ seeds drawn with a fixed seed. Deterministic: the
//! same text gives the same file.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Parser;
use newsfacts::normalize::normalize;
use newsfacts::recognize::entity::tagger::corpus::read_jsonl;
use newsfacts::segment::segment_whole_sentences;

#[derive(Parser, Debug)]
#[command(about = "Build the word clusters of the Chinese NER tagger")]
struct Args {
    /// Where to write the table.
    #[arg(long, default_value = "data/models/ner-clusters.tsv")]
    out: PathBuf,
    /// The shared data directory (ner/ and corpus/ under it).
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
    /// Leave out the sentences `train-ner --tune` holds out.
    #[arg(long)]
    exclude_held_out: bool,
    /// Words seen fewer times get no cluster (5 instead of 3: held-out tagger F1 0.9053
    /// against 0.9083, one training run each).
    #[arg(long, default_value_t = 3)]
    min_count: u32,
    /// Number of context words (the most frequent ones).
    #[arg(long, default_value_t = 3000)]
    contexts: usize,
    #[arg(long, default_value_t = 512)]
    fine: usize,
    #[arg(long, default_value_t = 64)]
    coarse: usize,
    #[arg(long, default_value_t = 20)]
    iterations: usize,
    #[arg(long, default_value_t = 20261205)]
    seed: u64,
}

/// The last line of `zh_news.txt` that may be read: later lines hold test-set text.
const ZH_NEWS_LAST_LINE: usize = 21_019;

/// Reads the unlabeled text: one string per sentence or line.
fn texts(a: &Args) -> Result<Vec<String>, String> {
    let ner = a.data.join("ner");
    let mut out = Vec::new();
    // (file, held-out stride of `train-ner --tune`, or 0)
    let sets: [(&str, usize); 6] = [
        ("msra/train.jsonl", 10),
        ("peoples_daily/dev.jsonl", 5),
        ("cluener/train.jsonl", 0),
        ("cluener/dev.jsonl", 0),
        ("weibo/train.jsonl", 0),
        ("weibo/dev.jsonl", 0),
    ];
    for (rel, stride) in sets {
        if rel.contains("test") {
            return Err(format!("never read a test split: {rel}"));
        }
        for (i, g) in read_jsonl(&ner.join(rel))?.into_iter().enumerate() {
            if a.exclude_held_out && stride > 0 && i % stride == 0 {
                continue;
            }
            out.push(g.text);
        }
    }
    let news = a.data.join("corpus/zh_news.txt");
    let raw = std::fs::read_to_string(&news).map_err(|e| format!("{}: {e}", news.display()))?;
    out.extend(
        raw.lines()
            .take(ZH_NEWS_LAST_LINE)
            .filter(|l| !l.trim().is_empty())
            .map(String::from),
    );
    Ok(out)
}

/// The words of every runtime sentence of `texts` (case-folded; whitespace-only tokens
/// left out), segmented on all cores.
fn sentences(texts: &[String]) -> Vec<Vec<String>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = texts.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    let mut out = Vec::new();
                    for t in part {
                        let n = normalize(t);
                        let seg = segment_whole_sentences(&n.text, true);
                        for sent in &seg.sentences {
                            let words: Vec<String> = seg
                                .tokens
                                .iter()
                                .filter(|k| k.start >= sent.0 && k.end <= sent.1)
                                .filter_map(|k| n.text.get(k.start..k.end))
                                .filter(|w| {
                                    !w.trim().is_empty() && !w.contains(char::is_whitespace)
                                })
                                .map(|w| w.to_ascii_lowercase())
                                .collect();
                            if !words.is_empty() {
                                out.push(words);
                            }
                        }
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// A small deterministic generator (SplitMix64) for the k-means++ seeds.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A unit-length sparse vector: (dimension, value), sorted by dimension.
type Sparse = Vec<(u32, f32)>;

fn dot(v: &Sparse, c: &[f32]) -> f32 {
    v.iter()
        .map(|&(d, x)| x * c.get(d as usize).copied().unwrap_or(0.0))
        .sum()
}

/// Spherical k-means of unit vectors into `k` clusters: the cluster of each vector.
fn kmeans(
    vecs: &[Sparse],
    weights: &[f64],
    dims: usize,
    k: usize,
    iters: usize,
    seed: u64,
) -> Vec<u32> {
    let k = k.min(vecs.len()).max(1);
    let mut rng = Rng(seed);
    // k-means++ seeds (distance 1 - cosine), weighted by the square root of frequency.
    let mut centroids: Vec<Vec<f32>> = Vec::with_capacity(k);
    let densify = |v: &Sparse| {
        let mut c = vec![0f32; dims];
        for &(d, x) in v {
            c[d as usize] = x;
        }
        c
    };
    let first = (rng.unit() * vecs.len() as f64) as usize % vecs.len();
    centroids.push(densify(&vecs[first]));
    let mut best: Vec<f32> = vecs.iter().map(|v| 1.0 - dot(v, &centroids[0])).collect();
    while centroids.len() < k {
        let total: f64 = best
            .iter()
            .zip(weights)
            .map(|(&d, &w)| d.max(0.0) as f64 * w)
            .sum();
        let mut r = rng.unit() * total;
        let mut pick = vecs.len() - 1;
        for (i, (&d, &w)) in best.iter().zip(weights).enumerate() {
            r -= d.max(0.0) as f64 * w;
            if r <= 0.0 {
                pick = i;
                break;
            }
        }
        let c = densify(&vecs[pick]);
        for (b, v) in best.iter_mut().zip(vecs) {
            *b = b.min(1.0 - dot(v, &c));
        }
        centroids.push(c);
    }
    let mut assign = vec![0u32; vecs.len()];
    for it in 0..iters {
        let mut moved = 0;
        for (i, v) in vecs.iter().enumerate() {
            let mut arg = 0;
            let mut top = f32::MIN;
            for (j, c) in centroids.iter().enumerate() {
                let s = dot(v, c);
                if s > top {
                    top = s;
                    arg = j;
                }
            }
            if assign[i] != arg as u32 || it == 0 {
                moved += usize::from(assign[i] != arg as u32);
                assign[i] = arg as u32;
            }
        }
        for c in centroids.iter_mut() {
            c.iter_mut().for_each(|x| *x = 0.0);
        }
        for (v, &a) in vecs.iter().zip(&assign) {
            for &(d, x) in v {
                centroids[a as usize][d as usize] += x;
            }
        }
        for c in centroids.iter_mut() {
            let n = c.iter().map(|x| x * x).sum::<f32>().sqrt();
            if n > 0.0 {
                c.iter_mut().for_each(|x| *x /= n);
            }
        }
        eprintln!("  k={k} iteration {}: {moved} moved", it + 1);
        if it > 0 && moved == 0 {
            break;
        }
    }
    assign
}

fn run(a: &Args) -> Result<(), String> {
    let t0 = Instant::now();
    let texts = texts(a)?;
    let sents = sentences(&texts);
    eprintln!(
        "{} texts, {} sentences segmented in {:.1}s",
        texts.len(),
        sents.len(),
        t0.elapsed().as_secs_f64()
    );
    // Word counts; ties broken by the word so that the order is deterministic.
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for s in &sents {
        for w in s {
            *counts.entry(w.as_str()).or_insert(0) += 1;
        }
    }
    let mut by_freq: Vec<(&str, u32)> = counts.iter().map(|(&w, &c)| (w, c)).collect();
    by_freq.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    // Context dimensions: 0/1 sentence start/end, then left and right of each context word.
    let ctx: HashMap<&str, u32> = by_freq
        .iter()
        .take(a.contexts)
        .enumerate()
        .map(|(i, &(w, _))| (w, i as u32))
        .collect();
    let dims = 2 + 2 * ctx.len();
    let vocab: Vec<(&str, u32)> = by_freq
        .iter()
        .copied()
        .filter(|&(_, c)| c >= a.min_count)
        .collect();
    let index: HashMap<&str, usize> = vocab
        .iter()
        .enumerate()
        .map(|(i, &(w, _))| (w, i))
        .collect();
    let mut raw: Vec<HashMap<u32, u32>> = vec![HashMap::new(); vocab.len()];
    for s in &sents {
        for (i, w) in s.iter().enumerate() {
            let Some(&vi) = index.get(w.as_str()) else {
                continue;
            };
            let left = match i.checked_sub(1) {
                None => Some(0),
                Some(p) => ctx.get(s[p].as_str()).map(|&c| 2 + 2 * c),
            };
            let right = match s.get(i + 1) {
                None => Some(1),
                Some(n) => ctx.get(n.as_str()).map(|&c| 3 + 2 * c),
            };
            for d in [left, right].into_iter().flatten() {
                *raw[vi].entry(d).or_insert(0) += 1;
            }
        }
    }
    let vecs: Vec<Sparse> = raw
        .iter()
        .map(|m| {
            let total: u32 = m.values().sum();
            let mut v: Sparse = m
                .iter()
                .map(|(&d, &c)| (d, (c as f32 / total.max(1) as f32).sqrt()))
                .collect();
            v.sort_by_key(|x| x.0);
            v
        })
        .collect();
    let weights: Vec<f64> = vocab.iter().map(|&(_, c)| (c as f64).sqrt()).collect();
    eprintln!(
        "{} words of count >= {}, {} context dimensions ({:.1}s)",
        vocab.len(),
        a.min_count,
        dims,
        t0.elapsed().as_secs_f64()
    );
    let fine = kmeans(&vecs, &weights, dims, a.fine, a.iterations, a.seed);
    let coarse = kmeans(
        &vecs,
        &weights,
        dims,
        a.coarse,
        a.iterations,
        a.seed ^ 0x5a5a,
    );
    write_table(&a.out, a, &vocab, &fine, &coarse)
        .map_err(|e| format!("{}: {e}", a.out.display()))?;
    eprintln!(
        "wrote {} ({:.1}s)",
        a.out.display(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes the table: a header comment, then `word, fine cluster, coarse cluster` rows in
/// the order of the words' frequency.
fn write_table(
    path: &Path,
    a: &Args,
    vocab: &[(&str, u32)],
    fine: &[u32],
    coarse: &[u32],
) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        f,
        "# Word clusters of the Chinese NER tagger: made by `ner-clusters` (lab/src/bin/ner-clusters.rs), see data/models/README.md."
    )?;
    writeln!(
        f,
        "# min count {}, {} contexts, {} fine and {} coarse clusters, {} iterations, seed {}{}",
        a.min_count,
        a.contexts,
        a.fine,
        a.coarse,
        a.iterations,
        a.seed,
        if a.exclude_held_out {
            ", held-out sentences excluded"
        } else {
            ""
        }
    )?;
    writeln!(f, "# word\tfine\tcoarse")?;
    for ((&(w, _), &c1), &c2) in vocab.iter().zip(fine).zip(coarse) {
        writeln!(f, "{w}\t{c1}\t{c2}")?;
    }
    f.flush()
}

fn main() {
    let a = Args::parse();
    if let Err(e) = run(&a) {
        eprintln!("{e}");
        std::process::exit(2);
    }
}
