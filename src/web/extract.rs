//! Extractors whose rejections are our own error pages instead of axum's plain text,
//! so a malformed path or query string gets a readable 404 or 400.

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::PageError;

/// Path parameters; anything that does not parse is a page that does not exist.
#[derive(Debug)]
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| Self(v))
            .map_err(|_| PageError::NotFound)
    }
}

/// A query string; one that does not parse is a 400 that says why.
#[derive(Debug)]
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Self(v))
            .map_err(|e| PageError::BadRequest(e.body_text()))
    }
}

/// Parses `?page=N`: absent is 1.
pub fn page_number(raw: Option<&str>) -> Result<usize, PageError> {
    match raw {
        None | Some("") => Ok(1),
        Some(s) => match s.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(PageError::BadRequest(format!("`page` must be a whole number from 1 up, not `{s}`"))),
        },
    }
}
