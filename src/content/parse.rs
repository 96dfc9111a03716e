//! One parser per kind of content file: TOML tables in, domain records out, with the
//! positions of the values that other files must agree with.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::reader::{Located, Table};
use crate::domain::{
    Answer, Certification, Choose, ConsentCategory, ConsentService, CookieSpec, Course, Delivery, Expert,
    Insight, Level, Money, Prerequisites, Responsibility, Session, Site, SkillDomain, Slug, Source, Status,
    Topic,
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

pub fn site(t: &Table) -> Option<(Site, Locs)> {
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
    t.finish();
    Some((
        Site {
            name: value(name)?,
            base_url: value(base_url)?,
            default_locale: value(default_locale)?,
            locales: values(locales?),
            policy_version: policy_version?,
            services,
            brand: crate::domain::Brand::default(),
        },
        locs,
    ))
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

pub fn certification(t: &Table) -> Option<(Certification, Locs)> {
    let mut locs = Locs::default();
    let code = t.code("code");
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
    let delivery = t.words::<Delivery>("delivery");
    if let Some(d) = &delivery {
        if d.is_empty() {
            t.ctx().error(t.at(), "`delivery` must list at least one mode");
        }
    }
    let sessions: Vec<Option<Session>> = t
        .tables("sessions")
        .iter()
        .map(|s| {
            let starts_on = s.date("starts_on");
            let location = s.string("location");
            let language = s.string("language").and_then(|l| s.check("language", &l, locale_code));
            let seats = u32_of(s.integer("seats", 0..=10_000));
            s.finish();
            Some(Session {
                starts_on: value(starts_on)?,
                location: value(location)?,
                language: value(language)?,
                seats: seats?,
            })
        })
        .collect();
    t.finish();
    Some((
        Course {
            slug: value(slug)?,
            certification: value(certification)?,
            title: value(title)?,
            duration_days: duration_days?,
            price: money?,
            delivery: values(delivery?),
            sessions: sessions.into_iter().collect::<Option<_>>()?,
        },
        locs,
    ))
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
    t.finish();
    Some((
        Topic {
            slug: value(slug)?,
            title: value(title)?,
            description: value(description).unwrap_or_default(),
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
