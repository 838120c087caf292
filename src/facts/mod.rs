//! The facts stage: amount roles and subjects, and typed business facts, from the
//! entities, amounts and dates of a whole document (SPEC §4).
//!
//! Per sentence: [`roles`] labels every money amount, percentage and quantity (`role`,
//! `subject`); [`frames`] turns trigger words (`data/fact_triggers.tsv`) plus the entities and
//! amounts around them into facts; [`modality`] drops what the sentence does not report as
//! having happened. Then every fact gets its date and its value amount's role, duplicates
//! are merged, and ids `F1`, `F2`, ... follow the text.
//!
//! Conventions (what a user can rely on):
//! - `valuation`: subject = the company valued; value = the valuation.
//! - `investment`: investor -> target, a minority stake (`percent` = the stake when given).
//! - `acquisition`: buyer -> target, a whole company, unit or majority stake.
//! - `funding_round`: company raising -> investors named in the sentence; value = the round.
//! - `revenue`, `profit`: subject = the company; value = the figure (net loss included).
//! - `contract`: party -> counterparty; value = the contract's worth.
//! - `lawsuit`: plaintiff -> defendants.
//! - `fine`: fined party -> authority; value = the fine.
//! - `hire`, `departure`: person -> organisation.
//! - `layoff`: company; value = the number of jobs when given.
//! - `commission`: payer -> payee; `percent` = the commission rate.
//! - `ipo`: the company going public; value = money raised or price when given.
//! - `partnership`: first party -> the other parties.
//! - Subject and object hold entity names; several are joined by `; `.
//! - Not facts: forecasts and guidance, plans, rumours, denials, negated or hypothetical
//!   events, market capitalisations. What a plan presupposes still counts (in "plans to
//!   end a USD 200M contract" the contract is a fact).
//! - `date`: the sentence's own date (the one nearest before the trigger, else one after it
//!   in its clause), else the nearest
//!   earlier date of the same paragraph, else the document date when the sentence reports
//!   the event as just happened (宣布, 日前, today, announced), else none.

pub(crate) mod cues;
pub(crate) mod frames;
pub(crate) mod later_value;
pub(crate) mod modality;
pub(crate) mod roles;
pub(crate) mod sentence;
pub(crate) mod words;
pub mod types;

use std::collections::HashMap;

use crate::document::{AmountRole, DateKind, Document, Fact, FactType, NSpan};
use crate::recognize::Context;

use frames::{Draft, TRIGGERS};
use modality::Modality;
use roles::AmountInfo;
use sentence::{placed_mentions_with, Sentence};
use types::{Lists, Party};

/// The trigger, anaphor and amount-role cues in one automaton ([`cues::Combined`]): a
/// document is scanned once for the three, not once a table and sentence.
static DOC_CUES: std::sync::LazyLock<cues::Combined> = std::sync::LazyLock::new(|| {
    cues::Combined::new(&[
        TRIGGERS.patterns(),
        sentence::anaphors().patterns(),
        roles::ROLES.patterns(),
    ])
});
const TRIGGER_CUES: usize = 0;
const ANAPHOR_CUES: usize = 1;
const ROLE_CUES: usize = 2;

thread_local! {
    /// The cue scan's lists and buffer, reused document after document by a thread.
    static SCANNED: std::cell::Cell<Option<cues::Scanned>> = const { std::cell::Cell::new(None) };
}

/// Sets `role`/`subject` on amounts and fills `doc.facts`.
pub fn extract(ctx: &Context<'_>, doc: &mut Document) {
    // One scan of the document for the trigger, anaphor and role cues, into the thread's
    // buffers (taken for the document and given back: a nested call would make its own).
    let mut scanned = SCANNED.take().unwrap_or_default();
    DOC_CUES.scan_into(ctx.text, &mut scanned);
    extract_scanned(ctx, doc, &scanned);
    scanned.shrink_large();
    SCANNED.set(Some(scanned));
}

/// [`extract`] with the document's cues found.
fn extract_scanned(ctx: &Context<'_>, doc: &mut Document, scanned: &cues::Scanned) {
    let text = ctx.text;
    let sentences = &ctx.seg.sentences;
    // No amount (roles, table figures) and no trigger (frames): no sentence gives anything
    // (most one-line documents). The mentions are not placed.
    if doc.amounts.is_empty() && scanned.of(TRIGGER_CUES).is_empty() && !every_sentence() {
        doc.facts = Vec::new();
        return;
    }
    let all = placed_mentions_with(
        text,
        doc,
        &ctx.seg.paragraphs,
        sentences,
        &sentence::anaphors().find_scanned_all(text, scanned.of(ANAPHOR_CUES)),
    );

    // Amounts by sentence, in text order.
    let mut order: Vec<usize> = (0..doc.amounts.len()).collect();
    order.sort_by_key(|&i| doc.amounts[i].nspan);
    let mut info = vec![AmountInfo::default(); doc.amounts.len()];

    let mut drafts: Vec<(Draft, NSpan, bool)> = Vec::new();
    // The paragraph topic, computed once per paragraph and only for a sentence with a
    // trigger (the one reader of it): a paragraph may hold thousands of sentences.
    let mut topic: Option<(Option<usize>, Option<usize>)> = None;
    let mut hits = Vec::new();
    for &span in sentences {
        let first = order.partition_point(|&i| doc.amounts[i].nspan.0 < span.0);
        let last = order.partition_point(|&i| doc.amounts[i].nspan.0 < span.1);
        let ids: &[usize] = order.get(first..last.max(first)).unwrap_or(&[]);
        TRIGGERS.find_scanned(text, span, scanned.of(TRIGGER_CUES), &mut hits);
        // A sentence with neither an amount (roles) nor a trigger (frames) gives nothing:
        // most sentences of news. Everything a frame reads outside its own sentence (the
        // paragraph's topic and anaphors, a later sentence's value) comes from `all` and
        // the other sentences, never from this one's `Sentence`.
        if !needs_sentence(ids, &hits) {
            continue;
        }
        let mut s = Sentence::new(text, span, &all, ctx.seg.tokens_in(span));
        if !hits.is_empty() {
            let par = ctx.seg.paragraph_index(span.0);
            let known = topic.filter(|t| t.0 == par);
            let t = known.unwrap_or_else(|| {
                (
                    par,
                    par.and_then(|p| ctx.seg.paragraphs.get(p))
                        .and_then(|&p| sentence::paragraph_topic(&all, p)),
                )
            });
            topic = Some(t);
            s.topic = t.1;
        }
        roles::assign(&s, doc, ids, &mut info, scanned.of(ROLE_CUES));
        // The modality cues are read only for a sentence with a fact trigger.
        let modal = std::cell::OnceCell::new();
        for d in frames::find(&s, doc, &info, ids, &modal, &hits) {
            let recent = modal.get_or_init(|| Modality::of(&s)).recent();
            drafts.push((d, span, recent));
        }
    }

    later_value::fill(text, ctx.seg, &all, doc, &order, &mut drafts);

    // Results tables (Net 941,000 vs 786,000): their figures are facts of the table's
    // company, never the value of a prose trigger.
    let table = table_drafts(ctx, doc, &all);
    let table_figures: Vec<usize> = table.iter().flat_map(|(d, _)| d.value).collect();
    drafts.retain(|(d, _, _)| !d.value.is_some_and(|v| table_figures.contains(&v)));
    let mut drafts: Vec<(Draft, NSpan, bool)> = table
        .into_iter()
        .map(|(d, span)| (d, span, false))
        .chain(drafts)
        .flat_map(|(d, span, recent)| one_per_party(d).into_iter().map(move |d| (d, span, recent)))
        .collect();
    drafts.sort_by_key(|(d, _, _)| d.trigger);

    fold_ipo_proceeds(&mut drafts);

    // A repeat or a half of a fact can only be of a fact of the same type and subject (see
    // `covers`, `complements`): facts are kept in one bucket per (type, subject), so
    // thousands of facts are not compared pairwise. The sequence number keeps text order.
    type Bucket = Vec<(usize, Fact, Draft)>;
    let mut buckets: HashMap<(FactType, Option<String>), Bucket> = HashMap::new();
    for (seq, (mut d, span, recent)) in drafts.into_iter().enumerate() {
        // A company's figures and moves belong to an organisation: a courier's income (一单的
        // 收入为10元) is no revenue fact.
        let company_figure = types::of(d.kind).party == Party::Org;
        let all_people = d.subject.iter().all(|&e| {
            doc.entities
                .get(e)
                .is_some_and(|ent| ent.kind == crate::document::EntityType::Person)
        });
        if company_figure && !d.subject.is_empty() && all_people {
            continue;
        }
        // A court hears a lawsuit; it is never a party to it.
        if d.kind == FactType::Lawsuit {
            let court = |e: &usize| doc.entities.get(*e).is_some_and(|x| is_court(&x.name));
            d.subject.retain(|e| !court(e));
            d.object.retain(|e| !court(e));
            if d.subject.is_empty() {
                continue;
            }
        }
        // Joining needs what was joined: 加入 alone is as often "add" (加入充值功能).
        if d.kind == FactType::Hire && d.object.is_empty() {
            continue;
        }
        // A stock exchange is where a company lists or raises money, never the company; a
        // bare party or government organ (市委, 省政府: no place names it) is no company
        // either, so it does no company's act.
        let company_act = matches!(types::of(d.kind).party, Party::Org | Party::OrgFirst);
        d.subject.retain(|&e| {
            doc.entities.get(e).is_none_or(|ent| {
                !is_stock_exchange(&ent.name) && !(company_act && is_bare_organ(&ent.name))
            })
        });
        if d.subject.is_empty() {
            continue;
        }
        let mut fact = to_fact(ctx, doc, &d, span, recent);
        let facts = buckets
            .entry((fact.kind, fact.subject.clone()))
            .or_default();
        // A repeat adds nothing but perhaps the date the first telling lacked.
        if let Some((_, kept, _)) = facts.iter_mut().find(|(_, f, _)| covers(f, &fact)) {
            if kept.date.is_none() {
                kept.date = fact.date.take();
            }
            continue;
        }
        // Two halves of one fact in one sentence (签订供货协议 with the counterpart, 合同总金额
        // 45亿元 with the value): one fact.
        if let Some((_, kept, kd)) = facts
            .iter_mut()
            .rev()
            .take_while(|(_, f, _)| f.nspan == fact.nspan)
            .find(|(_, f, _)| complements(f, &fact))
        {
            merge_into(kept, fact);
            kd.value = kd.value.or(d.value);
            kd.percent = kd.percent.or(d.percent);
            if kd.object.is_empty() {
                kd.object = d.object;
            }
            continue;
        }
        let mut date = None;
        facts.retain(|(_, f, _)| {
            let weaker = covers(&fact, f);
            if weaker && date.is_none() {
                date = f.date.clone();
            }
            !weaker
        });
        if fact.date.is_none() {
            fact.date = date;
        }
        facts.push((seq, fact, d));
    }
    let mut facts: Vec<(usize, Fact, Draft)> = buckets.into_values().flatten().collect();
    facts.sort_by_key(|(seq, f, d)| (f.nspan.0, d.trigger.0, *seq));
    let mut facts: Vec<(Fact, Draft)> = facts.into_iter().map(|(_, f, d)| (f, d)).collect();
    for (n, (f, d)) in facts.iter_mut().enumerate() {
        f.id = format!("F{}", n + 1);
        label_values(doc, d);
    }
    doc.facts = facts.into_iter().map(|(f, _)| f).collect();
}

/// Does a sentence with amounts `ids` and trigger cues `hits` need reading? Roles are set
/// on every amount, frames start at a trigger; a sentence with neither yields nothing.
fn needs_sentence(ids: &[usize], hits: &[cues::Hit]) -> bool {
    every_sentence() || !ids.is_empty() || !hits.is_empty()
}

/// The test hook that reads every sentence (and every document) the long way, to show
/// that skipping the ones with neither an amount nor a trigger changes nothing.
#[inline(always)]
fn every_sentence() -> bool {
    #[cfg(test)]
    if tests::EVERY_SENTENCE.with(std::cell::Cell::get) {
        return true;
    }
    false
}

/// Money raised in the sentence of an IPO is the IPO's value (priced its IPO at $18 a
/// share, raising $252 million): the round the `raising` trigger read is that IPO.
fn fold_ipo_proceeds(drafts: &mut Vec<(Draft, NSpan, bool)>) {
    // Rounds with a value, by sentence.
    let mut rounds: HashMap<NSpan, Vec<usize>> = HashMap::new();
    for (j, (d, span, _)) in drafts.iter().enumerate() {
        if d.kind == FactType::FundingRound && d.value.is_some() {
            rounds.entry(*span).or_default().push(j);
        }
    }
    if rounds.is_empty() {
        return;
    }
    let mut drop = vec![false; drafts.len()];
    for i in 0..drafts.len() {
        if drafts[i].0.kind != FactType::Ipo || drafts[i].0.value.is_some() {
            continue;
        }
        let found = rounds.get(&drafts[i].1).and_then(|js| {
            js.iter().copied().find(|&j| {
                !drop[j]
                    && (drafts[j].0.subject == drafts[i].0.subject
                        || drafts[j].0.subject.is_empty())
            })
        });
        if let Some(j) = found {
            drafts[i].0.value = drafts[j].0.value;
            drop[j] = true;
        }
    }
    let mut it = drop.into_iter();
    drafts.retain(|_| !it.next().unwrap_or(false));
}

/// Lists become one fact per party where each party did something of its own: every
/// investor of a round invested (A和B投资3亿美元: two investments without a value each, and
/// the round of 3亿美元 the target raised), every fined company was fined, every person
/// hired or left; a partnership or contract with several counterparts is one fact per
/// counterpart. An acquisition of several units and a lawsuit against several defendants
/// stay one fact with an object list.
fn one_per_party(d: Draft) -> Vec<Draft> {
    let with = |subject: Vec<usize>, object: Vec<usize>| Draft {
        subject,
        object,
        ..d.clone()
    };
    // Joint investors share one amount: it is the round the target raised, not what each put in.
    if d.kind == FactType::Investment && d.subject.len() > 1 && d.value.is_some() {
        let mut out: Vec<Draft> = d
            .subject
            .iter()
            .map(|&inv| Draft {
                value: None,
                percent: None,
                ..with(vec![inv], d.object.clone())
            })
            .collect();
        if !d.object.is_empty() {
            out.push(Draft {
                kind: FactType::FundingRound,
                percent: None,
                ..with(d.object.clone(), d.subject.clone())
            });
        }
        return out;
    }
    // Each investor named in a round invested in the company raising it.
    if d.kind == FactType::FundingRound && !d.object.is_empty() {
        let mut out = vec![d.clone()];
        out.extend(d.object.iter().map(|&inv| Draft {
            kind: FactType::Investment,
            value: None,
            percent: None,
            ..with(vec![inv], d.subject.clone())
        }));
        return out;
    }
    let each = |v: &[usize]| -> Vec<Vec<usize>> {
        if v.len() > 1 {
            v.iter().map(|&e| vec![e]).collect()
        } else {
            vec![v.to_vec()]
        }
    };
    let (subjects, objects) = match types::of(d.kind).lists {
        Lists::Subject => (each(&d.subject), vec![d.object.clone()]),
        Lists::Object => (vec![d.subject.clone()], each(&d.object)),
        Lists::Both => (each(&d.subject), each(&d.object)),
        Lists::None => (vec![d.subject.clone()], vec![d.object.clone()]),
    };
    let mut out = Vec::new();
    for sub in &subjects {
        for obj in &objects {
            out.push(with(sub.clone(), obj.clone()));
        }
    }
    out
}

/// Profit and revenue drafts from the rows of wire-service results tables
/// ([`crate::recognize::amount::wire_table`]): the figure of the period reported is the
/// value (negative for a loss), the company is the first organisation of the paragraph (the
/// table's headline). The prior period's figure after `vs` is the same measure, no fact.
fn table_drafts(
    ctx: &Context<'_>,
    doc: &mut Document,
    all: &[sentence::Placed],
) -> Vec<(Draft, NSpan)> {
    use crate::recognize::amount::wire_table::{rows, Measure};
    let mut out = Vec::new();
    for &(ps, pe) in &ctx.seg.paragraphs {
        let table = rows(ctx.text, (ps, pe));
        if table.is_empty() {
            continue;
        }
        let company = all
            .iter()
            .find(|m| {
                m.span.0 >= ps && m.span.1 <= pe && m.kind == crate::document::EntityType::Org
            })
            .map(|m| m.entity);
        for r in table {
            let (kind, role) = match r.measure {
                Measure::Profit => (FactType::Profit, AmountRole::Profit),
                Measure::Revenue => (FactType::Revenue, AmountRole::Revenue),
                Measure::Other => continue,
            };
            let at = |sp: NSpan| {
                doc.amounts
                    .iter()
                    .position(|a| a.nspan.0 <= sp.0 && sp.0 < a.nspan.1)
            };
            let (Some(value), prior) = (at(r.figure), at(r.prior)) else {
                continue;
            };
            let owner = company.and_then(|e| doc.entities.get(e));
            let (name, id) = (owner.map(|e| e.name.clone()), owner.map(|e| e.id.clone()));
            for i in std::iter::once(value).chain(prior) {
                if let Some(a) = doc.amounts.get_mut(i) {
                    a.role = Some(role);
                    a.subject = name.clone();
                    a.subject_id = id.clone();
                }
            }
            let Some(company) = company else {
                continue;
            };
            let span = ctx
                .seg
                .sentence_index(r.label.0)
                .and_then(|i| ctx.seg.sentences.get(i))
                .copied()
                .unwrap_or((ps, pe));
            let row = TRIGGERS
                .rows
                .iter()
                .position(|t| t.kind == kind)
                .unwrap_or(0);
            out.push((
                Draft {
                    kind,
                    subject: vec![company],
                    object: Vec::new(),
                    value: Some(value),
                    percent: None,
                    trigger: r.label,
                    row,
                    negative: r.negative,
                },
                span,
            ));
        }
    }
    out
}

/// The names of entities `ids`, joined by `; ` (None for none).
fn names(doc: &Document, ids: &[usize]) -> Option<String> {
    joined(doc, ids, |e| e.name.as_str())
}

/// The entity ids of `ids` (`E3; E7`), in the order of [`names`].
fn entity_ids(doc: &Document, ids: &[usize]) -> Option<String> {
    joined(doc, ids, |e| e.id.as_str())
}

fn joined<'d>(
    doc: &'d Document,
    ids: &[usize],
    field: impl Fn(&'d crate::document::Entity) -> &'d str,
) -> Option<String> {
    let v: Vec<&str> = ids
        .iter()
        .filter_map(|&e| doc.entities.get(e))
        .map(field)
        .collect();
    (!v.is_empty()).then(|| v.join("; "))
}

/// Parses `data/stock_exchanges.tsv`: one name a row, lower-cased.
fn stock_exchange_table() -> Result<Vec<String>, crate::table::TableError> {
    let (file, text) = crate::data_table!("stock_exchanges.tsv");
    crate::table::rows(file, text)
        .map(|r| Ok(r.at_most(1)?.cell(0, "name")?.to_lowercase()))
        .collect()
}

/// Loads `data/stock_exchanges.tsv`, for [`crate::table::check_all`].
pub(crate) fn check_stock_exchanges() -> Result<(), crate::table::TableError> {
    crate::table::check_cell(&STOCK_EXCHANGES)
}

/// Stock exchanges and listing boards (`data/stock_exchanges.tsv`), lower-cased.
static STOCK_EXCHANGES: crate::table::TableCell<Vec<String>> =
    crate::table::TableCell::new(stock_exchange_table);

/// True for the name of a court or tribunal (U.S. District Court, 北京市第一中级人民法院).
fn is_court(name: &str) -> bool {
    let lower = words::lowercase(name);
    words::words()
        .court
        .iter()
        .any(|w| lower.contains(w.as_str()))
}

/// True for a party or government organ named without its place (市委, 省政府;
/// `bare_organ` of `data/fact_words.tsv`): `北京市委` names one, `市委` alone does not.
fn is_bare_organ(name: &str) -> bool {
    words::words().bare_organ.iter().any(|w| w == name)
}

/// True for the name of a stock exchange or listing board (上交所, Nasdaq, 香港联合交易所).
fn is_stock_exchange(name: &str) -> bool {
    let lower = words::lowercase(name);
    lower.ends_with("交易所")
        || lower.ends_with("stock exchange")
        || crate::table::cell_value(&STOCK_EXCHANGES)
            .iter()
            .any(|x| *x == *lower)
}

fn to_fact(ctx: &Context<'_>, doc: &Document, d: &Draft, span: NSpan, recent: bool) -> Fact {
    let value = d.value.and_then(|i| doc.amounts.get(i));
    let percent = d
        .percent
        .and_then(|i| doc.amounts.get(i))
        .and_then(|a| a.value);
    let sign = |v: crate::num::Num| {
        if d.negative && v > crate::num::Num::from_int(0) {
            crate::num::Num::from_int(0).checked_sub(v).unwrap_or(v)
        } else {
            v
        }
    };
    Fact {
        id: String::new(),
        kind: d.kind,
        subject: names(doc, &d.subject),
        object: names(doc, &d.object),
        subject_id: entity_ids(doc, &d.subject),
        object_id: entity_ids(doc, &d.object),
        value: value.and_then(|a| a.value).map(sign),
        unit: value.and_then(|a| a.unit.clone()),
        // A loss reads as one: `USD -306M` beside the value -306000000.
        display: value.and_then(|a| a.display.clone()).map(|text| {
            match (d.negative, text.split_once(' ')) {
                (true, Some((unit, rest))) if !rest.starts_with('-') => format!("{unit} -{rest}"),
                _ => text,
            }
        }),
        percent,
        date: if matches!(d.kind, FactType::Revenue | FactType::Profit) {
            period_date(doc, d.trigger.0, chain_span(ctx, span))
        } else {
            fact_date(ctx, doc, d.trigger.0, span, recent)
        },
        evidence: String::new(),
        start: 0,
        end: 0,
        nspan: span,
    }
}

/// `a` says everything `b` says (same type and subject; b's object, value and percent are
/// absent or equal to a's): `b` is a repeat.
fn covers(a: &Fact, b: &Fact) -> bool {
    let within = |x: &Option<String>, y: &Option<String>| match (x, y) {
        (_, None) => true,
        (Some(x), Some(y)) => y.split("; ").all(|p| x.split("; ").any(|q| q == p)),
        (None, Some(_)) => false,
    };
    let same_or_absent =
        |x: &Option<crate::num::Num>, y: &Option<crate::num::Num>| y.is_none() || x == y;
    a.kind == b.kind
        && a.subject == b.subject
        && within(&a.object, &b.object)
        && same_or_absent(&a.value, &b.value)
        && same_or_absent(&a.percent, &b.percent)
}

/// `a` and `b` tell one fact in halves: same type and subject, and each side, value and
/// percent given by at most one of them (or equal).
fn complements(a: &Fact, b: &Fact) -> bool {
    fn fits<T: PartialEq>(x: &Option<T>, y: &Option<T>) -> bool {
        x.is_none() || y.is_none() || x == y
    }
    a.kind == b.kind
        && a.subject == b.subject
        && fits(&a.object, &b.object)
        && fits(&a.value, &b.value)
        && fits(&a.percent, &b.percent)
}

/// Fills what `into` lacks from `from`.
fn merge_into(into: &mut Fact, from: Fact) {
    if into.object.is_none() {
        into.object = from.object;
        into.object_id = from.object_id;
    }
    if into.value.is_none() {
        into.value = from.value;
        into.unit = from.unit;
        into.display = from.display;
    }
    into.percent = into.percent.or(from.percent);
    if into.date.is_none() {
        into.date = from.date;
    }
}

/// A sentence and the one before it in its paragraph when that one ends in `;` or `:`
/// (a results chain split by the sentence splitter: 上半年实现营业收入86.4亿元;归母净利润
/// 7.15亿元 keeps its period).
fn chain_span(ctx: &Context<'_>, span: NSpan) -> NSpan {
    let i = ctx.seg.sentences.partition_point(|s| s.0 < span.0);
    let prev = i
        .checked_sub(1)
        .and_then(|k| ctx.seg.sentences.get(k))
        .copied();
    let same_par = |a: usize, b: usize| ctx.seg.paragraph_index(a) == ctx.seg.paragraph_index(b);
    match prev {
        Some(p)
            if same_par(p.0, span.0)
                && ctx
                    .text
                    .get(p.0..p.1)
                    .is_some_and(|t| t.trim_end().ends_with([';', ':', '；', '：', ','])) =>
        {
            (p.0, span.1)
        }
        _ => span,
    }
}

/// The period a revenue or profit figure covers: the sentence's period date (a quarter,
/// half, year or month: 第二季度, 上半年, 2024年, for the quarter ended June 30) nearest
/// before the trigger, else the first after it. A day is when a figure was reported, not
/// what it covers, and a span of several periods (前三季度) is no one period: neither dates
/// the figure, and no date of another sentence does.
fn period_date(doc: &Document, trigger: usize, span: NSpan) -> Option<String> {
    let periods: Vec<&crate::document::DateItem> = doc
        .dates
        .iter()
        .filter(|d| d.kind == DateKind::Date && d.nspan.0 >= span.0 && d.nspan.0 < span.1)
        .filter(|d| {
            matches!(
                d.granularity.as_deref(),
                Some("year" | "half" | "quarter" | "month")
            )
        })
        .collect();
    periods
        .iter()
        .filter(|d| d.nspan.0 <= trigger)
        .max_by_key(|d| d.nspan.0)
        .or_else(|| {
            periods
                .iter()
                .filter(|d| d.nspan.0 > trigger)
                .min_by_key(|d| d.nspan.0)
        })
        .and_then(|d| d.value.clone())
}

/// The sentence's own date nearest before the trigger (else the first after it in its
/// clause; its value, null when unresolved), else the nearest earlier resolved date of the
/// paragraph, else the document date for news of the moment.
fn fact_date(
    ctx: &Context<'_>,
    doc: &Document,
    trigger: usize,
    span: NSpan,
    recent: bool,
) -> Option<String> {
    let usable = |d: &&crate::document::DateItem| d.kind != DateKind::Duration && d.value.is_some();
    // The sentence's own dates count even when unresolved (7月份 with no year known): the
    // fact then has no date, rather than a year borrowed from another sentence (到2027年).
    let in_sentence: Vec<_> = doc
        .dates
        .iter()
        .filter(|d| d.kind != DateKind::Duration)
        .filter(|d| d.nspan.0 >= span.0 && d.nspan.0 < span.1)
        .collect();
    // Before the trigger, else after it in its own clause: a date in a later clause
    // (交易已于上周完成交割) tells of something else.
    let clause_end = ctx
        .text
        .get(trigger..span.1)
        .and_then(|t| t.find([',', ';', ':']))
        .map_or(span.1, |i| trigger + i);
    let own = in_sentence
        .iter()
        .filter(|d| d.nspan.0 <= trigger)
        .max_by_key(|d| d.nspan.0)
        .or_else(|| {
            in_sentence
                .iter()
                .filter(|d| d.nspan.0 < clause_end)
                .min_by_key(|d| d.nspan.0)
        });
    if let Some(d) = own {
        return d.value.clone();
    }
    let para = ctx
        .seg
        .paragraph_index(span.0)
        .and_then(|p| ctx.seg.paragraphs.get(p))
        .copied();
    if let Some((ps, _)) = para {
        let earlier = doc
            .dates
            .iter()
            .filter(usable)
            .filter(|d| d.nspan.0 >= ps && d.nspan.1 <= span.0)
            .max_by_key(|d| d.nspan.0);
        if let Some(d) = earlier {
            return d.value.clone();
        }
    }
    if recent {
        return doc.doc_date.clone();
    }
    None
}

/// The fact's value amounts take the fact's view: the role of its type
/// (`data/fact_types.tsv`, unless a cue already named a specific one; a percentage of a deal
/// is the stake), and the fact's subject (a stake belongs to the target) with its entity id.
fn label_values(doc: &mut Document, d: &Draft) {
    let type_role = types::of(d.kind).value_role;
    let row_has_stake = TRIGGERS
        .rows
        .get(d.row)
        .is_some_and(|r| r.value_roles.contains(&AmountRole::Stake));
    for i in [d.value, d.percent].into_iter().flatten() {
        let Some(a) = doc.amounts.get(i) else {
            continue;
        };
        let default_role = if a.kind == crate::document::AmountKind::Percent && row_has_stake {
            AmountRole::Stake
        } else {
            type_role
        };
        let mut role = a.role;
        if matches!(role, None | Some(AmountRole::Other)) && default_role != AmountRole::Quantity {
            role = Some(default_role);
        }
        let owner = if role == Some(AmountRole::Stake) {
            d.object.first().or(d.subject.first())
        } else {
            d.subject.first()
        };
        let owner = owner
            .and_then(|&e| doc.entities.get(e))
            .map(|e| (e.name.clone(), e.id.clone()));
        let Some(a) = doc.amounts.get_mut(i) else {
            continue;
        };
        a.role = role;
        if let (Some((name, id)), false) = (owner, role == Some(AmountRole::Commission)) {
            a.subject = Some(name);
            a.subject_id = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Hand-built documents: entities, amounts and dates placed by substring, so the facts
    //! logic is tested without the recognisers.
    use super::*;
    use crate::document::{Amount, AmountKind, DateItem, Entity, EntityType, Mention};
    use crate::num::Num;

    pub(super) struct Kit {
        pub text: String,
        pub doc: Document,
    }

    impl Kit {
        pub(super) fn new(text: &str) -> Kit {
            Kit {
                text: text.to_string(),
                doc: Document {
                    doc_date: Some("2025-09-05".into()),
                    ..Default::default()
                },
            }
        }

        fn spans(&self, needle: &str) -> Vec<NSpan> {
            self.text
                .match_indices(needle)
                .map(|(s, n)| (s, s + n.len()))
                .collect()
        }

        /// An entity with every occurrence of each surface form as a mention.
        pub(super) fn ent(mut self, kind: EntityType, name: &str, forms: &[&str]) -> Kit {
            let mut mentions: Vec<Mention> = Vec::new();
            for f in std::iter::once(&name).chain(forms) {
                for sp in self.spans(f) {
                    if !mentions
                        .iter()
                        .any(|m| m.nspan.0 < sp.1 && sp.0 < m.nspan.1)
                    {
                        mentions.push(Mention::at(sp));
                    }
                }
            }
            let id = format!("E{}", self.doc.entities.len() + 1);
            self.doc.entities.push(Entity {
                id,
                kind,
                name: name.into(),
                name_en: None,
                mentions,
            });
            self
        }

        /// An amount at the n-th occurrence of `surface`.
        pub(super) fn amt(
            mut self,
            surface: &str,
            nth: usize,
            kind: AmountKind,
            value: &str,
            unit: &str,
        ) -> Kit {
            let sp = self.spans(surface)[nth];
            let mut a = Amount::new(kind, sp);
            a.value = Num::parse_decimal(value);
            a.unit = Some(unit.into());
            a.display = Some(format!("{unit} {value}"));
            self.doc.amounts.push(a);
            self
        }

        pub(super) fn date(mut self, surface: &str, value: &str) -> Kit {
            let sp = self.spans(surface)[0];
            let mut d = DateItem::new(DateKind::Date, sp);
            d.value = Some(value.into());
            self.doc.dates.push(d);
            self
        }

        /// A date the recogniser found but could not resolve (no year known).
        pub(super) fn unresolved(mut self, surface: &str) -> Kit {
            let sp = self.spans(surface)[0];
            self.doc.dates.push(DateItem::new(DateKind::Date, sp));
            self
        }

        pub(super) fn run(mut self) -> Document {
            let seg = crate::segment::segment(&self.text, true);
            let ctx = Context {
                text: &self.text,
                seg: &seg,
                doc_date: None,
                numbers: false,
            };
            extract(&ctx, &mut self.doc);
            self.doc
        }
    }

    thread_local! {
        /// Read every sentence, as before sentences without amount or trigger were passed
        /// over: the plain path the fast one is compared with.
        pub(super) static EVERY_SENTENCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// The whole document as JSON, facts, roles and subjects included: sentences passed
    /// over or not.
    fn both_ways(make: impl Fn() -> Kit) -> (String, String) {
        let fast = make().run();
        EVERY_SENTENCE.with(|c| c.set(true));
        let plain = make().run();
        EVERY_SENTENCE.with(|c| c.set(false));
        let json = |d: &Document| serde_json::to_string(d).unwrap_or_default();
        (json(&fast), json(&plain))
    }

    /// A sentence with neither an amount nor a trigger is not read, yet what it gives the
    /// rules as context still counts: its names make the paragraph's topic (the company of
    /// a figure that names none), its anaphors' antecedents, the sentence a later value
    /// passes over. Every document comes out as with every sentence read.
    #[test]
    fn sentences_without_trigger_or_amount_still_give_context() {
        // The topic: 北辰新能源 is named in sentences with no trigger and no amount only.
        let topic = || {
            Kit::new("北辰新能源是一家电池企业。北辰新能源总部位于合肥。上半年净利润为4.2亿元。")
                .ent(Org, "北辰新能源", &[])
                .amt("4.2亿元", 0, Money, "420000000", "CNY")
        };
        assert_eq!(
            summary(&topic().run()),
            vec!["profit 北辰新能源 -> - 420000000 CNY - -"]
        );
        // The antecedent of 该公司 stands in a sentence with no trigger and no amount.
        let anaphor = || {
            Kit::new("星河数码有限公司经营的网站发布了违规内容。监管部门依法对该公司作出罚款50万元的行政处罚。")
                .ent(Org, "星河数码有限公司", &[])
                .amt("50万元", 0, Money, "500000", "CNY")
        };
        assert_eq!(
            summary(&anaphor().run()),
            vec!["fine 星河数码有限公司 -> - 500000 CNY - -"]
        );
        // A value told two sentences on, across one with neither.
        let later = || {
            Kit::new(
                "Acme Corp said it filed a lawsuit against Beta Inc. Acme said in the suit that \
                 Beta copied its design. The suit seeks damages of 50 mln dlrs.",
            )
            .ent(Org, "Acme Corp", &["Acme"])
            .ent(Org, "Beta Inc", &["Beta"])
            .amt("50 mln dlrs", 0, Money, "50000000", "USD")
        };
        assert_eq!(
            summary(&later().run()),
            vec!["lawsuit Acme Corp -> Beta Inc 50000000 USD - -"]
        );
        // The quoted speaker: 我 is 张伟, named outside the quote's sentence of the move.
        let quoted = || {
            Kit::new("9月1日,张伟在微博上发声:“上个月,我从字节跳动离职并加入智谱。”天气很好。")
                .ent(Person, "张伟", &[])
                .ent(Org, "字节跳动", &[])
                .ent(Org, "智谱", &[])
                .date("上个月", "2025-08")
        };
        let plural = || {
            Kit::new("星河(北京)科技有限公司、北京四月网络技术有限公司传播违法内容。依法对这2家公司分别作出罚款30000元的行政处罚。")
                .ent(Org, "星河(北京)科技有限公司", &[])
                .ent(Org, "北京四月网络技术有限公司", &[])
                .amt("30000元", 0, Money, "30000", "CNY")
        };
        // A document with neither an amount nor a trigger anywhere is not read at all.
        let nothing = || {
            Kit::new("星河数码有限公司总部位于合肥。该公司的网站很好。")
                .ent(Org, "星河数码有限公司", &[])
        };
        assert!(summary(&nothing().run()).is_empty());
        let makers: [&dyn Fn() -> Kit; 6] = [&topic, &anaphor, &later, &quoted, &plural, &nothing];
        for make in makers {
            let (fast, plain) = both_ways(make);
            assert_eq!(fast, plain);
        }
    }

    /// The document's one scan reads, per sentence, the trigger and role cues a scan of the
    /// sentence found, and the anaphors a scan of the whole text found (the real tables).
    #[test]
    fn one_scan_of_the_document_finds_what_the_scans_per_table_found() {
        let texts = [
            "星河科技完成B轮融资,由红杉资本领投;其估值达到20亿美元。他从字节跳动离职并加入智谱。这两家公司均被罚款100万元。该公司的净利润为3亿元。",
            "Acme Corp said it ACQUIRED Beta Inc for 5 mln dlrs. The company raised its stake in Wrather Corp to 11.3 pct. It sued the firm.",
            "阿里巴巴收购了饿了么,此后计划上市;这家上市公司收购Acquire Corp。上半年营业收入32.5亿元,同比下滑18%;归母净亏损4.2亿元。",
        ];
        for t in texts {
            let scanned = DOC_CUES.scan(t);
            let seg = crate::segment::segment(t, false);
            let mut got = Vec::new();
            for &span in &seg.sentences {
                TRIGGERS.find_scanned(t, span, scanned.of(TRIGGER_CUES), &mut got);
                assert_eq!(got, TRIGGERS.find(t, span), "{t}");
                roles::ROLES.find_scanned(t, span, scanned.of(ROLE_CUES), &mut got);
                assert_eq!(got, roles::ROLES.find(t, span), "{t}");
            }
            let anaphors = sentence::anaphors();
            assert_eq!(
                anaphors.find_scanned_all(t, scanned.of(ANAPHOR_CUES)),
                anaphors.find(t, (0, t.len()))
            );
        }
    }

    #[test]
    fn only_sentences_with_an_amount_or_a_trigger_are_read() {
        let hit = cues::Hit {
            start: 0,
            end: 6,
            row: 0,
        };
        assert!(!needs_sentence(&[], &[]));
        assert!(needs_sentence(&[3], &[]));
        assert!(needs_sentence(&[], &[hit]));
    }

    /// `type subject -> object value% date` lines, for readable assertions.
    pub(super) fn summary(doc: &Document) -> Vec<String> {
        doc.facts
            .iter()
            .map(|f| {
                format!(
                    "{} {} -> {} {} {} {}",
                    f.kind,
                    f.subject.as_deref().unwrap_or("-"),
                    f.object.as_deref().unwrap_or("-"),
                    f.value.map_or("-".into(), |v| format!(
                        "{} {}",
                        v,
                        f.unit.as_deref().unwrap_or("")
                    )),
                    f.percent.map_or("-".into(), |p| format!("{p}%")),
                    f.date.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    fn role(doc: &Document, i: usize) -> (&str, &str) {
        (
            doc.amounts[i].role.map_or("-", |r| r.as_str()),
            doc.amounts[i].subject.as_deref().unwrap_or("-"),
        )
    }

    use AmountKind::{Money, Percent, Quantity};
    use EntityType::{Org, Person};

    #[test]
    fn minority_purchase_is_an_investment_with_stake_and_paragraph_date() {
        let doc = Kit::new("今年3月,Nova迎来转折。腾讯斥资80亿元收购Nova 30%的股份,将其估值推高至400亿元(约合55亿美元)。")
            .ent(Org, "腾讯", &[])
            .ent(Org, "Nova", &[])
            .amt("80亿元", 0, Money, "8000000000", "CNY")
            .amt("30%", 0, Percent, "30", "%")
            .amt("400亿元", 0, Money, "40000000000", "CNY")
            .amt("55亿美元", 0, Money, "5500000000", "USD")
            .date("今年3月", "2025-03")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "investment 腾讯 -> Nova 8000000000 CNY 30% 2025-03",
                "valuation Nova -> - 40000000000 CNY - 2025-03"
            ]
        );
        assert_eq!(role(&doc, 0), ("investment", "腾讯"));
        assert_eq!(role(&doc, 1), ("stake", "Nova"));
        assert_eq!(role(&doc, 2), ("valuation", "Nova"));
        assert_eq!(
            role(&doc, 3),
            ("valuation", "Nova"),
            "a conversion restates its amount"
        );
    }

    #[test]
    fn ba_lawsuit_and_relative_clause_valuation() {
        let doc = Kit::new("8月12日,芯源科技一纸诉状,将前销售总监王磊及其新东家——估值已达15亿元的初创公司光迹智能双双告上法庭。")
            .ent(Org, "芯源科技", &[])
            .ent(Person, "王磊", &[])
            .ent(Org, "光迹智能", &[])
            .amt("15亿元", 0, Money, "1500000000", "CNY")
            .date("8月12日", "2025-08-12")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "valuation 光迹智能 -> - 1500000000 CNY - 2025-08-12",
                "lawsuit 芯源科技 -> 王磊; 光迹智能 - - 2025-08-12"
            ]
        );
        assert_eq!(role(&doc, 0), ("valuation", "光迹智能"));
    }

    #[test]
    fn commission_with_threshold() {
        let doc = Kit::new("光迹智能向王磊开出条件:支付其带来项目毛利润的15%作为提成,前提是王磊能带来超过300万元的毛利润。")
            .ent(Org, "光迹智能", &[])
            .ent(Person, "王磊", &[])
            .amt("15%", 0, Percent, "15", "%")
            .amt("300万元", 0, Money, "3000000", "CNY")
            .run();
        assert_eq!(summary(&doc), vec!["commission 光迹智能 -> 王磊 - 15% -"]);
        assert_eq!(role(&doc, 0).0, "commission");
        assert_eq!(role(&doc, 1).0, "threshold");
    }

    #[test]
    fn plan_presupposes_the_contract_but_is_no_fact_itself() {
        let doc =
            Kit::new("据报道,华为正在计划终止一份价值3亿元的合同。小米计划收购一家芯片公司。")
                .ent(Org, "华为", &[])
                .ent(Org, "小米", &[])
                .amt("3亿元", 0, Money, "300000000", "CNY")
                .run();
        assert_eq!(summary(&doc), vec!["contract 华为 -> - 300000000 CNY - -"]);
        assert_eq!(role(&doc, 0), ("contract", "华为"));
    }

    #[test]
    fn a_bare_organ_is_no_company_going_public() {
        let doc = Kit::new("据悉,市委在深交所上市,IPO募资20亿元。")
            .ent(Org, "市委", &[])
            .ent(Org, "深交所", &[])
            .amt("20亿元", 0, Money, "2000000000", "CNY")
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        // The same sentence with a company: the organ rule is what keeps the organ out.
        let doc = Kit::new("据悉,华康在深交所上市,IPO募资20亿元。")
            .ent(Org, "华康", &[])
            .ent(Org, "深交所", &[])
            .amt("20亿元", 0, Money, "2000000000", "CNY")
            .run();
        assert!(
            summary(&doc).iter().any(|f| f.starts_with("ipo 华康")),
            "{:?}",
            summary(&doc)
        );
        // An exchange's review committee rules on a listing; it does not list.
        let doc = Kit::new("发审工作由上交所的上市委来负责,这意味着在科创板上市可以缩短时间。")
            .ent(Org, "上交所", &[])
            .ent(Org, "上市委", &[])
            .run();
        assert!(
            summary(&doc).iter().all(|f| !f.contains("上市委")),
            "{:?}",
            summary(&doc)
        );
        assert!(is_bare_organ("市委") && is_bare_organ("省政府") && is_bare_organ("上市委"));
        assert!(!is_bare_organ("北京市委") && !is_bare_organ("华康"));
    }

    #[test]
    fn an_exchange_is_no_company_going_public() {
        let doc = Kit::new("罗辑思维计划在科创板上市,上海证券交易所负责审核其IPO申请。")
            .ent(Org, "上海证券交易所", &[])
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        let doc = Kit::new("小米集团在港交所上市,IPO募资240亿港元。")
            .ent(Org, "小米集团", &[])
            .ent(Org, "港交所", &[])
            .amt("240亿港元", 0, Money, "24000000000", "HKD")
            .run();
        assert!(
            summary(&doc).iter().all(|f| f.starts_with("ipo 小米集团")),
            "{:?}",
            summary(&doc)
        );
        assert!(!summary(&doc).is_empty());
        assert!(is_stock_exchange("香港联合交易所") && is_stock_exchange("NASDAQ"));
        assert!(!is_stock_exchange("小米集团"));
    }

    #[test]
    fn a_figure_compared_with_takes_its_role() {
        let doc = Kit::new(
            "ACME CORP 4TH QTR LOSS - Shr loss 67 cts vs profit 60 cts Net loss 1,398,000 dlrs.",
        )
        .ent(Org, "ACME CORP", &[])
        .amt("67 cts", 0, Money, "0.67", "USD")
        .amt("60 cts", 0, Money, "0.6", "USD")
        .run();
        assert_eq!(role(&doc, 0).0, "price");
        assert_eq!(role(&doc, 1).0, "price");
        assert!(
            summary(&doc).iter().all(|f| !f.contains("0.6 USD")),
            "{:?}",
            summary(&doc)
        );
    }

    /// The person after a word of succession is the predecessor, not the one hired, unless
    /// a clause of their own hires them.
    #[test]
    fn the_successor_is_hired_not_the_predecessor() {
        let doc = Kit::new("Acme Corp said John Smith has been named to succeed Robert Cale as president.")
            .ent(Org, "Acme Corp", &[])
            .ent(Person, "John Smith", &[])
            .ent(Person, "Robert Cale", &[])
            .run();
        assert_eq!(summary(&doc), vec!["hire John Smith -> Acme Corp - - -"]);
        let doc = Kit::new("阿里巴巴宣布张勇接替马云出任集团董事局主席。")
            .ent(Org, "阿里巴巴", &[])
            .ent(Person, "张勇", &[])
            .ent(Person, "马云", &[])
            .run();
        assert_eq!(summary(&doc), vec!["hire 张勇 -> 阿里巴巴 - - 2025-09-05"]);
        let doc = Kit::new(
            "Salomon Inc elected Gerald Rosenfeld treasurer, succeeding Ray Golden who has since joined Trammell Crow Co.",
        )
        .ent(Org, "Salomon Inc", &[])
        .ent(Org, "Trammell Crow Co", &[])
        .ent(Person, "Gerald Rosenfeld", &[])
        .ent(Person, "Ray Golden", &[])
        .run();
        assert_eq!(
            summary(&doc),
            vec![
                "hire Gerald Rosenfeld -> Salomon Inc - - -",
                "hire Ray Golden -> Trammell Crow Co - - -"
            ]
        );
    }

    #[test]
    fn company_figures_need_a_company_and_joining_needs_a_place() {
        let doc = Kit::new("据李来金介绍,快递员白天配送一单的收入为10元。")
            .ent(Person, "李来金", &[])
            .amt("10元", 0, Money, "10", "CNY")
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        let doc = Kit::new("刘宇让团队开始加入充值功能。")
            .ent(Person, "刘宇", &[])
            .run();
        assert!(summary(&doc).is_empty(), "{:?}", summary(&doc));
        let doc = Kit::new("刘宇于6月加入腾讯。")
            .ent(Person, "刘宇", &[])
            .ent(Org, "腾讯", &[])
            .run();
        assert_eq!(summary(&doc), vec!["hire 刘宇 -> 腾讯 - - -"]);
    }

    #[test]
    fn an_unresolved_date_of_its_own_borrows_no_year() {
        let doc = Kit::new("越南计划到2027年实现无现金经济。软银曾在7月份对VNPAY投资3亿美元。")
            .ent(Org, "软银", &[])
            .ent(Org, "VNPAY", &[])
            .amt("3亿美元", 0, Money, "300000000", "USD")
            .date("2027年", "2027")
            .unresolved("7月份")
            .run();
        assert!(!doc.facts.is_empty());
        assert!(
            doc.facts.iter().all(|f| f.date.is_none()),
            "{:?}",
            summary(&doc)
        );
        // A resolved date of its own still dates the fact.
        let doc = Kit::new("软银于2025年7月对VNPAY投资3亿美元。")
            .ent(Org, "软银", &[])
            .ent(Org, "VNPAY", &[])
            .amt("3亿美元", 0, Money, "300000000", "USD")
            .date("2025年7月", "2025-07")
            .run();
        assert_eq!(
            doc.facts.first().and_then(|f| f.date.clone()).as_deref(),
            Some("2025-07")
        );
    }

    #[test]
    fn per_share_figures_are_not_totals() {
        let doc = Kit::new("Acme Corp reported a net profit of $1.2 billion, or $2.10 per share.")
            .ent(Org, "Acme Corp", &[])
            .amt("$1.2 billion", 0, Money, "1200000000", "USD")
            .amt("$2.10", 0, Money, "2.1", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["profit Acme Corp -> - 1200000000 USD - -"]
        );
        assert_eq!(role(&doc, 1).0, "price");
        let doc = Kit::new("腾讯去年净利润达到1500亿元,每股收益15.8元。")
            .ent(Org, "腾讯", &[])
            .amt("1500亿元", 0, Money, "150000000000", "CNY")
            .amt("15.8元", 0, Money, "15.8", "CNY")
            .run();
        assert_eq!(role(&doc, 0).0, "profit");
        assert_eq!(role(&doc, 1).0, "price");
    }

    #[test]
    fn the_company_refers_back_to_the_last_company_named() {
        let doc = Kit::new("星河数码有限公司经营的网站发布了违规内容。监管部门依法对该公司作出罚款50万元的行政处罚。")
            .ent(Org, "星河数码有限公司", &[])
            .amt("50万元", 0, Money, "500000", "CNY")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["fine 星河数码有限公司 -> - 500000 CNY - -"]
        );
        // With no company named before it, 该公司 refers to nothing.
        let doc = Kit::new("监管部门依法对该公司作出罚款50万元的行政处罚。")
            .amt("50万元", 0, Money, "500000", "CNY")
            .run();
        assert!(summary(&doc).iter().all(|f| !f.contains("该公司")));
    }

    #[test]
    fn quoted_moves_hire_and_departure() {
        let doc = Kit::new("9月1日,张伟在微博上发声:“上个月,我从字节跳动离职并加入智谱。”")
            .ent(Person, "张伟", &[])
            .ent(Org, "字节跳动", &[])
            .ent(Org, "智谱", &[])
            .date("上个月", "2025-08")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "departure 张伟 -> 字节跳动 - - 2025-08",
                "hire 张伟 -> 智谱 - - 2025-08"
            ]
        );
    }

    #[test]
    fn english_passive_fine_and_active_acquisition() {
        let doc = Kit::new("Acme Corp was fined $5 million by the SEC on Tuesday. Globex agreed to acquire Initech for $2.1 billion.")
            .ent(Org, "Acme Corp", &[])
            .ent(Org, "SEC", &[])
            .ent(Org, "Globex", &[])
            .ent(Org, "Initech", &[])
            .amt("$5 million", 0, Money, "5000000", "USD")
            .amt("$2.1 billion", 0, Money, "2100000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "fine Acme Corp -> SEC 5000000 USD - -",
                "acquisition Globex -> Initech 2100000000 USD - -"
            ]
        );
        assert_eq!(role(&doc, 0), ("fine", "Acme Corp"));
        assert_eq!(role(&doc, 1), ("price", "Globex"));
    }

    #[test]
    fn reuters_stake_is_an_investment() {
        let doc = Kit::new("Industrial Equity (Pacific) Ltd said it raised its stake in Wrather Corp to 816,000 shares, or 11.3 pct of the total outstanding common stock.")
            .ent(Org, "Industrial Equity (Pacific) Ltd", &[])
            .ent(Org, "Wrather Corp", &[])
            .amt("816,000 shares", 0, Quantity, "816000", "shares")
            .amt("11.3 pct", 0, Percent, "11.3", "%")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["investment Industrial Equity (Pacific) Ltd -> Wrather Corp - 11.3% -"]
        );
        assert_eq!(role(&doc, 1), ("stake", "Wrather Corp"));
    }

    #[test]
    fn forecasts_market_caps_and_denials_are_not_facts() {
        let doc = Kit::new("台积电预计第四季度营收将达到260亿美元。苹果市值达到3万亿美元。星辰否认了收购月光的传闻。")
            .ent(Org, "台积电", &[])
            .ent(Org, "苹果", &[])
            .ent(Org, "星辰", &[])
            .ent(Org, "月光", &[])
            .amt("260亿美元", 0, Money, "26000000000", "USD")
            .amt("3万亿美元", 0, Money, "3000000000000", "USD")
            .run();
        assert!(doc.facts.is_empty(), "{:?}", summary(&doc));
        assert_eq!(role(&doc, 0).0, "revenue");
        assert_eq!(role(&doc, 1).0, "valuation");
    }

    #[test]
    fn repeats_merge_and_ids_follow_the_text() {
        let doc = Kit::new("Mercor估值已达20亿美元。作为新公司,Mercor迅速崛起,估值已达20亿美元。")
            .ent(Org, "Mercor", &[])
            .amt("20亿美元", 0, Money, "2000000000", "USD")
            .amt("20亿美元", 1, Money, "2000000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["valuation Mercor -> - 2000000000 USD - -"]
        );
        assert_eq!(doc.facts[0].id, "F1");
    }

    #[test]
    fn receiving_investment_and_coordinated_investors() {
        let doc = Kit::new("软银和GIC曾在7月份对电子钱包VNPAY投资3亿美元;而Momo则在1月份获得华平投资的1亿美元投资。Grab在市场营销方面的投资大幅增加。")
            .ent(Org, "软银", &[])
            .ent(Org, "GIC", &[])
            .ent(Org, "VNPAY", &[])
            .ent(Org, "Momo", &[])
            .ent(Org, "华平投资", &[])
            .ent(Org, "Grab", &[])
            .amt("3亿美元", 0, Money, "300000000", "USD")
            .amt("1亿美元", 0, Money, "100000000", "USD")
            .date("7月份", "2025-07")
            .date("1月份", "2025-01")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                // Joint investors: one investment each, the amount is the round raised.
                "investment 软银 -> VNPAY - - 2025-07",
                "investment GIC -> VNPAY - - 2025-07",
                "funding_round VNPAY -> 软银; GIC 300000000 USD - 2025-07",
                "investment 华平投资 -> Momo 100000000 USD - 2025-01"
            ]
        );
    }

    #[test]
    fn a_fine_undergone_without_a_figure() {
        let doc = Kit::new("星河集团因虚假宣传被处罚款。蓝海公司去年被罚款60万元。")
            .ent(Org, "星河集团", &[])
            .ent(Org, "蓝海公司", &[])
            .amt("60万元", 0, Money, "600000", "CNY")
            .run();
        let got = summary(&doc);
        assert_eq!(got[0], "fine 星河集团 -> - - - -", "{got:?}");
        assert!(got[1].starts_with("fine 蓝海公司 -> - 600000 CNY"), "{got:?}");
    }

    #[test]
    fn a_counted_plural_refers_to_the_companies_named_before() {
        let doc = Kit::new("星河(北京)科技有限公司、北京四月网络技术有限公司传播违法内容,依法对这2家公司分别作出罚款30000元的行政处罚。")
            .ent(Org, "星河(北京)科技有限公司", &[])
            .ent(Org, "北京四月网络技术有限公司", &[])
            .amt("30000元", 0, Money, "30000", "CNY")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "fine 星河(北京)科技有限公司 -> - 30000 CNY - -",
                "fine 北京四月网络技术有限公司 -> - 30000 CNY - -",
            ]
        );
        // Right after the names it counts, the count is an apposition: the names are the
        // parties, the authority before them is not.
        let doc = Kit::new("上海市市场监管局对云雀出行、乐途租车这两家公司分别罚款80万元。")
            .ent(Org, "上海市市场监管局", &[])
            .ent(Org, "云雀出行", &[])
            .ent(Org, "乐途租车", &[])
            .amt("80万元", 0, Money, "800000", "CNY")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "fine 云雀出行 -> 上海市市场监管局 800000 CNY - -",
                "fine 乐途租车 -> 上海市市场监管局 800000 CNY - -",
            ]
        );
        // Among more organisations than the plural counts, none with a company's head, it
        // names no one: no fact is guessed for 这两家公司.
        let doc = Kit::new("阿里巴巴投资了小鹏,腾讯投资了蔚来。这两家公司均被罚款100万元。")
            .ent(Org, "阿里巴巴", &[])
            .ent(Org, "小鹏", &[])
            .ent(Org, "腾讯", &[])
            .ent(Org, "蔚来", &[])
            .amt("100万元", 0, Money, "1000000", "CNY")
            .run();
        assert!(
            summary(&doc).iter().all(|f| !f.starts_with("fine")),
            "{:?}",
            summary(&doc)
        );
    }

    #[test]
    fn a_bracketed_aside_does_not_cut_the_clause() {
        let doc = Kit::new("谷歌不得不向欧盟交付50亿美元(约合人民币330亿元)的罚款,使净利润受损。")
            .ent(Org, "谷歌", &[])
            .ent(Org, "欧盟", &[])
            .amt("50亿美元", 0, Money, "5000000000", "USD")
            .amt("人民币330亿元", 0, Money, "33000000000", "CNY")
            .run();
        assert_eq!(summary(&doc), vec!["fine 谷歌 -> 欧盟 5000000000 USD - -"]);
    }

    #[test]
    fn backers_named_before_their_round() {
        let doc = Kit::new("小鹏汽车获得阿里巴巴领投、IDG资本跟投的4亿美元B轮融资。")
            .ent(Org, "小鹏汽车", &[])
            .ent(Org, "阿里巴巴", &[])
            .ent(Org, "IDG资本", &[])
            .amt("4亿美元", 0, Money, "400000000", "USD")
            .run();
        // The backers are the round's investors, not its receiver.
        assert_eq!(
            summary(&doc)[0],
            "funding_round 小鹏汽车 -> 阿里巴巴; IDG资本 400000000 USD - -"
        );
    }

    #[test]
    fn parties_of_a_reciprocal_deal_side_by_side() {
        let doc = Kit::new("阿里巴巴和蚂蚁集团达成合作。比亚迪、丰田和宝马宣布合并。华为和小米均获得投资。庞俊旭、吴宜泽携手晋级。")
            .ent(Org, "阿里巴巴", &[])
            .ent(Org, "蚂蚁集团", &[])
            .ent(Org, "比亚迪", &[])
            .ent(Org, "丰田", &[])
            .ent(Org, "宝马", &[])
            .ent(Org, "华为", &[])
            .ent(Org, "小米", &[])
            .ent(Person, "庞俊旭", &[])
            .ent(Person, "吴宜泽", &[])
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "partnership 阿里巴巴 -> 蚂蚁集团 - - -",
                // 宣布: announced on the document's date.
                "acquisition 比亚迪 -> 丰田; 宝马 - - 2025-09-05",
                // An investment is no deal of two sides: two receivers are not each other's;
                // two players advancing together make no business deal.
            ]
        );
    }

    #[test]
    fn a_modifier_name_is_not_the_doer() {
        let doc = Kit::new(
            "近日蚂蚁金服参股的税友软件提交了招股书。Alphabet旗下的谷歌与三星签署合作协议。",
        )
        .ent(Org, "蚂蚁金服", &[])
        .ent(Org, "Alphabet", &[])
        .ent(Org, "谷歌", &[])
        .ent(Org, "三星", &[])
        .run();
        assert_eq!(summary(&doc), vec!["partnership 谷歌 -> 三星 - - -"]);
    }

    #[test]
    fn a_change_reports_its_new_figure() {
        let doc = Kit::new("本轮融资后,Perplexity的估值从90亿美元升至140亿美元。")
            .ent(Org, "Perplexity", &[])
            .amt("90亿美元", 0, Money, "9000000000", "USD")
            .amt("140亿美元", 0, Money, "14000000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec!["valuation Perplexity -> - 14000000000 USD - -"]
        );
    }

    #[test]
    fn a_results_chain_belongs_to_the_paragraphs_company_and_a_loss_is_negative() {
        let doc = Kit::new(
            "北辰新能源发布半年报。上半年营业收入32.5亿元,同比下滑18%;归母净亏损4.2亿元。",
        )
        .ent(Org, "北辰新能源", &[])
        .amt("32.5亿元", 0, Money, "3250000000", "CNY")
        .amt("4.2亿元", 0, Money, "420000000", "CNY")
        .run();
        let got = summary(&doc);
        assert!(
            got.contains(&"revenue 北辰新能源 -> - 3250000000 CNY - -".to_string()),
            "{got:?}"
        );
        assert!(
            got.contains(&"profit 北辰新能源 -> - -420000000 CNY - -".to_string()),
            "{got:?}"
        );
        assert_eq!(doc.facts[0].subject_id.as_deref(), Some("E1"));
    }

    #[test]
    fn lists_split_by_type_and_a_fine_paid_to_a_body_names_the_authority() {
        let doc = Kit::new("阅文与新加坡电信、传音达成战略合作。谷歌向欧盟缴纳50亿美元的罚款。")
            .ent(Org, "阅文", &[])
            .ent(Org, "新加坡电信", &[])
            .ent(Org, "传音", &[])
            .ent(Org, "谷歌", &[])
            .ent(Org, "欧盟", &[])
            .amt("50亿美元", 0, Money, "5000000000", "USD")
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "partnership 阅文 -> 新加坡电信 - - -",
                "partnership 阅文 -> 传音 - - -",
                "fine 谷歌 -> 欧盟 5000000000 USD - -"
            ]
        );
        assert_eq!(doc.facts[1].object_id.as_deref(), Some("E3"));
    }

    #[test]
    fn people_named_to_posts_one_after_another() {
        let doc = Kit::new("Harbor Tools Corp said it named Ann Lee to the new post of vice chairman and Tom Ray president. 星河科技任命王立为总裁、陈清为首席财务官。")
            .ent(Org, "Harbor Tools Corp", &[])
            .ent(Person, "Ann Lee", &[])
            .ent(Person, "Tom Ray", &[])
            .ent(Org, "星河科技", &[])
            .ent(Person, "王立", &[])
            .ent(Person, "陈清", &[])
            .run();
        assert_eq!(
            summary(&doc),
            vec![
                "hire Ann Lee -> Harbor Tools Corp - - -",
                "hire Tom Ray -> Harbor Tools Corp - - -",
                "hire 王立 -> 星河科技 - - -",
                "hire 陈清 -> 星河科技 - - -",
            ]
        );
    }

    /// A passive appointment without `by`: the person before it is hired, the party after
    /// it (`of Y`) hires, across a relative clause about another company.
    #[test]
    fn a_passive_appointment_hires_the_person_before_it() {
        let doc = Kit::new("Nordic Mining Corp said Jane P. Doe, who left Alpha Bank Ltd last year, has been named president of Nordic Mining.")
            .ent(Org, "Nordic Mining Corp", &["Nordic Mining"])
            .ent(Person, "Jane P. Doe", &[])
            .ent(Org, "Alpha Bank Ltd", &[])
            .run();
        let got = summary(&doc);
        assert!(
            got.contains(&"hire Jane P. Doe -> Nordic Mining Corp - - -".to_string()),
            "{got:?}"
        );
        assert!(got.iter().all(|f| !f.contains("-> Alpha Bank")), "{got:?}");
        // Modifiers between `of` and the name (`of the five-member Y`).
        let doc = Kit::new("John Roe, a law professor, was named Thursday to be the chairman of the five-member Harbor Commission.")
            .ent(Person, "John Roe", &[])
            .ent(Org, "Harbor Commission", &[])
            .run();
        assert_eq!(summary(&doc), vec!["hire John Roe -> Harbor Commission - - -"]);
    }

    #[test]
    fn pronouns_refer_to_the_party_named_before() {
        let doc = Kit::new("Acme Corp said its unit won a contract worth $5 million. John Smith said he resigned from Acme Corp.")
            .ent(Org, "Acme Corp", &[])
            .ent(Person, "John Smith", &[])
            .amt("$5 million", 0, Money, "5000000", "USD")
            .run();
        let got = summary(&doc);
        assert!(
            got.iter().any(|f| f.starts_with("contract Acme Corp")),
            "{got:?}"
        );
        assert!(
            got.contains(&"departure John Smith -> Acme Corp - - -".to_string()),
            "{got:?}"
        );
    }

    #[test]
    fn no_input_panics_on_odd_spans() {
        let mut kit = Kit::new("收购。");
        let mut a = Amount::new(Money, (100, 200));
        a.value = Some(Num::from_int(1));
        kit.doc.amounts.push(a);
        kit.doc.entities.push(Entity {
            id: "E1".into(),
            kind: Org,
            name: "X".into(),
            name_en: None,
            mentions: vec![Mention::at((50, 60))],
        });
        let doc = kit.run();
        assert!(doc.facts.is_empty());
    }
}
