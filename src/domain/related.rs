//! The "Related information" of an answer, derived from the catalog — never typed by
//! hand, so a price change or a retirement updates every page that mentions it.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Answer, Catalog, Code, Lifecycle};
use crate::i18n::Lang;

/// The separator between the sides of a side-by-side line.
pub const SEPARATOR: &str = " · ";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RelatedKind {
    Scope,
    Course,
    Technologies,
    Lifecycle,
    Choose,
}

/// One side of a line: what one certification says about one aspect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedPart {
    pub code: Code,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedLine {
    pub kind: RelatedKind,
    pub parts: Vec<RelatedPart>,
    /// The parts joined with [`SEPARATOR`].
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct RelatedInfo {
    pub lines: Vec<RelatedLine>,
}

impl RelatedInfo {
    /// Derives the lines for an answer on `today`, in the answer's language: scope,
    /// course, technologies and lifecycle side by side for every certification the answer
    /// names (in its order), then one "Choose … if" line per `choose` entry. An answer
    /// that names no certification has no lines.
    pub fn derive(answer: &Answer, catalog: &Catalog, today: NaiveDate) -> Self {
        let lang = Lang::of(&answer.locale);
        let certs: Vec<_> =
            answer.certifications.iter().filter_map(|code| catalog.certification(code)).collect();
        if certs.is_empty() {
            return Self::default();
        }
        let mut lines = Vec::with_capacity(4 + answer.choose.len());
        let mut side_by_side = |kind: RelatedKind, text: &dyn Fn(&super::Certification) -> String| {
            let parts: Vec<RelatedPart> = certs
                .iter()
                .map(|cert| RelatedPart {
                    code: cert.code.clone(),
                    text: format!("{}: {}", cert.code, text(cert)),
                })
                .collect();
            lines.push(RelatedLine::joined(kind, parts));
        };
        side_by_side(RelatedKind::Scope, &|cert| lang.scope(&cert.scope));
        side_by_side(RelatedKind::Course, &|cert| match catalog.primary_course(&cert.code) {
            Some(course) => lang.course(course.duration_days, &course.price),
            None => lang.no_course().to_owned(),
        });
        side_by_side(RelatedKind::Technologies, &|cert| cert.technologies.join(", "));
        side_by_side(RelatedKind::Lifecycle, &|cert| lang.lifecycle(&Lifecycle::of(cert, today)));
        for choose in &answer.choose {
            let part = RelatedPart {
                code: choose.certification.clone(),
                text: lang.choose(&choose.certification, &choose.when),
            };
            lines.push(RelatedLine::joined(RelatedKind::Choose, vec![part]));
        }
        Self { lines }
    }
}

impl RelatedLine {
    fn joined(kind: RelatedKind, parts: Vec<RelatedPart>) -> Self {
        let text = parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(SEPARATOR);
        Self { kind, parts, text }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::*;
    use crate::domain::{Choose, Status};

    fn reference_catalog() -> Catalog {
        let md =
            cert("MD-102", "endpoint management", &["Intune", "Autopilot", "Entra ID", "Defender (device)"]);
        let mut ms = cert(
            "MS-102",
            "full Microsoft 365 tenant",
            &["Defender (tenant)", "DLP", "retention", "identity sync"],
        );
        ms.retires_on = Some(day("2026-11-30"));
        ms.successor = Some(code("AB-650"));
        catalog(
            vec![md, ms],
            vec![
                course("md-102-course", "MD-102", 5, "119.00", "CHF"),
                course("ms-102-course", "MS-102", 5, "119.00", "CHF"),
            ],
        )
    }

    fn reference_answer() -> Answer {
        let mut a = answer(&["MD-102", "MS-102"]);
        a.choose = vec![
            Choose {
                certification: code("MD-102"),
                when: "your primary role is device fleet management and endpoint security".into(),
            },
            Choose {
                certification: code("MS-102"),
                when: "you are responsible for the whole Microsoft 365 environment".into(),
            },
        ];
        a
    }

    fn texts(info: &RelatedInfo) -> Vec<&str> {
        info.lines.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn reference_answer_lines_before_retirement() {
        let info = RelatedInfo::derive(&reference_answer(), &reference_catalog(), day("2026-11-26"));
        assert_eq!(
            texts(&info),
            [
                "MD-102: endpoint management scope · MS-102: full Microsoft 365 tenant scope",
                "MD-102: 5-day course, CHF 119 · MS-102: 5-day course, CHF 119",
                "MD-102: Intune, Autopilot, Entra ID, Defender (device) · MS-102: Defender (tenant), DLP, retention, identity sync",
                "MD-102: active · MS-102: retiring on 30 November 2026, successor AB-650",
                "Choose MD-102 if: your primary role is device fleet management and endpoint security",
                "Choose MS-102 if: you are responsible for the whole Microsoft 365 environment",
            ]
        );
    }

    #[test]
    fn after_retirement_the_lifecycle_line_says_retired() {
        let info = RelatedInfo::derive(&reference_answer(), &reference_catalog(), day("2026-12-01"));
        let lifecycle = info.lines.iter().find(|l| l.kind == RelatedKind::Lifecycle).unwrap();
        assert_eq!(lifecycle.text, "MD-102: active · MS-102: retired on 30 November 2026, successor AB-650");
    }

    #[test]
    fn a_price_change_changes_the_line() {
        let mut cat = reference_catalog();
        cat.courses.get_mut(&slug("ms-102-course")).unwrap().price =
            crate::domain::Money::parse("1450.50", "EUR").unwrap();
        let info = RelatedInfo::derive(&reference_answer(), &cat, day("2026-11-26"));
        assert_eq!(info.lines[1].text, "MD-102: 5-day course, CHF 119 · MS-102: 5-day course, EUR 1,450.50");
    }

    #[test]
    fn zero_certifications_give_no_lines() {
        let info = RelatedInfo::derive(&answer(&[]), &reference_catalog(), day("2026-11-26"));
        assert!(info.lines.is_empty());
    }

    #[test]
    fn three_certifications_give_three_sides_in_answer_order() {
        let mut cat = reference_catalog();
        let mut old = cert("ZZ-1", "legacy", &["Thing"]);
        old.vendor = "Other".into();
        old.status = Status::Retired;
        old.retires_on = Some(day("2001-06-30"));
        cat.certifications.insert(old.code.clone(), old);
        let info = RelatedInfo::derive(&answer(&["ZZ-1", "MS-102", "MD-102"]), &cat, day("2026-11-26"));
        assert_eq!(info.lines[0].parts.len(), 3);
        assert_eq!(
            info.lines[1].text,
            "ZZ-1: no course offered · MS-102: 5-day course, CHF 119 · MD-102: 5-day course, CHF 119"
        );
        assert_eq!(info.lines[3].parts[0].text, "ZZ-1: retired on 30 June 2001");
        assert_eq!(info.lines[0].text.matches(SEPARATOR).count(), 2);
    }

    #[test]
    fn the_shortest_then_cheapest_course_is_quoted() {
        let mut cat = reference_catalog();
        let extra = course("md-102-bootcamp", "MD-102", 3, "2900", "CHF");
        cat.courses.insert(extra.slug.clone(), extra);
        let info = RelatedInfo::derive(&answer(&["MD-102"]), &cat, day("2026-11-26"));
        assert_eq!(info.lines[1].text, "MD-102: 3-day course, CHF 2,900");
    }
}
