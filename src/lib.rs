//! newsfacts: Chinese and English news in, structured facts out.
//!
//! The public API is [`Pipeline`]: `Pipeline::new(config)?.process(&source)` runs every
//! stage on one [`input::Source`] and returns a [`Document`] whose offsets all point into
//! the original text. Data flows one way:
//!
//! ```text
//! input -> normalize (offset map) -> segment -> recognize -> arbitrate
//!       -> resolve entities -> facts -> locate (back to original offsets) -> output
//! ```
//!
//! ```
//! use newsfacts::{Config, Pipeline, Source};
//!
//! let pipeline = Pipeline::new(Config::default()).expect("tables and models load");
//! let text = "今年6月,Meta豪擲143億美元收購Scale AI 49%的股份。";
//! let doc = pipeline.process(&Source::from_text("example", text).with_date("2025-09-05"));
//! let money = doc.amounts.iter().find(|a| a.kind == newsfacts::AmountKind::Money).unwrap();
//! assert_eq!(money.display.as_deref(), Some("USD 14.3B"));
//! // Offsets point into the original (Traditional) text.
//! let chars: Vec<char> = text.chars().collect();
//! assert_eq!(chars[money.start..money.end].iter().collect::<String>(), "143億美元");
//! assert!(doc.dates.iter().any(|d| d.value.as_deref() == Some("2025-06")));
//! ```

// No unwrap()/expect() outside tests (issue 13): input-dependent paths return errors.
// `clippy.toml` allows them in tests; CI runs clippy (`.ci/run`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// Rule conditions are written as lists of requirements (`a && !b && !c`), the way the
// rules are described; clippy's De Morgan rewrites of them read worse.
#![allow(clippy::nonminimal_bool)]
// Every `pub` item must be reachable from the crate root; the rest is `pub(crate)`.
#![warn(unreachable_pub)]

// The public API: the pipeline (`Pipeline`, `Config`, `Source`), the record types
// (`Document` and its items, `Num`), the batch runner and the writers the CLI is made of
// (`batch`, `input::SourceStream`, `output`). Everything else is `pub(crate)`.
//
// The stage modules (normalize, segment, recognize, facts) are declared by `stage_module!`:
// crate-private in the product (the CLI, the wheel, any dependent), and `pub` with no
// stability promise (`#[doc(hidden)]`) only under the `internals` feature, which the
// workspace's lab crate (`lab/`: NER trainer, stage timing) and this package's own tests
// (the dev-dependency on itself in Cargo.toml) turn on, to test or train a stage alone.
// Without the feature their `pub` items are crate-visible only, hence the allows: items
// only the lab or a stage test calls are unused in the product build.
macro_rules! stage_module {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        #[cfg(feature = "internals")]
        #[doc(hidden)]
        pub mod $name;
        $(#[$attr])*
        #[cfg(not(feature = "internals"))]
        #[allow(unreachable_pub, dead_code)]
        pub(crate) mod $name;
    };
}

pub(crate) mod arbitrate;
pub mod batch;
mod document;
stage_module!(
    // Owned by other work and not yet clean: expect()s on compiling fixed regex and automaton
    // patterns (recognize/date/{mod,en,zh,tense}.rs, recognize/entity/business.rs,
    // recognize/amount/wire_table.rs, facts/cues.rs). None depends on input; they should
    // become `LazyLock<Result<..>>` or table-loader checks, then these allows go.
    #[allow(clippy::unwrap_used, clippy::expect_used)]
    facts
);
pub mod input;
stage_module!(normalize);
mod num;
pub mod output;
pub(crate) mod progress;
stage_module!(
    #[allow(clippy::unwrap_used, clippy::expect_used)]
    recognize
);
stage_module!(segment);
pub(crate) mod table;
pub(crate) mod warm;

#[cfg(test)]
mod never_panic;
#[cfg(test)]
pub(crate) mod test_support;

use chrono::NaiveDate;
use segment::Segmented;

pub use document::*;
pub use input::Source;
pub use num::Num;

use recognize::{
    amount::AmountRecognizer, date::DateRecognizer, entity::EntityRecognizer, Candidates, Context,
};

/// Errors of the library API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid date {0:?}: use the form YYYY-MM-DD, e.g. 2025-09-05")]
    BadDate(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Output(String),
    /// A data table or model that does not load: file, line and what is wrong.
    #[error("data table error: {0}")]
    Table(#[from] table::TableError),
}

/// Options of a run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Document date for every document (`--date`), overriding front matter and inference.
    pub date: Option<NaiveDate>,
    /// Also report bare cardinal numbers as amounts of kind `number`.
    pub numbers: bool,
    /// Run entity recognition (on by default).
    pub entities: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            date: None,
            numbers: false,
            entities: true,
        }
    }
}

/// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`, or a datetime starting so).
pub fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let head: String = s
        .chars()
        .take(10)
        .map(|c| if c == '/' || c == '.' { '-' } else { c })
        .collect();
    NaiveDate::parse_from_str(&head, "%Y-%m-%d").ok()
}

/// The text the recognisers read (what `newsfacts normalize` prints): full-width to
/// half-width, Traditional to Simplified, pinyin glosses and site boilerplate removed,
/// whitespace tidied. (Offsets of the items of a [`Document`] point into the original.)
pub fn normalize_text(text: &str) -> String {
    normalize::normalize(text).text
}

/// Starts building what documents like `text` need before the first one is processed:
/// jieba's dictionary when `text` holds Chinese (the largest start-up cost) on a thread of
/// its own; and after [`Pipeline::load_in_background`]'s tables, on one other thread
/// (see `warm`), jieba's part-of-speech model, the tagger model of `text`'s language, the
/// gazetteer's automaton (when `text` is long) and the patterns the stages compile on first
/// use. The first
/// document then waits only for what is left. Returns whether jieba's load is under way.
/// Calling it is never needed for correct output, only for start-up; only the first call
/// queues tasks (later documents find the stages built).
pub fn prepare_for(text: &str) -> bool {
    static PREPARED: std::sync::Once = std::sync::Once::new();
    let han = segment::load_in_background_for(text);
    PREPARED.call_once(|| queue_start_up_tasks(text, han));
    han
}

/// The start-up tasks of [`prepare_for`] for a first document `text`.
fn queue_start_up_tasks(text: &str, han: bool) {
    // Jieba's POS model comes first (after `Pipeline::new`, queued before): the first
    // document's segmentation needs it the moment the trie is done, and queued last it
    // was still unbuilt then on a busy machine, so the main thread built it (about 20 ms)
    // after the trie, on the path to the first record (measured with per-task thread CPU
    // and wall-clock times). The gazetteer's automaton, needed only by the entity stage
    // after segmentation, dates and amounts, and only by a long first document, comes last.
    let sample = warm_sample(text).to_owned();
    let mut tasks: Vec<warm::Task> = Vec::new();
    if han {
        tasks.push(Box::new(segment::load_pos_model));
    }
    tasks.extend([
        recognize::entity::tagger::model_task_for(text),
        Box::new(move || warm_stages(&sample)) as warm::Task,
    ]);
    // A short first document finds its listed names without the gazetteer's automaton,
    // which it queues for the documents after it (`Gazetteer::word_hits`): built here it
    // took a core from the first document's stages.
    if recognize::entity::gazetteer::needs_automaton(text) {
        tasks.push(Box::new(recognize::entity::gazetteer::build));
    } else {
        recognize::entity::gazetteer::defer_automaton();
    }
    warm::enqueue(tasks);
    if !han {
        // No trie to build: the second core takes tasks from the start.
        warm::help_on_new_thread();
    }
}

/// The head of a first document that the stages are warmed on: the patterns a document
/// needs depend on its text, and its first 16 KB show most of them.
fn warm_sample(text: &str) -> &str {
    let mut end = text.len().min(16 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Builds, ahead of the first document, what the stages otherwise build inside it: the
/// patterns and tables they load on first use. Date rules are compiled where their gate
/// sends them, so the text-only stages run once on `sample` (their findings are dropped):
/// compiling all 111 rules would cost more than the first document needs.
fn warm_stages(sample: &str) {
    let norm = normalize::normalize(sample);
    let _ = recognize::date::find(&norm.text);
    let _ = AmountRecognizer.amounts(&norm.text, false);
    recognize::date::warm();
    recognize::entity::warm();
}

/// The whole extraction pipeline, with every table and model loaded once.
pub struct Pipeline {
    config: Config,
    amounts: AmountRecognizer,
    dates: DateRecognizer,
    entities: EntityRecognizer,
}

impl Pipeline {
    /// Loads every table (each bad row is an error naming its file and line).
    pub fn new(config: Config) -> Result<Pipeline, Error> {
        table::check_all()?;
        Ok(Pipeline {
            amounts: AmountRecognizer::new(),
            dates: DateRecognizer::new(),
            entities: EntityRecognizer::new(),
            config,
        })
    }

    /// [`Pipeline::new`] on the start-up thread (see `warm`), ahead of the tasks
    /// [`prepare_for`] queues, so that loading the tables overlaps with reading the first
    /// document and never takes a core from jieba's build.
    pub fn load_in_background(config: Config) -> PipelineLoading {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let task: warm::Task = Box::new(move || {
            let _ = tx.send(Pipeline::new(config));
        });
        if !warm::enqueue([task]) {
            // No thread could be started: the task is still queued; run it here.
            warm::help();
        }
        PipelineLoading(rx)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Processes one document. Never panics on any input text; a source that carries a
    /// read error comes back as a failed document.
    pub fn process(&self, source: &Source) -> Document {
        self.process_timed(source, None)
    }

    /// [`Pipeline::process`], adding the time spent in each stage to `times` when given
    /// (the lab's bench; without `times` no clock is read).
    #[doc(hidden)]
    pub fn process_timed(&self, source: &Source, times: Option<&mut StageTimes>) -> Document {
        let mut lap = Laps::new(times);
        let mut doc = Document::default();
        let mut work = self.start(source, &mut doc);
        lap.lap(|t| &mut t.normalize);
        self.split_text(&mut work);
        self.segment_words(&mut work);
        lap.lap(|t| &mut t.segment);
        self.match_dates(&mut work);
        self.find_dates(&mut work);
        lap.lap(|t| &mut t.dates);
        self.scan_amounts(&mut work);
        self.read_amounts(&mut work);
        self.settle_amounts(&mut work);
        lap.lap(|t| &mut t.amounts);
        self.resolve_dates(&mut work);
        lap.lap(|t| &mut t.dates);
        self.tag_entities(&mut work);
        self.mend_tagged_entities(&mut work);
        self.find_listed_entities(&mut work);
        self.find_ruled_entities(&mut work);
        self.settle_entities(&mut work);
        self.arbitrate_candidates(&mut work);
        self.resolve_entities(&mut work);
        lap.lap(|t| &mut t.entities);
        self.extract_facts(&mut work);
        lap.lap(|t| &mut t.facts);
        finish(work);
        describe(&mut doc, source);
        lap.lap(|t| &mut t.locate);
        doc
    }

    /// [`Pipeline::process`] of every source, stage by stage over all of them: the same
    /// documents, but each stage's tables (the tagger's weights, jieba's trie, the
    /// automata, the lexicons) stay in cache across the chunk instead of being evicted by
    /// the other stages after every document, which is most of what a one-line document
    /// costs beyond its text (about 7 % of its CPU time, measured with
    /// `lab/examples/stage_major.rs`). The batch runner calls it a chunk at a time.
    pub fn process_chunk(&self, sources: &[Source]) -> Vec<Document> {
        let mut docs = self.process_chunk_undescribed(sources);
        for (doc, source) in docs.iter_mut().zip(sources) {
            describe(doc, source);
        }
        docs
    }

    /// [`Pipeline::process_chunk`] without what the records carry of their sources as
    /// given (see [`describe`]): the batch runner moves that in from the sources it drops.
    pub(crate) fn process_chunk_undescribed(&self, sources: &[Source]) -> Vec<Document> {
        // The records are made where they are returned and the work items point at them:
        // a record (400 bytes) is never moved, and the work items stay small.
        let mut docs: Vec<Document> = std::iter::repeat_with(Document::default)
            .take(sources.len())
            .collect();
        let mut works: Vec<Work<'_>> = sources
            .iter()
            .zip(&mut docs)
            .map(|(source, doc)| self.start(source, doc))
            .collect();
        for stage in STAGES {
            for work in &mut works {
                stage(self, work);
            }
        }
        works.into_iter().for_each(finish);
        docs
    }

    /// The document's record, filled into `doc` (a default one), and normalised text; a
    /// source that failed to read, or too large for 32-bit offsets, is finished here
    /// (`norm` stays `None`). The record's names and input fields are left to [`describe`].
    fn start<'a>(&self, source: &'a Source, doc: &'a mut Document) -> Work<'a> {
        // A test hook: no input text panics the pipeline, so the batch's panic guard can
        // only be exercised by a document that asks for a panic (never in a real build).
        #[cfg(test)]
        if source.id == batch::TEST_PANIC_ID {
            panic!("test hook: this document panics");
        }
        doc.warnings.clone_from(&source.warnings);
        let mut work = Work {
            source,
            doc,
            norm: None,
            seg: Segmented::default(),
            date_matches: recognize::date::Matches::default(),
            date_exprs: Vec::new(),
            doc_date: None,
            entity_draft: recognize::entity::Draft::default(),
            amount_draft: recognize::amount::Draft::default(),
            cands: Candidates::default(),
        };
        if let Some(err) = unprocessable(source) {
            work.doc.status = Status::Failed;
            work.doc.error = Some(err);
            return work;
        }
        // Normalise the body only; offsets still count from the start of the text.
        let body = source.text.get(source.body_start..).unwrap_or("");
        let skipped_chars = source.text[..source.body_start.min(source.text.len())]
            .chars()
            .count();
        let mut norm = normalize::normalize(body);
        work.doc.script = norm.script;
        if skipped_chars > 0 {
            norm.map.shift(skipped_chars);
        }
        // The map counted the body's characters (and the shift the skipped ones): the
        // text is not counted again.
        work.doc.chars = norm.map.original_len();
        work.norm = Some(norm);
        work
    }

    /// Sentences and paragraphs.
    fn split_text(&self, work: &mut Work<'_>) {
        if let Some(norm) = &work.norm {
            work.seg = segment::split(&norm.text);
        }
    }

    /// The POS-tagged words of the sentences (only the entity stages read them): a stage of
    /// its own so that over a chunk jieba's code stays in cache (see [`STAGES`]).
    fn segment_words(&self, work: &mut Work<'_>) {
        if let (Some(norm), true) = (&work.norm, self.config.entities) {
            segment::add_words(&norm.text, &mut work.seg);
        }
    }

    /// The date rules' matches: the regex searches of date recognition, a stage of their own
    /// so that over a chunk the regex engines' code stays in cache (see [`STAGES`]); the
    /// next stage reads them.
    fn match_dates(&self, work: &mut Work<'_>) {
        if let Some(norm) = &work.norm {
            work.date_matches = recognize::date::find_matches(&norm.text);
        }
    }

    /// Date expressions read from the rules' matches, and the document date (`--date`, then
    /// front matter / JSONL, then inferred from them, else none).
    fn find_dates(&self, work: &mut Work<'_>) {
        let Some(norm) = &work.norm else { return };
        let (source, doc) = (work.source, &mut work.doc);
        let text = norm.text.as_str();
        // A front matter / JSONL date that does not parse is ignored (with a warning) and
        // the next rule, inference, applies.
        let meta_date = source.meta.date.as_deref().and_then(|d| {
            let parsed = parse_iso_date(d);
            if parsed.is_none() {
                doc.warnings
                    .push(format!("document date {d:?} is not YYYY-MM-DD; ignored"));
            }
            parsed
        });
        // Date expressions are found once: the document date may be inferred from them,
        // then they are resolved against it.
        let matches = std::mem::take(&mut work.date_matches);
        work.date_exprs = recognize::date::parse_matches(text, &matches);
        let (doc_date, source_kind) = if let Some(d) = self.config.date {
            (Some(d), DateSource::Cli)
        } else if let Some(d) = meta_date {
            (Some(d), source.date_origin)
        } else {
            match recognize::date::infer_document_date_from(text, &work.seg, &work.date_exprs) {
                Some(d) => (Some(d), DateSource::Inferred),
                None => (None, DateSource::None),
            }
        };
        doc.doc_date = doc_date.map(|d| d.format("%Y-%m-%d").to_string());
        doc.date_source = source_kind;
        work.doc_date = doc_date;
    }

    /// The written numbers of the text: the first step of amount recognition, a stage of
    /// its own so that over a chunk the scanner's code stays in cache (see [`STAGES`]).
    fn scan_amounts(&self, work: &mut Work<'_>) {
        if let Some(norm) = &work.norm {
            self.amounts.scan(&norm.text, &mut work.amount_draft);
        }
    }

    /// The amount each written number reads as with the words around it.
    fn read_amounts(&self, work: &mut Work<'_>) {
        if let Some(norm) = &work.norm {
            self.amounts.read(&norm.text, &mut work.amount_draft);
        }
    }

    /// Amount candidates: the amounts read, ranges joined and values displayed.
    fn settle_amounts(&self, work: &mut Work<'_>) {
        if let Some(norm) = &work.norm {
            let draft = std::mem::take(&mut work.amount_draft);
            let found = self.amounts.settle(&norm.text, self.config.numbers, draft);
            work.cands.amounts.extend(found);
        }
    }

    fn resolve_dates(&self, work: &mut Work<'_>) {
        let Work {
            norm: Some(norm),
            seg,
            doc_date,
            cands,
            date_exprs,
            ..
        } = work
        else {
            return;
        };
        let ctx = context(norm, seg, *doc_date, self.config.numbers);
        self.dates.resolve_found(&ctx, date_exprs, cands);
    }

    /// The entity tagger's mentions: the first step of entity recognition, a stage of its
    /// own so that over a chunk the tagger runs document after document, its code and
    /// weights in cache (see [`STAGES`]).
    fn tag_entities(&self, work: &mut Work<'_>) {
        self.entity_step(work, |ctx, draft, _| self.entities.tag(ctx, draft));
    }

    /// The tagger's entity mentions mended at their edges and typed by their context.
    fn mend_tagged_entities(&self, work: &mut Work<'_>) {
        self.entity_step(work, |ctx, draft, _| self.entities.mend_tagged(ctx, draft));
    }

    /// The gazetteer's entity mentions.
    fn find_listed_entities(&self, work: &mut Work<'_>) {
        self.entity_step(work, |ctx, draft, _| self.entities.find_listed(ctx, draft));
    }

    /// The rules' entity mentions.
    fn find_ruled_entities(&self, work: &mut Work<'_>) {
        self.entity_step(work, |ctx, draft, _| self.entities.find_ruled(ctx, draft));
    }

    /// Entity candidates: the mentions of the tagger, the gazetteer and the rules weighed
    /// against each other.
    fn settle_entities(&self, work: &mut Work<'_>) {
        self.entity_step(work, |ctx, draft, cands| {
            self.entities.settle(ctx, std::mem::take(draft), cands)
        });
    }

    /// Runs one step of entity recognition on a normalised document with its context, its
    /// entity draft and its candidates, when entities are asked for.
    fn entity_step(
        &self,
        work: &mut Work<'_>,
        step: impl FnOnce(&Context<'_>, &mut recognize::entity::Draft, &mut Candidates),
    ) {
        let Work {
            norm: Some(norm),
            seg,
            doc_date,
            entity_draft,
            cands,
            ..
        } = work
        else {
            return;
        };
        if self.config.entities {
            let ctx = context(norm, seg, *doc_date, self.config.numbers);
            step(&ctx, entity_draft, cands);
        }
    }

    /// Arbitration between all candidates (entities, amounts, dates): a stage of its own,
    /// apart from the grouping of entities, so that over a chunk each one's code stays in
    /// cache (see [`STAGES`]).
    fn arbitrate_candidates(&self, work: &mut Work<'_>) {
        if let Some(norm) = &work.norm {
            arbitrate::arbitrate(&norm.text, &mut work.cands);
        }
    }

    /// Entities grouped; the arbitrated amounts and dates moved into the record.
    fn resolve_entities(&self, work: &mut Work<'_>) {
        let Work {
            norm: Some(norm),
            seg,
            doc_date,
            cands,
            doc,
            ..
        } = work
        else {
            return;
        };
        let ctx = context(norm, seg, *doc_date, self.config.numbers);
        doc.entities = recognize::entity::resolve(&ctx, &mut cands.mentions);
        doc.amounts = std::mem::take(&mut cands.amounts);
        doc.dates = std::mem::take(&mut cands.dates);
    }

    fn extract_facts(&self, work: &mut Work<'_>) {
        let Work {
            norm: Some(norm),
            seg,
            doc_date,
            doc,
            ..
        } = work
        else {
            return;
        };
        let ctx = context(norm, seg, *doc_date, self.config.numbers);
        facts::extract(&ctx, doc);
    }
}

/// Why `source` cannot be processed, if it cannot: it failed to read, or it is too large
/// for the pipeline's 32-bit offsets (the offset map; `--max-doc-mb` keeps documents far
/// below this, but a library caller may not).
fn unprocessable(source: &Source) -> Option<String> {
    if let Some(err) = &source.error {
        return Some(err.clone());
    }
    (source.text.len() > u32::MAX as usize).then(|| {
        format!(
            "document too large: {} bytes, over the {} bytes whose offsets can be kept",
            source.text.len(),
            u32::MAX
        )
    })
}

/// The stages of [`Pipeline::process_chunk`] after [`Pipeline::start`], in order.
///
/// Stages are small where that pays: a one-line document is gone through by each stage
/// between two documents of the next, so a stage's code must stay in the instruction
/// cache across documents. The entity stage as one (tagger, some twenty rule passes,
/// arbitration, grouping) did not: one-line documents missed the 32 KB level-1
/// instruction cache 4.5 times as often a byte as documents of 20 lines (callgrind's
/// cache simulation), most of their extra CPU time. (Smaller still, in groups of 64
/// documents instead of the chunk, was slower: the tables were re-warmed more often.)
/// Split the same way later: dates (regex searches, then the rules' readers), segmentation
/// (sentences, then jieba's words), the entity rules (mending the tagger's mentions, the
/// gazetteer, the rule finders) and arbitration apart from grouping: one steady round of
/// 0.5 MB of one-line documents (`lab/examples/batch_cg.rs lines`) went from 3.47 M to
/// 1.83 M simulated level-1 instruction misses (joined 20 a document: 2.19 M to 1.56 M),
/// instructions 939 M to 929 M (with `batch::run` keeping its pool across runs).
const STAGES: [fn(&Pipeline, &mut Work<'_>); 16] = [
    Pipeline::split_text,
    Pipeline::segment_words,
    Pipeline::match_dates,
    Pipeline::find_dates,
    Pipeline::scan_amounts,
    Pipeline::read_amounts,
    Pipeline::settle_amounts,
    Pipeline::resolve_dates,
    Pipeline::tag_entities,
    Pipeline::mend_tagged_entities,
    Pipeline::find_listed_entities,
    Pipeline::find_ruled_entities,
    Pipeline::settle_entities,
    Pipeline::arbitrate_candidates,
    Pipeline::resolve_entities,
    Pipeline::extract_facts,
];

/// What the recognisers read of a normalised, segmented document.
fn context<'a>(
    norm: &'a normalize::Normalized,
    seg: &'a Segmented,
    doc_date: Option<NaiveDate>,
    numbers: bool,
) -> Context<'a> {
    Context {
        text: norm.text.as_str(),
        seg,
        doc_date,
        numbers,
    }
}

/// One document between the stages of [`Pipeline::process_timed`] and
/// [`Pipeline::process_chunk`]: its source, its record, and what the stages hand on.
struct Work<'a> {
    source: &'a Source,
    doc: &'a mut Document,
    /// The normalised text; `None` for a document finished at the start (failed).
    norm: Option<normalize::Normalized>,
    seg: Segmented,
    /// The date rules' matches, until they are read.
    date_matches: recognize::date::Matches,
    date_exprs: Vec<recognize::date::Found>,
    doc_date: Option<NaiveDate>,
    /// The entity mentions found so far, until they are settled.
    entity_draft: recognize::entity::Draft,
    /// The amounts found so far, until they are settled.
    amount_draft: recognize::amount::Draft,
    cands: Candidates,
}

/// Finishes the record: its offsets moved back to the original text.
fn finish(work: Work<'_>) {
    if let Some(norm) = &work.norm {
        locate(work.doc, &work.source.text, &norm.text, &norm.map);
    }
}

/// A [`Pipeline`] being loaded by [`Pipeline::load_in_background`].
pub struct PipelineLoading(std::sync::mpsc::Receiver<Result<Pipeline, Error>>);

impl PipelineLoading {
    /// Waits for the pipeline (or the first bad table).
    pub fn wait(self) -> Result<Pipeline, Error> {
        self.0.recv().unwrap_or_else(|_| {
            Err(Error::Output(
                "loading the tables and models failed unexpectedly".to_string(),
            ))
        })
    }
}

/// Seconds spent in each stage of [`Pipeline::process_timed`], summed over documents.
/// `normalize` includes the document's set-up; `entities` includes arbitration and
/// resolution; `locate` maps every item back to the original text.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub normalize: f64,
    pub segment: f64,
    pub dates: f64,
    pub amounts: f64,
    pub entities: f64,
    pub facts: f64,
    pub locate: f64,
}

/// A stopwatch that adds each lap to one field of a [`StageTimes`], or does nothing.
struct Laps<'a> {
    times: Option<&'a mut StageTimes>,
    last: Option<std::time::Instant>,
}

impl<'a> Laps<'a> {
    fn new(times: Option<&'a mut StageTimes>) -> Self {
        let last = times.as_ref().map(|_| std::time::Instant::now());
        Laps { times, last }
    }

    fn lap(&mut self, field: impl FnOnce(&mut StageTimes) -> &mut f64) {
        if let (Some(times), Some(last)) = (self.times.as_deref_mut(), self.last.as_mut()) {
            let now = std::time::Instant::now();
            *field(times) += (now - *last).as_secs_f64();
            *last = now;
        }
    }
}

/// Copies onto a record what it carries of its source as given: the names (id, path,
/// encoding) and the input fields (title, source, url and the rest under `meta`). No stage
/// reads them, so they are set after the stages: the batch runner, which drops its sources
/// once processed, moves them instead ([`describe_moving`]), saving three to seven string
/// copies a document, a large part of what a one-line document costs beyond its text.
fn describe(doc: &mut Document, source: &Source) {
    doc.id = source.id.clone();
    doc.path = source.path.clone();
    doc.encoding = source.encoding.clone();
    doc.title = source.meta.title.clone();
    doc.source = source.meta.source.clone();
    doc.url = source.meta.url.clone();
    doc.meta = input_meta(source.meta.extra.clone(), source.meta.lang.as_deref());
}

/// [`describe`], taking the fields out of a source that is no longer needed (left empty).
pub(crate) fn describe_moving(doc: &mut Document, source: &mut Source) {
    use std::mem::take;
    doc.id = take(&mut source.id);
    doc.path = take(&mut source.path);
    doc.encoding = take(&mut source.encoding);
    doc.title = source.meta.title.take();
    doc.source = source.meta.source.take();
    doc.url = source.meta.url.take();
    doc.meta = input_meta(take(&mut source.meta.extra), source.meta.lang.as_deref());
}

/// The input fields a document carries under `meta`: the unrecognised ones (`extra`), and
/// `lang` unless `extra` has one.
fn input_meta(
    mut extra: serde_json::Map<String, serde_json::Value>,
    lang: Option<&str>,
) -> serde_json::Map<String, serde_json::Value> {
    if let Some(lang) = lang {
        extra
            .entry("lang")
            .or_insert_with(|| serde_json::Value::String(lang.to_string()));
    }
    extra
}

/// Maps every normalised span back to the original: fills `text`, `start`, `end`.
fn locate(doc: &mut Document, original: &str, normalized: &str, map: &normalize::OffsetMap) {
    // A document with nothing found (many one-line items) needs no table.
    if doc.entities.is_empty()
        && doc.amounts.is_empty()
        && doc.dates.is_empty()
        && doc.facts.is_empty()
    {
        return;
    }
    // Byte offset of every original code point (plus the end), for slicing `text`; sized
    // by the code points `start` counted, so it is filled without growing.
    let mut byte_at: Vec<usize> = Vec::with_capacity(doc.chars + 1);
    byte_at.extend(original.char_indices().map(|(b, _)| b));
    byte_at.push(original.len());
    let n = byte_at.len() - 1;
    let place = |nspan: document::NSpan| -> (usize, usize, String) {
        let (bs, be) = (nspan.0.min(normalized.len()), nspan.1.min(normalized.len()));
        let (s, e) = map.to_original(bs, be);
        let (s, e) = (s.min(n), e.min(n));
        (s, e, original[byte_at[s]..byte_at[e]].to_string())
    };
    for ent in &mut doc.entities {
        for m in &mut ent.mentions {
            (m.start, m.end, m.text) = place(m.nspan);
        }
        ent.mentions.sort_by_key(|m| (m.start, m.end));
    }
    for a in &mut doc.amounts {
        (a.start, a.end, a.text) = place(a.nspan);
    }
    for d in &mut doc.dates {
        (d.start, d.end, d.text) = place(d.nspan);
    }
    for f in &mut doc.facts {
        (f.start, f.end, f.evidence) = place(f.nspan);
    }
    doc.amounts.sort_by_key(|a| (a.start, a.end));
    doc.dates.sort_by_key(|d| (d.start, d.end));
    doc.facts.sort_by_key(|f| (f.start, f.end));
}
