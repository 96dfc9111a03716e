//! Property tests of content going in and out of the database (house style of
//! tests/properties.rs: `config()`, no regression files, expected values from the rule):
//!
//! - **An import is all or nothing.** A generated valid directory with one fault injected
//!   (a broken file, an unknown or missing field, a dangling reference, a bad value, a code
//!   that is not its file's name, a duplicate, a stray locale, bytes that are not UTF-8),
//!   placed at a random record, is refused, and the database — every row of every table —
//!   is exactly what it was; the directory without the fault then imports whole.
//! - **`export-content` then `import` is the identity.** The exported directory holds the
//!   published files byte for byte (the exporter writes the stored texts as they are; it
//!   does not normalise), a browser's edit included, imports into a fresh database as the
//!   same files, catalog and served API, and imported again writes no revision.
//!
//! Content is generated from the sample site (`content/`): a random subset of its
//! certifications, courses, answers and topics (what a kept record refers to is kept), with
//! random but valid titles, prices, durations and Markdown bodies. Runs on `SQLite` files
//! (in `/dev/shm` where there is one): the comparison reads every table through a
//! connection of its own. (`PostgreSQL`'s import atomicity is the conformance suite's, in
//! tests/store.rs.)

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use certwise::app::{self, Config, ImportOptions};
use certwise::content::{self, Files};
use certwise::editorial;
use certwise::store;
use certwise::web::{self, Clock};
use proptest::prelude::*;
use proptest::sample::Index;
use toml_edit::{DocumentMut, value};

/// A config with `cases` cases and no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

const TODAY: &str = "2026-11-26";

fn today() -> chrono::NaiveDate {
    TODAY.parse().expect("a date")
}

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
});

/// The sample site's files, read once.
static SAMPLE: LazyLock<Files> = LazyLock::new(|| {
    let read = content::files::read_dir(&common::sample_content());
    assert!(read.unreadable.is_empty(), "the sample reads whole");
    read.files
});

fn paths_under(folder: &str) -> Vec<String> {
    SAMPLE.keys().filter(|p| p.starts_with(folder)).cloned().collect()
}

// ---------------------------------------------------------------------------------------
// Generated content
// ---------------------------------------------------------------------------------------

/// A TOML document's table: the file itself, or an answer's front matter.
fn edit_toml(text: &str, edit: impl FnOnce(&mut DocumentMut)) -> String {
    match content::split_front_matter(text) {
        Some((offset, len, _)) if text.starts_with("+++") => {
            let mut doc: DocumentMut = text[offset..offset + len].parse().expect("sample front matter");
            edit(&mut doc);
            let front = doc.to_string();
            let front = if front.ends_with('\n') { front } else { format!("{front}\n") };
            format!("{}{front}{}", &text[..offset], &text[offset + len..])
        }
        _ => {
            let mut doc: DocumentMut = text.parse().expect("a sample TOML file");
            edit(&mut doc);
            doc.to_string()
        }
    }
}

fn toml_of(text: &str) -> toml::Table {
    let front = match content::split_front_matter(text) {
        Some((offset, len, _)) if text.starts_with("+++") => &text[offset..offset + len],
        _ => text,
    };
    toml::from_str(front).expect("a sample record")
}

fn strings(table: &toml::Table, key: &str) -> Vec<String> {
    table
        .get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

/// The random choices a generated site is made of.
#[derive(Debug, Clone)]
struct Recipe {
    certifications: Vec<String>,
    courses: Vec<String>,
    answers: Vec<String>,
    topics: Vec<String>,
    site_name: String,
    /// (which kept certification, a new title, a new exam length)
    certification_edits: Vec<(Index, String, i64)>,
    /// (which kept course, price in cents, duration in days)
    course_edits: Vec<(Index, u32, i64)>,
    /// (which kept answer, a new question, a paragraph to add to its body)
    answer_edits: Vec<(Index, String, String)>,
    /// (which expert, a new biography)
    expert_edits: Vec<(Index, String)>,
}

/// A plain line of text, with characters TOML and HTML must escape.
fn words() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9 ,.;:'\"&<>()/?!éüßç\\\\-]{0,40}"
}

/// A paragraph of Markdown, raw HTML included (it is sanitised when rendered).
fn markdown() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[A-Za-z0-9 ,.éü]{1,20}",
            proptest::sample::select(vec![
                "**bold**",
                "*em*",
                "`code`",
                "[link](https://example.ch/x)",
                "<script>alert(1)</script>",
                "<b onclick=\"x()\">b</b>",
                "&amp; &lt;",
                "\n\n- item\n",
                "\n\n## Heading\n\n",
                "MD-102",
                "\\",
                "\"\"\"",
                "'''",
            ])
            .prop_map(str::to_owned),
        ],
        1..8,
    )
    .prop_map(|parts| parts.concat())
}

fn recipe() -> impl Strategy<Value = Recipe> {
    let certifications = paths_under("certifications/");
    let courses = paths_under("courses/");
    let answers = paths_under("answers/");
    let topics = paths_under("topics/");
    (
        proptest::sample::subsequence(certifications.clone(), 1..=certifications.len()),
        proptest::sample::subsequence(courses.clone(), 0..=courses.len()),
        proptest::sample::subsequence(answers.clone(), 0..=answers.len()),
        proptest::sample::subsequence(topics.clone(), 0..=topics.len()),
        words(),
        proptest::collection::vec((any::<Index>(), words(), 1..=300i64), 0..4),
        proptest::collection::vec((any::<Index>(), 0..1_000_000u32, 1..=20i64), 0..4),
        proptest::collection::vec((any::<Index>(), words(), markdown()), 0..4),
        proptest::collection::vec((any::<Index>(), markdown()), 0..2),
    )
        .prop_map(
            |(
                certifications,
                courses,
                answers,
                topics,
                site_name,
                certification_edits,
                course_edits,
                answer_edits,
                expert_edits,
            )| Recipe {
                certifications,
                courses,
                answers,
                topics,
                site_name,
                certification_edits,
                course_edits,
                answer_edits,
                expert_edits,
            },
        )
}

impl Recipe {
    /// The content directory the recipe makes: the chosen records, each kept only with
    /// what it refers to (a course's certification, an answer's certifications), with the
    /// edits applied. Valid by construction; the properties assert it.
    fn files(&self) -> Files {
        let mut files: Files = Files::new();
        for path in ["site.toml", "responsibilities.toml"] {
            files.insert(path.to_owned(), SAMPLE[path].clone());
        }
        for (path, text) in SAMPLE.iter() {
            if path.starts_with("static/") || path.starts_with("experts/") || path.starts_with("pages/") {
                files.insert(path.clone(), text.clone());
            }
        }
        let codes: Vec<String> = self
            .certifications
            .iter()
            .map(|p| toml_of(&SAMPLE[p])["code"].as_str().unwrap().to_owned())
            .collect();
        for path in &self.certifications {
            files.insert(path.clone(), SAMPLE[path].clone());
        }
        for path in &self.courses {
            let course = toml_of(&SAMPLE[path]);
            if codes.iter().any(|c| course["certification"].as_str() == Some(c)) {
                files.insert(path.clone(), SAMPLE[path].clone());
            }
        }
        for path in &self.answers {
            let answer = toml_of(&SAMPLE[path]);
            if strings(&answer, "certifications").iter().all(|c| codes.contains(c)) {
                files.insert(path.clone(), SAMPLE[path].clone());
            }
        }
        for path in &self.topics {
            files.insert(path.clone(), SAMPLE[path].clone());
        }

        let name = self.site_name.clone();
        edit(&mut files, "site.toml", |d| d["name"] = value(name));
        let kept = |files: &Files, folder: &str| -> Vec<String> {
            files.keys().filter(|p| p.starts_with(folder)).cloned().collect()
        };
        let certifications = kept(&files, "certifications/");
        for (at, title, minutes) in &self.certification_edits {
            let path = at.get(&certifications);
            edit(&mut files, path, |d| {
                d["title"] = value(title.as_str());
                d["exam_minutes"] = value(*minutes);
            });
        }
        let courses = kept(&files, "courses/");
        for (at, cents, days) in &self.course_edits {
            if courses.is_empty() {
                break;
            }
            let path = at.get(&courses);
            edit(&mut files, path, |d| {
                d["price"] = value(format!("{}.{:02}", cents / 100, cents % 100));
                d["duration_days"] = value(*days);
            });
        }
        let answers = kept(&files, "answers/");
        for (at, question, paragraph) in &self.answer_edits {
            if answers.is_empty() {
                break;
            }
            let path = at.get(&answers);
            edit(&mut files, path, |d| d["question"] = value(question.as_str()));
            let text = files.get_mut(path).expect("kept");
            text.push('\n');
            text.push_str(paragraph);
            text.push('\n');
        }
        let experts = kept(&files, "experts/");
        for (at, bio) in &self.expert_edits {
            let path = at.get(&experts);
            edit(&mut files, path, |d| d["bio"] = value(bio.as_str()));
        }
        files
    }
}

fn edit(files: &mut Files, path: &str, f: impl FnOnce(&mut DocumentMut)) {
    let text = files.get_mut(path).expect("a generated file");
    *text = edit_toml(text, f);
}

// ---------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------

/// One thing wrong with one file.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Not TOML any more.
    Syntax,
    /// A field CONTENT.md does not have.
    UnknownField,
    /// A required field removed.
    MissingField,
    /// A reference to a record that does not exist.
    DanglingReference,
    /// A value of the wrong type or out of range.
    BadValue,
    /// A certification whose code is not its file's name.
    CodeNotFileName,
    /// A record copied under a second file name (slug not the stem, or a duplicate).
    Duplicate,
    /// An answer in a locale folder the site does not have.
    StrayLocale,
    /// Bytes that are not UTF-8.
    NotUtf8,
    /// `site.toml`'s default locale not among its locales.
    SiteLocale,
}

/// Every kind of fault: each case tries them all, each at a record of its own choosing.
const FAULTS: [Fault; 10] = [
    Fault::Syntax,
    Fault::UnknownField,
    Fault::MissingField,
    Fault::DanglingReference,
    Fault::BadValue,
    Fault::CodeNotFileName,
    Fault::Duplicate,
    Fault::StrayLocale,
    Fault::NotUtf8,
    Fault::SiteLocale,
];

/// A content directory as bytes (a fault may make one file not UTF-8).
type Raw = BTreeMap<String, Vec<u8>>;

/// `files` with `fault` put into the record `at` picks among those it applies to. Returns
/// the directory and the paths a message about the fault may name.
#[allow(clippy::too_many_lines, reason = "one arm per kind of fault: the table reads best whole")]
fn inject(files: &Files, fault: Fault, at: Index) -> (Raw, Vec<String>) {
    let mut raw: Raw = files.iter().map(|(p, t)| (p.clone(), t.clone().into_bytes())).collect();
    let of = |prefixes: &[&str]| -> Vec<String> {
        files.keys().filter(|p| prefixes.iter().any(|f| p.starts_with(f))).cloned().collect()
    };
    let records = of(&["certifications/", "courses/", "experts/", "topics/", "answers/"]);
    let set = |raw: &mut Raw, path: &str, f: &dyn Fn(&mut DocumentMut)| {
        raw.insert(path.to_owned(), edit_toml(&files[path], f).into_bytes());
    };
    let path = match fault {
        Fault::Syntax | Fault::UnknownField => {
            let path = at.get(&records).clone();
            let line = if matches!(fault, Fault::Syntax) { "= not toml\n" } else { "no_such_field = 1\n" };
            let text = &files[&path];
            // At the top of the TOML: after an answer's opening `+++` line.
            let text = match text.strip_prefix("+++\n") {
                Some(rest) => format!("+++\n{line}{rest}"),
                None => format!("{line}{text}"),
            };
            raw.insert(path.clone(), text.into_bytes());
            path
        }
        Fault::MissingField => {
            let path = at.get(&of(&["certifications/", "courses/", "experts/", "answers/"])).clone();
            let field = match path.split('/').next() {
                Some("certifications") => "level",
                Some("courses") => "price",
                Some("experts") => "name",
                _ => "question",
            };
            set(&mut raw, &path, &|d| {
                d.remove(field);
            });
            path
        }
        Fault::DanglingReference => {
            // Certifications without domains refer to nothing that must exist.
            let mut candidates = of(&["courses/", "answers/"]);
            candidates
                .extend(of(&["certifications/"]).into_iter().filter(|p| files[p].contains("[[domains]]")));
            if candidates.is_empty() {
                // Nothing here refers to anything (only certifications without domains): a
                // sample course comes in, about an exam the catalog does not hold.
                let path = SAMPLE
                    .keys()
                    .find(|p| p.starts_with("courses/"))
                    .expect("the sample has courses")
                    .clone();
                let text =
                    edit_toml(&SAMPLE[&path], |d: &mut DocumentMut| d["certification"] = value("ZZ-999"));
                raw.insert(path.clone(), text.into_bytes());
                return (raw, vec![path]);
            }
            let path = at.get(&candidates).clone();
            set(&mut raw, &path, &|d| match path.split('/').next() {
                Some("courses") => d["certification"] = value("ZZ-999"),
                Some("answers") => d["author"] = value("no-such-expert"),
                _ => {
                    let mut ids = toml_edit::Array::new();
                    ids.push("no-such-responsibility");
                    d["domains"][0]["responsibilities"] = value(ids);
                }
            });
            path
        }
        Fault::BadValue => {
            let path = at.get(&of(&["courses/", "answers/", "certifications/", "experts/"])).clone();
            set(&mut raw, &path, &|d| match path.split('/').next() {
                Some("courses") => d["duration_days"] = value(0),
                Some("answers") => d["published_on"] = value("2026-02-30"),
                Some("experts") => d["credentials"] = value(5),
                _ => d["level"] = value("grandmaster"),
            });
            path
        }
        Fault::CodeNotFileName => {
            let path = at.get(&of(&["certifications/"])).clone();
            set(&mut raw, &path, &|d| d["code"] = value("ZZ-998"));
            path
        }
        Fault::Duplicate => {
            let path = at.get(&of(&["certifications/", "courses/", "experts/"])).clone();
            let copy = path.replace(".toml", "-copy.toml");
            raw.insert(copy.clone(), files[&path].clone().into_bytes());
            return (raw, vec![path, copy]);
        }
        Fault::StrayLocale => {
            let answers = of(&["answers/"]);
            if answers.is_empty() {
                // Nothing to move: an answer written in a locale the site does not have.
                let text = SAMPLE["answers/en/az-104-vs-az-305.md"].clone();
                raw.insert("answers/xx/stray.md".to_owned(), text.into_bytes());
                return (raw, vec!["answers/xx/stray.md".to_owned()]);
            }
            let path = at.get(&answers).clone();
            let text = raw.remove(&path).expect("an answer");
            let moved = format!("answers/xx/{}", path.rsplit('/').next().expect("a file name"));
            raw.insert(moved.clone(), text);
            moved
        }
        Fault::NotUtf8 => {
            let path = at.get(&records).clone();
            let bytes = raw.get_mut(&path).expect("a record");
            let middle = bytes.len() / 2;
            bytes.insert(middle, 0xff);
            path
        }
        Fault::SiteLocale => {
            set(&mut raw, "site.toml", &|d| d["default_locale"] = value("it"));
            "site.toml".to_owned()
        }
    };
    (raw, vec![path])
}

fn write_raw(dir: &Path, raw: &Raw) {
    for (path, bytes) in raw {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("a folder");
        std::fs::write(file, bytes).expect("a written file");
    }
}

fn write_files(dir: &Path, files: &Files) {
    write_raw(dir, &files.iter().map(|(p, t)| (p.clone(), t.clone().into_bytes())).collect());
}

/// Every file under `dir`, by `/`-separated relative path.
fn read_tree(dir: &Path) -> Raw {
    fn walk(root: &Path, dir: &Path, out: &mut Raw) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under the root");
                let rel = rel.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>().join("/");
                out.insert(rel, std::fs::read(&path).expect("a readable file"));
            }
        }
    }
    let mut out = Raw::new();
    walk(dir, dir, &mut out);
    out
}

// ---------------------------------------------------------------------------------------
// The database, whole
// ---------------------------------------------------------------------------------------

/// A folder for databases and directories: in memory (`/dev/shm`) where there is one, so
/// the many commits of a run do not wait for the disk; the rules tested are the same.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("a folder")
}

/// An `SQLite` database file of its own, opened again by URL (the store, `certwise import`
/// and [`common::dump`] each connect to it).
struct Db {
    url: String,
    _dir: tempfile::TempDir,
}

impl Db {
    fn new() -> Self {
        let dir = scratch();
        let url = format!("sqlite://{}", dir.path().join("certwise.db").display());
        Self { url, _dir: dir }
    }
}

fn options(force: bool) -> ImportOptions {
    ImportOptions { force, today: today() }
}

fn stored_files(files: Vec<store::ContentFile>) -> Files {
    files.into_iter().map(|f| (f.path, f.text)).collect()
}

/// The served catalog: what the public API lists.
async fn served(db: &Db) -> Vec<String> {
    let config = Config::new(&db.url, common::sample_content(), Clock::Fixed(today()));
    let app = web::router(app::prepare(&config).await.expect("a database with content"));
    let mut out = Vec::new();
    for uri in ["/api/v1/certifications", "/api/v1/answers", "/api/v1/answers?locale=de"] {
        let reply = common::get(&app, uri).await;
        assert_eq!(reply.status, 200, "{uri}: {}", reply.body);
        out.push(reply.body);
    }
    out
}

proptest! {
    #![proptest_config(config(6))]

    // Rule: an import is all or nothing. With a fault anywhere, it is refused, names the
    // faulty file, and the database is, row for row, what it held before (content A); the
    // directory without the fault (B) then imports whole: the database holds B's files.
    // Every kind of fault is tried in every case, each at a random record, forced or not,
    // through an open store or by URL (`certwise import`).
    //
    // Sometimes an editor has also written an answer in the browser about one of A's
    // certifications. The ownership rule keeps it through B's import (unless forced), so
    // when B no longer has that certification the whole is invalid: B is then refused as
    // well, and nothing is written either.
    #[test]
    fn an_import_is_all_or_nothing(
        a in recipe(),
        b in recipe(),
        placements in proptest::collection::vec(
            (any::<Index>(), any::<bool>(), any::<bool>()),
            FAULTS.len(),
        ),
        browser_answer in proptest::option::weighted(0.75, any::<Index>()),
        force in proptest::bool::weighted(0.25),
    ) {
        let a = a.files();
        let b = b.files();
        RUNTIME.block_on(async {
            let db = Db::new();
            let store = store::open(&db.url).await.expect("a database");
            let dirs = scratch();
            let (dir_a, dir_b) = (dirs.path().join("a"), dirs.path().join("b"));
            write_files(&dir_a, &a);
            write_files(&dir_b, &b);

            app::import_with(store.as_ref(), &dir_a, options(false)).await.expect("content A imports");
            let browser = match browser_answer {
                Some(at) => {
                    let codes = codes(&a);
                    Some(write_in_the_browser(store.as_ref(), at.get::<String>(&codes)).await)
                }
                None => None,
            };
            let before = common::dump(&db.url).await;

            for (n, (fault, (at, force, by_url))) in FAULTS.iter().zip(placements).enumerate() {
                let (faulty, named) = inject(&b, *fault, at);
                let dir_faulty = dirs.path().join(format!("faulty-{n}"));
                write_raw(&dir_faulty, &faulty);

                let checked = content::check_dir(&dir_faulty);
                prop_assert!(checked.catalog.is_none(), "{:?} in {:?} passes the checks", fault, named);
                let located = checked.diagnostics.iter().any(|d| {
                    d.severity == content::Severity::Error && named.iter().any(|n| d.path.ends_with(n))
                });
                prop_assert!(located, "no error names {:?}: {:?}", named, checked.diagnostics);

                let refused = if by_url {
                    app::import_dir(&db.url, &dir_faulty, options(force)).await
                } else {
                    app::import_with(store.as_ref(), &dir_faulty, options(force)).await
                };
                prop_assert!(refused.is_err(), "{:?} in {:?} was imported", fault, named);
                prop_assert_eq!(&common::dump(&db.url).await, &before, "{:?} in {:?} changed the database", fault, named);
            }

            let imported = app::import_with(store.as_ref(), &dir_b, options(force)).await;
            let mut expected = b.clone();
            match browser {
                Some((code, _)) if !force && !codes(&b).contains(&code) => {
                    prop_assert!(imported.is_err(), "B without {} was imported beside the answer about it", code);
                    prop_assert_eq!(&common::dump(&db.url).await, &before, "the refused import changed the database");
                    return Ok(());
                }
                Some((_, (path, text))) if !force => {
                    prop_assert_eq!(imported.expect("B imports").kept, vec![path.clone()]);
                    expected.insert(path, text);
                }
                _ => prop_assert!(imported.expect("B imports").kept.is_empty(), "forced, or nothing to keep"),
            }
            prop_assert_eq!(stored_files(store.content_files().await.expect("files")), expected);
            Ok(())
        })?;
    }
}

/// The certification codes of a content directory.
fn codes(files: &Files) -> Vec<String> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("certifications/"))
        .filter_map(|(_, text)| toml_of(text).get("code").and_then(|c| c.as_str()).map(str::to_owned))
        .collect()
}

/// Publishes a new answer about `code` from the editors' area; returns the code and the
/// answer's path and text.
async fn write_in_the_browser(store: &dyn store::Store, code: &str) -> (String, (String, String)) {
    let path = "answers/en/written-in-the-browser.md".to_owned();
    let text = edit_toml(&SAMPLE["answers/en/az-104-vs-az-305.md"], |d| {
        let mut certifications = toml_edit::Array::new();
        certifications.push(code);
        d["certifications"] = value(certifications);
        let mut topics = toml_edit::Array::new();
        topics.push("certification");
        d["topics"] = value(topics);
        d.remove("choose");
        // One answer per translation key and locale: B may hold the original.
        d.remove("translation_key");
    });
    let previous = store.load().await.expect("a load").expect("content A").catalog;
    let edit = editorial::Edit {
        path: &path,
        text: Some(text.clone()),
        expected: None,
        author: "editor@example.ch",
        message: "Written in the browser",
        action: "content.publish",
        draft: None,
    };
    editorial::publish(store, edit, &previous, today()).await.expect("the browser's answer is published");
    (code.to_owned(), (path, text))
}

proptest! {
    #![proptest_config(config(8))]

    // Rule: export-content then import is the identity. The export holds the published
    // files byte for byte (the exporter writes stored texts unchanged) — an answer written
    // in the browser too, when there is one —, a fresh database importing it holds the same
    // files and catalog and serves the same API, and importing the export again writes no
    // revision: nothing at all, except that the browser's answer is then marked imported
    // (the ownership rule's confirmation, a new generation without a revision), after which
    // a further import writes nothing either.
    #[test]
    fn export_content_then_import_is_the_identity(
        recipe in recipe(),
        browser_answer in proptest::option::of(any::<Index>()),
    ) {
        let mut files = recipe.files();
        RUNTIME.block_on(async {
            let (db, copy_db) = (Db::new(), Db::new());
            let store = store::open(&db.url).await.expect("a database");
            let copy = store::open(&copy_db.url).await.expect("a second database");
            let dirs = scratch();
            let (dir, exported) = (dirs.path().join("in"), dirs.path().join("out"));
            write_files(&dir, &files);
            app::import_with(store.as_ref(), &dir, options(false)).await.expect("the content imports");
            if let Some(at) = browser_answer {
                let codes = codes(&files);
                let (_, (path, text)) = write_in_the_browser(store.as_ref(), at.get::<String>(&codes)).await;
                files.insert(path, text);
            }

            let n = editorial::export_content(store.as_ref(), &exported).await.expect("the export");
            prop_assert_eq!(n, files.len());
            let expected: Raw = files.iter().map(|(p, t)| (p.clone(), t.clone().into_bytes())).collect();
            prop_assert_eq!(read_tree(&exported), expected, "the export is the published files, byte for byte");

            app::import_with(copy.as_ref(), &exported, options(false)).await.expect("the export imports");
            prop_assert_eq!(stored_files(copy.content_files().await.expect("files")), files.clone());
            let (original, copied) = (store.load().await.expect("a load"), copy.load().await.expect("a load"));
            prop_assert_eq!(
                original.map(|s| s.catalog),
                copied.map(|s| s.catalog),
                "the same catalog"
            );
            prop_assert_eq!(served(&db).await, served(&copy_db).await, "the same served catalog");

            let revisions = |dump: &BTreeMap<String, Vec<String>>| dump["revisions"].clone();
            for (db, store, confirms) in [(&copy_db, &copy, false), (&db, &store, browser_answer.is_some())] {
                let before = common::dump(&db.url).await;
                let again = app::import_with(store.as_ref(), &exported, options(false)).await.expect("again");
                let after = common::dump(&db.url).await;
                prop_assert_eq!(revisions(&after), revisions(&before), "a second import writes no revision");
                if confirms {
                    prop_assert!(again.summary.is_some(), "the browser's answer is confirmed");
                    let stored = store.content_files().await.expect("files");
                    prop_assert!(!stored.iter().any(store::ContentFile::edited_since_import), "all imported now");
                    let third = app::import_with(store.as_ref(), &exported, options(false)).await.expect("third");
                    prop_assert!(third.summary.is_none(), "a third import writes nothing");
                    prop_assert_eq!(&common::dump(&db.url).await, &after, "a third import writes nothing");
                } else {
                    prop_assert!(again.summary.is_none(), "a second import writes nothing");
                    prop_assert_eq!(&after, &before, "a second import writes nothing");
                }
            }
            Ok(())
        })?;
    }
}

/// Found on CI: a site whose only records refer to nothing (certifications without domains,
/// no course, no answer) had no record to put a dangling reference into. Every kind of
/// fault must still find a place, and be an error that names it.
#[test]
fn every_fault_has_a_place_in_a_site_without_references() {
    let recipe = Recipe {
        certifications: vec!["certifications/az-802.toml".into(), "certifications/sc-400.toml".into()],
        courses: Vec::new(),
        answers: Vec::new(),
        topics: Vec::new(),
        site_name: "Site".into(),
        certification_edits: Vec::new(),
        course_edits: Vec::new(),
        answer_edits: Vec::new(),
        expert_edits: Vec::new(),
    };
    let files = recipe.files();
    assert!(!files.keys().any(|p| p.starts_with("courses/") || p.starts_with("answers/")));
    let dirs = scratch();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for (n, fault) in FAULTS.iter().enumerate() {
        use proptest::strategy::ValueTree as _;
        let at = any::<Index>().new_tree(&mut runner).expect("an index").current();
        let (faulty, named) = inject(&files, *fault, at);
        let dir = dirs.path().join(format!("faulty-{n}"));
        write_raw(&dir, &faulty);
        let checked = content::check_dir(&dir);
        let located = checked
            .diagnostics
            .iter()
            .any(|d| d.severity == content::Severity::Error && named.iter().any(|n| d.path.ends_with(n)));
        assert!(located, "{fault:?}: no error names {named:?}: {:?}", checked.diagnostics);
    }
}
