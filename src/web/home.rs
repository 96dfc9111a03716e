//! The home page, and `/` choosing a locale from `Accept-Language`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use serde_json::json;

use super::answers::AnswerLink;
use super::error::PageError;
use super::extract::PagePath;
use super::filters::{localized_html, marked};
use super::layout::Layout;
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::Vocabulary;
use crate::domain::{Level, Lifecycle, LifecycleStatus};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(root)).route("/{locale}/", get(home)).route("/{locale}", get(home_redirect))
}

async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let locale = crate::i18n::negotiate(accept, &site.locales, &site.default_locale);
    ([(header::VARY, "Accept-Language")], Redirect::to(&format!("/{locale}/"))).into_response()
}

async fn home_redirect(
    State(state): State<AppState>,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    super::localized(&state, &locale)?;
    Ok(Redirect::permanent(&format!("/{locale}/")).into_response())
}

/// A link to a certification with its lifecycle when it is not plain `active`.
type CertItem = (String, String, Option<LifecycleStatus>);

#[derive(Debug)]
struct Family {
    vendor: String,
    levels: Vec<(&'static str, Vec<CertItem>)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Layout,
    latest: Vec<AnswerLink>,
    /// Exams retiring from today on, soonest first: link, name, when.
    retiring: Vec<(String, String, String)>,
    /// Courses with a session coming up, the soonest first.
    courses: Vec<super::courses::CourseCard>,
    families: Vec<Family>,
}

async fn home(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let catalog = &snapshot.catalog;
    let lang = Lang::of(&locale);
    let locales = catalog.locales(&locale);
    // `MD-102: Endpoint Administrator`, the title in the page's locale, as HTML.
    let cert_html = |c: &crate::domain::Certification| {
        format!("{}: {}", marked(c.code.as_str()), localized_html(c.title_in(locales)))
    };
    let today = state.clock.today();
    let mut vendors: Vec<&str> = catalog.certifications.values().map(|c| c.vendor.as_str()).collect();
    vendors.sort_unstable();
    vendors.dedup();
    let families = vendors
        .into_iter()
        .map(|vendor| Family {
            vendor: vendor.to_owned(),
            levels: Level::ALL
                .iter()
                .map(|level| {
                    let certs = catalog
                        .certifications
                        .values()
                        .filter(|c| c.vendor == vendor && c.level == *level)
                        .map(|c| {
                            (
                                format!("/{locale}/certifications/{}", c.code.to_lowercase()),
                                cert_html(c),
                                Lifecycle::of(c, today).badge(),
                            )
                        })
                        .collect::<Vec<_>>();
                    (lang.level(*level), certs)
                })
                .filter(|(_, certs)| !certs.is_empty())
                .collect(),
        })
        .collect();
    let mut retiring: Vec<(chrono::NaiveDate, &crate::domain::Certification)> = catalog
        .certifications
        .values()
        .filter_map(|c| match Lifecycle::of(c, today) {
            Lifecycle::Retiring { on, .. } => Some((on, c)),
            _ => None,
        })
        .collect();
    retiring.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
    let retiring = retiring
        .into_iter()
        .take(6)
        .map(|(_, c)| {
            (
                format!("/{locale}/certifications/{}", c.code.to_lowercase()),
                cert_html(c),
                lang.retirement(&c.code, &Lifecycle::of(c, today), today).unwrap_or_default(),
            )
        })
        .collect();
    let mut coming: Vec<(chrono::NaiveDate, &crate::domain::Course)> = catalog
        .courses
        .values()
        .filter_map(|c| c.upcoming(today, 1).first().map(|s| (s.starts_on, c)))
        .collect();
    coming.sort_by(|a, b| (a.0, &a.1.slug).cmp(&(b.0, &b.1.slug)));
    let courses =
        coming.into_iter().take(3).map(|(_, c)| super::courses::course_card(locales, c, today)).collect();
    let site = &catalog.site;
    let page = Layout::new(&snapshot, &locale, &site.name, &format!("/{locale}/"), &visitor)
        .describe(lang.ui().site_purpose)
        .with_json_ld(&json!({"@context": "https://schema.org", "@type": "WebSite", "name": site.name, "url": format!("{}/{locale}/", site.base_url), "inLanguage": locale}));
    let body = HomePage {
        page,
        latest: snapshot.answers(&locale).take(6).map(AnswerLink::of).collect(),
        retiring,
        courses,
        families,
    }
    .render()
    .map_err(PageError::internal)?;
    Ok(Html(body).into_response())
}
