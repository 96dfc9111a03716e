//! The pages, driven through the real router in-process.

mod common;

use common::{app, fixture, get, sample, text};

const REFERENCE: &str = "/en/answers/md-102-vs-ms-102-difference";

/// The text of the first element whose opening tag contains `marker`, up to `end`.
fn section<'a>(html: &'a str, marker: &str, end: &str) -> &'a str {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker:?} in page"));
    let rest = &html[start..];
    &rest[..rest.find(end).map_or(rest.len(), |i| i + end.len())]
}

#[tokio::test]
async fn the_reference_page_has_every_part() {
    let app = sample().await;
    let r = get(&app, REFERENCE).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "text/html; charset=utf-8");
    let html = &r.body;

    // 1. the question as the one <h1>, its exam codes kept whole
    assert_eq!(html.matches("<h1").count(), 1);
    assert!(html.contains(
        "<h1>What is the difference between <span class=\"exam-code\">MD-102</span> and <span class=\"exam-code\">MS-102</span>?</h1>"
    ));
    // 2. the short answer, also the meta description, then a jump to the table
    let lead = text(section(html, "<p class=\"lead answer-lead\">", "</p>"));
    assert!(lead.contains("MD-102 (Endpoint Administrator Associate) is about the devices"), "{lead}");
    assert!(html.contains(
        "<meta name=\"description\" content=\"MD-102 (Endpoint Administrator Associate) is about the devices"
    ));
    assert!(html.contains("<a class=\"jump\" href=\"#related-information\">"));
    // 3. the detailed answer, rendered from Markdown (codes of the catalog kept whole)
    assert!(html.contains("<h2><span class=\"exam-code\">MD-102</span>: the devices and their apps</h2>"));
    // 4. related information after the detailed answer: a column per certification, a
    // row per aspect, derived from the catalog
    assert!(
        html.find("id=\"related-information\"").unwrap() > html.find("the devices and their apps").unwrap()
    );
    let table = section(html, "<table class=\"compare stack\">", "</table>");
    let head = text(section(table, "<thead>", "</thead>"));
    assert_eq!(head, "Aspect MD-102 MS-102");
    let rows: Vec<String> = table.split("<tr>").skip(2).map(text).collect();
    assert_eq!(
        rows,
        [
            "Scope Endpoint management Full Microsoft 365 tenant",
            "Course 5-day course, CHF 119 Ask about this course Request a place: 11 January 2027 5-day course, CHF 119 Ask about this course",
            "Technologies Intune Autopilot Entra ID Defender (device) Defender (tenant) DLP retention identity sync",
            "Lifecycle active retiring 30 November 2026 Successor: AB-650",
            "Choose it if Your primary role is device fleet management and endpoint security You are responsible for the whole Microsoft 365 environment",
        ]
    );
    assert!(
        table.contains(
            "<td data-label=\"MS-102\"><a href=\"/en/courses/ms-102-microsoft-365-administrator\">"
        )
    );
    assert!(table.contains("<span class=\"badge retiring\">retiring</span>"));
    // 5. the expert insight, signed with name and credentials
    let insight = section(html, "<aside class=\"insight\"", "</aside>");
    assert!(insight.contains("<h2 id=\"expert-insight\">Expert insight</h2>"));
    assert!(
        insight.contains(">Marc Dubois</a>, Microsoft 365 Certified: Endpoint Administrator Associate •")
    );
    // 6. the author with credentials
    let author = section(html, "<section class=\"author-card\"", "</section>");
    assert!(author.contains(">Andrea Keller</a>"));
    assert!(
        author.contains("ISO 27001 Senior Lead Implementer • Certified Artificial Intelligence Professional")
    );
    assert!(html.contains("By <a href=\"/en/experts/andrea-keller\">Andrea Keller</a>"));
    // 7. topics linking to topic pages
    let topics = section(html, "<nav aria-labelledby=\"topics\">", "</nav>");
    for (slug, title) in [
        ("md-102", "MD-102"),
        ("ms-102", "MS-102"),
        ("endpoint-administrator", "Endpoint Administrator"),
        ("microsoft-365", "Microsoft 365"),
        ("certification", "Certification"),
    ] {
        let link = section(topics, &format!("<a href=\"/en/topics/{slug}\">"), "</a>");
        assert_eq!(text(link), title, "topic {slug}");
    }
    // 8. the lifecycle notice: a heading, the days left, the successor linked
    let notice = section(html, "<div class=\"notice retiring\" role=\"note\"", "</div>");
    assert!(notice.contains(">Exam retiring</h2>"), "{notice}");
    assert_eq!(
        text(section(notice, "<p>", "</p>")),
        "MS-102 retires in 4 days, on 30 November 2026. Its successor is AB-650."
    );
    assert!(notice.contains("<a href=\"/en/certifications/ab-650\">"));
    assert!(!html.contains("notice stale"), "reviewed before nothing changed yet");
    assert!(html.contains("href=\"/en/certifications/md-102\""));
    // 9. the Markdown twin is announced, not shown
    assert!(html.contains(
        "<link rel=\"alternate\" type=\"text/markdown\" href=\"/en/answers/md-102-vs-ms-102-difference.md\">"
    ));
    assert!(!html.contains("as Markdown</a>"));
}

#[tokio::test]
async fn the_reference_page_has_its_metadata() {
    let r = get(&sample().await, REFERENCE).await;
    let html = &r.body;
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://www.example.ch/en/answers/md-102-vs-ms-102-difference\">"
    ));
    assert!(html.contains(
        "<meta property=\"og:title\" content=\"What is the difference between MD-102 and MS-102?\">"
    ));
    assert!(html.contains("<meta property=\"og:type\" content=\"article\">"));
    let blocks: Vec<serde_json::Value> = html
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(&s[..s.find("</script>").unwrap()]).expect("JSON-LD parses"))
        .collect();
    let of_type = |t: &str| blocks.iter().find(|b| b["@type"] == t).unwrap_or_else(|| panic!("no {t}"));
    let faq = of_type("FAQPage");
    assert_eq!(faq["mainEntity"][0]["@type"], "Question");
    assert_eq!(faq["mainEntity"][0]["name"], "What is the difference between MD-102 and MS-102?");
    let accepted = faq["mainEntity"][0]["acceptedAnswer"]["text"].as_str().unwrap();
    assert!(accepted.starts_with("MD-102 (Endpoint Administrator Associate) is about the devices"));
    let crumbs = of_type("BreadcrumbList");
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 3);
    assert_eq!(
        crumbs["itemListElement"][2]["item"],
        "https://www.example.ch/en/answers/md-102-vs-ms-102-difference"
    );
    let person = of_type("Person");
    assert_eq!(person["name"], "Andrea Keller");
    assert_eq!(person["hasCredential"][0]["name"], "ISO 27001 Senior Lead Implementer");
}

#[tokio::test]
async fn after_the_retirement_day_ms_102_is_retired() {
    for day in ["2026-11-30", "2026-12-01", "2030-01-01"] {
        let app = app(&common::sample_content(), day).await;
        let html = get(&app, REFERENCE).await.body;
        let table = text(section(&html, "<table class=\"compare stack\">", "</table>"));
        assert!(
            table.contains("Lifecycle active retired 30 November 2026 Successor: AB-650"),
            "{day}: {table}"
        );
        assert!(!html.contains("badge retiring") && !html.contains("notice retiring"), "{day}");
        let notice = text(section(&html, "<div class=\"notice retired\"", "</div>"));
        assert_eq!(
            notice, "✕ Exam retired MS-102 retired on 30 November 2026. Its successor is AB-650.",
            "{day}"
        );
        // The answer was reviewed on 15 October 2026, before the retirement: derived, flagged.
        let stale = text(section(&html, "<div class=\"notice stale\"", "</div>"));
        assert_eq!(
            stale,
            "i Facts changed since this answer was written Written before MS-102 retired on 30 November 2026: \
             the facts on this page are current, parts of the text may not be.",
            "{day}"
        );
        let cert = get(&app, "/en/certifications/ms-102").await.body;
        assert!(
            text(&cert).contains("MS-102 retired on 30 November 2026. Its successor is AB-650."),
            "{day}"
        );
        assert!(cert.contains("<span class=\"badge retired\">retired</span> 30 November 2026"), "{day}");
    }
    let before = app(&common::sample_content(), "2026-11-29").await;
    let html = get(&before, REFERENCE).await.body;
    assert!(text(&html).contains("MS-102 retires tomorrow, on 30 November 2026."));
    assert!(!html.contains("notice stale"));
    let far = app(&common::sample_content(), "2026-10-01").await;
    let cert = text(&get(&far, "/en/certifications/ms-102").await.body);
    assert!(cert.contains("MS-102 retires on 30 November 2026."), "more than 30 days ahead: no count");
}

#[tokio::test]
async fn every_page_type_answers() {
    let app = sample().await;
    for (path, needle) in [
        ("/en/", "Latest answers"),
        ("/en/answers/", "What is the difference between MD-102 and MS-102?"),
        ("/en/answers/?topic=microsoft-365", "What is the difference between MD-102 and MS-102?"),
        (REFERENCE, "Related information"),
        ("/en/certifications/", "<table class=\"stack catalog\">"),
        ("/en/certifications/?vendor=Microsoft&level=expert&status=retiring", "MS-102"),
        ("/en/certifications/md-102", "Skills measured"),
        ("/en/courses/md-102-endpoint-administrator", "CHF 119.00"),
        ("/en/topics/md-102", "What is the difference between MD-102 and MS-102?"),
        ("/en/topics/endpoint-administrator", "Endpoint Administrator"),
        ("/en/experts/andrea-keller", "ISO 27001 Senior Lead Implementer"),
        ("/en/topics/", "Endpoint Administrator"),
        ("/en/courses/", "MD-102: Endpoint Administrator"),
        ("/en/imprint", "Imprint"),
        ("/en/privacy", "Privacy"),
        ("/en/about", "About"),
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(text(&r.body).contains(needle) || r.body.contains(needle), "{path} lacks {needle:?}");
        assert!(r.body.starts_with("<!DOCTYPE html>"), "{path}");
    }
}

#[tokio::test]
async fn the_certification_page_shows_facts_sources_and_doubts() {
    let html = get(&sample().await, "/en/certifications/md-102").await.body;
    assert!(html.contains("<h1><span class=\"exam-code\">MD-102</span>: Endpoint Administrator</h1>"));
    assert!(html.contains("Microsoft 365 Certified: Endpoint Administrator Associate"));
    // domains with weights; MD-102's outline is marked unconfirmed in the sample
    assert!(html.contains("<h2>Skills measured <span class=\"uncertain\">unconfirmed</span></h2>"));
    assert!(html.contains(
        "<td data-label=\"Domain\">Prepare infrastructure for devices</td><td data-label=\"Weight\">20–25%</td>"
    ));
    assert!(html.contains("checked on"));
    assert!(html.contains("<li>Intune</li>"));
    // a field that is not in `uncertain` is not marked
    let credential = section(&html, "<dt>Credential</dt>", "</dd>");
    assert!(!credential.contains("uncertain"));
}

#[tokio::test]
async fn the_course_page_has_course_json_ld_with_an_offer() {
    let html = get(&sample().await, "/en/courses/ms-102-microsoft-365-administrator").await.body;
    assert!(html.contains("<dd>5 days</dd>"));
    assert!(html.contains("<dd>CHF 119.00<br><span class=\"meta\">"), "the price, then its note");
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str::<serde_json::Value>(&s[..s.find("</script>").unwrap()]).unwrap())
        .find(|v| v["@type"] == "Course")
        .expect("Course JSON-LD");
    assert_eq!(ld["offers"][0]["@type"], "Offer");
    assert_eq!(ld["offers"][0]["price"], "119.00");
    assert_eq!(ld["offers"][0]["priceCurrency"], "CHF");
    assert_eq!(ld["courseCode"], "MS-102");
}

#[tokio::test]
async fn the_markdown_twin_has_the_same_parts() {
    let r = get(&sample().await, "/en/answers/md-102-vs-ms-102-difference.md").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "text/markdown; charset=utf-8");
    assert!(r.body.starts_with("# What is the difference between MD-102 and MS-102?\n"));
    assert!(r.body.contains("| Aspect | MD-102 | MS-102 |\n|---|---|---|\n"), "{}", r.body);
    assert!(r.body.contains("| Course | 5-day course, CHF 119 | 5-day course, CHF 119 |\n"));
    assert!(
        r.body.contains(
            "| Choose it if | Your primary role is device fleet management and endpoint security | "
        )
    );
    assert!(r.body.contains("## Expert insight"));
    assert!(r.body.contains("Source: https://www.example.ch/en/answers/md-102-vs-ms-102-difference"));
}

#[tokio::test]
async fn unknown_things_get_the_404_page_and_nothing_gets_a_5xx() {
    let app = sample().await;
    let odd = [
        "/xx/",
        "/it/",
        "/EN/",
        "/en/answers/nope",
        "/en/answers/NOPE",
        "/en/answers/.md",
        "/en/answers/a..b",
        "/en/answers/%FF%FE",
        "/en/answers/..%2F..%2Fetc%2Fpasswd",
        "/en/answers/%00",
        "/en/certifications/zz-999",
        "/en/certifications/..",
        "/en/certifications/md--102",
        "/en/certifications/%E2%80%AE",
        "/en/courses/nope",
        "/en/topics/nope",
        "/en/topics/A",
        "/en/experts/nobody",
        "/en/nothing/here",
        "//",
        "/en//answers/",
        "/static/nope.css",
        "/en/answers/md-102-vs-ms-102-difference/extra",
        "/en/answers/md-102-vs-ms-102-difference.md.md",
        &format!("/en/answers/{}", "a".repeat(5000)),
        "/api/v1/answers/en/nope",
        "/api/v1/certifications/%FF",
        "/api/v1/nope",
        "/en/answers/?page=999",
        "/en/answers/?page=-1",
        "/en/answers/?page=1e3",
        "/en/answers/?topic=%FF",
        "/en/answers/?topic=nope",
        "/en/answers/?page=1&page=2",
        "/en/certifications/?level=god",
        "/en/certifications/?status=%00",
        "/en/certifications/?vendor=x",
        "/api/v1/answers?locale=xx",
        "/api/v1/answers?page=abc",
        "/api/v1/answers?topic=NOPE",
        "/?%%%",
        "/en/?a=%",
    ];
    for path in odd {
        let r = get(&app, path).await;
        assert!(!r.status.is_server_error(), "{path} gave {}", r.status);
        let ignored_query = path.starts_with("/en/?") || path.starts_with("/?");
        assert!(
            ignored_query || r.status.is_client_error() || r.status.is_redirection(),
            "{path} gave {}",
            r.status
        );
    }
    for path in
        ["/xx/", "/en/answers/nope", "/en/certifications/zz-999", "/en/nothing/here", "/en/experts/nobody"]
    {
        let r = get(&app, path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(r.body.contains("<h1>Page not found</h1>"), "{path}");
        assert!(r.body.contains("<meta name=\"robots\" content=\"noindex\">"), "{path}");
    }
}

#[tokio::test]
async fn client_mistakes_in_queries_are_400_pages_that_say_what_is_wrong() {
    let app = sample().await;
    let r = get(&app, "/en/answers/?page=abc").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("`page` must be a whole number from 1 up, not `abc`"), "{}", r.body);
    let r = get(&app, "/en/certifications/?level=god").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("`level` has no value `god`"));
}

#[tokio::test]
async fn redirects_lead_to_canonical_urls() {
    let app = sample().await;
    let r = get(&app, "/en/certifications/MD-102").await;
    assert_eq!(r.status, 308);
    assert_eq!(r.header("location"), "/en/certifications/md-102");
    let r = get(&app, "/en").await;
    assert_eq!(r.header("location"), "/en/");
    let r = common::request(
        &app,
        axum::http::Request::get("/")
            .header("accept-language", "fr-CH, de;q=0.8, en;q=0.5")
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), "/fr/", "the reader's first choice, which the sample site has");
}

#[tokio::test]
async fn pagination_splits_the_list() {
    let app = sample().await;
    let first = get(&app, "/en/answers/").await.body;
    let count = first.matches("<li><a href=\"/en/answers/").count();
    assert!(count >= 8, "{count} answers listed");
    assert!(!first.contains("rel=\"next\""), "fewer than a page of sample answers");
}

/// Content that is not the sample: another vendor and currency, an exam retired long
/// ago, answers naming zero and three certifications, hostile HTML in Markdown.
mod other_content {
    use super::*;

    async fn other() -> certwise::web::App {
        app(&fixture("other-vendor"), "2026-11-26").await
    }

    #[tokio::test]
    async fn every_answer_renders_and_hostile_markup_never_reaches_a_page() {
        let app = other().await;
        let list = get(&app, "/api/v1/answers?locale=en").await.json();
        let items = list["items"].as_array().unwrap();
        assert!(items.len() >= 3);
        let mut counts = Vec::new();
        for item in items {
            let slug = item["slug"].as_str().unwrap();
            counts.push(item["certifications"].as_array().unwrap().len());
            for path in [format!("/en/answers/{slug}"), format!("/en/answers/{slug}.md")] {
                let r = get(&app, &path).await;
                assert_eq!(r.status, 200, "{path}");
            }
            let html = get(&app, &format!("/en/answers/{slug}")).await.body.to_ascii_lowercase();
            for bad in ["<script>alert", "onerror", "javascript:", "<iframe", "onclick", "<style>"] {
                assert!(!html.contains(bad), "{slug} contains {bad}");
            }
            // the only scripts are our JSON-LD blocks and our own consent and search scripts
            for script in html.split("<script").skip(1) {
                let tag = &script[..script.find('>').unwrap()];
                let ours = |name: &str| {
                    tag.starts_with(&format!(" src=\"/static/{name}.")) && tag.contains(".js\" nonce=")
                };
                assert!(
                    tag == " type=\"application/ld+json\"" || ours("consent") || ours("search"),
                    "{slug}: <script{tag}>"
                );
            }
        }
        assert!(counts.contains(&0), "an answer with no certification");
        assert!(counts.contains(&3), "an answer with three certifications");
    }

    #[tokio::test]
    async fn facts_come_from_that_catalog() {
        let app = other().await;
        let certs = get(&app, "/api/v1/certifications").await.json();
        let items = certs["items"].as_array().unwrap();
        assert!(items.iter().all(|c| c["vendor"] != "Microsoft"));
        // an exam retired long ago says so with its date
        let retired = items.iter().find(|c| c["status"] == "retired").expect("a retired exam");
        let code = retired["code"].as_str().unwrap().to_ascii_lowercase();
        let html = get(&app, &format!("/en/certifications/{code}")).await.body;
        assert!(html.contains("retired on "), "{html}");
        // another currency, with cents
        let eur = items
            .iter()
            .flat_map(|c| c["courses"].as_array().unwrap())
            .find(|c| c["price"]["currency"] == "EUR")
            .expect("a EUR course");
        let html = get(&app, &format!("/en/courses/{}", eur["slug"].as_str().unwrap())).await.body;
        assert!(html.contains("EUR "), "{html}");
        // nothing from the sample leaks in
        let home = get(&app, "/en/").await.body;
        assert!(!home.contains("MD-102") && !home.contains("CHF"));
    }
}

/// A catalog with more answers than fit on a page: 45 answers, 20 a page.
#[tokio::test]
async fn the_answer_list_pages_through_many_answers_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let copy = |from: &std::path::Path, to: &std::path::Path| {
        for entry in walk(from) {
            let target = to.join(entry.strip_prefix(from).unwrap());
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, &target).unwrap();
        }
    };
    copy(&fixture("minimal"), dir.path());
    for i in 1..=43 {
        let day = 1 + (i % 28);
        let month = 1 + (i / 28);
        std::fs::write(
            dir.path().join(format!("answers/en/question-{i:02}.md")),
            format!(
                "+++\nquestion = \"Question number {i:02}?\"\nshort_answer = \"Answer {i:02}.\"\nauthor = \"ada-muster\"\npublished_on = 2025-{month:02}-{day:02}\n+++\nBody {i}.\n"
            ),
        )
        .unwrap();
    }
    let app = app(dir.path(), "2026-11-26").await;
    let mut seen = Vec::new();
    for page in 1..=3 {
        let path = if page == 1 { "/en/answers/".to_owned() } else { format!("/en/answers/?page={page}") };
        let html = get(&app, &path).await.body;
        let items: Vec<String> = html
            .split("<li><a href=\"/en/answers/")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_owned())
            .filter(|slug| !slug.is_empty()) // the header's link to the list itself
            .collect();
        assert_eq!(items.len(), if page < 3 { 20 } else { 5 }, "page {page}");
        assert_eq!(html.contains("rel=\"next\""), page < 3, "page {page}");
        assert_eq!(html.contains("rel=\"prev\""), page > 1, "page {page}");
        assert!(html.contains(&format!("Page {page} / 3")), "page {page}");
        seen.extend(items);
    }
    assert_eq!(seen.len(), 45);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 45, "every answer exactly once");
    // newest first: the fixture's 2026 answers lead, the 2025 ones follow by date
    let first = get(&app, "/en/answers/").await.body;
    let order: Vec<usize> = ["ax-100-or-ax-200", "question-27", "question-01"]
        .iter()
        .map(|slug| first.find(&format!("/en/answers/{slug}\"")).unwrap_or(usize::MAX))
        .collect();
    assert!(order[0] < order[1] && order[1] < order[2], "{order:?}");
    assert_eq!(get(&app, "/en/answers/?page=4").await.status, 404);
    // The API's pages hold 50 (INTERFACES.md, "Lists"): one page, and page 2 does not exist.
    let api = get(&app, "/api/v1/answers").await.json();
    assert_eq!((api["pages"].as_u64(), api["total"].as_u64()), (Some(1), Some(45)));
    assert_eq!(api["items"].as_array().unwrap().len(), 45);
    assert!(api["next"].is_null());
    let past = get(&app, "/api/v1/answers?page=2").await;
    assert_eq!(past.status, 404);
    assert_eq!(past.json()["error"]["code"], "not_found");
    assert_eq!(get(&app, "/api/v1/answers?page=4611686018427387905").await.status, 404, "no wrap-around");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out
}

#[tokio::test]
async fn assets_are_fingerprinted_and_cached_for_a_year_and_there_is_a_favicon() {
    let app = sample().await;
    let page = get(&app, "/en/").await.body;
    let css = certwise::web::asset_files::STYLESHEET.url.as_str();
    assert!(page.contains(&format!("href=\"{css}\"")), "pages link the fingerprinted stylesheet");
    let r = get(&app, css).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(r.body.contains(":root"));
    let plain = get(&app, "/static/site.css").await;
    assert_eq!((plain.status.as_u16(), plain.header("cache-control")), (200, "public, max-age=3600"));
    assert_eq!(get(&app, "/static/site.00000000.css").await.status, 404, "an old fingerprint is gone");
    let icon = get(&app, "/favicon.ico").await;
    assert_eq!((icon.status.as_u16(), icon.header("content-type")), (200, "image/x-icon"));
}

#[tokio::test]
async fn pages_are_gzipped_for_clients_that_accept_it() {
    use std::io::Read as _;
    let app = sample().await;
    let plain = get(&app, "/en/answers/md-102-vs-ms-102-difference").await;
    assert!(plain.header("content-encoding").is_empty(), "no Accept-Encoding, no compression");
    let req = axum::http::Request::get("/en/answers/md-102-vs-ms-102-difference")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.clone(), req).await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let vary: Vec<String> =
        res.headers().get_all("vary").iter().map(|v| v.to_str().unwrap().to_ascii_lowercase()).collect();
    assert!(vary.iter().any(|v| v.contains("accept-encoding")), "{vary:?}");
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
    let mut html = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut html).unwrap();
    assert!(text(&html).contains("What is the difference between MD-102 and MS-102?"));
    assert!(bytes.len() * 2 < html.len(), "{} bytes for {}", bytes.len(), html.len());
    // Again, now from the cache: compressed once, with this response's nonce and token.
    let req = axum::http::Request::get("/en/answers/md-102-vs-ms-102-difference")
        .header("accept-encoding", "gzip, br;q=0.5")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app, req).await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
    let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
    let mut cached = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut cached).unwrap();
    let nonce = &csp[csp.find("'nonce-").unwrap() + 7..];
    let nonce = &nonce[..nonce.find('\'').unwrap()];
    assert!(
        cached.contains(&format!("nonce=\"{nonce}\"")),
        "the response's own nonce is in the compressed page"
    );
    assert_eq!(cached.len(), html.len(), "the same page");
}

#[tokio::test]
async fn tracking_and_unknown_parameters_are_the_cached_page() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let app = certwise::web::router(state.clone());
    let page = "/en/answers/md-102-vs-ms-102-difference";
    let plain = get(&app, page).await;
    let cached = state.pages.len();
    for query in
        ["utm_source=x&utm_medium=y", "gclid=1", "fbclid=2&msclkid=3", "mc_cid=4&mc_eid=5", "x=random"]
    {
        let r = get(&app, &format!("{page}?{query}")).await;
        assert_eq!(r.status, 200, "{query}");
        assert!(!r.body.contains(query), "{query} never reaches the page or its canonical URL");
        assert_eq!(r.body.len(), plain.body.len(), "{query}: the same page");
    }
    assert_eq!(state.pages.len(), cached, "no new cache entry for any of them");
    // A list keeps the parameters it reads and drops the others.
    let list = get(&app, "/en/answers/?topic=microsoft-365&utm_campaign=z").await;
    assert!(list.body.contains("microsoft-365") && !list.body.contains("utm_campaign"));
}

// -- catalog fields in the reader's language ----------------------------------------

#[tokio::test]
async fn a_german_certification_page_shows_the_translated_fields() {
    let html = get(&sample().await, "/de/certifications/md-102").await.body;
    assert!(
        html.contains("<h1><span class=\"exam-code\">MD-102</span>: Endpunktadministrator</h1>"),
        "{html}"
    );
    assert!(html.contains("<dd>Endpunktverwaltung"), "the German scope");
    assert!(html.contains("<p class=\"lead\">Windows- und Mobilgeräte"), "the German summary");
    assert!(html.contains("<li>Endpunktadministrator</li>"), "the German role");
    // The course card's title is translated too; the successor AB-650 has a German title.
    // (`365-E` keeps together: `codes` makes the hyphen after a number non-breaking.)
    assert!(html.contains("MD-102</span>: Microsoft 365\u{2011}Endpunktadministrator</a>"), "{html}");
    let french = get(&sample().await, "/fr/certifications/ms-102").await.body;
    assert!(french.contains("<dd>ensemble du locataire Microsoft 365"), "the French scope");
    assert!(french.contains("Administration de Microsoft 365 et des services d&#39;IA</a>"), "successor");
}

#[tokio::test]
async fn an_untranslated_field_is_english_inside_lang_en() {
    let app = sample().await;
    let html = get(&app, "/de/certifications/sc-200").await.body;
    assert!(
        html.contains(
            "<h1><span class=\"exam-code\">SC-200</span>: <span lang=\"en\">Microsoft Security Operations Analyst</span></h1>"
        ),
        "{html}"
    );
    assert!(html.contains("<dd><span lang=\"en\">security operations</span>"), "the scope too");
    let list = get(&app, "/de/certifications/").await.body;
    assert!(list.contains("<td data-label=\"Titel\">Endpunktadministrator</td>"), "translated in the list");
    assert!(list.contains("<td data-label=\"Titel\"><span lang=\"en\">"), "untranslated in the list");
    // In the default locale nothing is marked.
    let english = get(&app, "/en/certifications/sc-200").await.body;
    assert!(!english.contains("<span lang="), "no stand-in on an English page");
}

#[tokio::test]
async fn courses_topics_and_responsibilities_speak_the_page_language() {
    let app = sample().await;
    let course = get(&app, "/de/courses/md-102-endpoint-administrator").await.body;
    assert!(
        course.contains(
            "<h1><span class=\"exam-code\">MD-102</span>: Microsoft 365\u{2011}Endpunktadministrator</h1>"
        ),
        "{course}"
    );
    assert!(course.contains("<span class=\"meta\">pro Person, Prüfungsgutschein nicht inbegriffen</span>"));
    let topic = get(&app, "/fr/topics/exam-retirement").await.body;
    assert!(topic.contains("<h1>Examens retirés</h1>"), "{topic}");
    let untranslated = get(&app, "/fr/topics/security").await.body;
    assert!(untranslated.contains("<h1><span lang=\"en\">"), "{untranslated}");
    let advisor = get(&app, "/fr/advisor").await.body;
    assert!(
        advisor.contains(">Protéger les appareils et les serveurs contre les menaces</label>"),
        "{advisor}"
    );
    let path = get(&app, "/de/advisor?device-fleet=3").await.body;
    assert!(path.contains("MD-102</span>: Endpunktadministrator</a>"), "ranked and path titles");
    let compare = get(&app, "/de/compare/md-102-vs-ms-102").await.body;
    assert!(compare.contains("<td data-label=\"MD-102\">Endpunktverwaltung</td>"), "{compare}");
    assert!(compare.contains("<th scope=\"row\">Eine Geräteflotte samt Apps"), "coverage labels");
}

#[tokio::test]
async fn the_german_answer_has_german_scope_lines() {
    let app = sample().await;
    let r = get(&app, "/de/answers/md-102-vs-ms-102-unterschied").await;
    assert_eq!(r.status, 200);
    let related = section(&r.body, "id=\"related-information\"", "</section>");
    assert!(related.contains(">Endpunktverwaltung</td>"), "{related}");
    assert!(related.contains(">Gesamter Microsoft 365\u{2011}Tenant</td>"), "{related}");
    assert!(!related.contains("endpoint management"), "{related}");
    let topics = section(&r.body, "id=\"topics\"", "</nav>");
    assert!(topics.contains(">Endpunktadministration</a>"), "{topics}");
    let api = get(&app, "/api/v1/answers/de/md-102-vs-ms-102-unterschied").await;
    let json: serde_json::Value = serde_json::from_str(&api.body).expect("JSON");
    assert_eq!(json["related"][0]["parts"][0]["text"], "MD-102: Bereich Endpunktverwaltung");
    // The English answer keeps the English scope.
    let english = get(&app, "/api/v1/answers/en/md-102-vs-ms-102-difference").await;
    assert!(english.body.contains("MD-102: endpoint management scope"));
}

/// Lifecycle badges and the status filter speak the page's language; JSON-LD list names are
/// text, never the pages' HTML.
#[tokio::test]
async fn badges_are_translated_and_item_list_names_are_text() {
    let app = sample().await;
    let german = get(&app, "/de/certifications/ms-102").await.body;
    assert!(german.contains("<span class=\"badge retiring\">läuft aus</span>"), "{german}");
    let list = get(&app, "/fr/certifications/").await.body;
    assert!(list.contains(">bientôt retiré</span>") && list.contains(">actif</span>"), "{list}");
    assert!(list.contains("<option value=\"retiring\">bientôt retiré</option>"), "the filter too");
    for path in ["/en/courses/", "/de/topics/"] {
        let body = get(&app, path).await.body;
        let item_list = body
            .split("<script type=\"application/ld+json\">")
            .skip(1)
            .map(|s| s.split("</script>").next().unwrap_or_default())
            .find(|s| s.contains("\"ItemList\""))
            .unwrap_or_else(|| panic!("{path}: no ItemList"));
        let json: serde_json::Value = serde_json::from_str(item_list).expect("JSON-LD");
        for item in json["itemListElement"].as_array().unwrap() {
            let name = item["name"].as_str().unwrap();
            assert!(!name.is_empty() && !name.contains('<') && !name.contains("&#"), "{path}: {name}");
        }
    }
}
