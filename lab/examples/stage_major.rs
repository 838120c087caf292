//! Experiment: one-line documents run document by document against stage by stage over
//! chunks of 64 (each stage's tables stay in cache across the chunk). Thread CPU time.
use newsfacts::recognize::{self, Candidates, Context, Recognizer};
use newsfacts::segment::Segmented;
use newsfacts_lab::cpu::thread_seconds;

/// The allocator of the `newsfacts` binary (see lab/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let mb: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0.5);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let chunk: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(64);
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
    let am = recognize::amount::AmountRecognizer::new();
    let dr = recognize::date::DateRecognizer::new();
    let er = recognize::entity::EntityRecognizer::new();
    let p = newsfacts::Pipeline::new(newsfacts::Config::default()).unwrap();
    let _ = p.process(&newsfacts::Source::from_text(
        "w",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));
    let one = |t: &str| -> usize {
        let norm = newsfacts::normalize::normalize(t);
        let seg = newsfacts::segment::segment(&norm.text, true);
        let found = recognize::date::find(&norm.text);
        let date = recognize::date::infer_document_date_from(&norm.text, &seg, &found);
        let ctx = Context {
            text: &norm.text,
            seg: &seg,
            doc_date: date,
            numbers: false,
        };
        let mut c = Candidates::default();
        am.recognize(&ctx, &mut c);
        dr.resolve_found(&ctx, &found, &mut c);
        er.recognize(&ctx, &mut c);
        c.mentions.len() + c.amounts.len() + c.dates.len()
    };
    let staged = |ts: &[String]| -> usize {
        let norms: Vec<_> = ts
            .iter()
            .map(|t| newsfacts::normalize::normalize(t))
            .collect();
        let segs: Vec<Segmented> = norms
            .iter()
            .map(|n| newsfacts::segment::segment(&n.text, true))
            .collect();
        let founds: Vec<_> = norms
            .iter()
            .map(|n| recognize::date::find(&n.text))
            .collect();
        let dates: Vec<_> = (0..ts.len())
            .map(|i| {
                recognize::date::infer_document_date_from(&norms[i].text, &segs[i], &founds[i])
            })
            .collect();
        let ctxs: Vec<Context> = (0..ts.len())
            .map(|i| Context {
                text: &norms[i].text,
                seg: &segs[i],
                doc_date: dates[i],
                numbers: false,
            })
            .collect();
        let mut cs: Vec<Candidates> = (0..ts.len()).map(|_| Candidates::default()).collect();
        for (ctx, c) in ctxs.iter().zip(cs.iter_mut()) {
            am.recognize(ctx, c);
        }
        for (i, (ctx, c)) in ctxs.iter().zip(cs.iter_mut()).enumerate() {
            dr.resolve_found(ctx, &founds[i], c);
        }
        for (ctx, c) in ctxs.iter().zip(cs.iter_mut()) {
            er.recognize(ctx, c);
        }
        cs.iter()
            .map(|c| c.mentions.len() + c.amounts.len() + c.dates.len())
            .sum()
    };
    for _ in 0..rounds {
        let t = thread_seconds();
        let a: usize = lines.iter().map(|l| one(l)).sum();
        let doc_major = thread_seconds() - t;
        let t = thread_seconds();
        let b: usize = lines.chunks(chunk).map(staged).sum();
        let stage_major = thread_seconds() - t;
        println!("{} docs: document by document {:.1} ms, stage by stage (chunks of {chunk}) {:.1} ms ({:+.1} %), items {a} {b}", lines.len(), doc_major * 1e3, stage_major * 1e3, 100.0 * (stage_major / doc_major - 1.0));
    }
}
