//! Search: `/{locale}/search?q=&kind=&topic=&vendor=&page=` (a GET form that works
//! without JavaScript, results grouped by kind) and `GET /api/v1/search` (the same
//! results as JSON, which `static/search.js` asks for suggestions as the reader types).
//! The engine and its rules are `crate::search`; this module reads the parameters, pages
//! the results and escapes the highlights into `<mark>`.
//!
//! A page with a query is not cached (`cache::place`): the queries are unbounded and a
//! search takes well under a millisecond. Until the first index is built, both answer 503
//! with `Retry-After: 1`.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use askama::Template;
use askama::filters::{Escaper, Html};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ErrorBody, PageError};
use super::extract::{self, ApiQuery, PagePath, PageQuery, ParamError};
use super::layout::{Choice, Crumb, Layout, Pager, page_url};
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::Vocabulary as _;
use crate::domain::paging::{API_PAGE_SIZE, HTML_PAGE_SIZE};
use crate::i18n::Lang;
use crate::i18n::Search;
use crate::search::{Index, Kind, MAX_QUERY, Query, QueryError, Shown};
use crate::snapshot::Snapshot;

pub fn router() -> Router<AppState> {
    Router::new().route("/{locale}/search", get(page)).route("/api/v1/search", get(api))
}

/// Suggestions a result list of the combobox holds at most.
const MAX_LIMIT: usize = 50;

/// The query string of both surfaces. Every value is read as text and checked here, so a
/// mistake is a 400 that names the parameter.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words to find, at most 200 characters; empty finds nothing.
    q: Option<String>,
    /// The locale whose answers are searched (the API; the site's default when absent).
    locale: Option<String>,
    /// Only results of this kind: `answer`, `certification`, `course` or `topic`.
    kind: Option<String>,
    /// Only results with this topic (a topic slug).
    topic: Option<String>,
    /// Only results of this vendor (as the catalog writes it).
    vendor: Option<String>,
    /// The page, from 1.
    page: Option<String>,
    /// The API's page size, 1 to 50 (default 50): suggestions ask for a few.
    limit: Option<String>,
}

/// The parameters read and checked.
struct Asked {
    query: Query,
    /// The filters as a query string (`kind=…&topic=…`), for links.
    filters: String,
}

/// Reads the query and the filters; every value the catalog does not have is named. A
/// query too long to read is said in `lang` (the page's language; the API's is English).
fn read(snapshot: &Snapshot, p: &SearchParams, lang: Lang) -> Result<Asked, ParamError> {
    let text = p.q.as_deref().unwrap_or_default();
    let mut query = Query::new(text).map_err(|e| match e {
        QueryError::TooLong(length) => ParamError::Bad {
            field: "q",
            message: lang.phrase(
                "search-too-long",
                &[("length", length.to_string().into()), ("max", MAX_QUERY.to_string().into())],
            ),
        },
    })?;
    let mut problems: Vec<(&'static str, String)> = Vec::new();
    let given = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
    if let Some(k) = given(&p.kind) {
        match Kind::parse(&k) {
            Some(kind) => query.kind = Some(kind),
            None => {
                problems.push(("kind", format!("`kind` has no value `{k}` (expected {})", Kind::expected())));
            }
        }
    }
    match extract::topic(snapshot, p.topic.as_deref()) {
        Ok(topic) => query.topic = topic,
        Err(ParamError::Bad { message, .. } | ParamError::NotFound(message)) => {
            problems.push(("topic", message));
        }
    }
    if let Some(v) = given(&p.vendor) {
        if vendors(snapshot).contains(&v.as_str()) {
            query.vendor = Some(v);
        } else {
            problems.push(("vendor", format!("`vendor` has no value `{v}`")));
        }
    }
    if let Some((field, _)) = problems.first() {
        let message = problems.iter().map(|(_, m)| m.as_str()).collect::<Vec<_>>().join("; ");
        return Err(ParamError::Bad { field, message });
    }
    let mut filters = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("kind", query.kind.map(|k| k.as_str().to_owned())),
        ("topic", query.topic.as_ref().map(ToString::to_string)),
        ("vendor", query.vendor.clone()),
    ] {
        if let Some(value) = value {
            filters.append_pair(name, &value);
        }
    }
    Ok(Asked { query, filters: filters.finish() })
}

fn vendors(snapshot: &Snapshot) -> Vec<&str> {
    let mut vendors: Vec<&str> =
        snapshot.catalog.certifications.values().map(|c| c.vendor.as_str()).collect();
    vendors.sort_unstable();
    vendors.dedup();
    vendors
}

/// The index, or the 503 that says search is not ready yet.
fn index(state: &AppState, t: &Search) -> Result<Arc<Index>, PageError> {
    state
        .search
        .current()
        .ok_or_else(|| PageError::Unavailable { message: t.not_ready.to_owned(), retry_after: 1 })
}

/// `text` escaped, with `marks` (byte ranges, sorted) in `<mark>`: the API's HTML.
pub fn marked_html(text: &str, marks: &[Range<usize>]) -> String {
    marked_with(text, marks, |out, piece| {
        let _ = Html.write_escaped_str(out, piece);
    })
}

/// As [`marked_html`], with exam codes kept on one line as on every page (`filters::marked`).
fn page_html(text: &str, marks: &[Range<usize>]) -> String {
    marked_with(text, marks, |out, piece| out.push_str(&filters::marked(piece)))
}

fn marked_with(text: &str, marks: &[Range<usize>], escaped: impl Fn(&mut String, &str)) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 13);
    let mut at = 0;
    for m in marks {
        if m.start < at
            || m.end > text.len()
            || !text.is_char_boundary(m.start)
            || !text.is_char_boundary(m.end)
        {
            continue;
        }
        escaped(&mut out, &text[at..m.start]);
        out.push_str("<mark>");
        escaped(&mut out, &text[m.clone()]);
        out.push_str("</mark>");
        at = m.end;
    }
    escaped(&mut out, &text[at..]);
    out
}

/// Byte ranges as character ranges (what the API hands to JavaScript).
fn char_ranges(text: &str, marks: &[Range<usize>]) -> Vec<[usize; 2]> {
    let at = |byte: usize| text.get(..byte).map_or(0, |t| t.chars().count());
    marks.iter().map(|m| [at(m.start), at(m.end)]).collect()
}

fn group_heading(kind: Kind, t: &'static Search) -> &'static str {
    match kind {
        Kind::Answer => t.answers,
        Kind::Certification => t.certifications,
        Kind::Course => t.courses,
        Kind::Topic => t.topics,
    }
}

#[derive(Debug)]
struct Item {
    url: String,
    title_html: String,
    excerpt_html: String,
}

#[derive(Debug)]
struct Group {
    kind: &'static str,
    heading: &'static str,
    items: Vec<Item>,
}

#[derive(Debug)]
struct Link {
    url: String,
    label: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    s: &'static Search,
    q: String,
    asked: bool,
    summary: String,
    groups: Vec<Group>,
    pager: Pager,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    vendors: Vec<Choice>,
    /// Shown with an empty query or no results.
    suggested_topics: Vec<Link>,
    latest: Vec<Link>,
}

async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(params): PageQuery<SearchParams>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let asked = read(&snapshot, &params, Lang::of(&locale))?;
    let ui = Lang::of(&locale).ui();
    let t = ui.search;
    let q = asked.query.text.clone();
    let base = format!("/{locale}/search");
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        query.append_pair("q", &q);
    }
    let here_query =
        [query.finish(), asked.filters.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    let list = if here_query.is_empty() { base.clone() } else { format!("{base}?{}", here_query.join("&")) };
    // An empty search lists nothing: page 1 of an empty list (another page is past its end).
    let (groups, paged) = if q.is_empty() {
        (Vec::new(), extract::page(params.page.as_deref(), 0, HTML_PAGE_SIZE)?)
    } else {
        let index = index(&state, t)?;
        let found = index.search(&locale, &asked.query);
        let paged = extract::page(params.page.as_deref(), found.len(), HTML_PAGE_SIZE)?;
        let shown = index.show(&locale, &asked.query, &found[paged.items.clone()]);
        (grouped(&shown, t), paged)
    };
    let title = if q.is_empty() { t.title.to_owned() } else { format!("{} “{q}”", t.results_for) };
    let title = super::layout::numbered(&title, paged.number, ui.page);
    let path = page_url(&list, paged.number);
    let crumbs = vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(t.search, base.clone())];
    let page =
        Layout::new(&snapshot, &locale, &title, &path, &visitor).describe(t.lead).with_breadcrumbs(&crumbs);
    let summary = Lang::of(&locale).phrase("search-count", &[("n", paged.total.into())]);
    let show_suggestions = q.is_empty() || paged.total == 0;
    let kind_choice = |k: Kind| Choice {
        value: k.as_str().to_owned(),
        label: group_heading(k, t).to_owned(),
        selected: asked.query.kind == Some(k),
    };
    let catalog = &snapshot.catalog;
    super::html(&SearchPage {
        crumbs,
        s: t,
        asked: !q.is_empty(),
        summary,
        groups,
        pager: Pager::new(&paged, |n| page_url(&list, n)),
        kinds: Kind::ALL.iter().map(|&k| kind_choice(k)).collect(),
        topics: snapshot
            .topics()
            .iter()
            .map(|slug| Choice {
                value: slug.to_string(),
                label: crate::search::texts::topic(&catalog.topic(slug), catalog.locales(&locale))
                    .title
                    .into_owned(),
                selected: asked.query.topic.as_ref() == Some(slug),
            })
            .collect(),
        vendors: vendors(&snapshot)
            .into_iter()
            .map(|v| Choice {
                value: v.to_owned(),
                label: v.to_owned(),
                selected: asked.query.vendor.as_deref() == Some(v),
            })
            .collect(),
        suggested_topics: if show_suggestions {
            snapshot
                .topics()
                .iter()
                .take(12)
                .map(|slug| Link {
                    url: format!("/{locale}/topics/{slug}"),
                    label: crate::search::texts::topic(&catalog.topic(slug), catalog.locales(&locale))
                        .title
                        .into_owned(),
                })
                .collect()
        } else {
            Vec::new()
        },
        latest: if show_suggestions {
            snapshot
                .answers(&locale)
                .take(5)
                .map(|a| Link { url: format!("/{locale}/answers/{}", a.slug), label: a.question.clone() })
                .collect()
        } else {
            Vec::new()
        },
        q,
        page,
    })
}

/// Consecutive results of one kind under one heading.
fn grouped(shown: &[Shown<'_>], t: &'static Search) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for s in shown {
        let item = Item {
            url: s.url.to_owned(),
            title_html: page_html(s.title, &s.title_marks),
            excerpt_html: page_html(&s.excerpt, &s.excerpt_marks),
        };
        match groups.last_mut() {
            Some(g) if g.kind == s.kind.as_str() => g.items.push(item),
            _ => groups.push(Group {
                kind: s.kind.as_str(),
                heading: group_heading(s.kind, t),
                items: vec![item],
            }),
        }
    }
    groups
}

/// One result in the API.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// `answer`, `certification`, `course` or `topic`.
    pub kind: &'static str,
    pub title: String,
    /// The page's path on this site.
    pub url: String,
    pub excerpt: String,
    /// The title with the matching words in `<mark>`, everything else escaped.
    pub title_html: String,
    /// The excerpt with the matching words in `<mark>`, everything else escaped.
    pub excerpt_html: String,
    pub highlights: Highlights,
}

/// Where the matching words are, as `[start, end)` character offsets (Unicode scalar
/// values) into `title` and `excerpt`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Highlights {
    pub title: Vec<[usize; 2]>,
    pub excerpt: Vec<[usize; 2]>,
}

/// A page of results, grouped (answers, certifications, courses, topics) and best first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchJson {
    pub items: Vec<SearchItem>,
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    /// The next page's address, `null` on the last page.
    pub next: Option<String>,
}

/// `GET /api/v1/search`.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(SearchParams),
    responses(
        (status = 200, description = "Results, grouped by kind and best first", body = SearchJson),
        (status = 400, description = "A parameter the API cannot read (a query over 200 characters, an unknown locale, kind, topic or vendor, a bad page or limit); `field` names it", body = ErrorBody),
        (status = 404, description = "A page past the end of the results", body = ErrorBody),
    ),
    tag = "search"
)]
pub async fn api(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchJson>, ApiError> {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let locale = match params.locale.as_deref().filter(|l| !l.is_empty()) {
        None => site.default_locale.clone(),
        Some(l) if snapshot.has_locale(l) => l.to_owned(),
        Some(l) => {
            return Err(ApiError::BadRequest {
                message: format!("`locale` has no value `{l}` (expected {})", site.locales.join(", ")),
                field: Some("locale".to_owned()),
            });
        }
    };
    let per_page = match params.limit.as_deref().filter(|l| !l.is_empty()) {
        None => API_PAGE_SIZE,
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
            ApiError::BadRequest {
                message: format!("`limit` must be a whole number from 1 to {MAX_LIMIT}, not `{l}`"),
                field: Some("limit".to_owned()),
            }
        })?,
    };
    let asked = read(&snapshot, &params, Lang::En)?;
    let (found, index) = if asked.query.text.is_empty() {
        (Vec::new(), None)
    } else {
        let index = index(&state, Lang::of(&locale).ui().search)?;
        (index.search(&locale, &asked.query), Some(index))
    };
    let paged = extract::page(params.page.as_deref(), found.len(), per_page)?;
    let items = index
        .as_ref()
        .map(|index| index.show(&locale, &asked.query, &found[paged.items.clone()]))
        .unwrap_or_default()
        .iter()
        .map(|s| SearchItem {
            kind: s.kind.as_str(),
            title: s.title.to_owned(),
            url: s.url.to_owned(),
            title_html: marked_html(s.title, &s.title_marks),
            excerpt_html: marked_html(&s.excerpt, &s.excerpt_marks),
            highlights: Highlights {
                title: char_ranges(s.title, &s.title_marks),
                excerpt: char_ranges(&s.excerpt, &s.excerpt_marks),
            },
            excerpt: s.excerpt.clone(),
        })
        .collect();
    let next = paged.next().map(|n| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("q", &asked.query.text).append_pair("locale", &locale);
        let mut url = format!("{}/api/v1/search?{}", site.base_url, q.finish());
        if !asked.filters.is_empty() {
            let _ = write!(url, "&{}", asked.filters);
        }
        if per_page != API_PAGE_SIZE {
            let _ = write!(url, "&limit={per_page}");
        }
        let _ = write!(url, "&page={n}");
        url
    });
    Ok(Json(SearchJson { items, page: paged.number, pages: paged.pages, total: paged.total, next }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_wrap_escaped_text() {
        let text = "<b>Intune</b> & \"Autopilot\"";
        let html = marked_html(text, &[3..9, 17..26]);
        assert_eq!(html, "&#60;b&#62;<mark>Intune</mark>&#60;/b&#62; &#38; &#34;<mark>Autopilot</mark>&#34;");
    }

    #[test]
    fn pages_keep_codes_on_one_line_inside_and_outside_marks() {
        let text = "MD-102 or MS-102";
        let md = 0..6;
        assert_eq!(
            page_html(text, std::slice::from_ref(&md)),
            r#"<mark><span class="exam-code">MD-102</span></mark> or <span class="exam-code">MS-102</span>"#
        );
    }

    #[test]
    fn ranges_are_counted_in_characters() {
        let intune = 7..13;
        assert_eq!(char_ranges("Gerät Intune", std::slice::from_ref(&intune)), vec![[6, 12]]);
    }
}
