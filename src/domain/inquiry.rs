//! A reader's inquiry about a course, as the form sends it, and the rules it must meet
//! before it becomes a lead: which fields are required, how long each may be, what an
//! email address looks like, which sessions may be asked for.
//!
//! The rules answer with a [`Field`] and a [`Problem`], never with a sentence: the words
//! next to each field come from `i18n`, in the reader's language. Every problem is
//! reported at once (one per field, in the form's order), so a reader fixes the form in
//! one pass.

use chrono::NaiveDate;

use super::lead::LeadSession;
use super::{Course, Session};

/// What the reader typed, untouched, so the form can be shown again with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InquiryInput {
    pub name: String,
    pub email: String,
    pub company: String,
    /// A session's `id`; empty when the reader asks about the course in general.
    pub session: String,
    pub message: String,
    /// The required, unticked "you may contact me about this inquiry" box.
    pub agree: bool,
    /// The honeypot: hidden from people, so only a robot fills it in.
    pub website: String,
}

/// A field of the form that a problem belongs to, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Name,
    Email,
    Company,
    Session,
    Message,
    Agree,
}

impl Field {
    /// Every field, in the form's order.
    pub const ALL: [Field; 6] =
        [Field::Name, Field::Email, Field::Company, Field::Session, Field::Message, Field::Agree];

    /// The field's `name` in the form (and the key of its value in [`InquiryInput`]).
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Email => "email",
            Field::Company => "company",
            Field::Session => "session",
            Field::Message => "message",
            Field::Agree => "agree",
        }
    }
}

/// What is wrong with a field. Worded by `i18n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    /// A required field left empty (or only blanks).
    Missing,
    /// Longer than `max` characters, after trimming.
    TooLong { max: usize },
    /// A line break or another control character where one line is expected (or, in
    /// the message, a control character other than a line break or a tab).
    ControlCharacter,
    /// Not an address of the shape `name@example.ch` (see [`is_email`]).
    NotAnEmail,
    /// No session of the course has this id (any more).
    UnknownSession,
    /// The session has started or is over: it can no longer be asked for.
    SessionPast,
    /// The "you may contact me" box is not ticked.
    MustAgree,
}

/// The longest value of each text field, in characters.
pub const NAME_MAX: usize = 120;
pub const EMAIL_MAX: usize = 254;
pub const COMPANY_MAX: usize = 120;
pub const MESSAGE_MAX: usize = 4000;
/// The longest local part (before the `@`) of an email address, in characters.
pub const EMAIL_LOCAL_MAX: usize = 64;

/// An inquiry that met every rule: the values trimmed, the optional ones `None` when
/// left empty, and a copy of the session asked about.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidInquiry {
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub message: Option<String>,
    pub session: Option<Session>,
}

impl ValidInquiry {
    /// The session as a lead keeps it: its id, date and place as they were.
    pub fn lead_session(&self) -> Option<LeadSession> {
        self.session.as_ref().map(LeadSession::from)
    }
}

impl From<&Session> for LeadSession {
    fn from(s: &Session) -> Self {
        LeadSession { id: s.id.to_string(), starts_on: s.starts_on, location: s.location.clone() }
    }
}

/// Whether the honeypot was filled in: a robot's post, to be thanked and dropped.
pub fn is_bot(input: &InquiryInput) -> bool {
    !input.website.trim().is_empty()
}

/// Checks an inquiry about `course` as of `today`. `Err` lists every problem, at most one
/// per field, in the form's order ([`Field::ALL`]).
///
/// The session is optional — a reader may ask about the course in general — but when one
/// is named it must be a session of the course that starts on or after `today`.
pub fn validate(
    input: &InquiryInput,
    course: &Course,
    today: NaiveDate,
) -> Result<ValidInquiry, Vec<(Field, Problem)>> {
    let mut problems = Vec::new();
    let mut report = |field: Field, problem: Option<Problem>| {
        if let Some(problem) = problem {
            problems.push((field, problem));
        }
    };

    let name = input.name.trim();
    report(Field::Name, required(name).or_else(|| one_line(name, NAME_MAX)));
    let email = input.email.trim();
    report(
        Field::Email,
        required(email)
            .or_else(|| too_long(email, EMAIL_MAX))
            .or_else(|| (!is_email(email)).then_some(Problem::NotAnEmail)),
    );
    let company = input.company.trim();
    report(Field::Company, one_line(company, COMPANY_MAX));
    let session_id = input.session.trim();
    let session = (!session_id.is_empty()).then(|| course.session(session_id));
    report(
        Field::Session,
        match session {
            Some(None) => Some(Problem::UnknownSession),
            Some(Some(s)) if s.starts_on < today => Some(Problem::SessionPast),
            _ => None,
        },
    );
    let message = input.message.trim();
    report(
        Field::Message,
        too_long(message, MESSAGE_MAX).or_else(|| {
            message
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
                .then_some(Problem::ControlCharacter)
        }),
    );
    report(Field::Agree, (!input.agree).then_some(Problem::MustAgree));

    if !problems.is_empty() {
        return Err(problems);
    }
    let optional = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Ok(ValidInquiry {
        name: name.to_owned(),
        email: email.to_owned(),
        company: optional(company),
        message: optional(message),
        session: session.flatten().cloned(),
    })
}

fn required(s: &str) -> Option<Problem> {
    s.is_empty().then_some(Problem::Missing)
}

fn too_long(s: &str, max: usize) -> Option<Problem> {
    (s.chars().count() > max).then_some(Problem::TooLong { max })
}

/// A single-line value: at most `max` characters, no line break or other control
/// character (which would break a CSV cell, a mail header or a log line).
fn one_line(s: &str, max: usize) -> Option<Problem> {
    too_long(s, max).or_else(|| s.chars().any(char::is_control).then_some(Problem::ControlCharacter))
}

/// Whether `s` has the shape of an email address as people type one, `name@example.ch`:
/// exactly one `@`; a local part of 1 to 64 ASCII letters, digits and
/// ``!#$%&'*+-/=?^_`{|}~``, with dots between (not first, last or doubled); a domain of at
/// least two labels joined by dots, each 1 to 63 ASCII letters, digits and hyphens, not
/// starting or ending with a hyphen, the last holding a letter; 254 characters at most.
/// No spaces, quotes, comments or bracketed addresses: what a browser's `type="email"`
/// accepts, less `a@b`.
///
/// ```
/// use certwise::domain::is_email;
/// assert!(is_email("anna.muster+kurs@example.ch"));
/// assert!(!is_email("a@b"));
/// ```
pub fn is_email(s: &str) -> bool {
    const LOCAL_SPECIALS: &[u8] = b"!#$%&'*+-/=?^_`{|}~";
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let local_ok = (1..=EMAIL_LOCAL_MAX).contains(&local.len())
        && local.split('.').all(|atom| {
            !atom.is_empty() && atom.bytes().all(|b| b.is_ascii_alphanumeric() || LOCAL_SPECIALS.contains(&b))
        });
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels.last().is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()));
    s.len() <= EMAIL_MAX && local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    fn today() -> NaiveDate {
        fixtures::day("2026-11-26")
    }

    /// MD-102 with a past session, one today and one later.
    fn course() -> Course {
        let mut course = fixtures::course("md-102-endpoint-administrator", "MD-102", 5, "119.00", "CHF");
        course.sessions = vec![
            fixtures::session("2026-11-02", "Bern"),
            fixtures::session("2026-11-26", "Online"),
            fixtures::session("2027-01-11", "Zurich"),
        ];
        course
    }

    fn good() -> InquiryInput {
        InquiryInput {
            name: "Anna Muster".into(),
            email: "anna@example.ch".into(),
            company: String::new(),
            session: String::new(),
            message: String::new(),
            agree: true,
            website: String::new(),
        }
    }

    fn problems(change: impl FnOnce(&mut InquiryInput)) -> Vec<(Field, Problem)> {
        let mut input = good();
        change(&mut input);
        validate(&input, &course(), today()).expect_err("a problem")
    }

    #[test]
    fn a_minimal_inquiry_is_valid_and_trimmed() {
        let mut input = good();
        input.name = "  Anna Muster \t".into();
        input.email = " anna@example.ch\n".into();
        input.company = "   ".into();
        input.message = "\n  ".into();
        let valid = validate(&input, &course(), today()).unwrap();
        assert_eq!(
            valid,
            ValidInquiry {
                name: "Anna Muster".into(),
                email: "anna@example.ch".into(),
                company: None,
                message: None,
                session: None,
            }
        );
        assert_eq!(valid.lead_session(), None);
    }

    #[test]
    fn a_full_inquiry_keeps_every_value_and_the_session() {
        let mut input = good();
        input.company = " Example AG ".into();
        input.session = " 2027-01-11-zurich ".into();
        input.message = "  Is there parking?\r\nThanks.\t ".into();
        let valid = validate(&input, &course(), today()).unwrap();
        assert_eq!(valid.company.as_deref(), Some("Example AG"));
        assert_eq!(valid.message.as_deref(), Some("Is there parking?\r\nThanks."));
        let session = valid.session.as_ref().unwrap();
        assert_eq!((session.id.as_str(), session.location.as_str()), ("2027-01-11-zurich", "Zurich"));
        assert_eq!(
            valid.lead_session(),
            Some(LeadSession {
                id: "2027-01-11-zurich".into(),
                starts_on: fixtures::day("2027-01-11"),
                location: "Zurich".into()
            })
        );
    }

    #[test]
    fn name_is_required_one_line_and_at_most_120_characters() {
        assert_eq!(problems(|i| i.name = " \t ".into()), [(Field::Name, Problem::Missing)]);
        assert_eq!(problems(|i| i.name = "é".repeat(121)), [(Field::Name, Problem::TooLong { max: 120 })]);
        assert_eq!(
            problems(|i| i.name = "Anna\nBcc: x@example.ch".into()),
            [(Field::Name, Problem::ControlCharacter)]
        );
        let mut input = good();
        input.name = format!("  {}  ", "é".repeat(120));
        assert!(validate(&input, &course(), today()).is_ok(), "120 characters (240 bytes), trimmed");
    }

    #[test]
    fn email_is_required_of_an_email_shape_and_at_most_254_characters() {
        assert_eq!(problems(|i| i.email = String::new()), [(Field::Email, Problem::Missing)]);
        assert_eq!(problems(|i| i.email = "a@b".into()), [(Field::Email, Problem::NotAnEmail)]);
        let long = format!("{}@{}.ch", "a".repeat(64), vec!["b".repeat(60); 4].join("."));
        assert_eq!(long.len(), 311);
        assert_eq!(problems(|i| i.email = long), [(Field::Email, Problem::TooLong { max: 254 })]);
    }

    #[test]
    fn company_is_optional_one_line_and_at_most_120_characters() {
        assert_eq!(
            problems(|i| i.company = "x".repeat(121)),
            [(Field::Company, Problem::TooLong { max: 120 })]
        );
        assert_eq!(
            problems(|i| i.company = "Example\rAG".into()),
            [(Field::Company, Problem::ControlCharacter)]
        );
    }

    #[test]
    fn message_is_optional_and_at_most_4000_characters() {
        assert_eq!(
            problems(|i| i.message = "ü".repeat(4001)),
            [(Field::Message, Problem::TooLong { max: 4000 })]
        );
        assert_eq!(problems(|i| i.message = "a\u{0}b".into()), [(Field::Message, Problem::ControlCharacter)]);
        let mut input = good();
        input.message = format!("{}\n\tend", "ü".repeat(3995));
        assert!(validate(&input, &course(), today()).is_ok(), "4000 characters with a line break and a tab");
    }

    #[test]
    fn a_session_named_must_be_one_of_the_course_that_has_not_started() {
        assert_eq!(
            problems(|i| i.session = "2027-02-01-zurich".into()),
            [(Field::Session, Problem::UnknownSession)]
        );
        assert_eq!(
            problems(|i| i.session = "2026-11-02-bern".into()),
            [(Field::Session, Problem::SessionPast)]
        );
        let mut input = good();
        input.session = "2026-11-26-online".into();
        let valid = validate(&input, &course(), today()).unwrap();
        assert_eq!(valid.session.unwrap().id.as_str(), "2026-11-26-online", "starting today is still open");
        // Without sessions a course can still be asked about; only naming one fails.
        let mut bare = course();
        bare.sessions.clear();
        assert!(validate(&good(), &bare, today()).is_ok());
        input.session = "2026-11-26-online".into();
        assert_eq!(validate(&input, &bare, today()), Err(vec![(Field::Session, Problem::UnknownSession)]));
    }

    #[test]
    fn the_contact_box_must_be_ticked() {
        assert_eq!(problems(|i| i.agree = false), [(Field::Agree, Problem::MustAgree)]);
    }

    #[test]
    fn every_problem_is_reported_at_once_in_the_forms_order() {
        let input = InquiryInput {
            name: String::new(),
            email: "anna at example.ch".into(),
            company: "x".repeat(200),
            session: "gone".into(),
            message: "m".repeat(5000),
            agree: false,
            website: String::new(),
        };
        let problems = validate(&input, &course(), today()).unwrap_err();
        assert_eq!(
            problems,
            [
                (Field::Name, Problem::Missing),
                (Field::Email, Problem::NotAnEmail),
                (Field::Company, Problem::TooLong { max: 120 }),
                (Field::Session, Problem::UnknownSession),
                (Field::Message, Problem::TooLong { max: 4000 }),
                (Field::Agree, Problem::MustAgree),
            ]
        );
        assert_eq!(problems.iter().map(|(f, _)| *f).collect::<Vec<_>>(), Field::ALL);
    }

    #[test]
    fn field_names_are_the_forms() {
        let names: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        assert_eq!(names, ["name", "email", "company", "session", "message", "agree"]);
    }

    #[test]
    fn the_honeypot_tells_a_robot() {
        assert!(!is_bot(&good()));
        assert!(!is_bot(&InquiryInput { website: "  ".into(), ..good() }), "blanks are no answer");
        assert!(is_bot(&InquiryInput { website: "https://spam.example".into(), ..good() }));
    }

    #[test]
    fn email_shapes() {
        let valid = [
            "anna@example.ch",
            "anna.muster@example.ch",
            "anna+kurs@mail.example.co.uk",
            "o'brien@example.ie",
            "x@a-b.example",
            "1@2.ch",
            "a@xn--bcher-kva.ch",
            "user_name-1@sub.domain.example",
        ];
        for s in valid {
            assert!(is_email(s), "{s} is an address");
        }
        let local_64 = format!("{}@example.ch", "a".repeat(64));
        assert!(is_email(&local_64));
        let invalid = [
            "",
            "a@b",
            "anna",
            "@example.ch",
            "anna@",
            "anna@@example.ch",
            "anna@x@example.ch",
            "anna @example.ch",
            "anna@exa mple.ch",
            "\"anna\"@example.ch",
            ".anna@example.ch",
            "anna.@example.ch",
            "an..na@example.ch",
            "anna@.example.ch",
            "anna@example.ch.",
            "anna@example..ch",
            "anna@-example.ch",
            "anna@example-.ch",
            "anna@example.123",
            "anna@[192.168.0.1]",
            "anna@exam_ple.ch",
            "änna@example.ch",
            "anna@bücher.ch",
            "Anna <anna@example.ch>",
        ];
        for s in invalid {
            assert!(!is_email(s), "{s:?} is not an address");
        }
        assert!(!is_email(&format!("{}@example.ch", "a".repeat(65))), "local part over 64");
        assert!(!is_email(&format!("a@{}.ch", "b".repeat(64))), "label over 63");
        let at_max = format!("a@{}.ch", vec!["b".repeat(62); 4].join("."));
        assert_eq!(at_max.len(), 256);
        assert!(!is_email(&at_max), "over 254");
    }

    proptest::proptest! {
        #[test]
        fn every_address_of_the_usual_shape_passes(
            local in "[a-z0-9]{1,20}([._+-][a-z0-9]{1,10}){0,3}",
            labels in proptest::collection::vec("[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", 1..4),
            tld in "[a-z]{2,6}",
        ) {
            let email = format!("{local}@{}.{tld}", labels.join("."));
            proptest::prop_assert!(is_email(&email), "{}", email);
        }

        #[test]
        fn no_address_without_exactly_one_at_or_with_a_blank(s in "\\PC{0,40}") {
            if is_email(&s) {
                proptest::prop_assert_eq!(s.matches('@').count(), 1);
                proptest::prop_assert!(!s.contains(char::is_whitespace));
                proptest::prop_assert!(s.is_ascii());
                let domain = s.split_once('@').unwrap().1;
                proptest::prop_assert!(domain.contains('.'));
            }
        }
    }
}
