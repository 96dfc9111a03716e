//! The consent cookie and form tokens: signed with an HMAC key the server keeps, so a
//! visitor's browser carries the decision and nothing it carries can be forged.
//!
//! The rules of consent (what a decision grants, when it lapses) are in
//! `domain::consent`; this module only seals and opens.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::domain::consent::{CLOCK_SKEW_SECONDS, Choices, Decision};

type HmacSha256 = Hmac<Sha256>;

/// How long a form token stays valid.
pub const FORM_TOKEN_SECONDS: i64 = 12 * 3600;

/// The server's signing key.
#[derive(Clone)]
pub struct Keys {
    /// Shared: the application state holding it is cloned for every request.
    secret: std::sync::Arc<[u8]>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(..)")
    }
}

/// `n` random bytes (at most 32), URL-safe base64, from the thread's CSPRNG (`ChaCha`,
/// seeded and reseeded from the operating system) — no system call per token.
pub fn random_token(n: usize) -> String {
    use rand::RngCore as _;
    let mut bytes = [0u8; 32];
    let bytes = &mut bytes[..n.min(32)];
    rand::rng().fill_bytes(bytes);
    B64.encode(bytes)
}

/// SHA-256 as lower-case hex.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

impl Keys {
    /// Whether `other` is these very keys (a clone of them), not merely equal ones.
    pub fn is(&self, other: &Keys) -> bool {
        std::sync::Arc::ptr_eq(&self.secret, &other.secret)
    }

    /// At least 32 bytes of secret.
    pub fn new(secret: Vec<u8>) -> Result<Self, String> {
        if secret.len() < 32 {
            return Err(format!("the secret key has {} bytes; at least 32 are needed", secret.len()));
        }
        Ok(Self { secret: secret.into() })
    }

    fn mac(&self, purpose: &str, payload: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.secret).expect("HMAC takes keys of any length");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(payload.as_bytes());
        mac
    }

    fn sign(&self, purpose: &str, payload: &str) -> String {
        B64.encode(self.mac(purpose, payload).finalize().into_bytes())
    }

    fn verify(&self, purpose: &str, payload: &str, signature: &str) -> bool {
        B64.decode(signature).is_ok_and(|sig| self.mac(purpose, payload).verify_slice(&sig).is_ok())
    }

    /// The consent cookie's value:
    /// `1.<consent id>.<policy version, base64>.<choices>.<unix time>.<hmac>`.
    pub fn seal(&self, d: &Decision) -> String {
        let payload = format!(
            "1.{}.{}.{}.{}",
            d.consent_id,
            B64.encode(d.policy_version.as_bytes()),
            d.choices.code(),
            d.decided_at
        );
        let sig = self.sign("consent", &payload);
        format!("{payload}.{sig}")
    }

    /// Opens a consent cookie; `None` when it is malformed or its signature is wrong.
    pub fn open(&self, value: &str) -> Option<Decision> {
        let (payload, sig) = value.rsplit_once('.')?;
        if !self.verify("consent", payload, sig) {
            return None;
        }
        let mut parts = payload.split('.');
        let (Some("1"), Some(id), Some(version), Some(choices), Some(at), None) =
            (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        Some(Decision {
            consent_id: id.to_owned(),
            policy_version: String::from_utf8(B64.decode(version).ok()?).ok()?,
            choices: Choices::from_code(choices)?,
            decided_at: at.parse().ok()?,
        })
    }

    /// A token for state-changing forms: the time it was issued, signed.
    pub fn form_token(&self, now: i64) -> String {
        let ts = now.to_string();
        let sig = self.sign("form", &ts);
        format!("{ts}.{sig}")
    }

    /// Whether a form token was issued by this server within [`FORM_TOKEN_SECONDS`].
    pub fn check_form_token(&self, token: &str, now: i64) -> bool {
        let Some((ts, sig)) = token.split_once('.') else { return false };
        let Ok(issued) = ts.parse::<i64>() else { return false };
        // A forged time far from now must not overflow the subtraction.
        now.checked_sub(issued).is_some_and(|age| (-CLOCK_SKEW_SECONDS..=FORM_TOKEN_SECONDS).contains(&age))
            && self.verify("form", ts, sig)
    }
}

impl Keys {
    /// The form token of an editors' area session (`session_id` is the stored id, the
    /// SHA-256 of the cookie's token): bound to the session, so a token read from one
    /// person's page is worth nothing in another's, and no token is stored.
    pub fn session_form_token(&self, session_id: &str) -> String {
        self.sign("staff-form", session_id)
    }

    /// Whether `token` is the form token of session `session_id` (compared in constant time).
    pub fn check_session_form_token(&self, session_id: &str, token: &str) -> bool {
        self.verify("staff-form", session_id, token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ConsentCategory;

    fn keys() -> Keys {
        Keys::new(vec![7; 32]).unwrap()
    }

    fn decision() -> Decision {
        Decision {
            consent_id: random_token(16),
            policy_version: "2026-11-01 (v2.1)".into(),
            choices: Choices::of([ConsentCategory::Analytics]),
            decided_at: 1_790_000_000,
        }
    }

    #[test]
    fn a_sealed_decision_opens_to_itself() {
        let d = decision();
        let sealed = keys().seal(&d);
        assert!(sealed.len() < 160, "small: {} bytes", sealed.len());
        assert!(
            sealed.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "cookie-safe: {sealed}"
        );
        assert_eq!(keys().open(&sealed), Some(d));
    }

    #[test]
    fn any_change_breaks_the_seal() {
        let sealed = keys().seal(&decision());
        let tampered = sealed.replacen(".a.", ".pam.", 1);
        assert_ne!(tampered, sealed);
        assert_eq!(keys().open(&tampered), None);
        let other = Keys::new(vec![8; 32]).unwrap();
        assert_eq!(other.open(&sealed), None);
        for junk in ["", ".", "1.a.b.c.d.e", &sealed[..sealed.len() - 2], "x".repeat(5000).as_str()] {
            assert_eq!(keys().open(junk), None, "{junk}");
        }
    }

    #[test]
    fn form_tokens_expire_and_cannot_be_forged() {
        let k = keys();
        let t = k.form_token(1000);
        assert!(k.check_form_token(&t, 1000));
        assert!(k.check_form_token(&t, 1000 + FORM_TOKEN_SECONDS));
        assert!(!k.check_form_token(&t, 1001 + FORM_TOKEN_SECONDS));
        assert!(k.check_form_token(&t, 1000 - CLOCK_SKEW_SECONDS));
        assert!(!k.check_form_token(&t, 999 - CLOCK_SKEW_SECONDS));
        assert!(!k.check_form_token(&t.replace("1000.", "2000."), 2000));
        assert!(!k.check_form_token("", 0));
    }

    #[test]
    fn session_form_tokens_belong_to_their_session() {
        let k = keys();
        let token = k.session_form_token("abc");
        assert!(k.check_session_form_token("abc", &token));
        assert!(!k.check_session_form_token("abd", &token));
        assert!(!k.check_session_form_token("abc", ""));
        assert!(!Keys::new(vec![8; 32]).unwrap().check_session_form_token("abc", &token));
        assert!(!k.check_form_token(&token, 0), "not a site form token either");
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(Keys::new(vec![1; 31]).is_err());
    }

    #[test]
    fn sha256_is_hex() {
        assert_eq!(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
