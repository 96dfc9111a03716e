//! Money as a decimal amount and an ISO 4217 currency — never a float.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Money {
    /// A decimal string with at most two decimals, never a float.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, pattern = "^[0-9]+(\\.[0-9]{1,2})?$", example = "119.00")]
    pub amount: Decimal,
    /// ISO 4217.
    #[schema(pattern = "^[A-Z]{3}$", example = "CHF")]
    pub currency: String,
}

impl Money {
    /// Parses a decimal string with at most two decimals, zero or more.
    ///
    /// ```
    /// use certwise::domain::Money;
    /// assert_eq!(Money::parse("119.00", "CHF").unwrap().format("en"), "CHF 119.00");
    /// assert!(Money::parse("1.005", "CHF").is_err());
    /// ```
    pub fn parse(amount: &str, currency: &str) -> Result<Self, String> {
        let well_formed = {
            let (int, frac) = amount.split_once('.').unwrap_or((amount, ""));
            !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
                && (amount.contains('.') != frac.is_empty())
        };
        if !well_formed {
            return Err(format!("`{amount}` is not a price: expected a decimal string such as \"119.00\""));
        }
        if amount.split_once('.').is_some_and(|(_, frac)| frac.len() > 2) {
            return Err(format!("`{amount}` has more than two decimals"));
        }
        // 26 integer digits and two decimals are far beyond any price and still within what a
        // `Decimal` holds exactly (it would round longer numbers instead of refusing them).
        let int_digits = amount.split('.').next().unwrap_or_default().trim_start_matches('0').len();
        let value = (int_digits <= 26).then(|| amount.parse::<Decimal>().ok()).flatten();
        let Some(value) = value else {
            return Err(format!("`{amount}` is too large to be a price"));
        };
        if !(currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(format!(
                "`{currency}` is not an ISO 4217 currency code: expected three upper-case letters, like \"CHF\""
            ));
        }
        Ok(Self { amount: value, currency: currency.to_owned() })
    }

    /// The amount as a locale writes prices in full. `tag` is a language with an optional
    /// region (`en`, `de-CH`, the site's locale and `region`): `CHF 1,190.00` in English,
    /// `CHF 1’190.00` in Swiss English, `CHF 1’190.–` in Swiss German and
    /// `CHF 1\u{202f}190.–` in Swiss French for whole amounts, `1.190,00 CHF` in German and
    /// `1\u{202f}190,00 CHF` in French elsewhere.
    pub fn format(&self, tag: &str) -> String {
        let style = Style::of(tag);
        let (int, cents) = self.split();
        let number = if cents == 0 && style.dash {
            format!("{}{}–", group_thousands(&int, style.group), style.decimal)
        } else {
            format!("{}{}{cents:02}", group_thousands(&int, style.group), style.decimal)
        };
        style.place(&self.currency, &number)
    }

    /// The amount as a side-by-side line writes it: whole amounts without decimals
    /// (`CHF 119`), others with two (`CHF 119.50`), grouped as [`Money::format`] groups.
    pub fn format_short(&self, tag: &str) -> String {
        let style = Style::of(tag);
        let (int, cents) = self.split();
        let int = group_thousands(&int, style.group);
        let number = if cents == 0 { int } else { format!("{int}{}{cents:02}", style.decimal) };
        style.place(&self.currency, &number)
    }

    /// The amount with exactly two decimals and no grouping, as schema.org wants it.
    pub fn plain(&self) -> String {
        let (int, cents) = self.split();
        format!("{int}.{cents:02}")
    }

    fn split(&self) -> (String, u32) {
        let rounded = self.amount.round_dp(2);
        let int = rounded.trunc();
        let cents = ((rounded - int) * Decimal::ONE_HUNDRED).trunc();
        let cents = u32::try_from(cents.mantissa()).unwrap_or(0);
        (int.abs().to_string(), cents)
    }
}

/// How a language and region write an amount.
struct Style {
    group: &'static str,
    decimal: char,
    /// `119.–` for whole amounts, as Swiss German, French and Italian write prices.
    dash: bool,
    currency_first: bool,
}

impl Style {
    fn of(tag: &str) -> Self {
        let (language, region) = tag.split_once('-').map_or((tag, None), |(l, r)| (l, Some(r)));
        let swiss = matches!(region, Some("CH" | "LI"));
        match (language, swiss) {
            ("fr", true) => Style { group: "\u{202f}", decimal: '.', dash: true, currency_first: true },
            (_, true) => Style { group: "’", decimal: '.', dash: language != "en", currency_first: true },
            ("de", false) => Style { group: ".", decimal: ',', dash: false, currency_first: false },
            ("fr", false) => Style { group: "\u{202f}", decimal: ',', dash: false, currency_first: false },
            _ => Style { group: ",", decimal: '.', dash: false, currency_first: true },
        }
    }

    fn place(&self, currency: &str, number: &str) -> String {
        if self.currency_first { format!("{currency} {number}") } else { format!("{number}\u{a0}{currency}") }
    }
}

fn group_thousands(digits: &str, sep: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * sep.len());
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        let _ = write!(out, "{ch}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chf(s: &str) -> Money {
        Money::parse(s, "CHF").unwrap()
    }

    #[test]
    fn english_writes_two_decimals_and_commas() {
        assert_eq!(chf("119.00").format("en"), "CHF 119.00");
        assert_eq!(chf("1190.5").format("en"), "CHF 1,190.50");
        assert_eq!(chf("1234567").format("en"), "CHF 1,234,567.00");
        assert_eq!(chf("0").format("en"), "CHF 0.00");
    }

    #[test]
    fn swiss_locales_write_a_dash_for_whole_amounts_except_in_english() {
        assert_eq!(chf("119.00").format("de-CH"), "CHF 119.–");
        assert_eq!(chf("1190.50").format("de-CH"), "CHF 1’190.50");
        assert_eq!(chf("1190").format("fr-CH"), "CHF 1\u{202f}190.–");
        assert_eq!(chf("119.00").format("en-CH"), "CHF 119.00");
        assert_eq!(chf("1190").format("en-CH"), "CHF 1’190.00");
    }

    #[test]
    fn without_a_swiss_region_german_and_french_put_the_currency_last() {
        assert_eq!(chf("1190.5").format("de"), "1.190,50\u{a0}CHF");
        assert_eq!(Money::parse("119", "EUR").unwrap().format("fr"), "119,00\u{a0}EUR");
        assert_eq!(chf("2500").format_short("de-AT"), "2.500\u{a0}CHF");
    }

    #[test]
    fn short_form_drops_zero_cents() {
        assert_eq!(chf("119.00").format_short("en"), "CHF 119");
        assert_eq!(chf("119.05").format_short("en"), "CHF 119.05");
        assert_eq!(chf("1190").format_short("de-CH"), "CHF 1’190");
        assert_eq!(Money::parse("2500", "EUR").unwrap().format_short("en"), "EUR 2,500");
    }

    #[test]
    fn plain_is_for_machines() {
        assert_eq!(chf("119").plain(), "119.00");
        assert_eq!(chf("0.5").plain(), "0.50");
    }

    #[test]
    fn parse_rejects_what_is_not_a_price() {
        for bad in ["", "-1", "1.005", "1e3", "1,00", "12.", ".5", " 1", "abc", "NaN"] {
            assert!(Money::parse(bad, "CHF").is_err(), "{bad:?}");
        }
        for bad in ["chf", "CH", "CHFF", "€"] {
            assert!(Money::parse("1", bad).is_err(), "{bad:?}");
        }
        assert!(Money::parse("99999999999999999999999999999999", "CHF").is_err());
    }

    #[test]
    fn decimals_are_exact() {
        // 0.1 + 0.2 is 0.3 here, as money must be.
        let sum = chf("0.10").amount + chf("0.20").amount;
        assert_eq!(Money { amount: sum, currency: "CHF".into() }.format("en"), "CHF 0.30");
    }
}
