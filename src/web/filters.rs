//! Template filters. `codes` is how every page prints text that may hold an exam code:
//! escaped, with each code in an element the stylesheet keeps on one line, and the
//! hyphen of a number-word (`5-day`) made non-breaking, so neither splits across lines.

use std::fmt::{Display, Write as _};

use askama::filters::{Escaper, Html, Safe};

use crate::domain::{Localized, code_runs};
use crate::markdown::EXAM_CODE_CLASS;

/// Escaped text with its exam codes wrapped (`<span class="exam-code">MD-102</span>`).
#[allow(clippy::unnecessary_wraps)] // askama's filter signature
pub fn codes<T: Display>(value: T, _: &dyn askama::Values) -> askama::Result<Safe<String>> {
    Ok(Safe(marked(&value.to_string())))
}

/// What the `localized` filter takes: a [`Localized`], or a reference to one (a loop
/// variable, a field read through a reference).
pub trait AsLocalized {
    fn localized(&self) -> Localized<'_>;
}

impl AsLocalized for Localized<'_> {
    fn localized(&self) -> Localized<'_> {
        *self
    }
}

impl<T: AsLocalized + ?Sized> AsLocalized for &T {
    fn localized(&self) -> Localized<'_> {
        (**self).localized()
    }
}

/// A catalog field as [`codes`] prints it, inside `<span lang="…">` when it is the
/// default locale's text standing in for a missing translation.
#[allow(clippy::unnecessary_wraps)] // askama's filter signature
pub fn localized<T: AsLocalized>(value: T, _: &dyn askama::Values) -> askama::Result<Safe<String>> {
    Ok(Safe(localized_html(value.localized())))
}

/// The work of [`localized`], for view models that build HTML themselves.
pub fn localized_html(value: Localized<'_>) -> String {
    match value.lang {
        Some(lang) => format!(r#"<span lang="{}">{}</span>"#, marked(lang), marked(value.text)),
        None => marked(value.text),
    }
}

/// A message whose quoted values are in backticks (``no responsibility `x` ``), as the
/// checks word them: escaped, each quoted value in `<code>`, exam codes kept whole.
#[allow(clippy::unnecessary_wraps)] // askama's filter signature
pub fn quoted<T: Display>(value: T, _: &dyn askama::Values) -> askama::Result<Safe<String>> {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + 32);
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            escape(&mut out, part);
            out.push_str("</code>");
        } else {
            out.push_str(&marked(part));
        }
    }
    Ok(Safe(out))
}

/// The work of [`codes`], for view models that build HTML themselves.
pub fn marked(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for (is_code, run) in code_runs(text) {
        if is_code {
            let _ = write!(out, r#"<span class="{EXAM_CODE_CLASS}">"#);
            escape(&mut out, run);
            out.push_str("</span>");
        } else {
            escape(&mut out, &number_words_kept(run));
        }
    }
    out
}

fn escape(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = Html.write_escaped_str(&mut *out, text);
}

/// `5-day` → `5‑day` (U+2011, a hyphen that does not break): a number and its unit stay
/// together.
fn number_words_kept(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let breaks = |i: usize| {
        bytes[i] == b'-'
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
    };
    if !(0..bytes.len()).any(breaks) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in text.char_indices() {
        out.push(if breaks(i) { '\u{2011}' } else { c });
    }
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_wrapped_and_everything_else_escaped() {
        assert_eq!(
            marked("MD-102 <b> & \"MS-102\""),
            r#"<span class="exam-code">MD-102</span> &#60;b&#62; &#38; &#34;<span class="exam-code">MS-102</span>&#34;"#
        );
    }

    #[test]
    fn a_number_keeps_its_unit() {
        assert_eq!(marked("5-day course, x-ray, 2-3"), "5\u{2011}day course, x-ray, 2-3");
    }
}

#[cfg(test)]
mod localized_tests {
    use crate::domain::Localized;

    #[test]
    fn a_stand_in_is_marked_with_its_language_and_escaped() {
        let stand_in = Localized { text: "MD-102 <b>", lang: Some("en") };
        let by_reference = &stand_in;
        assert_eq!(
            super::localized(by_reference, &()).unwrap().0,
            r#"<span lang="en"><span class="exam-code">MD-102</span> &#60;b&#62;</span>"#
        );
        let translated = Localized { text: "Endpunktverwaltung", lang: None };
        assert_eq!(super::localized(translated, &()).unwrap().0, "Endpunktverwaltung");
    }
}

#[cfg(test)]
mod quoted_tests {
    #[test]
    fn quoted_values_become_code_and_stay_escaped() {
        let html = super::quoted("no responsibility `<x>` for MD-102", &()).unwrap().0;
        assert_eq!(
            html,
            r#"no responsibility <code>&#60;x&#62;</code> for <span class="exam-code">MD-102</span>"#
        );
    }
}
