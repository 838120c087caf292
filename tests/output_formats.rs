//! Outputs analysts open: `--format xlsx,parquet` (read back with calamine and the
//! parquet crate), input metadata carried through, plain progress lines in a log, and
//! `check` reporting a shift of offsets as one line.

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;

use calamine::{open_workbook, Data, Reader, Xlsx};
use common::*;
use parquet::basic::{LogicalType, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};

const TABLES: [&str; 5] = ["documents", "entities", "amounts", "dates", "facts"];

fn extract_all(dir: &TempDir) -> std::path::PathBuf {
    let out = dir.join("out");
    let o = run(
        &[
            "extract",
            "corpus",
            "-o",
            out.to_str().unwrap(),
            "--format",
            "csv,jsonl,xlsx,parquet",
            "--date",
            "2025-09-05",
            "-q",
        ],
        None,
    );
    assert_exit(&o, 0);
    out
}

/// The column of `header` named `name`.
fn col(header: &[Data], name: &str) -> usize {
    header
        .iter()
        .position(|h| matches!(h, Data::String(s) if s == name))
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn xlsx_and_parquet_hold_the_csv_tables_with_types() {
    let dir = TempDir::new("formats");
    let out = extract_all(&dir);

    // xlsx: one sheet per table, header = CSV header, same rows.
    let mut wb: Xlsx<_> = open_workbook(out.join("newsfacts.xlsx")).expect("open newsfacts.xlsx");
    assert_eq!(wb.sheet_names(), TABLES.to_vec());
    for table in TABLES {
        let csv_path = out.join(format!("{table}.csv"));
        let range = wb.worksheet_range(table).expect("sheet");
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(header, csv_header(&csv_path), "{table} header");
        assert_eq!(
            range.height() - 1,
            read_csv(&csv_path).len(),
            "{table} rows"
        );
    }
    let amounts = wb.worksheet_range("amounts").unwrap();
    let rows: Vec<&[Data]> = amounts.rows().collect();
    let (text, value, start) = (
        col(rows[0], "text"),
        col(rows[0], "value"),
        col(rows[0], "start"),
    );
    let money = rows
        .iter()
        .find(|r| matches!(&r[text], Data::String(s) if s == "143億美元"))
        .expect("143億美元 row, Chinese intact");
    assert_eq!(
        money[value],
        Data::Float(14_300_000_000.0),
        "value is a number"
    );
    assert!(
        matches!(money[start], Data::Float(_)),
        "offsets are numbers"
    );
    // Text stays text even when it looks like a number (the doc_id, names).
    assert!(matches!(money[0], Data::String(_)));
    let docs = wb.worksheet_range("documents").unwrap();
    let drows: Vec<&[Data]> = docs.rows().collect();
    let date = col(drows[0], "doc_date");
    assert!(
        matches!(drows[1][date], Data::DateTime(_)),
        "a day date is a date cell: {:?}",
        drows[1][date]
    );
    let entities = wb.worksheet_range("entities").unwrap();
    assert!(entities
        .rows()
        .any(|r| r.iter().any(|c| matches!(c, Data::String(s) if s.contains("台積電") || s.contains("台积电") || s.contains("爱彼迎")))),
        "Chinese entity names intact");

    // Parquet: same row counts, typed columns.
    for table in TABLES {
        let reader = SerializedFileReader::new(
            File::open(out.join(format!("{table}.parquet"))).expect("parquet file"),
        )
        .expect("valid parquet");
        let rows: i64 = reader.metadata().file_metadata().num_rows();
        assert_eq!(
            rows as usize,
            read_csv(&out.join(format!("{table}.csv"))).len(),
            "{table}.parquet rows"
        );
        let schema = reader.metadata().file_metadata().schema_descr();
        let types: BTreeMap<String, (PhysicalType, Option<LogicalType>)> = schema
            .columns()
            .iter()
            .map(|c| {
                (
                    c.name().to_string(),
                    (c.physical_type(), c.logical_type_ref().cloned()),
                )
            })
            .collect();
        let header = csv_header(&out.join(format!("{table}.csv")));
        assert_eq!(
            schema
                .columns()
                .iter()
                .map(|c| c.name().to_string())
                .collect::<Vec<_>>(),
            header
        );
        assert_eq!(types["doc_id"].1, Some(LogicalType::String), "{table}");
        if table == "amounts" {
            assert_eq!(types["start"].0, PhysicalType::INT64);
            assert!(
                matches!(types["value"].1, Some(LogicalType::Decimal(_))),
                "{:?}",
                types["value"]
            );
        }
        if table == "dates" {
            assert_eq!(types["relative"].0, PhysicalType::BOOLEAN);
            assert_eq!(types["value"].1, Some(LogicalType::String));
        }
    }
    // The exact value comes back from the decimal column.
    let reader =
        SerializedFileReader::new(File::open(out.join("amounts.parquet")).unwrap()).unwrap();
    let found = reader
        .get_row_iter(None)
        .unwrap()
        .filter_map(Result::ok)
        .any(|row| {
            row.to_string().contains("143億美元") && row.to_string().contains("14300000000")
        });
    assert!(found, "amounts.parquet holds 143億美元 = 14300000000");
}

#[test]
fn formats_choose_the_files() {
    let dir = TempDir::new("formats-only");
    let out = dir.join("out");
    let o = run(
        &[
            "extract",
            "corpus/shuiyou-ipo.zh-Hans.txt",
            "-o",
            out.to_str().unwrap(),
            "--format",
            "parquet",
            "-q",
        ],
        None,
    );
    assert_exit(&o, 0);
    assert!(out.join("facts.parquet").exists());
    assert!(!out.join("facts.csv").exists() && !out.join("documents.jsonl").exists());
    assert!(!out.join("newsfacts.xlsx").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let o = run(
        &[
            "extract",
            "corpus",
            "-o",
            out.to_str().unwrap(),
            "--format",
            "csv,xls",
        ],
        None,
    );
    assert_exit(&o, 2);
    assert!(stderr_of(&o).contains("\"xls\""), "{}", stderr_of(&o));
    let o = run(&["extract", "corpus", "-o", "-", "--format", "xlsx"], None);
    assert_exit(&o, 2);
}

const SCRAPED: &str = concat!(
    r#"{"uid": "a-1", "content": "腾讯控股今日宣布以5亿美元投资一家游戏公司。", "published": "2025-09-05", "title": "腾讯投资", "url": "https://example.com/a-1", "source": "Example News", "section": "tech", "tags": ["games", "invest"]}"#,
    "\n",
    r#"{"uid": "a-2", "content": "Apple said its revenue rose 5 pct to 90 billion dlrs.", "published": "2025-09-06", "section": "business"}"#,
    "\n"
);

#[test]
fn input_metadata_reaches_the_outputs() {
    let dir = TempDir::new("meta");
    let input = dir.write("scraped.jsonl", SCRAPED);
    let out = dir.join("out");
    let o = run(
        &[
            "extract",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--text-field",
            "content",
            "--id-field",
            "uid",
            "--date-field",
            "published",
            "-q",
        ],
        None,
    );
    assert_exit(&o, 0);
    let docs = read_csv(&out.join("documents.csv"));
    let a1 = row(&docs, "a-1");
    assert_eq!(a1["title"], "腾讯投资");
    assert_eq!(a1["url"], "https://example.com/a-1");
    assert_eq!(a1["source"], "Example News");
    assert_eq!(a1["doc_date"], "2025-09-05");
    assert_eq!(a1["date_source"], "jsonl");
    let a2 = row(&docs, "a-2");
    assert_eq!((a2["title"].as_str(), a2["url"].as_str()), ("", ""));
    let text = std::fs::read_to_string(out.join("documents.jsonl")).unwrap();
    let recs: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs[0]["title"], "腾讯投资");
    assert_eq!(recs[0]["meta"]["section"], "tech");
    assert_eq!(
        recs[0]["meta"]["tags"],
        serde_json::json!(["games", "invest"])
    );
    assert!(
        recs[0]["meta"].get("content").is_none(),
        "the text is not repeated in meta"
    );
    assert_eq!(recs[1]["title"], serde_json::Value::Null);
    assert_eq!(recs[1]["meta"]["section"], "business");

    // The same file runs without the options: content/uid/published are known aliases.
    let out2 = dir.join("out2");
    let o = run(
        &[
            "extract",
            input.to_str().unwrap(),
            "-o",
            out2.to_str().unwrap(),
            "-q",
        ],
        None,
    );
    assert_exit(&o, 0);
    assert_eq!(read_csv(&out2.join("documents.csv")), docs);

    // A field named on the command line that a record lacks is a clear per-record error.
    let o = run(
        &[
            "extract",
            input.to_str().unwrap(),
            "-o",
            "-",
            "--text-field",
            "body",
            "-q",
        ],
        None,
    );
    assert_exit(&o, 1);
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&o.stdout).lines().next().unwrap()).unwrap();
    assert!(
        first["error"]
            .as_str()
            .unwrap()
            .contains("no \"body\" field"),
        "{first}"
    );
}

#[test]
fn a_log_gets_plain_progress_lines() {
    let dir = TempDir::new("progress");
    let o = run(
        &[
            "extract",
            "corpus",
            "-o",
            dir.join("out").to_str().unwrap(),
            "--progress-every",
            "0",
        ],
        None,
    );
    assert_exit(&o, 0);
    let err = stderr_of(&o);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("documents/s")).collect();
    assert!(
        lines.len() >= 9,
        "one line per document with --progress-every 0:\n{err}"
    );
    assert!(
        lines.iter().all(|l| l.contains('%') && !l.contains('\r')),
        "{err}"
    );
    assert!(lines.last().unwrap().contains("(100%)"), "{err}");
    assert!(lines[0].contains("ETA"), "{err}");
    assert!(
        err.contains("entities,") && err.contains("facts;"),
        "summary counts: {err}"
    );
    // --quiet: nothing.
    let o = run(
        &[
            "extract",
            "corpus",
            "-o",
            dir.join("out").to_str().unwrap(),
            "--progress-every",
            "0",
            "-q",
        ],
        None,
    );
    assert_exit(&o, 0);
    assert_eq!(stderr_of(&o), "");
}

/// Copies one corpus article into a folder of its own.
fn one_article(dir: &TempDir, prefix: &str) -> std::path::PathBuf {
    let name = "scale-ai-v-mercor.zh-Hant.txt";
    let text = std::fs::read_to_string(repo_root().join("corpus").join(name)).unwrap();
    dir.write(&format!("news/{name}"), format!("{prefix}{text}"));
    dir.join("news")
}

#[test]
fn check_reports_moved_offsets_as_one_line() {
    let dir = TempDir::new("check-moved");
    let news = one_article(&dir, "");
    let golden = dir.join("golden");
    let (news_s, golden_s) = (news.to_str().unwrap(), golden.to_str().unwrap());
    let o = run(&["check", news_s, "--expected", golden_s, "--update"], None);
    assert_exit(&o, 0);
    // Three characters inserted at the top of the article.
    one_article(&dir, "※※\n");
    let o = run(&["check", news_s, "--expected", golden_s], None);
    assert_exit(&o, 1);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one line for the moved document:\n{stdout}");
    assert!(
        lines[0].starts_with("scale-ai-v-mercor.zh-Hant.txt: offsets moved by +3 from "),
        "{stdout}"
    );
    assert!(
        lines[0].contains("text 3") || lines[0].contains("-> "),
        "{stdout}"
    );

    // A real change next to the move still shows field by field.
    let golden_amounts = golden.join("amounts.csv");
    let csv = std::fs::read_to_string(&golden_amounts).unwrap();
    std::fs::write(
        &golden_amounts,
        csv.replacen("14300000000", "14300000001", 1),
    )
    .unwrap();
    let o = run(&["check", news_s, "--expected", golden_s], None);
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(stdout.contains("offsets moved by +3"), "{stdout}");
    assert!(
        stdout.contains("value: \"14300000001\" -> \"14300000000\""),
        "{stdout}"
    );
}

#[allow(dead_code)]
fn exists(p: &Path) -> bool {
    p.exists()
}
