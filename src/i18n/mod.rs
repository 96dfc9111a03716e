//! Languages: interface phrases, dates and the wording of derived facts.
//!
//! English, German and French. The words are Project Fluent messages (`locales/*.ftl`,
//! read by [`phrases`]); dates and money are written here as each locale writes them,
//! and every page takes its locale from the path.

mod phrases;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::FluentValue;

use serde::Serialize;

use crate::domain::related::{Fact, RelatedKind, RelatedTable};
use crate::domain::staleness::{Change, FactChange};
use crate::domain::{Code, Lifecycle, LifecycleStatus, Money, RelatedInfo, Status};

pub use phrases::{Decide, Phrases, Search, Ui};

/// The separator between the sides of a side-by-side line.
pub const SEPARATOR: &str = " · ";

/// One side of a worded Related information line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedPart {
    pub code: Code,
    /// `MD-102: endpoint management scope`.
    pub text: String,
}

/// A Related information line in the reader's language, as pages, the Markdown twin and
/// the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedLine {
    pub kind: RelatedKind,
    pub parts: Vec<WordedPart>,
    /// The parts joined with [`SEPARATOR`].
    pub text: String,
}

/// The related information as a worded table (the Markdown twin's table, the API's rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedTable {
    pub columns: Vec<Code>,
    pub rows: Vec<WordedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedRow {
    pub aspect: RelatedKind,
    pub label: &'static str,
    /// One per column; `—` where the certification has nothing for the aspect.
    pub cells: Vec<String>,
}

/// What a cell says when its certification has nothing for the aspect.
pub const EMPTY_CELL: &str = "—";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
    Fr,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

impl Lang {
    /// Every language with interface phrases.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::De, Lang::Fr];

    /// The position of the language in [`Lang::ALL`].
    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::De => 1,
            Lang::Fr => 2,
        }
    }

    /// The interface phrases.
    pub fn ui(self) -> &'static Ui {
        phrases::ui(self)
    }

    /// The Fluent message `id` with its arguments, in this language (English when the
    /// language lacks it).
    pub fn phrase(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        if args.is_empty() {
            phrases::format(self, id, None)
        } else {
            phrases::format(self, id, Some(&phrases::args(args)))
        }
    }

    /// The language of a locale code; unknown codes are written in English.
    pub fn of(locale: &str) -> Self {
        match locale {
            "de" => Lang::De,
            "fr" => Lang::Fr,
            _ => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
        }
    }

    /// A long date: `30 November 2026`, `30. November 2026`, `30 novembre 2026`.
    pub fn date(self, d: NaiveDate) -> String {
        let m = d.month0() as usize;
        match self {
            Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
            Lang::De => format!("{}. {} {}", d.day(), MONTHS_DE[m], d.year()),
            Lang::Fr => format!("{} {} {}", d.day(), MONTHS_FR[m], d.year()),
        }
    }

    /// `1 day`, `5 days`.
    pub fn days(self, n: u32) -> String {
        self.phrase("days-count", &[("n", n.into())])
    }

    /// `1 answer`, `3 answers`.
    pub fn answers_count(self, n: usize) -> String {
        self.phrase("answers-count", &[("n", n.into())])
    }

    /// The label of a row of the related table.
    pub fn aspect(self, kind: RelatedKind) -> &'static str {
        let t = self.ui();
        match kind {
            RelatedKind::Scope => t.aspect_scope,
            RelatedKind::Course => t.aspect_course,
            RelatedKind::Technologies => t.aspect_technologies,
            RelatedKind::Lifecycle => t.aspect_lifecycle,
            RelatedKind::Choose => t.aspect_choose,
        }
    }

    /// One fact as a table cell says it (the column names the certification).
    pub fn cell_fact(self, fact: &Fact, money: &str) -> String {
        match fact {
            Fact::Scope(scope) => capitalized(scope),
            Fact::Course { days, price } => capitalized(&self.course(*days, price, money)),
            Fact::NoCourse => capitalized(&self.no_course()),
            Fact::Technologies(names) => names.join(", "),
            Fact::Lifecycle(lifecycle) => capitalized(&self.lifecycle(lifecycle)),
            Fact::Choose(when) => capitalized(when),
        }
    }

    /// The related table, worded.
    pub fn related_table(self, table: &RelatedTable, money: &str) -> WordedTable {
        WordedTable {
            columns: table.columns.clone(),
            rows: table
                .rows
                .iter()
                .map(|(kind, cells)| WordedRow {
                    aspect: *kind,
                    label: self.aspect(*kind),
                    cells: cells
                        .iter()
                        .map(|facts| {
                            if facts.is_empty() {
                                EMPTY_CELL.to_owned()
                            } else {
                                facts.iter().map(|f| self.cell_fact(f, money)).collect::<Vec<_>>().join("; ")
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The retirement of `code` as a sentence, counting the days when 30 or fewer are
    /// left: `MS-102 retires in 4 days, on 30 November 2026.` `None` unless retiring or
    /// retired.
    pub fn retirement(self, code: &Code, lifecycle: &Lifecycle, today: NaiveDate) -> Option<String> {
        let code = ("code", FluentValue::from(code.as_str()));
        Some(match lifecycle {
            Lifecycle::Retiring { on, .. } => {
                let date = ("date", self.date(*on).into());
                match lifecycle.days_left(today, 30) {
                    Some(1) => self.phrase("retirement-tomorrow", &[code, date]),
                    Some(days) => self.phrase("retirement-in-days", &[code, date, ("days", days.into())]),
                    None => self.phrase("retirement-on", &[code, date]),
                }
            }
            Lifecycle::Retired { on: Some(on), .. } => {
                self.phrase("retired-on", &[code, ("date", self.date(*on).into())])
            }
            Lifecycle::Retired { on: None, .. } => self.phrase("retired-undated", &[code]),
            Lifecycle::Beta | Lifecycle::Active => return None,
        })
    }

    /// Why an answer may be out of date (the staleness rule), derived, never typed: what
    /// changed, from what to what, and when. `money` is how prices are written on the
    /// page ([`crate::domain::Site::money_tag`]).
    pub fn stale(self, change: &FactChange, money: &str) -> String {
        let code = ("code", FluentValue::from(change.code.as_str()));
        let date = ("date", FluentValue::from(self.date(change.on)));
        let status = |s: Status| {
            let s = match s {
                Status::Beta => LifecycleStatus::Beta,
                Status::Active => LifecycleStatus::Active,
                Status::Retired => LifecycleStatus::Retired,
            };
            FluentValue::from(self.ui().status_word(s))
        };
        let day = |d: NaiveDate| FluentValue::from(self.date(d));
        let named = |c: &Code| FluentValue::from(c.to_string());
        match &change.change {
            Change::Retired { .. } => self.phrase("stale-retired", &[code, date]),
            Change::Status { from, to } => {
                self.phrase("stale-status", &[code, date, ("from", status(*from)), ("to", status(*to))])
            }
            Change::RetiresOn { from: None, to: Some(to) } => {
                self.phrase("stale-retires-on-set", &[code, date, ("to", day(*to))])
            }
            Change::RetiresOn { from: Some(from), to: Some(to) } => {
                self.phrase("stale-retires-on-moved", &[code, date, ("from", day(*from)), ("to", day(*to))])
            }
            Change::RetiresOn { to: None, .. } => self.phrase("stale-retires-on-removed", &[code, date]),
            Change::Successor { to: Some(to), .. } => {
                self.phrase("stale-successor", &[code, date, ("to", named(to))])
            }
            Change::Successor { to: None, .. } => self.phrase("stale-successor-removed", &[code, date]),
            Change::Domains { .. } => self.phrase("stale-domains", &[code, date]),
            Change::CoursePrice { from, to, .. } => self.phrase(
                "stale-course-price",
                &[code, date, ("from", from.format(money).into()), ("to", to.format(money).into())],
            ),
            Change::CourseDuration { from, to, .. } => self.phrase(
                "stale-course-duration",
                &[code, date, ("from", (*from).into()), ("to", (*to).into())],
            ),
        }
    }

    /// The Related information, worded.
    pub fn related(self, info: &RelatedInfo, money: &str) -> Vec<WordedLine> {
        info.lines
            .iter()
            .map(|line| {
                let parts: Vec<WordedPart> = line
                    .parts
                    .iter()
                    .map(|p| WordedPart { code: p.code.clone(), text: self.fact(&p.code, &p.fact, money) })
                    .collect();
                let text = parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(SEPARATOR);
                WordedLine { kind: line.kind, parts, text }
            })
            .collect()
    }

    /// One side of a line: `MD-102: 5-day course, CHF 119`, `Choose MD-102 if: …`.
    pub fn fact(self, code: &Code, fact: &Fact, money: &str) -> String {
        match fact {
            Fact::Scope(scope) => format!("{code}: {}", self.scope(scope)),
            Fact::Course { days, price } => format!("{code}: {}", self.course(*days, price, money)),
            Fact::NoCourse => format!("{code}: {}", self.no_course()),
            Fact::Technologies(names) => format!("{code}: {}", names.join(", ")),
            Fact::Lifecycle(lifecycle) => format!("{code}: {}", self.lifecycle(lifecycle)),
            Fact::Choose(when) => self.choose(code, when),
        }
    }

    pub fn scope(self, scope: &str) -> String {
        self.phrase("fact-scope", &[("scope", scope.into())])
    }

    /// `money` is how prices are written: a language and the site's region (`de-CH`,
    /// [`crate::domain::Site::money_tag`]).
    pub fn course(self, days: u32, price: &Money, money: &str) -> String {
        self.phrase("fact-course", &[("days", days.into()), ("price", price.format_short(money).into())])
    }

    pub fn no_course(self) -> String {
        self.phrase("fact-no-course", &[])
    }

    pub fn choose(self, code: &Code, when: &str) -> String {
        self.phrase("fact-choose", &[("code", code.as_str().into()), ("when", when.into())])
    }

    /// `active`, `beta`, `retiring on 30 November 2026, successor AB-650`, `retired`.
    pub fn lifecycle(self, lifecycle: &Lifecycle) -> String {
        // The message, and the one to use when there is a successor.
        let (id, with_successor, on, successor) = match lifecycle {
            Lifecycle::Beta => return self.phrase("lifecycle-beta", &[]),
            Lifecycle::Active => return self.phrase("lifecycle-active", &[]),
            Lifecycle::Retiring { on, successor } => {
                ("lifecycle-retiring", "lifecycle-retiring-successor", Some(on), successor)
            }
            Lifecycle::Retired { on: Some(on), successor } => {
                ("lifecycle-retired-on", "lifecycle-retired-on-successor", Some(on), successor)
            }
            Lifecycle::Retired { on: None, successor } => {
                ("lifecycle-retired", "lifecycle-retired-successor", None, successor)
            }
        };
        let mut args = Vec::with_capacity(2);
        if let Some(on) = on {
            args.push(("date", FluentValue::from(self.date(*on))));
        }
        match successor {
            Some(code) => {
                args.push(("successor", code.as_str().into()));
                self.phrase(with_successor, &args)
            }
            None => self.phrase(id, &args),
        }
    }

    pub fn level(self, level: crate::domain::Level) -> &'static str {
        use crate::domain::Level;
        let t = self.ui();
        match level {
            Level::Fundamentals => t.level_fundamentals,
            Level::Associate => t.level_associate,
            Level::Professional => t.level_professional,
            Level::Expert => t.level_expert,
            Level::Specialty => t.level_specialty,
        }
    }

    pub fn delivery(self, delivery: crate::domain::Delivery) -> &'static str {
        use crate::domain::Delivery;
        let t = self.ui();
        match delivery {
            Delivery::Classroom => t.delivery_classroom,
            Delivery::Virtual => t.delivery_virtual,
            Delivery::SelfPaced => t.delivery_self_paced,
        }
    }

    /// The name of a session's language in this language (`German`, `Deutsch`); a code
    /// without a name stays as it is.
    pub fn language_name(self, code: &str) -> String {
        let id = format!("language-{code}");
        if phrases::has(Lang::En, &id) { self.phrase(&id, &[]) } else { code.to_owned() }
    }
}

/// Picks the first locale of `Accept-Language` (by quality, the order of the header
/// breaking ties) that the site has, matching on the primary language subtag; `default`
/// when none matches.
pub fn negotiate<'a>(accept: Option<&str>, locales: &'a [String], default: &'a str) -> &'a str {
    let mut wanted: Vec<(f32, &str)> = accept
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| {
            let mut it = part.trim().split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| {
                    // The parameter name is case-insensitive (RFC 9110): `Q=0` refuses too.
                    let (name, q) = p.trim().split_once('=')?;
                    name.trim().eq_ignore_ascii_case("q").then(|| q.trim().parse::<f32>().ok()).flatten()
                })
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, tag) in wanted {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        if let Some(l) = locales.iter().find(|l| **l == primary) {
            return l;
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_known_locale() {
        let locales = vec!["en".to_owned(), "de".to_owned(), "fr".to_owned()];
        assert_eq!(negotiate(Some("de-CH,de;q=0.9,en;q=0.8"), &locales, "en"), "de");
        assert_eq!(negotiate(Some("it, fr;q=0.5, en;q=0.7"), &locales, "en"), "en");
        assert_eq!(negotiate(Some("it"), &locales, "en"), "en");
        assert_eq!(negotiate(Some("fr;q=0, de;q=0.1"), &locales, "en"), "de");
        assert_eq!(negotiate(None, &locales, "en"), "en");
        assert_eq!(negotiate(Some(";;,q=,"), &locales, "en"), "en");
    }

    #[test]
    fn dates_are_written_as_each_locale_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(Lang::En.date(d), "30 November 2026");
        assert_eq!(Lang::De.date(d), "30. November 2026");
        assert_eq!(Lang::Fr.date(d), "30 novembre 2026");
    }

    #[test]
    fn lifecycle_wording_names_date_and_successor() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let ab = Some(Code::parse("AB-650").unwrap());
        assert_eq!(
            Lang::En.lifecycle(&Lifecycle::Retiring { on, successor: ab.clone() }),
            "retiring on 30 November 2026, successor AB-650"
        );
        assert_eq!(
            Lang::En.lifecycle(&Lifecycle::Retired { on: Some(on), successor: ab }),
            "retired on 30 November 2026, successor AB-650"
        );
        assert_eq!(Lang::En.lifecycle(&Lifecycle::Retired { on: None, successor: None }), "retired");
    }

    #[test]
    fn every_kind_of_fact_change_is_worded_in_every_language() {
        use crate::domain::staleness::DomainWeight;
        use crate::domain::{Money, Slug, Status};
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let ab = Code::parse("AB-650").unwrap();
        let course = Slug::parse("ms-102-course").unwrap();
        let chf = |a: &str| Money::parse(a, "CHF").unwrap();
        let weights = |max: u8| vec![DomainWeight { name: "Tenant".into(), weight_min: 25, weight_max: max }];
        // Each kind, with what its English wording must name besides the code and the day.
        let kinds = [
            (Change::Retired { successor: Some(ab.clone()) }, "Written before MS-102 retired on"),
            (Change::Status { from: Status::Active, to: Status::Retired }, "changed from active to retired"),
            (
                Change::RetiresOn { from: None, to: Some(day("2027-03-31")) },
                "a retirement date, 31 March 2027,",
            ),
            (
                Change::RetiresOn { from: Some(day("2026-11-30")), to: Some(day("2027-03-31")) },
                "moved from 30 November 2026 to 31 March 2027",
            ),
            (Change::RetiresOn { from: Some(day("2026-11-30")), to: None }, "was withdrawn"),
            (
                Change::Successor { from: None, to: Some(ab.clone()) },
                "AB-650 was named the successor of MS-102",
            ),
            (Change::Successor { from: Some(ab), to: None }, "successor of MS-102 was withdrawn"),
            (Change::Domains { from: weights(30), to: weights(35) }, "skills measured by MS-102"),
            (
                Change::CoursePrice { course: course.clone(), from: chf("2900"), to: chf("2390") },
                "from CHF 2’900.00 to CHF 2’390.00",
            ),
            (Change::CourseDuration { course: course.clone(), from: 2, to: 1 }, "from 2 to 1 day on"),
            (Change::CourseDuration { course, from: 4, to: 5 }, "from 4 to 5 days on"),
        ];
        for (kind, english) in kinds {
            let change =
                FactChange { code: Code::parse("MS-102").unwrap(), on: day("2026-12-01"), change: kind };
            let en = Lang::En.stale(&change, "en-CH");
            assert!(en.contains(english), "{en}");
            assert!(en.contains("1 December 2026") && en.ends_with("parts of the text may not be."), "{en}");
            for lang in [Lang::De, Lang::Fr] {
                let text = lang.stale(&change, lang.code());
                assert!(text.contains("MS-102") && text.contains(&lang.date(change.on)), "{text}");
                assert!(!text.contains("stale-") && text != en, "{lang:?} has its own wording: {text}");
            }
        }
    }
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

impl Lang {
    /// Why an exam fits a reader, from its numbers: `55% of the exam is about “Enrol,
    /// configure …”, which you weighted highest; it covers 2 of your 2 responsibilities.`
    pub fn explain(
        self,
        score: &crate::domain::advice::Score,
        label: &dyn Fn(&crate::domain::Slug) -> String,
    ) -> String {
        let of = score.of;
        let covered = score.covered.len();
        let coverage = match (of, covered) {
            (1, 1) => self.phrase("explain-covers-one", &[]),
            (1, _) => self.phrase("explain-covers-none", &[]),
            _ => self.phrase("explain-covers", &[("covered", covered.into()), ("of", of.into())]),
        };
        match &score.focus {
            Some(focus) => {
                let weighted = if focus.highest {
                    self.phrase("explain-weighted-highest", &[])
                } else {
                    let emphasis = self.emphasis(focus.emphasis).to_lowercase();
                    self.phrase("explain-rated", &[("emphasis", emphasis.into())])
                };
                self.phrase(
                    "explain-focus",
                    &[
                        ("percent", format!("{:.0}", focus.share * 100.0).into()),
                        ("responsibility", label(&focus.responsibility).into()),
                        ("weighted", weighted.into()),
                        ("coverage", coverage.into()),
                    ],
                )
            }
            None => self.phrase("explain-nothing", &[]),
        }
    }

    /// The message an inquiry for a team's places starts with.
    pub fn places_message(self, people: u32) -> String {
        self.phrase("places-message", &[("people", people.into())])
    }

    /// The words of an emphasis: `A main part`.
    pub fn emphasis(self, emphasis: crate::domain::advice::Emphasis) -> &'static str {
        let t = self.ui().decide;
        match emphasis.get() {
            1 => t.emphasis_1,
            2 => t.emphasis_2,
            _ => t.emphasis_3,
        }
    }

    /// A mismatch of an assigned exam, explained.
    pub fn mismatch(
        self,
        assigned: &Code,
        mismatch: &crate::domain::advice::Mismatch,
        today: NaiveDate,
    ) -> String {
        use crate::domain::advice::Mismatch;
        let mut args = vec![("assigned", FluentValue::from(assigned.as_str()))];
        let id = match mismatch {
            Mismatch::Coverage { score, better, better_score } => {
                args.push(("score", whole(*score).into()));
                args.push(("better", better.as_str().into()));
                args.push(("better_score", whole(*better_score).into()));
                "mismatch-coverage"
            }
            Mismatch::Prerequisite { alternatives, unconfirmed } => {
                let codes: Vec<&str> = alternatives.iter().map(Code::as_str).collect();
                let many = codes.len() != 1;
                args.push(if many { ("codes", codes.join(", ").into()) } else { ("code", codes[0].into()) });
                match (many, *unconfirmed) {
                    (false, false) => "mismatch-prerequisite-one",
                    (true, false) => "mismatch-prerequisite-many",
                    (false, true) => "mismatch-prerequisite-one-unconfirmed",
                    (true, true) => "mismatch-prerequisite-many-unconfirmed",
                }
            }
            Mismatch::Lifecycle { lifecycle } => {
                let (on, successor, retiring) = match lifecycle {
                    Lifecycle::Retiring { on, successor } => (Some(*on), successor, true),
                    Lifecycle::Retired { on, successor } => (*on, successor, false),
                    Lifecycle::Beta | Lifecycle::Active => return String::new(),
                };
                if let Some(on) = on {
                    args.push(("date", self.date(on).into()));
                    let days = u32::try_from((on - today).num_days()).unwrap_or(0);
                    args.push(("days", self.days(days).into()));
                }
                if let Some(code) = successor {
                    args.push(("successor", code.as_str().into()));
                }
                match (retiring, on.is_some(), successor.is_some()) {
                    (true, _, false) => "mismatch-retiring",
                    (true, _, true) => "mismatch-retiring-successor",
                    (false, false, false) => "mismatch-retired",
                    (false, true, false) => "mismatch-retired-on",
                    (false, false, true) => "mismatch-retired-successor",
                    (false, true, true) => "mismatch-retired-on-successor",
                }
            }
        };
        self.phrase(id, &args)
    }
}

/// A score as pages show it: rounded half up, like `Score::points`.
fn whole(score: f64) -> u32 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0..=100, rounded")]
    let points = score.round().clamp(0.0, 100.0) as u32;
    points
}

/// The Related information of the reference answer, derived and worded.
#[cfg(test)]
mod related_tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::fixtures::*;
    use crate::domain::{Answer, Catalog, Choose, Status};

    fn derive(answer: &Answer, catalog: &Catalog, today: NaiveDate) -> Vec<WordedLine> {
        Lang::En.related(&RelatedInfo::derive(answer, catalog, today), "en")
    }

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

    fn texts(info: &[WordedLine]) -> Vec<&str> {
        info.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn reference_answer_lines_before_retirement() {
        let info = derive(&reference_answer(), &reference_catalog(), day("2026-11-26"));
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
        let info = derive(&reference_answer(), &reference_catalog(), day("2026-12-01"));
        let lifecycle = info.iter().find(|l| l.kind == RelatedKind::Lifecycle).unwrap();
        assert_eq!(lifecycle.text, "MD-102: active · MS-102: retired on 30 November 2026, successor AB-650");
    }

    #[test]
    fn a_price_change_changes_the_line() {
        let mut cat = reference_catalog();
        cat.courses.get_mut(&slug("ms-102-course")).unwrap().price =
            crate::domain::Money::parse("1450.50", "EUR").unwrap();
        let info = derive(&reference_answer(), &cat, day("2026-11-26"));
        assert_eq!(info[1].text, "MD-102: 5-day course, CHF 119 · MS-102: 5-day course, EUR 1,450.50");
    }

    #[test]
    fn zero_certifications_give_no_lines() {
        let info = derive(&answer(&[]), &reference_catalog(), day("2026-11-26"));
        assert!(info.is_empty());
    }

    #[test]
    fn three_certifications_give_three_sides_in_answer_order() {
        let mut cat = reference_catalog();
        let mut old = cert("ZZ-1", "legacy", &["Thing"]);
        old.vendor = "Other".into();
        old.status = Status::Retired;
        old.retires_on = Some(day("2001-06-30"));
        cat.certifications.insert(old.code.clone(), old);
        let info = derive(&answer(&["ZZ-1", "MS-102", "MD-102"]), &cat, day("2026-11-26"));
        assert_eq!(info[0].parts.len(), 3);
        assert_eq!(
            info[1].text,
            "ZZ-1: no course offered · MS-102: 5-day course, CHF 119 · MD-102: 5-day course, CHF 119"
        );
        assert_eq!(info[3].parts[0].text, "ZZ-1: retired on 30 June 2001");
        assert_eq!(info[0].text.matches(SEPARATOR).count(), 2);
    }

    #[test]
    fn the_shortest_then_cheapest_course_is_quoted() {
        let mut cat = reference_catalog();
        let extra = course("md-102-bootcamp", "MD-102", 3, "2900", "CHF");
        cat.courses.insert(extra.slug.clone(), extra);
        let info = derive(&answer(&["MD-102"]), &cat, day("2026-11-26"));
        assert_eq!(info[1].text, "MD-102: 3-day course, CHF 2,900");
    }
}
