//! One entity per referent per document: groups arbitrated mentions into entities, picks
//! the canonical name and `name_en`, settles the type, and numbers entities `E1`, `E2`, …
//! in order of first mention.
//!
//! Mentions of one gazetteer referent are one entity whatever alias they use (谷歌 and
//! Google); other mentions group by surface form (the normalised text is Simplified, so
//! Traditional and Simplified spellings already agree). Short forms then join a longer name
//! of the document: `Ling` and `Eugene` join `Eugene Ling`, `Wrather` joins `Wrather Corp`,
//! 马斯克 joins 埃隆·马斯克, 阿里巴巴 joins 阿里巴巴集团, `Meta系` is `Meta`. A short form takes
//! the type of the name it joins; a group's type is the score-weighted vote of its own
//! mentions.
//!
//! Every step is linear in the number of mentions: a short form looks up the few longer
//! names it can abbreviate in indexes keyed by words and name parts ([`LongFormIndex`]),
//! never by comparing all pairs of names (a directory of 8,000 names would take seconds).

use std::collections::HashMap;

use super::cues::cues;
use super::filters;
use super::gazetteer::gazetteer;
use crate::document::{Entity, EntityType, Mention};
use crate::normalize::script::is_han;
use crate::recognize::{MentionCandidate, MentionSource};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key<'t> {
    Listed(usize),
    Surface(&'t str),
}

#[derive(Debug)]
struct Group<'t> {
    key: Key<'t>,
    /// The longest surface form of the group's own mentions.
    form: &'t str,
    own: Vec<usize>,
    kind: EntityType,
}

fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// `Meta系`, `OpenAI方`: a Latin name with a Chinese affiliation suffix is the name itself.
fn strip_affiliation(surface: &str) -> &str {
    for suffix in ["系", "方"] {
        if let Some(head) = surface.strip_suffix(suffix) {
            if !head.is_empty() && !has_han(head) {
                return head;
            }
        }
    }
    surface
}

fn latin_words(s: &str) -> Vec<&str> {
    s.split([' ']).filter(|w| !w.is_empty()).collect()
}

/// True when `short` is a short form of `long`, a name of type `kind`.
#[cfg(test)]
fn is_short_form(short: &str, long: &str, kind: EntityType) -> bool {
    is_short_form_of(&Form::new(short), &Form::new(long), kind)
}

/// A group's name as short-form matching sees it: the text, whether it has Han
/// characters, and (for a Latin name) its words, split once per group, not once per pair.
#[derive(Debug)]
struct Form<'t> {
    text: &'t str,
    han: bool,
    words: Vec<&'t str>,
}

impl<'t> Form<'t> {
    fn new(text: &'t str) -> Self {
        let han = has_han(text);
        Form {
            text,
            han,
            words: if han { Vec::new() } else { latin_words(text) },
        }
    }
}

/// True when `short` is a short form of `long`, a name of type `kind`.
fn is_short_form_of(short: &Form, long: &Form, kind: EntityType) -> bool {
    let (short_text, long_text) = (short.text, long.text);
    if short_text.len() >= long_text.len() {
        return false;
    }
    if !short.han && !long.han {
        let (s, l) = (&short.words, &long.words);
        if s.is_empty() || s.len() >= l.len() {
            return false;
        }
        // A headline in capitals (`PITTSTON`) abbreviates like any other mention.
        let same = |a: Option<&&str>, b: Option<&&str>| {
            a.zip(b).is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        };
        return match kind {
            EntityType::Person => {
                s.len() == 1 && (same(l.first(), s.first()) || same(l.last(), s.first()))
            }
            EntityType::Org => {
                let suffixes = &cues().org_suffix;
                // The name without its suffixes and any `(Pacific)` part.
                let core = l
                    .iter()
                    .position(|w| w.starts_with('('))
                    .unwrap_or_else(|| {
                        l.iter()
                            .rposition(|w| !suffixes.contains(w))
                            .map_or(0, |i| i + 1)
                    });
                let prefix = s.iter().zip(l).all(|(a, b)| a.eq_ignore_ascii_case(b));
                // The first words of the name (Brooklyn Union for Brooklyn Union Gas Co),
                // not ending on a connector (Bank of) or a suffix.
                let leading_words = s.len() >= 2
                    && s.len() < core
                    && s.last().is_some_and(|w| {
                        !cues().connector.contains(w) && !suffixes.contains(w) && w.len() >= 2
                    });
                prefix
                    && (s.len() == core
                        || leading_words
                        || (s.len() == 1 && s[0].len() >= 3 && !suffixes.contains(s[0])))
            }
            EntityType::Loc => false,
        };
    }
    if short.han && long.han {
        // 埃隆·马斯克 -> 马斯克 / 埃隆.
        if long_text.contains('·') {
            return long_text.rsplit('·').next() == Some(short_text)
                || long_text.split('·').next() == Some(short_text);
        }
        // 阿里巴巴集团 -> 阿里巴巴.
        if kind == EntityType::Org {
            if let Some(rest) = long_text.strip_prefix(short_text) {
                return short_text.chars().count() >= 2 && cues().org_suffix_zh.contains(&rest);
            }
        }
    }
    false
}

/// The most words of a Latin name indexed as a prefix: a short form of more words than
/// this is not looked for (no real short form is that long, and indexing every prefix of
/// a run-on "name" would be quadratic in its length).
const MAX_PREFIX_WORDS: usize = 12;

/// Where the longer names a short form may abbreviate are found, keyed so that a short
/// form finds every name [`is_short_form_of`] or [`is_shouted`] could accept it for:
/// Latin names under each of their leading word sequences (lower case) and their last
/// word, Chinese names under the parts around `·` and their stem before an organisation
/// suffix (阿里巴巴 for 阿里巴巴集团), every name under its lower-case text.
#[derive(Default)]
struct LongFormIndex {
    keys: HashMap<String, Vec<usize>>,
}

impl LongFormIndex {
    fn new(forms: &[Form], kinds: &[EntityType]) -> Self {
        let mut index = LongFormIndex::default();
        for (g, (form, &kind)) in forms.iter().zip(kinds).enumerate() {
            index.add(format!("={}", form.text.to_ascii_lowercase()), g);
            if form.han {
                if form.text.contains('·') {
                    for part in [form.text.split('·').next(), form.text.rsplit('·').next()]
                        .into_iter()
                        .flatten()
                    {
                        index.add(format!("·{part}"), g);
                    }
                } else if kind == EntityType::Org {
                    for suffix in &cues().org_suffix_zh {
                        if let Some(stem) = form.text.strip_suffix(suffix) {
                            index.add(format!("·{stem}"), g);
                        }
                    }
                }
            } else {
                let n = form.words.len().saturating_sub(1).min(MAX_PREFIX_WORDS);
                let mut key = String::from("^");
                for (k, w) in form.words.iter().take(n).enumerate() {
                    if k > 0 {
                        key.push(' ');
                    }
                    key.push_str(&w.to_ascii_lowercase());
                    index.add(key.clone(), g);
                }
                if let Some(last) = form.words.last().filter(|_| form.words.len() >= 2) {
                    index.add(format!("${}", last.to_ascii_lowercase()), g);
                }
            }
        }
        index
    }

    fn add(&mut self, key: String, g: usize) {
        let list = self.keys.entry(key).or_default();
        if list.last() != Some(&g) {
            list.push(g);
        }
    }

    /// Every group `short` could be a short form (or the shouted form) of; a superset.
    fn candidates<'a>(&'a self, short: &Form) -> impl Iterator<Item = usize> + 'a {
        let mut keys = vec![format!("={}", short.text.to_ascii_lowercase())];
        if short.han {
            keys.push(format!("·{}", short.text));
        } else if !short.words.is_empty() {
            let lower: Vec<String> = short.words.iter().map(|w| w.to_ascii_lowercase()).collect();
            keys.push(format!("^{}", lower.join(" ")));
            if let [word] = lower.as_slice() {
                keys.push(format!("${word}"));
            }
        }
        keys.into_iter()
            .filter_map(|k| self.keys.get(&k))
            .flat_map(|list| list.iter().copied())
    }
}

/// The root of `g`'s tree, halving the path on the way (so chains stay short).
fn find_root(parent: &mut [usize], mut g: usize) -> usize {
    while parent[g] != g {
        parent[g] = parent[parent[g]];
        g = parent[g];
    }
    g
}

/// `HONG KONG` in a headline is `Hong Kong`.
fn is_shouted(caps: &str, other: &str) -> bool {
    caps != other
        && caps.eq_ignore_ascii_case(other)
        && !caps.bytes().any(|b| b.is_ascii_lowercase())
}

fn vote(mentions: &[MentionCandidate], own: &[usize], listed: Option<EntityType>) -> EntityType {
    let mut w = [0f32; 3];
    let slot = |k: EntityType| match k {
        EntityType::Person => 0,
        EntityType::Org => 1,
        EntityType::Loc => 2,
    };
    for &i in own {
        if let Some(m) = mentions.get(i) {
            // The table knows what a listed name is; the tagger and rules vote by score.
            let weight = if m.source == MentionSource::Gazetteer {
                m.score * 1.5
            } else {
                m.score
            };
            w[slot(m.kind)] += weight;
        }
    }
    // The table's type is a prior: a confident tagger reading in context can overrule it
    // (`Washington` the person), a hesitant one cannot.
    if let Some(k) = listed {
        w[slot(k)] += 0.6;
    }
    let best = (0..3).fold(0, |b, i| if w[i] > w[b] { i } else { b });
    [EntityType::Person, EntityType::Org, EntityType::Loc][best]
}

/// Groups `mentions` (arbitrated, in the normalised `text`) into entities.
pub(crate) fn resolve(text: &str, mentions: &[MentionCandidate]) -> Vec<Entity> {
    let gaz = gazetteer();
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        let Some(surface) = text.get(m.nspan.0..m.nspan.1) else {
            continue;
        };
        if filters::reject(surface) {
            continue;
        }
        let base = strip_affiliation(surface);
        let key = match gaz.lookup(base) {
            Some((id, _)) => Key::Listed(id),
            None => Key::Surface(base),
        };
        let g = *index.entry(key.clone()).or_insert_with(|| {
            groups.push(Group {
                key,
                form: base,
                own: Vec::new(),
                kind: m.kind,
            });
            groups.len() - 1
        });
        let group = &mut groups[g];
        if base.chars().count() > group.form.chars().count() {
            group.form = base;
        }
        group.own.push(i);
    }
    for g in &mut groups {
        let listed = match g.key {
            Key::Listed(id) => gaz.entries.get(id).map(|e| e.kind),
            Key::Surface(_) => None,
        };
        g.kind = vote(mentions, &g.own, listed);
    }

    // Short forms join the longer name they abbreviate (the most mentioned one, if several).
    let mut parent: Vec<usize> = (0..groups.len()).collect();
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].form.len()));
    let forms: Vec<Form> = groups.iter().map(|g| Form::new(g.form)).collect();
    let kinds: Vec<EntityType> = groups.iter().map(|g| g.kind).collect();
    let long_forms = LongFormIndex::new(&forms, &kinds);
    for &s in &order {
        if matches!(groups[s].key, Key::Listed(_)) {
            continue;
        }
        let best = long_forms
            .candidates(&forms[s])
            .filter(|&l| {
                l != s
                    && parent[l] == l
                    && (is_short_form_of(&forms[s], &forms[l], groups[l].kind)
                        || is_shouted(groups[s].form, groups[l].form))
            })
            .max_by_key(|&l| (groups[l].own.len(), std::cmp::Reverse(l)));
        if let Some(l) = best {
            parent[s] = l;
        }
    }
    // A Latin gloss in brackets names what the Chinese name before it names:
    // 德米特·列维特(DmitryLevit). The listed side, else the Chinese side, is the root.
    let mut group_of: Vec<Option<usize>> = vec![None; mentions.len()];
    for (g, group) in groups.iter().enumerate() {
        for &i in &group.own {
            group_of[i] = Some(g);
        }
    }
    for i in 1..mentions.len() {
        let (a, b) = (&mentions[i - 1], &mentions[i]);
        let (Some(ga), Some(gb)) = (group_of[i - 1], group_of[i]) else {
            continue;
        };
        let glossed = text.get(a.nspan.1..b.nspan.0) == Some("(")
            && text.get(b.nspan.1..).is_some_and(|r| r.starts_with(')'));
        let (ra, rb) = (find_root(&mut parent, ga), find_root(&mut parent, gb));
        if !glossed || ra == rb || has_han(groups[ra].form) == has_han(groups[rb].form) {
            continue;
        }
        let (keep, join) = match (&groups[ra].key, &groups[rb].key) {
            (Key::Surface(_), Key::Listed(_)) => (rb, ra),
            (Key::Listed(_), Key::Listed(_)) => continue,
            _ => (ra, rb),
        };
        parent[join] = keep;
    }
    let roots: Vec<usize> = (0..groups.len())
        .map(|g| find_root(&mut parent, g))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    // The groups joined to each root (for the gloss of a Chinese name).
    let mut joined: Vec<Vec<usize>> = vec![Vec::new(); groups.len()];
    for (g, group) in groups.iter().enumerate() {
        members[roots[g]].extend(group.own.iter().copied());
        if roots[g] != g {
            joined[roots[g]].push(g);
        }
    }

    let mut entities: Vec<(usize, Entity)> = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        if roots[g] != g || members[g].is_empty() {
            continue;
        }
        let mut spans: Vec<_> = members[g]
            .iter()
            .filter_map(|&i| mentions.get(i))
            .map(|m| m.nspan)
            .collect();
        spans.sort();
        spans.dedup();
        let (name, name_en) = match group.key {
            Key::Listed(id) => {
                let e = &gaz.entries[id];
                let any_han = members[g].iter().any(|&i| {
                    mentions
                        .get(i)
                        .and_then(|m| text.get(m.nspan.0..m.nspan.1))
                        .is_some_and(has_han)
                });
                let name = if any_han || !has_han(&e.name) {
                    e.name.clone()
                } else {
                    e.name_en.clone().unwrap_or_else(|| group.form.to_string())
                };
                (name, e.name_en.clone())
            }
            Key::Surface(_) => {
                let name = group.form.to_string();
                let en = if has_han(&name) {
                    // The longest Latin form among the groups joined to this one (a gloss).
                    joined[g]
                        .iter()
                        .copied()
                        .filter(|&o| !has_han(groups[o].form))
                        .map(|o| groups[o].form)
                        .max_by_key(|f| f.len())
                        .map(str::to_string)
                } else {
                    Some(name.clone())
                };
                (name, en)
            }
        };
        let first = spans.first().map_or(0, |s| s.0);
        let mentions = spans.into_iter().map(Mention::at).collect();
        entities.push((
            first,
            Entity {
                id: String::new(),
                kind: group.kind,
                name,
                name_en,
                mentions,
            },
        ));
    }
    entities.sort_by_key(|(first, _)| *first);
    entities
        .into_iter()
        .enumerate()
        .map(|(i, (_, mut e))| {
            e.id = format!("E{}", i + 1);
            e
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(
        text: &str,
        needle: &str,
        nth: usize,
        kind: EntityType,
        score: f32,
        source: MentionSource,
    ) -> MentionCandidate {
        let s = text.match_indices(needle).nth(nth).map(|(i, _)| i).unwrap();
        MentionCandidate {
            nspan: (s, s + needle.len()),
            kind,
            score,
            source,
        }
    }

    #[test]
    fn short_forms_join_the_full_name() {
        let t = "负责人Eugene Ling加入Vexa。Ling说,Eugene会留下。Vexa Labs否认。";
        let ms = vec![
            cand(
                t,
                "Eugene Ling",
                0,
                EntityType::Person,
                0.85,
                MentionSource::Rule,
            ),
            cand(t, "Vexa", 0, EntityType::Org, 0.45, MentionSource::Rule),
            cand(t, "Ling", 1, EntityType::Org, 0.45, MentionSource::Rule),
            cand(t, "Eugene", 1, EntityType::Org, 0.45, MentionSource::Rule),
            cand(t, "Vexa Labs", 0, EntityType::Org, 0.9, MentionSource::Rule),
        ];
        let es = resolve(t, &ms);
        assert_eq!(es.len(), 2, "{es:?}");
        assert_eq!(
            (es[0].id.as_str(), es[0].name.as_str(), es[0].kind),
            ("E1", "Eugene Ling", EntityType::Person)
        );
        assert_eq!(es[0].mentions.len(), 3);
        assert_eq!(
            (es[1].name.as_str(), es[1].mentions.len()),
            ("Vexa Labs", 2)
        );
        assert_eq!(es[1].name_en.as_deref(), Some("Vexa Labs"));
        assert!(is_short_form(
            "Industrial Equity",
            "Industrial Equity (Pacific) Ltd",
            EntityType::Org
        ));
        assert!(!is_short_form(
            "Ltd",
            "Industrial Equity (Pacific) Ltd",
            EntityType::Org
        ));
        assert!(is_short_form("PITTSTON", "Pittston Co", EntityType::Org));
        // The leading words of a longer name, in any case; not ending on a connector.
        assert!(is_short_form(
            "Brooklyn Union",
            "Brooklyn Union Gas Co",
            EntityType::Org
        ));
        assert!(is_short_form(
            "BROOKLYN UNION",
            "Brooklyn Union Gas Co",
            EntityType::Org
        ));
        assert!(!is_short_form(
            "Bank of",
            "Bank of New England Corp",
            EntityType::Org
        ));
        assert!(!is_short_form(
            "Union Gas",
            "Brooklyn Union Gas Co",
            EntityType::Org
        ));
        assert!(is_shouted("HONG KONG", "Hong Kong") && !is_shouted("Hong Kong", "HONG KONG"));
    }

    #[test]
    fn aliases_of_one_referent_are_one_entity() {
        let t = "谷歌与微软竞争,Google和Meta系公司,Meta称。";
        let ms = vec![
            cand(t, "谷歌", 0, EntityType::Org, 0.9, MentionSource::Gazetteer),
            cand(t, "微软", 0, EntityType::Org, 0.9, MentionSource::Gazetteer),
            cand(
                t,
                "Google",
                0,
                EntityType::Org,
                0.9,
                MentionSource::Gazetteer,
            ),
            cand(t, "Meta系", 0, EntityType::Org, 0.7, MentionSource::Tagger),
            cand(t, "Meta", 1, EntityType::Org, 0.9, MentionSource::Gazetteer),
        ];
        let es = resolve(t, &ms);
        assert_eq!(es.len(), 3, "{es:?}");
        assert_eq!(
            (
                es[0].name.as_str(),
                es[0].name_en.as_deref(),
                es[0].mentions.len()
            ),
            ("谷歌", Some("Google"), 2)
        );
        assert_eq!(
            (es[1].name.as_str(), es[1].name_en.as_deref()),
            ("微软", Some("Microsoft"))
        );
        assert_eq!((es[2].name.as_str(), es[2].mentions.len()), ("Meta", 2));
    }

    #[test]
    fn english_only_mentions_get_the_english_name() {
        let t = "Google said Musk met Elon Musk.";
        let ms = vec![
            cand(
                t,
                "Google",
                0,
                EntityType::Org,
                0.9,
                MentionSource::Gazetteer,
            ),
            cand(
                t,
                "Musk",
                0,
                EntityType::Person,
                0.9,
                MentionSource::Gazetteer,
            ),
            cand(
                t,
                "Elon Musk",
                0,
                EntityType::Person,
                0.9,
                MentionSource::Gazetteer,
            ),
        ];
        let es = resolve(t, &ms);
        assert_eq!(es.len(), 2);
        assert_eq!(es[0].name, "Google");
        assert_eq!(
            (
                es[1].name.as_str(),
                es[1].name_en.as_deref(),
                es[1].mentions.len()
            ),
            ("Elon Musk", Some("Elon Musk"), 2)
        );
    }

    #[test]
    fn chinese_short_forms_and_type_votes() {
        let t = "埃德蒙·雷诺兹说,雷诺兹集团和雷诺兹都在。华腾集团称华腾会赢。";
        let ms = vec![
            cand(
                t,
                "埃德蒙·雷诺兹",
                0,
                EntityType::Person,
                0.8,
                MentionSource::Rule,
            ),
            cand(
                t,
                "华腾集团",
                0,
                EntityType::Org,
                0.9,
                MentionSource::Tagger,
            ),
            cand(t, "华腾", 1, EntityType::Loc, 0.6, MentionSource::Tagger),
        ];
        let es = resolve(t, &ms);
        assert_eq!(es.len(), 2, "{es:?}");
        assert_eq!(
            (es[1].name.as_str(), es[1].kind, es[1].mentions.len()),
            ("华腾集团", EntityType::Org, 2)
        );
        assert_eq!(es[0].name_en, None);
    }

    #[test]
    fn a_latin_gloss_joins_the_chinese_name() {
        let t = "合伙人德米特·列维特(DmitryLevit)说,列维特很忙。";
        let ms = vec![
            cand(
                t,
                "德米特·列维特",
                0,
                EntityType::Person,
                0.8,
                MentionSource::Rule,
            ),
            cand(
                t,
                "DmitryLevit",
                0,
                EntityType::Person,
                0.8,
                MentionSource::Rule,
            ),
            cand(
                t,
                "列维特",
                1,
                EntityType::Person,
                0.6,
                MentionSource::Tagger,
            ),
        ];
        let es = resolve(t, &ms);
        assert_eq!(es.len(), 1, "{es:?}");
        assert_eq!(
            (
                es[0].name.as_str(),
                es[0].name_en.as_deref(),
                es[0].mentions.len()
            ),
            ("德米特·列维特", Some("DmitryLevit"), 3)
        );
    }

    #[test]
    fn the_listed_type_is_a_prior() {
        let t = "Washington said so.";
        let m = |score| {
            vec![cand(
                t,
                "Washington",
                0,
                EntityType::Person,
                score,
                MentionSource::Tagger,
            )]
        };
        assert_eq!(resolve(t, &m(0.9))[0].kind, EntityType::Person);
        assert_eq!(resolve(t, &m(0.4))[0].kind, EntityType::Loc);
    }

    #[test]
    fn junk_mentions_are_dropped() {
        let t = "数(shù)据和CEO";
        let ms = vec![
            cand(t, "数(shù)", 0, EntityType::Org, 0.9, MentionSource::Tagger),
            cand(t, "CEO", 0, EntityType::Org, 0.9, MentionSource::Tagger),
        ];
        assert!(resolve(t, &ms).is_empty());
    }
}
