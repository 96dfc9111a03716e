//! Every page type through the Nu HTML Checker (`vnu-jar` from npm, run with Java):
//! zero errors allowed. Without Java or the jar this test says SKIPPED loudly, and
//! under CI (`CI` set) it fails instead, so a check that could not run never passes.

mod common;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;

fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("VNU_JAR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar"),
        PathBuf::from,
    );
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    (jar.is_file() && java).then_some(jar)
}

#[tokio::test]
async fn every_page_type_passes_the_nu_html_checker() {
    let Some(jar) = vnu_jar() else {
        let msg = "Nu HTML Checker not available: install Java and run `npm ci` (vnu-jar)";
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        // Straight to stderr: libtest hides `eprintln!` output of passing tests.
        let _ = writeln!(std::io::stderr(), "SKIPPED: {msg}");
        return;
    };
    let sample = common::sample().await;
    let other = common::app(&common::fixture("other-vendor"), "2026-11-26").await;
    let mut pages: Vec<(&axum::Router, String, u16)> = [
        ("/en/", 200),
        ("/en/answers/", 200),
        ("/en/answers/?topic=microsoft-365", 200),
        ("/en/answers/md-102-vs-ms-102-difference", 200),
        ("/en/certifications/", 200),
        ("/en/certifications/?level=expert", 200),
        ("/en/certifications/?vendor=Nobody-Else", 400),
        ("/en/certifications/md-102", 200),
        ("/en/certifications/ms-102", 200),
        ("/en/courses/md-102-endpoint-administrator", 200),
        ("/en/topics/md-102", 200),
        ("/en/topics/certification", 200),
        ("/en/experts/andrea-keller", 200),
        ("/en/cookies", 200),
        ("/en/cookies?return_to=%2Fen%2Fanswers%2F", 200),
        ("/en/no-such-page", 404),
        ("/en/answers/?page=x", 400),
    ]
    .into_iter()
    .map(|(p, s)| (&sample, p.to_owned(), s))
    .collect();
    // every answer of both content sets: hostile Markdown included
    for (app, name) in [(&sample, "sample"), (&other, "other")] {
        let list = common::get(app, "/api/v1/answers?locale=en").await.json();
        for item in list["items"].as_array().expect("items") {
            pages.push((app, format!("/en/answers/{}", item["slug"].as_str().expect("slug")), 200));
        }
        let certs = common::get(app, "/api/v1/certifications").await.json();
        for c in certs["items"].as_array().expect("items").iter().take(if name == "sample" { 3 } else { 10 })
        {
            pages.push((
                app,
                format!("/en/certifications/{}", c["code"].as_str().expect("code").to_ascii_lowercase()),
                200,
            ));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (app, path, status)) in pages.iter().enumerate() {
        let r = common::get(app, path).await;
        assert_eq!(r.status.as_u16(), *status, "{path}");
        let file = dir.path().join(format!("page-{i:03}.html"));
        std::fs::write(&file, &r.body).unwrap();
        files.push((file, path.clone()));
    }
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .args(files.iter().map(|(f, _)| f))
        .output()
        .expect("vnu runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stderr)
        .or_else(|_| serde_json::from_slice(&out.stdout))
        .unwrap_or_else(|e| panic!("vnu output is not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let page = files
                .iter()
                .find(|(f, _)| url.ends_with(&*f.file_name().unwrap().to_string_lossy()))
                .map_or(url, |(_, p)| p);
            format!("{page}:{}: {}", m["lastLine"], m["message"].as_str().unwrap_or_default())
        })
        .collect();
    assert!(errors.is_empty(), "Nu HTML Checker errors:\n{}", errors.join("\n"));
    eprintln!("Nu HTML Checker: {} pages, 0 errors", files.len());
}
