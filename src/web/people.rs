//! Topic pages and expert profiles.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::AppState;
use super::answers::{AnswerLink, known_locale};
use super::error::{Failure, PageError};
use super::extract::PagePath;
use super::layout::{Crumb, Layout};
use crate::domain::{Expert, Slug, Topic};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new().route("/{locale}/topics/{slug}", get(topic)).route("/{locale}/experts/{slug}", get(expert))
}

fn render<T: Template>(state: &AppState, t: &T) -> Result<Response, Failure> {
    t.render()
        .map(|html| Html(html).into_response())
        .map_err(|e| Failure(state.clone(), PageError::Internal(e.to_string())))
}

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    topic: Topic,
    answers: Vec<AnswerLink>,
    certification: Option<(String, String)>,
}

async fn topic(
    State(state): State<AppState>,
    PagePath((locale, slug)): PagePath<(String, String)>,
) -> Result<Response, Failure> {
    let snapshot = state.published.current();
    known_locale(&state, &snapshot, &locale)?;
    let Some(slug) = Slug::parse(&slug).ok().filter(|s| snapshot.is_topic(s)) else {
        return Err(Failure(state.clone(), PageError::not_found(&locale)));
    };
    let ui = Lang::of(&locale).ui();
    let topic = snapshot.catalog.topic(&slug);
    let path = format!("/{locale}/topics/{slug}");
    let crumbs =
        vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(topic.title.clone(), path.clone())];
    let page = Layout::new(&snapshot, &locale, &topic.title, &path)
        .describe(&topic.description)
        .with_breadcrumbs(&crumbs);
    let certification = snapshot.catalog.topic_certification(&slug).map(|c| {
        (format!("/{locale}/certifications/{}", c.code.to_lowercase()), format!("{}: {}", c.code, c.title))
    });
    render(
        &state,
        &TopicPage {
            page,
            crumbs,
            answers: snapshot.answers_with_topic(&locale, &slug).map(AnswerLink::of).collect(),
            certification,
            topic,
        },
    )
}

#[derive(Template)]
#[template(path = "expert.html")]
struct ExpertPage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    expert: &'a Expert,
    bio_html: &'a str,
    answers: Vec<AnswerLink>,
}

async fn expert(
    State(state): State<AppState>,
    PagePath((locale, slug)): PagePath<(String, String)>,
) -> Result<Response, Failure> {
    let snapshot = state.published.current();
    known_locale(&state, &snapshot, &locale)?;
    let Some(expert) = Slug::parse(&slug).ok().and_then(|s| snapshot.catalog.experts.get(&s)) else {
        return Err(Failure(state.clone(), PageError::not_found(&locale)));
    };
    let ui = Lang::of(&locale).ui();
    let path = format!("/{locale}/experts/{}", expert.slug);
    let crumbs =
        vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(expert.name.clone(), path.clone())];
    let base = &snapshot.catalog.site.base_url;
    let mut page = Layout::new(&snapshot, &locale, &expert.name, &path)
        .describe(&crate::markdown::to_text(&expert.bio))
        .with_breadcrumbs(&crumbs)
        .with_json_ld(&json!({
            "@context": "https://schema.org",
            "@type": "Person",
            "name": expert.name,
            "url": format!("{base}{path}"),
            "description": crate::markdown::to_text(&expert.bio),
            "hasCredential": expert.credentials.iter().map(|c| json!({"@type": "EducationalOccupationalCredential", "name": c})).collect::<Vec<_>>(),
        }));
    page.og_type = "profile";
    render(
        &state,
        &ExpertPage {
            page,
            crumbs,
            expert,
            bio_html: snapshot.bio_html(&expert.slug),
            answers: snapshot.answers_by_expert(&locale, &expert.slug).map(AnswerLink::of).collect(),
        },
    )
}
