use std::time::Instant;
fn main() {
    let lines = newsfacts::bench::load_lines(std::path::Path::new("../shared/data/corpus/zh_news.txt"), 4_000_000).unwrap();
    let j = newsfacts::segment::jieba();
    let _ = j.cut("预热", true);
    let b: usize = lines.iter().map(|l| l.len()).sum();
    let t = Instant::now(); let mut n = 0; for l in &lines { n += j.cut(l, true).len(); } let a = t.elapsed().as_secs_f64();
    let t = Instant::now(); for l in &lines { n += j.tag(l, true).len(); } let c = t.elapsed().as_secs_f64();
    let t = Instant::now(); for l in &lines { n += j.cut(l, false).len(); } let d = t.elapsed().as_secs_f64();
    let t = Instant::now(); for l in &lines { let s = newsfacts::segment::segment(l, true); n += s.tokens.len(); } let e = t.elapsed().as_secs_f64();
    let t = Instant::now(); for l in &lines { let s = newsfacts::normalize::normalize(l); n += s.text.len(); } let f = t.elapsed().as_secs_f64();
    println!("cut {:.1} tag {:.1} cut-nohmm {:.1} segment {:.1} normalize {:.1} MB/s {n}", b as f64/1e6/a, b as f64/1e6/c, b as f64/1e6/d, b as f64/1e6/e, b as f64/1e6/f);
}
