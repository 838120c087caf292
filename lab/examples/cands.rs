//! Debugging aid: the entity stage's mention candidates (before resolution) of each
//! argument text, with kind, score and source, and the tagger's spans alone.
//! `cargo run --release -p newsfacts-lab --example cands -- "文本" ...`
use newsfacts::recognize::{self, Candidates, Context, Recognizer};

fn main() {
    let er = recognize::entity::EntityRecognizer::new();
    for t in std::env::args().skip(1) {
        let norm = newsfacts::normalize::normalize(&t);
        let text = norm.text.as_str();
        let seg = newsfacts::segment::segment(text, true);
        let ctx = Context {
            text,
            seg: &seg,
            doc_date: None,
            numbers: false,
        };
        let words: Vec<String> = seg
            .tokens
            .iter()
            .map(|w| format!("{}/{}", &text[w.start..w.end], w.pos))
            .collect();
        println!("{}", words.join(" "));
        let mut tagged = Vec::new();
        recognize::entity::tagger::Tagger::shared().tag(text, &seg, &mut tagged);
        for m in &tagged {
            println!(
                "  tagger {:?} {:.2} {}",
                m.kind,
                m.score,
                &text[m.nspan.0..m.nspan.1]
            );
        }
        let mut c = Candidates::default();
        er.recognize(&ctx, &mut c);
        for m in &c.mentions {
            println!(
                "  cand {:?} {:?} {:.2} {}",
                m.source,
                m.kind,
                m.score,
                &text[m.nspan.0..m.nspan.1]
            );
        }
    }
}
