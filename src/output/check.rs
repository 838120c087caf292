//! `newsfacts check`: compares a fresh run's tables with stored golden tables and
//! describes every difference as added, removed or changed rows.

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
    pub text: String,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added + self.removed + self.changed == 0
    }
}

type Rows = BTreeMap<Vec<String>, Vec<(String, String)>>;

fn read_table(path: &Path, table: Table) -> Result<Rows, String> {
    let mut rows = Rows::new();
    let data = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let data = data.strip_prefix("\u{FEFF}".as_bytes()).unwrap_or(&data);
    let mut r = csv::Reader::from_reader(data);
    let header: Vec<String> = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(String::from)
        .collect();
    let key_idx: Vec<usize> = table
        .key_columns()
        .iter()
        .filter_map(|k| header.iter().position(|h| h == k))
        .collect();
    for rec in r.records() {
        let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
        let mut key: Vec<String> = key_idx
            .iter()
            .map(|&i| rec.get(i).unwrap_or("").to_string())
            .collect();
        while rows.contains_key(&key) {
            key.push("dup".into());
        }
        let cells = header
            .iter()
            .cloned()
            .zip(rec.iter().map(String::from))
            .collect();
        rows.insert(key, cells);
    }
    Ok(rows)
}

fn show(cells: &[(String, String)]) -> String {
    cells
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Compares the CSV tables of `expected` and `actual` folders.
pub fn compare(expected: &Path, actual: &Path) -> Result<Diff, String> {
    let mut diff = Diff::default();
    for table in Table::ALL {
        let name = table.file_name();
        let exp_path = expected.join(name);
        if !exp_path.exists() {
            return Err(format!(
                "{} is missing: run `newsfacts check ... --update` to create the golden files",
                exp_path.display()
            ));
        }
        let exp = read_table(&exp_path, table)?;
        let act = read_table(&actual.join(name), table)?;
        for (key, cells) in &exp {
            match act.get(key) {
                None => {
                    diff.removed += 1;
                    let _ = writeln!(diff.text, "{name}: - {}", show(cells));
                }
                Some(now) if now != cells => {
                    diff.changed += 1;
                    let changes: Vec<String> = cells
                        .iter()
                        .zip(now.iter())
                        .filter(|(a, b)| a != b)
                        .map(|((k, a), (_, b))| format!("{k}: {a:?} -> {b:?}"))
                        .collect();
                    let _ = writeln!(
                        diff.text,
                        "{name}: ~ [{}] {}",
                        key.join(" "),
                        changes.join("; ")
                    );
                }
                _ => {}
            }
        }
        for (key, cells) in &act {
            if !exp.contains_key(key) {
                diff.added += 1;
                let _ = writeln!(diff.text, "{name}: + {}", show(cells));
            }
        }
    }
    compare_jsonl(
        &expected.join("documents.jsonl"),
        &actual.join("documents.jsonl"),
        &mut diff,
    )?;
    Ok(diff)
}

/// Compares `documents.jsonl` record by record (it holds what the tables summarise, e.g.
/// every mention of an entity), naming the top-level fields that differ.
fn compare_jsonl(expected: &Path, actual: &Path, diff: &mut Diff) -> Result<(), String> {
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
                let _ = writeln!(diff.text, "documents.jsonl: - {id}");
            }
            Some(a) if a != e => {
                let fields: Vec<String> = e
                    .as_object()
                    .map(|o| {
                        o.iter()
                            .filter(|(k, v)| a.get(k.as_str()) != Some(*v))
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                diff.changed += 1;
                let _ = writeln!(
                    diff.text,
                    "documents.jsonl: ~ {id}: fields {} differ",
                    fields.join(", ")
                );
            }
            _ => {}
        }
    }
    for id in act.keys().filter(|id| !exp.contains_key(*id)) {
        diff.added += 1;
        let _ = writeln!(diff.text, "documents.jsonl: + {id}");
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
