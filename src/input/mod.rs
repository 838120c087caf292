//! The input stage: finds documents (folders, files, standard input), decodes their bytes
//! and parses their format into [`Source`]s, lazily, one at a time, so that a batch of any
//! size streams through in bounded memory.
//!
//! A problem with one document (unreadable, binary, malformed JSON line) becomes a
//! `Source` carrying an `error`, which the pipeline turns into a `status=failed` row; the
//! rest of the batch goes on.

pub mod decode;
pub mod formats;

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::document::DateSource;
pub use formats::FrontMatter;

/// One input document as read, before any processing.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub id: String,
    pub path: String,
    pub encoding: String,
    /// The decoded document; every output offset refers to it (in code points).
    pub text: String,
    /// Byte offset in `text` where the body starts (after front matter).
    pub body_start: usize,
    pub meta: FrontMatter,
    /// Where `meta.date` came from (front matter or JSONL), when present.
    pub date_origin: DateSource,
    /// Why this document could not be read; it is reported as failed.
    pub error: Option<String>,
    pub warnings: Vec<String>,
    /// Size of the input in bytes (the file, or the JSON line).
    pub bytes: usize,
}

impl Source {
    /// A source made from a string, for library users and tests.
    pub fn from_text(id: impl Into<String>, text: impl Into<String>) -> Source {
        let text = text.into();
        let id = id.into();
        Source { path: id.clone(), id, encoding: "UTF-8".into(), bytes: text.len(), text, ..Default::default() }
    }

    /// Sets the document date as if given in JSONL (builder style).
    pub fn with_date(mut self, date: impl Into<String>) -> Source {
        self.meta.date = Some(date.into());
        self.date_origin = DateSource::Jsonl;
        self
    }

    fn failed(id: String, path: String, error: String) -> Source {
        Source { id, path, error: Some(error), ..Default::default() }
    }
}

/// File kinds newsfacts reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    Jsonl,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "md" | "markdown" | "text" => Some(Format::Text),
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "jsonl" | "ndjson" => Some(Format::Jsonl),
        _ => None,
    }
}

/// A pending unit of input.
enum Pending {
    File { path: PathBuf, id: String },
    Stdin,
    Failed(Source),
}

/// Reading JSON Lines, one record per `next()`.
struct LineReader {
    reader: Box<dyn BufRead + Send>,
    id_prefix: String,
    path: String,
    line_no: usize,
}

/// A lazy stream of documents from the paths given on the command line.
pub struct SourceStream {
    pending: VecDeque<Pending>,
    lines: Option<LineReader>,
    /// Files skipped for their extension (counted in the report).
    pub skipped: usize,
    buf: String,
}

fn display(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl SourceStream {
    /// Expands `inputs` (files, folders, `-`) into a stream. Folders are walked
    /// recursively in sorted order; unreadable entries and symlink loops become failed
    /// sources rather than errors.
    pub fn new(inputs: &[String]) -> SourceStream {
        let mut pending = VecDeque::new();
        let mut skipped = 0;
        for input in inputs {
            if input == "-" {
                pending.push_back(Pending::Stdin);
                continue;
            }
            let root = Path::new(input);
            let meta = match std::fs::metadata(root) {
                Ok(m) => m,
                Err(e) => {
                    let reason = match e.kind() {
                        std::io::ErrorKind::NotFound => "no such file or directory: check the path".to_string(),
                        _ => format!("cannot read: {e}"),
                    };
                    pending.push_back(Pending::Failed(Source::failed(input.clone(), input.clone(), reason)));
                    continue;
                }
            };
            if meta.is_file() {
                let id = root.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| input.clone());
                pending.push_back(Pending::File { path: root.to_path_buf(), id });
                continue;
            }
            let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name();
            for entry in walker {
                match entry {
                    Ok(e) => {
                        if !e.file_type().is_file() {
                            continue;
                        }
                        let name = e.file_name().to_string_lossy();
                        if name.starts_with('.') {
                            skipped += 1;
                            continue;
                        }
                        if format_of(e.path()).is_none() {
                            skipped += 1;
                            continue;
                        }
                        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                        let id = rel.to_string_lossy().replace('\\', "/");
                        pending.push_back(Pending::File { path: e.path().to_path_buf(), id });
                    }
                    Err(err) => {
                        let p = err.path().map(display).unwrap_or_else(|| input.clone());
                        let reason = if err.loop_ancestor().is_some() {
                            "symbolic link loop: the link points back to a folder above it; skipped".to_string()
                        } else {
                            format!("cannot read: {err}")
                        };
                        let id = err
                            .path()
                            .and_then(|q| q.strip_prefix(root).ok())
                            .map(|q| q.to_string_lossy().into_owned())
                            .unwrap_or_else(|| p.clone());
                        pending.push_back(Pending::Failed(Source::failed(id, p, reason)));
                    }
                }
            }
        }
        SourceStream { pending, lines: None, skipped, buf: String::new() }
    }

    fn next_line(&mut self) -> Option<Source> {
        loop {
            let lr = self.lines.as_mut()?;
            self.buf.clear();
            let read = {
                let mut raw = Vec::new();
                match lr.reader.read_until(b'\n', &mut raw) {
                    Ok(0) => None,
                    Ok(_) => Some(Ok(raw)),
                    Err(e) => Some(Err(e)),
                }
            };
            lr.line_no += 1;
            let id = format!("{}#{}", lr.id_prefix, lr.line_no);
            match read {
                None => {
                    self.lines = None;
                    return None;
                }
                Some(Err(e)) => {
                    let path = lr.path.clone();
                    self.lines = None;
                    return Some(Source::failed(id, path, format!("read error: {e}")));
                }
                Some(Ok(raw)) => {
                    let raw = match String::from_utf8(raw) {
                        Ok(s) => s,
                        Err(e) => {
                            let mut s = Source::from_text(id, String::from_utf8_lossy(e.as_bytes()).into_owned());
                            s.path = lr.path.clone();
                            return Some(jsonl_record(s, lr));
                        }
                    };
                    if raw.trim().is_empty() {
                        continue;
                    }
                    let mut s = Source::from_text(id, raw);
                    s.path = lr.path.clone();
                    return Some(jsonl_record(s, lr));
                }
            }
        }
    }
}

/// Parses one JSON line held in `s.text` into the document it describes.
fn jsonl_record(mut s: Source, _lr: &LineReader) -> Source {
    let raw = std::mem::take(&mut s.text);
    s.bytes = raw.len();
    match serde_json::from_str::<formats::JsonlRecord>(raw.trim()) {
        Err(e) => {
            s.error = Some(format!("malformed JSON line ({e}); each line must be one JSON object with a \"text\" field"));
        }
        Ok(rec) => {
            if let Some(id) = rec.id {
                match id {
                    serde_json::Value::String(v) if !v.is_empty() => s.id = v,
                    serde_json::Value::Number(n) => s.id = n.to_string(),
                    _ => {}
                }
            }
            match rec.text {
                Some(t) => s.text = t,
                None => s.error = Some("JSON line has no \"text\" field: nothing to extract".to_string()),
            }
            if let Some(d) = rec.date.filter(|d| !d.trim().is_empty()) {
                s.meta.date = Some(d);
                s.date_origin = DateSource::Jsonl;
            }
            s.meta.title = rec.title;
            s.meta.source = rec.source;
            s.meta.lang = rec.lang;
        }
    }
    s
}

/// Reads a text or HTML file into a `Source`.
fn read_file(path: &Path, id: String, format: Format) -> Source {
    let shown = display(path);
    let mut bytes = Vec::new();
    if let Err(e) = File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
        let reason = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "permission denied: the file is not readable".to_string(),
            _ => format!("cannot read: {e}"),
        };
        return Source::failed(id, shown, reason);
    }
    let n = bytes.len();
    let decoded = match decode::decode(&bytes) {
        Ok(d) => d,
        Err(e) => {
            let mut s = Source::failed(id, shown, e.to_string());
            s.bytes = n;
            return s;
        }
    };
    drop(bytes);
    let mut s = Source { id, path: shown, encoding: decoded.encoding.to_string(), bytes: n, ..Default::default() };
    if let Some(w) = decoded.warning {
        s.warnings.push(w);
    }
    match format {
        Format::Html => {
            let (text, title) = formats::html_to_text(&decoded.text);
            s.text = text;
            s.meta.title = title;
        }
        _ => {
            let (fm, body) = formats::front_matter(&decoded.text);
            s.text = decoded.text;
            s.body_start = body;
            if let Some(id) = fm.id.clone() {
                s.id = id;
            }
            if fm.date.is_some() {
                s.date_origin = DateSource::FrontMatter;
            }
            s.meta = fm;
        }
    }
    if s.error.is_none() && s.text[s.body_start..].trim().is_empty() {
        s.error = Some("empty document: no text after front matter / markup".to_string());
    }
    s
}

impl Iterator for SourceStream {
    type Item = Source;

    fn next(&mut self) -> Option<Source> {
        loop {
            if self.lines.is_some() {
                if let Some(s) = self.next_line() {
                    return Some(s);
                }
                continue;
            }
            match self.pending.pop_front()? {
                Pending::Failed(s) => return Some(s),
                Pending::Stdin => {
                    self.lines = Some(LineReader {
                        reader: Box::new(BufReader::new(std::io::stdin())),
                        id_prefix: "-".into(),
                        path: "-".into(),
                        line_no: 0,
                    });
                }
                Pending::File { path, id } => match format_of(&path) {
                    Some(Format::Jsonl) => match File::open(&path) {
                        Ok(f) => {
                            self.lines = Some(LineReader {
                                reader: Box::new(BufReader::new(f)),
                                id_prefix: id,
                                path: display(&path),
                                line_no: 0,
                            });
                        }
                        Err(e) => return Some(Source::failed(id, display(&path), format!("cannot read: {e}"))),
                    },
                    Some(f) => return Some(read_file(&path, id, f)),
                    None => return Some(read_file(&path, id, Format::Text)),
                },
            }
        }
    }
}
