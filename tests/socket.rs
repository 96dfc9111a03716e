//! One test over a real socket: bind an ephemeral port, serve, and speak HTTP/1.1.

mod common;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::test]
async fn the_server_answers_over_tcp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = common::sample().await;
    // axum::serve wants a router; the site goes behind one as its only service.
    let app = axum::Router::new().fallback_service(app);
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /en/answers/md-102-vs-ms-102-difference HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let response = String::from_utf8(response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{}", &response[..response.len().min(200)]);
    assert!(response.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"));
    assert!(
        response.contains("<h1>What is the difference between <span class=\"exam-code\">MD-102</span> and")
    );
    server.abort();
}
