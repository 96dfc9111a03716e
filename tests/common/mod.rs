//! The harness for tests that drive the whole application in-process.

#![allow(dead_code, reason = "each test binary uses a different part of the harness")]

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use certwise::app::{self, Config};
use certwise::web::App;
use certwise::web::{self, AppState, Clock};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub fn sample_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// Copies the directory `from` into `to` (created if missing), files and subdirectories:
/// tests edit such a copy instead of the committed content.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy's directory");
    for entry in std::fs::read_dir(from).expect("read the directory to copy") {
        let entry = entry.expect("directory entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The `PostgreSQL` server the tests may use (`CERTWISE_TEST_POSTGRES`, a URL such as
/// `postgres://postgres@127.0.0.1:7150/postgres`; scripts/with-postgres.sh sets it).
pub fn postgres_server() -> Option<String> {
    std::env::var("CERTWISE_TEST_POSTGRES").ok().filter(|url| !url.is_empty())
}

/// The database a page test runs on: an in-memory `SQLite` database, or, with
/// `CERTWISE_TEST_DATABASE=postgres`, a new database of its own on the `PostgreSQL` server
/// of `CERTWISE_TEST_POSTGRES`. (The store's conformance suite runs on both whenever the
/// server is set; page tests run on one database per `cargo test`, so `.ci/run` runs
/// them a second time with the variable set.)
pub async fn database_url() -> String {
    match std::env::var("CERTWISE_TEST_DATABASE").as_deref() {
        Ok("postgres") => {
            let server = postgres_server().expect(
                "CERTWISE_TEST_DATABASE=postgres needs CERTWISE_TEST_POSTGRES (scripts/with-postgres.sh)",
            );
            new_postgres_database(&server).await
        }
        Ok("sqlite") | Err(_) => "sqlite::memory:".to_owned(),
        Ok(other) => panic!("CERTWISE_TEST_DATABASE={other}: expected sqlite or postgres"),
    }
}

/// The kind of database [`database_url`] gives (`Store::kind`): `sqlite` or `postgresql`.
pub fn database_kind() -> &'static str {
    match std::env::var("CERTWISE_TEST_DATABASE").as_deref() {
        Ok("postgres") => "postgresql",
        _ => "sqlite",
    }
}

/// Creates `t_<random>` on the server and returns its URL.
pub async fn new_postgres_database(server: &str) -> String {
    use sqlx::Connection as _;
    let name = format!("t_{:016x}", rand::random::<u64>());
    let mut conn = sqlx::PgConnection::connect(server)
        .await
        .unwrap_or_else(|e| panic!("CERTWISE_TEST_POSTGRES={server} does not answer: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("a new database");
    let _ = conn.close().await;
    let mut url = url::Url::parse(server).expect("CERTWISE_TEST_POSTGRES is a URL");
    url.set_path(&name);
    url.to_string()
}

/// Which database a store test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A database of its own for one store test, with a URL it can be opened again by (an
/// `SQLite` file in a temporary directory, or a new `PostgreSQL` database).
#[derive(Debug)]
pub struct TestDb {
    pub kind: Kind,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("certwise.db").display());
        Self { kind: Kind::Sqlite, url, _dir: Some(dir) }
    }

    /// A new database on `CERTWISE_TEST_POSTGRES`; without it `None` after printing
    /// `SKIPPED`, or a failure under CI (`CI` set), where `PostgreSQL` must be tested.
    pub async fn postgres() -> Option<Self> {
        let Some(server) = postgres_server() else {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL is not tested: set CERTWISE_TEST_POSTGRES (scripts/with-postgres.sh does)"
            );
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                b"SKIPPED: PostgreSQL (set CERTWISE_TEST_POSTGRES)\n",
            );
            return None;
        };
        Some(Self { kind: Kind::Postgres, url: new_postgres_database(&server).await, _dir: None })
    }

    /// Runs `sql` on a connection of its own, beside the store (as another client would).
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        use sqlx::Connection as _;
        match self.kind {
            Kind::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
                Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
            }
            Kind::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await?;
                Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
            }
        }
    }
}

/// Defines a store test that runs on both databases: `NAME::sqlite` always, and
/// `NAME::postgres` on `CERTWISE_TEST_POSTGRES` (SKIPPED without it; failing under CI).
/// The body is an `async fn(TestDb)`.
#[macro_export]
macro_rules! conformance {
    ($(#[$meta:meta])* async fn $name:ident($db:ident: TestDb) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($db: $crate::common::TestDb) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::common::TestDb::sqlite()).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::common::TestDb::postgres().await {
                    run(db).await;
                }
            }
        }
    };
}

/// The application over the test database ([`database_url`]) with `content` imported, as
/// of `today`.
pub async fn state(content: &Path, today: &str) -> AppState {
    let url = database_url().await;
    let config = Config::new(&url, content, Clock::Fixed(today.parse().expect("test date")));
    searchable(app::prepare(&config).await.expect("the test content imports")).await
}

/// `state` once its search index is built (in the background, milliseconds for test content).
pub async fn searchable(state: AppState) -> AppState {
    let generation = state.published.current().generation;
    assert!(
        state.search.ready(generation, std::time::Duration::from_secs(30)).await,
        "the search index is built"
    );
    state
}

pub async fn app(content: &Path, today: &str) -> App {
    web::router(state(content, today).await)
}

/// The sample site as of 2026-11-26 (MS-102 still retiring).
pub async fn sample() -> App {
    app(&sample_content(), "2026-11-26").await
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn request(app: &App, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("the router is infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &App, uri: &str) -> Reply {
    request(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// The text of an HTML fragment as a reader sees it: tags dropped (each one a space),
/// whitespace collapsed, the non-breaking hyphen of `5‑day` read as a hyphen.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(if c == '\u{2011}' { '-' } else { c }),
            _ => {}
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // A tag between a word and its punctuation is not a space to the reader.
    [" ?", " .", " ,", " :", " )"].iter().fold(collapsed, |t, p| t.replace(p, &p[1..]))
}

/// The application on the database at `url` with the sample content as of 2026-11-26 and
/// the given limits.
pub async fn state_with(url: &str, limits: certwise::web::limits::Limits) -> AppState {
    let config =
        Config { limits, ..Config::new(url, sample_content(), Clock::Fixed("2026-11-26".parse().unwrap())) };
    searchable(app::prepare(&config).await.expect("the sample imports")).await
}

/// The form token a page carries.
pub fn form_token(html: &str) -> String {
    let at = html.find("name=\"token\" value=\"").expect("a form token on the page") + 20;
    html[at..at + html[at..].find('"').expect("the token ends")].to_owned()
}

/// The named fields of the page's edit form (the editors' area): inputs with their value, textareas with
/// their text, selects with their selected option.
pub fn form_fields(html: &str) -> Vec<(String, String)> {
    let form = &html[html.find("class=\"admin-edit\"").expect("the edit form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let unescape = |s: &str| {
        s.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    };
    let mut out = Vec::new();
    let input = regex::Regex::new(r#"<input[^>]*\bname="([^"]+)"[^>]*>"#).unwrap();
    let value = regex::Regex::new(r#"\bvalue="([^"]*)""#).unwrap();
    for c in input.captures_iter(form) {
        let v = value.captures(&c[0]).map(|v| unescape(&v[1])).unwrap_or_default();
        out.push((c[1].to_owned(), v));
    }
    let textarea = regex::Regex::new(r#"(?s)<textarea[^>]*\bname="([^"]+)"[^>]*>(.*?)</textarea>"#).unwrap();
    for c in textarea.captures_iter(form) {
        // As a browser parses it: one newline right after the opening tag is not content.
        let text = c[2].strip_prefix('\n').unwrap_or(&c[2]);
        out.push((c[1].to_owned(), unescape(text)));
    }
    let select = regex::Regex::new(r#"(?s)<select[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>"#).unwrap();
    let selected = regex::Regex::new(r"<option selected>([^<]*)</option>").unwrap();
    for c in select.captures_iter(form) {
        let v = selected.captures(&c[2]).map(|s| unescape(&s[1])).unwrap_or_default();
        out.push((c[1].to_owned(), v));
    }
    out
}

/// A disk that fills: an 8 MiB tmpfs on a new temporary directory, unmounted however the
/// test ends.
pub struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    /// Mounts one; `None` (and `SKIPPED` on stderr) where mounting is not allowed, which
    /// fails the test under CI.
    pub fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if mounted {
            return Some(Self(dir));
        }
        let msg = "a full disk needs a small tmpfs: run the tests as root (mount -t tmpfs)";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("SKIPPED: {msg}\n").as_bytes());
        None
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// Writes until the disk is full; the file is removed again by [`SmallDisk::free`].
    pub fn fill(&self) {
        let mut file = std::fs::File::create(self.path().join("filler")).expect("a filler file");
        let chunk = vec![0u8; 64 * 1024];
        while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
        let _ = file.sync_all();
    }

    /// The bytes still free on the disk (`statvfs`: blocks available to anyone).
    pub fn available(&self) -> u64 {
        let s = rustix::fs::statvfs(self.path()).expect("statvfs of the small disk");
        s.f_bavail * s.f_frsize
    }

    pub fn free(&self) {
        std::fs::remove_file(self.path().join("filler")).expect("the filler file goes");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

/// Every row of every table of the `SQLite` database at `url` (`sqlite_sequence`
/// included), each row as SQL literals, in rowid order, read on a connection of its own:
/// what "the database is exactly as it was" compares.
pub async fn dump(url: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    use sqlx::Connection as _;
    let mut conn = sqlx::SqliteConnection::connect(url).await.expect("a connection of its own");
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut conn)
            .await
            .expect("the tables");
    let mut out = std::collections::BTreeMap::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
            .bind(&table)
            .fetch_all(&mut conn)
            .await
            .expect("the columns");
        let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM \"{table}\" ORDER BY rowid"))
            .fetch_all(&mut conn)
            .await
            .expect("the rows");
        out.insert(table, rows);
    }
    let _ = conn.close().await;
    out
}
