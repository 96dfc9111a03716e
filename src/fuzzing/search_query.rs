//! The search query reader ([`Query::new`], [`Index::search`], [`Index::show`]) over the
//! sample content: any text is served or refused as too long, never a panic; highlights
//! are sorted, disjoint, on character boundaries of the text they mark; the HTML made of
//! them is the escaped text plus `<mark>` tags; a query without a letter or a digit finds
//! nothing.
//!
//! The input is the query as typed (bytes that are not UTF-8 replaced), searched in every
//! locale of the sample, once without filters and once with a `kind` filter the input's
//! length chooses.

use std::ops::Range;
use std::sync::LazyLock;

use crate::domain::Vocabulary as _;
use crate::search::{Index, Kind, MAX_QUERY, Query, QueryError};
use crate::web::search::marked_html;

static INDEX: LazyLock<Index> =
    LazyLock::new(|| Index::build_with(super::sample(), false).expect("the sample content indexes"));

pub fn check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let query = match Query::new(&text) {
        Ok(query) => query,
        Err(QueryError::TooLong(n)) => {
            assert!(n > MAX_QUERY && n == text.chars().count(), "refused {n} characters");
            return;
        }
    };
    assert!(text.chars().count() <= MAX_QUERY, "a query over the limit was served");
    let kind = Kind::ALL.get(data.len() % (Kind::ALL.len() + 1)).copied();
    let filtered = Query { kind, ..query.clone() };
    for locale in &super::sample().catalog.site.locales {
        for query in [&query, &filtered] {
            let found = INDEX.search(locale, query);
            if !text.chars().any(char::is_alphanumeric) {
                assert!(found.is_empty(), "a query without letters or digits found {}", found.len());
            }
            for shown in INDEX.show(locale, query, &found) {
                assert_marks(shown.title, &shown.title_marks);
                assert_marks(&shown.excerpt, &shown.excerpt_marks);
            }
        }
    }
}

fn assert_marks(text: &str, marks: &[Range<usize>]) {
    let mut at = 0;
    for m in marks {
        assert!(at <= m.start && m.start < m.end && m.end <= text.len(), "marks {marks:?} of {text:?}");
        assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "marks {marks:?} of {text:?}"
        );
        at = m.end;
    }
    let html = marked_html(text, marks);
    assert_eq!(html.matches("<mark>").count(), marks.len(), "{html}");
    assert_eq!(html.replace("<mark>", "").replace("</mark>", ""), marked_html(text, &[]), "{html}");
    assert!(!marked_html(text, &[]).contains('<'), "unescaped text: {text:?}");
}
