//! The content reader ([`check_files`]: what `certwise check`, `import` and the editors'
//! area run): any set of files is read without panicking; every diagnostic about a given
//! file points inside it; a catalog comes out exactly when no diagnostic is an error; the
//! front matter of a Markdown file splits inside it, at character boundaries.
//!
//! The input is a set of files in `head`'s format: each starts with a line
//! `==> <path> <==` and holds the lines up to the next such line (bytes that are not
//! UTF-8 replaced, as the reader refuses them earlier). Input without such a line is one
//! answer, `answers/en/fuzzed.md`.

use std::path::Path;

use crate::content::{Files, Severity, check_files, split_front_matter};

/// The directory the files are named under in diagnostics.
const ROOT: &str = "/content";

pub fn check(data: &[u8]) {
    let files = files(&String::from_utf8_lossy(data));
    for text in files.values() {
        if let Some((base, len, body)) = split_front_matter(text) {
            assert!(base + len <= text.len() - body.len(), "front matter past its body");
            assert!(text.get(base..base + len).is_some(), "front matter not on character boundaries");
        }
    }
    let checked = check_files(Path::new(ROOT), &files);
    let errors = checked.diagnostics.iter().any(|d| d.severity == Severity::Error);
    assert_eq!(
        checked.catalog.is_some(),
        !errors,
        "a catalog with errors, or none without: {:?}",
        checked.diagnostics
    );
    for d in &checked.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d}");
        let Some(text) = d.path.strip_prefix(ROOT).ok().and_then(|p| files.get(p.to_str()?)) else {
            continue;
        };
        let line = text.split('\n').nth(d.line - 1).unwrap_or_else(|| panic!("{d}: past the last line"));
        assert!(d.column <= line.chars().count() + 1, "{d}: past the end of the line");
    }
}

/// The files of the input (see the module docs).
pub fn files(text: &str) -> Files {
    let mut files = Files::new();
    let mut current: Option<(String, String)> = None;
    for line in text.split_inclusive('\n') {
        let header = line.trim_end_matches(['\n', '\r']);
        if let Some(path) = header.strip_prefix("==> ").and_then(|h| h.strip_suffix(" <==")) {
            files.extend(current.take());
            current = Some((path.to_owned(), String::new()));
        } else {
            current
                .get_or_insert_with(|| ("answers/en/fuzzed.md".to_owned(), String::new()))
                .1
                .push_str(line);
        }
    }
    files.extend(current);
    files
}
