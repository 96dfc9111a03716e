//! The harness for tests that drive the whole application in-process.

#![allow(dead_code, reason = "each test binary uses a different part of the harness")]

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use certwise::app::{self, Config};
use certwise::web::App;
use certwise::web::{self, AppState, Clock};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub fn sample_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The application over an in-memory database with `content` imported, as of `today`.
pub async fn state(content: &Path, today: &str) -> AppState {
    let config = Config::new("sqlite::memory:", content, Clock::Fixed(today.parse().expect("test date")));
    app::prepare(&config).await.expect("the test content imports")
}

pub async fn app(content: &Path, today: &str) -> App {
    web::router(state(content, today).await)
}

/// The sample site as of 2026-11-26 (MS-102 still retiring).
pub async fn sample() -> App {
    app(&sample_content(), "2026-11-26").await
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn request(app: &App, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("the router is infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &App, uri: &str) -> Reply {
    request(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

/// The text of an HTML fragment as a reader sees it: tags dropped (each one a space),
/// whitespace collapsed, the non-breaking hyphen of `5‑day` read as a hyphen.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(if c == '\u{2011}' { '-' } else { c }),
            _ => {}
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    // A tag between a word and its punctuation is not a space to the reader.
    [" ?", " .", " ,", " :", " )"].iter().fold(collapsed, |t, p| t.replace(p, &p[1..]))
}
