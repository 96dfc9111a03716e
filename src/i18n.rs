//! Languages: interface phrases, dates and the wording of derived facts.
//!
//! English is complete; German and French fall back to English phrases until their
//! translations land (capability 7), but dates and money are already written as each
//! locale writes them, and every page takes its locale from the path.

use chrono::{Datelike, NaiveDate};

use crate::domain::{Code, Lifecycle, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
    Fr,
}

const MONTHS_EN: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
];
const MONTHS_FR: [&str; 12] = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
];

impl Lang {
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

    pub fn scope(self, scope: &str) -> String {
        format!("{scope} scope")
    }

    pub fn course(self, days: u32, price: &Money) -> String {
        format!("{days}-day course, {}", price.format_short(self.code()))
    }

    pub fn no_course(self) -> &'static str {
        "no course offered"
    }

    pub fn choose(self, code: &Code, when: &str) -> String {
        format!("Choose {code} if: {when}")
    }

    /// `active`, `beta`, `retiring on 30 November 2026, successor AB-650`, `retired`.
    pub fn lifecycle(self, lifecycle: &Lifecycle) -> String {
        let successor = |s: Option<&Code>| s.map(|c| format!(", successor {c}")).unwrap_or_default();
        match lifecycle {
            Lifecycle::Beta => "beta".to_owned(),
            Lifecycle::Active => "active".to_owned(),
            Lifecycle::Retiring { on, successor: s } => {
                format!("retiring on {}{}", self.date(*on), successor(s.as_ref()))
            }
            Lifecycle::Retired { on: Some(on), successor: s } => {
                format!("retired on {}{}", self.date(*on), successor(s.as_ref()))
            }
            Lifecycle::Retired { on: None, successor: s } => {
                format!("retired{}", successor(s.as_ref()))
            }
        }
    }

    pub fn level(self, level: crate::domain::Level) -> &'static str {
        use crate::domain::Level;
        match level {
            Level::Fundamentals => "Fundamentals",
            Level::Associate => "Associate",
            Level::Professional => "Professional",
            Level::Expert => "Expert",
            Level::Specialty => "Specialty",
        }
    }

    pub fn delivery(self, delivery: crate::domain::Delivery) -> &'static str {
        use crate::domain::Delivery;
        match delivery {
            Delivery::Classroom => "Classroom",
            Delivery::Virtual => "Virtual classroom",
            Delivery::SelfPaced => "Self-paced",
        }
    }

    /// The language's own name, for session languages.
    pub fn language_name(self, code: &str) -> String {
        match code {
            "en" => "English".to_owned(),
            "de" => "German".to_owned(),
            "fr" => "French".to_owned(),
            "it" => "Italian".to_owned(),
            other => other.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
