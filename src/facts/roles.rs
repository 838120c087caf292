//! Amount roles and subjects: what a money amount, percentage or quantity is (valuation,
//! stake, commission, threshold, ...) and whose it is, from the cue words of
//! `data/amount_roles.tsv` around it in its clause and the entity mentions nearby.
//!
//! Rules, in order:
//! - an amount restating the one just before it (`290亿美元(约合人民币2068亿元)`, `816,000
//!   shares, or 11.3 pct` when of the same kind) takes that amount's role and subject and is
//!   marked as an equivalent, so it never anchors a second fact;
//! - otherwise the best cue of its clause wins: higher priority first (前提是 ... makes a
//!   threshold), then the nearest (before the amount: up to 20 characters, after: up to 8);
//!   a cue before a percentage and joined to it by 的 names the base, not the role
//!   (`毛利润的20%` is a share of gross profit);
//! - no cue: `other`.
//!
//! Subject: the entity a `的` relative clause attaches the amount to (`估值已达20亿美元的AI初创
//! 公司Mercor` -> Mercor); for a stake the company the stake is in; else the nearest person
//! or organisation before the amount in its sentence (organisations first for company
//! figures). The facts stage later overrides both for the amounts that are a fact's value.


use super::cues::{Cue, CueSet, Hit, Occurrence};
use super::sentence::{Placed, Sentence};
use super::types::TableError;
use crate::document::{Amount, AmountKind, AmountRole, Document, EntityType};

/// Where a cue stands relative to its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
    Any,
}

/// One row of `data/amount_roles.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct RoleRow {
    pub role: AmountRole,
    kinds: Vec<AmountKind>,
    side: Side,
    priority: u8,
}

const MAX_GAP_BEFORE: usize = 20;
const MAX_GAP_AFTER: usize = 8;

pub(crate) static ROLES: crate::table::TableCell<CueSet<RoleRow>> =
    crate::table::TableCell::new(|| parse_roles(include_str!("../../data/amount_roles.tsv")));

/// Parses `data/amount_roles.tsv`; an unknown role, kind, side or priority is an error.
pub(crate) fn parse_roles(src: &'static str) -> Result<CueSet<RoleRow>, TableError> {
    let mut entries = Vec::new();
    for (n, line) in src.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason: String| TableError {
            file: "data/amount_roles.tsv".to_string(),
            line: n + 1,
            reason,
        };
        let cols: Vec<&'static str> = line.split('\t').map(str::trim).collect();
        let [role, kinds, side, priority, cue] = cols[..] else {
            return Err(err(format!(
                "expected 5 tab-separated columns, found {}",
                cols.len()
            )));
        };
        let role =
            AmountRole::parse(role).ok_or_else(|| err(format!("unknown amount role {role:?}")))?;
        let mut parsed = Vec::new();
        for k in kinds.split(',').map(str::trim) {
            parsed.push(match k {
                "money" => AmountKind::Money,
                "percent" => AmountKind::Percent,
                "quantity" => AmountKind::Quantity,
                bad => {
                    return Err(err(format!(
                        "unknown amount kind {bad:?} (money, percent, quantity)"
                    )))
                }
            });
        }
        let side = match side {
            "before" => Side::Before,
            "after" => Side::After,
            "any" => Side::Any,
            bad => return Err(err(format!("unknown side {bad:?} (before, after, any)"))),
        };
        let priority = priority
            .parse()
            .map_err(|_| err(format!("priority {priority:?} is not a small whole number")))?;
        let row = RoleRow {
            role,
            kinds: parsed,
            side,
            priority,
        };
        entries.push((Cue::parse(cue, "-"), row));
    }
    Ok(CueSet::overlapping(entries))
}

/// Per-amount results the fact frames read besides `role` and `subject`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AmountInfo {
    /// Restates the previous amount (a conversion or an "or" alternative).
    pub equivalent: bool,
    /// Index into `doc.entities` of the subject.
    pub subject: Option<usize>,
}

/// Does the amount take part in roles at all?
pub(crate) fn has_role(a: &Amount) -> bool {
    matches!(
        a.kind,
        AmountKind::Money | AmountKind::Percent | AmountKind::Quantity
    )
}

/// Sets `role` and `subject` on every money/percent/quantity amount of sentence `s`;
/// `info` is indexed like `doc.amounts`.
/// `occ`: the occurrences of the role cues in the document ([`super::cues::Scanned`]).
pub(crate) fn assign(
    s: &Sentence<'_>,
    doc: &mut Document,
    amount_ids: &[usize],
    info: &mut [AmountInfo],
    occ: &[Occurrence],
) {
    // The role cues are read only for a sentence holding an amount.
    if amount_ids.is_empty() {
        return;
    }
    let mut hits = Vec::new();
    ROLES.find_scanned(s.text, s.span, occ, &mut hits);
    let mut prev: Option<usize> = None;
    for &i in amount_ids {
        let Some(a) = doc.amounts.get(i) else {
            continue;
        };
        if !has_role(a) {
            continue;
        }
        let span = a.nspan;
        // A figure with a role of its own is no restatement, even after "or" ($1.2
        // billion, or $2.10 per share).
        let own = best_role(s, a, &hits);
        let restated = prev.filter(|&p| {
            compared(s, &doc.amounts[p], a)
                || (restates(s, &doc.amounts[p], a)
                    && own.is_none_or(|r| doc.amounts[p].role == Some(r)))
        });
        if let Some(p) = restated {
            let (role, subj) = (doc.amounts[p].role, info[p].subject);
            info[i] = AmountInfo {
                equivalent: true,
                subject: subj,
            };
            doc.amounts[i].role = role;
            doc.amounts[i].subject = subj.map(|e| doc.entities[e].name.clone());
            doc.amounts[i].subject_id = subj.map(|e| doc.entities[e].id.clone());
            prev = Some(i);
            continue;
        }
        let mut role = own.unwrap_or(AmountRole::Other);
        // The price of a minority of shares is an investment (收购X 49%的股份).
        if role == AmountRole::Price {
            let pct = amount_ids
                .iter()
                .filter_map(|&j| doc.amounts.get(j))
                .find(|p| p.kind == AmountKind::Percent && s.same_clause(p.nspan.0, span.0))
                .and_then(|p| p.value);
            if super::frames::minority_shares(s, span, pct) == Some(true) {
                role = AmountRole::Investment;
            }
        }
        let subject = subject_of(s, span, role);
        info[i] = AmountInfo {
            equivalent: false,
            subject,
        };
        doc.amounts[i].role = Some(role);
        doc.amounts[i].subject_id = subject.map(|e| doc.entities[e].id.clone());
        doc.amounts[i].subject = subject.map(|e| doc.entities[e].name.clone());
        prev = Some(i);
    }
}

/// `b` is the figure `a` is compared with (`Shr loss 67 cts vs profit 60 cts`): the same
/// measure for another period, whatever word stands before it.
fn compared(s: &Sentence<'_>, a: &Amount, b: &Amount) -> bool {
    if a.kind != b.kind || a.nspan.1 > b.nspan.0 {
        return false;
    }
    let gap = s.between(a.nspan.1, b.nspan.0);
    let g = gap.trim_start().to_ascii_lowercase();
    gap.chars().count() <= 20
        && [
            "vs ",
            "vs. ",
            "versus ",
            "against ",
            "compared with ",
            "compared to ",
        ]
        .iter()
        .any(|w| g.starts_with(w))
}

/// `b` restates `a`: same kind, right after it, joined by a bracket, 约合/折合/相当于 or "or".
fn restates(s: &Sentence<'_>, a: &Amount, b: &Amount) -> bool {
    if a.kind != b.kind || a.nspan.1 > b.nspan.0 {
        return false;
    }
    let gap = s.between(a.nspan.1, b.nspan.0);
    if gap.chars().count() > 8 {
        return false;
    }
    let g = gap.trim();
    g.starts_with('(')
        || ["约合", "折合", "相当于", "合", "or", ", or", "about", "约"]
            .iter()
            .any(|w| g.trim_start_matches(['(', ',', ' ']).starts_with(w))
}

/// The end of a bracket right after byte `end` (a restatement or gloss of the amount:
/// `(约合人民币330亿元)`), when it closes within a few words.
fn restatement_after(s: &Sentence<'_>, end: usize) -> Option<usize> {
    let rest = s.text.get(end..s.span.1)?;
    let body = rest.strip_prefix('(')?;
    let close = body.find(')')?;
    (body[..close].chars().count() <= 24).then(|| end + 1 + close + 1)
}

fn best_role(s: &Sentence<'_>, a: &Amount, hits: &[Hit]) -> Option<AmountRole> {
    let (start, end) = a.nspan;
    let clause = s.clause_of(start);
    // 50亿美元(约合人民币330亿元)的罚款: a bracketed restatement does not part the amount
    // from the words after it.
    let bracket_end = restatement_after(s, end);
    let after_clause = bracket_end.map(|b| s.clause_of(b));
    let end = bracket_end.unwrap_or(end);
    let mut best: Option<(u8, usize, AmountRole)> = None;
    for h in hits {
        let row = &ROLES.rows[h.row];
        let in_clause = (h.start >= clause.0 && h.end <= clause.1)
            || after_clause.is_some_and(|c| h.start >= end && h.start >= c.0 && h.end <= c.1);
        if !row.kinds.contains(&a.kind) || !in_clause {
            continue;
        }
        let gap = if h.end <= start {
            if row.side == Side::After {
                continue;
            }
            let between = s.between(h.end, start);
            if a.kind == AmountKind::Percent && between.trim_end().ends_with('的') {
                continue; // 毛利润的20%: the base of the share, not what it is
            }
            between.chars().count()
        } else if h.start >= end {
            if row.side == Side::Before {
                continue;
            }
            s.between(end, h.start).chars().count()
        } else {
            continue; // overlaps the amount itself
        };
        let limit = if h.end <= start {
            MAX_GAP_BEFORE
        } else {
            MAX_GAP_AFTER
        };
        if row.priority == 0 && gap > limit {
            continue;
        }
        let better = match best {
            None => true,
            Some((p, g, _)) => row.priority > p || (row.priority == p && gap < g),
        };
        if better {
            best = Some((row.priority, gap, row.role));
        }
    }
    best.map(|b| b.2)
}

/// Roles that belong to a company rather than a person.
fn company_figure(role: AmountRole) -> bool {
    use AmountRole::*;
    matches!(
        role,
        Valuation | Revenue | Profit | Funding | Contract | Stake | Investment
    )
}

fn subject_of(s: &Sentence<'_>, span: (usize, usize), role: AmountRole) -> Option<usize> {
    let clause = s.clause_of(span.0);
    // 估值已达20亿美元的AI初创公司Mercor: the amount modifies the noun after 的.
    let after = s.text.get(span.1..clause.1).unwrap_or("");
    if after.trim_start().starts_with('的') {
        if let Some(m) = s.mentions_in(span.1, clause.1).next() {
            if s.chars_between(span.1, m.span.0) <= 16 {
                return Some(m.entity);
            }
        }
    }
    if role == AmountRole::Stake {
        if let Some(m) = stake_target(s, span, clause) {
            return Some(m.entity);
        }
    }
    let prefer_org = company_figure(role);
    let before: Vec<&Placed> = s.mentions.iter().filter(|m| m.span.1 <= span.0).collect();
    before
        .iter()
        .rev()
        .find(|m| !prefer_org || m.kind == EntityType::Org)
        .or_else(|| before.last())
        .map(|m| m.entity)
}

/// The company a stake is in: the mention right before the percentage (`Scale AI 49%`),
/// else one after it in the clause (`a 7.2 pct stake in Minstar`), else one shortly before
/// it in the clause (`stake in Wrather Corp to 11.3 pct`).
fn stake_target<'a>(
    s: &Sentence<'a>,
    span: (usize, usize),
    clause: (usize, usize),
) -> Option<&'a Placed> {
    let before = s
        .mentions
        .iter()
        .rev()
        .find(|m| m.span.1 <= span.0 && m.span.0 >= clause.0);
    if let Some(m) = before {
        if s.chars_between(m.span.1, span.0) <= 2 {
            return Some(m);
        }
    }
    if let Some(m) = s.mentions_in(span.1, clause.1).next() {
        if s.chars_between(span.1, m.span.0) <= 24 {
            return Some(m);
        }
    }
    before.filter(|m| s.chars_between(m.span.1, span.0) <= 12)
}
