//! `certwise export`: the sample site written as static files, then read back as a static
//! server would serve it (`try_files $uri $uri.html $uri/index.html`, and `$uri.json`
//! under `/api/`): every sitemap address has its file, every link on every page resolves
//! to one, the Content-Security-Policy's hashes are exactly the pages' inline scripts, and
//! no non-essential service's script runs before consent.

mod common;

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use base64::Engine as _;
use certwise::static_site::{self, Options};
use regex::Regex;
use sha2::{Digest, Sha256};

const BASE: &str = "https://www.example.ch";
const LIVE: &str = "https://live.example.ch";

async fn export(live: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("site");
    let options = Options { out: out.clone(), live: live.map(str::to_owned) };
    let summary = static_site::export(&state, &options).await.expect("the sample exports");
    assert!(summary.pages > 100, "{summary}");
    (dir, out)
}

/// The file a static server with the sample configuration serves for `path`.
fn served(out: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.trim_start_matches('/');
    let mut tries = vec![out.join(rel), out.join(format!("{rel}.html")), out.join(rel).join("index.html")];
    if rel.starts_with("api/") {
        tries.push(out.join(format!("{rel}.json")));
    }
    tries.into_iter().find(|f| f.is_file())
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path, ext));
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?:href|src|action|data-src)="([^"]*)""#).unwrap());
static SCRIPT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>").unwrap());
static HASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"'sha256-([^']+)'").unwrap());
static TYPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"type="([^"]*)""#).unwrap());
static ABSOLUTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"https://www\.example\.ch(/[^\s)<]*)").unwrap());
static CSP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"<meta http-equiv="Content-Security-Policy" content="([^"]*)">"#).unwrap());

/// The site's own addresses a page links to: `(path without query or fragment, query)`.
fn own_links(html: &str) -> Vec<(String, Option<String>)> {
    LINK.captures_iter(html)
        .filter_map(|c| {
            let href = c[1].replace("&amp;", "&");
            let rest = if let Some(rest) = href.strip_prefix(BASE) {
                rest.to_owned()
            } else if href.starts_with('/') && !href.starts_with("//") {
                href
            } else {
                return None;
            };
            let rest = rest.split('#').next().unwrap_or_default().to_owned();
            let (path, query) = match rest.split_once('?') {
                Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
                None => (rest, None),
            };
            Some((if path.is_empty() { "/".to_owned() } else { path }, query))
        })
        .collect()
}

#[tokio::test]
async fn every_sitemap_address_and_every_link_resolves_to_a_file() {
    let (_dir, out) = export(None).await;
    let sitemap = read(&out.join("sitemap.xml"));
    let locs: Vec<&str> = Regex::new(r"<loc>([^<]*)</loc>")
        .unwrap()
        .captures_iter(&sitemap)
        .map(|c| c.get(1).unwrap().as_str())
        .collect();
    assert!(locs.len() > 100, "{} addresses in the sitemap", locs.len());
    for loc in &locs {
        let path = loc.strip_prefix(BASE).unwrap_or_else(|| panic!("{loc} is not on {BASE}"));
        assert!(served(&out, path).is_some(), "the sitemap lists {loc}, which has no file");
        assert!(!path.ends_with("/advisor") && !path.ends_with("/plan"), "{loc} needs a server");
    }
    for path in
        ["/", "/en/", "/en/answers/md-102-vs-ms-102-difference", "/en/answers/md-102-vs-ms-102-difference.md"]
    {
        assert!(served(&out, path).is_some(), "{path} has no file");
    }
    for path in
        ["/api/v1/openapi.json", "/api/v1/answers", "/api/v1/certifications", "/api/v1/certifications/MD-102"]
    {
        let file = served(&out, path).unwrap_or_else(|| panic!("{path} has no file"));
        serde_json::from_str::<serde_json::Value>(&read(&file)).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    for path in ["/robots.txt", "/llms.txt", "/en/feed.xml", "/de/feed.xml", "/404.html", "/fr/404.html"] {
        assert!(served(&out, path).is_some(), "{path} has no file");
    }
    let pages = files(&out, "html");
    assert!(pages.len() > 100);
    let mut checked = HashSet::new();
    for page in &pages {
        let html = read(page);
        for (path, query) in own_links(&html) {
            if let Some(q) = &query {
                assert!(
                    path.ends_with("/search") && q.starts_with("q="),
                    "{}: a link needs a query: {path}?{q}",
                    page.display()
                );
            }
            if checked.insert(path.clone()) {
                assert!(
                    served(&out, &path).is_some(),
                    "{} links to {path}, which has no file",
                    page.display()
                );
            }
            assert!(
                !path.ends_with("/advisor") && !path.ends_with("/plan") && path != "/consent",
                "{}: {path}",
                page.display()
            );
        }
    }
    // Text files name the site's files by absolute address.
    for file in ["llms.txt", "robots.txt"] {
        let text = read(&out.join(file));
        for path in ABSOLUTE.captures_iter(&text).map(|c| c[1].to_owned()) {
            assert!(served(&out, &path).is_some(), "{file} names {path}, which has no file");
        }
        assert!(!text.contains("/advisor)") && !text.contains("/plan)"), "{file}:\n{text}");
    }
}

#[tokio::test]
async fn the_policy_allows_exactly_the_inline_scripts_and_no_service_runs_before_consent() {
    let (_dir, out) = export(None).await;
    let site =
        certwise::content::check_dir(&common::sample_content()).catalog.expect("the sample checks").site;
    let services: Vec<(String, String)> = site
        .services
        .iter()
        .filter_map(|s| {
            Some((certwise::domain::Vocabulary::as_str(s.category).to_owned(), s.script_src.clone()?))
        })
        .collect();
    assert!(!services.is_empty(), "the sample declares non-essential services with scripts");
    for page in files(&out, "html").iter().filter(|p| !p.ends_with("index.html") || p.parent() != Some(&out))
    {
        let html = read(page);
        let csp =
            CSP.captures(&html).unwrap_or_else(|| panic!("{} has no CSP meta", page.display()))[1].to_owned();
        assert!(!csp.contains("nonce") && !html.contains(" nonce="), "{}: a nonce in a file", page.display());
        assert!(
            html.find("Content-Security-Policy") < html.find("<script"),
            "{}: the policy comes first",
            page.display()
        );
        let allowed: BTreeSet<String> = HASH.captures_iter(&csp).map(|c| c[1].to_owned()).collect();
        let mut inline = BTreeSet::new();
        for script in SCRIPT.captures_iter(&html) {
            let attrs = &script["attrs"];
            let kind = TYPE.captures(attrs).map(|c| c[1].to_ascii_lowercase());
            let runs =
                kind.as_deref().is_none_or(|t| t.is_empty() || t.ends_with("javascript") || t == "module");
            if attrs.contains(" src=") {
                for (_, src) in &services {
                    assert!(
                        !attrs.contains(&format!(" src=\"{src}\"")),
                        "{}: {src} is active before consent",
                        page.display()
                    );
                }
                assert!(runs, "{}: a script with src that does not run: {attrs}", page.display());
            } else if runs {
                inline.insert(
                    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&script["body"])),
                );
            }
        }
        assert_eq!(allowed, inline, "{}: the policy's hashes are the inline scripts'", page.display());
        assert!(csp.contains("script-src 'self'") && csp.contains("form-action 'self'"), "{csp}");
        for (category, src) in &services {
            let inert = format!(
                "<script type=\"text/plain\" data-consent=\"{category}\" data-src=\"{src}\" data-cookies="
            );
            assert!(html.contains(&inert), "{}: {src} is not there inert", page.display());
            assert!(served(&out, src).is_some(), "{src} has no file");
        }
        if html.contains("id=\"consent-banner\"") {
            assert!(html.contains("<section id=\"consent-banner\" class=\"consent-banner\" aria-labelledby=\"consent-banner-title\" hidden"), "{}", page.display());
        }
        assert!(!html.contains("name=\"token\""), "{}: a form token in a file", page.display());
    }
}

#[tokio::test]
async fn search_has_an_index_that_knows_codes_however_typed() {
    let (_dir, out) = export(None).await;
    let index: serde_json::Value = serde_json::from_str(&read(&out.join("en/search-index.json"))).unwrap();
    let codes: Vec<&str> = index["codes"].as_array().unwrap().iter().filter_map(|c| c.as_str()).collect();
    assert!(codes.contains(&"md102"), "{codes:?}");
    let records = index["records"].as_array().unwrap();
    let md102: Vec<&str> = records
        .iter()
        .filter(|r| r["codes"].as_array().unwrap().iter().any(|c| c == "md102"))
        .map(|r| r["url"].as_str().unwrap())
        .collect();
    assert!(md102.contains(&"/en/certifications/md-102"), "{md102:?}");
    assert!(md102.iter().any(|u| u.starts_with("/en/answers/")), "{md102:?}");
    for url in &md102 {
        assert!(served(&out, url).is_some(), "the index links to {url}, which has no file");
    }
    let page = read(&out.join("en/search.html"));
    assert!(
        page.contains("/static/static-search.") && !page.contains("/static/search."),
        "the static search script"
    );
    assert!(index["labels"]["summary"].as_str().unwrap().contains("{count}"), "{}", index["labels"]);
}

#[tokio::test]
async fn pages_that_need_a_server_link_to_the_live_site() {
    let (_dir, out) = export(Some(LIVE)).await;
    let home = read(&out.join("en/index.html"));
    assert!(home.contains(&format!("href=\"{LIVE}/en/advisor\"")), "the advisor is live");
    assert!(home.contains(&format!("href=\"{LIVE}/en/plan\"")), "the planner is live");
    let course = read(&out.join("en/courses/md-102-endpoint-administrator.html"));
    assert!(
        !course.contains("inquiry-form") && !course.contains("method=\"post\" action=\"/en"),
        "no inquiry form"
    );
    assert!(
        course.contains(&format!("href=\"{LIVE}/en/courses/md-102-endpoint-administrator#inquiry\"")),
        "the live inquiry"
    );
    assert!(
        course.contains(&format!("{LIVE}/en/courses/md-102-endpoint-administrator?session=")),
        "a session's place"
    );
    let catalog = read(&out.join("en/certifications/index.html"));
    assert!(
        catalog.contains(&format!("action=\"{LIVE}/en/certifications/\"")),
        "the filters ask the live site"
    );
    let csp = CSP.captures(&catalog).unwrap()[1].to_owned();
    assert!(csp.contains(&format!("form-action 'self' {LIVE}")), "{csp}");
    let llms = read(&out.join("llms.txt"));
    assert!(llms.contains(&format!("]({LIVE}/en/advisor)")), "{llms}");
}

#[tokio::test]
async fn without_a_live_site_what_needs_a_server_is_left_out() {
    let (_dir, out) = export(None).await;
    let home = read(&out.join("en/index.html"));
    assert!(!home.contains("aria-labelledby=\"decide\""), "the advisor and planner cards are left out");
    assert!(!home.contains("<li></li>") && !home.contains("<p></p>"), "no empty blocks");
    assert!(!out.join("en/advisor.html").exists() && !out.join("en/plan.html").exists());
    let course = read(&out.join("en/courses/md-102-endpoint-administrator.html"));
    assert!(!course.contains("id=\"inquiry\"") && !course.contains("#inquiry"), "no inquiry");
    assert!(!read(&out.join("en/certifications/index.html")).contains("class=\"filters\""), "no filters");
    assert!(!read(&out.join("en/search.html")).contains("class=\"filters\""), "no search filters");
    assert!(course.contains("<td></td></tr>"), "a session's request cell is empty, the table whole");
    assert!(!course.contains("Request a place<span"), "no request without its link");
}

#[tokio::test]
async fn an_export_refuses_a_folder_with_files() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.html"), "old").unwrap();
    let err =
        static_site::export(&state, &Options { out: dir.path().to_owned(), live: None }).await.unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err:#}");
}

#[tokio::test]
async fn the_cookie_settings_name_what_the_browser_keeps_not_the_servers_cookies() {
    let (_dir, out) = export(None).await;
    for (locale, purpose) in [
        ("en", "local storage, not a cookie"),
        ("de", "lokaler Speicher, kein Cookie"),
        ("fr", "stockage local, pas un cookie"),
    ] {
        let page = served(&out, &format!("/{locale}/cookies")).expect("a cookie settings page");
        let html = read(&page);
        assert!(html.contains("<code>certwise-consent</code>"), "{locale}: the storage key is named");
        assert!(html.contains(purpose), "{locale}: the purpose says where the choice is kept");
        assert!(
            !html.contains("cw_consent"),
            "{locale}: the server's consent cookie is not on a static site"
        );
        assert!(!html.contains("cw_session"), "{locale}: there is no editors' area to log in to");
    }
}
