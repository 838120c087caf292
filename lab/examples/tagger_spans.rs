//! Tagger-alone spans of every sentence of a NER JSON Lines file, one JSON line each
//! (`{"id", "spans": [[start, end, "PER"], ...]}`, code-point offsets of the original text):
//! `cargo run --release --example tagger_spans -- FILE [ZH_MODEL]`. A development aid to
//! tell the tagger's errors from the pipeline's; ZH_MODEL (a `.nfm` file) replaces the
//! embedded Chinese model, e.g. one `train-ner --tune --save-tuned DIR` wrote.
use newsfacts::recognize::entity::tagger::corpus::read_jsonl;
use newsfacts::recognize::entity::tagger::model::{Lang, Model};
use newsfacts::recognize::entity::tagger::Tagger;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let gold = read_jsonl(std::path::Path::new(&args[1])).unwrap();
    let tagger = match args.get(2) {
        Some(p) => {
            let zh = Model::from_bytes(&std::fs::read(p).unwrap()).unwrap();
            let en = Model::from_bytes(newsfacts::recognize::entity::tagger::EN_MODEL)
                .unwrap_or_else(|_| Model::empty(Lang::En));
            Tagger::from_models(zh, en)
        }
        None => Tagger::shared().clone(),
    };
    for g in &gold {
        let n = newsfacts::normalize::normalize(&g.text);
        let seg = newsfacts::segment::segment(&n.text, true);
        let mut out = Vec::new();
        tagger.tag(&n.text, &seg, &mut out);
        let spans: Vec<String> = out
            .iter()
            .map(|m| {
                let (s, e) = n.map.to_original(m.nspan.0, m.nspan.1);
                let t = match m.kind.as_str() {
                    "PERSON" => "PER",
                    k => k,
                };
                format!("[{s},{e},\"{t}\"]")
            })
            .collect();
        println!("{{\"id\":\"{}\",\"spans\":[{}]}}", g.id, spans.join(","));
    }
}
