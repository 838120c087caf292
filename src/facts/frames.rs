//! Fact frames: a trigger word of `data/fact_triggers.tsv` plus the entities and amounts of
//! its sentence make a draft fact. The table says, per trigger, which entity fills the
//! subject and object side (agent, patient, person, org, the value's owner, all others),
//! what the sentence must give (a money amount, a percentage, a person) and which amount
//! roles may be the value. Voice is read from the clause: 被X/遭X and `was ... by X` make
//! a passive, 将X/把X ... trigger the 把-construction.
//!
//! Adding a fact type is a data change (rows in the table); only a type whose kind depends
//! on its numbers needs a function, like [`refine_kind`] (a minority stake bought is an
//! investment, a majority one an acquisition).


use super::cues::{Cue, CueSet, Hit};
use super::modality::Modality;
use super::roles::AmountInfo;
use super::sentence::{Marker, Placed, Sentence};
use super::types::{self, Party, TableError};
use super::words::words;
use crate::document::{AmountKind, AmountRole, Document, EntityType, FactType};
use crate::num::Num;
use std::cell::OnceCell;

/// Which entity fills one side of a fact; `Agent`/`Patient` may require a type
/// (`patient/person` in the table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Agent(Option<EntityType>),
    Patient(Option<EntityType>),
    Person,
    Org,
    Amount,
    Others,
    Empty,
}

/// What the sentence must give for the fact to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Needs {
    Money,
    Percent,
    Value,
    Person,
    Nothing,
}

/// One row of `data/fact_triggers.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct TriggerRow {
    pub kind: FactType,
    subject: Slot,
    object: Slot,
    needs: Needs,
    /// Amount roles that may be the value; the first is the role a value of this fact gets.
    pub value_roles: Vec<AmountRole>,
}

fn slot(s: &str) -> Option<Slot> {
    let (name, kind) = s.split_once('/').unwrap_or((s, ""));
    let kind = match kind {
        "person" => Some(EntityType::Person),
        "org" => Some(EntityType::Org),
        "" => None,
        _ => return None,
    };
    Some(match name {
        "agent" => Slot::Agent(kind),
        "patient" => Slot::Patient(kind),
        "person" => Slot::Person,
        "org" => Slot::Org,
        "amount" => Slot::Amount,
        "others" => Slot::Others,
        "none" | "-" => Slot::Empty,
        _ => return None,
    })
}

pub(crate) static TRIGGERS: crate::table::TableCell<CueSet<TriggerRow>> =
    crate::table::TableCell::new(|| parse_triggers(include_str!("../../data/fact_triggers.tsv")));

/// Parses `data/fact_triggers.tsv`; an unknown type, side, need or role is an error.
pub(crate) fn parse_triggers(src: &'static str) -> Result<CueSet<TriggerRow>, TableError> {
    let mut entries = Vec::new();
    for (n, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason: String| TableError {
            file: "data/fact_triggers.tsv".to_string(),
            line: n + 1,
            reason,
        };
        let cols: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        let [kind, subject, object, needs, roles, except, trigger] = cols[..] else {
            return Err(err(format!(
                "expected 7 tab-separated columns, found {}",
                cols.len()
            )));
        };
        let kind =
            FactType::parse(kind).ok_or_else(|| err(format!("unknown fact type {kind:?}")))?;
        let needs = match needs {
            "money" => Needs::Money,
            "percent" => Needs::Percent,
            "value" => Needs::Value,
            "person" => Needs::Person,
            "-" => Needs::Nothing,
            bad => {
                return Err(err(format!(
                    "unknown need {bad:?} (money, percent, value, person, -)"
                )))
            }
        };
        let mut value_roles = Vec::new();
        for r in roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty() && *r != "-")
        {
            value_roles.push(
                AmountRole::parse(r).ok_or_else(|| err(format!("unknown amount role {r:?}")))?,
            );
        }
        let (Some(subject), Some(object)) = (slot(subject), slot(object)) else {
            return Err(err(format!("unknown side in {subject:?} / {object:?}")));
        };
        let row = TriggerRow {
            kind,
            subject,
            object,
            needs,
            value_roles,
        };
        entries.push((Cue::parse(trigger, except), row));
    }
    Ok(CueSet::new(entries))
}

/// A fact before dates and names: entity and amount indices into the document.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub kind: FactType,
    pub subject: Vec<usize>,
    pub object: Vec<usize>,
    /// Index into `doc.amounts` of the money (or counted quantity) value.
    pub value: Option<usize>,
    /// Index into `doc.amounts` of the percentage.
    pub percent: Option<usize>,
    pub trigger: (usize, usize),
    /// The trigger row, for the value's role.
    pub row: usize,
    /// The value is a loss: the fact's value is the amount negated (亏损3亿元 -> -300000000).
    pub negative: bool,
}

/// Fact types whose doer is a company: prefer an organisation over a person for the agent.
fn company_act(kind: FactType) -> bool {
    matches!(types::of(kind).party, Party::Org | Party::OrgFirst)
}

/// All draft facts of one sentence. `ids` are the sentence's amounts, `hits` its trigger
/// cues (`TRIGGERS.find` of the sentence): no trigger, no draft.
pub(crate) fn find(
    s: &Sentence<'_>,
    doc: &Document,
    info: &[AmountInfo],
    ids: &[usize],
    modal: &OnceCell<Modality>,
    hits: &[Hit],
) -> Vec<Draft> {
    let mut out = Vec::new();
    if hits.is_empty() {
        return out;
    }
    // Where a shouted headline ends (`in_shouted_headline`), told on the first trigger
    // that needs it.
    let mut headline_end: Option<Option<usize>> = None;
    for (n, h) in hits.iter().enumerate() {
        // A trigger inside a name (中国投资有限责任公司) is part of the name.
        if s.mentions
            .iter()
            .any(|m| m.span.0 < h.end && h.start < m.span.1)
        {
            continue;
        }
        // A Chinese trigger that cuts across words is none (合作 in 联合/作战).
        if crosses_words(s, h)
            || headline_end
                .get_or_insert_with(|| s.shouted_headline_end())
                .is_some_and(|end| end > h.start)
        {
            continue;
        }
        // Two rows for one occurrence (a shared cue): only the first one.
        if hits[..n].iter().any(|p| {
            p.start == h.start
                && p.end == h.end
                && TRIGGERS.rows[p.row].kind == TRIGGERS.rows[h.row].kind
        }) {
            continue;
        }
        // Amounts after the trigger, up to the next trigger, may belong to it.
        let reach = hits
            .iter()
            .map(|x| x.start)
            .filter(|&x| x >= h.end)
            .min()
            .unwrap_or(s.span.1);
        if let Some(d) = draft(s, doc, info, ids, modal, h, reach) {
            out.push(d);
        }
    }
    successor_not_predecessor(s, &mut out);
    one_fact_per_amount(s, out)
}

/// A person named in a sentence only right after a word of succession (succeed, replacing,
/// 接替) is the predecessor, who leaves the post: a hire that took them as its person takes the nearest
/// other person before that word instead, the successor ("John Smith was named to succeed
/// Robert Cale as president", 张勇接替马云出任董事局主席), or is dropped when there is none.
fn successor_not_predecessor(s: &Sentence<'_>, drafts: &mut Vec<Draft>) {
    if !drafts.iter().any(|d| d.kind == FactType::Hire) {
        return;
    }
    let persons = || s.mentions.iter().filter(|m| m.kind == EntityType::Person);
    // Someone also named elsewhere in the sentence may be both (named Robert Warren vice
    // chairman and William Hamilton president, succeeding Warren).
    let predecessors: Vec<(usize, usize, usize)> = persons()
        .filter_map(|m| succession_word_before(s, m.span.0).map(|at| (m.entity, at, m.span.1)))
        .filter(|&(e, _, _)| {
            persons()
                .filter(|m| m.entity == e)
                .all(|m| succession_word_before(s, m.span.0).is_some())
        })
        .collect();
    if predecessors.is_empty() {
        return;
    }
    drafts.retain_mut(|d| {
        if d.kind != FactType::Hire {
            return true;
        }
        // The hire's verb governs the successor: it comes before the word of succession
        // (named X to succeed Y), or right after the predecessor (张勇接替马云出任); in
        // "succeeding Ray Golden, who has since joined Trammell Crow" the predecessor is
        // the one hired.
        let governs = |at: usize, end: usize| {
            d.trigger.1 <= at
                || (d.trigger.0 >= end
                    && s.between(end, d.trigger.0)
                        .chars()
                        .all(|c| !c.is_ascii_alphanumeric() && !c.is_ascii_punctuation()))
        };
        let Some(&(before, at, _)) = predecessors
            .iter()
            .find(|&&(e, at, end)| d.subject.contains(&e) && governs(at, end))
        else {
            return true;
        };
        let successor = persons()
            .rfind(|m| m.span.1 <= at && m.entity != before)
            .map(|m| m.entity);
        match successor {
            Some(e) => {
                d.subject = vec![e];
                true
            }
            None => false,
        }
    });
}

/// Where the word of succession (`words().succession`) ends right before byte `at`, if
/// one does; a Latin word must start on a word boundary.
fn succession_word_before(s: &Sentence<'_>, at: usize) -> Option<usize> {
    let before = s.between(s.span.0, at).trim_end();
    words().succession.iter().find_map(|w| {
        let start = before.len().checked_sub(w.len())?;
        let tail = before.get(start..)?;
        let latin = w.starts_with(|c: char| c.is_ascii_alphabetic());
        let bounded = !latin
            || !before[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric());
        (tail.eq_ignore_ascii_case(w) && bounded).then_some(s.span.0 + start)
    })
}

/// One money amount is the value of one fact: when two triggers of a sentence claim it
/// (raised ... initial public offering), the longer, more specific trigger keeps it.
fn one_fact_per_amount(s: &Sentence<'_>, drafts: Vec<Draft>) -> Vec<Draft> {
    let len = |d: &Draft| s.between(d.trigger.0, d.trigger.1).chars().count();
    let mut keep = vec![true; drafts.len()];
    for i in 0..drafts.len() {
        for j in 0..drafts.len() {
            let (a, b) = (&drafts[i], &drafts[j]);
            if i != j
                && a.kind != b.kind
                && a.value.is_some()
                && a.value == b.value
                && (len(b), j < i) > (len(a), false)
            {
                keep[i] = false;
            }
        }
    }
    drafts
        .into_iter()
        .zip(keep)
        .filter_map(|(d, k)| k.then_some(d))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn draft(
    s: &Sentence<'_>,
    doc: &Document,
    info: &[AmountInfo],
    ids: &[usize],
    modal: &OnceCell<Modality>,
    h: &Hit,
    reach: usize,
) -> Option<Draft> {
    let row = &TRIGGERS.rows[h.row];
    let trigger = (h.start, h.end);
    // Figures of company accounts sit in the trigger's clause; deal amounts may follow it.
    let reach = if row.subject == Slot::Amount {
        h.end
    } else {
        reach
    };
    // A type with no value role takes no value (a partnership).
    let value = if row.value_roles.is_empty() {
        None
    } else {
        pick_amount(
            s,
            doc,
            info,
            ids,
            trigger,
            AmountKind::Money,
            &row.value_roles,
            reach,
        )
        .or_else(|| {
            row.value_roles
                .contains(&AmountRole::Quantity)
                .then(|| pick_amount(s, doc, info, ids, trigger, AmountKind::Quantity, &[], reach))
                .flatten()
        })
    };
    // A percentage counts only with a role of its own (a stake, a commission), never as
    // `other`: "shares fell 5%" says nothing about a deal.
    let percent_roles: Vec<AmountRole> = row
        .value_roles
        .iter()
        .copied()
        .filter(|r| *r != AmountRole::Other)
        .collect();
    let percent = if percent_roles.is_empty() {
        None
    } else {
        pick_amount(
            s,
            doc,
            info,
            ids,
            trigger,
            AmountKind::Percent,
            &percent_roles,
            reach,
        )
    };
    let ok = match row.needs {
        Needs::Money => value.is_some(),
        Needs::Percent => percent.is_some(),
        Needs::Value => value.is_some() || percent.is_some(),
        _ => true,
    };
    if !ok {
        return None;
    }
    let reach = [value, percent]
        .iter()
        .flatten()
        .filter_map(|&i| doc.amounts.get(i))
        .map(|a| a.nspan.0)
        .max()
        .unwrap_or(h.end);
    if modal
        .get_or_init(|| Modality::of(s))
        .blocks(s, trigger, reach.max(h.end))
    {
        return None;
    }
    let typed = |slot: Slot| match slot {
        Slot::Agent(k) | Slot::Patient(k) => k,
        _ => None,
    };
    let (agent_kind, patient_kind) = match (row.subject, row.object) {
        (Slot::Agent(a), b) | (b, Slot::Agent(a)) => (a, typed(b)),
        (a, b) => (typed(a), typed(b)),
    };
    let roles = Roles::read(s, trigger, company_act(row.kind), agent_kind, patient_kind);
    let roles = if row.kind == FactType::FundingRound {
        roles.receiver_before_backers(s, trigger)
    } else {
        roles
    };
    let roles = if is_reciprocal(row.kind, s.between(trigger.0, trigger.1)) {
        roles.side_by_side(|e| {
            s.mentions
                .iter()
                .any(|m| m.entity == e && m.kind == EntityType::Org)
        })
    } else {
        roles
    };
    // A typed side the voice did not fill: the nearest of that type.
    let or_nearest = |v: Vec<usize>, k: Option<EntityType>| -> Vec<usize> {
        match k {
            // 在港交所上市: a place is never the doer or undergoer.
            Some(kind) if v.is_empty() => {
                nearest_of(s, trigger, kind, kind == EntityType::Person, true)
                    .into_iter()
                    .collect()
            }
            _ => v,
        }
    };
    let fill = |slot: Slot, taken: &[usize]| -> Vec<usize> {
        match slot {
            // A company act whose clause names no doer is the paragraph's company's (not a
            // listing: 所谓的"直接上市"模式 explains a word; a listing names its company).
            Slot::Agent(k)
                if company_act(row.kind)
                    && row.kind != FactType::Ipo
                    && roles.agent.is_empty()
                    && k != Some(EntityType::Person) =>
            {
                let v = or_nearest(Vec::new(), k);
                if v.is_empty() {
                    s.topic
                        .filter(|t| !roles.patients.contains(t))
                        .into_iter()
                        .collect()
                } else {
                    v
                }
            }
            Slot::Agent(k) => or_nearest(roles.agent.clone(), k),
            Slot::Patient(k) => or_nearest(roles.patients.clone(), k),
            Slot::Person => nearest_of(s, trigger, EntityType::Person, false, false)
                .into_iter()
                .collect(),
            Slot::Org => nearest_of(s, trigger, EntityType::Org, false, false)
                .into_iter()
                .collect(),
            Slot::Amount => value
                .or(percent)
                .and_then(|i| info.get(i))
                .and_then(|a| a.subject)
                .or(roles.agent.last().copied())
                .or(s.topic)
                .into_iter()
                .collect(),
            // Investors named after the trigger (由宁德时代领投, led by Iconiq), when the
            // sentence says there are investors; else a name after the trigger is anyone
            // (said lead manager Drexel).
            Slot::Others if !names_investors(s) => Vec::new(),
            Slot::Others => {
                let mut v: Vec<usize> = Vec::new();
                for m in s
                    .mentions
                    .iter()
                    .filter(|m| m.span.0 >= trigger.1 || backs_before(s, m, trigger))
                {
                    if !taken.contains(&m.entity) && !v.contains(&m.entity) {
                        v.push(m.entity);
                    }
                }
                v
            }
            Slot::Empty => Vec::new(),
        }
    };
    // An offering of shares of X is X's (initial public offering of two mln shares of
    // Designs Inc, whoever the underwriter saying so).
    let subject = match offered_company(s, trigger) {
        Some(e) if row.kind == FactType::Ipo => vec![e],
        _ => fill(row.subject, &[]),
    };
    let mut object = fill(row.object, &subject);
    object.retain(|e| !subject.contains(e));
    if subject.is_empty() || (row.needs == Needs::Person && !has_person(doc, &subject, &object)) {
        return None;
    }
    // An investment names what was invested in, or at least the stake (追加投资 into one's own
    // plant is spending, not an investment fact).
    if row.kind == FactType::Investment && object.is_empty() && percent.is_none() {
        return None;
    }
    // 向欧盟交付罚款: who a fine is paid to is the authority, the payer the fined party.
    let (subject, object) = if row.kind == FactType::Fine && paid_to(s, &subject, trigger) {
        (object, subject)
    } else {
        (subject, object)
    };
    // A deal with neither counterpart nor amount says too little (投资大幅增加).
    if matches!(row.object, Slot::Patient(None))
        && object.is_empty()
        && value.is_none()
        && percent.is_none()
        && row.kind != FactType::Lawsuit
    {
        return None;
    }
    let kind = refine_kind(
        row.kind,
        s,
        trigger,
        percent
            .and_then(|i| doc.amounts.get(i))
            .and_then(|a| a.value),
    );
    Some(Draft {
        kind,
        subject,
        object,
        value,
        percent,
        trigger,
        row: h.row,
        negative: kind == FactType::Profit
            && reads_as_loss(s, trigger, value.and_then(|i| doc.amounts.get(i))),
    })
}


fn names_investors(s: &Sentence<'_>) -> bool {
    let lower = s.between(s.span.0, s.span.1).to_ascii_lowercase();
    words().investor_cue.iter().any(|c| lower.contains(c.as_str()))
}

/// Does a Chinese trigger start or end inside dictionary words that reach beyond it (合作
/// over 联合/作战)? A trigger inside one longer word (利润 of 净利润) is fine.
fn crosses_words(s: &Sentence<'_>, h: &Hit) -> bool {
    if s.text.get(h.start..h.end).is_none_or(|t| t.is_ascii()) {
        return false;
    }
    let over: Vec<&crate::segment::Token> = s
        .tokens
        .iter()
        .filter(|t| t.start < h.end && h.start < t.end)
        .collect();
    match (over.first(), over.last()) {
        // Only where jieba is sure of the words: an unknown name runs jieba's guesses
        // across the trigger (台积电净营收 -> 台积/电净营/收为).
        (Some(first), Some(last)) if over.len() > 1 => {
            (first.start < h.start || last.end > h.end)
                && over.iter().all(|t| {
                    s.text
                        .get(t.start..t.end)
                        .is_some_and(|w| crate::segment::jieba().has_word(w))
                })
        }
        _ => false,
    }
}


/// Is the profit figure a loss? The trigger, or the words between it and the amount, say so.
fn reads_as_loss(
    s: &Sentence<'_>,
    trigger: (usize, usize),
    value: Option<&crate::document::Amount>,
) -> bool {
    let (a, b) = match value {
        Some(v) if v.nspan.0 >= trigger.1 => (trigger.0, v.nspan.0),
        _ => trigger,
    };
    let between = s.between(a, b).to_ascii_lowercase();
    let w = words();
    w.loss.iter().any(|x| between.contains(x.as_str()))
        && !w.not_loss.iter().any(|x| between.contains(x.as_str()))
}

/// The organisation whose shares a clause offers: the first one after `shares of` /
/// `stock of` following the trigger.
fn offered_company(s: &Sentence<'_>, trigger: (usize, usize)) -> Option<usize> {
    let clause = s.clause_of(trigger.0);
    s.mentions_in(trigger.1, clause.1)
        .find(|m| {
            m.kind == EntityType::Org && {
                let before = s
                    .between(trigger.1, m.span.0)
                    .trim_end()
                    .to_ascii_lowercase();
                before.ends_with("shares of") || before.ends_with("stock of")
            }
        })
        .map(|m| m.entity)
}

/// Do the subject's mentions before the trigger follow 向 (paid to)?
fn paid_to(s: &Sentence<'_>, subject: &[usize], trigger: (usize, usize)) -> bool {
    s.mentions
        .iter()
        .filter(|m| m.span.1 <= trigger.0 && subject.contains(&m.entity))
        .any(|m| s.between(s.span.0, m.span.0).trim_end().ends_with('向'))
}

fn has_person(doc: &Document, a: &[usize], b: &[usize]) -> bool {
    a.iter().chain(b).any(|&e| {
        doc.entities
            .get(e)
            .is_some_and(|x| x.kind == EntityType::Person)
    })
}


/// Does `hay` hold `word` as a whole Latin word (Bankshares holds no `shares`)? Chinese
/// words match anywhere.
#[cfg(test)]
fn has_word(hay: &str, word: &str) -> bool {
    if !word.is_ascii() {
        return hay.contains(word);
    }
    hay.match_indices(word).any(|(i, w)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + w.len()..].chars().next();
        let edge = |c: Option<char>, inner: Option<char>| {
            !(c.is_some_and(|c| c.is_ascii_alphanumeric())
                && inner.is_some_and(|c| c.is_ascii_alphanumeric()))
        };
        edge(before, w.chars().next()) && edge(after, w.chars().next_back())
    })
}

/// Where `word` (not empty) first occurs in `hay` at or after byte `from`: the first
/// byte looked for by `memchr`, the rest compared. For the clause-sized texts of
/// [`minority_shares`], where `str::find` built a two-way searcher for every word
/// (hundreds of instructions before the first byte is read).
fn find_from(hay: &[u8], word: &[u8], from: usize) -> Option<usize> {
    let (&first, tail) = word.split_first()?;
    let mut at = from;
    while let Some(i) = hay.get(at..).and_then(|h| memchr::memchr(first, h)) {
        let i = at + i;
        if hay.get(i + 1..i + word.len()) == Some(tail) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// `hay.contains(word)` by [`find_from`] (no two-way searcher built for a short text).
fn contains_fast(hay: &str, word: &str) -> bool {
    word.is_empty() || find_from(hay.as_bytes(), word.as_bytes(), 0).is_some()
}

/// [`has_word`] by [`find_from`]: the same non-overlapping matches in order (each search
/// goes on after the last match, as `match_indices` does), each at whole-word edges when
/// `word` is Latin. `hay` and `word` are both `str`, so a match starts and ends on
/// character boundaries, and the character next to it is told by its byte when ASCII.
fn has_word_fast(hay: &str, word: &str) -> bool {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    if w.is_empty() {
        // In every text, with nothing next to it that is part of it (no table word is
        // empty).
        return true;
    }
    let latin = word.is_ascii();
    let alnum = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let inner_first = alnum(w.first());
    let inner_last = alnum(w.last());
    let mut from = 0;
    while let Some(i) = find_from(h, w, from) {
        let end = i + w.len();
        if !latin
            || (!(inner_first && i > 0 && alnum(h.get(i - 1)))
                && !(inner_last && alnum(h.get(end))))
        {
            return true;
        }
        from = end;
    }
    false
}

/// Is the deal around `trigger` a purchase of a minority of shares? `Some(true)` when
/// shares change hands without a majority, `Some(false)` when they are all or most of the
/// company, `None` when the clause speaks of no shares.
///
/// The clause is lower-cased only when it holds a capital (`ascii_lowercase`), and the
/// words after the trigger are a slice of it (ASCII lower-casing keeps every offset); the
/// words are looked for with [`has_word_fast`]. The test
/// `minority_shares_is_the_plain_reading` holds it against [`minority_shares_plain`].
pub(crate) fn minority_shares(
    s: &Sentence<'_>,
    trigger: (usize, usize),
    percent: Option<Num>,
) -> Option<bool> {
    let clause = s.clause_of(trigger.0);
    let lower = crate::normalize::ascii_lowercase(s.between(clause.0, clause.1));
    let from = trigger.0.min(clause.1);
    let rest_owned;
    let rest: &str = if clause.0 <= from && s.text.get(clause.0..clause.1).is_some() {
        lower.get(from - clause.0..).unwrap_or("")
    } else {
        rest_owned = s.between(from, clause.1).to_ascii_lowercase();
        &rest_owned
    };
    // What is bought, not what is paid with (to acquire Numedco for 500,000 shares).
    let w = words();
    let bought = w
        .payment
        .iter()
        .filter_map(|p| {
            if p.is_empty() {
                Some(0)
            } else {
                find_from(rest.as_bytes(), p.as_bytes(), 0)
            }
        })
        .min()
        .map_or(rest, |i| &rest[..i]);
    if !w.share.iter().any(|x| has_word_fast(bought, x)) && !has_word_fast(&lower, "stake") {
        return None;
    }
    let whole = w.whole.iter().any(|x| has_word_fast(&lower, x));
    Some(!whole && percent.is_none_or(|p| p < Num::from_int(50)))
}

/// [`minority_shares`] as it was written first: both texts copied and lower-cased, the
/// words found by `str` searches.
#[cfg(test)]
fn minority_shares_plain(
    s: &Sentence<'_>,
    trigger: (usize, usize),
    percent: Option<Num>,
) -> Option<bool> {
    let clause = s.clause_of(trigger.0);
    let lower = s.between(clause.0, clause.1).to_ascii_lowercase();
    let rest = s
        .between(trigger.0.min(clause.1), clause.1)
        .to_ascii_lowercase();
    let w = words();
    let bought = w
        .payment
        .iter()
        .filter_map(|p| rest.find(p.as_str()))
        .min()
        .map_or(rest.as_str(), |i| &rest[..i]);
    if !w.share.iter().any(|x| has_word(bought, x)) && !has_word(&lower, "stake") {
        return None;
    }
    let whole = w.whole.iter().any(|x| has_word(&lower, x));
    Some(!whole && percent.is_none_or(|p| p < Num::from_int(50)))
}

/// A purchase of a minority of shares is an investment; of a majority, an acquisition.
pub(crate) fn refine_kind(
    kind: FactType,
    s: &Sentence<'_>,
    trigger: (usize, usize),
    percent: Option<Num>,
) -> FactType {
    match (kind, minority_shares(s, trigger, percent)) {
        (FactType::Acquisition, Some(true)) => FactType::Investment,
        (FactType::Investment, Some(false)) if percent.is_some_and(|p| p > Num::from_int(50)) => {
            FactType::Acquisition
        }
        (k, _) => k,
    }
}

/// The best amount of `kind` for a trigger: roles allowed (any when `roles` is empty),
/// not a restatement, in the trigger's clause or after it up to `reach` (the next
/// trigger); same clause first, then nearest.
#[allow(clippy::too_many_arguments)]
fn pick_amount(
    s: &Sentence<'_>,
    doc: &Document,
    info: &[AmountInfo],
    ids: &[usize],
    trigger: (usize, usize),
    kind: AmountKind,
    roles: &[AmountRole],
    reach: usize,
) -> Option<usize> {
    ids.iter()
        .copied()
        .filter(|&i| {
            let Some(a) = doc.amounts.get(i) else {
                return false;
            };
            a.kind == kind
                && !a.value.is_some_and(|v| v.is_zero())
                && !info.get(i).is_some_and(|x| x.equivalent)
                && (roles.is_empty() || a.role.is_some_and(|r| roles.contains(&r)))
                && (s.same_clause(a.nspan.0, trigger.0)
                    || (a.nspan.0 >= trigger.1 && a.nspan.0 < reach))
                // Last: the one that reads the text (all are tests without side effects).
                && !(kind == AmountKind::Money && per_unit(s, a))
        })
        .min_by_key(|&i| {
            let a = &doc.amounts[i];
            let far = if a.nspan.1 <= trigger.0 {
                s.chars_between(a.nspan.1, trigger.0)
            } else {
                s.chars_between(trigger.1, a.nspan.0)
            };
            (
                !s.same_clause(a.nspan.0, trigger.0),
                is_starting_point(s, a.nspan.0),
                far,
            )
        })
}


/// A per-share or per-period figure (or one written in cents) is never a company's total
/// for a fact: not the price of a deal, not a result, not money raised.
pub(crate) fn per_unit(s: &Sentence<'_>, a: &crate::document::Amount) -> bool {
    let surface = s.between(a.nspan.0, a.nspan.1).as_bytes();
    if ["cts", "cents", "cent", "美分"].iter().any(|w| {
        surface.len() >= w.len() && surface[surface.len() - w.len()..].eq_ignore_ascii_case(w.as_bytes())
    }) {
        return true;
    }
    // The 8 characters before the amount and the 12 after it, as slices of the text: this
    // runs for every amount, so nothing is built unless it holds an upper-case letter.
    let before = s.between(s.span.0, a.nspan.0);
    let before = &before[before.char_indices().rev().nth(7).map_or(0, |(i, _)| i)..];
    let before = crate::normalize::ascii_lowercase(before);
    let after = s.text.get(a.nspan.1..s.span.1).unwrap_or("");
    let after = after[..after.char_indices().nth(12).map_or(after.len(), |(i, _)| i)].trim_start();
    let after = crate::normalize::ascii_lowercase(after);
    let w = words();
    w.per_unit_before.iter().any(|x| contains_fast(&before, x))
        || w.per_unit_after.iter().any(|x| after.starts_with(x.as_str()))
}

/// `估值从20亿美元升至50亿美元`, `from $2 billion to $5 billion`: the first is where a
/// change started, not the figure reported.
fn is_starting_point(s: &Sentence<'_>, at: usize) -> bool {
    let before = s.text.get(s.span.0..at).unwrap_or("").trim_end();
    let lower = before
        .get(before.len().saturating_sub(5)..)
        .unwrap_or("")
        .to_ascii_lowercase();
    if before.ends_with('从')
        || before.ends_with('由')
        || lower.ends_with(" from")
        || lower == "from"
    {
        return true;
    }
    // 从2016年的25.1亿美元增长到…: 从 a few words back, and a 到/至 after the amount.
    let clause = s.clause_of(at);
    let head = s.between(clause.0, at);
    let tail: String = s
        .text
        .get(at..clause.1)
        .unwrap_or("")
        .chars()
        .take(16)
        .collect();
    head.rfind('从')
        .is_some_and(|i| head[i..].chars().count() <= 10 && !head[i..].contains(['元', '%']))
        && ["到", "至"].iter().any(|w| tail.contains(w))
}

/// The nearest mention of a type to the trigger: in its clause, else (unless
/// `clause_only`) the nearest before it in the sentence.
fn nearest_of(
    s: &Sentence<'_>,
    trigger: (usize, usize),
    kind: EntityType,
    clause_only: bool,
    skip_oblique: bool,
) -> Option<usize> {
    let dist = |m: &Placed| {
        if m.span.1 <= trigger.0 {
            s.chars_between(m.span.1, trigger.0)
        } else {
            s.chars_between(trigger.1, m.span.0)
        }
    };
    let of_kind = s.mentions.iter().filter(|m| {
        m.kind == kind
            && !(m.span.1 <= trigger.0 && modifies_noun(s, m, trigger.0))
            && !(skip_oblique && s.marker(m) == Marker::Oblique)
    });
    if let Some(m) = of_kind
        .clone()
        .filter(|m| s.same_clause(m.span.0, trigger.0))
        .min_by_key(|m| dist(m))
    {
        return Some(m.entity);
    }
    if clause_only {
        return None;
    }
    of_kind
        .clone()
        .rev()
        .find(|m| m.span.1 <= trigger.0)
        .map(|m| m.entity)
}

/// Agent and patients of a trigger, read from the voice of its clause.
struct Roles {
    /// The doer and the names coordinated with it (软银和GIC).
    agent: Vec<usize>,
    patients: Vec<usize>,
}

/// How many comma-clauses back the doer may stand.
const AGENT_CLAUSES_BACK: usize = 3;


/// `蚂蚁金服参股的税友软件提交了招股书`, `Alphabet旗下的谷歌`: a name followed by a short
/// verb or place word and 的 modifies the noun after it and is not the doer.
fn modifies_noun(s: &Sentence<'_>, m: &Placed, trigger: usize) -> bool {
    let after = s.between(m.span.1, trigger);
    match after.find('的') {
        Some(i) if i > 0 => {
            let head = &after[..i];
            head.chars().count() <= 4
                && head.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        }
        _ => false,
    }
}

/// The marker of the list a mention stands in: `与新加坡电信、传音` marks 传音 as a
/// counterpart too.
fn list_marker(s: &Sentence<'_>, m: &Placed) -> Marker {
    let mut head = m;
    for _ in 0..16 {
        let own = s.marker(head);
        if own != Marker::None {
            return own;
        }
        let Some(prev) = s.mentions.iter().rev().find(|p| p.span.1 <= head.span.0) else {
            break;
        };
        let gap = s.between(prev.span.1, head.span.0).trim();
        if !["、", "和", "及", "以及", ","].contains(&gap) || prev.kind != head.kind {
            break;
        }
        head = prev;
    }
    Marker::None
}

/// The mention before `m` joined to it by a coordinator, repeatedly.
fn coordinated_before<'a>(s: &Sentence<'a>, m: &'a Placed) -> Vec<usize> {
    let mut out: Vec<usize> = s.entities_at(m).collect();
    let mut head = m;
    while let Some(prev) = s.mentions.iter().rev().find(|p| p.span.1 <= head.span.0) {
        if !is_one_of(&words().agent_coordinator, s.between(prev.span.1, head.span.0).trim())
            || s.marker(prev) != Marker::None
        {
            break;
        }
        out.insert(0, prev.entity);
        head = prev;
    }
    out
}


/// Whether `m`, before the trigger in its clause, is said to have put money in (获得阿里巴巴
/// 领投的4亿美元融资): `backer_after` in data/fact_words.tsv follows the name.
fn backs_before(s: &Sentence<'_>, m: &Placed, trigger: (usize, usize)) -> bool {
    m.span.1 <= trigger.0
        && m.span.0 >= s.clause_of(trigger.0).0
        && words()
            .backer_after
            .iter()
            .any(|w| s.between(m.span.1, trigger.0).starts_with(w.as_str()))
}

/// Whether a trigger reports a deal the parties do with each other (a partnership, a
/// merger: `reciprocal` in data/fact_words.tsv), so that the parties may all stand before it.
fn is_reciprocal(kind: FactType, trigger: &str) -> bool {
    kind == FactType::Partnership
        || words()
            .reciprocal
            .iter()
            .any(|w| w.eq_ignore_ascii_case(trigger))
}

impl Roles {
    /// A round's backers are not its receiver (小鹏汽车获得阿里巴巴领投、IDG资本跟投的融资): when
    /// the doer read is a backer ([`backs_before`]), the receiver is the nearest name before
    /// the backers in the clause that backs nothing.
    fn receiver_before_backers(self, s: &Sentence<'_>, trigger: (usize, usize)) -> Roles {
        let backer = |e: usize| {
            s.mentions
                .iter()
                .any(|m| m.entity == e && backs_before(s, m, trigger))
        };
        if !self.agent.iter().any(|&e| backer(e)) {
            return self;
        }
        let clause = s.clause_of(trigger.0);
        let receiver = s
            .mentions
            .iter()
            .take_while(|m| m.span.1 <= trigger.0)
            .filter(|m| m.span.0 >= clause.0 && !backs_before(s, m, trigger))
            .take_while(|m| !backer(m.entity))
            .last();
        Roles {
            agent: receiver.map(|m| m.entity).into_iter().collect(),
            patients: self.patients,
        }
    }

    /// The parties of a reciprocal deal named side by side before it (A和B达成合作, A and B
    /// merged), none after: the first is the subject, the others its counterparts. Only
    /// organisations (`is_org`): two people doing something together (庞俊旭、吴宜泽携手晋级)
    /// make no business deal.
    fn side_by_side(self, is_org: impl Fn(usize) -> bool) -> Roles {
        match self.agent.split_first() {
            Some((&first, rest))
                if self.patients.is_empty()
                    && !rest.is_empty()
                    && self.agent.iter().all(|&e| is_org(e)) =>
            {
                Roles {
                    agent: vec![first],
                    patients: rest.to_vec(),
                }
            }
            _ => self,
        }
    }

    /// `agent_kind`/`patient_kind`: only entities of that type may fill the side.
    fn read(
        s: &Sentence<'_>,
        trigger: (usize, usize),
        org_first: bool,
        agent_kind: Option<EntityType>,
        patient_kind: Option<EntityType>,
    ) -> Roles {
        let r = Self::read_untyped(s, trigger, org_first, agent_kind, patient_kind);
        let kind_of = |e: usize| s.mentions.iter().find(|m| m.entity == e).map(|m| m.kind);
        let agent = r
            .agent
            .into_iter()
            .filter(|&e| agent_kind.is_none() || kind_of(e) == agent_kind)
            .collect();
        let patients = r
            .patients
            .into_iter()
            .filter(|&e| patient_kind.is_none() || kind_of(e) == patient_kind)
            .collect();
        Roles { agent, patients }
    }

    fn read_untyped<'a>(
        s: &Sentence<'a>,
        trigger: (usize, usize),
        org_first: bool,
        agent_kind: Option<EntityType>,
        patient_kind: Option<EntityType>,
    ) -> Roles {
        let clause = s.clause_of(trigger.0);
        let fits = |m: &&Placed, k: Option<EntityType>| k.is_none_or(|k| m.kind == k);
        // The doer stands at most a few clauses back (appositions: "X, a Hong Kong firm,
        // which is owned by Y, said it bought ...").
        let floor = s.clauses_back(trigger.0, AGENT_CLAUSES_BACK, false);
        let before: Vec<&Placed> = s
            .mentions
            .iter()
            .filter(|m| m.span.1 <= trigger.0 && m.span.0 >= floor)
            .collect();
        let in_clause_after: Vec<&Placed> = s
            .mentions_in(trigger.1, clause.1)
            .filter(|m| fits(m, patient_kind))
            .collect();
        let pick_mention = |cands: &[&'a Placed]| -> Option<&'a Placed> {
            let free = cands.iter().rev().filter(|m| {
                list_marker(s, m) == Marker::None
                    && fits(m, agent_kind)
                    && !modifies_noun(s, m, trigger.0)
            });
            let best = if org_first {
                free.clone()
                    .find(|m| m.kind == EntityType::Org)
                    .or_else(|| free.clone().next())
            } else {
                free.clone().next()
            };
            best.copied()
        };
        let pick_agent = |cands: &[&'a Placed]| -> Vec<usize> {
            pick_mention(cands)
                .map(|m| coordinated_before(s, m))
                .unwrap_or_default()
        };

        // 被罚款 / 被处以罚款: a trigger opening with the passive marker names no doer; the
        // name before it undergoes it.
        if s.between(trigger.0, trigger.1).starts_with(['被', '遭']) {
            return Roles {
                agent: Vec::new(),
                patients: pick_agent(&before),
            };
        }
        // 被X收购 / 遭X起诉: the agent follows 被, the patient precedes it.
        if let Some(p) = before
            .iter()
            .rev()
            .find(|m| m.span.0 >= clause.0 && s.marker(m) == Marker::Passive)
        {
            let earlier: Vec<&Placed> = before
                .iter()
                .copied()
                .filter(|m| m.span.1 <= p.span.0)
                .collect();
            let patient = earlier
                .iter()
                .rev()
                .find(|m| s.marker(m) == Marker::None)
                .map(|m| m.entity);
            return Roles {
                agent: vec![p.entity],
                patients: patient.into_iter().collect(),
            };
        }
        // X was acquired by Y.
        let head = s
            .between(clause.0.max(trigger.0.saturating_sub(24)), trigger.0)
            .to_ascii_lowercase();
        let padded = format!(" {head} ");
        let be_verb = [" was ", " were ", " been ", " is ", " are ", " being "]
            .iter()
            .any(|w| padded.contains(w));
        if be_verb {
            if let Some(p) = in_clause_after
                .iter()
                .find(|m| s.marker(m) == Marker::Passive)
            {
                return Roles {
                    agent: vec![p.entity],
                    patients: pick_agent(&before),
                };
            }
            // X, who ..., has been named chairman of Y: without `by`, the name before a
            // trigger right after its be-verb undergoes it, and the party after it in the
            // clause behind `of` or `to` (`of Y`, `to the Y board`) is the other side.
            if is_passive_participle(&head) {
                let undergoer = before
                    .iter()
                    .rev()
                    .find(|m| fits(m, patient_kind) && s.marker(m) == Marker::None);
                let other = s.mentions_in(trigger.1, clause.1).find(|m| {
                    fits(m, agent_kind) && of_or_to_before(s.between(trigger.1, m.span.0))
                });
                if let (Some(u), Some(o)) = (undergoer, other) {
                    return Roles {
                        agent: vec![o.entity],
                        patients: vec![u.entity],
                    };
                }
            }
        }
        // 将X(、Y)告上法庭: the patients stand between 将/把 and the trigger.
        let clause_head = s.between(clause.0, trigger.0);
        if let Some(off) = clause_head.rfind(['将', '把']) {
            let ba = clause.0 + off + '将'.len_utf8();
            let inside: Vec<usize> = s.mentions_in(ba, trigger.0).map(|m| m.entity).collect();
            if !inside.is_empty() {
                let earlier: Vec<&Placed> =
                    before.iter().copied().filter(|m| m.span.1 <= ba).collect();
                return Roles {
                    agent: pick_agent(&earlier),
                    patients: dedup(inside),
                };
            }
        }
        // Active voice: the doer before, the undergoer(s) after in the clause.
        let agent_mention = pick_mention(&before);
        let mut agent = agent_mention
            .map(|m| coordinated_before(s, m))
            .unwrap_or_default();
        let mut patients = Vec::new();
        // A counted plural (对这2家公司罚款) takes the parties named before it as the
        // patients: they are not the doer, even when named as the clause's subject.
        let mut plural_patients = false;
        if let Some(first) = in_clause_after.first() {
            patients.extend(s.entities_at(first));
            let mut last_end = first.span.1;
            for m in &in_clause_after[1..] {
                let gap = s.between(last_end, m.span.0).trim();
                if !is_one_of(&words().coordinator, gap) && !next_appointee(first, m, gap) {
                    break;
                }
                patients.push(m.entity);
                last_end = m.span.1;
            }
        }
        if let (true, Some(am)) = (patients.is_empty(), agent_mention) {
            // Momo获得华平投资的1亿美元投资: the receiver stands before the verb.
            let prev = before.iter().rev().find(|m| m.span.1 <= am.span.0);
            let verb_gap = s.between(prev.map_or(clause.0, |p| p.span.1), am.span.0);
            if words()
                .receive_verb
                .iter()
                .any(|v| verb_gap.trim_end().ends_with(v.as_str()))
            {
                patients.extend(
                    prev.filter(|p| s.marker(p) == Marker::None)
                        .map(|p| p.entity),
                );
            }
        }
        if patients.is_empty() {
            // 向Ling开出提成 / 与Scale AI签订合同 / 对Y的收购: a marked counterpart, with the
            // names coordinated after it (与新加坡电信、传音达成战略合作).
            let near = s.clauses_back(trigger.0, 1, true);
            if let Some(first) = before
                .iter()
                .rev()
                .find(|m| m.span.0 >= near && s.marker(m) == Marker::Dative)
            {
                patients.extend(s.entities_at(first));
                plural_patients = patients.len() > 1;
                let mut last_end = first.span.1;
                for m in before.iter().filter(|m| m.span.0 >= first.span.1) {
                    if !is_one_of(&words().coordinator, s.between(last_end, m.span.0).trim()) {
                        break;
                    }
                    patients.push(m.entity);
                    last_end = m.span.1;
                }
            }
        }
        if plural_patients {
            agent.retain(|e| !patients.contains(e));
        } else {
            patients.retain(|e| !agent.contains(e));
        }
        Roles {
            agent,
            patients: dedup(patients),
        }
    }
}

/// Whether `head` (the lower-case text before a trigger) ends with a be-verb, at most one
/// adverb after it (`was named`, `has been recently named`), so the trigger is a passive
/// participle; `is interested in acquiring`, `is investigating` are not.
fn is_passive_participle(head: &str) -> bool {
    const BE: [&str; 7] = ["was", "were", "been", "is", "are", "being", "be"];
    let mut words = head.split_whitespace().rev();
    match words.next() {
        Some(w) if BE.contains(&w) => true,
        Some(w) if w.ends_with("ly") || ["also", "just", "now", "since"].contains(&w) => {
            words.next().is_some_and(|w| BE.contains(&w))
        }
        _ => false,
    }
}

/// Whether person `m` after the first person `first` of a trigger is a second appointee,
/// the gap ending with a coordinator (`named A to the new post of vice chairman and B
/// president`, `任命A为总裁、B为首席财务官`): people coordinated after a person's own post.
fn next_appointee(first: &Placed, m: &Placed, gap: &str) -> bool {
    first.kind == EntityType::Person
        && m.kind == EntityType::Person
        && words()
            .coordinator
            .iter()
            .any(|c| !c.trim().is_empty() && c.trim() != "," && gap.ends_with(c.trim()))
}

/// Whether the text between a trigger and a name ends with `of` or `to`, then at most
/// [`MODIFIERS_AFTER_OF`] lower-case words (an article, a modifier): `named president of Y`,
/// `elected to the Y board`, `chairman of the five-member Y`.
fn of_or_to_before(gap: &str) -> bool {
    let mut words = gap.split_whitespace().rev();
    for _ in 0..=MODIFIERS_AFTER_OF {
        match words.next() {
            Some(w) if w.eq_ignore_ascii_case("of") || w.eq_ignore_ascii_case("to") => {
                return true
            }
            // A capitalised word is a name of its own (`of Bank of X`), not a modifier.
            Some(w) if w.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) => {}
            _ => return false,
        }
    }
    false
}

/// How many lower-case words may stand between `of`/`to` and the name after it.
const MODIFIERS_AFTER_OF: usize = 2;

fn dedup(v: Vec<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(v.len());
    for e in v {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// Is `gap` exactly one of `list`'s words?
fn is_one_of(list: &[String], gap: &str) -> bool {
    list.iter().any(|w| w == gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts with the table's share, payment and whole words in every case and at every
    /// edge, beside full-width, non-BMP and accented characters.
    const AWKWARD: &[&str] = &[
        "Acme to acquire 30% of Numedco's SHARES for 500,000 shares, a Stake in all of it.",
        "Bankshares bought sharesholders' STAKES; mistake; stake. EQUITY-position, equity_position",
        "公司以5亿元收购其全部股权,持有控股权。ＡＢ股份𠀀éstake",
        "收购51%股份 in exchange for 100 SHARES, Pct Of Interest In all the outstanding",
        "majority-controlling Majority controlling all_of %_of 以 for ",
        "shareshares stakestake ssharess s s",
        "",
    ];

    #[test]
    fn has_word_fast_is_has_word() {
        let w = words();
        let mut list: Vec<&str> = w
            .share
            .iter()
            .chain(&w.whole)
            .chain(&w.payment)
            .map(String::as_str)
            .collect();
        list.extend(["stake", "", "s", "ss", "aa", "股", "é", "𠀀", " ", "-"]);
        for t in AWKWARD.iter().chain(&["aaa", "aaaa xaa aax", "a"]) {
            for lower in [t.to_string(), t.to_ascii_lowercase()] {
                let ends: Vec<usize> = (0..=lower.len()).filter(|&i| lower.is_char_boundary(i)).collect();
                for &a in &ends {
                    let hay = &lower[a..];
                    for word in &list {
                        assert_eq!(has_word_fast(hay, word), has_word(hay, word), "{hay:?} {word:?}");
                        assert_eq!(contains_fast(hay, word), hay.contains(word), "{hay:?} {word:?}");
                        assert_eq!(
                            find_from(hay.as_bytes(), word.as_bytes(), 0),
                            if word.is_empty() { None } else { hay.find(word) },
                            "{hay:?} {word:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn minority_shares_is_the_plain_reading() {
        let percents = [None, Some(Num::from_int(30)), Some(Num::from_int(50)), Some(Num::from_int(80))];
        for t in AWKWARD {
            let ends: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
            // The whole text, and a span inside it, as the sentence.
            for span in [(0, t.len()), (ends[ends.len() / 4], ends[ends.len() * 3 / 4])] {
                let s = Sentence::new(t, span, &[], &[]);
                for &at in &ends {
                    for p in percents {
                        assert_eq!(
                            minority_shares(&s, (at, at), p),
                            minority_shares_plain(&s, (at, at), p),
                            "{span:?} {at} {t:?}"
                        );
                    }
                }
            }
        }
    }
}
