//! Builds the embedded tagger models' lookup tables (`src/recognize/entity/tagger/layout.rs`,
//! the loader's own code) from the committed model files, which stay the versioned source
//! of truth, into `OUT_DIR`, laid out as the binary uses them in place: start-up then
//! neither inflates nor indexes a model (about a tenth of start-up's CPU time).

use std::path::PathBuf;

#[path = "src/recognize/entity/tagger/layout.rs"]
mod layout;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/recognize/entity/tagger/layout.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let big_endian = std::env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    for lang in ["zh", "en"] {
        let file = format!("data/models/ner-{lang}.nfm");
        println!("cargo:rerun-if-changed={file}");
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let (tables, start, trans) =
            layout::tables_of_file(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        let dest = out.join(format!("ner-{lang}.tables"));
        std::fs::write(&dest, tables.to_prebuilt(&start, &trans, big_endian))
            .unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
    }
}
