//! The catalog records read from the content directory, and the `Catalog` that holds
//! them all with the look-ups the rest of the program needs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::vocabulary::vocabulary;
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
    /// How the site presents itself (`[brand]`); defaults when absent.
    #[serde(default)]
    pub brand: Brand,
}

/// `[brand]` of `site.toml`: every field optional, with defaults chosen by the pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Brand {
    /// The logo as SVG text, read from the content's `static/` at import and checked
    /// there (no script, event handlers, `foreignObject` or external references).
    pub logo_svg: Option<String>,
    /// The accent colour, `#rrggbb` in lower case.
    pub accent: Option<String>,
    pub contact_email: Option<String>,
    /// A site path (`/en/imprint`) or an absolute URL.
    pub imprint_url: Option<String>,
    pub privacy_url: Option<String>,
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

vocabulary!(Level {
    Fundamentals => "fundamentals",
    Associate => "associate",
    Professional => "professional",
    Expert => "expert",
    Specialty => "specialty",
});

/// The status an editor records; `retiring` is never recorded, it is derived (see
/// [`super::Lifecycle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Beta,
    Active,
    Retired,
}

vocabulary!(Status { Beta => "beta", Active => "active", Retired => "retired" });

/// What a candidate must hold before a certification is granted: any one of these
/// certifications (Microsoft's expert credentials accept any one of several associate
/// ones). Empty means nothing is required.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Prerequisites(Vec<Code>);

impl Prerequisites {
    /// Any one of `alternatives` satisfies the prerequisite.
    pub fn any_one_of(alternatives: Vec<Code>) -> Self {
        Self(alternatives)
    }

    /// The alternatives, in the order the content lists them.
    pub fn alternatives(&self) -> &[Code] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether readers must be told that one of several is enough.
    pub fn is_a_choice(&self) -> bool {
        self.0.len() > 1
    }

    /// Whether someone holding the certifications `holds` says they hold may be granted
    /// the certification: nothing is required, or they hold one alternative.
    pub fn satisfied_by(&self, holds: impl Fn(&Code) -> bool) -> bool {
        self.0.is_empty() || self.0.iter().any(holds)
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
    pub prerequisites: Prerequisites,
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

vocabulary!(Delivery { Classroom => "classroom", Virtual => "virtual", SelfPaced => "self-paced" });

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub starts_on: NaiveDate,
    pub location: String,
    pub language: String,
    pub seats: u32,
}

/// Where a session takes place, as schema.org's `courseMode` words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SessionMode {
    Online,
    Onsite,
}

vocabulary!(SessionMode { Online => "online", Onsite => "onsite" });

impl Session {
    /// A session whose location is `online` (in any case) is held online; any other
    /// location is a place.
    pub fn mode(&self) -> SessionMode {
        if self.location.trim().eq_ignore_ascii_case("online") {
            SessionMode::Online
        } else {
            SessionMode::Onsite
        }
    }
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
    /// Plain pages (`pages/<locale>/<slug>.md`): imprint, privacy, about.
    #[serde(default)]
    pub pages: Vec<Page>,
}

/// A plain page, served at `/{locale}/{slug}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub locale: String,
    pub slug: Slug,
    pub title: String,
    /// Markdown, rendered and sanitised like an answer's body.
    pub body: String,
}

impl Page {
    /// The names under `/{locale}/` that belong to the site itself (CONTENT.md), so no
    /// page may take them. `api` and `static` are not among them: pages live under a
    /// locale, and `/api/…` and `/static/…` do not.
    pub const ROUTE_NAMES: &[&str] = &[
        "answers",
        "certifications",
        "courses",
        "topics",
        "experts",
        "compare",
        "advisor",
        "plan",
        "search",
        "cookies",
    ];

    /// Whether `slug` is one of [`Page::ROUTE_NAMES`].
    ///
    /// ```
    /// use certwise::domain::Page;
    /// assert!(Page::is_route_name("answers"));
    /// assert!(!Page::is_route_name("imprint"));
    /// ```
    pub fn is_route_name(slug: &str) -> bool {
        Self::ROUTE_NAMES.contains(&slug)
    }
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

    /// The certifications that succeed `code`, in order: its successor, the successor's
    /// successor, and so on, up to one the catalog does not know or one already named (a
    /// cycle in the content ends the chain rather than looping).
    pub fn successor_chain(&self, code: &Code) -> Vec<&Certification> {
        let mut chain: Vec<&Certification> = Vec::new();
        let mut next = self.certification(code).and_then(|c| c.successor.as_ref());
        while let Some(cert) = next.and_then(|s| self.certification(s)) {
            if &cert.code == code || chain.iter().any(|c| c.code == cert.code) {
                break;
            }
            chain.push(cert);
            next = cert.successor.as_ref();
        }
        chain
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

    fn cert(code: &str, successor: Option<&str>) -> Certification {
        let mut c = crate::domain::fixtures::cert(code, "scope", &[]);
        c.successor = successor.map(|s| Code::parse(s).unwrap());
        c
    }

    #[test]
    fn successor_chains_follow_links_and_stop_at_cycles_and_unknown_codes() {
        let certs = vec![cert("A-1", Some("B-1")), cert("B-1", Some("C-1")), cert("C-1", Some("A-1"))];
        let catalog = crate::domain::fixtures::catalog(certs, vec![]);
        let codes = |c: &str| {
            catalog
                .successor_chain(&Code::parse(c).unwrap())
                .iter()
                .map(|c| c.code.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(codes("A-1"), ["B-1", "C-1"]);
        assert_eq!(codes("C-1"), ["A-1", "B-1"]);
        let catalog =
            crate::domain::fixtures::catalog(vec![cert("A-1", Some("Z-9")), cert("B-1", None)], vec![]);
        assert!(catalog.successor_chain(&Code::parse("A-1").unwrap()).is_empty(), "unknown successor");
        assert!(catalog.successor_chain(&Code::parse("B-1").unwrap()).is_empty());
    }

    #[test]
    fn any_one_prerequisite_is_enough() {
        let code = |c: &str| Code::parse(c).unwrap();
        let p = Prerequisites::any_one_of(vec![code("MD-102"), code("MS-700")]);
        assert!(p.is_a_choice());
        assert!(p.satisfied_by(|c| c.as_str() == "MS-700"));
        assert!(!p.satisfied_by(|_| false));
        assert!(Prerequisites::default().satisfied_by(|_| false), "nothing required");
        assert!(!Prerequisites::any_one_of(vec![code("MD-102")]).is_a_choice());
    }

    #[test]
    fn online_sessions_are_online_whatever_the_case() {
        let session = |location: &str| Session {
            starts_on: "2026-12-01".parse().unwrap(),
            location: location.into(),
            language: "en".into(),
            seats: 8,
        };
        assert_eq!(session("Online").mode(), SessionMode::Online);
        assert_eq!(session(" online ").mode(), SessionMode::Online);
        assert_eq!(session("Zurich").mode(), SessionMode::Onsite);
    }

    #[test]
    fn words_round_trip() {
        use crate::domain::Vocabulary;
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(*level));
        }
        assert_eq!(Level::parse("Expert"), None);
        assert_eq!(Status::expected(), "`beta`, `active`, `retired`");
        assert_eq!(Delivery::parse("self-paced"), Some(Delivery::SelfPaced));
    }
}
