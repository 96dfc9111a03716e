//! The words of the catalog's records as a locale reads them — the one place search asks
//! for a certification's, a course's or a topic's text. Today every locale reads the
//! English fields; when the catalog gains `[translations.<locale>]` (CONTENT.md), the
//! lookup goes into [`field`] and everything search indexes and shows follows.

use std::borrow::Cow;

use crate::domain::{Certification, Course, Topic, Vocabulary as _};

/// A certification's searchable text in one locale.
#[derive(Debug)]
pub struct CertificationText<'a> {
    pub code: &'a str,
    pub title: Cow<'a, str>,
    pub credential: Cow<'a, str>,
    pub scope: Cow<'a, str>,
    pub summary: Cow<'a, str>,
    pub technologies: Vec<Cow<'a, str>>,
    pub roles: Vec<Cow<'a, str>>,
    pub vendor: &'a str,
}

/// A course's searchable text in one locale.
#[derive(Debug)]
pub struct CourseText<'a> {
    pub title: Cow<'a, str>,
    pub certification: &'a str,
    /// The delivery modes, as the catalog's words (`classroom`, `virtual`, `self-paced`).
    pub delivery: Vec<&'static str>,
}

/// A topic's searchable text in one locale.
#[derive(Debug)]
pub struct TopicText<'a> {
    pub title: Cow<'a, str>,
    pub description: Cow<'a, str>,
}

/// One field of a catalog record in `locale`: `english` until the catalog carries
/// translations; then the translation of `(record, name)` when there is one.
fn field<'a>(_locale: &str, _record: &str, _name: &str, english: &'a str) -> Cow<'a, str> {
    Cow::Borrowed(english)
}

pub fn certification<'a>(c: &'a Certification, locale: &str) -> CertificationText<'a> {
    let record = c.code.as_str();
    CertificationText {
        code: record,
        title: field(locale, record, "title", &c.title),
        credential: field(locale, record, "credential", &c.credential),
        scope: field(locale, record, "scope", &c.scope),
        summary: field(locale, record, "summary", &c.summary),
        technologies: c.technologies.iter().map(|t| field(locale, record, "technologies", t)).collect(),
        roles: c.roles.iter().map(|r| field(locale, record, "roles", r)).collect(),
        vendor: &c.vendor,
    }
}

pub fn course<'a>(c: &'a Course, locale: &str) -> CourseText<'a> {
    CourseText {
        title: field(locale, c.slug.as_str(), "title", &c.title),
        certification: c.certification.as_str(),
        delivery: c.delivery.iter().map(|d| d.as_str()).collect(),
    }
}

pub fn topic<'a>(t: &'a Topic, locale: &str) -> TopicText<'a> {
    TopicText {
        title: field(locale, t.slug.as_str(), "title", &t.title),
        description: field(locale, t.slug.as_str(), "description", &t.description),
    }
}
