//! From answer to course in one click, and inquiries that are never lost: the course page
//! with its next sessions, the calls to action, and `POST …/inquiry` — checked field by
//! field with the input kept, a honeypot, the rate limit, a vanished course or session
//! explained, a busy database answered 503 with the form kept (a full disk:
//! tests/faults.rs), and the lead stored with copies of what the reader saw before the
//! thank-you page.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::domain::lead::Lead;
use certwise::web::limits::Limits;
use certwise::web::{self, App, AppState};
use common::{Reply, form_token, get, request, state_with, text};

const ANSWER: &str = "/en/answers/md-102-vs-ms-102-difference";
const COURSE: &str = "/en/courses/md-102-endpoint-administrator";

async fn sample() -> (App, AppState) {
    let state = state_with(&common::database_url().await, Limits::default()).await;
    (web::router(state.clone()), state)
}

/// The `href` of the first link whose text is `label`.
fn link(html: &str, label: &str) -> String {
    let end = html.find(&format!(">{label}")).unwrap_or_else(|| panic!("no link {label:?}"));
    let start = html[..end].rfind("href=\"").unwrap() + 6;
    html[start..start + html[start..].find('"').unwrap()].replace("&#38;", "&").replace("&amp;", "&")
}

async fn post(app: &App, path: &str, form: &str) -> Reply {
    let req = Request::post(path)
        .header("host", "127.0.0.1:8080")
        .header("origin", "http://127.0.0.1:8080")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.to_owned()))
        .unwrap();
    request(app, req).await
}

fn encode(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

async fn leads(state: &AppState) -> Vec<Lead> {
    let day = |s: &str| s.parse().unwrap();
    state.store.leads_between(day("2000-01-01"), day("2100-01-01")).await.unwrap()
}

/// A complete, valid inquiry for the first session of the reference course.
async fn filled(app: &App, session: &str) -> String {
    let page = get(app, COURSE).await;
    encode(&[
        ("token", &form_token(&page.body)),
        ("name", "Mia Muster"),
        ("email", "mia@example.ch"),
        ("company", "Muster AG"),
        ("session", session),
        ("message", "Is lunch included?"),
        ("agree", "yes"),
        ("website", ""),
    ])
}

fn first_session_id(html: &str) -> String {
    let at = html.find("<option value=\"").expect("sessions") + 15;
    // The first option is "no particular session" (empty value); take the next one.
    let rest = &html[at..];
    let next = rest.find("<option value=\"").unwrap() + 15;
    rest[next..next + rest[next..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_course_page_shows_what_a_reader_needs_to_decide() {
    let (app, _) = sample().await;
    let r = get(&app, COURSE).await;
    assert_eq!(r.status, 200);
    let page = text(&r.body);
    assert!(page.contains("Prepares for MD-102: Endpoint Administrator"), "{page}");
    assert!(page.contains("CHF 119.00"));
    assert!(r.body.contains("<dt>Taught by</dt>"), "teachers");
    // The next three sessions as of today, never a past one.
    let sessions =
        r.body.split("<table class=\"stack sessions\">").nth(1).unwrap().split("</table>").next().unwrap();
    assert_eq!(sessions.matches("<tr><td").count(), 3, "{sessions}");
    assert!(!sessions.contains("2026-0") && !sessions.contains("2025-"), "no past session");
    // JSON-LD Course with instances and offers.
    let ld: Vec<serde_json::Value> = r
        .body
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(&s[..s.find("</script>").unwrap()]).unwrap())
        .collect();
    let course = ld.iter().find(|v| v["@type"] == "Course").expect("Course");
    assert_eq!(course["hasCourseInstance"].as_array().unwrap().len(), 3);
    assert_eq!(course["offers"][0]["@type"], "Offer");
    // The form: fields, an unticked consent box, the honeypot, the privacy link.
    assert!(r.body.contains("id=\"inquiry\""));
    // Sent with mistakes, the page comes back scrolled to the form.
    assert!(r.body.contains("action=\"/en/courses/md-102-endpoint-administrator/inquiry#inquiry\""));
    assert!(r.body.contains("name=\"agree\" type=\"checkbox\" value=\"yes\" required>"), "unticked");
    assert!(r.body.contains("name=\"website\""));
    assert!(r.body.contains("href=\"/en/privacy\""));
}

#[tokio::test]
async fn one_click_from_the_answer_reaches_the_form_with_course_and_session_chosen() {
    let (app, _) = sample().await;
    let answer = get(&app, ANSWER).await.body;
    let table = answer.split("<table class=\"compare stack\">").nth(1).unwrap();
    let href = link(table, "Request a place");
    assert!(href.starts_with("/en/courses/md-102-endpoint-administrator?session="), "{href}");
    assert!(href.ends_with("#inquiry"));
    let (path, _) = href.split_once('#').unwrap();
    let page = get(&app, path).await;
    assert_eq!(page.status, 200);
    let session = path.split("session=").nth(1).unwrap();
    assert!(page.body.contains(&format!("<option value=\"{session}\" selected>")), "the session is chosen");
    // "Ask about this course" too, on the answer and the certification page.
    assert_eq!(link(table, "Ask about this course"), format!("{COURSE}#inquiry"));
    let cert = get(&app, "/en/certifications/md-102").await.body;
    assert_eq!(link(&cert, "Ask about this course"), format!("{COURSE}#inquiry"));
    assert!(link(&cert, "Request a place").starts_with(&format!("{COURSE}?session=")));
    // An unknown session is not a page of its own: back to the course.
    let odd = get(&app, &format!("{COURSE}?session=no-such-session")).await;
    assert_eq!(odd.status, 303);
    assert_eq!(odd.header("location"), format!("{COURSE}#inquiry"));
}

#[tokio::test]
async fn an_inquiry_is_stored_with_copies_of_what_the_reader_saw_then_thanked() {
    let (app, state) = sample().await;
    let session = first_session_id(&get(&app, COURSE).await.body);
    let r = post(&app, &format!("{COURSE}/inquiry"), &filled(&app, &session).await).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), format!("{COURSE}/thanks"));
    let stored = leads(&state).await;
    assert_eq!(stored.len(), 1);
    let lead = &stored[0];
    assert_eq!((lead.name.as_str(), lead.email.as_str()), ("Mia Muster", "mia@example.ch"));
    assert_eq!(lead.company.as_deref(), Some("Muster AG"));
    assert_eq!(lead.course_title, "MD-102: Microsoft 365 Endpoint Administrator");
    assert_eq!(lead.session.as_ref().unwrap().id, session);
    assert_eq!(lead.consent_text, "You may contact me about this inquiry.");
    assert_eq!(lead.locale, "en");
    let thanks = get(&app, &format!("{COURSE}/thanks")).await;
    assert_eq!(thanks.status, 200);
    assert!(thanks.body.contains("<h1>Thank you</h1>"));
    assert!(thanks.body.contains("<meta name=\"robots\" content=\"noindex\">"));
}

#[tokio::test]
async fn every_problem_is_named_next_to_its_field_and_the_input_is_kept() {
    let (app, state) = sample().await;
    let page = get(&app, COURSE).await.body;
    let long = "x".repeat(121);
    let form = encode(&[
        ("token", &form_token(&page)),
        ("name", ""),
        ("email", "mia@localhost"),
        ("company", &long),
        ("message", "Keep <this> & that"),
        ("website", ""),
    ]);
    let r = post(&app, &format!("{COURSE}/inquiry"), &form).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let error = |field: &str| {
        let id = format!("id=\"inquiry-{field}-error\">");
        let at = r.body.find(&id).unwrap_or_else(|| panic!("no message for {field}")) + id.len();
        r.body[at..at + r.body[at..].find("</span>").unwrap()].to_owned()
    };
    assert_eq!(error("name"), "Please fill this in.");
    assert_eq!(error("email"), "Please enter an email address like name@example.com.");
    assert_eq!(error("company"), "Please keep this to 120 characters or fewer.");
    assert_eq!(error("agree"), "Please tick this box so that we may answer you.");
    assert!(!r.body.contains("id=\"inquiry-message-error\""), "the message is fine");
    // Input kept, escaped.
    assert!(r.body.contains("value=\"mia@localhost\""));
    assert!(r.body.contains(&format!("value=\"{long}\"")));
    assert!(r.body.contains(">Keep &#60;this&#62; &#38; that</textarea>"), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\" aria-describedby=\"inquiry-email-error\""));
    assert!(leads(&state).await.is_empty(), "nothing stored");
}

#[tokio::test]
async fn a_vanished_session_or_course_is_explained() {
    let (app, state) = sample().await;
    let form = filled(&app, "2019-01-01-atlantis").await;
    let r = post(&app, &format!("{COURSE}/inquiry"), &form).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("That session is no longer open for requests."), "{}", r.body);
    assert!(r.body.contains("value=\"Mia Muster\""), "input kept");
    let gone = post(&app, "/en/courses/no-such-course/inquiry", &form).await;
    assert_eq!(gone.status, 410);
    assert!(gone.body.contains("is no longer in our catalog"), "{}", gone.body);
    assert!(leads(&state).await.is_empty());
}

#[tokio::test]
async fn a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored() {
    let (app, state) = sample().await;
    let form = filled(&app, "").await.replace("website=", "website=http%3A%2F%2Fspam.example");
    let r = post(&app, &format!("{COURSE}/inquiry"), &form).await;
    assert_eq!(r.status, 303);
    assert!(leads(&state).await.is_empty());
}

#[tokio::test]
async fn the_sixth_inquiry_in_a_minute_is_a_429_with_the_input_kept() {
    let (app, state) = sample().await;
    for _ in 0..5 {
        let form = filled(&app, "").await;
        assert_eq!(post(&app, &format!("{COURSE}/inquiry"), &form).await.status, 303);
    }
    let r = post(&app, &format!("{COURSE}/inquiry"), &filled(&app, "").await).await;
    assert_eq!(r.status, 429);
    assert!(!r.header("retry-after").is_empty());
    assert!(r.body.contains("Too many inquiries from your address"));
    assert!(r.body.contains("value=\"Mia Muster\""), "input kept");
    assert_eq!(leads(&state).await.len(), 5);
}

#[tokio::test]
async fn a_form_from_elsewhere_or_without_a_token_is_refused() {
    let (app, state) = sample().await;
    let form = filled(&app, "").await;
    let foreign = Request::post(format!("{COURSE}/inquiry"))
        .header("host", "127.0.0.1:8080")
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form.clone()))
        .unwrap();
    assert_eq!(request(&app, foreign).await.status, 403);
    let without = form.split('&').filter(|p| !p.starts_with("token=")).collect::<Vec<_>>().join("&");
    let r = post(&app, &format!("{COURSE}/inquiry"), &without).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("value=\"Mia Muster\""), "input kept");
    assert!(leads(&state).await.is_empty());
}

#[tokio::test]
async fn an_inquiry_while_another_process_holds_the_database_is_a_503_with_the_form_kept() {
    use sqlx::Connection as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let state = state_with(&url, Limits::default()).await;
    let app = web::router(state.clone());
    let form = filled(&app, "").await;
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
    let r = post(&app, &format!("{COURSE}/inquiry"), &form).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert!(r.body.contains("nothing was sent"));
    assert!(r.body.contains("value=\"Mia Muster\""), "input kept");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    assert!(leads(&state).await.is_empty());
    assert_eq!(
        post(&app, &format!("{COURSE}/inquiry"), &form).await.status,
        303,
        "free again: it goes through"
    );
}

#[tokio::test]
async fn the_course_index_filters_and_offers_the_next_session() {
    let (app, _) = sample().await;
    let all = get(&app, "/en/courses/").await;
    assert_eq!(all.status, 200);
    // Course cards, not the navigation's link to the index.
    let count = |html: &str| {
        html.matches("<li><a href=\"/en/courses/").count()
            - html.matches("<li><a href=\"/en/courses/\"").count()
    };
    let n = count(&all.body);
    assert!(n >= 10, "{n}");
    let upcoming = get(&app, "/en/courses/?upcoming=1").await;
    assert!(count(&upcoming.body) < n, "some courses have no session coming up");
    assert!(count(&upcoming.body) >= 2);
    let md = get(&app, "/en/courses/?certification=md-102").await;
    assert_eq!(count(&md.body), 1);
    assert!(md.body.contains("<option value=\"md-102\" selected>"));
    let virt = get(&app, "/en/courses/?delivery=virtual").await;
    assert!(count(&virt.body) >= 1);
    assert_eq!(get(&app, "/en/courses/?delivery=carrier-pigeon").await.status, 400);
    assert_eq!(get(&app, "/en/courses/?certification=zz-999").await.status, 400);
    assert_eq!(get(&app, "/en/courses/?upcoming=maybe").await.status, 400);
}
