//! The input stage: finds documents (folders, files, standard input), decodes their bytes
//! and parses their format into [`Source`]s, lazily, one at a time, so that a batch of any
//! size streams through in bounded memory.
//!
//! A problem with one document (unreadable, binary, malformed JSON line) becomes a
//! `Source` carrying an `error`, which the pipeline turns into a `status=failed` row; the
//! rest of the batch goes on.

pub(crate) mod decode;
#[doc(hidden)]
pub mod formats;

use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::document::DateSource;
pub use formats::{FrontMatter, JsonlFields};

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
        Source {
            path: id.clone(),
            id,
            encoding: "UTF-8".into(),
            bytes: text.len(),
            text,
            ..Default::default()
        }
    }

    /// Sets the document date as if given in JSONL (builder style).
    pub fn with_date(mut self, date: impl Into<String>) -> Source {
        self.meta.date = Some(date.into());
        self.date_origin = DateSource::Jsonl;
        self
    }

    /// The document one JSON Lines record describes, read exactly as `newsfacts extract`
    /// reads a line of a `.jsonl` file with its default field names: `id`, `date` and `title`
    /// from the record (else
    /// `default_id`), and a failed source with the CLI's reason for a malformed line, a
    /// missing `text` or an empty one. For bindings that receive records one by one.
    pub fn from_jsonl_line(
        default_id: impl Into<String>,
        path: impl Into<String>,
        line: &str,
    ) -> Source {
        let default_id = default_id.into();
        jsonl_record(
            || default_id,
            path.into(),
            line.as_bytes(),
            line.len(),
            &JsonlFields::default(),
        )
    }

    fn failed(id: String, path: String, error: String) -> Source {
        Source {
            id,
            path,
            error: Some(error),
            ..Default::default()
        }
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
    Failed(Box<Source>),
}

/// Reading JSON Lines, one record per `next()`.
struct LineReader {
    reader: Box<dyn BufRead + Send>,
    id_prefix: String,
    path: String,
    line_no: usize,
    /// Records returned so far; a file without any is reported as empty.
    records: usize,
    /// A file (not standard input, where an empty stream is normal, e.g. an empty partition).
    is_file: bool,
}

/// The default largest document (`--max-doc-mb 64`), in bytes.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 64 * 1024 * 1024;

/// The largest `--max-doc-mb` accepted: every offset of a document must fit in a `u32`.
pub const MAX_DOC_MB_LIMIT: u64 = (u32::MAX as u64) / (1024 * 1024);

/// The reason given for a document over the size limit.
fn too_large(size: u64, limit: u64) -> String {
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    format!(
        "document too large: {:.1} MB or more, over the limit of {:.0} MB; raise --max-doc-mb or split it",
        mb(size),
        mb(limit)
    )
}

/// Reads at most `limit` bytes of one document; `Ok(None)` when there is more (the rest is
/// never read, so memory stays bounded per document).
fn read_bounded(reader: &mut dyn Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads one line (through its `\n`) into `buf`, keeping at most `limit` bytes: the rest of
/// a longer line is read and dropped. Returns the line's full length (0 at the end).
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<u64> {
    let mut total = 0u64;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(total);
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = limit.saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&chunk[..take.min(room)]);
        reader.consume(take);
        total += take as u64;
        if done {
            return Ok(total);
        }
    }
}

/// A lazy stream of documents from the paths given on the command line.
pub struct SourceStream {
    /// The largest document read, in bytes (a file, standard input or one JSON line).
    max_doc_bytes: u64,
    pending: VecDeque<Pending>,
    lines: Option<LineReader>,
    /// Files skipped for their extension (counted in the report).
    pub skipped: usize,
    /// Hashes of the ids handed out so far, to keep ids unique: 8 bytes per document, not
    /// the id itself (a hash shared by two different ids only renames one needlessly).
    /// A randomly keyed set: the ids come from the input, and FxHash's buckets could be
    /// aimed at (one insert a document costs little either way).
    seen_ids: HashSet<u64>,
    /// Which JSON fields hold the text, id and date of a JSON Lines record.
    fields: JsonlFields,
    /// Bytes of all input files, when known (not when reading standard input): the
    /// total of the progress bar.
    pub total_bytes: Option<u64>,
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
        let mut total_bytes = Some(0u64);
        for input in inputs {
            if input == "-" {
                pending.push_back(Pending::Stdin);
                total_bytes = None;
                continue;
            }
            let root = Path::new(input);
            let meta = match std::fs::metadata(root) {
                Ok(m) => m,
                Err(e) => {
                    let reason = match e.kind() {
                        std::io::ErrorKind::NotFound => {
                            "no such file or directory: check the path".to_string()
                        }
                        _ => format!("cannot read: {e}"),
                    };
                    pending.push_back(Pending::Failed(Box::new(Source::failed(
                        input.clone(),
                        input.clone(),
                        reason,
                    ))));
                    continue;
                }
            };
            if meta.is_file() {
                let id = root
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| input.clone());
                total_bytes = total_bytes.map(|t| t + meta.len());
                pending.push_back(Pending::File {
                    path: root.to_path_buf(),
                    id,
                });
                continue;
            }
            if !meta.is_dir() {
                let reason = not_regular_file(&meta.file_type());
                pending.push_back(Pending::Failed(Box::new(Source::failed(
                    input.clone(),
                    input.clone(),
                    reason,
                ))));
                continue;
            }
            // Hidden folders (.git, an output's spill folder) are not part of a corpus.
            let walker = walkdir::WalkDir::new(root)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0
                        || !(e.file_type().is_dir()
                            && e.file_name().to_string_lossy().starts_with('.'))
                });
            for entry in walker {
                match entry {
                    Ok(e) => {
                        let ft = e.file_type();
                        if ft.is_dir() {
                            continue;
                        }
                        let name = e.file_name().to_string_lossy();
                        if name.starts_with('.') || format_of(e.path()).is_none() {
                            skipped += 1;
                            continue;
                        }
                        let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                        let id = rel.to_string_lossy().replace('\\', "/");
                        if ft.is_file() {
                            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                            total_bytes = total_bytes.map(|t| t + len);
                            pending.push_back(Pending::File {
                                path: e.path().to_path_buf(),
                                id,
                            });
                        } else {
                            // A FIFO or device named like a document: reading it could block forever.
                            pending.push_back(Pending::Failed(Box::new(Source::failed(
                                id,
                                display(e.path()),
                                not_regular_file(&ft),
                            ))));
                        }
                    }
                    Err(err) => {
                        let p = err.path().map(display).unwrap_or_else(|| input.clone());
                        let reason = if err.loop_ancestor().is_some() {
                            "symbolic link loop: the link points back to a folder above it; skipped"
                                .to_string()
                        } else if err.path().is_some_and(|q| {
                            q.symlink_metadata()
                                .is_ok_and(|m| m.file_type().is_symlink())
                                && !q.exists()
                        }) {
                            "broken symbolic link: the file it points to does not exist".to_string()
                        } else if err
                            .io_error()
                            .is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
                        {
                            "permission denied: the folder or file is not readable".to_string()
                        } else {
                            format!("cannot read: {err}")
                        };
                        let id = err
                            .path()
                            .and_then(|q| q.strip_prefix(root).ok())
                            .map(|q| q.to_string_lossy().replace('\\', "/"))
                            .unwrap_or_else(|| p.clone());
                        pending.push_back(Pending::Failed(Box::new(Source::failed(id, p, reason))));
                    }
                }
            }
        }
        SourceStream {
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            pending,
            lines: None,
            skipped,
            seen_ids: HashSet::new(),
            fields: JsonlFields::default(),
            total_bytes,
        }
    }

    /// Sets the largest document (default [`DEFAULT_MAX_DOC_BYTES`]): a larger file, piped
    /// document or JSON line becomes a failed document saying so, and is not read whole.
    pub fn with_max_doc_bytes(mut self, limit: u64) -> Self {
        self.max_doc_bytes = limit;
        self
    }

    /// Reads JSON Lines records with these field names (builder style).
    pub fn with_fields(mut self, fields: JsonlFields) -> SourceStream {
        self.fields = fields;
        self
    }

    fn next_line(&mut self) -> Option<Source> {
        let limit = self.max_doc_bytes;
        loop {
            let lr = self.lines.as_mut()?;
            let mut raw = Vec::new();
            let read = read_line_bounded(&mut lr.reader, &mut raw, limit);
            lr.line_no += 1;
            // The id of a record without one (made only then: most records have one).
            let line_id = |lr: &LineReader| format!("{}#{}", lr.id_prefix, lr.line_no);
            match read {
                Ok(0) => {
                    let empty = (lr.is_file && lr.records == 0).then(|| {
                        Source::failed(
                            lr.id_prefix.clone(),
                            lr.path.clone(),
                            "empty file: no JSON lines in it".to_string(),
                        )
                    });
                    self.lines = None;
                    return empty;
                }
                Err(e) => {
                    let path = lr.path.clone();
                    let id = line_id(lr);
                    self.lines = None;
                    return Some(Source::failed(id, path, format!("read error: {e}")));
                }
                Ok(n) => {
                    if raw.iter().all(|b| b.is_ascii_whitespace()) && n == raw.len() as u64 {
                        continue;
                    }
                    lr.records += 1;
                    if n > limit {
                        let mut src =
                            Source::failed(line_id(lr), lr.path.clone(), too_large(n, limit));
                        src.bytes = n as usize;
                        return Some(src);
                    }
                    return Some(jsonl_record(
                        || line_id(lr),
                        lr.path.clone(),
                        &raw,
                        n as usize,
                        &self.fields,
                    ));
                }
            }
        }
    }
}

/// Opens JSON Lines for reading line by line. A UTF-8 byte-order mark is skipped; a
/// UTF-16 file (with BOM) is decoded whole, since its lines cannot be split on bytes.
/// Binary data (an image renamed `.jsonl`) is refused once, not line by line.
fn open_lines(
    mut reader: Box<dyn BufRead + Send>,
    limit: u64,
) -> Result<Box<dyn BufRead + Send>, String> {
    let head = reader.fill_buf().map_err(|e| read_error(&e))?;
    if head.starts_with(b"\xEF\xBB\xBF") {
        reader.consume(3);
        return Ok(reader);
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        // Decoded whole, so the whole file is held to the per-document limit.
        let bytes = read_bounded(&mut reader, limit)
            .map_err(|e| read_error(&e))?
            .ok_or_else(|| too_large(limit + 1, limit) + " (a UTF-16 JSONL file is read whole)")?;
        let text = decode::decode(&bytes).map_err(|e| e.to_string())?.text;
        return Ok(Box::new(std::io::Cursor::new(text.into_bytes())));
    }
    if let Some(why) = decode::looks_binary(head) {
        return Err(decode::DecodeError::Binary(why).to_string());
    }
    Ok(reader)
}

/// What standard input holds, from its first bytes: JSON Lines when it starts with `{`
/// (or is UTF-16, or blank), HTML when it starts with `<`, else one plain-text document.
fn stdin_format(head: &[u8]) -> Format {
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Format::Jsonl;
    }
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    match head.iter().find(|b| !b.is_ascii_whitespace()) {
        None | Some(b'{') => Format::Jsonl,
        Some(b'<') => Format::Html,
        Some(_) => Format::Text,
    }
}

/// Parses one JSON line (`raw`, `bytes` long with its line end) into the document it describes.
fn jsonl_record(
    default_id: impl FnOnce() -> String,
    path: String,
    raw: &[u8],
    bytes: usize,
    fields: &JsonlFields,
) -> Source {
    let mut s = Source {
        path,
        encoding: "UTF-8".into(),
        bytes,
        ..Default::default()
    };
    // A line that is not UTF-8 (a GBK export, say) is decoded on its own.
    let decoded;
    let line = match std::str::from_utf8(raw) {
        Ok(l) => l,
        Err(_) => match decode::decode(raw) {
            Ok(d) => {
                s.encoding = d.encoding.to_string();
                s.warnings.extend(d.warning);
                decoded = d.text;
                decoded.as_str()
            }
            Err(e) => {
                s.id = default_id();
                s.error = Some(e.to_string());
                return s;
            }
        },
    };
    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}');
    let rec = formats::parse_jsonl_record_with(line, fields);
    s.id = rec.id.unwrap_or_else(default_id);
    if rec.date.is_some() {
        s.date_origin = DateSource::Jsonl;
    }
    s.error = rec.error;
    if s.error.is_none() && rec.text.trim().is_empty() {
        s.error = Some("empty document: the JSON line's text field is empty".to_string());
    }
    s.text = rec.text;
    s.warnings.extend(rec.warnings);
    s.meta = FrontMatter {
        date: rec.date,
        title: rec.title,
        source: rec.source,
        url: rec.url,
        lang: rec.lang,
        id: None,
        extra: rec.meta,
    };
    s
}

/// Why a path that exists is not read: it is neither a regular file nor a folder.
fn not_regular_file(ft: &std::fs::FileType) -> String {
    let what = special_file_kind(ft);
    format!("not a regular file ({what}); only regular files and folders are read")
}

/// What kind of special file this is (FIFOs, sockets and devices exist on unix only).
#[cfg(unix)]
fn special_file_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a named pipe (FIFO)"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_ft: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

/// A read error as a reason a user understands.
fn read_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "permission denied: the file is not readable".to_string()
        }
        std::io::ErrorKind::NotFound => {
            "no such file: it was removed or renamed during the run".to_string()
        }
        std::io::ErrorKind::IsADirectory => "is a folder, not a file".to_string(),
        _ => format!("cannot read: {e}"),
    }
}

/// Reads a text or HTML file into a `Source`; a file over `limit` bytes is not read.
fn read_file(path: &Path, id: String, format: Format, limit: u64) -> Source {
    let shown = display(path);
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limit {
        let mut src = Source::failed(id, shown, too_large(size, limit));
        src.bytes = size as usize;
        return src;
    }
    match File::open(path).and_then(|mut f| read_bounded(&mut f, limit)) {
        Err(e) => Source::failed(id, shown, read_error(&e)),
        // The file grew after its size was taken.
        Ok(None) => Source::failed(id, shown, too_large(limit + 1, limit)),
        Ok(Some(bytes)) => source_from_bytes(bytes, id, shown, format),
    }
}

/// `read_file`, with a panic anywhere in decoding or parsing (a bug, say in the HTML
/// parser on some unforeseen markup) turned into a failed document: the input stage runs on
/// the batch's reader thread, where a panic would end the whole run.
fn read_guarded(path: &Path, id: String, format: Format, limit: u64) -> Source {
    let shown = display(path);
    let failed_id = id.clone();
    std::panic::catch_unwind(|| read_file(path, id, format, limit)).unwrap_or_else(|_| {
        Source::failed(
            failed_id,
            shown,
            "internal error while reading this file; please report it".to_string(),
        )
    })
}

/// Decodes and parses the bytes of one text or HTML document.
fn source_from_bytes(bytes: Vec<u8>, id: String, shown: String, format: Format) -> Source {
    let n = bytes.len();
    let declared = if format == Format::Html {
        formats::declared_html_charset(&bytes)
    } else {
        None
    };
    let decoded = match decode::decode_with_hint(&bytes, declared) {
        Ok(d) => d,
        Err(e) => {
            let mut s = Source::failed(id, shown, e.to_string());
            s.bytes = n;
            return s;
        }
    };
    drop(bytes);
    let mut s = Source {
        id,
        path: shown,
        encoding: decoded.encoding.to_string(),
        bytes: n,
        ..Default::default()
    };
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

/// A fixed-key hash of a document id (the same in every run).
fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Iterator for SourceStream {
    type Item = Source;

    /// The next document, its id made unique: two inputs can name the same relative path
    /// (`a/x.txt` and `b/x.txt` given as roots `a/` and `b/`) and JSON Lines records can
    /// repeat an `id`; a repeated id gets `~2`, `~3`, ... and a warning, so every output
    /// row keys to one document.
    fn next(&mut self) -> Option<Source> {
        let mut source = self.next_raw()?;
        if !self.seen_ids.insert(id_hash(&source.id)) {
            let base = source.id.clone();
            let mut n = 2usize;
            let unique = loop {
                let candidate = format!("{base}~{n}");
                if self.seen_ids.insert(id_hash(&candidate)) {
                    break candidate;
                }
                n += 1;
            };
            source.warnings.push(format!(
                "document id {base:?} is already used by an earlier document; this one is {unique:?}"
            ));
            source.id = unique;
        }
        Some(source)
    }
}

impl SourceStream {
    fn next_raw(&mut self) -> Option<Source> {
        let limit = self.max_doc_bytes;
        loop {
            if self.lines.is_some() {
                if let Some(s) = self.next_line() {
                    return Some(s);
                }
                continue;
            }
            match self.pending.pop_front()? {
                Pending::Failed(s) => return Some(*s),
                Pending::Stdin => {
                    let mut reader = BufReader::with_capacity(1 << 16, std::io::stdin());
                    let kind = reader.fill_buf().map(stdin_format);
                    match kind {
                        Ok(Format::Jsonl) => match open_lines(Box::new(reader), limit) {
                            Ok(reader) => {
                                self.lines = Some(LineReader {
                                    reader,
                                    id_prefix: "-".into(),
                                    path: "-".into(),
                                    line_no: 0,
                                    records: 0,
                                    is_file: false,
                                });
                            }
                            Err(e) => {
                                return Some(Source::failed(
                                    "-".into(),
                                    "-".into(),
                                    format!("standard input: {e}"),
                                ))
                            }
                        },
                        Ok(format) => {
                            // Plain text or HTML piped in: one document.
                            return Some(match read_bounded(&mut reader, limit) {
                                Err(e) => Source::failed(
                                    "-".into(),
                                    "-".into(),
                                    format!("cannot read standard input: {e}"),
                                ),
                                Ok(None) => Source::failed(
                                    "-".into(),
                                    "-".into(),
                                    too_large(limit + 1, limit),
                                ),
                                Ok(Some(bytes)) => {
                                    source_from_bytes(bytes, "-".into(), "-".into(), format)
                                }
                            });
                        }
                        Err(e) => {
                            return Some(Source::failed(
                                "-".into(),
                                "-".into(),
                                format!("cannot read standard input: {e}"),
                            ))
                        }
                    }
                }
                Pending::File { path, id } => match format_of(&path) {
                    Some(Format::Jsonl) => {
                        let opened = File::open(&path)
                            .map_err(|e| read_error(&e))
                            .and_then(|f| open_lines(Box::new(BufReader::new(f)), limit));
                        match opened {
                            Ok(reader) => {
                                self.lines = Some(LineReader {
                                    reader,
                                    id_prefix: id,
                                    path: display(&path),
                                    line_no: 0,
                                    records: 0,
                                    is_file: true,
                                });
                            }
                            Err(e) => return Some(Source::failed(id, display(&path), e)),
                        }
                    }
                    f => return Some(read_guarded(&path, id, f.unwrap_or(Format::Text), limit)),
                },
            }
        }
    }
}
