//! Search (`crate::search`, `web::search`), in-process over HTTP: each rule of the
//! module docs, the grouping and filters, the escaping of highlights, odd queries, paging.
//! The sample site is English only; a temporary copy adds German and French answers and a
//! certification of a second vendor.

mod common;

use std::path::Path;

use axum::http::StatusCode;
use certwise::web::App;
use common::{get, sample};
use serde_json::Value;

async fn api(app: &App, query: &str) -> Value {
    let reply = get(app, &format!("/api/v1/search?{query}")).await;
    assert_eq!(reply.status, StatusCode::OK, "{query}: {}", reply.body);
    reply.json()
}

fn q(text: &str) -> String {
    form_urlencoded::Serializer::new(String::new()).append_pair("q", text).finish()
}

fn titles(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|i| i["title"].as_str().unwrap().to_owned()).collect()
}

fn kinds(body: &Value) -> Vec<String> {
    body["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap().to_owned()).collect()
}

/// The marked words of every item's title and excerpt, lower-cased.
fn marked(body: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for item in body["items"].as_array().unwrap() {
        for field in ["title_html", "excerpt_html"] {
            let html = item[field].as_str().unwrap();
            for piece in html.split("<mark>").skip(1) {
                out.push(piece.split("</mark>").next().unwrap().to_lowercase());
            }
        }
    }
    out
}

#[tokio::test]
async fn exam_codes_are_found_however_typed_and_rank_their_certification_first() {
    let app = sample().await;
    for typed in ["md102", "MD 102", "md-102", "Md-102", "MD102", "  md - 102 "] {
        let body = api(&app, &format!("{}&kind=certification", q(typed))).await;
        assert_eq!(
            titles(&body).first().map(String::as_str),
            Some("MD-102: Endpoint Administrator"),
            "{typed}"
        );
        let all = api(&app, &q(typed)).await;
        assert!(marked(&all).iter().any(|m| m == "md-102"), "{typed}: the code is highlighted: {all}");
    }
    // Two codes in one query: both certifications, each ranked by its own code.
    let body = api(&app, &format!("{}&kind=certification", q("md102 vs ms-102"))).await;
    let top: Vec<String> = titles(&body).into_iter().take(2).collect();
    assert!(
        top.iter().any(|t| t.starts_with("MD-102")) && top.iter().any(|t| t.starts_with("MS-102")),
        "{top:?}"
    );
}

#[tokio::test]
async fn one_edit_is_forgiven_in_long_words_and_a_swap_is_one_edit() {
    let app = sample().await;
    for (typo, word) in [("intnue", "intune"), ("autopliot", "autopilot"), ("Intnue", "intune")] {
        let body = api(&app, &q(typo)).await;
        assert!(body["total"].as_u64().unwrap() > 0, "{typo}");
        assert!(marked(&body).iter().any(|m| m == word), "{typo} highlights {word}: {body}");
        assert!(
            titles(&api(&app, &format!("{}&kind=certification", q(typo))).await)
                .iter()
                .any(|t| t.starts_with("MD-102")),
            "{typo} finds MD-102"
        );
    }
    // The typo is forgiven in the word as written, even where it changes the stem.
    let body = api(&app, &q("retriing")).await;
    assert!(marked(&body).iter().any(|m| m == "retiring"), "{body}");
    // Two edits are too many.
    assert_eq!(api(&app, &q("inntnue")).await["total"], 0);
    // Words shorter than five letters must match exactly (after stemming): `teams` is in
    // the catalog, `tems` (one edit away) is not forgiven, `taems` (five letters) is.
    assert!(api(&app, &q("teams")).await["total"].as_u64().unwrap() > 0);
    assert_eq!(api(&app, &q("tems")).await["total"], 0);
    assert!(api(&app, &q("taems")).await["total"].as_u64().unwrap() > 0);
}

#[tokio::test]
async fn words_are_matched_by_their_english_stems() {
    let app = sample().await;
    let body = api(&app, &format!("{}&kind=answer", q("retirements"))).await;
    assert!(body["total"].as_u64().unwrap() > 0);
    assert!(marked(&body).iter().any(|m| m.starts_with("retir")), "{body}");
}

#[tokio::test]
async fn results_are_grouped_answers_certifications_courses_topics() {
    let app = sample().await;
    let body = api(&app, &q("md-102")).await;
    let kinds = kinds(&body);
    let order = ["answer", "certification", "course", "topic"];
    let ranks: Vec<usize> = kinds.iter().map(|k| order.iter().position(|o| o == k).unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{kinds:?}");
    for kind in order {
        assert!(kinds.iter().any(|k| k == kind), "{kind} in {kinds:?}");
    }
    // The course and the exam topic of MD-102 come first in their groups.
    let first = |kind: &str| {
        body["items"].as_array().unwrap().iter().find(|i| i["kind"] == kind).unwrap()["url"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(first("course"), "/en/courses/md-102-endpoint-administrator");
    assert_eq!(first("topic"), "/en/topics/md-102");
    // The page shows the same groups under headings, in the same order.
    let page = get(&app, &format!("/en/search?{}", q("md-102"))).await;
    assert_eq!(page.status, StatusCode::OK);
    let at = |id: &str| page.body.find(&format!("id=\"results-{id}\"")).unwrap_or_else(|| panic!("{id}"));
    assert!(
        at("answer") < at("certification")
            && at("certification") < at("course")
            && at("course") < at("topic")
    );
}

#[tokio::test]
async fn filters_narrow_the_results_and_unknown_values_are_named() {
    let app = sample().await;
    let body = api(&app, &format!("{}&kind=course", q("microsoft"))).await;
    assert!(!kinds(&body).is_empty() && kinds(&body).iter().all(|k| k == "course"), "{body}");
    let body = api(&app, &format!("{}&topic=security", q("microsoft"))).await;
    assert!(body["total"].as_u64().unwrap() > 0);
    let security = body["total"].as_u64().unwrap();
    assert!(security < api(&app, &q("microsoft")).await["total"].as_u64().unwrap());
    assert!(api(&app, &format!("{}&vendor=Microsoft", q("intune"))).await["total"].as_u64().unwrap() > 0);
    for (query, field) in [
        ("kind=exam", "kind"),
        ("topic=nope", "topic"),
        ("vendor=Nobody", "vendor"),
        ("locale=xx", "locale"),
        ("limit=0", "limit"),
        ("page=0", "page"),
    ] {
        let reply = get(&app, &format!("/api/v1/search?q=intune&{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["error"]["field"], field, "{query}");
    }
    let page = get(&app, "/en/search?q=intune&kind=exam&vendor=Nobody").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("`kind` has no value") || page.body.contains("kind"), "{}", page.body);
    assert!(page.body.contains("Nobody"), "both bad values are named");
}

#[tokio::test]
async fn nothing_typed_reaches_the_page_unescaped() {
    let app = sample().await;
    let hostile = "<script>alert(1)</script> intune \"'><img src=x onerror=alert(1)>";
    let page = get(&app, &format!("/en/search?{}", q(hostile))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"), "the query is escaped");
    assert!(!page.body.contains("<img src=x"), "the query is escaped");
    assert!(page.body.contains("<mark>Intune</mark>"), "the real word is still highlighted");
    let body = api(&app, &q(hostile)).await;
    for item in body["items"].as_array().unwrap() {
        for field in ["title_html", "excerpt_html"] {
            let html = item[field].as_str().unwrap().replace("<mark>", "").replace("</mark>", "");
            assert!(!html.contains('<') && !html.contains('>'), "{html}");
        }
    }
}

#[tokio::test]
async fn odd_queries_never_get_a_server_error() {
    let app = sample().await;
    let long = "a".repeat(5000);
    let odd = [
        "",
        " ",
        "\"",
        "(",
        ")",
        "[",
        "]",
        "*",
        "\0",
        "a\0b",
        "!!!",
        "?*+-~^:",
        "{}",
        "\\",
        "AND OR NOT",
        "md-102*",
        "\"md-102\"",
        "title:intune",
        "🙂",
        "🙂 intune",
        "ß",
        "İ",
        &long,
        "%",
        "%%",
        "&",
    ];
    for text in odd {
        for url in [format!("/en/search?{}", q(text)), format!("/api/v1/search?{}", q(text))] {
            let reply = get(&app, &url).await;
            assert!(reply.status.as_u16() < 500, "{url}: {}", reply.status);
            let expected = if text.chars().count() > 200 { StatusCode::BAD_REQUEST } else { StatusCode::OK };
            assert_eq!(reply.status, expected, "{}", &url[..url.len().min(80)]);
        }
    }
    // Bytes that are not UTF-8 once decoded are read as replacement characters.
    for url in ["/en/search?q=%FF%FE", "/api/v1/search?q=%C3", "/en/search?q=%", "/en/search?kind=%00"] {
        assert!(get(&app, url).await.status.as_u16() < 500, "{url}");
    }
}

#[tokio::test]
async fn a_query_over_200_characters_is_a_400_that_says_so() {
    let app = sample().await;
    let at_limit = "x".repeat(200);
    assert_eq!(get(&app, &format!("/en/search?{}", q(&at_limit))).await.status, StatusCode::OK);
    let over = "x".repeat(201);
    let page = get(&app, &format!("/en/search?{}", q(&over))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("201 characters") && page.body.contains("200"), "{}", page.body);
    let reply = get(&app, &format!("/api/v1/search?{}", q(&over))).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["error"]["field"], "q");
    // In the page's language.
    let german = get(&app, &format!("/de/search?{}", q(&over))).await;
    assert_eq!(german.status, StatusCode::BAD_REQUEST);
    assert!(german.body.contains("Die Suche ist 201 Zeichen lang"), "{}", german.body);
}

#[tokio::test]
async fn an_empty_query_shows_the_search_page_with_suggestions() {
    let app = sample().await;
    for url in ["/en/search", "/en/search?q=", "/en/search?q=+++"] {
        let page = get(&app, url).await;
        assert_eq!(page.status, StatusCode::OK, "{url}");
        assert!(page.body.contains("href=\"/en/topics/"), "{url}: topics suggested");
        assert!(page.body.contains("href=\"/en/answers/"), "{url}: latest answers suggested");
        assert!(!page.body.contains("noindex"));
    }
    let body = api(&app, "q=").await;
    assert_eq!((body["total"].as_u64(), body["pages"].as_u64()), (Some(0), Some(1)));
    // Only stop words and punctuation: nothing to look for.
    assert_eq!(api(&app, &q("the of ... !")).await["total"], 0);
    // Unknown locale: 404.
    assert_eq!(get(&app, "/xx/search?q=intune").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn results_page_like_every_list() {
    let app = sample().await;
    let all = api(&app, &q("microsoft")).await;
    let total = usize::try_from(all["total"].as_u64().unwrap()).unwrap();
    assert!(total > 20, "the sample has more than a page of Microsoft results: {total}");
    assert_eq!(all["items"].as_array().unwrap().len(), total.min(50));
    let small = api(&app, &format!("{}&limit=5", q("microsoft"))).await;
    assert_eq!(small["items"].as_array().unwrap().len(), 5);
    assert!(small["next"].as_str().unwrap().contains("limit=5&page=2"), "{}", small["next"]);
    let pages = total.div_ceil(20);
    let last = get(&app, &format!("/en/search?{}&page={pages}", q("microsoft"))).await;
    assert_eq!(last.status, StatusCode::OK);
    assert_eq!(results(&last.body), total - (pages - 1) * 20);
    assert_eq!(
        get(&app, &format!("/en/search?{}&page={}", q("microsoft"), pages + 1)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, &format!("/en/search?{}&page=x", q("microsoft"))).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(get(&app, "/en/search?page=x").await.status, StatusCode::BAD_REQUEST, "even without a query");
    assert_eq!(
        get(&app, "/en/search?page=2").await.status,
        StatusCode::NOT_FOUND,
        "an empty search has one page"
    );
}

/// How many results a page lists.
fn results(html: &str) -> usize {
    html.split("<ol class=\"search-results\">")
        .skip(1)
        .map(|s| s.split("</ol>").next().unwrap().matches("<li>").count())
        .sum()
}

#[tokio::test]
async fn the_canonical_address_keeps_the_query_and_drops_tracking() {
    let app = sample().await;
    let first = get(&app, "/en/search?q=intune").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(
        first.body.contains("<link rel=\"canonical\" href=\"https://www.example.ch/en/search?q=intune\">"),
        "canonical"
    );
    let tracked = get(&app, "/en/search?q=intune&utm_source=x").await;
    assert!(
        tracked.body.contains("href=\"https://www.example.ch/en/search?q=intune\""),
        "no tracking in the canonical URL"
    );
}

#[tokio::test]
async fn the_header_and_the_404_page_have_a_search_box() {
    let app = sample().await;
    let home = get(&app, "/en/").await;
    assert!(
        home.body.contains(
            "<form class=\"site-search\" role=\"search\" aria-label=\"Search\" action=\"/en/search\""
        )
    );
    let missing = get(&app, "/en/answers/no-such-answer").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body.matches("role=\"search\"").count(), 2, "header and page");
    let bad = get(&app, "/en/search?q=x&page=0").await;
    assert_eq!(bad.body.matches("role=\"search\"").count(), 1, "only the header on other errors");
}

/// The sample with German and French, an answer in each, and a second vendor.
fn three_languages(dir: &Path) {
    common::copy_dir(&common::sample_content(), dir);
    // The sample publishes the three languages itself; the answers below are added to it.
    let site = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    assert!(site.contains("locales = [\"en\", \"de\", \"fr\"]"), "{site}");
    std::fs::create_dir_all(dir.join("answers/de")).unwrap();
    std::fs::create_dir_all(dir.join("answers/fr")).unwrap();
    std::fs::write(
        dir.join("answers/de/geraeteverwaltung.md"),
        r#"+++
question = "Welche Prüfung passt zur Verwaltung von Geräten?"
short_answer = "MD-102 prüft, wie Sie Geräte mit Intune verwalten, konfigurieren und schützen."
certifications = ["MD-102"]
topics = ["endpoint-administrator"]
author = "marc-dubois"
published_on = 2026-03-01
reviewed_on = 2026-10-01
+++
Wer täglich Geräte verwaltet, beginnt mit MD-102. Die Prüfung deckt die Bereitstellung mit Autopilot ab.
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("answers/fr/gestion-des-appareils.md"),
        r#"+++
question = "Quelle certification pour la gestion des appareils ?"
short_answer = "MD-102 vérifie que vous savez gérer, configurer et protéger les appareils avec Intune."
certifications = ["MD-102"]
topics = ["endpoint-administrator"]
author = "marc-dubois"
published_on = 2026-03-01
reviewed_on = 2026-10-01
+++
Les administrateurs qui gèrent des appareils chaque jour commencent par MD-102.
"#,
    )
    .unwrap();
    let md102 = std::fs::read_to_string(dir.join("certifications/md-102.toml")).unwrap();
    let other = md102
        .replace("code = \"MD-102\"", "code = \"XK0-005\"")
        .replace("vendor = \"Microsoft\"", "vendor = \"CompTIA\"")
        .replace("title = \"Endpoint Administrator\"", "title = \"Linux+\"");
    std::fs::write(dir.join("certifications/xk0-005.toml"), other).unwrap();
}

#[tokio::test]
async fn german_and_french_words_are_matched_by_their_stems() {
    let dir = tempfile::tempdir().unwrap();
    three_languages(dir.path());
    let app = common::app(dir.path(), "2026-11-26").await;
    // `Gerät` (singular, with or without the umlaut) finds `Geräten`/`Geräte`.
    for typed in ["Gerät", "gerat", "GERÄTE"] {
        let body = api(&app, &format!("locale=de&kind=answer&{}", q(typed))).await;
        // The answer about devices first (the sample's German answers may follow).
        assert_eq!(
            titles(&body).first().map(String::as_str),
            Some("Welche Prüfung passt zur Verwaltung von Geräten?"),
            "{typed}"
        );
        assert!(marked(&body).iter().any(|m| m.starts_with("gerät")), "{typed}: {body}");
    }
    let body = api(&app, &format!("locale=fr&kind=answer&{}", q("appareil"))).await;
    assert_eq!(
        titles(&body).first().map(String::as_str),
        Some("Quelle certification pour la gestion des appareils ?")
    );
    let body = api(&app, &format!("locale=fr&kind=answer&{}", q("gerer"))).await;
    assert!(
        titles(&body).iter().any(|t| t == "Quelle certification pour la gestion des appareils ?"),
        "`gérer` with or without its accent: {body}"
    );
    // Each locale searches its own answers; the catalog is in every locale.
    assert_eq!(api(&app, &format!("locale=en&kind=answer&{}", q("Gerät"))).await["total"], 0);
    assert!(
        api(&app, &format!("locale=de&kind=certification&{}", q("md102"))).await["total"].as_u64().unwrap()
            > 0
    );
    let page = get(&app, &format!("/de/search?{}", q("Geräte"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("/de/answers/geraeteverwaltung"));
}

#[tokio::test]
async fn the_vendor_filter_and_codes_with_digits_in_both_parts() {
    let dir = tempfile::tempdir().unwrap();
    three_languages(dir.path());
    let app = common::app(dir.path(), "2026-11-26").await;
    let body = api(&app, &format!("kind=certification&{}", q("xk0 005"))).await;
    assert_eq!(titles(&body).first().map(String::as_str), Some("XK0-005: Linux+"));
    let comptia = api(&app, &format!("vendor=CompTIA&{}", q("intune"))).await;
    assert_eq!(titles(&comptia), ["XK0-005: Linux+"], "the copy of MD-102's text, CompTIA's only");
    let microsoft = api(&app, &format!("vendor=Microsoft&kind=certification&{}", q("intune"))).await;
    assert!(!titles(&microsoft).iter().any(|t| t.starts_with("XK0")));
}

#[tokio::test]
async fn before_the_first_index_search_answers_503_and_the_empty_page_still_works() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    // The same site with a search library that has built nothing yet.
    let fresh = certwise::web::AppState::new(
        state.published.clone(),
        state.store.clone(),
        state.clock,
        state.keys.clone(),
    );
    let app = certwise::web::router(fresh);
    let reply = get(&app, "/api/v1/search?q=intune").await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(reply.header("retry-after"), "1");
    assert_eq!(reply.json()["error"]["code"], "unavailable");
    let page = get(&app, "/en/search?q=intune").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.header("retry-after"), "1");
    assert!(page.body.contains("Search is starting up"), "{}", page.body);
    assert_eq!(get(&app, "/en/search").await.status, StatusCode::OK, "suggestions need no index");
}

#[tokio::test]
async fn a_new_content_generation_gets_its_own_index() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let app = certwise::web::router(state.clone());
    assert!(api(&app, &q("intune")).await["total"].as_u64().unwrap() > 0);
    assert_eq!(api(&app, &q("sy0-301")).await["total"], 0);
    let old = state.search.current().unwrap().generation;
    certwise::app::import(state.store.as_ref(), &common::fixture("other-vendor")).await.unwrap();
    certwise::live::refresh(&state).await.unwrap();
    let generation = state.published.current().generation;
    assert!(generation > old);
    assert!(
        state.search.ready(generation, std::time::Duration::from_secs(30)).await,
        "the new index is built"
    );
    let body = api(&app, &q("md-102")).await;
    assert!(
        !titles(&body).iter().any(|t| t.starts_with("MD-102: Endpoint")),
        "the old catalog is gone: {body}"
    );
    assert!(titles(&api(&app, &q("sy0-301")).await).iter().any(|t| t == "What replaced the SY0-301 exam?"));
}
