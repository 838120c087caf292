//! Modality: is a would-be fact actually reported as having happened? Forecasts, plans,
//! rumours, denials, negations and hypotheses (`data/fact_negations.tsv`) say no.
//!
//! Scopes: a `near` cue (未, not) must stand right before the trigger; a `clause` cue (计划,
//! 预计, plans to) anywhere before it in its clause, unless a presupposing verb stands in
//! between (计划终止一份合同: the contract exists); a `sentence` cue (否认, rumour) anywhere.
//! 将 is the future only when nothing nominal stands between it and the trigger: in
//! 将Eugene Ling告上法庭 and 将其估值推高 it is the 把-construction.


use super::cues::{Cue, CueSet, Hit};
use super::sentence::Sentence;
use crate::table::{cell_value, check_cell, rows, TableCell, TableError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Near,
    Clause,
    /// Like `Clause`, but not when the cue governs the trigger itself ([`governs`]).
    Far,
    Sentence,
}

/// What a cue of `data/fact_negations.tsv` says about the fact after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModalKind {
    Forecast,
    Plan,
    Rumour,
    Denial,
    Negation,
    Hypothetical,
    Withdrawn,
    /// Buybacks, dividends: never facts.
    NotAFact,
    /// A verb whose object already exists (终止一份合同): it stops a clause cue before it.
    Presuppose,
    /// The verb is reported as just happened (宣布, today).
    Recent,
}

impl ModalKind {
    fn parse(word: &str) -> Option<ModalKind> {
        Some(match word {
            "forecast" => ModalKind::Forecast,
            "plan" => ModalKind::Plan,
            "rumour" => ModalKind::Rumour,
            "denial" => ModalKind::Denial,
            "negation" => ModalKind::Negation,
            "hypothetical" => ModalKind::Hypothetical,
            "withdrawn" => ModalKind::Withdrawn,
            "not_a_fact" => ModalKind::NotAFact,
            "presuppose" => ModalKind::Presuppose,
            "recent" => ModalKind::Recent,
            _ => return None,
        })
    }

    /// Does a cue of this kind say that the fact did not happen (as opposed to the two
    /// helper kinds)?
    fn blocks(self) -> bool {
        !matches!(self, ModalKind::Presuppose | ModalKind::Recent)
    }
}

/// One row of `data/fact_negations.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct ModalRow {
    kind: ModalKind,
    scope: Scope,
    cue: &'static str,
}

/// Parses `data/fact_negations.tsv` (kind, scope, cue); an unknown kind or scope, or a
/// missing or extra column, is an error with file and line.
pub(crate) fn parse_modal(file: &'static str, text: &'static str) -> Result<CueSet<ModalRow>, TableError> {
    let mut entries = Vec::new();
    for r in rows(file, text) {
        r.at_most(3)?;
        let kind = r.cell(0, "kind")?;
        let kind = ModalKind::parse(kind).ok_or_else(|| {
            r.error(format!(
                "unknown kind {kind:?} (forecast, plan, rumour, denial, negation, hypothetical, withdrawn, not_a_fact, presuppose, recent)"
            ))
        })?;
        let scope = match r.cell(1, "scope")? {
            "near" => Scope::Near,
            "clause" => Scope::Clause,
            "far" => Scope::Far,
            "sentence" => Scope::Sentence,
            bad => return Err(r.error(format!("unknown scope {bad:?} (near, clause, far, sentence)"))),
        };
        let cue = r.cell(2, "cue")?;
        entries.push((Cue::parse(cue, "-"), ModalRow { kind, scope, cue }));
    }
    Ok(CueSet::new(entries))
}

fn modal_table() -> Result<CueSet<ModalRow>, TableError> {
    let (file, text) = crate::data_table!("fact_negations.tsv");
    parse_modal(file, text)
}

/// Loads `data/fact_negations.tsv`, for [`crate::table::check_all`].
pub(crate) fn check() -> Result<(), TableError> {
    check_cell(&MODAL_TABLE)
}

static MODAL_TABLE: TableCell<CueSet<ModalRow>> = TableCell::new(modal_table);

fn modal() -> &'static CueSet<ModalRow> {
    cell_value(&MODAL_TABLE)
}

/// Characters allowed between a `near` cue and its trigger (未能完成收购).
const NEAR_GAP: usize = 4;

/// Pronouns that make 将 the 把-construction (将其估值推高).
const BA_PRONOUNS: &[char] = &['其', '他', '她', '它', '该', '此', '这'];

/// The modality cues of one sentence.
pub(crate) struct Modality {
    hits: Vec<Hit>,
}

impl Modality {
    pub(crate) fn of(s: &Sentence<'_>) -> Modality {
        let hits = modal()
            .find(s.text, s.span)
            .into_iter()
            .filter(|h| {
                // A capitalised Latin cue inside the sentence is a name or a month (May), not a
                // modal; in a headline written in capitals (COULD BE LAID OFF) or after the
                // wire's dash (`... - Rumors that`) it is a word like any other.
                let word = &s.text[h.start..h.end];
                let title_case = word.starts_with(|c: char| c.is_ascii_uppercase())
                    && word.chars().skip(1).any(|c| c.is_ascii_lowercase());
                let opens = s.text[s.span.0..h.start].trim_end().ends_with(" -");
                !(h.start > s.span.0 && title_case && !opens)
            })
            .collect();
        Modality { hits }
    }

    /// The sentence reports that something just happened (宣布, today).
    pub(crate) fn recent(&self) -> bool {
        self.hits.iter().any(|h| modal().rows[h.row].kind == ModalKind::Recent)
    }

    /// Is a fact whose words reach from `trigger` up to `reach` (the trigger, or the value
    /// amount when that comes later) reported as not having happened?
    pub(crate) fn blocks(&self, s: &Sentence<'_>, trigger: (usize, usize), reach: usize) -> bool {
        self.blocks_but(s, trigger, reach, false)
    }

    /// Is the figure at `at` one of a deal's terms rather than a forecast? As [`Self::blocks`]
    /// with `at` for the trigger, except that `far` cues never block: a deal's terms are told
    /// in its future (shares will be exchanged for 9.8 mln dlrs).
    pub(crate) fn blocks_terms(&self, s: &Sentence<'_>, at: (usize, usize)) -> bool {
        self.blocks_but(s, at, at.1, true)
    }

    fn blocks_but(
        &self,
        s: &Sentence<'_>,
        trigger: (usize, usize),
        reach: usize,
        skip_far: bool,
    ) -> bool {
        let mut clause = s.modal_clause_of(trigger.0);
        // 业界普遍预计,Airbnb将...: a cue closing the clause before governs this one.
        if let Some(prev_end) = clause.0.checked_sub(1) {
            let prev = s.modal_clause_of(prev_end.saturating_sub(1));
            if prev.0 < clause.0
                && self.hits.iter().any(|h| {
                    h.start >= prev.0
                        && s.between(h.end, prev.1).trim().is_empty()
                        && modal().rows[h.row].scope == Scope::Clause
                })
            {
                clause.0 = prev.0;
            }
        }
        self.hits.iter().any(|h| {
            let row = &modal().rows[h.row];
            match (row.kind.blocks(), row.scope) {
                (false, _) => false,
                (_, Scope::Far) if skip_far => false,
                (_, Scope::Sentence) => true,
                (_, Scope::Near) => {
                    h.end <= trigger.0
                        && s.same_clause(h.start, trigger.0)
                        && s.chars_between(h.end, trigger.0) <= NEAR_GAP
                }
                (_, Scope::Far) if governs(s, h.end, trigger.0) => false,
                (_, Scope::Clause | Scope::Far) => {
                    if h.start < clause.0
                        || h.end > reach
                        || (h.start >= trigger.0 && h.start < trigger.1)
                    {
                        return false;
                    }
                    let end = reach.max(trigger.1);
                    if self.presupposed_between(h.end, trigger.0.min(end)) {
                        return false;
                    }
                    !(row.cue == "将" && nominal_between(s, h.end, trigger.0))
                }
            }
        })
    }

    fn presupposed_between(&self, a: usize, b: usize) -> bool {
        self.hits
            .iter()
            .any(|h| modal().rows[h.row].kind == ModalKind::Presuppose && h.start >= a && h.end <= b)
    }
}

/// Words that may stand between a `far` cue and the trigger it governs (will also
/// acquire, will be temporarily laid off).
const GOVERNING_WORDS: usize = 2;

/// Does a cue ending at `a` govern the trigger at `b`: at most [`GOVERNING_WORDS`] words
/// and no punctuation between? An act a company says it will do (will acquire, will lay
/// off 300 workers) is reported as decided; a deal further off the future (each right will
/// entitle holders to buy, proceeds will be used to buy back) is not one.
fn governs(s: &Sentence<'_>, a: usize, b: usize) -> bool {
    let gap = s.between(a, b);
    a <= b
        && gap.split_whitespace().count() <= GOVERNING_WORDS
        && gap.chars().all(|c| c.is_alphabetic() || c.is_whitespace())
}

/// Something nominal between 将 and the trigger: an entity mention or a pronoun.
fn nominal_between(s: &Sentence<'_>, a: usize, b: usize) -> bool {
    s.mentions_in(a, b).next().is_some()
        || s.between(a, b).starts_with(BA_PRONOUNS)
        || s.between(a, b).starts_with("公司")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::sentence::Placed;

    fn blocked(text: &str, trigger: &str) -> bool {
        let none: Vec<Placed> = Vec::new();
        let s = Sentence::new(text, (0, text.len()), &none, &[]);
        let t = text.find(trigger).unwrap();
        Modality::of(&s).blocks(&s, (t, t + trigger.len()), t + trigger.len())
    }

    #[test]
    fn plans_forecasts_and_denials_block() {
        assert!(blocked("公司计划收购一家芯片企业。", "收购"));
        assert!(blocked("The company plans to acquire a rival.", "acquire"));
        assert!(blocked("该公司否认了收购传闻。", "收购"));
        assert!(blocked("公司将于明年完成收购。", "收购"));
        assert!(blocked("交易尚未完成收购。", "收购"));
        assert!(!blocked("公司上月完成收购。", "收购"));
    }

    #[test]
    fn presupposed_object_and_ba_construction_pass() {
        assert!(!blocked("谷歌正在计划终止一份价值2亿美元的合同。", "合同"));
        assert!(!blocked("将其估值推高至290亿美元。", "估值"));
        assert!(!blocked("On May 5 the firm acquired a rival.", "acquired"));
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let bad = "# kind\tscope\tcue\nplan\tclause\t计划\nplan\tsomewhere\t打算\n";
        let err = parse_modal("data/fact_negations.tsv", bad).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("data/fact_negations.tsv:3: unknown scope \"somewhere\" (near, clause, far, sentence)")
        );
        let short = "guess\tnear\t猜\n";
        let err = parse_modal("t.tsv", short).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.starts_with("t.tsv:1: unknown kind \"guess\"")));
        assert!(parse_modal("t.tsv", "plan\tnear\n").is_err());
    }

    /// `will` right before the deal verb reports a decided act; further off, the deal is
    /// what something would allow or pay for.
    #[test]
    fn will_blocks_only_what_it_does_not_govern() {
        assert!(!blocked("Acme Corp said it will acquire Beta Inc.", "acquire"));
        assert!(!blocked("Its Acme unit will lay off 13 employees.", "lay off"));
        assert!(!blocked("Some 2,800 workers will be temporarily laid off.", "laid off"));
        assert!(blocked("Each right will entitle the holder to buy one share.", "buy"));
        assert!(blocked("Proceeds will be used to acquire a rival.", "acquire"));
        assert!(blocked("Acme could acquire Beta Inc.", "acquire"));
    }

    #[test]
    fn clause_cues_stay_in_their_clause() {
        assert!(!blocked("公司预计明年盈利,上月已完成收购。", "收购"));
        assert!(blocked(
            "但业界普遍预计,公司将通过“直接上市”的方式上市。",
            "方式上市"
        ));
    }
}
