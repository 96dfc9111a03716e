//! What operators rely on, driven through the `certwise` process: `/metrics` on its own
//! listener, JSON logs, configuration layers, backup and restore.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn http(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(request.as_bytes()).expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

fn get(addr: &str, path: &str) -> String {
    http(addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"))
}

fn post_form(addr: &str, path: &str, body: &str) -> String {
    http(
        addr,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn sqlite_url(file: &Path) -> String {
    format!("sqlite://{}", file.display())
}

/// A `certwise serve` on a free port; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(url: &str, extra: &[&str], stderr: Stdio) -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let child = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--addr", &addr, "--database", url, "--content"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
        .args(extra)
        .env("CERTWISE_TODAY", "2026-11-26")
        .env_remove("CERTWISE_METRICS_ADDR")
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .expect("the server starts");
    let server = Server { child, addr };
    let started = Instant::now();
    while TcpStream::connect(&server.addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

fn token(page: &str) -> String {
    let at = page.find("name=\"token\" value=\"").expect("a token") + 20;
    page[at..at + page[at..].find('"').unwrap()].to_owned()
}

/// The value of one series (its name with labels, exactly as rendered) in a scrape.
fn value(scrape: &str, series: &str) -> Option<f64> {
    scrape.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

#[test]
fn metrics_count_requests_by_route_template_and_status_on_their_own_listener() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("certwise.db"));
    let metrics = format!("127.0.0.1:{}", free_port());
    let server = serve(&url, &["--metrics-addr", &metrics], Stdio::null());
    let addr = server.addr.as_str();

    // The home page twice (rendered, then a hit answered before routing), an answer page,
    // two unknown paths, a decision, an inquiry and a form body over its limit.
    let home = get(addr, "/en/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(get(addr, "/en/").starts_with("HTTP/1.1 200"));
    assert!(get(addr, "/en/answers/md-102-vs-ms-102-difference").starts_with("HTTP/1.1 200"));
    assert!(get(addr, "/no/such/page-1").starts_with("HTTP/1.1 404"));
    assert!(get(addr, "/no/such/page-2").starts_with("HTTP/1.1 404"));
    let token = token(&home);
    let decided = post_form(addr, "/consent", &format!("token={token}&action=accept_all&return_to=%2Fen%2F"));
    assert!(decided.starts_with("HTTP/1.1 303"), "{decided}");
    let course = "/en/courses/md-102-endpoint-administrator";
    let inquiry = post_form(
        addr,
        &format!("{course}/inquiry"),
        &format!(
            "token={token}&name=Mia+Muster&email=mia%40example.ch&session=2027-01-zurich&message=Hi&agree=yes&website="
        ),
    );
    assert!(inquiry.starts_with("HTTP/1.1 303"), "{inquiry}");
    // 60 more decisions within a minute or two of the fixed one-minute windows: at least one
    // is over the 30 a client may send in a window.
    let mut refused = 0;
    for _ in 0..60 {
        let r = post_form(addr, "/consent", &format!("token={token}&action=reject_all&return_to=%2Fen%2F"));
        if r.starts_with("HTTP/1.1 429") {
            refused += 1;
        } else {
            assert!(r.starts_with("HTTP/1.1 303"), "{r}");
        }
    }
    assert!(refused >= 1);
    let big = format!("token={token}&action=accept_all&x={}", "a".repeat(70 * 1024));
    assert!(post_form(addr, "/consent", &big).starts_with("HTTP/1.1 413"));
    // The site's listener has no /metrics.
    assert!(get(addr, "/metrics").starts_with("HTTP/1.1 404"));
    // A client holding its 64 connections: the 65th is refused at the door.
    let held: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let mut extra = String::new();
    TcpStream::connect(addr).unwrap().read_to_string(&mut extra).unwrap();
    assert!(extra.starts_with("HTTP/1.1 503"), "{extra}");
    drop(held);

    let response = get(&metrics, "/metrics");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.to_ascii_lowercase().contains("content-type: text/plain; version=0.0.4"), "{response}");
    let scrape = &response[response.find("\r\n\r\n").unwrap() + 4..];
    let count = |series: &str| value(scrape, series).unwrap_or_else(|| panic!("no {series} in\n{scrape}"));
    // A counter's exact value (rendered as a whole number).
    let n = |series: &str| -> u64 {
        let raw = scrape.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' '));
        raw.and_then(|v| v.trim().parse().ok()).unwrap_or_else(|| panic!("no whole {series} in\n{scrape}"))
    };

    assert_eq!(n(r#"certwise_http_requests_total{route="/{locale}/",status="200"}"#), 2);
    assert_eq!(n(r#"certwise_http_requests_total{route="/{locale}/answers/{slug}",status="200"}"#), 1);
    // Both unknown paths under one label; the raw paths appear nowhere.
    assert_eq!(n(r#"certwise_http_requests_total{route="unmatched",status="404"}"#), 2);
    assert!(!scrape.contains("page-1") && !scrape.contains("/no/such"), "{scrape}");
    assert_eq!(n(r#"certwise_http_requests_total{route="/consent",status="303"}"#), 1 + 60 - refused);
    assert_eq!(n(r#"certwise_http_requests_total{route="/consent",status="413"}"#), 1);
    assert_eq!(n(r#"certwise_http_request_duration_seconds_count{route="/{locale}/"}"#), 2);
    assert_eq!(n(r#"certwise_http_request_duration_seconds_bucket{route="/{locale}/",le="+Inf"}"#), 2);
    assert!(count("certwise_page_cache_hits_total") >= 1.0);
    assert!(count("certwise_page_cache_misses_total") >= 3.0);
    assert!(count("certwise_page_cache_bytes") > 1000.0);
    assert!(count("certwise_page_cache_pages") >= 2.0);
    assert_eq!(n("certwise_content_generation"), 1);
    assert_eq!(n(r#"certwise_consent_decisions_total{action="accept_all"}"#), 1);
    assert_eq!(n(r#"certwise_consent_decisions_total{action="reject_all"}"#), 60 - refused);
    assert_eq!(n(r#"certwise_limit_refusals_total{limit="consent_rate"}"#), refused);
    assert_eq!(n(r#"certwise_http_requests_total{route="/consent",status="429"}"#), refused);
    assert_eq!(n("certwise_leads_total"), 1);
    assert_eq!(n(r#"certwise_limit_refusals_total{limit="body_size"}"#), 1);
    assert_eq!(n(r#"certwise_limit_refusals_total{limit="connections_per_client"}"#), 1);
    assert_eq!(n("certwise_db_pool_max_connections"), 4);
    assert!(count("certwise_db_pool_connections") >= 1.0);
    assert!(value(scrape, "certwise_db_pool_idle_connections").is_some());
    // Scrapes are not counted as site requests.
    assert!(!scrape.contains(r#"route="/metrics""#));
}

#[test]
fn metrics_can_be_turned_off_and_a_taken_address_fails_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("certwise.db"));
    let metrics = format!("127.0.0.1:{}", free_port());
    let holder = TcpListener::bind(&metrics).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--addr", &format!("127.0.0.1:{}", free_port()), "--database", &url])
        .args(["--metrics-addr", &metrics])
        .env("CERTWISE_TODAY", "2026-11-26")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("binding the metrics address {metrics}")), "{stderr}");
    drop(holder);

    let bad = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--metrics-addr", "everywhere"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("or `off`"));

    let server = serve(&url, &["--metrics-addr", "off"], Stdio::null());
    assert!(get(&server.addr, "/healthz").ends_with("ok"));
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("certwise.db"));
    let mut server = serve(&url, &["--log-format", "json", "--metrics-addr", "off"], Stdio::piped());
    let _ = get(&server.addr, "/healthz");
    let _ = server.child.kill();
    let mut stderr = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let listening = lines
        .iter()
        .find(|l| l["message"].as_str().is_some_and(|m| m.starts_with("listening on http://")))
        .unwrap_or_else(|| panic!("no start-up line in {stderr}"));
    assert_eq!(listening["level"], "INFO");
    assert!(listening["timestamp"].is_string());
    assert!(listening["workers"].as_u64().is_some(), "fields at the top level: {listening}");
}

#[test]
fn sigterm_stops_the_metrics_listener_and_the_jobs_with_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("certwise.db"));
    let metrics = format!("127.0.0.1:{}", free_port());
    let mut server = serve(&url, &["--metrics-addr", &metrics], Stdio::piped());
    assert!(get(&metrics, "/metrics").starts_with("HTTP/1.1 200"));
    let _ = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    let mut log = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(log.contains("shutting down") && log.contains("stopped"), "{log}");
    assert!(TcpStream::connect(&metrics).is_err(), "the metrics listener is closed");
    assert!(TcpStream::connect(&server.addr).is_err(), "the site is closed");
}

fn certwise(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(args)
        .env_remove("CERTWISE_DATABASE_URL")
        .output()
        .unwrap()
}

fn generation(addr: &str) -> u64 {
    let response = get(addr, "/healthz?verbose");
    let body = &response[response.find("\r\n\r\n").unwrap() + 4..];
    serde_json::from_str::<serde_json::Value>(body).unwrap()["generation"].as_u64().unwrap()
}

async fn consent_count(url: &str) -> usize {
    let store = certwise::store::open(url).await.unwrap();
    let (from, to) =
        (chrono::Utc::now() - chrono::Duration::days(1), chrono::Utc::now() + chrono::Duration::days(1));
    store.consent_records(from, to).await.unwrap().len()
}

#[tokio::test]
async fn a_backup_taken_while_decisions_are_written_is_one_consistent_moment() {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("certwise.db"));
    let server = serve(&url, &["--metrics-addr", "off"], Stdio::null());
    let addr = server.addr.clone();
    let token = token(&get(&addr, "/en/"));
    // 30 decisions (the per-client limit of a minute), the backup taken while they go in.
    let writer = std::thread::spawn(move || {
        for i in 0..30 {
            let action = if i % 2 == 0 { "accept_all" } else { "reject_all" };
            let r =
                post_form(&addr, "/consent", &format!("token={token}&action={action}&return_to=%2Fen%2F"));
            assert!(r.starts_with("HTTP/1.1 303"), "{r}");
        }
    });
    std::thread::sleep(Duration::from_millis(30));
    let file = dir.path().join("backup.db");
    let out = certwise(&["backup", file.to_str().unwrap(), "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("backed up"));
    writer.join().unwrap();

    // A backup never overwrites.
    let again = certwise(&["backup", file.to_str().unwrap(), "--database", &url]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"), "{again:?}");

    let copy = sqlite_url(&dir.path().join("copy.db"));
    std::fs::copy(&file, dir.path().join("copy.db")).unwrap();
    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&copy).await.unwrap();
    let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await.unwrap();
    assert_eq!(check, ["ok"]);
    drop(conn);
    let (backed_up, live) = (consent_count(&copy).await, consent_count(&url).await);
    assert_eq!(live, 30);
    assert!(backed_up <= live, "{backed_up} of {live}");
    // Nothing half-written: every record in the copy has its notice.
    let store = certwise::store::open(&copy).await.unwrap();
    let records = store
        .consent_records(
            chrono::Utc::now() - chrono::Duration::days(1),
            chrono::Utc::now() + chrono::Duration::days(1),
        )
        .await
        .unwrap();
    for r in &records {
        assert!(store.consent_notice(&r.notice_hash).await.unwrap().is_some());
    }
    drop(server);
}

#[test]
fn restore_is_refused_while_a_server_serves_and_then_serves_the_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("certwise.db");
    let url = sqlite_url(&db);
    let server = serve(&url, &["--metrics-addr", "off"], Stdio::null());
    assert_eq!(generation(&server.addr), 1);
    let backup = dir.path().join("generation-1.db");
    let out = certwise(&["backup", backup.to_str().unwrap(), "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/other-vendor");
    let out = certwise(&["import", fixture, "--database", &url, "--force"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let started = Instant::now();
    while generation(&server.addr) != 2 {
        assert!(started.elapsed() < Duration::from_secs(10), "the import was not followed");
        std::thread::sleep(Duration::from_millis(100));
    }

    let refused = certwise(&["restore", backup.to_str().unwrap(), "--database", &url]);
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("in use by a running certwise"), "{why}");
    assert_eq!(generation(&server.addr), 2, "nothing changed");

    // Not a backup: refused, the database untouched.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    drop(server);
    let out = certwise(&["restore", junk.to_str().unwrap(), "--database", &url]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a usable certwise backup"), "{out:?}");

    // A damaged b-tree page: refused by the integrity check.
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    for page in [2, 3] {
        bytes[page * 4096..page * 4096 + 5].copy_from_slice(&[0x0d, 0, 0, 0xff, 0xff]);
    }
    std::fs::write(&damaged, bytes).unwrap();
    let out = certwise(&["restore", damaged.to_str().unwrap(), "--database", &url]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("malformed"), "{out:?}");

    let out = certwise(&["restore", backup.to_str().unwrap(), "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let server = serve(&url, &["--metrics-addr", "off"], Stdio::null());
    assert_eq!(generation(&server.addr), 1, "the backup's content is served");
    assert!(get(&server.addr, "/en/answers/md-102-vs-ms-102-difference").starts_with("HTTP/1.1 200"));
}

#[test]
fn postgres_databases_are_pointed_to_pg_dump_and_pg_restore() {
    for (command, tool) in [("backup", "pg_dump"), ("restore", "pg_restore")] {
        let out = certwise(&[command, "/tmp/x.dump", "--database", "postgres://u:secret@localhost/certwise"]);
        assert!(!out.status.success());
        let why = String::from_utf8_lossy(&out.stderr);
        assert!(why.contains(tool), "{why}");
        assert!(!why.contains("secret"), "the URL's password is never printed: {why}");
    }
}

fn wait_for(addr: &str, child: &mut Child) {
    let started = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(child.try_wait().unwrap().is_none(), "the server stopped");
        assert!(started.elapsed() < Duration::from_secs(60), "nothing on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn settings_come_from_flags_then_environment_then_the_file_then_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let port = |_| format!("127.0.0.1:{}", free_port());
    let [site_file, site_flag, metrics_file, metrics_env] = [0, 1, 2, 3].map(port);
    let content = concat!(env!("CARGO_MANIFEST_DIR"), "/content");
    std::fs::write(
        dir.path().join("certwise.toml"),
        format!(
            "addr = \"{site_file}\"\nmetrics-addr = \"{metrics_file}\"\ndatabase = \"sqlite://file.db\"\ncontent = \"{content}\"\ntoday = 2026-11-26\n"
        ),
    )
    .unwrap();
    let spawn = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_certwise"));
        command.args(args).current_dir(dir.path()).stdout(Stdio::null()).stderr(Stdio::null());
        for var in [
            "CERTWISE_ADDR",
            "CERTWISE_METRICS_ADDR",
            "CERTWISE_DATABASE_URL",
            "CERTWISE_CONFIG",
            "CERTWISE_TODAY",
        ] {
            command.env_remove(var);
        }
        command.envs(env.iter().copied());
        Server { child: command.spawn().unwrap(), addr: String::new() }
    };

    // The file alone (found in the working directory): its addresses and database.
    let mut server = spawn(&[], &[]);
    wait_for(&site_file, &mut server.child);
    wait_for(&metrics_file, &mut server.child);
    assert!(dir.path().join("file.db").exists());
    drop(server);

    // A flag beats the file; the environment beats the file.
    let mut server = spawn(&["--addr", &site_flag], &[("CERTWISE_METRICS_ADDR", &metrics_env)]);
    wait_for(&site_flag, &mut server.child);
    wait_for(&metrics_env, &mut server.child);
    assert!(TcpStream::connect(&site_file).is_err() && TcpStream::connect(&metrics_file).is_err());
    // …and a flag beats the environment.
    let mut other = spawn(&["--addr", &site_file, "--metrics-addr", "off"], &[("CERTWISE_ADDR", &site_flag)]);
    wait_for(&site_file, &mut other.child);
    drop((server, other));

    // --config names another file, which must exist; an unknown key names itself and the file.
    let elsewhere = dir.path().join("elsewhere.toml");
    std::fs::write(&elsewhere, "adr = \"127.0.0.1:1\"\n").unwrap();
    let out = certwise(&["--config", elsewhere.to_str().unwrap(), "check", content]);
    assert!(!out.status.success());
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains(&format!("{}: unknown key `adr`", elsewhere.display())), "{why}");
    let out = certwise(&["--config", "/nonexistent/certwise.toml", "check", content]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("reading the configuration file /nonexistent/certwise.toml")
    );
    std::fs::write(&elsewhere, "consent-retention-days = 0\n").unwrap();
    let out = certwise(&["--config", elsewhere.to_str().unwrap(), "check", content]);
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains("`consent-retention-days`: invalid value '0'"), "{why}");
}

#[tokio::test]
async fn restore_is_refused_while_any_command_has_the_database_open() {
    // Not only `serve`: an import, a user change or an export holds the store too, and a
    // restore under it would swap the file it is writing to.
    let dir = tempfile::tempdir().unwrap();
    let (db, backup) = (dir.path().join("certwise.db"), dir.path().join("backup.db"));
    let url = sqlite_url(&db);
    let store = certwise::store::open(&url).await.expect("a new database");
    drop(store);
    let out = certwise(&["backup", backup.to_str().unwrap(), "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let open = certwise::store::open(&url).await.expect("the database opens");
    let out = certwise(&["restore", backup.to_str().unwrap(), "--database", &url]);
    assert!(!out.status.success(), "a restore under an open store");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in use"), "{stderr}");
    drop(open);
    let out = certwise(&["restore", backup.to_str().unwrap(), "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn help_never_shows_a_secret_from_the_file_or_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("certwise.toml"),
        "secret-key = \"file-secret-file-secret-file-secret-0\"\ndatabase = \"postgres://u:file-pw@h/db\"\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--help"])
        .current_dir(dir.path())
        .env("CERTWISE_DATABASE_URL", "postgres://u:env-pw@h/db")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && help.contains("--secret-key"), "{help}");
    for secret in ["file-secret", "file-pw", "env-pw"] {
        assert!(!help.contains(secret), "--help shows {secret}: {help}");
    }
}
