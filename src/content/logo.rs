//! The brand logo's safety check: an SVG from the content directory becomes part of every
//! page, so it must be inert wherever the web layer puts it — in an `<img>`, inlined in
//! the HTML, or opened on its own as an SVG document.
//!
//! The SVG is parsed with `roxmltree` (a DOCTYPE, and so any entity, is refused by the
//! parser), then every node is held to a short list of rules. Elements in the SVG
//! namespace must be on an allow-list of shapes, text, paint servers, filters and their
//! containers: that excludes scripts, `foreignObject`, animation (which can rewrite an
//! `href` to `javascript:`), SVG fonts, and names like `p` or `iframe` that the HTML
//! parser would take out of the SVG when the logo is inlined. Elements in the XHTML or
//! `MathML` namespace, or in none, are refused; elements in other namespaces (the metadata
//! that drawing programs write, such as `inkscape:` or `rdf:`) are inert and pass.
//! Names are compared without regard to case where the HTML parser would fold them.

use roxmltree::{Document, Node, NodeType, ParsingOptions};

/// The largest logo accepted: a wordmark needs a few KiB; the bound keeps every page
/// small and the check's work bounded.
pub const MAX_BYTES: usize = 100 * 1024;

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";

/// The SVG elements a logo may use.
const ALLOWED: &[&str] = &[
    "circle",
    "clipPath",
    "defs",
    "desc",
    "ellipse",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
    "filter",
    "g",
    "image",
    "line",
    "linearGradient",
    "marker",
    "mask",
    "metadata",
    "path",
    "pattern",
    "polygon",
    "polyline",
    "radialGradient",
    "rect",
    "stop",
    "style",
    "svg",
    "switch",
    "symbol",
    "text",
    "textPath",
    "title",
    "tspan",
    "use",
    "view",
];

/// Embedded images a logo may carry in an `href`: raster formats only, which cannot
/// hold a script or a reference of their own.
const DATA_IMAGES: &[&str] = &["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"];

/// One reason to refuse a logo, at a byte offset of its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: usize,
    pub message: String,
}

/// Every reason to refuse `svg` as a logo; empty when it is safe to publish.
///
/// ```
/// use certwise::content::logo;
/// let ok = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="url(#g)"/></svg>"##;
/// assert!(logo::check(ok).is_empty());
/// let bad = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
/// assert!(logo::check(bad)[0].message.contains("`onload`"));
/// ```
pub fn check(svg: &str) -> Vec<Problem> {
    if let Some(message) = size_problem(u64::try_from(svg.len()).unwrap_or(u64::MAX)) {
        return vec![Problem { at: 0, message }];
    }
    let options = ParsingOptions { allow_dtd: false, ..ParsingOptions::default() };
    let doc = match Document::parse_with_options(svg, options) {
        Ok(doc) => doc,
        Err(roxmltree::Error::DtdDetected) => {
            return vec![Problem {
                at: svg.find("<!DOCTYPE").unwrap_or(0),
                message:
                    "the logo has a DOCTYPE: DTDs and entities are not allowed in a logo (they can expand \
                          without bound or read other files)"
                        .to_owned(),
            }];
        }
        Err(e) => {
            let pos = e.pos();
            let message = e.to_string().replace(&format!(" at {pos}"), "");
            return vec![Problem {
                at: offset_of(svg, pos.row, pos.col),
                message: format!("the logo is not well-formed XML: {message}"),
            }];
        }
    };
    let mut problems = Vec::new();
    let root = doc.root_element();
    if !root.tag_name().name().eq_ignore_ascii_case("svg") {
        problems.push(Problem {
            at: root.range().start,
            message: format!("the logo's root element is `<{}>`, not `<svg>`", qname(svg, root)),
        });
        return problems;
    }
    if root.tag_name().namespace() != Some(SVG_NS) {
        problems.push(Problem {
            at: root.range().start,
            message: format!("the logo's `<svg>` is not in the SVG namespace: add `xmlns=\"{SVG_NS}\"`"),
        });
        return problems;
    }
    for node in doc.descendants() {
        match node.node_type() {
            NodeType::Element => {
                element(svg, node, &mut problems);
                attributes(svg, node, &mut problems);
            }
            NodeType::Text
                if node
                    .parent_element()
                    .is_some_and(|p| p.tag_name().name().eq_ignore_ascii_case("style")) =>
            {
                let css = node.text().unwrap_or_default();
                stylesheet(css, node.range().start, "the `<style>` element", &mut problems);
            }
            NodeType::PI => {
                let target = node.pi().map_or("", |pi| pi.target);
                problems.push(Problem {
                    at: node.range().start,
                    message: format!(
                        "the logo has a processing instruction `<?{target} …?>`: not allowed in a logo (one can load a \
                         style sheet)"
                    ),
                });
            }
            _ => {}
        }
    }
    problems
}

/// Why a logo of `len` bytes is refused for its size alone, if it is; callers check the
/// size of a file before reading it.
pub fn size_problem(len: u64) -> Option<String> {
    let max = u64::try_from(MAX_BYTES).unwrap_or(u64::MAX);
    (len > max)
        .then(|| format!("the logo is {} KiB; a logo may be at most {} KiB", len.div_ceil(1024), max / 1024))
}

/// The element's name as written (`xlink:href`, `html:p`), for messages.
fn qname<'a>(svg: &'a str, node: Node<'_, '_>) -> &'a str {
    let rest = &svg[node.range().start + 1..];
    let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
    &rest[..end]
}

fn element(svg: &str, node: Node<'_, '_>, problems: &mut Vec<Problem>) {
    let name = node.tag_name().name();
    let at = node.range().start;
    let mut refuse = |message: String| problems.push(Problem { at, message });
    if name.eq_ignore_ascii_case("script") {
        refuse("the logo has a `<script>` element: a logo may not run scripts".to_owned());
    } else if name.eq_ignore_ascii_case("foreignObject") {
        refuse("the logo has a `<foreignObject>` element: a logo may not embed HTML".to_owned());
    } else {
        match node.tag_name().namespace() {
            Some(SVG_NS) if !ALLOWED.contains(&name) => refuse(format!(
                "`<{}>` is not allowed in a logo: only SVG shapes, text, gradients, patterns, masks, filters and \
                 their containers are (no links, animation or fonts)",
                qname(svg, node)
            )),
            None | Some("" | XHTML_NS | MATHML_NS) => refuse(format!(
                "`<{}>` is outside the SVG namespace: a logo may not embed HTML or MathML",
                qname(svg, node)
            )),
            // SVG's own, or the inert metadata of a drawing program.
            Some(_) => {}
        }
    }
}

fn attributes(svg: &str, node: Node<'_, '_>, problems: &mut Vec<Problem>) {
    for attr in node.attributes() {
        let name = &svg[attr.range_qname()];
        let local = attr.name();
        let value = attr.value();
        let at = attr.range().start;
        if local.len() > 2 && local[..2].eq_ignore_ascii_case("on") {
            problems.push(Problem {
                at,
                message: format!("`{name}` is an event handler: a logo may not run scripts"),
            });
        } else if local.eq_ignore_ascii_case("href") {
            if !internal_or_raster(value) {
                problems.push(Problem {
                    at,
                    message: format!(
                        "`{name}` `{}` refers outside the logo: only references inside it (`#id`) and embedded PNG, \
                         JPEG, GIF or WebP images (`data:image/png;base64,…`) are allowed",
                        shorten(value)
                    ),
                });
            }
        } else if local.eq_ignore_ascii_case("style") {
            stylesheet(value, at, &format!("`{name}`"), problems);
        } else if attr.namespace().is_none() {
            // Presentation attributes (`fill`, `filter`, `mask`, …) are CSS values too.
            css_value(value, at, &format!("`{name}`"), problems);
        }
    }
}

fn internal_or_raster(href: &str) -> bool {
    let href = href.trim();
    href.starts_with('#')
        || DATA_IMAGES.iter().any(|prefix| {
            href.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                && href[prefix.len()..].starts_with([';', ','])
        })
}

/// A style sheet (`<style>`, `style="…"`): no `@import`, and the rules of a CSS value.
fn stylesheet(css: &str, at: usize, what: &str, problems: &mut Vec<Problem>) {
    if css.to_ascii_lowercase().contains("@import") {
        problems
            .push(Problem { at, message: format!("{what} has `@import`: a logo may not load style sheets") });
    }
    css_value(css, at, what, problems);
}

/// CSS that may only point inside the logo: every `url(…)` is `url(#id)`, no
/// `image-set(…)` (it loads from strings), and no `\` escapes (which could spell `url(`
/// in a way these checks would not see).
fn css_value(css: &str, at: usize, what: &str, problems: &mut Vec<Problem>) {
    if css.contains('\\') {
        problems.push(Problem {
            at,
            message: format!("{what} has a `\\` escape: CSS escapes are not allowed in a logo"),
        });
        return;
    }
    let lower = css.to_ascii_lowercase();
    for (i, _) in lower.match_indices("url(") {
        let target = lower[i + 4..].trim_start().trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            let end = css[i..].find(')').map_or(css.len(), |e| i + e + 1);
            problems.push(Problem {
                at,
                message: format!(
                    "{what} uses `{}`: only references inside the logo (`url(#id)`) are allowed",
                    shorten(&css[i..end])
                ),
            });
        }
    }
    if lower.contains("image-set(") {
        problems
            .push(Problem {
                at, message: format!("{what} uses `image-set(…)`: a logo may not load images")
            });
    }
}

/// A value short enough to quote in a message.
fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

/// The byte offset of a 1-based row and column (in characters).
fn offset_of(text: &str, row: u32, col: u32) -> usize {
    let row = usize::try_from(row).unwrap_or(usize::MAX).saturating_sub(1);
    let col = usize::try_from(col).unwrap_or(usize::MAX).saturating_sub(1);
    let line_start = text.split_inclusive('\n').take(row).map(str::len).sum::<usize>();
    let line = &text[line_start..];
    line_start + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A logo with `inner` inside a correct root.
    fn svg(inner: &str) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{inner}</svg>"#
        )
    }

    /// The one problem with `text`, asserting there is exactly one.
    fn refusal(text: &str) -> Problem {
        let problems = check(text);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        problems.into_iter().next().unwrap()
    }

    #[test]
    fn a_plain_logo_passes_with_its_metadata_and_internal_references() {
        let ok = svg(concat!(
            r##"<title>Example Academy</title>"##,
            r##"<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>"##,
            r##"<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"/>"##,
            r##"<defs><linearGradient id="g"><stop offset="0" stop-color="#0b5cab"/></linearGradient>"##,
            r##"<style>.a { fill: url( "#g" ); }</style></defs>"##,
            r##"<path class="a" d="M0 0h10v10z" style="stroke:url(#g)"/>"##,
            r##"<use xlink:href="#g"/><use href=" #g"/>"##,
            r##"<image href="data:image/png;base64,iVBORw0KGgo="/>"##,
            r##"<text font-family="sans-serif">Example</text>"##,
        ));
        assert_eq!(check(&ok), []);
        assert_eq!(
            check(&format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- made by hand -->\n{ok}")),
            []
        );
    }

    #[test]
    fn too_large() {
        let big = svg(&format!("<desc>{}</desc>", "x".repeat(MAX_BYTES)));
        let p = refusal(&big);
        assert_eq!(p.message, "the logo is 101 KiB; a logo may be at most 100 KiB");
    }

    #[test]
    fn not_xml() {
        let p = refusal("<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect>\n</svg>");
        assert!(p.message.starts_with("the logo is not well-formed XML: "), "{}", p.message);
        assert!(!p.message.contains(" at 3:"), "the position is not repeated: {}", p.message);
        assert_eq!(p.at, "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect>\n".len(), "at `</svg>`");
        assert_eq!(p.message, "the logo is not well-formed XML: expected 'rect' tag, not 'svg'");
        assert!(refusal("just text").message.starts_with("the logo is not well-formed XML"));
        assert!(refusal("").message.starts_with("the logo is not well-formed XML"));
    }

    #[test]
    fn doctype_and_entities() {
        let text = concat!(
            "<?xml version=\"1.0\"?>\n",
            "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>&b;</text></svg>",
        );
        let p = refusal(text);
        assert!(p.message.starts_with("the logo has a DOCTYPE"), "{}", p.message);
        assert_eq!(p.at, "<?xml version=\"1.0\"?>\n".len());
        // An entity without a DOCTYPE is no entity at all.
        assert!(refusal(&svg("<text>&ext;</text>")).message.contains("unknown entity reference"));
    }

    #[test]
    fn root_is_not_svg() {
        let p = refusal(r#"<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>"#);
        assert_eq!(p.message, "the logo's root element is `<html>`, not `<svg>`");
    }

    #[test]
    fn root_is_not_in_the_svg_namespace() {
        let p = refusal("<svg viewBox=\"0 0 1 1\"/>");
        assert_eq!(
            p.message,
            "the logo's `<svg>` is not in the SVG namespace: add `xmlns=\"http://www.w3.org/2000/svg\"`"
        );
    }

    #[test]
    fn script_in_any_case() {
        for inner in ["<script>alert(1)</script>", "<Script>alert(1)</Script>", "<script href=\"#x\"/>"] {
            let text = svg(inner);
            let p = refusal(&text);
            assert_eq!(p.message, "the logo has a `<script>` element: a logo may not run scripts");
            assert_eq!(p.at, text.find(inner).unwrap());
        }
    }

    #[test]
    fn foreign_object() {
        let p = refusal(&svg(r#"<foreignObject width="9" height="9"/>"#));
        assert_eq!(p.message, "the logo has a `<foreignObject>` element: a logo may not embed HTML");
        // What it would carry is refused on its own too.
        let html = check(&svg(
            r#"<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>"#,
        ));
        assert_eq!(html.len(), 2, "{html:#?}");
        assert!(html[1].message.starts_with("`<div>` is outside the SVG namespace"), "{}", html[1].message);
    }

    #[test]
    fn event_handler_attributes_in_any_case() {
        for (inner, name) in [
            (r#"<rect onclick="alert(1)"/>"#, "onclick"),
            (r#"<rect ONLOAD="alert(1)"/>"#, "ONLOAD"),
            (r#"<g onmouseover=""/>"#, "onmouseover"),
        ] {
            let text = svg(inner);
            let p = refusal(&text);
            assert_eq!(p.message, format!("`{name}` is an event handler: a logo may not run scripts"));
            assert_eq!(p.at, text.find(name).unwrap());
        }
        assert_eq!(
            check(r#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#)[0].message,
            "`onload` is an event handler: a logo may not run scripts"
        );
    }

    #[test]
    fn external_href_and_xlink_href() {
        for (inner, name, value) in [
            (r#"<use href="https://evil.example/s.svg#a"/>"#, "href", "https://evil.example/s.svg#a"),
            (r#"<image xlink:href="//evil.example/x.png"/>"#, "xlink:href", "//evil.example/x.png"),
            (r#"<use href="other.svg#a"/>"#, "href", "other.svg#a"),
            (r#"<use HREF="javascript:alert(1)"/>"#, "HREF", "javascript:alert(1)"),
            (
                r#"<image href="data:image/svg+xml;base64,PHN2Zz4="/>"#,
                "href",
                "data:image/svg+xml;base64,PHN2Zz4=",
            ),
            (r#"<image href="data:text/html,&lt;script&gt;"/>"#, "href", "data:text/html,<script>"),
            (r#"<image href="data:image/pngx,AAAA"/>"#, "href", "data:image/pngx,AAAA"),
        ] {
            let p = refusal(&svg(inner));
            assert!(
                p.message.starts_with(&format!("`{name}` `{value}` refers outside the logo")),
                "{}",
                p.message
            );
        }
    }

    #[test]
    fn url_other_than_a_fragment_in_attributes() {
        let p = refusal(&svg(r#"<rect fill="url(https://evil.example/p.svg#g)"/>"#));
        assert_eq!(
            p.message,
            "`fill` uses `url(https://evil.example/p.svg#g)`: only references inside the logo (`url(#id)`) are allowed"
        );
        let p = refusal(&svg(r#"<rect style="fill: URL( 'https://evil.example/x.png' )"/>"#));
        assert!(p.message.starts_with("`style` uses `URL( 'https://evil.example/x.png' )`"), "{}", p.message);
        let p = refusal(&svg(r#"<rect filter="url(data:image/png;base64,AAAA)"/>"#));
        assert!(p.message.starts_with("`filter` uses `url(data:"), "{}", p.message);
    }

    #[test]
    fn url_other_than_a_fragment_in_style_elements() {
        let text = svg("<style>rect { fill: url(https://evil.example/p.svg#g) }</style>");
        let p = refusal(&text);
        assert_eq!(
            p.message,
            "the `<style>` element uses `url(https://evil.example/p.svg#g)`: only references inside the logo \
             (`url(#id)`) are allowed"
        );
        let cdata = svg("<style><![CDATA[ @font-face { src: url(font.woff) } ]]></style>");
        assert!(refusal(&cdata).message.contains("uses `url(font.woff)`"));
    }

    #[test]
    fn import_in_style() {
        let p = refusal(&svg("<style>@import 'https://evil.example/a.css';</style>"));
        assert_eq!(p.message, "the `<style>` element has `@import`: a logo may not load style sheets");
        let both = check(&svg("<style>@IMPORT url(a.css);</style>"));
        assert_eq!(both.len(), 2, "the import and its url: {both:#?}");
    }

    #[test]
    fn css_escapes_and_image_set() {
        let p = refusal(&svg(r"<style>rect { fill: \75 rl(https://evil.example/) }</style>"));
        assert_eq!(
            p.message,
            "the `<style>` element has a `\\` escape: CSS escapes are not allowed in a logo"
        );
        let p = refusal(&svg(r#"<rect style="background: image-set('https://evil.example/x.png' 1x)"/>"#));
        assert_eq!(p.message, "`style` uses `image-set(…)`: a logo may not load images");
        // A backslash in a drawing program's own attribute is not CSS.
        let inkscape = svg(
            r#"<g xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:export-filename="C:\logo.png"/>"#,
        );
        assert_eq!(check(&inkscape), []);
    }

    #[test]
    fn processing_instructions_such_as_a_style_sheet_link() {
        let text = format!("<?xml-stylesheet href=\"https://evil.example/a.css\"?>\n{}", svg(""));
        let p = refusal(&text);
        assert_eq!(
            p.message,
            "the logo has a processing instruction `<?xml-stylesheet …?>`: not allowed in a logo (one can load a \
             style sheet)"
        );
        assert_eq!(p.at, 0);
    }

    #[test]
    fn animation_that_could_rewrite_a_link() {
        let p = refusal(&svg(r#"<set attributeName="href" to="javascript:alert(1)"/>"#));
        assert!(p.message.starts_with("`<set>` is not allowed in a logo"), "{}", p.message);
        assert!(
            refusal(&svg(r#"<animate attributeName="fill" values="red;blue"/>"#))
                .message
                .starts_with("`<animate>`")
        );
    }

    #[test]
    fn elements_the_html_parser_would_lift_out_of_an_inlined_logo() {
        // Inlined in HTML, `<p>` ends the SVG and what follows is HTML.
        let p = refusal(&svg("<p/>"));
        assert!(p.message.starts_with("`<p>` is not allowed in a logo"), "{}", p.message);
        assert!(refusal(&svg("<a href=\"#x\"/>")).message.starts_with("`<a>` is not allowed"));
        assert!(refusal(&svg("<iframe/>")).message.starts_with("`<iframe>` is not allowed"));
    }

    #[test]
    fn html_and_mathml_namespaces() {
        let p = refusal(&svg(r#"<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" srcdoc="x"/>"#));
        assert_eq!(
            p.message,
            "`<h:iframe>` is outside the SVG namespace: a logo may not embed HTML or MathML"
        );
        let p = refusal(&svg(r#"<math xmlns="http://www.w3.org/1998/Math/MathML"/>"#));
        assert!(p.message.starts_with("`<math>` is outside the SVG namespace"), "{}", p.message);
        let p = refusal(&svg(r#"<p xmlns=""/>"#));
        assert!(p.message.starts_with("`<p>` is outside the SVG namespace"), "{}", p.message);
    }

    #[test]
    fn every_problem_is_reported() {
        let all = check(&svg(r#"<script/><rect onclick="x" fill="url(a.svg)"/><use href="b.svg"/>"#));
        assert_eq!(all.len(), 4, "{all:#?}");
    }

    #[test]
    fn offsets_from_rows_and_columns() {
        assert_eq!(offset_of("ab\nçd\n", 1, 1), 0);
        assert_eq!(offset_of("ab\nçd\n", 2, 2), 5);
        assert_eq!(offset_of("ab\nçd\n", 9, 9), 7);
    }
}
