//! Per-stage timing on zh_news.txt: `cargo run --release --example stage_timing [MB]`.
//! A development aid to look inside a stage; the lab's `bench` (`lab/src/bin/bench.rs`) is the report.
use newsfacts::recognize::{Candidates, Context, Recognizer};
use std::time::Instant;
/// The allocator of the `newsfacts` binary (see lab/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mb: f64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(0.5);
    let lines = newsfacts_lab::bench::load_lines(
        std::path::Path::new("../shared/data/corpus/zh_news.txt"),
        (mb * 1e6) as usize,
    )
    .unwrap();
    let b: usize = lines.iter().map(|l| l.len()).sum();
    let rate = |t: Instant| b as f64 / 1e6 / t.elapsed().as_secs_f64();
    let j = newsfacts::segment::jieba();
    let t = Instant::now();
    let mut n = 0;
    for l in &lines {
        n += j.cut(l, true).len();
    }
    println!("jieba cut: {:.2} MB/s", rate(t));
    let t = Instant::now();
    let norm: Vec<_> = lines
        .iter()
        .map(|l| newsfacts::normalize::normalize(l))
        .collect();
    println!("normalize: {:.2} MB/s", rate(t));
    let t = Instant::now();
    let segs: Vec<_> = norm
        .iter()
        .map(|n| newsfacts::segment::segment(&n.text, true))
        .collect();
    println!("segment+tag: {:.2} MB/s", rate(t));
    let am = newsfacts::recognize::amount::AmountRecognizer::new();
    let dr = newsfacts::recognize::date::DateRecognizer::new();
    let er = newsfacts::recognize::entity::EntityRecognizer::new();
    let d = chrono::NaiveDate::from_ymd_opt(2025, 9, 5);
    // Load every lazily built table (tagger models, gazetteer, ...) before the clocks start:
    // one-time start-up is not a per-MB cost.
    for r in [&am as &dyn Recognizer, &dr, &er] {
        if let (Some(nz), Some(seg)) = (norm.first(), segs.first()) {
            r.recognize(
                &Context {
                    text: &nz.text,
                    seg,
                    doc_date: d,
                    numbers: false,
                },
                &mut Candidates::default(),
            );
        }
    }
    for (name, r) in [
        ("amounts", &am as &dyn Recognizer),
        ("dates", &dr as &dyn Recognizer),
        ("entities", &er as &dyn Recognizer),
    ] {
        let t = Instant::now();
        for (nz, seg) in norm.iter().zip(&segs) {
            let ctx = Context {
                text: &nz.text,
                seg,
                doc_date: d,
                numbers: false,
            };
            let mut c = Candidates::default();
            r.recognize(&ctx, &mut c);
            n += c.amounts.len() + c.dates.len() + c.mentions.len();
        }
        println!("{name}: {:.2} MB/s", rate(t));
    }
    // The machine is shared: best of three interleaved runs of tagger and jieba cut.
    let (mut best_tag, mut best_cut) = (0.0f64, 0.0f64);
    for _ in 0..3 {
        let t = Instant::now();
        for (nz, seg) in norm.iter().zip(&segs) {
            let mut out = Vec::new();
            newsfacts::recognize::entity::tagger::Tagger::shared().tag(&nz.text, seg, &mut out);
            n += out.len();
        }
        best_tag = best_tag.max(rate(t));
        let t = Instant::now();
        for l in &lines {
            n += j.cut(l, true).len();
        }
        best_cut = best_cut.max(rate(t));
    }
    println!("  of which tagger: {best_tag:.2} MB/s (best of 3; jieba cut best {best_cut:.2}, ratio {:.3})", best_tag / best_cut);
    use newsfacts::recognize::entity::{cues, gazetteer, latin};
    let t = Instant::now();
    for (nz, seg) in norm.iter().zip(&segs) {
        let mut out = Vec::new();
        gazetteer::gazetteer().find(&nz.text, seg, &mut out);
        n += out.len();
    }
    println!("  gazetteer: {:.2} MB/s", rate(t));
    let t = Instant::now();
    for (nz, seg) in norm.iter().zip(&segs) {
        let mut out = Vec::new();
        latin::find(&nz.text, seg, &mut out);
        n += out.len();
    }
    println!("  latin: {:.2} MB/s", rate(t));
    let t = Instant::now();
    for (nz, seg) in norm.iter().zip(&segs) {
        let mut out = Vec::new();
        cues::find_transliterated(&nz.text, seg, &mut out);
        n += out.len();
    }
    println!("  transliterated: {:.2} MB/s", rate(t));
    let t = Instant::now();
    for (nz, seg) in norm.iter().zip(&segs) {
        n += newsfacts::recognize::date::infer_document_date(&nz.text, seg).is_some() as usize;
    }
    println!("infer date: {:.2} MB/s", rate(t));
    let p = newsfacts::Pipeline::new(newsfacts::Config::default()).unwrap();
    let t = Instant::now();
    for l in &lines {
        let d = p.process(&newsfacts::Source::from_text("x", l.as_str()));
        n += d.facts.len();
    }
    println!("whole process: {:.2} MB/s", rate(t));
    std::hint::black_box(n);
}
