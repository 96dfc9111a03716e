//! A rendered page (or text file) made into its static copy, with `lol_html`: the page the
//! router rendered for a visitor who has not decided on consent, changed only where a file
//! cannot do what the server did.
//!
//! What changes on a page:
//! - **Links** follow `links`' rule: a file keeps its link (the cookie settings lose their
//!   `?return_to=`); what needs a server points to `--live-url`. Without one it is left
//!   out: the list item or section whose every link it was (navigation items, the home
//!   page's advisor and planner cards), the paragraph (or a table cell's content) whose text
//!   was all inside such links;
//!   elsewhere the link becomes its text (a sentence keeps its words); a GET form that
//!   asks the server (the advisor's, a list's filters); any POST form. A course's inquiry
//!   form becomes a link to the live page's form, or its section is left out.
//! - **Consent is decided in the browser**: the server's consent script gives way to
//!   `static/static-consent.js` (told the policy version); every declared service's script
//!   is in the head inert, as `<script type="text/plain" data-consent="CATEGORY"
//!   data-src="…" data-cookies="…">`, for that script to start once its category is
//!   granted (and to expire the declared cookies once it is revoked). The banner and
//!   the consent forms are `hidden` (and post nowhere) until the script shows them, so a page without
//!   JavaScript shows no form that cannot work and loads no service; the cookie settings
//!   say so in a `<noscript>`. Form tokens and nonces go: no server checks them.
//! - **Search** answers from the exported index (`static/static-search.js` instead of the
//!   suggestions script, which asks the API); the search page loses its filters.
//! - **The Content-Security-Policy** is a `<meta>` right after the charset
//!   (`web::headers::static_content_security_policy`), allowing exactly the inline scripts
//!   left in the finished page by their `sha256-…` hash. JSON-LD is a data block, which
//!   browsers do not run and CSP does not govern, so it needs no hash.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::rc::Rc;

use anyhow::Context as _;
use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{RewriteStrSettings, element, end_tag, rewrite_str, text};
use sha2::{Digest, Sha256};
use url::Url;

/// Where static-consent.js keeps the visitor's choice (`localStorage`), named on the cookie
/// settings page in place of the server's signed cookie.
const STORAGE_KEY: &str = "certwise-consent";

use super::links::{INQUIRY, Target, classify, needs_server};
use crate::domain::{Site, Vocabulary as _};
use crate::i18n::Lang;
use crate::web::asset_files::{CONSENT_SCRIPT, SEARCH_SCRIPT, STATIC_CONSENT_SCRIPT, STATIC_SEARCH_SCRIPT};
use crate::web::headers::static_content_security_policy;

/// Stands for the policy until the finished page's inline scripts are known.
const CSP_MARK: &str = "\u{1}certwise-csp\u{1}";

/// What every page's rewriting needs.
#[derive(Debug, Clone)]
pub struct Context {
    /// The site's `base_url`: the origin its pages live on.
    pub base: Url,
    /// Where what needs a server is (`--live-url`), without a trailing `/`.
    pub live: Option<String>,
    pub site: Site,
}

/// A page's static copy and the files it links to.
#[derive(Debug)]
pub struct Page {
    pub html: String,
    /// Paths (no query, no fragment) of the site's files this page links to.
    pub links: Vec<String>,
}

impl Context {
    fn page_url(&self, path: &str) -> anyhow::Result<Url> {
        self.base.join(path).with_context(|| format!("{path} is not a path on {}", self.base))
    }

    fn live_address(&self, address: &str) -> Option<String> {
        self.live.as_ref().map(|live| format!("{live}{address}"))
    }
}

/// The static copy of the page rendered at `path` in `locale`.
pub fn page(cx: &Context, path: &str, locale: &str, html: &str) -> anyhow::Result<Page> {
    let url = cx.page_url(path)?;
    let (mut html, links) = rewrite(cx, &url, locale, html)?;
    if cx.live.is_none() {
        html = drop_gone(&html)?;
    }
    let hashes = inline_script_hashes(&html)?;
    let policy = static_content_security_policy(&cx.site, &hashes, cx.live.as_deref());
    Ok(Page { html: html.replacen(CSP_MARK, &policy, 1), links })
}

/// Marks a link that needs a server when there is no live site, for [`drop_gone`].
const GONE: &str = "data-certwise-gone";

/// Leaves out the blocks that held nothing but links marked [`GONE`] — a list item or a
/// section whose every link is gone, a paragraph whose text is all inside gone links, the
/// content of such a table cell —
/// and makes the other gone links plain text (an answer's sentence that mentions the
/// advisor keeps its words).
fn drop_gone(html: &str) -> anyhow::Result<String> {
    #[derive(Default)]
    struct Scan {
        /// Open blocks: (start of the start tag, is a paragraph or cell, holds a link that stays,
        /// holds a gone link, holds text outside gone links).
        open: Vec<(usize, bool, bool, bool, bool)>,
        in_gone: bool,
        drop: HashSet<usize>,
    }
    let scan = Rc::new(RefCell::new(Scan::default()));
    let (on_block, on_link, on_text) = (scan.clone(), scan.clone(), scan.clone());
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("li, p, section, td", move |el| {
                let at = el.source_location().bytes().start;
                let worded = matches!(el.tag_name().as_str(), "p" | "td");
                on_block.borrow_mut().open.push((at, worded, false, false, false));
                let scan = on_block.clone();
                // A block whose end tag is implied is never dropped.
                let _ = el.on_end_tag(end_tag!(move |_| {
                    let mut s = scan.borrow_mut();
                    if let Some((start, paragraph, stays, goes, text)) = s.open.pop() {
                        if start == at && goes && !stays && !(paragraph && text) {
                            s.drop.insert(at);
                        }
                    }
                    Ok(())
                }));
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", move |el| {
                let gone = el.has_attribute(GONE);
                let mut s = on_link.borrow_mut();
                for block in &mut s.open {
                    if gone { block.3 = true } else { block.2 = true }
                }
                if gone {
                    s.in_gone = true;
                    let scan = on_link.clone();
                    let _ = el.on_end_tag(end_tag!(move |_| {
                        scan.borrow_mut().in_gone = false;
                        Ok(())
                    }));
                }
                Ok(())
            }))
            .append_element_content_handler(text!("p, td", move |t| {
                let mut s = on_text.borrow_mut();
                if !s.in_gone && !t.as_str().trim().is_empty() {
                    for block in &mut s.open {
                        block.4 = true;
                    }
                }
                Ok(())
            })),
    )
    .context("reading the page's blocks")?;
    let drop = std::mem::take(&mut scan.borrow_mut().drop);
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("li, p, section, td", |el| {
                if drop.contains(&el.source_location().bytes().start) {
                    if el.tag_name() == "td" {
                        // A table keeps its shape: the cell stays, empty.
                        el.set_inner_content("", ContentType::Text);
                    } else {
                        el.remove();
                    }
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[data-certwise-gone]", |el| {
                el.remove_and_keep_content();
                Ok(())
            })),
    )
    .context("leaving out the links that need a server")
}

/// The rewriting itself (see the module docs); the policy is [`CSP_MARK`] still.
#[expect(clippy::too_many_lines, reason = "one pass: every handler of the page, in one place")]
fn rewrite(cx: &Context, url: &Url, locale: &str, html: &str) -> anyhow::Result<(String, Vec<String>)> {
    let links = RefCell::new(Vec::new());
    let ui = Lang::of(locale).ui();
    let found = |target: &Target| {
        if let Target::Static { path, .. } = target {
            links.borrow_mut().push(path.clone());
        }
    };
    let inert: String = cx
        .site
        .services
        .iter()
        .filter_map(|s| {
            let src = s.script_src.as_ref()?;
            let cookies: Vec<&str> = s.cookies.iter().map(|c| c.name.as_str()).collect();
            Some(format!(
                "<script type=\"text/plain\" data-consent=\"{}\" data-src=\"{}\" data-cookies=\"{}\"></script>",
                s.category.as_str(),
                attr(src),
                attr(&cookies.join(" "))
            ))
        })
        .collect();
    let out = rewrite_str(
        html,
        RewriteStrSettings::new()
            // The live site runs only the inline scripts its templates sign with the nonce;
            // the page's policy will allow every inline script by hash, so one without the
            // nonce (never there today) stops the export instead of running on a file.
            .append_element_content_handler(element!("script:not([src]):not([nonce])", |el| {
                if runs(el.get_attribute("type").as_deref()) {
                    return Err(format!("{url}: an inline script without the page's nonce").into());
                }
                Ok(())
            }))
            .append_element_content_handler(element!("*[nonce]", |el| {
                el.remove_attribute("nonce");
                Ok(())
            }))
            .append_element_content_handler(element!("meta[charset]", |el| {
                el.after(
                    &format!("\n<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP_MARK}\">"),
                    ContentType::Html,
                );
                Ok(())
            }))
            .append_element_content_handler(element!("head", |el| {
                el.append(&inert, ContentType::Html);
                Ok(())
            }))
            .append_element_content_handler(element!("script[src]", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                if src == CONSENT_SCRIPT.url {
                    el.set_attribute("src", &STATIC_CONSENT_SCRIPT.url)?;
                    el.set_attribute("data-policy", &cx.site.policy_version)?;
                    found(&Target::Static { path: STATIC_CONSENT_SCRIPT.url.clone(), href: None });
                } else if src == SEARCH_SCRIPT.url {
                    el.set_attribute("src", &STATIC_SEARCH_SCRIPT.url)?;
                    found(&Target::Static { path: STATIC_SEARCH_SCRIPT.url.clone(), href: None });
                } else {
                    found(&classify(&cx.base, url, &src));
                }
                Ok(())
            }))
            .append_element_content_handler(element!("#consent-banner, form[data-consent]", |el| {
                el.set_attribute("hidden", "")?;
                // Decided by the script; no `/consent` to post to.
                el.remove_attribute("action");
                el.remove_attribute("method");
                Ok(())
            }))
            .append_element_content_handler(element!("input[type=hidden][name=token]", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("main form.consent-settings", |el| {
                el.before(
                    &format!(
                        "<noscript><p class=\"notice\">{}</p></noscript>",
                        text_escape(ui.consent_needs_script)
                    ),
                    ContentType::Html,
                );
                Ok(())
            }))
            // The choice lives in the browser's local storage (static-consent.js), not in the
            // signed cookie; there is no editors' area, so no session cookie.
            .append_element_content_handler(element!("tr.session-cookie", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("tr.consent-cookie code", |el| {
                el.set_inner_content(STORAGE_KEY, ContentType::Text);
                Ok(())
            }))
            .append_element_content_handler(element!("tr.consent-cookie td.purpose", |el| {
                el.set_inner_content(ui.consent_storage_purpose, ContentType::Text);
                Ok(())
            }))
            .append_element_content_handler(element!("form.search-page fieldset.filters", |el| {
                // The index in the browser has no topics or vendors to filter by.
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("section#inquiry", |el| {
                if cx.live.is_none() {
                    el.remove();
                }
                Ok(())
            }))
            .append_element_content_handler(element!("a[href]", |el| {
                let target = classify(&cx.base, url, &el.get_attribute("href").unwrap_or_default());
                match &target {
                    Target::Static { href: Some(href), .. } => el.set_attribute("href", href)?,
                    Target::Server { address } => match cx.live_address(address) {
                        Some(live) => el.set_attribute("href", &live)?,
                        None => el.set_attribute(GONE, "")?,
                    },
                    Target::Static { href: None, .. } | Target::Foreign => {}
                }
                found(&target);
                Ok(())
            }))
            .append_element_content_handler(element!("form[action]:not([data-consent])", |el| {
                let action = el.get_attribute("action").unwrap_or_default();
                let post = el.get_attribute("method").is_some_and(|m| m.eq_ignore_ascii_case("post"));
                if post {
                    // No POST reaches a server from another origin (same-origin checks, form
                    // tokens): the inquiry form becomes a link to the live page's form.
                    let live = cx.live_address(&format!("{}#{INQUIRY}", url.path()));
                    match live.filter(|_| el.has_attribute("class") && is_inquiry(el.get_attribute("class")))
                    {
                        Some(live) => el.replace(
                            &format!(
                                "<p><a class=\"button\" href=\"{}\">{}</a></p>",
                                attr(&live),
                                text_escape(ui.ask_about_course)
                            ),
                            ContentType::Html,
                        ),
                        None => el.remove(),
                    }
                    return Ok(());
                }
                // A GET form's answer is its address with the form's fields as the query.
                match classify(&cx.base, url, &action) {
                    Target::Static { path, .. } if needs_server(&path, Some("q")) => {
                        match cx.live_address(&path) {
                            Some(live) => el.set_attribute("action", &live)?,
                            None => el.remove(),
                        }
                    }
                    Target::Server { address } => match cx.live_address(&address) {
                        Some(live) => el.set_attribute("action", &live)?,
                        None => el.remove(),
                    },
                    target @ Target::Static { .. } => found(&target),
                    Target::Foreign => {}
                }
                Ok(())
            }))
            .append_element_content_handler(element!("link[href], img[src]", |el| {
                let href = el.get_attribute("href").or_else(|| el.get_attribute("src")).unwrap_or_default();
                found(&classify(&cx.base, url, &href));
                Ok(())
            })),
    )
    .context("rewriting the page")?;
    Ok((out, links.into_inner()))
}

fn is_inquiry(class: Option<String>) -> bool {
    class.is_some_and(|c| c.split_ascii_whitespace().any(|c| c == "inquiry-form"))
}

/// Whether a `<script type>` is one a browser runs (no type, JavaScript, a module).
fn runs(kind: Option<&str>) -> bool {
    let kind = kind.map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
    kind.is_empty() || kind == "module" || kind.ends_with("javascript") || kind.ends_with("ecmascript")
}

/// The `sha256-…` hashes (base64, without the prefix) of the inline scripts a browser
/// would run in `html`, in order.
pub fn inline_script_hashes(html: &str) -> anyhow::Result<Vec<String>> {
    let hashes = RefCell::new(Vec::new());
    let current: RefCell<Option<String>> = RefCell::new(None);
    rewrite_str(
        html,
        RewriteStrSettings::new()
            .append_element_content_handler(element!("script", |el| {
                let inline = !el.has_attribute("src") && runs(el.get_attribute("type").as_deref());
                *current.borrow_mut() = inline.then(String::new);
                Ok(())
            }))
            .append_element_content_handler(text!("script", |t| {
                let mut current = current.borrow_mut();
                if let Some(body) = current.as_mut() {
                    body.push_str(t.as_str());
                }
                if t.last_in_text_node() {
                    if let Some(body) = current.take() {
                        hashes
                            .borrow_mut()
                            .push(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&body)));
                    }
                }
                Ok(())
            })),
    )
    .context("reading the page's scripts")?;
    Ok(hashes.into_inner())
}

/// The `[text](address)` links of a Markdown or llms text whose address needs a server:
/// to the live site, or the text alone (a list line of one such link is left out).
pub fn text_file(cx: &Context, path: &str, text: &str) -> anyhow::Result<String> {
    let url = cx.page_url(path)?;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        let mut kept = String::new();
        let mut dropped_only_link = false;
        while let Some(open) = find_link(rest) {
            let (before, label, address, after) = open;
            kept.push_str(before);
            match classify(&cx.base, &url, address) {
                Target::Server { address: server } => match cx.live_address(&server) {
                    Some(live) => {
                        let _ = write!(kept, "[{label}]({live})");
                    }
                    None => {
                        kept.push_str(label);
                        dropped_only_link = before.trim() == "-" && after.trim().is_empty();
                    }
                },
                _ => {
                    let _ = write!(kept, "[{label}]({address})");
                }
            }
            rest = after;
        }
        kept.push_str(rest);
        if !dropped_only_link {
            out.push_str(&kept);
        }
    }
    Ok(out)
}

/// The first `[label](address)` of `s`: (text before, label, address, text after).
fn find_link(s: &str) -> Option<(&str, &str, &str, &str)> {
    let mut from = 0;
    while let Some(mid) = s[from..].find("](").map(|i| from + i) {
        let close = s[mid + 2..].find(')').map(|i| mid + 2 + i);
        let open =
            s[..mid].char_indices().rev().find(|&(i, c)| c == '[' && !s[..i].ends_with('\\')).map(|(i, _)| i);
        if let (Some(open), Some(close)) = (open, close) {
            return Some((&s[..open], &s[open + 1..mid], &s[mid + 2..close], &s[close + 1..]));
        }
        from = mid + 2;
    }
    None
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

fn text_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(live: Option<&str>) -> Context {
        let site = Site {
            name: "Example".into(),
            base_url: "https://www.example.ch".into(),
            default_locale: "en".into(),
            locales: vec!["en".into()],
            region: None,
            policy_version: "1".into(),
            services: Vec::new(),
            brand: crate::domain::Brand::default(),
        };
        Context { base: Url::parse("https://www.example.ch").unwrap(), live: live.map(str::to_owned), site }
    }

    #[test]
    fn an_inline_script_the_template_did_not_sign_stops_the_export() {
        let page = |body: &str| {
            super::page(
                &cx(None),
                "/en/x",
                "en",
                &format!("<head><meta charset=\"utf-8\"></head><body>{body}</body>"),
            )
        };
        let Err(refused) = page("<script>alert(1)</script>") else {
            panic!("an unsigned inline script was exported")
        };
        assert!(format!("{refused:#}").contains("without the page's nonce"), "{refused:#}");
        assert!(page("<script nonce=\"n\">go()</script>").is_ok());
        assert!(
            page("<script type=\"application/ld+json\">{}</script><script src=\"/a.js\"></script>").is_ok()
        );
    }

    #[test]
    fn inline_scripts_are_hashed_and_data_blocks_are_not() {
        let html = "<head><script>alert(1)</script><script type=\"application/ld+json\">{}</script>\
                    <script src=\"/x.js\"></script><script type=\"text/plain\">y</script></head>";
        let hashes = inline_script_hashes(html).unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"alert(1)"));
        assert_eq!(hashes, vec![expected]);
    }

    #[test]
    fn server_links_in_text_go_live_or_lose_their_address() {
        let text = "- [Advisor](https://www.example.ch/en/advisor)\n- [Answers](https://www.example.ch/en/answers/)\n\
                    See [the planner](/en/plan) first.\n";
        assert_eq!(
            text_file(&cx(None), "/llms.txt", text).unwrap(),
            "- [Answers](https://www.example.ch/en/answers/)\nSee the planner first.\n"
        );
        assert_eq!(
            text_file(&cx(Some("https://live.example.ch")), "/llms.txt", text).unwrap(),
            "- [Advisor](https://live.example.ch/en/advisor)\n- [Answers](https://www.example.ch/en/answers/)\n\
             See [the planner](https://live.example.ch/en/plan) first.\n"
        );
    }

    #[test]
    fn lone_server_links_take_their_list_item_along() {
        let html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><ul>\
                    <li><a href=\"/en/answers/\">Answers</a></li><li><a href=\"/en/advisor\">Advisor</a></li></ul>\
                    <p class=\"actions\"> <a href=\"#inquiry\">Ask</a> </p><p>Try <a href=\"/en/plan\">the planner</a>.</p>\
                    <form action=\"/en/certifications/\" method=\"get\"><select name=\"v\"></select></form></body></html>";
        let page = page(&cx(None), "/en/", "en", html).unwrap();
        assert!(
            page.html.contains("<li><a href=\"/en/answers/\">Answers</a></li></ul><p>Try the planner.</p>"),
            "{}",
            page.html
        );
        assert!(!page.html.contains("advisor") && !page.html.contains("<form"), "{}", page.html);
        assert!(page.html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self';"
        ));
        let live = super::page(&cx(Some("https://live.example.ch")), "/en/", "en", html).unwrap();
        assert!(live.html.contains("href=\"https://live.example.ch/en/advisor\""), "{}", live.html);
        assert!(live.html.contains("action=\"https://live.example.ch/en/certifications/\""), "{}", live.html);
    }
}
