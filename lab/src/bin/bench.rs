//! Measures the pipeline's throughput (MB/s) against bare jieba `cut`, with 1 and N
//! threads, and the peak memory, on a text file with one document per line.
//!
//! `cargo run --release -p newsfacts-lab --bin bench -- ../shared/data/corpus/zh_news.txt`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::Parser;
use newsfacts::Config;

#[derive(Parser)]
#[command(
    name = "bench",
    about = "Measure newsfacts throughput (MB/s) against bare jieba cut, with 1 and N threads, and peak memory"
)]
struct Args {
    /// A text file with one document per line.
    #[arg(default_value = "../shared/data/corpus/zh_news.txt")]
    input: PathBuf,
    /// Read at most this many megabytes of it.
    #[arg(long, default_value_t = 8.0)]
    mb: f64,
    /// Write the report as JSON to this file too.
    #[arg(long)]
    json: Option<PathBuf>,
    /// Worker threads for the N-thread run (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
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

fn main() -> Result<ExitCode> {
    let args = Args::parse();
    let threads = match args.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => n,
        None => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    };
    let date = match &args.date {
        Some(d) => Some(newsfacts::parse_iso_date(d).with_context(|| {
            format!("--date {d:?}: use the form YYYY-MM-DD, e.g. --date 2025-09-05")
        })?),
        None => None,
    };
    let config = Config {
        date,
        numbers: args.numbers,
        entities: !args.no_entities,
    };
    let report = newsfacts_lab::bench::run(&args.input, (args.mb * 1e6) as usize, threads, config)
        .with_context(|| {
            format!(
                "cannot read {}: pass a text file with one document per line",
                args.input.display()
            )
        })?;
    let text = serde_json::to_string_pretty(&report)?;
    println!("{text}");
    if let Some(p) = args.json {
        std::fs::write(&p, text).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
