//! Limits, and "try again" instead of 500: a body that never arrives is a 408, a body too
//! large a 413, too many decisions from one client a 429 with `Retry-After`, too many
//! connections from one client a 503; a decision that cannot be written because another
//! process holds the database is a 503 with `Retry-After` and writes nothing (a full
//! disk: tests/faults.rs); the API answers 405 in JSON.

mod common;

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::Request;
use certwise::web;
use certwise::web::App;
use certwise::web::limits::Limits;
use common::form_token;
use common::{Reply, request, state_with};

const PAGE: &str = "/en/answers/md-102-vs-ms-102-difference";

/// A request body that never sends a byte.
struct Silent;

impl axum::body::HttpBody for Silent {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        Poll::Pending
    }
}

async fn post(app: &App, body: Body, accept_json: bool) -> Reply {
    let mut req = Request::post("/consent")
        .header("host", "127.0.0.1:8080")
        .header("origin", "http://127.0.0.1:8080")
        .header("content-type", "application/x-www-form-urlencoded");
    if accept_json {
        req = req.header("accept", "application/json");
    }
    request(app, req.body(body).unwrap()).await
}

async fn decision(app: &App) -> String {
    let page = common::get(app, PAGE).await;
    format!("token={}&action=reject_all&return_to=%2Fen%2F", form_token(&page.body))
}

#[tokio::test]
async fn a_body_that_never_arrives_is_a_408() {
    let state = state_with(
        &common::database_url().await,
        Limits { request_time: Duration::from_millis(300), ..Limits::default() },
    )
    .await;
    let app = web::router(state);
    let started = Instant::now();
    let r = post(&app, Body::new(Silent), false).await;
    assert_eq!(r.status, 408, "{}", r.body);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(r.body.contains("did not arrive within"), "a page that says why");
}

#[tokio::test]
async fn a_body_too_large_is_a_413_that_says_so() {
    let app = web::router(state_with(&common::database_url().await, Limits::default()).await);
    let form = format!("{}&padding={}", decision(&app).await, "x".repeat(70 * 1024));
    let r = post(&app, Body::from(form.clone()), false).await;
    assert_eq!(r.status, 413);
    assert!(r.body.contains("larger than the 64 KiB"), "{}", r.body);
    let r = post(&app, Body::from(form), true).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"]["code"], "too_large");
}

#[tokio::test]
async fn too_many_decisions_from_one_client_are_a_429_with_retry_after() {
    let state =
        state_with(&common::database_url().await, Limits { consent_per_minute: 3, ..Limits::default() })
            .await;
    let app = web::router(state.clone());
    let form = decision(&app).await;
    for _ in 0..3 {
        assert_eq!(post(&app, Body::from(form.clone()), false).await.status, 303);
    }
    // The reader ticked analytics only: the refusal shows the form again, so ticked.
    let custom = form.replace("action=reject_all", "action=custom&category=analytics");
    let refused = post(&app, Body::from(custom), false).await;
    assert_eq!(refused.status, 429);
    let retry: u64 = refused.header("retry-after").parse().expect("Retry-After in seconds");
    assert!((1..=60).contains(&retry));
    assert!(refused.body.contains("role=\"alert\">Too many cookie choices"), "{}", refused.body);
    assert!(
        refused.body.contains("value=\"analytics\" id=\"settings-category-analytics\" checked>"),
        "the choice is kept"
    );
    assert!(!refused.body.contains("value=\"marketing\" id=\"settings-category-marketing\" checked>"));
    assert!(refused.body.contains("name=\"return_to\" value=\"/en/\""), "the way back is kept");
    let json = post(&app, Body::from(form), true).await;
    assert_eq!(json.status, 429);
    assert_eq!(json.json()["error"]["code"], "too_many_requests");
    let today = chrono::Utc::now().date_naive();
    let start = today.and_hms_opt(0, 0, 0).unwrap().and_utc();
    let records = state.store.consent_records(start, start + chrono::Duration::days(2)).await.unwrap();
    assert_eq!(records.len(), 3, "refused decisions are not recorded");
}

#[tokio::test]
async fn the_api_answers_405_in_json() {
    let app = common::sample().await;
    let r = request(&app, Request::post("/api/v1/answers").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["error"]["code"], "method_not_allowed");
    let r = request(&app, Request::delete("/en/answers/").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, 405);
    assert!(r.body.contains("<html"), "a page for a page's address");
}

#[tokio::test]
async fn a_decision_while_another_process_holds_the_write_lock_is_a_503_and_writes_nothing() {
    use sqlx::Connection as _;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let state = state_with(&url, Limits::default()).await;
    let app = web::router(state.clone());
    let form = decision(&app).await;
    // Another process: holds the write lock for longer than the busy timeout.
    let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
    let r = post(&app, Body::from(form.clone()), false).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.header("retry-after"), "5");
    assert!(r.header("set-cookie").is_empty(), "nothing is set when nothing was recorded");
    assert!(r.body.contains("nothing was saved"), "{}", r.body);
    assert!(r.body.contains("<h1>Cookie settings</h1>"), "the form again, to choose once more");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    let start = chrono::Utc::now() - chrono::Duration::hours(1);
    assert!(state.store.consent_records(start, start + chrono::Duration::hours(2)).await.unwrap().is_empty());
    // Once the lock is gone, the same decision goes through.
    assert_eq!(post(&app, Body::from(form), false).await.status, 303);
}
