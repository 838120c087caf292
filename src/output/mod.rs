//! Writers: the CSV tables, `documents.jsonl` and `report.json` in an output folder, or
//! JSON Lines on standard output.
//!
//! Folder output must be sorted by doc_id whatever the order documents finish in, and
//! must not hold a whole corpus in memory. So each document's rows are appended to spill
//! files as they arrive, with a small index entry in memory (doc_id and byte ranges); at
//! the end the index is sorted and the spilled blocks are copied, in order, into
//! temporary files that are renamed into place. An interrupted run leaves the previous
//! tables untouched.

pub mod check;
pub mod json;
pub mod parquet;
pub mod report;
pub mod rows;
pub mod typed;
pub mod xlsx;

use std::fs::{self, File};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::document::Document;
pub use report::Report;
use rows::Table;
pub use typed::Formats;

/// Receives processed documents in input order.
pub trait Sink {
    fn add(&mut self, doc: &Document) -> std::io::Result<()>;

    /// Hands on what `add` has buffered. The batch runner calls it after each chunk of
    /// documents it writes (not after each document: one-line documents would each cost
    /// a system call), so a streaming sink's reader still sees records as they are done.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Writes one JSON record per document to a stream, buffered until [`Sink::flush`].
pub struct JsonlSink<W: Write> {
    out: W,
}

impl<W: Write> JsonlSink<W> {
    pub fn new(out: W) -> Self {
        JsonlSink { out }
    }
}

impl<W: Write> Sink for JsonlSink<W> {
    fn add(&mut self, doc: &Document) -> std::io::Result<()> {
        json::write_document(&mut self.out, doc)?;
        self.out.write_all(b"\n")
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

const SPILLS: usize = 6; // five tables + documents.jsonl

struct IndexEntry {
    doc_id: String,
    seq: u64,
    ranges: [(u64, u64); SPILLS],
}

/// Writes the seven output files into a folder (SPEC §4).
pub struct FolderSink {
    dir: PathBuf,
    spill_dir: PathBuf,
    spills: Vec<BufWriter<File>>,
    offsets: [u64; SPILLS],
    index: Vec<IndexEntry>,
    options: CsvOptions,
    formats: Formats,
    /// Rows for the xlsx and Parquet writers, when asked for.
    typed: Option<typed::TypedSpill>,
}

/// How the CSV tables are written.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// Start each CSV file with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
    /// Neutralise text cells that a spreadsheet would read as a formula
    /// ([`rows::guard_formula`]); on unless `--raw-csv`.
    pub formula_guard: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            bom: false,
            formula_guard: true,
        }
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = tmp_name(path);
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all().ok();
    }
    fs::rename(&tmp, path)
}

pub(crate) fn tmp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Removes what a killed run left in `dir`: its spill folder (`.newsfacts-spill-PID`, as
/// large as the run's output) and half-written files (`.NAME.tmp-PID`), but only those of a
/// process that is no longer running (a run writing into the same folder keeps its files).
/// Best effort: a leftover that cannot be removed stays.
fn remove_leftovers_of_dead_runs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        if pid == std::process::id() || may_be_running(pid) {
            continue;
        }
        let path = entry.path();
        let _ = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
    }
}

/// The process id in the name of a spill folder or temporary file of ours.
fn leftover_pid(name: &str) -> Option<u32> {
    let pid = match name.strip_prefix(".newsfacts-spill-") {
        Some(pid) => pid,
        None if name.starts_with('.') => name.rsplit_once(".tmp-")?.1,
        None => return None,
    };
    pid.parse().ok()
}

/// Whether process `pid` may still be running: its `/proc` entry on Linux; where there is
/// no `/proc`, it cannot be told cheaply, so it may.
fn may_be_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

impl FolderSink {
    /// Prepares `dir` (created when missing). Fails early, with a reason, when the folder
    /// cannot be written.
    pub fn create(dir: &Path, options: CsvOptions) -> std::io::Result<FolderSink> {
        Self::create_with(dir, options, Formats::default())
    }

    /// [`FolderSink::create`] writing the given `formats`.
    pub fn create_with(
        dir: &Path,
        options: CsvOptions,
        formats: Formats,
    ) -> std::io::Result<FolderSink> {
        if dir.exists() && !dir.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "it is an existing file, not a folder",
            ));
        }
        fs::create_dir_all(dir)?;
        remove_leftovers_of_dead_runs(dir);
        let spill_dir = dir.join(format!(".newsfacts-spill-{}", std::process::id()));
        fs::create_dir_all(&spill_dir)?;
        let mut spills = Vec::with_capacity(SPILLS);
        for i in 0..SPILLS {
            spills.push(BufWriter::new(File::create(
                spill_dir.join(format!("{i}")),
            )?));
        }
        let typed = if formats.typed() {
            Some(typed::TypedSpill::create(&spill_dir.join("typed"))?)
        } else {
            None
        };
        Ok(FolderSink {
            dir: dir.to_path_buf(),
            spill_dir,
            spills,
            offsets: [0; SPILLS],
            index: Vec::new(),
            options,
            formats,
            typed,
        })
    }

    /// Sorts, writes every file and removes the spill folder.
    pub fn finish(mut self, report: &Report) -> std::io::Result<()> {
        let result = self.write_all(report);
        let _ = fs::remove_dir_all(&self.spill_dir);
        result
    }

    fn write_all(&mut self, report: &Report) -> std::io::Result<()> {
        for s in &mut self.spills {
            s.flush()?;
        }
        self.index
            .sort_by(|a, b| a.doc_id.cmp(&b.doc_id).then(a.seq.cmp(&b.seq)));
        let names: Vec<&str> = Table::ALL
            .iter()
            .map(|t| t.file_name())
            .chain(["documents.jsonl"])
            .collect();
        for (i, name) in names.iter().enumerate() {
            let wanted = if i < Table::ALL.len() {
                self.formats.csv
            } else {
                self.formats.jsonl
            };
            if !wanted {
                continue;
            }
            let path = self.dir.join(name);
            let tmp = tmp_name(&path);
            let mut out = BufWriter::new(File::create(&tmp)?);
            if i < Table::ALL.len() {
                if self.options.bom {
                    out.write_all("\u{FEFF}".as_bytes())?;
                }
                let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
                w.write_record(Table::ALL[i].header())
                    .map_err(std::io::Error::other)?;
                out.write_all(
                    &w.into_inner()
                        .map_err(|e| std::io::Error::other(e.to_string()))?,
                )?;
            }
            let mut spill = File::open(self.spill_dir.join(format!("{i}")))?;
            let mut buf = Vec::new();
            for e in &self.index {
                let (off, len) = e.ranges[i];
                if len == 0 {
                    continue;
                }
                buf.resize(len as usize, 0);
                spill.seek(SeekFrom::Start(off))?;
                spill.read_exact(&mut buf)?;
                out.write_all(&buf)?;
            }
            out.flush()?;
            drop(out);
            fs::rename(&tmp, &path)?;
        }
        if let Some(t) = &mut self.typed {
            t.write(&self.dir, self.formats)?;
        }
        let json = serde_json::to_vec_pretty(report).map_err(std::io::Error::other)?;
        write_atomic(&self.dir.join("report.json"), &json)
    }
}

impl Sink for FolderSink {
    fn add(&mut self, doc: &Document) -> std::io::Result<()> {
        let mut ranges = [(0u64, 0u64); SPILLS];
        for (i, table) in Table::ALL.iter().enumerate() {
            let bytes = rows::encode_rows(*table, doc, self.options.formula_guard);
            self.spills[i].write_all(&bytes)?;
            ranges[i] = (self.offsets[i], bytes.len() as u64);
            self.offsets[i] += bytes.len() as u64;
        }
        let mut line = Vec::new();
        json::write_document(&mut line, doc)?;
        line.push(b'\n');
        let j = SPILLS - 1;
        self.spills[j].write_all(&line)?;
        ranges[j] = (self.offsets[j], line.len() as u64);
        self.offsets[j] += line.len() as u64;
        let seq = self.index.len() as u64;
        self.index.push(IndexEntry {
            doc_id: doc.id.clone(),
            seq,
            ranges,
        });
        if let Some(t) = &mut self.typed {
            t.add(doc)?;
        }
        Ok(())
    }
}

impl Drop for FolderSink {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.spill_dir);
    }
}

#[cfg(test)]
mod leftover_tests {
    use super::*;

    #[test]
    fn names_of_leftovers() {
        assert_eq!(leftover_pid(".newsfacts-spill-1234"), Some(1234));
        assert_eq!(leftover_pid(".documents.jsonl.tmp-77"), Some(77));
        assert_eq!(leftover_pid("documents.jsonl"), None);
        assert_eq!(leftover_pid(".hidden"), None);
        assert_eq!(leftover_pid("notes.tmp-5"), None);
    }

    /// A killed run's spill folder and temporary file go; the live run's own, and other
    /// files, stay.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_new_run_removes_what_a_dead_run_left() {
        let dir = std::env::temp_dir().join(format!("newsfacts-leftovers-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        // Above the kernel's largest pid (2^22), so never a running process.
        let dead = 4_194_305 + 17;
        let spill = dir.join(format!(".newsfacts-spill-{dead}"));
        fs::create_dir_all(&spill).unwrap();
        fs::write(spill.join("0"), b"rows").unwrap();
        let tmp = dir.join(format!(".entities.csv.tmp-{dead}"));
        fs::write(&tmp, b"half").unwrap();
        let alive = dir.join(format!(".facts.csv.tmp-{}", std::process::id()));
        fs::write(&alive, b"mine").unwrap();
        let other = dir.join(".keep.tmp-x");
        fs::write(&other, b"not ours").unwrap();
        let sink = FolderSink::create(&dir, CsvOptions::default()).unwrap();
        assert!(!spill.exists() && !tmp.exists());
        assert!(alive.exists() && other.exists());
        drop(sink);
        let _ = fs::remove_dir_all(&dir);
    }
}
