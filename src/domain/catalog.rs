//! The catalog records read from the content directory, and the `Catalog` that holds
//! them all with the look-ups the rest of the program needs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::localized::{CertificationText, CourseText, TopicText, Translations};
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
    /// Where the site is (ISO 3166-1 alpha-2, `CH`): how dates and money are written and
    /// the region of `og:locale` (`de_CH`). Optional.
    #[serde(default)]
    pub region: Option<String>,
    pub policy_version: String,
    pub services: Vec<ConsentService>,
    /// How the site presents itself (`[brand]`); defaults when absent.
    #[serde(default)]
    pub brand: Brand,
}

impl Site {
    /// How prices are written on pages of `locale`: the language with the site's region
    /// (`de-CH`), or the language alone without one (`Money::format` reads it).
    pub fn money_tag(&self, locale: &str) -> String {
        crate::domain::localized::Locales::of(self, locale).money_tag()
    }
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

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema,
)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SkillDomain {
    pub name: String,
    pub weight_min: u8,
    pub weight_max: u8,
    pub responsibilities: Vec<Slug>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Source {
    pub url: String,
    pub checked_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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
    #[schema(required = true)]
    pub retires_on: Option<NaiveDate>,
    #[schema(required = true)]
    pub successor: Option<Code>,
    #[schema(required = true)]
    pub exam_minutes: Option<u32>,
    /// Names of fields whose facts are not confirmed.
    pub uncertain: Vec<String>,
    pub domains: Vec<SkillDomain>,
    pub sources: Vec<Source>,
    /// `[translations.<locale>]`: the translated fields by locale (see
    /// [`super::localized`]); never the default locale.
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, CertificationText>)]
    pub translations: Translations<CertificationText>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    Classroom,
    Virtual,
    SelfPaced,
}

vocabulary!(Delivery { Classroom => "classroom", Virtual => "virtual", SelfPaced => "self-paced" });

/// One scheduled run of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(from = "StoredSession")]
pub struct Session {
    /// Stable within its course, so an inquiry can name the session it is about: the
    /// content's `id`, or [`Session::default_id`] when the content gives none.
    pub id: Slug,
    pub starts_on: NaiveDate,
    pub location: String,
    pub language: String,
    pub seats: u32,
}

/// A session as catalogs stored before sessions had ids hold it: without `id`, which
/// then takes its default, the same one the content check gives it.
#[derive(Deserialize)]
struct StoredSession {
    #[serde(default)]
    id: Option<Slug>,
    starts_on: NaiveDate,
    location: String,
    language: String,
    seats: u32,
}

impl From<StoredSession> for Session {
    fn from(s: StoredSession) -> Self {
        Self {
            id: s.id.unwrap_or_else(|| Session::default_id(s.starts_on, &s.location)),
            starts_on: s.starts_on,
            location: s.location,
            language: s.language,
            seats: s.seats,
        }
    }
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
    /// The id of a session whose content gives none: its start date, then its location
    /// as an identifier (lower-case ASCII letters and digits; accented Latin letters lose
    /// their accents; anything else becomes a single hyphen), or `session` when the
    /// location leaves nothing.
    ///
    /// ```
    /// use certwise::domain::Session;
    /// let day = "2027-01-11".parse().unwrap();
    /// assert_eq!(Session::default_id(day, "Zürich HB").as_str(), "2027-01-11-zurich-hb");
    /// assert_eq!(Session::default_id(day, "???").as_str(), "2027-01-11-session");
    /// ```
    pub fn default_id(starts_on: NaiveDate, location: &str) -> Slug {
        let date = starts_on.format("%Y-%m-%d").to_string();
        // A year outside 0..=9999 is written with a sign (`+10000-01-01`), which no slug holds.
        let date = date.trim_start_matches(['+', '-']);
        // A slug holds at most 120 bytes.
        let place = identifier(location, 120 - date.len() - 1);
        let place = if place.is_empty() { "session" } else { place.as_str() };
        let id = format!("{date}-{place}");
        Slug::parse(&id).unwrap_or_else(|_| unreachable!("`{id}` is built from slug characters"))
    }

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

/// `text` as an identifier of at most `max` bytes: lower-case ASCII letters and digits,
/// every other run of characters one hyphen, none at either end. Accented Latin letters
/// count as their base letter, so `Genève` is `geneve`, not `gen-ve`.
fn identifier(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut hyphen = false;
    for c in text.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else {
            hyphen = true;
        }
    }
    if out.len() > max {
        out.truncate(max);
        out.truncate(out.trim_end_matches('-').len());
    }
    out
}

/// The ASCII letters an accented Latin letter is written with when accents are dropped.
fn fold_accent(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à'..='å' | 'À'..='Å' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' => "c",
        'è'..='ë' | 'È'..='Ë' => "e",
        'ì'..='ï' | 'Ì'..='Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' => "o",
        'œ' | 'Œ' => "oe",
        'ù'..='ü' | 'Ù'..='Ü' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ß' => "ss",
        _ => "",
    };
    let keep = folded.is_empty().then_some(c);
    folded.chars().chain(keep)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Course {
    pub slug: Slug,
    pub certification: Code,
    pub title: String,
    pub duration_days: u32,
    pub price: Money,
    /// What the price covers or leaves out ("per participant, exam voucher not
    /// included"): the provider's words, shown beside the price.
    #[serde(default)]
    #[schema(required = true)]
    pub price_note: Option<String>,
    pub delivery: Vec<Delivery>,
    /// The experts who teach the course, in the content's order.
    #[serde(default)]
    pub teachers: Vec<Slug>,
    /// In the content's order; ids unique within the course.
    pub sessions: Vec<Session>,
    /// `[translations.<locale>]`: the translated `title` and `price_note` by locale.
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, CourseText>)]
    pub translations: Translations<CourseText>,
}

impl Course {
    /// The next `n` sessions as of `today`: those starting on or after `today`, soonest
    /// first (then by id). A session that has started is never offered.
    pub fn upcoming(&self, today: NaiveDate, n: usize) -> Vec<&Session> {
        let mut upcoming: Vec<&Session> = self.sessions.iter().filter(|s| s.starts_on >= today).collect();
        upcoming.sort_by(|a, b| (a.starts_on, &a.id).cmp(&(b.starts_on, &b.id)));
        upcoming.truncate(n);
        upcoming
    }

    /// Whether any session starts on or after `today`.
    pub fn has_upcoming(&self, today: NaiveDate) -> bool {
        self.sessions.iter().any(|s| s.starts_on >= today)
    }

    /// The session with this id, past or not.
    pub fn session(&self, id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id.as_str() == id)
    }
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
    /// `[translations.<locale>]`: the translated `title` and `description` by locale.
    #[serde(default)]
    pub translations: Translations<TopicText>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
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
            // Titled with the code, which reads the same in every language; described
            // with the certification's title, translated where it is.
            let translations = self
                .site
                .locales
                .iter()
                .filter(|l| **l != self.site.default_locale)
                .map(|l| {
                    let title = cert.translations.get(l).and_then(|t| t.title.as_ref());
                    let text = TopicText {
                        title: Some(cert.code.to_string()),
                        description: title.map(|title| format!("{}: {title}", cert.code)),
                    };
                    (l.clone(), text)
                })
                .collect();
            return Topic {
                slug: slug.clone(),
                title: cert.code.to_string(),
                description: format!("{}: {}", cert.code, cert.title),
                translations,
            };
        }
        Topic {
            slug: slug.clone(),
            title: title_from_slug(slug.as_str()),
            description: String::new(),
            translations: Translations::new(),
        }
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
    use crate::domain::fixtures;

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
        let session = |location: &str| fixtures::session("2026-12-01", location);
        assert_eq!(session("Online").mode(), SessionMode::Online);
        assert_eq!(session(" online ").mode(), SessionMode::Online);
        assert_eq!(session("Zurich").mode(), SessionMode::Onsite);
    }

    #[test]
    fn a_session_without_an_id_is_named_by_its_date_and_place() {
        let id = |date: &str, location: &str| Session::default_id(fixtures::day(date), location).to_string();
        assert_eq!(id("2027-01-11", "Zurich"), "2027-01-11-zurich");
        assert_eq!(id("2027-01-11", "Online"), "2027-01-11-online");
        assert_eq!(id("2027-03-22", "  Genève / Salle 3.1 "), "2027-03-22-geneve-salle-3-1");
        assert_eq!(id("2027-03-22", "Zürich--HB"), "2027-03-22-zurich-hb");
        assert_eq!(id("2027-03-22", "Neuchâtel (Œuvre, Straße)"), "2027-03-22-neuchatel-oeuvre-strasse");
        assert_eq!(id("2027-03-22", "東京"), "2027-03-22-session", "nothing left: `session`");
        assert_eq!(id("2027-03-22", ""), "2027-03-22-session");
        assert_eq!(id("2027-03-22", "--"), "2027-03-22-session");
        let long = id("2027-03-22", &"a-".repeat(200));
        assert!(long.len() <= 120 && !long.ends_with('-'), "{long}");
        assert_eq!(
            Session::default_id(NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(), "X").as_str(),
            "10000-01-01-x"
        );
    }

    #[test]
    fn every_default_id_is_an_identifier() {
        let day = fixtures::day("2027-01-11");
        for location in
            ["", " ", "a", "Zurich", "São Paulo", "x\u{0}y", "-a-", "ÀÉÎÕÜ", "1 2 3", &"é".repeat(300)]
        {
            let id = Session::default_id(day, location);
            assert!(Slug::parse(id.as_str()).is_ok(), "{location:?} → {id}");
        }
    }

    #[test]
    fn a_stored_session_without_an_id_takes_its_default() {
        let json = r#"{"starts_on":"2027-01-11","location":"Zurich","language":"de","seats":12}"#;
        let session: Session = serde_json::from_str(json).unwrap();
        assert_eq!(session.id.as_str(), "2027-01-11-zurich");
        let json =
            r#"{"id":"jan-zurich","starts_on":"2027-01-11","location":"Zurich","language":"de","seats":12}"#;
        let session: Session = serde_json::from_str(json).unwrap();
        assert_eq!(session.id.as_str(), "jan-zurich");
        let back: Session = serde_json::from_str(&serde_json::to_string(&session).unwrap()).unwrap();
        assert_eq!(back, session, "round trip");
        let bad =
            r#"{"id":"Jan Zurich","starts_on":"2027-01-11","location":"Zurich","language":"de","seats":12}"#;
        assert!(serde_json::from_str::<Session>(bad).is_err());
    }

    #[test]
    fn a_stored_course_without_price_note_or_teachers_loads() {
        let mut course = fixtures::course("c", "MD-102", 5, "119.00", "CHF");
        let mut json: serde_json::Value = serde_json::to_value(&course).unwrap();
        let fields = json.as_object_mut().unwrap();
        assert!(fields.remove("price_note").is_some() && fields.remove("teachers").is_some());
        assert_eq!(serde_json::from_value::<Course>(json).unwrap(), course);
        course.price_note = Some("per participant".into());
        course.teachers = vec![fixtures::slug("marc-dubois")];
        let back: Course = serde_json::from_str(&serde_json::to_string(&course).unwrap()).unwrap();
        assert_eq!(back, course);
    }

    fn course_with(sessions: &[(&str, &str)]) -> Course {
        let mut course = fixtures::course("c", "MD-102", 5, "119.00", "CHF");
        course.sessions = sessions.iter().map(|(date, place)| fixtures::session(date, place)).collect();
        course
    }

    #[test]
    fn upcoming_sessions_start_today_or_later_soonest_first() {
        let course = course_with(&[
            ("2027-03-22", "Geneva"),
            ("2026-11-25", "Bern"),
            ("2027-01-11", "Zurich"),
            ("2026-11-26", "Online"),
            ("2027-01-11", "Basel"),
        ]);
        let today = fixtures::day("2026-11-26");
        let ids = |n| course.upcoming(today, n).iter().map(|s| s.id.to_string()).collect::<Vec<_>>();
        assert_eq!(
            ids(10),
            ["2026-11-26-online", "2027-01-11-basel", "2027-01-11-zurich", "2027-03-22-geneva"],
            "today's session included, yesterday's never; one day's sessions by id"
        );
        assert_eq!(ids(3), ["2026-11-26-online", "2027-01-11-basel", "2027-01-11-zurich"]);
        assert!(ids(0).is_empty());
        assert!(course.has_upcoming(today));
        assert!(course.has_upcoming(fixtures::day("2027-03-22")));
        assert!(!course.has_upcoming(fixtures::day("2027-03-23")));
        assert!(course.upcoming(fixtures::day("2027-03-23"), 3).is_empty());
        assert!(!course_with(&[]).has_upcoming(today));
        assert_eq!(course.session("2026-11-25-bern").map(|s| s.location.as_str()), Some("Bern"), "past too");
        assert!(course.session("2026-11-25").is_none());
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
