//! Business facts on the dev set `../shared/data/facts/dev.jsonl` (233 real news paragraphs,
//! annotated independently of newsfacts), scored by exactly the rules of the reference
//! scorer `../shared/tools/facts_eval.py`, with floors that only go up.
//!
//! Every gold paragraph runs through the library pipeline (with the gold line's document
//! date when it has one, as `facts_eval.py --cmd` sends it). Each produced fact is read in
//! its JSON form (SPEC §4: `type`, `subject`, `object`, `value`, `unit`), as the scorer
//! reads the command's output, and matched per paragraph by maximum bipartite matching:
//!
//! - lenient: same type (`penalty` read as `fine`); the predicted subject, or one of its
//!   `;`-separated parts, is one of the gold subject names; when gold has a value, the
//!   predicted value is within 0.5 % of it and the currency agrees when both are given;
//!   for partnership, contract and fine the subject may match either side;
//! - strict: lenient, and when gold has an object, one predicted object part is one of the
//!   gold object names (either side for the symmetric types).
//!
//! Names are compared after NFKC, lower-casing and keeping only letters and digits.
//! Scores are micro-averaged: overall, per language and per type. The test prints the
//! same lines as `facts_eval.py --verbose` (the table, every miss and false positive, the
//! summary line) and fails below the `[dev]` floors of `tests/facts_floors.toml`: lenient
//! precision, recall and F1, and strict F1. A second test hands the same predictions to
//! `facts_eval.py --pred` and checks that it counts exactly what this file counts.
//!
//! Run: `cargo test --release --test facts_dev -- --nocapture`

mod facts_support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use facts_support::{below_floors, floors, matching, round4, Tally};
use newsfacts::{Config, Pipeline, Source};
use serde_json::{json, Value};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Types whose subject may match either gold side (`SYMMETRIC` of `facts_eval.py`).
const SYMMETRIC: &[&str] = &["partnership", "contract", "fine"];
/// Relative value tolerance (`REL_TOL`).
const REL_TOL: f64 = 0.005;
/// The fact types in the scorer's print order (`TYPES`).
const TYPES: &[&str] = &[
    "valuation",
    "investment",
    "acquisition",
    "funding_round",
    "revenue",
    "profit",
    "contract",
    "lawsuit",
    "hire",
    "departure",
    "layoff",
    "commission",
    "fine",
    "ipo",
    "partnership",
];

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn gold_path() -> PathBuf {
    let path = shared().join("data/facts/dev.jsonl");
    assert!(
        path.exists(),
        "the facts dev set {} is missing: tests/facts_dev.rs reads ../shared/data/facts/dev.jsonl \
         (the shared data folder beside the project); run from a checkout that has ../shared",
        path.display()
    );
    path
}

/// Python's `str.isalnum` for one character: letters and numbers. Rust's
/// `is_alphanumeric` also counts the combining marks that are Other_Alphabetic (vowel
/// signs), which Python does not.
fn is_alnum(c: char) -> bool {
    c.is_alphanumeric() && !is_combining_mark(c)
}

/// `norm`: NFKC, lower case, letters and digits only.
fn norm(s: &str) -> String {
    s.nfkc()
        .collect::<String>()
        .to_lowercase()
        .chars()
        .filter(|&c| is_alnum(c))
        .collect()
}

/// `names`: a name field (null, a string, a number, or a list of them) as its names, each
/// string split at `;` (or `；`) and trimmed.
fn names(x: &Value) -> Vec<String> {
    let text = match x {
        Value::Null => return Vec::new(),
        Value::Array(items) => return items.iter().flat_map(names).collect(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => (if *b { "True" } else { "False" }).to_string(),
        other => other.to_string(),
    };
    text.replace('；', ";")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `hit`: does one predicted name equal (normalised) one gold name?
fn hit(pred: &Value, gold: &Value) -> bool {
    let gold: Vec<String> = names(gold).iter().map(|n| norm(n)).collect();
    names(pred)
        .iter()
        .map(|n| norm(n))
        .any(|n| !n.is_empty() && gold.contains(&n))
}

/// Python's truth value of a JSON field (null, "", [] and {} are false).
fn truthy(x: &Value) -> bool {
    match x {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `to_float`: a number, or a string of one (commas allowed); booleans are not numbers.
fn to_float(x: &Value) -> Option<f64> {
    match x {
        Value::Number(n) => n.to_string().parse().ok(),
        Value::String(s) => s.replace(',', "").trim().parse().ok(),
        _ => None,
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= if b != 0.0 { REL_TOL * b.abs() } else { 1e-9 })
}

fn str_of<'a>(x: &'a Value, key: &str) -> &'a str {
    x[key].as_str().unwrap_or("")
}

/// The predicted type, lower-cased, with `penalty` read as `fine`.
fn pred_type(p: &Value) -> String {
    let t = str_of(p, "type").to_lowercase();
    if t == "penalty" {
        "fine".to_string()
    } else {
        t
    }
}

fn lenient(g: &Value, p: &Value) -> bool {
    let gtype = str_of(g, "type");
    if pred_type(p) != gtype {
        return false;
    }
    let symmetric = SYMMETRIC.contains(&gtype);
    let ok = hit(&p["subject"], &g["subject"])
        || (symmetric && truthy(&g["object"]) && hit(&p["subject"], &g["object"]));
    if !ok {
        return false;
    }
    if !g["value"].is_null() {
        let Some(want) = to_float(&g["value"]) else {
            panic!("gold value {} is not a number", g["value"]);
        };
        if !close(to_float(&p["value"]), want) {
            return false;
        }
        let pcur = [&p["unit"], &p["currency"]]
            .into_iter()
            .find(|v| truthy(v))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_uppercase();
        let gcur = str_of(g, "currency");
        if !gcur.is_empty() && !pcur.is_empty() && pcur != gcur.to_uppercase() {
            return false;
        }
    }
    true
}

fn strict(g: &Value, p: &Value) -> bool {
    if !lenient(g, p) {
        return false;
    }
    !truthy(&g["object"])
        || hit(&p["object"], &g["object"])
        || (SYMMETRIC.contains(&str_of(g, "type")) && hit(&p["object"], &g["subject"]))
}

/// Python's `repr` of a float: shortest round-trip digits, `.0` on whole numbers, an
/// exponent from 1e16 up and below 1e-4.
fn py_float(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e16 || x.abs() < 1e-4) {
        let s = format!("{x:e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.parse().unwrap_or(0);
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    } else if x.fract() == 0.0 {
        format!("{x:.1}")
    } else {
        format!("{x}")
    }
}

/// A JSON value as Python prints it after `json.loads`.
fn py_value(x: &Value) -> String {
    match x {
        Value::Null => "None".into(),
        Value::Number(n) => {
            let s = n.to_string();
            if s.contains(['.', 'e', 'E']) {
                s.parse().map(py_float).unwrap_or(s)
            } else {
                s
            }
        }
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `describe`: one line for a miss or a false positive.
fn describe(f: &Value) -> String {
    let first = |k: &str| {
        names(&f[k])
            .into_iter()
            .next()
            .unwrap_or_else(|| "None".into())
    };
    let cur = [&f["currency"], &f["unit"]]
        .into_iter()
        .find(|v| truthy(v))
        .map(py_value)
        .unwrap_or_default();
    format!(
        "{} {} -> {} value={} {cur}",
        py_value(&f["type"]),
        first("subject"),
        first("object"),
        py_value(&f["value"])
    )
    .trim_end()
    .to_string()
}

/// The gold paragraphs and, for each, the produced facts in their JSON form.
struct Run {
    gold_name: String,
    gold: Vec<Value>,
    preds: Vec<Vec<Value>>,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let path = gold_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let gold: Vec<Value> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| {
                serde_json::from_str(l).unwrap_or_else(|e| {
                    panic!("{}:{}: not a JSON line: {e}", path.display(), n + 1)
                })
            })
            .collect();
        let pipeline = Pipeline::new(Config::default()).expect("tables and models load");
        let preds = gold
            .iter()
            .map(|g| {
                let mut source = Source::from_text(str_of(g, "doc_id"), str_of(g, "text"));
                if truthy(&g["date"]) {
                    source = source.with_date(str_of(g, "date"));
                }
                pipeline
                    .process(&source)
                    .facts
                    .iter()
                    .map(|f| serde_json::to_value(f).expect("a fact serialises"))
                    .collect()
            })
            .collect();
        Run {
            gold_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            gold,
            preds,
        }
    })
}

/// Counts per mode (`lenient`, `strict`) and key (`all`, `lang:…`, `type:…`), and the
/// verbose lines of the lenient mode.
struct Counts {
    tallies: BTreeMap<(&'static str, String), Tally>,
    errors: Vec<String>,
}

fn count(run: &Run) -> Counts {
    type Rule = fn(&Value, &Value) -> bool;
    let mut tallies: BTreeMap<(&'static str, String), Tally> = BTreeMap::new();
    let mut errors = Vec::new();
    for (g, pf) in run.gold.iter().zip(&run.preds) {
        let gf: Vec<Value> = g["facts"].as_array().cloned().unwrap_or_default();
        for (mode, rule) in [("lenient", lenient as Rule), ("strict", strict as Rule)] {
            let adj: Vec<Vec<usize>> = gf
                .iter()
                .map(|x| (0..pf.len()).filter(|&j| rule(x, &pf[j])).collect())
                .collect();
            let pairs = matching(&adj, pf.len());
            let matched_gold: Vec<bool> = (0..gf.len())
                .map(|i| pairs.iter().any(|&(gi, _)| gi == i))
                .collect();
            let matched_pred: Vec<bool> = (0..pf.len())
                .map(|j| pairs.iter().any(|&(_, pj)| pj == j))
                .collect();
            let lang = format!("lang:{}", g["lang"].as_str().unwrap_or("?"));
            for key in ["all".to_string(), lang] {
                tallies.entry((mode, key)).or_default().add(Tally {
                    tp: pairs.len(),
                    fp: pf.len() - pairs.len(),
                    fn_: gf.len() - pairs.len(),
                });
            }
            for (x, hit) in gf.iter().zip(&matched_gold) {
                let t = tallies
                    .entry((mode, format!("type:{}", str_of(x, "type"))))
                    .or_default();
                if *hit {
                    t.tp += 1
                } else {
                    t.fn_ += 1
                }
            }
            for (x, _) in pf.iter().zip(&matched_pred).filter(|(_, m)| !**m) {
                tallies
                    .entry((mode, format!("type:{}", pred_type(x))))
                    .or_default()
                    .fp += 1;
            }
            if mode == "lenient" {
                let id = str_of(g, "doc_id");
                errors.extend(
                    gf.iter()
                        .zip(&matched_gold)
                        .filter(|(_, m)| !**m)
                        .map(|(x, _)| format!("{id}\tMISS\t{}", describe(x))),
                );
                errors.extend(
                    pf.iter()
                        .zip(&matched_pred)
                        .filter(|(_, m)| !**m)
                        .map(|(x, _)| format!("{id}\tFALSE+\t{}", describe(x))),
                );
            }
        }
    }
    Counts { tallies, errors }
}

/// `prf` rounded as the scorer rounds (4 decimals).
fn rounded(t: Tally) -> (f64, f64, f64) {
    let (p, r, f) = t.prf();
    (round4(p), round4(r), round4(f))
}

impl Counts {
    fn get(&self, mode: &'static str, key: &str) -> Tally {
        self.tallies
            .get(&(mode, key.to_string()))
            .copied()
            .unwrap_or_default()
    }

    /// The printed keys: all, the languages, the types (scorer order) that occur.
    fn keys(&self) -> Vec<String> {
        let present = |k: &str| self.tallies.contains_key(&("lenient", k.to_string()));
        let mut keys = vec!["all".to_string()];
        keys.extend(
            self.tallies
                .keys()
                .filter(|(m, k)| *m == "lenient" && k.starts_with("lang:"))
                .map(|(_, k)| k.clone()),
        );
        keys.extend(
            TYPES
                .iter()
                .map(|t| format!("type:{t}"))
                .filter(|k| present(k)),
        );
        keys
    }
}

#[test]
fn facts_dev_set_meets_floors() {
    let run = run();
    let counts = count(run);
    let facts: usize = run
        .gold
        .iter()
        .map(|g| g["facts"].as_array().map_or(0, Vec::len))
        .sum();
    println!(
        "gold {}: {} paragraphs, {facts} facts; predictions for {}",
        run.gold_name,
        run.gold.len(),
        run.preds.len()
    );
    println!(
        "{:<22}{:>5}{:>5}{:>5}{:>7}{:>7}{:>7}   strict F1",
        "", "tp", "fp", "fn", "P", "R", "F1"
    );
    for key in counts.keys() {
        let t = counts.get("lenient", &key);
        let (p, r, f) = rounded(t);
        let (_, _, sf) = rounded(counts.get("strict", &key));
        println!(
            "{key:<22}{:>5}{:>5}{:>5}{p:>7.3}{r:>7.3}{f:>7.3}   {sf:.3}",
            t.tp, t.fp, t.fn_
        );
    }
    for line in &counts.errors {
        println!("{line}");
    }
    let (p, r, f) = rounded(counts.get("lenient", "all"));
    let (_, _, sf) = rounded(counts.get("strict", "all"));
    println!("facts: F1 {f:.3} (P {p:.3} R {r:.3}), strict F1 {sf:.3}");
    let measured = [
        ("dev.lenient_precision", p),
        ("dev.lenient_recall", r),
        ("dev.lenient_f1", f),
        ("dev.strict_f1", sf),
    ];
    println!("measured, for tests/facts_floors.toml:\n[dev]");
    for (key, v) in measured {
        println!("{} = {v:.4}", key.trim_start_matches("dev."));
    }
    let failures = below_floors(&floors(), &measured);
    assert!(failures.is_empty(), "{}", failures.join("; "));
}

/// The reference scorer, given the very predictions this file scored, counts the same:
/// every tp/fp/fn and every rounded P, R and F1 of every line, both modes.
#[test]
fn facts_dev_scoring_equals_the_reference_scorer() {
    let run = run();
    let counts = count(run);
    let tool = shared().join("tools/facts_eval.py");
    assert!(
        tool.exists(),
        "the reference scorer {} is missing (the shared folder beside the project)",
        tool.display()
    );
    let dir = std::env::temp_dir().join(format!("newsfacts-facts-dev-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a temp folder");
    let (pred_path, json_path) = (dir.join("pred.jsonl"), dir.join("scores.json"));
    let lines: Vec<String> = run
        .gold
        .iter()
        .zip(&run.preds)
        .map(|(g, facts)| json!({"id": g["doc_id"], "facts": facts}).to_string())
        .collect();
    std::fs::write(&pred_path, lines.join("\n") + "\n").expect("write predictions");
    let out = std::process::Command::new("python3")
        .arg(&tool)
        .arg("--gold")
        .arg(gold_path())
        .arg("--pred")
        .arg(&pred_path)
        .arg("--json")
        .arg(&json_path)
        .output()
        .expect("python3 is needed to run the reference scorer");
    assert!(
        out.status.success(),
        "facts_eval.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(&json_path).expect("facts_eval.py wrote its JSON"),
    )
    .expect("facts_eval.py's JSON parses");
    let _ = std::fs::remove_dir_all(&dir);
    let mut differences = Vec::new();
    for mode in ["lenient", "strict"] {
        let theirs = summary[mode].as_object().cloned().unwrap_or_default();
        let ours = counts.keys();
        if theirs.len() != ours.len() || ours.iter().any(|k| !theirs.contains_key(k)) {
            differences.push(format!(
                "{mode}: lines {:?} vs ours {ours:?}",
                theirs.keys().collect::<Vec<_>>()
            ));
        }
        for key in ours {
            let t = counts.get(mode, &key);
            let (p, r, f) = rounded(t);
            let want = json!({"tp": t.tp, "fp": t.fp, "fn": t.fn_,
                              "precision": p, "recall": r, "f1": f});
            let got = &summary[mode][&key];
            let same = ["tp", "fp", "fn"].iter().all(|k| got[k] == want[k])
                && ["precision", "recall", "f1"]
                    .iter()
                    .all(|k| got[k].as_f64() == want[k].as_f64());
            if !same {
                differences.push(format!("{mode} {key}: facts_eval.py {got}, ours {want}"));
            }
        }
    }
    assert!(
        summary["missing_documents"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "facts_eval.py found no prediction for {}",
        summary["missing_documents"]
    );
    assert!(
        differences.is_empty(),
        "the scoring differs from facts_eval.py:\n{}",
        differences.join("\n")
    );
}

#[test]
fn scorer_rules_on_small_cases() {
    assert_eq!(norm("Ｓｃａｌｅ AI, Inc."), "scaleaiinc");
    assert_eq!(norm("快看世界（北京）科技"), "快看世界北京科技");
    assert_eq!(names(&json!(["A； B", null, "C"])), ["A", "B", "C"]);
    let gold = json!({"type": "profit", "subject": ["Admac Inc", "Admac"], "object": null,
                      "value": -7377000, "currency": "USD"});
    let loss = json!({"type": "profit", "subject": "ADMAC", "value": -7377000, "unit": "USD"});
    let gain = json!({"type": "profit", "subject": "Admac", "value": 7377000, "unit": "USD"});
    let other = json!({"type": "profit", "subject": "Admac", "value": -7377000, "unit": "CAD"});
    let bare = json!({"type": "profit", "subject": "Admac", "value": -7400000});
    assert!(lenient(&gold, &loss) && !lenient(&gold, &gain) && !lenient(&gold, &other));
    assert!(lenient(&gold, &bare), "0.3 % off and no currency given");
    let fine = json!({"type": "fine", "subject": ["Meta"], "object": ["European Commission"]});
    let penalty = json!({"type": "PENALTY", "subject": "European Commission", "object": "Meta"});
    assert!(
        strict(&fine, &penalty),
        "penalty is fine; fine sides are symmetric"
    );
    let suit = json!({"type": "lawsuit", "subject": ["Scale AI"], "object": ["Mercor"]});
    let wrong = json!({"type": "lawsuit", "subject": "Scale AI; Ling", "object": "Ling"});
    assert!(lenient(&suit, &wrong) && !strict(&suit, &wrong));
    assert_eq!(py_float(1.5e9), "1500000000.0");
    assert_eq!(py_float(2.5e16), "2.5e+16");
    assert_eq!(py_float(28.6), "28.6");
    assert_eq!(matching(&[vec![0, 1], vec![0]], 2).len(), 2);
}
