//! `newsfacts check`: compares a fresh run's tables with stored golden tables and
//! describes every difference as added, removed or changed rows.
//!
//! Rows are paired by content before offsets: first identical rows, then rows equal in
//! every column but their offsets (kind, text, value, role, subject, ...), which have only
//! moved; what is left is paired by the table's key columns (a change, shown field by
//! field) or is added or removed. Moved rows are summed up as one line per document
//! ("offsets moved by +3 from 0"), so text inserted at the top of an article does not show
//! up as dozens of added and removed rows.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::rows::Table;

/// The differences between expected and actual tables; empty when they agree.
#[derive(Debug, Default)]
pub struct Diff {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    /// Documents whose rows only moved (offsets shifted, content the same).
    pub moved: usize,
    pub text: String,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added + self.removed + self.changed + self.moved == 0
    }
}

/// The columns holding offsets into the text, which a shift of the text changes.
fn is_offset(column: &str) -> bool {
    matches!(column, "start" | "end" | "first_start" | "first_end")
}

/// Columns of free text (a mention, an evidence sentence), which an edit of the text changes.
fn is_text(column: &str) -> bool {
    matches!(column, "text" | "evidence" | "first_text")
}

fn join(names: &[&String]) -> String {
    names
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A table read back: its header and rows (cells in header order), by document.
struct Rows {
    header: Vec<String>,
    by_doc: BTreeMap<String, Vec<Vec<String>>>,
}

fn read_table(path: &Path) -> Result<Rows, String> {
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let data = data.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&data);
    let mut r = csv::Reader::from_reader(data);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(String::from)
        .collect();
    let doc_col = header.iter().position(|h| h == "doc_id").unwrap_or(0);
    let mut by_doc: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        let cells: Vec<String> = rec.iter().map(String::from).collect();
        let doc = cells.get(doc_col).cloned().unwrap_or_default();
        by_doc.entry(doc).or_default().push(cells);
    }
    Ok(Rows { header, by_doc })
}

fn show(header: &[String], cells: &[String]) -> String {
    header
        .iter()
        .zip(cells)
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Pairs rows of `exp` and `act` whose `key` is equal, in order of appearance; returns
/// the pairs and leaves the unpaired rows in place.
fn pair_by(
    exp: &mut Vec<Vec<String>>,
    act: &mut Vec<Vec<String>>,
    key: impl Fn(&[String]) -> Vec<String>,
) -> Vec<(Vec<String>, Vec<String>)> {
    pair_by_keys(exp, act, &key, &key)
}

/// [`pair_by`] with a key function for each side.
fn pair_by_keys(
    exp: &mut Vec<Vec<String>>,
    act: &mut Vec<Vec<String>>,
    exp_key: &dyn Fn(&[String]) -> Vec<String>,
    act_key: &dyn Fn(&[String]) -> Vec<String>,
) -> Vec<(Vec<String>, Vec<String>)> {
    let key = exp_key;
    let mut waiting: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    for (i, row) in act.iter().enumerate().rev() {
        waiting.entry(act_key(row)).or_default().push(i);
    }
    let mut taken = vec![false; act.len()];
    let mut pairs = Vec::new();
    let mut rest = Vec::new();
    for row in exp.drain(..) {
        match waiting.get_mut(&key(&row)).and_then(|v| v.pop()) {
            Some(i) => {
                taken[i] = true;
                pairs.push((row, std::mem::take(&mut act[i])));
            }
            None => rest.push(row),
        }
    }
    *exp = rest;
    let mut i = 0;
    act.retain(|_| {
        i += 1;
        !taken[i - 1]
    });
    pairs
}

/// How one document's rows moved: shift -> (smallest original start, rows).
type Moves = BTreeMap<i64, (i64, usize)>;

/// Everything `compare` learns, gathered so that a document's moves print as one line.
#[derive(Default)]
struct Findings {
    lines: Vec<(String, String)>,
    moves: BTreeMap<String, Moves>,
    /// Change of a document's length in characters, when that is all documents.csv says.
    longer: BTreeMap<String, String>,
}

fn compare_table(table: Table, exp: Rows, mut act: Rows, diff: &mut Diff, found: &mut Findings) {
    let name = table.file_name();
    let header = exp.header;
    let offsets: Vec<usize> = (0..header.len())
        .filter(|&i| is_offset(&header[i]))
        .collect();
    let key_idx: Vec<usize> = table
        .key_columns()
        .iter()
        .filter_map(|k| header.iter().position(|h| h == k))
        .collect();
    // Columns added or removed (a new release's tables): said once, and the rows are
    // compared on the columns both have.
    if act.header != header {
        let added: Vec<&String> = act.header.iter().filter(|h| !header.contains(h)).collect();
        let removed: Vec<&String> = header.iter().filter(|h| !act.header.contains(h)).collect();
        let mut what = Vec::new();
        if !added.is_empty() {
            what.push(format!("+ {}", join(&added)));
        }
        if !removed.is_empty() {
            what.push(format!("- {}", join(&removed)));
        }
        if what.is_empty() {
            what.push("reordered".to_string());
        }
        diff.changed += 1;
        found.lines.push((
            String::new(),
            format!("{name}: columns {}", what.join(", ")),
        ));
        let at: Vec<Option<usize>> = header
            .iter()
            .map(|h| act.header.iter().position(|a| a == h))
            .collect();
        for rows in act.by_doc.values_mut() {
            for r in rows.iter_mut() {
                *r = at
                    .iter()
                    .map(|i| i.and_then(|i| r.get(i).cloned()).unwrap_or_default())
                    .collect();
            }
        }
        act.header = header.clone();
    }
    let mut docs: Vec<String> = exp.by_doc.keys().cloned().collect();
    docs.extend(
        act.by_doc
            .keys()
            .filter(|d| !exp.by_doc.contains_key(*d))
            .cloned(),
    );
    docs.sort();
    let mut exp_by_doc = exp.by_doc;
    for doc in docs {
        let mut e = exp_by_doc.remove(&doc).unwrap_or_default();
        let mut a = act.by_doc.remove(&doc).unwrap_or_default();
        pair_by(&mut e, &mut a, |r| r.to_vec());
        let content = |r: &[String]| {
            r.iter()
                .enumerate()
                .filter(|(i, _)| !offsets.contains(i))
                .map(|(_, c)| c.clone())
                .collect()
        };
        // A move shifts every offset of a row by the same amount; anything else (a span
        // that grew) is a change.
        let mut reshaped = Vec::new();
        for (was, now) in pair_by(&mut e, &mut a, content) {
            let shift = |i: &usize| -> Option<i64> {
                Some(now.get(*i)?.parse::<i64>().ok()? - was.get(*i)?.parse::<i64>().ok()?)
            };
            let by = offsets.first().and_then(shift);
            let from = offsets
                .first()
                .and_then(|&i| was.get(i)?.parse::<i64>().ok());
            match (by, from) {
                (Some(by), Some(from))
                    if by != 0 && offsets.iter().all(|i| shift(i) == Some(by)) =>
                {
                    let m = found
                        .moves
                        .entry(doc.clone())
                        .or_default()
                        .entry(by)
                        .or_insert((from, 0));
                    m.0 = m.0.min(from);
                    m.1 += 1;
                }
                _ => reshaped.push((was, now)),
            }
        }
        let key = |r: &[String]| {
            key_idx
                .iter()
                .map(|&i| r.get(i).cloned().unwrap_or_default())
                .collect()
        };
        let mut pairs = reshaped;
        pairs.extend(pair_by(&mut e, &mut a, key));
        // Rows that changed where the text moved: paired by key at the moved offsets.
        let shifts: Vec<i64> = found
            .moves
            .get(&doc)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        for by in shifts {
            let shifted = |r: &[String]| -> Vec<String> {
                key_idx
                    .iter()
                    .map(|&i| {
                        let c = r.get(i).cloned().unwrap_or_default();
                        match c.parse::<i64>() {
                            Ok(n) if offsets.contains(&i) => (n + by).to_string(),
                            _ => c,
                        }
                    })
                    .collect()
            };
            pairs.extend(pair_by_keys(&mut e, &mut a, &shifted, &key));
        }
        // Rows whose text changed as well (a sentence that grew): paired on the other columns.
        let settled = |r: &[String]| -> Vec<String> {
            r.iter()
                .enumerate()
                .filter(|(i, _)| !offsets.contains(i) && !is_text(&header[*i]))
                .map(|(_, c)| c.clone())
                .collect()
        };
        pairs.extend(pair_by(&mut e, &mut a, settled));
        for (was, now) in pairs {
            let changes: Vec<(&String, &String, &String)> = header
                .iter()
                .zip(was.iter().zip(now.iter()))
                .filter(|(_, (x, y))| x != y)
                .map(|(h, (x, y))| (h, x, y))
                .collect();
            if table == Table::Documents && changes.len() == 1 && changes[0].0 == "chars" {
                found.longer.insert(
                    doc.clone(),
                    format!("{} -> {} characters", changes[0].1, changes[0].2),
                );
                continue;
            }
            diff.changed += 1;
            let text = changes
                .iter()
                .map(|(h, x, y)| format!("{h}: {x:?} -> {y:?}"))
                .collect::<Vec<_>>()
                .join("; ");
            let k: Vec<String> = key_idx
                .iter()
                .map(|&i| was.get(i).cloned().unwrap_or_default())
                .collect();
            found
                .lines
                .push((doc.clone(), format!("{name}: ~ [{}] {text}", k.join(" "))));
        }
        for row in e {
            diff.removed += 1;
            found
                .lines
                .push((doc.clone(), format!("{name}: - {}", show(&header, &row))));
        }
        for row in a {
            diff.added += 1;
            found.lines.push((
                doc.clone(),
                format!("{name}: + {}", show(&act.header, &row)),
            ));
        }
    }
}

/// Compares the CSV tables of `expected` and `actual` folders.
pub fn compare(expected: &Path, actual: &Path) -> Result<Diff, String> {
    let mut diff = Diff::default();
    let mut found = Findings::default();
    for table in Table::ALL {
        let name = table.file_name();
        let exp_path = expected.join(name);
        if !exp_path.exists() {
            return Err(format!(
                "{} is missing: run `newsfacts check ... --update` to create the golden files",
                exp_path.display()
            ));
        }
        let exp = read_table(&exp_path)?;
        let act = read_table(&actual.join(name))?;
        compare_table(table, exp, act, &mut diff, &mut found);
    }
    compare_jsonl(
        &expected.join("documents.jsonl"),
        &actual.join("documents.jsonl"),
        &mut diff,
        &mut found,
    )?;
    // A length change with no move (or a move with no length change) is still shown.
    for (doc, longer) in &found.longer {
        if !found.moves.contains_key(doc) {
            diff.changed += 1;
            found.lines.push((
                doc.clone(),
                format!("documents.csv: ~ [{doc}] chars: {longer}"),
            ));
        }
    }
    for (doc, moves) in &found.moves {
        diff.moved += 1;
        let shifts: Vec<String> = moves
            .iter()
            .map(|(by, (from, rows))| format!("by {by:+} from {from} ({rows} rows)"))
            .collect();
        let shifts = if shifts.is_empty() {
            vec!["in documents.jsonl".to_string()]
        } else {
            shifts
        };
        let longer = found
            .longer
            .get(doc)
            .map(|l| format!("; text {l}"))
            .unwrap_or_default();
        found.lines.push((
            doc.clone(),
            format!("{doc}: offsets moved {}{longer}", shifts.join(", ")),
        ));
    }
    // Grouped by document, in a stable order.
    found.lines.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, line) in found.lines {
        let _ = writeln!(diff.text, "{line}");
    }
    Ok(diff)
}

/// `v` without its `start`, `end` and `chars` fields at any depth: what a shift of the
/// text leaves unchanged.
fn without_offsets(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(o) => serde_json::Value::Object(
            o.iter()
                .filter(|(k, _)| !matches!(k.as_str(), "start" | "end" | "chars"))
                .map(|(k, v)| (k.clone(), without_offsets(v)))
                .collect(),
        ),
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.iter().map(without_offsets).collect())
        }
        other => other.clone(),
    }
}

/// Compares `documents.jsonl` record by record (it holds what the tables summarise, e.g.
/// every mention of an entity), naming the top-level fields that differ.
fn compare_jsonl(
    expected: &Path,
    actual: &Path,
    diff: &mut Diff,
    found: &mut Findings,
) -> Result<(), String> {
    if !expected.exists() {
        return Ok(());
    }
    let read = |p: &Path| -> Result<BTreeMap<String, serde_json::Value>, String> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
        let mut out = BTreeMap::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value =
                serde_json::from_str(line).map_err(|e| format!("{}: {e}", p.display()))?;
            let id = v
                .get("id")
                .and_then(|i| i.as_str())
                .unwrap_or_default()
                .to_string();
            out.insert(id, v);
        }
        Ok(out)
    };
    let (exp, act) = (read(expected)?, read(actual)?);
    for (id, e) in &exp {
        match act.get(id) {
            None => {
                diff.removed += 1;
                found
                    .lines
                    .push((id.clone(), format!("documents.jsonl: - {id}")));
            }
            Some(a) if a != e && without_offsets(a) == without_offsets(e) => {
                // Only offsets moved: said once, on the document's "offsets moved" line.
                found.moves.entry(id.clone()).or_default();
            }
            Some(a) if a != e => {
                let mut fields: Vec<String> = e
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter(|(k, v)| {
                                a.get(k.as_str()).map(without_offsets) != Some(without_offsets(v))
                            })
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if let (Some(eo), Some(ao)) = (e.as_object(), a.as_object()) {
                    fields.extend(ao.keys().filter(|k| !eo.contains_key(*k)).cloned());
                }
                diff.changed += 1;
                found.lines.push((
                    id.clone(),
                    format!(
                        "documents.jsonl: ~ {id}: fields {} differ",
                        fields.join(", ")
                    ),
                ));
            }
            _ => {}
        }
    }
    for id in act.keys().filter(|id| !exp.contains_key(*id)) {
        diff.added += 1;
        found
            .lines
            .push((id.clone(), format!("documents.jsonl: + {id}")));
    }
    Ok(())
}

/// Copies the golden files (tables and `documents.jsonl`) from `actual` into `expected`.
pub fn update(expected: &Path, actual: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(expected)?;
    for name in Table::ALL
        .iter()
        .map(|t| t.file_name())
        .chain(["documents.jsonl"])
    {
        let bytes = std::fs::read(actual.join(name))?;
        super::write_atomic(&expected.join(name), &bytes)?;
    }
    Ok(())
}
