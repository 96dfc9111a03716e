//! Where a certification stands in its life on a given day.

use chrono::NaiveDate;
use serde::Serialize;

use super::vocabulary::vocabulary;
use super::{Certification, Code, Status};

/// The four states of [`Lifecycle`] without their data: the words of the catalog's
/// status filter, the API and the badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LifecycleStatus {
    Beta,
    Active,
    Retiring,
    Retired,
}

vocabulary!(LifecycleStatus { Beta => "beta", Active => "active", Retiring => "retiring", Retired => "retired" });

/// The lifecycle of a certification on one day. `Retiring` is never recorded by an
/// editor: it is what an active exam with a future `retires_on` is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Lifecycle {
    Beta,
    Active,
    Retiring {
        on: NaiveDate,
        #[schema(required = true)]
        successor: Option<Code>,
    },
    Retired {
        #[schema(required = true)]
        on: Option<NaiveDate>,
        #[schema(required = true)]
        successor: Option<Code>,
    },
}

impl Lifecycle {
    /// The rule of CONTENT.md: on day `today`, `retired` if `status = "retired"` or
    /// `retires_on <= today`; `retiring` if `retires_on > today`; otherwise `status`.
    pub fn of(cert: &Certification, today: NaiveDate) -> Self {
        let successor = cert.successor.clone();
        match (cert.status, cert.retires_on) {
            (Status::Retired, on) => Lifecycle::Retired { on, successor },
            (_, Some(on)) if Self::is_retired(cert, today) => Lifecycle::Retired { on: Some(on), successor },
            (_, Some(on)) => Lifecycle::Retiring { on, successor },
            (Status::Beta, None) => Lifecycle::Beta,
            (Status::Active, None) => Lifecycle::Active,
        }
    }

    /// Whether `cert` is retired on `today` (the first half of the rule of [`Lifecycle::of`]),
    /// without building the lifecycle: what a pass over a whole catalog asks.
    pub fn is_retired(cert: &Certification, today: NaiveDate) -> bool {
        cert.status == Status::Retired || cert.retires_on.is_some_and(|on| on <= today)
    }

    /// The state without its data.
    pub fn status(&self) -> LifecycleStatus {
        match self {
            Lifecycle::Beta => LifecycleStatus::Beta,
            Lifecycle::Active => LifecycleStatus::Active,
            Lifecycle::Retiring { .. } => LifecycleStatus::Retiring,
            Lifecycle::Retired { .. } => LifecycleStatus::Retired,
        }
    }

    /// The status worth flagging beside a certification's name in a list: anything but
    /// plain `active`.
    pub fn badge(&self) -> Option<LifecycleStatus> {
        Some(self.status()).filter(|s| *s != LifecycleStatus::Active)
    }

    pub fn successor(&self) -> Option<&Code> {
        match self {
            Lifecycle::Retiring { successor, .. } | Lifecycle::Retired { successor, .. } => {
                successor.as_ref()
            }
            Lifecycle::Beta | Lifecycle::Active => None,
        }
    }

    /// The retirement date of a retiring exam, or of a retired one when it is known.
    pub fn retirement_date(&self) -> Option<NaiveDate> {
        match self {
            Lifecycle::Retiring { on, .. } | Lifecycle::Retired { on: Some(on), .. } => Some(*on),
            _ => None,
        }
    }

    /// Days until the retirement when it is `within` days or fewer away (0 never occurs:
    /// on the day itself the exam is retired).
    pub fn days_left(&self, today: NaiveDate, within: i64) -> Option<i64> {
        match self {
            Lifecycle::Retiring { on, .. } => Some((*on - today).num_days()).filter(|d| *d <= within),
            _ => None,
        }
    }

    /// Whether readers should be warned (retiring or retired).
    pub fn needs_notice(&self) -> bool {
        matches!(self, Lifecycle::Retiring { .. } | Lifecycle::Retired { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Code, Level};

    fn cert(status: Status, retires_on: Option<NaiveDate>) -> Certification {
        Certification {
            code: Code::parse("MS-102").unwrap(),
            vendor: "Microsoft".into(),
            title: "t".into(),
            credential: "c".into(),
            level: Level::Expert,
            scope: "s".into(),
            summary: String::new(),
            technologies: vec![],
            roles: vec![],
            prerequisites: crate::domain::Prerequisites::default(),
            status,
            retires_on,
            successor: Some(Code::parse("AB-650").unwrap()),
            exam_minutes: None,
            uncertain: vec![],
            domains: vec![],
            sources: vec![],
            translations: crate::domain::Translations::new(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn future_retirement_is_retiring_and_names_the_successor() {
        let c = cert(Status::Active, Some(day("2026-11-30")));
        let l = Lifecycle::of(&c, day("2026-11-29"));
        assert_eq!(l.status(), LifecycleStatus::Retiring);
        assert_eq!(l.successor().unwrap().as_str(), "AB-650");
    }

    #[test]
    fn retirement_day_itself_is_retired() {
        let c = cert(Status::Active, Some(day("2026-11-30")));
        assert_eq!(Lifecycle::of(&c, day("2026-11-30")).status(), LifecycleStatus::Retired);
        assert_eq!(Lifecycle::of(&c, day("2030-01-01")).status(), LifecycleStatus::Retired);
    }

    #[test]
    fn recorded_retired_status_wins_even_without_a_date() {
        let c = cert(Status::Retired, None);
        assert_eq!(
            Lifecycle::of(&c, day("2000-01-01")),
            Lifecycle::Retired { on: None, successor: Some(Code::parse("AB-650").unwrap()) }
        );
    }

    #[test]
    fn only_plain_active_goes_without_a_badge() {
        assert_eq!(Lifecycle::Active.badge(), None);
        assert_eq!(Lifecycle::Beta.badge(), Some(LifecycleStatus::Beta));
        let c = cert(Status::Active, Some(day("2026-11-30")));
        assert_eq!(Lifecycle::of(&c, day("2026-11-29")).badge(), Some(LifecycleStatus::Retiring));
    }

    #[test]
    fn no_date_keeps_the_recorded_status() {
        assert_eq!(Lifecycle::of(&cert(Status::Beta, None), day("2026-01-01")), Lifecycle::Beta);
        assert_eq!(Lifecycle::of(&cert(Status::Active, None), day("2026-01-01")), Lifecycle::Active);
    }

    #[test]
    fn beta_with_a_future_date_is_retiring() {
        let c = cert(Status::Beta, Some(day("2027-01-01")));
        assert_eq!(Lifecycle::of(&c, day("2026-01-01")).status(), LifecycleStatus::Retiring);
    }

    #[test]
    fn days_left_counts_down_within_the_window() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let l = Lifecycle::of(&cert(Status::Active, Some(day("2026-11-30"))), day("2026-11-26"));
        assert_eq!(l.days_left(day("2026-11-26"), 30), Some(4));
        assert_eq!(l.days_left(day("2026-10-01"), 30), None, "60 days away");
        assert_eq!(Lifecycle::Active.days_left(day("2026-11-26"), 30), None);
        assert_eq!(l.retirement_date(), Some(day("2026-11-30")));
        assert_eq!(Lifecycle::Retired { on: None, successor: None }.retirement_date(), None);
    }
}
