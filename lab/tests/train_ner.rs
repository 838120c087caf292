//! `train-ner` reproduces the committed tagger models byte for byte: it retrains both from
//! ../shared/data/ner into a temporary folder and compares them with data/models/. A model
//! that can no longer be rebuilt from its data and code (a changed normaliser, segmenter or
//! feature template without a retraining, or a training change without a new model) fails here.
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn train_ner_writes_the_committed_models() {
    let data = repo().join("../shared/data/ner");
    assert!(
        data.join("msra/train.jsonl").is_file(),
        "the NER training data is missing: expected ../shared/data/ner next to the repository ({})",
        data.display()
    );
    let out = std::env::temp_dir().join(format!("newsfacts-train-ner-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("create a temporary folder");
    let status = Command::new(env!("CARGO_BIN_EXE_train-ner"))
        .current_dir(repo())
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .status()
        .expect("run train-ner");
    assert!(status.success(), "train-ner failed: {status}");
    for name in ["ner-zh.nfm", "ner-en.nfm"] {
        let trained = std::fs::read(out.join(name)).expect("read the trained model");
        let committed =
            std::fs::read(repo().join("data/models").join(name)).expect("read the committed model");
        assert!(
            trained == committed,
            "{name}: train-ner wrote {} bytes that differ from the committed {} bytes; retrain with \
             `cargo run --release -p newsfacts-lab --bin train-ner -- --out data/models/` and commit the models \
             (with their test scores in data/models/README.md)",
            trained.len(),
            committed.len()
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
