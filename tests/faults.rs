//! Fault injection: the disk fills under the `SQLite` database (the default store) during
//! a consent decision, an inquiry, a publish (and a draft's save) and an import. Each
//! write is refused as "try again" — a 503 with `Retry-After` and the input kept, or for
//! `certwise import` a non-zero exit that names the full disk and the database —, nothing
//! is half-written (every table's rows as before, `PRAGMA integrity_check` ok), pages are
//! still served, the same write goes through once space is back, and no pooled
//! connection is left reading an old snapshot. An expired session met on a full disk is
//! answered as logged out, not refused (its end is best-effort, like marking one seen).
//!
//! How the disk fills: the database lives on an 8 MiB tmpfs of its own (`SmallDisk`, as
//! root; SKIPPED elsewhere, failing under `CI`). The application opens it and imports the
//! sample content, so the database, its write-ahead log and shared memory exist and are
//! in use. Then the log is checkpointed and truncated (`wal_checkpoint(TRUNCATE)`), so
//! that the write under test must allocate new blocks — otherwise `SQLite` rewrites its
//! log in place and a small write succeeds on a full disk, which is right but tests
//! nothing —, and a filler file takes every free block (checked: less than one block
//! left). Nothing is freed before the write: reads need no space. The refusal is checked
//! to be for the full disk, not another reason, by the error line the server logs (or
//! the CLI prints), which names it.
//!
//! An import is tried twice: while the server holds the database open (the log and
//! shared memory exist), and with nobody holding it, where `certwise import`'s first
//! connection must create them on the full disk and fails at open.
//!
//! `/healthz` is not part of this: it answers whether the database answers (`SELECT 1`),
//! and on a full disk it does — every page is still served from memory, so a balancer
//! must not take the instance out. The tests check that it stays 200.

mod common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::Request;
use certwise::accounts;
use certwise::domain::account::Role;
use certwise::store::LeadNotification;
use certwise::web::limits::Limits;
use certwise::web::{self, App, AppState};
use common::{Reply, SmallDisk, form_fields, form_token, get, request, sample_content, state_with};
use sqlx::Connection as _;

/// Less than this left on the disk counts as full (a tmpfs block is 4 KiB).
const FULL: u64 = 4096;

const HOST: &str = "127.0.0.1:8080";
const ORIGIN: &str = "http://127.0.0.1:8080";
const ANSWER: &str = "/en/answers/md-102-vs-ms-102-difference";
const COURSE: &str = "/en/courses/md-102-endpoint-administrator";
const ANSWER_FILE: &str = "answers/en/md-102-vs-ms-102-difference.md";

/// The log lines of the code run on this thread (a current-thread test runtime runs the
/// handlers here), kept for assertions.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("the log lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_max_level(tracing::Level::WARN)
            .with_writer(move || writer.clone())
            .finish();
        (log, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("the log lock")).into_owned()
    }

    /// A line at `level` with `what` in it that names the full disk.
    fn assert_disk_full(&self, level: &str, what: &str) {
        let text = self.text();
        assert!(
            text.lines().any(|l| l.contains(level) && l.contains(what) && l.contains("the disk is full")),
            "a {level} line with `{what}` that names the full disk, in:\n{text}"
        );
    }
}

/// The application on a database of its own on a small disk, the sample content imported.
struct Site {
    disk: SmallDisk,
    url: String,
    state: AppState,
    app: App,
}

impl Site {
    async fn open() -> Option<Self> {
        let disk = SmallDisk::mount()?;
        let url = format!("sqlite://{}", disk.path().join("certwise.db").display());
        let state = state_with(&url, Limits::default()).await;
        Some(Self { app: web::router(state.clone()), disk, url, state })
    }

    /// Fills the disk so that the next write must allocate (see the module docs).
    async fn fill(&self) {
        let mut conn = sqlx::SqliteConnection::connect(&self.url).await.expect("a connection of its own");
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(&mut conn)
            .await
            .expect("a checkpoint");
        assert_eq!(busy, 0, "the log was checkpointed and truncated");
        conn.close().await.expect("closed");
        let log = self.disk.path().join("certwise.db-wal");
        assert_eq!(std::fs::metadata(&log).expect("the log exists").len(), 0, "the log is empty");
        self.disk.fill();
        let left = self.disk.available();
        assert!(left < FULL, "the disk is full: {left} bytes left");
    }

    /// Every table's rows and the integrity check, read beside the application.
    async fn rows(&self) -> Rows {
        rows(&self.url).await
    }

    async fn post(&self, path: &str, body: String, cookie: Option<&str>, json: bool) -> Reply {
        let mut req = Request::post(path)
            .header("host", HOST)
            .header("origin", ORIGIN)
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if json {
            req = req.header("accept", "application/json");
        }
        request(&self.app, req.body(Body::from(body)).expect("a request")).await
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path).header("host", HOST);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        request(&self.app, req.body(Body::empty()).expect("a request")).await
    }

    /// Every connection of the application's pool sees a write made beside it: none was
    /// left reading an old snapshot by the refused write. A connection left counting a
    /// failed transaction as open only shows it in a transaction of its own (its next one
    /// is a savepoint inside the stale read), so the content is loaded first, a
    /// transaction on each connection in turn (each takes the next idle one: twice the
    /// pool's size visits them all), and then the log is read on each.
    async fn assert_no_stale_connection(&self) {
        for _ in 0..8 {
            self.state.store.load().await.expect("the content loads");
        }
        let other = certwise::store::open(&self.url).await.expect("a second store");
        let probe = format!("probe-{}", rand::random::<u32>());
        other.append_audit("faults", &probe, "every connection", "").await.expect("a write beside the app");
        for _ in 0..8 {
            let newest = self.state.store.audit_entries(0, 1).await.expect("the audit log");
            assert_eq!(newest.first().map(|e| e.action.as_str()), Some(probe.as_str()), "a stale connection");
        }
    }

    /// Pages, search, the API and `/healthz` answer as before: they read memory.
    async fn assert_serving(&self) {
        for path in [
            ANSWER,
            "/en/certifications/?level=expert",
            "/de/search?q=md-102",
            "/api/v1/certifications/md-102",
        ] {
            let r = get(&self.app, path).await;
            assert_eq!(r.status, 200, "{path} is still served: {}", r.body);
        }
        let health = get(&self.app, "/healthz").await;
        assert_eq!((health.status.as_u16(), health.body.as_str()), (200, "ok"), "reads need no space");
    }
}

/// Every table's rows, whole ([`common::dump`]: an import deletes and re-inserts every
/// content table, so equal counts would not show it changed nothing), and the integrity
/// check.
#[derive(Debug, PartialEq, Eq)]
struct Rows {
    tables: BTreeMap<String, Vec<String>>,
    integrity: String,
}

async fn rows(url: &str) -> Rows {
    let tables = common::dump(url).await;
    let mut conn = sqlx::SqliteConnection::connect(url).await.expect("a connection of its own");
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.expect("the check");
    conn.close().await.expect("closed");
    Rows { tables, integrity }
}

impl Rows {
    fn count(&self, table: &str) -> usize {
        self.tables[table].len()
    }
}

#[tokio::test]
async fn a_consent_decision_on_a_full_disk_is_a_503_that_keeps_the_choice_and_writes_nothing() {
    let Some(site) = Site::open().await else { return };
    let (log, _guard) = Log::capture();
    let page = site.get(ANSWER, None).await;
    let form = format!(
        "token={}&action=custom&category=analytics&channel=settings&return_to=%2Fen%2F",
        form_token(&page.body)
    );
    let before = site.rows().await;
    site.fill().await;

    // A plain form: the settings page again, the reader's choice ticked, nothing set.
    let r = site.post("/consent", form.clone(), None, false).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert!(r.header("set-cookie").is_empty(), "no cookie for a decision not recorded");
    assert!(r.body.contains("nothing was saved"), "{}", r.body);
    let ticked = regex::Regex::new(r#"name="category" value="analytics" id="[^"]+" checked"#).unwrap();
    assert!(ticked.is_match(&r.body), "the choice is kept: {}", r.body);
    assert!(!r.body.contains(r#"value="marketing" id="settings-category-marketing" checked"#));
    log.assert_disk_full("ERROR", "could not record a consent decision");

    // From `fetch`: the API's error, to retry.
    let r = site.post("/consent", format!("{form}&js=1"), None, true).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert_eq!(r.json()["error"]["code"], "unavailable", "{}", r.body);

    assert_eq!(site.rows().await, before, "nothing half-written");
    site.assert_serving().await;

    site.disk.free();
    let r = site.post("/consent", form, None, false).await;
    assert_eq!(r.status, 303, "space again: it is recorded: {}", r.body);
    assert!(!r.header("set-cookie").is_empty());
    let after = site.rows().await;
    assert_eq!(after.count("consent_records"), before.count("consent_records") + 1);
    assert_eq!(after.integrity, "ok");
    site.assert_no_stale_connection().await;
}

#[tokio::test]
async fn an_inquiry_on_a_full_disk_is_a_503_that_keeps_the_form_and_writes_no_lead_and_no_notification() {
    let Some(mut site) = Site::open().await else { return };
    // With a webhook, a lead and its outbox row are written in one transaction.
    site.state = site.state.clone().announcing_leads(LeadNotification::Webhook);
    site.app = web::router(site.state.clone());
    let (log, _guard) = Log::capture();
    let page = site.get(COURSE, None).await;
    let form = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("token", form_token(&page.body).as_str()),
            ("name", "Mia Muster"),
            ("email", "mia@example.ch"),
            ("company", "Muster AG"),
            ("session", ""),
            ("message", "Is lunch included?"),
            ("agree", "yes"),
            ("website", ""),
        ])
        .finish();
    let before = site.rows().await;
    site.fill().await;

    let r = site.post(&format!("{COURSE}/inquiry"), form.clone(), None, false).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert!(r.body.contains("nothing was sent"), "{}", r.body);
    for kept in
        [r#"value="Mia Muster""#, r#"value="mia@example.ch""#, r#"value="Muster AG""#, "Is lunch included?"]
    {
        assert!(r.body.contains(kept), "{kept} kept: {}", r.body);
    }
    log.assert_disk_full("ERROR", "could not store an inquiry");
    assert_eq!(site.rows().await, before, "no lead, no notification, nothing half-written");
    site.assert_serving().await;

    site.disk.free();
    let r = site.post(&format!("{COURSE}/inquiry"), form, None, false).await;
    assert_eq!(r.status, 303, "space again: it is stored: {}", r.body);
    let after = site.rows().await;
    assert_eq!(after.count("leads"), before.count("leads") + 1);
    assert_eq!(after.count("lead_outbox"), before.count("lead_outbox") + 1);
    assert_eq!(after.integrity, "ok");
    site.assert_no_stale_connection().await;
}

/// Logs in a new publisher: the session cookie.
async fn publisher(site: &Site) -> String {
    const PASSWORD: &str = "plum tree at dawn";
    let store = site.state.store.as_ref();
    let now = site.state.time.now();
    let (user, _) = accounts::add_user(
        store,
        "pat@example.ch",
        Role::Publisher,
        Some("temporary at first"),
        accounts::CLI,
        now,
    )
    .await
    .expect("a publisher");
    accounts::change_password(store, &user, "", PASSWORD, now).await.expect("a password");
    let token = form_token(&site.get("/admin/login", None).await.body);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("email", "pat@example.ch"),
            ("password", PASSWORD),
            ("token", &token),
            ("next", "/admin/"),
        ])
        .finish();
    let r = site.post("/admin/login", body, None, false).await;
    assert_eq!(r.status, 303, "login: {}", r.body);
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        // `cw_session` on a loopback host, `__Host-cw_session` elsewhere.
        .find(|v| v.starts_with("cw_session=") || v.starts_with("__Host-cw_session="))
        .map(|v| v.split(';').next().expect("a cookie").to_owned())
        .expect("a session cookie")
}

#[tokio::test]
async fn a_publish_or_a_draft_on_a_full_disk_is_a_503_that_keeps_the_form_and_writes_nothing() {
    const QUESTION: &str = "MD-102 or MS-102: which one is for me, on a full disk?";
    let Some(site) = Site::open().await else { return };
    let cookie = publisher(&site).await;
    let (log, _guard) = Log::capture();
    let edit = format!("/admin/edit/{ANSWER_FILE}");
    let page = site.get(&edit, Some(&cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut fields = form_fields(&page.body);
    for (name, value) in &mut fields {
        if name == "question" {
            QUESTION.clone_into(value);
        }
    }
    let with_action = |fields: &[(String, String)], action: &str| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .append_pair("action", action)
            .finish()
    };
    let generation = site.state.store.generation().await.unwrap().expect("a generation").number;
    let before = site.rows().await;
    site.fill().await;
    // The editor took a while: the session's last use is due to be written (a minute on).
    site.state.time.advance(120);

    // Saving a draft: the same answer.
    let r = site.post(&edit, with_action(&fields, "save"), Some(&cookie), false).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert!(
        r.body.contains(r#"class="admin-notice admin-notice-failed" role="alert">Not saved: the disk is full; nothing was changed"#),
        "an alert, not a confirmation: {}",
        r.body
    );
    assert!(r.body.contains(QUESTION), "the editor's input is kept: {}", r.body);
    log.assert_disk_full("ERROR", "could not save a draft");

    let r = site.post(&edit, with_action(&fields, "publish"), Some(&cookie), false).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert!(
        r.body.contains(r#"class="admin-notice admin-notice-failed" role="alert">Not published: the disk is full; nothing was changed"#),
        "an alert, not a confirmation: {}",
        r.body
    );
    assert!(r.body.contains(QUESTION), "the editor's input is kept: {}", r.body);
    assert!(r.body.contains("class=\"admin-edit\""), "the form again, to publish once more");
    let message =
        |fields: &[(String, String)]| fields.iter().find(|(k, _)| k == "message").map(|(_, v)| v.clone());
    assert_eq!(message(&fields).as_deref(), Some(""), "the editor typed no message");
    assert_eq!(message(&form_fields(&r.body)), message(&fields), "the message as the editor left it");
    log.assert_disk_full("ERROR", "could not publish");
    log.assert_disk_full("WARN", "could not mark a session as seen");
    assert_eq!(site.rows().await, before, "no draft, generation, revision or file half-written");
    assert_eq!(site.state.store.generation().await.unwrap().unwrap().number, generation);
    assert!(!site.get(ANSWER, None).await.body.contains(QUESTION), "the public page as it was");
    site.assert_serving().await;

    site.disk.free();
    // The same form, sent again from the re-shown page, goes through.
    let r = site.post(&edit, with_action(&form_fields(&r.body), "publish"), Some(&cookie), false).await;
    assert_eq!(r.status, 303, "space again: it is published: {}\n{}", log.text(), common::text(&r.body));
    assert_eq!(site.state.store.generation().await.unwrap().unwrap().number, generation + 1);
    let public = site.get(ANSWER, None).await;
    assert!(public.body.contains(QUESTION), "live at once: {}\n{}", log.text(), public.body);
    assert_eq!(site.rows().await.integrity, "ok");
    site.assert_no_stale_connection().await;
}

fn import(dir: &Path, url: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["import", "--database", url])
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("certwise runs");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The sample content with one answer's question changed: a new generation to import.
fn changed_content(question: &str) -> tempfile::TempDir {
    let content = tempfile::tempdir().unwrap();
    common::copy_dir(&sample_content(), content.path());
    let file = content.path().join(ANSWER_FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    let changed = regex::Regex::new(r#"(?m)^question = ".*"$"#)
        .unwrap()
        .replace(&text, format!("question = \"{question}\""));
    assert_ne!(changed, text, "the question changed");
    std::fs::File::create(&file).unwrap().write_all(changed.as_bytes()).unwrap();
    content
}

/// The last line `certwise import` wrote: the one-line reason, which must name the
/// database, the full disk, and that nothing was written.
fn assert_names_the_full_disk(stderr: &str, disk: &SmallDisk) {
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("certwise: "), "{stderr}");
    assert!(
        last.contains(&format!("sqlite://{}", disk.path().join("certwise.db").display())),
        "the database: {last}"
    );
    assert!(last.contains("the disk is full"), "the reason: {last}");
}

#[tokio::test]
async fn an_import_on_a_full_disk_fails_naming_the_disk_and_the_database_and_keeps_the_old_content() {
    const QUESTION: &str = "MD-102 or MS-102, imported on a full disk?";
    let Some(site) = Site::open().await else { return };
    let content = changed_content(QUESTION);
    let generation = site.state.store.generation().await.unwrap().expect("a generation").number;
    let before = site.rows().await;
    // The server holds the database open meanwhile, as a running `serve` would.
    site.fill().await;

    let (ok, stderr) = import(content.path(), &site.url);
    assert!(!ok, "a non-zero exit: {stderr}");
    assert_names_the_full_disk(&stderr, &site.disk);
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.contains("importing into sqlite://"), "{last}");
    assert!(last.contains("nothing was written"), "{last}");
    assert_eq!(last.matches("database or disk is full").count(), 1, "said once: {last}");
    let after = site.rows().await;
    assert_eq!(after, before, "the old content, whole");
    assert_eq!(after.integrity, "ok");
    assert_eq!(site.state.store.generation().await.unwrap().unwrap().number, generation);
    site.assert_serving().await;

    site.disk.free();
    let (ok, stderr) = import(content.path(), &site.url);
    assert!(ok, "space again: it is imported: {stderr}");
    assert_eq!(site.state.store.generation().await.unwrap().unwrap().number, generation + 1);
    let stored = site.state.store.content_file(ANSWER_FILE).await.unwrap().expect("the answer's file");
    assert!(stored.text.contains(QUESTION), "the new content");
    assert_eq!(site.rows().await.integrity, "ok");
    // No check for stale connections here: the refused write was `certwise import`'s, a
    // process of its own, so no connection of the application's pool took part in it.
}

#[tokio::test]
async fn an_import_with_no_server_running_on_a_full_disk_fails_at_open_naming_the_full_disk() {
    const QUESTION: &str = "MD-102 or MS-102, imported alone on a full disk?";
    let Some(disk) = SmallDisk::mount() else { return };
    let url = format!("sqlite://{}", disk.path().join("certwise.db").display());
    let (ok, stderr) = import(&sample_content(), &url);
    assert!(ok, "{stderr}");
    let before = rows(&url).await;
    // Nobody has the database open: its log and shared memory are gone with the last
    // connection, so the import's first connection must create them on the full disk.
    assert!(!disk.path().join("certwise.db-wal").exists() && !disk.path().join("certwise.db-shm").exists());
    let content = changed_content(QUESTION);
    disk.fill();
    let left = disk.available();
    assert!(left < FULL, "the disk is full: {left} bytes left");

    let (ok, stderr) = import(content.path(), &url);
    assert!(!ok, "a non-zero exit: {stderr}");
    // SQLite says "disk I/O error" here (it cannot size its shared memory); the store
    // tells it as the full disk it is.
    assert_names_the_full_disk(&stderr, &disk);
    assert!(stderr.lines().last().unwrap_or_default().starts_with("certwise: opening sqlite://"), "{stderr}");

    disk.free();
    let after = rows(&url).await;
    assert_eq!(after, before, "the old content, whole");
    assert_eq!(after.integrity, "ok");
    let (ok, stderr) = import(content.path(), &url);
    assert!(ok, "space again: it is imported: {stderr}");
    let imported = rows(&url).await;
    assert_eq!(imported.count("imports"), before.count("imports") + 1, "one new generation");
    assert_eq!(imported.integrity, "ok");
}

#[tokio::test]
async fn an_expired_session_on_a_full_disk_is_answered_as_logged_out() {
    let Some(site) = Site::open().await else { return };
    let cookie = publisher(&site).await;
    let (log, _guard) = Log::capture();
    site.fill().await;
    site.state.time.advance(certwise::domain::account::SESSION_LIFETIME.num_seconds() + 1);

    // Ending the session cannot be written; it is over all the same.
    let r = site.get("/admin/", Some(&cookie)).await;
    assert_eq!(r.status, 303, "to the login, not a 503: {}", r.body);
    assert!(r.header("location").starts_with("/admin/login"), "{}", r.header("location"));
    log.assert_disk_full("WARN", "could not end an expired session");
    site.assert_serving().await;
}
