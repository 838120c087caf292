//! `report.json`: what a run did: documents ok/failed/skipped, bytes, speed, counts per
//! kind and every failure with its reason.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::document::{Document, Status};

#[derive(Debug, Clone, Default, Serialize)]
pub struct DocumentCounts {
    pub ok: usize,
    pub failed: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    pub doc_id: String,
    pub path: String,
    pub error: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub entities: BTreeMap<String, usize>,
    pub amounts: BTreeMap<String, usize>,
    pub dates: BTreeMap<String, usize>,
    pub facts: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub version: String,
    pub started: String,
    pub seconds: f64,
    pub documents: DocumentCounts,
    pub bytes: u64,
    /// Megabytes (10^6 bytes) of input per second.
    pub throughput: f64,
    pub threads: usize,
    pub counts: Counts,
    pub failures: Vec<Failure>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Failure>,
}

/// Adds one to `key`'s count, allocating its name only the first time it is seen.
fn count(counts: &mut BTreeMap<String, usize>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

impl Report {
    pub fn new(started: String, threads: usize) -> Report {
        Report {
            version: env!("CARGO_PKG_VERSION").to_string(),
            started,
            threads,
            ..Default::default()
        }
    }

    /// Adds one document's numbers.
    pub fn add(&mut self, doc: &Document, bytes: usize) {
        self.bytes += bytes as u64;
        match doc.status {
            Status::Ok => self.documents.ok += 1,
            Status::Failed => {
                self.documents.failed += 1;
                self.failures.push(Failure {
                    doc_id: doc.id.clone(),
                    path: doc.path.clone(),
                    error: doc.error.clone().unwrap_or_default(),
                });
            }
        }
        for w in &doc.warnings {
            self.warnings.push(Failure {
                doc_id: doc.id.clone(),
                path: doc.path.clone(),
                error: w.clone(),
            });
        }
        for e in &doc.entities {
            count(&mut self.counts.entities, e.kind.as_str());
        }
        for a in &doc.amounts {
            count(&mut self.counts.amounts, a.kind.as_str());
        }
        for d in &doc.dates {
            count(&mut self.counts.dates, d.kind.as_str());
        }
        for f in &doc.facts {
            count(&mut self.counts.facts, f.kind.as_str());
        }
    }

    pub fn finish(&mut self, seconds: f64, skipped: usize) {
        self.seconds = (seconds * 1000.0).round() / 1000.0;
        self.documents.skipped = skipped;
        self.throughput = if seconds > 0.0 {
            ((self.bytes as f64 / 1e6 / seconds) * 1000.0).round() / 1000.0
        } else {
            0.0
        };
    }

    /// The one-line summary printed at the end of a run.
    pub fn summary(&self) -> String {
        let n = |m: &BTreeMap<String, usize>| m.values().sum::<usize>();
        format!(
            "newsfacts: {} documents ok, {} failed, {} skipped; {} entities, {} amounts, {} dates, {} facts; {:.2} MB in {:.2} s ({:.2} MB/s, {} threads)",
            self.documents.ok,
            self.documents.failed,
            self.documents.skipped,
            n(&self.counts.entities),
            n(&self.counts.amounts),
            n(&self.counts.dates),
            n(&self.counts.facts),
            self.bytes as f64 / 1e6,
            self.seconds,
            self.throughput,
            self.threads
        )
    }
}
