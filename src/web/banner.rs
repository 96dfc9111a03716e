//! The consent banner and settings dialog as every page frame shows them: the view
//! model the templates read, built from the site's declared services and the visitor.

use crate::domain::Vocabulary;
use crate::domain::consent::{DECISION_LIFETIME_DAYS, granted_services};
use crate::domain::{ConsentCategory, Site};
use crate::i18n::{Lang, Ui};

use super::slots::{NONCE_SLOT, TOKEN_SLOT};
use super::visitor::Visitor;

/// One service as the settings list shows it.
#[derive(Debug)]
pub struct ServiceView {
    pub name: String,
    pub purpose: String,
    pub cookies: Vec<(String, u32)>,
    pub hosts: Vec<String>,
}

/// One category with its services.
#[derive(Debug)]
pub struct CategoryView {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub granted: bool,
    pub services: Vec<ServiceView>,
}

/// What the page frame needs to show the banner, the settings form and the granted
/// services' scripts.
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "independent flags the templates read")]
pub struct ConsentView {
    pub show_banner: bool,
    /// The policy version the visitor's last decision was made under, when it changed.
    pub changed_from: Option<String>,
    pub policy_version: String,
    pub nonce: &'static str,
    pub token: &'static str,
    pub return_to: String,
    pub settings_url: String,
    pub scripts: Vec<String>,
    pub categories: Vec<CategoryView>,
    pub decided: bool,
    pub gpc: bool,
    /// The consent cookie's name, for the list of necessary cookies.
    pub cookie_name: &'static str,
    pub lifetime_days: i64,
    /// The editors' area's session cookie's name, for the same list.
    pub session_cookie_name: &'static str,
    /// Whether the dialog is on this page (with the banner, except on the settings page).
    pub dialog: bool,
    /// Whether the enhancing script is (banner or settings page).
    pub load_script: bool,
}

/// The words of the banner and the settings a visitor reads before deciding, for the
/// notice text a decision is recorded against.
pub fn shown_words(ui: &Ui) -> String {
    let mut words = vec![ui.consent_title, ui.consent_text, ui.consent_necessary, ui.consent_necessary_text];
    for &c in ConsentCategory::ALL {
        let (name, description) = category_text(ui, c);
        words.extend([name, description]);
    }
    words.join("\n")
}

pub fn category_text(ui: &Ui, c: ConsentCategory) -> (&'static str, &'static str) {
    match c {
        ConsentCategory::Preferences => (ui.consent_preferences, ui.consent_preferences_text),
        ConsentCategory::Analytics => (ui.consent_analytics, ui.consent_analytics_text),
        ConsentCategory::Marketing => (ui.consent_marketing, ui.consent_marketing_text),
    }
}

impl ConsentView {
    pub fn new(site: &Site, locale: &str, path: &str, visitor: &Visitor) -> Self {
        let ui = Lang::of(locale).ui();
        let choices = visitor.choices();
        let categories = ConsentCategory::ALL
            .iter()
            .copied()
            .map(|c| {
                let (name, description) = category_text(ui, c);
                CategoryView {
                    id: c.as_str(),
                    name,
                    description,
                    granted: choices.grants(c),
                    services: site
                        .services
                        .iter()
                        .filter(|s| s.category == c)
                        .map(|s| ServiceView {
                            name: s.name.clone(),
                            purpose: s.purpose.clone(),
                            cookies: s.cookies.iter().map(|k| (k.name.clone(), k.lifetime_days)).collect(),
                            hosts: s.hosts.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        let settings_path = format!("/{locale}/cookies");
        let on_settings_page = path == settings_path;
        // The settings page is the whole choice; the banner would only repeat it.
        let show_banner = visitor.show_banner() && !on_settings_page;
        Self {
            show_banner,
            changed_from: visitor.policy_changed().map(str::to_owned),
            policy_version: site.policy_version.clone(),
            nonce: NONCE_SLOT.as_str(),
            token: TOKEN_SLOT.as_str(),
            return_to: path.to_owned(),
            settings_url: format!("{settings_path}?return_to={}", encode(path)),
            scripts: granted_services(site, choices).filter_map(|s| s.script_src.clone()).collect(),
            categories,
            decided: visitor.decided(),
            gpc: visitor.gpc,
            cookie_name: visitor.cookie_name(),
            lifetime_days: DECISION_LIFETIME_DAYS,
            session_cookie_name: visitor.session_cookie_name(),
            dialog: show_banner,
            load_script: show_banner || on_settings_page,
        }
    }
}

pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
