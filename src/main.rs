//! The `newsfacts` command line: extract, normalize, check.

// No unwrap()/expect() outside tests (issue 13): input-dependent paths return errors.
// `clippy.toml` allows them in tests; CI runs clippy (`.ci/run`).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::{Args, Parser, Subcommand};

use newsfacts::batch::{self, RunOptions};
use newsfacts::input::{JsonlFields, SourceStream};
use newsfacts::output::{check, CsvOptions, FolderSink, Formats, JsonlSink};
use newsfacts::{Config, Pipeline};

/// mimalloc for the whole process: see its line in Cargo.toml for why.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLES: &str = "Examples:
  newsfacts extract                          # corpus/ -> output/
  newsfacts extract news/ -o tables/ --date 2025-09-05 --bom
  newsfacts extract corpus -o out --format csv,jsonl,xlsx,parquet
  newsfacts extract scraped.jsonl --text-field content --id-field uid --date-field published
  cat docs.jsonl | newsfacts extract - -o - | jq .amounts
  newsfacts normalize corpus/scale-ai-v-mercor.zh-Hant.txt
  newsfacts check corpus/ --expected tests/golden/";

#[derive(Parser)]
#[command(name = "newsfacts", version, about = "Chinese and English news in, structured facts out (CSV and JSON).", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct ExtractOpts {
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Document date for every document (YYYY-MM-DD); overrides front matter and inference.
    #[arg(long)]
    date: Option<String>,
    /// Also report bare cardinal numbers as amounts of kind `number`.
    #[arg(long)]
    numbers: bool,
    /// Skip entity recognition (faster; no entities, fewer facts).
    #[arg(long)]
    no_entities: bool,
    /// No progress bar and no summary line (errors and failed documents are still reported
    /// on stderr).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Largest document in megabytes (a file, piped document or JSON line); a larger one
    /// becomes a failed row saying so, and is never read whole.
    #[arg(long, default_value_t = 64, value_name = "MB")]
    max_doc_mb: u64,
    /// Seconds between plain progress lines when stderr is not a terminal (a log file).
    #[arg(long, value_name = "SECS", default_value_t = 10.0)]
    progress_every: f64,
    /// JSONL field holding the text (default: the first of text, content, body, article).
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,
    /// JSONL field holding the document id (default: the first of id, uid, doc_id, docid, guid).
    #[arg(long, value_name = "NAME")]
    id_field: Option<String>,
    /// JSONL field holding the document date (default: the first of date, published,
    /// published_at, publish_date, pub_date).
    #[arg(long, value_name = "NAME")]
    date_field: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Extract entities, amounts, dates and facts into CSV and JSON tables.
    #[command(after_help = EXAMPLES)]
    Extract {
        /// Files or folders to read (txt, md, html, jsonl); `-` reads stdin (JSON Lines, or one text/HTML document). Default: ./corpus, when it exists.
        paths: Vec<String>,
        /// Output folder, or `-` for JSON Lines on stdout.
        #[arg(long, short = 'o', default_value = "output")]
        output: String,
        /// Start CSV files with a byte-order mark (for Excel).
        #[arg(long)]
        bom: bool,
        /// Write CSV text cells exactly as they are: no leading `'` on a cell that starts
        /// with = + - @ tab or CR (which a spreadsheet would run as a formula).
        #[arg(long)]
        raw_csv: bool,
        /// Output formats, comma-separated: csv, jsonl, xlsx (newsfacts.xlsx), parquet (one file per table).
        #[arg(long, value_name = "LIST", default_value = "csv,jsonl")]
        format: String,
        #[command(flatten)]
        opts: ExtractOpts,
    },
    /// Print the normalised text the recognisers see.
    Normalize {
        /// A text, Markdown, HTML or JSONL file (`-` for stdin).
        file: String,
    },
    /// Re-run the extraction and compare with stored golden tables; exit 1 on differences.
    Check {
        /// Files or folders to read. Default: ./corpus, when it exists.
        paths: Vec<String>,
        /// Folder holding the golden tables.
        #[arg(long, default_value = "tests/golden")]
        expected: PathBuf,
        /// Rewrite the golden tables with the current output.
        #[arg(long)]
        update: bool,
        #[command(flatten)]
        opts: ExtractOpts,
    },
}

fn config_of(opts: &ExtractOpts) -> Result<Config> {
    let date = match &opts.date {
        Some(d) => Some(newsfacts::parse_iso_date(d).with_context(|| {
            format!("--date {d:?}: use the form YYYY-MM-DD, e.g. --date 2025-09-05")
        })?),
        None => None,
    };
    Ok(Config {
        date,
        numbers: opts.numbers,
        entities: !opts.no_entities,
    })
}

/// The per-document size limit in bytes, refused when offsets could overflow.
fn max_doc_bytes(opts: &ExtractOpts) -> Result<u64> {
    use newsfacts::input::MAX_DOC_MB_LIMIT;
    if opts.max_doc_mb == 0 || opts.max_doc_mb > MAX_DOC_MB_LIMIT {
        bail!(
            "--max-doc-mb {} is out of range: give 1 to {MAX_DOC_MB_LIMIT} (offsets are 32-bit)",
            opts.max_doc_mb
        );
    }
    Ok(opts.max_doc_mb * 1024 * 1024)
}

/// The input paths, or `corpus` when none is given and that folder exists here; with
/// neither, a usage error (exit 2) before anything is created.
fn inputs_or_corpus(paths: Vec<String>) -> std::result::Result<Vec<String>, Usage> {
    if !paths.is_empty() {
        return Ok(paths);
    }
    if Path::new("corpus").is_dir() {
        return Ok(vec!["corpus".to_string()]);
    }
    Err(Usage(
        "no input given and no corpus/ folder here: name the files or folders to read, \
         e.g. `newsfacts extract news/ -o tables/`, or `-` for standard input"
            .to_string(),
    ))
}

/// A wrong command line: reported like clap's own usage errors (exit 2).
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// Failed documents always reach stderr, `--quiet` or not: the first 20, then a count.
fn print_failures(report: &newsfacts::output::Report) {
    for f in report.failures.iter().take(20) {
        eprintln!("newsfacts: failed: {} ({})", f.doc_id, f.error);
    }
    let more = report.failures.len().saturating_sub(20);
    if more > 0 {
        eprintln!("newsfacts: ... and {more} more failed documents (see documents.csv)");
    }
}

fn run_options(opts: &ExtractOpts) -> Result<RunOptions> {
    if !(opts.progress_every.is_finite() && opts.progress_every >= 0.0) {
        bail!("--progress-every must be a number of seconds, 0 or more");
    }
    Ok(RunOptions {
        threads: threads_of(opts)?,
        progress: !opts.quiet,
        status_every: std::time::Duration::from_secs_f64(opts.progress_every),
    })
}

/// The documents named on the command line: JSONL fields as chosen, the size limit set.
fn sources(paths: &[String], opts: &ExtractOpts) -> Result<SourceStream> {
    let mut fields = JsonlFields::default();
    if let Some(f) = &opts.text_field {
        fields = fields.text_field(f);
    }
    if let Some(f) = &opts.id_field {
        fields = fields.id_field(f);
    }
    if let Some(f) = &opts.date_field {
        fields = fields.date_field(f);
    }
    Ok(SourceStream::new(paths)
        .with_fields(fields)
        .with_max_doc_bytes(max_doc_bytes(opts)?))
}

/// The pipeline, and the documents named on the command line with the first one read, at
/// the same time: the tables load while the first document is awaited (a slow stream), and
/// when that document holds Chinese, jieba's dictionary starts building at once instead of
/// after the tables (start-up to the first record).
fn start(paths: &[String], opts: &ExtractOpts) -> Result<(Pipeline, FirstRead)> {
    let config = config_of(opts)?;
    let pipeline = Pipeline::load_in_background(config);
    let stream = first_read(paths, opts);
    let pipeline = pipeline.wait()?;
    Ok((pipeline, stream?))
}

/// The documents named on the command line, the first one already read; when it holds
/// Chinese, jieba's dictionary starts building on a thread of its own.
fn first_read(paths: &[String], opts: &ExtractOpts) -> Result<FirstRead> {
    let mut rest = sources(paths, opts)?;
    let first = rest.next();
    if let Some(src) = &first {
        if !opts.no_entities {
            newsfacts::prepare_for(&src.text);
        }
    }
    Ok(FirstRead { first, rest })
}

/// A source stream whose first document was read ahead.
struct FirstRead {
    first: Option<newsfacts::Source>,
    rest: SourceStream,
}

impl Iterator for FirstRead {
    type Item = newsfacts::Source;

    fn next(&mut self) -> Option<newsfacts::Source> {
        self.first.take().or_else(|| self.rest.next())
    }
}

impl batch::Sources for FirstRead {
    fn skipped(&self) -> usize {
        batch::Sources::skipped(&self.rest)
    }

    fn total_bytes(&self) -> Option<u64> {
        batch::Sources::total_bytes(&self.rest)
    }
}

fn threads_of(opts: &ExtractOpts) -> Result<usize> {
    match opts.threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)),
    }
}

fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs as i64, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Runs an extraction into `out` (a folder) and returns whether any document failed.
fn extract_to_folder(
    paths: &[String],
    out: &Path,
    csv: CsvOptions,
    formats: Formats,
    opts: &ExtractOpts,
) -> Result<bool> {
    let (pipeline, stream) = start(paths, opts)?;
    let run_opts = run_options(opts)?;
    let mut sink = FolderSink::create_with(out, csv, formats).with_context(|| {
        format!(
            "cannot write to the output folder {}: choose another with -o, or fix its permissions",
            out.display()
        )
    })?;
    let report = batch::run(&pipeline, stream, &mut sink, &run_opts, now_rfc3339())
        .with_context(|| format!("writing to {} failed", out.display()))?;
    sink.finish(&report)
        .with_context(|| format!("cannot write the tables into {}", out.display()))?;
    if !opts.quiet {
        eprintln!("{} -> {}", report.summary(), out.display());
    }
    print_failures(&report);
    Ok(report.documents.failed > 0)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract {
            paths,
            output,
            bom,
            raw_csv,
            format,
            opts,
        } => {
            let paths = inputs_or_corpus(paths)?;
            let formats: Formats = format
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--format {format:?}: {e}"))?;
            if output == "-" {
                if formats != Formats::default() {
                    bail!("--format: standard output (-o -) gets JSON Lines only; give an output folder for csv, xlsx or parquet");
                }
                let (pipeline, stream) = start(&paths, &opts)?;
                let run_opts = run_options(&opts)?;
                let stdout = std::io::stdout().lock();
                let mut sink = JsonlSink::new(std::io::BufWriter::new(stdout));
                let report = batch::run(&pipeline, stream, &mut sink, &run_opts, now_rfc3339());
                let report = match report {
                    Ok(r) => r,
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        return Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => {
                        return Err(e).context("writing JSON Lines to standard output failed")
                    }
                };
                if !opts.quiet {
                    eprintln!("{}", report.summary());
                }
                print_failures(&report);
                return Ok(if report.documents.failed > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                });
            }
            let csv = CsvOptions {
                bom,
                formula_guard: !raw_csv,
            };
            let failed = extract_to_folder(&paths, Path::new(&output), csv, formats, &opts)?;
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Normalize { file } => {
            let mut stream = SourceStream::new(std::slice::from_ref(&file));
            let mut out = std::io::stdout().lock();
            let mut any = false;
            for src in stream.by_ref() {
                any = true;
                if let Some(e) = &src.error {
                    bail!("{}: {e}", src.path);
                }
                let body = src.text.get(src.body_start..).unwrap_or("");
                let n = newsfacts::normalize_text(body);
                match writeln!(out, "{}", n).and_then(|_| out.flush()) {
                    // The reader went away (`| head`): not an error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                        return Ok(ExitCode::SUCCESS)
                    }
                    r => r?,
                }
            }
            if !any {
                bail!("{file}: nothing to normalise (not a txt, md, html or jsonl file?)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            paths,
            expected,
            update,
            opts,
        } => {
            let paths = inputs_or_corpus(paths)?;
            let tmp = TempFolder(
                std::env::temp_dir().join(format!("newsfacts-check-{}", std::process::id())),
            );
            let tmp = &tmp.0;
            let quiet = ExtractOpts {
                quiet: true,
                ..opts.clone()
            };
            // The goldens hold the tables as written by default (formula guard on).
            extract_to_folder(
                &paths,
                tmp,
                CsvOptions::default(),
                Formats::default(),
                &quiet,
            )?;
            let result = if update {
                check::update(&expected, tmp).with_context(|| {
                    format!("cannot write golden files into {}", expected.display())
                })?;
                eprintln!("golden files updated in {}", expected.display());
                ExitCode::SUCCESS
            } else {
                let diff = check::compare(&expected, tmp).map_err(anyhow::Error::msg)?;
                if diff.is_empty() {
                    eprintln!("check: output matches {}", expected.display());
                    ExitCode::SUCCESS
                } else {
                    print!("{}", diff.text);
                    eprintln!("check: {} added, {} removed, {} changed rows, offsets moved in {} documents (run with --update to accept)", diff.added, diff.removed, diff.changed, diff.moved);
                    ExitCode::from(1)
                }
            };
            Ok(result)
        }
    }
}

/// A temporary folder removed when dropped, on every way out (success, error, early
/// return), so `check` never leaves one behind.
struct TempFolder(PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if e.is::<Usage>() => {
            eprintln!("newsfacts: usage error: {e}");
            eprintln!("Run `newsfacts --help` for the commands and examples.");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("newsfacts: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
