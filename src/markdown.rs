//! Markdown to safe HTML: pulldown-cmark renders, ammonia sanitises. Raw HTML in content
//! is never trusted — no scripts, no event handlers, no `javascript:` links reach a page.

use std::sync::LazyLock;

use ammonia::Builder;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

static SANITIZER: LazyLock<Builder<'static>> = LazyLock::new(sanitizer);

/// What a page may hold of an answer's HTML.
fn sanitizer() -> Builder<'static> {
    let mut b = Builder::default();
    // No `rel` on links: ammonia would add it to an `<a>` whose unsafe `href` it removed,
    // which is invalid HTML; the Referrer-Policy header does that job for every link.
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(None)
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        // The one element pages add at render time: an exam code that must not wrap.
        .add_allowed_classes("span", [EXAM_CODE_CLASS]);
    b
}

/// The class of the element around an exam code, which the stylesheet keeps on one line.
pub const EXAM_CODE_CLASS: &str = "exam-code";

/// Raw HTML in content is sanitised on its own first, without images: an image comes
/// from Markdown's `![alt](src)`, which always carries its `alt` text, so every image on a
/// page has one.
static RAW_HTML: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = sanitizer();
    b.rm_tags(["img"]);
    b
});

/// Renders Markdown (tables, strikethrough, footnotes on) and sanitises the result.
///
/// ```
/// let html = certwise::markdown::to_html("**hi** <script>alert(1)</script>");
/// assert_eq!(html.trim(), "<p><strong>hi</strong> </p>");
/// ```
pub fn to_html(markdown: &str) -> String {
    to_html_marking(markdown, |_| false)
}

/// [`to_html`], with every exam code for which `is_code` holds wrapped in the element
/// that does not wrap (`<span class="exam-code">`), except in code spans and blocks.
///
/// ```
/// let html = certwise::markdown::to_html_marking("MD-102 or `MS-102`", |c| c.ends_with("102"));
/// assert_eq!(html.trim(), r#"<p><span class="exam-code">MD-102</span> or <code>MS-102</code></p>"#);
/// ```
pub fn to_html_marking(markdown: &str, is_code: impl Fn(&str) -> bool) -> String {
    let (raw, has_raw_html) = render(markdown, is_code);
    if has_raw_html || markdown.contains('\u{feff}') {
        sanitize(&raw)
    } else {
        // Without raw HTML (a `<` in a code span or in "< 5" is text) the HTML holds only
        // elements the sanitiser keeps (it drops attributes, never an element), and no
        // byte-order mark: one pass is already a fixed point (tests/properties.rs), and a
        // third of the cost.
        SANITIZER.clean(&raw).to_string()
    }
}

/// The HTML pulldown-cmark renders, not yet sanitised, and whether the Markdown held raw
/// HTML (a block or an inline tag).
fn render(markdown: &str, is_code: impl Fn(&str) -> bool) -> (String, bool) {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let mut has_raw_html = false;
    let events = Parser::new_ext(markdown, options)
        .inspect(|e| has_raw_html |= matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    html::push_html(&mut raw, marking_codes(without_raw_images(events), is_code));
    (raw, has_raw_html)
}

/// Sanitises HTML as every rendered body is: what [`to_html`] does last.
///
/// Its output is a fixed point: sanitising it again changes nothing (tests/properties.rs),
/// so a browser builds the very tree that was sanitised. One pass of ammonia is not
/// always that: unwrapping an element it removes can leave a nesting the HTML parser
/// never builds (`&amp;<button>` renders as `<p>&amp;<p></p></p>`, which a browser reads
/// as three paragraphs), and text foster-parented out of a table can start the output
/// with a byte-order mark that the next parse drops. So it cleans again until a pass
/// changes nothing: the example below takes three passes (the first removes the button,
/// the second rebuilds the paragraphs as a browser does, the third confirms), and four
/// are the most it runs.
///
/// ```
/// let html = certwise::markdown::sanitize("<p>&amp;<button></p>");
/// assert_eq!(html, "<p>&amp;</p><p></p><p></p>");
/// ```
pub fn sanitize(html: &str) -> String {
    let mut out = SANITIZER.clean(html).to_string();
    for _ in 0..3 {
        let again = SANITIZER.clean(&out).to_string();
        if again == out {
            break;
        }
        out = again;
    }
    out
}

/// Splits text events around the codes `is_code` accepts, which go out wrapped. Code
/// blocks keep their text as written.
fn marking_codes<'a>(
    events: impl Iterator<Item = Event<'a>>,
    is_code: impl Fn(&str) -> bool,
) -> impl Iterator<Item = Event<'a>> {
    let mut in_code_block = false;
    events.flat_map(move |event| {
        let mut out = Vec::new();
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                out.push(event);
            }
            Event::Text(text) if !in_code_block => {
                for (code, run) in crate::domain::code_runs(&text) {
                    if code && is_code(run) {
                        // A code is upper-case letters, digits and hyphens: nothing to escape.
                        out.push(Event::InlineHtml(
                            format!(r#"<span class="{EXAM_CODE_CLASS}">{run}</span>"#).into(),
                        ));
                    } else {
                        out.push(Event::Text(run.to_owned().into()));
                    }
                }
            }
            other => out.push(other),
        }
        out
    })
}

/// The parser's events with raw HTML made image-free: an HTML block is sanitised whole
/// without `<img>`; an inline HTML event is exactly one tag, dropped when it is `<img …>`.
fn without_raw_images<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut block: Option<String> = None;
    events.filter_map(move |event| match event {
        Event::Start(Tag::HtmlBlock) => {
            block = Some(String::new());
            None
        }
        Event::Html(text) if block.is_some() => {
            block.get_or_insert_default().push_str(&text);
            None
        }
        Event::End(TagEnd::HtmlBlock) => {
            let html = block.take().unwrap_or_default();
            Some(Event::Html(RAW_HTML.clean(&html).to_string().into()))
        }
        Event::InlineHtml(tag) if is_img_tag(&tag) => None,
        other => Some(other),
    })
}

/// Whether one raw inline tag could make an `<img>` element: it holds `<img` or `<image`
/// (which parsers read as `<img>`) anywhere, in any case — also inside an attribute value,
/// which a raw-text element before it (`<noscript>`, `<textarea>` …) turns into markup
/// (found by the `markdown` fuzz target, `fuzz/regressions/markdown/`).
fn is_img_tag(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    tag.contains("<img") || tag.contains("<image")
}

/// The text of Markdown without markup, for meta descriptions and feeds.
pub fn to_text(markdown: &str) -> String {
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
    fn only_raw_html_takes_the_sanitiser_to_its_fixed_point() {
        // A `<` that is text (a code span, a comparison, an autolink) is not raw HTML: the
        // one-pass path.
        for text in ["`Vec<T>` in a code span", "fewer than < 5 exams", "<https://example.ch>", "a <- b"] {
            assert!(!render(text, |_| false).1, "{text:?} holds no raw HTML");
        }
        for text in ["&amp;<button>", "<div>\nblock\n</div>", "a <b>bold</b> word", "<!-- a comment -->"] {
            assert!(render(text, |_| false).1, "{text:?} holds raw HTML");
        }
        // Marked exam codes are inline HTML the renderer adds, not the author's.
        assert!(!render("MD-102", |_| true).1);
    }

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
    fn images_come_from_markdown_and_always_have_alt() {
        let html = to_html(
            "<img src=\"/a.png\" title=\"x > y\"> ![Chart](/b.png) ![](/c.png) <IMG\nsrc=/d.png> <a href=\"javascript:x\">t</a>\n\n<div><img src=/e.png>kept</div>\n",
        );
        assert!(html.contains("<img src=\"/b.png\" alt=\"Chart\">"), "{html}");
        assert!(html.contains("<img src=\"/c.png\" alt=\"\">"), "{html}");
        assert_eq!(html.matches("<img").count(), 2, "raw HTML images are removed: {html}");
        assert!(html.contains("<div>kept</div>"), "{html}");
        assert!(html.contains("<a>t</a>"), "{html}");
    }

    #[test]
    fn every_raw_tag_that_could_make_an_image_counts_as_one() {
        for tag in [
            "<img src=x>",
            "<IMG/>",
            "<img\nsrc=x>",
            "<img>",
            "<image src=x>",
            "<p title=\"</noscript><Img src=x>\">",
        ] {
            assert!(is_img_tag(tag), "{tag}");
        }
        for tag in ["</img>", "<i>", "<p title=\"img\">"] {
            assert!(!is_img_tag(tag), "{tag}");
        }
    }

    #[test]
    fn raw_images_hidden_in_other_tags_are_removed_too() {
        // Found by the `markdown` fuzz target: inside `<noscript>` the title is markup.
        for case in ["<noscript><p title=\"</noscript><img src=x>\"></noscript>", "<image src=x>"] {
            let html = to_html(case);
            assert!(!html.contains("<img"), "{case:?} gave {html:?}");
        }
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
    fn sanitised_output_is_a_fixed_point() {
        // Found by tests/properties.rs: one pass of ammonia left a nesting the parser
        // never builds (a `p` in a `p`), or a byte-order mark the next parse drops.
        assert_eq!(to_html("&amp;<button>"), "<p>&amp;</p><p></p>\n<p></p>");
        assert_eq!(sanitize("<p>&amp;<button></p>"), "<p>&amp;</p><p></p><p></p>");
        assert_eq!(sanitize("<table>\u{feff}"), "<table></table>");
        for html in ["<p>&amp;<button></p>", "<table>\u{feff}", "<p><svg><desc><ul><li>x"] {
            let once = sanitize(html);
            assert_eq!(sanitize(&once), once, "{html}");
        }
    }

    #[test]
    fn text_drops_markup() {
        assert_eq!(to_text("Some **bold** text.\n\nNext `code`."), "Some bold text. Next code.");
    }
}
