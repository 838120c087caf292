//! The CSV tables of SPEC §4: headers and one document's rows for each.

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
                "doc_id", "fact_id", "type", "subject", "object", "value", "unit", "display",
                "percent", "date", "evidence", "start", "end",
            ],
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
                    f.kind.clone(),
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
                ]
            })
            .collect(),
    }
}

/// One document's rows for `table`, encoded as CSV bytes (no header).
pub fn encode_rows(table: Table, doc: &Document) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for row in rows(table, doc) {
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}
