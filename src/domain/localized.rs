//! The text of a catalog field in a locale: one home for the rule that every page, the
//! Related information and the API follow.
//!
//! The catalog's own fields (`title`, `scope`, a responsibility's `label`, …) are written
//! in the site's default locale, English in the sample. A page in another locale shows
//! the field's translation (`[translations.<locale>]`, or `label_<locale>` for a
//! responsibility) when the content has one, and otherwise the default locale's text,
//! marked with that locale so that the page can say so (`<span lang="en">`): a screen
//! reader then reads it with the right voice, and a reader sees why it is not translated.
//! A page in the default locale shows the field itself, unmarked.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Catalog, Certification, Course, Responsibility, Site, Slug, Topic};

/// The locale a page is written in, and the locale the catalog's own fields are written
/// in (`site.toml`'s `default_locale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Locales<'a> {
    pub page: &'a str,
    pub base: &'a str,
    /// The site's region (`CH`), which with the page's language says how prices are
    /// written.
    pub region: Option<&'a str>,
}

impl<'a> Locales<'a> {
    /// A page in `page` on this site.
    pub fn of(site: &'a Site, page: &'a str) -> Self {
        Self { page, base: &site.default_locale, region: site.region.as_deref() }
    }

    /// How prices are written on the page: its language with the site's region (`de-CH`),
    /// for `Money::format`.
    pub fn money_tag(self) -> String {
        match self.region {
            Some(region) => format!("{}-{region}", self.page),
            None => self.page.to_owned(),
        }
    }

    /// Whether the page is in the catalog's own language, so nothing is translated.
    pub fn is_base(self) -> bool {
        self.page == self.base
    }
}

/// A field's text as a page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Localized<'a> {
    pub text: &'a str,
    /// `Some(default locale)` when the text is the default locale's, standing in for a
    /// missing translation; `None` when it is in the page's own language.
    pub lang: Option<&'a str>,
}

impl<'a> Localized<'a> {
    /// The field `base` in `locales.page`: `translation` when the page is not in the
    /// default locale and there is one, otherwise `base`, marked unless the page is in
    /// the default locale.
    pub fn pick(base: &'a str, translation: Option<&'a str>, locales: Locales<'a>) -> Self {
        if locales.is_base() {
            return Self { text: base, lang: None };
        }
        match translation {
            Some(text) => Self { text, lang: None },
            None => Self { text: base, lang: Some(locales.base) },
        }
    }
}

impl std::fmt::Display for Localized<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text)
    }
}

/// `[translations.<locale>]` of a certification: every field optional. When present,
/// `roles` has as many entries as the certification's own, in the same order (the
/// content check enforces it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CertificationText {
    pub title: Option<String>,
    pub scope: Option<String>,
    pub summary: Option<String>,
    pub roles: Option<Vec<String>>,
}

/// `[translations.<locale>]` of a course.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CourseText {
    pub title: Option<String>,
    pub price_note: Option<String>,
}

/// `[translations.<locale>]` of a topic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TopicText {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// Translations by locale, as records hold them.
pub type Translations<T> = BTreeMap<String, T>;

fn field<'a, T>(
    translations: &'a Translations<T>,
    locales: Locales<'_>,
    get: impl Fn(&'a T) -> Option<&'a String>,
) -> Option<&'a str> {
    translations.get(locales.page).and_then(get).map(String::as_str)
}

impl Certification {
    pub fn title_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        Localized::pick(&self.title, field(&self.translations, locales, |t| t.title.as_ref()), locales)
    }

    pub fn scope_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        Localized::pick(&self.scope, field(&self.translations, locales, |t| t.scope.as_ref()), locales)
    }

    pub fn summary_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        Localized::pick(&self.summary, field(&self.translations, locales, |t| t.summary.as_ref()), locales)
    }

    /// The roles, each translated when the locale translates `roles` (a translation that
    /// does not have one entry per role, which the content check refuses, is ignored).
    pub fn roles_in<'a>(&'a self, locales: Locales<'a>) -> Vec<Localized<'a>> {
        let translated = self
            .translations
            .get(locales.page)
            .and_then(|t| t.roles.as_ref())
            .filter(|roles| roles.len() == self.roles.len());
        self.roles
            .iter()
            .enumerate()
            .map(|(i, role)| Localized::pick(role, translated.map(|t| t[i].as_str()), locales))
            .collect()
    }
}

impl Course {
    pub fn title_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        Localized::pick(&self.title, field(&self.translations, locales, |t| t.title.as_ref()), locales)
    }

    /// The price note, when the course has one.
    pub fn price_note_in<'a>(&'a self, locales: Locales<'a>) -> Option<Localized<'a>> {
        let note = self.price_note.as_deref()?;
        Some(Localized::pick(note, field(&self.translations, locales, |t| t.price_note.as_ref()), locales))
    }
}

impl Topic {
    pub fn title_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        Localized::pick(&self.title, field(&self.translations, locales, |t| t.title.as_ref()), locales)
    }

    /// The description; an empty one stays empty and unmarked.
    pub fn description_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        if self.description.is_empty() {
            return Localized { text: "", lang: None };
        }
        let translation = field(&self.translations, locales, |t| t.description.as_ref());
        Localized::pick(&self.description, translation, locales)
    }
}

impl Responsibility {
    pub fn label_in<'a>(&'a self, locales: Locales<'a>) -> Localized<'a> {
        Localized::pick(&self.label, self.translations.get(locales.page).map(String::as_str), locales)
    }
}

impl Catalog {
    /// A page in `locale` on this catalog's site.
    pub fn locales<'a>(&'a self, locale: &'a str) -> Locales<'a> {
        Locales::of(&self.site, locale)
    }

    /// A responsibility's label in the page's locale, or its id when the catalog has no
    /// responsibility of that id.
    pub fn responsibility_label<'a>(&'a self, locales: Locales<'a>, id: &'a Slug) -> Localized<'a> {
        self.responsibilities
            .iter()
            .find(|r| &r.id == id)
            .map_or(Localized { text: id.as_str(), lang: None }, |r| r.label_in(locales))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    const DE: Locales<'static> = Locales { page: "de", base: "en", region: None };
    const FR: Locales<'static> = Locales { page: "fr", base: "en", region: None };
    const EN: Locales<'static> = Locales { page: "en", base: "en", region: None };

    fn translated(text: &str) -> Localized<'_> {
        Localized { text, lang: None }
    }

    fn stand_in(text: &str) -> Localized<'_> {
        Localized { text, lang: Some("en") }
    }

    fn md_102() -> Certification {
        let mut cert = fixtures::cert("MD-102", "endpoint management", &["Intune"]);
        cert.title = "Endpoint Administrator".into();
        cert.roles = vec!["Endpoint administrator".into(), "Desktop support".into()];
        cert.translations.insert(
            "de".into(),
            CertificationText {
                scope: Some("Endpunktverwaltung".into()),
                roles: Some(vec!["Endpoint-Administrator".into(), "Desktop-Support".into()]),
                ..CertificationText::default()
            },
        );
        cert
    }

    #[test]
    fn a_translated_field_is_in_the_page_language_and_unmarked() {
        let cert = md_102();
        assert_eq!(cert.scope_in(DE), translated("Endpunktverwaltung"));
        assert_eq!(cert.roles_in(DE), [translated("Endpoint-Administrator"), translated("Desktop-Support")]);
    }

    #[test]
    fn an_untranslated_field_is_the_default_locale_text_marked_with_it() {
        let cert = md_102();
        assert_eq!(cert.title_in(DE), stand_in("Endpoint Administrator"), "de translates scope, not title");
        assert_eq!(cert.scope_in(FR), stand_in("endpoint management"), "no French at all");
        assert_eq!(cert.roles_in(FR), [stand_in("Endpoint administrator"), stand_in("Desktop support")]);
        let base_de = Locales { page: "de", base: "de", region: None };
        assert_eq!(cert.title_in(base_de), translated("Endpoint Administrator"), "the base is never marked");
    }

    #[test]
    fn a_page_in_the_default_locale_shows_the_fields_themselves() {
        let mut cert = md_102();
        // Even a (refused) translation into the default locale is not used.
        cert.translations.insert(
            "en".into(),
            CertificationText { scope: Some("other".into()), ..CertificationText::default() },
        );
        assert_eq!(cert.scope_in(EN), translated("endpoint management"));
        assert_eq!(cert.summary_in(EN).lang, None);
    }

    #[test]
    fn roles_of_another_length_are_not_paired_up() {
        let mut cert = md_102();
        cert.roles.push("Third".into());
        assert!(cert.roles_in(DE).iter().all(|r| r.lang == Some("en")), "{:?}", cert.roles_in(DE));
    }

    #[test]
    fn courses_topics_and_responsibilities() {
        let mut course = fixtures::course("c", "MD-102", 5, "119.00", "CHF");
        course.title = "MD-102: Endpoint Administrator".into();
        assert_eq!(course.price_note_in(DE), None, "no note, nothing to show");
        course.price_note = Some("per participant".into());
        course.translations.insert(
            "de".into(),
            CourseText { price_note: Some("pro Person".into()), ..CourseText::default() },
        );
        assert_eq!(course.price_note_in(DE), Some(translated("pro Person")));
        assert_eq!(course.title_in(DE), stand_in("MD-102: Endpoint Administrator"));
        assert_eq!(course.price_note_in(FR), Some(stand_in("per participant")));

        let mut topic = Topic {
            slug: fixtures::slug("azure"),
            title: "Azure".into(),
            description: String::new(),
            translations: Translations::new(),
        };
        topic.translations.insert("fr".into(), TopicText { title: Some("Azure".into()), description: None });
        assert_eq!(topic.title_in(FR), translated("Azure"));
        assert_eq!(topic.description_in(FR), translated(""), "an empty description is never marked");
        topic.description = "Answers about Azure.".into();
        assert_eq!(topic.description_in(FR), stand_in("Answers about Azure."));

        let r = Responsibility {
            id: fixtures::slug("device-fleet"),
            label: "Manage devices".into(),
            translations: [("de".to_owned(), "Geräte verwalten".to_owned())].into(),
        };
        assert_eq!(r.label_in(DE), translated("Geräte verwalten"));
        assert_eq!(r.label_in(FR), stand_in("Manage devices"));
        assert_eq!(r.label_in(EN), translated("Manage devices"));
    }

    #[test]
    fn a_catalog_labels_responsibilities_and_titles_certification_topics_in_every_locale() {
        let mut catalog = fixtures::catalog(vec![md_102(), fixtures::cert("MS-102", "tenant", &[])], vec![]);
        catalog.site.locales = vec!["en".into(), "de".into(), "fr".into()];
        catalog.responsibilities = vec![Responsibility {
            id: fixtures::slug("device-fleet"),
            label: "Manage devices".into(),
            translations: [("de".to_owned(), "Geräte verwalten".to_owned())].into(),
        }];
        let (fleet, unknown) = (fixtures::slug("device-fleet"), fixtures::slug("no-such-thing"));
        assert_eq!(catalog.responsibility_label(DE, &fleet), translated("Geräte verwalten"));
        assert_eq!(catalog.responsibility_label(FR, &fleet), stand_in("Manage devices"));
        assert_eq!(
            catalog.responsibility_label(DE, &unknown),
            translated("no-such-thing"),
            "an id is no English"
        );

        let mut md = md_102();
        md.translations.get_mut("de").unwrap().title = Some("Endpunktadministrator".into());
        catalog.certifications.insert(md.code.clone(), md);
        let topic = catalog.topic(&fixtures::slug("md-102"));
        assert_eq!(topic.title_in(DE), translated("MD-102"), "a code reads the same in every language");
        assert_eq!(topic.title_in(FR), translated("MD-102"));
        assert_eq!(topic.description_in(DE), translated("MD-102: Endpunktadministrator"));
        assert_eq!(topic.description_in(FR), stand_in("MD-102: Endpoint Administrator"));
        assert_eq!(
            catalog.topic(&fixtures::slug("ms-102")).description_in(DE),
            stand_in("MS-102: MS-102 title")
        );
        let plain = catalog.topic(&fixtures::slug("endpoint-administrator"));
        assert_eq!(plain.title_in(DE), stand_in("Endpoint administrator"), "made from the slug, in English");
    }

    #[test]
    fn it_displays_as_its_text() {
        assert_eq!(stand_in("endpoint management").to_string(), "endpoint management");
    }
}
