//! A content directory as a set of files: what `check` validates, what the store keeps
//! (one record per file, with its revisions) and what `export-content` writes back.
//!
//! Paths are relative to the directory, `/`-separated, and follow CONTENT.md's layout:
//! `site.toml`, `responsibilities.toml`, `{certifications,courses,experts,topics}/<stem>.toml`,
//! `{answers,pages}/<locale>/<slug>.md`, and the brand logo `static/….svg` that
//! `site.toml` names. [`read_dir`] reads exactly those (anything else in the folders is a
//! warning, as before), so a directory and the database hold the same thing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use super::diagnostics::{Diagnostics, Severity};

/// The files of a content directory, by relative path, as text.
pub type Files = BTreeMap<String, String>;

/// What a content file holds, by its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    Site,
    Responsibilities,
    Certification,
    Course,
    Expert,
    Topic,
    Answer {
        locale: String,
        slug: String,
    },
    Page {
        locale: String,
        slug: String,
    },
    /// The brand logo (`static/….svg`).
    Logo,
}

impl FileKind {
    /// The kind of the file at `path`, or `None` when CONTENT.md's layout has no place for
    /// it. Only the layout is checked here; names and contents are `check`'s.
    pub fn of(path: &str) -> Option<Self> {
        let parts: Vec<&str> = path.split('/').collect();
        if parts.iter().any(|p| {
            p.is_empty() || *p == "." || *p == ".." || p.contains('\\') || p.contains(char::is_control)
        }) {
            return None;
        }
        let stem_of =
            |file: &str, ext: &str| file.strip_suffix(ext).filter(|s| !s.is_empty()).map(str::to_owned);
        match parts.as_slice() {
            ["site.toml"] => Some(Self::Site),
            ["responsibilities.toml"] => Some(Self::Responsibilities),
            ["static", .., file] if file.len() > 4 && file.to_ascii_lowercase().ends_with(".svg") => {
                Some(Self::Logo)
            }
            [folder, file] if stem_of(file, ".toml").is_some() => match *folder {
                "certifications" => Some(Self::Certification),
                "courses" => Some(Self::Course),
                "experts" => Some(Self::Expert),
                "topics" => Some(Self::Topic),
                _ => None,
            },
            [folder, locale, file] => {
                let slug = stem_of(file, ".md")?;
                let locale = (*locale).to_owned();
                match *folder {
                    "answers" => Some(Self::Answer { locale, slug }),
                    "pages" => Some(Self::Page { locale, slug }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The records an editor works on in the browser.
    pub fn is_editable(&self) -> bool {
        matches!(self, Self::Answer { .. } | Self::Course | Self::Certification)
    }
}

pub use crate::domain::places::{answer_path, certification_path, course_path};

/// Reads a content directory's files: those CONTENT.md places, plus the logo `site.toml`
/// names. Problems reading them (unreadable, not UTF-8, a stray file) are diagnostics; a
/// file that cannot be read is left out.
pub fn read_dir(dir: &Path) -> Read {
    let mut reader = Reader { dir, read: Read::default() };
    if !dir.is_dir() {
        reader.read.diagnostics.file(
            dir,
            Severity::Error,
            "not a content directory: it does not exist or is not a directory",
        );
        return reader.read;
    }
    for name in ["site.toml", "responsibilities.toml"] {
        if dir.join(name).is_file() {
            reader.read(name);
        }
    }
    if let Some(logo) = reader.read.files.get("site.toml").and_then(|t| logo_named(t)) {
        reader.read_logo(&logo);
    }
    for folder in ["certifications", "courses", "experts", "topics"] {
        reader.toml_folder(folder);
    }
    for folder in ["answers", "pages"] {
        reader.markdown_folder(folder);
    }
    reader.read
}

/// What [`read_dir`] found.
#[derive(Debug, Default)]
pub struct Read {
    pub files: Files,
    pub diagnostics: Diagnostics,
    /// Files that exist but were not read (unreadable, not UTF-8, too large).
    pub unreadable: BTreeSet<String>,
}

/// The logo path `site.toml` gives, read leniently: `check` reports any problem with it.
fn logo_named(site: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(site).ok()?;
    let logo = table.get("brand")?.get("logo")?.as_str()?;
    FileKind::of(logo).filter(|k| *k == FileKind::Logo).map(|_| logo.to_owned())
}

struct Reader<'d> {
    dir: &'d Path,
    read: Read,
}

impl Reader<'_> {
    fn read(&mut self, rel: &str) {
        let path = self.dir.join(rel);
        match fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => {
                    self.read.files.insert(rel.to_owned(), text);
                }
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let text = String::from_utf8_lossy(&e.into_bytes()[..at]).into_owned();
                    let d = super::SourceFile::new(path, text).diagnostic(
                        at,
                        Severity::Error,
                        "the file is not valid UTF-8".into(),
                    );
                    self.read.diagnostics.push(d);
                    self.read.unreadable.insert(rel.to_owned());
                }
            },
            Err(e) => {
                self.read.diagnostics.file(&path, Severity::Error, format!("cannot read the file: {e}"));
                self.read.unreadable.insert(rel.to_owned());
            }
        }
    }

    /// Bounded before it is read: a wrong path could name something huge. A missing logo
    /// is `check`'s to report, at the line of `site.toml` that names it.
    fn read_logo(&mut self, rel: &str) {
        let path = self.dir.join(rel);
        let Some(meta) = fs::metadata(&path).ok().filter(fs::Metadata::is_file) else { return };
        match super::logo::size_problem(meta.len()) {
            Some(message) => {
                self.read.diagnostics.file(&path, Severity::Error, message);
                self.read.unreadable.insert(rel.to_owned());
            }
            None => self.read(rel),
        }
    }

    fn entries(&mut self, rel: &str) -> Vec<(String, bool)> {
        let path = self.dir.join(rel);
        match fs::read_dir(&path) {
            Ok(entries) => {
                let mut names: Vec<(String, bool)> = entries
                    .filter_map(Result::ok)
                    .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path().is_file()))
                    .collect();
                names.sort();
                names
            }
            Err(e) => {
                self.read.diagnostics.file(&path, Severity::Error, format!("cannot read the directory: {e}"));
                Vec::new()
            }
        }
    }

    /// The `.toml` files of an optional folder; anything else there is a warning.
    fn toml_folder(&mut self, folder: &str) {
        if !self.dir.join(folder).is_dir() {
            return;
        }
        for (name, is_file) in self.entries(folder) {
            let rel = format!("{folder}/{name}");
            if is_file && FileKind::of(&rel).is_some() {
                self.read(&rel);
            } else {
                let path = self.dir.join(&rel);
                self.read.diagnostics.file(
                    &path,
                    Severity::Warning,
                    "ignored: only `.toml` files are read here",
                );
            }
        }
    }

    /// `<folder>/<locale>/<slug>.md`; anything else there is a warning.
    fn markdown_folder(&mut self, folder: &str) {
        if !self.dir.join(folder).is_dir() {
            return;
        }
        let noun = if folder == "answers" { "answer" } else { "page" };
        for (locale, is_file) in self.entries(folder) {
            let locale_rel = format!("{folder}/{locale}");
            if is_file || !self.dir.join(&locale_rel).is_dir() {
                let path = self.dir.join(&locale_rel);
                let message = format!("ignored: {noun}s live in `{folder}/<locale>/<slug>.md`");
                self.read.diagnostics.file(&path, Severity::Warning, message);
                continue;
            }
            for (name, is_file) in self.entries(&locale_rel) {
                let rel = format!("{locale_rel}/{name}");
                if is_file && FileKind::of(&rel).is_some() {
                    self.read(&rel);
                } else {
                    let path = self.dir.join(&rel);
                    self.read.diagnostics.file(
                        &path,
                        Severity::Warning,
                        "ignored: only `.md` files are read here",
                    );
                }
            }
        }
    }
}

/// Writes `files` under `dir` (created when missing), each through a temporary file
/// renamed into place, so an interrupted export leaves no half-written file.
pub fn write_dir(dir: &Path, files: &Files) -> std::io::Result<()> {
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("certwise-tmp");
        fs::write(&tmp, text)?;
        fs::rename(&tmp, &path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_classified_by_the_layout() {
        assert_eq!(FileKind::of("site.toml"), Some(FileKind::Site));
        assert_eq!(FileKind::of("certifications/md-102.toml"), Some(FileKind::Certification));
        assert_eq!(
            FileKind::of("answers/en/a-b.md"),
            Some(FileKind::Answer { locale: "en".into(), slug: "a-b".into() })
        );
        assert_eq!(FileKind::of("static/brand/logo.svg"), Some(FileKind::Logo));
        for bad in
            ["answers/en.md", "answers/en/x/y.md", "courses/.toml", "../site.toml", "x.toml", "a//b.toml"]
        {
            assert_eq!(FileKind::of(bad), None, "{bad}");
        }
        assert_eq!(certification_path("MD-102"), "certifications/md-102.toml");
    }
}
