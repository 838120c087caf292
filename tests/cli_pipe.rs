//! Shell pipes: `extract - -o -` reads JSON Lines on stdin and writes one JSON record per
//! input document, in input order; a large stdin streams through; `normalize` prints the
//! text the recognisers see.

mod common;

use common::*;

const RECORD_FIELDS: [&str; 13] = [
    "id",
    "path",
    "encoding",
    "script",
    "doc_date",
    "date_source",
    "chars",
    "status",
    "error",
    "entities",
    "amounts",
    "dates",
    "facts",
];

fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    let text = std::str::from_utf8(stdout).expect("stdout is UTF-8");
    text.lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("stdout line is not JSON ({e}): {l:?}"))
        })
        .collect()
}

#[test]
fn jsonl_in_jsonl_out_in_input_order() {
    let input = concat!(
        "\u{FEFF}{\"id\": \"first\", \"text\": \"腾讯控股今日宣布以5亿美元投资一家游戏公司。\", \"date\": \"2025-09-05\"}\r\n",
        "{\"text\": \"Apple said on Monday its revenue rose 5 pct to 90 billion dlrs.\"}\n",
        "{\"id\": \"broken\", \"text\": \"cut off\n",
        "\n",
        "{\"id\": \"third\", \"text\": \"數(shù)據(jù)標注巨頭Scale AI起訴前員工。\"}\n",
        "{\"id\": \"no-text\"}\n",
    );
    let res = run(
        &["extract", "-", "-o", "-", "--threads", "2", "-q"],
        Some(input.as_bytes()),
    );
    // One document failed (two, counting the record without text): exit 1, the rest written.
    assert_exit(&res, 1);
    let recs = records(&res.stdout);
    let ids: Vec<&str> = recs
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(ids, ["first", "-#2", "-#3", "third", "no-text"]);
    for r in &recs {
        for f in RECORD_FIELDS {
            assert!(r.get(f).is_some(), "record lacks {f:?}: {r}");
        }
        assert_eq!(r["path"], "-");
    }
    let status: Vec<&str> = recs
        .iter()
        .map(|r| r["status"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(status, ["ok", "ok", "failed", "ok", "failed"]);
    assert!(
        recs[2]["error"]
            .as_str()
            .is_some_and(|e| e.contains("malformed JSON")),
        "{}",
        recs[2]
    );
    assert_eq!(
        (
            recs[0]["doc_date"].as_str(),
            recs[0]["date_source"].as_str()
        ),
        (Some("2025-09-05"), Some("jsonl"))
    );
    assert_eq!(recs[3]["script"], "Hant");
    assert_eq!(
        recs[0]["chars"].as_u64(),
        Some(
            "腾讯控股今日宣布以5亿美元投资一家游戏公司。"
                .chars()
                .count() as u64
        )
    );
}

#[test]
fn empty_stdin_is_no_documents_not_an_error() {
    // An empty partition in Spark `pipe` / Hadoop streaming is normal.
    let res = run(&["extract", "-", "-o", "-", "-q"], Some(b""));
    assert_exit(&res, 0);
    assert!(res.stdout.is_empty());
}

#[test]
fn all_good_stdin_exits_0() {
    let input = "{\"text\": \"BP said it would buy a biofuel maker.\"}\n{\"text\": \"小米宣布回购股份。\"}\n";
    let res = run(&["extract", "-", "-o", "-", "-q"], Some(input.as_bytes()));
    assert_exit(&res, 0);
    assert_eq!(records(&res.stdout).len(), 2);
}

#[test]
fn plain_text_or_html_on_stdin_is_one_document() {
    let text = "---\nid: piped\ndate: 2025-01-02\n---\n小米集团昨日公布业绩。\nXiaomi said revenue rose 31 pct.\n";
    let res = run(&["extract", "-", "-o", "-", "-q"], Some(text.as_bytes()));
    assert_exit(&res, 0);
    let recs = records(&res.stdout);
    assert_eq!(recs.len(), 1);
    assert_eq!(
        (recs[0]["id"].as_str(), recs[0]["date_source"].as_str()),
        (Some("piped"), Some("front_matter"))
    );
    assert_eq!(recs[0]["chars"].as_u64(), Some(text.chars().count() as u64));

    let html = "<html><body><p>谷歌宣布&amp;投资</p><script>x()</script></body></html>";
    let res = run(&["extract", "-", "-o", "-", "-q"], Some(html.as_bytes()));
    assert_exit(&res, 0);
    let recs = records(&res.stdout);
    assert_eq!(
        (recs.len(), recs[0]["chars"].as_u64()),
        (1, Some("谷歌宣布&投资\n".chars().count() as u64))
    );

    // GBK text piped in is detected like a file.
    let (gbk, _, _) = encoding_rs::GBK.encode("国家统计局今天发布数据显示，今年前三季度国内生产总值同比增长百分之四点九，消费和投资回暖。");
    let res = run(&["extract", "-", "-o", "-", "-q"], Some(&gbk));
    assert_exit(&res, 0);
    let recs = records(&res.stdout);
    assert!(
        matches!(recs[0]["encoding"].as_str(), Some("GBK" | "gb18030")),
        "{}",
        recs[0]
    );
}

#[test]
fn large_stdin_streams_through_in_order() {
    const N: usize = 5000;
    let mut input = String::with_capacity(N * 80);
    for i in 0..N {
        let text = if i % 2 == 0 {
            format!("第{i}号公告:公司收入增长{}%。", i % 97)
        } else {
            format!("Notice {i}: revenue rose {} pct.", i % 89)
        };
        input.push_str(&serde_json::json!({ "id": format!("doc-{i}"), "text": text }).to_string());
        input.push('\n');
    }
    let res = run(
        &["extract", "-", "-o", "-", "--threads", "2", "-q"],
        Some(input.as_bytes()),
    );
    assert_exit(&res, 0);
    let text = std::str::from_utf8(&res.stdout).expect("UTF-8");
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        assert_eq!(
            v["id"].as_str(),
            Some(format!("doc-{i}").as_str()),
            "record {i} out of order"
        );
        n += 1;
    }
    assert_eq!(n, N);
}

#[test]
fn normalize_prints_simplified_text_without_glosses_or_footer() {
    let seed = repo_root().join("corpus/scale-ai-v-mercor.zh-Hant.txt");
    assert!(seed.is_file(), "{} is missing", seed.display());
    let res = run(&["normalize", &seed.to_string_lossy()], None);
    assert_exit(&res, 0);
    let out = String::from_utf8(res.stdout).expect("UTF-8");
    let first = out.lines().next().expect("some output");
    assert!(first.starts_with('当'), "{first}");
    assert!(
        first.contains("9月3日,数据标注巨头Scale AI一纸诉状"),
        "{first}"
    );
    for gloss in ["(shù)", "(jù)", "?shù)", "(chuàng)"] {
        assert!(
            !out.contains(gloss),
            "pinyin gloss {gloss} left in the normalised text"
        );
    }
    assert!(
        !out.contains("郑重声明") && !out.contains("鄭重聲明"),
        "the disclaimer footer is dropped"
    );
    assert!(
        out.contains("数据") && !out.contains("數據"),
        "the text is Simplified"
    );
    assert!(
        !out.contains('，') && !out.contains('（'),
        "punctuation is half-width"
    );
}

#[test]
fn normalize_into_a_closed_pipe_is_not_an_error() {
    // `newsfacts normalize FILE | head -1`: a reader that goes away early is normal. The
    // file is larger than a pipe buffer, so the writer does meet the closed pipe.
    let dir = TempDir::new("closed-pipe");
    let big = dir.write(
        "big.txt",
        "數(shù)據(jù)標注巨頭Scale AI起訴前員工。\n".repeat(8000),
    );
    let mut child = std::process::Command::new(bin())
        .args(["normalize", &big.to_string_lossy()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
