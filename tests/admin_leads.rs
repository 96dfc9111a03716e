//! Leads for staff (`/admin/leads`), driven in-process: the list newest first with every
//! field escaped, each filter and the 400 a bad one gets, paging, marking handled (and the
//! audit entry), sending a notification again, the CSV download, and the token and origin
//! every form needs.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::accounts;
use certwise::domain::Slug;
use certwise::domain::account::Role;
use certwise::domain::lead::{Lead, LeadSession};
use certwise::store::{LeadFilter, LeadNotification, NotificationStatus};
use certwise::web::{self, App, AppState};
use chrono::{DateTime, Utc};
use common::{Reply, form_token, request, sample_content};

const ORIGIN: &str = "https://www.example.ch";
const PASSWORD: &str = "plum tree at dawn";
const MD102: &str = "md-102-endpoint-administrator";
const AZ104: &str = "az-104-azure-administrator";

struct Site {
    state: AppState,
    app: App,
}

async fn site(notification: LeadNotification) -> Site {
    let state = common::state(&sample_content(), "2026-11-26").await.announcing_leads(notification);
    Site { app: web::router(state.clone()), state }
}

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

    /// A row form of the list, sent by `who` from this site.
    async fn form(&self, who: &Session, path: &str, fields: &[(&str, &str)]) -> Reply {
        let mut fields = fields.to_vec();
        fields.push(("token", &who.token));
        self.post(path, &fields, Some(&who.cookie), Some(ORIGIN)).await
    }

    async fn store(&self, lead: &Lead, notification: LeadNotification) {
        self.state.store.insert_lead(lead, notification).await.unwrap();
    }

    async fn handled_by(&self, id: &str) -> Option<String> {
        let all = self.state.store.staff_leads(&LeadFilter::default(), 0, 1000).await.unwrap();
        all.into_iter().find(|l| l.lead.id == id).unwrap().handled.map(|h| h.by)
    }
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn lead(id: &str, received_at: &str, course: &str, session: Option<(&str, &str, &str)>) -> Lead {
    Lead {
        id: id.to_owned(),
        received_at: at(received_at),
        locale: "en".to_owned(),
        course: Slug::parse(course).unwrap(),
        course_title: format!("Title of {course}"),
        session: session.map(|(id, day, place)| LeadSession {
            id: id.to_owned(),
            starts_on: day.parse().unwrap(),
            location: place.to_owned(),
        }),
        name: format!("Person {id}"),
        email: format!("{id}@example.ch"),
        company: None,
        message: None,
        consent_text: "You may contact me about this inquiry.".to_owned(),
    }
}

/// Four leads over three days, two courses, sessions with the same id in both courses.
async fn four(s: &Site) {
    s.store(
        &lead("a1", "2026-11-20T09:00:00Z", MD102, Some(("2027-01-zurich", "2027-01-18", "Zürich"))),
        LeadNotification::None,
    )
    .await;
    s.store(
        &lead("a2", "2026-11-22T10:00:00Z", AZ104, Some(("2027-03-online", "2027-03-29", "Online"))),
        LeadNotification::None,
    )
    .await;
    s.store(&lead("a3", "2026-11-24T11:00:00Z", MD102, None), LeadNotification::None).await;
    s.store(
        &lead("a4", "2026-11-24T23:59:59Z", MD102, Some(("2027-03-online", "2027-03-01", "Online"))),
        LeadNotification::None,
    )
    .await;
}

/// The ids of the leads a list page shows, in order.
fn listed(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<tr id="lead-([^"]+)">"#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

#[tokio::test]
async fn the_list_shows_every_lead_newest_first_with_its_fields_escaped() {
    let s = site(LeadNotification::None).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    let r = s.get("/admin/leads", Some(&ed.cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("No course inquiries yet"), "the empty state");
    assert!(!r.body.contains("<table"), "no empty table");
    assert!(r.body.contains("No webhook is configured"), "said when no webhook is set");

    four(&s).await;
    let mut odd =
        lead("x<1>", "2026-11-25T08:30:00Z", MD102, Some(("2027-01-zurich", "2027-01-18", "Zürich")));
    odd.name = "<script>alert(1)</script>".to_owned();
    odd.company = Some("Example & Co".to_owned());
    let long = format!(
        "{} — and the rest of it.\nA second line <b>bold</b>.",
        "Is lunch included in the price? ".repeat(4)
    );
    odd.message = Some(long.clone());
    s.store(&odd, LeadNotification::None).await;

    let r = s.get("/admin/leads", Some(&ed.cookie)).await;
    assert_eq!(r.status, 200);
    assert_eq!(listed(&r.body), ["x&#60;1&#62;", "a4", "a3", "a2", "a1"], "newest first");
    assert!(
        r.body.contains("&#60;script&#62;alert(1)&#60;/script&#62;") && !r.body.contains("<script>alert")
    );
    assert!(r.body.contains("Example &#38; Co"));
    assert!(r.body.contains("&#60;b&#62;bold&#60;/b&#62;") && !r.body.contains("<b>bold"));
    assert!(
        r.body.contains("<p class=\"admin-lead-short\" lang=\"en\">Is lunch included"),
        "a long message is shortened"
    );
    assert!(r.body.contains("<details><summary>Whole message"), "with the whole text one click away");
    assert!(r.body.contains("2026-11-25</span> <span class=\"nowrap\">08:30 UTC"), "received time");
    assert!(r.body.contains("2027-01-18, Zürich"), "the session's date and place");
    assert!(r.body.contains("No session chosen"));
    assert!(r.body.contains("mailto:a1@example.ch"));
    assert!(r.body.contains("5 leads."), "{}", r.body);
    assert!(r.body.contains("No notification was queued"));
    assert_eq!(r.header("cache-control"), "no-store");
    assert_eq!(r.header("x-robots-tag"), "noindex");

    // Only staff.
    let r = s.get("/admin/leads", None).await;
    assert_eq!(r.status, 303);
    assert!(r.header("location").starts_with("/admin/login"));
}

#[tokio::test]
async fn every_filter_selects_and_they_combine() {
    let s = site(LeadNotification::None).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    four(&s).await;
    let cases: &[(&str, &[&str])] = &[
        ("course=md-102-endpoint-administrator", &["a4", "a3", "a1"]),
        ("course=az-104-azure-administrator", &["a2"]),
        ("session=2027-03-online", &["a4", "a2"]),
        ("course=md-102-endpoint-administrator&session=2027-03-online", &["a4"]),
        ("from=2026-11-22", &["a4", "a3", "a2"]),
        ("to=2026-11-22", &["a2", "a1"]),
        ("from=2026-11-24&to=2026-11-24", &["a4", "a3"]),
        ("handled=no", &["a4", "a3", "a2", "a1"]),
        ("handled=yes", &[]),
        ("course=ms-102-microsoft-365-administrator", &[]),
        ("course=&session=&from=&to=&handled=", &["a4", "a3", "a2", "a1"]),
        ("from=0000-01-01&to=9999-12-31", &["a4", "a3", "a2", "a1"]),
    ];
    for (query, expected) in cases {
        let r = s.get(&format!("/admin/leads?{query}"), Some(&ed.cookie)).await;
        assert_eq!(r.status, 200, "{query}: {}", r.body);
        assert_eq!(listed(&r.body), *expected, "{query}");
        if expected.is_empty() && query.contains('=') && !query.starts_with("course=&") {
            assert!(r.body.contains("No lead matches these filters"), "{query}");
        }
    }
    // Handled joins the filters once a lead is marked.
    let r = s.form(&ed, "/admin/leads/handled", &[("lead", "a3"), ("handled", "yes")]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = s.get("/admin/leads?handled=yes", Some(&ed.cookie)).await;
    assert_eq!(listed(&r.body), ["a3"]);
    let r = s.get("/admin/leads?handled=no&course=md-102-endpoint-administrator", Some(&ed.cookie)).await;
    assert_eq!(listed(&r.body), ["a4", "a1"]);

    // The form shows the chosen filters and offers the courses and sessions.
    let r = s
        .get("/admin/leads?course=md-102-endpoint-administrator&session=2027-01-zurich", Some(&ed.cookie))
        .await;
    assert!(r.body.contains("<option value=\"md-102-endpoint-administrator\" selected>"), "{}", r.body);
    assert!(r.body.contains("<option value=\"2027-01-zurich\" selected>2027-01-18, Zürich</option>"));
    assert!(!r.body.contains("2027-03-29, Online"), "only the chosen course's sessions");
    assert!(r.body.contains("Clear the filters"));
    assert!(r.body.contains(
        "href=\"/admin/leads.csv?course=md-102-endpoint-administrator&#38;session=2027-01-zurich\""
    ));
    // Every catalog course is a choice, even without leads.
    assert!(r.body.contains("<option value=\"ms-102-microsoft-365-administrator\">"), "{}", r.body);
}

#[tokio::test]
async fn a_bad_filter_is_a_400_that_names_it() {
    let s = site(LeadNotification::None).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    four(&s).await;
    for (query, named) in [
        ("course=MD-102", "`course`"),
        ("course=../etc", "`course`"),
        ("session=2027%2001", "`session`"),
        ("from=2026-13-01", "`from`"),
        ("from=26.11.2026", "`from`"),
        ("to=2026-2-1", "`to`"),
        ("from=2026-11-24&to=2026-11-20", "`to`"),
        ("handled=maybe", "`handled`"),
        ("page=0", "`page`"),
        ("page=x", "`page`"),
    ] {
        // The CSV has every lead the filters select: it reads no page.
        let paths: &[&str] =
            if named == "`page`" { &["/admin/leads"] } else { &["/admin/leads", "/admin/leads.csv"] };
        for path in paths {
            let r = s.get(&format!("{path}?{query}"), Some(&ed.cookie)).await;
            assert_eq!(r.status, 400, "{path}?{query}");
            assert!(r.body.contains(named), "{path}?{query} names {named}: {}", r.body);
        }
    }
    let r = s.get("/admin/leads?page=2", Some(&ed.cookie)).await;
    assert_eq!(r.status, 404, "a page past the end");
}

#[tokio::test]
async fn pages_of_twenty_keep_the_filters_in_their_links() {
    let s = site(LeadNotification::None).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    for i in 0..25 {
        let l = lead(&format!("p{i:02}"), &format!("2026-11-{:02}T10:00:00Z", i + 1), MD102, None);
        s.store(&l, LeadNotification::None).await;
    }
    let r = s.get("/admin/leads?handled=no", Some(&ed.cookie)).await;
    assert_eq!(listed(&r.body).len(), 20);
    assert_eq!(listed(&r.body)[0], "p24");
    assert!(r.body.contains("href=\"/admin/leads?handled=no&#38;page=2\" rel=\"next\""), "{}", r.body);
    let r = s.get("/admin/leads?handled=no&page=2", Some(&ed.cookie)).await;
    assert_eq!(listed(&r.body), ["p04", "p03", "p02", "p01", "p00"]);
    assert!(r.body.contains("name=\"return\" value=\"/admin/leads?handled=no&#38;page=2\""));

    // Marking the last lead of page 2 handled shrinks the list: back to its last page.
    for id in ["p04", "p03", "p02", "p01"] {
        let r = s
            .form(
                &ed,
                "/admin/leads/handled",
                &[("lead", id), ("handled", "yes"), ("return", "/admin/leads?handled=no&page=2")],
            )
            .await;
        assert_eq!(r.header("location"), "/admin/leads?handled=no&page=2&done=handled", "{id}");
    }
    let r = s
        .form(
            &ed,
            "/admin/leads/handled",
            &[("lead", "p00"), ("handled", "yes"), ("return", "/admin/leads?handled=no&page=2")],
        )
        .await;
    assert_eq!(r.header("location"), "/admin/leads?handled=no&done=handled");
    let r = s.get(r.header("location"), Some(&ed.cookie)).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("The lead is marked handled."));
}

#[tokio::test]
async fn marking_handled_records_who_and_when_and_is_audited_without_personal_data() {
    let s = site(LeadNotification::None).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    let pat = s.staff("pat@example.ch", Role::Publisher).await;
    four(&s).await;
    let back = "/admin/leads?course=md-102-endpoint-administrator&handled=no";
    let r =
        s.form(&ed, "/admin/leads/handled", &[("lead", "a1"), ("handled", "yes"), ("return", back)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), format!("{back}&done=handled"), "back to the same filtered list");
    assert_eq!(s.handled_by("a1").await.as_deref(), Some("eve@example.ch"));
    let page = s.get("/admin/leads?handled=yes", Some(&pat.cookie)).await;
    assert!(page.body.contains("by eve@example.ch, "), "{}", page.body);
    assert!(page.body.contains("Mark not handled"));

    // A second mark keeps the first: who handled it, and when.
    let r = s.form(&pat, "/admin/leads/handled", &[("lead", "a1"), ("handled", "yes")]).await;
    assert_eq!(r.status, 303);
    assert_eq!(s.handled_by("a1").await.as_deref(), Some("eve@example.ch"));

    // Not handled again.
    let r =
        s.form(&pat, "/admin/leads/handled", &[("lead", "a1"), ("handled", "no"), ("return", back)]).await;
    assert_eq!(r.header("location"), format!("{back}&done=unhandled"));
    assert_eq!(s.handled_by("a1").await, None);

    let audit = s.state.store.audit_entries(0, 50).await.unwrap();
    let leads: Vec<(&str, &str, &str, &str)> = audit
        .iter()
        .filter(|e| e.action == "lead.handled")
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.target.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        leads,
        [
            ("pat@example.ch", "lead.handled", "a1", "not handled"),
            ("eve@example.ch", "lead.handled", "a1", "handled")
        ],
        "one entry per change, newest first; the unchanged second mark is not one"
    );
    assert!(audit.iter().all(|e| !e.detail.contains("a1@example.ch") && !e.detail.contains("Person")));

    // Mistakes.
    let r = s.form(&ed, "/admin/leads/handled", &[("lead", "nobody"), ("handled", "yes")]).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = s.form(&ed, "/admin/leads/handled", &[("lead", "a2"), ("handled", "perhaps")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("`handled`"));
    let r = s.form(&ed, "/admin/leads/handled", &[("handled", "yes")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("`lead`"));
    assert_eq!(s.handled_by("a2").await, None);

    // Only a path of the list is followed back.
    for foreign in [
        "https://evil.example/admin/leads",
        "//evil.example/",
        "/admin/users",
        "/admin/leadsx?a=1",
        "/admin/leads?handled=maybe",
    ] {
        let r = s
            .form(&ed, "/admin/leads/handled", &[("lead", "a2"), ("handled", "yes"), ("return", foreign)])
            .await;
        assert_eq!(r.header("location"), "/admin/leads?done=handled", "{foreign}");
    }
}

/// Claims `id`'s notification (one attempt) and gives it up with `error`.
async fn fail(s: &Site, id: &str, error: &str) {
    let store = s.state.store.as_ref();
    let now = Utc::now();
    let due = store.due_notifications(now, 100, now + chrono::TimeDelta::minutes(1)).await.unwrap();
    let n = due.iter().find(|n| n.lead.id == id).expect("due");
    store.mark_failed(n.id, error).await.unwrap();
}

#[tokio::test]
async fn a_publisher_sends_a_failed_notification_again_at_once() {
    let s = site(LeadNotification::Webhook).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    let pat = s.staff("pat@example.ch", Role::Publisher).await;
    s.store(&lead("f1", "2026-11-20T09:00:00Z", MD102, None), LeadNotification::Webhook).await;
    s.store(&lead("d1", "2026-11-21T09:00:00Z", MD102, None), LeadNotification::Webhook).await;
    s.store(&lead("n1", "2026-11-22T09:00:00Z", MD102, None), LeadNotification::None).await;
    let store = s.state.store.as_ref();
    let now = Utc::now();
    let due = store.due_notifications(now, 100, now + chrono::TimeDelta::minutes(1)).await.unwrap();
    let id = |lead: &str| due.iter().find(|n| n.lead.id == lead).unwrap().id;
    store.mark_failed(id("f1"), "HTTP 500 <Internal Server Error>").await.unwrap();
    store.mark_delivered(id("d1")).await.unwrap();

    let page = s.get("/admin/leads", Some(&pat.cookie)).await;
    assert!(!page.body.contains("No webhook is configured"));
    assert!(
        page.body.contains("Failed")
            && page.body.contains("Last error: HTTP 500 &#60;Internal Server Error&#62;"),
        "{}",
        page.body
    );
    assert!(page.body.contains(">Sent<"), "{}", page.body);
    assert!(page.body.contains("1 attempt; given up <span class=\"nowrap\">20"), "{}", page.body);
    assert!(page.body.contains("1 attempt; sent <span class=\"nowrap\">20"), "{}", page.body);
    assert!(page.body.contains("No notification was queued"));
    assert_eq!(
        page.body.matches("action=\"/admin/leads/retry\"").count(),
        1,
        "a button for the failed one only"
    );
    let editor_page = s.get("/admin/leads", Some(&ed.cookie)).await;
    assert!(!editor_page.body.contains("/admin/leads/retry"), "editors see no retry button");

    // An editor may not; a publisher may.
    let r = s.form(&ed, "/admin/leads/retry", &[("lead", "f1")]).await;
    assert_eq!(r.status, 403);
    assert_eq!(store.notification_state("f1").await.unwrap().unwrap().status, NotificationStatus::Failed);
    let before = Utc::now();
    let r = s
        .form(
            &pat,
            "/admin/leads/retry",
            &[("lead", "f1"), ("return", "/admin/leads?course=md-102-endpoint-administrator")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), "/admin/leads?course=md-102-endpoint-administrator&done=retry");
    let n = store.notification_state("f1").await.unwrap().unwrap();
    assert_eq!(
        (n.status, n.attempts, n.finished_at),
        (NotificationStatus::Pending, 1, None),
        "attempts kept"
    );
    assert!(
        n.next_attempt_at >= before - chrono::TimeDelta::seconds(1) && n.next_attempt_at <= Utc::now(),
        "due now"
    );
    let due = store.due_notifications(Utc::now(), 100, Utc::now()).await.unwrap();
    assert!(due.iter().any(|d| d.lead.id == "f1" && d.attempts == 2), "the worker takes it next");
    let audit = store.audit_entries(0, 10).await.unwrap();
    let e = audit.iter().find(|e| e.action == "lead.retry").expect("audited");
    assert_eq!((e.actor.as_str(), e.target.as_str()), ("pat@example.ch", "f1"));
    assert!(e.detail.starts_with("failed after 1 attempt:"), "{}", e.detail);

    // A delivered one, or none at all: nothing to send again.
    let r = s.form(&pat, "/admin/leads/retry", &[("lead", "d1")]).await;
    assert_eq!(r.status, 400);
    assert_eq!(store.notification_state("d1").await.unwrap().unwrap().status, NotificationStatus::Delivered);
    let r = s.form(&pat, "/admin/leads/retry", &[("lead", "n1")]).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn without_a_webhook_nothing_is_sent_again() {
    let s = site(LeadNotification::None).await;
    let pat = s.staff("pat@example.ch", Role::Publisher).await;
    s.store(&lead("f1", "2026-11-20T09:00:00Z", MD102, None), LeadNotification::Webhook).await;
    fail(&s, "f1", "HTTP 503").await;
    let page = s.get("/admin/leads", Some(&pat.cookie)).await;
    assert!(page.body.contains("No webhook is configured"));
    assert!(!page.body.contains("/admin/leads/retry"));
    let r = s.form(&pat, "/admin/leads/retry", &[("lead", "f1")]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("No webhook is configured"), "{}", r.body);
    let n = s.state.store.notification_state("f1").await.unwrap().unwrap();
    assert_eq!(n.status, NotificationStatus::Failed);
}

#[tokio::test]
async fn the_csv_has_the_filtered_leads_with_formulas_neutralised() {
    let s = site(LeadNotification::None).await;
    let ed = s.staff("eve@example.ch", Role::Editor).await;
    four(&s).await;
    let mut formula = lead("f9", "2026-11-25T12:00:00Z", MD102, None);
    formula.name = "=HYPERLINK(\"https://evil.example\")".to_owned();
    formula.message = Some("+41 44 000 00 00, call me".to_owned());
    s.store(&formula, LeadNotification::None).await;
    s.form(&ed, "/admin/leads/handled", &[("lead", "a3"), ("handled", "yes")]).await;

    let r = s.get("/admin/leads.csv?course=md-102-endpoint-administrator", Some(&ed.cookie)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), "text/csv; charset=utf-8");
    assert_eq!(r.header("content-disposition"), "attachment; filename=\"leads-2026-11-26.csv\"");
    assert_eq!(r.header("cache-control"), "no-store");
    let mut csv = csv::Reader::from_reader(r.body.as_bytes());
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_owned).collect();
    let expected: Vec<&str> =
        certwise::export::LEAD_COLUMNS.into_iter().chain(certwise::export::STAFF_LEAD_COLUMNS).collect();
    assert_eq!(header, expected);
    let rows: Vec<csv::StringRecord> = csv.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, ["f9", "a4", "a3", "a1"], "the filter's leads, newest first");
    let col = |name: &str| expected.iter().position(|c| *c == name).unwrap();
    assert_eq!(&rows[0][col("name")], "'=HYPERLINK(\"https://evil.example\")");
    assert_eq!(&rows[0][col("message")], "'+41 44 000 00 00, call me");
    assert_eq!(&rows[2][col("handled_by")], "eve@example.ch");
    assert!(rows[2][col("handled_at")].starts_with("20"));
    assert_eq!(&rows[1][col("session_id")], "2027-03-online");
    assert_eq!(&rows[1][col("notification")], "");

    let r = s.get("/admin/leads.csv?course=ms-102-microsoft-365-administrator", Some(&ed.cookie)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body.lines().count(), 1, "only the header: {}", r.body);
    let r = s.get("/admin/leads.csv", None).await;
    assert_eq!(r.status, 303, "only staff");
}

#[tokio::test]
async fn every_leads_form_needs_the_sessions_token_and_this_sites_origin() {
    let s = site(LeadNotification::Webhook).await;
    let pat = s.staff("pat@example.ch", Role::Publisher).await;
    s.store(&lead("f1", "2026-11-20T09:00:00Z", MD102, None), LeadNotification::Webhook).await;
    fail(&s, "f1", "HTTP 500").await;
    let forms: [(&str, Vec<(&str, &str)>); 2] = [
        ("/admin/leads/handled", vec![("lead", "f1"), ("handled", "yes")]),
        ("/admin/leads/retry", vec![("lead", "f1")]),
    ];
    for (path, fields) in forms {
        let mut without = fields.clone();
        without.push(("token", ""));
        let r = s.post(path, &without, Some(&pat.cookie), Some(ORIGIN)).await;
        assert_eq!(r.status, 403, "{path} without a token");
        let mut wrong = fields.clone();
        wrong.push(("token", "not-the-token"));
        let r = s.post(path, &wrong, Some(&pat.cookie), Some(ORIGIN)).await;
        assert_eq!(r.status, 403, "{path} with another token");
        let mut foreign = fields.clone();
        foreign.push(("token", pat.token.as_str()));
        let r = s.post(path, &foreign, Some(&pat.cookie), Some("https://evil.example")).await;
        assert_eq!(r.status, 403, "{path} from another origin");
        assert_eq!(r.header("cache-control"), "no-store");
        let r = s.post(path, &foreign, None, Some(ORIGIN)).await;
        assert_eq!(r.status, 303, "{path} without a session goes to the login");
        assert!(r.header("location").starts_with("/admin/login"), "{path}");
    }
    assert_eq!(s.handled_by("f1").await, None, "nothing changed");
    let n = s.state.store.notification_state("f1").await.unwrap().unwrap();
    assert_eq!(n.status, NotificationStatus::Failed, "nothing changed");
    assert!(s.state.store.audit_entries(0, 50).await.unwrap().iter().all(|e| !e.action.starts_with("lead.")));
}
