//! Which addresses a static copy of the site can hold, and what becomes of a link to one
//! it cannot: the one rule the export's crawl, its rewriting of pages and text files, and
//! its sitemap follow.
//!
//! The rule:
//! - **Needs a server**: `/consent`, `/admin/…`, `/healthz`, `/metrics`, the advisor and the
//!   team planner (`/{locale}/advisor`, `/{locale}/plan`: their answers are computed per
//!   request), a course's inquiry (`/{locale}/courses/{slug}/inquiry`, and any link to a
//!   page's `#inquiry` form), the API's search, advisor, plan and compare (they read a
//!   query or a body), and every address with a query string — a filtered or further page
//!   of a list, a course's `?session=` — since a file is one answer whatever the query.
//! - Two queries are read without a server: the search page's `?q=` (the browser searches
//!   the exported index) and the cookie settings' `?return_to=` (only the server's redirect
//!   after a decision used it; the link loses it).
//! - Everything else on the site's origin is a file of the export; other origins are left
//!   alone.
//!
//! A link that needs a server points to the same address on `--live-url` when one is given;
//! without one it is left out.

use url::Url;

/// The fragment of a course page's inquiry form.
pub const INQUIRY: &str = "inquiry";

/// What a link on an exported page points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file of the export, at this path (no query, no fragment); `href` is the link as
    /// it should be written (the same, or without a query that the file does not need).
    Static { path: String, href: Option<String> },
    /// Something that needs a server: this address (path, query and fragment) on the live
    /// site.
    Server { address: String },
    /// Another origin, or something that is not an address (`mailto:`, a fragment alone).
    Foreign,
}

/// Whether `path` (with `query`, when it has one) needs a server.
pub fn needs_server(path: &str, query: Option<&str>) -> bool {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        ["consent" | "healthz" | "metrics"]
        | ["admin", ..]
        | [_, "advisor" | "plan"]
        | [_, "courses", _, "inquiry"]
        | ["api", "v1", "search" | "advisor" | "plan" | "compare"] => true,
        [_, "search" | "cookies"] => false,
        _ => query.is_some_and(|q| !q.is_empty()),
    }
}

/// Whether a page the sitemap lists is a file of the export.
pub fn is_static_page(path: &str) -> bool {
    !needs_server(path, None)
}

/// Where `href`, found on the page at `page` (an absolute URL on `base`'s origin), points.
pub fn classify(base: &Url, page: &Url, href: &str) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::Foreign;
    }
    if let Some(fragment) = href.strip_prefix('#') {
        return if fragment == INQUIRY {
            Target::Server { address: address(page.path(), None, Some(fragment)) }
        } else {
            Target::Foreign
        };
    }
    let Ok(url) = page.join(href) else { return Target::Foreign };
    if url.origin() != base.origin() {
        return Target::Foreign;
    }
    let path = url.path();
    let query = url.query();
    if needs_server(path, query) || url.fragment() == Some(INQUIRY) {
        return Target::Server { address: address(path, query, url.fragment()) };
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let href = match (segments.as_slice(), query) {
        ([_, "cookies"], Some(_)) => Some(address(path, None, url.fragment())),
        _ => None,
    };
    Target::Static { path: path.to_owned(), href }
}

fn address(path: &str, query: Option<&str>, fragment: Option<&str>) -> String {
    let mut out = path.to_owned();
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(href: &str) -> Target {
        let base = Url::parse("https://www.example.ch").unwrap();
        let page = base.join("/en/courses/md-102-course").unwrap();
        classify(&base, &page, href)
    }

    fn server(address: &str) -> Target {
        Target::Server { address: address.to_owned() }
    }

    fn file(path: &str) -> Target {
        Target::Static { path: path.to_owned(), href: None }
    }

    #[test]
    fn pages_without_a_query_are_files() {
        assert_eq!(target("/en/answers/md-102-vs-ms-102"), file("/en/answers/md-102-vs-ms-102"));
        assert_eq!(target("/en/"), file("/en/"));
        assert_eq!(target("https://www.example.ch/de/topics/"), file("/de/topics/"));
        assert_eq!(target("md-102#sessions"), file("/en/courses/md-102"));
        assert_eq!(target("/en/search?q=md102"), file("/en/search"));
    }

    #[test]
    fn what_is_computed_per_request_needs_the_server() {
        assert_eq!(target("/en/advisor"), server("/en/advisor"));
        assert_eq!(target("/fr/plan"), server("/fr/plan"));
        assert_eq!(target("/en/answers/?page=2"), server("/en/answers/?page=2"));
        assert_eq!(
            target("/en/certifications/?vendor=Microsoft"),
            server("/en/certifications/?vendor=Microsoft")
        );
        assert_eq!(target("?session=3#inquiry"), server("/en/courses/md-102-course?session=3#inquiry"));
        assert_eq!(target("#inquiry"), server("/en/courses/md-102-course#inquiry"));
        assert_eq!(target("/en/courses/x/inquiry#inquiry"), server("/en/courses/x/inquiry#inquiry"));
        assert_eq!(target("/consent"), server("/consent"));
        assert_eq!(target("/admin/"), server("/admin/"));
        assert_eq!(target("/api/v1/search?q=x"), server("/api/v1/search?q=x"));
    }

    #[test]
    fn the_cookie_settings_lose_their_return_address() {
        assert_eq!(
            target("/en/cookies?return_to=%2Fen%2F"),
            Target::Static { path: "/en/cookies".into(), href: Some("/en/cookies".into()) }
        );
    }

    #[test]
    fn other_origins_and_fragments_are_left_alone() {
        assert_eq!(target("https://learn.microsoft.com/x"), Target::Foreign);
        assert_eq!(target("mailto:training@example.ch"), Target::Foreign);
        assert_eq!(target("#main"), Target::Foreign);
        assert_eq!(target("http://www.example.ch/en/"), Target::Foreign);
    }

    #[test]
    fn the_sitemap_keeps_every_page_but_the_computed_ones() {
        assert!(is_static_page("/en/search"));
        assert!(is_static_page("/de/certifications/md-102"));
        assert!(!is_static_page("/de/advisor"));
        assert!(!is_static_page("/fr/plan"));
    }
}
