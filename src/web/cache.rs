//! Serving pages from a render cache: a page is rendered once per content snapshot, day
//! and visitor variant, then served as bytes. This is what keeps an answer page close to
//! the speed of a static file.
//!
//! Cached bodies keep the slots for the per-response nonce and form token (see
//! `slots`), already split at those slots, so a hit costs a lookup and one copy.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use super::AppState;
use super::slots::SlottedBody;
use super::visitor::Visitor;

/// A response to serve again: headers and the slotted body. Handed to the response layer
/// (`headers`) as a response extension, which fills the slots.
#[derive(Debug)]
pub struct CachedPage {
    pub headers: HeaderMap,
    pub body: SlottedBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    path: String,
    day: NaiveDate,
    variant: u64,
}

/// Rendered pages of the current snapshot and day. Bounded by bytes: when full, it drops
/// entries (in hash order, which is as good as random) down to three quarters of the
/// budget, so memory stays bounded and the pages in use come back at once. A new
/// snapshot (an import) or a new day empties it.
#[derive(Debug, Default)]
pub struct PageCache {
    inner: RwLock<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    generation: u64,
    day: Option<NaiveDate>,
    entries: HashMap<Key, Arc<CachedPage>>,
    bytes: usize,
}

impl PageCache {
    /// Upper bound on the bytes held.
    pub const BUDGET: usize = 64 * 1024 * 1024;

    fn get(&self, generation: u64, key: &Key) -> Option<Arc<CachedPage>> {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        if inner.generation != generation || inner.day != Some(key.day) {
            return None;
        }
        inner.entries.get(key).cloned()
    }

    fn insert(&self, generation: u64, key: Key, page: Arc<CachedPage>) {
        let size = page.body.len() + key.path.len();
        if size > Self::BUDGET / 4 {
            return;
        }
        let mut inner = self.inner.write().unwrap_or_else(PoisonError::into_inner);
        if inner.generation != generation || inner.day != Some(key.day) {
            *inner = Inner { generation, day: Some(key.day), ..Inner::default() };
        }
        if inner.bytes + size > Self::BUDGET {
            let keep = Self::BUDGET / 4 * 3;
            let mut bytes = inner.bytes;
            inner.entries.retain(|k, page| {
                if bytes <= keep {
                    return true;
                }
                bytes -= page.body.len() + k.path.len();
                false
            });
            inner.bytes = bytes;
        }
        if let Some(old) = inner.entries.insert(key, page) {
            inner.bytes -= old.body.len();
        } else {
            inner.bytes += size;
        }
    }

    /// The bytes held.
    pub fn bytes(&self) -> usize {
        self.inner.read().unwrap_or_else(PoisonError::into_inner).bytes
    }

    pub fn len(&self) -> usize {
        self.inner.read().unwrap_or_else(PoisonError::into_inner).entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn serve(page: Arc<CachedPage>) -> Response {
    let mut response = (StatusCode::OK, page.headers.clone()).into_response();
    response.extensions_mut().insert(page);
    response
}

/// Caches successful `GET` pages (HTML and Markdown twins) of canonical paths: no query
/// string, no percent-encoding. Filters, pagination and odd spellings of a path are
/// rendered each time — they are cheap, and caching them would let any client fill the
/// cache with variants. Health checks and the API are never cached.
pub async fn cache_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::GET
        || req.uri().query().is_some()
        || path.contains('%')
        || path.starts_with("/api/")
    {
        return next.run(req).await;
    }
    let generation = state.published.current().generation;
    let variant = req.extensions().get::<Visitor>().map_or(0, Visitor::variant);
    let key = Key { path: req.uri().path().to_owned(), day: state.clock.today(), variant };
    if let Some(page) = state.pages.get(generation, &key) {
        return serve(page);
    }
    let response = next.run(req).await;
    let page_type = response.headers().get(axum::http::header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(b"text/html") || v.starts_with(b"text/markdown")
    });
    if response.status() != StatusCode::OK || !page_type {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            parts.headers.remove(axum::http::header::CONTENT_LENGTH);
            let page = Arc::new(CachedPage { headers: parts.headers, body: SlottedBody::split(&bytes) });
            state.pages.insert(generation, key, page.clone());
            serve(page)
        }
        Err(e) => {
            tracing::error!(error = %e, "response body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(len: usize) -> Arc<CachedPage> {
        Arc::new(CachedPage {
            headers: HeaderMap::new(),
            body: SlottedBody::split(&bytes::Bytes::from(vec![b'x'; len])),
        })
    }

    fn key(path: &str, day: &str) -> Key {
        Key { path: path.to_owned(), day: day.parse().unwrap(), variant: 0 }
    }

    #[test]
    fn the_cache_stays_within_its_budget_and_keeps_serving() {
        let cache = PageCache::default();
        let size = PageCache::BUDGET / 20;
        for i in 0..60 {
            cache.insert(1, key(&format!("/p{i}"), "2026-11-26"), page(size));
            assert!(cache.bytes() <= PageCache::BUDGET);
        }
        assert!(cache.get(1, &key("/p59", "2026-11-26")).is_some(), "the newest page is kept");
        assert!(cache.len() >= 14, "{} entries", cache.len());
    }

    #[test]
    fn a_new_day_or_snapshot_starts_empty() {
        let cache = PageCache::default();
        cache.insert(1, key("/a", "2026-11-26"), page(10));
        assert!(cache.get(1, &key("/a", "2026-11-26")).is_some());
        assert!(cache.get(2, &key("/a", "2026-11-26")).is_none(), "another snapshot");
        cache.insert(1, key("/b", "2026-11-27"), page(10));
        assert_eq!(cache.len(), 1, "yesterday's pages are gone");
        assert!(cache.get(1, &key("/a", "2026-11-26")).is_none());
    }
}
