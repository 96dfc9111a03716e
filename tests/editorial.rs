//! Content owned by the database: revisions, the ownership rule of imports, publishes
//! from the editors' area with their conflicts and checks, and the export back to files.
//! Part of the store's conformance suite: each test runs on `SQLite` and `PostgreSQL`
//! (`common::conformance!`).

mod common;

use common::TestDb;

use std::path::Path;

use certwise::app::{self, ImportOptions};
use certwise::content;
use certwise::domain::account::AuditEvent;
use certwise::editorial::{self, Edit, PublishError};
use certwise::store::{self, Origin, Store};

const ANSWER: &str = "answers/en/md-102-vs-ms-102-difference.md";

fn today() -> chrono::NaiveDate {
    "2026-11-26".parse().unwrap()
}

/// The audit entry of a draft change by `actor`, as the editors' area writes it.
fn by(actor: &str) -> AuditEvent<'_> {
    AuditEvent { at: chrono::Utc::now(), actor, action: "draft.save", target: ANSWER, detail: "" }
}

async fn imported(db: &TestDb) -> std::sync::Arc<dyn Store> {
    let store = store::open(&db.url).await.unwrap();
    app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    store
}

/// Publishes `text` for `path` as the editors' area does, from the revision stored now.
async fn publish_web(store: &dyn Store, path: &str, text: String) -> Result<(), PublishError> {
    let current = store.content_file(path).await.unwrap();
    let previous = store.load().await.unwrap().unwrap().catalog;
    let edit = Edit {
        path,
        text: Some(text),
        expected: current.map(|f| f.revision),
        author: "editor@example.ch",
        message: "Edited in the browser",
        action: "content.publish",
        draft: None,
    };
    editorial::publish(store, edit, &previous, today()).await.map(|_| ())
}

conformance! {
    async fn an_import_writes_a_revision_per_file_it_changes_and_none_when_nothing_changed(db: TestDb) {
        let store = imported(&db).await;
        let files = store.content_files().await.unwrap();
        let on_disk = content::files::read_dir(&common::sample_content()).files;
        assert_eq!(files.len(), on_disk.len(), "every file of the directory is a record");
        let revisions = store.revisions(ANSWER).await.unwrap();
        assert_eq!(revisions.len(), 1);
        assert_eq!((revisions[0].author.as_str(), revisions[0].origin), ("import", Origin::Import));
        assert!(!files.iter().any(store::ContentFile::edited_since_import));

        let audit = store.audit_entries(0, 10).await.unwrap();
        assert_eq!((audit[0].actor.as_str(), audit[0].action.as_str()), ("import", "content.import"));

        let again = app::import(store.as_ref(), &common::sample_content()).await.unwrap();
        assert!(again.summary.is_none(), "the same directory again writes nothing");
        assert_eq!(store.revisions(ANSWER).await.unwrap().len(), 1);
    }
}

conformance! {
    async fn a_file_edited_in_the_browser_is_kept_by_an_import_unless_forced(db: TestDb) {
        let store = imported(&db).await;
        let original = store.content_file(ANSWER).await.unwrap().unwrap().text;
        let edited = original.replacen("+++\n", "+++\n# edited in the browser\n", 1);
        publish_web(store.as_ref(), ANSWER, edited.clone()).await.unwrap();
        assert!(store.content_file(ANSWER).await.unwrap().unwrap().edited_since_import());

        // The directory changed another file too: that one is imported, the edited answer kept.
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&common::sample_content(), dir.path());
        let other = "answers/en/az-900-before-az-104.md";
        let other_text = std::fs::read_to_string(dir.path().join(other)).unwrap();
        std::fs::write(dir.path().join(other), other_text.replace("+++\n", "+++\n# changed on disk\n")).unwrap();
        let outcome = app::import(store.as_ref(), dir.path()).await.unwrap();
        assert_eq!(outcome.kept, [ANSWER], "the edited answer is listed by path");
        assert!(outcome.summary.is_some(), "the rest was imported");
        assert_eq!(store.content_file(ANSWER).await.unwrap().unwrap().text, edited);
        assert!(store.content_file(other).await.unwrap().unwrap().text.contains("# changed on disk"));

        // Forced: the file's version wins, as a new revision; the browser's stays in the history.
        let options = ImportOptions { force: true, today: today() };
        let forced = app::import_with(store.as_ref(), dir.path(), options).await.unwrap();
        assert!(forced.kept.is_empty());
        let file = store.content_file(ANSWER).await.unwrap().unwrap();
        assert_eq!(file.text, original);
        assert!(!file.edited_since_import());
        let history = store.revisions(ANSWER).await.unwrap();
        let authors: Vec<&str> = history.iter().map(|r| r.author.as_str()).collect();
        assert_eq!(authors, ["import", "editor@example.ch", "import"], "newest first");
        let browser = store.revision(history[1].id).await.unwrap().unwrap();
        assert_eq!(browser.text.as_deref(), Some(edited.as_str()), "nothing is lost");
    }
}

conformance! {
    async fn a_file_created_in_the_browser_is_not_removed_by_an_import(db: TestDb) {
        let store = imported(&db).await;
        let text = std::fs::read_to_string(common::sample_content().join(ANSWER))
            .unwrap()
            .replace("translation_key", "# translation_key");
        let new = "answers/en/written-in-the-browser.md";
        publish_web(store.as_ref(), new, text).await.unwrap();
        let outcome = app::import(store.as_ref(), &common::sample_content()).await.unwrap();
        assert_eq!(outcome.kept, [new]);
        assert!(store.content_file(new).await.unwrap().is_some());
    }
}

conformance! {
    async fn a_publish_that_fails_the_checks_or_comes_too_late_changes_nothing(db: TestDb) {
        let store = imported(&db).await;
        let before = store.load().await.unwrap().unwrap();
        let text = store.content_file(ANSWER).await.unwrap().unwrap().text;

        // A reference to a certification that does not exist: the same message as `check`.
        let broken = text.replacen("certifications = [", "certifications = [\"XX-999\", ", 1);
        let Err(PublishError::Invalid(diagnostics)) = publish_web(store.as_ref(), ANSWER, broken).await else {
            panic!("an invalid edit is refused");
        };
        assert!(diagnostics.iter().any(|d| d.message.contains("XX-999")), "{diagnostics:?}");
        assert!(diagnostics.iter().all(|d| d.path == Path::new("content").join(ANSWER)), "{diagnostics:?}");

        // Two editors started from the same revision: the second publish is refused.
        let revision = store.content_file(ANSWER).await.unwrap().unwrap().revision;
        let previous = before.catalog.clone();
        let first = Edit {
            path: ANSWER,
            text: Some(text.replacen("+++\n", "+++\n# first\n", 1)),
            expected: Some(revision),
            author: "a@example.ch",
            message: "first",
            action: "content.publish",
            draft: None,
        };
        editorial::publish(store.as_ref(), first, &previous, today()).await.unwrap();
        let after_first = store.load().await.unwrap().unwrap();
        let second = Edit {
            path: ANSWER,
            text: Some(text.replacen("+++\n", "+++\n# second\n", 1)),
            expected: Some(revision),
            author: "b@example.ch",
            message: "second",
            action: "content.publish",
            draft: None,
        };
        assert!(matches!(
            editorial::publish(store.as_ref(), second, &previous, today()).await,
            Err(PublishError::Conflict)
        ));
        assert_eq!(store.load().await.unwrap().unwrap(), after_first, "the refused publish wrote nothing");
        assert!(store.content_file(ANSWER).await.unwrap().unwrap().text.contains("# first"));
    }
}

conformance! {
    async fn drafts_refuse_a_save_from_an_older_version(db: TestDb) {
        let store = imported(&db).await;
        // Each change writes its audit entry in its own transaction; a refused one, none.
        let entries = store.audit_count().await.unwrap();
        let v1 = store.save_draft(ANSWER, "one", Some(1), None, &by("a@example.ch")).await.unwrap();
        let v2 = store.save_draft(ANSWER, "two", Some(1), Some(v1), &by("a@example.ch")).await.unwrap();
        assert!(v2 > v1);
        assert_eq!(store.audit_count().await.unwrap(), entries + 2);
        let late = store.save_draft(ANSWER, "three", Some(1), Some(v1), &by("b@example.ch")).await;
        assert!(matches!(late, Err(store::StoreError::Conflict(_))), "{late:?}");
        assert_eq!(store.draft(ANSWER).await.unwrap().unwrap().text, "two");
        let submit = AuditEvent { action: "draft.submit", ..by("a@example.ch") };
        assert!(store.set_draft_state(ANSWER, store::DraftState::Review, v1, &submit).await.is_err());
        assert_eq!(store.audit_count().await.unwrap(), entries + 2, "the refused save and submit wrote none");
        store.set_draft_state(ANSWER, store::DraftState::Review, v2, &submit).await.unwrap();
        assert_eq!(store.draft(ANSWER).await.unwrap().unwrap().state, store::DraftState::Review);
        let discard = AuditEvent { action: "draft.discard", ..by("b@example.ch") };
        assert!(store.discard_draft(ANSWER, v1, &discard).await.is_err());
        store.discard_draft(ANSWER, v2, &discard).await.unwrap();
        assert!(store.draft(ANSWER).await.unwrap().is_none());
        let log = store.audit_entries(0, 4).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["draft.discard", "draft.submit", "draft.save", "draft.save"], "newest first");
        assert_eq!((log[0].actor.as_str(), log[0].target.as_str()), ("b@example.ch", ANSWER));
    }
}

/// From now on every insert into the audit log fails, as a full disk or a lost connection
/// would fail it.
async fn refuse_audit_entries(db: &TestDb) {
    let statements: &[&str] = match db.kind {
        common::Kind::Sqlite => &[
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no audit now'); END",
        ],
        common::Kind::Postgres => &[
            "CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no audit now'; END $$",
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()",
        ],
    };
    for sql in statements {
        db.execute(sql).await.unwrap();
    }
}

conformance! {
    async fn a_draft_change_whose_audit_entry_cannot_be_written_is_not_made(db: TestDb) {
        let store = imported(&db).await;
        let v1 = store.save_draft(ANSWER, "one", Some(1), None, &by("a@example.ch")).await.unwrap();
        let entries = store.audit_count().await.unwrap();
        refuse_audit_entries(&db).await;
        let saved = store.save_draft(ANSWER, "two", Some(1), Some(v1), &by("a@example.ch")).await;
        assert!(saved.is_err(), "{saved:?}");
        let submit = AuditEvent { action: "draft.submit", ..by("a@example.ch") };
        assert!(store.set_draft_state(ANSWER, store::DraftState::Review, v1, &submit).await.is_err());
        let discard = AuditEvent { action: "draft.discard", ..by("a@example.ch") };
        assert!(store.discard_draft(ANSWER, v1, &discard).await.is_err());
        let draft = store.draft(ANSWER).await.unwrap().expect("the draft is still there");
        assert_eq!((draft.text.as_str(), draft.version, draft.state), ("one", v1, store::DraftState::Draft));
        assert_eq!(store.audit_count().await.unwrap(), entries);
    }
}

conformance! {
    async fn export_content_then_import_gives_the_same_site(db: TestDb) {
        let store = imported(&db).await;
        // An edit from the browser is part of what is exported.
        let text = store.content_file(ANSWER).await.unwrap().unwrap().text;
        publish_web(store.as_ref(), ANSWER, text.replacen("+++\n", "+++\n# edited\n", 1)).await.unwrap();
        let published = store.load().await.unwrap().unwrap().catalog;

        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("content");
        let n = editorial::export_content(store.as_ref(), &dir).await.unwrap();
        assert_eq!(n, store.content_files().await.unwrap().len());
        let checked = content::check_dir(&dir);
        assert_eq!(checked.errors() + checked.warnings(), 0, "{:?}", checked.diagnostics);
        assert_eq!(checked.catalog.as_ref(), Some(&published));

        let other = match db.kind {
            common::Kind::Sqlite => TestDb::sqlite(),
            common::Kind::Postgres => TestDb::postgres().await.unwrap(),
        };
        let copy = store::open(&other.url).await.unwrap();
        app::import(copy.as_ref(), &dir).await.unwrap();
        assert_eq!(copy.load().await.unwrap().unwrap().catalog, published, "the same site");
        let files = |s: Vec<store::ContentFile>| s.into_iter().map(|f| (f.path, f.text)).collect::<Vec<_>>();
        assert_eq!(files(copy.content_files().await.unwrap()), files(store.content_files().await.unwrap()));

        // It never writes into a directory that holds something.
        let err = editorial::export_content(store.as_ref(), &dir).await.unwrap_err();
        assert!(err.to_string().contains("not empty"), "{err}");
    }
}

fn certwise(args: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(args)
        .env_remove("CERTWISE_DATABASE_URL")
        .env_remove("CERTWISE_TODAY")
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

conformance! {
    async fn the_import_and_export_content_commands_follow_the_ownership_rule(db: TestDb) {
        let url = db.url.clone();
        let sample = common::sample_content();
        let sample = sample.to_str().unwrap();
        let (ok, err) = certwise(&["import", sample, "--database", &url]);
        assert!(ok, "{err}");
        let (ok, err) = certwise(&["import", sample, "--database", &url]);
        assert!(ok && err.contains("nothing to import"), "{err}");

        // An edit in the browser (as the editors' area makes it).
        {
            let store = store::open(&url).await.unwrap();
            let text = store.content_file(ANSWER).await.unwrap().unwrap().text;
            publish_web(store.as_ref(), ANSWER, text.replacen("+++\n", "+++\n# web\n", 1)).await.unwrap();
        }
        let (ok, err) = certwise(&["import", sample, "--database", &url]);
        assert!(!ok, "a kept record fails the command: {err}");
        assert!(err.contains(&format!("kept: {ANSWER}")) && err.contains("--force"), "{err}");

        // export-content writes what the database holds, the browser's edit included; check accepts it.
        let out = tempfile::tempdir().unwrap();
        let exported = out.path().join("content");
        let (ok, err) = certwise(&["export-content", exported.to_str().unwrap(), "--database", &url]);
        assert!(ok, "{err}");
        assert!(std::fs::read_to_string(exported.join(ANSWER)).unwrap().contains("# web"));
        let (ok, err) = certwise(&["check", exported.to_str().unwrap()]);
        assert!(ok, "{err}");
        let (ok, err) = certwise(&["export-content", exported.to_str().unwrap(), "--database", &url]);
        assert!(!ok && err.contains("not empty"), "{err}");

        let (ok, err) = certwise(&["import", sample, "--force", "--database", &url]);
        assert!(ok, "{err}");
        let store = store::open(&url).await.unwrap();
        assert!(!store.content_file(ANSWER).await.unwrap().unwrap().text.contains("# web"));
    }
}

conformance! {
    async fn a_publish_checked_before_another_landed_is_checked_again_with_it(db: TestDb) {
        let store = imported(&db).await;
        let other = "answers/en/az-900-before-az-104.md";
        let text = store.content_file(ANSWER).await.unwrap().unwrap().text;
        let mine = text.replace("What is the difference between MD-102 and MS-102?", "Mine?");
        let checked = editorial::check_edit(store.as_ref(), ANSWER, Some(mine.clone())).await.unwrap();
        // Meanwhile another file is published.
        let other_text = store.content_file(other).await.unwrap().unwrap().text;
        let theirs = regex::Regex::new(r#"(?m)^question = ".*"$"#)
            .unwrap()
            .replace(&other_text, r#"question = "Theirs?""#);
        assert_ne!(theirs, other_text);
        publish_web(store.as_ref(), other, theirs.into_owned()).await.unwrap();
        let previous = store.load().await.unwrap().unwrap().catalog;
        let edit = Edit {
            path: ANSWER,
            text: Some(mine),
            expected: Some(store.content_file(ANSWER).await.unwrap().unwrap().revision),
            author: "a@example.ch",
            message: "mine",
            action: "content.publish",
            draft: None,
        };
        editorial::publish_checked(store.as_ref(), edit, checked, &previous, today()).await.unwrap();
        // The derived catalog is the check of both files as they are: nothing of theirs lost.
        let files: content::Files =
            store.content_files().await.unwrap().into_iter().map(|f| (f.path, f.text)).collect();
        let expected = content::check_files(Path::new("content"), &files).catalog.unwrap();
        assert_eq!(store.load().await.unwrap().unwrap().catalog, expected);
        assert!(expected.answers.iter().any(|a| a.question == "Mine?"));
        assert!(expected.answers.iter().any(|a| a.question == "Theirs?"), "their publish is in the catalog");
    }
}

conformance! {
    async fn a_publish_of_a_draft_saved_again_meanwhile_writes_nothing(db: TestDb) {
        let store = imported(&db).await;
        let file = store.content_file(ANSWER).await.unwrap().unwrap();
        let v1 = store.save_draft(ANSWER, &file.text, Some(file.revision), None, &by("a@example.ch")).await.unwrap();
        let mine = file.text.replacen("+++\n", "+++\n# v1\n", 1);
        let checked = editorial::check_edit(store.as_ref(), ANSWER, Some(mine.clone())).await.unwrap();
        // Saved again by someone else while the publish was being checked.
        store
            .save_draft(ANSWER, "their newer draft", Some(file.revision), Some(v1), &by("b@example.ch"))
            .await
            .unwrap();
        let before = store.load().await.unwrap();
        let previous = before.as_ref().unwrap().catalog.clone();
        let edit = Edit {
            path: ANSWER,
            text: Some(mine),
            expected: Some(file.revision),
            author: "a@example.ch",
            message: "v1",
            action: "content.publish",
            draft: Some((ANSWER, v1)),
        };
        let result = editorial::publish_checked(store.as_ref(), edit, checked, &previous, today()).await;
        assert!(matches!(result, Err(PublishError::Conflict)), "{result:?}");
        assert_eq!(store.draft(ANSWER).await.unwrap().unwrap().text, "their newer draft", "their draft is kept");
        assert_eq!(store.load().await.unwrap(), before, "nothing was published");
    }
}
