//! `Pipeline::process` on 20-line documents of zh_news.txt, one thread, best of N rounds in
//! thread CPU time (the machine is shared: wall time counts waiting), with the stage shares
//! of the best round: `cargo run --release --example pipe_timing [MB] [ROUNDS] [FILE]`.
//! A development aid for A/B runs of two builds; the lab's `bench` is the report.
use newsfacts::{Config, Pipeline, Source, StageTimes};
use newsfacts_lab::bench::stage_list;
use newsfacts_lab::cpu::thread_seconds as cpu;

/// The allocator of the `newsfacts` binary (see lab/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(2.0);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let file = args
        .next()
        .unwrap_or_else(|| "../shared/data/corpus/zh_news.txt".into());
    let lines = newsfacts_lab::bench::load_lines(std::path::Path::new(&file), (mb * 1e6) as usize)
        .expect("input lines");
    let docs: Vec<String> = lines.chunks(20).map(|c| c.join("\n")).collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let pipeline = Pipeline::new(Config::default()).expect("pipeline");
    let _ = pipeline.process(&Source::from_text(
        "warmup",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));
    let mut best = (f64::MAX, StageTimes::default());
    for _ in 0..rounds {
        let mut times = StageTimes::default();
        let t = cpu();
        for (i, d) in docs.iter().enumerate() {
            let source = Source::from_text(format!("{i}"), d.as_str());
            std::hint::black_box(pipeline.process_timed(&source, Some(&mut times)));
        }
        let secs = cpu() - t;
        if secs < best.0 {
            best = (secs, times);
        }
    }
    let (secs, t) = best;
    let ms_mb = |s: f64| s * 1e3 / (bytes as f64 / 1e6);
    println!(
        "{:.2} MB, best of {rounds}: {:.1} ms CPU per MB ({:.2} MB/s)",
        bytes as f64 / 1e6,
        ms_mb(secs),
        bytes as f64 / 1e6 / secs
    );
    // The last entry is the sum of the stages (`Pipeline::process`).
    let stages = stage_list(&t);
    let wall = stages[stages.len() - 1].1;
    for (name, s) in stages {
        println!(
            "  {name:40} {:6.1} ms/MB wall {:5.1} %",
            ms_mb(s),
            100.0 * s / wall
        );
    }
}
