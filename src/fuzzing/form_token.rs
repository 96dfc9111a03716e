//! The form-token decoder ([`Keys::check_form_token`](crate::seal::Keys::check_form_token)
//! and the editors' session tokens): a token the server issued checks within its
//! lifetime, and nothing else checks.
//!
//! The input is read as a token (bytes that are not UTF-8 replaced): it must be refused
//! unless it is exactly the token the server issues for the time it names, and as a
//! session id against which it must be refused unless it is that session's token. The
//! first line of the input, when it is a number, is also the time of a token that is
//! issued, checked at the edges of its lifetime, and refused with any character changed.

use super::consent_cookie::{NOW, keys};
use crate::domain::consent::CLOCK_SKEW_SECONDS;
use crate::seal::FORM_TOKEN_SECONDS;

pub fn check(data: &[u8]) {
    let keys = keys();
    let value = String::from_utf8_lossy(data);
    if keys.check_form_token(&value, NOW) {
        let issued: i64 = value.split_once('.').and_then(|(t, _)| t.parse().ok()).expect("an issued time");
        assert_eq!(keys.form_token(issued), value, "a form token the server did not issue was accepted");
    }

    let session = value.as_ref();
    let token = keys.session_form_token(session);
    assert!(keys.check_session_form_token(session, &token), "a session's own token was refused");
    assert!(
        keys.check_session_form_token(session, &value) == (value == token),
        "a session form token the server did not issue was accepted"
    );
    assert!(
        !keys.check_session_form_token(&format!("{session}x"), &token),
        "another session's token was accepted"
    );

    let first = value.lines().next().unwrap_or_default();
    let issued = first.trim().parse::<i64>().unwrap_or(NOW);
    let token = keys.form_token(issued);
    let checks = |now: Option<i64>| now.map(|now| keys.check_form_token(&token, now));
    assert_eq!(checks(Some(issued)), Some(true), "a fresh token was refused");
    for (now, expected) in [
        (issued.checked_add(FORM_TOKEN_SECONDS), true),
        (issued.checked_add(FORM_TOKEN_SECONDS + 1), false),
        (issued.checked_sub(CLOCK_SKEW_SECONDS), true),
        (issued.checked_sub(CLOCK_SKEW_SECONDS + 1), false),
    ] {
        if let Some(accepted) = checks(now) {
            assert_eq!(accepted, expected, "token of {issued} checked at {now:?}");
        }
    }
    let at = data.len() % token.len();
    let original = token.as_bytes()[at];
    let replacement = data
        .first()
        .copied()
        .filter(|&b| b != original && b.is_ascii())
        .unwrap_or(if original == b'~' { b'x' } else { b'~' });
    let mut tampered = token.clone().into_bytes();
    tampered[at] = replacement;
    let tampered = String::from_utf8(tampered).expect("ASCII");
    assert!(!keys.check_form_token(&tampered, issued), "a changed form token was accepted: {tampered:?}");
}
