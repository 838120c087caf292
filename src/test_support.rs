//! Helpers of the unit tests: reading the shared data at `../shared`, the one place that
//! says what to do when it is missing (a test must never pass on an empty sample).

/// The first `chars` characters of `../shared/data/corpus/<file>`; panics with a clear
/// message when the shared data is missing.
pub(crate) fn corpus_sample(file: &str, chars: usize) -> String {
    let path = format!("../shared/data/corpus/{file}");
    match std::fs::read_to_string(&path) {
        Ok(text) => text.chars().take(chars).collect(),
        Err(e) => panic!(
            "cannot read {path} ({e}): the unit tests need the shared data checked out \
             beside this repository, at ../shared"
        ),
    }
}
