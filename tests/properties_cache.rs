//! Property test of the render cache (house style of tests/properties.rs: `config()`, no
//! regression files): a page served from the cache is the page rendered fresh, for any
//! page of the sample site and any visitor.
//!
//! `tests/page_types.rs` already checks this for every page type and twelve chosen kinds of
//! visitor. This property goes wider: any address of the sitemap in any locale, with
//! query parameters a page reads, ignores or refuses, asked by a visitor drawn from every
//! dimension the server reads — host and scheme (the development exception), no decision,
//! each of the eight combinations of consent categories, a decision under an old policy,
//! an expired one, a tampered cookie, `Sec-GPC`, `Accept-Language`, and gzip — in a random
//! order through one cache shared by all cases. Each answer from the cache (the first
//! request, often a hit warmed by earlier cases, and the second, a hit wherever the answer
//! is one the cache stores) must equal the answer of an app with a cold cache, status,
//! headers and body (after gunzip), with the per-response nonce and form token masked.

mod common;

use std::io::Read as _;
use std::sync::LazyLock;

use axum::body::Body;
use axum::http::Request;
use certwise::domain::ConsentCategory;
use certwise::domain::consent::{Choices, Decision};
use certwise::web::{self, App, AppState};
use http_body_util::BodyExt;
use proptest::prelude::*;
use proptest::sample::Index;
use tower::ServiceExt;

/// A config with `cases` cases and no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime")
});

/// The sample site as of 2026-11-26, its app with the cache every case shares, and the
/// paths of its sitemap.
struct Site {
    state: AppState,
    cached: App,
    paths: Vec<String>,
}

static SITE: LazyLock<Site> = LazyLock::new(|| {
    RUNTIME.block_on(async {
        let state = common::state(&common::sample_content(), "2026-11-26").await;
        let cached = web::router(state.clone());
        let sitemap = common::get(&web::router(state.with_empty_cache()), "/sitemap.xml").await;
        assert_eq!(sitemap.status, 200);
        let loc = regex::Regex::new(r"<loc>https?://[^/<]+(/[^<]*)</loc>").expect("a regex");
        let mut paths: Vec<String> =
            loc.captures_iter(&sitemap.body).map(|c| c[1].replace("&amp;", "&")).collect();
        assert!(paths.len() > 50, "the sitemap lists the site: {}", sitemap.body);
        // Pages the sitemap leaves out: forms, a course's thanks, errors, the Markdown twin.
        paths.extend(
            [
                "/en/advisor",
                "/en/plan",
                "/en/search",
                "/en/cookies",
                "/en/courses/md-102-endpoint-administrator/thanks",
                "/en/answers/md-102-vs-ms-102-difference.md",
                "/de/no-such-page",
                "/en/compare/md-102-vs-ms-102",
                "/",
            ]
            .map(str::to_owned),
        );
        Site { state, cached, paths }
    })
});

/// Query parameters: ones pages read (good and bad values), tracking parameters and
/// unknown ones (dropped before the handler).
const PARAMS: &[&str] = &[
    "page=1",
    "page=2",
    "page=x",
    "topic=microsoft-365",
    "topic=azure",
    "level=expert",
    "status=retiring",
    "q=md102",
    "q=%3Cscript%3E",
    "session=2027-02-online",
    "return_to=%2Fen%2Fanswers%2F",
    "return_to=https%3A%2F%2Fevil.example",
    "device-fleet=3",
    "held=MD-102",
    "utm_source=x",
    "gclid=1",
    "x=random",
];

#[derive(Debug, Clone, Copy)]
enum Host {
    /// `127.0.0.1`: the development exception (plain cookie names).
    Loopback,
    /// Plain HTTP to the site's host.
    PlainHttp,
    /// HTTPS behind a proxy.
    Https,
}

#[derive(Debug, Clone, Copy)]
enum Consent {
    Undecided,
    /// The three categories' grants, under the current policy, decided now.
    Decided {
        preferences: bool,
        analytics: bool,
        marketing: bool,
    },
    /// Everything granted under an older policy.
    PolicyChanged,
    /// Everything granted 400 days ago.
    Expired,
    /// A cookie whose seal does not verify.
    Tampered,
}

#[derive(Debug, Clone)]
struct Visitor {
    host: Host,
    consent: Consent,
    gpc: bool,
    language: Option<&'static str>,
    gzip: bool,
}

fn visitor() -> impl Strategy<Value = Visitor> {
    let host = proptest::sample::select(vec![Host::Loopback, Host::PlainHttp, Host::Https]);
    let consent = prop_oneof![
        1 => Just(Consent::Undecided),
        4 => (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(preferences, analytics, marketing)| Consent::Decided { preferences, analytics, marketing }),
        1 => Just(Consent::PolicyChanged),
        1 => Just(Consent::Expired),
        1 => Just(Consent::Tampered),
    ];
    let language =
        proptest::option::of(proptest::sample::select(vec!["en", "de-CH,de;q=0.9", "fr", "it", "*"]));
    (host, consent, any::<bool>(), language, any::<bool>())
        .prop_map(|(host, consent, gpc, language, gzip)| Visitor { host, consent, gpc, language, gzip })
}

impl Visitor {
    /// The headers a browser of this kind sends.
    fn headers(&self, state: &AppState) -> Vec<(&'static str, String)> {
        let mut headers = match self.host {
            Host::Loopback => vec![("host", "127.0.0.1:8080".to_owned())],
            Host::PlainHttp => vec![("host", "www.example.ch".to_owned())],
            Host::Https => {
                vec![("host", "www.example.ch".to_owned()), ("x-forwarded-proto", "https".to_owned())]
            }
        };
        let now = chrono::Utc::now().timestamp();
        let policy = state.published.current().catalog.site.policy_version.clone();
        let seal = |policy: &str, choices: Choices, decided_at: i64| {
            state.keys.seal(&Decision {
                consent_id: "visitor-of-the-property".into(),
                policy_version: policy.into(),
                choices,
                decided_at,
            })
        };
        let cookie = match self.consent {
            Consent::Undecided => None,
            Consent::Decided { preferences, analytics, marketing } => {
                let granted = [
                    (preferences, ConsentCategory::Preferences),
                    (analytics, ConsentCategory::Analytics),
                    (marketing, ConsentCategory::Marketing),
                ];
                let choices = Choices::of(granted.into_iter().filter(|(g, _)| *g).map(|(_, c)| c));
                Some(seal(&policy, choices, now))
            }
            Consent::PolicyChanged => Some(seal("1999-01-01", Choices::ALL, now)),
            Consent::Expired => Some(seal(&policy, Choices::ALL, now - 400 * 86_400)),
            Consent::Tampered => Some(format!("{}x", seal(&policy, Choices::ALL, now))),
        };
        if let Some(value) = cookie {
            let name = if matches!(self.host, Host::Loopback) { "cw_consent" } else { "__Host-cw_consent" };
            headers.push(("cookie", format!("{name}={value}")));
        }
        if self.gpc {
            headers.push(("sec-gpc", "1".to_owned()));
        }
        if let Some(language) = self.language {
            headers.push(("accept-language", language.to_owned()));
        }
        if self.gzip {
            headers.push(("accept-encoding", "gzip".to_owned()));
        }
        headers
    }
}

/// Status, every header (in order) and the body (gunzipped), with the per-response nonce
/// and form token masked: what must agree between a cached and a fresh answer.
async fn answer(app: &App, uri: &str, headers: &[(&'static str, String)]) -> String {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    let res = app.clone().oneshot(req.body(Body::empty()).expect("a request")).await.expect("infallible");
    let status = res.status();
    let head: Vec<String> = res
        .headers()
        .iter()
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("(bytes)")))
        .collect();
    let gzipped = res.headers().get("content-encoding").is_some_and(|v| v == "gzip");
    let bytes = res.into_body().collect().await.expect("a body").to_bytes();
    let body = if gzipped {
        let mut out = String::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut out).expect("gzip of UTF-8");
        out
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    masked(&format!("{status}\n{}\n\n{body}", head.join("\n")))
}

/// The per-response nonce and form token change with every response and second.
fn masked(text: &str) -> String {
    static NONCE: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"nonce(=\x22|-)[A-Za-z0-9_-]{16,}").expect("a regex"));
    static TOKEN: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"\b[0-9]{9,}\.[A-Za-z0-9_-]{40,}").expect("a regex"));
    let text = NONCE.replace_all(text, "nonce${1}[nonce]");
    TOKEN.replace_all(&text, "[token]").into_owned()
}

/// An address: a page of the site with up to two query parameters.
fn address() -> impl Strategy<Value = (Index, Vec<&'static str>)> {
    (any::<Index>(), proptest::collection::vec(proptest::sample::select(PARAMS), 0..=2))
}

proptest! {
    #![proptest_config(config(64))]

    // Rule: the cache never changes an answer. For any address and visitor, the first and
    // the second answer of the shared cached app equal the answer of an app whose cache is
    // cold (a fresh render), in any order of requests.
    #[test]
    fn a_cached_page_is_the_page_rendered_fresh(
        requests in proptest::collection::vec((address(), visitor()), 1..6),
    ) {
        let site = &*SITE;
        RUNTIME.block_on(async {
            for ((page, params), visitor) in requests {
                let path = page.get(&site.paths);
                let uri = if params.is_empty() {
                    path.clone()
                } else {
                    let sep = if path.contains('?') { '&' } else { '?' };
                    format!("{path}{sep}{}", params.join("&"))
                };
                let headers = visitor.headers(&site.state);
                let first = answer(&site.cached, &uri, &headers).await;
                let second = answer(&site.cached, &uri, &headers).await;
                let fresh = answer(&web::router(site.state.with_empty_cache()), &uri, &headers).await;
                prop_assert_eq!(&first, &fresh, "{} for {:?}: the first answer differs from a fresh render", uri, visitor);
                prop_assert_eq!(&second, &fresh, "{} for {:?}: the cached answer differs from a fresh render", uri, visitor);
            }
            Ok(())
        })?;
    }
}

/// The shared app does cache: a page asked for twice is stored (the property's own cases
/// may, by chance, ask only for answers that are never stored — redirects, errors, a
/// search with words —, so it does not check this itself).
#[test]
fn the_shared_app_stores_a_page_it_served() {
    let site = &*SITE;
    RUNTIME.block_on(async {
        let uri = "/en/answers/md-102-vs-ms-102-difference";
        let headers = [("host", "127.0.0.1:8080".to_owned())];
        let first = answer(&site.cached, uri, &headers).await;
        assert!(first.starts_with("200 OK"), "{first}");
        assert_eq!(answer(&site.cached, uri, &headers).await, first);
    });
    assert!(!site.state.pages.is_empty(), "the page was stored");
}
