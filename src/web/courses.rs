//! Courses: the index (`/{locale}/courses/`, filterable), a course page with its next
//! sessions and the inquiry form, `POST …/inquiry` (checked, stored durably, then a
//! thank-you page), and the thank-you page itself.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;

use super::error::PageError;
use super::extract::{self, PagePath, PageQuery};
use super::filters::{localized_html, marked};
use super::forms::same_origin;
use super::layout::{Choice, Crumb, Layout, Pager, numbered};
use super::limits::{Client, read_form};
use super::notices::Notice;
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::inquiry::{InquiryInput, Problem, is_bot, validate};
use crate::domain::lead::Lead;
use crate::domain::paging::HTML_PAGE_SIZE;
use crate::domain::{
    Course, Delivery, Lifecycle, LifecycleStatus, Locales, Localized, Session, Slug, Vocabulary,
};
use crate::i18n::Lang;
use crate::seal::random_token;
use crate::snapshot::Snapshot;

/// How many sessions a course page and the index show.
const NEXT_SESSIONS: usize = 3;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/{locale}/courses/", get(index))
        .route("/{locale}/courses", get(index_redirect))
        .route("/{locale}/courses/{slug}", get(course))
        .route("/{locale}/courses/{slug}/inquiry", post(inquire).get(inquiry_redirect))
        .route("/{locale}/courses/{slug}/thanks", get(thanks))
}

/// A link with its text.
#[derive(Debug)]
struct Link {
    url: String,
    text: String,
}

/// A session as pages show it.
#[derive(Debug)]
struct SessionView {
    id: String,
    iso: String,
    date: String,
    place: String,
    language: String,
    seats: u32,
    /// The course page's form with this session chosen.
    request_url: String,
}

fn session_view(locale: &str, course: &Course, s: &Session) -> SessionView {
    let lang = Lang::of(locale);
    SessionView {
        id: s.id.to_string(),
        iso: s.starts_on.to_string(),
        date: lang.date(s.starts_on),
        place: s.location.clone(),
        language: lang.language_name(&s.language),
        seats: s.seats,
        request_url: format!("/{locale}/courses/{}?session={}#inquiry", course.slug, s.id),
    }
}

/// The address of a course page.
pub fn course_path(locale: &str, course: &Course) -> String {
    format!("/{locale}/courses/{}", course.slug)
}

// ---------------------------------------------------------------------------------------
// The index

#[derive(Debug, Deserialize)]
struct IndexQuery {
    certification: Option<String>,
    vendor: Option<String>,
    delivery: Option<String>,
    upcoming: Option<String>,
    page: Option<String>,
}

#[derive(Debug)]
struct CourseItem {
    url: String,
    /// HTML: the title in the page's locale.
    title: String,
    certification: Link,
    status: Option<LifecycleStatus>,
    facts: String,
    next: Option<SessionView>,
}

#[derive(Template)]
#[template(path = "courses.html")]
struct IndexPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    certifications: Vec<Choice>,
    vendors: Vec<Choice>,
    deliveries: Vec<Choice>,
    upcoming: bool,
    items: Vec<CourseItem>,
    pager: Pager,
}

async fn index_redirect(
    State(state): State<AppState>,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    super::localized(&state, &locale)?;
    Ok(Redirect::permanent(&format!("/{locale}/courses/")).into_response())
}

/// The index's filters, checked against the catalog.
struct IndexFilters {
    certification: Option<crate::domain::Code>,
    vendor: Option<String>,
    delivery: Option<Delivery>,
    upcoming: bool,
    /// The values the filters can take: certifications and vendors that have courses.
    certifications: Vec<crate::domain::Code>,
    vendors: Vec<String>,
}

impl IndexFilters {
    fn read(catalog: &crate::domain::Catalog, q: &IndexQuery) -> Result<Self, PageError> {
        let bad =
            |field: &str, value: &str| PageError::BadRequest(format!("`{field}` has no value `{value}`"));
        let wanted = |v: &Option<String>| v.as_deref().filter(|v| !v.is_empty()).map(str::to_owned);
        let mut certifications: Vec<_> = catalog.courses.values().map(|c| c.certification.clone()).collect();
        certifications.sort();
        certifications.dedup();
        let certification = match wanted(&q.certification) {
            None => None,
            Some(c) => Some(
                extract::code(&c)
                    .ok()
                    .map(|(code, _)| code)
                    .filter(|code| certifications.contains(code))
                    .ok_or_else(|| bad("certification", &c))?,
            ),
        };
        let mut vendors: Vec<String> =
            catalog.courses.values().filter_map(|c| vendor_of(catalog, c)).collect();
        vendors.sort();
        vendors.dedup();
        let vendor = wanted(&q.vendor);
        if let Some(v) = vendor.as_ref().filter(|v| !vendors.contains(v)) {
            return Err(bad("vendor", v));
        }
        let delivery = match wanted(&q.delivery) {
            None => None,
            Some(d) => Some(Delivery::parse(&d).ok_or_else(|| bad("delivery", &d))?),
        };
        let upcoming = match wanted(&q.upcoming).as_deref() {
            None => false,
            Some("1") => true,
            Some(other) => return Err(bad("upcoming", other)),
        };
        Ok(Self { certification, vendor, delivery, upcoming, certifications, vendors })
    }

    fn admits(&self, catalog: &crate::domain::Catalog, c: &Course, today: NaiveDate) -> bool {
        self.certification.as_ref().is_none_or(|code| &c.certification == code)
            && self.vendor.as_ref().is_none_or(|v| vendor_of(catalog, c).as_ref() == Some(v))
            && self.delivery.is_none_or(|d| c.delivery.contains(&d))
            && (!self.upcoming || c.has_upcoming(today))
    }

    /// The address of page `n` of the list with these filters.
    fn url(&self, locale: &str, n: usize) -> String {
        let mut params = form_urlencoded::Serializer::new(String::new());
        if let Some(c) = &self.certification {
            params.append_pair("certification", &c.to_lowercase());
        }
        if let Some(v) = &self.vendor {
            params.append_pair("vendor", v);
        }
        if let Some(d) = self.delivery {
            params.append_pair("delivery", d.as_str());
        }
        if self.upcoming {
            params.append_pair("upcoming", "1");
        }
        if n > 1 {
            params.append_pair("page", &n.to_string());
        }
        let query = params.finish();
        if query.is_empty() { format!("/{locale}/courses/") } else { format!("/{locale}/courses/?{query}") }
    }
}

/// The vendor of the certification a course prepares for.
fn vendor_of(catalog: &crate::domain::Catalog, c: &Course) -> Option<String> {
    catalog.certification(&c.certification).map(|cert| cert.vendor.clone())
}

async fn index(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(q): PageQuery<IndexQuery>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let catalog = &snapshot.catalog;
    let lang = Lang::of(&locale);
    let locales = catalog.locales(&locale);
    let ui = lang.ui();
    let today = state.clock.today();
    let f = IndexFilters::read(catalog, &q)?;
    let mut all: Vec<&Course> = catalog.courses.values().filter(|c| f.admits(catalog, c, today)).collect();
    all.sort_by(|a, b| (&a.certification, &a.title).cmp(&(&b.certification, &b.title)));
    let paged = extract::page(q.page.as_deref(), all.len(), HTML_PAGE_SIZE)?;
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.courses, format!("/{locale}/courses/")),
    ];
    let title = numbered(ui.courses, paged.number, ui.page);
    let items: Vec<CourseItem> = paged
        .slice(&all)
        .iter()
        .map(|c| CourseItem {
            url: course_path(&locale, c),
            title: localized_html(c.title_in(locales)),
            certification: cert_link(&locale, c),
            status: catalog
                .certification(&c.certification)
                .and_then(|cert| Lifecycle::of(cert, today).badge()),
            facts: format!(
                "{}, {}",
                lang.days(c.duration_days),
                c.price.format(&catalog.site.money_tag(&locale))
            ),
            next: c.upcoming(today, 1).first().map(|s| session_view(&locale, c, s)),
        })
        .collect();
    let page = Layout::new(&snapshot, &locale, &title, &f.url(&locale, paged.number), &visitor)
        .describe(ui.courses_text)
        .with_breadcrumbs(&crumbs)
        // The names as text: the items' titles are HTML (exam codes and stand-ins marked).
        .with_item_list(
            paged.items.start + 1,
            paged.slice(&all).iter().map(|c| (course_path(&locale, c), c.title_in(locales).text.to_owned())),
        );
    let choice = |value: String, label: String, selected: bool| Choice { value, label, selected };
    super::html(&IndexPage {
        page,
        crumbs,
        certifications: f
            .certifications
            .iter()
            .map(|c| {
                let title = catalog
                    .certification(c)
                    .map_or_else(|| c.to_string(), |x| format!("{c}: {}", x.title_in(locales)));
                choice(c.to_lowercase(), title, f.certification.as_ref() == Some(c))
            })
            .collect(),
        vendors: f
            .vendors
            .iter()
            .map(|v| choice(v.clone(), v.clone(), f.vendor.as_ref() == Some(v)))
            .collect(),
        deliveries: Delivery::ALL
            .iter()
            .map(|d| choice(d.as_str().to_owned(), lang.delivery(*d).to_owned(), f.delivery == Some(*d)))
            .collect(),
        upcoming: f.upcoming,
        items,
        pager: Pager::new(&paged, |n| f.url(&locale, n)),
    })
}

fn cert_link(locale: &str, course: &Course) -> Link {
    Link {
        url: format!("/{locale}/certifications/{}", course.certification.to_lowercase()),
        text: course.certification.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// A course page and its form

/// The inquiry form as shown: the reader's input, and what is wrong with it.
#[derive(Debug, Default)]
pub struct FormView {
    input: InquiryInput,
    /// Per field name, the message shown next to it.
    errors: Vec<(&'static str, String)>,
    /// Above the form: why it was not sent (too many, busy), or that fields need a look.
    notice: Option<String>,
}

impl FormView {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| *f == field).map(|(_, m)| m.as_str())
    }

    fn has_error(&self, field: &str) -> bool {
        self.error(field).is_some()
    }
}

#[derive(Template)]
#[template(path = "course.html")]
struct CoursePage<'a> {
    page: Layout,
    crumbs: Vec<Crumb>,
    title: Localized<'a>,
    price_note: Option<Localized<'a>>,
    /// HTML: the certification's code and title in the page's locale.
    certification_html: String,
    duration: String,
    certification: Link,
    credential: String,
    status: Option<LifecycleStatus>,
    notices: Vec<Notice>,
    price: String,
    delivery: Vec<&'static str>,
    teachers: Vec<Link>,
    sessions: Vec<SessionView>,
    form: FormView,
    form_action: String,
    privacy: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CourseQuery {
    session: Option<String>,
    /// Places asked for by the team planner: the message starts with them.
    people: Option<String>,
}

/// The most places a planner's link asks for (a team file holds at most 500 people).
#[expect(clippy::cast_possible_truncation, reason = "500 fits")]
const MAX_PEOPLE: u32 = crate::domain::team::MAX_ROWS as u32;

async fn course(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, slug)): PagePath<(String, String)>,
    PageQuery(q): PageQuery<CourseQuery>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let Some(course) = Slug::parse(&slug).ok().and_then(|s| snapshot.catalog.courses.get(&s)) else {
        return Err(PageError::NotFound);
    };
    let today = state.clock.today();
    let mut form = FormView::default();
    if let Some(chosen) = q.session.filter(|s| !s.is_empty()) {
        // Only a session one can still request is chosen; any other value is sent to the
        // page without it, so odd values cannot fill the page cache.
        if !course.upcoming(today, usize::MAX).iter().any(|s| s.id.as_str() == chosen) {
            return Ok(Redirect::to(&format!("{}#inquiry", course_path(&locale, course))).into_response());
        }
        form.input.session = chosen;
    }
    if let Some(people) = q.people.filter(|p| !p.is_empty()) {
        // As for sessions: only a count the planner can send is kept, anything else is
        // sent to the page without it.
        match people.parse::<u32>() {
            Ok(n @ 1..=MAX_PEOPLE) => form.input.message = Lang::of(&locale).places_message(n),
            _ => {
                return Ok(Redirect::to(&format!("{}#inquiry", course_path(&locale, course))).into_response());
            }
        }
    }
    let html = course_html(&snapshot, &locale, course, &visitor, today, form)?;
    Ok(Html(html).into_response())
}

fn course_html(
    snapshot: &Snapshot,
    locale: &str,
    course: &Course,
    visitor: &Visitor,
    today: NaiveDate,
    form: FormView,
) -> Result<String, PageError> {
    let catalog = &snapshot.catalog;
    let lang = Lang::of(locale);
    let locales = catalog.locales(locale);
    let title = course.title_in(locales);
    let ui = lang.ui();
    let path = course_path(locale, course);
    let cert = catalog.certification(&course.certification);
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.courses, format!("/{locale}/courses/")),
        Crumb::new(title.text, path.clone()),
    ];
    let base = &catalog.site.base_url;
    let description = format!(
        "{}: {}, {}.{}",
        title,
        lang.days(course.duration_days),
        course.price.format(&locales.money_tag()),
        cert.map(|c| format!(" {} {}.", ui.prepares_for, c.credential)).unwrap_or_default()
    );
    let upcoming = course.upcoming(today, NEXT_SESSIONS);
    let page = Layout::new(snapshot, locale, title.text, &path, visitor)
        .describe(&description)
        .with_breadcrumbs(&crumbs)
        .with_json_ld(&json!({
            "@context": "https://schema.org",
            "@type": "Course",
            "name": title.text,
            "description": description,
            "url": format!("{base}{path}"),
            "courseCode": course.certification.as_str(),
            "provider": {"@type": "Organization", "name": catalog.site.name, "sameAs": base},
            "timeRequired": format!("P{}D", course.duration_days),
            "offers": [{
                "@type": "Offer",
                "category": "Paid",
                "price": course.price.plain(),
                "priceCurrency": course.price.currency,
                "url": format!("{base}{path}"),
            }],
            "hasCourseInstance": upcoming.iter().map(|s| json!({
                "@type": "CourseInstance",
                "courseMode": s.mode(),
                "location": s.location,
                "inLanguage": s.language,
                "startDate": s.starts_on.to_string(),
                "offers": {
                    "@type": "Offer",
                    "price": course.price.plain(),
                    "priceCurrency": course.price.currency,
                    "url": format!("{base}{path}?session={}", s.id),
                },
            })).collect::<Vec<_>>(),
        }));
    CoursePage {
        page,
        crumbs,
        title,
        price_note: course.price_note_in(locales),
        duration: lang.days(course.duration_days),
        certification_html: match cert {
            Some(c) => format!("{}: {}", marked(c.code.as_str()), localized_html(c.title_in(locales))),
            None => marked(course.certification.as_str()),
        },
        certification: Link {
            url: cert
                .map(|c| format!("/{locale}/certifications/{}", c.code.to_lowercase()))
                .unwrap_or_default(),
            text: course.certification.to_string(),
        },
        credential: cert.map(|c| c.credential.clone()).unwrap_or_default(),
        status: cert.map(|c| Lifecycle::of(c, today).status()),
        notices: cert
            .and_then(|c| super::notices::retirement(c, catalog, locale, today))
            .into_iter()
            .collect(),
        price: course.price.format(&locales.money_tag()),
        delivery: course.delivery.iter().map(|d| lang.delivery(*d)).collect(),
        teachers: course
            .teachers
            .iter()
            .map(|t| Link {
                url: format!("/{locale}/experts/{t}"),
                text: catalog.experts.get(t).map_or_else(|| t.to_string(), |e| e.name.clone()),
            })
            .collect(),
        sessions: upcoming.iter().map(|s| session_view(locale, course, s)).collect(),
        form,
        form_action: format!("{path}/inquiry#inquiry"),
        privacy: super::layout::privacy_url(snapshot, locale),
    }
    .render()
    .map_err(PageError::internal)
}

async fn inquiry_redirect(PagePath((locale, slug)): PagePath<(String, String)>) -> Response {
    Redirect::to(&format!("/{locale}/courses/{slug}#inquiry")).into_response()
}

/// The form's fields as sent; `token` and `website` (the honeypot) besides the input.
fn parse_inquiry(body: &[u8]) -> (InquiryInput, String) {
    let mut input = InquiryInput::default();
    let mut token = String::new();
    for (k, v) in form_urlencoded::parse(body) {
        match &*k {
            "name" => input.name = v.into_owned(),
            "email" => input.email = v.into_owned(),
            "company" => input.company = v.into_owned(),
            "session" => input.session = v.into_owned(),
            "message" => input.message = v.into_owned(),
            "agree" => input.agree = v == "yes",
            "website" => input.website = v.into_owned(),
            "token" => token = v.into_owned(),
            _ => {}
        }
    }
    (input, token)
}

/// The words next to a field for a problem.
fn problem_text(lang: Lang, problem: &Problem) -> String {
    let ui = lang.ui();
    match problem {
        Problem::Missing => ui.problem_missing.to_owned(),
        Problem::TooLong { max } => lang.phrase("problem-too-long", &[("max", (*max).into())]),
        Problem::NotAnEmail => ui.problem_email.to_owned(),
        Problem::ControlCharacter => ui.problem_control.to_owned(),
        Problem::UnknownSession | Problem::SessionPast => ui.problem_session.to_owned(),
        Problem::MustAgree => ui.problem_agree.to_owned(),
    }
}

/// `POST /{locale}/courses/{slug}/inquiry`: same origin, a form of this site, within the
/// rate; then checked field by field and stored durably before the thank-you page. Every
/// refusal shows the course page again with the reader's input.
async fn inquire(
    State(state): State<AppState>,
    visitor: Visitor,
    client: Client,
    headers: HeaderMap,
    PagePath((locale, slug)): PagePath<(String, String)>,
    body: axum::body::Body,
) -> Response {
    let snapshot = state.published.current();
    let Some(locale) = snapshot.has_locale(&locale).then_some(locale) else {
        return PageError::NotFound.into_response();
    };
    let ui = Lang::of(&locale).ui();
    if let Err(why) = same_origin(&headers, &snapshot.catalog.site, visitor.https) {
        return PageError::Forbidden(why).into_response();
    }
    let body = match read_form(body, &state.limits).await {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    let (input, token) = parse_inquiry(&body);
    let Some(course) = Slug::parse(&slug).ok().and_then(|s| snapshot.catalog.courses.get(&s)) else {
        return PageError::Gone(format!(
            "The course you asked about (`{slug}`) is no longer in our catalog, so your inquiry was not sent. \
             Our current courses are listed under Courses; write to us there about any of them."
        ))
        .into_response();
    };
    let today = state.clock.today();
    let again = |status: StatusCode, form: FormView, retry_after: Option<u64>| -> Response {
        match course_html(&snapshot, &locale, course, &visitor, today, form) {
            Ok(html) => {
                let mut response = (status, Html(html)).into_response();
                if let Some(seconds) = retry_after {
                    response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
                }
                response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                response
            }
            Err(e) => e.into_response(),
        }
    };
    let now = Utc::now();
    if let Err(retry_after) = state.inquiry_rate.check(client.0, now.timestamp()) {
        let notice = Lang::of(&locale).phrase("notice-inquiry-rate", &[("seconds", retry_after.into())]);
        return again(
            StatusCode::TOO_MANY_REQUESTS,
            FormView { input, errors: Vec::new(), notice: Some(notice) },
            Some(retry_after),
        );
    }
    if !state.keys.check_form_token(&token, now.timestamp()) {
        let notice = ui.notice_form_expired.to_owned();
        return again(
            StatusCode::FORBIDDEN,
            FormView { input, errors: Vec::new(), notice: Some(notice) },
            None,
        );
    }
    let thanks = Redirect::to(&format!("{}/thanks", course_path(&locale, course))).into_response();
    if is_bot(&input) {
        // Answered like a person, so the bot learns nothing; nothing is stored.
        return thanks;
    }
    let valid = match validate(&input, course, today) {
        Ok(valid) => valid,
        Err(problems) => {
            let errors = problems
                .iter()
                .map(|(field, problem)| (field.name(), problem_text(Lang::of(&locale), problem)))
                .collect();
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                FormView { input, errors, notice: Some(ui.inquiry_problems.to_owned()) },
                None,
            );
        }
    };
    let lead = Lead {
        id: random_token(16),
        received_at: now,
        locale: locale.clone(),
        course: course.slug.clone(),
        course_title: course.title.clone(),
        session: valid.lead_session(),
        name: valid.name,
        email: valid.email,
        company: valid.company,
        message: valid.message,
        consent_text: ui.inquiry_agree.to_owned(),
    };
    if let Err(e) = state.store.insert_lead(&lead, state.lead_notification).await {
        tracing::error!(error = %e, "could not store an inquiry");
        let notice = ui.notice_inquiry_unsaved.to_owned();
        return again(
            StatusCode::SERVICE_UNAVAILABLE,
            FormView { input, errors: Vec::new(), notice: Some(notice) },
            Some(5),
        );
    }
    crate::metrics::lead();
    let mut response = thanks;
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Template)]
#[template(path = "thanks.html")]
struct ThanksPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    course_url: String,
    course_title: String,
}

async fn thanks(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, slug)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let Some(course) = Slug::parse(&slug).ok().and_then(|s| snapshot.catalog.courses.get(&s)) else {
        return Err(PageError::NotFound);
    };
    let ui = Lang::of(&locale).ui();
    let path = format!("{}/thanks", course_path(&locale, course));
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.courses, format!("/{locale}/courses/")),
        Crumb::new(course.title.clone(), course_path(&locale, course)),
        Crumb::new(ui.thanks_title, path.clone()),
    ];
    let mut page =
        Layout::new(&snapshot, &locale, ui.thanks_title, &path, &visitor).with_breadcrumbs(&crumbs);
    page.noindex = true;
    super::html(&ThanksPage {
        page,
        crumbs,
        course_url: course_path(&locale, course),
        course_title: course.title.clone(),
    })
}

/// A course where another page mentions it, with its calls to action.
#[derive(Debug)]
pub(crate) struct CourseCard {
    pub url: String,
    /// HTML: the title in the page's locale.
    pub title: String,
    /// `5 days, CHF 119.00`.
    pub facts: String,
    /// The course page's form.
    pub ask_url: String,
    /// The next session: its date, place, and the form with it chosen.
    pub next: Option<(String, String, String)>,
}

pub(crate) fn course_card(locales: Locales<'_>, course: &Course, today: NaiveDate) -> CourseCard {
    let locale = locales.page;
    let lang = Lang::of(locale);
    let path = course_path(locale, course);
    CourseCard {
        url: path.clone(),
        title: localized_html(course.title_in(locales)),
        facts: format!("{}, {}", lang.days(course.duration_days), course.price.format(&locales.money_tag())),
        ask_url: format!("{path}#inquiry"),
        next: course.upcoming(today, 1).first().map(|s| {
            let view = session_view(locale, course, s);
            (view.date, view.place, view.request_url)
        }),
    }
}
