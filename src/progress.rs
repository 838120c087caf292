//! Progress of a batch run on stderr.
//!
//! On a terminal: a bar with percentage, documents/s, MB/s and ETA when the total input
//! size is known (files and folders), a spinner when it is not (standard input). When
//! stderr is not a terminal (a log file, CI), a spinner would only write control codes, so
//! one plain status line is printed every `every` (10 s by default) instead.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Seconds between plain status lines by default.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(10);

enum Mode {
    Off,
    Bar(ProgressBar),
    Lines { every: Duration, last: Instant },
}

/// Progress display of one run.
pub(crate) struct Progress {
    mode: Mode,
    total: Option<u64>,
    clock: Instant,
}

/// `h:mm:ss`, or `m:ss` under an hour.
fn clock_time(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The plain status line: documents, megabytes (of the total), rates and the ETA.
pub(crate) fn status_line(docs: u64, bytes: u64, total: Option<u64>, secs: f64) -> String {
    let secs = secs.max(1e-9);
    let mb = bytes as f64 / 1e6;
    let rate = mb / secs;
    let mut line = format!("newsfacts: {docs} documents, {mb:.1} MB");
    if let Some(t) = total.filter(|&t| t > 0) {
        let pct = (bytes as f64 / t as f64 * 100.0).min(100.0);
        line.push_str(&format!(" of {:.1} MB ({pct:.0}%)", t as f64 / 1e6));
    }
    line.push_str(&format!(
        ", {:.1} documents/s, {rate:.2} MB/s, {} elapsed",
        docs as f64 / secs,
        clock_time(secs)
    ));
    if let Some(t) = total {
        if bytes > 0 && t >= bytes {
            let eta = (t - bytes) as f64 / (bytes as f64 / secs);
            line.push_str(&format!(", ETA {}", clock_time(eta)));
        }
    }
    line
}

impl Progress {
    /// Progress for a run over `total` bytes (when known); nothing when not `enabled`.
    pub(crate) fn new(enabled: bool, total: Option<u64>, every: Duration) -> Progress {
        let mode = if !enabled {
            Mode::Off
        } else if std::io::stderr().is_terminal() {
            Mode::Bar(Self::bar(total))
        } else {
            Mode::Lines {
                every,
                last: Instant::now(),
            }
        };
        Progress {
            mode,
            total,
            clock: Instant::now(),
        }
    }

    fn bar(total: Option<u64>) -> ProgressBar {
        match total.filter(|&t| t > 0) {
            Some(t) => {
                let b = ProgressBar::new(t);
                b.set_style(
                    ProgressStyle::with_template(
                        "{bar:30} {percent:>3}% {msg}, ETA {eta} [{elapsed_precise}]",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                b
            }
            None => {
                let b = ProgressBar::new_spinner();
                b.set_style(
                    ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                b
            }
        }
    }

    /// Records that `docs` documents and `bytes` bytes are done.
    pub(crate) fn update(&mut self, docs: u64, bytes: u64) {
        // The clock is read only when something is shown (`--quiet` reads none).
        let secs = || self.clock.elapsed().as_secs_f64().max(1e-9);
        match &mut self.mode {
            Mode::Off => {}
            Mode::Bar(b) => {
                let secs = secs();
                if self.total.is_some_and(|t| t > 0) {
                    b.set_position(bytes.min(self.total.unwrap_or(bytes)));
                } else {
                    b.tick();
                }
                b.set_message(format!(
                    "{docs} documents, {:.1} documents/s, {:.2} MB/s",
                    docs as f64 / secs,
                    bytes as f64 / 1e6 / secs
                ));
            }
            Mode::Lines { every, last } => {
                if last.elapsed() >= *every {
                    let secs = secs();
                    *last = Instant::now();
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(err, "{}", status_line(docs, bytes, self.total, secs));
                }
            }
        }
    }

    /// Clears the bar.
    pub(crate) fn finish(self) {
        if let Mode::Bar(b) = self.mode {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_line_has_percentage_and_eta_when_total_known() {
        let l = status_line(100, 25_000_000, Some(100_000_000), 10.0);
        assert_eq!(
            l,
            "newsfacts: 100 documents, 25.0 MB of 100.0 MB (25%), 10.0 documents/s, 2.50 MB/s, 0:10 elapsed, ETA 0:30"
        );
        let l = status_line(5, 1_000_000, None, 4000.0);
        assert!(l.ends_with("1:06:40 elapsed"), "{l}");
        assert!(!l.contains("ETA") && !l.contains('%'), "{l}");
    }
}
