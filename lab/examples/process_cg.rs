//! Instruction counts of `Pipeline::process` in a true steady state: every round runs on the
//! calling thread, so the regex crate's per-thread caches (lazy DFA states) stay warm from
//! round to round. `batch_cg` runs each round through `batch::run`, which until it kept one
//! pool a thread count for the process started each run on a new worker thread with cold
//! caches (the regex pool keys its caches by thread), so its "steady round" also held the
//! per-thread warm-up of every regex (about 35 M instructions of 868 M on 0.5 MB of
//! articles at 78bf74d+); its worker is now the same from round to round. Use
//! `valgrind --tool=callgrind target/release/examples/process_cg [MB] [ROUNDS]` with 1 and
//! 2 rounds and subtract, as with `batch_cg`. Input: the first MB of zh_news.txt, 20 lines
//! a document (the bench's articles).
use newsfacts::{Config, Pipeline, Source};

/// The allocator of the `newsfacts` binary (see lab/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let path = std::path::Path::new("../shared/data/corpus/zh_news.txt");
    let all = newsfacts_lab::bench::load_lines(path, (mb * 1e6) as usize).expect("zh_news.txt");
    let docs = newsfacts_lab::bench::join_lines(&all, 20);
    let p = Pipeline::new(Config::default()).expect("pipeline");
    let _ = p.process(&Source::from_text(
        "w",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));
    let mut items = 0;
    for _ in 0..rounds {
        for (i, d) in docs.iter().enumerate() {
            let doc = p.process(&Source::from_text(format!("{i}"), d.as_str()));
            items += doc.dates.len() + doc.amounts.len();
        }
    }
    eprintln!(
        "{} documents, {rounds} rounds: {items} dates and amounts",
        docs.len()
    );
}
