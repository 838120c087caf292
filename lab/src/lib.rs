//! The newsfacts lab: the code that measures and trains the product, kept out of the
//! product library so that the library's public surface is only what a user or a binding
//! needs (the pipeline API and the record types).
//!
//! - [`conformance`]: runs the peer suites of `../shared/conformance` (Recognizers-Text,
//!   Duckling) through the public pipeline; `tests/conformance.rs` holds the floors.
//! - [`bench`]: throughput against bare jieba `cut`, 1 and N threads, peak memory
//!   (`cargo run --release -p newsfacts-lab --bin bench -- FILE`).
//! - [`cpu`]: thread and process CPU clocks for A/B timing on a shared machine.
//! - `src/bin/train-ner.rs`: trains the NER models in `data/models/`
//!   (`cargo run --release -p newsfacts-lab --bin train-ner -- --out data/models/`).

pub mod bench;
pub mod conformance;
pub mod cpu;
