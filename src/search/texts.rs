//! The words of the catalog's records as a locale reads them — the one place search asks
//! for a certification's, a course's or a topic's text: the translation of
//! `[translations.<locale>]` (CONTENT.md) where there is one, else the catalog's own
//! (`domain::localized`, the rule the pages follow too).

use std::borrow::Cow;

use crate::domain::localized::Locales;
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

pub fn certification<'a>(c: &'a Certification, locales: Locales<'a>) -> CertificationText<'a> {
    CertificationText {
        code: c.code.as_str(),
        title: Cow::Borrowed(c.title_in(locales).text),
        credential: Cow::Borrowed(&c.credential),
        scope: Cow::Borrowed(c.scope_in(locales).text),
        summary: Cow::Borrowed(c.summary_in(locales).text),
        technologies: c.technologies.iter().map(|t| Cow::Borrowed(t.as_str())).collect(),
        roles: c.roles_in(locales).into_iter().map(|r| Cow::Borrowed(r.text)).collect(),
        vendor: &c.vendor,
    }
}

pub fn course<'a>(c: &'a Course, locales: Locales<'a>) -> CourseText<'a> {
    CourseText {
        title: Cow::Borrowed(c.title_in(locales).text),
        certification: c.certification.as_str(),
        delivery: c.delivery.iter().map(|d| d.as_str()).collect(),
    }
}

pub fn topic<'a>(t: &'a Topic, locales: Locales<'a>) -> TopicText<'a> {
    TopicText {
        title: Cow::Borrowed(t.title_in(locales).text),
        description: Cow::Borrowed(t.description_in(locales).text),
    }
}
