//! Limits and client identity (INTERFACES.md, "Limits and client identity"): who the
//! client is (the peer, or behind a trusted proxy the nearest untrusted address of
//! `X-Forwarded-For`), how many connections one client and all clients may hold, how
//! fast a client may post, and how long and how large a request body may be. Counters
//! live in each instance.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

use super::AppState;
use super::error::PageError;
use crate::metrics::{self, Limit};

/// The configurable limits, with the defaults of INTERFACES.md.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Headers and body of a request must arrive within this.
    pub request_time: Duration,
    /// Largest form body.
    pub form_body: usize,
    /// Largest form body of the editors' record forms (a whole answer, URL-encoded), read
    /// only once the session is known.
    pub editor_form_body: usize,
    pub connections_total: usize,
    pub connections_per_client: usize,
    /// Consent decisions per client and minute.
    pub consent_per_minute: u32,
    /// Course inquiries per client and minute.
    pub inquiry_per_minute: u32,
    /// Advisor and planner API requests per client and minute.
    pub decide_per_minute: u32,
    /// Login attempts (`POST /admin/login`) per client and minute.
    pub login_per_minute: u32,
    /// Failed logins, per (account, client) and per client, before a wait is imposed.
    pub login_failures: LoginFailureLimits,
    /// Largest JSON body of the API.
    pub json_body: usize,
    /// Largest team CSV (pasted or uploaded).
    pub team_csv: usize,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            request_time: Duration::from_secs(20),
            form_body: 64 * 1024,
            editor_form_body: 1024 * 1024,
            connections_total: 4096,
            connections_per_client: 64,
            consent_per_minute: 30,
            inquiry_per_minute: 5,
            decide_per_minute: 60,
            login_per_minute: 10,
            login_failures: LoginFailureLimits::default(),
            json_body: 256 * 1024,
            team_csv: crate::domain::team::MAX_BYTES,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The peer address of a request's connection (a request extension set by the server).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub IpAddr);

/// The client of a request, as the limits count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Client(pub IpAddr);

impl Client {
    /// The peer, or — when the peer is a trusted proxy — the nearest address in
    /// `X-Forwarded-For` that is not a trusted proxy.
    pub fn of(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> Self {
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        if !is_trusted(&peer) {
            return Self(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        Self(forwarded.into_iter().rev().find(|ip| !is_trusted(ip)).unwrap_or(peer))
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // In-process callers (tests, tools) have no connection: they count as loopback.
        let peer = parts.extensions.get::<Peer>().map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |p| p.0);
        Ok(Self::of(peer, &parts.headers, &state.limits.trusted_proxies))
    }
}

/// A fixed window of one minute per client: at most `per_minute` events in each.
#[derive(Debug)]
pub struct RateLimiter {
    per_minute: u32,
    /// What a refusal counts as in `/metrics`.
    limit: Limit,
    windows: Mutex<HashMap<IpAddr, (i64, u32)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32, limit: Limit) -> Self {
        Self { per_minute, limit, windows: Mutex::default() }
    }

    /// Counts one event of `client` at `now` (Unix seconds); `Err(seconds)` to wait
    /// when the client is over its limit (counted in `/metrics`).
    pub fn check(&self, client: IpAddr, now: i64) -> Result<(), u64> {
        let minute = now.div_euclid(60);
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        if windows.len() > 100_000 {
            windows.retain(|_, (m, _)| *m == minute); // forget finished windows
        }
        let (window, count) = windows.entry(client).or_insert((minute, 0));
        if *window != minute {
            *window = minute;
            *count = 0;
        }
        if *count >= self.per_minute {
            metrics::refused(self.limit);
            return Err(u64::try_from(60 - now.rem_euclid(60)).unwrap_or(60));
        }
        *count += 1;
        Ok(())
    }
}

/// When failed logins lead to a wait (INTERFACES.md: 5 per account and client, 20 per
/// client, per 15 minutes; the wait doubling up to 15 minutes).
#[derive(Debug, Clone, Copy)]
pub struct LoginFailureLimits {
    /// Failures of one account from one client before the first wait.
    pub per_account: u32,
    /// Failures from one client, whatever the accounts, before the first wait.
    pub per_client: u32,
    /// Failures are forgotten this long (seconds) after the last one, once no wait runs.
    pub window: i64,
    /// The first wait (seconds); each further failure doubles it.
    pub first_delay: i64,
    /// The longest wait (seconds).
    pub max_delay: i64,
}

impl Default for LoginFailureLimits {
    fn default() -> Self {
        Self { per_account: 5, per_client: 20, window: 15 * 60, first_delay: 60, max_delay: 15 * 60 }
    }
}

/// Failed logins per (account, client) and per client, in this instance.
///
/// The rule: failures count until `window` seconds pass without one (and no wait is
/// running). Once a count reaches its limit, the client must wait `first_delay` seconds
/// before that account (or, for the client's count, any account) may be tried again; each
/// failure after that doubles the wait, up to `max_delay`. A success clears the account's
/// count for that client, not the client's (a good password for one account says nothing
/// about the guesses at others). While a wait runs, attempts are refused without the
/// password being checked.
#[derive(Debug)]
pub struct LoginFailures {
    limits: LoginFailureLimits,
    strikes: Mutex<HashMap<Strikee, Strikes>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Strikee {
    /// An account (its email folded to lower case) from a client.
    Account(String, IpAddr),
    Client(IpAddr),
}

#[derive(Debug, Clone, Copy, Default)]
struct Strikes {
    count: u32,
    last: i64,
    /// No attempt before this (Unix seconds).
    wait_until: i64,
    /// The current wait, doubled by each failure past the limit (0: none yet).
    delay: i64,
    /// Logins being checked now: each may still fail, so together with `count` they may
    /// not pass the limit (concurrent attempts cannot outrun it).
    pending: u32,
}

/// A login being checked, counted as in flight until it fails, succeeds or is dropped
/// (a refusal for another reason).
#[derive(Debug)]
pub struct LoginAttempt {
    failures: std::sync::Arc<LoginFailures>,
    account: String,
    client: IpAddr,
    open: bool,
}

impl LoginAttempt {
    /// The password was wrong (or the account unknown): a strike.
    pub fn failed(mut self, now: i64) {
        self.release();
        self.failures.failed(&self.account, self.client, now);
    }

    /// The login succeeded: the account's count for this client is cleared.
    pub fn succeeded(mut self) {
        self.release();
        self.failures.succeeded(&self.account, self.client);
    }

    fn release(&mut self) {
        if std::mem::take(&mut self.open) {
            self.failures.end(&self.account, self.client);
        }
    }
}

impl Drop for LoginAttempt {
    fn drop(&mut self) {
        self.release();
    }
}

impl LoginFailures {
    pub fn new(limits: LoginFailureLimits) -> Self {
        Self { limits, strikes: Mutex::default() }
    }

    /// The counts a login of `account` from `client` touches, with their limits.
    fn counts(&self, account: &str, client: IpAddr) -> [(Strikee, u32); 2] {
        [
            (Strikee::Account(crate::store::email_key(account), client), self.limits.per_account),
            (Strikee::Client(client), self.limits.per_client),
        ]
    }

    /// Whether `client` may try to log in to `account` at `now`; `Err(seconds)` to wait.
    pub fn check(&self, account: &str, client: IpAddr, now: i64) -> Result<(), u64> {
        let strikes = self.strikes.lock().unwrap_or_else(PoisonError::into_inner);
        let wait = self
            .counts(account, client)
            .iter()
            .filter_map(|(key, _)| strikes.get(key))
            .map(|s| s.wait_until - now)
            .max()
            .unwrap_or(0);
        if wait > 0 { Err(u64::try_from(wait).unwrap_or(1)) } else { Ok(()) }
    }

    /// Starts checking a login of `account` from `client` at `now`: refused with the
    /// seconds to wait while a wait runs, or (1 s) while the attempts already being checked
    /// could reach the limit if they fail.
    pub fn begin(
        self: &std::sync::Arc<Self>,
        account: &str,
        client: IpAddr,
        now: i64,
    ) -> Result<LoginAttempt, u64> {
        let begun = self.begin_counted(account, client, now);
        if begun.is_err() {
            metrics::refused(Limit::LoginFailures);
        }
        begun
    }

    fn begin_counted(
        self: &std::sync::Arc<Self>,
        account: &str,
        client: IpAddr,
        now: i64,
    ) -> Result<LoginAttempt, u64> {
        self.check(account, client, now)?;
        let l = self.limits;
        let mut strikes = self.strikes.lock().unwrap_or_else(PoisonError::into_inner);
        let counts = self.counts(account, client);
        for (key, limit) in &counts {
            if let Some(s) = strikes.get(key) {
                let count = if now - s.last >= l.window && now >= s.wait_until { 0 } else { s.count };
                // One attempt at a time once the next failure would reach the limit.
                if s.pending > 0 && count + s.pending >= *limit {
                    return Err(1);
                }
            }
        }
        for (key, _) in counts {
            strikes.entry(key).or_default().pending += 1;
        }
        Ok(LoginAttempt { failures: self.clone(), account: account.to_owned(), client, open: true })
    }

    /// An attempt from [`LoginFailures::begin`] is no longer in flight.
    fn end(&self, account: &str, client: IpAddr) {
        let mut strikes = self.strikes.lock().unwrap_or_else(PoisonError::into_inner);
        for (key, _) in self.counts(account, client) {
            if let Some(s) = strikes.get_mut(&key) {
                s.pending = s.pending.saturating_sub(1);
            }
        }
    }

    /// Counts a failed login of `account` from `client` at `now`.
    pub fn failed(&self, account: &str, client: IpAddr, now: i64) {
        let l = self.limits;
        let mut strikes = self.strikes.lock().unwrap_or_else(PoisonError::into_inner);
        if strikes.len() > 100_000 {
            strikes.retain(|_, s| now - s.last < l.window || now < s.wait_until || s.pending > 0);
        }
        for (key, limit) in self.counts(account, client) {
            let s = strikes.entry(key).or_default();
            if now - s.last >= l.window && now >= s.wait_until {
                *s = Strikes { pending: s.pending, ..Strikes::default() };
            }
            s.count += 1;
            s.last = now;
            if s.count >= limit {
                s.delay = if s.delay == 0 { l.first_delay } else { (s.delay * 2).min(l.max_delay) };
                s.wait_until = now + s.delay;
            }
        }
    }

    /// A successful login of `account` from `client`: its count for that client is cleared.
    pub fn succeeded(&self, account: &str, client: IpAddr) {
        let [(key, _), _] = self.counts(account, client);
        self.strikes.lock().unwrap_or_else(PoisonError::into_inner).remove(&key);
    }
}

/// Open connections, in total and per client. Held by the server across its workers.
#[derive(Debug)]
pub struct ConnectionGate {
    total: AtomicUsize,
    per_client: Mutex<HashMap<IpAddr, usize>>,
    max_total: usize,
    max_per_client: usize,
}

/// One admitted connection; leaving frees its place.
#[derive(Debug)]
pub struct Admitted {
    gate: Arc<ConnectionGate>,
    client: IpAddr,
}

impl ConnectionGate {
    pub fn new(limits: &Limits) -> Arc<Self> {
        Arc::new(Self {
            total: AtomicUsize::new(0),
            per_client: Mutex::default(),
            max_total: limits.connections_total,
            max_per_client: limits.connections_per_client,
        })
    }

    /// A place for a connection from `client`, or `None` when the server or this client
    /// is at its limit.
    pub fn admit(self: &Arc<Self>, client: IpAddr) -> Option<Admitted> {
        let mut per_client = self.per_client.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = per_client.entry(client).or_insert(0);
        if *mine >= self.max_per_client || self.total.load(Ordering::Acquire) >= self.max_total {
            metrics::refused(if *mine >= self.max_per_client {
                Limit::ConnectionsPerClient
            } else {
                Limit::ConnectionsTotal
            });
            if *mine == 0 {
                per_client.remove(&client);
            }
            return None;
        }
        *mine += 1;
        self.total.fetch_add(1, Ordering::AcqRel);
        Some(Admitted { gate: self.clone(), client })
    }

    pub fn open(&self) -> usize {
        self.total.load(Ordering::Acquire)
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut per_client = self.gate.per_client.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = per_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                per_client.remove(&self.client);
            }
        }
        self.gate.total.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The raw answer to a connection refused at the door: 503, then close.
pub const REFUSED: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 60\r\nConnection: close\r\n\r\nToo many open connections; please try again in a few seconds";

/// A form body, read within the request-time limit and the size limit: 408 when it does
/// not arrive in time, 413 when it is too large.
pub async fn read_form(body: Body, limits: &Limits) -> Result<Bytes, PageError> {
    read_form_up_to(body, limits, limits.form_body).await
}

/// [`read_form`] with another size limit (`max` bytes).
pub async fn read_form_up_to(body: Body, limits: &Limits, max: usize) -> Result<Bytes, PageError> {
    match read_body(body, limits.request_time, max).await {
        Err(Limit::BodyTime) => Err(PageError::RequestTimeout(format!(
            "the form did not arrive within {} seconds",
            limits.request_time.as_secs()
        ))),
        Err(_) => Err(PageError::TooLarge(format!(
            "the form is larger than the {} KiB this site accepts",
            max / 1024
        ))),
        Ok(bytes) => Ok(bytes),
    }
}

/// A request body of at most `max` bytes arriving within `time`; the limit it passed
/// otherwise ([`Limit::BodyTime`] or [`Limit::BodySize`], counted in `/metrics`).
pub async fn read_body(body: Body, time: Duration, max: usize) -> Result<Bytes, Limit> {
    let refusal = match tokio::time::timeout(time, axum::body::to_bytes(body, max)).await {
        Ok(Ok(bytes)) => return Ok(bytes),
        Err(_) => Limit::BodyTime,
        Ok(Err(_)) => Limit::BodySize,
    };
    metrics::refused(refusal);
    Err(refusal)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_address() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9, 198.51.100.7, 10.1.1.1"));
        assert_eq!(Client::of(ip("10.0.0.2"), &h, &trusted), Client(ip("198.51.100.7")));
        // An untrusted peer's header is not believed.
        assert_eq!(Client::of(ip("192.0.2.1"), &h, &trusted), Client(ip("192.0.2.1")));
        // Junk or only trusted hops: the peer.
        h.insert("x-forwarded-for", HeaderValue::from_static("junk, 10.2.2.2"));
        assert_eq!(Client::of(ip("10.0.0.2"), &h, &trusted), Client(ip("10.0.0.2")));
    }

    #[test]
    fn the_rate_limit_counts_per_client_and_minute() {
        let limiter = RateLimiter::new(3, Limit::ConsentRate);
        let (a, b) = (ip("192.0.2.1"), ip("192.0.2.2"));
        for _ in 0..3 {
            assert!(limiter.check(a, 120).is_ok());
        }
        assert_eq!(limiter.check(a, 150), Err(30), "30 s until the next minute");
        assert!(limiter.check(b, 150).is_ok(), "another client");
        assert!(limiter.check(a, 180).is_ok(), "a new minute");
    }

    #[test]
    fn failed_logins_impose_a_doubling_wait_per_account_and_client() {
        let failures = LoginFailures::new(LoginFailureLimits::default());
        let (a, b) = (ip("192.0.2.1"), ip("192.0.2.2"));
        let t = 1_000_000;
        for i in 0..4 {
            failures.failed("Ada@example.ch", a, t + i);
            assert!(failures.check("ada@example.ch", a, t + i).is_ok(), "failure {}", i + 1);
        }
        failures.failed("ada@example.ch", a, t + 4);
        assert_eq!(failures.check("ADA@example.ch", a, t + 4), Err(60), "the fifth: one minute");
        assert!(failures.check("ada@example.ch", b, t + 4).is_ok(), "another client");
        assert!(failures.check("bob@example.ch", a, t + 4).is_ok(), "another account");
        failures.failed("ada@example.ch", a, t + 70);
        assert_eq!(failures.check("ada@example.ch", a, t + 70), Err(120), "doubled");
        for at in [200, 500, 1000, 1600, 2400] {
            failures.failed("ada@example.ch", a, t + at);
        }
        assert_eq!(failures.check("ada@example.ch", a, t + 2400), Err(900), "at most 15 minutes");
        // Fifteen quiet minutes once the wait is over: forgotten.
        failures.failed("ada@example.ch", a, t + 3300 + 900);
        assert!(failures.check("ada@example.ch", a, t + 3300 + 900).is_ok());
        for at in 0..4 {
            failures.failed("ada@example.ch", a, t + 4400 + at);
        }
        assert!(failures.check("ada@example.ch", a, t + 4404).is_err(), "five again");
        failures.succeeded("ada@example.ch", a);
        assert!(
            failures.check("ada@example.ch", a, t + 4404).is_ok(),
            "a success clears the account's count"
        );
    }

    #[test]
    fn a_client_guessing_many_accounts_waits_for_all() {
        let failures = LoginFailures::new(LoginFailureLimits::default());
        let a = ip("192.0.2.1");
        for i in 0..20 {
            failures.failed(&format!("user{i}@example.ch"), a, 100 + i64::from(i));
        }
        assert_eq!(failures.check("someone@example.ch", a, 120), Err(59));
        assert!(failures.check("someone@example.ch", ip("192.0.2.9"), 120).is_ok());
    }

    #[test]
    fn logins_checked_at_the_same_time_cannot_pass_the_limit() {
        let failures = std::sync::Arc::new(LoginFailures::new(LoginFailureLimits::default()));
        let a = ip("192.0.2.1");
        for t in 0..4 {
            failures.failed("ada@example.ch", a, 100 + t);
        }
        // One more may be checked; while it is, a second would reach the limit if both fail.
        let first = failures.begin("ada@example.ch", a, 110).unwrap();
        assert_eq!(failures.begin("ADA@example.ch", a, 110).unwrap_err(), 1);
        first.failed(110);
        assert!(failures.begin("ada@example.ch", a, 111).unwrap_err() > 1, "now the wait runs");
        // A refusal for another reason (the guard dropped) frees its place.
        let other = failures.begin("bob@example.ch", a, 111).unwrap();
        drop(other);
        let again = failures.begin("bob@example.ch", a, 111).unwrap();
        again.succeeded();
    }

    #[test]
    fn connections_are_limited_in_total_and_per_client() {
        let gate = ConnectionGate::new(&Limits {
            connections_total: 3,
            connections_per_client: 2,
            ..Limits::default()
        });
        let a1 = gate.admit(ip("192.0.2.1")).unwrap();
        let _a2 = gate.admit(ip("192.0.2.1")).unwrap();
        assert!(gate.admit(ip("192.0.2.1")).is_none(), "per client");
        let _b = gate.admit(ip("192.0.2.2")).unwrap();
        assert!(gate.admit(ip("192.0.2.3")).is_none(), "in total");
        drop(a1);
        let c = gate.admit(ip("192.0.2.3"));
        assert!(c.is_some());
        assert_eq!(gate.open(), 3);
        drop(c);
        assert_eq!(gate.open(), 2, "leaving frees the place");
    }
}
