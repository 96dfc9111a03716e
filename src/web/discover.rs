//! How machines find the site: `/sitemap.xml`, `/robots.txt`, an Atom feed per locale
//! and `/llms.txt`, built from the snapshot; the page cache stores them like pages
//! (`cache::cacheable`). Which versions a page has in the site's locales is
//! `alternates`' rule; the sitemap lists them as its alternates.
//!
//! The rules:
//! - **Sitemap.** Every public page of every locale without a query: home, the four lists,
//!   answers, certifications, courses, topics, experts, plain pages, advisor, planner and
//!   the search page. Not comparison pages (any 2–4 certifications make one: they are
//!   reached through certification pages, and listing every pair would swamp the file),
//!   not the cookie settings, not a list's further pages. `lastmod` is the newest date
//!   the page shows: an answer's review (or publication) date; for home, the answers
//!   list, a topic and an expert, the newest of their answers in that locale; for a
//!   certification, the newest of its sources' `checked_on` and its answers; for every
//!   other page, the catalog's newest such date. Past [`SITEMAP_LIMIT`] URLs the sitemap
//!   becomes an index of parts `/sitemaps/{n}.xml`.
//! - **Feed.** The newest [`FEED_SIZE`] answers of a locale by publication date, each
//!   `updated` on its review date.
//! - **llms.txt.** The main pages of each locale, the API's description, and every
//!   answer's Markdown twin — inline while the file stays within [`LLMS_LIMIT`] links,
//!   else in lists of at most [`LLMS_LIMIT`] per locale (`/llms/{locale}-{n}.txt`), which
//!   are served in either case.

use std::fmt::Write as _;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;

use super::AppState;
use super::alternates::{autonym, feed_path, feed_title, hreflang_links, versions};
use super::answers::answer_path;
use super::error::PageError;
use super::extract::PagePath;
use crate::domain::Answer;
use crate::i18n::Lang;
use crate::snapshot::Snapshot;

/// The most URLs in one sitemap file (the protocol allows 50,000).
pub const SITEMAP_LIMIT: usize = 30_000;
/// Answers in a locale's feed.
pub const FEED_SIZE: usize = 50;
/// The most links in one llms file.
pub const LLMS_LIMIT: usize = 1_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sitemap.xml", get(sitemap_file))
        .route("/sitemaps/{file}", get(sitemap_part))
        .route("/robots.txt", get(robots))
        .route("/llms.txt", get(llms))
        .route("/llms/{file}", get(llms_part))
        .route("/{locale}/feed.xml", get(feed))
}

// -- dates ---------------------------------------------------------------------------

/// The date an answer last changed: its review, or its publication if later.
fn answer_date(a: &Answer) -> NaiveDate {
    a.reviewed_on.max(a.published_on)
}

/// The catalog's newest date: of any answer, and of any source checked.
fn catalog_date(snapshot: &Snapshot) -> Option<NaiveDate> {
    let catalog = &snapshot.catalog;
    catalog
        .answers
        .iter()
        .map(answer_date)
        .chain(catalog.certifications.values().flat_map(|c| c.sources.iter().map(|s| s.checked_on)))
        .max()
}

fn newest<'a>(answers: impl Iterator<Item = &'a Answer>) -> Option<NaiveDate> {
    answers.map(answer_date).max()
}

// -- sitemap -------------------------------------------------------------------------

/// One URL of the sitemap.
#[derive(Debug)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct UrlSet<'a> {
    urls: &'a [SitemapUrl],
}

#[derive(Template)]
#[template(path = "sitemap_index.xml")]
struct SitemapIndex {
    parts: Vec<(String, Option<String>)>,
}

/// Every page the sitemap lists, locale by locale, as `(path, lastmod)`.
fn sitemap_pages(snapshot: &Snapshot) -> Vec<(String, Option<NaiveDate>)> {
    let catalog = &snapshot.catalog;
    let everything = catalog_date(snapshot);
    let mut out = Vec::new();
    for locale in &catalog.site.locales {
        let locale_date = newest(snapshot.answers(locale)).or(everything);
        out.push((format!("/{locale}/"), locale_date));
        out.push((format!("/{locale}/answers/"), locale_date));
        for list in ["certifications", "courses", "topics"] {
            out.push((format!("/{locale}/{list}/"), everything));
        }
        for page in ["advisor", "plan", "search"] {
            out.push((format!("/{locale}/{page}"), everything));
        }
        out.extend(snapshot.answers(locale).map(|a| (answer_path(a), Some(answer_date(a)))));
        for c in catalog.certifications.values() {
            let date = c
                .sources
                .iter()
                .map(|s| s.checked_on)
                .chain(newest(snapshot.answers_naming(locale, &c.code)))
                .max()
                .or(everything);
            out.push((format!("/{locale}/certifications/{}", c.code.to_lowercase()), date));
        }
        for slug in catalog.courses.keys() {
            out.push((format!("/{locale}/courses/{slug}"), everything));
        }
        for slug in snapshot.topics() {
            let date = newest(snapshot.answers_with_topic(locale, slug)).or(everything);
            out.push((format!("/{locale}/topics/{slug}"), date));
        }
        for slug in catalog.experts.keys() {
            let date = newest(snapshot.answers_by_expert(locale, slug)).or(everything);
            out.push((format!("/{locale}/experts/{slug}"), date));
        }
        for page in catalog.pages.iter().filter(|p| p.locale == *locale) {
            out.push((format!("/{locale}/{}", page.slug), everything));
        }
    }
    out
}

/// `/sitemap.xml` (`part` is `None`) or its part `n` (1-based), with at most `limit`
/// URLs to a file: the URL set while every URL fits in one file, else the index of the
/// parts. `None` for a part that does not exist (also every part while one file holds
/// all). Public so that tests can split a small catalog.
pub fn sitemap(snapshot: &Snapshot, part: Option<usize>, limit: usize) -> Option<String> {
    sitemap_of(snapshot, part, limit, &|_| true)
}

/// [`sitemap`] listing only the pages whose path `keep` accepts: the static export leaves
/// out the pages that need a server (`static_site::links`).
pub fn sitemap_of(
    snapshot: &Snapshot,
    part: Option<usize>,
    limit: usize,
    keep: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let limit = limit.max(1);
    let mut pages = sitemap_pages(snapshot);
    pages.retain(|(path, _)| keep(path));
    let base = &snapshot.catalog.site.base_url;
    let url = |(path, date): &(String, Option<NaiveDate>)| SitemapUrl {
        loc: format!("{base}{path}"),
        lastmod: date.map(|d| d.to_string()),
        alternates: hreflang_links(snapshot, &versions(snapshot, path)),
    };
    let chunks: Vec<&[(String, Option<NaiveDate>)]> = pages.chunks(limit).collect();
    let rendered = match part {
        None if chunks.len() <= 1 => {
            let urls: Vec<SitemapUrl> = pages.iter().map(url).collect();
            UrlSet { urls: &urls }.render()
        }
        None => SitemapIndex {
            parts: chunks
                .iter()
                .enumerate()
                .map(|(i, chunk)| {
                    let lastmod = chunk.iter().filter_map(|(_, d)| *d).max().map(|d| d.to_string());
                    (format!("{base}/sitemaps/{}.xml", i + 1), lastmod)
                })
                .collect(),
        }
        .render(),
        Some(n) if chunks.len() > 1 => {
            let chunk = chunks.get(n.checked_sub(1)?)?;
            let urls: Vec<SitemapUrl> = chunk.iter().map(url).collect();
            UrlSet { urls: &urls }.render()
        }
        Some(_) => return None,
    };
    rendered.map_err(|e| tracing::error!(error = %e, "sitemap failed to render")).ok()
}

/// The number of a part as its address writes it: digits, no leading zero (`1`, `12`).
fn part_number(s: &str) -> Option<usize> {
    let n = s.parse::<usize>().ok()?;
    (n.to_string() == s).then_some(n)
}

fn xml(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn sitemap_file(State(state): State<AppState>) -> Result<Response, PageError> {
    let body = sitemap(&state.published.current(), None, SITEMAP_LIMIT)
        .ok_or_else(|| PageError::internal("the sitemap did not render"))?;
    Ok(xml("application/xml; charset=utf-8", body))
}

async fn sitemap_part(
    State(state): State<AppState>,
    PagePath(file): PagePath<String>,
) -> Result<Response, PageError> {
    let n = file.strip_suffix(".xml").and_then(part_number).ok_or(PageError::NotFound)?;
    let body = sitemap(&state.published.current(), Some(n), SITEMAP_LIMIT).ok_or(PageError::NotFound)?;
    Ok(xml("application/xml; charset=utf-8", body))
}

// -- robots.txt ----------------------------------------------------------------------

async fn robots(State(state): State<AppState>) -> Response {
    let base = state.published.current().catalog.site.base_url.clone();
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin/\nDisallow: /consent\nDisallow: /api/v1/advisor\n\
         Disallow: /api/v1/plan\n\nSitemap: {base}/sitemap.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

// -- feed ----------------------------------------------------------------------------

/// An Atom timestamp for a day (midnight UTC).
fn atom_time(d: NaiveDate) -> String {
    format!("{d}T00:00:00Z")
}

#[derive(Debug)]
struct FeedEntry {
    id: String,
    title: String,
    updated: String,
    published: String,
    summary: String,
    author: String,
}

#[derive(Template)]
#[template(path = "feed.xml")]
struct Feed {
    locale: String,
    id: String,
    title: String,
    updated: String,
    alternate: String,
    author: String,
    entries: Vec<FeedEntry>,
}

async fn feed(
    State(state): State<AppState>,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let site = &snapshot.catalog.site;
    let base = &site.base_url;
    let answers: Vec<&Answer> = snapshot.answers(&locale).take(FEED_SIZE).collect();
    let updated =
        newest(answers.iter().copied()).or_else(|| catalog_date(&snapshot)).unwrap_or(state.clock.today());
    let entries = answers
        .iter()
        .map(|a| FeedEntry {
            id: format!("{base}{}", answer_path(a)),
            title: a.question.clone(),
            updated: atom_time(answer_date(a)),
            published: atom_time(a.published_on),
            summary: a.short_answer.clone(),
            author: snapshot
                .catalog
                .experts
                .get(&a.author)
                .map_or_else(|| a.author.to_string(), |e| e.name.clone()),
        })
        .collect();
    let page = Feed {
        id: format!("{base}{}", feed_path(&locale)),
        title: feed_title(&site.name, &locale),
        updated: atom_time(updated),
        alternate: format!("{base}/{locale}/answers/"),
        author: site.name.clone(),
        locale,
        entries,
    };
    let body = page.render().map_err(PageError::internal)?;
    Ok(xml("application/atom+xml; charset=utf-8", body))
}

// -- llms.txt ------------------------------------------------------------------------

/// Link text in Markdown: brackets and backslashes escaped, on one line.
fn link_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]").replace(['\n', '\r'], " ")
}

/// How many lists of Markdown twins a locale has, `limit` to a list.
fn llms_parts(snapshot: &Snapshot, locale: &str, limit: usize) -> usize {
    snapshot.answers(locale).count().div_ceil(limit.max(1))
}

/// A locale's main pages as llms.txt links them: `(name, path)`.
fn main_pages<'a>(snapshot: &'a Snapshot, locale: &str) -> Vec<(&'a str, String)> {
    let ui = Lang::of(locale).ui();
    vec![
        (snapshot.catalog.site.name.as_str(), format!("/{locale}/")),
        (ui.answers, format!("/{locale}/answers/")),
        (ui.certifications, format!("/{locale}/certifications/")),
        (ui.courses, format!("/{locale}/courses/")),
        (ui.topics, format!("/{locale}/topics/")),
        (ui.decide.advisor, format!("/{locale}/advisor")),
        (ui.decide.planner, format!("/{locale}/plan")),
        ("Atom feed", feed_path(locale)),
    ]
}

/// The links of llms.txt's last section: `(name, path)`.
const API_LINKS: [(&str, &str); 3] = [
    ("OpenAPI description of the JSON API", "/api/v1/openapi.json"),
    ("Answers as JSON", "/api/v1/answers"),
    ("Sitemap", "/sitemap.xml"),
];

/// `/llms.txt` with at most `limit` answers' links in it: the summary, each locale's main
/// pages and its answers' Markdown twins — or, when all of them would pass `limit`
/// links, the locale's lists of twins (`/llms/{locale}-{n}.txt`) — and the API. Public so
/// that tests can split a small catalog.
pub fn llms_txt(snapshot: &Snapshot, limit: usize) -> String {
    let site = &snapshot.catalog.site;
    let base = &site.base_url;
    let languages: Vec<String> = site.locales.iter().map(|l| format!("{} ({l})", autonym(l))).collect();
    let mut out = format!(
        "# {}\n\n> Answers to questions about IT certifications and training by the trainers of {}, with the \
         certifications, courses and topics they refer to. Every answer is a web page and a Markdown file. \
         Languages: {}.\n",
        site.name,
        site.name,
        languages.join(", ")
    );
    let links: usize = site
        .locales
        .iter()
        .map(|l| main_pages(snapshot, l).len() + snapshot.answers(l).count())
        .sum::<usize>()
        + API_LINKS.len();
    let inline = links <= limit;
    for locale in &site.locales {
        let ui = Lang::of(locale).ui();
        let _ = write!(out, "\n## {} ({locale})\n\n", autonym(locale));
        for (name, path) in main_pages(snapshot, locale) {
            let _ = writeln!(out, "- [{}]({base}{path})", link_text(name));
        }
        let _ = write!(out, "\n### {} ({locale}, Markdown)\n\n", ui.answers);
        if inline {
            for a in snapshot.answers(locale) {
                let _ = writeln!(out, "- [{}]({base}{}.md)", link_text(&a.question), answer_path(a));
            }
        } else {
            for n in 1..=llms_parts(snapshot, locale, limit) {
                let _ = writeln!(out, "- [{} ({locale}), {n}]({base}/llms/{locale}-{n}.txt)", ui.answers);
            }
        }
    }
    out.push_str("\n## API\n\n");
    for (name, path) in API_LINKS {
        let _ = writeln!(out, "- [{name}]({base}{path})");
    }
    out
}

/// `/llms/{locale}-{n}.txt`: the `n`th list (1-based) of a locale's Markdown twins, newest
/// first, `limit` to a list; `None` past the last.
pub fn llms_list(snapshot: &Snapshot, locale: &str, n: usize, limit: usize) -> Option<String> {
    let limit = limit.max(1);
    let parts = llms_parts(snapshot, locale, limit);
    if n == 0 || n > parts {
        return None;
    }
    let site = &snapshot.catalog.site;
    let base = &site.base_url;
    let ui = Lang::of(locale).ui();
    let mut out = format!(
        "# {}: {} ({locale}), {n}/{parts}\n\n> Markdown versions of the answers of {}, newest first.\n\n## {}\n\n",
        site.name, ui.answers, site.name, ui.answers
    );
    for a in snapshot.answers(locale).skip((n - 1) * limit).take(limit) {
        let _ = writeln!(out, "- [{}]({base}{}.md)", link_text(&a.question), answer_path(a));
    }
    Some(out)
}

async fn llms(State(state): State<AppState>) -> Response {
    let body = llms_txt(&state.published.current(), LLMS_LIMIT);
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

async fn llms_part(
    State(state): State<AppState>,
    PagePath(file): PagePath<String>,
) -> Result<Response, PageError> {
    let snapshot = state.published.current();
    let (locale, n) = file
        .strip_suffix(".txt")
        .and_then(|f| f.rsplit_once('-'))
        .filter(|(l, _)| snapshot.has_locale(l))
        .and_then(|(l, n)| Some((l, part_number(n)?)))
        .ok_or(PageError::NotFound)?;
    let body = llms_list(&snapshot, locale, n, LLMS_LIMIT).ok_or(PageError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_have_one_spelling() {
        assert_eq!(part_number("1"), Some(1));
        assert_eq!(part_number("12"), Some(12));
        for bad in ["01", "+1", "", "1.0", "x"] {
            assert_eq!(part_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn link_text_cannot_break_out_of_its_brackets() {
        assert_eq!(link_text("a [b] \\ c\nd"), "a \\[b\\] \\\\ c d");
    }
}
