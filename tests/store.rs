//! The store and imports: all or nothing.

mod common;

use certwise::app;
use certwise::content::check_dir;
use certwise::store;

#[tokio::test]
async fn an_import_round_trips_the_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("db/certwise.db").display());
    let store = store::open(&url).await.unwrap();
    assert!(store.load().await.unwrap().is_none(), "a new database is empty");
    assert!(store.generation().await.unwrap().is_none(), "no generation before the first import");
    let (catalog, summary) = app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    assert_eq!(summary.certifications, catalog.certifications.len());
    let stored = store.load().await.unwrap().unwrap();
    assert_eq!(stored.catalog, catalog);
    let generation = store.generation().await.unwrap().unwrap();
    assert_eq!(stored.generation, generation);
    assert_eq!(generation.number, summary.generation);
    assert_eq!(generation.content_hash.as_deref(), Some(app::content_hash(&catalog).as_str()));
    // reopening the file (migrations already applied) reads the same catalog
    drop(store);
    let again = store::open(&url).await.unwrap();
    assert_eq!(again.load().await.unwrap().map(|s| s.catalog), Some(catalog.clone()));
    // every import is a new, higher generation, even of the same content
    let (_, next) = app::import(again.as_ref(), &common::sample_content()).await.unwrap();
    assert!(next.generation > summary.generation);
    assert_eq!(again.generation().await.unwrap().unwrap().number, next.generation);
}

#[tokio::test]
async fn a_failed_import_leaves_the_database_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("certwise.db").display());
    let store = store::open(&url).await.unwrap();
    app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    let before = store.load().await.unwrap();

    // 1. content with errors is refused before anything is written
    let err = app::import(store.as_ref(), &common::fixture("broken")).await.unwrap_err();
    assert!(err.to_string().contains("error(s)"), "{err}");
    assert_eq!(store.load().await.unwrap(), before);

    // 2. a catalog the database itself rejects half-way (a course whose certification is
    //    missing breaks a foreign key after other rows were written) is rolled back
    let mut bad = check_dir(&common::fixture("other-vendor")).catalog.expect("fixture is valid");
    let course = bad.courses.values().next().unwrap().clone();
    bad.certifications.remove(&course.certification);
    assert!(store.replace_catalog(&bad, "hash").await.is_err());
    assert_eq!(store.load().await.unwrap(), before);
}

#[tokio::test]
async fn unsupported_database_urls_are_named() {
    let err = store::open("mysql://localhost/x").await.unwrap_err();
    assert!(err.to_string().contains("mysql://localhost/x"));
}

#[tokio::test]
async fn the_write_ahead_log_is_folded_back_after_an_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("certwise.db");
    let store = store::open(&format!("sqlite://{}", file.display())).await.unwrap();
    app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    let wal = std::fs::metadata(dir.path().join("certwise.db-wal")).map_or(0, |m| m.len());
    let db = std::fs::metadata(&file).unwrap().len();
    assert!(wal < 64 * 1024, "the log holds {wal} bytes after an import (database: {db} bytes)");
}
