//! Benchmarks of the answer page's hot paths, in process:
//!
//! - `render_answer`: the reference answer page rendered from the in-memory snapshot
//!   (template, JSON-LD, derived lines), no HTTP;
//! - `request_answer_page`: one GET of that page through the whole router (extractors,
//!   middleware, body collected), no sockets;
//! - `check_dir`: reading and validating the sample content directory, the first half
//!   of an import.
//!
//! `cargo bench --bench render` (add `-- --quick` for a fast, rougher run). The
//! over-the-socket comparison with nginx is `scripts/bench-answer-page.sh`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use certwise::app::{self, Config};
use certwise::content;
use certwise::domain::Slug;
use certwise::snapshot::Snapshot;
use certwise::web::visitor::Visitor;
use certwise::web::{self, Clock};
use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http_body_util::BodyExt;
use tower::ServiceExt;

const LOCALE: &str = "en";
const SLUG: &str = "md-102-vs-ms-102-difference";
const PATH: &str = "/en/answers/md-102-vs-ms-102-difference";

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// The fixed day the comparison script and the tests render as.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("a valid date")
}

fn snapshot() -> Snapshot {
    let checked = content::check_dir(&content_dir());
    let catalog = checked
        .catalog
        .unwrap_or_else(|| panic!("the sample content has errors: {:#?}", checked.diagnostics));
    Snapshot::new(catalog)
}

fn render_answer(c: &mut Criterion) {
    let snapshot = snapshot();
    let slug = Slug::parse(SLUG).expect("a valid slug");
    let (answer, rendered) =
        snapshot.answer(LOCALE, &slug).expect("the reference answer is in the sample content");
    let html = web::render_answer(&snapshot, answer, rendered, today(), &Visitor::default())
        .expect("the page renders");
    let mut group = c.benchmark_group("answer_page");
    group.throughput(Throughput::Bytes(html.len() as u64));
    let visitor = Visitor::default();
    group.bench_function("render_answer", |b| {
        b.iter(|| {
            web::render_answer(
                black_box(&snapshot),
                black_box(answer),
                black_box(rendered),
                today(),
                &visitor,
            )
            .expect("the page renders")
        });
    });
    group.finish();
}

fn request_answer_page(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let config = Config::new("sqlite::memory:", content_dir(), Clock::Fixed(today()));
    let state = rt.block_on(app::prepare(&config)).expect("the app starts on the sample content");
    let router = web::router(state);
    let get = || Request::get(PATH).body(Body::empty()).expect("a valid request");
    let once = || async {
        let response = router.clone().oneshot(get()).await.expect("the router is infallible");
        assert_eq!(response.status(), StatusCode::OK);
        response.into_body().collect().await.expect("the body").to_bytes()
    };
    let len = rt.block_on(once()).len();
    let mut group = c.benchmark_group("answer_page");
    group.throughput(Throughput::Bytes(len as u64));
    group.bench_function("request_answer_page", |b| {
        // One `block_on` per batch, so the runtime's entry cost is not in each request.
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(once().await);
                }
                start.elapsed()
            })
        });
    });
    group.finish();
}

fn check_dir(c: &mut Criterion) {
    let dir = content_dir();
    let mut group = c.benchmark_group("import");
    // Reads and parses every file on each run: slower and noisier than the page benches.
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_function("check_dir", |b| {
        b.iter(|| {
            let checked = content::check_dir(black_box(&dir));
            assert!(checked.catalog.is_some(), "the sample content has errors");
            checked
        });
    });
    group.finish();
}

criterion_group!(benches, render_answer, request_answer_page, check_dir);
criterion_main!(benches);
