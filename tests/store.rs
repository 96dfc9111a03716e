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
    let imported = app::import(store.as_ref(), &common::sample_content()).await.unwrap();
    let (catalog, summary) = (imported.catalog, imported.summary.expect("a first import writes"));
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
    // importing the same content again writes nothing: no new generation, no revision
    let same = app::import(again.as_ref(), &common::sample_content()).await.unwrap();
    assert!(same.summary.is_none() && same.kept.is_empty());
    assert_eq!(again.generation().await.unwrap().unwrap().number, summary.generation);
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

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[tokio::test]
async fn pages_and_the_logo_round_trip_and_a_reimport_replaces_them() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("certwise.db").display());
    let store = store::open(&url).await.unwrap();

    // The sample content: three pages and a logo, read back as they were written.
    let catalog = app::import(store.as_ref(), &common::sample_content()).await.unwrap().catalog;
    let stored = store.load().await.unwrap().unwrap().catalog;
    let slugs: Vec<(&str, &str)> =
        stored.pages.iter().map(|p| (p.locale.as_str(), p.slug.as_str())).collect();
    assert_eq!(slugs, [("en", "about"), ("en", "imprint"), ("en", "privacy")]);
    assert_eq!(stored.pages, catalog.pages);
    let logo = std::fs::read_to_string(common::sample_content().join("static/logo.svg")).unwrap();
    assert_eq!(stored.site.brand.logo_svg.as_deref(), Some(logo.as_str()), "the logo is in the database");
    assert_eq!(stored.site.brand, catalog.site.brand);

    // Other content with other pages (one sorts before its prefix) and no brand: the
    // pages are replaced, not added to, and the logo is gone.
    let other = tempfile::tempdir().unwrap();
    copy_dir(&common::fixture("minimal"), other.path());
    let page = |title: &str| format!("+++\ntitle = \"{title}\"\n+++\nText of {title}.\n");
    std::fs::create_dir_all(other.path().join("pages/de")).unwrap();
    std::fs::write(other.path().join("pages/de/impressum-ch.md"), page("Impressum CH")).unwrap();
    std::fs::write(other.path().join("pages/de/impressum.md"), page("Impressum")).unwrap();
    let catalog = app::import(store.as_ref(), other.path()).await.unwrap().catalog;
    let stored = store.load().await.unwrap().unwrap().catalog;
    assert_eq!(stored, catalog, "the whole catalog round-trips, pages in their order");
    let titles: Vec<&str> = stored.pages.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["Impressum", "Impressum CH"]);
    assert_eq!(stored.pages[0].body, "Text of Impressum.\n");
    assert_eq!(stored.site.brand, certwise::domain::Brand::default());

    // A page is part of the content hash: changing its text is new content.
    let before = app::content_hash(&catalog);
    std::fs::write(other.path().join("pages/de/impressum.md"), page("Impressum neu")).unwrap();
    let changed = app::import(store.as_ref(), other.path()).await.unwrap().catalog;
    assert_ne!(app::content_hash(&changed), before);
}
