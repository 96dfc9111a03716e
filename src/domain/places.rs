//! Where each record lives in a content directory (CONTENT.md's layout): one home for the
//! paths that `content::files`, the staleness report and the editors' area name records by.

/// The path of an answer's file: `answers/en/md-102-vs-ms-102-difference.md`.
pub fn answer_path(locale: &str, slug: &str) -> String {
    format!("answers/{locale}/{slug}.md")
}

/// The path of a certification's file (`MD-102` → `certifications/md-102.toml`).
pub fn certification_path(code: &str) -> String {
    format!("certifications/{}.toml", code.to_lowercase())
}

/// The path of a course's file.
pub fn course_path(slug: &str) -> String {
    format!("courses/{slug}.toml")
}
