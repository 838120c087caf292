//! Helpers of the unit tests: reading the shared data at `../shared`, the one place that
//! says what to do when it is missing (a test must never pass on an empty sample).

/// The whole of `../shared/data/corpus/<file>`; panics with a clear message when the
/// shared data is missing.
fn corpus_text(file: &str) -> String {
    let path = format!("../shared/data/corpus/{file}");
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "cannot read {path} ({e}): the unit tests need the shared data checked out \
             beside this repository, at ../shared"
        ),
    }
}

/// The first `chars` characters of `../shared/data/corpus/<file>` (see [`corpus_text`]).
pub(crate) fn corpus_sample(file: &str, chars: usize) -> String {
    corpus_text(file).chars().take(chars).collect()
}

/// The first `n` lines of `../shared/data/corpus/<file>` (see [`corpus_text`]).
pub(crate) fn corpus_lines(file: &str, n: usize) -> Vec<String> {
    corpus_text(file)
        .lines()
        .take(n)
        .map(str::to_string)
        .collect()
}
