//! Throughput of the whole pipeline (`Pipeline::process`, entities on) against bare
//! jieba-rs `cut` on the same documents: the first ~1 MB of the shared Chinese news corpus
//! (`../shared/data/corpus/zh_news.txt`, one document per line) and of the English one.
//! Criterion reports bytes/s for each. `newsfacts bench` gives the multi-thread figures
//! and peak memory.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsfacts::{Config, Pipeline, Source};

/// The non-empty lines of `path`, up to about `max_bytes`.
fn load_lines(path: &std::path::Path, max_bytes: usize) -> std::io::Result<Vec<String>> {
    use std::io::BufRead;
    let mut out = Vec::new();
    let mut total = 0;
    for line in std::io::BufReader::new(std::fs::File::open(path)?).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        total += line.len();
        out.push(line);
        if total >= max_bytes {
            break;
        }
    }
    Ok(out)
}

fn lines(name: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/corpus")
        .join(name);
    load_lines(&path, 1_000_000).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared corpus is expected at ../shared)",
            path.display()
        )
    })
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let jieba = newsfacts::segment::jieba();
    for name in ["zh_news.txt", "en_news.txt"] {
        let docs = lines(name);
        let sources: Vec<Source> = docs
            .iter()
            .enumerate()
            .map(|(i, l)| Source::from_text(format!("{i}"), l.as_str()))
            .collect();
        let bytes: usize = docs.iter().map(|l| l.len()).sum();
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(bytes as u64));
        g.sample_size(10);
        g.bench_function("jieba_cut", |b| {
            b.iter(|| docs.iter().map(|l| jieba.cut(l, true).len()).sum::<usize>())
        });
        g.bench_function("pipeline", |b| {
            b.iter(|| {
                sources
                    .iter()
                    .map(|s| pipeline.process(s).amounts.len())
                    .sum::<usize>()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
