//! What every page's `<head>` and frame needs: title, description, canonical URL,
//! Open Graph, JSON-LD, and the interface phrases of its language.

use serde::Serialize;
use serde_json::{Value, json};

use super::alternates::{self, LanguageLink};
use super::banner::ConsentView;
use super::visitor::Visitor;
use crate::i18n::{Lang, Ui};
use crate::snapshot::Snapshot;

#[derive(Debug)]
pub struct Layout {
    pub locale: String,
    pub site_name: String,
    pub base_url: String,
    pub title: String,
    pub description: String,
    /// Path of this page; the canonical URL is `base_url + path`.
    pub path: String,
    pub og_type: &'static str,
    pub json_ld: Vec<String>,
    pub noindex: bool,
    pub t: &'static Ui,
    /// The banner, the settings dialog and the granted services' scripts.
    pub consent: ConsentView,
    /// Fingerprinted addresses of the stylesheet, the consent script and the icon.
    pub stylesheet: &'static str,
    pub consent_script: &'static str,
    pub favicon: &'static str,
    /// The brand's logo and accent stylesheet, when `[brand]` has them.
    pub logo: Option<String>,
    pub logo_size: (u32, u32),
    pub accent_css: Option<String>,
    /// Footer links: the brand's, else the plain pages of this locale that exist.
    pub imprint: Option<String>,
    pub privacy: Option<String>,
    pub about: Option<String>,
    pub contact: Option<String>,
    /// The main navigation's entry this page belongs to (`answers`, `topics`, …).
    pub section: &'static str,
    /// Alternate representations announced in the head (`<link rel="alternate">`).
    pub markdown_twin: Option<String>,
    /// The canonical path when it is not `path` (a comparison asked in another order).
    pub canonical_path: Option<String>,
    /// `hreflang` alternates, `(hreflang, URL)`, and the language switcher
    /// (`alternates` has the rule).
    pub alternates: Vec<(String, String)>,
    pub languages: Vec<LanguageLink>,
    /// `og:locale` (`en_CH`) and the Open Graph locales of the other versions.
    pub og_locale: String,
    pub og_alternates: Vec<String>,
    /// The locale's Atom feed and its title.
    pub feed: String,
    pub feed_title: String,
    /// The search box's phrases and its suggestions script.
    pub search: &'static crate::i18n::Search,
    pub search_script: &'static str,
}

impl Layout {
    pub fn new(snapshot: &Snapshot, locale: &str, title: &str, path: &str, visitor: &Visitor) -> Self {
        let site = &snapshot.catalog.site;
        // A page's versions are those of its path; one with a query announces none.
        let (bare, query) = path.split_once('?').unwrap_or((path, ""));
        let versions = alternates::versions(snapshot, bare);
        let region = site.region.as_deref();
        Self {
            locale: locale.to_owned(),
            site_name: site.name.clone(),
            base_url: site.base_url.clone(),
            title: title.to_owned(),
            description: String::new(),
            path: path.to_owned(),
            og_type: "website",
            json_ld: Vec::new(),
            noindex: false,
            t: Lang::of(locale).ui(),
            consent: ConsentView::new(site, locale, path, visitor),
            stylesheet: &super::asset_files::STYLESHEET.url,
            consent_script: &super::asset_files::CONSENT_SCRIPT.url,
            favicon: super::asset_files::favicon_svg(),
            logo: snapshot.brand.logo.as_ref().map(|f| f.url.clone()),
            logo_size: (snapshot.brand.logo_width, crate::brand::LOGO_HEIGHT),
            accent_css: snapshot.brand.accent.as_ref().map(|f| f.url.clone()),
            imprint: site.brand.imprint_url.clone().or_else(|| own_page(snapshot, locale, "imprint")),
            privacy: privacy_url(snapshot, locale),
            about: own_page(snapshot, locale, "about"),
            contact: site.brand.contact_email.as_ref().map(|e| format!("mailto:{e}")),
            section: section_of(path),
            markdown_twin: None,
            canonical_path: None,
            alternates: if query.is_empty() {
                alternates::hreflang_links(snapshot, &versions)
            } else {
                Vec::new()
            },
            languages: alternates::languages(snapshot, locale, &versions),
            og_locale: alternates::og_locale(locale, region),
            og_alternates: versions
                .iter()
                .filter(|(l, _)| l != locale)
                .map(|(l, _)| alternates::og_locale(l, region))
                .collect(),
            feed: alternates::feed_path(locale),
            feed_title: alternates::feed_title(&site.name, locale),
            search: Lang::of(locale).ui().search,
            search_script: &super::asset_files::SEARCH_SCRIPT.url,
        }
    }

    /// Whether the main navigation's `entry` is the current section.
    pub fn is_section(&self, entry: &str) -> bool {
        self.section == entry
    }

    pub fn canonical(&self) -> String {
        format!("{}{}", self.base_url, self.canonical_path.as_deref().unwrap_or(&self.path))
    }

    /// The canonical path when it is not `path` (a comparison asked in another order);
    /// the alternates announced are the canonical page's.
    #[must_use]
    pub fn with_canonical(mut self, snapshot: &Snapshot, canonical: String) -> Self {
        self.alternates = alternates::hreflang_links(snapshot, &alternates::versions(snapshot, &canonical));
        self.canonical_path = Some(canonical);
        self
    }

    pub fn describe(mut self, description: &str) -> Self {
        self.description = truncate(description, 300);
        self
    }

    /// Adds a JSON-LD block, escaped so it cannot close its `<script>` element. Empty
    /// values (`""`, `[]`, `{}`, `null`) are left out: schema.org validators flag them.
    pub fn with_json_ld(mut self, value: &impl Serialize) -> Self {
        let mut value = serde_json::to_value(value).unwrap_or_default();
        prune(&mut value);
        let text = serde_json::to_string(&value).unwrap_or_default();
        self.json_ld.push(text.replace("</", "<\\/").replace("<!--", "<\\!--"));
        self
    }

    /// A breadcrumb trail as schema.org `BreadcrumbList`.
    pub fn with_breadcrumbs(self, crumbs: &[Crumb]) -> Self {
        let base = self.base_url.clone();
        let items: Vec<Value> = crumbs
            .iter()
            .enumerate()
            .map(|(i, c)| json!({"@type": "ListItem", "position": i + 1, "name": c.name, "item": format!("{base}{}", c.path)}))
            .collect();
        self.with_json_ld(
            &json!({"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}),
        )
    }

    /// A list's items as schema.org `ItemList` (`(path, name)`, the first at position
    /// `first`); nothing for an empty list.
    pub fn with_item_list(self, first: usize, items: impl IntoIterator<Item = (String, String)>) -> Self {
        let base = self.base_url.clone();
        let items: Vec<Value> = items
            .into_iter()
            .enumerate()
            .map(|(i, (path, name))| json!({"@type": "ListItem", "position": first + i, "url": format!("{base}{path}"), "name": name}))
            .collect();
        if items.is_empty() {
            return self;
        }
        self.with_json_ld(
            &json!({"@context": "https://schema.org", "@type": "ItemList", "itemListElement": items}),
        )
    }

    pub fn home(&self) -> String {
        format!("/{}/", self.locale)
    }
}

/// Drops empty strings, arrays, objects and nulls from a JSON value, inside out.
fn prune(value: &mut Value) {
    let empty = |v: &Value| match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    match value {
        Value::Array(items) => {
            items.iter_mut().for_each(prune);
            items.retain(|v| !empty(v));
        }
        Value::Object(fields) => {
            fields.values_mut().for_each(prune);
            fields.retain(|_, v| !empty(v));
        }
        _ => {}
    }
}

/// Where the privacy notice is: the brand's address, else the locale's `privacy` page.
pub fn privacy_url(snapshot: &Snapshot, locale: &str) -> Option<String> {
    snapshot.catalog.site.brand.privacy_url.clone().or_else(|| own_page(snapshot, locale, "privacy"))
}

/// `/{locale}/{slug}` when the plain page exists.
fn own_page(snapshot: &Snapshot, locale: &str, slug: &str) -> Option<String> {
    snapshot.has_page(locale, slug).then(|| format!("/{locale}/{slug}"))
}

/// The navigation entry of a path: its second segment, when it is one of the entries.
fn section_of(path: &str) -> &'static str {
    let second = path.trim_start_matches('/').split('/').nth(1).unwrap_or_default();
    ["answers", "certifications", "courses", "topics", "advisor", "plan", "compare"]
        .into_iter()
        .find(|s| *s == second)
        .unwrap_or_default()
}

/// One option of a list filter's `<select>` (`filter_select.html`).
#[derive(Debug)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct Crumb {
    pub name: String,
    pub path: String,
}

impl Crumb {
    pub fn new(name: impl Into<String>, path: impl Into<String>) -> Self {
        Self { name: name.into(), path: path.into() }
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let cut: String = s.chars().take(max - 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// Previous/next links of a paginated list.
#[derive(Debug)]
pub struct Pager {
    pub number: usize,
    pub pages: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The links of `page`, with `url(n)` the address of page `n`.
    pub fn new(page: &crate::domain::paging::Page, url: impl Fn(usize) -> String) -> Self {
        Self {
            number: page.number,
            pages: page.pages,
            prev: page.previous().map(&url),
            next: page.next().map(&url),
        }
    }
}

/// `Title (Page 2)` past the first page, so each page of a list has its own title.
pub fn numbered(title: &str, number: usize, page: &str) -> String {
    if number > 1 { format!("{title} ({page} {number})") } else { title.to_owned() }
}

/// `base` with `?page=n` (page 1 is `base` itself), after any parameters `base` has.
pub fn page_url(base: &str, n: usize) -> String {
    match (n, base.contains('?')) {
        (1, _) => base.to_owned(),
        (_, true) => format!("{base}&page={n}"),
        (_, false) => format!("{base}?page={n}"),
    }
}
