//! `/admin/stale`, driven in-process: the staleness report for staff, with links to the
//! public and editing pages, a "mark reviewed" form for publishers only, and the same
//! verdict as the readers' "written before" notice.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::accounts;
use certwise::domain::account::Role;
use certwise::domain::staleness::{Change, FactChange};
use certwise::domain::{Code, Money, Slug};
use certwise::i18n::Lang;
use certwise::snapshot::Snapshot;
use certwise::web::{self, App, AppState};
use common::{Reply, form_token, request, sample_content};

const ORIGIN: &str = "https://www.example.ch";
const PASSWORD: &str = "plum tree at dawn";
const REFERENCE: &str = "answers/en/md-102-vs-ms-102-difference.md";

struct Site {
    state: AppState,
    app: App,
}

async fn site(today: &str) -> Site {
    let state = common::state(&sample_content(), today).await;
    Site { app: web::router(state.clone()), state }
}

impl Site {
    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        request(&self.app, req.body(Body::empty()).unwrap()).await
    }

    /// A logged-in member of staff with `role`: the session cookie (`name=value`).
    async fn staff(&self, email: &str, role: Role) -> String {
        let store = self.state.store.as_ref();
        let now = self.state.time.now();
        let (user, _) =
            accounts::add_user(store, email, role, Some("a temporary one at first"), accounts::CLI, now)
                .await
                .unwrap();
        accounts::change_password(store, &user, "", PASSWORD, now).await.unwrap();
        let token = form_token(&self.get("/admin/login", None).await.body);
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("email", email), ("password", PASSWORD), ("token", &token), ("next", "/admin/")])
            .finish();
        let req = Request::post("/admin/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", ORIGIN)
            .body(Body::from(body))
            .unwrap();
        let r = request(&self.app, req).await;
        assert_eq!(r.status, 303, "login: {}", r.body);
        r.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("__Host-cw_session="))
            .map(|v| v.split(';').next().unwrap().to_owned())
            .expect("a session cookie")
    }

    /// The report page as `cookie` sees it: 200, private.
    async fn report(&self, cookie: &str) -> String {
        let r = self.get("/admin/stale", Some(cookie)).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.header("cache-control"), "no-store");
        r.body
    }
}

/// The HTML of the report's section `id`.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("aria-labelledby=\"{id}\"")).unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn the_report_needs_a_login() {
    let s = site("2026-12-01").await;
    let r = s.get("/admin/stale", None).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/admin/login?next=%2Fadmin%2Fstale");
}

#[tokio::test]
async fn after_the_retirement_an_editor_sees_what_changed_with_links_but_no_form() {
    let s = site("2026-12-01").await;
    let cookie = s.staff("ed@example.ch", Role::Editor).await;
    let html = s.report(&cookie).await;
    let stale = section(&html, "stale-answers");
    assert!(stale.contains("Stale answers (6)"), "{stale}");
    assert!(
        stale.contains(
            "<a href=\"/en/answers/md-102-vs-ms-102-difference\" lang=\"en\">What is the difference between MD-102 and MS-102?</a>"
        ),
        "{stale}"
    );
    assert!(stale.contains(&format!("<a href=\"/admin/edit/{REFERENCE}\">Edit")), "{stale}");
    assert!(stale.contains(&format!("<code>{REFERENCE}</code>, reviewed 2026-10-15")), "{stale}");
    assert!(stale.contains("<li>MS-102: retired on 2026-11-30, successor AB-650</li>"), "{stale}");
    assert!(!html.contains("/admin/stale/reviewed"), "an editor cannot mark answers reviewed");
    assert!(section(&html, "retiring-exams").contains("(0)"));
    let sources = section(&html, "old-sources");
    assert!(sources.contains("<a href=\"/en/certifications/ai-102\">AI-102: "), "{sources}");
    assert!(sources.contains("<a href=\"/admin/edit/certifications/ai-102.toml\">Edit"), "{sources}");
    assert!(sources.contains("oldest source checked 2026-03-28 (248 days ago)"), "{sources}");
}

#[tokio::test]
async fn a_publisher_gets_a_mark_reviewed_form_per_stale_answer_with_the_sessions_token() {
    let s = site("2026-12-01").await;
    let cookie = s.staff("pat@example.ch", Role::Publisher).await;
    let html = s.report(&cookie).await;
    let token = form_token(&html); // the frame's logout form: the session's token
    let stale = section(&html, "stale-answers");
    assert_eq!(stale.matches("<form method=\"post\" action=\"/admin/stale/reviewed\">").count(), 6);
    assert_eq!(
        stale.matches(&format!("<input type=\"hidden\" name=\"token\" value=\"{token}\">")).count(),
        6
    );
    assert!(
        stale.contains(&format!("<input type=\"hidden\" name=\"path\" value=\"{REFERENCE}\">")),
        "{stale}"
    );
    assert!(!section(&html, "old-sources").contains("<form"), "only answers are marked reviewed");
}

#[tokio::test]
async fn four_days_before_the_reference_answer_names_a_retiring_exam() {
    let s = site("2026-11-26").await;
    let cookie = s.staff("ed@example.ch", Role::Editor).await;
    let html = s.report(&cookie).await;
    assert!(section(&html, "stale-answers").contains("Stale answers (0)"));
    let retiring = section(&html, "retiring-exams");
    assert!(retiring.contains("/en/answers/md-102-vs-ms-102-difference"), "{retiring}");
    assert!(
        retiring.contains("<li>MS-102 retires on 2026-11-30, in 4 days, successor AB-650</li>"),
        "{retiring}"
    );
}

#[tokio::test]
async fn recorded_changes_are_listed_and_the_public_notice_agrees_with_the_report() {
    let s = site("2026-11-26").await;
    let recorded = vec![FactChange {
        code: Code::parse("MD-102").unwrap(),
        on: "2026-11-20".parse().unwrap(),
        change: Change::CoursePrice {
            course: Slug::parse("md-102-endpoint-administrator").unwrap(),
            from: Money::parse("2190.00", "CHF").unwrap(),
            to: Money::parse("2390.00", "CHF").unwrap(),
        },
    }];
    let catalog = s.state.published.current().catalog.clone();
    s.state.published.replace(Snapshot::new(catalog.clone()).with_fact_changes(recorded));
    let cookie = s.staff("ed@example.ch", Role::Editor).await;
    let html = s.report(&cookie).await;
    let stale = section(&html, "stale-answers");
    assert!(
        stale.contains(
            "<li>MD-102: price of course md-102-endpoint-administrator changed from CHF 2,190.00 to CHF 2,390.00 on 2026-11-20</li>"
        ),
        "{stale}"
    );
    // Every answer: listed as stale exactly when its page carries the stale notice.
    let mut listed = 0;
    for answer in &catalog.answers {
        let path = format!("answers/{}/{}.md", answer.locale, answer.slug);
        let in_report = stale.contains(&format!("name=\"path\" value=\"{path}\""))
            || stale.contains(&format!("<code>{path}</code>"));
        let page = s.get(&format!("/{}/answers/{}", answer.locale, answer.slug), None).await;
        assert_eq!(page.status, 200);
        let notice = Lang::of(&answer.locale).ui().notice_stale;
        assert_eq!(page.body.contains(notice), in_report, "{path}: the page and the report disagree");
        listed += usize::from(in_report);
    }
    assert!(listed > 0, "the price change makes the MD-102 answers stale");
}
