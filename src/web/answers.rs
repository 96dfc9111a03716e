//! Answer pages: the list, the page itself, and its Markdown twin.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::json;

use super::error::PageError;
use super::extract::{self, PagePath, PageQuery};
use super::filters::localized_html;
use super::layout::{Crumb, Layout, Pager, numbered};
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::paging::HTML_PAGE_SIZE;
use crate::domain::{Answer, RelatedInfo, Slug};
use crate::i18n::Lang;
use crate::snapshot::Snapshot;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{locale}/answers/", get(list))
        .route("/{locale}/answers", get(list_redirect))
        .route("/{locale}/answers/{slug}", get(page_or_markdown))
}

/// A link to an answer in a list.
#[derive(Debug)]
pub struct AnswerLink {
    pub url: String,
    pub question: String,
    pub short_answer: String,
    pub published: String,
}

impl AnswerLink {
    pub fn of(a: &Answer) -> Self {
        Self {
            url: answer_path(a),
            question: a.question.clone(),
            short_answer: a.short_answer.clone(),
            published: Lang::of(&a.locale).date(a.published_on),
        }
    }
}

pub fn answer_path(a: &Answer) -> String {
    format!("/{}/answers/{}", a.locale, a.slug)
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    page: Option<String>,
    topic: Option<String>,
}

#[derive(Template)]
#[template(path = "answers.html")]
struct ListPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    items: Vec<AnswerLink>,
    topic: Option<(String, String)>,
    pager: Pager,
}

async fn list_redirect(
    State(state): State<AppState>,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    super::localized(&state, &locale)?;
    Ok(axum::response::Redirect::permanent(&format!("/{locale}/answers/")).into_response())
}

async fn list(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let topic = extract::topic(&snapshot, q.topic.as_deref())?;
    let all: Vec<&Answer> = match &topic {
        Some(t) => snapshot.answers_with_topic(&locale, t).collect(),
        None => snapshot.answers(&locale).collect(),
    };
    let paged = extract::page(q.page.as_deref(), all.len(), HTML_PAGE_SIZE)?;
    let number = paged.number;
    let items: Vec<AnswerLink> = paged.slice(&all).iter().map(|a| AnswerLink::of(a)).collect();
    let base = format!("/{locale}/answers/");
    let with = |n: usize| {
        let mut params = Vec::new();
        if let Some(t) = &topic {
            params.push(format!("topic={t}"));
        }
        if n > 1 {
            params.push(format!("page={n}"));
        }
        if params.is_empty() { base.clone() } else { format!("{base}?{}", params.join("&")) }
    };
    let ui = Lang::of(&locale).ui();
    let locales = snapshot.catalog.locales(&locale);
    let topic_record = topic.as_ref().map(|t| snapshot.catalog.topic(t));
    let mut title = ui.answers.to_owned();
    if let Some(t) = &topic_record {
        title = format!("{title}: {}", t.title_in(locales));
    }
    let title = numbered(&title, number, ui.page);
    let crumbs = vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(ui.answers, base.clone())];
    let page = Layout::new(&snapshot, &locale, &title, &with(number), &visitor)
        .with_breadcrumbs(&crumbs)
        .with_item_list(paged.items.start + 1, items.iter().map(|i| (i.url.clone(), i.question.clone())));
    super::html(&ListPage {
        page,
        crumbs,
        items,
        topic: topic_record.as_ref().map(|t| (t.slug.to_string(), localized_html(t.title_in(locales)))),
        pager: Pager::new(&paged, with),
    })
}

/// The related information as a table: a column per certification, a row per aspect;
/// cells are HTML made here (escaped, codes kept whole).
#[derive(Debug, Default)]
pub(crate) struct CompareView {
    pub columns: Vec<Link>,
    pub rows: Vec<(&'static str, Vec<String>)>,
    /// The comparison page of the same certifications, when there are 2–4.
    pub side_by_side: Option<String>,
}

impl CompareView {
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }
}

#[derive(Debug)]
pub(crate) struct Link {
    pub url: String,
    pub text: String,
}

#[derive(Debug)]
struct Person {
    url: String,
    name: String,
    credentials: String,
}

#[derive(Template)]
#[template(path = "answer.html")]
struct AnswerPage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    answer: &'a Answer,
    body_html: &'a str,
    published: String,
    reviewed: String,
    notices: Vec<super::notices::Notice>,
    compare: CompareView,
    insight: Option<(&'a str, Person)>,
    author: Person,
    topics: Vec<Link>,
    related: Vec<AnswerLink>,
}

fn person(snapshot: &Snapshot, locale: &str, slug: &Slug) -> Person {
    let e = snapshot.catalog.experts.get(slug);
    Person {
        url: format!("/{locale}/experts/{slug}"),
        name: e.map_or_else(|| slug.to_string(), |e| e.name.clone()),
        credentials: e.map(|e| e.credentials.join(" • ")).unwrap_or_default(),
    }
}

async fn page_or_markdown(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, slug)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let (slug, markdown) = match slug.strip_suffix(".md") {
        Some(s) => (s, true),
        None => (slug.as_str(), false),
    };
    let found = Slug::parse(slug).ok().and_then(|s| snapshot.answer(&locale, &s));
    let Some((answer, rendered)) = found else {
        return Err(PageError::NotFound);
    };
    let today = state.clock.today();
    if markdown {
        let text = markdown_twin(&snapshot, answer, today);
        return Ok(([(header::CONTENT_TYPE, "text/markdown; charset=utf-8")], text).into_response());
    }
    let html = render_answer(&snapshot, answer, rendered, today, &visitor).map_err(PageError::internal)?;
    Ok(Html(html).into_response())
}

/// Renders an answer page; public for the benchmark of the render path.
pub fn render_answer(
    snapshot: &Snapshot,
    answer: &Answer,
    rendered: &crate::snapshot::RenderedAnswer,
    today: chrono::NaiveDate,
    visitor: &Visitor,
) -> Result<String, askama::Error> {
    let catalog = &snapshot.catalog;
    let locale = answer.locale.as_str();
    let lang = Lang::of(locale);
    let ui = lang.ui();
    let related = RelatedInfo::derive(answer, catalog, today);
    let notices = super::notices::of_answer(answer, catalog, &snapshot.fact_changes, today);
    let path = answer_path(answer);
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.answers, format!("/{locale}/answers/")),
        Crumb::new(answer.question.clone(), path.clone()),
    ];
    let author = person(snapshot, locale, &answer.author);
    let canonical = format!("{}{}", catalog.site.base_url, path);
    let author_ld = json!({
        "@type": "Person",
        "name": author.name,
        "url": format!("{}{}", catalog.site.base_url, author.url),
        "hasCredential": catalog.experts.get(&answer.author).map(|e| e.credentials.iter().map(|c| json!({"@type": "EducationalOccupationalCredential", "name": c})).collect::<Vec<_>>()).unwrap_or_default(),
    });
    let mut page = Layout::new(snapshot, locale, &answer.question, &path, visitor)
        .describe(&answer.short_answer)
        .with_breadcrumbs(&crumbs)
        .with_json_ld(&json!({
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "url": canonical,
            "inLanguage": locale,
            "datePublished": answer.published_on.to_string(),
            "dateModified": answer.reviewed_on.to_string(),
            "author": author_ld,
            "mainEntity": [{
                "@type": "Question",
                "name": answer.question,
                "acceptedAnswer": {"@type": "Answer", "text": answer.short_answer},
            }],
        }))
        .with_json_ld(&json!({"@context": "https://schema.org", "@type": "Person", "name": author.name, "url": author_ld["url"], "hasCredential": author_ld["hasCredential"]}));
    page.og_type = "article";
    let insight = answer.insight.as_ref().and_then(|i| {
        rendered.insight_html.as_deref().map(|html| (html, person(snapshot, locale, &i.expert)))
    });
    page.markdown_twin = Some(format!("{path}.md"));
    AnswerPage {
        page,
        crumbs,
        answer,
        body_html: &rendered.body_html,
        published: lang.date(answer.published_on),
        reviewed: lang.date(answer.reviewed_on),
        notices,
        compare: compare_view(&related, catalog, locale, today),
        insight,
        author,
        topics: answer
            .topics
            .iter()
            .map(|t| Link {
                url: format!("/{locale}/topics/{t}"),
                text: localized_html(catalog.topic(t).title_in(catalog.locales(locale))),
            })
            .collect(),
        related: snapshot.related_answers(answer, 3).into_iter().map(AnswerLink::of).collect(),
    }
    .render()
}

/// The related table of an answer as HTML cells: courses and successors linked,
/// lifecycle as a badge, lists as lists.
pub(crate) fn compare_view(
    related: &RelatedInfo,
    catalog: &crate::domain::Catalog,
    locale: &str,
    today: chrono::NaiveDate,
) -> CompareView {
    use std::fmt::Write as _;

    use super::filters::marked;
    use crate::domain::Localized;
    use crate::domain::related::Fact;
    let lang = Lang::of(locale);
    let money = catalog.site.money_tag(locale);
    let locales = catalog.locales(locale);
    let table = related.table();
    let list = |items: Vec<String>| match items.len() {
        0 => crate::i18n::EMPTY_CELL.to_owned(),
        1 => items.into_iter().next().unwrap_or_default(),
        _ => {
            let mut html = String::from("<ul>");
            for item in &items {
                let _ = write!(html, "<li>{item}</li>");
            }
            html.push_str("</ul>");
            html
        }
    };
    let cell = |code: &crate::domain::Code, fact: &Fact| -> String {
        match fact {
            Fact::Course { .. } => match catalog.primary_course(code) {
                Some(course) => {
                    // The course, then one click to its form: a question, or a place in
                    // the next session.
                    let card = super::courses::course_card(locales, course, today);
                    let mut html =
                        format!(r#"<a href="{}">{}</a>"#, card.url, marked(&lang.cell_fact(fact, &money)));
                    let _ = write!(
                        html,
                        r#"<span class="cta"><a href="{}">{}</a>"#,
                        card.ask_url,
                        lang.ui().ask_about_course
                    );
                    if let Some((date, _, url)) = &card.next {
                        let _ = write!(html, r#"<a href="{url}">{}: {date}</a>"#, lang.ui().request_place);
                    }
                    html.push_str("</span>");
                    html
                }
                None => marked(&lang.cell_fact(fact, &money)),
            },
            Fact::Technologies(names) => list(names.iter().map(|n| marked(n)).collect()),
            // The scope in the page's language (`RelatedInfo::derive`), or in the
            // default locale's, marked as such.
            Fact::Scope(_) => {
                let text = lang.cell_fact(fact, &money);
                let lang = catalog.certification(code).and_then(|c| c.scope_in(locales).lang);
                localized_html(Localized { text: &text, lang })
            }
            Fact::Lifecycle(l) => {
                let status = l.status();
                let mut html = format!(r#"<span class="badge {status}">{status}</span>"#);
                if let Some(on) = l.retirement_date() {
                    let _ = write!(html, " {}", lang.date(on));
                }
                if let Some(successor) = l.successor() {
                    let name = marked(successor.as_str());
                    let link = match catalog.certification(successor) {
                        Some(_) => format!(
                            r#"<a href="/{locale}/certifications/{}">{name}</a>"#,
                            successor.to_lowercase()
                        ),
                        None => name,
                    };
                    let _ = write!(html, "<br>{}: {link}", lang.ui().successor);
                }
                html
            }
            _ => marked(&lang.cell_fact(fact, &money)),
        }
    };
    CompareView {
        side_by_side: related.compare.as_ref().map(|segment| format!("/{locale}/compare/{segment}")),
        columns: table
            .columns
            .iter()
            .map(|code| Link {
                url: format!("/{locale}/certifications/{}", code.to_lowercase()),
                text: code.to_string(),
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .map(|(kind, cells)| {
                let cells = cells
                    .iter()
                    .zip(&table.columns)
                    .map(|(facts, code)| list(facts.iter().map(|f| cell(code, f)).collect()))
                    .collect();
                (lang.aspect(*kind), cells)
            })
            .collect(),
    }
}

/// The answer as Markdown, for assistants and readers who want the text: the same
/// parts as the page, with the derived lines.
pub fn markdown_twin(snapshot: &Snapshot, answer: &Answer, today: chrono::NaiveDate) -> String {
    use std::fmt::Write as _;
    let catalog = &snapshot.catalog;
    let ui = Lang::of(&answer.locale).ui();
    let mut out = String::with_capacity(answer.body.len() + 1024);
    let _ = writeln!(out, "# {}\n", answer.question);
    let _ = writeln!(out, "{}\n", answer.short_answer);
    for notice in super::notices::of_answer(answer, catalog, &snapshot.fact_changes, today) {
        let successor =
            notice.successor.map(|(name, _)| format!(" {} {name}.", ui.successor_is)).unwrap_or_default();
        let _ = writeln!(out, "> **{}:** {}{successor}\n", notice.heading, notice.text);
    }
    let _ = writeln!(out, "{}\n", answer.body.trim());
    let related = RelatedInfo::derive(answer, catalog, today);
    let money = catalog.site.money_tag(&answer.locale);
    let table = Lang::of(&answer.locale).related_table(&related.table(), &money);
    if !table.columns.is_empty() {
        let _ = writeln!(out, "## {}\n", ui.related_information);
        let cell = |text: &str| text.replace('|', "\\|").replace('\n', " ");
        let heads: Vec<String> = table.columns.iter().map(|c| cell(c.as_str())).collect();
        let _ = writeln!(out, "| {} | {} |", ui.aspect, heads.join(" | "));
        let _ = writeln!(out, "|---|{}", "---|".repeat(heads.len()));
        for row in &table.rows {
            let cells: Vec<String> = row.cells.iter().map(|c| cell(c)).collect();
            let _ = writeln!(out, "| {} | {} |", row.label, cells.join(" | "));
        }
        out.push('\n');
        if let Some(segment) = &related.compare {
            let url = format!("{}/{}/compare/{segment}", catalog.site.base_url, answer.locale);
            let _ = writeln!(out, "[{}]({url})\n", ui.decide.compare_side_by_side);
        }
    }
    if let Some(insight) = &answer.insight {
        let p = person(snapshot, &answer.locale, &insight.expert);
        let _ = writeln!(
            out,
            "## {}\n\n{}\n\n— {}{}\n",
            ui.expert_insight,
            insight.text.trim(),
            p.name,
            if p.credentials.is_empty() { String::new() } else { format!(", {}", p.credentials) }
        );
    }
    let author = person(snapshot, &answer.locale, &answer.author);
    let _ = writeln!(
        out,
        "{} {} ({}). {} {}. {} {}.\n",
        ui.by,
        author.name,
        author.credentials,
        ui.published,
        answer.published_on,
        ui.last_reviewed,
        answer.reviewed_on
    );
    if !answer.topics.is_empty() {
        let topics: Vec<String> = answer.topics.iter().map(|t| catalog.topic(t).title).collect();
        let _ = writeln!(out, "{}: {}", ui.topics, topics.join(", "));
    }
    let _ = writeln!(out, "\nSource: {}{}", catalog.site.base_url, answer_path(answer));
    out
}
