//! Issue 13 at the command line: errors always reach the user, nothing is written on a
//! usage error, `check` cleans up after itself, documents over `--max-doc-mb` become failed
//! rows without stopping the batch, and no CSV text cell can start a spreadsheet formula.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;

/// Runs the binary in `dir` with `TMPDIR` pointing at `tmp` (no standard input).
fn run_in(dir: &Path, tmp: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", tmp)
        .stdin(Stdio::null())
        .output()
        .expect("run newsfacts")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn quiet_never_hides_a_failure() {
    let dir = TempDir::new("quiet");
    let tmp = TempDir::new("quiet-tmp");
    let out = run_in(
        dir.path(),
        tmp.path(),
        &["extract", "MISSING", "-o", "out", "--quiet"],
    );
    assert_exit(&out, 1);
    let err = stderr_of(&out);
    assert!(
        err.contains("MISSING") && err.contains("no such file or directory"),
        "stderr: {err}"
    );
    // Quiet still means no summary line.
    assert!(!err.contains("documents ok"), "stderr: {err}");
}

#[test]
fn extract_with_nothing_to_read_is_a_usage_error_that_writes_nothing() {
    let dir = TempDir::new("empty-folder");
    let tmp = TempDir::new("empty-folder-tmp");
    for args in [&["extract"][..], &["extract", "-q"], &["check"]] {
        let out = run_in(dir.path(), tmp.path(), args);
        assert_exit(&out, 2);
        let err = stderr_of(&out);
        assert!(err.contains("no corpus/ folder here"), "{args:?}: {err}");
        assert_eq!(entries(dir.path()), Vec::<String>::new(), "{args:?} wrote");
        assert_eq!(entries(tmp.path()), Vec::<String>::new(), "{args:?} left");
    }
}

#[test]
fn check_removes_its_temporary_folder_when_it_fails() {
    let dir = TempDir::new("check-fails");
    let tmp = TempDir::new("check-fails-tmp");
    dir.write("news/a.txt", "腾讯控股宣布以5亿美元投资一家游戏公司。\n");
    // The goldens are missing: the comparison fails after the extraction ran.
    let out = run_in(
        dir.path(),
        tmp.path(),
        &["check", "news", "--expected", "no-such-goldens"],
    );
    assert_exit(&out, 2);
    assert!(
        stderr_of(&out).contains("no-such-goldens"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
    // And when it succeeds.
    let update = run_in(
        dir.path(),
        tmp.path(),
        &["check", "news", "--expected", "gold", "--update"],
    );
    assert_exit(&update, 0);
    let same = run_in(
        dir.path(),
        tmp.path(),
        &["check", "news", "--expected", "gold"],
    );
    assert_exit(&same, 0);
    assert_eq!(entries(tmp.path()), Vec::<String>::new());
}

#[test]
fn documents_over_the_size_limit_fail_alone() {
    let dir = TempDir::new("size-limit");
    let tmp = TempDir::new("size-limit-tmp");
    let mb = 1024 * 1024;
    dir.write("in/big.txt", "中".repeat(mb)); // 3 MB
    dir.write("in/small.txt", "腾讯亏损5亿元。\n");
    let huge_line = format!(
        "{{\"id\": \"huge\", \"text\": \"{}\"}}\n",
        "x".repeat(2 * mb)
    );
    dir.write(
        "in/docs.jsonl",
        format!("{huge_line}{{\"id\": \"fine\", \"text\": \"Tesla said it would cut 10 pct of its staff.\"}}\n"),
    );
    let out = run_in(
        dir.path(),
        tmp.path(),
        &["extract", "in", "-o", "out", "--max-doc-mb", "1", "-q"],
    );
    assert_exit(&out, 1);
    let docs = read_csv(&dir.join("out/documents.csv"));
    let too_large = |id: &str| {
        let r = row(&docs, id);
        assert_eq!(r["status"], "failed", "{id}");
        assert!(
            r["error"].contains("document too large") && r["error"].contains("--max-doc-mb"),
            "{id}: {}",
            r["error"]
        );
    };
    too_large("big.txt");
    too_large("docs.jsonl#1");
    assert_eq!(row(&docs, "small.txt")["status"], "ok");
    assert_eq!(row(&docs, "fine")["status"], "ok");
    let err = stderr_of(&out);
    assert!(
        err.contains("big.txt") && err.contains("document too large"),
        "{err}"
    );
    // The default limit (64 MB) reads them all.
    let all = run_in(
        dir.path(),
        tmp.path(),
        &["extract", "in", "-o", "out2", "-q"],
    );
    assert_exit(&all, 0);
    // A limit whose offsets would not fit in 32 bits is refused before anything is read.
    let wide = run_in(
        dir.path(),
        tmp.path(),
        &["extract", "in", "-o", "out3", "--max-doc-mb", "5000"],
    );
    assert_exit(&wide, 2);
    assert!(stderr_of(&wide).contains("--max-doc-mb"));
    assert!(!dir.join("out3").exists());
}

#[test]
fn no_csv_text_cell_starts_a_formula() {
    let dir = TempDir::new("formulas");
    let tmp = TempDir::new("formulas-tmp");
    let text = "=HYPERLINK(\"http://evil.example\",\"click\") Acme Corp said its net loss was 3.2 mln dlrs.\n\
                -2+3+cmd|' /C calc'!A0 Tesla said it would cut 10 pct of its staff.\n\
                @SUM(1+1)*cmd|' /C calc'!A0 腾讯亏损5亿元。\n\
                +1+1 Google agreed to buy Wiz for $32 billion.\n";
    dir.write("in/=evil.txt", text);
    let out = run_in(
        dir.path(),
        tmp.path(),
        &["extract", "in", "-o", "out", "-q"],
    );
    assert_exit(&out, 0);
    let starts_formula = |c: &str| c.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut guarded = 0;
    for table in ["documents", "entities", "amounts", "dates", "facts"] {
        let path = dir.join(&format!("out/{table}.csv"));
        for r in read_csv(&path) {
            for (col, cell) in &r {
                let numeric = matches!(
                    col.as_str(),
                    "value"
                        | "max"
                        | "percent"
                        | "start"
                        | "end"
                        | "chars"
                        | "entities"
                        | "amounts"
                        | "dates"
                        | "facts"
                        | "mentions"
                        | "first_start"
                        | "first_end"
                );
                if numeric {
                    assert!(
                        cell.is_empty() || cell.parse::<f64>().is_ok(),
                        "{table}.{col}: {cell}"
                    );
                } else {
                    assert!(!starts_formula(cell), "{table}.{col}: {cell}");
                    guarded += usize::from(cell.starts_with('\''));
                }
            }
        }
    }
    // The ids (from the file name) and the evidence of the facts were guarded.
    assert!(guarded >= 3, "only {guarded} guarded cells");
    let facts = read_csv(&dir.join("out/facts.csv"));
    assert!(
        facts
            .iter()
            .any(|f| f["evidence"].starts_with("'=HYPERLINK(")),
        "{facts:?}"
    );
    // JSON keeps the exact text.
    let json = std::fs::read_to_string(dir.join("out/documents.jsonl")).expect("jsonl");
    let doc: serde_json::Value =
        serde_json::from_str(json.lines().next().expect("a line")).expect("json");
    assert_eq!(doc["id"], "=evil.txt");
    // --raw-csv writes the cells as they are.
    let raw = run_in(
        dir.path(),
        tmp.path(),
        &["extract", "in", "-o", "raw", "-q", "--raw-csv"],
    );
    assert_exit(&raw, 0);
    let facts = read_csv(&dir.join("raw/facts.csv"));
    assert!(
        facts
            .iter()
            .any(|f| f["evidence"].starts_with("=HYPERLINK(")),
        "{facts:?}"
    );
    assert!(facts.iter().all(|f| f["doc_id"] == "=evil.txt"));
}
