//! The Markdown renderer and sanitiser ([`crate::markdown`]): its output, parsed as a
//! browser parses a page, holds no script, no event handler and no dangerous URL.
//!
//! The input is the Markdown (bytes that are not UTF-8 replaced, as the content reader
//! never passes them). Both [`to_html`](crate::markdown::to_html) and
//! [`to_html_marking`](crate::markdown::to_html_marking) (with exam codes wrapped) are
//! checked; [`to_text`](crate::markdown::to_text) must not panic.

use html5ever::tendril::TendrilSink as _;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// The schemes the sanitiser lets through; everything else (`javascript:`, `data:`,
/// `vbscript:` …) must be gone from URL attributes.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Attributes whose value a browser loads or navigates to.
const URL_ATTRIBUTES: [&str; 20] = [
    "action",
    "archive",
    "background",
    "cite",
    "classid",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "lowsrc",
    "manifest",
    "ping",
    "poster",
    "profile",
    "src",
    "srcset",
    "usemap",
];

pub fn check(data: &[u8]) {
    let markdown = String::from_utf8_lossy(data);
    let _ = crate::markdown::to_text(&markdown);
    assert_safe(&crate::markdown::to_html(&markdown));
    assert_safe(&crate::markdown::to_html_marking(&markdown, |code| code.len() % 2 == 0));
}

/// Panics, naming what and where, when `html` placed in a page's body holds anything the
/// module's rule forbids.
pub fn assert_safe(html: &str) {
    let page =
        format!("<!DOCTYPE html><html><head><title>t</title></head><body><div>{html}</div></body></html>");
    let dom = html5ever::parse_document(RcDom::default(), html5ever::ParseOpts::default()).one(page);
    walk(&dom.document, html);
}

fn walk(node: &Handle, html: &str) {
    if let NodeData::Element { name, attrs, template_contents, .. } = &node.data {
        let element = name.local.to_ascii_lowercase().to_string();
        assert!(element != "script", "a <script> element in {html:?}");
        let attrs = attrs.borrow();
        for attr in attrs.iter() {
            let attribute = attr.name.local.to_ascii_lowercase().to_string();
            assert!(
                !attribute.starts_with("on"),
                "an event handler `{attribute}` on <{element}> in {html:?}"
            );
            if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                assert_safe_url(&element, &attribute, &attr.value, html);
            }
        }
        if element == "img" {
            assert!(attrs.iter().any(|a| &*a.name.local == "alt"), "an <img> without alt in {html:?}");
        }
        if let Some(contents) = template_contents.borrow().as_ref() {
            walk(contents, html);
        }
    }
    for child in node.children.borrow().iter() {
        walk(child, html);
    }
}

fn assert_safe_url(element: &str, attribute: &str, value: &str, html: &str) {
    let urls: Vec<&str> = if attribute == "srcset" {
        value.split(',').filter_map(|candidate| candidate.split_whitespace().next()).collect()
    } else {
        vec![value]
    };
    for url in urls {
        // What a browser's URL parser ignores: leading and trailing C0 controls and spaces,
        // and tabs and newlines anywhere.
        let squeezed: String = url
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(
            !squeezed.starts_with("javascript:"),
            "a javascript: URL in {attribute} of <{element}> in {html:?}"
        );
        let base = url::Url::parse("https://certwise.invalid/en/answers/page").expect("a valid base");
        if let Ok(resolved) = base.join(url) {
            assert!(
                SCHEMES.contains(&resolved.scheme()),
                "a {}: URL in {attribute} of <{element}> in {html:?}",
                resolved.scheme()
            );
        }
    }
}
