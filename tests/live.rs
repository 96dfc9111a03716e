//! Content that goes live: an import made by another process is served by a running server
//! within 2 s, while requests run in a loop and none fails; `serve --watch` imports a
//! changed content directory and keeps the last good content when a change breaks it; a
//! start with a content directory that differs from the database says so.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const PAGE: &str = "/en/answers/md-102-vs-ms-102-difference";
const QUESTION: &str = "What is the difference between MD-102 and MS-102?";

fn answer_file(content: &Path) -> std::path::PathBuf {
    content.join("answers/en/md-102-vs-ms-102-difference.md")
}

/// Rewrites the reference answer's question (atomically, as editors' tools save).
fn set_question(content: &Path, question: &str) {
    let file = answer_file(content);
    let text = std::fs::read_to_string(&file).unwrap();
    let start = text.find("question = \"").unwrap() + "question = \"".len();
    let end = start + text[start..].find('"').unwrap();
    let changed = format!("{}{question}{}", &text[..start], &text[end..]);
    let tmp = file.with_extension("md.tmp");
    std::fs::write(&tmp, changed).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
}

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

fn start(db: &str, content: &Path, extra: &[&str]) -> Server {
    let addr =
        format!("127.0.0.1:{}", TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port());
    let child = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["serve", "--addr", &addr, "--database", db, "--content"])
        .arg(content)
        .args(extra)
        .env("CERTWISE_TODAY", "2026-11-26")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while TcpStream::connect(&addr).is_err() {
        assert!(started.elapsed() < Duration::from_secs(30), "the server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    Server { child, addr }
}

/// One GET over a fresh connection: the status and the body.
fn get(addr: &str, path: &str) -> std::io::Result<(u16, String)> {
    let mut tcp = TcpStream::connect(addr)?;
    tcp.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(tcp, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    tcp.read_to_string(&mut response)?;
    let status = response.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, response))
}

fn wait_for(addr: &str, text: &str, within: Duration) -> Duration {
    let started = Instant::now();
    loop {
        if get(addr, PAGE).is_ok_and(|(_, body)| body.contains(text)) {
            return started.elapsed();
        }
        assert!(started.elapsed() < within, "`{text}` was not served within {within:?}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn an_import_by_another_process_is_served_within_2_s_and_no_request_fails() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&common::sample_content(), &content);
    let db = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let server = start(&db, &content, &[]);
    assert!(get(&server.addr, PAGE).unwrap().1.contains(QUESTION));

    // Readers in a loop, over the whole swap.
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (addr, stop, ok, failed) = (server.addr.clone(), stop.clone(), ok.clone(), failed.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match get(&addr, PAGE) {
                        Ok((200, body)) if body.contains("</html>") => ok.fetch_add(1, Ordering::Relaxed),
                        other => {
                            eprintln!("failed request: {:?}", other.map(|(s, b)| (s, b.len())));
                            failed.fetch_add(1, Ordering::Relaxed)
                        }
                    };
                }
            })
        })
        .collect();

    set_question(&content, "Which to take first, MD-102 or MS-102?");
    let import = Command::new(env!("CARGO_BIN_EXE_certwise"))
        .args(["import"])
        .arg(&content)
        .args(["--database", &db])
        .output()
        .unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    let took = wait_for(&server.addr, "Which to take first, MD-102 or MS-102?", Duration::from_secs(2));
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap();
    }
    eprintln!("new content served {took:?} after the import; {} requests served", ok.load(Ordering::Relaxed));
    assert_eq!(failed.load(Ordering::Relaxed), 0, "requests failed during the swap");
    assert!(ok.load(Ordering::Relaxed) > 20, "the readers ran");
    // The old text is gone from every page, cached or not.
    assert!(!get(&server.addr, PAGE).unwrap().1.contains(QUESTION));
}

#[test]
fn watch_imports_a_changed_directory_and_keeps_the_last_good_content() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&common::sample_content(), &content);
    let db = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let server = start(&db, &content, &["--watch"]);
    // Editors' scratch files alone change nothing.
    std::fs::write(content.join("answers/en/.scratch.md.swp"), "junk").unwrap();
    set_question(&content, "MD-102 or MS-102: which one?");
    let took = wait_for(&server.addr, "MD-102 or MS-102: which one?", Duration::from_secs(5));
    eprintln!("--watch: served {took:?} after the save");
    // A save that breaks the content: the last good content stays.
    std::fs::write(answer_file(&content), "no front matter at all\n").unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let (status, body) = get(&server.addr, PAGE).unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("MD-102 or MS-102: which one?"));
}

#[test]
fn a_start_with_a_changed_content_directory_says_how_to_import_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_dir(&common::sample_content(), &content);
    let db = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    drop(start(&db, &content, &[]));
    set_question(&content, "Changed while the server was down?");
    let mut server = start(&db, &content, &[]);
    // The old content is still served: nothing is imported behind the operator's back.
    assert!(get(&server.addr, PAGE).unwrap().1.contains(QUESTION));
    std::thread::sleep(Duration::from_secs(2));
    let _ = server.child.kill();
    let mut log = String::new();
    server.child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(log.contains("differs from the content the database serves"), "{log}");
    assert!(log.contains(&format!("certwise import {} --database {db}", content.display())), "{log}");
}

#[tokio::test]
async fn a_new_generation_replaces_the_snapshot_and_empties_the_cache() {
    let state = common::state(&common::sample_content(), "2026-11-26").await;
    let app = certwise::web::router(state.clone());
    assert_eq!(common::get(&app, PAGE).await.status, 200);
    assert!(!state.pages.is_empty());
    assert_eq!(certwise::live::refresh(&state).await.unwrap(), None, "nothing new");
    let before = state.published.current().content_generation;
    let summary = certwise::app::import(state.store.as_ref(), &common::fixture("other-vendor"))
        .await
        .unwrap()
        .summary
        .expect("other content is written");
    assert_eq!(certwise::live::refresh(&state).await.unwrap(), Some(summary.generation));
    assert!(summary.generation > before);
    assert!(state.pages.is_empty(), "the old content's pages are dropped");
    assert_eq!(common::get(&app, PAGE).await.status, 404, "the other content has no such answer");
}
