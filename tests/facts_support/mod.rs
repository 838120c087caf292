//! Helpers shared by the facts tests (`tests/facts_fixtures.rs`, `tests/facts_dev.rs`): the
//! floors file, maximum bipartite matching, and precision/recall tallies.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;

/// The floors of the facts tests, `tests/facts_floors.toml`, as `section.key` -> value.
pub fn floors() -> HashMap<String, f64> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/facts_floors.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut section = String::new();
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = s.trim().to_string();
        } else if let Some((k, v)) = line.split_once('=') {
            let v: f64 = v.trim().parse().unwrap_or_else(|_| {
                panic!("{}:{}: bad floor value {line:?}", path.display(), n + 1)
            });
            out.insert(format!("{section}.{}", k.trim()), v);
        } else if !line.is_empty() {
            panic!("{}:{}: not a floor line: {line:?}", path.display(), n + 1);
        }
    }
    out
}

/// The floor `key` (`section.name`); a missing one is an error, never a silent zero.
pub fn floor(floors: &HashMap<String, f64>, key: &str) -> f64 {
    *floors
        .get(key)
        .unwrap_or_else(|| panic!("no floor {key} in tests/facts_floors.toml"))
}

/// Maximum bipartite matching (Kuhn), gold `i` to prediction `j` where `adj[i]` holds `j`;
/// each used at most once. The same order as `facts_eval.py` (golds with fewer candidates
/// first, candidates in prediction order), so that even the per-type tallies agree.
pub fn matching(adj: &[Vec<usize>], preds: usize) -> Vec<(usize, usize)> {
    fn assign(
        i: usize,
        adj: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &j in &adj[i] {
            if !seen[j] {
                seen[j] = true;
                if owner[j].is_none_or(|o| assign(o, adj, owner, seen)) {
                    owner[j] = Some(i);
                    return true;
                }
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; preds];
    let mut order: Vec<usize> = (0..adj.len()).collect();
    order.sort_by_key(|&k| adj[k].len()); // stable, like Python's sorted
    for i in order {
        let mut seen = vec![false; preds];
        assign(i, adj, &mut owner, &mut seen);
    }
    owner
        .iter()
        .enumerate()
        .filter_map(|(j, o)| o.map(|i| (i, j)))
        .collect()
}

/// True positives, false positives and false negatives of one line of a score table.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Tally {
    pub fn add(&mut self, o: Tally) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    /// Precision, recall and F1 by `facts_eval.py`'s rules: with nothing predicted,
    /// precision is 1 only when nothing was missed either (and recall likewise).
    pub fn prf(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if self.tp + self.fp > 0 {
            tp / (tp + fp)
        } else if self.fn_ == 0 {
            1.0
        } else {
            0.0
        };
        let r = if self.tp + self.fn_ > 0 {
            tp / (tp + fn_)
        } else if self.fp == 0 {
            1.0
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Python's `round(x, 4)`: both it and Rust's `{:.4}` round the exact binary value.
pub fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

/// Checks measured figures against floors; returns the failures as sentences.
pub fn below_floors(floors: &HashMap<String, f64>, measured: &[(&str, f64)]) -> Vec<String> {
    measured
        .iter()
        .filter_map(|&(key, got)| {
            let want = floor(floors, key);
            (got < want).then(|| format!("{key} {got:.4} fell below its floor {want}"))
        })
        .collect()
}
