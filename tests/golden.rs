//! Golden test: `newsfacts check corpus --expected tests/golden` must report no difference.
//! After an intended change, accept it with
//! `cargo run --release -- check corpus --expected tests/golden --update` and review the diff.

use std::process::Command;

#[test]
fn corpus_matches_golden_tables() {
    let out = Command::new(env!("CARGO_BIN_EXE_newsfacts"))
        .args([
            "check",
            "corpus",
            "--expected",
            "tests/golden",
            "--threads",
            "2",
        ])
        .output()
        .expect("run newsfacts check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "output on corpus/ differs from tests/golden:\n{stdout}\n{stderr}\n\
         If the change is intended: cargo run --release -- check corpus --expected tests/golden --update"
    );
}
