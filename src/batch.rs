//! The batch runner: documents from a [`SourceStream`] processed in parallel on a rayon
//! pool and handed to a [`Sink`] strictly in input order.
//!
//! A reader gathers sources into chunks and feeds them to a bounded channel; workers
//! process a chunk at a time; the caller's thread puts the chunks back in order and writes
//! them. At most `in_flight` chunks exist at once, so memory stays flat however long the
//! input, and output order (hence bytes) does not depend on the number of threads.
//!
//! Chunks are what keeps short documents cheap: a one-line news item costs about as much
//! to hand between threads (a channel send and a wake-up on each side) as to process, so
//! documents travel, and the sink is flushed, a chunk at a time. The first chunk holds one
//! document and each next one twice as many, up to [`CHUNK_DOCS`] or [`CHUNK_BYTES`], so
//! the first record still comes out as soon as the first document is done.

use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::document::{Document, Status};
use crate::input::{Source, SourceStream};
use crate::output::{Report, Sink};
use crate::Pipeline;

/// Most documents in one chunk, and the size at which a chunk is sent however few it
/// holds: small enough that every worker finds work and memory stays flat (a large
/// document goes alone), large enough that a chunk of one-line items costs one hand-over.
/// A one-line news item is about 65 bytes, so 512 of them (33 KB) fill about as much of
/// [`CHUNK_BYTES`] as ten articles do: each hand-over wakes the writer and the reader,
/// and at 64 a chunk one-line documents paid about eight times as many of them a MB as
/// articles (context switches were a tenth of their extra time).
const CHUNK_DOCS: usize = 512;
const CHUNK_BYTES: usize = 64 * 1024;

/// Chunks in flight (read, being processed or waiting to be written) per worker thread.
const CHUNKS_PER_THREAD: usize = 4;

/// Time between plain progress lines by default (the CLI's `--progress-every`).
pub use crate::progress::DEFAULT_EVERY as DEFAULT_STATUS_EVERY;

/// How to run a batch.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub threads: usize,
    /// Show progress: a bar when stderr is a terminal, else a plain line every `status_every`.
    pub progress: bool,
    /// Time between plain progress lines when stderr is not a terminal.
    pub status_every: std::time::Duration,
}

/// The id of a document that panics inside `Pipeline::process` (test builds only).
#[cfg(test)]
pub(crate) const TEST_PANIC_ID: &str = "\u{0}test-panic";

/// Processes one source, turning a panic anywhere inside into a failed document.
pub fn process_guarded(pipeline: &Pipeline, source: &Source) -> Document {
    match catch_unwind(AssertUnwindSafe(|| pipeline.process(source))) {
        Ok(doc) => doc,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Document {
                id: source.id.clone(),
                path: source.path.clone(),
                encoding: source.encoding.clone(),
                status: Status::Failed,
                error: Some(format!(
                    "internal error while processing this document ({msg}); please report it"
                )),
                ..Default::default()
            }
        }
    }
}

/// Processes a chunk stage by stage ([`Pipeline::process_chunk`]), moving each source's
/// names and fields into its record (the chunk is dropped here, so nothing is copied); if
/// anything inside panics, the chunk is processed again document by document, so that
/// only the document that panics becomes a failed one (its panic is then reported twice
/// on stderr).
fn process_chunk_guarded(pipeline: &Pipeline, mut chunk: Vec<Source>) -> Vec<Document> {
    match catch_unwind(AssertUnwindSafe(|| {
        pipeline.process_chunk_undescribed(&chunk)
    })) {
        Ok(mut docs) => {
            for (doc, source) in docs.iter_mut().zip(&mut chunk) {
                crate::describe_moving(doc, source);
            }
            docs
        }
        Err(_) => chunk
            .iter()
            .map(|src| process_guarded(pipeline, src))
            .collect(),
    }
}

/// A processed chunk on its way to the writer: the documents and the input size of each.
/// Two vectors rather than one of pairs: the documents are written from where the chunk
/// left them, not moved into a second chunk-sized vector (a 400-byte copy a document, and
/// for 512 one-line documents a 200 KB block whose free made malloc consolidate its bins).
struct Done {
    docs: Vec<Document>,
    bytes: Vec<usize>,
}

/// The worker pools of this process, one a thread count, with the id of the process that
/// built them.
struct Pools {
    pid: u32,
    by_threads: HashMap<usize, Arc<rayon::ThreadPool>>,
}

/// The process's pool of `threads` workers, built on first use and kept: a library user
/// (the bench, a Spark executor, a server) calls [`run`] many times, and a pool built a run
/// started each run's workers with cold per-thread state (the tagger's word cache and
/// scratch tables, the regex engines' thread-owned caches). A forked child (Python's
/// multiprocessing) has none of its parent's pool threads: its pools are built anew, the
/// parent's forgotten, never dropped (dropping would wait for threads that do not exist).
fn pool_of(threads: usize) -> std::io::Result<Arc<rayon::ThreadPool>> {
    static POOLS: Mutex<Option<Pools>> = Mutex::new(None);
    // A panic while the lock was held cannot leave the map half-changed (one insert).
    let mut guard = POOLS.lock().unwrap_or_else(|p| p.into_inner());
    let pid = std::process::id();
    if guard.as_ref().map(|p| p.pid) != Some(pid) {
        if let Some(parents) = guard.take() {
            std::mem::forget(parents);
        }
    }
    let pools = guard.get_or_insert_with(|| Pools {
        pid,
        by_threads: HashMap::new(),
    });
    match pools.by_threads.get(&threads) {
        // Only the map holds it: no run is using it. (Clones are made only under this lock
        // and drops only lower the count, so a count above 1 at worst builds one pool too
        // many, never shares a busy one.)
        Some(pool) if Arc::strong_count(pool) == 1 => return Ok(Arc::clone(pool)),
        // Another run holds its workers until its input ends: this run gets a pool of its
        // own, dropped with it, so that no run waits on another (a sink that fed a second
        // run on the same count would otherwise wait forever).
        Some(_) => return build_pool(threads),
        None => {}
    }
    let pool = build_pool(threads)?;
    pools.by_threads.insert(threads, Arc::clone(&pool));
    Ok(pool)
}

fn build_pool(threads: usize) -> std::io::Result<Arc<rayon::ThreadPool>> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("newsfacts-batch-{i}"))
        .build()
        .map(Arc::new)
        .map_err(std::io::Error::other)
}

/// Runs the whole stream through the pipeline into `sink`; returns the run report.
///
/// A run uses the process's pool of its thread count (see [`pool_of`]); a run started while
/// another holds that pool gets a pool of its own, so runs at the same time never wait on
/// each other.
pub fn run<I: Sources>(
    pipeline: &Pipeline,
    stream: I,
    sink: &mut dyn Sink,
    opts: &RunOptions,
    started: String,
) -> std::io::Result<Report> {
    let threads = opts.threads.max(1);
    let mut report = Report::new(started, threads);
    let clock = Instant::now();
    let mut progress =
        crate::progress::Progress::new(opts.progress, stream.total_bytes(), opts.status_every);
    let pool = pool_of(threads)?;
    let in_flight = threads * CHUNKS_PER_THREAD;
    let (src_tx, src_rx) = sync_channel::<(u64, Vec<Source>)>(in_flight);
    let (doc_tx, doc_rx) = sync_channel::<(u64, Done)>(in_flight);
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight);
    let src_rx = Mutex::new(src_rx);
    let skipped = std::sync::atomic::AtomicUsize::new(0);
    let mut sink_error: Option<std::io::Error> = None;

    std::thread::scope(|scope| {
        // Reader: pulls sources lazily into chunks; blocks when `in_flight` are pending.
        let skipped_ref = &skipped;
        scope.spawn(move || {
            let mut stream = stream;
            let mut seq = 0u64;
            let mut send = |chunk: Vec<Source>| -> bool {
                let sent = permit_tx.send(()).is_ok() && src_tx.send((seq, chunk)).is_ok();
                seq += 1;
                sent
            };
            let mut limit = 1;
            let mut chunk = Vec::with_capacity(limit);
            let mut bytes = 0;
            // Only the entity stage uses jieba's words: their dictionary starts building
            // as soon as Chinese text is read, ahead of the worker that will need it.
            let mut jieba_loading = !pipeline.config().entities;
            for src in stream.by_ref() {
                if !jieba_loading {
                    jieba_loading = crate::segment::load_in_background_for(&src.text);
                }
                bytes += src.bytes;
                chunk.push(src);
                if chunk.len() >= limit || bytes >= CHUNK_BYTES {
                    if !send(std::mem::take(&mut chunk)) {
                        break;
                    }
                    limit = (limit * 2).min(CHUNK_DOCS);
                    chunk.reserve(limit);
                    bytes = 0;
                }
            }
            if !chunk.is_empty() {
                send(chunk);
            }
            skipped_ref.store(stream.skipped(), std::sync::atomic::Ordering::Relaxed);
        });
        // Workers on the rayon pool; this thread writes, restoring input order.
        let src_rx = &src_rx;
        let report = &mut report;
        let sink_error = &mut sink_error;
        pool.in_place_scope(|s| {
            for _ in 0..threads {
                let doc_tx = doc_tx.clone();
                s.spawn(move |_| loop {
                    // The lock is held only while waiting for the next chunk.
                    let next = match src_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, chunk)) = next else { return };
                    let bytes = chunk.iter().map(|src| src.bytes).collect();
                    let done = Done {
                        docs: process_chunk_guarded(pipeline, chunk),
                        bytes,
                    };
                    if doc_tx.send((seq, done)).is_err() {
                        return;
                    }
                });
            }
            drop(doc_tx);
            let mut waiting: BTreeMap<u64, Done> = BTreeMap::new();
            let mut next = 0u64;
            for (seq, done) in doc_rx.iter() {
                waiting.insert(seq, done);
                let written_before = next;
                while let Some(done) = waiting.remove(&next) {
                    next += 1;
                    for (doc, &bytes) in done.docs.iter().zip(&done.bytes) {
                        report.add(doc, bytes);
                        if sink_error.is_none() {
                            if let Err(e) = sink.add(doc) {
                                *sink_error = Some(e);
                            }
                        }
                        progress.update(
                            report.documents.ok as u64 + report.documents.failed as u64,
                            report.bytes,
                        );
                    }
                    let _ = permit_rx.recv();
                }
                // Whatever is written goes out now: a reader of a stream sees each
                // chunk's records as soon as they are done.
                if next > written_before && sink_error.is_none() {
                    if let Err(e) = sink.flush() {
                        *sink_error = Some(e);
                    }
                }
            }
        });
    });
    drop(src_rx);
    progress.finish();
    if let Some(e) = sink_error {
        return Err(e);
    }
    report.finish(
        clock.elapsed().as_secs_f64(),
        skipped.load(std::sync::atomic::Ordering::Relaxed),
    );
    Ok(report)
}

/// A stream of sources for [`run`]: any iterator, plus the count of inputs it skipped.
pub trait Sources: Iterator<Item = Source> + Send {
    fn skipped(&self) -> usize {
        0
    }

    /// Bytes of the whole input, when known before the run (for percentage and ETA).
    fn total_bytes(&self) -> Option<u64> {
        None
    }
}

impl Sources for SourceStream {
    fn skipped(&self) -> usize {
        self.skipped
    }

    fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }
}

impl Sources for std::vec::IntoIter<Source> {}

/// Processes a whole stream on the calling thread, for library users and tests.
pub fn process_all(pipeline: &Pipeline, stream: SourceStream) -> Vec<Document> {
    stream
        .map(|s| process_guarded(pipeline, &s))
        .collect::<Vec<_>>()
}

#[cfg(test)]
mod panic_tests {
    use super::*;

    /// Run options without progress output, on `threads` workers.
    fn quiet(threads: usize) -> RunOptions {
        RunOptions {
            threads,
            progress: false,
            status_every: std::time::Duration::from_secs(60),
        }
    }

    struct Collect(Vec<Document>);
    impl Sink for Collect {
        fn add(&mut self, doc: &Document) -> std::io::Result<()> {
            self.0.push(doc.clone());
            Ok(())
        }
    }

    /// The records of a quiet run of `sources` on `threads` workers, and its report.
    fn run_collected(
        pipeline: &Pipeline,
        sources: Vec<Source>,
        threads: usize,
    ) -> (Vec<Document>, Report) {
        let mut sink = Collect(Vec::new());
        let report = run(
            pipeline,
            sources.into_iter(),
            &mut sink,
            &quiet(threads),
            String::new(),
        )
        .expect("run");
        (sink.0, report)
    }

    /// A sink that records the ids it is given and the places where it is flushed.
    struct Flushes {
        ids: Vec<String>,
        flushed_after: Vec<usize>,
    }
    impl Sink for Flushes {
        fn add(&mut self, doc: &Document) -> std::io::Result<()> {
            self.ids.push(doc.id.clone());
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.flushed_after.push(self.ids.len());
            Ok(())
        }
    }

    /// Many short documents travel in chunks of growing size; on every thread count they
    /// come out once each, in input order, and the sink is flushed after whole chunks
    /// (the first after the first document, the last after the last one), not after each.
    #[test]
    fn short_documents_go_in_chunks_and_keep_their_order() {
        let pipeline = Pipeline::new(crate::Config::default()).expect("pipeline");
        let n = 300;
        for threads in [1, 2] {
            let sources: Vec<Source> = (0..n)
                .map(|i| Source::from_text(format!("d{i}"), format!("Item {i} rose 5 pct.")))
                .collect();
            let mut sink = Flushes {
                ids: Vec::new(),
                flushed_after: Vec::new(),
            };
            let opts = quiet(threads);
            run(
                &pipeline,
                sources.into_iter(),
                &mut sink,
                &opts,
                String::new(),
            )
            .expect("run");
            let expected: Vec<String> = (0..n).map(|i| format!("d{i}")).collect();
            assert_eq!(sink.ids, expected);
            // Chunk ends: chunks of 1, 2, 4 ... CHUNK_DOCS documents (these are tiny, so
            // never the 64 KB bound). With one worker the first chunk is written alone; with two, a
            // later chunk may arrive first and wait, and then both go out in one flush, but
            // a flush never falls inside a chunk.
            let mut chunk_ends = Vec::new();
            let (mut end, mut size) = (0usize, 1usize);
            while end < n {
                end = (end + size).min(n);
                chunk_ends.push(end);
                size = (size * 2).min(CHUNK_DOCS);
            }
            assert!(
                sink.flushed_after.iter().all(|f| chunk_ends.contains(f)),
                "{:?} not all at chunk ends {chunk_ends:?}",
                sink.flushed_after
            );
            if threads == 1 {
                assert_eq!(sink.flushed_after.first(), Some(&1));
            }
            assert_eq!(sink.flushed_after.last(), Some(&n));
            // Chunks of 1, 2, 4 ... 128, then the last 45: nine flushes for 300.
            assert!(sink.flushed_after.len() <= 12, "{:?}", sink.flushed_after);
            assert!(sink.flushed_after.windows(2).all(|w| w[0] < w[1]));
        }
    }

    /// A chunk processed stage by stage gives the very records that processing each
    /// document alone gives: Chinese and English text, a date from the source, a bad
    /// date, an empty text and a source that failed to read.
    #[test]
    fn a_chunk_gives_the_records_of_its_documents_alone() {
        let pipeline = Pipeline::new(crate::Config::default()).expect("pipeline");
        let mut failed = Source::from_text("failed", "");
        failed.error = Some("could not read".into());
        let sources = vec![
            Source::from_text("zh", "今年6月,Meta豪擲143億美元收購Scale AI 49%的股份。"),
            Source::from_text(
                "en",
                "Apple said on Tuesday revenue rose 5 pct to $2 billion.",
            ),
            Source::from_text("dated", "谷歌昨天宣布投资20亿美元。").with_date("2025-09-05"),
            Source::from_text("bad-date", "阿里巴巴上周回购股份。").with_date("soon"),
            Source::from_text("empty", ""),
            failed,
        ];
        let json = |d: &Document| serde_json::to_string(d).expect("json");
        let alone: Vec<String> = sources.iter().map(|s| json(&pipeline.process(s))).collect();
        let chunk: Vec<String> = pipeline.process_chunk(&sources).iter().map(json).collect();
        assert_eq!(chunk, alone);
        assert!(alone[0].contains("USD 14.3B") && alone[5].contains("could not read"));
    }

    /// The batch runner moves each source's names and input fields into its record
    /// instead of copying them: its records are still those of `Pipeline::process`, for
    /// sources with and without title, source, url, extra fields and `lang` (also one
    /// whose extra fields hold a `lang` of their own), a failed source among them, and the
    /// report still counts every source's bytes.
    #[test]
    fn the_batch_gives_each_record_its_own_source_fields() {
        let pipeline = Pipeline::new(crate::Config::default()).expect("pipeline");
        let described = |id: &str, text: &str, lang: Option<&str>, extra_lang: bool| {
            let mut s = Source::from_text(id, text);
            s.path = format!("in/{id}.jsonl");
            s.encoding = "GB18030".into();
            s.meta.title = Some(format!("title of {id}"));
            s.meta.source = Some("wire".into());
            s.meta.url = Some(format!("https://example.com/{id}"));
            s.meta.lang = lang.map(str::to_string);
            s.meta.extra.insert("section".into(), serde_json::json!(id));
            if extra_lang {
                s.meta
                    .extra
                    .insert("lang".into(), serde_json::json!("given"));
            }
            s
        };
        let mut failed = described("failed", "", Some("zh"), false);
        failed.error = Some("could not read".into());
        let sources = vec![
            described("a", "谷歌于2025年6月投资20亿美元。", Some("zh"), false),
            Source::from_text("plain", "Apple said revenue rose 5 pct."),
            described("b", "阿里巴巴宣布回购股份。", Some("zh"), true),
            failed,
            described("c", "Meta bought 49% of Scale AI.", None, false),
        ];
        let json = |d: &Document| serde_json::to_string(d).expect("json");
        let alone: Vec<String> = sources.iter().map(|s| json(&pipeline.process(s))).collect();
        let bytes: usize = sources.iter().map(|s| s.bytes).sum();
        let (records, report) = run_collected(&pipeline, sources, 1);
        let batch: Vec<String> = records.iter().map(json).collect();
        assert_eq!(batch, alone);
        assert!(alone[0].contains("title of a") && alone[0].contains("GB18030"));
        assert!(alone[2].contains(r#""lang":"given""#), "{}", alone[2]);
        assert_eq!(report.bytes, bytes as u64);
    }

    /// Runs keep one pool a thread count for the process; a run started while another holds
    /// it gets a pool of its own; runs on the same count at the same time (from two threads
    /// of a library user) both finish, each with its own documents in its own order.
    #[test]
    fn runs_share_one_pool_a_thread_count() {
        // 6 workers: a count no other test of this binary runs on, so none holds it now.
        let kept = pool_of(6).expect("pool");
        assert_eq!(kept.current_num_threads(), 6);
        // While `kept` is held (a run using it), the next run of 6 gets another pool.
        let busy = pool_of(6).expect("pool");
        assert!(!Arc::ptr_eq(&kept, &busy));
        assert_eq!(busy.current_num_threads(), 6);
        assert!(!Arc::ptr_eq(&kept, &pool_of(1).expect("pool")));
        drop(busy);
        let raw = Arc::as_ptr(&kept);
        drop(kept);
        // Free again: the kept pool comes back.
        assert_eq!(Arc::as_ptr(&pool_of(6).expect("pool")), raw);
        let pipeline = Pipeline::new(crate::Config::default()).expect("pipeline");
        let run_of = |tag: &str| {
            let sources: Vec<Source> = (0..200)
                .map(|i| Source::from_text(format!("{tag}{i}"), format!("Item {i} rose 5 pct.")))
                .collect();
            let (records, _) = run_collected(&pipeline, sources, 1);
            records.iter().map(|d| d.id.clone()).collect::<Vec<_>>()
        };
        let (a, b) = std::thread::scope(|scope| {
            let a = scope.spawn(|| run_of("a"));
            let b = scope.spawn(|| run_of("b"));
            (a.join().expect("run a"), b.join().expect("run b"))
        });
        let expected = |tag: &str| (0..200).map(|i| format!("{tag}{i}")).collect::<Vec<_>>();
        assert_eq!((a, b), (expected("a"), expected("b")));
    }

    /// A document that panics becomes one failed row; the documents around it, on every
    /// thread count, are processed and written in order.
    #[test]
    fn a_panicking_document_does_not_end_the_batch() {
        let pipeline = Pipeline::new(crate::Config::default()).expect("pipeline");
        for threads in [1, 2] {
            let sources = vec![
                Source::from_text("before", "Apple said revenue rose 5 pct."),
                Source::from_text(TEST_PANIC_ID, "any text"),
                Source::from_text("after", "阿里巴巴宣布回购股份。"),
            ];
            let (records, report) = run_collected(&pipeline, sources, threads);
            let ids: Vec<&str> = records.iter().map(|d| d.id.as_str()).collect();
            assert_eq!(ids, ["before", TEST_PANIC_ID, "after"]);
            assert_eq!(records[0].status, Status::Ok);
            assert_eq!(records[1].status, Status::Failed);
            let err = records[1].error.as_deref().unwrap_or_default();
            assert!(
                err.contains("internal error") && err.contains("test hook"),
                "{err}"
            );
            assert_eq!(records[2].status, Status::Ok);
            assert_eq!(records[2].chars, "阿里巴巴宣布回购股份。".chars().count());
            assert_eq!((report.documents.ok, report.documents.failed), (2, 1));
        }
    }
}
