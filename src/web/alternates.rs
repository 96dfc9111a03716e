//! What a page announces as its alternates: its versions in the site's locales (the
//! `hreflang` links, the language switcher, Open Graph's locales, the sitemap's
//! alternates) and its locale's Atom feed. Depends on the snapshot only, so that every
//! page's layout can use it.
//!
//! The rules:
//! - **Versions.** An answer's versions are the answers with its `translation_key` in the
//!   other locales. A plain page (`pages/<locale>/<slug>.md`) exists only where its file
//!   does. Every other page type (home, and every page under one of the site's own
//!   names, `Page::ROUTE_NAMES`: lists, certification, course, topic, expert, compare,
//!   advisor, plan, cookies, search) exists in every locale at the same path with the
//!   locale swapped. A path that is none of these has no versions.
//! - **Alternates.** A page with at least one other version announces all of them,
//!   itself included, plus `x-default` for the default locale's version (when there is
//!   one). A page whose address has a query (a list's page 2, a filter) announces none:
//!   its counterpart in another locale may not exist. The switcher leads to the version
//!   without the query, else to that locale's answers list.

use crate::domain::{Page, Slug};
use crate::snapshot::Snapshot;

/// The versions of the page at `path` (without a query) in the site's locales, in the
/// order of `locales`, itself included: `(locale, path)`. Empty for a path that is no page.
pub fn versions(snapshot: &Snapshot, path: &str) -> Vec<(String, String)> {
    let Some((locale, rest)) = path.strip_prefix('/').map(|p| p.split_once('/').unwrap_or((p, ""))) else {
        return Vec::new();
    };
    if !snapshot.has_locale(locale) {
        return Vec::new();
    }
    let locales = &snapshot.catalog.site.locales;
    let swapped = |l: &String| (l.clone(), format!("/{l}/{rest}"));
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["answers", slug] if !slug.is_empty() => {
            let Some((answer, _)) = Slug::parse(slug).ok().and_then(|s| snapshot.answer(locale, &s)) else {
                return Vec::new();
            };
            locales
                .iter()
                // The shape parsed here, with the translation's locale and slug.
                .filter_map(|l| {
                    snapshot.translation(answer, l).map(|a| (l.clone(), format!("/{l}/answers/{}", a.slug)))
                })
                .collect()
        }
        [""] => locales.iter().map(swapped).collect(),
        [section, ..] if Page::is_route_name(section) => locales.iter().map(swapped).collect(),
        [slug] if snapshot.has_page(locale, slug) => {
            locales.iter().filter(|l| snapshot.has_page(l, slug)).map(swapped).collect()
        }
        _ => Vec::new(),
    }
}

/// The `hreflang` alternates of a page with these versions, as `(hreflang, absolute URL)`:
/// each version and `x-default`, or none when the page has no other version.
pub fn hreflang_links(snapshot: &Snapshot, versions: &[(String, String)]) -> Vec<(String, String)> {
    if versions.len() < 2 {
        return Vec::new();
    }
    let site = &snapshot.catalog.site;
    let mut out: Vec<(String, String)> =
        versions.iter().map(|(l, p)| (l.clone(), format!("{}{p}", site.base_url))).collect();
    if let Some((_, url)) = out.iter().find(|(l, _)| *l == site.default_locale) {
        out.push(("x-default".to_owned(), url.clone()));
    }
    out
}

/// A locale as Open Graph writes it: language and region (`de_CH`); without a region,
/// the language's main country.
pub fn og_locale(locale: &str, region: Option<&str>) -> String {
    let region = region.map_or_else(
        || match locale {
            "en" => "US".to_owned(),
            other => other.to_ascii_uppercase(),
        },
        str::to_owned,
    );
    format!("{locale}_{region}")
}

/// A language's name in that language, for the switcher.
pub fn autonym(locale: &str) -> &str {
    match locale {
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "it" => "Italiano",
        other => other,
    }
}

/// One entry of the language switcher.
#[derive(Debug)]
pub struct LanguageLink {
    pub code: String,
    /// `EN`, `DE`, `FR`.
    pub short: String,
    /// The language's own name, for screen readers.
    pub name: String,
    pub href: String,
    pub current: bool,
}

/// The switcher of a page in `locale` with these versions: every site locale, leading to
/// the page's version there, else to that locale's answers list. Empty for a site with
/// one locale.
pub fn languages(snapshot: &Snapshot, locale: &str, versions: &[(String, String)]) -> Vec<LanguageLink> {
    let locales = &snapshot.catalog.site.locales;
    if locales.len() < 2 {
        return Vec::new();
    }
    locales
        .iter()
        .map(|l| LanguageLink {
            code: l.clone(),
            short: l.to_ascii_uppercase(),
            name: autonym(l).to_owned(),
            href: versions
                .iter()
                .find(|(v, _)| v == l)
                .map_or_else(|| format!("/{l}/answers/"), |(_, p)| p.clone()),
            current: l == locale,
        })
        .collect()
}

/// The address of a locale's Atom feed.
pub fn feed_path(locale: &str) -> String {
    format!("/{locale}/feed.xml")
}

/// The title of a locale's Atom feed (the feed's own and its link's).
pub fn feed_title(site_name: &str, locale: &str) -> String {
    format!("{site_name}: {}", crate::i18n::Lang::of(locale).ui().answers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn og_locales_take_the_region_or_the_language_s_country() {
        assert_eq!(og_locale("de", Some("CH")), "de_CH");
        assert_eq!(og_locale("en", Some("CH")), "en_CH");
        assert_eq!(og_locale("en", None), "en_US");
        assert_eq!(og_locale("de", None), "de_DE");
        assert_eq!(og_locale("fr", None), "fr_FR");
    }
}
