//! The `serve` command as a process: a client that trickles its headers is cut off, a
//! second server cannot take the same address, and SIGTERM ends the process cleanly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Server {
    child: Child,
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(addr: &str, dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_certwise"));
    cmd.args(["serve", "--addr", addr, "--database"])
        .arg(format!("sqlite://{}", dir.join("db.sqlite").display()))
        .arg("--content")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn serve() -> Server {
    let addr = format!("127.0.0.1:{}", free_port());
    let dir = tempfile::tempdir().unwrap();
    let child = start(&addr, dir.path()).stderr(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server { child, addr, _dir: dir }
}

#[test]
fn a_client_that_trickles_its_headers_is_cut_off() {
    let server = serve();
    let mut slow = TcpStream::connect(&server.addr).unwrap();
    slow.write_all(b"GET /en/ HTTP/1.1\r\nHost: x\r\n").unwrap();
    let started = Instant::now();
    slow.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(20), "still open after {waited:?}");
    assert!(waited >= Duration::from_secs(5), "cut off too early: {waited:?}");
    // the server itself still answers
    let mut ok = TcpStream::connect(&server.addr).unwrap();
    ok.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    ok.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
}

#[test]
fn a_second_server_cannot_share_the_address() {
    let server = serve();
    let other = tempfile::tempdir().unwrap();
    let out = start(&server.addr, other.path()).output().unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("binding {}", server.addr)), "{stderr}");
}

/// Started at the same moment, both pass the probe (neither listens yet); with
/// `SO_REUSEPORT` both would then serve, sharing the connections: one of them must stop.
#[cfg(target_os = "linux")]
#[test]
fn two_servers_started_at_once_on_one_address_never_both_serve() {
    for _ in 0..5 {
        let addr = format!("127.0.0.1:{}", free_port());
        let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let mut servers = [
            start(&addr, one.path()).stderr(Stdio::null()).spawn().unwrap(),
            start(&addr, two.path()).stderr(Stdio::null()).spawn().unwrap(),
        ];
        // Each imports the sample content (a second or two), then binds: one gives up.
        let started = Instant::now();
        let stopped = loop {
            let stopped = servers.iter_mut().filter_map(|s| s.try_wait().unwrap()).count();
            if stopped > 0 || started.elapsed() > Duration::from_secs(15) {
                break stopped;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        for server in &mut servers {
            let _ = server.kill();
            let _ = server.wait();
        }
        assert!(stopped >= 1, "two servers kept serving {addr}");
    }
}

#[cfg(unix)]
#[test]
fn sigterm_ends_the_server_cleanly() {
    let mut server = serve();
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(15), "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `certwise --addr …` is `certwise serve --addr …`; logs written to a pipe carry no colour
/// codes.
#[test]
fn flags_of_serve_work_without_the_word_and_logs_to_a_file_are_plain() {
    let addr = format!("127.0.0.1:{}", free_port());
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["--addr", &addr, "--database"])
        .arg(format!("sqlite://{}", dir.path().join("db.sqlite").display()))
        .arg("--content")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/content"))
        .env_remove("NO_COLOR")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains(&format!("listening on http://{addr}")), "{log}");
    assert!(log.contains("imported 29 certifications, 15 courses and 17 answers"), "a sentence: {log}");
    assert!(!log.contains('\u{1b}'), "no colour codes in a pipe: {log:?}");
    assert!(!log.contains("ImportSummary"), "no debug output: {log}");
}

/// A first start whose content has errors stops with them and leaves no database behind,
/// so the next start does not meet an empty database file.
#[test]
fn a_failed_first_import_leaves_no_database_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/new.db");
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--addr", "127.0.0.1:0", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .arg("--content")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error(s)"), "{stderr}");
    let left: Vec<_> = std::fs::read_dir(db.parent().unwrap())
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
    // `import` of broken content does not create the database at all.
    let out = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["import", concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken"), "--database"])
        .arg(format!("sqlite://{}", dir.path().join("other.db").display()))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!dir.path().join("other.db").exists());
}

/// One client may hold 64 connections; the next is answered 503 and closed, while other
/// clients are still served.
#[test]
fn one_client_cannot_take_every_connection() {
    let server = serve();
    // 64 connections, each shown to be accepted by a request answered on it (kept open).
    let held: Vec<TcpStream> = (0..64)
        .map(|_| {
            let mut tcp = TcpStream::connect(&server.addr).unwrap();
            write!(tcp, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut seen = Vec::new();
            let mut buf = [0u8; 512];
            while !String::from_utf8_lossy(&seen).ends_with("ok") {
                let n = tcp.read(&mut buf).unwrap();
                assert!(n > 0, "the server closed a connection it should keep");
                seen.extend_from_slice(&buf[..n]);
            }
            tcp
        })
        .collect();
    let mut extra = TcpStream::connect(&server.addr).unwrap();
    extra.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = String::new();
    let _ = extra.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
    assert!(answer.contains("Retry-After: 5"));
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let mut again = TcpStream::connect(&server.addr).unwrap();
    write!(again, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").unwrap();
    let mut ok = String::new();
    again.read_to_string(&mut ok).unwrap();
    assert!(ok.starts_with("HTTP/1.1 200"), "places are freed when connections close: {ok:?}");
}

/// After SIGTERM the server stops accepting at once, while a request in flight finishes.
#[test]
fn after_sigterm_new_connections_are_refused_while_open_ones_finish() {
    let mut server = serve();
    // A request in flight: headers sent, the body still to come.
    let mut open = TcpStream::connect(&server.addr).unwrap();
    write!(open, "POST /consent HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let _ = Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status();
    std::thread::sleep(Duration::from_millis(500));
    assert!(TcpStream::connect(&server.addr).is_err(), "the listener is closed during the drain");
    write!(open, "action=xyz").unwrap();
    open.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut answer = String::new();
    let _ = open.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 "), "the open request got its answer: {answer:?}");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
