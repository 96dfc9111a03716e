//! Course inquiries (leads): what a reader sent about a course, stored with copies of
//! what they saw — the course title, the session's date and place, the consent text —
//! so a later change of the catalog cannot change what they asked about.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Slug;

/// The session an inquiry is about, as it was when the reader sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadSession {
    /// The session's stable `id` (CONTENT.md).
    pub id: String,
    pub starts_on: NaiveDate,
    pub location: String,
}

/// One stored inquiry. No address, no user agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    /// Random, assigned when it is stored; shown to nobody but staff.
    pub id: String,
    pub received_at: DateTime<Utc>,
    pub locale: String,
    pub course: Slug,
    pub course_title: String,
    pub session: Option<LeadSession>,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub message: Option<String>,
    /// The words of the "you may contact me" box the reader ticked.
    pub consent_text: String,
}
