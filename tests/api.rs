//! The JSON API, in-process.

mod common;

use common::{get, sample};

#[tokio::test]
async fn one_answer_carries_its_derived_related_information() {
    let r = get(&sample().await, "/api/v1/answers/en/md-102-vs-ms-102-difference").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/json"));
    let v = r.json();
    assert_eq!(v["question"], "What is the difference between MD-102 and MS-102?");
    assert_eq!(v["as_of"], "2026-11-26");
    let related = v["related"].as_array().unwrap();
    assert_eq!(related[1]["kind"], "course");
    assert_eq!(related[1]["text"], "MD-102: 5-day course, CHF 119 · MS-102: 5-day course, CHF 119");
    assert_eq!(related[1]["parts"][1]["code"], "MS-102");
    assert_eq!(related[3]["text"], "MD-102: active · MS-102: retiring on 30 November 2026, successor AB-650");
    assert_eq!(v["lifecycle"][1]["lifecycle"]["status"], "retiring");
    assert_eq!(v["lifecycle"][1]["lifecycle"]["successor"], "AB-650");
    assert_eq!(v["author"]["name"], "Andrea Keller");
    assert_eq!(v["insight"]["expert"]["name"], "Marc Dubois");
}

#[tokio::test]
async fn lists_are_paginated_and_filterable() {
    let app = sample().await;
    let v = get(&app, "/api/v1/answers").await.json();
    assert_eq!(v["locale"], "en");
    assert_eq!(v["page"], 1);
    let total = v["total"].as_u64().unwrap();
    assert!(total >= 8);
    let v = get(&app, "/api/v1/answers?locale=en&topic=ms-102").await.json();
    let items = v["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|a| { a["topics"].as_array().unwrap().iter().any(|t| t == "ms-102") }));
    assert!((items.len() as u64) < total);
}

#[tokio::test]
async fn certifications_by_code_in_either_case() {
    let app = sample().await;
    let all = get(&app, "/api/v1/certifications").await.json();
    assert!(all["total"].as_u64().unwrap() >= 20);
    for code in ["MD-102", "md-102"] {
        let v = get(&app, &format!("/api/v1/certifications/{code}")).await.json();
        assert_eq!(v["code"], "MD-102");
        assert_eq!(v["lifecycle"]["status"], "active");
        assert_eq!(v["courses"][0]["price"]["amount"], "119.00");
    }
}

#[tokio::test]
async fn errors_have_the_json_shape() {
    let app = sample().await;
    let r = get(&app, "/api/v1/answers?page=0").await;
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(v["error"]["code"], "bad_request");
    assert_eq!(v["error"]["field"], "page");
    assert!(v["error"]["message"].as_str().unwrap().contains("`0`"));
    let r = get(&app, "/api/v1/answers?locale=xx").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "locale");
    for path in ["/api/v1/answers/en/nope", "/api/v1/certifications/ZZ-1", "/api/v1/nothing"] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.json()["error"]["code"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let r = get(&sample().await, "/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, "ok");
}

#[tokio::test]
async fn healthz_verbose_names_the_database_kind_generation_and_version_but_never_the_url() {
    let app = sample().await;
    for path in ["/healthz?verbose", "/healthz?verbose=1", "/healthz?x=1&verbose"] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        let v = r.json();
        assert_eq!(v["status"], "ok", "{path}");
        assert_eq!(v["database"], common::database_kind(), "{path}");
        assert_eq!(v["generation"], 1, "the sample's one import: {v}");
        assert_eq!(v["version"], env!("CARGO_PKG_VERSION"));
        assert!(!r.body.contains("sqlite:") && !r.body.contains("postgres:"), "no URL: {}", r.body);
    }
    assert_eq!(get(&app, "/healthz?verbosely").await.body, "ok", "only `verbose` asks for JSON");
}

#[tokio::test]
async fn api_answers_say_they_vary_by_encoding_and_are_gzipped_on_request() {
    let app = common::sample().await;
    let plain = get(&app, "/api/v1/certifications").await;
    let vary: Vec<&str> = plain.headers.get_all("vary").iter().map(|v| v.to_str().unwrap()).collect();
    assert!(vary.iter().any(|v| v.eq_ignore_ascii_case("accept-encoding")), "{vary:?}");
    let req = axum::http::Request::get("/api/v1/certifications")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let gz = common::request(&app, req).await;
    assert_eq!(gz.header("content-encoding"), "gzip");
}
