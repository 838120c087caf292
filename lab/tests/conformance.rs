//! Conformance floors: runs every peer suite of `../shared/conformance/` through the
//! pipeline, prints a table (file, cases, passed, pass %), and fails when a file's pass
//! rate falls below its floor in `tests/conformance_floors.toml`. Floors only go up: raise
//! one to the measured rate (rounded down to 0.1 %) whenever a change improves it.
//! Cases believed wrong are listed in `tests/conformance_disputed.tsv` (still counted).
//! `CONFORMANCE_VERBOSE=1` also lists the failing case ids.

use std::collections::BTreeMap;

use newsfacts_lab::conformance::{default_dir, files, Runner};

/// `file = rate` lines of the floors file.
fn floors() -> BTreeMap<String, f64> {
    let text = include_str!("conformance_floors.toml");
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('[') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("bad floors line: {line}"));
        let k = k.trim().trim_matches('"').to_string();
        let v: f64 = v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("bad floor value in: {line}"));
        out.insert(k, v);
    }
    out
}

#[test]
fn conformance_rates_hold_their_floors() {
    let dir = default_dir();
    let paths = files(&dir).unwrap_or_else(|e| panic!("conformance suites missing: {e}"));
    assert!(
        !paths.is_empty(),
        "no conformance files in {}",
        dir.display()
    );
    let floors = floors();
    let mut runner = Runner::new();
    let mut failures = Vec::new();
    println!(
        "{:<34} {:>6} {:>6} {:>7} {:>7} {:>7}",
        "file", "cases", "pass", "pass %", "floor", "items %"
    );
    for path in &paths {
        let rep = runner.run_file(path).unwrap_or_else(|e| panic!("{e}"));
        let floor = floors.get(&rep.file).copied();
        let items = if rep.items == 0 {
            0.0
        } else {
            100.0 * rep.matched as f64 / rep.items as f64
        };
        println!(
            "{:<34} {:>6} {:>6} {:>7.1} {:>7} {:>7.1}",
            rep.file,
            rep.cases,
            rep.passed,
            rep.pass_rate(),
            floor
                .map(|f| format!("{f:.1}"))
                .unwrap_or_else(|| "-".into()),
            items
        );
        let feasts: Vec<&str> = include_str!("conformance_other_calendar_feasts.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let left_out: Vec<&(String, bool)> = rep
            .holidays
            .iter()
            .filter(|(h, _)| feasts.contains(&h.as_str()))
            .collect();
        if !left_out.is_empty() {
            let cases = rep.cases - left_out.len();
            let passed = rep.passed - left_out.iter().filter(|(_, p)| *p).count();
            println!(
                "{:<34} {:>6} {:>6} {:>7.1}   (without {} cases of other-calendar feasts)",
                format!("  {}", rep.file.trim_end_matches(".jsonl")),
                cases,
                passed,
                100.0 * passed as f64 / cases.max(1) as f64,
                left_out.len()
            );
        }
        match floor {
            None => failures.push(format!(
                "{}: no floor in tests/conformance_floors.toml",
                rep.file
            )),
            Some(f) if rep.pass_rate_floor() + 1e-9 < f => failures.push(format!(
                "{}: pass rate {:.1} % is below its floor {f:.1} %",
                rep.file,
                rep.pass_rate()
            )),
            _ => {}
        }
        if std::env::var_os("CONFORMANCE_VERBOSE").is_some() {
            for id in &rep.failed_ids {
                println!("    FAIL {id}");
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
