//! Typed outputs (`--format xlsx,parquet`): the CSV tables with a type per column.
//!
//! The columns and cells come from the CSV row definitions ([`rows::Table::header`] and
//! [`rows::rows`]), so a column added to a CSV table appears in the workbook and the
//! Parquet files with no change here: a column this module does not know is text. What
//! it knows is which columns hold integers, exact decimals, ISO dates or booleans
//! ([`column_kind`]); a column is written with that type only when every cell of the run
//! parses as it (else as text, losing nothing).
//!
//! Rows are spilled to disk per document as they arrive (raw cells, length-prefixed, not
//! CSV-escaped), sorted by doc_id at the end like the CSV tables, and streamed from there
//! into the writers: memory stays bounded by one Parquet row group.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use super::rows::{self, Table};
use crate::document::Document;

/// The output formats of a folder run (`--format csv,jsonl,xlsx,parquet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// The five CSV tables.
    pub csv: bool,
    /// `documents.jsonl`.
    pub jsonl: bool,
    /// `newsfacts.xlsx`, one sheet per table.
    pub xlsx: bool,
    /// One `.parquet` file per table.
    pub parquet: bool,
}

impl Default for Formats {
    /// Today's files: the CSV tables and `documents.jsonl`.
    fn default() -> Self {
        Formats {
            csv: true,
            jsonl: true,
            xlsx: false,
            parquet: false,
        }
    }
}

impl Formats {
    /// Whether any format needs the typed spill.
    pub fn typed(self) -> bool {
        self.xlsx || self.parquet
    }
}

impl FromStr for Formats {
    type Err = String;

    /// A comma-separated list: `csv`, `jsonl`, `xlsx`, `parquet` (also `all`).
    fn from_str(s: &str) -> Result<Formats, String> {
        let mut f = Formats {
            csv: false,
            jsonl: false,
            xlsx: false,
            parquet: false,
        };
        for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match name.to_ascii_lowercase().as_str() {
                "csv" => f.csv = true,
                "jsonl" | "json" => f.jsonl = true,
                "xlsx" | "excel" => f.xlsx = true,
                "parquet" => f.parquet = true,
                "all" => {
                    f = Formats {
                        csv: true,
                        jsonl: true,
                        xlsx: true,
                        parquet: true,
                    }
                }
                other => {
                    return Err(format!(
                        "unknown output format {other:?}: use a comma-separated list of csv, jsonl, xlsx, parquet"
                    ))
                }
            }
        }
        if f == (Formats {
            csv: false,
            jsonl: false,
            xlsx: false,
            parquet: false,
        }) {
            return Err("no output format given: use e.g. --format csv,jsonl".into());
        }
        Ok(f)
    }
}

/// What a column of a CSV table holds, for the typed outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    /// Offsets and counts.
    Int,
    /// Exact decimals (`Num`): amounts, fact values, percentages.
    Decimal,
    /// ISO 8601 dates of any granularity (`2025`, `2025-Q3`, `2025-09-05`, `P3Y`).
    IsoDate,
    Bool,
}

/// The kind of `column` in `table`; every column not named here is text.
pub fn column_kind(table: Table, column: &str) -> ColumnKind {
    use ColumnKind::*;
    match (table, column) {
        (_, "start" | "end" | "first_start" | "first_end" | "chars" | "mentions") => Int,
        (Table::Documents, "entities" | "amounts" | "dates" | "facts") => Int,
        (Table::Amounts, "value" | "max") | (Table::Facts, "value" | "percent") => Decimal,
        (Table::Documents, "doc_date")
        | (Table::Dates, "value" | "end_value")
        | (Table::Facts, "date") => IsoDate,
        (Table::Dates, "relative") => Bool,
        _ => Text,
    }
}

/// The sheet or file stem of a table: `entities` for `entities.csv`.
pub fn table_name(table: Table) -> &'static str {
    let f = table.file_name();
    f.strip_suffix(".csv").unwrap_or(f)
}

/// A column as written: its name, and the type every cell of this run fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Resolved,
    /// Widest cell (header included) in display columns, a wide character counting two.
    pub width: usize,
}

/// The type a column is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Text,
    /// ISO dates: text in Parquet; a date cell in xlsx when a day (`YYYY-MM-DD`).
    IsoDate,
    Int,
    Bool,
    /// `DECIMAL(38, scale)`.
    Decimal {
        scale: u32,
    },
}

/// Largest precision of a Parquet decimal in 16 bytes.
pub const MAX_PRECISION: u32 = 38;

/// A plain decimal string split into sign, integer digits and fraction digits
/// (`-12.50` -> (true, "12", "50")); `None` when it is not one.
pub fn split_decimal(s: &str) -> Option<(bool, &str, &str)> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    (!int.is_empty() && digits(int) && digits(frac) && !s.ends_with('.'))
        .then_some((neg, int, frac))
}

/// The unscaled integer of `s` at `scale` (`12.5` at 2 -> 1250), when it fits in 38
/// digits without rounding.
pub fn decimal_unscaled(s: &str, scale: u32) -> Option<i128> {
    let (neg, int, frac) = split_decimal(s)?;
    let frac = frac.trim_end_matches('0');
    if frac.len() as u32 > scale {
        return None;
    }
    let int = int.trim_start_matches('0');
    if int.len() as u32 + scale > MAX_PRECISION {
        return None;
    }
    let mut v: i128 = 0;
    for b in int.bytes().chain(frac.bytes()) {
        v = v.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
    }
    v = v.checked_mul(10i128.checked_pow(scale - frac.len() as u32)?)?;
    Some(if neg { -v } else { v })
}

/// Display width of a cell: a wide (CJK, full-width) character counts two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// What one pass over a column's cells found, to choose its type.
#[derive(Debug, Clone)]
struct ColumnScan {
    kind: ColumnKind,
    /// Every non-empty cell parses as `kind`.
    fits: bool,
    int_digits: u32,
    frac_digits: u32,
    width: usize,
}

impl ColumnScan {
    fn new(kind: ColumnKind, header: &str) -> Self {
        ColumnScan {
            kind,
            fits: true,
            int_digits: 0,
            frac_digits: 0,
            width: display_width(header),
        }
    }

    fn see(&mut self, cell: &str) {
        self.width = self.width.max(display_width(cell));
        if cell.is_empty() || !self.fits {
            return;
        }
        match self.kind {
            ColumnKind::Int => self.fits = cell.parse::<i64>().is_ok(),
            ColumnKind::Bool => self.fits = cell == "true" || cell == "false",
            ColumnKind::Decimal => match split_decimal(cell) {
                Some((_, int, frac)) => {
                    let int = int.trim_start_matches('0').len() as u32;
                    let frac = frac.trim_end_matches('0').len() as u32;
                    self.int_digits = self.int_digits.max(int);
                    self.frac_digits = self.frac_digits.max(frac);
                }
                None => self.fits = false,
            },
            ColumnKind::Text | ColumnKind::IsoDate => {}
        }
    }

    fn resolve(self, name: &str) -> Column {
        let kind = match self.kind {
            _ if !self.fits => Resolved::Text,
            ColumnKind::Text => Resolved::Text,
            ColumnKind::IsoDate => Resolved::IsoDate,
            ColumnKind::Int => Resolved::Int,
            ColumnKind::Bool => Resolved::Bool,
            // One scale for the whole column: the deepest fraction seen. When no 38-digit
            // decimal holds every value at that scale, the column is text, never rounded.
            ColumnKind::Decimal if self.int_digits + self.frac_digits <= MAX_PRECISION => {
                Resolved::Decimal {
                    scale: self.frac_digits,
                }
            }
            ColumnKind::Decimal => Resolved::Text,
        };
        Column {
            name: name.to_string(),
            kind,
            width: self.width,
        }
    }
}

const TABLES: usize = Table::ALL.len();

struct IndexEntry {
    doc_id: String,
    seq: u64,
    ranges: [(u64, u32); TABLES],
}

/// Each document's rows of every table, spilled to disk in arrival order; read back in
/// doc_id order.
pub struct TypedSpill {
    dir: PathBuf,
    files: Vec<BufWriter<File>>,
    offsets: [u64; TABLES],
    index: Vec<IndexEntry>,
    sorted: bool,
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

/// Encodes rows as: row count, then per row its cell count and each cell's length and bytes.
fn encode(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::new();
    put_len(&mut out, rows.len());
    for row in rows {
        put_len(&mut out, row.len());
        for cell in row {
            put_len(&mut out, cell.len());
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out
}

fn corrupt() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "spill file of the typed outputs is damaged (was the output folder changed during the run?)",
    )
}

/// Reads back what [`encode`] wrote.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> std::io::Result<&'a [u8]> {
        let s = self
            .bytes
            .get(self.pos..self.pos.saturating_add(n))
            .ok_or_else(corrupt)?;
        self.pos += n;
        Ok(s)
    }

    fn len(&mut self) -> std::io::Result<usize> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
}

fn decode(bytes: &[u8]) -> std::io::Result<Vec<Vec<String>>> {
    let mut c = Cursor { bytes, pos: 0 };
    let n_rows = c.len()?;
    let mut rows = Vec::with_capacity(n_rows.min(1 << 16));
    for _ in 0..n_rows {
        let n_cells = c.len()?;
        let mut row = Vec::with_capacity(n_cells.min(64));
        for _ in 0..n_cells {
            let n = c.len()?;
            let cell = std::str::from_utf8(c.take(n)?).map_err(|_| corrupt())?;
            row.push(cell.to_string());
        }
        rows.push(row);
    }
    Ok(rows)
}

impl TypedSpill {
    /// Creates the spill files in `dir` (a private folder that the caller removes).
    pub fn create(dir: &Path) -> std::io::Result<TypedSpill> {
        fs::create_dir_all(dir)?;
        let mut files = Vec::with_capacity(TABLES);
        for t in Table::ALL {
            files.push(BufWriter::new(File::create(dir.join(table_name(t)))?));
        }
        Ok(TypedSpill {
            dir: dir.to_path_buf(),
            files,
            offsets: [0; TABLES],
            index: Vec::new(),
            sorted: false,
        })
    }

    /// The folder holding the spill files (also fit for a writer's temporary files).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Spills one document's rows of every table.
    pub fn add(&mut self, doc: &Document) -> std::io::Result<()> {
        let mut ranges = [(0u64, 0u32); TABLES];
        for (i, table) in Table::ALL.iter().enumerate() {
            let bytes = encode(&rows::rows(*table, doc));
            let len = u32::try_from(bytes.len()).map_err(|_| {
                std::io::Error::other(format!(
                    "document {} has more than 4 GB of {} rows",
                    doc.id,
                    table_name(*table)
                ))
            })?;
            self.files[i].write_all(&bytes)?;
            ranges[i] = (self.offsets[i], len);
            self.offsets[i] += bytes.len() as u64;
        }
        let seq = self.index.len() as u64;
        self.index.push(IndexEntry {
            doc_id: doc.id.clone(),
            seq,
            ranges,
        });
        Ok(())
    }

    /// Flushes the spill and puts documents in output order (doc_id, then arrival).
    pub fn seal(&mut self) -> std::io::Result<()> {
        for f in &mut self.files {
            f.flush()?;
        }
        if !self.sorted {
            self.index
                .sort_by(|a, b| a.doc_id.cmp(&b.doc_id).then(a.seq.cmp(&b.seq)));
            self.sorted = true;
        }
        Ok(())
    }

    fn position(table: Table) -> usize {
        Table::ALL.iter().position(|t| *t == table).unwrap_or(0)
    }

    /// The columns of `table` with the type each fits, from one sequential pass over its
    /// spill (order does not matter for that).
    pub fn columns(&self, table: Table) -> std::io::Result<Vec<Column>> {
        let header = table.header();
        let mut scans: Vec<ColumnScan> = header
            .iter()
            .map(|h| ColumnScan::new(column_kind(table, h), h))
            .collect();
        let i = Self::position(table);
        let mut file = BufReader::new(File::open(self.dir.join(table_name(table)))?);
        // Blocks read in file order (sequential reads); the order of rows does not
        // matter for the types.
        let mut blocks: Vec<(u64, u32)> = self.index.iter().map(|e| e.ranges[i]).collect();
        blocks.sort_unstable();
        let mut buf = Vec::new();
        let mut done = 0u64;
        for (off, len) in blocks {
            if off != done {
                return Err(corrupt());
            }
            buf.resize(len as usize, 0);
            file.read_exact(&mut buf)?;
            for row in decode(&buf)? {
                for (scan, cell) in scans.iter_mut().zip(&row) {
                    scan.see(cell);
                }
            }
            done += u64::from(len);
        }
        Ok(scans
            .into_iter()
            .zip(header)
            .map(|(s, h)| s.resolve(h))
            .collect())
    }

    /// Calls `each` with every document's rows of `table`, in output order.
    pub fn for_each_document(
        &self,
        table: Table,
        mut each: impl FnMut(Vec<Vec<String>>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let i = Self::position(table);
        let mut file = File::open(self.dir.join(table_name(table)))?;
        let mut buf = Vec::new();
        for e in &self.index {
            let (off, len) = e.ranges[i];
            buf.resize(len as usize, 0);
            file.seek(SeekFrom::Start(off))?;
            file.read_exact(&mut buf)?;
            let rows = decode(&buf)?;
            if !rows.is_empty() {
                each(rows)?;
            }
        }
        Ok(())
    }

    /// Writes the typed outputs asked for into `out_dir`, each atomically.
    pub fn write(&mut self, out_dir: &Path, formats: Formats) -> std::io::Result<()> {
        self.seal()?;
        let mut schemas = Vec::with_capacity(TABLES);
        for table in Table::ALL {
            schemas.push((table, self.columns(table)?));
        }
        if formats.parquet {
            for (table, columns) in &schemas {
                let path = out_dir.join(format!("{}.parquet", table_name(*table)));
                super::parquet::write_table(&path, self, *table, columns)?;
            }
        }
        if formats.xlsx {
            super::xlsx::write_workbook(&out_dir.join("newsfacts.xlsx"), self, &schemas)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse() {
        assert_eq!("csv,jsonl".parse::<Formats>(), Ok(Formats::default()));
        let f: Formats = "xlsx, parquet".parse().unwrap();
        assert!(f.xlsx && f.parquet && !f.csv && !f.jsonl);
        assert!("csv,xls"
            .parse::<Formats>()
            .unwrap_err()
            .contains("\"xls\""));
        assert!("".parse::<Formats>().is_err());
    }

    #[test]
    fn decimals_scale_exactly_or_not_at_all() {
        assert_eq!(decimal_unscaled("14300000000", 0), Some(14_300_000_000));
        assert_eq!(decimal_unscaled("-12.5", 2), Some(-1250));
        assert_eq!(decimal_unscaled("0.125", 2), None);
        assert_eq!(decimal_unscaled("1e5", 0), None);
        assert_eq!(decimal_unscaled("1.", 0), None);
        assert_eq!(
            decimal_unscaled(&"9".repeat(38), 0),
            Some(10i128.pow(38) - 1)
        );
        assert_eq!(decimal_unscaled(&"9".repeat(38), 1), None);
    }

    #[test]
    fn a_column_takes_the_type_all_its_cells_fit() {
        let resolve = |kind, cells: &[&str]| {
            let mut s = ColumnScan::new(kind, "h");
            cells.iter().for_each(|c| s.see(c));
            s.resolve("h").kind
        };
        assert_eq!(
            resolve(ColumnKind::Decimal, &["14300000000", "", "0.49"]),
            Resolved::Decimal { scale: 2 }
        );
        let deep = format!("1{}.5", "0".repeat(37));
        assert_eq!(resolve(ColumnKind::Decimal, &[&deep]), Resolved::Text);
        assert_eq!(resolve(ColumnKind::Int, &["3", "x"]), Resolved::Text);
        assert_eq!(
            resolve(ColumnKind::Bool, &["true", "false"]),
            Resolved::Bool
        );
        assert_eq!(display_width("谷歌ab"), 6);
    }

    #[test]
    fn spill_round_trips_cells() {
        let rows = vec![
            vec!["a,\"b\"\n".to_string(), String::new()],
            vec!["谷歌".to_string()],
        ];
        assert_eq!(decode(&encode(&rows)).unwrap(), rows);
        assert!(decode(&encode(&rows)[..7]).is_err());
    }
}
