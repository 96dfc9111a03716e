//! The certification catalog, certification pages and course pages.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::answers::AnswerLink;
use super::error::PageError;
use super::extract::{self, PagePath, PageQuery};
use super::filters::{localized_html, marked};
use super::layout::{Choice, Crumb, Layout, Pager, numbered, page_url};
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::Vocabulary;
use crate::domain::paging::HTML_PAGE_SIZE;
use crate::domain::{Certification, Code, Level, Lifecycle, LifecycleStatus, Locales, Localized};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{locale}/certifications/", get(list))
        .route("/{locale}/certifications", get(list_redirect))
        .route("/{locale}/certifications/{code}", get(certification))
}

async fn list_redirect(
    State(state): State<AppState>,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    super::localized(&state, &locale)?;
    Ok(Redirect::permanent(&format!("/{locale}/certifications/")).into_response())
}

#[derive(Debug, Deserialize)]
struct Filters {
    vendor: Option<String>,
    level: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

#[derive(Debug)]
struct Row<'a> {
    url: String,
    code: String,
    title: Localized<'a>,
    vendor: String,
    level: &'static str,
    status: LifecycleStatus,
    /// The retirement date, for a retiring or retired certification.
    when: String,
}

#[derive(Template)]
#[template(path = "certifications.html")]
struct ListPage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    rows: Vec<Row<'a>>,
    vendors: Vec<Choice>,
    levels: Vec<Choice>,
    statuses: Vec<Choice>,
    pager: Pager,
}

async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(f): PageQuery<Filters>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let catalog = &snapshot.catalog;
    let lang = Lang::of(&locale);
    let locales = catalog.locales(&locale);
    let ui = lang.ui();
    let today = state.clock.today();
    let bad = |field: &str, value: &str| PageError::BadRequest(format!("`{field}` has no value `{value}`"));
    let vendor = f.vendor.filter(|v| !v.is_empty());
    let mut vendors: Vec<&str> = catalog.certifications.values().map(|c| c.vendor.as_str()).collect();
    vendors.sort_unstable();
    vendors.dedup();
    if let Some(v) = &vendor {
        if !vendors.contains(&v.as_str()) {
            return Err(bad("vendor", v));
        }
    }
    let level = match f.level.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(l) => Some(Level::parse(l).ok_or_else(|| bad("level", l))?),
    };
    let status = match f.status.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(s) => Some(LifecycleStatus::parse(s).ok_or_else(|| bad("status", s))?),
    };
    let matching: Vec<_> = catalog
        .certifications
        .values()
        .map(|c| (c, Lifecycle::of(c, today)))
        .filter(|(c, l)| {
            vendor.as_ref().is_none_or(|v| &c.vendor == v)
                && level.is_none_or(|lv| c.level == lv)
                && status.is_none_or(|s| l.status() == s)
        })
        .collect();
    let paged = extract::page(f.page.as_deref(), matching.len(), HTML_PAGE_SIZE)?;
    let rows: Vec<Row> = paged
        .slice(&matching)
        .iter()
        .map(|(c, l)| Row {
            url: format!("/{locale}/certifications/{}", c.code.to_lowercase()),
            code: c.code.to_string(),
            title: c.title_in(locales),
            vendor: c.vendor.clone(),
            level: lang.level(c.level),
            status: l.status(),
            when: l.retirement_date().map(|on| lang.date(on)).unwrap_or_default(),
        })
        .collect();
    // The filters as a query, for the links to other pages of the list.
    let mut filters = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("vendor", vendor.as_deref()),
        ("level", level.map(Vocabulary::as_str)),
        ("status", status.map(Vocabulary::as_str)),
    ] {
        if let Some(value) = value {
            filters.append_pair(name, value);
        }
    }
    let filters = filters.finish();
    let base = format!("/{locale}/certifications/");
    let list_url =
        |n: usize| page_url(&if filters.is_empty() { base.clone() } else { format!("{base}?{filters}") }, n);
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.certifications, format!("/{locale}/certifications/")),
    ];
    let filtered = vendor.is_some() || level.is_some() || status.is_some();
    let title = numbered(ui.catalog, paged.number, ui.page);
    let mut page = Layout::new(&snapshot, &locale, &title, &page_url(&base, paged.number), &visitor)
        .with_breadcrumbs(&crumbs)
        .with_item_list(
            paged.items.start + 1,
            rows.iter().map(|r| (r.url.clone(), format!("{}: {}", r.code, r.title))),
        );
    // Filtered views are for readers, not for the index: the canonical is the full list.
    page.noindex = filtered;
    let choice = |value: &str, label: &str, selected: bool| Choice {
        value: value.to_owned(),
        label: label.to_owned(),
        selected,
    };
    super::html(&ListPage {
        page,
        crumbs,
        rows,
        vendors: vendors.iter().map(|v| choice(v, v, vendor.as_deref() == Some(*v))).collect(),
        levels: Level::ALL.iter().map(|l| choice(l.as_str(), lang.level(*l), level == Some(*l))).collect(),
        statuses: LifecycleStatus::ALL
            .iter()
            .map(|s| choice(s.as_str(), ui.status_word(s), status == Some(*s)))
            .collect(),
        pager: Pager::new(&paged, list_url),
    })
}

#[derive(Debug)]
struct DomainRow {
    name: String,
    weight: String,
}

/// A link to a certification: its text as HTML, the title in the page's locale.
#[derive(Debug)]
struct Link {
    url: String,
    html: String,
}

#[derive(Template)]
#[template(path = "certification.html")]
struct CertificationPage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    cert: &'a Certification,
    title: Localized<'a>,
    summary: Localized<'a>,
    scope: Localized<'a>,
    roles: Vec<Localized<'a>>,
    level: &'static str,
    status: LifecycleStatus,
    /// The retirement date, for a retiring or retired certification.
    when: String,
    /// The retirement notice, for a retiring or retired certification.
    notices: Vec<super::notices::Notice>,
    successor: Option<Link>,
    domains: Vec<DomainRow>,
    prerequisites: Vec<Link>,
    /// Holding any one of the prerequisites is enough (and there is more than one).
    prerequisites_any: bool,
    sources: Vec<(String, String)>,
    courses: Vec<super::courses::CourseCard>,
    answers: Vec<AnswerLink>,
    /// Comparisons with the exams readers most often weigh against this one.
    compare_with: Vec<Link>,
    any_uncertain: bool,
}

impl CertificationPage<'_> {
    fn uncertain(&self, field: &str) -> bool {
        self.cert.is_uncertain(field)
    }
}

fn cert_link(locales: Locales<'_>, code: &Code, known: Option<&Certification>) -> Link {
    match known {
        Some(c) => Link {
            url: format!("/{}/certifications/{}", locales.page, code.to_lowercase()),
            html: format!("{}: {}", marked(code.as_str()), localized_html(c.title_in(locales))),
        },
        None => Link { url: String::new(), html: marked(code.as_str()) },
    }
}

async fn certification(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, raw)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let catalog = &snapshot.catalog;
    let (code, canonical) = extract::code(&raw)?;
    let Some(cert) = catalog.certification(&code) else {
        return Err(PageError::NotFound);
    };
    // `MD-102` in a URL is the same page as `md-102`: send readers to the canonical one.
    if !canonical {
        return Ok(
            Redirect::permanent(&format!("/{locale}/certifications/{}", code.to_lowercase())).into_response()
        );
    }
    let lang = Lang::of(&locale);
    let locales = catalog.locales(&locale);
    let ui = lang.ui();
    let today = state.clock.today();
    let lifecycle = Lifecycle::of(cert, today);
    let (title, summary) = (cert.title_in(locales), cert.summary_in(locales));
    let path = format!("/{locale}/certifications/{}", cert.code.to_lowercase());
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.certifications, format!("/{locale}/certifications/")),
        Crumb::new(cert.code.to_string(), path.clone()),
    ];
    let heading = format!("{}: {title}", cert.code);
    let page = Layout::new(&snapshot, &locale, &heading, &path, &visitor)
        .describe(&format!("{} — {}. {summary}", cert.code, cert.credential))
        .with_breadcrumbs(&crumbs);
    super::html(&CertificationPage {
        page,
        crumbs,
        cert,
        title,
        summary,
        scope: cert.scope_in(locales),
        roles: cert.roles_in(locales),
        level: lang.level(cert.level),
        status: lifecycle.status(),
        when: lifecycle.retirement_date().map(|on| lang.date(on)).unwrap_or_default(),
        notices: super::notices::retirement(cert, catalog, &locale, today).into_iter().collect(),
        successor: cert.successor.as_ref().map(|s| cert_link(locales, s, catalog.certification(s))),
        prerequisites_any: cert.prerequisites.is_a_choice(),
        domains: cert
            .domains
            .iter()
            .map(|d| DomainRow {
                name: d.name.clone(),
                weight: if d.weight_min == d.weight_max {
                    format!("{}%", d.weight_min)
                } else {
                    format!("{}–{}%", d.weight_min, d.weight_max)
                },
            })
            .collect(),
        prerequisites: cert
            .prerequisites
            .alternatives()
            .iter()
            .map(|p| cert_link(locales, p, catalog.certification(p)))
            .collect(),
        sources: cert.sources.iter().map(|s| (s.url.clone(), lang.date(s.checked_on))).collect(),
        courses: catalog
            .courses_for(&cert.code)
            .into_iter()
            .map(|c| super::courses::course_card(locales, c, today))
            .collect(),
        answers: snapshot.answers_naming(&locale, &cert.code).map(AnswerLink::of).collect(),
        compare_with: crate::domain::compare::confusable(catalog, cert, today, 3)
            .into_iter()
            .map(|other| Link {
                url: format!("/{locale}/compare/{}", crate::domain::compare::path_segment(&[cert, other])),
                html: format!(
                    "{} vs {}: {}",
                    marked(cert.code.as_str()),
                    marked(other.code.as_str()),
                    localized_html(other.title_in(locales))
                ),
            })
            .collect(),
        any_uncertain: !cert.uncertain.is_empty(),
    })
}
