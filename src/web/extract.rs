//! Reading a request's path and query — one set of extractors and parsers for the pages
//! and the API, so both turn a URL into a code, a slug, a topic or a page number the same
//! way. A mistake is a [`ParamError`]; each surface words it as its own error (an HTML
//! error page, the API's JSON error shape).

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::{ApiError, PageError};
use crate::domain::paging::{Page, PageNumber};
use crate::domain::{Code, Slug};
use crate::snapshot::Snapshot;

/// A client's mistake in a path or a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// The path names nothing that exists (said in the API's message).
    NotFound(String),
    /// A parameter has a value that cannot be served.
    Bad { field: &'static str, message: String },
}

impl From<ParamError> for PageError {
    fn from(e: ParamError) -> Self {
        match e {
            ParamError::NotFound(_) => PageError::NotFound,
            ParamError::Bad { message, .. } => PageError::BadRequest(message),
        }
    }
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        match e {
            ParamError::NotFound(message) => ApiError::NotFound(message),
            ParamError::Bad { field, message } => {
                ApiError::BadRequest { message, field: Some(field.to_owned()) }
            }
        }
    }
}

async fn path<T: DeserializeOwned + Send, S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<T, ParamError> {
    Path::<T>::from_request_parts(parts, state)
        .await
        .map(|Path(v)| v)
        .map_err(|_| ParamError::NotFound(format!("nothing at {}", parts.uri.path())))
}

async fn query<T: DeserializeOwned + Send, S: Send + Sync>(
    parts: &mut Parts,
    state: &S,
) -> Result<T, ApiError> {
    Query::<T>::from_request_parts(parts, state)
        .await
        .map(|Query(v)| v)
        .map_err(|e| ApiError::BadRequest { message: e.body_text(), field: None })
}

/// Path parameters of a page; anything that does not parse is a page that does not exist.
#[derive(Debug)]
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PagePath<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        Ok(Self(path(parts, state).await?))
    }
}

/// Path parameters of an API endpoint.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Ok(Self(path(parts, state).await?))
    }
}

/// A page's query string; one that does not parse is a 400 that says why.
#[derive(Debug)]
pub struct PageQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        query(parts, state).await.map(Self).map_err(|e| PageError::BadRequest(e.to_string()))
    }
}

/// An API endpoint's query string.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        query(parts, state).await.map(Self)
    }
}

/// `?page=N` of a list of `total` items, `size` to a page: not a positive integer is a
/// mistake, a page past the end does not exist.
pub fn page(raw: Option<&str>, total: usize, size: usize) -> Result<Page, ParamError> {
    let number = PageNumber::parse(raw).map_err(|message| ParamError::Bad { field: "page", message })?;
    Page::of(total, size, number)
        .ok_or_else(|| ParamError::NotFound(format!("page {} is past the end of the list", number.get())))
}

/// A slug in a path: one that is not well formed names nothing.
pub fn slug(raw: &str) -> Result<Slug, ParamError> {
    Slug::parse(raw).map_err(|_| ParamError::NotFound(format!("nothing is called `{raw}`")))
}

/// `?topic=`: empty is none; one the site does not have is a mistake.
pub fn topic(snapshot: &Snapshot, raw: Option<&str>) -> Result<Option<Slug>, ParamError> {
    match raw.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Slug::parse(t)
            .ok()
            .filter(|s| snapshot.is_topic(s))
            .map(Some)
            .ok_or_else(|| ParamError::Bad { field: "topic", message: format!("there is no topic `{t}`") }),
    }
}

/// An exam code in a path, written in any case: the code, and whether the path wrote it
/// the canonical way (lower case), so pages can redirect.
pub fn code(raw: &str) -> Result<(Code, bool), ParamError> {
    Code::from_url(&raw.to_ascii_lowercase())
        .map(|code| (code, !raw.bytes().any(|b| b.is_ascii_uppercase())))
        .ok_or_else(|| ParamError::NotFound(format!("no certification `{raw}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_in_any_case_and_say_whether_they_were_canonical() {
        assert_eq!(code("md-102").unwrap(), (Code::parse("MD-102").unwrap(), true));
        assert_eq!(code("MD-102").unwrap(), (Code::parse("MD-102").unwrap(), false));
        assert!(code("md_102").is_err());
    }

    #[test]
    fn a_page_past_the_end_is_not_found_and_a_bad_number_is_a_mistake() {
        assert_eq!(page(Some("2"), 45, 20).unwrap().items, 20..40);
        assert!(matches!(page(Some("4"), 45, 20), Err(ParamError::NotFound(_))));
        assert!(matches!(page(Some("x"), 45, 20), Err(ParamError::Bad { field: "page", .. })));
    }
}
