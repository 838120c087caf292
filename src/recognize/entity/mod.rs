//! Entity recognition: mention candidates from the statistical tagger, the gazetteer,
//! Latin-script name rules and rule cues, and their resolution into one entity per referent.
//!
//! The recogniser collects every source's candidates and settles only what is specific to
//! entities: a gazetteer name strictly inside a longer tagger span (北京 in 北京大学) gives
//! way to the longer span, and to the tagger's type on the very same span, the names
//! the transliteration rule found are marked wherever else they occur, and listed
//! non-entities and junk are dropped. Overlaps between the remaining candidates, and with
//! amounts and dates, are settled by [`crate::arbitrate`]; [`resolve`] then groups the
//! surviving mentions into entities ([`coref`]).

pub(crate) mod abbrev;
pub mod business;
pub(crate) mod company;
pub(crate) mod coref;
pub(crate) mod edges;
pub mod cues;
pub(crate) mod filters;
pub mod gazetteer;
pub mod latin;
pub mod tagger;
pub(crate) mod periodicals;
pub(crate) mod place_org;
pub(crate) mod teams;

use super::{Candidates, Context, MentionCandidate, MentionSource, Recognizer};
use crate::document::{Entity, EntityType};
use crate::normalize::script::is_han;

#[derive(Debug, Default)]
pub struct EntityRecognizer;

/// A document's mentions between the steps of [`EntityRecognizer`]: the tagger's, the
/// gazetteer's and the rules'.
#[derive(Debug, Default)]
pub struct Draft {
    tagged: Vec<MentionCandidate>,
    listed: Vec<MentionCandidate>,
    ruled: Vec<MentionCandidate>,
    /// Where the transliteration characters of the text are, when the business rules'
    /// pass over its characters listed them (see [`business::find_listing_translit`]).
    translit_at: Option<Vec<usize>>,
}

impl EntityRecognizer {
    pub fn new() -> Self {
        EntityRecognizer
    }

    /// The tagger's mentions: the first of the three steps of [`Recognizer::recognize`]
    /// ([`EntityRecognizer::tag`], [`EntityRecognizer::find_by_rules`],
    /// [`EntityRecognizer::settle`]). They are apart so that the pipeline can take a chunk
    /// of documents through each before the next: each step's code then stays in the
    /// instruction cache from one document to the next, which the whole did not.
    pub fn tag(&self, ctx: &Context<'_>, draft: &mut Draft) {
        tagger::Tagger::shared().tag(ctx.text, ctx.seg, &mut draft.tagged);
    }

    /// The second step: the tagger's mentions mended at their edges and typed by their
    /// context, and the names of the gazetteer and of the rules.
    pub fn find_by_rules(&self, ctx: &Context<'_>, draft: &mut Draft) {
        self.mend_tagged(ctx, draft);
        self.find_listed(ctx, draft);
        self.find_ruled(ctx, draft);
    }

    /// The first part of [`EntityRecognizer::find_by_rules`]: the tagger's mentions mended
    /// at their edges and typed by their context. The three parts are apart for the same
    /// reason as the steps (the pipeline runs each over a chunk of documents); each works
    /// on its own list of the draft, so running them in turn on every document of a chunk
    /// gives what running them together does.
    pub fn mend_tagged(&self, ctx: &Context<'_>, draft: &mut Draft) {
        let (text, seg, tagged) = (ctx.text, ctx.seg, &mut draft.tagged);
        split_at_inner_suffix(text, tagged);
        edges::cut_latin_name_before_predicate(text, seg, tagged);
        edges::cut_trailing_period(text, tagged);
        edges::person_named_as_company_post(text, seg, tagged);
        edges::drop_person_inside_noun(text, seg, tagged);
        edges::place_before_verb_object(text, seg, tagged);
        type_by_company_context(text, tagged);
    }

    /// The second part of [`EntityRecognizer::find_by_rules`]: the gazetteer's names, and
    /// the tagger's organisations ended at a listed name.
    pub fn find_listed(&self, ctx: &Context<'_>, draft: &mut Draft) {
        let (text, seg) = (ctx.text, ctx.seg);
        gazetteer::gazetteer().find(text, seg, &mut draft.listed);
        edges::end_org_at_listed_name(seg, &draft.listed, &mut draft.tagged);
    }

    /// The third part of [`EntityRecognizer::find_by_rules`]: the names the rules find.
    pub fn find_ruled(&self, ctx: &Context<'_>, draft: &mut Draft) {
        let (text, seg, ruled) = (ctx.text, ctx.seg, &mut draft.ruled);
        latin::find(text, seg, ruled);
        company::find(text, seg, ruled);
        draft.translit_at = business::find_listing_translit(text, seg, ruled);
        company::find_before_stock_codes(text, seg, ruled);
        edges::cut_latin_name_before_predicate(text, seg, ruled);
        edges::cut_trailing_period(text, ruled);
        periodicals::find(text, ruled);
        edges::find_byline_people(text, seg, ruled);
        abbrev::find(text, ruled);
    }

    /// The last step: the three sources of mentions weighed against each other and
    /// filtered, into `out`.
    pub fn settle(&self, ctx: &Context<'_>, draft: Draft, out: &mut Candidates) {
        let (text, seg) = (ctx.text, ctx.seg);
        let Draft {
            mut tagged,
            mut listed,
            mut ruled,
            translit_at,
        } = draft;
        business::settle(text, seg, &mut tagged, &listed, &mut ruled);
        drop_latin_pieces_of_ruled_names(text, &mut tagged, &ruled);
        let mut translit = Vec::new();
        cues::find_transliterated_from(text, seg, translit_at.as_deref(), &mut translit);
        mark_other_occurrences(text, &mut translit, EntityType::Person, 0.65);

        // Tagger spans never overlap: sorted by start, the one starting last at or before a
        // listed match is the only one that can hold it (a binary search per match; a long
        // article has thousands of both).
        split_listed_coordination(text, &mut tagged, &listed);
        let mut by_start: Vec<&MentionCandidate> = tagged
            .iter()
            .filter(|t| t.source == MentionSource::Tagger)
            .collect();
        by_start.sort_unstable_by_key(|t| t.nspan);
        listed.retain(|g| {
            let i = by_start.partition_point(|t| t.nspan.0 <= g.nspan.0);
            let holder = i.checked_sub(1).and_then(|i| by_start.get(i)).copied();
            !holder.is_some_and(|t| inside_longer_tagged(g, t))
                && !place_heading_an_org(text, g)
                && !holder.is_some_and(|t| typed_otherwise(text, g, t))
        });
        for r in &mut ruled {
            if is_whole_company_name(text, r, &tagged) && !listed_before_and(text, r, &listed) {
                // A registered name closed by its legal form (有限公司, Corp) is certain enough
                // to beat even confident tagger pieces (which score up to 0.99): `New
                // Hampshire Savings Bank Corp` over the tagger's `Hampshire Savings Bank Corp`.
                // A Latin span that holds an owner (`Coca-Cola Co's Entertainment ... Inc`), a
                // base (`Paris-based`) or a sentence end (`Ltd. The`) is not one name.
                r.score = if is_one_name(text, seg, r.nspan) {
                    0.995
                } else {
                    0.97
                };
            }
        }
        let all = tagged
            .into_iter()
            .chain(listed)
            .chain(ruled)
            .chain(translit);
        let sentence_of = |at: usize| {
            seg.sentence_index(at)
                .and_then(|i| seg.sentences.get(i))
                .and_then(|s| text.get(s.0..s.1))
                .unwrap_or("")
        };
        let all = all.map(|mut m| {
            trim_percent_digits(text, &mut m);
            m
        });
        out.mentions.extend(all.filter(|m| {
            text.get(m.nspan.0..m.nspan.1).is_some_and(|s| {
                !filters::reject(s) && !filters::shouted_common_word(s, || sentence_of(m.nspan.0))
            }) && !is_ticker(text, m.nspan)
                && !is_product_with_model_code(text, m.nspan)
        }));
    }
}

/// Builds the fixed patterns and tables of entity recognition (a start-up task,
/// `crate::warm`; the first document's entities otherwise build them).
pub(crate) fn warm() {
    business::warm();
    tagger::features::warm();
}

impl Recognizer for EntityRecognizer {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn recognize(&self, ctx: &Context<'_>, out: &mut Candidates) {
        let mut draft = Draft::default();
        self.tag(ctx, &mut draft);
        self.find_by_rules(ctx, &mut draft);
        self.settle(ctx, draft, out);
    }
}

/// A tagged person or place followed by what only a company has (`Barclays shares`,
/// `美团股价`, `Nucor said in a statement`, the `company_after` cues) or speaking of itself
/// as `it` (`Barclays said on Tuesday it would cut jobs`) is an organisation.
fn type_by_company_context(text: &str, mentions: &mut [MentionCandidate]) {
    for m in mentions.iter_mut() {
        if m.kind == EntityType::Org || m.source != MentionSource::Tagger {
            continue;
        }
        let (Some(name), Some(after)) = (text.get(m.nspan.0..m.nspan.1), text.get(m.nspan.1..))
        else {
            continue;
        };
        if company_cue_after(name, after) || (name.is_ascii() && says_it(after)) {
            m.kind = EntityType::Org;
        }
    }
}

/// Whether `after` (the text right after the name `name`) opens with a company cue: a Latin
/// name takes an English cue after a space (or `'s`) ending at a word boundary, a Chinese
/// name a Chinese cue right after it.
fn company_cue_after(name: &str, after: &str) -> bool {
    let latin = name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.');
    // A Chinese name takes only a Chinese cue, which must open `after`: most tagged names
    // are followed by a character that opens none (one binary search, not a comparison
    // with every cue).
    if !latin {
        let firsts = &cues::cues().company_after_zh_firsts;
        if !after
            .chars()
            .next()
            .is_some_and(|f| firsts.binary_search(&f).is_ok())
        {
            return false;
        }
    }
    company_cue_after_plain(latin, after)
}

/// [`company_cue_after`] by a comparison with every cue (`latin`: the name ends in a
/// Latin letter, a digit or a dot).
fn company_cue_after_plain(latin: bool, after: &str) -> bool {
    cues::cues().company_after.iter().any(|cue| {
        if !cue.is_ascii() {
            return after.starts_with(cue.as_str());
        }
        if !latin {
            return false;
        }
        let rest = if cue.starts_with('\'') {
            after.strip_prefix(cue.as_str())
        } else {
            after
                .strip_prefix(' ')
                .and_then(|a| a.strip_prefix(cue.as_str()))
        };
        rest.is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphanumeric()))
    })
}

/// `said on Tuesday it would`: a subject that refers to itself as `it` right after saying is
/// not a person. Looks only at the few words after `said` within the sentence.
fn says_it(after: &str) -> bool {
    let Some(rest) = after.strip_prefix(" said ") else {
        return false;
    };
    let clause = rest.split(['.', ';', ',', '"']).next().unwrap_or("");
    let words: Vec<&str> = clause.split_whitespace().take(5).collect();
    words.windows(2).any(|w| {
        w[0] == "it"
            && matches!(
                w[1],
                "would" | "will" | "had" | "has" | "expects" | "plans" | "planned" | "intends"
            )
    }) || words.first() == Some(&"its")
}

/// `新车型MONA M03`, `launched the Pixel 9`: a Latin name holding a model code (a word with
/// a digit) right after a product word (`product_before` cues, an English `the`/`its`
/// between allowed) names a product, not an organisation.
fn is_product_with_model_code(text: &str, nspan: (usize, usize)) -> bool {
    let Some(name) = text.get(nspan.0..nspan.1) else {
        return false;
    };
    let has_code = name.is_ascii()
        && name
            .split([' ', '-'])
            .skip(1)
            .any(|w| w.bytes().any(|b| b.is_ascii_digit()));
    if !has_code {
        return false;
    }
    let mut before = text.get(..nspan.0).unwrap_or("").trim_end();
    for article in [" the", " its", " a", " new"] {
        before = before.strip_suffix(article).unwrap_or(before).trim_end();
    }
    cues::ends_with_any(before, &cues::cues().product_before).is_some_and(|cue| {
        // An English cue must be a whole word.
        !cue.is_ascii()
            || !before[..before.len() - cue.len()].ends_with(|c: char| c.is_ascii_alphanumeric())
    })
}


/// A tagger span that is exactly `A <coordinator> B` with both A and B listed names is two
/// names, not one (`京东与美团` read as one organisation): the span is dropped, so the
/// listed matches inside it survive with their own types.
fn split_listed_coordination(
    text: &str,
    tagged: &mut Vec<MentionCandidate>,
    listed: &[MentionCandidate],
) {
    if listed.is_empty() {
        return;
    }
    // The listed spans sorted by start and by end: the names opening and closing a tagger
    // span are found by binary search, not by a scan of all listed names per tagger span
    // (a long article has thousands of both).
    let mut by_start: Vec<(usize, usize)> = listed.iter().map(|g| g.nspan).collect();
    by_start.sort_unstable();
    let mut by_end: Vec<(usize, usize)> = listed.iter().map(|g| (g.nspan.1, g.nspan.0)).collect();
    by_end.sort_unstable();
    let coordinators = &cues::cues().name_coordinator;
    tagged.retain(|t| {
        if t.source != MentionSource::Tagger {
            return true;
        }
        let (ts, te) = t.nspan;
        let opening = spans_keyed(&by_start, ts);
        let closing = spans_keyed(&by_end, te);
        !opening.iter().filter(|a| a.1 < te).any(|a| {
            closing.iter().any(|b| {
                b.1 > a.1
                    && text
                        .get(a.1..b.1)
                        .is_some_and(|gap| coordinators.contains(&gap.trim_matches(' ')))
            })
        })
    });
}

/// The run of `pairs` (sorted) whose first element is `key`.
fn spans_keyed(pairs: &[(usize, usize)], key: usize) -> &[(usize, usize)] {
    let from = pairs.partition_point(|p| p.0 < key);
    let to = pairs.partition_point(|p| p.0 <= key);
    pairs.get(from..to).unwrap_or(&[])
}

/// `OBU20%`: digits glued between a Latin name and a percent sign are the percentage,
/// not part of the name.
fn trim_percent_digits(text: &str, m: &mut MentionCandidate) {
    let Some(surface) = text.get(m.nspan.0..m.nspan.1) else {
        return;
    };
    if !text.get(m.nspan.1..).is_some_and(|r| r.starts_with('%')) {
        return;
    }
    let kept = surface.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    if kept.len() >= 2 && kept.len() < surface.len() {
        m.nspan.1 = m.nspan.0 + kept.len();
    }
}

fn strictly_inside(inner: (usize, usize), outer: (usize, usize)) -> bool {
    outer.0 <= inner.0 && inner.1 <= outer.1 && inner != outer
}

/// `Shell Oil Co. Brooklyn Union`: a period-marked corporate suffix followed by another
/// capitalised word ends a name (the sentence splitter cannot tell `Co. Brooklyn` from
/// `Co. Chairman`, so the tagger may read across the sentence end). Such a span becomes two
/// candidates, split after the suffix; `Co. Ltd.` (suffix after suffix) stays whole.
fn split_at_inner_suffix(text: &str, mentions: &mut Vec<MentionCandidate>) {
    let c = cues::cues();
    let mut extra = Vec::new();
    for m in mentions.iter_mut() {
        let Some(surface) = text.get(m.nspan.0..m.nspan.1) else {
            continue;
        };
        if !surface.is_ascii() || m.kind != EntityType::Org {
            continue;
        }
        let mut cut = None;
        for (i, _) in surface.match_indices(". ") {
            let word_start = surface[..i].rfind(' ').map_or(0, |k| k + 1);
            let word = &surface[word_start..=i];
            let next = surface[i + 2..].split(' ').next().unwrap_or("");
            let next_is_suffix =
                c.org_suffix.contains(next) || c.org_suffix.contains(next.trim_end_matches('.'));
            if c.org_suffix.contains(word)
                && word_start > 0
                && next.starts_with(|ch: char| ch.is_ascii_uppercase())
                && !next_is_suffix
            {
                cut = Some(i + 1);
                break;
            }
        }
        if let Some(k) = cut {
            let (a, b) = m.nspan;
            let right_start = a + k + 1;
            m.nspan = (a, a + k);
            extra.push(MentionCandidate {
                nspan: (right_start, b),
                ..m.clone()
            });
        }
    }
    mentions.extend(extra);
}

/// Drops a tagger span that is a piece of a Latin name a rule found whole inside Chinese
/// text, with the same type (`Maya` of `副总裁Maya Brandt。`): the Chinese model tags
/// characters and may stop inside a run of Latin words, while the Latin rule reads the
/// whole run. English sentences are left to the English model and its own rules.
fn drop_latin_pieces_of_ruled_names(
    text: &str,
    tagged: &mut Vec<MentionCandidate>,
    ruled: &[MentionCandidate],
) {
    let han_beside = |span: (usize, usize)| {
        let before = text.get(..span.0).and_then(|b| b.chars().next_back());
        let after = text.get(span.1..).and_then(|a| a.chars().next());
        before.is_some_and(is_han) || after.is_some_and(is_han)
    };
    let latin = |span: (usize, usize)| text.get(span.0..span.1).is_some_and(|s| s.is_ascii());
    // Most documents have no Latin tagger mention: nothing to drop, no covers to build.
    if !tagged
        .iter()
        .any(|t| t.source == MentionSource::Tagger && latin(t.nspan))
    {
        return;
    }
    let whole_names = |kind: EntityType| {
        Covers::new(
            ruled
                .iter()
                .filter(|r| {
                    r.source == MentionSource::Rule
                        && r.kind == kind
                        && latin(r.nspan)
                        && han_beside(r.nspan)
                })
                .map(|r| r.nspan)
                .collect(),
        )
    };
    let covers = [
        whole_names(EntityType::Person),
        whole_names(EntityType::Org),
        whole_names(EntityType::Loc),
    ];
    let covers_of = |kind: EntityType| match kind {
        EntityType::Person => &covers[0],
        EntityType::Org => &covers[1],
        EntityType::Loc => &covers[2],
    };
    tagged.retain(|t| {
        t.source != MentionSource::Tagger
            || !latin(t.nspan)
            || !covers_of(t.kind).strictly_covers(t.nspan)
    });
}

/// A set of spans that answers "does one of them strictly contain this span?" in
/// O(log n): spans sorted by start, with the largest end among each prefix.
struct Covers {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Covers {
    fn new(mut spans: Vec<(usize, usize)>) -> Covers {
        spans.sort_unstable();
        let mut max_end = Vec::with_capacity(spans.len());
        let mut m = 0;
        for &(_, e) in &spans {
            m = m.max(e);
            max_end.push(m);
        }
        Covers {
            starts: spans.iter().map(|&(s, _)| s).collect(),
            max_end,
        }
    }

    /// Whether a span starting at or before `span.0` ends after `span.1`, or one starting
    /// before `span.0` ends at or after `span.1` (`strictly_inside` for some span).
    fn strictly_covers(&self, span: (usize, usize)) -> bool {
        let reach = |n: usize| n.checked_sub(1).and_then(|i| self.max_end.get(i).copied());
        let at_or_before = self.starts.partition_point(|&s| s <= span.0);
        let before = self.starts.partition_point(|&s| s < span.0);
        reach(at_or_before).is_some_and(|e| e > span.1) || reach(before).is_some_and(|e| e >= span.1)
    }
}

/// True when a gazetteer match lies strictly inside a longer tagger span (北京 in 北京大学,
/// Washington in George Washington): the longer name, read in context, is preferred.
fn inside_longer_tagged(g: &MentionCandidate, t: &MentionCandidate) -> bool {
    t.source == MentionSource::Tagger && strictly_inside(g.nspan, t.nspan)
}

/// True when the tagger read the same Latin span as another type (`Washington` the person,
/// `Jordan` the player): the tagger saw the context, the table did not. English names are
/// the ambiguous ones; a listed Chinese name (阿里巴巴, 腾讯) keeps the table's type, except
/// a listed place the tagger read as an organisation: a country or province standing for
/// its team or government (`俄罗斯与美国之战`, `山东对江苏`), which the People's Daily
/// convention tags as an organisation.
fn typed_otherwise(text: &str, g: &MentionCandidate, t: &MentionCandidate) -> bool {
    t.source == MentionSource::Tagger
        && t.nspan == g.nspan
        && t.kind != g.kind
        && text
            .get(g.nspan.0..g.nspan.1)
            .is_some_and(|s| s.is_ascii() || (g.kind == EntityType::Loc && t.kind == EntityType::Org))
}

/// Whether a company name found by the rules is one name: a Latin one holds no owner
/// (`Co's`) and no base (`Paris-based`), and no name runs across a sentence end
/// (`Merchant Bank of Sri Lanka Ltd. The Asian Development Bank`).
fn is_one_name(text: &str, seg: &crate::segment::Segmented, span: (usize, usize)) -> bool {
    let Some(surface) = text.get(span.0..span.1) else {
        return false;
    };
    let words: Vec<&str> = surface.split(' ').collect();
    let owner_or_base = surface.is_ascii()
        && words
            .iter()
            .any(|w| w.ends_with("'s") || w.ends_with("-based"));
    // `Ltd. The`, `Inc. Tonka Corp`: a period after a legal form or before a word that
    // opens sentences, not names.
    let c = cues::cues();
    let sentence_end = words.windows(2).any(|p| {
        p[0].ends_with('.')
            && (c.stop.contains(p[1]) || c.org_suffix.contains(p[0].trim_end_matches('.')))
    });
    !owner_or_base
        && !sentence_end
        && seg.sentence_index(span.0) == seg.sentence_index(span.1.saturating_sub(1))
}

/// Whether a listed name opens `r` right before its `and` (`Tencent and Hillhouse Capital`,
/// `IMF and World Bank`): a name known on its own, so the span joins two names rather than
/// being one. Not when only legal-form words follow (`Wells Fargo and Co`, `Morgan Stanley
/// and Co.`: the firm's own name).
fn listed_before_and(text: &str, r: &MentionCandidate, listed: &[MentionCandidate]) -> bool {
    let c = cues::cues();
    listed.iter().any(|g| {
        g.nspan.0 == r.nspan.0
            && g.nspan.1 < r.nspan.1
            && text.get(g.nspan.1..r.nspan.1).is_some_and(|rest| {
                let after = rest
                    .strip_prefix(" and ")
                    .or_else(|| rest.strip_prefix(" & "));
                after.is_some_and(|a| {
                    !a.split(' ')
                        .all(|w| c.org_suffix.contains(w.trim_end_matches('.')))
                })
            })
    })
}

/// True for a company name ending in a corporate suffix (`Industrial Equity (Pacific)
/// Ltd`) or a Chinese legal form (北京某某科技发展有限公司) that the tagger read only in
/// pieces: every tagger span it overlaps lies strictly inside it. Such a name is the correct
/// long span and beats its pieces. Names joined by connectors (`Shareholders of Acme Corp`)
/// are not trusted that far; `and` is, inside a name (`Goodyear Tire and Rubber Co`) but not
/// after a legal form (`AFG Industries Inc and GenCorp Inc`).
fn is_whole_company_name(text: &str, r: &MentionCandidate, tagged: &[MentionCandidate]) -> bool {
    let Some(surface) = text.get(r.nspan.0..r.nspan.1) else {
        return false;
    };
    let c = cues::cues();
    if r.kind != EntityType::Org {
        return false;
    }
    if surface.is_ascii() {
        let last = surface.rsplit(' ').next().unwrap_or("");
        // `Goodyear Tire and Rubber Co`, `Sahlen and Associates Inc`: `and` inside one name;
        // after a legal form it joins two (`AFG Industries Inc and GenCorp Inc`), and other
        // connectors (`Lynn Reaser of Barnett Banks Inc`) may join a person to a company.
        let words: Vec<&str> = surface.split(' ').collect();
        let joins_two = words.windows(2).any(|p| {
            let and = matches!(p[1], "and" | "&");
            (c.connector.contains(p[1]) && !and)
                || (and && c.org_suffix.contains(p[0].trim_end_matches(['.', ','])))
        });
        if !c.org_suffix.contains(last) || joins_two {
            return false;
        }
    } else if cues::ends_with_any(surface, &c.legal_form_zh).is_none() {
        return false;
    }
    let overlapping: Vec<&MentionCandidate> = tagged
        .iter()
        .filter(|t| t.nspan.0 < r.nspan.1 && r.nspan.0 < t.nspan.1)
        .collect();
    !overlapping.is_empty()
        && overlapping
            .iter()
            .all(|t| strictly_inside(t.nspan, r.nspan))
}

/// True for a listed place right before an organisation head (印尼队, 北京大学): the place
/// is part of the organisation's name, not an entity of its own.
fn place_heading_an_org(text: &str, g: &MentionCandidate) -> bool {
    g.kind == EntityType::Loc
        && text.get(g.nspan.1..).is_some_and(|rest| {
            // Most places are followed by a character that opens no head: one binary
            // search, not a comparison with every head.
            rest.chars()
                .next()
                .is_some_and(|f| ORG_HEAD_FIRSTS.binary_search(&f).is_ok())
                && cues::starts_with_any(rest, &cues::cues().org_head).is_some()
        })
}

/// The first characters of the organisation heads (`org_head`), sorted.
static ORG_HEAD_FIRSTS: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
    let mut firsts: Vec<char> = cues::cues()
        .org_head
        .iter()
        .filter_map(|h| h.chars().next())
        .collect();
    firsts.sort_unstable();
    firsts.dedup();
    firsts
});

/// `<PCO>`: a stock ticker in angle brackets (Reuters style) is a symbol, not a name.
fn is_ticker(text: &str, span: (usize, usize)) -> bool {
    let inside = text.get(span.0..span.1).unwrap_or("");
    text.get(..span.0).is_some_and(|b| b.ends_with('<'))
        && text
            .get(span.1..)
            .is_some_and(|a| a.starts_with('>') || a.starts_with('.'))
        && inside.len() <= 8
        && !inside.bytes().any(|b| b.is_ascii_lowercase())
}

/// Adds every other occurrence of the names in `found` (a name a rule found once:
/// 米德哈 after 米德哈强调, 淘集集 before 亏损) as a candidate of `kind` with `score`, below
/// the rule's own. Overlaps are looked up by binary search over the sorted found spans.
pub(super) fn mark_other_occurrences(
    text: &str,
    found: &mut Vec<MentionCandidate>,
    kind: EntityType,
    score: f32,
) {
    // Most documents have no such name: nothing to look for, nothing to allocate.
    if found.is_empty() {
        return;
    }
    let mut names: Vec<&str> = found
        .iter()
        .filter_map(|m| text.get(m.nspan.0..m.nspan.1))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut spans: Vec<(usize, usize)> = found.iter().map(|m| m.nspan).collect();
    spans.sort_unstable();
    // Found spans may nest; the longest end so far tells whether any earlier one reaches.
    let mut reach = Vec::with_capacity(spans.len());
    let mut max_end = 0;
    for &(_, e) in &spans {
        max_end = max_end.max(e);
        reach.push(max_end);
    }
    let overlaps = |span: (usize, usize)| {
        let i = spans.partition_point(|s| s.0 < span.1);
        i > 0 && reach[i - 1] > span.0
    };
    let mut extra = Vec::new();
    for (name, at) in occurrences(text, &names) {
        let span = (at, at + name.len());
        if !overlaps(span) {
            extra.push(MentionCandidate {
                nspan: span,
                kind,
                score,
                source: MentionSource::Rule,
            });
        }
    }
    found.extend(extra);
}

/// The 64-bit words of the first-character filter of [`occurrences_by_scan`] (a 256-bit
/// filter let one Chinese character in eight through, to a binary search each).
const FIRST_CHAR_WORDS: usize = 64;

/// Most names [`occurrences`] looks for with one substring search each; more take the one
/// pass over the characters of [`occurrences_by_scan`]. A SIMD search costs well under an
/// instruction a byte of text, the character pass about thirty (one decoding, a filter
/// test and a branch a character), so a search per name pays up to a few dozen names.
const MOST_SEARCHED_NAMES: usize = 24;

/// Every occurrence of each of `names` (sorted, distinct) in `text`, as `str::match_indices`
/// finds them (left to right, not overlapping one another), name by name.
fn occurrences<'n>(text: &str, names: &[&'n str]) -> Vec<(&'n str, usize)> {
    if names.iter().any(|n| n.is_empty()) {
        let mut out = Vec::new();
        for name in names {
            out.extend(text.match_indices(*name).map(|(at, _)| (*name, at)));
        }
        return out;
    }
    if names.len() <= MOST_SEARCHED_NAMES {
        occurrences_by_search(text, names)
    } else {
        occurrences_by_scan(text, names)
    }
}

/// [`occurrences`] by one `memchr::memmem` search per name: its non-overlapping matches,
/// left to right, are those of `match_indices`, and a match of a whole UTF-8 name starts on
/// a character boundary. Most documents have a handful of names, and a vectorised search
/// skips a Chinese text many bytes a step where decoding it visits every character.
fn occurrences_by_search<'n>(text: &str, names: &[&'n str]) -> Vec<(&'n str, usize)> {
    let mut out = Vec::new();
    for name in names {
        out.extend(
            memchr::memmem::find_iter(text.as_bytes(), name.as_bytes()).map(|at| (*name, at)),
        );
    }
    out
}

/// [`occurrences`] in one pass over the characters of `text` for all names (none empty): a
/// name can only start where its first character stands, and names sharing a first
/// character are neighbours in sorted order. A 4,096-bit filter of first characters (512
/// bytes) skips most positions at once; this costs less than building an automaton per
/// document or one search per name when the names are many. (A scan of bytes instead of
/// characters, with a filter of byte pairs, cost more: three steps a Han character instead
/// of one decoding.)
fn occurrences_by_scan<'n>(text: &str, names: &[&'n str]) -> Vec<(&'n str, usize)> {
    let mut out = Vec::new();
    // Runs of names by first character: (first character, first name, end of the run).
    let mut groups: Vec<(char, usize, usize)> = Vec::new();
    let mut filter = [0u64; FIRST_CHAR_WORDS];
    for (p, name) in names.iter().enumerate() {
        let Some(c) = name.chars().next() else {
            continue;
        };
        filter[(c as usize >> 6) % FIRST_CHAR_WORDS] |= 1 << (c as u32 & 63);
        match groups.last_mut() {
            Some(g) if g.0 == c => g.2 = p + 1,
            _ => groups.push((c, p, p + 1)),
        }
    }
    // One name's occurrences are kept only where they do not overlap the previous one
    // kept, as `match_indices` does.
    let mut last_end = vec![0usize; names.len()];
    let mut hits: Vec<(usize, usize)> = Vec::new();
    let passes = |u: u32| filter[(u as usize >> 6) % FIRST_CHAR_WORDS] & (1 << (u & 63)) != 0;
    let mut chars = cues::code_points(text);
    loop {
        chars.pass_over(|u| !passes(u));
        let Some((at, u)) = chars.next() else {
            break;
        };
        let c = cues::char_of(u);
        // Sorted names give runs sorted by first character.
        let Ok(g) = groups.binary_search_by_key(&c, |g| g.0) else {
            continue;
        };
        let Some(&(_, first, end)) = groups.get(g) else {
            continue;
        };
        let rest = text.as_bytes().get(at..).unwrap_or(&[]);
        for p in first..end {
            let (Some(name), Some(last)) = (names.get(p), last_end.get_mut(p)) else {
                continue;
            };
            if at >= *last && cues::starts_with_bytes(rest, name.as_bytes()) {
                *last = at + name.len();
                hits.push((p, at));
            }
        }
    }
    hits.sort_unstable();
    out.extend(
        hits.into_iter()
            .filter_map(|(p, at)| names.get(p).map(|n| (*n, at))),
    );
    out
}

/// Groups arbitrated mentions into entities (coreference, canonical name, `name_en`).
/// Initials join the person's name after them ([`latin::join_initials`]), places written
/// right before an organisation join it ([`place_org`]), and places
/// standing for their teams are retyped ([`teams`]), so that coreference votes with the
/// final spans and types.
pub fn resolve(ctx: &Context<'_>, mentions: &mut Vec<MentionCandidate>) -> Vec<Entity> {
    latin::join_initials(ctx.text, mentions);
    place_org::merge_places_into_orgs(ctx.text, mentions);
    let teams = teams::retype_teams(ctx.text, mentions);
    coref::resolve(ctx.text, mentions, &teams)
}

/// A tagger mention of `nspan` with a middling score: what the unit tests of the rules
/// over arbitrated mentions (edges, teams, places joining organisations) start from.
#[cfg(test)]
pub(crate) fn test_mention(nspan: (usize, usize), kind: EntityType) -> MentionCandidate {
    MentionCandidate {
        nspan,
        kind,
        score: 0.9,
        source: MentionSource::Tagger,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search per name and the pass over the characters find what one `match_indices`
    /// per name finds, in the same order, with names inside names and a name overlapping itself (哈哈 in 哈哈哈).
    #[test]
    fn occurrences_match_a_scan_per_name() {
        let text = "哈哈哈, 京东京东方 东方 京东 Ann Anna nn 哈哈";
        let mut names = vec!["哈哈", "京东", "京东方", "东方", "Ann", "nn", "x"];
        names.sort_unstable();
        let plain: Vec<(&str, usize)> = names
            .iter()
            .flat_map(|n| text.match_indices(*n).map(move |(at, _)| (*n, at)))
            .collect();
        assert_eq!(occurrences(text, &names), plain);
        assert_eq!(occurrences_by_search(text, &names), plain);
        assert_eq!(occurrences_by_scan(text, &names), plain);
        assert_eq!(
            occurrences(text, &names[..2]),
            plain
                .iter()
                .copied()
                .filter(|(n, _)| names[..2].contains(n))
                .collect::<Vec<_>>()
        );
    }

    /// The same on news text, with names taken from the text itself (so they occur, overlap
    /// one another and share first characters).
    #[test]
    fn occurrences_match_a_scan_per_name_on_news() {
        let text = "新华社北京9月5日电 北京市政府与北京大学签约,北京大学校长说,北京北京北京。\
                    Apple和Apple Inc.在北京。京东京东方京东";
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut names: Vec<&str> = Vec::new();
        for w in [1, 2, 3, 4] {
            for k in (0..chars.len().saturating_sub(w)).step_by(5) {
                let end = chars.get(k + w).map_or(text.len(), |c| c.0);
                names.push(&text[chars[k].0..end]);
            }
        }
        names.sort_unstable();
        names.dedup();
        let plain: Vec<(&str, usize)> = names
            .iter()
            .flat_map(|n| text.match_indices(*n).map(move |(at, _)| (*n, at)))
            .collect();
        assert!(plain.len() > names.len());
        assert_eq!(occurrences(text, &names), plain);
        assert_eq!(occurrences_by_search(text, &names), plain);
        assert_eq!(occurrences_by_scan(text, &names), plain);
    }

    #[test]
    fn covers_answer_as_strictly_inside_does() {
        let spans = vec![(0, 10), (3, 5), (12, 20), (12, 14), (30, 31)];
        let covers = Covers::new(spans.clone());
        for a in 0..35 {
            for b in a + 1..36 {
                let expected = spans.iter().any(|&o| strictly_inside((a, b), o));
                assert_eq!(covers.strictly_covers((a, b)), expected, "{a}..{b}");
            }
        }
        assert!(!Covers::new(Vec::new()).strictly_covers((0, 1)));
    }

    #[test]
    fn a_latin_piece_of_a_ruled_name_gives_way() {
        let text = "副总裁Maya Brandt。Maya Brandt said";
        let cand = |a: usize, b: usize, source| MentionCandidate {
            nspan: (a, b),
            kind: EntityType::Person,
            score: 0.99,
            source,
        };
        let first = text.find("Maya").unwrap();
        let second = text.rfind("Maya").unwrap();
        let mut tagged = vec![
            cand(first, first + 4, MentionSource::Tagger),
            cand(second, second + 4, MentionSource::Tagger),
        ];
        let ruled = [
            cand(first, first + 11, MentionSource::Rule),
            cand(second, second + 11, MentionSource::Rule),
        ];
        drop_latin_pieces_of_ruled_names(text, &mut tagged, &ruled);
        // Inside Chinese text the rule's whole name wins; in an English sentence the
        // English model's reading stands.
        assert_eq!(tagged.len(), 1);
        assert_eq!(tagged[0].nspan.0, second);
    }

    #[test]
    fn a_list_of_listed_names_is_split() {
        let text = "京东与美团竞争。Foo Bar公司";
        let at = |s: &str| {
            let a = text.find(s).unwrap();
            (a, a + s.len())
        };
        let cand = |s: &str, source| MentionCandidate {
            nspan: at(s),
            kind: EntityType::Org,
            score: 0.9,
            source,
        };
        let listed = vec![
            cand("京东", MentionSource::Gazetteer),
            cand("美团", MentionSource::Gazetteer),
        ];
        let mut tagged = vec![
            cand("京东与美团", MentionSource::Tagger),
            cand("Foo Bar", MentionSource::Tagger),
        ];
        split_listed_coordination(text, &mut tagged, &listed);
        assert_eq!(tagged.len(), 1);
        assert_eq!(&text[tagged[0].nspan.0..tagged[0].nspan.1], "Foo Bar");
        // One side not listed: the span stands (a name may contain 与).
        let mut tagged = vec![cand("京东与美团", MentionSource::Tagger)];
        split_listed_coordination(text, &mut tagged, &listed[..1]);
        assert_eq!(tagged.len(), 1);
    }

    #[test]
    fn model_codes_after_product_words_are_products() {
        let at = |text: &str, s: &str| {
            let a = text.find(s).unwrap();
            (a, a + s.len())
        };
        let t = "小鹏汽车推出了新车型MONA M03。";
        assert!(is_product_with_model_code(t, at(t, "MONA M03")));
        let t = "Google launched the Pixel 9 on Tuesday.";
        assert!(is_product_with_model_code(t, at(t, "Pixel 9")));
        // No model code, or no product word: a name.
        let t = "新车型MONA由小鹏设计。";
        assert!(!is_product_with_model_code(t, at(t, "MONA")));
        let t = "该基金投资了Sequoia 2000 Fund。";
        assert!(!is_product_with_model_code(t, at(t, "Sequoia 2000 Fund")));
        let t = "Acme relaunched Brightwater 3 Holdings.";
        assert!(!is_product_with_model_code(
            t,
            at(t, "Brightwater 3 Holdings")
        ));
    }

    /// The first-character gate of [`company_cue_after`] answers as the comparison with
    /// every cue does.
    #[test]
    fn company_cue_gate_is_the_plain_answer() {
        let text = "美团股价下跌,华联旗下的超市,张三表示,Barclays shares fell, Nvidia's CEO 阿里巴巴子公司";
        for (i, _) in text.char_indices() {
            for (j, _) in text.char_indices().filter(|&(j, _)| j > i).take(4) {
                let (name, after) = (&text[i..j], &text[j..]);
                let latin = name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.');
                assert_eq!(
                    company_cue_after(name, after),
                    company_cue_after_plain(latin, after),
                    "{name} | {after}"
                );
            }
        }
        assert!(company_cue_after("美团", "股价"));
        assert!(!company_cue_after("美团", ""));
    }

    #[test]
    fn company_context_makes_an_org() {
        let typed = |text: &str, name: &str, kind: EntityType| {
            let a = text.find(name).unwrap();
            let mut ms = vec![MentionCandidate {
                nspan: (a, a + name.len()),
                kind,
                score: 0.8,
                source: MentionSource::Tagger,
            }];
            type_by_company_context(text, &mut ms);
            ms[0].kind
        };
        use EntityType::{Loc, Org, Person};
        assert_eq!(typed("Nvidia shares hit a high.", "Nvidia", Loc), Org);
        assert_eq!(typed("Hartwell's shares fell.", "Hartwell", Person), Org);
        assert_eq!(
            typed("Corvane said in a statement that", "Corvane", Person),
            Org
        );
        assert_eq!(
            typed(
                "Barclays said on Tuesday it would cut jobs.",
                "Barclays",
                Person
            ),
            Org
        );
        assert_eq!(typed("据悉，美团股价下跌。", "美团", Loc), Org);
        assert_eq!(typed("华联旗下的超市", "华联", Person), Org);
        // No company cue: the tagger's type stands.
        assert_eq!(
            typed("Smith said he would resign.", "Smith", Person),
            Person
        );
        assert_eq!(
            typed("Smith said it was a mistake.", "Smith", Person),
            Person
        );
        assert_eq!(typed("Paris stocked up.", "Paris", Loc), Loc);
        assert_eq!(typed("Jones stockpiled food.", "Jones", Person), Person);
        assert_eq!(typed("张三表示", "张三", Person), Person);
        // Going public in a place is no company cue: 赴美上市 keeps 美 a place.
        assert_eq!(typed("计划赴美上市", "美", Loc), Loc);
    }

    #[test]
    fn a_name_ends_at_a_period_marked_suffix() {
        let text = "gas from Shell Oil Co. Brooklyn Union said. Samsung Electronics Co. Ltd. said.";
        let span = |s: &str| {
            let a = text.find(s).unwrap();
            (a, a + s.len())
        };
        let cand = |s: &str| MentionCandidate {
            nspan: span(s),
            kind: EntityType::Org,
            score: 0.9,
            source: MentionSource::Tagger,
        };
        let mut ms = vec![
            cand("Shell Oil Co. Brooklyn Union"),
            cand("Samsung Electronics Co. Ltd."),
        ];
        split_at_inner_suffix(text, &mut ms);
        let shown: Vec<&str> = ms.iter().map(|m| &text[m.nspan.0..m.nspan.1]).collect();
        assert_eq!(
            shown,
            vec![
                "Shell Oil Co.",
                "Samsung Electronics Co. Ltd.",
                "Brooklyn Union"
            ]
        );
    }

    #[test]
    fn a_listed_name_inside_a_longer_tagged_span_gives_way() {
        let org = MentionCandidate {
            nspan: (0, 12),
            kind: EntityType::Org,
            score: 0.7,
            source: MentionSource::Tagger,
        };
        let place = MentionCandidate {
            nspan: (0, 6),
            kind: EntityType::Loc,
            score: 0.9,
            source: MentionSource::Gazetteer,
        };
        let person = MentionCandidate {
            nspan: (0, 6),
            kind: EntityType::Person,
            score: 0.9,
            source: MentionSource::Gazetteer,
        };
        assert!(inside_longer_tagged(&place, &org));
        assert!(inside_longer_tagged(&person, &org));
        assert!(!inside_longer_tagged(&org, &org));
        let tagged_person = MentionCandidate {
            nspan: (0, 6),
            kind: EntityType::Person,
            score: 0.6,
            source: MentionSource::Tagger,
        };
        assert!(typed_otherwise("Jordan said", &place, &tagged_person));
        assert!(!typed_otherwise("Jordan said", &person, &tagged_person));
        assert!(!typed_otherwise("阿里巴巴", &place, &tagged_person));
    }

    /// The first-character gate of [`place_heading_an_org`] answers as the comparison with
    /// every head does.
    #[test]
    fn org_head_gate_is_the_plain_answer() {
        let text = "印尼队和印尼,北京大学与北京市政府、上海交通大学 Paris Club";
        let heads = &cues::cues().org_head;
        for (s, _) in text.char_indices() {
            for (e, _) in text.char_indices().filter(|&(e, _)| e > s).take(3) {
                let g = MentionCandidate {
                    nspan: (s, e),
                    kind: EntityType::Loc,
                    score: 0.9,
                    source: MentionSource::Gazetteer,
                };
                let plain = cues::starts_with_any(&text[e..], heads).is_some();
                assert_eq!(place_heading_an_org(text, &g), plain, "{}", &text[s..e]);
            }
        }
    }

    #[test]
    fn a_place_heading_an_organisation_is_not_a_place() {
        let text = "印尼队和印尼";
        let at = |s: usize| MentionCandidate {
            nspan: (s, s + 6),
            kind: EntityType::Loc,
            score: 0.9,
            source: MentionSource::Gazetteer,
        };
        assert!(place_heading_an_org(text, &at(0)));
        assert!(!place_heading_an_org(text, &at(12)));
    }

    #[test]
    fn a_whole_company_name_beats_its_pieces() {
        let t = "Tasman Holdings (Pacific) Ltd said; Shareholders of Acme Corp said";
        let span = |w: &str| (t.find(w).unwrap(), t.find(w).unwrap() + w.len());
        let m = |w: &str, source| MentionCandidate {
            nspan: span(w),
            kind: EntityType::Org,
            score: 0.6,
            source,
        };
        let pieces = vec![
            m("Tasman Holdings", MentionSource::Tagger),
            m("Pacific", MentionSource::Tagger),
            m("Acme Corp", MentionSource::Tagger),
        ];
        assert!(is_whole_company_name(
            t,
            &m("Tasman Holdings (Pacific) Ltd", MentionSource::Rule),
            &pieces
        ));
        assert!(!is_whole_company_name(
            t,
            &m("Shareholders of Acme Corp", MentionSource::Rule),
            &pieces
        ));
        assert!(!is_whole_company_name(
            t,
            &m("Tasman Holdings (Pacific) Ltd", MentionSource::Rule),
            &[]
        ));
    }

    #[test]
    fn tickers_are_not_names() {
        let t = "PITTSTON <PCO> AGREES; Tesco Plc <TSCO.L> said";
        let at = |w: &str| (t.find(w).unwrap(), t.find(w).unwrap() + w.len());
        assert!(is_ticker(t, at("PCO")) && is_ticker(t, at("TSCO")));
        assert!(!is_ticker(t, at("Tesco Plc")));
    }

    #[test]
    fn transliterated_names_are_marked_everywhere() {
        let text = "索尔伯格表示同意。后来索尔伯格离开了。";
        let mut found = vec![MentionCandidate {
            nspan: (0, 12),
            kind: EntityType::Person,
            score: 0.7,
            source: MentionSource::Rule,
        }];
        mark_other_occurrences(text, &mut found, EntityType::Person, 0.65);
        assert_eq!(found.len(), 2);
    }
}
