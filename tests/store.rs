//! The store's conformance suite: the same tests on `SQLite` and on `PostgreSQL`
//! (`common::conformance!`: `NAME::sqlite` always, `NAME::postgres` with
//! `CERTWISE_TEST_POSTGRES`, as scripts/with-postgres.sh sets it; SKIPPED without, failing
//! under CI). Imports and their atomicity, the content generation, consent proofs and
//! their append-only rule, accounts, sessions and the audit log, and the races that
//! several instances on one database must not lose. The revisions and the ownership rule
//! (tests/editorial.rs) and leads with their outbox (tests/leads.rs) belong to the suite
//! too. Last, content published through one instance is served by another within a second
//! (`PostgreSQL`'s `LISTEN/NOTIFY`).

mod common;

use std::time::{Duration, Instant};

use certwise::accounts;
use certwise::app;
use certwise::content::check_dir;
use certwise::domain::account::{AuditEvent, Role};
use certwise::domain::consent::{Action, Channel, Choices, ConsentRecord};
use certwise::domain::lead::Lead;
use certwise::editorial::{self, Edit, PublishError};
use certwise::store::{self, Job, LeadNotification, Store, StoreError};
use common::{Kind, TestDb};

const ANSWER: &str = "answers/en/md-102-vs-ms-102-difference.md";

conformance! {
    async fn an_import_round_trips_the_catalog(db: TestDb) {
        let url = db.url.clone();
        let store = store::open(&url).await.unwrap();
        assert!(store.load().await.unwrap().is_none(), "a new database is empty");
        assert!(store.generation().await.unwrap().is_none(), "no generation before the first import");
        let imported = app::import(store.as_ref(), &common::sample_content()).await.unwrap();
        let (catalog, summary) = (imported.catalog, imported.summary.expect("a first import writes"));
        assert_eq!(summary.certifications, catalog.certifications.len());
        let stored = store.load().await.unwrap().unwrap();
        assert_eq!(stored.catalog, catalog);
        let generation = store.generation().await.unwrap().unwrap();
        assert_eq!(stored.generation, generation);
        assert_eq!(generation.number, summary.generation);
        assert_eq!(generation.content_hash.as_deref(), Some(app::content_hash(&catalog).as_str()));
        // reopening the database (migrations already applied) reads the same catalog
        drop(store);
        let again = store::open(&url).await.unwrap();
        assert_eq!(again.load().await.unwrap().map(|s| s.catalog), Some(catalog.clone()));
        // importing the same content again writes nothing: no new generation, no revision
        let same = app::import(again.as_ref(), &common::sample_content()).await.unwrap();
        assert!(same.summary.is_none() && same.kept.is_empty());
        assert_eq!(again.generation().await.unwrap().unwrap().number, summary.generation);
    }
}

conformance! {
    async fn a_failed_import_leaves_the_database_exactly_as_it_was(db: TestDb) {
        let url = db.url.clone();
        let store = store::open(&url).await.unwrap();
        app::import(store.as_ref(), &common::sample_content()).await.unwrap();
        let before = store.load().await.unwrap();

        // 1. content with errors is refused before anything is written
        let err = app::import(store.as_ref(), &common::fixture("broken")).await.unwrap_err();
        assert!(err.to_string().contains("error(s)"), "{err}");
        assert_eq!(store.load().await.unwrap(), before);

        // 2. a catalog the database itself rejects half-way (a course whose certification is
        //    missing breaks a foreign key after other rows were written) is rolled back
        let mut bad = check_dir(&common::fixture("other-vendor")).catalog.expect("fixture is valid");
        let course = bad.courses.values().next().unwrap().clone();
        bad.certifications.remove(&course.certification);
        assert!(store.replace_catalog(&bad, "hash").await.is_err());
        assert_eq!(store.load().await.unwrap(), before);
    }
}

#[tokio::test]
async fn unsupported_database_urls_are_named() {
    let err = store::open("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("mysql://localhost/x"));
    assert!(err.to_string().contains("postgres://"), "the message names what is supported: {err}");
}

#[tokio::test]
async fn a_sqlite_database_opens_in_a_new_directory() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db/certwise.db").display());
    store::open(&url).await.unwrap();
    assert!(dir.path().join("db/certwise.db").exists());
}

#[tokio::test]
async fn the_write_ahead_log_is_folded_back_after_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certwise.db");
    let store = store::open(&format!("sqlite://{}", file.display())).await.unwrap();
    app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    let wal = std::fs::metadata(dir.path().join("certwise.db-wal")).map_or(0, |m| m.len());
    let db = std::fs::metadata(&file).unwrap().len();
    assert!(wal < 64 * 1024, "the log holds {wal} bytes after an import (database: {db} bytes)");
}

conformance! {
    async fn pages_and_the_logo_round_trip_and_a_reimport_replaces_them(db: TestDb) {
        let url = db.url.clone();
        let store = store::open(&url).await.unwrap();

        // The sample content: three pages and a logo, read back as they were written.
        let catalog = app::import(store.as_ref(), &common::sample_content()).await.unwrap().catalog;
        let stored = store.load().await.unwrap().unwrap().catalog;
        let slugs: Vec<(&str, &str)> =
            stored.pages.iter().map(|p| (p.locale.as_str(), p.slug.as_str())).collect();
        assert_eq!(slugs, [("en", "about"), ("en", "imprint"), ("en", "privacy")]);
        assert_eq!(stored.pages, catalog.pages);
        let logo = std::fs::read_to_string(common::sample_content().join("static/logo.svg")).unwrap();
        assert_eq!(stored.site.brand.logo_svg.as_deref(), Some(logo.as_str()), "the logo is in the database");
        assert_eq!(stored.site.brand, catalog.site.brand);

        // Other content with other pages (one sorts before its prefix) and no brand: the
        // pages are replaced, not added to, and the logo is gone.
        let other = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture("minimal"), other.path());
        let page = |title: &str| format!("+++\ntitle = \"{title}\"\n+++\nText of {title}.\n");
        std::fs::create_dir_all(other.path().join("pages/de")).unwrap();
        std::fs::write(other.path().join("pages/de/impressum-ch.md"), page("Impressum CH")).unwrap();
        std::fs::write(other.path().join("pages/de/impressum.md"), page("Impressum")).unwrap();
        let catalog = app::import(store.as_ref(), other.path()).await.unwrap().catalog;
        let stored = store.load().await.unwrap().unwrap().catalog;
        assert_eq!(stored, catalog, "the whole catalog round-trips, pages in their order");
        let titles: Vec<&str> = stored.pages.iter().map(|p| p.title.as_str()).collect();
        assert_eq!(titles, ["Impressum", "Impressum CH"]);
        assert_eq!(stored.pages[0].body, "Text of Impressum.\n");
        assert_eq!(stored.site.brand, certwise::domain::Brand::default());

        // A page is part of the content hash: changing its text is new content.
        let before = app::content_hash(&catalog);
        std::fs::write(other.path().join("pages/de/impressum.md"), page("Impressum neu")).unwrap();
        let changed = app::import(store.as_ref(), other.path()).await.unwrap().catalog;
        assert_ne!(app::content_hash(&changed), before);
    }
}

// ---------------------------------------------------------------- consent proofs

fn consent_record(id: &str, days_ago: i64) -> ConsentRecord {
    ConsentRecord {
        record_id: id.into(),
        consent_id: "c".into(),
        recorded_at: chrono::Utc::now() - chrono::Duration::days(days_ago),
        policy_version: "1".into(),
        notice_hash: "h".into(),
        locale: "en".into(),
        action: Action::RejectAll,
        choices: Choices::NONE,
        channel: Channel::Banner,
        javascript: true,
        gpc: false,
    }
}

conformance! {
    async fn consent_records_are_append_only_and_purged_after_retention(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        store.append_consent(&consent_record("old", 400), "notice").await.unwrap();
        store.append_consent(&consent_record("new", 1), "notice").await.unwrap();
        let err = db.execute("UPDATE consent_records SET action = 'accept_all'").await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
        // Only the retention purge deletes, on either database (SQLite has no TRUNCATE).
        let mut refused = vec!["DELETE FROM consent_records", "DELETE FROM consent_records WHERE record_id = 'new'"];
        if db.kind == Kind::Postgres {
            refused.push("TRUNCATE consent_records");
        }
        for sql in refused {
            let err = db.execute(sql).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        let purged = store.purge_consent(chrono::Utc::now() - chrono::Duration::days(365)).await.unwrap();
        assert_eq!(purged, 1);
        // The purge's permission ended with it.
        let err = db.execute("DELETE FROM consent_records").await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "after the purge: {err}");
        let left = store
            .consent_records(chrono::Utc::now() - chrono::Duration::days(1000), chrono::Utc::now())
            .await
            .unwrap();
        assert_eq!(left.iter().map(|r| r.record_id.as_str()).collect::<Vec<_>>(), ["new"]);
        let mut expected = consent_record("new", 1);
        expected.recorded_at = left[0].recorded_at;
        assert_eq!(left[0], expected, "read back as written");
        assert_eq!(store.consent_notice("h").await.unwrap().as_deref(), Some("notice"));
    }
}

// ---------------------------------------------------------------- accounts, sessions, audit

/// A password that passes the policy.
const PASSWORD: &str = "plum tree at dawn";

fn event(action: &str) -> AuditEvent<'_> {
    AuditEvent {
        at: chrono::Utc::now(),
        actor: "ada@example.ch",
        action,
        target: "ada@example.ch",
        detail: "",
    }
}

conformance! {
    async fn accounts_are_unique_by_email_in_any_case_and_the_audit_log_is_append_only(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        let now = chrono::Utc::now();
        let hash = accounts::hash_password(PASSWORD).await.unwrap();
        let ada = store.add_user("ada@example.ch", Role::Editor, &hash, "cli", now).await.unwrap().unwrap();
        assert!(ada.must_change_password && ada.disabled_at.is_none());
        assert!(!format!("{ada:?}").contains("argon2"), "Debug leaves the hash out");
        assert!(store.add_user(" ADA@Example.CH ", Role::Admin, &hash, "cli", now).await.unwrap().is_none());
        assert_eq!(store.user_by_email("Ada@Example.ch").await.unwrap().map(|u| u.id), Some(ada.id));
        assert_eq!(store.audit_count().await.unwrap(), 1, "the refused add wrote nothing");

        for id in ["a", "b", "c"] {
            store.start_session(id, ada.id, &ada.password_hash, None, &event("login")).await.unwrap();
        }
        let new_hash = accounts::hash_password("another password of ada").await.unwrap();
        store.set_password(ada.id, &new_hash, false, Some("b"), &event("password.change")).await.unwrap();
        let left: Vec<String> = store.sessions_of(ada.id).await.unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(left, ["b"], "a password change keeps only the session that made it");
        // A login checked against the old password does not start a session after the change.
        let late = store.start_session("x", ada.id, &ada.password_hash, None, &event("login")).await;
        assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
        store.start_session("d", ada.id, &new_hash, Some("b"), &event("login")).await.unwrap();
        assert!(store.session("b").await.unwrap().is_none(), "the replaced session is gone");
        let (session, user) = store.session("d").await.unwrap().unwrap();
        assert_eq!((session.user_id, user.id, user.must_change_password), (ada.id, ada.id, false));
        store.disable_user(ada.id, &event("user.disable")).await.unwrap();
        assert!(store.sessions_of(ada.id).await.unwrap().is_empty());
        assert!(store.user_by_email("ada@example.ch").await.unwrap().unwrap().disabled_at.is_some());

        for sql in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
            let err = db.execute(sql).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
        let err = db.execute("UPDATE users SET role = 'owner'").await.unwrap_err();
        assert!(err.to_string().to_lowercase().contains("check"), "{err}");
        let actions: Vec<String> =
            store.audit_entries(0, 10).await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["user.disable", "login", "password.change", "login", "login", "login", "user.add"]);
        assert_eq!(store.audit_entries(5, 10).await.unwrap().len(), 2, "paged from an offset");
    }
}

conformance! {
    async fn sessions_are_listed_most_recently_used_first_and_end_alone_or_all_but_one(db: TestDb) {
        let store = store::open(&db.url).await.unwrap();
        let hash = accounts::hash_password(PASSWORD).await.unwrap();
        let now = chrono::Utc::now();
        let ada = store.add_user("ada@example.ch", Role::Admin, &hash, "cli", now).await.unwrap().unwrap();
        for id in ["a", "b", "c"] {
            store.start_session(id, ada.id, &hash, None, &event("login")).await.unwrap();
        }
        store.touch_session("a", now + chrono::Duration::minutes(5)).await.unwrap();
        let order: Vec<String> = store.sessions_of(ada.id).await.unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(order[0], "a", "{order:?}");
        store.end_session("c", None).await.unwrap();
        assert_eq!(store.end_other_sessions(ada.id, "a", &event("sessions.end")).await.unwrap(), 1);
        let left: Vec<String> = store.sessions_of(ada.id).await.unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(left, ["a"]);
    }
}

// ---------------------------------------------------------------- races between instances

conformance! {
    async fn instances_starting_together_make_one_secret(db: TestDb) {
        let (one, two) = (store::open(&db.url).await.unwrap(), store::open(&db.url).await.unwrap());
        let (a, b) = tokio::join!(one.secret("consent", 32), two.secret("consent", 32));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.len(), 32);
        assert_eq!(a, b, "both use the first one made");
        assert_eq!(one.secret("consent", 32).await.unwrap(), a, "and it stays");
    }
}

/// The audit entry of `actor` saving a draft of `path`.
fn draft_saved_by<'a>(actor: &'a str, path: &'a str) -> AuditEvent<'a> {
    AuditEvent { at: chrono::Utc::now(), actor, action: "draft.save", target: path, detail: "" }
}

conformance! {
    async fn two_first_saves_of_a_draft_at_once_keep_one(db: TestDb) {
        let (one, two) = (store::open(&db.url).await.unwrap(), store::open(&db.url).await.unwrap());
        let entries = one.audit_count().await.unwrap();
        for round in 0..10 {
            let path = format!("answers/en/new-{round}.md");
            let (mine, theirs) = (draft_saved_by("a@example.ch", &path), draft_saved_by("b@example.ch", &path));
            let (a, b) = tokio::join!(
                one.save_draft(&path, "mine", None, None, &mine),
                two.save_draft(&path, "theirs", None, None, &theirs)
            );
            let won = [a.is_ok(), b.is_ok()];
            assert_eq!(won.iter().filter(|w| **w).count(), 1, "round {round}: {a:?} {b:?}");
            let loser = if a.is_ok() { b } else { a };
            assert!(matches!(loser, Err(StoreError::Conflict(_))), "{loser:?}");
            let kept = one.draft(&path).await.unwrap().unwrap();
            assert_eq!(kept.text, if won[0] { "mine" } else { "theirs" });
            let logged = one.audit_count().await.unwrap() - entries;
            assert_eq!(logged, round + 1, "round {round}: one audit entry per kept save, none for the refused");
        }
    }
}

/// Publishes `marker` into the reference answer through `store`, from the revision `expected`.
async fn publish_marker(store: &dyn Store, expected: i64, marker: &str) -> Result<i64, PublishError> {
    let text = store.content_file(ANSWER).await.unwrap().unwrap().text;
    let previous = store.load().await.unwrap().unwrap().catalog;
    let edit = Edit {
        path: ANSWER,
        text: Some(text.replacen("+++\n", &format!("+++\n# {marker}\n"), 1)),
        expected: Some(expected),
        author: "editor@example.ch",
        message: marker,
        action: "content.publish",
        draft: None,
    };
    editorial::publish(store, edit, &previous, "2026-11-26".parse().unwrap()).await.map(|s| s.generation)
}

conformance! {
    async fn two_publishes_of_one_revision_at_once_write_one(db: TestDb) {
        let one = store::open(&db.url).await.unwrap();
        app::import(one.as_ref(), &common::sample_content()).await.unwrap();
        let two = store::open(&db.url).await.unwrap();
        let base = one.content_file(ANSWER).await.unwrap().unwrap().revision;
        let start = one.generation().await.unwrap().unwrap().number;
        let (a, b) = tokio::join!(publish_marker(one.as_ref(), base, "one"), publish_marker(two.as_ref(), base, "two"));
        assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|w| **w).count(), 1, "{a:?} {b:?}");
        let loser = if a.is_ok() { &b } else { &a };
        assert!(matches!(loser, Err(PublishError::Conflict)), "the later one is refused: {loser:?}");
        let generation = one.generation().await.unwrap().unwrap().number;
        assert_eq!(generation, start + 1, "one new generation, the next number");
        assert_eq!(one.revisions(ANSWER).await.unwrap().len(), 2, "the import's revision and the winner's");
        let stored = one.load().await.unwrap().unwrap();
        assert_eq!(stored.generation.number, generation);
        // Each publish's audit entry is written in its transaction: the import's, then the
        // winner's alone (the refused publish wrote none).
        let log = one.audit_entries(0, 10).await.unwrap();
        let entries: Vec<_> = log.iter().map(|e| (e.action.as_str(), e.detail.as_str())).collect();
        let winner = if a.is_ok() { "one" } else { "two" };
        let publish = format!("generation {generation}: {winner}");
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0], ("content.publish", publish.as_str()));
        assert_eq!(entries[1].0, "content.import");
        assert!(entries[1].1.starts_with(&format!("generation {start}: ")), "{entries:?}");
        assert!(entries[1].1.contains(" certifications, "), "the import's entry counts what it holds: {entries:?}");
    }
}

conformance! {
    async fn two_workers_claiming_at_once_never_share_a_notification(db: TestDb) {
        let (one, two) = (store::open(&db.url).await.unwrap(), store::open(&db.url).await.unwrap());
        let received: chrono::DateTime<chrono::Utc> = "2026-11-26T10:00:00Z".parse().unwrap();
        for i in 0..30 {
            let lead = Lead {
                id: format!("l{i}"),
                received_at: received,
                locale: "en".into(),
                course: certwise::domain::Slug::parse("md-102-endpoint-administrator").unwrap(),
                course_title: "Endpoint Administrator".into(),
                session: None,
                name: "Ada".into(),
                email: format!("p{i}@example.ch"),
                company: None,
                message: None,
                consent_text: "You may contact me.".into(),
            };
            one.insert_lead(&lead, LeadNotification::Webhook).await.unwrap();
        }
        let now = received + chrono::Duration::minutes(1);
        let lease = now + chrono::Duration::minutes(1);
        let mut claimed = Vec::new();
        for _ in 0..4 {
            let (a, b) = tokio::join!(one.due_notifications(now, 5, lease), two.due_notifications(now, 5, lease));
            claimed.extend(a.unwrap().into_iter().chain(b.unwrap()).map(|n| n.lead.id));
        }
        let mut unique = claimed.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), claimed.len(), "claimed twice: {claimed:?}");
        assert_eq!(claimed.len(), 30, "all claimed in 4 rounds of 2 × 5, less the 30 there are");
    }
}

conformance! {
    async fn a_periodic_job_runs_on_one_instance_at_a_time(db: TestDb) {
        let (one, two) = (store::open(&db.url).await.unwrap(), store::open(&db.url).await.unwrap());
        let turn = one.job_turn(Job::Purge).await.unwrap().expect("the first instance's turn");
        let second = two.job_turn(Job::Purge).await.unwrap();
        assert!(two.job_turn(Job::Outbox).await.unwrap().is_some(), "another job is not held up");
        match db.kind {
            // One process owns an SQLite database: there is no other instance to leave it to.
            Kind::Sqlite => assert!(second.is_some()),
            Kind::Postgres => assert!(second.is_none(), "left to the instance running it"),
        }
        drop(second);
        drop(turn);
        // Given back: the next round is anyone's (PostgreSQL gets the rollback a moment later).
        let started = Instant::now();
        while two.job_turn(Job::Purge).await.unwrap().is_none() {
            assert!(started.elapsed() < Duration::from_secs(5), "the turn was not given back");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

// ---------------------------------------------------------------- live content across instances

/// Waits until `state` serves a generation of at least `generation`; how long that took.
async fn served(state: &certwise::web::AppState, generation: i64, within: Duration) -> Duration {
    let started = Instant::now();
    while state.published.current().content_generation < generation {
        assert!(started.elapsed() < within, "generation {generation} not served within {within:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    started.elapsed()
}

/// `PostgreSQL` only: `SQLite` serves one process.
mod a_publish_through_one_instance_is_served_by_another_within_a_second {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        let config = |url: &str| {
            app::Config::new(
                url,
                common::sample_content(),
                certwise::web::Clock::Fixed("2026-11-26".parse().unwrap()),
            )
        };
        let one = app::prepare(&config(&db.url)).await.unwrap();
        let two = app::prepare(&config(&db.url)).await.unwrap();
        // The other instance polls only every minute here: within a second is the notification's.
        let follower = tokio::spawn(certwise::live::follow(two.clone(), Duration::from_secs(60)));
        tokio::time::sleep(Duration::from_millis(200)).await;
        let base = one.store.content_file(ANSWER).await.unwrap().unwrap().revision;
        let generation = publish_marker(one.store.as_ref(), base, "first").await.unwrap();
        let took = served(&two, generation, Duration::from_secs(1)).await;
        eprintln!("served by the other instance after {took:?}");

        // The listener's connection is cut (a restart, a network failure): it listens again and
        // looks at the generation, since a notification sent meanwhile is lost.
        let killed = db
            .execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ILIKE '%LISTEN%'",
            )
            .await
            .unwrap();
        assert!(killed >= 1, "the listener's connection was found");
        let base = one.store.content_file(ANSWER).await.unwrap().unwrap().revision;
        let generation = publish_marker(one.store.as_ref(), base, "second").await.unwrap();
        served(&two, generation, Duration::from_secs(2)).await;
        follower.abort();
    }
}

/// `PostgreSQL` only: what one instance signs or stores, every other honours (the signing
/// key and the consent proofs live in the database).
mod a_visitor_moves_between_instances_unnoticed {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;

    fn browser(req: axum::http::request::Builder) -> axum::http::request::Builder {
        req.header("host", "www.example.ch").header("x-forwarded-proto", "https")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        let config = app::Config::new(
            &db.url,
            common::sample_content(),
            certwise::web::Clock::Fixed("2026-11-26".parse().unwrap()),
        );
        let (one, two) = (app::prepare(&config).await.unwrap(), app::prepare(&config).await.unwrap());
        let (one_app, two_app) = (certwise::web::router(one.clone()), certwise::web::router(two.clone()));
        let page = "/en/answers/md-102-vs-ms-102-difference";
        let served =
            common::request(&one_app, browser(Request::get(page)).body(Body::empty()).unwrap()).await;
        assert!(served.body.contains("consent-banner"));
        // The form of one instance, posted to another.
        let form = format!("token={}&action=reject_all&return_to=%2Fen%2F", common::form_token(&served.body));
        let decide = browser(Request::post("/consent"))
            .header("origin", "https://www.example.ch")
            .header("sec-fetch-site", "same-origin")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let decided = common::request(&two_app, decide).await;
        assert_eq!(decided.status, 303, "{}", decided.body);
        let cookie = decided
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("__Host-cw_consent="))
            .expect("a consent cookie")
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        // The cookie another instance signed is a decision here.
        let again = browser(Request::get(page)).header("cookie", &cookie).body(Body::empty()).unwrap();
        let again = common::request(&one_app, again).await;
        assert!(!again.body.contains("<section id=\"consent-banner\""), "the decision is honoured");
        // And the proof is in the shared database, whichever instance reads it.
        let day = chrono::Utc::now();
        let records =
            one.store.consent_records(day - chrono::Duration::days(1), day + chrono::Duration::days(1)).await;
        assert_eq!(records.unwrap().len(), 1);
    }
}

/// `PostgreSQL` only: several `SQLite` processes do not start on one new file together (its
/// migrations are not locked), and one process is what `SQLite` serves.
mod instances_starting_together_on_an_empty_database_serve_one_import {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        let config = app::Config::new(
            &db.url,
            common::sample_content(),
            certwise::web::Clock::Fixed("2026-11-26".parse().unwrap()),
        );
        let (one, two, three) =
            tokio::join!(app::prepare(&config), app::prepare(&config), app::prepare(&config));
        let generations: Vec<i64> = [one, two, three]
            .into_iter()
            .map(|state| state.expect("every instance starts").published.current().content_generation)
            .collect();
        assert_eq!(generations, [1, 1, 1], "one import, served by all");
    }
}

/// `PostgreSQL` only: TLS when the URL asks for it (scripts/with-postgres.sh's server has
/// a self-signed certificate, which `require` accepts without verifying).
mod a_url_with_sslmode_require_speaks_tls {
    use super::*;
    use sqlx::Connection as _;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        let url = format!("{}?sslmode=require", db.url);
        let store = store::open(&url).await.expect("the store opens over TLS");
        app::import(store.as_ref(), &common::sample_content()).await.unwrap();
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        let tls: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert!(tls, "the connection is encrypted");
        let plain = format!("{}?sslmode=disable", db.url);
        let mut conn = sqlx::PgConnection::connect(&plain).await.unwrap();
        let tls: bool = sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert!(!tls, "and the check can tell");
    }
}

/// `PostgreSQL` only: the server's refusals that pass (a lock held past the timeout, a
/// read-only server) are "unavailable" — a 503 with `Retry-After` — and a broken rule is not.
mod a_busy_or_read_only_postgres_is_unavailable_not_an_error {
    use super::*;
    use certwise::store::Unavailable;
    use sqlx::Connection as _;

    async fn refusal(conn: &mut sqlx::PgConnection, sql: &str) -> StoreError {
        StoreError::from(sqlx::query(sql).execute(&mut *conn).await.expect_err(sql))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        let Some(db) = TestDb::postgres().await else { return };
        drop(store::open(&db.url).await.unwrap());
        let mut holder = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query("BEGIN").execute(&mut holder).await.unwrap();
        sqlx::query("LOCK TABLE imports IN EXCLUSIVE MODE").execute(&mut holder).await.unwrap();
        let mut other = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::query("SET lock_timeout = '50ms'").execute(&mut other).await.unwrap();
        sqlx::query("BEGIN").execute(&mut other).await.unwrap();
        let busy = refusal(&mut other, "LOCK TABLE imports IN EXCLUSIVE MODE").await;
        assert_eq!(busy.unavailable(), Some(Unavailable::Busy), "{busy}");
        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
        sqlx::query("ROLLBACK").execute(&mut holder).await.unwrap();

        sqlx::query("SET default_transaction_read_only = on").execute(&mut other).await.unwrap();
        let read_only = refusal(&mut other, "DELETE FROM drafts").await;
        assert_eq!(read_only.unavailable(), Some(Unavailable::ReadOnly), "{read_only}");

        let mut plain = sqlx::PgConnection::connect(&db.url).await.unwrap();
        let broken = refusal(&mut plain, "INSERT INTO site (id, data) VALUES (2, '{}')").await;
        assert_eq!(broken.unavailable(), None, "a broken rule is a bug, not a busy database: {broken}");
    }
}
