//! A fixed input for instruction counts of the whole `--threads 1` run (batch runner,
//! pipeline and JSON Lines writer), one-line documents against articles:
//! `valgrind --tool=callgrind target/release/examples/batch_cg MODE [MB] [ROUNDS]` with MODE
//! `lines` (the lines of zh_news.txt of at most 120 bytes, one a document), `articles`
//! (the first MB of zh_news.txt, 20 lines a document), `joined` (the one-line documents
//! joined 20 a document) or `warm` (only the set-up that both
//! share, to subtract). The count of a mode less the count of `warm` is the run's.
//! `bench-articles` is the bench's articles (the first MB, 20 lines a document);
//! `fresh-articles` the same without repeated lines (each line its first time only);
//! `en-articles` is English: the first MB of en_news.txt, whose lines are whole articles
//! (one a document, about 780 bytes). Every mode prints the CPU time of the run (all
//! threads), best of ROUNDS.
use newsfacts::{Config, Pipeline, Source};

/// The allocator of the `newsfacts` binary (see lab/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "lines".into());
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let path = std::path::Path::new("../shared/data/corpus/zh_news.txt");
    let all = newsfacts_lab::bench::load_lines(path, 40_000_000).expect("zh_news.txt");
    let mut lines = Vec::new();
    let mut bytes = 0;
    for l in all
        .iter()
        .filter(|l| l.len() <= newsfacts_lab::bench::ONE_LINE_BYTES)
    {
        bytes += l.len();
        lines.push(l.clone());
        if bytes as f64 >= mb * 1e6 {
            break;
        }
    }
    let mut article_lines = Vec::new();
    let mut abytes = 0;
    for l in &all {
        abytes += l.len();
        article_lines.push(l.clone());
        if abytes >= bytes {
            break;
        }
    }
    let docs = match mode.as_str() {
        "lines" => lines,
        "articles" => newsfacts_lab::bench::join_lines(&article_lines, 20),
        "joined" => newsfacts_lab::bench::join_lines(&lines, 20),
        // The bench's articles: the first MB of the file, 20 lines a document.
        "bench-articles" => newsfacts_lab::bench::join_lines(
            &newsfacts_lab::bench::load_lines(path, (mb * 1e6) as usize).expect("zh_news.txt"),
            20,
        ),
        // The same, each line only its first time (the file repeats itself).
        "fresh-articles" => newsfacts_lab::bench::join_lines(
            &newsfacts_lab::bench::load_distinct_lines(path, (mb * 1e6) as usize)
                .expect("zh_news.txt"),
            20,
        ),
        // English articles: en_news.txt holds one article a line.
        "en-articles" => newsfacts_lab::bench::load_lines(
            std::path::Path::new("../shared/data/corpus/en_news.txt"),
            (mb * 1e6) as usize,
        )
        .expect("en_news.txt"),
        _ => Vec::new(),
    };
    let p = Pipeline::new(Config::default()).expect("pipeline");
    let _ = p.process(&Source::from_text(
        "w",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = newsfacts_lab::cpu::process_seconds();
        let sources: Vec<Source> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| Source::from_text(format!("{i}"), d.as_str()))
            .collect();
        let mut sink = newsfacts::output::JsonlSink::new(std::io::sink());
        newsfacts::batch::run(
            &p,
            sources.into_iter(),
            &mut sink,
            &newsfacts::batch::RunOptions {
                threads: 1,
                progress: false,
                status_every: newsfacts::batch::DEFAULT_STATUS_EVERY,
            },
            String::new(),
        )
        .expect("run");
        best = best.min(newsfacts_lab::cpu::process_seconds() - start);
    }
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    eprintln!(
        "{mode}: {} documents, {bytes} bytes; CPU of the run (all threads), best of {rounds}: {:.3} s, {:.2} MB/s",
        docs.len(),
        best,
        bytes as f64 / 1e6 / best
    );
}
