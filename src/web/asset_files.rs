//! The static files compiled into the binary, with their fingerprinted addresses
//! (`/static/site.3f2a91c0.css`, from a hash of their bytes): a new release changes the
//! name, so a page never meets a stale copy and the files can be cached for a year.

use std::sync::LazyLock;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

pub const CSS: &str = "text/css; charset=utf-8";
pub const JS: &str = "text/javascript; charset=utf-8";
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const HOUR: &str = "public, max-age=3600";

/// One asset: its bytes and the fingerprinted address pages link to.
#[derive(Debug)]
pub struct Asset {
    pub url: String,
    pub plain: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

impl Asset {
    fn new(plain: &'static str, content_type: &'static str, body: &'static [u8]) -> Self {
        let hash = crate::seal::hex(&Sha256::digest(body)[..4]);
        let (stem, extension) = plain.rsplit_once('.').unwrap_or((plain, ""));
        Self { url: format!("{stem}.{hash}.{extension}"), plain, content_type, body }
    }

    pub fn respond(&self, cache: &'static str) -> Response {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(self.content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
            self.body,
        )
            .into_response()
    }
}

pub static STYLESHEET: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("/static/site.css", CSS, include_bytes!("../../static/site.css")));
/// The editors' area's additions to the stylesheet.
pub static ADMIN_STYLESHEET: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("/static/admin.css", CSS, include_bytes!("../../static/admin.css")));
/// The editors' area's live Markdown preview.
pub static ADMIN_SCRIPT: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("/static/admin.js", JS, include_bytes!("../../static/admin.js")));
pub static CONSENT_SCRIPT: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("/static/consent.js", JS, include_bytes!("../../static/consent.js")));
pub static SEARCH_SCRIPT: LazyLock<Asset> =
    LazyLock::new(|| Asset::new("/static/search.js", JS, include_bytes!("../../static/search.js")));
/// The static export's consent: decided in the browser (`static_site`).
pub static STATIC_CONSENT_SCRIPT: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new("/static/static-consent.js", JS, include_bytes!("../../static/static-consent.js"))
});
/// The static export's search page, answering from the exported index (`static_site`).
pub static STATIC_SEARCH_SCRIPT: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new("/static/static-search.js", JS, include_bytes!("../../static/static-search.js"))
});
pub static FAVICON_SVG: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new("/static/favicon.svg", "image/svg+xml", include_bytes!("../../static/favicon.svg"))
});

pub fn fingerprinted() -> [&'static Asset; 8] {
    [
        &STYLESHEET,
        &ADMIN_STYLESHEET,
        &ADMIN_SCRIPT,
        &CONSENT_SCRIPT,
        &SEARCH_SCRIPT,
        &STATIC_CONSENT_SCRIPT,
        &STATIC_SEARCH_SCRIPT,
        &FAVICON_SVG,
    ]
}

/// The fingerprinted address of the favicon, for the page head.
pub fn favicon_svg() -> &'static str {
    &FAVICON_SVG.url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_the_bytes() {
        let a = Asset::new("/static/site.css", CSS, b"a{}");
        let b = Asset::new("/static/site.css", CSS, b"b{}");
        assert_ne!(a.url, b.url);
        assert!(a.url.starts_with("/static/site.") && a.url.rsplit('.').next() == Some("css"), "{}", a.url);
        assert_eq!(a.url.len(), "/static/site.12345678.css".len());
    }
}
