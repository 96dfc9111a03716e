//! The real-browser suite (`tests/browser/*.test.mjs`): consent with JavaScript on and off,
//! keyboard use, axe-core and screenshots, in the system Chromium driven by playwright-core
//! under Node's test runner, against the `certwise` binary cargo just built.
//!
//! Without Node, `npm ci` (playwright-core, axe-core) or Chromium this test says SKIPPED
//! loudly, and under CI (`CI` set) it fails instead, so a check that could not run never
//! passes.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const CHROMIUM: &str = "/usr/bin/chromium";

/// What the suite needs that is not there, as a list of readable reasons.
fn missing_prerequisites(root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("Node.js 20+ (`node` on PATH)".to_owned());
    }
    for package in ["playwright-core", "axe-core"] {
        if !root.join("node_modules").join(package).join("package.json").is_file() {
            missing.push(format!("node_modules/{package} (run `npm ci`)"));
        }
    }
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from);
    if !chromium.is_file() {
        missing.push(format!("Chromium at {} (Debian package `chromium`)", chromium.display()));
    }
    missing
}

/// The suite's files, in a stable order. Passed by name, because how `node --test` treats a
/// directory argument differs between Node versions.
fn test_files(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("tests/browser");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".test.mjs")))
        .collect();
    files.sort();
    files
}

#[test]
fn browser_suite_passes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let missing = missing_prerequisites(root);
    if !missing.is_empty() {
        let msg = format!("browser tests need {}", missing.join(", "));
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        // Straight to stderr, past the test harness's capture, so the skip is seen.
        let _ = writeln!(std::io::stderr(), "SKIPPED: {msg}");
        return;
    }
    let files = test_files(root);
    assert!(!files.is_empty(), "no tests/browser/*.test.mjs");

    let started = Instant::now();
    // stdout and stderr are inherited: the runner's report streams as it goes.
    let status = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .args(&files)
        .current_dir(root)
        .env("CERTWISE_BIN", env!("CARGO_BIN_EXE_certwise"))
        .status()
        .expect("node starts");
    let _ = writeln!(std::io::stderr(), "browser suite: {:.1} s", started.elapsed().as_secs_f64());
    assert!(status.success(), "the browser suite failed ({status}); see its report above");
}
