//! The OpenAPI description (`/api/v1/openapi.json`): OpenAPI 3.1, every `/api/v1/…`
//! route of the routers documented with the methods it answers, and real answers — good
//! ones and refusals — documented by status, content type and headers, with bodies that
//! validate against their schemas. (schemathesis, in .ci/run, goes further over HTTP.)

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use axum::body::Body;
use axum::http::Request;
use certwise::domain::{Code, compare};
use certwise::web::limits::Limits;
use certwise::web::{self, App};
use common::{Reply, request, state_with};
use regex::Regex;
use serde_json::Value;

async fn doc(app: &App) -> Value {
    let r = common::get(app, "/api/v1/openapi.json").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("application/json"), "{}", r.header("content-type"));
    r.json()
}

#[tokio::test]
async fn it_is_openapi_3_1_served_relative_to_the_site() {
    let app = common::sample().await;
    let d = doc(&app).await;
    assert_eq!(d["openapi"], "3.1.0");
    assert_eq!(d["servers"], serde_json::json!([{"url": "/", "description": "The site's own origin"}]));
    assert!(d["info"]["description"].as_str().unwrap().contains("60 requests a minute per client"));
    // Parameters carry the constraints the handlers apply.
    let codes = &d["paths"]["/api/v1/compare"]["get"]["parameters"][0];
    assert_eq!(codes["name"], "codes");
    assert_eq!(codes["required"], true);
    let pattern = codes["schema"]["pattern"].as_str().unwrap();
    let (code, min, max) = (Code::WRITTEN, compare::MIN, compare::MAX);
    assert_eq!(pattern, format!("^{code}(,{code}){{{},{}}}$", min - 1, max - 1));
    let pattern = Regex::new(pattern).unwrap();
    for (written, fits) in
        [("MD-102,ms-102", true), ("MD-102", false), ("MD-102,,MS-102", false), ("MD-102,", false)]
    {
        assert_eq!(pattern.is_match(written), fits, "{written}");
    }
    // The connection limit's refusal, written before any request is read, is documented
    // as it is sent: 503, its media type, `Retry-After`.
    let refused = String::from_utf8_lossy(certwise::web::limits::REFUSED);
    assert!(refused.starts_with("HTTP/1.1 503 "), "{refused}");
    let media = refused.lines().find_map(|l| l.strip_prefix("Content-Type: ")).unwrap();
    let documented = &d["paths"]["/api/v1/answers"]["get"]["responses"]["503"];
    assert!(documented["content"][media.split(';').next().unwrap()].is_object(), "{media}");
    assert!(refused.contains("\r\nRetry-After: ") && documented["headers"]["Retry-After"].is_object());
    // The same bytes every time (built once).
    let again = common::get(&app, "/api/v1/openapi.json").await;
    assert_eq!(again.json(), d);
}

/// Every `.route("/api/v1/…", get(…))` in the routers' source, with its methods.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let route =
        Regex::new(r#"\.route\(\s*"(/api/v1/[^"]*)",\s*([a-z_:]+\([^)]*\)(?:\s*\.\s*[a-z_]+\([^)]*\))*)"#)
            .unwrap();
    let method = Regex::new(r"\b(get|post|put|patch|delete)\(").unwrap();
    let mut found = BTreeSet::new();
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for c in route.captures_iter(&source) {
                for m in method.captures_iter(&c[2]) {
                    found.insert((c[1].to_owned(), m[1].to_owned()));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn every_api_route_of_the_routers_is_documented_and_every_documented_path_is_served() {
    let routes = routes_in_source();
    assert!(routes.len() >= 8, "the route pattern found too little: {routes:?}");
    assert!(routes.contains(&("/api/v1/advisor".to_owned(), "post".to_owned())), "{routes:?}");
    let app = common::sample().await;
    let d = doc(&app).await;
    let paths = d["paths"].as_object().unwrap();
    for (path, method) in &routes {
        let op =
            &paths.get(path).unwrap_or_else(|| panic!("{path} is routed but not in the OpenAPI description"))
                [method.as_str()];
        assert!(op.is_object(), "{method} {path} is routed but not documented");
        let responses = op["responses"].as_object().unwrap();
        for status in ["200", "405", "503"] {
            assert!(responses.contains_key(status), "{method} {path} does not document {status}");
        }
    }
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            assert!(
                routes.contains(&(path.clone(), method.clone())),
                "{method} {path} is documented but no router serves it"
            );
        }
    }
}

/// A small JSON Schema check (what utoipa emits): `$ref`, `type`, `properties`,
/// `required`, `additionalProperties`, `items`, `enum`, `oneOf`/`anyOf`/`allOf`,
/// `pattern`, `minimum`/`maximum`. Errors name the place in the value.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/components/schemas/").expect("a local reference");
        let target = &doc["components"]["schemas"][name];
        assert!(target.is_object(), "{r} is not in components");
        return check(doc, target, value, at, errors);
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let is = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("unknown type {other}"),
        };
        if !types.iter().any(|t| is(t)) {
            errors.push(format!("{at}: {value} is not of type {types:?}"));
            return;
        }
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            errors.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(pattern), Some(s)) = (schema["pattern"].as_str(), value.as_str()) {
        if !Regex::new(pattern).unwrap().is_match(s) {
            errors.push(format!("{at}: {s:?} does not match {pattern}"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|min| n < min)
            || schema["maximum"].as_f64().is_some_and(|max| n > max)
        {
            errors.push(format!("{at}: {n} is out of range"));
        }
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(doc, part, value, at, errors);
    }
    for (key, exactly_one) in [("oneOf", true), ("anyOf", false)] {
        if let Some(options) = schema[key].as_array() {
            let matching = options
                .iter()
                .filter(|option| {
                    let mut sub = Vec::new();
                    check(doc, option, value, at, &mut sub);
                    sub.is_empty()
                })
                .count();
            if matching == 0 || (exactly_one && matching > 1) {
                errors.push(format!("{at}: {value} matches {matching} of the {key} options"));
            }
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            if !object.contains_key(name) {
                errors.push(format!("{at}: `{name}` is required"));
            }
        }
        let properties = schema["properties"].as_object();
        for (name, v) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(s) => check(doc, s, v, &format!("{at}.{name}"), errors),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => errors.push(format!("{at}: `{name}` is not a documented property")),
                    s @ Value::Object(_) => check(doc, s, v, &format!("{at}.{name}"), errors),
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            check(doc, items, v, &format!("{at}[{i}]"), errors);
        }
    }
}

/// Asserts that `reply` is documented for `method path` (the path as the description
/// writes it) and that its body is valid: the status, its content type, its headers, and
/// the body against the schema.
fn assert_documented(doc: &Value, method: &str, path: &str, reply: &Reply) {
    let op = &doc["paths"][path][method];
    assert!(op.is_object(), "{method} {path} is not documented");
    let status = reply.status.as_u16().to_string();
    let documented = &op["responses"][status.as_str()];
    assert!(
        documented.is_object(),
        "{method} {path} answered {status}, which it does not document: {}",
        reply.body
    );
    let kind = reply.header("content-type");
    let media = kind.split(';').next().unwrap().trim();
    let content = &documented["content"][media];
    assert!(content.is_object(), "{method} {path} {status}: `{kind}` is not documented");
    for name in documented["headers"].as_object().into_iter().flatten().map(|(k, _)| k) {
        assert!(!reply.header(name).is_empty(), "{method} {path} {status}: no {name} header");
    }
    let mut errors = Vec::new();
    check(doc, &content["schema"], &reply.json(), "$", &mut errors);
    assert!(errors.is_empty(), "{method} {path} {status} does not match its schema:\n{}", errors.join("\n"));
}

async fn send(app: &App, method: &str, uri: &str, kind: &str, body: &str) -> Reply {
    let mut req = Request::builder().method(method).uri(uri);
    if !kind.is_empty() {
        req = req.header("content-type", kind);
    }
    request(app, req.body(Body::from(body.to_owned())).unwrap()).await
}

const TEAM: &str = "name,responsibilities,held,assigned\n\
Alex Muster,device-fleet:3;endpoint-security:2,,MS-102\n\
Sam Beispiel,tenant-administration:3;identity-access:2,MD-102,\n\
Bad Row,no-such-thing:3,,\n";

#[tokio::test]
async fn real_answers_and_refusals_match_their_documentation() {
    let app = common::sample().await;
    let d = doc(&app).await;
    let cases: &[(&str, &str, &str, &str, &str, u16)] = &[
        ("get", "/api/v1/answers", "/api/v1/answers", "", "", 200),
        ("get", "/api/v1/answers?locale=en&topic=ms-102", "/api/v1/answers", "", "", 200),
        ("get", "/api/v1/answers?page=0", "/api/v1/answers", "", "", 400),
        ("get", "/api/v1/answers?locale=xx", "/api/v1/answers", "", "", 400),
        ("get", "/api/v1/answers?page=99", "/api/v1/answers", "", "", 404),
        (
            "get",
            "/api/v1/answers/en/md-102-vs-ms-102-difference",
            "/api/v1/answers/{locale}/{slug}",
            "",
            "",
            200,
        ),
        ("get", "/api/v1/answers/en/nope", "/api/v1/answers/{locale}/{slug}", "", "", 404),
        ("get", "/api/v1/certifications", "/api/v1/certifications", "", "", 200),
        ("get", "/api/v1/certifications?page=x", "/api/v1/certifications", "", "", 400),
        ("get", "/api/v1/certifications?page=", "/api/v1/certifications", "", "", 200),
        ("get", "/api/v1/certifications/md-102", "/api/v1/certifications/{code}", "", "", 200),
        ("get", "/api/v1/certifications/MS-102", "/api/v1/certifications/{code}", "", "", 200),
        ("get", "/api/v1/certifications/ZZ-1", "/api/v1/certifications/{code}", "", "", 404),
        ("get", "/api/v1/compare?codes=MD-102,MS-102,AZ-104", "/api/v1/compare", "", "", 200),
        ("get", "/api/v1/compare?codes=MD-102", "/api/v1/compare", "", "", 400),
        ("get", "/api/v1/compare?codes=MD-102,ZZ-9", "/api/v1/compare", "", "", 404),
        (
            "post",
            "/api/v1/advisor",
            "/api/v1/advisor",
            "application/json",
            r#"{"responsibilities":{"device-fleet":3,"identity-access":2},"held":["AZ-900"]}"#,
            200,
        ),
        (
            "post",
            "/api/v1/advisor",
            "/api/v1/advisor",
            "application/json",
            r#"{"responsibilities":{"device-fleet":3},"held":["md-102"]}"#,
            200,
        ),
        // One code per entry: an empty one or a list in one string is refused, naming `held`.
        (
            "post",
            "/api/v1/advisor",
            "/api/v1/advisor",
            "application/json",
            r#"{"responsibilities":{"device-fleet":3},"held":[""]}"#,
            422,
        ),
        (
            "post",
            "/api/v1/advisor",
            "/api/v1/advisor",
            "application/json",
            r#"{"responsibilities":{"device-fleet":3},"held":["AZ-900 MD-102"]}"#,
            422,
        ),
        ("post", "/api/v1/advisor", "/api/v1/advisor", "application/json", "{", 400),
        ("post", "/api/v1/advisor", "/api/v1/advisor", "text/plain", "x", 415),
        (
            "post",
            "/api/v1/advisor",
            "/api/v1/advisor",
            "application/json",
            r#"{"responsibilities":{"device-fleet":7}}"#,
            422,
        ),
        ("post", "/api/v1/plan", "/api/v1/plan", "text/csv", TEAM, 200),
        (
            "post",
            "/api/v1/plan",
            "/api/v1/plan",
            "application/json",
            r#"{"rows":[{"name":"Alex","responsibilities":{"device-fleet":3},"assigned":"MS-102"},{"nom":"x"}]}"#,
            200,
        ),
        ("post", "/api/v1/plan", "/api/v1/plan", "text/csv", "", 400),
        ("post", "/api/v1/plan", "/api/v1/plan", "application/xml", "<x/>", 415),
        ("post", "/api/v1/answers", "/api/v1/answers", "", "", 405),
        ("get", "/api/v1/advisor", "/api/v1/advisor", "", "", 405),
    ];
    for &(method, uri, path, kind, body, status) in cases {
        let reply = send(&app, &method.to_ascii_uppercase(), uri, kind, body).await;
        assert_eq!(reply.status.as_u16(), status, "{method} {uri} {body}: {}", reply.body);
        if status == 422 && body.contains("held") {
            assert_eq!(reply.json()["error"]["field"], "held", "{body}");
        }
        // A 405 is documented on the operations the path does have.
        let documented_method = match (status, path) {
            (405, "/api/v1/advisor") => "post",
            (405, _) => "get",
            _ => method,
        };
        assert_documented(&d, documented_method, path, &reply);
    }
}

#[tokio::test]
async fn the_rate_limit_answers_a_documented_429_with_retry_after() {
    let app = web::router(
        state_with(&common::database_url().await, Limits { decide_per_minute: 1, ..Limits::default() }).await,
    );
    let d = doc(&app).await;
    let body = r#"{"responsibilities":{"device-fleet":3}}"#;
    assert_eq!(send(&app, "POST", "/api/v1/advisor", "application/json", body).await.status, 200);
    let refused = send(&app, "POST", "/api/v1/plan", "text/csv", TEAM).await;
    assert_eq!(refused.status, 429);
    assert_documented(&d, "post", "/api/v1/plan", &refused);
    let refused = send(&app, "POST", "/api/v1/advisor", "application/json", body).await;
    assert_eq!(refused.status, 429);
    assert_documented(&d, "post", "/api/v1/advisor", &refused);
}

#[tokio::test]
async fn the_schema_check_itself_finds_a_wrong_body() {
    let app = common::sample().await;
    let d = doc(&app).await;
    let schema = serde_json::json!({"$ref": "#/components/schemas/AnswerList"});
    let mut errors = Vec::new();
    check(&d, &schema, &serde_json::json!({"locale": "en", "page": "1", "items": [{}]}), "$", &mut errors);
    let all = errors.join("\n");
    assert!(all.contains("$.page"), "{all}");
    assert!(all.contains("`total` is required"), "{all}");
    assert!(all.contains("$.items[0]: `slug` is required"), "{all}");
}

/// Recorded fact changes of every kind, as the store hands them to the snapshot, come out
/// of the answer's `stale_since` as documented.
#[tokio::test]
async fn every_kind_of_fact_change_in_stale_since_matches_its_documentation() {
    use certwise::domain::staleness::{Change, DomainWeight, FactChange};
    use certwise::domain::{Money, Slug, Status};
    use certwise::snapshot::Snapshot;
    let state = common::state(&common::sample_content(), "2026-12-01").await;
    let day = |s: &str| s.parse().unwrap();
    let code = |c: &str| Code::parse(c).unwrap();
    let course = Slug::parse("ms-102-microsoft-365-administrator").unwrap();
    let chf = |a: &str| Money::parse(a, "CHF").unwrap();
    let weights = |max| vec![DomainWeight { name: "Tenant".into(), weight_min: 25, weight_max: max }];
    let kinds = [
        Change::Status { from: Status::Beta, to: Status::Active },
        Change::RetiresOn { from: None, to: Some(day("2026-11-30")) },
        Change::Successor { from: None, to: Some(code("AB-650")) },
        Change::Domains { from: weights(30), to: weights(35) },
        Change::CoursePrice { course: course.clone(), from: chf("2900"), to: chf("2390.50") },
        Change::CourseDuration { course, from: 4, to: 5 },
    ];
    let recorded: Vec<FactChange> = kinds
        .into_iter()
        .map(|change| FactChange { code: code("MS-102"), on: day("2026-11-20"), change })
        .collect();
    let catalog = state.published.current().catalog.clone();
    state.published.replace(Snapshot::new(catalog).with_fact_changes(recorded));
    let app = web::router(state);
    let d = doc(&app).await;
    let reply = common::get(&app, "/api/v1/answers/en/md-102-vs-ms-102-difference").await;
    assert_documented(&d, "get", "/api/v1/answers/{locale}/{slug}", &reply);
    let kinds: Vec<String> =
        reply.json()["stale_since"].as_array().unwrap().iter().map(|c| c["kind"].to_string()).collect();
    assert_eq!(
        kinds,
        ["status", "retires_on", "successor", "domains", "course_price", "course_duration", "retired"]
            .map(|k| format!("\"{k}\"")),
        "the recorded changes, then the retirement reached"
    );
}
