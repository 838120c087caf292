//! `bench`: where the pipeline's time goes, against bare jieba-rs `cut` on the same text
//! in the same run; 1 and N threads; one-line against article-length documents; start-up
//! to the first record; and peak memory on a small and a large input.
//!
//! Speed is measured here, never asserted in tests. Documents are made from the lines of a
//! text file (`zh_news.txt` is one paragraph a line): `lines_per_doc` lines a document for
//! the article-length runs, one short line a document for the one-line run. Figures are MB
//! (10^6 bytes) of UTF-8 text per second.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;

use newsfacts::batch::{self, RunOptions};
use newsfacts::output::JsonlSink;
use newsfacts::{Config, Pipeline, Source, StageTimes};

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// A text file, one paragraph a line.
    pub input: PathBuf,
    /// Megabytes of it for the article-length runs.
    pub mb: f64,
    /// Lines joined into one article-length document.
    pub lines_per_doc: usize,
    /// Threads of the parallel run.
    pub threads: usize,
    /// Megabytes of one-line documents (lines of at most [`ONE_LINE_BYTES`]).
    pub one_line_mb: f64,
    /// The `newsfacts` binary for the start-up and memory runs; none skips them.
    pub newsfacts: Option<PathBuf>,
    /// Sizes in MB of the inputs streamed through `newsfacts` for peak memory (the
    /// input's documents repeated, made while it runs); empty skips the memory runs.
    pub rss_mb: Vec<f64>,
    pub config: Config,
}

/// The longest line taken as a one-line document, in bytes (a headline or a one-sentence
/// news item; the chinanews lines of `zh_news.txt` are about 65 bytes).
pub const ONE_LINE_BYTES: usize = 120;

/// Results of one benchmark run.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub input: String,
    pub documents: usize,
    pub lines_per_doc: usize,
    pub megabytes: f64,
    /// Bare `Jieba::cut` (HMM on) over the same documents, one thread (best of
    /// [`RATIO_ROUNDS`], alternated with the one-thread batch).
    pub jieba_cut_mb_s: f64,
    /// Each stage of `Pipeline::process`, one thread (time summed over documents).
    pub stages: Vec<StageRow>,
    /// The whole pipeline, one thread: batch runner and JSON Lines writing included (best
    /// of [`RATIO_ROUNDS`], alternated with bare `cut`).
    pub pipeline_1_thread_mb_s: f64,
    /// The whole pipeline with `threads` threads.
    pub pipeline_n_threads_mb_s: f64,
    pub threads: usize,
    /// pipeline_1_thread / jieba_cut.
    pub ratio_to_jieba: f64,
    /// pipeline_n_threads / pipeline_1_thread.
    pub parallel_speedup: f64,
    pub one_line: OneLine,
    /// The same measure on text without repeated lines (see [`Fresh`]).
    pub fresh: Fresh,
    /// Spawn of `newsfacts extract - -o -` on one document (the input's first line) to its
    /// first output line.
    pub startup: Option<Startup>,
    /// Peak resident memory of `newsfacts extract - -o -` on streamed inputs.
    pub memory: Vec<MemoryRun>,
    /// Peak resident memory of this bench process (VmHWM), MB.
    pub bench_peak_rss_mb: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageRow {
    pub stage: String,
    pub seconds: f64,
    pub mb_s: f64,
    /// Share of the time of `Pipeline::process`.
    pub share: f64,
    /// The same stage on the one-line documents.
    pub one_line_mb_s: f64,
    /// The same stage on the one-line documents' lines joined `lines_per_doc` a document.
    pub joined_mb_s: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OneLine {
    pub documents: usize,
    pub megabytes: f64,
    /// One line a document, one thread.
    pub mb_s: f64,
    /// The same lines joined `lines_per_doc` a document, one thread.
    pub joined_mb_s: f64,
    /// mb_s / joined_mb_s: what the per-document work costs.
    pub ratio_to_joined: f64,
    /// mb_s / pipeline_1_thread_mb_s (the article-length input).
    pub ratio_to_articles: f64,
}

/// The whole `--threads 1` run on the input's lines each taken only the first time it
/// appears. `zh_news.txt` repeats itself: the Sina articles at its start were scraped
/// several times (in its first 4 MB, 80 % of the bytes are lines seen before), and a larger
/// input is the file repeated. Everything that remembers answers per thread (jieba's tags
/// by word, the tagger's rows by word and character, the entity filters by surface) finds
/// more there than in news it has not seen, so this row is the rate on fresh text.
#[derive(Debug, Clone, Serialize)]
pub struct Fresh {
    /// Share of the bytes of the article-length input in lines that appeared before in it.
    pub repeated_share: f64,
    pub documents: usize,
    pub megabytes: f64,
    /// Bare `Jieba::cut` over these documents, one thread.
    pub jieba_cut_mb_s: f64,
    /// The whole pipeline, one thread, batch runner and JSON Lines writing included.
    pub pipeline_1_thread_mb_s: f64,
    /// pipeline_1_thread / jieba_cut.
    pub ratio_to_jieba: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Startup {
    /// Median of `runs`.
    pub first_record_ms: f64,
    pub min_ms: f64,
    pub runs: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemoryRun {
    pub megabytes: f64,
    pub documents: usize,
    pub seconds: f64,
    pub peak_rss_mb: f64,
}

/// Peak resident set size of this process in MB (Linux), 0 elsewhere.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Reads up to `max_bytes` of `path`, one document per non-empty line.
pub fn load_lines(path: &Path, max_bytes: usize) -> std::io::Result<Vec<String>> {
    load_lines_where(path, max_bytes, |_| true)
}

/// Reads non-empty lines of `path` that `keep` accepts, up to `max_bytes` of them.
fn load_lines_where(
    path: &Path,
    max_bytes: usize,
    keep: impl Fn(&str) -> bool,
) -> std::io::Result<Vec<String>> {
    let f = std::fs::File::open(path)?;
    let mut out = Vec::new();
    let mut total = 0;
    for line in std::io::BufReader::new(f).lines() {
        let line = line?;
        if line.trim().is_empty() || !keep(&line) {
            continue;
        }
        total += line.len();
        out.push(line);
        if total >= max_bytes {
            break;
        }
    }
    Ok(out)
}

/// Reads up to `max_bytes` of `path`'s non-empty lines, each only the first time it
/// appears (see [`Fresh`]).
pub fn load_distinct_lines(path: &Path, max_bytes: usize) -> std::io::Result<Vec<String>> {
    let seen = std::cell::RefCell::new(std::collections::HashSet::new());
    load_lines_where(path, max_bytes, |l| seen.borrow_mut().insert(l.to_string()))
}

/// Share of the bytes of `lines` in lines that appeared earlier among them.
pub fn repeated_share(lines: &[String]) -> f64 {
    let mut seen = std::collections::HashSet::new();
    let repeated: usize = lines
        .iter()
        .filter(|l| !seen.insert(l.as_str()))
        .map(|l| l.len())
        .sum();
    repeated as f64 / lines.iter().map(|l| l.len()).sum::<usize>().max(1) as f64
}

/// Seconds of bare `Jieba::cut` (HMM on) over `docs`.
fn jieba_seconds(docs: &[String]) -> f64 {
    let jieba = newsfacts::segment::jieba();
    let t = Instant::now();
    let mut words = 0usize;
    for d in docs {
        words += jieba.cut(d, true).len();
    }
    std::hint::black_box(words);
    t.elapsed().as_secs_f64()
}

/// Joins `lines` into documents of `per_doc` lines each.
pub fn join_lines(lines: &[String], per_doc: usize) -> Vec<String> {
    lines.chunks(per_doc.max(1)).map(|c| c.join("\n")).collect()
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

fn mb_s(bytes: usize, secs: f64) -> f64 {
    round(bytes as f64 / 1e6 / secs.max(1e-9), 2)
}

fn bytes_of(docs: &[String]) -> usize {
    docs.iter().map(|d| d.len()).sum()
}

/// Seconds to run `docs` through the batch runner on `threads` threads into a JSON Lines
/// writer whose bytes go nowhere (serialising is part of the work, as in `-o -`).
fn batch_seconds(pipeline: &Pipeline, docs: &[String], threads: usize) -> std::io::Result<f64> {
    let sources: Vec<Source> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| Source::from_text(format!("{i}"), d.as_str()))
        .collect();
    let mut sink = JsonlSink::new(std::io::sink());
    let t = Instant::now();
    batch::run(
        pipeline,
        sources.into_iter(),
        &mut sink,
        &RunOptions {
            threads,
            progress: false,
            status_every: batch::DEFAULT_STATUS_EVERY,
        },
        String::new(),
    )?;
    Ok(t.elapsed().as_secs_f64())
}

/// The stages of [`StageTimes`] by name, then their sum.
pub fn stage_list(t: &StageTimes) -> [(&'static str, f64); 8] {
    let total = t.normalize + t.segment + t.dates + t.amounts + t.entities + t.facts + t.locate;
    [
        ("normalize", t.normalize),
        ("segment (jieba words + POS)", t.segment),
        ("dates", t.dates),
        ("amounts", t.amounts),
        ("entities (tagger, finders, resolve)", t.entities),
        ("facts", t.facts),
        ("locate (offsets back to the original)", t.locate),
        ("Pipeline::process", total),
    ]
}

fn stage_rows(
    times: &StageTimes,
    bytes: usize,
    short: &StageTimes,
    joined: &StageTimes,
    short_bytes: usize,
) -> Vec<StageRow> {
    let named = stage_list(times);
    let total = named[named.len() - 1].1;
    let short = stage_list(short);
    let joined = stage_list(joined);
    named
        .iter()
        .zip(short.iter().zip(joined.iter()))
        .map(
            |(&(stage, secs), (&(_, short_secs), &(_, joined_secs)))| StageRow {
                stage: stage.to_string(),
                seconds: round(secs, 3),
                mb_s: mb_s(bytes, secs),
                share: round(secs / total.max(1e-9), 3),
                one_line_mb_s: mb_s(short_bytes, short_secs),
                joined_mb_s: mb_s(short_bytes, joined_secs),
            },
        )
        .collect()
}

/// Stage times of `docs` through `Pipeline::process_timed`, one thread.
fn stage_times(pipeline: &Pipeline, docs: &[String]) -> StageTimes {
    let mut times = StageTimes::default();
    for (i, d) in docs.iter().enumerate() {
        let source = Source::from_text(format!("{i}"), d.as_str());
        std::hint::black_box(pipeline.process_timed(&source, Some(&mut times)));
    }
    times
}

/// Rounds of bare `cut` and the one-thread batch on the articles, alternated; each side's
/// best is reported.
pub const RATIO_ROUNDS: usize = 3;

/// Runs every measurement.
pub fn run(opts: &BenchOptions) -> std::io::Result<BenchReport> {
    let lines = load_lines(&opts.input, (opts.mb * 1e6) as usize)?;
    let docs = join_lines(&lines, opts.lines_per_doc);
    let bytes = bytes_of(&docs);
    let pipeline = Pipeline::new(opts.config.clone()).map_err(std::io::Error::other)?;
    // Warm up: load jieba, models and tables before timing anything.
    let _ = pipeline.process(&Source::from_text(
        "warmup",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));

    // Fresh text first, before the repeated input has filled the per-thread memos: one
    // round only (a second would see the same lines again).
    let fresh_docs = join_lines(
        &load_distinct_lines(&opts.input, (opts.mb * 1e6) as usize)?,
        opts.lines_per_doc,
    );
    let fresh_bytes = bytes_of(&fresh_docs);
    let fresh_jieba = jieba_seconds(&fresh_docs);
    let fresh_one = batch_seconds(&pipeline, &fresh_docs, 1)?;

    let times = stage_times(&pipeline, &docs);
    // The ratio's two sides, alternated and each the best of its rounds: on a shared
    // machine either side alone moves by 20 % from one moment to the next.
    let (mut jieba_secs, mut one) = (f64::MAX, f64::MAX);
    for _ in 0..RATIO_ROUNDS {
        jieba_secs = jieba_secs.min(jieba_seconds(&docs));
        one = one.min(batch_seconds(&pipeline, &docs, 1)?);
    }
    let many = batch_seconds(&pipeline, &docs, opts.threads)?;

    let short = load_lines_where(&opts.input, (opts.one_line_mb * 1e6) as usize, |l| {
        l.len() <= ONE_LINE_BYTES
    })?;
    let short_bytes = bytes_of(&short);
    let joined = join_lines(&short, opts.lines_per_doc);
    let short_times = stage_times(&pipeline, &short);
    let joined_times = stage_times(&pipeline, &joined);
    let short_secs = batch_seconds(&pipeline, &short, 1)?;
    let joined_secs = batch_seconds(&pipeline, &joined, 1)?;
    let one_line_mb_s = mb_s(short_bytes, short_secs);
    let pipeline_1 = mb_s(bytes, one);

    let startup = match &opts.newsfacts {
        // One paragraph of news (the input's first line), as a single short document.
        Some(bin) => Some(startup(bin, lines.first().map_or("", |d| d.as_str()))?),
        None => None,
    };
    let mut memory = Vec::new();
    if let Some(bin) = &opts.newsfacts {
        for &mb in &opts.rss_mb {
            memory.push(memory_run(bin, &docs, mb, opts.threads)?);
        }
    }

    Ok(BenchReport {
        input: opts.input.display().to_string(),
        documents: docs.len(),
        lines_per_doc: opts.lines_per_doc,
        megabytes: round(bytes as f64 / 1e6, 2),
        jieba_cut_mb_s: mb_s(bytes, jieba_secs),
        stages: stage_rows(&times, bytes, &short_times, &joined_times, short_bytes),
        pipeline_1_thread_mb_s: pipeline_1,
        pipeline_n_threads_mb_s: mb_s(bytes, many),
        threads: opts.threads,
        ratio_to_jieba: round(jieba_secs / one, 3),
        parallel_speedup: round(one / many, 2),
        one_line: OneLine {
            documents: short.len(),
            megabytes: round(short_bytes as f64 / 1e6, 2),
            mb_s: one_line_mb_s,
            joined_mb_s: mb_s(short_bytes, joined_secs),
            ratio_to_joined: round(joined_secs / short_secs, 3),
            ratio_to_articles: round(one_line_mb_s / pipeline_1.max(1e-9), 3),
        },
        fresh: Fresh {
            repeated_share: round(repeated_share(&lines), 3),
            documents: fresh_docs.len(),
            megabytes: round(fresh_bytes as f64 / 1e6, 2),
            jieba_cut_mb_s: mb_s(fresh_bytes, fresh_jieba),
            pipeline_1_thread_mb_s: mb_s(fresh_bytes, fresh_one),
            ratio_to_jieba: round(fresh_jieba / fresh_one, 3),
        },
        startup,
        memory,
        bench_peak_rss_mb: round(peak_rss_mb(), 1),
    })
}

/// One JSON Lines record of a document with text `text`.
fn jsonl_record(id: usize, text: &str) -> String {
    let mut line = serde_json::json!({ "id": format!("d{id}"), "text": text }).to_string();
    line.push('\n');
    line
}

/// Spawns `newsfacts extract - -o - --quiet` with the arguments of a run.
fn extract_command(bin: &Path, threads: usize) -> Command {
    let mut cmd = Command::new(bin);
    cmd.args(["extract", "-", "-o", "-", "--quiet", "--threads"])
        .arg(threads.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    cmd
}

/// Time from spawning `newsfacts` on one document to reading its first output line:
/// the median of five runs.
fn startup(bin: &Path, text: &str) -> std::io::Result<Startup> {
    let record = jsonl_record(0, text);
    let mut ms = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let mut child = extract_command(bin, 1).spawn()?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(record.as_bytes())?;
        }
        let mut out = std::io::BufReader::new(
            child
                .stdout
                .take()
                .ok_or_else(|| std::io::Error::other("no standard output from newsfacts"))?,
        );
        let mut first = String::new();
        out.read_line(&mut first)?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        std::io::copy(&mut out, &mut std::io::sink())?;
        child.wait()?;
        if first.is_empty() {
            return Err(std::io::Error::other("newsfacts wrote no record"));
        }
    }
    ms.sort_by(f64::total_cmp);
    Ok(Startup {
        first_record_ms: round(ms[ms.len() / 2], 1),
        min_ms: round(ms[0], 1),
        runs: ms.len(),
    })
}

/// Streams `mb` megabytes of `docs` (repeated as often as needed, made while the child
/// reads them) through `newsfacts` and reads its peak resident memory from `wait4`.
fn memory_run(bin: &Path, docs: &[String], mb: f64, threads: usize) -> std::io::Result<MemoryRun> {
    let target = (mb * 1e6) as usize;
    let t = Instant::now();
    let mut child = extract_command(bin, threads).spawn()?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| std::io::Error::other("no standard input to newsfacts"))?;
    let mut stdout = child
        .stdout
        .take()
        .ok_or_else(|| std::io::Error::other("no standard output from newsfacts"))?;
    let docs_owned: Vec<String> = docs.to_vec();
    let writer = std::thread::spawn(move || -> std::io::Result<usize> {
        let mut written = 0;
        let mut n = 0;
        while written < target && !docs_owned.is_empty() {
            let d = &docs_owned[n % docs_owned.len()];
            stdin.write_all(jsonl_record(n, d).as_bytes())?;
            written += d.len();
            n += 1;
        }
        Ok(n)
    });
    let mut buf = vec![0u8; 1 << 16];
    while stdout.read(&mut buf)? > 0 {}
    let documents = writer
        .join()
        .map_err(|_| std::io::Error::other("the input writer panicked"))??;
    let peak = wait_peak_rss_mb(&mut child)?;
    Ok(MemoryRun {
        megabytes: round(mb, 1),
        documents,
        seconds: round(t.elapsed().as_secs_f64(), 2),
        peak_rss_mb: round(peak, 1),
    })
}

/// Waits for `child` and returns its peak resident set size in MB.
#[cfg(unix)]
fn wait_peak_rss_mb(child: &mut std::process::Child) -> std::io::Result<f64> {
    let mut status = 0;
    // SAFETY: `usage` is a plain C struct that wait4 fills in; the pid is our own child,
    // not yet waited for.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if r < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // ru_maxrss is in kilobytes on Linux.
    Ok(usage.ru_maxrss as f64 / 1024.0)
}

#[cfg(not(unix))]
fn wait_peak_rss_mb(child: &mut std::process::Child) -> std::io::Result<f64> {
    child.wait()?;
    Ok(0.0)
}

/// The report as a Markdown table, for the terminal and the README.
pub fn markdown(r: &BenchReport) -> String {
    let mut s = String::new();
    s.push_str(&format!(
        "Input: {} MB of `{}`, {} lines a document ({} documents); MB/s of UTF-8 text.\n\n",
        r.megabytes, r.input, r.lines_per_doc, r.documents
    ));
    s.push_str(&format!(
        "| stage (1 thread) | seconds | MB/s | share | MB/s, one-line documents | MB/s, the same lines {} a document |\n| --- | ---: | ---: | ---: | ---: | ---: |\n",
        r.lines_per_doc
    ));
    for row in &r.stages {
        s.push_str(&format!(
            "| {} | {:.3} | {:.2} | {:.1} % | {:.2} | {:.2} |\n",
            row.stage,
            row.seconds,
            row.mb_s,
            row.share * 100.0,
            row.one_line_mb_s,
            row.joined_mb_s
        ));
    }
    s.push_str(&format!(
        "| bare jieba-rs `cut` (same run, same text) | | {:.2} | | | |\n\n",
        r.jieba_cut_mb_s
    ));
    s.push_str("| whole run | figure |\n| --- | ---: |\n");
    s.push_str(&format!(
        "| `--threads 1` (batch runner, JSON Lines written) | {:.2} MB/s ({:.3} x bare `cut`) |\n",
        r.pipeline_1_thread_mb_s, r.ratio_to_jieba
    ));
    s.push_str(&format!(
        "| `--threads {}` | {:.2} MB/s (x {:.2}) |\n",
        r.threads, r.pipeline_n_threads_mb_s, r.parallel_speedup
    ));
    s.push_str(&format!(
        "| one-line documents ({} of at most {} bytes, {} MB), `--threads 1` | {:.2} MB/s: {:.0} % of the same lines joined {} a document ({:.2} MB/s), {:.0} % of the articles |\n",
        r.one_line.documents,
        ONE_LINE_BYTES,
        r.one_line.megabytes,
        r.one_line.mb_s,
        r.one_line.ratio_to_joined * 100.0,
        r.lines_per_doc,
        r.one_line.joined_mb_s,
        r.one_line.ratio_to_articles * 100.0
    ));
    s.push_str(&format!(
        "| `--threads 1` on text without repeated lines ({:.0} % of the input's bytes are lines seen before in it; {} MB of first occurrences, {} documents) | {:.2} MB/s ({:.3} x bare `cut`, {:.2} MB/s on this text) |\n",
        r.fresh.repeated_share * 100.0,
        r.fresh.megabytes,
        r.fresh.documents,
        r.fresh.pipeline_1_thread_mb_s,
        r.fresh.ratio_to_jieba,
        r.fresh.jieba_cut_mb_s
    ));
    if let Some(st) = &r.startup {
        s.push_str(&format!(
            "| start-up to first record, one document (median of {}) | {:.0} ms (best {:.0} ms) |\n",
            st.runs, st.first_record_ms, st.min_ms
        ));
    }
    for m in &r.memory {
        s.push_str(&format!(
            "| peak RSS, {} MB streamed through `extract - -o - --threads {}` ({} documents, {:.1} s) | {:.0} MB |\n",
            m.megabytes, r.threads, m.documents, m.seconds, m.peak_rss_mb
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn repeated_share_counts_bytes_of_lines_seen_before() {
        assert_eq!(repeated_share(&[]), 0.0);
        assert_eq!(repeated_share(&lines(&["ab", "cd"])), 0.0);
        // "ab" again (2 bytes) and "cdef" again (4) of 2 + 4 + 2 + 4 + 3 bytes.
        let share = repeated_share(&lines(&["ab", "cdef", "ab", "cdef", "xyz"]));
        assert!((share - 6.0 / 15.0).abs() < 1e-12, "{share}");
    }

    #[test]
    fn distinct_lines_keep_first_occurrences_in_order_up_to_the_size() {
        let dir = std::env::temp_dir().join(format!("nf-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("lines.txt");
        std::fs::write(&path, "甲乙\nab\n甲乙\n\nab\ncd\nef\n").unwrap();
        assert_eq!(
            load_distinct_lines(&path, 1000).unwrap(),
            lines(&["甲乙", "ab", "cd", "ef"])
        );
        // Stops once the kept lines reach the size (repeats do not count).
        assert_eq!(
            load_distinct_lines(&path, 9).unwrap(),
            lines(&["甲乙", "ab", "cd"])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
