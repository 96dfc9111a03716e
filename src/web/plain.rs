//! Plain pages (`pages/<locale>/<slug>.md`: imprint, privacy, about) at `/{locale}/{slug}`,
//! and the files of the site's brand (`/brand/…`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::error::PageError;
use super::extract::PagePath;
use super::layout::{Crumb, Layout};
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::Slug;

pub fn router() -> Router<AppState> {
    Router::new().route("/{locale}/{slug}", get(plain)).route("/brand/{file}", get(brand_file))
}

#[derive(Template)]
#[template(path = "plain.html")]
struct PlainPage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    title: &'a str,
    body_html: &'a str,
}

async fn plain(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, slug)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let Some((page, html)) = Slug::parse(&slug).ok().and_then(|s| snapshot.page(&locale, &s)) else {
        return Err(PageError::NotFound);
    };
    let ui = crate::i18n::Lang::of(&locale).ui();
    let path = format!("/{locale}/{}", page.slug);
    let crumbs =
        vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(page.title.clone(), path.clone())];
    let layout = Layout::new(&snapshot, &locale, &page.title, &path, &visitor)
        .describe(&crate::markdown::to_text(&page.body))
        .with_breadcrumbs(&crumbs);
    super::html(&PlainPage { page: layout, crumbs, title: &page.title, body_html: html })
}

/// The logo or the accent stylesheet of the current content, by its fingerprinted name;
/// an old name is a 404 (its address changed with its bytes).
async fn brand_file(
    State(state): State<AppState>,
    PagePath(file): PagePath<String>,
) -> Result<Response, PageError> {
    let snapshot = state.published.current();
    let Some(found) = snapshot.brand.get(&format!("/brand/{file}")) else {
        return Err(PageError::NotFound);
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(found.content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(super::asset_files::IMMUTABLE)),
        ],
        found.body.clone(),
    )
        .into_response())
}
