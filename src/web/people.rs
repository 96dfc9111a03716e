//! Topic pages and expert profiles.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use serde_json::json;

use super::answers::AnswerLink;
use super::error::PageError;
use super::extract::{self, PagePath, PageQuery};
use super::filters::{localized_html, marked};
use super::layout::{Crumb, Layout, Pager, numbered, page_url};
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::paging::HTML_PAGE_SIZE;
use crate::domain::{Expert, Slug};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{locale}/topics/", get(topics))
        .route("/{locale}/topics", get(topics_redirect))
        .route("/{locale}/topics/{slug}", get(topic))
        .route("/{locale}/experts/{slug}", get(expert))
}

/// A topic in the index: link, title, description, answers in this locale.
#[derive(Debug)]
struct TopicItem {
    url: String,
    /// HTML, in the page's locale, like `description`.
    title: String,
    description: String,
    answers: String,
}

#[derive(Template)]
#[template(path = "topics.html")]
struct TopicsPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    items: Vec<TopicItem>,
    pager: Pager,
}

async fn topics_redirect(
    State(state): State<AppState>,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    super::localized(&state, &locale)?;
    Ok(axum::response::IntoResponse::into_response(axum::response::Redirect::permanent(&format!(
        "/{locale}/topics/"
    ))))
}

async fn topics(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(q): PageQuery<Paging>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let ui = Lang::of(&locale).ui();
    let all = snapshot.topics();
    let paged = extract::page(q.page.as_deref(), all.len(), HTML_PAGE_SIZE)?;
    let path = format!("/{locale}/topics/");
    let crumbs = vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(ui.topics, path.clone())];
    let title = numbered(ui.topics, paged.number, ui.page);
    let items: Vec<TopicItem> = paged
        .slice(all)
        .iter()
        .map(|slug| {
            let topic = snapshot.catalog.topic(slug);
            let locales = snapshot.catalog.locales(&locale);
            TopicItem {
                url: format!("/{locale}/topics/{slug}"),
                title: localized_html(topic.title_in(locales)),
                description: localized_html(topic.description_in(locales)),
                answers: Lang::of(&locale).answers_count(snapshot.topic_size(&locale, slug)),
            }
        })
        .collect();
    let page = Layout::new(&snapshot, &locale, &title, &page_url(&path, paged.number), &visitor)
        .describe(ui.topics_text)
        .with_breadcrumbs(&crumbs)
        // The names as text: the items' titles are HTML (stand-ins marked).
        .with_item_list(
            paged.items.start + 1,
            paged.slice(all).iter().map(|slug| {
                let topic = snapshot.catalog.topic(slug);
                (
                    format!("/{locale}/topics/{slug}"),
                    topic.title_in(snapshot.catalog.locales(&locale)).text.to_owned(),
                )
            }),
        );
    super::html(&TopicsPage { page, crumbs, items, pager: Pager::new(&paged, |n| page_url(&path, n)) })
}

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    /// HTML, in the page's locale, like `description`.
    title: String,
    description: String,
    answers: Vec<AnswerLink>,
    certification: Option<(String, String)>,
    pager: Pager,
}

/// `?page=` of a list page.
#[derive(Debug, serde::Deserialize)]
struct Paging {
    page: Option<String>,
}

async fn topic(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, slug)): PagePath<(String, String)>,
    PageQuery(q): PageQuery<Paging>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let Some(slug) = Slug::parse(&slug).ok().filter(|s| snapshot.is_topic(s)) else {
        return Err(PageError::NotFound);
    };
    let ui = Lang::of(&locale).ui();
    let locales = snapshot.catalog.locales(&locale);
    let topic = snapshot.catalog.topic(&slug);
    let (heading, description) = (topic.title_in(locales), topic.description_in(locales));
    let path = format!("/{locale}/topics/{slug}");
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.topics, format!("/{locale}/topics/")),
        Crumb::new(heading.text, path.clone()),
    ];
    let all: Vec<_> = snapshot.answers_with_topic(&locale, &slug).collect();
    let paged = extract::page(q.page.as_deref(), all.len(), HTML_PAGE_SIZE)?;
    let title = numbered(heading.text, paged.number, ui.page);
    let answers: Vec<AnswerLink> = paged.slice(&all).iter().map(|a| AnswerLink::of(a)).collect();
    let page = Layout::new(&snapshot, &locale, &title, &page_url(&path, paged.number), &visitor)
        .describe(description.text)
        .with_breadcrumbs(&crumbs)
        .with_item_list(paged.items.start + 1, answers.iter().map(|a| (a.url.clone(), a.question.clone())));
    let certification = snapshot.catalog.topic_certification(&slug).map(|c| {
        (
            format!("/{locale}/certifications/{}", c.code.to_lowercase()),
            format!("{}: {}", marked(c.code.as_str()), localized_html(c.title_in(locales))),
        )
    });
    super::html(&TopicPage {
        page,
        crumbs,
        answers,
        certification,
        title: localized_html(heading),
        description: localized_html(description),
        pager: Pager::new(&paged, |n| page_url(&path, n)),
    })
}

#[derive(Template)]
#[template(path = "expert.html")]
struct ExpertPage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    expert: &'a Expert,
    bio_html: &'a str,
    answers: Vec<AnswerLink>,
    pager: Pager,
}

async fn expert(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, slug)): PagePath<(String, String)>,
    PageQuery(q): PageQuery<Paging>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let Some(expert) = Slug::parse(&slug).ok().and_then(|s| snapshot.catalog.experts.get(&s)) else {
        return Err(PageError::NotFound);
    };
    let ui = Lang::of(&locale).ui();
    let path = format!("/{locale}/experts/{}", expert.slug);
    let crumbs =
        vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(expert.name.clone(), path.clone())];
    let base = &snapshot.catalog.site.base_url;
    let all: Vec<_> = snapshot.answers_by_expert(&locale, &expert.slug).collect();
    let paged = extract::page(q.page.as_deref(), all.len(), HTML_PAGE_SIZE)?;
    let title = numbered(&expert.name, paged.number, ui.page);
    let answers: Vec<AnswerLink> = paged.slice(&all).iter().map(|a| AnswerLink::of(a)).collect();
    let mut page = Layout::new(&snapshot, &locale, &title, &page_url(&path, paged.number), &visitor)
        .describe(&crate::markdown::to_text(&expert.bio))
        .with_breadcrumbs(&crumbs)
        .with_item_list(paged.items.start + 1, answers.iter().map(|a| (a.url.clone(), a.question.clone())))
        .with_json_ld(&json!({
            "@context": "https://schema.org",
            "@type": "Person",
            "name": expert.name,
            "url": format!("{base}{path}"),
            "description": crate::markdown::to_text(&expert.bio),
            "hasCredential": expert.credentials.iter().map(|c| json!({"@type": "EducationalOccupationalCredential", "name": c})).collect::<Vec<_>>(),
        }));
    page.og_type = "profile";
    super::html(&ExpertPage {
        page,
        crumbs,
        expert,
        bio_html: snapshot.bio_html(&expert.slug),
        answers,
        pager: Pager::new(&paged, |n| page_url(&path, n)),
    })
}
