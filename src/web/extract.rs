//! Extractors whose rejections are our own error pages instead of axum's plain text,
//! so a malformed path or query string gets a readable 404 or 400.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::AppState;
use super::error::{Failure, PageError};

/// Path parameters; anything that does not parse is a page that does not exist.
#[derive(Debug)]
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PagePath<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(Self(v)),
            Err(_) => Err(Failure(state.clone(), PageError::NotFound { locale: first_segment(parts) })),
        }
    }
}

/// A query string; one that does not parse is a 400 that says why.
#[derive(Debug)]
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for PageQuery<T> {
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Failure> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(Self(v)),
            Err(e) => Err(Failure(
                state.clone(),
                PageError::BadRequest { locale: first_segment(parts), message: e.body_text() },
            )),
        }
    }
}

fn first_segment(parts: &Parts) -> Option<String> {
    parts.uri.path().trim_start_matches('/').split('/').next().map(str::to_owned)
}

/// Parses `?page=N`: absent is 1.
pub fn page_number(locale: &str, raw: Option<&str>) -> Result<usize, PageError> {
    match raw {
        None | Some("") => Ok(1),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(PageError::bad_request(
                locale,
                format!("`page` must be a whole number from 1 up, not `{s}`"),
            )),
        },
    }
}
