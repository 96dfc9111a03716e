//! The notices above an answer or a certification: a retirement (with the days left and
//! the successor linked when the catalog has it), and the staleness of an answer's text.

use chrono::NaiveDate;

use crate::domain::staleness::{FactChange, staleness};
use crate::domain::{Answer, Catalog, Certification, Lifecycle, LifecycleStatus};
use crate::i18n::Lang;

/// One notice, for `notice.html`.
#[derive(Debug)]
pub struct Notice {
    /// `retiring`, `retired` or `stale`: the style and the icon.
    pub kind: &'static str,
    pub heading: &'static str,
    pub text: String,
    /// The successor: its name, and its page when the catalog has it.
    pub successor: Option<(String, Option<String>)>,
}

impl Notice {
    pub fn icon(&self) -> &'static str {
        match self.kind {
            "stale" => "i",
            "retired" => "✕",
            _ => "!",
        }
    }
}

/// The retirement notice of a certification, if it is retiring or retired.
pub fn retirement(cert: &Certification, catalog: &Catalog, locale: &str, today: NaiveDate) -> Option<Notice> {
    let lang = Lang::of(locale);
    let ui = lang.ui();
    let lifecycle = Lifecycle::of(cert, today);
    let text = lang.retirement(&cert.code, &lifecycle, today)?;
    let (kind, heading) = match lifecycle.status() {
        LifecycleStatus::Retired => ("retired", ui.notice_retired),
        _ => ("retiring", ui.notice_retiring),
    };
    let successor = lifecycle.successor().map(|code| {
        let url =
            catalog.certification(code).map(|_| format!("/{locale}/certifications/{}", code.to_lowercase()));
        (code.to_string(), url)
    });
    Some(Notice { kind, heading, text, successor })
}

/// The notices of an answer: the staleness of its text first (derived by the rule of
/// `domain::staleness` from the `recorded` fact changes and the catalog's dates), then the
/// retirement of each certification it names.
pub fn of_answer(
    answer: &Answer,
    catalog: &Catalog,
    recorded: &[FactChange],
    today: NaiveDate,
) -> Vec<Notice> {
    let locale = answer.locale.as_str();
    let lang = Lang::of(locale);
    let money = catalog.site.money_tag(locale);
    let mut notices: Vec<Notice> = staleness(answer, catalog, recorded, today)
        .iter()
        .map(|change| Notice {
            kind: "stale",
            heading: lang.ui().notice_stale,
            text: lang.stale(change, &money),
            successor: None,
        })
        .collect();
    notices.extend(
        answer
            .certifications
            .iter()
            .filter_map(|code| catalog.certification(code))
            .filter_map(|cert| retirement(cert, catalog, locale, today)),
    );
    notices
}
