//! The product's knowledge: catalog records and the rules that hold for them.
//!
//! Everything here is pure — no I/O, no web, no database — so every surface (HTML,
//! JSON, Markdown, export) derives the same facts from the same functions, and the
//! rules are unit-tested on their own.

pub mod account;
pub mod advice;
pub mod catalog;
pub mod colour;
pub mod compare;
pub mod consent;
pub mod ids;
pub mod inquiry;
pub mod lead;
pub mod lifecycle;
pub mod localized;
pub mod money;
pub mod paging;
pub mod places;
pub mod plan;
pub mod related;
pub mod report;
pub mod staleness;
pub mod team;
pub mod vocabulary;

pub use catalog::{
    Answer, Brand, Catalog, Certification, Choose, ConsentCategory, ConsentService, CookieSpec, Course,
    Delivery, Expert, Insight, Level, Page, Prerequisites, Responsibility, Session, SessionMode, Site,
    SkillDomain, Source, Status, Topic,
};
pub use colour::Colour;
pub use ids::{Code, Slug, code_runs};
pub use inquiry::{Field, InquiryInput, Problem, ValidInquiry, is_bot, is_email};
pub use lifecycle::{Lifecycle, LifecycleStatus};
pub use localized::{CertificationText, CourseText, Locales, Localized, TopicText, Translations};
pub use money::Money;
pub use related::{Fact, RelatedInfo, RelatedLine, RelatedPart};
pub use vocabulary::Vocabulary;

#[cfg(test)]
pub(crate) mod fixtures;
