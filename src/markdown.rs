//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Raw HTML in content
//! is never trusted — no scripts, no event handlers, no `javascript:` links reach a page.

use std::sync::LazyLock;

use ammonia::Builder;
use pulldown_cmark::{Options, Parser, html};

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"));
    b
});

/// Renders Markdown (tables, strikethrough, footnotes on) and sanitises the result.
///
/// ```
/// let html = certwise::markdown::to_html("**hi** <script>alert(1)</script>");
/// assert_eq!(html.trim(), "<p><strong>hi</strong> </p>");
/// ```
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    SANITIZER.clean(&raw).to_string()
}

/// The text of Markdown without markup, for meta descriptions and feeds.
pub fn to_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::Start(Tag::Item) => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markup_is_removed() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<svg onload=alert(1)>",
            "<form action=\"https://evil.example\"><input></form>",
        ];
        for case in cases {
            let html = to_html(case).to_ascii_lowercase();
            for bad in ["<script", "onerror", "javascript:", "<iframe", "style=", "onload", "<form", "<input"] {
                assert!(!html.contains(bad), "{case:?} gave {html:?}");
            }
        }
    }

    #[test]
    fn ordinary_markdown_survives() {
        let html = to_html("# Title\n\nSome *text* and [a link](https://learn.microsoft.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>text</em>"));
        assert!(html.contains("href=\"https://learn.microsoft.com\""));
        assert!(html.contains("rel=\"noopener noreferrer\""));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn text_drops_markup() {
        assert_eq!(to_text("Some **bold** text.\n\nNext `code`."), "Some bold text. Next code.");
    }
}
