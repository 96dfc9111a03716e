//! The fuzz targets' checks: one `check(&[u8])` per target, called by the cargo-fuzz
//! target of the same name (`fuzz/fuzz_targets/<name>.rs`, nightly) and by
//! `tests/fuzz_corpora.rs`, which replays every committed corpus and crash file through it
//! on stable, so CI checks them without nightly. Built with the `fuzzing` feature only.
//!
//! A check never panics on any input of its own accord: it panics only when the code
//! under test breaks one of its rules (a panic inside that code, or an `assert!` here).
//! The rules, one module each:
//!
//! - [`content`]: the content reader (`check`, `import`, the editors' area) reads any set
//!   of files without panicking; every diagnostic about a file points inside that file;
//!   a catalog comes out exactly when no diagnostic is an error; front matter splits at
//!   character boundaries inside the file.
//! - [`markdown`]: the Markdown renderer and sanitiser's output, parsed as HTML by
//!   html5ever's tree builder (as a browser would, in a page's `<body>`), holds no
//!   `<script>` element, no `on*` attribute and no URL attribute whose value is a
//!   `javascript:` URL or of any scheme but `http`, `https` and `mailto` (attribute values
//!   entity-decoded by the parser, the scheme read by the WHATWG URL parser, so case,
//!   entities, tabs and newlines hide nothing); every image has an `alt`.
//! - [`consent_cookie`]: a sealed decision opens to itself; a value the server did not
//!   seal, or a sealed one with any character changed, is refused; the standing of any
//!   opened decision is computed without panicking.
//! - [`form_token`]: a token checks within its lifetime and clock skew and not a second
//!   outside; a value the server did not issue, or an issued one changed, is refused; a
//!   session's token checks for that session only.
//! - [`team_csv`]: the team CSV parser reads any bytes without panicking; its rows keep
//!   their documented invariants (names trimmed and bounded, weights 1 to 3, lists without
//!   repeats, upper-case codes, lines in order); rows written back as CSV read back the same.
//! - [`search_query`]: any query is served or refused as too long without panicking;
//!   highlights are sorted, disjoint ranges on character boundaries of the text shown, and
//!   the HTML made of them is the escaped text with `<mark>` tags only; a query without a
//!   letter or digit finds nothing.
//! - [`advisor_query`]: any query string is read without panicking; the canonical query
//!   the page redirects to reads back to the same choices, without problems, and is its
//!   own canonical form (no redirect loop); ranking and path are computed for them.

pub mod advisor_query;
pub mod consent_cookie;
pub mod content;
pub mod form_token;
pub mod markdown;
pub mod search_query;
pub mod team_csv;

use std::path::Path;
use std::sync::{Arc, LazyLock};

use crate::domain::Catalog;
use crate::snapshot::Snapshot;

/// A target's check: returns when the input keeps the target's rule, panics when not.
pub type Check = fn(&[u8]);

/// Every target by its name (the folder of its corpus under `fuzz/corpus/`).
pub const TARGETS: &[(&str, Check)] = &[
    ("advisor_query", advisor_query::check),
    ("consent_cookie", consent_cookie::check),
    ("content", content::check),
    ("form_token", form_token::check),
    ("markdown", markdown::check),
    ("search_query", search_query::check),
    ("team_csv", team_csv::check),
];

/// The repository's sample content (`content/`) as a snapshot, read once: the catalog the
/// advisor and search targets work against.
fn sample() -> &'static Arc<Snapshot> {
    static SAMPLE: LazyLock<Arc<Snapshot>> = LazyLock::new(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let checked = crate::content::check_dir(&dir);
        let catalog: Catalog = checked.catalog.unwrap_or_else(|| {
            panic!("the sample content in {} does not check: {:?}", dir.display(), checked.diagnostics)
        });
        Arc::new(Snapshot::new(catalog))
    });
    &SAMPLE
}
