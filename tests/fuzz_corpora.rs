//! The fuzz corpora as ordinary tests: every committed corpus file
//! (`fuzz/corpus/<target>/*`) and crash regression (`fuzz/regressions/<target>/*`) goes
//! through its target's check (`certwise::fuzzing`, the same function the cargo-fuzz
//! target calls), so CI holds every target's rule on stable, without nightly.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use certwise::fuzzing::TARGETS;

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.map(|e| e.expect("a readable directory entry").path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// Replays the files of `folder` (`corpus` or `regressions`) for every target; returns how
/// many there were per target, and panics naming each file whose check failed.
fn replay(folder: &str) -> Vec<(&'static str, usize)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(folder);
    let mut failed = Vec::new();
    let mut counts = Vec::new();
    for &(name, check) in TARGETS {
        let files = files(&root.join(name));
        let started = std::time::Instant::now();
        for file in &files {
            let data = std::fs::read(file).expect("a readable corpus file");
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failed.push(file.display().to_string());
            }
        }
        eprintln!("{folder}/{name}: {} files in {:.1?}", files.len(), started.elapsed());
        counts.push((name, files.len()));
    }
    assert!(failed.is_empty(), "checks failed on:\n{}", failed.join("\n"));
    counts
}

#[test]
fn every_corpus_file_passes_its_targets_check() {
    for (name, count) in replay("corpus") {
        assert!(count > 0, "fuzz/corpus/{name} holds no file: the target is not replayed");
    }
}

#[test]
fn every_crash_found_stays_fixed() {
    replay("regressions");
}

#[test]
fn every_target_has_a_corpus_folder_and_a_fuzz_target() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for &(name, _) in TARGETS {
        assert!(fuzz.join("corpus").join(name).is_dir(), "no fuzz/corpus/{name}");
        assert!(
            fuzz.join("fuzz_targets").join(format!("{name}.rs")).is_file(),
            "no fuzz/fuzz_targets/{name}.rs"
        );
    }
}
