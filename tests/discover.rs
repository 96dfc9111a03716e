//! Discoverability: the sitemap (and its split into an index), the Atom feeds,
//! robots.txt, llms.txt, `hreflang` alternates with the language switcher, Open Graph
//! locales and JSON-LD, parsed as the machines that read them would.

mod common;

use std::fs;
use std::path::Path;

use certwise::web::App;
use common::{get, sample, sample_content};
use roxmltree::{Document, Node};
use tempfile::TempDir;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const BASE: &str = "https://www.example.ch";
const REFERENCE: &str = "/en/answers/md-102-vs-ms-102-difference";
const GERMAN: &str = "/de/answers/md-102-oder-ms-102";

/// A copy of the sample content without its German and French files (answers and plain
/// pages), its site.toml's `locales` line replaced by `locales`.
fn english_copy(locales: &str) -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    common::copy_dir(&sample_content(), dir.path());
    for locale in ["de", "fr"] {
        let _ = fs::remove_dir_all(dir.path().join("answers").join(locale));
        let _ = fs::remove_dir_all(dir.path().join("pages").join(locale));
    }
    let site = fs::read_to_string(dir.path().join("site.toml")).expect("site.toml");
    let line = site.lines().find(|l| l.starts_with("locales")).expect("locales line").to_owned();
    fs::write(dir.path().join("site.toml"), site.replace(&line, locales)).expect("write site.toml");
    dir
}

/// The sample content in three locales, with one German translation of the reference
/// answer and a German `about` page (English has `imprint` alone).
fn three_locales() -> TempDir {
    let dir = english_copy("locales = [\"en\", \"de\", \"fr\"]");
    fs::create_dir_all(dir.path().join("answers/de")).expect("mkdir");
    fs::write(
        dir.path().join("answers/de/md-102-oder-ms-102.md"),
        "+++\nquestion = \"Was ist der Unterschied zwischen MD-102 und MS-102?\"\n\
         short_answer = \"MD-102 betrifft die Geräte, MS-102 den ganzen Microsoft-365-Mandanten.\"\n\
         certifications = [\"MD-102\", \"MS-102\"]\ntopics = [\"md-102\", \"ms-102\"]\n\
         author = \"andrea-keller\"\npublished_on = 2026-03-09\nreviewed_on = 2026-10-20\n\
         translation_key = \"md-102-vs-ms-102\"\n+++\nMD-102 prüft die Verwaltung von Geräten & Apps.\n",
    )
    .expect("write the German answer");
    fs::create_dir_all(dir.path().join("pages/de")).expect("mkdir");
    fs::write(dir.path().join("pages/de/about.md"), "+++\ntitle = \"Über uns\"\n+++\nWir schulen.\n")
        .expect("write the German page");
    dir
}

/// The sample content in English alone: `locales = ["en"]`, the other locales' files and
/// the `[translations.<locale>]` tables of the catalog's files gone.
fn one_locale() -> TempDir {
    let dir = english_copy("locales = [\"en\"]");
    drop_translations(dir.path());
    dir
}

/// Removes every `[translations.<locale>]` table from the `.toml` files under `dir`.
fn drop_translations(dir: &Path) {
    for entry in fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            drop_translations(&path);
            continue;
        }
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = fs::read_to_string(&path).expect("a catalog file");
        let mut kept = String::with_capacity(text.len());
        let mut in_translation = false;
        for line in text.lines() {
            if line.starts_with('[') {
                in_translation = line.starts_with("[translations.");
            }
            if !in_translation {
                kept.push_str(line);
                kept.push('\n');
            }
        }
        fs::write(&path, kept).expect("write a catalog file");
    }
}

async fn three_locale_app(dir: &TempDir) -> App {
    common::app(dir.path(), "2026-11-26").await
}

fn parse(xml: &str) -> Document<'_> {
    Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}):\n{xml}"))
}

fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| c.has_tag_name((ns, name)))
}

fn text_of(node: Node<'_, '_>, ns: &str, name: &str) -> String {
    child(node, ns, name)
        .and_then(|c| c.text())
        .unwrap_or_else(|| panic!("no <{name}> in <{}>", node.tag_name().name()))
        .to_owned()
}

/// Whether `s` is a W3C date (`YYYY-MM-DD`) or a full W3C datetime in UTC.
fn is_w3c_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

/// A URL of the site as the path the in-process app answers.
fn path_of(url: &str) -> &str {
    url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not on {BASE}"))
}

/// The sample content's `site.toml`, parsed.
fn sample_site() -> toml::Table {
    fs::read_to_string(sample_content().join("site.toml"))
        .expect("site.toml")
        .parse()
        .expect("site.toml parses")
}

/// The sample's locales, in the order of its `site.toml`.
fn sample_locales() -> Vec<String> {
    sample_site()["locales"]
        .as_array()
        .expect("locales")
        .iter()
        .map(|l| l.as_str().expect("a locale").to_owned())
        .collect()
}

/// A sample answer as its file says: locale, path and `translation_key`.
#[derive(Debug)]
struct SampleAnswer {
    locale: String,
    path: String,
    key: Option<String>,
}

/// The sample's answers in `locale`, read from `content/answers/<locale>/*.md`, by path.
fn sample_answers(locale: &str) -> Vec<SampleAnswer> {
    let Ok(entries) = fs::read_dir(sample_content().join("answers").join(locale)) else {
        return Vec::new();
    };
    let mut answers: Vec<SampleAnswer> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let text = fs::read_to_string(&p).expect("an answer");
            let front = text
                .strip_prefix("+++\n")
                .and_then(|t| t.split_once("\n+++"))
                .unwrap_or_else(|| panic!("{}: no front matter", p.display()))
                .0;
            let front: toml::Table = front.parse().expect("front matter parses");
            let slug = p.file_stem().and_then(|s| s.to_str()).expect("a slug");
            SampleAnswer {
                locale: locale.to_owned(),
                path: format!("/{locale}/answers/{slug}"),
                key: front.get("translation_key").and_then(|k| k.as_str()).map(str::to_owned),
            }
        })
        .collect();
    answers.sort_by(|a, b| a.path.cmp(&b.path));
    answers
}

/// Whether a path is an answer's page (not the list).
fn is_answer_path(path: &str) -> bool {
    path.split('/').nth(2) == Some("answers") && !path.ends_with('/')
}

/// The sitemap alternates the rule gives the sample's page at `path`, derived from the
/// content files: an answer's versions are the answers with its `translation_key`, a
/// plain page's the locales with its file, every other page's every locale; a page with
/// another version lists them all, itself included, and `x-default` for the default
/// locale's; a page without one lists none.
fn expected_alternates(path: &str, answers: &[SampleAnswer]) -> Vec<(String, String)> {
    let locales = sample_locales();
    let site = sample_site();
    let default = site["default_locale"].as_str().expect("default_locale");
    let (locale, rest) = path[1..].split_once('/').unwrap_or_else(|| panic!("{path} has no locale"));
    let page_file = |l: &str| sample_content().join("pages").join(l).join(format!("{rest}.md"));
    let versions: Vec<(String, String)> = if is_answer_path(path) {
        let answer = answers.iter().find(|a| a.path == path).unwrap_or_else(|| panic!("{path}: no file"));
        locales
            .iter()
            .filter_map(|l| {
                answers
                    .iter()
                    .find(|a| {
                        a.locale == *l && (a.path == answer.path || (a.key.is_some() && a.key == answer.key))
                    })
                    .map(|a| (l.clone(), a.path.clone()))
            })
            .collect()
    } else if page_file(locale).is_file() {
        locales
            .iter()
            .filter(|l| page_file(l).is_file())
            .map(|l| (l.clone(), format!("/{l}/{rest}")))
            .collect()
    } else {
        locales.iter().map(|l| (l.clone(), format!("/{l}/{rest}"))).collect()
    };
    if versions.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<(String, String)> =
        versions.iter().map(|(l, p)| (l.clone(), format!("{BASE}{p}"))).collect();
    if let Some((_, url)) = out.iter().find(|(l, _)| l == default) {
        out.push(("x-default".to_owned(), url.clone()));
    }
    out
}

/// Asserts that every path answers 200.
async fn all_answer_200(app: &App, paths: &[String]) {
    assert!(!paths.is_empty());
    for path in paths {
        assert_eq!(get(app, path).await.status, 200, "{path}");
    }
}

/// A sitemap `<url>`: loc, lastmod, and `(hreflang, href)` alternates.
type Url = (String, String, Vec<(String, String)>);

/// The `<url>` entries of a urlset.
fn urls(doc: &Document<'_>) -> Vec<Url> {
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "urlset")), "the root is <urlset> in the sitemaps.org namespace");
    root.children()
        .filter(Node::is_element)
        .map(|url| {
            assert!(url.has_tag_name((SITEMAP_NS, "url")));
            let alternates = url
                .children()
                .filter(|c| c.has_tag_name((XHTML_NS, "link")))
                .map(|l| {
                    assert_eq!(l.attribute("rel"), Some("alternate"));
                    (
                        l.attribute("hreflang").expect("hreflang").to_owned(),
                        l.attribute("href").expect("href").to_owned(),
                    )
                })
                .collect();
            (text_of(url, SITEMAP_NS, "loc"), text_of(url, SITEMAP_NS, "lastmod"), alternates)
        })
        .collect()
}

#[tokio::test]
async fn the_sitemap_lists_every_page_with_a_date_and_each_answers() {
    let app = sample().await;
    let r = get(&app, "/sitemap.xml").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/xml; charset=utf-8");
    let doc = parse(&r.body);
    let urls = urls(&doc);
    let locs: Vec<String> = urls.iter().map(|(loc, _, _)| path_of(loc).to_owned()).collect();
    for expected in [
        "/en/",
        "/en/answers/",
        "/en/certifications/",
        "/en/courses/",
        "/en/topics/",
        "/en/advisor",
        "/en/plan",
        "/en/search",
        REFERENCE,
        "/en/certifications/md-102",
        "/en/courses/md-102-endpoint-administrator",
        "/en/topics/md-102",
        "/en/experts/andrea-keller",
        "/en/imprint",
    ] {
        assert!(locs.iter().any(|l| l == expected), "the sitemap lacks {expected}");
    }
    assert!(!locs.iter().any(|l| l.contains("/compare/")), "no comparison pages");
    assert!(!locs.iter().any(|l| l.contains('?')), "no queries");
    // Every answer of every locale, and nothing else under an answer's address.
    let answers: Vec<SampleAnswer> = sample_locales().iter().flat_map(|l| sample_answers(l)).collect();
    let mut listed: Vec<&str> = locs.iter().map(String::as_str).filter(|l| is_answer_path(l)).collect();
    listed.sort_unstable();
    let mut files: Vec<&str> = answers.iter().map(|a| a.path.as_str()).collect();
    files.sort_unstable();
    assert_eq!(listed, files, "the sitemap lists every answer file once");
    let translated = answers
        .iter()
        .filter(|a| answers.iter().any(|b| b.locale != a.locale && b.key.is_some() && b.key == a.key))
        .count();
    assert!(
        0 < translated && translated < answers.len(),
        "the sample has answers with and without translations"
    );
    for (loc, lastmod, alternates) in &urls {
        assert!(is_w3c_date(lastmod), "{loc}: lastmod {lastmod}");
        let path = path_of(loc);
        assert_eq!(alternates, &expected_alternates(path, &answers), "{loc}: its versions");
        if alternates.is_empty() {
            continue;
        }
        let locale = path.split('/').nth(1).expect("locale");
        assert!(alternates.contains(&(locale.to_owned(), loc.clone())), "{loc} lists itself");
        assert_eq!(alternates.iter().filter(|(l, _)| l == "x-default").count(), 1, "{loc}: one x-default");
        for (_, href) in alternates.iter().filter(|(l, _)| l != "x-default") {
            let other = urls
                .iter()
                .find(|(l, _, _)| l == href)
                .unwrap_or_else(|| panic!("{loc}: its version {href} is not in the sitemap"));
            assert_eq!(&other.2, alternates, "{href} lists the same set as {loc}");
        }
    }
    let (_, lastmod, _) =
        urls.iter().find(|(l, _, _)| path_of(l) == REFERENCE).expect("the reference answer");
    assert_eq!(lastmod, "2026-10-15", "an answer's lastmod is its review date");
    all_answer_200(&app, &locs).await;
}

#[tokio::test]
async fn the_machine_files_are_cached_once_for_every_visitor() {
    let state = common::state(&sample_content(), "2026-11-26").await;
    let app = certwise::web::router(state.clone());
    for path in ["/sitemap.xml", "/robots.txt", "/llms.txt", "/en/feed.xml"] {
        let before = state.pages.len();
        let first = get(&app, path).await;
        assert_eq!(state.pages.len(), before + 1, "{path} is stored");
        // Another visitor (Global Privacy Control: another page variant) gets the stored file.
        let req = axum::http::Request::get(path)
            .header("sec-gpc", "1")
            .body(axum::body::Body::empty())
            .expect("request");
        let again = common::request(&app, req).await;
        assert_eq!(state.pages.len(), before + 1, "{path} is one entry for every visitor");
        assert_eq!(
            (again.header("content-type"), again.body.as_str()),
            (first.header("content-type"), first.body.as_str())
        );
    }
}

#[tokio::test]
async fn past_the_limit_the_sitemap_is_an_index_of_parts() {
    let dir = three_locales();
    let app = three_locale_app(&dir).await;
    let state = common::state(dir.path(), "2026-11-26").await;
    let snapshot = state.published.current();
    let whole = certwise::web::sitemap(&snapshot, None, certwise::web::SITEMAP_LIMIT).expect("the sitemap");
    let all = urls(&parse(&whole));
    assert!(all.len() > 20, "enough URLs to split: {}", all.len());
    assert!(certwise::web::sitemap(&snapshot, Some(1), certwise::web::SITEMAP_LIMIT).is_none(), "no parts");

    let limit = 20;
    let index = certwise::web::sitemap(&snapshot, None, limit).expect("the index");
    let doc = parse(&index);
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP_NS, "sitemapindex")));
    let parts: Vec<(String, String)> = root
        .children()
        .filter(Node::is_element)
        .map(|s| {
            assert!(s.has_tag_name((SITEMAP_NS, "sitemap")));
            (text_of(s, SITEMAP_NS, "loc"), text_of(s, SITEMAP_NS, "lastmod"))
        })
        .collect();
    assert_eq!(parts.len(), all.len().div_ceil(limit));
    let mut together = Vec::new();
    for (n, (loc, lastmod)) in parts.iter().enumerate() {
        assert_eq!(path_of(loc), format!("/sitemaps/{}.xml", n + 1));
        assert!(is_w3c_date(lastmod));
        let part = certwise::web::sitemap(&snapshot, Some(n + 1), limit).expect("the part");
        let part = urls(&parse(&part));
        assert!(!part.is_empty() && part.len() <= limit);
        together.extend(part);
    }
    assert_eq!(together, all, "the parts hold every URL once, in order");
    assert!(certwise::web::sitemap(&snapshot, Some(parts.len() + 1), limit).is_none());
    assert!(certwise::web::sitemap(&snapshot, Some(0), limit).is_none());
    // Over HTTP the limit is 30,000: one file, and no parts.
    assert_eq!(get(&app, "/sitemap.xml").await.body, whole);
    for missing in ["/sitemaps/1.xml", "/sitemaps/0.xml", "/sitemaps/x.xml", "/sitemaps/1"] {
        assert_eq!(get(&app, missing).await.status, 404, "{missing}");
    }
}

#[tokio::test]
async fn sitemap_alternates_follow_the_translations() {
    let dir = three_locales();
    let app = three_locale_app(&dir).await;
    let r = get(&app, "/sitemap.xml").await;
    let all = urls(&parse(&r.body));
    let of = |path: &str| {
        all.iter()
            .find(|(loc, _, _)| path_of(loc) == path)
            .unwrap_or_else(|| panic!("{path} is not in the sitemap"))
            .2
            .clone()
    };
    let pair = vec![
        ("en".to_owned(), format!("{BASE}{REFERENCE}")),
        ("de".to_owned(), format!("{BASE}{GERMAN}")),
        ("x-default".to_owned(), format!("{BASE}{REFERENCE}")),
    ];
    assert_eq!(of(REFERENCE), pair);
    assert_eq!(of(GERMAN), pair, "both versions list the same set");
    assert!(of("/en/answers/az-104-vs-az-305").is_empty(), "an untranslated answer has no alternates");
    let lists = of("/fr/certifications/");
    assert_eq!(lists.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(), ["en", "de", "fr", "x-default"]);
    assert_eq!(of("/en/about").len(), 3, "about exists in en and de");
    assert!(of("/en/imprint").is_empty(), "imprint exists in en only");
    let locs: Vec<String> = all.iter().map(|(loc, _, _)| path_of(loc).to_owned()).collect();
    all_answer_200(&app, &locs).await;
}

#[tokio::test]
async fn the_feed_is_atom_with_the_newest_answers_first() {
    let app = sample().await;
    let r = get(&app, "/en/feed.xml").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/atom+xml; charset=utf-8");
    let doc = parse(&r.body);
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM_NS, "feed")));
    assert_eq!(text_of(feed, ATOM_NS, "id"), format!("{BASE}/en/feed.xml"));
    assert_eq!(text_of(feed, ATOM_NS, "title"), "Example Academy: Answers");
    assert!(chrono::DateTime::parse_from_rfc3339(&text_of(feed, ATOM_NS, "updated")).is_ok());
    let links: Vec<(Option<&str>, Option<&str>)> = feed
        .children()
        .filter(|c| c.has_tag_name((ATOM_NS, "link")))
        .map(|l| (l.attribute("rel"), l.attribute("href")))
        .collect();
    assert!(links.contains(&(Some("self"), Some("https://www.example.ch/en/feed.xml"))));
    assert!(links.contains(&(Some("alternate"), Some("https://www.example.ch/en/answers/"))));
    assert!(child(feed, ATOM_NS, "author").and_then(|a| child(a, ATOM_NS, "name")).is_some());
    let entries: Vec<Node<'_, '_>> = feed.children().filter(|c| c.has_tag_name((ATOM_NS, "entry"))).collect();
    assert!(!entries.is_empty() && entries.len() <= 50);
    let mut published = Vec::new();
    for e in &entries {
        let id = text_of(*e, ATOM_NS, "id");
        assert!(!text_of(*e, ATOM_NS, "title").is_empty());
        assert!(chrono::DateTime::parse_from_rfc3339(&text_of(*e, ATOM_NS, "updated")).is_ok());
        published.push(
            chrono::DateTime::parse_from_rfc3339(&text_of(*e, ATOM_NS, "published")).expect("published"),
        );
        let link = child(*e, ATOM_NS, "link").expect("link");
        assert_eq!(link.attribute("href"), Some(id.as_str()));
        assert!(!text_of(*e, ATOM_NS, "summary").is_empty());
        assert!(child(*e, ATOM_NS, "author").and_then(|a| child(a, ATOM_NS, "name")).is_some());
        assert_eq!(get(&app, path_of(&id)).await.status, 200, "{id}");
    }
    assert!(published.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let reference = entries
        .iter()
        .find(|e| text_of(**e, ATOM_NS, "id").ends_with(REFERENCE))
        .expect("the reference answer is in the feed");
    assert_eq!(text_of(*reference, ATOM_NS, "updated"), "2026-10-15T00:00:00Z", "updated is the review date");
    assert!(r.body.contains("<title>What is the difference between MD-102 and MS-102?</title>"));

    assert_eq!(get(&app, "/xx/feed.xml").await.status, 404, "an unknown locale has no feed");
    assert!(get(&app, REFERENCE).await.body.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Example Academy: Answers\" href=\"/en/feed.xml\">"
    ));
}

#[tokio::test]
async fn the_feed_keeps_the_newest_fifty() {
    let dir = TempDir::new().expect("temp dir");
    common::copy_dir(&sample_content(), dir.path());
    let reference = fs::read_to_string(sample_content().join("answers/en/md-102-vs-ms-102-difference.md"))
        .expect("the reference answer");
    for i in 0..60 {
        let text = reference
            .replace("translation_key = \"md-102-vs-ms-102\"\n", "")
            .replace(
                "published_on = 2026-03-02",
                &format!("published_on = 2025-{:02}-{:02}", i / 28 + 1, i % 28 + 1),
            )
            .replace("What is the difference", &format!("Copy {i}: what is the difference"));
        fs::write(dir.path().join(format!("answers/en/copy-{i}.md")), text).expect("write a copy");
    }
    let app = common::app(dir.path(), "2026-11-26").await;
    let body = get(&app, "/en/feed.xml").await.body;
    let doc = parse(&body);
    let entries = doc.root_element().children().filter(|c| c.has_tag_name((ATOM_NS, "entry"))).count();
    assert_eq!(entries, 50);
    assert!(!body.contains("Copy 0:"), "the oldest copies are left out");
    // A list's second page numbers its items on from the first page.
    let blocks = json_ld(&get(&app, "/en/answers/?page=2").await.body);
    let list = blocks.iter().find(|b| b["@type"] == "ItemList").expect("ItemList");
    assert_eq!(list["itemListElement"][0]["position"], 21);
}

#[tokio::test]
async fn robots_txt_names_the_sitemap() {
    let app = sample().await;
    let r = get(&app, "/robots.txt").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "text/plain; charset=utf-8");
    assert!(r.body.starts_with("User-agent: *\n"));
    assert!(r.body.lines().any(|l| l == "Sitemap: https://www.example.ch/sitemap.xml"));
    assert!(r.body.lines().any(|l| l == "Allow: /"));
    for line in r.body.lines().filter(|l| !l.is_empty()) {
        let (field, _) = line.split_once(": ").unwrap_or_else(|| panic!("not a robots.txt line: {line}"));
        assert!(["User-agent", "Allow", "Disallow", "Sitemap"].contains(&field), "{line}");
    }
}

/// Whether a link is an answer's Markdown twin.
fn is_twin(link: &str) -> bool {
    link.contains("/answers/") && link.rsplit_once('.').is_some_and(|(_, ext)| ext == "md")
}

/// The link targets of a Markdown text: `](url)`.
fn markdown_links(text: &str) -> Vec<String> {
    text.split("](").skip(1).map(|s| s[..s.find(')').expect("closing parenthesis")].to_owned()).collect()
}

#[tokio::test]
async fn llms_txt_lists_the_markdown_twins_and_each_link_answers() {
    let app = sample().await;
    let r = get(&app, "/llms.txt").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "text/plain; charset=utf-8");
    assert!(r.body.starts_with("# Example Academy\n\n> "));
    assert!(r.body.contains(
        "- [What is the difference between MD-102 and MS-102?](https://www.example.ch/en/answers/md-102-vs-ms-102-difference.md)"
    ));
    assert!(r.body.contains("(https://www.example.ch/api/v1/openapi.json)"));
    let links = markdown_links(&r.body);
    assert!(links.len() <= certwise::web::LLMS_LIMIT);
    let twins: Vec<&String> = links.iter().filter(|l| is_twin(l)).collect();
    let locales = sample_locales();
    let mut every = 0;
    for locale in &locales {
        let expected = twins_of(&sample_answers(locale));
        every += expected.len();
        let mut here: Vec<String> = twins
            .iter()
            .filter(|l| path_of(l).starts_with(&format!("/{locale}/")))
            .map(|l| (*l).clone())
            .collect();
        here.sort();
        assert_eq!(here, expected, "every answer of {locale}, once");
        // The lists of twins beyond llms.txt: one for this catalog, none past it.
        let part = get(&app, &format!("/llms/{locale}-1.txt")).await;
        assert_eq!(part.status, 200);
        let mut listed: Vec<String> = markdown_links(&part.body).into_iter().filter(|l| is_twin(l)).collect();
        listed.sort();
        assert_eq!(listed, expected, "/llms/{locale}-1.txt");
        for missing in
            [format!("/llms/{locale}-2.txt"), format!("/llms/{locale}-0.txt"), format!("/llms/{locale}.txt")]
        {
            assert_eq!(get(&app, &missing).await.status, 404, "{missing}");
        }
    }
    assert_eq!(twins.len(), every, "the twins of the site's locales and no others");
    let paths: Vec<String> = links.iter().map(|l| path_of(l).to_owned()).collect();
    all_answer_200(&app, &paths).await;
    assert_eq!(get(&app, "/llms/xx-1.txt").await.status, 404, "an unknown locale has no list");
}

/// The Markdown twins' URLs of these answers, sorted.
fn twins_of(answers: &[SampleAnswer]) -> Vec<String> {
    let mut twins: Vec<String> = answers.iter().map(|a| format!("{BASE}{}.md", a.path)).collect();
    twins.sort();
    twins
}

#[tokio::test]
async fn past_the_limit_llms_txt_links_lists_of_twins() {
    let state = common::state(&sample_content(), "2026-11-26").await;
    let snapshot = state.published.current();
    let limit = 5;
    let txt = certwise::web::llms_txt(&snapshot, limit);
    let links = markdown_links(&txt);
    assert!(!links.iter().any(|l| is_twin(l)), "no twin inline past the limit");
    let lists: Vec<&str> = links.iter().filter(|l| l.contains("/llms/")).map(String::as_str).collect();
    let locales = sample_locales();
    // Each locale's lists, in the site's order: as many as its answers fill, `limit` to one.
    let expected: Vec<String> = locales
        .iter()
        .flat_map(|l| {
            (1..=sample_answers(l).len().div_ceil(limit)).map(move |n| format!("{BASE}/llms/{l}-{n}.txt"))
        })
        .collect();
    assert!(expected.len() > locales.len(), "a locale needs more than one list");
    assert_eq!(lists, expected);
    let mut every = 0;
    for locale in &locales {
        let answers = sample_answers(locale);
        every += answers.len();
        let parts = answers.len().div_ceil(limit);
        let mut twins = Vec::new();
        for n in 1..=parts {
            let list = certwise::web::llms_list(&snapshot, locale, n, limit).expect("the list");
            let here: Vec<String> = markdown_links(&list).into_iter().filter(|l| is_twin(l)).collect();
            assert!(!here.is_empty() && here.len() <= limit, "{locale}-{n}");
            twins.extend(here);
        }
        assert_eq!(twins.len(), answers.len(), "every answer of {locale} once");
        twins.sort();
        twins.dedup();
        assert_eq!(twins, twins_of(&answers), "every answer of {locale} once");
        assert!(certwise::web::llms_list(&snapshot, locale, parts + 1, limit).is_none());
        assert!(certwise::web::llms_list(&snapshot, locale, 0, limit).is_none());
    }
    // At the real limit, the same catalog is inline.
    assert_eq!(
        markdown_links(&certwise::web::llms_txt(&snapshot, certwise::web::LLMS_LIMIT))
            .iter()
            .filter(|l| is_twin(l))
            .count(),
        every
    );
}

/// `(hreflang, href)` of a page's `<link rel="alternate" hreflang>` elements.
fn hreflangs(html: &str) -> Vec<(String, String)> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|s| {
            let (lang, rest) = s.split_once("\" href=\"").expect("href");
            (lang.to_owned(), rest[..rest.find('"').expect("quote")].to_owned())
        })
        .collect()
}

/// The language switcher's links: `(locale, href, current)`.
fn switcher(html: &str) -> Vec<(String, String, bool)> {
    let Some(start) = html.find("<nav class=\"languages\"") else {
        return Vec::new();
    };
    let nav = &html[start..start + html[start..].find("</nav>").expect("end of nav")];
    nav.split("<li><a href=\"")
        .skip(1)
        .map(|s| {
            let href = &s[..s.find('"').expect("quote")];
            let lang = s.split("lang=\"").nth(1).expect("lang");
            let lang = &lang[..lang.find('"').expect("quote")];
            (
                lang.to_owned(),
                href.to_owned(),
                s[..s.find('>').expect("tag end")].contains("aria-current=\"true\""),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_translated_answer_announces_its_versions_and_the_switcher_leads_there() {
    let dir = three_locales();
    let app = three_locale_app(&dir).await;
    let html = get(&app, REFERENCE).await.body;
    assert_eq!(
        hreflangs(&html),
        [
            ("en".to_owned(), format!("{BASE}{REFERENCE}")),
            ("de".to_owned(), format!("{BASE}{GERMAN}")),
            ("x-default".to_owned(), format!("{BASE}{REFERENCE}")),
        ]
    );
    assert_eq!(
        switcher(&html),
        [
            ("en".to_owned(), REFERENCE.to_owned(), true),
            ("de".to_owned(), GERMAN.to_owned(), false),
            ("fr".to_owned(), "/fr/answers/".to_owned(), false),
        ]
    );
    assert!(html.contains("hreflang=\"de\">DE<span class=\"visually-hidden\"> Deutsch</span></a>"));
    assert!(html.contains("<meta property=\"og:locale\" content=\"en_CH\">"));
    assert!(html.contains("<meta property=\"og:locale:alternate\" content=\"de_CH\">"));
    assert!(!html.contains("content=\"fr_CH\""), "no French version");

    let german = get(&app, GERMAN).await.body;
    assert_eq!(hreflangs(&german), hreflangs(&html), "the same set from either side");
    assert!(german.contains("<html lang=\"de\">"));
    assert!(german.contains("<meta property=\"og:locale\" content=\"de_CH\">"));
    assert_eq!(switcher(&german)[1], ("de".to_owned(), GERMAN.to_owned(), true));

    // An answer without a translation: no alternates, the switcher leads to the lists.
    let single = get(&app, "/en/answers/az-104-vs-az-305").await.body;
    assert!(hreflangs(&single).is_empty());
    assert!(!single.contains("og:locale:alternate"));
    assert_eq!(
        switcher(&single).into_iter().map(|(_, href, _)| href).collect::<Vec<_>>(),
        ["/en/answers/az-104-vs-az-305", "/de/answers/", "/fr/answers/"]
    );

    // Other page types exist in every locale; a page with a query announces nothing
    // and switches to the page without it.
    let list = get(&app, "/de/certifications/md-102").await.body;
    assert_eq!(hreflangs(&list).len(), 4);
    assert_eq!(hreflangs(&list)[3], ("x-default".to_owned(), format!("{BASE}/en/certifications/md-102")));
    let topic = get(&app, "/en/answers/?topic=md-102").await.body;
    assert!(hreflangs(&topic).is_empty());
    assert_eq!(switcher(&topic)[2].1, "/fr/answers/");
    // A comparison asked in another order announces its canonical page's versions.
    let canonical = hreflangs(&get(&app, "/en/compare/md-102-vs-ms-102").await.body);
    assert_eq!(canonical[1], ("de".to_owned(), format!("{BASE}/de/compare/md-102-vs-ms-102")));
    assert_eq!(hreflangs(&get(&app, "/en/compare/ms-102-vs-md-102").await.body), canonical);
    // Plain pages where the file exists.
    assert_eq!(hreflangs(&get(&app, "/de/about").await.body).len(), 3);
    let imprint = get(&app, "/en/imprint").await.body;
    assert!(hreflangs(&imprint).is_empty());
    assert_eq!(switcher(&imprint)[1].1, "/de/answers/");
    // Error pages are nobody's destination: no alternates.
    let missing = get(&app, "/de/answers/gibt-es-nicht").await;
    assert_eq!(missing.status, 404);
    assert!(hreflangs(&missing.body).is_empty());
    // Every switcher link answers.
    for path in [REFERENCE, GERMAN, "/en/answers/az-104-vs-az-305", "/en/imprint", "/de/about"] {
        let links: Vec<String> =
            switcher(&get(&app, path).await.body).into_iter().map(|(_, href, _)| href).collect();
        all_answer_200(&app, &links).await;
    }
}

#[tokio::test]
async fn one_locale_has_no_switcher_and_no_alternates() {
    let dir = one_locale();
    let app = common::app(dir.path(), "2026-11-26").await;
    let html = get(&app, REFERENCE).await.body;
    assert!(switcher(&html).is_empty());
    assert!(hreflangs(&html).is_empty());
    assert!(html.contains("<meta property=\"og:locale\" content=\"en_CH\">"));
    assert!(!html.contains("og:locale:alternate"));
    // Page types that exist in every locale have no other version either.
    for path in ["/en/", "/en/certifications/md-102"] {
        let html = get(&app, path).await.body;
        assert!(switcher(&html).is_empty() && hreflangs(&html).is_empty(), "{path}");
    }
    let all = urls(&parse(&get(&app, "/sitemap.xml").await.body));
    assert!(!all.is_empty());
    for (loc, _, alternates) in &all {
        assert!(alternates.is_empty(), "{loc}: one locale, no alternates");
    }
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|s| serde_json::from_str(&s[..s.find("</script>").expect("end")]).expect("JSON-LD parses"))
        .collect()
}

/// Whether a JSON value holds an empty string, array, object or a null anywhere.
fn has_empty(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Null => true,
        serde_json::Value::String(s) => s.is_empty(),
        serde_json::Value::Array(a) => a.is_empty() || a.iter().any(has_empty),
        serde_json::Value::Object(o) => o.is_empty() || o.values().any(has_empty),
        _ => false,
    }
}

#[tokio::test]
async fn json_ld_has_the_right_types_per_page_type() {
    let app = sample().await;
    for (path, types) in [
        ("/en/", &["WebSite"][..]),
        (REFERENCE, &["BreadcrumbList", "FAQPage", "Person"][..]),
        ("/en/answers/", &["BreadcrumbList", "ItemList"][..]),
        ("/en/certifications/", &["BreadcrumbList", "ItemList"][..]),
        ("/en/certifications/md-102", &["BreadcrumbList"][..]),
        ("/en/courses/", &["BreadcrumbList", "ItemList"][..]),
        ("/en/courses/md-102-endpoint-administrator", &["BreadcrumbList", "Course"][..]),
        ("/en/topics/", &["BreadcrumbList", "ItemList"][..]),
        ("/en/topics/md-102", &["BreadcrumbList", "ItemList"][..]),
        ("/en/experts/andrea-keller", &["BreadcrumbList", "ItemList", "Person"][..]),
        ("/en/imprint", &["BreadcrumbList"][..]),
    ] {
        let blocks = json_ld(&get(&app, path).await.body);
        let mut found: Vec<&str> = blocks.iter().map(|b| b["@type"].as_str().expect("@type")).collect();
        found.sort_unstable();
        assert_eq!(found, types, "{path}");
        for b in &blocks {
            assert_eq!(b["@context"], "https://schema.org", "{path}");
            assert!(!has_empty(b), "{path}: an empty value in {b}");
            if b["@type"] == "ItemList" {
                let items = b["itemListElement"].as_array().expect("items");
                for (i, item) in items.iter().enumerate() {
                    assert_eq!(item["@type"], "ListItem");
                    assert_eq!(item["position"], i + 1, "{path}");
                    assert!(item["url"].as_str().expect("url").starts_with(BASE));
                    assert!(item["name"].as_str().is_some_and(|n| !n.is_empty()));
                }
            }
        }
    }
    let blocks = json_ld(&get(&app, REFERENCE).await.body);
    let faq = blocks.iter().find(|b| b["@type"] == "FAQPage").expect("FAQPage");
    assert_eq!(faq["mainEntity"][0]["acceptedAnswer"]["@type"], "Answer");
    assert!(faq["mainEntity"][0]["acceptedAnswer"]["text"].as_str().is_some_and(|t| t.starts_with("MD-102")));
    assert_eq!(faq["author"]["@type"], "Person");
    let course = json_ld(&get(&app, "/en/courses/md-102-endpoint-administrator").await.body)
        .into_iter()
        .find(|b| b["@type"] == "Course")
        .expect("Course");
    let offer = &course["offers"][0];
    assert_eq!(offer["@type"], "Offer");
    assert_eq!(offer["priceCurrency"], "CHF");
    assert_eq!(offer["category"], "Paid");
    assert!(offer["price"].as_str().is_some_and(|p| p.parse::<f64>().is_ok()));
    assert_eq!(course["provider"]["@type"], "Organization");
}
