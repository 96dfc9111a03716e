//! The consent cookie's decoder ([`Keys::open`](crate::seal::Keys::open)): what the server
//! seals opens to itself, and nothing else opens.
//!
//! The input is read twice. As a cookie value (bytes that are not UTF-8 replaced): it
//! must be refused unless it is exactly what the server seals for the decision it opens
//! to (a fuzzer cannot forge the HMAC, so anything else accepted is a hole). And as a
//! decision, one field a line — the consent id's bytes (the server's ids are base64 of
//! random bytes), the policy version, the choices' code, the time — which is sealed, must
//! open to itself, and must be refused with any one character changed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;

use crate::domain::consent::{Choices, Decision};
use crate::seal::Keys;

/// The time the checks run at (2026-11-26).
pub const NOW: i64 = 1_795_651_200;

pub(super) fn keys() -> Keys {
    Keys::new(b"certwise fuzzing key, 32 bytes at least".to_vec()).expect("a long enough key")
}

pub fn check(data: &[u8]) {
    let keys = keys();
    let value = String::from_utf8_lossy(data);
    if let Some(opened) = keys.open(&value) {
        assert_eq!(keys.seal(&opened), value, "a cookie the server did not seal was accepted");
        let _ = opened.standing("2026-11-01", NOW);
    }

    let decision = decision(data);
    let sealed = keys.seal(&decision);
    assert_eq!(keys.open(&sealed).as_ref(), Some(&decision), "a sealed decision does not open to itself");
    let _ = decision.clone().standing(&decision.policy_version, NOW);

    // One character changed, at a place and to a value the input chooses.
    let at = data.first().map_or(0, |&b| usize::from(b)) % sealed.len();
    let replacement = data.last().map_or('x', |&b| char::from(b));
    let mut tampered: String = sealed.chars().take(at).collect();
    let original = sealed[at..].chars().next().expect("a character at `at`");
    tampered.push(if replacement == original { '~' } else { replacement });
    tampered.push_str(&sealed[at + original.len_utf8()..]);
    assert_eq!(keys.open(&tampered), None, "a changed cookie was accepted: {tampered:?}");
    assert_eq!(Keys::new(vec![9; 32]).expect("a key").open(&sealed), None, "another key opened the cookie");
}

/// The decision the input describes, one field a line.
fn decision(data: &[u8]) -> Decision {
    let mut lines = data.split(|&b| b == b'\n');
    let id = lines.next().unwrap_or_default();
    let version = lines.next().map(String::from_utf8_lossy).unwrap_or_default();
    let choices = lines.next().map(String::from_utf8_lossy).and_then(|c| Choices::from_code(&c));
    let at = lines.next().map(String::from_utf8_lossy).and_then(|t| t.trim().parse().ok());
    Decision {
        consent_id: B64.encode(id),
        policy_version: version.into_owned(),
        choices: choices.unwrap_or(Choices::NONE),
        decided_at: at.unwrap_or(NOW),
    }
}
