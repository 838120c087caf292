//! The seed article (SPEC §5), scored by the project's reference scorer
//! `../shared/tools/seed_check.py`: every row must hold.

use std::path::Path;
use std::process::Command;

const SEED: &str = "../shared/corpus/scale-ai-v-mercor.zh-Hant.txt";
const SCORER: &str = "../shared/tools/seed_check.py";

#[test]
fn seed_article_meets_spec_section_5() {
    assert!(
        Path::new(SEED).exists() && Path::new(SCORER).exists(),
        "{SEED} or {SCORER} not found: the tests need the shared data folder at ../shared (next to the repository)"
    );
    let dir = std::env::temp_dir().join(format!("newsfacts-seed-{}", std::process::id()));
    let input = dir.join("in");
    std::fs::create_dir_all(&input).expect("temp dir");
    std::fs::copy(SEED, input.join("scale-ai-v-mercor.zh-Hant.txt")).expect("copy seed");
    let out = dir.join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_newsfacts"))
        .args([
            "extract",
            input.to_str().unwrap_or_default(),
            "-o",
            out.to_str().unwrap_or_default(),
            "--quiet",
        ])
        .status()
        .expect("run newsfacts");
    assert!(status.success(), "extract failed on the seed");
    let scored = Command::new("python3")
        .args([
            SCORER,
            SEED,
            out.join("documents.jsonl").to_str().unwrap_or_default(),
            "all",
        ])
        .output()
        .expect("python3 is needed to run the reference scorer");
    let report = String::from_utf8_lossy(&scored.stdout);
    println!("{report}");
    let _ = std::fs::remove_dir_all(&dir);
    let missed: Vec<&str> = report.lines().filter(|l| l.starts_with("MISS")).collect();
    assert!(
        missed.is_empty() && scored.status.success(),
        "seed rows missed:\n{}",
        missed.join("\n")
    );
}
