//! Throughput of the amount recogniser alone on the shared Chinese news corpus
//! (`../shared/data/corpus/zh_news.txt`): normalisation happens once, outside the timed
//! loop; the loop runs only `AmountRecognizer::amounts`. Prints MB/s of normalised text.

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsfacts::normalize::normalize;
use newsfacts::recognize::amount::AmountRecognizer;

fn corpus() -> String {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/corpus/zh_news.txt");
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the shared corpus is expected at ../shared)",
            path.display()
        )
    });
    // About 2 MB keeps a criterion run short on a shared machine.
    let mut cut = raw.len().min(2_000_000);
    while !raw.is_char_boundary(cut) {
        cut -= 1;
    }
    normalize(&raw[..cut]).text
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let rec = AmountRecognizer::new();
    // One plain timing for the report line.
    let t0 = Instant::now();
    let n = rec.amounts(&text, false).len();
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "amounts: {} amounts in {:.1} MB, {:.1} MB/s",
        n,
        text.len() as f64 / 1e6,
        text.len() as f64 / 1e6 / secs
    );
    let mut g = c.benchmark_group("amounts");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("zh_news", |b| {
        b.iter(|| rec.amounts(std::hint::black_box(&text), false))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
