//! Consent enforced by the server, in-process: what the HTML and the headers hold for
//! each consent state, the cookie, the form's defences, and the proof-of-consent log.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::domain::consent::{Choices, Decision};
use certwise::export::{ExportFormat, export_consent};
use certwise::web::App;
use certwise::web::AppState;
use common::{Reply, form_token, request};

const PAGE: &str = "/en/answers/md-102-vs-ms-102-difference";

async fn sample() -> (App, AppState) {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    (certwise::web::router(state.clone()), state)
}

/// A GET as a browser on the production host sends it, with optional cookie and headers.
async fn get_with(app: &App, uri: &str, cookie: Option<&str>, extra: &[(&str, &str)]) -> Reply {
    let mut req = Request::get(uri).header("host", "www.example.ch").header("x-forwarded-proto", "https");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    request(app, req.body(Body::empty()).unwrap()).await
}

/// Posts a decision from the production origin.
async fn decide(app: &App, form: &str, cookie: Option<&str>, extra: &[(&str, &str)]) -> Reply {
    let mut req = Request::post("/consent")
        .header("host", "www.example.ch")
        .header("x-forwarded-proto", "https")
        .header("origin", "https://www.example.ch")
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let mut req = req.body(Body::from(form.to_owned())).unwrap();
    for (k, v) in extra {
        // replaces the defaults above
        req.headers_mut()
            .insert(axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(), v.parse().unwrap());
    }
    request(app, req).await
}

fn set_cookies(r: &Reply) -> Vec<String> {
    r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
}

/// The consent cookie as a browser would send it back.
fn consent_cookie(r: &Reply) -> String {
    let c =
        set_cookies(r).into_iter().find(|c| c.starts_with("__Host-cw_consent=")).expect("a consent cookie");
    c.split(';').next().unwrap().to_owned()
}

async fn decided(app: &App, form: &str) -> (Reply, String) {
    let page = get_with(app, PAGE, None, &[]).await;
    let form = format!("token={}&return_to=%2Fen%2F&{form}", form_token(&page.body));
    let r = decide(app, &form, None, &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = consent_cookie(&r);
    (r, cookie)
}

fn csp(r: &Reply) -> &str {
    r.header("content-security-policy")
}

fn nonce(r: &Reply) -> String {
    let csp = csp(r);
    let at = csp.find("'nonce-").expect("a nonce") + 7;
    csp[at..at + csp[at..].find('\'').unwrap()].to_owned()
}

fn service_scripts(html: &str) -> Vec<&str> {
    ["/static/consent/insights.js", "/static/consent/campaigns.js"]
        .into_iter()
        .filter(|s| html.contains(s))
        .collect()
}

#[tokio::test]
async fn an_undecided_visitor_gets_the_banner_and_nothing_else() {
    let (app, _) = sample().await;
    let r = get_with(&app, PAGE, None, &[]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<section id=\"consent-banner\""));
    assert!(service_scripts(&r.body).is_empty());
    assert!(r.headers.get("set-cookie").is_none(), "no cookie before a decision");
    // the skip link is the first thing in <body>, then the banner, before the header
    let body = r.body[r.body.find("<body>").unwrap()..].trim_start_matches("<body>").trim_start();
    assert!(body.starts_with("<a class=\"skip\" href=\"#main\">"), "{}", &body[..80]);
    let after_skip = body[body.find("</a>").unwrap() + 4..].trim_start();
    assert!(after_skip.starts_with("<section id=\"consent-banner\""), "{}", &after_skip[..80]);
    assert!(body.find("consent-banner").unwrap() < body.find("<header").unwrap());
    // accept and reject: same element, same class
    assert!(
        r.body.contains(
            "<button type=\"submit\" name=\"action\" value=\"accept_all\" class=\"consent-choice\">"
        )
    );
    assert!(
        r.body.contains(
            "<button type=\"submit\" name=\"action\" value=\"reject_all\" class=\"consent-choice\">"
        )
    );
    // nothing pre-ticked
    assert!(!r.body.contains(" checked>"));
    // the CSP allows scripts only with this response's nonce, which the page's scripts carry
    let n = nonce(&r);
    assert!(csp(&r).contains(&format!("script-src 'nonce-{n}';")), "{}", csp(&r));
    let script = &certwise::web::asset_files::CONSENT_SCRIPT.url;
    assert!(r.body.contains(&format!("<script src=\"{script}\" nonce=\"{n}\" defer>")));
    assert!(!csp(&r).contains("unsafe-inline"));
    assert!(csp(&r).contains("frame-ancestors 'none'"));
    // a second response has another nonce
    assert_ne!(nonce(&get_with(&app, PAGE, None, &[]).await), n);
}

#[tokio::test]
async fn accepting_all_sets_a_signed_cookie_and_loads_every_service() {
    let (app, _) = sample().await;
    let (r, cookie) = decided(&app, "action=accept_all&channel=banner").await;
    assert_eq!(r.header("location"), "/en/");
    let set = set_cookies(&r).into_iter().find(|c| c.starts_with("__Host-cw_consent=")).unwrap();
    for attribute in ["Path=/", "Max-Age=15552000", "HttpOnly", "SameSite=Lax", "Secure"] {
        assert!(set.contains(attribute), "{set} lacks {attribute}");
    }
    assert!(!set.contains("Domain="), "__Host- cookies have no Domain");
    assert!(set.len() < 200, "small: {set}");
    let page = get_with(&app, PAGE, Some(&cookie), &[]).await;
    assert!(!page.body.contains("consent-banner"));
    assert_eq!(service_scripts(&page.body).len(), 2);
    let n = nonce(&page);
    assert!(page.body.contains(&format!("<script src=\"/static/consent/insights.js\" nonce=\"{n}\" async>")));
    assert!(!page.body.contains("/static/consent."), "no banner, no enhancement script");
}

#[tokio::test]
async fn a_custom_choice_loads_only_its_categories_and_expires_the_others_cookies() {
    let (app, _) = sample().await;
    let (r, cookie) = decided(&app, "action=custom&category=analytics&channel=settings").await;
    let set = set_cookies(&r);
    assert!(set.iter().any(|c| c == "cw_campaign=; Path=/; Max-Age=0"), "{set:?}");
    assert!(!set.iter().any(|c| c.starts_with("cw_insights=")), "{set:?}");
    let page = get_with(&app, PAGE, Some(&cookie), &[]).await;
    assert_eq!(service_scripts(&page.body), ["/static/consent/insights.js"]);
    assert!(!page.body.contains("campaigns"), "no trace of the marketing service");
}

#[tokio::test]
async fn rejecting_loads_nothing_and_expires_every_service_cookie() {
    let (app, _) = sample().await;
    let (r, cookie) = decided(&app, "action=reject_all&channel=banner").await;
    let set = set_cookies(&r);
    for name in ["cw_insights", "cw_campaign"] {
        assert!(set.contains(&format!("{name}=; Path=/; Max-Age=0")), "{set:?}");
    }
    let page = get_with(&app, PAGE, Some(&cookie), &[]).await;
    assert!(!page.body.contains("consent-banner"), "a decision was made");
    assert!(service_scripts(&page.body).is_empty());
}

#[tokio::test]
async fn withdrawing_expires_the_revoked_cookies_and_keeps_the_consent_id() {
    let (app, state) = sample().await;
    let (_, cookie) = decided(&app, "action=accept_all&channel=banner").await;
    let settings = get_with(&app, "/en/cookies", Some(&cookie), &[]).await;
    assert!(settings.body.contains("value=\"withdraw\""), "withdrawal is offered once decided");
    assert_eq!(settings.body.matches(" checked>").count(), 3, "the settings page shows the current choice");
    let form = format!(
        "token={}&action=withdraw&channel=settings&return_to=%2Fen%2Fcookies",
        form_token(&settings.body)
    );
    let r = decide(&app, &form, Some(&cookie), &[]).await;
    assert_eq!(r.status, 303);
    let set = set_cookies(&r);
    assert!(
        set.contains(&"cw_insights=; Path=/; Max-Age=0".to_owned())
            && set.contains(&"cw_campaign=; Path=/; Max-Age=0".to_owned())
    );
    let after = get_with(&app, PAGE, Some(&consent_cookie(&r)), &[]).await;
    assert!(service_scripts(&after.body).is_empty());
    let records = all_records(&state).await;
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].consent_id, records[1].consent_id, "one visitor, one consent id");
    assert_eq!(records[1].action.as_str(), "withdraw");
}

#[tokio::test]
async fn every_footer_links_to_the_cookie_settings() {
    let (app, _) = sample().await;
    for path in ["/en/", PAGE, "/en/certifications/md-102", "/en/no-such-page"] {
        let r = get_with(&app, path, None, &[]).await;
        assert!(r.body.contains(">Cookie settings</a>"), "{path}");
        assert!(r.body.contains("href=\"/en/cookies?return_to="), "{path}");
    }
}

#[tokio::test]
async fn gpc_without_a_decision_means_reject_and_writes_nothing() {
    let (app, state) = sample().await;
    let r = get_with(&app, PAGE, None, &[("sec-gpc", "1")]).await;
    assert!(!r.body.contains("consent-banner"), "GPC is an answer");
    assert!(service_scripts(&r.body).is_empty());
    assert!(r.headers.get("set-cookie").is_none());
    // an explicit choice overrides it, and is recorded as made under GPC
    let settings = get_with(&app, "/en/cookies", None, &[("sec-gpc", "1")]).await;
    assert!(settings.body.contains("Global Privacy Control"));
    let form =
        format!("token={}&action=accept_all&channel=settings&return_to=%2Fen%2F", form_token(&settings.body));
    let r = decide(&app, &form, None, &[("sec-gpc", "1")]).await;
    let cookie = consent_cookie(&r);
    let page = get_with(&app, PAGE, Some(&cookie), &[("sec-gpc", "1")]).await;
    assert_eq!(service_scripts(&page.body).len(), 2);
    let records = all_records(&state).await;
    assert!(records[0].gpc);
}

#[tokio::test]
async fn a_tampered_expired_or_outdated_cookie_counts_as_no_decision() {
    let (app, state) = sample().await;
    let (_, cookie) = decided(&app, "action=accept_all&channel=banner").await;
    // tampered: grant flags edited
    let tampered = cookie.replacen(".pam.", ".pa.", 1);
    assert_ne!(tampered, cookie);
    let r = get_with(&app, PAGE, Some(&tampered), &[]).await;
    assert!(r.body.contains("consent-banner") && service_scripts(&r.body).is_empty());
    // expired: a genuine signature over a decision 181 days old
    let old = Decision {
        consent_id: "x".into(),
        policy_version: "2026-11-01".into(),
        choices: Choices::ALL,
        decided_at: chrono::Utc::now().timestamp() - 181 * 86_400,
    };
    let r = get_with(&app, PAGE, Some(&format!("__Host-cw_consent={}", state.keys.seal(&old))), &[]).await;
    assert!(r.body.contains("consent-banner") && service_scripts(&r.body).is_empty());
    // outdated: made under another policy version; the banner says why it asks again
    let outdated =
        Decision { policy_version: "2025-01-01".into(), decided_at: chrono::Utc::now().timestamp(), ..old };
    let r =
        get_with(&app, PAGE, Some(&format!("__Host-cw_consent={}", state.keys.seal(&outdated))), &[]).await;
    assert!(r.body.contains("consent-banner") && service_scripts(&r.body).is_empty());
    assert!(
        r.body.contains("Our cookie policy has changed since you last chose"),
        "the banner says what changed"
    );
    assert!(r.body.contains("2026-11-01"));
}

#[tokio::test]
async fn decisions_from_elsewhere_are_refused() {
    let (app, state) = sample().await;
    let page = get_with(&app, PAGE, None, &[]).await;
    let good = format!("token={}&action=accept_all&return_to=%2Fen%2F", form_token(&page.body));
    // a foreign origin
    let r = decide(&app, &good, None, &[("origin", "https://evil.example")]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("foreign origin"), "{}", r.body);
    // a cross-site fetch
    let r = decide(&app, &good, None, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!(r.status, 403);
    // no token, a forged token, an old token
    for form in [
        "action=accept_all".to_owned(),
        "token=1.AAAA&action=accept_all".to_owned(),
        format!(
            "token={}&action=accept_all",
            state.keys.form_token(chrono::Utc::now().timestamp() - 13 * 3600)
        ),
    ] {
        let r = decide(&app, &form, None, &[]).await;
        assert!(r.status == 403 || r.status == 400, "{form}: {}", r.status);
        assert!(r.headers.get("set-cookie").is_none());
    }
    // a return_to that leaves the site
    for target in
        ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil.example", "javascript%3Aalert(1)"]
    {
        let form = format!("token={}&action=accept_all&return_to={target}", form_token(&page.body));
        let r = decide(&app, &form, None, &[]).await;
        assert_eq!(r.status, 400, "{target}");
        assert!(r.body.contains("`return_to` must be a path on this site"));
    }
    // unknown values are named
    let form = format!("token={}&action=maybe", form_token(&page.body));
    let r = decide(&app, &form, None, &[]).await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("`action` is `maybe`"));
    assert!(all_records(&state).await.is_empty(), "nothing refused was recorded");
}

#[tokio::test]
async fn a_fetch_gets_json_and_knows_whether_to_reload() {
    let (app, _) = sample().await;
    let page = get_with(&app, PAGE, None, &[]).await;
    let json = [("accept", "application/json")];
    let r =
        decide(&app, &format!("token={}&action=reject_all&js=1", form_token(&page.body)), None, &json).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["reload"], false, "rejecting from undecided changes nothing on the page");
    let r =
        decide(&app, &format!("token={}&action=accept_all&js=1", form_token(&page.body)), None, &json).await;
    assert_eq!(r.json()["reload"], true, "accepting loads the granted scripts");
    assert_eq!(r.json()["choices"]["analytics"], true);
    let r = decide(&app, "action=accept_all&js=1", None, &json).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["field"], "token");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, _) = sample().await;
    for path in [
        PAGE,
        "/en/no-such-page",
        "/api/v1/certifications",
        "/static/site.css",
        "/healthz",
        "/en/answers/?page=x",
    ] {
        let r = get_with(&app, path, None, &[]).await;
        assert!(!csp(&r).is_empty(), "{path}");
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(r.header("referrer-policy"), "strict-origin-when-cross-origin", "{path}");
        assert!(r.header("permissions-policy").contains("camera=()"), "{path}");
        assert!(r.header("strict-transport-security").starts_with("max-age="), "{path}: https");
        assert!(csp(&r).contains("frame-ancestors 'none'"), "{path}");
    }
    // plain http to a loopback host: no HSTS, and the development cookie
    let r =
        request(&app, Request::get(PAGE).header("host", "127.0.0.1:8080").body(Body::empty()).unwrap()).await;
    assert!(r.headers.get("strict-transport-security").is_none());
    let form = format!("token={}&action=accept_all", form_token(&r.body));
    let req = Request::post("/consent")
        .header("host", "127.0.0.1:8080")
        .header("origin", "http://127.0.0.1:8080")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(form))
        .unwrap();
    let r = request(&app, req).await;
    let set = set_cookies(&r);
    assert!(set[0].starts_with("cw_consent=") && !set[0].contains("Secure"), "{set:?}");
}

#[tokio::test]
async fn other_services_in_other_content_work_without_code_change() {
    // The other fixture declares a preferences service without a script and a
    // third-party marketing service on its own host.
    let state = common::state(&common::fixture("other-vendor"), "2026-11-26").await;
    let app = certwise::web::router(state);
    let base = "/en/";
    let page = get_with(&app, base, None, &[]).await;
    assert!(page.body.contains("Language memory") && page.body.contains("Ad tracker"));
    assert!(!page.body.contains("src=\"https://ads.nordlicht.example"));
    assert!(!csp(&page).contains("ads.nordlicht.example"));
    let form =
        format!("token={}&action=custom&category=marketing&return_to=%2Fen%2F", form_token(&page.body));
    let mut req = Request::post("/consent")
        .header("host", "training.nordlicht.example")
        .header("x-forwarded-proto", "https")
        .header("origin", "https://training.nordlicht.example")
        .header("content-type", "application/x-www-form-urlencoded");
    req = req.header("sec-fetch-site", "same-origin");
    let r = request(&app, req.body(Body::from(form)).unwrap()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(set_cookies(&r).contains(&"nl_lang=; Path=/; Max-Age=0".to_owned()));
    let cookie = consent_cookie(&r);
    let after = get_with(&app, base, Some(&cookie), &[]).await;
    assert!(after.body.contains("<script src=\"https://ads.nordlicht.example/t.js\" nonce="));
    let policy = csp(&after);
    assert!(
        policy.contains("script-src 'nonce-") && policy.contains(" https://ads.nordlicht.example;"),
        "{policy}"
    );
    assert!(policy.contains("frame-src https://ads.nordlicht.example;"), "{policy}");
}

async fn all_records(state: &AppState) -> Vec<certwise::domain::consent::ConsentRecord> {
    let from = chrono::Utc::now() - chrono::Duration::days(1);
    let to = chrono::Utc::now() + chrono::Duration::days(1);
    state.store.consent_records(from, to).await.unwrap()
}

#[tokio::test]
async fn each_decision_appends_one_complete_record_without_an_address() {
    let (app, state) = sample().await;
    decided(&app, "action=custom&category=preferences&category=marketing&channel=settings").await;
    let records = all_records(&state).await;
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r.record_id.len(), 22);
    assert_eq!(r.consent_id.len(), 22);
    assert_eq!(r.policy_version, "2026-11-01");
    assert_eq!(r.locale, "en");
    assert_eq!(r.action.as_str(), "custom");
    assert_eq!(r.channel.as_str(), "settings");
    assert!(!r.javascript && !r.gpc);
    let choices = serde_json::to_value(r.choices).unwrap();
    assert_eq!(choices, serde_json::json!({"preferences": true, "analytics": false, "marketing": true}));
    // the notice text shown is stored once, by its hash
    let notice = state.store.consent_notice(&r.notice_hash).await.unwrap().expect("the notice text");
    assert_eq!(certwise::seal::sha256_hex(&notice), r.notice_hash);
    assert!(notice.contains("Example Insights") && notice.contains("policy 2026-11-01"));
    // the export has every field and no address
    let mut csv = Vec::new();
    let today = chrono::Utc::now().date_naive();
    export_consent(state.store.as_ref(), today, today, ExportFormat::Csv, &mut csv).await.unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("record_id,consent_id,recorded_at,policy_version,notice_hash,locale,action,"));
    assert_eq!(csv.lines().count(), 2);
    let columns: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    assert_eq!(columns.len(), 13);
    for forbidden in ["ip", "ip_address", "address", "user_agent", "ua"] {
        assert!(!columns.contains(&forbidden), "{columns:?}");
    }
    let mut jsonl = Vec::new();
    export_consent(state.store.as_ref(), today, today, ExportFormat::JsonLines, &mut jsonl).await.unwrap();
    let line: serde_json::Value =
        serde_json::from_slice(jsonl.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["action"], "custom");
    assert_eq!(line.as_object().unwrap().len(), 11, "{line}");
}

#[tokio::test]
async fn a_refused_decision_leads_back_to_a_page_not_to_the_form_target() {
    let (app, _) = sample().await;
    let r = decide(&app, "token=1.AAAA&action=accept_all&return_to=%2Fen%2F", None, &[]).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("the form has expired or was not issued by this site"));
    assert!(
        r.body.contains("name=\"return_to\" value=\"/en/\""),
        "the banner on the error page returns home"
    );
    assert!(!r.body.contains("value=\"/consent\""));
    let r = get_with(&app, "/consent", None, &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/");
}

#[tokio::test]
async fn cached_pages_differ_for_visitors_who_decided_and_those_who_did_not() {
    let (app, _) = sample().await;
    // An undecided GPC visitor first, so the cache holds their variant…
    let undecided = get_with(&app, "/en/cookies", None, &[("sec-gpc", "1")]).await;
    assert!(!undecided.body.contains("value=\"withdraw\""));
    // …then a GPC visitor who rejected: they are offered withdrawal all the same.
    let form = format!(
        "token={}&action=reject_all&channel=settings&return_to=%2Fen%2F",
        form_token(&undecided.body)
    );
    let r = decide(&app, &form, None, &[("sec-gpc", "1")]).await;
    let decided = get_with(&app, "/en/cookies", Some(&consent_cookie(&r)), &[("sec-gpc", "1")]).await;
    assert!(decided.body.contains("value=\"withdraw\""));
}

#[tokio::test]
async fn withdrawal_also_expires_suffixed_and_parent_domain_cookies() {
    let (app, _) = sample().await;
    let (_, cookie) = decided(&app, "action=accept_all").await;
    let page = get_with(&app, "/en/cookies", Some(&cookie), &[]).await;
    let form =
        format!("token={}&action=withdraw&channel=settings&return_to=%2Fen%2F", form_token(&page.body));
    let cookie_header = format!("{cookie}; cw_insights.1.abc=1; unrelated=2");
    let r = decide(&app, &form, Some(&cookie_header), &[]).await;
    let set = set_cookies(&r);
    for expected in [
        "cw_insights=; Path=/; Max-Age=0",
        "cw_insights=; Path=/; Domain=www.example.ch; Max-Age=0",
        "cw_insights=; Path=/; Domain=example.ch; Max-Age=0",
        "cw_insights.1.abc=; Path=/; Max-Age=0",
    ] {
        assert!(set.iter().any(|c| c == expected), "{expected} not in {set:?}");
    }
    assert!(!set.iter().any(|c| c.starts_with("unrelated=")), "{set:?}");
}
