//! One parser per kind of content file: TOML tables in, domain records out, with the
//! positions of the values that other files must agree with.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::reader::{Located, Table};
use crate::domain::colour::MIN_TEXT_CONTRAST;
use crate::domain::{
    Answer, Brand, Certification, CertificationText, Choose, Colour, ConsentCategory, ConsentService,
    CookieSpec, Course, CourseText, Delivery, Expert, Insight, Level, Money, Page, Prerequisites,
    Responsibility, Session, Site, SkillDomain, Slug, Source, Status, Topic, TopicText, Translations,
    is_email,
};

/// Offsets of values by field path (`certification`, `certifications[1]`,
/// `domains[0].responsibilities[2]`), for messages from the cross-file checks.
#[derive(Debug, Default, Clone)]
pub struct Locs(HashMap<String, usize>);

impl Locs {
    fn put<T>(&mut self, path: impl Into<String>, v: &Located<T>) {
        self.0.insert(path.into(), v.at);
    }

    /// The offset of a field, or of the start of the record when it has none.
    pub fn get(&self, path: &str) -> usize {
        self.0.get(path).copied().unwrap_or(0)
    }
}

fn value<T>(v: Option<Located<T>>) -> Option<T> {
    v.map(|l| l.value)
}

fn values<T>(v: Vec<Located<T>>) -> Vec<T> {
    v.into_iter().map(|l| l.value).collect()
}

fn put_all<T>(locs: &mut Locs, key: &str, items: &[Located<T>]) {
    for (i, item) in items.iter().enumerate() {
        locs.put(format!("{key}[{i}]"), item);
    }
}

fn u32_of(v: Option<Located<i64>>) -> Option<u32> {
    v.and_then(|l| u32::try_from(l.value).ok())
}

fn u8_of(v: Option<Located<i64>>) -> Option<u8> {
    v.and_then(|l| u8::try_from(l.value).ok())
}

fn absolute_url(s: &str) -> Result<String, String> {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.starts_with('/') && !s.contains(char::is_whitespace) => {
            Ok(s.to_owned())
        }
        _ => Err(format!("`{s}` is not an absolute http(s) URL")),
    }
}

/// A link the site shows: a path on the site itself (`/en/imprint`) or an absolute
/// http(s) URL.
fn site_path_or_url(s: &str) -> Result<String, String> {
    let is_path = s.starts_with('/') && !s.starts_with("//");
    let path_ok = is_path && !s.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\');
    if path_ok || (!is_path && absolute_url(s).is_ok()) {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is neither a path on the site (like `/en/imprint`) nor an absolute http(s) URL"))
    }
}

/// An email address of the usual shape, `name@example.ch` ([`is_email`]: the same rule as
/// a reader's inquiry).
fn email(s: &str) -> Result<String, String> {
    if is_email(s) {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is not an email address like `training@example.ch`"))
    }
}

/// The logo's place: a relative path inside the content directory's `static/`, to an
/// `.svg` file.
fn logo_path(s: &str) -> Result<String, String> {
    let segments: Vec<&str> = s.split('/').collect();
    let inside_static = segments.len() >= 2
        && segments[0] == "static"
        && !s.contains('\\')
        && segments.iter().all(|seg| !seg.is_empty() && *seg != "." && *seg != "..");
    if !inside_static {
        return Err(format!("`{s}` is not a path inside `static/`: write it like `static/logo.svg`"));
    }
    let file = segments.last().copied().unwrap_or_default();
    if file.len() <= 4 || !file.to_ascii_lowercase().ends_with(".svg") {
        return Err(format!("`{s}` is not an SVG file: the logo's name must end in `.svg`"));
    }
    Ok(s.to_owned())
}

/// Query parameters that carry a search.
const SEARCH_PARAMETERS: &[&str] = &["q", "query", "search", "s", "search_query"];

/// Whether a URL is a page of search results (a search engine's, a code host's or a
/// site's own): its path is or ends in `/search`, or it carries a search parameter
/// (`q=`, `query=`, `search=`, `s=`, `search_query=`). Such a page changes from day to
/// day and states nothing itself, so it cannot back a fact.
///
/// ```
/// use certwise::content::is_search_results_page;
/// assert!(is_search_results_page("https://github.com/search?q=md-102&type=code"));
/// assert!(!is_search_results_page("https://learn.microsoft.com/credentials/certifications/resources/study-guides/md-102"));
/// ```
pub fn is_search_results_page(url: &str) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let path = url.path().trim_end_matches('/').to_ascii_lowercase();
    path.ends_with("/search")
        || url.query_pairs().any(|(key, _)| SEARCH_PARAMETERS.contains(&key.to_ascii_lowercase().as_str()))
}

/// An origin for a CSP source list: `https://host[:port]`, nothing else.
fn origin(s: &str) -> Result<String, String> {
    let err =
        || format!("`{s}` is not an origin: expected `https://host` or `https://host:port`, without a path");
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).ok_or_else(err)?;
    let (host, port) = rest.split_once(':').unwrap_or((rest, ""));
    let host_ok = !host.is_empty()
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let port_ok = port.is_empty() && !rest.contains(':')
        || (!port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit()));
    if host_ok && port_ok { Ok(s.to_owned()) } else { Err(err()) }
}

/// A cookie name as HTTP allows it (an RFC 6265 token).
fn cookie_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!("`{s}` is not a cookie name: letters, digits and `!#$%&'*+-.^_`|~` only"))
    }
}

pub fn locale_code(s: &str) -> Result<String, String> {
    let ok = (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase());
    if ok { Ok(s.to_owned()) } else { Err(format!("`{s}` is not a locale code such as `en`, `de` or `fr`")) }
}

/// `[translations.<locale>]` of a certification, course or topic: each locale's table
/// read by `read` (which asks for the fields it knows, so that any other is reported as
/// unknown). The locale's shape is checked here; whether the site publishes it, and that
/// it is not the default locale, by the cross-file checks, which find it in `locs` as
/// `translations.<locale>`.
fn translations<T>(t: &Table, locs: &mut Locs, read: impl Fn(&Table) -> T) -> Translations<T> {
    let mut out = Translations::new();
    for (locale, table) in t.named_tables("translations") {
        let text = read(&table);
        table.finish();
        if let Some(locale) = t.check("translations", &locale, locale_code) {
            locs.put(format!("translations.{}", locale.value), &locale);
            out.insert(locale.value, text);
        }
    }
    out
}

/// An optional translated text: absent, or a string that is not blank.
fn translated(t: &Table, key: &'static str) -> Option<Located<String>> {
    t.opt_string(key).filter(|s| {
        let blank = s.value.trim().is_empty();
        if blank {
            t.ctx().error(s.at, format!("`{key}` must not be empty: leave it out instead"));
        }
        !blank
    })
}

/// `[translations.<locale>]` of a certification. Its `roles` translate the
/// certification's own one by one, so they must be as many (`roles` is the number the
/// certification has).
fn certification_text(t: &Table, roles: usize) -> CertificationText {
    let title = translated(t, "title");
    let scope = translated(t, "scope");
    let summary = translated(t, "summary");
    let translated_roles = t.opt_strings("roles").filter(|r| {
        let n = r.value.len();
        let fits = n == roles;
        if !fits {
            let entries = |n: usize| if n == 1 { "1 entry".to_owned() } else { format!("{n} entries") };
            t.ctx().error(
                r.at,
                format!(
                    "`roles` has {} but the certification's own `roles` has {}: translate each role, in the \
                     same order",
                    entries(n),
                    entries(roles)
                ),
            );
        }
        fits
    });
    CertificationText {
        title: value(title),
        scope: value(scope),
        summary: value(summary),
        roles: translated_roles.map(|r| values(r.value)),
    }
}

/// A region as ISO 3166-1 alpha-2 writes it: two capital letters (`CH`).
pub fn region_code(s: &str) -> Result<String, String> {
    let ok = s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase());
    if ok {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "`{s}` is not a region code: two capital letters (ISO 3166-1 alpha-2) such as `CH` or `DE`"
        ))
    }
}

/// `site.toml`: the site, the positions of its values, and the logo's path as written
/// (read and checked by the caller, which knows the directory).
pub fn site(t: &Table) -> Option<(Site, Locs, Option<Located<String>>)> {
    let mut locs = Locs::default();
    let name = t.string("name");
    let base_url = t.string("base_url").and_then(|s| {
        let s = t.check("base_url", &s, absolute_url)?;
        if s.value.ends_with('/') {
            t.ctx().error(s.at, "`base_url` must not end with a slash");
            return None;
        }
        Some(s)
    });
    let default_locale = t.string("default_locale").and_then(|s| t.check("default_locale", &s, locale_code));
    let locales: Option<Vec<Located<String>>> = t
        .req_strings("locales")
        .map(|v| v.into_iter().filter_map(|s| t.check("locales", &s, locale_code)).collect());
    if let Some(l) = &locales {
        put_all(&mut locs, "locales", l);
        if l.is_empty() {
            t.ctx().error(t.at(), "`locales` must list at least one locale");
        }
    }
    if let (Some(d), Some(l)) = (&default_locale, &locales) {
        if !l.iter().any(|x| x.value == d.value) {
            t.ctx().error(d.at, format!("`default_locale` `{}` is not one of `locales`", d.value));
        }
    }
    let region = t.opt_string("region").and_then(|s| t.check("region", &s, region_code));
    let (policy_version, services) = match t.table("consent") {
        Some(c) => {
            let pv = c.string("policy_version");
            let services: Vec<_> = c.tables("services").iter().filter_map(consent_service).collect();
            c.finish();
            for (i, (_, id)) in services.iter().enumerate() {
                locs.put(format!("consent.services[{i}].id"), id);
            }
            (pv.map(|p| p.value), services.into_iter().map(|(s, _)| s).collect())
        }
        None => (Some("1".to_owned()), Vec::new()),
    };
    let (brand, logo) = t.table("brand").map(|b| brand(&b, &mut locs)).unwrap_or_default();
    t.finish();
    Some((
        Site {
            name: value(name)?,
            base_url: value(base_url)?,
            default_locale: value(default_locale)?,
            locales: values(locales?),
            region: value(region),
            policy_version: policy_version?,
            services,
            brand,
        },
        locs,
        logo,
    ))
}

/// `[brand]`: every field optional. The logo's path is returned for the caller to read;
/// `logo_svg` stays empty here.
fn brand(t: &Table, locs: &mut Locs) -> (Brand, Option<Located<String>>) {
    let logo = t.opt_string("logo").and_then(|s| t.check("logo", &s, logo_path));
    let accent = t.opt_string("accent").and_then(|s| {
        let colour = t.check("accent", &s, Colour::parse)?;
        let ratio = colour.value.contrast_with(Colour::WHITE);
        if ratio < MIN_TEXT_CONTRAST {
            // Shown cut, not rounded, so that 4.49 never reads as 4.5.
            let shown = (ratio * 100.0).floor() / 100.0;
            t.ctx().warning(
                s.at,
                format!(
                    "`accent` `{}` has a contrast of {shown:.2}:1 with white, below the {MIN_TEXT_CONTRAST}:1 that \
                     text needs (WCAG AA): white text on it, and links in it on white, would be hard to read; \
                     choose a darker colour",
                    s.value
                ),
            );
        }
        Some(colour.value.to_string())
    });
    let contact_email = t.opt_string("contact_email").and_then(|s| t.check("contact_email", &s, email));
    let imprint_url = t.opt_string("imprint_url").and_then(|s| t.check("imprint_url", &s, site_path_or_url));
    let privacy_url = t.opt_string("privacy_url").and_then(|s| t.check("privacy_url", &s, site_path_or_url));
    for (key, v) in [("brand.imprint_url", &imprint_url), ("brand.privacy_url", &privacy_url)] {
        if let Some(v) = v {
            locs.put(key, v);
        }
    }
    t.finish();
    let brand = Brand {
        logo_svg: None,
        accent,
        contact_email: value(contact_email),
        imprint_url: value(imprint_url),
        privacy_url: value(privacy_url),
    };
    (brand, logo)
}

/// A `[[consent.services]]` entry, with its located `id` for the uniqueness check.
fn consent_service(t: &Table) -> Option<(ConsentService, Located<Slug>)> {
    let id = t.slug("id");
    let category = t.one_of::<ConsentCategory>("category");
    let name = t.string("name");
    let purpose = t.string("purpose");
    let script_src = t.opt_string("script_src").and_then(|s| {
        t.check("script_src", &s, |v| {
            if v.starts_with('/') && !v.starts_with("//") { Ok(v.to_owned()) } else { absolute_url(v) }
        })
    });
    let hosts: Vec<_> = t.strings("hosts").into_iter().filter_map(|s| t.check("hosts", &s, origin)).collect();
    let cookies: Vec<_> = t
        .tables("cookies")
        .iter()
        .filter_map(|c| {
            let name = c.string("name").and_then(|n| c.check("name", &n, cookie_name));
            let lifetime = u32_of(c.integer("lifetime_days", 0..=3650));
            c.finish();
            Some(CookieSpec { name: value(name)?, lifetime_days: lifetime? })
        })
        .collect();
    t.finish();
    let id = id?;
    let service = ConsentService {
        id: id.value.clone(),
        category: value(category)?,
        name: value(name)?,
        purpose: value(purpose)?,
        script_src: value(script_src),
        hosts: values(hosts),
        cookies,
    };
    Some((service, id))
}

/// `responsibilities.toml`: the ids with their positions, and every well-formed id
/// (also of entries with other mistakes, so that references to them are not reported).
pub fn responsibilities(t: &Table) -> (Vec<(Responsibility, usize)>, BTreeSet<Slug>) {
    let mut ids = BTreeSet::new();
    let out = t
        .tables("responsibility")
        .iter()
        .filter_map(|r| {
            let id = r.slug("id");
            let label = r.string("label");
            let translations: BTreeMap<String, String> = r
                .keys_matching(|k| k.strip_prefix("label_").is_some_and(|l| locale_code(l).is_ok()))
                .into_iter()
                .map(|(k, v)| (k["label_".len()..].to_owned(), v.value))
                .collect();
            r.finish();
            let id = id?;
            ids.insert(id.value.clone());
            Some((Responsibility { id: id.value, label: value(label)?, translations }, id.at))
        })
        .collect();
    t.finish();
    (out, ids)
}

/// A certification's own code: an exam code with no group `VS`, since comparison URLs
/// split codes on `-vs-` (INTERFACES.md).
fn catalog_code(s: &str) -> Result<crate::domain::Code, String> {
    let code = crate::domain::Code::parse(s)?;
    if code.as_str().split('-').any(|group| group == "VS") {
        return Err(format!(
            "`{s}` has a group `VS`: comparison URLs split codes on `-vs-`, so no exam code may hold one"
        ));
    }
    Ok(code)
}

pub fn certification(t: &Table) -> Option<(Certification, Locs)> {
    let mut locs = Locs::default();
    let code = t.string("code").and_then(|s| t.check("code", &s, catalog_code));
    if let Some(c) = &code {
        locs.put("code", c);
    }
    let vendor = t.string("vendor");
    let title = t.string("title");
    let credential = t.string("credential");
    let level = t.one_of::<Level>("level");
    let scope = t.string("scope");
    let summary = t.string("summary");
    let technologies = t.req_strings("technologies");
    let roles = t.strings("roles");
    let prerequisites = t.codes("prerequisites");
    put_all(&mut locs, "prerequisites", &prerequisites);
    let status = t.one_of::<Status>("status");
    let retires_on = t.opt_date("retires_on");
    let successor = t.opt_code("successor");
    if let Some(s) = &successor {
        locs.put("successor", s);
    }
    let exam_minutes = u32_of(t.opt_integer("exam_minutes", 1..=1440));
    let uncertain = t.strings("uncertain");
    for u in &uncertain {
        if !Certification::FIELDS.contains(&u.value.as_str()) {
            let expected = Certification::FIELDS.join("`, `");
            t.ctx().error(
                u.at,
                format!(
                    "`uncertain` names `{}`, which is not a field; expected one of `{expected}`",
                    u.value
                ),
            );
        }
    }
    let domains: Vec<Option<SkillDomain>> =
        t.tables("domains").iter().enumerate().map(|(i, d)| skill_domain(d, i, &mut locs)).collect();
    let sources: Vec<Option<Source>> = t.tables("sources").iter().map(source).collect();
    if sources.is_empty() {
        t.ctx().error(t.at(), "a certification needs at least one `[[sources]]` entry (url and checked_on)");
    }
    let translations = translations(t, &mut locs, |tr| certification_text(tr, roles.len()));
    t.finish();
    let code = code?;
    Some((
        Certification {
            code: code.value,
            vendor: value(vendor)?,
            title: value(title)?,
            credential: value(credential)?,
            level: value(level)?,
            scope: value(scope)?,
            summary: value(summary)?,
            technologies: values(technologies?),
            roles: values(roles),
            prerequisites: Prerequisites::any_one_of(values(prerequisites)),
            status: value(status)?,
            retires_on: value(retires_on),
            successor: value(successor),
            exam_minutes,
            uncertain: values(uncertain),
            domains: domains.into_iter().collect::<Option<_>>()?,
            sources: sources.into_iter().collect::<Option<_>>()?,
            translations,
        },
        locs,
    ))
}

fn skill_domain(d: &Table, i: usize, locs: &mut Locs) -> Option<SkillDomain> {
    let name = d.string("name");
    let min = d.integer("weight_min", 0..=100);
    let max = d.integer("weight_max", 0..=100);
    if let (Some(lo), Some(hi)) = (&min, &max) {
        if lo.value > hi.value {
            let message = format!("`weight_min` ({}) is greater than `weight_max` ({})", lo.value, hi.value);
            d.ctx().error(lo.at, message);
        }
    }
    let resp = d.slugs("responsibilities");
    put_all(locs, &format!("domains[{i}].responsibilities"), &resp);
    d.finish();
    Some(SkillDomain {
        name: value(name)?,
        weight_min: u8_of(min)?,
        weight_max: u8_of(max)?,
        responsibilities: values(resp),
    })
    .filter(|d| d.weight_min <= d.weight_max)
}

fn source(s: &Table) -> Option<Source> {
    let url = s.string("url").and_then(|u| s.check("url", &u, absolute_url));
    if let Some(u) = url.as_ref().filter(|u| is_search_results_page(&u.value)) {
        s.ctx().warning(
            u.at,
            format!(
                "source `{}` is a search-results page: cite the page that states the facts, so that a reader \
                 can check them",
                u.value
            ),
        );
    }
    let checked_on = s.date("checked_on");
    s.finish();
    Some(Source { url: value(url)?, checked_on: value(checked_on)? })
}

pub fn course(t: &Table) -> Option<(Course, Locs)> {
    let mut locs = Locs::default();
    let slug = t.slug("slug");
    let certification = t.code("certification");
    if let Some(c) = &certification {
        locs.put("certification", c);
    }
    if let Some(s) = &slug {
        locs.put("slug", s);
    }
    let title = t.string("title");
    let duration_days = u32_of(t.integer("duration_days", 1..=365));
    let price = t.string("price");
    let currency = t.string("currency");
    // The amount and the currency are checked apart, so that both mistakes are
    // reported, each at its own value.
    let price = price.filter(|p| match Money::parse(&p.value, "XXX") {
        Ok(_) => true,
        Err(e) => {
            t.ctx().error(p.at, format!("`price`: {e}"));
            false
        }
    });
    let currency = currency.filter(|c| match Money::parse("0", &c.value) {
        Ok(_) => true,
        Err(e) => {
            t.ctx().error(c.at, format!("`currency`: {e}"));
            false
        }
    });
    let money = match (price, currency) {
        (Some(p), Some(c)) => Money::parse(&p.value, &c.value).ok(),
        _ => None,
    };
    let price_note = t.opt_string("price_note").filter(|n| {
        let blank = n.value.trim().is_empty();
        if blank {
            t.ctx().error(n.at, "`price_note` must not be empty: leave it out instead");
        }
        !blank
    });
    let delivery = t.words::<Delivery>("delivery");
    if let Some(d) = &delivery {
        if d.is_empty() {
            t.ctx().error(t.at(), "`delivery` must list at least one mode");
        }
    }
    let teachers = t.slugs("teachers");
    put_all(&mut locs, "teachers", &teachers);
    let sessions: Vec<Option<ReadSession>> = t.tables("sessions").iter().map(session).collect();
    unique_session_ids(t, &sessions);
    let has_note = price_note.is_some();
    let translations = translations(t, &mut locs, |tr| {
        let price_note = translated(tr, "price_note").filter(|n| {
            if !has_note {
                tr.ctx().error(
                    n.at,
                    "`price_note` translates nothing: the course has no `price_note` of its own",
                );
            }
            has_note
        });
        CourseText {
            title: value(translated(tr, "title")),
            price_note: value(price_note).map(|n| n.trim().to_owned()),
        }
    });
    t.finish();
    Some((
        Course {
            slug: value(slug)?,
            certification: value(certification)?,
            title: value(title)?,
            duration_days: duration_days?,
            price: money?,
            price_note: value(price_note).map(|n| n.trim().to_owned()),
            delivery: values(delivery?),
            teachers: values(teachers),
            sessions: sessions.into_iter().map(|s| s.map(|s| s.session)).collect::<Option<_>>()?,
            translations,
        },
        locs,
    ))
}

/// A session read, with where its id was written (or where the entry starts, when the
/// id is the default) and whether it was written.
struct ReadSession {
    session: Session,
    at: usize,
    explicit: bool,
}

fn session(s: &Table) -> Option<ReadSession> {
    // `None` when absent, `Some(None)` when written but not an identifier.
    let id = s.opt_string("id").map(|i| s.check("id", &i, Slug::parse));
    let starts_on = s.date("starts_on");
    let location = s.string("location");
    let language = s.string("language").and_then(|l| s.check("language", &l, locale_code));
    let seats = u32_of(s.integer("seats", 0..=10_000));
    s.finish();
    let (starts_on, location) = (value(starts_on)?, value(location)?);
    let (id, at, explicit) = match id {
        Some(id) => {
            let id = id?;
            (id.value, id.at, true)
        }
        None => (Session::default_id(starts_on, &location), s.at(), false),
    };
    Some(ReadSession {
        at,
        explicit,
        session: Session { id, starts_on, location, language: value(language)?, seats: seats? },
    })
}

/// A session's id names it among the course's sessions, so no two may share one: the
/// second is reported, naming the first.
fn unique_session_ids(t: &Table, sessions: &[Option<ReadSession>]) {
    for (i, later) in sessions.iter().enumerate() {
        let Some(later) = later else { continue };
        let first = sessions[..i]
            .iter()
            .enumerate()
            .find_map(|(j, s)| s.as_ref().filter(|s| s.session.id == later.session.id).map(|s| (j, s)));
        if let Some((j, first)) = first {
            let how = if later.explicit && first.explicit {
                "give one of them another `id`"
            } else {
                "a session without `id` is named by its `starts_on` and `location`; give one of them an `id`"
            };
            let message = format!(
                "duplicate session id `{}`: `sessions` entries {} and {} both have it; {how}",
                later.session.id,
                j + 1,
                i + 1,
            );
            t.ctx().error(later.at, message);
        }
    }
}

pub fn expert(t: &Table) -> Option<(Expert, Locs)> {
    let mut locs = Locs::default();
    let slug = t.slug("slug");
    if let Some(s) = &slug {
        locs.put("slug", s);
    }
    let name = t.string("name");
    let credentials = t.req_strings("credentials");
    let bio = t.string("bio");
    t.finish();
    Some((
        Expert {
            slug: value(slug)?,
            name: value(name)?,
            credentials: values(credentials?),
            bio: value(bio)?,
        },
        locs,
    ))
}

pub fn topic(t: &Table) -> Option<(Topic, Locs)> {
    let mut locs = Locs::default();
    let slug = t.slug("slug");
    if let Some(s) = &slug {
        locs.put("slug", s);
    }
    let title = t.string("title");
    let description = t.opt_string("description");
    let has_description = description.is_some();
    let translations = translations(t, &mut locs, |tr| {
        let description = translated(tr, "description").filter(|d| {
            if !has_description {
                tr.ctx().error(
                    d.at,
                    "`description` translates nothing: the topic has no `description` of its own",
                );
            }
            has_description
        });
        TopicText { title: value(translated(tr, "title")), description: value(description) }
    });
    t.finish();
    Some((
        Topic {
            slug: value(slug)?,
            title: value(title)?,
            description: value(description).unwrap_or_default(),
            translations,
        },
        locs,
    ))
}

/// An answer's front matter; `locale`, `slug` and `body` come from the file's place
/// and text.
pub fn answer(t: &Table, locale: &str, slug: Slug, body: String) -> Option<(Answer, Locs)> {
    let mut locs = Locs::default();
    let question = t.string("question");
    let short_answer = t.string("short_answer");
    let certifications = t.codes("certifications");
    put_all(&mut locs, "certifications", &certifications);
    let topics = t.slugs("topics");
    let author = t.slug("author");
    if let Some(a) = &author {
        locs.put("author", a);
    }
    let published_on = t.date("published_on");
    let reviewed_on = t.opt_date("reviewed_on");
    if let (Some(p), Some(r)) = (&published_on, &reviewed_on) {
        if r.value < p.value {
            t.ctx()
                .error(r.at, format!("`reviewed_on` ({}) is before `published_on` ({})", r.value, p.value));
        }
    }
    let translation_key = t
        .opt_string("translation_key")
        .and_then(|k| t.check("translation_key", &k, |s| Slug::parse(s).map(|_| s.to_owned())));
    if let Some(k) = &translation_key {
        locs.put("translation_key", k);
    }
    let choose: Vec<Option<Choose>> = t
        .tables("choose")
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let certification = c.code("certification");
            if let Some(code) = &certification {
                locs.put(format!("choose[{i}].certification"), code);
            }
            let when = c.string("when");
            c.finish();
            Some(Choose { certification: value(certification)?, when: value(when)? })
        })
        .collect();
    let insight = t.table("insight").map(|i| {
        let expert = i.slug("expert");
        if let Some(e) = &expert {
            locs.put("insight.expert", e);
        }
        let text = i.string("text");
        i.finish();
        Some(Insight { expert: value(expert)?, text: value(text)? })
    });
    if body.trim().is_empty() {
        t.ctx()
            .error(t.ctx().base, "the answer has no detailed answer: write Markdown after the closing `+++`");
    }
    t.finish();
    let published_on = value(published_on)?;
    Some((
        Answer {
            locale: locale.to_owned(),
            slug,
            question: value(question)?,
            short_answer: value(short_answer)?,
            certifications: values(certifications),
            topics: values(topics),
            author: value(author)?,
            published_on,
            reviewed_on: value(reviewed_on).unwrap_or(published_on),
            translation_key: value(translation_key),
            choose: choose.into_iter().collect::<Option<_>>()?,
            insight: match insight {
                Some(i) => Some(i?),
                None => None,
            },
            body,
        },
        locs,
    ))
}

/// A plain page's front matter; `locale`, `slug` and `body` come from the file's place
/// and text.
pub fn page(t: &Table, locale: &str, slug: Slug, body: String) -> Option<(Page, Locs)> {
    let title = t.string("title");
    if body.trim().is_empty() {
        t.ctx().error(t.ctx().base, "the page has no text: write Markdown after the closing `+++`");
    }
    t.finish();
    Some((Page { locale: locale.to_owned(), slug, title: value(title)?, body }, Locs::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::diagnostics::SourceFile;
    use crate::content::reader::Ctx;

    /// Runs a parser over `toml` as the whole of `site.toml`; its result and every
    /// diagnostic as displayed.
    fn run<T>(toml: &str, parse: impl FnOnce(&Table<'_, '_, '_>) -> Option<T>) -> (Option<T>, Vec<String>) {
        let file = SourceFile::new("site.toml".into(), toml.to_owned());
        let ctx = Ctx::new(&file, 0);
        let out = ctx.parse(toml).and_then(|table| parse(&Table::new(&ctx, &table, "the file")));
        (out, ctx.into_diagnostics().iter().map(ToString::to_string).collect())
    }

    const SITE: &str =
        "name = \"X\"\nbase_url = \"https://x.example\"\ndefault_locale = \"en\"\nlocales = [\"en\"]\n";

    /// `site.toml` with `[brand]` holding `brand`: the brand read, the logo path, and
    /// the diagnostics.
    fn brand(brand: &str) -> (Option<(Brand, Option<String>)>, Vec<String>) {
        let text = format!("{SITE}[brand]\n{brand}\n");
        let (out, diagnostics) = run(&text, site);
        (out.map(|(site, _, logo)| (site.brand, logo.map(|l| l.value))), diagnostics)
    }

    #[test]
    fn a_full_brand_is_read_with_the_accent_normalised() {
        let (out, diagnostics) = brand(concat!(
            "logo = \"static/brand/logo.svg\"\n",
            "accent = \"#0B5CAB\"\n",
            "contact_email = \"training@example.ch\"\n",
            "imprint_url = \"/en/imprint\"\n",
            "privacy_url = \"https://www.example.ch/privacy?lang=en\"\n",
        ));
        assert_eq!(diagnostics, Vec::<String>::new());
        let (brand, logo) = out.unwrap();
        assert_eq!(logo.as_deref(), Some("static/brand/logo.svg"));
        assert_eq!(
            brand,
            Brand {
                logo_svg: None,
                accent: Some("#0b5cab".into()),
                contact_email: Some("training@example.ch".into()),
                imprint_url: Some("/en/imprint".into()),
                privacy_url: Some("https://www.example.ch/privacy?lang=en".into()),
            }
        );
        assert_eq!(brand_of("accent = \"#fff\"").accent.as_deref(), Some("#ffffff"), "short form doubled");
    }

    fn brand_of(fields: &str) -> Brand {
        brand(fields).0.unwrap().0
    }

    #[test]
    fn no_brand_is_the_default_brand() {
        let (out, diagnostics) = run(SITE, site);
        assert_eq!(diagnostics, Vec::<String>::new());
        let (site, _, logo) = out.unwrap();
        assert_eq!(site.brand, Brand::default());
        assert!(logo.is_none());
    }

    #[test]
    fn bad_accent() {
        let (_, diagnostics) = brand("accent = \"blue\"");
        assert_eq!(
            diagnostics,
            [
                "site.toml:6:10: error: `accent`: `blue` is not a colour: expected `#rrggbb` or `#rgb` in hexadecimal, like `#0b5cab`"
            ]
        );
        let (_, diagnostics) = brand("accent = \"#12345\"");
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].contains("`#12345` is not a colour"), "{diagnostics:?}");
    }

    #[test]
    fn an_accent_below_four_and_a_half_to_one_is_a_warning() {
        let (out, diagnostics) = brand("accent = \"#fc0\"");
        assert_eq!(
            diagnostics,
            [
                "site.toml:6:10: warning: `accent` `#fc0` has a contrast of 1.51:1 with white, below the 4.5:1 that \
              text needs (WCAG AA): white text on it, and links in it on white, would be hard to read; choose a \
              darker colour"
            ]
        );
        assert_eq!(out.unwrap().0.accent.as_deref(), Some("#ffcc00"), "a warning keeps the value");
        // 4.48:1 is cut, not rounded up to the threshold.
        let (_, diagnostics) = brand("accent = \"#777777\"");
        assert!(diagnostics[0].contains("a contrast of 4.47:1"), "{diagnostics:?}");
        assert_eq!(brand("accent = \"#767676\"").1, Vec::<String>::new(), "4.54:1 passes");
    }

    #[test]
    fn bad_email() {
        for bad in [
            "training",
            "training@",
            "@example.ch",
            "training@example",
            "Training <training@example.ch>",
            "train ing@example.ch",
            "training@@example.ch",
            "training.@example.ch",
            ".training@example.ch",
            "tr..aining@example.ch",
            "training@-example.ch",
            "training@example..ch",
            "training@example.123",
            "trainïng@example.ch",
        ] {
            let (_, diagnostics) = brand(&format!("contact_email = \"{bad}\""));
            assert_eq!(
                diagnostics,
                [format!(
                    "site.toml:6:17: error: `contact_email`: `{bad}` is not an email address like `training@example.ch`"
                )],
                "{bad}"
            );
        }
        for good in ["a@b.ch", "first.last+courses@mail.example-academy.ch", "o'brien@example.co.uk"] {
            assert_eq!(brand_of(&format!("contact_email = \"{good}\"")).contact_email.as_deref(), Some(good));
        }
    }

    #[test]
    fn bad_url() {
        for (key, bad) in [
            ("imprint_url", "en/imprint"),
            ("imprint_url", "//evil.example/imprint"),
            ("imprint_url", "/en/im print"),
            ("privacy_url", "ftp://example.ch/privacy"),
            ("privacy_url", "javascript:alert(1)"),
            ("privacy_url", "https://"),
        ] {
            let (_, diagnostics) = brand(&format!("{key} = \"{bad}\""));
            assert_eq!(diagnostics.len(), 1, "{bad}: {diagnostics:?}");
            assert!(
                diagnostics[0].ends_with(&format!(
                    "error: `{key}`: `{bad}` is neither a path on the site (like `/en/imprint`) nor an absolute http(s) URL"
                )),
                "{diagnostics:?}"
            );
        }
    }

    #[test]
    fn bad_logo_path() {
        for bad in
            ["logo.svg", "/static/logo.svg", "static/../site.toml", "static//logo.svg", "static\\\\logo.svg"]
        {
            let (_, diagnostics) = brand(&format!("logo = \"{bad}\""));
            let shown = bad.replace("\\\\", "\\");
            assert_eq!(
                diagnostics,
                [format!(
                    "site.toml:6:8: error: `logo`: `{shown}` is not a path inside `static/`: write it like `static/logo.svg`"
                )]
            );
        }
        let (_, diagnostics) = brand("logo = \"static/logo.png\"");
        assert_eq!(
            diagnostics,
            [
                "site.toml:6:8: error: `logo`: `static/logo.png` is not an SVG file: the logo's name must end in `.svg`"
            ]
        );
    }

    #[test]
    fn unknown_brand_field() {
        let (_, diagnostics) = brand("colour = \"#0b5cab\"");
        assert_eq!(
            diagnostics,
            [
                "site.toml:6:1: error: unknown field `colour` in `[brand]`, expected one of `accent`, `contact_email`, \
              `imprint_url`, `logo`, `privacy_url`"
            ]
        );
    }

    #[test]
    fn search_results_pages() {
        for url in [
            "https://github.com/search?type=code&q=%22Microsoft+Certification+Paths+Data%22",
            "https://www.google.com/search?q=md-102",
            "https://www.google.ch/search?q=md-102",
            "https://www.bing.com/search?q=md-102",
            "https://duckduckgo.com/?q=md-102",
            "https://learn.microsoft.com/en-us/search/?terms=md-102",
            "https://example.com/Search",
            "https://example.com/docs?query=md-102",
            "https://example.com/?s=md-102",
            "https://example.com/blog?Search=md-102",
            "https://www.youtube.com/results?search_query=md-102",
        ] {
            assert!(is_search_results_page(url), "{url}");
        }
        for url in [
            "https://learn.microsoft.com/credentials/certifications/resources/study-guides/md-102",
            "https://github.com/mscerts/hub",
            "https://example.com/research",
            "https://example.com/searching-for-answers",
            "https://example.com/docs?page=2&sort=asc",
            "https://example.com/search-tips/guide",
            "not a url",
        ] {
            assert!(!is_search_results_page(url), "{url}");
        }
    }

    #[test]
    fn a_search_results_source_is_a_warning_naming_the_url() {
        let text = "url = \"https://www.bing.com/search?q=az-104\"\nchecked_on = 2026-08-01\n";
        let (out, diagnostics) = run(text, source);
        assert_eq!(
            diagnostics,
            [
                "site.toml:1:7: warning: source `https://www.bing.com/search?q=az-104` is a search-results page: cite \
              the page that states the facts, so that a reader can check them"
            ]
        );
        assert!(out.is_some(), "a warning keeps the source");
    }

    fn page_of(front: &str, body: &str) -> (Option<Page>, Vec<String>) {
        let (out, diagnostics) =
            run(front, |t| page(t, "en", Slug::parse("imprint").unwrap(), body.to_owned()));
        (out.map(|(p, _)| p), diagnostics)
    }

    #[test]
    fn a_page_has_a_title_and_a_body() {
        let (page, diagnostics) = page_of("title = \"Imprint\"\n", "Example Academy AG\n");
        assert_eq!(diagnostics, Vec::<String>::new());
        let page = page.unwrap();
        assert_eq!(
            (page.locale.as_str(), page.slug.as_str(), page.title.as_str()),
            ("en", "imprint", "Imprint")
        );
        assert_eq!(page.body, "Example Academy AG\n");
        let (page, diagnostics) = page_of("", "Text\n");
        assert!(page.is_none());
        assert_eq!(diagnostics, ["site.toml:1:1: error: missing field `title` in the file"]);
        let (_, diagnostics) = page_of("title = \"Imprint\"\n", " \n");
        assert_eq!(
            diagnostics,
            ["site.toml:1:1: error: the page has no text: write Markdown after the closing `+++`"]
        );
    }

    #[test]
    fn unknown_page_front_matter_field() {
        let (page, diagnostics) = page_of("title = \"Imprint\"\nquestion = \"Who?\"\n", "Text\n");
        assert_eq!(
            diagnostics,
            ["site.toml:2:1: error: unknown field `question` in the file, expected one of `title`"]
        );
        // An unknown field is an error: the check yields no catalog, whatever the parser
        // returned for the page.
        assert!(page.is_some());
    }
}

#[cfg(test)]
mod code_tests {
    #[test]
    fn no_exam_code_holds_a_vs_group() {
        assert!(super::catalog_code("MD-102").is_ok());
        assert!(super::catalog_code("VSX-1").is_ok(), "only a whole group counts");
        let e = super::catalog_code("MD-VS-1").unwrap_err();
        assert!(e.contains("group `VS`"), "{e}");
        assert!(super::catalog_code("VS").is_err());
    }
}
