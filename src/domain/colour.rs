//! Colours as content writes them (`#0b5cab`, `#fc0`) and the WCAG contrast rule that
//! decides whether text on a colour stays readable.
//!
//! The brand's accent is used two ways by the pages: white text on it (buttons) and text
//! in it on white (links). Both read the same contrast, accent against white, so one
//! number decides whether the accent passes.

use std::fmt;

/// An sRGB colour, eight bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

/// The contrast that normal-size text needs (WCAG 2.x, success criterion 1.4.3, level AA).
pub const MIN_TEXT_CONTRAST: f64 = 4.5;

impl Colour {
    pub const WHITE: Self = Self { r: 0xff, g: 0xff, b: 0xff };
    pub const BLACK: Self = Self { r: 0, g: 0, b: 0 };

    /// Parses `#rrggbb` or `#rgb` (hex digits in either case).
    ///
    /// ```
    /// use certwise::domain::Colour;
    /// assert_eq!(Colour::parse("#FC0").unwrap().to_string(), "#ffcc00");
    /// assert!(Colour::parse("0b5cab").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, String> {
        let err =
            || format!("`{s}` is not a colour: expected `#rrggbb` or `#rgb` in hexadecimal, like `#0b5cab`");
        let hex = s.strip_prefix('#').filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit())).ok_or_else(err)?;
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).map_err(|_| err());
        match hex.len() {
            // `#abc` is `#aabbcc`: each digit doubled, which is the digit times 17.
            3 => Ok(Self { r: digit(0)? * 17, g: digit(1)? * 17, b: digit(2)? * 17 }),
            6 => {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| err());
                Ok(Self { r: byte(0)?, g: byte(2)?, b: byte(4)? })
            }
            _ => Err(err()),
        }
    }

    /// The relative luminance of WCAG 2.x: 0 for black, 1 for white.
    pub fn relative_luminance(self) -> f64 {
        fn linear(channel: u8) -> f64 {
            let c = f64::from(channel) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        }
        0.2126 * linear(self.r) + 0.7152 * linear(self.g) + 0.0722 * linear(self.b)
    }

    /// The WCAG contrast ratio of two colours, from 1 (equal) to 21 (black on white); the
    /// order of the two does not matter.
    ///
    /// ```
    /// use certwise::domain::Colour;
    /// let ratio = Colour::BLACK.contrast_with(Colour::WHITE);
    /// assert!((ratio - 21.0).abs() < 1e-9);
    /// ```
    pub fn contrast_with(self, other: Self) -> f64 {
        let (a, b) = (self.relative_luminance(), other.relative_luminance());
        let (lighter, darker) = if a >= b { (a, b) } else { (b, a) };
        (lighter + 0.05) / (darker + 0.05)
    }

    /// Whether text in this colour on white, and white text on it, meet
    /// [`MIN_TEXT_CONTRAST`].
    pub fn readable_with_white(self) -> bool {
        self.contrast_with(Self::WHITE) >= MIN_TEXT_CONTRAST
    }
}

impl fmt::Display for Colour {
    /// The normal form, `#rrggbb` in lower case.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ratio(a: &str, b: &str) -> f64 {
        Colour::parse(a).unwrap().contrast_with(Colour::parse(b).unwrap())
    }

    #[test]
    fn both_forms_parse_and_print_as_lower_case_rrggbb() {
        assert_eq!(Colour::parse("#0b5cab").unwrap(), Colour { r: 0x0b, g: 0x5c, b: 0xab });
        assert_eq!(Colour::parse("#0B5CAB").unwrap().to_string(), "#0b5cab");
        assert_eq!(Colour::parse("#fc0").unwrap().to_string(), "#ffcc00");
        assert_eq!(Colour::parse("#000").unwrap(), Colour::BLACK);
        assert_eq!(Colour::parse("#FFF").unwrap(), Colour::WHITE);
    }

    #[test]
    fn anything_else_is_refused_with_the_value_named() {
        for bad in [
            "", "#", "0b5cab", "#0b5ca", "#0b5cab0", "#ggg", "#0b5cag", "blue", "#+1a2b3", " #0b5cab", "#ffç",
        ] {
            let err = Colour::parse(bad).unwrap_err();
            assert!(err.contains(&format!("`{bad}`")), "{bad:?}: {err}");
        }
    }

    #[test]
    fn luminance_runs_from_black_to_white() {
        assert!(Colour::BLACK.relative_luminance().abs() < 1e-12);
        assert!((Colour::WHITE.relative_luminance() - 1.0).abs() < 1e-12);
        // The linear segment: 0x0a is below 0.04045 after scaling.
        let dark = Colour { r: 10, g: 10, b: 10 }.relative_luminance();
        assert!((dark - 10.0 / 255.0 / 12.92).abs() < 1e-12);
    }

    #[test]
    fn contrast_ratios_match_published_values() {
        // The ends of the scale, and the greys either side of 4.5:1 that contrast checkers
        // (WebAIM's among them) quote: #767676 passes at 4.54, #777777 fails at 4.48.
        assert!((ratio("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((ratio("#ffffff", "#ffffff") - 1.0).abs() < 1e-9);
        assert!((ratio("#767676", "#ffffff") - 4.54).abs() < 0.005);
        assert!((ratio("#777777", "#ffffff") - 4.48).abs() < 0.005);
        // The sample accent, and a yellow that white text cannot sit on.
        assert!((ratio("#0b5cab", "#ffffff") - 6.70).abs() < 0.005, "{}", ratio("#0b5cab", "#ffffff"));
        assert!((ratio("#ffcc00", "#ffffff") - 1.51).abs() < 0.005);
        // Symmetric.
        assert!((ratio("#ffffff", "#0b5cab") - ratio("#0b5cab", "#ffffff")).abs() < 1e-12);
    }

    #[test]
    fn readable_with_white_is_the_four_and_a_half_threshold() {
        assert!(Colour::parse("#0b5cab").unwrap().readable_with_white());
        assert!(
            Colour::parse("#767676").unwrap().readable_with_white(),
            "4.54:1, the lightest grey that passes"
        );
        assert!(!Colour::parse("#777777").unwrap().readable_with_white(), "4.48:1");
        assert!(!Colour::parse("#ffcc00").unwrap().readable_with_white());
        assert!(!Colour::WHITE.readable_with_white());
    }
}
