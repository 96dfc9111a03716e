//! Snapshots of the reference page and its JSON, so a reviewer sees every change to them.
//! Update with `cargo insta review` (or `INSTA_UPDATE=always cargo test`).

mod common;

/// The per-response nonce and the form token change on every request.
macro_rules! stable {
    ($($body:tt)*) => {
        insta::with_settings!({ filters => vec![
            (r#"nonce="[A-Za-z0-9_-]+""#, r#"nonce="[nonce]""#),
            (r#"name="token" value="[0-9]+\.[A-Za-z0-9_-]+""#, r#"name="token" value="[token]""#),
            (r"(/(?:static|brand)/[a-z-]+)\.[0-9a-f]{8}\.", "$1.[hash]."),
        ]}, { $($body)* });
    };
}

#[tokio::test]
async fn reference_page_html() {
    let app = common::sample().await;
    let r = common::get(&app, "/en/answers/md-102-vs-ms-102-difference").await;
    stable! { insta::assert_snapshot!(r.body); }
}

#[tokio::test]
async fn reference_page_json() {
    let app = common::sample().await;
    let r = common::get(&app, "/api/v1/answers/en/md-102-vs-ms-102-difference").await;
    insta::assert_json_snapshot!(r.json());
}

#[tokio::test]
async fn reference_page_markdown_after_retirement() {
    let app = common::app(&common::sample_content(), "2026-12-01").await;
    let r = common::get(&app, "/en/answers/md-102-vs-ms-102-difference.md").await;
    insta::assert_snapshot!(r.body);
}
