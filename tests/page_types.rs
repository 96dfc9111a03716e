//! Every page type, pinned and checked against the render cache:
//!
//! - an insta snapshot of each page type as a first-time visitor sees it (plus the
//!   pages whose frame changes with a decision), so a reviewer sees every change to any
//!   page — the restructuring of the code was checked against these;
//! - for every page type and every kind of visitor, the page served from a cache warmed
//!   by all the other visitors is byte for byte the page rendered fresh for that visitor
//!   (nonce and form token masked). A template that starts reading something about the
//!   visitor that the cache variant does not cover fails here instead of serving one
//!   visitor's page to another.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::domain::ConsentCategory;
use certwise::domain::consent::{Choices, Decision};
use certwise::web::App;
use certwise::web::{self, AppState};
use common::{Reply, request};

/// The page types of the sample site, with the status each answers.
const PAGES: &[(&str, &str, u16)] = &[
    ("home", "/en/", 200),
    ("answers", "/en/answers/", 200),
    ("answers_by_topic", "/en/answers/?topic=microsoft-365", 200),
    ("answer", "/en/answers/md-102-vs-ms-102-difference", 200),
    ("answer_markdown", "/en/answers/md-102-vs-ms-102-difference.md", 200),
    ("answer_de", "/de/answers/md-102-vs-ms-102-unterschied", 200),
    ("certification_untranslated_de", "/de/certifications/sc-200", 200),
    ("certifications", "/en/certifications/", 200),
    ("certifications_filtered", "/en/certifications/?level=expert&status=retiring", 200),
    ("certification_active", "/en/certifications/md-102", 200),
    ("certification_retiring", "/en/certifications/ms-102", 200),
    ("course", "/en/courses/md-102-endpoint-administrator", 200),
    ("course_session_chosen", "/en/courses/md-102-endpoint-administrator?session=2027-02-online", 200),
    ("course_without_sessions", "/en/courses/ms-102-microsoft-365-administrator", 200),
    ("course_thanks", "/en/courses/md-102-endpoint-administrator/thanks", 200),
    ("topic", "/en/topics/microsoft-365", 200),
    ("topic_of_a_certification", "/en/topics/md-102", 200),
    ("expert", "/en/experts/andrea-keller", 200),
    ("topics", "/en/topics/", 200),
    ("courses", "/en/courses/", 200),
    ("compare", "/en/compare/md-102-vs-ms-102", 200),
    ("compare_four", "/en/compare/az-900-vs-az-104-vs-az-305-vs-az-700", 200),
    ("advisor", "/en/advisor", 200),
    ("advisor_advice", "/en/advisor?device-fleet=3&endpoint-security=3", 200),
    ("advisor_unknown_choices", "/en/advisor?device-fleet=3&bogus=2&held=ZZ-1", 200),
    ("plan", "/en/plan", 200),
    ("search", "/en/search", 200),
    ("search_results", "/en/search?q=md102", 200),
    ("search_nothing_found", "/en/search?q=zzzzzz", 200),
    ("imprint", "/en/imprint", 200),
    ("privacy", "/en/privacy", 200),
    ("about", "/en/about", 200),
    ("cookies", "/en/cookies", 200),
    ("cookies_with_return", "/en/cookies?return_to=%2Fen%2Fanswers%2F", 200),
    ("not_found", "/en/no-such-page", 404),
    ("bad_request", "/en/answers/?page=x", 400),
];

/// The per-response nonce and the form token change with every response and second.
fn masked(body: &str) -> String {
    static NONCE: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"nonce(=\x22|-)[A-Za-z0-9_-]{16,}").unwrap());
    static TOKEN: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"\b[0-9]{9,}\.[A-Za-z0-9_-]{40,}").unwrap());
    static FINGERPRINT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(/(?:static|brand)/[a-z-]+)\.[0-9a-f]{8}\.").unwrap()
    });
    let body = FINGERPRINT.replace_all(body, "$1.[hash].");
    let body = NONCE.replace_all(&body, "nonce${1}[nonce]");
    TOKEN.replace_all(&body, "[token]").into_owned()
}

/// A kind of visitor: the headers a browser of that kind sends.
struct Visitor {
    name: &'static str,
    headers: Vec<(&'static str, String)>,
}

fn sealed(state: &AppState, policy: &str, choices: Choices, decided_at: i64) -> String {
    state.keys.seal(&Decision {
        consent_id: "visitor-of-the-test".into(),
        policy_version: policy.into(),
        choices,
        decided_at,
    })
}

/// Visitors that differ in everything the server reads about them: host and scheme
/// (the development exception), each standing of a decision, and GPC.
fn visitors(state: &AppState) -> Vec<Visitor> {
    let now = chrono::Utc::now().timestamp();
    let policy = state.published.current().catalog.site.policy_version.clone();
    let prod = |name, extra: Vec<(&'static str, String)>| {
        let mut headers =
            vec![("host", "www.example.ch".to_owned()), ("x-forwarded-proto", "https".to_owned())];
        headers.extend(extra);
        Visitor { name, headers }
    };
    let cookie = |value: String| ("cookie", format!("__Host-cw_consent={value}"));
    let analytics = Choices::of([ConsentCategory::Analytics]);
    vec![
        Visitor { name: "loopback, undecided", headers: vec![("host", "127.0.0.1:8080".to_owned())] },
        Visitor {
            name: "loopback, accepted all",
            headers: vec![
                ("host", "127.0.0.1:8080".to_owned()),
                ("cookie", format!("cw_consent={}", sealed(state, &policy, Choices::ALL, now))),
            ],
        },
        Visitor { name: "plain http, other host", headers: vec![("host", "www.example.ch".to_owned())] },
        prod("https, undecided", vec![]),
        prod("https, GPC", vec![("sec-gpc", "1".to_owned())]),
        prod("https, accepted all", vec![cookie(sealed(state, &policy, Choices::ALL, now))]),
        prod("https, rejected all", vec![cookie(sealed(state, &policy, Choices::NONE, now))]),
        prod("https, analytics only", vec![cookie(sealed(state, &policy, analytics, now))]),
        prod(
            "https, GPC, analytics chosen",
            vec![("sec-gpc", "1".to_owned()), cookie(sealed(state, &policy, analytics, now))],
        ),
        prod("https, policy changed", vec![cookie(sealed(state, "1999-01-01", Choices::ALL, now))]),
        prod(
            "https, expired decision",
            vec![cookie(sealed(state, &policy, Choices::ALL, now - 400 * 86_400))],
        ),
        prod(
            "https, tampered cookie",
            vec![cookie(format!("{}x", sealed(state, &policy, Choices::ALL, now)))],
        ),
    ]
}

async fn get_as(app: &App, uri: &str, visitor: &Visitor) -> Reply {
    let mut req = Request::get(uri);
    for (k, v) in &visitor.headers {
        req = req.header(*k, v);
    }
    request(app, req.body(Body::empty()).unwrap()).await
}

/// What must agree between a cached and a fresh response: the status, every header (in
/// order, values as sent) and the body.
fn fingerprint(r: &Reply) -> String {
    let headers: Vec<String> = r
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("(bytes)")))
        .collect();
    masked(&format!("{}\n{}\n\n{}", r.status, headers.join("\n"), r.body))
}

#[tokio::test]
async fn every_page_type_is_pinned() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let app = web::router(state.clone());
    let first = Visitor { name: "first visit", headers: vec![("host", "127.0.0.1:8080".to_owned())] };
    for (name, uri, status) in PAGES {
        let r = get_as(&app, uri, &first).await;
        assert_eq!(r.status.as_u16(), *status, "{uri}");
        insta::assert_snapshot!(*name, masked(&r.body), uri);
    }
    // The frame after a decision: scripts of the granted services, no banner.
    let decided = &visitors(&state)[5];
    let path_of = |name: &str| PAGES.iter().find(|(n, _, _)| *n == name).map(|(_, path, _)| *path).unwrap();
    for (name, uri) in
        [("answer_accepted_all", path_of("answer")), ("cookies_accepted_all", path_of("cookies"))]
    {
        let r = get_as(&app, uri, decided).await;
        insta::assert_snapshot!(name, masked(&r.body), decided.name);
    }
}

#[tokio::test]
async fn a_cached_page_is_the_page_rendered_fresh_for_every_visitor() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let visitors = visitors(&state);
    let cached = web::router(state.clone());
    for (_, uri, _) in PAGES {
        // Warm the cache with every visitor, then ask again in the other order.
        for v in &visitors {
            get_as(&cached, uri, v).await;
        }
        for v in visitors.iter().rev() {
            let hit = get_as(&cached, uri, v).await;
            let fresh = web::router(state.with_empty_cache());
            let fresh = get_as(&fresh, uri, v).await;
            assert_eq!(
                fingerprint(&hit),
                fingerprint(&fresh),
                "{uri} for the visitor \"{}\": the cached page differs from a fresh render",
                v.name
            );
        }
    }
    assert!(!state.pages.is_empty(), "the pages were cached");
}
