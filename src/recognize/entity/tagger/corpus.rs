//! Gold NER sentences (the JSON Lines sets under `shared/data/ner`) turned into training
//! sequences exactly as the runtime sees text: normalised, sentence-split, jieba-tagged,
//! cut into units, with gold spans mapped through normalisation onto unit tags.

use std::path::Path;

use super::features::{en_features, en_tokens, zh_features, zh_units, FeatureBuf, ZhUnits};
use super::model::{begin_tag, Lang};
use super::perceptron::RawSeq;
use crate::document::EntityType;
use crate::normalize::normalize;
use crate::normalize::script::is_han;
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
#[derive(Debug, Clone, PartialEq)]
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
    let mut units = ZhUnits::default();
    let mut toks: Vec<(usize, usize)> = Vec::new();
    for &(s, e) in &seg.sentences {
        let mut feats = FeatureBuf::default();
        let spans_of_unit: Vec<(usize, usize)> = match lang {
            Lang::Zh => {
                zh_units(&text, s, e, seg.tokens_in((s, e)), &mut units);
                zh_features(&units, &mut feats);
                units.units.iter().map(|u| (u.start, u.end)).collect()
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

/// Mention replacement (Dai & Adel 2020), training only: which entity types a copy of a
/// sentence gets new names for, and how often.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MentionSwap {
    /// Share of the sentences holding a name of a listed type that get one copy.
    pub rate: f64,
    /// Types whose names are replaced, indexed PER, ORG, LOC.
    pub types: [bool; 3],
    pub seed: u64,
    /// Synthetic person names take a whole given name of a training name (`李` + `小明` of
    /// `王小明`) rather than given-name characters drawn one by one.
    pub whole_given: bool,
}

fn type_index(k: EntityType) -> usize {
    match k {
        EntityType::Person => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    }
}

/// A small deterministic generator (splitmix64) for the replacement draws.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index drawn in proportion to `weights` (not all zero).
    fn weighted(&mut self, cum: &[u64]) -> usize {
        let total = cum.last().copied().unwrap_or(0).max(1);
        let x = self.next() % total;
        cum.partition_point(|&c| c <= x)
    }
}

/// Running sums of counts, for [`Draw::weighted`].
fn cumulative<T>(items: &[(T, u64)]) -> Vec<u64> {
    let mut sum = 0;
    items
        .iter()
        .map(|(_, c)| {
            sum += c;
            sum
        })
        .collect()
}

/// What replacement names are drawn from: the surnames of the cue lexicon (weighted by how
/// often they open a training person name, plus one), the given-name characters and
/// lengths of the training names that open with a surname, and, per type, the distinct
/// surfaces of the training names (persons without a listed surname, e.g. transliterations).
struct NamePools {
    surnames: Vec<(String, u64)>,
    surname_cum: Vec<u64>,
    given_chars: Vec<(char, u64)>,
    given_cum: Vec<u64>,
    given_len: Vec<(usize, u64)>,
    len_cum: Vec<u64>,
    /// The distinct given names of the training names (after a listed surname).
    given_names: Vec<String>,
    surfaces: [Vec<String>; 3],
}

/// The listed surname a Han name of 2-4 characters opens with (longest first), if any.
fn surname_of<'a>(name: &[char], surnames: &'a [String]) -> Option<&'a str> {
    if !(2..=4).contains(&name.len()) || !name.iter().all(|&c| is_han(c)) {
        return None;
    }
    let mut best: Option<&str> = None;
    for s in surnames {
        let n = s.chars().count();
        if n < name.len()
            && name.iter().take(n).copied().eq(s.chars())
            && best.is_none_or(|b| b.chars().count() < n)
        {
            best = Some(s);
        }
    }
    best
}

impl NamePools {
    fn new(sents: &[GoldSentence], surnames: &[&str]) -> NamePools {
        use std::collections::BTreeMap;
        let listed: Vec<String> = surnames.iter().map(|s| s.to_string()).collect();
        let mut sur: BTreeMap<String, u64> = listed.iter().map(|s| (s.clone(), 1)).collect();
        let mut given: BTreeMap<char, u64> = BTreeMap::new();
        let mut lens: BTreeMap<usize, u64> = BTreeMap::new();
        let mut given_names = std::collections::BTreeSet::new();
        let mut surfaces: [std::collections::BTreeSet<String>; 3] = Default::default();
        for g in sents {
            let chars: Vec<char> = g.text.chars().collect();
            for &(s, e, k) in &g.spans {
                let Some(name) = chars.get(s..e) else { continue };
                if k == EntityType::Person {
                    if let Some(sn) = surname_of(name, &listed) {
                        *sur.entry(sn.to_string()).or_insert(1) += 1;
                        let rest = &name[sn.chars().count()..];
                        given_names.insert(rest.iter().collect::<String>());
                        *lens.entry(rest.len()).or_insert(0) += 1;
                        for &c in rest {
                            *given.entry(c).or_insert(0) += 1;
                        }
                        continue;
                    }
                }
                surfaces[type_index(k)].insert(name.iter().collect());
            }
        }
        let surnames: Vec<(String, u64)> = sur.into_iter().collect();
        let given_chars: Vec<(char, u64)> = given.into_iter().collect();
        let given_len: Vec<(usize, u64)> = lens.into_iter().collect();
        NamePools {
            surname_cum: cumulative(&surnames),
            given_cum: cumulative(&given_chars),
            len_cum: cumulative(&given_len),
            surnames,
            given_chars,
            given_len,
            given_names: given_names.into_iter().collect(),
            surfaces: surfaces.map(|s| s.into_iter().collect()),
        }
    }

    /// A synthetic Chinese person name: a surname and a given name of a training length
    /// whose characters follow the training given names' character counts.
    fn synthetic_person(&self, d: &mut Draw, whole_given: bool) -> Option<String> {
        let (sn, _) = self.surnames.get(d.weighted(&self.surname_cum))?;
        if whole_given {
            let n = self.given_names.len().max(1) as u64;
            let given = self.given_names.get((d.next() % n) as usize)?;
            return Some(format!("{sn}{given}"));
        }
        let &(len, _) = self.given_len.get(d.weighted(&self.len_cum))?;
        let mut name = sn.clone();
        for _ in 0..len {
            name.push(self.given_chars.get(d.weighted(&self.given_cum))?.0);
        }
        Some(name)
    }

    /// Whether `name` is a Han name of 2-4 characters opening with a listed surname.
    fn opens_with_surname(&self, name: &[char]) -> bool {
        (2..=4).contains(&name.len())
            && name.iter().all(|&c| is_han(c))
            && self.surnames.iter().any(|(s, _)| {
                s.chars().count() < name.len() && name.iter().copied().zip(s.chars()).all(|(a, b)| a == b)
            })
    }

    /// A replacement for the name `old` of type `k`: a synthetic name for a Chinese person
    /// name, else a training name of the same type drawn uniformly from the distinct ones
    /// (so rare names come up as often as frequent ones).
    fn replacement(
        &self,
        old: &[char],
        k: EntityType,
        whole_given: bool,
        d: &mut Draw,
    ) -> Option<String> {
        if k == EntityType::Person && self.opens_with_surname(old) {
            return self.synthetic_person(d, whole_given);
        }
        let pool = &self.surfaces[type_index(k)];
        if pool.is_empty() {
            return None;
        }
        pool.get((d.next() % pool.len() as u64) as usize).cloned()
    }
}

/// The surnames of the tagger's cue lexicon (`data/models/ner-cues.tsv`), for
/// [`replace_mentions`].
pub fn lexicon_surnames() -> Vec<&'static str> {
    super::features::surnames()
}

/// Copies of training sentences whose names of the chosen types are replaced by other
/// names of the same type (mention replacement, Dai & Adel 2020): synthetic Chinese person
/// names (a cue-lexicon surname and given-name characters drawn from the training names),
/// other training names for the rest. The copies are jieba-segmented afresh like any
/// sentence ([`sequences`]), so a new name gets the segmentation it would get at run time,
/// and the model sees the same contexts with names it cannot have memorised.
/// Deterministic for a given seed.
pub fn replace_mentions(
    sents: &[GoldSentence],
    surnames: &[&str],
    swap: MentionSwap,
) -> Vec<GoldSentence> {
    let pools = NamePools::new(sents, surnames);
    let mut d = Draw(swap.seed);
    let mut out = Vec::new();
    for g in sents {
        let chosen = |k: EntityType| swap.types[type_index(k)];
        if !g.spans.iter().any(|&(_, _, k)| chosen(k)) || d.unit() >= swap.rate {
            continue;
        }
        let chars: Vec<char> = g.text.chars().collect();
        let mut spans = g.spans.clone();
        spans.sort_unstable_by_key(|&(s, e, _)| (s, e));
        let mut text = String::with_capacity(g.text.len() + 16);
        let mut new_spans = Vec::with_capacity(spans.len());
        let (mut at, mut len) = (0usize, 0usize);
        for (s, e, k) in spans {
            if s < at || e > chars.len() || s >= e {
                continue; // overlapping or out of range: left as it is in the text
            }
            text.extend(&chars[at..s]);
            len += s - at;
            let old = &chars[s..e];
            let name = if chosen(k) {
                pools.replacement(old, k, swap.whole_given, &mut d)
            } else {
                None
            }
            .unwrap_or_else(|| old.iter().collect());
            let n = name.chars().count();
            text.push_str(&name);
            new_spans.push((len, len + n, k));
            len += n;
            at = e;
        }
        text.extend(&chars[at.min(chars.len())..]);
        out.push(GoldSentence {
            id: format!("{}#swap", g.id),
            text,
            spans: new_spans,
        });
    }
    out
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

    /// Mention replacement keeps the sentence around the names, moves the spans with the
    /// new lengths, gives Chinese person names a listed surname, draws other names from the
    /// same type, and does the same for the same seed.
    #[test]
    fn mention_replacement_moves_spans_and_is_deterministic() {
        let sents = vec![
            GoldSentence {
                id: "a".into(),
                text: "李鹏在北京会见克林顿".into(),
                spans: vec![
                    (0, 2, EntityType::Person),
                    (3, 5, EntityType::Loc),
                    (7, 10, EntityType::Person),
                ],
            },
            GoldSentence {
                id: "b".into(),
                text: "王小明到了上海市,见到叶利钦".into(),
                spans: vec![
                    (0, 3, EntityType::Person),
                    (5, 8, EntityType::Loc),
                    (11, 14, EntityType::Person),
                ],
            },
            GoldSentence {
                id: "c".into(),
                text: "今天下雨".into(),
                spans: vec![],
            },
        ];
        let swap = MentionSwap {
            rate: 1.0,
            types: [true, false, true],
            seed: 3,
            whole_given: false,
        };
        let out = replace_mentions(&sents, &["李", "王"], swap);
        assert_eq!(out.len(), 2, "only sentences with names get a copy");
        assert_eq!(out, replace_mentions(&sents, &["李", "王"], swap));
        for (copy, orig) in out.iter().zip(&sents) {
            assert_eq!(copy.spans.len(), orig.spans.len());
            let chars: Vec<char> = copy.text.chars().collect();
            let name = |k: usize| -> String {
                let (s, e, _) = copy.spans[k];
                chars[s..e].iter().collect()
            };
            assert!(name(0).starts_with('李') || name(0).starts_with('王'), "{}", copy.text);
            assert!(["北京", "上海市"].contains(&name(1).as_str()), "{}", copy.text);
            assert!(["克林顿", "叶利钦"].contains(&name(2).as_str()), "{}", copy.text);
            // The text between the names is kept.
            let (_, e0, _) = copy.spans[0];
            let (s1, _, _) = copy.spans[1];
            let (_, oe0, _) = orig.spans[0];
            let (os1, _, _) = orig.spans[1];
            let between: String = chars[e0..s1].iter().collect();
            let orig_between: String = orig.text.chars().skip(oe0).take(os1 - oe0).collect();
            assert_eq!(between, orig_between);
        }
        let whole = MentionSwap {
            whole_given: true,
            ..swap
        };
        for copy in replace_mentions(&sents, &["李", "王"], whole) {
            let (s, e, _) = copy.spans[0];
            let name: String = copy.text.chars().skip(s).take(e - s).collect();
            let given: String = name.chars().skip(1).collect();
            assert!(["鹏", "小明"].contains(&given.as_str()), "{name}");
        }
        let none = MentionSwap { rate: 0.0, ..swap };
        assert!(replace_mentions(&sents, &["李"], none).is_empty());
    }
}
