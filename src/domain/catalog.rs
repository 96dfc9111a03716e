//! The catalog records read from the content directory, and the `Catalog` that holds
//! them all with the look-ups the rest of the program needs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Code, Money, Slug};

/// Site settings from `site.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    pub name: String,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    pub default_locale: String,
    pub locales: Vec<String>,
    pub policy_version: String,
    pub services: Vec<ConsentService>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsentCategory {
    Preferences,
    Analytics,
    Marketing,
}

/// A non-essential service that needs the visitor's consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentService {
    pub id: Slug,
    pub category: ConsentCategory,
    pub name: String,
    pub purpose: String,
    pub script_src: Option<String>,
    pub hosts: Vec<String>,
    pub cookies: Vec<CookieSpec>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CookieSpec {
    pub name: String,
    pub lifetime_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Responsibility {
    pub id: Slug,
    pub label: String,
    /// Translated labels by locale (`label_de` → `de`).
    pub translations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Fundamentals,
    Associate,
    Professional,
    Expert,
    Specialty,
}

impl Level {
    pub const ALL: [Level; 5] =
        [Level::Fundamentals, Level::Associate, Level::Professional, Level::Expert, Level::Specialty];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Fundamentals => "fundamentals",
            Level::Associate => "associate",
            Level::Professional => "professional",
            Level::Expert => "expert",
            Level::Specialty => "specialty",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// The status an editor records; `retiring` is never recorded, it is derived (see
/// [`super::Lifecycle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Beta,
    Active,
    Retired,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Beta => "beta",
            Status::Active => "active",
            Status::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "beta" => Some(Status::Beta),
            "active" => Some(Status::Active),
            "retired" => Some(Status::Retired),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillDomain {
    pub name: String,
    pub weight_min: u8,
    pub weight_max: u8,
    pub responsibilities: Vec<Slug>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub url: String,
    pub checked_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certification {
    pub code: Code,
    pub vendor: String,
    pub title: String,
    pub credential: String,
    pub level: Level,
    pub scope: String,
    pub summary: String,
    pub technologies: Vec<String>,
    pub roles: Vec<String>,
    pub prerequisites: Vec<Code>,
    pub status: Status,
    pub retires_on: Option<NaiveDate>,
    pub successor: Option<Code>,
    pub exam_minutes: Option<u32>,
    /// Names of fields whose facts are not confirmed.
    pub uncertain: Vec<String>,
    pub domains: Vec<SkillDomain>,
    pub sources: Vec<Source>,
}

impl Certification {
    /// The field names that `uncertain` may list.
    pub const FIELDS: [&'static str; 14] = [
        "vendor",
        "title",
        "credential",
        "level",
        "scope",
        "summary",
        "technologies",
        "roles",
        "prerequisites",
        "status",
        "retires_on",
        "successor",
        "exam_minutes",
        "domains",
    ];

    pub fn is_uncertain(&self, field: &str) -> bool {
        self.uncertain.iter().any(|f| f == field)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    Classroom,
    Virtual,
    SelfPaced,
}

impl Delivery {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "classroom" => Some(Delivery::Classroom),
            "virtual" => Some(Delivery::Virtual),
            "self-paced" => Some(Delivery::SelfPaced),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Classroom => "classroom",
            Delivery::Virtual => "virtual",
            Delivery::SelfPaced => "self-paced",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub starts_on: NaiveDate,
    pub location: String,
    pub language: String,
    pub seats: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Course {
    pub slug: Slug,
    pub certification: Code,
    pub title: String,
    pub duration_days: u32,
    pub price: Money,
    pub delivery: Vec<Delivery>,
    pub sessions: Vec<Session>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expert {
    pub slug: Slug,
    pub name: String,
    pub credentials: Vec<String>,
    /// Markdown.
    pub bio: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Topic {
    pub slug: Slug,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choose {
    pub certification: Code,
    pub when: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Insight {
    pub expert: Slug,
    /// Markdown.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    pub locale: String,
    pub slug: Slug,
    pub question: String,
    pub short_answer: String,
    pub certifications: Vec<Code>,
    pub topics: Vec<Slug>,
    pub author: Slug,
    pub published_on: NaiveDate,
    pub reviewed_on: NaiveDate,
    pub translation_key: Option<String>,
    pub choose: Vec<Choose>,
    pub insight: Option<Insight>,
    /// The detailed answer, Markdown.
    pub body: String,
}

/// Everything a content directory holds, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub site: Site,
    pub responsibilities: Vec<Responsibility>,
    pub certifications: BTreeMap<Code, Certification>,
    pub courses: BTreeMap<Slug, Course>,
    pub experts: BTreeMap<Slug, Expert>,
    pub topics: BTreeMap<Slug, Topic>,
    pub answers: Vec<Answer>,
}

impl Catalog {
    pub fn certification(&self, code: &Code) -> Option<&Certification> {
        self.certifications.get(code)
    }

    /// The courses that prepare for a certification, shortest and cheapest first.
    pub fn courses_for(&self, code: &Code) -> Vec<&Course> {
        let mut courses: Vec<&Course> = self.courses.values().filter(|c| &c.certification == code).collect();
        courses.sort_by(|a, b| {
            (a.duration_days, a.price.amount, &a.slug).cmp(&(b.duration_days, b.price.amount, &b.slug))
        });
        courses
    }

    /// The course a side-by-side line quotes for a certification.
    pub fn primary_course(&self, code: &Code) -> Option<&Course> {
        self.courses_for(code).into_iter().next()
    }

    /// A topic's record, or one made from its slug when the topic has no file.
    pub fn topic(&self, slug: &Slug) -> Topic {
        if let Some(topic) = self.topics.get(slug) {
            return topic.clone();
        }
        if let Some(cert) = Code::from_url(slug.as_str()).and_then(|c| self.certifications.get(&c)) {
            return Topic {
                slug: slug.clone(),
                title: cert.code.to_string(),
                description: format!("{}: {}", cert.code, cert.title),
            };
        }
        Topic { slug: slug.clone(), title: title_from_slug(slug.as_str()), description: String::new() }
    }

    /// The certification a topic stands for, when its slug is an exam code in lower case.
    pub fn topic_certification(&self, slug: &Slug) -> Option<&Certification> {
        Code::from_url(slug.as_str()).and_then(|c| self.certifications.get(&c))
    }
}

/// `endpoint-administrator` → `Endpoint administrator`.
pub fn title_from_slug(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_title_comes_from_the_slug_when_there_is_no_file() {
        assert_eq!(title_from_slug("endpoint-administrator"), "Endpoint administrator");
        assert_eq!(title_from_slug(""), "");
    }

    #[test]
    fn level_round_trips() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("Expert"), None);
    }
}
