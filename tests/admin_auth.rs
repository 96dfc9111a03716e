//! The editors' area's accounts and sessions, driven in-process: login and its limits,
//! session rotation, expiry and revocation, the form token and the same-origin rule on
//! every admin form, the temporary-password gate, roles, the headers of private pages,
//! and the `certwise user` commands.

mod common;

use axum::body::Body;
use axum::http::Request;
use certwise::accounts;
use certwise::domain::account::Role;
use certwise::web::{self, App, AppState};
use common::{Reply, form_token, request, sample_content};

/// The site's own origin (content/site.toml), which the same-origin rule accepts.
const ORIGIN: &str = "https://www.example.ch";
/// A password that passes the policy.
const PASSWORD: &str = "plum tree at dawn";

struct Site {
    state: AppState,
    app: App,
}

async fn site() -> Site {
    let state = common::state(&sample_content(), "2026-11-26").await;
    Site { app: web::router(state.clone()), state }
}

impl Site {
    /// An account with `PASSWORD`, already changed from the temporary one (unless `temporary`).
    async fn account(&self, email: &str, role: Role, temporary: bool) {
        let store = self.state.store.as_ref();
        let now = self.state.time.now();
        let first = if temporary { PASSWORD } else { "a temporary one at first" };
        let (user, _) =
            accounts::add_user(store, email, role, Some(first), accounts::CLI, now).await.unwrap();
        if !temporary {
            accounts::change_password(store, &user, "", PASSWORD, now).await.unwrap();
        }
    }

    async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        request(&self.app, req.body(Body::empty()).unwrap()).await
    }

    async fn post(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        cookie: Option<&str>,
        origin: Option<&str>,
    ) -> Reply {
        let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        request(&self.app, req.body(Body::from(body)).unwrap()).await
    }

    /// Posts the login form (with a fresh site form token) as `email`/`password`,
    /// sending `cookie` if given.
    async fn try_login(&self, email: &str, password: &str, cookie: Option<&str>) -> Reply {
        let token = form_token(&self.get("/admin/login", None).await.body);
        let fields = [("email", email), ("password", password), ("token", &token), ("next", "/admin/")];
        self.post("/admin/login", &fields, cookie, Some(ORIGIN)).await
    }

    /// Logs in and returns the session cookie (`name=value`).
    async fn login(&self, email: &str) -> String {
        let r = self.try_login(email, PASSWORD, None).await;
        assert_eq!(r.status, 303, "login of {email}: {}", r.body);
        session_cookie(&r).expect("a session cookie")
    }

    /// The form token of the session `cookie` (from the dashboard's logout button).
    async fn token(&self, cookie: &str) -> String {
        let page = self.get("/admin/password", Some(cookie)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        form_token(&page.body)
    }

    /// Whether `cookie` names a live session.
    async fn live(&self, cookie: &str) -> bool {
        let r = self.get("/admin/sessions", Some(cookie)).await;
        assert!(matches!(r.status.as_u16(), 200 | 303), "{}", r.status);
        r.status == 200
    }
}

/// `name=value` of the session cookie a response sets.
fn session_cookie(r: &Reply) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("__Host-cw_session="))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// A page with its per-second site form token blanked, for comparing two answers.
fn without_token(html: &str) -> String {
    regex::Regex::new(r#"name="token" value="[^"]*""#).unwrap().replace_all(html, "TOKEN").into_owned()
}

#[tokio::test]
async fn a_member_of_staff_logs_in_with_a_host_only_strict_cookie() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let login = s.get("/admin/", None).await;
    assert_eq!((login.status.as_u16(), login.header("location")), (303, "/admin/login?next=%2Fadmin%2F"));
    let r = s.try_login("Ada@Example.CH", PASSWORD, None).await;
    assert_eq!((r.status.as_u16(), r.header("location")), (303, "/admin/"));
    let set = r.header("set-cookie");
    for part in ["__Host-cw_session=", "Secure", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(part), "{part} in {set}");
    }
    assert!(!set.contains("Domain"), "host-only: {set}");
    let value = session_cookie(&r).unwrap();
    assert_eq!(value.len(), "__Host-cw_session=".len() + 43, "256 random bits, base64: {value}");
    let dashboard = s.get("/admin/", Some(&value)).await;
    assert_eq!(dashboard.status, 200);
    assert!(dashboard.body.contains("ada@example.ch") && dashboard.body.contains(">editor<"));
    // The stored id is not the cookie's token.
    let token = value.split_once('=').unwrap().1;
    assert!(s.state.store.session(token).await.unwrap().is_none());
}

#[tokio::test]
async fn login_goes_back_to_a_local_page_only() {
    let s = site().await;
    s.account("ada@example.ch", Role::Admin, false).await;
    for (next, to) in [
        ("/admin/audit?page=1", "/admin/audit?page=1"),
        ("https://evil.example/admin/", "/admin/"),
        ("//evil.example/admin/", "/admin/"),
        ("/en/answers/", "/admin/"),
    ] {
        let page = s.get(&format!("/admin/login?next={}", urlencode(next)), None).await;
        let token = form_token(&page.body);
        assert!(
            page.body.contains(&format!("name=\"next\" value=\"{}\"", to.replace('&', "&amp;"))),
            "{next}"
        );
        let fields = [("email", "ada@example.ch"), ("password", PASSWORD), ("token", &token), ("next", next)];
        let r = s.post("/admin/login", &fields, None, Some(ORIGIN)).await;
        assert_eq!(r.header("location"), to, "{next}");
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::test]
async fn an_unknown_account_a_disabled_one_and_a_wrong_password_get_the_same_answer() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    s.account("bob@example.ch", Role::Editor, false).await;
    accounts::disable_user(s.state.store.as_ref(), "bob@example.ch", accounts::CLI, s.state.time.now())
        .await
        .unwrap();
    let answers = [
        s.try_login("ada@example.ch", "not the password at all", None).await,
        s.try_login("nobody@example.ch", "not the password at all", None).await,
        s.try_login("bob@example.ch", PASSWORD, None).await,
    ];
    for r in &answers {
        assert_eq!(r.status, 403);
        assert!(r.body.contains("The email address or the password is not right."), "{}", r.body);
        assert!(session_cookie(r).is_none());
    }
    // Byte for byte the same page, but for the email kept in the form.
    let same = |r: &Reply, email: &str| without_token(&r.body).replace(email, "EMAIL");
    assert_eq!(same(&answers[0], "ada@example.ch"), same(&answers[1], "nobody@example.ch"));
    assert_eq!(same(&answers[0], "ada@example.ch"), same(&answers[2], "bob@example.ch"));
    assert!(answers[1].body.contains("value=\"nobody@example.ch\""), "the email is kept");
}

#[tokio::test]
async fn a_nul_character_in_a_form_is_named_not_stored() {
    // PostgreSQL cannot store U+0000 in text: the form is refused before the database.
    let s = site().await;
    let r = s.try_login("ada\0@example.ch", "not the password at all", None).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("NUL character"), "{}", r.body);
    let cookie = {
        s.account("ada@example.ch", Role::Editor, false).await;
        s.login("ada@example.ch").await
    };
    let r = s.get("/admin/edit/answers/en/a%00b.md", Some(&cookie)).await;
    assert_eq!(r.status, 404, "a path with a control character names no record: {}", r.body);
}

#[tokio::test]
async fn the_same_work_is_done_for_an_unknown_account() {
    // Both verify one Argon2id hash of the same cost: the unknown account's takes at least
    // half as long as a real one's (a missing verification would take microseconds).
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let store = s.state.store.as_ref();
    let time = |email: &'static str| async move {
        let started = std::time::Instant::now();
        for _ in 0..3 {
            assert!(accounts::authenticate(store, email, "wrong password here").await.unwrap().is_none());
        }
        started.elapsed()
    };
    let (known, unknown) = (time("ada@example.ch").await, time("nobody@example.ch").await);
    assert!(unknown * 2 > known, "unknown {unknown:?} vs known {known:?}");
}

#[tokio::test]
async fn logins_are_limited_per_client_and_minute() {
    let s = site().await;
    // At the start of a minute, so the eleven attempts fall in one (the windows are fixed).
    s.state.time.advance(60 - s.state.time.now().timestamp().rem_euclid(60));
    for i in 0..10 {
        let r = s.try_login(&format!("user{i}@example.ch"), "wrong password here", None).await;
        assert_eq!(r.status, 403, "attempt {}", i + 1);
    }
    let r = s.try_login("late@example.ch", "wrong password here", None).await;
    assert_eq!(r.status, 429);
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(
        r.body.contains("Too many login attempts") && r.body.contains("value=\"late@example.ch\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("<form method=\"post\" action=\"/admin/login\""), "the form again");
    s.state.time.advance(60);
    assert_eq!(s.try_login("late@example.ch", "wrong password here", None).await.status, 403, "a new minute");
}

#[tokio::test]
async fn failed_logins_make_the_account_wait_twice_as_long_each_time() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    for _ in 0..5 {
        assert_eq!(s.try_login("ada@example.ch", "wrong password here", None).await.status, 403);
    }
    let r = s.try_login("ada@example.ch", PASSWORD, None).await;
    assert_eq!((r.status.as_u16(), r.header("retry-after")), (429, "60"), "even the right password waits");
    assert!(r.body.contains("Too many failed logins") && r.body.contains("value=\"ada@example.ch\""));
    assert!(session_cookie(&r).is_none());
    s.state.time.advance(61);
    let r = s.try_login("ada@example.ch", "wrong password here", None).await;
    assert_eq!(r.status, 403);
    let r = s.try_login("ada@example.ch", PASSWORD, None).await;
    assert_eq!((r.status.as_u16(), r.header("retry-after")), (429, "120"), "doubled");
    s.state.time.advance(121);
    assert_eq!(s.try_login("ada@example.ch", PASSWORD, None).await.status, 303, "in after the wait");
}

#[tokio::test]
async fn one_client_guessing_many_accounts_waits_after_twenty() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    for i in 0..20 {
        if i % 8 == 0 {
            s.state.time.advance(60); // stay under the login rate (10 a minute)
        }
        let r = s.try_login(&format!("guess{i}@example.ch"), "wrong password here", None).await;
        assert_eq!(r.status, 403, "guess {}", i + 1);
    }
    let r = s.try_login("ada@example.ch", PASSWORD, None).await;
    assert_eq!(r.status, 429, "any account from this client");
    assert!(r.header("retry-after").parse::<u64>().unwrap() >= 59);
}

#[tokio::test]
async fn logging_in_again_replaces_the_session() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let first = s.login("ada@example.ch").await;
    let r = s.try_login("ada@example.ch", PASSWORD, Some(&first)).await;
    let second = session_cookie(&r).unwrap();
    assert_ne!(first, second, "a new id at login");
    assert!(!s.live(&first).await, "the old session is deleted");
    assert!(s.live(&second).await);
}

#[tokio::test]
async fn a_session_ends_after_two_idle_hours() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let cookie = s.login("ada@example.ch").await;
    s.state.time.advance(2 * 3600 - 60);
    assert!(s.live(&cookie).await, "1 h 59 min idle");
    s.state.time.advance(2 * 3600);
    let r = s.get("/admin/sessions", Some(&cookie)).await;
    assert_eq!((r.status.as_u16(), r.header("location")), (303, "/admin/login?next=%2Fadmin%2Fsessions"));
    s.state.time.advance(-4 * 3600);
    assert!(!s.live(&cookie).await, "deleted, not only refused");
}

#[tokio::test]
async fn a_busy_session_still_ends_after_twelve_hours() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let cookie = s.login("ada@example.ch").await;
    for _ in 0..6 {
        s.state.time.advance(110 * 60);
        assert!(s.live(&cookie).await);
    }
    s.state.time.advance(60 * 60); // 12 h 0 min after login, 1 h after the last page
    assert!(!s.live(&cookie).await);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_at_once() {
    let s = site().await;
    s.account("ada@example.ch", Role::Publisher, false).await;
    let cookie = s.login("ada@example.ch").await;
    assert!(s.live(&cookie).await);
    accounts::disable_user(s.state.store.as_ref(), "ada@example.ch", accounts::CLI, s.state.time.now())
        .await
        .unwrap();
    assert!(!s.live(&cookie).await);
}

#[tokio::test]
async fn logout_ends_the_session_and_removes_the_cookie() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let cookie = s.login("ada@example.ch").await;
    let token = s.token(&cookie).await;
    let r = s.post("/admin/logout", &[("token", &token)], Some(&cookie), Some(ORIGIN)).await;
    assert_eq!((r.status.as_u16(), r.header("location")), (303, "/admin/login"));
    assert!(r.header("set-cookie").starts_with("__Host-cw_session=;"), "{}", r.header("set-cookie"));
    assert!(r.header("set-cookie").contains("Max-Age=0"));
    assert!(!s.live(&cookie).await);
}

/// Every admin form POST this module adds, with its fields besides the token.
const FORMS: &[(&str, &[(&str, &str)])] = &[
    ("/admin/logout", &[]),
    (
        "/admin/password",
        &[("current", PASSWORD), ("new", "a new phrase for me"), ("repeat", "a new phrase for me")],
    ),
    ("/admin/sessions/end-others", &[]),
];

#[tokio::test]
async fn every_admin_form_needs_the_sessions_token_and_this_sites_origin() {
    let s = site().await;
    s.account("ada@example.ch", Role::Admin, false).await;
    s.account("bob@example.ch", Role::Admin, false).await;
    let cookie = s.login("ada@example.ch").await;
    let other = s.login("ada@example.ch").await; // a second session of Ada's
    let token = s.token(&cookie).await;
    let bobs = s.token(&s.login("bob@example.ch").await).await;
    for (path, fields) in FORMS {
        let with = |token: &str| {
            let mut all: Vec<(&str, &str)> = fields.to_vec();
            all.push(("token", token));
            all.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect::<Vec<_>>()
        };
        let send = |fields: Vec<(String, String)>, origin: Option<&'static str>| {
            let cookie = cookie.clone();
            let s = &s;
            async move {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                s.post(path, &fields, Some(&cookie), origin).await
            }
        };
        let r = send(with(""), Some(ORIGIN)).await;
        assert_eq!(r.status, 403, "{path} without a token");
        assert!(r.body.contains("security token is missing"), "{path}: {}", r.body);
        let r = send(with(&bobs), Some(ORIGIN)).await;
        assert_eq!(r.status, 403, "{path} with another session's token");
        assert!(r.body.contains("does not belong to your session"), "{path}");
        let r = send(with(&token), Some("https://evil.example")).await;
        assert_eq!(r.status, 403, "{path} from another origin");
        assert!(
            r.body.contains(
                "Request from a foreign origin refused (https://evil.example); nothing was changed."
            ),
            "{path}: {}",
            r.body
        );
        assert_eq!(r.header("cache-control"), "no-store");
        // Nothing changed: both sessions live, the password is the old one.
        assert!(s.live(&cookie).await && s.live(&other).await, "{path}");
        assert!(
            accounts::authenticate(s.state.store.as_ref(), "ada@example.ch", PASSWORD)
                .await
                .unwrap()
                .is_some()
        );
    }
    // The login form: the site's form token and the origin.
    let fields = [("email", "ada@example.ch"), ("password", PASSWORD), ("token", "1.forged")];
    let r = s.post("/admin/login", &fields, None, Some(ORIGIN)).await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("did not come from this site"));
    let token = form_token(&s.get("/admin/login", None).await.body);
    let fields = [("email", "ada@example.ch"), ("password", PASSWORD), ("token", token.as_str())];
    let r = s.post("/admin/login", &fields, None, Some("https://evil.example")).await;
    assert_eq!(r.status, 403);
    assert!(session_cookie(&r).is_none());
    let cross_site = Request::post("/admin/login")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("email=ada%40example.ch&password=plum+tree+at+dawn&token={token}")))
        .unwrap();
    assert_eq!(request(&s.app, cross_site).await.status, 403);
}

#[tokio::test]
async fn a_temporary_password_must_be_changed_before_anything_else() {
    let s = site().await;
    s.account("ada@example.ch", Role::Admin, true).await;
    let r = s.try_login("ada@example.ch", PASSWORD, None).await;
    assert_eq!(r.header("location"), "/admin/password");
    let cookie = session_cookie(&r).unwrap();
    for path in ["/admin/", "/admin/audit", "/admin/sessions", "/admin/users"] {
        let r = s.get(path, Some(&cookie)).await;
        assert_eq!((r.status.as_u16(), r.header("location")), (303, "/admin/password"), "{path}");
    }
    let other = session_cookie(&s.try_login("ada@example.ch", PASSWORD, None).await).unwrap();
    let page = s.get("/admin/password", Some(&cookie)).await;
    assert!(page.body.contains("Your password is temporary"));
    let token = form_token(&page.body);
    let change = |current: &'static str, new: &'static str, repeat: &'static str| {
        let (cookie, token, s) = (cookie.clone(), token.clone(), &s);
        async move {
            let fields = [("token", token.as_str()), ("current", current), ("new", new), ("repeat", repeat)];
            s.post("/admin/password", &fields, Some(&cookie), Some(ORIGIN)).await
        }
    };
    let r = change("wrong password here", "a new phrase for me", "a new phrase for me").await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("id=\"password-current-error\">This is not your current password."));
    let r = change(PASSWORD, "a new phrase for me", "a new phrase for you").await;
    assert!(r.body.contains("id=\"password-repeat-error\">The two new passwords differ"));
    let r = change(PASSWORD, "password1234", "password1234").await;
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("id=\"password-new-error\">The password is on the list of commonly used passwords")
    );
    let r = change(PASSWORD, "too short", "too short").await;
    assert!(r.body.contains("The password has 9 characters; it needs at least 12."), "{}", r.body);
    let r = change(PASSWORD, "a new phrase for me", "a new phrase for me").await;
    assert_eq!((r.status.as_u16(), r.header("location")), (303, "/admin/"));
    assert_eq!(s.get("/admin/", Some(&cookie)).await.status, 200, "open now");
    assert!(!s.live(&other).await, "other sessions end with the old password");
}

#[tokio::test]
async fn ending_ones_other_sessions_keeps_this_one() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let (this, second, third) =
        (s.login("ada@example.ch").await, s.login("ada@example.ch").await, s.login("ada@example.ch").await);
    let page = s.get("/admin/sessions", Some(&this)).await;
    assert_eq!(page.body.matches("<tr><td data-label=\"Started\">").count(), 3);
    assert_eq!(page.body.matches("this session").count(), 1);
    let token = form_token(&page.body);
    let r = s.post("/admin/sessions/end-others", &[("token", &token)], Some(&this), Some(ORIGIN)).await;
    assert_eq!(r.header("location"), "/admin/sessions?ended=2");
    assert!(s.get("/admin/sessions?ended=2", Some(&this)).await.body.contains("2 other sessions ended."));
    assert!(s.live(&this).await && !s.live(&second).await && !s.live(&third).await);
}

#[tokio::test]
async fn only_admins_read_the_audit_log_and_the_users() {
    let s = site().await;
    s.account("ed@example.ch", Role::Editor, false).await;
    s.account("pat@example.ch", Role::Publisher, false).await;
    s.account("ada@example.ch", Role::Admin, false).await;
    for who in ["ed@example.ch", "pat@example.ch"] {
        let cookie = s.login(who).await;
        for path in ["/admin/audit", "/admin/users"] {
            let r = s.get(path, Some(&cookie)).await;
            assert_eq!(r.status, 403, "{who} {path}");
            assert!(r.body.contains("does not allow this"), "{}", r.body);
            assert!(!s.get("/admin/", Some(&cookie)).await.body.contains("href=\"/admin/audit\""), "no link");
        }
    }
    let cookie = s.login("ada@example.ch").await;
    let audit = s.get("/admin/audit", Some(&cookie)).await;
    assert_eq!(audit.status, 200);
    let text = common::text(&audit.body);
    assert!(text.contains("cli user.add ed@example.ch editor"), "{text}");
    assert!(text.contains("ed@example.ch password.change ed@example.ch"), "{text}");
    assert!(text.contains("ada@example.ch login ada@example.ch"), "{text}");
    let users = common::text(&s.get("/admin/users", Some(&cookie)).await.body);
    assert!(users.contains("pat@example.ch publisher active"), "{users}");
    assert_eq!(s.get("/admin/audit?page=0", Some(&cookie)).await.status, 400);
    assert_eq!(s.get("/admin/audit?page=2", Some(&cookie)).await.status, 404, "one page so far");
}

#[tokio::test]
async fn the_audit_log_pages_newest_first() {
    let s = site().await;
    s.account("ada@example.ch", Role::Admin, false).await;
    for i in 0..25 {
        s.state
            .store
            .append_audit("import", "answer.import", &format!("answers/en/a{i}.md"), "")
            .await
            .unwrap();
    }
    let cookie = s.login("ada@example.ch").await;
    let first = s.get("/admin/audit", Some(&cookie)).await.body;
    assert!(first.contains("Page 1 of 2") && first.contains("href=\"/admin/audit?page=2\""));
    assert!(first.contains("answers/en/a24.md") && !first.contains("answers/en/a4.md<"), "newest first");
    assert!(
        first.find("ada@example.ch</td><td data-label=\"What\"><code>login").unwrap()
            < first.find("a24.md").unwrap()
    );
    let second = s.get("/admin/audit?page=2", Some(&cookie)).await.body;
    assert!(second.contains("cli</td><td data-label=\"What\"><code>user.add"), "the oldest on the last page");
}

#[tokio::test]
async fn admin_pages_are_private_unindexed_and_never_cached() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let cookie = s.login("ada@example.ch").await;
    let pages = [
        s.get("/admin/login", None).await,
        s.get("/admin/", Some(&cookie)).await,
        s.get("/admin/sessions", Some(&cookie)).await,
        s.get("/admin/audit", Some(&cookie)).await, // a 403 page
        s.get("/admin/", None).await,               // a redirect
    ];
    for r in &pages {
        assert_eq!(r.header("cache-control"), "no-store", "{}", r.status);
        assert_eq!(r.header("x-robots-tag"), "noindex");
        assert!(r.header("content-security-policy").contains("script-src 'nonce-"));
        if r.status != 303 {
            assert!(r.body.contains("<meta name=\"robots\" content=\"noindex\">"));
            assert!(!r.body.contains("<script"), "no scripts in the editors' area");
        }
    }
    let unknown = s.get("/admin/no-such-page", Some(&cookie)).await;
    assert_eq!((unknown.status.as_u16(), unknown.header("cache-control")), (404, "no-store"));
    assert!(unknown.body.contains("no such page in the editors&#39; area"), "{}", unknown.body);
    assert!(s.state.pages.is_empty(), "nothing of /admin/ in the render cache");
    let gzip = Request::get("/admin/login").header("accept-encoding", "gzip").body(Body::empty()).unwrap();
    let r = request(&s.app, gzip).await;
    assert!(
        r.header("content-encoding").is_empty() && r.body.contains("<h1>Log in</h1>"),
        "never compressed (BREACH)"
    );
    let public = Request::get("/en/").header("accept-encoding", "gzip").body(Body::empty()).unwrap();
    assert_eq!(request(&s.app, public).await.header("content-encoding"), "gzip", "as public pages are");
    let robots = s.get("/robots.txt", None).await.body;
    assert!(robots.contains("Disallow: /admin/"));
}

#[tokio::test]
async fn the_session_cookie_follows_the_development_exception_over_loopback_http() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let page = request(
        &s.app,
        Request::get("/admin/login").header("host", "127.0.0.1:8200").body(Body::empty()).unwrap(),
    )
    .await;
    let token = form_token(&page.body);
    let req = Request::post("/admin/login")
        .header("host", "127.0.0.1:8200")
        .header("origin", "http://127.0.0.1:8200")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("email=ada%40example.ch&password=plum+tree+at+dawn&token={token}")))
        .unwrap();
    let r = request(&s.app, req).await;
    assert_eq!(r.status, 303);
    let set = r.header("set-cookie");
    assert!(
        set.starts_with("cw_session=") && !set.contains("Secure") && set.contains("SameSite=Strict"),
        "{set}"
    );
}

/// Runs `certwise` with `args` (and `stdin`), returning (success, stdout, stderr).
fn certwise(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(args)
        .env_remove("CERTWISE_DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_user_commands_manage_accounts_and_say_why_they_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let db = ["--database", url.as_str()];
    let with = |args: &[&'static str]| [args, &db[..]].concat();

    let (ok, out, err) = certwise(&with(&["user", "add", "Ada@Example.ch", "--role", "admin"]), None);
    assert!(ok, "{err}");
    let password = out.trim().to_owned();
    assert_eq!(password.len(), 24, "one line: the temporary password ({out})");
    assert!(
        err.contains("added Ada@Example.ch (admin)") && err.contains("changed at the first login"),
        "{err}"
    );

    let (ok, _, err) = certwise(&with(&["user", "add", "ada@example.ch", "--role", "editor"]), None);
    assert!(!ok);
    assert_eq!(err.trim(), "certwise: there is already an account for ada@example.ch");
    let (ok, _, err) = certwise(&with(&["user", "add", "bob@example.ch", "--role", "boss"]), None);
    assert!(!ok && err.contains("expected one of `editor`, `publisher`, `admin`"), "{err}");
    let (ok, _, err) = certwise(
        &with(&["user", "add", "bob@example.ch", "--role", "editor", "--password-stdin"]),
        Some("password1234\n"),
    );
    assert!(!ok);
    assert_eq!(
        err.trim(),
        "certwise: the password is on the list of commonly used passwords; choose something less predictable"
    );
    let (ok, out, err) = certwise(
        &with(&["user", "add", "bob@example.ch", "--role", "editor", "--password-stdin"]),
        Some("plum tree at dawn\n"),
    );
    assert!(ok && out.is_empty(), "{err}");
    let (ok, _, err) = certwise(&with(&["user", "add", "not-an-email", "--role", "editor"]), None);
    assert!(!ok && err.trim() == "certwise: `not-an-email` is not an email address", "{err}");

    let (ok, out, _) = certwise(&with(&["user", "list"]), None);
    assert!(ok);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("EMAIL") && lines[1].starts_with("Ada@Example.ch"));
    assert!(lines[1].contains("admin") && lines[1].contains("must change password"), "{out}");

    // The account works on the web with the printed password (then has to change it).
    let config = certwise::app::Config::new(
        url.clone(),
        sample_content(),
        certwise::web::Clock::Fixed("2026-11-26".parse().unwrap()),
    );
    let state = certwise::app::prepare(&config).await.unwrap();
    let s = Site { app: web::router(state.clone()), state };
    let r = s.try_login("ada@example.ch", &password, None).await;
    assert_eq!(r.header("location"), "/admin/password");
    let cookie = session_cookie(&r).unwrap();
    assert_eq!(s.get("/admin/password", Some(&cookie)).await.status, 200);

    let (ok, out, err) = certwise(&with(&["user", "reset-password", "ada@example.ch"]), None);
    assert!(ok, "{err}");
    assert_ne!(out.trim(), password);
    assert_eq!(s.get("/admin/password", Some(&cookie)).await.status, 303, "sessions ended by the reset");
    let r = s.try_login("ada@example.ch", out.trim(), None).await;
    let cookie = session_cookie(&r).unwrap();
    let (ok, _, err) = certwise(&with(&["user", "disable", "ADA@example.ch"]), None);
    assert!(ok && err.contains("disabled Ada@Example.ch"), "{err}");
    assert_eq!(s.get("/admin/password", Some(&cookie)).await.status, 303, "sessions ended by disabling");
    let (ok, _, err) = certwise(&with(&["user", "disable", "ada@example.ch"]), None);
    assert!(!ok && err.trim() == "certwise: the account Ada@Example.ch is disabled", "{err}");
    let (ok, _, err) = certwise(&with(&["user", "reset-password", "nobody@example.ch"]), None);
    assert!(!ok && err.trim() == "certwise: there is no account for nobody@example.ch", "{err}");

    let audit = s.state.store.audit_entries(0, 100).await.unwrap();
    let cli: Vec<(&str, &str)> = audit
        .iter()
        .filter(|e| e.actor == "cli")
        .map(|e| (e.action.as_str(), e.target.as_str()))
        .rev()
        .collect();
    assert_eq!(
        cli,
        [
            ("user.add", "Ada@Example.ch"),
            ("user.add", "bob@example.ch"),
            ("user.reset-password", "Ada@Example.ch"),
            ("user.disable", "Ada@Example.ch"),
        ]
    );
    let missing = dir.path().join("none.sqlite");
    let (ok, _, err) =
        certwise(&["user", "list", "--database", &format!("sqlite://{}", missing.display())], None);
    assert!(!ok && err.contains("no database at"), "{err}");
}

#[tokio::test]
async fn the_cookies_page_lists_the_session_cookie_as_necessary_in_every_language() {
    let s = site().await;
    for (locale, purpose) in [
        ("en", "Keeps staff logged in to the editors&#39; area"),
        ("de", "Hält Mitarbeitende im Redaktionsbereich angemeldet"),
        ("fr", "Garde le personnel connecté à l’espace de rédaction"),
    ] {
        let page = s.get(&format!("/{locale}/cookies"), None).await.body;
        let necessary = &page[..page.find("</fieldset>").unwrap()];
        assert!(necessary.contains("<code>__Host-cw_session</code>"), "{locale}");
        assert!(necessary.contains(purpose), "{locale}: {necessary}");
    }
}

// The store's side: what the tables keep (their rules on both databases: tests/store.rs).

#[tokio::test]
async fn the_database_keeps_a_hash_of_the_session_token_only() {
    let s = site().await;
    s.account("ada@example.ch", Role::Editor, false).await;
    let cookie = s.login("ada@example.ch").await;
    let token = cookie.split_once('=').unwrap().1;
    let user = s.state.store.user_by_email("ada@example.ch").await.unwrap().unwrap();
    let ids: Vec<String> =
        s.state.store.sessions_of(user.id).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(ids, [certwise::seal::sha256_hex(token)]);
    assert!(user.password_hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
}
