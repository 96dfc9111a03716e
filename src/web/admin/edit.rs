//! Editing in the browser: the records, their forms, drafts → review → published,
//! previews as of any day, revisions with their differences, and restoring one.
//!
//! - **One validation**: a form's values are written into the record's file
//!   (`editorial::form`) and the store's content with that file is checked by
//!   `content::check_files`, as `certwise check` would. A refused form comes back with
//!   every value as typed and each message next to its field; nothing is saved.
//! - **Drafts**: `POST /admin/edit/{path}` with `action` = `save` (a draft), `submit` (in
//!   review), `publish` (publishers: live at once), `preview` (the form's values as of a
//!   day, nothing saved) or `discard`. The form carries the draft's version and the
//!   published revision it started from; a save or publish from an older one is refused
//!   and the editor sees the difference between what is stored now and their text, their
//!   input kept — never a silent overwrite.
//! - **Publishing** writes a new content generation (`editorial::publish`) and makes this
//!   instance serve it before answering (`live::refresh`); other instances follow within
//!   their poll. Publishing, restoring and marking reviewed need `Role::can_publish`;
//!   every change goes to the audit log.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use tower::ServiceExt as _;

use super::{
    AdminError, AdminLayout, Fields, RETRY_AFTER_SECONDS, Staff, page, query_param, read_fields,
    read_record_fields,
};
use crate::content::{Diagnostic, FileKind};
use crate::domain::account::{AuditEvent, Role};
use crate::editorial::form::{self, Part, Shape, Values};
use crate::editorial::{self, Edit, PublishError};
use crate::snapshot::Snapshot;
use crate::store::{Draft, DraftState};
use crate::web::{AppState, Clock};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/content", get(records))
        .route("/admin/drafts", get(drafts))
        .route("/admin/edit/{*path}", get(edit_form).post(edit_post))
        .route("/admin/preview/{*path}", get(preview_saved))
        .route("/admin/history/{*path}", get(history))
        .route("/admin/diff", get(diff))
        .route("/admin/restore", post(restore))
        .route("/admin/stale/reviewed", post(mark_reviewed))
        .route("/admin/markdown", post(markdown))
        .route("/admin/new", get(new_form).post(new_post))
}

/// A record's path from the address, when the editors' area edits that kind of file.
fn editable(path: &str) -> Result<FileKind, AdminError> {
    FileKind::of(path).filter(FileKind::is_editable).ok_or_else(|| {
        AdminError::NotFound(format!("`{path}` is not an answer, course or certification file"))
    })
}

/// The site's locales other than the default: the translations a form shows.
fn other_locales(state: &AppState) -> Vec<String> {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    site.locales.iter().filter(|l| **l != site.default_locale).cloned().collect()
}

/// A record's public page, as readers see it.
fn public_path(state: &AppState, kind: &FileKind, path: &str) -> String {
    let snapshot = state.published.current();
    let locale = &snapshot.catalog.site.default_locale;
    let stem = path.rsplit('/').next().unwrap_or_default().rsplit_once('.').map_or("", |(s, _)| s);
    match kind {
        FileKind::Answer { locale, slug } => format!("/{locale}/answers/{slug}"),
        FileKind::Certification => format!("/{locale}/certifications/{stem}"),
        FileKind::Course => format!("/{locale}/courses/{stem}"),
        _ => format!("/{locale}/"),
    }
}

/// A record's name for people: an answer's question, a certification's code and title, a
/// course's title (from the published catalog; the path when it is not published).
fn title_of(state: &AppState, kind: &FileKind, path: &str) -> String {
    let snapshot = state.published.current();
    let catalog = &snapshot.catalog;
    let stem = path.rsplit('/').next().unwrap_or_default().rsplit_once('.').map_or("", |(s, _)| s);
    let found = match kind {
        FileKind::Answer { locale, slug } => catalog
            .answers
            .iter()
            .find(|a| a.locale == *locale && a.slug.as_str() == slug)
            .map(|a| a.question.clone()),
        FileKind::Certification => catalog
            .certifications
            .values()
            .find(|c| c.code.as_str().eq_ignore_ascii_case(stem))
            .map(|c| format!("{}: {}", c.code, c.title)),
        FileKind::Course => {
            catalog.courses.values().find(|c| c.slug.as_str() == stem).map(|c| c.title.clone())
        }
        _ => None,
    };
    found.unwrap_or_else(|| path.to_owned())
}

/// The published records' names by file path, for one kind of record: one pass over the
/// catalog, so a list of thousands looks each up at once.
fn titles_of_kind(
    catalog: &crate::domain::Catalog,
    kind: &FileKind,
) -> std::collections::HashMap<String, String> {
    use crate::content::files::{answer_path, certification_path, course_path};
    match kind {
        FileKind::Answer { .. } => catalog
            .answers
            .iter()
            .map(|a| (answer_path(&a.locale, a.slug.as_str()), a.question.clone()))
            .collect(),
        FileKind::Certification => catalog
            .certifications
            .values()
            .map(|c| (certification_path(c.code.as_str()), format!("{}: {}", c.code, c.title)))
            .collect(),
        FileKind::Course => {
            catalog.courses.values().map(|c| (course_path(c.slug.as_str()), c.title.clone())).collect()
        }
        _ => std::collections::HashMap::new(),
    }
}

/// A draft's own name for people: its question or title as written in the draft.
fn draft_title(kind: &FileKind, text: &str) -> Option<String> {
    let values = form::read(kind, text, &[]);
    let key = if matches!(kind, FileKind::Answer { .. }) { "question" } else { "title" };
    values.get(key).filter(|t| !t.trim().is_empty()).cloned()
}

// ---------------------------------------------------------------------------------------
// The list of records and the drafts

#[derive(Debug)]
struct RecordRow {
    path: String,
    title: String,
    draft: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/content.html")]
struct RecordsPage {
    page: AdminLayout,
    kind: String,
    query: String,
    rows: Vec<RecordRow>,
    total: usize,
    paging: crate::domain::paging::Page,
    previous: Option<String>,
    next: Option<String>,
}

const KINDS: &[(&str, &str)] =
    &[("answers", "Answers"), ("certifications", "Certifications"), ("courses", "Courses")];
const PER_PAGE: usize = 50;

/// `GET /admin/content?kind=&q=&page=`: the records editors can edit, filtered by words of
/// their title or path, with their drafts.
async fn records(State(state): State<AppState>, staff: Staff, uri: Uri) -> Result<Response, AdminError> {
    let kind = query_param(&uri, "kind").unwrap_or_default();
    let kind = KINDS.iter().find(|(k, _)| *k == kind).map_or("answers", |(k, _)| *k);
    let query = query_param(&uri, "q").unwrap_or_default();
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let drafts: BTreeMap<String, Draft> =
        state.store.drafts().await?.into_iter().map(|d| (d.path.clone(), d)).collect();
    let mut paths: Vec<String> = state
        .store
        .content_paths()
        .await?
        .into_iter()
        .chain(drafts.keys().cloned())
        .filter(|p| p.starts_with(&format!("{kind}/")) && FileKind::of(p).is_some_and(|k| k.is_editable()))
        .collect();
    paths.sort();
    paths.dedup();
    let snapshot = state.published.current();
    let mut titles = std::collections::HashMap::new();
    let mut rows: Vec<RecordRow> = paths
        .into_iter()
        .filter_map(|path| {
            let kind = FileKind::of(&path)?;
            if titles.is_empty() {
                titles = titles_of_kind(&snapshot.catalog, &kind);
            }
            let title = titles.get(&path).cloned().unwrap_or_else(|| path.clone());
            let haystack = format!("{title} {path}").to_lowercase();
            words.iter().all(|w| haystack.contains(w)).then(|| RecordRow {
                draft: drafts.get(&path).map(|d| d.state.as_str().to_owned()),
                path,
                title,
            })
        })
        .collect();
    let total = rows.len();
    let number = crate::domain::paging::PageNumber::parse(query_param(&uri, "page").as_deref())
        .map_err(AdminError::BadRequest)?;
    let paging = crate::domain::paging::Page::of(total, PER_PAGE, number)
        .ok_or_else(|| AdminError::NotFound(format!("there is no page {} of this list", number.get())))?;
    rows = rows.into_iter().skip(paging.items.start).take(PER_PAGE).collect();
    let link =
        |n: usize| format!("/admin/content?kind={kind}&q={}&page={n}", super::super::banner::encode(&query));
    let (previous, next) = (paging.previous().map(link), paging.next().map(link));
    let title = KINDS.iter().find(|(k, _)| *k == kind).map_or("Content", |(_, t)| *t);
    page(&RecordsPage {
        page: AdminLayout::new(&state, title, "content", Some(&staff)),
        kind: kind.to_owned(),
        query,
        rows,
        total,
        paging,
        previous,
        next,
    })
}

#[derive(Debug)]
struct DraftRow {
    path: String,
    title: String,
    author: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "admin/drafts.html")]
struct DraftsPage {
    page: AdminLayout,
    review: Vec<DraftRow>,
    drafts: Vec<DraftRow>,
}

/// `GET /admin/drafts`: what waits for review first, then work in progress.
async fn drafts(State(state): State<AppState>, staff: Staff) -> Result<Response, AdminError> {
    let (mut review, mut drafts) = (Vec::new(), Vec::new());
    for d in state.store.drafts().await? {
        let Some(kind) = FileKind::of(&d.path) else { continue };
        let row = DraftRow {
            title: draft_title(&kind, &d.text).unwrap_or_else(|| title_of(&state, &kind, &d.path)),
            author: d.author.clone(),
            updated: d.updated_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            path: d.path,
        };
        match d.state {
            DraftState::Review => review.push(row),
            DraftState::Draft => drafts.push(row),
        }
    }
    page(&DraftsPage { page: AdminLayout::new(&state, "Drafts", "drafts", Some(&staff)), review, drafts })
}

// ---------------------------------------------------------------------------------------
// The form

/// One field as the template shows it.
#[derive(Debug)]
struct FieldView {
    name: String,
    id: String,
    label: &'static str,
    hint: &'static str,
    value: String,
    /// `text`, `date`, `number`, `textarea`, `select`.
    input: &'static str,
    options: Vec<&'static str>,
    errors: Vec<String>,
}

impl FieldView {
    fn is_input(&self) -> bool {
        matches!(self.input, "text" | "date" | "number")
    }

    fn selected(&self, option: &str) -> bool {
        self.value == option
    }
}

/// A group of fields: the top fields, a table, one row of an array, a translation.
#[derive(Debug)]
struct GroupView {
    legend: String,
    fields: Vec<FieldView>,
}

fn field_view(
    f: &form::Field,
    name: String,
    values: &Values,
    errors: &mut BTreeMap<String, Vec<String>>,
) -> FieldView {
    let (input, options) = match f.shape {
        Shape::Line | Shape::List => ("text", Vec::new()),
        Shape::Text => ("textarea", Vec::new()),
        Shape::Date => ("date", Vec::new()),
        Shape::Integer => ("number", Vec::new()),
        Shape::Choice(words) => ("select", words()),
    };
    FieldView {
        id: format!("f-{}", name.replace('.', "-")),
        value: values.get(&name).cloned().unwrap_or_default(),
        errors: errors.remove(&name).unwrap_or_default(),
        label: f.label,
        hint: f.hint,
        input,
        options,
        name,
    }
}

/// The form's groups for `kind` with `values`; each error is taken out of `errors` when
/// placed next to its field (those left are shown above the form).
fn groups(
    kind: &FileKind,
    values: &Values,
    locales: &[String],
    errors: &mut BTreeMap<String, Vec<String>>,
) -> Vec<GroupView> {
    let mut out = Vec::new();
    for part in form::parts(kind).unwrap_or_default() {
        match part {
            Part::Fields(fields) => out.push(GroupView {
                legend: "Record".into(),
                fields: fields.iter().map(|f| field_view(f, f.key.to_owned(), values, errors)).collect(),
            }),
            Part::Table { key, label, fields } => out.push(GroupView {
                legend: (*label).to_owned(),
                fields: fields
                    .iter()
                    .map(|f| field_view(f, format!("{key}.{}", f.key), values, errors))
                    .collect(),
            }),
            Part::Rows { key, label, fields } => {
                let rows = form::rows_in(values, key) + 1;
                for i in 0..rows {
                    let legend = if i + 1 == rows {
                        format!("{label}: add one")
                    } else {
                        format!("{label} {}", i + 1)
                    };
                    out.push(GroupView {
                        legend,
                        fields: fields
                            .iter()
                            .map(|f| field_view(f, format!("{key}.{i}.{}", f.key), values, errors))
                            .collect(),
                    });
                }
            }
            Part::Translations { fields } => {
                for locale in locales {
                    out.push(GroupView {
                        legend: format!("Translation: {locale}"),
                        fields: fields
                            .iter()
                            .map(|f| {
                                field_view(f, format!("translations.{locale}.{}", f.key), values, errors)
                            })
                            .collect(),
                    });
                }
            }
        }
    }
    out
}

/// A line of a difference between two texts.
#[derive(Debug)]
pub struct DiffLine {
    /// `+`, `-` or ` `.
    pub sign: &'static str,
    pub class: &'static str,
    pub old: String,
    pub new: String,
    pub text: String,
}

/// A difference in hunks of changed lines with three lines of context; `None` between
/// hunks is a gap.
pub fn line_diff(old: &str, new: &str) -> Vec<Option<DiffLine>> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(None);
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let (sign, class) = match change.tag() {
                    ChangeTag::Delete => ("-", "del"),
                    ChangeTag::Insert => ("+", "ins"),
                    ChangeTag::Equal => (" ", "same"),
                };
                out.push(Some(DiffLine {
                    sign,
                    class,
                    old: change.old_index().map(|n| (n + 1).to_string()).unwrap_or_default(),
                    new: change.new_index().map(|n| (n + 1).to_string()).unwrap_or_default(),
                    text: change.value().trim_end_matches(['\n', '\r']).to_owned(),
                }));
            }
        }
    }
    out
}

/// What the edit page says about the record's state.
#[derive(Debug, Default)]
struct Standing {
    published: Option<String>,
    draft: Option<String>,
    in_review: bool,
}

/// Someone else's change met on save or publish.
#[derive(Debug)]
struct ConflictView {
    what: String,
    lines: Vec<Option<DiffLine>>,
}

#[derive(Template)]
#[template(path = "admin/edit.html")]
struct EditPage {
    page: AdminLayout,
    path: String,
    title: String,
    live: String,
    markdown: bool,
    body: String,
    body_errors: Vec<String>,
    groups: Vec<GroupView>,
    general: Vec<String>,
    version: String,
    revision: String,
    message: String,
    standing: Standing,
    notice: Option<Notice>,
    conflict: Option<ConflictView>,
    can_publish: bool,
    form_token: String,
    preview_on: String,
    problems: usize,
}

/// Everything the edit page needs beyond the values.
struct FormState<'a> {
    path: &'a str,
    kind: &'a FileKind,
    values: Values,
    diagnostics: &'a [Diagnostic],
    text: &'a str,
    version: Option<i64>,
    revision: Option<i64>,
    message: String,
    notice: Option<Notice>,
    conflict: Option<ConflictView>,
}

/// The line above the edit form: what the last change did, or (`failed`) why the one just
/// sent did not happen — shown as an alert, not as a confirmation.
struct Notice {
    text: String,
    failed: bool,
}

async fn render_form(state: &AppState, staff: &Staff, f: FormState<'_>) -> Result<Response, AdminError> {
    let locales = other_locales(state);
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut general = Vec::new();
    let file = std::path::Path::new("content").join(f.path);
    for d in f.diagnostics.iter().filter(|d| d.severity == crate::content::Severity::Error) {
        let field = (d.path == file)
            .then(|| missing_field(&d.message).or_else(|| form::field_at(f.kind, f.text, d.line, d.column)))
            .flatten();
        match field {
            Some(name) => errors.entry(name).or_default().push(d.message.clone()),
            None if d.path == file => general.push(d.message.clone()),
            None => general.push(d.to_string()),
        }
    }
    let problems = errors.values().map(Vec::len).sum::<usize>() + general.len();
    let body_errors = errors.remove("body").unwrap_or_default();
    let groups = groups(f.kind, &f.values, &locales, &mut errors);
    // A message for a field the form does not show (a key only the file has).
    general.extend(errors.into_values().flatten());
    let draft = state.store.draft(f.path).await?;
    let published = state.store.content_file(f.path).await?;
    let mut standing = Standing::default();
    if let Some(p) = &published {
        let history = state.store.revisions(f.path).await?;
        if let Some(r) = history.first() {
            standing.published = Some(format!(
                "revision {} by {}, {}",
                p.revision,
                r.author,
                r.created_at.format("%Y-%m-%d %H:%M UTC")
            ));
        }
    }
    if let Some(d) = &draft {
        standing.draft = Some(format!(
            "version {} by {}, saved {}",
            d.version,
            d.author,
            d.updated_at.format("%Y-%m-%d %H:%M UTC")
        ));
        standing.in_review = d.state == DraftState::Review;
    }
    let title = title_of(state, f.kind, f.path);
    let status =
        if problems > 0 || f.conflict.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let html = EditPage {
        page: AdminLayout::new(state, &format!("Edit: {title}"), "content", Some(staff)).with_script(),
        live: public_path(state, f.kind, f.path),
        path: f.path.to_owned(),
        title,
        markdown: matches!(f.kind, FileKind::Answer { .. }),
        body: f.values.get("body").cloned().unwrap_or_default(),
        body_errors,
        groups,
        general,
        version: f.version.map(|v| v.to_string()).unwrap_or_default(),
        revision: f.revision.map(|v| v.to_string()).unwrap_or_default(),
        message: f.message,
        standing,
        notice: f.notice,
        conflict: f.conflict,
        can_publish: staff.role.can_publish(),
        form_token: staff.form_token.clone(),
        preview_on: state.clock.today().to_string(),
        problems,
    }
    .render()
    .map_err(|e| AdminError::Internal(e.to_string()))?;
    Ok((status, axum::response::Html(html)).into_response())
}

/// The key of a "missing field `key` in the file" message (a field emptied in the form):
/// it belongs next to that field, not at the table's first key.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    let key = &rest[..rest.find('`')?];
    rest.ends_with("in the file").then(|| key.to_owned())
}

/// The notices a redirect after a change asks for (`?done=`).
fn done_notice(uri: &Uri) -> Option<String> {
    let notice = match query_param(uri, "done")?.as_str() {
        "saved" => "Draft saved.",
        "submitted" => "Submitted for review: a publisher can publish it from Drafts.",
        "published" => "Published: the public page shows it now.",
        "discarded" => "Draft discarded: the form shows the published version.",
        "restored" => "Restored as a new revision: the public page shows it now.",
        "created" => {
            "A new answer, saved as a draft: fill in its fields and save; it is published once a publisher publishes it."
        }
        _ => return None,
    };
    Some(notice.to_owned())
}

/// `GET /admin/edit/{path}`: the draft when there is one, else the published record.
async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(path): Path<String>,
    uri: Uri,
) -> Result<Response, AdminError> {
    let kind = editable(&path)?;
    let draft = state.store.draft(&path).await?;
    let published = state.store.content_file(&path).await?;
    let (text, version, revision) = match (&draft, &published) {
        (Some(d), _) => (d.text.clone(), Some(d.version), d.base_revision),
        (None, Some(p)) => (p.text.clone(), None, Some(p.revision)),
        (None, None) => return Err(AdminError::NotFound(format!("there is no record `{path}`"))),
    };
    let values = form::read(&kind, &text, &other_locales(&state));
    render_form(
        &state,
        &staff,
        FormState {
            path: &path,
            kind: &kind,
            values,
            diagnostics: &[],
            text: &text,
            version,
            revision,
            message: String::new(),
            notice: done_notice(&uri).map(|text| Notice { text, failed: false }),
            conflict: None,
        },
    )
    .await
}

fn parse_id(s: &str, what: &str) -> Result<Option<i64>, AdminError> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| AdminError::BadRequest(format!("`{what}` must be a number, not `{s}`")))
}

/// `POST /admin/edit/{path}`: save, submit, publish, preview or discard.
async fn edit_post(
    State(state): State<AppState>,
    staff: Staff,
    Path(path): Path<String>,
    body: Body,
) -> Result<Response, AdminError> {
    let kind = editable(&path)?;
    let fields = read_record_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    staff.require(Role::can_draft)?;
    let action = fields.get("action").to_owned();
    let version = parse_id(fields.get("version"), "version")?;
    let revision = parse_id(fields.get("revision"), "revision")?;
    let message = fields.get("message").trim().to_owned();
    let locales = other_locales(&state);

    let draft = state.store.draft(&path).await?;
    let published = state.store.content_file(&path).await?;
    if action == "discard" {
        return discard(&state, &staff, &path, version).await;
    }

    // The text the editor started from: the draft or the published file.
    let base = draft.as_ref().map(|d| d.text.clone()).or_else(|| published.as_ref().map(|p| p.text.clone()));
    let base = base.ok_or_else(|| AdminError::NotFound(format!("there is no record `{path}`")))?;
    let values = form::submitted(&kind, fields_pairs(&fields), &locales);
    let text = form::apply(&kind, &base, &values, &locales);

    // Someone else's change since the form was opened: refused, with the difference.
    let current_version = draft.as_ref().map(|d| d.version);
    // A draft keeps the revision it was started from; without one, the form starts anew
    // from what is published (the difference shown says what that is).
    let current_revision = match &draft {
        Some(d) => d.base_revision,
        None => published.as_ref().map(|p| p.revision),
    };
    let conflict =
        conflict_of(&Opened { version, revision }, draft.as_ref(), published.as_ref(), &text, &action);
    if let Some(conflict) = conflict {
        // The form now names what is stored, so that saving again is a deliberate choice.
        return render_form(
            &state,
            &staff,
            FormState {
                path: &path,
                kind: &kind,
                values: form::read(&kind, &text, &locales),
                diagnostics: &[],
                text: &text,
                version: current_version,
                revision: current_revision,
                message,
                notice: None,
                conflict: Some(conflict),
            },
        )
        .await;
    }

    // The one validation.
    let started = std::time::Instant::now();
    let mut edit_check =
        editorial::check_edit(state.store.as_ref(), &path, Some(text.clone())).await.map_err(internal)?;
    let checked = &mut edit_check.checked;
    if checked.catalog.is_none() {
        return render_form(
            &state,
            &staff,
            FormState {
                path: &path,
                kind: &kind,
                values: form::read(&kind, &text, &locales),
                diagnostics: &checked.diagnostics,
                text: &text,
                version,
                revision,
                message,
                notice: None,
                conflict: None,
            },
        )
        .await;
    }

    match action.as_str() {
        "preview" => {
            let on = preview_day(fields.get("preview_on"), &state)?;
            let catalog = checked.catalog.take().unwrap_or_else(|| state.published.current().catalog.clone());
            render_preview(&state, catalog, &kind, &path, on).await
        }
        "save" | "submit" => {
            let form = Submitted { path: &path, kind: &kind, text, version, revision, message, locales };
            save(&state, &staff, form, action == "submit").await
        }
        "publish" => {
            tracing::info!(%path, "publish: checked in {} ms", started.elapsed().as_millis());
            let form = Submitted { path: &path, kind: &kind, text, version, revision, message, locales };
            publish_form(&state, &staff, form, current_version, edit_check).await
        }
        other => Err(AdminError::BadRequest(format!(
            "unknown action `{other}`: expected save, submit, publish, preview or discard"
        ))),
    }
}

/// The audit entry of a change to a draft, which the store writes in the change's own
/// transaction: both or neither.
fn audit_entry<'a>(
    state: &AppState,
    staff: &'a Staff,
    action: &'a str,
    target: &'a str,
    detail: &'a str,
) -> AuditEvent<'a> {
    AuditEvent { at: state.time.now(), actor: &staff.email, action, target, detail }
}

#[allow(clippy::needless_pass_by_value, reason = "used as `map_err(internal)`")]
fn internal(e: PublishError) -> AdminError {
    AdminError::Internal(e.to_string())
}

/// `action=save` or `submit`: the text as the record's draft (in review when submitted).
async fn save(
    state: &AppState,
    staff: &Staff,
    form: Submitted<'_>,
    submit: bool,
) -> Result<Response, AdminError> {
    let (path, message) = (form.path, form.message.clone());
    let message = message.as_str();
    let new_version = match state
        .store
        .save_draft(
            path,
            &form.text,
            form.revision,
            form.version,
            &audit_entry(state, staff, "draft.save", path, message),
        )
        .await
    {
        Ok(v) => v,
        Err(crate::store::StoreError::Conflict(_)) => {
            return Err(AdminError::BadRequest(
                "Someone saved this draft at the same moment; reload the page to see it.".into(),
            ));
        }
        Err(e) => match e.unavailable() {
            Some(why) => {
                tracing::error!(%path, error = %e, "could not save a draft: {why}");
                let notice = format!(
                    "Not saved: {why}; nothing was changed. Your input is kept below: save again in a moment."
                );
                return not_written(state, staff, form, notice).await;
            }
            None => return Err(e.into()),
        },
    };
    if submit {
        let submitted = audit_entry(state, staff, "draft.submit", path, message);
        if let Err(e) = state.store.set_draft_state(path, DraftState::Review, new_version, &submitted).await {
            return match e.unavailable() {
                Some(why) => {
                    tracing::error!(%path, error = %e, "saved a draft but could not submit it: {why}");
                    let notice = format!(
                        "Saved as a draft, but not submitted for review: {why}. Your input is kept below: submit \
                         again in a moment."
                    );
                    not_written(state, staff, Submitted { version: Some(new_version), ..form }, notice).await
                }
                None => Err(e.into()),
            };
        }
        return Ok(Redirect::to(&format!("/admin/edit/{path}?done=submitted")).into_response());
    }
    Ok(Redirect::to(&format!("/admin/edit/{path}?done=saved")).into_response())
}

/// `action=discard`: the draft goes; the published record stays.
async fn discard(
    state: &AppState,
    staff: &Staff,
    path: &str,
    version: Option<i64>,
) -> Result<Response, AdminError> {
    let Some(version) = version else {
        return Err(AdminError::BadRequest("there is no draft to discard".into()));
    };
    match state
        .store
        .discard_draft(path, version, &audit_entry(state, staff, "draft.discard", path, ""))
        .await
    {
        Ok(()) => {}
        Err(crate::store::StoreError::Conflict(_)) => {
            return Err(AdminError::BadRequest(
                "The draft changed since you opened it, so it was not discarded. Reload the page.".into(),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    if state.store.content_file(path).await?.is_none() {
        // A new answer's only draft: there is nothing left to edit.
        return Ok(Redirect::to("/admin/drafts").into_response());
    }
    Ok(Redirect::to(&format!("/admin/edit/{path}?done=discarded")).into_response())
}

/// What the form was opened on: the draft's version and the published revision.
struct Opened {
    version: Option<i64>,
    revision: Option<i64>,
}

/// Someone else's save or publish since the form was opened, shown as the difference
/// between what is stored now and the editor's text.
fn conflict_of(
    opened: &Opened,
    draft: Option<&Draft>,
    published: Option<&crate::store::ContentFile>,
    text: &str,
    action: &str,
) -> Option<ConflictView> {
    if draft.map(|d| d.version) != opened.version {
        let theirs = draft.map_or_else(String::new, |d| d.text.clone());
        let who = draft.map_or_else(|| "someone".to_owned(), |d| d.author.clone());
        return Some(ConflictView {
            what: format!(
                "{who} saved this record's draft after you opened it. Nothing of yours was saved. Below: their draft \
                 (−) and your text (+). Your input is kept in the form; saving again replaces their draft."
            ),
            lines: line_diff(&theirs, text),
        });
    }
    if draft.is_none() && published.map(|p| p.revision) != opened.revision && action != "preview" {
        let theirs = published.map_or_else(String::new, |p| p.text.clone());
        return Some(ConflictView {
            what: "This record was published again after you opened it. Nothing of yours was saved. Below: the \
                   published text (−) and yours (+). Your input is kept; saving again starts your draft from the \
                   new version."
                .into(),
            lines: line_diff(&theirs, text),
        });
    }
    None
}

/// A form as submitted, written into its file.
struct Submitted<'a> {
    path: &'a str,
    kind: &'a FileKind,
    text: String,
    version: Option<i64>,
    revision: Option<i64>,
    message: String,
    locales: Vec<String>,
}

/// `action=publish`: the form's text live at once (publishers).
async fn publish_form(
    state: &AppState,
    staff: &Staff,
    form: Submitted<'_>,
    draft_version: Option<i64>,
    checked: editorial::CheckedEdit,
) -> Result<Response, AdminError> {
    staff.require(Role::can_publish)?;
    let Submitted { path, kind, text, version, revision, message, locales } = form;
    // The revision's message; a form shown again keeps what the editor typed (nothing).
    let recorded = if message.is_empty() { "Published from the editors' area" } else { message.as_str() };
    let previous = state.published.current();
    let edit = Edit {
        path,
        text: Some(text.clone()),
        expected: revision,
        author: &staff.email,
        message: recorded,
        action: "content.publish",
        draft: draft_version.map(|v| (path, v)),
    };
    let started = std::time::Instant::now();
    let published = editorial::publish_checked(
        state.store.as_ref(),
        edit,
        checked,
        &previous.catalog,
        state.clock.today(),
    )
    .await;
    drop(previous);
    match published {
        Ok(_) => {
            let written = started.elapsed();
            serve_now(state).await;
            tracing::info!(
                %path,
                "publish: written in {} ms, served here {} ms later",
                written.as_millis(),
                started.elapsed().saturating_sub(written).as_millis()
            );
            Ok(Redirect::to(&format!("/admin/edit/{path}?done=published")).into_response())
        }
        Err(PublishError::Invalid(diagnostics)) => {
            let values = form::read(kind, &text, &locales);
            let f = FormState {
                path,
                kind,
                values,
                diagnostics: &diagnostics,
                text: &text,
                version,
                revision,
                message,
                notice: None,
                conflict: None,
            };
            render_form(state, staff, f).await
        }
        Err(PublishError::Conflict) => {
            // Published (or imported) since this text was started: show what is live now
            // against the editor's text; publishing again from here is a deliberate choice.
            let current = state.store.content_file(path).await?;
            let theirs = current.as_ref().map_or_else(String::new, |f| f.text.clone());
            let conflict = ConflictView {
                what: "This record's published version changed after this text was started (a publish or an \
                       import). Nothing was published. Below: what is published now (−) and your text (+). Your \
                       input is kept; publishing again replaces the published version."
                    .into(),
                lines: line_diff(&theirs, &text),
            };
            let f = FormState {
                path,
                kind,
                values: form::read(kind, &text, &locales),
                diagnostics: &[],
                text: &text,
                version: state.store.draft(path).await?.map(|d| d.version),
                revision: current.map(|f| f.revision),
                message,
                notice: None,
                conflict: Some(conflict),
            };
            render_form(state, staff, f).await
        }
        Err(PublishError::Store(e)) => match e.unavailable() {
            Some(why) => {
                tracing::error!(%path, error = %e, "could not publish: {why}");
                let submitted = Submitted { path, kind, text, version, revision, message, locales };
                let notice = format!(
                    "Not published: {why}; nothing was changed. Your input is kept below: publish again in a moment."
                );
                not_written(state, staff, submitted, notice).await
            }
            None => Err(e.into()),
        },
        Err(e @ PublishError::Task(_)) => Err(AdminError::Internal(e.to_string())),
    }
}

/// A save or publish the database could not take now (a full disk, a lock held too long):
/// nothing was written (one transaction) — or, for a submit, the draft was saved but not
/// put in review, which `notice` says —, so the form comes back with the editor's input
/// and `notice` as a 503 with `Retry-After`, to send once more.
async fn not_written(
    state: &AppState,
    staff: &Staff,
    submitted: Submitted<'_>,
    notice: String,
) -> Result<Response, AdminError> {
    let Submitted { path, kind, text, version, revision, message, locales } = submitted;
    let f = FormState {
        path,
        kind,
        values: form::read(kind, &text, &locales),
        diagnostics: &[],
        text: &text,
        version,
        revision,
        message,
        notice: Some(Notice { text: notice, failed: true }),
        conflict: None,
    };
    let mut response = render_form(state, staff, f).await?;
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    Ok(response)
}

/// The form's fields as pairs, without the form's own controls.
fn fields_pairs(fields: &Fields) -> Vec<(String, String)> {
    const CONTROLS: &[&str] = &["token", "action", "version", "revision", "message", "preview_on"];
    fields.pairs().filter(|(k, _)| !CONTROLS.contains(k)).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// This instance serves the newest content before the response goes out (the others
/// follow within their poll).
async fn serve_now(state: &AppState) {
    if let Err(e) = crate::live::refresh(state).await {
        tracing::warn!("serving the published content at once failed (the poll retries): {e:#}");
    }
}

fn preview_day(s: &str, state: &AppState) -> Result<NaiveDate, AdminError> {
    if s.trim().is_empty() {
        return Ok(state.clock.today());
    }
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        AdminError::BadRequest(format!("the preview day must be a date like 2026-12-01, not `{s}`"))
    })
}

/// The public page of `path` rendered from `catalog` as of `on`: the site's own handlers
/// on a snapshot of their own, nothing cached, nothing published.
async fn render_preview(
    state: &AppState,
    catalog: crate::domain::Catalog,
    kind: &FileKind,
    path: &str,
    on: NaiveDate,
) -> Result<Response, AdminError> {
    let recorded = state.published.current().fact_changes.clone();
    let snapshot = tokio::task::spawn_blocking(move || Snapshot::new(catalog).with_fact_changes(recorded))
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?;
    let preview = state.previewing(snapshot, Clock::Fixed(on));
    let target = public_path(&preview, kind, path);
    let request = axum::http::Request::get(&target)
        .body(Body::empty())
        .map_err(|e| AdminError::Internal(e.to_string()))?;
    let Ok(response) = crate::web::router(preview).oneshot(request).await;
    let status = response.status();
    let bytes = http_body_util::BodyExt::collect(response.into_body())
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?
        .to_bytes();
    let html = String::from_utf8_lossy(&bytes);
    let path = askama::filters::escape(path, askama::filters::Html)
        .map_err(|e| AdminError::Internal(e.to_string()))?;
    let banner = format!(
        "<div class=\"preview-banner\" role=\"status\"><strong>Preview as of {on}</strong> — not published. \
         <a href=\"/admin/edit/{path}\">Back to the editor</a></div>"
    );
    let html = match html.find("<body") {
        Some(at) => {
            let end = html[at..].find('>').map_or(at, |e| at + e + 1);
            format!("{}{banner}{}", &html[..end], &html[end..])
        }
        None => format!("{banner}{html}"),
    };
    Ok((status, axum::response::Html(html)).into_response())
}

/// `GET /admin/preview/{path}?on=YYYY-MM-DD`: the saved draft (or the published record)
/// as of a day.
async fn preview_saved(
    State(state): State<AppState>,
    _staff: Staff,
    Path(path): Path<String>,
    uri: Uri,
) -> Result<Response, AdminError> {
    let kind = editable(&path)?;
    let on = preview_day(&query_param(&uri, "on").unwrap_or_default(), &state)?;
    let text = match state.store.draft(&path).await? {
        Some(d) => Some(d.text),
        None => state.store.content_file(&path).await?.map(|f| f.text),
    };
    let text = text.ok_or_else(|| AdminError::NotFound(format!("there is no record `{path}`")))?;
    let checked = editorial::check_edit(state.store.as_ref(), &path, Some(text))
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?
        .checked;
    let Some(catalog) = checked.catalog else {
        return Err(AdminError::BadRequest(
            "The draft does not pass the checks (open it in the editor to see why), so it cannot be previewed.".into(),
        ));
    };
    render_preview(&state, catalog, &kind, &path, on).await
}

#[derive(Template)]
#[template(path = "admin/new.html")]
struct NewPage {
    page: AdminLayout,
    locales: Vec<String>,
    locale: String,
    slug: String,
    question: String,
    error: Option<String>,
    form_token: String,
}

/// `GET /admin/new`: a new answer: its language, its address and its question.
async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<Response, AdminError> {
    staff.require(Role::can_draft)?;
    let site = state.published.current().catalog.site.clone();
    page(&NewPage {
        page: AdminLayout::new(&state, "New answer", "content", Some(&staff)),
        locales: site.locales.clone(),
        locale: site.default_locale,
        slug: String::new(),
        question: String::new(),
        error: None,
        form_token: staff.form_token.clone(),
    })
}

/// `POST /admin/new` (`locale`, `slug`, `question`): a draft with the answer's skeleton,
/// then its edit form. Nothing is published.
async fn new_post(State(state): State<AppState>, staff: Staff, body: Body) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    staff.require(Role::can_draft)?;
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let (locale, slug, question) =
        (fields.get("locale").trim(), fields.get("slug").trim(), fields.get("question").trim());
    let path = crate::content::files::answer_path(locale, slug);
    let problem = if !site.locales.iter().any(|l| l == locale) {
        Some(format!("`{locale}` is not one of the site's languages ({})", site.locales.join(", ")))
    } else if let Err(e) = crate::domain::Slug::parse(slug) {
        Some(format!("The address: {e}"))
    } else if question.is_empty() {
        Some("Write the question the answer answers.".to_owned())
    } else if state.store.content_file(&path).await?.is_some() || state.store.draft(&path).await?.is_some() {
        Some(format!("There is already an answer or a draft at `{path}`: choose another address."))
    } else {
        None
    };
    if let Some(error) = problem {
        let html = NewPage {
            page: AdminLayout::new(&state, "New answer", "content", Some(&staff)),
            locales: site.locales.clone(),
            locale: locale.to_owned(),
            slug: slug.to_owned(),
            question: question.to_owned(),
            error: Some(error),
            form_token: staff.form_token.clone(),
        }
        .render()
        .map_err(|e| AdminError::Internal(e.to_string()))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, axum::response::Html(html)).into_response());
    }
    let today = state.clock.today();
    let author = snapshot.catalog.experts.keys().next().map(ToString::to_string).unwrap_or_default();
    let mut doc = toml_edit::DocumentMut::new();
    doc["question"] = toml_edit::value(question);
    doc["short_answer"] = toml_edit::value("");
    doc["certifications"] = toml_edit::value(toml_edit::Array::new());
    doc["topics"] = toml_edit::value(toml_edit::Array::new());
    doc["author"] = toml_edit::value(author);
    if let Ok(day) = today.to_string().parse::<toml_edit::Datetime>() {
        doc["published_on"] = toml_edit::value(day);
    }
    let text = format!("+++\n{doc}+++\n");
    match state
        .store
        .save_draft(&path, &text, None, None, &audit_entry(&state, &staff, "draft.create", &path, question))
        .await
    {
        Ok(_) => {}
        Err(crate::store::StoreError::Conflict(_)) => {
            return Err(AdminError::BadRequest(format!(
                "A draft at `{path}` was started at the same moment."
            )));
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/admin/edit/{path}?done=created")).into_response())
}

/// `POST /admin/markdown` (`markdown`, `token`): the Markdown as the site renders and
/// sanitises it, for the editor's live preview (`static/admin.js`).
async fn markdown(State(state): State<AppState>, staff: Staff, body: Body) -> Result<Response, AdminError> {
    let fields = read_record_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    staff.require(Role::can_draft)?;
    let html = crate::markdown::to_html(fields.get("markdown"));
    Ok(axum::response::Html(html).into_response())
}

// ---------------------------------------------------------------------------------------
// Revisions, differences, restore, reviewed

#[derive(Debug)]
struct RevisionRow {
    id: i64,
    when: String,
    author: String,
    origin: &'static str,
    message: String,
    removed: bool,
    current: bool,
}

#[derive(Template)]
#[template(path = "admin/history.html")]
struct HistoryPage {
    page: AdminLayout,
    path: String,
    title: String,
    rows: Vec<RevisionRow>,
    current: String,
    can_publish: bool,
    form_token: String,
    notice: Option<String>,
}

/// `GET /admin/history/{path}`: every revision, newest first; pick two to compare.
async fn history(
    State(state): State<AppState>,
    staff: Staff,
    Path(path): Path<String>,
    uri: Uri,
) -> Result<Response, AdminError> {
    let kind = editable(&path)?;
    let revisions = state.store.revisions(&path).await?;
    if revisions.is_empty() {
        return Err(AdminError::NotFound(format!("`{path}` has no revisions")));
    }
    let current = state.store.content_file(&path).await?.map(|f| f.revision);
    let rows = revisions
        .into_iter()
        .map(|r| RevisionRow {
            current: Some(r.id) == current,
            id: r.id,
            when: r.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            author: r.author,
            origin: r.origin.as_str(),
            message: r.message,
            removed: r.removed,
        })
        .collect();
    page(&HistoryPage {
        page: AdminLayout::new(&state, "Revisions", "content", Some(&staff)),
        title: title_of(&state, &kind, &path),
        path,
        rows,
        current: current.map(|c| c.to_string()).unwrap_or_default(),
        can_publish: staff.role.can_publish(),
        form_token: staff.form_token.clone(),
        notice: done_notice(&uri),
    })
}

#[derive(Template)]
#[template(path = "admin/diff.html")]
struct DiffPage {
    page: AdminLayout,
    path: String,
    from: crate::store::RevisionInfo,
    to: crate::store::RevisionInfo,
    lines: Vec<Option<DiffLine>>,
}

/// `GET /admin/diff?from=A&to=B`: what changed between two revisions of one file.
async fn diff(State(state): State<AppState>, staff: Staff, uri: Uri) -> Result<Response, AdminError> {
    let id = |name: &str| -> Result<i64, AdminError> {
        let raw = query_param(&uri, name).unwrap_or_default();
        parse_id(&raw, name)?.ok_or_else(|| AdminError::BadRequest(format!("choose the revision `{name}`")))
    };
    let (a, b) = (id("from")?, id("to")?);
    let (a, b) = (a.min(b), a.max(b));
    let from = state
        .store
        .revision(a)
        .await?
        .ok_or_else(|| AdminError::NotFound(format!("there is no revision {a}")))?;
    let to = state
        .store
        .revision(b)
        .await?
        .ok_or_else(|| AdminError::NotFound(format!("there is no revision {b}")))?;
    if from.info.path != to.info.path {
        return Err(AdminError::BadRequest("the two revisions belong to different records".into()));
    }
    let lines = line_diff(from.text.as_deref().unwrap_or_default(), to.text.as_deref().unwrap_or_default());
    page(&DiffPage {
        page: AdminLayout::new(&state, "Differences", "content", Some(&staff)),
        path: from.info.path.clone(),
        from: from.info,
        to: to.info,
        lines,
    })
}

/// `POST /admin/restore` (`revision`, `current`): publishes an old revision's text as a
/// new revision. Publishers only.
async fn restore(State(state): State<AppState>, staff: Staff, body: Body) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    staff.require(Role::can_publish)?;
    let id = parse_id(fields.get("revision"), "revision")?
        .ok_or_else(|| AdminError::BadRequest("choose the revision to restore".into()))?;
    let expected = parse_id(fields.get("current"), "current")?;
    let old = state
        .store
        .revision(id)
        .await?
        .ok_or_else(|| AdminError::NotFound(format!("there is no revision {id}")))?;
    let path = old.info.path.clone();
    editable(&path)?;
    if old.text.is_none() {
        return Err(AdminError::BadRequest(format!(
            "Revision {id} removed the record; records are removed by an import, not in the editors' area."
        )));
    }
    let message = format!("Restored revision {id}");
    let edit = Edit {
        path: &path,
        text: old.text,
        expected,
        author: &staff.email,
        message: &message,
        action: "content.restore",
        draft: None,
    };
    publish_at_once(&state, edit, &format!("revision {id} was not restored")).await?;
    Ok(Redirect::to(&format!("/admin/history/{path}?done=restored")).into_response())
}

/// `POST /admin/stale/reviewed` (`path`): the answer was re-read against the catalog's
/// changes: a new revision with `reviewed_on` = today. Publishers only.
async fn mark_reviewed(
    State(state): State<AppState>,
    staff: Staff,
    body: Body,
) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    staff.require(Role::can_publish)?;
    let path = fields.get("path").to_owned();
    let kind = editable(&path)?;
    if !matches!(kind, FileKind::Answer { .. }) {
        return Err(AdminError::BadRequest(format!("`{path}` is not an answer")));
    }
    let file = state
        .store
        .content_file(&path)
        .await?
        .ok_or_else(|| AdminError::NotFound(format!("there is no published answer `{path}`")))?;
    let today = state.clock.today();
    let values = Values::from([("reviewed_on".to_owned(), today.to_string())]);
    let text = form::apply(&kind, &file.text, &values, &[]);
    let message = format!("Reviewed on {today}");
    let edit = Edit {
        path: &path,
        text: Some(text),
        expected: Some(file.revision),
        author: &staff.email,
        message: &message,
        action: "answer.reviewed",
        draft: None,
    };
    publish_at_once(&state, edit, "nothing was marked").await?;
    Ok(Redirect::to("/admin/stale?done=reviewed").into_response())
}

/// A publish from a button (restore, mark reviewed): checked, written with its audit entry
/// and served here at once; a refusal is an error page that says `refused`.
async fn publish_at_once(state: &AppState, edit: Edit<'_>, refused: &str) -> Result<(), AdminError> {
    let previous = state.published.current();
    match editorial::publish(state.store.as_ref(), edit, &previous.catalog, state.clock.today()).await {
        Ok(_) => {
            serve_now(state).await;
            Ok(())
        }
        Err(PublishError::Invalid(diagnostics)) => Err(AdminError::BadRequest(format!(
            "The record would not pass the checks, so {refused}: {}",
            diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
        ))),
        Err(PublishError::Conflict) => Err(AdminError::BadRequest(format!(
            "The record changed since you opened this page, so {refused}. Reload the page."
        ))),
        Err(PublishError::Store(e)) => Err(e.into()),
        Err(e @ PublishError::Task(_)) => Err(AdminError::Internal(e.to_string())),
    }
}
