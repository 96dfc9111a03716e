//! Editing in the browser, driven in-process: the form and its one validation, drafts →
//! review → published (live at once), previews as of a day, the concurrent-edit refusal,
//! roles, revisions with their differences, restore, marking an answer reviewed, and the
//! form token and origin of every editing form.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::accounts;
use certwise::domain::account::Role;
use certwise::web::{self, App, AppState};
use common::{Reply, form_fields, form_token, request, sample_content};

const ORIGIN: &str = "https://www.example.ch";
const PASSWORD: &str = "plum tree at dawn";
const ANSWER: &str = "answers/en/md-102-vs-ms-102-difference.md";
const EDIT: &str = "/admin/edit/answers/en/md-102-vs-ms-102-difference.md";
const PUBLIC: &str = "/en/answers/md-102-vs-ms-102-difference";

struct Site {
    state: AppState,
    app: App,
}

async fn site(today: &str) -> Site {
    let state = common::state(&sample_content(), today).await;
    Site { app: web::router(state.clone()), state }
}

/// A logged-in member of staff: the session cookie and its form token.
struct Session {
    cookie: String,
    token: String,
}

impl Site {
    async fn staff(&self, email: &str, role: Role) -> Session {
        let store = self.state.store.as_ref();
        let now = self.state.time.now();
        let (user, _) =
            accounts::add_user(store, email, role, Some("temporary at first"), accounts::CLI, now)
                .await
                .unwrap();
        accounts::change_password(store, &user, "", PASSWORD, now).await.unwrap();
        let token = form_token(&self.get("/admin/login", None).await.body);
        let fields = [("email", email), ("password", PASSWORD), ("token", &token), ("next", "/admin/")];
        let r = self.post("/admin/login", &fields, None, Some(ORIGIN)).await;
        assert_eq!(r.status, 303, "login: {}", r.body);
        let cookie = r
            .headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("__Host-cw_session="))
            .map(|v| v.split(';').next().unwrap().to_owned())
            .expect("a session cookie");
        let page = self.get("/admin/password", Some(&cookie)).await;
        Session { token: form_token(&page.body), cookie }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        request(&self.app, req.body(Body::empty()).unwrap()).await
    }

    async fn post(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Reply {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        request(&self.app, req.body(Body::from(body)).unwrap()).await
    }

    /// The edit form's fields as a browser would send them (every named input, textarea
    /// and selected option), with `changes` applied and `action`.
    async fn submit(&self, who: &Session, changes: &[(&str, &str)], action: &str) -> Reply {
        let page = self.get(EDIT, Some(&who.cookie)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        self.submit_from(who, &page.body, changes, action).await
    }

    async fn submit_from(&self, who: &Session, html: &str, changes: &[(&str, &str)], action: &str) -> Reply {
        let mut fields = form_fields(html);
        for (name, value) in changes {
            match fields.iter_mut().find(|(n, _)| n == name) {
                Some(f) => (*value).clone_into(&mut f.1),
                None => fields.push(((*name).to_owned(), (*value).to_owned())),
            }
        }
        fields.push(("action".into(), action.into()));
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(EDIT, &pairs, Some(&who.cookie), Some(ORIGIN)).await
    }

    async fn stored_text(&self) -> String {
        self.state.store.content_file(ANSWER).await.unwrap().unwrap().text
    }
}

const NEW_QUESTION: &str = "MD-102 or MS-102: which one is for me?";

#[tokio::test]
async fn an_edit_goes_from_draft_to_review_to_published_and_is_live_at_once() {
    let s = site("2026-11-26").await;
    let editor = s.staff("eve@example.ch", Role::Editor).await;
    let publisher = s.staff("pat@example.ch", Role::Publisher).await;
    let before = s.stored_text().await;

    let r = s.submit(&editor, &[("question", NEW_QUESTION), ("message", "A shorter question")], "save").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(s.stored_text().await, before, "a draft is not published");
    assert!(!s.get(PUBLIC, None).await.body.contains(NEW_QUESTION));
    let r = s.submit(&editor, &[], "submit").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let drafts = s.get("/admin/drafts", Some(&publisher.cookie)).await;
    assert!(drafts.body.contains("Waiting for review") && drafts.body.contains(ANSWER), "{}", drafts.body);

    // An editor cannot publish: 403, nothing live.
    let r = s.submit(&editor, &[], "publish").await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(!s.get(PUBLIC, None).await.body.contains(NEW_QUESTION));

    // A publisher publishes the draft: the public page shows it in the same response cycle.
    let r = s.submit(&publisher, &[], "publish").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(s.get(PUBLIC, None).await.body.contains(NEW_QUESTION), "live without a restart");
    assert!(s.state.store.draft(ANSWER).await.unwrap().is_none(), "the published draft is gone");
    let text = s.stored_text().await;
    assert!(text.contains(&format!("question = \"{NEW_QUESTION}\"")), "{text}");
    // Only the question changed in the file: the rest is as it was, line by line.
    let changed = before.lines().zip(text.lines()).filter(|(a, b)| a != b).count();
    assert_eq!((changed, before.lines().count()), (1, text.lines().count()), "{text}");
    let history = s.state.store.revisions(ANSWER).await.unwrap();
    assert_eq!(history[0].author, "pat@example.ch");

    // The audit log has who did what.
    let audit = s.state.store.audit_entries(0, 50).await.unwrap();
    let did: Vec<(&str, &str)> = audit.iter().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
    for expected in [
        ("eve@example.ch", "draft.save"),
        ("eve@example.ch", "draft.submit"),
        ("pat@example.ch", "content.publish"),
    ] {
        assert!(did.contains(&expected), "{expected:?} in {did:?}");
    }
}

#[tokio::test]
async fn an_invalid_edit_is_refused_with_the_field_named_and_the_input_kept() {
    let s = site("2026-11-26").await;
    let editor = s.staff("eve@example.ch", Role::Editor).await;
    let before = s.stored_text().await;
    let r = s.submit(&editor, &[("certifications", "MD-102, XX-999"), ("question", "Kept?")], "save").await;
    assert_eq!(r.status, 422);
    // The message is next to the certifications field, which is marked invalid; the
    // input comes back as typed.
    let field = &r.body[r.body.find("for=\"f-certifications\"").unwrap()..];
    let field = &field[..field.find("</div>").unwrap()];
    assert!(field.contains("unknown certification `XX-999`"), "{field}");
    assert!(field.contains("value=\"MD-102, XX-999\"") && field.contains("aria-invalid=\"true\""), "{field}");
    assert!(r.body.contains("value=\"Kept?\""));
    assert!(r.body.contains("Not saved: "));
    assert_eq!(s.stored_text().await, before);
    assert!(s.state.store.draft(ANSWER).await.unwrap().is_none(), "nothing saved");

    // A count that is not a number, on a course.
    let course = "/admin/edit/courses/md-102-endpoint-administrator.toml";
    let page = s.get(course, Some(&editor.cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let mut fields = form_fields(&page.body);
    fields.iter_mut().find(|(n, _)| n == "duration_days").unwrap().1 = "four".into();
    fields.push(("action".into(), "save".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.post(course, &pairs, Some(&editor.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let field = &r.body[r.body.find("for=\"f-duration_days\"").unwrap()..];
    assert!(field[..field.find("</div>").unwrap()].contains("duration_days"), "{field}");
}

#[tokio::test]
async fn a_second_save_from_an_older_form_is_refused_and_shows_the_difference() {
    let s = site("2026-11-26").await;
    let ada = s.staff("ada@example.ch", Role::Editor).await;
    let bob = s.staff("bob@example.ch", Role::Editor).await;
    // Both open the form.
    let adas = s.get(EDIT, Some(&ada.cookie)).await.body;
    let bobs = s.get(EDIT, Some(&bob.cookie)).await.body;
    let r = s.submit_from(&ada, &adas, &[("question", "Ada's question?")], "save").await;
    assert_eq!(r.status, 303);
    let r = s.submit_from(&bob, &bobs, &[("question", "Bob's question?")], "save").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("ada@example.ch saved this record"), "{}", r.body);
    assert!(r.body.contains("Ada&#39;s question?"), "their text in the difference");
    assert!(r.body.contains("class=\"diff-del\"") && r.body.contains("class=\"diff-ins\""));
    assert!(r.body.contains("value=\"Bob&#39;s question?\""), "input kept");
    assert!(
        s.state.store.draft(ANSWER).await.unwrap().unwrap().text.contains("Ada's question?"),
        "never overwritten"
    );
    // Saving again from the refused form is a deliberate choice, and it works.
    let r = s.submit_from(&bob, &r.body, &[], "save").await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(s.state.store.draft(ANSWER).await.unwrap().unwrap().text.contains("Bob's question?"));
}

#[tokio::test]
async fn a_preview_shows_the_page_as_of_the_day_asked_and_publishes_nothing() {
    let s = site("2026-11-26").await;
    let editor = s.staff("eve@example.ch", Role::Editor).await;
    let r = s.submit(&editor, &[("question", NEW_QUESTION), ("preview_on", "2026-12-01")], "preview").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Preview as of 2026-12-01") && r.body.contains(NEW_QUESTION));
    // On 2026-12-01 MS-102 has retired (30 November): the page says so.
    let text = common::text(&r.body);
    assert!(text.contains("retired"), "{text}");
    assert_eq!(r.header("cache-control"), "no-store");
    assert!(!s.get(PUBLIC, None).await.body.contains(NEW_QUESTION));
    assert!(s.state.store.draft(ANSWER).await.unwrap().is_none());
    // The saved draft by address.
    s.submit(&editor, &[("question", NEW_QUESTION)], "save").await;
    let r = s.get(&format!("/admin/preview/{ANSWER}?on=2026-12-01"), Some(&editor.cookie)).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(NEW_QUESTION));
    let r = s.get(&format!("/admin/preview/{ANSWER}?on=tomorrow"), Some(&editor.cookie)).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("2026-12-01"), "the message shows the format");
}

#[tokio::test]
async fn a_restore_is_a_new_revision_and_the_difference_shows_both() {
    let s = site("2026-11-26").await;
    let publisher = s.staff("pat@example.ch", Role::Publisher).await;
    let first = s.state.store.content_file(ANSWER).await.unwrap().unwrap();
    assert_eq!(s.submit(&publisher, &[("question", NEW_QUESTION)], "publish").await.status, 303);
    let edited = s.state.store.content_file(ANSWER).await.unwrap().unwrap();

    let diff = s
        .get(&format!("/admin/diff?from={}&to={}", first.revision, edited.revision), Some(&publisher.cookie))
        .await;
    assert_eq!(diff.status, 200);
    assert!(
        diff.body.contains(NEW_QUESTION)
            && diff.body.contains("What is the difference between MD-102 and MS-102?")
    );

    // An editor may not restore.
    let editor = s.staff("eve@example.ch", Role::Editor).await;
    let current = edited.revision.to_string();
    let revision = first.revision.to_string();
    let fields =
        [("revision", revision.as_str()), ("current", current.as_str()), ("token", editor.token.as_str())];
    assert_eq!(s.post("/admin/restore", &fields, Some(&editor.cookie), Some(ORIGIN)).await.status, 403);

    let fields =
        [("revision", revision.as_str()), ("current", current.as_str()), ("token", publisher.token.as_str())];
    let r = s.post("/admin/restore", &fields, Some(&publisher.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let restored = s.state.store.content_file(ANSWER).await.unwrap().unwrap();
    assert_eq!(restored.text, first.text);
    assert!(restored.revision > edited.revision, "a new revision");
    assert!(!s.get(PUBLIC, None).await.body.contains(NEW_QUESTION), "live at once");
    let history = s.get(&format!("/admin/history/{ANSWER}"), Some(&publisher.cookie)).await;
    assert!(history.body.contains(&format!("Restored revision {}", first.revision)));
    // The same restore again, from the old page: the record changed meanwhile.
    let r = s.post("/admin/restore", &fields, Some(&publisher.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn marking_a_stale_answer_reviewed_takes_it_off_the_report() {
    let s = site("2026-12-01").await;
    let publisher = s.staff("pat@example.ch", Role::Publisher).await;
    let report = s.get("/admin/stale", Some(&publisher.cookie)).await;
    assert_eq!(report.status, 200);
    let stale = &report.body
        [..report.body.find("retir").map_or(report.body.len(), |i| i + 200).min(report.body.len())];
    assert!(report.body.contains(ANSWER), "{stale}");
    let fields = [("path", ANSWER), ("token", publisher.token.as_str())];
    let r = s.post("/admin/stale/reviewed", &fields, Some(&publisher.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(s.stored_text().await.contains("reviewed_on = 2026-12-01"));
    let report =
        certwise::app::stale_report(s.state.store.as_ref(), "2026-12-01".parse().unwrap()).await.unwrap();
    assert!(report.stale.iter().all(|a| a.answer.path != ANSWER), "{report:?}");
}

#[tokio::test]
async fn every_editing_form_needs_the_sessions_token_and_this_sites_origin() {
    let s = site("2026-11-26").await;
    let pat = s.staff("pat@example.ch", Role::Publisher).await;
    let revision = s.state.store.content_file(ANSWER).await.unwrap().unwrap().revision.to_string();
    let forms: [(&str, Vec<(&str, &str)>); 5] = [
        ("/admin/new", vec![("locale", "en"), ("slug", "forged-answer"), ("question", "Forged?")]),
        ("/admin/markdown", vec![("markdown", "*x*")]),
        (EDIT, vec![("question", "Forged?"), ("action", "publish"), ("revision", revision.as_str())]),
        ("/admin/restore", vec![("revision", revision.as_str()), ("current", revision.as_str())]),
        ("/admin/stale/reviewed", vec![("path", ANSWER)]),
    ];
    let before = s.stored_text().await;
    for (path, fields) in forms {
        let mut without = fields.clone();
        without.push(("token", ""));
        let r = s.post(path, &without, Some(&pat.cookie), Some(ORIGIN)).await;
        assert_eq!(r.status, 403, "{path} without a token");
        let mut foreign = fields.clone();
        foreign.push(("token", pat.token.as_str()));
        let r = s.post(path, &foreign, Some(&pat.cookie), Some("https://evil.example")).await;
        assert_eq!(r.status, 403, "{path} from another origin");
        let r = s.post(path, &foreign, None, Some(ORIGIN)).await;
        assert_eq!(r.status, 303, "{path} without a session goes to the login");
        assert!(r.header("location").starts_with("/admin/login"), "{path}");
    }
    assert_eq!(s.stored_text().await, before, "nothing changed");
    assert!(s.state.store.drafts().await.unwrap().is_empty(), "no draft was started");
}

#[tokio::test]
async fn the_live_preview_renders_markdown_as_the_site_does() {
    let s = site("2026-11-26").await;
    let eve = s.staff("eve@example.ch", Role::Editor).await;
    let fields = [
        ("markdown", "## Hi\n\n*a* <script>x</script> [l](javascript:alert(1))"),
        ("token", eve.token.as_str()),
    ];
    let r = s.post("/admin/markdown", &fields, Some(&eve.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<h2>Hi</h2>") && r.body.contains("<em>a</em>"), "{}", r.body);
    assert!(!r.body.contains("<script") && !r.body.contains("javascript:"), "{}", r.body);
    assert_eq!(r.header("cache-control"), "no-store");
}

#[tokio::test]
async fn a_new_answer_starts_as_a_draft_and_is_published_like_any_other() {
    let s = site("2026-11-26").await;
    let pat = s.staff("pat@example.ch", Role::Publisher).await;
    let form = s.get("/admin/new", Some(&pat.cookie)).await;
    assert_eq!(form.status, 200);
    // A bad address is refused, the input kept.
    let fields =
        [("locale", "en"), ("slug", "Bad Slug"), ("question", "Why?"), ("token", pat.token.as_str())];
    let r = s.post("/admin/new", &fields, Some(&pat.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"Bad Slug\""));
    // An address already taken is refused.
    let taken = [
        ("locale", "en"),
        ("slug", "md-102-vs-ms-102-difference"),
        ("question", "Why?"),
        ("token", &pat.token),
    ];
    assert_eq!(s.post("/admin/new", &taken, Some(&pat.cookie), Some(ORIGIN)).await.status, 422);

    let fields = [
        ("locale", "en"),
        ("slug", "md-102-exam-day"),
        ("question", "What happens on MD-102 exam day?"),
        ("token", &pat.token),
    ];
    let r = s.post("/admin/new", &fields, Some(&pat.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let path = "/admin/edit/answers/en/md-102-exam-day.md";
    assert_eq!(r.header("location"), format!("{path}?done=created"));
    let page = s.get(path, Some(&pat.cookie)).await;
    assert_eq!(page.status, 200, "{}", page.body);

    // Publishing it as it is: refused, with the empty fields named.
    let mut fields = form_fields(&page.body);
    fields.push(("action".into(), "publish".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.post(path, &pairs, Some(&pat.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("Not saved: "));

    let mut fields = form_fields(&r.body);
    for (name, value) in [
        ("short_answer", "Arrive early with an ID; the exam takes about two hours."),
        ("certifications", "MD-102"),
        ("topics", "md-102"),
        ("body", "## Before the exam\n\nBring an ID.\n"),
    ] {
        match fields.iter_mut().find(|(n, _)| n == name) {
            Some(f) => f.1 = value.to_owned(),
            None => fields.push((name.to_owned(), value.to_owned())),
        }
    }
    fields.push(("action".into(), "publish".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let r = s.post(path, &pairs, Some(&pat.cookie), Some(ORIGIN)).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let public = s.get("/en/answers/md-102-exam-day", None).await;
    assert_eq!(public.status, 200);
    assert!(public.body.contains("What happens on MD-102 exam day?"));
}

#[tokio::test]
async fn a_long_answer_is_saved_and_a_form_past_the_editors_limit_is_refused_by_size() {
    let s = site("2026-11-26").await;
    let eve = s.staff("eve@example.ch", Role::Editor).await;
    // About 90 KiB of Markdown with umlauts: larger than the public forms' 64 KiB once encoded.
    let paragraph =
        "Gerätekonfiguration über Intune, Schritt für Schritt: Registrierung, Richtlinien, Updates.\n\n";
    let body = paragraph.repeat(1000);
    let r = s.submit(&eve, &[("body", body.as_str())], "save").await;
    assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(500)]);
    assert!(s.state.store.draft(ANSWER).await.unwrap().unwrap().text.contains("Schritt für Schritt"));
    let huge = "x".repeat(1100 * 1024);
    let r = s.submit(&eve, &[("body", huge.as_str())], "save").await;
    assert_eq!(r.status, 413);
}
