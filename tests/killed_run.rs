//! A run killed midway (SIGKILL, no chance to clean up) leaves each output table either as
//! the previous run wrote it or absent, never a partial file (issue 13): tables are written
//! under hidden temporary names and renamed into place when complete.

#![cfg(unix)]

mod common;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;

const NEWS: &str = "本报讯 小米集团昨日公布第二季度业绩，收入达到人民币一千零三十亿元，同比增长百分之三十一。\
LONDON, March 3 (Reuters) - Unilever Plc said on Monday it had agreed to sell its tea business for 4.5 billion euros to CVC Capital Partners.\n";

/// The visible files of the output folder and their bytes (temporary files are hidden).
fn visible_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return files;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            files.insert(name, std::fs::read(e.path()).expect("read output"));
        }
    }
    files
}

/// Starts `extract big -o out` and SIGKILLs it after `delay`; asserts it was killed, not done.
fn kill_midway(big: &Path, out: &Path, delay: Duration) {
    let mut child = Command::new(bin())
        .args([
            "extract",
            &big.to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
        ])
        .args(["--threads", "2", "-q"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start newsfacts");
    std::thread::sleep(delay);
    child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on unix
    let status = child.wait().expect("wait");
    assert_eq!(
        status.signal(),
        Some(9),
        "the run must still be going when killed ({status}); make the corpus bigger"
    );
}

/// A corpus big enough to take many seconds (about 8 s with two threads unkilled): 2,500
/// documents of 18 KB.
fn big_corpus(dir: &TempDir) -> std::path::PathBuf {
    for i in 0..2_500 {
        dir.write(&format!("big/{:02}/{i}.txt", i % 50), NEWS.repeat(40));
    }
    dir.join("big")
}

#[test]
fn a_killed_run_leaves_the_previous_tables_or_none() {
    let dir = TempDir::new("killed");
    let big = big_corpus(&dir);

    // A complete first run into `out`.
    dir.write("small/a.txt", NEWS);
    let out = dir.join("out");
    let res = run(
        &[
            "extract",
            &dir.join("small").to_string_lossy(),
            "-o",
            &out.to_string_lossy(),
            "-q",
        ],
        None,
    );
    assert_exit(&res, 0);
    let before = visible_files(&out);
    assert!(before.contains_key("documents.csv") && before.contains_key("facts.csv"));

    // Killed while it reads and processes, and again later in the run.
    for delay_ms in [300, 1500] {
        kill_midway(&big, &out, Duration::from_millis(delay_ms));
        let after = visible_files(&out);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "killed after {delay_ms} ms: the same tables, no new partial ones"
        );
        for (name, bytes) in &after {
            assert!(
                bytes == &before[name],
                "killed after {delay_ms} ms: {name} is not the previous complete table"
            );
        }
    }

    // A first run killed into a fresh folder leaves no table at all.
    let fresh = dir.join("fresh");
    kill_midway(&big, &fresh, Duration::from_millis(800));
    let left = visible_files(&fresh);
    assert!(left.is_empty(), "a killed first run left {:?}", left.keys());
}
