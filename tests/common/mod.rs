//! Helpers shared by the integration tests: temporary folders, running the real
//! `newsfacts` binary, reading its CSV output, and writing fixture files at test time (no
//! binary fixtures are committed).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A fresh folder under the system temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let n = SEQ.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("newsfacts-test-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }

    /// Writes `bytes` to `rel` (parents created) and returns the full path.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create fixture folder");
        }
        std::fs::write(&p, bytes).expect("write fixture");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // Make anything chmod-ed by a test removable again.
        let _ = Command::new("chmod")
            .args(["-R", "u+rwx"])
            .arg(&self.0)
            .status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The real binary built by cargo for this test run.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_newsfacts")
}

/// The repository root (where `corpus/` lives).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `newsfacts ARGS` with `stdin` fed (then closed), from the repository root. A run
/// that takes longer than two minutes is killed and fails the test (a hang is a bug, e.g.
/// blocking on a FIFO).
pub fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(repo_root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsfacts");
    // Feed and drain from threads so a large input cannot deadlock against a full pipe.
    let feeder = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("stdin pipe");
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        })
    });
    let mut out_pipe = child.stdout.take().expect("stdout pipe");
    let mut err_pipe = child.stderr.take().expect("stderr pipe");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for newsfacts") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("newsfacts {args:?} did not finish within 120 s (hung?)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(f) = feeder {
        f.join().expect("stdin feeder");
    }
    Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    }
}

pub fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts the process exited with `code` and did not panic; shows stderr otherwise.
pub fn assert_exit(out: &Output, code: i32) {
    let err = stderr_of(out);
    assert!(!err.contains("panicked"), "newsfacts panicked:\n{err}");
    assert_eq!(
        out.status.code(),
        Some(code),
        "unexpected exit status; stderr:\n{err}"
    );
}

/// A CSV file as rows of column -> value.
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let header: Vec<String> = r
        .headers()
        .expect("csv header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|rec| {
            let rec = rec.expect("csv record");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The header row of a CSV file.
pub fn csv_header(path: &Path) -> Vec<String> {
    let mut r =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    r.headers()
        .expect("csv header")
        .iter()
        .map(str::to_string)
        .collect()
}

/// Finds the `documents.csv` row of `doc_id`.
pub fn row<'a>(rows: &'a [BTreeMap<String, String>], doc_id: &str) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["doc_id"] == doc_id)
        .unwrap_or_else(|| {
            panic!(
                "no row for {doc_id:?}; ids: {:?}",
                rows.iter().map(|r| &r["doc_id"]).collect::<Vec<_>>()
            )
        })
}

pub fn read_json(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

/// `text` encoded as UTF-16 with a byte-order mark.
pub fn utf16_with_bom(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// The first bytes of a real PNG file (signature, IHDR chunk, start of IDAT).
pub fn png_bytes() -> Vec<u8> {
    let mut b =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa".to_vec();
    b.extend_from_slice(
        b"\0\0\0\x3dIDATx\x9c\xed\xd2\x31\x0a\0\x20\x0c\x04\xc1\xfb\x7f\xe8\x0f\x96\xb4\x16",
    );
    b.extend((0u8..=255).cycle().take(300));
    b
}

/// Creates a named pipe (FIFO) at `path`.
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("path without NUL");
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

/// Whether this process ignores file permissions (root, or CAP_DAC_OVERRIDE), found by
/// trying to read a file made unreadable.
#[cfg(unix)]
pub fn permissions_are_ignored(dir: &TempDir) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.write(".perm-probe", b"x");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod probe");
    let readable = std::fs::read(&probe).is_ok();
    let _ = std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o644));
    let _ = std::fs::remove_file(&probe);
    readable
}
