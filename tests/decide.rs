//! Compare, advise, plan — the pages and the API, driven in-process on the sample
//! catalog: the URL rules of comparisons, the advisor's shareable address and its
//! refusals, the team planner's CSV in and out, and the "Done when" decisions of issue 10
//! as a reader sees them.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::web::limits::Limits;
use certwise::web::{self, App};
use common::{Reply, get, request, state_with, text};

async fn sample_on(today: &str) -> App {
    common::app(&common::sample_content(), today).await
}

async fn with_limits(limits: Limits) -> App {
    web::router(state_with(&common::database_url().await, limits).await)
}

async fn post(app: &App, path: &str, kind: &str, body: impl Into<Vec<u8>>) -> Reply {
    let req = Request::post(path).header("content-type", kind).body(Body::from(body.into())).unwrap();
    request(app, req).await
}

/// A multipart form with the given text fields, as a browser sends the planner's form.
fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "certwise-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

const TEAM: &str = "name,responsibilities,held,assigned\n\
Alex Muster,device-fleet:3;endpoint-security:2,,MS-102\n\
Sam Beispiel,tenant-administration:3;identity-access:2;compliance-data-protection:2,MD-102,\n\
Kim Beispiel,device-fleet:3,,MD-102\n\
Bad Row,nonsense:3,,\n\
=HYPERLINK(\"x\"),device-fleet:2,,\n";

// ---------------------------------------------------------------- compare

#[tokio::test]
async fn a_comparison_page_shows_both_exams_with_a_chart_and_its_numbers() {
    let app = sample_on("2026-11-26").await;
    let page = get(&app, "/en/compare/md-102-vs-ms-102").await;
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(
        body.contains(r#"<link rel="canonical" href="https://www.example.ch/en/compare/md-102-vs-ms-102">"#)
    );
    // The chart: inline SVG with a title per bar and no inline style; the same numbers in a table.
    assert!(body.contains("<svg class=\"weight-bar\""), "an inline SVG chart");
    assert!(body.contains("<title>Prepare infrastructure for devices: 20–25%</title>"));
    let svg_start = body.find("<svg").unwrap();
    let svg_end = body.rfind("</svg>").unwrap();
    assert!(!body[svg_start..svg_end].contains("style="), "presentation attributes and classes only");
    let table = &body[body.find("<details class=\"as-table\">").unwrap()..];
    assert!(text(table).contains("Prepare infrastructure for devices 20–25%"));
    let seen = text(body);
    assert!(seen.contains("Compare MD-102 and MS-102"), "{seen}");
    assert!(seen.contains("retiring 30 November 2026 · Successor: AB-650"));
    assert!(seen.contains("Only in MD-102 Intune Autopilot"));
    assert!(seen.contains("Manage identities, sign-in and access 12% ✓ covered 28% ✓ covered"), "{seen}");
    assert!(seen.contains("order to take them A prerequisite first, then lower levels before higher. MD-102 MS-102 (take first: MD-102)"), "{seen}");
    assert!(
        body.contains("/en/courses/md-102-endpoint-administrator#inquiry"),
        "the course's call to action"
    );
}

#[tokio::test]
async fn comparison_urls_follow_the_rules_of_the_interface() {
    let app = sample_on("2026-11-26").await;
    let other_order = get(&app, "/en/compare/ms-102-vs-md-102").await;
    assert_eq!(other_order.status, 200, "any order is served");
    assert!(
        other_order
            .body
            .contains(r#"rel="canonical" href="https://www.example.ch/en/compare/md-102-vs-ms-102""#)
    );
    let upper = get(&app, "/en/compare/MD-102-vs-MS-102").await;
    assert_eq!(upper.status, 308);
    assert_eq!(upper.header("location"), "/en/compare/md-102-vs-ms-102");
    for (path, status, says) in [
        ("/en/compare/md-102", 400, "2 to 4"),
        ("/en/compare/md-102-vs-md-102", 400, "named twice"),
        ("/en/compare/az-900-vs-ai-901-vs-md-102-vs-ms-102-vs-sc-900", 400, "got 5"),
        ("/en/compare/md-102-vs-zz-999", 404, "no certification `zz-999`"),
        ("/en/compare/md-102-vs-not_a_code", 404, "not_a_code"),
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.status, status, "{path}");
        assert!(
            reply.body.contains(&says.replace('`', "&#96;")) || reply.body.contains(says),
            "{path}: {}",
            text(&reply.body)
        );
    }
    let four = get(&app, "/en/compare/az-900-vs-ai-901-vs-md-102-vs-ms-102").await;
    assert_eq!(four.status, 200);
}

#[tokio::test]
async fn the_comparison_api_reads_codes_in_any_case_and_mirrors_the_page() {
    let app = sample_on("2026-11-26").await;
    let reply = get(&app, "/api/v1/compare?codes=ms-102,Md-102").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["url"], "https://www.example.ch/en/compare/md-102-vs-ms-102");
    assert_eq!(json["certifications"][0]["code"], "MS-102", "the order asked for");
    assert_eq!(json["order"], serde_json::json!(["MD-102", "MS-102"]));
    assert_eq!(json["certifications"][1]["course"]["price"]["currency"], "CHF");
    let mirrored = get(&app, "/api/v1/compare?codes=MD-102,MS-102").await.json();
    assert_eq!(mirrored["certifications"][0], json["certifications"][1]);
    assert_eq!(mirrored["shared_technologies"], json["shared_technologies"]);
    for (query, status, field) in
        [("codes=MD-102", 400, "codes"), ("codes=MD-102,ZZ-9", 404, ""), ("", 400, "codes")]
    {
        let reply = get(&app, &format!("/api/v1/compare?{query}")).await;
        assert_eq!(reply.status, status, "{query}");
        let error = &reply.json()["error"];
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        if !field.is_empty() {
            assert_eq!(error["field"], field);
        }
    }
}

#[tokio::test]
async fn answers_and_certifications_lead_to_comparisons() {
    let app = sample_on("2026-11-26").await;
    let answer = get(&app, "/en/answers/md-102-vs-ms-102-difference").await;
    assert!(answer.body.contains(r#"href="/en/compare/md-102-vs-ms-102">Compare side by side</a>"#));
    let twin = get(&app, "/en/answers/md-102-vs-ms-102-difference.md").await;
    assert!(twin.body.contains("[Compare side by side](https://www.example.ch/en/compare/md-102-vs-ms-102)"));
    let api = get(&app, "/api/v1/answers/en/md-102-vs-ms-102-difference").await.json();
    assert_eq!(api["compare_url"], "https://www.example.ch/en/compare/md-102-vs-ms-102");
    let cert = get(&app, "/en/certifications/sc-300").await;
    let seen = text(&cert.body);
    assert!(seen.contains("Compare with"), "{seen}");
    assert!(cert.body.contains("/en/compare/"), "links to comparisons");
}

// ---------------------------------------------------------------- advisor

#[tokio::test]
async fn the_advisor_puts_md_102_first_for_devices_and_endpoint_security() {
    let app = sample_on("2026-11-26").await;
    let page = get(&app, "/en/advisor?device-fleet=3&endpoint-security=3").await;
    assert_eq!(page.status, 200);
    let seen = text(&page.body);
    let ranked = &seen[seen.find("Exams ranked for your role").unwrap()..];
    assert!(
        ranked.contains("1. MD-102: Endpoint Administrator")
            || ranked.starts_with("Exams ranked for your role MD-102"),
        "{ranked}"
    );
    let first = page.body.find("ranked-head").unwrap();
    assert!(page.body[first..first + 200].contains("MD-102"), "MD-102 is the first card");
    assert!(seen.contains("which you weighted highest; it covers 2 of your 2 responsibilities."), "{seen}");
    assert!(seen.contains("Total days of training"));
    assert!(page.body.contains(r#"<option value="3" selected>A main part</option>"#), "the choices are kept");
}

#[tokio::test]
async fn a_tenant_administrator_takes_an_associate_prerequisite_then_ms_102_then_its_successor() {
    let query = "/en/advisor?tenant-administration=3&identity-access=2&compliance-data-protection=2";
    let before = sample_on("2026-11-26").await;
    let moved = get(&before, query).await;
    assert_eq!(moved.status, 303, "the canonical order of choices");
    let canonical = moved.header("location").to_owned();
    assert_eq!(
        canonical,
        "/en/advisor?identity-access=2&tenant-administration=3&compliance-data-protection=2"
    );
    let page = get(&before, &canonical).await;
    let path = text(&page.body[page.body.find("id=\"your-path\"").unwrap()..]);
    let ms = path.find("MS-102: Microsoft 365 Administrator").unwrap_or_else(|| panic!("{path}"));
    let prerequisite = path.find("Prerequisite of MS-102").unwrap_or_else(|| panic!("{path}"));
    assert!(prerequisite < ms, "the associate prerequisite comes first: {path}");
    assert!(path[prerequisite..].starts_with("Prerequisite of MS-102 unconfirmed"), "{path}");
    assert!(path.contains("Retires on 30 November 2026"));
    let after = sample_on("2026-12-01").await;
    let page = get(&after, &canonical).await;
    let path = text(&page.body[page.body.find("id=\"your-path\"").unwrap()..]);
    assert!(path.contains("AB-650") && path.contains("Replaces MS-102"), "{path}");
    assert!(!path.contains("MS-102: Microsoft 365 Administrator"), "a retired exam is never in a path");
}

#[tokio::test]
async fn the_advisor_address_is_canonical_and_names_what_it_does_not_know() {
    let app = sample_on("2026-11-26").await;
    let messy = get(
        &app,
        "/en/advisor?device-fleet=3&endpoint-security=&tenant-administration=0&held=az-900%2C+md-102",
    )
    .await;
    assert_eq!(messy.status, 303);
    assert_eq!(messy.header("location"), "/en/advisor?device-fleet=3&held=AZ-900&held=MD-102");
    let empty = get(&app, "/en/advisor?device-fleet=&held=").await;
    assert_eq!(empty.header("location"), "/en/advisor");
    let odd = get(&app, "/en/advisor?device-fleet=3&bogus=2&endpoint-security=7&held=ZZ-1&%ff=%00").await;
    assert_eq!(odd.status, 200, "named on the page, never a 5xx");
    let seen = text(&odd.body);
    for named in ["no responsibility bogus", "endpoint-security has the emphasis 7", "no certification ZZ-1"]
    {
        assert!(seen.contains(named), "{named}: {seen}");
    }
    assert!(seen.contains("MD-102"), "the rest is still advised");
    assert!(odd.body.contains(r#"<meta name="robots" content="noindex"#));
    let held = get(&app, "/en/advisor?device-fleet=3&held=MD-102").await;
    let path = text(&held.body[held.body.find("id=\"your-path\"").unwrap()..]);
    assert!(!path.contains("MD-102: Endpoint Administrator"), "nothing held is in a path: {path}");
}

#[tokio::test]
async fn the_advisor_api_answers_typed_json_and_names_each_mistake() {
    let app = sample_on("2026-11-26").await;
    let ok = post(
        &app,
        "/api/v1/advisor",
        "application/json",
        r#"{"responsibilities":{"device-fleet":3,"endpoint-security":3},"held":["az-900"]}"#,
    )
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let json = ok.json();
    assert_eq!(json["ranked"][0]["code"], "MD-102");
    assert!(json["ranked"][0]["score"].as_u64().unwrap() <= 100);
    assert_eq!(json["path"]["steps"][0]["code"], "MD-102");
    assert_eq!(json["path"]["steps"][0]["course"]["duration_days"], 5);
    assert_eq!(
        json["url"],
        "https://www.example.ch/en/advisor?device-fleet=3&endpoint-security=3&held=AZ-900"
    );
    for (body, status, field) in [
        (r#"{"responsibilities":{"device-flet":3}}"#, 422, "responsibilities.device-flet"),
        (r#"{"responsibilities":{"device-fleet":4}}"#, 422, "responsibilities.device-fleet"),
        (r#"{"responsibilities":{"device-fleet":"3"}}"#, 422, "responsibilities.device-fleet"),
        (r#"{"responsibilities":{"device-fleet":3},"held":["ZZ-1"]}"#, 422, "held"),
        (r#"{"responsibilities":{}}"#, 422, "responsibilities"),
        (r#"{"responsibilities":"#, 400, ""),
        (r#"{"responsibilities":{"device-fleet":3},"extra":1}"#, 400, ""),
    ] {
        let reply = post(&app, "/api/v1/advisor", "application/json", body).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        if !field.is_empty() {
            assert_eq!(reply.json()["error"]["field"], field, "{body}");
        }
    }
    let form = post(&app, "/api/v1/advisor", "application/x-www-form-urlencoded", "a=b").await;
    assert_eq!(form.status, 415);
    let get_it = get(&app, "/api/v1/advisor").await;
    assert_eq!(get_it.status, 405);
    assert!(get_it.json()["error"]["message"].is_string());
}

#[tokio::test]
async fn the_advisor_and_planner_api_share_a_rate_per_client() {
    let app = with_limits(Limits { decide_per_minute: 2, ..Limits::default() }).await;
    let body = r#"{"responsibilities":{"device-fleet":3}}"#;
    for _ in 0..2 {
        assert_eq!(post(&app, "/api/v1/advisor", "application/json", body).await.status, 200);
    }
    let refused = post(&app, "/api/v1/plan", "text/csv", TEAM).await;
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").parse::<u64>().is_ok_and(|s| (1..=60).contains(&s)));
    assert_eq!(refused.json()["error"]["code"], "too_many_requests");
}

// ---------------------------------------------------------------- team planner

#[tokio::test]
async fn a_team_plan_flags_ms_102_for_a_device_admin_twice_and_plans_the_good_rows() {
    let app = sample_on("2026-11-26").await;
    let (kind, body) = multipart(&[("csv", TEAM)]);
    let reply = post(&app, "/en/plan", &kind, body).await;
    assert_eq!(reply.status, 200, "{}", text(&reply.body));
    assert_eq!(reply.header("cache-control"), "no-store", "names are in it");
    let seen = text(&reply.body);
    let alex = &seen[seen.find("Alex Muster (Line 2)").unwrap_or_else(|| panic!("{seen}"))..];
    let alex = &alex[..alex.find("Sam Beispiel").unwrap()];
    assert!(alex.contains("Little of the work: MS-102 fits this person"), "{alex}");
    assert!(alex.contains("MD-102 fits them"), "names the better exam: {alex}");
    assert!(alex.contains("Prerequisite missing: MS-102 requires one of MD-102"), "{alex}");
    assert!(seen.contains("Line 5: no responsibility nonsense in the catalog"), "{seen}");
    assert!(seen.contains("The assigned exam fits."), "Kim's MD-102 fits");
    assert!(seen.contains("People 4"), "four rows planned: {seen}");
    assert!(
        reply.body.contains("/en/courses/md-102-endpoint-administrator?people=3#inquiry"),
        "places for the team"
    );
    let ask = get(&app, "/en/courses/md-102-endpoint-administrator?people=3").await;
    assert!(ask.body.contains("We would like places for 3 people."), "the inquiry has the number filled in");
    let odd = get(&app, "/en/courses/md-102-endpoint-administrator?people=999999").await;
    assert_eq!(odd.status, 303);
}

#[tokio::test]
async fn the_plan_downloads_as_csv_with_formula_cells_neutralised() {
    let app = sample_on("2026-11-26").await;
    let (kind, body) = multipart(&[("csv", TEAM), ("format", "csv")]);
    let reply = post(&app, "/en/plan", &kind, body).await;
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").starts_with("text/csv"));
    assert!(reply.header("content-disposition").starts_with("attachment"));
    let mut rows = csv::Reader::from_reader(reply.body.as_bytes());
    let rows: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(rows.iter().all(|r| r.len() == 7), "every row has every column");
    let formula = rows.iter().find(|r| r[1].contains("HYPERLINK")).expect("the row with a formula name");
    assert!(formula[1].starts_with('\''), "neutralised: {:?}", &formula[1]);
    assert!(rows.iter().any(|r| r[0] == *"5" && r[6].starts_with("not planned")));
}

#[tokio::test]
async fn a_bad_or_too_large_team_file_is_refused_with_the_text_kept() {
    let app = with_limits(Limits { team_csv: 1024, ..Limits::default() }).await;
    let big = format!("name,responsibilities\n{}", "Person,device-fleet:3\n".repeat(60));
    let (kind, body) = multipart(&[("csv", &big)]);
    let reply = post(&app, "/en/plan", &kind, body).await;
    assert_eq!(reply.status, 413, "{}", text(&reply.body));
    assert!(reply.body.contains("Person,device-fleet:3\nPerson"), "the pasted text is kept");
    let sample = sample_on("2026-11-26").await;
    for (csv, says) in
        [("name\tresponsibilities\nA\tdevice-fleet\n", "tabs"), ("name,held\nA,MD-102\n", "responsibilities")]
    {
        let (kind, body) = multipart(&[("csv", csv)]);
        let reply = post(&sample, "/en/plan", &kind, body).await;
        assert_eq!(reply.status, 400, "{csv}");
        assert!(text(&reply.body).contains(says), "{says}: {}", text(&reply.body));
        assert!(reply.body.contains(&csv[..4]), "kept");
    }
    let latin1: Vec<u8> = b"name,responsibilities\nJos\xe9,device-fleet\n".to_vec();
    let reply = post(&sample, "/api/v1/plan", "text/csv", latin1).await;
    assert_eq!(reply.status, 400);
    assert!(reply.json()["error"]["message"].as_str().unwrap().contains("UTF-8"));
}

#[tokio::test]
async fn the_plan_api_reads_csv_and_json_rows() {
    let app = sample_on("2026-11-26").await;
    let csv = post(&app, "/api/v1/plan", "text/csv; charset=utf-8", TEAM).await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    let json = csv.json();
    assert_eq!(json["people"].as_array().unwrap().len(), 4);
    let kinds: Vec<&str> = json["people"][0]["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"coverage") && kinds.contains(&"prerequisite"), "{kinds:?}");
    assert_eq!(json["problems"][0]["line"], 5);
    assert!(json["places"][0]["inquiry_url"].as_str().unwrap().contains("?people="));
    let rows = r#"[{"name":"Alex","responsibilities":{"device-fleet":3,"endpoint-security":2},"assigned":"MS-102"},
                   {"name":"Sam","responsibilities":["tenant-administration:3"],"held":["md-102"]}]"#;
    let json = post(&app, "/api/v1/plan", "application/json", rows).await;
    assert_eq!(json.status, 200, "{}", json.body);
    assert_eq!(json.json()["people"][1]["path"]["steps"][0]["code"], "MS-102");
    let wrapped = post(&app, "/api/v1/plan", "application/json", format!(r#"{{"rows":{rows}}}"#)).await;
    assert_eq!(wrapped.status, 200);
    assert_eq!(post(&app, "/api/v1/plan", "application/xml", "<x/>").await.status, 415);
    assert_eq!(post(&app, "/api/v1/plan", "application/json", "[{").await.status, 400);
}

// ---------------------------------------------------------------- another vendor

#[tokio::test]
async fn another_vendors_catalog_is_compared_advised_and_planned_with_no_code_change() {
    let app = common::app(&common::fixture("other-vendor"), "2026-11-26").await;
    let compare = get(&app, "/en/compare/saa-c03-vs-clf-c02").await;
    assert_eq!(compare.status, 200);
    assert!(compare.body.contains(r#"rel="canonical" href="https://"#));
    assert!(text(&compare.body).contains("CLF-C02 SAA-C03 (take first: CLF-C02)"), "{}", text(&compare.body));
    let advice = get(&app, "/en/advisor?cloud-architecture=3").await;
    assert_eq!(advice.status, 200);
    let path = text(&advice.body[advice.body.find("id=\"your-path\"").unwrap()..]);
    let clf = path.find("CLF-C02").unwrap_or_else(|| panic!("{path}"));
    let saa = path.find("SAA-C03").unwrap_or_else(|| panic!("{path}"));
    assert!(clf < saa, "the prerequisite first: {path}");
    let team = "name;responsibilities;held;assigned\nAna;security-operations:3|risk-compliance:2;;SY0-301\n";
    let reply = post(&app, "/api/v1/plan", "text/csv", team).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["people"][0]["path"]["steps"][0]["code"], "SY0-701");
    let kinds: Vec<&str> = json["people"][0]["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"lifecycle"), "SY0-301 is retired: {kinds:?}");
}

// ---------------------------------------------------------------- odd input

#[tokio::test]
async fn odd_input_is_answered_without_a_server_error() {
    let app = sample_on("2026-11-26").await;
    for path in [
        "/en/compare/A%0A-vs-b",
        "/en/compare/MD-102%3Fx-vs-ms-102",
        "/en/compare/md-102-vs-",
        "/en/compare/%00",
    ] {
        let reply = get(&app, path).await;
        assert!(reply.status.is_client_error(), "{path}: {}", reply.status);
    }
    let tracked = get(&app, "/en/advisor?device-fleet=3&utm_source=news&fbclid=x").await;
    assert_eq!(tracked.status, 303, "tracking parameters are not choices");
    assert_eq!(tracked.header("location"), "/en/advisor?device-fleet=3");
    let rows =
        r#"[{"name":"A","responsibilities":["device-fleet:3"]},{"name":"B","held":"AZ-900"},{"nom":"C"}]"#;
    let reply = post(&app, "/api/v1/plan", "application/json", rows).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json = reply.json();
    assert_eq!(json["people"].as_array().unwrap().len(), 1, "the good row is planned");
    let lines: Vec<u64> =
        json["problems"].as_array().unwrap().iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3], "each bad row by its position");
    let long = format!(
        "name,responsibilities,held\nA,device-fleet,{}\n",
        (0..5000).map(|i| format!("X-{i}")).collect::<Vec<_>>().join("|")
    );
    let reply = post(&app, "/api/v1/plan", "text/csv", long).await;
    assert_eq!(reply.status, 200);
    assert!(reply.json()["problems"][0]["reason"].as_str().unwrap().contains("more than 64"));
}

#[tokio::test]
async fn the_planner_form_keeps_the_list_when_the_rate_is_reached() {
    let app = with_limits(Limits { decide_per_minute: 1, ..Limits::default() }).await;
    let (kind, body) = multipart(&[("csv", TEAM)]);
    assert_eq!(post(&app, "/en/plan", &kind, body.clone()).await.status, 200);
    let refused = post(&app, "/en/plan", &kind, body).await;
    assert_eq!(refused.status, 429);
    assert!(refused.header("retry-after").parse::<u64>().is_ok());
    assert!(refused.body.contains("Alex Muster,device-fleet:3"), "the list is kept");
    assert_eq!(refused.header("cache-control"), "no-store");
}
