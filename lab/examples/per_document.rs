//! Per-document cost, stage by stage: `cargo run --release -p newsfacts-lab --example
//! per_document [MB] [rounds]`. The short lines of zh_news.txt (at most 120 bytes) run
//! one a document and joined 20 a document; the difference per document is what a
//! document costs beyond its text; the first 0.5 MB of zh_news.txt joined 20 lines a
//! document are the articles. Best of `rounds` (the machine is shared).
//!
//! Modes (environment variables): none: the stage table (wall clock per stage, thread CPU
//! time in all); `BATCH=1`: CPU time (every thread) of the batch runner writing JSON Lines,
//! one-line documents against articles, as the bench's whole run; `ALLOCS=1` and
//! `STAGE_ALLOCS=1`: allocations per document, in all and stage by stage (counts, which the
//! load of a shared machine cannot blur); `TINY=text`: µs per document of one tiny text;
//! `JOIN_COMMA=1`: the joined lines run as one sentence (`，`), to tell per-sentence from
//! per-document costs.
use newsfacts::{Config, Pipeline, Source, StageTimes};
use newsfacts_lab::cpu::{process_seconds, thread_seconds};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Counts allocations (a figure the shared machine's load does not blur).
struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        std::alloc::System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        std::alloc::System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        std::alloc::System.realloc(p, l, n)
    }
}
#[global_allocator]
static A: Counting = Counting;

/// CPU time (every thread) of the batch runner on one worker thread writing JSON Lines
/// to nowhere, as the bench's whole run does.
fn batch_cpu(pipeline: &Pipeline, docs: &[String]) -> f64 {
    let sources: Vec<Source> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Source::from_text(format!("{i}"), d.as_str()))
        .collect();
    let mut sink = newsfacts::output::JsonlSink::new(std::io::sink());
    let start = process_seconds();
    newsfacts::batch::run(
        pipeline,
        sources.into_iter(),
        &mut sink,
        &newsfacts::batch::RunOptions {
            threads: 1,
            progress: false,
            status_every: newsfacts::batch::DEFAULT_STATUS_EVERY,
        },
        String::new(),
    )
    .unwrap();
    process_seconds() - start
}

/// Stage times (wall clock) and the thread CPU time of processing `docs`.
fn times(pipeline: &Pipeline, docs: &[String]) -> (StageTimes, f64) {
    let mut t = StageTimes::default();
    let start = thread_seconds();
    for (i, d) in docs.iter().enumerate() {
        let s = Source::from_text(format!("{i}"), d.as_str());
        std::hint::black_box(pipeline.process_timed(&s, Some(&mut t)));
    }
    (t, thread_seconds() - start)
}

fn fields(t: &StageTimes) -> [f64; 7] {
    [
        t.normalize,
        t.segment,
        t.dates,
        t.amounts,
        t.entities,
        t.facts,
        t.locate,
    ]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let path = std::path::Path::new("../shared/data/corpus/zh_news.txt");
    let all = newsfacts_lab::bench::load_lines(path, 40_000_000).unwrap();
    let mut lines = Vec::new();
    let mut bytes = 0;
    for l in all.into_iter().filter(|l| l.len() <= 120) {
        bytes += l.len();
        lines.push(l);
        if bytes as f64 >= mb * 1e6 {
            break;
        }
    }
    let joined: Vec<String> = if std::env::var("JOIN_COMMA").is_ok() {
        lines.chunks(20).map(|c| c.join("，")).collect()
    } else {
        newsfacts_lab::bench::join_lines(&lines, 20)
    };
    let article_lines = newsfacts_lab::bench::load_lines(path, bytes).unwrap();
    let articles = newsfacts_lab::bench::join_lines(&article_lines, 20);
    let article_bytes: usize = articles.iter().map(|a| a.len()).sum();
    let p = Pipeline::new(Config::default()).unwrap();
    let _ = p.process(&Source::from_text(
        "w",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));
    if let Ok(t) = std::env::var("TINY") {
        let docs: Vec<String> = (0..50_000).map(|_| t.clone()).collect();
        for _ in 0..rounds {
            let (st, wall) = times(&p, &docs);
            let f = fields(&st);
            let us: Vec<String> = f
                .iter()
                .map(|x| format!("{:.2}", x / docs.len() as f64 * 1e6))
                .collect();
            println!(
                "tiny {t:?} us/doc: stages {us:?} wall {:.2}",
                wall / docs.len() as f64 * 1e6
            );
        }
        return;
    }
    if std::env::var("STAGE_ALLOCS").is_ok() {
        stage_allocs(&lines, "lines");
        stage_allocs(&joined, "joined");
        return;
    }
    if std::env::var("ALLOCS").is_ok() {
        for (name, docs) in [
            ("lines", &lines),
            ("joined", &joined),
            ("articles", &articles),
        ] {
            let before = ALLOCS.load(Relaxed);
            let _ = times(&p, docs);
            let n = ALLOCS.load(Relaxed) - before;
            let b: usize = docs.iter().map(|d| d.len()).sum();
            println!(
                "{name}: {} docs, {n} allocations, {:.1} per doc, {:.1} per KB",
                docs.len(),
                n as f64 / docs.len() as f64,
                n as f64 / (b as f64 / 1e3)
            );
        }
        return;
    }
    if std::env::var("BATCH").is_ok() {
        for _ in 0..rounds {
            let (_, l) = times(&p, &lines);
            let bl = batch_cpu(&p, &lines);
            let (_, j) = times(&p, &joined);
            let bj = batch_cpu(&p, &joined);
            let (_, a) = times(&p, &articles);
            let ba = batch_cpu(&p, &articles);
            println!(
                "cpu ms: process lines {:.0} joined {:.0} articles {:.0}; batch run lines {:.0} joined {:.0} articles {:.0}; batch MB/s lines {:.2} = {:.0} % of articles",
                l * 1e3, j * 1e3, a * 1e3, bl * 1e3, bj * 1e3, ba * 1e3,
                bytes as f64 / 1e6 / bl,
                100.0 * (bytes as f64 / bl) / (article_bytes as f64 / ba)
            );
        }
        return;
    }
    let names = [
        "normalize",
        "segment",
        "dates",
        "amounts",
        "entities",
        "facts",
        "locate",
        "process",
        "cpu",
    ];
    let mut best_l = [f64::MAX; 9];
    let mut best_j = [f64::MAX; 9];
    let mut best_a = [f64::MAX; 9];
    for _ in 0..rounds {
        for (docs, best) in [
            (&lines, &mut best_l),
            (&joined, &mut best_j),
            (&articles, &mut best_a),
        ] {
            let (t, wall) = times(&p, docs);
            let f = fields(&t);
            for k in 0..7 {
                best[k] = best[k].min(f[k]);
            }
            best[7] = best[7].min(f.iter().sum());
            best[8] = best[8].min(wall);
        }
    }
    let n = lines.len() as f64;
    println!(
        "{} one-line documents, {:.2} MB; best of {rounds}",
        lines.len(),
        bytes as f64 / 1e6
    );
    println!(
        "{:<10} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        "stage", "lines ms", "joined ms", "us/doc", "MB/s 1l", "MB/s jn", "MB/s art"
    );
    for k in 0..9 {
        println!(
            "{:<10} {:>9.1} {:>9.1} {:>9.2} {:>8.2} {:>8.2} {:>8.2}",
            names[k],
            best_l[k] * 1e3,
            best_j[k] * 1e3,
            (best_l[k] - best_j[k]) / n * 1e6,
            bytes as f64 / 1e6 / best_l[k],
            bytes as f64 / 1e6 / best_j[k],
            article_bytes as f64 / 1e6 / best_a[k]
        );
    }
}

/// Allocations per document of each stage, called one by one as `process` calls them
/// (arbitration, crate-private, is left out: entities are resolved from every candidate).
fn stage_allocs(docs: &[String], what: &str) {
    use newsfacts::recognize::{self, Candidates, Context, Recognizer};
    let am = recognize::amount::AmountRecognizer::new();
    let dr = recognize::date::DateRecognizer::new();
    let er = recognize::entity::EntityRecognizer::new();
    let mut counts = [0u64; 9];
    let names = [
        "source+doc",
        "normalize",
        "segment",
        "date find+infer",
        "amounts",
        "date resolve",
        "entities",
        "resolve",
        "facts",
    ];
    for (i, d) in docs.iter().enumerate() {
        let mut lap = {
            let mut last = ALLOCS.load(Relaxed);
            move |k: usize, counts: &mut [u64; 9]| {
                let now = ALLOCS.load(Relaxed);
                counts[k] += now - last;
                last = now;
            }
        };
        let src = Source::from_text(format!("{i}"), d.as_str());
        let mut doc = newsfacts::Document {
            id: src.id.clone(),
            ..Default::default()
        };
        lap(0, &mut counts);
        let norm = newsfacts::normalize::normalize(&src.text);
        lap(1, &mut counts);
        let seg = newsfacts::segment::segment(&norm.text, true);
        lap(2, &mut counts);
        let found = recognize::date::find(&norm.text);
        let date = recognize::date::infer_document_date_from(&norm.text, &seg, &found);
        lap(3, &mut counts);
        let ctx = Context {
            text: &norm.text,
            seg: &seg,
            doc_date: date,
            numbers: false,
        };
        let mut c = Candidates::default();
        am.recognize(&ctx, &mut c);
        lap(4, &mut counts);
        dr.resolve_found(&ctx, &found, &mut c);
        lap(5, &mut counts);
        er.recognize(&ctx, &mut c);
        lap(6, &mut counts);
        doc.entities = recognize::entity::resolve(&ctx, &mut c.mentions);
        doc.amounts = std::mem::take(&mut c.amounts);
        doc.dates = std::mem::take(&mut c.dates);
        lap(7, &mut counts);
        newsfacts::facts::extract(&ctx, &mut doc);
        lap(8, &mut counts);
    }
    let n = docs.len() as f64;
    let per: Vec<String> = names
        .iter()
        .zip(counts)
        .map(|(k, c)| format!("{k} {:.1}", c as f64 / n))
        .collect();
    println!(
        "{what} ({} docs), allocations per document: {}",
        docs.len(),
        per.join(", ")
    );
}
