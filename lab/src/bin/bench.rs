//! Where newsfacts' time goes: the stage table (MB/s and share of time per stage) beside
//! bare jieba-rs `cut` in the same run, 1 and N threads, one-line against article-length
//! documents, start-up to the first record, and peak memory on a small and a large
//! streamed input. Prints a Markdown table (and the JSON with `--json`).
//!
//! `cargo build --release && cargo run --release -p newsfacts-lab --bin bench -- --json bench.json`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use newsfacts::Config;
use newsfacts_lab::bench::{self, BenchOptions};

#[derive(Parser)]
#[command(
    name = "bench",
    about = "Measure where newsfacts' time goes, against bare jieba cut in the same run; threads, one-line documents, start-up, peak memory"
)]
struct Args {
    /// A text file, one paragraph a line.
    #[arg(default_value = "../shared/data/corpus/zh_news.txt")]
    input: PathBuf,
    /// Megabytes of it for the article-length runs.
    #[arg(long, default_value_t = 8.0)]
    mb: f64,
    /// Lines joined into one article-length document.
    #[arg(long, default_value_t = 20)]
    lines_per_doc: usize,
    /// Megabytes of one-line documents (the input's lines of at most 120 bytes).
    #[arg(long, default_value_t = 1.0)]
    one_line_mb: f64,
    /// Write the report as JSON to this file too.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Worker threads for the N-thread run.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// The newsfacts binary for the start-up and memory runs (default: next to this one,
    /// i.e. target/release/newsfacts; build it first).
    #[arg(long)]
    newsfacts: Option<PathBuf>,
    /// Sizes in MB of the inputs streamed through newsfacts for peak memory, made while it
    /// runs from the input's documents repeated (0 for none).
    #[arg(long, value_delimiter = ',', default_values_t = [4.0, 400.0])]
    rss_mb: Vec<f64>,
    /// Skip the start-up and memory runs (no newsfacts binary needed).
    #[arg(long)]
    in_process_only: bool,
    /// Document date for every document (YYYY-MM-DD).
    #[arg(long)]
    date: Option<String>,
    /// Also report bare cardinal numbers.
    #[arg(long)]
    numbers: bool,
    /// Skip entity recognition.
    #[arg(long)]
    no_entities: bool,
}

/// The allocator of the `newsfacts` binary (see lab/Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<ExitCode> {
    let args = Args::parse();
    if args.threads == 0 {
        bail!("--threads must be at least 1");
    }
    let date = match &args.date {
        Some(d) => Some(newsfacts::parse_iso_date(d).with_context(|| {
            format!("--date {d:?}: use the form YYYY-MM-DD, e.g. --date 2025-09-05")
        })?),
        None => None,
    };
    let newsfacts = if args.in_process_only {
        None
    } else {
        let bin = match args.newsfacts {
            Some(b) => b,
            None => std::env::current_exe()?.with_file_name("newsfacts"),
        };
        if !bin.is_file() {
            bail!(
                "{} not found: build it (cargo build --release), name it with --newsfacts, or pass --in-process-only",
                bin.display()
            );
        }
        Some(bin)
    };
    let opts = BenchOptions {
        input: args.input.clone(),
        mb: args.mb,
        lines_per_doc: args.lines_per_doc.max(1),
        threads: args.threads,
        one_line_mb: args.one_line_mb,
        newsfacts,
        rss_mb: args.rss_mb.into_iter().filter(|&m| m > 0.0).collect(),
        config: Config {
            date,
            numbers: args.numbers,
            entities: !args.no_entities,
        },
    };
    let report = bench::run(&opts).with_context(|| {
        format!(
            "benchmark on {} failed (a text file with one paragraph a line is expected)",
            args.input.display()
        )
    })?;
    print!("{}", bench::markdown(&report));
    if let Some(p) = args.json {
        let text = serde_json::to_string_pretty(&report)?;
        std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
