//! Benchmarks of search, in process, on the synthetic catalog of issue "Content that goes
//! live" (target: p95 ≤ 2 ms per search at 10,000 answers and 1,000 certifications):
//!
//! - `search/mix`: one query of a fixed mix per iteration, in turn — exam codes typed four
//!   ways (`md102`, `MD 102`, `md-102`, lower case with the hyphen), single words and pairs
//!   taken from the catalog's titles, and the same words with two neighbouring letters
//!   swapped (typos) — each `Index::search` (every result, grouped) plus `Index::show` of
//!   the first page (20 results with highlights and excerpts): what a results page computes;
//! - `search/build`: building the index of every locale from the snapshot.
//!
//! Besides criterion's mean, the bench times each query of the mix 200 times and prints
//! the 50th, 95th and 99th percentiles of single searches (criterion reports no
//! percentiles), the time of one index build and the resident memory it added.
//!
//! The catalog is the content directory named by `CERTWISE_BENCH_CONTENT`; without it, the
//! sample `content/` (the numbers are then not the targets'):
//!
//! ```sh
//! cargo run --release --example gen_catalog -- target/bench-search/gen-10k --certs 1000 --answers 10000
//! CERTWISE_BENCH_CONTENT=$PWD/target/bench-search/gen-10k cargo bench --bench search
//! ```

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use certwise::content;
use certwise::domain::paging::HTML_PAGE_SIZE;
use certwise::search::{Index, Query};
use certwise::snapshot::Snapshot;
use criterion::{Criterion, criterion_group, criterion_main};

fn content_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CERTWISE_BENCH_CONTENT") {
        return PathBuf::from(dir);
    }
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    println!("CERTWISE_BENCH_CONTENT is not set: benchmarking the sample content, not the targets' catalog");
    sample
}

/// The mix: codes typed four ways, words and pairs of words from titles, and typos.
fn queries(snapshot: &Snapshot) -> Vec<String> {
    let catalog = &snapshot.catalog;
    let mut out = Vec::new();
    let codes: Vec<&str> = catalog.certifications.keys().map(certwise::domain::Code::as_str).collect();
    for (i, code) in codes.iter().step_by((codes.len() / 5).max(1)).take(5).enumerate() {
        let compact: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
        out.push(match i % 4 {
            0 => compact.to_lowercase(),
            1 => code.replace('-', " "),
            2 => code.to_lowercase(),
            _ => compact,
        });
    }
    let mut words: Vec<String> = catalog
        .certifications
        .values()
        .flat_map(|c| c.title.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>())
        .filter(|w| w.len() >= 6 && w.chars().all(char::is_alphabetic))
        .collect();
    words.sort();
    words.dedup();
    let picked: Vec<&String> = words.iter().step_by((words.len() / 6).max(1)).take(6).collect();
    for w in &picked {
        out.push((*w).clone());
    }
    for pair in picked.windows(2).take(3) {
        out.push(format!("{} {}", pair[0], pair[1]));
    }
    for w in picked.iter().take(5) {
        let mut chars: Vec<char> = w.chars().collect();
        chars.swap(2, 3);
        out.push(chars.into_iter().collect());
    }
    out
}

fn one(index: &Index, query: &Query) -> usize {
    let found = index.search("en", query);
    let shown = index.show("en", query, &found[..found.len().min(HTML_PAGE_SIZE)]);
    black_box(shown.len());
    found.len()
}

/// The process's resident memory (`VmRSS`), in KiB; 0 where /proc is not there.
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss,
        reason = "an index"
    )]
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at]
}

fn bench(c: &mut Criterion) {
    let dir = content_dir();
    let checked = content::check_dir(&dir);
    let catalog = checked.catalog.unwrap_or_else(|| panic!("{} has errors", dir.display()));
    let snapshot = std::sync::Arc::new(Snapshot::new(catalog));
    let before = resident_kib();
    let started = Instant::now();
    let index = Index::build(&snapshot).expect("the index builds");
    println!(
        "search: {} answers, {} certifications, {} records in `en`; index of every locale built in {} ms; \
         resident memory {} MiB before the build, {} MiB with the index",
        snapshot.catalog.answers.len(),
        snapshot.catalog.certifications.len(),
        index.len("en"),
        started.elapsed().as_millis(),
        before / 1024,
        resident_kib() / 1024
    );
    let queries: Vec<Query> = queries(&snapshot).iter().map(|q| Query::new(q).expect("short")).collect();
    let mut times = Vec::new();
    for q in &queries {
        let found = one(&index, q);
        println!("  {:?}: {found} results", q.text);
        for _ in 0..200 {
            let t = Instant::now();
            one(&index, q);
            times.push(t.elapsed());
        }
    }
    times.sort();
    println!(
        "search, single queries of the mix ({} timings): p50 {:?}, p95 {:?}, p99 {:?}, max {:?}",
        times.len(),
        percentile(&times, 0.50),
        percentile(&times, 0.95),
        percentile(&times, 0.99),
        times.last().copied().unwrap_or_default()
    );
    let mut group = c.benchmark_group("search");
    let mut next = queries.iter().cycle();
    group.bench_function("mix", |b| b.iter(|| one(&index, next.next().expect("a query"))));
    group.sample_size(10);
    group.bench_function("build", |b| {
        b.iter(|| Index::build(black_box(&snapshot)).expect("the index builds"));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
