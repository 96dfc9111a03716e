//! Staff accounts: the operations the command line (`certwise user …`) and the editors'
//! area share, each recorded in the audit log, and the password hashing they rest on.
//!
//! - **Argon2id** with OWASP's parameters (19 MiB of memory, 2 passes, 1 lane; the
//!   `argon2` crate's defaults, spelled out in [`hasher`]). A hash takes tens of
//!   milliseconds of one core, so it always runs on tokio's blocking pool
//!   (`spawn_blocking`), never on a thread that serves requests; at most one hash per core
//!   runs at a time, so a burst of logins waits its turn instead of taking 19 MiB each.
//! - **The same answer in the same time**: [`authenticate`] verifies a password against a
//!   fixed dummy hash (same parameters) when the account is unknown or disabled, so an
//!   unknown email, a disabled account and a wrong password cost one verification each and
//!   all answer `None`.
//! - **Temporary passwords** ([`temporary_password`]) are 20 random characters from an
//!   alphabet without look-alikes (no `0`/`o`, `1`/`l`/`i`), in groups of four: about 99
//!   bits. Every new or reset account must change its password at first login.

use argon2::password_hash::PasswordHasher as _;
use argon2::{Algorithm, Argon2, Params, PasswordVerifier as _, Version};
use chrono::{DateTime, Utc};

use crate::domain::account::{AuditEvent, PasswordProblem, Role, User, check_password};
use crate::domain::is_email;
use crate::store::{Store, StoreError};

/// The audit log's actor for changes made on the command line.
pub const CLI: &str = "cli";

/// Why an account operation was refused; `Display` is the one-line reason.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("`{0}` is not an email address")]
    BadEmail(String),
    #[error("there is already an account for {0}")]
    Exists(String),
    #[error("there is no account for {0}")]
    Unknown(String),
    #[error("the account {0} is disabled")]
    Disabled(String),
    #[error(transparent)]
    WeakPassword(#[from] PasswordProblem),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("password hashing failed: {0}")]
    Hash(String),
}

/// The Argon2id hasher with OWASP's parameters (m = 19,456 KiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP's Argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// What an unknown or disabled account's password is checked against: a hash with the
/// same parameters as every real one, of a password nobody has, so the check costs the
/// same time.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$FjE6roWs7eGieBBQWe8rzg$6JoVRZeaszKJdpqVT5lfLPqqPJ8kWLJnRSihHA88BRY";

/// Hashes running now: one per core.
static HASHING: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        std::sync::Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
        ))
    });

/// Runs `work` (a hash or a verification) on the blocking pool once a core is free for it.
async fn off_runtime<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AccountError> {
    let turn = HASHING.clone().acquire_owned().await.map_err(|e| AccountError::Hash(e.to_string()))?;
    // The permit goes with the job: a client that disconnects mid-hash does not free a
    // core that is still hashing.
    tokio::task::spawn_blocking(move || {
        let out = work();
        drop(turn);
        out
    })
    .await
    .map_err(|e| AccountError::Hash(e.to_string()))
}

/// The PHC string of `password` (Argon2id, a fresh random salt), computed off the runtime.
pub async fn hash_password(password: &str) -> Result<String, AccountError> {
    let password = password.to_owned();
    off_runtime(move || hasher().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await?
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// Whether `password` matches `hash` (a PHC string), computed off the runtime; with no
/// hash, the dummy one is checked (and fails), taking the same time.
pub async fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let password = password.to_owned();
    let real = hash.is_some();
    let hash = hash.unwrap_or(DUMMY_HASH).to_owned();
    let matched = off_runtime(move || hasher().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .unwrap_or(false);
    matched && real
}

/// A new temporary password: `abcd-efgh-jkmn-pqrs-tuvw`, 20 characters drawn from 31
/// without look-alikes (about 99 bits), grouped by four to be read out and typed.
pub fn temporary_password() -> String {
    use rand::Rng as _;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut out = String::with_capacity(24);
    for i in 0..20 {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    out
}

/// The account `email` if `password` is its password and it is not disabled; `None`
/// otherwise — an unknown email, a disabled account and a wrong password alike, after the
/// same work.
pub async fn authenticate(
    store: &dyn Store,
    email: &str,
    password: &str,
) -> Result<Option<User>, StoreError> {
    let user = store.user_by_email(email).await?.filter(|u| u.disabled_at.is_none());
    let matched = verify_password(password, user.as_ref().map(|u| u.password_hash.as_str())).await;
    Ok(user.filter(|_| matched))
}

/// `certwise user add`: a new account with `password` (checked against the policy) or a
/// generated one; either is temporary. Returns the account and the generated password.
pub async fn add_user(
    store: &dyn Store,
    email: &str,
    role: Role,
    password: Option<&str>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<(User, Option<String>), AccountError> {
    let email = email.trim();
    if !is_email(email) {
        return Err(AccountError::BadEmail(email.to_owned()));
    }
    let generated = match password {
        Some(p) => {
            check_password(p, email)?;
            None
        }
        None => Some(temporary_password()),
    };
    let password = password.or(generated.as_deref()).unwrap_or_default();
    let hash = hash_password(password).await?;
    let user = store
        .add_user(email, role, &hash, actor, now)
        .await?
        .ok_or_else(|| AccountError::Exists(email.to_owned()))?;
    Ok((user, generated))
}

/// The account `email`, or the error that names it.
async fn existing(store: &dyn Store, email: &str) -> Result<User, AccountError> {
    store.user_by_email(email).await?.ok_or_else(|| AccountError::Unknown(email.trim().to_owned()))
}

/// `certwise user disable`: the account is disabled and its sessions end at once.
pub async fn disable_user(
    store: &dyn Store,
    email: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<User, AccountError> {
    let user = existing(store, email).await?;
    if user.disabled_at.is_some() {
        return Err(AccountError::Disabled(user.email));
    }
    let event = AuditEvent { at: now, actor, action: "user.disable", target: &user.email, detail: "" };
    store.disable_user(user.id, &event).await?;
    Ok(user)
}

/// `certwise user reset-password`: a new temporary password (returned), every session of
/// the account ended.
pub async fn reset_password(
    store: &dyn Store,
    email: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<String, AccountError> {
    let user = existing(store, email).await?;
    if user.disabled_at.is_some() {
        return Err(AccountError::Disabled(user.email));
    }
    let password = temporary_password();
    let hash = hash_password(&password).await?;
    let event = AuditEvent { at: now, actor, action: "user.reset-password", target: &user.email, detail: "" };
    store.set_password(user.id, &hash, true, None, &event).await?;
    Ok(password)
}

/// A member of staff sets a new password (checked against the policy): it is no longer
/// temporary, and every other session of the account ends.
pub async fn change_password(
    store: &dyn Store,
    user: &User,
    keep_session: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountError> {
    check_password(new_password, &user.email)?;
    let hash = hash_password(new_password).await?;
    let event = AuditEvent {
        at: now,
        actor: &user.email,
        action: "password.change",
        target: &user.email,
        detail: "",
    };
    store.set_password(user.id, &hash, false, Some(keep_session), &event).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_costs() {
        let dummy = argon2::password_hash::phc::PasswordHash::new(DUMMY_HASH).unwrap();
        let params = Params::try_from(&dummy).unwrap();
        let ours = hasher();
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        assert_eq!((params.m_cost(), params.t_cost(), params.p_cost()), (19_456, 2, 1));
        assert_eq!(ours.params().m_cost(), params.m_cost());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hash = hash_password("plum tree at dawn").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("plum tree at dawn", Some(&hash)).await);
        assert!(!verify_password("plum tree at dusk", Some(&hash)).await);
        assert!(!verify_password("plum tree at dawn", None).await, "the dummy never matches");
        assert_ne!(hash, hash_password("plum tree at dawn").await.unwrap(), "salted");
    }

    #[test]
    fn temporary_passwords_are_long_readable_and_pass_the_policy() {
        let a = temporary_password();
        assert_eq!(a.len(), 24);
        assert_eq!(a.split('-').count(), 5);
        assert!(a.bytes().all(|b| b == b'-' || b"abcdefghjkmnpqrstuvwxyz23456789".contains(&b)), "{a}");
        assert!(check_password(&a, "ada@example.ch").is_ok());
        assert_ne!(a, temporary_password());
    }
}
