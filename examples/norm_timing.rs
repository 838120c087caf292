//! Normalisation throughput on zh_news.txt against bare jieba cut (development aid).
use std::time::Instant;
fn main() {
    let lines = newsfacts::bench::load_lines(
        std::path::Path::new("../shared/data/corpus/zh_news.txt"),
        2_000_000,
    )
    .unwrap();
    let b: usize = lines.iter().map(|l| l.len()).sum();
    let j = newsfacts::segment::jieba();
    let _ = newsfacts::normalize::normalize("預熱");
    for _ in 0..2 {
        let t = Instant::now();
        let mut n = 0;
        for l in &lines {
            n += j.cut(l, true).len();
        }
        let a = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for l in &lines {
            n += newsfacts::normalize::normalize(l).text.len();
        }
        let c = t.elapsed().as_secs_f64();
        println!("normalize/cut speed ratio {:.2} ({n})", a / c);
    }
}
