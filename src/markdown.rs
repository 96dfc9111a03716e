//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Raw HTML in content
//! is never trusted — no scripts, no event handlers, no `javascript:` links reach a page.

use std::sync::LazyLock;

use ammonia::Builder;
use pulldown_cmark::{Options, Parser, html};

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = Builder::default();
    // No `rel` on links: ammonia would add it to an `<a>` whose unsafe `href` it removed,
    // which is invalid HTML; the Referrer-Policy header does that job for every link.
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(None)
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
    ensure_img_alt(&SANITIZER.clean(&raw).to_string())
}

/// Gives every `<img>` without an `alt` an empty one (decorative), as HTML requires.
/// Runs on ammonia's output, which html5ever serialised: tags are lower case, attribute
/// values double-quoted, and a `<` in text is escaped, so `<img` only starts a tag.
fn ensure_img_alt(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        let (before, tag_and_after) = rest.split_at(start);
        out.push_str(before);
        let mut in_quotes = false;
        let end = tag_and_after
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    in_quotes = !in_quotes;
                }
                c == '>' && !in_quotes
            })
            .map_or(tag_and_after.len(), |(i, _)| i);
        let tag = &tag_and_after[..end];
        let mut in_quotes = false;
        let has_alt = tag.char_indices().any(|(i, c)| {
            if c == '"' {
                in_quotes = !in_quotes;
            }
            !in_quotes && c == ' ' && tag[i + 1..].starts_with("alt=")
        });
        out.push_str(tag);
        if !has_alt {
            out.push_str(" alt=\"\"");
        }
        rest = &tag_and_after[end..];
    }
    out.push_str(rest);
    out
}

/// The text of Markdown without markup, for meta descriptions and feeds.
pub fn to_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) | Event::Start(Tag::Item)
                if !out.ends_with(' ') && !out.is_empty() =>
            {
                out.push(' ');
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
            for bad in ["<script", "onerror", "javascript:", "<iframe", "style=", "onload", "<form", "<input"]
            {
                assert!(!html.contains(bad), "{case:?} gave {html:?}");
            }
        }
    }

    #[test]
    fn images_always_have_alt_and_links_without_href_have_no_rel() {
        let html =
            to_html("<img src=\"/a.png\" title=\"x > y\"> ![Chart](/b.png) <a href=\"javascript:x\">t</a>");
        assert!(
            html.contains("<img src=\"/a.png\" title=\"x &gt; y\" alt=\"\">")
                || html.contains("<img src=\"/a.png\" title=\"x > y\" alt=\"\">"),
            "{html}"
        );
        assert!(html.contains("alt=\"Chart\""), "{html}");
        assert_eq!(html.matches("alt=").count(), 2, "{html}");
        assert!(html.contains("<a>t</a>"), "{html}");
    }

    #[test]
    fn ordinary_markdown_survives() {
        let html = to_html(
            "# Title\n\nSome *text* and [a link](https://learn.microsoft.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<em>text</em>"));
        assert!(html.contains("href=\"https://learn.microsoft.com\""));
        assert!(html.contains("<table>"));
    }

    #[test]
    fn text_drops_markup() {
        assert_eq!(to_text("Some **bold** text.\n\nNext `code`."), "Some bold text. Next code.");
    }
}
