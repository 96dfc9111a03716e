//! Benchmarks of the advisor and the team planner, in process, on the synthetic catalog of
//! issue "Content that goes live" (targets: the advisor over 1,000 certifications in under
//! 10 ms, the planner for 500 people in under 100 ms):
//!
//! - `advisor/rank+path`: what one advisor request computes — `advice::rank` and
//!   `advice::path` for a reader with three responsibilities (emphasis 3, 2 and 1) who
//!   holds one certification (the exam ranked first for those responsibilities);
//!   `advisor/rank` and `advisor/path` are its two halves, to see where the time goes;
//! - `advisor/page`: one GET of the advisor page for the same choices through the whole
//!   application (extractors, middleware, template, body collected), no sockets; advice
//!   is never cached, so every request computes it;
//! - `planner/500-people`: a 500-row team CSV read (`team::read_team`) and planned
//!   (`plan::plan`): every person's path and the mismatches of their assigned exam.
//!
//! The catalog is the content directory named by `CERTWISE_BENCH_CONTENT`; without it, the
//! sample `content/` (a few dozen certifications: the numbers are then not the targets'). The day is
//! 2026-11-20, the generator's `--today`. `scripts/bench-decide.sh` generates the catalog
//! (`--certs 1000 --answers 1000`) and runs this with it; by hand:
//!
//! ```sh
//! cargo run --release --example gen_catalog -- target/bench-decide/gen-1k --certs 1000 --answers 1000
//! CERTWISE_BENCH_CONTENT=$PWD/target/bench-decide/gen-1k cargo bench --bench decide
//! ```

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use certwise::app::{self, Config};
use certwise::content;
use certwise::domain::advice::{self, Choices, Emphasis, Needs};
use certwise::domain::{Catalog, Code, plan, team};
use certwise::web::{self, Clock};
use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// How many people the team file names.
const PEOPLE: usize = 500;

/// The day the generator writes its catalog "as of" (`gen_catalog --today`).
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("a valid date")
}

/// The content directory: `CERTWISE_BENCH_CONTENT`, or the sample.
fn content_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CERTWISE_BENCH_CONTENT") {
        return PathBuf::from(dir);
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    println!(
        "CERTWISE_BENCH_CONTENT is not set: benchmarking the sample content ({}), not the targets' \
         1,000-certification catalog (scripts/bench-decide.sh)",
        sample.display()
    );
    sample
}

fn catalog(dir: &Path) -> Catalog {
    let checked = content::check_dir(dir);
    checked.catalog.unwrap_or_else(|| panic!("{} has errors: {:#?}", dir.display(), checked.diagnostics))
}

/// The reader: three responsibilities spread over the catalog's list (emphasis 3, 2, 1),
/// holding the exam that ranks first for them.
fn reader(catalog: &Catalog) -> Needs {
    let ids = &catalog.responsibilities;
    assert!(ids.len() >= 3, "the catalog lists fewer than three responsibilities");
    let mut needs = Needs::default();
    for (i, emphasis) in [(0, 3), (ids.len() / 3, 2), (2 * ids.len() / 3, 1)] {
        needs.responsibilities.insert(ids[i].id.clone(), Emphasis::new(emphasis).expect("1 to 3"));
    }
    let first = advice::rank(catalog, &needs, today()).into_iter().next().expect("an exam fits the reader");
    needs.held.insert(first.code);
    needs
}

fn advisor(c: &mut Criterion, catalog: &Catalog, needs: &Needs) {
    let scores = advice::rank(catalog, needs, today());
    let path = advice::path(catalog, needs, today());
    println!(
        "advisor: {} certifications, {} ranked, a path of {} steps",
        catalog.certifications.len(),
        scores.len(),
        path.steps.len()
    );
    let mut group = c.benchmark_group("advisor");
    group.bench_function("rank+path", |b| {
        b.iter(|| {
            let scores = advice::rank(black_box(catalog), black_box(needs), today());
            let path = advice::path(black_box(catalog), black_box(needs), today());
            (scores, path)
        });
    });
    group.bench_function("rank", |b| b.iter(|| advice::rank(black_box(catalog), black_box(needs), today())));
    group.bench_function("path", |b| b.iter(|| advice::path(black_box(catalog), black_box(needs), today())));
    group.finish();
}

fn advisor_page(c: &mut Criterion, dir: &Path, catalog: &Catalog, needs: &Needs) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let config = Config::new("sqlite::memory:", dir, Clock::Fixed(today()));
    let state = rt.block_on(app::prepare(&config)).expect("the app starts on the content");
    let app = web::router(state);
    // The canonical spelling (responsibilities in the catalog's order), or it redirects.
    let query = Choices { needs: needs.clone(), problems: Vec::new() }.query(catalog);
    let uri = format!("/en/advisor?{query}");
    let once = || async {
        let request = Request::get(&uri).body(Body::empty()).expect("a valid request");
        let response = app.clone().oneshot(request).await.expect("the app is infallible");
        let status = response.status();
        (status, response.into_body().collect().await.expect("the body").to_bytes())
    };
    let (status, body) = rt.block_on(once());
    assert_eq!(status, StatusCode::OK, "GET {uri}");
    println!("advisor page: GET {uri}: {} bytes", body.len());
    let mut group = c.benchmark_group("advisor");
    group.bench_function("page", |b| {
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

/// A small deterministic generator (`SplitMix64`), so the team is the same on every run and
/// with every version of `rand`.
struct Mix(u64);

impl Mix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).expect("a small n")).expect("below n")
    }
}

/// A team file of [`PEOPLE`] rows, the same every run (seed 1): 1 to 4 responsibilities
/// each, weighted 1 to 3; a third holding one or two certifications; half assigned one.
/// Ids and codes are drawn from the whole catalog, so few people share their choices.
fn team_csv(catalog: &Catalog) -> String {
    let ids: Vec<&str> = catalog.responsibilities.iter().map(|r| r.id.as_str()).collect();
    let codes: Vec<&str> = catalog.certifications.keys().map(Code::as_str).collect();
    let mut mix = Mix(1);
    let mut csv = String::from("name,responsibilities,held,assigned\n");
    for i in 0..PEOPLE {
        let responsibilities: Vec<String> = (0..=mix.below(4))
            .map(|_| format!("{}:{}", ids[mix.below(ids.len())], 1 + mix.below(3)))
            .collect();
        let held: Vec<&str> = match mix.below(6) {
            0 | 1 => vec![codes[mix.below(codes.len())]],
            2 => vec![codes[mix.below(codes.len())], codes[mix.below(codes.len())]],
            _ => Vec::new(),
        };
        let assigned = if mix.below(2) == 0 { codes[mix.below(codes.len())] } else { "" };
        writeln!(csv, "Person {i},{},{},{assigned}", responsibilities.join("|"), held.join("|"))
            .expect("writing into a String cannot fail");
    }
    csv
}

fn planner(c: &mut Criterion, catalog: &Catalog) {
    let csv = team_csv(catalog);
    let bytes = csv.as_bytes();
    let team = team::read_team(bytes).expect("the team file reads");
    let planned = plan::plan(catalog, &team, today());
    assert_eq!(planned.people.len(), PEOPLE, "every person is planned");
    assert!(planned.problems.is_empty(), "no problems: {:#?}", planned.problems);
    let steps: usize = planned.people.iter().map(|p| p.path.steps.len()).sum();
    let mismatches: usize = planned.people.iter().map(|p| p.mismatches.len()).sum();
    println!(
        "planner: {PEOPLE} people ({} bytes of CSV), {steps} steps in all, {} exams, {mismatches} mismatches",
        bytes.len(),
        planned.places.len()
    );
    let mut group = c.benchmark_group("planner");
    // Tens of milliseconds an iteration at the target: fewer, longer samples.
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_function("500-people", |b| {
        b.iter(|| {
            let team = team::read_team(black_box(bytes)).expect("the team file reads");
            plan::plan(black_box(catalog), &team, today())
        });
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    let dir = content_dir();
    let catalog = catalog(&dir);
    let needs = reader(&catalog);
    advisor(c, &catalog, &needs);
    advisor_page(c, &dir, &catalog, &needs);
    planner(c, &catalog);
}

criterion_group!(decide, benches);
criterion_main!(decide);
