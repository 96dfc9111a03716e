//! Identifiers with a checked shape: exam codes (`MD-102`) and slugs (`md-102-vs-ms-102`).
//!
//! Parsing is the only way to build one, so a `Code` or `Slug` in the rest of the program
//! is known to be well formed and safe to put in a URL path.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An exam code: upper-case letters and digits in hyphen-separated groups (`MD-102`,
/// `SAA-C03`, `CISSP`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code(String);

/// A lower-case identifier: ASCII letters, digits and single hyphens (`microsoft-365`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

/// A string schema with the shape a parser checks, for the OpenAPI description.
fn string_schema(
    description: &str,
    pattern: &str,
    max_length: usize,
    example: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(description))
        .pattern(Some(pattern))
        .max_length(Some(max_length))
        .examples([example])
        .into()
}

impl utoipa::PartialSchema for Code {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        string_schema(
            "An exam code: upper-case letters and digits in hyphen-separated groups.",
            Code::PATTERN,
            Code::MAX_LEN,
            "MD-102",
        )
    }
}

impl utoipa::ToSchema for Code {}

impl utoipa::PartialSchema for Slug {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        string_schema(
            "An identifier: lower-case ASCII letters, digits and single hyphens.",
            Slug::PATTERN,
            Slug::MAX_LEN,
            "device-fleet",
        )
    }
}

impl utoipa::ToSchema for Slug {}

fn hyphen_groups(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.split('-').all(|group| !group.is_empty() && group.bytes().all(&allowed))
}

impl Code {
    /// What [`Code::parse`] accepts, as a regular expression (for the OpenAPI description;
    /// the parser also limits the length to 32 bytes).
    pub const PATTERN: &str = "^[A-Z0-9]+(-[A-Z0-9]+)*$";
    pub const MAX_LEN: usize = 32;
    /// A code as readers may write it where any case is read (`md-102`), unanchored.
    pub const WRITTEN: &str = "[A-Za-z0-9]+(-[A-Za-z0-9]+)*";

    /// Parses an exam code.
    ///
    /// ```
    /// use certwise::domain::Code;
    /// assert_eq!(Code::parse("MD-102").unwrap().as_str(), "MD-102");
    /// assert!(Code::parse("md-102").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.len() <= Self::MAX_LEN && hyphen_groups(s, |b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "`{s}` is not an exam code: expected upper-case letters and digits in hyphen-separated groups, like `MD-102`"
            ))
        }
    }

    /// Finds the code written in lower case in a URL (`md-102` → `MD-102`).
    pub fn from_url(s: &str) -> Option<Self> {
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        Self::parse(&s.to_ascii_uppercase()).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as it appears in URLs and file names.
    pub fn to_lowercase(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

/// Splits text into runs, marking each exam code that could break at its hyphen
/// (`MD-102`, `SAA-C03`: a code by [`Code::parse`] with a letter and a hyphen, standing as
/// a word of its own; `2-3` is a range, not a code). Pages wrap the marked runs in an element that does not wrap.
///
/// ```
/// use certwise::domain::code_runs;
/// let runs: Vec<_> = code_runs("MD-102 or MS-102?").collect();
/// assert_eq!(runs, [(true, "MD-102"), (false, " or "), (true, "MS-102"), (false, "?")]);
/// ```
pub fn code_runs(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut pending: Option<(bool, usize, usize)> = None;
    std::iter::from_fn(move || {
        if let Some((is_code, start, end)) = pending.take() {
            return Some((is_code, &text[start..end]));
        }
        let plain_from = at;
        while at < bytes.len() {
            if word(bytes[at]) {
                let start = at;
                while at < bytes.len() && word(bytes[at]) {
                    at += 1;
                }
                // A trailing hyphen is punctuation, not part of the code ("MD-102-").
                let token = text[start..at].trim_end_matches('-');
                let end = start + token.len();
                if token.contains('-')
                    && token.bytes().any(|b| b.is_ascii_uppercase())
                    && Code::parse(token).is_ok()
                {
                    at = end;
                    if start > plain_from {
                        pending = Some((true, start, end));
                        return Some((false, &text[plain_from..start]));
                    }
                    return Some((true, token));
                }
            } else {
                at += text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        (at > plain_from).then(|| (false, &text[plain_from..at]))
    })
}

impl Slug {
    /// What [`Slug::parse`] accepts, as a regular expression (for the OpenAPI description;
    /// the parser also limits the length to 120 bytes).
    pub const PATTERN: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";
    pub const MAX_LEN: usize = 120;

    /// Parses a slug.
    ///
    /// ```
    /// use certwise::domain::Slug;
    /// assert!(Slug::parse("microsoft-365").is_ok());
    /// assert!(Slug::parse("Microsoft--365").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.len() <= Self::MAX_LEN && hyphen_groups(s, |b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "`{s}` is not an identifier: expected lower-case ASCII letters, digits and single hyphens"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_impls {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = String;
            fn try_from(s: String) -> Result<Self, String> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
string_newtype_impls!(Code);
string_newtype_impls!(Slug);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_patterns_accept_what_the_parsers_accept() {
        let code = regex::Regex::new(Code::PATTERN).unwrap();
        let slug = regex::Regex::new(Slug::PATTERN).unwrap();
        let long_code = "A".repeat(Code::MAX_LEN + 1);
        let long_slug = "a".repeat(Slug::MAX_LEN + 1);
        for s in [
            "MD-102", "SAA-C03", "CISSP", "md-102", "MD--102", "-MD", "MD-", "", "MD 102", "a-b", "é",
            &long_code, &long_slug,
        ] {
            let fits = |re: &regex::Regex, max: usize| re.is_match(s) && s.len() <= max;
            assert_eq!(Code::parse(s).is_ok(), fits(&code, Code::MAX_LEN), "code {s:?}");
            assert_eq!(Slug::parse(s).is_ok(), fits(&slug, Slug::MAX_LEN), "slug {s:?}");
        }
    }

    #[test]
    fn codes_have_upper_case_hyphen_groups() {
        for ok in ["MD-102", "SAA-C03", "CISSP", "AZ-104", "A1"] {
            assert!(Code::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "md-102", "MD--102", "-MD", "MD-", "MD 102", "MD_102", "MÜ-1"] {
            assert!(Code::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn code_from_url_requires_lower_case() {
        assert_eq!(Code::from_url("md-102").unwrap().as_str(), "MD-102");
        assert!(Code::from_url("MD-102").is_none());
        assert!(Code::from_url("md--102").is_none());
        assert!(Code::from_url("../etc").is_none());
    }

    #[test]
    fn slugs_have_lower_case_hyphen_groups() {
        for ok in ["a", "md-102", "microsoft-365", "x1-y2-z3"] {
            assert!(Slug::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "A", "a--b", "-a", "a-", "a_b", "a b", "é"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn code_runs_mark_hyphenated_codes_and_keep_every_byte() {
        let text = "MD-102, MS-102: 5-day course (SAA-C03); CISSP, Wi-Fi, md-102, x_MD-102, MD-102-";
        let runs: Vec<(bool, &str)> = code_runs(text).collect();
        let codes: Vec<&str> = runs.iter().filter(|(c, _)| *c).map(|(_, s)| *s).collect();
        assert_eq!(codes, ["MD-102", "MS-102", "SAA-C03", "MD-102"]);
        assert_eq!(runs.iter().map(|(_, s)| *s).collect::<String>(), text, "nothing lost or doubled");
        assert_eq!(code_runs("").count(), 0);
        assert_eq!(
            code_runs("é MD-102 ü").collect::<Vec<_>>(),
            [(false, "é "), (true, "MD-102"), (false, " ü")]
        );
    }
}
