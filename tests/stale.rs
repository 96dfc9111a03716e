//! `certwise stale`: the staleness report on a real database, run as the binary, with the
//! exit status CI reads (1 when an answer is stale or sources are old, not for a
//! retirement to come).

use std::path::Path;
use std::process::{Command, Output};

struct Db {
    _dir: tempfile::TempDir,
    url: String,
}

/// A temporary database with `content` imported.
fn imported(content: &Path) -> Db {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("certwise.db").display());
    let out = certwise(&["import", content.to_str().unwrap(), "--database", &url], None);
    assert!(out.status.success(), "import: {}", text(&out.stderr));
    Db { _dir: dir, url }
}

fn sample() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn certwise(args: &[&str], today: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_certwise"));
    cmd.args(args).env("NO_COLOR", "1").env_remove("CERTWISE_TODAY").env_remove("CERTWISE_DATABASE_URL");
    if let Some(today) = today {
        cmd.env("CERTWISE_TODAY", today);
    }
    cmd.output().expect("runs")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

const REFERENCE: &str = "answers/en/md-102-vs-ms-102-difference.md";

#[test]
fn after_the_retirement_the_reference_answer_is_stale_and_the_exit_is_non_zero() {
    let db = imported(&sample());
    let out = certwise(&["stale", "--database", &db.url, "--today", "2026-12-01"], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "  {REFERENCE} (reviewed 2026-10-15): MS-102: retired on 2026-11-30, successor AB-650\n"
        )),
        "{stdout}"
    );
    let stale = stdout.split("\n\n").nth(1).unwrap();
    assert!(stale.starts_with("Stale answers: facts changed after their review (6):"), "{stale}");
    assert!(!stdout.contains("retires on 2026-11-30"), "no longer retiring: {stdout}");
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("certwise: 6 stale answer(s)"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

#[test]
fn four_days_before_it_names_the_retiring_exam_as_json() {
    let db = imported(&sample());
    // The day from the environment, as CI sets it.
    let out = certwise(&["stale", "--format", "json", "--database", &db.url], Some("2026-11-26"));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["today"], "2026-11-26");
    assert_eq!(report["stale"], serde_json::json!([]));
    let retiring = report["retiring"].as_array().unwrap();
    let reference = retiring.iter().find(|r| r["path"] == REFERENCE).expect("the reference answer is listed");
    assert_eq!(
        reference["exams"],
        serde_json::json!([{"code": "MS-102", "retires_on": "2026-11-30", "days_left": 4, "successor": "AB-650"}])
    );
    assert_eq!(reference["title"], "What is the difference between MD-102 and MS-102?");
    // The sample's AI exams cite sources checked on 2026-03-28: those fail the run.
    let old: Vec<&str> =
        report["old_sources"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert!(old.contains(&"certifications/ai-102.toml"), "{old:?}");
    assert_eq!(out.status.code(), Some(1));
}

/// Copies a content directory, each line of a text file passed through `edit` with the
/// file's path in the directory (`certifications/ms-102.toml`).
fn copy_editing(from: &Path, to: &Path, edit: &dyn Fn(&str, &str) -> String) {
    fn walk(root: &Path, from: &Path, to: &Path, edit: &dyn Fn(&str, &str) -> String) {
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                std::fs::create_dir_all(&target).unwrap();
                walk(root, &entry.path(), &target, edit);
            } else if let Ok(text) = std::fs::read_to_string(entry.path()) {
                let path = entry.path().strip_prefix(root).unwrap().to_str().unwrap().to_owned();
                let lines: Vec<String> = text.lines().map(|l| edit(&path, l)).collect();
                std::fs::write(&target, lines.join("\n") + "\n").unwrap();
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    walk(from, from, to, edit);
}

/// The sample with every source of the certifications checked on `checked_on`.
fn copy_with_sources_checked(from: &Path, to: &Path, checked_on: &str) {
    let checked_on = checked_on.to_owned();
    copy_editing(from, to, &move |_, line| {
        if line.starts_with("checked_on") { format!("checked_on = {checked_on}") } else { line.to_owned() }
    });
}

#[test]
fn a_retirement_to_come_is_listed_but_does_not_fail() {
    let content = tempfile::tempdir().unwrap();
    copy_with_sources_checked(&sample(), content.path(), "2026-11-01");
    let db = imported(content.path());
    let out = certwise(&["stale", "--database", &db.url, "--today", "2026-11-26"], None);
    let stdout = text(&out.stdout);
    assert!(
        stdout
            .contains(&format!("  {REFERENCE}: MS-102 retires on 2026-11-30, in 4 days, successor AB-650\n")),
        "{stdout}"
    );
    assert!(stdout.contains("more than 180 days ago (0):\n  none\n"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    // The same content goes stale with the day.
    let out = certwise(&["stale", "--database", &db.url, "--today", "2026-12-01"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_missing_database_is_a_one_line_error_and_stays_missing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite://{}", dir.path().join("none.db").display());
    let out = certwise(&["stale", "--database", &missing], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("certwise: no database at"), "{}", text(&out.stderr));
    assert!(!dir.path().join("none.db").exists(), "no database is created");
    let out = certwise(&["stale", "--format", "yaml", "--database", &missing], None);
    assert_eq!(out.status.code(), Some(2), "clap refuses the format");
    assert!(text(&out.stderr).contains("possible values: text, json"), "{}", text(&out.stderr));
}

#[tokio::test]
async fn a_database_without_content_says_to_import_first() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("empty.db").display());
    drop(certwise::store::open(&url).await.expect("an empty database"));
    let out = certwise(&["stale", "--database", &url], None);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("certwise: the database holds no content yet"), "{stderr}");
    assert!(out.stdout.is_empty());
}

/// The whole chain: an import that changes a course's price records the change on its day
/// (`--today`), `certwise stale` lists it for the answers of the course's certification, and
/// a review after it (a new `reviewed_on`, imported) clears the answer.
#[test]
fn an_imported_price_change_makes_answers_stale_until_they_are_reviewed() {
    let fresh = tempfile::tempdir().unwrap();
    copy_with_sources_checked(&sample(), fresh.path(), "2026-11-01");
    let db = imported(fresh.path());
    let repriced = tempfile::tempdir().unwrap();
    copy_editing(fresh.path(), repriced.path(), &|path, line| {
        if path == "courses/md-102-endpoint-administrator.toml" && line.starts_with("price = ") {
            "price = \"139.00\"".to_owned()
        } else {
            line.to_owned()
        }
    });
    let dir = repriced.path().to_str().unwrap();
    let out = certwise(&["import", dir, "--database", &db.url, "--today", "2026-11-20"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = certwise(&["stale", "--format", "json", "--database", &db.url, "--today", "2026-11-26"], None);
    assert_eq!(out.status.code(), Some(1), "stale answers fail the run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let reference =
        report["stale"].as_array().unwrap().iter().find(|s| s["path"] == REFERENCE).expect("listed");
    assert_eq!(
        reference["changes"],
        serde_json::json!([{
            "code": "MD-102", "on": "2026-11-20", "kind": "course_price", "course": "md-102-endpoint-administrator",
            "from": {"amount": "119.00", "currency": "CHF"}, "to": {"amount": "139.00", "currency": "CHF"}
        }])
    );
    // Not before the day it took effect.
    let out = certwise(&["stale", "--database", &db.url, "--today", "2026-11-19"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // Reviewed on 2026-11-26: no longer stale; the other MD-102 answers still are.
    let reviewed = tempfile::tempdir().unwrap();
    copy_editing(repriced.path(), reviewed.path(), &|path, line| {
        if path == REFERENCE && line.starts_with("reviewed_on = ") {
            "reviewed_on = 2026-11-26".to_owned()
        } else {
            line.to_owned()
        }
    });
    let dir = reviewed.path().to_str().unwrap();
    let out = certwise(&["import", dir, "--database", &db.url, "--today", "2026-11-26"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = certwise(&["stale", "--database", &db.url, "--today", "2026-11-26"], None);
    let stdout = text(&out.stdout);
    assert!(!stdout.contains(&format!("{REFERENCE} (reviewed")), "{stdout}");
    assert!(
        stdout.contains(
            "answers/de/md-102-vs-ms-102-unterschied.md (reviewed 2026-10-15): MD-102: price of course"
        ),
        "{stdout}"
    );
}
