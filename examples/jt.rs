use newsfacts::recognize::{Candidates, Context, Recognizer};
use std::time::Instant;
fn main() {
    let lines = newsfacts::bench::load_lines(std::path::Path::new("../shared/data/corpus/zh_news.txt"), 1_000_000).unwrap();
    let b: usize = lines.iter().map(|l| l.len()).sum();
    let prepared: Vec<(String, newsfacts::segment::Segmented)> = lines.iter().map(|l| { let n = newsfacts::normalize::normalize(l); let s = newsfacts::segment::segment(&n.text, false); (n.text, s) }).collect();
    let am = newsfacts::recognize::amount::AmountRecognizer::new();
    let dr = newsfacts::recognize::date::DateRecognizer::new();
    let d = chrono::NaiveDate::from_ymd_opt(2025, 9, 5);
    for (name, r) in [("amounts", &am as &dyn Recognizer), ("dates", &dr as &dyn Recognizer)] {
        let t = Instant::now(); let mut n = 0;
        for (text, seg) in &prepared { let ctx = Context { text, seg, doc_date: d, numbers: false }; let mut c = Candidates::default(); r.recognize(&ctx, &mut c); n += c.amounts.len() + c.dates.len(); }
        println!("{name}: {:.2} MB/s ({n})", b as f64 / 1e6 / t.elapsed().as_secs_f64());
    }
    let t = Instant::now(); let mut n = 0;
    for l in &lines { let i = newsfacts::recognize::date::infer_document_date(l, &newsfacts::segment::segment(l, false)); n += i.is_some() as usize; }
    println!("infer: {:.2} MB/s ({n})", b as f64 / 1e6 / t.elapsed().as_secs_f64());
}
