//! The staleness report for editors (issue 12): what to re-read, what to prepare for and
//! what to re-check, as of one day. `certwise stale` prints it and `/admin/stale` shows
//! it; both build it here, from the same rule the readers' "written before" notice uses.
//!
//! Three lists:
//!
//! 1. **Stale answers**: answers with a fact change of one of their certifications (or
//!    their courses) after their `reviewed_on` and on or before today — exactly the
//!    changes [`staleness`] finds, each with what changed, from what to what, and when.
//! 2. **Retiring exams**: answers naming a certification that retires within
//!    [`RETIRING_WITHIN_DAYS`] days of today and has not retired yet (the window of the
//!    pages' retirement notice, [`Lifecycle::days_left`]).
//! 3. **Old sources**: certifications with a source last checked more than
//!    [`SOURCES_MAX_AGE_DAYS`] days before today, with the oldest checked day.
//!
//! The report *fails* (the CLI exits non-zero) when list 1 or 3 has an item: those need
//! an editor. A retirement to come is listed, not a failure.
//!
//! Every item carries the path of the file it comes from in a content directory
//! (`answers/{locale}/{slug}.md`, `certifications/{code in lower case}.toml`), which is
//! also how the editors' area names a record. The `Display` impls word items in English
//! for staff, one line each.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::staleness::{FactChange, staleness};
use super::{Answer, Catalog, Certification, Code, Lifecycle, Slug, Source};

/// Answers naming an exam that retires within this many days are listed.
pub const RETIRING_WITHIN_DAYS: i64 = 30;

/// Sources checked more than this many days before today are listed.
pub const SOURCES_MAX_AGE_DAYS: i64 = 180;

/// The report as of `today`. Field names are stable (the JSON of `certwise stale`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleReport {
    pub today: NaiveDate,
    /// By path.
    pub stale: Vec<StaleAnswer>,
    /// By path.
    pub retiring: Vec<RetiringAnswer>,
    /// Oldest first, then by code.
    pub old_sources: Vec<OldSources>,
}

/// Which answer an item is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnswerItem {
    pub locale: String,
    pub slug: Slug,
    /// The question.
    pub title: String,
    pub reviewed_on: NaiveDate,
    /// `answers/{locale}/{slug}.md`.
    pub path: String,
}

impl AnswerItem {
    fn of(answer: &Answer) -> Self {
        AnswerItem {
            locale: answer.locale.clone(),
            slug: answer.slug.clone(),
            title: answer.question.clone(),
            reviewed_on: answer.reviewed_on,
            path: answer_file(answer),
        }
    }
}

/// An answer's file in a content directory: `answers/en/md-102-vs-ms-102-difference.md`.
pub fn answer_file(answer: &Answer) -> String {
    super::places::answer_path(&answer.locale, answer.slug.as_str())
}

/// A certification's file in a content directory: `certifications/ms-102.toml`.
pub fn certification_file(code: &Code) -> String {
    super::places::certification_path(code.as_str())
}

/// A stale answer and the changes it has not been reviewed against, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleAnswer {
    #[serde(flatten)]
    pub answer: AnswerItem,
    pub changes: Vec<FactChange>,
}

/// An answer naming exams that retire soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetiringAnswer {
    #[serde(flatten)]
    pub answer: AnswerItem,
    /// In the answer's order.
    pub exams: Vec<RetiringExam>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetiringExam {
    pub code: Code,
    pub retires_on: NaiveDate,
    /// 1 to [`RETIRING_WITHIN_DAYS`].
    pub days_left: i64,
    pub successor: Option<Code>,
}

/// A certification whose sources need checking again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OldSources {
    pub code: Code,
    pub title: String,
    /// `certifications/{code in lower case}.toml`.
    pub path: String,
    /// The oldest `checked_on` of its sources.
    pub oldest_checked_on: NaiveDate,
    /// Days from `oldest_checked_on` to the report's day.
    pub days_ago: i64,
    /// The sources checked more than [`SOURCES_MAX_AGE_DAYS`] days ago, oldest first.
    pub sources: Vec<Source>,
}

impl StaleReport {
    /// The report on `catalog` as of `today`, with the fact changes the store `recorded`.
    pub fn build(catalog: &Catalog, recorded: &[FactChange], today: NaiveDate) -> Self {
        let mut stale: Vec<StaleAnswer> = catalog
            .answers
            .iter()
            .filter_map(|a| {
                let changes = staleness(a, catalog, recorded, today);
                (!changes.is_empty()).then(|| StaleAnswer { answer: AnswerItem::of(a), changes })
            })
            .collect();
        stale.sort_by(|a, b| a.answer.path.cmp(&b.answer.path));
        let mut retiring: Vec<RetiringAnswer> = catalog
            .answers
            .iter()
            .filter_map(|a| {
                let exams: Vec<RetiringExam> = a
                    .certifications
                    .iter()
                    .filter_map(|code| catalog.certification(code))
                    .filter_map(|cert| retiring_exam(cert, today))
                    .collect();
                (!exams.is_empty()).then(|| RetiringAnswer { answer: AnswerItem::of(a), exams })
            })
            .collect();
        retiring.sort_by(|a, b| a.answer.path.cmp(&b.answer.path));
        let mut old_sources: Vec<OldSources> =
            catalog.certifications.values().filter_map(|cert| old_sources(cert, today)).collect();
        old_sources.sort_by(|a, b| (a.oldest_checked_on, &a.code).cmp(&(b.oldest_checked_on, &b.code)));
        StaleReport { today, stale, retiring, old_sources }
    }

    /// Whether an editor must act: an answer is stale or sources are old (a retirement to
    /// come does not count).
    pub fn fails(&self) -> bool {
        !self.stale.is_empty() || !self.old_sources.is_empty()
    }
}

fn retiring_exam(cert: &Certification, today: NaiveDate) -> Option<RetiringExam> {
    let lifecycle = Lifecycle::of(cert, today);
    let days_left = lifecycle.days_left(today, RETIRING_WITHIN_DAYS)?;
    Some(RetiringExam {
        code: cert.code.clone(),
        retires_on: lifecycle.retirement_date()?,
        days_left,
        successor: lifecycle.successor().cloned(),
    })
}

fn old_sources(cert: &Certification, today: NaiveDate) -> Option<OldSources> {
    let mut sources: Vec<Source> = cert
        .sources
        .iter()
        .filter(|s| (today - s.checked_on).num_days() > SOURCES_MAX_AGE_DAYS)
        .cloned()
        .collect();
    sources.sort_by_key(|s| s.checked_on);
    let oldest_checked_on = sources.first()?.checked_on;
    Some(OldSources {
        code: cert.code.clone(),
        title: cert.title.clone(),
        path: certification_file(&cert.code),
        oldest_checked_on,
        days_ago: (today - oldest_checked_on).num_days(),
        sources,
    })
}

/// `answers/en/x.md (reviewed 2026-10-15): MS-102: retired on 2026-11-30, successor AB-650`
impl fmt::Display for StaleAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (reviewed {}): ", self.answer.path, self.answer.reviewed_on)?;
        for (i, change) in self.changes.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{change}")?;
        }
        Ok(())
    }
}

/// `MS-102 retires on 2026-11-30, in 4 days, successor AB-650`
impl fmt::Display for RetiringExam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = if self.days_left == 1 { "1 day".to_owned() } else { format!("{} days", self.days_left) };
        write!(f, "{} retires on {}, in {days}", self.code, self.retires_on)?;
        if let Some(successor) = &self.successor {
            write!(f, ", successor {successor}")?;
        }
        Ok(())
    }
}

/// `answers/en/x.md: MS-102 retires on 2026-11-30, in 4 days, successor AB-650`
impl fmt::Display for RetiringAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.answer.path)?;
        for (i, exam) in self.exams.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{exam}")?;
        }
        Ok(())
    }
}

/// `certifications/ai-102.toml: 2 sources last checked 2026-03-28, 248 days ago`
impl fmt::Display for OldSources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.sources.len();
        let sources = if n == 1 { "1 source".to_owned() } else { format!("{n} sources") };
        write!(
            f,
            "{}: {sources} last checked {}, {} days ago",
            self.path, self.oldest_checked_on, self.days_ago
        )
    }
}

/// The whole report as text: a heading per list with its count, then one line per item.
impl fmt::Display for StaleReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn list<T: fmt::Display>(f: &mut fmt::Formatter<'_>, heading: &str, items: &[T]) -> fmt::Result {
            writeln!(f, "\n{heading} ({}):", items.len())?;
            if items.is_empty() {
                writeln!(f, "  none")?;
            }
            items.iter().try_for_each(|item| writeln!(f, "  {item}"))
        }
        writeln!(f, "Staleness report as of {}", self.today)?;
        list(f, "Stale answers: facts changed after their review", &self.stale)?;
        list(
            f,
            &format!("Answers naming an exam that retires within {RETIRING_WITHIN_DAYS} days"),
            &self.retiring,
        )?;
        list(
            f,
            &format!("Certifications with sources last checked more than {SOURCES_MAX_AGE_DAYS} days ago"),
            &self.old_sources,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::*;
    use crate::domain::staleness::Change;

    fn checked(on: &str) -> Source {
        Source { url: format!("https://example.test/{on}"), checked_on: day(on) }
    }

    /// MD-102 (sources checked on 2026-06-01 and 2026-09-01) and MS-102 (retiring on
    /// 2026-11-30, successor AB-650), one answer naming both, reviewed on 2026-10-15, and
    /// one naming MD-102 only.
    fn sample() -> Catalog {
        let mut md = cert("MD-102", "endpoints", &[]);
        md.sources = vec![checked("2026-09-01"), checked("2026-06-01")];
        let mut ms = cert("MS-102", "tenant", &[]);
        ms.retires_on = Some(day("2026-11-30"));
        ms.successor = Some(code("AB-650"));
        ms.sources = vec![checked("2026-11-01")];
        let mut cat = catalog(vec![md, ms], vec![]);
        let mut both = answer(&["MD-102", "MS-102"]);
        both.slug = slug("md-102-vs-ms-102");
        both.reviewed_on = day("2026-10-15");
        let mut md_only = answer(&["MD-102"]);
        md_only.slug = slug("md-102-only");
        md_only.locale = "de".into();
        md_only.reviewed_on = day("2026-10-15");
        cat.answers = vec![both, md_only];
        cat
    }

    fn paths<T>(items: &[T], path: impl Fn(&T) -> &str) -> Vec<&str> {
        items.iter().map(path).collect()
    }

    #[test]
    fn after_the_retirement_the_answer_is_stale_with_what_changed() {
        let report = StaleReport::build(&sample(), &[], day("2026-12-01"));
        assert_eq!(paths(&report.stale, |s| &s.answer.path), ["answers/en/md-102-vs-ms-102.md"]);
        assert_eq!(
            report.stale[0].to_string(),
            "answers/en/md-102-vs-ms-102.md (reviewed 2026-10-15): MS-102: retired on 2026-11-30, successor AB-650"
        );
        assert!(report.retiring.is_empty(), "retired, no longer retiring");
        assert!(report.fails());
    }

    #[test]
    fn retiring_within_30_days_is_listed_and_does_not_fail() {
        let cat = sample();
        let report = StaleReport::build(&cat, &[], day("2026-11-26"));
        assert!(report.stale.is_empty() && report.old_sources.is_empty());
        assert_eq!(paths(&report.retiring, |r| &r.answer.path), ["answers/en/md-102-vs-ms-102.md"]);
        assert_eq!(
            report.retiring[0].to_string(),
            "answers/en/md-102-vs-ms-102.md: MS-102 retires on 2026-11-30, in 4 days, successor AB-650"
        );
        assert!(!report.fails(), "a retirement to come is no failure");
        // The window: 30 days before is in, 31 is not; the day itself is retired.
        assert_eq!(StaleReport::build(&cat, &[], day("2026-10-31")).retiring[0].exams[0].days_left, 30);
        assert!(StaleReport::build(&cat, &[], day("2026-10-30")).retiring.is_empty());
        assert!(
            StaleReport::build(&cat, &[], day("2026-11-29")).retiring[0].to_string().contains("in 1 day,")
        );
        assert!(StaleReport::build(&cat, &[], day("2026-11-30")).retiring.is_empty());
    }

    #[test]
    fn sources_older_than_180_days_are_listed_with_the_oldest_day() {
        let cat = sample();
        // 2026-06-01 + 180 days = 2026-11-28: not yet more than 180 days.
        assert!(StaleReport::build(&cat, &[], day("2026-11-28")).old_sources.is_empty());
        let report = StaleReport::build(&cat, &[], day("2026-11-29"));
        assert_eq!(report.old_sources.len(), 1);
        let old = &report.old_sources[0];
        assert_eq!((old.code.as_str(), old.path.as_str()), ("MD-102", "certifications/md-102.toml"));
        assert_eq!((old.oldest_checked_on, old.days_ago, old.sources.len()), (day("2026-06-01"), 181, 1));
        assert_eq!(
            old.to_string(),
            "certifications/md-102.toml: 1 source last checked 2026-06-01, 181 days ago"
        );
        assert!(report.fails(), "old sources need an editor");
        let later = StaleReport::build(&cat, &[], day("2027-03-01"));
        assert_eq!(paths(&later.old_sources, |o| &o.path), ["certifications/md-102.toml"]);
        assert_eq!(later.old_sources[0].sources.len(), 2, "both sources of MD-102 are old by then");
    }

    #[test]
    fn recorded_changes_make_answers_stale_as_on_the_pages() {
        let cat = sample();
        let recorded = [FactChange {
            code: code("MD-102"),
            on: day("2026-11-02"),
            change: Change::CourseDuration { course: slug("md-102-course"), from: 4, to: 5 },
        }];
        let report = StaleReport::build(&cat, &recorded, day("2026-11-02"));
        assert_eq!(
            paths(&report.stale, |s| &s.answer.path),
            ["answers/de/md-102-only.md", "answers/en/md-102-vs-ms-102.md"]
        );
        for item in &report.stale {
            let answer = cat.answers.iter().find(|a| answer_file(a) == item.answer.path).unwrap();
            assert_eq!(item.changes, staleness(answer, &cat, &recorded, day("2026-11-02")), "the same rule");
        }
        assert!(StaleReport::build(&cat, &recorded, day("2026-11-01")).stale.is_empty(), "not yet in effect");
    }

    #[test]
    fn the_json_has_stable_field_names() {
        let report = StaleReport::build(&sample(), &[], day("2026-12-01"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(
            json["stale"][0],
            serde_json::json!({
                "locale": "en", "slug": "md-102-vs-ms-102", "title": "Q?", "reviewed_on": "2026-10-15",
                "path": "answers/en/md-102-vs-ms-102.md",
                "changes": [{"code": "MS-102", "on": "2026-11-30", "kind": "retired", "successor": "AB-650"}]
            })
        );
        assert_eq!(json["today"], "2026-12-01");
        assert!(json["retiring"].as_array().unwrap().is_empty());
        assert_eq!(json["old_sources"][0]["oldest_checked_on"], "2026-06-01");
    }

    #[test]
    fn the_text_has_a_heading_per_list_and_a_line_per_item() {
        let text = StaleReport::build(&sample(), &[], day("2026-12-01")).to_string();
        assert_eq!(
            text,
            "Staleness report as of 2026-12-01\n\
             \n\
             Stale answers: facts changed after their review (1):\n  \
             answers/en/md-102-vs-ms-102.md (reviewed 2026-10-15): MS-102: retired on 2026-11-30, successor AB-650\n\
             \n\
             Answers naming an exam that retires within 30 days (0):\n  \
             none\n\
             \n\
             Certifications with sources last checked more than 180 days ago (1):\n  \
             certifications/md-102.toml: 1 source last checked 2026-06-01, 183 days ago\n"
        );
    }
}
