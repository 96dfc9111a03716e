//! `certwise check`: every rule of CONTENT.md ("Rules that `certwise check` enforces"),
//! each asserted as the exact located message `path:line:column: severity: message`.
//!
//! Each case copies the small valid directory `tests/fixtures/minimal` into a temporary
//! directory, changes one thing, and asserts the complete list of diagnostics (paths
//! relative to the temporary directory), so a rule that reports too much — a cascade —
//! fails as surely as one that reports nothing.

// The cases read best as one-expression closures: `|d| edit(d, file, from, to)`.
#![allow(clippy::semicolon_if_nothing_returned)]

mod common;

use std::fs;
use std::path::{MAIN_SEPARATOR, Path};
use std::process::Command;

use certwise::content::{Checked, Severity, check_dir};
use certwise::domain::Code;
use tempfile::TempDir;

// -- helpers ------------------------------------------------------------------------

/// A fresh, writable copy of `tests/fixtures/minimal`.
fn minimal() -> TempDir {
    let dir = TempDir::new().expect("temporary directory");
    common::copy_dir(&common::fixture("minimal"), dir.path());
    dir
}

/// Replaces the only occurrence of `from` in `file` by `to`.
fn edit(dir: &TempDir, file: &str, from: &str, to: &str) {
    let path = dir.path().join(file);
    let text = fs::read_to_string(&path).expect("read file to edit");
    assert_eq!(text.matches(from).count(), 1, "`{from}` must occur exactly once in {file}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write edited file");
}

fn write(dir: &TempDir, file: &str, contents: impl AsRef<[u8]>) {
    let path = dir.path().join(file);
    fs::create_dir_all(path.parent().expect("parent directory")).expect("create directory");
    fs::write(path, contents).expect("write file");
}

fn rename(dir: &TempDir, from: &str, to: &str) {
    fs::rename(dir.path().join(from), dir.path().join(to)).expect("rename file");
}

fn remove(dir: &TempDir, file: &str) {
    fs::remove_file(dir.path().join(file)).expect("remove file");
}

/// Checks the directory; every diagnostic as it is displayed, with the temporary
/// directory's prefix removed (also inside messages that name another file).
fn check(dir: &TempDir) -> (Checked, Vec<String>) {
    let checked = check_dir(dir.path());
    let prefix = format!("{}{MAIN_SEPARATOR}", dir.path().display());
    let lines = checked.diagnostics.iter().map(|d| d.to_string().replace(&prefix, "")).collect();
    (checked, lines)
}

/// Asserts that the directory yields exactly these diagnostics, in this order, and that
/// there is a catalog exactly when none of them is an error.
fn assert_diagnostics(dir: &TempDir, expected: &[&str]) -> Checked {
    let (checked, lines) = check(dir);
    assert_eq!(lines, expected, "diagnostics differ");
    let errors = expected.iter().filter(|l| l.contains(": error: ")).count();
    assert_eq!(checked.errors(), errors);
    assert_eq!(checked.catalog.is_some(), errors == 0, "a catalog exactly when there is no error");
    checked
}

/// One change to the minimal directory, one expected diagnostic.
fn assert_one(change: impl FnOnce(&TempDir), expected: &str) -> Checked {
    let dir = minimal();
    change(&dir);
    assert_diagnostics(&dir, &[expected])
}

const LEVELS: &str = "`fundamentals`, `associate`, `professional`, `expert`, `specialty`";
const COURSE_FIELDS: &str = "`certification`, `currency`, `delivery`, `duration_days`, `price`, `price_note`, `sessions`, `slug`, `teachers`, `title`, `translations`";
const SESSION_FIELDS: &str = "`id`, `language`, `location`, `seats`, `starts_on`";

// -- the valid directories ----------------------------------------------------------

#[test]
fn minimal_fixture_checks_clean() {
    let dir = minimal();
    let checked = assert_diagnostics(&dir, &[]);
    let catalog = checked.catalog.expect("a catalog");
    assert_eq!(catalog.site.locales, ["en", "de"]);
    assert_eq!(catalog.responsibilities.len(), 2);
    assert_eq!(catalog.certifications.len(), 3);
    assert_eq!(catalog.courses.len(), 1);
    assert_eq!(catalog.experts.len(), 2);
    assert_eq!(catalog.topics.len(), 1);
    assert_eq!(catalog.answers.len(), 2);
}

#[test]
fn other_vendor_fixture_checks_clean() {
    let checked = check_dir(&common::fixture("other-vendor"));
    let lines: Vec<String> = checked.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(lines, Vec::<String>::new(), "no errors and no warnings");
    let catalog = checked.catalog.expect("a catalog");
    assert_eq!(catalog.site.locales, ["en"]);
    assert_eq!(catalog.certifications.len(), 4);
    assert_eq!(catalog.courses.len(), 3);
    assert_eq!(catalog.answers.len(), 3);

    let price = |slug: &str| {
        let course = catalog.courses.values().find(|c| c.slug.as_str() == slug).expect("course");
        (course.price.amount.to_string(), course.price.currency.clone())
    };
    assert_eq!(price("saa-c03-solutions-architect"), ("1450.50".to_owned(), "EUR".to_owned()));

    let retired = catalog.certifications.values().find(|c| c.code.as_str() == "SY0-301").expect("SY0-301");
    assert_eq!(retired.status, certwise::domain::Status::Retired);
    assert_eq!(retired.retires_on.map(|d| d.to_string()).as_deref(), Some("2015-06-30"));
    assert_eq!(retired.successor.as_ref().map(Code::as_str), Some("SY0-701"));

    let answer = |slug: &str| catalog.answers.iter().find(|a| a.slug.as_str() == slug).expect("answer");
    assert!(answer("how-to-book-an-exam").certifications.is_empty());
    assert_eq!(answer("aws-or-security-plus-first").certifications.len(), 3);
    // The hostile HTML is content like any other: the check keeps it, the renderer
    // sanitises it.
    let hostile = answer("what-replaced-sy0-301");
    let insight = hostile.insight.as_ref().expect("insight");
    for evil in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        r#"<iframe src="https://evil.example/"></iframe>"#,
        r#"<a href="JaVaScRiPt:alert(2)">x</a>"#,
        r#"<div onclick="alert(3)">x</div>"#,
        "<style>body{}</style>",
    ] {
        assert!(hostile.body.contains(evil), "body keeps {evil}");
        assert!(insight.text.contains(evil), "insight keeps {evil}");
    }
}

// -- every file parses --------------------------------------------------------------

#[test]
fn toml_syntax_error_is_located() {
    assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-100.toml",
                r#"title = "Cloud Fundamentals""#,
                r#"title = "Cloud Fundamentals"#,
            )
        },
        r#"certifications/ax-100.toml:3:28: error: invalid TOML: invalid basic string, expected `"`"#,
    );
}

#[test]
fn toml_syntax_error_in_front_matter_is_located_in_the_answer_file() {
    // Line 6 of the .md file is line 5 of the front matter: the `+++` line is counted.
    assert_one(
        |d| edit(d, "answers/en/what-is-sec-1.md", r#"author = "ben-beispiel""#, r#"author = "ben-beispiel"#),
        r#"answers/en/what-is-sec-1.md:6:23: error: invalid TOML: invalid basic string, expected `"`"#,
    );
}

#[test]
fn missing_front_matter() {
    assert_one(
        |d| write(d, "answers/en/no-front-matter.md", "question = \"Where is the front matter?\"\n\nBody.\n"),
        "answers/en/no-front-matter.md:1:1: error: missing front matter: an answer starts with a line `+++`, then TOML, then a line `+++`",
    );
    // An opening `+++` without a closing one is no front matter either.
    assert_one(
        |d| edit(d, "answers/en/what-is-sec-1.md", "+++\nSEC-1 tests", "\nSEC-1 tests"),
        "answers/en/what-is-sec-1.md:1:1: error: missing front matter: an answer starts with a line `+++`, then TOML, then a line `+++`",
    );
}

#[test]
fn missing_site_toml() {
    assert_one(
        |d| remove(d, "site.toml"),
        "site.toml:1:1: error: missing file: every content directory needs `site.toml`",
    );
}

#[test]
fn missing_responsibilities_toml() {
    // Without the taxonomy the domains' references are not checked (no cascade).
    assert_one(
        |d| remove(d, "responsibilities.toml"),
        "responsibilities.toml:1:1: error: missing file: every content directory needs `responsibilities.toml`",
    );
}

#[test]
fn non_utf8_file_is_located_at_the_first_bad_byte() {
    assert_one(
        |d| write(d, "topics/axion-cloud.toml", b"slug = \"axion-cloud\"\ntitle = \"Axi\xffon\"\n"),
        "topics/axion-cloud.toml:2:13: error: the file is not valid UTF-8",
    );
}

// -- required fields, unknown fields, types -----------------------------------------

#[test]
fn missing_required_field() {
    assert_one(
        |d| edit(d, "certifications/sec-1.toml", "vendor = \"Axion\"\n", ""),
        "certifications/sec-1.toml:1:1: error: missing field `vendor` in the file",
    );
    assert_one(
        |d| edit(d, "answers/en/what-is-sec-1.md", "author = \"ben-beispiel\"\n", ""),
        "answers/en/what-is-sec-1.md:2:1: error: missing field `author` in the file",
    );
    assert_one(
        |d| edit(d, "certifications/sec-1.toml", "weight_max = 100\n", ""),
        "certifications/sec-1.toml:11:1: error: missing field `weight_max` in `domains` entry 1",
    );
}

#[test]
fn unknown_field_typo() {
    // A typo is both an unknown field and a missing one.
    let dir = minimal();
    edit(&dir, "courses/ax-200-administrator.toml", "title = ", "titel = ");
    assert_diagnostics(
        &dir,
        &[
            "courses/ax-200-administrator.toml:1:1: error: missing field `title` in the file",
            &format!(
                "courses/ax-200-administrator.toml:3:1: error: unknown field `titel` in the file, expected one of {COURSE_FIELDS}"
            ),
        ],
    );
    // In a nested table, an extra field alone.
    assert_one(
        |d| edit(d, "courses/ax-200-administrator.toml", "seats = 12", "seats = 12\nroom = \"3.14\""),
        &format!(
            "courses/ax-200-administrator.toml:14:1: error: unknown field `room` in `sessions` entry 1, expected one of {SESSION_FIELDS}"
        ),
    );
    assert_one(
        |d| {
            edit(
                d,
                "answers/en/ax-100-or-ax-200.md",
                "expert = \"ben-beispiel\"",
                "expert = \"ben-beispiel\"\nurl = \"x\"",
            )
        },
        "answers/en/ax-100-or-ax-200.md:17:1: error: unknown field `url` in `[insight]`, expected one of `expert`, `text`",
    );
}

#[test]
fn wrong_type() {
    assert_one(
        |d| edit(d, "courses/ax-200-administrator.toml", "duration_days = 4", "duration_days = \"4\""),
        "courses/ax-200-administrator.toml:4:17: error: `duration_days` must be an integer, found a string",
    );
    // A price is a decimal string, never a float.
    assert_one(
        |d| edit(d, "courses/ax-200-administrator.toml", "price = \"1900.00\"", "price = 1900.00"),
        "courses/ax-200-administrator.toml:5:9: error: `price` must be a string, found a float",
    );
    assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-100.toml",
                "technologies = [\"Axion Cloud\"]",
                "technologies = \"Axion Cloud\"",
            )
        },
        "certifications/ax-100.toml:8:16: error: `technologies` must be an array, found a string",
    );
}

#[test]
fn two_independent_mistakes_in_one_file_are_both_reported() {
    let dir = minimal();
    edit(
        &dir,
        "experts/ada-muster.toml",
        "name = \"Ada Muster\"",
        "name = \"Ada Muster\"\ntwitter = \"@ada\"",
    );
    edit(&dir, "experts/ada-muster.toml", "bio = \"Ada", "bio = 42\nbiography = \"Ada");
    assert_diagnostics(
        &dir,
        &[
            "experts/ada-muster.toml:3:1: error: unknown field `twitter` in the file, expected one of `bio`, `credentials`, `name`, `slug`",
            "experts/ada-muster.toml:5:7: error: `bio` must be a string, found an integer",
            "experts/ada-muster.toml:6:1: error: unknown field `biography` in the file, expected one of `bio`, `credentials`, `name`, `slug`",
        ],
    );
}

#[test]
fn bad_price_and_bad_currency_are_both_reported() {
    let dir = minimal();
    edit(&dir, "courses/ax-200-administrator.toml", "price = \"1900.00\"", "price = \"19,00\"");
    edit(&dir, "courses/ax-200-administrator.toml", "currency = \"CHF\"", "currency = \"Fr.\"");
    assert_diagnostics(
        &dir,
        &[
            "courses/ax-200-administrator.toml:5:9: error: `price`: `19,00` is not a price: expected a decimal string such as \"119.00\"",
            "courses/ax-200-administrator.toml:6:12: error: `currency`: `Fr.` is not an ISO 4217 currency code: expected three upper-case letters, like \"CHF\"",
        ],
    );
}

// -- ranges -------------------------------------------------------------------------

#[test]
fn weight_out_of_range() {
    assert_one(
        |d| edit(d, "certifications/ax-200.toml", "weight_max = 35", "weight_max = 101"),
        "certifications/ax-200.toml:19:14: error: `weight_max` must be between 0 and 100, found 101",
    );
    assert_one(
        |d| edit(d, "certifications/ax-200.toml", "weight_min = 30", "weight_min = -5"),
        "certifications/ax-200.toml:18:14: error: `weight_min` must be between 0 and 100, found -5",
    );
}

#[test]
fn weight_min_greater_than_weight_max() {
    assert_one(
        |d| edit(d, "certifications/ax-200.toml", "weight_min = 20", "weight_min = 26"),
        "certifications/ax-200.toml:24:14: error: `weight_min` (26) is greater than `weight_max` (25)",
    );
}

#[test]
fn duration_days_zero() {
    assert_one(
        |d| edit(d, "courses/ax-200-administrator.toml", "duration_days = 4", "duration_days = 0"),
        "courses/ax-200-administrator.toml:4:17: error: `duration_days` must be between 1 and 365, found 0",
    );
}

#[test]
fn price_with_three_decimals() {
    assert_one(
        |d| edit(d, "courses/ax-200-administrator.toml", "\"1900.00\"", "\"1900.005\""),
        "courses/ax-200-administrator.toml:5:9: error: `price`: `1900.005` has more than two decimals",
    );
}

#[test]
fn negative_or_garbage_price() {
    for bad in ["-5", "-0.01", "abc", "1e3", "12.", " 12"] {
        assert_one(
            |d| edit(d, "courses/ax-200-administrator.toml", "\"1900.00\"", &format!("\"{bad}\"")),
            &format!(
                "courses/ax-200-administrator.toml:5:9: error: `price`: `{bad}` is not a price: expected a decimal string such as \"119.00\""
            ),
        );
    }
    // Zero is a price.
    let dir = minimal();
    edit(&dir, "courses/ax-200-administrator.toml", "\"1900.00\"", "\"0\"");
    assert_diagnostics(&dir, &[]);
}

#[test]
fn bad_currency() {
    for bad in ["chf", "EURO", "€", "CH"] {
        assert_one(
            |d| {
                edit(
                    d,
                    "courses/ax-200-administrator.toml",
                    "currency = \"CHF\"",
                    &format!("currency = \"{bad}\""),
                )
            },
            &format!(
                "courses/ax-200-administrator.toml:6:12: error: `currency`: `{bad}` is not an ISO 4217 currency code: expected three upper-case letters, like \"CHF\""
            ),
        );
    }
}

#[test]
fn invalid_date_is_rejected_by_the_toml_parser() {
    // The TOML parser itself knows that February 2026 has 28 days.
    assert_one(
        |d| edit(d, "answers/en/ax-100-or-ax-200.md", "2026-03-02", "2026-02-30"),
        "answers/en/ax-100-or-ax-200.md:7:16: error: invalid TOML: invalid date, expected day between 01 and 28",
    );
    assert_one(
        |d| edit(d, "certifications/ax-100.toml", "2026-05-01", "2026-13-01"),
        "certifications/ax-100.toml:22:14: error: invalid TOML: invalid date, expected month between 01 and 12",
    );
    // 2028 is a leap year.
    let dir = minimal();
    edit(&dir, "certifications/ax-200.toml", "2027-06-30", "2028-02-29");
    assert_diagnostics(&dir, &[]);
}

#[test]
fn datetime_or_string_instead_of_a_date() {
    assert_one(
        |d| edit(d, "answers/en/what-is-sec-1.md", "2026-04-20", "2026-04-20T10:00:00Z"),
        "answers/en/what-is-sec-1.md:7:16: error: `published_on` must be a date like 2026-11-30, found 2026-04-20T10:00:00Z",
    );
    assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-200.toml",
                "retires_on = 2027-06-30",
                "retires_on = 2027-06-30 12:00:00",
            )
        },
        "certifications/ax-200.toml:12:14: error: `retires_on` must be a date like 2026-11-30, found 2027-06-30T12:00:00",
    );
    assert_one(
        |d| {
            edit(
                d,
                "courses/ax-200-administrator.toml",
                "starts_on = 2027-01-11",
                "starts_on = \"2027-01-11\"",
            )
        },
        "courses/ax-200-administrator.toml:10:13: error: `starts_on` must be a date like 2026-11-30, found a string",
    );
}

// -- identifiers and words ----------------------------------------------------------

#[test]
fn bad_identifier() {
    assert_one(
        |d| edit(d, "topics/axion-cloud.toml", "slug = \"axion-cloud\"", "slug = \"Axion_Cloud\""),
        "topics/axion-cloud.toml:1:8: error: `slug`: `Axion_Cloud` is not an identifier: expected lower-case ASCII letters, digits and single hyphens",
    );
    assert_one(
        |d| {
            let text = fs::read_to_string(d.path().join("responsibilities.toml")).expect("responsibilities");
            write(
                d,
                "responsibilities.toml",
                format!("{text}\n[[responsibility]]\nid = \"Data--Ops\"\nlabel = \"Run data\"\n"),
            );
        },
        "responsibilities.toml:11:6: error: `id`: `Data--Ops` is not an identifier: expected lower-case ASCII letters, digits and single hyphens",
    );
    assert_one(
        |d| rename(d, "answers/en/what-is-sec-1.md", "answers/en/What_is_SEC-1.md"),
        "answers/en/What_is_SEC-1.md:1:1: error: the file name must be the answer's slug: `What_is_SEC-1` is not an identifier: expected lower-case ASCII letters, digits and single hyphens",
    );
}

#[test]
fn bad_exam_code() {
    assert_one(
        |d| edit(d, "certifications/sec-1.toml", "code = \"SEC-1\"", "code = \"sec-1\""),
        "certifications/sec-1.toml:1:8: error: `code`: `sec-1` is not an exam code: expected upper-case letters and digits in hyphen-separated groups, like `MD-102`",
    );
    assert_one(
        |d| {
            edit(
                d,
                "answers/en/what-is-sec-1.md",
                "certifications = [\"SEC-1\"]",
                "certifications = [\"SEC 1\"]",
            )
        },
        "answers/en/what-is-sec-1.md:4:19: error: `certifications`: `SEC 1` is not an exam code: expected upper-case letters and digits in hyphen-separated groups, like `MD-102`",
    );
}

#[test]
fn unknown_enum_values() {
    let dir = minimal();
    edit(&dir, "certifications/ax-100.toml", "level = \"fundamentals\"", "level = \"beginner\"");
    edit(&dir, "certifications/sec-1.toml", "status = \"beta\"", "status = \"retiring\"");
    edit(
        &dir,
        "courses/ax-200-administrator.toml",
        "\"classroom\", \"virtual\"",
        "\"classroom\", \"online\"",
    );
    edit(&dir, "site.toml", "category = \"analytics\"", "category = \"statistics\"");
    assert_diagnostics(
        &dir,
        &[
            &format!(
                "certifications/ax-100.toml:5:9: error: `level` is `beginner`, expected one of {LEVELS}"
            ),
            "certifications/sec-1.toml:9:10: error: `status` is `retiring`, expected one of `beta`, `active`, `retired`",
            "courses/ax-200-administrator.toml:7:26: error: `delivery` is `online`, expected one of `classroom`, `virtual`, `self-paced`",
            "site.toml:11:12: error: `category` is `statistics`, expected one of `preferences`, `analytics`, `marketing`",
        ],
    );
}

#[test]
fn uncertain_must_name_a_field() {
    assert_one(
        |d| edit(d, "certifications/ax-200.toml", "uncertain = [\"domains\"]", "uncertain = [\"domain\"]"),
        "certifications/ax-200.toml:14:14: error: `uncertain` names `domain`, which is not a field; expected one of `vendor`, `title`, `credential`, `level`, `scope`, `summary`, `technologies`, `roles`, `prerequisites`, `status`, `retires_on`, `successor`, `exam_minutes`, `domains`",
    );
}

// -- site.toml ----------------------------------------------------------------------

#[test]
fn base_url_with_trailing_slash() {
    assert_one(
        |d| edit(d, "site.toml", "\"https://academy.example.org\"", "\"https://academy.example.org/\""),
        "site.toml:2:12: error: `base_url` must not end with a slash",
    );
    assert_one(
        |d| edit(d, "site.toml", "\"https://academy.example.org\"", "\"academy.example.org\""),
        "site.toml:2:12: error: `base_url`: `academy.example.org` is not an absolute http(s) URL",
    );
}

#[test]
fn region_must_be_two_capital_letters() {
    for bad in ["ch", "CHE", "C1", ""] {
        assert_one(
            |d| {
                edit(
                    d,
                    "site.toml",
                    "locales = [\"en\", \"de\"]",
                    &format!("locales = [\"en\", \"de\"]\nregion = \"{bad}\""),
                )
            },
            &format!(
                "site.toml:5:10: error: `region`: `{bad}` is not a region code: two capital letters (ISO 3166-1 alpha-2) such as `CH` or `DE`"
            ),
        );
    }
    // A good region checks clean.
    let dir = minimal();
    edit(&dir, "site.toml", "locales = [\"en\", \"de\"]", "locales = [\"en\", \"de\"]\nregion = \"CH\"");
    let checked = assert_diagnostics(&dir, &[]);
    assert_eq!(checked.catalog.expect("a catalog").site.region.as_deref(), Some("CH"));
}

#[test]
fn default_locale_not_in_locales() {
    assert_one(
        |d| edit(d, "site.toml", "default_locale = \"en\"", "default_locale = \"fr\""),
        "site.toml:3:18: error: `default_locale` `fr` is not one of `locales`",
    );
}

#[test]
fn duplicate_consent_service_id_is_located_at_the_second_id() {
    let dir = minimal();
    let site = fs::read_to_string(dir.path().join("site.toml")).expect("site.toml");
    let service = &site[site.find("[[consent.services]]").expect("a service")..];
    write(&dir, "site.toml", format!("{site}\n{service}"));
    assert_diagnostics(
        &dir,
        &["site.toml:19:6: error: duplicate consent service id `stats`: already defined in site.toml"],
    );
}

#[test]
fn consent_hosts_must_be_origins() {
    assert_one(
        |d| {
            edit(
                d,
                "site.toml",
                "hosts = [\"https://stats.example.org\"]",
                "hosts = [\"https://stats.example.org/x; script-src *\"]",
            )
        },
        "site.toml:15:10: error: `hosts`: `https://stats.example.org/x; script-src *` is not an origin: expected `https://host` or `https://host:port`, without a path",
    );
}

#[test]
fn consent_cookie_names_must_be_tokens() {
    assert_one(
        |d| edit(d, "site.toml", "name = \"_st\"", "name = \"_st; Domain=evil.example\""),
        "site.toml:16:21: error: `name`: `_st; Domain=evil.example` is not a cookie name: letters, digits and `!#$%&'*+-.^_`|~` only",
    );
}

// -- file names and uniqueness ------------------------------------------------------

#[test]
fn certification_file_stem_must_be_code_in_lower_case() {
    assert_one(
        |d| rename(d, "certifications/sec-1.toml", "certifications/sec1.toml"),
        "certifications/sec1.toml:1:8: error: the file of certification `SEC-1` must be named `sec-1.toml`",
    );
    assert_one(
        |d| rename(d, "certifications/sec-1.toml", "certifications/SEC-1.toml"),
        "certifications/SEC-1.toml:1:8: error: the file of certification `SEC-1` must be named `sec-1.toml`",
    );
}

#[test]
fn course_file_name_must_be_its_slug() {
    assert_one(
        |d| rename(d, "courses/ax-200-administrator.toml", "courses/ax-200-admin.toml"),
        "courses/ax-200-admin.toml:1:8: error: the file of course `ax-200-administrator` must be named `ax-200-administrator.toml`",
    );
    assert_one(
        |d| rename(d, "experts/ada-muster.toml", "experts/ada.toml"),
        "experts/ada.toml:1:8: error: the file of expert `ada-muster` must be named `ada-muster.toml`",
    );
}

#[test]
fn duplicate_code_and_slug() {
    // Two files cannot share a stem, so a duplicate also has a misnamed file.
    let dir = minimal();
    fs::copy(
        dir.path().join("certifications/ax-100.toml"),
        dir.path().join("certifications/ax-100-copy.toml"),
    )
    .expect("copy");
    assert_diagnostics(
        &dir,
        &[
            "certifications/ax-100-copy.toml:1:8: error: the file of certification `AX-100` must be named `ax-100.toml`",
            "certifications/ax-100.toml:1:8: error: duplicate certification code `AX-100`: already defined in certifications/ax-100-copy.toml",
        ],
    );

    let dir = minimal();
    fs::copy(dir.path().join("experts/ada-muster.toml"), dir.path().join("experts/ada.toml")).expect("copy");
    assert_diagnostics(
        &dir,
        &[
            "experts/ada.toml:1:8: error: duplicate expert slug `ada-muster`: already defined in experts/ada-muster.toml",
            "experts/ada.toml:1:8: error: the file of expert `ada-muster` must be named `ada-muster.toml`",
        ],
    );

    // Within one file, a duplicate is just that.
    assert_one(
        |d| {
            let text = fs::read_to_string(d.path().join("responsibilities.toml")).expect("responsibilities");
            write(
                d,
                "responsibilities.toml",
                format!("{text}\n[[responsibility]]\nid = \"cloud-ops\"\nlabel = \"Again\"\n"),
            );
        },
        "responsibilities.toml:11:6: error: duplicate responsibility id `cloud-ops`: already defined in responsibilities.toml",
    );
}

#[test]
fn duplicate_translation_key_and_locale() {
    assert_one(
        |d| {
            edit(
                d,
                "answers/en/what-is-sec-1.md",
                "author = ",
                "translation_key = \"ax-100-or-ax-200\"\nauthor = ",
            );
        },
        "answers/en/what-is-sec-1.md:6:19: error: duplicate translation_key `ax-100-or-ax-200` in locale `en`: already defined in answers/en/ax-100-or-ax-200.md",
    );
    // The same key in another locale is a translation, as intended.
    let dir = minimal();
    let en = fs::read_to_string(dir.path().join("answers/en/ax-100-or-ax-200.md")).expect("answer");
    write(&dir, "answers/de/ax-100-oder-ax-200.md", en);
    let checked = assert_diagnostics(&dir, &[]);
    let catalog = checked.catalog.expect("a catalog");
    let keyed =
        catalog.answers.iter().filter(|a| a.translation_key.as_deref() == Some("ax-100-or-ax-200")).count();
    assert_eq!(keyed, 2);
}

#[test]
fn answer_locale_folder_must_be_a_site_locale() {
    assert_one(
        |d| {
            let text = fs::read_to_string(d.path().join("answers/en/what-is-sec-1.md")).expect("answer");
            write(d, "answers/it/che-cosa-e-sec-1.md", text);
        },
        "answers/it/che-cosa-e-sec-1.md:1:1: error: locale folder `it` is not one of site.toml's `locales` (en, de)",
    );
}

// -- references ---------------------------------------------------------------------

#[test]
fn course_references_unknown_certification() {
    assert_one(
        |d| {
            edit(
                d,
                "courses/ax-200-administrator.toml",
                "certification = \"AX-200\"",
                "certification = \"AX-999\"",
            )
        },
        "courses/ax-200-administrator.toml:2:17: error: unknown certification `AX-999`: no file certifications/ax-999.toml",
    );
}

// -- courses: price note, teachers, session ids -------------------------------------

const COURSE: &str = "courses/ax-200-administrator.toml";

/// The minimal course's session, then `more` appended to the file.
fn add_to_course(dir: &TempDir, more: &str) {
    let text = fs::read_to_string(dir.path().join(COURSE)).expect("course");
    write(dir, COURSE, format!("{text}{more}"));
}

#[test]
fn course_price_note_teachers_and_session_ids_are_read() {
    let dir = minimal();
    edit(&dir, COURSE, "currency = \"CHF\"", "currency = \"CHF\"\nprice_note = \" per participant \"");
    edit(&dir, COURSE, "delivery = ", "teachers = [\"ben-beispiel\", \"ada-muster\"]\ndelivery = ");
    add_to_course(
        &dir,
        "\n[[sessions]]\nid = \"feb-online\"\nstarts_on = 2027-02-01\nlocation = \"Online\"\nlanguage = \"en\"\nseats = 16\n",
    );
    let catalog = assert_diagnostics(&dir, &[]).catalog.expect("a catalog");
    let course = catalog.courses.values().next().expect("the course");
    assert_eq!(course.price_note.as_deref(), Some("per participant"), "trimmed");
    let teachers: Vec<&str> = course.teachers.iter().map(AsRef::as_ref).collect();
    assert_eq!(teachers, ["ben-beispiel", "ada-muster"], "in the content's order");
    let ids: Vec<&str> = course.sessions.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["2027-01-11-zurich", "feb-online"], "the default id is the date and the place");
}

#[test]
fn course_references_unknown_teacher() {
    assert_one(
        |d| edit(d, COURSE, "delivery = ", "teachers = [\"ada-muster\", \"carla\"]\ndelivery = "),
        "courses/ax-200-administrator.toml:7:27: error: unknown teacher `carla`: no file experts/carla.toml",
    );
    assert_one(
        |d| edit(d, COURSE, "delivery = ", "teachers = [\"ada-muster\", \"ada-muster\"]\ndelivery = "),
        "courses/ax-200-administrator.toml:7:27: error: `ada-muster` is listed twice in `teachers`",
    );
    assert_one(
        |d| edit(d, COURSE, "delivery = ", "teachers = [\"Ada Muster\"]\ndelivery = "),
        "courses/ax-200-administrator.toml:7:13: error: `teachers`: `Ada Muster` is not an identifier: expected lower-case ASCII letters, digits and single hyphens",
    );
}

#[test]
fn blank_price_note() {
    assert_one(
        |d| edit(d, COURSE, "currency = \"CHF\"", "currency = \"CHF\"\nprice_note = \"  \""),
        "courses/ax-200-administrator.toml:7:14: error: `price_note` must not be empty: leave it out instead",
    );
}

#[test]
fn bad_session_id() {
    assert_one(
        |d| edit(d, COURSE, "starts_on = 2027-01-11", "id = \"Jan Zurich\"\nstarts_on = 2027-01-11"),
        "courses/ax-200-administrator.toml:10:6: error: `id`: `Jan Zurich` is not an identifier: expected lower-case ASCII letters, digits and single hyphens",
    );
    assert_one(
        |d| edit(d, COURSE, "starts_on = 2027-01-11", "id = 2027\nstarts_on = 2027-01-11"),
        "courses/ax-200-administrator.toml:10:6: error: `id` must be a string, found an integer",
    );
}

#[test]
fn duplicate_session_id() {
    // Two explicit ids.
    assert_one(
        |d| {
            edit(d, COURSE, "starts_on = 2027-01-11", "id = \"january\"\nstarts_on = 2027-01-11");
            add_to_course(
                d,
                "\n[[sessions]]\nid = \"january\"\nstarts_on = 2027-01-25\nlocation = \"Online\"\nlanguage = \"en\"\nseats = 16\n",
            );
        },
        "courses/ax-200-administrator.toml:17:6: error: duplicate session id `january`: `sessions` entries 1 and 2 both have it; give one of them another `id`",
    );
    // Two sessions on one day in one place, neither with an id: at the second's table.
    assert_one(
        |d| {
            add_to_course(
                d,
                "\n[[sessions]]\nstarts_on = 2027-01-11\nlocation = \"Zurich\"\nlanguage = \"en\"\nseats = 8\n",
            )
        },
        "courses/ax-200-administrator.toml:15:1: error: duplicate session id `2027-01-11-zurich`: `sessions` entries 1 and 2 both have it; a session without `id` is named by its `starts_on` and `location`; give one of them an `id`",
    );
    // An explicit id that is another session's default.
    assert_one(
        |d| {
            add_to_course(
                d,
                "\n[[sessions]]\nid = \"2027-01-11-zurich\"\nstarts_on = 2027-02-01\nlocation = \"Online\"\nlanguage = \"en\"\nseats = 8\n",
            )
        },
        "courses/ax-200-administrator.toml:16:6: error: duplicate session id `2027-01-11-zurich`: `sessions` entries 1 and 2 both have it; a session without `id` is named by its `starts_on` and `location`; give one of them an `id`",
    );
}

#[test]
fn answer_references_unknown_certification() {
    assert_one(
        |d| edit(d, "answers/en/ax-100-or-ax-200.md", "[\"AX-100\", \"AX-200\"]", "[\"AX-100\", \"AX-201\"]"),
        "answers/en/ax-100-or-ax-200.md:4:29: error: unknown certification `AX-201`: no file certifications/ax-201.toml",
    );
    assert_one(
        |d| edit(d, "answers/en/ax-100-or-ax-200.md", "[\"AX-100\", \"AX-200\"]", "[\"AX-100\", \"AX-100\"]"),
        "answers/en/ax-100-or-ax-200.md:4:29: error: `AX-100` is listed twice in `certifications`",
    );
}

#[test]
fn answer_references_unknown_author() {
    assert_one(
        |d| {
            edit(
                d,
                "answers/en/ax-100-or-ax-200.md",
                "author = \"ada-muster\"",
                "author = \"ada-mustermann\"",
            )
        },
        "answers/en/ax-100-or-ax-200.md:6:10: error: unknown author `ada-mustermann`: no file experts/ada-mustermann.toml",
    );
}

#[test]
fn answer_references_unknown_insight_expert() {
    assert_one(
        |d| edit(d, "answers/en/ax-100-or-ax-200.md", "expert = \"ben-beispiel\"", "expert = \"ben\""),
        "answers/en/ax-100-or-ax-200.md:16:10: error: unknown expert `ben`: no file experts/ben.toml",
    );
}

#[test]
fn choose_certification_must_be_one_of_the_answers_certifications() {
    // SEC-1 is in the catalog, but not among this answer's certifications.
    assert_one(
        |d| {
            edit(
                d,
                "answers/en/ax-100-or-ax-200.md",
                "certification = \"AX-100\"",
                "certification = \"SEC-1\"",
            )
        },
        "answers/en/ax-100-or-ax-200.md:12:17: error: `choose.certification` `SEC-1` is not one of this answer's `certifications`",
    );
}

#[test]
fn domain_references_unknown_responsibility() {
    assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-200.toml",
                "[\"identity\", \"cloud-ops\"]",
                "[\"identity\", \"cloud-opps\"]",
            )
        },
        "certifications/ax-200.toml:26:33: error: unknown responsibility `cloud-opps`: it is not in responsibilities.toml",
    );
}

#[test]
fn an_empty_taxonomy_resolves_no_responsibility() {
    let dir = minimal();
    write(&dir, "responsibilities.toml", "# none yet\n");
    let unknown = |path: &str, id: &str| {
        format!("{path}: error: unknown responsibility `{id}`: it is not in responsibilities.toml")
    };
    assert_diagnostics(
        &dir,
        &[
            &unknown("certifications/ax-100.toml:18:21", "cloud-ops"),
            &unknown("certifications/ax-200.toml:20:21", "cloud-ops"),
            &unknown("certifications/ax-200.toml:26:21", "identity"),
            &unknown("certifications/ax-200.toml:26:33", "cloud-ops"),
            &unknown("certifications/sec-1.toml:15:21", "identity"),
        ],
    );
}

#[test]
fn prerequisite_outside_the_catalog_is_a_warning() {
    let checked = assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-200.toml",
                "prerequisites = [\"AX-100\"]",
                "prerequisites = [\"AX-100\", \"AX-050\"]",
            )
        },
        "certifications/ax-200.toml:10:28: warning: prerequisite `AX-050` is not in the catalog",
    );
    assert_eq!(checked.warnings(), 1);
    assert_eq!(checked.diagnostics[0].severity, Severity::Warning);
    let catalog = checked.catalog.expect("a warning does not stop the catalog");
    assert_eq!(catalog.certifications.len(), 3);
}

#[test]
fn own_prerequisite_is_an_error() {
    assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-200.toml",
                "prerequisites = [\"AX-100\"]",
                "prerequisites = [\"AX-200\"]",
            )
        },
        "certifications/ax-200.toml:10:18: error: `AX-200` cannot be its own prerequisite",
    );
}

#[test]
fn successor_outside_the_catalog_is_a_warning() {
    let checked = assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-200.toml",
                "exam_minutes = 120",
                "successor = \"AX-201\"\nexam_minutes = 120",
            )
        },
        "certifications/ax-200.toml:13:13: warning: successor `AX-201` is not in the catalog",
    );
    assert!(checked.catalog.is_some());
}

#[test]
fn a_broken_file_is_reported_once_not_at_every_reference() {
    // AX-200 (used by the course and an answer), ada-muster (an answer's author) and the
    // `identity` responsibility (used by two domains) each have a mistake of their own;
    // their files exist, so their references are not reported as unknown.
    let dir = minimal();
    edit(&dir, "certifications/ax-200.toml", "level = \"associate\"", "level = \"Associate\"");
    edit(&dir, "experts/ada-muster.toml", "bio = \"Ada", "bio = \"\"\nabout = \"Ada");
    edit(&dir, "responsibilities.toml", "label = \"Manage identities and access\"\n", "");
    assert_diagnostics(
        &dir,
        &[
            &format!(
                "certifications/ax-200.toml:5:9: error: `level` is `Associate`, expected one of {LEVELS}"
            ),
            "experts/ada-muster.toml:4:7: error: `bio` must not be empty",
            "experts/ada-muster.toml:5:1: error: unknown field `about` in the file, expected one of `bio`, `credentials`, `name`, `slug`",
            "responsibilities.toml:6:1: error: missing field `label` in `responsibility` entry 2",
        ],
    );
    // A file that reads well but holds another code does not stand in for the code
    // its name suggests.
    let dir = minimal();
    edit(&dir, "certifications/sec-1.toml", "code = \"SEC-1\"", "code = \"SEC-2\"");
    assert_diagnostics(
        &dir,
        &[
            "answers/en/what-is-sec-1.md:4:19: error: unknown certification `SEC-1`: no file certifications/sec-1.toml",
            "certifications/sec-1.toml:1:8: error: the file of certification `SEC-2` must be named `sec-2.toml`",
        ],
    );
}

// -- answers ------------------------------------------------------------------------

#[test]
fn answer_needs_a_body_and_a_sensible_review_date() {
    assert_one(
        |d| edit(d, "answers/en/what-is-sec-1.md", "SEC-1 tests securing identities on Axion Cloud.\n", "\n"),
        "answers/en/what-is-sec-1.md:2:1: error: the answer has no detailed answer: write Markdown after the closing `+++`",
    );
    assert_one(
        |d| edit(d, "answers/en/ax-100-or-ax-200.md", "reviewed_on = 2026-06-01", "reviewed_on = 2026-01-01"),
        "answers/en/ax-100-or-ax-200.md:8:15: error: `reviewed_on` (2026-01-01) is before `published_on` (2026-03-02)",
    );
}

// -- sources ------------------------------------------------------------------------

#[test]
fn a_search_results_page_as_source_is_a_warning_naming_the_url() {
    let url = "https://www.google.com/search?q=ax-100+exam";
    let checked = assert_one(
        |d| {
            edit(
                d,
                "certifications/ax-100.toml",
                "url = \"https://axion.example.com/exams/ax-100\"",
                &format!("url = \"{url}\""),
            )
        },
        &format!(
            "certifications/ax-100.toml:21:7: warning: source `{url}` is a search-results page: cite the page \
             that states the facts, so that a reader can check them"
        ),
    );
    let catalog = checked.catalog.expect("a warning does not stop the catalog");
    let ax100 = catalog.certifications.values().find(|c| c.code.as_str() == "AX-100").expect("AX-100");
    assert_eq!(ax100.sources[0].url, url);
}

// -- brand, logo and plain pages ----------------------------------------------------

/// Appends a `[brand]` table to the minimal `site.toml` (16 lines): the first field is on
/// line 19.
fn brand(dir: &TempDir, fields: &str) {
    let path = dir.path().join("site.toml");
    let text = fs::read_to_string(&path).expect("site.toml");
    assert_eq!(text.lines().count(), 16, "the positions below count on it");
    fs::write(path, format!("{text}\n[brand]\n{fields}")).expect("write site.toml");
}

const LOGO: &str = concat!(
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 40 10\">\n",
    "  <title>Minimal Academy</title>\n",
    "  <rect width=\"10\" height=\"10\" fill=\"#0b5cab\"/>\n",
    "</svg>\n",
);

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n{body}")
}

#[test]
fn a_brand_is_read_and_the_logo_stored_as_text() {
    let dir = minimal();
    write(&dir, "static/logo.svg", LOGO);
    write(&dir, "pages/en/imprint.md", page("Imprint", "Minimal Academy AG\n"));
    brand(
        &dir,
        concat!(
            "logo = \"static/logo.svg\"\n",
            "accent = \"#0B5CAB\"\n",
            "contact_email = \"hello@academy.example.org\"\n",
            "imprint_url = \"/en/imprint\"\n",
            "privacy_url = \"https://academy.example.org/privacy\"\n",
        ),
    );
    let checked = assert_diagnostics(&dir, &[]);
    let brand = checked.catalog.expect("a catalog").site.brand;
    assert_eq!(brand.logo_svg.as_deref(), Some(LOGO), "the file's text, as it is");
    assert_eq!(brand.accent.as_deref(), Some("#0b5cab"), "normalised to lower case");
    assert_eq!(brand.contact_email.as_deref(), Some("hello@academy.example.org"));
    assert_eq!(brand.imprint_url.as_deref(), Some("/en/imprint"));
    assert_eq!(brand.privacy_url.as_deref(), Some("https://academy.example.org/privacy"));
}

#[test]
fn brand_values_of_the_wrong_shape_are_each_reported() {
    let dir = minimal();
    brand(
        &dir,
        concat!(
            "logo = \"../logo.svg\"\n",
            "accent = \"#0b5cabz\"\n",
            "contact_email = \"hello at academy\"\n",
            "imprint_url = \"en/imprint\"\n",
            "privacy_url = \"mailto:hello@academy.example.org\"\n",
            "favicon = \"static/favicon.ico\"\n",
        ),
    );
    assert_diagnostics(
        &dir,
        &[
            "site.toml:19:8: error: `logo`: `../logo.svg` is not a path inside `static/`: write it like `static/logo.svg`",
            "site.toml:20:10: error: `accent`: `#0b5cabz` is not a colour: expected `#rrggbb` or `#rgb` in hexadecimal, like `#0b5cab`",
            "site.toml:21:17: error: `contact_email`: `hello at academy` is not an email address like `training@example.ch`",
            "site.toml:22:15: error: `imprint_url`: `en/imprint` is neither a path on the site (like `/en/imprint`) nor an absolute http(s) URL",
            "site.toml:23:15: error: `privacy_url`: `mailto:hello@academy.example.org` is neither a path on the site (like `/en/imprint`) nor an absolute http(s) URL",
            "site.toml:24:1: error: unknown field `favicon` in `[brand]`, expected one of `accent`, `contact_email`, `imprint_url`, `logo`, `privacy_url`",
        ],
    );
}

#[test]
fn an_accent_that_white_text_cannot_sit_on_is_a_warning() {
    let dir = minimal();
    brand(&dir, "accent = \"#ffcc00\"\n");
    let checked = assert_diagnostics(
        &dir,
        &[
            "site.toml:19:10: warning: `accent` `#ffcc00` has a contrast of 1.51:1 with white, below the 4.5:1 that text needs (WCAG AA): white text on it, and links in it on white, would be hard to read; choose a darker colour",
        ],
    );
    assert_eq!(
        checked.catalog.expect("published all the same").site.brand.accent.as_deref(),
        Some("#ffcc00")
    );
}

#[test]
fn a_logo_that_is_not_there() {
    let dir = minimal();
    brand(&dir, "logo = \"static/logo.svg\"\n");
    assert_diagnostics(
        &dir,
        &["site.toml:19:8: error: `logo`: there is no file `static/logo.svg` in the content directory"],
    );
    fs::create_dir_all(dir.path().join("static/logo.svg")).expect("a directory in its place");
    assert_diagnostics(
        &dir,
        &["site.toml:19:8: error: `logo`: there is no file `static/logo.svg` in the content directory"],
    );
}

#[test]
fn a_hostile_logo_is_refused_where_each_problem_is() {
    let dir = minimal();
    write(
        &dir,
        "static/logo.svg",
        concat!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" onload=\"alert(1)\">\n",
            "  <script>alert(2)</script>\n",
            "  <foreignObject/>\n",
            "  <use xlink:href=\"https://evil.example/sprite.svg#a\"/>\n",
            "  <rect fill=\"url(https://evil.example/p.svg#g)\"/>\n",
            "  <style>@import url(https://evil.example/a.css);</style>\n",
            "</svg>\n",
        ),
    );
    brand(&dir, "logo = \"static/logo.svg\"\n");
    assert_diagnostics(
        &dir,
        &[
            "static/logo.svg:1:84: error: `onload` is an event handler: a logo may not run scripts",
            "static/logo.svg:2:3: error: the logo has a `<script>` element: a logo may not run scripts",
            "static/logo.svg:3:3: error: the logo has a `<foreignObject>` element: a logo may not embed HTML",
            "static/logo.svg:4:8: error: `xlink:href` `https://evil.example/sprite.svg#a` refers outside the logo: only references inside it (`#id`) and embedded PNG, JPEG, GIF or WebP images (`data:image/png;base64,…`) are allowed",
            "static/logo.svg:5:9: error: `fill` uses `url(https://evil.example/p.svg#g)`: only references inside the logo (`url(#id)`) are allowed",
            "static/logo.svg:6:10: error: the `<style>` element has `@import`: a logo may not load style sheets",
            "static/logo.svg:6:10: error: the `<style>` element uses `url(https://evil.example/a.css)`: only references inside the logo (`url(#id)`) are allowed",
        ],
    );
}

#[test]
fn a_logo_with_a_doctype_or_broken_xml() {
    let dir = minimal();
    brand(&dir, "logo = \"static/logo.svg\"\n");
    write(
        &dir,
        "static/logo.svg",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<svg>&x;</svg>\n",
    );
    assert_diagnostics(
        &dir,
        &[
            "static/logo.svg:2:1: error: the logo has a DOCTYPE: DTDs and entities are not allowed in a logo (they can expand without bound or read other files)",
        ],
    );
    write(&dir, "static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <g>\n</svg>\n");
    assert_diagnostics(
        &dir,
        &["static/logo.svg:3:1: error: the logo is not well-formed XML: expected 'g' tag, not 'svg'"],
    );
}

#[test]
fn a_logo_too_large_is_refused_before_it_is_read() {
    let dir = minimal();
    brand(&dir, "logo = \"static/logo.svg\"\n");
    // Not even UTF-8: the size is checked first.
    write(&dir, "static/logo.svg", vec![0xffu8; 100 * 1024 + 1]);
    assert_diagnostics(
        &dir,
        &["static/logo.svg:1:1: error: the logo is 101 KiB; a logo may be at most 100 KiB"],
    );
    write(&dir, "static/logo.svg", b"<svg>\xff</svg>".as_slice());
    assert_diagnostics(&dir, &["static/logo.svg:1:6: error: the file is not valid UTF-8"]);
}

#[test]
fn plain_pages_are_read_in_order() {
    let dir = minimal();
    write(&dir, "pages/en/privacy.md", page("Privacy", "What we store.\n"));
    write(&dir, "pages/en/about.md", page("About", "Who we are.\n"));
    write(&dir, "pages/en/about-us.md", page("About us", "Also who we are.\n"));
    write(&dir, "pages/de/impressum.md", page("Impressum", "Minimal Academy AG\n"));
    let checked = assert_diagnostics(&dir, &[]);
    let pages = checked.catalog.expect("a catalog").pages;
    let keys: Vec<(&str, &str, &str)> =
        pages.iter().map(|p| (p.locale.as_str(), p.slug.as_str(), p.title.as_str())).collect();
    // By locale, then slug: `about` before `about-us`, although `about-us.md` sorts first.
    assert_eq!(
        keys,
        [
            ("de", "impressum", "Impressum"),
            ("en", "about", "About"),
            ("en", "about-us", "About us"),
            ("en", "privacy", "Privacy")
        ]
    );
    assert_eq!(pages[3].body, "What we store.\n");
}

#[test]
fn a_page_may_not_take_a_route_name() {
    for route in certwise::domain::Page::ROUTE_NAMES {
        assert_one(
            |d| write(d, &format!("pages/de/{route}.md"), page("Taken", "Text.\n")),
            &format!(
                "pages/de/{route}.md:1:1: error: the page slug `{route}` is a route name: `/de/{route}` belongs to the site itself; rename the file"
            ),
        );
    }
    // Pages live under a locale: `api` and `static` collide with nothing.
    let dir = minimal();
    write(&dir, "pages/en/api.md", page("Our API", "Text.\n"));
    write(&dir, "pages/en/static.md", page("Static", "Text.\n"));
    assert_diagnostics(&dir, &[]);
}

#[test]
fn page_locale_folder_must_be_a_site_locale() {
    assert_one(
        |d| write(d, "pages/it/impressum.md", page("Impressum", "Text.\n")),
        "pages/it/impressum.md:1:1: error: locale folder `it` is not one of site.toml's `locales` (en, de)",
    );
}

#[test]
fn page_front_matter_has_only_a_title() {
    assert_one(
        |d| write(d, "pages/en/about.md", "+++\ntitle = \"About\"\ndescription = \"Us\"\n+++\nText.\n"),
        "pages/en/about.md:3:1: error: unknown field `description` in the file, expected one of `title`",
    );
    let dir = minimal();
    write(&dir, "pages/en/about.md", "+++\nheading = \"About\"\n+++\nText.\n");
    assert_diagnostics(
        &dir,
        &[
            "pages/en/about.md:2:1: error: missing field `title` in the file",
            "pages/en/about.md:2:1: error: unknown field `heading` in the file, expected one of `title`",
        ],
    );
}

#[test]
fn a_page_needs_front_matter_a_title_and_text() {
    let dir = minimal();
    write(&dir, "pages/en/a.md", "Just text.\n");
    write(&dir, "pages/en/b.md", "+++\n+++\nText.\n");
    write(&dir, "pages/en/c.md", page("C", "\n"));
    write(&dir, "pages/en/Bad_Name.md", page("Bad", "Text.\n"));
    write(&dir, "pages/en/notes.txt", "not a page");
    write(&dir, "pages/readme.md", "not in a locale folder");
    assert_diagnostics(
        &dir,
        &[
            "pages/en/Bad_Name.md:1:1: error: the file name must be the page's slug: `Bad_Name` is not an identifier: expected lower-case ASCII letters, digits and single hyphens",
            "pages/en/a.md:1:1: error: missing front matter: a page starts with a line `+++`, then TOML, then a line `+++`",
            "pages/en/b.md:2:1: error: missing field `title` in the file",
            "pages/en/c.md:2:1: error: the page has no text: write Markdown after the closing `+++`",
            "pages/en/notes.txt:1:1: warning: ignored: only `.md` files are read here",
            "pages/readme.md:1:1: warning: ignored: pages live in `pages/<locale>/<slug>.md`",
        ],
    );
}

#[test]
fn a_brand_link_to_a_page_that_is_not_there_is_a_warning() {
    let dir = minimal();
    write(&dir, "pages/en/imprint.md", page("Imprint", "Text.\n"));
    brand(&dir, concat!("imprint_url = \"/en/imprint\"\n", "privacy_url = \"/de/datenschutz\"\n",));
    assert_diagnostics(
        &dir,
        &[
            "site.toml:20:15: warning: `privacy_url` `/de/datenschutz` names no page: there is no file pages/de/datenschutz.md",
        ],
    );
    // Other paths of the site, and other sites, are not pages to look for.
    let dir = minimal();
    brand(&dir, "imprint_url = \"/en/cookies\"\nprivacy_url = \"https://example.org/en/privacy\"\n");
    assert_diagnostics(&dir, &[]);
}

// -- all of them, not just the first ------------------------------------------------

#[test]
fn many_mistakes_in_many_files_are_all_reported() {
    let dir = minimal();
    let mistakes = [
        ("site.toml", "default_locale = \"en\"", "default_locale = \"fr\""),
        ("responsibilities.toml", "label = \"Manage identities and access\"", "label = \"\""),
        ("certifications/ax-200.toml", "exam_minutes = 120", "exam_minutes = 0"),
        ("certifications/sec-1.toml", "weight_min = 100", "weight_min = 100.0"),
        ("courses/ax-200-administrator.toml", "seats = 12", "seats = \"12\""),
        ("experts/ben-beispiel.toml", "credentials = []", "credentials = [\"\"]"),
        ("topics/axion-cloud.toml", "description = \"Answers", "description = [\"Answers"),
        ("topics/axion-cloud.toml", "certifications.\"", "certifications.\"]"),
        ("answers/en/ax-100-or-ax-200.md", "the cloud\"", "the cloud\"\nwhy = \"x\""),
        ("answers/en/what-is-sec-1.md", "= \"What is SEC-1?\"", "= [\"What is SEC-1?\"]"),
    ];
    for (file, from, to) in mistakes {
        edit(&dir, file, from, to);
    }
    write(&dir, "certifications/ax-300.toml", "code = \"AX-300\"\nvendor = \"Axion\n");

    let (checked, lines) = check(&dir);
    assert_eq!(
        lines,
        [
            "answers/en/ax-100-or-ax-200.md:14:1: error: unknown field `why` in `choose` entry 1, expected one of `certification`, `when`",
            "answers/en/what-is-sec-1.md:2:12: error: `question` must be a string, found an array",
            "certifications/ax-200.toml:13:16: error: `exam_minutes` must be between 1 and 1440, found 0",
            "certifications/ax-300.toml:2:16: error: invalid TOML: invalid basic string, expected `\"`",
            "certifications/sec-1.toml:13:14: error: `weight_min` must be an integer, found a float",
            "courses/ax-200-administrator.toml:13:9: error: `seats` must be an integer, found a string",
            "experts/ben-beispiel.toml:3:16: error: `credentials` must not contain empty strings",
            "responsibilities.toml:8:9: error: `label` must not be empty",
            "site.toml:3:18: error: `default_locale` `fr` is not one of `locales`",
            "topics/axion-cloud.toml:3:15: error: `description` must be a string, found an array",
        ]
    );
    assert_eq!(checked.errors(), 10, "one error for each of the ten mistakes");
    assert!(checked.catalog.is_none());
    // One line each, in the promised shape.
    for d in &checked.diagnostics {
        assert_eq!(d.severity, Severity::Error);
        let shown = d.to_string();
        assert_eq!(shown.lines().count(), 1, "{shown}");
        assert!(
            shown.starts_with(&format!("{}:{}:{}: error: ", d.path.display(), d.line, d.column)),
            "{shown}"
        );
    }
}

// -- the command --------------------------------------------------------------------

fn run_check(dir: &str) -> (std::process::ExitStatus, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["check", dir])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CERTWISE_TODAY")
        .output()
        .expect("run certwise");
    assert!(
        out.stdout.is_empty(),
        "check writes messages to stderr only: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    (out.status, String::from_utf8(out.stderr).expect("UTF-8 output"))
}

#[test]
fn cli_check_passes_on_a_valid_directory() {
    let (status, stderr) = run_check("tests/fixtures/minimal");
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr, "0 error(s), 0 warning(s)\n");
}

#[test]
fn cli_check_reports_every_planted_mistake() {
    let (status, stderr) = run_check("tests/fixtures/broken");
    assert!(!status.success(), "exit status must be non-zero");
    assert_eq!(status.code(), Some(1));
    let planted = [
        // choose.certification not among the answer's certifications
        "answers/en/ax-100-or-ax-200.md:12:17: error: `choose.certification` `SEC-1` is not one of this answer's `certifications`",
        // unknown author
        "answers/en/ax-200-admin-tips.md:5:10: error: unknown author `zoe-unknown`: no file experts/zoe-unknown.toml",
        // no front matter
        "answers/en/no-front-matter.md:1:1: error: missing front matter: an answer starts with a line `+++`, then TOML, then a line `+++`",
        // a date that does not exist
        "answers/en/what-is-sec-1.md:7:16: error: invalid TOML: invalid date, expected day between 01 and 28",
        // a locale folder that site.toml does not list
        "answers/fr/quest-ce-que-ax-100.md:1:1: error: locale folder `fr` is not one of site.toml's `locales` (en, de)",
        // unknown responsibility
        "certifications/ax-200.toml:26:33: error: unknown responsibility `cloud-opps`: it is not in responsibilities.toml",
        // unknown level
        "certifications/ax-300.toml:5:9: error: `level` is `beginner`, expected one of `fundamentals`, `associate`, `professional`, `expert`, `specialty`",
        // weight_min > weight_max
        "certifications/ax-400.toml:16:14: error: `weight_min` (60) is greater than `weight_max` (50)",
        // file stem is not the code in lower case
        "certifications/sec1.toml:1:8: error: the file of certification `SEC-1` must be named `sec-1.toml`",
        // course of an unknown certification
        "courses/ax-100-basics.toml:2:17: error: unknown certification `AX-109`: no file certifications/ax-109.toml",
        // three decimals
        "courses/ax-200-administrator.toml:5:9: error: `price`: `1900.005` has more than two decimals",
        // unknown field
        "experts/cleo-extra.toml:5:1: error: unknown field `twitter` in the file, expected one of `bio`, `credentials`, `name`, `slug`",
        // duplicate id
        "responsibilities.toml:11:6: error: duplicate responsibility id `cloud-ops`: already defined in tests/fixtures/broken/responsibilities.toml",
        // unknown consent category
        "site.toml:11:12: error: `category` is `statistics`, expected one of `preferences`, `analytics`, `marketing`",
        // TOML syntax error
        "topics/axion-cloud.toml:2:21: error: invalid TOML: invalid basic string, expected `\"`",
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    for mistake in planted {
        let line = format!("tests/fixtures/broken/{mistake}");
        assert_eq!(
            lines.iter().filter(|l| **l == line).count(),
            1,
            "expected exactly once: {line}\n--- stderr:\n{stderr}"
        );
    }
    // Nothing else: no cascades, no warnings; then the count and the reason for exit 1.
    let summary = format!("{} error(s), 0 warning(s)", planted.len());
    let last = format!("certwise: tests/fixtures/broken has {} error(s)", planted.len());
    assert_eq!(lines[planted.len()..], [summary.as_str(), last.as_str()], "{stderr}");
    assert_eq!(lines.len(), planted.len() + 2, "{stderr}");
}

#[test]
fn cli_check_passes_on_the_sample_content_with_its_brand_and_pages() {
    let (status, stderr) = run_check("content");
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr, "0 error(s), 0 warning(s)\n");
    let catalog =
        check_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).catalog.expect("a catalog");
    let brand = &catalog.site.brand;
    assert!(brand.logo_svg.as_deref().is_some_and(|svg| svg.starts_with("<svg ")), "the logo is stored");
    assert_eq!(brand.accent.as_deref(), Some("#0a52a0"));
    let pages: Vec<&str> = catalog.pages.iter().map(|p| p.slug.as_str()).collect();
    assert_eq!(pages, ["about", "imprint", "privacy"]);
}

#[test]
fn cli_check_reports_brand_logo_and_page_problems_and_fails() {
    let dir = minimal();
    brand(&dir, "logo = \"static/logo.svg\"\naccent = \"#eee\"\n");
    write(&dir, "static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>");
    write(&dir, "pages/en/search.md", page("Search", "Text.\n"));
    let (status, stderr) = run_check(&dir.path().display().to_string());
    assert_eq!(status.code(), Some(1), "{stderr}");
    let prefix = format!("{}{MAIN_SEPARATOR}", dir.path().display());
    let lines: Vec<String> = stderr.lines().map(|l| l.replace(&prefix, "")).collect();
    assert_eq!(
        lines,
        [
            "pages/en/search.md:1:1: error: the page slug `search` is a route name: `/en/search` belongs to the site itself; rename the file",
            "site.toml:20:10: warning: `accent` `#eee` has a contrast of 1.16:1 with white, below the 4.5:1 that text needs (WCAG AA): white text on it, and links in it on white, would be hard to read; choose a darker colour",
            "static/logo.svg:1:41: error: the logo has a `<script>` element: a logo may not run scripts",
            "2 error(s), 1 warning(s)",
            &format!("certwise: {} has 2 error(s)", dir.path().display()),
        ]
    );
}

// -- translations of catalog fields -------------------------------------------------

/// Appends `[translations.<locale>]` with `fields` to a file of the minimal directory.
fn translate(dir: &TempDir, file: &str, locale: &str, fields: &str) {
    let path = dir.path().join(file);
    let text = fs::read_to_string(&path).expect("read file to translate");
    fs::write(&path, format!("{text}\n[translations.{locale}]\n{fields}")).expect("write translated file");
}

const CERT: &str = "certifications/ax-200.toml";

#[test]
fn translations_are_read_for_certifications_courses_and_topics() {
    let dir = minimal();
    translate(
        &dir,
        CERT,
        "de",
        "title = \"Cloud-Administrator\"\nscope = \"Cloud-Administration\"\nroles = [\"Cloud-Administratorin\"]\n",
    );
    edit(
        &dir,
        "courses/ax-200-administrator.toml",
        "currency = \"CHF\"",
        "currency = \"CHF\"\nprice_note = \"per participant\"",
    );
    translate(
        &dir,
        "courses/ax-200-administrator.toml",
        "de",
        "title = \"AX-200: Cloud-Administration\"\nprice_note = \"pro Person\"\n",
    );
    translate(
        &dir,
        "topics/axion-cloud.toml",
        "de",
        "description = \"Antworten zu den Axion-Cloud-Zertifizierungen.\"\n",
    );
    let catalog = assert_diagnostics(&dir, &[]).catalog.expect("a catalog");
    let cert = catalog.certifications.values().find(|c| c.code.as_str() == "AX-200").expect("AX-200");
    let de = &cert.translations["de"];
    assert_eq!(de.title.as_deref(), Some("Cloud-Administrator"));
    assert_eq!(de.scope.as_deref(), Some("Cloud-Administration"));
    assert_eq!(de.summary, None, "an untranslated field stays empty");
    assert_eq!(de.roles.as_deref(), Some(&["Cloud-Administratorin".to_owned()][..]));
    let course = catalog.courses.values().next().expect("the course");
    assert_eq!(course.translations["de"].price_note.as_deref(), Some("pro Person"));
    let topic = catalog.topics.values().next().expect("the topic");
    assert_eq!(topic.translations["de"].title, None);
    assert!(topic.translations["de"].description.as_deref().is_some_and(|d| d.starts_with("Antworten")));
}

#[test]
fn an_unknown_field_in_a_translation_is_an_error() {
    assert_one(
        |d| translate(d, CERT, "de", "title = \"Cloud-Administrator\"\ncredential = \"Axion Zertifikat\"\n"),
        "certifications/ax-200.toml:34:1: error: unknown field `credential` in `[translations.de]`, expected one of `roles`, `scope`, `summary`, `title`",
    );
    assert_one(
        |d| translate(d, "topics/axion-cloud.toml", "de", "titel = \"Axion Cloud\"\n"),
        "topics/axion-cloud.toml:6:1: error: unknown field `titel` in `[translations.de]`, expected one of `description`, `title`",
    );
}

#[test]
fn a_translation_into_a_locale_the_site_does_not_publish_is_an_error() {
    assert_one(
        |d| translate(d, CERT, "fr", "scope = \"administration du cloud\"\n"),
        "certifications/ax-200.toml:32:15: error: `[translations.fr]`: `fr` is not one of site.toml's `locales` (en, de)",
    );
    assert_one(
        |d| translate(d, CERT, "DE", "scope = \"Cloud-Administration\"\n"),
        "certifications/ax-200.toml:32:15: error: `translations`: `DE` is not a locale code such as `en`, `de` or `fr`",
    );
}

#[test]
fn a_translation_into_the_default_locale_is_an_error() {
    assert_one(
        |d| translate(d, "courses/ax-200-administrator.toml", "en", "title = \"AX-200: Administration\"\n"),
        "courses/ax-200-administrator.toml:15:15: error: `[translations.en]`: `en` is the site's `default_locale`, the language the fields themselves are written in; translations are for the other `locales`",
    );
}

#[test]
fn translated_roles_must_be_as_many_as_the_roles() {
    assert_one(
        |d| translate(d, CERT, "de", "roles = [\"Cloud-Administratorin\", \"Cloud-Betrieb\"]\n"),
        "certifications/ax-200.toml:33:9: error: `roles` has 2 entries but the certification's own `roles` has 1 entry: translate each role, in the same order",
    );
    assert_one(
        |d| translate(d, CERT, "de", "roles = []\n"),
        "certifications/ax-200.toml:33:9: error: `roles` has 0 entries but the certification's own `roles` has 1 entry: translate each role, in the same order",
    );
}

#[test]
fn a_translation_of_nothing_or_a_blank_one_is_an_error() {
    // The fixture's course has no `price_note` of its own.
    assert_one(
        |d| translate(d, "courses/ax-200-administrator.toml", "de", "price_note = \"pro Person\"\n"),
        "courses/ax-200-administrator.toml:16:14: error: `price_note` translates nothing: the course has no `price_note` of its own",
    );
    assert_one(
        |d| translate(d, CERT, "de", "title = \" \"\n"),
        "certifications/ax-200.toml:33:9: error: `title` must not be empty: leave it out instead",
    );
}
