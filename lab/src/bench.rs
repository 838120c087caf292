//! `newsfacts bench`: throughput of the whole pipeline against bare jieba-rs `cut` on the
//! same text, with 1 and N threads, and the process's peak memory.
//!
//! Speed is measured here, never asserted in tests. Each line of the input file is one
//! document (as `zh_news.txt` is laid out); figures are MB of UTF-8 input per second.

use std::io::BufRead;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use newsfacts::batch::{self, RunOptions};
use newsfacts::output::Sink;
use newsfacts::Source;
use newsfacts::{Config, Document, Pipeline};

/// Results of one benchmark run.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    pub input: String,
    pub documents: usize,
    pub megabytes: f64,
    /// Bare `Jieba::cut` (HMM on), one thread.
    pub jieba_cut_mb_s: f64,
    /// The whole pipeline, one thread.
    pub pipeline_1_thread_mb_s: f64,
    /// The whole pipeline with `threads` threads.
    pub pipeline_n_threads_mb_s: f64,
    pub threads: usize,
    /// pipeline_1_thread / jieba_cut.
    pub ratio_to_jieba: f64,
    /// pipeline_n_threads / pipeline_1_thread.
    pub parallel_speedup: f64,
    /// Peak resident memory of the process (VmHWM), MB.
    pub peak_rss_mb: f64,
}

struct NullSink;

impl Sink for NullSink {
    fn add(&mut self, _doc: &Document) -> std::io::Result<()> {
        Ok(())
    }
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
    let f = std::fs::File::open(path)?;
    let mut out = Vec::new();
    let mut total = 0;
    for line in std::io::BufReader::new(f).lines() {
        let line = line?;
        if line.trim().is_empty() {
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

fn mb_s(bytes: usize, secs: f64) -> f64 {
    (bytes as f64 / 1e6 / secs.max(1e-9) * 100.0).round() / 100.0
}

/// Runs the benchmark on the lines of `path` (at most `max_bytes`).
pub fn run(
    path: &Path,
    max_bytes: usize,
    threads: usize,
    config: Config,
) -> std::io::Result<BenchReport> {
    let lines = load_lines(path, max_bytes)?;
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let pipeline = Pipeline::new(config).map_err(std::io::Error::other)?;
    // Warm up: load jieba, models and tables before timing anything.
    let _ = pipeline.process(&Source::from_text(
        "warmup",
        "谷歌于2025年6月投资20亿美元。Google invested $2 billion.",
    ));

    let jieba = newsfacts::segment::jieba();
    let t = Instant::now();
    let mut words = 0usize;
    for l in &lines {
        words += jieba.cut(l, true).len();
    }
    let jieba_secs = t.elapsed().as_secs_f64();
    std::hint::black_box(words);

    let sources = |lines: &[String]| -> Vec<Source> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| Source::from_text(format!("{i}"), l.as_str()))
            .collect()
    };
    let timed = |n: usize| -> std::io::Result<f64> {
        let srcs = sources(&lines);
        let t = Instant::now();
        batch::run(
            &pipeline,
            srcs.into_iter(),
            &mut NullSink,
            &RunOptions {
                threads: n,
                progress: false,
                status_every: batch::DEFAULT_STATUS_EVERY,
            },
            String::new(),
        )?;
        Ok(t.elapsed().as_secs_f64())
    };
    let one = timed(1)?;
    let many = timed(threads)?;
    let r = BenchReport {
        input: path.display().to_string(),
        documents: lines.len(),
        megabytes: (bytes as f64 / 1e6 * 100.0).round() / 100.0,
        jieba_cut_mb_s: mb_s(bytes, jieba_secs),
        pipeline_1_thread_mb_s: mb_s(bytes, one),
        pipeline_n_threads_mb_s: mb_s(bytes, many),
        threads,
        ratio_to_jieba: ((jieba_secs / one) * 1000.0).round() / 1000.0,
        parallel_speedup: ((one / many) * 100.0).round() / 100.0,
        peak_rss_mb: (peak_rss_mb() * 10.0).round() / 10.0,
    };
    Ok(r)
}
