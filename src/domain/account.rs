//! The rules of the editors' area's accounts, written once: who may do what (`Role`), what
//! a password must be (`check_password`), and how long a session lives (`session_state`).
//!
//! - **Roles** are ordered: an editor drafts and submits; a publisher also publishes,
//!   restores and marks answers reviewed; an admin also sees the users and the audit log.
//!   Handlers ask a permission (`Role::can_publish`), never compare role words.
//! - **Passwords** have at least [`MIN_PASSWORD_CHARS`] characters (counted as characters,
//!   not bytes), at most [`MAX_PASSWORD_CHARS`], are not one character repeated, not the
//!   account's email, and not on the built-in list of common passwords
//!   (`common_passwords.txt`, compared case-insensitively). No composition rules (NIST
//!   SP 800-63B): length and the list do the work.
//! - **Sessions** end [`SESSION_IDLE`] after their last request and [`SESSION_LIFETIME`]
//!   after they began, whichever comes first; both are checked on the server at every
//!   request.

use chrono::{DateTime, TimeDelta, Utc};

use super::vocabulary::vocabulary;

/// What a member of staff may do, in increasing order of rights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Drafts and submits answers, courses and certifications.
    Editor,
    /// Also publishes, restores revisions and marks answers reviewed.
    Publisher,
    /// Also sees the users and the audit log (user changes stay on the command line).
    Admin,
}

vocabulary!(Role { Editor => "editor", Publisher => "publisher", Admin => "admin" });

impl Role {
    /// Write and submit drafts: every role.
    pub fn can_draft(self) -> bool {
        self >= Role::Editor
    }

    /// Publish, restore a revision, mark an answer reviewed.
    pub fn can_publish(self) -> bool {
        self >= Role::Publisher
    }

    /// See the users list and the audit log.
    pub fn can_administer(self) -> bool {
        self >= Role::Admin
    }
}

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted, in characters: hashing cost grows with the length, and
/// nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// Why a password is refused; `Display` is the message shown next to the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password has {0} characters; it needs at least {MIN_PASSWORD_CHARS}")]
    TooShort(usize),
    #[error("the password has {0} characters; at most {MAX_PASSWORD_CHARS} are accepted")]
    TooLong(usize),
    #[error("the password is one character repeated; choose a phrase of several words")]
    Repeated,
    #[error("the password is the account's email address; choose something else")]
    IsEmail,
    #[error("the password is on the list of commonly used passwords; choose something less predictable")]
    Common,
}

/// The list of common passwords, lower case.
static COMMON: std::sync::LazyLock<std::collections::HashSet<String>> = std::sync::LazyLock::new(|| {
    include_str!("common_passwords.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
});

/// Whether `password` may be the password of the account `email`.
///
/// ```
/// use certwise::domain::account::{PasswordProblem, check_password};
/// assert_eq!(check_password("short", "ada@example.ch"), Err(PasswordProblem::TooShort(5)));
/// assert!(check_password("four words hold fast", "ada@example.ch").is_ok());
/// ```
pub fn check_password(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort(chars));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong(chars));
    }
    let mut all = password.chars();
    let first = all.next();
    if all.all(|c| Some(c) == first) {
        return Err(PasswordProblem::Repeated);
    }
    let folded = password.to_lowercase();
    if folded.trim() == email.trim().to_lowercase() {
        return Err(PasswordProblem::IsEmail);
    }
    if COMMON.contains(&folded) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

/// A session ends this long after its last request.
pub const SESSION_IDLE: TimeDelta = TimeDelta::hours(2);
/// A session ends this long after it began, however busy.
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::hours(12);

/// Whether a session is still good at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Live,
    /// No request for [`SESSION_IDLE`].
    Idle,
    /// Began more than [`SESSION_LIFETIME`] ago.
    Expired,
}

/// The state at `now` of a session that began at `created_at` and was last used at
/// `last_seen_at`.
pub fn session_state(
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> SessionState {
    if now - created_at >= SESSION_LIFETIME {
        SessionState::Expired
    } else if now - last_seen_at >= SESSION_IDLE {
        SessionState::Idle
    } else {
        SessionState::Live
    }
}

/// An account as stored. `Debug` leaves the password hash out.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    /// As typed when the account was added.
    pub email: String,
    pub role: Role,
    /// The Argon2id PHC string.
    pub password_hash: String,
    /// The password is temporary: only the password form is open until it is changed.
    pub must_change_password: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("must_change_password", &self.must_change_password)
            .field("disabled_at", &self.disabled_at)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

impl User {
    /// `active`, `must change password` or `disabled`, for lists.
    pub fn state(&self) -> &'static str {
        if self.disabled_at.is_some() {
            "disabled"
        } else if self.must_change_password {
            "must change password"
        } else {
            "active"
        }
    }
}

/// A session as stored: its id is the SHA-256 of the cookie's token, never the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

/// One change to record in the audit log: who (`actor`: a user's email, `cli` or
/// `import`), what (`action`, a short fixed word such as `user.add`), on what (`target`),
/// with what detail, when.
#[derive(Debug, Clone, Copy)]
pub struct AuditEvent<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub detail: &'a str,
}

/// An entry of the audit log, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Its place in the log: later entries have larger numbers.
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Vocabulary;

    #[test]
    fn roles_grow_in_rights() {
        let rights = |r: Role| (r.can_draft(), r.can_publish(), r.can_administer());
        assert_eq!(rights(Role::Editor), (true, false, false));
        assert_eq!(rights(Role::Publisher), (true, true, false));
        assert_eq!(rights(Role::Admin), (true, true, true));
        assert_eq!(Role::parse("publisher"), Some(Role::Publisher));
        assert_eq!(Role::parse("Admin"), None, "words are case-sensitive, as every vocabulary");
        assert_eq!(Role::expected(), "`editor`, `publisher`, `admin`");
    }

    #[test]
    fn passwords_need_length_and_must_not_be_common() {
        let email = "ada@example.ch";
        assert_eq!(check_password("elevenchars", email), Err(PasswordProblem::TooShort(11)));
        // Characters, not bytes: twelve umlauts are long enough.
        assert_eq!(check_password("ääääääääääää", email), Err(PasswordProblem::Repeated));
        assert!(check_password("äöüäöüäöüäöü", email).is_ok());
        assert_eq!(check_password(&"ab".repeat(129), email), Err(PasswordProblem::TooLong(258)));
        assert_eq!(check_password("PassWord1234", email), Err(PasswordProblem::Common), "any case");
        assert_eq!(check_password("Correct Horse Battery Staple", email), Err(PasswordProblem::Common));
        assert_eq!(check_password("Ada@Example.ch", email), Err(PasswordProblem::IsEmail));
        assert!(check_password("plum tree at dawn", email).is_ok());
        let message = check_password("short", email).unwrap_err().to_string();
        assert_eq!(message, "the password has 5 characters; it needs at least 12");
    }

    #[test]
    fn the_common_list_is_read_whole() {
        assert!(COMMON.len() >= 150, "{}", COMMON.len());
        assert!(!COMMON.iter().any(|p| p.starts_with('#') || p.is_empty()));
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let t0: DateTime<Utc> = "2026-11-26T08:00:00Z".parse().unwrap();
        let minutes = |m| t0 + TimeDelta::minutes(m);
        assert_eq!(session_state(t0, t0, minutes(119)), SessionState::Live);
        assert_eq!(session_state(t0, t0, minutes(120)), SessionState::Idle);
        // Busy all day: still ended after twelve hours.
        assert_eq!(session_state(t0, minutes(719), minutes(719)), SessionState::Live);
        assert_eq!(session_state(t0, minutes(719), minutes(720)), SessionState::Expired);
    }
}
