//! Serving pages from a render cache: a page is rendered once per content snapshot, day,
//! visitor variant and the query parameters it reads, then served as bytes. This is what
//! keeps an answer page close to the speed of a static file.
//!
//! - **Bounded by bytes, exactly.** Every stored page adds its size once and every removal
//!   (eviction, a new snapshot, a new day) subtracts it; when the total passes the budget,
//!   the least recently used pages go until a quarter of the budget is free.
//! - **One render per missed key.** Requests that miss the same key wait for the one
//!   render in progress (a per-key `OnceCell`) instead of all rendering it.
//! - **No global lock on the hot path.** Keys are spread over shards, each with its own
//!   short-lived lock; a hit takes one shard lock for a map look-up and bumps an atomic
//!   recency stamp.
//! - **Only what fits.** A body larger than an eighth of the budget is served, not stored.
//! - **Queries.** A page sees only the parameters it reads (`page_params`); tracking
//!   parameters (`utm_*`, `gclid`, …) and any other unknown parameter are dropped before
//!   the handler runs, so `?utm_source=x` or `?x=random` is the cached page, not a render.
//!
//! Cached bodies keep the slots for the per-response nonce and form token (see `slots`),
//! already split at those slots, so a hit costs a lookup and one copy.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use tokio::sync::OnceCell;

use super::slots::{GzippedBody, SlottedBody};
use super::visitor::Visitor;
use super::{AppState, Uncompressed};

/// A response to serve again: headers and the slotted body. Handed to the response layer
/// (`headers`) as a response extension, which fills the slots.
#[derive(Debug)]
pub struct CachedPage {
    pub headers: HeaderMap,
    pub body: SlottedBody,
    /// The body compressed once, for clients that accept gzip (bodies of 1 KiB or more,
    /// never one marked [`Uncompressed`]).
    pub gzip: Option<GzippedBody>,
    /// The route template that rendered it: a hit answered before routing is counted
    /// under it in `/metrics`.
    pub route: Arc<str>,
}

impl CachedPage {
    pub fn new(headers: HeaderMap, body: SlottedBody, compressible: bool) -> Self {
        let gzip = (compressible && body.len() >= 1024).then(|| body.gzip());
        Self { headers, body, gzip, route: Arc::from(crate::metrics::UNMATCHED) }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    /// The snapshot the page was rendered from.
    generation: u64,
    variant: u64,
    /// Path and the query as the handler sees it.
    target: String,
}

#[derive(Debug, Default)]
struct Entry {
    /// `Some` once rendered and cacheable; `None` for a response that is not stored.
    page: OnceCell<Option<Arc<CachedPage>>>,
    /// The bytes this entry counts in the total (0 until rendered).
    size: AtomicUsize,
    /// When it was last served, in the cache's own ticks.
    used: AtomicU64,
}

const SHARDS: usize = 16;

type Shard = RwLock<HashMap<Key, Arc<Entry>>>;

/// Rendered pages of the current snapshot and day.
#[derive(Debug)]
pub struct PageCache {
    shards: Box<[Shard]>,
    hasher: std::collections::hash_map::RandomState,
    bytes: AtomicUsize,
    tick: AtomicU64,
    /// The day the stored pages were rendered for (days since the common era).
    day: AtomicI64,
    budget: usize,
}

impl Default for PageCache {
    fn default() -> Self {
        Self::with_budget(Self::BUDGET)
    }
}

impl PageCache {
    /// Upper bound on the bytes held.
    pub const BUDGET: usize = 64 * 1024 * 1024;

    pub fn with_budget(budget: usize) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| RwLock::default()).collect(),
            hasher: std::collections::hash_map::RandomState::new(),
            bytes: AtomicUsize::new(0),
            tick: AtomicU64::new(0),
            day: AtomicI64::new(i64::MIN),
            budget,
        }
    }

    fn shard(&self, key: &Key) -> &Shard {
        let index = usize::try_from(self.hasher.hash_one(key) % SHARDS as u64).unwrap_or(0);
        &self.shards[index]
    }

    /// A new day empties the cache before anything is read from it.
    fn roll_over(&self, day: NaiveDate) {
        let day = i64::from(day.num_days_from_ce());
        // Read first: every request asks, and a write per request would bounce the line
        // between cores.
        if self.day.load(Ordering::Acquire) != day && self.day.swap(day, Ordering::AcqRel) != day {
            self.clear();
        }
    }

    /// The stored page of `key`, if it is rendered and cacheable; nothing is created on a
    /// miss. A hit takes a shared lock, allocates nothing, and stamps the entry with the
    /// current tick (which only misses advance, so the cores do not fight over a counter).
    fn hit(&self, key: &Key, day: NaiveDate) -> Option<Arc<CachedPage>> {
        self.roll_over(day);
        let shard = self.shard(key).read().unwrap_or_else(PoisonError::into_inner);
        let entry = shard.get(key)?;
        let page = entry.page.get()?.clone()?;
        entry.used.store(self.tick.load(Ordering::Relaxed), Ordering::Relaxed);
        Some(page)
    }

    /// The entry of `key`, created empty on a miss.
    fn entry(&self, key: &Key, day: NaiveDate) -> Arc<Entry> {
        self.roll_over(day);
        let hit = self.shard(key).read().unwrap_or_else(PoisonError::into_inner).get(key).cloned();
        let entry = match hit {
            Some(entry) => entry,
            None => {
                let mut shard = self.shard(key).write().unwrap_or_else(PoisonError::into_inner);
                shard.entry(key.clone()).or_default().clone()
            }
        };
        let now = if entry.page.initialized() {
            self.tick.load(Ordering::Relaxed)
        } else {
            self.tick.fetch_add(1, Ordering::Relaxed) + 1
        };
        entry.used.store(now, Ordering::Relaxed);
        entry
    }

    /// Counts a rendered page, then evicts if the budget is passed.
    fn account(&self, entry: &Entry, page: &CachedPage, key: &Key) {
        let size = page.body.len() + key.target.len() + 64;
        // Counted once, by whichever request stores it first.
        if entry.size.compare_exchange(0, size, Ordering::AcqRel, Ordering::Acquire).is_ok()
            && self.bytes.fetch_add(size, Ordering::AcqRel) + size > self.budget
        {
            self.evict();
        }
    }

    fn remove(&self, key: &Key) {
        let removed = self.shard(key).write().unwrap_or_else(PoisonError::into_inner).remove(key);
        if let Some(entry) = removed {
            self.bytes.fetch_sub(entry.size.swap(0, Ordering::AcqRel), Ordering::AcqRel);
        }
    }

    /// Drops the least recently used pages until a quarter of the budget is free.
    fn evict(&self) {
        let keep = self.budget / 4 * 3;
        let mut by_age: Vec<(u64, Key)> = Vec::new();
        for shard in &*self.shards {
            let shard = shard.read().unwrap_or_else(PoisonError::into_inner);
            by_age.extend(
                shard
                    .iter()
                    .filter(|(_, e)| e.size.load(Ordering::Acquire) > 0)
                    .map(|(k, e)| (e.used.load(Ordering::Relaxed), k.clone())),
            );
        }
        by_age.sort_unstable_by_key(|(used, _)| *used);
        for (_, key) in by_age {
            if self.bytes.load(Ordering::Acquire) <= keep {
                break;
            }
            self.remove(&key);
        }
    }

    /// Drops every page (new content is served, or a new day began).
    pub fn clear(&self) {
        for shard in &*self.shards {
            let drained: Vec<Arc<Entry>> =
                shard.write().unwrap_or_else(PoisonError::into_inner).drain().map(|(_, e)| e).collect();
            for entry in drained {
                self.bytes.fetch_sub(entry.size.swap(0, Ordering::AcqRel), Ordering::AcqRel);
            }
        }
    }

    /// The bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Acquire)
    }

    /// The pages held.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                s.read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .values()
                    .filter(|e| e.size.load(Ordering::Acquire) > 0)
                    .count()
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sum of the sizes of the pages held, counted afresh (for tests of the total).
    pub fn counted_bytes(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                s.read()
                    .unwrap_or_else(PoisonError::into_inner)
                    .values()
                    .map(|e| e.size.load(Ordering::Acquire))
                    .sum::<usize>()
            })
            .sum()
    }
}

/// The query parameters a page reads; every other parameter is dropped before the handler
/// runs (and is not part of the cache key).
fn page_params(path: &str) -> &'static [&'static str] {
    let mut segments = path.trim_start_matches('/').split('/');
    match (segments.next(), segments.next(), segments.next(), segments.next()) {
        (Some("api"), Some("v1"), Some("answers" | "certifications"), None) => &["locale", "topic", "page"],
        (Some("api"), Some("v1"), Some("compare"), None) => &["codes"],
        (Some(_), Some("answers"), Some(""), None) => &["topic", "page"],
        (Some(_), Some("certifications"), Some(""), None) => &["vendor", "level", "status", "page"],
        (Some(_), Some("cookies"), None, None) => &["return_to"],
        (Some(_), Some("courses"), Some(""), None) => {
            &["certification", "vendor", "delivery", "upcoming", "page"]
        }
        (Some(_), Some("courses"), Some(_), None) => &["session", "people"],
        (Some(_), Some("topics" | "experts"), Some(_), None) => &["page"],
        _ => &[],
    }
}

/// Whether `path` is a page whose query is the reader's own: the advisor (choices) and
/// search (words), on the site or in the API.
fn is_per_reader(path: &str) -> bool {
    let mut segments = path.trim_start_matches('/').split('/');
    matches!(
        (segments.next(), segments.next(), segments.next(), segments.next()),
        (Some(_), Some("advisor" | "search"), None, None) | (Some("api"), Some("v1"), Some("search"), None)
    )
}

/// The query keeping only `params`, in their order of appearance; `None` when nothing is
/// left.
fn kept_query(query: &str, params: &[&str]) -> Option<String> {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            params.contains(&name)
        })
        .collect();
    (!kept.is_empty()).then(|| kept.join("&"))
}

fn serve(page: Arc<CachedPage>) -> Response {
    let mut response = (StatusCode::OK, page.headers.clone()).into_response();
    response.extensions_mut().insert(page);
    response
}

/// Whether a response is worth storing: a successful page, Markdown twin, API answer or
/// machine-readable file (sitemap, feed, `robots.txt`, `llms.txt`).
fn cacheable(response: &Response) -> bool {
    let kind = response.headers().get(header::CONTENT_TYPE).map(axum::http::HeaderValue::as_bytes);
    response.status() == StatusCode::OK
        && kind.is_some_and(|v| {
            [
                &b"text/html"[..],
                b"text/markdown",
                b"text/plain",
                b"application/json",
                b"application/xml",
                b"application/atom+xml",
            ]
            .iter()
            .any(|t| v.starts_with(t))
        })
}

/// Whether `path` is a machine-readable file (`.xml`, `.txt`, exactly as routed), which
/// is the same for every visitor.
fn is_machine_file(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| matches!(ext, "xml" | "txt"))
}

/// Where a `GET` is cached: its key, and the query its handler sees (only the parameters
/// the page reads). `None` for a request that is never cached: other methods, health
/// checks, the editors' area, and odd spellings of a path (percent-encoded), which go to
/// the router as sent.
fn place(
    state: &AppState,
    method: &Method,
    uri: &Uri,
    visitor: Option<&Visitor>,
) -> Option<(Key, Option<String>)> {
    let path = uri.path();
    if method != Method::GET || path.contains('%') || path == "/healthz" {
        return None;
    }
    // The editors' area is per person and changes with every save: never stored.
    if path == "/admin" || path.starts_with("/admin/") {
        return None;
    }
    // The advisor's address holds the reader's choices, a search's the reader's words: the
    // form is cached, advice and results are computed per request (microseconds) rather
    // than filling the cache with every combination.
    if uri.query().is_some_and(|q| !q.is_empty()) && is_per_reader(path) {
        return None;
    }
    let query = uri.query().and_then(|q| kept_query(q, page_params(path)));
    let target = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    // JSON and machine-readable files do not depend on the visitor.
    let variant = if target.starts_with("/api/") || is_machine_file(path) {
        0
    } else {
        visitor.map_or(0, Visitor::variant)
    };
    Some((Key { generation: state.published.current().generation, variant, target }, query))
}

/// The cached page a request asks for, if it is stored: what the response layer serves
/// before routing (`headers::serve_hit`).
pub fn hit(state: &AppState, method: &Method, uri: &Uri, visitor: &Visitor) -> Option<Arc<CachedPage>> {
    let (key, _) = place(state, method, uri, Some(visitor))?;
    state.pages.hit(&key, state.clock.today())
}

/// Caches successful `GET` pages and API answers under their path and the parameters
/// they read. Health checks, odd spellings of a path and other methods pass through.
pub async fn cache_pages(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let visitor = req.extensions().get::<Arc<Visitor>>().cloned();
    let Some((key, query)) = place(&state, req.method(), req.uri(), visitor.as_deref()) else {
        return next.run(req).await;
    };
    // The handler sees exactly the parameters that make the key.
    if req.uri().query() != query.as_deref() {
        if let Ok(uri) = key.target.parse::<Uri>() {
            *req.uri_mut() = uri;
        }
    }
    let entry = state.pages.entry(&key, state.clock.today());
    if let Some(Some(page)) = entry.page.get() {
        crate::metrics::page_cache(true);
        return serve(page.clone());
    }
    // One render per key: the first request renders, the others wait for it. A waiter
    // whose key turns out not to be cacheable renders its own response.
    let max_size = state.pages.budget / 8;
    let mut pending = Some((req, next));
    let mut own = None;
    let page = {
        let (pending, own) = (&mut pending, &mut own);
        entry
            .page
            .get_or_init(|| async move {
                let (req, next) = pending.take()?;
                let route = Arc::from(
                    req.extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map_or(crate::metrics::UNMATCHED, axum::extract::MatchedPath::as_str),
                );
                let response = next.run(req).await;
                if !cacheable(&response) {
                    *own = Some(response);
                    return None;
                }
                let (mut parts, body) = response.into_parts();
                match axum::body::to_bytes(body, usize::MAX).await {
                    // A body too big for the cache (a huge sitemap part) is served, not stored.
                    Ok(bytes) if bytes.len() > max_size => {
                        *own = Some(Response::from_parts(parts, axum::body::Body::from(bytes)));
                        None
                    }
                    Ok(bytes) => {
                        parts.headers.remove(header::CONTENT_LENGTH);
                        let compressible = parts.extensions.get::<Uncompressed>().is_none();
                        Some(Arc::new(CachedPage {
                            route,
                            ..CachedPage::new(parts.headers, SlottedBody::split(&bytes), compressible)
                        }))
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "response body failed");
                        *own = Some(StatusCode::INTERNAL_SERVER_ERROR.into_response());
                        None
                    }
                }
            })
            .await
            .clone()
    };
    // Rendered here (a miss), or served what another request rendered (a hit).
    crate::metrics::page_cache(pending.is_some() && page.is_some());
    match (page, own, pending) {
        (Some(page), _, _) => {
            state.pages.account(&entry, &page, &key);
            serve(page)
        }
        (None, Some(response), _) => {
            state.pages.remove(&key);
            response
        }
        (None, None, Some((req, next))) => next.run(req).await,
        (None, None, None) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(len: usize) -> Arc<CachedPage> {
        Arc::new(CachedPage::new(
            HeaderMap::new(),
            SlottedBody::split(&bytes::Bytes::from(vec![b'x'; len])),
            true,
        ))
    }

    fn key(target: &str) -> Key {
        Key { generation: 1, variant: 0, target: target.to_owned() }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn store(cache: &PageCache, target: &str, len: usize, on: &str) {
        let k = key(target);
        let entry = cache.entry(&k, day(on));
        let p = page(len);
        let _ = entry.page.set(Some(p.clone()));
        cache.account(&entry, &p, &k);
    }

    #[test]
    fn the_total_is_exact_and_stays_within_the_budget() {
        let cache = PageCache::with_budget(100_000);
        for i in 0..200 {
            store(&cache, &format!("/p{}", i % 37), 3_000 + i, "2026-11-26");
            assert!(cache.bytes() <= 100_000, "{}", cache.bytes());
            assert_eq!(cache.bytes(), cache.counted_bytes(), "after {i}");
        }
        // Storing a key again counts it once.
        store(&cache, "/p1", 10, "2026-11-26");
        store(&cache, "/p1", 10, "2026-11-26");
        assert_eq!(cache.bytes(), cache.counted_bytes());
        cache.clear();
        assert_eq!((cache.bytes(), cache.len()), (0, 0));
    }

    #[test]
    fn eviction_keeps_the_recently_used_pages() {
        let cache = PageCache::with_budget(10_000);
        store(&cache, "/hot", 1_000, "2026-11-26");
        for i in 0..30 {
            store(&cache, &format!("/cold{i}"), 1_000, "2026-11-26");
            let _ = cache.entry(&key("/hot"), day("2026-11-26")); // read again
        }
        assert!(cache.entry(&key("/hot"), day("2026-11-26")).page.get().is_some_and(Option::is_some));
        assert!(cache.entry(&key("/cold0"), day("2026-11-26")).page.get().is_none(), "the oldest went");
    }

    #[test]
    fn a_page_marked_uncompressed_is_never_gzipped() {
        let body = || SlottedBody::split(&bytes::Bytes::from(vec![b'x'; 4096]));
        assert!(CachedPage::new(HeaderMap::new(), body(), true).gzip.is_some());
        assert!(CachedPage::new(HeaderMap::new(), body(), false).gzip.is_none());
    }

    #[test]
    fn a_new_day_starts_empty() {
        let cache = PageCache::default();
        store(&cache, "/a", 10, "2026-11-26");
        assert_eq!(cache.len(), 1);
        let _ = cache.entry(&key("/b"), day("2026-11-27"));
        assert_eq!((cache.len(), cache.bytes()), (0, 0), "yesterday's pages are gone");
    }

    #[tokio::test]
    async fn concurrent_misses_render_once() {
        let cache = Arc::new(PageCache::default());
        let renders = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..32)
            .map(|_| {
                let (cache, renders) = (cache.clone(), renders.clone());
                tokio::spawn(async move {
                    let k = key("/same");
                    let entry = cache.entry(&k, day("2026-11-26"));
                    let got = entry
                        .page
                        .get_or_init(|| async {
                            renders.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                            Some(page(500))
                        })
                        .await
                        .clone()
                        .unwrap();
                    cache.account(&entry, &got, &k);
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert_eq!(cache.bytes(), cache.counted_bytes());
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn pages_keep_only_the_parameters_they_read() {
        assert_eq!(kept_query("utm_source=x&gclid=1", page_params("/en/answers/md-102")), None);
        assert_eq!(
            kept_query("utm_source=x&page=2&x=1&topic=azure", page_params("/en/answers/")).as_deref(),
            Some("page=2&topic=azure")
        );
        assert_eq!(
            kept_query("level=expert&fbclid=9", page_params("/en/certifications/")).as_deref(),
            Some("level=expert")
        );
        assert_eq!(
            kept_query("return_to=%2Fen%2F", page_params("/en/cookies")).as_deref(),
            Some("return_to=%2Fen%2F")
        );
        assert_eq!(
            kept_query("locale=en&mc_cid=3", page_params("/api/v1/answers")).as_deref(),
            Some("locale=en")
        );
    }
}
