//! Fact changes and staleness (PRODUCT.md, capability 1): one rule for pages and editors.
//!
//! A *fact change* is a change of a certification's status, retirement date, successor,
//! domains or weights, or of a course's price or duration, with the day it took effect
//! and the values before and after ([`Change`]). Changes come from two places:
//!
//! - *Recorded* changes: [`fact_changes`] compares the published catalog before and after
//!   an import or a publish, and the store keeps what it finds with the day it took
//!   effect. A record new in the catalog records nothing (its first import is no change),
//!   and neither does a removed one.
//! - *Dated* changes: a retirement date being reached counts as a change on that day
//!   ([`dated_changes`]); nobody records it, the day comes.
//!
//! A course's change belongs to the course's certification and names the course.
//!
//! An answer is *stale* on day D when one of its certifications had a fact change after
//! the answer's `reviewed_on` and on or before D: [`stale_on`], the one rule, which the
//! reader's "written before" notice, the API's `stale_since` and the editors' report all
//! reach through [`staleness`] (or [`changes_of`] for many answers at once).
//!
//! **A certification retires once.** Its *retirements* are the dated one (its retirement
//! date reached) and recorded changes of its status to `retired`; of these only the
//! earliest counts, whichever it is. So an editor who sets the status to `retired` after
//! the date has passed does not make stale again the answers reviewed in between, and an
//! exam retired before its announced date counts from the day it was.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Answer, Catalog, Certification, Code, Lifecycle, Money, Slug, Status};

/// What changed, from what to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The retirement date was reached (or, recorded, the exam retired); with the
    /// successor the catalog names.
    Retired {
        #[serde(default)]
        #[schema(required = true)]
        successor: Option<Code>,
    },
    /// The recorded status changed (`retiring` is derived, never recorded).
    Status { from: Status, to: Status },
    /// The retirement date was set, moved or removed (`null`: none).
    RetiresOn {
        #[schema(required = true)]
        from: Option<NaiveDate>,
        #[schema(required = true)]
        to: Option<NaiveDate>,
    },
    /// The successor was named, changed or removed (`null`: none).
    Successor {
        #[schema(required = true)]
        from: Option<Code>,
        #[schema(required = true)]
        to: Option<Code>,
    },
    /// The skills-measured domains: one added, removed, renamed or weighted anew. Both
    /// lists whole, in the content's order.
    Domains { from: Vec<DomainWeight>, to: Vec<DomainWeight> },
    /// The price of the course `course` (a price written differently, `2190` for
    /// `2190.00`, is no change; another currency is).
    CoursePrice { course: Slug, from: Money, to: Money },
    /// The duration of the course `course`, in days.
    CourseDuration { course: Slug, from: u32, to: u32 },
}

impl Change {
    /// Whether this change says the certification retired (see the module docs: a
    /// certification retires once).
    pub fn is_retirement(&self) -> bool {
        matches!(self, Change::Retired { .. } | Change::Status { to: Status::Retired, .. })
    }
}

/// A skills-measured domain as a fact: its name and weight range, in per cent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DomainWeight {
    pub name: String,
    pub weight_min: u8,
    pub weight_max: u8,
}

impl DomainWeight {
    fn all_of(cert: &Certification) -> Vec<Self> {
        cert.domains
            .iter()
            .map(|d| DomainWeight {
                name: d.name.clone(),
                weight_min: d.weight_min,
                weight_max: d.weight_max,
            })
            .collect()
    }
}

/// One fact change of one certification (or of one of its courses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FactChange {
    /// The certification changed, or the certification of the course changed.
    pub code: Code,
    /// The day it took effect.
    pub on: NaiveDate,
    #[serde(flatten)]
    pub change: Change,
}

/// The fact changes between two published catalogs, all taking effect `on`: every
/// certification and course present in both whose facts differ, certifications first
/// (by code, then status, retirement date, successor, domains), then courses (by slug,
/// price before duration). A record only in `new` (its first import) or only in `old`
/// (removed) records nothing.
pub fn fact_changes(old: &Catalog, new: &Catalog, on: NaiveDate) -> Vec<FactChange> {
    let mut changes = Vec::new();
    for (code, after) in &new.certifications {
        let Some(before) = old.certifications.get(code) else { continue };
        let mut found = |change| changes.push(FactChange { code: code.clone(), on, change });
        if before.status != after.status {
            found(Change::Status { from: before.status, to: after.status });
        }
        if before.retires_on != after.retires_on {
            found(Change::RetiresOn { from: before.retires_on, to: after.retires_on });
        }
        if before.successor != after.successor {
            found(Change::Successor { from: before.successor.clone(), to: after.successor.clone() });
        }
        let (from, to) = (DomainWeight::all_of(before), DomainWeight::all_of(after));
        if from != to {
            found(Change::Domains { from, to });
        }
    }
    for (slug, after) in &new.courses {
        let Some(before) = old.courses.get(slug) else { continue };
        let mut found = |change| changes.push(FactChange { code: after.certification.clone(), on, change });
        if before.price != after.price {
            found(Change::CoursePrice {
                course: slug.clone(),
                from: before.price.clone(),
                to: after.price.clone(),
            });
        }
        if before.duration_days != after.duration_days {
            found(Change::CourseDuration {
                course: slug.clone(),
                from: before.duration_days,
                to: after.duration_days,
            });
        }
    }
    changes
}

/// The fact changes the catalog dates for `code` up to `today`: its retirement, once the
/// date is reached.
pub fn dated_changes(catalog: &Catalog, code: &Code, today: NaiveDate) -> Vec<FactChange> {
    let Some(cert) = catalog.certification(code) else { return Vec::new() };
    match Lifecycle::of(cert, today) {
        Lifecycle::Retired { on: Some(on), successor } if on <= today => {
            vec![FactChange { code: code.clone(), on, change: Change::Retired { successor } }]
        }
        _ => Vec::new(),
    }
}

/// Every fact change of the certifications `codes` known on `today`, oldest first: the
/// `recorded` ones and the dated ones, each certification's retirement once (the
/// earliest, see the module docs) and a change recorded twice once.
pub fn changes_of(
    catalog: &Catalog,
    recorded: &[FactChange],
    codes: &[Code],
    today: NaiveDate,
) -> Vec<FactChange> {
    let mut changes: Vec<FactChange> = recorded
        .iter()
        .filter(|c| codes.contains(&c.code) && c.on <= today)
        .cloned()
        .chain(codes.iter().flat_map(|code| dated_changes(catalog, code, today)))
        .collect();
    // Stable: changes of one day keep the order they were recorded in, the dated ones last.
    changes.sort_by(|a, b| (a.on, &a.code).cmp(&(b.on, &b.code)));
    let mut kept: Vec<FactChange> = Vec::with_capacity(changes.len());
    for change in changes {
        let again = kept.iter().any(|k| {
            *k == change
                || (k.code == change.code && k.change.is_retirement() && change.change.is_retirement())
        });
        if !again {
            kept.push(change);
        }
    }
    kept
}

/// The changes that make `answer` stale on `today` (empty when it is not): those of its
/// certifications after its `reviewed_on` and on or before `today`, oldest first.
pub fn stale_on(
    answer: &Answer,
    changes: impl IntoIterator<Item = FactChange>,
    today: NaiveDate,
) -> Vec<FactChange> {
    let mut stale: Vec<FactChange> = changes
        .into_iter()
        .filter(|c| answer.certifications.contains(&c.code) && c.on > answer.reviewed_on && c.on <= today)
        .collect();
    stale.sort_by(|a, b| (a.on, &a.code).cmp(&(b.on, &b.code)));
    stale
}

/// [`stale_on`] with the changes of the answer's certifications: the `recorded` ones
/// joined with those the catalog dates ([`changes_of`]).
pub fn staleness(
    answer: &Answer,
    catalog: &Catalog,
    recorded: &[FactChange],
    today: NaiveDate,
) -> Vec<FactChange> {
    stale_on(answer, changes_of(catalog, recorded, &answer.certifications, today), today)
}

/// A change as staff read it, in English, with its certification first:
/// `MS-102: retired on 2026-11-30, successor AB-650`,
/// `AZ-104: price of course az-104-azure-administrator changed from CHF 2,190.00 to CHF 2,390.00 on 2026-12-01`.
impl fmt::Display for FactChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn or_none<T: fmt::Display>(value: Option<&T>) -> String {
            value.map_or_else(|| "none".to_owned(), ToString::to_string)
        }
        let (code, on) = (&self.code, self.on);
        match &self.change {
            Change::Retired { successor: Some(successor) } => {
                write!(f, "{code}: retired on {on}, successor {successor}")
            }
            Change::Retired { successor: None } => write!(f, "{code}: retired on {on}"),
            Change::Status { from, to } => write!(f, "{code}: status changed from {from} to {to} on {on}"),
            Change::RetiresOn { from, to } => write!(
                f,
                "{code}: retirement date changed from {} to {} on {on}",
                or_none(from.as_ref()),
                or_none(to.as_ref())
            ),
            Change::Successor { from, to } => write!(
                f,
                "{code}: successor changed from {} to {} on {on}",
                or_none(from.as_ref()),
                or_none(to.as_ref())
            ),
            Change::Domains { from, to } => {
                write!(f, "{code}: domains changed on {on}: {}", domain_differences(from, to).join("; "))
            }
            Change::CoursePrice { course, from, to } => write!(
                f,
                "{code}: price of course {course} changed from {} to {} on {on}",
                from.format("en"),
                to.format("en")
            ),
            Change::CourseDuration { course, from, to } => write!(
                f,
                "{code}: duration of course {course} changed from {from} to {to} day{} on {on}",
                if *to == 1 { "" } else { "s" }
            ),
        }
    }
}

/// What differs between two lists of domains, by name: `“Deploy” 25–30 % → 30–35 %`,
/// `“Copilot” added (10–15 %)`, `“Purview” removed (10–15 %)`; `order changed` when only
/// the order did.
fn domain_differences(from: &[DomainWeight], to: &[DomainWeight]) -> Vec<String> {
    let range = |d: &DomainWeight| format!("{}–{} %", d.weight_min, d.weight_max);
    let mut lines = Vec::new();
    for d in to {
        match from.iter().find(|b| b.name == d.name) {
            None => lines.push(format!("“{}” added ({})", d.name, range(d))),
            Some(b) if b != d => lines.push(format!("“{}” {} → {}", d.name, range(b), range(d))),
            Some(_) => {}
        }
    }
    for b in from.iter().filter(|b| !to.iter().any(|d| d.name == b.name)) {
        lines.push(format!("“{}” removed ({})", b.name, range(b)));
    }
    if lines.is_empty() {
        lines.push("order changed".to_owned());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SkillDomain;
    use crate::domain::fixtures::*;

    fn reviewed(on: &str) -> Answer {
        let mut a = answer(&["MD-102", "MS-102"]);
        a.reviewed_on = day(on);
        a
    }

    fn catalog_retiring(on: &str) -> Catalog {
        let mut ms = cert("MS-102", "tenant", &[]);
        ms.retires_on = Some(day(on));
        ms.successor = Some(code("AB-650"));
        catalog(vec![cert("MD-102", "endpoints", &[]), ms], vec![])
    }

    fn change(c: &str, on: &str, change: Change) -> FactChange {
        FactChange { code: code(c), on: day(on), change }
    }

    fn domain(name: &str, min: u8, max: u8) -> SkillDomain {
        SkillDomain { name: name.into(), weight_min: min, weight_max: max, responsibilities: vec![] }
    }

    fn weight(name: &str, min: u8, max: u8) -> DomainWeight {
        DomainWeight { name: name.into(), weight_min: min, weight_max: max }
    }

    #[test]
    fn an_answer_goes_stale_the_day_a_retirement_it_predates_is_reached() {
        let cat = catalog_retiring("2026-11-30");
        let a = reviewed("2026-10-15");
        assert!(staleness(&a, &cat, &[], day("2026-11-29")).is_empty(), "not yet retired");
        let stale = staleness(&a, &cat, &[], day("2026-11-30"));
        assert_eq!(
            stale,
            [change("MS-102", "2026-11-30", Change::Retired { successor: Some(code("AB-650")) })]
        );
        assert_eq!(staleness(&a, &cat, &[], day("2027-06-01")), stale, "and stays stale");
    }

    #[test]
    fn a_review_after_the_change_clears_it() {
        let cat = catalog_retiring("2026-11-30");
        assert!(
            staleness(&reviewed("2026-11-30"), &cat, &[], day("2026-12-05")).is_empty(),
            "reviewed that day"
        );
        assert!(staleness(&reviewed("2026-12-01"), &cat, &[], day("2026-12-05")).is_empty());
        assert_eq!(
            staleness(&reviewed("2026-11-29"), &cat, &[], day("2026-12-05")).len(),
            1,
            "the day before"
        );
    }

    #[test]
    fn a_recorded_change_counts_after_the_review_and_on_or_before_today() {
        let cat = catalog(vec![cert("MD-102", "endpoints", &[]), cert("MS-102", "tenant", &[])], vec![]);
        let recorded = [change(
            "MD-102",
            "2026-11-10",
            Change::CourseDuration { course: slug("md-102-course"), from: 4, to: 5 },
        )];
        let a = reviewed("2026-11-09");
        assert!(staleness(&a, &cat, &recorded, day("2026-11-09")).is_empty(), "before it took effect");
        assert_eq!(staleness(&a, &cat, &recorded, day("2026-11-10")), recorded, "on the day it took effect");
        assert!(
            staleness(&reviewed("2026-11-10"), &cat, &recorded, day("2026-12-01")).is_empty(),
            "reviewed that day"
        );
    }

    #[test]
    fn only_the_answers_own_certifications_count() {
        let cat = catalog_retiring("2026-11-30");
        let mut other = reviewed("2026-10-15");
        other.certifications.retain(|c| c.as_str() == "MD-102");
        assert!(staleness(&other, &cat, &[], day("2026-12-05")).is_empty());
        // Recorded changes of other certifications, or in the future, do not count either.
        let changes = [
            change("AZ-104", "2026-11-01", Change::Retired { successor: None }),
            change("MD-102", "2027-01-01", Change::Retired { successor: None }),
        ];
        assert!(staleness(&other, &cat, &changes, day("2026-12-05")).is_empty());
        assert!(stale_on(&other, changes, day("2026-12-05")).is_empty());
    }

    #[test]
    fn a_certification_retires_once_on_the_earliest_of_its_retirements() {
        let cat = catalog_retiring("2026-11-30");
        let a = reviewed("2026-12-01");
        // Marked retired after the date had passed: the date reached counts, the answer
        // reviewed in between stays current.
        let late =
            [change("MS-102", "2026-12-02", Change::Status { from: Status::Active, to: Status::Retired })];
        assert!(staleness(&a, &cat, &late, day("2026-12-05")).is_empty());
        let both = staleness(&reviewed("2026-10-15"), &cat, &late, day("2026-12-05"));
        assert_eq!(both.len(), 1, "one retirement, not two: {both:?}");
        assert_eq!(both[0].on, day("2026-11-30"));
        // Retired early: the recorded day counts and the date reached later adds nothing.
        let early =
            [change("MS-102", "2026-11-20", Change::Status { from: Status::Active, to: Status::Retired })];
        let stale = staleness(&reviewed("2026-10-15"), &cat, &early, day("2026-12-05"));
        assert_eq!(stale, early);
        assert!(staleness(&reviewed("2026-11-25"), &cat, &early, day("2026-12-05")).is_empty());
        // Other changes of the same certification on the same day still count.
        let moved =
            change("MS-102", "2026-11-20", Change::Successor { from: None, to: Some(code("AB-650")) });
        let with_successor = [early[0].clone(), moved.clone()];
        assert_eq!(
            staleness(&reviewed("2026-10-15"), &cat, &with_successor, day("2026-12-05")),
            with_successor
        );
        // A change recorded twice counts once.
        let twice = [moved.clone(), moved.clone()];
        assert_eq!(changes_of(&cat, &twice, &[code("MS-102")], day("2026-11-25")), [moved]);
    }

    #[test]
    fn fact_changes_finds_every_kind_with_from_and_to() {
        let mut md = cert("MD-102", "endpoints", &[]);
        md.domains = vec![domain("Devices", 25, 30), domain("Apps", 15, 20), domain("Updates", 10, 15)];
        let ms = cert("MS-102", "tenant", &[]);
        let old = catalog(
            vec![md.clone(), ms.clone()],
            vec![
                course("md-102-course", "MD-102", 4, "2190.00", "CHF"),
                course("ms-102-course", "MS-102", 5, "2900.00", "CHF"),
            ],
        );
        let mut md2 = md.clone();
        md2.domains = vec![domain("Devices", 30, 35), domain("Apps", 15, 20), domain("Copilot", 5, 10)];
        let mut ms2 = ms.clone();
        ms2.status = Status::Retired;
        ms2.retires_on = Some(day("2026-11-30"));
        ms2.successor = Some(code("AB-650"));
        let new = catalog(
            vec![md2, ms2],
            vec![
                course("md-102-course", "MD-102", 5, "2190.00", "CHF"),
                course("ms-102-course", "MS-102", 5, "2390.00", "CHF"),
            ],
        );
        let on = day("2026-12-01");
        let changes = fact_changes(&old, &new, on);
        assert_eq!(
            changes,
            [
                change(
                    "MD-102",
                    "2026-12-01",
                    Change::Domains {
                        from: vec![
                            weight("Devices", 25, 30),
                            weight("Apps", 15, 20),
                            weight("Updates", 10, 15)
                        ],
                        to: vec![weight("Devices", 30, 35), weight("Apps", 15, 20), weight("Copilot", 5, 10)],
                    }
                ),
                change("MS-102", "2026-12-01", Change::Status { from: Status::Active, to: Status::Retired }),
                change("MS-102", "2026-12-01", Change::RetiresOn { from: None, to: Some(day("2026-11-30")) }),
                change("MS-102", "2026-12-01", Change::Successor { from: None, to: Some(code("AB-650")) }),
                change(
                    "MD-102",
                    "2026-12-01",
                    Change::CourseDuration { course: slug("md-102-course"), from: 4, to: 5 }
                ),
                change(
                    "MS-102",
                    "2026-12-01",
                    Change::CoursePrice {
                        course: slug("ms-102-course"),
                        from: Money::parse("2900.00", "CHF").unwrap(),
                        to: Money::parse("2390.00", "CHF").unwrap(),
                    }
                ),
            ]
        );
        assert!(fact_changes(&new, &new, on).is_empty(), "nothing changed");
        assert_eq!(fact_changes(&new, &old, on).len(), changes.len(), "and back");
    }

    #[test]
    fn new_and_removed_records_and_other_fields_record_nothing() {
        let old = catalog(
            vec![cert("MD-102", "endpoints", &[])],
            vec![course("c1", "MD-102", 4, "2190.00", "CHF")],
        );
        let mut md = cert("MD-102", "another scope", &["Intune"]);
        md.title = "Renamed".into();
        md.exam_minutes = Some(120);
        md.sources =
            vec![crate::domain::Source { url: "https://example.test".into(), checked_on: day("2026-11-01") }];
        let mut renamed = course("c1", "MD-102", 4, "2190", "CHF");
        renamed.title = "Renamed course".into();
        renamed.sessions = vec![session("2027-01-11", "Zürich")];
        let mut ms = cert("MS-102", "tenant", &[]);
        ms.status = Status::Retired;
        let new = catalog(vec![md, ms], vec![renamed, course("c2", "MS-102", 5, "100.00", "CHF")]);
        assert!(fact_changes(&old, &new, day("2026-12-01")).is_empty(), "first imports and other fields");
        let emptied = catalog(vec![], vec![]);
        assert!(fact_changes(&new, &emptied, day("2026-12-01")).is_empty(), "removals");
    }

    #[test]
    fn a_course_change_belongs_to_its_certification_and_names_the_course() {
        let old = catalog(vec![], vec![course("c1", "MD-102", 4, "2190.00", "CHF")]);
        let new = catalog(vec![], vec![course("c1", "MD-102", 4, "2190.00", "EUR")]);
        let changes = fact_changes(&old, &new, day("2026-12-01"));
        assert_eq!(changes.len(), 1, "another currency is a change");
        assert_eq!(changes[0].code, code("MD-102"));
        let cat = catalog(vec![], vec![]);
        let stale = staleness(&reviewed("2026-11-01"), &cat, &changes, day("2026-12-01"));
        assert_eq!(stale, changes);
    }

    #[test]
    fn the_json_names_the_kind_and_the_values_before_and_after() {
        let price = change(
            "MS-102",
            "2026-12-01",
            Change::CoursePrice {
                course: slug("ms-102-course"),
                from: Money::parse("2900.00", "CHF").unwrap(),
                to: Money::parse("2390.00", "CHF").unwrap(),
            },
        );
        let json = serde_json::to_value(&price).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "MS-102", "on": "2026-12-01", "kind": "course_price", "course": "ms-102-course",
                "from": {"amount": "2900.00", "currency": "CHF"}, "to": {"amount": "2390.00", "currency": "CHF"}})
        );
        assert_eq!(serde_json::from_value::<FactChange>(json).unwrap(), price, "read back");
        let retired = change("MS-102", "2026-11-30", Change::Retired { successor: Some(code("AB-650")) });
        assert_eq!(
            serde_json::to_value(&retired).unwrap(),
            serde_json::json!({"code": "MS-102", "on": "2026-11-30", "kind": "retired", "successor": "AB-650"})
        );
        let moved =
            change("MS-102", "2026-12-01", Change::RetiresOn { from: Some(day("2026-11-30")), to: None });
        assert_eq!(
            serde_json::to_value(&moved).unwrap(),
            serde_json::json!({"code": "MS-102", "on": "2026-12-01", "kind": "retires_on", "from": "2026-11-30", "to": null})
        );
    }

    #[test]
    fn staff_read_each_kind_in_one_line() {
        let cases = [
            (
                Change::Retired { successor: Some(code("AB-650")) },
                "MS-102: retired on 2026-11-30, successor AB-650",
            ),
            (Change::Retired { successor: None }, "MS-102: retired on 2026-11-30"),
            (
                Change::Status { from: Status::Active, to: Status::Retired },
                "MS-102: status changed from active to retired on 2026-11-30",
            ),
            (
                Change::RetiresOn { from: None, to: Some(day("2027-03-31")) },
                "MS-102: retirement date changed from none to 2027-03-31 on 2026-11-30",
            ),
            (
                Change::Successor { from: Some(code("AB-650")), to: None },
                "MS-102: successor changed from AB-650 to none on 2026-11-30",
            ),
            (
                Change::Domains {
                    from: vec![weight("Tenant", 25, 30), weight("Purview", 10, 15)],
                    to: vec![weight("Tenant", 30, 35), weight("Copilot", 5, 10)],
                },
                "MS-102: domains changed on 2026-11-30: “Tenant” 25–30 % → 30–35 %; “Copilot” added (5–10 %); “Purview” removed (10–15 %)",
            ),
            (
                Change::CoursePrice {
                    course: slug("ms-102-course"),
                    from: Money::parse("2900", "CHF").unwrap(),
                    to: Money::parse("2390.5", "CHF").unwrap(),
                },
                "MS-102: price of course ms-102-course changed from CHF 2,900.00 to CHF 2,390.50 on 2026-11-30",
            ),
            (
                Change::CourseDuration { course: slug("ms-102-course"), from: 2, to: 1 },
                "MS-102: duration of course ms-102-course changed from 2 to 1 day on 2026-11-30",
            ),
        ];
        for (kind, text) in cases {
            assert_eq!(change("MS-102", "2026-11-30", kind).to_string(), text);
        }
    }
}
