//! Reading and validating a content directory (CONTENT.md): every problem is reported
//! with its file, line and column, and a catalog is produced only when there is none.

pub mod diagnostics;
pub mod files;
pub mod logo;
mod parse;
mod reader;
mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub use diagnostics::{Diagnostic, Diagnostics, Severity, SourceFile};
pub use files::{FileKind, Files};
pub use parse::is_search_results_page;
use reader::{Ctx, Located, Table};

use crate::domain::{
    Answer, Catalog, Certification, Course, Expert, Page, Responsibility, Site, Slug, Topic,
};

/// The outcome of reading a content directory: all problems found, and the catalog
/// when none of them is an error.
#[derive(Debug)]
pub struct Checked {
    pub catalog: Option<Catalog>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, when they came from a directory ([`check_dir`]).
    pub files: Files,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }
}

/// A record read from a file, with the file and the positions of its references.
#[derive(Debug)]
pub(crate) struct Record<T> {
    pub value: T,
    pub file: usize,
    pub locs: parse::Locs,
}

/// Everything read from the directory before the cross-file rules.
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub files: Vec<SourceFile>,
    pub site: Option<Record<Site>>,
    pub responsibilities: Vec<(Responsibility, usize, usize)>,
    /// The well-formed ids in `responsibilities.toml` (also of entries with other
    /// mistakes), when it could be read and parsed: domain references are checked
    /// against them, even when there are none.
    pub responsibility_ids: Option<BTreeSet<Slug>>,
    pub certifications: Vec<Record<Certification>>,
    pub courses: Vec<Record<Course>>,
    pub experts: Vec<Record<Expert>>,
    pub topics: Vec<Record<Topic>>,
    pub answers: Vec<Record<Answer>>,
    pub pages: Vec<Record<Page>>,
    pub diagnostics: Diagnostics,
    /// Files that exist but could not be read (their problem is already reported).
    pub unreadable: BTreeSet<String>,
}

impl Draft {
    fn add_file(&mut self, path: PathBuf, text: String) -> usize {
        self.files.push(SourceFile::new(path, text));
        self.files.len() - 1
    }

    pub fn error(&mut self, file: usize, at: usize, message: impl Into<String>) {
        let d = self.files[file].diagnostic(at, Severity::Error, message.into());
        self.diagnostics.push(d);
    }

    pub fn warning(&mut self, file: usize, at: usize, message: impl Into<String>) {
        let d = self.files[file].diagnostic(at, Severity::Warning, message.into());
        self.diagnostics.push(d);
    }
}

/// Reads and checks a content directory. Never fails: an unreadable directory is a
/// diagnostic like any other.
pub fn check_dir(dir: &Path) -> Checked {
    let read = files::read_dir(dir);
    if !dir.is_dir() {
        return Checked { catalog: None, diagnostics: read.diagnostics.sorted(), files: Files::new() };
    }
    let mut draft = Draft { unreadable: read.unreadable, ..Draft::default() };
    draft.diagnostics = read.diagnostics;
    let checked = finish(dir, &read.files, draft);
    Checked { files: read.files, ..checked }
}

/// Checks a content directory's files (by path relative to it; messages name them under
/// `root`): the one validation of `check`, `import` and the editors' area.
pub fn check_files(root: &Path, files: &Files) -> Checked {
    finish(root, files, Draft::default())
}

fn finish(root: &Path, files: &Files, mut draft: Draft) -> Checked {
    read_files(root, files, &mut draft);
    validate::cross_check(&mut draft);
    let catalog = if draft.diagnostics.has_errors() { None } else { build(&mut draft) };
    Checked { catalog, diagnostics: std::mem::take(&mut draft.diagnostics).sorted(), files: Files::new() }
}

/// Runs a parser over a TOML file (or the front matter at `base`), collecting its
/// diagnostics into the draft.
fn with_toml<T>(
    draft: &mut Draft,
    file: usize,
    base: usize,
    len: usize,
    f: impl FnOnce(&Table) -> Option<T>,
) -> Option<T> {
    let source = &draft.files[file];
    let ctx = Ctx::new(source, base);
    let text = &source.text[base..base + len];
    let out = ctx.parse(text).and_then(|table| {
        let t = Table::new(&ctx, &table, "the file");
        f(&t)
    });
    for d in ctx.into_diagnostics() {
        draft.diagnostics.push(d);
    }
    out
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_files(root: &Path, files: &Files, draft: &mut Draft) {
    let add = |draft: &mut Draft, rel: &str, text: &str| draft.add_file(root.join(rel), text.to_owned());
    match files.get("site.toml") {
        Some(text) => {
            let file = add(draft, "site.toml", text);
            let len = text.len();
            if let Some((mut site, locs, logo)) = with_toml(draft, file, 0, len, parse::site) {
                if let Some(logo) = logo {
                    site.brand.logo_svg = read_logo(root, files, file, &logo, draft);
                }
                draft.site = Some(Record { value: site, file, locs });
            }
        }
        None => draft.diagnostics.file(
            &root.join("site.toml"),
            Severity::Error,
            "missing file: every content directory needs `site.toml`",
        ),
    }
    match files.get("responsibilities.toml") {
        Some(text) => {
            let file = add(draft, "responsibilities.toml", text);
            if let Some((items, ids)) =
                with_toml(draft, file, 0, text.len(), |t| Some(parse::responsibilities(t)))
            {
                draft.responsibilities = items.into_iter().map(|(r, at)| (r, file, at)).collect();
                draft.responsibility_ids = Some(ids);
            }
        }
        None => draft.diagnostics.file(
            &root.join("responsibilities.toml"),
            Severity::Error,
            "missing file: every content directory needs `responsibilities.toml`",
        ),
    }
    for (rel, text) in files {
        let Some(kind) = FileKind::of(rel) else {
            draft.diagnostics.file(
                &root.join(rel),
                Severity::Warning,
                "ignored: CONTENT.md has no place for this file",
            );
            continue;
        };
        let len = text.len();
        match kind {
            FileKind::Site | FileKind::Responsibilities | FileKind::Logo => {}
            FileKind::Certification => {
                let file = add(draft, rel, text);
                if let Some((value, locs)) = with_toml(draft, file, 0, len, parse::certification) {
                    draft.certifications.push(Record { value, file, locs });
                }
            }
            FileKind::Course => {
                let file = add(draft, rel, text);
                if let Some((value, locs)) = with_toml(draft, file, 0, len, parse::course) {
                    draft.courses.push(Record { value, file, locs });
                }
            }
            FileKind::Expert => {
                let file = add(draft, rel, text);
                if let Some((value, locs)) = with_toml(draft, file, 0, len, parse::expert) {
                    draft.experts.push(Record { value, file, locs });
                }
            }
            FileKind::Topic => {
                let file = add(draft, rel, text);
                if let Some((value, locs)) = with_toml(draft, file, 0, len, parse::topic) {
                    draft.topics.push(Record { value, file, locs });
                }
            }
            FileKind::Answer { locale, slug } => {
                let file = add(draft, rel, text);
                read_markdown(file, &locale, &slug, Markdown::Answers, draft);
            }
            FileKind::Page { locale, slug } => {
                let file = add(draft, rel, text);
                read_markdown(file, &locale, &slug, Markdown::Pages, draft);
            }
        }
    }
}

/// The logo that `site.toml` names (at `logo`, an offset in `site_file`), checked; its
/// text when it is safe to publish.
fn read_logo(
    root: &Path,
    files: &Files,
    site_file: usize,
    logo: &Located<String>,
    draft: &mut Draft,
) -> Option<String> {
    let Some(text) = files.get(&logo.value) else {
        if draft.unreadable.contains(&logo.value) {
            // Its own message says why it was not read.
            return None;
        }
        let message = format!("`logo`: there is no file `{}` in the content directory", logo.value);
        draft.error(site_file, logo.at, message);
        return None;
    };
    if let Some(message) = logo::size_problem(text.len() as u64) {
        draft.diagnostics.file(&root.join(&logo.value), Severity::Error, message);
        return None;
    }
    let file = draft.add_file(root.join(&logo.value), text.clone());
    let problems = logo::check(text);
    if problems.is_empty() {
        return Some(text.clone());
    }
    for p in problems {
        draft.error(file, p.at, p.message);
    }
    None
}

/// The two folders of `<locale>/<slug>.md` files with `+++` front matter.
#[derive(Debug, Clone, Copy)]
enum Markdown {
    Answers,
    Pages,
}

impl Markdown {
    fn one(self) -> &'static str {
        match self {
            Self::Answers => "an answer",
            Self::Pages => "a page",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Answers => "answer",
            Self::Pages => "page",
        }
    }
}

fn read_markdown(file: usize, locale: &str, stem: &str, kind: Markdown, draft: &mut Draft) {
    let slug = match Slug::parse(stem) {
        Ok(s) => Some(s),
        Err(e) => {
            draft.error(file, 0, format!("the file name must be the {}'s slug: {e}", kind.noun()));
            None
        }
    };
    let Some((base, len, body)) = split_front_matter(&draft.files[file].text) else {
        let message = format!(
            "missing front matter: {} starts with a line `+++`, then TOML, then a line `+++`",
            kind.one()
        );
        draft.error(file, 0, message);
        return;
    };
    let body = body.to_owned();
    // A file with a bad name is still read, so that its front matter's problems are
    // reported too; it gives no record.
    let read_slug = slug.clone().unwrap_or_else(|| Slug::parse("x").expect("literal slug"));
    match kind {
        Markdown::Answers => {
            let parsed = with_toml(draft, file, base, len, |t| parse::answer(t, locale, read_slug, body));
            if let (Some((value, locs)), Some(_)) = (parsed, slug) {
                draft.answers.push(Record { value, file, locs });
            }
        }
        Markdown::Pages => {
            let parsed = with_toml(draft, file, base, len, |t| parse::page(t, locale, read_slug, body));
            if let (Some((value, locs)), Some(_)) = (parsed, slug) {
                draft.pages.push(Record { value, file, locs });
            }
        }
    }
}

/// Finds `+++` front matter: returns the TOML's offset and length and the body.
pub fn split_front_matter(text: &str) -> Option<(usize, usize, &str)> {
    let text_start = text.strip_prefix('\u{feff}').map_or(0, |_| 3);
    let rest = &text[text_start..];
    let first_len = rest.find('\n')? + 1;
    if rest[..first_len].trim_end() != "+++" {
        return None;
    }
    let base = text_start + first_len;
    let mut offset = base;
    for line in text[base..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body = &text[offset + line.len()..];
            return Some((base, offset - base, body));
        }
        offset += line.len();
    }
    None
}

fn build(draft: &mut Draft) -> Option<Catalog> {
    let site = draft.site.take()?.value;
    // In the order the store loads them, so that a catalog read back equals the one
    // written (file names sort `a-b.md` before `a.md`; slugs sort `a` first).
    let mut answers: Vec<Answer> = draft.answers.drain(..).map(|r| r.value).collect();
    answers.sort_by(|a, b| (&a.locale, &a.slug).cmp(&(&b.locale, &b.slug)));
    let mut pages: Vec<Page> = draft.pages.drain(..).map(|r| r.value).collect();
    pages.sort_by(|a, b| (&a.locale, &a.slug).cmp(&(&b.locale, &b.slug)));
    Some(Catalog {
        site,
        responsibilities: draft.responsibilities.drain(..).map(|(r, _, _)| r).collect(),
        certifications: draft.certifications.drain(..).map(|r| (r.value.code.clone(), r.value)).collect(),
        courses: draft.courses.drain(..).map(|r| (r.value.slug.clone(), r.value)).collect(),
        experts: draft.experts.drain(..).map(|r| (r.value.slug.clone(), r.value)).collect(),
        topics: draft.topics.drain(..).map(|r| (r.value.slug.clone(), r.value)).collect::<BTreeMap<_, _>>(),
        answers,
        pages,
    })
}

#[cfg(test)]
mod tests {
    use super::split_front_matter;

    #[test]
    fn front_matter_is_split_at_the_delimiters() {
        let text = "+++\na = 1\n+++\nBody\n";
        let (base, len, body) = split_front_matter(text).unwrap();
        assert_eq!(&text[base..base + len], "a = 1\n");
        assert_eq!(body, "Body\n");
        assert!(split_front_matter("a = 1\n").is_none());
        assert!(split_front_matter("+++\na = 1\n").is_none());
        let crlf = "+++\r\na = 1\r\n+++\r\nBody";
        assert_eq!(split_front_matter(crlf).unwrap().2, "Body");
    }
}
