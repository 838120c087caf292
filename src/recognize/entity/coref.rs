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

use rustc_hash::FxHashMap as HashMap;

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
    /// A place standing for its team ([`super::teams`]): the team is another referent
    /// than the country or province of the same name in the same document.
    Team(&'t str),
}

#[derive(Debug)]
struct Group<'t> {
    key: Key<'t>,
    /// The longest surface form of the group's own mentions.
    form: &'t str,
    /// How many mentions are the group's own.
    own: usize,
    /// The type votes of its own mentions (see [`Votes`]).
    votes: Votes,
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
            index.add(index_key('=', form.text, true), g);
            if form.han {
                if form.text.contains('·') {
                    for part in [form.text.split('·').next(), form.text.rsplit('·').next()]
                        .into_iter()
                        .flatten()
                    {
                        index.add(index_key('·', part, false), g);
                    }
                } else if kind == EntityType::Org {
                    for suffix in &cues().org_suffix_zh {
                        if let Some(stem) = form.text.strip_suffix(suffix) {
                            index.add(index_key('·', stem, false), g);
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
                    let from = key.len();
                    key.push_str(w);
                    key[from..].make_ascii_lowercase();
                    index.add(key.clone(), g);
                }
                if let Some(last) = form.words.last().filter(|_| form.words.len() >= 2) {
                    index.add(index_key('$', last, true), g);
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
        let mut keys = vec![index_key('=', short.text, true)];
        if short.han {
            keys.push(index_key('·', short.text, false));
        } else if !short.words.is_empty() {
            keys.push(index_key('^', &short.words.join(" "), true));
            if let [word] = short.words.as_slice() {
                keys.push(index_key('$', word, true));
            }
        }
        keys.into_iter()
            .filter_map(|k| self.keys.get(&k))
            .flat_map(|list| list.iter().copied())
    }
}

/// A key of [`LongFormIndex`]: `kind` (`=` whole name, `·` Chinese part or stem, `^`
/// leading words, `$` last word) and `text`, ASCII-lowercased when `lower`. Built by
/// hand: a `format!` per key was a third of coreference on a long article.
fn index_key(kind: char, text: &str, lower: bool) -> String {
    let mut key = String::with_capacity(kind.len_utf8() + text.len());
    key.push(kind);
    key.push_str(text);
    if lower {
        key.make_ascii_lowercase();
    }
    key
}

/// `E` and the number `n`: an entity's id (by hand, not through `format!`).
fn entity_id(n: usize) -> String {
    let mut buf = [0u8; 39];
    let digits = crate::num::decimal_digits(n as u128, &mut buf);
    let mut id = String::with_capacity(1 + digits.len());
    id.push('E');
    id.extend(digits.iter().map(|&d| char::from(d)));
    id
}

/// Most mentions in a document whose groups are found by scanning the groups so far
/// rather than through a hash map.
const SCANNED_GROUPS: usize = 16;

/// Most groups in a document for which short forms are matched pair by pair instead of
/// through a [`LongFormIndex`]: a one-line document has a handful, and the index's keys are
/// strings built for every name.
const PAIRWISE_GROUPS: usize = 16;

/// The union-find parents after every short form (a group of its own surface, longest
/// first) joined the longer name it abbreviates, the most mentioned one if several. The
/// candidates come from a [`LongFormIndex`] when `use_index`, else from every group;
/// both find the same.
#[cfg(test)]
fn join_short_forms(groups: &[Group], use_index: bool) -> Vec<usize> {
    let mut parent = Vec::new();
    let (mut order, mut forms) = (Vec::new(), Vec::new());
    join_short_forms_into(groups, use_index, &mut parent, &mut order, &mut forms);
    parent
}

/// [`join_short_forms`] into `parent`, with `order` and `forms` as its working space:
/// buffers of the thread's [`Scratch`], reused from one document to the next (whatever
/// they held is cleared first).
fn join_short_forms_into<'t>(
    groups: &[Group<'t>],
    use_index: bool,
    parent: &mut Vec<usize>,
    order: &mut Vec<usize>,
    forms: &mut Vec<Form<'t>>,
) {
    parent.clear();
    parent.extend(0..groups.len());
    if groups.len() < 2 {
        return;
    }
    order.clear();
    order.extend(0..groups.len());
    order.sort_by_key(|&g| std::cmp::Reverse(groups[g].form.len()));
    forms.clear();
    forms.extend(groups.iter().map(|g| Form::new(g.form)));
    let forms = &forms[..];
    let index = use_index.then(|| {
        let kinds: Vec<EntityType> = groups.iter().map(|g| g.kind).collect();
        LongFormIndex::new(forms, &kinds)
    });
    for &s in order.iter() {
        if matches!(groups[s].key, Key::Listed(_) | Key::Team(_)) {
            continue;
        }
        let joins = |l: usize| {
            l != s
                && parent[l] == l
                && (is_short_form_of(&forms[s], &forms[l], groups[l].kind)
                    || is_shouted(groups[s].form, groups[l].form))
        };
        let by_mentions = |&l: &usize| (groups[l].own, std::cmp::Reverse(l));
        let best = match &index {
            Some(index) => index
                .candidates(&forms[s])
                .filter(|&l| joins(l))
                .max_by_key(by_mentions),
            None => (0..groups.len())
                .filter(|&l| indexed_pair(&forms[s], &forms[l]) && joins(l))
                .max_by_key(by_mentions),
        };
        if let Some(l) = best {
            parent[s] = l;
        }
    }
}

/// Whether [`LongFormIndex::candidates`] offers `long` for `short` whenever
/// [`is_short_form_of`] or [`is_shouted`] would accept the pair. It does, except for a Latin
/// short form of more words than [`MAX_PREFIX_WORDS`] (the index keeps no longer leading
/// word sequence): that one is found only as the shouted form, which has its long name's
/// length. Matching pair by pair under this check finds what the index finds.
fn indexed_pair(short: &Form, long: &Form) -> bool {
    short.han
        || long.han
        || short.words.len() <= MAX_PREFIX_WORDS
        || short.text.len() == long.text.len()
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

/// A group's type votes, summed mention by mention in document order: each mention
/// votes for its type with its score.
#[derive(Debug, Default, Clone, Copy)]
struct Votes([f32; 3]);

impl Votes {
    fn slot(k: EntityType) -> usize {
        match k {
            EntityType::Person => 0,
            EntityType::Org => 1,
            EntityType::Loc => 2,
        }
    }

    fn add(&mut self, m: &MentionCandidate) {
        // The table knows what a listed name is; the tagger and rules vote by score.
        let weight = if m.source == MentionSource::Gazetteer {
            m.score * 1.5
        } else {
            m.score
        };
        self.0[Self::slot(m.kind)] += weight;
    }

    /// The type with the most weight, with `listed` (the table's type) as a prior.
    fn winner(self, listed: Option<EntityType>) -> EntityType {
        let mut w = self.0;
        // The table's type is a prior: a confident tagger reading in context can overrule
        // it (`Washington` the person), a hesitant one cannot.
        if let Some(k) = listed {
            w[Self::slot(k)] += 0.6;
        }
        let best = (0..3).fold(0, |b, i| if w[i] > w[b] { i } else { b });
        [EntityType::Person, EntityType::Org, EntityType::Loc][best]
    }
}

/// The working buffers of [`resolve`], kept on the thread from one document to the next:
/// one-line documents are many, and a handful of short vectors a document were most of
/// coreference's allocations. They hold nothing between documents (each is cleared before
/// use; the borrowed ones are emptied to be put back), so what a thread did before never
/// changes an answer; one grown past [`SCRATCH_MOST`] elements is dropped, not kept.
#[derive(Default)]
struct Scratch {
    groups: Vec<Group<'static>>,
    forms: Vec<Form<'static>>,
    group_of: Vec<Option<usize>>,
    parent: Vec<usize>,
    order: Vec<usize>,
    placed: Vec<(usize, (usize, usize))>,
}

/// The most elements a [`Scratch`] buffer keeps between documents.
const SCRATCH_MOST: usize = 4096;

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

/// `v` emptied and retyped: a vector of borrowing elements (`Group<'t>`) lent for another
/// lifetime. Collecting the empty iterator in place keeps the allocation (the elements are
/// the same type but for the lifetime); were it not kept, this would merely allocate anew.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// `v` if it is small enough to keep between documents, else an empty vector.
fn bounded<T>(v: Vec<T>) -> Vec<T> {
    if v.capacity() <= SCRATCH_MOST {
        v
    } else {
        Vec::new()
    }
}

/// Groups `mentions` (arbitrated, in the normalised `text`) into entities. `teams` (sorted
/// indices into `mentions`) are places that stand for their teams: they group apart from
/// the place of the same name (`法国、德国和英国队` and `法国总统` are two referents).
///
/// Called once per document, so it allocates per document, not per group: one-line
/// documents are many and have one or two names each.
pub(crate) fn resolve(text: &str, mentions: &[MentionCandidate], teams: &[usize]) -> Vec<Entity> {
    if mentions.is_empty() {
        return Vec::new();
    }
    let mut scratch = SCRATCH.with(|s| s.take()).unwrap_or_default();
    let entities = resolve_with(text, mentions, teams, &mut scratch);
    SCRATCH.with(|s| s.set(Some(scratch)));
    entities
}

/// [`resolve`] with the thread's working buffers.
fn resolve_with(
    text: &str,
    mentions: &[MentionCandidate],
    teams: &[usize],
    scratch: &mut Scratch,
) -> Vec<Entity> {
    let gaz = gazetteer();
    let mut groups: Vec<Group> = recycle(std::mem::take(&mut scratch.groups));
    groups.reserve(mentions.len());
    // The group of every mention (none for rejected junk).
    let mut group_of = std::mem::take(&mut scratch.group_of);
    group_of.clear();
    group_of.resize(mentions.len(), None);
    // Groups by key: a few are simply scanned, many are hashed.
    let mut index: Option<HashMap<Key, usize>> =
        (mentions.len() > SCANNED_GROUPS).then(|| {
            HashMap::with_capacity_and_hasher(mentions.len(), Default::default())
        });
    for (i, m) in mentions.iter().enumerate() {
        let Some(surface) = text.get(m.nspan.0..m.nspan.1) else {
            continue;
        };
        if filters::reject(surface) {
            continue;
        }
        let base = strip_affiliation(surface);
        let key = if teams.binary_search(&i).is_ok() {
            Key::Team(base)
        } else {
            match gaz.lookup(base) {
                Some((id, _)) => Key::Listed(id),
                None => Key::Surface(base),
            }
        };
        let known = match &index {
            Some(index) => index.get(&key).copied(),
            None => groups.iter().position(|g| g.key == key),
        };
        let g = known.unwrap_or_else(|| {
            if let Some(index) = &mut index {
                index.insert(key.clone(), groups.len());
            }
            groups.push(Group {
                key,
                form: base,
                own: 0,
                votes: Votes::default(),
                kind: m.kind,
            });
            groups.len() - 1
        });
        let group = &mut groups[g];
        // The same form (every mention of a surface key) is no longer: no counting.
        if base != group.form && base.chars().count() > group.form.chars().count() {
            group.form = base;
        }
        group.own += 1;
        group.votes.add(m);
        group_of[i] = Some(g);
    }
    for g in &mut groups {
        let listed = match g.key {
            Key::Listed(id) => gaz.entries.get(id).map(|e| e.kind),
            Key::Surface(_) | Key::Team(_) => None,
        };
        g.kind = g.votes.winner(listed);
    }

    // Short forms join the longer name they abbreviate (the most mentioned one, if several).
    let mut parent = std::mem::take(&mut scratch.parent);
    let mut order = std::mem::take(&mut scratch.order);
    let mut forms: Vec<Form> = recycle(std::mem::take(&mut scratch.forms));
    let use_index = groups.len() > PAIRWISE_GROUPS;
    join_short_forms_into(&groups, use_index, &mut parent, &mut order, &mut forms);
    scratch.order = bounded(order);
    scratch.forms = bounded(recycle(forms));
    // A Latin gloss in brackets names what the Chinese name before it names:
    // 德米特·列维特(DmitryLevit). The listed side, else the Chinese side, is the root.
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
            (Key::Listed(_), Key::Listed(_)) | (Key::Team(_), _) | (_, Key::Team(_)) => continue,
            _ => (ra, rb),
        };
        parent[join] = keep;
    }
    // Every group's root, in place.
    for g in 0..groups.len() {
        parent[g] = find_root(&mut parent, g);
    }
    let roots = parent;
    // The gloss of a Chinese name: the longest Latin form among the groups joined to it
    // (the last of equally long ones).
    let mut gloss: Vec<Option<&str>> = Vec::new();
    for (o, group) in groups.iter().enumerate() {
        let r = roots[o];
        if r == o || has_han(group.form) {
            continue;
        }
        if gloss.is_empty() {
            gloss.resize(groups.len(), None);
        }
        if gloss[r].is_none_or(|f| group.form.len() >= f.len()) {
            gloss[r] = Some(group.form);
        }
    }
    // Every mention's span under its entity's root group, in order of root, then span.
    let mut placed = std::mem::take(&mut scratch.placed);
    placed.clear();
    placed.extend(
        group_of
            .iter()
            .zip(mentions)
            .filter_map(|(g, m)| g.map(|g| (roots[g], m.nspan))),
    );
    placed.sort_unstable();
    placed.dedup();

    let mut entities: Vec<Entity> = Vec::with_capacity(groups.len());
    for members in placed.chunk_by(|a, b| a.0 == b.0) {
        let g = members[0].0;
        let group = &groups[g];
        let (name, name_en) = match group.key {
            Key::Listed(id) => {
                let e = &gaz.entries[id];
                let any_han = members
                    .iter()
                    .any(|&(_, (s, e))| text.get(s..e).is_some_and(has_han));
                let name = if any_han || !has_han(&e.name) {
                    e.name.clone()
                } else {
                    e.name_en.clone().unwrap_or_else(|| group.form.to_string())
                };
                (name, e.name_en.clone())
            }
            // A team is named as written; its English name is its place's (`France`).
            Key::Team(form) => (
                form.to_string(),
                gaz.lookup(form)
                    .and_then(|(id, _)| gaz.entries.get(id))
                    .and_then(|e| e.name_en.clone()),
            ),
            Key::Surface(_) => {
                let name = group.form.to_string();
                let en = if has_han(&name) {
                    gloss.get(g).copied().flatten().map(str::to_string)
                } else {
                    Some(name.clone())
                };
                (name, en)
            }
        };
        entities.push(Entity {
            id: String::new(),
            kind: group.kind,
            name,
            name_en,
            mentions: members.iter().map(|&(_, span)| Mention::at(span)).collect(),
        });
    }
    // In order of first mention (stable: roots in group order otherwise).
    entities.sort_by_key(|e| e.mentions.first().map_or(0, |m| m.nspan.0));
    for (i, e) in entities.iter_mut().enumerate() {
        e.id = entity_id(i + 1);
    }
    scratch.groups = bounded(recycle(groups));
    scratch.group_of = bounded(group_of);
    scratch.parent = bounded(roots);
    scratch.placed = bounded(placed);
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-built keys and ids are what `format!` made of them.
    #[test]
    fn keys_and_ids_as_format_made_them() {
        for n in [1, 9, 10, 99, 100, 12345, usize::MAX] {
            assert_eq!(entity_id(n), format!("E{n}"));
        }
        for t in ["Eugene Ling", "IBM", "阿里巴巴", "Meta系", ""] {
            assert_eq!(index_key('=', t, true), format!("={}", t.to_ascii_lowercase()));
            assert_eq!(index_key('·', t, false), format!("·{t}"));
        }
    }

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

    /// Matching short forms pair by pair (a few names) joins exactly what the index (many
    /// names) joins: on subsets of names with every kind of short form, Latin names longer
    /// than the index's prefixes and their shouted forms, several candidates to choose from.
    #[test]
    fn pairwise_short_forms_join_what_the_index_joins() {
        let long13 = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu";
        let long14 = format!("{long13} Corp");
        let shouted13 = long13.to_ascii_uppercase();
        let pool: Vec<(&str, EntityType)> = vec![
            ("Eugene Ling", EntityType::Person),
            ("Ling", EntityType::Person),
            ("Eugene", EntityType::Org),
            ("Eugene Smith", EntityType::Person),
            ("Brooklyn Union Gas Co", EntityType::Org),
            ("Brooklyn Union", EntityType::Org),
            ("Brooklyn", EntityType::Org),
            ("BROOKLYN UNION", EntityType::Org),
            ("Hong Kong", EntityType::Loc),
            ("HONG KONG", EntityType::Loc),
            ("Pittston Co", EntityType::Org),
            ("PITTSTON", EntityType::Org),
            ("埃隆·马斯克", EntityType::Person),
            ("马斯克", EntityType::Person),
            ("埃隆", EntityType::Person),
            ("阿里巴巴集团", EntityType::Org),
            ("阿里巴巴", EntityType::Org),
            ("阿里巴巴公司", EntityType::Org),
            (long13, EntityType::Org),
            (&long14, EntityType::Org),
            (&shouted13, EntityType::Org),
        ];
        let mut seed = 12345u64;
        for round in 0..400 {
            let groups: Vec<Group> = pool
                .iter()
                .enumerate()
                .filter(|_| {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    round < 4 || !(seed >> 33).is_multiple_of(3)
                })
                .map(|(i, &(form, kind))| Group {
                    key: Key::Surface(form),
                    form,
                    own: 1 + (i * 7 + round) % 3,
                    votes: Votes::default(),
                    kind,
                })
                .collect();
            assert_eq!(
                join_short_forms(&groups, true),
                join_short_forms(&groups, false),
                "{:?}",
                groups.iter().map(|g| g.form).collect::<Vec<_>>()
            );
        }
        // The subsets do join something (the check is not vacuous).
        let all: Vec<Group> = pool
            .iter()
            .map(|&(form, kind)| Group {
                key: Key::Surface(form),
                form,
                own: 1,
                votes: Votes::default(),
                kind,
            })
            .collect();
        let parent = join_short_forms(&all, false);
        assert!(parent.iter().enumerate().filter(|&(g, &p)| g != p).count() >= 8, "{parent:?}");
    }

    /// The thread's reused buffers answer what fresh ones do, document after document, in
    /// any order and with documents of many and of few names between (the buffers are
    /// cleared before use, whatever an earlier document left in them).
    #[test]
    fn reused_buffers_answer_as_fresh_ones() {
        let mut docs: Vec<(String, Vec<MentionCandidate>)> = Vec::new();
        let t = "负责人Eugene Ling加入Vexa。Ling说,Eugene会留下。Vexa Labs否认。".to_string();
        let ms = vec![
            cand(&t, "Eugene Ling", 0, EntityType::Person, 0.85, MentionSource::Rule),
            cand(&t, "Vexa", 0, EntityType::Org, 0.45, MentionSource::Rule),
            cand(&t, "Ling", 1, EntityType::Org, 0.45, MentionSource::Rule),
            cand(&t, "Eugene", 1, EntityType::Org, 0.45, MentionSource::Rule),
            cand(&t, "Vexa Labs", 0, EntityType::Org, 0.9, MentionSource::Rule),
        ];
        docs.push((t, ms));
        let t = "谷歌与Google合作,阿里巴巴集团称阿里巴巴将扩张;马斯克即埃隆·马斯克。".to_string();
        let ms = ["谷歌", "Google", "阿里巴巴集团", "阿里巴巴", "马斯克", "埃隆·马斯克"]
            .iter()
            .map(|n| cand(&t, n, 0, EntityType::Org, 0.8, MentionSource::Tagger))
            .collect();
        docs.push((t, ms));
        let t = "美团".to_string();
        let ms = vec![cand(&t, "美团", 0, EntityType::Org, 0.9, MentionSource::Gazetteer)];
        docs.push((t, ms));
        // Many names (the hashed groups and the index of long forms).
        let mut t = String::new();
        for i in 0..40 {
            t.push_str(&format!("Name{i} Corp said Name{i} grew. "));
        }
        let ms = (0..40)
            .flat_map(|i| {
                let long = format!("Name{i} Corp");
                let short = format!("Name{i} grew");
                let a = t.find(&long).unwrap_or(0);
                let b = t.find(&short).unwrap_or(0);
                [
                    MentionCandidate {
                        nspan: (a, a + long.len()),
                        kind: EntityType::Org,
                        score: 0.9,
                        source: MentionSource::Rule,
                    },
                    MentionCandidate {
                        nspan: (b, b + long.len() - 5),
                        kind: EntityType::Org,
                        score: 0.5,
                        source: MentionSource::Rule,
                    },
                ]
            })
            .collect();
        docs.push((t, ms));
        let show = |es: &[Entity]| format!("{es:?}");
        let fresh: Vec<String> = docs
            .iter()
            .map(|(t, ms)| show(&resolve_with(t, ms, &[], &mut Scratch::default())))
            .collect();
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]] {
            for _ in 0..2 {
                for &d in &order {
                    let (t, ms) = &docs[d];
                    assert_eq!(show(&resolve(t, ms, &[])), fresh[d], "document {d}");
                }
            }
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
        let es = resolve(t, &ms, &[]);
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
        let es = resolve(t, &ms, &[]);
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
        let es = resolve(t, &ms, &[]);
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
        let es = resolve(t, &ms, &[]);
        assert_eq!(es.len(), 2, "{es:?}");
        assert_eq!(
            (es[1].name.as_str(), es[1].kind, es[1].mentions.len()),
            ("华腾集团", EntityType::Org, 2)
        );
        assert_eq!(es[0].name_en, None);
    }

    /// A place standing for its team is another referent than the place: two entities,
    /// however the votes of the place's own mentions fall.
    #[test]
    fn a_team_groups_apart_from_its_place() {
        let t = "法国和德国队。法国总统在法国。";
        let ms = vec![
            cand(t, "法国", 0, EntityType::Org, 0.9, MentionSource::Gazetteer),
            cand(t, "德国队", 0, EntityType::Org, 0.9, MentionSource::Tagger),
            cand(t, "法国", 1, EntityType::Loc, 0.9, MentionSource::Gazetteer),
            cand(t, "法国", 2, EntityType::Loc, 0.9, MentionSource::Gazetteer),
        ];
        let es = resolve(t, &ms, &[0]);
        let summary: Vec<(&str, EntityType, usize)> = es
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.mentions.len()))
            .collect();
        assert_eq!(
            summary,
            [
                ("法国", EntityType::Org, 1),
                ("德国队", EntityType::Org, 1),
                ("法国", EntityType::Loc, 2),
            ]
        );
        assert_eq!(es[0].name_en, es[2].name_en, "the team keeps its place's English name");
        // Without the team mark the three mentions of 法国 are one entity.
        assert_eq!(resolve(t, &ms, &[]).len(), 2);
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
        let es = resolve(t, &ms, &[]);
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
        assert_eq!(resolve(t, &m(0.9), &[])[0].kind, EntityType::Person);
        assert_eq!(resolve(t, &m(0.4), &[])[0].kind, EntityType::Loc);
    }

    #[test]
    fn junk_mentions_are_dropped() {
        let t = "数(shù)据和CEO";
        let ms = vec![
            cand(t, "数(shù)", 0, EntityType::Org, 0.9, MentionSource::Tagger),
            cand(t, "CEO", 0, EntityType::Org, 0.9, MentionSource::Tagger),
        ];
        assert!(resolve(t, &ms, &[]).is_empty());
    }
}
