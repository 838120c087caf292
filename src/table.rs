//! The one loader of data tables: the tab-separated files under `data/` that hold lexicons,
//! cues and rules (data, not code).
//!
//! A table is read with [`rows`]: `#` comment lines and blank lines are skipped, cells are
//! split on tabs and trimmed, and each [`Row`] knows its file and line. A reader turns rows
//! into its own types with [`Row::cell`], [`Row::parse`] and [`Row::error`], and returns
//! `Result<_, TableError>`: a missing cell, a value that does not parse or an unknown
//! keyword is an error naming the file and line, never a row skipped silently.
//!
//! The tables are compiled into the binary ([`data_table!`]) and each is parsed once into
//! a process-wide `LazyLock` through [`built`]. [`crate::Pipeline::new`] first runs every
//! reader ([`check_all`]) and returns the first error, so a bad table is reported by the
//! program, with file and line, before any document is read.
//!
//! (The module is crate-private, so this example runs as the unit test
//! `the_module_example_holds`.)
//!
//! ```text
//! use newsfacts::table::{rows, TableError};
//! let text = "# word\tvalue\nten\t10\neleven\tx\n";
//! let parsed: Result<Vec<(&str, u32)>, TableError> = rows("data/numbers.tsv", text)
//!     .map(|r| Ok((r.cell(0, "word")?, r.parse(1, "value")?)))
//!     .collect();
//! let err = parsed.unwrap_err();
//! assert_eq!(err.to_string(), "data/numbers.tsv:3: column 2 (value) is not valid: \"x\"");
//! ```

use std::str::FromStr;

/// A bad row of a data table (or a table or model that cannot be loaded at all).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {reason}")]
pub struct TableError {
    /// The table's path, relative to the repository (`data/units.tsv`).
    pub file: String,
    /// 1-based line number (0 when the error is about the whole file).
    pub line: usize,
    pub reason: String,
}

/// One data row: its cells, and where it is.
#[derive(Debug, Clone)]
pub(crate) struct Row<'t> {
    pub file: &'t str,
    pub line: usize,
    pub cells: Vec<&'t str>,
    /// The last comment line above the row (a table may be divided into sections by
    /// comments such as `# --- products and models ---`), or "".
    pub section: &'t str,
}

impl<'t> Row<'t> {
    /// An error about this row.
    pub(crate) fn error(&self, reason: impl Into<String>) -> TableError {
        TableError {
            file: self.file.to_string(),
            line: self.line,
            reason: reason.into(),
        }
    }

    /// Cell `i` (0-based), which must be present and non-empty; `what` names it in errors.
    pub(crate) fn cell(&self, i: usize, what: &str) -> Result<&'t str, TableError> {
        match self.cells.get(i) {
            Some(c) if !c.is_empty() => Ok(c),
            _ => Err(self.error(format!("column {} ({what}) is missing", i + 1))),
        }
    }

    /// Cell `i` when present and non-empty.
    pub(crate) fn optional(&self, i: usize) -> Option<&'t str> {
        self.cells.get(i).copied().filter(|c| !c.is_empty())
    }

    /// Cell `i` parsed as a `T`.
    pub(crate) fn parse<T: FromStr>(&self, i: usize, what: &str) -> Result<T, TableError> {
        let c = self.cell(i, what)?;
        c.parse()
            .map_err(|_| self.error(format!("column {} ({what}) is not valid: {c:?}", i + 1)))
    }

    /// Requires at most `n` cells (a stray tab or column is an error, not ignored).
    pub(crate) fn at_most(&self, n: usize) -> Result<&Self, TableError> {
        if self.cells.len() > n {
            return Err(self.error(format!(
                "{} columns, expected at most {n}",
                self.cells.len()
            )));
        }
        Ok(self)
    }
}

/// The data rows of a table: `#` comments and blank lines skipped, cells split on tabs and
/// trimmed of spaces.
pub(crate) fn rows<'t>(file: &'t str, text: &'t str) -> impl Iterator<Item = Row<'t>> {
    let mut section = "";
    text.lines().enumerate().filter_map(move |(i, l)| {
        // Most lines start with a byte that is no space: then that byte tells both whether
        // the line is a comment and that it is not blank, without trimming it.
        let (comment, blank) = match l.as_bytes().first() {
            Some(&b) if solid(b) => (b == b'#', false),
            _ => (l.trim_start().starts_with('#'), l.trim().is_empty()),
        };
        if comment {
            section = l.trim();
            return None;
        }
        (!blank).then(|| Row {
            file,
            line: i + 1,
            cells: cells_of(l),
            section,
        })
    })
}

/// The cells of a table line: split on tabs, each trimmed of spaces. A loop over the bytes,
/// not `str::split`: cells are a few bytes each, and a search call per cell made splitting
/// most of the cost of reading a table (the 41,000 rows of the cluster table are read at
/// every start-up). A tab byte is never inside a multi-byte character, so every cut falls
/// on a character boundary.
fn cells_of(line: &str) -> Vec<&str> {
    let mut cells = Vec::with_capacity(4);
    let mut start = 0;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == b'\t' {
            cells.push(trim(line.get(start..i).unwrap_or_default()));
            start = i + 1;
        }
    }
    cells.push(trim(line.get(start..).unwrap_or_default()));
    cells
}

/// Whether byte `b` starts a character that is not whitespace and is all of it (an ASCII
/// character `char::is_whitespace` rejects).
#[inline]
fn solid(b: u8) -> bool {
    b.is_ascii() && b != b' ' && !(b'\t'..=b'\r').contains(&b)
}

/// `s.trim()`, told without a search for a cell whose first and last bytes are [`solid`]
/// (nearly every cell: trimming them was a tenth of reading the tables).
#[inline]
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&z)) if solid(a) && solid(z) => s,
        _ => s.trim(),
    }
}

/// The value of a table loaded into a process-wide static. [`crate::Pipeline::new`] has
/// already run the same reader and reported any error, and the data is compiled into the
/// binary, so an error here means the pipeline was bypassed: it stops with file and line
/// (a panic, which the batch turns into a failed document), never with an empty table.
pub(crate) fn built<T>(loaded: Result<T, TableError>) -> T {
    match loaded {
        Ok(t) => t,
        Err(e) => panic!("data table error: {e}"),
    }
}

/// A table parsed once, by whichever asks first: [`check_all`] (through a module's check,
/// at `Pipeline::new`) or a stage. The check's parse is the one the stages use, so no table
/// is parsed a second time on the first document. A stage reads it through `Deref` (or
/// [`cell_value`]); an error there means the pipeline was bypassed (see [`built`]).
pub(crate) struct TableCell<T>(std::sync::LazyLock<Result<T, TableError>>);

impl<T> TableCell<T> {
    /// A table that `load` parses on first use.
    pub(crate) const fn new(load: fn() -> Result<T, TableError>) -> Self {
        TableCell(std::sync::LazyLock::new(load))
    }

    /// The parsed table, or its first bad row. Inlined: the hot look-ups (the amount
    /// lexicons, the entity filters, the tagger's word facts) reach their tables through it
    /// several hundred thousand times a MB, and a call cost more than the check itself.
    #[inline]
    fn loaded(&self) -> Result<&T, TableError> {
        self.0.as_ref().map_err(Clone::clone)
    }
}

impl<T> std::ops::Deref for TableCell<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        built(self.loaded())
    }
}

/// The check of a [`TableCell`] for [`check_all`]: parses the table if nobody has yet.
pub(crate) fn check_cell<T>(cell: &'static TableCell<T>) -> Result<(), TableError> {
    cell.loaded().map(|_| ())
}

/// The value of a [`TableCell`] (an error here means the pipeline was bypassed: see [`built`]).
pub(crate) fn cell_value<T>(cell: &'static TableCell<T>) -> &'static T {
    built(cell.loaded())
}

/// A table compiled into the binary: `(path, text)` for `data_table!("units.tsv")`.
#[macro_export]
macro_rules! data_table {
    ($name:literal) => {
        (
            concat!("data/", $name),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $name)),
        )
    };
}

/// Runs every table reader outside the facts stage once; the first bad row is the error.
pub(crate) fn check_all() -> Result<(), TableError> {
    crate::recognize::date::lexicon::check()?;
    crate::recognize::gate::check()?;
    crate::recognize::date::tense::check()?;
    crate::recognize::amount::lexicon::check()?;
    crate::recognize::amount::wire_table::check()?;
    crate::recognize::entity::cues::check()?;
    crate::recognize::entity::filters::check()?;
    crate::recognize::entity::gazetteer::check()?;
    crate::normalize::boilerplate::check()?;
    crate::segment::sentences::check()?;
    crate::segment::sentences::check_starters()?;
    crate::facts::types::check()?;
    crate::recognize::entity::tagger::check()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast trim is `str::trim`, and a solid byte is a whole non-whitespace character.
    #[test]
    fn trim_is_str_trim() {
        for b in 0u8..=255 {
            assert_eq!(
                solid(b),
                b.is_ascii() && !(b as char).is_whitespace(),
                "{b}"
            );
        }
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}a",
            "a\u{3000}",
            "\u{a0}",
            "中",
            "中 ",
            "\x0ba",
            "a\x0c",
            "a b",
            "#",
            "\u{85}x",
            "x\u{2029}",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
        // Lines as `rows` reads them: blank and comment lines, however they start.
        let text = "a\t1\n \t\n\u{3000}\n # c\n\u{3000}# d\n\x0b\n#e\n b \t 2 \n";
        let got: Vec<(usize, Vec<&str>, &str)> = rows("t.tsv", text)
            .map(|r| (r.line, r.cells, r.section))
            .collect();
        assert_eq!(
            got,
            vec![(1, vec!["a", "1"], ""), (8, vec!["b", "2"], "#e"),]
        );
    }

    #[test]
    fn the_module_example_holds() {
        let text = "# word\tvalue\nten\t10\neleven\tx\n";
        let parsed: Result<Vec<(&str, u32)>, TableError> = rows("data/numbers.tsv", text)
            .map(|r| Ok((r.cell(0, "word")?, r.parse(1, "value")?)))
            .collect();
        let err = parsed.unwrap_err();
        assert_eq!(
            err.to_string(),
            "data/numbers.tsv:3: column 2 (value) is not valid: \"x\""
        );
    }

    #[test]
    fn rows_know_their_lines_and_errors_name_them() {
        let text = "# comment\n\nten\t10\n  \neleven\t11\textra\n";
        let rs: Vec<Row> = rows("t.tsv", text).collect();
        assert_eq!(rs.iter().map(|r| r.line).collect::<Vec<_>>(), vec![3, 5]);
        assert_eq!(rs[0].parse::<u32>(1, "value"), Ok(10));
        assert_eq!(
            rs[1].at_most(2).map(|_| ()).unwrap_err().to_string(),
            "t.tsv:5: 3 columns, expected at most 2"
        );
        assert_eq!(
            rs[0].cell(2, "kind").unwrap_err().to_string(),
            "t.tsv:3: column 3 (kind) is missing"
        );
        assert_eq!(rs[0].optional(2), None);
        assert_eq!(rs[0].section, "# comment");
    }

    #[test]
    fn cells_are_what_splitting_on_tabs_gives() {
        fn split(l: &str) -> Vec<&str> {
            l.split('\t').map(str::trim).collect()
        }
        for l in [
            "",
            "\t",
            "a\t\tb",
            " a \t b ",
            "全角\t字\t",
            "\u{3000}名\u{3000}\tx",
            "one",
        ] {
            assert_eq!(cells_of(l), split(l), "{l:?}");
        }
        for (_, text) in [
            crate::data_table!("entities.tsv"),
            crate::data_table!("listed_companies.tsv"),
            crate::data_table!("models/ner-clusters.tsv"),
            crate::data_table!("boilerplate.tsv"),
        ] {
            for l in text.lines() {
                assert_eq!(cells_of(l), split(l), "{l:?}");
            }
        }
    }

    #[test]
    fn every_shipped_table_loads() {
        check_all().unwrap_or_else(|e| panic!("{e}"));
    }
}
