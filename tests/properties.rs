//! Property tests: rules that must hold for every input, not just the examples the unit
//! tests pick. Each property names its rule in a comment; the expected values are computed
//! here from the rule (a regex, a string model, a re-statement of RFC 9110), never by
//! calling the code under test a second way.
//!
//! Case counts are modest so the file runs in a few seconds in a debug build. Failure
//! persistence is off (no `proptest-regressions/` files appear next to this file); a
//! failing case is printed with its minimal input. The first run found four faults, each
//! now fixed and kept here as the property that found it: prices with more digits than a
//! `Decimal` holds were rounded, a forged form-token time overflowed, `Q=0` was read as
//! q=1, and overlapping slot matches split a body out of order. The sanitiser's property
//! (issue 14) found one more: a single ammonia pass could leave a `p` inside a `p` (after
//! unwrapping a `<button>`) or a leading byte-order mark, which the next parse changes;
//! `markdown::sanitize` now cleans to a fixed point.

use proptest::prelude::*;

/// A config with `cases` cases and no regression files.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Strings that hit the edges more often than `any::<String>()` does: the given alphabet
/// (as a regex character class body) in short runs, or anything at all.
fn arbitrary_or(class: &str, max: usize) -> BoxedStrategy<String> {
    prop_oneof![
        2 => proptest::string::string_regex(&format!("[{class}]{{0,{max}}}")).expect("a valid regex"),
        1 => any::<String>(),
    ]
    .boxed()
}

/// `s` with `ch` inserted at the `at`-th char boundary (modulo the number of boundaries).
fn insert_at(s: &str, at: usize, ch: char) -> String {
    let boundaries: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let i = boundaries[at % boundaries.len()];
    format!("{}{ch}{}", &s[..i], &s[i..])
}

// ---------------------------------------------------------------------------------------
// 1. Exam codes and slugs
// ---------------------------------------------------------------------------------------
mod ids {
    use std::sync::LazyLock;

    use certwise::domain::{Code, Slug};
    use proptest::prelude::*;
    use regex::Regex;

    use super::{arbitrary_or, config, insert_at};

    /// The grammar of a code, independent of the parser: upper-case ASCII letters and
    /// digits in non-empty hyphen-separated groups (the length limit is checked apart).
    static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A[A-Z0-9]+(-[A-Z0-9]+)*\z").unwrap());
    /// A code as URLs write it.
    static URL_CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A[a-z0-9]+(-[a-z0-9]+)*\z").unwrap());
    static SLUG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A[a-z0-9]+(-[a-z0-9]+)*\z").unwrap());

    const CODE_MAX: usize = 32;
    const SLUG_MAX: usize = 120;

    /// Strings of the code grammar, some of them longer than the limit.
    fn code_grammar() -> impl Strategy<Value = String> {
        "[A-Z0-9]{1,10}(-[A-Z0-9]{1,10}){0,4}"
    }

    fn valid_code() -> impl Strategy<Value = String> {
        code_grammar().prop_filter("at most 32 bytes", |s| s.len() <= CODE_MAX)
    }

    /// Near misses (wrong case, doubled or edge hyphens, other separators, non-ASCII
    /// letters) and arbitrary strings.
    fn code_like() -> impl Strategy<Value = String> {
        prop_oneof![code_grammar(), arbitrary_or("A-Za-z0-9_ .ÜéK-", 40)]
    }

    fn slug_grammar() -> impl Strategy<Value = String> {
        "[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,6}"
    }

    fn valid_slug() -> impl Strategy<Value = String> {
        slug_grammar().prop_filter("at most 120 bytes", |s| s.len() <= SLUG_MAX)
    }

    fn slug_like() -> impl Strategy<Value = String> {
        prop_oneof![slug_grammar(), arbitrary_or("A-Za-z0-9_ .é-", 130)]
    }

    proptest! {
        #![proptest_config(config(256))]

        // Rule: `Code::parse` accepts exactly the strings of the code grammar of at most
        // 32 bytes — and never panics, whatever the string.
        #[test]
        fn code_parse_accepts_exactly_the_grammar(s in code_like()) {
            let expected = s.len() <= CODE_MAX && CODE.is_match(&s);
            prop_assert_eq!(Code::parse(&s).is_ok(), expected, "{:?}", s);
        }

        // Rule: a parsed code is the string it was parsed from, and parsing its text gives
        // it back (`parse ∘ as_str` is the identity); `Display` writes the same text.
        #[test]
        fn code_round_trips_through_its_text(s in valid_code()) {
            let code = Code::parse(&s).unwrap();
            prop_assert_eq!(code.as_str(), s.as_str());
            prop_assert_eq!(code.to_string(), s.clone());
            prop_assert_eq!(Code::parse(code.as_str()), Ok(code.clone()));
        }

        // Rule: the URL form of a code is its lower-case text, and `from_url` of it gives
        // the code back.
        #[test]
        fn code_round_trips_through_its_url_form(s in valid_code()) {
            let code = Code::parse(&s).unwrap();
            let url = code.to_lowercase();
            prop_assert_eq!(&url, &s.to_ascii_lowercase());
            prop_assert_eq!(Code::from_url(&url), Some(code));
        }

        // Rule: `from_url` refuses any string with an upper-case ASCII letter, even one
        // that is otherwise a well-formed code (a URL must have a single spelling).
        #[test]
        fn code_from_url_refuses_upper_case(
            s in code_like(),
            at in any::<usize>(),
            upper in proptest::char::range('A', 'Z'),
        ) {
            let s = insert_at(&s, at, upper);
            prop_assert_eq!(Code::from_url(&s), None, "{:?}", s);
        }

        // Rule: `from_url` accepts exactly the lower-case code grammar of at most 32 bytes,
        // and the code it finds is the upper-case spelling of the URL segment.
        #[test]
        fn code_from_url_accepts_exactly_lower_case_codes(s in prop_oneof![
            code_grammar().prop_map(|s| s.to_ascii_lowercase()),
            code_like(),
        ]) {
            let expected = (s.len() <= CODE_MAX && URL_CODE.is_match(&s)).then(|| s.to_ascii_uppercase());
            prop_assert_eq!(Code::from_url(&s).map(|c| c.as_str().to_owned()), expected, "{:?}", s);
        }

        // Rule: serde writes a code as its JSON string, and reading that back is the
        // identity.
        #[test]
        fn code_serde_round_trip_is_identity(s in valid_code()) {
            let code = Code::parse(&s).unwrap();
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&s).unwrap());
            prop_assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), code);
        }

        // Rule: deserializing checks like parsing — a JSON string is a `Code` exactly when
        // `Code::parse` accepts it (no way around the check through serde).
        #[test]
        fn code_deserialize_checks_like_parse(s in code_like()) {
            let from_json = serde_json::from_value::<Code>(serde_json::Value::String(s.clone()));
            prop_assert_eq!(from_json.ok(), Code::parse(&s).ok());
        }

        // Rule: `Slug::parse` accepts exactly lower-case ASCII letters and digits in
        // non-empty groups separated by single hyphens, of at most 120 bytes — and never
        // panics.
        #[test]
        fn slug_parse_accepts_exactly_the_grammar(s in slug_like()) {
            let expected = s.len() <= SLUG_MAX && SLUG.is_match(&s);
            prop_assert_eq!(Slug::parse(&s).is_ok(), expected, "{:?}", s);
        }

        // Rule: a parsed slug is its text, and parsing that text gives it back.
        #[test]
        fn slug_round_trips_through_its_text(s in valid_slug()) {
            let slug = Slug::parse(&s).unwrap();
            prop_assert_eq!(slug.as_str(), s.as_str());
            prop_assert_eq!(slug.to_string(), s.clone());
            prop_assert_eq!(Slug::parse(slug.as_str()), Ok(slug.clone()));
        }

        // Rule: a slug with any upper-case letter is refused.
        #[test]
        fn slug_refuses_upper_case(
            s in slug_like(),
            at in any::<usize>(),
            upper in proptest::char::range('A', 'Z'),
        ) {
            let s = insert_at(&s, at, upper);
            prop_assert!(Slug::parse(&s).is_err(), "{:?}", s);
        }

        // Rule: serde round trip of a slug is the identity, and deserializing checks like
        // parsing.
        #[test]
        fn slug_serde_round_trip_is_identity(s in valid_slug(), other in slug_like()) {
            let slug = Slug::parse(&s).unwrap();
            let json = serde_json::to_string(&slug).unwrap();
            prop_assert_eq!(&json, &serde_json::to_string(&s).unwrap());
            prop_assert_eq!(serde_json::from_str::<Slug>(&json).unwrap(), slug);
            let from_json = serde_json::from_value::<Slug>(serde_json::Value::String(other.clone()));
            prop_assert_eq!(from_json.ok(), Slug::parse(&other).ok());
        }
    }
}

// ---------------------------------------------------------------------------------------
// 2. Money
// ---------------------------------------------------------------------------------------
mod money {
    use std::sync::LazyLock;

    use certwise::domain::Money;
    use proptest::prelude::*;
    use regex::Regex;

    use super::{arbitrary_or, config};

    /// Languages, with and without the Swiss region (`Money::format` takes either).
    const LOCALES: [&str; 6] = ["en", "de", "fr", "en-CH", "de-CH", "fr-CH"];
    /// Every thousands separator a locale may use; the rule only needs the digits back.
    const SEPARATORS: [char; 6] = [',', '.', '’', '\'', '\u{202f}', '\u{a0}'];

    /// How `tag` writes a price: currency first (else last, after a no-break space), and
    /// the decimal separator.
    fn style(tag: &str) -> (bool, char) {
        match tag {
            "de" | "fr" => (false, ','),
            _ => (true, '.'),
        }
    }

    /// A price as content writes it: digits, then optionally a point and one or two digits.
    static PRICE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\A[0-9]+(\.[0-9]{1,2})?\z").unwrap());

    /// The canonical text of a well-formed price: no leading zeros (but one digit at
    /// least), exactly two decimals. Computed on the string, not with a decimal type.
    fn canonical(price: &str) -> String {
        let (int, frac) = price.split_once('.').unwrap_or((price, ""));
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        format!("{int}.{frac:0<2}")
    }

    /// Well-formed prices that a decimal type holds exactly (up to 26 integer digits and
    /// two decimals: 28 significant digits): mostly everyday amounts, some with leading
    /// zeros.
    fn price() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[1-9][0-9]{0,6}(\\.[0-9]{1,2})?",
            2 => "[0-9]{1,7}(\\.[0-9]{1,2})?",
            1 => "[0-9]{1,26}(\\.[0-9]{1,2})?",
        ]
    }

    /// Well-formed prices beyond what `rust_decimal` holds with their cents (its mantissa
    /// has 96 bits: about 28.9 significant digits).
    fn huge_price() -> impl Strategy<Value = String> {
        "[1-9][0-9]{26,33}(\\.[0-9]{1,2})?"
    }

    fn currency() -> impl Strategy<Value = String> {
        "[A-Z]{3}"
    }

    fn locale() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(&LOCALES[..])
    }

    /// The number part of a formatted price: after the currency and a space, or before a
    /// no-break space and the currency, as `tag` places it.
    fn number<'a>(formatted: &'a str, currency: &str, tag: &str) -> &'a str {
        if style(tag).0 {
            formatted
                .strip_prefix(currency)
                .and_then(|rest| rest.strip_prefix(' '))
                .unwrap_or_else(|| panic!("{formatted:?} starts with {currency:?} and a space"))
        } else {
            formatted
                .strip_suffix(currency)
                .and_then(|rest| rest.strip_suffix('\u{a0}'))
                .unwrap_or_else(|| panic!("{formatted:?} ends with a no-break space and {currency:?}"))
        }
    }

    /// Checks the integer part of a formatted number: digits in groups of three, the
    /// first of one to three, separated by one of the locale separators.
    fn check_grouping(int: &str) -> Result<(), TestCaseError> {
        let groups: Vec<&str> = int.split(&SEPARATORS[..]).collect();
        prop_assert!(groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit())), "digits only: {:?}", int);
        prop_assert!((1..=3).contains(&groups[0].len()), "first group of one to three: {:?}", int);
        prop_assert!(groups[1..].iter().all(|g| g.len() == 3), "then groups of three: {:?}", int);
        Ok(())
    }

    proptest! {
        #![proptest_config(config(256))]

        // Rule: `Money::parse` never panics, whatever the amount and currency, and accepts
        // only well-formed prices (digits, optionally `.` and one or two digits) with
        // three upper-case letters as the currency.
        #[test]
        fn parse_never_panics_and_accepts_only_prices(
            amount in prop_oneof![price(), huge_price(), arbitrary_or("0-9.,eE+ _-", 14)],
            cur in prop_oneof![currency(), arbitrary_or("A-Za-z€", 4)],
        ) {
            if Money::parse(&amount, &cur).is_ok() {
                prop_assert!(PRICE.is_match(&amount), "accepted amount {:?}", amount);
                let iso = cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase());
                prop_assert!(iso, "accepted currency {:?}", cur);
            }
        }

        // Rule: a well-formed price with at most two decimals is accepted (one a decimal
        // type can hold: see `price()`), and its `plain()` text is the canonical form of
        // the input — the same number, exactly, with two decimals — which parses back to
        // the same money.
        #[test]
        fn parsed_prices_round_trip_through_plain(amount in price(), cur in currency()) {
            let m = Money::parse(&amount, &cur)
                .map_err(|e| TestCaseError::fail(format!("{amount:?} refused: {e}")))?;
            prop_assert_eq!(m.plain(), canonical(&amount), "plain() of {:?}", amount);
            prop_assert_eq!(&m.currency, &cur);
            prop_assert_eq!(Money::parse(&m.plain(), &cur), Ok(m));
        }

        // Rule: more than two decimals are refused, even trailing zeros (`1.000`).
        #[test]
        fn more_than_two_decimals_are_refused(int in "[0-9]{1,8}", frac in "[0-9]{3,8}", cur in currency()) {
            let amount = format!("{int}.{frac}");
            prop_assert!(Money::parse(&amount, &cur).is_err(), "{:?} accepted", amount);
        }

        // Rule: `format` never panics for en/de/fr with or without the Swiss region,
        // writes the currency and the number where the locale puts it; the integer part is
        // grouped by threes; removing the separators gives the canonical digits back (`.–`,
        // the Swiss dash for whole amounts, standing for `.00`), and only whole amounts get
        // the dash, only in de-CH and fr-CH.
        #[test]
        fn format_keeps_the_digits(amount in price(), cur in currency(), loc in locale()) {
            let m = Money::parse(&amount, &cur).unwrap();
            let formatted = m.format(loc);
            let num = number(&formatted, &cur, loc);
            let decimal = style(loc).1;
            let whole = canonical(&amount).ends_with(".00");
            let swiss_whole = whole && (loc == "de-CH" || loc == "fr-CH");
            let (int, frac) = match num.strip_suffix(".–") {
                Some(int) => {
                    prop_assert!(swiss_whole, "{:?}: a dash only for whole amounts, in de-CH/fr-CH", formatted);
                    (int, "00")
                }
                None => {
                    prop_assert!(!swiss_whole, "{:?}: whole amounts end in .– in de-CH/fr-CH", formatted);
                    num.rsplit_once(decimal).unwrap_or_else(|| panic!("{formatted:?} has decimals"))
                }
            };
            check_grouping(int)?;
            let digits: String = int.chars().filter(|c| !SEPARATORS.contains(c)).collect();
            prop_assert_eq!(format!("{digits}.{frac}"), canonical(&amount), "{:?} in {}", formatted, loc);
        }

        // Rule: `format_short` drops the cents exactly for whole amounts and otherwise
        // writes two decimals; its digits are the amount's.
        #[test]
        fn format_short_drops_cents_only_for_whole_amounts(
            amount in price(),
            cur in currency(),
            loc in locale(),
        ) {
            let m = Money::parse(&amount, &cur).unwrap();
            let short = m.format_short(loc);
            let num = number(&short, &cur, loc);
            let decimal = style(loc).1;
            let canon = canonical(&amount);
            let (canon_int, canon_frac) = canon.split_once('.').unwrap();
            let (int, frac) = if canon_frac == "00" {
                prop_assert!(!num.contains(decimal), "{:?}: no decimals for a whole amount", short);
                (num, "00")
            } else {
                let (int, frac) = num.rsplit_once(decimal).unwrap_or_else(|| panic!("{short:?} has decimals"));
                prop_assert_eq!(frac, canon_frac, "{:?}", short);
                (int, frac)
            };
            check_grouping(int)?;
            let digits: String = int.chars().filter(|c| !SEPARATORS.contains(c)).collect();
            prop_assert_eq!(format!("{digits}.{frac}"), canon.clone(), "{:?}", short);
            prop_assert_eq!(&digits, canon_int);
        }
    }

    proptest! {
        #![proptest_config(config(256))]

        // Rule: a price too large for the decimal type is refused ("too large to be a
        // price") — or, if accepted, exact: a price is never silently rounded.
        #[test]
        fn huge_prices_are_refused_or_exact(amount in huge_price(), cur in currency()) {
            if let Ok(m) = Money::parse(&amount, &cur) {
                prop_assert_eq!(m.plain(), canonical(&amount), "plain() of {:?}", amount);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// 3. Front-matter splitting
// ---------------------------------------------------------------------------------------
mod front_matter {
    use certwise::content::split_front_matter;
    use proptest::prelude::*;

    use super::config;

    /// What the implementation takes for a delimiter line: `+++` with trailing
    /// whitespace (of any kind) allowed.
    fn is_delimiter(line: &str) -> bool {
        line.trim_end() == "+++"
    }

    /// One line of front matter (no line end): TOML-ish, arbitrary, or near misses of the
    /// delimiter (`++`, `++++`, ` +++`, `+++x`), never a delimiter itself.
    fn toml_line() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_]{1,8} = \"[^\"\\n]{0,10}\"",
            "[^\\n]{0,20}",
            "[ +a=\"\\r\\t]{0,6}",
            proptest::sample::select(vec![
                "++",
                "++++",
                " +++",
                "+++x",
                "+ ++",
                "\u{feff}+++",
                "[x]",
                "# +++"
            ])
            .prop_map(str::to_owned),
        ]
        .prop_filter("not a delimiter line", |l| !is_delimiter(l))
    }

    fn toml_lines() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(toml_line(), 0..6)
    }

    /// Any body, including ones with further `+++` lines.
    fn body() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            proptest::collection::vec(prop_oneof!["[^\\n]{0,12}", Just("+++".to_owned())], 0..5)
                .prop_map(|lines| lines.join("\n")),
        ]
    }

    /// Checks the shape of any `Some` answer: offsets inside the text and on char
    /// boundaries, the span starting after the opening delimiter line, a delimiter line
    /// between the span and the body, the body a suffix of the text.
    fn check_answer(text: &str, answer: Option<(usize, usize, &str)>) -> Result<(), TestCaseError> {
        let Some((offset, len, body)) = answer else { return Ok(()) };
        let end = offset.checked_add(len).expect("offset + len does not overflow");
        prop_assert!(end <= text.len(), "span {}..{} beyond {} bytes", offset, end, text.len());
        prop_assert!(
            text.is_char_boundary(offset) && text.is_char_boundary(end),
            "span {}..{} on char boundaries",
            offset,
            end
        );
        prop_assert!(
            body.len() <= text.len() - end && text.ends_with(body),
            "the body is a suffix after the span"
        );
        let opening = &text[..offset];
        let opening = opening.strip_prefix('\u{feff}').unwrap_or(opening);
        prop_assert!(
            opening.ends_with('\n') && is_delimiter(opening),
            "opened by one delimiter line: {:?}",
            opening
        );
        let closing = &text[end..text.len() - body.len()];
        prop_assert!(
            is_delimiter(closing) && !closing.trim_end_matches(['\r', '\n']).contains('\n'),
            "closed by one delimiter line: {:?}",
            closing
        );
        prop_assert!(
            closing.ends_with('\n') || body.is_empty(),
            "the body starts after the closing line's end"
        );
        Ok(())
    }

    proptest! {
        #![proptest_config(config(256))]

        // Rule: for TOML text `t` (no delimiter line in it) and any body `b`,
        // "+++{eol}{t}{eol}+++{eol}{b}" splits into the span of `t` followed by its line
        // end (the implementation's span covers every line of the front matter with its
        // line end) and exactly the body `b` — with `\n` or `\r\n` line ends, with or
        // without a leading byte-order mark (which the offsets account for).
        #[test]
        fn front_matter_gives_back_toml_and_body(
            lines in toml_lines(),
            b in body(),
            crlf in any::<bool>(),
            bom in any::<bool>(),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let t = lines.join(eol);
            let bom = if bom { "\u{feff}" } else { "" };
            let text = format!("{bom}+++{eol}{t}{eol}+++{eol}{b}");
            let answer = split_front_matter(&text);
            check_answer(&text, answer)?;
            let (offset, len, body) = answer.expect("front matter found");
            prop_assert_eq!(offset, bom.len() + 3 + eol.len());
            prop_assert_eq!(&text[offset..offset + len], format!("{t}{eol}"));
            prop_assert_eq!(body, b.as_str());
        }

        // Rule: without an opening delimiter line, or without a closing one, there is no
        // front matter.
        #[test]
        fn no_front_matter_without_both_delimiters(lines in toml_lines(), crlf in any::<bool>()) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let t = lines.join(eol);
            let unclosed = format!("+++{eol}{t}");
            prop_assert_eq!(split_front_matter(&unclosed), None);
            let unclosed = format!("+++{eol}{t}{eol}");
            prop_assert_eq!(split_front_matter(&unclosed), None);
            // (A leading byte-order mark is not part of the first line.)
            if lines.first().is_none_or(|l| !is_delimiter(l.strip_prefix('\u{feff}').unwrap_or(l))) {
                let unopened = format!("{t}{eol}+++{eol}body");
                prop_assert_eq!(split_front_matter(&unopened), None);
            }
        }

        // Rule: any text whatever — never a panic, and any answer is well formed (offsets
        // within the text, on char boundaries, delimiters around the span).
        #[test]
        fn any_text_splits_safely(pieces in proptest::collection::vec(prop_oneof![
            Just("+++".to_owned()), Just("\n".to_owned()), Just("\r\n".to_owned()), Just("\r".to_owned()),
            Just("\u{feff}".to_owned()), Just(" ".to_owned()),
            Just("a = 1".to_owned()), Just("é".to_owned()),
            any::<String>(),
        ], 0..12)) {
            let text = pieces.concat();
            check_answer(&text, split_front_matter(&text))?;
        }
    }
}

// ---------------------------------------------------------------------------------------
// 4. Sealing: the consent cookie and form tokens
// ---------------------------------------------------------------------------------------
mod seal {
    use certwise::domain::ConsentCategory;
    use certwise::domain::consent::{CLOCK_SKEW_SECONDS, Choices, Decision};
    use certwise::seal::{FORM_TOKEN_SECONDS, Keys, random_token};
    use proptest::prelude::*;

    use super::{arbitrary_or, config};

    /// What a cookie value may hold without quoting or escaping (and what the sealed
    /// values' alphabet is: URL-safe base64 plus the `.` between the parts).
    fn cookie_safe(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b"-_.".contains(&b)
    }

    const COOKIE_ALPHABET: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

    fn keys() -> Keys {
        Keys::new(vec![7; 32]).unwrap()
    }

    fn other_keys() -> impl Strategy<Value = Keys> {
        proptest::collection::vec(any::<u8>(), 32..64)
            .prop_filter("another key", |k| k[..] != [7; 32][..])
            .prop_map(|k| Keys::new(k).unwrap())
    }

    const CATEGORIES: [ConsentCategory; 3] =
        [ConsentCategory::Preferences, ConsentCategory::Analytics, ConsentCategory::Marketing];

    fn choices() -> impl Strategy<Value = Choices> {
        proptest::array::uniform3(any::<bool>()).prop_map(|flags| {
            Choices::of(CATEGORIES.into_iter().zip(flags).filter(|(_, on)| *on).map(|(c, _)| c))
        })
    }

    fn decision() -> impl Strategy<Value = Decision> {
        let consent_id = prop_oneof![
            // As the server makes them (random: not replayed by shrinking, but any is fine).
            (0usize..=32).prop_map(random_token),
            // Any URL-safe (base64url-alphabet) string, empty included.
            "[A-Za-z0-9_-]{0,43}",
        ];
        let policy_version =
            prop_oneof!["[ -~]{0,30}", any::<String>(), Just("2026-11-01 (v2.1) — Änderung ✓".to_owned()),];
        let decided_at = prop_oneof![0..=2_000_000_000i64, 0..=i64::MAX, Just(i64::MAX), Just(0)];
        (consent_id, policy_version, choices(), decided_at).prop_map(
            |(consent_id, policy_version, choices, decided_at)| Decision {
                consent_id,
                policy_version,
                choices,
                decided_at,
            },
        )
    }

    /// `s` with the char at `at` (modulo the length) replaced by another one.
    fn replace_char(s: &str, at: usize, with: char) -> Option<String> {
        let chars: Vec<char> = s.chars().collect();
        let i = at % chars.len();
        (chars[i] != with)
            .then(|| chars.iter().enumerate().map(|(j, c)| if j == i { with } else { *c }).collect())
    }

    fn remove_char(s: &str, at: usize) -> String {
        let chars: Vec<char> = s.chars().collect();
        let i = at % chars.len();
        chars.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, c)| *c).collect()
    }

    fn alphabet_char() -> impl Strategy<Value = char> {
        proptest::sample::select(COOKIE_ALPHABET.chars().collect::<Vec<_>>())
    }

    /// Tokens and cookie values that were never issued: arbitrary strings, and strings of
    /// the right shape with arbitrary parts.
    fn forged() -> impl Strategy<Value = String> {
        let part = arbitrary_or("A-Za-z0-9_=.+/-", 50);
        prop_oneof![
            arbitrary_or("A-Za-z0-9_.-", 200),
            proptest::collection::vec(part, 0..8).prop_map(|parts| parts.join(".")),
            ("[A-Za-z0-9_-]{0,22}", "[A-Za-z0-9_-]{0,12}", "[-pam]{0,4}", any::<i64>(), "[A-Za-z0-9_-]{43}")
                .prop_map(|(id, v, c, t, sig)| format!("1.{id}.{v}.{c}.{t}.{sig}")),
        ]
    }

    /// Issue times as a form token carries them: anything that parses as an `i64`,
    /// with the extremes.
    fn issued() -> impl Strategy<Value = i64> {
        prop_oneof![
            any::<i64>(),
            Just(i64::MIN),
            Just(i64::MAX),
            i64::MIN..i64::MIN + (1 << 41),
            (i64::MAX - (1 << 41))..=i64::MAX
        ]
    }

    /// A realistic server clock: Unix seconds from 1970 to well beyond 2100.
    fn now() -> impl Strategy<Value = i64> {
        0..=(1i64 << 40)
    }

    proptest! {
        #![proptest_config(config(512))]

        // Rule: opening a sealed decision gives the decision back, whatever its id,
        // policy version (any Unicode), choices and time.
        #[test]
        fn sealed_decisions_open_to_themselves(d in decision()) {
            let k = keys();
            prop_assert_eq!(k.open(&k.seal(&d)), Some(d));
        }

        // Rule: a sealed value uses only cookie-safe characters.
        #[test]
        fn sealed_values_are_cookie_safe(d in decision()) {
            let sealed = keys().seal(&d);
            prop_assert!(sealed.bytes().all(cookie_safe), "{:?}", sealed);
        }

        // Rule: changing any one character of a sealed value breaks the seal.
        #[test]
        fn any_changed_character_breaks_the_seal(
            d in decision(),
            at in any::<usize>(),
            with in alphabet_char(),
        ) {
            let k = keys();
            let sealed = k.seal(&d);
            if let Some(tampered) = replace_char(&sealed, at, with) {
                prop_assert_eq!(k.open(&tampered), None, "{:?}", tampered);
            }
            let shorter = remove_char(&sealed, at);
            prop_assert_eq!(k.open(&shorter), None, "{:?}", shorter);
        }

        // Rule: a value sealed with one key never opens with another.
        #[test]
        fn another_key_never_opens_a_seal(d in decision(), other in other_keys()) {
            let sealed = keys().seal(&d);
            prop_assert_eq!(other.open(&sealed), None);
        }

        // Rule: `open` of anything that was not sealed never panics and gives nothing.
        #[test]
        fn open_of_forged_values_gives_nothing(value in forged()) {
            prop_assert_eq!(keys().open(&value), None, "{:?}", value);
        }

        // Rule: a form token issued at `t` is accepted at `t + delta` exactly for
        // `delta` in `-CLOCK_SKEW_SECONDS..=FORM_TOKEN_SECONDS`.
        #[test]
        fn form_tokens_are_valid_exactly_within_their_window(t in now(), delta in prop_oneof![
            -(2 * CLOCK_SKEW_SECONDS)..=2 * CLOCK_SKEW_SECONDS,
            (FORM_TOKEN_SECONDS - 600)..=(FORM_TOKEN_SECONDS + 600),
            -(4 * FORM_TOKEN_SECONDS)..=4 * FORM_TOKEN_SECONDS,
            Just(-CLOCK_SKEW_SECONDS), Just(-CLOCK_SKEW_SECONDS - 1),
            Just(FORM_TOKEN_SECONDS), Just(FORM_TOKEN_SECONDS + 1),
        ]) {
            let k = keys();
            let token = k.form_token(t);
            let expected = (-CLOCK_SKEW_SECONDS..=FORM_TOKEN_SECONDS).contains(&delta);
            prop_assert_eq!(k.check_form_token(&token, t + delta), expected, "delta {}", delta);
        }

        // Rule: a form token with any one character changed, removed or added is refused
        // (at the very time it was issued), and another key's token is refused.
        #[test]
        fn modified_form_tokens_are_refused(
            t in now(),
            at in any::<usize>(),
            with in prop_oneof![alphabet_char(), Just('+'), Just('0'), Just(' ')],
            other in other_keys(),
        ) {
            let k = keys();
            let token = k.form_token(t);
            prop_assert!(k.check_form_token(&token, t));
            if let Some(tampered) = replace_char(&token, at, with) {
                prop_assert!(!k.check_form_token(&tampered, t), "{:?}", tampered);
            }
            let shorter = remove_char(&token, at);
            prop_assert!(!k.check_form_token(&shorter, t), "{:?}", shorter);
            let longer = super::insert_at(&token, at, with);
            prop_assert!(!k.check_form_token(&longer, t), "{:?}", longer);
            prop_assert!(!other.check_form_token(&token, t));
        }
    }

    proptest! {
        #![proptest_config(config(512))]

        // Rule: a form token that was not issued is refused, and checking one never
        // panics — whatever the time it claims. The token comes from the request, so this
        // is the server's behaviour under any input.
        #[test]
        fn check_of_forged_form_tokens_never_panics(
            token in prop_oneof![
                forged(),
                (issued(), arbitrary_or("A-Za-z0-9_-", 44)).prop_map(|(ts, sig)| format!("{ts}.{sig}")),
            ],
            now in now(),
        ) {
            prop_assert!(!keys().check_form_token(&token, now), "{:?}", token);
        }
    }

    /// Plain tokens for the property above, which stay checked while it is ignored: the
    /// claimed times that do not overflow.
    #[test]
    fn forged_form_tokens_are_refused() {
        let k = keys();
        for token in ["", ".", "0.", "1000.", "1000.AAAA", "x.y", "9223372036854775807.AAAA", "-1.", "1 .AA"]
        {
            assert!(!k.check_form_token(token, 1_790_000_000), "{token:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// 5. Accept-Language negotiation
// ---------------------------------------------------------------------------------------
mod negotiate {
    use std::collections::BTreeSet;

    use certwise::i18n::negotiate;
    use proptest::prelude::*;

    use super::{arbitrary_or, config};

    /// Site locales as `site.toml` allows them: two or three lower-case letters.
    fn site_locales() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::btree_set("[a-z]{2,3}", 1..5)
            .prop_map(|s: BTreeSet<String>| s.into_iter().collect())
    }

    /// One entry of the header: the tag and its weight in thousandths (`None`: no `q`,
    /// which means 1).
    #[derive(Debug, Clone)]
    struct Entry {
        tag: String,
        q: Option<u16>,
        /// How the weight is written: `0.5` may be `0.5`, `0.50` or `0.500`; 1 may be `1`,
        /// `1.0` or `1.000`.
        digits: usize,
        /// Whitespace before `;`, after `;`.
        spaces: (bool, bool),
    }

    impl Entry {
        fn weight(&self) -> u16 {
            self.q.unwrap_or(1000)
        }

        fn primary(&self) -> String {
            self.tag.split('-').next().unwrap_or_default().to_ascii_lowercase()
        }

        fn write(&self, q_name: &str) -> String {
            let Some(q) = self.q else { return self.tag.clone() };
            // Zero to three decimals (RFC 9110 §12.4.2), as many as the weight needs at least.
            let full = format!("{}.{:03}", q / 1000, q % 1000);
            let needed = full.trim_end_matches('0').len() - 2;
            let value = full[..2 + needed.max(self.digits)].trim_end_matches('.');
            let before = if self.spaces.0 { " " } else { "" };
            let after = if self.spaces.1 { " " } else { "" };
            format!("{}{before};{after}{q_name}={value}", self.tag)
        }
    }

    /// Entries whose primary subtag is one of the site's (in any case) or another one.
    fn entries(locales: Vec<String>) -> impl Strategy<Value = (Vec<String>, Vec<Entry>)> {
        let primary = prop_oneof![
            proptest::sample::select(locales.clone()),
            (proptest::sample::select(locales.clone()), any::<u64>()).prop_map(|(l, bits)| {
                l.chars()
                    .enumerate()
                    .map(|(i, c)| if bits >> i & 1 == 1 { c.to_ascii_uppercase() } else { c })
                    .collect()
            }),
            "[a-zA-Z]{1,8}",
            Just("*".to_owned()),
        ];
        let tag = (primary, proptest::collection::vec("[a-zA-Z0-9]{1,8}", 0..3))
            .prop_map(|(p, subtags)| std::iter::once(p).chain(subtags).collect::<Vec<_>>().join("-"));
        let q = prop_oneof![
            1 => Just(None),
            1 => Just(Some(0)),
            1 => Just(Some(1000)),
            3 => (0u16..=1000).prop_map(Some),
            1 => proptest::sample::select(vec![100u16, 500, 800, 900]).prop_map(Some),
        ];
        let entry = (tag, q, 0usize..=3, (any::<bool>(), any::<bool>()))
            .prop_map(|(tag, q, digits, spaces)| Entry { tag, q, digits, spaces });
        (Just(locales), proptest::collection::vec(entry, 0..7))
    }

    fn header(entries: &[Entry], seps: &[usize], q_name: &str) -> String {
        const SEPARATORS: [&str; 4] = [",", ", ", " ,", " , "];
        let mut out = String::new();
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                out.push_str(SEPARATORS[seps.get(i).copied().unwrap_or(0) % SEPARATORS.len()]);
            }
            out.push_str(&e.write(q_name));
        }
        out
    }

    /// The rule, computed from the entries: the highest weight wins, ties go to the
    /// earlier entry, weight 0 means "not acceptable", the primary subtag is compared
    /// case-insensitively; the default when no entry names a site locale.
    fn expected<'a>(entries: &[Entry], locales: &'a [String], default: &'a str) -> &'a str {
        let mut best: Option<(u16, &'a str)> = None;
        for e in entries {
            let Some(l) = locales.iter().find(|l| **l == e.primary()) else { continue };
            if e.weight() > 0 && best.is_none_or(|(q, _)| e.weight() > q) {
                best = Some((e.weight(), l));
            }
        }
        best.map_or(default, |(_, l)| l)
    }

    fn default_locale(locales: Vec<String>) -> impl Strategy<Value = String> {
        prop_oneof![proptest::sample::select(locales), "[a-z]{2}"]
    }

    fn case() -> impl Strategy<Value = (Vec<String>, Vec<Entry>, String, Vec<usize>)> {
        site_locales().prop_flat_map(|locales| {
            let default = default_locale(locales.clone());
            (entries(locales), default, proptest::collection::vec(any::<usize>(), 7))
                .prop_map(|((locales, entries), default, seps)| (locales, entries, default, seps))
        })
    }

    proptest! {
        #![proptest_config(config(1024))]

        // Rule: the locale chosen is the one of the highest-weight entry (ties: the
        // earlier entry) whose primary subtag, compared case-insensitively, is a site
        // locale — entries with q=0 are never chosen — and the default when there is none.
        #[test]
        fn the_best_acceptable_site_locale_is_chosen((locales, entries, default, seps) in case()) {
            let header = header(&entries, &seps, "q");
            let want = expected(&entries, &locales, &default);
            prop_assert_eq!(negotiate(Some(&header), &locales, &default), want, "header {:?}", header);
        }

        // Rule: whatever the header (or none), negotiation never panics and answers one of
        // the site's locales or the default.
        #[test]
        fn any_header_gives_a_site_locale_or_the_default(
            locales in site_locales(),
            default in "[a-z]{2}",
            accept in proptest::option::of(prop_oneof![
                arbitrary_or("a-zA-Z;,=q.0-9 *-", 60),
                "([a-z]{2}(;q=[0-9.]{0,5})?, ?){0,5}",
            ]),
        ) {
            let got = negotiate(accept.as_deref(), &locales, &default);
            prop_assert!(got == default || locales.iter().any(|l| l == got), "{:?} for {:?}", got, accept);
        }
    }

    proptest! {
        #![proptest_config(config(1024))]

        // Rule: the parameter name `q` is case-insensitive (RFC 9110 §12.4.2 writes it
        // as the ABNF literal "q=", and ABNF literals are case-insensitive, RFC 5234
        // §2.3), so `de;Q=0` is just as unacceptable as `de;q=0` and `Q=0.5` weighs 0.5.
        #[test]
        fn the_weight_parameter_name_is_case_insensitive((locales, entries, default, seps) in case()) {
            let header = header(&entries, &seps, "Q");
            let want = expected(&entries, &locales, &default);
            prop_assert_eq!(negotiate(Some(&header), &locales, &default), want, "header {:?}", header);
        }
    }
}

// ---------------------------------------------------------------------------------------
// 6. Response slots
// ---------------------------------------------------------------------------------------
mod slots {
    use bytes::Bytes;
    use certwise::web::slots::{NONCE_SLOT, SlottedBody, TOKEN_SLOT};
    use proptest::prelude::*;

    use super::config;

    #[derive(Debug, Clone)]
    enum Piece {
        Text(String),
        Nonce,
        Token,
    }

    /// Text around the slots: arbitrary, HTML-ish, and fragments of the slots themselves
    /// (a prefix or a suffix of one), which must not confuse the search.
    fn text() -> impl Strategy<Value = String> {
        let slot = || proptest::sample::select(vec![NONCE_SLOT.as_str(), TOKEN_SLOT.as_str()]);
        prop_oneof![
            3 => any::<String>(),
            2 => "[<>a-z=\" /]{0,16}",
            1 => (slot(), any::<usize>()).prop_map(|(s, k)| s[..k % s.len()].to_owned()),
            1 => (slot(), any::<usize>()).prop_map(|(s, k)| s[1 + k % (s.len() - 1)..].to_owned()),
            1 => Just("cw".to_owned()),
        ]
    }

    fn pieces() -> impl Strategy<Value = Vec<Piece>> {
        proptest::collection::vec(
            prop_oneof![3 => text().prop_map(Piece::Text), 1 => Just(Piece::Nonce), 1 => Just(Piece::Token)],
            0..12,
        )
    }

    fn body_of(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(s) => s.as_str(),
                Piece::Nonce => NONCE_SLOT.as_str(),
                Piece::Token => TOKEN_SLOT.as_str(),
            })
            .collect()
    }

    /// Whether an occurrence of one slot overlaps an occurrence of the other in `body`:
    /// possible only when a suffix of one slot is a prefix of the other (both start with
    /// `cw`, so when one of them ends in `c`, `cw`, …: about 3 % of processes) and the
    /// text carries a fragment of a slot.
    fn slots_overlap(body: &str) -> bool {
        let ranges =
            |slot: &str| body.match_indices(slot).map(|(at, s)| at..at + s.len()).collect::<Vec<_>>();
        let (nonces, tokens) = (ranges(NONCE_SLOT.as_str()), ranges(TOKEN_SLOT.as_str()));
        nonces.iter().any(|n| tokens.iter().any(|t| n.start < t.end && t.start < n.end))
    }

    /// The model of filling: one left-to-right pass that replaces each slot where it
    /// starts. (Two `str::replace` calls in a row would be wrong: removing a nonce slot can
    /// join text around it into a token slot that the body never had.)
    fn filled(body: &str, nonce: &str, token: &str) -> String {
        let mut out = String::new();
        let mut rest = body;
        while let Some(c) = rest.chars().next() {
            if let Some(after) = rest.strip_prefix(NONCE_SLOT.as_str()) {
                out.push_str(nonce);
                rest = after;
            } else if let Some(after) = rest.strip_prefix(TOKEN_SLOT.as_str()) {
                out.push_str(token);
                rest = after;
            } else {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        out
    }

    /// Values as the server fills in: base64 nonces, `time.signature` tokens — and empty.
    fn value() -> impl Strategy<Value = String> {
        "[A-Za-z0-9+/=._-]{0,40}"
    }

    proptest! {
        #![proptest_config(config(256))]

        // Rule: filling a split body gives the body with every nonce slot replaced by the
        // nonce and every token slot by the token, and `len()` is the body's length
        // without the slots' bytes.
        //
        // Where a nonce and a token occurrence overlap, "every slot" is not defined (the
        // two would claim the same bytes); those bodies are left to
        // `split_survives_overlapping_slots` below.
        #[test]
        fn fill_replaces_every_slot(pieces in pieces(), nonce in value(), token in value()) {
            let body = body_of(&pieces);
            prop_assume!(!slots_overlap(&body));
            let split = SlottedBody::split(&Bytes::from(body.clone()));
            prop_assert_eq!(split.fill(&nonce, &token), Bytes::from(filled(&body, &nonce, &token)));
            let slot_bytes = body.matches(NONCE_SLOT.as_str()).count() * NONCE_SLOT.len()
                + body.matches(TOKEN_SLOT.as_str()).count() * TOKEN_SLOT.len();
            prop_assert_eq!(split.len(), body.len() - slot_bytes);
        }

        // Rule: a body without slots comes back unchanged — the very same bytes, not a
        // copy — and its `len()` is its length.
        #[test]
        fn a_body_without_slots_is_unchanged(
            texts in proptest::collection::vec(text(), 0..6),
            nonce in value(),
            token in value(),
        ) {
            let body: String = texts.concat();
            prop_assume!(!body.contains(NONCE_SLOT.as_str()) && !body.contains(TOKEN_SLOT.as_str()));
            let bytes = Bytes::from(body.clone());
            let split = SlottedBody::split(&bytes);
            let filled = split.fill(&nonce, &token);
            prop_assert_eq!(&filled, &bytes);
            if !bytes.is_empty() {
                prop_assert_eq!(filled.as_ptr(), bytes.as_ptr(), "served without a copy");
            }
            prop_assert_eq!(split.len(), body.len());
        }
    }

    /// Rule: splitting never panics, whatever the body — also when an occurrence of one
    /// slot overlaps one of the other (text ending in the first bytes of one slot, right
    /// before the other). Sweeps every such body; it can fail only in a process whose
    /// random slots allow an overlap (about 3 % of runs).
    #[test]
    fn split_survives_overlapping_slots() {
        for (first, second) in
            [(NONCE_SLOT.as_str(), TOKEN_SLOT.as_str()), (TOKEN_SLOT.as_str(), NONCE_SLOT.as_str())]
        {
            for k in 1..first.len() {
                let body = format!("{}{second}", &first[..k]);
                let split = SlottedBody::split(&Bytes::from(body.clone()));
                let _ = split.fill("n", "t");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// 7. Markdown and the sanitiser
// ---------------------------------------------------------------------------------------
mod sanitiser {
    use certwise::markdown::{sanitize, to_html, to_html_marking};
    use proptest::prelude::*;

    use super::config;

    /// Tags that must go (with and without their content), tags that change the parser's
    /// mode (tables, foreign content, raw text) and tags that are let through.
    const TAGS: &[&str] = &[
        "script",
        "style",
        "a",
        "img",
        "p",
        "div",
        "span",
        "table",
        "tbody",
        "tr",
        "td",
        "th",
        "caption",
        "colgroup",
        "col",
        "svg",
        "math",
        "mi",
        "mtext",
        "desc",
        "foreignObject",
        "annotation-xml",
        "form",
        "input",
        "button",
        "select",
        "option",
        "textarea",
        "iframe",
        "object",
        "noscript",
        "template",
        "title",
        "xmp",
        "plaintext",
        "noembed",
        "ul",
        "ol",
        "li",
        "dl",
        "dd",
        "h1",
        "h2",
        "code",
        "pre",
        "em",
        "strong",
        "b",
        "i",
        "br",
        "hr",
        "sup",
        "details",
        "summary",
        "blockquote",
        "font",
        "meta",
        "base",
        "body",
        "html",
        "head",
        "frameset",
        "image",
        "nobr",
        "ruby",
        "rt",
        "q",
        "del",
        "ins",
    ];

    const ATTRIBUTES: &[&str] = &[
        "id",
        "class",
        "href",
        "src",
        "alt",
        "title",
        "style",
        "onerror",
        "onclick",
        "name",
        "rel",
        "target",
        "xlink:href",
        "srcdoc",
        "formaction",
        "lang",
        "dir",
        "colspan",
    ];

    /// URLs in every disguise, and values that try to leave their attribute.
    const VALUES: &[&str] = &[
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        " javascript:x",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "https://example.ch/a?b=1&c=<2>",
        "mailto:a@example.ch",
        "/relative",
        "#frag",
        "exam-code",
        "md-x",
        "x\" onerror=\"alert(1)",
        "</textarea><script>alert(1)</script>",
        "`x`",
    ];

    /// Entities valid and not, comments, CDATA, stray brackets, Markdown syntax.
    const TEXTS: &[&str] = &[
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&#0;",
        "&#x110000;",
        "&#xD800;",
        "&nbsp;",
        "&unknown;",
        "&",
        "&#",
        "&amp",
        "<!-- c -->",
        "<!-->",
        "<!",
        "<![CDATA[x]]>",
        "<?php x ?>",
        "</",
        "<",
        ">",
        "\"",
        "'",
        "\0",
        "\u{feff}",
        "\r\n",
        "\n\n",
        "`code`",
        "**",
        "*",
        "_",
        "[a](javascript:alert(1))",
        "[b](https://example.ch)",
        "![i](x.png)",
        "# ",
        "> ",
        "- ",
        "1. ",
        "| a | b |\n|---|---|\n",
        "    ",
        "```\n",
        "[^1]",
        "[^1]: note\n",
        "~~",
        "\\",
        "MD-102",
    ];

    /// One piece of hostile or awkward HTML or Markdown.
    fn piece() -> impl Strategy<Value = String> {
        let value = prop_oneof![
            proptest::sample::select(VALUES).prop_map(str::to_owned),
            "[a-z0-9 &;#<>'\"=/:-]{0,12}",
        ];
        let quote = proptest::sample::select(&["\"", "'", ""][..]);
        let attribute = (proptest::sample::select(ATTRIBUTES), value, quote)
            .prop_map(|(name, value, q)| format!(" {name}={q}{value}{q}"));
        let attributes = proptest::collection::vec(attribute, 0..3).prop_map(|a| a.concat());
        let open = (proptest::sample::select(TAGS), attributes, any::<bool>())
            .prop_map(|(t, a, selfclose)| format!("<{t}{a}{}>", if selfclose { "/" } else { "" }));
        prop_oneof![
            3 => open,
            2 => proptest::sample::select(TAGS).prop_map(|t| format!("</{t}>")),
            2 => proptest::sample::select(TEXTS).prop_map(str::to_owned),
            2 => "[a-zA-Z0-9 .,äé]{0,8}",
        ]
    }

    /// Markdown without raw HTML: no `<` at all (a rendered body's fast path).
    fn markdown_only() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            proptest::sample::select(TEXTS)
                .prop_filter("no tag", |t| !t.contains('<'))
                .prop_map(str::to_owned),
            proptest::sample::select(VALUES)
                .prop_filter("no tag", |t| !t.contains('<'))
                .prop_map(str::to_owned),
            "[a-zA-Z0-9 .,äé|:-]{0,8}",
            "[\\[\\]()!*_`#>|~\n -]{1,4}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat())
    }

    /// HTML-ish (or Markdown-ish) text: a run of pieces, or any string at all.
    fn markup() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::collection::vec(piece(), 0..24).prop_map(|p| p.concat()),
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(config(256))]

        // Rule: sanitising is idempotent — the sanitiser's output is already what it lets
        // through, so sanitising it again changes nothing. (Raw HTML blocks in Markdown
        // are sanitised twice on the way to a page.)
        #[test]
        fn sanitising_sanitised_output_changes_nothing(html in markup()) {
            let once = sanitize(&html);
            prop_assert_eq!(sanitize(&once), once);
        }

        // Rule: a rendered body is sanitised output: sanitising it again changes nothing.
        #[test]
        fn a_rendered_body_is_a_fixed_point_of_the_sanitiser(
            markdown in prop_oneof![markup(), markdown_only()],
        ) {
            let html = to_html(&markdown);
            prop_assert_eq!(sanitize(&html), html);
            let marked = to_html_marking(&markdown, |c| c == "MD-102");
            prop_assert_eq!(sanitize(&marked), marked);
        }

        // Rule: rendering depends on the text alone — the same Markdown gives the same
        // bytes every time, with and without codes marked.
        #[test]
        fn rendering_is_deterministic(markdown in markup()) {
            prop_assert_eq!(to_html(&markdown), to_html(&markdown));
            let is_code = |c: &str| c == "MD-102";
            prop_assert_eq!(to_html_marking(&markdown, is_code), to_html_marking(&markdown, is_code));
        }
    }
}
