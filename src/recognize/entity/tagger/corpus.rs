//! Gold NER sentences (the JSON Lines sets under `shared/data/ner`) turned into training
//! sequences exactly as the runtime sees text: normalised, sentence-split, jieba-tagged,
//! cut into units, with gold spans mapped through normalisation onto unit tags.

use std::path::Path;

use super::features::{en_features, en_tokens, zh_features, zh_units, FeatureBuf, Unit};
use super::model::{begin_tag, Lang};
use super::perceptron::RawSeq;
use crate::document::EntityType;
use crate::normalize::normalize;
use crate::segment::segment_whole_sentences;

/// The PER/ORG/LOC type of a gold label of any of the sets (the same mapping as
/// `shared/tools/ner_eval.py`); other labels (MISC, nominal mentions, CLUENER's game,
/// book, ...) are not entities here.
pub fn map_label(label: &str) -> Option<EntityType> {
    match label {
        "PER" | "PERSON" | "PER.NAM" | "name" => Some(EntityType::Person),
        "ORG" | "ORG.NAM" | "organization" | "company" | "government" => Some(EntityType::Org),
        "LOC" | "LOC.NAM" | "GPE.NAM" | "address" | "scene" => Some(EntityType::Loc),
        _ => None,
    }
}

/// One gold sentence in its original form: text and code-point spans.
#[derive(Debug, Clone)]
pub struct GoldSentence {
    pub id: String,
    pub text: String,
    pub spans: Vec<(usize, usize, EntityType)>,
}

/// Reads a gold JSON Lines file.
pub fn read_jsonl(path: &Path) -> Result<Vec<GoldSentence>, String> {
    let data = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), n + 1))?;
        let text = v["text"].as_str().unwrap_or("").to_string();
        let id = v["id"].as_str().unwrap_or("").to_string();
        let mut spans = Vec::new();
        for e in v["entities"].as_array().into_iter().flatten() {
            let (Some(s), Some(t), Some(kind)) = (
                e["start"].as_u64(),
                e["end"].as_u64(),
                e["type"].as_str().and_then(map_label),
            ) else {
                continue;
            };
            spans.push((s as usize, t as usize, kind));
        }
        out.push(GoldSentence { id, text, spans });
    }
    Ok(out)
}

/// Normalises a gold sentence and maps its spans to byte spans of the normalised text;
/// spans that normalisation cut into (rare) are dropped.
pub fn normalized(g: &GoldSentence) -> (String, Vec<(usize, usize, EntityType)>) {
    let n = normalize(&g.text);
    let chars = g.text.chars().count();
    let mut start_at = vec![usize::MAX; chars + 1];
    let mut end_at = vec![usize::MAX; chars + 1];
    for (b, c) in n.text.char_indices() {
        let (os, oe) = n.map.to_original(b, b + c.len_utf8());
        if os <= chars && start_at[os] == usize::MAX {
            start_at[os] = b;
        }
        if oe <= chars {
            end_at[oe] = b + c.len_utf8();
        }
    }
    let spans = g
        .spans
        .iter()
        .filter_map(|&(s, e, k)| {
            let (a, b) = (*start_at.get(s)?, *end_at.get(e)?);
            (a != usize::MAX && b != usize::MAX && a < b).then_some((a, b, k))
        })
        .collect();
    (n.text, spans)
}

/// BIO tags of units (byte spans) given entity byte spans: a unit inside a span is B when it
/// starts the span (or the sequence), else I.
pub fn spans_to_tags(units: &[(usize, usize)], spans: &[(usize, usize, EntityType)]) -> Vec<u8> {
    let mut tags = vec![0u8; units.len()];
    for &(s, e, k) in spans {
        let mut first = true;
        for (i, &(a, b)) in units.iter().enumerate() {
            if a >= s && b <= e {
                tags[i] = begin_tag(k) + u8::from(!first && i > 0);
                first = false;
            }
        }
    }
    tags
}

/// The training sequences (one per runtime sentence) of a gold sentence.
pub fn sequences(g: &GoldSentence, lang: Lang, domain: u8, out: &mut Vec<RawSeq>) {
    let (text, spans) = normalized(g);
    let seg = segment_whole_sentences(&text, lang == Lang::Zh);
    let mut units: Vec<Unit> = Vec::new();
    let mut toks: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in &seg.sentences {
        let mut feats = FeatureBuf::default();
        let spans_of_unit: Vec<(usize, usize)> = match lang {
            Lang::Zh => {
                zh_units(&text, s, e, seg.tokens_in((s, e)), &mut units);
                zh_features(&units, &mut feats);
                units.iter().map(|u| (u.start, u.end)).collect()
            }
            Lang::En => {
                en_tokens(&text, s, e, &mut toks);
                en_features(&text, &toks, &mut feats);
                toks.clone()
            }
        };
        if spans_of_unit.is_empty() {
            continue;
        }
        let gold = spans_to_tags(&spans_of_unit, &spans);
        out.push(RawSeq {
            feats,
            gold,
            domain,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_survive_normalisation() {
        // Full-width comma becomes half-width; the gold spans must still land on 北京 and 张三.
        let g = GoldSentence {
            id: "x".into(),
            text: "北京，张三（记者）".into(),
            spans: vec![(0, 2, EntityType::Loc), (3, 5, EntityType::Person)],
        };
        let (text, spans) = normalized(&g);
        assert_eq!(text, "北京,张三(记者)");
        let shown: Vec<&str> = spans.iter().map(|&(a, b, _)| &text[a..b]).collect();
        assert_eq!(shown, vec!["北京", "张三"]);
        let mut seqs = Vec::new();
        sequences(&g, Lang::Zh, 0, &mut seqs);
        assert_eq!(seqs.len(), 1);
        assert_eq!(seqs[0].gold, vec![5, 6, 0, 1, 2, 0, 0, 0, 0]);
    }
}
