//! The rules of consent, independent of cookies and HTTP: which categories a visitor
//! granted, what that allows on a page, what a decision revokes, and the notice text a
//! decision is recorded against.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::vocabulary::vocabulary;
use super::{ConsentCategory, ConsentService, Site, Vocabulary};

/// A decision lasts 180 days; after that the visitor is asked again.
pub const DECISION_LIFETIME_DAYS: i64 = 180;

/// How far in the future a signed time may be and still count: clocks of instances and
/// visitors' requests are not perfectly in step.
pub const CLOCK_SKEW_SECONDS: i64 = 300;

vocabulary!(ConsentCategory { Preferences => "preferences", Analytics => "analytics", Marketing => "marketing" });

impl ConsentCategory {
    fn bit(self) -> u8 {
        match self {
            ConsentCategory::Preferences => 1,
            ConsentCategory::Analytics => 2,
            ConsentCategory::Marketing => 4,
        }
    }
}

/// The non-essential categories a visitor granted. Necessary cookies are not a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Choices(u8);

impl Choices {
    pub const NONE: Choices = Choices(0);
    pub const ALL: Choices = Choices(7);

    pub fn of(categories: impl IntoIterator<Item = ConsentCategory>) -> Self {
        Choices(categories.into_iter().fold(0, |bits, c| bits | c.bit()))
    }

    pub fn grants(self, category: ConsentCategory) -> bool {
        self.0 & category.bit() != 0
    }

    pub fn granted(self) -> impl Iterator<Item = ConsentCategory> {
        ConsentCategory::ALL.iter().copied().filter(move |c| self.grants(*c))
    }

    /// What `self` granted that `next` does not.
    #[must_use]
    pub fn revoked_by(self, next: Choices) -> Choices {
        Choices(self.0 & !next.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// A compact form for the consent cookie: the first letters, `-` for none.
    pub fn code(self) -> String {
        let s: String = self.granted().map(|c| c.as_str().as_bytes()[0] as char).collect();
        if s.is_empty() { "-".to_owned() } else { s }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        if s == "-" {
            return Some(Choices::NONE);
        }
        s.chars()
            .map(|ch| ConsentCategory::ALL.iter().copied().find(|c| c.as_str().starts_with(ch)))
            .collect::<Option<Vec<_>>>()
            .map(Choices::of)
    }

    pub fn bits(self) -> u8 {
        self.0
    }
}

impl Serialize for Choices {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        for &c in ConsentCategory::ALL {
            map.serialize_entry(c.as_str(), &self.grants(c))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Choices {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, bool>::deserialize(d)?;
        Ok(Choices::of(map.into_iter().filter(|(_, v)| *v).filter_map(|(k, _)| ConsentCategory::parse(&k))))
    }
}

/// What a visitor did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    AcceptAll,
    RejectAll,
    Custom,
    Withdraw,
}

impl Action {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "accept_all" => Some(Action::AcceptAll),
            "reject_all" => Some(Action::RejectAll),
            "custom" => Some(Action::Custom),
            "withdraw" => Some(Action::Withdraw),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Action::AcceptAll => "accept_all",
            Action::RejectAll => "reject_all",
            Action::Custom => "custom",
            Action::Withdraw => "withdraw",
        }
    }

    /// The choices this action makes; `custom` takes the ticked categories.
    pub fn choices(self, ticked: Choices) -> Choices {
        match self {
            Action::AcceptAll => Choices::ALL,
            Action::RejectAll | Action::Withdraw => Choices::NONE,
            Action::Custom => ticked,
        }
    }
}

/// Where the decision was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Banner,
    Settings,
}

impl Channel {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "banner" => Some(Channel::Banner),
            "settings" => Some(Channel::Settings),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Banner => "banner",
            Channel::Settings => "settings",
        }
    }
}

/// A visitor's standing decision, as the consent cookie carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Random; identifies the visitor's decisions in the proof-of-consent log only.
    pub consent_id: String,
    pub policy_version: String,
    pub choices: Choices,
    /// Seconds since the Unix epoch.
    pub decided_at: i64,
}

/// Why a visitor with a cookie is asked again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// A current decision.
    Decided(Decision),
    /// No decision, or one that no longer counts (expired, unreadable).
    Undecided,
    /// A decision made under an earlier policy version.
    PolicyChanged { decided_under: String, consent_id: String },
}

impl Decision {
    /// Whether the decision still counts at `now` (seconds) under `policy_version`.
    /// A time so far from `now` that the age overflows is as stale as any other.
    pub fn standing(self, policy_version: &str, now: i64) -> Standing {
        let age = now.checked_sub(self.decided_at);
        if !age.is_some_and(|age| (-CLOCK_SKEW_SECONDS..=DECISION_LIFETIME_DAYS * 86_400).contains(&age)) {
            Standing::Undecided
        } else if self.policy_version != policy_version {
            Standing::PolicyChanged { decided_under: self.policy_version, consent_id: self.consent_id }
        } else {
            Standing::Decided(self)
        }
    }
}

/// What a visitor effectively allows: their decision; with none, `Sec-GPC: 1` and silence
/// both mean no.
pub fn effective_choices(standing: &Standing) -> Choices {
    match standing {
        Standing::Decided(d) => d.choices,
        Standing::Undecided | Standing::PolicyChanged { .. } => Choices::NONE,
    }
}

/// Whether to ask the visitor (show the banner): until they decide. `Sec-GPC: 1` is an
/// answer — no — so a visitor who sends it is not asked.
pub fn should_ask(standing: &Standing, gpc: bool) -> bool {
    !gpc && !matches!(standing, Standing::Decided(_))
}

/// The services a page may load for these choices.
pub fn granted_services(site: &Site, choices: Choices) -> impl Iterator<Item = &ConsentService> {
    site.services.iter().filter(move |s| choices.grants(s.category))
}

/// The third-party origins the Content-Security-Policy may allow for these choices:
/// exactly the hosts of the granted services.
pub fn allowed_hosts(site: &Site, choices: Choices) -> BTreeSet<&str> {
    granted_services(site, choices).flat_map(|s| s.hosts.iter().map(String::as_str)).collect()
}

/// The first-party cookies to expire when `revoked` categories are no longer granted: the
/// names the services declare, and those the visitor sent that extend a declared name
/// with a `.` suffix (as `_pk_id.1.abcd` extends `_pk_id`).
pub fn cookies_to_expire<'a>(site: &'a Site, revoked: Choices, sent: &[&'a str]) -> BTreeSet<&'a str> {
    let declared: Vec<&str> = site
        .services
        .iter()
        .filter(|s| revoked.grants(s.category))
        .flat_map(|s| s.cookies.iter().map(|c| c.name.as_str()))
        .collect();
    let extended = sent.iter().copied().filter(|name| {
        declared.iter().any(|d| name.strip_prefix(d).is_some_and(|rest| rest.starts_with('.')))
    });
    declared.iter().copied().chain(extended).collect()
}

/// The notice a decision is made against, as text: the policy version, the words the
/// banner and settings showed, and every service's category, purpose, cookies and hosts. Its hash is recorded with each
/// decision, so the exact words shown can be proven later.
pub fn notice_text(site: &Site, shown_words: &str) -> String {
    let mut out = format!("{}\npolicy {}\n{shown_words}\n", site.name, site.policy_version);
    for &category in ConsentCategory::ALL {
        let _ = writeln!(out, "[{}]", category.as_str());
        for s in site.services.iter().filter(|s| s.category == category) {
            let cookies: Vec<String> =
                s.cookies.iter().map(|c| format!("{} ({} days)", c.name, c.lifetime_days)).collect();
            let _ = writeln!(
                out,
                "{} ({}): {}; cookies: {}; hosts: {}",
                s.name,
                s.id,
                s.purpose,
                if cookies.is_empty() { "none".to_owned() } else { cookies.join(", ") },
                if s.hosts.is_empty() { "first party only".to_owned() } else { s.hosts.join(", ") }
            );
        }
    }
    out
}

/// Whether `return_to` is a path on this site (and not `//host`, `/\host` or a URL).
pub fn is_same_site_path(return_to: &str) -> bool {
    return_to.starts_with('/')
        && !return_to.starts_with("//")
        && !return_to.starts_with("/\\")
        && return_to.len() <= 2048
        && !return_to.chars().any(|c| c.is_control() || c == '\\')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{CookieSpec, Slug};

    fn site() -> Site {
        let service = |id: &str, category, host: &str, cookie: &str| ConsentService {
            id: Slug::parse(id).unwrap(),
            category,
            name: id.to_owned(),
            purpose: "p".into(),
            script_src: Some(format!("{host}/s.js")),
            hosts: vec![host.to_owned()],
            cookies: vec![CookieSpec { name: cookie.into(), lifetime_days: 30 }],
        };
        Site {
            name: "S".into(),
            base_url: "https://s.example".into(),
            default_locale: "en".into(),
            locales: vec!["en".into()],
            region: None,
            policy_version: "2".into(),
            services: vec![
                service("stats", ConsentCategory::Analytics, "https://stats.example", "_st"),
                service("ads", ConsentCategory::Marketing, "https://ads.example", "_ad"),
            ],
            brand: crate::domain::Brand::default(),
        }
    }

    fn decision(version: &str, at: i64) -> Decision {
        Decision {
            consent_id: "id".into(),
            policy_version: version.into(),
            choices: Choices::ALL,
            decided_at: at,
        }
    }

    #[test]
    fn choices_round_trip_through_their_code() {
        for bits in 0..8 {
            let c = Choices(bits);
            assert_eq!(Choices::from_code(&c.code()), Some(c));
        }
        assert_eq!(Choices::NONE.code(), "-");
        assert_eq!(Choices::ALL.code(), "pam");
        assert_eq!(Choices::from_code("x"), None);
    }

    #[test]
    fn a_decision_counts_for_180_days_under_its_policy() {
        let day = 86_400;
        assert!(matches!(decision("2", 0).standing("2", 180 * day), Standing::Decided(_)));
        assert_eq!(decision("2", 0).standing("2", 180 * day + 1), Standing::Undecided);
        assert!(matches!(decision("2", 300).standing("2", 0), Standing::Decided(_)), "a little clock skew");
        assert_eq!(decision("2", 301).standing("2", 0), Standing::Undecided, "from the future");
        assert_eq!(
            decision("1", 0).standing("2", day),
            Standing::PolicyChanged { decided_under: "1".into(), consent_id: "id".into() }
        );
    }

    #[test]
    fn a_decision_from_the_ends_of_time_is_stale_not_a_panic() {
        // Found by the consent_cookie fuzz target (fuzz/regressions/consent_cookie/).
        assert_eq!(decision("2", i64::MIN).standing("2", 1_795_651_200), Standing::Undecided);
        assert_eq!(decision("2", i64::MAX).standing("2", -1_795_651_200), Standing::Undecided);
    }

    #[test]
    fn nothing_is_granted_without_a_current_decision() {
        assert_eq!(effective_choices(&Standing::Undecided), Choices::NONE);
        let changed = Standing::PolicyChanged { decided_under: "1".into(), consent_id: "x".into() };
        assert_eq!(effective_choices(&changed), Choices::NONE);
    }

    #[test]
    fn visitors_are_asked_until_they_decide_unless_gpc_answered() {
        let changed = Standing::PolicyChanged { decided_under: "1".into(), consent_id: "x".into() };
        assert!(should_ask(&Standing::Undecided, false));
        assert!(should_ask(&changed, false));
        assert!(!should_ask(&Standing::Decided(decision("2", 0)), false));
        assert!(!should_ask(&Standing::Undecided, true));
        assert!(!should_ask(&changed, true));
    }

    #[test]
    fn hosts_are_exactly_those_of_granted_services() {
        let s = site();
        assert!(allowed_hosts(&s, Choices::NONE).is_empty());
        let analytics = Choices::of([ConsentCategory::Analytics]);
        assert_eq!(allowed_hosts(&s, analytics).into_iter().collect::<Vec<_>>(), ["https://stats.example"]);
        assert_eq!(allowed_hosts(&s, Choices::ALL).len(), 2);
    }

    #[test]
    fn revoking_expires_the_revoked_categories_cookies() {
        let s = site();
        let revoked = Choices::ALL.revoked_by(Choices::of([ConsentCategory::Analytics]));
        let sent = ["_ad.1.xyz", "_adx", "_st.2", "other"];
        assert_eq!(
            cookies_to_expire(&s, revoked, &sent).into_iter().collect::<Vec<_>>(),
            ["_ad", "_ad.1.xyz"]
        );
        assert!(cookies_to_expire(&s, Choices::NONE.revoked_by(Choices::ALL), &sent).is_empty());
    }

    #[test]
    fn actions_make_their_choices() {
        let ticked = Choices::of([ConsentCategory::Marketing]);
        assert_eq!(Action::AcceptAll.choices(ticked), Choices::ALL);
        assert_eq!(Action::RejectAll.choices(ticked), Choices::NONE);
        assert_eq!(Action::Withdraw.choices(ticked), Choices::NONE);
        assert_eq!(Action::Custom.choices(ticked), ticked);
    }

    #[test]
    fn notice_text_changes_with_what_is_shown() {
        let a = notice_text(&site(), "banner");
        let mut other = site();
        other.services[0].purpose = "q".into();
        assert_ne!(a, notice_text(&other, "banner"));
        assert_ne!(a, notice_text(&site(), "banner 2"));
    }

    #[test]
    fn return_to_must_be_a_path_on_this_site() {
        for ok in ["/", "/en/answers/x", "/en/answers/?page=2"] {
            assert!(is_same_site_path(ok), "{ok}");
        }
        for bad in [
            "",
            "https://evil.example/",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "en/x",
            "/a\nb",
            "/a\\b",
        ] {
            assert!(!is_same_site_path(bad), "{bad:?}");
        }
    }
}

/// One line of the proof-of-consent log. Holds no IP address and no user agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub record_id: String,
    pub consent_id: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub policy_version: String,
    /// SHA-256 (hex) of the notice text shown; the text itself is stored once by hash.
    pub notice_hash: String,
    pub locale: String,
    pub action: Action,
    pub choices: Choices,
    pub channel: Channel,
    pub javascript: bool,
    pub gpc: bool,
}
