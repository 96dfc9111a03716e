//! `certwise export OUT_DIR`: the whole public site as static files, for a CDN or any web
//! server — rendered by the site's own router in-process, so every page is the one the
//! server sends, not a second rendering of it.
//!
//! The rules:
//! - **What is exported**: every page the sitemap lists that does not need a server
//!   (`links`), in every locale, and every file those pages link to on the site's origin,
//!   followed link by link (comparison pages, Markdown twins, the stylesheet, scripts,
//!   icons and brand files under their fingerprinted names); `/robots.txt`, `/llms.txt` and
//!   its lists, each locale's feed; the sitemap (and its parts) without the pages that
//!   need a server (`web::sitemap_of`); the JSON of the API's GET addresses that need no
//!   query (`/api/v1/openapi.json`, the first page of `/api/v1/answers` and
//!   `/api/v1/certifications`, each answer and certification); every declared service's
//!   script served by the site itself (the consent script starts them in the browser); a search index per locale
//!   (`/{locale}/search-index.json`); `/index.html` sending readers to the default
//!   locale; a not-found page per locale (`/{locale}/404.html`, the default's also as
//!   `/404.html`).
//! - **Where a file goes**: an address ending in `/` is its folder's `index.html`; an HTML
//!   page is its address plus `.html`, a JSON answer its address plus `.json` (unless it
//!   ends so already); anything else keeps its address. So a server that tries `$uri`,
//!   `$uri.html`, `$uri/index.html` (and `$uri.json` under `/api/`) serves every page at
//!   its live address (docs/static/nginx.conf).
//! - **Pages are the undecided visitor's**, changed only where a file cannot do what the
//!   server did (`rewrite`): consent decided in the browser, links to what needs a server
//!   sent to `--live-url` or left out, a `<meta>` Content-Security-Policy with hashes.
//! - **A link that does not resolve fails the export**, naming the address, what it
//!   answered and a page that links to it: a static copy with holes is not written
//!   silently.

pub mod links;
pub mod rewrite;

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context as _, bail};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use serde::Serialize;
use tower::ServiceExt as _;
use url::Url;

use crate::i18n::Lang;
use crate::search::{PlainRecord, compact, plain_records};
use crate::snapshot::Snapshot;
use crate::web::{self, AppState, SITEMAP_LIMIT};
use links::Target;

/// Pages rendered at once.
const PARALLEL: usize = 32;

/// What `certwise export` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder to write (new or empty).
    pub out: PathBuf,
    /// Where the pages that need a server are (`--live-url`), checked by [`live_url`].
    pub live: Option<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// HTML pages.
    pub pages: usize,
    /// Every file, pages included.
    pub files: usize,
    pub bytes: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} page(s), {} file(s) in all, {} bytes", self.pages, self.files, self.bytes)
    }
}

/// `--live-url`: an absolute `http(s)` address without query or fragment, returned
/// without its trailing `/` (links append their path to it).
pub fn live_url(s: &str) -> Result<String, String> {
    let url = Url::parse(s)
        .map_err(|e| format!("expected an absolute address such as https://www.example.ch ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!("expected an http or https address with a host, not {s}"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(format!("the live site's address takes no query or fragment: {s}"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// One address rendered, written and read for links.
#[derive(Debug)]
enum Done {
    Written { html: bool, bytes: u64, links: Vec<String> },
    Broken { status: StatusCode },
}

/// Writes the site `state` serves into `options.out`.
pub async fn export(state: &AppState, options: &Options) -> anyhow::Result<Summary> {
    prepare_dir(&options.out)?;
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let base =
        Url::parse(&site.base_url).with_context(|| format!("the site's base_url {}", site.base_url))?;
    let cx = Arc::new(rewrite::Context { base, live: options.live.clone(), site: site.clone() });
    let out = Arc::new(options.out.clone());
    let app = web::router(state.clone());
    let mut summary = Summary::default();

    let mut queue: VecDeque<String> = VecDeque::new();
    let mut from: HashMap<String, String> = HashMap::new();
    let add = |queue: &mut VecDeque<String>, from: &mut HashMap<String, String>, path: String, by: &str| {
        if !from.contains_key(&path) {
            from.insert(path.clone(), by.to_owned());
            queue.push_back(path);
        }
    };
    // Made here, not rendered: never requested from the router.
    for (path, bytes) in extra_files(&snapshot, site.default_locale.as_str())? {
        from.insert(path.clone(), "(made here)".to_owned());
        summary.bytes += write(&out, &path, "", &bytes)?;
        summary.files += 1;
    }
    for path in seeds(&snapshot) {
        add(&mut queue, &mut from, path, "(start)");
    }
    for (path, text) in sitemaps(&snapshot)? {
        // Written here, without the pages that need a server: never rendered again.
        from.insert(path.clone(), "(sitemap)".to_owned());
        for link in text_links(&cx, &path, &text) {
            add(&mut queue, &mut from, link, &path);
        }
        summary.bytes += write(&out, &path, "application/xml", text.as_bytes())?;
        summary.files += 1;
    }

    let mut broken = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        while tasks.len() < PARALLEL {
            let Some(path) = queue.pop_front() else { break };
            let (app, cx, out) = (app.clone(), cx.clone(), out.clone());
            tasks.spawn(async move {
                let done = one(app, &cx, &out, &path).await;
                (path, done)
            });
        }
        let Some(joined) = tasks.join_next().await else { break };
        let (path, done) = joined.context("an export task failed")?;
        match done.with_context(|| format!("exporting {path}"))? {
            Done::Written { html, bytes, links } => {
                summary.files += 1;
                summary.bytes += bytes;
                summary.pages += usize::from(html);
                for link in links {
                    add(&mut queue, &mut from, link, &path);
                }
            }
            Done::Broken { status } => broken.push((path, status)),
        }
    }
    for locale in &site.locales {
        let bytes = not_found_page(&app, &cx, &out, locale, *locale == site.default_locale).await?;
        summary.bytes += bytes;
        summary.files += 1;
    }
    if !broken.is_empty() {
        broken.sort();
        let list: Vec<String> = broken
            .iter()
            .take(20)
            .map(|(path, status)| {
                format!("{path} ({status}), linked from {}", from.get(path).map_or("?", String::as_str))
            })
            .collect();
        bail!("{} linked address(es) did not render: {}", broken.len(), list.join("; "));
    }
    Ok(summary)
}

/// `dir` new, or an empty folder: an export never mixes with older files.
fn prepare_dir(dir: &Path) -> anyhow::Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!("{} is not empty: export into a new or empty folder", dir.display());
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
        }
        Err(e) => Err(e).with_context(|| format!("reading {}", dir.display())),
    }
}

/// The addresses the crawl starts from, besides what the sitemap lists.
fn seeds(snapshot: &Snapshot) -> Vec<String> {
    let catalog = &snapshot.catalog;
    let mut out: Vec<String> =
        ["/robots.txt", "/llms.txt", "/favicon.ico", "/api/v1/openapi.json", "/api/v1/certifications"]
            .into_iter()
            .map(str::to_owned)
            .collect();
    out.push("/api/v1/answers".to_owned());
    for locale in &catalog.site.locales {
        out.push(format!("/{locale}/feed.xml"));
        for a in snapshot.answers(locale) {
            out.push(format!("/api/v1/answers/{locale}/{}", a.slug));
        }
    }
    out.extend(catalog.certifications.keys().map(|c| format!("/api/v1/certifications/{c}")));
    // The services' scripts on the site itself (another origin's are the service's).
    if let Ok(base) = Url::parse(&catalog.site.base_url) {
        out.extend(catalog.site.services.iter().filter_map(|s| {
            match links::classify(&base, &base, s.script_src.as_deref()?) {
                Target::Static { path, .. } => Some(path),
                Target::Server { .. } | Target::Foreign => None,
            }
        }));
    }
    out
}

/// The sitemap and its parts, without the pages that need a server: `(path, text)`.
fn sitemaps(snapshot: &Snapshot) -> anyhow::Result<Vec<(String, String)>> {
    let keep = |path: &str| links::is_static_page(path);
    let main = web::sitemap_of(snapshot, None, SITEMAP_LIMIT, &keep).context("the sitemap did not render")?;
    let mut out = vec![("/sitemap.xml".to_owned(), main)];
    for n in 1.. {
        match web::sitemap_of(snapshot, Some(n), SITEMAP_LIMIT, &keep) {
            Some(part) => out.push((format!("/sitemaps/{n}.xml"), part)),
            None => break,
        }
    }
    Ok(out)
}

/// The search index of a locale, as `static/static-search.js` reads it.
#[derive(Serialize)]
struct SearchIndex {
    /// Every certification's code in compact form (`md102`).
    codes: Vec<String>,
    labels: HashMap<&'static str, String>,
    records: Vec<PlainRecord>,
}

/// Files made here rather than rendered: each locale's search index, and `/index.html`,
/// which sends readers to the default locale (the server picks one by `Accept-Language`).
fn extra_files(snapshot: &Snapshot, default_locale: &str) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let catalog = &snapshot.catalog;
    let codes: Vec<String> = catalog.certifications.keys().map(|c| compact(c.as_str())).collect();
    let mut out = Vec::new();
    for locale in &catalog.site.locales {
        let lang = Lang::of(locale);
        let s = lang.ui().search;
        let labels = HashMap::from([
            ("results_for", s.results_for.to_owned()),
            ("nothing", s.nothing.to_owned()),
            ("answer", s.answers.to_owned()),
            ("certification", s.certifications.to_owned()),
            ("course", s.courses.to_owned()),
            ("topic", s.topics.to_owned()),
            ("summary", lang.phrase("search-count", &[("n", "{count}".into())])),
        ]);
        let index = SearchIndex { codes: codes.clone(), labels, records: plain_records(snapshot, locale) };
        out.push((format!("/{locale}/search-index.json"), serde_json::to_vec(&index)?));
    }
    let name = escape(&catalog.site.name);
    let to = format!("/{default_locale}/");
    let redirect = format!(
        "<!DOCTYPE html>\n<html lang=\"{default_locale}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{name}</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<link rel=\"canonical\" href=\"{}{to}\">\n</head>\n\
         <body>\n<p><a href=\"{to}\">{name}</a></p>\n</body>\n</html>\n",
        escape(&catalog.site.base_url)
    );
    out.push(("/".to_owned(), redirect.into_bytes()));
    Ok(out)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Renders `path` through the router and writes its static copy.
async fn one(app: web::App, cx: &rewrite::Context, out: &Path, path: &str) -> anyhow::Result<Done> {
    let (status, content_type, body) = render(app, path).await?;
    if status != StatusCode::OK {
        return Ok(Done::Broken { status });
    }
    let (bytes, links, html) = copy(cx, path, &content_type, &body)?;
    let written = write(out, path, &content_type, &bytes)?;
    Ok(Done::Written { html, bytes: written, links })
}

async fn render(app: web::App, path: &str) -> anyhow::Result<(StatusCode, String, bytes::Bytes)> {
    let request = Request::get(path).body(Body::empty()).context("the address is not a request path")?;
    let response = app.oneshot(request).await.unwrap_or_else(|never| match never {});
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| anyhow::anyhow!("reading the body: {e}"))?
        .to_bytes();
    Ok((status, content_type, body))
}

/// The static copy of one rendered file, the site's files it links to, and whether it
/// is a page.
fn copy(
    cx: &rewrite::Context,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> anyhow::Result<(Vec<u8>, Vec<String>, bool)> {
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    let text = || std::str::from_utf8(body).with_context(|| format!("{path} is {mime} but not UTF-8"));
    match mime {
        "text/html" => {
            let page = rewrite::page(cx, path, locale_of(cx, path), text()?)?;
            Ok((page.html.into_bytes(), page.links, true))
        }
        "text/markdown" | "text/plain" => {
            let copied = rewrite::text_file(cx, path, text()?)?;
            let links = text_links(cx, path, &copied);
            Ok((copied.into_bytes(), links, false))
        }
        "application/xml" | "application/atom+xml" | "application/json" => {
            Ok((body.to_vec(), text_links(cx, path, text()?), false))
        }
        _ => Ok((body.to_vec(), Vec::new(), false)),
    }
}

/// The locale of a page's path (its first segment), else the default.
fn locale_of<'a>(cx: &'a rewrite::Context, path: &'a str) -> &'a str {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    if cx.site.locales.iter().any(|l| l == first) { first } else { &cx.site.default_locale }
}

/// The site's files that a text names by absolute address on the site's origin.
fn text_links(cx: &rewrite::Context, path: &str, text: &str) -> Vec<String> {
    let Ok(page) = cx.base.join(path) else { return Vec::new() };
    let prefix = cx.site.base_url.trim_end_matches('/');
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let tail = &rest[at + prefix.len()..];
        let end = tail.find(|c: char| c.is_whitespace() || "<>\"')".contains(c)).unwrap_or(tail.len());
        let address = &tail[..end];
        if address.starts_with('/') {
            if let Target::Static { path, .. } = links::classify(&cx.base, &page, address) {
                out.push(path);
            }
        }
        rest = &tail[end..];
    }
    out
}

/// Writes the bytes of `path` where a static server looks for them (module docs);
/// returns how many.
fn write(out: &Path, path: &str, content_type: &str, bytes: &[u8]) -> anyhow::Result<u64> {
    let file = out.join(file_for(path, content_type)?);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(&file, bytes).with_context(|| format!("writing {}", file.display()))?;
    Ok(bytes.len() as u64)
}

/// The file of an address, relative to the export's folder.
pub fn file_for(path: &str, content_type: &str) -> anyhow::Result<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .with_context(|| format!("{path} is not UTF-8 once decoded"))?;
    let mut segments: Vec<&str> = decoded.trim_start_matches('/').split('/').collect();
    if segments.iter().rev().skip(1).any(|s| s.is_empty())
        || segments.iter().any(|s| matches!(*s, "." | ".."))
    {
        bail!("{path} cannot be a file name");
    }
    let mime = content_type.split(';').next().unwrap_or_default().trim();
    let last = segments.pop().unwrap_or_default();
    let ends =
        |name: &str, ext: &str| Path::new(name).extension().is_some_and(|e| e.eq_ignore_ascii_case(ext));
    let name = match (last, mime) {
        ("", _) => "index.html".to_owned(),
        (name, "text/html") if !ends(name, "html") => format!("{name}.html"),
        (name, "application/json") if !ends(name, "json") => format!("{name}.json"),
        (name, _) => name.to_owned(),
    };
    let mut file: PathBuf = segments.iter().collect();
    file.push(name);
    Ok(file)
}

/// The not-found page of `locale` as `/{locale}/404.html` (and `/404.html` for the
/// default locale): what the server shows for an unknown address, for the host's
/// `error_page`.
async fn not_found_page(
    app: &web::App,
    cx: &rewrite::Context,
    out: &Path,
    locale: &str,
    default: bool,
) -> anyhow::Result<u64> {
    let probe = format!("/{locale}/certwise-export-no-such-page");
    let (status, content_type, body) = render(app.clone(), &probe).await?;
    if status != StatusCode::NOT_FOUND {
        bail!("{probe} answered {status}, not the not-found page");
    }
    let (bytes, _, _) = copy(cx, &probe, &content_type, &body)?;
    let mut written = write(out, &format!("/{locale}/404"), &content_type, &bytes)?;
    if default {
        written += write(out, "/404", &content_type, &bytes)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_the_files_a_static_server_tries() {
        let html = "text/html; charset=utf-8";
        let f = |p: &str, t: &str| file_for(p, t).unwrap().to_string_lossy().into_owned();
        assert_eq!(f("/", html), "index.html");
        assert_eq!(f("/en/", html), "en/index.html");
        assert_eq!(f("/en/answers/md-102-vs-ms-102", html), "en/answers/md-102-vs-ms-102.html");
        assert_eq!(f("/en/answers/md-102-vs-ms-102.md", "text/markdown"), "en/answers/md-102-vs-ms-102.md");
        assert_eq!(f("/api/v1/answers", "application/json"), "api/v1/answers.json");
        assert_eq!(f("/api/v1/openapi.json", "application/json"), "api/v1/openapi.json");
        assert_eq!(f("/static/site.12345678.css", "text/css"), "static/site.12345678.css");
        assert_eq!(f("/de/themen/ger%C3%A4te", html), "de/themen/geräte.html");
        assert!(file_for("/en/../../etc/passwd", html).is_err());
        assert!(file_for("/en//x", html).is_err());
    }

    #[test]
    fn the_live_address_is_checked() {
        assert_eq!(live_url("https://live.example.ch/").unwrap(), "https://live.example.ch");
        assert_eq!(live_url("https://example.ch/site").unwrap(), "https://example.ch/site");
        assert!(live_url("example.ch").is_err());
        assert!(live_url("ftp://example.ch").is_err());
        assert!(live_url("https://example.ch/?x=1").is_err());
    }
}
