//! Lead notifications: each stored lead, sent as JSON to the operator's webhook (`POST`).
//!
//! The web layer stores a lead and, in the same transaction, a row of the outbox
//! ([`crate::store::Store::insert_lead`]); nothing here runs while a reader waits. A
//! [`Worker`] polls the outbox every second, claims what is due, POSTs each lead signed
//! with HMAC-SHA256 (`X-Certwise-Signature: sha256=<hex>`, over the exact body) and marks
//! it delivered on a 2xx answer within 5 s. Anything else is retried with exponential
//! backoff ([`Backoff`]) until 24 hours after the lead, then marked failed with the last
//! error. A failing receiver delays a notification and never loses or blocks a lead; the
//! outbox is in the database, so a restart resumes it. Delivery is at least once: a
//! worker that dies between the receiver's answer and marking the row sends it again
//! after the claim's lease, so receivers should treat the lead's `id` as idempotent.
//!
//! Polling rather than a nudge from the web layer: it needs nothing from the request path,
//! works for leads stored by any process or instance on the database, and costs one indexed
//! query a second; a second's delay does not matter for a sales notification. With several
//! instances on one database, each round is one instance's turn ([`Store::job_turn`]).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;

use crate::domain::lead::Lead;
use crate::store::{Job, Notification, Store};

/// The header that carries the body's signature.
pub const SIGNATURE_HEADER: &str = "x-certwise-signature";

/// Where leads are announced, and the key that signs them. `Debug` does not show the
/// secret, nor the URL's query or credentials (a token may sit there).
#[derive(Clone)]
pub struct Webhook {
    url: url::Url,
    uri: hyper::Uri,
    secret: Arc<[u8]>,
}

/// The shortest secret accepted: HMAC with a shorter key is easy to guess.
pub const MIN_SECRET_BYTES: usize = 16;

impl Webhook {
    /// An `http://` or `https://` URL with a host, and a secret of at least
    /// [`MIN_SECRET_BYTES`] bytes.
    pub fn new(url: &str, secret: &str) -> Result<Self, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{}` is not an http:// or https:// URL with a host", redacted(&parsed)));
        }
        let uri = parsed.as_str().parse().map_err(|e| format!("`{}`: {e}", redacted(&parsed)))?;
        if secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "the secret has {} bytes; at least {MIN_SECRET_BYTES} are needed (e.g. `openssl rand -hex 32`)",
                secret.len()
            ));
        }
        Ok(Self { url: parsed, uri, secret: Arc::from(secret.as_bytes()) })
    }

    /// The URL without credentials, query or fragment: for logs.
    pub fn display_url(&self) -> String {
        redacted(&self.url)
    }

    /// The header value for `body`: `sha256=<hex HMAC-SHA256 of body with the secret>`.
    pub fn signature(&self, body: &[u8]) -> String {
        signature(&self.secret, body)
    }
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Webhook").field("url", &self.display_url()).field("secret", &"…").finish()
    }
}

fn redacted(url: &url::Url) -> String {
    let mut url = url.clone();
    let _ = url.set_username("");
    let _ = url.set_password(None);
    url.set_query(None);
    url.set_fragment(None);
    url.to_string()
}

/// `sha256=<hex HMAC-SHA256 of body with secret>`, what a receiver recomputes to check
/// that a notification is ours and unchanged.
///
/// ```
/// // RFC 4231, test case 2
/// let sig = certwise::outbox::signature(b"Jefe", b"what do ya want for nothing?");
/// assert_eq!(sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
/// ```
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    use hmac::Mac as _;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(body);
    format!("sha256={}", crate::seal::hex(&mac.finalize().into_bytes()))
}

/// The body a receiver gets for a lead: the stored `Lead` as JSON.
pub fn body(lead: &Lead) -> Vec<u8> {
    serde_json::to_vec(lead).expect("a lead serializes to JSON")
}

/// When to try a failed notification again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure; it doubles after each further one.
    pub base: Duration,
    /// The longest wait.
    pub cap: Duration,
    /// How long after the lead was received it is still tried.
    pub give_up_after: Duration,
}

impl Default for Backoff {
    /// 10 s, 20 s, 40 s … capped at one hour, for 24 hours.
    fn default() -> Self {
        Self {
            base: Duration::from_secs(10),
            cap: Duration::from_secs(3600),
            give_up_after: Duration::from_secs(24 * 3600),
        }
    }
}

/// What follows a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    RetryAt(DateTime<Utc>),
    GiveUp,
}

impl Backoff {
    /// The wait after `failures` failed attempts (1 for the first): `base · 2^(failures−1)`,
    /// at most `cap`.
    pub fn delay(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        self.base.saturating_mul(1 << doublings).min(self.cap)
    }

    /// After the `failures`-th failed attempt at `now` for a lead received at
    /// `received_at`: the next attempt after [`Backoff::delay`], but not later than the
    /// deadline (`received_at + give_up_after`), so the last attempt is made at the
    /// deadline; once the deadline is reached, give up. A notification never tried before
    /// its deadline (a server down for a day) still gets its one attempt.
    pub fn after_failure(&self, failures: u32, received_at: DateTime<Utc>, now: DateTime<Utc>) -> Next {
        let span = |d: Duration| chrono::TimeDelta::from_std(d).unwrap_or(chrono::TimeDelta::MAX);
        let Some(deadline) = received_at.checked_add_signed(span(self.give_up_after)) else {
            return Next::RetryAt(now + span(self.delay(failures)));
        };
        if now >= deadline {
            return Next::GiveUp;
        }
        let next = now.checked_add_signed(span(self.delay(failures))).unwrap_or(deadline);
        Next::RetryAt(next.min(deadline))
    }
}

/// How the worker runs; [`Settings::default`] is production, tests shorten the times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// How often the outbox is asked for due notifications.
    pub poll: Duration,
    /// How long the receiver has to answer (connection, request and status line).
    pub timeout: Duration,
    /// How long a claimed notification stays away from other workers: longer than the
    /// timeout plus the time to mark the result (the database's busy timeout is 10 s).
    pub lease: Duration,
    /// Notifications claimed (and sent concurrently) at once.
    pub batch: usize,
    pub backoff: Backoff,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(1),
            timeout: Duration::from_secs(5),
            lease: Duration::from_secs(60),
            batch: 16,
            backoff: Backoff::default(),
        }
    }
}

type HttpClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

/// The delivery task; dropping it stops it (a notification in flight is sent again after
/// its lease).
#[derive(Debug)]
pub struct Worker {
    task: tokio::task::JoinHandle<()>,
}

impl Worker {
    /// Starts delivering the outbox of `store` to `webhook` on the current runtime.
    pub fn spawn(store: Arc<dyn Store>, webhook: Webhook, settings: Settings) -> Self {
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .build();
        let client: HttpClient = Client::builder(hyper_util::rt::TokioExecutor::new()).build(https);
        let sender = Sender { store, webhook: Arc::new(webhook), client, settings };
        Self { task: tokio::spawn(sender.run()) }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Sender {
    store: Arc<dyn Store>,
    webhook: Arc<Webhook>,
    client: HttpClient,
    settings: Settings,
}

impl Sender {
    async fn run(self) {
        let s = self.settings;
        let lease = chrono::TimeDelta::from_std(s.lease).unwrap_or(chrono::TimeDelta::MAX);
        loop {
            // One round at a time across the instances on the database, held until its
            // deliveries are recorded (the claims' leases alone already keep two workers
            // from sending one notification).
            let turn = match self.store.job_turn(Job::Outbox).await {
                Ok(turn) => turn,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the lead outbox failed; trying again");
                    None
                }
            };
            let now = Utc::now();
            let due = match turn {
                Some(_) => self.store.due_notifications(now, s.batch, now + lease).await,
                None => Ok(Vec::new()),
            };
            let claimed = match due {
                Ok(due) => {
                    let n = due.len();
                    let mut sending = tokio::task::JoinSet::new();
                    for notification in due {
                        sending.spawn(self.clone().send(notification));
                    }
                    while sending.join_next().await.is_some() {}
                    drop(turn);
                    n
                }
                Err(e) => {
                    tracing::warn!(error = %e, "reading the lead outbox failed; trying again");
                    0
                }
            };
            // A full batch: there may be more due at once.
            if claimed < s.batch {
                tokio::time::sleep(s.poll).await;
            }
        }
    }

    async fn send(self, n: Notification) {
        let body = body(&n.lead);
        let result = self.post(body).await;
        let marked = match result {
            Ok(()) => {
                tracing::info!(lead = %n.lead.id, attempts = n.attempts, "lead notification delivered");
                self.store.mark_delivered(n.id).await
            }
            Err(error) => {
                match self.settings.backoff.after_failure(n.attempts, n.lead.received_at, Utc::now()) {
                    Next::RetryAt(at) => {
                        tracing::warn!(lead = %n.lead.id, attempts = n.attempts, %error, retry_at = %at, "lead notification failed; will retry");
                        self.store.mark_retry(n.id, at, &error).await
                    }
                    Next::GiveUp => {
                        tracing::error!(lead = %n.lead.id, attempts = n.attempts, %error, "lead notification given up");
                        self.store.mark_failed(n.id, &error).await
                    }
                }
            }
        };
        if let Err(e) = marked {
            // The claim's lease runs out and the notification is tried again.
            tracing::error!(lead = %n.lead.id, error = %e, "could not record a lead notification's outcome");
        }
    }

    /// One POST; `Err` with a short reason unless the receiver answered 2xx in time.
    async fn post(&self, body: Vec<u8>) -> Result<(), String> {
        use hyper::header;
        let request = hyper::Request::post(self.webhook.uri.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, concat!("certwise/", env!("CARGO_PKG_VERSION")))
            .header(SIGNATURE_HEADER, self.webhook.signature(&body))
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| format!("building the request: {e}"))?;
        let timeout = self.settings.timeout;
        let response = tokio::time::timeout(timeout, self.client.request(request))
            .await
            .map_err(|_| format!("no answer within {} ms", timeout.as_millis()))?
            .map_err(|e| chain(&e))?;
        let status = response.status();
        if status.is_success() { Ok(()) } else { Err(format!("HTTP {status}")) }
    }
}

/// An error with its causes: hyper's own message ("client error (Connect)") says little.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn the_wait_doubles_from_ten_seconds_up_to_an_hour() {
        let b = Backoff::default();
        let waits: Vec<u64> = (1..=12).map(|n| b.delay(n).as_secs()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600]);
        assert_eq!(b.delay(0), b.base, "no failure counted yet: the base");
        assert_eq!(b.delay(u32::MAX), b.cap, "no overflow");
    }

    #[test]
    fn a_failure_is_retried_after_the_wait() {
        let b = Backoff::default();
        let received = at("2026-11-26T10:00:00Z");
        assert_eq!(b.after_failure(1, received, received), Next::RetryAt(at("2026-11-26T10:00:10Z")));
        let later = at("2026-11-26T12:00:00Z");
        assert_eq!(b.after_failure(11, received, later), Next::RetryAt(at("2026-11-26T13:00:00Z")));
    }

    #[test]
    fn the_last_attempt_is_at_the_deadline_and_a_failure_then_gives_up() {
        let b = Backoff::default();
        let received = at("2026-11-26T10:00:00Z");
        let deadline = at("2026-11-27T10:00:00Z");
        let shortly_before = at("2026-11-27T09:30:00Z");
        assert_eq!(b.after_failure(30, received, shortly_before), Next::RetryAt(deadline));
        assert_eq!(b.after_failure(31, received, deadline), Next::GiveUp);
        assert_eq!(b.after_failure(1, received, at("2026-11-29T00:00:00Z")), Next::GiveUp);
    }

    #[test]
    fn a_schedule_of_a_day_is_about_thirty_attempts() {
        let b = Backoff::default();
        let received = at("2026-11-26T10:00:00Z");
        let (mut now, mut failures) = (received, 0);
        while let Next::RetryAt(next) = b.after_failure(failures + 1, received, now) {
            assert!(next > now);
            failures += 1;
            now = next;
        }
        assert_eq!(now, at("2026-11-27T10:00:00Z"), "the last attempt is made at the deadline");
        assert_eq!(failures, 32);
    }

    #[test]
    fn the_signature_is_the_hmac_of_the_exact_body() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_ne!(
            signature(b"Jefe", b"what do ya want for nothing? "),
            signature(b"Jefe", b"what do ya want for nothing?")
        );
    }

    #[test]
    fn a_webhook_needs_an_http_url_and_a_long_enough_secret() {
        let secret = "0123456789abcdef";
        assert!(Webhook::new("https://crm.example.ch/hooks/leads", secret).is_ok());
        assert!(Webhook::new("http://127.0.0.1:9000/", secret).is_ok());
        for url in ["ftp://example.ch/", "crm.example.ch/hook", "https://", "mailto:sales@example.ch"] {
            assert!(Webhook::new(url, secret).is_err(), "{url}");
        }
        let short = Webhook::new("https://crm.example.ch/", "short").unwrap_err();
        assert!(short.contains("at least 16"), "{short}");
    }

    #[test]
    fn the_debug_form_shows_neither_the_secret_nor_a_token_in_the_url() {
        let hook =
            Webhook::new("https://user:pw@crm.example.ch/hook?token=abc#x", "0123456789abcdef-SHH").unwrap();
        let shown = format!("{hook:?}");
        assert!(shown.contains("https://crm.example.ch/hook"), "{shown}");
        for hidden in ["SHH", "token", "abc", "pw", "user"] {
            assert!(!shown.contains(hidden), "{hidden} in {shown}");
        }
    }
}
